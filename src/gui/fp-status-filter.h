/* fp-status-filter.h — the country list's filter by outcome, with counts, and Retry Failed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-country-list.h"

G_BEGIN_DECLS

#define FP_TYPE_STATUS_FILTER (fp_status_filter_get_type ())
G_DECLARE_FINAL_TYPE (FpStatusFilter, fp_status_filter, FP, STATUS_FILTER, GtkWidget)

void           fp_status_filter_set_list (FpStatusFilter *self,
                                          FpCountryList  *list);
FpCountryList *fp_status_filter_get_list (FpStatusFilter *self);

G_END_DECLS
