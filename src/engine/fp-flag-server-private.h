/* fp-flag-server-private.h — what fp-flag-server.c and fp-flag-server-accept.c share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "fp-flag-server.h"
#include "fp-served-connection.h"

G_BEGIN_DECLS

/* How long a connection may sit idle between requests before it is closed. */
#define DEFAULT_IDLE_TIMEOUT_S 30

struct _FpFlagServer
{
  GObject parent_instance;

  char *flags_dir;
  char *real_root;            /* flags_dir with every symlink resolved */
  char *base_url;
  guint port;
  int adopted_fd;             /* a listening socket to serve on instead of binding one, or -1 */

  /* Serving in a process of its own (fp-flag-server-child.c) instead. */
  GSubprocess *child;
  gboolean child_gone;        /* it ended on its own: killed, or it crashed */

  /* Owned by the server thread once it runs. */
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  GHashTable *cache;          /* file path → GBytes */
  GRand *rand;
  GSocket *listen_socket;
  GSource *accept_source;
  GSource *accept_retry_source;
  GHashTable *parked;         /* GSource → nothing: kept connections waiting to be handed back */
  FpServedConnection *accepting;
  int reserve_fd;
  gboolean stopping;

  /* Start-up handshake between start() and the server thread. */
  GMutex start_lock;
  GCond start_cond;
  gboolean start_done;
  GError *start_error;

  /* Settings, changed from any thread. */
  GMutex settings_lock;
  double min_delay;
  double max_delay;
  double error_rate;
  guint idle_timeout;

  /* Counters, read from any thread. */
  int connection_count;
  int refused_count;
  int request_count;
  int in_flight;
  int peak_in_flight;
};

GSocket *_fp_flag_server_bind            (guint          port,
                                         GError       **error);
gboolean _fp_flag_server_listen          (FpFlagServer  *self,
                                         GError       **error);
void     _fp_flag_server_stop_accepting (FpFlagServer  *self);
void     _fp_flag_server_stop_child     (FpFlagServer  *self);

G_END_DECLS
