/* fp-run-text.c — what the window says about a run: its progress and its summary, in words
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-text"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fp-run-text.h"

/*
 * The facts are the run's (fp-run.c); the words are here, once, so the
 * window only puts them in labels and a notification. Nothing here keeps
 * state.
 */

static char *
format_counts (FpRun *run)
{
  guint n_ok = fp_run_get_n_ok (run);
  guint n_not_found = fp_run_get_n_not_found (run);
  guint n_error = fp_run_get_n_error (run);
  g_autofree char *ok = NULL;
  g_autofree char *not_found = NULL;
  g_autofree char *errors = NULL;

  ok = g_strdup_printf (ngettext ("%u flag downloaded", "%u flags downloaded", n_ok), n_ok);
  /* Translators: flags the server does not have (HTTP 404) */
  not_found = g_strdup_printf (ngettext ("%u not found", "%u not found", n_not_found), n_not_found);
  errors = g_strdup_printf (ngettext ("%u error", "%u errors", n_error), n_error);

  /* Translators: the book's final report, as in “20 flags downloaded, 1 not found, 2 errors” */
  return g_strdup_printf (_("%s, %s, %s"), ok, not_found, errors);
}

static char *
format_time_left (double seconds)
{
  guint n;

  if (seconds < 0)
    return NULL;

  if (seconds < 1.0)
    return g_strdup (_("less than a second left"));

  n = (guint) ceil (seconds);
  if (n < 60)
    return g_strdup_printf (ngettext ("about %u second left", "about %u seconds left", n), n);

  n = (n + 59) / 60;
  return g_strdup_printf (ngettext ("about %u minute left", "about %u minutes left", n), n);
}

static char *
format_workers (FpRun *run)
{
  guint workers = fp_run_get_workers (run);

  if (fp_batch_config_get_strategy (fp_run_get_config (run)) == FP_DOWNLOAD_STRATEGY_SEQUENTIAL ||
      workers <= 1)
    return g_strdup (_("One at a time"));

  /* Translators: how many downloads the thread pool runs at once */
  return g_strdup_printf (ngettext ("%u at a time", "%u at a time", workers), workers);
}

static char *
format_speed_up (double ratio)
{
  if (ratio <= 0)
    return NULL;

  if (ratio >= 10)
    /* Translators: the speed-up of the thread pool, as in “14× faster than one at a time” */
    return g_strdup_printf (_("%.0f× faster than one at a time"), ratio);
  if (ratio >= 1)
    return g_strdup_printf (_("%.1f× faster than one at a time"), ratio);

  /* Translators: the thread pool was slower, as in “1.3× slower than one at a time” */
  return g_strdup_printf (_("%.1f× slower than one at a time"), 1.0 / ratio);
}

/**
 * fp_run_text_dup_progress_title:
 *
 * Returns: (transfer full): the progress, as in “13 of 20 flags”; only
 *   the downloads that got an answer count, so a cancel does not fill it
 */
char *
fp_run_text_dup_progress_title (FpRun *run)
{
  guint n_total = fp_run_get_n_total (run);

  /* Translators: progress of a batch, as in “13 of 20 flags” */
  return g_strdup_printf (ngettext ("%u of %u flag", "%u of %u flags", n_total),
                          fp_run_get_n_answered (run), n_total);
}

/**
 * fp_run_text_dup_progress_detail:
 *
 * Returns: (transfer full): how it goes, as in “20 at a time · 5.0 flags/s
 *   · about 2 seconds left”, or “Cancelling…”
 */
char *
fp_run_text_dup_progress_detail (FpRun *run)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint n_total = fp_run_get_n_total (run);
  guint n_done = fp_run_get_n_answered (run);
  double rate = fp_run_get_rate (run);

  if (fp_run_get_cancelling (run))
    g_ptr_array_add (parts, g_strdup (_("Cancelling…")));
  else
    {
      g_ptr_array_add (parts, format_workers (run));
      if (n_done > 0 && rate > 0)
        {
          /* Translators: the download rate; “/s” is “per second” */
          g_ptr_array_add (parts, g_strdup_printf (_("%.1f flags/s"), rate));
        }
      if (n_done > 0 && n_done < n_total)
        {
          char *left = format_time_left (fp_run_get_seconds_left (run));
          if (left != NULL)
            g_ptr_array_add (parts, left);
        }
    }
  g_ptr_array_add (parts, NULL);
  /* Translators: the separator between the parts of the progress detail */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

/**
 * fp_run_text_summarize:
 * @run: a run that ended
 * @summary: (out caller-allocates): its summary; clear it with fp_run_summary_clear()
 *
 * What the book's final_report says, with the speed-up when the same
 * work ran one at a time before.
 */
void
fp_run_text_summarize (FpRun        *run,
                       FpRunSummary *summary)
{
  g_autofree char *counts = NULL;
  g_autofree char *elapsed_text = NULL;
  guint n_total = fp_run_get_n_total (run);

  memset (summary, 0, sizeof *summary);

  if (fp_run_get_state (run) == FP_RUN_STATE_FAILED)
    {
      const GError *error = fp_run_get_error (run);

      summary->icon_name = "dialog-error-symbolic";
      summary->style = "error";
      summary->title = g_strdup (_("Could not download the flags"));
      summary->detail = g_strdup (error->message);
      summary->notification_title = _("Download Failed");
      summary->notification_body = g_strdup (error->message);
      return;
    }

  counts = format_counts (run);
  /* Translators: the book's “Elapsed time: 0.42s” */
  elapsed_text = g_strdup_printf (_("Elapsed time: %.2f s"), fp_run_get_elapsed (run));

  if (fp_run_get_state (run) == FP_RUN_STATE_CANCELLED)
    {
      summary->icon_name = "media-playback-stop-symbolic";
      summary->style = "dim-label";
      /* Translators: the batch was cancelled, as in “Cancelled after 7 of 20 flags” */
      summary->title = g_strdup_printf (ngettext ("Cancelled after %u of %u flag",
                                                  "Cancelled after %u of %u flags", n_total),
                                        fp_run_get_n_answered (run), n_total);
      summary->detail = g_strconcat (counts, _(" · "), elapsed_text, NULL);
      summary->notification_title = _("Download Cancelled");
      summary->notification_body = g_strconcat (summary->title, "\n", summary->detail, NULL);
      return;
    }

  {
    g_autofree char *speed_up = format_speed_up (fp_run_get_speed_up (run));

    summary->icon_name = "emblem-ok-symbolic";
    summary->style = "success";
    if (fp_run_get_n_error (run) > 0)
      {
        summary->icon_name = "dialog-warning-symbolic";
        summary->style = "warning";
      }
    else if (fp_run_get_n_ok (run) == 0)
      {
        summary->icon_name = "action-unavailable-symbolic";
        summary->style = "warning";
      }

    summary->title = g_strdup (counts);
    if (speed_up != NULL)
      /* Translators: the separator between the elapsed time and the speed-up */
      summary->detail = g_strconcat (elapsed_text, _(" · "), speed_up, NULL);
    else
      summary->detail = g_strdup (elapsed_text);
    summary->notification_title = _("Download Finished");
    summary->notification_body = g_strconcat (counts, "\n", summary->detail, NULL);
  }
}

void
fp_run_summary_clear (FpRunSummary *summary)
{
  g_clear_pointer (&summary->title, g_free);
  g_clear_pointer (&summary->detail, g_free);
  g_clear_pointer (&summary->notification_body, g_free);
}
