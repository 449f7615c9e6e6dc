/* fp-run-insights.c — the window's Timeline, History and Compare pages, and what feeds them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-insights"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fp-application.h"
#include "fp-compare-panel.h"
#include "fp-country-list.h"
#include "fp-history-view.h"
#include "fp-run-insights.h"
#include "fp-timeline-panel.h"

/*
 * What the window composes to show why concurrency helps. It follows the
 * window's current FpRun: the Timeline page shows its batch live; when the
 * run ends it becomes a record in the history (saved on a worker thread),
 * and the speed-up against the history's earlier one-at-a-time run of the
 * same work goes to the run before it ends (fp_run_set_sequential_time()),
 * so the window's summary says it. The History page reopens a run on the
 * Timeline page. The Compare page asks the window for the selection and
 * the source ("compare-requested"), then runs an FpComparison, whose runs
 * also go to the history. The window only adds the pages to its view stack
 * and hands over its runs.
 */

struct _FpRunInsights
{
  GObject parent_instance;

  FpRunHistory *history;
  AdwViewStack *stack;          /* weak: the window's */

  GtkWidget *timeline_page;
  GtkLabel *timeline_title;
  FpTimelinePanel *panel;
  GtkWidget *history_page;
  GtkLabel *history_warning;
  FpHistoryView *history_view;
  FpComparePanel *compare_panel;
  GtkWidget *compare_page;

  FpRun *run;
  FpCountryList *countries;     /* the window's selection, for Compare */
  FpBatchConfig *config;        /* of the batch followed */
  FpDownloadBatch *batch;
  FpRunRecord *shown;           /* the ended run the timeline shows */
  GCancellable *details_cancellable; /* reading a run's details to show it */
  FpComparison *comparison;
  char *speed_up_text;
};

G_DEFINE_FINAL_TYPE (FpRunInsights, fp_run_insights, G_TYPE_OBJECT)

enum {
  COMPARE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
history_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The runs stay in the model: the next save tries again. */
  if (!fp_run_history_save_finish (FP_RUN_HISTORY (source), result, &error))
    g_message ("Cannot save the history of runs: %s", error->message);
  if (user_data != NULL)
    g_application_release (user_data);
}

static void
save_history (FpRunInsights *self)
{
  GApplication *app = g_application_get_default ();

  /* Closing the window right after a run must not lose it. */
  if (app != NULL)
    g_application_hold (app);
  fp_run_history_save_async (self->history, NULL, history_saved_cb, app);
}

static void
set_title (FpRunInsights *self,
           FpRunRecord   *record,
           gboolean       live)
{
  g_autofree char *title = record != NULL ? fp_history_view_dup_title (record) : NULL;
  g_autofree char *text = NULL;

  if (title == NULL)
    text = g_strdup (_("No run yet"));
  else if (live)
    /* TRANSLATORS: over the live timeline: "Now: 20 flags · 20 at a time (threads)" */
    text = g_strdup_printf (_("Now: %s"), title);
  else
    text = g_steal_pointer (&title);
  gtk_label_set_label (self->timeline_title, text);
}

static void
batch_running_cb (FpDownloadBatch *batch,
                  GParamSpec      *pspec,
                  FpRunInsights   *self)
{
  g_autoptr(FpRunRecord) record = NULL;
  FpRunRecord *baseline;

  if (fp_download_batch_get_running (batch) || fp_download_batch_get_start_time (batch) == 0)
    return;

  /* Ended: kept in the history, with its speed-up against it. */
  g_signal_handlers_disconnect_by_func (batch, batch_running_cb, self);
  record = fp_run_record_new_from_config (self->config, batch);
  baseline = fp_run_history_find_baseline (self->history, record);
  g_clear_pointer (&self->speed_up_text, g_free);
  if (baseline != NULL && fp_run_record_get_complete (record))
    self->speed_up_text = fp_run_record_describe_speedup (record, baseline);
  fp_run_history_add (self->history, record);
  save_history (self);
  g_set_object (&self->shown, record);
  set_title (self, record, FALSE);
}

