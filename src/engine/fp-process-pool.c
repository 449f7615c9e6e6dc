/* fp-process-pool.c — the process-pool strategy: worker processes, one download each at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-process-pool"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "fp-engine-enums.h"
#include "fp-engine-types.h"
#include "fp-flag-fetcher-private.h"
#include "fp-process-pool.h"

/*
 * The book's ProcessPoolExecutor: `concurrency` worker processes
 * (flagpole-worker, installed in libexecdir/flagpole) are started for the
 * batch, forked by one flagpole-worker --fork N, the fork server, which
 * the pool starts with a pair of pipes for each (see flagpole-worker.c:
 * an exec'd worker took 6.7 ms of processor time to start, three
 * quarters of it loading libraries). Each runs one download at a time
 * through the same FpFlagFetcher as the other strategies. A worker reads codes from its
 * stdin, one a line, and writes one JSON line per result on its stdout;
 * its first line says it is ready, and the time until every worker has
 * said so is the pool's start-up cost, the overhead the book points at.
 * As in the thread pool, a download's disk half does not hold up the
 * next request: a worker says when the network half is done ("fetched"),
 * is given its next code, and sends the result once the flag is saved.
 * With the disk half in line, the next request waited 42 ms (median; 183
 * ms at the 90th percentile) for the folder and the check, and 10 ms
 * (24 ms) without: c = 100, 0.25 s, all 249 flags, --trace.
 *
 * The pipes are served by a thread of the pool with its own main
 * context, which also spawns the fork server: a child's PR_SET_PDEATHSIG
 * fires when the thread that forked it ends, and this one ends only after
 * the fork server has reaped every worker and ended.
 *
 * No worker outlives the batch: a worker exits at the end of its stdin,
 * which is closed once the batch's last result is in, and the batch is not
 * settled (fp_download_batch_get_settled(), which a program waits for
 * before it exits) until the fork server has reaped every worker. The results go
 * to the caller as they come, the last one too: the workers' exit is the
 * pool's own cost, like their start-up, not the downloads' time. A cancel
 * closes every stdin and has the fork server send SIGTERM to the busy
 * workers, which cancel their download (no partial file: the fetcher
 * removes its temporary file) and exit; any still there after a grace
 * period are killed. A parent that dies takes its workers along: SIGTERM
 * by PR_SET_PDEATHSIG to the fork server, which sends it on (and to each
 * worker should the fork server die), and the end of their stdin.
 *
 * A worker retries as the thread pool does: it is given the fetcher's
 * retry policy on its command line, waits out the back-off itself (a
 * cancel cuts it short), and sends its tries with the result.
 */

/* How long cancelled workers get to clean up before they are killed. */
#define GRACE_PERIOD_MS 2000

typedef struct {
  GTask *task;
  char *code;
  gint64 queued_us;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->task);
  g_free (job->code);
  g_free (job);
}

typedef struct _Worker Worker;

struct _FpProcessPool
{
  GObject parent_instance;

  FpFlagFetcher *fetcher;
  guint concurrency;
  GCancellable *cancellable;     /* the batch's */
  gulong cancel_handler;
  FpExecutorStartedFunc started;
  gpointer started_data;

  GMainContext *context;         /* the pool thread's; everything below is its alone */
  GThread *thread;
  GTask *ready_task;             /* fp_process_pool_prepare_async()'s */
  gboolean begun;                /* the pool thread took the downloads over */
  gboolean handed_over;          /* the caller's own: fp_process_pool_start() was called */
  GMutex incoming_lock;          /* hands `incoming` from the caller to the pool thread */
  GQueue incoming;               /* Job *, pushed by the caller before the start */
  GQueue queue;                  /* Job *, not sent to a worker yet */
  GSubprocess *fork_server;      /* the workers' parent */
  GOutputStream *commands;       /* its stdin: FP_FORK_SERVER_TERM I, FP_FORK_SERVER_KILL */
  Worker **workers;
  guint n_workers;
  gboolean fork_server_ended;    /* it reaped every worker, or never started */
  guint live;                    /* workers not yet gone (worker_gone()) */
  guint outstanding;             /* futures not yet returned */
  GMainContext *caller_context;  /* woken when the pool is done */
  int finished;                  /* atomic: every worker reaped, the thread over */
  gboolean stopping;             /* cancelled: nothing more is sent */
  GSource *grace;
  char *spawn_error;
  guint n_ready;
  gint64 start_us;
  int ready_after_us;            /* atomic: when every worker had said it is ready */
};

