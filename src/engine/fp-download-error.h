/* fp-download-error.h — the words and the code of a failed download, made in one place
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

char *fp_download_error_describe            (const GError    *error,
                                             gboolean         deadline_passed,
                                             double           timeout_s,
                                             FpDownloadError *code);
char *fp_download_error_describe_size_limit (gsize            limit);

G_END_DECLS
