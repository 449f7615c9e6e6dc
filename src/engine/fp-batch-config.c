/* fp-batch-config.c — everything that decides one batch, made in one place from settings or options
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-batch-config"

#include "config.h"

#include "fp-batch-config.h"
#include "fp-engine-enums.h"

/*
 * The window fills one from its settings, the command line from its
 * options; after that both go the same way: the batch is made here and
 * only here (fp_batch_config_new_batch()), and the facts that reports and
 * records need (the source, the concurrency asked for, the key of "the
 * same work") are read from here. A new batch option is a property here,
 * one line in each front end that fills it, and one line in new_batch().
 *
 * The built-in server's latency and error rate belong to the
 * configuration too: they are part of what a run measured.
 */

struct _FpBatchConfig
{
  GObject parent_instance;

  char **codes;
  FpSource *source;
  GFile *destination;
  guint concurrency;
  FpDownloadStrategy strategy;
  FpResultOrder order;
  double timeout_s;
  double server_min_delay;
  double server_max_delay;
  double server_error_rate;
};

G_DEFINE_FINAL_TYPE (FpBatchConfig, fp_batch_config, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_DESTINATION,
  PROP_CONCURRENCY,
  PROP_STRATEGY,
  PROP_ORDER,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_batch_config_dispose (GObject *object)
{
  FpBatchConfig *self = FP_BATCH_CONFIG (object);

  g_clear_object (&self->source);
  g_clear_object (&self->destination);

  G_OBJECT_CLASS (fp_batch_config_parent_class)->dispose (object);
}

static void
fp_batch_config_finalize (GObject *object)
{
  FpBatchConfig *self = FP_BATCH_CONFIG (object);

  g_clear_pointer (&self->codes, g_strfreev);

  G_OBJECT_CLASS (fp_batch_config_parent_class)->finalize (object);
}

static void
fp_batch_config_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FpBatchConfig *self = FP_BATCH_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_DESTINATION:
      g_value_set_object (value, self->destination);
      break;
    case PROP_CONCURRENCY:
      g_value_set_uint (value, self->concurrency);
      break;
    case PROP_STRATEGY:
      g_value_set_enum (value, self->strategy);
      break;
    case PROP_ORDER:
      g_value_set_enum (value, self->order);
      break;
    case PROP_TIMEOUT:
      g_value_set_double (value, self->timeout_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_batch_config_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FpBatchConfig *self = FP_BATCH_CONFIG (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      fp_batch_config_set_source (self, g_value_get_object (value));
      break;
    case PROP_DESTINATION:
      fp_batch_config_set_destination (self, g_value_get_object (value));
      break;
    case PROP_CONCURRENCY:
      fp_batch_config_set_concurrency (self, g_value_get_uint (value));
      break;
    case PROP_STRATEGY:
      fp_batch_config_set_strategy (self, g_value_get_enum (value));
      break;
    case PROP_ORDER:
      fp_batch_config_set_order (self, g_value_get_enum (value));
      break;
    case PROP_TIMEOUT:
      fp_batch_config_set_timeout (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_batch_config_class_init (FpBatchConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_batch_config_dispose;
  object_class->finalize = fp_batch_config_finalize;
  object_class->get_property = fp_batch_config_get_property;
  object_class->set_property = fp_batch_config_set_property;

  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, FP_TYPE_SOURCE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESTINATION] =
    g_param_spec_object ("destination", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONCURRENCY] =
    g_param_spec_uint ("concurrency", NULL, NULL, 1, FP_MAX_CONCURRENCY, FP_DEFAULT_CONCURRENCY,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL, FP_TYPE_DOWNLOAD_STRATEGY, FP_DOWNLOAD_STRATEGY_THREADS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORDER] =
    g_param_spec_enum ("order", NULL, NULL, FP_TYPE_RESULT_ORDER, FP_RESULT_ORDER_COMPLETED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, 0.001, G_MAXDOUBLE, FP_DEFAULT_TIMEOUT_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_batch_config_init (FpBatchConfig *self)
{
  self->codes = g_new0 (char *, 1);
  self->source = fp_source_new_builtin ();
  self->concurrency = FP_DEFAULT_CONCURRENCY;
  self->strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  self->timeout_s = FP_DEFAULT_TIMEOUT_S;
}

/**
 * fp_batch_config_new:
 *
 * A configuration with the book's defaults: no codes, the built-in
 * server, %FP_DEFAULT_CONCURRENCY threads, %FP_DEFAULT_TIMEOUT_S seconds
 * per request, no latency; the destination must be set.
 *
 * Returns: (transfer full): the configuration
 */
FpBatchConfig *
fp_batch_config_new (void)
{
  return g_object_new (FP_TYPE_BATCH_CONFIG, NULL);
}

/* @codes: the codes to download, in the order they are submitted. */
void
fp_batch_config_set_codes (FpBatchConfig      *self,
                           const char * const *codes)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  g_return_if_fail (codes != NULL);

  g_strfreev (self->codes);
  self->codes = g_strdupv ((char **) codes);
}

const char * const *
fp_batch_config_get_codes (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);
  return (const char * const *) self->codes;
}

guint
fp_batch_config_get_n_codes (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), 0);
  return g_strv_length (self->codes);
}

void
fp_batch_config_set_source (FpBatchConfig *self,
                            FpSource      *source)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  g_return_if_fail (FP_IS_SOURCE (source));

  if (g_set_object (&self->source, source))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

FpSource *
fp_batch_config_get_source (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);
  return self->source;
}

