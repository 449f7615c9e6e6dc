/* test-compare-panel.c — the Compare view: the button runs a comparison, the chart and the table fill, cancel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-compare-panel"

#include "config.h"

#include <string.h>
#include <adwaita.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-compare-panel.h"
#include "fp-comparison-chart-private.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"

typedef struct {
  FpFlagServer *server;
  char *root;
  GFile *dest;
  guint n_codes;
  const char *strategies;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = fp_flag_server_new (NULL);
  g_assert_true (fp_flag_server_start (f->server, 0, &error));
  f->root = fp_test_make_temp_dir ();
  f->dest = g_file_new_for_path (f->root);
  f->n_codes = 20;
  f->strategies = "sequential,threads";
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

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *full = g_strdup_printf ("%s-%s", name, language != NULL && *language ? language : "en");

  fp_gui_test_settle (window);
  fp_gui_test_save_screenshot (window, full);
}

/* What the window does on Compare: the selection, the source, the series. */
static void
start_requested_cb (FpComparePanel *panel,
                    Fixture        *f)
{
  g_auto(GStrv) top = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_autoptr(GArray) series = fp_compare_panel_dup_series (panel, NULL);
  g_autoptr(GArray) strategies = NULL;
  g_autoptr(FpComparison) comparison = NULL;
  g_autofree const char **codes = g_new0 (const char *, f->n_codes + 1);

  for (guint i = 0; i < f->n_codes; i++)
    codes[i] = top[i];
  comparison = fp_comparison_new (codes, fp_flag_server_get_base_url (f->server), "png", f->dest);
  g_assert_nonnull (series);
  fp_comparison_set_concurrencies (comparison, series);
  g_assert_true (fp_comparison_parse_strategies (f->strategies, &strategies, NULL));
  fp_comparison_set_strategies (comparison, strategies);
  fp_comparison_set_source (comparison, "builtin", 0.1, 0.1, 0);
  fp_compare_panel_set_comparison (panel, comparison);
  fp_comparison_run_async (comparison, NULL, NULL, NULL);
}

static gboolean
is_button_labelled (GtkWidget *widget,
                    gpointer   label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
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
  FpComparePanel *panel = user_data;
  FpComparison *comparison = fp_compare_panel_get_comparison (panel);

  return comparison != NULL && !fp_comparison_get_running (comparison) &&
         fp_comparison_get_n_done (comparison) > 0;
}

static gboolean
second_run_going (gpointer user_data)
{
  FpComparison *comparison = fp_compare_panel_get_comparison (user_data);

  return comparison != NULL && fp_comparison_get_n_done (comparison) >= 1 &&
         fp_comparison_get_running (comparison);
}

