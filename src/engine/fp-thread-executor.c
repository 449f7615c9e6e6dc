/* fp-thread-executor.c — the thread-pool strategy: exactly c threads for the network, a thread per core for the disk
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-thread-executor"

#include "config.h"

#include "fp-hand-off.h"
#include "fp-thread-executor.h"

/*
 * The book's ThreadPoolExecutor (and, with one worker, its sequential
 * baseline). A download has two halves. The network half (GET, read the
 * body) is I/O-bound and runs on a GThreadPool of exactly `workers`
 * threads, all made before the first push, so the concurrency is there
 * from the first instant. The disk half (check the image, write a
 * temporary file, rename it) runs on a second pool with a thread per
 * processor, so a worker hands its body over and starts its next request
 * at once — the server sees exactly `workers` requests in flight — and a
 * hundred threads never create files in one folder at once, where they
 * would only queue on the folder's lock. Threads for waiting, cores for
 * working. Both pools are exclusive and run below the caller's priority.
 *
 * The pools are made, and the downloads queued on them, by a thread of
 * their own, the starter: a hundred threads took the window's main
 * thread 3 to 6 ms to make, and queueing 676 downloads on a pool whose
 * workers were already taking them made it wait for the queue's lock
 * held by workers at the lowest priority (perf, the click of a batch:
 * 12 to 18 ms in which the window answered nothing).
 *
 * A finished download's future is returned on the caller's thread, not
 * from the worker: g_task_return_*() in a worker attaches a source to the
 * caller's main context, under that context's lock, and a worker at the
 * lowest priority preempted while holding it made the window wait (the
 * main loop takes the lock at every turn). Workers hand finished jobs
 * over through an FpHandOff, which takes no lock; a source there returns
 * them.
 */

typedef struct _Job Job;

struct _FpThreadExecutor
{
  GObject parent_instance;

  FpFlagFetcher *fetcher;      /* thread-safe */
  guint workers;
  GPtrArray *pending;          /* Job *, pushed before the start; the starter's after it */
  gboolean starting;           /* the starter is on its way: no more pushes */
  int startup_us;              /* atomic: how long making the pools took; 0 before */
  GThreadPool *pool;           /* the network halves: `workers` threads; the starter's */
  GThreadPool *store_pool;     /* the disk halves: a thread per processor; the starter's */
  FpExecutorStartedFunc started;
  gpointer user_data;
  FpWorkerSlots slots;         /* the network threads' numbers, 1…workers */
  FpWorkerSlots store_slots;   /* the disk threads' numbers, for the timeline */
  FpHandOff returned;          /* finished jobs, to the tasks' context; once set up */
  GSource *return_source;      /* takes them there; set up with the first job */
};

G_DEFINE_FINAL_TYPE (FpThreadExecutor, fp_thread_executor, G_TYPE_OBJECT)

/* One download between its halves. */
struct _Job {
  FpHandOffLink link;          /* first: how it is returned */
  FpDownloadResult *result;    /* once finished; owned */
  GTask *task;                 /* the future; owned */
  char *code;
  GBytes *body;
  GArray *tries;               /* FpDownloadTry made for the body */
  FpDownloadTimeline timeline; /* absolute µs; the batch makes it relative */
};

static void
job_free (Job *job)
{
  g_clear_object (&job->result);
  g_clear_object (&job->task);
  g_free (job->code);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->tries, g_array_unref);
  g_free (job);
}

/* In a worker: the job is done, for the caller's thread to return. */
static void
job_return (FpThreadExecutor *self,
            Job              *job,
            FpDownloadResult *result)
{
  fp_download_result_finish_timeline (result, &job->timeline);
  job->result = result;

  /* The job is the caller's thread's from now on. */
  fp_hand_off_push (&self->returned, &job->link);
}

/* On the caller's thread: returns the finished jobs' futures, in the
 * order they finished. */
static gboolean
return_jobs_cb (gpointer user_data)
{
  FpThreadExecutor *self = user_data;
  FpHandOffLink *link = fp_hand_off_take (&self->returned);

  while (link != NULL)
    {
      Job *job = (Job *) link;

      link = link->next;
      g_task_return_pointer (job->task, g_steal_pointer (&job->result), g_object_unref);
      job_free (job);
    }
  return G_SOURCE_CONTINUE;
}

