/* fp-flag-server-accept.c — the built-in server's connections: accepted here, one request each to libsoup
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <libsoup/soup.h>

#include "fp-flag-server-private.h"
#include "fp-served-connection.h"

/*
 * Connections are accepted here, not by libsoup, and handed to the
 * SoupServer one request at a time (see fp-served-connection.c for the
 * libsoup 3.2.3 leak this avoids). Accepting here also means running out
 * of descriptors is survived: libsoup's own listener stops accepting for
 * good after one failed accept(), this one answers 503 to the
 * connections it cannot take, using a descriptor kept in reserve for
 * that, and goes on accepting once descriptors are free again.
 */

/* The most connections taken per wakeup, so a flood of clients never
 * starves the answers of those already accepted. */
#define ACCEPTS_PER_WAKEUP 64
/* When not even the reserve descriptor can be had, accepting pauses this long. */
#define ACCEPT_RETRY_MS 100

static void seat_connection (FpFlagServer *self,
                             GIOStream    *base);

/* Whether libsoup itself would have kept the connection after @msg
 * (soup_server_message_is_keepalive() is private): HTTP/1.1, no
 * "Connection: close" either way, a body with a known end. */
static gboolean
message_keeps_alive (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  return soup_server_message_get_http_version (msg) == SOUP_HTTP_1_1 &&
         !soup_message_headers_header_contains (request, "Connection", "close") &&
         !soup_message_headers_header_contains (response, "Connection", "close") &&
         soup_message_headers_get_encoding (response) != SOUP_ENCODING_EOF;
}

static GQuark
served_connection_quark (void)
{
  return g_quark_from_static_string ("fp-served-connection");
}

/* Emitted inside soup_server_accept_iostream() for the connection's first
 * (and, here, only) message: that ties the message to its connection. */
static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    FpFlagServer      *self)
{
  if (self->accepting != NULL)
    g_object_set_qdata_full (G_OBJECT (msg), served_connection_quark (),
                             g_object_ref (self->accepting), g_object_unref);
}

/* A whole response went out ("request-aborted" is the other outcome). */
static void
request_completed_cb (SoupServer        *server,
                      SoupServerMessage *msg,
                      FpFlagServer      *self)
{
  FpServedConnection *connection = g_object_get_qdata (G_OBJECT (msg), served_connection_quark ());

  if (connection != NULL && !self->stopping && message_keeps_alive (msg))
    fp_served_connection_keep (connection);
}

typedef struct {
  FpFlagServer *self;
  GIOStream *base;
} Parked;

static void
source_destroy_and_unref (gpointer source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static gboolean
parked_ready_cb (gpointer user_data)
{
  Parked *parked = user_data;
  g_autoptr(GIOStream) base = g_steal_pointer (&parked->base);

  g_hash_table_remove (parked->self->parked, g_main_current_source ());
  seat_connection (parked->self, base);
  return G_SOURCE_REMOVE;
}

static void
parked_free (gpointer user_data)
{
  Parked *parked = user_data;

  if (parked->base != NULL)
    g_io_stream_close (parked->base, NULL, NULL);
  g_clear_object (&parked->base);
  g_free (parked);
}

/* libsoup is done with a connection that stays open: it is handed back on
 * the next iteration, outside libsoup's own disconnect. */
static void
connection_kept_cb (GIOStream *base,
                    gpointer   user_data)
{
  FpFlagServer *self = user_data;
  Parked *parked = g_new0 (Parked, 1);
  GSource *source = g_idle_source_new ();

  parked->self = self;
  parked->base = g_object_ref (base);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, parked_ready_cb, parked, parked_free);
  g_source_set_static_name (source, "[flagpole] kept connection");
  g_hash_table_add (self->parked, source);
  g_source_attach (source, self->context);
}

/* Gives libsoup a connection whose first message waits for a request. */
static void
seat_connection (FpFlagServer *self,
                 GIOStream    *base)
{
  GSocketConnection *socket_connection = G_SOCKET_CONNECTION (base);
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (socket_connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (socket_connection, NULL);
  g_autoptr(FpServedConnection) connection = NULL;

  /* A client that already hung up has no remote address. */
  if (local == NULL || remote == NULL || self->stopping)
    {
      g_io_stream_close (base, NULL, NULL);
      return;
    }

  connection = fp_served_connection_new (base, connection_kept_cb, self);
  self->accepting = connection;
  soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, NULL);
  self->accepting = NULL;
}

static const char refusal[] =
  "HTTP/1.1 503 Service Unavailable\r\n"
  "Connection: close\r\n"
  "Retry-After: 1\r\n"
  "Content-Type: text/plain\r\n"
  "Content-Length: 41\r\n"
  "\r\n"
  "Too many connections: try again shortly.\n";

/* Throws away whatever the client sent so far, so that closing does not
 * turn into a reset that would hide the answer. */
static void
drain (int fd)
{
  char buffer[4096];

  while (recv (fd, buffer, sizeof buffer, MSG_DONTWAIT) > 0)
    ;
}

static gboolean accept_ready_cb (GSocket      *socket,
                                 GIOCondition  condition,
                                 gpointer      user_data);

