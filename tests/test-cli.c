/* test-cli.c — flagpole-cli's exit statuses, reports, JSON and serve, run as a subprocess
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include "flagpole-engine.h"
#include "fp-cli.h"
#include "fp-test-support.h"

typedef struct
{
  char *dir;   /* the subprocess's working folder */
  char *dest;  /* the destination handed to -d */
} Fixture;

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

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = fp_test_make_temp_dir ();
  fixture->dest = g_build_filename (fixture->dir, "flags", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  fp_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->dest);
}

static const char *
cli_path (void)
{
  const char *path = g_getenv ("FLAGPOLE_CLI");

  g_assert_nonnull (path);
  return path;
}

static GSubprocessLauncher *
make_launcher (Fixture        *fixture,
               GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  /* Nothing may land in the build tree, even with the default ./downloaded. */
  g_subprocess_launcher_set_cwd (launcher, fixture->dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  return launcher;
}

static GPtrArray *
make_argv (const char * const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs flagpole-cli ARGS… and waits for it. */
static CliOutput *
run_cli (Fixture            *fixture,
         const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = make_argv (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  CliOutput *output = g_new0 (CliOutput, 1);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &output->out, &output->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  output->status = g_subprocess_get_exit_status (process);

  if (g_test_verbose ())
    g_test_message ("status %d\nstdout:\n%s\nstderr:\n%s", output->status, output->out, output->err);
  return output;
}

static JsonObject *
parse_report (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  JsonNode *root;

  /* One object and nothing else on stdout. */
  g_assert_true (g_str_has_prefix (trimmed, "{"));
  g_assert_true (g_str_has_suffix (trimmed, "}"));
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static guint
count_files (const char *dir,
             const char *suffix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (suffix == NULL || g_str_has_suffix (name, suffix))
      n++;
  return n;
}

static guint
count_hidden_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (name[0] == '.')
      n++;
  return n;
}

static guint
count_all_codes_with_prefix (const char *prefix)
{
  g_auto(GStrv) codes = fp_country_catalog_dup_all_codes (fp_country_catalog_get_default ());
  guint n = 0;

  for (guint i = 0; codes[i] != NULL; i++)
    if (g_str_has_prefix (codes[i], prefix))
      n++;
  return n;
}

static gboolean
has_line (const char *text,
          const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strv_contains ((const char * const *) lines, line);
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *cases[][6] = {
    { "XYZ" },
    { "1" },
    { "B7" },
    { "-m", "0" },
    { "-m", "101" },
    { "-m", "-5" },
    { "-m", "many" },
    { "-l", "0" },
    { "-l", "-1" },
    { "-l", "3x" },
    { "--strategy", "fast" },
    { "--strategy", "" },
    { "--order", "random" },
    { "--order", "completed", "--strategy", "thread" },
    { "-s", "ftp://example.org/flags" },
    { "-s", "somewhere" },
    { "-s", "http://127.0.0.1:9/flags", "--delay", "1" },
    { "--delay", "-1" },
    { "--delay", "2:1" },
    { "--delay", "soon" },
    { "--delay", "1:2:3" },
    { "--error-rate", "1.5" },
    { "--error-rate", "-0.1" },
    { "--error-rate", "some" },
    { "--timeout", "0" },
    { "--timeout", "never" },
    { "--ext", "../png" },
    { "--no-such-option" },
    { "serve", "--port", "70000" },
    { "serve", "--delay", "x" },
    { "serve", "--error-rate", "2" },
    { "serve", "extra" },
    { "-d", "" },
    { "serve", "--idle-timeout", "0" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *joined = g_strjoinv (" ", (char **) cases[i]);
      g_autoptr(CliOutput) output = NULL;

      g_test_message ("flagpole-cli %s", joined);
      output = run_cli (fixture, cases[i]);
      g_assert_cmpint (output->status, ==, 2);
      g_assert_true (g_str_has_prefix (output->err, "*** Usage error: "));
      g_assert_cmpstr (output->out, ==, "");
    }

  /* A usage error downloads nothing and creates no folder. */
  g_assert_false (g_file_test (fixture->dest, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (fixture->dir, NULL), ==, 0);
}

static void
test_top20_report (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);
  g_autoptr(GRegex) elapsed = g_regex_new ("^Elapsed time: [0-9]+\\.[0-9]{2}s$", G_REGEX_MULTILINE, 0, NULL);
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (output->status, ==, 0);
  lines = g_strsplit (output->out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 7);
  g_assert_true (g_str_has_prefix (lines[0], "builtin site: http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (lines[0], "/flags"));
  g_assert_cmpstr (lines[1], ==, "Searching for 20 flags: from BD to VN");
  g_assert_cmpstr (lines[2], ==, "20 concurrent connections will be used.");
  g_assert_cmpstr (lines[3], ==, "--------------------");
  g_assert_cmpstr (lines[4], ==, " 20 flags downloaded.");
  g_assert_true (g_regex_match (elapsed, lines[5], 0, NULL));
  g_assert_cmpstr (lines[6], ==, "");

  /* Not a terminal: no progress bar, so nothing redrawn with \r. */
  g_assert_null (strchr (output->err, '\r'));
  g_assert_cmpuint (count_files (fixture->dest, ".png"), ==, 20);
  g_assert_cmpuint (count_hidden_files (fixture->dest), ==, 0);
  for (guint i = 0; i < 20; i++)
    {
      g_auto(GStrv) top20 = g_strsplit (FP_TOP20_CODES, " ", -1);
      g_autofree char *lower = g_ascii_strdown (top20[i], -1);
      g_autofree char *name = g_strconcat (lower, ".png", NULL);
      g_autofree char *path = g_build_filename (fixture->dest, name, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_letter_json (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "--json", "b", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint expected_ok = count_all_codes_with_prefix ("B");
  JsonArray *results;

  g_assert_cmpint (output->status, ==, 0);
  report = parse_report (output->out);
  g_assert_cmpint (json_object_get_int_member (report, "requested"), ==, 26);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, expected_ok);
  g_assert_cmpint (json_object_get_int_member (report, "not_found"), ==, 26 - expected_ok);
  g_assert_cmpint (json_object_get_int_member (report, "error"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "concurrency"), ==, 20);
  g_assert_cmpstr (json_object_get_string_member (report, "strategy"), ==, "threads");
  /* The pool's threads were made, by its starter, in some time. */
  g_assert_cmpfloat (json_object_get_double_member (report, "startup_s"), >, 0.0);
  g_assert_cmpstr (json_object_get_string_member (report, "server"), ==, "builtin");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (report, "source"), "http://127.0.0.1:"));
  g_assert_true (json_object_has_member (report, "elapsed_s"));
  g_assert_cmpfloat (json_object_get_double_member (report, "elapsed_s"), >, 0);

  results = json_object_get_array_member (report, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 26);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *cc = json_object_get_string_member (result, "cc");
      const char *status = json_object_get_string_member (result, "status");
      gboolean iso = fp_country_catalog_lookup (fp_country_catalog_get_default (), cc) != NULL
                     && fp_country_get_is_iso (fp_country_catalog_lookup (fp_country_catalog_get_default (), cc));

      g_assert_true (g_str_has_prefix (cc, "B"));
      g_assert_true (g_hash_table_add (seen, g_strdup (cc)));
      g_assert_true (json_object_has_member (result, "message"));
      if (iso)
        {
          const char *path = json_object_get_string_member (result, "path");
          g_autofree char *lower = g_ascii_strdown (cc, -1);
          g_autofree char *base = g_path_get_basename (path);
          g_autofree char *expected = g_strconcat (lower, ".png", NULL);

          g_assert_cmpstr (status, ==, "ok");
          g_assert_cmpstr (base, ==, expected);
          g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
          g_assert_false (json_object_has_member (result, "error_code"));
          g_assert_false (json_object_has_member (result, "http_status"));
        }
      else
        {
          g_assert_cmpstr (status, ==, "not_found");
          g_assert_true (json_object_get_null_member (result, "path"));
          g_assert_cmpstr (json_object_get_string_member (result, "error_code"), ==, "not_found");
          g_assert_cmpint (json_object_get_int_member (result, "http_status"), ==, 404);
        }
    }
  g_assert_cmpuint (count_files (fixture->dest, NULL), ==, expected_ok);
}

static void
test_limit_verbose (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "-a", "-l", "5", "-v", NULL };
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI" };
  g_autoptr(CliOutput) output = run_cli (fixture, args);

  g_assert_cmpint (output->status, ==, 0);
  g_assert_true (has_line (output->out, "Searching for 5 flags: AD, AE, AF, AG, AI"));
  g_assert_true (has_line (output->out, "5 concurrent connections will be used."));
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s ok", codes[i]);
      g_assert_true (has_line (output->out, line));
    }
  g_assert_true (has_line (output->out, "  5 flags downloaded."));
  g_assert_cmpuint (count_files (fixture->dest, ".png"), ==, 5);
}

static void
test_every (Fixture       *fixture,
            gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "-e", "-m", "100", "--json", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);
  g_autoptr(JsonObject) report = NULL;
  JsonArray *results;
  guint n_iso = fp_country_catalog_get_n_countries (fp_country_catalog_get_default ());

  g_assert_cmpint (output->status, ==, 0);
  report = parse_report (output->out);
  g_assert_cmpint (json_object_get_int_member (report, "requested"), ==, 676);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, n_iso);
  g_assert_cmpint (json_object_get_int_member (report, "not_found"), ==, 676 - n_iso);
  g_assert_cmpint (json_object_get_int_member (report, "error"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "concurrency"), ==, 100);
  results = json_object_get_array_member (report, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 676);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *cc = json_object_get_string_member (result, "cc");
      FpCountry *country = fp_country_catalog_lookup (fp_country_catalog_get_default (), cc);
      gboolean iso = country != NULL && fp_country_get_is_iso (country);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, iso ? "ok" : "not_found");
    }
  g_assert_cmpuint (count_files (fixture->dest, ".png"), ==, n_iso);
}

