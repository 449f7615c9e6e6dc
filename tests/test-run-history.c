/* test-run-history.c — the history of runs: kept across sessions, atomic, a damaged file set aside, speed-ups
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run-history"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

typedef struct {
  char *root;
  char *path;
  GFile *file;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->root = fp_test_make_temp_dir ();
  /* A folder that does not exist yet: the first save makes it. */
  f->path = g_build_filename (f->root, "data", "flagpole", "history.json", NULL);
  f->file = g_file_new_for_path (f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fp_test_remove_tree (f->root);
  g_free (f->root);
  g_free (f->path);
  g_object_unref (f->file);
}

/* A real batch against the test server, as a record. */
static FpRunRecord *
record_real_run (Fixture            *f,
                 FpDownloadStrategy  strategy)
{
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "bycode");
  g_autofree char *dest = g_build_filename (f->root, "flags", NULL);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  const char *codes[] = { "BR", "CN", "QZ", NULL };
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", dest_file);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_test_server_set_code_fault (server, "QZ", "404");
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_concurrency (batch, 3);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));
  return fp_run_record_new_from_batch (batch, "builtin", 0.25, 0.25, 0.0);
}

/* A record as the file holds it, with the elapsed time a test needs. */
static FpRunRecord *
make_record (gint64      id_us,
             const char *codes,
             const char *strategy,
             guint       workers,
             double      elapsed,
             double      delay)
{
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) list = g_strsplit (codes, ",", -1);
  g_autoptr(GString) array = g_string_new ("[");
  FpRunRecord *record;

  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf (array, "%s\"%s\"", i > 0 ? "," : "", list[i]);
  g_string_append (array, "]");
  json = g_strdup_printf ("{\"id\": \"%" G_GINT64_FORMAT "-0\", \"when\": \"2026-12-01T10:00:00Z\", "
                          "\"codes\": %s, \"source\": \"builtin\", \"base_url\": \"http://127.0.0.1:1\", "
                          "\"delay_min_s\": %g, \"delay_max_s\": %g, \"error_rate\": 0, "
                          "\"strategy\": \"%s\", \"concurrency\": %u, \"workers\": %u, "
                          "\"requested\": %u, \"ok\": %u, \"not_found\": 0, \"error\": 0, "
                          "\"cancelled\": 0, \"elapsed_s\": %g}",
                          id_us, array->str, delay, delay, strategy, workers, workers,
                          g_strv_length (list), g_strv_length (list), elapsed);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  record = fp_run_record_new_from_json (node, &error);
  g_assert_no_error (error);
  return record;
}

