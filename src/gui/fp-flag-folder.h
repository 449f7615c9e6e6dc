/* fp-flag-folder.h — the flags already in a folder, listed off the main thread, oldest first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void       fp_flag_folder_list_async  (GFile               *folder,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
GPtrArray *fp_flag_folder_list_finish (GAsyncResult        *result,
                                       GError             **error);

G_END_DECLS
