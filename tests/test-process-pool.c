/* test-process-pool.c — the process pool's own: its pipe protocol, its fork server, no process outliving a batch
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every strategy must do (statuses, concurrency, cancel, order) is
 * in test-executors.c; this is what only worker processes can get wrong.
 */
#define G_LOG_DOMAIN "test-process-pool"

#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-process-pool.h"
#include "fp-test-support.h"

typedef FpTestFolderFixture Fixture;

/* The workers alone: the fork server's children, this program's grandchildren. */
static GArray *
list_workers (void)
{
  return fp_test_list_descendants (getpid (), 2);
}

static guint
count_workers (void)
{
  g_autoptr(GArray) pids = list_workers ();

  return pids->len;
}

static void
test_worker_protocol (void)
{
  /* What a worker writes is what the parent reads back. */
  g_autoptr(FpDownloadResult) result = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_OK, NULL);
  g_autoptr(FpDownloadResult) failed = fp_download_result_new_failed ("DE", FP_DOWNLOAD_ERROR_HTTP_STATUS, 503,
                                                                     "HTTP 503 “x”\n");
  g_autoptr(FpDownloadResult) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  fp_download_result_set_url (result, "http://127.0.0.1:1/br/br.png");
  fp_download_result_set_saved (result, "/tmp/x/br.png", 1234, 320, 240);
  fp_download_result_set_elapsed (result, 0.25);
  line = fp_process_pool_encode_result (result, 10, 20);
  g_assert_null (strchr (line, '\n'));
  back = fp_process_pool_decode_result (line, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fp_download_result_get_code (back), ==, "BR");
  g_assert_cmpint (fp_download_result_get_status (back), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpstr (fp_download_result_get_message (back), ==, fp_download_result_get_message (result));
  g_assert_cmpstr (fp_download_result_get_path (back), ==, "/tmp/x/br.png");
  g_assert_cmpstr (fp_download_result_get_url (back), ==, "http://127.0.0.1:1/br/br.png");
  g_assert_cmpuint (fp_download_result_get_size (back), ==, 1234);
  g_assert_cmpint (fp_download_result_get_width (back), ==, 320);
  g_assert_cmpfloat (fp_download_result_get_elapsed (back), ==, 0.25);
  g_clear_object (&back);
  g_clear_pointer (&line, g_free);

  line = fp_process_pool_encode_result (failed, 10, 20);
  g_assert_null (strchr (line, '\n'));
  back = fp_process_pool_decode_result (line, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fp_download_result_get_status (back), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpstr (fp_download_result_get_message (back), ==, "HTTP 503 “x”\n");
  g_assert_cmpstr (fp_download_result_get_error_nick (back), ==, "http_status");
  g_assert_cmpuint (fp_download_result_get_http_status (back), ==, 503);
  g_assert_null (fp_download_result_get_path (back));
  g_clear_object (&back);

  g_assert_null (fp_process_pool_decode_result ("{\"cc\": \"BR\"}", &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (fp_process_pool_decode_result ("not json", &error));
  g_assert_nonnull (error);
}

static void
test_fetched_line (void)
{
  /* The line a worker sends when a download's network half is done. */
  g_autofree char *line = fp_process_pool_encode_fetched ("BR");
  g_autofree char *code = fp_process_pool_decode_fetched (line);
  g_autofree char *result_line = NULL;
  g_autoptr(FpDownloadResult) result = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_OK, NULL);

  g_assert_cmpstr (code, ==, "BR");
  /* A result is not one, nor anything else. */
  result_line = fp_process_pool_encode_result (result, 10, 20);
  g_assert_null (fp_process_pool_decode_fetched (result_line));
  g_assert_null (fp_process_pool_decode_fetched ("{\"fetched\": 7}"));
  g_assert_null (fp_process_pool_decode_fetched ("{\"fetched\": "));
  g_assert_null (fp_process_pool_decode_fetched ("not json"));
}

static void
test_worker_missing (Fixture       *f,
                     gconstpointer  data)
{
  /* No worker program: every download says why, and the batch still ends. */
  const char *codes[] = { "AD", "AE", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autofree char *saved = g_strdup (g_getenv ("FLAGPOLE_WORKER"));
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  g_setenv ("FLAGPOLE_WORKER", "/nonexistent/flagpole-worker", TRUE);
  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, &error));
  g_assert_no_error (error);
  if (saved != NULL)
    g_setenv ("FLAGPOLE_WORKER", saved, TRUE);
  else
    g_unsetenv ("FLAGPOLE_WORKER");

  g_assert_cmpuint (fp_download_batch_get_n_error (batch), ==, 2);
  g_test_message ("%s", fp_download_result_get_message (fp_test_find_result (batch, "AD")));
  g_assert_true (g_str_has_prefix (fp_download_result_get_message (fp_test_find_result (batch, "AD")),
                                   "cannot start a worker process"));
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 0);
}

