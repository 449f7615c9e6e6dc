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
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "flagpole-engine.h"
#include "fp-executor.h"
#include "fp-flag-fetcher-private.h"
#include "fp-process-pool.h"

/*
 * Forked by the fork server (below), which the engine's FpProcessPool
 * starts with the batch's source, destination, timeout and size cap; run
 * without --fork, it is one worker on its own stdin and stdout. A worker
 * says it is ready with one line,
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

/* What the pool said on the command line. */
typedef struct {
  char *source;
  char *extension;
  char *destination_path;
  double timeout_s;
  gint64 max_body_size;
  FpRetryPolicy *policy;
} WorkerOptions;

static sigset_t signals;         /* SIGTERM and SIGINT, blocked in every thread */

/* One worker: reads codes on stdin until its end, writes results on stdout. */
static int
run_worker (const WorkerOptions *options)
{
  g_autoptr(FpFlagFetcher) fetcher = NULL;
  g_autoptr(GFile) destination = NULL;
  GThread *disk_thread;
  char line[64];

  cancellable = g_cancellable_new ();
  g_thread_unref (g_thread_new ("fp-worker-signals", signal_thread_main, &signals));

  destination = g_file_new_for_path (options->destination_path);
  folder_fd = open (options->destination_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  fetcher = fp_flag_fetcher_new (options->source, options->extension, destination, 1, options->timeout_s);
  fp_flag_fetcher_set_max_body_size (fetcher, (gsize) options->max_body_size);
  fp_flag_fetcher_set_retry_policy (fetcher, options->policy);

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

/*
 * The fork server (--fork N), as Python's multiprocessing has one. A
 * worker exec'd on its own took 6.7 ms of processor time to start, three
 * quarters of it the kernel mapping and the loader binding some thirty
 * libraries (libsoup's and theirs: perf, 30 starts). The pool starts one
 * process with --fork N instead, which has paid that once, and it forks
 * the N workers, worker i with its stdin at descriptor 3 + 2i and its
 * stdout at 4 + 2i (FP_FORK_SERVER_FIRST_FD), pipes the pool made. It
 * forks before any thread exists, so each child is a whole copy of a
 * program with one thread, which then starts its own.
 *
 * It stays their parent until the last is reaped, then ends: its end
 * tells the pool that no worker is left. It passes on what the pool
 * writes on its stdin, one command a line (fp-process-pool.h): "term I"
 * (SIGTERM to worker I, which cancels its download) and "kill" (SIGKILL
 * to every worker left, after the grace period), and SIGTERM or SIGINT
 * sent to itself, which it sends on to every worker. A worker dies with
 * it (PR_SET_PDEATHSIG), as it dies with the pool thread that started it.
 */
static pid_t *children;          /* worker i's process; 0 once reaped */
static guint n_children;
static guint n_alive;
static GMainLoop *serving;

static void
signal_children (int signal_number)
{
  /* Only the unreaped: a reaped worker's number may be another's now. */
  for (guint i = 0; i < n_children; i++)
    if (children[i] > 0)
      kill (children[i], signal_number);
}

static void
child_reaped_cb (GPid     pid,
                 int      wait_status,
                 gpointer user_data)
{
  children[GPOINTER_TO_UINT (user_data)] = 0;
  g_spawn_close_pid (pid);
  if (--n_alive == 0)
    g_main_loop_quit (serving);
}

static gboolean
signal_received_cb (gpointer user_data)
{
  signal_children (SIGTERM);
  return G_SOURCE_CONTINUE;
}

static gboolean
command_cb (int          fd,
            GIOCondition condition,
            gpointer     user_data)
{
  static GString *pending;
  char buffer[256];
  gssize n_read;
  char *end;

  if (pending == NULL)
    pending = g_string_new (NULL);
  n_read = read (fd, buffer, sizeof buffer);
  if (n_read < 0 && errno == EINTR)
    return G_SOURCE_CONTINUE;
  /* The pool closed it, or is gone: the workers end with their stdin. */
  if (n_read <= 0)
    return G_SOURCE_REMOVE;
  g_string_append_len (pending, buffer, n_read);
  while ((end = strchr (pending->str, '\n')) != NULL)
    {
      guint64 index;

      *end = '\0';
      if (strcmp (pending->str, FP_FORK_SERVER_KILL) == 0)
        signal_children (SIGKILL);
      else if (g_str_has_prefix (pending->str, FP_FORK_SERVER_TERM) &&
               g_ascii_string_to_unsigned (pending->str + strlen (FP_FORK_SERVER_TERM), 10, 0, n_children - 1,
                                           &index, NULL) &&
               children[index] > 0)
        kill (children[index], SIGTERM);
      else
        g_printerr ("flagpole-worker: unknown command from the pool: %s\n", pending->str);
      g_string_erase (pending, 0, end - pending->str + 1);
    }
  return G_SOURCE_CONTINUE;
}

static int
run_fork_server (guint                n,
                 const WorkerOptions *options)
{
  pid_t server = getpid ();
  guint last_fd = FP_FORK_SERVER_FIRST_FD + 2 * n - 1;

  for (guint fd = FP_FORK_SERVER_FIRST_FD; fd <= last_fd; fd++)
    if (fcntl ((int) fd, F_GETFD) < 0)
      {
        g_printerr ("flagpole-worker: --fork %u needs descriptors %d to %u open\n",
                    n, FP_FORK_SERVER_FIRST_FD, last_fd);
        return 2;
      }

  children = g_new0 (pid_t, n);
  n_children = n;
  for (guint i = 0; i < n; i++)
    {
      pid_t pid = fork ();

      if (pid == 0)
        {
#ifdef __linux__
          prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
          /* The server died before the line above: nobody to work for. */
          if (getppid () != server)
            _exit (0);
          if (dup2 (FP_FORK_SERVER_FIRST_FD + 2 * (int) i, STDIN_FILENO) < 0 ||
              dup2 (FP_FORK_SERVER_FIRST_FD + 2 * (int) i + 1, STDOUT_FILENO) < 0)
            _exit (1);
          for (guint fd = FP_FORK_SERVER_FIRST_FD; fd <= last_fd; fd++)
            close ((int) fd);
          g_clear_pointer (&children, g_free);
          n_children = 0;
          return run_worker (options);
        }
      if (pid < 0)
        {
          /* The pool sees that worker's output end at once, and goes on with the others. */
          g_printerr ("flagpole-worker: cannot start worker %u: %s\n", i, g_strerror (errno));
          continue;
        }
      children[i] = pid;
      n_alive++;
    }
  /* The workers' ends of the pipes are theirs alone now: when one dies,
   * the pool reads the end of its output. */
  for (guint fd = FP_FORK_SERVER_FIRST_FD; fd <= last_fd; fd++)
    close ((int) fd);

  serving = g_main_loop_new (NULL, FALSE);
  for (guint i = 0; i < n; i++)
    if (children[i] > 0)
      g_child_watch_add (children[i], child_reaped_cb, GUINT_TO_POINTER (i));
  /* Set before the signals are let in, so that none pending is lost. */
  g_unix_signal_add (SIGTERM, signal_received_cb, NULL);
  g_unix_signal_add (SIGINT, signal_received_cb, NULL);
  pthread_sigmask (SIG_UNBLOCK, &signals, NULL);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, command_cb, NULL);
  if (n_alive > 0)
    g_main_loop_run (serving);
  g_main_loop_unref (serving);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *retry_policy = NULL;
  WorkerOptions options = { .timeout_s = FP_DEFAULT_TIMEOUT_S, .max_body_size = FP_MAX_BODY_SIZE };
  gboolean beside_window = FALSE;
  int n_fork = 0;
  int status;
  GOptionEntry entries[] = {
    { "source", 0, 0, G_OPTION_ARG_STRING, &options.source, "Base URL of the flags", "URL" },
    { "extension", 0, 0, G_OPTION_ARG_STRING, &options.extension, "Extension of the flag files", "EXT" },
    { "destination", 0, 0, G_OPTION_ARG_FILENAME, &options.destination_path, "Folder to save flags in", "DIR" },
    { "timeout", 0, 0, G_OPTION_ARG_DOUBLE, &options.timeout_s, "Per-request timeout", "SECONDS" },
    { "max-body-size", 0, 0, G_OPTION_ARG_INT64, &options.max_body_size, "Largest body accepted", "BYTES" },
    { "retry-policy", 0, 0, G_OPTION_ARG_STRING, &retry_policy, "Retries, back-off and statuses retried",
      "N:FIRST:MAX:STATUSES" },
    { "beside-window", 0, 0, G_OPTION_ARG_NONE, &beside_window,
      "The batch is a window's: run at the lowest priority", NULL },
    { "fork", 0, 0, G_OPTION_ARG_INT, &n_fork,
      "Be the fork server of N workers, whose pipes are at descriptors 3 and 4, 5 and 6, …", "N" },
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

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "A worker process of Flagpole's process pool; "
                                         "reads codes on stdin and writes JSON results on stdout.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      options.source == NULL || options.extension == NULL || options.destination_path == NULL ||
      options.timeout_s <= 0 || options.max_body_size <= 0 || n_fork < 0 || n_fork > FP_MAX_CONCURRENCY ||
      (retry_policy != NULL && (options.policy = fp_process_pool_decode_retry_policy (retry_policy)) == NULL))
    {
      g_printerr ("flagpole-worker: %s\n", error != NULL ? error->message
                                                         : retry_policy != NULL && options.policy == NULL
                                                         ? "--retry-policy is not N:FIRST:MAX:STATUSES"
                                                         : n_fork < 0 || n_fork > FP_MAX_CONCURRENCY
                                                         ? "--fork is not a number of workers"
                                                         : "--source, --extension and --destination are needed");
      return 2;
    }

  /* Inherited by every worker the fork server makes. */
  fp_set_beside_window (beside_window);
  fp_lower_thread_priority (FP_WORKER_NICE);
  status = n_fork > 0 ? run_fork_server ((guint) n_fork, &options) : run_worker (&options);
  g_free (options.source);
  g_free (options.extension);
  g_free (options.destination_path);
  g_clear_object (&options.policy);
  return status;
}
