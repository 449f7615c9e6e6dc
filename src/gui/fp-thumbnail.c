/* fp-thumbnail.c — a flag's picture made once at the size a tile shows it, for the screen's scale
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-thumbnail"

#include "config.h"

#include "fp-flag-file.h"
#include "fp-thumbnail.h"

/*
 * A GdkTexture's intrinsic size is its size in device pixels, so on a
 * screen with scale factor 2 a GtkPicture would show a 320 × 240 texture
 * made for a 160 × 120 tile at twice the tile's size, or scale it at every
 * frame. This paintable tells the logical size instead: the texture is
 * drawn pixel for pixel, never scaled at draw time.
 *
 * Nor converted at draw time: GTK 4.8's cairo renderer converts a texture
 * node's pixels into a new surface at every frame. A decoded flag keeps
 * its pixels in a cairo surface too (fp_flag_file_texture_get_surface()),
 * and a cairo node paints it as it is; the GL renderers keep what they
 * made of the node while it lives, as they keep a texture.
 */
struct _FpThumbnail
{
  GObject parent_instance;

  GdkTexture *texture;
  int scale;
};

static void fp_thumbnail_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FpThumbnail, fp_thumbnail, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, fp_thumbnail_paintable_init))

static void
fp_thumbnail_snapshot (GdkPaintable *paintable,
                       GdkSnapshot  *snapshot,
                       double        width,
                       double        height)
{
  FpThumbnail *self = FP_THUMBNAIL (paintable);
  cairo_surface_t *surface = fp_flag_file_texture_get_surface (self->texture);
  cairo_t *cr;

  if (surface == NULL || width <= 0 || height <= 0)
    {
      gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
      return;
    }

  cr = gtk_snapshot_append_cairo (GTK_SNAPSHOT (snapshot), &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, width / cairo_image_surface_get_width (surface), height / cairo_image_surface_get_height (surface));
  cairo_set_source_surface (cr, surface, 0, 0);
  /* Like a texture node: the edge pixels, not transparency, beyond. */
  cairo_pattern_set_extend (cairo_get_source (cr), CAIRO_EXTEND_PAD);
  cairo_paint (cr);
  cairo_destroy (cr);
}

static int
fp_thumbnail_get_intrinsic_width (GdkPaintable *paintable)
{
  FpThumbnail *self = FP_THUMBNAIL (paintable);

  return MAX (1, gdk_texture_get_width (self->texture) / self->scale);
}

static int
fp_thumbnail_get_intrinsic_height (GdkPaintable *paintable)
{
  FpThumbnail *self = FP_THUMBNAIL (paintable);

  return MAX (1, gdk_texture_get_height (self->texture) / self->scale);
}

static GdkPaintableFlags
fp_thumbnail_get_flags (GdkPaintable *paintable)
{
  /* Never changes: GTK may keep what it drew of it. */
  return GDK_PAINTABLE_STATIC_SIZE | GDK_PAINTABLE_STATIC_CONTENTS;
}

static void
fp_thumbnail_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = fp_thumbnail_snapshot;
  iface->get_intrinsic_width = fp_thumbnail_get_intrinsic_width;
  iface->get_intrinsic_height = fp_thumbnail_get_intrinsic_height;
  iface->get_flags = fp_thumbnail_get_flags;
}

static void
fp_thumbnail_finalize (GObject *object)
{
  FpThumbnail *self = FP_THUMBNAIL (object);

  g_clear_object (&self->texture);

  G_OBJECT_CLASS (fp_thumbnail_parent_class)->finalize (object);
}

static void
fp_thumbnail_class_init (FpThumbnailClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_thumbnail_finalize;
}

static void
fp_thumbnail_init (FpThumbnail *self)
{
  self->scale = 1;
}

FpThumbnail *
fp_thumbnail_new (GdkTexture *texture,
                  int         scale)
{
  FpThumbnail *self;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  self = g_object_new (FP_TYPE_THUMBNAIL, NULL);
  self->texture = g_object_ref (texture);
  self->scale = MAX (1, scale);
  return self;
}

GdkTexture *
fp_thumbnail_get_texture (FpThumbnail *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL (self), NULL);
  return self->texture;
}

int
fp_thumbnail_get_scale (FpThumbnail *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL (self), 1);
  return self->scale;
}

gsize
fp_thumbnail_get_size (FpThumbnail *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL (self), 0);
  /* Memory textures keep 4 bytes a pixel here (see fp_flag_file_decode()). */
  return (gsize) gdk_texture_get_width (self->texture) * gdk_texture_get_height (self->texture) * 4;
}
