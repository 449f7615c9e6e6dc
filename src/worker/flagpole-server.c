/* flagpole-server.c — a window's built-in flag server, in a process of its own
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "flagpole-server"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "flagpole-engine.h"
#include "fp-executor.h"

/*
 * Started by fp_flag_server_start_in_child() (see fp-flag-server-child.c),
 * never by a person: serves the flags with the same FpFlagServer as
 * `flagpole-cli serve`, on the listening socket its parent bound (passed
 * as --listen-fd), with the latency, error rate and idle timeout it was
 * given. It ends on SIGTERM, or at the end of its standard input: the
 * parent holds the other end of that pipe, so when the parent dies, even
 * killed, the server goes with it.
 */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* The parent writes nothing: readable means its end is closed. */
static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     user_data)
{
  char buffer[256];

  if ((condition & G_IO_IN) != 0 && read (fd, buffer, sizeof buffer) > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *dir = NULL;
  double min_delay = 0, max_delay = 0, error_rate = 0;
  int listen_fd = -1;
  int idle_timeout = -1;
  GOptionEntry entries[] = {
    { "listen-fd", 0, 0, G_OPTION_ARG_INT, &listen_fd, "The listening socket to serve on", "FD" },
    { "min-delay", 0, 0, G_OPTION_ARG_DOUBLE, &min_delay, "Shortest latency of an answer, in seconds", "S" },
    { "max-delay", 0, 0, G_OPTION_ARG_DOUBLE, &max_delay, "Longest latency of an answer, in seconds", "S" },
    { "error-rate", 0, 0, G_OPTION_ARG_DOUBLE, &error_rate, "Share of 418 answers, 0 to 1", "P" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout, "Seconds a connection may be idle", "S" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "The folder of flags", "DIR" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

#ifdef __linux__
  /* Besides the end of stdin: should the parent thread that started it end. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, "A window's built-in flag server; started by Flagpole.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || listen_fd < 0 ||
      min_delay < 0 || max_delay < 0 || error_rate < 0 || error_rate > 1)
    {
      g_printerr ("flagpole-server: %s\n", error != NULL ? error->message
                                                         : "--listen-fd is needed; delays are 0 or more, --error-rate 0 to 1");
      return 2;
    }

  /* It stands in for a remote server beside a window, whose frames come
   * first: every thread it makes inherits this. */
  fp_lower_thread_priority (FP_WORKER_NICE);

  server = fp_flag_server_new (dir);
  fp_flag_server_set_delay (server, min_delay, max_delay);
  fp_flag_server_set_error_rate (server, error_rate);
  if (idle_timeout >= 0)
    fp_flag_server_set_idle_timeout (server, (guint) idle_timeout);
  if (!fp_flag_server_start_on_socket (server, listen_fd, &error))
    {
      g_printerr ("flagpole-server: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  g_main_loop_run (loop);

  fp_flag_server_stop (server);
  return 0;
}
