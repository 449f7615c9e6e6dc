/* test-timeline-view.c — the live timeline and its figures: lanes, drawn once per frame, focus, a run reopened
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-timeline-view"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include "fp-timeline-private.h"

typedef struct {
  FpFlagServer *server;
  char *root;
  GFile *dest;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = fp_flag_server_new (NULL);
  g_assert_true (fp_flag_server_start (f->server, 0, &error));
  g_assert_no_error (error);
  f->root = fp_test_make_temp_dir ();
  f->dest = g_file_new_for_path (f->root);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  fp_flag_server_stop (f->server);
  g_clear_object (&f->server);
  fp_test_remove_tree (f->root);
  g_free (f->root);
  g_clear_object (&f->dest);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language_suffix ());

  fp_gui_test_settle (window);
  fp_gui_test_save_screenshot (window, full);
}

static FpDownloadBatch *
make_batch (Fixture *f,
            guint    n_codes,
            guint    concurrency)
{
  /* The book's twenty, then the alphabet. */
  g_auto(GStrv) top = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_auto(GStrv) all = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  g_autofree const char **codes = g_new0 (const char *, n_codes + 1);
  FpDownloadBatch *batch;

  for (guint i = 0; i < n_codes; i++)
    codes[i] = i < g_strv_length (top) ? top[i] : all[i];
  batch = fp_download_batch_new (codes, fp_flag_server_get_base_url (f->server), "png", f->dest);
  fp_download_batch_set_concurrency (batch, concurrency);
  return batch;
}

/* As a person would: a key pressed while the view has the focus. */
static void
press_key (FpTimelineView *view,
           guint           keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (view));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
    }
  g_object_unref (controllers);
  g_assert_true (handled);
}

static gboolean
half_done (gpointer user_data)
{
  FpDownloadBatch *batch = user_data;

  return fp_download_batch_get_n_done (batch) >= fp_download_batch_get_n_total (batch) / 2;
}

static void
test_timeline_live (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = fp_timeline_panel_new ();
  FpTimelineView *view = fp_timeline_panel_get_view (FP_TIMELINE_PANEL (panel));
  g_autoptr(FpDownloadBatch) batch = make_batch (f, 20, 5);
  GdkFrameClock *clock;
  gint64 frames_before, frames_drawn_before;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GString) lanes = g_string_new (NULL);
  const char *details;
  g_autofree char *first_details = NULL;

  fp_flag_server_set_delay (f->server, 0.15, 0.15);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 640);
  gtk_widget_set_margin_start (panel, 12);
  gtk_widget_set_margin_end (panel, 12);
  gtk_widget_set_margin_top (panel, 12);
  gtk_widget_set_margin_bottom (panel, 12);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  fp_gui_test_settle (window);
  g_assert_cmpstr (fp_timeline_panel_get_figure_text (FP_TIMELINE_PANEL (panel), 0), ==, "–");

  fp_timeline_panel_set_batch (FP_TIMELINE_PANEL (panel), batch);
  g_assert_cmpuint (fp_timeline_view_get_n_slots (view), ==, 5);

  clock = gtk_widget_get_frame_clock (window);
  frames_before = gdk_frame_clock_get_frame_counter (clock);
  frames_drawn_before = fp_timeline_view_get_n_frames (view);
  fp_download_batch_run_async (batch, NULL, fp_test_store_result_cb, &slot);
  g_assert_true (fp_timeline_view_get_live (view));

  /* Live, halfway: the "now" line, the lanes filling. */
  fp_test_iterate_until (half_done, batch, 60, "half of the batch");
  screenshot (window, "timeline-live");

  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (batch, result, NULL));
  fp_gui_test_settle (window);
  g_assert_false (fp_timeline_view_get_live (view));

  /* Drawn at most once a frame, however many requests came back: never
   * once per request. (The frame clock counts the frames; the view counts
   * its own drawings.) */
  g_test_message ("drawn %u times in %" G_GINT64_FORMAT " frames for %u requests",
                  fp_timeline_view_get_n_frames (view) - (guint) frames_drawn_before,
                  gdk_frame_clock_get_frame_counter (clock) - frames_before,
                  fp_download_batch_get_n_total (batch));
  g_assert_cmpint (fp_timeline_view_get_n_frames (view) - frames_drawn_before, <=,
                   gdk_frame_clock_get_frame_counter (clock) - frames_before + 2);

  /* The figures, once it is over: an average in flight of the 5. */
  g_assert_true (g_str_has_suffix (fp_timeline_panel_get_figure_text (FP_TIMELINE_PANEL (panel), 0), "5"));
  g_assert_cmpstr (fp_timeline_panel_get_figure_text (FP_TIMELINE_PANEL (panel), 1), !=, "–");
  g_assert_nonnull (strstr (fp_timeline_panel_get_explanation (FP_TIMELINE_PANEL (panel)), "5"));

  /* Keyboard: the focused request tells its code, worker and phases. */
  g_assert_true (fp_timeline_view_focus_request (view, "CN"));
  details = fp_timeline_view_get_details (view);
  g_assert_nonnull (details);
  g_assert_true (g_str_has_prefix (details, "CN"));
  first_details = g_strdup (details);
  press_key (view, GDK_KEY_Right);
  g_assert_cmpstr (fp_timeline_view_get_details (view), !=, first_details);
  g_assert_nonnull (strstr (fp_timeline_view_get_details (view), fp_download_phase_get_label (FP_DOWNLOAD_PHASE_WAIT)));

  /* Up and Down go from lane to lane: from the first lane, down to the
   * second, and back up; never off the lanes there are. */
  for (guint i = 0; i < 8; i++)
    press_key (view, GDK_KEY_Up);
  g_assert_nonnull (strstr (fp_timeline_view_get_details (view), " on worker 1: "));
  press_key (view, GDK_KEY_Down);
  g_assert_nonnull (strstr (fp_timeline_view_get_details (view), " on worker 2: "));
  for (guint i = 0; i < 8; i++)
    press_key (view, GDK_KEY_Down);
  g_assert_nonnull (strstr (fp_timeline_view_get_details (view), " on worker 5: "));
  press_key (view, GDK_KEY_Up);
  g_assert_nonnull (strstr (fp_timeline_view_get_details (view), " on worker 4: "));
  screenshot (window, "timeline-light");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (window, "timeline-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  screenshot (window, "timeline-360");

  fp_gui_test_destroy_window (GTK_WINDOW (window));
}

