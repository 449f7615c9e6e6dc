/* fp-run.c — one batch's life: its configuration, the batch, cancellation, progress and outcome
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run"

#include "config.h"

#include "fp-engine-enums.h"
#include "fp-run.h"

/*
 * The window and the command line each had their own copy of this: make
 * the batch, keep its cancellable, count what got an answer, time it,
 * tell a cancel from a failure at the end. Here it is once. A run adds no
 * thread and no source of its own: it only listens to its batch, on the
 * caller's main context, and so needs no lock.
 */

struct _FpRun
{
  GObject parent_instance;

  FpBatchConfig *config;
  FpFlagServer *server;
  gboolean owns_server;        /* started by fp_run_ensure_server() */
  FpDownloadBatch *batch;
  GCancellable *cancellable;

  FpRunState state;
  gboolean cancelling;
  GError *error;
  gint64 started_us;
  gint64 ended_us;
  double sequential_time;
};

G_DEFINE_FINAL_TYPE (FpRun, fp_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_SERVER,
  PROP_BATCH,
  PROP_STATE,
  PROP_RUNNING,
  PROP_CANCELLING,
  PROP_N_TOTAL,
  PROP_N_ANSWERED,
  PROP_N_OK,
  PROP_N_NOT_FOUND,
  PROP_N_ERROR,
  N_PROPS
};

enum {
  DOWNLOAD_STARTED,
  DOWNLOAD_COMPLETED,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fp_run_dispose (GObject *object)
{
  FpRun *self = FP_RUN (object);

  /* A run dropped while running takes its downloads with it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);
  g_clear_object (&self->batch);
  g_clear_object (&self->cancellable);
  if (self->owns_server && self->server != NULL)
    fp_flag_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (fp_run_parent_class)->dispose (object);
}

static void
fp_run_finalize (GObject *object)
{
  FpRun *self = FP_RUN (object);

  g_clear_error (&self->error);

  G_OBJECT_CLASS (fp_run_parent_class)->finalize (object);
}

static void
fp_run_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  FpRun *self = FP_RUN (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;
    case PROP_SERVER:
      g_value_set_object (value, self->server);
      break;
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, fp_run_get_running (self));
      break;
    case PROP_CANCELLING:
      g_value_set_boolean (value, self->cancelling);
      break;
    case PROP_N_TOTAL:
      g_value_set_uint (value, fp_run_get_n_total (self));
      break;
    case PROP_N_ANSWERED:
      g_value_set_uint (value, fp_run_get_n_answered (self));
      break;
    case PROP_N_OK:
      g_value_set_uint (value, fp_run_get_n_ok (self));
      break;
    case PROP_N_NOT_FOUND:
      g_value_set_uint (value, fp_run_get_n_not_found (self));
      break;
    case PROP_N_ERROR:
      g_value_set_uint (value, fp_run_get_n_error (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_run_class_init (FpRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_run_dispose;
  object_class->finalize = fp_run_finalize;
  object_class->get_property = fp_run_get_property;

  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, FP_TYPE_BATCH_CONFIG,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER] =
    g_param_spec_object ("server", NULL, NULL, FP_TYPE_FLAG_SERVER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH] =
    g_param_spec_object ("batch", NULL, NULL, FP_TYPE_DOWNLOAD_BATCH,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FP_TYPE_RUN_STATE, FP_RUN_STATE_READY,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CANCELLING] =
    g_param_spec_boolean ("cancelling", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TOTAL] =
    g_param_spec_uint ("n-total", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ANSWERED] =
    g_param_spec_uint ("n-answered", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_OK] =
    g_param_spec_uint ("n-ok", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_NOT_FOUND] =
    g_param_spec_uint ("n-not-found", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ERROR] =
    g_param_spec_uint ("n-error", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FpRun::download-started:
   * @code: the country code a worker took up
   */
  signals[DOWNLOAD_STARTED] =
    g_signal_new ("download-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FpRun::download-completed:
   * @result: what became of one download, in completion order; the
   *   counts already include it
   */
  signals[DOWNLOAD_COMPLETED] =
    g_signal_new ("download-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FP_TYPE_DOWNLOAD_RESULT);
  /**
   * FpRun::finished:
   *
   * The run ended: #FpRun:state says how. Emitted once, before
   * #FpRun:running notifies, so that whoever watches "running" finds the
   * summary and the records already made. The place to record a run.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fp_run_init (FpRun *self)
{
  self->sequential_time = -1.0;
}

/**
 * fp_run_new:
 * @config: what to download, from where, how
 * @server: (nullable): the running built-in server to use when @config's
 *   source is the built-in one; without it, fp_run_ensure_server() starts
 *   one for this run alone
 *
 * Returns: (transfer full): a run, not started
 */
FpRun *
fp_run_new (FpBatchConfig *config,
            FpFlagServer  *server)
{
  FpRun *self;

  g_return_val_if_fail (FP_IS_BATCH_CONFIG (config), NULL);
  g_return_val_if_fail (server == NULL || FP_IS_FLAG_SERVER (server), NULL);

  self = g_object_new (FP_TYPE_RUN, NULL);
  self->config = g_object_ref (config);
  self->server = server != NULL ? g_object_ref (server) : NULL;
  return self;
}

FpBatchConfig *
fp_run_get_config (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), NULL);
  return self->config;
}

/* Returns: (nullable): the built-in server the run uses, if any. */
FpFlagServer *
fp_run_get_server (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), NULL);
  return self->server;
}

