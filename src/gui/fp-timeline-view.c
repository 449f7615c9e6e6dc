/* fp-timeline-view.c — a lane per worker slot, a bar per request, drawn live
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-timeline-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "fp-timeline-private.h"

/*
 * What the chapter's table only states, drawn: time runs left to right,
 * fitted to the width; each worker slot is a lane; each request a bar on
 * the lane of the slot that ran it, coloured by phase (connect, server
 * wait, receive). Above the lanes, the queue: how many requests still wait
 * for a worker, a block that shrinks as they are taken. Below, the disk
 * threads that checked and saved each flag. One at a time, a single lane
 * carries every bar end to end and the queue drains slowly; twenty at a
 * time, twenty lanes carry them side by side and the queue is gone at once.
 *
 * Drawing reads the batch's results (and, live, what each slot fetches now,
 * lock-free) when GTK asks for a frame; while a batch runs a tick callback
 * asks for one frame per frame, never one per request, however many
 * complete. Hit-testing for the tooltip and keyboard focus uses the same
 * geometry (compute_layout()) as the drawing.
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
  guint n_frames;

  GArray *order;               /* guint: results by start, for the keyboard */
  guint order_len;             /* results->len when `order` was made */
  int focused;                 /* index into order, -1 */
  char *details;
};

G_DEFINE_FINAL_TYPE (FpTimelineView, fp_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BATCH,
  PROP_DETAILS,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              const char *fallback,
              GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Colours from the style: libadwaita's named palette, and the text colour
 * for everything neutral, so the dark style and high contrast work. */
static void
get_palette (GtkWidget *widget,
             Palette   *p)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &p->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  lookup_color (widget, "view_bg_color", "#ffffff", &p->bg);
  p->dim = p->fg;
  p->dim.alpha *= 0.35f;
  p->base = p->fg;
  p->base.alpha *= 0.10f;
  p->phase[FP_DOWNLOAD_PHASE_QUEUE] = p->fg;
  p->phase[FP_DOWNLOAD_PHASE_QUEUE].alpha *= 0.30f;
  lookup_color (widget, "purple_3", "#9141ac", &p->phase[FP_DOWNLOAD_PHASE_CONNECT]);
  lookup_color (widget, "blue_3", "#3584e4", &p->phase[FP_DOWNLOAD_PHASE_WAIT]);
  lookup_color (widget, "green_4", "#2ec27e", &p->phase[FP_DOWNLOAD_PHASE_RECEIVE]);
  lookup_color (widget, "orange_3", "#ff7800", &p->phase[FP_DOWNLOAD_PHASE_STORE]);
  lookup_color (widget, "error_color", "#c01c28", &p->error);
  lookup_color (widget, "accent_color", "#1c71d8", &p->accent);
}

static gint64
now_us (FpTimelineView *self)
{
  if (self->batch != NULL && fp_download_batch_get_running (self->batch) &&
      fp_download_batch_get_start_time (self->batch) != 0)
    return g_get_monotonic_time () - fp_download_batch_get_start_time (self->batch);
  return (gint64) (self->elapsed_s * G_USEC_PER_SEC);
}

static gboolean
is_live (FpTimelineView *self)
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

static void
compute_layout (FpTimelineView *self,
                Layout         *l)
{
  double span_us, lanes_space;
  guint n_slots = MAX (self->n_slots, 1);

  l->width = gtk_widget_get_width (GTK_WIDGET (self));
  l->height = gtk_widget_get_height (GTK_WIDGET (self));
  l->live = is_live (self);
  l->now_us = now_us (self);
  l->n_store = count_store_slots (self);

  /* Fit to the width; live, leave room to grow so bars do not rush. */
  span_us = l->live ? MAX (l->now_us * 1.15, 0.5 * G_USEC_PER_SEC) : MAX (l->now_us * 1.01, 1000.0);
  l->x0 = GUTTER_WIDTH;
  l->scale = MAX (l->width - GUTTER_WIDTH - RIGHT_PAD, 10) / span_us;

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

  if (w <= 0 || h <= 0)
    return;
  graphene_rect_init (&rect, (float) x, (float) y, (float) MAX (w, 1.0), (float) h);
  gtk_snapshot_append_color (snapshot, color, &rect);
}

