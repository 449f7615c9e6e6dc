/* test-batch-config.c — one batch's configuration: defaults, the batch it makes, the key of its work
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-batch-config"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-test-support.h"

static const char * const some_codes[] = { "BR", "CN", "ZZ", NULL };

static void
test_config_defaults (void)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();

  g_assert_cmpuint (fp_batch_config_get_n_codes (config), ==, 0);
  g_assert_cmpint (fp_source_get_kind (fp_batch_config_get_source (config)), ==, FP_SOURCE_KIND_BUILTIN);
  g_assert_null (fp_batch_config_get_destination (config));
  g_assert_cmpuint (fp_batch_config_get_concurrency (config), ==, FP_DEFAULT_CONCURRENCY);
  g_assert_cmpint (fp_batch_config_get_strategy (config), ==, FP_DOWNLOAD_STRATEGY_THREADS);
  g_assert_cmpfloat (fp_batch_config_get_timeout (config), ==, FP_DEFAULT_TIMEOUT_S);
  g_assert_cmpfloat (fp_batch_config_get_server_min_delay (config), ==, 0.0);
  g_assert_cmpfloat (fp_batch_config_get_server_error_rate (config), ==, 0.0);
}

static void
test_config_clamps (void)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();

  fp_batch_config_set_concurrency (config, 0);
  g_assert_cmpuint (fp_batch_config_get_concurrency (config), ==, 1);
  fp_batch_config_set_concurrency (config, 1000);
  g_assert_cmpuint (fp_batch_config_get_concurrency (config), ==, FP_MAX_CONCURRENCY);

  /* A maximum below the minimum is a fixed latency, as Preferences allows. */
  fp_batch_config_set_server_delay (config, 0.5, 0.2);
  g_assert_cmpfloat (fp_batch_config_get_server_min_delay (config), ==, 0.5);
  g_assert_cmpfloat (fp_batch_config_get_server_max_delay (config), ==, 0.5);
  fp_batch_config_set_server_error_rate (config, 3.0);
  g_assert_cmpfloat (fp_batch_config_get_server_error_rate (config), ==, 1.0);
}

/* The batch is made in this one place, with every option carried over. */
static void
test_config_new_batch (void)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FpSource) source = fp_source_new_url ("http://127.0.0.1:9/flags/", "gif", &error);
  g_autoptr(GFile) destination = g_file_new_for_path ("/nonexistent/flags");
  g_autoptr(FpDownloadBatch) batch = NULL;
  const char * const *codes;

  g_assert_no_error (error);
  fp_batch_config_set_codes (config, some_codes);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, destination);
  fp_batch_config_set_concurrency (config, 7);
  fp_batch_config_set_strategy (config, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  fp_batch_config_set_timeout (config, 2.5);

  batch = fp_batch_config_new_batch (config, NULL);
  codes = fp_download_batch_get_codes (batch);
  g_assert_cmpuint (g_strv_length ((char **) codes), ==, 3);
  g_assert_cmpstr (codes[0], ==, "BR");
  g_assert_cmpstr (codes[2], ==, "ZZ");
  g_assert_cmpstr (fp_download_batch_get_base_url (batch), ==, "http://127.0.0.1:9/flags");
  g_assert_true (g_file_equal (fp_download_batch_get_destination (batch), destination));
  g_assert_cmpuint (fp_download_batch_get_concurrency (batch), ==, 7);
  g_assert_cmpint (fp_download_batch_get_strategy (batch), ==, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  g_assert_cmpfloat (fp_download_batch_get_timeout (batch), ==, 2.5);
  g_assert_cmpuint (fp_download_batch_get_workers (batch), ==, 1);
}

/* The built-in source takes its address from the server that runs it. */
static void
test_config_builtin_server (void)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autoptr(FpFlagServer) server = fp_flag_server_new (NULL);
  g_autoptr(GFile) destination = g_file_new_for_path ("/nonexistent/flags");
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GError) error = NULL;

  fp_batch_config_set_codes (config, some_codes);
  fp_batch_config_set_destination (config, destination);
  fp_batch_config_set_server_delay (config, 0.25, 0.75);
  fp_batch_config_set_server_error_rate (config, 0.5);
  g_assert_null (fp_batch_config_resolve_base_url (config, NULL));

  g_assert_true (fp_flag_server_start (server, 0, &error));
  g_assert_no_error (error);
  fp_batch_config_apply_to_server (config, server);
  batch = fp_batch_config_new_batch (config, server);
  g_assert_cmpstr (fp_download_batch_get_base_url (batch), ==, fp_flag_server_get_base_url (server));
  fp_flag_server_stop (server);
}

/* "The same work": same codes from the same source, whatever the strategy. */
static void
test_config_work_key (void)
{
  g_autoptr(FpBatchConfig) a = fp_batch_config_new ();
  g_autoptr(FpBatchConfig) b = fp_batch_config_new ();
  g_autofree char *source_key = NULL;
  g_autofree char *key_a = NULL;
  g_autofree char *key_b = NULL;
  g_autofree char *key_c = NULL;
  g_autofree char *key_d = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(FpSource) remote = fp_source_new_remote (NULL);

  fp_batch_config_set_codes (a, some_codes);
  fp_batch_config_set_codes (b, some_codes);
  fp_batch_config_set_server_delay (a, 0.5, 1.5);
  fp_batch_config_set_server_delay (b, 0.5, 1.5);
  fp_batch_config_set_strategy (b, FP_DOWNLOAD_STRATEGY_SEQUENTIAL);
  fp_batch_config_set_concurrency (b, 3);

  /* The format of the record kept in the settings, which must survive. */
  source_key = fp_batch_config_dup_source_key (a);
  g_assert_cmpstr (source_key, ==, "builtin 0.500 1.500 0.000");
  expected = g_compute_checksum_for_string (G_CHECKSUM_SHA1, "builtin 0.500 1.500 0.000\nBR CN ZZ", -1);
  key_a = fp_batch_config_dup_work_key (a);
  key_b = fp_batch_config_dup_work_key (b);
  g_assert_cmpstr (key_a, ==, expected);
  g_assert_cmpstr (key_a, ==, key_b);

  /* Another latency is other work… */
  fp_batch_config_set_server_delay (b, 0.0, 0.0);
  key_c = fp_batch_config_dup_work_key (b);
  g_assert_cmpstr (key_a, !=, key_c);
  /* …and so is another source. */
  fp_batch_config_set_source (b, remote);
  key_d = fp_batch_config_dup_work_key (b);
  g_assert_cmpstr (key_d, !=, key_c);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/batch-config/defaults", test_config_defaults);
  g_test_add_func ("/batch-config/clamps", test_config_clamps);
  g_test_add_func ("/batch-config/new-batch", test_config_new_batch);
  g_test_add_func ("/batch-config/builtin-server", test_config_builtin_server);
  g_test_add_func ("/batch-config/work-key", test_config_work_key);

  return g_test_run ();
}
