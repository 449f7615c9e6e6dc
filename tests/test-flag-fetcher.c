/* test-flag-fetcher.c — one download against a server that misbehaves in every way listed in the SPEC
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-fetcher"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <utime.h>
#include <signal.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "flagpole-engine.h"
#include "fp-flag-fetcher-private.h"
#include "fp-response-check.h"
#include "fp-test-support.h"

typedef FpTestFolderFixture Fixture;

/* The fetcher writes into a folder that is there already. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  fp_test_folder_fixture_set_up (f, data);
  g_assert_cmpint (g_mkdir (f->dest, 0755), ==, 0);
}

static FpFlagFetcher *
make_fetcher (Fixture    *f,
              const char *fault,
              const char *extension,
              double      timeout_s)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, fault);

  return fp_flag_fetcher_new (base_url, extension, f->dest_file, 4, timeout_s);
}

static FpDownloadResult *
fetch (Fixture    *f,
       const char *fault,
       const char *code,
       double      timeout_s)
{
  g_autoptr(FpFlagFetcher) fetcher = make_fetcher (f, fault, "png", timeout_s);

  return fp_flag_fetcher_fetch (fetcher, code, NULL);
}

static char *
dest_path (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->dest, name, NULL);
}

/* Whether this file system keeps user extended attributes (tmpfs before Linux 6.6 does not). */
static gboolean
xattrs_supported (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "xattr-probe", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gboolean supported;

  g_file_set_contents (path, "", 0, NULL);
  supported = g_file_set_attribute_string (file, "xattr::flagpole-probe", "1",
                                           G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_unlink (path);
  return supported;
}

static void
test_fetch_ok (Fixture       *f,
               gconstpointer  data)
{
  /* The server's files are .gif in the URL but PNG in the bytes. */
  g_autoptr(FpFlagFetcher) fetcher = make_fetcher (f, "ok", "gif", 5.0);
  g_autoptr(FpDownloadResult) result = NULL;
  g_autoptr(GBytes) expected = fp_test_load_debian_flag ("br");
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autofree char *expected_url = g_strconcat (base_url, "/br/br.gif", NULL);
  g_autofree char *saved = dest_path (f, "br.png");
  g_auto(GStrv) paths = NULL;

  g_assert_cmpstr (fp_flag_fetcher_get_extension (fetcher), ==, "gif");
  g_assert_cmpfloat (fp_flag_fetcher_get_timeout (fetcher), ==, 5.0);
  g_assert_true (fp_flag_fetcher_get_destination (fetcher) == f->dest_file);

  result = fp_flag_fetcher_fetch (fetcher, "BR", NULL);

  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpstr (fp_download_result_get_code (result), ==, "BR");
  g_assert_cmpstr (fp_download_result_get_url (result), ==, expected_url);
  g_assert_cmpstr (fp_download_result_get_path (result), ==, saved);
  g_assert_cmpuint (fp_download_result_get_size (result), ==, g_bytes_get_size (expected));
  g_assert_cmpint (fp_download_result_get_width (result), ==, 320);
  g_assert_cmpint (fp_download_result_get_height (result), ==, 240);
  g_assert_cmpfloat (fp_download_result_get_elapsed (result), >=, 0.0);
  g_assert_nonnull (fp_download_result_get_message (result));
  g_assert_null (fp_download_result_get_error (result));
  g_assert_null (fp_download_result_get_error_nick (result));
  g_assert_cmpuint (fp_download_result_get_http_status (result), ==, 0);

  fp_test_assert_file_bytes (saved, expected);
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);

  /* The code reaches the URL in lower case, once. */
  paths = fp_test_server_dup_request_paths (f->server);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "/ok/br/br.gif");
}

static void
test_fetch_records_origin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(FpDownloadResult) result = NULL;
  g_autofree char *saved = dest_path (f, "jp.png");
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (!xattrs_supported (f->dest))
    {
      g_test_skip ("this file system does not keep user extended attributes");
      return;
    }

  result = fetch (f, "ok", "jp", 5.0);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);

  info = g_file_query_info (file, "xattr::xdg.origin.url", G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_file_info_get_attribute_string (info, "xattr::xdg.origin.url"), ==,
                   fp_download_result_get_url (result));
}

static void
test_fetch_replaces_with_new_bytes (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *saved = dest_path (f, "br.png");
  g_autoptr(GBytes) stale = fp_test_load_debian_flag ("de");
  g_autoptr(GBytes) fresh = fp_test_load_debian_flag ("br");
  g_autoptr(FpDownloadResult) result = NULL;

  /* A successful download does replace what is there. */
  fp_test_write_file (saved, stale);
  result = fetch (f, "ok", "br", 5.0);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  fp_test_assert_file_bytes (saved, fresh);
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);
}

