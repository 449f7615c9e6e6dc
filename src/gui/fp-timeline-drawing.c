/* fp-timeline-drawing.c — the timeline's geometry: how it is drawn, how big it is, what is under the pointer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-timeline-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "fp-timeline-drawing.h"
#include "fp-drawing.h"

/*
 * One geometry (compute_layout()) serves the drawing, the size request and
 * hit-testing, so a bar is where the pointer finds it. Everything is
 * appended to the snapshot as plain colour rectangles and text: no
 * cairo, no textures, so a frame of 100 lanes and 676 bars stays cheap.
 */

#define GUTTER_WIDTH   56
#define RIGHT_PAD      10
#define AXIS_HEIGHT    20
#define QUEUE_HEIGHT   26
#define STRIP_GAP      6
#define DISK_LANE      5
#define LEGEND_ROW     22
#define MIN_LANE       2
#define MAX_LANE       30

/* The geometry of one frame: drawing and hit-testing share it. */
typedef struct {
  int width;
  int height;
  double x0;                   /* where t = 0 is */
  double scale;                /* pixels per µs */
  double axis_y;
  double queue_y;
  double lanes_y;
  double lane_h;
  double disk_y;
  double legend_y;
  guint n_store;
  gint64 now_us;               /* the span's end */
  gboolean live;
} Layout;

typedef struct {
  GdkRGBA fg;
  GdkRGBA bg;
  GdkRGBA dim;
  GdkRGBA phase[FP_DOWNLOAD_N_PHASES];
  GdkRGBA base;                /* a bar's time outside the phases */
  GdkRGBA error;
  GdkRGBA accent;
} Palette;

/* Colours from the style: libadwaita's named palette, and the text colour
 * for everything neutral, so the dark style and high contrast work. */
static void
get_palette (GtkWidget *widget,
             Palette   *p)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &p->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  fp_drawing_lookup_color (widget, "view_bg_color", "#ffffff", &p->bg);
  p->dim = p->fg;
  p->dim.alpha *= 0.35f;
  p->base = p->fg;
  p->base.alpha *= 0.10f;
  p->phase[FP_DOWNLOAD_PHASE_QUEUE] = p->fg;
  p->phase[FP_DOWNLOAD_PHASE_QUEUE].alpha *= 0.30f;
  fp_drawing_lookup_color (widget, "purple_3", "#9141ac", &p->phase[FP_DOWNLOAD_PHASE_CONNECT]);
  fp_drawing_lookup_color (widget, "blue_3", "#3584e4", &p->phase[FP_DOWNLOAD_PHASE_WAIT]);
  fp_drawing_lookup_color (widget, "green_4", "#2ec27e", &p->phase[FP_DOWNLOAD_PHASE_RECEIVE]);
  fp_drawing_lookup_color (widget, "orange_3", "#ff7800", &p->phase[FP_DOWNLOAD_PHASE_STORE]);
  fp_drawing_lookup_color (widget, "error_color", "#c01c28", &p->error);
  fp_drawing_lookup_color (widget, "accent_color", "#1c71d8", &p->accent);
}

gint64
_fp_timeline_view_now_us (FpTimelineView *self)
{
  if (self->batch != NULL && fp_download_batch_get_running (self->batch) &&
      fp_download_batch_get_start_time (self->batch) != 0)
    return g_get_monotonic_time () - fp_download_batch_get_start_time (self->batch);
  return (gint64) (self->elapsed_s * G_USEC_PER_SEC);
}

gboolean
_fp_timeline_view_is_live (FpTimelineView *self)
{
  return self->batch != NULL && fp_download_batch_get_running (self->batch);
}

static guint
count_store_slots (FpTimelineView *self)
{
  guint n = 0;

  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    n = MAX (n, fp_download_result_get_timeline (g_ptr_array_index (self->results, i))->store_slot);
  return n;
}

/* The legend wraps: how many rows it takes at @width. */
static int
legend_rows (int width)
{
  return width < 420 ? 4 : width < 560 ? 3 : width < 900 ? 2 : 1;
}

/* The least a lane may be: a few pixels when there are many. */
static int
min_lane (guint n_slots)
{
  return n_slots <= 20 ? 8 : n_slots <= 50 ? 4 : MIN_LANE;
}

/* The labels' column: as wide as the strips' names in this language need
 * ("Warteschlange" is wider than "Queue"), at least GUTTER_WIDTH. */
