/* test-download-batch.c — a batch of futures: statuses, completion order, exact concurrency, cancellation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-download-batch"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

typedef struct {
  FpFlagServer *server;
  FpTestServer *faults;
  char *root;
  char *dest;
  GFile *dest_file;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = fp_flag_server_new (NULL);
  g_assert_true (fp_flag_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->faults = fp_test_server_new ();
  f->root = fp_test_make_temp_dir ();
  f->dest = g_build_filename (f->root, "flags", NULL);
  f->dest_file = g_file_new_for_path (f->dest);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fp_flag_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->faults, fp_test_server_free);
  fp_test_remove_tree (f->root);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->dest, g_free);
  g_clear_object (&f->dest_file);
}

/* What the batch told its caller, and where. */
typedef struct {
  GThread *thread;              /* the thread that runs the batch's context */
  GMainContext *context;
  GPtrArray *started;           /* char * */
  GPtrArray *completed;         /* FpDownloadResult * */
  GArray *n_done_seen;          /* guint: n-done notifications */
  GArray *running_seen;         /* gboolean: running notifications */
  guint wrong_thread;           /* emissions outside the thread or context */
  guint inconsistent;           /* completions whose counters did not add up */
  GCancellable *cancel_after_first;
  gint64 cancelled_at;
  FpTestServer *server;         /* if set, its peak in flight at the first completion */
  guint peak_at_first;
} Recorder;

static void
recorder_init (Recorder *r)
{
  memset (r, 0, sizeof *r);
  r->thread = g_thread_self ();
  r->context = g_main_context_ref_thread_default ();
  r->started = g_ptr_array_new_with_free_func (g_free);
  r->completed = g_ptr_array_new_with_free_func (g_object_unref);
  r->n_done_seen = g_array_new (FALSE, FALSE, sizeof (guint));
  r->running_seen = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

static void
recorder_clear (Recorder *r)
{
  g_ptr_array_unref (r->started);
  g_ptr_array_unref (r->completed);
  g_array_unref (r->n_done_seen);
  g_array_unref (r->running_seen);
  g_main_context_unref (r->context);
}

static void
check_thread (Recorder   *r,
              const char *what)
{
  if (g_thread_self () != r->thread || !g_main_context_is_owner (r->context))
    {
      g_test_message ("%s emitted outside the caller's thread or context", what);
      r->wrong_thread++;
    }
}

static void
download_started_cb (FpDownloadBatch *batch,
                     const char      *code,
                     Recorder        *r)
{
  check_thread (r, "download-started");
  g_ptr_array_add (r->started, g_strdup (code));
}

static void
download_completed_cb (FpDownloadBatch  *batch,
                       FpDownloadResult *result,
                       Recorder         *r)
{
  guint n_cancelled = 0;

  check_thread (r, "download-completed");
  g_ptr_array_add (r->completed, g_object_ref (result));

  /* A download that ran was announced as started first. */
  if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_CANCELLED &&
      !g_ptr_array_find_with_equal_func (r->started, fp_download_result_get_code (result),
                                         g_str_equal, NULL))
    {
      g_test_message ("%s completed before it started", fp_download_result_get_code (result));
      r->inconsistent++;
    }

  /* The counters count this one already. */
  for (guint i = 0; i < r->completed->len; i++)
    n_cancelled += fp_download_result_get_status (g_ptr_array_index (r->completed, i)) == FP_DOWNLOAD_STATUS_CANCELLED;
  if (fp_download_batch_get_n_done (batch) != r->completed->len ||
      fp_download_batch_get_n_ok (batch) + fp_download_batch_get_n_not_found (batch) +
      fp_download_batch_get_n_error (batch) + n_cancelled != r->completed->len ||
      fp_download_batch_get_results (batch)->len != r->completed->len ||
      g_ptr_array_index (fp_download_batch_get_results (batch), r->completed->len - 1) != result ||
      !fp_download_batch_get_running (batch))
    r->inconsistent++;

  if (r->server != NULL && r->completed->len == 1)
    r->peak_at_first = fp_test_server_get_peak_in_flight (r->server);

  if (r->cancel_after_first != NULL && r->completed->len == 1)
    {
      r->cancelled_at = g_get_monotonic_time ();
      g_cancellable_cancel (r->cancel_after_first);
    }
}

static void
n_done_notified_cb (FpDownloadBatch *batch,
                    GParamSpec      *pspec,
                    Recorder        *r)
{
  guint n_done = fp_download_batch_get_n_done (batch);

  check_thread (r, "notify::n-done");
  g_array_append_val (r->n_done_seen, n_done);
}