/*
 * A pool's thread keeps one slot while the pool lives (the pools are
 * exclusive). GLib may hand a thread of a freed pool to a later one, so the
 * slot is remembered with this executor's serial (FpWorkerSlots), not alone.
 */
static guint
thread_slot (FpThreadExecutor *self)
{
  static GPrivate slot;

  return fp_worker_slots_take (&self->slots, &slot);
}

/* The disk half of a download, on the store pool. */
static void
store_worker (gpointer job_data,
              gpointer pool_data)
{
  FpThreadExecutor *self = pool_data;
  Job *job = job_data;
  static GPrivate store_slot;
  FpDownloadResult *result;

  fp_lower_thread_priority (FP_WORKER_NICE);
  job->timeline.store_slot = (guint16) fp_worker_slots_take (&self->store_slots, &store_slot);
  job->timeline.store_start = g_get_monotonic_time ();
  result = fp_flag_fetcher_store (self->fetcher, job->code, job->body, job->tries,
                                  g_task_get_cancellable (job->task));
  job->timeline.store_end = g_get_monotonic_time ();
  /* Freed here, not on the caller's thread: a block goes back to the
   * malloc arena of the thread that made it, under that arena's lock, and
   * the window then waited for a worker at the lowest priority that was
   * preempted holding it (perf trace: 29 ms over a batch in
   * return_jobs_cb()). */
  g_clear_pointer (&job->body, g_bytes_unref);
  g_clear_pointer (&job->tries, g_array_unref);
  job_return (self, job, result);
}

/* The network half of a download — the future's body — on the pool. */
static void
download_worker (gpointer job_data,
                 gpointer pool_data)
{
  FpThreadExecutor *self = pool_data;
  Job *job = job_data;
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  FpDownloadResult *result;

  fp_lower_thread_priority (FP_WORKER_NICE);

  /* A download still queued when the batch is cancelled never starts. */
  if (g_cancellable_is_cancelled (cancellable))
    {
      job_return (self, job, fp_download_result_new (job->code, FP_DOWNLOAD_STATUS_CANCELLED, NULL));
      return;
    }

  job->timeline.started = g_get_monotonic_time ();
  /* A thread of this exclusive pool runs one download at a time. */
  job->timeline.slot = (guint16) thread_slot (self);
  /* Told before the task returns, so it always precedes the completion. */
  self->started (job->code, job->timeline.slot, self->user_data);

  result = fp_flag_fetcher_receive_timed (self->fetcher, job->code, cancellable, &job->body, &job->tries,
                                          &job->timeline);
  job->timeline.network_end = g_get_monotonic_time ();
  if (result != NULL)
    job_return (self, job, result);
  else
    g_thread_pool_push (self->store_pool, job, NULL);
}

static void
thread_pool_free_when_idle (gpointer pool)
{
  /* Returns at once; the threads leave after their last job. */
  g_thread_pool_free (pool, FALSE, FALSE);
}

static void
fp_thread_executor_dispose (GObject *object)
{
  FpThreadExecutor *self = FP_THREAD_EXECUTOR (object);

  /* Every job holds its GTask, which holds the batch, which holds this,
   * and the starter holds it until it has queued every job: when this
   * goes, the pools are idle. */
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->pool, thread_pool_free_when_idle);
  g_clear_pointer (&self->store_pool, thread_pool_free_when_idle);
  g_clear_object (&self->fetcher);
  /* No job is left to return: each held its task, and so this. */
  if (self->return_source != NULL)
    {
      g_source_destroy (self->return_source);
      g_clear_pointer (&self->return_source, g_source_unref);
      fp_hand_off_clear (&self->returned);
    }

  G_OBJECT_CLASS (fp_thread_executor_parent_class)->dispose (object);
}

static void
fp_thread_executor_class_init (FpThreadExecutorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fp_thread_executor_dispose;
}

static void
fp_thread_executor_init (FpThreadExecutor *self)
{
}

/**
 * fp_thread_executor_new:
 * @fetcher: does each download's work
 * @workers: how many downloads run at once (1: one at a time)
 * @started: told, from a worker thread, when a download begins and on
 *   which slot (1 to @workers)
 *
 * Makes no thread yet: fp_thread_executor_start() does.
 *
 * Returns: (transfer full): the executor
 */
