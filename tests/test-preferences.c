/* test-preferences.c — the Preferences window writes the settings the next batch reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-preferences"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include <errno.h>
#include <string.h>
#include "fp-preferences-window.h"

typedef struct
{
  GSettings *settings;
  FpSettings *typed;
  FpPreferencesWindow *window;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->settings = g_settings_new (APPLICATION_ID);
  fp_gui_test_reset_settings (fixture->settings);

  fixture->typed = fp_settings_new (fixture->settings);
  fixture->window = fp_preferences_window_new (fixture->typed);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 600, 1000);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  fp_gui_test_destroy_window (GTK_WINDOW (fixture->window));
  /* No binding outlives the window. */
  g_assert_finalize_object (fixture->typed);
  g_assert_finalize_object (fixture->settings);
}

static gpointer
template_child (Fixture    *fixture,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                  FP_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static void
test_shows_defaults (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GFile) destination = fp_settings_dup_destination (fixture->typed);
  g_autofree char *path = g_file_get_path (destination);

  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "concurrency_spin")), ==, 20);
  g_assert_cmpuint (adw_combo_row_get_selected (template_child (fixture, "strategy_row")), ==, 1);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "timeout_spin")), ==, 10);
  g_assert_cmpuint (adw_combo_row_get_selected (template_child (fixture, "source_row")), ==, 0);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "min_delay_spin")), ==, 0.45);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "max_delay_spin")), ==, 1.4);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "error_rate_spin")), ==, 0);

  /* The custom source's fields show only for a custom source. */
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "custom_url_row")));
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "custom_extension_row")));

  /* The default folder is spelled out, and there is nothing to reset. */
  g_assert_true (g_str_has_suffix (path, "/Flags"));
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (fixture, "destination_row")), ==, path);
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "destination_reset_button")));
}

static void
test_rows_write_settings (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *source = NULL;
  g_autofree char *strategy = NULL;
  g_autofree char *url = NULL;
  g_autofree char *extension = NULL;

  gtk_spin_button_set_value (template_child (fixture, "concurrency_spin"), 42);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "concurrency"), ==, 42);

  /* The spin button keeps the schema's range. */
  gtk_spin_button_set_value (template_child (fixture, "concurrency_spin"), 500);
  g_assert_cmpint (g_settings_get_int (fixture->settings, "concurrency"), ==, 100);

  adw_combo_row_set_selected (template_child (fixture, "strategy_row"), 0);
  strategy = g_settings_get_string (fixture->settings, "strategy");
  g_assert_cmpstr (strategy, ==, "sequential");

  gtk_spin_button_set_value (template_child (fixture, "timeout_spin"), 2.5);
  g_assert_cmpfloat (g_settings_get_double (fixture->settings, "timeout"), ==, 2.5);

  gtk_spin_button_set_value (template_child (fixture, "min_delay_spin"), 0.2);
  gtk_spin_button_set_value (template_child (fixture, "max_delay_spin"), 0.8);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "server-min-delay"), 0.2, 1e-9);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "server-max-delay"), 0.8, 1e-9);

  /* The rate is a share in the settings and a percentage on screen. */
  gtk_spin_button_set_value (template_child (fixture, "error_rate_spin"), 25);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "server-error-rate"), 0.25, 1e-9);

  adw_combo_row_set_selected (template_child (fixture, "source_row"), 2);
  source = g_settings_get_string (fixture->settings, "source");
  g_assert_cmpstr (source, ==, "custom");
  g_assert_true (gtk_widget_get_visible (template_child (fixture, "custom_url_row")));
  g_assert_true (gtk_widget_get_visible (template_child (fixture, "custom_extension_row")));
  /* The built-in server's latency means nothing for another source. */
  g_assert_false (gtk_widget_get_sensitive (template_child (fixture, "server_group")));

  gtk_editable_set_text (template_child (fixture, "custom_url_row"), "http://127.0.0.1:8001/flags");
  url = g_settings_get_string (fixture->settings, "custom-url");
  g_assert_cmpstr (url, ==, "http://127.0.0.1:8001/flags");
  g_assert_false (gtk_widget_has_css_class (template_child (fixture, "custom_url_row"), "error"));

  gtk_editable_set_text (template_child (fixture, "custom_extension_row"), "png");
  extension = g_settings_get_string (fixture->settings, "custom-extension");
  g_assert_cmpstr (extension, ==, "png");

  /* A URL the engine would refuse is marked at once. */
  gtk_editable_set_text (template_child (fixture, "custom_url_row"), "ftp://example.com/flags");
  g_assert_true (gtk_widget_has_css_class (template_child (fixture, "custom_url_row"), "error"));

  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "preferences-custom-source");
}

