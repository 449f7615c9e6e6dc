/* fp-async-executor.c — the event-loop strategy: every download on one thread's main context
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-async-executor"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fp-async-executor.h"
#include "fp-download-error.h"
#include "fp-flag-fetcher-private.h"
#include "fp-hand-off.h"
#include "fp-response-check.h"

/*
 * The book's flags2_asyncio.py in GLib terms: one thread runs an event
 * loop — its own GMainContext, pushed as its thread-default — and every
 * request is libsoup's asynchronous API on it, at most `concurrency` in
 * flight (the book's semaphore: a count of free slots, `concurrency`
 * from the start, so that many requests go out at the first instant).
 *
 * It is not the caller's main context: a window's main thread busy with
 * hundreds of sockets is the book's frozen spinner. And it is not a
 * thread per request: one thread waits for all of them, which is the
 * point of the strategy.
 *
 * What a response means (status, redirects, size cap, a body cut short)
 * is decided by the same code as the thread pool's (fp-response-check.c,
 * fp_flag_fetcher_begin/conclude), and the body is checked and saved by
 * fp_flag_fetcher_store() on a small pool of threads — the book's
 * `await asyncio.to_thread(save_flag, …)` — so the loop never touches
 * the disk and a slot frees as soon as the body is in.
 *
 * The per-request timeout is kept by one source on the loop for all the
 * requests: every try lasts the same time, so their deadlines come due in
 * the order the tries began, and a queue in that order, with the source
 * due at its oldest, holds them all (a timeout source for each try was
 * attached and destroyed under the context's lock, and each one made
 * every turn of the loop longer). A cancel of the batch reaches the loop
 * as an idle source, so every libsoup call and
 * every per-request cancellable is used on the loop's thread alone.
 *
 * The futures are returned on the caller's thread, as the thread pool's
 * are (fp-thread-executor.c): the loop and the store pool push finished
 * jobs onto an FpHandOff, which takes no lock and wakes the caller's
 * context only when it was empty, and a source there returns them all
 * at once. g_task_return_*() from those threads attached a source to the
 * caller's context for each download, under its lock, and woke it each
 * time.
 *
 * Retries follow the fetcher's policy, as the thread pool's do: a try that
 * failed for a transient reason is recorded (FpDownloadTry) and made
 * again after the policy's back-off, which is a timeout source here, not
 * a sleeping thread. The request keeps its slot meanwhile, as a waiting
 * worker thread keeps its own, and each try has its own deadline.
 */

/*
 * The slots are shared among several sessions, SESSION_SLOTS each: slot k
 * sends through session k / SESSION_SLOTS, whose connections it reuses.
 * libsoup 3.2 walks a session's whole queue of messages each time one of
 * them moves on (and looks items up in it one by one), so with a hundred
 * messages in one session that walk cost more than all the rest of the
 * loop's work for a flag: some 280,000 instructions of 1.46 million
 * (callgrind, c = 100). Ten sessions of ten walk a tenth as far, and the
 * server still sees exactly `concurrency` connections at most.
 */
#define SESSION_SLOTS 10

struct _FpAsyncExecutor
{
  GObject parent_instance;

  FpFlagFetcher *fetcher;
  guint concurrency;
  GCancellable *cancellable;     /* the batch's */
  gulong cancel_handler;
  FpExecutorStartedFunc started;
  gpointer started_data;

  GQueue queue;                  /* Job *, not started yet; the loop's alone once started */
  GMainContext *context;         /* the loop's */
  GThread *thread;
  GThreadPool *store_pool;       /* check-and-save, off the loop */
  SoupSession **sessions;        /* made and used on the loop's thread; see SESSION_SLOTS */
  guint n_sessions;
  GList *in_flight;              /* Request * */
  GQueue deadlines;              /* Request * whose try runs, oldest first; the loop's */
  GSource *deadline_source;      /* due at the oldest deadline, or never */
  gint64 deadline_armed_us;      /* when it is due; -1: never */
  guint n_in_flight;
  gboolean *free_slots;          /* slot k is free: for the timeline's lanes */
  FpWorkerSlots store_slots;     /* the store pool's threads, for the timeline's disk lanes */
  FpHandOff returned;            /* finished jobs, to the tasks' context; once set up */
  GSource *return_source;        /* returns them there; set up with the first job */
  guint n_jobs;                  /* pushed; all before the start */
  guint n_returned;              /* on the tasks' context */
  gint64 start_us;
  int ready_after_us;            /* atomic: when the loop sent its first requests */
};

