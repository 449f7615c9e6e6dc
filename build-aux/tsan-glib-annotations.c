/* tsan-glib-annotations.c — tells ThreadSanitizer about GLib's hand-offs between threads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled into every program of a -Db_sanitize=thread build, nowhere else.
 *
 * Debian's GLib is not built with ThreadSanitizer: its GMutex and GCond are
 * futexes TSan cannot see, so every object handed from one thread to
 * another through a GLib lock, queue or pool looks like a race to it. A
 * GLib built with TSan is not a Debian package, so instead the calls into
 * GLib from Flagpole, GIO and libsoup (through the PLT; calls inside
 * libglib itself are direct and cannot be seen) are interposed here and
 * annotated with what they guarantee:
 *
 *   - g_mutex / g_rec_mutex / g_rw_lock: lock acquires the lock's address,
 *     unlock releases it; g_cond_wait releases and reacquires the mutex;
 *   - g_thread_pool_push and g_async_queue_push release the item, the
 *     pool's worker and g_async_queue_pop acquire it;
 *   - g_task_return_* release the task, g_task_propagate_* acquire it;
 *   - g_main_context_invoke, g_idle_add, g_timeout_add, idle and timeout
 *     sources (g_source_set_callback) and g_source_attach release their
 *     data or source, the callback acquires it on the context's thread;
 *   - g_object_unref, g_bytes_unref, g_rc_box_release and the other
 *     counted types' unrefs order every unref before the last one, which
 *     frees, as the atomic count inside GLib does.
 *
 * What these leave, GLib's own internal hand-offs, is listed with reasons
 * in build-aux/tsan.supp. A race in Flagpole's own code between two
 * accesses that no GLib call orders still shows.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <gio/gio.h>
#include <sanitizer/tsan_interface.h>

/* The real function, looked up once; two threads may both look it up
 * the first time, so the pointer is read and written atomically. */
