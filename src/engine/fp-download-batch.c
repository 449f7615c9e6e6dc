/* fp-download-batch.c — a batch of flag downloads, each a GTask on a thread pool
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-batch"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-download-batch.h"
#include "fp-download-batch-private.h"
#include "fp-engine-enums.h"
#include "fp-flag-fetcher.h"
#include "fp-retry-policy.h"
#include "fp-async-executor.h"
#include "fp-batch-news.h"
#include "fp-download-timeline.h"
#include "fp-process-pool.h"
#include "fp-thread-executor.h"

/*
 * The book's executors and futures, in GLib terms.
 *
 * Each download is a GTask made on the caller's thread: the future. A
 * strategy runs its body: FpThreadExecutor (a GThreadPool of exactly
 * `concurrency` threads, all working from the first instant, or one for
 * the sequential baseline), FpAsyncExecutor (an event loop) or
 * FpProcessPool (worker processes). GTask's own pool
 * (g_task_run_in_thread) is not used for the downloads: it is shared with
 * the rest of GIO, starts with 10 threads and grows by one every ~0.1 s,
 * so it would quietly cap and ramp up the concurrency this program exists
 * to show.
 *
 * The strategy returns the FpDownloadResult through the GTask, which
 * dispatches the completion to the caller's main context in completion
 * order — futures.as_completed(). There the batch does not act on it at
 * once: the completions and the workers' "started" news go through an
 * FpBatchNews, drained at idle priority a few milliseconds at a time, so
 * input and redraws come first. Its consumer is the only code that
 * touches the batch's counters, on the caller's thread, so they need no
 * lock.
 */

G_DEFINE_FINAL_TYPE (FpDownloadBatch, fp_download_batch, G_TYPE_OBJECT)

enum {
  DOWNLOAD_STARTED,
  DOWNLOAD_COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* For the setters in fp-download-batch-settings.c. */
void
_fp_download_batch_notify (FpDownloadBatch *self,
                           guint            prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
fp_download_batch_dispose (GObject *object)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (object);

  /* Every GTask holds a reference on the batch, so the executor is idle here. */
  g_clear_object (&self->executor);
  g_clear_pointer (&self->news, fp_batch_news_free);
  if (self->cancel_handler != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_handler);
  self->cancel_handler = 0;
  g_clear_object (&self->retry_policy);
  g_clear_pointer (&self->context, g_main_context_unref);
  if (self->caller_cancel_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_cancel_handler);
  self->caller_cancel_handler = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->destination);

  G_OBJECT_CLASS (fp_download_batch_parent_class)->dispose (object);
}

static void
fp_download_batch_finalize (GObject *object)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (object);

  g_clear_pointer (&self->codes, g_strfreev);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->extension, g_free);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->held, g_ptr_array_unref);

  G_OBJECT_CLASS (fp_download_batch_parent_class)->finalize (object);
}