struct _Worker
{
  FpProcessPool *pool;
  guint slot;
  GOutputStream *in;
  GDataInputStream *out;
  Job *job;                      /* the download whose network half it runs */
  GQueue saving;                 /* Job *: fetched, being checked and saved */
  gboolean ready;
  gboolean eof;
};

G_DEFINE_FINAL_TYPE (FpProcessPool, fp_process_pool, G_TYPE_OBJECT)

static void
worker_free (Worker *worker)
{
  g_clear_object (&worker->in);
  g_clear_object (&worker->out);
  g_assert (worker->job == NULL && g_queue_is_empty (&worker->saving));
  g_free (worker);
}

static void close_stdin (Worker *worker);

/* Returns a future; with the last one, lets every worker go. */
static void
complete_job (FpProcessPool    *self,
              Job              *job,
              FpDownloadResult *result)
{
  g_assert (self->outstanding > 0);
  self->outstanding--;
  g_task_return_pointer (job->task, result, g_object_unref);
  job_free (job);
  if (self->outstanding == 0 && self->begun)
    for (guint i = 0; i < self->n_workers; i++)
      close_stdin (self->workers[i]);
}

static FpDownloadResult *
failed_result (FpProcessPool *self,
               const char    *code,
               const char    *message)
{
  g_autofree char *upper = g_ascii_strup (code, -1);
  g_autofree char *url = fp_flag_fetcher_build_url (self->fetcher, code);
  FpDownloadResult *result;

  if (g_cancellable_is_cancelled (self->cancellable))
    result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
  else
    result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_ERROR, message);
  fp_download_result_set_url (result, url);
  return result;
}

static void
close_stdin (Worker *worker)
{
  if (worker->in != NULL)
    g_output_stream_close (worker->in, NULL, NULL);
  g_clear_object (&worker->in);
}

/*
 * Gives an idle worker its next download. With none left to give, it
 * waits (its stdin stays open) until the last download of the batch is
 * in. Processes ending while the last downloads run take the cores
 * those need (unmapping their memory, being reaped): 100
 * codes at c = 100, one round of 0.25 s, took 0.385 s, and 0.33 s with
 * the workers kept (medians of 8 alternating runs). Their exit comes
 * after the results, as the pool's own cost.
 */
static void
dispatch (Worker *worker)
{
  FpProcessPool *self = worker->pool;
  g_autoptr(GError) error = NULL;
  Job *job;

  while (!self->stopping && worker->in != NULL && (job = g_queue_pop_head (&self->queue)) != NULL)
    {
      g_autofree char *url = NULL;
      g_autofree char *line = NULL;
      FpDownloadResult *result = fp_flag_fetcher_begin (self->fetcher, job->code, self->cancellable, &url);

      /* Nothing but a valid code ever goes down the pipe. */
      if (result != NULL)
        {
          complete_job (self, job, result);
          continue;
        }

      line = g_strconcat (job->code, "\n", NULL);
      if (!g_output_stream_write_all (worker->in, line, strlen (line), NULL, NULL, &error))
        {
          g_autofree char *message = g_strdup_printf (_("worker process failed: %s"), error->message);
          complete_job (self, job, failed_result (self, job->code, message));
          break;
        }
      worker->job = job;
      self->started (job->code, worker->slot + 1, self->started_data);
      return;
    }
  if (self->stopping || !self->begun || self->outstanding == 0)
    close_stdin (worker);
}