static void
append_text (FpTimelineView *self,
             GtkSnapshot    *snapshot,
             const char     *text,
             double          x,
             double          y,
             const GdkRGBA  *color,
             gboolean        right_aligned,
             double          scale)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  if (scale != 1.0)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (right_aligned ? x - width : x),
                                                         (float) (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
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
        append_text (self, snapshot, label, x + 3, AXIS_HEIGHT / 2.0, &p->dim, FALSE, 0.8);
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

  append_text (self, snapshot, C_("timeline strip", "Queue"), l->x0 - 4, l->queue_y + QUEUE_HEIGHT / 2.0,
               &p->dim, TRUE, 0.8);

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

          append_text (self, snapshot, label, l->x0 - 4, y + l->lane_h / 2.0, &p->dim, TRUE,
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
  append_text (self, snapshot, C_("timeline strip", "Disk"), l->x0 - 4,
               l->disk_y + MAX (l->n_store, 1) * DISK_LANE / 2.0, &p->dim, TRUE, 0.7);
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
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), items[i].label);
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
      append_text (self, snapshot, items[i].label, x + 22, y, &p->fg, FALSE, 0.85);
      x += item_w;
    }
}

static void
fp_timeline_view_snapshot (GtkWidget   *widget,
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

static void
fp_timeline_view_measure (GtkWidget      *widget,
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
      *minimum = GUTTER_WIDTH + RIGHT_PAD + 120;
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

static GtkSizeRequestMode
fp_timeline_view_get_request_mode (GtkWidget *widget)
{
  /* The legend wraps into more rows on a narrow widget. */
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
ensure_order (FpTimelineView *self)
{
  if (self->results == NULL)
    return;
  if (self->order != NULL && self->order_len == self->results->len)
    return;

  g_clear_pointer (&self->order, g_array_unref);
  self->order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->results->len);
  for (guint i = 0; i < self->results->len; i++)
    g_array_append_val (self->order, i);

  /* By start; those that never started go last. */
  for (guint i = 1; i < self->order->len; i++)
    {
      guint value = g_array_index (self->order, guint, i);
      gint64 key = fp_download_result_get_timeline (g_ptr_array_index (self->results, value))->started;
      guint j = i;

      if (key == FP_TIMELINE_NONE)
        key = G_MAXINT64;
      /* Insertion sort: results arrive almost in start order already. */
      while (j > 0)
        {
          gint64 other = fp_download_result_get_timeline (
            g_ptr_array_index (self->results, g_array_index (self->order, guint, j - 1)))->started;

          if (other == FP_TIMELINE_NONE)
            other = G_MAXINT64;
          if (other <= key)
            break;
          g_array_index (self->order, guint, j) = g_array_index (self->order, guint, j - 1);
          j--;
        }
      g_array_index (self->order, guint, j) = value;
    }
  self->order_len = self->results->len;
}

static char *
describe_result (FpDownloadResult *result)
{
  const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *facts = fp_download_timeline_describe (t, fp_download_result_get_size (result));

  /* TRANSLATORS: "BR on worker 3: downloaded" */
  g_string_append_printf (text, _("%s on worker %u: %s"), fp_download_result_get_code (result), t->slot,
                          fp_download_result_get_message (result));
  if (facts != NULL)
    g_string_append_printf (text, "\n%s", facts);
  for (FpDownloadPhase phase = FP_DOWNLOAD_PHASE_CONNECT; phase < FP_DOWNLOAD_N_PHASES; phase++)
    {
      gint64 start, end;

      if (fp_download_timeline_get_phase (t, phase, &start, &end))
        /* TRANSLATORS: "Server wait: 0.412 s to 1.433 s" */
        g_string_append_printf (text, _("\n%s: %.3f s to %.3f s"), fp_download_phase_get_label (phase),
                                start / 1e6, end / 1e6);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_details (FpTimelineView *self,
             char           *details)
{
  if (g_strcmp0 (self->details, details) == 0)
    {
      g_free (details);
      return;
    }
  g_free (self->details);
  self->details = details;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  details != NULL ? details : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}

/* Returns: (nullable): the request drawn at (@x, @y). */
static FpDownloadResult *
hit_test (FpTimelineView *self,
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

static gboolean
query_tooltip_cb (FpTimelineView *self,
                  int             x,
                  int             y,
                  gboolean        keyboard_mode,
                  GtkTooltip     *tooltip)
{
  FpDownloadResult *result = NULL;
  g_autofree char *text = NULL;

  if (keyboard_mode)
    {
      if (self->details == NULL)
        return FALSE;
      gtk_tooltip_set_text (tooltip, self->details);
      return TRUE;
    }
  result = hit_test (self, x, y);
  if (result == NULL)
    return FALSE;
  text = describe_result (result);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_focused (FpTimelineView *self,
             int             index)
{
  ensure_order (self);
  if (self->order == NULL || self->order->len == 0)
    return;
  self->focused = CLAMP (index, 0, (int) self->order->len - 1);
  set_details (self, describe_result (g_ptr_array_index (self->results,
                                                         g_array_index (self->order, guint, self->focused))));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FpTimelineView        *self)
{
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      set_focused (self, self->focused + 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      set_focused (self, self->focused < 0 ? 0 : self->focused - 1);
      return TRUE;
    case GDK_KEY_Home:
      set_focused (self, 0);
      return TRUE;
    case GDK_KEY_End:
      set_focused (self, G_MAXINT);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            FpTimelineView  *self)
{
  FpDownloadResult *result = hit_test (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  ensure_order (self);
  if (result == NULL || self->order == NULL)
    return;
  for (guint k = 0; k < self->order->len; k++)
    if (g_ptr_array_index (self->results, g_array_index (self->order, guint, k)) == result)
      set_focused (self, (int) k);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (widget);

  ensure_order (self);
  gtk_widget_queue_draw (widget);
  if (is_live (self))
    return G_SOURCE_CONTINUE;

  /* The last frame, then rest. */
  self->tick_id = 0;
  self->elapsed_s = self->batch != NULL ? fp_download_batch_get_elapsed (self->batch) : self->elapsed_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
  return G_SOURCE_REMOVE;
}

static void
batch_running_cb (FpDownloadBatch *batch,
                  GParamSpec      *pspec,
                  FpTimelineView  *self)
{
  if (fp_download_batch_get_running (batch) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
drop_source (FpTimelineView *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->record);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->order, g_array_unref);
  self->order_len = 0;
  self->focused = -1;
  self->n_slots = 0;
  self->n_total = 0;
  self->elapsed_s = 0;
}

static void
fp_timeline_view_dispose (GObject *object)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (object);

  drop_source (self);
  g_clear_pointer (&self->details, g_free);

  G_OBJECT_CLASS (fp_timeline_view_parent_class)->dispose (object);
}

static void
fp_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, is_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_BATCH:
      fp_timeline_view_set_batch (FP_TIMELINE_VIEW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_timeline_view_class_init (FpTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_timeline_view_dispose;
  object_class->get_property = fp_timeline_view_get_property;
  object_class->set_property = fp_timeline_view_set_property;
  widget_class->snapshot = fp_timeline_view_snapshot;
  widget_class->measure = fp_timeline_view_measure;
  widget_class->get_request_mode = fp_timeline_view_get_request_mode;

  properties[PROP_BATCH] =
    g_param_spec_object ("batch", NULL, NULL, FP_TYPE_DOWNLOAD_BATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FpTimelineView:details:
   *
   * The request under keyboard focus, for a person: its code, worker,
   * phases and outcome.
   */
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fptimelineview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fp_timeline_view_init (FpTimelineView *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->focused = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect_swapped (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline of the downloads: a lane per worker, a bar per request; "
                                    "Left and Right go from request to request"), -1);
}

GtkWidget *
fp_timeline_view_new (void)
{
  return g_object_new (FP_TYPE_TIMELINE_VIEW, NULL);
}

/**
 * fp_timeline_view_set_batch:
 * @batch: (nullable): a batch, running or about to, or done
 *
 * Shows @batch's timeline, live while it runs.
 */
void
fp_timeline_view_set_batch (FpTimelineView  *self,
                            FpDownloadBatch *batch)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));
  g_return_if_fail (batch == NULL || FP_IS_DOWNLOAD_BATCH (batch));

  if (self->batch == batch && batch != NULL)
    return;
  drop_source (self);
  if (batch != NULL)
    {
      self->batch = g_object_ref (batch);
      self->results = g_ptr_array_ref (fp_download_batch_get_results (batch));
      self->n_slots = fp_download_batch_get_workers (batch);
      self->n_total = fp_download_batch_get_n_total (batch);
      self->elapsed_s = fp_download_batch_get_elapsed (batch);
      g_signal_connect (batch, "notify::running", G_CALLBACK (batch_running_cb), self);
      batch_running_cb (batch, NULL, self);
    }
  set_details (self, NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
}

FpDownloadBatch *
fp_timeline_view_get_batch (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), NULL);
  return self->batch;
}

/**
 * fp_timeline_view_set_record:
 * @record: (nullable): a run from the history
 *
 * Shows a run that ended, as it happened.
 */
void
fp_timeline_view_set_record (FpTimelineView *self,
                             FpRunRecord    *record)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));

  drop_source (self);
  if (record != NULL)
    {
      self->record = g_object_ref (record);
      self->results = g_ptr_array_ref (fp_run_record_get_results (record));
      self->n_slots = fp_run_record_get_workers (record);
      self->n_total = fp_run_record_get_n_requested (record);
      self->elapsed_s = fp_run_record_get_elapsed (record);
    }
  ensure_order (self);
  set_details (self, NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
fp_timeline_view_clear (FpTimelineView *self)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));
  fp_timeline_view_set_record (self, NULL);
}

/* Returns: (nullable): what the focused request did, for a person. */
const char *
fp_timeline_view_get_details (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), NULL);
  return self->details;
}

