/* fp-comparison-chart.c — elapsed time against concurrency, per strategy, on log axes, with the ideal
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-comparison-chart"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include "fp-comparison-chart-private.h"
#include "fp-engine-enums.h"
#include "fp-drawing.h"

/*
 * The book's table as a picture. Both axes are logarithmic, so the ideal
 * ceil(n/c)·d — what the run would take if only the server's latency
 * cost time — falls as a straight staircase: ten times the workers, a
 * tenth of the time, until there are more workers than flags. Each
 * strategy is a line of points on it (the closer, the better it uses its
 * workers); one at a time is the flat line at the top, and each point
 * says how many times faster than it the run was. Drawn when a run of
 * the comparison completes, never more.
 */

#define MARGIN_LEFT   58
#define MARGIN_RIGHT  16
#define MARGIN_TOP    14
#define MARGIN_BOTTOM 44
#define LEGEND_ROW    22
#define SPEED_UP_LINE 12     /* a speed-up label's height, at its scale of 0.8 */

struct _FpComparisonChart
{
  GtkWidget parent_instance;

  FpComparison *comparison;
};

G_DEFINE_FINAL_TYPE (FpComparisonChart, fp_comparison_chart, GTK_TYPE_WIDGET)

typedef struct {
  double x0, x1, y0, y1;       /* the plot's box, in pixels */
  double lc0, lc1;             /* log10 of the concurrency range */
  double lt0, lt1;             /* log10 of the time range */
} Frame;

static double
px (const Frame *f,
    double       concurrency)
{
  return f->x0 + (log10 (concurrency) - f->lc0) / MAX (f->lc1 - f->lc0, 1e-9) * (f->x1 - f->x0);
}

static double
py (const Frame *f,
    double       seconds)
{
  return f->y1 - (log10 (MAX (seconds, 1e-6)) - f->lt0) / MAX (f->lt1 - f->lt0, 1e-9) * (f->y1 - f->y0);
}

static void
strategy_color (GtkWidget          *widget,
                FpDownloadStrategy  strategy,
                GdkRGBA            *color)
{
  static const char *names[] = { "orange_3", "blue_3", "green_4", "purple_3", "brown_3", "red_3" };
  static const char *fallbacks[] = { "#ff7800", "#3584e4", "#2ec27e", "#9141ac", "#986a44", "#e01b24" };
  guint i = MIN ((guint) strategy, G_N_ELEMENTS (names) - 1);

  fp_drawing_lookup_color (widget, names[i], fallbacks[i], color);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         w,
             double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

/* A straight line as a thin rotated rectangle: GSK 4.8 has no path nodes. */
static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         xa,
             double         ya,
             double         xb,
             double         yb,
             double         width)
{
  double length = hypot (xb - xa, yb - ya);

  if (length < 0.5)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) xa, (float) ya));
  gtk_snapshot_rotate (snapshot, (float) (atan2 (yb - ya, xb - xa) * 180 / G_PI));
  append_rect (snapshot, color, 0, -width / 2, length, width);
  gtk_snapshot_restore (snapshot);
}

static void
append_dashed (GtkSnapshot   *snapshot,
               const GdkRGBA *color,
               double         xa,
               double         ya,
               double         xb,
               double         yb)
{
  double length = hypot (xb - xa, yb - ya);

  for (double d = 0; d < length; d += 8)
    {
      double e = MIN (d + 4, length);

      append_line (snapshot, color, xa + (xb - xa) * d / length, ya + (yb - ya) * d / length,
                   xa + (xb - xa) * e / length, ya + (yb - ya) * e / length, 1.5);
    }
}

static void
draw_empty (FpComparisonChart *self,
            GtkSnapshot       *snapshot,
            const GdkRGBA     *dim)
{
  fp_drawing_append_text (GTK_WIDGET (self), snapshot,
               _("Compare runs the selection one at a time and at each concurrency; the chart fills as they end."),
               gtk_widget_get_width (GTK_WIDGET (self)) / 2.0, gtk_widget_get_height (GTK_WIDGET (self)) / 2.0,
               dim, 0.5, 0.9);
}

/* The legend's label for entry @s: each strategy, then the ideal curve
 * when the latency is fixed; %NULL past the last. */