static double
gutter_width (FpTimelineView *self)
{
  int queue_w = 0, disk_w = 0;

  pango_layout_get_pixel_size (fp_drawing_get_text_layout (GTK_WIDGET (self), C_("timeline strip", "Queue"), 0.8),
                               &queue_w, NULL);
  pango_layout_get_pixel_size (fp_drawing_get_text_layout (GTK_WIDGET (self), C_("timeline strip", "Disk"), 0.7),
                               &disk_w, NULL);
  return MAX (GUTTER_WIDTH, MAX (queue_w, disk_w) + 8);
}

static void
compute_layout (FpTimelineView *self,
                Layout         *l)
{
  double span_us, lanes_space;
  guint n_slots = MAX (self->n_slots, 1);

  l->width = gtk_widget_get_width (GTK_WIDGET (self));
  l->height = gtk_widget_get_height (GTK_WIDGET (self));
  l->live = _fp_timeline_view_is_live (self);
  l->now_us = _fp_timeline_view_now_us (self);
  l->n_store = count_store_slots (self);

  /* Fit to the width; live, leave room to grow so bars do not rush. */
  span_us = l->live ? MAX (l->now_us * 1.15, 0.5 * G_USEC_PER_SEC) : MAX (l->now_us * 1.01, 1000.0);
  l->x0 = gutter_width (self);
  l->scale = MAX (l->width - l->x0 - RIGHT_PAD, 10) / span_us;

  l->axis_y = 0;
  l->queue_y = AXIS_HEIGHT;
  l->lanes_y = l->queue_y + QUEUE_HEIGHT + STRIP_GAP;
  /* The lanes take what the strips leave, up to a comfortable height;
   * the disk strip and the legend follow right below them. */
  lanes_space = l->height - LEGEND_ROW * legend_rows (l->width)
              - STRIP_GAP - MAX (l->n_store, 1) * DISK_LANE - STRIP_GAP - l->lanes_y;
  l->lane_h = CLAMP (floor (lanes_space / n_slots), min_lane (n_slots), MAX_LANE);
  l->disk_y = l->lanes_y + n_slots * l->lane_h + STRIP_GAP;
  l->legend_y = l->disk_y + MAX (l->n_store, 1) * DISK_LANE + STRIP_GAP;
}

static double
x_at (const Layout *l,
      gint64        t)
{
  return l->x0 + t * l->scale;
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         w,
             double         h)
{
  graphene_rect_t rect;
  double x0, x1, y0, y1;

  if (w <= 0 || h <= 0)
    return;
  /* On whole pixels, at least one wide: the cairo renderer fills such a
   * box straight into the frame, while a fractional edge goes through a
   * coverage mask (a live batch's ~3,000 boxes: cairo_fill was 13 % of
   * the window's thread, perf). Both edges round the same way, so boxes
   * that touch still touch. */
  x0 = round (x);
  x1 = MAX (round (x + w), x0 + 1);
  y0 = round (y);
  y1 = MAX (round (y + h), y0 + 1);
  graphene_rect_init (&rect, (float) x0, (float) y0, (float) (x1 - x0), (float) (y1 - y0));
  gtk_snapshot_append_color (snapshot, color, &rect);
}

/* 1, 2 or 5 times a power of ten seconds, so labels stay ~80 px apart. */
static double
tick_step (const Layout *l)
{
  static const double steps[] = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * G_USEC_PER_SEC * l->scale >= 80)
      return steps[i];
  return 600;
}

static void
draw_axis (FpTimelineView *self,
           GtkSnapshot    *snapshot,
           const Layout   *l,
           const Palette  *p)
{
  double step = tick_step (l);
  double end = (l->width - RIGHT_PAD - l->x0) / l->scale / G_USEC_PER_SEC;

  for (guint i = 0; i * step <= end + 1e-9; i++)
    {
      double x = x_at (l, (gint64) (i * step * G_USEC_PER_SEC));
      g_autofree char *label = NULL;

      /* A faint line down through the lanes, a label on top. */
      append_rect (snapshot, &p->base, x, l->queue_y, 1, l->disk_y - l->queue_y);
      /* TRANSLATORS: a mark on the time axis, in seconds */
      label = g_strdup_printf (_("%g s"), i * step);
      if (x + 4 < l->width - 20)
        fp_drawing_append_text (GTK_WIDGET (self), snapshot, label, x + 3, AXIS_HEIGHT / 2.0, &p->dim, 0.0, 0.8);
    }
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 ta = *(const gint64 *) a, tb = *(const gint64 *) b;

  return (ta > tb) - (ta < tb);
}