static void
test_all_concurrency (Fixture       *fixture,
                      gconstpointer  data)
{
  /* The server answers nobody until 100 requests are in: -m 100 must put
   * all of them in flight at once, on a loaded machine too (a client that
   * sends fewer finds the gate shut until its deadline). */
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "ok");
  const char *args[] = { "-d", fixture->dest, "-s", base_url, "--ext", "png", "--timeout", "120",
                         "-a", "-m", "100", "--json", NULL };
  g_autoptr(CliOutput) output = NULL;
  g_autoptr(JsonObject) report = NULL;

  fp_test_server_hold_answers_until (server, 100);
  output = run_cli (fixture, args);
  g_assert_cmpint (output->status, ==, 0);
  report = parse_report (output->out);
  g_assert_cmpint (json_object_get_int_member (report, "requested"), ==, 249);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 249);
  g_assert_cmpint (json_object_get_int_member (report, "concurrency"), ==, 100);
  g_assert_false (fp_test_server_get_gate_timed_out (server));
  g_assert_cmpuint (fp_test_server_get_request_count (server), ==, 249);
  g_assert_cmpuint (fp_test_server_get_peak_in_flight (server), ==, 100);
  g_assert_cmpuint (count_files (fixture->dest, ".png"), ==, 249);
}

static void
test_sequential (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *text_args[] = { "-d", fixture->dest, "--delay", "0.05", "--strategy", "sequential",
                              "CN", "BR", "IN", NULL };
  const char *json_args[] = { "-d", fixture->dest, "--delay", "0.05", "--strategy", "sequential",
                              "--json", "CN", "BR", "IN", NULL };
  g_autoptr(CliOutput) text = run_cli (fixture, text_args);
  g_autoptr(CliOutput) json = NULL;
  g_autoptr(JsonObject) report = NULL;

  g_assert_cmpint (text->status, ==, 0);
  g_assert_true (has_line (text->out, "Searching for 3 flags: BR, CN, IN"));
  g_assert_true (has_line (text->out, "1 connection will be used."));
  g_assert_true (has_line (text->out, "  3 flags downloaded."));

  json = run_cli (fixture, json_args);
  g_assert_cmpint (json->status, ==, 0);
  report = parse_report (json->out);
  g_assert_cmpstr (json_object_get_string_member (report, "strategy"), ==, "sequential");
  g_assert_cmpint (json_object_get_int_member (report, "concurrency"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (report, "builtin_server"),
                                               "peak_in_flight"), ==, 1);
}

