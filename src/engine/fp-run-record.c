/* fp-run-record.c — one batch that ran: its settings, counts, elapsed time and timeline, kept in the history
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-record"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n.h>

#include "fp-engine-enums.h"
#include "fp-run-record.h"

/* Immutable once made: the history, a window and a comparison share it
 * without locks. */
struct _FpRunRecord
{
  GObject parent_instance;

  char *id;
  GDateTime *when;
  char **codes;
  char *source;
  char *base_url;
  double delay_min;
  double delay_max;
  double error_rate;
  FpDownloadStrategy strategy;
  guint concurrency;
  guint workers;
  guint n_requested;
  guint n_ok;
  guint n_not_found;
  guint n_error;
  guint n_cancelled;
  double elapsed;
  char *comparison;
  GPtrArray *results;          /* FpDownloadResult; empty when not kept or not read */
  gboolean detailed;           /* the results are kept, here or in the history's files */
};

G_DEFINE_FINAL_TYPE (FpRunRecord, fp_run_record, G_TYPE_OBJECT)

static void
fp_run_record_finalize (GObject *object)
{
  FpRunRecord *self = FP_RUN_RECORD (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->when, g_date_time_unref);
  g_clear_pointer (&self->codes, g_strfreev);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->comparison, g_free);
  g_clear_pointer (&self->results, g_ptr_array_unref);

  G_OBJECT_CLASS (fp_run_record_parent_class)->finalize (object);
}

static void
fp_run_record_class_init (FpRunRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_run_record_finalize;
}

static void
fp_run_record_init (FpRunRecord *self)
{
  self->results = g_ptr_array_new_with_free_func (g_object_unref);
}

static gboolean
strategy_from_nick (const char         *nick,
                    FpDownloadStrategy *strategy)
{
  int value;

  if (!fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, nick, &value))
    return FALSE;
  *strategy = value;
  return TRUE;
}

/**
 * fp_run_record_new_from_batch:
 * @batch: a batch that has run
 * @source: the source's name as the user chose it: "builtin", "remote" or a URL
 * @delay_min_s: the built-in server's latency, or 0 for another source
 * @delay_max_s: likewise
 * @error_rate: the built-in server's share of 418 answers, or 0
 */
FpRunRecord *
fp_run_record_new_from_batch (FpDownloadBatch *batch,
                              const char      *source,
                              double           delay_min_s,
                              double           delay_max_s,
                              double           error_rate)
{
  FpRunRecord *self;
  GPtrArray *results;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (batch), NULL);
  g_return_val_if_fail (source != NULL, NULL);

  self = g_object_new (FP_TYPE_RUN_RECORD, NULL);
  {
    /* The id starts with the time in µs, which orders runs. */
    gint64 now_us = g_get_real_time ();

    self->when = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);
    self->id = g_strdup_printf ("%" G_GINT64_FORMAT "-%08x", now_us, g_random_int ());
  }
  self->codes = g_strdupv ((char **) fp_download_batch_get_codes (batch));
  self->source = g_strdup (source);
  self->base_url = g_strdup (fp_download_batch_get_base_url (batch));
  self->delay_min = delay_min_s;
  self->delay_max = MAX (delay_min_s, delay_max_s);
  self->error_rate = error_rate;
  self->strategy = fp_download_batch_get_strategy (batch);
  self->concurrency = fp_download_batch_get_concurrency (batch);
  self->workers = fp_download_batch_get_workers (batch);
  self->n_requested = fp_download_batch_get_n_total (batch);
  self->n_ok = fp_download_batch_get_n_ok (batch);
  self->n_not_found = fp_download_batch_get_n_not_found (batch);
  self->n_error = fp_download_batch_get_n_error (batch);
  self->elapsed = fp_download_batch_get_elapsed (batch);

  results = fp_download_batch_get_results (batch);
  for (guint i = 0; i < results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, i);

      if (fp_download_result_get_status (result) == FP_DOWNLOAD_STATUS_CANCELLED)
        self->n_cancelled++;
      g_ptr_array_add (self->results, g_object_ref (result));
    }
  /* Those never announced were cancelled too. */
  self->n_cancelled += self->n_requested - MIN (self->n_requested, results->len);

  return self;
}

/**
 * fp_run_record_dup_source_id:
 *
 * Returns: (transfer full): how a record names @source: "builtin",
 *   "remote", or the URL of any other
 */
char *
fp_run_record_dup_source_id (FpSource *source)
{
  g_return_val_if_fail (FP_IS_SOURCE (source), NULL);

  if (fp_source_get_kind (source) == FP_SOURCE_KIND_CUSTOM)
    return g_strdup (fp_source_get_base_url (source));
  return g_strdup (fp_source_get_keyword (source));
}

