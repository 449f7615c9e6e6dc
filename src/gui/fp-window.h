/* fp-window.h — the Flagpole window: the country list, the batch's progress, the flag grid
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-country-list.h"
#include "fp-flag-grid.h"

G_BEGIN_DECLS

#define FP_TYPE_WINDOW (fp_window_get_type ())
G_DECLARE_FINAL_TYPE (FpWindow, fp_window, FP, WINDOW, AdwApplicationWindow)

FpWindow        *fp_window_new                   (FpApplication *application);

void             fp_window_start_download        (FpWindow      *self);
void             fp_window_cancel_download       (FpWindow      *self);
gboolean         fp_window_select_preset         (FpWindow      *self,
                                                  const char    *preset);
const char      *fp_window_get_preset            (FpWindow      *self);
void             fp_window_focus_search          (FpWindow      *self);

gboolean         fp_window_get_running           (FpWindow      *self);
guint            fp_window_get_n_selected        (FpWindow      *self);

/* The models the window shows: the rows, and the current (or last) batch. */
FpCountryList   *fp_window_get_country_list      (FpWindow      *self);
FpRun           *fp_window_get_run               (FpWindow      *self);

G_END_DECLS
