/* fp-run.h — one batch's life: its configuration, the batch, cancellation, progress and outcome
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fp-batch-config.h"
#include "fp-download-batch.h"
#include "fp-flag-server.h"

G_BEGIN_DECLS

/**
 * FpRun:
 *
 * One batch from the press of a button (or the start of flagpole-cli) to
 * its summary. Both front ends use it; neither computes these facts again.
 *
 * What it owns: the #FpBatchConfig it was made with (never changed after),
 * the #FpDownloadBatch it makes when started, the cancellation, and, when
 * it had to start one, the built-in server. What it tells: its state, the
 * counts as downloads complete (properties that notify, so a widget can
 * bind), the rate and the time left, and at the end its outcome, elapsed
 * time and speed-up.
 *
 * Life: fp_run_new() → (fp_run_ensure_server()) → fp_run_start() →
 * ::download-started / ::download-completed per code, in completion order
 * → ::finished once, with #FpRun:state FINISHED, CANCELLED or FAILED.
 * fp_run_cancel() may come at any time while it runs. A run runs once.
 *
 * Extending it: a new fact of a run is a property (or a getter) here,
 * filled from the batch's signals in fp-run.c. Whoever records runs
 * (the window's speed-up record, a history, a timeline) connects to
 * ::finished and reads the getters there; a fact the record needs from
 * before the start (like fp_run_set_sequential_time()) is a setter that
 * must be called before fp_run_start().
 *
 * Everything happens on the thread-default main context of the caller of
 * fp_run_start(); only that thread may call into a run.
 */
#define FP_TYPE_RUN (fp_run_get_type ())
G_DECLARE_FINAL_TYPE (FpRun, fp_run, FP, RUN, GObject)

FpRun           *fp_run_new                 (FpBatchConfig  *config,
                                             FpFlagServer   *server);

FpBatchConfig   *fp_run_get_config          (FpRun          *self);
FpFlagServer    *fp_run_get_server          (FpRun          *self);
FpDownloadBatch *fp_run_get_batch           (FpRun          *self);

gboolean         fp_run_ensure_server       (FpRun          *self,
                                             GError        **error);
void             fp_run_start               (FpRun          *self);
void             fp_run_cancel              (FpRun          *self);

FpRunState       fp_run_get_state           (FpRun          *self);
gboolean         fp_run_get_running         (FpRun          *self);
gboolean         fp_run_get_cancelling      (FpRun          *self);
const GError    *fp_run_get_error           (FpRun          *self);

guint            fp_run_get_n_total         (FpRun          *self);
guint            fp_run_get_n_answered      (FpRun          *self);
guint            fp_run_get_n_ok            (FpRun          *self);
guint            fp_run_get_n_not_found     (FpRun          *self);
guint            fp_run_get_n_error         (FpRun          *self);
guint            fp_run_get_n_unfinished    (FpRun          *self);
guint            fp_run_get_workers         (FpRun          *self);
double           fp_run_get_fraction        (FpRun          *self);
double           fp_run_get_elapsed         (FpRun          *self);
double           fp_run_get_duration        (FpRun          *self);
double           fp_run_get_rate            (FpRun          *self);
double           fp_run_get_seconds_left    (FpRun          *self);
GPtrArray       *fp_run_get_results         (FpRun          *self);

void             fp_run_set_sequential_time (FpRun          *self,
                                             double          seconds);
double           fp_run_get_sequential_time (FpRun          *self);
double           fp_run_get_speed_up        (FpRun          *self);

G_END_DECLS
