/* fp-flag-tile.c — one cell of the flag grid: the thumbnail, the country's name and its code
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-flag-tile-private.h"
#include "fp-thumbnail-cache.h"

/*
 * GTK 4.8's grid view keeps a tile for up to 30 rows of flags, so every
 * flag of a batch gets one, made while the batch runs: tiles must be cheap
 * to make and to fill. A template of plain widgets, filled once when the
 * grid binds a flag (a flag never changes: a new image is a new FpFlagFile),
 * costs a fraction of a builder factory's per-tile expression bindings.
 * GtkInscription measures without laying out its text the way a wrapping
 * GtkLabel does, and the tooltip is asked for on demand (query-tooltip)
 * because setting a tooltip's text makes GTK ask the X server where the
 * pointer is, once per tile.
 *
 * A tile holds the one thumbnail it shows, made for it at the size it is
 * shown (see FpThumbnailCache), and lets go of it when the grid recycles
 * the tile: the grid's memory follows the tiles that exist, not the flags
 * it lists. The picture is centred at its own size, so the thumbnail is
 * drawn pixel for pixel, never scaled at each frame.
 *
 * The tile is built in code, not from a template: GtkBuilder took 0.3 ms
 * a tile to read one (a third of the main thread's time while the grid
 * filled), a few setters take a tenth of that.
 */
struct _FpFlagTile
{
  GtkWidget parent_instance;

  GtkPicture *picture;
  GtkInscription *title_inscription;
  GtkInscription *code_inscription;

  FpFlagFile *flag_file;
  FpThumbnailCache *cache;
  GCancellable *thumbnail_cancellable;   /* while its thumbnail is made */
  gboolean counted;                      /* in n_thumbnails */
  gboolean in_view;                      /* near enough the screen to show a thumbnail */
};

G_DEFINE_FINAL_TYPE (FpFlagTile, fp_flag_tile, GTK_TYPE_WIDGET)

/* For the bench and the tests: how many tiles exist, and how many show a thumbnail. */
static guint n_tiles;
static guint n_thumbnails;

enum {
  PROP_0,
  PROP_FLAG_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
query_tooltip_cb (FpFlagTile *self,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip)
{
  g_autofree char *text = NULL;

  /* The full name, for the long ones the tile cuts short, and why a
   * failed one failed. */
  if (self->flag_file == NULL)
    return FALSE;

  if (fp_flag_file_get_failure (self->flag_file) != NULL)
    text = g_strdup_printf ("%s\n%s", fp_flag_file_get_title (self->flag_file),
                            fp_flag_file_get_failure (self->flag_file));
  gtk_tooltip_set_text (tooltip, text != NULL ? text : fp_flag_file_get_title (self->flag_file));
  return TRUE;
}

static void
picture_paintable_changed_cb (FpFlagTile *self)
{
  gboolean has = FP_IS_THUMBNAIL (gtk_picture_get_paintable (self->picture));

  if (has != self->counted)
    {
      self->counted = has;
      if (has)
        n_thumbnails++;
      else
        n_thumbnails--;
    }
}

static void
fp_flag_tile_finalize (GObject *object)
{
  n_tiles--;
  G_OBJECT_CLASS (fp_flag_tile_parent_class)->finalize (object);
}

static void
fp_flag_tile_dispose (GObject *object)
{
  FpFlagTile *self = FP_FLAG_TILE (object);

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  g_clear_object (&self->flag_file);
  g_clear_object (&self->cache);
  if (self->picture != NULL)
    gtk_picture_set_paintable (self->picture, NULL);
  g_clear_pointer ((GtkWidget **) &self->picture, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->title_inscription, gtk_widget_unparent);
  g_clear_pointer ((GtkWidget **) &self->code_inscription, gtk_widget_unparent);

  G_OBJECT_CLASS (fp_flag_tile_parent_class)->dispose (object);
}

static void
fp_flag_tile_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FpFlagTile *self = FP_FLAG_TILE (object);

