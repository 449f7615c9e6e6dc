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
#include "fp-flag-grid-private.h"
#include "fp-flag-tile.h"
#include "fp-flag-viewer.h"
#include "fp-thumbnail-cache.h"
#include "fp-tile-view.h"

/* The thumbnail box in logical pixels; the tile shows it at this size.
 * Thumbnails are made to it (times the scale factor) for the tiles that
 * exist, not kept for every flag: that is what keeps a grid of hundreds
 * of flags small. The cache keeps the last few a scroll leaves behind. */
#define THUMBNAIL_WIDTH  160
#define THUMBNAIL_HEIGHT 120
#define THUMBNAIL_CACHE_CAPACITY 24

G_DEFINE_FINAL_TYPE (FpFlagGrid, fp_flag_grid, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DESTINATION,
  PROP_FLAGS,
  PROP_N_FLAGS,
  PROP_LOADING,
  PROP_SHOW_BATCH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_fp_flag_grid_notify_show_batch (FpFlagGrid *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BATCH]);
}

/* Shows the page that fits what the grid holds and tells the listeners. */
void
_fp_flag_grid_update_state (FpFlagGrid *self)
{
  guint n_flags = g_list_model_get_n_items (G_LIST_MODEL (self->flags));
  gboolean loading = self->listing || !g_queue_is_empty (&self->pending);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  gtk_widget_set_visible (self->view_switch, self->has_batch);

  /* This Batch: its flags, from the moment the first result is in (its
   * tile follows as soon as it is decoded); until then, word that the
   * batch is on its way, not "No Flags Yet" beside a disabled button. */
  if (self->show_batch)
    {
      guint n_batch = g_list_model_get_n_items (G_LIST_MODEL (self->batch_flags));

      if (self->batch_unreachable)
        page = "batch-empty";
      else if (n_batch > 0 || _fp_flag_grid_batch_pending (self))
        page = "flags";
      else if (self->batch_running)
        page = "waiting";
      else
        page = "batch-empty";
    }
  /* The spinner shows while a folder's flags are read; the empty state
   * stays while the first download of a batch is decoded, rather than
   * flashing a spinner. */
  else if (n_flags > 0)
    page = "flags";
  else if (self->listing || (loading && g_strcmp0 (page, "loading") == 0))
    page = "loading";
  else
    page = "empty";

  /* A batch's pages replace the empty state at once, "On Their Way" at
   * the click and the first flags after it: a crossfade draws both pages
   * on every frame of it (the click's first frame took 34 ms, 12.5 of
   * them in the frame clock's update phase, where the transition ticks),
   * just when the batch keeps the processor busiest. */
  if ((g_str_equal (page, "flags") || g_str_equal (page, "waiting")) &&
      (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0 ||
       g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "waiting") == 0))
    gtk_stack_set_visible_child_full (self->stack, page, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (self->stack, page);
  fp_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));

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

void
_fp_flag_grid_close_viewer (FpFlagGrid *self)
{
  if (self->viewer != NULL)
    gtk_window_destroy (self->viewer);
}

static void
grid_view_activated_cb (FpFlagGrid *self,
                        guint       position)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GListModel *shown = G_LIST_MODEL (self->show_batch ? self->batch_flags : self->flags);
  g_autoptr(FpFlagFile) flag_file = g_list_model_get_item (shown, position);
  GtkWidget *viewer;

  /* A failed flag has no file to show: its tile says why already. */
  if (flag_file == NULL || fp_flag_file_get_failure (flag_file) != NULL)
    return;

  _fp_flag_grid_close_viewer (self);

  /* Previous and Next walk the view the flag was opened from. */
  viewer = fp_flag_viewer_new (self->show_batch ? G_LIST_MODEL (self->batch_files) : G_LIST_MODEL (self->flags),
                               flag_file);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (viewer), GTK_WINDOW (root));

  self->viewer = GTK_WINDOW (viewer);
  g_object_add_weak_pointer (G_OBJECT (viewer), (gpointer *) &self->viewer);
  gtk_window_present (GTK_WINDOW (viewer));
}

/* Which tiles show a thumbnail: see fp_tile_view_update_in_view(). An
 * idle still due is dropped: left behind, it would outlive the grid. */
static void
update_tiles_in_view (FpFlagGrid *self)
{
  g_clear_handle_id (&self->view_source, g_source_remove);
  self->view_dirty = FALSE;
  fp_tile_view_update_in_view (self->grid_view);
}