/* Every worker said it is ready, or is gone: the downloads may begin. */
static void
check_ready (FpProcessPool *self)
{
  guint n_gone = 0;

  for (guint i = 0; i < self->n_workers; i++)
    n_gone += !self->workers[i]->ready && self->workers[i]->eof;
  if (self->ready_task == NULL || self->n_ready + n_gone < self->n_workers)
    return;

  g_atomic_int_set (&self->ready_after_us, (int) MAX (1, g_get_monotonic_time () - self->start_us));
  g_task_return_boolean (self->ready_task, TRUE);
  g_clear_object (&self->ready_task);
}

/* A worker is gone for good once its output ended and it was reaped,
 * which the end of the fork server tells: called at both, it counts the
 * worker at the later one. */
static void
worker_gone (Worker *worker)
{
  FpProcessPool *self = worker->pool;
  Job *job;

  if (!worker->eof || !self->fork_server_ended)
    return;
  check_ready (self);
  g_assert (self->live > 0);
  if (--self->live > 0 || !self->begun)
    return;

  if (self->grace != NULL)
    g_source_destroy (self->grace);
  g_clear_pointer (&self->grace, g_source_unref);

  /* No worker left to run what is queued: they all failed to start or died. */
  while ((job = g_queue_pop_head (&self->queue)) != NULL)
    complete_job (self, job, failed_result (self, job->code,
                                            self->spawn_error != NULL ? self->spawn_error
                                                                      : _("no worker process left")));
}

static void read_next_line (Worker *worker);

/* The worker's download of @code (any, oldest first, for %NULL), taken off it. */
static Job *
take_job (Worker     *worker,
          const char *code)
{
  Job *job;

  for (GList *l = worker->saving.head; l != NULL; l = l->next)
    if (code == NULL || g_ascii_strcasecmp (((Job *) l->data)->code, code) == 0)
      {
        job = l->data;
        g_queue_delete_link (&worker->saving, l);
        return job;
      }
  if (worker->job != NULL && (code == NULL || g_ascii_strcasecmp (worker->job->code, code) == 0))
    return g_steal_pointer (&worker->job);
  return NULL;
}

static void
line_read_cb (GObject      *source,
              GAsyncResult *async_result,
              gpointer      user_data)
{
  Worker *worker = user_data;
  FpProcessPool *self = worker->pool;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source),
                                                                     async_result, NULL, &error);
  g_autofree char *fetched = NULL;
  FpDownloadResult *result;
  Job *job;

  if (line == NULL)
    {
      /* The worker ended (or its output broke) with a download unfinished. */
      worker->eof = TRUE;
      if (worker->job != NULL)
        g_queue_push_tail (&worker->saving, g_steal_pointer (&worker->job));
      while ((job = g_queue_pop_head (&worker->saving)) != NULL)
        complete_job (self, job, failed_result (self, job->code, _("worker process ended")));
      close_stdin (worker);
      /* One that ended before it was ready is not waited for. */
      check_ready (self);
      worker_gone (worker);
      return;
    }

  if (!worker->ready)
    {
      worker->ready = TRUE;
      self->n_ready++;
      check_ready (self);
      if (self->begun && worker->job == NULL)
        dispatch (worker);
      read_next_line (worker);
      return;
    }

  /* Its network half is done: the next code may go while it saves. */
  fetched = fp_process_pool_decode_fetched (line);
  if (fetched != NULL)
    {
      if (worker->job != NULL && g_ascii_strcasecmp (fetched, worker->job->code) == 0)
        {
          g_queue_push_tail (&worker->saving, g_steal_pointer (&worker->job));
          dispatch (worker);
        }
      else
        g_warning ("A worker process fetched what it was not asked for: %s", line);
      read_next_line (worker);
      return;
    }

  /* A result: of the download on the network (nothing to save), or of
   * one being saved. A line that cannot be read is the oldest one's. */
  result = fp_process_pool_decode_result (line, &error);
  job = result != NULL ? take_job (worker, fp_download_result_get_code (result)) : NULL;
  if (job == NULL)
    {
      g_clear_object (&result);
      job = take_job (worker, NULL);
    }
  if (job == NULL)
    {
      g_warning ("A worker process sent a result it was not asked for: %s", line);
      read_next_line (worker);
      return;
    }
  /* The worker timed its phases; when the job was queued and on which
   * slot it ran are the parent's to say. The worker process checked and
   * saved it too, so its disk lane is its own. */
  if (result != NULL && fp_download_result_get_timeline (result)->started != 0 &&
      !fp_download_result_get_timeline (result)->relative)
    {
      FpDownloadTimeline t = *fp_download_result_get_timeline (result);

      t.queued = job->queued_us;
      t.slot = (guint16) (worker->slot + 1);
      if (t.store_start != 0)
        t.store_slot = (guint16) (worker->slot + 1);
      fp_download_result_set_timeline (result, &t);
    }
  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("worker process sent a bad result: %s"),
                                                  error != NULL ? error->message : line);
      result = failed_result (self, job->code, message);
    }
  complete_job (self, job, result);
  if (worker->job == NULL)
    dispatch (worker);
  read_next_line (worker);
}

