/* test-window-truth.c — the window's moments that must tell the truth: the first second, a stall, failures in words, the filter and Retry Failed, an unreachable source, a cancel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window-truth"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-application-private.h"
#include "fp-gui-test-support.h"
#include "fp-run-status.h"
#include "fp-test-support.h"
#include "fp-window-private.h"

/* A bound against hangs, not a speed check. */
#define WAIT_S 60

typedef struct
{
  FpApplication *app;
  FpWindow *window;
  GSettings *settings;
  char *dest;
  FpTestServer *server;
} Fixture;

static FpApplication *the_app;

/* No notification server in tests: a window that is not focused would send one. */
static void
ignore_notification_cb (FpApplication *app,
                        const char    *id,
                        GNotification *notification,
                        const char    *title,
                        const char    *body,
                        gpointer       user_data)
{
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->dest = fp_test_make_temp_dir ();
  fixture->app = the_app;
  fp_application_set_notify_func (fixture->app, ignore_notification_cb, NULL);
  fixture->server = fp_test_server_new ();
  fixture->settings = g_object_ref (fp_application_get_gsettings (fixture->app));
  fp_gui_test_reset_settings (fixture->settings);
  g_settings_set_string (fixture->settings, "destination", fixture->dest);
  g_settings_set_double (fixture->settings, "server-min-delay", 0.0);
  g_settings_set_double (fixture->settings, "server-max-delay", 0.0);
  g_settings_set_int (fixture->settings, "window-width", 1000);
  g_settings_set_int (fixture->settings, "window-height", 700);

  fixture->window = fp_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static gboolean
window_is_idle (gpointer user_data)
{
  return !fp_window_get_running (FP_WINDOW (user_data));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fp_window_cancel_download (fixture->window);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to end");
  fp_gui_test_destroy_window (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->server, fp_test_server_free);
  g_clear_object (&fixture->settings);
  fp_test_remove_tree (fixture->dest);
  g_clear_pointer (&fixture->dest, g_free);
}

static gpointer
template_child (Fixture    *fixture,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FP_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static void
select_codes (Fixture            *fixture,
              const char * const *codes)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "select", g_variant_new_string ("none"));
  for (guint i = 0; codes[i] != NULL; i++)
    fp_country_item_set_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), codes[i]),
                                  TRUE);
}

static void
use_test_server (Fixture    *fixture,
                 const char *fault)
{
  g_autofree char *base_url = fp_test_server_dup_base_url (fixture->server, fault);

  g_settings_set_string (fixture->settings, "source", "custom");
  g_settings_set_string (fixture->settings, "custom-url", base_url);
  g_settings_set_string (fixture->settings, "custom-extension", "png");
}

static void
run_to_end (Fixture *fixture)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to end");
}

static const char *
grid_page (Fixture *fixture)
{
  FpFlagGrid *grid = fp_window_get_flag_grid (fixture->window);
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (grid), FP_TYPE_FLAG_GRID, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static const char *
progress_detail (Fixture *fixture)
{
  GtkWidget *status = template_child (fixture, "run_status");
  GObject *detail = gtk_widget_get_template_child (status, FP_TYPE_RUN_STATUS, "status_detail");

  return gtk_label_get_label (GTK_LABEL (detail));
}

typedef struct {
  Fixture *fixture;
  const char *needle;
} Waiting;

static gboolean
detail_says (gpointer user_data)
{
  Waiting *w = user_data;

  return strstr (progress_detail (w->fixture), w->needle) != NULL;
}

static void
test_first_second_and_stall (Fixture       *fixture,
                             gconstpointer  user_data)
{
  /* A server that never answers: the first second, then a stall. */
  static const char * const codes[] = { "BR", "CN", "FR", NULL };
  Waiting w = { fixture, "3 in flight, 3 waiting for a first byte" };

  use_test_server (fixture, "stall");
  select_codes (fixture, codes);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);

  /* From the first instant: Cancel in the header, and no "No Flags Yet"
   * beside a disabled Download button. */
  g_assert_true (fp_window_get_running (fixture->window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "action_stack")), ==, "cancel");
  g_assert_cmpstr (grid_page (fixture), ==, "waiting");
  g_assert_nonnull (strstr (progress_detail (fixture), "elapsed"));

  /* The stall is visible: three requests wait for a first byte, and the
   * time moves. No time left is guessed from nothing. */
  fp_test_iterate_until (detail_says, &w, WAIT_S, "the stall to show");
  g_test_message ("%s", progress_detail (fixture));
  g_assert_null (strstr (progress_detail (fixture), "left"));
  g_assert_cmpstr (fp_window_get_progress_text (fixture->window), ==, "0 of 3 flags");
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "truth-stall");

  /* Cancel: at once, and the header says Download again. */
  fp_window_cancel_download (fixture->window);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the cancel");
  g_assert_cmpstr (fp_window_get_progress_text (fixture->window), ==, "Cancelled after 0 of 3 flags");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "action_stack")), ==, "download");
}

static gboolean
title_says_one_of_three (gpointer user_data)
{
  Fixture *fixture = user_data;

  return g_strcmp0 (fp_window_get_progress_text (fixture->window), "1 of 3 flags") == 0;
}