G_DEFINE_FINAL_TYPE (FpAsyncExecutor, fp_async_executor, G_TYPE_OBJECT)

typedef struct {
  FpHandOffLink link;            /* first: how it is returned */
  FpDownloadResult *result;      /* once finished; owned */
  GTask *task;
  char *code;
  FpDownloadTimeline timeline;   /* absolute monotonic µs until the batch rebases it */
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->result);
  g_clear_object (&job->task);
  g_free (job->code);
  g_free (job);
}

/* One request in flight, on the loop's thread. */
typedef struct {
  FpAsyncExecutor *self;
  Job *job;
  guint slot;
  char *url;
  GUri *uri;
  guint redirects;
  SoupMessage *msg;
  GInputStream *stream;
  GByteArray *buffer;            /* the body so far; room for the next read past its end */
  gsize received;
  gsize expected;                /* Content-Length, or 0 */
  GCancellable *cancellable;     /* this request's */
  GList deadline_link;           /* in the executor's deadlines while its data is set */
  gint64 due_us;                 /* this try's deadline */
  gboolean deadline_passed;
  GError *error;
  char *message;
  FpDownloadError error_code;
  guint http_status;
  GArray *tries;                 /* FpDownloadTry: the tries that failed so far */
  gint64 try_started_us;         /* this try's start; 0 between tries */
  double retry_after_s;          /* what this try's answer asked for, or -1 */
  GSource *back_off;             /* the wait before the next try */
} Request;

/* A body on its way to the store pool. */
typedef struct {
  Job *job;
  GBytes *body;
  GArray *tries;                 /* FpDownloadTry made for the body */
} StoreJob;

static void start_more (FpAsyncExecutor *self);
static void send_request (Request *request);
static void begin_try (Request *request);
static void finish_request (Request *request, FpExchangeOutcome outcome);
static void deadline_stop (Request *request);

/* On the loop's or a store thread: @job is done, with its timeline
 * recorded, for the caller's thread to return. */
static void
return_result (FpAsyncExecutor  *self,
               Job              *job,
               FpDownloadResult *result)
{
  fp_download_result_finish_timeline (result, &job->timeline);
  job->result = result;

  /* The job is the caller's thread's from now on. */
  fp_hand_off_push (&self->returned, &job->link);
}

/*
 * On the caller's thread: returns the finished jobs' futures, in the
 * order they finished. After the last one the source goes: this may then
 * be finalized on the loop's thread, which must not free what the
 * source's prepare reads while the caller's context may still call it.
 * Returning a job may also finalize this (its task held it): nothing of
 * it is read once the jobs are taken.
 */
