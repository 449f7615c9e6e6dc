/* test-retry-policy.c — which failures are tried again, the back-off, Retry-After, a cancelled wait
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-retry-policy"

#include "config.h"

#include <locale.h>
#include <libsoup/soup.h>

#include "flagpole-engine.h"
#include "fp-retry-policy-private.h"
#include "fp-test-support.h"

static void
test_retry_transient (void)
{
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (3);
  g_autoptr(GError) reset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "reset");
  g_autoptr(GError) cut = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "cut");
  g_autoptr(GError) refused = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "refused");
  g_autoptr(GError) unresolved = g_error_new_literal (G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no");
  const guint transient[] = { 408, 429, 500, 502, 503, 504 };
  const guint permanent[] = { 400, 401, 403, 404, 410, 418, 501 };

  for (guint i = 0; i < G_N_ELEMENTS (transient); i++)
    g_assert_true (fp_retry_policy_is_transient (policy, NULL, FALSE, transient[i]));
  for (guint i = 0; i < G_N_ELEMENTS (permanent); i++)
    g_assert_false (fp_retry_policy_is_transient (policy, NULL, FALSE, permanent[i]));

  g_assert_true (fp_retry_policy_is_transient (policy, NULL, TRUE, 0));
  g_assert_true (fp_retry_policy_is_transient (policy, reset, FALSE, 0));
  g_assert_true (fp_retry_policy_is_transient (policy, cut, FALSE, 0));
  g_assert_false (fp_retry_policy_is_transient (policy, refused, FALSE, 0));
  g_assert_false (fp_retry_policy_is_transient (policy, unresolved, FALSE, 0));
  g_assert_false (fp_retry_policy_is_transient (policy, NULL, FALSE, 0));

  /* 418 only when asked; a default can be taken away. */
  fp_retry_policy_set_retry_status (policy, 418, TRUE);
  fp_retry_policy_set_retry_status (policy, 500, FALSE);
  g_assert_true (fp_retry_policy_is_transient (policy, NULL, FALSE, 418));
  g_assert_false (fp_retry_policy_is_transient (policy, NULL, FALSE, 500));
}

static void
test_retry_limit (void)
{
  g_autoptr(FpRetryPolicy) none = fp_retry_policy_new (0);
  g_autoptr(FpRetryPolicy) three = fp_retry_policy_new (3);
  g_autoptr(FpRetryPolicy) many = fp_retry_policy_new (1000);

  g_assert_false (fp_retry_policy_should_retry (none, 1, TRUE));

  /* Three retries: four tries in all. */
  g_assert_true (fp_retry_policy_should_retry (three, 1, TRUE));
  g_assert_true (fp_retry_policy_should_retry (three, 3, TRUE));
  g_assert_false (fp_retry_policy_should_retry (three, 4, TRUE));
  g_assert_false (fp_retry_policy_should_retry (three, 1, FALSE));

  g_assert_cmpuint (fp_retry_policy_get_max_retries (many), ==, FP_MAX_RETRIES);
}

static void
test_retry_back_off (void)
{
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (10);

  /* 1 s, doubled after each try, never more than the cap. */
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 1, -1), ==, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 2, -1), ==, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 3, -1), ==, 4 * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 4, -1), ==, 8 * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 5, -1), ==, FP_RETRY_MAX_DELAY_S * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 9, -1), ==, FP_RETRY_MAX_DELAY_S * G_USEC_PER_SEC);

  /* What the server asks replaces the back-off, up to the same cap. */
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 3, 1.0), ==, 1 * G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 1, 0.0), ==, 0);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 1, 3600.0), ==, FP_RETRY_MAX_DELAY_S * G_USEC_PER_SEC);

  fp_retry_policy_set_first_delay (policy, 0.25);
  fp_retry_policy_set_max_delay (policy, 30);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 3, -1), ==, G_USEC_PER_SEC);
  g_assert_cmpint (fp_retry_policy_get_delay_us (policy, 1, 20.0), ==, 20 * G_USEC_PER_SEC);
}

static void
test_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 1, 12, 0, 0);

  g_assert_cmpfloat (fp_retry_parse_retry_after ("1", now), ==, 1.0);
  g_assert_cmpfloat (fp_retry_parse_retry_after (" 120 ", now), ==, 120.0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("0", now), ==, 0.0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("Tue, 01 Dec 2026 12:00:05 GMT", now), ==, 5.0);
  /* A date gone by: at once. */
  g_assert_cmpfloat (fp_retry_parse_retry_after ("Tue, 01 Dec 2026 11:00:00 GMT", now), ==, 0.0);

  g_assert_cmpfloat (fp_retry_parse_retry_after (NULL, now), <, 0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("", now), <, 0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("-1", now), <, 0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("1.5", now), <, 0);
  g_assert_cmpfloat (fp_retry_parse_retry_after ("soon", now), <, 0);
}

