/* fp-download-timeline.c — when each phase of one download happened, and on which worker
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-timeline"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

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
