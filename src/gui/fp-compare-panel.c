/* fp-compare-panel.c — the Compare view: a series to run, the chart, the live lanes, a table to copy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-compare-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-compare-panel.h"
#include "fp-comparison-chart.h"
#include "fp-timeline-view.h"

/*
 * The panel shows a comparison; whoever owns the selection and the
 * source makes it. The Compare button asks for one through the
 * "start-requested" signal with the series typed here, and Cancel calls
 * fp_comparison_cancel(). While a comparison runs, the lanes of its
 * current batch show below the chart, so each run can be watched.
 */

struct _FpComparePanel
{
  GtkWidget parent_instance;

  GtkEntry *series_entry;
  GtkButton *start_button;
  GtkLabel *status_label;
  FpComparisonChart *chart;
  FpTimelineView *lanes;
  GtkLabel *table_label;
  GtkButton *copy_button;

  FpComparison *comparison;
};

G_DEFINE_FINAL_TYPE (FpComparePanel, fp_compare_panel, GTK_TYPE_WIDGET)

enum {
  START_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update (FpComparePanel *self)
{
  g_autofree char *table = NULL;
  g_autofree char *status = NULL;
  gboolean running = self->comparison != NULL && fp_comparison_get_running (self->comparison);

  gtk_button_set_label (self->start_button, running ? _("_Cancel") : _("_Compare"));
  if (running)
    gtk_widget_remove_css_class (GTK_WIDGET (self->start_button), "suggested-action");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->start_button), "suggested-action");

  if (self->comparison == NULL)
    status = g_strdup (_("Runs the selected flags one at a time, then with each strategy at every "
                         "concurrency of the series, one run after another."));
  else if (running)
    /* TRANSLATORS: "Run 3 of 15…" */
    status = g_strdup_printf (_("Run %u of %u…"), fp_comparison_get_n_done (self->comparison) + 1,
                              fp_comparison_get_n_runs (self->comparison));
  else
    /* TRANSLATORS: "15 runs of 20 flags" */
    status = g_strdup_printf (ngettext ("%u run of %u flags", "%u runs of %u flags",
                                        fp_comparison_get_n_done (self->comparison)),
                              fp_comparison_get_n_done (self->comparison),
                              fp_comparison_get_n_codes (self->comparison));
  gtk_label_set_label (self->status_label, status);

  table = fp_compare_panel_dup_table (self);
  gtk_label_set_label (self->table_label, table != NULL ? table : "");
  gtk_widget_set_sensitive (GTK_WIDGET (self->copy_button), table != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->lanes), running);
}

static void
comparison_changed_cb (FpComparison   *comparison,
                       GParamSpec     *pspec,
                       FpComparePanel *self)
{
  fp_timeline_view_set_batch (self->lanes, fp_comparison_get_batch (comparison));
  update (self);
}

static void
start_clicked_cb (GtkButton      *button,
                  FpComparePanel *self)
{
  if (self->comparison != NULL && fp_comparison_get_running (self->comparison))
    {
      fp_comparison_cancel (self->comparison);
      return;
    }
  g_signal_emit (self, signals[START_REQUESTED], 0);
}

static void
copy_clicked_cb (GtkButton      *button,
                 FpComparePanel *self)
{
  g_autofree char *table = fp_compare_panel_dup_table (self);

  if (table != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), table);
}

static void
fp_compare_panel_dispose (GObject *object)
{
  FpComparePanel *self = FP_COMPARE_PANEL (object);
  GtkWidget *child;

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_clear_object (&self->comparison);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fp_compare_panel_parent_class)->dispose (object);
}