/**
 * fp_run_insights_follow_batch:
 * @config: what @batch was made from
 * @batch: the window's new batch, not started yet or just started
 *
 * Shows @batch live on the Timeline page and keeps it in the history when
 * it ends (unless it could not run at all).
 *
 * Returns: the history's latest one-at-a-time time of the same work, 0
 *   when there is none: what the run's speed-up compares with
 */
double
fp_run_insights_follow_batch (FpRunInsights   *self,
                              FpBatchConfig   *config,
                              FpDownloadBatch *batch)
{
  g_autoptr(FpRunRecord) provisional = NULL;

  g_return_val_if_fail (FP_IS_RUN_INSIGHTS (self), 0);
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (config), 0);
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (batch), 0);

  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_func (self->batch, batch_running_cb, self);
  g_set_object (&self->batch, batch);
  g_set_object (&self->config, config);
  g_clear_object (&self->shown);
  fp_timeline_panel_set_batch (self->panel, batch);
  g_signal_connect_object (batch, "notify::running", G_CALLBACK (batch_running_cb), self, 0);

  provisional = fp_run_record_new_from_config (config, batch);
  set_title (self, provisional, TRUE);
  return fp_run_history_find_sequential_time (self->history, provisional);
}

static void
run_batch_cb (FpRun         *run,
              GParamSpec    *pspec,
              FpRunInsights *self)
{
  double sequential;

  if (fp_run_get_batch (run) == NULL || fp_run_get_batch (run) == self->batch)
    return;
  sequential = fp_run_insights_follow_batch (self, fp_run_get_config (run), fp_run_get_batch (run));
  /* The run's summary compares with the history's latest one at a time. */
  if (sequential > 0 && fp_run_get_workers (run) > 1)
    fp_run_set_sequential_time (run, sequential);
}

/**
 * fp_run_insights_follow_run:
 * @run: the window's new run, started or about to be
 */
void
fp_run_insights_follow_run (FpRunInsights *self,
                            FpRun         *run)
{
  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (FP_IS_RUN (run));

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  g_signal_connect_object (run, "notify::batch", G_CALLBACK (run_batch_cb), self, 0);
  run_batch_cb (run, NULL, self);
}

/* Shows an ended run on the Timeline page. */
void
fp_run_insights_show_record (FpRunInsights *self,
                             FpRunRecord   *record)
{
  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));

  g_set_object (&self->shown, record);
  fp_timeline_panel_set_record (self->panel, record);
  set_title (self, record, FALSE);
  if (self->stack != NULL)
    adw_view_stack_set_visible_child_name (self->stack, "timeline");
}

/* Returns: (transfer none) (nullable): the ended run the timeline shows. */
FpRunRecord *
fp_run_insights_get_shown_record (FpRunInsights *self)
{
  g_return_val_if_fail (FP_IS_RUN_INSIGHTS (self), NULL);
  return self->shown;
}

/* Returns: (transfer full) (nullable): the last run's speed-up against the
 * history, "13.2× faster than one at a time (18.62 s)". */
char *
fp_run_insights_dup_speed_up_text (FpRunInsights *self)
{
  g_return_val_if_fail (FP_IS_RUN_INSIGHTS (self), NULL);
  return g_strdup (self->speed_up_text);
}

static void
details_loaded_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FpRunInsights) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpRunRecord) record = NULL;

  record = fp_run_history_load_details_finish (FP_RUN_HISTORY (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->details_cancellable);
  if (record == NULL)
    {
      /* Said where the user clicked; the history itself is fine. */
      gtk_label_set_label (self->history_warning, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->history_warning), TRUE);
      return;
    }
  fp_run_insights_show_record (self, record);
}

/**
 * fp_run_insights_reopen_record:
 * @record: a run of the history
 *
 * What a click on a run of the History page does: reads the run's details
 * off the main thread (only the newest runs keep them, each in a file of
 * its own), then shows it on the Timeline page; or says on the History
 * page why it cannot.
 */
void
fp_run_insights_reopen_record (FpRunInsights *self,
                               FpRunRecord   *record)
{
  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (FP_IS_RUN_RECORD (record));

  g_cancellable_cancel (self->details_cancellable);
  g_clear_object (&self->details_cancellable);
  self->details_cancellable = g_cancellable_new ();
  fp_run_history_load_details_async (self->history, record, self->details_cancellable, details_loaded_cb,
                                     g_object_ref (self));
}

