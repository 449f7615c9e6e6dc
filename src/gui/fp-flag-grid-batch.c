/* fp-flag-grid-batch.c — the flag grid's This Batch: a batch's flags in completion order, failures marked
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-flag-grid.h"
#include "fp-flag-grid-private.h"

/*
 * All Flags is the folder, every flag on disk, old ones too. This Batch is
 * what the last batch did: each flag it saved, in the order they came, and
 * each code that failed, as failed, where an older good file would lie.
 * Both views share the grid view, its tiles and its decoding queue (a
 * result's flag is decoded once and goes into both); switching swaps the
 * grid view's model.
 */

gboolean
_fp_flag_grid_batch_pending (FpFlagGrid *self)
{
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    if (((PendingLoad *) l->data)->of_batch)
      return TRUE;
  return FALSE;
}

/* This Batch gains its flags at the end, in completion order: a tile
 * never moves there. */
void
_fp_flag_grid_append_to_batch (FpFlagGrid *self,
                 GPtrArray  *ready)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->batch_flags));

  if (ready->len > 0)
    g_list_store_splice (self->batch_flags, n, 0, ready->pdata, ready->len);
}

gboolean
_fp_flag_grid_is_saved_flag (gpointer item,
               gpointer user_data)
{
  return fp_flag_file_get_failure (item) == NULL;
}

void
_fp_flag_grid_view_toggled_cb (GtkToggleButton *button,
                 FpFlagGrid      *self)
{
  if (gtk_toggle_button_get_active (button))
    fp_flag_grid_set_show_batch (self, button == self->batch_button);
}

/**
 * fp_flag_grid_begin_batch:
 * @self: a #FpFlagGrid
 *
 * A batch starts: This Batch empties and is shown, and fills with the
 * batch's results (fp_flag_grid_add_result()) in completion order, its
 * failures marked, until fp_flag_grid_end_batch(). All Flags stays the
 * folder's.
 */
void
fp_flag_grid_begin_batch (FpFlagGrid *self)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));

  g_list_store_remove_all (self->batch_flags);
  _fp_flag_grid_hold_view (self);
  self->batch_unreachable = FALSE;
  adw_status_page_set_icon_name (self->batch_empty_page, "emoji-flags-symbolic");
  adw_status_page_set_title (self->batch_empty_page, _("No Flags in This Batch"));
  adw_status_page_set_description (self->batch_empty_page, _("All Flags shows every flag in the folder"));
  self->has_batch = TRUE;
  self->batch_running = TRUE;
  fp_flag_grid_set_show_batch (self, TRUE);
  _fp_flag_grid_update_state (self);
}

/* The batch ended: This Batch keeps what it got, and gets no more. */
void
fp_flag_grid_end_batch (FpFlagGrid *self)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));

  self->batch_running = FALSE;
  _fp_flag_grid_update_state (self);
}

/**
 * fp_flag_grid_set_show_batch:
 * @show_batch: %TRUE for This Batch, %FALSE for All Flags
 */
void
fp_flag_grid_set_show_batch (FpFlagGrid *self,
                             gboolean    show_batch)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));

  show_batch = show_batch && self->has_batch;
  if (self->show_batch == show_batch)
    return;

  self->show_batch = show_batch;
  _fp_flag_grid_close_viewer (self);
  gtk_grid_view_set_model (self->grid_view, show_batch ? self->batch_selection : self->folder_selection);
  _fp_flag_grid_hold_view (self);
  gtk_toggle_button_set_active (show_batch ? self->batch_button : self->folder_button, TRUE);
  _fp_flag_grid_update_state (self);
  _fp_flag_grid_notify_show_batch (self);
}

gboolean
fp_flag_grid_get_show_batch (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), FALSE);
  return self->show_batch;
}

/* Returns: (transfer none): This Batch's flags, in completion order,
 *   failed ones (fp_flag_file_get_failure()) included */
GListModel *
fp_flag_grid_get_batch_flags (FpFlagGrid *self)
{
  g_return_val_if_fail (FP_IS_FLAG_GRID (self), NULL);
  return G_LIST_MODEL (self->batch_flags);
}

/**
 * fp_flag_grid_show_unreachable:
 * @title: what happened, naming the source ("Nothing is listening at …")
 * @advice: what to do about it
 *
 * The batch never reached its source: This Batch says so once, on a
 * status page, instead of a tile per code that failed the same way.
 */
void
fp_flag_grid_show_unreachable (FpFlagGrid *self,
                               const char *title,
                               const char *advice)
{
  g_return_if_fail (FP_IS_FLAG_GRID (self));

  self->batch_unreachable = TRUE;
  adw_status_page_set_icon_name (self->batch_empty_page, "network-error-symbolic");
  adw_status_page_set_title (self->batch_empty_page, title);
  adw_status_page_set_description (self->batch_empty_page, advice);
  _fp_flag_grid_update_state (self);
}
