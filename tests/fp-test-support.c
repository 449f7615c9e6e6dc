/* fp-test-support.c — helpers shared by the tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-test"

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <zlib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fp-test-support.h"

void
fp_test_keep_requests_local (void)
{
  const char *proxies[] = { "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY" };

  for (guint i = 0; i < G_N_ELEMENTS (proxies); i++)
    g_unsetenv (proxies[i]);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);
}

char *
fp_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("flagpole-test-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
fp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* A symbolic link goes, never what it points to: a link to a system
   * folder must not empty that folder. */
  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      fp_test_remove_tree (child);
    }
  g_rmdir (path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

char **
fp_test_list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  GPtrArray *names = g_ptr_array_new ();
  const char *name;

  /* g_dir_read_name() skips only "." and "..", so hidden temp files show. */
  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

void
fp_test_assert_dir_holds (const char *dir,
                          ...)
{
  g_auto(GStrv) names = fp_test_list_dir (dir);
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autofree char *seen = NULL;
  g_autofree char *wanted = NULL;
  const char *name;
  va_list args;

  va_start (args, dir);
  while ((name = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) name);
  va_end (args);
  g_ptr_array_sort (expected, compare_names);
  g_ptr_array_add (expected, NULL);

  /* Compare as strings so a failure prints both lists. */
  seen = g_strjoinv (" ", names);
  wanted = g_strjoinv (" ", (char **) expected->pdata);
  g_assert_cmpstr (seen, ==, wanted);
}

GBytes *
fp_test_load_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

GBytes *
fp_test_load_debian_flag (const char *code)
{
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *name = g_strconcat (lower, ".png", NULL);
  g_autofree char *path = g_build_filename (FLAGS_PNG_DIR, name, NULL);

  return fp_test_load_bytes (path);
}

GBytes *
fp_test_tiny_gif (void)
{
  /* The classic 43-byte transparent 1×1 GIF89a. */
  static const guint8 gif[] = {
    'G', 'I', 'F', '8', '9', 'a',
    0x01, 0x00, 0x01, 0x00,             /* logical screen 1×1 */
    0x80, 0x00, 0x00,                   /* global colour table of 2 entries */
    0x00, 0x00, 0x00, 0xff, 0xff, 0xff, /* black, white */
    0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, /* graphic control: transparent */
    0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, /* image 1×1 */
    0x02, 0x02, 0x44, 0x01, 0x00,       /* LZW data */
    0x3b,                               /* trailer */
  };

  return g_bytes_new_static (gif, sizeof gif);
}


static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, b, 4);
}

