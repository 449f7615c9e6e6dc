/* fp-thread-executor.h — the thread-pool strategy: exactly c threads for the network, a thread per core for the disk
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-executor.h"
#include "fp-flag-fetcher.h"

G_BEGIN_DECLS

#define FP_TYPE_THREAD_EXECUTOR (fp_thread_executor_get_type ())
G_DECLARE_FINAL_TYPE (FpThreadExecutor, fp_thread_executor, FP, THREAD_EXECUTOR, GObject)

FpThreadExecutor *fp_thread_executor_new              (FpFlagFetcher         *fetcher,
                                                       guint                  workers,
                                                       FpExecutorStartedFunc  started,
                                                       gpointer               user_data);
void              fp_thread_executor_push             (FpThreadExecutor      *self,
                                                       GTask                 *task,
                                                       const char            *code);
void              fp_thread_executor_start            (FpThreadExecutor      *self);
double            fp_thread_executor_get_startup_time (FpThreadExecutor      *self);

G_END_DECLS