gboolean
fp_timeline_view_get_live (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), FALSE);
  return is_live (self);
}

guint
fp_timeline_view_get_n_slots (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), 0);
  return self->n_slots;
}

/* Returns: how many times it was drawn: a test counts frames, not requests. */
guint
fp_timeline_view_get_n_frames (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), 0);
  return self->n_frames;
}

/**
 * fp_timeline_view_get_stats:
 *
 * The live figures of what it shows: in flight now, done per second,
 * mean time per request, Little's law.
 */
void
fp_timeline_view_get_stats (FpTimelineView  *self,
                            FpTimelineStats *stats)
{
  guint in_flight = 0;
  gint64 busy = 0, now;

  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));

  now = now_us (self);
  if (is_live (self))
    for (guint slot = 1; slot <= self->n_slots; slot++)
      {
        gint64 since;

        if (fp_download_batch_peek_slot (self->batch, slot, NULL, &since))
          {
            in_flight++;
            busy += MAX (now - since, 0);
          }
      }
  fp_timeline_stats_compute (stats, self->results, in_flight, busy, now);
}

/* Returns: whether @code is shown; it then has the keyboard focus's mark. */
gboolean
fp_timeline_view_focus_request (FpTimelineView *self,
                                const char     *code)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), FALSE);

  ensure_order (self);
  for (guint k = 0; self->order != NULL && k < self->order->len; k++)
    if (g_strcmp0 (fp_download_result_get_code (g_ptr_array_index (self->results,
                                                                   g_array_index (self->order, guint, k))),
                   code) == 0)
      {
        set_focused (self, (int) k);
        return TRUE;
      }
  return FALSE;
}
