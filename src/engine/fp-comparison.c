/* fp-comparison.c — the same selection one at a time and at a series of concurrencies, with every strategy
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-comparison"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n.h>

#include "fp-comparison.h"
#include "fp-engine-enums.h"

/*
 * The book's timing table, made by running it: one batch after another
 * on the caller's main context, never two at once (they would share the
 * server and the cores and spoil each other's times). The strategies are
 * the registered FpDownloadStrategy values, so a new one joins the table
 * by being added to the enum. One at a time runs once: its concurrency
 * means nothing.
 */

typedef struct {
  FpDownloadStrategy strategy;
  guint concurrency;
} Step;

struct _FpComparison
{
  GObject parent_instance;

  char *id;
  char **codes;
  char *base_url;
  char *extension;
  GFile *destination;
  GArray *concurrencies;       /* guint, ascending */
  GArray *strategies;          /* FpDownloadStrategy */
  double timeout_s;
  char *source;
  double delay_min;
  double delay_max;
  double error_rate;

  GArray *plan;                /* Step */
  guint n_done;
  FpDownloadBatch *batch;      /* the one running */
  GPtrArray *records;          /* FpRunRecord, in the order they ran */
  GTask *task;
  GCancellable *cancellable;
  gulong caller_cancel_handler;
  GCancellable *caller_cancellable;
};

G_DEFINE_FINAL_TYPE (FpComparison, fp_comparison, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_DONE,
  PROP_RUNNING,
  PROP_BATCH,
  N_PROPS
};

enum {
  RUN_STARTED,
  RUN_COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
fp_comparison_dispose (GObject *object)
{
  FpComparison *self = FP_COMPARISON (object);

  if (self->caller_cancel_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_cancel_handler);
  self->caller_cancel_handler = 0;
  g_clear_object (&self->caller_cancellable);
  g_clear_object (&self->batch);
  g_clear_object (&self->destination);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fp_comparison_parent_class)->dispose (object);
}

static void
fp_comparison_finalize (GObject *object)
{
  FpComparison *self = FP_COMPARISON (object);

  g_free (self->id);
  g_strfreev (self->codes);
  g_free (self->base_url);
  g_free (self->extension);
  g_free (self->source);
  g_clear_pointer (&self->concurrencies, g_array_unref);
  g_clear_pointer (&self->strategies, g_array_unref);
  g_clear_pointer (&self->plan, g_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);

  G_OBJECT_CLASS (fp_comparison_parent_class)->finalize (object);
}

static void
fp_comparison_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FpComparison *self = FP_COMPARISON (object);

  switch (prop_id)
    {
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->task != NULL);
      break;
    case PROP_BATCH:
      g_value_set_object (value, self->batch);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_comparison_class_init (FpComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_comparison_dispose;
  object_class->finalize = fp_comparison_finalize;
  object_class->get_property = fp_comparison_get_property;

  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FpComparison:batch:
   *
   * The batch running now, or the last one; a window shows its timeline.
   */
  properties[PROP_BATCH] =
    g_param_spec_object ("batch", NULL, NULL, FP_TYPE_DOWNLOAD_BATCH,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FpComparison::run-started:
   * @batch: the batch that starts, not yet running
   */
  signals[RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FP_TYPE_DOWNLOAD_BATCH);
  /**
   * FpComparison::run-completed:
   * @record: what the run did; cancelled runs are not reported
   */
  signals[RUN_COMPLETED] =
    g_signal_new ("run-completed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, FP_TYPE_RUN_RECORD);
}

static void
fp_comparison_init (FpComparison *self)
{
  g_autoptr(GError) error = NULL;

  self->id = g_strdup_printf ("compare-%" G_GINT64_FORMAT "-%08x", g_get_real_time (), g_random_int ());
  self->timeout_s = FP_DEFAULT_TIMEOUT_S;
  self->source = g_strdup ("builtin");
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->strategies = fp_comparison_dup_all_strategies ();
  fp_comparison_parse_concurrencies (FP_COMPARISON_DEFAULT_CONCURRENCIES, &self->concurrencies, &error);
  g_assert_no_error (error);
}

/**
 * fp_comparison_new:
 * @codes: the selection
 * @base_url: the source, as for fp_download_batch_new()
 * @extension: the flag files' extension on the source
 * @destination: where every run saves the flags
 */
FpComparison *
fp_comparison_new (const char * const *codes,
                   const char         *base_url,
                   const char         *extension,
                   GFile              *destination)
{
  FpComparison *self;

  g_return_val_if_fail (codes != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);

  self = g_object_new (FP_TYPE_COMPARISON, NULL);
  self->codes = g_strdupv ((char **) codes);
  self->base_url = g_strdup (base_url);
  self->extension = g_strdup (extension);
  self->destination = g_object_ref (destination);
  return self;
}

static int
compare_uints (gconstpointer a,
               gconstpointer b)
{
  guint ua = *(const guint *) a, ub = *(const guint *) b;

  return (ua > ub) - (ua < ub);
}

/**
 * fp_comparison_parse_concurrencies:
 * @list: "1,2,5,10" (commas or spaces)
 * @concurrencies: (out) (transfer full): the numbers, ascending, each once
 *
 * Returns: whether @list holds only whole numbers from 1 to 100, at least one
 */
gboolean
fp_comparison_parse_concurrencies (const char  *list,
                                   GArray     **concurrencies,
                                   GError     **error)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", list != NULL ? list : "", 0, 0);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 value;
      gboolean seen = FALSE;

      if (parts[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, FP_MAX_CONCURRENCY, &value, NULL))
        {
          g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a concurrency from 1 to %d"), parts[i], FP_MAX_CONCURRENCY);
          return FALSE;
        }
      for (guint j = 0; j < values->len; j++)
        seen |= g_array_index (values, guint, j) == value;
      if (!seen)
        g_array_append_val (values, (guint) { value });
    }
  if (values->len == 0)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("No concurrency given"));
      return FALSE;
    }
  g_array_sort (values, compare_uints);
  *concurrencies = g_steal_pointer (&values);
  return TRUE;
}

