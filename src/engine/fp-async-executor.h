/* fp-async-executor.h — the event-loop strategy: every download on one thread's main context
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-executor.h"
#include "fp-flag-fetcher.h"

G_BEGIN_DECLS

#define FP_TYPE_ASYNC_EXECUTOR (fp_async_executor_get_type ())
G_DECLARE_FINAL_TYPE (FpAsyncExecutor, fp_async_executor, FP, ASYNC_EXECUTOR, GObject)

FpAsyncExecutor *fp_async_executor_new   (FpFlagFetcher         *fetcher,
                                          guint                  concurrency,
                                          GCancellable          *cancellable,
                                          FpExecutorStartedFunc  started,
                                          gpointer               user_data);
void             fp_async_executor_push  (FpAsyncExecutor       *self,
                                          GTask                 *task,
                                          const char            *code);
void             fp_async_executor_start (FpAsyncExecutor       *self);
double           fp_async_executor_get_startup_time (FpAsyncExecutor *self);

G_END_DECLS
