/* fp-window.h — the Flagpole window: the country list, the batch's progress, the flag grid
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-country-item.h"
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
void             fp_window_set_search_text       (FpWindow      *self,
                                                  const char    *text);

gboolean         fp_window_get_running           (FpWindow      *self);
guint            fp_window_get_n_selected        (FpWindow      *self);
char           **fp_window_dup_selected_codes    (FpWindow      *self);

/* What the window shows, for tests and for the application's notification. */
GListModel      *fp_window_get_countries         (FpWindow      *self);
GListModel      *fp_window_get_visible_countries (FpWindow      *self);
FpCountryItem   *fp_window_lookup_country        (FpWindow      *self,
                                                  const char    *code);
FpFlagGrid      *fp_window_get_flag_grid         (FpWindow      *self);
FpDownloadBatch *fp_window_get_batch             (FpWindow      *self);
const char      *fp_window_get_summary           (FpWindow      *self);
const char      *fp_window_get_progress_text     (FpWindow      *self);
double           fp_window_get_progress_fraction (FpWindow      *self);

G_END_DECLS
