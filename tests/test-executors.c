/* test-executors.c — the event loop and the process pool behave as the thread pool; results in submission order
 * (what only the process pool can get wrong is in test-process-pool.c)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-executors"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

typedef FpTestFolderFixture Fixture;

typedef struct {
  GPtrArray *started;          /* char * */
  GPtrArray *completed;        /* FpDownloadResult * */
  guint wrong_thread;
  GThread *thread;
  guint cancel_after;          /* cancel once this many completed and … */
  guint cancel_at_requests;    /* … the server has seen this many requests */
  FpTestServer *server;
  FpDownloadBatch *batch;
  guint peak_at_first;
} Recorder;

static void
started_cb (FpDownloadBatch *batch,
            const char      *code,
            Recorder        *r)
{
  r->wrong_thread += g_thread_self () != r->thread;
  g_ptr_array_add (r->started, g_strdup (code));
}

static void
completed_cb (FpDownloadBatch  *batch,
              FpDownloadResult *result,
              Recorder         *r)
{
  r->wrong_thread += g_thread_self () != r->thread;
  g_ptr_array_add (r->completed, g_object_ref (result));
  if (r->completed->len == 1 && r->server != NULL)
    r->peak_at_first = fp_test_server_get_peak_in_flight (r->server);
}

static void
recorder_init (Recorder        *r,
               FpDownloadBatch *batch)
{
  memset (r, 0, sizeof *r);
  r->thread = g_thread_self ();
  r->started = g_ptr_array_new_with_free_func (g_free);
  r->completed = g_ptr_array_new_with_free_func (g_object_unref);
  r->batch = batch;
  g_signal_connect (batch, "download-started", G_CALLBACK (started_cb), r);
  g_signal_connect (batch, "download-completed", G_CALLBACK (completed_cb), r);
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->started);
  g_ptr_array_unref (r->completed);
}

static gboolean
cancel_when_due_cb (gpointer data)
{
  Recorder *r = data;

  if (r->completed->len < r->cancel_after ||
      fp_test_server_get_request_count (r->server) < r->cancel_at_requests)
    return G_SOURCE_CONTINUE;
  fp_download_batch_cancel (r->batch);
  return G_SOURCE_REMOVE;
}

static gboolean
run_batch (FpDownloadBatch  *batch,
           GError          **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  return fp_download_batch_run_finish (batch, result, error);
}

static FpDownloadResult *
find_result (FpDownloadBatch *batch,
             const char      *code)
{
  GPtrArray *results = fp_download_batch_get_results (batch);

  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (fp_download_result_get_code (g_ptr_array_index (results, i)), code))
      return g_ptr_array_index (results, i);
  return NULL;
}

static char **
take_first_codes (guint n)
{
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  char **codes = g_new0 (char *, n + 1);

  g_assert_cmpuint (n, <=, g_strv_length (all));
  for (guint i = 0; i < n; i++)
    codes[i] = g_strdup (all[i]);
  return codes;
}

