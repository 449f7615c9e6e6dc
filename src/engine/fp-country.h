/* fp-country.h — one ISO 3166-1 country: its code and localized name
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define FP_TYPE_COUNTRY (fp_country_get_type ())
G_DECLARE_FINAL_TYPE (FpCountry, fp_country, FP, COUNTRY, GObject)

FpCountry  *fp_country_new           (const char *code,
                                      const char *name);
const char *fp_country_get_code      (FpCountry  *self);
const char *fp_country_get_name      (FpCountry  *self);
gboolean    fp_country_get_is_iso    (FpCountry  *self);

G_END_DECLS
