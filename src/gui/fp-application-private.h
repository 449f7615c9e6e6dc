/* fp-application-private.h — what tests may reach of the application: its notifications and focus, its raw settings, its server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-application.h"

G_BEGIN_DECLS

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

GSettings *fp_application_get_gsettings   (FpApplication *self);
void       fp_application_set_notify_func (FpApplication *self,
                                           FpNotifyFunc   func,
                                           gpointer       user_data);
void       fp_application_set_focus_func  (FpApplication *self,
                                           FpFocusFunc    func,
                                           gpointer       user_data);
/* The built-in server as it is, without starting one. */
FpFlagServer *fp_application_peek_server  (FpApplication *self);

G_END_DECLS
