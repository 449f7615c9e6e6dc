/* fp-flag-folder.c — the flags already in a folder, listed off the main thread, oldest first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-folder"

#include "config.h"

#include "fp-flag-file.h"
#include "fp-flag-folder.h"

typedef struct
{
  GFile *file;
  guint64 modified;              /* microseconds */
} ListedFile;

static void
listed_file_free (ListedFile *listed)
{
  g_clear_object (&listed->file);
  g_free (listed);
}

static int
compare_listed_files (gconstpointer a,
                      gconstpointer b)
{
  const ListedFile *first = *(ListedFile * const *) a;
  const ListedFile *second = *(ListedFile * const *) b;
  g_autofree char *first_name = NULL;
  g_autofree char *second_name = NULL;

  if (first->modified != second->modified)
    return first->modified < second->modified ? -1 : 1;

  /* Files saved in the same microsecond keep a stable, readable order. */
  first_name = g_file_get_basename (first->file);
  second_name = g_file_get_basename (second->file);
  return g_strcmp0 (first_name, second_name);
}

/* In a thread of GIO's pool: the enumeration blocks on the disk. */
static void
list_folder_in_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GFile *folder = task_data;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) listed = g_ptr_array_new_with_free_func ((GDestroyNotify) listed_file_free);
  g_autoptr(GHashTable) newest = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  enumerator = g_file_enumerate_children (folder,
                                          G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                          G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                                          G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC,
                                          G_FILE_QUERY_INFO_NONE,
                                          cancellable, &error);
  if (enumerator == NULL)
    {
      /* A folder that does not exist yet simply holds no flags: the first
       * batch creates it. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (;;)
    {
      GFileInfo *info = NULL;
      g_autofree char *code = NULL;
      ListedFile *file;
      ListedFile *other;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (info == NULL)
        break;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        continue;
      code = fp_flag_file_code_for_name (g_file_info_get_name (info));
      if (code == NULL)
        continue;

      file = g_new0 (ListedFile, 1);
      file->file = g_file_enumerator_get_child (enumerator, info);
      file->modified = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC
                       + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
      g_ptr_array_add (listed, file);

      /* One tile per country: when a folder holds br.png and br.gif, the
       * newer one is the flag. */
      other = g_hash_table_lookup (newest, code);
      if (other == NULL || compare_listed_files (&other, &file) < 0)
        g_hash_table_insert (newest, g_steal_pointer (&code), file);
    }

  g_ptr_array_sort (listed, compare_listed_files);

  for (guint i = 0; i < listed->len; i++)
    {
      ListedFile *file = g_ptr_array_index (listed, i);
      g_autofree char *basename = g_file_get_basename (file->file);
      g_autofree char *code = fp_flag_file_code_for_name (basename);

      if (g_hash_table_lookup (newest, code) == file)
        g_ptr_array_add (files, g_object_ref (file->file));
    }

  g_task_return_pointer (task, g_steal_pointer (&files), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * fp_flag_folder_list_async:
 * @folder: the folder flags are saved in
 * @cancellable: (nullable): stops the listing
 * @callback: called on the caller's main context with the list
 *
 * Lists the flags in @folder on a worker thread: files named like
 * "br.png" (two letters and an image extension), one per country (the
 * newest when a folder holds br.png and br.gif), oldest first. A folder
 * that does not exist yet holds no flags. No object is kept alive by the
 * listing: pass the owner as @user_data and cancel it when it goes.
 */
void
fp_flag_folder_list_async (GFile               *folder,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (folder));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_flag_folder_list_async);
  g_task_set_task_data (task, g_object_ref (folder), g_object_unref);
  g_task_run_in_thread (task, list_folder_in_thread);
}

/**
 * fp_flag_folder_list_finish:
 *
 * Returns: (transfer full) (element-type GFile): the flags' files, oldest
 *   first, or %NULL and @error
 */
GPtrArray *
fp_flag_folder_list_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
