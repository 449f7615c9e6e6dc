/* fp-country-row.h — the widget of one row in the country list
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-country-item.h"

G_BEGIN_DECLS

#define FP_TYPE_COUNTRY_ROW (fp_country_row_get_type ())
G_DECLARE_FINAL_TYPE (FpCountryRow, fp_country_row, FP, COUNTRY_ROW, GtkWidget)

GtkWidget     *fp_country_row_new      (void);
FpCountryItem *fp_country_row_get_item (FpCountryRow  *self);
void           fp_country_row_set_item (FpCountryRow  *self,
                                        FpCountryItem *item);

G_END_DECLS
