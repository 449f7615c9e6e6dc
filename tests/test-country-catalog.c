/* test-country-catalog.c — the 249 countries, their names and the book's selections
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-country-catalog"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

static char *
join_codes (char **codes)
{
  return g_strjoinv (" ", codes);
}

static void
assert_sorted_unique (char **codes)
{
  for (guint i = 1; codes[i] != NULL; i++)
    g_assert_cmpint (strcmp (codes[i - 1], codes[i]), <, 0);
}

static void
test_catalog_count (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  GListModel *countries = fp_country_catalog_get_countries (catalog);
  g_autoptr(FpCountry) first = NULL;
  g_autoptr(FpCountry) last = NULL;

  g_assert_cmpuint (fp_country_catalog_get_n_countries (catalog), ==, 249);
  g_assert_cmpuint (g_list_model_get_n_items (countries), ==, 249);
  g_assert_true (g_list_model_get_item_type (countries) == FP_TYPE_COUNTRY);

  first = g_list_model_get_item (countries, 0);
  last = g_list_model_get_item (countries, 248);
  g_assert_cmpstr (fp_country_get_code (first), ==, "AD");
  g_assert_cmpstr (fp_country_get_code (last), ==, "ZW");
  g_assert_null (g_list_model_get_item (countries, 249));

  /* Sorted by code, every code valid, upper case, an ISO country with a name. */
  for (guint i = 0; i < 249; i++)
    {
      g_autoptr(FpCountry) country = g_list_model_get_item (countries, i);
      const char *code = fp_country_get_code (country);

      g_assert_true (fp_country_code_is_valid (code));
      g_assert_true (g_ascii_isupper (code[0]) && g_ascii_isupper (code[1]));
      g_assert_true (fp_country_get_is_iso (country));
      g_assert_nonnull (fp_country_get_name (country));
      g_assert_cmpstr (fp_country_get_name (country), !=, "");
      g_assert_true (fp_country_catalog_lookup (catalog, code) == country);
      if (i > 0)
        {
          g_autoptr(FpCountry) previous = g_list_model_get_item (countries, i - 1);
          g_assert_cmpint (strcmp (fp_country_get_code (previous), code), <, 0);
        }
    }
}

static void
test_catalog_names (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  FpCountry *brazil;

  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "BR"), ==, "Brazil");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "DE"), ==, "Germany");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "JP"), ==, "Japan");
  /* Lookups take any case. */
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "br"), ==, "Brazil");

  brazil = fp_country_catalog_lookup (catalog, "BR");
  g_assert_nonnull (brazil);
  g_assert_cmpstr (fp_country_get_code (brazil), ==, "BR");
  g_assert_cmpstr (fp_country_get_name (brazil), ==, "Brazil");

  /* Valid codes that name no country, and invalid ones. */
  g_assert_null (fp_country_catalog_lookup (catalog, "ZZ"));
  g_assert_null (fp_country_catalog_lookup (catalog, "EU"));
  g_assert_null (fp_country_catalog_get_name (catalog, "XX"));
  g_assert_null (fp_country_catalog_lookup (catalog, "BRA"));
  g_assert_null (fp_country_catalog_lookup (catalog, "B"));
  g_assert_null (fp_country_catalog_lookup (catalog, ""));
}

static void
test_catalog_translated_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpCountryCatalog) catalog = NULL;
  g_autofree char *old_language = g_strdup (g_getenv ("LANGUAGE"));

  if (!g_file_test ("/usr/share/locale/de/LC_MESSAGES/iso_3166-1.mo", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("iso-codes' German catalog is not installed");
      return;
    }

  /* LANGUAGE counts under C.UTF-8 (not under C); setlocale() again makes
   * gettext forget what it translated before. */
  g_setenv ("LANGUAGE", "de", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  catalog = fp_country_catalog_new_from_file (ISO_CODES_JSON, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (fp_country_catalog_get_n_countries (catalog), ==, 249);
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "DE"), ==, "Deutschland");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "BR"), ==, "Brasilien");

  if (old_language != NULL)
    g_setenv ("LANGUAGE", old_language, TRUE);
  else
    g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
}