/* Returns: (nullable): the batch, once started. */
FpDownloadBatch *
fp_run_get_batch (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), NULL);
  return self->batch;
}

/**
 * fp_run_ensure_server:
 * @error: why the built-in server cannot start
 *
 * When the source is the built-in server and the run was given none,
 * starts one on a free port with the configuration's latency and error
 * rate; it stops when the run is freed, so its counters can be read at
 * the end. Otherwise does nothing.
 *
 * Returns: whether the run has what its source needs
 */
gboolean
fp_run_ensure_server (FpRun   *self,
                      GError **error)
{
  g_autoptr(FpFlagServer) server = NULL;

  g_return_val_if_fail (FP_IS_RUN (self), FALSE);

  if (self->server != NULL ||
      fp_source_get_kind (fp_batch_config_get_source (self->config)) != FP_SOURCE_KIND_BUILTIN)
    return TRUE;

  server = fp_flag_server_new (NULL);
  fp_batch_config_apply_to_server (self->config, server);
  if (!fp_flag_server_start (server, 0, error))
    return FALSE;

  self->server = g_steal_pointer (&server);
  self->owns_server = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER]);
  return TRUE;
}

static void
set_state (FpRun      *self,
           FpRunState  state)
{
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
batch_download_started_cb (FpDownloadBatch *batch,
                           const char      *code,
                           FpRun           *self)
{
  g_signal_emit (self, signals[DOWNLOAD_STARTED], 0, code);
}

static void
batch_download_completed_cb (FpDownloadBatch  *batch,
                             FpDownloadResult *result,
                             FpRun            *self)
{
  switch (fp_download_result_get_status (result))
    {
    case FP_DOWNLOAD_STATUS_OK:
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_OK]);
      break;
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_NOT_FOUND]);
      break;
    case FP_DOWNLOAD_STATUS_ERROR:
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERROR]);
      break;
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    case FP_DOWNLOAD_STATUS_CANCELLED:
    default:
      break;
    }
  if (fp_download_result_get_status (result) != FP_DOWNLOAD_STATUS_CANCELLED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ANSWERED]);

  g_signal_emit (self, signals[DOWNLOAD_COMPLETED], 0, result);
}

static void
batch_ran_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FpRun) self = user_data;
  g_autoptr(GError) error = NULL;
  FpRunState state;

  /* Disposed meanwhile: nobody is left to tell. */
  if (self->batch == NULL)
    return;

  self->ended_us = g_get_monotonic_time ();
  if (fp_download_batch_run_finish (self->batch, result, &error))
    state = FP_RUN_STATE_FINISHED;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    state = FP_RUN_STATE_CANCELLED;
  else
    {
      state = FP_RUN_STATE_FAILED;
      self->error = g_steal_pointer (&error);
    }

  /* The state holds before ::finished; "running" is told after it. */
  self->state = state;
  self->cancelling = FALSE;
  g_clear_object (&self->cancellable);
  g_signal_emit (self, signals[FINISHED], 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCELLING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/**
 * fp_run_start:
 *
 * Makes the batch (fp_batch_config_new_batch()) and starts it. For the
 * built-in source the run must have a server (fp_run_new() or
 * fp_run_ensure_server()). Its signals come on the caller's
 * thread-default main context. Does nothing unless the run is READY.
 */
void
fp_run_start (FpRun *self)
{
  g_return_if_fail (FP_IS_RUN (self));
  g_return_if_fail (fp_batch_config_resolve_base_url (self->config, self->server) != NULL);

  if (self->state != FP_RUN_STATE_READY)
    return;

  self->batch = fp_batch_config_new_batch (self->config, self->server);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->batch, "download-started",
                           G_CALLBACK (batch_download_started_cb), self, 0);
  g_signal_connect_object (self->batch, "download-completed",
                           G_CALLBACK (batch_download_completed_cb), self, 0);

  self->started_us = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
  set_state (self, FP_RUN_STATE_RUNNING);
  fp_download_batch_run_async (self->batch, self->cancellable, batch_ran_cb, g_object_ref (self));
}

/**
 * fp_run_cancel:
 *
 * Cancels the batch: queued downloads never start, running ones abort,
 * and ::finished follows with the state CANCELLED and what finished.
 * Does nothing unless the run is running and not cancelling already.
 */
void
fp_run_cancel (FpRun *self)
{
  g_return_if_fail (FP_IS_RUN (self));

  if (self->state != FP_RUN_STATE_RUNNING || self->cancelling)
    return;

  self->cancelling = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CANCELLING]);
  g_cancellable_cancel (self->cancellable);
}

FpRunState
fp_run_get_state (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), FP_RUN_STATE_READY);
  return self->state;
}

