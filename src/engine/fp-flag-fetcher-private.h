/* fp-flag-fetcher-private.h — the fetcher's checks, shared with the other executors; its size limit, set by the worker process and tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "fp-engine-types.h"
#include "fp-flag-fetcher.h"

G_BEGIN_DECLS

/* Call before the first fetch; tests lower it to exercise the limit. */
void               fp_flag_fetcher_set_max_body_size   (FpFlagFetcher      *self,
                                                        gsize               max_body_size);

/* How one exchange with the server ended. */
typedef enum {
  FP_EXCHANGE_OK,
  FP_EXCHANGE_NOT_FOUND,
  FP_EXCHANGE_FAILED,
  FP_EXCHANGE_CANCELLED,
} FpExchangeOutcome;

SoupSession       *fp_flag_fetcher_new_session         (FpFlagFetcher      *self,
                                                        guint               max_connections);
SoupMessage       *fp_flag_fetcher_new_message         (FpFlagFetcher      *self,
                                                        GUri               *uri);
gsize              fp_flag_fetcher_get_max_body_size   (FpFlagFetcher      *self);
FpRetryPolicy     *fp_flag_fetcher_get_retry_policy    (FpFlagFetcher      *self);
/* Where flags are saved, as a path (fp-flag-fetcher-result.c saves them). */
const char        *fp_flag_fetcher_get_destination_path (FpFlagFetcher     *self);
FpDownloadResult  *fp_flag_fetcher_begin               (FpFlagFetcher      *self,
                                                        const char         *code,
                                                        GCancellable       *cancellable,
                                                        char              **url);
FpDownloadResult  *fp_flag_fetcher_conclude            (FpFlagFetcher      *self,
                                                        const char         *code,
                                                        const char         *url,
                                                        FpExchangeOutcome   outcome,
                                                        GBytes            **body,
                                                        const char         *message,
                                                        FpDownloadError     error_code,
                                                        guint               http_status,
                                                        const GError       *error,
                                                        gboolean            deadline_passed,
                                                        GCancellable       *cancellable);

G_END_DECLS
