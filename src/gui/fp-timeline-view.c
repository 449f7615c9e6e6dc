/* fp-timeline-view.c — a lane per worker slot, a bar per request, drawn live
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-timeline-view"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "fp-timeline-drawing.h"
#include "fp-timeline-private.h"

/*
 * What the chapter's table only states, drawn: time runs left to right,
 * fitted to the width; each worker slot is a lane; each request a bar on
 * the lane of the slot that ran it, coloured by phase (connect, server
 * wait, receive). Above the lanes, the queue: how many requests still wait
 * for a worker, a block that shrinks as they are taken. Below, the disk
 * threads that checked and saved each flag. One at a time, a single lane
 * carries every bar end to end and the queue drains slowly; twenty at a
 * time, twenty lanes carry them side by side and the queue is gone at once.
 *
 * Drawing reads the batch's results (and, live, what each slot fetches now,
 * lock-free) when GTK asks for a frame; while a batch runs a tick callback
 * asks for a drawing 20 times a second, never once per request, however
 * many complete. Each drawing is of the whole view (the scale follows
 * "now", so every bar moves), 7 ms a frame with the cairo renderer: at
 * every frame it took most of the main thread while the batch ran. Hit-testing for the tooltip and keyboard focus uses the same
 * geometry (compute_layout()) as the drawing.
 */

G_DEFINE_FINAL_TYPE (FpTimelineView, fp_timeline_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_BATCH,
  PROP_DETAILS,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
ensure_order (FpTimelineView *self)
{
  if (self->results == NULL)
    return;
  if (self->order != NULL && self->order_len == self->results->len)
    return;

  g_clear_pointer (&self->order, g_array_unref);
  self->order = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->results->len);
  for (guint i = 0; i < self->results->len; i++)
    g_array_append_val (self->order, i);

  /* By start; those that never started go last. */
  for (guint i = 1; i < self->order->len; i++)
    {
      guint value = g_array_index (self->order, guint, i);
      gint64 key = fp_download_result_get_timeline (g_ptr_array_index (self->results, value))->started;
      guint j = i;

      if (key == FP_TIMELINE_NONE)
        key = G_MAXINT64;
      /* Insertion sort: results arrive almost in start order already. */
      while (j > 0)
        {
          gint64 other = fp_download_result_get_timeline (
            g_ptr_array_index (self->results, g_array_index (self->order, guint, j - 1)))->started;

          if (other == FP_TIMELINE_NONE)
            other = G_MAXINT64;
          if (other <= key)
            break;
          g_array_index (self->order, guint, j) = g_array_index (self->order, guint, j - 1);
          j--;
        }
      g_array_index (self->order, guint, j) = value;
    }
  self->order_len = self->results->len;
}

static char *
describe_result (FpDownloadResult *result)
{
  const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *facts = fp_download_timeline_describe (t, fp_download_result_get_size (result));

  /* TRANSLATORS: "BR on worker 3: downloaded" */
  g_string_append_printf (text, _("%s on worker %u: %s"), fp_download_result_get_code (result), t->slot,
                          fp_download_result_get_message (result));
  if (facts != NULL)
    g_string_append_printf (text, "\n%s", facts);
  for (FpDownloadPhase phase = FP_DOWNLOAD_PHASE_CONNECT; phase < FP_DOWNLOAD_N_PHASES; phase++)
    {
      gint64 start, end;

      if (fp_download_timeline_get_phase (t, phase, &start, &end))
        /* TRANSLATORS: "Server wait: 0.412 s to 1.433 s" */
        g_string_append_printf (text, _("\n%s: %.3f s to %.3f s"), fp_download_phase_get_label (phase),
                                start / 1e6, end / 1e6);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_details (FpTimelineView *self,
             char           *details)
{
  if (g_strcmp0 (self->details, details) == 0)
    {
      g_free (details);
      return;
    }
  g_free (self->details);
  self->details = details;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  details != NULL ? details : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAILS]);
}


