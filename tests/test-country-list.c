/* test-country-list.c — the window's country model: presets, search, selected-only, a run's statuses
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-country-list"

#include "config.h"

#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-country-list.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"

#define WAIT_S 60

typedef struct {
  FpCountryList *list;
  guint n_selected_notes;
  guint preset_notes;
} Fixture;

static void
n_selected_cb (FpCountryList *list,
               GParamSpec    *pspec,
               Fixture       *f)
{
  f->n_selected_notes++;
}

static void
preset_cb (FpCountryList *list,
           GParamSpec    *pspec,
           Fixture       *f)
{
  f->preset_notes++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->list = fp_country_list_new ();
  g_signal_connect (f->list, "notify::n-selected", G_CALLBACK (n_selected_cb), f);
  g_signal_connect (f->list, "notify::preset", G_CALLBACK (preset_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->list);
}

static guint
n_visible (Fixture *f)
{
  return g_list_model_get_n_items (fp_country_list_get_visible (f->list));
}

static gboolean
visible_has (Fixture    *f,
             const char *code)
{
  GListModel *visible = fp_country_list_get_visible (f->list);

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (visible, i);

      if (g_str_equal (fp_country_item_get_code (item), code))
        return TRUE;
    }
  return FALSE;
}

static void
test_list_starts_empty (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(GStrv) codes = fp_country_list_dup_selected_codes (f->list);

  /* Every code AA–ZZ is a row; the 249 countries show. */
  g_assert_cmpuint (g_list_model_get_n_items (fp_country_list_get_items (f->list)), ==, 676);
  g_assert_cmpuint (n_visible (f), ==, 249);
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 0);
  g_assert_cmpstr (fp_country_list_get_preset (f->list), ==, "none");
  g_assert_false (fp_country_list_get_selected_only (f->list));
  g_assert_cmpstr (fp_country_list_get_search_text (f->list), ==, "");
  g_assert_cmpuint (g_strv_length (codes), ==, 0);
  g_assert_nonnull (fp_country_list_lookup (f->list, "ZZ"));
  g_assert_null (fp_country_list_lookup (f->list, "BRA"));
}

static void
test_list_presets (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(GStrv) top20 = fp_country_catalog_dup_top20_codes (fp_country_catalog_get_default ());
  g_auto(GStrv) codes = NULL;

  g_assert_true (fp_country_list_select_preset (f->list, "top20"));
  /* A preset of hundreds of rows tells its count once. */
  g_assert_cmpuint (f->n_selected_notes, ==, 1);
  g_assert_cmpuint (f->preset_notes, ==, 1);
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 20);
  codes = fp_country_list_dup_selected_codes (f->list);
  g_assert_cmpuint (g_strv_length (codes), ==, 20);
  for (guint i = 1; codes[i] != NULL; i++)
    g_assert_cmpint (g_strcmp0 (codes[i - 1], codes[i]), <, 0);
  for (guint i = 0; top20[i] != NULL; i++)
    g_assert_true (g_strv_contains ((const char * const *) codes, top20[i]));

  g_assert_true (fp_country_list_select_preset (f->list, "every"));
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 676);
  g_assert_cmpuint (n_visible (f), ==, 676);

  g_assert_true (fp_country_list_select_preset (f->list, "all"));
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 249);
  g_assert_cmpuint (n_visible (f), ==, 249);

  g_assert_false (fp_country_list_select_preset (f->list, "most"));
  g_assert_false (fp_country_list_select_preset (f->list, NULL));
  g_assert_cmpstr (fp_country_list_get_preset (f->list), ==, "all");

  /* A change by hand makes the selection "custom". */
  fp_country_item_set_selected (fp_country_list_lookup (f->list, "BR"), FALSE);
  g_assert_cmpstr (fp_country_list_get_preset (f->list), ==, "custom");
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 248);

  g_assert_true (fp_country_list_select_preset (f->list, "none"));
  g_assert_cmpuint (fp_country_list_get_n_selected (f->list), ==, 0);
}

static void
test_list_filters (Fixture       *f,
                   gconstpointer  data)
{
  fp_country_list_select_preset (f->list, "top20");
  fp_country_list_set_selected_only (f->list, TRUE);
  g_assert_cmpuint (n_visible (f), ==, 20);

  /* A search looks through every country, selected or not. */
  fp_country_list_set_search_text (f->list, "  germ ");
  g_assert_true (visible_has (f, "DE"));
  fp_country_list_set_search_text (f->list, "cote");
  g_assert_true (visible_has (f, "CI"));
  fp_country_list_set_search_text (f->list, "zz");
  g_assert_cmpuint (n_visible (f), ==, 0);
  fp_country_list_set_search_text (f->list, "");
  g_assert_cmpuint (n_visible (f), ==, 20);

  /* Unselected, a row goes from "selected only"… */
  fp_country_item_set_selected (fp_country_list_lookup (f->list, "BR"), FALSE);
  g_assert_cmpuint (n_visible (f), ==, 19);
  g_assert_false (visible_has (f, "BR"));

  /* …and a code no country has shows while it is selected. */
  fp_country_list_set_selected_only (f->list, FALSE);
  g_assert_false (visible_has (f, "ZZ"));
  fp_country_item_set_selected (fp_country_list_lookup (f->list, "ZZ"), TRUE);
  g_assert_true (visible_has (f, "ZZ"));
  fp_country_item_set_selected (fp_country_list_lookup (f->list, "ZZ"), FALSE);
  g_assert_false (visible_has (f, "ZZ"));
}