static void
test_fetch_gif_as_text_plain (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(FpDownloadResult) result = fetch (f, "gif-text", "br", 5.0);
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autofree char *saved = dest_path (f, "br.gif");

  /* Neither the .png in the URL nor the text/plain counts: the bytes do. */
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpstr (fp_download_result_get_path (result), ==, saved);
  g_assert_cmpint (fp_download_result_get_width (result), ==, 1);
  g_assert_cmpint (fp_download_result_get_height (result), ==, 1);
  fp_test_assert_file_bytes (saved, gif);
  fp_test_assert_dir_holds (f->dest, "br.gif", NULL);
}

static void
test_fetch_new_format_replaces_old (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GBytes) png = fp_test_load_debian_flag ("br");
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autofree char *png_path = dest_path (f, "br.png");
  g_autofree char *gif_path = dest_path (f, "br.gif");
  g_autofree char *jpg_path = dest_path (f, "br.jpg");
  g_autoptr(FpDownloadResult) as_gif = NULL;
  g_autoptr(FpDownloadResult) as_png = NULL;

  /* One file per country: a GIF where a PNG and a JPEG were takes their place… */
  g_assert_cmpint (g_mkdir_with_parents (f->dest, 0755), ==, 0);
  fp_test_write_file (png_path, png);
  fp_test_write_file (jpg_path, png);
  as_gif = fetch (f, "gif-text", "br", 5.0);
  g_assert_cmpint (fp_download_result_get_status (as_gif), ==, FP_DOWNLOAD_STATUS_OK);
  fp_test_assert_dir_holds (f->dest, "br.gif", NULL);
  fp_test_assert_file_bytes (gif_path, gif);

  /* …and the other way round. */
  as_png = fetch (f, "ok", "br", 5.0);
  g_assert_cmpint (fp_download_result_get_status (as_png), ==, FP_DOWNLOAD_STATUS_OK);
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);
  fp_test_assert_file_bytes (png_path, png);
}

static void
test_fetch_one_redirect (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(FpDownloadResult) result = fetch (f, "redirect", "br", 5.0);
  g_autoptr(GBytes) expected = fp_test_load_debian_flag ("br");
  g_autofree char *saved = dest_path (f, "br.png");
  g_auto(GStrv) paths = fp_test_server_dup_request_paths (f->server);

  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  fp_test_assert_file_bytes (saved, expected);
  g_assert_cmpuint (g_strv_length (paths), ==, 2);
  g_assert_cmpstr (paths[0], ==, "/redirect/br/br.png");
  g_assert_cmpstr (paths[1], ==, "/ok/br/br.png");
}


/* A server that compresses (pre-compressed files, a CDN) announces the
 * encoded length: the decoded flag is longer, and it is saved. */
static void
test_fetch_content_encoded (Fixture       *f,
                            gconstpointer  data)
{
  const char *faults[] = { "gzip", "deflate" };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(FpDownloadResult) result = fetch (f, faults[i], "br", 5.0);
      g_autoptr(GBytes) expected = fp_test_load_debian_flag ("br");
      g_autofree char *saved = dest_path (f, "br.png");

      g_test_message ("%s: %s", faults[i], fp_download_result_get_message (result));
      g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
      fp_test_assert_file_bytes (saved, expected);
    }
}

static void
test_fetch_not_found (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FpDownloadResult) result = NULL;

  /* XX has no flag on the ok route: a real 404 from a well-behaved path. */
  result = fetch (f, "ok", "XX", 5.0);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_NOT_FOUND);
  g_assert_cmpstr (fp_download_result_get_message (result), ==, "not found");
  g_assert_null (fp_download_result_get_path (result));
  fp_test_assert_dir_holds (f->dest, NULL);
}

/* A failure: the right status and message, nothing left behind, and a
 * good flag already in the destination untouched. */
typedef struct {
  const char *fault;
  FpDownloadStatus status;
  const char *message;          /* exact, or NULL */
  const char *message_part;     /* a part of it, or NULL */
  double timeout_s;
  gsize max_body_size;          /* 0: the default */
  FpDownloadError code;         /* the result's error code */
  guint http_status;            /* the result's HTTP status, 0 for none */
} Failure;

