/* fp-flag-server.h — the built-in flag server: the book's slow_server.py on libsoup
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FP_TYPE_FLAG_SERVER (fp_flag_server_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagServer, fp_flag_server, FP, FLAG_SERVER, GObject)

FpFlagServer *fp_flag_server_new               (const char   *flags_dir);

gboolean      fp_flag_server_start             (FpFlagServer *self,
                                                guint         port,
                                                GError      **error);
gboolean      fp_flag_server_start_on_socket   (FpFlagServer *self,
                                                int           listen_fd,
                                                GError      **error);
gboolean      fp_flag_server_start_in_child    (FpFlagServer *self,
                                                GError      **error);
gboolean      fp_flag_server_get_in_child      (FpFlagServer *self);
gboolean      fp_flag_server_get_serving       (FpFlagServer *self);
void          fp_flag_server_stop              (FpFlagServer *self);

const char   *fp_flag_server_get_base_url      (FpFlagServer *self);
guint         fp_flag_server_get_port          (FpFlagServer *self);

/* Thread-safe: they apply to the requests that arrive after the call;
 * in a child, the settings are those it was started with. */
void          fp_flag_server_set_delay         (FpFlagServer *self,
                                                double        min_s,
                                                double        max_s);
void          fp_flag_server_set_error_rate    (FpFlagServer *self,
                                                double        error_rate);

/* @seconds: how long a connection may be idle between requests (default 30) */
void          fp_flag_server_set_idle_timeout  (FpFlagServer *self,
                                                guint         seconds);

/* The counters of a server in this process; a child's read 0. */
guint         fp_flag_server_get_request_count (FpFlagServer *self);
/* Connections accepted, and those refused with 503 for want of descriptors. */
guint         fp_flag_server_get_connection_count (FpFlagServer *self);
guint         fp_flag_server_get_refused_count (FpFlagServer *self);
guint         fp_flag_server_get_in_flight     (FpFlagServer *self);
guint         fp_flag_server_get_peak_in_flight (FpFlagServer *self);
void          fp_flag_server_reset_counters    (FpFlagServer *self);

G_END_DECLS