static void
test_settings_update_rows (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_settings_set_int (fixture->settings, "concurrency", 7);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "concurrency_spin")), ==, 7);

  g_settings_set_string (fixture->settings, "source", "remote");
  g_assert_cmpuint (adw_combo_row_get_selected (template_child (fixture, "source_row")), ==, 1);
  g_assert_cmpstr (adw_preferences_group_get_description (template_child (fixture, "source_group")), ==, BOOK_FLAGS_URL);

  g_settings_set_double (fixture->settings, "server-error-rate", 0.5);
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "error_rate_spin")), ==, 50);
}

static void
test_destination (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GVariant) user_value = NULL;
  g_autofree char *default_path = NULL;

  g_settings_set_string (fixture->settings, "destination", "/srv/flags");
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (fixture, "destination_row")), ==, "/srv/flags");
  g_assert_true (gtk_widget_get_visible (template_child (fixture, "destination_reset_button")));

  /* The reset button goes back to the Pictures folder's Flags. */
  g_signal_emit_by_name (template_child (fixture, "destination_reset_button"), "clicked");
  user_value = g_settings_get_user_value (fixture->settings, "destination");
  g_assert_null (user_value);
  destination = fp_settings_dup_destination (fixture->typed);
  default_path = g_file_get_path (destination);
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (fixture, "destination_row")), ==, default_path);
  g_assert_false (gtk_widget_get_visible (template_child (fixture, "destination_reset_button")));

  /* "~" stands for the home folder. */
  g_settings_set_string (fixture->settings, "destination", "~/Flags from the book");
  g_clear_object (&destination);
  g_clear_pointer (&default_path, g_free);
  destination = fp_settings_dup_destination (fixture->typed);
  default_path = g_build_filename (g_get_home_dir (), "Flags from the book", NULL);
  g_assert_cmpstr (g_file_peek_path (destination), ==, default_path);
}

static void
test_strategies (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char * const nicks[] = { "sequential", "threads", "async", "processes" };
  g_autoptr(GPtrArray) subtitles = g_ptr_array_new_with_free_func (g_free);
  AdwComboRow *strategy_row = template_child (fixture, "strategy_row");
  AdwComboRow *order_row = template_child (fixture, "order_row");
  GtkWidget *concurrency_row = template_child (fixture, "concurrency_row");
  g_autofree char *order = NULL;

  /* Every strategy is a choice, says what it is, and the concurrency
   * counts for all but one at a time. */
  for (guint i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_autofree char *strategy = NULL;

      adw_combo_row_set_selected (strategy_row, i);
      strategy = g_settings_get_string (fixture->settings, "strategy");
      g_assert_cmpstr (strategy, ==, nicks[i]);
      g_ptr_array_add (subtitles, g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (strategy_row))));
      g_assert_nonnull (subtitles->pdata[i]);
      g_assert_cmpuint (strlen (subtitles->pdata[i]), >, 10);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (subtitles->pdata[i], !=, subtitles->pdata[j]);
      g_assert_true (gtk_widget_get_sensitive (concurrency_row) == (i != 0));
      if (i == 2)
        {
          fp_gui_test_settle (GTK_WIDGET (fixture->window));
          fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "preferences-event-loop");
        }
    }

  /* The settings drive the rows too. */
  g_settings_set_string (fixture->settings, "strategy", "sequential");
  g_assert_cmpuint (adw_combo_row_get_selected (strategy_row), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (concurrency_row));

  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 0);
  adw_combo_row_set_selected (order_row, 1);
  order = g_settings_get_string (fixture->settings, "order");
  g_assert_cmpstr (order, ==, "submitted");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (order_row)), "order of the codes"));
  g_settings_reset (fixture->settings, "order");
  g_assert_cmpuint (adw_combo_row_get_selected (order_row), ==, 0);
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  user_data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "preferences-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "preferences-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_concurrency_follows_strategy (Fixture       *fixture,
                                   gconstpointer  user_data)
{
  GtkWidget *row = template_child (fixture, "concurrency_row");
  g_autofree char *strategy = NULL;

  g_assert_true (gtk_widget_get_sensitive (row));
  /* One at a Time: the number would change nothing, so it cannot be changed. */
  adw_combo_row_set_selected (template_child (fixture, "strategy_row"), 0);
  strategy = g_settings_get_string (fixture->settings, "strategy");
  g_assert_cmpstr (strategy, ==, "sequential");
  g_assert_false (gtk_widget_get_sensitive (row));
  g_settings_set_string (fixture->settings, "strategy", "threads");
  g_assert_true (gtk_widget_get_sensitive (row));
}

