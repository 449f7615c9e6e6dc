/* fp-run-status.h — the band above the flag grid: a run's progress, then its summary
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

/**
 * FpRunStatus:
 *
 * Shows one #FpRun (#FpRunStatus:run): while it runs, how many flags of
 * how many, how many at a time, the rate and the time left, and a
 * progress bar, redrawn at most once a frame; when it ends, the book's
 * summary with an icon (fp-run-text.c has the words). A failure that
 * came before any run is shown with fp_run_status_show_failure().
 * #FpRunStatus::dismissed tells that the close button was pressed.
 */
#define FP_TYPE_RUN_STATUS (fp_run_status_get_type ())
G_DECLARE_FINAL_TYPE (FpRunStatus, fp_run_status, FP, RUN_STATUS, GtkWidget)

void          fp_run_status_set_run           (FpRunStatus *self,
                                               FpRun       *run);
FpRun        *fp_run_status_get_run           (FpRunStatus *self);
void          fp_run_status_show_failure      (FpRunStatus *self,
                                               const char  *title,
                                               const char  *reason);
const char   *fp_run_status_get_summary       (FpRunStatus *self);

G_END_DECLS