static FpRunRecord *
load_details (FpRunHistory  *history,
              FpRunRecord   *record,
              GError       **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_run_history_load_details_async (history, record, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  return fp_run_history_load_details_finish (history, result, error);
}

static guint
count_details_files (Fixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *runs = g_build_filename (dir, "runs", NULL);
  g_auto(GStrv) names = g_file_test (runs, G_FILE_TEST_IS_DIR) ? fp_test_list_dir (runs) : g_new0 (char *, 1);

  return g_strv_length (names);
}

static void
test_history_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FpRunRecord) record = record_real_run (f, FP_DOWNLOAD_STRATEGY_THREADS);
  g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) again = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) loaded = NULL;
  g_autoptr(FpRunRecord) full = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *before, *after;

  /* No file yet: an empty history, no warning. */
  g_assert_true (fp_run_history_load (history, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
  g_assert_null (fp_run_history_get_warning (history));

  fp_run_history_add (history, record);
  g_assert_true (fp_run_history_save (history, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));

  g_assert_true (fp_run_history_load (again, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);

  g_assert_cmpstr (fp_run_record_get_id (loaded), ==, fp_run_record_get_id (record));
  g_assert_cmpstrv (fp_run_record_get_codes (loaded), fp_run_record_get_codes (record));
  g_assert_cmpstr (fp_run_record_get_source (loaded), ==, "builtin");
  g_assert_cmpfloat (fp_run_record_get_delay_min (loaded), ==, 0.25);
  g_assert_cmpstr (fp_run_record_get_strategy_name (loaded), ==, "threads");
  g_assert_cmpuint (fp_run_record_get_concurrency (loaded), ==, 3);
  g_assert_cmpuint (fp_run_record_get_n_requested (loaded), ==, 3);
  g_assert_cmpuint (fp_run_record_get_n_ok (loaded), ==, 2);
  g_assert_cmpuint (fp_run_record_get_n_not_found (loaded), ==, 1);
  g_assert_cmpuint (fp_run_record_get_n_error (loaded), ==, 0);
  g_assert_true (fp_run_record_get_complete (loaded));
  g_assert_cmpfloat_with_epsilon (fp_run_record_get_elapsed (loaded), fp_run_record_get_elapsed (record), 1e-9);
  g_assert_cmpint (g_date_time_to_unix (fp_run_record_get_when (loaded)), ==,
                   g_date_time_to_unix (fp_run_record_get_when (record)));

  /* The history's file holds only the summary; the details are read when
   * the run is reopened, and every download's timeline comes back. */
  g_assert_true (fp_run_record_get_detailed (loaded));
  g_assert_cmpuint (fp_run_record_get_results (loaded)->len, ==, 0);
  {
    g_autofree char *contents = NULL;

    g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
    g_assert_null (strstr (contents, "\"results\""));
  }
  full = load_details (again, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fp_run_record_get_id (full), ==, fp_run_record_get_id (record));
  before = fp_run_record_get_results (record);
  after = fp_run_record_get_results (full);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      FpDownloadResult *a = g_ptr_array_index (before, i), *b = g_ptr_array_index (after, i);

      g_assert_cmpstr (fp_download_result_get_code (a), ==, fp_download_result_get_code (b));
      g_assert_cmpint (fp_download_result_get_status (a), ==, fp_download_result_get_status (b));
      g_assert_cmpstr (fp_download_result_get_message (a), ==, fp_download_result_get_message (b));
      g_assert_cmpstr (fp_download_result_get_path (a), ==, fp_download_result_get_path (b));
      g_assert_cmpuint (fp_download_result_get_size (a), ==, fp_download_result_get_size (b));
      g_assert_cmpmem (fp_download_result_get_timeline (a), sizeof (FpDownloadTimeline),
                       fp_download_result_get_timeline (b), sizeof (FpDownloadTimeline));
    }
}

static char **
list_aside (Fixture *f)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_auto(GStrv) names = fp_test_list_dir (dir);
  GPtrArray *aside = g_ptr_array_new ();

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "history.json.damaged-"))
      g_ptr_array_add (aside, g_build_filename (dir, names[i], NULL));
  g_ptr_array_add (aside, NULL);
  return (char **) g_ptr_array_free (aside, FALSE);
}

/* A damaged file is set aside whole, with a warning, and the next run is kept. */
static void
test_history_damaged (Fixture       *f,
                      gconstpointer  data)
{
  const char *garbage[] = {
    "{\"version\": 1, \"runs\": [{\"id\": \"1-0\", \"when\"",  /* cut short */
    "\x89PNG\r\n\x1a\n not json at all",
    "[1, 2, 3]",
    "{\"version\": 99, \"runs\": []}",
    "{\"version\": 1, \"runs\": [{\"id\": 5}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
      g_autoptr(FpRunHistory) again = fp_run_history_new (f->file);
      g_autoptr(FpRunRecord) record = make_record (1000 + i, "BR,CN", "threads", 20, 1.0, 0.5);
      g_autofree char *dir = g_path_get_dirname (f->path);
      g_autofree char *contents = NULL;
      g_auto(GStrv) aside = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("damage %u", i);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (f->path, garbage[i], -1, NULL));

      g_assert_true (fp_run_history_load (history, NULL, &error));
      g_assert_no_error (error);
      g_assert_nonnull (fp_run_history_get_warning (history));
      g_assert_nonnull (strstr (fp_run_history_get_warning (history), "set aside"));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

      /* The damaged bytes are still there, beside it. */
      aside = list_aside (f);
      g_assert_cmpuint (g_strv_length (aside), ==, 1);
      g_assert_true (g_file_get_contents (aside[0], &contents, NULL, NULL));
      g_assert_cmpstr (contents, ==, garbage[i]);
      g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

      /* The next run is saved and read back. */
      fp_run_history_add (history, record);
      g_assert_true (fp_run_history_save (history, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (fp_run_history_load (again, NULL, &error));
      g_assert_null (fp_run_history_get_warning (again));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1);

      g_unlink (aside[0]);
      g_unlink (f->path);
    }
}

