/* fp-flag-grid.h — the thumbnail gallery of every flag in the destination folder
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "flagpole-engine.h"

G_BEGIN_DECLS

#define FP_TYPE_FLAG_GRID (fp_flag_grid_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagGrid, fp_flag_grid, FP, FLAG_GRID, GtkWidget)

GtkWidget *fp_flag_grid_new             (void);

/* Setting the folder lists the flags already in it, off the main thread,
 * oldest first, so that the grid reads in the order the flags arrived.
 * Setting the folder already shown changes nothing. */
void       fp_flag_grid_set_destination (FpFlagGrid       *self,
                                         GFile            *destination);
GFile     *fp_flag_grid_get_destination (FpFlagGrid       *self);

/* One finished download: an OK result adds its flag at the end (a flag
 * that was already there moves to the end with its new image); other
 * statuses are ignored. Decoding happens off the main thread. */
void       fp_flag_grid_add_result      (FpFlagGrid       *self,
                                         FpDownloadResult *result);

/* How many flags the grid holds now. */
guint      fp_flag_grid_get_n_flags     (FpFlagGrid       *self);

/* Lists the folder again, for changes made behind the application's back. */
void       fp_flag_grid_reload          (FpFlagGrid       *self);

/* The FpFlagFile items shown, in the grid's order. */
GListModel *fp_flag_grid_get_flags      (FpFlagGrid       *self);

/* TRUE while the folder is listed or a flag is still being decoded
 * (property "loading"; "n-flags" notifies as the grid fills). */
gboolean   fp_flag_grid_get_loading     (FpFlagGrid       *self);

/* This Batch: begin_batch() empties it and shows it; the results added
 * until end_batch() fill it in completion order, failed ones marked. */
void        fp_flag_grid_begin_batch     (FpFlagGrid       *self);
void        fp_flag_grid_end_batch       (FpFlagGrid       *self);
void        fp_flag_grid_set_show_batch  (FpFlagGrid       *self,
                                          gboolean          show_batch);
gboolean    fp_flag_grid_get_show_batch  (FpFlagGrid       *self);
GListModel *fp_flag_grid_get_batch_flags (FpFlagGrid       *self);
void        fp_flag_grid_show_unreachable (FpFlagGrid      *self,
                                          const char       *title,
                                          const char       *advice);

G_END_DECLS
