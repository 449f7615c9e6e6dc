/* test-window.c — the Flagpole window: presets, search, a batch against the built-in server, cancel, errors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-window"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-gui-test-support.h"
#include "fp-preferences-window.h"
#include "fp-test-support.h"
#include "fp-application-private.h"
#include "fp-flag-server-private.h"
#include "fp-window-private.h"

/* A bound against hangs, not a speed check. */
#define WAIT_S 60

typedef struct
{
  FpApplication *app;
  FpWindow *window;
  GSettings *settings;
  char *dest;
  GPtrArray *notifications;
} Fixture;

typedef struct
{
  char *id;
  char *title;
  char *body;
  char *default_action;
} SentNotification;

static void
sent_notification_free (gpointer data)
{
  SentNotification *sent = data;

  g_free (sent->id);
  g_free (sent->title);
  g_free (sent->body);
  g_free (sent->default_action);
  g_free (sent);
}

/* The test double of the application's notification path. */
static void
record_notification_cb (FpApplication *app,
                        const char    *id,
                        GNotification *notification,
                        const char    *title,
                        const char    *body,
                        gpointer       user_data)
{
  Fixture *fixture = user_data;
  SentNotification *sent = g_new0 (SentNotification, 1);

  g_assert_true (G_IS_NOTIFICATION (notification));
  sent->id = g_strdup (id);
  sent->title = g_strdup (title);
  sent->body = g_strdup (body);
  g_ptr_array_add (fixture->notifications, sent);
}

/* One application for the whole run, as in the real program: GtkApplication
 * keeps a reference to itself once registered, so it outlives each test. */
static FpApplication *the_app;

static void
fixture_set_up_app (Fixture       *fixture,
                    gconstpointer  user_data)
{
  fixture->dest = fp_test_make_temp_dir ();
  fixture->notifications = g_ptr_array_new_with_free_func (sent_notification_free);

  fixture->app = the_app;
  fp_application_set_notify_func (fixture->app, record_notification_cb, fixture);

  /* The memory backend lives as long as the process: start each test afresh. */
  fixture->settings = g_object_ref (fp_application_get_gsettings (fixture->app));
  fp_gui_test_reset_settings (fixture->settings);
  g_settings_set_string (fixture->settings, "destination", fixture->dest);
  g_settings_set_double (fixture->settings, "server-min-delay", 0.0);
  g_settings_set_double (fixture->settings, "server-max-delay", 0.0);
  g_settings_set_int (fixture->settings, "window-width", 1000);
  g_settings_set_int (fixture->settings, "window-height", 700);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture_set_up_app (fixture, user_data);

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
  if (fixture->window != NULL)
    {
      fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to end");
      fp_gui_test_destroy_window (GTK_WINDOW (fixture->window));
    }

  /* No window of the test may stay behind for the next. */
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (fixture->app)));
  fp_application_set_notify_func (fixture->app, NULL, NULL);
  fp_application_set_focus_func (fixture->app, NULL, NULL);
  g_clear_object (&fixture->settings);

  fp_test_remove_tree (fixture->dest);
  g_clear_pointer (&fixture->dest, g_free);
  g_clear_pointer (&fixture->notifications, g_ptr_array_unref);
}

static void
resize_window (Fixture *fixture,
               int      width,
               int      height)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  int default_width, default_height, border;

  /* The window's own width leaves out the client-side decorations' border. */
  gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
  border = default_width - gtk_widget_get_width (window);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  /* Without a window manager the size takes a few frames to arrive. */
  for (guint i = 0; i < 100 && gtk_widget_get_width (window) != width - border; i++)
    fp_gui_test_settle (window);
  fp_gui_test_settle (window);
  g_test_message ("asked %d×%d, got %d×%d", width, height,
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_assert_cmpint (gtk_widget_get_width (window), ==, width - border);
}

static gpointer
template_child (Fixture    *fixture,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->window), FP_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static char *
dup_joined_codes (char **codes)
{
  return g_strjoinv (" ", codes);
}

static void
select_codes (Fixture            *fixture,
              const char * const *codes)
{
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "select", g_variant_new_string ("none"));
  for (guint i = 0; codes[i] != NULL; i++)
    {
      FpCountryItem *item = fp_country_list_lookup (fp_window_get_country_list (fixture->window), codes[i]);

      g_assert_nonnull (item);
      fp_country_item_set_selected (item, TRUE);
    }
}