static void
check_failure_with (Fixture       *f,
                    const Failure *failure,
                    const char    *base_url)
{
  g_autoptr(FpFlagFetcher) fetcher = NULL;
  g_autoptr(FpDownloadResult) result = NULL;
  g_autoptr(GBytes) good = fp_test_load_debian_flag ("br");
  g_autofree char *existing = dest_path (f, "br.png");
  const char *message;

  g_test_message ("fault %s", failure->fault);

  /* A good flag from an earlier run must survive the failed download. */
  fp_test_write_file (existing, good);

  fetcher = fp_flag_fetcher_new (base_url, "png", f->dest_file, 4,
                                 failure->timeout_s > 0 ? failure->timeout_s : 5.0);
  if (failure->max_body_size > 0)
    fp_flag_fetcher_set_max_body_size (fetcher, failure->max_body_size);

  result = fp_flag_fetcher_fetch (fetcher, "br", NULL);
  message = fp_download_result_get_message (result);
  g_test_message ("status %s, message “%s”",
                  fp_download_status_to_string (fp_download_result_get_status (result)), message);

  g_assert_cmpint (fp_download_result_get_status (result), ==, failure->status);
  g_assert_cmpstr (fp_download_result_get_code (result), ==, "BR");
  /* A code a caller can test, with the very words a person reads. */
  g_test_message ("error code %s, HTTP %u", fp_download_result_get_error_nick (result),
                  fp_download_result_get_http_status (result));
  g_assert_error (fp_download_result_get_error (result), FP_DOWNLOAD_ERROR, (int) failure->code);
  g_assert_cmpstr (fp_download_result_get_error (result)->message, ==, message);
  g_assert_cmpuint (fp_download_result_get_http_status (result), ==, failure->http_status);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  if (failure->message != NULL)
    g_assert_cmpstr (message, ==, failure->message);
  if (failure->message_part != NULL && strstr (message, failure->message_part) == NULL)
    g_error ("message “%s” does not mention “%s”", message, failure->message_part);
  g_assert_null (fp_download_result_get_path (result));
  g_assert_cmpuint (fp_download_result_get_size (result), ==, 0);

  /* No partial file, no temporary file, the old flag byte for byte. */
  fp_test_assert_dir_holds (f->dest, "br.png", NULL);
  fp_test_assert_file_bytes (existing, good);
  /* And nothing beside the destination either. */
  fp_test_assert_dir_holds (f->root, "flags", NULL);
}

static void
check_failure (Fixture       *f,
               gconstpointer  data)
{
  const Failure *failure = data;
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, failure->fault);

  check_failure_with (f, failure, base_url);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), >=, 1);
}