/* A run from the history reopens as it was: lanes, bars, figures. */
static void
test_timeline_record (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = fp_timeline_panel_new ();
  FpTimelineView *view = fp_timeline_panel_get_view (FP_TIMELINE_PANEL (panel));
  g_autoptr(FpDownloadBatch) one = make_batch (f, 20, 1);
  g_autoptr(FpRunRecord) record = NULL;
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  /* One at a time: one lane, twenty bars end to end. */
  fp_flag_server_set_delay (f->server, 0.02, 0.02);
  fp_download_batch_set_strategy (one, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  fp_download_batch_run_async (one, NULL, fp_test_store_result_cb, &slot);
  result = fp_test_wait_for_result (&slot);
  g_assert_true (fp_download_batch_run_finish (one, result, NULL));
  record = fp_run_record_new_from_batch (one, "builtin", 0.02, 0.02, 0);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 420);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  gtk_window_present (GTK_WINDOW (window));
  fp_timeline_panel_set_record (FP_TIMELINE_PANEL (panel), record);
  fp_gui_test_settle (window);

  g_assert_false (fp_timeline_view_get_live (view));
  g_assert_cmpuint (fp_timeline_view_get_n_slots (view), ==, 1);
  g_assert_true (g_str_has_suffix (fp_timeline_panel_get_figure_text (FP_TIMELINE_PANEL (panel), 0), "of 1"));
  g_assert_true (fp_timeline_view_focus_request (view, "IN"));
  g_assert_true (g_str_has_prefix (fp_timeline_view_get_details (view), "IN on worker 1"));
  screenshot (window, "timeline-one-at-a-time");

  fp_timeline_panel_set_record (FP_TIMELINE_PANEL (panel), NULL);
  g_assert_cmpuint (fp_timeline_view_get_n_slots (view), ==, 0);
  fp_gui_test_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD_TEST ("/timeline-view/live", test_timeline_live);
  ADD_TEST ("/timeline-view/record", test_timeline_record);

  return g_test_run ();
}
