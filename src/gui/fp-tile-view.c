/* fp-tile-view.c — which of the flag grid's tiles are on screen, and how many columns it keeps tiles for
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-grid"

#include "config.h"

#include "fp-flag-tile.h"
#include "fp-tile-view.h"

/*
 * Which tiles show a thumbnail. GTK 4.8's grid view keeps a tile for 30
 * rows times its max-columns, most of them off screen (it hides those):
 * a tile out of view lets go of its pixels, and the cache keeps the last
 * few so that a short scroll back finds them ready. It runs at the end
 * of the frame that placed the tiles (the frame clock's after-paint
 * phase), when their positions are the ones on screen; a thumbnail that
 * comes in is drawn in the next frame.
 */
void
fp_tile_view_update_in_view (GtkGridView *grid_view)
{
  GtkWidget *view = GTK_WIDGET (grid_view);
  int height = gtk_widget_get_height (view);

  for (GtkWidget *child = gtk_widget_get_first_child (view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *tile = gtk_widget_get_first_child (child);
      graphene_rect_t bounds;
      gboolean in_view;

      if (!FP_IS_FLAG_TILE (tile))
        continue;
      in_view = gtk_widget_get_mapped (view)
                && gtk_widget_get_child_visible (child)
                && gtk_widget_compute_bounds (child, view, &bounds)
                && bounds.origin.y + bounds.size.height > 0
                && bounds.origin.y < height;
      fp_flag_tile_set_in_view (FP_FLAG_TILE (tile), in_view);
    }
}

/*
 * The grid view keeps 30 rows of tiles times its max-columns: with room
 * for 16 columns that was a tile for every one of 249 flags, each made,
 * bound, measured and styled while the batch ran. Its max-columns follows
 * the columns that fit instead, so it shows the same columns and keeps 30
 * rows of them.
 */
void
fp_tile_view_fit_columns (GtkGridView *grid_view,
                          int          width)
{
  GtkWidget *first = gtk_widget_get_first_child (GTK_WIDGET (grid_view));
  int tile_width = 0;
  guint columns;

  for (; first != NULL; first = gtk_widget_get_next_sibling (first))
    if (FP_IS_FLAG_TILE (gtk_widget_get_first_child (first)))
      break;
  if (first == NULL)
    return;

  gtk_widget_measure (first, GTK_ORIENTATION_HORIZONTAL, -1, &tile_width, NULL, NULL, NULL);
  if (tile_width <= 0)
    return;

  columns = CLAMP (width / tile_width, 1, 16);
  if (columns != gtk_grid_view_get_max_columns (grid_view))
    gtk_grid_view_set_max_columns (grid_view, columns);
}


typedef struct
{
  FpThumbnailCache *cache;
  GFunc moved;
  gpointer moved_data;
} Factory;

static void
factory_free (Factory *data)
{
  g_clear_object (&data->cache);
  g_free (data);
}

static void
tile_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               Factory                  *data)
{
  GtkWidget *tile = fp_flag_tile_new (data->cache);

  /* Until the grid has seen where it is. */
  fp_flag_tile_set_in_view (FP_FLAG_TILE (tile), FALSE);
  gtk_list_item_set_child (list_item, tile);
  data->moved (data->moved_data, NULL);
}

static void
tile_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              Factory                  *data)
{
  fp_flag_tile_set_flag_file (FP_FLAG_TILE (gtk_list_item_get_child (list_item)),
                              gtk_list_item_get_item (list_item));
  data->moved (data->moved_data, NULL);
}

static void
tile_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                Factory                  *data)
{
  fp_flag_tile_set_flag_file (FP_FLAG_TILE (gtk_list_item_get_child (list_item)), NULL);
}

/**
 * fp_tile_view_new_factory:
 * @cache: where the tiles get their thumbnails
 * @moved: called when tiles were made or bound, to tell them whether they are in view
 *
 * Returns: (transfer full): the factory of the flag grid's tiles
 */
GtkListItemFactory *
fp_tile_view_new_factory (FpThumbnailCache *cache,
                          GFunc             moved,
                          gpointer          moved_data)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  Factory *data = g_new0 (Factory, 1);

  data->cache = g_object_ref (cache);
  data->moved = moved;
  data->moved_data = moved_data;
  g_object_set_data_full (G_OBJECT (factory), "fp-tile-view-factory", data, (GDestroyNotify) factory_free);
  g_signal_connect (factory, "setup", G_CALLBACK (tile_setup_cb), data);
  g_signal_connect (factory, "bind", G_CALLBACK (tile_bind_cb), data);
  g_signal_connect (factory, "unbind", G_CALLBACK (tile_unbind_cb), data);
  return factory;
}