static void
test_strategies (Fixture       *fixture,
                 gconstpointer  data)
{
  /* The event loop and the process pool from the command line: exactly
   * -m in flight (the gate opens only then), every flag, and the JSON
   * says which strategy ran and, for the pool, what starting it cost. */
  const char * const strategies[] = { "async", "processes" };

  for (guint i = 0; i < G_N_ELEMENTS (strategies); i++)
    {
      g_autoptr(FpTestServer) server = fp_test_server_new ();
      g_autofree char *base_url = fp_test_server_dup_base_url (server, "ok");
      g_autofree char *dest = g_build_filename (fixture->dir, strategies[i], NULL);
      const char *args[] = { "-d", dest, "-s", base_url, "--ext", "png", "--timeout", "120",
                             "-a", "-l", "90", "-m", "30", "--strategy", strategies[i], "--json", NULL };
      const char *text_args[] = { "-d", dest, "-s", base_url, "--ext", "png",
                                  "--strategy", strategies[i], "BR", "CN", NULL };
      g_autoptr(CliOutput) output = NULL;
      g_autoptr(CliOutput) text = NULL;
      g_autoptr(JsonObject) report = NULL;

      fp_test_server_hold_answers_until (server, 30);
      output = run_cli (fixture, args);
      g_assert_cmpint (output->status, ==, 0);
      report = parse_report (output->out);
      g_assert_cmpstr (json_object_get_string_member (report, "strategy"), ==, strategies[i]);
      g_assert_cmpstr (json_object_get_string_member (report, "order"), ==, "completed");
      g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 90);
      g_assert_cmpint (json_object_get_int_member (report, "concurrency"), ==, 30);
      g_assert_false (fp_test_server_get_gate_timed_out (server));
      g_assert_cmpuint (fp_test_server_get_peak_in_flight (server), ==, 30);
      g_assert_cmpuint (count_files (dest, ".png"), ==, 90);
      /* Each strategy's workers took some time to make: reported, not 0. */
      g_assert_cmpfloat (json_object_get_double_member (report, "startup_s"), >, 0.0);

      text = run_cli (fixture, text_args);
      g_assert_cmpint (text->status, ==, 0);
      g_assert_true (has_line (text->out, "  2 flags downloaded."));
      g_assert_true (g_str_equal (strategies[i], "processes") ==
                     (strstr (text->out, "Worker processes started in ") != NULL));
    }
}

