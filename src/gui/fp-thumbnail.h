/* fp-thumbnail.h — a flag's picture made once at the size a tile shows it, for the screen's scale
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FP_TYPE_THUMBNAIL (fp_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (FpThumbnail, fp_thumbnail, FP, THUMBNAIL, GObject)

/* @texture holds device pixels; @scale is the scale factor they were made
 * for, so the paintable's size is the texture's divided by it. */
FpThumbnail *fp_thumbnail_new          (GdkTexture  *texture,
                                        int          scale);
GdkTexture  *fp_thumbnail_get_texture  (FpThumbnail *self);
int          fp_thumbnail_get_scale    (FpThumbnail *self);
/* What the pixels cost in memory, in bytes. */
gsize        fp_thumbnail_get_size     (FpThumbnail *self);

G_END_DECLS