static void
fp_download_batch_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (object);

  switch (prop_id)
    {
    case PROP_N_TOTAL:
      g_value_set_uint (value, fp_download_batch_get_n_total (self));
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_N_OK:
      g_value_set_uint (value, self->n_ok);
      break;
    case PROP_N_NOT_FOUND:
      g_value_set_uint (value, self->n_not_found);
      break;
    case PROP_N_ERROR:
      g_value_set_uint (value, self->n_error);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_STRATEGY:
      g_value_set_enum (value, self->strategy);
      break;
    case PROP_ORDER:
      g_value_set_enum (value, self->order);
      break;
    case PROP_RETRIES:
      g_value_set_uint (value, self->retries);
      break;
    case PROP_N_RETRIES:
      g_value_set_uint (value, self->n_retries);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_download_batch_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (object);

  switch (prop_id)
    {
    case PROP_CONCURRENCY:
      fp_download_batch_set_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_STRATEGY:
      fp_download_batch_set_strategy (self, g_value_get_enum (value));
      break;
    case PROP_ORDER:
      fp_download_batch_set_order (self, g_value_get_enum (value));
      break;
    case PROP_RETRIES:
      fp_download_batch_set_retries (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_download_batch_class_init (FpDownloadBatchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_download_batch_dispose;
  object_class->finalize = fp_download_batch_finalize;
  object_class->get_property = fp_download_batch_get_property;
  object_class->set_property = fp_download_batch_set_property;

  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OK] =
    g_param_spec_uint ("n-ok", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_NOT_FOUND] =
    g_param_spec_uint ("n-not-found", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ERROR] =
    g_param_spec_uint ("n-error", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL, 1, FP_MAX_CONCURRENCY, FP_DEFAULT_CONCURRENCY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL,
                       FP_TYPE_DOWNLOAD_STRATEGY, FP_DOWNLOAD_STRATEGY_THREADS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The order results are announced in: as completed, or as submitted. */
  /* Tries again after a transient failure; 0, the default, like the book. */
  properties[PROP_RETRIES] =
    g_param_spec_uint ("retries", NULL, NULL, 0, FP_MAX_RETRIES, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The requests made again so far, over all downloads counted. */
  properties[PROP_N_RETRIES] =
    g_param_spec_uint ("n-retries", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER] =
    g_param_spec_enum ("order", NULL, NULL,
                       FP_TYPE_RESULT_ORDER, FP_RESULT_ORDER_COMPLETED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FpDownloadBatch::download-started:
   * @code: the country code a worker picked up
   *
   * Emitted on the main context that ran the batch.
   */
  signals[DOWNLOAD_STARTED] =
    g_signal_new ("download-started",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * FpDownloadBatch::download-completed:
   * @result: what became of one download
   *
   * Emitted on the main context that ran the batch, in completion order,
   * after the counters count it.
   */
  signals[DOWNLOAD_COMPLETED] =
    g_signal_new ("download-completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FP_TYPE_DOWNLOAD_RESULT);
}

static void
fp_download_batch_init (FpDownloadBatch *self)
{
  self->concurrency = FP_DEFAULT_CONCURRENCY;
  self->strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  self->timeout_s = FP_DEFAULT_TIMEOUT_S;
  self->cancellable = g_cancellable_new ();
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * fp_download_batch_new:
 * @codes: the country codes to download (each two ASCII letters)
 * @base_url: the source: flags live at `{base_url}/{cc}/{cc}.{extension}`
 * @extension: the flag files' extension on the source ("gif", "png")
 * @destination: the folder to save them in; made if missing
 */
FpDownloadBatch *
fp_download_batch_new (const char * const *codes,
                       const char         *base_url,
                       const char         *extension,
                       GFile              *destination)
{
  FpDownloadBatch *self;

  g_return_val_if_fail (codes != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  self = g_object_new (FP_TYPE_DOWNLOAD_BATCH, NULL);
  self->codes = g_strdupv ((char **) codes);
  self->base_url = g_strdup (base_url);
  self->extension = g_strdup (extension);
  self->destination = g_object_ref (destination);
  return self;
}

static void
finish_batch (FpDownloadBatch *self)
{
  g_autoptr(GTask) run_task = g_steal_pointer (&self->run_task);

  self->finished_us = self->cancelled_us != 0 ? self->cancelled_us : g_get_monotonic_time ();
  self->running = FALSE;

  /* The workers are idle now: let the pool's threads go back to GLib.
   * After a cancel they may still be returning: the batch's dispose,
   * once every task let it go, frees the executor then. */
  if (FP_IS_THREAD_EXECUTOR (self->executor) && self->cancelled_us == 0)
    {
      self->startup_s = fp_thread_executor_get_startup_time (FP_THREAD_EXECUTOR (self->executor));
      g_clear_object (&self->executor);
    }
  /* Called from the news' own delivery: stopped now, freed with the batch. */
  fp_batch_news_stop (self->news);

  /* A cancel may run this inside the caller's cancellable's handler,
   * where disconnecting from it would deadlock: dispose does it then. */
  if (self->caller_cancel_handler != 0 && self->cancelled_us == 0)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_cancel_handler);
      self->caller_cancel_handler = 0;
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (g_cancellable_is_cancelled (self->cancellable))
    g_task_return_new_error (run_task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("Cancelled after %u of %u downloads"),
                             self->n_done, fp_download_batch_get_n_total (self));
  else
    g_task_return_boolean (run_task, TRUE);
}

/* Announces one download's completion, on the caller's thread. */
static void
announce_completion (FpDownloadBatch  *self,
                     FpDownloadResult *result)
{
  switch (fp_download_result_get_status (result))
    {
    case FP_DOWNLOAD_STATUS_OK:
      self->n_ok++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OK]);
      break;
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      self->n_not_found++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NOT_FOUND]);
      break;
    case FP_DOWNLOAD_STATUS_ERROR:
      self->n_error++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERROR]);
      break;
    case FP_DOWNLOAD_STATUS_CANCELLED:
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    default:
      break;
    }

  if (fp_download_result_get_n_tries (result) > 1)
    {
      self->n_retries += fp_download_result_get_n_tries (result) - 1;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_RETRIES]);
    }

  self->n_done++;
  g_ptr_array_add (self->results, g_object_ref (result));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  g_signal_emit (self, signals[DOWNLOAD_COMPLETED], 0, result);

  /* A cancel from a handler of the signal may have ended it already. */
  if (self->running && self->n_done == fp_download_batch_get_n_total (self))
    finish_batch (self);
}