static void
running_notified_cb (FpDownloadBatch *batch,
                     GParamSpec      *pspec,
                     Recorder        *r)
{
  gboolean running = fp_download_batch_get_running (batch);

  /* run_async() itself says it is running, before any main loop turns:
   * only the thread counts for that one. */
  if (!running)
    check_thread (r, "notify::running");
  else if (g_thread_self () != r->thread)
    r->wrong_thread++;
  g_array_append_val (r->running_seen, running);
}

static void
recorder_watch (Recorder        *r,
                FpDownloadBatch *batch)
{
  g_signal_connect (batch, "download-started", G_CALLBACK (download_started_cb), r);
  g_signal_connect (batch, "download-completed", G_CALLBACK (download_completed_cb), r);
  g_signal_connect (batch, "notify::n-done", G_CALLBACK (n_done_notified_cb), r);
  g_signal_connect (batch, "notify::running", G_CALLBACK (running_notified_cb), r);
}

/* Runs @batch on the thread-default main context until it completes. */
static gboolean
run_batch (FpDownloadBatch  *batch,
           GCancellable     *cancellable,
           GError          **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_download_batch_run_async (batch, cancellable, fp_test_store_result_cb, &slot);
  g_assert_true (fp_download_batch_get_running (batch));
  result = fp_test_wait_for_result (&slot);
  g_assert_false (fp_download_batch_get_running (batch));
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

static void
assert_status (FpDownloadBatch  *batch,
               const char       *code,
               FpDownloadStatus  status)
{
  FpDownloadResult *result = find_result (batch, code);

  g_test_message ("%s: %s", code, result != NULL ? fp_download_result_get_message (result) : "no result");
  g_assert_nonnull (result);
  g_assert_cmpstr (fp_download_status_to_string (fp_download_result_get_status (result)), ==,
                   fp_download_status_to_string (status));
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

static void
test_batch_properties (Fixture       *f,
                       gconstpointer  data)
{
  const char *codes[] = { "BR", "CN", "DE", NULL };
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, "http://127.0.0.1:9/flags", "png", f->dest_file);
  guint concurrency = 0;

  g_assert_cmpuint (fp_download_batch_get_concurrency (batch), ==, FP_DEFAULT_CONCURRENCY);
  g_assert_cmpint (fp_download_batch_get_strategy (batch), ==, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpfloat (fp_download_batch_get_timeout (batch), ==, FP_DEFAULT_TIMEOUT_S);
  g_assert_cmpuint (fp_download_batch_get_n_total (batch), ==, 3);
  g_assert_cmpuint (fp_download_batch_get_n_done (batch), ==, 0);
  g_assert_false (fp_download_batch_get_running (batch));
  g_assert_cmpfloat (fp_download_batch_get_seconds_left (batch), ==, -1.0);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 0);
  g_assert_cmpstr (fp_download_batch_get_base_url (batch), ==, "http://127.0.0.1:9/flags");
  g_assert_true (fp_download_batch_get_destination (batch) == f->dest_file);
  g_assert_cmpstrv (fp_download_batch_get_codes (batch), codes);

  /* Workers: the book's min(MAX_WORKERS, len(cc_list)), one when sequential. */
  g_assert_cmpuint (fp_download_batch_get_workers (batch), ==, 3);
  fp_download_batch_set_concurrency (batch, 2);
  g_assert_cmpuint (fp_download_batch_get_workers (batch), ==, 2);
  fp_download_batch_set_concurrency (batch, 0);
  g_assert_cmpuint (fp_download_batch_get_concurrency (batch), ==, 1);
  fp_download_batch_set_concurrency (batch, 1000);
  g_assert_cmpuint (fp_download_batch_get_concurrency (batch), ==, FP_MAX_CONCURRENCY);
  g_object_get (batch, "concurrency", &concurrency, NULL);
  g_assert_cmpuint (concurrency, ==, FP_MAX_CONCURRENCY);
  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_assert_cmpuint (fp_download_batch_get_workers (batch), ==, 1);
  fp_download_batch_set_timeout (batch, 2.5);
  g_assert_cmpfloat (fp_download_batch_get_timeout (batch), ==, 2.5);
}

static void
test_batch_statuses (Fixture       *f,
                     gconstpointer  data)
{
  /* One batch, every outcome: the fault server answers per code. */
  const char *codes[] = { "AD", "BR", "CN", "DE", "FR", "JP", "KP", "QQ", "XX", "ZW", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "bycode");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autofree char *cn_path = NULL;
  Recorder r;
  guint n_total, n_done, n_ok, n_not_found, n_error;
  gboolean running;

  fp_test_server_set_code_fault (f->faults, "CN", "gif-text");
  fp_test_server_set_code_fault (f->faults, "DE", "503");
  fp_test_server_set_code_fault (f->faults, "FR", "reset");
  fp_test_server_set_code_fault (f->faults, "JP", "not-image");
  fp_test_server_set_code_fault (f->faults, "KP", "418");
  fp_test_server_set_code_fault (f->faults, "ZW", "redirect");
  /* QQ and XX have no flag: 404. */

  recorder_init (&r);
  batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  recorder_watch (&r, batch);
  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);

  g_object_get (batch, "n-total", &n_total, "n-done", &n_done, "n-ok", &n_ok,
                "n-not-found", &n_not_found, "n-error", &n_error, "running", &running, NULL);
  g_assert_cmpuint (n_total, ==, 10);
  g_assert_cmpuint (n_done, ==, 10);
  g_assert_cmpuint (n_ok, ==, 4);
  g_assert_cmpuint (n_not_found, ==, 2);
  g_assert_cmpuint (n_error, ==, 4);
  g_assert_false (running);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 4);
  g_assert_cmpuint (fp_download_batch_get_n_not_found (batch), ==, 2);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 4);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 10);

  assert_status (batch, "AD", FP_DOWNLOAD_STATUS_OK);
  assert_status (batch, "BR", FP_DOWNLOAD_STATUS_OK);
  assert_status (batch, "CN", FP_DOWNLOAD_STATUS_OK);
  assert_status (batch, "ZW", FP_DOWNLOAD_STATUS_OK);
  assert_status (batch, "QQ", FP_DOWNLOAD_STATUS_NOT_FOUND);
  assert_status (batch, "XX", FP_DOWNLOAD_STATUS_NOT_FOUND);
  assert_status (batch, "DE", FP_DOWNLOAD_STATUS_ERROR);
  assert_status (batch, "FR", FP_DOWNLOAD_STATUS_ERROR);
  assert_status (batch, "JP", FP_DOWNLOAD_STATUS_ERROR);
  assert_status (batch, "KP", FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpstr (fp_download_result_get_message (find_result (batch, "DE")), ==,
                   "HTTP 503 Service Unavailable");
  g_assert_cmpstr (fp_download_result_get_message (find_result (batch, "JP")), ==,
                   "response is not an image");

  /* Only the good flags are on disk, each in the format of its bytes. */
  fp_test_assert_dir_holds (f->dest, "ad.png", "br.png", "cn.gif", "zw.png", NULL);
  cn_path = g_build_filename (f->dest, "cn.gif", NULL);
  fp_test_assert_file_bytes (cn_path, gif);
  g_assert_cmpstr (fp_download_result_get_path (find_result (batch, "CN")), ==, cn_path);

  /* Signals: one start and one completion per code, on our thread, with
   * counters that added up at every step. */
  g_assert_cmpuint (r.started->len, ==, 10);
  g_assert_cmpuint (r.completed->len, ==, 10);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_assert_cmpuint (r.inconsistent, ==, 0);

  /* n-done went 1, 2, … 10; running went TRUE then FALSE. */
  g_assert_cmpuint (r.n_done_seen->len, ==, 10);
  for (guint i = 0; i < r.n_done_seen->len; i++)
    g_assert_cmpuint (g_array_index (r.n_done_seen, guint, i), ==, i + 1);
  g_assert_cmpuint (r.running_seen->len, ==, 2);
  g_assert_true (g_array_index (r.running_seen, gboolean, 0));
  g_assert_false (g_array_index (r.running_seen, gboolean, 1));

  g_assert_cmpfloat (fp_download_batch_get_elapsed (batch), >, 0.0);
  g_assert_cmpfloat (fp_download_batch_get_rate (batch), >, 0.0);
  g_assert_cmpfloat (fp_download_batch_get_seconds_left (batch), ==, 0.0);

  recorder_clear (&r);
}

