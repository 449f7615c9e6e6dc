/* fp-download-batch.h — a batch of flag downloads, each a GTask on a thread pool
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-download-result.h"
#include "fp-engine-types.h"
#include "fp-retry-policy.h"

G_BEGIN_DECLS

#define FP_TYPE_DOWNLOAD_BATCH (fp_download_batch_get_type ())
G_DECLARE_FINAL_TYPE (FpDownloadBatch, fp_download_batch, FP, DOWNLOAD_BATCH, GObject)

FpDownloadBatch    *fp_download_batch_new              (const char * const *codes,
                                                        const char         *base_url,
                                                        const char         *extension,
                                                        GFile              *destination);

void                fp_download_batch_set_concurrency  (FpDownloadBatch    *self,
                                                        guint               concurrency);
guint               fp_download_batch_get_concurrency  (FpDownloadBatch    *self);
void                fp_download_batch_set_strategy     (FpDownloadBatch    *self,
                                                        FpDownloadStrategy  strategy);
FpDownloadStrategy  fp_download_batch_get_strategy     (FpDownloadBatch    *self);
void                fp_download_batch_set_order        (FpDownloadBatch    *self,
                                                        FpResultOrder       order);
FpResultOrder       fp_download_batch_get_order        (FpDownloadBatch    *self);
double              fp_download_batch_get_startup_time (FpDownloadBatch    *self);
void                fp_download_batch_set_timeout      (FpDownloadBatch    *self,
                                                        double              timeout_s);
double              fp_download_batch_get_timeout      (FpDownloadBatch    *self);
guint               fp_download_batch_get_workers      (FpDownloadBatch    *self);
void                fp_download_batch_set_retries      (FpDownloadBatch    *self,
                                                        guint               retries);
guint               fp_download_batch_get_retries      (FpDownloadBatch    *self);
void                fp_download_batch_set_retry_policy (FpDownloadBatch    *self,
                                                        FpRetryPolicy      *policy);
FpRetryPolicy      *fp_download_batch_get_retry_policy (FpDownloadBatch    *self);

const char * const *fp_download_batch_get_codes        (FpDownloadBatch    *self);
const char         *fp_download_batch_get_base_url     (FpDownloadBatch    *self);
GFile              *fp_download_batch_get_destination  (FpDownloadBatch    *self);

guint               fp_download_batch_get_n_total      (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_done       (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_ok         (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_not_found  (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_error      (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_retries    (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_in_flight  (FpDownloadBatch    *self);
guint               fp_download_batch_get_n_awaiting   (FpDownloadBatch    *self);
gboolean            fp_download_batch_get_cancelled    (FpDownloadBatch    *self);
gboolean            fp_download_batch_get_running      (FpDownloadBatch    *self);
gboolean            fp_download_batch_get_settled      (FpDownloadBatch    *self);
double              fp_download_batch_get_elapsed      (FpDownloadBatch    *self);
gint64              fp_download_batch_get_start_time   (FpDownloadBatch    *self);
gboolean            fp_download_batch_peek_slot        (FpDownloadBatch    *self,
                                                        guint               slot,
                                                        const char        **code,
                                                        gint64             *since_us);
double              fp_download_batch_get_rate         (FpDownloadBatch    *self);
double              fp_download_batch_get_seconds_left (FpDownloadBatch    *self);
GPtrArray          *fp_download_batch_get_results      (FpDownloadBatch    *self);

void                fp_download_batch_run_async        (FpDownloadBatch    *self,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean            fp_download_batch_run_finish       (FpDownloadBatch    *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);
void                fp_download_batch_cancel           (FpDownloadBatch    *self);

G_END_DECLS
