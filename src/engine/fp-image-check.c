/* fp-image-check.c — is this response a real image, and of which format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-image-check"

#include "config.h"

#include <string.h>
#include <libdeflate.h>
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
 * The compressed pixels are walked too, without making pixels: a PNG's
 * image data is inflated (its checksum checked) and must give exactly
 * the rows the header announces,
 * each starting with a valid filter byte; a GIF's LZW codes are followed
 * through a table of string lengths until every pixel of the frame is
 * accounted for; a JPEG's restart markers must come in order after its
 * quantization tables. So a file whose chunks and CRCs are valid around
 * garbage is refused, at a fraction of a full decode's cost (no pixel
 * buffer, no unfiltering, no colour conversion).
 *
 * And an image must be the size of a flag: a 167-byte PNG may claim
 * 30000 × 30000 pixels, which every decoder would allocate before
 * drawing. fp_image_check_header() applies the same limits from the
 * headers alone, for files that are already on disk.
 */

typedef struct {
  const guint8 *data;
  gsize length;
  gsize pos;
  gboolean deep;        /* walk the compressed data, not only the container */
} Reader;

typedef enum {
  CHECK_OK,
  CHECK_CORRUPT,
  CHECK_TOO_LARGE,
} CheckResult;

static gboolean
size_is_flag_like (guint64 width,
                   guint64 height)
{
  return width <= FP_IMAGE_MAX_SIDE && height <= FP_IMAGE_MAX_SIDE &&
         width * height <= FP_IMAGE_MAX_PIXELS;
}

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

/* The rows of a PNG's filtered image data, pass by pass (Adam7 has seven
 * passes of different sizes, an image without interlacing one). */
typedef struct {
  guint n_passes;
  guint64 rows[7];
  guint64 row_bytes[7];   /* the filter byte included */
} PngLayout;

static void
png_layout_init (PngLayout *layout,
                 guint32    width,
                 guint32    height,
                 guint      bits_per_pixel,
                 gboolean   interlaced)
{
  static const guint x0[7] = { 0, 4, 0, 2, 0, 1, 0 }, dx[7] = { 8, 8, 4, 4, 2, 2, 1 };
  static const guint y0[7] = { 0, 0, 4, 0, 2, 0, 1 }, dy[7] = { 8, 8, 8, 4, 4, 2, 2 };

  layout->n_passes = 0;
  for (guint p = 0; p < (interlaced ? 7u : 1u); p++)
    {
      guint64 w = interlaced ? (width > x0[p] ? (width - x0[p] + dx[p] - 1) / dx[p] : 0) : width;
      guint64 h = interlaced ? (height > y0[p] ? (height - y0[p] + dy[p] - 1) / dy[p] : 0) : height;

      if (w == 0 || h == 0)
        continue;
      layout->rows[layout->n_passes] = h;
      layout->row_bytes[layout->n_passes] = 1 + (w * bits_per_pixel + 7) / 8;
      layout->n_passes++;
    }
}

/*
 * The image data is inflated whole with libdeflate, which is about four
 * times as fast as zlib's streaming inflate on flags (0.2 against 0.8 ms
 * for a 320 × 240 RGBA flag on a loaded two-core machine) and checks the
 * Adler-32 too. Each thread keeps its decompressor and an output buffer
 * of up to 1 MiB between checks.
 *
 * Writing the pixels is not what costs: the decoding of the Huffman
 * codes is. Measured on the 262 Debian flags, zlib's inflate into a
 * 32 KiB window takes 3.5 to 4.5 times libdeflate's time, and a walker
 * that decodes every code but writes nothing 1.28 times its instructions
 * (callgrind): libdeflate's whole inflate stays the cheapest exact check.
 *
 * Measured again with table-driven decoders (bench/fp-zlib-check.c, run
 * by bench/fp-bench-image-check: a 64-bit bit buffer, 10-bit first
 * tables with subtables, thread CPU time over the 251 flags): a flag's
 * stream is some 9,000 literals and 5,700 matches (52 bytes on average,
 * 86 % at a distance of 8 or more), and libdeflate takes 120 µs a flag,
 * 8 ns a code. A walk that writes nothing and keeps only the output
 * position, checking each distance and the exact length, took 0.87 to
 * 0.96 times that (a branchless form 1.11 times; literals packed several
 * to a lookup rarely fit, their codes being 8 bits and more), and it
 * passed 16 % of the streams with one byte changed that libdeflate's
 * Adler-32 refuses (Huffman codes fall back in step after an error, and
 * the length then often comes out right). An inflate of our own with
 * copies and libdeflate's Adler-32 agreed with libdeflate on all 50,200
 * of those and took 1.19 times its time. The cost is in following the
 * codes, one dependent table lookup after another, which no check that
 * reads every code avoids: libdeflate stays.
 */