static void
test_order_submitted (Fixture       *fixture,
                      gconstpointer  data)
{
  /* Random latencies, the first code the slowest: in submission order
   * the JSON results and the -v lines come in code order all the same. */
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "bycode");
  const char *codes[] = { "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AR", "AT", "AU", "AW", NULL };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(CliOutput) output = NULL;
  g_autoptr(JsonObject) report = NULL;
  JsonArray *results;

  for (guint i = 0; codes[i] != NULL; i++)
    {
      g_autofree char *fault = g_strdup_printf ("delay-%d", i == 0 ? 300 : g_test_rand_int_range (0, 150));
      fp_test_server_set_code_fault (server, codes[i], fault);
    }
  for (const char * const *arg = (const char * const []) { "-d", fixture->dest, "-s", base_url, "--ext", "png",
                                                           "-m", "6", "--order", "submitted", "--json", NULL };
       *arg != NULL; arg++)
    g_ptr_array_add (args, (gpointer) *arg);
  for (guint i = 0; codes[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) codes[i]);
  g_ptr_array_add (args, NULL);

  output = run_cli (fixture, (const char * const *) args->pdata);
  g_assert_cmpint (output->status, ==, 0);
  report = parse_report (output->out);
  g_assert_cmpstr (json_object_get_string_member (report, "order"), ==, "submitted");
  results = json_object_get_array_member (report, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, G_N_ELEMENTS (codes) - 1);
  for (guint i = 0; codes[i] != NULL; i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, i), "cc"), ==, codes[i]);
}

static void
test_error_rate (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "--error-rate", "1", "-v",
                         "US", "FR", "DE", "ZZ", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);
  g_auto(GStrv) lines = NULL;
  guint error_lines = 0;

  /* Failed codes do not make the batch fail. */
  g_assert_cmpint (output->status, ==, 0);
  g_assert_true (has_line (output->out, "  0 flags downloaded."));
  g_assert_true (has_line (output->out, "  4 errors."));
  g_assert_false (g_strstr_len (output->out, -1, "not found.") != NULL);
  lines = g_strsplit (output->out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match_simple ("^(DE|FR|US|ZZ) error: .*418", lines[i], 0, 0))
      error_lines++;
  g_assert_cmpuint (error_lines, ==, 4);
  g_assert_cmpuint (count_files (fixture->dest, NULL), ==, 0);
}

/* Each failed code says why as a code a program can test, not only in words. */
static void
test_json_error_codes (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *teapot_args[] = { "-d", fixture->dest, "--delay", "0", "--error-rate", "1", "--json",
                                "US", "FR", NULL };
  g_autofree char *refused_url = g_strdup_printf ("http://127.0.0.1:%u/flags", fp_test_get_closed_port ());
  const char *refused_args[] = { "-d", fixture->dest, "-s", refused_url, "--json", "BR", NULL };
  g_autoptr(CliOutput) teapot = run_cli (fixture, teapot_args);
  g_autoptr(CliOutput) refused = run_cli (fixture, refused_args);
  g_autoptr(JsonObject) teapot_report = NULL;
  g_autoptr(JsonObject) refused_report = NULL;
  JsonArray *results;
  JsonObject *result;

  g_assert_cmpint (teapot->status, ==, 0);
  teapot_report = parse_report (teapot->out);
  results = json_object_get_array_member (teapot_report, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      result = json_array_get_object_element (results, i);
      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "error");
      g_assert_cmpstr (json_object_get_string_member (result, "message"), ==, "HTTP 418 I'm a Teapot");
      g_assert_cmpstr (json_object_get_string_member (result, "error_code"), ==, "http_status");
      g_assert_cmpint (json_object_get_int_member (result, "http_status"), ==, 418);
    }

  /* No answer at all: a code, and no HTTP status to give. */
  g_assert_cmpint (refused->status, ==, 0);
  refused_report = parse_report (refused->out);
  g_assert_cmpstr (json_object_get_string_member (refused_report, "server"), ==, "custom");
  results = json_object_get_array_member (refused_report, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  result = json_array_get_object_element (results, 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (result, "error_code"), ==, "refused");
  g_assert_false (json_object_has_member (result, "http_status"));
}

