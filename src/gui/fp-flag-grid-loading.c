/* fp-flag-grid-loading.c — how flags enter the grid: decoded off the main thread, in order, a chunk a frame
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-grid"

#include "config.h"

#include "fp-flag-folder.h"
#include "fp-flag-grid-private.h"
#include "fp-flag-tile-private.h"

/*
 * GTK 4.8's grid view makes a tile for every flag within 30 rows, at about
 * 0.1 ms each, as soon as the flag enters the model. So flags enter a
 * chunk per frame, sized to take about this long: a batch that finishes
 * hundreds of flags at once neither holds the main loop nor stops the
 * drawing, and the grid still fills at the pace of the frames even when
 * drawing is slow. Each chunk goes in from an idle of its own, armed by
 * the frame clock and run just after the frame, above the priority of
 * redraws and below that of input: the frame that lays out and draws the
 * new tiles and the making of the next ones are two turns of the main
 * loop, with a click let in between, rather than one long one.
 */
#define FLUSH_PRIORITY (G_PRIORITY_HIGH_IDLE + 10)
/* Half of what it was: the frames after a 4 ms chunk were the window's
 * longest of a batch after the click's. bench-responsiveness (cairo, 7
 * runs A B, load 1.5): the timer's 99th percentile 12.2 -> 8.8 ms, its
 * longest 16.9 -> 15.5 ms; the grid full at 0.64 s instead of 0.41 s,
 * with the batch over at 0.33 s either way. 1.2 ms did no better. */
#define FLUSH_BUDGET_US 2000
#define MIN_CHUNK 4
#define MAX_CHUNK 32

/*
 * Most of what a new tile costs comes after the flush, in the next frame:
 * its style (4 CSS nodes, 0.3 ms a tile in GTK 4.8), its layout and its
 * drawing. A flush that made 32 tiles took 1 ms and left a 10 ms frame.
 * So the budget counts each tile the flush made at this much more; flags
 * that make no tile (beyond the rows the grid keeps) go in at the cost of
 * the model alone.
 */
#define TILE_LATER_US 300

static gboolean flush_pending (FpFlagGrid *self);

static PendingLoad *
pending_load_new (FpFlagGrid *self,
                  const char *code)
{
  PendingLoad *load = g_atomic_rc_box_new0 (PendingLoad);

  load->grid = self;
  load->code = g_strdup (code);
  return load;
}

static void
pending_load_clear (PendingLoad *load)
{
  g_clear_pointer (&load->code, g_free);
  g_clear_object (&load->flag_file);
}

static void
pending_load_unref (PendingLoad *load)
{
  g_atomic_rc_box_release_full (load, (GDestroyNotify) pending_load_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PendingLoad, pending_load_unref)

static gboolean flush_idle_cb (gpointer user_data);

static void
add_flush_idle (FpFlagGrid *self,
                int         priority)
{
  if (self->flush_source != 0)
    return;

  self->flush_source = g_idle_add_full (priority, flush_idle_cb, self, NULL);
  g_source_set_name_by_id (self->flush_source, "[flagpole] flush flag grid");
}

static gboolean
flush_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  /* One chunk a frame: the idle runs once this frame is drawn. */
  add_flush_idle (FP_FLAG_GRID (widget), FLUSH_PRIORITY);
  return G_SOURCE_CONTINUE;
}

/* On screen, a chunk a frame (see FLUSH_PRIORITY); off screen there are
 * no frames, and chunks go in after whatever else the main loop has to do. */
static void
schedule_flush (FpFlagGrid *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      add_flush_idle (self, G_PRIORITY_DEFAULT_IDLE);
      return;
    }

  if (self->flush_tick == 0)
    {
      self->flush_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), flush_tick_cb, NULL, NULL);
      /* The first chunk need not wait for a frame. */
      add_flush_idle (self, FLUSH_PRIORITY);
    }
}

static void
stop_flushing (FpFlagGrid *self)
{
  g_clear_handle_id (&self->flush_source, g_source_remove);
  if (self->flush_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->flush_tick);
  self->flush_tick = 0;
}

