/* fp-process-pool.h — the process-pool strategy: worker processes, one download each at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-download-result.h"
#include "fp-executor.h"
#include "fp-flag-fetcher.h"

G_BEGIN_DECLS

#define FP_TYPE_PROCESS_POOL (fp_process_pool_get_type ())
G_DECLARE_FINAL_TYPE (FpProcessPool, fp_process_pool, FP, PROCESS_POOL, GObject)

FpProcessPool    *fp_process_pool_new              (FpFlagFetcher         *fetcher,
                                                    guint                  concurrency,
                                                    GCancellable          *cancellable,
                                                    FpExecutorStartedFunc  started,
                                                    gpointer               user_data);
void              fp_process_pool_prepare_async    (FpProcessPool         *self,
                                                    guint                  n_downloads,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean          fp_process_pool_prepare_finish   (FpProcessPool         *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void              fp_process_pool_push             (FpProcessPool         *self,
                                                    GTask                 *task,
                                                    const char            *code);
void              fp_process_pool_start            (FpProcessPool         *self);
double            fp_process_pool_get_startup_time (FpProcessPool         *self);
gboolean          fp_process_pool_get_finished     (FpProcessPool         *self);

char             *fp_process_pool_find_worker      (void);

/* flagpole-worker --fork N: worker i's stdin is at descriptor
 * FP_FORK_SERVER_FIRST_FD + 2i, its stdout at the one after. The pool
 * writes it one command a line: "term I" (SIGTERM to worker I) and
 * "kill" (SIGKILL to every worker left). */
#define FP_FORK_SERVER_FIRST_FD 3
#define FP_FORK_SERVER_TERM "term "
#define FP_FORK_SERVER_KILL "kill"

/* The pipe's protocol: one JSON object a line, shared with flagpole-worker. */
char             *fp_process_pool_encode_result    (FpDownloadResult      *result,
                                                    gint64                 started_us,
                                                    gint64                 finished_us);
FpDownloadResult *fp_process_pool_decode_result    (const char            *line,
                                                    GError               **error);
/* The worker's network half is done, its disk half begun. */
char             *fp_process_pool_encode_fetched   (const char            *code);
char             *fp_process_pool_decode_fetched   (const char            *line);
/* The fetcher's retry policy on a worker's command line. */
char             *fp_process_pool_encode_retry_policy (FpRetryPolicy      *policy);
FpRetryPolicy    *fp_process_pool_decode_retry_policy (const char         *text);

G_END_DECLS
