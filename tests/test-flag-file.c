/* test-flag-file.c — a flag file on disk: its code from its name, and decoding that refuses what no flag is
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-file"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"

static void
test_code_for_name (void)
{
  const struct { const char *name; const char *code; } cases[] = {
    { "br.png", "BR" },
    { "fr.gif", "FR" },
    { "de.JPG", "DE" },
    { "XK.jpeg", "XK" },
    { "br.png.part", NULL },
    { ".br-1A2B3C.part", NULL },
    { "bra.png", NULL },
    { "b1.png", NULL },
    { "br.txt", NULL },
    { "br", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *code = fp_flag_file_code_for_name (cases[i].name);
      g_assert_cmpstr (code, ==, cases[i].code);
    }
}

/* A BMP header claiming @width × @height, 24 bits a pixel, no pixels. */
static GBytes *
huge_bmp (guint32 width,
          guint32 height)
{
  guint8 bmp[54] = { 'B', 'M' };
  guint32 fields[][2] = { { 2, 54 + 16 }, { 10, 54 }, { 14, 40 }, { 18, width }, { 22, height } };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    for (guint b = 0; b < 4; b++)
      bmp[fields[i][0] + b] = (fields[i][1] >> (8 * b)) & 0xff;
  bmp[26] = 1;    /* planes */
  bmp[28] = 24;   /* bits a pixel */
  return g_bytes_new (bmp, sizeof bmp);
}

/* A file on disk can be anything: images claiming sizes no flag has are
 * refused before any decoder allocates them, thumbnails and full views
 * alike (the 65535 × 65535 GIF once took 16.8 GB and 54 s). */
static void
test_huge_files_refused (void)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  struct {
    const char *name;
    GBytes *bytes;
  } files[] = {
    { "aa.png", fp_test_huge_png (30000, 30000) },
    { "ab.gif", fp_test_make_gif (65535, 65535, 65535, 65535, 20000) },
    { "ac.gif", fp_test_make_gif (16, 16, 60000, 60000, 256) },
    { "ad.bmp", huge_bmp (30000, 30000) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i].name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(FpFlagFile) flag = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", files[i].name);
      fp_test_write_file (path, files[i].bytes);
      flag = fp_flag_file_new_for_file (file, NULL, &error);
      g_assert_null (flag);
      g_assert_error (error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE);
      g_clear_error (&error);

      /* At full size, as the large view decodes. */
      texture = fp_flag_file_decode (files[i].bytes, 0, 0, NULL, NULL, &error);
      g_assert_null (texture);
      g_assert_error (error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE);
      g_bytes_unref (files[i].bytes);
    }

  /* A flag still decodes, to its box and to its own size. */
  {
    g_autoptr(GBytes) br = fp_test_load_debian_flag ("br");
    g_autoptr(GdkTexture) thumbnail = NULL;
    g_autoptr(GdkTexture) full = NULL;
    int width = 0, height = 0;

    thumbnail = fp_flag_file_decode (br, 160, 120, &width, &height, NULL);
    g_assert_nonnull (thumbnail);
    g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, 160);
    g_assert_cmpint (width, ==, 320);
    g_assert_cmpint (height, ==, 240);
    full = fp_flag_file_decode (br, 0, 0, NULL, NULL, NULL);
    g_assert_cmpint (gdk_texture_get_width (full), ==, 320);
  }
  fp_test_remove_tree (dir);
}

/* Decoded once into the format the cairo renderer draws, with the same
 * pixels: premultiplied alpha, rounded; an opaque image stays opaque. */
static void
test_decoded_for_drawing (void)
{
  static const guint8 rgba[] = { 255, 0, 0, 128,   0, 255, 0, 255,   10, 20, 30, 0,   200, 100, 50, 51 };
  static const guint8 rgb[] = { 255, 0, 0,   0, 0, 255,   1, 2, 3,   250, 251, 252 };
  const struct { const guint8 *data; gboolean alpha; guint32 expected[4]; } images[] = {
    { rgba, TRUE, { 0x80800000, 0xff00ff00, 0x00000000, 0x3328140a } },
    { rgb, FALSE, { 0xffff0000, 0xff0000ff, 0xff010203, 0xfffafbfc } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      int channels = images[i].alpha ? 4 : 3;
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_data (images[i].data, GDK_COLORSPACE_RGB, images[i].alpha,
                                                             8, 2, 2, 2 * channels, NULL, NULL);
      g_autofree char *png = NULL;
      gsize png_size = 0;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GdkTexture) texture = NULL;
      g_autoptr(GError) error = NULL;
      guint32 pixels[4] = { 0 };

      g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &png, &png_size, "png", &error, NULL));
      g_assert_no_error (error);
      bytes = g_bytes_new_take (g_steal_pointer (&png), png_size);
      texture = fp_flag_file_decode (bytes, 0, 0, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 2);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 2);

      /* gdk_texture_download() gives GDK_MEMORY_DEFAULT. */
      gdk_texture_download (texture, (guchar *) pixels, 2 * 4);
      for (guint p = 0; p < 4; p++)
        g_assert_cmphex (pixels[p], ==, images[i].expected[p]);
    }
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

  g_test_add_func ("/flag-file/code-for-name", test_code_for_name);
  g_test_add_func ("/flag-file/huge-files-refused", test_huge_files_refused);
  g_test_add_func ("/flag-file/decoded-for-drawing", test_decoded_for_drawing);

  return g_test_run ();
}
