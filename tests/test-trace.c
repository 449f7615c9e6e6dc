/* test-trace.c — the Chrome trace-event file: its shape, one event per code, tracks that never overlap
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-trace"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

static char **
take_codes (guint n)
{
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  char **codes = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    codes[i] = g_strdup (all[i]);
  return codes;
}

static FpDownloadBatch *
run_batch (const char * const *codes,
           const char         *base_url,
           guint               concurrency,
           const char         *dest)
{
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  FpDownloadBatch *batch;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  batch = fp_download_batch_new (codes, base_url, "png", dest_file);
  fp_download_batch_set_concurrency (batch, concurrency);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));
  return batch;
}

/* Writes the batch's trace to a file, reads it back as any tool would. */
static JsonNode *
write_and_parse (FpDownloadBatch *batch,
                 const char      *root)
{
  g_autofree char *path = g_build_filename (root, "trace.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fp_trace_write_file (fp_download_batch_get_results (batch),
                                      fp_download_batch_get_workers (batch),
                                      fp_download_batch_get_strategy (batch),
                                      fp_download_batch_get_elapsed (batch),
                                      file, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

typedef struct {
  gint64 ts;
  gint64 end;
  const char *name;
  const char *cat;
} Span;

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *sa = a, *sb = b;

  if (sa->ts != sb->ts)
    return (sa->ts > sb->ts) - (sa->ts < sb->ts);
  /* The enclosing one first. */
  return (sa->end < sb->end) - (sa->end > sb->end);
}

/* Complete events of one track either nest or follow each other. */
static void
assert_track_nests (GArray *spans,
                    gint64  tid)
{
  Span stack[8];
  guint depth = 0;

  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);

      while (depth > 0 && stack[depth - 1].end <= span->ts)
        depth--;
      if (depth > 0 && span->end > stack[depth - 1].end)
        g_error ("track %" G_GINT64_FORMAT ": %s [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT
                 "] overlaps %s [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]",
                 tid, span->name, span->ts, span->end,
                 stack[depth - 1].name, stack[depth - 1].ts, stack[depth - 1].end);
      /* A download holds only phases; a phase holds nothing. */
      if (depth > 0)
        g_assert_cmpstr (stack[depth - 1].cat, ==, "download");
      if (depth > 0)
        g_assert_cmpstr (span->cat, ==, "phase");
      g_assert_cmpuint (depth, <, G_N_ELEMENTS (stack));
      stack[depth++] = *span;
    }
}

/* Every rule of the SPEC's trace; returns the number of download tracks. */
static guint
check_trace (JsonNode           *root,
             const char * const *codes,
             guint               concurrency,
             double              elapsed_s)
{
  JsonObject *object = json_node_get_object (root);
  JsonArray *events;
  g_autoptr(GHashTable) tracks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                        (GDestroyNotify) g_array_unref);
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) downloads = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) download_tracks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gint64 span_end = 0, peak = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_true (json_object_has_member (object, "traceEvents"));
  events = json_object_get_array_member (object, "traceEvents");

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = json_object_get_string_member (event, "ph");

      g_assert_nonnull (ph);
      g_assert_true (json_object_has_member (event, "pid"));
      if (g_str_equal (ph, "M"))
        {
          if (g_str_equal (json_object_get_string_member (event, "name"), "thread_name"))
            {
              JsonObject *args = json_object_get_object_member (event, "args");

              g_assert_nonnull (json_object_get_string_member (args, "name"));
              g_hash_table_add (named, g_memdup2 (&(gint64) { json_object_get_int_member (event, "tid") },
                                                  sizeof (gint64)));
            }
        }
      else if (g_str_equal (ph, "X"))
        {
          gint64 tid = json_object_get_int_member (event, "tid");
          Span span = {
            .ts = json_object_get_int_member (event, "ts"),
            .end = json_object_get_int_member (event, "ts") + json_object_get_int_member (event, "dur"),
            .name = json_object_get_string_member (event, "name"),
            .cat = json_object_get_string_member (event, "cat"),
          };
          GArray *spans = g_hash_table_lookup (tracks, &tid);

          g_assert_cmpint (span.ts, >=, 0);
          g_assert_cmpint (span.end, >=, span.ts);
          span_end = MAX (span_end, span.end);
          if (spans == NULL)
            {
              spans = g_array_new (FALSE, FALSE, sizeof (Span));
              g_hash_table_insert (tracks, g_memdup2 (&tid, sizeof tid), spans);
            }
          g_array_append_val (spans, span);

          if (g_str_equal (span.cat, "download"))
            {
              JsonObject *args = json_object_get_object_member (event, "args");

              g_assert_false (g_hash_table_contains (downloads, span.name));
              g_hash_table_add (downloads, (gpointer) span.name);
              g_hash_table_add (download_tracks, g_memdup2 (&tid, sizeof tid));
              g_assert_cmpint (tid, >=, 1);
              g_assert_cmpint (tid, <=, concurrency);
              g_assert_cmpstr (json_object_get_string_member (args, "status"), ==, "ok");
              g_assert_cmpint (json_object_get_int_member (args, "http_status"), ==, 200);
              g_assert_nonnull (json_object_get_string_member (args, "message"));
              g_assert_true (g_str_has_suffix (json_object_get_string_member (args, "url"), ".png"));
              g_assert_cmpint (json_object_get_int_member (args, "size"), >, 0);
            }
          else
            {
              g_assert_cmpstr (span.cat, ==, "phase");
            }
        }
      else if (g_str_equal (ph, "C"))
        {
          gint64 n = json_object_get_int_member (json_object_get_object_member (event, "args"), "requests");

          g_assert_cmpint (n, >=, 0);
          peak = MAX (peak, n);
        }
      else
        {
          g_error ("unexpected event type %s", ph);
        }
    }

  /* One download event per code, no other. */
  g_assert_cmpuint (g_hash_table_size (downloads), ==, g_strv_length ((char **) codes));
  for (guint i = 0; codes[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (downloads, codes[i]));

  /* Every track is named and nests. */
  g_hash_table_iter_init (&iter, tracks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (g_hash_table_contains (named, key));
      assert_track_nests (value, *(gint64 *) key);
    }

  /* Never more in flight than the slots; the span is the batch's. */
  g_assert_cmpint (peak, <=, concurrency);
  g_assert_cmpint (peak, >=, 1);
  g_assert_cmpint (span_end, <=, (gint64) (elapsed_s * G_USEC_PER_SEC));

  return g_hash_table_size (download_tracks);
}