#define SCRATCH_KEEP (1024 * 1024)

typedef struct {
  struct libdeflate_decompressor *decompressor;
  guint8 *buffer;
  gsize size;
} Scratch;

static void
scratch_free (gpointer data)
{
  Scratch *scratch = data;

  libdeflate_free_decompressor (scratch->decompressor);
  g_free (scratch->buffer);
  g_free (scratch);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

/* Inflates @data, which must give exactly the image's rows, each
 * starting with a filter type from 0 to 4, and nothing else. */
static gboolean
png_inflate_rows (const PngLayout *layout,
                  const guint8    *data,
                  gsize            length)
{
  Scratch *scratch = g_private_get (&scratch_key);
  guint64 raw_size = 0;
  g_autofree guint8 *own_buffer = NULL;
  guint8 *out;
  size_t in_used = 0, out_made = 0;
  enum libdeflate_result status;
  gsize pos = 0;

  for (guint p = 0; p < layout->n_passes; p++)
    raw_size += layout->rows[p] * layout->row_bytes[p];

  if (scratch == NULL)
    {
      scratch = g_new0 (Scratch, 1);
      scratch->decompressor = libdeflate_alloc_decompressor ();
      if (scratch->decompressor == NULL)
        {
          g_free (scratch);
          return FALSE;
        }
      g_private_set (&scratch_key, scratch);
    }
  if (raw_size <= SCRATCH_KEEP)
    {
      if (scratch->size < raw_size)
        {
          g_free (scratch->buffer);
          scratch->buffer = g_malloc (SCRATCH_KEEP);
          scratch->size = SCRATCH_KEEP;
        }
      out = scratch->buffer;
    }
  else
    {
      /* Bounded by FP_IMAGE_MAX_PIXELS: 32 MiB at 16 bits × 4 channels. */
      out = own_buffer = g_try_malloc ((gsize) raw_size);
      if (out == NULL)
        return FALSE;
    }

  status = libdeflate_zlib_decompress_ex (scratch->decompressor, data, length,
                                          out, (size_t) raw_size, &in_used, &out_made);
  if (status != LIBDEFLATE_SUCCESS || in_used != length || out_made != raw_size)
    return FALSE;

  for (guint p = 0; p < layout->n_passes; p++)
    for (guint64 row = 0; row < layout->rows[p]; row++)
      {
        if (out[pos] > 4)
          return FALSE;
        pos += layout->row_bytes[p];
      }
  return TRUE;
}

static guint
png_bits_per_pixel (guint8 depth,
                    guint8 colour_type)
{
  guint channels;

  switch (colour_type)
    {
    case 0: channels = 1; if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) return 0; break;
    case 2: channels = 3; if (depth != 8 && depth != 16) return 0; break;
    case 3: channels = 1; if (depth != 1 && depth != 2 && depth != 4 && depth != 8) return 0; break;
    case 4: channels = 2; if (depth != 8 && depth != 16) return 0; break;
    case 6: channels = 4; if (depth != 8 && depth != 16) return 0; break;
    default: return 0;
    }
  return channels * depth;
}

/* PNG: signature, IHDR first, chunks with good CRCs, IDAT that inflates
 * to exactly the image's rows, IEND. */