/**
 * fp_run_record_new_from_config:
 * @config: the configuration @batch was made from
 * @batch: a batch that started
 *
 * Returns: (transfer full): the record of @batch, with @config's source,
 *   latency and error rate
 */
FpRunRecord *
fp_run_record_new_from_config (FpBatchConfig   *config,
                               FpDownloadBatch *batch)
{
  g_autofree char *source = NULL;

  g_return_val_if_fail (FP_IS_BATCH_CONFIG (config), NULL);
  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (batch), NULL);

  source = fp_run_record_dup_source_id (fp_batch_config_get_source (config));
  if (fp_source_get_kind (fp_batch_config_get_source (config)) != FP_SOURCE_KIND_BUILTIN)
    return fp_run_record_new_from_batch (batch, source, 0, 0, 0);
  return fp_run_record_new_from_batch (batch, source,
                                       fp_batch_config_get_server_min_delay (config),
                                       fp_batch_config_get_server_max_delay (config),
                                       fp_batch_config_get_server_error_rate (config));
}

/**
 * fp_run_record_new_from_run:
 * @run: a run that started (it has a batch)
 *
 * Returns: (transfer full) (nullable): the record of @run, or %NULL when
 *   it never made a batch
 */
FpRunRecord *
fp_run_record_new_from_run (FpRun *run)
{
  g_return_val_if_fail (FP_IS_RUN (run), NULL);

  if (fp_run_get_batch (run) == NULL)
    return NULL;
  return fp_run_record_new_from_config (fp_run_get_config (run), fp_run_get_batch (run));
}

/* The moments of a timeline, in the order they are stored in JSON. */
#define N_MOMENTS 12

static gint64 *
timeline_moment (FpDownloadTimeline *t,
                 guint               i)
{
  gint64 *moments[N_MOMENTS] = {
    &t->queued, &t->started, &t->connect_start, &t->connect_end, &t->request_start,
    &t->response_start, &t->response_end, &t->network_end, &t->store_start, &t->store_end,
    &t->finished, &t->announced,
  };

  return moments[i];
}

