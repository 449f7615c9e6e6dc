/* test-download-timeline.c — each download's timeline: worker slots, phases inside their download, libsoup's timings
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-download-timeline"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

/*
 * A server that holds its first `hold` answers until that many requests
 * have arrived, then answers them all and every later one at once. A
 * worker blocks on its request, so `hold` requests in at once can only
 * come from `hold` different workers: the test needs no clock.
 */
typedef struct {
  GMutex lock;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *server;
  char *base_url;
  guint hold;
  guint arrived;
  GPtrArray *held;             /* SoupServerMessage *, paused */
} GateServer;

static void
answer (SoupServerMessage *msg,
        const char        *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  g_autoptr(GBytes) png = NULL;

  /* /{cc}/{cc}.png */
  if (g_strv_length (parts) == 3)
    {
      g_autofree char *name = g_strconcat (parts[1], ".png", NULL);
      g_autofree char *file = g_build_filename (FLAGS_PNG_DIR, name, NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        png = fp_test_load_debian_flag (parts[1]);
    }
  if (png == NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static void
gate_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  GateServer *gate = user_data;

  gate->arrived++;
  if (gate->hold > 0 && gate->arrived < gate->hold)
    {
      g_object_set_data_full (G_OBJECT (msg), "path", g_strdup (path), g_free);
      soup_server_message_pause (msg);
      g_ptr_array_add (gate->held, g_object_ref (msg));
      return;
    }

  answer (msg, path);
  for (guint i = 0; i < gate->held->len; i++)
    {
      SoupServerMessage *held = g_ptr_array_index (gate->held, i);

      answer (held, g_object_get_data (G_OBJECT (held), "path"));
      soup_server_message_unpause (held);
    }
  g_ptr_array_set_size (gate->held, 0);
}

static gboolean
release_cb (gpointer user_data)
{
  GateServer *gate = user_data;

  for (guint i = 0; i < gate->held->len; i++)
    {
      SoupServerMessage *held = g_ptr_array_index (gate->held, i);

      answer (held, g_object_get_data (G_OBJECT (held), "path"));
      soup_server_message_unpause (held);
    }
  g_ptr_array_set_size (gate->held, 0);
  gate->hold = 0;
  return G_SOURCE_REMOVE;
}

/* Answers what is held and everything after, from the test's thread. */
static void
gate_server_release (GateServer *gate)
{
  g_main_context_invoke (gate->context, release_cb, gate);
}

static gpointer
gate_thread (gpointer user_data)
{
  GateServer *gate = user_data;

  g_main_context_push_thread_default (gate->context);
  g_main_loop_run (gate->loop);
  g_main_context_pop_thread_default (gate->context);
  return NULL;
}

static GateServer *
gate_server_new (guint hold)
{
  GateServer *gate = g_new0 (GateServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  gate->hold = hold;
  gate->held = g_ptr_array_new_with_free_func (g_object_unref);
  gate->context = g_main_context_new ();
  gate->loop = g_main_loop_new (gate->context, FALSE);

  g_main_context_push_thread_default (gate->context);
  gate->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (gate->server, NULL, gate_handler, gate, NULL);
  g_assert_true (soup_server_listen_local (gate->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  g_main_context_pop_thread_default (gate->context);

  uris = soup_server_get_uris (gate->server);
  gate->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  gate->thread = g_thread_new ("gate-server", gate_thread, gate);
  return gate;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
gate_server_free (GateServer *gate)
{
  g_main_context_invoke (gate->context, quit_cb, gate->loop);
  g_thread_join (gate->thread);
  g_main_context_push_thread_default (gate->context);
  soup_server_disconnect (gate->server);
  g_clear_object (&gate->server);
  g_main_context_pop_thread_default (gate->context);
  /* Let the disconnected sockets' sources go. */
  while (g_main_context_iteration (gate->context, FALSE))
    ;
  g_ptr_array_unref (gate->held);
  g_main_loop_unref (gate->loop);
  g_main_context_unref (gate->context);
  g_free (gate->base_url);
  g_free (gate);
}

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
run_batch (const char         *base_url,
           guint               n_codes,
           guint               concurrency,
           FpDownloadStrategy  strategy,
           const char         *dest)
{
  g_auto(GStrv) codes = take_codes (n_codes);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  FpDownloadBatch *batch;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  batch = fp_download_batch_new ((const char * const *) codes, base_url, "png", dest_file);
  fp_download_batch_set_concurrency (batch, concurrency);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, n_codes);
  return batch;
}

static int
compare_started (gconstpointer a,
                 gconstpointer b)
{
  const FpDownloadTimeline *ta = fp_download_result_get_timeline (*(FpDownloadResult **) a);
  const FpDownloadTimeline *tb = fp_download_result_get_timeline (*(FpDownloadResult **) b);

  return (ta->started > tb->started) - (ta->started < tb->started);
}

static void
assert_ordered (const FpDownloadTimeline *t,
                const char               *code)
{
  /* Each moment, where it happened, is no earlier than the one before. */
  gint64 moments[] = { t->queued, t->started, t->connect_start, t->connect_end, t->request_start,
                       t->response_start, t->response_end, t->network_end, t->store_start,
                       t->store_end, t->finished, t->announced };
  gint64 last = 0;

  for (guint i = 0; i < G_N_ELEMENTS (moments); i++)
    {
      if (moments[i] == FP_TIMELINE_NONE)
        continue;
      if (moments[i] < last)
        g_error ("%s: moment %u (%" G_GINT64_FORMAT " µs) before the one before (%" G_GINT64_FORMAT ")",
                 code, i, moments[i], last);
      last = moments[i];
    }
}

/* The invariants of any finished batch's timeline; returns the slots used. */
static guint
check_invariants (FpDownloadBatch *batch,
                  guint            concurrency)
{
  GPtrArray *results = fp_download_batch_get_results (batch);
  g_autoptr(GPtrArray) by_start = g_ptr_array_copy (results, NULL, NULL);
  g_autofree gint64 *slot_free_at = g_new0 (gint64, concurrency + 1);
  g_autofree gboolean *slot_used = g_new0 (gboolean, concurrency + 1);
  gint64 elapsed_us = (gint64) (fp_download_batch_get_elapsed (batch) * G_USEC_PER_SEC);
  guint n_slots = 0;

  /* The copy would free the batch's results too. */
  g_ptr_array_set_free_func (by_start, NULL);
  g_ptr_array_sort (by_start, compare_started);
  for (guint i = 0; i < by_start->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (by_start, i);
      const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
      const char *code = fp_download_result_get_code (result);
      gint64 start, end;

      assert_ordered (t, code);
      /* The network half ran on one of the c slots… */
      g_assert_cmpuint (t->slot, >=, 1);
      g_assert_cmpuint (t->slot, <=, concurrency);
      /* …which was not running another download then. */
      g_assert_cmpint (t->started, >=, slot_free_at[t->slot]);
      slot_free_at[t->slot] = t->network_end;
      if (!slot_used[t->slot])
        n_slots++;
      slot_used[t->slot] = TRUE;

      /* Every phase lies inside the download, the network ones inside
       * the slot's span. */
      for (FpDownloadPhase phase = FP_DOWNLOAD_PHASE_CONNECT; phase <= FP_DOWNLOAD_PHASE_RECEIVE; phase++)
        if (fp_download_timeline_get_phase (t, phase, &start, &end))
          {
            g_assert_cmpint (start, >=, t->started);
            g_assert_cmpint (end, <=, t->network_end);
          }
      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_QUEUE, NULL, NULL));
      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_WAIT, NULL, NULL));
      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_RECEIVE, NULL, NULL));
      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_STORE, &start, &end));
      g_assert_cmpint (start, >=, t->network_end);
      g_assert_cmpuint (t->store_slot, >=, 1);
      g_assert_cmpuint (t->http_status, ==, 200);
      g_assert_cmpuint (t->response_bytes, ==, fp_download_result_get_size (result));
      /* The batch's span holds every download. */
      g_assert_cmpint (fp_download_timeline_get_end (t), <=, elapsed_us);
      g_assert_cmpint (t->announced, <=, elapsed_us);
    }

  return n_slots;
}

