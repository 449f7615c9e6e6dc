/* test-run-insights.c — the Timeline, History and Compare pages fed by real runs: history, speed-up, export
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run-insights"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-compare-panel.h"
#include "fp-engine-enums.h"
#include "fp-gui-test-support.h"
#include "fp-run-insights.h"
#include "fp-test-support.h"

typedef struct {
  FpFlagServer *server;
  char *root;
  GFile *dest;
  FpRunHistory *history;
  FpRunInsights *insights;
  GtkWidget *window;
  AdwViewStack *stack;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *switcher = adw_view_switcher_title_new ();
  GtkWidget *bar = NULL;

  f->server = fp_flag_server_new (NULL);
  g_assert_true (fp_flag_server_start (f->server, 0, NULL));
  fp_flag_server_set_delay (f->server, 0.05, 0.05);
  f->root = fp_test_make_temp_dir ();
  f->dest = g_file_new_for_path (f->root);
  path = g_build_filename (f->root, "data", "history.json", NULL);
  file = g_file_new_for_path (path);
  f->history = fp_run_history_new (file);
  f->insights = fp_run_insights_new (f->history);

  /* The window's arrangement: a view stack switched from the header. */
  f->window = adw_window_new ();
  f->stack = ADW_VIEW_STACK (adw_view_stack_new ());
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (switcher), f->stack);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), switcher);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (GTK_WIDGET (f->stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->stack));
  (void) bar;
  adw_window_set_content (ADW_WINDOW (f->window), box);
  fp_run_insights_attach (f->insights, f->stack);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1100, 760);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fp_gui_test_destroy_window (GTK_WINDOW (f->window));
  g_assert_finalize_object (f->insights);
  g_clear_object (&f->history);
  fp_flag_server_stop (f->server);
  g_clear_object (&f->server);
  fp_test_remove_tree (f->root);
  g_free (f->root);
  g_clear_object (&f->dest);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language != NULL && *language ? language : "en");

  fp_gui_test_settle (window);
  fp_gui_test_save_screenshot (window, full);
}

static FpBatchConfig *
make_config (Fixture            *f,
             guint               concurrency,
             FpDownloadStrategy  strategy)
{
  g_auto(GStrv) top = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_autoptr(FpSource) source = fp_source_new_builtin ();
  FpBatchConfig *config = fp_batch_config_new ();

  fp_batch_config_set_codes (config, (const char * const *) top);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, f->dest);
  fp_batch_config_set_concurrency (config, concurrency);
  fp_batch_config_set_strategy (config, strategy);
  fp_batch_config_set_server_delay (config, 0.05, 0.05);
  return config;
}

static gboolean
run_ended (gpointer user_data)
{
  FpRunState state = fp_run_get_state (user_data);

  return state == FP_RUN_STATE_FINISHED || state == FP_RUN_STATE_CANCELLED || state == FP_RUN_STATE_FAILED;
}

static FpRun *
run_once (Fixture            *f,
          guint               concurrency,
          FpDownloadStrategy  strategy)
{
  g_autoptr(FpBatchConfig) config = make_config (f, concurrency, strategy);
  FpRun *run = fp_run_new (config, f->server);

  fp_run_insights_follow_run (f->insights, run);
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the run");
  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FINISHED);
  return run;
}

static gboolean
shows_details (gpointer user_data)
{
  FpRunRecord *shown = fp_run_insights_get_shown_record (user_data);

  return shown != NULL && fp_run_record_get_results (shown)->len > 0;
}

static gboolean
file_exists (gpointer user_data)
{
  return g_file_query_exists (user_data, NULL);
}

