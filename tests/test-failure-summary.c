/* test-failure-summary.c — failures grouped by cause; an unreachable source said once, naming its host
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-failure-summary"

#include "config.h"

#include <locale.h>

#include "flagpole-engine.h"
#include "fp-failure-summary.h"
#include "fp-test-support.h"

static void
add (GPtrArray       *results,
     guint            n,
     FpDownloadError  code,
     guint            http_status,
     const char      *message)
{
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (results, fp_download_result_new_failed ("AA", code, http_status, message));
}

static void
add_status (GPtrArray        *results,
            guint             n,
            FpDownloadStatus  status)
{
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (results, fp_download_result_new ("AB", status, NULL));
}

static void
test_summary_groups (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FpFailureSummary) summary = NULL;
  g_autofree char *text = NULL;

  /* Interleaved, as a batch completes them. */
  add (results, 3, FP_DOWNLOAD_ERROR_HTTP_STATUS, 418, "HTTP 418 I'm a Teapot");
  add (results, 5, FP_DOWNLOAD_ERROR_TIMEOUT, 0, "timed out after 2.0 s");
  add_status (results, 4, FP_DOWNLOAD_STATUS_OK);
  add_status (results, 2, FP_DOWNLOAD_STATUS_NOT_FOUND);
  add (results, 5, FP_DOWNLOAD_ERROR_HTTP_STATUS, 418, "HTTP 418 I'm a Teapot");
  add (results, 7, FP_DOWNLOAD_ERROR_TIMEOUT, 0, "timed out after 2.0 s");
  add (results, 1, FP_DOWNLOAD_ERROR_HTTP_STATUS, 503, "HTTP 503 Service Unavailable");
  add_status (results, 3, FP_DOWNLOAD_STATUS_CANCELLED);

  summary = fp_failure_summary_new (results, "http://127.0.0.1:8001/flags", TRUE);
  g_assert_cmpuint (fp_failure_summary_get_n_failed (summary), ==, 21);
  g_assert_cmpuint (fp_failure_summary_get_n_causes (summary), ==, 3);
  g_assert_cmpuint (fp_failure_summary_get_cause_count (summary, 0), ==, 12);
  g_assert_cmpint (fp_failure_summary_get_cause_code (summary, 0), ==, FP_DOWNLOAD_ERROR_TIMEOUT);
  g_assert_cmpuint (fp_failure_summary_get_cause_count (summary, 1), ==, 8);
  g_assert_cmpuint (fp_failure_summary_get_cause_count (summary, 2), ==, 1);

  text = fp_failure_summary_format (summary, 0);
  g_assert_cmpstr (text, ==, "12 timed out after 2.0 s · 8 HTTP 418 I'm a Teapot · 1 HTTP 503 Service Unavailable");
  g_clear_pointer (&text, g_free);
  /* Room for two: the third is named anyway rather than as "1 other error". */
  text = fp_failure_summary_format (summary, 2);
  g_assert_cmpstr (text, ==, "12 timed out after 2.0 s · 8 HTTP 418 I'm a Teapot · 1 HTTP 503 Service Unavailable");
  g_clear_pointer (&text, g_free);
  text = fp_failure_summary_format (summary, 1);
  g_assert_cmpstr (text, ==, "12 timed out after 2.0 s · 9 other errors");

  /* Answers came: the source was reached. */
  g_assert_false (fp_failure_summary_get_unreachable (summary));
  g_assert_null (fp_failure_summary_get_headline (summary));
}

static void
test_summary_nothing_failed (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FpFailureSummary) summary = NULL;
  g_autofree char *text = NULL;

  add_status (results, 3, FP_DOWNLOAD_STATUS_OK);
  add_status (results, 2, FP_DOWNLOAD_STATUS_CANCELLED);
  summary = fp_failure_summary_new (results, NULL, TRUE);
  text = fp_failure_summary_format (summary, 0);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpuint (fp_failure_summary_get_n_failed (summary), ==, 0);
  g_assert_false (fp_failure_summary_get_unreachable (summary));
}