static gboolean
return_jobs_cb (gpointer user_data)
{
  FpAsyncExecutor *self = user_data;
  FpHandOffLink *link = fp_hand_off_take (&self->returned);
  gboolean all_returned;

  for (FpHandOffLink *l = link; l != NULL; l = l->next)
    self->n_returned++;
  all_returned = self->n_returned == self->n_jobs;

  while (link != NULL)
    {
      Job *job = (Job *) link;

      link = link->next;
      g_task_return_pointer (job->task, g_steal_pointer (&job->result), g_object_unref);
      job_free (job);
    }
  return all_returned ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static void
store_worker (gpointer data,
              gpointer pool_data)
{
  StoreJob *store = data;
  FpAsyncExecutor *self = pool_data;
  FpDownloadTimeline *timeline = &store->job->timeline;
  static GPrivate store_slot;
  FpDownloadResult *result;

  fp_lower_thread_priority (FP_WORKER_NICE);
  timeline->store_slot = (guint16) fp_worker_slots_take (&self->store_slots, &store_slot);
  timeline->store_start = g_get_monotonic_time ();
  result = fp_flag_fetcher_store (self->fetcher, store->job->code, store->body, store->tries, self->cancellable);
  timeline->store_end = g_get_monotonic_time ();
  return_result (self, store->job, result);
  g_bytes_unref (store->body);
  g_clear_pointer (&store->tries, g_array_unref);
  g_free (store);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
request_free (Request *request)
{
  deadline_stop (request);
  clear_source (&request->back_off);
  g_clear_pointer (&request->tries, g_array_unref);
  g_clear_pointer (&request->url, g_free);
  g_clear_pointer (&request->uri, g_uri_unref);
  g_clear_object (&request->msg);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_clear_object (&request->cancellable);
  g_clear_error (&request->error);
  g_clear_pointer (&request->message, g_free);
  g_free (request);
}

/* Lets a body stream go without waiting for it: the connection goes back
 * to the session (or is closed) in the background. */
static void
drop_stream (Request *request)
{
  if (request->stream == NULL)
    return;
  g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_clear_object (&request->stream);
}

static gboolean
back_off_over_cb (gpointer user_data)
{
  Request *request = user_data;

  g_clear_pointer (&request->back_off, g_source_unref);
  /* The batch's cancel may be on its way to the loop: no try after it. */
  if (g_cancellable_is_cancelled (request->self->cancellable))
    finish_request (request, FP_EXCHANGE_CANCELLED);
  else
    begin_try (request);
  return G_SOURCE_REMOVE;
}

/*
 * A try failed: the words for it (as fp_flag_fetcher_receive() makes
 * them), and whether the policy tries again. If so the try is recorded,
 * what it left is cleared, and the back-off is armed.
 */
static gboolean
retry_later (Request *request)
{
  FpAsyncExecutor *self = request->self;
  FpRetryPolicy *policy = fp_flag_fetcher_get_retry_policy (self->fetcher);
  FpDownloadTry attempt = { 0 };
  gint64 delay_us;

  if (g_cancellable_is_cancelled (self->cancellable))
    return FALSE;

  /* The deadline cancels the request, so its error says "cancelled". */
  if (request->deadline_passed || request->message == NULL)
    {
      g_free (request->message);
      request->message = fp_download_error_describe (request->error, request->deadline_passed,
                                                     fp_flag_fetcher_get_timeout (self->fetcher),
                                                     &request->error_code);
      request->deadline_passed = FALSE;
    }

  if (policy == NULL ||
      !fp_retry_policy_should_retry (policy, request->tries->len + 1,
                                     fp_retry_policy_is_transient_failure (policy, request->error_code,
                                                                           request->http_status)))
    return FALSE;

  delay_us = fp_retry_policy_get_delay_us (policy, request->tries->len + 1, request->retry_after_s);
  attempt.started_us = request->try_started_us;
  attempt.ended_us = g_get_monotonic_time ();
  attempt.http_status = request->http_status;
  attempt.message = g_steal_pointer (&request->message);
  attempt.wait_us = delay_us;
  g_array_append_val (request->tries, attempt);

  request->try_started_us = 0;
  request->http_status = 0;
  request->error_code = FP_DOWNLOAD_ERROR_FAILED;
  request->received = request->expected = 0;
  g_clear_error (&request->error);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  deadline_stop (request);

  request->back_off = g_timeout_source_new ((guint) MIN ((delay_us + 999) / 1000, G_MAXUINT));
  g_source_set_callback (request->back_off, back_off_over_cb, request, NULL);
  g_source_attach (request->back_off, self->context);
  return TRUE;
}

/* The request is over: its slot frees and the next download may start. */
static void
finish_request (Request           *request,
                FpExchangeOutcome  outcome)
{
  FpAsyncExecutor *self = request->self;
  g_autoptr(GBytes) body = NULL;
  FpDownloadResult *result;

  drop_stream (request);
  if (outcome == FP_EXCHANGE_FAILED && retry_later (request))
    return;

  /* The last try, unless a cancel ended a back-off before it began. */
  if (request->try_started_us != 0)
    {
      FpDownloadTry attempt = {
        .started_us = request->try_started_us,
        .ended_us = g_get_monotonic_time (),
        .http_status = request->http_status,
      };

      if (outcome == FP_EXCHANGE_FAILED && !g_cancellable_is_cancelled (self->cancellable))
        attempt.message = g_strdup (request->message);
      g_array_append_val (request->tries, attempt);
    }

  if (outcome == FP_EXCHANGE_OK)
    body = g_byte_array_free_to_bytes (g_steal_pointer (&request->buffer));

  /* libsoup's moments of the last exchange (after any redirect). */
  if (request->msg != NULL)
    fp_download_timeline_take_metrics (&request->job->timeline, request->msg);
  if (outcome == FP_EXCHANGE_OK && request->job->timeline.response_end == 0)
    request->job->timeline.response_end = g_get_monotonic_time ();
  request->job->timeline.network_end = g_get_monotonic_time ();

  result = fp_flag_fetcher_conclude (self->fetcher, request->job->code, request->url, outcome, &body,
                                     request->message, request->error_code, request->http_status,
                                     request->error, request->deadline_passed, self->cancellable);
  if (result != NULL)
    {
      for (guint i = 0; i < request->tries->len; i++)
        fp_download_result_add_try (result, &g_array_index (request->tries, FpDownloadTry, i));
      return_result (self, request->job, result);
    }
  else
    {
      StoreJob *store = g_new0 (StoreJob, 1);

      store->job = request->job;
      store->body = g_steal_pointer (&body);
      store->tries = g_steal_pointer (&request->tries);
      g_thread_pool_push (self->store_pool, store, NULL);
    }
  request->job = NULL;

  self->in_flight = g_list_remove (self->in_flight, request);
  self->n_in_flight--;
  self->free_slots[request->slot] = TRUE;
  request_free (request);
  start_more (self);
}

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Request *request = user_data;

  g_clear_object (&request->stream);
  if (!g_input_stream_close_finish (G_INPUT_STREAM (source), result, &request->error))
    finish_request (request, FP_EXCHANGE_FAILED);
  else if (!fp_response_check_complete (request->msg, request->buffer->len, &request->message,
                                             &request->error_code))
    finish_request (request, FP_EXCHANGE_FAILED);
  else
    finish_request (request, FP_EXCHANGE_OK);
}

static void read_chunk (Request *request);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  gssize n_read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &request->error);

  g_byte_array_set_size (request->buffer, (guint) (request->received + MAX (n_read, 0)));
  if (n_read < 0)
    finish_request (request, FP_EXCHANGE_FAILED);
  else if (n_read == 0)
    g_input_stream_close_async (request->stream, G_PRIORITY_DEFAULT, request->cancellable,
                                closed_cb, request);
  else if (!fp_response_check_size (fp_flag_fetcher_get_max_body_size (request->self->fetcher),
                                    request->buffer->len, &request->message,
                                    &request->error_code))
    finish_request (request, FP_EXCHANGE_FAILED);
  else
    {
      request->received = request->buffer->len;
      read_chunk (request);
    }
}

