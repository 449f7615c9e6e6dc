/* fp-batch-news.c — news of a batch's downloads, carried from any thread to the caller's, a few milliseconds at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-batch-news"

#include "config.h"

#include "fp-batch-news.h"
#include "fp-download-timeline.h"

/*
 * A hundred futures can complete between two frames, and a window that
 * handled them all in one main-loop iteration would freeze. So the
 * workers' "started" news and the completions go into one queue that a
 * source of idle priority (below redraws, GDK_PRIORITY_REDRAW being 120,
 * and input) drains a few milliseconds at a time: input and redraws
 * always come first. The one consumer runs on the caller's thread, so
 * whatever it touches needs no lock.
 *
 * First, not only: a main loop with a redraw always due (a live timeline
 * asks for every frame, and a frame that takes longer than the refresh
 * interval to paint leaves the next one due at once, as on a slow machine
 * or under a sanitizer) would never reach idle priority, and the batch
 * would never end on screen. So a timer above redraw priority lets the
 * news have a turn of its own whenever it has waited STARVED_US.
 */

/* How long one turn of the main loop may spend announcing downloads. */
#define DELIVERY_BUDGET_US 3000
/* How long news may wait behind busier sources before it goes first. */
#define STARVED_MS 50

struct _FpBatchNews
{
  GAsyncQueue *events;         /* NewsEvent, pushed from any thread */
  GSource *source;             /* drains them on the caller's context */
  GSource *rescue;             /* a turn now and then, however busy that context is */
  gint64 last_delivery_us;     /* the caller's thread's alone */
  GObject *owner;              /* kept alive while news is delivered */
  FpBatchNewsFunc func;
  GMutex lock;                 /* guards source against the posting threads */
};

typedef struct {
  char *code;
  FpDownloadResult *result;
  guint index;
} NewsEvent;

static void
news_event_free (gpointer user_data)
{
  NewsEvent *event = user_data;

  g_free (event->code);
  g_clear_object (&event->result);
  g_free (event);
}

/* Drains the news a few milliseconds at a time, in the order it came. */
static gboolean
deliver_cb (gpointer user_data)
{
  FpBatchNews *self = user_data;
  /* The owner's last reference may go in a handler; this one holds it,
   * and so this news, until the loop is over. */
  GObject *owner = g_object_ref (self->owner);
  gint64 deadline = g_get_monotonic_time () + DELIVERY_BUDGET_US;
  gboolean wanted = TRUE;
  NewsEvent *event;

  self->last_delivery_us = g_get_monotonic_time ();
  /* Not due again unless more news comes or some is left below; cleared
   * before looking, so that news pushed meanwhile re-arms it. */
  g_source_set_ready_time (self->source, -1);

  while (wanted && (event = g_async_queue_try_pop (self->events)) != NULL)
    {
      wanted = self->func (event->code, event->result, event->index, self->owner);
      news_event_free (event);

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  if (wanted && self->source != NULL && g_async_queue_length (self->events) > 0)
    g_source_set_ready_time (self->source, 0);

  g_object_unref (owner);
  return G_SOURCE_CONTINUE;
}

/* Delivers news that waited too long behind sources of higher priority. */
static gboolean
rescue_cb (gpointer user_data)
{
  FpBatchNews *self = user_data;

  if (g_get_monotonic_time () - self->last_delivery_us >= STARVED_MS * 1000 &&
      g_async_queue_length (self->events) > 0)
    deliver_cb (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
news_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs news_source_funcs = {
  .dispatch = news_source_dispatch,
};

/**
 * fp_batch_news_new:
 * @context: where the news is delivered
 * @owner: passed to @func as its user data, and kept alive while it runs
 * @func: takes each piece of news
 *
 * Returns: (transfer full): the news queue, delivering until stopped
 */
FpBatchNews *
fp_batch_news_new (GMainContext    *context,
                   GObject         *owner,
                   FpBatchNewsFunc  func)
{
  FpBatchNews *self = g_new0 (FpBatchNews, 1);

  self->events = g_async_queue_new_full (news_event_free);
  g_mutex_init (&self->lock);
  self->owner = owner;
  self->func = func;
  self->source = g_source_new (&news_source_funcs, sizeof (GSource));
  g_source_set_priority (self->source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->source, deliver_cb, self, NULL);
  g_source_set_static_name (self->source, "[flagpole] download news");
  g_source_attach (self->source, context);
  /* Above redraws (GDK_PRIORITY_REDRAW is G_PRIORITY_HIGH_IDLE + 20). */
  self->last_delivery_us = g_get_monotonic_time ();
  self->rescue = g_timeout_source_new (STARVED_MS);
  g_source_set_priority (self->rescue, G_PRIORITY_HIGH_IDLE + 10);
  g_source_set_callback (self->rescue, rescue_cb, self, NULL);
  g_source_set_static_name (self->rescue, "[flagpole] starved download news");
  g_source_attach (self->rescue, context);
  return self;
}

/**
 * fp_batch_news_post:
 * @code: (nullable): a code a worker started
 * @result: (nullable): a completed download
 * @index: the download's place among the codes
 *
 * Queues news for the caller's thread. Callable from any thread, until
 * the news is stopped.
 */
void
fp_batch_news_post (FpBatchNews      *self,
                    const char       *code,
                    FpDownloadResult *result,
                    guint             index)
{
  NewsEvent *event;

  /* A completion, posted on the caller's thread: its timeline is made
   * relative to the batch's start before anyone sees it. */
  if (result != NULL)
    fp_slot_board_settle (fp_slot_board_of (self->owner), index, result);

  /* Once stopped (a cancel, the end) there is nobody to tell. */
  g_mutex_lock (&self->lock);
  if (self->source == NULL)
    {
      g_mutex_unlock (&self->lock);
      return;
    }

  event = g_new0 (NewsEvent, 1);
  event->code = g_strdup (code);
  event->result = result != NULL ? g_object_ref (result) : NULL;
  event->index = index;
  g_async_queue_push (self->events, event);
  /* Thread-safe, and cheap when the source is already due. */
  g_source_set_ready_time (self->source, 0);
  g_mutex_unlock (&self->lock);
}

/* No more delivery; may be called from the news' own delivery. */
void
fp_batch_news_stop (FpBatchNews *self)
{
  NewsEvent *event;

  g_mutex_lock (&self->lock);
  if (self->source != NULL)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  if (self->rescue != NULL)
    g_source_destroy (self->rescue);
  g_clear_pointer (&self->rescue, g_source_unref);
  g_mutex_unlock (&self->lock);

  /* News still queued is dropped: a cancel counts nothing after it. */
  while ((event = g_async_queue_try_pop (self->events)) != NULL)
    news_event_free (event);
}

void
fp_batch_news_free (FpBatchNews *self)
{
  fp_batch_news_stop (self);
  g_async_queue_unref (self->events);
  g_mutex_clear (&self->lock);
  g_free (self);
}
