/* fp-flag-server.c — the built-in flag server: the book's slow_server.py on libsoup
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-server"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fp-country-catalog.h"
#include "fp-engine-types.h"
#include "fp-executor.h"
#include "fp-flag-server.h"
#include "fp-flag-server-private.h"
#include "fp-image-check.h"

/*
 * Serves the book's layout, {base}/{cc}/{cc}.png and {base}/{cc}/metadata.json,
 * from Debian's flag images (or any folder), on 127.0.0.1.
 *
 * The SoupServer lives in a thread of its own with its own main context,
 * so that a window or a command line busy on its main thread never slows
 * the server it measures. Latency never blocks that thread: a delayed
 * request is paused and resumed by a timeout source, so a hundred
 * requests can wait at once — the point of a server that shows what
 * concurrency buys.
 *
 * Connections are accepted by fp-flag-server-accept.c, not by libsoup,
 * and handed to the SoupServer one request at a time: that avoids a
 * libsoup 3.2.3 socket leak and survives running out of descriptors.
 */

G_DEFINE_FINAL_TYPE (FpFlagServer, fp_flag_server, G_TYPE_OBJECT)

static void
fp_flag_server_dispose (GObject *object)
{
  fp_flag_server_stop (FP_FLAG_SERVER (object));
  G_OBJECT_CLASS (fp_flag_server_parent_class)->dispose (object);
}

static void
fp_flag_server_finalize (GObject *object)
{
  FpFlagServer *self = FP_FLAG_SERVER (object);

  g_clear_pointer (&self->flags_dir, g_free);
  g_clear_pointer (&self->real_root, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_error (&self->start_error);
  if (self->adopted_fd >= 0)
    close (self->adopted_fd);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);
  g_mutex_clear (&self->settings_lock);

  G_OBJECT_CLASS (fp_flag_server_parent_class)->finalize (object);
}

static void
fp_flag_server_class_init (FpFlagServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_flag_server_dispose;
  object_class->finalize = fp_flag_server_finalize;
}

static void
fp_flag_server_init (FpFlagServer *self)
{
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);
  g_mutex_init (&self->settings_lock);
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT_S;
  self->reserve_fd = -1;
  self->adopted_fd = -1;
}

/**
 * fp_flag_server_new:
 * @flags_dir: (nullable): the folder to serve: either flat (`{cc}.png`,
 *   Debian's iso-flags-png-320x240, the default) or the book's tree
 *   (`{cc}/{cc}.gif`, `{cc}/metadata.json`)
 */
FpFlagServer *
fp_flag_server_new (const char *flags_dir)
{
  FpFlagServer *self = g_object_new (FP_TYPE_FLAG_SERVER, NULL);

  self->flags_dir = g_strdup (flags_dir != NULL ? flags_dir : FLAGS_PNG_DIR);
  /* NULL when the folder does not exist: then nothing is found. */
  self->real_root = realpath (self->flags_dir, NULL);
  return self;
}

/* --- on the server thread ------------------------------------------------ */

/*
 * Reads a file of the served folder: only a regular file whose real path
 * is inside the folder's real path, so that a symlink (of the file or of
 * a folder on the way) never serves what lies outside. Opened without
 * following a last symlink, so that what was checked is what is read.
 */
static GBytes *
read_inside_tree (FpFlagServer *self,
                  const char   *path)
{
  g_autofree char *real = realpath (path, NULL);
  g_autoptr(GByteArray) contents = NULL;
  struct stat info;
  gsize root_length;
  int fd;

  if (real == NULL || self->real_root == NULL)
    return NULL;
  root_length = strlen (self->real_root);
  if (strncmp (real, self->real_root, root_length) != 0 ||
      (real[root_length] != '/' && !(root_length == 1 && self->real_root[0] == '/')))
    return NULL;

  fd = open (real, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return NULL;
  /* Flags are a few kilobytes; a file larger than any download is not one. */
  if (fstat (fd, &info) != 0 || !S_ISREG (info.st_mode) || info.st_size > FP_MAX_BODY_SIZE)
    {
      close (fd);
      return NULL;
    }
  contents = g_byte_array_sized_new ((guint) info.st_size);
  for (;;)
    {
      guint8 buffer[16384];
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 || contents->len + (gsize) n > FP_MAX_BODY_SIZE)
        {
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (contents, buffer, (guint) n);
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&contents));
}

/* @image: only bytes that are a PNG, GIF or JPEG are served under an image's name. */
#define SERVER_CACHE_FILES 16

