/* fp-retry-policy.c — when a failed request is tried again, and how long to wait first
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-retry-policy"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <libsoup/soup.h>

#include "fp-retry-policy-private.h"

/*
 * The book retries nothing, and neither does a batch unless asked. When
 * asked, only what may go better a moment later is tried again: a request
 * that timed out, a connection reset or cut short, and the HTTP statuses
 * that say "not now" (408, 429, 500, 502, 503, 504). A 404 will be a 404
 * again, and the built-in server's 418 is a simulated failure that is the
 * point of the exercise, so it is retried only when the caller says so.
 *
 * The waits double from one second, the usual exponential back-off, so a
 * server in trouble is not hammered by a hundred workers; a Retry-After
 * header replaces the back-off, up to the same cap, so a server that says
 * "in 1 s" is asked again in 1 s and one that says "in an hour" does not
 * hold a worker for an hour.
 *
 * The policy only decides: each strategy (a worker thread blocking, an
 * event loop arming a timer) does the waiting its own way, and
 * fp_retry_policy_wait() is the blocking way, cut short by a cancel. A
 * policy does not change once a batch uses it, so workers read it without
 * a lock.
 */

struct _FpRetryPolicy
{
  GObject parent_instance;

  guint max_retries;
  double first_delay_s;
  double max_delay_s;
  GHashTable *statuses;        /* guint status → present when retried */

  FpRetrySleepFunc sleep_func;
  gpointer sleep_data;
};

G_DEFINE_FINAL_TYPE (FpRetryPolicy, fp_retry_policy, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_RETRIES,
  PROP_FIRST_DELAY,
  PROP_MAX_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const guint default_statuses[] = { 408, 429, 500, 502, 503, 504 };

static void
fp_retry_policy_finalize (GObject *object)
{
  FpRetryPolicy *self = FP_RETRY_POLICY (object);

  g_clear_pointer (&self->statuses, g_hash_table_unref);

  G_OBJECT_CLASS (fp_retry_policy_parent_class)->finalize (object);
}

static void
fp_retry_policy_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FpRetryPolicy *self = FP_RETRY_POLICY (object);

  switch (prop_id)
    {
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_FIRST_DELAY:
      g_value_set_double (value, self->first_delay_s);
      break;
    case PROP_MAX_DELAY:
      g_value_set_double (value, self->max_delay_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_retry_policy_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FpRetryPolicy *self = FP_RETRY_POLICY (object);

  switch (prop_id)
    {
    case PROP_MAX_RETRIES:
      self->max_retries = g_value_get_uint (value);
      break;
    case PROP_FIRST_DELAY:
      fp_retry_policy_set_first_delay (self, g_value_get_double (value));
      break;
    case PROP_MAX_DELAY:
      fp_retry_policy_set_max_delay (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_retry_policy_class_init (FpRetryPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fp_retry_policy_finalize;
  object_class->get_property = fp_retry_policy_get_property;
  object_class->set_property = fp_retry_policy_set_property;

  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL, 0, FP_MAX_RETRIES, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIRST_DELAY] =
    g_param_spec_double ("first-delay", NULL, NULL, 0.0, 3600.0, FP_RETRY_FIRST_DELAY_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_DELAY] =
    g_param_spec_double ("max-delay", NULL, NULL, 0.0, 3600.0, FP_RETRY_MAX_DELAY_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_retry_policy_init (FpRetryPolicy *self)
{
  self->first_delay_s = FP_RETRY_FIRST_DELAY_S;
  self->max_delay_s = FP_RETRY_MAX_DELAY_S;
  self->statuses = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < G_N_ELEMENTS (default_statuses); i++)
    g_hash_table_add (self->statuses, GUINT_TO_POINTER (default_statuses[i]));
}

/**
 * fp_retry_policy_new:
 * @max_retries: how many times a transient failure is tried again
 *   (0: never, the book's behaviour); at most %FP_MAX_RETRIES
 *
 * Returns: (transfer full): a policy with the default back-off
 */
FpRetryPolicy *
fp_retry_policy_new (guint max_retries)
{
  return g_object_new (FP_TYPE_RETRY_POLICY,
                       "max-retries", MIN (max_retries, FP_MAX_RETRIES),
                       NULL);
}

guint
fp_retry_policy_get_max_retries (FpRetryPolicy *self)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), 0);
  return self->max_retries;
}

double
fp_retry_policy_get_first_delay (FpRetryPolicy *self)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), 0.0);
  return self->first_delay_s;
}

