/* fp-spinner.h — a spinner drawn as an arc, which needs no icon
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FP_TYPE_SPINNER (fp_spinner_get_type ())
G_DECLARE_FINAL_TYPE (FpSpinner, fp_spinner, FP, SPINNER, GtkWidget)

GtkWidget *fp_spinner_new          (void);
gboolean   fp_spinner_get_spinning (FpSpinner *self);
void       fp_spinner_set_spinning (FpSpinner *self,
                                    gboolean   spinning);

G_END_DECLS