static GBytes *
load_file (FpFlagServer *self,
           const char   *path,
           gboolean      image)
{
  GBytes *bytes = g_hash_table_lookup (self->cache, path);

  if (bytes != NULL)
    return g_bytes_ref (bytes);

  /* Flags are a few kilobytes each: not worth a thread. */
  bytes = read_inside_tree (self, path);
  if (bytes == NULL)
    return NULL;
  if (image && fp_image_sniff_extension (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) == NULL)
    {
      g_bytes_unref (bytes);
      return NULL;
    }

  /* A few are kept (a server short of descriptors can still answer
   * them), not all: a heap copy of all 249 was 5 MB of the window's
   * memory (the built-in server runs in its process), and the page cache
   * keeps the files anyway. */
  if (g_hash_table_size (self->cache) < SERVER_CACHE_FILES)
    g_hash_table_insert (self->cache, g_strdup (path), g_bytes_ref (bytes));
  return bytes;
}

static GBytes *
make_metadata (const char *cc)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  const char *country = fp_country_catalog_get_english_name (catalog, cc);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *upper = g_ascii_strup (cc, -1);
  g_autofree char *tld = NULL;
  char *json;

  if (country == NULL)
    return NULL;

  /* The United Kingdom's domain is the one exception to .{cc}. */
  tld = g_strdup_printf (".%s", g_str_equal (cc, "gb") ? "uk" : cc);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tld_cc");
  json_builder_add_string_value (builder, tld);
  json_builder_set_member_name (builder, "iso_cc");
  json_builder_add_string_value (builder, upper);
  json_builder_set_member_name (builder, "country");
  json_builder_add_string_value (builder, country);
  /* The book's FIPS code: iso-codes does not know it. */
  json_builder_set_member_name (builder, "gec_cc");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return g_bytes_new_take (json, strlen (json));
}

static const char *
content_type_for (GBytes     *bytes,
                  const char *name)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  const char *extension = fp_image_sniff_extension (data, length);

  if (g_strcmp0 (extension, "png") == 0)
    return "image/png";
  if (g_strcmp0 (extension, "gif") == 0)
    return "image/gif";
  if (g_strcmp0 (extension, "jpg") == 0)
    return "image/jpeg";
  if (g_str_has_suffix (name, ".json"))
    return "application/json";
  return "application/octet-stream";
}

/*
 * Finds what a path names. Only `/{cc}/{cc}.{ext}` and
 * `/{cc}/metadata.json` (below an optional `/flags`) name anything, so no
 * path can climb out of the folder.
 */
static GBytes *
resolve (FpFlagServer  *self,
         const char    *path,
         const char   **content_type)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *cc = NULL;
  const char *name;
  GBytes *bytes = NULL;

  if (g_str_has_prefix (path, "/flags/"))
    path += strlen ("/flags");

  parts = g_strsplit (path + 1, "/", -1);
  if (g_strv_length (parts) != 2 || !fp_country_code_is_valid (parts[0]))
    return NULL;

  cc = g_ascii_strdown (parts[0], -1);
  name = parts[1];

  if (g_str_equal (name, "metadata.json"))
    {
      g_autofree char *file = g_build_filename (self->flags_dir, cc, name, NULL);

      bytes = load_file (self, file, FALSE);
      if (bytes == NULL)
        bytes = make_metadata (cc);
    }
  else
    {
      const char *extension = name + 2;

      if (strncmp (name, cc, 2) != 0 || extension[0] != '.' || extension[1] == '\0')
        return NULL;
      for (const char *c = extension + 1; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c))
          return NULL;

      {
        g_autofree char *in_tree = g_build_filename (self->flags_dir, cc, name, NULL);
        g_autofree char *flat = g_build_filename (self->flags_dir, name, NULL);

        bytes = load_file (self, in_tree, TRUE);
        /* Debian's flat folder also holds flags of places that are not
         * countries (eu, eo, zz…): the server knows only ISO 3166-1. */
        if (bytes == NULL && fp_country_catalog_lookup (fp_country_catalog_get_default (), cc) != NULL)
          bytes = load_file (self, flat, TRUE);
      }
    }

  if (bytes != NULL)
    *content_type = content_type_for (bytes, name);
  return bytes;
}

typedef struct {
  FpFlagServer *self;
  SoupServerMessage *msg;
} DelayedResponse;