static void
test_batch_builtin_server (Fixture       *f,
                           gconstpointer  data)
{
  /* The built-in server: ISO codes found, others not, a teapot for all when asked. */
  const char *codes[] = { "BR", "CN", "IN", "QQ", "XX", NULL };
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, fp_flag_server_get_base_url (f->server),
                                                            "png", f->dest_file);
  g_autoptr(FpDownloadBatch) teapots = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) br = fp_test_load_debian_flag ("br");
  g_autofree char *br_path = g_build_filename (f->dest, "br.png", NULL);

  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 3);
  g_assert_cmpuint (fp_download_batch_get_n_not_found (batch), ==, 2);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 0);
  fp_test_assert_dir_holds (f->dest, "br.png", "cn.png", "in.png", NULL);
  fp_test_assert_file_bytes (br_path, br);

  fp_flag_server_set_error_rate (f->server, 1.0);
  teapots = fp_download_batch_new (codes, fp_flag_server_get_base_url (f->server), "png", f->dest_file);
  g_assert_true (run_batch (teapots, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_error (teapots), ==, 5);
  g_assert_cmpuint (fp_download_batch_get_n_ok (teapots), ==, 0);
  g_assert_cmpstr (fp_download_result_get_message (find_result (teapots, "BR")), ==, "HTTP 418 I'm a Teapot");
  /* The earlier flags survive the failed round. */
  fp_test_assert_dir_holds (f->dest, "br.png", "cn.png", "in.png", NULL);
  fp_test_assert_file_bytes (br_path, br);
}