static void
add_result (JsonBuilder      *builder,
            FpDownloadResult *result)
{
  FpDownloadTimeline t = *fp_download_result_get_timeline (result);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cc");
  json_builder_add_string_value (builder, fp_download_result_get_code (result));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, fp_download_status_to_string (fp_download_result_get_status (result)));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, fp_download_result_get_message (result));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, fp_download_result_get_url (result));
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, fp_download_result_get_path (result));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) fp_download_result_get_size (result));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, fp_download_result_get_width (result));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, fp_download_result_get_height (result));
  json_builder_set_member_name (builder, "slot");
  json_builder_add_int_value (builder, t.slot);
  json_builder_set_member_name (builder, "store_slot");
  json_builder_add_int_value (builder, t.store_slot);
  json_builder_set_member_name (builder, "http_status");
  json_builder_add_int_value (builder, t.http_status);
  json_builder_set_member_name (builder, "bytes");
  json_builder_add_int_value (builder, (gint64) t.response_bytes);
  /* µs from the batch's start, -1 for none, in FpDownloadTimeline's order. */
  json_builder_set_member_name (builder, "t");
  json_builder_begin_array (builder);
  for (guint i = 0; i < N_MOMENTS; i++)
    json_builder_add_int_value (builder, *timeline_moment (&t, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * fp_run_record_to_json:
 * @with_results: whether every download's result and timeline goes too
 *
 * Returns: (transfer full): the record as a JSON object
 */
JsonNode *
fp_run_record_to_json (FpRunRecord *self,
                       gboolean     with_results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *when = NULL;

  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);

  when = g_date_time_format_iso8601 (self->when);

  json_builder_begin_object (builder);
#define SET_STRING(name, value) \
  json_builder_set_member_name (builder, name); json_builder_add_string_value (builder, value)
#define SET_INT(name, value) \
  json_builder_set_member_name (builder, name); json_builder_add_int_value (builder, value)
#define SET_DOUBLE(name, value) \
  json_builder_set_member_name (builder, name); json_builder_add_double_value (builder, value)
  SET_STRING ("id", self->id);
  SET_STRING ("when", when);
  json_builder_set_member_name (builder, "codes");
  json_builder_begin_array (builder);
  for (guint i = 0; self->codes[i] != NULL; i++)
    json_builder_add_string_value (builder, self->codes[i]);
  json_builder_end_array (builder);
  SET_STRING ("source", self->source);
  SET_STRING ("base_url", self->base_url);
  SET_DOUBLE ("delay_min_s", self->delay_min);
  SET_DOUBLE ("delay_max_s", self->delay_max);
  SET_DOUBLE ("error_rate", self->error_rate);
  SET_STRING ("strategy", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, self->strategy));
  SET_INT ("concurrency", self->concurrency);
  SET_INT ("workers", self->workers);
  SET_INT ("requested", self->n_requested);
  SET_INT ("ok", self->n_ok);
  SET_INT ("not_found", self->n_not_found);
  SET_INT ("error", self->n_error);
  SET_INT ("cancelled", self->n_cancelled);
  SET_DOUBLE ("elapsed_s", self->elapsed);
  if (self->comparison != NULL)
    {
      SET_STRING ("comparison", self->comparison);
    }
#undef SET_STRING
#undef SET_INT
#undef SET_DOUBLE
  /* A summary says whether the results are kept elsewhere (see
   * fp_run_history_load_details_async()). */
  if (!with_results && fp_run_record_get_detailed (self))
    {
      json_builder_set_member_name (builder, "detailed");
      json_builder_add_boolean_value (builder, TRUE);
    }
  if (with_results && self->results->len > 0)
    {
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
      for (guint i = 0; i < self->results->len; i++)
        add_result (builder, g_ptr_array_index (self->results, i));
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
status_from_string (const char       *name,
                    FpDownloadStatus *status)
{
  for (FpDownloadStatus s = FP_DOWNLOAD_STATUS_QUEUED; s <= FP_DOWNLOAD_STATUS_CANCELLED; s++)
    if (g_strcmp0 (name, fp_download_status_to_string (s)) == 0)
      {
        *status = s;
        return TRUE;
      }
  return FALSE;
}

static FpDownloadResult *
result_from_json (JsonObject *object)
{
  FpDownloadResult *result;
  FpDownloadStatus status;
  FpDownloadTimeline t;
  JsonArray *moments;
  const char *cc = json_object_get_string_member_with_default (object, "cc", NULL);

  if (cc == NULL || !status_from_string (json_object_get_string_member_with_default (object, "status", NULL),
                                         &status))
    return NULL;
  moments = json_object_has_member (object, "t") ? json_object_get_array_member (object, "t") : NULL;
  if (moments == NULL || json_array_get_length (moments) != N_MOMENTS)
    return NULL;

  result = fp_download_result_new (cc, status,
                                   json_object_get_string_member_with_default (object, "message", NULL));
  fp_download_result_set_url (result, json_object_get_string_member_with_default (object, "url", NULL));
  fp_download_result_set_saved (result, json_object_get_string_member_with_default (object, "path", NULL),
                                (gsize) MAX (json_object_get_int_member_with_default (object, "size", 0), 0),
                                (int) json_object_get_int_member_with_default (object, "width", -1),
                                (int) json_object_get_int_member_with_default (object, "height", -1));

  fp_download_timeline_clear (&t);
  for (guint i = 0; i < N_MOMENTS; i++)
    *timeline_moment (&t, i) = json_array_get_int_element (moments, i);
  t.slot = (guint16) CLAMP (json_object_get_int_member_with_default (object, "slot", 0), 0, G_MAXUINT16);
  t.store_slot = (guint16) CLAMP (json_object_get_int_member_with_default (object, "store_slot", 0), 0, G_MAXUINT16);
  t.http_status = (guint16) CLAMP (json_object_get_int_member_with_default (object, "http_status", 0), 0, 999);
  t.response_bytes = (guint64) MAX (json_object_get_int_member_with_default (object, "bytes", 0), 0);
  t.relative = TRUE;
  fp_download_result_set_timeline (result, &t);

  return result;
}

static guint
get_count (JsonObject *object,
           const char *name)
{
  return (guint) CLAMP (json_object_get_int_member_with_default (object, name, 0), 0, G_MAXINT32);
}

/**
 * fp_run_record_new_from_json:
 * @node: what fp_run_record_to_json() made
 *
 * Returns: (transfer full) (nullable): the record, or %NULL with
 *   %FP_ENGINE_ERROR_INVALID_ARGUMENT when @node is not one
 */
FpRunRecord *
fp_run_record_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(FpRunRecord) self = NULL;
  JsonObject *object;
  JsonArray *codes;
  const char *when;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;
  object = json_node_get_object (node);
  when = json_object_get_string_member_with_default (object, "when", NULL);
  if (!json_object_has_member (object, "codes") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "codes")) ||
      json_object_get_string_member_with_default (object, "id", NULL) == NULL || when == NULL)
    goto invalid;

  self = g_object_new (FP_TYPE_RUN_RECORD, NULL);
  self->id = g_strdup (json_object_get_string_member (object, "id"));
  self->when = g_date_time_new_from_iso8601 (when, NULL);
  if (self->when == NULL)
    goto invalid;
  codes = json_object_get_array_member (object, "codes");
  self->codes = g_new0 (char *, json_array_get_length (codes) + 1);
  for (guint i = 0; i < json_array_get_length (codes); i++)
    {
      const char *code = json_node_get_string (json_array_get_element (codes, i));

      if (code == NULL)
        goto invalid;
      self->codes[i] = g_strdup (code);
    }
  self->source = g_strdup (json_object_get_string_member_with_default (object, "source", "builtin"));
  self->base_url = g_strdup (json_object_get_string_member_with_default (object, "base_url", ""));
  self->delay_min = json_object_get_double_member_with_default (object, "delay_min_s", 0);
  self->delay_max = json_object_get_double_member_with_default (object, "delay_max_s", 0);
  self->error_rate = json_object_get_double_member_with_default (object, "error_rate", 0);
  if (!strategy_from_nick (json_object_get_string_member_with_default (object, "strategy", NULL),
                           &self->strategy))
    goto invalid;
  self->concurrency = CLAMP (get_count (object, "concurrency"), 1, FP_MAX_CONCURRENCY);
  self->workers = CLAMP (get_count (object, "workers"), 1, FP_MAX_CONCURRENCY);
  self->n_requested = get_count (object, "requested");
  self->n_ok = get_count (object, "ok");
  self->n_not_found = get_count (object, "not_found");
  self->n_error = get_count (object, "error");
  self->n_cancelled = get_count (object, "cancelled");
  self->elapsed = json_object_get_double_member_with_default (object, "elapsed_s", 0);
  if (!isfinite (self->elapsed) || self->elapsed < 0)
    goto invalid;
  self->comparison = g_strdup (json_object_get_string_member_with_default (object, "comparison", NULL));

  if (json_object_has_member (object, "results") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "results")))
    {
      JsonArray *results = json_object_get_array_member (object, "results");

      for (guint i = 0; i < json_array_get_length (results); i++)
        {
          JsonNode *element = json_array_get_element (results, i);
          FpDownloadResult *result = JSON_NODE_HOLDS_OBJECT (element)
                                   ? result_from_json (json_node_get_object (element)) : NULL;

          if (result == NULL)
            goto invalid;
          g_ptr_array_add (self->results, result);
        }
    }

  self->detailed = self->results->len > 0 ||
                   json_object_get_boolean_member_with_default (object, "detailed", FALSE);

  return g_steal_pointer (&self);