static void
test_one_error_singular (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "--error-rate", "1", "BR", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);

  g_assert_cmpint (output->status, ==, 0);
  g_assert_true (has_line (output->out, "Searching for 1 flag: BR"));
  g_assert_true (has_line (output->out, "1 connection will be used."));
  g_assert_true (has_line (output->out, "  1 error."));
}

static void
test_unwritable_destination (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "a-file", NULL);
  g_autofree char *dest = g_build_filename (file, "flags", NULL);
  const char *args[] = { "-d", dest, "--delay", "0", "BR", NULL };
  g_autoptr(CliOutput) output = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (file, "not a folder", -1, &error);
  g_assert_no_error (error);

  output = run_cli (fixture, args);
  g_assert_cmpint (output->status, ==, 1);
  g_assert_true (g_str_has_prefix (output->err, "*** Error: "));
  g_assert_cmpuint (strlen (output->err), >, strlen ("*** Error: \n"));
  g_assert_null (strstr (output->out, "flags downloaded."));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static void
test_json_with_verbose (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *args[] = { "-d", fixture->dest, "--delay", "0", "--json", "-v", "BR", "ZZ", NULL };
  g_autoptr(CliOutput) output = run_cli (fixture, args);
  g_autoptr(JsonObject) report = NULL;

  /* The per-code lines move to stderr so stdout stays one JSON object. */
  g_assert_cmpint (output->status, ==, 0);
  report = parse_report (output->out);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "not_found"), ==, 1);
  g_assert_true (has_line (output->err, "BR ok"));
  g_assert_true (has_line (output->err, "ZZ not found"));
}

static char *
read_line (GDataInputStream *stream)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

static void
test_interrupt (Fixture       *fixture,
                gconstpointer  data)
{
  /* Two connections and a latency: the batch is still running when the
   * first flag arrives, and Ctrl+C lands mid-batch. */
  const char *args[] = { "-d", fixture->dest, "--delay", "0.3", "-m", "2", "-a", "-v", NULL };
  g_autofree char *err_path = g_build_filename (fixture->dir, "stderr.txt", NULL);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = make_argv (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  guint ok_lines = 0;
  char *line;

  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  while ((line = read_line (stdout_stream)) != NULL)
    {
      gboolean ok = g_str_has_suffix (line, " ok");

      g_free (line);
      if (ok)
        break;
    }
  g_subprocess_send_signal (process, SIGINT);

  while ((line = read_line (stdout_stream)) != NULL)
    {
      g_string_append_printf (rest, "%s\n", line);
      if (g_str_has_suffix (line, " ok"))
        ok_lines++;
      g_free (line);
    }
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("after SIGINT:\n%s", rest->str);

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 130);
  g_assert_true (has_line (rest->str, "--------------------"));
  g_assert_nonnull (strstr (rest->str, " cancelled.\n"));
  g_file_get_contents (err_path, &err, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (err, "Interrupted"));

  /* What finished is on disk, what did not left nothing behind. */
  g_assert_cmpuint (count_files (fixture->dest, ".png"), >=, 1);
  g_assert_cmpuint (count_files (fixture->dest, ".png"), <, 249);
  g_assert_cmpuint (count_hidden_files (fixture->dest), ==, 0);
}

static GBytes *
http_get (SoupSession *session,
          const char  *url,
          guint       *status)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (message);
  return body;
}

