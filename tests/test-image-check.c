/* test-image-check.c — a response is an image only if it decodes; its format comes from its bytes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-image-check"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

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

  return g_test_run ();
}
