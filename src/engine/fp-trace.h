/* fp-trace.h — a batch's timeline as Chrome trace-event JSON, which Perfetto and chrome://tracing open
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

/* Track numbers (tid) of the disk workers: 1001, 1002…, after the c slots. */
#define FP_TRACE_STORE_TID_BASE 1000
/* The track of downloads cancelled before a worker took them. */
#define FP_TRACE_NOT_STARTED_TID 0

JsonNode *fp_trace_build       (GPtrArray          *results,
                                guint               n_slots,
                                FpDownloadStrategy  strategy,
                                double              elapsed_s);
char     *fp_trace_to_string   (GPtrArray          *results,
                                guint               n_slots,
                                FpDownloadStrategy  strategy,
                                double              elapsed_s);
gboolean  fp_trace_write_file  (GPtrArray          *results,
                                guint               n_slots,
                                FpDownloadStrategy  strategy,
                                double              elapsed_s,
                                GFile              *file,
                                GCancellable       *cancellable,
                                GError            **error);

G_END_DECLS