static void
test_serve (Fixture       *fixture,
            gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", "--delay", "0", NULL };
  g_autofree char *err_path = g_build_filename (fixture->dir, "serve-stderr.txt", NULL);
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = make_argv (args);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GBytes) flag = NULL;
  g_autoptr(GBytes) metadata = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CliOutput) output = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *flag_url = NULL;
  g_autofree char *metadata_url = NULL;
  g_autofree char *missing_url = NULL;
  g_autofree char *err = NULL;
  const char *base;
  const char *ext = NULL;
  JsonObject *object;
  guint status = 0;
  int width = 0, height = 0;

  g_subprocess_launcher_set_stderr_file_path (launcher, err_path);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

  first = read_line (stdout_stream);
  g_assert_nonnull (first);
  g_assert_true (g_str_has_prefix (first, "Serving flags at http://127.0.0.1:"));
  base = first + strlen ("Serving flags at ");
  g_assert_true (g_str_has_suffix (base, "/flags"));

  /* The book's layout: {base}/{cc}/{cc}.png and {base}/{cc}/metadata.json. */
  flag_url = g_strconcat (base, "/br/br.png", NULL);
  flag = http_get (session, flag_url, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (fp_image_check (flag, &ext, &width, &height, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (ext, ==, "png");
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  metadata_url = g_strconcat (base, "/br/metadata.json", NULL);
  metadata = http_get (session, metadata_url, &status);
  g_assert_cmpuint (status, ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (metadata, NULL), g_bytes_get_size (metadata), &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "iso_cc"), ==, "BR");

  missing_url = g_strconcat (base, "/zz/zz.png", NULL);
  missing = http_get (session, missing_url, &status);
  g_assert_cmpuint (status, ==, 404);

  /* The same server as a URL source. */
  {
    const char *cli_args[] = { "-s", base, "--ext", "png", "-d", fixture->dest, "--json",
                               "BR", "ZZ", NULL };

    output = run_cli (fixture, cli_args);
    g_assert_cmpint (output->status, ==, 0);
    report = parse_report (output->out);
    g_assert_cmpstr (json_object_get_string_member (report, "server"), ==, "custom");
    g_assert_cmpstr (json_object_get_string_member (report, "source"), ==, base);
    g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (report, "not_found"), ==, 1);
    g_assert_false (json_object_has_member (report, "builtin_server"));
  }

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);

  /* On exit it tells what it served: 3 GETs here, 2 from the CLI. */
  g_file_get_contents (err_path, &err, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (err, "requests: 5, peak in flight: "));
}


/* Limits the server's descriptors, in the child before exec. */
static void
limit_descriptors (gpointer user_data)
{
  struct rlimit limit = { GPOINTER_TO_UINT (user_data), GPOINTER_TO_UINT (user_data) };

  setrlimit (RLIMIT_NOFILE, &limit);
}

/* One request on a raw connection; returns the status, 0 when the
 * connection ended before a status line. Reads a 200's body by its
 * Content-Length so that the connection can stay open, anything else to
 * the end of the stream. */
static guint
raw_exchange (GSocketConnection *connection,
              gboolean           close_after)
{
  g_autofree char *request = g_strdup_printf ("GET /flags/br/br.png HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n",
                                              close_after ? "Connection: close\r\n" : "");
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) received = g_string_new (NULL);
  const char *end = NULL, *length;
  guint status = 0;
  char buffer[4096];
  gssize n;

  if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                  request, strlen (request), NULL, NULL, NULL))
    return 0;
  while ((end = strstr (received->str, "\r\n\r\n")) == NULL &&
         (n = g_input_stream_read (input, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
    g_string_append_len (received, buffer, n);
  if (end == NULL || sscanf (received->str, "HTTP/1.1 %u ", &status) != 1)
    return 0;

  length = strstr (received->str, "Content-Length: ");
  if (status == 200 && !close_after && length != NULL && length < end)
    {
      gsize want = (end + 4 - received->str) + (gsize) g_ascii_strtoull (length + 16, NULL, 10);

      while (received->len < want &&
             (n = g_input_stream_read (input, buffer, sizeof buffer - 1, NULL, NULL)) > 0)
        g_string_append_len (received, buffer, n);
      g_assert_cmpuint (received->len, ==, want);
    }
  else
    {
      while (g_input_stream_read (input, buffer, sizeof buffer, NULL, NULL) > 0)
        ;
    }
  return status;
}

/* A burst of connections beyond the server's descriptor limit: those it
 * cannot take are answered 503, none is left hanging, and once they close
 * it answers again. */
static void
test_serve_out_of_descriptors (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *args[] = { "serve", "--port", "0", NULL };
  g_autoptr(GSubprocessLauncher) launcher = make_launcher (fixture, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                    G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GPtrArray) argv = make_argv (args);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) stdout_stream = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  guint port, ok = 0, refused = 0, status = 0;
  gint64 deadline;

  /* 64 descriptors: the server holds a few dozen connections at most. */
  g_subprocess_launcher_set_child_setup (launcher, limit_descriptors, GUINT_TO_POINTER (64), NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  first = read_line (stdout_stream);
  g_assert_nonnull (first);
  g_assert_cmpint (sscanf (first, "Serving flags at http://127.0.0.1:%u/", &port), ==, 1);

  /* Reads wait 30 s at most: a hang fails the test instead of stalling it. */
  g_socket_client_set_timeout (client, 30);
  for (guint i = 0; i < 120; i++)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);

      g_assert_no_error (error);
      status = raw_exchange (connection, FALSE);
      if (status == 200)
        {
          ok++;
          /* Kept open, so that the server's descriptors run out. */
          g_ptr_array_add (held, g_steal_pointer (&connection));
        }
      else
        {
          g_assert_cmpuint (status, ==, 503);
          refused++;
        }
    }
  g_test_message ("%u answered, %u refused", ok, refused);
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (refused, >, 0);
  g_assert_cmpuint (ok, <, 64);

  /* They close; the server must take new connections again. */
  g_ptr_array_set_size (held, 0);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  do
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);

      g_assert_no_error (error);
      status = raw_exchange (connection, TRUE);
      /* The server sees the closes as it gets to them. */
      if (status == 503)
        g_usleep (G_USEC_PER_SEC / 100);
    }
  while (status == 503 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (status, ==, 200);

  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

static void
test_serve_busy_port (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CliOutput) output = NULL;
  g_autofree char *port_text = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  port_text = g_strdup_printf ("%u", port);

  {
    const char *args[] = { "serve", "--port", port_text, NULL };

    /* A server that cannot start is a failure to run, not a usage error. */
    output = run_cli (fixture, args);
    g_assert_cmpint (output->status, ==, 1);
    g_assert_true (g_str_has_prefix (output->err, "*** Error: "));
  }
}

