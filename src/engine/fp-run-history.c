/* fp-run-history.c — every run kept across sessions in the user's data folder, newest first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-history"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "fp-run-history-private.h"

/*
 * The history is one JSON file, {"version": 1, "runs": [newest first]},
 * written whole and atomically (a temporary file renamed over the old
 * one), so a crash leaves the old history or the new, never half. A file
 * that cannot be read or parsed is never overwritten: it is renamed
 * aside ("history.json.damaged-…") and the history starts again from
 * what could be read, with a warning the window or the command line
 * shows. Another program (the CLI beside the window) may have added runs
 * meanwhile: saving keeps the runs on disk that this history does not
 * know, so nobody's run is lost.
 *
 * Every download's result and timeline of the newest runs is kept too,
 * but not in that file: a run of all 676 codes takes 120 KB of JSON and
 * over a megabyte once parsed, and a window that read ten of them at start
 * would spend more memory on its history than on its flags. Each goes to
 * a file of its own beside the history ("runs/ID.json", the whole record),
 * written once when the run is first saved, read only when someone
 * reopens that run (fp_run_history_load_details_async()), and removed
 * when the run is no longer among the newest FP_RUN_HISTORY_MAX_DETAILED.
 * The history's own entry says "detailed": true while that file is kept.
 *
 * The model is a GListModel of FpRunRecord, changed only on the thread
 * that owns the history; files are read and written on a worker thread
 * in the _async forms.
 */

#define HISTORY_VERSION 1

struct _FpRunHistory
{
  GObject parent_instance;

  GFile *file;
  GPtrArray *records;          /* FpRunRecord, newest first */
  GHashTable *details_saved;   /* ids whose details file is written, or was read so */
  char *warning;
};

static void fp_run_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FpRunHistory, fp_run_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, fp_run_history_list_model_init))

enum {
  PROP_0,
  PROP_WARNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
fp_run_history_get_item_type (GListModel *model)
{
  return FP_TYPE_RUN_RECORD;
}

static guint
fp_run_history_get_n_items (GListModel *model)
{
  return FP_RUN_HISTORY (model)->records->len;
}

static gpointer
fp_run_history_get_item (GListModel *model,
                         guint       position)
{
  FpRunHistory *self = FP_RUN_HISTORY (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
fp_run_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = fp_run_history_get_item_type;
  iface->get_n_items = fp_run_history_get_n_items;
  iface->get_item = fp_run_history_get_item;
}

static void
fp_run_history_finalize (GObject *object)
{
  FpRunHistory *self = FP_RUN_HISTORY (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->details_saved, g_hash_table_unref);
  g_clear_pointer (&self->warning, g_free);

  G_OBJECT_CLASS (fp_run_history_parent_class)->finalize (object);
}

static void
fp_run_history_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FpRunHistory *self = FP_RUN_HISTORY (object);

  switch (prop_id)
    {
    case PROP_WARNING:
      g_value_set_string (value, self->warning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_run_history_class_init (FpRunHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fp_run_history_finalize;
  object_class->get_property = fp_run_history_get_property;

  /**
   * FpRunHistory:warning:
   *
   * What went wrong reading the file, for a person, or %NULL.
   */
  properties[PROP_WARNING] =
    g_param_spec_string ("warning", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_run_history_init (FpRunHistory *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->details_saved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Returns: (transfer full): `$XDG_DATA_HOME/flagpole/history.json`. */
GFile *
fp_run_history_get_default_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "flagpole", "history.json", NULL);

  return g_file_new_for_path (path);
}

/**
 * fp_run_history_new:
 * @file: (nullable): where the history lives; %NULL for the default
 */
FpRunHistory *
fp_run_history_new (GFile *file)
{
  FpRunHistory *self = g_object_new (FP_TYPE_RUN_HISTORY, NULL);

  self->file = file != NULL ? g_object_ref (file) : fp_run_history_get_default_file ();
  return self;
}

GFile *
fp_run_history_get_file (FpRunHistory *self)
{
  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), NULL);
  return self->file;
}

/* Returns: (nullable): why the file on disk was set aside, for a person. */
const char *
fp_run_history_get_warning (FpRunHistory *self)
{
  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), NULL);
  return self->warning;
}

gint64
_fp_run_history_id_time (const char *id)
{
  return g_ascii_strtoll (id, NULL, 10);
}

/* Renames a file that cannot be read out of the way; returns the words for a person. */
static char *
set_aside (GFile      *file,
           const char *reason)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = g_strdup_printf ("%s.damaged-%s", path, stamp);
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *display_aside = NULL;

