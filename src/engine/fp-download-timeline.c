/* fp-download-timeline.c — when each phase of one download happened, and on which worker
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-timeline"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fp-download-batch.h"
#include "fp-download-result.h"
#include "fp-download-timeline.h"

G_DEFINE_BOXED_TYPE (FpDownloadTimeline, fp_download_timeline,
                     fp_download_timeline_copy, fp_download_timeline_free)

FpDownloadTimeline *
fp_download_timeline_copy (const FpDownloadTimeline *self)
{
  return g_memdup2 (self, sizeof *self);
}

void
fp_download_timeline_free (FpDownloadTimeline *self)
{
  g_free (self);
}

/* Every moment "did not happen" in the absolute form: libsoup's 0. */
void
fp_download_timeline_clear (FpDownloadTimeline *self)
{
  memset (self, 0, sizeof *self);
}

static void
take_time (gint64  *field,
           guint64  value)
{
  if (value != 0)
    *field = (gint64) value;
}

/**
 * fp_download_timeline_take_metrics:
 * @message: a message sent with %SOUP_MESSAGE_COLLECT_METRICS
 *
 * Copies the network moments libsoup measured (monotonic µs, like
 * g_get_monotonic_time()) and the response's status. Call it again after
 * reading the body: the response's end is known only then. A moment
 * libsoup did not see (no new connection) leaves the field as it was.
 */
void
fp_download_timeline_take_metrics (FpDownloadTimeline *self,
                                   SoupMessage        *message)
{
  SoupMessageMetrics *metrics;
  guint64 connect_start;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_MESSAGE (message));

  if (soup_message_get_status (message) != SOUP_STATUS_NONE)
    self->http_status = (guint16) MIN (soup_message_get_status (message), G_MAXUINT16);

  metrics = soup_message_get_metrics (message);
  if (metrics == NULL)
    return;

  /* Looking the host up is part of making the connection. */
  connect_start = soup_message_metrics_get_dns_start (metrics);
  if (connect_start == 0)
    connect_start = soup_message_metrics_get_connect_start (metrics);
  if (connect_start != 0 && soup_message_metrics_get_connect_end (metrics) != 0)
    {
      self->connect_start = (gint64) connect_start;
      self->connect_end = (gint64) soup_message_metrics_get_connect_end (metrics);
    }
  take_time (&self->request_start, soup_message_metrics_get_request_start (metrics));
  take_time (&self->response_start, soup_message_metrics_get_response_start (metrics));
  take_time (&self->response_end, soup_message_metrics_get_response_end (metrics));
  if (soup_message_metrics_get_response_body_bytes_received (metrics) > 0)
    self->response_bytes = soup_message_metrics_get_response_body_bytes_received (metrics);
}

static gint64
rebase_one (gint64 value,
            gint64 origin_us)
{
  return value != 0 ? MAX (value - origin_us, 0) : FP_TIMELINE_NONE;
}

/**
 * fp_download_timeline_rebase:
 * @origin_us: the batch's start, in monotonic µs
 *
 * Turns the absolute moments recorded while the download ran into µs from
 * @origin_us, and the ones that did not happen into %FP_TIMELINE_NONE.
 * Call it once, when the download is over.
 */
void
fp_download_timeline_rebase (FpDownloadTimeline *self,
                             gint64              origin_us)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->relative);

  self->queued = rebase_one (self->queued, origin_us);
  self->started = rebase_one (self->started, origin_us);
  self->connect_start = rebase_one (self->connect_start, origin_us);
  self->connect_end = rebase_one (self->connect_end, origin_us);
  self->request_start = rebase_one (self->request_start, origin_us);
  self->response_start = rebase_one (self->response_start, origin_us);
  self->response_end = rebase_one (self->response_end, origin_us);
  self->network_end = rebase_one (self->network_end, origin_us);
  self->store_start = rebase_one (self->store_start, origin_us);
  self->store_end = rebase_one (self->store_end, origin_us);
  self->finished = rebase_one (self->finished, origin_us);
  self->announced = rebase_one (self->announced, origin_us);
  self->relative = TRUE;

  /* A connection reused from an earlier request has no connect phase, and
   * libsoup's moments of the network half lie inside the worker's span:
   * clamp what a clock step or a redirect could put outside it. */
  if (self->started != FP_TIMELINE_NONE && self->network_end != FP_TIMELINE_NONE)
    {
      gint64 *network[] = { &self->connect_start, &self->connect_end, &self->request_start,
                            &self->response_start, &self->response_end };

      for (guint i = 0; i < G_N_ELEMENTS (network); i++)
        if (*network[i] != FP_TIMELINE_NONE)
          *network[i] = CLAMP (*network[i], self->started, self->network_end);
    }
}

