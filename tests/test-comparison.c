/* test-comparison.c — the comparison runner: its series, every strategy, ideal times, the table, cancel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-comparison"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-engine-enums.h"
#include "fp-test-support.h"

static void
test_comparison_parse (void)
{
  g_autoptr(GArray) values = NULL;
  g_autoptr(GArray) strategies = NULL;
  g_autoptr(GArray) all = fp_comparison_dup_all_strategies ();
  g_autoptr(GError) error = NULL;
  GEnumClass *klass = g_type_class_ref (FP_TYPE_DOWNLOAD_STRATEGY);
  const char *bad[] = { "", "0", "101", "abc", "1,x", "-5", NULL };

  g_assert_true (fp_comparison_parse_concurrencies ("20, 5 1,5;100", &values, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (values->len, ==, 4);
  g_assert_cmpuint (g_array_index (values, guint, 0), ==, 1);
  g_assert_cmpuint (g_array_index (values, guint, 1), ==, 5);
  g_assert_cmpuint (g_array_index (values, guint, 2), ==, 20);
  g_assert_cmpuint (g_array_index (values, guint, 3), ==, 100);
  g_clear_pointer (&values, g_array_unref);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (fp_comparison_parse_concurrencies (bad[i], &values, &error));
      g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }

  /* Every registered strategy, whatever the enum holds. */
  g_assert_cmpuint (all->len, ==, klass->n_values);
  g_assert_true (fp_comparison_parse_strategies ("all", &strategies, &error));
  g_assert_cmpuint (strategies->len, ==, klass->n_values);
  g_clear_pointer (&strategies, g_array_unref);
  g_assert_true (fp_comparison_parse_strategies ("threads,sequential", &strategies, &error));
  g_assert_cmpuint (strategies->len, ==, 2);
  /* In the enum's order, so one at a time comes first. */
  g_assert_cmpint (g_array_index (strategies, FpDownloadStrategy, 0), ==, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_clear_pointer (&strategies, g_array_unref);
  g_assert_false (fp_comparison_parse_strategies ("fibers", &strategies, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "threads"));
  g_type_class_unref (klass);
}