/* How many wait for a worker at each moment: a block that shrinks. */
static void
draw_queue (FpTimelineView *self,
            GtkSnapshot    *snapshot,
            const Layout   *l,
            const Palette  *p)
{
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_total = MAX (self->n_total, 1);
  gint64 from = 0;

  fp_drawing_append_text (GTK_WIDGET (self), snapshot, C_("timeline strip", "Queue"), l->x0 - 4, l->queue_y + QUEUE_HEIGHT / 2.0,
               &p->dim, 1.0, 0.8);

  /* Every start so far: of those done, and of those on the network now. */
  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    {
      gint64 started = fp_download_result_get_timeline (g_ptr_array_index (self->results, i))->started;

      if (started != FP_TIMELINE_NONE)
        g_array_append_val (starts, started);
    }
  if (l->live)
    for (guint slot = 1; slot <= self->n_slots; slot++)
      {
        gint64 since;

        if (fp_download_batch_peek_slot (self->batch, slot, NULL, &since))
          g_array_append_val (starts, since);
      }
  g_array_sort (starts, compare_times);

  for (guint k = 0; k <= starts->len; k++)
    {
      /* After the last start: live, the rest still wait until now. */
      gint64 to = k < starts->len ? g_array_index (starts, gint64, k) : (l->live ? l->now_us : from);
      guint waiting = n_total - MIN (k, n_total);
      double h = QUEUE_HEIGHT * (double) waiting / n_total;

      if (to > from)
        append_rect (snapshot, &p->phase[FP_DOWNLOAD_PHASE_QUEUE], x_at (l, from),
                     l->queue_y + QUEUE_HEIGHT - h, (to - from) * l->scale, h);
      from = MAX (from, to);
    }
}

static void
draw_phase (GtkSnapshot              *snapshot,
            const Layout             *l,
            const Palette            *p,
            const FpDownloadTimeline *t,
            FpDownloadPhase           phase,
            double                    y,
            double                    h,
            double                    x_max)
{
  gint64 start, end;

  if (fp_download_timeline_get_phase (t, phase, &start, &end))
    {
      double x = x_at (l, start);

      append_rect (snapshot, &p->phase[phase], x, y, MIN ((end - start) * l->scale, x_max - x), h);
    }
}

/*
 * One request's bar. Its outcome shows in its shape as well as its
 * colour: a flag saved is a full bar; not found, a hollow one (its middle
 * left empty); an error, a bar with a thick red cap at its end; cancelled,
 * a thin grey line.
 */
static void
draw_bar (GtkSnapshot      *snapshot,
          const Layout     *l,
          const Palette    *p,
          FpDownloadResult *result,
          gboolean          focused)
{
  const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
  FpDownloadStatus status = fp_download_result_get_status (result);
  gint64 end = t->network_end != FP_TIMELINE_NONE ? t->network_end : t->finished;
  double pad = l->lane_h >= 6 ? 1 : 0;
  double y = l->lanes_y + (t->slot - 1) * l->lane_h + pad;
  double h = l->lane_h - 2 * pad;
  double x = x_at (l, t->started);
  double w = (end - t->started) * l->scale;

  if (t->slot == 0 || t->started == FP_TIMELINE_NONE)
    return;

  if (status == FP_DOWNLOAD_STATUS_CANCELLED)
    {
      append_rect (snapshot, &p->dim, x, y + h / 2 - 0.5, w, 1);
      return;
    }

  /* A hair of space between one request and the next on a lane. */
  if (w > 3)
    w -= 1;
  append_rect (snapshot, &p->base, x, y, w, h);
  for (FpDownloadPhase phase = FP_DOWNLOAD_PHASE_CONNECT; phase <= FP_DOWNLOAD_PHASE_RECEIVE; phase++)
    draw_phase (snapshot, l, p, t, phase, y, h, x + MAX (w, 1));

  if (status == FP_DOWNLOAD_STATUS_NOT_FOUND && h >= 4)
    append_rect (snapshot, &p->bg, x + 1, y + h / 3, MAX (w - 2, 0), h / 3);
  else if (status == FP_DOWNLOAD_STATUS_ERROR)
    append_rect (snapshot, &p->error, x + MAX (w - 4, 0), y - pad, MIN (4, MAX (w, 2)), h + 2 * pad);

  if (focused)
    {
      GskRoundedRect outline;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { p->fg, p->fg, p->fg, p->fg };

      gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT ((float) x - 2, (float) y - 2,
                                                                      (float) MAX (w, 1) + 4, (float) h + 4), 0);
      gtk_snapshot_append_border (snapshot, &outline, widths, colors);
    }
}

