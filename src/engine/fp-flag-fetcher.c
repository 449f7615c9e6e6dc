/* fp-flag-fetcher.c — the blocking work of one download: GET, check, save
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-fetcher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <libsoup/soup.h>

#include "fp-country-catalog.h"
#include "fp-download-error.h"
#include "fp-flag-fetcher.h"
#include "fp-flag-url.h"
#include "fp-flag-fetcher-private.h"
#include "fp-image-check.h"
#include "fp-retry-policy.h"
#include "fp-response-check.h"

/*
 * Everything here blocks, on purpose: it runs on a worker thread of the
 * batch's pool, the future's body. One SoupSession serves every worker;
 * libsoup 3.2 lets its synchronous API be called from any thread, and
 * its connection limits are raised to the batch's concurrency (the
 * defaults, 2 per host, would silently cap it).
 *
 * The per-request timeout is a deadline for the whole exchange, kept by
 * a watchdog thread that cancels the request's GCancellable when it
 * passes: libsoup's own "timeout" counts whole seconds of socket silence
 * and would let a server that drips a byte a second hold a worker forever.
 */

struct _FpFlagFetcher
{
  GObject parent_instance;

  char *base_url;
  char *extension;
  char *url_template;          /* a flag's URL with "aa" for the code; see find_url_template() */
  gsize code_at[2];            /* where the code goes in it, twice */
  GFile *destination;
  char *destination_path;
  double timeout_s;
  gsize max_body_size;
  SoupSession *session;
  FpRetryPolicy *retry_policy; /* NULL: one try, the book's way */
  gint n_awaiting;             /* requests sent whose answer has not begun; atomic */

  /* The first request resolves the host alone: see wait_for_host(). */
  GMutex host_lock;
  GCond host_cond;
  gboolean host_claimed;
  gboolean host_resolved;

  /* Deadlines of the requests in flight, oldest first: all last the
   * same time, so a new one is never due before those already queued. */
  GMutex watchdog_lock;
  GCond watchdog_cond;
  GQueue deadlines;
  gboolean watchdog_quit;
  GThread *watchdog_thread;
};

G_DEFINE_FINAL_TYPE (FpFlagFetcher, fp_flag_fetcher, G_TYPE_OBJECT)

/* One request's deadline: shared by the worker and the watchdog thread. */
typedef struct {
  GCancellable *cancellable;   /* the worker's; alive until deadline_stop() */
  gint64 due_us;
  gboolean done;               /* the request ended; under watchdog_lock */
  gboolean fired;              /* the deadline passed first; likewise */
} Deadline;

static void
deadline_unref (Deadline *deadline)
{
  g_rc_box_release (deadline);
}

/*
 * Adding and ending a deadline wake nobody: the watchdog sleeps until the
 * oldest deadline is due, and since every deadline lasts the same time a
 * new one is never due earlier; it is woken only when the queue was
 * empty. A request costs a lock and no context switch, which counts when
 * hundreds finish each second.
 */
static Deadline *
deadline_start (FpFlagFetcher *self,
                GCancellable  *request_cancellable)
{
  Deadline *deadline = g_rc_box_new0 (Deadline);

  deadline->cancellable = request_cancellable;
  deadline->due_us = g_get_monotonic_time () + (gint64) (self->timeout_s * G_USEC_PER_SEC);

  g_mutex_lock (&self->watchdog_lock);
  g_queue_push_tail (&self->deadlines, g_rc_box_acquire (deadline));
  if (self->deadlines.length == 1)
    g_cond_signal (&self->watchdog_cond);
  g_mutex_unlock (&self->watchdog_lock);

  return deadline;
}

/* Returns: whether the deadline passed before the request ended. */
static gboolean
deadline_stop (FpFlagFetcher *self,
               Deadline      *deadline)
{
  gboolean fired;

  g_mutex_lock (&self->watchdog_lock);
  deadline->done = TRUE;
  deadline->cancellable = NULL;
  fired = deadline->fired;
  g_mutex_unlock (&self->watchdog_lock);

  deadline_unref (deadline);
  return fired;
}