/* Runs a batch through the application's action, as Ctrl+D or gapplication would. */
static void
run_batch (Fixture *fixture)
{
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "download"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  g_assert_true (fp_window_get_running (fixture->window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "download"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "cancel"));
  /* The band is there at once, whole: no transition draws it frame by
   * frame while the batch begins. */
  g_assert_true (gtk_revealer_get_child_revealed (template_child (fixture, "status_revealer")));

  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to end");
  fp_test_iterate_until (fp_gui_test_grid_holds_batch, fixture->window, WAIT_S, "the grid to show the downloaded flags");

  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "cancel"));
}

static void
assert_status (Fixture          *fixture,
               const char       *code,
               FpDownloadStatus  status)
{
  FpCountryItem *item = fp_country_list_lookup (fp_window_get_country_list (fixture->window), code);

  g_assert_nonnull (item);
  g_assert_true (fp_country_item_get_has_status (item));
  g_assert_cmpstr (fp_download_status_to_string (fp_country_item_get_status (item)), ==,
                   fp_download_status_to_string (status));
}

static void
test_opens_with_top20 (Fixture       *fixture,
                       gconstpointer  user_data)
{
  g_auto(GStrv) codes = fp_country_list_dup_selected_codes (fp_window_get_country_list (fixture->window));
  g_auto(GStrv) top20 = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_autofree char *joined = dup_joined_codes (codes);
  g_autofree char *joined_top20 = dup_joined_codes (top20);
  g_autoptr(GVariant) state = NULL;

  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 20);
  g_assert_cmpstr (joined, ==, joined_top20);
  g_assert_cmpstr (fp_window_get_preset (fixture->window), ==, "top20");
  g_assert_cmpstr (gtk_label_get_label (template_child (fixture, "selection_label")), ==, "20 selected");

  /* The list opens on the 249 countries (not the 427 codes no country
   * has), the top 20 checked: a newcomer sees what can be picked. */
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_items (fp_window_get_country_list (fixture->window))), ==, 676);
  g_assert_false (gtk_toggle_button_get_active (template_child (fixture, "selected_only_button")));
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_visible (fp_window_get_country_list (fixture->window))), ==, 249);
  gtk_toggle_button_set_active (template_child (fixture, "selected_only_button"), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_visible (fp_window_get_country_list (fixture->window))), ==, 20);
  gtk_toggle_button_set_active (template_child (fixture, "selected_only_button"), FALSE);

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "download"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "cancel"));
  state = g_action_group_get_action_state (G_ACTION_GROUP (fixture->app), "select");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "top20");

  /* No batch yet: no status, no summary. */
  g_assert_false (fp_country_item_get_has_status (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "BR")));
  g_assert_null (fp_window_get_summary (fixture->window));
  g_assert_false (gtk_revealer_get_reveal_child (template_child (fixture, "status_revealer")));

  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-initial");
}

static void
test_presets (Fixture       *fixture,
              gconstpointer  user_data)
{
  GActionGroup *actions = G_ACTION_GROUP (fixture->app);
  GListModel *visible = fp_country_list_get_visible (fp_window_get_country_list (fixture->window));
  g_autoptr(GVariant) state = NULL;
  FpCountryItem *item;

  /* Only the selected rows, as after a batch. */
  fp_country_list_set_selected_only (fp_window_get_country_list (fixture->window), TRUE);
  g_action_group_activate_action (actions, "select", g_variant_new_string ("every"));
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 676);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 676);
  g_assert_true (fp_country_item_get_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "ZZ")));
  g_assert_cmpstr (gtk_label_get_label (template_child (fixture, "selection_label")), ==, "676 selected");

  g_action_group_activate_action (actions, "select", g_variant_new_string ("all"));
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 249);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 249);
  g_assert_false (fp_country_item_get_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "ZZ")));
  state = g_action_group_get_action_state (actions, "select");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "all");
  g_clear_pointer (&state, g_variant_unref);

  g_action_group_activate_action (actions, "select", g_variant_new_string ("none"));
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (template_child (fixture, "selection_label")), ==, "0 selected");
  /* Only the selected are shown, and there are none: the list says so. */
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "list_stack")), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (template_child (fixture, "empty_page")), ==, "No Countries Selected");
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-none-selected");
  /* Nothing to download: the button is off. */
  g_assert_false (g_action_group_get_action_enabled (actions, "download"));

  /* A check box ticked by hand makes a selection of one's own. */
  item = fp_country_list_lookup (fp_window_get_country_list (fixture->window), "BR");
  fp_country_item_set_selected (item, TRUE);
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 1);
  g_assert_cmpstr (fp_window_get_preset (fixture->window), ==, "custom");
  g_assert_true (g_action_group_get_action_enabled (actions, "download"));
  state = g_action_group_get_action_state (actions, "select");
  g_assert_cmpstr (g_variant_get_string (state, NULL), ==, "custom");
  g_clear_pointer (&state, g_variant_unref);

  g_action_group_activate_action (actions, "select", g_variant_new_string ("top20"));
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 20);
  g_assert_true (fp_country_item_get_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "CN")));
  g_assert_false (fp_country_item_get_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "AD")));

  /* An unknown preset changes nothing. */
  g_assert_false (fp_window_select_preset (fixture->window, "most"));
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 20);
}

