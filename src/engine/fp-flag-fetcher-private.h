/* fp-flag-fetcher-private.h — what tests may change of a fetcher: its body size limit
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fp-flag-fetcher.h"

G_BEGIN_DECLS

/* Call before the first fetch; tests lower it to exercise the limit. */
void fp_flag_fetcher_set_max_body_size (FpFlagFetcher *self,
                                        gsize          max_body_size);

G_END_DECLS
