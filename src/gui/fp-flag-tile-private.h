/* fp-flag-tile-private.h — what the tests and the bench read of the grid's tiles
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-flag-tile.h"

G_BEGIN_DECLS

/* Tiles that exist now, in every grid of the process (main thread only). */
guint fp_flag_tile_get_n_tiles       (void);
/* Those of them that show a thumbnail. */
guint fp_flag_tile_get_n_thumbnails  (void);

G_END_DECLS
