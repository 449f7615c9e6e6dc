/* test-window-timeline.c — the window's Timeline, History and Compare pages, with the real application
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window-timeline"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-compare-panel.h"
#include "fp-gui-test-support.h"
#include "fp-history-view.h"
#include "fp-test-support.h"
#include "fp-timeline-view.h"
#include "fp-application-private.h"
#include "fp-window-private.h"

#define WAIT_S 120

static FpApplication *the_app;

/* Notifications go nowhere: the test has no notification server. */
static void
ignore_notification_cb (FpApplication *app,
                        const char    *id,
                        GNotification *notification,
                        const char    *title,
                        const char    *body,
                        gpointer       user_data)
{
}

static const char *
language_suffix (void)
{
  const char *language = g_getenv ("LANGUAGE");

  return language != NULL && language[0] != '\0' ? language : "en";
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  g_autofree char *full = g_strdup_printf ("window-%s-%s", name, language_suffix ());

  fp_gui_test_settle (window);
  fp_gui_test_save_screenshot (window, full);
}

static gboolean
window_is_idle (gpointer user_data)
{
  return !fp_window_get_running (FP_WINDOW (user_data));
}

/* Live: most slots waiting on the server — or the batch already over,
 * on a machine slow enough to miss it. */
static gboolean
in_flight_or_over (gpointer user_data)
{
  FpRun *run = fp_window_get_run (user_data);
  FpDownloadBatch *batch = run != NULL ? fp_run_get_batch (run) : NULL;
  guint n = 0;

  if (batch == NULL || !fp_download_batch_get_running (batch))
    return TRUE;
  for (guint slot = 1; slot <= fp_download_batch_get_workers (batch); slot++)
    n += fp_download_batch_peek_slot (batch, slot, NULL, NULL);
  return n >= fp_download_batch_get_workers (batch) / 2;
}

static void
download (FpWindow *window)
{
  fp_window_start_download (window);
  g_assert_true (fp_window_get_running (window));
  fp_test_iterate_until (window_is_idle, window, WAIT_S, "the batch");
}

static AdwViewStack *
get_stack (FpWindow *window)
{
  return ADW_VIEW_STACK (fp_gui_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK));
}

static guint
count_history_rows (FpWindow *window)
{
  GtkWidget *view = fp_gui_test_find_widget_of_type (GTK_WIDGET (window), FP_TYPE_HISTORY_VIEW);
  GtkWidget *list = fp_gui_test_find_widget_of_type (view, GTK_TYPE_LIST_BOX);
  guint n = 0;

  while (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), (int) n) != NULL)
    n++;
  return n;
}

static gboolean
is_entry (GtkWidget *widget,
          gpointer   data)
{
  return GTK_IS_ENTRY (widget);
}

static gboolean
comparison_done (gpointer user_data)
{
  FpComparison *comparison = fp_compare_panel_get_comparison (user_data);

  return comparison != NULL && !fp_comparison_get_running (comparison);
}