/* One bad run among good ones: the good ones stay, the file is kept aside. */
static void
test_history_one_bad_run (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FpRunHistory) writer = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) reader = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) a = make_record (1000, "BR", "threads", 20, 1.0, 0.5);
  g_autoptr(FpRunRecord) b = make_record (2000, "CN", "threads", 20, 1.0, 0.5);
  g_autofree char *contents = NULL;
  g_autofree char *broken = NULL;
  g_auto(GStrv) aside = NULL;
  char *at;

  fp_run_history_add (writer, a);
  fp_run_history_add (writer, b);
  g_assert_true (fp_run_history_save (writer, NULL, NULL));

  /* Damage one run's strategy. */
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  at = strstr (contents, "\"threads\"");
  g_assert_nonnull (at);
  broken = g_strdup (contents);
  memcpy (broken + (at - contents), "\"xxxxxxx\"", 9);
  g_assert_true (g_file_set_contents (f->path, broken, -1, NULL));

  g_assert_true (fp_run_history_load (reader, NULL, NULL));
  g_assert_nonnull (fp_run_history_get_warning (reader));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 1);
  aside = list_aside (f);
  g_assert_cmpuint (g_strv_length (aside), ==, 1);
}

/* Two programs saving the same history both keep their runs. */
static void
test_history_merge (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(FpRunHistory) window = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) cli = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) reader = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) a = make_record (1000, "BR", "threads", 20, 1.0, 0.5);
  g_autoptr(FpRunRecord) b = make_record (2000, "CN", "sequential", 1, 9.0, 0.5);
  g_autoptr(FpRunRecord) first = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (fp_run_history_load (window, NULL, NULL));
  g_assert_true (fp_run_history_load (cli, NULL, NULL));
  fp_run_history_add (cli, a);
  g_assert_true (fp_run_history_save (cli, NULL, NULL));

  /* The window, which never saw the CLI's run, saves on a worker thread. */
  fp_run_history_add (window, b);
  fp_run_history_save_async (window, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_run_history_save_finish (window, result, &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  fp_run_history_load_async (reader, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_run_history_load_finish (reader, result, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reader)), ==, 2);
  /* Newest first. */
  first = g_list_model_get_item (G_LIST_MODEL (reader), 0);
  g_assert_cmpstr (fp_run_record_get_id (first), ==, "2000-0");
}

/* A history that cannot be written says so, and loses nothing in memory. */
static void
test_history_unwritable (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (f->root, "data", NULL);
  g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) a = make_record (1000, "BR", "threads", 20, 1.0, 0.5);
  g_autoptr(GError) error = NULL;

  /* A file where the folder should be. */
  g_assert_true (g_file_set_contents (blocker, "x", -1, NULL));
  fp_run_history_add (history, a);
  g_assert_false (fp_run_history_save (history, NULL, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
}

/* The speed-up compares with any earlier run of the same work. */
static void
test_history_baseline (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) seq = make_record (1000, "BR,CN,IN", "sequential", 1, 12.0, 0.5);
  g_autoptr(FpRunRecord) five = make_record (2000, "IN,CN,BR", "threads", 5, 2.0, 0.5);
  g_autoptr(FpRunRecord) other_codes = make_record (2500, "BR,CN", "sequential", 1, 8.0, 0.5);
  g_autoptr(FpRunRecord) other_delay = make_record (2600, "BR,CN,IN", "sequential", 1, 3.0, 0.1);
  g_autoptr(FpRunRecord) twenty = make_record (3000, "BR,CN,IN", "threads", 20, 1.0, 0.5);
  g_autofree char *line = NULL;

  g_assert_null (fp_run_history_find_baseline (history, twenty));

  fp_run_history_add (history, five);
  /* Only a run another way of the same work: that one. */
  g_assert_true (fp_run_history_find_baseline (history, twenty) == five);
  line = fp_run_record_describe_speedup (twenty, five);
  g_assert_cmpstr (line, ==, "2.0× faster than 5 at a time (threads) (2.00 s)");
  g_clear_pointer (&line, g_free);

  fp_run_history_add (history, seq);
  fp_run_history_add (history, other_codes);
  fp_run_history_add (history, other_delay);
  /* One at a time wins, whatever order the codes were in; other codes
   * or another latency are other work. */
  g_assert_true (fp_run_history_find_baseline (history, twenty) == seq);
  line = fp_run_record_describe_speedup (twenty, seq);
  g_assert_cmpstr (line, ==, "12.0× faster than one at a time (12.00 s)");
  g_clear_pointer (&line, g_free);
  line = fp_run_record_describe_speedup (seq, twenty);
  g_assert_cmpstr (line, ==, "12.0× slower than 20 at a time (threads) (1.00 s)");
  /* Nothing earlier than the first run. */
  g_assert_null (fp_run_history_find_baseline (history, seq));
}