/**
 * fp_download_timeline_get_phase:
 * @phase: which phase
 * @start: (out) (optional): where it began, µs from the batch's start
 * @end: (out) (optional): where it ended
 *
 * Returns: whether the download went through @phase. A request that got
 *   no answer waited until its worker let it go.
 */
gboolean
fp_download_timeline_get_phase (const FpDownloadTimeline *self,
                                FpDownloadPhase           phase,
                                gint64                   *start,
                                gint64                   *end)
{
  gint64 s = FP_TIMELINE_NONE, e = FP_TIMELINE_NONE;

  g_return_val_if_fail (self != NULL, FALSE);

  switch (phase)
    {
    case FP_DOWNLOAD_PHASE_QUEUE:
      s = self->queued;
      e = self->started != FP_TIMELINE_NONE ? self->started : self->finished;
      break;
    case FP_DOWNLOAD_PHASE_CONNECT:
      s = self->connect_start;
      e = self->connect_end;
      break;
    case FP_DOWNLOAD_PHASE_WAIT:
      s = self->request_start;
      e = self->response_start != FP_TIMELINE_NONE ? self->response_start : self->network_end;
      break;
    case FP_DOWNLOAD_PHASE_RECEIVE:
      s = self->response_start;
      e = self->response_end != FP_TIMELINE_NONE ? self->response_end : self->network_end;
      break;
    case FP_DOWNLOAD_PHASE_STORE:
      s = self->store_start;
      e = self->store_end;
      break;
    case FP_DOWNLOAD_N_PHASES:
    default:
      g_return_val_if_reached (FALSE);
    }

  if (s == FP_TIMELINE_NONE || e == FP_TIMELINE_NONE || e < s)
    return FALSE;
  if (start != NULL)
    *start = s;
  if (end != NULL)
    *end = e;
  return TRUE;
}

/* Returns: the last moment of the download's work, µs from the batch's start. */
gint64
fp_download_timeline_get_end (const FpDownloadTimeline *self)
{
  g_return_val_if_fail (self != NULL, FP_TIMELINE_NONE);

  if (self->store_end != FP_TIMELINE_NONE)
    return self->store_end;
  if (self->network_end != FP_TIMELINE_NONE)
    return self->network_end;
  return self->finished;
}

/* Returns: the phase's stable name, as in a trace file; not translated. */
const char *
fp_download_phase_to_string (FpDownloadPhase phase)
{
  switch (phase)
    {
    case FP_DOWNLOAD_PHASE_QUEUE:   return "queue";
    case FP_DOWNLOAD_PHASE_CONNECT: return "connect";
    case FP_DOWNLOAD_PHASE_WAIT:    return "wait";
    case FP_DOWNLOAD_PHASE_RECEIVE: return "receive";
    case FP_DOWNLOAD_PHASE_STORE:   return "check-and-save";
    case FP_DOWNLOAD_N_PHASES:
    default:                        break;
    }
  g_return_val_if_reached ("unknown");
}

/* Returns: the phase's name for a person. */
const char *
fp_download_phase_get_label (FpDownloadPhase phase)
{
  switch (phase)
    {
    case FP_DOWNLOAD_PHASE_QUEUE:   return _("Queue wait");
    case FP_DOWNLOAD_PHASE_CONNECT: return _("Connect");
    case FP_DOWNLOAD_PHASE_WAIT:    return _("Server wait");
    case FP_DOWNLOAD_PHASE_RECEIVE: return _("Receive");
    case FP_DOWNLOAD_PHASE_STORE:   return _("Check and save");
    case FP_DOWNLOAD_N_PHASES:
    default:                        break;
    }
  g_return_val_if_reached ("");
}