static void
test_catalog_new_from_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = fp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "list.json", NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"3166-2\": []}", 14);
  FpCountryCatalog *catalog;

  fp_test_write_file (path, bytes);
  catalog = fp_country_catalog_new_from_file (path, &error);
  g_assert_null (catalog);
  g_assert_nonnull (error);
  g_clear_error (&error);

  catalog = fp_country_catalog_new_from_file ("/nonexistent/iso_3166-1.json", &error);
  g_assert_null (catalog);
  g_assert_nonnull (error);

  fp_test_remove_tree (dir);
}

static void
test_catalog_top20 (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) top20 = fp_country_catalog_dup_top20_codes (catalog);
  g_autofree char *joined = join_codes (top20);

  g_assert_cmpuint (g_strv_length (top20), ==, 20);
  /* The book's POP20_CC, sorted as download_many() sorts it. */
  g_assert_cmpstr (joined, ==,
                   "BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN");
  for (guint i = 0; top20[i] != NULL; i++)
    g_assert_nonnull (fp_country_catalog_lookup (catalog, top20[i]));
}

static void
test_catalog_all_and_every (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (catalog);
  g_auto(GStrv) every = fp_country_catalog_dup_every_code (catalog);

  g_assert_cmpuint (g_strv_length (all), ==, 249);
  assert_sorted_unique (all);
  g_assert_cmpstr (all[0], ==, "AD");
  g_assert_cmpstr (all[248], ==, "ZW");
  g_assert_true (g_strv_contains ((const char * const *) all, "BR"));
  g_assert_false (g_strv_contains ((const char * const *) all, "ZZ"));

  g_assert_cmpuint (g_strv_length (every), ==, 676);
  assert_sorted_unique (every);
  g_assert_cmpstr (every[0], ==, "AA");
  g_assert_cmpstr (every[1], ==, "AB");
  g_assert_cmpstr (every[26], ==, "BA");
  g_assert_cmpstr (every[675], ==, "ZZ");

  /* Every ISO code is among the 676. */
  for (guint i = 0; all[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) every, all[i]));
}

static char *
expand_joined (const char * const *args,
               gboolean            all,
               gboolean            every,
               guint               limit)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = fp_country_catalog_expand (fp_country_catalog_get_default (),
                                                   args, all, every, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (codes);
  assert_sorted_unique (codes);
  return join_codes (codes);
}

static void
test_catalog_expand (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = NULL;
  char *joined;

  /* A first letter gives its 26 codes, ISO or not. */
  codes = fp_country_catalog_expand (catalog, (const char *[]) { "B", NULL }, FALSE, FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 26);
  g_assert_cmpstr (codes[0], ==, "BA");
  g_assert_cmpstr (codes[25], ==, "BZ");
  assert_sorted_unique (codes);
  g_clear_pointer (&codes, g_strfreev);

  /* Lower case is upper-cased, duplicates go, the result is sorted. */
  joined = expand_joined ((const char *[]) { "br", NULL }, FALSE, FALSE, 0);
  g_assert_cmpstr (joined, ==, "BR");
  g_free (joined);

  joined = expand_joined ((const char *[]) { "US", "br", "BR", "cn", "b", NULL }, FALSE, FALSE, 0);
  g_assert_cmpstr (joined, ==,
                   "BA BB BC BD BE BF BG BH BI BJ BK BL BM BN BO BP BQ BR BS BT BU BV BW BX BY BZ CN US");
  g_free (joined);

  /* A limit applies to the sorted list. */
  joined = expand_joined ((const char *[]) { "US", "BR", "CN", "DE", NULL }, FALSE, FALSE, 2);
  g_assert_cmpstr (joined, ==, "BR CN");
  g_free (joined);

  joined = expand_joined ((const char *[]) { "z", NULL }, FALSE, FALSE, 3);
  g_assert_cmpstr (joined, ==, "ZA ZB ZC");
  g_free (joined);

  /* A limit larger than the list keeps all of it. */
  joined = expand_joined ((const char *[]) { "BR", "US", NULL }, FALSE, FALSE, 100);
  g_assert_cmpstr (joined, ==, "BR US");
  g_free (joined);
}

