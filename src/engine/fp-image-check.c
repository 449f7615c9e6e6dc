/* fp-image-check.c — is this response a real image, and of which format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-image-check"

#include "config.h"

#include <string.h>
#include <zlib.h>
#include <glib/gi18n.h>

#include "fp-engine-types.h"
#include "fp-image-check.h"

/*
 * A response counts as a flag when its bytes are a complete, well-formed
 * PNG, GIF or JPEG: the container is walked from its signature to its end
 * marker, every length is checked against what arrived, and PNG's CRCs
 * are verified, so a truncated body, an HTML error page, a corrupted
 * chunk or a file cut at a chunk boundary are all refused.
 *
 * What is not done is inflating the pixels. A full decode costs about a
 * millisecond a flag, which on a small machine is most of the time of a
 * batch against a fast server: the check would then measure zlib instead
 * of concurrency. The window decodes every flag it shows anyway, off the
 * main thread.
 */

typedef struct {
  const guint8 *data;
  gsize length;
  gsize pos;
} Reader;

static gboolean
reader_has (Reader *reader,
            gsize   n)
{
  return reader->pos <= reader->length && reader->length - reader->pos >= n;
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static guint
read_le16 (const guint8 *p)
{
  return ((guint) p[1] << 8) | p[0];
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* PNG: signature, IHDR first, chunks with good CRCs, IDAT, IEND. */
static gboolean
check_png (Reader *reader,
           int    *width,
           int    *height)
{
  gboolean seen_ihdr = FALSE, seen_idat = FALSE;

  reader->pos = 8;
  while (reader_has (reader, 12))
    {
      const guint8 *chunk = reader->data + reader->pos;
      guint32 length = read_be32 (chunk);
      const guint8 *type = chunk + 4;
      guint32 crc;

      if (length > G_MAXINT32 || !reader_has (reader, 12 + (gsize) length))
        return FALSE;
      for (guint i = 0; i < 4; i++)
        if (!g_ascii_isalpha (type[i]))
          return FALSE;

      crc = (guint32) crc32 (crc32 (0L, Z_NULL, 0), type, 4 + length);
      if (crc != read_be32 (chunk + 8 + length))
        return FALSE;

      if (!seen_ihdr)
        {
          guint32 w, h;

          if (memcmp (type, "IHDR", 4) != 0 || length != 13)
            return FALSE;
          w = read_be32 (chunk + 8);
          h = read_be32 (chunk + 12);
          if (w == 0 || h == 0 || w > G_MAXINT32 || h > G_MAXINT32)
            return FALSE;
          *width = (int) w;
          *height = (int) h;
          seen_ihdr = TRUE;
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        {
          seen_idat = TRUE;
        }
      else if (memcmp (type, "IEND", 4) == 0)
        {
          return seen_idat;
        }

      reader->pos += 12 + (gsize) length;
    }

  return FALSE;
}

/* Skips GIF data sub-blocks up to and including their zero terminator. */
static gboolean
skip_gif_sub_blocks (Reader *reader)
{
  while (reader_has (reader, 1))
    {
      guint size = reader->data[reader->pos++];

      if (size == 0)
        return TRUE;
      if (!reader_has (reader, size))
        return FALSE;
      reader->pos += size;
    }
  return FALSE;
}

/* GIF: header, screen, colour tables, images and extensions, trailer. */
static gboolean
check_gif (Reader *reader,
           int    *width,
           int    *height)
{
  const guint8 *screen;
  gboolean seen_image = FALSE;

  if (!reader_has (reader, 13))
    return FALSE;
  screen = reader->data + 6;
  *width = (int) read_le16 (screen);
  *height = (int) read_le16 (screen + 2);
  if (*width == 0 || *height == 0)
    return FALSE;
  reader->pos = 13;
  if (screen[4] & 0x80)
    reader->pos += 3u << ((screen[4] & 0x07) + 1);

  while (reader_has (reader, 1))
    {
      guint8 introducer = reader->data[reader->pos++];

      switch (introducer)
        {
        case 0x2C: /* image descriptor */
          {
            guint8 packed;

            if (!reader_has (reader, 9))
              return FALSE;
            packed = reader->data[reader->pos + 8];
            reader->pos += 9;
            if (packed & 0x80)
              reader->pos += 3u << ((packed & 0x07) + 1);
            /* The LZW minimum code size, then the image data. */
            if (!reader_has (reader, 1))
              return FALSE;
            if (reader->data[reader->pos] < 2 || reader->data[reader->pos] > 11)
              return FALSE;
            reader->pos++;
            if (!skip_gif_sub_blocks (reader))
              return FALSE;
            seen_image = TRUE;
          }
          break;

        case 0x21: /* extension: a label, then sub-blocks */
          if (!reader_has (reader, 1))
            return FALSE;
          reader->pos++;
          if (!skip_gif_sub_blocks (reader))
            return FALSE;
          break;

        case 0x3B: /* trailer */
          return seen_image;

        default:
          return FALSE;
        }
    }

  return FALSE;
}

static gboolean
is_jpeg_frame_marker (guint8 marker)
{
  return marker >= 0xC0 && marker <= 0xCF &&
         marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/* JPEG: SOI, segments, a frame header, scans, EOI. */
static gboolean
check_jpeg (Reader *reader,
            int    *width,
            int    *height)
{
  gboolean seen_frame = FALSE;

  reader->pos = 2;
  while (reader_has (reader, 2))
    {
      guint8 marker;
      guint length;

      if (reader->data[reader->pos] != 0xFF)
        return FALSE;
      marker = reader->data[reader->pos + 1];
      reader->pos += 2;

      if (marker == 0xFF)      /* fill byte */
        {
          reader->pos--;
          continue;
        }
      if (marker == 0xD9)      /* end of image */
        return seen_frame;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;

      if (!reader_has (reader, 2))
        return FALSE;
      length = read_be16 (reader->data + reader->pos);
      if (length < 2 || !reader_has (reader, length))
        return FALSE;

      if (is_jpeg_frame_marker (marker))
        {
          if (length < 7)
            return FALSE;
          *height = (int) read_be16 (reader->data + reader->pos + 3);
          *width = (int) read_be16 (reader->data + reader->pos + 5);
          if (*width == 0 || *height == 0)
            return FALSE;
          seen_frame = TRUE;
        }
      reader->pos += length;

      if (marker == 0xDA)      /* start of scan: entropy-coded data follows */
        {
          while (reader_has (reader, 2))
            {
              const guint8 *p = reader->data + reader->pos;

              if (p[0] == 0xFF && p[1] != 0x00 && !(p[1] >= 0xD0 && p[1] <= 0xD7))
                break;
              reader->pos++;
            }
        }
    }

  return FALSE;
}

typedef struct {
  const char *extension;
  const char *magic;
  gsize magic_len;
  gboolean (*check) (Reader *reader, int *width, int *height);
} ImageFormat;

/* Only the formats flags are served in; anything else is "not an image". */
static const ImageFormat formats[] = {
  { "png", "\x89PNG\r\n\x1a\n", 8, check_png },
  { "gif", "GIF87a", 6, check_gif },
  { "gif", "GIF89a", 6, check_gif },
  { "jpg", "\xff\xd8\xff", 3, check_jpeg },
};

static const ImageFormat *
sniff (const guint8 *data,
       gsize         length)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      const ImageFormat *format = &formats[i];

      if (length >= format->magic_len &&
          memcmp (data, format->magic, format->magic_len) == 0)
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
  const ImageFormat *format = data != NULL ? sniff (data, length) : NULL;

  return format != NULL ? format->extension : NULL;
}

/**
 * fp_image_check:
 * @bytes: a response body
 * @extension: (out) (optional): the extension of the format found
 * @width: (out) (optional): pixel width
 * @height: (out) (optional): pixel height
 * @error: return location for a #GError
 *
 * Checks that @bytes are a whole image of a known format, whatever the
 * name or the Content-Type said. Thread-safe; on failure the out
 * arguments are left alone.
 */
gboolean
fp_image_check (GBytes      *bytes,
                const char **extension,
                int         *width,
                int         *height,
                GError     **error)
{
  const ImageFormat *format = NULL;
  Reader reader = { 0, };
  int found_width = -1, found_height = -1;

  g_return_val_if_fail (bytes != NULL, FALSE);

  reader.data = g_bytes_get_data (bytes, &reader.length);
  if (reader.data != NULL)
    format = sniff (reader.data, reader.length);

  if (format == NULL || !format->check (&reader, &found_width, &found_height))
    {
      g_set_error_literal (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_NOT_AN_IMAGE,
                           _("response is not an image"));
      return FALSE;
    }

  if (extension != NULL)
    *extension = format->extension;
  if (width != NULL)
    *width = found_width;
  if (height != NULL)
    *height = found_height;
  return TRUE;
}
