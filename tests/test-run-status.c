/* test-run-status.c — the band that shows a run: its progress line, its summary, failures, dismissal
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-run-status"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-gui-test-support.h"
#include "fp-run-status-private.h"
#include "fp-run-text.h"
#include "fp-test-support.h"

#define WAIT_S 60

typedef struct {
  FpTestServer *server;
  char *dir;
  GFile *dest;
  GtkWindow *window;
  FpRunStatus *status;
  guint dismissed;
} Fixture;

static void
dismissed_cb (FpRunStatus *status,
              Fixture     *f)
{
  f->dismissed++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = fp_test_server_new ();
  fp_test_server_set_code_fault (f->server, "ZZ", "404");
  f->dir = fp_test_make_temp_dir ();
  f->dest = g_file_new_build_filename (f->dir, "flags", NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  f->status = g_object_new (FP_TYPE_RUN_STATUS, NULL);
  gtk_window_set_child (f->window, GTK_WIDGET (f->status));
  g_signal_connect (f->status, "dismissed", G_CALLBACK (dismissed_cb), f);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fp_gui_test_destroy_window (f->window);
  fp_test_server_free (f->server);
  fp_test_remove_tree (f->dir);
  g_free (f->dir);
  g_object_unref (f->dest);
}

static FpRun *
make_run (Fixture    *f,
          const char *fault)
{
  const char * const codes[] = { "BR", "ZZ", NULL };
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (f->server, fault);
  g_autoptr(FpSource) source = fp_source_new_url (base_url, "png", NULL);

  fp_batch_config_set_codes (config, codes);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, f->dest);
  fp_batch_config_set_timeout (config, 600);
  return fp_run_new (config, NULL);
}

static gboolean
run_ended (gpointer user_data)
{
  FpRunState state = fp_run_get_state (user_data);

  return state != FP_RUN_STATE_READY && state != FP_RUN_STATE_RUNNING;
}

static void
test_status_finished (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(FpRun) run = make_run (f, "bycode");
  const char *summary;

  fp_run_status_set_run (f->status, run);
  g_assert_true (fp_run_status_get_run (f->status) == run);
  g_assert_cmpstr (fp_run_status_get_progress_text (f->status), ==, "0 of 2 flags");
  g_assert_null (fp_run_status_get_summary (f->status));

  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, WAIT_S, "the run to end");

  summary = fp_run_status_get_summary (f->status);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (summary, "1 flag downloaded, 1 not found, 0 errors\nElapsed time: "));
  g_assert_null (strstr (summary, "than one at a time"));
  g_assert_cmpfloat (fp_run_status_get_fraction (f->status), ==, 1.0);
}

static void
cancel_on_start_cb (FpRun      *run,
                    const char *code,
                    gpointer    user_data)
{
  fp_run_cancel (run);
}

static void
test_status_cancelled (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FpRun) run = make_run (f, "stall");

  fp_run_status_set_run (f->status, run);
  g_signal_connect (run, "download-started", G_CALLBACK (cancel_on_start_cb), NULL);
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, WAIT_S, "the cancelled run to end");

  g_assert_true (g_str_has_prefix (fp_run_status_get_summary (f->status),
                                   "Cancelled after 0 of 2 flags\n0 flags downloaded, 0 not found, 0 errors · "));
  /* A cancel does not fill the bar. */
  g_assert_cmpfloat (fp_run_status_get_fraction (f->status), ==, 0.0);
}

static void
test_status_failure_and_dismiss (Fixture       *f,
                                 gconstpointer  data)
{
  GtkWidget *button;

  fp_run_status_show_failure (f->status, "Could not start the download", "No custom URL is set.");
  g_assert_cmpstr (fp_run_status_get_summary (f->status), ==,
                   "Could not start the download\nNo custom URL is set.");

  button = fp_gui_test_find_widget_of_type (GTK_WIDGET (f->status), GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpuint (f->dismissed, ==, 1);
}

/* The words of a run: the book's report, with the speed-up when there is one. */
static void
test_run_text_speed_up (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(FpRun) run = make_run (f, "bycode");
  g_auto(FpRunSummary) summary = { 0 };

  fp_run_set_sequential_time (run, 1000.0);
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, WAIT_S, "the run to end");

  fp_run_text_summarize (run, &summary);
  g_assert_cmpstr (summary.icon_name, ==, "emblem-ok-symbolic");
  g_assert_cmpstr (summary.style, ==, "success");
  g_assert_cmpstr (summary.title, ==, "1 flag downloaded, 1 not found, 0 errors");
  g_assert_nonnull (strstr (summary.detail, "× faster than one at a time"));
  g_assert_cmpstr (summary.notification_title, ==, "Download Finished");
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/run-status/finished", test_status_finished);
  ADD ("/run-status/cancelled", test_status_cancelled);
  ADD ("/run-status/failure-and-dismiss", test_status_failure_and_dismiss);
  ADD ("/run-status/run-text-speed-up", test_run_text_speed_up);
#undef ADD

  return g_test_run ();
}
