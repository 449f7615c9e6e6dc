/* fp-drawing.c — what the app's own drawings (the timeline, the chart) share: the style's colours, text
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fp-drawing.h"

/**
 * fp_drawing_lookup_color:
 * @name: a colour the style sheet defines, "accent_color" or "blue_3"
 * @fallback: what to use when it does not, for gdk_rgba_parse()
 *
 * The timeline and the chart draw with the style's colours so that the
 * dark style and high contrast apply to them too. GTK 4.8 has no other
 * way to read a named colour than the style context, deprecated since 4.10
 * but current on this platform.
 */
void
fp_drawing_lookup_color (GtkWidget  *widget,
                         const char *name,
                         const char *fallback,
                         GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/*
 * The timeline draws its axis and legend again at every frame while a
 * batch runs, some two dozen pieces of text, and a new PangoLayout for
 * each shaped its text again every time (4 % of the window's thread with
 * the Timeline shown, perf). The layouts are kept per widget, by text and
 * size, and dropped when the widget's font changes (the context's serial)
 * or when there are too many (an axis's labels change as it grows).
 */
#define TEXT_CACHE_MAX 128

typedef struct {
  guint serial;
  GHashTable *layouts;   /* "scale text" → PangoLayout */
} TextCache;

static void
text_cache_free (gpointer data)
{
  TextCache *cache = data;

  g_hash_table_unref (cache->layouts);
  g_free (cache);
}

/**
 * fp_drawing_get_text_layout:
 * @text: the text
 * @scale: its size against the widget's font
 *
 * Returns: (transfer none): a layout of @text in the widget's font, kept
 *   for the next frame; valid until the next call for @widget
 */
PangoLayout *
fp_drawing_get_text_layout (GtkWidget  *widget,
                            const char *text,
                            double      scale)
{
  static GQuark quark;
  PangoContext *context = gtk_widget_get_pango_context (widget);
  TextCache *cache;
  g_autofree char *key = NULL;
  PangoLayout *layout;

  if (quark == 0)
    quark = g_quark_from_static_string ("fp-drawing-text-cache");
  cache = g_object_get_qdata (G_OBJECT (widget), quark);
  if (cache == NULL)
    {
      cache = g_new0 (TextCache, 1);
      cache->layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_object_set_qdata_full (G_OBJECT (widget), quark, cache, text_cache_free);
    }
  if (cache->serial != pango_context_get_serial (context)
      || g_hash_table_size (cache->layouts) >= TEXT_CACHE_MAX)
    {
      g_hash_table_remove_all (cache->layouts);
      cache->serial = pango_context_get_serial (context);
    }

  key = g_strdup_printf ("%g %s", scale, text);
  layout = g_hash_table_lookup (cache->layouts, key);
  if (layout != NULL)
    return layout;

  layout = gtk_widget_create_pango_layout (widget, text);
  if (scale != 1.0)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  g_hash_table_insert (cache->layouts, g_steal_pointer (&key), layout);
  return layout;
}

/**
 * fp_drawing_append_text:
 * @x: where the text goes: its left edge for @align 0, its middle for 0.5,
 *   its right edge for 1
 * @y: the middle of its line
 * @scale: its size against the widget's font
 *
 * Appends @text in the widget's font, so the drawing follows the user's
 * text size and language like the widgets around it.
 */
void
fp_drawing_append_text (GtkWidget     *widget,
                        GtkSnapshot   *snapshot,
                        const char    *text,
                        double         x,
                        double         y,
                        const GdkRGBA *color,
                        double         align,
                        double         scale)
{
  PangoLayout *layout = fp_drawing_get_text_layout (widget, text, scale);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x - width * align), (float) (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