static gboolean
all_visible_match (FpWindow   *window,
                   const char *code_or_name)
{
  GListModel *visible = fp_country_list_get_visible (fp_window_get_country_list (window));
  g_autofree char *folded = fp_country_item_fold_text (code_or_name);

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (visible, i);

      if (!fp_country_item_matches (item, folded))
        return FALSE;
    }

  return TRUE;
}

static gboolean
visible_has (FpWindow   *window,
             const char *code)
{
  GListModel *visible = fp_country_list_get_visible (fp_window_get_country_list (window));

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (visible, i);

      if (g_str_equal (fp_country_item_get_code (item), code))
        return TRUE;
    }

  return FALSE;
}

static void
test_search (Fixture       *fixture,
             gconstpointer  user_data)
{
  GListModel *visible = fp_country_list_get_visible (fp_window_get_country_list (fixture->window));
  GtkStack *list_stack = template_child (fixture, "list_stack");

  /* A search looks through every country, not only the selected ones. */
  fp_window_set_search_text (fixture->window, "spain");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_true (visible_has (fixture->window, "ES"));

  fp_window_set_search_text (fixture->window, "germ");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  g_assert_true (visible_has (fixture->window, "DE"));

  /* A code finds its country, whatever the case; names that hold it too. */
  fp_window_set_search_text (fixture->window, "de");
  g_assert_true (visible_has (fixture->window, "DE"));
  g_assert_true (all_visible_match (fixture->window, "de"));
  g_assert_cmpuint (g_list_model_get_n_items (visible), <, 249);

  /* Accents do not matter: “cote” finds Côte d’Ivoire. */
  fp_window_set_search_text (fixture->window, "cote");
  g_assert_true (visible_has (fixture->window, "CI"));

  /* The search does not change the selection. */
  g_assert_cmpuint (fp_window_get_n_selected (fixture->window), ==, 20);

  fp_window_set_search_text (fixture->window, "atlantis");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (template_child (fixture, "empty_page")), ==, "No Results Found");
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-search-empty");

  /* Codes no country has show only with the "every" preset. */
  fp_window_set_search_text (fixture->window, "zz");
  g_assert_false (visible_has (fixture->window, "ZZ"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "select", g_variant_new_string ("every"));
  g_assert_true (visible_has (fixture->window, "ZZ"));

  fp_window_set_search_text (fixture->window, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 676);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "list");

  /* Ctrl+F's action puts the focus in the search. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture->window)),
                                         template_child (fixture, "search_entry")) ||
                 gtk_root_get_focus (GTK_ROOT (fixture->window)) ==
                 template_child (fixture, "search_entry"));
}

static void
test_batch_top20 (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_auto(GStrv) top20 = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  FpFlagGrid *grid = fp_window_get_flag_grid (fixture->window);
  const char *summary;

  run_batch (fixture);

  g_assert_cmpuint (fp_flag_grid_get_n_flags (grid), ==, 20);
  for (guint i = 0; top20[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (top20[i], -1);
      g_autofree char *name = g_strconcat (lower, ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dest, name, NULL);

      assert_status (fixture, top20[i], FP_DOWNLOAD_STATUS_OK);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  /* Only the batch's rows have a status, and the list shows only them now. */
  g_assert_false (fp_country_item_get_has_status (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "AD")));
  g_assert_true (gtk_toggle_button_get_active (template_child (fixture, "selected_only_button")));
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_visible (fp_window_get_country_list (fixture->window))), ==, 20);
  g_assert_false (visible_has (fixture->window, "AD"));

  /* Unticked, a row of the batch stays for its status. */
  fp_country_item_set_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "BR"), FALSE);
  g_assert_true (visible_has (fixture->window, "BR"));
  gtk_toggle_button_set_active (template_child (fixture, "selected_only_button"), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_visible (fp_window_get_country_list (fixture->window))), ==, 249);
  fp_country_item_set_selected (fp_country_list_lookup (fp_window_get_country_list (fixture->window), "BR"), TRUE);
  gtk_toggle_button_set_active (template_child (fixture, "selected_only_button"), TRUE);

  g_assert_cmpfloat (fp_window_get_progress_fraction (fixture->window), ==, 1.0);
  summary = fp_window_get_summary (fixture->window);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (summary, "20 flags downloaded, 0 not found, 0 errors\nElapsed time: "));
  /* No run one at a time of these codes yet, so no speed-up to tell. */
  g_assert_null (strstr (summary, "one at a time"));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (fixture, "status_revealer")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "action_stack")), ==, "download");

  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-batch-done");
}