static void
test_window_timeline (void)
{
  g_autofree char *dest = fp_test_make_temp_dir ();
  GSettings *settings = fp_application_get_gsettings (the_app);
  FpWindow *window;
  AdwViewStack *stack;
  FpTimelineView *view;
  GtkWidget *compare, *entry;
  const char *summary;

  fp_gui_test_reset_settings (settings);
  g_settings_set_string (settings, "destination", dest);
  /* A fixed latency: one at a time 20 × 0.2 s, twenty at a time 0.2 s. */
  g_settings_set_double (settings, "server-min-delay", 0.2);
  g_settings_set_double (settings, "server-max-delay", 0.2);
  g_settings_set_int (settings, "window-width", 1280);
  g_settings_set_int (settings, "window-height", 800);

  window = fp_window_new (the_app);
  gtk_window_present (GTK_WINDOW (window));
  stack = get_stack (window);
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "timeline"));
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "history"));
  g_assert_nonnull (adw_view_stack_get_child_by_name (stack, "compare"));
  view = FP_TIMELINE_VIEW (fp_gui_test_find_widget_of_type (GTK_WIDGET (window), FP_TYPE_TIMELINE_VIEW));

  /* The top 20, one at a time, then twenty at a time. */
  g_settings_set_string (settings, "strategy", "sequential");
  download (window);
  g_assert_cmpuint (fp_timeline_view_get_n_slots (view), ==, 1);
  adw_view_stack_set_visible_child_name (stack, "timeline");
  screenshot (GTK_WIDGET (window), "timeline-one-at-a-time");

  g_settings_set_string (settings, "strategy", "threads");
  g_settings_set_int (settings, "concurrency", 20);
  fp_window_start_download (window);
  fp_test_iterate_until (in_flight_or_over, window, WAIT_S, "requests in flight");
  if (fp_window_get_running (window))
    {
      g_assert_true (fp_timeline_view_get_live (view));
      screenshot (GTK_WIDGET (window), "timeline-live");
    }
  fp_test_iterate_until (window_is_idle, window, WAIT_S, "the batch");
  g_assert_cmpuint (fp_timeline_view_get_n_slots (view), ==, 20);

  /* The summary's speed-up, from the one-at-a-time run before. */
  summary = fp_window_get_summary (window);
  g_test_message ("summary: %s", summary);
  /* "3.1× faster than one at a time", in any language. */
  g_assert_nonnull (strstr (summary, "×"));
  screenshot (GTK_WIDGET (window), "timeline");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (GTK_WIDGET (window), "timeline-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Both runs are in the history, newest first. */
  adw_view_stack_set_visible_child_name (stack, "history");
  g_assert_cmpuint (count_history_rows (window), ==, 2);
  screenshot (GTK_WIDGET (window), "history");

  /* Compare: one at a time, then every strategy at 1, 5 and 20. */
  adw_view_stack_set_visible_child_name (stack, "compare");
  compare = fp_gui_test_find_widget_of_type (GTK_WIDGET (window), FP_TYPE_COMPARE_PANEL);
  entry = fp_gui_test_find_widget (compare, is_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "1, 5, 20");
  g_signal_emit_by_name (compare, "start-requested");
  g_assert_nonnull (fp_compare_panel_get_comparison (FP_COMPARE_PANEL (compare)));
  fp_test_iterate_until (comparison_done, compare, WAIT_S * 3, "the comparison");
  g_assert_cmpuint (fp_comparison_get_records (fp_compare_panel_get_comparison (FP_COMPARE_PANEL (compare)))->len,
                    ==, fp_comparison_get_n_runs (fp_compare_panel_get_comparison (FP_COMPARE_PANEL (compare))));
  g_assert_cmpuint (count_history_rows (window), ==, 2 + fp_comparison_get_n_runs (
                      fp_compare_panel_get_comparison (FP_COMPARE_PANEL (compare))));
  screenshot (GTK_WIDGET (window), "compare");

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 700);
  screenshot (GTK_WIDGET (window), "compare-800");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  screenshot (GTK_WIDGET (window), "compare-360");
  adw_view_stack_set_visible_child_name (stack, "timeline");
  screenshot (GTK_WIDGET (window), "timeline-360");

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  fp_gui_test_destroy_window (GTK_WINDOW (window));
  fp_test_remove_tree (dest);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fp_test_keep_requests_local ();
  /* LANGUAGE=de (with LC_ALL=C.UTF-8) takes its screenshots in German,
   * from the catalog built in this tree. */
  setlocale (LC_ALL, "");
  fp_gui_test_init (&argc, &argv);
  {
    g_autofree char *po_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);

    bindtextdomain (GETTEXT_PACKAGE, po_dir);
    bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
    textdomain (GETTEXT_PACKAGE);
  }
  the_app = fp_gui_test_new_application ();
  fp_application_set_notify_func (the_app, ignore_notification_cb, NULL);

  g_test_add_func ("/window-timeline/pages", test_window_timeline);

  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
