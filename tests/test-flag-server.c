/* test-flag-server.c — the built-in server: the book's layout, latency, teapots and counters
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-server"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "flagpole-engine.h"
#include "fp-flag-server-private.h"
#include "fp-test-support.h"

typedef struct {
  FpFlagServer *server;
  SoupSession *session;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = fp_flag_server_new (NULL);
  g_assert_true (fp_flag_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  /* Enough connections for the concurrent tests below. */
  f->session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->session);
  fp_flag_server_stop (f->server);
  g_assert_finalize_object (f->server);
}

typedef struct {
  guint status;
  char *reason;
  char *content_type;
  GBytes *body;
  double elapsed;
} Response;

static void
response_clear (Response *response)
{
  g_clear_pointer (&response->reason, g_free);
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->body, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

static void
get (SoupSession *session,
     const char  *url,
     Response    *response)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  const char *content_type;

  g_assert_nonnull (msg);
  response->body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response->elapsed = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  response->status = soup_message_get_status (msg);
  response->reason = g_strdup (soup_message_get_reason_phrase (msg));
  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  response->content_type = g_strdup (content_type);
}

static void
get_path (Fixture    *f,
          const char *path,
          Response   *response)
{
  g_autofree char *url = g_strconcat (fp_flag_server_get_base_url (f->server), path, NULL);

  get (f->session, url, response);
}

static void
test_server_start (Fixture       *f,
                   gconstpointer  data)
{
  guint port = fp_flag_server_get_port (f->server);
  g_autofree char *expected = g_strdup_printf ("http://127.0.0.1:%u/flags", port);

  g_assert_cmpuint (port, >, 0);
  g_assert_cmpstr (fp_flag_server_get_base_url (f->server), ==, expected);
}

static void
test_server_serves_flags (Fixture       *f,
                          gconstpointer  data)
{
  const char *codes[] = { "br", "cn", "zw", "ad" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_auto(Response) response = { 0 };
      g_autofree char *path = g_strdup_printf ("/%s/%s.png", codes[i], codes[i]);
      g_autoptr(GBytes) expected = fp_test_load_debian_flag (codes[i]);

      get_path (f, path, &response);
      g_assert_cmpuint (response.status, ==, 200);
      g_assert_cmpstr (response.content_type, ==, "image/png");
      /* Byte for byte the Debian file. */
      g_assert_cmpuint (g_bytes_get_size (response.body), ==, g_bytes_get_size (expected));
      g_assert_true (g_bytes_equal (response.body, expected));
    }
}

static void
test_server_serves_every_iso_country (Fixture       *f,
                                      gconstpointer  data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (catalog);

  /* SPEC: the 249 Debian flags, one for each ISO 3166-1 code. */
  for (guint i = 0; all[i] != NULL; i++)
    {
      g_auto(Response) response = { 0 };
      g_autofree char *cc = g_ascii_strdown (all[i], -1);
      g_autofree char *path = g_strdup_printf ("/%s/%s.png", cc, cc);

      get_path (f, path, &response);
      if (response.status != 200)
        g_error ("%s: HTTP %u", path, response.status);
    }
}

static void
test_server_path_without_prefix (Fixture       *f,
                                 gconstpointer  data)
{
  g_auto(Response) response = { 0 };
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/br/br.png",
                                          fp_flag_server_get_port (f->server));
  g_autoptr(GBytes) expected = fp_test_load_debian_flag ("br");

  get (f->session, url, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_true (g_bytes_equal (response.body, expected));
}

