/* fp-flag-tile.c — one cell of the flag grid: the thumbnail, the country's name and its code
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-flag-tile.h"

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
 */
struct _FpFlagTile
{
  GtkWidget parent_instance;

  GtkPicture *picture;
  GtkInscription *title_inscription;
  GtkInscription *code_inscription;

  FpFlagFile *flag_file;
};

G_DEFINE_FINAL_TYPE (FpFlagTile, fp_flag_tile, GTK_TYPE_WIDGET)

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
fp_flag_tile_dispose (GObject *object)
{
  FpFlagTile *self = FP_FLAG_TILE (object);

  g_clear_object (&self->flag_file);
  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_FLAG_TILE);

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
  object_class->get_property = fp_flag_tile_get_property;
  object_class->set_property = fp_flag_tile_set_property;

  properties[PROP_FLAG_FILE] =
    g_param_spec_object ("flag-file", NULL, NULL,
                         FP_TYPE_FLAG_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-flag-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, FpFlagTile, picture);
  gtk_widget_class_bind_template_child (widget_class, FpFlagTile, title_inscription);
  gtk_widget_class_bind_template_child (widget_class, FpFlagTile, code_inscription);
  gtk_widget_class_bind_template_callback (widget_class, query_tooltip_cb);
  gtk_widget_class_set_css_name (widget_class, "flagtile");
}

static void
fp_flag_tile_init (FpFlagTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fp_flag_tile_new (void)
{
  return g_object_new (FP_TYPE_FLAG_TILE, NULL);
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
      gtk_picture_set_paintable (self->picture,
                                 flag_file != NULL ? GDK_PAINTABLE (fp_flag_file_get_thumbnail (flag_file)) : NULL);
      gtk_picture_set_content_fit (self->picture, GTK_CONTENT_FIT_CONTAIN);
      gtk_inscription_set_text (self->code_inscription,
                                flag_file != NULL ? fp_flag_file_get_code (flag_file) : NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
    }
  gtk_picture_set_alternative_text (self->picture, title);
  gtk_inscription_set_text (self->title_inscription, title);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAG_FILE]);
}