static gboolean
server_saw_cb (gpointer data)
{
  gpointer *pair = data;

  return fp_test_server_get_request_count (pair[0]) >= GPOINTER_TO_UINT (pair[1]);
}

static gboolean
pids_gone_cb (gpointer data)
{
  GArray *pids = data;

  for (guint i = 0; i < pids->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d", g_array_index (pids, int, i));
      if (g_file_test (path, G_FILE_TEST_EXISTS))
        return FALSE;
    }
  return TRUE;
}

static void
test_parent_killed (Fixture       *f,
                    gconstpointer  data)
{
  /* flagpole-cli running the process pool, its workers stuck in stalls,
   * is killed outright: the workers go with it. */
  const char *cli = g_getenv ("FLAGPOLE_CLI");
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "stall");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) workers = NULL;
  g_autoptr(GArray) processes = NULL;
  g_autoptr(GError) error = NULL;
  gpointer pair[2] = { f->server, GUINT_TO_POINTER (4) };
  int cli_pid;

  if (cli == NULL)
    {
      g_test_skip ("FLAGPOLE_CLI is not set");
      return;
    }
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              cli, "--strategy", "processes", "-m", "4", "--timeout", "60",
                              "-s", base_url, "--ext", "png", "-d", f->dest, "AD", "AE", "AF", "AG", "AI", NULL);
  g_assert_no_error (error);
  cli_pid = atoi (g_subprocess_get_identifier (process));
  fp_test_iterate_until (server_saw_cb, pair, 60, "four stalled requests");

  /* Below it now: the fork server and its four workers. */
  workers = fp_test_list_descendants (cli_pid, 2);
  g_assert_cmpuint (workers->len, ==, 4);
  processes = fp_test_list_descendants (cli_pid, 0);
  g_assert_cmpuint (processes->len, ==, 5);

  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  fp_test_iterate_until (pids_gone_cb, processes, 30, "the workers of a killed flagpole-cli to end");
  /* Nothing partial either. */
  fp_test_assert_dir_holds (f->dest, NULL);
}

static void
test_fork_server_killed (Fixture       *f,
                         gconstpointer  data)
{
  /* The workers' parent, the fork server, is killed outright while they
   * are stuck in stalls: they go with it (PR_SET_PDEATHSIG), leave no
   * partial file, and the batch ends with every code told, the queued
   * one too. */
  const char *codes[] = { "AD", "AE", "AF", "AG", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "stall");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GArray) servers = NULL;
  g_autoptr(GArray) processes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;
  gpointer pair[2] = { f->server, GUINT_TO_POINTER (3) };

  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_set_concurrency (batch, 3);
  fp_download_batch_set_timeout (batch, 60.0);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  fp_test_iterate_until (server_saw_cb, pair, 60, "three stalled requests");

  servers = fp_test_list_descendants (getpid (), 1);
  g_assert_cmpuint (servers->len, ==, 1);
  processes = fp_test_list_descendants (getpid (), 0);
  g_assert_cmpuint (processes->len, ==, 4);
  g_assert_cmpint (kill (g_array_index (servers, int, 0), SIGKILL), ==, 0);

  result = fp_test_wait_for_result (&slot);
  fp_download_batch_run_finish (batch, result, &error);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 4);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 0);
  fp_test_wait_until_settled (batch);
  fp_test_iterate_until (pids_gone_cb, processes, 30, "the workers of a killed fork server to end");
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  fp_test_assert_dir_holds (f->dest, NULL);
}