static void
respond (FpFlagServer      *self,
         SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  const char *content_type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  double error_rate;

  g_mutex_lock (&self->settings_lock);
  error_rate = self->error_rate;
  g_mutex_unlock (&self->settings_lock);

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  /* The book's slow_server.py answers a share of requests like this. */
  if (error_rate > 0 && g_rand_double (self->rand) < error_rate)
    {
      soup_server_message_set_status (msg, 418, "I'm a Teapot");
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "I'm a teapot\n", strlen ("I'm a teapot\n"));
      return;
    }

  if (g_str_equal (path, "/") || g_str_equal (path, "/flags") || g_str_equal (path, "/flags/"))
    {
      static const char index[] = "Flagpole flag server: flags at /flags/{cc}/{cc}.png, "
                                  "metadata at /flags/{cc}/metadata.json\n";
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        index, strlen (index));
      return;
    }

  bytes = resolve (self, path, &content_type);
  if (bytes == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "Not found\n", strlen ("Not found\n"));
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  soup_message_body_append_bytes (body, bytes);
}

static gboolean
delayed_response_cb (gpointer user_data)
{
  DelayedResponse *delayed = user_data;

  respond (delayed->self, delayed->msg);
  soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static void
delayed_response_free (gpointer user_data)
{
  DelayedResponse *delayed = user_data;

  g_object_unref (delayed->msg);
  g_free (delayed);
}

static void
request_finished_cb (SoupServerMessage *msg,
                     FpFlagServer      *self)
{
  g_atomic_int_dec_and_test (&self->in_flight);
}

static void
handle_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  FpFlagServer *self = user_data;
  double min_delay, max_delay, delay;
  int in_flight, peak;

  g_atomic_int_inc (&self->request_count);
  in_flight = g_atomic_int_add (&self->in_flight, 1) + 1;
  do
    peak = g_atomic_int_get (&self->peak_in_flight);
  while (in_flight > peak &&
         !g_atomic_int_compare_and_exchange (&self->peak_in_flight, peak, in_flight));
  g_signal_connect (msg, "finished", G_CALLBACK (request_finished_cb), self);

  g_mutex_lock (&self->settings_lock);
  min_delay = self->min_delay;
  max_delay = self->max_delay;
  g_mutex_unlock (&self->settings_lock);

  delay = max_delay > min_delay ? g_rand_double_range (self->rand, min_delay, max_delay) : min_delay;
  if (delay <= 0)
    {
      respond (self, msg);
      return;
    }

  {
    DelayedResponse *delayed = g_new0 (DelayedResponse, 1);
    g_autoptr(GSource) source = g_timeout_source_new ((guint) (delay * 1000.0 + 0.5));

    delayed->self = self;
    delayed->msg = g_object_ref (msg);
    soup_server_message_pause (msg);
    g_source_set_callback (source, delayed_response_cb, delayed, delayed_response_free);
    g_source_set_static_name (source, "[flagpole] simulated latency");
    g_source_attach (source, self->context);
  }
}

static gpointer
server_thread_func (gpointer user_data)
{
  FpFlagServer *self = user_data;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (self->context);
  /* In a process with a window the built-in server stands in for a
   * remote one and should not take turns with a frame (it used a third of
   * a core during a batch without latency): a high nice value lets the
   * main thread have a core almost whenever it wants one (a weight of 36
   * against 1024), above the downloads' (nice 19): among a hundred workers
   * at its own weight the server would get a hundredth of what is left and
   * the batch would wait for it. A server of its own (flagpole-cli serve, the
   * CLI's batches) keeps its priority. A window's runs in a process of its
   * own when it can (fp-flag-server-child.c), at the same nice value. */
#ifdef __linux__
  if (fp_get_beside_window () && setpriority (PRIO_PROCESS, (id_t) gettid (), FP_WORKER_NICE) != 0)
    g_debug ("Cannot lower the built-in server's priority: %s", g_strerror (errno));
#endif

  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  self->rand = g_rand_new ();
  self->server = soup_server_new ("server-header", "Flagpole ", NULL);
  soup_server_add_handler (self->server, NULL, handle_request_cb, self, NULL);

  if (_fp_flag_server_listen (self, &error))
    self->base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", self->port);

  g_mutex_lock (&self->start_lock);
  if (error != NULL)
    {
      g_set_error (&self->start_error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_SERVER,
                   _("The built-in server cannot listen on port %u: %s"),
                   self->port, error->message);
    }
  self->start_done = TRUE;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  if (error == NULL)
    g_main_loop_run (self->loop);

  _fp_flag_server_stop_accepting (self);
  g_clear_object (&self->server);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* --- on the owner's thread ------------------------------------------------ */

/**
 * fp_flag_server_start:
 * @port: a port on 127.0.0.1, or 0 for any free one
 * @error: return location for a #GError
 *
 * Starts serving in a thread of its own; returns once the server listens.
 */
gboolean
fp_flag_server_start (FpFlagServer  *self,
                      guint          port,
                      GError       **error)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL && self->child == NULL, FALSE);

  /* Types used by both threads are registered here first: GLib 2.74 can
   * deadlock when two threads initialize related classes at once. */
  g_type_ensure (G_TYPE_TASK);
  g_type_ensure (SOUP_TYPE_SESSION);
  g_type_ensure (SOUP_TYPE_SERVER);

  self->port = port;
  self->start_done = FALSE;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("fp-flag-server", server_thread_func, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      fp_flag_server_stop (self);
      return FALSE;
    }

  g_debug ("Serving %s at %s", self->flags_dir, self->base_url);
  return TRUE;
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * fp_flag_server_start_on_socket:
 * @listen_fd: a TCP socket listening on 127.0.0.1: the server takes it
 * @error: return location for a #GError
 *
 * Starts serving on a socket made elsewhere, as fp_flag_server_start()
 * does on one of its own: the built-in server's process of its own
 * (flagpole-server) serves on the one its parent bound.
 */
