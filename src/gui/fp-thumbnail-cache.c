/* fp-thumbnail-cache.c — makes the grid's thumbnails off the main thread and keeps the last few
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-thumbnail-cache"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "flagpole-engine.h"
#include "fp-thumbnail-cache-private.h"

/*
 * A thumbnail is 160 × 120 RGBA pixels, 75 KiB: a grid that kept one for
 * every flag it lists held 19 MB for the 249 countries, most of them for
 * tiles that were never on screen. The grid's factory asks for one when it
 * binds a tile and drops it when the tile is recycled, so thumbnails exist
 * for the tiles that exist. Making one again costs a worker a millisecond
 * (read a few kilobytes from the page cache, decode, shrink), and scrolling
 * back and forth over the same rows finds the last few here: the cache
 * keeps the @capacity thumbnails asked for last, a few hundred kilobytes.
 */
struct _FpThumbnailCache
{
  GObject parent_instance;

  int width;
  int height;
  guint capacity;
  GQueue lru;                    /* Entry, the most recently used first */
  GHashTable *entries;           /* key → GList link in lru */
  guint n_decoded;
};

typedef struct
{
  char *key;
  FpThumbnail *thumbnail;
} Entry;

G_DEFINE_FINAL_TYPE (FpThumbnailCache, fp_thumbnail_cache, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_free (entry->key);
  g_clear_object (&entry->thumbnail);
  g_free (entry);
}

/* A replaced flag is a new file with a new modification time: the key
 * tells it from the old one, so a stale thumbnail is never shown. */
static char *
make_key (FpFlagFile *flag_file,
          int         scale)
{
  GDateTime *modified = fp_flag_file_get_modified (flag_file);
  g_autofree char *uri = g_file_get_uri (fp_flag_file_get_file (flag_file));
  gint64 usec = 0;

  if (modified != NULL)
    usec = g_date_time_to_unix (modified) * G_USEC_PER_SEC + g_date_time_get_microsecond (modified);
  return g_strdup_printf ("%s %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT " @%d",
                          uri, usec, fp_flag_file_get_size (flag_file), scale);
}

static void
fp_thumbnail_cache_finalize (GObject *object)
{
  FpThumbnailCache *self = FP_THUMBNAIL_CACHE (object);

  g_hash_table_unref (self->entries);
  g_queue_clear_full (&self->lru, (GDestroyNotify) entry_free);

  G_OBJECT_CLASS (fp_thumbnail_cache_parent_class)->finalize (object);
}

/*
 * Decoding a flag takes a 300 KiB buffer for its full size and keeps a
 * 75 KiB one for the thumbnail, on whichever thread decodes it. glibc
 * serves blocks of that size from its heaps once it has seen one freed
 * (its mmap threshold follows the largest block freed, up to 32 MiB), and
 * a heap keeps what is freed in its middle: the thumbnails a scroll drops
 * and the decoding buffers stayed in the window's memory. Blocks from
 * 64 KiB up are mapped on their own instead, and go back to the system
 * when freed: 3 MB less at the peak of a batch, measured side by side.
 */
#define MMAP_THRESHOLD (64 * 1024)

static void
fp_thumbnail_cache_class_init (FpThumbnailCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_thumbnail_cache_finalize;

#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD);
#endif
}

static void
fp_thumbnail_cache_init (FpThumbnailCache *self)
{
  g_queue_init (&self->lru);
  self->entries = g_hash_table_new (g_str_hash, g_str_equal);
}

FpThumbnailCache *
fp_thumbnail_cache_new (int   width,
                        int   height,
                        guint capacity)
{
  FpThumbnailCache *self;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  self = g_object_new (FP_TYPE_THUMBNAIL_CACHE, NULL);
  self->width = width;
  self->height = height;
  self->capacity = capacity;
  return self;
}

int
fp_thumbnail_cache_get_width (FpThumbnailCache *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL_CACHE (self), 0);
  return self->width;
}

int
fp_thumbnail_cache_get_height (FpThumbnailCache *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL_CACHE (self), 0);
  return self->height;
}

static void
trim (FpThumbnailCache *self)
{
  while (self->lru.length > self->capacity)
    {
      Entry *oldest = g_queue_pop_tail (&self->lru);

      g_hash_table_remove (self->entries, oldest->key);
      entry_free (oldest);
    }
}

static void
remember (FpThumbnailCache *self,
          char             *key,
          FpThumbnail      *thumbnail)
{
  GList *link = g_hash_table_lookup (self->entries, key);
  Entry *entry;

  if (link != NULL)
    {
      entry = link->data;
      g_set_object (&entry->thumbnail, thumbnail);
      g_queue_unlink (&self->lru, link);
      g_queue_push_head_link (&self->lru, link);
      g_free (key);
      return;
    }

  entry = g_new0 (Entry, 1);
  entry->key = key;
  entry->thumbnail = g_object_ref (thumbnail);
  g_queue_push_head (&self->lru, entry);
  g_hash_table_insert (self->entries, entry->key, self->lru.head);
  trim (self);
}

/**
 * fp_thumbnail_cache_lookup:
 *
 * Returns: (transfer full) (nullable): the thumbnail, made for @scale
 */