static const Failure failures[] = {
  { "404",           FP_DOWNLOAD_STATUS_NOT_FOUND, "not found", NULL,
    .code = FP_DOWNLOAD_ERROR_NOT_FOUND, .http_status = 404 },
  { "418",           FP_DOWNLOAD_STATUS_ERROR, "HTTP 418 I'm a Teapot", NULL,
    .code = FP_DOWNLOAD_ERROR_HTTP_STATUS, .http_status = 418 },
  { "500",           FP_DOWNLOAD_STATUS_ERROR, "HTTP 500 Internal Server Error", NULL,
    .code = FP_DOWNLOAD_ERROR_HTTP_STATUS, .http_status = 500 },
  { "503",           FP_DOWNLOAD_STATUS_ERROR, "HTTP 503 Service Unavailable", NULL,
    .code = FP_DOWNLOAD_ERROR_HTTP_STATUS, .http_status = 503 },
  { "403",           FP_DOWNLOAD_STATUS_ERROR, "HTTP 403 Forbidden", NULL,
    .code = FP_DOWNLOAD_ERROR_HTTP_STATUS, .http_status = 403 },
  { "short",         FP_DOWNLOAD_STATUS_ERROR, NULL, NULL, .code = FP_DOWNLOAD_ERROR_CUT_SHORT },
  { "short-complete", FP_DOWNLOAD_STATUS_ERROR, NULL, NULL, .code = FP_DOWNLOAD_ERROR_CUT_SHORT },
  { "reset",         FP_DOWNLOAD_STATUS_ERROR, NULL, "reset", .code = FP_DOWNLOAD_ERROR_RESET },
  { "stall",         FP_DOWNLOAD_STATUS_ERROR, "timed out after 1.0 s", NULL, 1.0,
    .code = FP_DOWNLOAD_ERROR_TIMEOUT },
  { "stall-body",    FP_DOWNLOAD_STATUS_ERROR, "timed out after 1.0 s", NULL, 1.0,
    .code = FP_DOWNLOAD_ERROR_TIMEOUT },
  { "not-image",     FP_DOWNLOAD_STATUS_ERROR, "response is not an image", NULL,
    .code = FP_DOWNLOAD_ERROR_NOT_AN_IMAGE },
  { "truncated-png", FP_DOWNLOAD_STATUS_ERROR, "response is not an image", NULL,
    .code = FP_DOWNLOAD_ERROR_NOT_AN_IMAGE },
  { "huge",          FP_DOWNLOAD_STATUS_ERROR, "response larger than 10 MiB", NULL,
    .code = FP_DOWNLOAD_ERROR_TOO_LARGE },
  { "huge-nolength", FP_DOWNLOAD_STATUS_ERROR, "response larger than 10 MiB", NULL,
    .code = FP_DOWNLOAD_ERROR_TOO_LARGE },
  { "ok",            FP_DOWNLOAD_STATUS_ERROR, NULL, "response larger than", 0, 1000,
    .code = FP_DOWNLOAD_ERROR_TOO_LARGE },
  { "redirect-loop", FP_DOWNLOAD_STATUS_ERROR, "too many redirects", NULL,
    .code = FP_DOWNLOAD_ERROR_TOO_MANY_REDIRECTS },
  { "empty",         FP_DOWNLOAD_STATUS_ERROR, NULL, NULL, .code = FP_DOWNLOAD_ERROR_EMPTY },
  { "corrupt-png",   FP_DOWNLOAD_STATUS_ERROR, "response is not an image", NULL,
    .code = FP_DOWNLOAD_ERROR_NOT_AN_IMAGE },
  { "close-before-answer", FP_DOWNLOAD_STATUS_ERROR, "connection closed before any answer", NULL,
    .code = FP_DOWNLOAD_ERROR_RESET },
  { "reset-before-answer", FP_DOWNLOAD_STATUS_ERROR, "connection reset", NULL,
    .code = FP_DOWNLOAD_ERROR_RESET },
  { "huge-headers",  FP_DOWNLOAD_STATUS_ERROR, "response headers too large", NULL,
    .code = FP_DOWNLOAD_ERROR_MALFORMED },
  { "bad-chunk",     FP_DOWNLOAD_STATUS_ERROR, "malformed chunked response", NULL,
    .code = FP_DOWNLOAD_ERROR_MALFORMED },
  { "gzip-short",    FP_DOWNLOAD_STATUS_ERROR, "response cut short", NULL, .code = FP_DOWNLOAD_ERROR_CUT_SHORT },
  { "huge-png",      FP_DOWNLOAD_STATUS_ERROR, NULL, "image is too large for a flag",
    .code = FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE },
  { "huge-gif",      FP_DOWNLOAD_STATUS_ERROR, NULL, "image is too large for a flag",
    .code = FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE },
};

static void
test_fetch_refused (Fixture       *f,
                    gconstpointer  data)
{
  const Failure refused = { "refused", FP_DOWNLOAD_STATUS_ERROR, NULL, NULL,
                            .code = FP_DOWNLOAD_ERROR_REFUSED };
  g_autofree char *base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", fp_test_get_closed_port ());

  check_failure_with (f, &refused, base_url);
}

static void
test_fetch_redirect_limit (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(FpDownloadResult) result = fetch (f, "redirect-loop", "br", 5.0);

  /* The first request and FP_MAX_REDIRECTS more, not libsoup's twenty. */
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, FP_MAX_REDIRECTS + 1);
}

static void
test_fetch_invalid_codes (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FpFlagFetcher) fetcher = make_fetcher (f, "ok", "png", 5.0);
  const char *codes[] = { "b/", "../", "..", "BRA", "", "B", "é", "/b", "b\\", ".b", "%2e", "b\n" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(FpDownloadResult) result = NULL;
      g_autofree char *url = fp_flag_fetcher_build_url (fetcher, codes[i]);

      g_test_message ("code “%s”", codes[i]);
      g_assert_null (url);
      result = fp_flag_fetcher_fetch (fetcher, codes[i], NULL);
      g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_ERROR);
      g_assert_error (fp_download_result_get_error (result), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_INVALID_CODE);
      g_assert_null (fp_download_result_get_path (result));
      g_assert_null (fp_download_result_get_url (result));
    }

  {
    g_autoptr(FpDownloadResult) result = fp_flag_fetcher_fetch (fetcher, NULL, NULL);
    g_autofree char *url = fp_flag_fetcher_build_url (fetcher, NULL);

    g_assert_null (url);
    g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_ERROR);
  }

  /* Nothing reached the server, nothing reached the disk. */
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 0);
  fp_test_assert_dir_holds (f->dest, NULL);
  fp_test_assert_dir_holds (f->root, "flags", NULL);
}