static void
test_strategies (Fixture       *fixture,
                 gconstpointer  user_data)
{
  /* The event loop and the process pool from the window, in submission
   * order: every flag, the news in code order, the grid full. */
  const FpDownloadStrategy strategies[] = { FP_DOWNLOAD_STRATEGY_ASYNC, FP_DOWNLOAD_STRATEGY_PROCESSES };

  g_settings_set_enum (fixture->settings, "order", FP_RESULT_ORDER_SUBMITTED);

  for (guint s = 0; s < G_N_ELEMENTS (strategies); s++)
    {
      FpDownloadBatch *batch;
      GPtrArray *results;

      g_settings_set_enum (fixture->settings, "strategy", strategies[s]);
      run_batch (fixture);
      batch = fp_run_get_batch (fp_window_get_run (fixture->window));
      g_assert_cmpint (fp_download_batch_get_strategy (batch), ==, strategies[s]);
      g_assert_cmpint (fp_download_batch_get_order (batch), ==, FP_RESULT_ORDER_SUBMITTED);
      g_assert_cmpuint (fp_download_batch_get_n_ok (batch), ==, 20);
      results = fp_download_batch_get_results (batch);
      g_assert_cmpuint (results->len, ==, 20);
      for (guint i = 0; i < results->len; i++)
        {
          const char *code = fp_download_result_get_code (g_ptr_array_index (results, i));

          g_assert_cmpstr (code, ==, fp_download_batch_get_codes (batch)[i]);
          assert_status (fixture, code, FP_DOWNLOAD_STATUS_OK);
        }
      g_assert_cmpuint (fp_flag_grid_get_n_flags (fp_window_get_flag_grid (fixture->window)), ==, 20);
    }
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-process-pool-submitted");
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  static const char * const codes[] = { "DE", "QZ", NULL };
  FpCountryItem *qz;
  g_autofree char *text = NULL;

  /* QZ is two letters, so a valid code, but no country has it. */
  select_codes (fixture, codes);
  g_assert_true (visible_has (fixture->window, "QZ"));
  run_batch (fixture);

  assert_status (fixture, "DE", FP_DOWNLOAD_STATUS_OK);
  assert_status (fixture, "QZ", FP_DOWNLOAD_STATUS_NOT_FOUND);
  qz = fp_country_list_lookup (fp_window_get_country_list (fixture->window), "QZ");
  text = fp_country_item_dup_status_text (qz);
  /* The outcome, then the download's facts: how long it took and waited. */
  g_assert_true (g_str_has_prefix (text, "Not found on the server\nTook "));
  g_assert_nonnull (strstr (text, "for a worker; the server answered in "));
  g_assert_cmpstr (fp_country_item_get_icon_name (qz), ==, "action-unavailable-symbolic");
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fp_window_get_flag_grid (fixture->window)), ==, 1);
  g_assert_true (g_str_has_prefix (fp_window_get_summary (fixture->window),
                                   "1 flag downloaded, 1 not found, 0 errors\n"));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const char * const codes[] = { "BR", "CN", "FR", NULL };
  FpCountryItem *br;
  g_autofree char *text = NULL;

  /* The built-in server answers every request with 418 I'm a Teapot. */
  g_settings_set_double (fixture->settings, "server-error-rate", 1.0);
  select_codes (fixture, codes);
  run_batch (fixture);

  for (guint i = 0; codes[i] != NULL; i++)
    assert_status (fixture, codes[i], FP_DOWNLOAD_STATUS_ERROR);
  /* From a server in a process of its own: the 418s say the new rate
   * reached it, although one in a child keeps the settings it began with. */
  g_assert_true (fp_flag_server_get_in_child (fp_application_get_server (fixture->app, NULL)));
  br = fp_country_list_lookup (fp_window_get_country_list (fixture->window), "BR");
  g_assert_nonnull (strstr (fp_country_item_get_message (br), "418"));
  text = fp_country_item_dup_status_text (br);
  g_assert_true (g_str_has_prefix (text, "Error: "));
  g_assert_nonnull (strstr (text, "418"));
  g_assert_cmpstr (fp_country_item_get_icon_name (br), ==, "dialog-error-symbolic");

  g_assert_cmpuint (fp_flag_grid_get_n_flags (fp_window_get_flag_grid (fixture->window)), ==, 0);
  g_assert_true (g_str_has_prefix (fp_window_get_summary (fixture->window),
                                   "0 flags downloaded, 0 not found, 3 errors\n"));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-batch-errors");
}

