/* fp-timeline-view.h — a lane per worker slot, a bar per request, drawn live
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_TIMELINE_VIEW (fp_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (FpTimelineView, fp_timeline_view, FP, TIMELINE_VIEW, GtkWidget)

GtkWidget       *fp_timeline_view_new            (void);
void             fp_timeline_view_set_batch      (FpTimelineView *self,
                                                  FpDownloadBatch *batch);
FpDownloadBatch *fp_timeline_view_get_batch      (FpTimelineView *self);
void             fp_timeline_view_set_record     (FpTimelineView *self,
                                                  FpRunRecord    *record);
void             fp_timeline_view_clear          (FpTimelineView *self);
const char      *fp_timeline_view_get_details    (FpTimelineView *self);
gboolean         fp_timeline_view_get_live       (FpTimelineView *self);
void             fp_timeline_view_get_stats      (FpTimelineView *self,
                                                  FpTimelineStats *stats);
guint            fp_timeline_view_get_n_slots    (FpTimelineView *self);
gboolean         fp_timeline_view_focus_request  (FpTimelineView *self,
                                                  const char     *code);

G_END_DECLS
