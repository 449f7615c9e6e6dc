/* fp-timeline-panel.c — the live timeline with its figures: in flight, throughput, time per request, Little's law
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-timeline-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-timeline-private.h"

/*
 * The figures say in numbers what the lanes show: how many requests are
 * in flight against the c slots, how many finish per second, how long one
 * takes, and Little's law tying the three (in flight = throughput × time
 * per request), with a sentence that says what it means. Labels change a
 * ten times a second at most while a batch runs — text that changes every
 * frame cannot be read, and costs a relayout each time.
 */

#define FIGURES_INTERVAL_US (100 * 1000)
/* The sentences that carry numbers, while the batch runs: a wrapped
 * label whose words change is laid out again, and the window with it
 * (GTK asks the X server about the monitor each time), ten times a second
 * for words nobody can read that fast. */
#define WORDS_INTERVAL_US (1000 * 1000)
#define N_FIGURES 4

struct _FpTimelinePanel
{
  GtkWidget parent_instance;

  GtkWidget *figures;          /* GtkFlowBox */
  /* Inscriptions: a new value redraws them, as a label's new text would
   * lay the page out again. */
  GtkInscription *values[N_FIGURES];
  GtkLabel *captions[N_FIGURES];
  GtkLabel *explanation;
  FpTimelineView *view;
  GtkLabel *details;
  gint64 last_update;
  gint64 last_words_update;    /* when the sentences last got new numbers; 0 while they have none */
  guint tick_id;
};

G_DEFINE_FINAL_TYPE (FpTimelinePanel, fp_timeline_panel, GTK_TYPE_WIDGET)

