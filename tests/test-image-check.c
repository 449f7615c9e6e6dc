/* test-image-check.c — a response is an image only if it decodes; its format comes from its bytes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-image-check"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <zlib.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

static void
assert_image (GBytes     *bytes,
              const char *expected_extension,
              int         expected_width,
              int         expected_height)
{
  g_autoptr(GError) error = NULL;
  const char *extension = NULL;
  int width = -1, height = -1;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  g_assert_true (fp_image_check (bytes, &extension, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (extension, ==, expected_extension);
  g_assert_cmpint (width, ==, expected_width);
  g_assert_cmpint (height, ==, expected_height);

  g_assert_cmpstr (fp_image_sniff_extension (data, length), ==, expected_extension);

  /* The out arguments are optional. */
  g_assert_true (fp_image_check (bytes, NULL, NULL, NULL, NULL));
}

static void
assert_not_image (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  const char *extension = NULL;
  int width = -1, height = -1;

  g_assert_false (fp_image_check (bytes, &extension, &width, &height, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_NOT_AN_IMAGE);
  g_assert_cmpstr (error->message, ==, "response is not an image");
  /* Nothing half-filled on failure. */
  g_assert_null (extension);
  g_assert_cmpint (width, ==, -1);
  g_assert_cmpint (height, ==, -1);

  g_assert_false (fp_image_check (bytes, NULL, NULL, NULL, NULL));
}

static void
test_image_png (void)
{
  g_autoptr(GBytes) png = fp_test_load_debian_flag ("br");

  assert_image (png, "png", 320, 240);
}

static void
test_image_gif (void)
{
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();

  assert_image (gif, "gif", 1, 1);
}

static GBytes *
make_jpeg (int width,
           int height)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  gdk_pixbuf_fill (pixbuf, 0x009c3bff);
  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return g_bytes_new_take (buffer, length);
}

static void
test_image_jpeg (void)
{
  g_autoptr(GBytes) jpeg = make_jpeg (37, 23);

  assert_image (jpeg, "jpg", 37, 23);
}

static void
test_image_format_from_bytes_only (void)
{
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(GBytes) png = fp_test_load_debian_flag ("de");

  /* Nothing here has a name or a Content-Type: the bytes decide. */
  assert_image (gif, "gif", 1, 1);
  assert_image (png, "png", 320, 240);
}

static void
test_image_garbage (void)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("<html><body>Not Found</body></html>", 35);
  guint8 random[4096];
  g_autoptr(GBytes) noise = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  assert_not_image (text);

  for (guint i = 0; i < sizeof random; i++)
    random[i] = g_rand_int_range (rand, 0, 256);
  noise = g_bytes_new (random, sizeof random);
  assert_not_image (noise);
  g_assert_null (fp_image_sniff_extension ((const guint8 *) "hello", 5));
}

static void
test_image_signature_then_garbage (void)
{
  /* A PNG or GIF signature alone does not make an image. */
  static const char fake_png[] = "\x89PNG\r\n\x1a\nthis is not a PNG stream at all";
  static const char fake_gif[] = "GIF89a this is not a GIF stream at all";
  g_autoptr(GBytes) png = g_bytes_new_static (fake_png, sizeof fake_png - 1);
  g_autoptr(GBytes) gif = g_bytes_new_static (fake_gif, sizeof fake_gif - 1);

  g_assert_cmpstr (fp_image_sniff_extension ((const guint8 *) fake_png, sizeof fake_png - 1), ==, "png");
  assert_not_image (png);
  assert_not_image (gif);
}

static void
test_image_truncated (void)
{
  g_autoptr(GBytes) png = fp_test_load_debian_flag ("br");
  g_autoptr(GBytes) jpeg = make_jpeg (64, 64);
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(GBytes) half_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) png_head = g_bytes_new_from_bytes (png, 0, 64);
  g_autoptr(GBytes) png_but_last = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) - 20);
  g_autoptr(GBytes) half_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) half_gif = g_bytes_new_from_bytes (gif, 0, 20);

  assert_not_image (half_png);
  assert_not_image (png_head);
  assert_not_image (png_but_last);
  assert_not_image (half_jpeg);
  assert_not_image (half_gif);
}

static void
test_image_empty (void)
{
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) one = g_bytes_new_static ("\x89", 1);

  assert_not_image (empty);
  assert_not_image (one);
  g_assert_null (fp_image_sniff_extension (NULL, 0));
}


