/* fp-executor.h — what the batch's strategies other than the thread pool share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The batch hands each strategy its downloads as GTasks, the futures,
 * made on the caller's thread; the strategy returns each one's
 * FpDownloadResult through it (g_task_return_pointer() is thread-safe and
 * dispatches to the caller's context), after telling the batch, from any
 * thread, when the download began and on which worker slot.
 */
typedef void (*FpExecutorStartedFunc) (const char *code,
                                       guint       slot,
                                       gpointer    user_data);

/* The niceness of the engine's worker threads: see fp-download-batch.c. */
#define FP_WORKER_NICE 15

G_END_DECLS
