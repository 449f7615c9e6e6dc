/* fp-cli-progress.c — flagpole-cli's one-line progress bar, what tqdm shows in the book
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fp-cli-private.h"

/* A redraw per completed flag would flood a slow terminal at thousands of
 * flags per second; twenty a second reads as smooth. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 20)

static char *
format_duration (double seconds)
{
  guint s;

  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("--:--");
  s = (guint) ceil (seconds);
  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%02u:%02u", s / 60, s % 60);
}

/**
 * fp_cli_format_progress:
 * @done: downloads finished
 * @total: downloads in the batch
 * @rate: flags per second so far
 * @seconds_left: estimated time to the end, or a negative number when unknown
 * @width: the terminal's width in columns
 * @unicode: whether the terminal shows block characters
 *
 * Formats the one-line progress bar, what tqdm shows in the book:
 * percentage, bar, count, rate and time left, at most @width - 1 columns
 * wide so the terminal never wraps it.
 *
 * Returns: (transfer full): the line, without "\r" or newline
 */
char *
fp_cli_format_progress (guint    done,
                        guint    total,
                        double   rate,
                        double   seconds_left,
                        guint    width,
                        gboolean unicode)
{
  static const char *eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
  g_autofree char *left = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  double fraction = total > 0 ? MIN (1.0, (double) done / total) : 1.0;
  glong used;
  glong bar_width;
  int total_digits;

  if (rate < 0 || !isfinite (rate))
    rate = 0;
  if (done >= total)
    seconds_left = 0;

  left = format_duration (seconds_left);
  rate_text = g_strdup_printf (_("%.1f flags/s"), rate);
  left_text = g_strdup_printf (_("%s left"), left);
  /* Fixed-width numbers keep the bar from jumping as they grow: the count
   * as wide as the total, the rate as wide as "999.9". */
  total_digits = g_snprintf (NULL, 0, "%u", total);
  tail = g_strdup_printf ("| %*u/%u  %s%s  %s", total_digits, done, total,
                          rate < 9.95 ? "  " : rate < 99.95 ? " " : "",
                          rate_text, left_text);

  g_string_append_printf (line, "%3d%%|", (int) floor (fraction * 100));
  used = g_utf8_strlen (line->str, -1) + g_utf8_strlen (tail, -1);
  bar_width = CLAMP ((glong) width - 1 - used, 10, 60);

  if (unicode)
    {
      double cells = fraction * bar_width;
      glong full = (glong) floor (cells);
      int eighth = (int) floor ((cells - full) * 8);
      glong drawn = full;

      for (glong i = 0; i < full; i++)
        g_string_append (line, "█");
      if (full < bar_width && eighth > 0)
        {
          g_string_append (line, eighths[eighth]);
          drawn++;
        }
      for (glong i = drawn; i < bar_width; i++)
        g_string_append_c (line, ' ');
    }
  else
    {
      glong full = (glong) floor (fraction * bar_width);

      for (glong i = 0; i < bar_width; i++)
        g_string_append_c (line, i < full ? '#' : ' ');
    }

  g_string_append (line, tail);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static guint
terminal_width (void)
{
  struct winsize size;
  const char *columns;
  guint64 value;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  columns = g_getenv ("COLUMNS");
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 20, 1000, &value, NULL))
    return (guint) value;
  return 80;
}

/* @shown: whether to draw at all: on a terminal, and not with -v. */
void
fp_cli_progress_init (FpCliProgress *progress,
                      gboolean       shown)
{
  progress->shown = shown;
  progress->unicode = g_get_charset (NULL);
  progress->last_draw_us = 0;
}

/* Redraws the line for @run, unless it was drawn a moment ago and not @force. */
void
fp_cli_progress_draw (FpCliProgress *progress,
                      FpRun         *run,
                      gboolean       force)
{
  FpDownloadBatch *batch = fp_run_get_batch (run);
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;

  if (!progress->shown || batch == NULL)
    return;
  if (!force && now - progress->last_draw_us < PROGRESS_INTERVAL_US)
    return;
  progress->last_draw_us = now;

  line = fp_cli_format_progress (fp_download_batch_get_n_done (batch),
                                 fp_download_batch_get_n_total (batch),
                                 fp_download_batch_get_rate (batch),
                                 fp_download_batch_get_seconds_left (batch),
                                 terminal_width (),
                                 progress->unicode);
  /* "\033[K" clears what a longer earlier line left behind. */
  g_printerr ("\r%s\033[K", line);
}

/* The last drawing, and the line ended, so the report starts on its own. */
void
fp_cli_progress_end (FpCliProgress *progress,
                     FpRun         *run)
{
  if (!progress->shown)
    return;
  fp_cli_progress_draw (progress, run, TRUE);
  g_printerr ("\n");
}