/* Every file in the destination is the flag of an OK result: nothing partial. */
static void
assert_only_ok_flags_on_disk (Fixture         *f,
                              FpDownloadBatch *batch)
{
  g_auto(GStrv) names = NULL;
  GPtrArray *results = fp_download_batch_get_results (batch);
  const char * const *codes = fp_download_batch_get_codes (batch);
  guint n_ok = 0;

  /* A cancel reports at once; the disk is looked at once the workers are done. */
  fp_test_wait_for_workers (batch);
  names = fp_test_list_dir (f->dest);

  /* Every file there is a whole flag of the batch, none partial. A flag
   * saved just before a cancel, whose news the cancel dropped, may stay. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *upper = g_ascii_strup (names[i], 2);

      if (strlen (names[i]) != 6 || names[i][2] != '.' || names[i][0] == '.' ||
          g_str_has_suffix (names[i], ".part") || !g_strv_contains (codes, upper))
        g_error ("%s is in the destination but no download saved it", names[i]);
    }
  for (guint j = 0; j < results->len; j++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, j);

      if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_OK)
        continue;
      n_ok++;
      g_assert_true (g_file_test (fp_download_result_get_path (result), G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (g_strv_length (names), >=, n_ok);
}

/* One code per fault of the fault-injecting server, and what each gives. */
static const struct {
  const char *code;
  const char *fault;
  FpDownloadStatus status;
} faults[] = {
  { "AD", "ok",             FP_DOWNLOAD_STATUS_OK },
  { "AE", "redirect",       FP_DOWNLOAD_STATUS_OK },
  { "AF", "gif-text",       FP_DOWNLOAD_STATUS_OK },
  { "QQ", "ok",             FP_DOWNLOAD_STATUS_NOT_FOUND },
  { "AG", "404",            FP_DOWNLOAD_STATUS_NOT_FOUND },
  { "AI", "418",            FP_DOWNLOAD_STATUS_ERROR },
  { "AL", "500",            FP_DOWNLOAD_STATUS_ERROR },
  { "AM", "503",            FP_DOWNLOAD_STATUS_ERROR },
  { "AO", "not-image",      FP_DOWNLOAD_STATUS_ERROR },
  { "AR", "truncated-png",  FP_DOWNLOAD_STATUS_ERROR },
  { "AT", "empty",          FP_DOWNLOAD_STATUS_ERROR },
  { "AU", "short",          FP_DOWNLOAD_STATUS_ERROR },
  { "AW", "short-complete", FP_DOWNLOAD_STATUS_ERROR },
  { "AX", "reset",          FP_DOWNLOAD_STATUS_ERROR },
  { "AZ", "stall",          FP_DOWNLOAD_STATUS_ERROR },
  { "BA", "stall-body",     FP_DOWNLOAD_STATUS_ERROR },
  { "BB", "huge",           FP_DOWNLOAD_STATUS_ERROR },
  { "BD", "huge-nolength",  FP_DOWNLOAD_STATUS_ERROR },
  { "BE", "redirect-loop",  FP_DOWNLOAD_STATUS_ERROR },
  { "b/", NULL,             FP_DOWNLOAD_STATUS_ERROR },
};

static gboolean
is_stall (const char *fault)
{
  return g_strcmp0 (fault, "stall") == 0 || g_strcmp0 (fault, "stall-body") == 0;
}

/*
 * The stalls in a batch of their own with a short timeout, which they
 * always reach; every other fault with a timeout no loaded machine
 * reaches, so that none of them can time out instead of failing as it
 * should (11 MiB take a while under AddressSanitizer).
 */
static FpDownloadBatch *
run_fault_batch (Fixture            *f,
                 FpDownloadStrategy  strategy,
                 gboolean            stalls)
{
  guint n = 0;
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  const char *codes[G_N_ELEMENTS (faults) + 1] = { NULL };
  FpDownloadBatch *batch;
  g_autoptr(GError) error = NULL;
  Recorder r;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      if (is_stall (faults[i].fault) != stalls)
        continue;
      codes[n++] = faults[i].code;
      if (faults[i].fault != NULL)
        fp_test_server_set_code_fault (f->server, faults[i].code, faults[i].fault);
    }

  fp_test_remove_tree (f->dest);
  batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_concurrency (batch, G_N_ELEMENTS (faults));
  /* The stalls end at the timeout; every other answer comes at once. */
  fp_download_batch_set_timeout (batch, stalls ? 1.0 : 120.0);
  recorder_init (&r, batch);
  g_assert_true (run_batch (batch, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_assert_cmpuint (r.completed->len, ==, n);
  recorder_clear (&r);
  return batch;
}

static void
test_statuses (Fixture       *f,
               gconstpointer  data)
{
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  g_autoptr(FpDownloadBatch) reference_stalls = run_fault_batch (f, FP_DOWNLOAD_STRATEGY_THREADS, TRUE);
  g_autoptr(FpDownloadBatch) reference = run_fault_batch (f, FP_DOWNLOAD_STRATEGY_THREADS, FALSE);
  g_autoptr(FpDownloadBatch) stalls = run_fault_batch (f, strategy, TRUE);
  g_autoptr(FpDownloadBatch) batch = run_fault_batch (f, strategy, FALSE);
  g_autoptr(GBytes) ad = fp_test_load_debian_flag ("ad");
  g_autofree char *ad_path = NULL;

  /* The same status and the same message as the thread pool, code by code. */
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      gboolean stall = is_stall (faults[i].fault);
      FpDownloadResult *expected = find_result (stall ? reference_stalls : reference, faults[i].code);
      FpDownloadResult *result = find_result (stall ? stalls : batch, faults[i].code);

      g_assert_nonnull (result);
      g_test_message ("%s %s: %s, %s", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, strategy), faults[i].code,
                      fp_download_status_to_string (fp_download_result_get_status (result)),
                      fp_download_result_get_message (result));
      g_assert_cmpstr (fp_download_status_to_string (fp_download_result_get_status (result)), ==,
                       fp_download_status_to_string (faults[i].status));
      g_assert_cmpstr (fp_download_result_get_message (result), ==, fp_download_result_get_message (expected));
      g_assert_cmpstr (fp_download_result_get_error_nick (result), ==, fp_download_result_get_error_nick (expected));
      g_assert_cmpuint (fp_download_result_get_http_status (result), ==, fp_download_result_get_http_status (expected));
      g_assert_cmpstr (fp_download_result_get_path (result), ==, fp_download_result_get_path (expected));
      g_assert_cmpstr (fp_download_result_get_url (result), ==, fp_download_result_get_url (expected));
    }
  g_assert_cmpstr (fp_download_result_get_message (find_result (stalls, "AZ")), ==, "timed out after 1.0 s");
  g_assert_cmpstr (fp_download_result_get_message (find_result (stalls, "BA")), ==, "timed out after 1.0 s");
  g_assert_cmpstr (fp_download_result_get_message (find_result (batch, "AI")), ==, "HTTP 418 I'm a Teapot");

  fp_test_assert_dir_holds (f->dest, "ad.png", "ae.png", "af.gif", NULL);
  ad_path = g_build_filename (f->dest, "ad.png", NULL);
  fp_test_assert_file_bytes (ad_path, ad);
  g_assert_cmpuint (fp_download_result_get_width (find_result (batch, "AD")), ==, 320);
  assert_only_ok_flags_on_disk (f, batch);
  fp_test_wait_until_settled (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
}

static void
test_concurrency (Fixture       *f,
                  gconstpointer  data)
{
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data) & 0xff;
  guint concurrency = GPOINTER_TO_UINT (data) >> 8;
  guint n_codes = MIN (249, concurrency * 3);
  g_auto(GStrv) codes = take_first_codes (n_codes);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  Recorder r;

  /* No answer until c requests are in: the first wave is seen whole
   * however slow the machine, and a strategy that sends fewer keeps the
   * gate shut until its deadline, which fails the test. */
  fp_test_server_reset_counters (f->server);
  fp_test_server_hold_answers_until (f->server, concurrency);

  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_concurrency (batch, concurrency);
  fp_download_batch_set_timeout (batch, 120.0);
  recorder_init (&r, batch);
  r.server = f->server;
  g_assert_true (run_batch (batch, &error));
  g_assert_no_error (error);

  g_assert_false (fp_test_server_get_gate_timed_out (f->server));
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, n_codes);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, n_codes);
  g_assert_cmpuint (fp_test_server_get_peak_in_flight (f->server), ==, concurrency);
  g_assert_cmpuint (r.peak_at_first, ==, concurrency);
  g_assert_cmpuint (r.started->len, ==, n_codes);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_test_message ("%s, c = %u: start-up %.3f s", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, strategy), concurrency,
                  fp_download_batch_get_startup_time (batch));
  /* Every strategy makes its workers (threads, a thread, processes) and
   * says how long that took. */
  g_assert_cmpfloat (fp_download_batch_get_startup_time (batch), >, 0.0);
  assert_only_ok_flags_on_disk (f, batch);
  fp_test_wait_for_processes_to_end (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  recorder_clear (&r);
}