static void
test_fetch_build_url (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FpFlagFetcher) fetcher = NULL;
  g_autofree char *url = NULL;

  fetcher = fp_flag_fetcher_new ("http://example.invalid/data/flags/", ".gif", f->dest_file, 1, 5.0);
  url = fp_flag_fetcher_build_url (fetcher, "BR");
  /* Lower case, one slash, the extension without its dot. */
  g_assert_cmpstr (url, ==, "http://example.invalid/data/flags/br/br.gif");
  g_clear_pointer (&url, g_free);
  url = fp_flag_fetcher_build_url (fetcher, "cD");
  g_assert_cmpstr (url, ==, "http://example.invalid/data/flags/cd/cd.gif");
  g_clear_object (&fetcher);
  g_clear_pointer (&url, g_free);

  /* A query stays after the flag's name, a fragment goes, %-escapes stay. */
  fetcher = fp_flag_fetcher_new ("https://user@example.invalid:8443/a%20b/flags/?token=x%2Fy&z=1#top",
                                 "png", f->dest_file, 1, 5.0);
  url = fp_flag_fetcher_build_url (fetcher, "BR");
  g_assert_cmpstr (url, ==, "https://user@example.invalid:8443/a%20b/flags/br/br.png?token=x%2Fy&z=1");

  /* The fetcher's URLs are fp_flag_url_build()'s, whatever letters the
   * base holds itself, and nothing but a code makes one. */
  {
    const char *bases[] = { "http://aa.invalid/aa/zz/", "http://zz.invalid:8080/flags?aa=zz#aa",
                            "not a url aa", "http://h.invalid/a" };
    const char *codes[] = { "br", "AA", "zz", "Cd" };

    for (guint i = 0; i < G_N_ELEMENTS (bases); i++)
      {
        g_autoptr(FpFlagFetcher) other = fp_flag_fetcher_new (bases[i], "gif", f->dest_file, 1, 5.0);

        for (guint j = 0; j < G_N_ELEMENTS (codes); j++)
          {
            g_autofree char *made = fp_flag_fetcher_build_url (other, codes[j]);
            g_autofree char *expected = fp_flag_url_build (bases[i], codes[j], "gif");

            g_assert_cmpstr (made, ==, expected);
          }
        g_assert_null (fp_flag_fetcher_build_url (other, "b"));
        g_assert_null (fp_flag_fetcher_build_url (other, "b1"));
      }
  }
}

/* A source with a query: every request carries it, and works. */
static void
test_fetch_source_with_query (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autofree char *source = g_strconcat (base_url, "?x=1#frag", NULL);
  g_autoptr(FpFlagFetcher) fetcher = fp_flag_fetcher_new (source, "png", f->dest_file, 1, 5.0);
  g_autoptr(FpDownloadResult) result = fp_flag_fetcher_fetch (fetcher, "br", NULL);
  g_auto(GStrv) paths = fp_test_server_dup_request_paths (f->server);

  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpuint (g_strv_length (paths), ==, 1);
  g_assert_cmpstr (paths[0], ==, "/ok/br/br.png?x=1");
}

