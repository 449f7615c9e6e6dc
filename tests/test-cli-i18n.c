/* test-cli-i18n.c — flagpole-cli speaks German: its report, its plurals and its usage errors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-cli-i18n"

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-cli.h"
#include "fp-test-support.h"

/* Runs the command line in this (child) process and exits with its status,
 * so the parent can read what it printed; @dest, if any, is removed first. */
static void G_GNUC_NORETURN
run_cli (const char * const *args,
         char               *dest)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int status;

  g_ptr_array_add (argv, (char *) "flagpole-cli");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  status = fp_cli_run ((int) argv->len - 1, (char **) argv->pdata);
  if (dest != NULL)
    fp_test_remove_tree (dest);
  g_free (dest);
  exit (status);
}

static void
test_report_singular (void)
{
  if (g_test_subprocess ())
    {
      char *dest = fp_test_make_temp_dir ();
      const char *args[] = { "-d", dest, "BR", NULL };

      run_cli (args, dest);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* German singular, the book's report line by line. */
  g_test_trap_assert_stdout ("*  1 Flagge heruntergeladen.\n*");
  g_test_trap_assert_stdout ("*Verstrichene Zeit: *");
  g_test_trap_assert_stdout_unmatched ("*downloaded*");
}

static void
test_report_plural (void)
{
  if (g_test_subprocess ())
    {
      char *dest = fp_test_make_temp_dir ();
      /* AA is no country and has no flag: the built-in server answers 404. */
      const char *args[] = { "-d", dest, "BR", "IN", "AA", NULL };

      run_cli (args, dest);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*  2 Flaggen heruntergeladen.\n*");
  g_test_trap_assert_stdout ("*  1 nicht gefunden.\n*");
  g_test_trap_assert_stdout_unmatched ("*not found*");
}

static void
test_usage_error (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "-m", "0", NULL };

      run_cli (args, NULL);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*ganze Zahl*");
  g_test_trap_assert_stderr_unmatched ("*whole number*");
}

static void
test_help (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "--help", NULL };

      run_cli (args, NULL);
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The option descriptions come from the N_() table through the
   * context's translation domain. */
  g_test_trap_assert_stdout ("*Gleichzeitige Downloads*");
  g_test_trap_assert_stdout_unmatched ("*Concurrent downloads*");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *po_dir = NULL;
  g_autofree char *mo_file = NULL;

  /* Only C, C.UTF-8 and POSIX are generated on the test machines: under
   * C.UTF-8 glibc honours LANGUAGE, which needs no generated locale. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  g_test_init (&argc, &argv, NULL);

  /* The catalog built in this build tree, not an installed one. */
  po_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  mo_file = g_build_filename (po_dir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo_file, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: the German catalog was not built", mo_file);
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fp_engine_init_i18n ();

  g_test_add_func ("/cli-i18n/report-singular", test_report_singular);
  g_test_add_func ("/cli-i18n/report-plural", test_report_plural);
  g_test_add_func ("/cli-i18n/usage-error", test_usage_error);
  g_test_add_func ("/cli-i18n/help", test_help);

  return g_test_run ();
}