static void
append_png_chunk (GByteArray   *png,
                  const char   *type,
                  const guint8 *data,
                  gsize         length)
{
  guint32 crc = (guint32) crc32 (0L, Z_NULL, 0);

  append_be32 (png, (guint32) length);
  g_byte_array_append (png, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (png, data, (guint) length);
  crc = (guint32) crc32 (crc, (const Bytef *) type, 4);
  if (length > 0)
    crc = (guint32) crc32 (crc, data, (uInt) length);
  append_be32 (png, crc);
}

GBytes *
fp_test_png_with_image_data (GBytes       *png,
                             const guint8 *data,
                             gsize         length)
{
  gsize size;
  const guint8 *in = g_bytes_get_data (png, &size);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gboolean written = FALSE;
  gsize pos = 8;

  g_byte_array_append (out, in, 8);
  while (pos + 12 <= size)
    {
      guint32 chunk_length = ((guint32) in[pos] << 24) | ((guint32) in[pos + 1] << 16) |
                             ((guint32) in[pos + 2] << 8) | in[pos + 3];
      const char *type = (const char *) in + pos + 4;

      if (memcmp (type, "IDAT", 4) == 0)
        {
          if (!written)
            append_png_chunk (out, "IDAT", data, length);
          written = TRUE;
        }
      else
        g_byte_array_append (out, in + pos, 12 + chunk_length);
      pos += 12 + chunk_length;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* The concatenated IDAT data of a PNG. */
static GByteArray *
png_image_data (GBytes *png)
{
  gsize size;
  const guint8 *in = g_bytes_get_data (png, &size);
  GByteArray *data = g_byte_array_new ();

  for (gsize pos = 8; pos + 12 <= size;)
    {
      guint32 chunk_length = ((guint32) in[pos] << 24) | ((guint32) in[pos + 1] << 16) |
                             ((guint32) in[pos + 2] << 8) | in[pos + 3];

      if (memcmp (in + pos + 4, "IDAT", 4) == 0)
        g_byte_array_append (data, in + pos + 8, chunk_length);
      pos += 12 + chunk_length;
    }
  return data;
}

GBytes *
fp_test_corrupt_png (const char *code)
{
  g_autoptr(GBytes) good = fp_test_load_debian_flag (code);
  g_autoptr(GByteArray) data = png_image_data (good);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  /* The zlib header stays, the compressed stream after it is noise: every
   * chunk and CRC of the file is valid. */
  for (guint i = 2; i < data->len; i++)
    data->data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  return fp_test_png_with_image_data (good, data->data, data->len);
}

GBytes *
fp_test_huge_png (guint32 width,
                  guint32 height)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  guint8 ihdr[13] = { 0, };
  guint8 row[64] = { 0, };
  guint8 compressed[128];
  uLongf compressed_length = sizeof compressed;

  g_byte_array_append (png, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  ihdr[0] = width >> 24; ihdr[1] = width >> 16; ihdr[2] = width >> 8; ihdr[3] = width;
  ihdr[4] = height >> 24; ihdr[5] = height >> 16; ihdr[6] = height >> 8; ihdr[7] = height;
  ihdr[8] = 8;      /* bit depth */
  ihdr[9] = 6;      /* RGBA */
  append_png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  /* A few zero bytes, compressed: a real zlib stream, far too short. */
  g_assert_cmpint (compress (compressed, &compressed_length, row, sizeof row), ==, Z_OK);
  append_png_chunk (png, "IDAT", compressed, compressed_length);
  append_png_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

GBytes *
fp_test_make_gif (guint  screen_width,
                  guint  screen_height,
                  guint  frame_width,
                  guint  frame_height,
                  gsize  max_pixels_coded)
{
  g_autoptr(GByteArray) gif = g_byte_array_new ();
  g_autoptr(GByteArray) codes = g_byte_array_new ();
  guint8 header[13] = { 'G', 'I', 'F', '8', '9', 'a' };
  guint8 descriptor[10] = { 0x2C };
  guint64 pixels = MIN ((guint64) frame_width * frame_height, (guint64) max_pixels_coded);
  guint32 bits = 0;
  guint n_bits = 0;
  guint since_clear = 0;

  header[6] = screen_width & 0xff; header[7] = screen_width >> 8;
  header[8] = screen_height & 0xff; header[9] = screen_height >> 8;
  header[10] = 0x80;      /* a global table of 2 colours */
  g_byte_array_append (gif, header, sizeof header);
  g_byte_array_append (gif, (const guint8 *) "\x00\x9c\x3b\xff\xdf\x00", 6);
  descriptor[5] = frame_width & 0xff; descriptor[6] = frame_width >> 8;
  descriptor[7] = frame_height & 0xff; descriptor[8] = frame_height >> 8;
  g_byte_array_append (gif, descriptor, sizeof descriptor);

  /* The "uncompressed" LZW of GIF encoders without the patent: minimum
   * code size 2 (codes of 3 bits), one literal per code and a clear code
   * before the table would grow past 3 bits. */
#define PUT_CODE(code) G_STMT_START { \
    bits |= (guint32) (code) << n_bits; n_bits += 3; \
    while (n_bits >= 8) { guint8 byte = bits & 0xff; g_byte_array_append (codes, &byte, 1); bits >>= 8; n_bits -= 8; } \
  } G_STMT_END
  PUT_CODE (4);
  for (guint64 i = 0; i < pixels; i++)
    {
      if (since_clear == 2)
        {
          PUT_CODE (4);
          since_clear = 0;
        }
      PUT_CODE ((i / 7) % 2);
      since_clear++;
    }
  PUT_CODE (5);
  if (n_bits > 0)
    {
      guint8 byte = bits & 0xff;
      g_byte_array_append (codes, &byte, 1);
    }
#undef PUT_CODE

  g_byte_array_append (gif, (const guint8 *) "\x02", 1);
  for (guint i = 0; i < codes->len; i += 255)
    {
      guint8 size = MIN (255u, codes->len - i);

      g_byte_array_append (gif, &size, 1);
      g_byte_array_append (gif, codes->data + i, size);
    }
  g_byte_array_append (gif, (const guint8 *) "\x00\x3b", 2);
  return g_byte_array_free_to_bytes (g_steal_pointer (&gif));
}

void
fp_test_write_file (const char *path,
                    GBytes     *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_file_set_contents (path, data != NULL ? data : "", length, &error);
  g_assert_no_error (error);
}

void
fp_test_assert_file_bytes (const char *path,
                           GBytes     *expected)
{
  g_autoptr(GBytes) actual = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  actual = fp_test_load_bytes (path);
  g_assert_cmpuint (g_bytes_get_size (actual), ==, g_bytes_get_size (expected));
  g_assert_true (g_bytes_equal (actual, expected));
}

/* The parent of process @pid, from /proc/PID/stat; 0 if it is gone. */
static int
process_parent (int pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *after_name;
  int ppid = 0;

  if (!g_file_get_contents (stat_path, &contents, NULL, NULL))
    return 0;
  /* "pid (comm) state ppid …"; comm may hold spaces and parentheses. */
  after_name = strrchr (contents, ')');
  if (after_name == NULL || sscanf (after_name + 1, " %*c %d", &ppid) != 1)
    return 0;
  return ppid;
}

/*
 * The processes @generation levels below @ancestor (1: its children, 2:
 * their children), or at any level for 0. The process pool's workers are
 * the grandchildren of the program that runs it: their parent is the
 * fork server.
 */
GArray *
fp_test_list_descendants (int   ancestor,
                          guint generation)
{
  g_autoptr(GHashTable) depth = g_hash_table_new (NULL, NULL);
  g_autoptr(GArray) pids = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  GArray *found = g_array_new (FALSE, FALSE, sizeof (int));
  const char *name;
  gboolean grew = TRUE;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      int pid = atoi (name), ppid;

      if (pid > 0 && (ppid = process_parent (pid)) > 0)
        {
          g_array_append_val (pids, pid);
          g_array_append_val (parents, ppid);
        }
    }

  /* Levels are found from the ancestor down, a pass a level. */
  g_hash_table_insert (depth, GINT_TO_POINTER (ancestor), GUINT_TO_POINTER (1));
  while (grew)
    {
      grew = FALSE;
      for (guint i = 0; i < pids->len; i++)
        {
          gpointer pid = GINT_TO_POINTER (g_array_index (pids, int, i));
          guint parent_depth = GPOINTER_TO_UINT (g_hash_table_lookup (depth, GINT_TO_POINTER (g_array_index (parents, int, i))));

          if (parent_depth > 0 && !g_hash_table_contains (depth, pid))
            {
              g_hash_table_insert (depth, pid, GUINT_TO_POINTER (parent_depth + 1));
              grew = TRUE;
            }
        }
    }
  for (guint i = 0; i < pids->len; i++)
    {
      int pid = g_array_index (pids, int, i);
      guint level = GPOINTER_TO_UINT (g_hash_table_lookup (depth, GINT_TO_POINTER (pid)));

      if (pid != ancestor && level > 1 && (generation == 0 || level - 1 == generation))
        g_array_append_val (found, pid);
    }
  return found;
}

guint
fp_test_count_descendants (void)
{
  g_autoptr(GArray) pids = fp_test_list_descendants (getpid (), 0);

  return pids->len;
}

guint
fp_test_get_closed_port (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  /* Bound but never listening: a connection is refused at once. */
  g_socket_close (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

void
fp_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
fp_test_wait_for_result (GAsyncResult **slot)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  while (*slot == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_unref (context);
  return g_steal_pointer (slot);
}

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
fp_test_iterate_until (FpTestConditionFunc  condition,
                       gpointer             user_data,
                       guint                timeout_s,
                       const char          *what)
{
  GMainContext *context = g_main_context_ref_thread_default ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  GSource *wake_up = g_timeout_source_new (50);

  /* The timer only wakes a blocking iteration so the deadline is seen. */
  g_source_set_callback (wake_up, wake_up_cb, NULL, NULL);
  g_source_attach (wake_up, context);

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Still waiting for %s after %u s", what, timeout_s);
      g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (wake_up);
  g_source_unref (wake_up);
  g_main_context_unref (context);
}

static gboolean
held_by_caller_alone (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1;
}

void
fp_test_wait_for_workers (gpointer object)
{
  fp_test_iterate_until (held_by_caller_alone, object, 60, "the workers to let the batch go");
}

static gboolean
batch_settled (gpointer batch)
{
  return fp_download_batch_get_settled (batch);
}

void
fp_test_wait_until_settled (FpDownloadBatch *batch)
{
  fp_test_iterate_until (batch_settled, batch, 60, "the batch to settle");
}

static gboolean
no_descendants_left (gpointer user_data)
{
  return fp_test_count_descendants () == 0;
}

void
fp_test_wait_for_processes_to_end (FpDownloadBatch *batch)
{
  fp_test_wait_for_workers (batch);
  fp_test_iterate_until (no_descendants_left, NULL, 60, "the worker processes to end");
}

void
fp_test_folder_fixture_set_up (FpTestFolderFixture *f,
                               gconstpointer        data)
{
  f->server = fp_test_server_new ();
  f->root = fp_test_make_temp_dir ();
  f->dest = g_build_filename (f->root, "flags", NULL);
  f->dest_file = g_file_new_for_path (f->dest);
}

void
fp_test_folder_fixture_tear_down (FpTestFolderFixture *f,
                                  gconstpointer        data)
{
  g_clear_pointer (&f->server, fp_test_server_free);
  fp_test_remove_tree (f->root);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->dest, g_free);
  g_clear_object (&f->dest_file);
}

/* The fault-injecting server. */

#define HUGE_BODY_SIZE (11 * 1024 * 1024)
#define MAX_REQUEST_HEAD 16384
#define STALL_LIMIT_US (60 * G_USEC_PER_SEC)

struct _FpTestServer
{
  GSocketListener *listener;
  guint port;
  GCancellable *cancellable;   /* cancelled by fp_test_server_free(): ends stalls and writes */
  GCancellable *accept_cancellable; /* cancelled on the accept thread, ends the accept loop */
  GThread *accept_thread;
  GMainContext *context;
  GMainLoop *loop;

  GMutex lock;                 /* guards everything below */
  GPtrArray *handlers;         /* GThread *, joined on free */
  GHashTable *code_faults;     /* lower-case code → fault */
  GHashTable *flaky_counts;    /* "fault/cc" → requests answered with the fault so far */
  GPtrArray *paths;            /* char *, request paths in arrival order */
  guint in_flight;             /* requests read and not yet answered in full */
  guint peak_in_flight;
  GCond gate_opened;           /* signalled when the gate opens */
  guint gate;                  /* answers wait until this many requests arrived; 0: no gate */
  guint gate_arrived;          /* requests that arrived since the gate was set */
  gboolean gate_timed_out;     /* the gate opened on its deadline, not on arrivals */
};

/* A bound against a client that never sends what the test expects, so a
 * broken build fails instead of hanging: not a speed check. */
#define GATE_TIMEOUT_S 60

typedef struct {
  FpTestServer *server;
  GSocketConnection *connection;
} Connection;

static gboolean
read_request_path (GSocketConnection  *connection,
                   GCancellable       *cancellable,
                   char              **path)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) head = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  const char *end_of_line;

  /* Byte by byte, so nothing past the request head is consumed (GET has no body). */
  while (strstr (head->str, "\r\n\r\n") == NULL)
    {
      char c;

      if (head->len >= MAX_REQUEST_HEAD ||
          g_input_stream_read (in, &c, 1, cancellable, NULL) != 1)
        return FALSE;
      g_string_append_c (head, c);
    }

  end_of_line = strstr (head->str, "\r\n");
  g_string_truncate (head, end_of_line - head->str);
  words = g_strsplit (head->str, " ", 3);
  if (g_strv_length (words) != 3 || !g_str_equal (words[0], "GET"))
    return FALSE;

  *path = g_strdup (words[1]);
  return TRUE;
}

static gboolean
send_all (GSocketConnection *connection,
          const void        *data,
          gsize              length,
          GCancellable      *cancellable)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));

  /* The client may hang up first (that is the point of some faults); a
   * failed write just ends the response. GSocket sends with MSG_NOSIGNAL. */
  return g_output_stream_write_all (out, data, length, NULL, cancellable, NULL);
}

