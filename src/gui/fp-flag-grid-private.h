/* fp-flag-grid-private.h — what the flag grid's files share: its fields and the few functions between them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fp-flag-file.h"
#include "fp-flag-grid.h"
#include "fp-spinner.h"
#include "fp-thumbnail-cache.h"

G_BEGIN_DECLS

/*
 * A flag waiting for its file to be decoded. Decoding runs on several
 * threads and may finish out of order, but the grid must read in the
 * order the flags arrived: loads queue here and leave from the head only,
 * once done. Each is shared by the queue and the running load.
 */
typedef struct
{
  FpFlagGrid *grid;              /* NULL once the grid has dropped it */
  char *code;
  FpFlagFile *flag_file;         /* set when decoded, or a failed flag from the start */
  gboolean done;
  gboolean of_batch;             /* a result of the batch shown in This Batch */
} PendingLoad;

struct _FpFlagGrid
{
  GtkWidget parent_instance;

  GtkStack *stack;
  FpSpinner *spinner;
  AdwStatusPage *empty_page;
  GtkGridView *grid_view;
  GtkScrolledWindow *scrolled_window;
  GtkWidget *content_box;
  GtkWidget *view_switch;
  GtkToggleButton *batch_button;
  GtkToggleButton *folder_button;
  AdwStatusPage *batch_empty_page;
  gboolean batch_unreachable;    /* the batch never reached its source */

  GFile *destination;
  GListStore *flags;             /* FpFlagFile, in arrival order */
  GListStore *batch_flags;       /* FpFlagFile of this batch, in completion order, failed ones too */
  GtkFilterListModel *batch_files; /* batch_flags without the failed ones, for the viewer */
  /* What the grid view sees of flags and batch_flags: everything while
   * the grid is on screen, only what it already showed while it is not. */
  GtkSliceListModel *folder_shown;
  GtkSliceListModel *batch_shown;
  guint grow_tick;               /* tick callback, while the view catches up with them */
  GtkSelectionModel *folder_selection;
  GtkSelectionModel *batch_selection;
  gboolean has_batch;            /* a batch began: This Batch is there to show */
  gboolean batch_running;
  gboolean show_batch;           /* This Batch is shown, else All Flags */
  GHashTable *by_code;           /* code → FpFlagFile in flags */
  GHashTable *result_codes;      /* codes added by a result since the folder was set */
  GQueue pending;                /* PendingLoad */
  GCancellable *cancellable;     /* for the current folder */
  gboolean listing;
  gboolean loading;              /* as last notified */
  guint n_flags;                 /* as last notified */
  guint flush_source;            /* idle, while the grid is not on screen */
  guint flush_tick;              /* tick callback, while it is */
  guint chunk;                   /* flags per flush, adapted to FLUSH_BUDGET_US */
  FpThumbnailCache *thumbnails;
  guint view_source;             /* idle that tells tiles whether they are in view, off screen */
  gboolean view_dirty;           /* the tiles moved: tell them after this frame */
  GdkFrameClock *frame_clock;    /* while mapped */
  gulong after_paint_id;
  GtkWindow *viewer;             /* weak */
};

void     _fp_flag_grid_update_state       (FpFlagGrid      *self);
void     _fp_flag_grid_hold_view          (FpFlagGrid      *self);

/* fp-flag-grid-loading.c */
void     _fp_flag_grid_load_folder        (FpFlagGrid      *self);
void     _fp_flag_grid_drop_pending       (FpFlagGrid      *self);
void     _fp_flag_grid_restart_flushing   (FpFlagGrid      *self);
void     _fp_flag_grid_queue_failure      (FpFlagGrid      *self,
                                           const char      *code,
                                           const char      *message);
void     _fp_flag_grid_queue_file         (FpFlagGrid      *self,
                                           const char      *code,
                                           GFile           *file);

/* fp-flag-grid-batch.c */
void     _fp_flag_grid_close_viewer       (FpFlagGrid      *self);
void     _fp_flag_grid_notify_show_batch  (FpFlagGrid      *self);
gboolean _fp_flag_grid_batch_pending      (FpFlagGrid      *self);
void     _fp_flag_grid_append_to_batch    (FpFlagGrid      *self,
                                           GPtrArray       *ready);
gboolean _fp_flag_grid_is_saved_flag      (gpointer         item,
                                           gpointer         user_data);
void     _fp_flag_grid_view_toggled_cb    (GtkToggleButton *button,
                                           FpFlagGrid      *self);

G_END_DECLS