/* data: the concurrency, plus the strategy times 1000 for another than threads. */
static void
test_timeline_slots (gconstpointer data)
{
  guint concurrency = GPOINTER_TO_UINT (data) % 1000;
  FpDownloadStrategy strategy = GPOINTER_TO_UINT (data) >= 1000 ? GPOINTER_TO_UINT (data) / 1000
                                                                 : FP_DOWNLOAD_STRATEGY_THREADS;
  guint n_codes = MIN (249, concurrency * 3);
  GateServer *gate = gate_server_new (concurrency);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(FpDownloadBatch) batch = NULL;
  guint n_connects = 0;

  batch = run_batch (gate->base_url, n_codes, concurrency, strategy, root);
  g_assert_cmpuint (fp_download_batch_get_results (batch)->len, ==, n_codes);

  /* The first c requests were in at once: exactly c slots ran. */
  g_assert_cmpuint (check_invariants (batch, concurrency), ==, concurrency);

  for (guint i = 0; i < n_codes; i++)
    if (fp_download_timeline_get_phase (fp_download_result_get_timeline (g_ptr_array_index (fp_download_batch_get_results (batch), i)),
                                        FP_DOWNLOAD_PHASE_CONNECT, NULL, NULL))
      n_connects++;
  /* Each slot opened a connection; later requests may reuse one. */
  g_test_message ("%u connects for %u downloads at c = %u", n_connects, n_codes, concurrency);
  g_assert_cmpuint (n_connects, >=, concurrency);
  g_assert_cmpuint (n_connects, <=, n_codes);

  gate_server_free (gate);
  fp_test_remove_tree (root);
}