void
fp_batch_config_set_destination (FpBatchConfig *self,
                                 GFile         *destination)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  g_return_if_fail (destination == NULL || G_IS_FILE (destination));

  if (g_set_object (&self->destination, destination))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESTINATION]);
}

GFile *
fp_batch_config_get_destination (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);
  return self->destination;
}

/* Clamped to 1…FP_MAX_CONCURRENCY, like the batch's own. */
void
fp_batch_config_set_concurrency (FpBatchConfig *self,
                                 guint          concurrency)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));

  concurrency = CLAMP (concurrency, 1, FP_MAX_CONCURRENCY);
  if (self->concurrency == concurrency)
    return;
  self->concurrency = concurrency;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONCURRENCY]);
}

guint
fp_batch_config_get_concurrency (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), FP_DEFAULT_CONCURRENCY);
  return self->concurrency;
}

void
fp_batch_config_set_strategy (FpBatchConfig      *self,
                              FpDownloadStrategy  strategy)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));

  if (self->strategy == strategy)
    return;
  self->strategy = strategy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STRATEGY]);
}

FpDownloadStrategy
fp_batch_config_get_strategy (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), FP_DOWNLOAD_STRATEGY_THREADS);
  return self->strategy;
}

/* The order results are announced in: see fp_download_batch_set_order(). */
void
fp_batch_config_set_order (FpBatchConfig *self,
                           FpResultOrder  order)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));

  if (self->order == order)
    return;
  self->order = order;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORDER]);
}

FpResultOrder
fp_batch_config_get_order (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), FP_RESULT_ORDER_COMPLETED);
  return self->order;
}

void
fp_batch_config_set_timeout (FpBatchConfig *self,
                             double         timeout_s)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  g_return_if_fail (timeout_s > 0);

  if (self->timeout_s == timeout_s)
    return;
  self->timeout_s = timeout_s;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

double
fp_batch_config_get_timeout (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), FP_DEFAULT_TIMEOUT_S);
  return self->timeout_s;
}

/**
 * fp_batch_config_set_server_delay:
 * @min_s: the built-in server's shortest latency per request
 * @max_s: its longest; a maximum below @min_s is read as a fixed latency
 *   of @min_s, not as an error
 */
void
fp_batch_config_set_server_delay (FpBatchConfig *self,
                                  double         min_s,
                                  double         max_s)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));

  self->server_min_delay = MAX (min_s, 0.0);
  self->server_max_delay = MAX (self->server_min_delay, max_s);
}

double
fp_batch_config_get_server_min_delay (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), 0.0);
  return self->server_min_delay;
}

double
fp_batch_config_get_server_max_delay (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), 0.0);
  return self->server_max_delay;
}

