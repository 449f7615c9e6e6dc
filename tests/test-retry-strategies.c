/* test-retry-strategies.c — every strategy retries as the thread pool does, and records each try
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-retry-strategies"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-process-pool.h"
#include "fp-test-support.h"

/*
 * The same flaky server for each strategy: the thread pool's answers are
 * the reference, and the event loop and the process pool must give the
 * same statuses, the same number of tries and the same waits. The
 * back-off is real here (the event loop arms a timer, a worker process
 * sleeps, neither can use a test clock), so it is made short; nothing is
 * timed, only counted.
 */

#define FIRST_DELAY_S 0.02

typedef struct {
  FpTestServer *server;
  char *root;
  GFile *dest;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dest = NULL;

  f->server = fp_test_server_new ();
  f->root = fp_test_make_temp_dir ();
  dest = g_build_filename (f->root, "flags", NULL);
  f->dest = g_file_new_for_path (dest);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, fp_test_server_free);
  fp_test_remove_tree (f->root);
  g_clear_pointer (&f->root, g_free);
  g_clear_object (&f->dest);
}

static FpDownloadBatch *
run_flaky_batch (Fixture            *f,
                 FpDownloadStrategy  strategy,
                 const char * const *codes,
                 FpRetryPolicy      *policy)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  FpDownloadBatch *batch = fp_download_batch_new (codes, base_url, "png", f->dest);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  fp_download_batch_set_strategy (batch, strategy);
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
test_retries (Fixture       *f,
              gconstpointer  data)
{
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", NULL };
  const gint64 back_off[] = { 20, 40, 80 };
  const gint64 retry_after[] = { 0, 0 };
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (3);
  g_autoptr(FpDownloadBatch) batch = NULL;

  fp_retry_policy_set_first_delay (policy, FIRST_DELAY_S);
  fp_test_server_set_code_fault (f->server, "AD", "503x2");      /* back-off 20 ms, 40 ms */
  fp_test_server_set_code_fault (f->server, "AE", "503x2-ra0");  /* Retry-After: 0, twice */
  fp_test_server_set_code_fault (f->server, "AF", "404");        /* never retried */
  fp_test_server_set_code_fault (f->server, "AG", "418x1");      /* not retried unless asked */
  fp_test_server_set_code_fault (f->server, "AI", "resetx1");    /* a reset is transient */
  fp_test_server_set_code_fault (f->server, "AL", "503x5");      /* more failures than retries */

  batch = run_flaky_batch (f, strategy, codes, policy);

  fp_test_assert_tries (batch, "AD", FP_DOWNLOAD_STATUS_OK, 3, 503, back_off);
  fp_test_assert_tries (batch, "AE", FP_DOWNLOAD_STATUS_OK, 3, 503, retry_after);
  fp_test_assert_tries (batch, "AF", FP_DOWNLOAD_STATUS_NOT_FOUND, 1, 404, NULL);
  fp_test_assert_tries (batch, "AG", FP_DOWNLOAD_STATUS_ERROR, 1, 418, NULL);
  fp_test_assert_tries (batch, "AI", FP_DOWNLOAD_STATUS_OK, 2, 0, back_off);
  fp_test_assert_tries (batch, "AL", FP_DOWNLOAD_STATUS_ERROR, 4, 503, back_off);
  g_assert_cmpstr (fp_download_result_get_try (fp_test_find_result (batch, "AD"), 0)->message, ==,
                   "HTTP 503 Service Unavailable");
  /* The last failure is the result, with its code from the engine's domain. */
  g_assert_cmpstr (fp_download_result_get_message (fp_test_find_result (batch, "AL")), ==,
                   "HTTP 503 Service Unavailable");
  g_assert_cmpuint (fp_download_result_get_http_status (fp_test_find_result (batch, "AL")), ==, 503);
  g_assert_cmpstr (fp_download_result_get_error_nick (fp_test_find_result (batch, "AL")), ==,
                   fp_download_result_get_error_nick (fp_test_find_result (batch, "AG")));

  /* Counted once per request made again; the server saw every try. */
  g_assert_cmpuint (fp_download_batch_get_n_retries (batch), ==, 2 + 2 + 1 + 3);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 3);
  g_assert_cmpuint (fp_download_batch_get_n_not_found (batch), ==, 1);
  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 2);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 3 + 3 + 1 + 1 + 2 + 4);
}