static void
test_batch_completion_order (Fixture       *f,
                             gconstpointer  data)
{
  /* Submitted BR, CN, DE; they finish DE, CN, BR: reported as they finish
   * (as_completed), not in the order they were submitted. */
  const char *codes[] = { "BR", "CN", "DE", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "bycode");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;
  Recorder r;

  fp_test_server_set_code_fault (f->faults, "BR", "delay-800");
  fp_test_server_set_code_fault (f->faults, "CN", "delay-400");

  recorder_init (&r);
  batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  fp_download_batch_set_concurrency (batch, 3);
  recorder_watch (&r, batch);
  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);

  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpuint (r.completed->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_true (g_ptr_array_index (results, i) == g_ptr_array_index (r.completed, i));
  g_assert_cmpstr (fp_download_result_get_code (g_ptr_array_index (results, 0)), ==, "DE");
  g_assert_cmpstr (fp_download_result_get_code (g_ptr_array_index (results, 1)), ==, "CN");
  g_assert_cmpstr (fp_download_result_get_code (g_ptr_array_index (results, 2)), ==, "BR");
  g_assert_cmpuint (r.wrong_thread, ==, 0);

  recorder_clear (&r);
}

static void
check_concurrency (Fixture            *f,
                   FpDownloadStrategy  strategy,
                   guint               concurrency,
                   guint               n_codes,
                   guint               expected_peak)
{
  g_auto(GStrv) codes = take_first_codes (n_codes);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "ok");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  Recorder r;

  /* The server answers nobody until the expected number are in flight, so
   * a slow or loaded machine cannot make the first wave look smaller than
   * it is; a batch that never sends that many finds the gate shut until
   * its deadline, and the test fails on that. */
  fp_test_server_reset_counters (f->faults);
  fp_test_server_hold_answers_until (f->faults, expected_peak);

  recorder_init (&r);
  r.server = f->faults;
  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  fp_download_batch_set_concurrency (batch, concurrency);
  fp_download_batch_set_strategy (batch, strategy);
  /* Longer than the gate's deadline: a held request must not time out. */
  fp_download_batch_set_timeout (batch, 120.0);
  recorder_watch (&r, batch);
  g_assert_cmpuint (fp_download_batch_get_workers (batch), ==, expected_peak);

  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (fp_test_server_get_gate_timed_out (f->faults));
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, n_codes);
  g_assert_cmpuint (fp_test_server_get_request_count (f->faults), ==, n_codes);
  /* Exactly c at once: not fewer (a hidden cap: the gate would have timed
   * out), not more. */
  g_assert_cmpuint (fp_test_server_get_peak_in_flight (f->faults), ==, expected_peak);
  /* From the first instant: all c were in flight before the first one
   * came back (no pool that grows as it goes). */
  g_test_message ("peak in flight at the first completion: %u", r.peak_at_first);
  g_assert_cmpuint (r.peak_at_first, ==, expected_peak);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_assert_cmpuint (r.inconsistent, ==, 0);
  /* The pool's starter thread made the threads and said how long it took. */
  g_assert_cmpfloat (fp_download_batch_get_startup_time (batch), >, 0.0);

  recorder_clear (&r);
}

static void
test_batch_concurrency (Fixture       *f,
                        gconstpointer  data)
{
  guint concurrency = GPOINTER_TO_UINT (data);
  /* Three rounds (all 249 codes for 100), to keep it quick. */
  guint n_codes = MIN (249, concurrency * 3);

  check_concurrency (f, FP_DOWNLOAD_STRATEGY_THREADS, concurrency, n_codes, concurrency);
}

