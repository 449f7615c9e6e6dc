/* fp-cli-compare.c — "flagpole-cli compare": the book's timing table, and "--trace FILE"
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "fp-cli-private.h"

/*
 * compare takes the download command's options, with two of them read
 * as lists: -m the series of concurrencies, --strategy the strategies
 * ("all" by default: every registered one). An FpComparison runs the
 * batches one after another against one built-in server; the table (or
 * with --json one object) goes to stdout, a line per run to stderr as
 * each ends, so a person sees it progress.
 */

/**
 * fp_cli_write_trace:
 *
 * Writes --trace FILE for a run that ran. Prints why when it cannot.
 *
 * Returns: whether the file was written
 */
gboolean
fp_cli_write_trace (FpCliOptions *options,
                    FpRun        *run)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (options->trace);
  g_autoptr(GError) error = NULL;
  FpDownloadBatch *batch = fp_run_get_batch (run);

  if (batch == NULL)
    return TRUE;
  if (!fp_trace_write_file (fp_download_batch_get_results (batch), fp_download_batch_get_workers (batch),
                            fp_download_batch_get_strategy (batch), fp_download_batch_get_elapsed (batch),
                            file, NULL, &error))
    {
      g_printerr (_("*** Error: cannot write the trace: %s\n"), error->message);
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  FpComparison *comparison;
  GMainLoop    *loop;
  GError       *error;
} CliCompare;

static void
run_completed_cb (FpComparison *comparison,
                  FpRunRecord  *record,
                  CliCompare   *compare)
{
  double ideal = fp_comparison_get_ideal (comparison, fp_run_record_get_workers (record));

  /* TRANSLATORS: one line per run of a comparison: "threads at 20: 1.41 s (ideal 1.35 s), 3 of 23" */
  if (ideal >= 0)
    g_printerr (_("%s at %u: %.2f s (ideal %.2f s), %u of %u\n"), fp_run_record_get_strategy_name (record),
                fp_run_record_get_workers (record), fp_run_record_get_elapsed (record), ideal,
                fp_comparison_get_n_done (comparison), fp_comparison_get_n_runs (comparison));
  else
    g_printerr (_("%s at %u: %.2f s, %u of %u\n"), fp_run_record_get_strategy_name (record),
                fp_run_record_get_workers (record), fp_run_record_get_elapsed (record),
                fp_comparison_get_n_done (comparison), fp_comparison_get_n_runs (comparison));
}

static void
comparison_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CliCompare *compare = user_data;

  fp_comparison_run_finish (compare->comparison, result, &compare->error);
  g_main_loop_quit (compare->loop);
}

static void
cancel_comparison (gpointer comparison)
{
  fp_comparison_cancel (comparison);
}