static char *
format_seconds (gint64 us)
{
  if (us < 10000)
    /* TRANSLATORS: a duration in milliseconds */
    return g_strdup_printf (_("%.1f ms"), us / 1000.0);
  /* TRANSLATORS: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), us / (double) G_USEC_PER_SEC);
}

/**
 * fp_download_timeline_describe:
 * @size: the flag's size in bytes, 0 if none
 *
 * Returns: (transfer full) (nullable): how long the download took, how long
 *   it waited for a worker and for the server, and its size, for a person;
 *   %NULL when it never ran
 */
char *
fp_download_timeline_describe (const FpDownloadTimeline *self,
                               gsize                     size)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *total = NULL;
  g_autofree char *queue = NULL;
  gint64 start, end;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->started == FP_TIMELINE_NONE)
    return NULL;

  total = format_seconds (fp_download_timeline_get_end (self) - self->started);
  queue = format_seconds (fp_download_timeline_get_phase (self, FP_DOWNLOAD_PHASE_QUEUE, &start, &end)
                          ? end - start : 0);
  /* TRANSLATORS: "Took 1.32 s, after waiting 0.02 s for a worker" */
  g_string_append_printf (text, _("Took %s, after waiting %s for a worker"), total, queue);
  if (fp_download_timeline_get_phase (self, FP_DOWNLOAD_PHASE_WAIT, &start, &end))
    {
      g_autofree char *wait = format_seconds (end - start);

      /* TRANSLATORS: the time from sending the request to the first byte of the answer */
      g_string_append_printf (text, _("; the server answered in %s"), wait);
    }
  if (size > 0)
    {
      g_autofree char *formatted = g_format_size (size);

      g_string_append_printf (text, "; %s", formatted);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * fp_timeline_stats_compute:
 * @results: (element-type FpDownloadResult): what finished so far
 * @in_flight: requests on the network now (fp_download_batch_peek_slot())
 * @in_flight_busy_us: how long those have been on it, together
 * @now_us: the span's end, µs from the batch's start
 */
void
fp_timeline_stats_compute (FpTimelineStats *stats,
                           GPtrArray       *results,
                           guint            in_flight,
                           gint64           in_flight_busy_us,
                           gint64           now_us)
{
  gint64 busy = in_flight_busy_us, queued = 0;
  guint n_started = 0;

  memset (stats, 0, sizeof *stats);
  stats->in_flight = in_flight;
  stats->elapsed_s = MAX (now_us, 0) / (double) G_USEC_PER_SEC;

  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      const FpDownloadTimeline *t = fp_download_result_get_timeline (g_ptr_array_index (results, i));

      if (t->started == FP_TIMELINE_NONE || t->network_end == FP_TIMELINE_NONE)
        continue;
      stats->n_done++;
      busy += t->network_end - t->started;
      queued += t->started - MAX (t->queued, 0);
      n_started++;
    }

  if (stats->n_done > 0)
    {
      stats->mean_time_s = (busy - in_flight_busy_us) / (double) stats->n_done / G_USEC_PER_SEC;
      stats->mean_queue_s = queued / (double) n_started / G_USEC_PER_SEC;
    }
  if (stats->elapsed_s > 0)
    {
      stats->throughput = stats->n_done / stats->elapsed_s;
      stats->mean_in_flight = busy / (double) G_USEC_PER_SEC / stats->elapsed_s;
    }
  stats->little = stats->throughput * stats->mean_time_s;
}

static guint last_serial;

/* Call once per batch, before its workers start. */
void
fp_worker_slots_init (FpWorkerSlots *slots)
{
  /* Serial 0 never appears, so a thread that never had a slot has none. */
  do
    slots->serial = (guint) g_atomic_int_add ((gint *) &last_serial, 1) + 1;
  while ((slots->serial & 0xffff) == 0);
  slots->next = 0;
}

/**
 * fp_worker_slots_take:
 * @key: the thread-local that remembers this kind of worker's slot
 *
 * Returns: the calling thread's slot in this batch: 1 for the first thread
 *   that asks, 2 for the next… and the same number every time the same
 *   thread asks again. A thread of an exclusive pool of c threads runs one
 *   job at a time, so there are at most c slots and a slot never runs two
 *   downloads at once.
 */
guint
fp_worker_slots_take (FpWorkerSlots *slots,
                      GPrivate      *key)
{
  guintptr value = GPOINTER_TO_SIZE (g_private_get (key));
  guint serial = slots->serial & 0xffff;
  guint slot;

  if ((value >> 16) == serial)
    return value & 0xffff;

  slot = (guint) g_atomic_int_add (&slots->next, 1) + 1;
  g_private_set (key, GSIZE_TO_POINTER (((guintptr) serial << 16) | slot));
  return slot;
}

struct _FpSlotBoard
{
  gint64 origin_us;
  guint n_slots;
  guint n_codes;
  gint *slot_code;             /* 1 + index of what slot k fetches; 0: idle */
  gint *slot_since;            /* since when, µs from the origin */
  gint *started;               /* 1 + µs from the origin when code i began; 0: not yet */
  gint *ended;                 /* 1 + µs when its slot took the next one; 0: not yet */
  guint16 *slot;               /* the slot code i ran on */
};