/* Returns: (transfer full): every registered strategy, in the enum's order. */
GArray *
fp_comparison_dup_all_strategies (void)
{
  GEnumClass *klass = g_type_class_ref (FP_TYPE_DOWNLOAD_STRATEGY);
  GArray *strategies = g_array_new (FALSE, FALSE, sizeof (FpDownloadStrategy));

  for (guint i = 0; i < klass->n_values; i++)
    g_array_append_val (strategies, (FpDownloadStrategy) { klass->values[i].value });
  g_type_class_unref (klass);
  return strategies;
}

/**
 * fp_comparison_parse_strategies:
 * @list: "sequential,threads", or "all"
 * @strategies: (out) (transfer full): the strategies, in the enum's order
 */
gboolean
fp_comparison_parse_strategies (const char  *list,
                                GArray     **strategies,
                                GError     **error)
{
  g_auto(GStrv) parts = g_regex_split_simple ("[,;\\s]+", list != NULL ? list : "", 0, 0);
  GEnumClass *klass = g_type_class_ref (FP_TYPE_DOWNLOAD_STRATEGY);
  g_autofree gboolean *wanted = g_new0 (gboolean, klass->n_values);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (FpDownloadStrategy));
  gboolean ok = TRUE;

  for (guint i = 0; ok && parts[i] != NULL; i++)
    {
      gboolean found = FALSE;

      if (parts[i][0] == '\0')
        continue;
      for (guint j = 0; j < klass->n_values; j++)
        if (g_str_equal (parts[i], "all") || g_str_equal (parts[i], klass->values[j].value_nick))
          wanted[j] = found = TRUE;
      if (!found)
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint j = 0; j < klass->n_values; j++)
            g_string_append_printf (names, "%s%s", j > 0 ? ", " : "", klass->values[j].value_nick);
          g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not a strategy; the strategies are %s"), parts[i], names->str);
          ok = FALSE;
        }
    }
  for (guint j = 0; ok && j < klass->n_values; j++)
    if (wanted[j])
      g_array_append_val (values, (FpDownloadStrategy) { klass->values[j].value });
  g_type_class_unref (klass);

  if (ok && values->len == 0)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT, _("No strategy given"));
      ok = FALSE;
    }
  if (ok)
    *strategies = g_steal_pointer (&values);
  return ok;
}

void
fp_comparison_set_concurrencies (FpComparison *self,
                                 GArray       *concurrencies)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  g_return_if_fail (concurrencies != NULL && concurrencies->len > 0);
  g_return_if_fail (self->task == NULL);

  g_array_unref (self->concurrencies);
  self->concurrencies = g_array_ref (concurrencies);
}

