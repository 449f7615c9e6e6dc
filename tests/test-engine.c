/* test-engine.c — the engine's shared facts: enum names, the download error domain, worker priority
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-engine"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <unistd.h>
#include <sys/resource.h>
#include <string.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"

/* The JSON report's status names, which scripts read: they must not move. */
static void
test_status_names (void)
{
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_QUEUED), ==, "queued");
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_DOWNLOADING), ==, "downloading");
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_OK), ==, "ok");
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_NOT_FOUND), ==, "not_found");
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_ERROR), ==, "error");
  g_assert_cmpstr (fp_download_status_to_string (FP_DOWNLOAD_STATUS_CANCELLED), ==, "cancelled");
}

/* The strategy nicks are the settings schema's and --strategy's words. */
static void
test_strategy_nicks (void)
{
  int value = -1;

  g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, FP_DOWNLOAD_STRATEGY_SEQUENTIAL), ==, "sequential");
  g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, FP_DOWNLOAD_STRATEGY_THREADS), ==, "threads");
  g_assert_true (fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, "Sequential", &value));
  g_assert_cmpint (value, ==, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_assert_true (fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, "THREADS", &value));
  g_assert_cmpint (value, ==, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_false (fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, "fibers", &value));
  g_assert_false (fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, NULL, NULL));
}

/* Every code has a distinct nick in the JSON style, with no dash. */
static void
test_download_error_nicks (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (FP_TYPE_DOWNLOAD_ERROR);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_cmpuint (klass->n_values, >=, 14);
  for (guint i = 0; i < klass->n_values; i++)
    {
      const char *nick = klass->values[i].value_nick;

      g_assert_null (strchr (nick, '-'));
      g_assert_true (g_hash_table_add (seen, (gpointer) nick));
      g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, klass->values[i].value), ==, nick);
    }
  g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_HTTP_STATUS), ==, "http_status");
  g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_TIMEOUT), ==, "timeout");
  g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_NOT_AN_IMAGE), ==, "not_an_image");
}

/* Every result that is not OK carries a code; its message stays the words. */
static void
test_result_errors (void)
{
  g_autoptr(FpDownloadResult) ok = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_OK, NULL);
  g_autoptr(FpDownloadResult) missing = fp_download_result_new ("ZZ", FP_DOWNLOAD_STATUS_NOT_FOUND, NULL);
  g_autoptr(FpDownloadResult) cancelled = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_CANCELLED, NULL);
  g_autoptr(FpDownloadResult) failed = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_ERROR, "boom");
  g_autoptr(FpDownloadResult) teapot =
    fp_download_result_new_failed ("BR", FP_DOWNLOAD_ERROR_HTTP_STATUS, 418, "HTTP 418 I'm a Teapot");
  g_autoptr(FpDownloadResult) timeout =
    fp_download_result_new_failed ("BR", FP_DOWNLOAD_ERROR_TIMEOUT, 0, "timed out after 1.0 s");

  g_assert_null (fp_download_result_get_error (ok));
  g_assert_cmpstr (fp_download_result_get_message (ok), ==, "downloaded");

  g_assert_error (fp_download_result_get_error (missing), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_NOT_FOUND);
  g_assert_cmpuint (fp_download_result_get_http_status (missing), ==, 404);
  g_assert_cmpstr (fp_download_result_get_message (missing), ==, "not found");

  g_assert_error (fp_download_result_get_error (cancelled), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_CANCELLED);
  g_assert_cmpstr (fp_download_result_get_error_nick (cancelled), ==, "cancelled");

  g_assert_error (fp_download_result_get_error (failed), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_FAILED);
  g_assert_cmpstr (fp_download_result_get_error (failed)->message, ==, "boom");

  g_assert_cmpint (fp_download_result_get_status (teapot), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpuint (fp_download_result_get_http_status (teapot), ==, 418);
  g_assert_cmpstr (fp_download_result_get_error_nick (teapot), ==, "http_status");
  g_assert_cmpstr (fp_download_result_get_message (teapot), ==, "HTTP 418 I'm a Teapot");

  g_assert_cmpint (fp_download_result_get_status (timeout), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpuint (fp_download_result_get_http_status (timeout), ==, 0);

  /* The status follows from the code. */
  {
    g_autoptr(FpDownloadResult) r = fp_download_result_new_failed ("BR", FP_DOWNLOAD_ERROR_NOT_FOUND, 404, NULL);
    g_assert_cmpint (fp_download_result_get_status (r), ==, FP_DOWNLOAD_STATUS_NOT_FOUND);
    g_assert_cmpstr (fp_download_result_get_message (r), ==, "not found");
  }
}

/* The transport's errors become a code and words, which agree. */
static void
test_describe_transport_errors (void)
{
  struct {
    GQuark domain;
    int code;
    gboolean deadline;
    FpDownloadError expected;
    const char *message;
  } cases[] = {
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, FALSE, FP_DOWNLOAD_ERROR_REFUSED, "connection refused" },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, FALSE, FP_DOWNLOAD_ERROR_RESET, "connection reset" },
    { G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, FALSE, FP_DOWNLOAD_ERROR_RESET, "connection reset" },
    { G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, FALSE, FP_DOWNLOAD_ERROR_CUT_SHORT, "response cut short" },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, FALSE, FP_DOWNLOAD_ERROR_UNREACHABLE, "server unreachable" },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, FALSE, FP_DOWNLOAD_ERROR_DNS, "server not found" },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, FALSE, FP_DOWNLOAD_ERROR_TLS, "secure connection failed: boom" },
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, FALSE, FP_DOWNLOAD_ERROR_TIMEOUT, "timed out after 2.5 s" },
    /* The deadline cancels the request: it is a timeout, not a cancel. */
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, TRUE, FP_DOWNLOAD_ERROR_TIMEOUT, "timed out after 2.5 s" },
    { G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, FALSE, FP_DOWNLOAD_ERROR_FAILED, "boom" },
  };
  FpDownloadError code = FP_DOWNLOAD_ERROR_EMPTY;
  g_autofree char *none = fp_download_error_describe (NULL, FALSE, 2.5, &code);
  g_autofree char *limit = fp_download_error_describe_size_limit (10 * 1024 * 1024);
  g_autofree char *odd_limit = fp_download_error_describe_size_limit (1000);

  g_assert_cmpint (code, ==, FP_DOWNLOAD_ERROR_FAILED);
  g_assert_cmpstr (none, ==, "failed");
  g_assert_cmpstr (limit, ==, "response larger than 10 MiB");
  g_assert_cmpstr (odd_limit, ==, "response larger than 1000 bytes");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "boom");
      g_autofree char *message = fp_download_error_describe (error, cases[i].deadline, 2.5, &code);

      g_test_message ("case %u: %s", i, message);
      g_assert_cmpint (code, ==, cases[i].expected);
      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