static void
run_activated_cb (FpHistoryView *view,
                  FpRunRecord   *record,
                  FpRunInsights *self)
{
  fp_run_insights_reopen_record (self, record);
}

static void
history_warning_cb (FpRunHistory  *history,
                    GParamSpec    *pspec,
                    FpRunInsights *self)
{
  const char *warning = fp_run_history_get_warning (history);

  gtk_label_set_label (self->history_warning, warning != NULL ? warning : "");
  gtk_widget_set_visible (GTK_WIDGET (self->history_warning), warning != NULL);
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  fp_run_history_load_finish (FP_RUN_HISTORY (source), result, NULL);
}

static void
compare_start_requested_cb (FpComparePanel *panel,
                            FpRunInsights  *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (panel));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = NULL;
  g_autoptr(FpRun) run = NULL;

  /* Without a selection to follow, whoever made the pages answers. */
  if (self->countries == NULL || !FP_IS_APPLICATION (app))
    {
      g_signal_emit (self, signals[COMPARE_REQUESTED], 0);
      return;
    }
  codes = fp_country_list_dup_selected_codes (self->countries);
  if (codes[0] == NULL)
    {
      fp_compare_panel_set_status (panel, _("Select at least one country to compare."));
      return;
    }
  /* A run never started: the configuration and server a download would use. */
  run = fp_application_new_run (FP_APPLICATION (app), (const char * const *) codes, &error);
  if (run == NULL)
    {
      fp_compare_panel_set_status (panel, error->message);
      return;
    }
  fp_run_insights_start_comparison (self, fp_run_get_config (run), fp_run_get_server (run));
}

/**
 * fp_run_insights_set_selection:
 * @countries: the window's country list: Compare runs its selection
 */
void
fp_run_insights_set_selection (FpRunInsights *self,
                               gpointer       countries)
{
  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (FP_IS_COUNTRY_LIST (countries));
  g_set_object (&self->countries, countries);
}

static void
comparison_run_completed_cb (FpComparison  *comparison,
                             FpRunRecord   *record,
                             FpRunInsights *self)
{
  fp_run_history_add (self->history, record);
}

static void
comparison_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FpRunInsights) self = user_data;

  fp_comparison_run_finish (FP_COMPARISON (source), result, NULL);
  save_history (self);
}

/**
 * fp_run_insights_start_comparison:
 * @config: the selection, source and destination, as a batch would have them
 * @server: (nullable): the running built-in server, for that source
 *
 * Runs the Compare page's series on @config's selection.
 */
void
fp_run_insights_start_comparison (FpRunInsights *self,
                                  FpBatchConfig *config,
                                  FpFlagServer  *server)
{
  g_autoptr(GArray) series = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source_id = NULL;
  FpSource *source;
  const char *base_url;

  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (FP_IS_BATCH_CONFIG (config));

  if (self->comparison != NULL && fp_comparison_get_running (self->comparison))
    return;
  series = fp_compare_panel_dup_series (self->compare_panel, &error);
  source = fp_batch_config_get_source (config);
  base_url = fp_batch_config_resolve_base_url (config, server);
  if (series == NULL || base_url == NULL)
    return;

  g_clear_object (&self->comparison);
  self->comparison = fp_comparison_new (fp_batch_config_get_codes (config), base_url,
                                        fp_source_get_extension (source),
                                        fp_batch_config_get_destination (config));
  fp_comparison_set_concurrencies (self->comparison, series);
  fp_comparison_set_timeout (self->comparison, fp_batch_config_get_timeout (config));
  source_id = fp_run_record_dup_source_id (source);
  if (fp_source_get_kind (source) == FP_SOURCE_KIND_BUILTIN)
    fp_comparison_set_source (self->comparison, source_id, fp_batch_config_get_server_min_delay (config),
                              fp_batch_config_get_server_max_delay (config),
                              fp_batch_config_get_server_error_rate (config));
  else
    fp_comparison_set_source (self->comparison, source_id, 0, 0, 0);
  g_signal_connect_object (self->comparison, "run-completed", G_CALLBACK (comparison_run_completed_cb), self, 0);
  fp_compare_panel_set_comparison (self->compare_panel, self->comparison);
  fp_comparison_run_async (self->comparison, NULL, comparison_done_cb, g_object_ref (self));
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static GBytes *
build_trace (FpRunInsights *self)
{
  FpDownloadBatch *batch = self->batch;
  char *text;

  if (self->shown != NULL && fp_run_record_get_results (self->shown)->len > 0)
    text = fp_trace_to_string (fp_run_record_get_results (self->shown), fp_run_record_get_workers (self->shown),
                               fp_run_record_get_strategy (self->shown), fp_run_record_get_elapsed (self->shown));
  else if (batch != NULL)
    text = fp_trace_to_string (fp_download_batch_get_results (batch), fp_download_batch_get_workers (batch),
                               fp_download_batch_get_strategy (batch), fp_download_batch_get_elapsed (batch));
  else
    return NULL;
  return g_bytes_new_take (text, strlen (text));
}

/**
 * fp_run_insights_export_timeline_async:
 * @file: where the trace goes
 *
 * Writes what the Timeline page shows as Chrome trace-event JSON, on a
 * worker thread; fails with %G_IO_ERROR_NOT_FOUND when nothing ran yet.
 */
void
fp_run_insights_export_timeline_async (FpRunInsights       *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_run_insights_export_timeline_async);
  bytes = build_trace (self);
  if (bytes == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("No run to export yet"));
      return;
    }
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb, g_steal_pointer (&task));
}

