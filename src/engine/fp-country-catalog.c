/* fp-country-catalog.c — the 249 ISO 3166-1 countries and the book's selections
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-country-catalog"

#include "config.h"

#include <libintl.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fp-country-catalog.h"
#include "fp-engine-types.h"

struct _FpCountryCatalog
{
  GObject parent_instance;

  GListStore *countries;      /* FpCountry, sorted by code */
  GHashTable *by_code;        /* code → FpCountry (borrowed from the store) */
  GHashTable *english_names;  /* code → untranslated name, for servers */
};

G_DEFINE_FINAL_TYPE (FpCountryCatalog, fp_country_catalog, G_TYPE_OBJECT)

static void
fp_country_catalog_finalize (GObject *object)
{
  FpCountryCatalog *self = FP_COUNTRY_CATALOG (object);

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->english_names, g_hash_table_unref);
  g_clear_object (&self->countries);

  G_OBJECT_CLASS (fp_country_catalog_parent_class)->finalize (object);
}

static void
fp_country_catalog_class_init (FpCountryCatalogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_country_catalog_finalize;
}

static void
fp_country_catalog_init (FpCountryCatalog *self)
{
  self->countries = g_list_store_new (FP_TYPE_COUNTRY);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
  self->english_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static int
compare_countries (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return strcmp (fp_country_get_code ((FpCountry *) a),
                 fp_country_get_code ((FpCountry *) b));
}

/**
 * fp_country_catalog_new_from_file:
 * @json_path: iso-codes' `iso_3166-1.json`
 * @error: return location for a #GError
 *
 * Reads the countries, naming each in the user's language: iso-codes'
 * message ids are the English names, translated in the `iso_3166-1`
 * domain. The common name ("Bolivia") is preferred over the formal one
 * ("Bolivia, Plurinational State of") because it is what people say.
 */
FpCountryCatalog *
fp_country_catalog_new_from_file (const char  *json_path,
                                  GError     **error)
{
  g_autoptr(FpCountryCatalog) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonArray *entries;

  g_return_val_if_fail (json_path != NULL, NULL);

  if (!json_parser_load_from_file (parser, json_path, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "3166-1"))
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("%s is not an ISO 3166-1 list"), json_path);
      return NULL;
    }

  self = g_object_new (FP_TYPE_COUNTRY_CATALOG, NULL);
  entries = json_object_get_array_member (json_node_get_object (root), "3166-1");

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      g_autofree char *code = NULL;
      const char *english;
      g_autoptr(FpCountry) country = NULL;

      if (entry == NULL || !json_object_has_member (entry, "alpha_2"))
        continue;

      code = g_ascii_strup (json_object_get_string_member (entry, "alpha_2"), -1);
      if (!fp_country_code_is_valid (code))
        continue;

      english = json_object_get_string_member_with_default (entry, "common_name", NULL);
      if (english == NULL)
        english = json_object_get_string_member_with_default (entry, "name", code);

      country = fp_country_new (code, dgettext ("iso_3166-1", english));
      g_hash_table_insert (self->english_names, g_strdup (code), g_strdup (english));
      g_list_store_append (self->countries, country);
    }

  g_list_store_sort (self->countries, compare_countries, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->countries)); i++)
    {
      g_autoptr(FpCountry) country = g_list_model_get_item (G_LIST_MODEL (self->countries), i);
      g_hash_table_insert (self->by_code, (gpointer) fp_country_get_code (country), country);
    }

  return g_steal_pointer (&self);
}

/**
 * fp_country_catalog_get_default:
 *
 * Returns: (transfer none): the catalog read from the installed iso-codes,
 *   made on first use; aborts if iso-codes is missing, since nothing in
 *   the application works without it.
 */
FpCountryCatalog *
fp_country_catalog_get_default (void)
{
  static FpCountryCatalog *catalog;

  if (g_once_init_enter (&catalog))
    {
      g_autoptr(GError) error = NULL;
      FpCountryCatalog *loaded = fp_country_catalog_new_from_file (ISO_CODES_JSON, &error);

      if (loaded == NULL)
        g_error ("Cannot read the list of countries: %s", error->message);
      g_once_init_leave (&catalog, loaded);
    }

  return catalog;
}

guint
fp_country_catalog_get_n_countries (FpCountryCatalog *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_CATALOG (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->countries));
}

/**
 * fp_country_catalog_lookup:
 * @code: a code in any case
 *
 * Returns: (transfer none) (nullable): the country, or %NULL when ISO
 *   3166-1 assigns no country to @code
 */
FpCountry *
fp_country_catalog_lookup (FpCountryCatalog *self,
                           const char       *code)
{
  char upper[3];

  g_return_val_if_fail (FP_IS_COUNTRY_CATALOG (self), NULL);

  if (!fp_country_code_is_valid (code))
    return NULL;
  upper[0] = g_ascii_toupper (code[0]);
  upper[1] = g_ascii_toupper (code[1]);
  upper[2] = '\0';
  return g_hash_table_lookup (self->by_code, upper);
}