static void
watch_listen_socket (FpFlagServer *self)
{
  g_assert (self->accept_source == NULL);
  self->accept_source = g_socket_create_source (self->listen_socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, G_SOURCE_FUNC (accept_ready_cb), self, NULL);
  g_source_set_static_name (self->accept_source, "[flagpole] accept");
  g_source_attach (self->accept_source, self->context);
}

static gboolean
accept_retry_cb (gpointer user_data)
{
  FpFlagServer *self = user_data;

  g_clear_pointer (&self->accept_retry_source, g_source_unref);
  if (self->reserve_fd < 0)
    self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  watch_listen_socket (self);
  return G_SOURCE_REMOVE;
}

/* Stops watching the socket for a while: nothing could be done with a
 * connection now, and the waiting ones would wake this thread in a loop. */
static void
pause_accepting (FpFlagServer *self)
{
  if (self->accept_source != NULL)
    {
      g_source_destroy (self->accept_source);
      g_clear_pointer (&self->accept_source, g_source_unref);
    }
  if (self->accept_retry_source == NULL)
    {
      self->accept_retry_source = g_timeout_source_new (ACCEPT_RETRY_MS);
      g_source_set_callback (self->accept_retry_source, accept_retry_cb, self, NULL);
      g_source_set_static_name (self->accept_retry_source, "[flagpole] accept again");
      g_source_attach (self->accept_retry_source, self->context);
    }
}

/* Out of descriptors: the reserve one is freed to take the next waiting
 * connection, answer it 503 and close it, then taken again. Returns
 * whether accepting may go on. */
static gboolean
refuse_one (FpFlagServer *self)
{
  int fd;

  if (self->reserve_fd >= 0)
    {
      close (self->reserve_fd);
      self->reserve_fd = -1;
    }
  fd = accept4 (g_socket_get_fd (self->listen_socket), NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd >= 0)
    {
      drain (fd);
      if (send (fd, refusal, sizeof refusal - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
        g_debug ("Could not refuse a connection: %s", g_strerror (errno));
      shutdown (fd, SHUT_WR);
      drain (fd);
      close (fd);
      g_atomic_int_inc (&self->refused_count);
    }
  self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || self->reserve_fd < 0)
    {
      pause_accepting (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
accept_ready_cb (GSocket      *socket,
                 GIOCondition  condition,
                 gpointer      user_data)
{
  FpFlagServer *self = user_data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) client = g_socket_accept (self->listen_socket, NULL, &error);
      g_autoptr(GSocketConnection) connection = NULL;

      if (client == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            break;
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_OPEN_FILES))
            {
              if (!refuse_one (self))
                return G_SOURCE_REMOVE;
              continue;
            }
          /* A client that gave up while waiting (ECONNABORTED) and the like. */
          g_debug ("accept() failed: %s", error->message);
          continue;
        }

      g_atomic_int_inc (&self->connection_count);
      g_socket_set_option (client, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
      g_mutex_lock (&self->settings_lock);
      /* Idle connections are closed: the socket's sources fire and its
       * reads fail with G_IO_ERROR_TIMED_OUT after this long unused. */
      g_socket_set_timeout (client, self->idle_timeout);
      g_mutex_unlock (&self->settings_lock);
      connection = g_socket_connection_factory_create_connection (client);
      seat_connection (self, G_IO_STREAM (connection));
    }
  return G_SOURCE_CONTINUE;
}

/*
 * The listening socket has a backlog as deep as the largest batch:
 * GLib's default of 10 overflows when thirty clients connect at once,
 * the kernel drops their SYNs and they retry a second later — a stall
 * that has nothing to do with the latency being shown.
 */
GSocket *
_fp_flag_server_bind (guint    port,
                      GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, address, TRUE, error) ||
      !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
_fp_flag_server_listen (FpFlagServer  *self,
                        GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  if (self->adopted_fd >= 0)
    {
      int fd = self->adopted_fd;

      self->adopted_fd = -1;
      socket = g_socket_new_from_fd (fd, error);
      if (socket == NULL)
        {
          close (fd);
          return FALSE;
        }
      g_socket_set_blocking (socket, FALSE);
    }
  else
    socket = _fp_flag_server_bind (self->port, error);
  if (socket == NULL)
    return FALSE;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return FALSE;

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->listen_socket = g_steal_pointer (&socket);
  self->parked = g_hash_table_new_full (NULL, NULL, source_destroy_and_unref, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_completed_cb), self);
  self->reserve_fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  watch_listen_socket (self);
  return TRUE;
}

/* On the server thread, once its loop is over: stops accepting, drops the
 * kept connections and closes libsoup's, then the listening socket. */
void
_fp_flag_server_stop_accepting (FpFlagServer *self)
{
  self->stopping = TRUE;
  if (self->accept_source != NULL)
    g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  if (self->accept_retry_source != NULL)
    g_source_destroy (self->accept_retry_source);
  g_clear_pointer (&self->accept_retry_source, g_source_unref);
  g_clear_pointer (&self->parked, g_hash_table_unref);
  soup_server_disconnect (self->server);
  if (self->listen_socket != NULL)
    g_socket_close (self->listen_socket, NULL);
  g_clear_object (&self->listen_socket);
  if (self->reserve_fd >= 0)
    close (self->reserve_fd);
  self->reserve_fd = -1;
}