static void
test_error_rate_percent (Fixture       *fixture,
                         gconstpointer  user_data)
{
  GtkSpinButton *spin = template_child (fixture, "error_rate_spin");

  /* Shown as a percentage, sign and all; typed with or without it. */
  g_settings_set_double (fixture->settings, "server-error-rate", 0.25);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "25 %");
  gtk_editable_set_text (GTK_EDITABLE (spin), "40 %");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "server-error-rate"), 0.40, 1e-9);
  gtk_editable_set_text (GTK_EDITABLE (spin), "5");
  gtk_spin_button_update (spin);
  g_assert_cmpfloat_with_epsilon (g_settings_get_double (fixture->settings, "server-error-rate"), 0.05, 1e-9);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (spin)), ==, "5 %");
}

static void
test_retries (Fixture       *fixture,
              gconstpointer  user_data)
{
  /* Off by default, like the book. */
  g_assert_cmpfloat (gtk_spin_button_get_value (template_child (fixture, "retries_spin")), ==, 0);
  gtk_spin_button_set_value (template_child (fixture, "retries_spin"), 3);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "retries"), ==, 3);
}

static gboolean
destination_settled (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *destination = g_settings_get_string (fixture->settings, "destination");

  return fp_preferences_window_get_destination_problem (fixture->window) != NULL ||
         destination[0] != '\0';
}

static void
test_destination_checked (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *root = fp_test_make_temp_dir ();
  g_autofree char *not_a_folder = g_build_filename (root, "a-file", NULL);
  g_autofree char *missing = g_build_filename (root, "gone", NULL);
  g_autofree char *good = g_build_filename (root, "flags", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (not_a_folder);
  g_autoptr(GFile) gone = g_file_new_for_path (missing);
  g_autoptr(GFile) folder = g_file_new_for_path (good);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autofree char *destination = NULL;
  const char *problem;

  fp_test_write_file (not_a_folder, bytes);
  g_assert_cmpint (g_mkdir (good, 0755), ==, 0);

  /* Refused when chosen, with the true reason; the setting is untouched. */
  fp_preferences_window_choose_destination (fixture->window, file);
  fp_test_iterate_until (destination_settled, fixture, 30, "the folder's check");
  problem = fp_preferences_window_get_destination_problem (fixture->window);
  g_test_message ("%s", problem);
  g_assert_nonnull (strstr (problem, "it is not a folder"));
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (fixture, "destination_row")), ==, problem);
  g_assert_true (gtk_widget_has_css_class (template_child (fixture, "destination_row"), "error"));
  destination = g_settings_get_string (fixture->settings, "destination");
  g_assert_cmpstr (destination, ==, "");

  fp_preferences_window_choose_destination (fixture->window, gone);
  g_clear_pointer (&destination, g_free);
  while (g_main_context_pending (NULL) || strstr (fp_preferences_window_get_destination_problem (fixture->window), "gone") == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (fp_preferences_window_get_destination_problem (fixture->window), g_strerror (ENOENT)));

  /* A folder that takes files is taken, and leaves nothing behind. */
  fp_preferences_window_choose_destination (fixture->window, folder);
  fp_test_iterate_until (destination_settled, fixture, 30, "the folder's check");
  while (fp_preferences_window_get_destination_problem (fixture->window) != NULL)
    g_main_context_iteration (NULL, TRUE);
  destination = g_settings_get_string (fixture->settings, "destination");
  g_assert_cmpstr (destination, ==, good);
  g_assert_cmpstr (adw_action_row_get_subtitle (template_child (fixture, "destination_row")), ==, good);
  g_assert_false (gtk_widget_has_css_class (template_child (fixture, "destination_row"), "error"));
  fp_test_assert_dir_holds (good, NULL);

  fp_test_remove_tree (root);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  user_data)
{
  GtkWidget *content = fp_gui_test_find_widget_of_type (GTK_WIDGET (fixture->window), ADW_TYPE_LEAFLET);
  int minimum, natural;

  /* A phone's 360 px: the content asks for no more (the window adds its
   * shadow), and nothing in it is cut. */
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_test_message ("minimum width %d, natural %d", minimum, natural);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  g_assert_cmpint (minimum, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "preferences-360");
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/preferences/shows-defaults", test_shows_defaults);
  ADD_TEST ("/preferences/rows-write-settings", test_rows_write_settings);
  ADD_TEST ("/preferences/settings-update-rows", test_settings_update_rows);
  ADD_TEST ("/preferences/destination", test_destination);
  ADD_TEST ("/preferences/strategies", test_strategies);
  ADD_TEST ("/preferences/screenshots", test_screenshots);
  ADD_TEST ("/preferences/narrow", test_narrow);
  ADD_TEST ("/preferences/concurrency-follows-strategy", test_concurrency_follows_strategy);
  ADD_TEST ("/preferences/error-rate-percent", test_error_rate_percent);
  ADD_TEST ("/preferences/retries", test_retries);
  ADD_TEST ("/preferences/destination-checked", test_destination_checked);

  return g_test_run ();
}
