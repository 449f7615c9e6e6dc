/* fp-engine.c — the engine's error domain, status names and text domain
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-engine"

#include "config.h"

#include <errno.h>
#include <libintl.h>
#include <unistd.h>
#include <sys/resource.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-executor.h"

G_DEFINE_QUARK (fp-engine-error-quark, fp_engine_error)

/**
 * fp_download_status_to_string:
 * @status: a status
 *
 * Returns: the stable name of @status used in the command line's JSON
 *   report ("ok", "not_found", "error", …); not translated.
 */
const char *
fp_download_status_to_string (FpDownloadStatus status)
{
  switch (status)
    {
    case FP_DOWNLOAD_STATUS_QUEUED:      return "queued";
    case FP_DOWNLOAD_STATUS_DOWNLOADING: return "downloading";
    case FP_DOWNLOAD_STATUS_OK:          return "ok";
    case FP_DOWNLOAD_STATUS_NOT_FOUND:   return "not_found";
    case FP_DOWNLOAD_STATUS_ERROR:       return "error";
    case FP_DOWNLOAD_STATUS_CANCELLED:   return "cancelled";
    default:                             break;
    }
  g_return_val_if_reached ("error");
}

/**
 * fp_engine_init_i18n:
 *
 * Binds the iso-codes text domain, so that country names come out in the
 * user's language. Call once, after setlocale().
 */
void
fp_engine_init_i18n (void)
{
  bindtextdomain ("iso_3166-1", ISO_CODES_LOCALEDIR);
  bind_textdomain_codeset ("iso_3166-1", "UTF-8");
}

/**
 * fp_executor_lower_thread_priority:
 *
 * Lowers the calling thread's priority once, for the engine's worker
 * threads (see fp-download-batch.c for why). Linux gives each thread its
 * own nice value.
 */
void
fp_executor_lower_thread_priority (void)
{
#ifdef __linux__
  static GPrivate lowered = G_PRIVATE_INIT (NULL);

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));
  if (setpriority (PRIO_PROCESS, (id_t) gettid (), FP_WORKER_NICE) != 0)
    g_debug ("Cannot lower a worker's priority: %s", g_strerror (errno));
#endif
}