static void
test_fetch_source_url_is_valid (void)
{
  const char *good[] = {
    "http://127.0.0.1:8000/flags", "https://www.fluentpython.com/data/flags", "HTTP://example.com",
  };
  const char *bad[] = {
    "", "flags", "ftp://example.com/flags", "file:///usr/share", "http://", "127.0.0.1:8000", "builtin",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_test_message ("source “%s”", good[i]);
      g_assert_true (fp_source_url_is_valid (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_test_message ("source “%s”", bad[i]);
      g_assert_false (fp_source_url_is_valid (bad[i], &error));
      g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE);
    }
  g_assert_false (fp_source_url_is_valid (NULL, NULL));
}

static void
test_prepare_destination (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *file_path = g_build_filename (f->root, "a-file", NULL);
  g_autofree char *under_file = g_build_filename (file_path, "flags", NULL);
  g_autofree char *nested = g_build_filename (f->root, "new", "deeper", "flags", NULL);
  g_autoptr(GFile) under_file_dest = g_file_new_for_path (under_file);
  g_autoptr(GFile) nested_dest = g_file_new_for_path (nested);
  g_autoptr(GBytes) text = g_bytes_new_static ("not a folder", 12);
  g_autoptr(FpFlagFetcher) bad = NULL;
  g_autoptr(FpFlagFetcher) good = NULL;
  g_autoptr(FpDownloadResult) result = NULL;
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");

  fp_test_write_file (file_path, text);
  bad = fp_flag_fetcher_new (base_url, "png", under_file_dest, 1, 5.0);
  g_assert_false (fp_flag_fetcher_prepare_destination (bad, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION);
  g_assert_nonnull (strstr (error->message, "a-file"));
  g_clear_error (&error);

  /* A fetch into it fails as an error result, without touching anything. */
  result = fp_flag_fetcher_fetch (bad, "br", NULL);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_ERROR);
  fp_test_assert_file_bytes (file_path, text);

  /* A missing folder is made, and the probe file does not stay. */
  good = fp_flag_fetcher_new (base_url, "png", nested_dest, 1, 5.0);
  g_assert_true (fp_flag_fetcher_prepare_destination (good, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (nested, G_FILE_TEST_IS_DIR));
  fp_test_assert_dir_holds (nested, NULL);
}


static void
write_aged (const char *path,
            gint64      age_s)
{
  g_autoptr(GBytes) half = g_bytes_new_static ("\x89PNG half", 9);
  struct utimbuf times;

  fp_test_write_file (path, half);
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - age_s);
  g_assert_cmpint (utime (path, &times), ==, 0);
}

/* A killed run leaves ".{cc}-XXXXXX.part" files: the next batch sweeps
 * the old ones of our own naming, and nothing else. */
static void
test_prepare_destination_sweeps_parts (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autoptr(FpFlagFetcher) fetcher = fp_flag_fetcher_new (base_url, "png", f->dest_file, 1, 5.0);
  const char *stale[] = { ".br-AbC123.part", ".jp-x9Y8z7.part", ".flagpole-Q1w2E3" };
  const char *kept_old[] = { ".br-abc.part", "notes.part", ".BR-AbC123.part", "br.png" };
  g_autofree char *fresh = dest_path (f, ".de-Zz9Yy8.part");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (f->dest, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *path = dest_path (f, stale[i]);
      write_aged (path, 3600);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept_old); i++)
    {
      g_autofree char *path = dest_path (f, kept_old[i]);
      write_aged (path, 3600);
    }
  /* A run saving right now. */
  write_aged (fresh, 0);

  g_assert_true (fp_flag_fetcher_prepare_destination (fetcher, &error));
  g_assert_no_error (error);
  fp_test_assert_dir_holds (f->dest, ".br-abc.part", "notes.part", ".BR-AbC123.part", "br.png",
                            ".de-Zz9Yy8.part", NULL);
}

static void
prepare_with_file_size_limit (void)
{
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  g_autoptr(FpFlagFetcher) fetcher = fp_flag_fetcher_new ("http://127.0.0.1:1/flags", "png", dest, 1, 5.0);
  g_autoptr(GError) error = NULL;
  struct rlimit none = { 0, 0 };

  /* No byte may be written, as on a full disk; a name can still be made. */
  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &none), ==, 0);
  g_assert_false (fp_flag_fetcher_prepare_destination (fetcher, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION);
  g_print ("%s\n", error->message);
  fp_test_assert_dir_holds (root, NULL);
  fp_test_remove_tree (root);
}

/* The probe writes a byte: a destination that takes names but no data
 * (a full disk) is refused before the batch. */
static void
test_prepare_destination_full_disk (void)
{
  if (g_test_subprocess ())
    {
      prepare_with_file_size_limit ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Cannot save flags in*");
}

/* A user name and password in the source are used for the request, but
 * kept out of the file's origin and the result's URL. */
static void
test_fetch_strips_credentials (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *plain = g_strdup_printf ("http://127.0.0.1:%u/ok", fp_test_server_get_port (f->server));
  g_autofree char *with_secret = g_strdup_printf ("http://flag:s3cret@127.0.0.1:%u/ok",
                                                  fp_test_server_get_port (f->server));
  g_autoptr(FpFlagFetcher) fetcher = fp_flag_fetcher_new (with_secret, "png", f->dest_file, 1, 5.0);
  g_autoptr(FpDownloadResult) result = fp_flag_fetcher_fetch (fetcher, "br", NULL);
  g_autofree char *expected = g_strconcat (plain, "/br/br.png", NULL);
  g_autofree char *saved = dest_path (f, "br.png");
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GFileInfo) info = NULL;
  const char *origin;

  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpstr (fp_download_result_get_url (result), ==, expected);
  info = g_file_query_info (file, "xattr::xdg.origin.url", G_FILE_QUERY_INFO_NONE, NULL, NULL);
  origin = info != NULL ? g_file_info_get_attribute_string (info, "xattr::xdg.origin.url") : NULL;
  /* Some file systems keep no extended attributes; where they do, no secret. */
  if (origin != NULL)
    g_assert_cmpstr (origin, ==, expected);

  {
    g_autofree char *a = fp_url_strip_credentials ("https://u:p@example.invalid:81/x/?q=1#f");
    g_autofree char *b = fp_url_strip_credentials ("https://example.invalid/x");
    g_assert_cmpstr (a, ==, "https://example.invalid:81/x/?q=1#f");
    g_assert_cmpstr (b, ==, "https://example.invalid/x");
  }
}