/**
 * fp_slot_board_new:
 * @n_slots: the batch's worker slots
 * @n_codes: its codes
 * @origin_us: its start, in monotonic µs
 */
FpSlotBoard *
fp_slot_board_new (guint  n_slots,
                   guint  n_codes,
                   gint64 origin_us)
{
  FpSlotBoard *board = g_new0 (FpSlotBoard, 1);

  board->origin_us = origin_us;
  board->n_slots = n_slots;
  board->n_codes = n_codes;
  board->slot_code = g_new0 (gint, n_slots + 1);
  board->slot_since = g_new0 (gint, n_slots + 1);
  board->started = g_new0 (gint, n_codes + 1);
  board->ended = g_new0 (gint, n_codes + 1);
  board->slot = g_new0 (guint16, n_codes + 1);
  return board;
}

void
fp_slot_board_free (FpSlotBoard *board)
{
  if (board == NULL)
    return;
  g_free (board->slot_code);
  g_free (board->slot_since);
  g_free (board->started);
  g_free (board->ended);
  g_free (board->slot);
  g_free (board);
}

static G_DEFINE_QUARK (fp-slot-board, fp_slot_board)

/**
 * fp_slot_board_attach:
 * @batch: (type FpDownloadBatch): a batch about to start its workers
 *
 * Makes @batch's board on the caller's thread, before any worker runs, so
 * that workers only ever read it: made lazily from several workers at
 * once, the board and its quark would be published without an ordering
 * the threads agree on (ThreadSanitizer sees that as a race).
 */
void
fp_slot_board_attach (gpointer batch,
                      guint    n_slots,
                      guint    n_codes,
                      gint64   origin_us)
{
  g_return_if_fail (FP_IS_DOWNLOAD_BATCH (batch));
  g_object_set_qdata_full (G_OBJECT (batch), fp_slot_board_quark (),
                           fp_slot_board_new (n_slots, n_codes, origin_us),
                           (GDestroyNotify) fp_slot_board_free);
}

/**
 * fp_slot_board_of:
 * @batch: (type FpDownloadBatch): a batch
 *
 * Returns: (nullable): @batch's board, made the first time it is asked
 *   for once the batch started (from any thread); %NULL before
 */
FpSlotBoard *
fp_slot_board_of (gpointer batch)
{
  FpSlotBoard *board;
  double elapsed;

  if (!FP_IS_DOWNLOAD_BATCH (batch))
    return NULL;
  board = g_object_get_qdata (G_OBJECT (batch), fp_slot_board_quark ());
  if (board != NULL || !fp_download_batch_get_running (batch))
    return board;
  elapsed = fp_download_batch_get_elapsed (batch);
  if (elapsed <= 0)
    return NULL;
  /* The batch's start, from how long ago it was. */
  board = fp_slot_board_new (fp_download_batch_get_workers (batch), fp_download_batch_get_n_total (batch),
                             g_get_monotonic_time () - (gint64) (elapsed * G_USEC_PER_SEC));
  if (!g_object_replace_qdata (G_OBJECT (batch), fp_slot_board_quark (), NULL, board,
                               (GDestroyNotify) fp_slot_board_free, NULL))
    {
      /* Another thread made it first. */
      fp_slot_board_free (board);
      board = g_object_get_qdata (G_OBJECT (batch), fp_slot_board_quark ());
    }
  return board;
}

gint64
fp_slot_board_get_origin (FpSlotBoard *board)
{
  return board->origin_us;
}

guint
fp_slot_board_get_n_slots (FpSlotBoard *board)
{
  return board->n_slots;
}

static gint
since_origin (FpSlotBoard *board,
              gint64       now)
{
  return (gint) CLAMP (now - board->origin_us + 1, 1, G_MAXINT);
}

/**
 * fp_slot_board_started:
 * @codes: the batch's codes
 * @code: the one a worker began
 * @slot: on which slot, 1…n
 *
 * Callable from any thread, as a strategy reports a start.
 */
void
fp_slot_board_started (FpSlotBoard        *board,
                       const char * const *codes,
                       const char         *code,
                       guint               slot)
{
  gint64 now = g_get_monotonic_time ();
  gint previous;

  if (board == NULL || slot == 0 || slot > board->n_slots || code == NULL)
    return;

  /* The slot's last download is over, whenever its news arrives. */
  previous = g_atomic_int_get (&board->slot_code[slot]);
  if (previous > 0)
    g_atomic_int_set (&board->ended[previous - 1], since_origin (board, now));

  /* Which code: the first of that name not started yet. */
  for (guint i = 0; i < board->n_codes && codes[i] != NULL; i++)
    if (g_atomic_int_get (&board->started[i]) == 0 && g_ascii_strcasecmp (codes[i], code) == 0)
      {
        board->slot[i] = (guint16) slot;
        g_atomic_int_set (&board->started[i], since_origin (board, now));
        g_atomic_int_set (&board->slot_since[slot], since_origin (board, now) - 1);
        g_atomic_int_set (&board->slot_code[slot], (gint) i + 1);
        return;
      }
}