static gboolean
update_tiles_in_view_cb (gpointer user_data)
{
  FpFlagGrid *self = user_data;

  self->view_source = 0;
  update_tiles_in_view (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_view_update (FpFlagGrid *self)
{
  /* Disposed: GtkWidget's dispose, after ours, unmaps a grid still shown. */
  if (self->grid_view == NULL)
    return;

  if (self->frame_clock != NULL)
    {
      self->view_dirty = TRUE;
      gdk_frame_clock_request_phase (self->frame_clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
      return;
    }

  /* Off screen no tile is in view: they let go of their thumbnails. */
  if (self->view_source == 0)
    {
      self->view_source = g_idle_add (update_tiles_in_view_cb, self);
      g_source_set_name_by_id (self->view_source, "[flagpole] tiles in view");
    }
}

static void
tiles_moved_cb (gpointer grid,
                gpointer unused)
{
  schedule_view_update (grid);
}

static void
after_paint_cb (GdkFrameClock *clock,
                FpFlagGrid    *self)
{
  if (self->view_dirty)
    update_tiles_in_view (self);
}

/*
 * GTK 4.8's grid view makes a tile for every flag in its model as long as
 * it has never been allocated, and styles, binds and measures each: a
 * batch run with the Timeline page shown made 249 tiles no one saw, a
 * third of the window's main-thread time (bench-responsiveness
 * --timeline: 342 -> 243 ms). So while the grid is off screen its view
 * keeps the flags it already had; the models themselves, and all that
 * counts or opens flags, hold every flag all along. The slices keep the
 * flags already shown, so the view keeps its scroll position.
 *
 * Back on screen, the view gets a screen's worth of the new flags in the
 * frame that shows it and the rest a few a frame: all of them at once
 * made the 30 rows of tiles GTK keeps in that one frame (100 ms, against
 * 40 for styling the tiles made off screen before).
 */
#define VIEW_FIRST_GROWTH 32
#define VIEW_GROWTH 16

/* Shows @by more of the model's items; FALSE once it shows them all. */
static gboolean
grow_slice (GtkSliceListModel *slice,
            guint              by)
{
  guint n_items = g_list_model_get_n_items (gtk_slice_list_model_get_model (slice));
  guint size = gtk_slice_list_model_get_size (slice);

  if (size >= n_items || n_items - size <= by)
    {
      gtk_slice_list_model_set_size (slice, G_MAXUINT);
      return FALSE;
    }
  gtk_slice_list_model_set_size (slice, size + by);
  return TRUE;
}

static GtkSliceListModel *
view_slice (FpFlagGrid *self)
{
  return self->show_batch ? self->batch_shown : self->folder_shown;
}

static gboolean
grow_view_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);

  if (grow_slice (view_slice (self), VIEW_GROWTH))
    return G_SOURCE_CONTINUE;
  self->grow_tick = 0;
  return G_SOURCE_REMOVE;
}

/* Holds the view's flags while the grid is off screen, and lets the rest
 * in once it is on screen. Call it again whenever a model empties while
 * the grid is off screen, and when the view changes model. */
void
_fp_flag_grid_hold_view (FpFlagGrid *self)
{
  GtkSliceListModel *slices[] = { self->folder_shown, self->batch_shown };

  if (self->folder_shown == NULL)
    return;
  if (self->grow_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->grow_tick);
  self->grow_tick = 0;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
        {
          guint n_items = g_list_model_get_n_items (gtk_slice_list_model_get_model (slices[i]));

          gtk_slice_list_model_set_size (slices[i], MIN (gtk_slice_list_model_get_size (slices[i]), n_items));
        }
      return;
    }

  /* The model the view does not show makes no tile. */
  for (guint i = 0; i < G_N_ELEMENTS (slices); i++)
    if (slices[i] != view_slice (self))
      gtk_slice_list_model_set_size (slices[i], G_MAXUINT);
  if (grow_slice (view_slice (self), VIEW_FIRST_GROWTH))
    self->grow_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), grow_view_cb, NULL, NULL);
}

static void
fp_flag_grid_map (GtkWidget *widget)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);

  GTK_WIDGET_CLASS (fp_flag_grid_parent_class)->map (widget);
  _fp_flag_grid_hold_view (self);

  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint", G_CALLBACK (after_paint_cb), self);
  schedule_view_update (self);
}

static void
stop_following_frames (FpFlagGrid *self)
{
  if (self->frame_clock == NULL)
    return;
  g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
fp_flag_grid_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);

  /* The template's one child: the view switch above the stack. */
  gtk_widget_measure (self->content_box, orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
fp_flag_grid_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);

  fp_tile_view_fit_columns (self->grid_view, width);
  gtk_widget_allocate (self->content_box, width, height, baseline, NULL);
  schedule_view_update (self);
}

