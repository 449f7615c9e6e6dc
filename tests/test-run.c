/* test-run.c — one batch's life: start, counts, cancel, failure, the speed-up, the order of its news
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

typedef struct {
  char *dir;
  GFile *dest;
  FpTestServer *server;
} Fixture;

/* What a run told, in the order it told it. */
typedef struct {
  guint started;
  guint completed;
  guint finished;
  gboolean running_at_finished;
  gboolean finished_before_running_off;
  GString *log;
} Watch;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dest = NULL;

  f->dir = fp_test_make_temp_dir ();
  dest = g_build_filename (f->dir, "flags", NULL);
  f->dest = g_file_new_for_path (dest);
  f->server = fp_test_server_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, fp_test_server_free);
  fp_test_remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_object (&f->dest);
}

static void
started_cb (FpRun      *run,
            const char *code,
            Watch      *watch)
{
  watch->started++;
}

static void
completed_cb (FpRun            *run,
              FpDownloadResult *result,
              Watch            *watch)
{
  watch->completed++;
}

static void
finished_cb (FpRun *run,
             Watch *watch)
{
  watch->finished++;
  /* The state holds already; "running" notifies after this. */
  watch->running_at_finished = fp_run_get_running (run);
  g_string_append (watch->log, "finished ");
}

static void
running_cb (FpRun      *run,
            GParamSpec *pspec,
            Watch      *watch)
{
  g_string_append (watch->log, fp_run_get_running (run) ? "running " : "stopped ");
}

static void
watch_run (FpRun *run,
           Watch *watch)
{
  watch->log = g_string_new (NULL);
  g_signal_connect (run, "download-started", G_CALLBACK (started_cb), watch);
  g_signal_connect (run, "download-completed", G_CALLBACK (completed_cb), watch);
  g_signal_connect (run, "finished", G_CALLBACK (finished_cb), watch);
  g_signal_connect (run, "notify::running", G_CALLBACK (running_cb), watch);
}

static gboolean
run_ended (gpointer user_data)
{
  FpRun *run = user_data;
  FpRunState state = fp_run_get_state (run);

  return state != FP_RUN_STATE_READY && state != FP_RUN_STATE_RUNNING;
}

static FpBatchConfig *
make_config (Fixture            *f,
             const char         *fault,
             const char * const *codes)
{
  FpBatchConfig *config = fp_batch_config_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, fault);
  g_autoptr(FpSource) source = fp_source_new_url (base_url, "png", NULL);

  fp_batch_config_set_codes (config, codes);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, f->dest);
  return config;
}

static void
test_run_finishes (Fixture       *f,
                   gconstpointer  data)
{
  const char * const codes[] = { "BR", "CN", "ZZ", NULL };
  g_autoptr(FpBatchConfig) config = make_config (f, "bycode", codes);
  g_autoptr(FpRun) run = fp_run_new (config, NULL);
  Watch watch = { 0 };
  g_autoptr(GError) error = NULL;

  fp_test_server_set_code_fault (f->server, "ZZ", "404");
  watch_run (run, &watch);
  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_READY);
  g_assert_cmpuint (fp_run_get_n_total (run), ==, 3);
  g_assert_cmpuint (fp_run_get_n_unfinished (run), ==, 3);
  g_assert_null (fp_run_get_batch (run));
  g_assert_cmpuint (fp_run_get_workers (run), ==, 0);
  /* Not the built-in source: nothing to start. */
  g_assert_true (fp_run_ensure_server (run, &error));
  g_assert_null (fp_run_get_server (run));

  fp_run_start (run);
  g_assert_true (fp_run_get_running (run));
  g_assert_nonnull (fp_run_get_batch (run));
  fp_test_iterate_until (run_ended, run, 60, "the run to end");

  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FINISHED);
  g_assert_false (fp_run_get_running (run));
  g_assert_null (fp_run_get_error (run));
  g_assert_cmpuint (fp_run_get_n_ok (run), ==, 2);
  g_assert_cmpuint (fp_run_get_n_not_found (run), ==, 1);
  g_assert_cmpuint (fp_run_get_n_error (run), ==, 0);
  g_assert_cmpuint (fp_run_get_n_answered (run), ==, 3);
  g_assert_cmpuint (fp_run_get_n_unfinished (run), ==, 0);
  g_assert_cmpfloat (fp_run_get_fraction (run), ==, 1.0);
  g_assert_cmpuint (fp_run_get_results (run)->len, ==, 3);
  g_assert_cmpuint (fp_run_get_workers (run), ==, 3);
  g_assert_cmpfloat (fp_run_get_duration (run), >=, fp_run_get_elapsed (run));

  g_assert_cmpuint (watch.started, ==, 3);
  g_assert_cmpuint (watch.completed, ==, 3);
  g_assert_cmpuint (watch.finished, ==, 1);
  g_assert_false (watch.running_at_finished);
  g_assert_cmpstr (watch.log->str, ==, "running finished stopped ");

  /* A run runs once. */
  fp_run_start (run);
  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FINISHED);
  g_string_free (watch.log, TRUE);
}