static gpointer
watchdog_thread_func (gpointer user_data)
{
  FpFlagFetcher *self = user_data;

  g_mutex_lock (&self->watchdog_lock);
  while (!self->watchdog_quit)
    {
      Deadline *oldest = g_queue_peek_head (&self->deadlines);

      if (oldest == NULL)
        {
          g_cond_wait (&self->watchdog_cond, &self->watchdog_lock);
        }
      else if (oldest->done)
        {
          deadline_unref (g_queue_pop_head (&self->deadlines));
        }
      else if (g_get_monotonic_time () >= oldest->due_us)
        {
          /* Under the lock, so the worker cannot drop the cancellable
           * meanwhile: deadline_stop() waits for it. */
          oldest->fired = TRUE;
          g_cancellable_cancel (oldest->cancellable);
          deadline_unref (g_queue_pop_head (&self->deadlines));
        }
      else
        {
          g_cond_wait_until (&self->watchdog_cond, &self->watchdog_lock, oldest->due_us);
        }
    }
  g_mutex_unlock (&self->watchdog_lock);

  return NULL;
}

static void
fp_flag_fetcher_finalize (GObject *object)
{
  FpFlagFetcher *self = FP_FLAG_FETCHER (object);

  g_mutex_lock (&self->watchdog_lock);
  self->watchdog_quit = TRUE;
  g_cond_signal (&self->watchdog_cond);
  g_mutex_unlock (&self->watchdog_lock);
  g_thread_join (self->watchdog_thread);
  g_queue_clear_full (&self->deadlines, (GDestroyNotify) deadline_unref);
  g_mutex_clear (&self->watchdog_lock);
  g_cond_clear (&self->watchdog_cond);

  g_clear_object (&self->session);
  g_clear_object (&self->retry_policy);
  g_mutex_clear (&self->host_lock);
  g_cond_clear (&self->host_cond);
  g_clear_object (&self->destination);
  g_clear_pointer (&self->destination_path, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->url_template, g_free);
  g_clear_pointer (&self->extension, g_free);

  G_OBJECT_CLASS (fp_flag_fetcher_parent_class)->finalize (object);
}

static void
fp_flag_fetcher_class_init (FpFlagFetcherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_flag_fetcher_finalize;
}

static void
fp_flag_fetcher_init (FpFlagFetcher *self)
{
  self->max_body_size = FP_MAX_BODY_SIZE;
  g_mutex_init (&self->host_lock);
  g_cond_init (&self->host_cond);
  g_mutex_init (&self->watchdog_lock);
  g_cond_init (&self->watchdog_cond);
  g_queue_init (&self->deadlines);
  self->watchdog_thread = g_thread_new ("fp-watchdog", watchdog_thread_func, self);
}

/*
 * A flag's URL is made at least twice a download (its request, then its
 * save and result), and fp_flag_url_build() parses and rebuilds the base
 * URL each time: 2 % of a download's instructions. Its URLs differ only in
 * the code, so one made for "aa" and one for "zz" show where the code
 * goes; then a URL is that template with the code written in. A base URL
 * for which the two do not differ in exactly those four letters keeps
 * fp_flag_url_build() for each URL.
 */
static void
find_url_template (FpFlagFetcher *self)
{
  g_autofree char *aa = fp_flag_url_build (self->base_url, "aa", self->extension);
  g_autofree char *zz = fp_flag_url_build (self->base_url, "zz", self->extension);
  gsize length = aa != NULL && zz != NULL ? strlen (aa) : 0;
  guint n_found = 0;

  if (length == 0 || strlen (zz) != length)
    return;
  for (gsize i = 0; i < length; i++)
    {
      if (aa[i] == zz[i])
        continue;
      /* Two letters of the code, twice, and nothing else. */
      if (n_found == 2 || i + 1 >= length || aa[i] != 'a' || zz[i] != 'z' ||
          aa[i + 1] != 'a' || zz[i + 1] != 'z')
        return;
      self->code_at[n_found++] = i;
      i++;
    }
  if (n_found == 2)
    self->url_template = g_steal_pointer (&aa);
}