static void
test_cancel_mid_batch (Fixture       *f,
                       gconstpointer  data)
{
  /* Four at a time; the first two answer, every later one stalls. Cancel
   * once those two are in and four stalled requests are running: the
   * running ones abort, the queued ones never start. */
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  g_auto(GStrv) codes = take_first_codes (20);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = fp_test_load_debian_flag ("ae");
  g_autofree char *existing = NULL;
  guint n_cancelled = 0;
  Recorder r;

  for (guint i = 2; codes[i] != NULL; i++)
    fp_test_server_set_code_fault (f->server, codes[i], "stall-body");
  /* A flag already there survives its cancelled download. */
  g_assert_cmpint (g_mkdir (f->dest, 0755), ==, 0);
  existing = g_build_filename (f->dest, "ae.png", NULL);
  fp_test_write_file (existing, good);

  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_concurrency (batch, 4);
  fp_download_batch_set_timeout (batch, 60.0);
  recorder_init (&r, batch);
  r.server = f->server;
  r.cancel_after = 2;
  r.cancel_at_requests = 6;
  g_timeout_add (10, cancel_when_due_cb, &r);

  g_assert_false (run_batch (batch, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 20);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 2);
  for (guint i = 0; i < r.completed->len; i++)
    n_cancelled += fp_download_result_get_status (g_ptr_array_index (r.completed, i)) == FP_DOWNLOAD_STATUS_CANCELLED;
  g_assert_cmpuint (n_cancelled, ==, 18);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 6);
  g_assert_cmpuint (r.started->len, ==, 6);

  /* The two flags, the one that was there intact, nothing partial, and no worker left. */
  fp_test_wait_for_processes_to_end (batch);
  fp_test_assert_dir_holds (f->dest, "ad.png", "ae.png", NULL);
  fp_test_assert_file_bytes (existing, good);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  recorder_clear (&r);
}

