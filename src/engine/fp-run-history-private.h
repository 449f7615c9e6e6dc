/* fp-run-history-private.h — what the history's two files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-run-history.h"

G_BEGIN_DECLS

/* fp-run-history.c */
gint64 _fp_run_history_id_time       (const char   *id);

/* fp-run-history-details.c */
void   _fp_run_history_write_details (GFile        *history_file,
                                      GPtrArray    *new_details,
                                      GCancellable *cancellable);
void   _fp_run_history_prune_details (GFile        *history_file,
                                      GPtrArray    *runs);

G_END_DECLS