static void
test_catalog_expand_selections (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) codes = NULL;
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (catalog);
  g_autofree char *all_joined = join_codes (all);
  char *joined;

  /* Nothing asked: the top 20. */
  joined = expand_joined (NULL, FALSE, FALSE, 0);
  g_assert_cmpstr (joined, ==, "BD BR CD CN DE EG ET FR ID IN IR JP MX NG PH PK RU TR US VN");
  g_free (joined);
  joined = expand_joined ((const char *[]) { NULL }, FALSE, FALSE, 5);
  g_assert_cmpstr (joined, ==, "BD BR CD CN DE");
  g_free (joined);

  joined = expand_joined (NULL, TRUE, FALSE, 0);
  g_assert_cmpstr (joined, ==, all_joined);
  g_free (joined);

  codes = fp_country_catalog_expand (catalog, NULL, FALSE, TRUE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 676);
  g_clear_pointer (&codes, g_strfreev);

  codes = fp_country_catalog_expand (catalog, NULL, FALSE, TRUE, 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 30);
  g_assert_cmpstr (codes[29], ==, "BD");
  g_clear_pointer (&codes, g_strfreev);

  codes = fp_country_catalog_expand (catalog, NULL, TRUE, FALSE, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (codes), ==, 10);
  g_assert_cmpstr (codes[0], ==, "AD");
}

static void
test_catalog_expand_errors (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  const char *bad[] = { "BRA", "1", "", "B1", "é", "b/", "..", " BR", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *args[] = { "BR", bad[i], NULL };
      g_auto(GStrv) codes = fp_country_catalog_expand (catalog, args, FALSE, FALSE, 0, &error);

      g_test_message ("argument “%s”", bad[i]);
      g_assert_null (codes);
      g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_CODE);
      g_assert_nonnull (error->message);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_code_is_valid (void)
{
  g_assert_true (fp_country_code_is_valid ("BR"));
  g_assert_true (fp_country_code_is_valid ("br"));
  g_assert_true (fp_country_code_is_valid ("ZZ"));
  g_assert_true (fp_country_code_is_valid ("aZ"));

  g_assert_false (fp_country_code_is_valid (NULL));
  g_assert_false (fp_country_code_is_valid (""));
  g_assert_false (fp_country_code_is_valid ("B"));
  g_assert_false (fp_country_code_is_valid ("BRA"));
  g_assert_false (fp_country_code_is_valid ("B1"));
  g_assert_false (fp_country_code_is_valid ("b/"));
  g_assert_false (fp_country_code_is_valid (".."));
  g_assert_false (fp_country_code_is_valid ("/b"));
  g_assert_false (fp_country_code_is_valid ("é"));
  g_assert_false (fp_country_code_is_valid ("B "));
}

static void
test_country_object (void)
{
  g_autoptr(FpCountry) iso = fp_country_new ("BR", "Brazil");
  g_autoptr(FpCountry) other = fp_country_new ("ZZ", NULL);
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpstr (fp_country_get_code (iso), ==, "BR");
  g_assert_cmpstr (fp_country_get_name (iso), ==, "Brazil");
  g_assert_true (fp_country_get_is_iso (iso));

  g_assert_cmpstr (fp_country_get_code (other), ==, "ZZ");
  g_assert_null (fp_country_get_name (other));
  g_assert_false (fp_country_get_is_iso (other));

  /* Properties, for the GUI's bindings and expressions. */
  g_object_get (iso, "code", &code, "name", &name, NULL);
  g_assert_cmpstr (code, ==, "BR");
  g_assert_cmpstr (name, ==, "Brazil");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/country-catalog/count", test_catalog_count);
  g_test_add_func ("/country-catalog/names", test_catalog_names);
  g_test_add_func ("/country-catalog/new-from-bad-file", test_catalog_new_from_bad_file);
  g_test_add_func ("/country-catalog/top20", test_catalog_top20);
  g_test_add_func ("/country-catalog/all-and-every", test_catalog_all_and_every);
  g_test_add_func ("/country-catalog/expand", test_catalog_expand);
  g_test_add_func ("/country-catalog/expand-selections", test_catalog_expand_selections);
  g_test_add_func ("/country-catalog/expand-errors", test_catalog_expand_errors);
  g_test_add_func ("/country-catalog/code-is-valid", test_code_is_valid);
  g_test_add_func ("/country-catalog/country-object", test_country_object);
  /* Last: it switches the process's language for a while. */
  g_test_add_func ("/country-catalog/translated-names", test_catalog_translated_names);

  return g_test_run ();
}