static char *
dup_legend_label (FpComparisonChart *self,
                  GArray            *strategies,
                  guint              s)
{
  if (s < strategies->len)
    return g_strdup (fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY,
                                      g_array_index (strategies, FpDownloadStrategy, s)));
  if (s == strategies->len && fp_comparison_get_ideal (self->comparison, 1) > 0)
    /* TRANSLATORS: the chart's legend for the ideal curve */
    return g_strdup (_("ideal: ceil(n/c) × latency"));
  return NULL;
}

/* How wide an entry of the legend is drawn: a swatch, then its label. */
static double
legend_entry_width (const char *label)
{
  return 40 + 7.5 * g_utf8_strlen (label, -1);
}

/* The rows the legend takes at @width: room for them is kept below the
 * axis, and the drawing wraps where this does. */
static int
count_legend_rows (FpComparisonChart *self,
                   GArray            *strategies,
                   int                width)
{
  double x = MARGIN_LEFT;
  int rows = 1;
  char *label;

  for (guint s = 0; (label = dup_legend_label (self, strategies, s)) != NULL; s++)
    {
      if (x + 140 > width && x > MARGIN_LEFT)
        {
          x = MARGIN_LEFT;
          rows++;
        }
      x += legend_entry_width (label);
      g_free (label);
    }
  return rows;
}

static int
compare_labels (gconstpointer a,
                gconstpointer b)
{
  const FpSpeedUpLabel *la = a, *lb = b;

  if (la->x != lb->x)
    return la->x < lb->x ? -1 : 1;
  return la->y < lb->y ? -1 : la->y > lb->y;
}

/**
 * fp_comparison_chart_place_labels:
 * @line_height: how tall a label is
 *
 * Strategies that took about the same time at a concurrency have their
 * points on top of each other, and their speed-up labels would be drawn
 * over each other, unreadable. Of labels in one column (the same x), one
 * that says what a label just above it says is left out (@shown FALSE),
 * and any other that would overlap the one above goes just below it.
 * Sorts @labels by column, then from the top.
 */
void
fp_comparison_chart_place_labels (FpSpeedUpLabel *labels,
                                  guint           n_labels,
                                  double          line_height)
{
  const FpSpeedUpLabel *above = NULL;

  if (n_labels == 0)
    return;
  qsort (labels, n_labels, sizeof *labels, compare_labels);
  for (guint i = 0; i < n_labels; i++)
    {
      FpSpeedUpLabel *label = &labels[i];

      if (above != NULL && above->x == label->x && label->y < above->y + line_height)
        {
          if (g_strcmp0 (above->text, label->text) == 0)
            {
              label->shown = FALSE;
              continue;
            }
          label->y = above->y + line_height;
        }
      label->shown = TRUE;
      above = label;
    }
}