static void
test_parse_delay (void)
{
  const char *bad[] = { "", "-1", "2:1", "soon", "1:2:3", "61", "0.1:", ":1", "nan", "inf", " 1" };
  double lo = -1, hi = -1;

  g_assert_true (fp_cli_parse_delay ("0.25", &lo, &hi, NULL));
  g_assert_cmpfloat (lo, ==, 0.25);
  g_assert_cmpfloat (hi, ==, 0.25);
  g_assert_true (fp_cli_parse_delay ("0.1:0.5", &lo, &hi, NULL));
  g_assert_cmpfloat (lo, ==, 0.1);
  g_assert_cmpfloat (hi, ==, 0.5);
  g_assert_true (fp_cli_parse_delay ("0", &lo, &hi, NULL));
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (hi, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("--delay '%s'", bad[i]);
      g_assert_false (fp_cli_parse_delay (bad[i], &lo, &hi, &error));
      g_assert_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT);
    }
}

static void
test_progress_format (void)
{
  g_autofree char *middle = fp_cli_format_progress (113, 249, 85.3, 1.6, 80, TRUE);
  g_autofree char *ascii = fp_cli_format_progress (113, 249, 85.3, -1, 80, FALSE);
  g_autofree char *start = fp_cli_format_progress (0, 20, 0, -1, 80, FALSE);
  g_autofree char *end = fp_cli_format_progress (20, 20, 14.2, -1, 80, FALSE);
  g_autofree char *narrow = fp_cli_format_progress (5, 10, 1, 5, 20, FALSE);

  g_assert_true (g_str_has_prefix (middle, " 45%|"));
  g_assert_nonnull (strstr (middle, "█"));
  g_assert_nonnull (strstr (middle, "| 113/249   85.3 flags/s  00:02 left"));
  g_assert_cmpint (g_utf8_strlen (middle, -1), <=, 79);

  /* Without UTF-8 the bar is plain ASCII, and an unknown time left shows as such. */
  for (const char *p = ascii; *p != '\0'; p++)
    g_assert_cmpint ((guchar) *p, <, 128);
  g_assert_nonnull (strstr (ascii, "#"));
  g_assert_nonnull (strstr (ascii, "--:-- left"));
  g_assert_cmpint (strlen (ascii), <=, 79);

  g_assert_true (g_str_has_prefix (start, "  0%|  "));
  g_assert_null (strstr (start, "#"));
  g_assert_true (g_str_has_prefix (end, "100%|####"));
  g_assert_nonnull (strstr (end, "00:00 left"));
  g_assert_nonnull (strstr (end, "#| 20/20   14.2 flags/s  00:00 left"));

  /* A narrow terminal still gets a bar of some length. */
  g_assert_true (g_str_has_prefix (narrow, " 50%|#####     |  5/10    1.0 flags/s  00:05 left"));
}