static const char *
reason_phrase (guint status)
{
  /* libsoup 3.2 calls it "Unknown Error"; the book's server says this. */
  if (status == 418)
    return "I'm a Teapot";
  return soup_status_get_phrase (status);
}

static gboolean
send_head (GSocketConnection *connection,
           guint              status,
           const char        *content_type,
           gssize             content_length,
           const char        *extra_headers,
           GCancellable      *cancellable)
{
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", status, reason_phrase (status));
  g_string_append (head, "Connection: close\r\n");
  if (content_type != NULL)
    g_string_append_printf (head, "Content-Type: %s\r\n", content_type);
  if (content_length >= 0)
    g_string_append_printf (head, "Content-Length: %" G_GSSIZE_FORMAT "\r\n", content_length);
  if (extra_headers != NULL)
    g_string_append (head, extra_headers);
  g_string_append (head, "\r\n");

  return send_all (connection, head->str, head->len, cancellable);
}

static void
send_response (GSocketConnection *connection,
               guint              status,
               const char        *content_type,
               GBytes            *body,
               GCancellable      *cancellable)
{
  gsize length = 0;
  const void *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  if (send_head (connection, status, content_type, length, NULL, cancellable) && length > 0)
    send_all (connection, data, length, cancellable);
}

static void
send_status_with_headers (GSocketConnection *connection,
                          guint              status,
                          const char        *extra_headers,
                          GCancellable      *cancellable)
{
  g_autofree char *text = g_strdup_printf ("%u %s\n", status, reason_phrase (status));

  if (send_head (connection, status, "text/plain", strlen (text), extra_headers, cancellable))
    send_all (connection, text, strlen (text), cancellable);
}