static gpointer
lower_in_thread (gpointer user_data)
{
  int *seen = user_data;

  errno = 0;
  seen[0] = getpriority (PRIO_PROCESS, (id_t) gettid ());
  fp_lower_thread_priority (10);
  seen[1] = getpriority (PRIO_PROCESS, (id_t) gettid ());
  /* Asking for less changes nothing; asking for more lowers it further. */
  fp_lower_thread_priority (5);
  seen[2] = getpriority (PRIO_PROCESS, (id_t) gettid ());
  fp_lower_thread_priority (15);
  seen[3] = getpriority (PRIO_PROCESS, (id_t) gettid ());
  return NULL;
}

/* The helper lowers the calling thread only, never the caller's main thread. */
static void
test_lower_thread_priority (void)
{
  int before = getpriority (PRIO_PROCESS, 0);
  int seen[4] = { 0 };
  GThread *thread;

  if (before >= 10)
    {
      g_test_skip ("the test already runs at a lowered priority");
      return;
    }

  thread = g_thread_new ("lowered", lower_in_thread, seen);
  g_thread_join (thread);

  g_assert_cmpint (seen[0], ==, before);
  g_assert_cmpint (seen[1], ==, 10);
  g_assert_cmpint (seen[2], ==, 10);
  g_assert_cmpint (seen[3], ==, 15);
  g_assert_cmpint (getpriority (PRIO_PROCESS, (id_t) gettid ()), ==, before);
}

static gpointer
lower_beside_window (gpointer data)
{
  int *seen = data;

  /* The pools' own level (fp-executor.h), which a window overrides. */
  fp_lower_thread_priority (15);
  seen[0] = sched_getscheduler (0);
  seen[1] = getpriority (PRIO_PROCESS, (id_t) gettid ());
  return NULL;
}

/* Beside a window a worker weighs as little as a normal thread can, but
 * is never SCHED_IDLE: behind a software renderer that keeps both cores
 * busy, idle workers never ran and no batch ended. */
static void
test_lower_beside_window (void)
{
  if (g_test_subprocess ())
    {
      int seen[2] = { -1, -1 };

      fp_set_beside_window (TRUE);
      g_thread_join (g_thread_new ("lowered", lower_beside_window, seen));
      g_assert_cmpint (seen[0], ==, SCHED_OTHER);
      g_assert_cmpint (seen[1], ==, 19);
      return;
    }
  if (getpriority (PRIO_PROCESS, 0) >= 10)
    {
      g_test_skip ("the test already runs at a lowered priority");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/engine/status-names", test_status_names);
  g_test_add_func ("/engine/strategy-nicks", test_strategy_nicks);
  g_test_add_func ("/engine/download-error-nicks", test_download_error_nicks);
  g_test_add_func ("/engine/result-errors", test_result_errors);
  g_test_add_func ("/engine/describe-transport-errors", test_describe_transport_errors);
  g_test_add_func ("/engine/lower-thread-priority", test_lower_thread_priority);
  g_test_add_func ("/engine/lower-beside-window", test_lower_beside_window);

  return g_test_run ();
}
