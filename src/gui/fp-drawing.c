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
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  if (scale != 1.0)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (x - width * align), (float) (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}