static void
draw_lanes (FpTimelineView *self,
            GtkSnapshot    *snapshot,
            const Layout   *l,
            const Palette  *p)
{
  guint label_every = l->lane_h >= 14 ? 1 : l->lane_h >= 7 ? 5 : 10;
  FpDownloadResult *focused = NULL;

  /* Lane numbers, and a faint stripe on every other lane. */
  for (guint slot = 1; slot <= self->n_slots; slot++)
    {
      double y = l->lanes_y + (slot - 1) * l->lane_h;

      if (slot % 2 == 0)
        {
          GdkRGBA stripe = p->fg;

          stripe.alpha *= 0.04f;
          append_rect (snapshot, &stripe, l->x0, y, l->width - l->x0 - RIGHT_PAD, l->lane_h);
        }
      if (slot == 1 || slot % label_every == 0)
        {
          g_autofree char *label = g_strdup_printf ("%u", slot);

          fp_drawing_append_text (GTK_WIDGET (self), snapshot, label, l->x0 - 4, y + l->lane_h / 2.0, &p->dim, 1.0,
                       l->lane_h >= 12 ? 0.8 : 0.7);
        }
    }

  if (self->focused >= 0 && self->order != NULL && (guint) self->focused < self->order->len)
    focused = g_ptr_array_index (self->results, g_array_index (self->order, guint, self->focused));
  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (self->results, i);

      if (result != focused)
        draw_bar (snapshot, l, p, result, FALSE);
    }
  if (focused != NULL)
    draw_bar (snapshot, l, p, focused, TRUE);

  /* Live: the requests on the network now, growing to the "now" line. */
  if (l->live)
    for (guint slot = 1; slot <= self->n_slots; slot++)
      {
        gint64 since;

        if (fp_download_batch_peek_slot (self->batch, slot, NULL, &since))
          append_rect (snapshot, &p->phase[FP_DOWNLOAD_PHASE_WAIT],
                       x_at (l, since), l->lanes_y + (slot - 1) * l->lane_h + (l->lane_h >= 6),
                       (l->now_us - since) * l->scale, l->lane_h - 2 * (l->lane_h >= 6));
      }
}

static void
draw_disk (FpTimelineView *self,
           GtkSnapshot    *snapshot,
           const Layout   *l,
           const Palette  *p)
{
  fp_drawing_append_text (GTK_WIDGET (self), snapshot, C_("timeline strip", "Disk"), l->x0 - 4,
               l->disk_y + MAX (l->n_store, 1) * DISK_LANE / 2.0, &p->dim, 1.0, 0.7);
  for (guint i = 0; self->results != NULL && i < self->results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (self->results, i));
      gint64 start, end;

      if (t->store_slot > 0 && fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_STORE, &start, &end))
        append_rect (snapshot, &p->phase[FP_DOWNLOAD_PHASE_STORE], x_at (l, start),
                     l->disk_y + (t->store_slot - 1) * DISK_LANE, MAX ((end - start) * l->scale, 1),
                     DISK_LANE - 1);
    }
}