static JsonObject *
parse_object (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  JsonNode *root;

  json_parser_load_from_data (parser, data, length, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
assert_metadata (Fixture    *f,
                 const char *cc,
                 const char *tld,
                 const char *iso,
                 const char *country)
{
  g_auto(Response) response = { 0 };
  g_autofree char *path = g_strdup_printf ("/%s/metadata.json", cc);
  g_autoptr(JsonObject) object = NULL;
  JsonNode *gec;

  get_path (f, path, &response);
  g_assert_cmpuint (response.status, ==, 200);
  g_assert_cmpstr (response.content_type, ==, "application/json");

  object = parse_object (response.body);
  g_assert_cmpstr (json_object_get_string_member (object, "tld_cc"), ==, tld);
  g_assert_cmpstr (json_object_get_string_member (object, "iso_cc"), ==, iso);
  g_assert_cmpstr (json_object_get_string_member (object, "country"), ==, country);
  /* The book's layout has gec_cc; iso-codes does not know it, so it may be null. */
  g_assert_true (json_object_has_member (object, "gec_cc"));
  gec = json_object_get_member (object, "gec_cc");
  g_assert_true (JSON_NODE_HOLDS_NULL (gec) ||
                 json_node_get_value_type (gec) == G_TYPE_STRING);
}

static void
test_server_metadata (Fixture       *f,
                      gconstpointer  data)
{
  assert_metadata (f, "br", ".br", "BR", "Brazil");
  assert_metadata (f, "de", ".de", "DE", "Germany");
  assert_metadata (f, "gb", ".uk", "GB", "United Kingdom");
}

static void
test_server_not_found (Fixture       *f,
                       gconstpointer  data)
{
  /* Codes with no ISO country (Debian's folder has eu, eo and zz too), wrong names. */
  const char *paths[] = {
    "/xx/xx.png", "/xx/metadata.json", "/zz/zz.png", "/eu/eu.png", "/eo/eo.png",
    "/br/de.png", "/br/br.gif", "/br/", "/br", "/bra/bra.png", "/br/br.png/x",
  };
  /* Paths that try to climb out of the folder: libsoup may refuse them as a
   * bad request before the server sees them; any client error will do. */
  const char *climbing[] = {
    "/../../../etc/passwd", "/br/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
    "/br/%2e%2e%2fbr.png",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(Response) response = { 0 };

      g_test_message ("path %s", paths[i]);
      get_path (f, paths[i], &response);
      g_assert_cmpuint (response.status, ==, 404);
    }

  for (guint i = 0; i < G_N_ELEMENTS (climbing); i++)
    {
      g_auto(Response) response = { 0 };

      g_test_message ("path %s", climbing[i]);
      get_path (f, climbing[i], &response);
      g_test_message ("HTTP %u", response.status);
      g_assert_cmpuint (response.status, >=, 400);
      g_assert_cmpuint (response.status, <, 500);
    }
}

static void
test_server_error_rate (Fixture       *f,
                        gconstpointer  data)
{
  for (guint i = 0; i < 5; i++)
    {
      g_auto(Response) response = { 0 };

      fp_flag_server_set_error_rate (f->server, 1.0);
      get_path (f, "/br/br.png", &response);
      g_assert_cmpuint (response.status, ==, 418);
      g_assert_cmpstr (response.reason, ==, "I'm a Teapot");
    }

  {
    g_auto(Response) response = { 0 };

    fp_flag_server_set_error_rate (f->server, 0.0);
    get_path (f, "/br/br.png", &response);
    g_assert_cmpuint (response.status, ==, 200);
  }
}

static void
test_server_error_rate_share (Fixture       *f,
                              gconstpointer  data)
{
  guint teapots = 0;

  /* About half of 200 requests; the bounds are 7 standard deviations wide. */
  fp_flag_server_set_error_rate (f->server, 0.5);
  for (guint i = 0; i < 200; i++)
    {
      g_auto(Response) response = { 0 };

      get_path (f, "/br/br.png", &response);
      g_assert_true (response.status == 200 || response.status == 418);
      teapots += response.status == 418;
    }
  g_assert_cmpuint (teapots, >, 50);
  g_assert_cmpuint (teapots, <, 150);
}

static void
test_server_delay (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Response) slow = { 0 };
  g_auto(Response) ranged = { 0 };

  /* Lower bounds only: how fast things are is the benchmark's business. */
  fp_flag_server_set_delay (f->server, 0.3, 0.3);
  get_path (f, "/br/br.png", &slow);
  g_assert_cmpuint (slow.status, ==, 200);
  g_assert_cmpfloat (slow.elapsed, >=, 0.29);

  fp_flag_server_set_delay (f->server, 0.2, 0.4);
  get_path (f, "/xx/xx.png", &ranged);
  g_assert_cmpuint (ranged.status, ==, 404);
  g_assert_cmpfloat (ranged.elapsed, >=, 0.19);
}

typedef struct {
  SoupSession *session;
  char *url;
  guint status;
} Request;

static gpointer
request_in_thread (gpointer data)
{
  Request *request = data;
  g_auto(Response) response = { 0 };

  get (request->session, request->url, &response);
  request->status = response.status;
  return NULL;
}

static void
test_server_counters (Fixture       *f,
                      gconstpointer  data)
{
  enum { N = 12 };
  Request requests[N];
  GThread *threads[N];
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (catalog);

  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 0);
  g_assert_cmpuint (fp_flag_server_get_peak_in_flight (f->server), ==, 0);

  {
    g_auto(Response) one = { 0 };
    get_path (f, "/br/br.png", &one);
  }
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 1);
  g_assert_cmpuint (fp_flag_server_get_peak_in_flight (f->server), ==, 1);

  /* N requests held by the delay at once: all N are in flight together,
   * without the server spending a thread on each. */
  fp_flag_server_reset_counters (f->server);
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 0);
  fp_flag_server_set_delay (f->server, 0.5, 0.5);
  for (guint i = 0; i < N; i++)
    {
      g_autofree char *cc = g_ascii_strdown (all[i], -1);

      requests[i].session = f->session;
      requests[i].url = g_strdup_printf ("%s/%s/%s.png", fp_flag_server_get_base_url (f->server), cc, cc);
      requests[i].status = 0;
      threads[i] = g_thread_new ("request", request_in_thread, &requests[i]);
    }
  for (guint i = 0; i < N; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (requests[i].status, ==, 200);
      g_free (requests[i].url);
    }

  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, N);
  g_assert_cmpuint (fp_flag_server_get_peak_in_flight (f->server), ==, N);

  /* The server counts a request out when it has finished writing it,
   * which may be a moment after the client has read it. */
  while (fp_flag_server_get_in_flight (f->server) > 0)
    g_usleep (1000);

  fp_flag_server_reset_counters (f->server);
  g_assert_cmpuint (fp_flag_server_get_request_count (f->server), ==, 0);
  g_assert_cmpuint (fp_flag_server_get_peak_in_flight (f->server), ==, 0);
}