static gboolean
query_tooltip_cb (FpTimelineView *self,
                  int             x,
                  int             y,
                  gboolean        keyboard_mode,
                  GtkTooltip     *tooltip)
{
  FpDownloadResult *result = NULL;
  g_autofree char *text = NULL;

  if (keyboard_mode)
    {
      if (self->details == NULL)
        return FALSE;
      gtk_tooltip_set_text (tooltip, self->details);
      return TRUE;
    }
  result = _fp_timeline_view_hit_test (self, x, y);
  if (result == NULL)
    return FALSE;
  text = describe_result (result);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
set_focused (FpTimelineView *self,
             int             index)
{
  ensure_order (self);
  if (self->order == NULL || self->order->len == 0)
    return;
  self->focused = CLAMP (index, 0, (int) self->order->len - 1);
  set_details (self, describe_result (g_ptr_array_index (self->results,
                                                         g_array_index (self->order, guint, self->focused))));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static const FpDownloadTimeline *
timeline_at (FpTimelineView *self,
             guint           k)
{
  return fp_download_result_get_timeline (g_ptr_array_index (self->results, g_array_index (self->order, guint, k)));
}

/* Up and Down: to the lane above or below (the next one with a request),
 * to the request that ran there when the focused one started, or the
 * nearest to it in time. */
static void
focus_lane (FpTimelineView *self,
            int             direction)
{
  const FpDownloadTimeline *from;

  ensure_order (self);
  if (self->order == NULL || self->order->len == 0)
    return;
  if (self->focused < 0)
    {
      set_focused (self, 0);
      return;
    }

  from = timeline_at (self, (guint) self->focused);
  for (int slot = (int) from->slot + direction; slot >= 1 && slot <= (int) self->n_slots; slot += direction)
    {
      int best = -1;
      gint64 best_distance = G_MAXINT64;

      for (guint k = 0; k < self->order->len; k++)
        {
          const FpDownloadTimeline *t = timeline_at (self, k);
          gint64 distance;

          if ((int) t->slot != slot || t->started == FP_TIMELINE_NONE)
            continue;
          if (t->started <= from->started && from->started <= t->finished)
            distance = 0;
          else
            distance = ABS (t->started - from->started);
          if (distance < best_distance)
            {
              best = (int) k;
              best_distance = distance;
            }
        }
      if (best >= 0)
        {
          set_focused (self, best);
          return;
        }
    }
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FpTimelineView        *self)
{
  switch (keyval)
    {
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      set_focused (self, self->focused + 1);
      return TRUE;
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      set_focused (self, self->focused < 0 ? 0 : self->focused - 1);
      return TRUE;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      focus_lane (self, -1);
      return TRUE;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      focus_lane (self, +1);
      return TRUE;
    case GDK_KEY_Home:
      set_focused (self, 0);
      return TRUE;
    case GDK_KEY_End:
      set_focused (self, G_MAXINT);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            FpTimelineView  *self)
{
  FpDownloadResult *result = _fp_timeline_view_hit_test (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  ensure_order (self);
  if (result == NULL || self->order == NULL)
    return;
  for (guint k = 0; k < self->order->len; k++)
    if (g_ptr_array_index (self->results, g_array_index (self->order, guint, k)) == result)
      set_focused (self, (int) k);
}

#define LIVE_INTERVAL_US (50 * 1000)

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (widget);
  gint64 now = gdk_frame_clock_get_frame_time (frame_clock);
  gboolean live = _fp_timeline_view_is_live (self);

  ensure_order (self);
  /* The last drawing, once the batch is over, is never skipped. */
  if (!live || now - self->live_drawn_us >= LIVE_INTERVAL_US || now < self->live_drawn_us)
    {
      self->live_drawn_us = now;
      gtk_widget_queue_draw (widget);
    }
  if (live)
    return G_SOURCE_CONTINUE;

  /* The last frame, then rest. */
  self->tick_id = 0;
  self->elapsed_s = self->batch != NULL ? fp_download_batch_get_elapsed (self->batch) : self->elapsed_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
  return G_SOURCE_REMOVE;
}

static void
batch_running_cb (FpDownloadBatch *batch,
                  GParamSpec      *pspec,
                  FpTimelineView  *self)
{
  if (fp_download_batch_get_running (batch) && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
drop_source (FpTimelineView *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->record);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->order, g_array_unref);
  self->order_len = 0;
  self->focused = -1;
  self->n_slots = 0;
  self->n_total = 0;
  self->elapsed_s = 0;
}

static void
fp_timeline_view_dispose (GObject *object)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (object);

  drop_source (self);
  g_clear_pointer (&self->details, g_free);

  G_OBJECT_CLASS (fp_timeline_view_parent_class)->dispose (object);
}

static void
fp_timeline_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FpTimelineView *self = FP_TIMELINE_VIEW (object);

  switch (prop_id)
    {
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, self->details);
      break;
    case PROP_LIVE:
      g_value_set_boolean (value, _fp_timeline_view_is_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_timeline_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_BATCH:
      fp_timeline_view_set_batch (FP_TIMELINE_VIEW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_timeline_view_class_init (FpTimelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_timeline_view_dispose;
  object_class->get_property = fp_timeline_view_get_property;
  object_class->set_property = fp_timeline_view_set_property;
  widget_class->snapshot = _fp_timeline_view_snapshot;
  widget_class->measure = _fp_timeline_view_measure;
  widget_class->get_request_mode = _fp_timeline_view_get_request_mode;

  properties[PROP_BATCH] =
    g_param_spec_object ("batch", NULL, NULL, FP_TYPE_DOWNLOAD_BATCH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FpTimelineView:details:
   *
   * The request under keyboard focus, for a person: its code, worker,
   * phases and outcome.
   */
  properties[PROP_DETAILS] =
    g_param_spec_string ("details", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fptimelineview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fp_timeline_view_init (FpTimelineView *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->focused = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect_swapped (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline of the downloads: a lane per worker, a bar per request; "
                                    "Left and Right go from request to request, Up and Down from lane to lane"), -1);
}

GtkWidget *
fp_timeline_view_new (void)
{
  return g_object_new (FP_TYPE_TIMELINE_VIEW, NULL);
}

/**
 * fp_timeline_view_set_batch:
 * @batch: (nullable): a batch, running or about to, or done
 *
 * Shows @batch's timeline, live while it runs.
 */
void
fp_timeline_view_set_batch (FpTimelineView  *self,
                            FpDownloadBatch *batch)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));
  g_return_if_fail (batch == NULL || FP_IS_DOWNLOAD_BATCH (batch));

  if (self->batch == batch && batch != NULL)
    return;
  drop_source (self);
  if (batch != NULL)
    {
      self->batch = g_object_ref (batch);
      self->results = g_ptr_array_ref (fp_download_batch_get_results (batch));
      self->n_slots = fp_download_batch_get_workers (batch);
      self->n_total = fp_download_batch_get_n_total (batch);
      self->elapsed_s = fp_download_batch_get_elapsed (batch);
      g_signal_connect (batch, "notify::running", G_CALLBACK (batch_running_cb), self);
      batch_running_cb (batch, NULL, self);
    }
  set_details (self, NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
}

FpDownloadBatch *
fp_timeline_view_get_batch (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), NULL);
  return self->batch;
}

/**
 * fp_timeline_view_set_record:
 * @record: (nullable): a run from the history
 *
 * Shows a run that ended, as it happened.
 */
void
fp_timeline_view_set_record (FpTimelineView *self,
                             FpRunRecord    *record)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));

  drop_source (self);
  if (record != NULL)
    {
      self->record = g_object_ref (record);
      self->results = g_ptr_array_ref (fp_run_record_get_results (record));
      self->n_slots = fp_run_record_get_workers (record);
      self->n_total = fp_run_record_get_n_requested (record);
      self->elapsed_s = fp_run_record_get_elapsed (record);
    }
  ensure_order (self);
  set_details (self, NULL);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