/* Returns: (transfer none) (element-type guint): the series. */
GArray *
fp_comparison_get_concurrencies (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);
  return self->concurrencies;
}

void
fp_comparison_set_strategies (FpComparison *self,
                              GArray       *strategies)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  g_return_if_fail (strategies != NULL && strategies->len > 0);
  g_return_if_fail (self->task == NULL);

  g_array_unref (self->strategies);
  self->strategies = g_array_ref (strategies);
}

/* Returns: (transfer none) (element-type FpDownloadStrategy): the strategies. */
GArray *
fp_comparison_get_strategies (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);
  return self->strategies;
}

void
fp_comparison_set_timeout (FpComparison *self,
                           double        timeout_s)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  g_return_if_fail (timeout_s > 0);
  self->timeout_s = timeout_s;
}

/**
 * fp_comparison_set_source:
 * @source: "builtin", "remote" or the URL, as the records keep it
 * @delay_min_s: the built-in server's latency, which gives the ideal times
 * @delay_max_s: likewise; the mean is used when it varies
 * @error_rate: the built-in server's share of 418 answers
 */
void
fp_comparison_set_source (FpComparison *self,
                          const char   *source,
                          double        delay_min_s,
                          double        delay_max_s,
                          double        error_rate)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  g_return_if_fail (source != NULL);

  g_free (self->source);
  self->source = g_strdup (source);
  self->delay_min = delay_min_s;
  self->delay_max = MAX (delay_min_s, delay_max_s);
  self->error_rate = error_rate;
}

guint
fp_comparison_get_n_codes (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), 0);
  return g_strv_length (self->codes);
}

static GArray *
make_plan (FpComparison *self)
{
  GArray *plan = g_array_new (FALSE, FALSE, sizeof (Step));

  for (guint i = 0; i < self->strategies->len; i++)
    {
      FpDownloadStrategy strategy = g_array_index (self->strategies, FpDownloadStrategy, i);

      if (strategy == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
        {
          g_array_append_val (plan, ((Step) { strategy, 1 }));
          continue;
        }
      for (guint j = 0; j < self->concurrencies->len; j++)
        g_array_append_val (plan, ((Step) { strategy, g_array_index (self->concurrencies, guint, j) }));
    }
  return plan;
}

/* Returns: how many batches the comparison runs. */
guint
fp_comparison_get_n_runs (FpComparison *self)
{
  g_autoptr(GArray) plan = NULL;

  g_return_val_if_fail (FP_IS_COMPARISON (self), 0);

  if (self->plan != NULL)
    return self->plan->len;
  plan = make_plan (self);
  return plan->len;
}

guint
fp_comparison_get_n_done (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), 0);
  return self->n_done;
}

/* Returns: (transfer none) (nullable): the batch running now, or the last. */
FpDownloadBatch *
fp_comparison_get_batch (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);
  return self->batch;
}

gboolean
fp_comparison_get_running (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), FALSE);
  return self->task != NULL;
}

/* Returns: (transfer none) (element-type FpRunRecord): the runs so far. */
GPtrArray *
fp_comparison_get_records (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);
  return self->records;
}

/* Returns: the id every record of this comparison carries. */
const char *
fp_comparison_get_id (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);
  return self->id;
}

/**
 * fp_comparison_get_ideal:
 * @workers: downloads at once
 *
 * Returns: `ceil(n/workers)·d`, d the built-in server's fixed latency
 *   (its mean when it varies): what the run would take if only the
 *   server's latency cost time; -1 when the latency is not known (a
 *   source other than the built-in server, or none)
 */
double
fp_comparison_get_ideal (FpComparison *self,
                         guint         workers)
{
  guint n;

  g_return_val_if_fail (FP_IS_COMPARISON (self), -1);

  n = g_strv_length (self->codes);
  if (!g_str_equal (self->source, "builtin") || self->delay_max <= 0 || workers == 0 || n == 0)
    return -1;
  workers = MIN (workers, n);
  return ceil ((double) n / workers) * (self->delay_min + self->delay_max) / 2;
}