static void
test_prepare_destination_read_only (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagFetcher) fetcher = make_fetcher (f, "ok", "png", 5.0);
  g_autoptr(FpDownloadResult) result = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root writes in read-only folders");
      return;
    }

  g_assert_cmpint (g_chmod (f->dest, 0555), ==, 0);
  g_assert_false (fp_flag_fetcher_prepare_destination (fetcher, &error));
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION);

  result = fp_flag_fetcher_fetch (fetcher, "br", NULL);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_ERROR);
  g_assert_cmpint (g_chmod (f->dest, 0755), ==, 0);
  fp_test_assert_dir_holds (f->dest, NULL);
}

static gpointer
cancel_soon (gpointer data)
{
  /* Cancelling from another thread, as the main thread does for a batch. */
  g_usleep (G_USEC_PER_SEC / 5);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_fetch_cancel_during_stall (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(FpFlagFetcher) fetcher = NULL;
  g_autoptr(FpDownloadResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) good = fp_test_load_debian_flag ("br");
  g_autofree char *existing = dest_path (f, "br.png");
  const char *faults[] = { "stall", "stall-body" };

  fp_test_write_file (existing, good);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      GThread *canceller;

      g_cancellable_reset (cancellable);
      g_clear_object (&fetcher);
      g_clear_object (&result);
      /* A timeout far away: only the cancellation can end these stalls,
       * so a status other than CANCELLED means it did not. */
      fetcher = make_fetcher (f, faults[i], "png", 60.0);
      canceller = g_thread_new ("canceller", cancel_soon, cancellable);
      result = fp_flag_fetcher_fetch (fetcher, "br", cancellable);
      g_thread_join (canceller);

      g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_CANCELLED);
      g_assert_error (fp_download_result_get_error (result), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_CANCELLED);
      g_assert_cmpstr (fp_download_result_get_error_nick (result), ==, "cancelled");
      g_assert_null (fp_download_result_get_path (result));
      fp_test_assert_dir_holds (f->dest, "br.png", NULL);
      fp_test_assert_file_bytes (existing, good);
    }
}

static void
test_fetch_already_cancelled (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(FpFlagFetcher) fetcher = make_fetcher (f, "ok", "png", 5.0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(FpDownloadResult) result = NULL;

  g_cancellable_cancel (cancellable);
  result = fp_flag_fetcher_fetch (fetcher, "br", cancellable);
  g_assert_cmpint (fp_download_result_get_status (result), ==, FP_DOWNLOAD_STATUS_CANCELLED);
  g_assert_error (fp_download_result_get_error (result), FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_CANCELLED);
  g_assert_cmpuint (fp_test_server_get_request_count (f->server), ==, 0);
  fp_test_assert_dir_holds (f->dest, NULL);
}

typedef struct {
  FpFlagFetcher *fetcher;
  const char *code;
  FpDownloadResult *result;
} FetchJob;

static gpointer
fetch_in_thread (gpointer data)
{
  FetchJob *job = data;

  job->result = fp_flag_fetcher_fetch (job->fetcher, job->code, NULL);
  return NULL;
}

static void
test_fetch_connections_per_host (Fixture       *f,
                                 gconstpointer  data)
{
  /* libsoup allows 2 connections per host by default: a fetcher made for
   * 6 must really have 6 requests in flight on one host. */
  const char *codes[] = { "br", "cn", "de", "fr", "in", "jp" };
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, "ok");
  g_autoptr(FpFlagFetcher) fetcher = fp_flag_fetcher_new (base_url, "png", f->dest_file,
                                                          G_N_ELEMENTS (codes), 120.0);
  FetchJob jobs[G_N_ELEMENTS (codes)];
  GThread *threads[G_N_ELEMENTS (codes)];

  /* No answer until all six are in: a fetcher capped below six would wait
   * at the gate until its deadline, however fast or slow the machine. */
  fp_test_server_hold_answers_until (f->server, G_N_ELEMENTS (codes));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      jobs[i] = (FetchJob) { fetcher, codes[i], NULL };
      threads[i] = g_thread_new ("fetch", fetch_in_thread, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (fp_download_result_get_status (jobs[i].result), ==, FP_DOWNLOAD_STATUS_OK);
      g_object_unref (jobs[i].result);
    }

  g_assert_false (fp_test_server_get_gate_timed_out (f->server));
  g_assert_cmpuint (fp_test_server_get_peak_in_flight (f->server), ==, G_N_ELEMENTS (codes));
  fp_test_assert_dir_holds (f->dest, "br.png", "cn.png", "de.png", "fr.png", "in.png", "jp.png", NULL);
}

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fp_test_folder_fixture_tear_down)