static void
read_next_line (Worker *worker)
{
  g_data_input_stream_read_line_async (worker->out, G_PRIORITY_DEFAULT, NULL, line_read_cb, worker);
}

/* The fork server ends once it has reaped every worker. */
static void
fork_server_exited_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  FpProcessPool *self = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  g_clear_object (&self->commands);
  self->fork_server_ended = TRUE;
  for (guint i = 0; i < self->n_workers; i++)
    worker_gone (self->workers[i]);
}

/* A line to the fork server; should it not take it, it is killed, and
 * its workers with it (PR_SET_PDEATHSIG). */
static void
tell_fork_server (FpProcessPool *self,
                  const char    *command)
{
  g_autofree char *line = g_strconcat (command, "\n", NULL);

  if (self->commands == NULL ||
      !g_output_stream_write_all (self->commands, line, strlen (line), NULL, NULL, NULL))
    g_subprocess_force_exit (self->fork_server);
}

static gboolean
grace_period_over_cb (gpointer user_data)
{
  FpProcessPool *self = user_data;

  tell_fork_server (self, FP_FORK_SERVER_KILL);
  g_clear_pointer (&self->grace, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer user_data)
{
  FpProcessPool *self = user_data;
  Job *job;

  if (self->stopping)
    return G_SOURCE_REMOVE;
  self->stopping = TRUE;
  if (self->live == 0)
    return G_SOURCE_REMOVE;

  /* Queued work never starts. */
  while ((job = g_queue_pop_head (&self->queue)) != NULL)
    complete_job (self, job, failed_result (self, job->code, NULL));

  /* Idle workers end at the end of their stdin, busy ones at SIGTERM. */
  for (guint i = 0; i < self->n_workers; i++)
    {
      Worker *worker = self->workers[i];

      close_stdin (worker);
      if (worker->job != NULL || !g_queue_is_empty (&worker->saving))
        {
          g_autofree char *command = g_strdup_printf (FP_FORK_SERVER_TERM "%u", worker->slot);

          tell_fork_server (self, command);
        }
    }

  self->grace = g_timeout_source_new (GRACE_PERIOD_MS);
  g_source_set_callback (self->grace, grace_period_over_cb, self, NULL);
  g_source_attach (self->grace, self->context);
  return G_SOURCE_REMOVE;
}

static void
batch_cancelled_cb (GCancellable  *cancellable,
                    FpProcessPool *self)
{
  fp_executor_call_soon (self->context, stop_cb, self, "[flagpole] stop workers");
}

/* In the child between fork and exec: async-signal-safe calls only. */
static void
child_setup (gpointer user_data)
{
  sigset_t none;

  /* Dies with the thread that spawned it, should the parent die. */
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
  /* The pool thread blocks SIGPIPE; the worker starts with nothing blocked. */
  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
}

/* A worker that never started: no output to read. */
static void
worker_not_started (Worker *worker)
{
  g_clear_object (&worker->in);
  g_clear_object (&worker->out);
  worker->eof = TRUE;
}

/* The worker's pipes: its stdin and stdout in the fork server, which
 * @launcher takes; the pool's ends in @worker. */
static gboolean
open_worker_pipes (Worker               *worker,
                   GSubprocessLauncher  *launcher,
                   GError              **error)
{
  int to_worker[2], from_worker[2];
  g_autoptr(GInputStream) out = NULL;

  if (!g_unix_open_pipe (to_worker, FD_CLOEXEC, error))
    return FALSE;
  if (!g_unix_open_pipe (from_worker, FD_CLOEXEC, error))
    {
      close (to_worker[0]);
      close (to_worker[1]);
      return FALSE;
    }
  g_subprocess_launcher_take_fd (launcher, to_worker[0], FP_FORK_SERVER_FIRST_FD + 2 * (int) worker->slot);
  g_subprocess_launcher_take_fd (launcher, from_worker[1], FP_FORK_SERVER_FIRST_FD + 2 * (int) worker->slot + 1);
  worker->in = g_unix_output_stream_new (to_worker[1], TRUE);
  out = g_unix_input_stream_new (from_worker[0], TRUE);
  worker->out = g_data_input_stream_new (out);
  g_data_input_stream_set_newline_type (worker->out, G_DATA_STREAM_NEWLINE_TYPE_LF);
  return TRUE;
}

static void
spawn_workers (FpProcessPool *self,
               const char    *worker_path)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *destination = g_file_get_path (fp_flag_fetcher_get_destination (self->fetcher));
  g_autofree char *timeout = g_strdup_printf ("%.3f", fp_flag_fetcher_get_timeout (self->fetcher));
  g_autofree char *max_body = g_strdup_printf ("%" G_GSIZE_FORMAT,
                                               fp_flag_fetcher_get_max_body_size (self->fetcher));
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  FpRetryPolicy *policy = fp_flag_fetcher_get_retry_policy (self->fetcher);

  for (guint i = 0; worker_path != NULL && i < self->n_workers; i++)
    if (!open_worker_pipes (self->workers[i], launcher, &error))
      break;

  g_ptr_array_add (argv, g_strdup (worker_path));
  g_ptr_array_add (argv, g_strdup_printf ("--fork=%u", self->n_workers));
  g_ptr_array_add (argv, g_strdup ("--source"));
  g_ptr_array_add (argv, g_strdup (fp_flag_fetcher_get_base_url (self->fetcher)));
  g_ptr_array_add (argv, g_strdup ("--extension"));
  g_ptr_array_add (argv, g_strdup (fp_flag_fetcher_get_extension (self->fetcher)));
  g_ptr_array_add (argv, g_strdup ("--destination"));
  g_ptr_array_add (argv, g_strdup (destination));
  g_ptr_array_add (argv, g_strdup ("--timeout"));
  g_ptr_array_add (argv, g_strdup (timeout));
  g_ptr_array_add (argv, g_strdup ("--max-body-size"));
  g_ptr_array_add (argv, g_strdup (max_body));
  if (policy != NULL && fp_retry_policy_get_max_retries (policy) > 0)
    {
      g_ptr_array_add (argv, g_strdup ("--retry-policy"));
      g_ptr_array_add (argv, fp_process_pool_encode_retry_policy (policy));
    }
  /* Its workers weigh as little as the thread pool's beside a window. */
  if (fp_get_beside_window ())
    g_ptr_array_add (argv, g_strdup ("--beside-window"));
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  if (worker_path != NULL && error == NULL)
    self->fork_server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (self->fork_server == NULL)
    {
      self->spawn_error = g_strdup_printf (_("cannot start a worker process: %s"),
                                           error != NULL ? error->message : _("flagpole-worker not found"));
      self->fork_server_ended = TRUE;
      for (guint i = 0; i < self->n_workers; i++)
        worker_not_started (self->workers[i]);
      return;
    }

  self->commands = g_object_ref (g_subprocess_get_stdin_pipe (self->fork_server));
  for (guint i = 0; i < self->n_workers; i++)
    read_next_line (self->workers[i]);
  g_subprocess_wait_async (self->fork_server, NULL, fork_server_exited_cb, self);
}