/* The legend: a swatch of each phase's colour, and each outcome's shape. */
static void
draw_legend (FpTimelineView *self,
             GtkSnapshot    *snapshot,
             const Layout   *l,
             const Palette  *p)
{
  struct { const char *label; int kind; } items[] = {
    { fp_download_phase_get_label (FP_DOWNLOAD_PHASE_QUEUE), FP_DOWNLOAD_PHASE_QUEUE },
    { fp_download_phase_get_label (FP_DOWNLOAD_PHASE_CONNECT), FP_DOWNLOAD_PHASE_CONNECT },
    { fp_download_phase_get_label (FP_DOWNLOAD_PHASE_WAIT), FP_DOWNLOAD_PHASE_WAIT },
    { fp_download_phase_get_label (FP_DOWNLOAD_PHASE_RECEIVE), FP_DOWNLOAD_PHASE_RECEIVE },
    { fp_download_phase_get_label (FP_DOWNLOAD_PHASE_STORE), FP_DOWNLOAD_PHASE_STORE },
    { C_("timeline legend", "Not found"), 10 },
    { C_("timeline legend", "Error"), 11 },
  };
  double x = 6, y = l->legend_y + LEGEND_ROW / 2.0;

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      PangoLayout *layout = fp_drawing_get_text_layout (GTK_WIDGET (self), items[i].label, 1.0);
      int text_w, text_h;
      double item_w;

      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      item_w = 22 + text_w * 0.85 + 14;
      if (x + item_w > l->width && x > 6)
        {
          x = 6;
          y += LEGEND_ROW;
        }
      if (items[i].kind < FP_DOWNLOAD_N_PHASES)
        append_rect (snapshot, &p->phase[items[i].kind], x, y - 5, 16, 10);
      else
        {
          append_rect (snapshot, &p->base, x, y - 5, 16, 10);
          append_rect (snapshot, &p->phase[FP_DOWNLOAD_PHASE_WAIT], x, y - 5, 16, 10);
          if (items[i].kind == 10)
            append_rect (snapshot, &p->bg, x + 1, y - 5 + 10 / 3.0, 14, 10 / 3.0);
          else
            append_rect (snapshot, &p->error, x + 12, y - 6, 4, 12);
        }
      fp_drawing_append_text (GTK_WIDGET (self), snapshot, items[i].label, x + 22, y, &p->fg, 0.0, 0.85);
      x += item_w;
    }
}

void
_fp_timeline_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (widget);
  Layout l;
  Palette p;

  compute_layout (self, &l);
  get_palette (widget, &p);
  self->n_frames++;

  draw_axis (self, snapshot, &l, &p);
  draw_queue (self, snapshot, &l, &p);
  draw_lanes (self, snapshot, &l, &p);
  draw_disk (self, snapshot, &l, &p);
  draw_legend (self, snapshot, &l, &p);

  /* "Now", moving while the batch runs; the end once it is over. */
  if (l.now_us > 0)
    append_rect (snapshot, l.live ? &p.accent : &p.dim, x_at (&l, l.now_us) - (l.live ? 1 : 0.5),
                 l.queue_y, l.live ? 2 : 1, l.disk_y - l.queue_y);
}

void
_fp_timeline_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (widget);
  guint n_slots = MAX (self->n_slots, 1);
  int fixed = AXIS_HEIGHT + QUEUE_HEIGHT + 3 * STRIP_GAP + 4 * DISK_LANE;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = (int) gutter_width (self) + RIGHT_PAD + 120;
      *natural = 720;
    }
  else
    {
      /* Without a width, the narrowest: the legend's most rows. */
      int legend = LEGEND_ROW * legend_rows (for_size >= 0 ? for_size : 0);

      *minimum = fixed + legend + (int) n_slots * min_lane (n_slots);
      *natural = fixed + legend + (int) n_slots * CLAMP (360 / (int) n_slots, 4, MAX_LANE);
    }
}

GtkSizeRequestMode
_fp_timeline_view_get_request_mode (GtkWidget *widget)
{
  /* The legend wraps into more rows on a narrow widget. */
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

/* Returns: (nullable): the request drawn at (@x, @y). */
FpDownloadResult *
_fp_timeline_view_hit_test (FpTimelineView *self,
                            double          x,
                            double          y)
{
  Layout l;
  guint slot;
  gint64 t;

  compute_layout (self, &l);
  if (self->results == NULL || y < l.lanes_y || y >= l.lanes_y + self->n_slots * l.lane_h || x < l.x0)
    return NULL;
  slot = (guint) ((y - l.lanes_y) / l.lane_h) + 1;
  t = (gint64) ((x - l.x0) / l.scale);
  for (guint i = 0; i < self->results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (self->results, i);
      const FpDownloadTimeline *tl = fp_download_result_get_timeline (result);
      /* A bar at least 3 px wide, like the one drawn. */
      gint64 slack = (gint64) (1.5 / l.scale);

      if (tl->slot == slot && tl->started - slack <= t && t <= tl->network_end + slack)
        return result;
    }
  return NULL;
}