static void
send_status (GSocketConnection *connection,
             guint              status,
             GCancellable      *cancellable)
{
  send_status_with_headers (connection, status, NULL, cancellable);
}

/*
 * "{inner}x{K}" and "{inner}x{K}-ra{S}": the fault {inner} for the first K
 * requests of a code, then ok; -ra{S} adds "Retry-After: S" to the faulty
 * answers. Returns: whether @fault has that form.
 */
static gboolean
parse_flaky_fault (const char  *fault,
                   char       **inner,
                   guint       *times,
                   int         *retry_after)
{
  const char *x = strrchr (fault, 'x');
  const char *p;
  char *end = NULL;

  if (x == NULL || x == fault || !g_ascii_isdigit (x[1]))
    return FALSE;
  *times = (guint) g_ascii_strtoull (x + 1, &end, 10);
  *retry_after = -1;
  p = end;
  if (g_str_has_prefix (p, "-ra") && g_ascii_isdigit (p[3]))
    {
      *retry_after = (int) g_ascii_strtoll (p + 3, &end, 10);
      p = end;
    }
  if (*p != '\0')
    return FALSE;
  *inner = g_strndup (fault, x - fault);
  return TRUE;
}

static GBytes *
load_flag_or_null (const char *code)
{
  g_autofree char *name = g_strconcat (code, ".png", NULL);
  g_autofree char *path = g_build_filename (FLAGS_PNG_DIR, name, NULL);
  char *contents = NULL;
  gsize length = 0;

  if (strlen (code) != 2 || !g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_bytes_new_take (contents, length);
}

/* Waits until the client closes its end (it timed out) or the server stops. */
static void
wait_for_client_to_leave (GSocketConnection *connection,
                          GCancellable      *cancellable)
{
  GSocket *socket = g_socket_connection_get_socket (connection);

  g_socket_condition_timed_wait (socket, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                 STALL_LIMIT_US, cancellable, NULL);
}

static void
sleep_unless_cancelled (guint         milliseconds,
                        GCancellable *cancellable)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) milliseconds * 1000;

  while (!g_cancellable_is_cancelled (cancellable) && g_get_monotonic_time () < deadline)
    g_usleep (MIN (10000, deadline - g_get_monotonic_time ()));
}