#define REAL(name) \
  static __typeof__ (name) *real_##name##_slot; \
  __typeof__ (name) *real_##name = __atomic_load_n (&real_##name##_slot, __ATOMIC_ACQUIRE); \
  if (G_UNLIKELY (real_##name == NULL)) \
    { \
      real_##name = (__typeof__ (name) *) dlsym (RTLD_NEXT, #name); \
      __atomic_store_n (&real_##name##_slot, real_##name, __ATOMIC_RELEASE); \
    }

#define ACQUIRE(p) __tsan_acquire ((void *) (p))
#define RELEASE(p) __tsan_release ((void *) (p))

/* --- locks ---------------------------------------------------------------- */

void
g_mutex_lock (GMutex *mutex)
{
  REAL (g_mutex_lock);
  real_g_mutex_lock (mutex);
  ACQUIRE (mutex);
}

gboolean
g_mutex_trylock (GMutex *mutex)
{
  gboolean locked;
  REAL (g_mutex_trylock);
  locked = real_g_mutex_trylock (mutex);
  if (locked)
    ACQUIRE (mutex);
  return locked;
}

void
g_mutex_unlock (GMutex *mutex)
{
  REAL (g_mutex_unlock);
  RELEASE (mutex);
  real_g_mutex_unlock (mutex);
}

void
g_rec_mutex_lock (GRecMutex *mutex)
{
  REAL (g_rec_mutex_lock);
  real_g_rec_mutex_lock (mutex);
  ACQUIRE (mutex);
}

gboolean
g_rec_mutex_trylock (GRecMutex *mutex)
{
  gboolean locked;
  REAL (g_rec_mutex_trylock);
  locked = real_g_rec_mutex_trylock (mutex);
  if (locked)
    ACQUIRE (mutex);
  return locked;
}

void
g_rec_mutex_unlock (GRecMutex *mutex)
{
  REAL (g_rec_mutex_unlock);
  RELEASE (mutex);
  real_g_rec_mutex_unlock (mutex);
}

void
g_rw_lock_writer_lock (GRWLock *lock)
{
  REAL (g_rw_lock_writer_lock);
  real_g_rw_lock_writer_lock (lock);
  ACQUIRE (lock);
}

void
g_rw_lock_writer_unlock (GRWLock *lock)
{
  REAL (g_rw_lock_writer_unlock);
  RELEASE (lock);
  real_g_rw_lock_writer_unlock (lock);
}

void
g_rw_lock_reader_lock (GRWLock *lock)
{
  REAL (g_rw_lock_reader_lock);
  real_g_rw_lock_reader_lock (lock);
  ACQUIRE (lock);
}

void
g_rw_lock_reader_unlock (GRWLock *lock)
{
  REAL (g_rw_lock_reader_unlock);
  /* Readers do not order one another; what a reader may see is ordered
   * by the writer's release. */
  real_g_rw_lock_reader_unlock (lock);
}

void
g_cond_wait (GCond  *cond,
             GMutex *mutex)
{
  REAL (g_cond_wait);
  RELEASE (mutex);
  real_g_cond_wait (cond, mutex);
  ACQUIRE (mutex);
}

gboolean
g_cond_wait_until (GCond  *cond,
                   GMutex *mutex,
                   gint64  end_time)
{
  gboolean signalled;
  REAL (g_cond_wait_until);
  RELEASE (mutex);
  signalled = real_g_cond_wait_until (cond, mutex, end_time);
  ACQUIRE (mutex);
  return signalled;
}

/* --- pools and queues ----------------------------------------------------- */

typedef struct {
  GFunc func;
  gpointer user_data;
} PoolFunc;

static void
pool_trampoline (gpointer data,
                 gpointer user_data)
{
  PoolFunc *pool_func = user_data;

  ACQUIRE (data);
  pool_func->func (data, pool_func->user_data);
}

/* The PoolFunc lives as long as the process: pools are few and long-lived. */
GThreadPool *
g_thread_pool_new (GFunc     func,
                   gpointer  user_data,
                   gint      max_threads,
                   gboolean  exclusive,
                   GError  **error)
{
  PoolFunc *pool_func = g_new (PoolFunc, 1);
  REAL (g_thread_pool_new);
  pool_func->func = func;
  pool_func->user_data = user_data;
  return real_g_thread_pool_new (pool_trampoline, pool_func, max_threads, exclusive, error);
}

GThreadPool *
g_thread_pool_new_full (GFunc           func,
                        gpointer        user_data,
                        GDestroyNotify  item_free_func,
                        gint            max_threads,
                        gboolean        exclusive,
                        GError        **error)
{
  PoolFunc *pool_func = g_new (PoolFunc, 1);
  REAL (g_thread_pool_new_full);
  pool_func->func = func;
  pool_func->user_data = user_data;
  return real_g_thread_pool_new_full (pool_trampoline, pool_func, item_free_func,
                                      max_threads, exclusive, error);
}

gboolean
g_thread_pool_push (GThreadPool *pool,
                    gpointer     data,
                    GError     **error)
{
  REAL (g_thread_pool_push);
  RELEASE (data);
  return real_g_thread_pool_push (pool, data, error);
}

void
g_async_queue_push (GAsyncQueue *queue,
                    gpointer     data)
{
  REAL (g_async_queue_push);
  RELEASE (data);
  real_g_async_queue_push (queue, data);
}

gpointer
g_async_queue_pop (GAsyncQueue *queue)
{
  gpointer data;
  REAL (g_async_queue_pop);
  data = real_g_async_queue_pop (queue);
  if (data != NULL)
    ACQUIRE (data);
  return data;
}

gpointer
g_async_queue_try_pop (GAsyncQueue *queue)
{
  gpointer data;
  REAL (g_async_queue_try_pop);
  data = real_g_async_queue_try_pop (queue);
  if (data != NULL)
    ACQUIRE (data);
  return data;
}

gpointer
g_async_queue_timeout_pop (GAsyncQueue *queue,
                           guint64      timeout)
{
  gpointer data;
  REAL (g_async_queue_timeout_pop);
  data = real_g_async_queue_timeout_pop (queue, timeout);
  if (data != NULL)
    ACQUIRE (data);
  return data;
}

/* --- GTask ------------------------------------------------------------------ */

#define TASK_RETURN(name, args, call) \
  void name args \
  { \
    REAL (name); \
    RELEASE (task); \
    real_##name call; \
  }

TASK_RETURN (g_task_return_pointer, (GTask *task, gpointer result, GDestroyNotify result_destroy),
             (task, result, result_destroy))
TASK_RETURN (g_task_return_boolean, (GTask *task, gboolean result), (task, result))
TASK_RETURN (g_task_return_int, (GTask *task, gssize result), (task, result))
TASK_RETURN (g_task_return_error, (GTask *task, GError *error), (task, error))
TASK_RETURN (g_task_return_value, (GTask *task, GValue *result), (task, result))

gboolean
g_task_return_error_if_cancelled (GTask *task)
{
  REAL (g_task_return_error_if_cancelled);
  RELEASE (task);
  return real_g_task_return_error_if_cancelled (task);
}

gpointer
g_task_propagate_pointer (GTask   *task,
                          GError **error)
{
  REAL (g_task_propagate_pointer);
  ACQUIRE (task);
  return real_g_task_propagate_pointer (task, error);
}

gboolean
g_task_propagate_boolean (GTask   *task,
                          GError **error)
{
  REAL (g_task_propagate_boolean);
  ACQUIRE (task);
  return real_g_task_propagate_boolean (task, error);
}

gssize
g_task_propagate_int (GTask   *task,
                      GError **error)
{
  REAL (g_task_propagate_int);
  ACQUIRE (task);
  return real_g_task_propagate_int (task, error);
}

/* --- reference counts --------------------------------------------------------- */

/* GObject's count is an atomic inside libgobject: each unref publishes
 * what its thread did to the object, and the last one, which finalizes,
 * sees what every earlier one published (the acq_rel of a count). */
void
g_object_unref (gpointer object)
{
  REAL (g_object_unref);
  ACQUIRE (object);
  RELEASE (object);
  real_g_object_unref (object);
}

void
g_bytes_unref (GBytes *bytes)
{
  REAL (g_bytes_unref);
  if (bytes != NULL)
    {
      ACQUIRE (bytes);
      RELEASE (bytes);
    }
  real_g_bytes_unref (bytes);
}

#define UNREF(type, name, args, call, object) \
  type name args \
  { \
    REAL (name); \
    if ((object) != NULL) \
      { \
        ACQUIRE (object); \
        RELEASE (object); \
      } \
    return real_##name call; \
  }

UNREF (void, g_rc_box_release, (gpointer mem_block), (mem_block), mem_block)
UNREF (void, g_rc_box_release_full, (gpointer mem_block, GDestroyNotify clear_func),
       (mem_block, clear_func), mem_block)
UNREF (void, g_atomic_rc_box_release, (gpointer mem_block), (mem_block), mem_block)
UNREF (void, g_atomic_rc_box_release_full, (gpointer mem_block, GDestroyNotify clear_func),
       (mem_block, clear_func), mem_block)
UNREF (gboolean, g_atomic_ref_count_dec, (gatomicrefcount *arc), (arc), arc)
UNREF (void, g_byte_array_unref, (GByteArray *array), (array), array)
UNREF (void, g_ptr_array_unref, (GPtrArray *array), (array), array)
UNREF (void, g_array_unref, (GArray *array), (array), array)
UNREF (void, g_hash_table_unref, (GHashTable *hash_table), (hash_table), hash_table)
UNREF (void, g_async_queue_unref, (GAsyncQueue *queue), (queue), queue)
UNREF (void, g_main_context_unref, (GMainContext *context), (context), context)
UNREF (void, g_source_unref, (GSource *source), (source), source)

/* --- callbacks on another thread's main context ------------------------------- */

typedef struct {
  GSourceFunc func;
  gpointer data;
  GDestroyNotify notify;
} Callback;

static gboolean
callback_trampoline (gpointer user_data)
{
  Callback *callback = user_data;
  GSource *source = g_main_current_source ();

  ACQUIRE (callback);
  if (source != NULL)
    ACQUIRE (source);
  return callback->func (callback->data);
}

static void
callback_free (gpointer user_data)
{
  Callback *callback = user_data;

  if (callback->notify != NULL)
    callback->notify (callback->data);
  g_free (callback);
}

static Callback *
callback_new (GSourceFunc    func,
              gpointer       data,
              GDestroyNotify notify)
{
  Callback *callback = g_new (Callback, 1);

  callback->func = func;
  callback->data = data;
  callback->notify = notify;
  RELEASE (callback);
  return callback;
}

void
g_main_context_invoke_full (GMainContext   *context,
                            gint            priority,
                            GSourceFunc     function,
                            gpointer        data,
                            GDestroyNotify  notify)
{
  REAL (g_main_context_invoke_full);
  real_g_main_context_invoke_full (context, priority, callback_trampoline,
                                   callback_new (function, data, notify), callback_free);
}

void
g_main_context_invoke (GMainContext *context,
                       GSourceFunc   function,
                       gpointer      data)
{
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, function, data, NULL);
}

guint
g_idle_add_full (gint           priority,
                 GSourceFunc    function,
                 gpointer       data,
                 GDestroyNotify notify)
{
  REAL (g_idle_add_full);
  return real_g_idle_add_full (priority, callback_trampoline,
                               callback_new (function, data, notify), callback_free);
}

guint
g_idle_add (GSourceFunc function,
            gpointer    data)
{
  return g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, function, data, NULL);
}

guint
g_timeout_add_full (gint           priority,
                    guint          interval,
                    GSourceFunc    function,
                    gpointer       data,
                    GDestroyNotify notify)
{
  REAL (g_timeout_add_full);
  return real_g_timeout_add_full (priority, interval, callback_trampoline,
                                  callback_new (function, data, notify), callback_free);
}

/* Idle and timeout sources made by hand: their callback is a GSourceFunc,
 * so it can be wrapped (other sources' callbacks have other types). */
void
g_source_set_callback (GSource        *source,
                       GSourceFunc     func,
                       gpointer        data,
                       GDestroyNotify  notify)
{
  REAL (g_source_set_callback);
  if (func != NULL && (source->source_funcs == &g_idle_funcs || source->source_funcs == &g_timeout_funcs))
    real_g_source_set_callback (source, callback_trampoline, callback_new (func, data, notify),
                                callback_free);
  else
    real_g_source_set_callback (source, func, data, notify);
}

/* What the attaching thread did before is seen by the callback. */
guint
g_source_attach (GSource      *source,
                 GMainContext *context)
{
  REAL (g_source_attach);
  RELEASE (source);
  return real_g_source_attach (source, context);
}

guint
g_timeout_add (guint       interval,
               GSourceFunc function,
               gpointer    data)
{
  return g_timeout_add_full (G_PRIORITY_DEFAULT, interval, function, data, NULL);
}