static void
test_batch_sequential (Fixture       *f,
                       gconstpointer  data)
{
  /* Sequential ignores the concurrency: never more than one at a time. */
  check_concurrency (f, FP_DOWNLOAD_STRATEGY_SEQUENTIAL, 20, 4, 1);
}

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

  /* Every file there is a whole flag of the batch: no partial, no
   * temporary file. A download saved just before a cancel, whose news
   * the cancel dropped, may have left its (whole) flag too. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (f->dest, names[i], NULL);
      g_autofree char *upper = g_ascii_strup (names[i], 2);
      g_autoptr(GBytes) bytes = fp_test_load_bytes (path);

      if (strlen (names[i]) != 6 || !g_str_has_suffix (names[i], ".png") ||
          !g_strv_contains (codes, upper))
        g_error ("%s is in the destination but no download saved it", names[i]);
      g_assert_true (fp_image_check (bytes, NULL, NULL, NULL, NULL));
    }

  for (guint j = 0; j < results->len; j++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, j);

      if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_OK)
        continue;
      n_ok++;
      g_assert_true (g_file_test (fp_download_result_get_path (result), G_FILE_TEST_IS_REGULAR));
    }
  g_assert_cmpuint (n_ok, ==, fp_download_batch_get_n_ok (batch));
}

static guint
count_finished (FpDownloadBatch *batch)
{
  GPtrArray *results = fp_download_batch_get_results (batch);
  guint n = 0;

  for (guint i = 0; i < results->len; i++)
    n += fp_download_result_get_status (g_ptr_array_index (results, i)) != FP_DOWNLOAD_STATUS_CANCELLED;
  return n;
}

static void
test_batch_cancel_mid_batch (Fixture       *f,
                             gconstpointer  data)
{
  const guint concurrency = 5;
  g_auto(GStrv) codes = take_first_codes (100);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  double after_cancel;
  Recorder r;

  fp_flag_server_set_delay (f->server, 0.5, 0.5);

  recorder_init (&r);
  r.cancel_after_first = cancellable;
  batch = fp_download_batch_new ((const char * const *) codes, fp_flag_server_get_base_url (f->server),
                                 "png", f->dest_file);
  fp_download_batch_set_concurrency (batch, concurrency);
  recorder_watch (&r, batch);

  g_assert_false (run_batch (batch, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  after_cancel = (g_get_monotonic_time () - r.cancelled_at) / (double) G_USEC_PER_SEC;
  g_test_message ("completed %.3f s after the cancel; %u requests; %u finished",
                  after_cancel, fp_flag_server_get_request_count (f->server), count_finished (batch));

  /* Queued downloads never started: only the first round, and the few
   * workers that picked up a next code before the cancel, reached the
   * server. */
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), <=, 2 * concurrency);
  g_assert_cmpuint (r.started->len, <=, 2 * concurrency);
  g_assert_cmpuint (count_finished (batch), <=, 2 * concurrency);
  g_assert_cmpuint (count_finished (batch), >=, 1);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch) + fp_download_batch_get_n_not_found (batch) +
                    fp_download_batch_get_n_error (batch), ==, count_finished (batch));

  /* Promptly: the bound is generous, not a speed test. */
  g_assert_cmpfloat (after_cancel, <, 5.0);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  assert_only_ok_flags_on_disk (f, batch);

  recorder_clear (&r);
}

typedef struct {
  FpTestServer *server;
  FpDownloadBatch *batch;
  guint requests;
  gint64 cancelled_at;
} CancelWhenStalled;

static gboolean
cancel_when_stalled_cb (gpointer data)
{
  CancelWhenStalled *c = data;

  if (fp_test_server_get_request_count (c->server) < c->requests)
    return G_SOURCE_CONTINUE;
  c->cancelled_at = g_get_monotonic_time ();
  fp_download_batch_cancel (c->batch);
  return G_SOURCE_REMOVE;
}

static void
test_batch_cancel_running (Fixture       *f,
                           gconstpointer  data)
{
  /* Every worker stuck in a stall that only ends at the 30 s timeout: a
   * cancel must abort the running requests, not wait for them. */
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "stall-body");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = fp_test_load_debian_flag ("ad");
  g_autofree char *existing = NULL;
  CancelWhenStalled c = { f->faults, batch, 4, 0 };
  GPtrArray *results;
  double after_cancel;

  g_assert_cmpint (g_mkdir (f->dest, 0755), ==, 0);
  existing = g_build_filename (f->dest, "ad.png", NULL);
  fp_test_write_file (existing, good);

  fp_download_batch_set_concurrency (batch, 4);
  fp_download_batch_set_timeout (batch, 30.0);
  /* Cancel once the four requests are stalled at the server. */
  g_timeout_add (10, cancel_when_stalled_cb, &c);

  g_assert_false (run_batch (batch, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (c.cancelled_at, >, 0);
  after_cancel = (g_get_monotonic_time () - c.cancelled_at) / (double) G_USEC_PER_SEC;
  g_test_message ("completed %.3f s after the cancel", after_cancel);

  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 8);
  for (guint i = 0; i < results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, i);
      g_test_message ("%s: %s", fp_download_result_get_code (result), fp_download_result_get_message (result));
      g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_CANCELLED);
    }
  /* The four queued ones never started. */
  g_assert_cmpuint (fp_test_server_get_request_count (f->faults), ==, 4);
  g_assert_cmpfloat (after_cancel, <, 5.0);

  /* Nothing partial; the flag that was there is intact. */
  fp_test_assert_dir_holds (f->dest, "ad.png", NULL);
  fp_test_assert_file_bytes (existing, good);
}

