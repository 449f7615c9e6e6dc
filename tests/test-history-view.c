/* test-history-view.c — the history list: newest first, words for each run, a run reopens
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-history-view"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "flagpole-engine.h"
#include "fp-gui-test-support.h"
#include "fp-history-view.h"
#include "fp-test-support.h"
#include "fp-timeline-panel.h"

static FpRunRecord *
real_run (FpFlagServer       *server,
          const char         *dest,
          guint               concurrency,
          FpDownloadStrategy  strategy)
{
  g_auto(GStrv) top = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest);
  g_autoptr(FpDownloadBatch) batch = fp_download_batch_new ((const char * const *) top,
                                                            fp_flag_server_get_base_url (server), "png", dest_file);
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  fp_download_batch_set_concurrency (batch, concurrency);
  fp_download_batch_set_strategy (batch, strategy);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));
  return fp_run_record_new_from_batch (batch, "builtin", 0.02, 0.02, 0);
}

static void
run_activated_cb (FpHistoryView *view,
                  FpRunRecord   *record,
                  FpRunRecord  **activated)
{
  g_set_object (activated, record);
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language != NULL && *language ? language : "en");

  fp_gui_test_settle (window);
  fp_gui_test_save_screenshot (window, full);
}

static void
test_history_view (void)
{
  g_autofree char *expected = NULL;
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (root, "history.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(FpRunHistory) history = fp_run_history_new (file);
  g_autoptr(FpRunRecord) sequential = NULL;
  g_autoptr(FpRunRecord) pool = NULL;
  g_autoptr(FpRunRecord) activated = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *speedup = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *view = fp_history_view_new ();
  GtkWidget *panel = fp_timeline_panel_new ();
  GtkWidget *list;
  GtkListBoxRow *first;

  g_assert_true (fp_flag_server_start (server, 0, NULL));
  fp_flag_server_set_delay (server, 0.02, 0.02);
  sequential = real_run (server, root, 1, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  pool = real_run (server, root, 20, FP_DOWNLOAD_STRATEGY_THREADS);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), view);
  gtk_box_append (GTK_BOX (box), panel);
  gtk_window_set_child (GTK_WINDOW (window), box);
  fp_history_view_set_history (FP_HISTORY_VIEW (view), history);
  g_signal_connect (view, "run-activated", G_CALLBACK (run_activated_cb), &activated);
  gtk_window_present (GTK_WINDOW (window));
  screenshot (window, "history-empty");

  fp_run_history_add (history, sequential);
  fp_run_history_add (history, pool);
  g_assert_true (fp_run_history_save (history, NULL, NULL));

  /* The words of a row: what, how, when, how long, from where. */
  title = fp_history_view_dup_title (pool);
  g_assert_cmpstr (title, ==, "20 flags · 20 at a time (threads)");
  subtitle = fp_history_view_dup_subtitle (pool);
  g_assert_nonnull (strstr (subtitle, "20 downloaded, 0 not found, 0 errors"));
  g_assert_nonnull (strstr (subtitle, "built-in server"));
  g_clear_pointer (&title, g_free);
  title = fp_history_view_dup_title (sequential);
  g_assert_cmpstr (title, ==, "20 flags · one at a time (sequential)");

  /* The speed-up against the earlier run of the same work. */
  g_assert_true (fp_run_history_find_baseline (history, pool) == sequential);
  speedup = fp_run_record_describe_speedup (pool, sequential);
  expected = g_strdup_printf ("faster than one at a time (%.2f s)", fp_run_record_get_elapsed (sequential));
  g_assert_true (g_str_has_suffix (speedup, expected));

  /* Newest first; activating it reopens its timeline. */
  list = fp_gui_test_find_widget_of_type (view, GTK_TYPE_LIST_BOX);
  first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
  g_assert_nonnull (first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==,
                   "20 flags · 20 at a time (threads)");
  g_signal_emit_by_name (list, "row-activated", first);
  g_assert_true (activated == pool);
  fp_timeline_panel_set_record (FP_TIMELINE_PANEL (panel), activated);
  g_assert_cmpuint (fp_timeline_view_get_n_slots (fp_timeline_panel_get_view (FP_TIMELINE_PANEL (panel))), ==, 20);

  screenshot (window, "history-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (window, "history-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  screenshot (window, "history-360");

  fp_history_view_set_history (FP_HISTORY_VIEW (view), NULL);
  fp_gui_test_destroy_window (GTK_WINDOW (window));
  fp_flag_server_stop (server);
  fp_test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

  g_test_add_func ("/history-view/rows", test_history_view);

  return g_test_run ();
}
