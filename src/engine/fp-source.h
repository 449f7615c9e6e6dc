/* fp-source.h — where a batch downloads from: the built-in server, the book's site, or a URL
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "fp-engine-types.h"

G_BEGIN_DECLS

#define FP_SOURCE_BUILTIN_EXTENSION "png"
#define FP_SOURCE_DEFAULT_EXTENSION "gif"

#define FP_TYPE_SOURCE (fp_source_get_type ())
G_DECLARE_FINAL_TYPE (FpSource, fp_source, FP, SOURCE, GObject)

FpSource     *fp_source_new_builtin        (void);
FpSource     *fp_source_new_remote         (const char  *extension);
FpSource     *fp_source_new_url            (const char  *url,
                                            const char  *extension,
                                            GError     **error);

FpSourceKind  fp_source_get_kind           (FpSource    *self);
const char   *fp_source_get_keyword        (FpSource    *self);
const char   *fp_source_get_base_url       (FpSource    *self);
const char   *fp_source_get_extension      (FpSource    *self);
char         *fp_source_dup_display_name   (FpSource    *self);
char         *fp_source_dup_key            (FpSource    *self);

gboolean      fp_source_extension_is_valid (const char  *extension);

G_END_DECLS