  switch (prop_id)
    {
    case PROP_FLAG_FILE:
      g_value_set_object (value, self->flag_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_tile_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  FpFlagTile *self = FP_FLAG_TILE (object);

  switch (prop_id)
    {
    case PROP_FLAG_FILE:
      fp_flag_tile_set_flag_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_tile_class_init (FpFlagTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_flag_tile_dispose;
  object_class->finalize = fp_flag_tile_finalize;
  object_class->get_property = fp_flag_tile_get_property;
  object_class->set_property = fp_flag_tile_set_property;

  properties[PROP_FLAG_FILE] =
    g_param_spec_object ("flag-file", NULL, NULL,
                         FP_TYPE_FLAG_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "flagtile");
}

static void show_thumbnail (FpFlagTile *self);

static void
scale_factor_changed_cb (FpFlagTile *self)
{
  /* Sharp on a high-density screen: made again for the new scale. */
  if (self->flag_file != NULL)
    show_thumbnail (self);
}

static void
fp_flag_tile_init (FpFlagTile *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (widget);
  GtkWidget *child;

  /* A column: the thumbnail, the name on two lines, the code. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 3);
  gtk_widget_set_margin_top (widget, 6);
  gtk_widget_set_margin_bottom (widget, 6);
  gtk_widget_set_margin_start (widget, 6);
  gtk_widget_set_margin_end (widget, 6);
  gtk_widget_set_has_tooltip (widget, TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), NULL);

  child = gtk_picture_new ();
  self->picture = GTK_PICTURE (child);
  gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_SCALE_DOWN);
  gtk_picture_set_can_shrink (self->picture, TRUE);
  gtk_widget_set_halign (child, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (child, 160, 120);
  gtk_widget_set_margin_bottom (child, 3);
  gtk_widget_set_parent (child, widget);

  child = gtk_inscription_new (NULL);
  self->title_inscription = GTK_INSCRIPTION (child);
  gtk_inscription_set_xalign (self->title_inscription, 0.5);
  gtk_inscription_set_yalign (self->title_inscription, 0);
  gtk_inscription_set_min_chars (self->title_inscription, 8);
  gtk_inscription_set_nat_chars (self->title_inscription, 18);
  gtk_inscription_set_min_lines (self->title_inscription, 2);
  gtk_inscription_set_nat_lines (self->title_inscription, 2);
  gtk_inscription_set_wrap_mode (self->title_inscription, PANGO_WRAP_WORD_CHAR);
  gtk_inscription_set_text_overflow (self->title_inscription, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_parent (child, widget);

  child = gtk_inscription_new (NULL);
  self->code_inscription = GTK_INSCRIPTION (child);
  gtk_inscription_set_xalign (self->code_inscription, 0.5);
  gtk_widget_add_css_class (child, "caption");
  gtk_widget_add_css_class (child, "dim-label");
  gtk_widget_add_css_class (child, "numeric");
  gtk_widget_set_parent (child, widget);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_changed_cb), NULL);
  g_signal_connect_swapped (self->picture, "notify::paintable", G_CALLBACK (picture_paintable_changed_cb), self);
  n_tiles++;
  self->in_view = TRUE;
}

/**
 * fp_flag_tile_new:
 * @cache: (nullable): where the tile gets its thumbnails; without one it shows none
 */
GtkWidget *
fp_flag_tile_new (FpThumbnailCache *cache)
{
  FpFlagTile *self = g_object_new (FP_TYPE_FLAG_TILE, NULL);

  g_return_val_if_fail (cache == NULL || FP_IS_THUMBNAIL_CACHE (cache), NULL);

  g_set_object (&self->cache, cache);
  if (cache != NULL)
    gtk_widget_set_size_request (GTK_WIDGET (self->picture),
                                 fp_thumbnail_cache_get_width (cache),
                                 fp_thumbnail_cache_get_height (cache));
  return GTK_WIDGET (self);
}

/* While its thumbnail is being made, the tile shows where the flag will
 * be (the "loading" style's background) instead of nothing. */
static void
set_loading (FpFlagTile *self,
             gboolean    loading)
{
  if (loading)
    gtk_widget_add_css_class (GTK_WIDGET (self->picture), "loading");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->picture), "loading");
}

typedef struct
{
  FpFlagTile *tile;
  FpFlagFile *flag_file;
} ThumbnailRequest;

static void
thumbnail_loaded_cb (GObject      *source_object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThumbnailRequest *request = user_data;
  g_autoptr(FpFlagTile) self = request->tile;
  g_autoptr(FpFlagFile) flag_file = request->flag_file;
  g_autoptr(FpThumbnail) thumbnail = NULL;
  g_autoptr(GError) error = NULL;

  g_free (request);
  thumbnail = fp_thumbnail_cache_load_finish (FP_THUMBNAIL_CACHE (source_object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->flag_file != flag_file)
    return;

  g_clear_object (&self->thumbnail_cancellable);
  set_loading (self, FALSE);
  if (thumbnail == NULL)
    {
      /* The file went away or its pixels are damaged: say so, in place. */
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GtkIconPaintable) icon =
        gtk_icon_theme_lookup_icon (theme, "image-missing-symbolic", NULL, 48,
                                    gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                    gtk_widget_get_direction (GTK_WIDGET (self)), 0);

      g_debug ("No thumbnail for %s: %s", fp_flag_file_get_code (flag_file), error->message);
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (icon));
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (thumbnail));
}

static void
show_thumbnail (FpFlagTile *self)
{
  int scale = MAX (1, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  g_autoptr(FpThumbnail) thumbnail = NULL;
  ThumbnailRequest *request;

  g_cancellable_cancel (self->thumbnail_cancellable);
  g_clear_object (&self->thumbnail_cancellable);
  set_loading (self, FALSE);

  /* A failed download keeps its icon: it has no file to show. */
  if (self->flag_file != NULL && fp_flag_file_get_failure (self->flag_file) != NULL)
    return;

  if (self->flag_file == NULL || self->cache == NULL || !self->in_view)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      return;
    }

  thumbnail = fp_thumbnail_cache_lookup (self->cache, self->flag_file, scale);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (thumbnail));
  if (thumbnail != NULL)
    return;

  set_loading (self, TRUE);
  self->thumbnail_cancellable = g_cancellable_new ();
  request = g_new0 (ThumbnailRequest, 1);
  request->tile = g_object_ref (self);
  request->flag_file = g_object_ref (self->flag_file);
  fp_thumbnail_cache_load_async (self->cache, self->flag_file, scale,
                                 self->thumbnail_cancellable, thumbnail_loaded_cb, request);
}

/**
 * fp_flag_tile_set_in_view:
 * @in_view: whether the tile is on screen, or close enough to come into
 *   view at the next scroll
 *
 * A tile out of view lets go of its thumbnail (the cache may keep it a
 * while); one that comes into view gets it back. A new tile is in view.
 */
void
fp_flag_tile_set_in_view (FpFlagTile *self,
                          gboolean    in_view)
{
  g_return_if_fail (FP_IS_FLAG_TILE (self));

  in_view = !!in_view;
  if (self->in_view == in_view)
    return;
  self->in_view = in_view;

  if (!in_view || gtk_picture_get_paintable (self->picture) == NULL)
    show_thumbnail (self);
}

gboolean
fp_flag_tile_get_in_view (FpFlagTile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_TILE (self), FALSE);
  return self->in_view;
}