/* Straight into the body (see fp_response_body_reserve()). */
static void
read_chunk (Request *request)
{
  gsize want;
  guint8 *at = fp_response_body_reserve (request->buffer, request->expected, &want);

  g_input_stream_read_async (request->stream, at, want, G_PRIORITY_DEFAULT, request->cancellable,
                             read_cb, request);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *request = user_data;
  FpAsyncExecutor *self = request->self;
  goffset content_length;

  request->stream = soup_session_send_finish (SOUP_SESSION (source), result, &request->error);
  if (request->stream == NULL)
    {
      fp_response_describe_failed_send (request->msg, request->error,
                                        &request->message, &request->error_code);
      finish_request (request, FP_EXCHANGE_FAILED);
      return;
    }

  switch (fp_response_check_head (request->msg, fp_flag_fetcher_get_max_body_size (self->fetcher),
                                  &request->uri, &request->redirects, &request->message,
                                  &request->error_code, &request->http_status))
    {
    case FP_RESPONSE_REDIRECT:
      drop_stream (request);
      send_request (request);
      return;
    case FP_RESPONSE_NOT_FOUND:
      finish_request (request, FP_EXCHANGE_NOT_FOUND);
      return;
    case FP_RESPONSE_FAILED:
      /* A busy server may say when to ask again. */
      request->retry_after_s = fp_retry_parse_retry_after (
        soup_message_headers_get_one (soup_message_get_response_headers (request->msg), "Retry-After"), NULL);
      finish_request (request, FP_EXCHANGE_FAILED);
      return;
    case FP_RESPONSE_READ_BODY:
    default:
      break;
    }

  content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (request->msg));
  /* Within the size cap: fp_response_check_head() said so. */
  request->expected = content_length > 0 ? (gsize) content_length : 0;
  request->buffer = fp_response_body_new (request->expected);
  read_chunk (request);
}