invalid:
  g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
               _("Not a record of a run"));
  return NULL;
}

const char *
fp_run_record_get_id (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->id;
}

GDateTime *
fp_run_record_get_when (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->when;
}

const char * const *
fp_run_record_get_codes (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return (const char * const *) self->codes;
}

const char *
fp_run_record_get_source (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->source;
}

const char *
fp_run_record_get_base_url (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->base_url;
}

double
fp_run_record_get_delay_min (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->delay_min;
}

double
fp_run_record_get_delay_max (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->delay_max;
}

double
fp_run_record_get_error_rate (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->error_rate;
}

FpDownloadStrategy
fp_run_record_get_strategy (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), FP_DOWNLOAD_STRATEGY_THREADS);
  return self->strategy;
}

/* Returns: the strategy's stable name ("threads"), as on the command line. */
const char *
fp_run_record_get_strategy_name (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, self->strategy);
}

guint
fp_run_record_get_concurrency (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->concurrency;
}

/* Returns: how many downloads ran at once: 1 one at a time, else c. */
guint
fp_run_record_get_workers (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->workers;
}

guint
fp_run_record_get_n_requested (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->n_requested;
}

guint
fp_run_record_get_n_ok (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->n_ok;
}

guint
fp_run_record_get_n_not_found (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->n_not_found;
}

guint
fp_run_record_get_n_error (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->n_error;
}

guint
fp_run_record_get_n_cancelled (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->n_cancelled;
}

double
fp_run_record_get_elapsed (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), 0);
  return self->elapsed;
}

/* Returns: whether every download ran (nothing was cancelled). */
gboolean
fp_run_record_get_complete (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), FALSE);
  return self->n_cancelled == 0 && self->n_ok + self->n_not_found + self->n_error == self->n_requested;
}