static gboolean
is_status_fault (const char *fault)
{
  return strlen (fault) == 3 &&
         g_ascii_isdigit (fault[0]) && g_ascii_isdigit (fault[1]) && g_ascii_isdigit (fault[2]);
}

static void
send_half_body (GSocketConnection *connection,
                GBytes            *flag,
                GCancellable      *cancellable)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (flag, &length);

  if (send_head (connection, 200, "image/png", length, NULL, cancellable))
    send_all (connection, data, length / 2, cancellable);
}

static void
send_huge (GSocketConnection *connection,
           gboolean           with_length,
           GCancellable      *cancellable)
{
  g_autofree guint8 *chunk = g_malloc0 (65536);
  gsize sent = 0;

  if (!send_head (connection, 200, "image/png", with_length ? HUGE_BODY_SIZE : -1, NULL, cancellable))
    return;
  memcpy (chunk, "\x89PNG\r\n\x1a\n", 8);
  while (sent < HUGE_BODY_SIZE)
    {
      gsize n = MIN (65536, HUGE_BODY_SIZE - sent);

      if (!send_all (connection, chunk, n, cancellable))
        return;
      memset (chunk, 0, 8);
      sent += n;
    }
}

/* A request stops being in flight when its answer begins, not when the
 * last byte is written: the client may read that byte and send its next
 * request before this thread returns from the write, and counting both
 * would show one more in flight than the client ever had. */
static void
answer_begins (FpTestServer *self)
{
  g_mutex_lock (&self->lock);
  self->in_flight--;
  g_mutex_unlock (&self->lock);
}