static CheckResult
check_png (Reader *reader,
           int    *width,
           int    *height)
{
  gboolean seen_ihdr = FALSE, idat_over = FALSE, too_large = FALSE;
  PngLayout layout = { 0, };
  const guint8 *idat = NULL;       /* the one IDAT's data, most often */
  gsize idat_length = 0, n_idat = 0;
  g_autoptr(GByteArray) idat_joined = NULL;
  CheckResult result = CHECK_CORRUPT;

  reader->pos = 8;
  while (reader_has (reader, 12))
    {
      const guint8 *chunk = reader->data + reader->pos;
      guint32 length = read_be32 (chunk);
      const guint8 *type = chunk + 4;
      guint32 crc;

      if (length > G_MAXINT32 || !reader_has (reader, 12 + (gsize) length))
        goto out;
      for (guint i = 0; i < 4; i++)
        if (!g_ascii_isalpha (type[i]))
          goto out;

      /* libdeflate's CRC-32 folds with carry-less multiplication: a
       * tenth of zlib's time, which counts with every chunk of every flag. */
      if (reader->deep || !seen_ihdr)
        {
          crc = libdeflate_crc32 (0, type, 4 + (size_t) length);
          if (crc != read_be32 (chunk + 8 + length))
            goto out;
        }

      if (!seen_ihdr)
        {
          guint32 w, h;
          guint bits;

          if (memcmp (type, "IHDR", 4) != 0 || length != 13)
            goto out;
          w = read_be32 (chunk + 8);
          h = read_be32 (chunk + 12);
          bits = png_bits_per_pixel (chunk[16], chunk[17]);
          if (w == 0 || h == 0 || w > G_MAXINT32 || h > G_MAXINT32 || bits == 0 || chunk[20] > 1)
            goto out;
          /* Too large is said only of an otherwise whole image, so that
           * noise after a signature stays "not an image". */
          too_large = !size_is_flag_like (w, h);
          *width = (int) w;
          *height = (int) h;
          seen_ihdr = TRUE;
          if (!reader->deep)
            {
              result = too_large ? CHECK_TOO_LARGE : CHECK_OK;
              goto out;
            }
          png_layout_init (&layout, w, h, bits, chunk[20] == 1);
        }
      else if (memcmp (type, "IDAT", 4) == 0)
        {
          /* IDAT chunks follow one another: one stream cut in pieces. */
          if (idat_over)
            goto out;
          if (n_idat == 1)
            {
              idat_joined = g_byte_array_sized_new ((guint) MIN (reader->length, G_MAXUINT));
              g_byte_array_append (idat_joined, idat, (guint) idat_length);
            }
          if (n_idat >= 1)
            g_byte_array_append (idat_joined, chunk + 8, length);
          idat = chunk + 8;
          idat_length = length;
          n_idat++;
        }
      else if (memcmp (type, "IEND", 4) == 0)
        {
          if (n_idat > 0 && too_large)
            result = CHECK_TOO_LARGE;
          else if (n_idat == 1 && png_inflate_rows (&layout, idat, idat_length))
            result = CHECK_OK;
          else if (n_idat > 1 && png_inflate_rows (&layout, idat_joined->data, idat_joined->len))
            result = CHECK_OK;
          goto out;
        }
      else if (n_idat > 0)
        {
          idat_over = TRUE;
        }

      reader->pos += 12 + (gsize) length;
    }

out:
  return result;
}

/*
 * Follows a GIF frame's LZW codes, spread over data sub-blocks, without
 * making pixels: only the length of each table entry's string is kept,
 * which is enough to know that every code is one the decoder has, and
 * how many pixels the codes stand for. The frame is whole when they
 * cover its width × height.
 */