static void
cancel_on_start_cb (FpRun      *run,
                    const char *code,
                    gpointer    user_data)
{
  fp_run_cancel (run);
  /* A second cancel while cancelling changes nothing. */
  fp_run_cancel (run);
  g_assert_true (fp_run_get_cancelling (run));
}

static void
test_run_cancel (Fixture       *f,
                 gconstpointer  data)
{
  const char * const codes[] = { "BR", "CN", "DE", "FR", NULL };
  g_autoptr(FpBatchConfig) config = make_config (f, "stall", codes);
  g_autoptr(FpRun) run = NULL;
  Watch watch = { 0 };

  /* One at a time on a server that never answers: only the cancel ends it. */
  fp_batch_config_set_strategy (config, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  fp_batch_config_set_timeout (config, 600);
  run = fp_run_new (config, NULL);
  watch_run (run, &watch);
  g_signal_connect (run, "download-started", G_CALLBACK (cancel_on_start_cb), NULL);

  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the cancelled run to end");

  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_CANCELLED);
  g_assert_false (fp_run_get_cancelling (run));
  g_assert_cmpuint (fp_run_get_n_answered (run), ==, 0);
  g_assert_cmpuint (fp_run_get_n_unfinished (run), ==, 4);
  g_assert_cmpfloat (fp_run_get_fraction (run), ==, 0.0);
  g_assert_cmpuint (watch.finished, ==, 1);
  /* Cancelled, it has no speed-up to tell. */
  fp_run_set_sequential_time (run, 10.0);
  g_assert_cmpfloat (fp_run_get_speed_up (run), <, 0);
  g_string_free (watch.log, TRUE);
}

static void
test_run_fails (Fixture       *f,
                gconstpointer  data)
{
  const char * const codes[] = { "BR", NULL };
  g_autoptr(FpBatchConfig) config = make_config (f, "ok", codes);
  g_autofree char *file = g_build_filename (f->dir, "a-file", NULL);
  g_autofree char *below = g_build_filename (file, "flags", NULL);
  g_autoptr(GFile) dest = g_file_new_for_path (below);
  g_autoptr(FpRun) run = NULL;

  /* A destination below a file can never be made. */
  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  fp_batch_config_set_destination (config, dest);
  run = fp_run_new (config, NULL);
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the failed run to end");

  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FAILED);
  g_assert_error (fp_run_get_error (run), FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION);
  g_assert_cmpuint (fp_run_get_n_unfinished (run), ==, 1);
}

/* With no server given, the run starts the built-in one, with the
 * configuration's error rate, and keeps it until it is freed. */
static void
test_run_own_server (Fixture       *f,
                     gconstpointer  data)
{
  const char * const codes[] = { "BR", "CN", NULL };
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autoptr(FpRun) run = NULL;
  g_autoptr(GError) error = NULL;
  FpFlagServer *server;

  fp_batch_config_set_codes (config, codes);
  fp_batch_config_set_destination (config, f->dest);
  fp_batch_config_set_server_error_rate (config, 1.0);
  run = fp_run_new (config, NULL);
  g_assert_true (fp_run_ensure_server (run, &error));
  g_assert_no_error (error);
  server = fp_run_get_server (run);
  g_assert_nonnull (server);

  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the run to end");

  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FINISHED);
  g_assert_cmpuint (fp_run_get_n_error (run), ==, 2);
  g_assert_cmpuint (fp_flag_server_get_request_count (server), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (fp_run_get_results (run), i);

      g_assert_cmpuint (fp_download_result_get_http_status (result), ==, 418);
    }
}

static void
test_run_speed_up (Fixture       *f,
                   gconstpointer  data)
{
  const char * const codes[] = { "BR", NULL };
  g_autoptr(FpBatchConfig) threads = make_config (f, "ok", codes);
  g_autoptr(FpBatchConfig) sequential = make_config (f, "ok", codes);
  g_autoptr(FpRun) run = NULL;
  g_autoptr(FpRun) baseline = NULL;

  run = fp_run_new (threads, NULL);
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the run to end");
  g_assert_cmpfloat (fp_run_get_speed_up (run), <, 0);
  fp_run_set_sequential_time (run, 1000.0);
  g_assert_cmpfloat_with_epsilon (fp_run_get_speed_up (run), 1000.0 / fp_run_get_elapsed (run), 1e-9);
  g_assert_cmpfloat (fp_run_get_sequential_time (run), ==, 1000.0);

  /* A one-at-a-time run is the baseline, never faster than itself. */
  fp_batch_config_set_strategy (sequential, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  baseline = fp_run_new (sequential, NULL);
  fp_run_set_sequential_time (baseline, 1000.0);
  fp_run_start (baseline);
  fp_test_iterate_until (run_ended, baseline, 60, "the run to end");
  g_assert_cmpint (fp_run_get_state (baseline), ==, FP_RUN_STATE_FINISHED);
  g_assert_cmpfloat (fp_run_get_speed_up (baseline), <, 0);
  g_assert_cmpuint (fp_run_get_workers (baseline), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/run/finishes", test_run_finishes);
  ADD ("/run/cancel", test_run_cancel);
  ADD ("/run/fails", test_run_fails);
  ADD ("/run/own-server", test_run_own_server);
  ADD ("/run/speed-up", test_run_speed_up);
#undef ADD

  return g_test_run ();
}
