/* fp-cancel-latency.c — how long the real window takes to stop a batch after Cancel, and whether anything is counted after it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The case, driven as a person would: the "Every code AA–ZZ"
 * preset (676 codes), concurrency 100, the built-in server at its default
 * latency (0.45–1.4 s), and Cancel (the app.cancel action, what Escape
 * and the button activate) once a given number of flags has been
 * answered. Then it watches, from the main loop, for two seconds:
 *
 *   - the window's own count (its progress text, "166 of 676 flags") and
 *     the engine's answered results: whether either moves after the click;
 *   - when the window is idle again (the header says Download): the
 *     latency of the cancel as a person sees it.
 *
 * It prints one line of "key=value" pairs (bench/bench-cancel runs it).
 */
#define G_LOG_DOMAIN "fp-bench"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "flagpole-engine.h"
#include "fp-application-private.h"
#include "fp-flag-grid.h"
#include "fp-window.h"
#include "fp-window-private.h"

#define WATCH_AFTER_US (2 * G_USEC_PER_SEC)

static int opt_cancel_at = 166;
static int opt_concurrency = 100;
static double opt_limit_s = 120;

static const GOptionEntry entries[] = {
  { "cancel-at", 0, 0, G_OPTION_ARG_INT, &opt_cancel_at, "Cancel once this many flags are answered (166)", "N" },
  { "concurrency", 'c', 0, G_OPTION_ARG_INT, &opt_concurrency, "Downloads at once (100)", "C" },
  { "limit", 0, 0, G_OPTION_ARG_DOUBLE, &opt_limit_s, "Give up after this many seconds (120)", "S" },
  { NULL }
};

typedef struct
{
  FpApplication *app;
  FpWindow *window;
  char *dest_dir;

  gboolean started;
  gint64 cancelled_at;           /* when app.cancel was activated, or 0 */
  gint64 idle_at;                /* when the window stopped running after it */
  guint answered_at_cancel;
  char *text_at_cancel;
  guint answered_max;            /* the most answered results seen after the cancel */
  guint text_changes;            /* the window's count changed after the cancel */
  char *text_last;
  gboolean done;
} Bench;

static guint
count_answered (Bench *bench)
{
  FpRun *run = fp_window_get_run (bench->window);
  FpDownloadBatch *batch = run != NULL ? fp_run_get_batch (run) : NULL;
  GPtrArray *results = batch != NULL ? fp_download_batch_get_results (batch) : NULL;
  guint n = 0;

  for (guint i = 0; results != NULL && i < results->len; i++)
    n += fp_download_result_get_status (g_ptr_array_index (results, i)) != FP_DOWNLOAD_STATUS_CANCELLED;
  return n;
}

/* The count the window shows: the first number of its progress text. */
static char *
dup_window_count (Bench *bench)
{
  const char *text = fp_window_get_progress_text (bench->window);

  return g_strdup (text != NULL ? text : "");
}

static gboolean
watch_cb (gpointer user_data)
{
  Bench *bench = user_data;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;

  if (!bench->started)
    return G_SOURCE_CONTINUE;

  if (bench->cancelled_at == 0)
    {
      if (count_answered (bench) < (guint) opt_cancel_at)
        return G_SOURCE_CONTINUE;

      /* The click: what the window shows now is what it must end with. */
      bench->answered_at_cancel = count_answered (bench);
      bench->text_at_cancel = dup_window_count (bench);
      bench->text_last = g_strdup (bench->text_at_cancel);
      bench->cancelled_at = g_get_monotonic_time ();
      g_action_group_activate_action (G_ACTION_GROUP (bench->app), "cancel", NULL);
      now = g_get_monotonic_time ();
    }

  if (bench->idle_at == 0 && !fp_window_get_running (bench->window))
    bench->idle_at = now;

  bench->answered_max = MAX (bench->answered_max, count_answered (bench));
  text = dup_window_count (bench);
  if (g_strcmp0 (text, bench->text_last) != 0)
    {
      bench->text_changes++;
      g_free (bench->text_last);
      bench->text_last = g_steal_pointer (&text);
    }

  if (now - bench->cancelled_at < WATCH_AFTER_US)
    return G_SOURCE_CONTINUE;

  bench->done = TRUE;
  g_print ("cancel_at=%u answered_after=%u window_before=\"%s\" window_after=\"%s\" "
           "window_changes=%u idle_ms=%.1f\n",
           bench->answered_at_cancel, bench->answered_max, bench->text_at_cancel,
           bench->text_last, bench->text_changes,
           bench->idle_at != 0 ? (bench->idle_at - bench->cancelled_at) / 1000.0 : -1.0);
  g_application_quit (G_APPLICATION (bench->app));
  return G_SOURCE_REMOVE;
}

static gboolean
give_up_cb (gpointer user_data)
{
  Bench *bench = user_data;

  g_printerr ("fp-cancel-latency: no cancel within %.0f s\n", opt_limit_s);
  g_application_quit (G_APPLICATION (bench->app));
  return G_SOURCE_REMOVE;
}

static gboolean
start_batch_cb (gpointer user_data)
{
  Bench *bench = user_data;
  GActionGroup *actions = G_ACTION_GROUP (bench->app);

  if (!gtk_widget_get_mapped (GTK_WIDGET (bench->window)))
    return G_SOURCE_CONTINUE;

  g_action_group_activate_action (actions, "select", g_variant_new_string ("every"));
  g_action_group_activate_action (actions, "download", NULL);
  bench->started = TRUE;
  /* Checked each millisecond, at the priority of input, as a click would be. */
  g_timeout_add_full (G_PRIORITY_DEFAULT, 1, watch_cb, bench, NULL);
  g_timeout_add_seconds ((guint) opt_limit_s, give_up_cb, bench);
  return G_SOURCE_REMOVE;
}

static void
activated_cb (GApplication *app,
              Bench        *bench)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (bench->window != NULL || !FP_IS_WINDOW (window))
    return;

  bench->window = FP_WINDOW (window);
  g_timeout_add (50, start_batch_cb, bench);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  Bench bench = { 0 };
  char *app_argv[] = { argv[0], NULL };

  setlocale (LC_ALL, "");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", FP_BENCH_SCHEMA_DIR, TRUE);
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fp_engine_init_i18n ();

  context = g_option_context_new ("— how promptly the window stops a batch after Cancel");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  bench.dest_dir = g_dir_make_tmp ("flagpole-bench-XXXXXX", &error);
  g_assert_no_error (error);

  bench.app = fp_application_new ();
  g_application_set_flags (G_APPLICATION (bench.app), G_APPLICATION_NON_UNIQUE);

  /* The defaults but the concurrency: the built-in server's own latency. */
  settings = g_object_ref (fp_application_get_gsettings (bench.app));
  g_settings_set_int (settings, "concurrency", opt_concurrency);
  g_settings_set_string (settings, "destination", bench.dest_dir);

  g_signal_connect_after (bench.app, "activate", G_CALLBACK (activated_cb), &bench);
  g_application_run (G_APPLICATION (bench.app), 1, app_argv);

  g_clear_object (&bench.app);
  {
    g_autoptr(GDir) dir = g_dir_open (bench.dest_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (bench.dest_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (bench.dest_dir);
  }
  g_free (bench.dest_dir);
  g_free (bench.text_at_cancel);
  g_free (bench.text_last);
  return bench.done ? 0 : 1;
}