static void
serve (FpTestServer      *self,
       GSocketConnection *connection,
       const char        *path)
{
  GCancellable *cancellable = self->cancellable;
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autofree char *fault = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GBytes) flag = NULL;

  /* "", fault, cc, file */
  if (g_strv_length (segments) != 4 || segments[0][0] != '\0')
    {
      answer_begins (self);
      send_status (connection, 404, cancellable);
      return;
    }
  fault = g_strdup (segments[1]);
  code = g_ascii_strdown (segments[2], -1);

  if (g_str_equal (fault, "bycode"))
    {
      const char *by_code;

      g_mutex_lock (&self->lock);
      by_code = g_hash_table_lookup (self->code_faults, code);
      g_free (fault);
      fault = g_strdup (by_code != NULL ? by_code : "ok");
      g_mutex_unlock (&self->lock);
    }

  {
    g_autofree char *inner = NULL;
    guint times = 0;
    int retry_after = -1;

    if (parse_flaky_fault (fault, &inner, &times, &retry_after))
      {
        g_autofree char *key = g_strconcat (fault, "/", code, NULL);
        guint seen;

        g_mutex_lock (&self->lock);
        seen = GPOINTER_TO_UINT (g_hash_table_lookup (self->flaky_counts, key));
        g_hash_table_replace (self->flaky_counts, g_steal_pointer (&key), GUINT_TO_POINTER (seen + 1));
        g_mutex_unlock (&self->lock);

        g_clear_pointer (&fault, g_free);
        if (seen >= times)
          fault = g_strdup ("ok");
        else if (retry_after >= 0 && is_status_fault (inner))
          {
            g_autofree char *header = g_strdup_printf ("Retry-After: %d\r\n", retry_after);

            send_status_with_headers (connection, atoi (inner), header, cancellable);
            return;
          }
        else
          fault = g_steal_pointer (&inner);
      }
  }

  if (g_str_has_prefix (fault, "delay-"))
    {
      sleep_unless_cancelled (atoi (fault + strlen ("delay-")), cancellable);
      g_free (fault);
      fault = g_strdup ("ok");
    }

  answer_begins (self);
  flag = load_flag_or_null (code);

  if (is_status_fault (fault))
    send_status (connection, atoi (fault), cancellable);
  else if (g_str_equal (fault, "ok"))
    {
      if (flag != NULL)
        send_response (connection, 200, "image/png", flag, cancellable);
      else
        send_status (connection, 404, cancellable);
    }
  else if (g_str_equal (fault, "gif-text"))
    {
      g_autoptr(GBytes) gif = fp_test_tiny_gif ();
      send_response (connection, 200, "text/plain", gif, cancellable);
    }
  else if (g_str_equal (fault, "not-image"))
    {
      g_autoptr(GBytes) text = g_bytes_new_static ("This is not an image.\n", 22);
      send_response (connection, 200, "image/png", text, cancellable);
    }
  else if (g_str_equal (fault, "empty"))
    send_response (connection, 200, "image/png", NULL, cancellable);
  else if (flag != NULL &&
           (g_str_equal (fault, "gzip") || g_str_equal (fault, "deflate") ||
            g_str_equal (fault, "gzip-short")))
    {
      /* windowBits 31 makes gzip, 15 zlib (what HTTP calls deflate). */
      gboolean gzip = !g_str_equal (fault, "deflate");
      gsize length;
      const guint8 *data = g_bytes_get_data (flag, &length);
      g_autofree guint8 *packed = g_malloc (compressBound (length) + 64);
      z_stream zs = { 0, };
      g_autofree char *encoding = g_strdup_printf ("Content-Encoding: %s\r\n", gzip ? "gzip" : "deflate");
      gsize packed_length;

      g_assert_cmpint (deflateInit2 (&zs, 9, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY), ==, Z_OK);
      zs.next_in = (Bytef *) data;
      zs.avail_in = (uInt) length;
      zs.next_out = packed;
      zs.avail_out = (uInt) (compressBound (length) + 64);
      g_assert_cmpint (deflate (&zs, Z_FINISH), ==, Z_STREAM_END);
      packed_length = zs.total_out;
      deflateEnd (&zs);

      if (g_str_equal (fault, "gzip-short"))
        {
          /* The whole length announced, the first half sent. */
          if (send_head (connection, 200, "image/png", (gssize) packed_length, encoding, cancellable))
            send_all (connection, packed, packed_length / 2, cancellable);
          g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
        }
      else if (send_head (connection, 200, "image/png", (gssize) packed_length, encoding, cancellable))
        send_all (connection, packed, packed_length, cancellable);
    }
  else if (g_str_equal (fault, "close-before-answer"))
    g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
  else if (g_str_equal (fault, "reset-before-answer"))
    {
      GSocket *socket = g_socket_connection_get_socket (connection);
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      g_socket_close (socket, NULL);
    }
  else if (g_str_equal (fault, "huge-headers"))
    {
      g_autoptr(GString) headers = g_string_new (NULL);

      /* 256 KiB of headers: more than any client keeps. */
      for (guint i = 0; i < 4096; i++)
        g_string_append_printf (headers, "X-Filler-%u: %060u\r\n", i, i);
      if (send_head (connection, 200, "image/png", (gssize) g_bytes_get_size (flag), headers->str, cancellable))
        send_all (connection, g_bytes_get_data (flag, NULL), g_bytes_get_size (flag), cancellable);
    }
  else if (g_str_equal (fault, "bad-chunk"))
    {
      static const char bad[] = "zz-not-a-size\r\nabc\r\n0\r\n\r\n";

      if (send_head (connection, 200, "image/png", -1, "Transfer-Encoding: chunked\r\n", cancellable))
        send_all (connection, bad, sizeof bad - 1, cancellable);
    }
  else if (g_str_equal (fault, "huge-png"))
    {
      g_autoptr(GBytes) png = fp_test_huge_png (30000, 30000);
      send_response (connection, 200, "image/png", png, cancellable);
    }
  else if (g_str_equal (fault, "huge-gif"))
    {
      g_autoptr(GBytes) gif = fp_test_make_gif (65535, 65535, 65535, 65535, 20000);
      send_response (connection, 200, "image/gif", gif, cancellable);
    }
  else if (g_str_equal (fault, "corrupt-png") && flag != NULL)
    {
      g_autoptr(GBytes) png = fp_test_corrupt_png (code);
      send_response (connection, 200, "image/png", png, cancellable);
    }
  else if (flag == NULL &&
           (g_str_equal (fault, "truncated-png") || g_str_equal (fault, "short") ||
            g_str_equal (fault, "reset") || g_str_equal (fault, "stall-body") ||
            g_str_equal (fault, "short-complete")))
    send_status (connection, 404, cancellable);
  else if (g_str_equal (fault, "truncated-png"))
    {
      g_autoptr(GBytes) half = g_bytes_new_from_bytes (flag, 0, g_bytes_get_size (flag) / 2);
      send_response (connection, 200, "image/png", half, cancellable);
    }
  else if (g_str_equal (fault, "short"))
    {
      send_half_body (connection, flag, cancellable);
      g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
    }
  else if (g_str_equal (fault, "short-complete"))
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (flag, &length);

      /* What arrives is a whole PNG; only the Content-Length tells it is not all. */
      if (send_head (connection, 200, "image/png", length + 1000, NULL, cancellable))
        send_all (connection, data, length, cancellable);
      g_socket_shutdown (g_socket_connection_get_socket (connection), FALSE, TRUE, NULL);
    }
  else if (g_str_equal (fault, "reset"))
    {
      GSocket *socket = g_socket_connection_get_socket (connection);
      struct linger linger = { .l_onoff = 1, .l_linger = 0 };

      send_half_body (connection, flag, cancellable);
      /* With a zero linger time, close() sends RST instead of FIN. */
      setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      g_socket_close (socket, NULL);
    }
  else if (g_str_equal (fault, "stall"))
    wait_for_client_to_leave (connection, cancellable);
  else if (g_str_equal (fault, "stall-body"))
    {
      send_half_body (connection, flag, cancellable);
      wait_for_client_to_leave (connection, cancellable);
    }
  else if (g_str_equal (fault, "huge"))
    send_huge (connection, TRUE, cancellable);
  else if (g_str_equal (fault, "huge-nolength"))
    send_huge (connection, FALSE, cancellable);
  else if (g_str_equal (fault, "redirect") || g_str_equal (fault, "redirect-loop"))
    {
      g_autofree char *location =
        g_strdup_printf ("Location: /%s/%s/%s\r\n",
                         g_str_equal (fault, "redirect") ? "ok" : "redirect-loop",
                         segments[2], segments[3]);

      send_head (connection, 302, "text/plain", 0, location, cancellable);
    }
  else
    {
      g_warning ("Unknown fault “%s” in %s", fault, path);
      send_status (connection, 400, cancellable);
    }
}