static gpointer
cancel_soon_thread (gpointer data)
{
  GCancellable *cancellable = data;

  g_cancellable_cancel (cancellable);
  return NULL;
}

static void
test_retry_wait_cancelled (void)
{
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GThread *thread;

  /* A wait of an hour ends with the cancel: the test would hang otherwise. */
  thread = g_thread_new ("cancel", cancel_soon_thread, cancellable);
  g_assert_false (fp_retry_policy_wait (policy, (gint64) 3600 * G_USEC_PER_SEC, cancellable));
  g_thread_join (thread);

  g_assert_false (fp_retry_policy_wait (policy, 0, cancellable));
  g_assert_true (fp_retry_policy_wait (policy, 0, NULL));
}

static gboolean
record_sleep (gint64        delay_us,
              GCancellable *cancellable,
              gpointer      user_data)
{
  GArray *delays = user_data;

  g_array_append_val (delays, delay_us);
  return TRUE;
}

static void
test_retry_sleep_func (void)
{
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (1);
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  fp_retry_policy_set_sleep_func (policy, record_sleep, delays);
  g_assert_true (fp_retry_policy_wait (policy, 7 * G_USEC_PER_SEC, NULL));
  g_cancellable_cancel (cancellable);
  g_assert_false (fp_retry_policy_wait (policy, 5, cancellable));
  g_assert_cmpuint (delays->len, ==, 2);
  g_assert_cmpint (g_array_index (delays, gint64, 0), ==, 7 * G_USEC_PER_SEC);
}

/* Through a batch: a server that fails N times, then answers. */

typedef struct {
  GMutex lock;
  GArray *delays;              /* gint64, every wait the workers asked for */
} SleepLog;

static gboolean
log_sleep (gint64        delay_us,
           GCancellable *cancellable,
           gpointer      user_data)
{
  SleepLog *log = user_data;

  g_mutex_lock (&log->lock);
  g_array_append_val (log->delays, delay_us);
  g_mutex_unlock (&log->lock);
  return TRUE;
}

static FpDownloadBatch *
run_flaky_batch (FpTestServer       *server,
                 const char * const *codes,
                 FpRetryPolicy      *policy,
                 const char         *dest)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "bycode");
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  FpDownloadBatch *batch = fp_download_batch_new (codes, base_url, "png", dest_file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  fp_download_batch_set_concurrency (batch, 4);
  if (policy != NULL)
    fp_download_batch_set_retry_policy (batch, policy);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, &error));
  g_assert_no_error (error);
  return batch;
}

static void
test_retry_batch (void)
{
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", NULL };
  const gint64 back_off[] = { 1000, 2000, 4000 };
  const gint64 retry_after[] = { 1000, 1000 };
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (3);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autofree char *root = fp_test_make_temp_dir ();
  SleepLog log = { .delays = g_array_new (FALSE, FALSE, sizeof (gint64)) };
  gint64 total_wait = 0;

  g_mutex_init (&log.lock);
  fp_test_server_set_code_fault (server, "AD", "503x2");      /* back-off 1 s, 2 s */
  fp_test_server_set_code_fault (server, "AE", "503x2-ra1");  /* Retry-After: 1, twice */
  fp_test_server_set_code_fault (server, "AF", "404");        /* never retried */
  fp_test_server_set_code_fault (server, "AG", "418x1");      /* not retried unless asked */
  fp_test_server_set_code_fault (server, "AI", "resetx1");    /* a reset is transient */
  fp_retry_policy_set_sleep_func (policy, log_sleep, &log);

  batch = run_flaky_batch (server, codes, policy, root);

  fp_test_assert_tries (batch, "AD", FP_DOWNLOAD_STATUS_OK, 3, 503, back_off);
  fp_test_assert_tries (batch, "AE", FP_DOWNLOAD_STATUS_OK, 3, 503, retry_after);
  fp_test_assert_tries (batch, "AF", FP_DOWNLOAD_STATUS_NOT_FOUND, 1, 404, NULL);
  fp_test_assert_tries (batch, "AG", FP_DOWNLOAD_STATUS_ERROR, 1, 418, NULL);
  fp_test_assert_tries (batch, "AI", FP_DOWNLOAD_STATUS_OK, 2, 0, back_off);
  g_assert_cmpstr (fp_download_result_get_try (fp_test_find_result (batch, "AD"), 0)->message, ==,
                   "HTTP 503 Service Unavailable");

  /* Counted once per request made again; the server saw every try. */
  g_assert_cmpuint (fp_download_batch_get_n_retries (batch), ==, 2 + 2 + 1);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 3);
  g_assert_cmpuint (fp_test_server_get_request_count (server), ==, 3 + 3 + 1 + 1 + 2);

  /* The waits asked of the clock: 1 + 2, 1 + 1, 1; none really taken. */
  g_assert_cmpuint (log.delays->len, ==, 5);
  for (guint i = 0; i < log.delays->len; i++)
    total_wait += g_array_index (log.delays, gint64, i);
  g_assert_cmpint (total_wait, ==, 6 * G_USEC_PER_SEC);

  g_array_unref (log.delays);
  g_mutex_clear (&log.lock);
  fp_test_remove_tree (root);
}