static void
test_batch_unwritable_destination (Fixture       *f,
                                   gconstpointer  data)
{
  const char *codes[] = { "BR", "CN", NULL };
  g_autofree char *file_path = g_build_filename (f->root, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (file_path, "flags", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (under_file);
  g_autoptr(GBytes) text = g_bytes_new_static ("not a folder", 12);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  Recorder r;

  fp_test_write_file (file_path, text);

  recorder_init (&r);
  batch = fp_download_batch_new (codes, fp_flag_server_get_base_url (f->server), "png", dest);
  recorder_watch (&r, batch);
  g_assert_false (run_batch (batch, NULL, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION);
  g_test_message ("%s", error->message);

  /* Nothing was downloaded: the batch said so once instead of failing each code. */
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 0);
  g_assert_cmpuint (r.started->len, ==, 0);
  g_assert_cmpuint (r.completed->len, ==, 0);
  g_assert_cmpuint (fp_download_batch_get_n_done (batch), ==, 0);
  fp_test_assert_file_bytes (file_path, text);

  recorder_clear (&r);
}

static void
test_batch_existing_flag_survives (Fixture       *f,
                                   gconstpointer  data)
{
  const char *codes[] = { "BR", "CN", "DE", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "bycode");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = fp_test_load_debian_flag ("br");
  g_autofree char *existing = NULL;

  g_assert_cmpint (g_mkdir (f->dest, 0755), ==, 0);
  existing = g_build_filename (f->dest, "br.png", NULL);
  fp_test_write_file (existing, good);
  fp_test_server_set_code_fault (f->faults, "BR", "short");
  fp_test_server_set_code_fault (f->faults, "CN", "truncated-png");
  fp_test_server_set_code_fault (f->faults, "DE", "huge");

  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 3);
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);
  fp_test_assert_file_bytes (existing, good);
}

static void
test_batch_invalid_codes (Fixture       *f,
                          gconstpointer  data)
{
  const char *codes[] = { "BR", "b/", "../", "BRA", NULL };
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "ok");
  g_auto(GStrv) paths = NULL;

  batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 1);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 3);
  paths = fp_test_server_dup_request_paths (f->faults);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "/ok/br/br.png");
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);
  fp_test_assert_dir_holds (f->root, "flags", NULL);
}

static void
test_batch_empty (Fixture       *f,
                  gconstpointer  data)
{
  const char *codes[] = { NULL };
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, fp_flag_server_get_base_url (f->server),
                                                            "png", f->dest_file);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_batch (batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_total (batch), ==, 0);
  g_assert_cmpuint (fp_download_batch_get_n_done (batch), ==, 0);
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 0);
}

typedef struct {
  Fixture *f;
  guint wrong_thread;
  guint completed;
  gboolean ok;
} ThreadRun;