FpThreadExecutor *
fp_thread_executor_new (FpFlagFetcher         *fetcher,
                        guint                  workers,
                        FpExecutorStartedFunc  started,
                        gpointer               user_data)
{
  FpThreadExecutor *self;

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (fetcher), NULL);
  g_return_val_if_fail (workers >= 1, NULL);
  g_return_val_if_fail (started != NULL, NULL);

  self = g_object_new (FP_TYPE_THREAD_EXECUTOR, NULL);
  self->fetcher = g_object_ref (fetcher);
  self->workers = workers;
  self->started = started;
  self->user_data = user_data;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  fp_worker_slots_init (&self->slots);
  fp_worker_slots_init (&self->store_slots);

  return self;
}

/**
 * fp_thread_executor_push:
 * @task: the download's future, to return its #FpDownloadResult through
 * @code: its country code
 *
 * Queues a download, before fp_thread_executor_start(); once started, it
 * runs as soon as a worker is free.
 */
void
fp_thread_executor_push (FpThreadExecutor *self,
                         GTask            *task,
                         const char       *code)
{
  Job *job;

  g_return_if_fail (FP_IS_THREAD_EXECUTOR (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (!self->starting);

  /* The futures are returned where they were made (see above). */
  if (self->return_source == NULL)
    {
      fp_hand_off_init (&self->returned, g_task_get_context (task));
      self->return_source = fp_hand_off_source_new (&self->returned);
      g_source_set_callback (self->return_source, return_jobs_cb, self, NULL);
      g_source_set_static_name (self->return_source, "[flagpole] downloads returned");
      g_source_attach (self->return_source, self->returned.context);
    }
  g_return_if_fail (g_task_get_context (task) == self->returned.context);

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->code = g_strdup (code);
  job->timeline.queued = g_get_monotonic_time ();
  g_ptr_array_add (self->pending, job);
}

/* The starter: makes both pools, all their threads at once (exclusive:
 * they belong to this executor alone), then queues every download. It
 * holds the executor until then; it may drop the last reference, and
 * dispose it itself, once every download came back. */
static gpointer
start_thread (gpointer data)
{
  FpThreadExecutor *self = data;
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);
  gint64 begin = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;

  /* Below the caller, as the workers are: they inherit it from here, so
   * none of them takes the caller's turn before its first download. */
  fp_lower_thread_priority (FP_WORKER_NICE);
  self->pool = g_thread_pool_new (download_worker, self, (int) self->workers, TRUE, &error);
  g_assert_no_error (error);
  self->store_pool = g_thread_pool_new (store_worker, self, (int) g_get_num_processors (), TRUE, &error);
  g_assert_no_error (error);
  g_atomic_int_set (&self->startup_us, (int) MAX (1, g_get_monotonic_time () - begin));

  /* The pool owns each job from its push on. */
  g_ptr_array_set_free_func (pending, NULL);
  for (guint i = 0; i < pending->len; i++)
    g_thread_pool_push (self->pool, g_ptr_array_index (pending, i), NULL);
  g_object_unref (self);
  return NULL;
}

/**
 * fp_thread_executor_start:
 *
 * Starts the downloads pushed so far, from a thread of the executor's:
 * the caller's thread makes no thread and takes no lock of the pools.
 */
void
fp_thread_executor_start (FpThreadExecutor *self)
{
  g_return_if_fail (FP_IS_THREAD_EXECUTOR (self));
  g_return_if_fail (!self->starting);

  self->starting = TRUE;
  /* Not joined: it holds what it needs, and ends on its own. */
  g_thread_unref (g_thread_new ("fp-executor-start", start_thread, g_object_ref (self)));
}

/**
 * fp_thread_executor_get_startup_time:
 *
 * Returns: seconds the starter took to make both pools and their
 *   threads; 0 until it has
 */
double
fp_thread_executor_get_startup_time (FpThreadExecutor *self)
{
  g_return_val_if_fail (FP_IS_THREAD_EXECUTOR (self), 0.0);

  return g_atomic_int_get (&self->startup_us) / (double) G_USEC_PER_SEC;
}