static void
test_compare_panel_run (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = fp_compare_panel_new ();
  GtkWidget *button, *entry;
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;

  fp_flag_server_set_delay (f->server, 0.1, 0.1);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_widget_set_margin_start (panel, 12);
  gtk_widget_set_margin_end (panel, 12);
  gtk_widget_set_margin_top (panel, 12);
  gtk_widget_set_margin_bottom (panel, 12);
  gtk_window_set_child (GTK_WINDOW (window), panel);
  g_signal_connect (panel, "start-requested", G_CALLBACK (start_requested_cb), f);
  gtk_window_present (GTK_WINDOW (window));
  fp_gui_test_settle (window);
  g_assert_null (fp_compare_panel_dup_table (FP_COMPARE_PANEL (panel)));

  entry = fp_gui_test_find_widget (panel, is_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "20, 1, 2, 5, 10");
  button = fp_gui_test_find_widget (panel, is_button_labelled, (gpointer) "_Compare");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  g_assert_nonnull (fp_compare_panel_get_comparison (FP_COMPARE_PANEL (panel)));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Cancel");

  fp_test_iterate_until (comparison_done, panel, 120, "the comparison");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Compare");

  /* One at a time, then the thread pool at each of the five. */
  table = fp_compare_panel_dup_table (FP_COMPARE_PANEL (panel));
  g_test_message ("%s", table);
  lines = g_strsplit (table, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
  g_assert_true (g_str_has_prefix (lines[1], "sequential"));
  g_assert_true (g_str_has_prefix (lines[6], "threads"));
  g_assert_nonnull (strstr (lines[6], " 20 "));

  screenshot (window, "compare-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  screenshot (window, "compare-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  screenshot (window, "compare-360");

  /* A series that is not one: nothing starts. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "0, 500");
  g_assert_null (fp_compare_panel_dup_series (FP_COMPARE_PANEL (panel), NULL));

  fp_gui_test_destroy_window (GTK_WINDOW (window));
}

static void
test_compare_panel_cancel (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *panel = fp_compare_panel_new ();
  GtkWidget *button, *entry;
  FpComparison *comparison;

  fp_flag_server_set_delay (f->server, 0.05, 0.05);
  f->n_codes = 4;
  gtk_window_set_child (GTK_WINDOW (window), panel);
  g_signal_connect (panel, "start-requested", G_CALLBACK (start_requested_cb), f);
  gtk_window_present (GTK_WINDOW (window));
  entry = fp_gui_test_find_widget (panel, is_entry, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "1, 2, 4");
  button = fp_gui_test_find_widget (panel, is_button_labelled, (gpointer) "_Compare");
  g_signal_emit_by_name (button, "clicked");

  fp_test_iterate_until (second_run_going, panel, 60, "the second run");
  g_signal_emit_by_name (button, "clicked");
  fp_test_iterate_until (comparison_done, panel, 60, "the cancel");
  comparison = fp_compare_panel_get_comparison (FP_COMPARE_PANEL (panel));
  g_assert_cmpuint (fp_comparison_get_n_done (comparison), <, fp_comparison_get_n_runs (comparison));

  fp_gui_test_destroy_window (GTK_WINDOW (window));
}

static void
test_chart_labels_apart (void)
{
  /* At c = 1 every strategy is 1×, once; at c = 20 threads and the
   * process pool landed on the same spot: both are read, one under the
   * other; a label far from the others stays where it is. */
  FpSpeedUpLabel labels[] = {
    { 300, 40, (char *) "18×", TRUE },
    { 10, 200, (char *) "1×", TRUE },
    { 300, 45, (char *) "15×", TRUE },
    { 10, 203, (char *) "1×", TRUE },
    { 150, 120, (char *) "5×", TRUE },
    { 10, 201, (char *) "1×", TRUE },
  };

  fp_comparison_chart_place_labels (labels, G_N_ELEMENTS (labels), 12);
  /* No point with a speed-up yet (one at a time still running): nothing to place. */
  fp_comparison_chart_place_labels (NULL, 0, 12);

  /* By column, from the top. */
  g_assert_cmpfloat (labels[0].x, ==, 10);
  g_assert_true (labels[0].shown);
  g_assert_cmpfloat (labels[0].y, ==, 200);
  g_assert_false (labels[1].shown);
  g_assert_false (labels[2].shown);
  g_assert_cmpstr (labels[3].text, ==, "5×");
  g_assert_true (labels[3].shown);
  g_assert_cmpfloat (labels[3].y, ==, 120);
  g_assert_cmpstr (labels[4].text, ==, "18×");
  g_assert_cmpfloat (labels[4].y, ==, 40);
  g_assert_cmpstr (labels[5].text, ==, "15×");
  g_assert_true (labels[5].shown);
  g_assert_cmpfloat (labels[5].y, ==, 52);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD_TEST ("/compare-panel/run", test_compare_panel_run);
  ADD_TEST ("/compare-panel/cancel", test_compare_panel_cancel);
  g_test_add_func ("/compare-panel/chart-labels-apart", test_chart_labels_apart);

  return g_test_run ();
}