static void
fp_comparison_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  FpComparisonChart *self = FP_COMPARISON_CHART (widget);
  GPtrArray *records = self->comparison != NULL ? fp_comparison_get_records (self->comparison) : NULL;
  GArray *series = self->comparison != NULL ? fp_comparison_get_concurrencies (self->comparison) : NULL;
  GArray *strategies = self->comparison != NULL ? fp_comparison_get_strategies (self->comparison) : NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  double t_min = G_MAXDOUBLE, t_max = 0, c_max = 1, sequential;
  guint n_codes;
  GdkRGBA fg, dim, grid, ideal_color;
  Frame f;
  int legend_rows;
  GArray *labels;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  dim = fg;
  dim.alpha *= 0.55f;
  grid = fg;
  grid.alpha *= 0.12f;
  ideal_color = fg;
  ideal_color.alpha *= 0.6f;

  if (self->comparison == NULL)
    {
      draw_empty (self, snapshot, &dim);
      return;
    }

  n_codes = fp_comparison_get_n_codes (self->comparison);
  sequential = fp_comparison_get_sequential_time (self->comparison);
  for (guint i = 0; i < series->len; i++)
    c_max = MAX (c_max, g_array_index (series, guint, i));
  for (guint i = 0; i < records->len; i++)
    {
      double t = fp_run_record_get_elapsed (g_ptr_array_index (records, i));

      t_min = MIN (t_min, t);
      t_max = MAX (t_max, t);
    }
  if (fp_comparison_get_ideal (self->comparison, 1) > 0)
    {
      t_max = MAX (t_max, fp_comparison_get_ideal (self->comparison, 1));
      t_min = MIN (t_min, fp_comparison_get_ideal (self->comparison, (guint) c_max));
    }
  if (t_max <= 0)
    {
      draw_empty (self, snapshot, &dim);
      return;
    }

  legend_rows = count_legend_rows (self, strategies, width);
  f.x0 = MARGIN_LEFT;
  f.x1 = width - MARGIN_RIGHT;
  f.y0 = MARGIN_TOP;
  f.y1 = height - MARGIN_BOTTOM - LEGEND_ROW * legend_rows;
  f.lc0 = 0;
  f.lc1 = log10 (c_max);
  f.lt0 = floor (log10 (t_min * 0.8) * 2) / 2;
  f.lt1 = ceil (log10 (t_max * 1.25) * 2) / 2;

  /* Grid: each concurrency of the series; 1, 2, 5 × 10ⁿ seconds. */
  for (guint i = 0; i < series->len; i++)
    {
      guint c = g_array_index (series, guint, i);
      g_autofree char *label = g_strdup_printf ("%u", c);
      double x = c_max > 1 ? px (&f, c) : (f.x0 + f.x1) / 2;

      append_rect (snapshot, &grid, x, f.y0, 1, f.y1 - f.y0);
      fp_drawing_append_text (widget, snapshot, label, x, f.y1 + 10, &dim, 0.5, 0.8);
    }
  fp_drawing_append_text (widget, snapshot, _("downloads at a time (c), log scale"), (f.x0 + f.x1) / 2, f.y1 + 28, &dim,
               0.5, 0.8);
  for (int e = (int) floor (f.lt0); e <= (int) ceil (f.lt1); e++)
    for (guint m = 0; m < 3; m++)
      {
        static const double mantissa[] = { 1, 2, 5 };
        double t = mantissa[m] * pow (10, e);
        g_autofree char *label = NULL;

        if (log10 (t) < f.lt0 - 1e-9 || log10 (t) > f.lt1 + 1e-9)
          continue;
        /* TRANSLATORS: a mark on the chart's time axis, in seconds */
        label = g_strdup_printf (_("%g s"), t);
        append_rect (snapshot, &grid, f.x0, py (&f, t), f.x1 - f.x0, 1);
        fp_drawing_append_text (widget, snapshot, label, f.x0 - 6, py (&f, t), &dim, 1.0, 0.8);
      }

  /* The ideal staircase, ceil(n/c)·d, drawn through every c. */
  if (fp_comparison_get_ideal (self->comparison, 1) > 0 && c_max > 1)
    {
      double last_x = px (&f, 1), last_y = py (&f, fp_comparison_get_ideal (self->comparison, 1));

      /* Steps: the time drops only where ceil(n/c) does. */
      for (guint c = 2; c <= (guint) c_max; c++)
        {
          double x = px (&f, c), y = py (&f, fp_comparison_get_ideal (self->comparison, MIN (c, n_codes)));

          if (fabs (y - last_y) < 0.5 && c < (guint) c_max)
            continue;
          append_dashed (snapshot, &ideal_color, last_x, last_y, x, last_y);
          append_dashed (snapshot, &ideal_color, x, last_y, x, y);
          last_x = x;
          last_y = y;
        }
    }

  /* One at a time: the flat line everything is measured against. */
  if (sequential > 0)
    {
      GdkRGBA color;
      g_autofree char *label = NULL;

      strategy_color (widget, FP_DOWNLOAD_STRATEGY_SEQUENTIAL, &color);
      append_rect (snapshot, &color, f.x0, py (&f, sequential) - 1, f.x1 - f.x0, 2);
      /* TRANSLATORS: over the flat line of the chart: "one at a time: 18.62 s" */
      label = g_strdup_printf (_("one at a time: %.2f s"), sequential);
      fp_drawing_append_text (widget, snapshot, label, f.x1 - 4, py (&f, sequential) - 10, &color, 1.0, 0.85);
    }

  /* Each other strategy: its points joined, each with its speed-up. */
  labels = g_array_new (FALSE, TRUE, sizeof (FpSpeedUpLabel));
  for (guint s = 0; s < strategies->len; s++)
    {
      FpDownloadStrategy strategy = g_array_index (strategies, FpDownloadStrategy, s);
      GdkRGBA color;
      double last_x = -1, last_y = -1;

      if (strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
        continue;
      strategy_color (widget, strategy, &color);
      for (guint i = 0; i < records->len; i++)
        {
          FpRunRecord *record = g_ptr_array_index (records, i);
          double x, y, elapsed = fp_run_record_get_elapsed (record);

          if (fp_run_record_get_strategy (record) != strategy)
            continue;
          x = c_max > 1 ? px (&f, fp_run_record_get_concurrency (record)) : (f.x0 + f.x1) / 2;
          y = py (&f, elapsed);
          if (last_x >= 0)
            append_line (snapshot, &color, last_x, last_y, x, y, 2.5);
          append_rect (snapshot, &color, x - 4, y - 4, 8, 8);
          if (sequential > 0 && elapsed > 0)
            {
              /* TRANSLATORS: a point's speed-up on the chart: "13×" */
              FpSpeedUpLabel label = { x + 6, y - 10, g_strdup_printf (_("%.0f×"), sequential / elapsed), TRUE };

              g_array_append_val (labels, label);
            }
          last_x = x;
          last_y = y;
        }
    }
  fp_comparison_chart_place_labels ((FpSpeedUpLabel *) (void *) labels->data, labels->len, SPEED_UP_LINE);
  for (guint i = 0; i < labels->len; i++)
    {
      FpSpeedUpLabel *label = &g_array_index (labels, FpSpeedUpLabel, i);

      int text_width;

      if (label->shown)
        {
          /* One that would run past the edge goes to the left of its point. */
          pango_layout_get_pixel_size (fp_drawing_get_text_layout (widget, label->text, 0.8), &text_width, NULL);
          if (label->x + text_width > width - 2)
            fp_drawing_append_text (widget, snapshot, label->text, label->x - 12, label->y, &fg, 1.0, 0.8);
          else
            fp_drawing_append_text (widget, snapshot, label->text, label->x, label->y, &fg, 0.0, 0.8);
        }
      g_free (label->text);
    }
  g_array_unref (labels);

  /* The legend, below the axis. */
  {
    double x = f.x0, y = height - LEGEND_ROW * legend_rows + LEGEND_ROW / 2.0;

    for (guint s = 0;; s++)
      {
        g_autofree char *label = dup_legend_label (self, strategies, s);
        GdkRGBA color;
        gboolean ideal = s == strategies->len;

        if (label == NULL)
          break;
        if (ideal)
          color = ideal_color;
        else
          strategy_color (widget, g_array_index (strategies, FpDownloadStrategy, s), &color);
        if (x + 140 > width && x > f.x0)
          {
            x = f.x0;
            y += LEGEND_ROW;
          }
        if (ideal)
          append_dashed (snapshot, &color, x, y, x + 18, y);
        else
          append_rect (snapshot, &color, x, y - 2, 18, 4);
        fp_drawing_append_text (widget, snapshot, label, x + 24, y, &fg, 0.0, 0.85);
        x += legend_entry_width (label);
      }
  }
}