/**
 * fp_run_record_get_results:
 *
 * Returns: (transfer none) (element-type FpDownloadResult): every
 *   download's result and timeline, in completion order; empty for an
 *   old run whose details the history no longer keeps, and for a run read
 *   from the history, whose details fp_run_history_load_details_async()
 *   reads when they are wanted
 */
GPtrArray *
fp_run_record_get_results (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->results;
}

/* Returns: whether every download's result and timeline is kept: in
 * this record, or in the history's files for it. */
gboolean
fp_run_record_get_detailed (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), FALSE);
  return self->detailed || self->results->len > 0;
}

/* Returns: (nullable): the comparison this run was part of. */
const char *
fp_run_record_get_comparison (FpRunRecord *self)
{
  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  return self->comparison;
}

/* For the comparison runner, before the record is shared. */
void
fp_run_record_set_comparison (FpRunRecord *self,
                              const char  *comparison)
{
  g_return_if_fail (FP_IS_RUN_RECORD (self));
  g_free (self->comparison);
  self->comparison = g_strdup (comparison);
}

static int
compare_strings (const void *a,
                 const void *b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/* The codes in order, so the same selection in another order is the same work. */
static char *
work_codes (FpRunRecord *self)
{
  guint n = g_strv_length (self->codes);
  g_autofree char **copy = g_memdup2 (self->codes, sizeof (char *) * (n + 1));

  qsort (copy, n, sizeof (char *), compare_strings);
  return g_strjoinv (",", copy);
}

/**
 * fp_run_record_is_same_work:
 *
 * Returns: whether @self and @other fetched the same codes from the same
 *   source under the same latency and errors — runs whose times compare
 */
gboolean
fp_run_record_is_same_work (FpRunRecord *self,
                            FpRunRecord *other)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_return_val_if_fail (FP_IS_RUN_RECORD (self), FALSE);
  g_return_val_if_fail (FP_IS_RUN_RECORD (other), FALSE);

  if (g_strcmp0 (self->source, other->source) != 0 ||
      fabs (self->delay_min - other->delay_min) > 1e-6 ||
      fabs (self->delay_max - other->delay_max) > 1e-6 ||
      fabs (self->error_rate - other->error_rate) > 1e-6 ||
      g_strv_length (self->codes) != g_strv_length (other->codes))
    return FALSE;
  /* A URL source is the same work only at the same URL; the built-in
   * server's port changes every time it starts. */
  if (!g_str_equal (self->source, "builtin") && g_strcmp0 (self->base_url, other->base_url) != 0)
    return FALSE;
  a = work_codes (self);
  b = work_codes (other);
  return g_str_equal (a, b);
}

/**
 * fp_run_record_describe_speedup:
 * @baseline: an earlier run of the same work
 *
 * Returns: (transfer full): "13.2× faster than one at a time (18.62 s)",
 *   or the like against another concurrency, for a person
 */
char *
fp_run_record_describe_speedup (FpRunRecord *self,
                                FpRunRecord *baseline)
{
  g_autofree char *other = NULL;
  double ratio;

  g_return_val_if_fail (FP_IS_RUN_RECORD (self), NULL);
  g_return_val_if_fail (FP_IS_RUN_RECORD (baseline), NULL);

  if (self->elapsed <= 0 || baseline->elapsed <= 0)
    return NULL;

  if (baseline->workers == 1)
    other = g_strdup (_("one at a time"));
  else
    /* TRANSLATORS: %u is a number of downloads at once, %s a strategy name */
    other = g_strdup_printf (ngettext ("%u at a time (%s)", "%u at a time (%s)", baseline->workers),
                             baseline->workers, fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY, baseline->strategy));

  ratio = baseline->elapsed / self->elapsed;
  if (ratio >= 1.0)
    /* TRANSLATORS: "13.2× faster than one at a time (18.62 s)" */
    return g_strdup_printf (_("%.1f× faster than %s (%.2f s)"), ratio, other, baseline->elapsed);
  /* TRANSLATORS: "1.5× slower than 20 at a time (threads) (1.31 s)" */
  return g_strdup_printf (_("%.1f× slower than %s (%.2f s)"), 1.0 / ratio, other, baseline->elapsed);
}

/* Returns: (transfer full): the run's source by its name, "built-in server". */
char *
fp_run_record_dup_source_name (FpRunRecord *record)
{
  const char *source = fp_run_record_get_source (record);

  if (g_strcmp0 (source, "builtin") == 0)
    return g_strdup (_("built-in server"));
  if (g_strcmp0 (source, "remote") == 0)
    return g_strdup (_("the book’s site"));
  return g_strdup (source);
}