FpThumbnail *
fp_thumbnail_cache_lookup (FpThumbnailCache *self,
                           FpFlagFile       *flag_file,
                           int               scale)
{
  g_autofree char *key = NULL;
  GList *link;

  g_return_val_if_fail (FP_IS_THUMBNAIL_CACHE (self), NULL);
  g_return_val_if_fail (FP_IS_FLAG_FILE (flag_file), NULL);

  key = make_key (flag_file, scale);
  link = g_hash_table_lookup (self->entries, key);
  if (link == NULL)
    return NULL;

  g_queue_unlink (&self->lru, link);
  g_queue_push_head_link (&self->lru, link);
  return g_object_ref (((Entry *) link->data)->thumbnail);
}

/**
 * fp_thumbnail_decode:
 *
 * Returns: (transfer full) (nullable): the texture, or %NULL with @error set
 */
GdkTexture *
fp_thumbnail_decode (GFile         *file,
                     int            width,
                     int            height,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  /* The engine never saves more; a larger file is not one of its flags. */
  if (g_bytes_get_size (bytes) > FP_MAX_BODY_SIZE)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The file is too large for a flag"));
      return NULL;
    }

  /* Shrunk as it is decoded, with the size limits checked first. */
  return fp_flag_file_decode (bytes, width, height, NULL, NULL, error);
}

/*
 * Thumbnails can wait a little; a frame cannot. The decoding threads run
 * at the lowest nice value (a weight of 15 against the main thread's
 * 1024), so while the window draws they rarely take its turn. Not
 * SCHED_IDLE: behind a software renderer that keeps both cores busy, idle
 * threads never ran and the tiles stayed empty. Linux lets a thread do
 * this to itself.
 */
static void
make_thread_idle (void)
{
#ifdef __linux__
  static GPrivate lowered = G_PRIVATE_INIT (NULL);

  if (g_private_get (&lowered) != NULL)
    return;
  g_private_set (&lowered, GINT_TO_POINTER (TRUE));

  if (setpriority (PRIO_PROCESS, (id_t) gettid (), 19) != 0)
    g_debug ("Cannot lower the priority of a decoding thread: %s", g_strerror (errno));
#endif
}

typedef struct
{
  GFile *file;
  char *key;
  int scale;
  int width;                     /* device pixels */
  int height;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->file);
  g_free (data->key);
  g_free (data);
}

static void
decode_in_worker (gpointer task_pointer,
                  gpointer pool_data)
{
  g_autoptr(GTask) task = task_pointer;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GdkTexture *texture;

  make_thread_idle ();

  /* A tile recycled before its turn (a fast scroll) costs nothing. */
  if (g_task_return_error_if_cancelled (task))
    return;

  texture = fp_thumbnail_decode (data->file, data->width, data->height,
                                 g_task_get_cancellable (task), &error);
  if (texture == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static GThreadPool *
get_decode_pool (void)
{
  static GThreadPool *pool;

  /* Exclusive, so that its idle-priority threads never serve other work;
   * bound by the processor, so no more threads than cores. */
  if (g_once_init_enter (&pool))
    {
      int n_threads = CLAMP ((int) g_get_num_processors (), 1, 4);
      GThreadPool *created = g_thread_pool_new (decode_in_worker, NULL, n_threads, TRUE, NULL);

      g_once_init_leave (&pool, created);
    }
  return pool;
}

static void
decoded_cb (GObject      *source_object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FpThumbnailCache *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(FpThumbnail) thumbnail = NULL;
  GError *error = NULL;

  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  self->n_decoded++;
  thumbnail = fp_thumbnail_new (texture, data->scale);
  remember (self, g_strdup (data->key), thumbnail);
  g_task_return_pointer (task, g_steal_pointer (&thumbnail), g_object_unref);
}

void
fp_thumbnail_cache_load_async (FpThumbnailCache    *self,
                               FpFlagFile          *flag_file,
                               int                  scale,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GTask *worker_task;
  LoadData *data;

  g_return_if_fail (FP_IS_THUMBNAIL_CACHE (self));
  g_return_if_fail (FP_IS_FLAG_FILE (flag_file));

  scale = MAX (1, scale);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_thumbnail_cache_load_async);

  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (fp_flag_file_get_file (flag_file));
  data->key = make_key (flag_file, scale);
  data->scale = scale;
  data->width = self->width * scale;
  data->height = self->height * scale;
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  /* The worker's own task carries only what the thread reads; the outer
   * one comes back to this thread, where the cache lives. */
  worker_task = g_task_new (NULL, cancellable, decoded_cb, g_steal_pointer (&task));
  data = g_new0 (LoadData, 1);
  data->file = g_object_ref (fp_flag_file_get_file (flag_file));
  data->width = self->width * scale;
  data->height = self->height * scale;
  g_task_set_task_data (worker_task, data, (GDestroyNotify) load_data_free);
  g_thread_pool_push (get_decode_pool (), worker_task, NULL);
}

/**
 * fp_thumbnail_cache_load_finish:
 *
 * Returns: (transfer full) (nullable): the thumbnail, or %NULL with @error set
 */
FpThumbnail *
fp_thumbnail_cache_load_finish (FpThumbnailCache  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fp_thumbnail_cache_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
fp_thumbnail_cache_get_n_cached (FpThumbnailCache *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL_CACHE (self), 0);
  return self->lru.length;
}

guint
fp_thumbnail_cache_get_n_decoded (FpThumbnailCache *self)
{
  g_return_val_if_fail (FP_IS_THUMBNAIL_CACHE (self), 0);
  return self->n_decoded;
}
