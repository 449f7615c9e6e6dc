/* fp-download-result.h — what became of one flag download (the future's value)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fp-download-timeline.h"
#include "fp-engine-types.h"

G_BEGIN_DECLS

/**
 * FpDownloadTry:
 * @started_us: when the request was sent, on the monotonic clock
 * @ended_us: when its answer (or its failure) was in
 * @http_status: the status of the answer, 0 when none came
 * @message: (nullable): why the try failed, for a person; %NULL for a
 *   try that got the flag or a 404
 * @wait_us: the back-off waited after it before the next try; 0 for the last
 *
 * One request of a download: a download retried after transient
 * failures has several, the last of which decided its outcome.
 */
typedef struct {
  gint64 started_us;
  gint64 ended_us;
  guint http_status;
  char *message;
  gint64 wait_us;
} FpDownloadTry;

#define FP_TYPE_DOWNLOAD_RESULT (fp_download_result_get_type ())
G_DECLARE_FINAL_TYPE (FpDownloadResult, fp_download_result, FP, DOWNLOAD_RESULT, GObject)

FpDownloadResult *fp_download_result_new          (const char        *code,
                                                   FpDownloadStatus   status,
                                                   const char        *message);
FpDownloadResult *fp_download_result_new_failed   (const char        *code,
                                                   FpDownloadError    error_code,
                                                   guint              http_status,
                                                   const char        *message);

const char       *fp_download_result_get_code     (FpDownloadResult *self);
FpDownloadStatus  fp_download_result_get_status   (FpDownloadResult *self);
const char       *fp_download_result_get_message  (FpDownloadResult *self);
const char       *fp_download_result_get_url      (FpDownloadResult *self);
const char       *fp_download_result_get_path     (FpDownloadResult *self);
gsize             fp_download_result_get_size     (FpDownloadResult *self);
int               fp_download_result_get_width    (FpDownloadResult *self);
int               fp_download_result_get_height   (FpDownloadResult *self);
double            fp_download_result_get_elapsed  (FpDownloadResult *self);
guint             fp_download_result_get_n_tries  (FpDownloadResult *self);
const FpDownloadTry *fp_download_result_get_try   (FpDownloadResult *self,
                                                   guint             index);
const GError     *fp_download_result_get_error    (FpDownloadResult *self);
guint             fp_download_result_get_http_status (FpDownloadResult *self);
const char       *fp_download_result_get_error_nick (FpDownloadResult *self);

/* Setters are for the worker that fills the result before returning it. */
void              fp_download_result_set_url      (FpDownloadResult *self,
                                                   const char       *url);
void              fp_download_result_set_saved    (FpDownloadResult *self,
                                                   const char       *path,
                                                   gsize             size,
                                                   int               width,
                                                   int               height);
void              fp_download_result_set_elapsed  (FpDownloadResult *self,
                                                   double            elapsed);
void              fp_download_result_add_try      (FpDownloadResult    *self,
                                                   const FpDownloadTry *attempt);

const FpDownloadTimeline *fp_download_result_get_timeline (FpDownloadResult *self);
void              fp_download_result_set_timeline (FpDownloadResult         *self,
                                                   const FpDownloadTimeline *timeline);
void              fp_download_result_finish_timeline (FpDownloadResult   *self,
                                                      FpDownloadTimeline *timeline);
void              fp_download_result_set_announced (FpDownloadResult *self,
                                                   gint64            announced);

G_END_DECLS