void
fp_retry_policy_set_first_delay (FpRetryPolicy *self,
                                 double         seconds)
{
  g_return_if_fail (FP_IS_RETRY_POLICY (self));
  g_return_if_fail (seconds >= 0);

  if (self->first_delay_s == seconds)
    return;
  self->first_delay_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_DELAY]);
}

double
fp_retry_policy_get_max_delay (FpRetryPolicy *self)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), 0.0);
  return self->max_delay_s;
}

void
fp_retry_policy_set_max_delay (FpRetryPolicy *self,
                               double         seconds)
{
  g_return_if_fail (FP_IS_RETRY_POLICY (self));
  g_return_if_fail (seconds >= 0);

  if (self->max_delay_s == seconds)
    return;
  self->max_delay_s = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DELAY]);
}

/**
 * fp_retry_policy_set_retry_status:
 * @http_status: an HTTP status, such as 418
 * @retry: whether an answer with it is tried again
 *
 * Adds a status to those retried (408, 429, 500, 502, 503, 504), or takes
 * one away. Call before the policy is used.
 */
void
fp_retry_policy_set_retry_status (FpRetryPolicy *self,
                                  guint          http_status,
                                  gboolean       retry)
{
  g_return_if_fail (FP_IS_RETRY_POLICY (self));

  if (retry)
    g_hash_table_add (self->statuses, GUINT_TO_POINTER (http_status));
  else
    g_hash_table_remove (self->statuses, GUINT_TO_POINTER (http_status));
}

/**
 * fp_retry_policy_is_transient:
 * @error: (nullable): the network error of the try, if there was one
 * @timed_out: whether the request's deadline passed
 * @http_status: the status of the answer, 0 when there was none
 *
 * Returns: whether the failure may go away if the request is made again
 */
gboolean
fp_retry_policy_is_transient (FpRetryPolicy *self,
                              const GError  *error,
                              gboolean       timed_out,
                              guint          http_status)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), FALSE);

  if (timed_out)
    return TRUE;
  if (http_status != 0)
    return g_hash_table_contains (self->statuses, GUINT_TO_POINTER (http_status));
  if (error == NULL)
    return FALSE;
  /* A reset shows as closed or a broken pipe, a body cut as partial input. */
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

/**
 * fp_retry_policy_is_transient_failure:
 * @code: the engine's code for how the try failed
 * @http_status: the status of the answer, 0 when there was none
 *
 * The same question as fp_retry_policy_is_transient(), asked with the
 * engine's own error codes, as every strategy has them.
 *
 * Returns: whether the failure may go away if the request is made again
 */
gboolean
fp_retry_policy_is_transient_failure (FpRetryPolicy   *self,
                                      FpDownloadError  code,
                                      guint            http_status)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), FALSE);

  switch (code)
    {
    case FP_DOWNLOAD_ERROR_TIMEOUT:
    case FP_DOWNLOAD_ERROR_RESET:
    case FP_DOWNLOAD_ERROR_CUT_SHORT:
      return TRUE;
    case FP_DOWNLOAD_ERROR_HTTP_STATUS:
      return g_hash_table_contains (self->statuses, GUINT_TO_POINTER (http_status));
    default:
      return FALSE;
    }
}

/**
 * fp_retry_policy_should_retry:
 * @tries_done: how many times the request was made so far (1 after the first)
 * @transient: what fp_retry_policy_is_transient() said of the last try
 *
 * Returns: whether to make the request once more
 */