/* Only the newest runs keep their details, each in a file of its own:
 * the history's file stays small, and an older run says it has none. */
static void
test_history_details (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) again = fp_run_history_new (f->file);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  guint n = FP_RUN_HISTORY_MAX_DETAILED + 2;

  for (guint i = 0; i < n; i++)
    {
      FpRunRecord *record = record_real_run (f, FP_DOWNLOAD_STRATEGY_THREADS);

      g_ptr_array_add (records, record);
      fp_run_history_add (history, record);
      /* Saved after each run, as the window does: each file is written once. */
      g_assert_true (fp_run_history_save (history, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (count_details_files (f), ==, MIN (i + 1, FP_RUN_HISTORY_MAX_DETAILED));
    }

  g_assert_true (fp_run_history_load (again, NULL, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FpRunRecord) loaded = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_autoptr(FpRunRecord) full = NULL;
      g_autoptr(GError) local_error = NULL;

      g_assert_cmpuint (fp_run_record_get_results (loaded)->len, ==, 0);
      g_assert_cmpint (fp_run_record_get_detailed (loaded), ==, i < FP_RUN_HISTORY_MAX_DETAILED);
      full = load_details (again, loaded, &local_error);
      if (i < FP_RUN_HISTORY_MAX_DETAILED)
        {
          g_assert_no_error (local_error);
          g_assert_cmpuint (fp_run_record_get_results (full)->len, ==, 3);
        }
      else
        {
          g_assert_error (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
          g_assert_null (full);
        }
    }

  /* A damaged details file costs that run its timeline, with words for a
   * person, and nothing else. */
  {
    g_autoptr(FpRunRecord) newest = g_list_model_get_item (G_LIST_MODEL (again), 0);
    g_autofree char *dir = g_path_get_dirname (f->path);
    g_autofree char *name = g_strconcat (fp_run_record_get_id (newest), ".json", NULL);
    g_autofree char *path = g_build_filename (dir, "runs", name, NULL);
    g_autoptr(FpRunRecord) full = NULL;

    g_assert_true (g_file_set_contents (path, "{\"id\": \"cut", -1, NULL));
    full = load_details (again, newest, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    g_assert_nonnull (strstr (error->message, "cannot be read"));
    g_assert_null (full);
  }
}

/* A history written before details had files of their own: read with its
 * details inline, saved with them moved out. */
static void
test_history_inline_details (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(FpRunRecord) record = record_real_run (f, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_autoptr(JsonNode) run = fp_run_record_to_json (record, TRUE);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(FpRunHistory) history = fp_run_history_new (f->file);
  g_autoptr(FpRunHistory) again = fp_run_history_new (f->file);
  g_autoptr(FpRunRecord) loaded = NULL;
  g_autoptr(FpRunRecord) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *text = NULL;
  g_autofree char *old = NULL;
  g_autofree char *contents = NULL;

  json_generator_set_root (generator, run);
  text = json_generator_to_data (generator, NULL);
  old = g_strdup_printf ("{\"version\": 1, \"runs\": [%s]}", text);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (f->path, old, -1, NULL));

  g_assert_true (fp_run_history_load (history, NULL, &error));
  loaded = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpuint (fp_run_record_get_results (loaded)->len, ==, 3);
  g_assert_true (fp_run_history_save (history, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "\"results\""));
  g_assert_cmpuint (count_details_files (f), ==, 1);

  g_clear_object (&loaded);
  g_assert_true (fp_run_history_load (again, NULL, &error));
  loaded = g_list_model_get_item (G_LIST_MODEL (again), 0);
  full = load_details (again, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fp_run_record_get_results (full)->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD_TEST ("/run-history/round-trip", test_history_round_trip);
  ADD_TEST ("/run-history/damaged", test_history_damaged);
  ADD_TEST ("/run-history/one-bad-run", test_history_one_bad_run);
  ADD_TEST ("/run-history/merge", test_history_merge);
  ADD_TEST ("/run-history/unwritable", test_history_unwritable);
  ADD_TEST ("/run-history/baseline", test_history_baseline);
  ADD_TEST ("/run-history/details", test_history_details);
  ADD_TEST ("/run-history/inline-details", test_history_inline_details);

  return g_test_run ();
}
