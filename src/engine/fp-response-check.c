/* fp-response-check.c — what a flag server's answer means, for every strategy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-response-check"

#include "config.h"

#include <string.h>
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

#define BODY_CHUNK_SIZE (16 * 1024)

/* A body's buffer: room for an announced length and the one byte more
 * that the end of the stream answers, or a chunk when none was announced. */
GByteArray *
fp_response_body_new (gsize expected)
{
  return g_byte_array_sized_new ((guint) (expected > 0 ? expected + 1 : BODY_CHUNK_SIZE));
}

/*
 * Reads go straight into the body, for every strategy: all the rest of an
 * announced length at once (fewer reads, fewer turns of a loop), then one
 * byte more, which the end of the stream answers, so the body is never
 * moved to a larger buffer for a read that brings nothing; a chunk at a
 * time when no length was announced or more came (a decoded body longer
 * than announced grows it as it must). Grows @body by the next read's
 * room and returns where that read goes, its size in @want; after the
 * read, the caller sets @body's length to what it holds.
 */
guint8 *
fp_response_body_reserve (GByteArray *body,
                          gsize       expected,
                          gsize      *want)
{
  gsize received = body->len;

  *want = expected > received ? expected - received + 1
        : expected == received && expected > 0 ? 1
        : BODY_CHUNK_SIZE;
  g_byte_array_set_size (body, (guint) (received + *want));
  return body->data + received;
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
/* The length of the body as it came over the wire: a gzip- or
 * deflate-encoded body is longer once libsoup has decoded it, and
 * Content-Length tells the encoded length. */
static guint64
received_body_length (SoupMessage *msg,
                      gsize        decoded_length)
{
  const char *encoding = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "Content-Encoding");
  SoupMessageMetrics *metrics;

  if (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
    return decoded_length;
  metrics = soup_message_get_metrics (msg);
  return metrics != NULL ? soup_message_metrics_get_response_body_bytes_received (metrics)
                         : decoded_length;
}

/**
 * fp_response_describe_failed_send:
 * @msg: a message whose send failed with @error
 *
 * libsoup says "response cut short" (G_IO_ERROR_PARTIAL_INPUT) for three
 * different things: a connection closed before any byte of an answer,
 * headers larger than its 64 KiB limit, and an answer cut in its headers.
 * The message's metrics tell the first (no answer began), libsoup's own
 * words, from its own catalog, the second.
 *
 * Returns: whether @message and @code were set; otherwise the error is
 *   described as usual
 */
gboolean
fp_response_describe_failed_send (SoupMessage      *msg,
                                  const GError     *error,
                                  char            **message,
                                  FpDownloadError  *code)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (msg);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return FALSE;
  if (g_strcmp0 (error->message, g_dgettext ("libsoup-3.0", "Header too big")) == 0 ||
      g_strcmp0 (error->message, "Header too big") == 0)
    {
      *message = g_strdup (_("response headers too large"));
      *code = FP_DOWNLOAD_ERROR_MALFORMED;
      return TRUE;
    }
  if (metrics != NULL && soup_message_metrics_get_response_start (metrics) == 0)
    {
      *message = g_strdup (_("connection closed before any answer"));
      *code = FP_DOWNLOAD_ERROR_RESET;
      return TRUE;
    }
  return FALSE;
}

gboolean
fp_response_check_complete (SoupMessage    *msg,
                            gsize           length,
                            char          **message,
                            FpDownloadError *code)
{
  goffset content_length =
    soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
  SoupMessageMetrics *metrics = soup_message_get_metrics (msg);

  /* A chunk size that is not a number ends libsoup's chunked body at
   * once, as if it were empty: bytes came, none of them a body. */
  if (length == 0 && metrics != NULL &&
      soup_message_headers_get_encoding (soup_message_get_response_headers (msg)) == SOUP_ENCODING_CHUNKED &&
      soup_message_metrics_get_response_body_bytes_received (metrics) > strlen ("0\r\n\r\n"))
    {
      *message = g_strdup (_("malformed chunked response"));
      *code = FP_DOWNLOAD_ERROR_MALFORMED;
      return FALSE;
    }

  /* libsoup 3.2 takes a connection closed early for the end of the
   * body: only the announced length shows that the body was cut. */
  if (content_length > 0 && (guint64) content_length != received_body_length (msg, length))
    {
      *message = g_strdup (_("response cut short"));
      *code = FP_DOWNLOAD_ERROR_CUT_SHORT;
      return FALSE;
    }
  return TRUE;
}