static void
test_server_tree_dir (void)
{
  /* The book's tree: {cc}/{cc}.gif and {cc}/metadata.json. */
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autofree char *br_dir = g_build_filename (root, "br", NULL);
  g_autofree char *gif_path = g_build_filename (br_dir, "br.gif", NULL);
  g_autofree char *meta_path = g_build_filename (br_dir, "metadata.json", NULL);
  static const char meta[] = "{\"tld_cc\": \".br\", \"iso_cc\": \"BR\", \"country\": \"Brazil\", \"gec_cc\": \"BR\"}";
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(GBytes) meta_bytes = g_bytes_new_static (meta, sizeof meta - 1);
  g_autoptr(FpFlagServer) server = fp_flag_server_new (root);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *gif_url = NULL;
  g_autofree char *meta_url = NULL;
  g_autofree char *png_url = NULL;

  g_assert_cmpint (g_mkdir (br_dir, 0755), ==, 0);
  fp_test_write_file (gif_path, gif);
  fp_test_write_file (meta_path, meta_bytes);

  g_assert_true (fp_flag_server_start (server, 0, &error));
  g_assert_no_error (error);
  gif_url = g_strconcat (fp_flag_server_get_base_url (server), "/br/br.gif", NULL);
  meta_url = g_strconcat (fp_flag_server_get_base_url (server), "/br/metadata.json", NULL);
  png_url = g_strconcat (fp_flag_server_get_base_url (server), "/de/de.png", NULL);

  {
    g_auto(Response) response = { 0 };
    get (session, gif_url, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpstr (response.content_type, ==, "image/gif");
    g_assert_true (g_bytes_equal (response.body, gif));
  }
  {
    g_auto(Response) response = { 0 };
    get (session, meta_url, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_true (g_bytes_equal (response.body, meta_bytes));
  }
  {
    /* Only what the folder holds. */
    g_auto(Response) response = { 0 };
    get (session, png_url, &response);
    g_assert_cmpuint (response.status, ==, 404);
  }

  fp_flag_server_stop (server);
  fp_test_remove_tree (root);
}


/* The descriptors this process has open. */
static guint
count_open_descriptors (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n - 1;   /* the one g_dir_open() holds */
}

typedef struct {
  guint pending;
  guint ok;
} Round;

static void
round_request_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (body != NULL && soup_message_get_status (msg) == SOUP_STATUS_OK)
    round->ok++;
  round->pending--;
}

static gboolean
round_done (gpointer user_data)
{
  return ((Round *) user_data)->pending == 0;
}

typedef struct {
  guint limit;
} FdLimit;

static gboolean
descriptors_back_to (gpointer user_data)
{
  return count_open_descriptors () <= ((FdLimit *) user_data)->limit;
}

/* One batch as the engine runs it: a fresh session, 16 connections, 48
 * requests, then the session goes and closes its connections. */
static void
run_round (Fixture *f)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 16,
                                                                  "max-conns-per-host", 16,
                                                                  NULL);
  Round round = { 0, };
  const char *codes[] = { "br", "cn", "in", "us", "id", "pk", "ng", "bd", "ru", "mx", "jp", "et" };

  for (guint i = 0; i < 48; i++)
    {
      const char *cc = codes[i % G_N_ELEMENTS (codes)];
      g_autofree char *url = g_strdup_printf ("%s/%s/%s.png", fp_flag_server_get_base_url (f->server), cc, cc);
      g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

      round.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                        round_request_done_cb, &round);
    }
  fp_test_iterate_until (round_done, &round, 60, "the round's requests");
  g_assert_cmpuint (round.ok, ==, 48);
  soup_session_abort (session);
}

