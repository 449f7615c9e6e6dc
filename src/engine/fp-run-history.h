/* fp-run-history.h — every run kept across sessions in the user's data folder, newest first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-run-record.h"

G_BEGIN_DECLS

/* Runs kept; the newest few keep every download's timeline too. */
#define FP_RUN_HISTORY_MAX_RUNS      200
#define FP_RUN_HISTORY_MAX_DETAILED  10

#define FP_TYPE_RUN_HISTORY (fp_run_history_get_type ())
G_DECLARE_FINAL_TYPE (FpRunHistory, fp_run_history, FP, RUN_HISTORY, GObject)

GFile        *fp_run_history_get_default_file (void);
FpRunHistory *fp_run_history_new            (GFile         *file);
GFile        *fp_run_history_get_file       (FpRunHistory  *self);
const char   *fp_run_history_get_warning    (FpRunHistory  *self);

gboolean      fp_run_history_load           (FpRunHistory  *self,
                                             GCancellable  *cancellable,
                                             GError       **error);
void          fp_run_history_load_async     (FpRunHistory       *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean      fp_run_history_load_finish    (FpRunHistory  *self,
                                             GAsyncResult  *result,
                                             GError       **error);

void          fp_run_history_add            (FpRunHistory  *self,
                                             FpRunRecord   *record);
gboolean      fp_run_history_save           (FpRunHistory  *self,
                                             GCancellable  *cancellable,
                                             GError       **error);
void          fp_run_history_save_async     (FpRunHistory       *self,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean      fp_run_history_save_finish    (FpRunHistory  *self,
                                             GAsyncResult  *result,
                                             GError       **error);

void          fp_run_history_load_details_async  (FpRunHistory        *self,
                                                  FpRunRecord         *record,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
FpRunRecord  *fp_run_history_load_details_finish (FpRunHistory        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

FpRunRecord  *fp_run_history_find_baseline  (FpRunHistory  *self,
                                             FpRunRecord   *record);
double        fp_run_history_find_sequential_time (FpRunHistory *self,
                                             FpRunRecord   *record);
FpRunRecord  *fp_run_history_lookup         (FpRunHistory  *self,
                                             const char    *id);

G_END_DECLS
