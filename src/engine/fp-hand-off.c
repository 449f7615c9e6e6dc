/* fp-hand-off.c — items handed from any thread to one main context, without a lock
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fp-hand-off.h"

/*
 * The download workers run at the lowest priority, and one that took a
 * lock the main thread also needs (a GAsyncQueue's, or the main context's,
 * which g_source_set_ready_time() and g_task_return_*() take) could be
 * preempted while it held it: the window then waited for a worker to get
 * a core again. So a worker pushes onto a lock-free stack, and only the
 * push that finds it empty wakes the context (g_main_context_wakeup()
 * takes no lock); the context's thread takes the whole stack at once and
 * puts it back in order. The batch's news and the thread pool's finished
 * jobs both go this way.
 *
 * A push from the context's own thread wakes nothing: that thread is not
 * waiting in the context's poll, and the source's prepare sees the item
 * before it next waits (the batch posts each completion's news there,
 * which woke the context, and so turned its loop once more, for every
 * download).
 */

/* On the thread that owns @context, before any push. */
void
fp_hand_off_init (FpHandOff    *self,
                  GMainContext *context)
{
  self->top = NULL;
  self->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  self->owner = g_thread_self ();
}

/* Once no thread pushes any more, and what was pushed was taken. */
void
fp_hand_off_clear (FpHandOff *self)
{
  g_assert (g_atomic_pointer_get (&self->top) == NULL);
  g_clear_pointer (&self->context, g_main_context_unref);
}

/**
 * fp_hand_off_push:
 * @link: the first member of an item, which is the context's thread's from now on
 *
 * From any thread. Once pushed, the item (and, with the last one, whatever
 * holds @self) may be taken and freed at once: after the push only locals
 * are read, and the context is held for the wake-up.
 */
void
fp_hand_off_push (FpHandOff     *self,
                  FpHandOffLink *link)
{
  GMainContext *context;
  FpHandOffLink *below;

  if (g_thread_self () == self->owner)
    {
      /* Taken on this thread too: nothing can free @self meanwhile. */
      do
        {
          below = g_atomic_pointer_get (&self->top);
          link->next = below;
        }
      while (!g_atomic_pointer_compare_and_exchange (&self->top, below, link));
      return;
    }

  context = g_main_context_ref (self->context);
  do
    {
      below = g_atomic_pointer_get (&self->top);
      link->next = below;
    }
  while (!g_atomic_pointer_compare_and_exchange (&self->top, below, link));
  if (below == NULL)
    g_main_context_wakeup (context);
  g_main_context_unref (context);
}

/* Whether anything waits to be taken; from any thread. */
gboolean
fp_hand_off_pending (FpHandOff *self)
{
  return g_atomic_pointer_get (&self->top) != NULL;
}

/* Returns: (nullable): on the context's thread, all that was pushed, the
 * oldest first, linked by their next. */
FpHandOffLink *
fp_hand_off_take (FpHandOff *self)
{
  FpHandOffLink *link = g_atomic_pointer_exchange (&self->top, NULL);
  FpHandOffLink *oldest_first = NULL;

  while (link != NULL)
    {
      FpHandOffLink *next = link->next;

      link->next = oldest_first;
      oldest_first = link;
      link = next;
    }
  return oldest_first;
}

typedef struct
{
  GSource source;
  FpHandOff *hand_off;         /* weak: its owner destroys the source first */
} HandOffSource;

static gboolean
hand_off_source_prepare (GSource *source,
                         int     *timeout)
{
  *timeout = -1;
  return fp_hand_off_pending (((HandOffSource *) source)->hand_off);
}

static gboolean
hand_off_source_check (GSource *source)
{
  return fp_hand_off_pending (((HandOffSource *) source)->hand_off);
}

static gboolean
hand_off_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs hand_off_source_funcs = {
  .prepare = hand_off_source_prepare,
  .check = hand_off_source_check,
  .dispatch = hand_off_source_dispatch,
};

/**
 * fp_hand_off_source_new:
 *
 * Returns: (transfer full): a source that is due while something waits
 *   in @self; set its callback (which takes it) and attach it to the
 *   hand-off's context. Destroy it before clearing @self.
 */
GSource *
fp_hand_off_source_new (FpHandOff *self)
{
  GSource *source = g_source_new (&hand_off_source_funcs, sizeof (HandOffSource));

  ((HandOffSource *) source)->hand_off = self;
  return source;
}
