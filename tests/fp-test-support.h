/* fp-test-support.h — helpers shared by the tests: temporary folders, a fault-injecting server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh folder under the system's temporary folder; remove it with fp_test_remove_tree(). */
char *fp_test_make_temp_dir (void);
void  fp_test_remove_tree   (const char *path);

G_END_DECLS