static void
assert_too_large (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) header_error = NULL;
  int width = -1;

  g_assert_false (fp_image_check (bytes, NULL, &width, NULL, &error));
  g_assert_error (error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "too large"));
  g_assert_cmpint (width, ==, -1);
  /* The headers alone say the same, as a viewer asks before decoding. */
  g_assert_false (fp_image_check_header (bytes, NULL, NULL, NULL, &header_error));
  g_assert_error (header_error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE);
}

/* Replaces a JPEG's frame size (SOF0, as gdk-pixbuf writes it). */
static GBytes *
jpeg_with_size (GBytes *jpeg,
                guint   width,
                guint   height)
{
  gsize length;
  const guint8 *original = g_bytes_get_data (jpeg, &length);
  guint8 *data = g_memdup2 (original, length);

  for (gsize i = 2; i + 9 < length; i++)
    if (data[i] == 0xFF && data[i + 1] == 0xC0)
      {
        data[i + 5] = height >> 8; data[i + 6] = height & 0xff;
        data[i + 7] = width >> 8; data[i + 8] = width & 0xff;
        break;
      }
  return g_bytes_new_take (data, length);
}

static void
test_image_huge_dimensions (void)
{
  g_autoptr(GBytes) png = fp_test_huge_png (30000, 30000);
  g_autoptr(GBytes) wide_png = fp_test_huge_png (FP_IMAGE_MAX_SIDE + 1, 1);
  g_autoptr(GBytes) gif = fp_test_make_gif (65535, 65535, 65535, 65535, 20000);
  g_autoptr(GBytes) gif_frame = fp_test_make_gif (16, 16, 60000, 60000, 256);
  g_autoptr(GBytes) small_jpeg = make_jpeg (16, 16);
  g_autoptr(GBytes) jpeg = jpeg_with_size (small_jpeg, 60000, 60000);
  g_autoptr(GBytes) flag = fp_test_load_debian_flag ("br");
  g_autoptr(GBytes) largest = fp_test_make_gif (2048, 2048, 2048, 2048, G_MAXSIZE);
  int width = 0, height = 0;

  /* 167 bytes claiming 900 megapixels; a 65535 × 65535 GIF; a small
   * screen with a huge frame (every frame is allocated); a JPEG. */
  g_assert_cmpuint (g_bytes_get_size (png), <, 200);
  assert_too_large (png);
  assert_too_large (wide_png);
  assert_too_large (gif);
  assert_too_large (gif_frame);
  assert_too_large (jpeg);

  /* A flag's size and the largest allowed pass, with the headers too. */
  g_assert_true (fp_image_check_header (flag, NULL, &width, &height, NULL));
  g_assert_cmpint (width, ==, 320);
  g_assert_cmpint (height, ==, 240);
  assert_image (largest, "gif", 2048, 2048);
  g_assert_true (fp_image_check_header (largest, NULL, NULL, NULL, NULL));
  g_assert_true (fp_image_check_header (small_jpeg, NULL, NULL, NULL, NULL));
  /* The headers of something else are not an image's. */
  {
    g_autoptr(GBytes) text = g_bytes_new_static ("GIF? no", 7);
    g_autoptr(GError) error = NULL;

    g_assert_false (fp_image_check_header (text, NULL, NULL, NULL, &error));
    g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_NOT_AN_IMAGE);
  }
}