static void
fp_compare_panel_class_init (FpComparePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_compare_panel_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fpcomparepanel");

  /**
   * FpComparePanel::start-requested:
   *
   * The Compare button was pressed: make a comparison of the selection
   * with fp_compare_panel_dup_series(), show it here, and run it.
   */
  signals[START_REQUESTED] =
    g_signal_new ("start-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fp_compare_panel_init (FpComparePanel *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *series_label = gtk_label_new_with_mnemonic (_("_Downloads at a time"));
  GtkWidget *entry = gtk_entry_new ();
  GtkWidget *start = gtk_button_new_with_mnemonic (_("_Compare"));
  GtkWidget *status = gtk_label_new (NULL);
  GtkWidget *chart = fp_comparison_chart_new ();
  GtkWidget *lanes = fp_timeline_view_new ();
  GtkWidget *table_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *table = gtk_label_new (NULL);
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);

  gtk_label_set_mnemonic_widget (GTK_LABEL (series_label), entry);
  /* Narrow windows: the label wraps and the entry shrinks before the row overflows. */
  gtk_label_set_ellipsize (GTK_LABEL (series_label), PANGO_ELLIPSIZE_END);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), 6);
  gtk_editable_set_text (GTK_EDITABLE (entry), "1, 2, 5, 10, 20, 50, 100");
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (entry, _("Concurrencies to run, from 1 to 100, separated by commas"));
  g_signal_connect (start, "clicked", G_CALLBACK (start_clicked_cb), self);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (start_clicked_cb), self);
  gtk_box_append (GTK_BOX (row), series_label);
  gtk_box_append (GTK_BOX (row), entry);
  gtk_box_append (GTK_BOX (row), start);
  gtk_widget_set_parent (row, GTK_WIDGET (self));

  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_widget_add_css_class (status, "dim-label");
  gtk_widget_set_parent (status, GTK_WIDGET (self));

  gtk_widget_set_vexpand (chart, TRUE);
  gtk_widget_set_parent (chart, GTK_WIDGET (self));

  gtk_widget_set_size_request (lanes, -1, 160);
  gtk_widget_set_visible (lanes, FALSE);
  gtk_widget_set_parent (lanes, GTK_WIDGET (self));

  gtk_label_set_selectable (GTK_LABEL (table), TRUE);
  gtk_label_set_xalign (GTK_LABEL (table), 0);
  gtk_label_set_yalign (GTK_LABEL (table), 0);
  gtk_widget_add_css_class (table, "monospace");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), table);
  gtk_widget_set_hexpand (scroller, TRUE);
  gtk_widget_set_tooltip_text (copy, _("Copy the table"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the table"), -1);
  gtk_widget_set_valign (copy, GTK_ALIGN_START);
  g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), self);
  gtk_box_append (GTK_BOX (table_row), scroller);
  gtk_box_append (GTK_BOX (table_row), copy);
  gtk_widget_set_parent (table_row, GTK_WIDGET (self));

  self->series_entry = GTK_ENTRY (entry);
  self->start_button = GTK_BUTTON (start);
  self->status_label = GTK_LABEL (status);
  self->chart = FP_COMPARISON_CHART (chart);
  self->lanes = FP_TIMELINE_VIEW (lanes);
  self->table_label = GTK_LABEL (table);
  self->copy_button = GTK_BUTTON (copy);
  update (self);
}

GtkWidget *
fp_compare_panel_new (void)
{
  return g_object_new (FP_TYPE_COMPARE_PANEL, NULL);
}

/**
 * fp_compare_panel_set_comparison:
 * @comparison: (nullable): the comparison to show, running or done
 */
void
fp_compare_panel_set_comparison (FpComparePanel *self,
                                 FpComparison   *comparison)
{
  g_return_if_fail (FP_IS_COMPARE_PANEL (self));

  if (self->comparison != NULL)
    g_signal_handlers_disconnect_by_data (self->comparison, self);
  g_set_object (&self->comparison, comparison);
  if (comparison != NULL)
    {
      g_signal_connect (comparison, "notify::n-done", G_CALLBACK (comparison_changed_cb), self);
      g_signal_connect (comparison, "notify::running", G_CALLBACK (comparison_changed_cb), self);
      g_signal_connect (comparison, "notify::batch", G_CALLBACK (comparison_changed_cb), self);
    }
  fp_comparison_chart_set_comparison (self->chart, comparison);
  fp_timeline_view_set_batch (self->lanes, comparison != NULL ? fp_comparison_get_batch (comparison) : NULL);
  update (self);
}

FpComparison *
fp_compare_panel_get_comparison (FpComparePanel *self)
{
  g_return_val_if_fail (FP_IS_COMPARE_PANEL (self), NULL);
  return self->comparison;
}

/* Returns: (transfer full): the series typed, or %NULL with why not. */
GArray *
fp_compare_panel_dup_series (FpComparePanel  *self,
                             GError         **error)
{
  GArray *series = NULL;

  g_return_val_if_fail (FP_IS_COMPARE_PANEL (self), NULL);

  if (!fp_comparison_parse_concurrencies (gtk_editable_get_text (GTK_EDITABLE (self->series_entry)),
                                          &series, error))
    return NULL;
  return series;
}

/* Says why a comparison did not start, where its progress would show. */
void
fp_compare_panel_set_status (FpComparePanel *self,
                             const char     *text)
{
  g_return_if_fail (FP_IS_COMPARE_PANEL (self));
  gtk_label_set_label (self->status_label, text);
}

/* Returns: (transfer full) (nullable): the table, as the Copy button copies it. */
char *
fp_compare_panel_dup_table (FpComparePanel *self)
{
  g_return_val_if_fail (FP_IS_COMPARE_PANEL (self), NULL);

  if (self->comparison == NULL || fp_comparison_get_records (self->comparison)->len == 0)
    return NULL;
  return fp_comparison_format_table (self->comparison);
}
