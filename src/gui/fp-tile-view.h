/* fp-tile-view.h — which of the flag grid's tiles are on screen, and how many columns it keeps tiles for
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-thumbnail-cache.h"

G_BEGIN_DECLS

/* Tells each FpFlagTile of @grid_view whether it is on screen; call it
 * once the frame that placed them is drawn. */
void fp_tile_view_update_in_view (GtkGridView *grid_view);
/* Sets @grid_view's max-columns to the columns of tiles @width holds. */
void fp_tile_view_fit_columns    (GtkGridView *grid_view,
                                  int          width);

/* The grid's tiles, with thumbnails from @cache; @moved (with @moved_data
 * and NULL) is called whenever tiles were made or bound. */
GtkListItemFactory *fp_tile_view_new_factory (FpThumbnailCache *cache,
                                              GFunc             moved,
                                              gpointer          moved_data);

G_END_DECLS
