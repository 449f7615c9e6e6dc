/* fp-flag-fetcher.h — the blocking work of one download: GET, check, save
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-flag-url.h"

#include "fp-download-result.h"
#include "fp-retry-policy.h"

G_BEGIN_DECLS

#define FP_TYPE_FLAG_FETCHER (fp_flag_fetcher_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagFetcher, fp_flag_fetcher, FP, FLAG_FETCHER, GObject)

FpFlagFetcher    *fp_flag_fetcher_new             (const char    *base_url,
                                                   const char    *extension,
                                                   GFile         *destination,
                                                   guint          max_connections,
                                                   double         timeout_s);

const char       *fp_flag_fetcher_get_base_url    (FpFlagFetcher *self);
const char       *fp_flag_fetcher_get_extension   (FpFlagFetcher *self);
GFile            *fp_flag_fetcher_get_destination (FpFlagFetcher *self);
double            fp_flag_fetcher_get_timeout     (FpFlagFetcher *self);
void              fp_flag_fetcher_set_retry_policy (FpFlagFetcher *self,
                                                   FpRetryPolicy *policy);
guint             fp_flag_fetcher_get_n_awaiting  (FpFlagFetcher *self);

char             *fp_flag_fetcher_build_url       (FpFlagFetcher *self,
                                                   const char    *code);

gboolean          fp_flag_fetcher_prepare_destination (FpFlagFetcher *self,
                                                   GError       **error);

FpDownloadResult *fp_flag_fetcher_receive         (FpFlagFetcher *self,
                                                   const char    *code,
                                                   GCancellable  *cancellable,
                                                   GBytes       **body,
                                                   GArray       **tries);
FpDownloadResult *fp_flag_fetcher_receive_timed   (FpFlagFetcher      *self,
                                                   const char         *code,
                                                   GCancellable       *cancellable,
                                                   GBytes            **body,
                                                   GArray            **tries,
                                                   FpDownloadTimeline *timeline);
FpDownloadResult *fp_flag_fetcher_store           (FpFlagFetcher *self,
                                                   const char    *code,
                                                   GBytes        *body,
                                                   GArray        *tries,
                                                   GCancellable  *cancellable);
GArray           *fp_flag_fetcher_new_tries       (void);
FpDownloadResult *fp_flag_fetcher_fetch           (FpFlagFetcher *self,
                                                   const char    *code,
                                                   GCancellable  *cancellable);

G_END_DECLS