/**
 * fp_slot_board_settle:
 * @index: the download's place among the codes
 * @result: (type FpDownloadResult): its result, on the caller's thread
 *
 * Makes @result's timeline relative to the batch's start: the one a
 * strategy recorded (absolute µs), or, for one that recorded none, what
 * the board saw — its start, its slot, its end.
 */
void
fp_slot_board_settle (FpSlotBoard *board,
                      guint        index,
                      gpointer     result)
{
  FpDownloadTimeline t = *fp_download_result_get_timeline (result);
  gint64 now = g_get_monotonic_time ();
  gint started, ended;

  if (board == NULL || index >= board->n_codes)
    return;

  started = g_atomic_int_get (&board->started[index]);
  if (started > 0)
    g_atomic_int_compare_and_exchange (&board->slot_code[board->slot[index]], (gint) index + 1, 0);

  if (t.relative && t.started == FP_TIMELINE_NONE && started > 0)
    {
      /* A strategy that times nothing itself: its start, slot and end. */
      fp_download_timeline_clear (&t);
      t.queued = board->origin_us;
      t.started = board->origin_us + started - 1;
      t.slot = board->slot[index];
      t.network_end = t.finished = now;
      ended = g_atomic_int_get (&board->ended[index]);
      if (ended > 0)
        t.network_end = MIN (t.network_end, board->origin_us + ended - 1);
      t.http_status = (guint16) MIN (fp_download_result_get_http_status (result), G_MAXUINT16);
    }
  /* Announced, near enough: it reached the caller's thread. */
  t.announced = t.relative ? now - board->origin_us : now;
  if (t.relative)
    {
      fp_download_result_set_timeline (result, &t);
      return;
    }
  if (t.queued == 0)
    t.queued = board->origin_us;
  fp_download_timeline_rebase (&t, board->origin_us);
  fp_download_result_set_timeline (result, &t);
}

/**
 * fp_slot_board_peek:
 * @slot: 1…n
 * @index: (out) (optional): the code it fetches, by its place
 * @since_us: (out) (optional): since when, µs from the start
 *
 * Returns: whether the slot is fetching a flag now
 */
gboolean
fp_slot_board_peek (FpSlotBoard *board,
                    guint        slot,
                    guint       *index,
                    gint64      *since_us)
{
  gint code;

  if (board == NULL || slot == 0 || slot > board->n_slots)
    return FALSE;
  code = g_atomic_int_get (&board->slot_code[slot]);
  if (code <= 0)
    return FALSE;
  if (index != NULL)
    *index = (guint) code - 1;
  if (since_us != NULL)
    *since_us = g_atomic_int_get (&board->slot_since[slot]);
  return TRUE;
}

/*
 * Two of FpDownloadBatch's methods live here, beside the board they read,
 * so that the batch itself only makes the board and reports to it.
 */

/**
 * fp_download_batch_get_start_time:
 *
 * Returns: when the downloads started, in µs of the monotonic clock: the
 *   origin of every result's timeline; 0 before they did
 */
gint64
fp_download_batch_get_start_time (FpDownloadBatch *self)
{
  FpSlotBoard *board;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), 0);
  board = fp_slot_board_of (self);
  return board != NULL ? board->origin_us : 0;
}

/**
 * fp_download_batch_peek_slot:
 * @slot: a worker slot, 1…fp_download_batch_get_workers()
 * @code: (out) (optional): the code it is fetching
 * @since_us: (out) (optional): since when, µs from the start
 *
 * What one worker slot is doing right now, for a live view. Cheap and
 * lock-free; the answer may be a frame old.
 *
 * Returns: whether the slot is fetching a flag
 */
gboolean
fp_download_batch_peek_slot (FpDownloadBatch  *self,
                             guint             slot,
                             const char      **code,
                             gint64           *since_us)
{
  guint index;

  g_return_val_if_fail (FP_IS_DOWNLOAD_BATCH (self), FALSE);

  if (!fp_slot_board_peek (fp_slot_board_of (self), slot, &index, since_us))
    return FALSE;
  if (code != NULL)
    *code = fp_download_batch_get_codes (self)[index];
  return TRUE;
}