static void
test_retry_off_by_default (void)
{
  const char *codes[] = { "AD", NULL };
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autofree char *root = fp_test_make_temp_dir ();

  fp_test_server_set_code_fault (server, "AD", "503x2");
  batch = run_flaky_batch (server, codes, NULL, root);

  g_assert_cmpuint (fp_download_batch_get_retries (batch), ==, 0);
  fp_test_assert_tries (batch, "AD", FP_DOWNLOAD_STATUS_ERROR, 1, 503, NULL);
  g_assert_cmpuint (fp_download_batch_get_n_retries (batch), ==, 0);
  g_assert_cmpuint (fp_test_server_get_request_count (server), ==, 1);
  fp_test_remove_tree (root);
}

static void
test_retry_limit_reached (void)
{
  const char *codes[] = { "AD", "AE", NULL };
  const gint64 back_off[] = { 1000, 2000 };
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (2);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autofree char *root = fp_test_make_temp_dir ();
  SleepLog log = { .delays = g_array_new (FALSE, FALSE, sizeof (gint64)) };

  g_mutex_init (&log.lock);
  fp_test_server_set_code_fault (server, "AD", "503x5");
  /* Asked for: the simulated failures of the built-in server too. */
  fp_test_server_set_code_fault (server, "AE", "418x1");
  fp_retry_policy_set_retry_status (policy, 418, TRUE);
  fp_retry_policy_set_sleep_func (policy, log_sleep, &log);
  batch = run_flaky_batch (server, codes, policy, root);

  /* Two retries, three tries, and the last failure is the result. */
  fp_test_assert_tries (batch, "AD", FP_DOWNLOAD_STATUS_ERROR, 3, 503, back_off);
  g_assert_cmpstr (fp_download_result_get_message (fp_test_find_result (batch, "AD")), ==,
                   "HTTP 503 Service Unavailable");
  fp_test_assert_tries (batch, "AE", FP_DOWNLOAD_STATUS_OK, 2, 418, back_off);
  g_assert_cmpuint (fp_download_batch_get_n_retries (batch), ==, 3);

  g_array_unref (log.delays);
  g_mutex_clear (&log.lock);
  fp_test_remove_tree (root);
}

typedef struct {
  FpTestServer *server;
  FpDownloadBatch *batch;
  guint requests;
} CancelWhenWaiting;

static gboolean
cancel_when_waiting_cb (gpointer data)
{
  CancelWhenWaiting *c = data;

  if (fp_test_server_get_request_count (c->server) < c->requests)
    return G_SOURCE_CONTINUE;
  fp_download_batch_cancel (c->batch);
  return G_SOURCE_REMOVE;
}

static void
test_retry_cancel_during_back_off (void)
{
  /* Every worker waits an hour before its second try: the real clock,
   * so only the cancel can end the test in time. */
  const char *codes[] = { "AD", "AE", "AF", NULL };
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (3);
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "503");
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", dest);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  CancelWhenWaiting c = { server, batch, 3 };
  GPtrArray *results;

  fp_retry_policy_set_first_delay (policy, 3600);
  fp_retry_policy_set_max_delay (policy, 3600);
  fp_download_batch_set_retry_policy (batch, policy);
  g_timeout_add (10, cancel_when_waiting_cb, &c);

  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_false (fp_download_batch_run_finish (batch, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (fp_download_result_get_status (g_ptr_array_index (results, i)), ==,
                     FP_DOWNLOAD_STATUS_CANCELLED);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 0);

  /* The pool lets its workers go only once their waits end: freeing the
   * server joins its threads, and no second try ever reaches it. */
  g_clear_object (&batch);
  g_assert_cmpuint (fp_test_server_get_request_count (server), ==, 3);
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

  g_test_add_func ("/retry-policy/batch", test_retry_batch);
  g_test_add_func ("/retry-policy/batch-off-by-default", test_retry_off_by_default);
  g_test_add_func ("/retry-policy/batch-limit", test_retry_limit_reached);
  g_test_add_func ("/retry-policy/batch-cancel-during-back-off", test_retry_cancel_during_back_off);

  g_test_add_func ("/retry-policy/transient", test_retry_transient);
  g_test_add_func ("/retry-policy/limit", test_retry_limit);
  g_test_add_func ("/retry-policy/back-off", test_retry_back_off);
  g_test_add_func ("/retry-policy/retry-after", test_retry_after_parse);
  g_test_add_func ("/retry-policy/wait-cancelled", test_retry_wait_cancelled);
  g_test_add_func ("/retry-policy/sleep-func", test_retry_sleep_func);

  return g_test_run ();
}