static void
send_request (Request *request)
{
  g_clear_object (&request->msg);
  request->msg = fp_flag_fetcher_new_message (request->self->fetcher, request->uri);
  soup_session_send_async (request->self->sessions[request->slot / SESSION_SLOTS], request->msg, G_PRIORITY_DEFAULT,
                           request->cancellable, sent_cb, request);
}

static void
deadline_arm (FpAsyncExecutor *self,
              gint64           due_us)
{
  self->deadline_armed_us = due_us;
  g_source_set_ready_time (self->deadline_source, due_us);
}

/* The try begun now ends at the latest after the fetcher's timeout. The
 * source is armed only for the first deadline of an empty queue: one that
 * ends early leaves it due at its own time, which then finds the next. */
static void
deadline_start (Request *request)
{
  FpAsyncExecutor *self = request->self;

  request->due_us = g_get_monotonic_time () +
                    (gint64) (fp_flag_fetcher_get_timeout (self->fetcher) * G_USEC_PER_SEC);
  request->deadline_link.data = request;
  g_queue_push_tail_link (&self->deadlines, &request->deadline_link);
  if (self->deadline_armed_us < 0)
    deadline_arm (self, request->due_us);
}

/* The try ended (or is over whatever comes): its deadline goes. */
static void
deadline_stop (Request *request)
{
  if (request->deadline_link.data == NULL)
    return;
  g_queue_unlink (&request->self->deadlines, &request->deadline_link);
  request->deadline_link.data = NULL;
}

/* The deadlines that passed cancel their tries; the source is then due
 * at the next one. */
static gboolean
deadlines_due_cb (gpointer user_data)
{
  FpAsyncExecutor *self = user_data;
  gint64 now = g_get_monotonic_time ();
  Request *oldest;

  while ((oldest = g_queue_peek_head (&self->deadlines)) != NULL && oldest->due_us <= now)
    {
      deadline_stop (oldest);
      oldest->deadline_passed = TRUE;
      g_cancellable_cancel (oldest->cancellable);
    }
  deadline_arm (self, oldest != NULL ? oldest->due_us : -1);
  return G_SOURCE_CONTINUE;
}

static gboolean
deadline_source_dispatch (GSource     *source,
                          GSourceFunc  callback,
                          gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs deadline_source_funcs = {
  .dispatch = deadline_source_dispatch,
};

/* One try: a cancellable and a deadline of its own, from the flag's URL
 * again, redirects and all, as the thread pool's tries are. */
static void
begin_try (Request *request)
{
  g_autoptr(GError) parse_error = NULL;

  g_clear_object (&request->cancellable);
  request->cancellable = g_cancellable_new ();
  request->deadline_passed = FALSE;
  request->redirects = 0;
  request->retry_after_s = -1;
  request->try_started_us = g_get_monotonic_time ();

  deadline_stop (request);
  deadline_start (request);

  g_clear_pointer (&request->uri, g_uri_unref);
  request->uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, &parse_error);
  if (request->uri == NULL)
    {
      request->message = g_strdup_printf (_("invalid URL: %s"), parse_error->message);
      request->error_code = FP_DOWNLOAD_ERROR_INVALID_URL;
      finish_request (request, FP_EXCHANGE_FAILED);
      return;
    }
  send_request (request);
}

static guint
take_free_slot (FpAsyncExecutor *self)
{
  for (guint k = 0; k < self->concurrency; k++)
    if (self->free_slots[k])
      {
        self->free_slots[k] = FALSE;
        return k;
      }
  g_assert_not_reached ();
}

/* Takes a queued download: the semaphore's acquire. */
static void
start_job (FpAsyncExecutor *self,
           Job             *job)
{
  Request *request;
  char *url = NULL;
  FpDownloadResult *result = fp_flag_fetcher_begin (self->fetcher, job->code, self->cancellable, &url);

  /* Queued when the batch was cancelled, or a code no URL can be made of. */
  if (result != NULL)
    {
      return_result (self, job, result);
      return;
    }

  request = g_new0 (Request, 1);
  request->self = self;
  request->job = job;
  request->url = url;
  request->slot = take_free_slot (self);
  job->timeline.started = g_get_monotonic_time ();
  job->timeline.slot = (guint16) (request->slot + 1);
  request->tries = fp_flag_fetcher_new_tries ();
  self->in_flight = g_list_prepend (self->in_flight, request);
  self->n_in_flight++;

  self->started (job->code, request->slot + 1, self->started_data);
  begin_try (request);
}