static void
test_trace_shape (gconstpointer data)
{
  guint concurrency = GPOINTER_TO_UINT (data);
  guint n = MIN (249, concurrency * 3);
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "ok");
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autofree char *dest = g_build_filename (root, "flags", NULL);
  g_auto(GStrv) codes = take_codes (n);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(JsonNode) trace = NULL;

  /* All c in at once before any answer: c slots must have run. */
  fp_test_server_hold_answers_until (server, concurrency);
  batch = run_batch ((const char * const *) codes, base_url, concurrency, dest);
  g_assert_false (fp_test_server_get_gate_timed_out (server));
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, n);

  trace = write_and_parse (batch, root);
  g_assert_cmpuint (check_trace (trace, (const char * const *) codes, concurrency,
                                 fp_download_batch_get_elapsed (batch)), ==, concurrency);

  /* The counter reached c: they were all in at once. */
  {
    JsonArray *events = json_object_get_array_member (json_node_get_object (trace), "traceEvents");
    gint64 peak = 0;

    for (guint i = 0; i < json_array_get_length (events); i++)
      {
        JsonObject *event = json_array_get_object_element (events, i);

        if (g_str_equal (json_object_get_string_member (event, "ph"), "C"))
          peak = MAX (peak, json_object_get_int_member (json_object_get_object_member (event, "args"),
                                                        "requests"));
      }
    g_assert_cmpint (peak, ==, concurrency);
  }

  fp_test_remove_tree (root);
}

/* Failures keep their status, HTTP status and message in the args. */
static void
test_trace_failures (void)
{
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "bycode");
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autofree char *dest = g_build_filename (root, "flags", NULL);
  const char *codes[] = { "BR", "QZ", "FR", NULL };
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(JsonNode) trace = NULL;
  JsonArray *events;
  guint seen = 0;

  fp_test_server_set_code_fault (server, "QZ", "404");
  fp_test_server_set_code_fault (server, "FR", "418");
  batch = run_batch (codes, base_url, 3, dest);
  trace = write_and_parse (batch, root);

  events = json_object_get_array_member (json_node_get_object (trace), "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      JsonObject *args;
      const char *name;

      if (!g_str_equal (json_object_get_string_member (event, "ph"), "X") ||
          !g_str_equal (json_object_get_string_member (event, "cat"), "download"))
        continue;
      name = json_object_get_string_member (event, "name");
      args = json_object_get_object_member (event, "args");
      if (g_str_equal (name, "QZ"))
        {
          g_assert_cmpstr (json_object_get_string_member (args, "status"), ==, "not_found");
          g_assert_cmpint (json_object_get_int_member (args, "http_status"), ==, 404);
          seen |= 1;
        }
      else if (g_str_equal (name, "FR"))
        {
          g_assert_cmpstr (json_object_get_string_member (args, "status"), ==, "error");
          g_assert_cmpint (json_object_get_int_member (args, "http_status"), ==, 418);
          g_assert_cmpstr (json_object_get_string_member (args, "message"), ==, "HTTP 418 I'm a Teapot");
          seen |= 2;
        }
    }
  g_assert_cmpuint (seen, ==, 3);
  fp_test_remove_tree (root);
}

/* A download that never ran still has its one event, on its own track. */
static void
test_trace_never_started (void)
{
  g_autoptr(FpDownloadResult) result = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_CANCELLED, NULL);
  g_autoptr(GPtrArray) results = g_ptr_array_new ();
  g_autoptr(JsonNode) trace = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonArray *events;
  guint n_downloads = 0;

  g_ptr_array_add (results, result);
  text = fp_trace_to_string (results, 4, FP_DOWNLOAD_STRATEGY_THREADS, 0.5);
  trace = json_from_string (text, &error);
  g_assert_no_error (error);

  events = json_object_get_array_member (json_node_get_object (trace), "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "ph"), "X"))
        {
          g_assert_cmpint (json_object_get_int_member (event, "tid"), ==, FP_TRACE_NOT_STARTED_TID);
          g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (event, "args"),
                                                          "status"), ==, "cancelled");
          n_downloads++;
        }
    }
  g_assert_cmpuint (n_downloads, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_data_func ("/trace/shape/1", GUINT_TO_POINTER (1), test_trace_shape);
  g_test_add_data_func ("/trace/shape/30", GUINT_TO_POINTER (30), test_trace_shape);
  g_test_add_data_func ("/trace/shape/100", GUINT_TO_POINTER (100), test_trace_shape);
  g_test_add_func ("/trace/failures", test_trace_failures);
  g_test_add_func ("/trace/never-started", test_trace_never_started);

  return g_test_run ();
}
