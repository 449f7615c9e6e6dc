/* fp-retry-policy.h — when a failed request is tried again, and how long to wait first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

/* The first back-off, doubled after each try, and the longest wait of all,
 * a Retry-After header's included. */
#define FP_RETRY_FIRST_DELAY_S 1.0
#define FP_RETRY_MAX_DELAY_S   10.0
#define FP_MAX_RETRIES         10

#define FP_TYPE_RETRY_POLICY (fp_retry_policy_get_type ())
G_DECLARE_FINAL_TYPE (FpRetryPolicy, fp_retry_policy, FP, RETRY_POLICY, GObject)

FpRetryPolicy *fp_retry_policy_new                 (guint          max_retries);

guint          fp_retry_policy_get_max_retries     (FpRetryPolicy *self);
double         fp_retry_policy_get_first_delay     (FpRetryPolicy *self);
void           fp_retry_policy_set_first_delay     (FpRetryPolicy *self,
                                                    double         seconds);
double         fp_retry_policy_get_max_delay       (FpRetryPolicy *self);
void           fp_retry_policy_set_max_delay       (FpRetryPolicy *self,
                                                    double         seconds);
void           fp_retry_policy_set_retry_status    (FpRetryPolicy *self,
                                                    guint          http_status,
                                                    gboolean       retry);

gboolean       fp_retry_policy_is_transient        (FpRetryPolicy *self,
                                                    const GError  *error,
                                                    gboolean       timed_out,
                                                    guint          http_status);
gboolean       fp_retry_policy_is_transient_failure (FpRetryPolicy *self,
                                                    FpDownloadError code,
                                                    guint          http_status);
gboolean       fp_retry_policy_should_retry        (FpRetryPolicy *self,
                                                    guint          tries_done,
                                                    gboolean       transient);
gint64         fp_retry_policy_get_delay_us        (FpRetryPolicy *self,
                                                    guint          tries_done,
                                                    double         retry_after_s);
gboolean       fp_retry_policy_wait                (FpRetryPolicy *self,
                                                    gint64         delay_us,
                                                    GCancellable  *cancellable);

double         fp_retry_parse_retry_after          (const char    *value,
                                                    GDateTime     *now);

G_END_DECLS
