/* fp-flag-grid.c — the thumbnail gallery of every flag in the destination folder
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-grid"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fp-flag-file.h"
#include "fp-flag-folder.h"
#include "fp-flag-grid.h"
#include "fp-flag-tile.h"
#include "fp-flag-viewer.h"

/* The thumbnail box in logical pixels; the tile (fp-flag-tile.ui) shows it
 * at this size. Decoding to it (times the scale factor) rather than keeping
 * the full image is what keeps a grid of hundreds of flags small. */
#define THUMBNAIL_WIDTH  160
#define THUMBNAIL_HEIGHT 120

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
#define FLUSH_BUDGET_US 4000
#define MIN_CHUNK 4
#define MAX_CHUNK 32

/*
 * A flag waiting for its file to be decoded. Decoding runs on several
 * threads and may finish out of order, but the grid must read in the
 * order the flags arrived: loads queue here and leave from the head only,
 * once done. Each is shared by the queue and the running load.
 */
typedef struct
{
  FpFlagGrid *grid;              /* NULL once the grid has dropped it */
  char *code;
  FpFlagFile *flag_file;         /* set when decoded */
  gboolean done;
} PendingLoad;

struct _FpFlagGrid
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *empty_page;
  GtkGridView *grid_view;

  GFile *destination;
  GListStore *flags;             /* FpFlagFile, in arrival order */
  GHashTable *by_code;           /* code → FpFlagFile in flags */
  GHashTable *result_codes;      /* codes added by a result since the folder was set */
  GQueue pending;                /* PendingLoad */
  GCancellable *cancellable;     /* for the current folder */
  gboolean listing;
  gboolean loading;              /* as last notified */
  guint n_flags;                 /* as last notified */
  guint flush_source;            /* idle, while the grid is not on screen */
  guint flush_tick;              /* tick callback, while it is */
  guint chunk;                   /* flags per flush, adapted to FLUSH_BUDGET_US */
  int thumbnail_scale;           /* the scale factor thumbnails were made for */
  GtkWindow *viewer;             /* weak */
};

G_DEFINE_FINAL_TYPE (FpFlagGrid, fp_flag_grid, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_FLAGS,
  PROP_N_FLAGS,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* Shows the page that fits what the grid holds and tells the listeners. */
static void
update_state (FpFlagGrid *self)
{
  guint n_flags = g_list_model_get_n_items (G_LIST_MODEL (self->flags));
  gboolean loading = self->listing || !g_queue_is_empty (&self->pending);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* The spinner shows while a folder's flags are read; the empty state
   * stays while the first download of a batch is decoded, rather than
   * flashing a spinner. */
  if (n_flags > 0)
    page = "flags";
  else if (self->listing || (loading && g_strcmp0 (page, "loading") == 0))
    page = "loading";
  else
    page = "empty";

  /* The first flags of a batch replace the empty state at once: a
   * crossfade would draw the whole grid again on every frame of it, just
   * when the batch keeps the processor busiest. */
  if (g_str_equal (page, "flags") &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    gtk_stack_set_visible_child_full (self->stack, page, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));

  if (n_flags != self->n_flags)
    {
      self->n_flags = n_flags;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FLAGS]);
    }
  if (loading != self->loading)
    {
      self->loading = loading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
    }
}

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

  /* A file that vanished or does not decode has no tile; the download's
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
  int scale = MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));

  self->thumbnail_scale = MAX (self->thumbnail_scale, scale);

  fp_flag_file_load_async (file,
                           THUMBNAIL_WIDTH * scale, THUMBNAIL_HEIGHT * scale,
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

      /* A replaced flag moves to the end, where the newest flags are. */
      previous = g_hash_table_lookup (self->by_code, code);
      if (previous != NULL && g_list_store_find (self->flags, previous, &position))
        g_list_store_remove (self->flags, position);

      g_hash_table_replace (self->by_code, g_strdup (code), g_object_ref (flag_file));
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
      if (head->flag_file != NULL)
        g_ptr_array_add (ready, g_object_ref (head->flag_file));
      head->grid = NULL;
      pending_load_unref (head);
    }

  if (ready->len > 0)
    {
      gint64 begin = g_get_monotonic_time ();
      gint64 elapsed;

      append_to_model (self, ready);

      /* Halve the chunk when it took too long, grow it when a full one
       * took well under the budget. */
      elapsed = g_get_monotonic_time () - begin;
      g_debug ("%u flags into the grid in %.1f ms", ready->len, elapsed / 1000.0);
      if (elapsed > FLUSH_BUDGET_US)
        self->chunk = MAX (MIN_CHUNK, self->chunk / 2);
      else if (more && elapsed < FLUSH_BUDGET_US / 2)
        self->chunk = MIN (MAX_CHUNK, self->chunk * 2);
    }

  update_state (self);
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