static void
test_summary_not_unreachable (void)
{
  g_autoptr(GPtrArray) answered = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) mixed = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FpFailureSummary) a = NULL;
  g_autoptr(FpFailureSummary) m = NULL;
  g_autoptr(FpFailureSummary) s = NULL;

  /* One flag came: the source is there, some connections were refused. */
  add (answered, 19, FP_DOWNLOAD_ERROR_REFUSED, 0, "connection refused");
  add_status (answered, 1, FP_DOWNLOAD_STATUS_OK);
  a = fp_failure_summary_new (answered, "http://127.0.0.1:9/", TRUE);
  g_assert_false (fp_failure_summary_get_unreachable (a));

  /* Two causes are not "the same way". */
  add (mixed, 10, FP_DOWNLOAD_ERROR_REFUSED, 0, "connection refused");
  add (mixed, 10, FP_DOWNLOAD_ERROR_TIMEOUT, 0, "timed out after 2.0 s");
  m = fp_failure_summary_new (mixed, "http://127.0.0.1:9/", TRUE);
  g_assert_false (fp_failure_summary_get_unreachable (m));

  /* Twenty 503s are twenty answers. */
  add (statuses, 20, FP_DOWNLOAD_ERROR_HTTP_STATUS, 503, "HTTP 503 Service Unavailable");
  s = fp_failure_summary_new (statuses, "http://127.0.0.1:9/", TRUE);
  g_assert_false (fp_failure_summary_get_unreachable (s));
}

static void
test_summary_unreachable_words (void)
{
  struct {
    FpDownloadError code;
    const char *message;
    const char *base_url;
    gboolean network;
    const char *headline;
  } cases[] = {
    { FP_DOWNLOAD_ERROR_REFUSED, "connection refused", "http://127.0.0.1:9/flags", TRUE,
      "Nothing is listening at 127.0.0.1:9" },
    { FP_DOWNLOAD_ERROR_DNS, "server not found", "http://flags.invalid/data", TRUE,
      "The server “flags.invalid” was not found" },
    { FP_DOWNLOAD_ERROR_DNS, "server not found", "https://www.fluentpython.com/data/flags", FALSE,
      "No internet connection" },
    { FP_DOWNLOAD_ERROR_UNREACHABLE, "server unreachable", "http://10.1.2.3:8080/", TRUE,
      "10.1.2.3:8080 cannot be reached" },
    { FP_DOWNLOAD_ERROR_UNREACHABLE, "server unreachable", "http://10.1.2.3:8080/", FALSE,
      "No internet connection" },
    /* No network says nothing of a server on this computer. */
    { FP_DOWNLOAD_ERROR_REFUSED, "connection refused", "http://localhost:8001/", FALSE,
      "Nothing is listening at localhost:8001" },
    { FP_DOWNLOAD_ERROR_TLS, "secure connection failed: TLS support is not available",
      "https://www.fluentpython.com/data/flags", TRUE, "No secure connection to www.fluentpython.com" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(FpFailureSummary) summary = NULL;
      g_autofree char *text = NULL;

      add (results, 20, cases[i].code, 0, cases[i].message);
      add_status (results, 2, FP_DOWNLOAD_STATUS_CANCELLED);
      summary = fp_failure_summary_new (results, cases[i].base_url, cases[i].network);
      g_test_message ("%s — %s", fp_failure_summary_get_headline (summary),
                      fp_failure_summary_get_advice (summary));
      g_assert_true (fp_failure_summary_get_unreachable (summary));
      g_assert_cmpstr (fp_failure_summary_get_headline (summary), ==, cases[i].headline);
      g_assert_nonnull (fp_failure_summary_get_advice (summary));
      text = fp_failure_summary_format (summary, 0);
      g_assert_true (g_str_has_prefix (text, "20 "));
    }
}

static void
test_summary_refusing_batch (void)
{
  /* A real batch against a port nothing listens on. */
  const char *codes[] = { "AD", "AE", "AF", "AG", NULL };
  g_autofree char *base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", fp_test_get_closed_port ());
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", dest);
  g_autoptr(FpFailureSummary) summary = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  GAsyncResult *slot = NULL;

  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));

  summary = fp_failure_summary_new (fp_download_batch_get_results (batch), base_url, TRUE);
  g_assert_true (fp_failure_summary_get_unreachable (summary));
  expected = g_strdup_printf ("Nothing is listening at 127.0.0.1:%s", strrchr (base_url, ':') + 1);
  *strrchr (expected, '/') = '\0';
  g_assert_cmpstr (fp_failure_summary_get_headline (summary), ==, expected);
  text = fp_failure_summary_format (summary, 0);
  g_assert_cmpstr (text, ==, "4 connection refused");
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

  g_test_add_func ("/failure-summary/groups", test_summary_groups);
  g_test_add_func ("/failure-summary/nothing-failed", test_summary_nothing_failed);
  g_test_add_func ("/failure-summary/not-unreachable", test_summary_not_unreachable);
  g_test_add_func ("/failure-summary/unreachable-words", test_summary_unreachable_words);
  g_test_add_func ("/failure-summary/refusing-batch", test_summary_refusing_batch);

  return g_test_run ();
}
