/* fp-image-check.c — is this response a real image, and of which format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-image-check"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "fp-engine-types.h"
#include "fp-image-check.h"

typedef struct {
  const char *extension;
  const char *loader;       /* gdk-pixbuf's name for the format */
  gsize offset;
  const char *magic;
  gsize magic_len;
} ImageFormat;

/* Only formats that flags are served in; anything else is "not an image",
 * which also keeps odd gdk-pixbuf loaders away from what a server sends. */
static const ImageFormat formats[] = {
  { "png", "png",  0, "\x89PNG\r\n\x1a\n", 8 },
  { "gif", "gif",  0, "GIF87a", 6 },
  { "gif", "gif",  0, "GIF89a", 6 },
  { "jpg", "jpeg", 0, "\xff\xd8\xff", 3 },
};

static const ImageFormat *
sniff (const guint8 *data,
       gsize         length)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const ImageFormat *format = &formats[i];

      if (length >= format->offset + format->magic_len &&
          memcmp (data + format->offset, format->magic, format->magic_len) == 0)
        return format;
    }
  return NULL;
}

/**
 * fp_image_sniff_extension:
 *
 * Returns: (nullable): "png", "gif" or "jpg" after the bytes' signature
 */
const char *
fp_image_sniff_extension (const guint8 *data,
                          gsize         length)
{
  const ImageFormat *format = sniff (data, length);

  return format != NULL ? format->extension : NULL;
}

static void
not_an_image (GError **error)
{
  g_set_error_literal (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_NOT_AN_IMAGE,
                       _("response is not an image"));
}

/**
 * fp_image_check:
 * @bytes: a response body
 * @extension: (out) (optional): the extension of the format found
 * @width: (out) (optional): pixel width
 * @height: (out) (optional): pixel height
 * @error: return location for a #GError
 *
 * A signature alone can lie (a truncated file has one too), so the image
 * is decoded in full. gdk-pixbuf's loaders are safe to use from any
 * thread, which is where this runs: inside a download's worker.
 */
gboolean
fp_image_check (GBytes      *bytes,
                const char **extension,
                int         *width,
                int         *height,
                GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) local_error = NULL;
  const ImageFormat *format;
  GdkPixbuf *pixbuf;
  gsize length;
  const guint8 *data;
  gboolean written, closed;

  g_return_val_if_fail (bytes != NULL, FALSE);

  data = g_bytes_get_data (bytes, &length);
  format = data != NULL ? sniff (data, length) : NULL;
  if (format == NULL)
    {
      not_an_image (error);
      return FALSE;
    }

  loader = gdk_pixbuf_loader_new_with_type (format->loader, &local_error);
  if (loader == NULL)
    {
      g_debug ("No gdk-pixbuf loader for %s: %s", format->loader, local_error->message);
      not_an_image (error);
      return FALSE;
    }

  /* Close once, whatever write did: the loader insists on being closed. */
  written = gdk_pixbuf_loader_write (loader, data, length, &local_error);
  closed = gdk_pixbuf_loader_close (loader, written ? &local_error : NULL);
  if (!written || !closed)
    {
      g_debug ("Image does not decode: %s",
               local_error != NULL ? local_error->message : "unknown error");
      not_an_image (error);
      return FALSE;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      not_an_image (error);
      return FALSE;
    }

  if (extension != NULL)
    *extension = format->extension;
  if (width != NULL)
    *width = gdk_pixbuf_get_width (pixbuf);
  if (height != NULL)
    *height = gdk_pixbuf_get_height (pixbuf);

  return TRUE;
}