  /* Never over an earlier damaged file. */
  for (guint n = 2; g_file_test (aside, G_FILE_TEST_EXISTS) && n < 1000; n++)
    {
      g_free (aside);
      aside = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, n);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved_errno = errno;

      g_debug ("Cannot set %s aside: %s", path, g_strerror (saved_errno));
      return g_strdup_printf (_("The history of runs in “%s” cannot be read (%s) and could not be set aside (%s); "
                                "new runs are not saved until it is moved"),
                              display, reason, g_strerror (saved_errno));
    }
  display_aside = g_filename_display_basename (aside);
  return g_strdup_printf (_("The history of runs in “%s” was damaged (%s); it was set aside as “%s” "
                            "and a new history begins"),
                          display, reason, display_aside);
}

/* Reads the runs in @file. Blocks; thread-safe. A missing file is an empty
 * history. Returns: (transfer full): the records, newest first; *@warning
 * says what was set aside, and then *@blocked whether the file is still
 * in the way (so saving must not replace it). */
static GPtrArray *
read_file (GFile         *file,
           char         **warning,
           gboolean      *blocked,
           GCancellable  *cancellable)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  JsonObject *root;
  JsonArray *runs;
  guint n_bad = 0;

  *warning = NULL;
  *blocked = FALSE;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return g_steal_pointer (&records);
      *warning = set_aside (file, error->message);
      *blocked = g_file_query_exists (file, NULL);
      return g_steal_pointer (&records);
    }

  if (!json_parser_load_from_data (parser, contents, (gssize) length, &error))
    {
      *warning = set_aside (file, error->message);
      *blocked = g_file_query_exists (file, NULL);
      return g_steal_pointer (&records);
    }
  root = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
       ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  if (root == NULL || json_object_get_int_member_with_default (root, "version", 0) != HISTORY_VERSION ||
      !json_object_has_member (root, "runs") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "runs")))
    {
      *warning = set_aside (file, _("not a history of runs"));
      *blocked = g_file_query_exists (file, NULL);
      return g_steal_pointer (&records);
    }

  runs = json_object_get_array_member (root, "runs");
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      FpRunRecord *record = fp_run_record_new_from_json (json_array_get_element (runs, i), NULL);

      if (record != NULL)
        g_ptr_array_add (records, record);
      else
        n_bad++;
    }

  /* Keep the good runs, and the whole file aside for whoever wants the rest. */
  if (n_bad > 0)
    {
      g_autofree char *reason = g_strdup_printf (ngettext ("%u run is damaged", "%u runs are damaged", n_bad),
                                                 n_bad);
      *warning = set_aside (file, reason);
      *blocked = g_file_query_exists (file, NULL);
    }

  return g_steal_pointer (&records);
}

static void
take_records (FpRunHistory *self,
              GPtrArray    *records,
              char         *warning)
{
  guint removed = self->records->len;

  g_ptr_array_set_size (self->records, 0);
  g_ptr_array_extend_and_steal (self->records, records);
  /* Read as summaries that say their details are in a file of their own;
   * a run of an older history with its details inline gets its file at the
   * next save. */
  g_hash_table_remove_all (self->details_saved);
  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (self->records, i);

      if (fp_run_record_get_detailed (record) && fp_run_record_get_results (record)->len == 0)
        g_hash_table_add (self->details_saved, g_strdup (fp_run_record_get_id (record)));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->records->len);

  g_free (self->warning);
  self->warning = warning;
  if (warning != NULL)
    g_debug ("%s", warning);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WARNING]);
}

/**
 * fp_run_history_load:
 *
 * Reads the history from its file, replacing what the model holds. A
 * damaged file is set aside and FpRunHistory:warning says so: that is
 * not an error. Blocks.
 *
 * Returns: %FALSE only when cancelled
 */
gboolean
fp_run_history_load (FpRunHistory  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  GPtrArray *records;
  char *warning;
  gboolean blocked;

  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), FALSE);

  records = read_file (self->file, &warning, &blocked, cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_ptr_array_unref (records);
      g_free (warning);
      return FALSE;
    }
  take_records (self, records, warning);
  return TRUE;
}

typedef struct {
  GPtrArray *records;
  char *warning;
} LoadData;

static void
load_data_free (gpointer user_data)
{
  LoadData *data = user_data;

  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_free (data->warning);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  LoadData *data = g_new0 (LoadData, 1);
  gboolean blocked;

  data->records = read_file (file, &data->warning, &blocked, cancellable);
  if (g_task_return_error_if_cancelled (task))
    load_data_free (data);
  else
    g_task_return_pointer (task, data, load_data_free);
}

