/* fp-comparison-chart.h — elapsed time against concurrency, per strategy, on log axes, with the ideal
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_COMPARISON_CHART (fp_comparison_chart_get_type ())
G_DECLARE_FINAL_TYPE (FpComparisonChart, fp_comparison_chart, FP, COMPARISON_CHART, GtkWidget)

GtkWidget    *fp_comparison_chart_new            (void);
void          fp_comparison_chart_set_comparison (FpComparisonChart *self,
                                                  FpComparison      *comparison);
FpComparison *fp_comparison_chart_get_comparison (FpComparisonChart *self);

G_END_DECLS
