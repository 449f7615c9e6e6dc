/* fp-comparison.h — the same selection one at a time and at a series of concurrencies, with every strategy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fp-download-batch.h"
#include "fp-run-record.h"

G_BEGIN_DECLS

/* The default series: the book's table, and past it. */
#define FP_COMPARISON_DEFAULT_CONCURRENCIES "1,2,5,10,20,50,100"

#define FP_TYPE_COMPARISON (fp_comparison_get_type ())
G_DECLARE_FINAL_TYPE (FpComparison, fp_comparison, FP, COMPARISON, GObject)

FpComparison    *fp_comparison_new                 (const char * const *codes,
                                                    const char         *base_url,
                                                    const char         *extension,
                                                    GFile              *destination);

gboolean         fp_comparison_parse_concurrencies (const char         *list,
                                                    GArray            **concurrencies,
                                                    GError            **error);
gboolean         fp_comparison_parse_strategies    (const char         *list,
                                                    GArray            **strategies,
                                                    GError            **error);
GArray          *fp_comparison_dup_all_strategies  (void);

void             fp_comparison_set_concurrencies   (FpComparison       *self,
                                                    GArray             *concurrencies);
GArray          *fp_comparison_get_concurrencies   (FpComparison       *self);
void             fp_comparison_set_strategies      (FpComparison       *self,
                                                    GArray             *strategies);
GArray          *fp_comparison_get_strategies      (FpComparison       *self);
void             fp_comparison_set_timeout         (FpComparison       *self,
                                                    double              timeout_s);
void             fp_comparison_set_source          (FpComparison       *self,
                                                    const char         *source,
                                                    double              delay_min_s,
                                                    double              delay_max_s,
                                                    double              error_rate);
guint            fp_comparison_get_n_codes         (FpComparison       *self);
guint            fp_comparison_get_n_runs          (FpComparison       *self);
guint            fp_comparison_get_n_done          (FpComparison       *self);
FpDownloadBatch *fp_comparison_get_batch           (FpComparison       *self);
gboolean         fp_comparison_get_running         (FpComparison       *self);
GPtrArray       *fp_comparison_get_records         (FpComparison       *self);
const char      *fp_comparison_get_id              (FpComparison       *self);

double           fp_comparison_get_ideal           (FpComparison       *self,
                                                    guint               workers);
double           fp_comparison_get_sequential_time (FpComparison       *self);

void             fp_comparison_run_async           (FpComparison       *self,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean         fp_comparison_run_finish          (FpComparison       *self,
                                                    GAsyncResult       *result,
                                                    GError            **error);
void             fp_comparison_cancel              (FpComparison       *self);

JsonNode        *fp_comparison_to_json             (FpComparison       *self);
char            *fp_comparison_format_table        (FpComparison       *self);

G_END_DECLS
