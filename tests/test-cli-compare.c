/* test-cli-compare.c — "flagpole-cli compare" and "--trace FILE", run as a subprocess
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-compare"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "flagpole-engine.h"
#include "fp-cli.h"
#include "fp-test-support.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliOutput;

static void
cli_output_free (CliOutput *output)
{
  g_free (output->out);
  g_free (output->err);
  g_free (output);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliOutput, cli_output_free)

static CliOutput *
run_cli (const char         *dir,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliOutput *output = g_new0 (CliOutput, 1);

  g_assert_nonnull (g_getenv ("FLAGPOLE_CLI"));
  g_subprocess_launcher_set_cwd (launcher, dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_ptr_array_add (argv, (gpointer) g_getenv ("FLAGPOLE_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output->out, &output->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  output->status = g_subprocess_get_exit_status (process);
  g_test_message ("status %d\nstdout:\n%s\nstderr:\n%s", output->status, output->out, output->err);
  return output;
}

static void
test_compare_json (void)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  const char *args[] = { "compare", "-m", "4,1,2", "--strategy", "sequential,threads",
                         "--delay", "0.05", "--json", "-d", "flags", "BR", "CN", "IN", "US", NULL };
  g_autoptr(CliOutput) output = run_cli (dir, args);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const guint expected_c[] = { 1, 1, 2, 4 };
  JsonArray *runs;

  g_assert_cmpint (output->status, ==, FP_CLI_EXIT_OK);
  root = json_from_string (output->out, &error);
  g_assert_no_error (error);
  runs = json_object_get_array_member (json_node_get_object (root), "runs");
  g_assert_cmpuint (json_array_get_length (runs), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      double ideal = ceil (4.0 / expected_c[i]) * 0.05;

      g_assert_cmpstr (json_object_get_string_member (run, "strategy"), ==, i == 0 ? "sequential" : "threads");
      g_assert_cmpint (json_object_get_int_member (run, "concurrency"), ==, expected_c[i]);
      g_assert_cmpint (json_object_get_int_member (run, "ok"), ==, 4);
      g_assert_cmpint (json_object_get_int_member (run, "not_found"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (run, "error"), ==, 0);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (run, "ideal_s"), ideal, 1e-6);
      /* Every wave waits the delay: never below the ideal. */
      g_assert_cmpfloat (json_object_get_double_member (run, "elapsed_s"), >=, ideal - 1e-4);
    }
  /* One line per run on stderr as it ends. */
  g_assert_nonnull (strstr (output->err, "threads at 4:"));
}

static void
test_compare_table (void)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  const char *args[] = { "compare", "-m", "2", "--strategy", "threads", "-d", "flags", "BR", "QZ", NULL };
  g_autoptr(CliOutput) output = run_cli (dir, args);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (output->status, ==, FP_CLI_EXIT_OK);
  lines = g_strsplit (output->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "strategy"));
  g_assert_true (g_str_has_prefix (lines[1], "threads"));
  /* No latency: no ideal to give. */
  g_assert_nonnull (strstr (lines[1], "–"));
  fp_test_remove_tree (dir);
}

static void
test_compare_usage (void)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  const char *bad[][6] = {
    { "compare", "-m", "0", NULL },
    { "compare", "-m", "1,abc", NULL },
    { "compare", "--strategy", "fibers", NULL },
    { "compare", "--trace", "x.json", NULL },
    { "compare", "-m", "2", "--delay", "-1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(CliOutput) output = run_cli (dir, bad[i]);

      g_assert_cmpint (output->status, ==, FP_CLI_EXIT_USAGE);
      g_assert_true (g_str_has_prefix (output->err, "*** Usage error: "));
      g_assert_cmpstr (output->out, ==, "");
    }

  /* Its help is its own: no pointers to "compare serve". */
  {
    const char *help[] = { "compare", "--help", NULL };
    g_autoptr(CliOutput) output = run_cli (dir, help);

    g_assert_cmpint (output->status, ==, 0);
    g_assert_nonnull (strstr (output->out, "one at a time"));
    g_assert_nonnull (strstr (output->out, "Exit status: 0 when the comparison ran"));
    g_assert_null (strstr (output->out, "compare serve"));
    g_assert_null (strstr (output->out, "compare compare"));
  }
  fp_test_remove_tree (dir);
}

static void
test_trace_option (void)
{
  g_autofree char *dir = fp_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  const char *args[] = { "-m", "3", "--delay", "0.02", "--trace", "run.json", "-d", "flags",
                         "BR", "CN", "IN", "US", "QZ", NULL };
  g_autoptr(CliOutput) output = run_cli (dir, args);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  JsonArray *events;

  g_assert_cmpint (output->status, ==, FP_CLI_EXIT_OK);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_str_equal (json_object_get_string_member (event, "ph"), "X") &&
          g_str_equal (json_object_get_string_member (event, "cat"), "download"))
        {
          g_hash_table_add (codes, (gpointer) json_object_get_string_member (event, "name"));
          g_assert_cmpint (json_object_get_int_member (event, "tid"), >=, 1);
          g_assert_cmpint (json_object_get_int_member (event, "tid"), <=, 3);
        }
    }
  g_assert_cmpuint (g_hash_table_size (codes), ==, 5);
  g_assert_true (g_hash_table_contains (codes, "QZ"));

  /* A trace that cannot be written: the batch ran, the error is said. */
  {
    const char *unwritable[] = { "--trace", "no/such/folder/run.json", "-d", "flags", "BR", NULL };
    g_autoptr(CliOutput) failed = run_cli (dir, unwritable);

    g_assert_cmpint (failed->status, ==, FP_CLI_EXIT_FAILED);
    g_assert_nonnull (strstr (failed->err, "cannot write the trace"));
  }
  fp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  fp_test_keep_requests_local ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli-compare/json", test_compare_json);
  g_test_add_func ("/cli-compare/table", test_compare_table);
  g_test_add_func ("/cli-compare/usage", test_compare_usage);
  g_test_add_func ("/cli-compare/trace", test_trace_option);

  return g_test_run ();
}