static gpointer
pool_thread_main (gpointer user_data)
{
  FpProcessPool *self = user_data;
  g_autofree char *worker_path = fp_process_pool_find_worker ();
  sigset_t pipe_signal;

  /* A worker that died leaves a pipe without reader: writing to it must
   * fail with EPIPE, not kill the program with SIGPIPE. */
  sigemptyset (&pipe_signal);
  sigaddset (&pipe_signal, SIGPIPE);
  pthread_sigmask (SIG_BLOCK, &pipe_signal, NULL);

  g_main_context_push_thread_default (self->context);

  self->live = self->n_workers;
  spawn_workers (self, worker_path);
  for (guint i = 0; i < self->n_workers; i++)
    worker_gone (self->workers[i]);

  while (!self->begun || self->outstanding > 0 || self->live > 0)
    g_main_context_iteration (self->context, TRUE);

  if (self->grace != NULL)
    g_source_destroy (self->grace);
  g_clear_pointer (&self->grace, g_source_unref);
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);
  g_main_context_pop_thread_default (self->context);

  /* Every worker is reaped: the batch may settle. */
  g_atomic_int_set (&self->finished, 1);
  g_main_context_wakeup (self->caller_context);

  /* Taken in fp_process_pool_start(): the thread never outlives it. */
  g_object_unref (self);
  return NULL;
}

