/* fp-image-check.h — is this response a real image, and of which format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* No flag is larger than this; a decoder would allocate what a header claims. */
#define FP_IMAGE_MAX_SIDE   8192
#define FP_IMAGE_MAX_PIXELS (2048 * 2048)

/* Checks @bytes down to their compressed pixels (it may run on any
 * thread) and tells the file extension of the format found in the bytes,
 * not the name or the Content-Type, and the pixel size. */
gboolean fp_image_check (GBytes      *bytes,
                         const char **extension,
                         int         *width,
                         int         *height,
                         GError     **error);

/* The size limits alone, from the headers: before decoding a file from disk. */
gboolean fp_image_check_header (GBytes      *bytes,
                                const char **extension,
                                int         *width,
                                int         *height,
                                GError     **error);

/* The extension of the format the first bytes announce, or NULL. */
const char *fp_image_sniff_extension (const guint8 *data,
                                      gsize         length);

G_END_DECLS
