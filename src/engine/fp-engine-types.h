/* fp-engine-types.h — enums and the error domain shared by the download engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * FpDownloadStatus:
 * @FP_DOWNLOAD_STATUS_QUEUED: waiting for a free worker
 * @FP_DOWNLOAD_STATUS_DOWNLOADING: a worker is fetching it
 * @FP_DOWNLOAD_STATUS_OK: saved in the destination
 * @FP_DOWNLOAD_STATUS_NOT_FOUND: the server answered 404
 * @FP_DOWNLOAD_STATUS_ERROR: anything else went wrong; the result's message says what
 * @FP_DOWNLOAD_STATUS_CANCELLED: the batch was cancelled before this one finished
 *
 * The life of one flag download, the book's `DownloadStatus` plus the
 * states a window shows while the future is pending.
 */
typedef enum {
  FP_DOWNLOAD_STATUS_QUEUED,
  FP_DOWNLOAD_STATUS_DOWNLOADING,
  FP_DOWNLOAD_STATUS_OK,
  FP_DOWNLOAD_STATUS_NOT_FOUND,
  FP_DOWNLOAD_STATUS_ERROR,
  FP_DOWNLOAD_STATUS_CANCELLED,
} FpDownloadStatus;

/**
 * FpDownloadStrategy:
 * @FP_DOWNLOAD_STRATEGY_SEQUENTIAL: one download at a time, the book's baseline
 * @FP_DOWNLOAD_STRATEGY_THREADS: a thread pool running up to the concurrency at once
 * @FP_DOWNLOAD_STRATEGY_ASYNC: an event loop on one thread of its own, up to the
 *   concurrency in flight (the book's asyncio with a semaphore)
 * @FP_DOWNLOAD_STRATEGY_PROCESSES: a pool of worker processes, one download
 *   each at a time (the book's ProcessPoolExecutor)
 */
typedef enum {
  FP_DOWNLOAD_STRATEGY_SEQUENTIAL,
  FP_DOWNLOAD_STRATEGY_THREADS,
  FP_DOWNLOAD_STRATEGY_ASYNC,
  FP_DOWNLOAD_STRATEGY_PROCESSES,
} FpDownloadStrategy;

/**
 * FpResultOrder:
 * @FP_RESULT_ORDER_COMPLETED: each result as soon as it is in (futures.as_completed)
 * @FP_RESULT_ORDER_SUBMITTED: in the order of the codes: a result waits until
 *   every code before it has been announced (executor.map)
 */
typedef enum {
  FP_RESULT_ORDER_COMPLETED,
  FP_RESULT_ORDER_SUBMITTED,
} FpResultOrder;

#define FP_ENGINE_ERROR (fp_engine_error_quark ())

/**
 * FpEngineError:
 * @FP_ENGINE_ERROR_INVALID_CODE: a country code that is not two ASCII letters
 * @FP_ENGINE_ERROR_INVALID_ARGUMENT: a selection or option that makes no sense
 * @FP_ENGINE_ERROR_INVALID_SOURCE: a source that is not an http(s) URL
 * @FP_ENGINE_ERROR_DESTINATION: the destination folder cannot be written
 * @FP_ENGINE_ERROR_NOT_AN_IMAGE: the response is not a whole PNG, GIF or JPEG image
 * @FP_ENGINE_ERROR_SERVER: the built-in server could not start
 *
 * A failed download is not a #GError: it is an #FpDownloadResult with the
 * %FP_DOWNLOAD_STATUS_ERROR status and a message for a person, because a
 * batch goes on past it, as the book's does.
 */
typedef enum {
  FP_ENGINE_ERROR_INVALID_CODE,
  FP_ENGINE_ERROR_INVALID_ARGUMENT,
  FP_ENGINE_ERROR_INVALID_SOURCE,
  FP_ENGINE_ERROR_DESTINATION,
  FP_ENGINE_ERROR_NOT_AN_IMAGE,
  FP_ENGINE_ERROR_SERVER,
} FpEngineError;

GQuark fp_engine_error_quark (void);

/* Limits of one request, the SPEC's "bad input gets a clear error". */
#define FP_MAX_CONCURRENCY       100
#define FP_DEFAULT_CONCURRENCY   20
#define FP_DEFAULT_TIMEOUT_S     10.0
#define FP_MAX_BODY_SIZE         (10 * 1024 * 1024)
#define FP_MAX_REDIRECTS         5

const char *fp_download_status_to_string (FpDownloadStatus status);

G_END_DECLS
