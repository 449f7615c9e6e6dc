/* fp-response-check.c — what a flag server's answer means, for every strategy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-response-check"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-download-error.h"
#include "fp-engine-types.h"
#include "fp-flag-fetcher.h"
#include "fp-response-check.h"

/*
 * The verdict on a response's head, shared by the blocking exchange below
 * and the event loop's (fp-async-executor.c) and the worker processes, so both strategies give a
 * server's answer the same meaning. On a redirect, *uri becomes the next
 * URL; at most FP_MAX_REDIRECTS are followed (libsoup would follow twenty
 * on its own; following them here keeps the limit ours).
 */
FpResponseVerdict
fp_response_check_head (SoupMessage    *msg,
                        gsize           max_body_size,
                        GUri          **uri,
                        guint          *redirects,
                        char          **message,
                        FpDownloadError *code,
                        guint          *http_status)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  guint status = soup_message_get_status (msg);
  goffset content_length;

  if (SOUP_STATUS_IS_REDIRECTION (status) && location != NULL)
    {
      g_autofree char *next_url = NULL;
      GUri *next;

      if (++*redirects > FP_MAX_REDIRECTS)
        {
          *message = g_strdup (_("too many redirects"));
          *code = FP_DOWNLOAD_ERROR_TOO_MANY_REDIRECTS;
          return FP_RESPONSE_FAILED;
        }
      next = g_uri_parse_relative (*uri, location, SOUP_HTTP_URI_FLAGS, NULL);
      next_url = next != NULL ? g_uri_to_string (next) : NULL;
      if (next == NULL || !fp_source_url_is_valid (next_url, NULL))
        {
          g_clear_pointer (&next, g_uri_unref);
          *message = g_strdup_printf (_("redirected to an invalid URL: %s"), location);
          *code = FP_DOWNLOAD_ERROR_BAD_REDIRECT;
          return FP_RESPONSE_FAILED;
        }
      g_uri_unref (*uri);
      *uri = next;
      return FP_RESPONSE_REDIRECT;
    }

  if (status == SOUP_STATUS_NOT_FOUND)
    return FP_RESPONSE_NOT_FOUND;

  if (status != SOUP_STATUS_OK)
    {
      const char *phrase = soup_message_get_reason_phrase (msg);

      /* libsoup names 418 "Unknown Error"; the book's server says this. */
      if (status == 418 && (phrase == NULL || phrase[0] == '\0' || g_str_equal (phrase, "Unknown Error")))
        phrase = "I'm a Teapot";
      if (phrase == NULL || phrase[0] == '\0')
        phrase = soup_status_get_phrase (status);
      *message = phrase != NULL ? g_strdup_printf ("HTTP %u %s", status, phrase)
                                : g_strdup_printf ("HTTP %u", status);
      *code = FP_DOWNLOAD_ERROR_HTTP_STATUS;
      *http_status = status;
      return FP_RESPONSE_FAILED;
    }

  content_length = soup_message_headers_get_content_length (headers);
  if (content_length > 0 && (guint64) content_length > max_body_size)
    {
      *message = fp_download_error_describe_size_limit (max_body_size);
      *code = FP_DOWNLOAD_ERROR_TOO_LARGE;
      return FP_RESPONSE_FAILED;
    }
  return FP_RESPONSE_READ_BODY;
}

/* Whether @length bytes of body are still within the size limit. */
gboolean
fp_response_check_size (gsize           max_body_size,
                        gsize           length,
                        char          **message,
                        FpDownloadError *code)
{
  if (length <= max_body_size)
    return TRUE;
  *message = fp_download_error_describe_size_limit (max_body_size);
  *code = FP_DOWNLOAD_ERROR_TOO_LARGE;
  return FALSE;
}

/* Whether the @length bytes read are the whole body the server announced. */
gboolean
fp_response_check_complete (SoupMessage    *msg,
                            gsize           length,
                            char          **message,
                            FpDownloadError *code)
{
  goffset content_length =
    soup_message_headers_get_content_length (soup_message_get_response_headers (msg));

  /* libsoup 3.2 takes a connection closed early for the end of the
   * body: only the announced length shows that the body was cut. */
  if (content_length > 0 && (guint64) content_length != length)
    {
      *message = g_strdup (_("response cut short"));
      *code = FP_DOWNLOAD_ERROR_CUT_SHORT;
      return FALSE;
    }
  return TRUE;
}

