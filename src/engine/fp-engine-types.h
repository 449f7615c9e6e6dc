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
  FP_DOWNLOAD_STATUS_NOT_FOUND,   /*< nick=not_found >*/
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

/**
 * FpSourceKind:
 * @FP_SOURCE_KIND_BUILTIN: the built-in flag server on this computer
 * @FP_SOURCE_KIND_REMOTE: the book's site, %BOOK_FLAGS_URL
 * @FP_SOURCE_KIND_CUSTOM: any base URL with the book's layout
 *
 * Where a batch downloads from. The nicks are the settings schema's and
 * the command line's --server keywords ("custom" is a URL).
 */
typedef enum {
  FP_SOURCE_KIND_BUILTIN,
  FP_SOURCE_KIND_REMOTE,
  FP_SOURCE_KIND_CUSTOM,
} FpSourceKind;

/**
 * FpRunState:
 * @FP_RUN_STATE_READY: made, not started
 * @FP_RUN_STATE_RUNNING: its batch runs
 * @FP_RUN_STATE_FINISHED: every download ran, whatever became of each
 * @FP_RUN_STATE_CANCELLED: cancelled; the results of what finished stay
 * @FP_RUN_STATE_FAILED: the batch could not run (the run's error says why)
 *
 * The life of one #FpRun.
 */
typedef enum {
  FP_RUN_STATE_READY,
  FP_RUN_STATE_RUNNING,
  FP_RUN_STATE_FINISHED,
  FP_RUN_STATE_CANCELLED,
  FP_RUN_STATE_FAILED,
} FpRunState;

#define FP_DOWNLOAD_ERROR (fp_download_error_quark ())

/**
 * FpDownloadError:
 * @FP_DOWNLOAD_ERROR_FAILED: none of the others
 * @FP_DOWNLOAD_ERROR_HTTP_STATUS: the server answered with a status other
 *   than 200 and 404; the result's HTTP status says which
 * @FP_DOWNLOAD_ERROR_NOT_FOUND: the server answered 404
 * @FP_DOWNLOAD_ERROR_TIMEOUT: the request's deadline passed
 * @FP_DOWNLOAD_ERROR_REFUSED: the server refused the connection
 * @FP_DOWNLOAD_ERROR_RESET: the connection was closed or reset mid-exchange
 * @FP_DOWNLOAD_ERROR_CUT_SHORT: the body was shorter than announced
 * @FP_DOWNLOAD_ERROR_UNREACHABLE: no route to the server's host or network
 * @FP_DOWNLOAD_ERROR_DNS: the server's name could not be resolved
 * @FP_DOWNLOAD_ERROR_TLS: the secure connection failed
 * @FP_DOWNLOAD_ERROR_NOT_AN_IMAGE: the body is not a whole PNG, GIF or JPEG
 * @FP_DOWNLOAD_ERROR_TOO_LARGE: the body is larger than the limit
 * @FP_DOWNLOAD_ERROR_TOO_MANY_REDIRECTS: more than %FP_MAX_REDIRECTS redirects
 * @FP_DOWNLOAD_ERROR_BAD_REDIRECT: a redirect to a URL that is not http(s)
 * @FP_DOWNLOAD_ERROR_INVALID_CODE: the code is not two ASCII letters
 * @FP_DOWNLOAD_ERROR_INVALID_URL: the flag's URL cannot be parsed
 * @FP_DOWNLOAD_ERROR_EMPTY: the server answered 200 with no body
 * @FP_DOWNLOAD_ERROR_CANCELLED: the batch was cancelled first
 * @FP_DOWNLOAD_ERROR_CANNOT_SAVE: the flag could not be written to disk
 * @FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE: the image claims more pixels than a flag has
 * @FP_DOWNLOAD_ERROR_MALFORMED: the answer breaks HTTP (headers too large, a bad chunk)
 *
 * What became of a download that did not end with a saved flag: every
 * #FpDownloadResult that is not OK carries a #GError in this domain
 * (fp_download_result_get_error()), so callers test a code instead of
 * reading words. The nicks are stable names: the command line's JSON
 * report gives them as "error_code".
 */
typedef enum {
  FP_DOWNLOAD_ERROR_FAILED,
  FP_DOWNLOAD_ERROR_HTTP_STATUS,        /*< nick=http_status >*/
  FP_DOWNLOAD_ERROR_NOT_FOUND,          /*< nick=not_found >*/
  FP_DOWNLOAD_ERROR_TIMEOUT,
  FP_DOWNLOAD_ERROR_REFUSED,
  FP_DOWNLOAD_ERROR_RESET,
  FP_DOWNLOAD_ERROR_CUT_SHORT,          /*< nick=cut_short >*/
  FP_DOWNLOAD_ERROR_UNREACHABLE,
  FP_DOWNLOAD_ERROR_DNS,
  FP_DOWNLOAD_ERROR_TLS,
  FP_DOWNLOAD_ERROR_NOT_AN_IMAGE,       /*< nick=not_an_image >*/
  FP_DOWNLOAD_ERROR_TOO_LARGE,          /*< nick=too_large >*/
  FP_DOWNLOAD_ERROR_TOO_MANY_REDIRECTS, /*< nick=too_many_redirects >*/
  FP_DOWNLOAD_ERROR_BAD_REDIRECT,       /*< nick=bad_redirect >*/
  FP_DOWNLOAD_ERROR_INVALID_CODE,       /*< nick=invalid_code >*/
  FP_DOWNLOAD_ERROR_INVALID_URL,        /*< nick=invalid_url >*/
  FP_DOWNLOAD_ERROR_EMPTY,
  FP_DOWNLOAD_ERROR_CANCELLED,
  FP_DOWNLOAD_ERROR_CANNOT_SAVE,        /*< nick=cannot_save >*/
  FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE,    /*< nick=image_too_large >*/
  FP_DOWNLOAD_ERROR_MALFORMED,
} FpDownloadError;

GQuark fp_download_error_quark (void);

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
 * Errors of a batch as a whole and of its arguments. A failed download
 * does not fail its batch, which goes on past it as the book's does: it is
 * an #FpDownloadResult whose error is in the #FpDownloadError domain.
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

const char *fp_enum_to_nick               (GType             enum_type,
                                           int               value);
gboolean    fp_enum_from_nick             (GType             enum_type,
                                           const char       *nick,
                                           int              *value);

void        fp_lower_thread_priority      (int               nice);
void        fp_set_beside_window          (gboolean          beside);
gboolean    fp_get_beside_window          (void);

char       *fp_find_helper_program        (const char       *name,
                                           const char       *env_variable);

G_END_DECLS