/* libsoup 3.2.3 leaves every connection a client closes while it is idle
 * in CLOSE-WAIT: over many batches the server's descriptors must come
 * back to where they were, and connections must still be reused. */
static void
test_server_descriptors_stay_flat (Fixture       *f,
                                   gconstpointer  data)
{
  FdLimit back = { 0, };
  guint requests, connections;

  /* The first round creates what a process opens once (GLib's wake-up
   * descriptors of the session's context and resolver). */
  run_round (f);
  back.limit = count_open_descriptors ();
  fp_test_iterate_until (descriptors_back_to, &back, 30, "the first round's connections to close");
  back.limit = count_open_descriptors ();
  fp_flag_server_reset_counters (f->server);

  for (guint i = 0; i < 20; i++)
    {
      run_round (f);
      /* Both ends are in this process: the client's are closed now, the
       * server's must follow. */
      fp_test_iterate_until (descriptors_back_to, &back, 30, "the server to close its connections");
    }

  requests = fp_flag_server_get_request_count (f->server);
  connections = fp_flag_server_get_connection_count (f->server);
  g_test_message ("%u requests over %u connections; %u descriptors open", requests, connections, back.limit);
  g_assert_cmpuint (requests, ==, 20 * 48);
  /* 16 connections a round at most carry 48 requests: reuse is kept. */
  g_assert_cmpuint (connections, <=, 20 * 16);
  g_assert_cmpuint (connections, <, requests);
}


static guint
status_of (SoupSession *session,
           const char  *base_url,
           const char  *path)
{
  g_auto(Response) response = { 0 };
  g_autofree char *url = g_strconcat (base_url, path, NULL);

  get (session, url, &response);
  return response.status;
}

/* serve --dir serves regular image files inside its tree, and
 * metadata.json: never what a symlink points at outside, nor text. */
