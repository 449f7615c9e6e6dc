/* fp-country-list.h — the window's country list: every code, presets, search, what is selected, the batch's statuses
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"
#include "fp-country-item.h"

G_BEGIN_DECLS

/**
 * FpCountryList:
 *
 * The model the window's list binds to. It holds one #FpCountryItem per
 * code AA–ZZ (the catalog's countries and the 427 codes none has), and
 * says which of them show: #FpCountryList:visible, a #GListModel the list
 * view takes as it is.
 *
 * What it decides: the selection (presets "top20", "all", "every",
 * "none", or "custom" once a row is changed by hand) and its count
 * #FpCountryList:n-selected; which rows show, from #FpCountryList:search-text,
 * #FpCountryList:selected-only and the "every" preset; and the statuses
 * of a batch's rows, by following an #FpRun (fp_country_list_follow_run()).
 *
 * Extending it: a status filter is one more property read in the filter
 * function of fp-country-list.c (filter_country()), changed with
 * gtk_filter_changed() like the others; counts by status are one more
 * property updated where fp_country_list_follow_run() sets a status.
 */
#define FP_TYPE_COUNTRY_LIST (fp_country_list_get_type ())
G_DECLARE_FINAL_TYPE (FpCountryList, fp_country_list, FP, COUNTRY_LIST, GObject)

FpCountryList  *fp_country_list_new                (void);

GListModel     *fp_country_list_get_items          (FpCountryList *self);
GListModel     *fp_country_list_get_visible        (FpCountryList *self);
FpCountryItem  *fp_country_list_lookup             (FpCountryList *self,
                                                    const char    *code);

gboolean        fp_country_list_select_preset      (FpCountryList *self,
                                                    const char    *preset);
const char     *fp_country_list_get_preset         (FpCountryList *self);
guint           fp_country_list_get_n_selected     (FpCountryList *self);
char          **fp_country_list_dup_selected_codes (FpCountryList *self);

void            fp_country_list_set_search_text    (FpCountryList *self,
                                                    const char    *text);
const char     *fp_country_list_get_search_text    (FpCountryList *self);
void            fp_country_list_set_selected_only  (FpCountryList *self,
                                                    gboolean       selected_only);
gboolean        fp_country_list_get_selected_only  (FpCountryList *self);

void            fp_country_list_follow_run         (FpCountryList *self,
                                                    FpRun         *run);

void            fp_country_list_follow_retry       (FpCountryList *self,
                                                    FpRun         *run);
void            fp_country_list_set_status_filter  (FpCountryList *self,
                                                    const char    *status_filter);
const char     *fp_country_list_get_status_filter  (FpCountryList *self);
guint           fp_country_list_get_n_downloaded   (FpCountryList *self);
guint           fp_country_list_get_n_not_found    (FpCountryList *self);
guint           fp_country_list_get_n_failed       (FpCountryList *self);
gboolean        fp_country_list_get_following      (FpCountryList *self);
char          **fp_country_list_dup_failed_codes   (FpCountryList *self);

G_END_DECLS
