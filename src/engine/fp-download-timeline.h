/* fp-download-timeline.h — when each phase of one download happened, and on which worker
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A moment that did not happen (a reused connection has no connect). */
#define FP_TIMELINE_NONE ((gint64) -1)

/**
 * FpDownloadPhase:
 * @FP_DOWNLOAD_PHASE_QUEUE: queued, waiting for a free worker slot
 * @FP_DOWNLOAD_PHASE_CONNECT: resolving the host and opening a new connection
 * @FP_DOWNLOAD_PHASE_WAIT: request sent, waiting for the first byte: the server's latency
 * @FP_DOWNLOAD_PHASE_RECEIVE: the first byte to the last
 * @FP_DOWNLOAD_PHASE_STORE: checking the image and saving it
 */
typedef enum {
  FP_DOWNLOAD_PHASE_QUEUE,
  FP_DOWNLOAD_PHASE_CONNECT,
  FP_DOWNLOAD_PHASE_WAIT,
  FP_DOWNLOAD_PHASE_RECEIVE,
  FP_DOWNLOAD_PHASE_STORE,
  FP_DOWNLOAD_N_PHASES,
} FpDownloadPhase;

/**
 * FpDownloadTimeline:
 * @queued: the download was handed to the executor
 * @started: a worker slot took it; %FP_TIMELINE_NONE when it never started
 * @connect_start: a new connection began (host look-up included)
 * @connect_end: the connection was up
 * @request_start: the request began to be sent
 * @response_start: the first byte of the response arrived
 * @response_end: the last byte of the response arrived
 * @network_end: the worker slot let the download go (body in, or failed)
 * @store_start: checking and saving began
 * @store_end: checking and saving ended
 * @finished: the result was complete
 * @announced: the caller was told
 * @slot: the worker slot that ran the network half, 1…c; 0 if none did
 * @store_slot: the thread that checked and saved, 1…; 0 if none did
 * @http_status: the last response's HTTP status, 0 without a response
 * @response_bytes: body bytes received
 * @relative: whether the moments are µs from the batch's start yet
 *   (fp_download_timeline_rebase() was called), or still absolute
 *
 * The life of one download, every moment in microseconds of the monotonic
 * clock from the start of its batch (%FP_TIMELINE_NONE for one that did not
 * happen). Network moments come from libsoup's message metrics.
 *
 * A plain struct, held by value in each #FpDownloadResult: recording costs
 * no allocation and no lock. While a download runs, its executor fills it
 * with absolute monotonic times (0 for none, as libsoup does) and calls
 * fp_download_timeline_rebase() once at the end.
 */
typedef struct {
  gint64 queued;
  gint64 started;
  gint64 connect_start;
  gint64 connect_end;
  gint64 request_start;
  gint64 response_start;
  gint64 response_end;
  gint64 network_end;
  gint64 store_start;
  gint64 store_end;
  gint64 finished;
  gint64 announced;
  guint16 slot;
  guint16 store_slot;
  guint16 http_status;
  guint64 response_bytes;
  gboolean relative;
} FpDownloadTimeline;

#define FP_TYPE_DOWNLOAD_TIMELINE (fp_download_timeline_get_type ())
GType               fp_download_timeline_get_type        (void) G_GNUC_CONST;
FpDownloadTimeline *fp_download_timeline_copy            (const FpDownloadTimeline *self);
void                fp_download_timeline_free            (FpDownloadTimeline       *self);

void                fp_download_timeline_clear           (FpDownloadTimeline       *self);
void                fp_download_timeline_take_metrics    (FpDownloadTimeline       *self,
                                                          SoupMessage              *message);
void                fp_download_timeline_rebase          (FpDownloadTimeline       *self,
                                                          gint64                    origin_us);

gboolean            fp_download_timeline_get_phase       (const FpDownloadTimeline *self,
                                                          FpDownloadPhase           phase,
                                                          gint64                   *start,
                                                          gint64                   *end);
gint64              fp_download_timeline_get_end         (const FpDownloadTimeline *self);
const char         *fp_download_phase_to_string          (FpDownloadPhase           phase);
const char         *fp_download_phase_get_label          (FpDownloadPhase           phase);

char               *fp_download_timeline_describe        (const FpDownloadTimeline *self,
                                                          gsize                     size);

/**
 * FpTimelineStats:
 * @elapsed_s: the span they cover
 * @n_done: downloads whose network half ended
 * @in_flight: requests on the network at the end of the span
 * @throughput: downloads done per second
 * @mean_time_s: the mean time a worker spent on one (network half)
 * @mean_queue_s: the mean time one waited for a worker
 * @mean_in_flight: the mean number on the network at once (busy time / span)
 * @little: @throughput × @mean_time_s, which Little's law says is @mean_in_flight
 *
 * The live figures of a batch: what the chapter's lesson is made of.
 */
typedef struct {
  double elapsed_s;
  guint n_done;
  guint in_flight;
  double throughput;
  double mean_time_s;
  double mean_queue_s;
  double mean_in_flight;
  double little;
} FpTimelineStats;

void                fp_timeline_stats_compute            (FpTimelineStats          *stats,
                                                          GPtrArray                *results,
                                                          guint                     in_flight,
                                                          gint64                    in_flight_busy_us,
                                                          gint64                    now_us);

/**
 * FpWorkerSlots:
 *
 * Hands each worker thread of one batch a stable slot number 1…n on its
 * first use, without a lock: a thread-local remembers the batch's serial
 * and the slot, an atomic counter gives the next one.
 */
typedef struct {
  guint serial;
  gint next;
} FpWorkerSlots;

/**
 * FpSlotBoard:
 *
 * What each worker slot of a running batch does now, and when each
 * download began on which slot, as the strategies report it: written from
 * any thread without a lock, read by the caller's thread (a live view).
 * A batch keeps one while it runs (fp_slot_board_of()).
 */
typedef struct _FpSlotBoard FpSlotBoard;

FpSlotBoard        *fp_slot_board_new                    (guint                     n_slots,
                                                          guint                     n_codes,
                                                          gint64                    origin_us);
void                fp_slot_board_free                   (FpSlotBoard              *board);
FpSlotBoard        *fp_slot_board_of                     (gpointer                  batch);
void                fp_slot_board_attach                 (gpointer                  batch,
                                                          guint                     n_slots,
                                                          guint                     n_codes,
                                                          gint64                    origin_us);
gint64              fp_slot_board_get_origin             (FpSlotBoard              *board);
guint               fp_slot_board_get_n_slots            (FpSlotBoard              *board);
void                fp_slot_board_started                (FpSlotBoard              *board,
                                                          const char * const       *codes,
                                                          const char               *code,
                                                          guint                     slot);
void                fp_slot_board_settle                 (FpSlotBoard              *board,
                                                          guint                     index,
                                                          gpointer                  result);
gboolean            fp_slot_board_peek                   (FpSlotBoard              *board,
                                                          guint                     slot,
                                                          guint                    *index,
                                                          gint64                   *since_us);

void                fp_worker_slots_init                 (FpWorkerSlots            *slots);
guint               fp_worker_slots_take                 (FpWorkerSlots            *slots,
                                                          GPrivate                 *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FpDownloadTimeline, fp_download_timeline_free)

G_END_DECLS