gboolean
fp_run_get_running (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), FALSE);
  return self->state == FP_RUN_STATE_RUNNING;
}

/* Whether a cancel was asked for and the batch has not ended yet. */
gboolean
fp_run_get_cancelling (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), FALSE);
  return self->cancelling;
}

/* Returns: (nullable): why a FAILED run could not run. */
const GError *
fp_run_get_error (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), NULL);
  return self->error;
}

guint
fp_run_get_n_total (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return fp_batch_config_get_n_codes (self->config);
}

guint
fp_run_get_n_ok (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return self->batch != NULL ? fp_download_batch_get_n_ok (self->batch) : 0;
}

guint
fp_run_get_n_not_found (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return self->batch != NULL ? fp_download_batch_get_n_not_found (self->batch) : 0;
}

guint
fp_run_get_n_error (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return self->batch != NULL ? fp_download_batch_get_n_error (self->batch) : 0;
}

/*
 * The downloads that got an answer: downloaded, not found, or failed. The
 * batch counts a cancelled download as done; a run does not, so that a
 * cancel neither fills a progress bar nor counts as work done.
 */
guint
fp_run_get_n_answered (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return fp_run_get_n_ok (self) + fp_run_get_n_not_found (self) + fp_run_get_n_error (self);
}

/* The codes without an answer: all before the start, the cancelled after a cancel. */
guint
fp_run_get_n_unfinished (FpRun *self)
{
  guint total, answered;

  g_return_val_if_fail (FP_IS_RUN (self), 0);

  total = fp_run_get_n_total (self);
  answered = fp_run_get_n_answered (self);
  return total > answered ? total - answered : 0;
}

/* How many downloads run at once (fp_download_batch_get_workers()), or 0 before the start. */
guint
fp_run_get_workers (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0);
  return self->batch != NULL ? fp_download_batch_get_workers (self->batch) : 0;
}

/* The answered share of the codes, 0 to 1. */
double
fp_run_get_fraction (FpRun *self)
{
  guint total;

  g_return_val_if_fail (FP_IS_RUN (self), 0.0);

  total = fp_run_get_n_total (self);
  return total > 0 ? (double) fp_run_get_n_answered (self) / total : 0.0;
}

/* Seconds the downloads have taken (the batch's clock), frozen at the end. */
double
fp_run_get_elapsed (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0.0);
  return self->batch != NULL ? fp_download_batch_get_elapsed (self->batch) : 0.0;
}

/* Seconds from fp_run_start() to the end, preparing the destination included. */
double
fp_run_get_duration (FpRun *self)
{
  gint64 end;

  g_return_val_if_fail (FP_IS_RUN (self), 0.0);

  if (self->started_us == 0)
    return 0.0;
  end = self->ended_us != 0 ? self->ended_us : g_get_monotonic_time ();
  return (end - self->started_us) / (double) G_USEC_PER_SEC;
}

/* Flags finished per second so far. */
double
fp_run_get_rate (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), 0.0);
  return self->batch != NULL ? fp_download_batch_get_rate (self->batch) : 0.0;
}

/* Seconds left at the rate so far, or -1 when that cannot be told yet. */
double
fp_run_get_seconds_left (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), -1.0);
  return self->batch != NULL ? fp_download_batch_get_seconds_left (self->batch) : -1.0;
}

/**
 * fp_run_get_results:
 *
 * Returns: (transfer none) (element-type FpDownloadResult) (nullable): the
 *   results so far in completion order, or %NULL before the start
 */
GPtrArray *
fp_run_get_results (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), NULL);
  return self->batch != NULL ? fp_download_batch_get_results (self->batch) : NULL;
}

/**
 * fp_run_set_sequential_time:
 * @seconds: how long the same work took one at a time, or a negative
 *   number when that is not known
 *
 * What fp_run_get_speed_up() compares with: a record the front end keeps
 * (fp_batch_config_dup_work_key() names the work). Set it before the end.
 */
void
fp_run_set_sequential_time (FpRun  *self,
                            double  seconds)
{
  g_return_if_fail (FP_IS_RUN (self));
  self->sequential_time = seconds > 0 ? seconds : -1.0;
}

double
fp_run_get_sequential_time (FpRun *self)
{
  g_return_val_if_fail (FP_IS_RUN (self), -1.0);
  return self->sequential_time;
}

/**
 * fp_run_get_speed_up:
 *
 * Returns: how many times faster than one at a time this run was (below 1
 *   when slower), or -1 when there is nothing to compare: the run did not
 *   finish, ran one at a time itself, or no one-at-a-time time is known
 */
double
fp_run_get_speed_up (FpRun *self)
{
  double elapsed;

  g_return_val_if_fail (FP_IS_RUN (self), -1.0);

  elapsed = fp_run_get_elapsed (self);
  if (self->state != FP_RUN_STATE_FINISHED ||
      fp_batch_config_get_strategy (self->config) == FP_DOWNLOAD_STRATEGY_SEQUENTIAL ||
      self->sequential_time <= 0 || elapsed <= 0)
    return -1.0;
  return self->sequential_time / elapsed;
}
