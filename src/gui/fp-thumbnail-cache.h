/* fp-thumbnail-cache.h — makes the grid's thumbnails off the main thread and keeps the last few
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-flag-file.h"
#include "fp-thumbnail.h"

G_BEGIN_DECLS

#define FP_TYPE_THUMBNAIL_CACHE (fp_thumbnail_cache_get_type ())
G_DECLARE_FINAL_TYPE (FpThumbnailCache, fp_thumbnail_cache, FP, THUMBNAIL_CACHE, GObject)

/* Thumbnails fit in @width × @height logical pixels; the cache keeps the
 * @capacity made or asked for last. */
FpThumbnailCache *fp_thumbnail_cache_new          (int                 width,
                                                   int                 height,
                                                   guint               capacity);
int               fp_thumbnail_cache_get_width    (FpThumbnailCache   *self);
int               fp_thumbnail_cache_get_height   (FpThumbnailCache   *self);

/* The thumbnail of @flag_file for @scale if the cache has it, else NULL. */
FpThumbnail      *fp_thumbnail_cache_lookup       (FpThumbnailCache   *self,
                                                   FpFlagFile         *flag_file,
                                                   int                 scale);
/* Decodes it on a pool of low-priority threads and keeps it. */
void              fp_thumbnail_cache_load_async   (FpThumbnailCache   *self,
                                                   FpFlagFile         *flag_file,
                                                   int                 scale,
                                                   GCancellable       *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer            user_data);
FpThumbnail      *fp_thumbnail_cache_load_finish  (FpThumbnailCache   *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

/* Blocking, for a worker thread: the pixels of @file made to fit in
 * @width × @height device pixels, never enlarged. */
GdkTexture       *fp_thumbnail_decode             (GFile              *file,
                                                   int                 width,
                                                   int                 height,
                                                   GCancellable       *cancellable,
                                                   GError            **error);

G_END_DECLS