/* The built-in server's process killed (or crashed) between batches: the
 * next batch gets a new one, and its flags. */
static gboolean
stopped_serving (gpointer server)
{
  return !fp_flag_server_get_serving (server);
}

static void
test_server_replaced (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char * const codes[] = { "BR", "JP", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagServer) killed = g_object_ref (fp_application_get_server (fixture->app, &error));

  g_assert_no_error (error);
  g_assert_true (fp_flag_server_get_in_child (killed));
  g_subprocess_force_exit (killed->child);
  fp_test_iterate_until (stopped_serving, killed, WAIT_S, "the server to see its process end");

  select_codes (fixture, codes);
  run_batch (fixture);
  for (guint i = 0; codes[i] != NULL; i++)
    assert_status (fixture, codes[i], FP_DOWNLOAD_STATUS_OK);
  g_assert_true (fp_application_get_server (fixture->app, NULL) != killed);
  g_assert_true (fp_flag_server_get_serving (fp_application_get_server (fixture->app, NULL)));
}

static gboolean
has_server (gpointer app)
{
  FpFlagServer *server = fp_application_peek_server (app);

  return server != NULL && fp_flag_server_get_serving (server);
}

/* A changed setting of the server's: the one that had the old settings is
 * let go, and a new one starts by itself, before the click that needs it. */
static void
test_server_restarts_after_settings (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagServer) before = g_object_ref (fp_application_get_server (fixture->app, &error));

  g_assert_no_error (error);
  g_assert_true (fp_flag_server_get_in_child (before));
  g_settings_set_double (fixture->settings, "server-error-rate", 0.5);
  g_assert_true (fp_application_peek_server (fixture->app) != before);
  fp_test_iterate_until (has_server, fixture->app, WAIT_S, "a server with the new settings");
  g_assert_true (fp_application_peek_server (fixture->app) != before);
}

