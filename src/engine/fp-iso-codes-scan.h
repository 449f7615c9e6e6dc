/* fp-iso-codes-scan.h — iso-codes' list of countries read in one pass, without a JSON tree
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One country of iso_3166-1.json: the members the catalog reads, each
 * %NULL when the entry has none. */
typedef struct {
  char *alpha_2;
  char *name;
  char *common_name;
} FpIsoCodesEntry;

void       fp_iso_codes_entry_free (FpIsoCodesEntry *entry);
GPtrArray *fp_iso_codes_scan       (const char      *text,
                                    gsize            length);

G_END_DECLS