static gboolean
flush_idle_cb (gpointer user_data)
{
  FpFlagGrid *self = user_data;

  self->flush_source = 0;
  if (flush_pending (self))
    schedule_flush (self);
  else
    stop_flushing (self);

  return G_SOURCE_REMOVE;
}

static void
flag_loaded_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PendingLoad) load = user_data;
  g_autoptr(GError) error = NULL;

  load->flag_file = fp_flag_file_load_finish (result, &error);
  load->done = TRUE;

  if (load->grid == NULL)
    return;

  /* A file that vanished or is not an image has no tile; the download's
   * status already told the user about any failure. */
  if (load->flag_file == NULL)
    g_debug ("No thumbnail for %s: %s", load->code, error->message);

  schedule_flush (load->grid);
}

static void
start_load (FpFlagGrid  *self,
            PendingLoad *load,
            GFile       *file)
{
  fp_flag_file_load_async (file,
                           self->cancellable,
                           flag_loaded_cb,
                           g_atomic_rc_box_acquire (load));
}

static void
append_to_model (FpFlagGrid *self,
                 GPtrArray  *ready)
{
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GHashTable) last_of_code = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_flags;

  /* A code that arrives twice in one flush keeps only its newest flag. */
  for (guint i = 0; i < ready->len; i++)
    {
      FpFlagFile *flag_file = g_ptr_array_index (ready, i);
      g_hash_table_insert (last_of_code, (gpointer) fp_flag_file_get_code (flag_file), flag_file);
    }

  for (guint i = 0; i < ready->len; i++)
    {
      FpFlagFile *flag_file = g_ptr_array_index (ready, i);
      const char *code = fp_flag_file_get_code (flag_file);
      FpFlagFile *previous;
      guint position;

      if (g_hash_table_lookup (last_of_code, code) != flag_file)
        continue;

      /* A replaced flag takes the old one's place: no tile moves under
       * the pointer. A new one goes at the end, where the newest are. */
      previous = g_hash_table_lookup (self->by_code, code);
      g_hash_table_replace (self->by_code, g_strdup (code), g_object_ref (flag_file));
      if (previous != NULL && g_list_store_find (self->flags, previous, &position))
        g_list_store_splice (self->flags, position, 1, (gpointer *) &flag_file, 1);
      else
        g_ptr_array_add (added, flag_file);
    }

  n_flags = g_list_model_get_n_items (G_LIST_MODEL (self->flags));
  g_list_store_splice (self->flags, n_flags, 0, added->pdata, added->len);
}

/* Moves the decoded flags at the head of the queue into the model, a
 * chunk at a time. Returns TRUE when more are ready. */
static gboolean
flush_pending (FpFlagGrid *self)
{
  g_autoptr(GPtrArray) ready = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batch_ready = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean more = FALSE;
  guint taken = 0;

  /* Results that arrive while the folder is still being listed wait, so
   * that the older flags already on disk come first. */
  if (self->listing)
    return FALSE;

  while (!g_queue_is_empty (&self->pending))
    {
      PendingLoad *head = g_queue_peek_head (&self->pending);

      if (!head->done)
        break;

      if (taken == self->chunk)
        {
          more = TRUE;
          break;
        }

      g_queue_pop_head (&self->pending);
      taken++;
      if (head->flag_file != NULL && fp_flag_file_get_failure (head->flag_file) == NULL)
        g_ptr_array_add (ready, g_object_ref (head->flag_file));
      if (head->flag_file != NULL && head->of_batch)
        g_ptr_array_add (batch_ready, g_object_ref (head->flag_file));
      head->grid = NULL;
      pending_load_unref (head);
    }

  if (ready->len > 0 || batch_ready->len > 0)
    {
      gint64 begin = g_get_monotonic_time ();
      guint tiles_before = fp_flag_tile_get_n_tiles ();
      guint tiles_made;
      gint64 elapsed;

      append_to_model (self, ready);
      _fp_flag_grid_append_to_batch (self, batch_ready);

      /* Halve the chunk when it cost too much, now and in the next frame,
       * grow it when a full one cost well under the budget. */
      tiles_made = fp_flag_tile_get_n_tiles () - MIN (tiles_before, fp_flag_tile_get_n_tiles ());
      elapsed = g_get_monotonic_time () - begin + (gint64) tiles_made * TILE_LATER_US;
      g_debug ("%u flags into the grid in %.1f ms, %u tiles made", ready->len,
               (g_get_monotonic_time () - begin) / 1000.0, tiles_made);
      if (elapsed > FLUSH_BUDGET_US)
        self->chunk = MAX (MIN_CHUNK, self->chunk / 2);
      else if (more && elapsed < FLUSH_BUDGET_US / 2)
        self->chunk = MIN (MAX_CHUNK, self->chunk * 2);
    }

  _fp_flag_grid_update_state (self);
  return more;
}

