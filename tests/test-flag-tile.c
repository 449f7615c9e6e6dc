/* test-flag-tile.c — a tile holds the thumbnail it shows and lets go of it when recycled or out of view
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-tile"

#include "config.h"

#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-flag-tile-private.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include "fp-thumbnail-cache-private.h"

#define WAIT_S 60

typedef struct
{
  char *dir;
  FpFlagFile *flag_file;
  FpThumbnailCache *cache;       /* keeps nothing: what a tile drops is gone */
  GtkWidget *tile;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(GBytes) bytes = fp_test_load_debian_flag ("br");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = fp_test_make_temp_dir ();
  path = g_build_filename (fixture->dir, "br.png", NULL);
  fp_test_write_file (path, bytes);
  file = g_file_new_for_path (path);
  fixture->flag_file = fp_flag_file_new_for_file (file, NULL, &error);
  g_assert_no_error (error);

  fixture->cache = fp_thumbnail_cache_new (160, 120, 0);
  fixture->tile = g_object_ref_sink (fp_flag_tile_new (fixture->cache));
}

static gboolean
is_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* A cancelled load keeps the tile until its callback has run. */
  g_object_add_weak_pointer (G_OBJECT (fixture->tile), (gpointer *) &fixture->tile);
  g_object_unref (fixture->tile);
  fp_test_iterate_until (is_cleared, &fixture->tile, WAIT_S, "the tile to go away");
  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), ==, 0);
  g_assert_cmpuint (fp_flag_tile_get_n_thumbnails (), ==, 0);

  g_clear_object (&fixture->cache);
  g_clear_object (&fixture->flag_file);
  fp_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static gboolean
has_thumbnail (gpointer tile)
{
  return fp_flag_tile_get_thumbnail (tile) != NULL;
}

static FpThumbnail *
wait_for_thumbnail (GtkWidget *tile)
{
  fp_test_iterate_until (has_thumbnail, tile, WAIT_S, "the tile's thumbnail");
  return fp_flag_tile_get_thumbnail (FP_FLAG_TILE (tile));
}

static void
test_released_when_recycled (Fixture       *fixture,
                             gconstpointer  user_data)
{
  FpFlagTile *tile = FP_FLAG_TILE (fixture->tile);
  GtkWidget *picture = gtk_widget_get_first_child (fixture->tile);
  FpThumbnail *thumbnail;
  GdkTexture *texture;

  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), ==, 1);
  g_assert_true (fp_flag_tile_get_in_view (tile));

  fp_flag_tile_set_flag_file (tile, fixture->flag_file);
  /* Until its thumbnail comes, the tile shows where the flag will be. */
  g_assert_true (gtk_widget_has_css_class (picture, "loading"));
  thumbnail = wait_for_thumbnail (fixture->tile);
  g_assert_false (gtk_widget_has_css_class (picture, "loading"));
  texture = fp_thumbnail_get_texture (thumbnail);

  /* Made at the size the tile shows it, not the file's 320 × 240. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 160 * gtk_widget_get_scale_factor (fixture->tile));
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 120 * gtk_widget_get_scale_factor (fixture->tile));
  g_assert_cmpuint (fp_flag_tile_get_n_thumbnails (), ==, 1);

  /* The grid recycles the tile: nothing else holds the pixels. */
  g_object_add_weak_pointer (G_OBJECT (thumbnail), (gpointer *) &thumbnail);
  g_object_add_weak_pointer (G_OBJECT (texture), (gpointer *) &texture);
  fp_flag_tile_set_flag_file (tile, NULL);
  g_assert_null (fp_flag_tile_get_thumbnail (tile));
  g_assert_false (gtk_widget_has_css_class (picture, "loading"));
  g_assert_null (thumbnail);
  g_assert_null (texture);
  g_assert_cmpuint (fp_flag_tile_get_n_thumbnails (), ==, 0);

  /* Bound again, it is made again (cheaply, off the main thread). */
  fp_flag_tile_set_flag_file (tile, fixture->flag_file);
  wait_for_thumbnail (fixture->tile);
  g_assert_cmpuint (fp_thumbnail_cache_get_n_decoded (fixture->cache), ==, 2);
  fp_flag_tile_set_flag_file (tile, NULL);
}

static void
test_released_out_of_view (Fixture       *fixture,
                           gconstpointer  user_data)
{
  FpFlagTile *tile = FP_FLAG_TILE (fixture->tile);
  FpThumbnail *thumbnail;

  /* A tile bound while out of view makes nothing. */
  fp_flag_tile_set_in_view (tile, FALSE);
  fp_flag_tile_set_flag_file (tile, fixture->flag_file);
  g_assert_null (fp_flag_tile_get_thumbnail (tile));

  fp_flag_tile_set_in_view (tile, TRUE);
  thumbnail = wait_for_thumbnail (fixture->tile);
  g_assert_true (fp_flag_tile_get_flag_file (tile) == fixture->flag_file);

  g_object_add_weak_pointer (G_OBJECT (thumbnail), (gpointer *) &thumbnail);
  fp_flag_tile_set_in_view (tile, FALSE);
  g_assert_null (thumbnail);
  /* The tile still shows its flag's name and code. */
  g_assert_true (fp_flag_tile_get_flag_file (tile) == fixture->flag_file);
  fp_flag_tile_set_flag_file (tile, NULL);
}

static void
test_recycled_while_loading (Fixture       *fixture,
                             gconstpointer  user_data)
{
  FpFlagTile *tile = FP_FLAG_TILE (fixture->tile);
  g_autoptr(GBytes) bytes = fp_test_load_debian_flag ("de");
  g_autofree char *path = g_build_filename (fixture->dir, "de.png", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(FpFlagFile) germany = NULL;
  FpThumbnail *thumbnail;

  fp_test_write_file (path, bytes);
  file = g_file_new_for_path (path);
  germany = fp_flag_file_new_for_file (file, NULL, NULL);
  g_assert_nonnull (germany);

  /* Rebound before the first thumbnail came: only the second is shown. */
  fp_flag_tile_set_flag_file (tile, fixture->flag_file);
  fp_flag_tile_set_flag_file (tile, germany);
  thumbnail = wait_for_thumbnail (fixture->tile);
  g_assert_true (fp_flag_tile_get_flag_file (tile) == germany);
  g_assert_nonnull (thumbnail);
  fp_flag_tile_set_flag_file (tile, NULL);
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/flag-tile/released-when-recycled", test_released_when_recycled);
  ADD_TEST ("/flag-tile/released-out-of-view", test_released_out_of_view);
  ADD_TEST ("/flag-tile/recycled-while-loading", test_recycled_while_loading);

  return g_test_run ();
}