static void
test_submission_order (Fixture       *f,
                       gconstpointer  data)
{
  /* Random latencies make the downloads finish in any order; in
   * submission order they are announced in the order of the codes all
   * the same, each once, and the results list the codes in that order. */
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  g_auto(GStrv) codes = take_first_codes (24);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;
  Recorder r;

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *fault = g_strdup_printf ("delay-%d", g_test_rand_int_range (0, 200));
      fp_test_server_set_code_fault (f->server, codes[i], fault);
    }
  /* The first code is the slowest: it holds every other back (the loiter demo). */
  fp_test_server_set_code_fault (f->server, codes[0], "delay-400");
  /* One that fails and one not found take their places too. */
  fp_test_server_set_code_fault (f->server, codes[5], "503");
  g_free (codes[9]);
  codes[9] = g_strdup ("QQ");

  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_order (batch, FP_RESULT_ORDER_SUBMITTED);
  fp_download_batch_set_concurrency (batch, 6);
  recorder_init (&r, batch);
  g_assert_true (run_batch (batch, &error));
  g_assert_no_error (error);

  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (r.completed->len, ==, 24);
  g_assert_cmpuint (results->len, ==, 24);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_assert_cmpstr (fp_download_result_get_code (g_ptr_array_index (r.completed, i)), ==, codes[i]);
      g_assert_true (g_ptr_array_index (results, i) == g_ptr_array_index (r.completed, i));
    }
  g_assert_cmpint (fp_download_result_get_status (g_ptr_array_index (results, 5)), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpint (fp_download_result_get_status (g_ptr_array_index (results, 9)), ==, FP_DOWNLOAD_STATUS_NOT_FOUND);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 22);
  g_assert_cmpint (fp_download_batch_get_order (batch), ==, FP_RESULT_ORDER_SUBMITTED);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  fp_test_wait_until_settled (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  recorder_clear (&r);
}

static void
test_submission_order_cancelled (Fixture       *f,
                                 gconstpointer  data)
{
  /* A cancel in submission order still accounts for every code, in order. */
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  g_auto(GStrv) codes = take_first_codes (12);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  Recorder r;

  fp_test_server_set_code_fault (f->server, codes[0], "stall");
  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_set_order (batch, FP_RESULT_ORDER_SUBMITTED);
  fp_download_batch_set_concurrency (batch, 3);
  fp_download_batch_set_timeout (batch, 60.0);
  recorder_init (&r, batch);
  r.server = f->server;
  /* Nothing is announced while the first stalls: cancel once 6 went out
   * (the first alone, one at a time). */
  r.cancel_at_requests = strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL ? 1 : 6;
  g_timeout_add (10, cancel_when_due_cb, &r);
  g_assert_false (run_batch (batch, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpuint (r.completed->len, ==, 12);
  for (guint i = 0; codes[i] != NULL; i++)
    g_assert_cmpstr (fp_download_result_get_code (g_ptr_array_index (r.completed, i)), ==, codes[i]);
  g_assert_cmpint (fp_download_result_get_status (g_ptr_array_index (r.completed, 0)), ==, FP_DOWNLOAD_STATUS_CANCELLED);
  assert_only_ok_flags_on_disk (f, batch);
  fp_test_wait_for_processes_to_end (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  recorder_clear (&r);
}

#define ADD_TEST(path, func, data) \
  g_test_add (path, Fixture, data, fp_test_folder_fixture_set_up, func, fp_test_folder_fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  const FpDownloadStrategy others[] = { FP_DOWNLOAD_STRATEGY_ASYNC, FP_DOWNLOAD_STRATEGY_PROCESSES };
  const FpDownloadStrategy all[] = { FP_DOWNLOAD_STRATEGY_SEQUENTIAL, FP_DOWNLOAD_STRATEGY_THREADS,
                                     FP_DOWNLOAD_STRATEGY_ASYNC, FP_DOWNLOAD_STRATEGY_PROCESSES };
  const guint levels[] = { 1, 5, 30, 100 };

  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      const char *s = fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, others[i]);
      g_autofree char *statuses = g_strdup_printf ("/executors/%s/statuses", s);
      g_autofree char *cancel = g_strdup_printf ("/executors/%s/cancel-mid-batch", s);

      ADD_TEST (statuses, test_statuses, GINT_TO_POINTER (others[i]));
      for (guint j = 0; j < G_N_ELEMENTS (levels); j++)
        {
          g_autofree char *path = g_strdup_printf ("/executors/%s/concurrency/%u", s, levels[j]);
          ADD_TEST (path, test_concurrency, GUINT_TO_POINTER (others[i] | (levels[j] << 8)));
        }
      ADD_TEST (cancel, test_cancel_mid_batch, GINT_TO_POINTER (others[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autofree char *path = g_strdup_printf ("/executors/%s/submission-order", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, all[i]));
      g_autofree char *cancelled = g_strdup_printf ("/executors/%s/submission-order-cancelled", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, all[i]));
      ADD_TEST (path, test_submission_order, GINT_TO_POINTER (all[i]));
      ADD_TEST (cancelled, test_submission_order_cancelled, GINT_TO_POINTER (all[i]));
    }

  return g_test_run ();
}
