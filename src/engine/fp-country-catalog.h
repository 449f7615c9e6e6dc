/* fp-country-catalog.h — the 249 ISO 3166-1 countries and the book's selections
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-country.h"

G_BEGIN_DECLS

#define FP_TYPE_COUNTRY_CATALOG (fp_country_catalog_get_type ())
G_DECLARE_FINAL_TYPE (FpCountryCatalog, fp_country_catalog, FP, COUNTRY_CATALOG, GObject)

/* The book's POP20_CC: the 20 most populous countries, in its order. */
#define FP_TOP20_CODES "CN IN US ID BR PK NG BD RU JP MX PH VN ET EG DE IR TR CD FR"

FpCountryCatalog *fp_country_catalog_get_default  (void);
FpCountryCatalog *fp_country_catalog_new_from_file (const char  *json_path,
                                                    GError     **error);

guint             fp_country_catalog_get_n_countries (FpCountryCatalog *self);
FpCountry        *fp_country_catalog_lookup          (FpCountryCatalog *self,
                                                      const char       *code);
const char       *fp_country_catalog_get_name        (FpCountryCatalog *self,
                                                      const char       *code);
const char       *fp_country_catalog_get_english_name (FpCountryCatalog *self,
                                                      const char       *code);
GListModel       *fp_country_catalog_get_countries   (FpCountryCatalog *self);

char            **fp_country_catalog_dup_all_codes   (FpCountryCatalog *self);
char            **fp_country_catalog_dup_top20_codes (FpCountryCatalog *self);
char            **fp_country_catalog_dup_every_code  (FpCountryCatalog *self);

char            **fp_country_catalog_expand          (FpCountryCatalog   *self,
                                                      const char * const *args,
                                                      gboolean            all,
                                                      gboolean            every,
                                                      guint               limit,
                                                      GError            **error);

gboolean          fp_country_code_is_valid           (const char *code);

G_END_DECLS
