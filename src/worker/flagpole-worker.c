/* flagpole-worker.c — one worker process of the process-pool strategy: codes in, results out
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "flagpole-worker"

#include "config.h"

#include <errno.h>
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
#include "fp-executor.h"
#include "fp-flag-fetcher-private.h"
#include "fp-process-pool.h"

/*
 * Started by the engine's FpProcessPool with the batch's source,
 * destination, timeout and size cap. It says it is ready with one line,
 * then reads country codes from stdin, one a line, downloads each with
 * the same FpFlagFetcher as every other strategy, retrying as the batch's
 * policy says (--retry-policy), and writes each result with its tries
 * as one JSON line on stdout (fp_process_pool_encode_result()). Between
 * the two halves of a download it says the network half is done
 * (fp_process_pool_encode_fetched()), and reads its next code while a
 * thread of its own checks and saves the flag. It ends at the end of
 * stdin, once what it fetched is saved. SIGTERM or SIGINT cancel what it
 * is running — the fetcher then leaves no partial file — and end it.
 */

static GCancellable *cancellable;
static int busy;                 /* downloads begun and not yet written out */
static int quitting;
static int folder_fd = -1;       /* the destination, locked for the disk half */
static GMutex output_lock;       /* stdout, written by both threads */
static GAsyncQueue *disk_queue;  /* Fetched *, for the disk thread */

/* The signals are blocked in every thread; this one takes them calmly. */
static gpointer
signal_thread_main (gpointer data)
{
  sigset_t *signals = data;
  int signal_number;

  while (sigwait (signals, &signal_number) == 0)
    {
      g_atomic_int_set (&quitting, 1);
      g_cancellable_cancel (cancellable);
      /* Waiting for a code: nothing to clean up. */
      if (!g_atomic_int_get (&busy))
        _exit (0);
    }
  return NULL;
}

/* One line to the parent; a parent that is gone cannot read it: stop. */
static void
write_line (const char *line)
{
  gboolean written;

  g_mutex_lock (&output_lock);
  written = printf ("%s\n", line) >= 0 && fflush (stdout) == 0;
  g_mutex_unlock (&output_lock);
  if (!written)
    {
      g_atomic_int_set (&quitting, 1);
      g_cancellable_cancel (cancellable);
    }
}

static void
write_result (FpDownloadResult   *result,
              FpDownloadTimeline *timeline)
{
  g_autofree char *encoded = NULL;

  fp_download_result_finish_timeline (result, timeline);
  encoded = fp_process_pool_encode_result (result, timeline->started, g_get_monotonic_time ());
  write_line (encoded);
  g_atomic_int_add (&busy, -1);
}

/*
 * The disk half (check the image, write it, rename it into place) runs in
 * one worker of the pool at a time, under an flock() of the destination
 * folder: the thread pool runs its disk halves on a thread per processor
 * so that a hundred threads never make files in one folder at once, and
 * a hundred processes doing so queue in the kernel on the folder and its
 * inode tables instead. c = 100, a fixed 0.25 s, all 249 flags into a
 * folder on ext4, median of 5 alternating runs: 0.946 s without the lock,
 * 0.879 s with it; on tmpfs both 0.866 s. Each worker opens the folder
 * itself, since a lock belongs to an open file (a descriptor shared by
 * the pool would exclude nobody), and the kernel lets go of it when a
 * worker dies. Where the folder cannot be locked, the half runs anyway.
 */
static void
lock_folder (int operation)
{
  if (folder_fd >= 0)
    while (flock (folder_fd, operation) != 0 && errno == EINTR)
      ;
}

/* A download between its halves. */
typedef struct {
  char *code;
  GBytes *body;
  GArray *tries;
  FpDownloadTimeline timeline;
} Fetched;

static void
fetched_free (Fetched *fetched)
{
  g_free (fetched->code);
  g_bytes_unref (fetched->body);
  g_clear_pointer (&fetched->tries, g_array_unref);
  g_free (fetched);
}

/* What ends the disk thread: the end of stdin, or a parent gone. */
static Fetched no_more;

/*
 * The disk half, on a thread of its own, as the thread pool hands a body
 * to its disk threads: the worker says the network half is done at once
 * ("fetched"), and the parent sends the next code while this one is
 * checked and saved, so the server sees the next request without waiting
 * for the folder. The result goes out once the file is in place. Its
 * time is timed from when it has the folder, as a disk thread's is from
 * when it takes the job.
 */