gboolean
fp_run_insights_export_timeline_finish (FpRunInsights  *self,
                                        GAsyncResult   *result,
                                        GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!fp_run_insights_export_timeline_finish (FP_RUN_INSIGHTS (source), result, &error))
    g_message ("Cannot export the timeline: %s", error->message);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    FpRunInsights   *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      fp_run_insights_export_timeline_async (self, file, NULL, exported_cb, NULL);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

/* Export Timeline…: asks where (GTK 4.8 has no GtkFileDialog), then writes. */
void
fp_run_insights_choose_export (FpRunInsights *self,
                               GtkWindow     *parent)
{
  GtkFileChooserNative *dialog;

  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));

  dialog = gtk_file_chooser_native_new (_("Export Timeline"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), "flagpole-trace.json");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
export_clicked_cb (GtkButton     *button,
                   FpRunInsights *self)
{
  fp_run_insights_choose_export (self, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))));
}

static void
build_pages (FpRunInsights *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *export = gtk_button_new_with_mnemonic (_("_Export Timeline…"));
  GtkWidget *panel = fp_timeline_panel_new ();
  GtkWidget *history_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *warning = gtk_label_new (NULL);
  GtkWidget *history = fp_history_view_new ();
  GtkWidget *compare = fp_compare_panel_new ();

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_set_tooltip_text (export, _("Save the timeline as a trace file that Perfetto and chrome://tracing open"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export), NULL);
  g_signal_connect (export, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), export);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (panel, TRUE);
  gtk_box_append (GTK_BOX (box), panel);
  /* A narrow window scrolls the page rather than squeezing the lanes. */
  self->timeline_page = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->timeline_page), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->timeline_page), box);
  self->timeline_title = GTK_LABEL (title);
  self->panel = FP_TIMELINE_PANEL (panel);

  gtk_label_set_wrap (GTK_LABEL (warning), TRUE);
  gtk_widget_add_css_class (warning, "warning");
  gtk_widget_set_margin_top (warning, 12);
  gtk_widget_set_margin_start (warning, 12);
  gtk_widget_set_margin_end (warning, 12);
  gtk_widget_set_visible (warning, FALSE);
  gtk_widget_set_vexpand (history, TRUE);
  gtk_box_append (GTK_BOX (history_box), warning);
  gtk_box_append (GTK_BOX (history_box), history);
  g_signal_connect (history, "run-activated", G_CALLBACK (run_activated_cb), self);
  self->history_page = history_box;
  self->history_warning = GTK_LABEL (warning);
  self->history_view = FP_HISTORY_VIEW (history);
  fp_history_view_set_history (self->history_view, self->history);

  gtk_widget_set_margin_start (compare, 12);
  gtk_widget_set_margin_end (compare, 12);
  gtk_widget_set_margin_top (compare, 12);
  gtk_widget_set_margin_bottom (compare, 12);
  g_signal_connect (compare, "start-requested", G_CALLBACK (compare_start_requested_cb), self);
  self->compare_panel = FP_COMPARE_PANEL (compare);
  self->compare_page = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->compare_page), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->compare_page), compare);

  /* Held until attached, and after: the stack may go first. */
  g_object_ref_sink (self->timeline_page);
  g_object_ref_sink (self->history_page);
  g_object_ref_sink (self->compare_page);
  set_title (self, NULL, FALSE);
}