/**
 * fp_flag_fetcher_new:
 * @base_url: flags live at `{base_url}/{cc}/{cc}.{extension}`
 * @extension: the extension of the flag files on the server ("gif", "png")
 * @destination: the folder flags are saved in
 * @max_connections: how many requests may be in flight at once
 * @timeout_s: the deadline of one request, in seconds
 */
FpFlagFetcher *
fp_flag_fetcher_new (const char *base_url,
                     const char *extension,
                     GFile      *destination,
                     guint       max_connections,
                     double      timeout_s)
{
  FpFlagFetcher *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (extension != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (destination), NULL);
  g_return_val_if_fail (timeout_s > 0, NULL);

  /* libsoup interns "GET" on first use with an atomic pointer but reads it
   * back plainly: the first use from many workers at once is a data race
   * (ThreadSanitizer sees it). Intern it here, before any worker runs. */
  (void) SOUP_METHOD_GET;
  /* GLib makes a G_DEFINE_QUARK on first use with a plain static: the
   * engine's error domains likewise, before workers make failed results. */
  (void) FP_DOWNLOAD_ERROR;
  (void) FP_ENGINE_ERROR;

  max_connections = CLAMP (max_connections, 1, FP_MAX_CONCURRENCY);

  self = g_object_new (FP_TYPE_FLAG_FETCHER, NULL);
  self->base_url = g_strdup (base_url);
  /* A trailing slash would double up in every URL. */
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->extension = g_strdup (extension[0] == '.' ? extension + 1 : extension);
  find_url_template (self);
  self->destination = g_object_ref (destination);
  self->destination_path = g_file_get_path (destination);
  self->timeout_s = timeout_s;

  /*
   * The workers use this session's blocking API from their own threads,
   * yet libsoup still attaches and moves sources (its queue's, its
   * messages') on the context that was the thread's default when the
   * session was made, under that context's lock. Made on the window's
   * thread, that was the window's main context, and a worker at the
   * lowest priority preempted while holding its lock made the main loop
   * wait in g_main_context_check() (perf trace of one batch: 17 ms in
   * all, up to 6.7 ms at once, libsoup's calls among the holders). A
   * context of the session's own, which blocking calls never need
   * iterated, keeps the two apart.
   */
  g_autoptr(GMainContext) session_context = g_main_context_new ();
  g_main_context_push_thread_default (session_context);
  self->session = fp_flag_fetcher_new_session (self, max_connections);
  g_main_context_pop_thread_default (session_context);

  return self;
}

/*
 * A session for this fetcher's source allowing @max_connections at once.
 * The event loop makes its own on its thread, which then owns it.
 */
SoupSession *
fp_flag_fetcher_new_session (FpFlagFetcher *self,
                             guint          max_connections)
{
  g_autofree char *user_agent = g_strdup_printf ("Flagpole/%s ", PACKAGE_VERSION);

  /*
   * No idle timeout: libsoup keeps a timer for each connection that closes
   * it after a minute idle, on the main context that was the thread's
   * default when the session was made, and moves it twice a request (off
   * when a message takes the connection, on when it gives it back), which
   * wakes that context each time: made on the caller's main thread, the
   * session woke it some 500 times for 249 flags, for nothing to do, and
   * on the event loop's thread it turned the loop once more each time. A
   * session lasts one batch (its fetcher's), and the connections it left
   * idle close with it; one the server closed meanwhile is not reused.
   *
   * A server on this machine (the built-in one) is never behind a proxy,
   * so none is asked: that also spares loading libproxy.
   */
  if (fp_url_is_loopback (self->base_url))
    return soup_session_new_with_options ("max-conns", MAX (max_connections, 10),
                                          "max-conns-per-host", max_connections,
                                          "user-agent", user_agent,
                                          "idle-timeout", 0,
                                          "proxy-resolver", NULL,
                                          NULL);
  return soup_session_new_with_options ("max-conns", MAX (max_connections, 10),
                                        "max-conns-per-host", max_connections,
                                        "user-agent", user_agent,
                                        "idle-timeout", 0,
                                        NULL);
}

const char *
fp_flag_fetcher_get_base_url (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  return self->base_url;
}

