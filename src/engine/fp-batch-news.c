/* fp-batch-news.c — news of a batch's downloads, carried from any thread to the caller's, a few milliseconds at a time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-batch-news"

#include "config.h"

#include "fp-batch-news.h"
#include "fp-download-timeline.h"
#include "fp-hand-off.h"

/*
 * A hundred futures can complete between two frames, and a window that
 * handled them all in one main-loop iteration would freeze. So the
 * workers' "started" news and the completions go into one queue that a
 * source of idle priority (below redraws, GDK_PRIORITY_REDRAW being 120,
 * and input) drains a few milliseconds at a time: input and redraws
 * always come first. The one consumer runs on the caller's thread, so
 * whatever it touches needs no lock.
 *
 * The workers share no lock with that thread: they post through an
 * FpHandOff (under load the main thread slept on a GAsyncQueue's and the
 * main context's locks for a fifth of a batch); the source takes all
 * that was posted at once and keeps it in order.
 *
 * First, not only: a main loop with a redraw always due (a live timeline
 * asks for every frame, and a frame that takes longer than the refresh
 * interval to paint leaves the next one due at once, as on a slow machine
 * or under a sanitizer) would never reach idle priority, and the batch
 * would never end on screen. So a timer above redraw priority lets the
 * news have a turn of its own whenever it has waited STARVED_MS.
 */

/* How long one turn of the main loop may spend announcing downloads. */
#define DELIVERY_BUDGET_US 3000
/* How long news may wait behind busier sources before it goes first. */
#define STARVED_MS 50

typedef struct _NewsEvent NewsEvent;

struct _NewsEvent {
  FpHandOffLink link;          /* first: how it is posted */
  char *code;
  FpDownloadResult *result;
  guint index;
};

struct _FpBatchNews
{
  FpHandOff posted;            /* NewsEvent, from any thread */
  GQueue taken;                /* NewsEvent, in order: the caller's thread only */
  GSource *source;             /* drains them on the caller's context */
  GSource *rescue;             /* a turn now and then, however busy that context is */
  gint64 last_delivery_us;     /* the caller's thread's alone */
  GObject *owner;              /* kept alive while news is delivered */
  FpBatchNewsFunc func;
  int stopped;                 /* atomic */
};

typedef struct
{
  GSource source;
  FpBatchNews *news;
} NewsSource;

static void
news_event_free (NewsEvent *event)
{
  g_free (event->code);
  g_clear_object (&event->result);
  g_free (event);
}

/* Moves what the workers posted to the end of the caller's queue, in the
 * order it was posted. */
static void
take_posted (FpBatchNews *self)
{
  FpHandOffLink *link = fp_hand_off_take (&self->posted);

  while (link != NULL)
    {
      FpHandOffLink *next = link->next;

      g_queue_push_tail (&self->taken, link);
      link = next;
    }
}

static gboolean
has_news (FpBatchNews *self)
{
  return !g_queue_is_empty (&self->taken) || fp_hand_off_pending (&self->posted);
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
  take_posted (self);
  while (wanted && (event = g_queue_pop_head (&self->taken)) != NULL)
    {
      wanted = self->func (event->code, event->result, event->index, self->owner);
      news_event_free (event);

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  g_object_unref (owner);
  return G_SOURCE_CONTINUE;
}

/* Delivers news that waited too long behind sources of higher priority. */
static gboolean
rescue_cb (gpointer user_data)
{
  FpBatchNews *self = user_data;

  if (g_get_monotonic_time () - self->last_delivery_us >= STARVED_MS * 1000 && has_news (self))
    deliver_cb (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
news_source_prepare (GSource *source,
                     int     *timeout)
{
  *timeout = -1;
  return has_news (((NewsSource *) source)->news);
}

static gboolean
news_source_check (GSource *source)
{
  return has_news (((NewsSource *) source)->news);
}

static gboolean
news_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs news_source_funcs = {
  .prepare = news_source_prepare,
  .check = news_source_check,
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

  g_queue_init (&self->taken);
  fp_hand_off_init (&self->posted, context);
  self->owner = owner;
  self->func = func;
  self->source = g_source_new (&news_source_funcs, sizeof (NewsSource));
  ((NewsSource *) self->source)->news = self;
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
  if (g_atomic_int_get (&self->stopped))
    return;

  event = g_new0 (NewsEvent, 1);
  event->code = g_strdup (code);
  event->result = result != NULL ? g_object_ref (result) : NULL;
  event->index = index;

  /* The event is the caller's thread's from now on. */
  fp_hand_off_push (&self->posted, &event->link);
}

static void
drop_news (FpBatchNews *self)
{
  NewsEvent *event;

  take_posted (self);
  while ((event = g_queue_pop_head (&self->taken)) != NULL)
    news_event_free (event);
}

/* No more delivery; may be called from the news' own delivery, on the
 * caller's thread. */
void
fp_batch_news_stop (FpBatchNews *self)
{
  g_atomic_int_set (&self->stopped, TRUE);
  if (self->source != NULL)
    g_source_destroy (self->source);
  g_clear_pointer (&self->source, g_source_unref);
  if (self->rescue != NULL)
    g_source_destroy (self->rescue);
  g_clear_pointer (&self->rescue, g_source_unref);

  /* News still queued is dropped: a cancel counts nothing after it. */
  drop_news (self);
}

/* Once no thread posts any more. */
void
fp_batch_news_free (FpBatchNews *self)
{
  fp_batch_news_stop (self);
  /* A post that passed the check just before the stop. */
  drop_news (self);
  fp_hand_off_clear (&self->posted);
  g_free (self);
}