static void
test_retry (Fixture       *fixture,
            gconstpointer  data)
{
  /* 503 twice, then the flag. Retry-After: 0 keeps the test from waiting
   * (the back-off itself is tested with a clock that does not wait). */
  g_autoptr(FpTestServer) server = fp_test_server_new ();
  g_autofree char *base_url = fp_test_server_dup_base_url (server, "503x2-ra0");
  const char *text_args[] = { "-d", fixture->dest, "-s", base_url, "--ext", "png",
                              "--retry", "3", "-v", "BR", "CN", "IN", NULL };
  const char *json_args[] = { "-d", fixture->dest, "-s", base_url, "--ext", "png",
                              "--retry", "3", "--json", "US", NULL };
  const char *off_args[] = { "-d", fixture->dest, "-s", base_url, "--ext", "png", "FR", NULL };
  g_autoptr(CliOutput) text = run_cli (fixture, text_args);
  g_autoptr(CliOutput) json = run_cli (fixture, json_args);
  g_autoptr(CliOutput) off = run_cli (fixture, off_args);
  g_autoptr(JsonObject) report = NULL;
  JsonObject *us;

  g_assert_cmpint (text->status, ==, 0);
  g_assert_true (has_line (text->out, "  3 flags downloaded."));
  g_assert_true (has_line (text->out, "  6 retries."));
  g_assert_true (has_line (text->out, "BR ok (3 tries)"));
  g_assert_null (strstr (text->out, "error"));

  report = parse_report (json->out);
  g_assert_cmpint (json_object_get_int_member (report, "ok"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (report, "retries"), ==, 2);
  us = json_array_get_object_element (json_object_get_array_member (report, "results"), 0);
  g_assert_cmpint (json_object_get_int_member (us, "tries"), ==, 3);

  /* Off by default, like the book: the first 503 is the result. */
  g_assert_true (has_line (off->out, "  1 error."));
  g_assert_true (has_line (off->out, "      1 HTTP 503 Service Unavailable"));
  g_assert_null (strstr (off->out, "retr"));
  g_assert_cmpuint (fp_test_server_get_request_count (server), ==, 3 * 3 + 3 + 1);
}

static void
test_unreachable_source (Fixture       *fixture,
                         gconstpointer  data)
{
  guint port = fp_test_get_closed_port ();
  g_autofree char *base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", port);
  g_autofree char *expected = g_strdup_printf ("*** Nothing is listening at 127.0.0.1:%u (connection refused): "
                                               "not one download got an answer.", port);
  const char *args[] = { "-d", fixture->dest, "-s", base_url, NULL };
  const char *json_args[] = { "-d", fixture->dest, "-s", base_url, "--json", "BR", NULL };
  g_autoptr(CliOutput) output = NULL;
  g_autoptr(CliOutput) json = NULL;
  g_autoptr(JsonObject) report = NULL;

  output = run_cli (fixture, args);
  json = run_cli (fixture, json_args);

  /* The batch ran: exit 0, every code an error, and one line that says why. */
  g_assert_cmpint (output->status, ==, 0);
  g_assert_true (has_line (output->out, " 20 errors."));
  g_assert_true (has_line (output->out, "     20 connection refused"));
  g_assert_true (has_line (output->err, expected));
  g_assert_cmpint (json->status, ==, 0);
  report = parse_report (json->out);
  g_assert_cmpint (json_object_get_int_member (report, "error"), ==, 1);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (report, "unreachable"),
                                   "Nothing is listening at 127.0.0.1:"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  fp_engine_init_i18n ();

  g_test_add_func ("/cli/parse-delay", test_parse_delay);
  g_test_add_func ("/cli/progress-format", test_progress_format);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/report/top20", test_top20_report);
  ADD ("/cli/report/one-error", test_one_error_singular);
  ADD ("/cli/json/letter", test_letter_json);
  ADD ("/cli/json/verbose", test_json_with_verbose);
  ADD ("/cli/json/error-codes", test_json_error_codes);
  ADD ("/cli/limit-verbose", test_limit_verbose);
  ADD ("/cli/every", test_every);
  ADD ("/cli/all-concurrency", test_all_concurrency);
  ADD ("/cli/sequential", test_sequential);
  ADD ("/cli/strategies", test_strategies);
  ADD ("/cli/order-submitted", test_order_submitted);
  ADD ("/cli/error-rate", test_error_rate);
  ADD ("/cli/unwritable-destination", test_unwritable_destination);
  ADD ("/cli/interrupt", test_interrupt);
  ADD ("/cli/retry", test_retry);
  ADD ("/cli/unreachable-source", test_unreachable_source);
  ADD ("/cli/serve", test_serve);
  ADD ("/cli/serve-busy-port", test_serve_busy_port);
  ADD ("/cli/serve-out-of-descriptors", test_serve_out_of_descriptors);
#undef ADD

  return g_test_run ();
}
