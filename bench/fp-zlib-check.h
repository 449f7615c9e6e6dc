/* fp-zlib-check.h — two cheaper PNG image-data checks than libdeflate's inflate, measured and not taken
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The rows of a PNG's filtered image data, pass by pass (Adam7 has seven
 * passes of different sizes, an image without interlacing one). */
typedef struct {
  guint n_passes;
  guint64 rows[7];
  guint64 row_bytes[7];   /* the filter byte included */
} FpPngRows;

guint64  fp_png_rows_size   (const FpPngRows *rows);

/* Follows every code of the stream without making its bytes: see the file. */
gboolean fp_zlib_check_walk (const guint8    *data,
                             gsize            length,
                             const FpPngRows *rows);

/* Inflates the stream whole into @out, which must hold @out_size plus
 * FP_ZLIB_CHECK_SLACK bytes, and checks its Adler-32: exact. */
#define FP_ZLIB_CHECK_SLACK 64
gboolean fp_zlib_check_inflate (const guint8 *data,
                                gsize         length,
                                guint8       *out,
                                gsize         out_size);

G_END_DECLS
