/* fp-download-batch-private.h — the batch's state, shared by the files that make it up
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-download-batch.h"
#include "fp-batch-news.h"
#include "fp-flag-fetcher.h"
#include "fp-retry-policy.h"

G_BEGIN_DECLS

struct _FpDownloadBatch
{
  GObject parent_instance;

  char **codes;
  char *base_url;
  char *extension;
  GFile *destination;
  guint concurrency;
  FpDownloadStrategy strategy;
  FpResultOrder order;
  double timeout_s;
  guint retries;
  FpRetryPolicy *retry_policy; /* set by the caller, or made from `retries` */

  FpFlagFetcher *fetcher;      /* shared by the workers; thread-safe */
  GObject *executor;           /* the strategy: FpThreadExecutor, FpAsyncExecutor, FpProcessPool */
  GTask *run_task;             /* the batch's own future */
  GCancellable *cancellable;   /* cancels every download */
  gulong caller_cancel_handler;
  GCancellable *caller_cancellable;
  gulong cancel_handler;       /* on `cancellable`: stops the batch at once */
  gint64 cancelled_us;         /* when the cancel stopped the batch, or 0 */
  guint n_tasks_out;           /* download tasks that have not come back yet */
  GMainContext *context;       /* the caller's, where the batch reports */

  gint64 started_us;
  gint64 finished_us;
  double startup_s;            /* the thread pool's, kept when it is freed */
  guint n_done;
  guint n_ok;
  guint n_not_found;
  guint n_error;
  guint n_retries;             /* requests made again after a transient failure */
  guint n_started;             /* downloads a worker began, as announced */
  gboolean running;
  GPtrArray *results;          /* FpDownloadResult, in the order announced */
  GPtrArray *held;             /* submission order: results waiting for those before them */
  guint next_to_announce;      /* submission order: the index of the next code to announce */

  FpBatchNews *news;           /* starts and completions, to the caller's thread */
};

enum {
  PROP_0,
  PROP_N_TOTAL,
  PROP_N_DONE,
  PROP_N_OK,
  PROP_N_NOT_FOUND,
  PROP_N_ERROR,
  PROP_RUNNING,
  PROP_CONCURRENCY,
  PROP_STRATEGY,
  PROP_ORDER,
  PROP_RETRIES,
  PROP_N_RETRIES,
  N_PROPS
};

/* Notifies the property @prop_id (one of the above). */
void               _fp_download_batch_notify           (FpDownloadBatch    *self,
                                                        guint               prop_id);

G_END_DECLS
