/* fp-served-connection.h — one HTTP connection of the built-in server, as libsoup sees it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FP_TYPE_SERVED_CONNECTION (fp_served_connection_get_type ())
G_DECLARE_FINAL_TYPE (FpServedConnection, fp_served_connection, FP, SERVED_CONNECTION, GIOStream)

/* Called on the server thread when libsoup closes a connection that was
 * marked to be kept: @base is the still-open socket connection. */
typedef void (*FpServedConnectionKeptFunc) (GIOStream *base,
                                            gpointer   user_data);

FpServedConnection *fp_served_connection_new  (GIOStream                  *base,
                                               FpServedConnectionKeptFunc  kept_func,
                                               gpointer                    user_data);
void                fp_served_connection_keep (FpServedConnection         *self);

G_END_DECLS