static void
fp_run_insights_dispose (GObject *object)
{
  FpRunInsights *self = FP_RUN_INSIGHTS (object);

  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_func (self->batch, batch_running_cb, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->config);
  g_clear_object (&self->countries);
  g_cancellable_cancel (self->details_cancellable);
  g_clear_object (&self->details_cancellable);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_data (self->history, self);
  if (self->comparison != NULL)
    fp_comparison_cancel (self->comparison);
  g_clear_object (&self->comparison);
  g_clear_object (&self->shown);
  if (self->stack != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->stack), (gpointer *) &self->stack);
  self->stack = NULL;
  g_clear_object (&self->timeline_page);
  g_clear_object (&self->history_page);
  g_clear_object (&self->compare_page);
  self->compare_panel = NULL;
  g_clear_object (&self->history);

  G_OBJECT_CLASS (fp_run_insights_parent_class)->dispose (object);
}

static void
fp_run_insights_finalize (GObject *object)
{
  g_free (FP_RUN_INSIGHTS (object)->speed_up_text);
  G_OBJECT_CLASS (fp_run_insights_parent_class)->finalize (object);
}

static void
fp_run_insights_class_init (FpRunInsightsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_run_insights_dispose;
  object_class->finalize = fp_run_insights_finalize;

  /**
   * FpRunInsights::compare-requested:
   *
   * The Compare button was pressed: answer with
   * fp_run_insights_start_comparison() and the window's selection.
   */
  signals[COMPARE_REQUESTED] =
    g_signal_new ("compare-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fp_run_insights_init (FpRunInsights *self)
{
}

/**
 * fp_run_insights_new:
 * @history: (nullable): the history to show and add to; %NULL for the
 *   user's, loaded on a worker thread
 */
FpRunInsights *
fp_run_insights_new (FpRunHistory *history)
{
  FpRunInsights *self = g_object_new (FP_TYPE_RUN_INSIGHTS, NULL);

  if (history != NULL)
    self->history = g_object_ref (history);
  else
    {
      self->history = fp_run_history_new (NULL);
      fp_run_history_load_async (self->history, NULL, history_loaded_cb, NULL);
    }
  build_pages (self);
  g_signal_connect (self->history, "notify::warning", G_CALLBACK (history_warning_cb), self);
  history_warning_cb (self->history, NULL, self);
  return self;
}

FpRunHistory *
fp_run_insights_get_history (FpRunInsights *self)
{
  g_return_val_if_fail (FP_IS_RUN_INSIGHTS (self), NULL);
  return self->history;
}

/**
 * fp_run_insights_attach:
 * @stack: the window's view stack
 *
 * Adds the pages "timeline", "history" and "compare" to @stack.
 */
void
fp_run_insights_attach (FpRunInsights *self,
                        AdwViewStack  *stack)
{
  AdwViewStackPage *page;

  g_return_if_fail (FP_IS_RUN_INSIGHTS (self));
  g_return_if_fail (self->stack == NULL);

  self->stack = stack;
  g_object_add_weak_pointer (G_OBJECT (stack), (gpointer *) &self->stack);
  page = adw_view_stack_add_titled (stack, self->timeline_page, "timeline", _("Timeline"));
  adw_view_stack_page_set_icon_name (page, "power-profile-performance-symbolic");
  page = adw_view_stack_add_titled (stack, self->history_page, "history", _("History"));
  adw_view_stack_page_set_icon_name (page, "document-open-recent-symbolic");
  page = adw_view_stack_add_titled (stack, self->compare_page, "compare", _("Compare"));
  adw_view_stack_page_set_icon_name (page, "view-continuous-symbolic");
}