static void
fp_flag_grid_unmap (GtkWidget *widget)
{
  FpFlagGrid *self = FP_FLAG_GRID (widget);
  gboolean was_flushing = self->flush_tick != 0;

  GTK_WIDGET_CLASS (fp_flag_grid_parent_class)->unmap (widget);
  _fp_flag_grid_hold_view (self);
  stop_following_frames (self);
  schedule_view_update (self);

  /* No frames off screen: the rest goes in from an idle. */
  if (was_flushing)
    _fp_flag_grid_restart_flushing (self);
}

static void
fp_flag_grid_dispose (GObject *object)
{
  FpFlagGrid *self = FP_FLAG_GRID (object);

  _fp_flag_grid_drop_pending (self);
  stop_following_frames (self);
  g_clear_handle_id (&self->view_source, g_source_remove);

  if (self->viewer != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->viewer), (gpointer *) &self->viewer);
      gtk_window_destroy (self->viewer);
      self->viewer = NULL;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_FLAG_GRID);
  g_clear_handle_id (&self->view_source, g_source_remove);

  g_clear_object (&self->destination);
  g_clear_object (&self->folder_selection);
  g_clear_object (&self->batch_selection);
  g_clear_object (&self->folder_shown);
  g_clear_object (&self->batch_shown);
  g_clear_object (&self->batch_files);
  g_clear_object (&self->batch_flags);
  g_clear_object (&self->flags);
  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->result_codes, g_hash_table_unref);
  g_clear_object (&self->thumbnails);

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
    case PROP_SHOW_BATCH:
      g_value_set_boolean (value, self->show_batch);
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
    case PROP_SHOW_BATCH:
      fp_flag_grid_set_show_batch (self, g_value_get_boolean (value));
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
  widget_class->map = fp_flag_grid_map;
  widget_class->unmap = fp_flag_grid_unmap;
  widget_class->measure = fp_flag_grid_measure;
  widget_class->size_allocate = fp_flag_grid_size_allocate;

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
  /* This Batch (the flags of the batch that runs or ran last, failed ones
   * marked) rather than All Flags (the folder). */
  properties[PROP_SHOW_BATCH] =
    g_param_spec_boolean ("show-batch", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The tile's class, and so its template, is made with the window, not
   * by the first flag of a batch, when every millisecond counts. */
  g_type_ensure (FP_TYPE_FLAG_TILE);
  g_type_ensure (FP_TYPE_SPINNER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-flag-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, stack);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, spinner);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, grid_view);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, content_box);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, view_switch);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, batch_button);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, folder_button);
  gtk_widget_class_bind_template_child (widget_class, FpFlagGrid, batch_empty_page);
  gtk_widget_class_bind_template_callback (widget_class, grid_view_activated_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "view_toggled_cb", G_CALLBACK (_fp_flag_grid_view_toggled_cb));

  gtk_widget_class_set_css_name (widget_class, "flaggrid");
}

static void
fp_flag_grid_init (FpFlagGrid *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GtkListItemFactory) factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->thumbnails = fp_thumbnail_cache_new (THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT, THUMBNAIL_CACHE_CAPACITY);
  factory = fp_tile_view_new_factory (self->thumbnails, tiles_moved_cb, self);
  gtk_grid_view_set_factory (self->grid_view, factory);

  self->flags = g_list_store_new (FP_TYPE_FLAG_FILE);
  self->by_code = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->result_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->pending);
  self->chunk = 8;
  g_signal_connect_swapped (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "value-changed",
                            G_CALLBACK (schedule_view_update), self);

  self->batch_flags = g_list_store_new (FP_TYPE_FLAG_FILE);
  self->batch_files = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->batch_flags)),
                                                 GTK_FILTER (gtk_custom_filter_new (_fp_flag_grid_is_saved_flag, NULL, NULL)));

  /* Nothing is selected in a gallery: a click or Enter opens the flag. */
  self->folder_shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->flags)), 0, 0);
  self->batch_shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (self->batch_flags)), 0, 0);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->folder_shown)));
  self->folder_selection = GTK_SELECTION_MODEL (g_object_ref (selection));
  self->batch_selection = GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->batch_shown))));
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));

  _fp_flag_grid_update_state (self);
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
  _fp_flag_grid_load_folder (self);
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
  _fp_flag_grid_load_folder (self);
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

  g_return_if_fail (FP_IS_FLAG_GRID (self));
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (result));

  /* A failure of this batch takes its place in This Batch, marked as
   * failed, in completion order with the rest. */
  if (fp_download_result_get_status (result) == FP_DOWNLOAD_STATUS_ERROR && self->batch_running)
    {
      _fp_flag_grid_queue_failure (self, fp_download_result_get_code (result),
                                   fp_download_result_get_message (result));
      return;
    }

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

  g_hash_table_add (self->result_codes, g_strdup (code));
  _fp_flag_grid_queue_file (self, code, file);
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