static gboolean
walk_gif_lzw (Reader  *reader,
              guint    min_code_size,
              guint64  pixels)
{
  guint16 lengths[4096];
  const guint clear = 1u << min_code_size, end = clear + 1;
  guint code_size = min_code_size + 1, next = clear + 2;
  int previous = -1;
  guint32 bits = 0;
  guint n_bits = 0;
  guint64 out = 0;
  gboolean ended = FALSE;

  for (guint i = 0; i < clear; i++)
    lengths[i] = 1;

  while (reader_has (reader, 1))
    {
      guint size = reader->data[reader->pos++];
      const guint8 *block;

      if (size == 0)
        return out >= pixels;
      if (!reader_has (reader, size))
        return FALSE;
      block = reader->data + reader->pos;
      reader->pos += size;
      if (ended)
        continue;   /* what follows the end code is ignored, as decoders do */

      for (guint i = 0; i < size; i++)
        {
          bits |= (guint32) block[i] << n_bits;
          n_bits += 8;
          while (n_bits >= code_size && !ended)
            {
              guint code = bits & ((1u << code_size) - 1);

              bits >>= code_size;
              n_bits -= code_size;

              if (code == clear)
                {
                  code_size = min_code_size + 1;
                  next = clear + 2;
                  previous = -1;
                  continue;
                }
              if (code == end)
                {
                  ended = TRUE;
                  break;
                }
              if (previous < 0)
                {
                  if (code >= clear)
                    return FALSE;
                  out += 1;
                }
              else if (code < next || (code == next && next < 4096))
                {
                  if (next < 4096)
                    {
                      lengths[next] = lengths[previous] + 1;
                      next++;
                    }
                  out += lengths[code];
                }
              else
                {
                  return FALSE;   /* a code the decoder does not have yet */
                }
              previous = (int) code;
              if (next == (1u << code_size) && code_size < 12)
                code_size++;
              /* A decoder stops at the frame's last pixel. */
              if (out >= pixels)
                ended = TRUE;
            }
        }
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

/* GIF: header, screen, colour tables, images and extensions, trailer.
 * Every frame has its own size, and each is allocated by a decoder. */
static CheckResult
check_gif (Reader *reader,
           int    *width,
           int    *height)
{
  const guint8 *screen;
  gboolean seen_image = FALSE, too_large;

  if (!reader_has (reader, 13))
    return CHECK_CORRUPT;
  screen = reader->data + 6;
  *width = (int) read_le16 (screen);
  *height = (int) read_le16 (screen + 2);
  if (*width == 0 || *height == 0)
    return CHECK_CORRUPT;
  /* As for PNG, too large only if the rest is whole. */
  too_large = !size_is_flag_like (*width, *height);
  if (too_large && !reader->deep)
    return CHECK_TOO_LARGE;
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
            guint frame_width, frame_height, min_code_size;
            guint8 packed;

            if (!reader_has (reader, 9))
              return CHECK_CORRUPT;
            frame_width = read_le16 (reader->data + reader->pos + 4);
            frame_height = read_le16 (reader->data + reader->pos + 6);
            packed = reader->data[reader->pos + 8];
            if (!size_is_flag_like (frame_width, frame_height))
              {
                if (!reader->deep)
                  return CHECK_TOO_LARGE;
                too_large = TRUE;
              }
            reader->pos += 9;
            if (packed & 0x80)
              reader->pos += 3u << ((packed & 0x07) + 1);
            /* The LZW minimum code size, then the image data. */
            if (!reader_has (reader, 1))
              return CHECK_CORRUPT;
            min_code_size = reader->data[reader->pos];
            if (min_code_size < 2 || min_code_size > 11)
              return CHECK_CORRUPT;
            reader->pos++;
            if (reader->deep && !too_large
                ? !walk_gif_lzw (reader, min_code_size, (guint64) frame_width * frame_height)
                : !skip_gif_sub_blocks (reader))
              return CHECK_CORRUPT;
            seen_image = TRUE;
          }
          break;

        case 0x21: /* extension: a label, then sub-blocks */
          if (!reader_has (reader, 1))
            return CHECK_CORRUPT;
          reader->pos++;
          if (!skip_gif_sub_blocks (reader))
            return CHECK_CORRUPT;
          break;

        case 0x3B: /* trailer */
          if (!seen_image)
            return CHECK_CORRUPT;
          return too_large ? CHECK_TOO_LARGE : CHECK_OK;

        default:
          return CHECK_CORRUPT;
        }
    }

  /* The headers alone need no trailer: the file may be anything after. */
  return !reader->deep && seen_image ? CHECK_OK : CHECK_CORRUPT;
}