/* Every strategy reads a body the same way: the rest of an announced
 * length at once, then one byte for the end of the stream, else chunks. */
static void
test_body_reads (void)
{
  g_autoptr(GByteArray) body = fp_response_body_new (100);
  g_autoptr(GByteArray) unannounced = fp_response_body_new (0);
  gsize want;
  guint8 *at;

  at = fp_response_body_reserve (body, 100, &want);
  g_assert_true (at == body->data);
  g_assert_cmpuint (want, ==, 101);
  g_byte_array_set_size (body, 60);           /* a short read */
  at = fp_response_body_reserve (body, 100, &want);
  g_assert_true (at == body->data + 60);
  g_assert_cmpuint (want, ==, 41);
  g_byte_array_set_size (body, 100);
  fp_response_body_reserve (body, 100, &want);
  g_assert_cmpuint (want, ==, 1);             /* the end of the stream answers */
  g_byte_array_set_size (body, 101);          /* more than announced (decoded) */
  fp_response_body_reserve (body, 100, &want);
  g_assert_cmpuint (want, ==, 16 * 1024);

  at = fp_response_body_reserve (unannounced, 0, &want);
  g_assert_true (at == unannounced->data);
  g_assert_cmpuint (want, ==, 16 * 1024);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  ADD_TEST ("/flag-fetcher/ok", test_fetch_ok);
  ADD_TEST ("/flag-fetcher/records-origin", test_fetch_records_origin);
  ADD_TEST ("/flag-fetcher/replaces-with-new-bytes", test_fetch_replaces_with_new_bytes);
  ADD_TEST ("/flag-fetcher/gif-as-text-plain", test_fetch_gif_as_text_plain);
  ADD_TEST ("/flag-fetcher/one-redirect", test_fetch_one_redirect);
  ADD_TEST ("/flag-fetcher/not-found", test_fetch_not_found);
  ADD_TEST ("/flag-fetcher/content-encoded", test_fetch_content_encoded);
  ADD_TEST ("/flag-fetcher/source-with-query", test_fetch_source_with_query);
  ADD_TEST ("/flag-fetcher/strips-credentials", test_fetch_strips_credentials);
  ADD_TEST ("/flag-fetcher/prepare-destination-sweeps-parts", test_prepare_destination_sweeps_parts);
  g_test_add_func ("/flag-fetcher/prepare-destination-full-disk", test_prepare_destination_full_disk);
  for (guint i = 0; i < G_N_ELEMENTS (failures); i++)
    {
      g_autofree char *path = NULL;

      path = g_strdup_printf ("/flag-fetcher/failure/%s%s", failures[i].fault,
                              failures[i].max_body_size > 0 ? "-over-limit" : "");
      g_test_add (path, Fixture, &failures[i], fixture_set_up, check_failure, fp_test_folder_fixture_tear_down);
    }
  ADD_TEST ("/flag-fetcher/failure/refused", test_fetch_refused);
  ADD_TEST ("/flag-fetcher/redirect-limit", test_fetch_redirect_limit);
  ADD_TEST ("/flag-fetcher/invalid-codes", test_fetch_invalid_codes);
  ADD_TEST ("/flag-fetcher/build-url", test_fetch_build_url);
  g_test_add_func ("/flag-fetcher/source-url-is-valid", test_fetch_source_url_is_valid);
  g_test_add_func ("/flag-fetcher/body-reads", test_body_reads);
  ADD_TEST ("/flag-fetcher/prepare-destination", test_prepare_destination);
  ADD_TEST ("/flag-fetcher/prepare-destination-read-only", test_prepare_destination_read_only);
  ADD_TEST ("/flag-fetcher/cancel-during-stall", test_fetch_cancel_during_stall);
  ADD_TEST ("/flag-fetcher/already-cancelled", test_fetch_already_cancelled);
  ADD_TEST ("/flag-fetcher/connections-per-host", test_fetch_connections_per_host);
  ADD_TEST ("/flag-fetcher/new-format-replaces-old", test_fetch_new_format_replaces_old);

  return g_test_run ();
}