static void
start_more (FpAsyncExecutor *self)
{
  Job *job;

  while (self->n_in_flight < self->concurrency && (job = g_queue_pop_head (&self->queue)) != NULL)
    start_job (self, job);
}

static gboolean
cancel_in_flight_cb (gpointer user_data)
{
  FpAsyncExecutor *self = user_data;
  g_autoptr(GList) waiting = NULL;

  for (GList *l = self->in_flight; l != NULL; l = l->next)
    {
      Request *request = l->data;

      if (request->back_off != NULL)
        waiting = g_list_prepend (waiting, request);
      else
        g_cancellable_cancel (request->cancellable);
    }
  /* A back-off has no request to abort: it ends here, its next try never made. */
  for (GList *l = waiting; l != NULL; l = l->next)
    {
      Request *request = l->data;

      clear_source (&request->back_off);
      finish_request (request, FP_EXCHANGE_CANCELLED);
    }
  return G_SOURCE_REMOVE;
}

/* On whichever thread cancelled: the loop's own requests are cancelled on the loop. */
static void
batch_cancelled_cb (GCancellable    *cancellable,
                    FpAsyncExecutor *self)
{
  fp_executor_call_soon (self->context, cancel_in_flight_cb, self, "[flagpole] cancel requests");
}

static gpointer
loop_thread_main (gpointer user_data)
{
  FpAsyncExecutor *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not lowered like the pools' threads: one thread, which weighs on a
   * core no more than the caller's main thread, does all the waiting. */
  g_main_context_push_thread_default (self->context);

  self->n_sessions = (self->concurrency + SESSION_SLOTS - 1) / SESSION_SLOTS;
  self->sessions = g_new0 (SoupSession *, self->n_sessions);
  for (guint i = 0; i < self->n_sessions; i++)
    self->sessions[i] = fp_flag_fetcher_new_session (self->fetcher,
                                                     MIN (SESSION_SLOTS, self->concurrency - i * SESSION_SLOTS));
  self->store_pool = g_thread_pool_new (store_worker, self, (int) g_get_num_processors (), TRUE, &error);
  g_assert_no_error (error);

  self->deadline_source = g_source_new (&deadline_source_funcs, sizeof (GSource));
  g_source_set_callback (self->deadline_source, deadlines_due_cb, self, NULL);
  g_source_set_static_name (self->deadline_source, "[flagpole] request deadlines");
  self->deadline_armed_us = -1;
  g_source_attach (self->deadline_source, self->context);

  g_atomic_int_set (&self->ready_after_us, (int) MAX (1, g_get_monotonic_time () - self->start_us));
  start_more (self);
  while (self->n_in_flight > 0 || self->queue.length > 0)
    g_main_context_iteration (self->context, TRUE);

  /* Every request is over, and so its deadline. */
  g_assert (g_queue_is_empty (&self->deadlines));
  clear_source (&self->deadline_source);

  /* Every body is at the store pool; wait for the last saves. */
  g_thread_pool_free (g_steal_pointer (&self->store_pool), FALSE, TRUE);
  for (guint i = 0; i < self->n_sessions; i++)
    {
      soup_session_abort (self->sessions[i]);
      g_clear_object (&self->sessions[i]);
    }
  g_clear_pointer (&self->sessions, g_free);
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);
  /* Taken in fp_async_executor_start(): the thread never outlives it. */
  g_object_unref (self);
  return NULL;
}