/* Returns: the one-at-a-time run's elapsed time, or -1 before it ran. */
double
fp_comparison_get_sequential_time (FpComparison *self)
{
  g_return_val_if_fail (FP_IS_COMPARISON (self), -1);

  for (guint i = 0; i < self->records->len; i++)
    if (fp_run_record_get_workers (g_ptr_array_index (self->records, i)) == 1 &&
        fp_run_record_get_strategy (g_ptr_array_index (self->records, i)) == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
      return fp_run_record_get_elapsed (g_ptr_array_index (self->records, i));
  for (guint i = 0; i < self->records->len; i++)
    if (fp_run_record_get_workers (g_ptr_array_index (self->records, i)) == 1)
      return fp_run_record_get_elapsed (g_ptr_array_index (self->records, i));
  return -1;
}

static void run_next (FpComparison *self);

static void
finish (FpComparison *self,
        GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->caller_cancel_handler != 0)
    g_cancellable_disconnect (self->caller_cancellable, self->caller_cancel_handler);
  self->caller_cancel_handler = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
batch_finished_cb (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FpComparison) self = user_data;
  FpDownloadBatch *batch = FP_DOWNLOAD_BATCH (source_object);
  GError *error = NULL;
  g_autoptr(FpRunRecord) record = NULL;

  if (!fp_download_batch_run_finish (batch, result, &error))
    {
      finish (self, error);
      return;
    }

  record = fp_run_record_new_from_batch (batch, self->source, self->delay_min, self->delay_max,
                                         self->error_rate);
  fp_run_record_set_comparison (record, self->id);
  g_ptr_array_add (self->records, g_object_ref (record));
  self->n_done++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
  g_signal_emit (self, signals[RUN_COMPLETED], 0, record);

  if (g_cancellable_is_cancelled (self->cancellable))
    finish (self, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Comparison cancelled after %u of %u runs"),
                               self->n_done, self->plan->len));
  else
    run_next (self);
}

static void
run_next (FpComparison *self)
{
  const Step *step;

  if (self->n_done >= self->plan->len)
    {
      finish (self, NULL);
      return;
    }

  step = &g_array_index (self->plan, Step, self->n_done);
  g_clear_object (&self->batch);
  self->batch = fp_download_batch_new ((const char * const *) self->codes, self->base_url,
                                       self->extension, self->destination);
  fp_download_batch_set_strategy (self->batch, step->strategy);
  fp_download_batch_set_concurrency (self->batch, step->concurrency);
  fp_download_batch_set_timeout (self->batch, self->timeout_s);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH]);
  g_signal_emit (self, signals[RUN_STARTED], 0, self->batch);

  fp_download_batch_run_async (self->batch, self->cancellable, batch_finished_cb, g_object_ref (self));
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     FpComparison *self)
{
  g_cancellable_cancel (self->cancellable);
}

/**
 * fp_comparison_run_async:
 * @cancellable: (nullable): stops the comparison, like fp_comparison_cancel()
 *
 * Runs every batch of the comparison, one after another, on the
 * thread-default main context. Runs once.
 */
void
fp_comparison_run_async (FpComparison        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  g_return_if_fail (self->task == NULL && self->plan == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, fp_comparison_run_async);
  g_task_set_check_cancellable (self->task, FALSE);
  self->plan = make_plan (self);
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                           self, NULL);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  run_next (self);
}

/**
 * fp_comparison_run_finish:
 *
 * Returns: %TRUE when every run ran; %FALSE with %G_IO_ERROR_CANCELLED when
 *   cancelled (the runs that finished stay in the records), or with the
 *   error that stopped a batch
 */
