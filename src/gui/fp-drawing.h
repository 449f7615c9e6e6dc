/* fp-drawing.h — what the app's own drawings (the timeline, the chart) share: the style's colours, text
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fp_drawing_lookup_color (GtkWidget     *widget,
                              const char    *name,
                              const char    *fallback,
                              GdkRGBA       *color);
PangoLayout *fp_drawing_get_text_layout (GtkWidget  *widget,
                                         const char *text,
                                         double      scale);
void fp_drawing_append_text  (GtkWidget     *widget,
                              GtkSnapshot   *snapshot,
                              const char    *text,
                              double         x,
                              double         y,
                              const GdkRGBA *color,
                              double         align,
                              double         scale);

G_END_DECLS
