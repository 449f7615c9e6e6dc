/* fp-cli-serve.c — "flagpole-cli serve": the built-in flag server on its own, the book's slow_server.py
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "fp-cli-private.h"

#define DEFAULT_SERVE_PORT  8001

typedef struct
{
  FpFlagServer *server;
  GMainLoop    *loop;
} ServeRun;

static void
print_server_counters (FpFlagServer *server)
{
  g_printerr (_("requests: %u, peak in flight: %u\n"),
              fp_flag_server_get_request_count (server),
              fp_flag_server_get_peak_in_flight (server));
}

static gboolean
serve_stop_cb (gpointer user_data)
{
  ServeRun *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

/* SIGUSR1 reports and resets the counters: a benchmark reads the peak in
 * flight of each run without restarting the server. */
static gboolean
serve_report_cb (gpointer user_data)
{
  ServeRun *serve = user_data;

  print_server_counters (serve->server);
  fp_flag_server_reset_counters (serve->server);
  return G_SOURCE_CONTINUE;
}

/**
 * fp_cli_serve:
 * @argc: the number of arguments, "serve" the second
 * @argv: the arguments
 *
 * Returns: the exit status
 */
int
fp_cli_serve (int    argc,
              char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *name = fp_cli_program_name (argv);
  g_autofree char *program = g_strdup_printf ("%s serve", name);
  g_autofree char *port = NULL;
  g_autofree char *delay = NULL;
  g_autofree char *error_rate = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *idle_timeout = NULL;
  guint port_n = DEFAULT_SERVE_PORT;
  guint idle_timeout_n = 30;
  double delay_min = 0, delay_max = 0, error_rate_v = 0;
  g_auto(GStrv) sub_argv = NULL;
  ServeRun serve;
  guint ids[3];
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_STRING, &port,
      N_("Port on 127.0.0.1, 0 for a free one (default 8001)"), N_("N") },
    { "delay", 0, 0, G_OPTION_ARG_STRING, &delay,
      N_("Latency per request, in seconds"), N_("MIN[:MAX]") },
    { "error-rate", 0, 0, G_OPTION_ARG_STRING, &error_rate,
      N_("Share of “418 I’m a Teapot” answers, 0 to 1"), N_("P") },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Folder of {cc}.png flags to serve (default: Debian’s flags)"), N_("DIR") },
    { "idle-timeout", 0, 0, G_OPTION_ARG_STRING, &idle_timeout,
      N_("Close a connection idle this long, in seconds (default 30)"), N_("SECONDS") },
    { NULL }
  };

  context = g_option_context_new (_("— serve flags in the book’s layout"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Runs the built-in flag server, the book’s slow_server.py, until Ctrl+C. "
      "Flags are at {base}/{cc}/{cc}.png and metadata at {base}/{cc}/metadata.json. "
      "SIGUSR1 prints the request count and the peak in flight to stderr and resets them."));

  /* Parse "PROGRAM serve" as one program name, so that --help shows
   * "flagpole-cli serve [OPTION…]" and the rest parses as usual. */
  sub_argv = g_new0 (char *, argc);
  sub_argv[0] = g_strdup_printf ("%s serve", argv[0]);
  for (int i = 2; i < argc; i++)
    sub_argv[i - 1] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &sub_argv, &error))
    return fp_cli_usage_error (program, error->message);
  if (g_strv_length (sub_argv) > 1)
    {
      g_autofree char *message = g_strdup_printf (_("serve takes no arguments, got “%s”."), sub_argv[1]);
      return fp_cli_usage_error (program, message);
    }
  if (port != NULL && !fp_cli_parse_uint ("--port N", port, 0, 65535, &port_n, &error))
    return fp_cli_usage_error (program, error->message);
  if (delay != NULL && !fp_cli_parse_delay (delay, &delay_min, &delay_max, &error))
    return fp_cli_usage_error (program, error->message);
  if (error_rate != NULL && !fp_cli_parse_error_rate (error_rate, &error_rate_v, &error))
    return fp_cli_usage_error (program, error->message);
  if (idle_timeout != NULL &&
      !fp_cli_parse_uint ("--idle-timeout SECONDS", idle_timeout, 1, 3600, &idle_timeout_n, &error))
    return fp_cli_usage_error (program, error->message);
  if (dir != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *message = g_strdup_printf (_("--dir “%s” is not a folder."), dir);
      return fp_cli_usage_error (program, message);
    }

  server = fp_flag_server_new (dir);
  fp_flag_server_set_delay (server, delay_min, delay_max);
  fp_flag_server_set_error_rate (server, error_rate_v);
  fp_flag_server_set_idle_timeout (server, idle_timeout_n);
  if (!fp_flag_server_start (server, port_n, &error))
    {
      g_printerr (_("*** Error: cannot start the flag server: %s\n"), error->message);
      return FP_CLI_EXIT_FAILED;
    }

  /* The first line of stdout is the contract with scripts and tests. */
  g_print (_("Serving flags at %s\n"), fp_flag_server_get_base_url (server));
  fflush (stdout);
  g_printerr (_("Press Ctrl+C to stop.\n"));

  loop = g_main_loop_new (NULL, FALSE);
  serve.server = server;
  serve.loop = loop;
  ids[0] = g_unix_signal_add (SIGINT, serve_stop_cb, &serve);
  ids[1] = g_unix_signal_add (SIGTERM, serve_stop_cb, &serve);
  ids[2] = g_unix_signal_add (SIGUSR1, serve_report_cb, &serve);
  g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_source_remove (ids[i]);

  print_server_counters (server);
  fp_flag_server_stop (server);
  return FP_CLI_EXIT_OK;
}
