/* test-settings.c — the typed settings: properties over the keys, the batch they make, the speed-up record
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-gui-test-support.h"
#include "fp-settings.h"
#include "fp-test-support.h"

typedef struct {
  GSettings *gsettings;
  FpSettings *settings;
  guint notes;
} Fixture;

static const char * const two_codes[] = { "BR", "CN", NULL };

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->gsettings = g_settings_new (APPLICATION_ID);
  fp_gui_test_reset_settings (f->gsettings);
  f->settings = fp_settings_new (f->gsettings);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->settings);
  g_assert_finalize_object (f->gsettings);
}

static void
noted_cb (FpSettings *settings,
          GParamSpec *pspec,
          Fixture    *f)
{
  f->notes++;
}

/* Each key is a property of its own type, read and written through. */
static void
test_settings_properties (Fixture       *f,
                          gconstpointer  data)
{
  int concurrency = 0;
  FpDownloadStrategy strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  FpSourceKind source = FP_SOURCE_KIND_BUILTIN;
  g_autofree char *url = NULL;
  g_autofree char *strategy_key = NULL;
  double rate = 0;

  g_object_get (f->settings, "concurrency", &concurrency, "strategy", &strategy, "source", &source, NULL);
  g_assert_cmpint (concurrency, ==, 20);
  g_assert_cmpint (strategy, ==, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpint (source, ==, FP_SOURCE_KIND_BUILTIN);

  /* A key changed underneath shows, and notifies. */
  g_signal_connect (f->settings, "notify::concurrency", G_CALLBACK (noted_cb), f);
  g_settings_set_int (f->gsettings, "concurrency", 7);
  g_object_get (f->settings, "concurrency", &concurrency, NULL);
  g_assert_cmpint (concurrency, ==, 7);
  g_assert_cmpuint (f->notes, ==, 1);

  /* A property set is the key set. */
  g_object_set (f->settings, "strategy", FP_DOWNLOAD_STRATEGY_SEQUENTIAL,
                "custom-url", "http://example.org/f", "server-error-rate", 0.25, NULL);
  strategy_key = g_settings_get_string (f->gsettings, "strategy");
  g_assert_cmpstr (strategy_key, ==, "sequential");
  url = g_settings_get_string (f->gsettings, "custom-url");
  g_assert_cmpstr (url, ==, "http://example.org/f");
  g_object_get (f->settings, "server-error-rate", &rate, NULL);
  g_assert_cmpfloat (rate, ==, 0.25);
}

static void
test_settings_batch_config (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(FpBatchConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  FpSource *source;

  g_settings_set_int (f->gsettings, "concurrency", 3);
  g_settings_set_double (f->gsettings, "timeout", 2.5);
  g_settings_set_double (f->gsettings, "server-min-delay", 0.5);
  g_settings_set_double (f->gsettings, "server-max-delay", 0.25);
  config = fp_settings_dup_batch_config (f->settings, two_codes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fp_batch_config_get_n_codes (config), ==, 2);
  g_assert_cmpint (fp_source_get_kind (fp_batch_config_get_source (config)), ==, FP_SOURCE_KIND_BUILTIN);
  g_assert_cmpuint (fp_batch_config_get_concurrency (config), ==, 3);
  g_assert_cmpint (fp_batch_config_get_strategy (config), ==, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpfloat (fp_batch_config_get_timeout (config), ==, 2.5);
  /* A maximum below the minimum is a fixed latency. */
  g_assert_cmpfloat (fp_batch_config_get_server_max_delay (config), ==, 0.5);
  g_assert_nonnull (fp_batch_config_get_destination (config));
  g_clear_object (&config);

  g_settings_set_string (f->gsettings, "source", "custom");
  g_settings_set_string (f->gsettings, "custom-url", "  ");
  config = fp_settings_dup_batch_config (f->settings, two_codes, &error);
  g_assert_null (config);
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE);
  g_assert_nonnull (strstr (error->message, "No custom URL"));
  g_clear_error (&error);

  g_settings_set_string (f->gsettings, "custom-url", "ftp://example.org/flags");
  config = fp_settings_dup_batch_config (f->settings, two_codes, &error);
  g_assert_null (config);
  g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE);
  g_clear_error (&error);

  g_settings_set_string (f->gsettings, "custom-url", "http://127.0.0.1:8001/flags/");
  g_settings_set_string (f->gsettings, "custom-extension", ".png");
  config = fp_settings_dup_batch_config (f->settings, two_codes, &error);
  g_assert_no_error (error);
  source = fp_batch_config_get_source (config);
  g_assert_cmpstr (fp_source_get_base_url (source), ==, "http://127.0.0.1:8001/flags");
  g_assert_cmpstr (fp_source_get_extension (source), ==, "png");
  g_clear_object (&config);

  g_settings_set_string (f->gsettings, "source", "remote");
  config = fp_settings_dup_batch_config (f->settings, two_codes, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fp_source_get_base_url (fp_batch_config_get_source (config)), ==, BOOK_FLAGS_URL);
}

static void
test_settings_destination (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GFile) chosen = g_file_new_for_path ("/srv/flags");
  g_autoptr(GFile) destination = fp_settings_dup_destination (f->settings);
  g_autofree char *path = g_file_get_path (destination);

  g_assert_true (g_str_has_suffix (path, "/Flags"));
  g_assert_true (fp_settings_get_destination_is_default (f->settings));

  fp_settings_set_destination (f->settings, chosen);
  g_assert_false (fp_settings_get_destination_is_default (f->settings));
  g_clear_object (&destination);
  destination = fp_settings_dup_destination (f->settings);
  g_assert_true (g_file_equal (destination, chosen));

  fp_settings_reset_destination (f->settings);
  g_assert_true (fp_settings_get_destination_is_default (f->settings));
}

