/* fp-flag-url.h — the names a flag has: its URL, and the partial files of its saving
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @url without user name and password: for what is shown or stored. */
char     *fp_url_strip_credentials      (const char *url);
char     *fp_flag_url_build             (const char *base_url,
                                         const char *code,
                                         const char *extension);
void      fp_flag_url_sweep_stale_parts (const char *folder);

G_END_DECLS