static gpointer
disk_thread_main (gpointer data)
{
  FpFlagFetcher *fetcher = data;
  Fetched *fetched;

  while ((fetched = g_async_queue_pop (disk_queue)) != &no_more)
    {
      g_autoptr(FpDownloadResult) result = NULL;

      lock_folder (LOCK_EX);
      fetched->timeline.store_start = g_get_monotonic_time ();
      result = fp_flag_fetcher_store (fetcher, fetched->code, fetched->body, fetched->tries, cancellable);
      fetched->timeline.store_end = g_get_monotonic_time ();
      lock_folder (LOCK_UN);
      write_result (result, &fetched->timeline);
      fetched_free (fetched);
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagFetcher) fetcher = NULL;
  g_autoptr(GFile) destination = NULL;
  g_autofree char *source = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *destination_path = NULL;
  g_autofree char *retry_policy = NULL;
  g_autoptr(FpRetryPolicy) policy = NULL;
  double timeout_s = FP_DEFAULT_TIMEOUT_S;
  gint64 max_body_size = FP_MAX_BODY_SIZE;
  gboolean beside_window = FALSE;
  static sigset_t signals;
  GThread *disk_thread;
  char line[64];
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Base URL of the flags", "URL" },
    { "extension", 0, 0, G_OPTION_ARG_STRING, &extension, "Extension of the flag files", "EXT" },
    { "destination", 0, 0, G_OPTION_ARG_FILENAME, &destination_path, "Folder to save flags in", "DIR" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &timeout_s, "Per-request timeout", "SECONDS" },
    { "max-body-size", 0, 0, G_OPTION_ARG_INT64, &max_body_size, "Largest body accepted", "BYTES" },
    { "retry-policy", 0, 0, G_OPTION_ARG_STRING, &retry_policy, "Retries, back-off and statuses retried",
      "N:FIRST:MAX:STATUSES" },
    { "beside-window", 0, 0, G_OPTION_ARG_NONE, &beside_window,
      "The batch is a window's: run at the lowest priority", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Before any thread exists, so that every thread inherits the mask. */
  sigemptyset (&signals);
  sigaddset (&signals, SIGTERM);
  sigaddset (&signals, SIGINT);
  pthread_sigmask (SIG_BLOCK, &signals, NULL);
  cancellable = g_cancellable_new ();
  g_thread_unref (g_thread_new ("fp-worker-signals", signal_thread_main, &signals));

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "A worker process of Flagpole's process pool; "
                                         "reads codes on stdin and writes JSON results on stdout.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      source == NULL || extension == NULL || destination_path == NULL || timeout_s <= 0 || max_body_size <= 0 ||
      (retry_policy != NULL && (policy = fp_process_pool_decode_retry_policy (retry_policy)) == NULL))
    {
      g_printerr ("flagpole-worker: %s\n", error != NULL ? error->message
                                                         : retry_policy != NULL && policy == NULL
                                                         ? "--retry-policy is not N:FIRST:MAX:STATUSES"
                                                         : "--source, --extension and --destination are needed");
      return 2;
    }

  fp_set_beside_window (beside_window);
  fp_lower_thread_priority (FP_WORKER_NICE);
  destination = g_file_new_for_path (destination_path);
  folder_fd = open (destination_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  fetcher = fp_flag_fetcher_new (source, extension, destination, 1, timeout_s);
  fp_flag_fetcher_set_max_body_size (fetcher, (gsize) max_body_size);
  fp_flag_fetcher_set_retry_policy (fetcher, policy);

  disk_queue = g_async_queue_new ();
  disk_thread = g_thread_new ("fp-worker-disk", disk_thread_main, fetcher);

  printf ("{\"ready\": true, \"pid\": %d}\n", (int) getpid ());
  fflush (stdout);

  while (!g_atomic_int_get (&quitting) && fgets (line, sizeof line, stdin) != NULL)
    {
      g_autoptr(FpDownloadResult) result = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GArray) tries = NULL;
      g_autofree char *said = NULL;
      FpDownloadTimeline timeline;
      Fetched *fetched;

      g_strstrip (line);
      if (line[0] == '\0')
        continue;

      g_atomic_int_add (&busy, 1);
      fp_download_timeline_clear (&timeline);
      timeline.started = g_get_monotonic_time ();
      result = fp_flag_fetcher_receive_timed (fetcher, line, cancellable, &body, &tries, &timeline);
      timeline.network_end = g_get_monotonic_time ();
      if (result != NULL)
        {
          /* Nothing to save: not found, failed or cancelled. */
          write_result (result, &timeline);
          continue;
        }

      said = fp_process_pool_encode_fetched (line);
      write_line (said);
      fetched = g_new0 (Fetched, 1);
      fetched->code = g_strdup (line);
      fetched->body = g_steal_pointer (&body);
      fetched->tries = g_steal_pointer (&tries);
      fetched->timeline = timeline;
      g_async_queue_push (disk_queue, fetched);
    }

  /* What was fetched is saved (or, cancelled, left unsaved) before the end. */
  g_async_queue_push (disk_queue, &no_more);
  g_thread_join (disk_thread);
  return 0;
}
