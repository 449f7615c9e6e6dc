/* fp-theme-color.c — a named colour of the style (libadwaita's palette), for what the app draws itself
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fp-theme-color.h"

/**
 * fp_theme_color_lookup:
 * @name: a colour the style sheet defines, "accent_color" or "blue_3"
 * @fallback: what to use when it does not, for gdk_rgba_parse()
 *
 * The timeline and the chart draw with the style's colours so that the
 * dark style and high contrast apply to them too. GTK 4.8 has no other
 * way to read a named colour than the style context, deprecated since 4.10
 * but current on this platform.
 */
void
fp_theme_color_lookup (GtkWidget  *widget,
                       const char *name,
                       const char *fallback,
                       GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    gdk_rgba_parse (color, fallback);
  G_GNUC_END_IGNORE_DEPRECATIONS
}