static void
test_timeline_sequential (void)
{
  GateServer *gate = gate_server_new (1);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(FpDownloadBatch) batch = NULL;

  batch = run_batch (gate->base_url, 5, 20, FP_DOWNLOAD_STRATEGY_SEQUENTIAL, root);
  g_assert_cmpuint (check_invariants (batch, 1), ==, 1);

  gate_server_free (gate);
  fp_test_remove_tree (root);
}

/* The server's delay is a lower bound of every server wait, whatever the
 * machine's speed. */
static void
test_timeline_server_wait (void)
{
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  g_assert_true (fp_flag_server_start (server, 0, &error));
  g_assert_no_error (error);
  fp_flag_server_set_delay (server, 0.2, 0.2);

  batch = run_batch (fp_flag_server_get_base_url (server), 10, 5, FP_DOWNLOAD_STRATEGY_THREADS, root);
  check_invariants (batch, 5);

  results = fp_download_batch_get_results (batch);
  for (guint i = 0; i < results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (results, i));
      gint64 start, end;

      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_WAIT, &start, &end));
      g_assert_cmpint (end - start, >=, 200000);
    }

  fp_flag_server_stop (server);
  fp_test_remove_tree (root);
}

/* A 404 has a timeline too: a wait, no check-and-save. */
static void
test_timeline_not_found (void)
{
  GateServer *gate = gate_server_new (1);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  const char *codes[] = { "QZ", NULL };
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new (codes, gate->base_url, "png", dest);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  const FpDownloadTimeline *t;

  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));

  t = fp_download_result_get_timeline (g_ptr_array_index (fp_download_batch_get_results (batch), 0));
  g_assert_cmpuint (t->slot, ==, 1);
  g_assert_cmpuint (t->http_status, ==, 404);
  g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_WAIT, NULL, NULL));
  g_assert_false (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_STORE, NULL, NULL));
  g_assert_cmpuint (t->store_slot, ==, 0);
  assert_ordered (t, "QZ");

  gate_server_free (gate);
  fp_test_remove_tree (root);
}