static void
fp_process_pool_finalize (GObject *object)
{
  FpProcessPool *self = FP_PROCESS_POOL (object);

  if (self->cancel_handler != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_handler);
  /* Joined unless this is the pool's own thread: see fp-async-executor.c. */
  if (self->thread != NULL && self->thread != g_thread_self ())
    g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->thread, g_thread_unref);
  for (guint i = 0; i < self->n_workers; i++)
    worker_free (self->workers[i]);
  g_free (self->workers);
  g_clear_object (&self->commands);
  g_clear_object (&self->fork_server);
  g_queue_clear_full (&self->incoming, (GDestroyNotify) job_free);
  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  g_clear_object (&self->ready_task);
  g_mutex_clear (&self->incoming_lock);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->caller_context, g_main_context_unref);
  g_clear_pointer (&self->spawn_error, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->fetcher);

  G_OBJECT_CLASS (fp_process_pool_parent_class)->finalize (object);
}

static void
fp_process_pool_class_init (FpProcessPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_process_pool_finalize;
}

static void
fp_process_pool_init (FpProcessPool *self)
{
  g_mutex_init (&self->incoming_lock);
  g_queue_init (&self->incoming);
  g_queue_init (&self->queue);
}

/**
 * fp_process_pool_new:
 * @fetcher: the source, destination, timeout and size cap the workers use
 * @concurrency: how many worker processes to start
 * @cancellable: the batch's
 * @started: told of each download as a worker takes it, on the pool's thread
 */
FpProcessPool *
fp_process_pool_new (FpFlagFetcher         *fetcher,
                     guint                  concurrency,
                     GCancellable          *cancellable,
                     FpExecutorStartedFunc  started,
                     gpointer               user_data)
{
  FpProcessPool *self;

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (fetcher), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (concurrency > 0, NULL);

  self = g_object_new (FP_TYPE_PROCESS_POOL, NULL);
  self->fetcher = g_object_ref (fetcher);
  self->concurrency = concurrency;
  self->cancellable = g_object_ref (cancellable);
  self->started = started;
  self->started_data = user_data;
  self->context = g_main_context_new ();
  self->caller_context = g_main_context_ref_thread_default ();
  return self;
}

/**
 * fp_process_pool_prepare_async:
 * @n_downloads: how many downloads will follow: never more workers than that
 * @callback: called on the caller's thread-default main context once every
 *   worker process is ready (or could not start)
 *
 * Starts the worker processes. Their start-up is the pool's own cost,
 * kept apart from the downloads' time: fp_process_pool_get_startup_time().
 */