static gpointer
run_batch_in_thread (gpointer data)
{
  ThreadRun *run = data;
  const char *codes[] = { "BR", "CN", "XX", NULL };
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  Recorder r;

  /* Signals and the callback belong to the caller's thread-default context. */
  g_main_context_push_thread_default (context);
  recorder_init (&r);
  batch = fp_download_batch_new (codes, fp_flag_server_get_base_url (run->f->server), "png", run->f->dest_file);
  recorder_watch (&r, batch);
  run->ok = run_batch (batch, NULL, &error);
  run->wrong_thread = r.wrong_thread;
  run->completed = r.completed->len;
  recorder_clear (&r);
  g_clear_object (&batch);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static void
test_batch_thread_default_context (Fixture       *f,
                                   gconstpointer  data)
{
  ThreadRun run = { f, 0, 0, FALSE };
  GThread *thread = g_thread_new ("batch-owner", run_batch_in_thread, &run);

  g_thread_join (thread);
  g_assert_true (run.ok);
  g_assert_cmpuint (run.completed, ==, 3);
  g_assert_cmpuint (run.wrong_thread, ==, 0);
}

static void
test_batch_signals_while_caller_busy (Fixture       *f,
                                      gconstpointer  data)
{
  /* A caller that turns its main context now and then, doing other work
   * in between (the context is not acquired then): the signals must still
   * wait for the caller's context instead of running on a worker. */
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AT", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "ok");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GAsyncResult *slot = NULL;
  Recorder r;

  recorder_init (&r);
  recorder_watch (&r, batch);
  fp_download_batch_set_concurrency (batch, 2);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  while (slot == NULL)
    {
      g_main_context_iteration (r.context, FALSE);
      g_usleep (G_USEC_PER_SEC / 100);
    }
  result = g_steal_pointer (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (r.started->len, ==, 10);
  g_assert_cmpuint (r.completed->len, ==, 10);
  g_assert_cmpuint (r.wrong_thread, ==, 0);
  g_assert_cmpuint (r.inconsistent, ==, 0);

  recorder_clear (&r);
}

/* Counts what the batch says after the cancel. */
typedef struct {
  Recorder r;
  FpDownloadBatch *batch;
  const char *dest;
  guint n_codes;
  gboolean cancelled;
  guint answered_after_cancel;  /* completions other than "cancelled" */
  guint counted_at_cancel;
  guint notified_after_cancel;  /* notify::n-ok and the like */
} PromptCancel;

static guint
count_files (const char *dir)
{
  g_auto(GStrv) names = fp_test_list_dir (dir);
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++)
    n += names[i][0] != '.';
  return n;
}

static void
prompt_cancel_completed_cb (FpDownloadBatch  *batch,
                            FpDownloadResult *result,
                            PromptCancel     *p)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  if (p->cancelled)
    {
      if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_CANCELLED)
        p->answered_after_cancel++;
      return;
    }

  /* Before cancelling, let every other download finish on its worker:
   * each flag is saved, only its news is still on the way, as when a
   * person clicks Cancel while a hundred answers pour in. Without the
   * cancel's rule they would all be counted after it. */
  while (count_files (p->dest) < p->n_codes && g_get_monotonic_time () < give_up)
    g_usleep (1000);
  g_assert_cmpuint (count_files (p->dest), ==, p->n_codes);

  p->cancelled = TRUE;
  p->counted_at_cancel = fp_download_batch_get_n_ok (batch) + fp_download_batch_get_n_not_found (batch) +
                         fp_download_batch_get_n_error (batch);
  fp_download_batch_cancel (batch);
  /* The cancel has taken effect when it returns, on this thread. */
  g_assert_false (fp_download_batch_get_running (batch));
  g_assert_true (fp_download_batch_get_cancelled (batch));
}

static void
prompt_cancel_counted_cb (FpDownloadBatch *batch,
                          GParamSpec      *pspec,
                          PromptCancel    *p)
{
  if (p->cancelled)
    p->notified_after_cancel++;
}

static void
test_batch_cancel_prompt (Fixture       *f,
                          gconstpointer  data)
{
  g_auto(GStrv) codes = take_first_codes (20);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "ok");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  PromptCancel p = { .dest = f->dest, .n_codes = 20 };
  GPtrArray *results;
  guint n_answered = 0;
  double elapsed;

  /* All twenty in flight at once, then answered together. */
  fp_test_server_hold_answers_until (f->faults, 20);
  recorder_init (&p.r);
  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", f->dest_file);
  p.batch = batch;
  fp_download_batch_set_concurrency (batch, 20);
  recorder_watch (&p.r, batch);
  g_signal_connect (batch, "download-completed", G_CALLBACK (prompt_cancel_completed_cb), &p);
  g_signal_connect (batch, "notify::n-ok", G_CALLBACK (prompt_cancel_counted_cb), &p);
  g_signal_connect (batch, "notify::n-error", G_CALLBACK (prompt_cancel_counted_cb), &p);
  g_signal_connect (batch, "notify::n-not-found", G_CALLBACK (prompt_cancel_counted_cb), &p);

  g_assert_false (run_batch (batch, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  elapsed = fp_download_batch_get_elapsed (batch);

  /* Nothing was answered, or counted, after the cancel. */
  g_assert_true (p.cancelled);
  g_assert_cmpuint (p.counted_at_cancel, ==, 1);
  g_assert_cmpuint (p.answered_after_cancel, ==, 0);
  g_assert_cmpuint (p.notified_after_cancel, ==, 0);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 1);

  /* Every code is reported: one downloaded, the rest cancelled. */
  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 20);
  for (guint i = 0; i < results->len; i++)
    n_answered += fp_download_result_get_status (g_ptr_array_index (results, i)) != FP_DOWNLOAD_STATUS_CANCELLED;
  g_assert_cmpuint (n_answered, ==, 1);
  g_assert_cmpuint (p.r.wrong_thread, ==, 0);

  /* Late news of the workers changes nothing: the elapsed time stopped
   * at the cancel and the results stay. */
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 20);
  g_assert_cmpfloat (fp_download_batch_get_elapsed (batch), ==, elapsed);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 1);

  recorder_clear (&p.r);
}

