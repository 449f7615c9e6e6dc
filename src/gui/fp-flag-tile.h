/* fp-flag-tile.h — one cell of the flag grid: the thumbnail, the country's name and its code
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-flag-file.h"
#include "fp-thumbnail-cache.h"

G_BEGIN_DECLS

#define FP_TYPE_FLAG_TILE (fp_flag_tile_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagTile, fp_flag_tile, FP, FLAG_TILE, GtkWidget)

GtkWidget  *fp_flag_tile_new            (FpThumbnailCache *cache);
FpFlagFile *fp_flag_tile_get_flag_file  (FpFlagTile *self);
void        fp_flag_tile_set_flag_file  (FpFlagTile *self,
                                         FpFlagFile *flag_file);
FpThumbnail *fp_flag_tile_get_thumbnail (FpFlagTile *self);
void        fp_flag_tile_set_in_view    (FpFlagTile *self,
                                         gboolean    in_view);
gboolean    fp_flag_tile_get_in_view    (FpFlagTile *self);

G_END_DECLS