static void
test_server_dir_symlinks (void)
{
  g_autofree char *top = fp_test_make_temp_dir ();
  g_autofree char *root = g_build_filename (top, "tree", NULL);
  g_autofree char *outside = g_build_filename (top, "outside", NULL);
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(GBytes) secret = g_bytes_new_static ("secret\n", 7);
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *names[] = { "br", "fr", "jp", "de", "it", "es", NULL };
  const char *base;

  g_assert_cmpint (g_mkdir (root, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (outside, 0755), ==, 0);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (root, names[i], NULL);

      if (!g_str_equal (names[i], "it"))
        g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
    }
  {
    g_autofree char *br = g_build_filename (root, "br", "br.gif", NULL);
    g_autofree char *fr = g_build_filename (root, "fr", "fr.gif", NULL);
    g_autofree char *jp = g_build_filename (root, "jp", "jp.gif", NULL);
    g_autofree char *de = g_build_filename (root, "de", "de.gif", NULL);
    g_autofree char *it = g_build_filename (root, "it", NULL);
    g_autofree char *es = g_build_filename (root, "es", "metadata.json", NULL);
    g_autofree char *secret_path = g_build_filename (outside, "secret.txt", NULL);
    g_autofree char *outside_gif = g_build_filename (outside, "it.gif", NULL);

    fp_test_write_file (br, gif);
    fp_test_write_file (secret_path, secret);
    fp_test_write_file (outside_gif, gif);
    fp_test_write_file (de, secret);                                   /* text named .gif */
    g_assert_cmpint (symlink ("../br/br.gif", fr), ==, 0);             /* inside: fine */
    g_assert_cmpint (symlink (secret_path, jp), ==, 0);                /* a file outside */
    g_assert_cmpint (symlink (outside, it), ==, 0);                    /* a folder outside */
    g_assert_cmpint (symlink (secret_path, es), ==, 0);                /* metadata outside */
  }

  server = fp_flag_server_new (root);
  g_assert_true (fp_flag_server_start (server, 0, &error));
  base = fp_flag_server_get_base_url (server);

  g_assert_cmpuint (status_of (session, base, "/br/br.gif"), ==, 200);
  g_assert_cmpuint (status_of (session, base, "/fr/fr.gif"), ==, 200);
  g_assert_cmpuint (status_of (session, base, "/jp/jp.gif"), ==, 404);
  g_assert_cmpuint (status_of (session, base, "/it/it.gif"), ==, 404);
  g_assert_cmpuint (status_of (session, base, "/de/de.gif"), ==, 404);
  /* The metadata link is not followed: the server makes its own. */
  {
    g_auto(Response) response = { 0 };
    g_autofree char *url = g_strconcat (base, "/es/metadata.json", NULL);

    get (session, url, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_false (g_bytes_equal (response.body, secret));
  }

  fp_flag_server_stop (server);
  fp_test_remove_tree (top);
}

/* A connection left idle is closed by the server after its timeout: a
 * raw client sends one request, reads the answer, then waits (30 s at
 * most, a bound against hangs) for the server's end of stream. */
static void
test_server_idle_timeout (void)
{
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GString) received = g_string_new (NULL);
  static const char request[] = "GET /flags/br/br.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  GInputStream *input;
  char buffer[4096];
  gssize n;

  fp_flag_server_set_idle_timeout (server, 1);
  g_assert_true (fp_flag_server_start (server, 0, &error));
  g_socket_client_set_timeout (client, 30);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", fp_flag_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, strlen (request), NULL, NULL, &error));
  g_assert_no_error (error);

  /* Everything the server sends until it closes: one whole answer, then
   * the end of stream and no error (a timeout here fails the test). */
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (received, buffer, n);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_true (g_str_has_prefix (received->str, "HTTP/1.1 200 OK\r\n"));
  /* It was kept open after the answer (no "Connection: close"). */
  g_assert_null (strstr (received->str, "Connection: close"));
  fp_flag_server_stop (server);
}

