/* fp-run-insights.h — the window's Timeline, History and Compare pages, and what feeds them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_RUN_INSIGHTS (fp_run_insights_get_type ())
G_DECLARE_FINAL_TYPE (FpRunInsights, fp_run_insights, FP, RUN_INSIGHTS, GObject)

FpRunInsights *fp_run_insights_new               (FpRunHistory   *history);
FpRunHistory  *fp_run_insights_get_history       (FpRunInsights  *self);
void           fp_run_insights_set_selection     (FpRunInsights  *self,
                                                  gpointer        countries);
void           fp_run_insights_attach            (FpRunInsights  *self,
                                                  AdwViewStack   *stack);
double         fp_run_insights_follow_batch      (FpRunInsights   *self,
                                                  FpBatchConfig   *config,
                                                  FpDownloadBatch *batch);
void           fp_run_insights_follow_run        (FpRunInsights  *self,
                                                  FpRun          *run);
void           fp_run_insights_start_comparison  (FpRunInsights  *self,
                                                  FpBatchConfig  *config,
                                                  FpFlagServer   *server);
void           fp_run_insights_show_record       (FpRunInsights  *self,
                                                  FpRunRecord    *record);
void           fp_run_insights_reopen_record     (FpRunInsights  *self,
                                                  FpRunRecord    *record);
FpRunRecord   *fp_run_insights_get_shown_record  (FpRunInsights  *self);
char          *fp_run_insights_dup_speed_up_text (FpRunInsights  *self);
void           fp_run_insights_export_timeline_async  (FpRunInsights       *self,
                                                       GFile               *file,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean       fp_run_insights_export_timeline_finish (FpRunInsights       *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void           fp_run_insights_choose_export     (FpRunInsights  *self,
                                                  GtkWindow      *parent);

G_END_DECLS