static void
set_label (GtkLabel   *label,
           const char *text)
{
  /* Unchanged text costs no relayout. */
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
set_value (GtkInscription *value,
           const char     *text)
{
  if (g_strcmp0 (gtk_inscription_get_text (value), text) != 0)
    gtk_inscription_set_text (value, text);
}

/* Figure @index's value: 0 in flight, 1 per second, 2 mean time, 3 Little. */
static char *
format_value (guint                  index,
              const FpTimelineStats *stats,
              guint                  slots,
              gboolean               live)
{
  switch (index)
    {
    case 0:
      /* TRANSLATORS: "17 of 20": requests in flight of the worker slots */
      return g_strdup_printf (_("%.*f of %u"), live ? 0 : 1, live ? (double) stats->in_flight : stats->mean_in_flight,
                              slots);
    case 1:
      return g_strdup_printf ("%.1f", stats->throughput);
    case 2:
      /* TRANSLATORS: a duration in seconds */
      return g_strdup_printf (_("%.2f s"), stats->mean_time_s);
    default:
      /* TRANSLATORS: Little's law with numbers: "14.2 × 1.38 s = 19.6" */
      return g_strdup_printf (_("%.1f × %.2f s = %.1f"), stats->throughput, stats->mean_time_s, stats->little);
    }
}

/* How many characters figure @index's value needs at most, in this
 * language: its format with the widest numbers a batch gives. */
static guint
widest_value (guint index)
{
  static const FpTimelineStats widest = {
    .in_flight = FP_MAX_CONCURRENCY, .mean_in_flight = FP_MAX_CONCURRENCY,
    .throughput = 9999.9, .mean_time_s = 99.99, .little = FP_MAX_CONCURRENCY,
  };
  g_autofree char *live = format_value (index, &widest, FP_MAX_CONCURRENCY, TRUE);
  g_autofree char *over = format_value (index, &widest, FP_MAX_CONCURRENCY, FALSE);

  return (guint) MAX (g_utf8_strlen (live, -1), g_utf8_strlen (over, -1));
}

static void
update_figures (FpTimelinePanel *self)
{
  FpTimelineStats stats;
  guint slots = fp_timeline_view_get_n_slots (self->view);
  gboolean live = fp_timeline_view_get_live (self->view);
  g_autofree char *little_caption = NULL;
  g_autofree char *sentence = NULL;

  fp_timeline_view_get_stats (self->view, &stats);

  if (slots == 0)
    {
      for (guint i = 0; i < N_FIGURES; i++)
        set_value (self->values[i], "–");
      set_label (self->explanation, _("Start a download to see each request on the worker that ran it."));
      return;
    }

  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_autofree char *value = format_value (i, &stats, slots, live);

      set_value (self->values[i], value);
    }
  set_label (self->captions[0], live ? _("In flight now") : _("In flight on average"));

  /* Once they have numbers, the sentences change once a second at most
   * while the batch runs, and at once when it ends. */
  if (stats.n_done == 0)
    self->last_words_update = 0;
  else if (live && self->last_words_update != 0 &&
           g_get_monotonic_time () - self->last_words_update < WORDS_INTERVAL_US)
    return;
  else
    self->last_words_update = g_get_monotonic_time ();
  /* TRANSLATORS: under Little's law: completed per second × time per request, against the measured average */
  little_caption = g_strdup_printf (_("Little’s law: per second × time each = in flight (measured %.1f)"),
                                    stats.mean_in_flight);
  set_label (self->captions[3], little_caption);

  if (stats.n_done == 0)
    sentence = g_strdup (_("Waiting for the first answers…"));
  else
    /* TRANSLATORS: the plain meaning of Little's law for this run */
    sentence = g_strdup_printf (ngettext ("Each request takes %.2f s however many run at once. With %u worker, "
                                          "%.1f requests are in flight on average, so %.1f finish every second: "
                                          "more in flight, more done per second.",
                                          "Each request takes %.2f s however many run at once. With %u workers, "
                                          "%.1f requests are in flight on average, so %.1f finish every second: "
                                          "more in flight, more done per second.", slots),
                                stats.mean_time_s, slots, stats.mean_in_flight, stats.throughput);
  set_label (self->explanation, sentence);
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  FpTimelinePanel *self = FP_TIMELINE_PANEL (widget);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);

  if (now - self->last_update >= FIGURES_INTERVAL_US)
    {
      self->last_update = now;
      update_figures (self);
    }
  if (fp_timeline_view_get_live (self->view))
    return G_SOURCE_CONTINUE;
  update_figures (self);
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
live_changed_cb (FpTimelineView  *view,
                 GParamSpec      *pspec,
                 FpTimelinePanel *self)
{
  if (fp_timeline_view_get_live (view) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  update_figures (self);
}

static void
details_changed_cb (FpTimelineView  *view,
                    GParamSpec      *pspec,
                    FpTimelinePanel *self)
{
  const char *details = fp_timeline_view_get_details (view);

  gtk_label_set_label (self->details, details != NULL ? details
                       : _("Point at a bar, or focus the timeline and press the arrow keys, to see one request."));
}

static GtkWidget *
make_figure (FpTimelinePanel *self,
             guint            index,
             const char      *caption)
{
  guint value_chars = widest_value (index);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *value = gtk_inscription_new ("–");
  GtkWidget *label = gtk_label_new (caption);

  gtk_widget_add_css_class (value, "title-3");
  gtk_widget_add_css_class (value, "numeric");
  gtk_inscription_set_xalign (GTK_INSCRIPTION (value), 0);
  /* Room for its longest value, so that its size never follows its text. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (value), value_chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (value), value_chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (value), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), label);
  self->values[index] = GTK_INSCRIPTION (value);
  self->captions[index] = GTK_LABEL (label);
  /* A figure reads as one thing: its value with its caption. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, label, NULL, -1);
  return box;
}

static void
fp_timeline_panel_dispose (GObject *object)
{
  FpTimelinePanel *self = FP_TIMELINE_PANEL (object);
  GtkWidget *child;

  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fp_timeline_panel_parent_class)->dispose (object);
}

static void
fp_timeline_panel_class_init (FpTimelinePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_timeline_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fptimelinepanel");
}

static void
fp_timeline_panel_init (FpTimelinePanel *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *flow = gtk_flow_box_new ();
  GtkWidget *explanation = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  const char *captions[N_FIGURES] = {
    _("In flight now"), _("Completed per second"), _("Mean time per request"), _("Little’s law"),
  };

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), N_FIGURES);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 18);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  for (guint i = 0; i < N_FIGURES; i++)
    {
      gtk_flow_box_append (GTK_FLOW_BOX (flow), make_figure (self, i, captions[i]));
      gtk_widget_set_focusable (gtk_widget_get_last_child (flow), FALSE);
    }
  self->figures = flow;
  gtk_widget_set_parent (flow, GTK_WIDGET (self));

  gtk_label_set_wrap (GTK_LABEL (explanation), TRUE);
  gtk_label_set_xalign (GTK_LABEL (explanation), 0);
  self->explanation = GTK_LABEL (explanation);
  gtk_widget_set_parent (explanation, GTK_WIDGET (self));

  self->view = FP_TIMELINE_VIEW (fp_timeline_view_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->view), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->view), GTK_WIDGET (self));
  g_signal_connect (self->view, "notify::live", G_CALLBACK (live_changed_cb), self);
  g_signal_connect (self->view, "notify::details", G_CALLBACK (details_changed_cb), self);

  gtk_label_set_wrap (GTK_LABEL (details), TRUE);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_selectable (GTK_LABEL (details), TRUE);
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_add_css_class (details, "dim-label");
  self->details = GTK_LABEL (details);
  gtk_widget_set_parent (details, GTK_WIDGET (self));

  details_changed_cb (self->view, NULL, self);
  update_figures (self);
}

GtkWidget *
fp_timeline_panel_new (void)
{
  return g_object_new (FP_TYPE_TIMELINE_PANEL, NULL);
}

FpTimelineView *
fp_timeline_panel_get_view (FpTimelinePanel *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_PANEL (self), NULL);
  return self->view;
}

void
fp_timeline_panel_set_batch (FpTimelinePanel *self,
                             FpDownloadBatch *batch)
{
  g_return_if_fail (FP_IS_TIMELINE_PANEL (self));
  fp_timeline_view_set_batch (self->view, batch);
  update_figures (self);
}

void
fp_timeline_panel_set_record (FpTimelinePanel *self,
                              FpRunRecord     *record)
{
  g_return_if_fail (FP_IS_TIMELINE_PANEL (self));
  fp_timeline_view_set_record (self->view, record);
  update_figures (self);
}

/* For tests: the value of figure @index (0 in flight, 1 per second, 2 mean time, 3 Little). */
const char *
fp_timeline_panel_get_figure_text (FpTimelinePanel *self,
                                   guint            index)
{
  g_return_val_if_fail (FP_IS_TIMELINE_PANEL (self), NULL);
  g_return_val_if_fail (index < N_FIGURES, NULL);
  return gtk_inscription_get_text (self->values[index]);
}

const char *
fp_timeline_panel_get_explanation (FpTimelinePanel *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_PANEL (self), NULL);
  return gtk_label_get_label (self->explanation);
}