static void
test_empty_state_gives_way (Fixture       *fixture,
                            gconstpointer  user_data)
{
  /* BR answers at once, the others never: the first flag ends the waiting. */
  static const char * const codes[] = { "BR", "CN", "FR", NULL };
  FpFlagGrid *grid = fp_window_get_flag_grid (fixture->window);

  use_test_server (fixture, "bycode");
  fp_test_server_set_code_fault (fixture->server, "CN", "stall");
  fp_test_server_set_code_fault (fixture->server, "FR", "stall");
  select_codes (fixture, codes);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);

  while (g_list_model_get_n_items (fp_flag_grid_get_batch_flags (grid)) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (grid_page (fixture), ==, "flags");
  g_assert_true (fp_window_get_running (fixture->window));

  /* The words change a few times a second, not with every flag: they may
   * lag the grid and the bar a moment, never for good. */
  fp_test_iterate_until (title_says_one_of_three, fixture, WAIT_S, "the words to catch up");
  g_assert_true (fp_window_get_running (fixture->window));
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "truth-first-flag");
}

/* The status filter's toggles as a person reads them, "All|Downloaded 1|…". */
static char *
dup_filter_labels (Fixture *fixture)
{
  GtkWidget *filter = GTK_WIDGET (fixture->window->status_filter);
  g_autoptr(GString) labels = g_string_new (NULL);
  g_autoptr(GQueue) widgets = g_queue_new ();
  GtkWidget *widget;

  g_queue_push_tail (widgets, filter);
  while ((widget = g_queue_pop_head (widgets)) != NULL)
    {
      if (GTK_IS_TOGGLE_BUTTON (widget))
        g_string_append_printf (labels, "%s%s", labels->len > 0 ? "|" : "",
                                gtk_button_get_label (GTK_BUTTON (widget)));
      else
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
             child = gtk_widget_get_next_sibling (child))
          g_queue_push_tail (widgets, child);
    }
  return g_string_free (g_steal_pointer (&labels), FALSE);
}

static void
test_filter_and_retry (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_autofree char *labels = NULL;
  static const char * const codes[] = { "BR", "CN", "FR", "QZ", NULL };
  FpCountryList *list = fp_window_get_country_list (fixture->window);
  GListModel *visible = fp_country_list_get_visible (list);
  g_auto(GStrv) failed = NULL;
  const char *summary;

  /* CN and FR fail once (the book's 418), QZ has no flag, BR comes. */
  use_test_server (fixture, "bycode");
  fp_test_server_set_code_fault (fixture->server, "CN", "418x1");
  fp_test_server_set_code_fault (fixture->server, "FR", "418x1");
  select_codes (fixture, codes);
  run_to_end (fixture);

  g_assert_cmpuint (fp_country_list_get_n_downloaded (list), ==, 1);
  g_assert_cmpuint (fp_country_list_get_n_not_found (list), ==, 1);
  g_assert_cmpuint (fp_country_list_get_n_failed (list), ==, 2);

  /* On screen the toggles show the counts a few times a second, not once
   * a result, and never stay behind: once the batch is over, its counts
   * are there at once, as the summary's are. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fixture->window->status_filter)));
  g_assert_false (fp_country_list_get_following (list));
  labels = dup_filter_labels (fixture);
  g_assert_cmpstr (labels, ==, "All|Downloaded 1|Not Found 1|Failed 2");

  /* The errors, grouped by cause, in the summary. */
  summary = fp_window_get_summary (fixture->window);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "1 flag downloaded, 1 not found, 2 errors\n2 HTTP 418 I'm a Teapot · "));

  /* The filter shows the failed ones alone, and the others by outcome. */
  fp_country_list_set_status_filter (list, "failed");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "truth-filter-failed");
  fp_country_list_set_status_filter (list, "not-found");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  fp_country_list_set_status_filter (list, "downloaded");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  fp_country_list_set_status_filter (list, "failed");

  /* Retry Failed: one click, only the failed codes, and the counts follow. */
  failed = fp_country_list_dup_failed_codes (list);
  g_assert_cmpstr (failed[0], ==, "CN");
  g_assert_cmpstr (failed[1], ==, "FR");
  g_assert_null (failed[2]);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry-failed", NULL));
  g_assert_cmpuint (g_strv_length ((char **) fp_batch_config_get_codes (fp_run_get_config (fp_window_get_run (fixture->window)))), ==, 2);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the retry to end");

  g_assert_cmpuint (fp_country_list_get_n_downloaded (list), ==, 3);
  g_assert_cmpuint (fp_country_list_get_n_not_found (list), ==, 1);
  g_assert_cmpuint (fp_country_list_get_n_failed (list), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  /* BR was not asked for again: 4 requests, then the 2 retried. */
  g_assert_cmpuint (fp_test_server_get_request_count (fixture->server), ==, 6);
  /* Nothing left to retry. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry-failed", NULL) &&
                  fp_window_get_running (fixture->window));
}

static void
test_unreachable_source (Fixture       *fixture,
                         gconstpointer  user_data)
{
  guint port = fp_test_get_closed_port ();
  g_autofree char *base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", port);
  g_autofree char *expected = g_strdup_printf ("Nothing is listening at 127.0.0.1:%u\n", port);
  const char *summary;

  g_settings_set_string (fixture->settings, "source", "custom");
  g_settings_set_string (fixture->settings, "custom-url", base_url);
  run_to_end (fixture);

  /* Once, naming the host and what to do: not 20 errors under a full bar. */
  summary = fp_window_get_summary (fixture->window);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, expected));
  g_assert_nonnull (strstr (summary, "Preferences"));
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "truth-unreachable");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/window-truth/first-second-and-stall", test_first_second_and_stall);
  ADD_TEST ("/window-truth/empty-state-gives-way", test_empty_state_gives_way);
  ADD_TEST ("/window-truth/filter-and-retry", test_filter_and_retry);
  ADD_TEST ("/window-truth/unreachable-source", test_unreachable_source);

  the_app = fp_gui_test_new_application ();
  status = g_test_run ();
  g_clear_object (&the_app);
  return status;
}