static void
test_cancelled_while_starting (Fixture       *f,
                               gconstpointer  data)
{
  /* Cancelled before its workers are ready: every code is told cancelled,
   * none is asked for, and the batch still settles with no process left
   * (the pool waits to be handed its downloads before it lets its
   * workers go, and a cancelled batch hands it none). */
  const char *codes[] = { "AD", "AE", "AF", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *slot = NULL;

  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_set_concurrency (batch, 3);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  fp_download_batch_cancel (batch);

  result = fp_test_wait_for_result (&slot);
  g_assert_false (fp_download_batch_run_finish (batch, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (fp_download_result_get_status (g_ptr_array_index (fp_download_batch_get_results (batch), i)),
                     ==, FP_DOWNLOAD_STATUS_CANCELLED);
  fp_test_wait_until_settled (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 0);
}

static void
children_at_completion_cb (FpDownloadBatch  *batch,
                           FpDownloadResult *result,
                           GArray           *counts)
{
  guint n = count_workers ();

  g_array_append_val (counts, n);
}

static gboolean
completed_at_least_cb (gpointer data)
{
  gpointer *pair = data;

  return ((GArray *) pair[0])->len >= GPOINTER_TO_UINT (pair[1]);
}

static gboolean
deadline_passed_cb (gpointer data)
{
  const gint64 *deadline = data;

  return g_get_monotonic_time () >= *deadline;
}

static void
test_workers_stay_to_the_end (Fixture       *f,
                              gconstpointer  data)
{
  /* Six codes for four workers, the last two never answered: two workers
   * have nothing left to do while the batch still runs, and wait for its
   * end to exit, so that no exit takes the cores from a download still
   * running. The batch ends when the test cancels it. */
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "bycode");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  gpointer four_done[2] = { counts, GUINT_TO_POINTER (4) };
  gpointer six_asked[2] = { f->server, GUINT_TO_POINTER (6) };
  gint64 deadline;

  fp_test_server_set_code_fault (f->server, "ai", "stall");
  fp_test_server_set_code_fault (f->server, "al", "stall");
  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_set_concurrency (batch, 4);
  g_signal_connect (batch, "download-completed", G_CALLBACK (children_at_completion_cb), counts);
  fp_download_batch_run_async (batch, NULL, NULL, NULL);
  fp_test_iterate_until (completed_at_least_cb, four_done, 60, "the four answered downloads");
  fp_test_iterate_until (server_saw_cb, six_asked, 60, "the two stalled requests");
  /* Time for a worker that was let go to have ended. */
  deadline = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  fp_test_iterate_until (deadline_passed_cb, &deadline, 60, "half a second");

  /* Every worker is there while the stalled two run. */
  g_assert_cmpuint (counts->len, ==, 4);
  for (guint i = 0; i < counts->len; i++)
    g_assert_cmpuint (g_array_index (counts, guint, i), ==, 4);
  g_assert_cmpuint (count_workers (), ==, 4);

  fp_download_batch_cancel (batch);
  fp_test_wait_for_processes_to_end (batch);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 4);
}

static void
test_disk_half_takes_the_folder (Fixture       *f,
                                 gconstpointer  data)
{
  /* The workers save one at a time, each holding the destination folder
   * (flock), and a worker's next download does not wait for its saving:
   * while this process holds the folder, the one worker downloads all
   * three flags, one at a time, and saves nothing; once it lets go, they
   * are saved. */
  const char *codes[] = { "AD", "AE", "AF", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GAsyncResult *slot = NULL;
  gpointer pair[2] = { f->server, GUINT_TO_POINTER (3) };
  gint64 deadline;
  int folder;

  g_assert_cmpint (g_mkdir_with_parents (f->dest, 0755), ==, 0);
  folder = open (f->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (folder, >=, 0);
  g_assert_cmpint (flock (folder, LOCK_EX), ==, 0);

  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_set_concurrency (batch, 1);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  fp_test_iterate_until (server_saw_cb, pair, 60, "the three requests");
  g_assert_cmpuint (fp_test_server_get_peak_in_flight (f->server), ==, 1);
  /* Time for a worker that did not wait to have saved. */
  deadline = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
  fp_test_iterate_until (deadline_passed_cb, &deadline, 60, "half a second");
  names = fp_test_list_dir (f->dest);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  g_assert_null (slot);

  g_assert_cmpint (flock (folder, LOCK_UN), ==, 0);
  close (folder);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 3);
  fp_test_assert_dir_holds (f->dest, "ad.png", "ae.png", "af.png", NULL);
  fp_test_wait_until_settled (batch);
  g_assert_cmpuint (fp_test_count_descendants (), ==, 0);
}

/* The nice value of process @pid, from /proc/PID/stat (its 19th field). */
static int
process_nice (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *after_name;
  int nice = G_MININT;

  if (g_file_get_contents (stat_path, &contents, NULL, NULL) &&
      (after_name = strrchr (contents, ')')) != NULL)
    sscanf (after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d", &nice);
  return nice;
}

static void
test_workers_beside_window (Fixture       *f,
                            gconstpointer  data)
{
  /* Beside a window the workers run at the lowest priority, as the
   * thread pool's do: the window's main thread comes first. */
  const char *codes[] = { "AD", "AE", NULL };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "stall");
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, base_url, "png", f->dest_file);
  g_autoptr(GArray) pids = NULL;
  gpointer pair[2] = { f->server, GUINT_TO_POINTER (2) };

  fp_set_beside_window (TRUE);
  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_PROCESSES);
  fp_download_batch_set_concurrency (batch, 2);
  fp_download_batch_run_async (batch, NULL, NULL, NULL);
  fp_test_iterate_until (server_saw_cb, pair, 60, "both requests");

  pids = list_workers ();
  g_assert_cmpuint (pids->len, ==, 2);
  for (guint i = 0; i < pids->len; i++)
    g_assert_cmpint (process_nice (g_array_index (pids, int, i)), ==, 19);

  fp_download_batch_cancel (batch);
  fp_test_wait_for_processes_to_end (batch);
  fp_set_beside_window (FALSE);
}

#define ADD_TEST(path, func, data) \
  g_test_add (path, Fixture, data, fp_test_folder_fixture_set_up, func, fp_test_folder_fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/process-pool/worker-protocol", test_worker_protocol);
  g_test_add_func ("/process-pool/worker-protocol/fetched", test_fetched_line);
  ADD_TEST ("/process-pool/worker-missing", test_worker_missing, NULL);
  ADD_TEST ("/process-pool/parent-killed", test_parent_killed, NULL);
  ADD_TEST ("/process-pool/fork-server-killed", test_fork_server_killed, NULL);
  ADD_TEST ("/process-pool/cancelled-while-starting", test_cancelled_while_starting, NULL);
  ADD_TEST ("/process-pool/workers-stay-to-the-end", test_workers_stay_to_the_end, NULL);
  ADD_TEST ("/process-pool/disk-half-takes-the-folder", test_disk_half_takes_the_folder, NULL);
  ADD_TEST ("/process-pool/beside-window", test_workers_beside_window, NULL);

  return g_test_run ();
}
