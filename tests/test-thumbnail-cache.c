/* test-thumbnail-cache.c — thumbnails are made at display size for the scale, and only the last few are kept
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-thumbnail-cache"

#include "config.h"

#include <glib/gstdio.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include "fp-thumbnail-cache-private.h"

#define WAIT_S 60

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dir = fp_test_make_temp_dir ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fp_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

/* The facts of a flag written as @name with @bytes and the given mtime. */
static FpFlagFile *
write_flag (Fixture    *fixture,
            const char *name,
            GBytes     *bytes,
            guint64     mtime)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  FpFlagFile *flag_file;

  fp_test_write_file (path, bytes);
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, mtime,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  flag_file = fp_flag_file_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  return flag_file;
}

static FpFlagFile *
write_debian_flag (Fixture    *fixture,
                   const char *code,
                   guint64     mtime)
{
  g_autoptr(GBytes) bytes = fp_test_load_debian_flag (code);
  g_autofree char *name = g_strconcat (code, ".png", NULL);

  return write_flag (fixture, name, bytes, mtime);
}

static FpThumbnail *
load (FpThumbnailCache *cache,
      FpFlagFile       *flag_file,
      int               scale,
      GError          **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_thumbnail_cache_load_async (cache, flag_file, scale, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  return fp_thumbnail_cache_load_finish (cache, result, error);
}

static void
test_display_size (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(FpThumbnailCache) cache = fp_thumbnail_cache_new (160, 120, 4);
  g_autoptr(FpFlagFile) germany = write_debian_flag (fixture, "de", 1700000000);
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(FpFlagFile) tiny = write_flag (fixture, "fr.gif", gif, 1700000060);
  g_autoptr(FpThumbnail) one = NULL;
  g_autoptr(FpThumbnail) two = NULL;
  g_autoptr(FpThumbnail) small = NULL;
  g_autoptr(GError) error = NULL;

  /* The file is 320 × 240; the facts say so, and hold no pixels. */
  g_assert_cmpint (fp_flag_file_get_width (germany), ==, 320);
  g_assert_cmpint (fp_flag_file_get_height (germany), ==, 240);

  /* Made for the tile's 160 × 120 at scale 1: drawn pixel for pixel. */
  one = load (cache, germany, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (fp_thumbnail_get_texture (one)), ==, 160);
  g_assert_cmpint (gdk_texture_get_height (fp_thumbnail_get_texture (one)), ==, 120);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (one)), ==, 160);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (one)), ==, 120);
  g_assert_cmpuint (fp_thumbnail_get_size (one), ==, 160 * 120 * 4);

  /* At scale 2 the texture has twice the pixels, the paintable the same size. */
  two = load (cache, germany, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (fp_thumbnail_get_texture (two)), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (fp_thumbnail_get_texture (two)), ==, 240);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (two)), ==, 160);
  g_assert_cmpint (fp_thumbnail_get_scale (two), ==, 2);

  /* A 1×1 GIF is not blown up. */
  small = load (cache, tiny, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (fp_thumbnail_get_texture (small)), ==, 1);
  g_assert_cmpuint (fp_thumbnail_cache_get_n_decoded (cache), ==, 3);
}

static void
test_keeps_the_last_few (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(FpThumbnailCache) cache = fp_thumbnail_cache_new (160, 120, 2);
  const char *codes[] = { "br", "de", "jp" };
  FpFlagFile *flags[3];
  g_autoptr(FpThumbnail) hit = NULL;
  g_autoptr(FpThumbnail) miss = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(FpThumbnail) thumbnail = NULL;
      g_autoptr(GError) error = NULL;

      flags[i] = write_debian_flag (fixture, codes[i], 1700000000 + 60 * i);
      g_assert_null (fp_thumbnail_cache_lookup (cache, flags[i], 1));
      thumbnail = load (cache, flags[i], 1, &error);
      g_assert_no_error (error);
    }

  /* Capacity 2: the oldest went, the two newest stay. */
  g_assert_cmpuint (fp_thumbnail_cache_get_n_cached (cache), ==, 2);
  g_assert_null (fp_thumbnail_cache_lookup (cache, flags[0], 1));
  hit = fp_thumbnail_cache_lookup (cache, flags[2], 1);
  g_assert_nonnull (hit);
  /* Not for another scale. */
  miss = fp_thumbnail_cache_lookup (cache, flags[2], 2);
  g_assert_null (miss);

  /* A lookup counts as a use: "de" is now the oldest and goes first. */
  g_clear_object (&hit);
  hit = fp_thumbnail_cache_lookup (cache, flags[1], 1);
  g_assert_nonnull (hit);
  g_clear_object (&hit);
  {
    g_autoptr(FpThumbnail) again = load (cache, flags[0], 1, NULL);
    g_assert_nonnull (again);
  }
  g_assert_nonnull ((hit = fp_thumbnail_cache_lookup (cache, flags[1], 1)));
  g_clear_object (&hit);
  g_assert_null (fp_thumbnail_cache_lookup (cache, flags[2], 1));
  g_assert_cmpuint (fp_thumbnail_cache_get_n_decoded (cache), ==, 4);

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    g_object_unref (flags[i]);
}

static void
test_replaced_flag_is_made_again (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(FpThumbnailCache) cache = fp_thumbnail_cache_new (160, 120, 8);
  g_autoptr(FpFlagFile) old_flag = write_debian_flag (fixture, "br", 1700000000);
  g_autoptr(FpThumbnail) old_thumbnail = load (cache, old_flag, 1, NULL);
  g_autoptr(FpFlagFile) new_flag = NULL;
  g_autoptr(FpThumbnail) found = NULL;

  g_assert_nonnull (old_thumbnail);

  /* The same path saved again: a new modification time, a new thumbnail. */
  new_flag = write_debian_flag (fixture, "br", 1700000060);
  found = fp_thumbnail_cache_lookup (cache, new_flag, 1);
  g_assert_null (found);
}

static void
test_not_an_image (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(FpThumbnailCache) cache = fp_thumbnail_cache_new (160, 120, 8);
  g_autoptr(FpFlagFile) flag_file = write_debian_flag (fixture, "br", 1700000000);
  g_autofree char *path = g_build_filename (fixture->dir, "br.png", NULL);
  g_autoptr(GBytes) cut = g_bytes_new_static ("not an image\n", 13);
  g_autoptr(FpThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;

  /* The file was a flag when its facts were read; now it is not. */
  fp_test_write_file (path, cut);
  thumbnail = load (cache, flag_file, 1, &error);
  g_assert_null (thumbnail);
  g_assert_nonnull (error);
  g_assert_cmpuint (fp_thumbnail_cache_get_n_cached (cache), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/thumbnail-cache/display-size", test_display_size);
  ADD_TEST ("/thumbnail-cache/keeps-the-last-few", test_keeps_the_last_few);
  ADD_TEST ("/thumbnail-cache/replaced-flag-is-made-again", test_replaced_flag_is_made_again);
  ADD_TEST ("/thumbnail-cache/not-an-image", test_not_an_image);

  return g_test_run ();
}