/* Valid chunks and CRCs around pixel data that is not what it claims. */
static void
test_image_corrupt_pixel_data (void)
{
  g_autoptr(GBytes) flag = fp_test_load_debian_flag ("br");
  g_autoptr(GBytes) noise = fp_test_corrupt_png ("br");
  g_autoptr(GBytes) gif = fp_test_make_gif (40, 30, 40, 30, G_MAXSIZE);
  g_autoptr(GBytes) short_gif = fp_test_make_gif (40, 30, 40, 30, 40 * 29);
  g_autoptr(GBytes) jpeg = make_jpeg (32, 32);
  guint8 rows[240 * (1 + 320 * 4)];
  guint8 compressed[4096];
  uLongf compressed_length;

  assert_image (flag, "png", 320, 240);
  assert_not_image (noise);

  /* A real zlib stream of one row too few. */
  memset (rows, 0, sizeof rows);
  compressed_length = sizeof compressed;
  g_assert_cmpint (compress (compressed, &compressed_length, rows, sizeof rows - (1 + 320 * 4)), ==, Z_OK);
  {
    g_autoptr(GBytes) png = fp_test_png_with_image_data (flag, compressed, compressed_length);
    assert_not_image (png);
  }
  /* The right number of rows, one with filter type 7. */
  rows[5 * (1 + 320 * 4)] = 7;
  compressed_length = sizeof compressed;
  g_assert_cmpint (compress (compressed, &compressed_length, rows, sizeof rows), ==, Z_OK);
  {
    g_autoptr(GBytes) png = fp_test_png_with_image_data (flag, compressed, compressed_length);
    assert_not_image (png);
  }
  /* And all well, to show the two above fail for the reason given. */
  rows[5 * (1 + 320 * 4)] = 0;
  compressed_length = sizeof compressed;
  g_assert_cmpint (compress (compressed, &compressed_length, rows, sizeof rows), ==, Z_OK);
  {
    g_autoptr(GBytes) png = fp_test_png_with_image_data (flag, compressed, compressed_length);
    assert_image (png, "png", 320, 240);
  }

  /* A GIF whose codes are a whole frame (gdk-pixbuf agrees), one whose
   * codes end a row short, and one whose codes are noise. */
  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();

    g_assert_true (gdk_pixbuf_loader_write_bytes (loader, gif, NULL));
    g_assert_true (gdk_pixbuf_loader_close (loader, NULL));
    g_assert_cmpint (gdk_pixbuf_get_width (gdk_pixbuf_loader_get_pixbuf (loader)), ==, 40);
  }
  assert_image (gif, "gif", 40, 30);
  assert_not_image (short_gif);
  {
    gsize length;
    const guint8 *original = g_bytes_get_data (gif, &length);
    guint8 *data = g_memdup2 (original, length);
    g_autoptr(GBytes) garbled = NULL;
    g_autoptr(GRand) rand = g_rand_new_with_seed (7);

    /* The first sub-block starts after header, table, descriptor and the code size. */
    for (gsize i = 13 + 6 + 10 + 2; i < 13 + 6 + 10 + 2 + 200; i++)
      data[i] = (guint8) g_rand_int_range (rand, 0, 256);
    garbled = g_bytes_new_take (data, length);
    assert_not_image (garbled);
  }

  /* A JPEG without its quantization tables cannot be decoded. */
  {
    gsize length;
    const guint8 *data = g_bytes_get_data (jpeg, &length);
    g_autoptr(GByteArray) stripped = g_byte_array_new ();
    g_autoptr(GBytes) no_tables = NULL;

    for (gsize i = 0; i < length;)
      {
        if (i >= 2 && data[i] == 0xFF && data[i + 1] == 0xDB)
          {
            i += 2 + ((data[i + 2] << 8) | data[i + 3]);
            continue;
          }
        if (i >= 2 && data[i] == 0xFF && data[i + 1] == 0xDA)
          {
            g_byte_array_append (stripped, data + i, length - i);
            break;
          }
        g_byte_array_append (stripped, data + i, 1);
        i++;
      }
    no_tables = g_byte_array_free_to_bytes (g_steal_pointer (&stripped));
    assert_image (jpeg, "jpg", 32, 32);
    assert_not_image (no_tables);
  }
}

typedef struct {
  GBytes *bytes;
  const char *extension;
  int width;
} CheckJob;

static gpointer
check_in_thread (gpointer data)
{
  CheckJob *job = data;
  const char *extension = NULL;
  int width = 0;

  for (guint i = 0; i < 20; i++)
    if (!fp_image_check (job->bytes, &extension, &width, NULL, NULL))
      return GINT_TO_POINTER (FALSE);
  return GINT_TO_POINTER (g_strcmp0 (extension, job->extension) == 0 && width == job->width);
}

static void
test_image_check_in_threads (void)
{
  /* Workers check images concurrently: decoding must not share state. */
  g_autoptr(GBytes) png = fp_test_load_debian_flag ("jp");
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  CheckJob jobs[] = {
    { png, "png", 320 }, { gif, "gif", 1 }, { png, "png", 320 }, { gif, "gif", 1 },
  };
  GThread *threads[G_N_ELEMENTS (jobs)];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    threads[i] = g_thread_new ("check", check_in_thread, &jobs[i]);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image-check/png", test_image_png);
  g_test_add_func ("/image-check/gif", test_image_gif);
  g_test_add_func ("/image-check/jpeg", test_image_jpeg);
  g_test_add_func ("/image-check/format-from-bytes-only", test_image_format_from_bytes_only);
  g_test_add_func ("/image-check/garbage", test_image_garbage);
  g_test_add_func ("/image-check/signature-then-garbage", test_image_signature_then_garbage);
  g_test_add_func ("/image-check/truncated", test_image_truncated);
  g_test_add_func ("/image-check/empty", test_image_empty);
  g_test_add_func ("/image-check/in-threads", test_image_check_in_threads);
  g_test_add_func ("/image-check/huge-dimensions", test_image_huge_dimensions);
  g_test_add_func ("/image-check/corrupt-pixel-data", test_image_corrupt_pixel_data);

  return g_test_run ();
}
