/* fp-thumbnail-cache-private.h — what the tests read of the thumbnail cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-thumbnail-cache.h"

G_BEGIN_DECLS

/* Thumbnails the cache holds now. */
guint fp_thumbnail_cache_get_n_cached   (FpThumbnailCache *self);
/* Thumbnails it has decoded since it was made. */
guint fp_thumbnail_cache_get_n_decoded  (FpThumbnailCache *self);

G_END_DECLS