void
fp_batch_config_set_server_error_rate (FpBatchConfig *self,
                                       double         error_rate)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  self->server_error_rate = CLAMP (error_rate, 0.0, 1.0);
}

double
fp_batch_config_get_server_error_rate (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), 0.0);
  return self->server_error_rate;
}

/**
 * fp_batch_config_apply_to_server:
 * @server: the built-in server
 *
 * Gives @server this configuration's latency and error rate; it takes
 * them for the requests that arrive from then on.
 */
void
fp_batch_config_apply_to_server (FpBatchConfig *self,
                                 FpFlagServer  *server)
{
  g_return_if_fail (FP_IS_BATCH_CONFIG (self));
  g_return_if_fail (FP_IS_FLAG_SERVER (server));

  fp_flag_server_set_delay (server, self->server_min_delay, self->server_max_delay);
  fp_flag_server_set_error_rate (server, self->server_error_rate);
}

/**
 * fp_batch_config_dup_source_key:
 *
 * Returns: (transfer full): the source's key and, for the built-in server,
 *   its latency and error rate: what must match for two runs' times to be
 *   compared
 */
char *
fp_batch_config_dup_source_key (FpBatchConfig *self)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);

  /* The format is that of the speed-up record kept in the settings. */
  if (fp_source_get_kind (self->source) == FP_SOURCE_KIND_BUILTIN)
    return g_strdup_printf ("builtin %.3f %.3f %.3f", self->server_min_delay,
                            self->server_max_delay, self->server_error_rate);
  return fp_source_dup_key (self->source);
}

/**
 * fp_batch_config_dup_work_key:
 *
 * Returns: (transfer full): a checksum naming "the same codes from the same
 *   source", whatever the strategy and the concurrency: the key under
 *   which a one-at-a-time time is remembered for a later speed-up
 */
char *
fp_batch_config_dup_work_key (FpBatchConfig *self)
{
  g_autofree char *source_key = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);

  source_key = fp_batch_config_dup_source_key (self);
  joined = g_strjoinv (" ", self->codes);
  text = g_strconcat (source_key, "\n", joined, NULL);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA1, text, -1);
}

/**
 * fp_batch_config_resolve_base_url:
 * @server: (nullable): the running built-in server, needed when the
 *   source is the built-in one
 *
 * Returns: (nullable): the base URL the batch downloads from, or %NULL for
 *   the built-in source without a server
 */
const char *
fp_batch_config_resolve_base_url (FpBatchConfig *self,
                                  FpFlagServer  *server)
{
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);
  g_return_val_if_fail (server == NULL || FP_IS_FLAG_SERVER (server), NULL);

  if (fp_source_get_kind (self->source) == FP_SOURCE_KIND_BUILTIN)
    return server != NULL ? fp_flag_server_get_base_url (server) : NULL;
  return fp_source_get_base_url (self->source);
}

/**
 * fp_batch_config_new_batch:
 * @server: (nullable): the running built-in server; required when the
 *   source is the built-in one, ignored otherwise
 *
 * Makes the batch this configuration describes: the one place a batch is
 * made, for the window and the command line alike.
 *
 * Returns: (transfer full): a batch, not started
 */
FpDownloadBatch *
fp_batch_config_new_batch (FpBatchConfig *self,
                           FpFlagServer  *server)
{
  FpDownloadBatch *batch;
  const char *base_url;

  g_return_val_if_fail (FP_IS_BATCH_CONFIG (self), NULL);
  g_return_val_if_fail (G_IS_FILE (self->destination), NULL);

  base_url = fp_batch_config_resolve_base_url (self, server);
  g_return_val_if_fail (base_url != NULL, NULL);

  batch = fp_download_batch_new ((const char * const *) self->codes, base_url,
                                 fp_source_get_extension (self->source), self->destination);
  fp_download_batch_set_concurrency (batch, self->concurrency);
  fp_download_batch_set_strategy (batch, self->strategy);
  fp_download_batch_set_order (batch, self->order);
  fp_download_batch_set_timeout (batch, self->timeout_s);
  return batch;
}
