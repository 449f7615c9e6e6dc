/* fp-timeline-drawing.h — what the timeline view and its drawing share: its fields and geometry
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-timeline-view.h"

G_BEGIN_DECLS

struct _FpTimelineView
{
  GtkWidget parent_instance;

  FpDownloadBatch *batch;      /* live, or the last that ran */
  FpRunRecord *record;         /* a run from the history */
  GPtrArray *results;          /* FpDownloadResult: the batch's or the record's */
  guint n_slots;
  guint n_total;
  double elapsed_s;            /* once done */
  guint tick_id;
  gint64 live_drawn_us;        /* frame time of the last live drawing */
  guint n_frames;

  GArray *order;               /* guint: results by start, for the keyboard */
  guint order_len;             /* results->len when `order` was made */
  int focused;                 /* index into order, -1 */
  char *details;
};

/* fp-timeline-drawing.c: drawing, size and hit-testing share one geometry. */
gboolean           _fp_timeline_view_is_live          (FpTimelineView *self);
gint64             _fp_timeline_view_now_us           (FpTimelineView *self);
void               _fp_timeline_view_snapshot         (GtkWidget      *widget,
                                                       GtkSnapshot    *snapshot);
void               _fp_timeline_view_measure          (GtkWidget      *widget,
                                                       GtkOrientation  orientation,
                                                       int             for_size,
                                                       int            *minimum,
                                                       int            *natural,
                                                       int            *minimum_baseline,
                                                       int            *natural_baseline);
GtkSizeRequestMode _fp_timeline_view_get_request_mode (GtkWidget      *widget);
FpDownloadResult  *_fp_timeline_view_hit_test         (FpTimelineView *self,
                                                       double          x,
                                                       double          y);

G_END_DECLS
