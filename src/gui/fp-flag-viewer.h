/* fp-flag-viewer.h — the large view of one downloaded flag and the facts about its file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fp-flag-file.h"

G_BEGIN_DECLS

#define FP_TYPE_FLAG_VIEWER (fp_flag_viewer_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagViewer, fp_flag_viewer, FP, FLAG_VIEWER, AdwWindow)

/* Shows @flag_file; @flags (the grid's model) is what Previous and Next
 * walk through. */
GtkWidget  *fp_flag_viewer_new           (GListModel   *flags,
                                          FpFlagFile   *flag_file);

FpFlagFile *fp_flag_viewer_get_flag_file (FpFlagViewer *self);
void        fp_flag_viewer_set_flag_file (FpFlagViewer *self,
                                          FpFlagFile   *flag_file);
GListModel *fp_flag_viewer_get_flags     (FpFlagViewer *self);

/* TRUE once the full-size image of the flag shown is on screen. */
gboolean    fp_flag_viewer_get_image_loaded (FpFlagViewer *self);

G_END_DECLS
