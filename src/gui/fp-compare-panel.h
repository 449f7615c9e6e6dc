/* fp-compare-panel.h — the Compare view: a series to run, the chart, the live lanes, a table to copy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_COMPARE_PANEL (fp_compare_panel_get_type ())
G_DECLARE_FINAL_TYPE (FpComparePanel, fp_compare_panel, FP, COMPARE_PANEL, GtkWidget)

GtkWidget    *fp_compare_panel_new             (void);
void          fp_compare_panel_set_comparison  (FpComparePanel *self,
                                                FpComparison   *comparison);
FpComparison *fp_compare_panel_get_comparison  (FpComparePanel *self);
GArray       *fp_compare_panel_dup_series      (FpComparePanel *self,
                                                GError        **error);
void          fp_compare_panel_set_status      (FpComparePanel *self,
                                                const char     *text);
char         *fp_compare_panel_dup_table       (FpComparePanel *self);

G_END_DECLS