static gboolean
some_download_started (gpointer user_data)
{
  Fixture *fixture = user_data;
  GListModel *countries = fp_country_list_get_items (fp_window_get_country_list (fixture->window));

  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (countries, i);

      if (fp_country_item_get_has_status (item) &&
          fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_DOWNLOADING)
        return TRUE;
    }

  return FALSE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  GListModel *countries = fp_country_list_get_items (fp_window_get_country_list (fixture->window));
  g_auto(GStrv) names = NULL;
  g_autofree char *summary = NULL;
  guint n_cancelled = 0;
  guint n_finished = 0;
  guint n_answered;
  FpDownloadBatch *batch;

  /* Two at a time against a slow server: most of the 20 are still queued. */
  g_settings_set_double (fixture->settings, "server-min-delay", 3.0);
  g_settings_set_double (fixture->settings, "server-max-delay", 3.0);
  g_settings_set_int (fixture->settings, "concurrency", 2);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "action_stack")), ==, "cancel");
  fp_test_iterate_until (some_download_started, fixture, WAIT_S, "a download to start");
  g_assert_cmpstr (fp_window_get_progress_text (fixture->window), ==, "0 of 20 flags");
  g_assert_null (fp_window_get_summary (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-batch-running");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "cancel", NULL);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the cancelled batch to end");

  batch = fp_run_get_batch (fp_window_get_run (fixture->window));
  n_answered = fp_download_batch_get_n_ok (batch) +
               fp_download_batch_get_n_not_found (batch) +
               fp_download_batch_get_n_error (batch);
  g_assert_cmpuint (n_answered, <, 20);

  /* Every row says how it ended: none is left queued or downloading. */
  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (countries, i);

      if (!fp_country_item_get_has_status (item))
        continue;
      g_assert_cmpint (fp_country_item_get_status (item), !=, FP_DOWNLOAD_STATUS_QUEUED);
      g_assert_cmpint (fp_country_item_get_status (item), !=, FP_DOWNLOAD_STATUS_DOWNLOADING);
      if (fp_country_item_get_status (item) == FP_DOWNLOAD_STATUS_CANCELLED)
        n_cancelled++;
      else
        n_finished++;
    }
  g_assert_cmpuint (n_cancelled + n_finished, ==, 20);
  g_assert_cmpuint (n_cancelled, >, 0);
  g_assert_cmpuint (n_finished, ==, n_answered);

  /* The summary says what finished. */
  summary = g_strdup_printf ("Cancelled after %u of 20 flags\n%u flag", n_answered, n_answered);
  g_assert_true (g_str_has_prefix (fp_window_get_summary (fixture->window), summary));
  g_assert_cmpfloat (fp_window_get_progress_fraction (fixture->window), ==, n_answered / 20.0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (template_child (fixture, "action_stack")), ==, "download");

  /* A cancelled download leaves no partial file behind. */
  names = fp_test_list_dir (fixture->dest);
  for (guint i = 0; names[i] != NULL; i++)
    g_assert_false (g_str_has_prefix (names[i], "."));

  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-batch-cancelled");
}

static void
test_speed_up (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const char * const codes[] = { "BR", "CN", "DE", "FR", NULL };
  static const char * const other_codes[] = { "BR", "CN", NULL };
  g_autoptr(GVariant) times = NULL;
  const char *summary;

  g_settings_set_double (fixture->settings, "server-min-delay", 0.1);
  g_settings_set_double (fixture->settings, "server-max-delay", 0.1);
  select_codes (fixture, codes);

  g_settings_set_enum (fixture->settings, "strategy", FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  run_batch (fixture);
  summary = fp_window_get_summary (fixture->window);
  g_assert_true (g_str_has_prefix (summary, "4 flags downloaded, 0 not found, 0 errors\n"));
  g_assert_null (strstr (summary, "than one at a time"));
  times = g_settings_get_value (fixture->settings, "sequential-times");
  g_assert_cmpuint (g_variant_n_children (times), ==, 1);

  /* The same codes with the thread pool compare with that run. */
  g_settings_set_enum (fixture->settings, "strategy", FP_DOWNLOAD_STRATEGY_THREADS);
  run_batch (fixture);
  summary = fp_window_get_summary (fixture->window);
  g_assert_nonnull (strstr (summary, "× "));
  g_assert_nonnull (strstr (summary, " than one at a time"));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-batch-speed-up");

  /* Other codes were never run one at a time. */
  select_codes (fixture, other_codes);
  run_batch (fixture);
  g_assert_null (strstr (fp_window_get_summary (fixture->window), "than one at a time"));

  /* Nor were the same codes at another latency. */
  select_codes (fixture, codes);
  g_settings_set_double (fixture->settings, "server-max-delay", 0.2);
  run_batch (fixture);
  g_assert_null (strstr (fp_window_get_summary (fixture->window), "than one at a time"));
}

static void
test_destination_error (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *file = g_build_filename (fixture->dest, "a-file", NULL);
  g_autofree char *below_file = g_build_filename (file, "Flags", NULL);
  GListModel *countries = fp_country_list_get_items (fp_window_get_country_list (fixture->window));

  /* A folder inside a file can be neither made nor written. */
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  g_settings_set_string (fixture->settings, "destination", below_file);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to fail");

  g_assert_true (g_str_has_prefix (fp_window_get_summary (fixture->window), "Could not download the flags\n"));
  g_assert_true (gtk_revealer_get_reveal_child (template_child (fixture, "status_revealer")));
  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (countries, i);
      g_assert_false (fp_country_item_get_has_status (item));
    }
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "download"));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-destination-error");
}