static gboolean
run_ended (gpointer user_data)
{
  FpRunState state = fp_run_get_state (user_data);

  return state != FP_RUN_STATE_READY && state != FP_RUN_STATE_RUNNING;
}

static FpRun *
make_run (FpCountryList *list,
          const char    *base_url,
          GFile         *dest)
{
  g_auto(GStrv) codes = fp_country_list_dup_selected_codes (list);
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autoptr(FpSource) source = fp_source_new_url (base_url, "png", NULL);

  fp_batch_config_set_codes (config, (const char * const *) codes);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, dest);
  return fp_run_new (config, NULL);
}

/* The rows tell a run as it goes: queued, then how each ended; the others nothing. */
static void
test_list_follows_run (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *dir = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_build_filename (dir, "flags", NULL);
  g_autofree char *ok_url = fp_test_server_dup_base_url (server, "bycode");
  g_autofree char *stall_url = fp_test_server_dup_base_url (server, "stall");
  g_autoptr(FpRun) run = NULL;
  g_autoptr(FpRun) cancelled = NULL;
  FpCountryItem *br = fp_country_list_lookup (f->list, "BR");
  FpCountryItem *zz = fp_country_list_lookup (f->list, "ZZ");
  FpCountryItem *de = fp_country_list_lookup (f->list, "DE");

  fp_test_server_set_code_fault (server, "ZZ", "404");
  fp_country_item_set_selected (br, TRUE);
  fp_country_item_set_selected (zz, TRUE);
  run = make_run (f->list, ok_url, dest);
  fp_country_list_follow_run (f->list, run);

  g_assert_true (fp_country_list_get_selected_only (f->list));
  g_assert_cmpuint (n_visible (f), ==, 2);
  g_assert_cmpint (fp_country_item_get_status (br), ==, FP_DOWNLOAD_STATUS_QUEUED);
  g_assert_false (fp_country_item_get_has_status (de));

  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, WAIT_S, "the run to end");
  g_assert_cmpint (fp_country_item_get_status (br), ==, FP_DOWNLOAD_STATUS_OK);
  g_assert_cmpint (fp_country_item_get_status (zz), ==, FP_DOWNLOAD_STATUS_NOT_FOUND);

  /* The next batch forgets the last one's rows; a cancel marks what never ended. */
  fp_country_item_set_selected (zz, FALSE);
  fp_country_item_set_selected (de, TRUE);
  cancelled = make_run (f->list, stall_url, dest);
  fp_country_list_follow_run (f->list, cancelled);
  g_assert_false (fp_country_item_get_has_status (zz));
  g_assert_false (visible_has (f, "ZZ"));
  fp_run_start (cancelled);
  fp_run_cancel (cancelled);
  fp_test_iterate_until (run_ended, cancelled, WAIT_S, "the cancelled run to end");
  g_assert_cmpint (fp_country_item_get_status (br), ==, FP_DOWNLOAD_STATUS_CANCELLED);
  g_assert_cmpint (fp_country_item_get_status (de), ==, FP_DOWNLOAD_STATUS_CANCELLED);

  fp_test_remove_tree (dir);
}

/* A run that could not run leaves no row with a status. */
static void
test_list_failed_run (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  g_autofree char *file = g_build_filename (dir, "a-file", NULL);
  g_autoptr(GFile) dest = g_file_new_build_filename (file, "flags", NULL);
  g_autoptr(FpRun) run = NULL;

  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  fp_country_list_select_preset (f->list, "top20");
  run = make_run (f->list, "http://127.0.0.1:9/flags", dest);
  fp_country_list_follow_run (f->list, run);
  g_assert_true (fp_country_item_get_has_status (fp_country_list_lookup (f->list, "BR")));
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, WAIT_S, "the run to fail");

  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FAILED);
  for (guint i = 0; i < 676; i++)
    {
      g_autoptr(FpCountryItem) item = g_list_model_get_item (fp_country_list_get_items (f->list), i);
      g_assert_false (fp_country_item_get_has_status (item));
    }
  fp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/country-list/starts-empty", test_list_starts_empty);
  ADD ("/country-list/presets", test_list_presets);
  ADD ("/country-list/filters", test_list_filters);
  ADD ("/country-list/follows-run", test_list_follows_run);
  ADD ("/country-list/failed-run", test_list_failed_run);
#undef ADD

  return g_test_run ();
}
