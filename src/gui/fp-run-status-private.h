/* fp-run-status-private.h — what tests read of the status band: the progress as shown
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-run-status.h"

G_BEGIN_DECLS

const char *fp_run_status_get_progress_text (FpRunStatus *self);
double      fp_run_status_get_fraction      (FpRunStatus *self);

G_END_DECLS
