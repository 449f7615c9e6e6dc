/* fp-image-check.h — is this response a real image, and of which format
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Decodes @bytes fully (it may run on any thread) and tells the file
 * extension of the format found in the bytes, not the name or the
 * Content-Type, and the pixel size. */
gboolean fp_image_check (GBytes      *bytes,
                         const char **extension,
                         int         *width,
                         int         *height,
                         GError     **error);

/* The extension of the format the first bytes announce, or NULL. */
const char *fp_image_sniff_extension (const guint8 *data,
                                      gsize         length);

G_END_DECLS