/*
 * In submission order a result that came in early is held until every
 * code before it has been announced (executor.map); the downloads
 * themselves do not wait for anything.
 */
static void
deliver_completion (FpDownloadBatch  *self,
                    FpDownloadResult *result,
                    guint             index)
{
  if (self->order == FP_RESULT_ORDER_COMPLETED)
    {
      announce_completion (self, result);
      return;
    }

  g_assert (index < self->held->len && g_ptr_array_index (self->held, index) == NULL);
  g_ptr_array_index (self->held, index) = g_object_ref (result);
  while (self->running && self->next_to_announce < self->held->len &&
         g_ptr_array_index (self->held, self->next_to_announce) != NULL)
    {
      g_autoptr(FpDownloadResult) next = g_steal_pointer (&g_ptr_array_index (self->held, self->next_to_announce));

      self->next_to_announce++;
      announce_completion (self, next);
    }
}

/* One piece of news, on the caller's thread, in the order it came. */
static gboolean
news_cb (const char       *code,
         FpDownloadResult *result,
         guint             index,
         gpointer          user_data)
{
  FpDownloadBatch *self = user_data;

  if (!self->running)
    return FALSE;
  if (result != NULL)
    deliver_completion (self, result, index);
  else
    {
      self->n_started++;
      g_signal_emit (self, signals[DOWNLOAD_STARTED], 0, code);
    }
  return self->running;
}

/* A future completed: on the caller's main context, in completion order. */
static void
download_completed_cb (GObject      *source_object,
                       GAsyncResult *async_result,
                       gpointer      user_data)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (source_object);
  /* A download's task data is its place among the codes. */
  guint index = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (async_result)));
  g_autoptr(FpDownloadResult) result = g_task_propagate_pointer (G_TASK (async_result), NULL);

  g_assert (result != NULL);
  g_assert (self->n_tasks_out > 0);
  self->n_tasks_out--;
  fp_batch_news_post (self->news, NULL, result, index);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* A strategy's worker began a download: news for the caller's thread. */
static void
executor_started_cb (const char *code,
                     guint       slot,
                     gpointer    user_data)
{
  FpDownloadBatch *self = user_data;

  fp_slot_board_started (fp_slot_board_of (self), (const char * const *) self->codes, code, slot);
  fp_batch_news_post (self->news, code, NULL, 0);
}

/* A download the cancel ended before it was announced: on the timeline
 * it waited from the batch's start until the cancel. */
static FpDownloadResult *
new_cancelled_result (FpDownloadBatch *self,
                      const char      *code)
{
  FpDownloadResult *result = fp_download_result_new (code, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
  FpDownloadTimeline timeline = *fp_download_result_get_timeline (result);
  gint64 now = g_get_monotonic_time ();
  gint64 origin = self->started_us != 0 ? self->started_us : now;

  timeline.queued = 0;
  timeline.finished = MAX (0, (self->cancelled_us != 0 ? self->cancelled_us : now) - origin);
  fp_download_result_set_timeline (result, &timeline);
  return result;
}

/*
 * The cancel, on the caller's thread, at once: news still queued is
 * dropped, what was not announced is cancelled, and the batch completes
 * with what had finished before. Workers still returning are ignored.
 */
static gboolean
stop_batch_cb (gpointer user_data)
{
  FpDownloadBatch *self = user_data;
  g_autoptr(GHashTable) announced = NULL;

  if (!self->running || self->cancelled_us != 0)
    return G_SOURCE_REMOVE;

  self->cancelled_us = g_get_monotonic_time ();

  /* The destination is still being made: start_downloads() sees the cancel. */
  if (self->news == NULL)
    return G_SOURCE_REMOVE;

  fp_batch_news_stop (self->news);

  announced = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->results->len; i++)
    g_hash_table_add (announced, (gpointer) fp_download_result_get_code (g_ptr_array_index (self->results, i)));

  /* In the order given, each once; announce_completion() ends the batch. */
  for (guint i = 0; self->codes[i] != NULL && self->running; i++)
    {
      g_autoptr(FpDownloadResult) cancelled = NULL;

      if (g_hash_table_contains (announced, self->codes[i]))
        continue;
      g_hash_table_add (announced, self->codes[i]);
      cancelled = new_cancelled_result (self, self->codes[i]);
      announce_completion (self, cancelled);
    }

  return G_SOURCE_REMOVE;
}