static void
wait_at_gate_locked (FpTestServer *self)
{
  gint64 deadline;

  if (self->gate == 0)
    return;

  self->gate_arrived++;
  if (self->gate_arrived >= self->gate)
    {
      self->gate = 0;
      g_cond_broadcast (&self->gate_opened);
      return;
    }

  deadline = g_get_monotonic_time () + GATE_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (self->gate != 0)
    if (!g_cond_wait_until (&self->gate_opened, &self->lock, deadline) && self->gate != 0)
      {
        self->gate = 0;
        self->gate_timed_out = TRUE;
        g_cond_broadcast (&self->gate_opened);
      }
}

static gpointer
handle_connection (gpointer data)
{
  Connection *conn = data;
  FpTestServer *self = conn->server;
  g_autofree char *path = NULL;

  if (read_request_path (conn->connection, self->cancellable, &path))
    {
      g_mutex_lock (&self->lock);
      g_ptr_array_add (self->paths, g_strdup (path));
      self->in_flight++;
      self->peak_in_flight = MAX (self->peak_in_flight, self->in_flight);
      wait_at_gate_locked (self);
      g_mutex_unlock (&self->lock);

      serve (self, conn->connection, path);
    }

  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  g_object_unref (conn->connection);
  g_free (conn);
  return NULL;
}

static void
connection_accepted_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  FpTestServer *self = user_data;
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;
  Connection *conn;

  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (connection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Test server stops accepting: %s", error->message);
      g_main_loop_quit (self->loop);
      return;
    }

  conn = g_new0 (Connection, 1);
  conn->server = self;
  conn->connection = connection;

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->handlers, g_thread_new ("fp-test-conn", handle_connection, conn));
  g_mutex_unlock (&self->lock);

  g_socket_listener_accept_async (self->listener, self->accept_cancellable,
                                  connection_accepted_cb, self);
}

static gboolean
stop_accepting_cb (gpointer data)
{
  FpTestServer *self = data;

  /* On the accept thread: GLib 2.74's GCancellableSource can leak when
   * the cancellable is cancelled from another thread. */
  g_cancellable_cancel (self->accept_cancellable);
  return G_SOURCE_REMOVE;
}

