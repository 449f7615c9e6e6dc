/* fp-country-item.h — one row of the window's country list: a country, whether it is picked, how its download went
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_COUNTRY_ITEM (fp_country_item_get_type ())
G_DECLARE_FINAL_TYPE (FpCountryItem, fp_country_item, FP, COUNTRY_ITEM, GObject)

FpCountryItem    *fp_country_item_new            (FpCountry        *country);

FpCountry        *fp_country_item_get_country    (FpCountryItem    *self);
const char       *fp_country_item_get_code       (FpCountryItem    *self);
const char       *fp_country_item_get_name       (FpCountryItem    *self);
gboolean          fp_country_item_get_is_iso     (FpCountryItem    *self);

gboolean          fp_country_item_get_selected   (FpCountryItem    *self);
void              fp_country_item_set_selected   (FpCountryItem    *self,
                                                  gboolean          selected);

gboolean          fp_country_item_get_has_status (FpCountryItem    *self);
FpDownloadStatus  fp_country_item_get_status     (FpCountryItem    *self);
const char       *fp_country_item_get_message    (FpCountryItem    *self);
void              fp_country_item_set_status     (FpCountryItem    *self,
                                                  FpDownloadStatus  status,
                                                  const char       *message);
void              fp_country_item_clear_status   (FpCountryItem    *self);
void              fp_country_item_set_facts      (FpCountryItem    *self,
                                                  const char       *facts);

const char       *fp_country_item_get_icon_name  (FpCountryItem    *self);
const char       *fp_country_item_get_style_class (FpCountryItem   *self);
char             *fp_country_item_dup_status_text (FpCountryItem   *self);
char             *fp_country_item_dup_status_words (FpCountryItem  *self);

char             *fp_country_item_fold_text      (const char       *text);
gboolean          fp_country_item_matches        (FpCountryItem    *self,
                                                  const char       *folded_query);

G_END_DECLS