/* A download cancelled before a worker took it: queued, never started. */
static void
test_timeline_never_started (void)
{
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  g_auto(GStrv) codes = take_codes (4);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *results;

  /* A port nobody listens on: whatever ran failed fast; cancelled at once. */
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", fp_test_get_closed_port ());
  batch = fp_download_batch_new ((const char * const *) codes, url, "png", dest);
  fp_download_batch_set_strategy (batch, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_cancellable_cancel (cancellable);
  fp_download_batch_run_async (batch, cancellable, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_false (fp_download_batch_run_finish (batch, result, NULL));

  results = fp_download_batch_get_results (batch);
  g_assert_cmpuint (results->len, ==, 4);
  for (guint i = 0; i < results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (results, i));

      g_assert_cmpint (t->started, ==, FP_TIMELINE_NONE);
      g_assert_cmpuint (t->slot, ==, 0);
      g_assert_true (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_QUEUE, NULL, NULL));
      g_assert_false (fp_download_timeline_get_phase (t, FP_DOWNLOAD_PHASE_WAIT, NULL, NULL));
      assert_ordered (t, "never started");
    }
  fp_test_remove_tree (root);
}

typedef struct {
  FpDownloadBatch *batch;
  guint concurrency;
} Peek;

static gboolean
all_slots_busy (gpointer user_data)
{
  Peek *peek = user_data;
  guint busy = 0;

  for (guint slot = 1; slot <= peek->concurrency; slot++)
    busy += fp_download_batch_peek_slot (peek->batch, slot, NULL, NULL);
  return busy == peek->concurrency;
}

/* A live view sees what each slot is fetching, while it is. */
static void
test_timeline_peek_slots (void)
{
  const guint concurrency = 3;
  /* Never opens by itself: the test releases it. */
  GateServer *gate = gate_server_new (concurrency + 10);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_for_path (root);
  g_auto(GStrv) codes = take_codes (concurrency + 2);
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  Peek peek;

  batch = fp_download_batch_new ((const char * const *) codes, gate->base_url, "png", dest);
  fp_download_batch_set_concurrency (batch, concurrency);
  g_assert_false (fp_download_batch_peek_slot (batch, 1, NULL, NULL));
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);

  peek.batch = batch;
  peek.concurrency = concurrency;
  fp_test_iterate_until (all_slots_busy, &peek, 60, "every slot busy");
  for (guint s = 1; s <= concurrency; s++)
    {
      const char *code = NULL;
      gint64 since = -1;

      g_assert_true (fp_download_batch_peek_slot (batch, s, &code, &since));
      g_assert_true (g_strv_contains ((const char * const *) codes, code));
      g_assert_false (g_hash_table_contains (seen, code));
      g_hash_table_add (seen, (gpointer) code);
      g_assert_cmpint (since, >=, 0);
    }
  /* No slot beyond c. */
  g_assert_false (fp_download_batch_peek_slot (batch, concurrency + 1, NULL, NULL));

  gate_server_release (gate);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));
  for (guint s = 1; s <= concurrency; s++)
    g_assert_false (fp_download_batch_peek_slot (batch, s, NULL, NULL));

  gate_server_free (gate);
  fp_test_remove_tree (root);
}