static void
fp_async_executor_finalize (GObject *object)
{
  FpAsyncExecutor *self = FP_ASYNC_EXECUTOR (object);

  if (self->cancel_handler != 0)
    g_cancellable_disconnect (self->cancellable, self->cancel_handler);
  /* The loop's thread holds a reference until its very end: either it
   * drops the last one and finalizes this itself, or it is past that
   * point, and the join waits a moment at most (and tells
   * ThreadSanitizer that what it did to this object came first). */
  if (self->thread != NULL && self->thread != g_thread_self ())
    g_thread_join (g_steal_pointer (&self->thread));
  g_clear_pointer (&self->thread, g_thread_unref);
  g_queue_clear_full (&self->queue, (GDestroyNotify) job_free);
  /* Every job held its task, which held this: none is left to return,
   * and the source is gone from its context (see return_jobs_cb()). */
  if (self->return_source != NULL)
    {
      g_source_destroy (self->return_source);
      g_clear_pointer (&self->return_source, g_source_unref);
      fp_hand_off_clear (&self->returned);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->free_slots, g_free);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->fetcher);

  G_OBJECT_CLASS (fp_async_executor_parent_class)->finalize (object);
}

static void
fp_async_executor_class_init (FpAsyncExecutorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_async_executor_finalize;
}

static void
fp_async_executor_init (FpAsyncExecutor *self)
{
  g_queue_init (&self->queue);
  g_queue_init (&self->deadlines);
}

/**
 * fp_async_executor_new:
 * @fetcher: saves the bodies and holds the source, timeout and size cap
 * @concurrency: the most requests in flight at once
 * @cancellable: the batch's: queued downloads never start, running ones abort
 * @started: told of each download as it begins, on the loop's thread
 */
FpAsyncExecutor *
fp_async_executor_new (FpFlagFetcher         *fetcher,
                       guint                  concurrency,
                       GCancellable          *cancellable,
                       FpExecutorStartedFunc  started,
                       gpointer               user_data)
{
  FpAsyncExecutor *self;

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (fetcher), NULL);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (concurrency > 0, NULL);

  self = g_object_new (FP_TYPE_ASYNC_EXECUTOR, NULL);
  self->fetcher = g_object_ref (fetcher);
  self->concurrency = concurrency;
  self->cancellable = g_object_ref (cancellable);
  self->started = started;
  self->started_data = user_data;
  self->context = g_main_context_new ();
  self->free_slots = g_new (gboolean, concurrency);
  for (guint k = 0; k < concurrency; k++)
    self->free_slots[k] = TRUE;
  fp_worker_slots_init (&self->store_slots);
  return self;
}

/* Queues a download; call before fp_async_executor_start(). */
void
fp_async_executor_push (FpAsyncExecutor *self,
                        GTask           *task,
                        const char      *code)
{
  Job *job;

  g_return_if_fail (FP_IS_ASYNC_EXECUTOR (self));
  g_return_if_fail (self->thread == NULL);

  /* The futures are returned where they were made (see above). */
  if (self->return_source == NULL)
    {
      fp_hand_off_init (&self->returned, g_task_get_context (task));
      self->return_source = fp_hand_off_source_new (&self->returned);
      g_source_set_callback (self->return_source, return_jobs_cb, self, NULL);
      g_source_set_static_name (self->return_source, "[flagpole] downloads returned");
      g_source_attach (self->return_source, self->returned.context);
    }
  g_return_if_fail (g_task_get_context (task) == self->returned.context);
  self->n_jobs++;

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->code = g_strdup (code);
  fp_download_timeline_clear (&job->timeline);
  job->timeline.queued = g_get_monotonic_time ();
  g_queue_push_tail (&self->queue, job);
}

/* Starts the loop's thread, which ends once every future has returned. */
void
fp_async_executor_start (FpAsyncExecutor *self)
{
  g_return_if_fail (FP_IS_ASYNC_EXECUTOR (self));
  g_return_if_fail (self->thread == NULL);

  self->start_us = g_get_monotonic_time ();
  self->thread = g_thread_new ("fp-event-loop", loop_thread_main, g_object_ref (self));
  self->cancel_handler = g_cancellable_connect (self->cancellable, G_CALLBACK (batch_cancelled_cb),
                                                self, NULL);
}

/* Seconds from the start until the loop sent its first requests; 0 before. */
double
fp_async_executor_get_startup_time (FpAsyncExecutor *self)
{
  g_return_val_if_fail (FP_IS_ASYNC_EXECUTOR (self), 0.0);
  return g_atomic_int_get (&self->ready_after_us) / (double) G_USEC_PER_SEC;
}