static gpointer
accept_thread_main (gpointer data)
{
  FpTestServer *self = data;

  g_main_context_push_thread_default (self->context);
  /* The accept source attaches to the thread-default context at call time. */
  g_socket_listener_accept_async (self->listener, self->accept_cancellable,
                                  connection_accepted_cb, self);
  g_main_loop_run (self->loop);
  /* Let the cancelled accept finish tearing down its sources. */
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/**
 * fp_test_server_new:
 *
 * Returns: (transfer full): a server already listening on 127.0.0.1
 */
FpTestServer *
fp_test_server_new (void)
{
  FpTestServer *self = g_new0 (FpTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;

  g_mutex_init (&self->lock);
  g_cond_init (&self->gate_opened);
  self->handlers = g_ptr_array_new ();
  self->code_faults = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->flaky_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->accept_cancellable = g_cancellable_new ();
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  self->listener = g_socket_listener_new ();
  /* Many parallel clients connect at once in the concurrency tests. */
  g_socket_listener_set_backlog (self->listener, 256);
  g_socket_listener_add_address (self->listener, address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  /* The accept thread makes GTasks while the test's thread may be
   * initializing libsoup's classes: GLib 2.74 can deadlock on that. */
  g_type_ensure (G_TYPE_TASK);
  g_type_ensure (SOUP_TYPE_SESSION);
  self->accept_thread = g_thread_new ("fp-test-server", accept_thread_main, self);
  return self;
}

void
fp_test_server_free (FpTestServer *self)
{
  if (self == NULL)
    return;

  /* Cancelling ends the accept loop, every stall and every blocked write;
   * opening the gate lets waiting handlers see it. */
  fp_test_server_hold_answers_until (self, 0);
  g_main_context_invoke (self->context, stop_accepting_cb, self);
  g_cancellable_cancel (self->cancellable);
  g_thread_join (self->accept_thread);
  g_socket_listener_close (self->listener);

  /* No handler can be added any more: the accept loop is over. */
  for (guint i = 0; i < self->handlers->len; i++)
    g_thread_join (g_ptr_array_index (self->handlers, i));

  g_ptr_array_unref (self->handlers);
  g_hash_table_unref (self->code_faults);
  g_hash_table_unref (self->flaky_counts);
  g_ptr_array_unref (self->paths);
  g_object_unref (self->listener);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_object_unref (self->cancellable);
  g_object_unref (self->accept_cancellable);
  g_cond_clear (&self->gate_opened);
  g_mutex_clear (&self->lock);
  g_free (self);
}

guint
fp_test_server_get_port (FpTestServer *self)
{
  return self->port;
}

char *
fp_test_server_dup_base_url (FpTestServer *self,
                             const char   *fault)
{
  return g_strdup_printf ("http://127.0.0.1:%u/%s", self->port, fault);
}

void
fp_test_server_set_code_fault (FpTestServer *self,
                               const char   *code,
                               const char   *fault)
{
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->code_faults, g_ascii_strdown (code, -1), g_strdup (fault));
  g_mutex_unlock (&self->lock);
}

guint
fp_test_server_get_request_count (FpTestServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->paths->len;
  g_mutex_unlock (&self->lock);
  return count;
}

char **
fp_test_server_dup_request_paths (FpTestServer *self)
{
  char **paths;

  g_mutex_lock (&self->lock);
  paths = g_new0 (char *, self->paths->len + 1);
  for (guint i = 0; i < self->paths->len; i++)
    paths[i] = g_strdup (g_ptr_array_index (self->paths, i));
  g_mutex_unlock (&self->lock);
  return paths;
}

void
fp_test_server_reset_counters (FpTestServer *self)
{
  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->paths, 0);
  self->peak_in_flight = self->in_flight;
  g_mutex_unlock (&self->lock);
}

guint
fp_test_server_get_peak_in_flight (FpTestServer *self)
{
  guint peak;

  g_mutex_lock (&self->lock);
  peak = self->peak_in_flight;
  g_mutex_unlock (&self->lock);
  return peak;
}

/**
 * fp_test_server_hold_answers_until:
 * @n: how many requests to wait for; 0 opens the gate at once
 *
 * From now on, no request is answered until @n requests have arrived
 * (counted from this call); then the gate opens for good and every request
 * is answered as usual. A test of concurrency thus sees all @n in flight
 * at once however slow the machine is, instead of hoping a latency is long
 * enough. If the client never sends @n, the gate opens after
 * %GATE_TIMEOUT_S seconds and fp_test_server_get_gate_timed_out() says so.
 */
void
fp_test_server_hold_answers_until (FpTestServer *self,
                                   guint         n)
{
  g_mutex_lock (&self->lock);
  self->gate = n;
  self->gate_arrived = 0;
  self->gate_timed_out = FALSE;
  g_cond_broadcast (&self->gate_opened);
  g_mutex_unlock (&self->lock);
}

gboolean
fp_test_server_get_gate_timed_out (FpTestServer *self)
{
  gboolean timed_out;

  g_mutex_lock (&self->lock);
  timed_out = self->gate_timed_out;
  g_mutex_unlock (&self->lock);
  return timed_out;
}

/* Returns: (transfer none): @batch's result for @code; fails the test without one. */
FpDownloadResult *
fp_test_find_result (FpDownloadBatch *batch,
                     const char      *code)
{
  GPtrArray *results = fp_download_batch_get_results (batch);

  for (guint i = 0; i < results->len; i++)
    if (g_str_equal (fp_download_result_get_code (g_ptr_array_index (results, i)), code))
      return g_ptr_array_index (results, i);
  g_error ("No result for %s", code);
}

/* @waits_ms: the back-off after each try but the last; a try's facts as
 * the retry policy and every strategy must record them. */
void
fp_test_assert_tries (FpDownloadBatch  *batch,
                      const char       *code,
                      FpDownloadStatus  status,
                      guint             n_tries,
                      guint             failed_status,
                      const gint64     *waits_ms)
{
  FpDownloadResult *result = fp_test_find_result (batch, code);

  g_test_message ("%s: %s after %u tries", code, fp_download_result_get_message (result),
                  fp_download_result_get_n_tries (result));
  g_assert_cmpint (fp_download_result_get_status (result), ==, status);
  g_assert_cmpuint (fp_download_result_get_n_tries (result), ==, n_tries);
  for (guint i = 0; i < n_tries; i++)
    {
      const FpDownloadTry *attempt = fp_download_result_get_try (result, i);
      gboolean last = i + 1 == n_tries;

      g_assert_cmpint (attempt->started_us, >, 0);
      g_assert_cmpint (attempt->ended_us, >=, attempt->started_us);
      /* A try begins after the previous one ended: the back-off lies between. */
      if (i > 0)
        g_assert_cmpint (attempt->started_us, >=, fp_download_result_get_try (result, i - 1)->ended_us);
      if (!last || status == FP_DOWNLOAD_STATUS_ERROR)
        {
          g_assert_cmpuint (attempt->http_status, ==, failed_status);
          g_assert_nonnull (attempt->message);
        }
      else
        g_assert_null (attempt->message);
      g_assert_cmpint (attempt->wait_us, ==, last ? 0 : waits_ms[i] * 1000);
    }
}