/* The record's own rules, without a network. */
static void
test_timeline_rebase (void)
{
  FpDownloadTimeline t;
  g_autoptr(FpDownloadResult) result = fp_download_result_new ("BR", FP_DOWNLOAD_STATUS_OK, NULL);
  gint64 start, end;

  /* Nobody timed a new result: nothing happened. */
  g_assert_cmpint (fp_download_result_get_timeline (result)->started, ==, FP_TIMELINE_NONE);
  g_assert_false (fp_download_timeline_get_phase (fp_download_result_get_timeline (result),
                                                  FP_DOWNLOAD_PHASE_QUEUE, NULL, NULL));

  fp_download_timeline_clear (&t);
  t.queued = 1000;
  t.started = 1500;
  t.request_start = 1400;      /* a clock step: before its own start */
  t.response_start = 2000;
  t.response_end = 9000;       /* after the slot let it go */
  t.network_end = 3000;
  t.finished = 3500;
  fp_download_timeline_rebase (&t, 1000);

  g_assert_cmpint (t.queued, ==, 0);
  g_assert_cmpint (t.started, ==, 500);
  g_assert_cmpint (t.connect_start, ==, FP_TIMELINE_NONE);
  g_assert_false (fp_download_timeline_get_phase (&t, FP_DOWNLOAD_PHASE_CONNECT, NULL, NULL));
  g_assert_true (fp_download_timeline_get_phase (&t, FP_DOWNLOAD_PHASE_WAIT, &start, &end));
  g_assert_cmpint (start, ==, 500);
  g_assert_cmpint (end, ==, 1000);
  g_assert_true (fp_download_timeline_get_phase (&t, FP_DOWNLOAD_PHASE_RECEIVE, &start, &end));
  g_assert_cmpint (end, ==, 2000);
  g_assert_cmpint (fp_download_timeline_get_end (&t), ==, 2000);

  fp_download_result_set_timeline (result, &t);
  g_assert_cmpint (fp_download_result_get_timeline (result)->started, ==, 500);
  g_assert_cmpstr (fp_download_phase_to_string (FP_DOWNLOAD_PHASE_STORE), ==, "check-and-save");
}

/* Slots are per batch and per thread, handed out without gaps. */
static gpointer
take_slot_thread (gpointer data)
{
  static GPrivate key;
  FpWorkerSlots *slots = data;
  guint first = fp_worker_slots_take (slots, &key);

  g_assert_cmpuint (fp_worker_slots_take (slots, &key), ==, first);
  return GUINT_TO_POINTER (first);
}

static void
test_timeline_worker_slots (void)
{
  FpWorkerSlots slots;
  GThread *threads[8];
  guint seen = 0;

  fp_worker_slots_init (&slots);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("slot", take_slot_thread, &slots);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      guint slot = GPOINTER_TO_UINT (g_thread_join (threads[i]));

      g_assert_cmpuint (slot, >=, 1);
      g_assert_cmpuint (slot, <=, G_N_ELEMENTS (threads));
      g_assert_false (seen & (1u << slot));
      seen |= 1u << slot;
    }
  g_assert_cmpuint (seen, ==, 0x1fe);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/download-timeline/rebase", test_timeline_rebase);
  g_test_add_func ("/download-timeline/worker-slots", test_timeline_worker_slots);
  g_test_add_data_func ("/download-timeline/slots/2", GUINT_TO_POINTER (2), test_timeline_slots);
  g_test_add_data_func ("/download-timeline/slots/30", GUINT_TO_POINTER (30), test_timeline_slots);
  g_test_add_data_func ("/download-timeline/slots/100", GUINT_TO_POINTER (100), test_timeline_slots);
  /* The event loop times its requests with libsoup's metrics too. */
  g_test_add_data_func ("/download-timeline/async-slots/30",
                        GUINT_TO_POINTER (FP_DOWNLOAD_STRATEGY_ASYNC * 1000 + 30), test_timeline_slots);
  /* And the process pool's workers, which send their moments back. */
  g_test_add_data_func ("/download-timeline/process-slots/5",
                        GUINT_TO_POINTER (FP_DOWNLOAD_STRATEGY_PROCESSES * 1000 + 5), test_timeline_slots);
  g_test_add_func ("/download-timeline/sequential", test_timeline_sequential);
  g_test_add_func ("/download-timeline/server-wait", test_timeline_server_wait);
  g_test_add_func ("/download-timeline/not-found", test_timeline_not_found);
  g_test_add_func ("/download-timeline/never-started", test_timeline_never_started);
  g_test_add_func ("/download-timeline/peek-slots", test_timeline_peek_slots);

  return g_test_run ();
}
