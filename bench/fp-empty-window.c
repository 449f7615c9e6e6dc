/* fp-empty-window.c — the memory floor: an empty AdwApplicationWindow's peak resident memory
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What GTK and libadwaita cost before an application does anything: an
 * AdwApplicationWindow of Flagpole's default size (1000 × 700) with an
 * empty header bar, shown until it has drawn a few frames. It then prints
 * "hwm_mb=… rss_mb=…" for bench/bench-responsiveness, which runs it in the
 * same session and with the same renderer as the window it measures.
 */
#include <adwaita.h>
#include <stdlib.h>
#include <string.h>

#include "fp-bench-home.h"

#define FRAMES_TO_DRAW 10

static double
read_status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, field);
  if (line == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field) + 1, NULL, 10) / 1024.0;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  guint *frames = user_data;

  /* A window draws its first frames after it is mapped; a few more frames
   * let GTK settle its caches, as the measured window has by then. */
  gtk_widget_queue_draw (widget);
  if (++*frames < FRAMES_TO_DRAW)
    return G_SOURCE_CONTINUE;

  g_print ("hwm_mb=%.1f rss_mb=%.1f\n", read_status_mb ("VmHWM:"), read_status_mb ("VmRSS:"));
  /* Where the memory is, mapping by mapping, for a person to read. */
  if (g_getenv ("FP_BENCH_EMPTY_SMAPS") != NULL)
    {
      g_autofree char *smaps = NULL;

      if (g_file_get_contents ("/proc/self/smaps", &smaps, NULL, NULL))
        g_file_set_contents (g_getenv ("FP_BENCH_EMPTY_SMAPS"), smaps, -1, NULL);
    }
  gtk_window_destroy (GTK_WINDOW (widget));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_widget_add_tick_callback (window, tick_cb, user_data, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  guint frames = 0;
  char *home;
  int status;

  /* The same empty XDG folders as the window it is compared with. */
  home = fp_bench_home_new (&error);
  if (home == NULL)
    {
      g_printerr ("fp-empty-window: %s\n", error->message);
      return 1;
    }

  app = adw_application_new ("io.github.flagpole.EmptyWindow", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), &frames);
  status = g_application_run (G_APPLICATION (app), argc, argv);
  g_clear_object (&app);
  fp_bench_home_clear (home);
  return status;
}
