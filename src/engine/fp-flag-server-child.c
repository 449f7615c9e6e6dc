/* fp-flag-server-child.c — the built-in flag server in a process of its own, for a window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-server"

#include "config.h"

#include <signal.h>
#include <glib/gi18n.h>

#include "fp-engine-types.h"
#include "fp-flag-server-private.h"

/*
 * A window's built-in server stands in for a remote one, and in the
 * window's process it was not like one: its thread shared the process's
 * heap, its malloc arenas and GObject's locks with the main thread, and
 * its memory counted as the window's. Measured with
 * bench/bench-responsiveness --renderer cairo, 10 rounds A/B, the same
 * server code at the same nice value (15), medians: the window's own
 * peak memory 25.0 → 23.7 MB, the longest timer gap 20.1 → 15.4 ms, the
 * main thread's processor time 148 → 142 ms a batch; the 99th percentile
 * 6.4 → 7.0 ms, within the rounds' spread. The process itself peaks at
 * 8.6 MB, most of it shared libraries.
 *
 * The parent binds the listening socket itself, so the port is known at
 * once and the main loop never waits for the child: connections queue
 * in the socket's backlog until the child accepts them. The child
 * (src/worker/flagpole-server.c) takes the socket as descriptor 3 and
 * the settings as arguments; it ends when told (SIGTERM) or when its
 * standard input, a pipe only the parent writes to, reaches its end:
 * when the parent is gone, however it died.
 */

/* --name=value in the C locale, whatever the window's. */
static char *
double_argument (const char *name,
                 double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strconcat (name, g_ascii_dtostr (buffer, sizeof buffer, value), NULL);
}

/* The child ended. Not told to (the server still has it): it was killed
 * or crashed, and a window should start another rather than send every
 * later batch to a closed port. */
static void
child_exited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(FpFlagServer) self = g_weak_ref_get (ref);
  GSubprocess *child = G_SUBPROCESS (source);

  g_subprocess_wait_finish (child, result, NULL);
  if (self != NULL && self->child == child)
    {
      if (g_subprocess_get_if_signaled (child))
        g_message ("The built-in server's process ended by itself: %s",
                   g_strsignal (g_subprocess_get_term_sig (child)));
      else
        g_message ("The built-in server's process ended by itself with status %d",
                   g_subprocess_get_exit_status (child));
      self->child_gone = TRUE;
    }
  g_weak_ref_clear (ref);
  g_free (ref);
}

/**
 * fp_flag_server_start_in_child:
 * @error: return location for a #GError
 *
 * Starts serving from a process of its own, flagpole-server
 * (fp_find_helper_program()), with the delay, error rate and idle timeout
 * set so far: later settings do not reach it. Returns at once; the port
 * and base URL are known then.
 */
gboolean
fp_flag_server_start_in_child (FpFlagServer  *self,
                               GError       **error)
{
  g_autofree char *helper = fp_find_helper_program ("flagpole-server", "FLAGPOLE_SERVER");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *min_arg = NULL, *max_arg = NULL, *rate_arg = NULL, *idle_arg = NULL, *dir_arg = NULL;
  guint port;

  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL && self->child == NULL, FALSE);

  if (helper == NULL)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_SERVER,
                   _("The built-in server’s program, flagpole-server, is not installed"));
      return FALSE;
    }

  socket = _fp_flag_server_bind (0, &local_error);
  if (socket != NULL)
    bound = g_socket_get_local_address (socket, &local_error);
  if (bound == NULL)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_SERVER,
                   _("The built-in server cannot listen: %s"), local_error->message);
      return FALSE;
    }
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  g_mutex_lock (&self->settings_lock);
  min_arg = double_argument ("--min-delay=", self->min_delay);
  max_arg = double_argument ("--max-delay=", self->max_delay);
  rate_arg = double_argument ("--error-rate=", self->error_rate);
  idle_arg = g_strdup_printf ("--idle-timeout=%u", self->idle_timeout);
  g_mutex_unlock (&self->settings_lock);
  dir_arg = g_strconcat ("--dir=", self->flags_dir, NULL);

  /* Its standard input is a pipe only this process writes to: its end
   * tells the child that the parent is gone. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_subprocess_launcher_take_fd (launcher, dup (g_socket_get_fd (socket)), 3);
  self->child = g_subprocess_launcher_spawn (launcher, &local_error, helper, "--listen-fd=3",
                                             min_arg, max_arg, rate_arg, idle_arg, dir_arg, NULL);
  if (self->child == NULL)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_SERVER,
                   _("The built-in server cannot start: %s"), local_error->message);
      return FALSE;
    }

  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, self);
    g_subprocess_wait_async (self->child, NULL, child_exited_cb, ref);
  }

  /* The child's copy of the socket is the listener now; this one closes. */
  self->child_gone = FALSE;
  self->port = port;
  g_free (self->base_url);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u/flags", port);
  g_debug ("Serving %s at %s from process %s", self->flags_dir, self->base_url,
           g_subprocess_get_identifier (self->child));
  return TRUE;
}

/* Whether the server runs in a process of its own. */
gboolean
fp_flag_server_get_in_child (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), FALSE);
  return self->child != NULL;
}

/* Whether it still serves: started, not stopped, and its process (if it
 * has one) did not end, as far as this thread's main loop has seen. */
gboolean
fp_flag_server_get_serving (FpFlagServer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_SERVER (self), FALSE);
  return self->child != NULL ? !self->child_gone : self->thread != NULL;
}

/* Tells the child to end, without waiting: GLib reaps it. */
void
_fp_flag_server_stop_child (FpFlagServer *self)
{
  if (self->child == NULL)
    return;
  g_subprocess_send_signal (self->child, SIGTERM);
  g_clear_object (&self->child);
}
