/* fp-theme-color.h — a named colour of the style (libadwaita's palette), for what the app draws itself
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fp_theme_color_lookup (GtkWidget  *widget,
                            const char *name,
                            const char *fallback,
                            GdkRGBA    *color);

G_END_DECLS