static void
test_bad_custom_source (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_settings_set_string (fixture->settings, "source", "custom");
  g_settings_set_string (fixture->settings, "custom-url", "ftp://example.com/flags");

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  g_assert_false (fp_window_get_running (fixture->window));
  g_assert_true (g_str_has_prefix (fp_window_get_summary (fixture->window), "Could not start the download\n"));

  g_settings_set_string (fixture->settings, "custom-url", "");
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  g_assert_false (fp_window_get_running (fixture->window));
  g_assert_nonnull (strstr (fp_window_get_summary (fixture->window), "No custom URL"));
}

static gboolean
window_is_visible (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

/* A window that was never shown cannot have the focus: that is
 * gtk_window_is_active() itself answering, no test double. */
static void
test_notification_when_unfocused (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  SentNotification *sent;

  fixture->window = fp_window_new (fixture->app);
  g_assert_false (gtk_window_is_active (GTK_WINDOW (fixture->window)));

  run_batch (fixture);

  /* One notification per batch, not one per flag. */
  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  sent = g_ptr_array_index (fixture->notifications, 0);
  g_assert_cmpstr (sent->id, ==, "batch-finished");
  g_assert_cmpstr (sent->title, ==, "Download Finished");
  g_assert_true (g_str_has_prefix (sent->body, "20 flags downloaded, 0 not found, 0 errors\nElapsed time: "));

  /* Clicking it presents the window. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "present-window", NULL);
  fp_test_iterate_until (window_is_visible, fixture->window, WAIT_S, "the window to be presented");

}

static void
test_notification_on_failure (Fixture       *fixture,
                              gconstpointer  user_data)
{
  SentNotification *sent;

  /* A batch that cannot run notifies too, once. */
  g_settings_set_string (fixture->settings, "destination", "/proc/version/Flags");
  fixture->window = fp_window_new (fixture->app);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to fail");

  g_assert_cmpuint (fixture->notifications->len, ==, 1);
  sent = g_ptr_array_index (fixture->notifications, 0);
  g_assert_cmpstr (sent->title, ==, "Download Failed");
  g_assert_nonnull (strstr (sent->body, "/proc/version/Flags"));
}

static gboolean
focused_cb (GtkWindow *window,
            gpointer   user_data)
{
  return TRUE;
}

/* Test programs share one X server without a window manager and take the
 * focus from each other, so here the focus is a test double. */
static void
test_no_notification_when_focused (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  fp_application_set_focus_func (fixture->app, focused_cb, NULL);

  run_batch (fixture);

  /* The window shows the summary; a notification would say it twice. */
  g_assert_cmpuint (fixture->notifications->len, ==, 0);
  g_assert_nonnull (fp_window_get_summary (fixture->window));

  fp_application_set_focus_func (fixture->app, NULL, NULL);
}

static gboolean
has_main_window (gpointer user_data)
{
  Fixture *fixture = user_data;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (fixture->app)); l != NULL; l = l->next)
    if (FP_IS_WINDOW (l->data))
      {
        fixture->window = l->data;
        return TRUE;
      }

  return FALSE;
}

/* `gapplication action io.github.flagpole.Flagpole download` activates the
 * action on the running application, which may have no window yet. */
static void
test_download_action_without_window (Fixture       *fixture,
                                     gconstpointer  user_data)
{
  g_autoptr(GFile) dest = g_file_new_for_path (fixture->dest);
  g_auto(GStrv) names = NULL;

  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->app), "download"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "download", NULL);
  g_assert_true (has_main_window (fixture));
  g_assert_true (fp_window_get_running (fixture->window));

  fp_test_iterate_until (window_is_idle, fixture->window, WAIT_S, "the batch to end");
  fp_test_iterate_until (fp_gui_test_grid_holds_batch, fixture->window, WAIT_S, "the grid to show the downloaded flags");

  g_assert_cmpuint (fp_flag_grid_get_n_flags (fp_window_get_flag_grid (fixture->window)), ==, 20);
  names = fp_test_list_dir (fixture->dest);
  g_assert_cmpuint (g_strv_length (names), ==, 20);
  g_assert_true (g_strv_contains ((const char * const *) names, "cn.png"));
}

