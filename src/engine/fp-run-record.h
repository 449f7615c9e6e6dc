/* fp-run-record.h — one batch that ran: its settings, counts, elapsed time and timeline, kept in the history
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fp-download-batch.h"
#include "fp-run.h"
#include "fp-source.h"

G_BEGIN_DECLS

#define FP_TYPE_RUN_RECORD (fp_run_record_get_type ())
G_DECLARE_FINAL_TYPE (FpRunRecord, fp_run_record, FP, RUN_RECORD, GObject)

FpRunRecord        *fp_run_record_new_from_batch   (FpDownloadBatch *batch,
                                                    const char      *source,
                                                    double           delay_min_s,
                                                    double           delay_max_s,
                                                    double           error_rate);
FpRunRecord        *fp_run_record_new_from_config  (FpBatchConfig   *config,
                                                    FpDownloadBatch *batch);
FpRunRecord        *fp_run_record_new_from_run     (FpRun           *run);
char               *fp_run_record_dup_source_id    (FpSource        *source);
FpRunRecord        *fp_run_record_new_from_json    (JsonNode        *node,
                                                    GError         **error);
JsonNode           *fp_run_record_to_json          (FpRunRecord     *self,
                                                    gboolean         with_results);

const char         *fp_run_record_get_id           (FpRunRecord     *self);
GDateTime          *fp_run_record_get_when         (FpRunRecord     *self);
const char * const *fp_run_record_get_codes        (FpRunRecord     *self);
const char         *fp_run_record_get_source       (FpRunRecord     *self);
const char         *fp_run_record_get_base_url     (FpRunRecord     *self);
double              fp_run_record_get_delay_min    (FpRunRecord     *self);
double              fp_run_record_get_delay_max    (FpRunRecord     *self);
double              fp_run_record_get_error_rate   (FpRunRecord     *self);
FpDownloadStrategy  fp_run_record_get_strategy     (FpRunRecord     *self);
const char         *fp_run_record_get_strategy_name (FpRunRecord    *self);
guint               fp_run_record_get_concurrency  (FpRunRecord     *self);
guint               fp_run_record_get_workers      (FpRunRecord     *self);
guint               fp_run_record_get_n_requested  (FpRunRecord     *self);
guint               fp_run_record_get_n_ok         (FpRunRecord     *self);
guint               fp_run_record_get_n_not_found  (FpRunRecord     *self);
guint               fp_run_record_get_n_error      (FpRunRecord     *self);
guint               fp_run_record_get_n_cancelled  (FpRunRecord     *self);
double              fp_run_record_get_elapsed      (FpRunRecord     *self);
gboolean            fp_run_record_get_complete     (FpRunRecord     *self);
GPtrArray          *fp_run_record_get_results      (FpRunRecord     *self);
gboolean            fp_run_record_get_detailed     (FpRunRecord     *self);
const char         *fp_run_record_get_comparison   (FpRunRecord     *self);
void                fp_run_record_set_comparison   (FpRunRecord     *self,
                                                    const char      *comparison);

char               *fp_run_record_dup_source_name  (FpRunRecord     *self);
gboolean            fp_run_record_is_same_work     (FpRunRecord     *self,
                                                    FpRunRecord     *other);
char               *fp_run_record_describe_speedup (FpRunRecord     *self,
                                                    FpRunRecord     *baseline);

G_END_DECLS
