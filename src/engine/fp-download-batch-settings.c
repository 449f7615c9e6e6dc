/* fp-download-batch-settings.c — a batch's settings, and its progress as the caller reads it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-batch"

#include "config.h"

#include "fp-download-batch.h"
#include "fp-download-batch-private.h"
#include "fp-engine-enums.h"
#include "fp-flag-fetcher.h"
#include "fp-retry-policy.h"
#include "fp-async-executor.h"
#include "fp-batch-news.h"
#include "fp-process-pool.h"
#include "fp-thread-executor.h"

void
fp_download_batch_set_concurrency (FpDownloadBatch *self,
                                   guint            concurrency)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (self->run_task == NULL);

  concurrency = CLAMP (concurrency, 1, FP_MAX_CONCURRENCY);
  if (self->concurrency == concurrency)
    return;
  self->concurrency = concurrency;
  _fp_download_batch_notify (self, PROP_CONCURRENCY);
}

guint
fp_download_batch_get_concurrency (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->concurrency;
}

void
fp_download_batch_set_strategy (FpDownloadBatch    *self,
                                FpDownloadStrategy  strategy)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (self->run_task == NULL);

  if (self->strategy == strategy)
    return;
  self->strategy = strategy;
  _fp_download_batch_notify (self, PROP_STRATEGY);
}

FpDownloadStrategy
fp_download_batch_get_strategy (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FP_DOWNLOAD_STRATEGY_THREADS);
  return self->strategy;
}

/**
 * fp_download_batch_set_order:
 * @order: %FP_RESULT_ORDER_SUBMITTED to announce results in the order of
 *   the codes (executor.map: one slow download holds back every later
 *   one), %FP_RESULT_ORDER_COMPLETED as they come in (as_completed)
 *
 * Whatever the order, the downloads run the same; only their news waits.
 */
void
fp_download_batch_set_order (FpDownloadBatch *self,
                             FpResultOrder    order)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (self->run_task == NULL);

  if (self->order == order)
    return;
  self->order = order;
  _fp_download_batch_notify (self, PROP_ORDER);
}

FpResultOrder
fp_download_batch_get_order (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FP_RESULT_ORDER_COMPLETED);
  return self->order;
}

/**
 * fp_download_batch_get_startup_time:
 *
 * Returns: seconds from the start of the downloads until the strategy's
 *   workers were ready: the process pool's cost of starting its
 *   processes, the event loop's of starting its thread, the thread
 *   pool's of making its threads
 */
double
fp_download_batch_get_startup_time (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0.0);

  if (FP_IS_ASYNC_EXECUTOR (self->executor))
    return fp_async_executor_get_startup_time (FP_ASYNC_EXECUTOR (self->executor));
  if (FP_IS_PROCESS_POOL (self->executor))
    return fp_process_pool_get_startup_time (FP_PROCESS_POOL (self->executor));
  if (FP_IS_THREAD_EXECUTOR (self->executor))
    return fp_thread_executor_get_startup_time (FP_THREAD_EXECUTOR (self->executor));
  return self->startup_s;
}

void
fp_download_batch_set_timeout (FpDownloadBatch *self,
                               double           timeout_s)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (timeout_s > 0);
  g_return_if_fail (self->run_task == NULL);
  self->timeout_s = timeout_s;
}

double
fp_download_batch_get_timeout (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0.0);
  return self->timeout_s;
}

void
fp_download_batch_set_retries (FpDownloadBatch *self,
                               guint            retries)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (self->run_task == NULL);

  retries = MIN (retries, FP_MAX_RETRIES);
  if (self->retries == retries)
    return;
  self->retries = retries;
  _fp_download_batch_notify (self, PROP_RETRIES);
}

guint
fp_download_batch_get_retries (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->retry_policy != NULL ? fp_retry_policy_get_max_retries (self->retry_policy)
                                    : self->retries;
}

/**
 * fp_download_batch_set_retry_policy:
 * @policy: (nullable): the policy for this batch, instead of one made from
 *   #FpDownloadBatch:retries with the default back-off
 */
void
fp_download_batch_set_retry_policy (FpDownloadBatch *self,
                                    FpRetryPolicy   *policy)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (self));
  g_return_if_fail (policy == NULL || FP_IS_RETRY_POLICY (policy));
  g_return_if_fail (self->run_task == NULL);

  g_set_object (&self->retry_policy, policy);
}