static void
test_window_size_remembered (Fixture       *fixture,
                             gconstpointer  user_data)
{
  int width, height;

  g_settings_set_int (fixture->settings, "window-width", 720);
  g_settings_set_int (fixture->settings, "window-height", 540);
  fixture->window = fp_window_new (fixture->app);
  gtk_window_get_default_size (GTK_WINDOW (fixture->window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 540);
  gtk_window_present (GTK_WINDOW (fixture->window));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  g_object_ref (fixture->window);
  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-width"), ==, 800);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "window-height"), ==, 600);
  g_assert_false (g_settings_get_boolean (fixture->settings, "window-maximized"));
  g_assert_finalize_object (fixture->window);
  fixture->window = NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
test_menu_windows (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWindow *preferences;
  GtkWindow *about;
  GtkWindow *shortcuts;

  /* Each item of the primary menu opens its window over the main one. */
  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "preferences", NULL);
  preferences = find_toplevel (FP_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (preferences));
  fp_gui_test_destroy_window (preferences);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Flagpole");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  fp_gui_test_save_screenshot (GTK_WIDGET (about), "about");
  fp_gui_test_destroy_window (about);

  /* Ctrl+? opens the shortcuts window that GtkApplication loads from the resources. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay", NULL);
  shortcuts = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window)));
  g_assert_nonnull (shortcuts);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (shortcuts)));
  fp_gui_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts");
  gtk_widget_set_visible (GTK_WIDGET (shortcuts), FALSE);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  user_data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  AdwFlap *flap = template_child (fixture, "flap");
  static const char * const codes[] = { "AR", "BR", "CN", "DE", "FR", "JP", "ZZ", NULL };

  g_settings_set_double (fixture->settings, "server-error-rate", 0.0);
  select_codes (fixture, codes);
  run_batch (fixture);

  resize_window (fixture, 1100, 720);
  g_assert_false (adw_flap_get_folded (flap));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-wide-light");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-wide-dark");

  /* A phone-sized window folds the list away; its button brings it back. */
  resize_window (fixture, 800, 640);
  resize_window (fixture, 600, 640);
  resize_window (fixture, 360, 640);
  g_assert_true (adw_flap_get_folded (flap));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-narrow-dark");

  adw_flap_set_reveal_flap (flap, TRUE);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-narrow-list-dark");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-narrow-list-light");

  adw_flap_set_reveal_flap (flap, FALSE);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "window-narrow-light");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_APP_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up_app, func, fixture_tear_down)

  ADD_TEST ("/window/opens-with-top20", test_opens_with_top20);
  ADD_TEST ("/window/presets", test_presets);
  ADD_TEST ("/window/search", test_search);
  ADD_TEST ("/window/batch-top20", test_batch_top20);
  ADD_TEST ("/window/strategies", test_strategies);
  ADD_TEST ("/window/server-replaced", test_server_replaced);
  ADD_TEST ("/window/server-restarts-after-settings", test_server_restarts_after_settings);
  ADD_TEST ("/window/not-found", test_not_found);
  ADD_TEST ("/window/errors", test_errors);
  ADD_TEST ("/window/cancel", test_cancel);
  ADD_TEST ("/window/speed-up", test_speed_up);
  ADD_TEST ("/window/destination-error", test_destination_error);
  ADD_TEST ("/window/bad-custom-source", test_bad_custom_source);
  ADD_APP_TEST ("/window/notification-when-unfocused", test_notification_when_unfocused);
  ADD_APP_TEST ("/window/notification-on-failure", test_notification_on_failure);
  ADD_TEST ("/window/no-notification-when-focused", test_no_notification_when_focused);
  ADD_APP_TEST ("/window/download-action-without-window", test_download_action_without_window);
  ADD_APP_TEST ("/window/size-remembered", test_window_size_remembered);
  ADD_TEST ("/window/menu-windows", test_menu_windows);
  ADD_TEST ("/window/screenshots", test_screenshots);

  the_app = fp_gui_test_new_application ();

  status = g_test_run ();

  g_clear_object (&the_app);
  return status;
}