/**
 * fp_flag_tile_get_thumbnail:
 *
 * Returns: (transfer none) (nullable): the thumbnail the tile shows, if made yet
 */
FpThumbnail *
fp_flag_tile_get_thumbnail (FpFlagTile *self)
{
  GdkPaintable *paintable;

  g_return_val_if_fail (FP_IS_FLAG_TILE (self), NULL);

  paintable = gtk_picture_get_paintable (self->picture);
  return FP_IS_THUMBNAIL (paintable) ? FP_THUMBNAIL (paintable) : NULL;
}

FpFlagFile *
fp_flag_tile_get_flag_file (FpFlagTile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_TILE (self), NULL);

  return self->flag_file;
}

/**
 * fp_flag_tile_set_flag_file:
 * @flag_file: (nullable): the flag to show, or NULL when the grid recycles the tile
 */
void
fp_flag_tile_set_flag_file (FpFlagTile *self,
                            FpFlagFile *flag_file)
{
  const char *title = NULL;

  g_return_if_fail (FP_IS_FLAG_TILE (self));
  g_return_if_fail (flag_file == NULL || FP_IS_FLAG_FILE (flag_file));

  if (!g_set_object (&self->flag_file, flag_file))
    return;

  if (flag_file != NULL)
    title = fp_flag_file_get_title (flag_file);

  /* A download of this batch that failed shows as failed, in words and
   * with an icon, never as an older good file and never by colour alone. */
  if (flag_file != NULL && fp_flag_file_get_failure (flag_file) != NULL)
    {
      GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GtkIconPaintable) icon =
        gtk_icon_theme_lookup_icon (theme, "dialog-error-symbolic", NULL, 48,
                                    gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                    gtk_widget_get_direction (GTK_WIDGET (self)), 0);
      g_autofree char *caption = NULL;

      g_cancellable_cancel (self->thumbnail_cancellable);
      g_clear_object (&self->thumbnail_cancellable);
      /* Translators: a failed flag's caption, its code and why, as in “BR · HTTP 418 I'm a Teapot” */
      caption = g_strdup_printf (_("%s · %s"), fp_flag_file_get_code (flag_file),
                                 fp_flag_file_get_failure (flag_file));
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (icon));
      gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_SCALE_DOWN);
      gtk_inscription_set_text (self->code_inscription, caption);
      gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
    }
  else
    {
      gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
      gtk_inscription_set_text (self->code_inscription,
                                flag_file != NULL ? fp_flag_file_get_code (flag_file) : NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
      show_thumbnail (self);
    }
  gtk_picture_set_alternative_text (self->picture, title);
  gtk_inscription_set_text (self->title_inscription, title);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAG_FILE]);
}

guint
fp_flag_tile_get_n_tiles (void)
{
  return n_tiles;
}

guint
fp_flag_tile_get_n_thumbnails (void)
{
  return n_thumbnails;
}