static void
test_insights_runs (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FpRun) one = NULL;
  g_autoptr(FpRun) twenty = NULL;
  g_autofree char *speed_up = NULL;
  g_autofree char *trace_path = g_build_filename (f->root, "exported.json", NULL);
  g_autoptr(GFile) trace_file = g_file_new_for_path (trace_path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FpRunHistory) reread = NULL;
  GError *error = NULL;

  adw_view_stack_set_visible_child_name (f->stack, "timeline");
  screenshot (f->window, "insights-empty");

  one = run_once (f, 1, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 1);
  g_assert_nonnull (fp_run_insights_get_shown_record (f->insights));
  /* Nothing earlier to compare the first run with. */
  g_assert_null (fp_run_insights_dup_speed_up_text (f->insights));

  twenty = run_once (f, 20, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, 2);
  /* The summary's speed-up came from the history's one-at-a-time run. */
  g_assert_cmpfloat_with_epsilon (fp_run_get_sequential_time (twenty),
                                  fp_download_batch_get_elapsed (fp_run_get_batch (one)), 1e-9);
  g_assert_cmpfloat (fp_run_get_speed_up (twenty), >, 0);
  speed_up = fp_run_insights_dup_speed_up_text (f->insights);
  g_assert_nonnull (speed_up);
  g_assert_nonnull (strstr (speed_up, "than one at a time"));
  screenshot (f->window, "insights-timeline");

  /* Export Timeline… writes the shown run, on a worker thread. */
  {
    GAsyncResult *slot = NULL;
    g_autoptr(GAsyncResult) result = NULL;

    fp_run_insights_export_timeline_async (f->insights, trace_file, NULL, fp_test_store_result_cb, &slot);
    result = fp_test_wait_for_result (&slot);
    g_assert_true (fp_run_insights_export_timeline_finish (f->insights, result, &error));
    g_assert_no_error (error);
  }
  g_assert_true (json_parser_load_from_file (parser, trace_path, &error));
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "traceEvents"));

  /* The history was saved, newest first, and reopens a run. */
  reread = fp_run_history_new (fp_run_history_get_file (f->history));
  fp_test_iterate_until (file_exists, fp_run_history_get_file (f->history),
                         30, "the saved history");
  adw_view_stack_set_visible_child_name (f->stack, "history");
  screenshot (f->window, "insights-history");
  {
    FpRunRecord *oldest = g_list_model_get_item (G_LIST_MODEL (f->history), 1);

    fp_run_insights_show_record (f->insights, oldest);
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (f->stack), ==, "timeline");
    g_assert_true (fp_run_insights_get_shown_record (f->insights) == oldest);
    g_object_unref (oldest);
  }
  screenshot (f->window, "insights-reopened");

  /* Read back from the file, a run has only its summary until reopened:
   * then its details come from their own file, off the main thread. */
  g_assert_true (fp_run_history_load (reread, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(FpRunInsights) other = fp_run_insights_new (reread);
    g_autoptr(FpRunRecord) first = g_list_model_get_item (G_LIST_MODEL (reread), 0);

    g_assert_cmpuint (fp_run_record_get_results (first)->len, ==, 0);
    fp_run_insights_reopen_record (other, first);
    fp_test_iterate_until (shows_details, other, 30, "the reopened run's details");
    g_assert_cmpstr (fp_run_record_get_id (fp_run_insights_get_shown_record (other)), ==,
                     fp_run_record_get_id (first));
    g_assert_cmpuint (fp_run_record_get_results (fp_run_insights_get_shown_record (other))->len, ==, 20);
  }
}

static gboolean
is_entry (GtkWidget *widget,
          gpointer   data)
{
  return GTK_IS_ENTRY (widget);
}

static void
compare_requested_cb (FpRunInsights *insights,
                      Fixture       *f)
{
  g_autoptr(FpBatchConfig) config = make_config (f, 20, FP_DOWNLOAD_STRATEGY_THREADS);

  fp_run_insights_start_comparison (insights, config, f->server);
}

static gboolean
comparison_done (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWidget *page = fp_gui_test_find_widget_of_type (GTK_WIDGET (f->stack), FP_TYPE_COMPARE_PANEL);
  FpComparison *comparison = fp_compare_panel_get_comparison (FP_COMPARE_PANEL (page));

  return comparison != NULL && !fp_comparison_get_running (comparison);
}

static void
test_insights_compare (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *page, *entry;

  adw_view_stack_set_visible_child_name (f->stack, "compare");
  page = fp_gui_test_find_widget_of_type (adw_view_stack_get_visible_child (f->stack), FP_TYPE_COMPARE_PANEL);
  entry = fp_gui_test_find_widget (page, is_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "1, 2, 5, 10, 20");
  g_signal_connect (f->insights, "compare-requested", G_CALLBACK (compare_requested_cb), f);
  g_signal_emit_by_name (page, "start-requested");

  /* One at a time, and every other strategy at the five concurrencies,
   * each run in the history. */
  fp_test_iterate_until (comparison_done, f, 120, "the comparison");
  /* The comparison's callback and the history's save come after. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (fp_compare_panel_get_comparison (FP_COMPARE_PANEL (page)));
  {
    FpComparison *comparison = fp_compare_panel_get_comparison (FP_COMPARE_PANEL (page));
    GEnumClass *klass = g_type_class_ref (FP_TYPE_DOWNLOAD_STRATEGY);

    g_assert_cmpuint (fp_comparison_get_n_runs (comparison), ==, 1 + 5 * (klass->n_values - 1));
    g_assert_cmpuint (fp_comparison_get_records (comparison)->len, ==, fp_comparison_get_n_runs (comparison));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->history)), ==, fp_comparison_get_n_runs (comparison));
    g_type_class_unref (klass);
  }
  screenshot (f->window, "insights-compare");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (f->window, "insights-compare-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 760);
  screenshot (f->window, "insights-compare-360");
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD_TEST ("/run-insights/runs", test_insights_runs);
  ADD_TEST ("/run-insights/compare", test_insights_compare);

  return g_test_run ();
}
