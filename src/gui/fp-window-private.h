/* fp-window-private.h — what the window's files share, and what tests read of it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-country-list.h"
#include "fp-flag-grid.h"
#include "fp-run-insights.h"
#include "fp-run-status.h"
#include "fp-settings.h"
#include "fp-status-filter.h"
#include "fp-window.h"

G_BEGIN_DECLS

struct _FpWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwFlap *flap;
  GtkStack *action_stack;
  GtkSearchEntry *search_entry;
  GtkLabel *selection_label;
  GtkToggleButton *selected_only_button;
  GtkStack *list_stack;
  AdwStatusPage *empty_page;
  GtkGridView *country_list;     /* of one column: it keeps 33 rows, a GtkListView 200 */
  GtkRevealer *status_revealer;
  FpRunStatus *run_status;
  FpFlagGrid *flag_grid;
  FpStatusFilter *status_filter;
  AdwViewStack *view_stack;

  FpSettings *settings;
  FpRunInsights *insights;       /* the Timeline, History and Compare pages */
  FpCountryList *countries;
  FpRun *run;                    /* the running batch, or the last one */
  gboolean destination_pending;  /* changed while a batch ran */
};

/* fp-window.c */
void         _fp_window_apply_destination     (FpWindow   *self);

/* fp-window-run.c */
gboolean     _fp_window_get_running           (FpWindow   *self);
void         _fp_window_update_retry_action   (FpWindow   *self);

/* What the window shows, as a person reads it; for tests only. */
FpFlagGrid  *fp_window_get_flag_grid         (FpWindow   *self);
const char  *fp_window_get_summary           (FpWindow   *self);
const char  *fp_window_get_progress_text     (FpWindow   *self);
double       fp_window_get_progress_fraction (FpWindow   *self);
void         fp_window_set_search_text       (FpWindow   *self,
                                              const char *text);

G_END_DECLS
