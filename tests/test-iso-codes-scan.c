/* test-iso-codes-scan.c — the one-pass reading of iso-codes' countries agrees with json-glib's, and refuses any other form
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-iso-codes-scan"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-iso-codes-scan.h"

static GPtrArray *
scan (const char *text)
{
  return fp_iso_codes_scan (text, strlen (text));
}

static void
test_scan_agrees_with_json_glib (void)
{
  /* The installed file, every entry: the members the catalog reads. */
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  g_assert_true (g_file_get_contents (ISO_CODES_JSON, &text, &length, NULL));
  entries = fp_iso_codes_scan (text, length);
  g_assert_nonnull (entries);
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) length, &error));
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "3166-1");
  g_assert_cmpuint (entries->len, ==, json_array_get_length (array));
  g_assert_cmpuint (entries->len, ==, 249);
  for (guint i = 0; i < entries->len; i++)
    {
      FpIsoCodesEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *object = json_array_get_object_element (array, i);

      g_assert_cmpstr (entry->alpha_2, ==, json_object_get_string_member (object, "alpha_2"));
      g_assert_cmpstr (entry->name, ==, json_object_get_string_member_with_default (object, "name", NULL));
      g_assert_cmpstr (entry->common_name, ==,
                       json_object_get_string_member_with_default (object, "common_name", NULL));
    }
}

static void
test_scan_escapes (void)
{
  g_autoptr(GPtrArray) entries = scan ("{ \"3166-1\" : [ { \"alpha_2\": \"C\\u0049\", \"name\": \"C\\u00f4te d\\\"I\\\\\\/\","
                                       " \"numeric\": \"384\" }, {}, {\"common_name\":\"\\n\\t\"} ] }\n");
  FpIsoCodesEntry *entry;

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 3);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->alpha_2, ==, "CI");
  g_assert_cmpstr (entry->name, ==, "Côte d\"I\\/");
  g_assert_null (entry->common_name);
  entry = g_ptr_array_index (entries, 1);
  g_assert_null (entry->alpha_2);
  entry = g_ptr_array_index (entries, 2);
  g_assert_cmpstr (entry->common_name, ==, "\n\t");

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = scan ("{\"3166-1\": []}");
  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, ==, 0);
}

static void
test_scan_refuses_other_forms (void)
{
  /* Valid JSON of another form, or not JSON: json-glib's turn then. */
  const char *refused[] = {
    "",
    "[]",
    "{\"3166-2\": []}",
    "{\"3166-1\": [], \"other\": 1}",
    "{\"3166-1\": [{\"numeric\": 384}]}",
    "{\"3166-1\": [{\"alpha_2\": \"AD\"}]} trailing",
    "{\"3166-1\": [{\"alpha_2\": \"AD\"},]}",
    "{\"3166-1\": [{\"alpha_2\": \"AD\" \"name\": \"x\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"A\\uD83C\\uDDE6\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"A\\u0000\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"A\\x\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"A\nD\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"\xff\xfe\"}]}",
    "{\"3166-1\": [{\"alpha_2\": \"AD",
    "{\"3166-1\": [{\"alpha_2\": \"AD\\",
    "{\"3166-1\": [{\"alpha_2\": \"AD\\u00",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GPtrArray) entries = scan (refused[i]);

      g_test_message ("%s", refused[i]);
      g_assert_null (entries);
    }
}

static void
test_catalog_from_either_reading (void)
{
  /* A list the scan refuses (a number member) is read by json-glib, to
   * the same catalog. */
  g_autofree char *dir = g_dir_make_tmp ("flagpole-iso-XXXXXX", NULL);
  g_autofree char *scanned_path = g_build_filename (dir, "scanned.json", NULL);
  g_autofree char *parsed_path = g_build_filename (dir, "parsed.json", NULL);
  const char *scanned = "{\"3166-1\": [{\"alpha_2\": \"ZZ\", \"name\": \"Nowhere\"},"
                        " {\"alpha_2\": \"ab\", \"name\": \"Formal\", \"common_name\": \"Common\"},"
                        " {\"alpha_2\": \"XYZ\", \"name\": \"Too long\"}, {\"name\": \"No code\"}]}";
  const char *parsed = "{\"3166-1\": [{\"alpha_2\": \"ZZ\", \"name\": \"Nowhere\", \"numeric\": 1},"
                       " {\"alpha_2\": \"ab\", \"name\": \"Formal\", \"common_name\": \"Common\"},"
                       " {\"alpha_2\": \"XYZ\", \"name\": \"Too long\"}, {\"name\": \"No code\"}]}";
  const char *paths[] = { scanned_path, parsed_path };

  g_assert_true (g_file_set_contents (scanned_path, scanned, -1, NULL));
  g_assert_true (g_file_set_contents (parsed_path, parsed, -1, NULL));
  {
    g_autoptr(GPtrArray) scanned_entries = scan (scanned);
    g_autoptr(GPtrArray) parsed_entries = scan (parsed);

    g_assert_nonnull (scanned_entries);
    g_assert_null (parsed_entries);
  }
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FpCountryCatalog) catalog = fp_country_catalog_new_from_file (paths[i], &error);
      g_auto(GStrv) codes = NULL;

      g_assert_no_error (error);
      codes = fp_country_catalog_dup_all_codes (catalog);
      g_assert_cmpuint (g_strv_length (codes), ==, 2);
      g_assert_cmpstr (codes[0], ==, "AB");
      g_assert_cmpstr (codes[1], ==, "ZZ");
      g_assert_cmpstr (fp_country_catalog_get_english_name (catalog, "AB"), ==, "Common");
      g_assert_cmpstr (fp_country_catalog_get_english_name (catalog, "ZZ"), ==, "Nowhere");
      g_unlink (paths[i]);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/iso-codes-scan/agrees-with-json-glib", test_scan_agrees_with_json_glib);
  g_test_add_func ("/iso-codes-scan/escapes", test_scan_escapes);
  g_test_add_func ("/iso-codes-scan/refuses-other-forms", test_scan_refuses_other_forms);
  g_test_add_func ("/iso-codes-scan/catalog-from-either-reading", test_catalog_from_either_reading);

  return g_test_run ();
}