static void
fp_comparison_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 220;
      *natural = 360;
    }
}

static void
update_description (FpComparisonChart *self)
{
  g_autofree char *table = self->comparison != NULL ? fp_comparison_format_table (self->comparison) : NULL;

  /* What the picture shows, for those who cannot see it: the table. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  table != NULL ? table : "", -1);
}

static void
comparison_changed_cb (FpComparison      *comparison,
                       GParamSpec        *pspec,
                       FpComparisonChart *self)
{
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fp_comparison_chart_dispose (GObject *object)
{
  FpComparisonChart *self = FP_COMPARISON_CHART (object);

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_clear_object (&self->comparison);

  G_OBJECT_CLASS (fp_comparison_chart_parent_class)->dispose (object);
}

static void
fp_comparison_chart_class_init (FpComparisonChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_comparison_chart_dispose;
  widget_class->snapshot = fp_comparison_chart_snapshot;
  widget_class->measure = fp_comparison_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "fpcomparisonchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fp_comparison_chart_init (FpComparisonChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Chart of elapsed time against downloads at a time, per strategy"), -1);
}

GtkWidget *
fp_comparison_chart_new (void)
{
  return g_object_new (FP_TYPE_COMPARISON_CHART, NULL);
}

/**
 * fp_comparison_chart_set_comparison:
 * @comparison: (nullable): a comparison, running or done
 */
void
fp_comparison_chart_set_comparison (FpComparisonChart *self,
                                    FpComparison      *comparison)
{
  g_return_if_fail (FP_IS_COMPARISON_CHART (self));

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_set_object (&self->comparison, comparison);
  if (comparison != NULL)
    g_signal_connect (comparison, "notify::n-done", G_CALLBACK (comparison_changed_cb), self);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

FpComparison *
fp_comparison_chart_get_comparison (FpComparisonChart *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON_CHART (self), NULL);
  return self->comparison;
}