static void
folder_listed_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FpFlagGrid *self;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  GList *first_result;

  /* The grid cancels the listing when it changes folder or goes away, so
   * only a listing that was not cancelled may touch it. */
  files = fp_flag_folder_list_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = FP_FLAG_GRID (user_data);
  self->listing = FALSE;

  if (files == NULL)
    {
      g_autofree char *uri = g_file_get_uri (self->destination);
      g_message ("Cannot list the flags in %s: %s", uri, error->message);
    }

  /* The folder's flags go before any result that came in meanwhile, and a
   * code that such a result brought is already newer than its old file. */
  first_result = self->pending.head;
  for (guint i = 0; files != NULL && i < files->len; i++)
    {
      GFile *file = g_ptr_array_index (files, i);
      g_autofree char *basename = g_file_get_basename (file);
      g_autofree char *code = fp_flag_file_code_for_name (basename);
      PendingLoad *load;

      if (g_hash_table_contains (self->result_codes, code))
        continue;

      load = pending_load_new (self, code);
      if (first_result != NULL)
        g_queue_insert_before (&self->pending, first_result, load);
      else
        g_queue_push_tail (&self->pending, load);
      start_load (self, load, file);
    }

  if (flush_pending (self))
    schedule_flush (self);
}

void
_fp_flag_grid_drop_pending (FpFlagGrid *self)
{
  PendingLoad *load;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  while ((load = g_queue_pop_head (&self->pending)) != NULL)
    {
      load->grid = NULL;
      pending_load_unref (load);
    }

  stop_flushing (self);
  self->listing = FALSE;
}

void
_fp_flag_grid_load_folder (FpFlagGrid *self)
{
  _fp_flag_grid_drop_pending (self);
  _fp_flag_grid_close_viewer (self);
  g_list_store_remove_all (self->flags);
  _fp_flag_grid_hold_view (self);
  g_hash_table_remove_all (self->by_code);
  g_hash_table_remove_all (self->result_codes);

  self->cancellable = g_cancellable_new ();

  if (self->destination != NULL)
    {
      self->listing = TRUE;
      /* No reference to the grid: a window closed during a listing goes
       * away at once, not when the thread is done. */
      fp_flag_folder_list_async (self->destination, self->cancellable, folder_listed_cb, self);
    }

  _fp_flag_grid_update_state (self);
}
/* Leaves the frame clock's pace for an idle's, or the other way round:
 * for a grid just taken off screen or put on it. */
void
_fp_flag_grid_restart_flushing (FpFlagGrid *self)
{
  stop_flushing (self);
  schedule_flush (self);
}

/* A failure of this batch takes its place in This Batch, marked as
 * failed, in completion order with the rest. */
void
_fp_flag_grid_queue_failure (FpFlagGrid *self,
                             const char *code,
                             const char *message)
{
  PendingLoad *load = pending_load_new (self, code);

  load->flag_file = fp_flag_file_new_failed (code, message);
  load->done = TRUE;
  load->of_batch = TRUE;
  g_queue_push_tail (&self->pending, load);
  if (flush_pending (self))
    schedule_flush (self);
}

/* A flag a result saved: decoded off the main thread, then in after
 * those before it. */
void
_fp_flag_grid_queue_file (FpFlagGrid *self,
                          const char *code,
                          GFile      *file)
{
  PendingLoad *load;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  load = pending_load_new (self, code);
  load->of_batch = self->batch_running;
  g_queue_push_tail (&self->pending, load);
  start_load (self, load, file);

  _fp_flag_grid_update_state (self);
}