/* Any thread: the batch's cancellable was cancelled. */
static void
batch_cancelled_cb (GCancellable    *cancellable,
                    FpDownloadBatch *self)
{
  /* At once when this thread runs the caller's context (a click), else
   * as soon as that context turns. */
  g_main_context_invoke_full (self->context, G_PRIORITY_HIGH,
                              stop_batch_cb, g_object_ref (self), g_object_unref);
}

static void
start_downloads (FpDownloadBatch *self)
{
  GMainContext *context = g_task_get_context (self->run_task);
  guint workers = fp_download_batch_get_workers (self);

  self->started_us = g_get_monotonic_time ();
  /* Before any worker runs: workers only read it. */
  fp_slot_board_attach (self, workers, fp_download_batch_get_n_total (self), self->started_us);

  self->news = fp_batch_news_new (context, G_OBJECT (self), news_cb);

  if (self->codes[0] == NULL)
    {
      finish_batch (self);
      return;
    }

  /* Cancelled while the destination was made or the worker processes
   * started: nothing starts. The process pool waits to be handed its
   * downloads before it lets its workers go: it is handed none. */
  if (self->cancelled_us != 0)
    {
      if (FP_IS_PROCESS_POOL (self->executor))
        fp_process_pool_start (FP_PROCESS_POOL (self->executor));
      fp_batch_news_stop (self->news);
      for (guint i = 0; self->codes[i] != NULL && self->running; i++)
        {
          g_autoptr(FpDownloadResult) cancelled =
            new_cancelled_result (self, self->codes[i]);
          announce_completion (self, cancelled);
        }
      return;
    }

  if (self->order == FP_RESULT_ORDER_SUBMITTED)
    {
      self->held = g_ptr_array_new_full (fp_download_batch_get_n_total (self), unref_if_set);
      g_ptr_array_set_size (self->held, fp_download_batch_get_n_total (self));
    }

  switch (self->strategy)
    {
    case FP_DOWNLOAD_STRATEGY_ASYNC:
      self->executor = G_OBJECT (fp_async_executor_new (self->fetcher, workers, self->cancellable,
                                                        executor_started_cb, self));
      break;
    case FP_DOWNLOAD_STRATEGY_PROCESSES:
      /* Made and started in destination_prepared_cb(). */
      g_assert (FP_IS_PROCESS_POOL (self->executor));
      break;
    case FP_DOWNLOAD_STRATEGY_SEQUENTIAL:
    case FP_DOWNLOAD_STRATEGY_THREADS:
    default:
      self->executor = G_OBJECT (fp_thread_executor_new (self->fetcher, workers, executor_started_cb, self));
      break;
    }

  g_main_context_push_thread_default (context);
  for (guint i = 0; self->codes[i] != NULL; i++)
    {
      GTask *task = g_task_new (self, self->cancellable, download_completed_cb, NULL);

      self->n_tasks_out++;
      const char *code = self->codes[i];

      g_task_set_source_tag (task, start_downloads);
      g_task_set_name (task, code);
      g_task_set_task_data (task, GUINT_TO_POINTER (i), NULL);
      /* A download that finished just before a cancel keeps its result. */
      g_task_set_check_cancellable (task, FALSE);
      if (FP_IS_ASYNC_EXECUTOR (self->executor))
        fp_async_executor_push (FP_ASYNC_EXECUTOR (self->executor), task, code);
      else if (FP_IS_PROCESS_POOL (self->executor))
        fp_process_pool_push (FP_PROCESS_POOL (self->executor), task, code);
      else
        fp_thread_executor_push (FP_THREAD_EXECUTOR (self->executor), task, code);
      g_object_unref (task);
    }
  g_main_context_pop_thread_default (context);

  if (FP_IS_ASYNC_EXECUTOR (self->executor))
    fp_async_executor_start (FP_ASYNC_EXECUTOR (self->executor));
  else if (FP_IS_PROCESS_POOL (self->executor))
    fp_process_pool_start (FP_PROCESS_POOL (self->executor));
  else
    fp_thread_executor_start (FP_THREAD_EXECUTOR (self->executor));
}