const char *
fp_country_catalog_get_name (FpCountryCatalog *self,
                             const char       *code)
{
  FpCountry *country = fp_country_catalog_lookup (self, code);

  return country != NULL ? fp_country_get_name (country) : NULL;
}

/* Returns: (nullable): the name in English, what a server's metadata says. */
const char *
fp_country_catalog_get_english_name (FpCountryCatalog *self,
                                     const char       *code)
{
  FpCountry *country = fp_country_catalog_lookup (self, code);

  if (country == NULL)
    return NULL;
  return g_hash_table_lookup (self->english_names, fp_country_get_code (country));
}

/**
 * fp_country_catalog_get_countries:
 *
 * Returns: (transfer none): a #GListModel of #FpCountry, sorted by code
 */
GListModel *
fp_country_catalog_get_countries (FpCountryCatalog *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_CATALOG (self), NULL);
  return G_LIST_MODEL (self->countries);
}

char **
fp_country_catalog_dup_all_codes (FpCountryCatalog *self)
{
  GListModel *model = G_LIST_MODEL (self->countries);
  guint n = g_list_model_get_n_items (model);
  char **codes = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FpCountry) country = g_list_model_get_item (model, i);
      codes[i] = g_strdup (fp_country_get_code (country));
    }
  return codes;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char **
sorted_strv (char **codes)
{
  qsort (codes, g_strv_length (codes), sizeof (char *), compare_strings);
  return codes;
}

/* The book's POP20_CC, sorted as its download_many() sorts it. */
char **
fp_country_catalog_dup_top20_codes (FpCountryCatalog *self)
{
  return sorted_strv (g_strsplit (FP_TOP20_CODES, " ", -1));
}

/* AA…ZZ, most of which name no country: the book's `-e`. */
char **
fp_country_catalog_dup_every_code (FpCountryCatalog *self)
{
  char **codes = g_new0 (char *, 26 * 26 + 1);
  guint n = 0;

  for (char first = 'A'; first <= 'Z'; first++)
    for (char second = 'A'; second <= 'Z'; second++)
      codes[n++] = g_strdup_printf ("%c%c", first, second);
  return codes;
}

/**
 * fp_country_code_is_valid:
 * @code: (nullable): a candidate
 *
 * Returns: whether @code is two ASCII letters, the only thing that may
 *   reach a URL or a file name
 */
gboolean
fp_country_code_is_valid (const char *code)
{
  return code != NULL &&
         g_ascii_isalpha (code[0]) &&
         g_ascii_isalpha (code[1]) &&
         code[2] == '\0';
}

/**
 * fp_country_catalog_expand:
 * @args: (nullable): codes ("BR") and first letters ("B" for BA…BZ)
 * @all: every ISO 3166-1 code
 * @every: every code AA…ZZ
 * @limit: keep only the first @limit codes of the sorted list; 0 keeps all
 * @error: return location for a #GError
 *
 * The book's `expand_cc_args()`: with no argument and neither flag, the
 * top 20 by population. Codes are upper-cased, deduplicated and sorted.
 *
 * Returns: (transfer full): the codes, or %NULL with @error set
 */
char **
fp_country_catalog_expand (FpCountryCatalog   *self,
                           const char * const *args,
                           gboolean            all,
                           gboolean            every,
                           guint               limit,
                           GError            **error)
{
  g_autoptr(GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) base = NULL;
  g_autofree char **keys = NULL;
  guint n_keys = 0;
  GPtrArray *codes;

  g_return_val_if_fail (FP_IS_COUNTRY_CATALOG (self), NULL);

  if (every)
    base = fp_country_catalog_dup_every_code (self);
  else if (all)
    base = fp_country_catalog_dup_all_codes (self);
  else if (args == NULL || args[0] == NULL)
    base = fp_country_catalog_dup_top20_codes (self);

  for (guint i = 0; base != NULL && base[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (base[i]));

  for (guint i = 0; base == NULL && args[i] != NULL; i++)
    {
      const char *arg = args[i];
      gsize len = strlen (arg);

      if (len == 1 && g_ascii_isalpha (arg[0]))
        {
          for (char second = 'A'; second <= 'Z'; second++)
            g_hash_table_add (set, g_strdup_printf ("%c%c", g_ascii_toupper (arg[0]), second));
        }
      else if (fp_country_code_is_valid (arg))
        {
          g_hash_table_add (set, g_ascii_strup (arg, -1));
        }
      else
        {
          g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_CODE,
                       _("“%s” is not a country code: each code must be a letter A to Z or two letters AA to ZZ"),
                       arg);
          return NULL;
        }
    }

  keys = (char **) g_hash_table_get_keys_as_array (set, &n_keys);
  qsort (keys, n_keys, sizeof (char *), compare_strings);
  if (limit > 0 && limit < n_keys)
    n_keys = limit;

  codes = g_ptr_array_new ();
  for (guint i = 0; i < n_keys; i++)
    g_ptr_array_add (codes, g_strdup (keys[i]));
  g_ptr_array_add (codes, NULL);

  return (char **) g_ptr_array_free (codes, FALSE);
}