void
fp_timeline_view_clear (FpTimelineView *self)
{
  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));
  fp_timeline_view_set_record (self, NULL);
}

/* Returns: (nullable): what the focused request did, for a person. */
const char *
fp_timeline_view_get_details (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), NULL);
  return self->details;
}

gboolean
fp_timeline_view_get_live (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), FALSE);
  return _fp_timeline_view_is_live (self);
}

guint
fp_timeline_view_get_n_slots (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), 0);
  return self->n_slots;
}

/* Returns: how many times it was drawn: a test counts frames, not requests. */
guint
fp_timeline_view_get_n_frames (FpTimelineView *self)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), 0);
  return self->n_frames;
}

/**
 * fp_timeline_view_get_stats:
 *
 * The live figures of what it shows: in flight now, done per second,
 * mean time per request, Little's law.
 */
void
fp_timeline_view_get_stats (FpTimelineView  *self,
                            FpTimelineStats *stats)
{
  guint in_flight = 0;
  gint64 busy = 0, now;

  g_return_if_fail (FP_IS_TIMELINE_VIEW (self));

  now = _fp_timeline_view_now_us (self);
  if (_fp_timeline_view_is_live (self))
    for (guint slot = 1; slot <= self->n_slots; slot++)
      {
        gint64 since;

        if (fp_download_batch_peek_slot (self->batch, slot, NULL, &since))
          {
            in_flight++;
            busy += MAX (now - since, 0);
          }
      }
  fp_timeline_stats_compute (stats, self->results, in_flight, busy, now);
}

/* Returns: whether @code is shown; it then has the keyboard focus's mark. */
gboolean
fp_timeline_view_focus_request (FpTimelineView *self,
                                const char     *code)
{
  g_return_val_if_fail (FP_IS_TIMELINE_VIEW (self), FALSE);

  ensure_order (self);
  for (guint k = 0; self->order != NULL && k < self->order->len; k++)
    if (g_strcmp0 (fp_download_result_get_code (g_ptr_array_index (self->results,
                                                                   g_array_index (self->order, guint, k))),
                   code) == 0)
      {
        set_focused (self, (int) k);
        return TRUE;
      }
  return FALSE;
}