gboolean
fp_retry_policy_should_retry (FpRetryPolicy *self,
                              guint          tries_done,
                              gboolean       transient)
{
  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), FALSE);

  return transient && tries_done >= 1 && tries_done <= self->max_retries;
}

/**
 * fp_retry_policy_get_delay_us:
 * @tries_done: how many times the request was made so far (1 after the first)
 * @retry_after_s: the server's Retry-After in seconds, or a negative
 *   number when it sent none
 *
 * Returns: how long to wait before the next try, in microseconds: the
 *   first delay doubled after each try, or what the server asked, never
 *   more than the maximum delay
 */
gint64
fp_retry_policy_get_delay_us (FpRetryPolicy *self,
                              guint          tries_done,
                              double         retry_after_s)
{
  double delay;

  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), 0);

  if (retry_after_s >= 0)
    delay = retry_after_s;
  else
    delay = self->first_delay_s * ldexp (1.0, (int) MIN (MAX (tries_done, 1) - 1, 30));

  delay = MIN (delay, self->max_delay_s);
  return (gint64) llround (delay * G_USEC_PER_SEC);
}

/**
 * fp_retry_policy_wait:
 * @delay_us: how long, from fp_retry_policy_get_delay_us()
 * @cancellable: (nullable): ends the wait early
 *
 * Blocks the calling thread for @delay_us, or until @cancellable is
 * cancelled, whichever comes first. For workers, never the main thread.
 *
 * Returns: %FALSE when the wait was cancelled
 */
gboolean
fp_retry_policy_wait (FpRetryPolicy *self,
                      gint64         delay_us,
                      GCancellable  *cancellable)
{
  GPollFD pollfd;

  g_return_val_if_fail (FP_IS_RETRY_POLICY (self), FALSE);

  if (self->sleep_func != NULL)
    return self->sleep_func (delay_us, cancellable, self->sleep_data) &&
           !g_cancellable_is_cancelled (cancellable);

  if (g_cancellable_is_cancelled (cancellable))
    return FALSE;
  if (delay_us <= 0)
    return TRUE;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &pollfd))
    {
      g_usleep ((gulong) delay_us);
      return !g_cancellable_is_cancelled (cancellable);
    }

  /* The cancellable's file descriptor becomes readable on cancel. */
  {
    gint64 deadline = g_get_monotonic_time () + delay_us;
    gint64 now;

    while (!g_cancellable_is_cancelled (cancellable) &&
           (now = g_get_monotonic_time ()) < deadline)
      g_poll (&pollfd, 1, (int) MIN ((deadline - now + 999) / 1000, G_MAXINT));
  }
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_is_cancelled (cancellable);
}

/**
 * fp_retry_parse_retry_after:
 * @value: (nullable): a Retry-After header: seconds, or an HTTP date
 * @now: (nullable): the time to count a date from; %NULL for now
 *
 * Returns: the seconds to wait, 0 for a date in the past, or -1 when
 *   @value is missing or says neither
 */
double
fp_retry_parse_retry_after (const char *value,
                            GDateTime  *now)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) current = NULL;
  const char *p;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (*value == '\0')
    return -1;

  for (p = value; g_ascii_isdigit (*p); p++)
    ;
  if (p != value)
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      if (end != NULL && *end == '\0')
        return (double) MIN (seconds, (guint64) G_MAXINT32);
      return -1;
    }

  date = soup_date_time_new_from_http_string (value);
  if (date == NULL)
    return -1;
  current = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_utc ();
  return MAX (0.0, g_date_time_difference (date, current) / (double) G_USEC_PER_SEC);
}

/**
 * fp_retry_policy_set_sleep_func: (skip)
 * @func: (nullable): waits instead of the real clock; %NULL restores it
 *
 * For tests: a back-off of seconds is checked without taking seconds.
 */
void
fp_retry_policy_set_sleep_func (FpRetryPolicy    *self,
                                FpRetrySleepFunc  func,
                                gpointer          user_data)
{
  g_return_if_fail (FP_IS_RETRY_POLICY (self));

  self->sleep_func = func;
  self->sleep_data = user_data;
}
