/* fp-run-status.c — the band above the flag grid: a run's progress, then its summary
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-status"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-run-status-private.h"
#include "fp-run-text.h"

/* How often the rate and the time left are refreshed between completions. */
#define TICK_INTERVAL_MS 500

struct _FpRunStatus
{
  GtkWidget parent_instance;

  GtkImage *status_icon;
  GtkLabel *status_title;
  GtkLabel *status_detail;
  GtkProgressBar *progress_bar;
  GtkButton *dismiss_button;
  GtkWidget *labels_box;

  FpRun *run;
  guint tick_id;
  guint progress_tick_id;        /* a frame's tick callback, while an update waits */
  gint64 progress_text_time;     /* when the progress words last changed */
  guint progress_text_source;    /* the words' next change, when one waits */
  char *summary;
};

G_DEFINE_FINAL_TYPE (FpRunStatus, fp_run_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RUN,
  PROP_SUMMARY,
  N_PROPS
};

enum {
  DISMISSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define PROGRESS_TEXT_INTERVAL_US (250 * 1000)

static void update_progress (FpRunStatus *self);

static gboolean
progress_text_timeout_cb (gpointer user_data)
{
  FpRunStatus *self = user_data;

  self->progress_text_source = 0;
  if (self->run != NULL && fp_run_get_running (self->run))
    update_progress (self);
  return G_SOURCE_REMOVE;
}

/* TRUE when the progress words may change now; else the last change is
 * made once the interval is over, so the words never stay behind. */
static gboolean
progress_text_due (FpRunStatus *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = self->progress_text_time + PROGRESS_TEXT_INTERVAL_US - now;

  if (wait <= 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->progress_text_time = now;
      g_clear_handle_id (&self->progress_text_source, g_source_remove);
      return TRUE;
    }
  if (self->progress_text_source == 0)
    self->progress_text_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (wait / 1000) + 1,
                                                     progress_text_timeout_cb, self, NULL);
  return FALSE;
}

static void
update_progress (FpRunStatus *self)
{
  g_autofree char *title = NULL;
  g_autofree char *detail = NULL;

  /* The bar moves every frame (it only allocates itself again); the words,
   * which make GTK measure the window again and ask the X server for the
   * work area, change a few times a second: as often as a person reads.
   * Side by side, the layout phase of a batch took 241 ms with words in
   * every frame and 84 ms with this. */
  gtk_progress_bar_set_fraction (self->progress_bar, fp_run_get_fraction (self->run));
  if (!progress_text_due (self))
    return;

  title = fp_run_text_dup_progress_title (self->run);
  detail = fp_run_text_dup_progress_detail (self->run);
  gtk_label_set_label (self->status_title, title);
  gtk_label_set_label (self->status_detail, detail);
}

static void
cancel_progress_update (FpRunStatus *self)
{
  if (self->progress_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->progress_tick_id);
  self->progress_tick_id = 0;
  g_clear_handle_id (&self->progress_text_source, g_source_remove);
  self->progress_text_time = 0;
}

static gboolean
progress_tick_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  FpRunStatus *self = FP_RUN_STATUS (widget);

  self->progress_tick_id = 0;
  if (self->run != NULL)
    update_progress (self);

  return G_SOURCE_REMOVE;
}

/*
 * A batch without latency completes hundreds of downloads a second, more
 * than one per frame: new text in the status labels makes GTK measure the
 * window again, so the labels change at most once a frame, in the frame
 * that draws them. A band off screen has no frames and updates at once.
 */
static void
queue_progress_update (FpRunStatus *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      update_progress (self);
      return;
    }

  if (self->progress_tick_id == 0)
    self->progress_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), progress_tick_cb, NULL, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  FpRunStatus *self = user_data;

  if (self->run != NULL)
    queue_progress_update (self);

  return G_SOURCE_CONTINUE;
}

#define ROW_SPACING 12

/* The labels leave room for the icon and the button laid over them. */
static void
update_margins (FpRunStatus *self)
{
  GtkWidget *icon = GTK_WIDGET (self->status_icon);
  GtkWidget *button = GTK_WIDGET (self->dismiss_button);
  int width = 0;

  if (gtk_widget_get_visible (icon))
    gtk_widget_measure (icon, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_set_margin_start (self->labels_box, width > 0 ? width + ROW_SPACING : 0);

  width = 0;
  if (gtk_widget_get_visible (button))
    gtk_widget_measure (button, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  gtk_widget_set_margin_end (self->labels_box, width > 0 ? width + ROW_SPACING : 0);
}

static void
set_summary (FpRunStatus *self,
             const char  *icon_name,
             const char  *style,
             const char  *title,
             const char  *detail)
{
  static const char * const styles[] = { "success", "warning", "error", "dim-label" };
  GtkWidget *icon = GTK_WIDGET (self->status_icon);

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (icon, styles[i]);

  gtk_label_set_label (self->status_title, title);
  gtk_label_set_label (self->status_detail, detail);
  gtk_widget_set_visible (icon, icon_name != NULL);
  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->status_icon, icon_name);
      gtk_widget_add_css_class (icon, style);
    }
  update_margins (self);

  /* While a batch runs there is no outcome to tell yet. */
  g_free (self->summary);
  self->summary = icon_name != NULL ? g_strconcat (title, "\n", detail, NULL) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/**
 * fp_run_status_show_failure:
 * @title: what could not be done
 * @reason: why, for a person
 *
 * Shows an error in place of a summary, without a progress bar.
 */
void
fp_run_status_show_failure (FpRunStatus *self,
                            const char  *title,
                            const char  *reason)
{
  g_return_if_fail (FP_IS_RUN_STATUS (self));

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  set_summary (self, "dialog-error-symbolic", "error", title, reason);
}

static void
dismiss_clicked_cb (GtkButton   *button,
                    FpRunStatus *self)
{
  g_signal_emit (self, signals[DISMISSED], 0);
}

static void
run_download_completed_cb (FpRun            *run,
                           FpDownloadResult *result,
                           FpRunStatus      *self)
{
  queue_progress_update (self);
}

static void
run_cancelling_cb (FpRun       *run,
                   GParamSpec  *pspec,
                   FpRunStatus *self)
{
  if (fp_run_get_cancelling (run))
    update_progress (self);
}

static void
run_running_cb (FpRun       *run,
                GParamSpec  *pspec,
                FpRunStatus *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->dismiss_button), !fp_run_get_running (run));
  update_margins (self);
}

