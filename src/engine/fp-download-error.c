/* fp-download-error.c — the words and the code of a failed download, made in one place
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-error"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fp-download-error.h"

/*
 * A failed download carries a code from FP_DOWNLOAD_ERROR (what a program
 * tests) and a message (what a person reads). The transport's errors are
 * turned into both here, so the two always agree.
 */

/**
 * fp_download_error_describe:
 * @error: (nullable): what the transport (GIO, libsoup) said, if anything
 * @deadline_passed: whether the request's deadline cancelled it
 * @timeout_s: that deadline, in seconds
 * @code: (out): the download error code for it
 *
 * Returns: (transfer full): what a person should read for a failed exchange
 */
char *
fp_download_error_describe (const GError    *error,
                            gboolean         deadline_passed,
                            double           timeout_s,
                            FpDownloadError *code)
{
  if (deadline_passed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      *code = FP_DOWNLOAD_ERROR_TIMEOUT;
      return g_strdup_printf (_("timed out after %.1f s"), timeout_s);
    }
  *code = FP_DOWNLOAD_ERROR_FAILED;
  if (error == NULL)
    return g_strdup (_("failed"));
  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS))
    {
      *code = FP_DOWNLOAD_ERROR_TOO_MANY_REDIRECTS;
      return g_strdup (_("too many redirects"));
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      *code = FP_DOWNLOAD_ERROR_REFUSED;
      return g_strdup (_("connection refused"));
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    {
      *code = FP_DOWNLOAD_ERROR_RESET;
      return g_strdup (_("connection reset"));
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    {
      *code = FP_DOWNLOAD_ERROR_CUT_SHORT;
      return g_strdup (_("response cut short"));
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE))
    {
      *code = FP_DOWNLOAD_ERROR_UNREACHABLE;
      return g_strdup (_("server unreachable"));
    }
  if (error->domain == G_RESOLVER_ERROR)
    {
      *code = FP_DOWNLOAD_ERROR_DNS;
      return g_strdup (_("server not found"));
    }
  if (error->domain == G_TLS_ERROR)
    {
      *code = FP_DOWNLOAD_ERROR_TLS;
      return g_strdup_printf (_("secure connection failed: %s"), error->message);
    }
  return g_strdup (error->message);
}

/* Returns: (transfer full): the words for a body over @limit bytes. */
char *
fp_download_error_describe_size_limit (gsize limit)
{
  /* %u, not G_GSIZE_FORMAT: xgettext cannot see through the macro. */
  if (limit % (1024 * 1024) == 0)
    return g_strdup_printf (_("response larger than %u MiB"), (guint) (limit / (1024 * 1024)));
  return g_strdup_printf (_("response larger than %u bytes"), (guint) MIN (limit, G_MAXUINT));
}
