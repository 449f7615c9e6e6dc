/* fp-flag-grid.c — PLACEHOLDER, to be replaced by the gallery implementation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-grid"

#include "config.h"

#include "fp-flag-grid.h"

struct _FpFlagGrid
{
  GtkWidget parent_instance;
  GFile *destination;
  guint n_flags;
};

G_DEFINE_FINAL_TYPE (FpFlagGrid, fp_flag_grid, GTK_TYPE_WIDGET)

static void
fp_flag_grid_dispose (GObject *object)
{
  FpFlagGrid *self = FP_FLAG_GRID (object);
  g_clear_object (&self->destination);
  G_OBJECT_CLASS (fp_flag_grid_parent_class)->dispose (object);
}

static void
fp_flag_grid_class_init (FpFlagGridClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fp_flag_grid_dispose;
}

static void
fp_flag_grid_init (FpFlagGrid *self)
{
}

GtkWidget *
fp_flag_grid_new (void)
{
  return g_object_new (FP_TYPE_FLAG_GRID, NULL);
}

void
fp_flag_grid_set_destination (FpFlagGrid *self, GFile *destination)
{
  g_set_object (&self->destination, destination);
}

GFile *
fp_flag_grid_get_destination (FpFlagGrid *self)
{
  return self->destination;
}

void
fp_flag_grid_add_result (FpFlagGrid *self, FpDownloadResult *result)
{
  if (fp_download_result_get_status (result) == FP_DOWNLOAD_STATUS_OK)
    self->n_flags++;
}

guint
fp_flag_grid_get_n_flags (FpFlagGrid *self)
{
  return self->n_flags;
}