static void
print_json (FpComparison *comparison)
{
  g_autoptr(JsonNode) root = fp_comparison_to_json (comparison);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/**
 * fp_cli_compare:
 * @argc: the number of arguments, "compare" second
 * @argv: the arguments
 *
 * Returns: the exit status
 */
int
fp_cli_compare (int    argc,
                char **argv)
{
  g_auto(FpCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) concurrencies = NULL;
  g_autoptr(GArray) strategies = NULL;
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(FpComparison) comparison = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *program = NULL;
  g_autofree char *help_name = NULL;
  g_autofree char *table = NULL;
  g_autofree char *source_id = NULL;
  CliCompare compare = { 0 };
  GError *run_error;
  FpBatchConfig *config;
  FpSource *source;
  const char *base_url;
  FpCliInterrupt interrupt = { 0 };
  int status;

  /* "flagpole-cli compare …": the subcommand is part of the program's name. */
  program = fp_cli_program_name (argv);
  help_name = g_strdup_printf ("%s compare", program);
  argv[1] = argv[0];
  argc--;
  argv++;

  context = fp_cli_options_new_context (&options, help_name);
  g_option_context_set_summary (context,
    _("Downloads the same selection one at a time, then with every strategy at each "
      "concurrency of the series, one run after another, and prints the table: elapsed "
      "time, the ideal ceil(n/c)·d for the built-in server's latency, and the speed-up. "
      "-m takes a list (default 1,2,5,10,20,50,100); --strategy a list or “all” (the default)."));
  /* Not the main command's pointers to its subcommands. */
  g_option_context_set_description (context,
    _("Exit status: 0 when the comparison ran (even if some flags failed), "
      "1 when it could not run, 2 for a usage error, 130 when interrupted with Ctrl+C."));
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fp_cli_usage_error (help_name, error->message);
  if (options.trace != NULL)
    return fp_cli_usage_error (help_name, _("--trace applies to one download, not to compare."));

  if (!fp_comparison_parse_concurrencies (options.max_req != NULL ? options.max_req
                                          : FP_COMPARISON_DEFAULT_CONCURRENCIES, &concurrencies, &error))
    {
      g_autofree char *message = g_strdup_printf ("-m, --max-req: %s", error->message);
      return fp_cli_usage_error (help_name, message);
    }
  if (!fp_comparison_parse_strategies (options.strategy != NULL ? options.strategy : "all",
                                       &strategies, &error))
    {
      g_autofree char *message = g_strdup_printf ("--strategy: %s", error->message);
      return fp_cli_usage_error (help_name, message);
    }
  /* The lists are understood: the rest is checked as for a download. */
  g_clear_pointer (&options.max_req, g_free);
  g_clear_pointer (&options.strategy, g_free);
  status = fp_cli_options_resolve (&options, help_name);
  if (status != FP_CLI_EXIT_OK)
    return status;

  config = options.config;
  source = fp_batch_config_get_source (config);
  if (fp_source_get_kind (source) == FP_SOURCE_KIND_BUILTIN)
    {
      server = fp_flag_server_new (NULL);
      fp_batch_config_apply_to_server (config, server);
      if (!fp_flag_server_start (server, 0, &error))
        {
          g_printerr (_("*** Error: cannot start the built-in server: %s\n"), error->message);
          return FP_CLI_EXIT_FAILED;
        }
    }
  base_url = fp_batch_config_resolve_base_url (config, server);

  comparison = fp_comparison_new (fp_batch_config_get_codes (config), base_url,
                                  fp_source_get_extension (source), fp_batch_config_get_destination (config));
  fp_comparison_set_concurrencies (comparison, concurrencies);
  fp_comparison_set_strategies (comparison, strategies);
  fp_comparison_set_timeout (comparison, fp_batch_config_get_timeout (config));
  source_id = fp_run_record_dup_source_id (source);
  fp_comparison_set_source (comparison, source_id,
                            fp_batch_config_get_server_min_delay (config),
                            fp_batch_config_get_server_max_delay (config),
                            fp_batch_config_get_server_error_rate (config));

  /* TRANSLATORS: before a comparison: "Comparing 15 runs of 20 flags…" */
  g_printerr (ngettext ("Comparing %u run of %u flags…\n", "Comparing %u runs of %u flags…\n",
                        fp_comparison_get_n_runs (comparison)),
              fp_comparison_get_n_runs (comparison), fp_comparison_get_n_codes (comparison));

  loop = g_main_loop_new (NULL, FALSE);
  compare.comparison = comparison;
  compare.loop = loop;
  g_signal_connect (comparison, "run-completed", G_CALLBACK (run_completed_cb), &compare);
  fp_cli_interrupt_catch (&interrupt, cancel_comparison, comparison);

  fp_comparison_run_async (comparison, NULL, comparison_done_cb, &compare);
  g_main_loop_run (loop);

  fp_cli_interrupt_release (&interrupt);
  g_signal_handlers_disconnect_by_data (comparison, &compare);
  run_error = compare.error;

  if (run_error != NULL && !g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("*** Error: %s\n"), run_error->message);
      g_error_free (run_error);
      return FP_CLI_EXIT_FAILED;
    }

  /* What ran is printed, also after Ctrl+C. */
  if (options.json)
    print_json (comparison);
  else
    {
      table = fp_comparison_format_table (comparison);
      g_print ("%s", table);
    }
  fflush (stdout);

  if (run_error != NULL)
    {
      g_printerr (_("*** Interrupted: %s\n"), run_error->message);
      g_error_free (run_error);
      return FP_CLI_EXIT_CANCELLED;
    }
  return FP_CLI_EXIT_OK;
}