static void
run_finished_cb (FpRun       *run,
                 FpRunStatus *self)
{
  g_auto(FpRunSummary) summary = { 0 };

  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* The bar ends where the batch did, whatever update was still waiting. */
  cancel_progress_update (self);
  update_progress (self);

  fp_run_text_summarize (run, &summary);
  if (fp_run_get_state (run) == FP_RUN_STATE_FAILED)
    {
      fp_run_status_show_failure (self, summary.title, summary.detail);
      return;
    }

  if (fp_run_get_state (run) == FP_RUN_STATE_FINISHED)
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  set_summary (self, summary.icon_name, summary.style, summary.title, summary.detail);
}

static void
stop_following (FpRunStatus *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  cancel_progress_update (self);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
}

/**
 * fp_run_status_set_run:
 * @run: (nullable): a run, best just started (it then knows how many
 *   downloads go at once), or %NULL for none
 *
 * Follows @run from its start to its summary.
 */
void
fp_run_status_set_run (FpRunStatus *self,
                       FpRun       *run)
{
  g_return_if_fail (FP_IS_RUN_STATUS (self));
  g_return_if_fail (run == NULL || FP_IS_RUN (run));

  if (self->run == run)
    return;

  stop_following (self);
  if (run != NULL)
    {
      self->run = g_object_ref (run);
      g_signal_connect_object (run, "download-completed", G_CALLBACK (run_download_completed_cb), self, 0);
      g_signal_connect_object (run, "notify::cancelling", G_CALLBACK (run_cancelling_cb), self, 0);
      g_signal_connect_object (run, "notify::running", G_CALLBACK (run_running_cb), self, 0);
      g_signal_connect_object (run, "finished", G_CALLBACK (run_finished_cb), self, 0);

      set_summary (self, NULL, NULL, "", "");
      gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
      run_running_cb (run, NULL, self);
      update_progress (self);
      self->tick_id = g_timeout_add (TICK_INTERVAL_MS, tick_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUN]);
}

FpRun *
fp_run_status_get_run (FpRunStatus *self)
{
  g_return_val_if_fail (FP_IS_RUN_STATUS (self), NULL);
  return self->run;
}

/* The last outcome: its title and detail, one line each, or NULL while none. */
const char *
fp_run_status_get_summary (FpRunStatus *self)
{
  g_return_val_if_fail (FP_IS_RUN_STATUS (self), NULL);
  return self->summary;
}

/* The first line as shown, as in "13 of 20 flags". */
const char *
fp_run_status_get_progress_text (FpRunStatus *self)
{
  g_return_val_if_fail (FP_IS_RUN_STATUS (self), NULL);
  return gtk_label_get_label (self->status_title);
}

double
fp_run_status_get_fraction (FpRunStatus *self)
{
  g_return_val_if_fail (FP_IS_RUN_STATUS (self), 0.0);
  return gtk_progress_bar_get_fraction (self->progress_bar);
}

static void
fp_run_status_dispose (GObject *object)
{
  FpRunStatus *self = FP_RUN_STATUS (object);
  GtkWidget *child;

  stop_following (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_RUN_STATUS);
  /* The template's top box has no name, so it is this widget's to let go. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fp_run_status_parent_class)->dispose (object);
}

static void
fp_run_status_finalize (GObject *object)
{
  FpRunStatus *self = FP_RUN_STATUS (object);

  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (fp_run_status_parent_class)->finalize (object);
}

static void
fp_run_status_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FpRunStatus *self = FP_RUN_STATUS (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_run_status_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FpRunStatus *self = FP_RUN_STATUS (object);

  switch (prop_id)
    {
    case PROP_RUN:
      fp_run_status_set_run (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Measured before the band was in a window, the icon and the button had
 * no style yet: their room is taken again once it is shown. */
static void
fp_run_status_map (GtkWidget *widget)
{
  update_margins (FP_RUN_STATUS (widget));
  GTK_WIDGET_CLASS (fp_run_status_parent_class)->map (widget);
}

static void
fp_run_status_class_init (FpRunStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_run_status_dispose;
  object_class->finalize = fp_run_status_finalize;
  object_class->get_property = fp_run_status_get_property;
  object_class->set_property = fp_run_status_set_property;
  widget_class->map = fp_run_status_map;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL, FP_TYPE_RUN,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FpRunStatus::dismissed:
   *
   * The close button was pressed: whoever shows the band may hide it.
   */
  signals[DISMISSED] =
    g_signal_new ("dismissed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-run-status.ui");
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, status_title);
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, status_detail);
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, FpRunStatus, labels_box);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_clicked_cb);
}

static void
fp_run_status_init (FpRunStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
