/* test-source.c — the source type: the built-in server, the book's site, a URL, and their names
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-source"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"

static void
test_source_builtin (void)
{
  g_autoptr(FpSource) source = fp_source_new_builtin ();
  g_autofree char *name = fp_source_dup_display_name (source);
  g_autofree char *key = fp_source_dup_key (source);

  g_assert_cmpint (fp_source_get_kind (source), ==, FP_SOURCE_KIND_BUILTIN);
  g_assert_cmpstr (fp_source_get_keyword (source), ==, "builtin");
  /* Its address is its server's, known once the server runs. */
  g_assert_null (fp_source_get_base_url (source));
  g_assert_cmpstr (fp_source_get_extension (source), ==, "png");
  g_assert_cmpstr (name, ==, "Built-in Server");
  g_assert_cmpstr (key, ==, "builtin");
}

static void
test_source_remote (void)
{
  g_autoptr(FpSource) source = fp_source_new_remote (NULL);
  g_autoptr(FpSource) other_ext = fp_source_new_remote (".PNG ");
  g_autofree char *name = fp_source_dup_display_name (source);
  g_autofree char *key = fp_source_dup_key (source);

  g_assert_cmpint (fp_source_get_kind (source), ==, FP_SOURCE_KIND_REMOTE);
  g_assert_cmpstr (fp_source_get_keyword (source), ==, "remote");
  g_assert_cmpstr (fp_source_get_base_url (source), ==, BOOK_FLAGS_URL);
  g_assert_cmpstr (fp_source_get_extension (source), ==, "gif");
  g_assert_cmpstr (name, ==, "The Book’s Site");
  g_assert_cmpstr (key, ==, BOOK_FLAGS_URL);
  /* The dot and the spaces go; the case is the caller's to choose. */
  g_assert_cmpstr (fp_source_get_extension (other_ext), ==, "PNG");
}

static void
test_source_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpSource) source = fp_source_new_url ("  http://127.0.0.1:8001/flags///  ", ".gif", &error);
  g_autoptr(FpSource) default_ext = NULL;
  g_autoptr(FpSource) same = NULL;
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;
  g_autofree char *same_key = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (fp_source_get_kind (source), ==, FP_SOURCE_KIND_CUSTOM);
  g_assert_cmpstr (fp_source_get_keyword (source), ==, "custom");
  g_assert_cmpstr (fp_source_get_base_url (source), ==, "http://127.0.0.1:8001/flags");
  g_assert_cmpstr (fp_source_get_extension (source), ==, "gif");
  name = fp_source_dup_display_name (source);
  g_assert_cmpstr (name, ==, "http://127.0.0.1:8001/flags");

  /* "…/flags/" and "…/flags" are one source, so one record of times. */
  same = fp_source_new_url ("http://127.0.0.1:8001/flags", "gif", &error);
  g_assert_no_error (error);
  key = fp_source_dup_key (source);
  same_key = fp_source_dup_key (same);
  g_assert_cmpstr (key, ==, same_key);
  g_assert_cmpstr (key, ==, "http://127.0.0.1:8001/flags gif");

  default_ext = fp_source_new_url ("https://example.org/f", "", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fp_source_get_extension (default_ext), ==, FP_SOURCE_DEFAULT_EXTENSION);
}

static void
test_source_url_invalid (void)
{
  const char *bad[] = { "", "flags", "ftp://example.org/flags", "file:///tmp", "http://", "/flags" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FpSource) source = fp_source_new_url (bad[i], NULL, &error);

      g_test_message ("source “%s”", bad[i]);
      g_assert_null (source);
      g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE);
    }
}

static void
test_source_extension_is_valid (void)
{
  const char *good[] = { "gif", "png", "PNG", "jpeg", "a1", "12345678" };
  const char *bad[] = { "", ".gif", "g/f", "123456789", "gi f", "é", "..", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (fp_source_extension_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (fp_source_extension_is_valid (bad[i]));
}

/* The kinds' nicks are the settings schema's "source" values. */
static void
test_source_kind_nicks (void)
{
  const char *nicks[] = { "builtin", "remote", "custom" };
  int value = -1;

  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_cmpstr (fp_enum_to_nick (FP_TYPE_SOURCE_KIND, (int) i), ==, nicks[i]);
      g_assert_true (fp_enum_from_nick (FP_TYPE_SOURCE_KIND, nicks[i], &value));
      g_assert_cmpint (value, ==, (int) i);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/source/builtin", test_source_builtin);
  g_test_add_func ("/source/remote", test_source_remote);
  g_test_add_func ("/source/url", test_source_url);
  g_test_add_func ("/source/url-invalid", test_source_url_invalid);
  g_test_add_func ("/source/extension-is-valid", test_source_extension_is_valid);
  g_test_add_func ("/source/kind-nicks", test_source_kind_nicks);

  return g_test_run ();
}