static gboolean
is_jpeg_frame_marker (guint8 marker)
{
  return marker >= 0xC0 && marker <= 0xCF &&
         marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

/* JPEG: SOI, segments, quantization tables and a frame header before
 * the first scan, scans whose restart markers come in order, EOI. */
static CheckResult
check_jpeg (Reader *reader,
            int    *width,
            int    *height)
{
  gboolean seen_frame = FALSE, seen_tables = FALSE, too_large = FALSE;

  reader->pos = 2;
  while (reader_has (reader, 2))
    {
      guint8 marker;
      guint length;

      if (reader->data[reader->pos] != 0xFF)
        return CHECK_CORRUPT;
      marker = reader->data[reader->pos + 1];
      reader->pos += 2;

      if (marker == 0xFF)      /* fill byte */
        {
          reader->pos--;
          continue;
        }
      if (marker == 0xD9)      /* end of image */
        return !seen_frame ? CHECK_CORRUPT : too_large ? CHECK_TOO_LARGE : CHECK_OK;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
        continue;

      if (!reader_has (reader, 2))
        return CHECK_CORRUPT;
      length = read_be16 (reader->data + reader->pos);
      if (length < 2 || !reader_has (reader, length))
        return CHECK_CORRUPT;

      if (marker == 0xDB)      /* quantization tables */
        seen_tables = TRUE;
      if (is_jpeg_frame_marker (marker))
        {
          if (length < 7)
            return CHECK_CORRUPT;
          *height = (int) read_be16 (reader->data + reader->pos + 3);
          *width = (int) read_be16 (reader->data + reader->pos + 5);
          if (*width == 0 || *height == 0)
            return CHECK_CORRUPT;
          too_large = !size_is_flag_like (*width, *height);
          seen_frame = TRUE;
          if (!reader->deep)
            return too_large ? CHECK_TOO_LARGE : CHECK_OK;
        }
      reader->pos += length;

      if (marker == 0xDA)      /* start of scan: entropy-coded data follows */
        {
          guint expected_restart = 0;
          gsize start = reader->pos;

          if (!seen_frame || !seen_tables)
            return CHECK_CORRUPT;
          while (reader_has (reader, 2))
            {
              const guint8 *p = reader->data + reader->pos;

              if (p[0] == 0xFF && p[1] >= 0xD0 && p[1] <= 0xD7)
                {
                  /* RST0…RST7 cycle; one out of turn means lost data. */
                  if ((guint) (p[1] - 0xD0) != expected_restart)
                    return CHECK_CORRUPT;
                  expected_restart = (expected_restart + 1) % 8;
                  reader->pos += 2;
                  continue;
                }
              if (p[0] == 0xFF && p[1] != 0x00 && p[1] != 0xFF)
                break;
              reader->pos++;
            }
          if (reader->pos == start)
            return CHECK_CORRUPT;   /* a scan with no data */
        }
    }

  return CHECK_CORRUPT;
}

typedef struct {
  const char *extension;
  const char *magic;
  gsize magic_len;
  CheckResult (*check) (Reader *reader, int *width, int *height);
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
static gboolean
run_check (GBytes      *bytes,
           gboolean     deep,
           const char **extension,
           int         *width,
           int         *height,
           GError     **error)
{
  const ImageFormat *format = NULL;
  Reader reader = { 0, };
  int found_width = -1, found_height = -1;
  CheckResult result = CHECK_CORRUPT;

  g_return_val_if_fail (bytes != NULL, FALSE);

  reader.data = g_bytes_get_data (bytes, &reader.length);
  reader.deep = deep;
  if (reader.data != NULL)
    format = sniff (reader.data, reader.length);
  if (format != NULL)
    result = format->check (&reader, &found_width, &found_height);

  if (result == CHECK_TOO_LARGE)
    {
      /* Translators: a flag image's size is limited to protect memory */
      g_set_error (error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE,
                   _("image is too large for a flag (more than %u pixels a side or %u pixels in all)"),
                   (guint) FP_IMAGE_MAX_SIDE, (guint) FP_IMAGE_MAX_PIXELS);
      return FALSE;
    }
  if (result != CHECK_OK)
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

/**
 * fp_image_check:
 * @bytes: a response body
 * @extension: (out) (optional): the extension of the format found
 * @width: (out) (optional): pixel width
 * @height: (out) (optional): pixel height
 * @error: return location for a #GError
 *
 * Checks that @bytes are a whole image of a known format, whatever the
 * name or the Content-Type said, down to its compressed pixel data, and
 * of a size a flag can have (%FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE
 * otherwise). Thread-safe; on failure the out arguments are left alone.
 */
gboolean
fp_image_check (GBytes      *bytes,
                const char **extension,
                int         *width,
                int         *height,
                GError     **error)
{
  return run_check (bytes, TRUE, extension, width, height, error);
}

/**
 * fp_image_check_header:
 * @bytes: the contents of an image file
 *
 * The size limits of fp_image_check() from the headers alone (every
 * frame's, for a GIF), without walking the pixel data: what a viewer
 * calls before handing a file of unknown origin to a decoder, which
 * allocates what the header claims. Fails with
 * %FP_ENGINE_ERROR_NOT_AN_IMAGE for bytes that are not PNG, GIF or JPEG.
 */
gboolean
fp_image_check_header (GBytes      *bytes,
                       const char **extension,
                       int         *width,
                       int         *height,
                       GError     **error)
{
  return run_check (bytes, FALSE, extension, width, height, error);
}