const char *
fp_flag_fetcher_get_extension (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  return self->extension;
}

GFile *
fp_flag_fetcher_get_destination (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  return self->destination;
}

double
fp_flag_fetcher_get_timeout (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), 0.0);
  return self->timeout_s;
}

const char *
fp_flag_fetcher_get_destination_path (FpFlagFetcher *self)
{
  return self->destination_path;
}

gsize
fp_flag_fetcher_get_max_body_size (FpFlagFetcher *self)
{
  return self->max_body_size;
}

/* Call before the first fetch; tests lower it to exercise the limit. */
void
fp_flag_fetcher_set_max_body_size (FpFlagFetcher *self,
                                   gsize          max_body_size)
{
  g_return_if_fail (FP_IS_FLAG_FETCHER (self));
  self->max_body_size = max_body_size;
}

/**
 * fp_flag_fetcher_set_retry_policy:
 * @policy: (nullable): which failures are tried again, and after what
 *   wait; %NULL for one try each
 *
 * Call before the first fetch.
 */
void
fp_flag_fetcher_set_retry_policy (FpFlagFetcher *self,
                                  FpRetryPolicy *policy)
{
  g_return_if_fail (FP_IS_FLAG_FETCHER (self));
  g_return_if_fail (policy == NULL || FP_IS_RETRY_POLICY (policy));
  g_set_object (&self->retry_policy, policy);
}

/* The policy the other strategies follow too (NULL: one try each). */
FpRetryPolicy *
fp_flag_fetcher_get_retry_policy (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  return self->retry_policy;
}

/**
 * fp_flag_fetcher_get_n_awaiting:
 *
 * Returns: how many requests are sent and wait for the first byte of their
 *   answer now; any thread may ask
 */
guint
fp_flag_fetcher_get_n_awaiting (FpFlagFetcher *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), 0);
  return (guint) MAX (0, g_atomic_int_get (&self->n_awaiting));
}

/**
 * fp_flag_fetcher_build_url:
 * @code: a country code
 *
 * See fp_flag_url_build(): a query stays, a fragment goes.
 *
 * Returns: (transfer full) (nullable): `{base}/{cc}/{cc}.{ext}` with @code
 *   in lower case, or %NULL when @code is not two ASCII letters: nothing
 *   else may reach a URL.
 */
char *
fp_flag_fetcher_build_url (FpFlagFetcher *self,
                           const char    *code)
{
  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);

  if (self->url_template != NULL && fp_country_code_is_valid (code))
    {
      char *url = g_strdup (self->url_template);

      for (guint i = 0; i < 2; i++)
        {
          url[self->code_at[i]] = g_ascii_tolower (code[0]);
          url[self->code_at[i] + 1] = g_ascii_tolower (code[1]);
        }
      return url;
    }
  return fp_flag_url_build (self->base_url, code, self->extension);
}

/**
 * fp_flag_fetcher_prepare_destination:
 * @error: return location for a #GError
 *
 * Makes the destination folder and proves it can be written, before a
 * batch starts, so that a batch that cannot save anything says so once
 * instead of failing every download. Blocks: call it off the main thread.
 */
