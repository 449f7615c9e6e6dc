/* fp-comparison-chart-private.h — how the chart places its speed-up labels, for the tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-comparison-chart.h"

G_BEGIN_DECLS

/* A point's speed-up label: where its top left goes, and whether it is drawn. */
typedef struct {
  double x;
  double y;
  char *text;
  gboolean shown;
} FpSpeedUpLabel;

void fp_comparison_chart_place_labels (FpSpeedUpLabel *labels,
                                       guint           n_labels,
                                       double          line_height);

G_END_DECLS
