/* fp-cli.c — flagpole-cli: the book's flags2 programs on the Flagpole engine
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
 * The download command: options become an FpBatchConfig
 * (fp-cli-options.c), which an FpRun runs, while this file draws the
 * progress line (fp-cli-progress.c), prints -v lines and turns Ctrl+C
 * into a cancel; the reports are fp-cli-report.c's. "serve" is
 * fp-cli-serve.c's.
 */

typedef struct
{
  FpCliOptions  *options;
  FpRun         *run;
  GMainLoop     *loop;
  FpCliProgress  progress;
  FpCliInterrupt interrupt;
} CliDownload;

/* -v lines go to stdout, unless stdout is reserved for the JSON report. */
static void
print_line (CliDownload *download,
            const char  *text)
{
  if (download->options->json)
    g_printerr ("%s\n", text);
  else
    {
      g_print ("%s\n", text);
      /* Through a pipe (| tee, a test) each line shows as its future completes. */
      fflush (stdout);
    }
}

static void
download_completed_cb (FpRun            *run,
                       FpDownloadResult *result,
                       CliDownload      *download)
{
  FpDownloadBatch *batch = fp_run_get_batch (run);

  if (download->options->verbose)
    {
      g_autofree char *line = fp_cli_report_dup_line (result);
      print_line (download, line);
    }

  fp_cli_progress_draw (&download->progress, run,
                        fp_download_batch_get_n_done (batch) >= fp_download_batch_get_n_total (batch));
}

static void
run_finished_cb (FpRun       *run,
                 CliDownload *download)
{
  g_main_loop_quit (download->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  FpCliInterrupt *interrupt = user_data;

  /* A second Ctrl+C means "now": do not wait for requests to abort. */
  if (interrupt->interrupted)
    {
      g_printerr ("\n");
      _exit (FP_CLI_EXIT_CANCELLED);
    }
  interrupt->interrupted = TRUE;
  interrupt->cancel (interrupt->data);
  return G_SOURCE_CONTINUE;
}

/* Until fp_cli_interrupt_release(), SIGINT and SIGTERM call @cancel. */
void
fp_cli_interrupt_catch (FpCliInterrupt  *interrupt,
                        void           (*cancel) (gpointer data),
                        gpointer         data)
{
  interrupt->cancel = cancel;
  interrupt->data = data;
  interrupt->interrupted = FALSE;
  interrupt->source_ids[0] = g_unix_signal_add (SIGINT, interrupted_cb, interrupt);
  interrupt->source_ids[1] = g_unix_signal_add (SIGTERM, interrupted_cb, interrupt);
}

void
fp_cli_interrupt_release (FpCliInterrupt *interrupt)
{
  for (guint i = 0; i < G_N_ELEMENTS (interrupt->source_ids); i++)
    g_clear_handle_id (&interrupt->source_ids[i], g_source_remove);
}

static void
cancel_run (gpointer run)
{
  fp_run_cancel (run);
}

static int
download_flags (FpCliOptions *options)
{
  g_autoptr(FpRun) run = fp_run_new (options->config, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  CliDownload download = { 0 };
  int status;

  /* The built-in server, for this batch alone. */
  if (!fp_run_ensure_server (run, &error))
    {
      g_printerr (_("*** Error: cannot start the built-in server: %s\n"), error->message);
      return FP_CLI_EXIT_FAILED;
    }

  download.options = options;
  download.run = run;
  download.loop = loop;
  fp_cli_progress_init (&download.progress, !options->verbose && isatty (STDERR_FILENO));

  g_signal_connect (run, "download-completed", G_CALLBACK (download_completed_cb), &download);
  g_signal_connect (run, "finished", G_CALLBACK (run_finished_cb), &download);
  fp_cli_interrupt_catch (&download.interrupt, cancel_run, run);

  /* Nothing is announced before the main loop runs, so the first lines,
   * which tell the batch's workers, can follow its start. */
  fp_run_start (run);
  if (!options->json)
    fp_cli_report_initial (options, run);
  /* Stdout may be a pipe: what was printed must come out before the wait. */
  fflush (stdout);
  fp_cli_progress_draw (&download.progress, run, TRUE);
  g_main_loop_run (loop);

  /* After Ctrl+C the batch ends at once, but a worker may still be
   * aborting a save: exiting now would leave its temporary file. Its
   * cancelled request comes back promptly; a second Ctrl+C still quits. */
  if (fp_run_get_batch (run) != NULL)
    while (!fp_download_batch_get_settled (fp_run_get_batch (run)))
      g_main_context_iteration (NULL, TRUE);

  fp_cli_interrupt_release (&download.interrupt);
  g_signal_handlers_disconnect_by_data (run, &download);

  fp_cli_progress_end (&download.progress, run);

  if (fp_run_get_state (run) != FP_RUN_STATE_FAILED && options->trace != NULL &&
      !fp_cli_write_trace (options, run))
    return FP_CLI_EXIT_FAILED;

  switch (fp_run_get_state (run))
    {
    case FP_RUN_STATE_FAILED:
      g_printerr (_("*** Error: %s\n"), fp_run_get_error (run)->message);
      status = FP_CLI_EXIT_FAILED;
      break;

    case FP_RUN_STATE_CANCELLED:
    case FP_RUN_STATE_FINISHED:
    case FP_RUN_STATE_READY:
    case FP_RUN_STATE_RUNNING:
    default:
      if (options->json)
        fp_cli_report_json (options, run, download.interrupt.interrupted);
      else
        fp_cli_report_final (run);

      if (fp_run_get_state (run) == FP_RUN_STATE_CANCELLED)
        {
          g_printerr (_("*** Interrupted: the downloads that had not finished were cancelled.\n"));
          status = FP_CLI_EXIT_CANCELLED;
        }
      else
        status = FP_CLI_EXIT_OK;
      break;
    }

  fflush (stdout);
  return status;
}

static int
download_command (int    argc,
                  char **argv)
{
  g_auto(FpCliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = fp_cli_program_name (argv);
  int status;

  context = fp_cli_options_new_context (&options, program);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fp_cli_usage_error (program, error->message);

  status = fp_cli_options_resolve (&options, program);
  if (status != FP_CLI_EXIT_OK)
    return status;

  return download_flags (&options);
}

/**
 * fp_cli_run:
 * @argc: the number of arguments
 * @argv: the arguments, the program's name first
 *
 * Runs flagpole-cli: downloads a selection of flags with the book's flags2
 * options and report, or with "serve" as the first argument runs the
 * built-in flag server in the foreground. The caller has set the locale
 * and bound the text domains.
 *
 * Returns: the exit status (see FP_CLI_EXIT_*)
 */
int
fp_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (argc >= 1, FP_CLI_EXIT_USAGE);

  if (argc >= 2 && g_strcmp0 (argv[1], "serve") == 0)
    return fp_cli_serve (argc, argv);
  if (argc >= 2 && g_strcmp0 (argv[1], "compare") == 0)
    return fp_cli_compare (argc, argv);
  return download_command (argc, argv);
}