static void
test_retries_off_by_default (Fixture       *f,
                             gconstpointer  data)
{
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  const char *codes[] = { "AD", "AI", NULL };
  g_autoptr(FpDownloadBatch) batch = NULL;

  fp_test_server_set_code_fault (f->server, "AD", "503x2");
  fp_test_server_set_code_fault (f->server, "AI", "resetx1");
  batch = run_flaky_batch (f, strategy, codes, NULL);

  fp_test_assert_tries (batch, "AD", FP_DOWNLOAD_STATUS_ERROR, 1, 503, NULL);
  g_assert_cmpint (fp_download_result_get_status (fp_test_find_result (batch, "AI")), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpuint (fp_download_batch_get_n_retries (batch), ==, 0);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 2);
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
test_cancel_during_back_off (Fixture       *f,
                             gconstpointer  data)
{
  /* Every download waits an hour before its second try: only the cancel
   * can end the test in time, and no second try ever reaches the server. */
  FpDownloadStrategy strategy = GPOINTER_TO_INT (data);
  const char *codes[] = { "AD", "AE", "AF", NULL };
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (3);
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "503");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  CancelWhenWaiting c = { f->server, batch, 3 };
  g_auto(GStrv) left = NULL;
  GPtrArray *results;

  fp_retry_policy_set_first_delay (policy, 3600);
  fp_retry_policy_set_max_delay (policy, 3600);
  fp_download_batch_set_strategy (batch, strategy);
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

  /* The workers let go once their waits end (a worker process at its
   * SIGTERM); nothing was saved. */
  g_clear_object (&result);   /* it holds the batch too */
  fp_test_wait_for_processes_to_end (batch);
  g_clear_object (&batch);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 3);
  left = fp_test_list_dir (g_file_peek_path (f->dest));
  g_assert_cmpuint (left != NULL ? g_strv_length (left) : 0, ==, 0);
}

static void
test_policy_on_command_line (void)
{
  g_autoptr(FpRetryPolicy) policy = fp_retry_policy_new (4);
  g_autoptr(FpRetryPolicy) back = NULL;
  g_autofree char *text = NULL;

  fp_retry_policy_set_first_delay (policy, 0.25);
  fp_retry_policy_set_max_delay (policy, 7.5);
  fp_retry_policy_set_retry_status (policy, 418, TRUE);
  fp_retry_policy_set_retry_status (policy, 500, FALSE);
  text = fp_process_pool_encode_retry_policy (policy);
  g_assert_cmpstr (text, ==, "4:0.25:7.5:408,418,429,502,503,504");

  back = fp_process_pool_decode_retry_policy (text);
  g_assert_nonnull (back);
  g_assert_cmpuint (fp_retry_policy_get_max_retries (back), ==, 4);
  g_assert_cmpfloat (fp_retry_policy_get_first_delay (back), ==, 0.25);
  g_assert_cmpfloat (fp_retry_policy_get_max_delay (back), ==, 7.5);
  g_assert_true (fp_retry_policy_is_transient (back, NULL, FALSE, 418));
  g_assert_false (fp_retry_policy_is_transient (back, NULL, FALSE, 500));
  g_assert_true (fp_retry_policy_is_transient (back, NULL, FALSE, 503));

  g_assert_null (fp_process_pool_decode_retry_policy ("three"));
  g_assert_null (fp_process_pool_decode_retry_policy ("3:1:10"));
  g_assert_null (fp_process_pool_decode_retry_policy ("3:x:10:503"));
  g_assert_null (fp_process_pool_decode_retry_policy ("3:1:10:5033"));
}

static void
test_tries_through_the_pipe (void)
{
  /* A worker's result carries its tries, on the clock processes share. */
  g_autoptr(FpDownloadResult) result = fp_download_result_new_failed ("AD", FP_DOWNLOAD_ERROR_FAILED, 503,
                                                                      "HTTP 503 Service Unavailable");
  g_autoptr(FpDownloadResult) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  FpDownloadTry first = { 100, 200, 503, (char *) "HTTP 503 Service Unavailable", 1000000 };
  FpDownloadTry second = { 1000300, 1000400, 503, (char *) "HTTP 503 Service Unavailable", 0 };

  fp_download_result_add_try (result, &first);
  fp_download_result_add_try (result, &second);
  line = fp_process_pool_encode_result (result, 100, 1000400);
  back = fp_process_pool_decode_result (line, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_result_get_n_tries (back), ==, 2);
  g_assert_cmpint (fp_download_result_get_try (back, 0)->started_us, ==, 100);
  g_assert_cmpint (fp_download_result_get_try (back, 0)->wait_us, ==, 1000000);
  g_assert_cmpuint (fp_download_result_get_try (back, 1)->http_status, ==, 503);
  g_assert_cmpstr (fp_download_result_get_try (back, 1)->message, ==, "HTTP 503 Service Unavailable");
  g_assert_cmpint (fp_download_result_get_try (back, 1)->ended_us, ==, 1000400);
}

#define ADD_TEST(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  const FpDownloadStrategy strategies[] = { FP_DOWNLOAD_STRATEGY_THREADS, FP_DOWNLOAD_STRATEGY_ASYNC,
                                            FP_DOWNLOAD_STRATEGY_PROCESSES };

  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/retry-strategies/policy-on-command-line", test_policy_on_command_line);
  g_test_add_func ("/retry-strategies/tries-through-the-pipe", test_tries_through_the_pipe);
  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    {
      const char *s = fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, strategies[i]);
      g_autofree char *retries = g_strdup_printf ("/retry-strategies/%s/retries", s);
      g_autofree char *off = g_strdup_printf ("/retry-strategies/%s/off-by-default", s);
      g_autofree char *cancel = g_strdup_printf ("/retry-strategies/%s/cancel-during-back-off", s);

      ADD_TEST (retries, test_retries, GINT_TO_POINTER (strategies[i]));
      ADD_TEST (off, test_retries_off_by_default, GINT_TO_POINTER (strategies[i]));
      ADD_TEST (cancel, test_cancel_during_back_off, GINT_TO_POINTER (strategies[i]));
    }

  return g_test_run ();
}
