/* fp-history-view.h — the runs kept in the history, newest first; one reopens its timeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_HISTORY_VIEW (fp_history_view_get_type ())
G_DECLARE_FINAL_TYPE (FpHistoryView, fp_history_view, FP, HISTORY_VIEW, GtkWidget)

GtkWidget    *fp_history_view_new          (void);
void          fp_history_view_set_history  (FpHistoryView *self,
                                            FpRunHistory  *history);
char         *fp_history_view_dup_title    (FpRunRecord   *record);
char         *fp_history_view_dup_subtitle (FpRunRecord   *record);

G_END_DECLS