typedef struct {
  FpTestServer *server;
  FpDownloadBatch *batch;
  guint in_flight_seen;
  guint awaiting_seen;
} StallWatch;

static gboolean
all_stalled_cb (gpointer data)
{
  StallWatch *w = data;

  /* The four requests are at the server, and the batch says so. The
   * workers count what awaits a first byte themselves, while "in flight"
   * follows the batch's news of each start, which reaches this thread a
   * moment later: on a loaded machine the server has all four before the
   * last start is told. Both must come to four, and stay there. */
  if (fp_test_server_get_request_count (w->server) < 4 ||
      fp_download_batch_get_n_awaiting (w->batch) < 4 ||
      fp_download_batch_get_n_in_flight (w->batch) < 4)
    return G_SOURCE_CONTINUE;
  w->in_flight_seen = fp_download_batch_get_n_in_flight (w->batch);
  w->awaiting_seen = fp_download_batch_get_n_awaiting (w->batch);
  fp_download_batch_cancel (w->batch);
  return G_SOURCE_REMOVE;
}

static void
test_batch_in_flight (Fixture       *f,
                      gconstpointer  data)
{
  /* A server that never answers: "0 of 6" alone would hide that four
   * requests wait for a first byte. */
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->faults, "stall");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GError) error = NULL;
  StallWatch w = { f->faults, batch, 0, 0 };

  fp_download_batch_set_concurrency (batch, 4);
  fp_download_batch_set_timeout (batch, 60.0);
  g_assert_cmpuint (fp_download_batch_get_n_in_flight (batch), ==, 0);
  g_timeout_add (5, all_stalled_cb, &w);

  g_assert_false (run_batch (batch, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (w.in_flight_seen, ==, 4);
  g_assert_cmpuint (w.awaiting_seen, ==, 4);
  g_assert_cmpuint (fp_download_batch_get_n_in_flight (batch), ==, 0);
  g_assert_cmpuint (fp_download_batch_get_n_awaiting (batch), ==, 0);
}

#define ADD_TEST(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  ADD_TEST ("/download-batch/properties", test_batch_properties, NULL);
  ADD_TEST ("/download-batch/statuses", test_batch_statuses, NULL);
  ADD_TEST ("/download-batch/builtin-server", test_batch_builtin_server, NULL);
  ADD_TEST ("/download-batch/completion-order", test_batch_completion_order, NULL);
  ADD_TEST ("/download-batch/concurrency/1", test_batch_concurrency, GUINT_TO_POINTER (1));
  ADD_TEST ("/download-batch/concurrency/5", test_batch_concurrency, GUINT_TO_POINTER (5));
  ADD_TEST ("/download-batch/concurrency/30", test_batch_concurrency, GUINT_TO_POINTER (30));
  ADD_TEST ("/download-batch/concurrency/100", test_batch_concurrency, GUINT_TO_POINTER (100));
  ADD_TEST ("/download-batch/sequential", test_batch_sequential, NULL);
  ADD_TEST ("/download-batch/cancel-mid-batch", test_batch_cancel_mid_batch, NULL);
  ADD_TEST ("/download-batch/cancel-running", test_batch_cancel_running, NULL);
  ADD_TEST ("/download-batch/cancel-prompt", test_batch_cancel_prompt, NULL);
  ADD_TEST ("/download-batch/in-flight", test_batch_in_flight, NULL);
  ADD_TEST ("/download-batch/unwritable-destination", test_batch_unwritable_destination, NULL);
  ADD_TEST ("/download-batch/existing-flag-survives", test_batch_existing_flag_survives, NULL);
  ADD_TEST ("/download-batch/invalid-codes", test_batch_invalid_codes, NULL);
  ADD_TEST ("/download-batch/empty", test_batch_empty, NULL);
  ADD_TEST ("/download-batch/thread-default-context", test_batch_thread_default_context, NULL);
  ADD_TEST ("/download-batch/signals-while-caller-busy", test_batch_signals_while_caller_busy, NULL);

  return g_test_run ();
}