/* fp_run_history_load() on a worker thread. */
void
fp_run_history_load_async (FpRunHistory        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FP_IS_RUN_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_run_history_load_async);
  g_task_set_task_data (task, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

gboolean
fp_run_history_load_finish (FpRunHistory  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  LoadData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_propagate_pointer (G_TASK (result), error);
  if (data == NULL)
    return FALSE;
  take_records (self, g_steal_pointer (&data->records), g_steal_pointer (&data->warning));
  load_data_free (data);
  return TRUE;
}

/**
 * fp_run_history_add:
 * @record: a run that just ended
 *
 * Puts @record first. Save the history to keep it.
 */
void
fp_run_history_add (FpRunHistory *self,
                    FpRunRecord  *record)
{
  guint removed = 0;

  g_return_if_fail (FP_IS_RUN_HISTORY (self));
  g_return_if_fail (FP_IS_RUN_RECORD (record));

  g_ptr_array_insert (self->records, 0, g_object_ref (record));
  if (self->records->len > FP_RUN_HISTORY_MAX_RUNS)
    {
      removed = self->records->len - FP_RUN_HISTORY_MAX_RUNS;
      g_ptr_array_set_size (self->records, FP_RUN_HISTORY_MAX_RUNS);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), FP_RUN_HISTORY_MAX_RUNS, removed, 0);
}

/* What a save writes, gathered on the owner's thread; the records are
 * immutable, so the worker makes their JSON. */
typedef struct {
  GFile *file;
  GPtrArray *records;          /* FpRunRecord: ours, newest first */
  GPtrArray *new_details;      /* FpRunRecord: those whose details file is to be written */
  GPtrArray *runs;             /* JsonNode: the summaries, made on the worker */
  GHashTable *ids;             /* our records' ids */
} SaveData;

static void
save_data_free (gpointer user_data)
{
  SaveData *data = user_data;

  g_clear_object (&data->file);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_clear_pointer (&data->new_details, g_ptr_array_unref);
  g_clear_pointer (&data->runs, g_ptr_array_unref);
  g_clear_pointer (&data->ids, g_hash_table_unref);
  g_free (data);
}

static SaveData *
save_data_new (FpRunHistory *self)
{
  SaveData *data = g_new0 (SaveData, 1);

  data->file = g_object_ref (self->file);
  data->records = g_ptr_array_new_with_free_func (g_object_unref);
  data->new_details = g_ptr_array_new_with_free_func (g_object_unref);
  data->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  data->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (self->records, i);
      const char *id = fp_run_record_get_id (record);

      g_ptr_array_add (data->records, g_object_ref (record));
      g_hash_table_add (data->ids, g_strdup (id));
      /* Written once: a run's details never change. */
      if (i < FP_RUN_HISTORY_MAX_DETAILED && fp_run_record_get_results (record)->len > 0 &&
          !g_hash_table_contains (self->details_saved, id))
        {
          g_ptr_array_add (data->new_details, g_object_ref (record));
          g_hash_table_add (self->details_saved, g_strdup (id));
        }
    }
  return data;
}

static int
compare_runs_newest_first (gconstpointer a,
                           gconstpointer b)
{
  JsonObject *ra = json_node_get_object (*(JsonNode **) a);
  JsonObject *rb = json_node_get_object (*(JsonNode **) b);
  gint64 ta = _fp_run_history_id_time (json_object_get_string_member_with_default (ra, "id", "0"));
  gint64 tb = _fp_run_history_id_time (json_object_get_string_member_with_default (rb, "id", "0"));

  return (ta < tb) - (ta > tb);
}