static void
drop_pending (FpFlagGrid *self)
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

static void
close_viewer (FpFlagGrid *self)
{
  if (self->viewer != NULL)
    gtk_window_destroy (self->viewer);
}

static void
grid_view_activated_cb (FpFlagGrid *self,
                        guint       position)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(FpFlagFile) flag_file = g_list_model_get_item (G_LIST_MODEL (self->flags), position);
  GtkWidget *viewer;

  if (flag_file == NULL)
    return;

  close_viewer (self);

  viewer = fp_flag_viewer_new (G_LIST_MODEL (self->flags), flag_file);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (root));

  self->viewer = GTK_WINDOW (viewer);
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &self->viewer);
  gtk_window_present (GTK_WINDOW (viewer));
}

static void
tile_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, fp_flag_tile_new ());
}

static void
tile_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  fp_flag_tile_set_flag_file (FP_FLAG_TILE (gtk_list_item_get_child (list_item)),
                              gtk_list_item_get_item (list_item));
}

static void
tile_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  fp_flag_tile_set_flag_file (FP_FLAG_TILE (gtk_list_item_get_child (list_item)), NULL);
}

static void
scale_factor_changed_cb (FpFlagGrid *self,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  /* Sharp thumbnails on a high-density screen: the ones made for a lower
   * scale are made again. */
  if (gtk_widget_get_scale_factor (GTK_WIDGET (self)) > self->thumbnail_scale
      && self->destination != NULL && self->n_flags > 0)
    fp_flag_grid_reload (self);
}

static void
fp_flag_grid_unmap (GtkWidget *widget)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);
  gboolean was_flushing = self->flush_tick != 0;

  GTK_WIDGET_CLASS (fp_flag_grid_parent_class)->unmap (widget);

  /* No frames off screen: the rest goes in from an idle. */
  if (was_flushing)
    {
      stop_flushing (self);
      schedule_flush (self);
    }
}

static void
fp_flag_grid_dispose (GObject *object)
{
  FpFlagGrid *self = FP_FLAG_GRID (object);

  drop_pending (self);

  if (self->viewer != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->viewer), (gpointer *) &self->viewer);
      gtk_window_destroy (self->viewer);
      self->viewer = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_FLAG_GRID);

  g_clear_object (&self->destination);
  g_clear_object (&self->flags);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->result_codes, g_hash_table_unref);

  G_OBJECT_CLASS (fp_flag_grid_parent_class)->dispose (object);
}

static void
fp_flag_grid_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FpFlagGrid *self = FP_FLAG_GRID (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;
    case PROP_FLAGS:
      g_value_set_object (value, self->flags);
      break;
    case PROP_N_FLAGS:
      g_value_set_uint (value, self->n_flags);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_grid_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FpFlagGrid *self = FP_FLAG_GRID (object);

  switch (prop_id)
    {
    case PROP_DESTINATION:
      fp_flag_grid_set_destination (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_grid_class_init (FpFlagGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_flag_grid_dispose;
  object_class->get_property = fp_flag_grid_get_property;
  object_class->set_property = fp_flag_grid_set_property;
  widget_class->unmap = fp_flag_grid_unmap;

  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL,
                         G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAGS] =
    g_param_spec_object ("flags", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FLAGS] =
    g_param_spec_uint ("n-flags", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the folder is listed or a flag is still being decoded. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The tile's class, and so its template, is made with the window, not
   * by the first flag of a batch, when every millisecond counts. */
  g_type_ensure (FP_TYPE_FLAG_TILE);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-flag-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, stack);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, spinner);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, grid_view);
  gtk_widget_class_bind_template_callback (widget_class, grid_view_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "flaggrid");
}

