/* fp-timeline-panel.h — the live timeline with its figures: in flight, throughput, time per request, Little's law
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-timeline-view.h"

G_BEGIN_DECLS

#define FP_TYPE_TIMELINE_PANEL (fp_timeline_panel_get_type ())
G_DECLARE_FINAL_TYPE (FpTimelinePanel, fp_timeline_panel, FP, TIMELINE_PANEL, GtkWidget)

GtkWidget      *fp_timeline_panel_new              (void);
FpTimelineView *fp_timeline_panel_get_view         (FpTimelinePanel *self);
void            fp_timeline_panel_set_batch        (FpTimelinePanel *self,
                                                    FpDownloadBatch *batch);
void            fp_timeline_panel_set_record       (FpTimelinePanel *self,
                                                    FpRunRecord     *record);

G_END_DECLS
