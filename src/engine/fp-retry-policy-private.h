/* fp-retry-policy-private.h — test-only hooks of the retry policy: a clock that does not wait
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-retry-policy.h"

G_BEGIN_DECLS

/*
 * Called instead of waiting for real: receives the wait the policy chose,
 * returns FALSE when the wait was cut short by @cancellable. May be called
 * from any worker thread at once.
 */
typedef gboolean (*FpRetrySleepFunc) (gint64        delay_us,
                                      GCancellable *cancellable,
                                      gpointer      user_data);

void fp_retry_policy_set_sleep_func (FpRetryPolicy    *self,
                                     FpRetrySleepFunc  func,
                                     gpointer          user_data);

G_END_DECLS
