/* fp-download-result.h — what became of one flag download (the future's value)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fp-download-timeline.h"
#include "fp-engine-types.h"

G_BEGIN_DECLS

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

const FpDownloadTimeline *fp_download_result_get_timeline (FpDownloadResult *self);
void              fp_download_result_set_timeline (FpDownloadResult         *self,
                                                   const FpDownloadTimeline *timeline);
void              fp_download_result_set_announced (FpDownloadResult *self,
                                                   gint64            announced);

G_END_DECLS