static void
fp_flag_grid_init (FpFlagGrid *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (tile_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (tile_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (tile_unbind_cb), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);

  self->flags = g_list_store_new (FP_TYPE_FLAG_FILE);
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->result_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
  self->chunk = 8;

  /* Nothing is selected in a gallery: a click or Enter opens the flag. */
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->flags)));
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));

  update_state (self);
}

/**
 * fp_flag_grid_new:
 *
 * Returns: (transfer floating): a new, empty #FpFlagGrid
 */
GtkWidget *
fp_flag_grid_new (void)
{
  return g_object_new (FP_TYPE_FLAG_GRID, NULL);
}

static void
load_folder (FpFlagGrid *self)
{
  drop_pending (self);
  close_viewer (self);
  g_list_store_remove_all (self->flags);
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

  update_state (self);
}

/**
 * fp_flag_grid_set_destination:
 * @self: a #FpFlagGrid
 * @destination: (nullable): the folder the flags are saved in
 *
 * Empties the grid and lists the flags already in @destination, off the
 * main thread, oldest first. Files named like "br.png" (two letters and an
 * image extension) are flags; hidden, partial and other files are not.
 * Setting the folder already shown changes nothing (see
 * fp_flag_grid_reload()).
 */
void
fp_flag_grid_set_destination (FpFlagGrid *self,
                              GFile      *destination)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));
  g_return_if_fail (destination == NULL || G_IS_FILE (destination));

  if (self->destination == destination
      || (self->destination != NULL && destination != NULL
          && g_file_equal (self->destination, destination)))
    return;

  g_set_object (&self->destination, destination);
  load_folder (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

/**
 * fp_flag_grid_reload:
 * @self: a #FpFlagGrid
 *
 * Lists the folder again, for changes made behind the application's back.
 */
void
fp_flag_grid_reload (FpFlagGrid *self)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));
  load_folder (self);
}

/**
 * fp_flag_grid_get_destination:
 * @self: a #FpFlagGrid
 *
 * Returns: (transfer none) (nullable): the folder shown
 */
GFile *
fp_flag_grid_get_destination (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), NULL);
  return self->destination;
}

/**
 * fp_flag_grid_add_result:
 * @self: a #FpFlagGrid
 * @result: a finished download
 *
 * Adds the flag an OK result saved, after the flags already shown and
 * after those of earlier results; a country that is already in the grid
 * leaves its place and comes at the end with the new image. The file is
 * decoded off the main thread. Results of other statuses, and files
 * outside the folder shown, are ignored.
 */
void
fp_flag_grid_add_result (FpFlagGrid       *self,
                         FpDownloadResult *result)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *code = NULL;
  const char *path;
  PendingLoad *load;

  g_return_if_fail (FP_IS_FLAG_GRID (self));
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (result));

  if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_OK)
    return;

  path = fp_download_result_get_path (result);
  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  if (self->destination != NULL && !g_file_has_parent (file, self->destination))
    {
      g_debug ("Ignoring %s, which is not in the folder shown", path);
      return;
    }

  basename = g_file_get_basename (file);
  code = fp_flag_file_code_for_name (basename);
  if (code == NULL)
    return;

  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();

  g_hash_table_add (self->result_codes, g_strdup (code));
  load = pending_load_new (self, code);
  g_queue_push_tail (&self->pending, load);
  start_load (self, load, file);

  update_state (self);
}

/**
 * fp_flag_grid_get_n_flags:
 * @self: a #FpFlagGrid
 *
 * Returns: how many flags the grid shows now
 */
guint
fp_flag_grid_get_n_flags (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), 0);
  return self->n_flags;
}

/**
 * fp_flag_grid_get_flags:
 * @self: a #FpFlagGrid
 *
 * Returns: (transfer none): the #FpFlagFile shown, in the grid's order
 */
GListModel *
fp_flag_grid_get_flags (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), NULL);
  return G_LIST_MODEL (self->flags);
}

/**
 * fp_flag_grid_get_loading:
 * @self: a #FpFlagGrid
 *
 * Returns: %TRUE while the folder is listed or a flag is being decoded
 */
gboolean
fp_flag_grid_get_loading (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), FALSE);
  return self->loading;
}
