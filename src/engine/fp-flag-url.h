/* fp-flag-url.h — the names a flag has: its URL and its source's, and the partial files of its saving
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
gboolean  fp_url_is_loopback            (const char *url);
/* Whether @base_url is an absolute http or https URL with a host. */
gboolean  fp_source_url_is_valid        (const char  *base_url,
                                         GError     **error);

G_END_DECLS
