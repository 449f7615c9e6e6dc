/* fp-application.h — the Flagpole application: actions, settings, the built-in flag server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-settings.h"

G_BEGIN_DECLS

/*
 * The application is the session, as GNOME Calendar's GcalContext is: it
 * holds the typed settings and the built-in server that outlive a window
 * and a batch, makes the runs (fp_application_new_run()) and records
 * them, and sends the notification at a batch's end. Windows get all that
 * from here and read no setting themselves.
 */

#define FP_TYPE_APPLICATION (fp_application_get_type ())
G_DECLARE_FINAL_TYPE (FpApplication, fp_application, FP, APPLICATION, AdwApplication)

FpApplication *fp_application_new                 (void);

FpSettings    *fp_application_get_settings        (FpApplication       *self);
FpFlagServer  *fp_application_get_server          (FpApplication       *self,
                                                   GError             **error);
FpRun         *fp_application_new_run             (FpApplication       *self,
                                                   const char * const  *codes,
                                                   GError             **error);

void           fp_application_batch_finished      (FpApplication       *self,
                                                   GtkWindow           *window,
                                                   const char          *title,
                                                   const char          *body);

G_END_DECLS
