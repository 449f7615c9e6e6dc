/* fp-served-connection.c — one HTTP connection of the built-in server, as libsoup sees it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-served-connection"

#include "config.h"

#include "fp-served-connection.h"

/*
 * libsoup 3.2.3 never closes a kept-alive connection that the client
 * closes while it is idle: the message that waits for the next request
 * has no completion callback, so the end of the stream leaves the
 * socket in CLOSE-WAIT for the life of the server (fixed upstream in
 * 3.3). The first message of a connection does have one.
 *
 * So libsoup is given one request per connection: the built-in server
 * hands each accepted socket to soup_server_accept_iostream() wrapped in
 * this stream, and since that server has no listener of libsoup's own,
 * libsoup closes the stream after every response. When the response was
 * complete and both sides meant to keep the connection, the close is not
 * passed on: the socket connection goes back to the server, which hands
 * it to libsoup again as a new connection whose first message waits for
 * the next request. The client keeps its connection (reuse is intact),
 * and an end of stream always meets a message that closes the socket.
 *
 * The input and output streams are the base's own, so nothing is
 * buffered here.
 */

struct _FpServedConnection
{
  GIOStream parent_instance;

  GIOStream *base;
  FpServedConnectionKeptFunc kept_func;
  gpointer kept_data;
  gboolean keep;
};

G_DEFINE_FINAL_TYPE (FpServedConnection, fp_served_connection, G_TYPE_IO_STREAM)

static GInputStream *
fp_served_connection_get_input_stream (GIOStream *stream)
{
  return g_io_stream_get_input_stream (FP_SERVED_CONNECTION (stream)->base);
}

static GOutputStream *
fp_served_connection_get_output_stream (GIOStream *stream)
{
  return g_io_stream_get_output_stream (FP_SERVED_CONNECTION (stream)->base);
}

static gboolean
fp_served_connection_close (GIOStream     *stream,
                            GCancellable  *cancellable,
                            GError       **error)
{
  FpServedConnection *self = FP_SERVED_CONNECTION (stream);

  if (self->keep && self->kept_func != NULL && !g_io_stream_is_closed (self->base))
    {
      self->keep = FALSE;
      self->kept_func (self->base, self->kept_data);
      return TRUE;
    }
  return g_io_stream_close (self->base, cancellable, error);
}

static void
fp_served_connection_finalize (GObject *object)
{
  FpServedConnection *self = FP_SERVED_CONNECTION (object);

  g_clear_object (&self->base);
  G_OBJECT_CLASS (fp_served_connection_parent_class)->finalize (object);
}

static void
fp_served_connection_class_init (FpServedConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = fp_served_connection_finalize;
  stream_class->get_input_stream = fp_served_connection_get_input_stream;
  stream_class->get_output_stream = fp_served_connection_get_output_stream;
  stream_class->close_fn = fp_served_connection_close;
  /* The asynchronous close of GIOStream runs close_fn in a thread: libsoup
   * closes synchronously, and the kept function must run on the server
   * thread, so there is no close_async of our own. */
}

static void
fp_served_connection_init (FpServedConnection *self)
{
}

/**
 * fp_served_connection_new:
 * @base: an open socket connection
 * @kept_func: called instead of closing @base when libsoup closes a
 *   connection marked with fp_served_connection_keep()
 */
FpServedConnection *
fp_served_connection_new (GIOStream                  *base,
                          FpServedConnectionKeptFunc  kept_func,
                          gpointer                    user_data)
{
  FpServedConnection *self;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);

  self = g_object_new (FP_TYPE_SERVED_CONNECTION, NULL);
  self->base = g_object_ref (base);
  self->kept_func = kept_func;
  self->kept_data = user_data;
  return self;
}

/* The response just finished completely and neither side asked to close:
 * when libsoup closes this stream, the socket stays open. */
void
fp_served_connection_keep (FpServedConnection *self)
{
  g_return_if_fail (FP_IS_SERVED_CONNECTION (self));
  self->keep = TRUE;
}
