/* fp-window-run.c — the window's batch: started from the selection, followed while it runs, told when it ends
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-run-insights.h"
#include "fp-run-status.h"
#include "fp-run-text.h"
#include "fp-window-private.h"

/*
 * The application makes each FpRun from the settings; the window hands it
 * to the models and widgets that show it (the rows, the grid, the status
 * band, the Timeline and History pages), starts it, and when it ends tells
 * the user what happened, with the way to Preferences when a setting is
 * at fault.
 */

static void
show_toast (FpWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

gboolean
_fp_window_get_running (FpWindow *self)
{
  return self->run != NULL && fp_run_get_running (self->run);
}

static void
open_preferences_cb (AdwToast *toast,
                     FpWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "app.preferences", NULL);
}

static void
show_failure (FpWindow   *self,
              const char *title,
              const char *reason)
{
  AdwToast *toast;

  fp_run_status_show_failure (self->run_status, title, reason);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);

  /* Most failures are a setting (folder, source): offer the way to fix it. */
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Preferences"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (open_preferences_cb), self, 0);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
run_download_completed_cb (FpRun            *run,
                           FpDownloadResult *result,
                           FpWindow         *self)
{
  fp_flag_grid_add_result (self->flag_grid, result);
}

void
_fp_window_update_retry_action (FpWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry-failed",
                                 !_fp_window_get_running (self) && fp_country_list_get_n_failed (self->countries) > 0);
}

static void
run_finished_cb (FpRun    *run,
                 FpWindow *self)
{
  FpApplication *app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_auto(FpRunSummary) summary = { 0 };

  fp_flag_grid_end_batch (self->flag_grid);

  /* The band shows the summary itself; a failure also offers Preferences. */
  fp_run_text_summarize (run, &summary);
  if (fp_run_get_state (run) == FP_RUN_STATE_FAILED || summary.unreachable)
    show_failure (self, summary.title, summary.detail);
  if (summary.unreachable)
    fp_flag_grid_show_unreachable (self->flag_grid, summary.title, summary.detail);

  if (self->destination_pending)
    {
      self->destination_pending = FALSE;
      _fp_window_apply_destination (self);
    }

  if (app != NULL)
    fp_application_batch_finished (app, GTK_WINDOW (self), summary.notification_title,
                                   summary.notification_body);
}

static void
run_running_cb (FpRun      *run,
                GParamSpec *pspec,
                FpWindow   *self)
{
  /* At once: a crossfade would show a greyed Download while the batch runs. */
  gtk_stack_set_visible_child_full (self->action_stack, fp_run_get_running (run) ? "cancel" : "download",
                                    GTK_STACK_TRANSITION_TYPE_NONE);
  _fp_window_update_retry_action (self);
  g_object_notify (G_OBJECT (self), "running");
}

static void
set_run (FpWindow *self,
         FpRun    *run)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  g_object_notify (G_OBJECT (self), "run");
}

/**
 * fp_window_start_download:
 *
 * Starts a batch of the selected codes with the settings as they are now.
 * Does nothing while a batch runs.
 */
static void
start_codes (FpWindow           *self,
             const char * const *codes,
             gboolean            retry)
{
  FpApplication *app;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpRun) run = NULL;

  app = FP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_return_if_fail (app != NULL);

  run = fp_application_new_run (app, codes, &error);
  if (run == NULL)
    {
      show_failure (self, _("Could not start the download"), error->message);
      return;
    }

  set_run (self, run);
  self->destination_pending = FALSE;
  if (retry)
    fp_country_list_follow_retry (self->countries, run);
  else
    fp_country_list_follow_run (self->countries, run);
  fp_flag_grid_begin_batch (self->flag_grid);
  g_signal_connect_object (run, "download-completed", G_CALLBACK (run_download_completed_cb), self, 0);
  g_signal_connect_object (run, "finished", G_CALLBACK (run_finished_cb), self, 0);
  g_signal_connect_object (run, "notify::running", G_CALLBACK (run_running_cb), self, 0);

  _fp_window_apply_destination (self);
  /* The Timeline page draws it; the history keeps it and knows its speed-up. */
  fp_run_insights_follow_run (self->insights, run);
  /* Its news comes from the main loop, so the band can follow it from here:
   * started, the run knows how many downloads go at once. */
  fp_run_start (run);
  fp_run_status_set_run (self->run_status, run);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);

  /* On a narrow window the list covers the grid; the point now is the grid. */
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
}

void
fp_window_start_download (FpWindow *self)
{
  g_auto(GStrv) codes = NULL;

  g_return_if_fail (FP_IS_WINDOW (self));

  if (_fp_window_get_running (self))
    return;

  codes = fp_country_list_dup_selected_codes (self->countries);
  if (codes[0] == NULL)
    {
      show_toast (self, _("Select at least one country to download"));
      return;
    }

  start_codes (self, (const char * const *) codes, FALSE);
}

/**
 * fp_window_retry_failed:
 *
 * Downloads again only the codes that failed in the last batch, with the
 * settings as they are now; the other rows keep what they got.
 */
void
fp_window_retry_failed (FpWindow *self)
{
  g_auto(GStrv) codes = NULL;

  g_return_if_fail (FP_IS_WINDOW (self));

  if (_fp_window_get_running (self))
    return;

  codes = fp_country_list_dup_failed_codes (self->countries);
  if (codes[0] == NULL)
    return;

  start_codes (self, (const char * const *) codes, TRUE);
}

/**
 * fp_window_cancel_download:
 *
 * Cancels the running batch: queued downloads never start, running ones
 * abort; the summary then says what finished.
 */
void
fp_window_cancel_download (FpWindow *self)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  if (self->run != NULL)
    fp_run_cancel (self->run);
}
