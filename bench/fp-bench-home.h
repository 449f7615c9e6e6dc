/* fp-bench-home.h — a benchmark process's own throwaway XDG data, cache and config folders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *fp_bench_home_new   (GError **error);
void  fp_bench_home_clear (char    *home);

G_END_DECLS