void
fp_process_pool_prepare_async (FpProcessPool       *self,
                               guint                n_downloads,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (FP_IS_PROCESS_POOL (self));
  g_return_if_fail (self->thread == NULL);

  self->ready_task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->ready_task, fp_process_pool_prepare_async);
  self->n_workers = MIN (self->concurrency, MAX (1, n_downloads));
  self->workers = g_new0 (Worker *, self->n_workers);
  for (guint i = 0; i < self->n_workers; i++)
    {
      self->workers[i] = g_new0 (Worker, 1);
      self->workers[i]->pool = self;
      self->workers[i]->slot = i;
    }

  self->start_us = g_get_monotonic_time ();
  self->thread = g_thread_new ("fp-process-pool", pool_thread_main, g_object_ref (self));
  self->cancel_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (batch_cancelled_cb),
                                                self, NULL);
}

gboolean
fp_process_pool_prepare_finish (FpProcessPool  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Queues a download; call between the preparation and fp_process_pool_start(). */
void
fp_process_pool_push (FpProcessPool *self,
                      GTask         *task,
                      const char    *code)
{
  Job *job;

  g_return_if_fail (FP_IS_PROCESS_POOL (self));
  g_return_if_fail (!self->handed_over);

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->code = g_strdup (code);
  job->queued_us = g_get_monotonic_time ();
  g_mutex_lock (&self->incoming_lock);
  g_queue_push_tail (&self->incoming, job);
  g_mutex_unlock (&self->incoming_lock);
}

static gboolean
begin_cb (gpointer user_data)
{
  FpProcessPool *self = user_data;

  /* The caller is done with `incoming`. */
  g_mutex_lock (&self->incoming_lock);
  self->queue = self->incoming;
  g_queue_init (&self->incoming);
  g_mutex_unlock (&self->incoming_lock);
  self->outstanding = self->queue.length;
  self->begun = TRUE;

  for (guint i = 0; i < self->n_workers; i++)
    if (self->workers[i]->ready && self->workers[i]->job == NULL)
      dispatch (self->workers[i]);
  /* Nobody to run them: no worker started, or the batch was cancelled. */
  if (self->live == 0)
    {
      Job *job;

      while ((job = g_queue_pop_head (&self->queue)) != NULL)
        complete_job (self, job, failed_result (self, job->code,
                                                self->spawn_error != NULL ? self->spawn_error
                                                                          : _("no worker process left")));
    }
  return G_SOURCE_REMOVE;
}

/* Hands the queued downloads to the workers. */
void
fp_process_pool_start (FpProcessPool *self)
{
  GSource *source;

  g_return_if_fail (FP_IS_PROCESS_POOL (self));
  g_return_if_fail (self->thread != NULL && !self->handed_over);

  self->handed_over = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, begin_cb, self, NULL);
  g_source_set_static_name (source, "[flagpole] begin downloads");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* Returns: whether every worker process has been reaped (or none was
 * ever started): nothing of the pool is left but this object. */
gboolean
fp_process_pool_get_finished (FpProcessPool *self)
{
  g_return_val_if_fail (FP_IS_PROCESS_POOL (self), TRUE);
  return self->thread == NULL || g_atomic_int_get (&self->finished);
}

/* Seconds from the start until every worker process was ready; 0 before. */
double
fp_process_pool_get_startup_time (FpProcessPool *self)
{
  g_return_val_if_fail (FP_IS_PROCESS_POOL (self), 0.0);
  return g_atomic_int_get (&self->ready_after_us) / (double) G_USEC_PER_SEC;
}

/**
 * fp_process_pool_find_worker:
 *
 * Returns: (transfer full) (nullable): the flagpole-worker program:
 *   $FLAGPOLE_WORKER (set by `meson test`), else the build tree's or the
 *   installed one (fp_find_helper_program())
 */
char *
fp_process_pool_find_worker (void)
{
  return fp_find_helper_program ("flagpole-worker", "FLAGPOLE_WORKER");
}