static void
test_server_port_in_use (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FpFlagServer) second = fp_flag_server_new (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (fp_flag_server_start (second, fp_flag_server_get_port (f->server), &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_SERVER);
  /* Stopping a server that never started is harmless. */
  fp_flag_server_stop (second);
}

/* Nothing listens at @url's port: a connection is refused. */
static void
assert_refused (const char *url)
{
  g_autoptr(SoupSession) fresh = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (fresh, msg, NULL, &error);

  g_assert_null (body);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

static void
test_server_given_port_and_stop (void)
{
  guint port = fp_test_get_closed_port ();
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (fp_flag_server_start (server, port, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_flag_server_get_port (server), ==, port);

  url = g_strconcat (fp_flag_server_get_base_url (server), "/br/br.png", NULL);
  {
    g_auto(Response) response = { 0 };
    get (session, url, &response);
    g_assert_cmpuint (response.status, ==, 200);
  }

  /* Stopped, it refuses connections; stopping twice is harmless. */
  fp_flag_server_stop (server);
  fp_flag_server_stop (server);
  assert_refused (url);
}

/* A bound against hangs, not a speed check. */
#define WAIT_S 60

/* Waits for the process @pid, not this one's child, to end: a pidfd is
 * readable once it has. Gone already is as good. */
static void
wait_for_process_to_end (GPid pid)
{
  int fd = (int) syscall (SYS_pidfd_open, pid, 0);
  struct pollfd ready = { .fd = fd, .events = POLLIN };

  if (fd < 0)
    {
      g_assert_cmpint (errno, ==, ESRCH);
      return;
    }
  g_assert_cmpint (poll (&ready, 1, WAIT_S * 1000), ==, 1);
  close (fd);
}

static gboolean
stopped_serving (gpointer server)
{
  return !fp_flag_server_get_serving (server);
}

/* A window's server runs in a process of its own (flagpole-server): it
 * serves the same flags, with the settings given before it started, and
 * is gone once stopped. */
static void
test_server_child (void)
{
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autoptr(FpFlagServer) teapots = fp_flag_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *teapot_url = NULL;

  g_assert_true (fp_flag_server_start_in_child (server, &error));
  g_assert_no_error (error);
  g_assert_true (fp_flag_server_get_in_child (server));
  g_assert_cmpuint (fp_flag_server_get_port (server), >, 0);
  url = g_strconcat (fp_flag_server_get_base_url (server), "/br/br.png", NULL);
  {
    g_auto(Response) response = { 0 };

    get (session, url, &response);
    g_assert_cmpuint (response.status, ==, 200);
    g_assert_cmpstr (response.content_type, ==, "image/png");
    g_assert_cmpmem (g_bytes_get_data (response.body, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  }

  fp_flag_server_set_error_rate (teapots, 1.0);
  fp_flag_server_set_delay (teapots, 0.2, 0.2);
  g_assert_true (fp_flag_server_start_in_child (teapots, &error));
  g_assert_no_error (error);
  teapot_url = g_strconcat (fp_flag_server_get_base_url (teapots), "/br/br.png", NULL);
  {
    g_auto(Response) response = { 0 };

    get (session, teapot_url, &response);
    g_assert_cmpuint (response.status, ==, 418);
    g_assert_cmpfloat (response.elapsed, >=, 0.19);
  }

  /* Stopped, it ends; stopping twice is harmless. Dropped, it ends too. */
  {
    g_autoptr(GSubprocess) child = g_object_ref (server->child);
    g_autoptr(GSubprocess) teapot_child = g_object_ref (teapots->child);

    fp_flag_server_stop (server);
    fp_flag_server_stop (server);
    g_assert_false (fp_flag_server_get_in_child (server));
    g_clear_object (&teapots);
    g_assert_true (g_subprocess_wait (child, NULL, NULL));
    g_assert_true (g_subprocess_wait (teapot_child, NULL, NULL));
  }
  assert_refused (url);
  assert_refused (teapot_url);
}

/* A child that dies on its own (killed, crashed) is seen to have: a
 * window then starts another instead of sending batches to a closed port. */
static void
test_server_child_killed (void)
{
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_true (fp_flag_server_start_in_child (server, &error));
  g_assert_no_error (error);
  g_assert_true (fp_flag_server_get_serving (server));
  url = g_strconcat (fp_flag_server_get_base_url (server), "/br/br.png", NULL);

  g_subprocess_force_exit (server->child);
  fp_test_iterate_until (stopped_serving, server, WAIT_S, "the server to see its process end");
  g_assert_true (fp_flag_server_get_in_child (server));
  assert_refused (url);

  /* Stopping what is already gone is harmless. */
  fp_flag_server_stop (server);
  g_assert_false (fp_flag_server_get_serving (server));
}

/* A parent that dies, even without stopping it, takes its server along:
 * the child sees the end of its standard input. */
static void
test_server_child_outlives_no_parent (void)
{
  g_autofree char *said = NULL;
  g_auto(GStrv) url_and_pid = NULL;

  if (g_test_subprocess ())
    {
      FpFlagServer *server = fp_flag_server_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *served = NULL;

      g_assert_true (fp_flag_server_start_in_child (server, &error));
      g_assert_no_error (error);
      served = g_strdup_printf ("%s/br/br.png\n%s", fp_flag_server_get_base_url (server),
                                g_subprocess_get_identifier (server->child));
      g_assert_true (g_file_set_contents (g_getenv ("FP_TEST_URL_FILE"), served, -1, NULL));
      /* Gone without a word: no stop, no unref. */
      _exit (0);
    }

  {
    g_autofree char *dir = g_dir_make_tmp ("flagpole-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "url", NULL);

    g_setenv ("FP_TEST_URL_FILE", path, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();
    g_unsetenv ("FP_TEST_URL_FILE");
    g_assert_true (g_file_get_contents (path, &said, NULL, NULL));
    g_unlink (path);
    g_rmdir (dir);
  }
  url_and_pid = g_strsplit (said, "\n", 2);
  g_assert_cmpuint (g_strv_length (url_and_pid), ==, 2);
  g_assert_true (g_str_has_prefix (url_and_pid[0], "http://127.0.0.1:"));
  wait_for_process_to_end ((GPid) g_ascii_strtoll (url_and_pid[1], NULL, 10));
  assert_refused (url_and_pid[0]);
}

#ifdef __linux__
/* The scheduling of this process's thread named @name: SCHED_* and nice. */
static void
get_thread_scheduling (const char *name,
                       int        *policy,
                       int        *nice)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *comm = NULL;

      if (!g_file_get_contents (path, &comm, NULL, NULL) || !g_str_equal (g_strstrip (comm), name))
        continue;
      *policy = sched_getscheduler ((pid_t) g_ascii_strtoll (tid, NULL, 10));
      errno = 0;
      *nice = getpriority (PRIO_PROCESS, (id_t) g_ascii_strtoll (tid, NULL, 10));
      g_assert_cmpint (errno, ==, 0);
      return;
    }
  g_assert_not_reached ();
}

/* Beside a window the built-in server yields a core to the main thread
 * (a high nice value), but not to the downloads; on its own it keeps its
 * place. */
static void
test_server_priority (void)
{
  int policy = -1, nice = -1;

  if (g_test_subprocess ())
    {
      g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
      g_autoptr(GError) error = NULL;
      gboolean beside_window = g_str_equal (g_getenv ("FP_TEST_BESIDE_WINDOW"), "1");

      if (beside_window)
        fp_set_beside_window (TRUE);
      g_assert_true (fp_flag_server_start (server, 0, &error));
      g_assert_no_error (error);
      get_thread_scheduling ("fp-flag-server", &policy, &nice);
      if (beside_window)
        {
          g_assert_cmpint (policy, ==, SCHED_OTHER);
          g_assert_cmpint (nice, >, getpriority (PRIO_PROCESS, 0));
        }
      else
        {
          g_assert_cmpint (policy, ==, SCHED_OTHER);
          g_assert_cmpint (nice, ==, getpriority (PRIO_PROCESS, 0));
        }
      fp_flag_server_stop (server);
      return;
    }

  g_setenv ("FP_TEST_BESIDE_WINDOW", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("FP_TEST_BESIDE_WINDOW", "0", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("FP_TEST_BESIDE_WINDOW");
}
#endif

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  ADD_TEST ("/flag-server/start", test_server_start);
  ADD_TEST ("/flag-server/serves-flags", test_server_serves_flags);
  ADD_TEST ("/flag-server/serves-every-iso-country", test_server_serves_every_iso_country);
  ADD_TEST ("/flag-server/path-without-prefix", test_server_path_without_prefix);
  ADD_TEST ("/flag-server/metadata", test_server_metadata);
  ADD_TEST ("/flag-server/not-found", test_server_not_found);
  ADD_TEST ("/flag-server/error-rate", test_server_error_rate);
  ADD_TEST ("/flag-server/error-rate-share", test_server_error_rate_share);
  ADD_TEST ("/flag-server/delay", test_server_delay);
  ADD_TEST ("/flag-server/counters", test_server_counters);
  ADD_TEST ("/flag-server/port-in-use", test_server_port_in_use);
  ADD_TEST ("/flag-server/descriptors-stay-flat", test_server_descriptors_stay_flat);
  g_test_add_func ("/flag-server/tree-dir", test_server_tree_dir);
  g_test_add_func ("/flag-server/idle-timeout", test_server_idle_timeout);
  g_test_add_func ("/flag-server/dir-symlinks", test_server_dir_symlinks);
  g_test_add_func ("/flag-server/given-port-and-stop", test_server_given_port_and_stop);
  g_test_add_func ("/flag-server/child", test_server_child);
  g_test_add_func ("/flag-server/child-outlives-no-parent", test_server_child_outlives_no_parent);
  g_test_add_func ("/flag-server/child-killed", test_server_child_killed);
#ifdef __linux__
  g_test_add_func ("/flag-server/priority", test_server_priority);
#endif

  return g_test_run ();
}