static void
prepare_destination_thread (GTask        *task,
                            gpointer      source_object,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  FpFlagFetcher *fetcher = task_data;
  GError *error = NULL;

  if (fp_flag_fetcher_prepare_destination (fetcher, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
workers_ready_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(FpDownloadBatch) self = user_data;

  /* A worker that could not start fails its downloads, with the reason. */
  fp_process_pool_prepare_finish (FP_PROCESS_POOL (source_object), result, NULL);
  start_downloads (self);
}

static void
destination_prepared_cb (GObject      *source_object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  FpDownloadBatch *self = FP_DOWNLOAD_BATCH (source_object);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autoptr(GTask) run_task = g_steal_pointer (&self->run_task);

      self->running = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      g_task_return_error (run_task, error);
      return;
    }

  /* The processes start before the clock does: their start-up is the
   * pool's own cost, reported apart (fp_download_batch_get_startup_time()). */
  if (self->strategy == FP_DOWNLOAD_STRATEGY_PROCESSES && self->codes[0] != NULL)
    {
      FpProcessPool *pool = fp_process_pool_new (self->fetcher, fp_download_batch_get_workers (self),
                                                 self->cancellable, executor_started_cb, self);

      self->executor = G_OBJECT (pool);
      fp_process_pool_prepare_async (pool, fp_download_batch_get_n_total (self),
                                     workers_ready_cb, g_object_ref (self));
      return;
    }

  start_downloads (self);
}

static void
caller_cancelled_cb (GCancellable    *cancellable,
                     FpDownloadBatch *self)
{
  g_cancellable_cancel (self->cancellable);
}

/**
 * fp_download_batch_run_async:
 * @cancellable: (nullable): cancels the whole batch, like
 *   fp_download_batch_cancel()
 * @callback: called on the current thread-default main context when
 *   every download has completed
 *
 * Starts the batch. Its signals and its @callback are emitted on the
 * thread-default main context of the caller. A batch runs once.
 */
void
fp_download_batch_run_async (FpDownloadBatch     *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) prepare_task = NULL;

  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (self->run_task == NULL);
  g_return_if_fail (self->started_us == 0);

  self->run_task = g_task_new (self, cancellable, callback, user_data);
  self->context = g_main_context_ref_thread_default ();
  g_task_set_source_tag (self->run_task, fp_download_batch_run_async);
  g_task_set_check_cancellable (self->run_task, FALSE);

  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                           self, NULL);
    }

  self->fetcher = fp_flag_fetcher_new (self->base_url, self->extension, self->destination,
                                       fp_download_batch_get_workers (self), self->timeout_s);
  if (self->retry_policy == NULL && self->retries > 0)
    self->retry_policy = fp_retry_policy_new (self->retries);
  fp_flag_fetcher_set_retry_policy (self->fetcher, self->retry_policy);
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  self->cancel_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (batch_cancelled_cb),
                                                self, NULL);

  /* Making the folder touches the disk, which the main loop never waits on. */
  prepare_task = g_task_new (self, NULL, destination_prepared_cb, NULL);
  g_task_set_source_tag (prepare_task, fp_download_batch_run_async);
  g_task_set_task_data (prepare_task, g_object_ref (self->fetcher), g_object_unref);
  g_task_run_in_thread (prepare_task, prepare_destination_thread);
}

/**
 * fp_download_batch_run_finish:
 *
 * Returns: %TRUE when every download ran (whatever became of each);
 *   %FALSE with %G_IO_ERROR_CANCELLED when the batch was cancelled (the
 *   results of what finished stay available), or with
 *   %FP_ENGINE_ERROR_DESTINATION when nothing could be saved
 */
gboolean
fp_download_batch_run_finish (FpDownloadBatch  *self,
                              GAsyncResult     *result,
                              GError          **error)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fp_download_batch_cancel:
 *
 * Cancels the batch: queued downloads never start, running ones abort,
 * and the batch completes with what finished.
 */
void
fp_download_batch_cancel (FpDownloadBatch *self)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_cancellable_cancel (self->cancellable);
}
