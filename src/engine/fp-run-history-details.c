/* fp-run-history-details.c — every download of the newest runs, each run in a file of its own beside the history
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-run-history"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fp-run-history-private.h"

/* See fp-run-history.c for why details live apart from the history. */

/* Returns: (transfer full) (nullable): where the run @id's details are
 * kept beside @file; %NULL for an id that is no safe file name (ids are
 * the time and a random number, "1764634000000000-0a1b2c3d"). */
static GFile *
details_file (GFile      *file,
              const char *id)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GFile) runs = NULL;
  g_autofree char *name = NULL;

  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return NULL;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return NULL;
  name = g_strconcat (id, ".json", NULL);
  runs = g_file_get_child (parent, "runs");
  return g_file_get_child (runs, name);
}

/* Writes the details files of the new runs, each atomically; one that
 * cannot be written only costs that run its timeline later. Blocks;
 * thread-safe. */
void
_fp_run_history_write_details (GFile        *history_file,
                               GPtrArray    *new_details,
                               GCancellable *cancellable)
{
  for (guint i = 0; i < new_details->len; i++)
    {
      FpRunRecord *record = g_ptr_array_index (new_details, i);
      g_autoptr(GFile) file = details_file (history_file, fp_run_record_get_id (record));
      g_autoptr(GFile) folder = file != NULL ? g_file_get_parent (file) : NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonGenerator) generator = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      g_autofree char *text = NULL;
      gsize length;

      if (path == NULL)
        continue;
      if (!g_file_make_directory (folder, cancellable, &error) &&
          !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_warning ("Cannot keep the timeline of run %s: %s", fp_run_record_get_id (record), error->message);
          continue;
        }
      g_clear_error (&error);
      node = fp_run_record_to_json (record, TRUE);
      generator = json_generator_new ();
      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, &length);
      if (!g_file_set_contents_full (path, text, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        g_warning ("Cannot keep the timeline of run %s: %s", fp_run_record_get_id (record), error->message);
    }
}

/* Removes the details files of runs older than the newest kept with
 * details. A newer file stays: another program may have written it and be
 * about to save its history. Blocks; thread-safe. */
void
_fp_run_history_prune_details (GFile     *history_file,
                               GPtrArray *runs)
{
  g_autoptr(GFile) probe = details_file (history_file, "0");
  g_autoptr(GFile) folder = g_file_get_parent (probe);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 oldest_kept = G_MAXINT64;
  GFileInfo *info;

  for (guint i = 0; i < MIN (runs->len, FP_RUN_HISTORY_MAX_DETAILED); i++)
    {
      JsonObject *run = json_node_get_object (g_ptr_array_index (runs, i));
      const char *id = json_object_get_string_member_with_default (run, "id", "0");

      oldest_kept = MIN (oldest_kept, _fp_run_history_id_time (id));
      if (json_object_get_boolean_member_with_default (run, "detailed", FALSE))
        g_hash_table_add (kept, (gpointer) id);
    }
  if (runs->len < FP_RUN_HISTORY_MAX_DETAILED)
    oldest_kept = 0;

  children = g_file_enumerate_children (folder, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        NULL, NULL);
  while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      const char *name = g_file_info_get_name (info);
      g_autofree char *id = g_str_has_suffix (name, ".json") ? g_strndup (name, strlen (name) - 5) : NULL;
      g_autoptr(GFile) file = id != NULL ? details_file (history_file, id) : NULL;

      if (file != NULL && !g_hash_table_contains (kept, id) && _fp_run_history_id_time (id) < oldest_kept)
        g_file_delete (file, NULL, NULL);
    }
}


typedef struct {
  GFile *file;
  char *id;
} DetailsQuery;

static void
details_query_free (gpointer data)
{
  DetailsQuery *query = data;

  g_clear_object (&query->file);
  g_free (query->id);
  g_free (query);
}

static void
load_details_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  DetailsQuery *query = task_data;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(FpRunRecord) record = NULL;
  gsize length;

  if (query->file == NULL ||
      !g_file_load_contents (query->file, cancellable, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else if (error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                 _("The timeline of this run is no longer kept"));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The timeline of this run cannot be read: %s"), error->message);
      return;
    }

  if (json_parser_load_from_data (parser, contents, (gssize) length, &error))
    record = fp_run_record_new_from_json (json_parser_get_root (parser), &error);
  if (record != NULL && g_strcmp0 (fp_run_record_get_id (record), query->id) != 0)
    g_clear_object (&record);
  if (record == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The timeline of this run cannot be read: %s"),
                               error != NULL ? error->message : _("it is another run’s"));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&record), g_object_unref);
}

/**
 * fp_run_history_load_details_async:
 * @record: a run of this history
 *
 * Reads @record's details (every download's result and timeline) on a
 * worker thread, from the file the history keeps them in. A record that
 * holds them already is given back as it is.
 */
void
fp_run_history_load_details_async (FpRunHistory        *self,
                                   FpRunRecord         *record,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DetailsQuery *query;

  g_return_if_fail (FP_IS_RUN_HISTORY (self));
  g_return_if_fail (FP_IS_RUN_RECORD (record));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_run_history_load_details_async);
  if (fp_run_record_get_results (record)->len > 0)
    {
      g_task_return_pointer (task, g_object_ref (record), g_object_unref);
      return;
    }
  query = g_new0 (DetailsQuery, 1);
  query->id = g_strdup (fp_run_record_get_id (record));
  query->file = fp_run_record_get_detailed (record) ? details_file (fp_run_history_get_file (self), query->id) : NULL;
  g_task_set_task_data (task, query, details_query_free);
  g_task_run_in_thread (task, load_details_thread);
}

/**
 * fp_run_history_load_details_finish:
 *
 * Returns: (transfer full) (nullable): the record with its details, or
 *   %NULL with an error that says, for a person, why they cannot be had
 */
FpRunRecord *
fp_run_history_load_details_finish (FpRunHistory  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
