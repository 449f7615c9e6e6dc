/* fp-history-view.c — the runs kept in the history, newest first; one reopens its timeline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-history-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fp-history-view.h"

/*
 * A list bound to the history's model: a row per run with what it
 * fetched, how, from where, when, and how long it took. Activating a row
 * emits "run-activated"; the window then shows that run's timeline and
 * summary. Runs too old to keep their timeline say so and do not open.
 */

struct _FpHistoryView
{
  GtkWidget parent_instance;

  GtkWidget *stack;
  GtkListBox *list;
  FpRunHistory *history;
};

G_DEFINE_FINAL_TYPE (FpHistoryView, fp_history_view, GTK_TYPE_WIDGET)

enum {
  RUN_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Returns: (transfer full): "20 flags · 20 at a time (threads)". */
char *
fp_history_view_dup_title (FpRunRecord *record)
{
  g_autofree char *flags = g_strdup_printf (ngettext ("%u flag", "%u flags", fp_run_record_get_n_requested (record)),
                                            fp_run_record_get_n_requested (record));
  g_autofree char *how = NULL;

  if (fp_run_record_get_workers (record) == 1)
    how = g_strdup_printf (_("one at a time (%s)"), fp_run_record_get_strategy_name (record));
  else
    how = g_strdup_printf (ngettext ("%u at a time (%s)", "%u at a time (%s)", fp_run_record_get_workers (record)),
                           fp_run_record_get_workers (record), fp_run_record_get_strategy_name (record));
  /* TRANSLATORS: a run in the history: "20 flags · 20 at a time (threads)" */
  return g_strdup_printf (_("%s · %s"), flags, how);
}

/* Returns: (transfer full): when, how long, what came of it, from where. */
char *
fp_history_view_dup_subtitle (FpRunRecord *record)
{
  g_autofree char *when = g_date_time_format (fp_run_record_get_when (record), "%x %X");
  g_autofree char *source = fp_run_record_dup_source_name (record);
  g_autofree char *latency = NULL;

  if (g_strcmp0 (fp_run_record_get_source (record), "builtin") == 0 &&
      fp_run_record_get_delay_min (record) == fp_run_record_get_delay_max (record))
    /* TRANSLATORS: the built-in server's settings of a run: "latency 0.50 s, 0 % errors" */
    latency = g_strdup_printf (_(", latency %.2f s, %.0f %% errors"), fp_run_record_get_delay_min (record),
                               fp_run_record_get_error_rate (record) * 100);
  else if (g_strcmp0 (fp_run_record_get_source (record), "builtin") == 0)
    /* TRANSLATORS: the built-in server's settings of a run: "latency 0.45–1.40 s, 0 % errors" */
    latency = g_strdup_printf (_(", latency %.2f–%.2f s, %.0f %% errors"), fp_run_record_get_delay_min (record),
                               fp_run_record_get_delay_max (record), fp_run_record_get_error_rate (record) * 100);
  /* TRANSLATORS: "12/01/26 14:02:11 · 1.34 s · 20 downloaded, 0 not found, 0 errors · built-in server, latency…" */
  return g_strdup_printf (_("%s · %.2f s · %u downloaded, %u not found, %u errors · %s%s"), when,
                          fp_run_record_get_elapsed (record), fp_run_record_get_n_ok (record),
                          fp_run_record_get_n_not_found (record), fp_run_record_get_n_error (record),
                          source, latency != NULL ? latency : "");
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  FpRunRecord *record = item;
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = fp_history_view_dup_title (record);
  g_autofree char *subtitle = fp_history_view_dup_subtitle (record);
  gboolean detailed = fp_run_record_get_detailed (record);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), detailed);
  if (detailed)
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  else
    gtk_widget_set_tooltip_text (row, _("Only the newest runs keep their timeline"));
  g_object_set_data_full (G_OBJECT (row), "fp-record", g_object_ref (record), g_object_unref);
  return row;
}

static void
row_activated_cb (GtkListBox    *list,
                  GtkListBoxRow *row,
                  FpHistoryView *self)
{
  FpRunRecord *record = g_object_get_data (G_OBJECT (row), "fp-record");

  if (record != NULL)
    g_signal_emit (self, signals[RUN_ACTIVATED], 0, record);
}

static void
items_changed_cb (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  FpHistoryView *self)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}

static void
fp_history_view_dispose (GObject *object)
{
  FpHistoryView *self = FP_HISTORY_VIEW (object);

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_clear_object (&self->history);
  g_clear_pointer (&self->stack, gtk_widget_unparent);

  G_OBJECT_CLASS (fp_history_view_parent_class)->dispose (object);
}

static void
fp_history_view_class_init (FpHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_history_view_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fphistoryview");

  /**
   * FpHistoryView::run-activated:
   * @record: the run to reopen
   */
  signals[RUN_ACTIVATED] =
    g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FP_TYPE_RUN_RECORD);
}

/* Adwaita has no picture of this icon at a status page's 128 px but its
 * SVG, and the first SVG loads librsvg: 6 to 7 MB of a window that may
 * never show its history. So the icon is set when the page is first shown. */
static void
empty_page_map_cb (GtkWidget *empty,
                   gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (empty, empty_page_map_cb, user_data);
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "document-open-recent-symbolic");
}

static void
fp_history_view_init (FpHistoryView *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *empty = adw_status_page_new ();

  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_widget_set_margin_top (list, 12);
  gtk_widget_set_margin_bottom (list, 12);
  gtk_widget_set_margin_start (list, 12);
  gtk_widget_set_margin_end (list, 12);
  g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), self);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), list);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_stack_add_named (GTK_STACK (self->stack), scroller, "list");

  g_signal_connect (empty, "map", G_CALLBACK (empty_page_map_cb), NULL);
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Runs Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Every download is kept here with its timeline, to compare and reopen."));
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");

  self->list = GTK_LIST_BOX (list);
}

GtkWidget *
fp_history_view_new (void)
{
  return g_object_new (FP_TYPE_HISTORY_VIEW, NULL);
}

void
fp_history_view_set_history (FpHistoryView *self,
                             FpRunHistory  *history)
{
  g_return_if_fail (FP_IS_HISTORY_VIEW (self));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  g_set_object (&self->history, history);
  gtk_list_box_bind_model (self->list, history != NULL ? G_LIST_MODEL (history) : NULL, create_row, NULL, NULL);
  if (history != NULL)
    {
      g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), self);
      items_changed_cb (G_LIST_MODEL (history), 0, 0, 0, self);
    }
}