static gboolean
run_ended (gpointer user_data)
{
  FpRunState state = fp_run_get_state (user_data);

  return state != FP_RUN_STATE_READY && state != FP_RUN_STATE_RUNNING;
}

static FpRun *
run_to_end (FpBatchConfig *config)
{
  FpRun *run = fp_run_new (config, NULL);

  g_assert_true (fp_run_ensure_server (run, NULL));
  fp_run_start (run);
  fp_test_iterate_until (run_ended, run, 60, "the run to end");
  g_assert_cmpint (fp_run_get_state (run), ==, FP_RUN_STATE_FINISHED);
  return run;
}

/* Only a one-at-a-time run that finished is remembered, under its work's key. */
static void
test_settings_speed_up_record (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  g_autoptr(GFile) dest = g_file_new_build_filename (dir, "flags", NULL);
  g_autoptr(FpBatchConfig) config = fp_settings_dup_batch_config (f->settings, two_codes, NULL);
  g_autoptr(FpBatchConfig) other = fp_settings_dup_batch_config (f->settings, two_codes + 1, NULL);
  g_autoptr(FpRun) threads = NULL;
  g_autoptr(FpRun) sequential = NULL;

  fp_batch_config_set_destination (config, dest);
  fp_batch_config_set_server_delay (config, 0, 0);
  g_assert_cmpfloat (fp_settings_lookup_sequential_time (f->settings, config), <, 0);

  threads = run_to_end (config);
  fp_settings_record_run (f->settings, threads);
  g_assert_cmpfloat (fp_settings_lookup_sequential_time (f->settings, config), <, 0);

  fp_batch_config_set_strategy (config, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  sequential = run_to_end (config);
  fp_settings_record_run (f->settings, sequential);
  g_assert_cmpfloat (fp_settings_lookup_sequential_time (f->settings, config), ==,
                     fp_run_get_elapsed (sequential));
  /* The same codes at any concurrency are the same work; others are not. */
  fp_batch_config_set_strategy (config, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpfloat (fp_settings_lookup_sequential_time (f->settings, config), >, 0);
  g_assert_cmpfloat (fp_settings_lookup_sequential_time (f->settings, other), <, 0);

  fp_test_remove_tree (dir);
}

static void
test_settings_window_size (Fixture       *f,
                           gconstpointer  data)
{
  int width = 0, height = 0;
  gboolean maximized = TRUE;

  fp_settings_get_window_size (f->settings, &width, &height, &maximized);
  g_assert_cmpint (width, ==, 1000);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (maximized);

  fp_settings_set_window_size (f->settings, 800, 600, FALSE);
  /* A maximized size is the screen's: the last one stays. */
  fp_settings_set_window_size (f->settings, 3000, 2000, TRUE);
  fp_settings_get_window_size (f->settings, &width, &height, &maximized);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);
  g_assert_true (maximized);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  fp_gui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/settings/properties", test_settings_properties);
  ADD ("/settings/batch-config", test_settings_batch_config);
  ADD ("/settings/destination", test_settings_destination);
  ADD ("/settings/speed-up-record", test_settings_speed_up_record);
  ADD ("/settings/window-size", test_settings_window_size);
#undef ADD

  return g_test_run ();
}
