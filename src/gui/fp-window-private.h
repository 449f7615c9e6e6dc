/* fp-window-private.h — what tests read of the window: its grid, its status area, a typed search
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-window.h"

G_BEGIN_DECLS

/* What the window shows, as a person reads it; for tests only. */
FpFlagGrid  *fp_window_get_flag_grid         (FpWindow   *self);
const char  *fp_window_get_summary           (FpWindow   *self);
const char  *fp_window_get_progress_text     (FpWindow   *self);
double       fp_window_get_progress_fraction (FpWindow   *self);
void         fp_window_set_search_text       (FpWindow   *self,
                                              const char *text);

G_END_DECLS
