/* fp-application.h — the Flagpole application: actions, settings, the built-in flag server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_APPLICATION (fp_application_get_type ())
G_DECLARE_FINAL_TYPE (FpApplication, fp_application, FP, APPLICATION, AdwApplication)

/**
 * FpNotifyFunc:
 * @self: the application
 * @id: the notification's id
 * @notification: what to show
 * @title: the notification's title, as given to it
 * @body: the notification's body, as given to it
 * @user_data: the data given to fp_application_set_notify_func()
 *
 * The path a notification takes out of the application; tests put a
 * double here (GNotification does not tell its title and body).
 */
typedef void (*FpNotifyFunc) (FpApplication *self,
                              const char    *id,
                              GNotification *notification,
                              const char    *title,
                              const char    *body,
                              gpointer       user_data);

/**
 * FpFocusFunc:
 * @window: the window that ran a batch
 * @user_data: the data given to fp_application_set_focus_func()
 *
 * Whether the user is looking at @window; gtk_window_is_active() unless a
 * test replaces it (under Xvfb without a window manager, test programs
 * running side by side take the focus from each other).
 */
typedef gboolean (*FpFocusFunc) (GtkWindow *window,
                                 gpointer   user_data);

FpApplication *fp_application_new                 (void);

GSettings     *fp_application_get_settings        (FpApplication  *self);
FpFlagServer  *fp_application_get_server          (FpApplication  *self,
                                                   GError        **error);
FpBatchConfig *fp_application_dup_batch_config    (FpApplication       *self,
                                                   const char * const  *codes,
                                                   FpFlagServer       **server,
                                                   GError             **error);
GFile         *fp_application_dup_destination     (FpApplication  *self);
GFile         *fp_application_resolve_destination (GSettings      *settings);

void           fp_application_batch_finished      (FpApplication  *self,
                                                   GtkWindow      *window,
                                                   const char     *title,
                                                   const char     *body);
void           fp_application_set_notify_func     (FpApplication  *self,
                                                   FpNotifyFunc    func,
                                                   gpointer        user_data);
void           fp_application_set_focus_func      (FpApplication  *self,
                                                   FpFocusFunc     func,
                                                   gpointer        user_data);

G_END_DECLS