gboolean
fp_flag_server_start_on_socket (FpFlagServer  *self,
                                int            listen_fd,
                                GError       **error)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), FALSE);
  g_return_val_if_fail (listen_fd >= 0, FALSE);

  self->adopted_fd = listen_fd;
  return fp_flag_server_start (self, 0, error);
}

/* Stops serving and waits for the server thread (a child is only told
 * to end); safe to call twice. */
void
fp_flag_server_stop (FpFlagServer *self)
{
  g_return_if_fail (FP_IS_FLAG_SERVER (self));

  _fp_flag_server_stop_child (self);
  if (self->thread == NULL)
    return;

  g_main_context_invoke (self->context, quit_loop_cb, self->loop);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/* Returns: (nullable): "http://127.0.0.1:{port}/flags" once started */
const char *
fp_flag_server_get_base_url (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), NULL);
  return self->base_url;
}

guint
fp_flag_server_get_port (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return self->port;
}

/**
 * fp_flag_server_set_delay:
 * @min_s: the shortest latency, in seconds
 * @max_s: the longest latency; each request waits a time drawn uniformly
 *   between the two
 */
void
fp_flag_server_set_delay (FpFlagServer *self,
                          double        min_s,
                          double        max_s)
{
  g_return_if_fail (FP_IS_FLAG_SERVER (self));
  g_return_if_fail (min_s >= 0);

  g_mutex_lock (&self->settings_lock);
  self->min_delay = min_s;
  self->max_delay = MAX (min_s, max_s);
  g_mutex_unlock (&self->settings_lock);
}

/* @error_rate: the share of requests, 0 to 1, answered 418 I'm a Teapot */
void
fp_flag_server_set_error_rate (FpFlagServer *self,
                               double        error_rate)
{
  g_return_if_fail (FP_IS_FLAG_SERVER (self));

  g_mutex_lock (&self->settings_lock);
  self->error_rate = CLAMP (error_rate, 0.0, 1.0);
  g_mutex_unlock (&self->settings_lock);
}

guint
fp_flag_server_get_request_count (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return (guint) g_atomic_int_get (&self->request_count);
}

/* Applies to the connections accepted after the call. */
void
fp_flag_server_set_idle_timeout (FpFlagServer *self,
                                 guint         seconds)
{
  g_return_if_fail (FP_IS_FLAG_SERVER (self));

  g_mutex_lock (&self->settings_lock);
  self->idle_timeout = seconds;
  g_mutex_unlock (&self->settings_lock);
}

guint
fp_flag_server_get_connection_count (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return (guint) g_atomic_int_get (&self->connection_count);
}

guint
fp_flag_server_get_refused_count (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return (guint) g_atomic_int_get (&self->refused_count);
}

guint
fp_flag_server_get_in_flight (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return (guint) MAX (0, g_atomic_int_get (&self->in_flight));
}

/* The most requests that were being answered at one time. */
guint
fp_flag_server_get_peak_in_flight (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), 0);
  return (guint) g_atomic_int_get (&self->peak_in_flight);
}

void
fp_flag_server_reset_counters (FpFlagServer *self)
{
  g_return_if_fail (FP_IS_FLAG_SERVER (self));
  g_atomic_int_set (&self->request_count, 0);
  g_atomic_int_set (&self->connection_count, 0);
  g_atomic_int_set (&self->refused_count, 0);
  g_atomic_int_set (&self->peak_in_flight, g_atomic_int_get (&self->in_flight));
}