gboolean
fp_comparison_run_finish (FpComparison  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fp_comparison_cancel (FpComparison *self)
{
  g_return_if_fail (FP_IS_COMPARISON (self));
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* One at a time has no concurrency of its own: it is 1. */
static guint
record_concurrency (FpRunRecord *record)
{
  if (fp_run_record_get_strategy (record) == FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
    return 1;
  return fp_run_record_get_concurrency (record);
}

/* Right-aligns @text in @width characters, not bytes ("×", "–"). */
static void
append_padded (GString    *table,
               const char *text,
               guint       width,
               gboolean    left)
{
  glong length = g_utf8_strlen (text, -1);

  if (left)
    g_string_append (table, text);
  for (glong i = length; i < (glong) width; i++)
    g_string_append_c (table, ' ');
  if (!left)
    g_string_append (table, text);
}

/**
 * fp_comparison_to_json:
 *
 * Returns: (transfer full): `{"runs": [{"strategy", "concurrency",
 *   "elapsed_s", "ok", "not_found", "error", "ideal_s", "speedup"}…], …}`,
 *   ideal_s and speedup %NULL where not known
 */
JsonNode *
fp_comparison_to_json (FpComparison *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double sequential;

  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);

  sequential = fp_comparison_get_sequential_time (self);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requested");
  json_builder_add_int_value (builder, g_strv_length (self->codes));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, self->source);
  json_builder_set_member_name (builder, "delay_min_s");
  json_builder_add_double_value (builder, self->delay_min);
  json_builder_set_member_name (builder, "delay_max_s");
  json_builder_add_double_value (builder, self->delay_max);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (self->records, i);
      double ideal = fp_comparison_get_ideal (self, fp_run_record_get_workers (record));
      double elapsed = fp_run_record_get_elapsed (record);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "strategy");
      json_builder_add_string_value (builder, fp_run_record_get_strategy_name (record));
      json_builder_set_member_name (builder, "concurrency");
      json_builder_add_int_value (builder, record_concurrency (record));
      json_builder_set_member_name (builder, "workers");
      json_builder_add_int_value (builder, fp_run_record_get_workers (record));
      json_builder_set_member_name (builder, "elapsed_s");
      json_builder_add_double_value (builder, round (elapsed * 1e4) / 1e4);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_int_value (builder, fp_run_record_get_n_ok (record));
      json_builder_set_member_name (builder, "not_found");
      json_builder_add_int_value (builder, fp_run_record_get_n_not_found (record));
      json_builder_set_member_name (builder, "error");
      json_builder_add_int_value (builder, fp_run_record_get_n_error (record));
      json_builder_set_member_name (builder, "ideal_s");
      if (ideal >= 0)
        json_builder_add_double_value (builder, round (ideal * 1e4) / 1e4);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "speedup");
      if (sequential > 0 && elapsed > 0)
        json_builder_add_double_value (builder, round (sequential / elapsed * 100) / 100);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * fp_comparison_format_table:
 *
 * Returns: (transfer full): the runs as a table of aligned text, for a
 *   terminal or the clipboard
 */
char *
fp_comparison_format_table (FpComparison *self)
{
  GString *table = g_string_new (NULL);
  static const guint widths[] = { 12, 4, 10, 8, 6, 8, 5, 9, 6 };
  double sequential;

  g_return_val_if_fail (FP_IS_COMPARISON (self), NULL);

  sequential = fp_comparison_get_sequential_time (self);
  {
    /* TRANSLATORS: column heads of the comparison table; keep them short */
    const char *heads[] = { _("strategy"), "c", _("elapsed s"), _("ideal s"), _("ratio"),
                            _("speed-up"), _("ok"), _("not found"), _("errors") };

    for (guint k = 0; k < G_N_ELEMENTS (heads); k++)
      {
        if (k > 0)
          g_string_append_c (table, ' ');
        append_padded (table, heads[k], widths[k], k == 0);
      }
    g_string_append_c (table, '\n');
  }
  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (self->records, i);
      double elapsed = fp_run_record_get_elapsed (record);
      double ideal = fp_comparison_get_ideal (self, fp_run_record_get_workers (record));
      char *cells[G_N_ELEMENTS (widths)];

      cells[0] = g_strdup (fp_run_record_get_strategy_name (record));
      cells[1] = g_strdup_printf ("%u", record_concurrency (record));
      cells[2] = g_strdup_printf ("%.2f", elapsed);
      cells[3] = ideal >= 0 ? g_strdup_printf ("%.2f", ideal) : g_strdup ("–");
      cells[4] = ideal > 0 ? g_strdup_printf ("%.3f", elapsed / ideal) : g_strdup ("–");
      cells[5] = sequential > 0 && elapsed > 0 ? g_strdup_printf ("%.1f×", sequential / elapsed) : g_strdup ("–");
      cells[6] = g_strdup_printf ("%u", fp_run_record_get_n_ok (record));
      cells[7] = g_strdup_printf ("%u", fp_run_record_get_n_not_found (record));
      cells[8] = g_strdup_printf ("%u", fp_run_record_get_n_error (record));
      for (guint k = 0; k < G_N_ELEMENTS (widths); k++)
        {
          if (k > 0)
            g_string_append_c (table, ' ');
          append_padded (table, cells[k], widths[k], k == 0);
          g_free (cells[k]);
        }
      g_string_append_c (table, '\n');
    }
  return g_string_free (table, FALSE);
}