/* Blocks; thread-safe. */
static gboolean
write_file (SaveData      *data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GFile) parent = g_file_get_parent (data->file);
  g_autofree char *path = g_file_get_path (data->file);
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *warning = NULL;
  gboolean blocked;
  gsize length;

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history of runs must be a local file"));
      return FALSE;
    }

  for (guint i = 0; i < data->records->len; i++)
    g_ptr_array_add (data->runs, fp_run_record_to_json (g_ptr_array_index (data->records, i), FALSE));

  /* Runs another program saved meanwhile stay. */
  others = read_file (data->file, &warning, &blocked, cancellable);
  if (blocked)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", warning);
      return FALSE;
    }
  for (guint i = 0; i < others->len; i++)
    {
      FpRunRecord *other = g_ptr_array_index (others, i);

      if (g_hash_table_contains (data->ids, fp_run_record_get_id (other)))
        continue;
      g_ptr_array_add (data->runs, fp_run_record_to_json (other, FALSE));
      /* From an older history, with its details inline. */
      if (fp_run_record_get_results (other)->len > 0)
        g_ptr_array_add (data->new_details, g_object_ref (other));
    }
  g_ptr_array_sort (data->runs, compare_runs_newest_first);

  if (!g_file_make_directory_with_parents (parent, cancellable, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  g_clear_error (&local_error);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_VERSION);
  json_builder_set_member_name (builder, "runs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < MIN (data->runs->len, FP_RUN_HISTORY_MAX_RUNS); i++)
    {
      JsonNode *run = g_ptr_array_index (data->runs, i);

      /* Only the newest keep their details (pruned below). */
      if (i >= FP_RUN_HISTORY_MAX_DETAILED)
        json_object_remove_member (json_node_get_object (run), "detailed");
      json_builder_add_value (builder, json_node_ref (run));
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);

  if (!g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return FALSE;
  /* The runs first, their details after: a run whose details are lost to
   * a crash only says so when reopened. */
  _fp_run_history_write_details (data->file, data->new_details, cancellable);
  _fp_run_history_prune_details (data->file, data->runs);
  return TRUE;
}

/**
 * fp_run_history_save:
 *
 * Writes the history to its file atomically, keeping the runs other
 * programs added there meanwhile. Blocks.
 */
gboolean
fp_run_history_save (FpRunHistory  *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  SaveData *data;
  gboolean saved;

  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), FALSE);

  data = save_data_new (self);
  saved = write_file (data, cancellable, error);
  save_data_free (data);
  return saved;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_file (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* fp_run_history_save(), the file written on a worker thread. */
void
fp_run_history_save_async (FpRunHistory        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FP_IS_RUN_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_run_history_save_async);
  g_task_set_task_data (task, save_data_new (self), save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
fp_run_history_save_finish (FpRunHistory  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fp_run_history_find_baseline:
 * @record: a run, in the history or not
 *
 * Finds the earlier run to compare @record with: the latest complete run
 * of the same work one at a time, else the latest complete one of the
 * same work run another way.
 *
 * Returns: (transfer none) (nullable): that run
 */
FpRunRecord *
fp_run_history_find_baseline (FpRunHistory *self,
                              FpRunRecord  *record)
{
  FpRunRecord *other_way = NULL;
  gint64 before;

  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), NULL);
  g_return_val_if_fail (FP_IS_RUN_RECORD (record), NULL);

  before = _fp_run_history_id_time (fp_run_record_get_id (record));
  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *candidate = g_ptr_array_index (self->records, i);

      if (candidate == record || _fp_run_history_id_time (fp_run_record_get_id (candidate)) >= before ||
          !fp_run_record_get_complete (candidate) || !fp_run_record_is_same_work (candidate, record))
        continue;
      if (fp_run_record_get_workers (candidate) == 1 && fp_run_record_get_workers (record) != 1)
        return candidate;
      if (other_way == NULL &&
          (fp_run_record_get_workers (candidate) != fp_run_record_get_workers (record) ||
           fp_run_record_get_strategy (candidate) != fp_run_record_get_strategy (record)))
        other_way = candidate;
    }
  return other_way;
}

/* Returns: (transfer none) (nullable): the run with that id. */
FpRunRecord *
fp_run_history_lookup (FpRunHistory *self,
                       const char   *id)
{
  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), NULL);

  for (guint i = 0; i < self->records->len; i++)
    if (g_strcmp0 (fp_run_record_get_id (g_ptr_array_index (self->records, i)), id) == 0)
      return g_ptr_array_index (self->records, i);
  return NULL;
}

/**
 * fp_run_history_find_sequential_time:
 * @record: a run (its settings count, not its times)
 *
 * Returns: the elapsed time of the latest complete one-at-a-time run of
 *   the same work in the history, or 0 when there is none
 */
double
fp_run_history_find_sequential_time (FpRunHistory *self,
                                     FpRunRecord  *record)
{
  g_return_val_if_fail (FP_IS_RUN_HISTORY (self), 0);
  g_return_val_if_fail (FP_IS_RUN_RECORD (record), 0);

  for (guint i = 0; i < self->records->len; i++)
    {
      FpRunRecord *candidate = g_ptr_array_index (self->records, i);

      if (candidate != record && fp_run_record_get_workers (candidate) == 1 &&
          fp_run_record_get_complete (candidate) && fp_run_record_is_same_work (candidate, record))
        return fp_run_record_get_elapsed (candidate);
    }
  return 0;
}