static void
test_comparison_plan (void)
{
  g_autoptr(GFile) dest = g_file_new_for_path ("/nonexistent");
  const char *codes[] = { "BR", "CN", NULL };
  g_autoptr(FpComparison) comparison = fp_comparison_new (codes, "http://127.0.0.1:1", "png", dest);
  GEnumClass *klass = g_type_class_ref (FP_TYPE_DOWNLOAD_STRATEGY);

  /* One at a time once; every other strategy at each of the 7 defaults. */
  g_assert_cmpuint (fp_comparison_get_concurrencies (comparison)->len, ==, 7);
  g_assert_cmpuint (fp_comparison_get_n_runs (comparison), ==, 1 + 7 * (klass->n_values - 1));
  g_type_class_unref (klass);

  /* No latency known: no ideal. */
  g_assert_cmpfloat (fp_comparison_get_ideal (comparison, 2), <, 0);
  fp_comparison_set_source (comparison, "builtin", 0.5, 0.5, 0);
  g_assert_cmpfloat_with_epsilon (fp_comparison_get_ideal (comparison, 1), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (fp_comparison_get_ideal (comparison, 100), 0.5, 1e-9);
  /* A latency that varies: its mean. */
  fp_comparison_set_source (comparison, "builtin", 0.2, 0.6, 0);
  g_assert_cmpfloat_with_epsilon (fp_comparison_get_ideal (comparison, 1), 0.8, 1e-9);
  fp_comparison_set_source (comparison, "http://example.org/flags", 0, 0, 0);
  g_assert_cmpfloat (fp_comparison_get_ideal (comparison, 1), <, 0);
}

typedef struct {
  guint started;
  guint completed;
  gboolean cancel_after_first;
  gboolean cancel_at_start;
  GCancellable *cancellable;
  FpComparison *comparison;
} Watch;

static void
run_started_cb (FpComparison    *comparison,
                FpDownloadBatch *batch,
                Watch           *w)
{
  w->started++;
  g_assert_true (fp_comparison_get_batch (comparison) == batch);
  g_assert_false (fp_download_batch_get_running (batch));
  if (w->cancel_at_start && w->started == 1)
    g_cancellable_cancel (w->cancellable);
}

static void
run_completed_cb (FpComparison *comparison,
                  FpRunRecord  *record,
                  Watch        *w)
{
  w->completed++;
  g_assert_cmpstr (fp_run_record_get_comparison (record), ==, fp_comparison_get_id (comparison));
  if (w->cancel_after_first)
    fp_comparison_cancel (comparison);
}

static FpComparison *
make_comparison (FpFlagServer *server,
                 const char   *dest,
                 guint         n_codes,
                 const char   *concurrencies,
                 double        delay)
{
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  g_autofree char **codes = g_new0 (char *, n_codes + 1);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(GArray) series = NULL;
  g_autoptr(GArray) strategies = NULL;
  FpComparison *comparison;

  for (guint i = 0; i < n_codes; i++)
    codes[i] = all[i];
  comparison = fp_comparison_new ((const char * const *) codes, fp_flag_server_get_base_url (server),
                                  "png", dest_file);
  g_assert_true (fp_comparison_parse_concurrencies (concurrencies, &series, NULL));
  fp_comparison_set_concurrencies (comparison, series);
  /* The strategies this test knows it can run anywhere. */
  g_assert_true (fp_comparison_parse_strategies ("sequential,threads", &strategies, NULL));
  fp_comparison_set_strategies (comparison, strategies);
  fp_comparison_set_source (comparison, "builtin", delay, delay, 0);
  return comparison;
}

static void
test_comparison_run (void)
{
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(FpComparison) comparison = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  GAsyncResult *slot = NULL;
  GPtrArray *records;
  JsonArray *runs;
  Watch w = { 0 };
  const double delay = 0.05;
  const guint expected_c[] = { 1, 1, 3, 6 };

  g_assert_true (fp_flag_server_start (server, 0, &error));
  fp_flag_server_set_delay (server, delay, delay);

  comparison = make_comparison (server, root, 6, "6,1,3", delay);
  g_signal_connect (comparison, "run-started", G_CALLBACK (run_started_cb), &w);
  g_signal_connect (comparison, "run-completed", G_CALLBACK (run_completed_cb), &w);
  g_assert_cmpuint (fp_comparison_get_n_runs (comparison), ==, 4);

  fp_comparison_run_async (comparison, NULL, fp_test_store_result_cb, &slot);
  g_assert_true (fp_comparison_get_running (comparison));
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_comparison_run_finish (comparison, result, &error));
  g_assert_no_error (error);
  g_assert_false (fp_comparison_get_running (comparison));
  g_assert_cmpuint (w.started, ==, 4);
  g_assert_cmpuint (w.completed, ==, 4);

  /* One after another, never two at once. */
  g_assert_cmpuint (fp_flag_server_get_peak_in_flight (server), <=, 6);
  g_assert_cmpuint (fp_flag_server_get_request_count (server), ==, 4 * 6);

  records = fp_comparison_get_records (comparison);
  g_assert_cmpuint (records->len, ==, 4);
  for (guint i = 0; i < records->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (records, i);
      double ideal = fp_comparison_get_ideal (comparison, fp_run_record_get_workers (record));

      g_assert_cmpuint (fp_run_record_get_n_ok (record), ==, 6);
      g_assert_cmpuint (fp_run_record_get_workers (record), ==, expected_c[i]);
      /* Each wave waits the server's delay: the ideal is a lower bound. */
      g_assert_cmpfloat (ideal, ==, ceil (6.0 / expected_c[i]) * delay);
      g_assert_cmpfloat (fp_run_record_get_elapsed (record), >=, ideal);
    }
  g_assert_cmpint (fp_run_record_get_strategy (g_ptr_array_index (records, 0)), ==,
                   FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_assert_cmpfloat (fp_comparison_get_sequential_time (comparison), ==,
                     fp_run_record_get_elapsed (g_ptr_array_index (records, 0)));

  /* The JSON the command line prints. */
  json = fp_comparison_to_json (comparison);
  runs = json_object_get_array_member (json_node_get_object (json), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);

      g_assert_cmpstr (json_object_get_string_member (run, "strategy"), ==, i == 0 ? "sequential" : "threads");
      g_assert_cmpint (json_object_get_int_member (run, "concurrency"), ==, expected_c[i]);
      g_assert_cmpint (json_object_get_int_member (run, "ok"), ==, 6);
      g_assert_cmpint (json_object_get_int_member (run, "not_found"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (run, "error"), ==, 0);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (run, "ideal_s"),
                                      ceil (6.0 / expected_c[i]) * delay, 1e-6);
      g_assert_cmpfloat (json_object_get_double_member (run, "elapsed_s"), >, 0);
      g_assert_true (json_object_has_member (run, "speedup"));
    }

  table = fp_comparison_format_table (comparison);
  g_test_message ("%s", table);
  lines = g_strsplit (table, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);   /* head, 4 runs, "" */
  g_assert_true (g_str_has_prefix (lines[1], "sequential"));
  g_assert_true (g_str_has_prefix (lines[2], "threads"));
  /* Columns line up, counted in characters. */
  for (guint i = 1; i < 5; i++)
    g_assert_cmpint (g_utf8_strlen (lines[i], -1), ==, g_utf8_strlen (lines[0], -1));

  fp_flag_server_stop (server);
  fp_test_remove_tree (root);
}

static void
test_comparison_cancel (gconstpointer data)
{
  gboolean at_start = GPOINTER_TO_INT (data);
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(FpComparison) comparison = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  Watch w = { 0 };

  g_assert_true (fp_flag_server_start (server, 0, &error));
  comparison = make_comparison (server, root, 3, "1,2,3", 0.01);
  w.cancellable = cancellable;
  w.cancel_at_start = at_start;
  w.cancel_after_first = !at_start;
  g_signal_connect (comparison, "run-started", G_CALLBACK (run_started_cb), &w);
  g_signal_connect (comparison, "run-completed", G_CALLBACK (run_completed_cb), &w);

  fp_comparison_run_async (comparison, cancellable, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_false (fp_comparison_run_finish (comparison, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Nothing ran after the cancel. */
  g_assert_cmpuint (w.started, ==, 1);
  g_assert_cmpuint (fp_comparison_get_records (comparison)->len, ==, at_start ? 0 : 1);
  g_assert_false (fp_comparison_get_running (comparison));

  fp_flag_server_stop (server);
  fp_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/comparison/parse", test_comparison_parse);
  g_test_add_func ("/comparison/plan", test_comparison_plan);
  g_test_add_func ("/comparison/run", test_comparison_run);
  g_test_add_data_func ("/comparison/cancel/after-first-run", GINT_TO_POINTER (FALSE), test_comparison_cancel);
  g_test_add_data_func ("/comparison/cancel/during-a-run", GINT_TO_POINTER (TRUE), test_comparison_cancel);

  return g_test_run ();
}