/* Returns: (transfer none) (nullable): the policy the batch runs with */
FpRetryPolicy *
fp_download_batch_get_retry_policy (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), NULL);
  return self->retry_policy;
}

guint
fp_download_batch_get_n_retries (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->n_retries;
}

/* Returns: how many downloads are under way now (begun, not announced) */
guint
fp_download_batch_get_n_in_flight (FpDownloadBatch *self)
{
  guint answered;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  if (!self->running)
    return 0;
  answered = self->n_ok + self->n_not_found + self->n_error;
  return self->n_started > answered ? self->n_started - answered : 0;
}

/* Returns: how many requests are sent and wait for a first byte: a stall */
guint
fp_download_batch_get_n_awaiting (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  if (!self->running || self->fetcher == NULL)
    return 0;
  return fp_flag_fetcher_get_n_awaiting (self->fetcher);
}

/* Returns: whether the batch was stopped by a cancel */
gboolean
fp_download_batch_get_cancelled (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FALSE);
  return self->cancelled_us != 0;
}

/**
 * fp_download_batch_get_workers:
 *
 * Returns: how many downloads run at once: one for the sequential
 *   strategy, otherwise the concurrency, but never more than the codes
 *   (the book's `min(MAX_WORKERS, len(cc_list))`)
 */
guint
fp_download_batch_get_workers (FpDownloadBatch *self)
{
  guint n;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);

  if (self->strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
    return 1;
  n = g_strv_length (self->codes);
  return MAX (1, MIN (self->concurrency, n));
}

const char * const *
fp_download_batch_get_codes (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), NULL);
  return (const char * const *) self->codes;
}

const char *
fp_download_batch_get_base_url (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), NULL);
  return self->base_url;
}

GFile *
fp_download_batch_get_destination (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), NULL);
  return self->destination;
}

guint
fp_download_batch_get_n_total (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return g_strv_length (self->codes);
}

guint
fp_download_batch_get_n_done (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->n_done;
}

guint
fp_download_batch_get_n_ok (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->n_ok;
}

guint
fp_download_batch_get_n_not_found (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->n_not_found;
}

guint
fp_download_batch_get_n_error (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  return self->n_error;
}

gboolean
fp_download_batch_get_running (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FALSE);
  return self->running;
}

/* Seconds since the downloads started; frozen once the batch ended. */
double
fp_download_batch_get_elapsed (FpDownloadBatch *self)
{
  gint64 end;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0.0);

  if (self->started_us == 0)
    return 0.0;
  end = self->finished_us != 0 ? self->finished_us : g_get_monotonic_time ();
  return (end - self->started_us) / (double) G_USEC_PER_SEC;
}

/* Flags finished per second so far, what tqdm shows as it/s. */
double
fp_download_batch_get_rate (FpDownloadBatch *self)
{
  double elapsed = fp_download_batch_get_elapsed (self);

  if (elapsed <= 0.0 || self->n_done == 0)
    return 0.0;
  return self->n_done / elapsed;
}

/* Returns: the time left at the rate so far, or -1 before anything finished. */
double
fp_download_batch_get_seconds_left (FpDownloadBatch *self)
{
  double rate = fp_download_batch_get_rate (self);

  if (rate <= 0.0)
    return -1.0;
  return (fp_download_batch_get_n_total (self) - self->n_done) / rate;
}

/**
 * fp_download_batch_get_settled:
 *
 * A cancel ends a batch at once, while its workers may still be aborting
 * their requests and removing their temporary files. A program about to
 * exit waits for this, turning its main context, so that nothing
 * half-written is left behind.
 *
 * The same holds for a process pool's workers, which end a moment after
 * the last result: none is left once the batch is settled. When a pool's
 * last worker is reaped, the caller's main context is woken.
 *
 * Returns: whether the batch is over and every worker has let it go
 */
gboolean
fp_download_batch_get_settled (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FALSE);
  return !self->running && self->n_tasks_out == 0 &&
         (!FP_IS_PROCESS_POOL (self->executor) || fp_process_pool_get_finished (FP_PROCESS_POOL (self->executor)));
}

/**
 * fp_download_batch_get_results:
 *
 * Returns: (transfer none) (element-type FpDownloadResult): the results
 *   so far, in completion order
 */
GPtrArray *
fp_download_batch_get_results (FpDownloadBatch *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), NULL);
  return self->results;
}