gboolean
fp_flag_fetcher_prepare_destination (FpFlagFetcher  *self,
                                     GError        **error)
{
  g_autofree char *probe = NULL;
  g_autofree char *display = NULL;
  gboolean created;
  int fd;

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), FALSE);

  display = g_file_get_parse_name (self->destination);
  if (self->destination_path == NULL)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION,
                   _("Cannot save flags in “%s”: it is not a local folder"), display);
      return FALSE;
    }

  if (g_mkdir_with_parents (self->destination_path, 0755) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION,
                   _("Cannot save flags in “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }

  fp_flag_url_sweep_stale_parts (self->destination_path);

  /* One byte, not an empty file: a full disk still lets a name be made. */
  probe = g_build_filename (self->destination_path, ".flagpole-XXXXXX", NULL);
  fd = g_mkstemp_full (probe, O_WRONLY | O_CLOEXEC, 0644);
  created = fd >= 0;
  if (fd < 0 ||
      write (fd, "", 1) != 1 ||
      close (g_steal_fd (&fd)) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      if (created)
        g_unlink (probe);
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_DESTINATION,
                   _("Cannot save flags in “%s”: %s"), display, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (probe);
  return TRUE;
}

static void
mark_host_resolved (FpFlagFetcher *self)
{
  g_mutex_lock (&self->host_lock);
  self->host_resolved = TRUE;
  g_cond_broadcast (&self->host_cond);
  g_mutex_unlock (&self->host_lock);
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  FpFlagFetcher      *self)
{
  if (event == G_SOCKET_CLIENT_RESOLVED)
    mark_host_resolved (self);
}

/*
 * libsoup keeps one GNetworkAddress per host and every new connection
 * enumerates it; GLib 2.74 fills that address's cache on the first
 * enumeration without a lock, and a hundred workers connecting at once
 * race on it (an assertion in gnetworkaddress.c aborts the program now
 * and then). So the first request of a fetcher goes ahead alone until
 * its host is resolved — no time at all for an IP address, one DNS look-up
 * otherwise — and the others follow with the cache filled.
 *
 * Returns: whether the caller is that first request and must call
 *   mark_host_resolved() when its send returns.
 */
static gboolean
wait_for_host (FpFlagFetcher *self)
{
  gboolean first = FALSE;

  g_mutex_lock (&self->host_lock);
  if (!self->host_claimed)
    self->host_claimed = first = TRUE;
  else
    while (!self->host_resolved)
      g_cond_wait (&self->host_cond, &self->host_lock);
  g_mutex_unlock (&self->host_lock);

  return first;
}

/* A GET of @uri that leaves redirects to fp_flag_fetcher_check_response(). */
SoupMessage *
fp_flag_fetcher_new_message (FpFlagFetcher *self,
                             GUri          *uri)
{
  SoupMessage *msg = soup_message_new_from_uri (SOUP_METHOD_GET, uri);

  /* The metrics count the body's bytes as they came, before a
   * Content-Encoding is undone (what Content-Length announced), and tell
   * whether any answer began: see fp-response-check.c. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);
  return msg;
}

/*
 * GET @url, following redirects, and read the body into memory, never
 * more than the size limit.
 */
static FpExchangeOutcome
exchange (FpFlagFetcher    *self,
          const char       *url,
          GCancellable     *request_cancellable,
          GBytes          **body,
          char            **message,
          FpDownloadError  *code,
          guint            *http_status,
          double           *retry_after_s,
          FpDownloadTimeline *timeline,
          GError          **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) parse_error = NULL;
  guint redirects = 0;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &parse_error);
  if (uri == NULL)
    {
      *message = g_strdup_printf (_("invalid URL: %s"), parse_error->message);
      *code = FP_DOWNLOAD_ERROR_INVALID_URL;
      return FP_EXCHANGE_FAILED;
    }

  for (;;)
    {
      g_autoptr(SoupMessage) msg = fp_flag_fetcher_new_message (self, uri);
      g_autoptr(GInputStream) stream = NULL;
      g_autoptr(GByteArray) buffer = NULL;
      goffset content_length;
      gsize expected;

      /* From the send until the status line is in: a stall shows as this. */
      g_atomic_int_inc (&self->n_awaiting);
      if (redirects == 0 && wait_for_host (self))
        {
          g_signal_connect (msg, "network-event", G_CALLBACK (network_event_cb), self);
          stream = soup_session_send (self->session, msg, request_cancellable, error);
          /* Resolved or failed: either way the others may go now. */
          mark_host_resolved (self);
        }
      else
        {
          stream = soup_session_send (self->session, msg, request_cancellable, error);
        }
      g_atomic_int_dec_and_test (&self->n_awaiting);
      /* libsoup timed the phases (fp_flag_fetcher_new_message() asks it to). */
      if (timeline != NULL)
        fp_download_timeline_take_metrics (timeline, msg);
      if (stream == NULL)
        {
          fp_response_describe_failed_send (msg, *error, message, code);
          return FP_EXCHANGE_FAILED;
        }

      switch (fp_response_check_head (msg, self->max_body_size, &uri, &redirects,
                                     message, code, http_status))
        {
        case FP_RESPONSE_REDIRECT:
          g_input_stream_close (stream, NULL, NULL);
          continue;
        case FP_RESPONSE_NOT_FOUND:
          g_input_stream_close (stream, NULL, NULL);
          return FP_EXCHANGE_NOT_FOUND;
        case FP_RESPONSE_FAILED:
          /* A busy server may say when to ask again. */
          *retry_after_s = fp_retry_parse_retry_after (
            soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"), NULL);
          g_input_stream_close (stream, NULL, NULL);
          return FP_EXCHANGE_FAILED;
        case FP_RESPONSE_READ_BODY:
        default:
          break;
        }

      /* Within the size cap: fp_response_check_head() said so. */
      content_length = soup_message_headers_get_content_length (soup_message_get_response_headers (msg));
      expected = content_length > 0 ? (gsize) content_length : 0;
      buffer = fp_response_body_new (expected);
      for (;;)
        {
          gsize received = buffer->len;
          gsize want;
          guint8 *at = fp_response_body_reserve (buffer, expected, &want);
          gssize n_read = g_input_stream_read (stream, at, want, request_cancellable, error);

          g_byte_array_set_size (buffer, (guint) (received + (gsize) MAX (n_read, 0)));
          if (n_read < 0)
            return FP_EXCHANGE_FAILED;
          if (n_read == 0)
            break;
          if (!fp_response_check_size (self->max_body_size, buffer->len, message, code))
            return FP_EXCHANGE_FAILED;
        }

      if (!g_input_stream_close (stream, request_cancellable, error))
        return FP_EXCHANGE_FAILED;
      if (timeline != NULL)
        {
          /* The body's end and its size are known now. */
          fp_download_timeline_take_metrics (timeline, msg);
          if (timeline->response_end == 0)
            timeline->response_end = g_get_monotonic_time ();
        }

      if (!fp_response_check_complete (msg, buffer->len, message, code))
        return FP_EXCHANGE_FAILED;

      *body = g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
      return FP_EXCHANGE_OK;
    }
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   GCancellable *request_cancellable)
{
  g_cancellable_cancel (request_cancellable);
}

/**
 * fp_flag_fetcher_receive:
 * @code: a country code
 * @cancellable: (nullable): cancels the request
 * @body: (out) (transfer full): the response body, when one arrived
 * @tries_out: (out) (optional) (transfer full): with a body, the requests
 *   made for it (FpDownloadTry), for fp_flag_fetcher_store()
 *
 * The network half of a download: GET the flag, follow redirects, read
 * the body; with a retry policy, again after a transient failure, each
 * try recorded. Blocks; thread-safe.
 *
 * Returns: (transfer full) (nullable): %NULL when @body holds a response
 *   that fp_flag_fetcher_store() should check and save; otherwise the
 *   download's final result (not found, an error, cancelled)
 */
FpDownloadResult *
fp_flag_fetcher_receive (FpFlagFetcher  *self,
                         const char     *code,
                         GCancellable   *cancellable,
                         GBytes        **body,
                         GArray        **tries_out)
{
  return fp_flag_fetcher_receive_timed (self, code, cancellable, body, tries_out, NULL);
}

/**
 * fp_flag_fetcher_receive_timed:
 * @timeline: (nullable): where the network moments go, as libsoup's
 *   message metrics measured them (absolute monotonic µs)
 *
 * fp_flag_fetcher_receive(), recording the request's timeline.
 */
FpDownloadResult *
fp_flag_fetcher_receive_timed (FpFlagFetcher      *self,
                               const char         *code,
                               GCancellable       *cancellable,
                               GBytes            **body,
                               GArray            **tries_out,
                               FpDownloadTimeline *timeline)
{
  FpDownloadResult *result;
  g_autoptr(GArray) tries = NULL;
  g_autofree char *url = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  FpExchangeOutcome outcome;
  FpDownloadError error_code = FP_DOWNLOAD_ERROR_FAILED;
  guint http_status = 0;
  gboolean deadline_passed;
  FpDownloadTry attempt = { 0 };

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  g_return_val_if_fail (body != NULL && *body == NULL, NULL);

  result = fp_flag_fetcher_begin (self, code, cancellable, &url);
  if (result != NULL)
    return result;

  tries = fp_flag_fetcher_new_tries ();

  /* One request, and more while the retry policy says a failure may pass. */
  for (;;)
    {
      g_autoptr(GCancellable) request_cancellable = g_cancellable_new ();
      gulong cancel_handler = 0;
      Deadline *deadline;
      double retry_after_s = -1;
      gint64 delay_us;

      error_code = FP_DOWNLOAD_ERROR_FAILED;
      http_status = 0;
      if (cancellable != NULL)
        cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                                request_cancellable, NULL);
      deadline = deadline_start (self, request_cancellable);
      attempt = (FpDownloadTry) { .started_us = g_get_monotonic_time () };

      outcome = exchange (self, url, request_cancellable, body, &message, &error_code,
                          &http_status, &retry_after_s, timeline, &error);

      attempt.ended_us = g_get_monotonic_time ();
      attempt.http_status = http_status;
      deadline_passed = deadline_stop (self, deadline);
      if (cancellable != NULL)
        g_cancellable_disconnect (cancellable, cancel_handler);

      if (g_cancellable_is_cancelled (cancellable))
        break;

      /* The deadline cancels the request, so its error says "cancelled". */
      if (outcome == FP_EXCHANGE_FAILED && (deadline_passed || message == NULL))
        {
          g_free (message);
          message = fp_download_error_describe (error, deadline_passed, self->timeout_s, &error_code);
          deadline_passed = FALSE;
        }

      if (outcome != FP_EXCHANGE_FAILED || self->retry_policy == NULL ||
          !fp_retry_policy_should_retry (self->retry_policy, tries->len + 1,
                                         fp_retry_policy_is_transient_failure (self->retry_policy,
                                                                               error_code, http_status)))
        break;

      delay_us = fp_retry_policy_get_delay_us (self->retry_policy, tries->len + 1, retry_after_s);
      attempt.message = g_steal_pointer (&message);
      attempt.wait_us = delay_us;
      g_array_append_val (tries, attempt);
      attempt = (FpDownloadTry) { 0 };
      g_clear_error (&error);
      g_clear_pointer (body, g_bytes_unref);

      if (!fp_retry_policy_wait (self->retry_policy, delay_us, cancellable))
        break;
    }

  /* The last try, unless a cancel ended a back-off before it began. */
  if (attempt.started_us != 0)
    {
      if (outcome == FP_EXCHANGE_FAILED && !g_cancellable_is_cancelled (cancellable))
        attempt.message = g_strdup (message);
      g_array_append_val (tries, attempt);
    }

  result = fp_flag_fetcher_conclude (self, code, url, outcome, body, message, error_code, http_status,
                                     error, deadline_passed, cancellable);
  if (result == NULL)
    {
      if (tries_out != NULL)
        *tries_out = g_steal_pointer (&tries);
      return NULL;
    }

  for (guint i = 0; i < tries->len; i++)
    fp_download_result_add_try (result, &g_array_index (tries, FpDownloadTry, i));
  return result;
}

/**
 * fp_flag_fetcher_fetch:
 * @code: a country code
 * @cancellable: (nullable): cancels the download; a cancelled download
 *   leaves nothing on disk
 *
 * A whole download, fp_flag_fetcher_receive() then
 * fp_flag_fetcher_store(). Blocks; thread-safe.
 *
 * Returns: (transfer full): what happened, never %NULL
 */
FpDownloadResult *
fp_flag_fetcher_fetch (FpFlagFetcher *self,
                       const char    *code,
                       GCancellable  *cancellable)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GArray) tries = NULL;
  FpDownloadResult *result;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);

  result = fp_flag_fetcher_receive (self, code, cancellable, &body, &tries);
  if (result == NULL)
    result = fp_flag_fetcher_store (self, code, body, tries, cancellable);
  fp_download_result_set_elapsed (result, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  return result;
}
