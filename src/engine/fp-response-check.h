/* fp-response-check.h — what a flag server's answer means, for every strategy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

/* What to do with a response whose head has arrived. */
typedef enum {
  FP_RESPONSE_READ_BODY,
  FP_RESPONSE_REDIRECT,
  FP_RESPONSE_NOT_FOUND,
  FP_RESPONSE_FAILED,
} FpResponseVerdict;

FpResponseVerdict fp_response_check_head     (SoupMessage  *msg,
                                              gsize         max_body_size,
                                              GUri        **uri,
                                              guint        *redirects,
                                              char        **message,
                                              FpDownloadError *code,
                                              guint        *http_status);
gboolean          fp_response_check_size     (gsize         max_body_size,
                                              gsize         length,
                                              char        **message,
                                              FpDownloadError *code);
GByteArray       *fp_response_body_new       (gsize         expected);
guint8           *fp_response_body_reserve   (GByteArray   *body,
                                              gsize         expected,
                                              gsize        *want);
gboolean          fp_response_describe_failed_send (SoupMessage     *msg,
                                                    const GError    *error,
                                                    char           **message,
                                                    FpDownloadError *code);
gboolean          fp_response_check_complete (SoupMessage  *msg,
                                              gsize         length,
                                              char        **message,
                                              FpDownloadError *code);

G_END_DECLS
