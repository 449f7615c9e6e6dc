/* fp-failure-summary.c — a batch's failures grouped by cause, and a source that could not be reached at all
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-failure-summary"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-download-result.h"
#include "fp-failure-summary.h"

/*
 * "0 flags downloaded, 0 not found, 20 errors" is true and says nothing.
 * This says what the twenty were: the failures grouped by cause, the
 * largest group first ("12 timed out after 2.0 s · 8 HTTP 418 I'm a
 * Teapot"). A cause is the error's code and the words the engine wrote
 * for it, so two timeouts group together and a 418 and a 503 do not.
 *
 * And when every request failed in the same way before any answer came
 * (nothing listening, a name that does not resolve, no route, no secure
 * connection), the batch did not fail twenty times: it could not reach its
 * source once. Then the summary has one headline naming the host and one
 * piece of advice, for a window's status page or a command line's last
 * line. With no network at all (GNetworkMonitor says so) and a source
 * that is not on this computer, the headline says that instead.
 */

typedef struct {
  FpDownloadError code;
  guint http_status;
  char *message;
  guint count;
  guint first;                 /* the position of its first result, to break ties */
} Cause;

struct _FpFailureSummary
{
  GObject parent_instance;

  GArray *causes;              /* Cause, the largest first */
  guint n_failed;
  gboolean unreachable;
  char *headline;
  char *advice;
};

G_DEFINE_FINAL_TYPE (FpFailureSummary, fp_failure_summary, G_TYPE_OBJECT)

static void
cause_clear (gpointer data)
{
  Cause *cause = data;

  g_clear_pointer (&cause->message, g_free);
}

static void
fp_failure_summary_finalize (GObject *object)
{
  FpFailureSummary *self = FP_FAILURE_SUMMARY (object);

  g_clear_pointer (&self->causes, g_array_unref);
  g_clear_pointer (&self->headline, g_free);
  g_clear_pointer (&self->advice, g_free);

  G_OBJECT_CLASS (fp_failure_summary_parent_class)->finalize (object);
}

static void
fp_failure_summary_class_init (FpFailureSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fp_failure_summary_finalize;
}

static void
fp_failure_summary_init (FpFailureSummary *self)
{
  self->causes = g_array_new (FALSE, FALSE, sizeof (Cause));
  g_array_set_clear_func (self->causes, cause_clear);
}

static int
compare_causes (gconstpointer a,
                gconstpointer b)
{
  const Cause *x = a;
  const Cause *y = b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static gboolean
is_reach_failure (FpDownloadError code)
{
  return code == FP_DOWNLOAD_ERROR_REFUSED || code == FP_DOWNLOAD_ERROR_DNS ||
         code == FP_DOWNLOAD_ERROR_UNREACHABLE || code == FP_DOWNLOAD_ERROR_TLS;
}

/* "127.0.0.1:9", "www.fluentpython.com": what a person types to reach it. */
static char *
describe_host (const char  *base_url,
               gboolean    *local)
{
  g_autoptr(GUri) uri = base_url != NULL ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  *local = FALSE;
  if (host == NULL || host[0] == '\0')
    return g_strdup (base_url != NULL ? base_url : "");

  address = g_inet_address_new_from_string (host);
  *local = g_ascii_strcasecmp (host, "localhost") == 0 ||
           (address != NULL && g_inet_address_get_is_loopback (address));

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6
                            ? "[%s]:%d" : "%s:%d", host, g_uri_get_port (uri));
  return g_strdup (host);
}

static void
explain_unreachable (FpFailureSummary *self,
                     const Cause      *cause,
                     const char       *base_url,
                     gboolean          network_available)
{
  gboolean local;
  g_autofree char *host = describe_host (base_url, &local);

  if (!network_available && !local &&
      (cause->code == FP_DOWNLOAD_ERROR_DNS || cause->code == FP_DOWNLOAD_ERROR_UNREACHABLE))
    {
      self->headline = g_strdup (_("No internet connection"));
      /* Translators: %s is a host name, such as www.fluentpython.com */
      self->advice = g_strdup_printf (_("%s cannot be reached without one. Connect to a network, "
                                        "or download from the built-in server (Preferences)."), host);
      return;
    }

  switch (cause->code)
    {
    case FP_DOWNLOAD_ERROR_REFUSED:
      /* Translators: %s is a host and port, such as 127.0.0.1:8001 */
      self->headline = g_strdup_printf (_("Nothing is listening at %s"), host);
      self->advice = g_strdup (_("Every connection was refused. Start the server there, "
                                 "or choose another source in Preferences."));
      break;
    case FP_DOWNLOAD_ERROR_DNS:
      self->headline = g_strdup_printf (_("The server “%s” was not found"), host);
      self->advice = g_strdup (_("Its name does not resolve. Check the address in Preferences, "
                                 "and the network connection."));
      break;
    case FP_DOWNLOAD_ERROR_UNREACHABLE:
      self->headline = g_strdup_printf (_("%s cannot be reached"), host);
      self->advice = g_strdup (_("There is no route to it. Check the network connection, "
                                 "or choose another source in Preferences."));
      break;
    case FP_DOWNLOAD_ERROR_TLS:
    default:
      self->headline = g_strdup_printf (_("No secure connection to %s"), host);
      /* Translators: %s is what went wrong, as in “secure connection failed: …” */
      self->advice = g_strdup_printf (_("Every request ended so: %s. Check the address in Preferences; "
                                        "HTTPS also needs the glib-networking package."), cause->message);
      break;
    }
}

/**
 * fp_failure_summary_new:
 * @results: (element-type FpDownloadResult): a batch's results, in any order
 * @base_url: (nullable): the batch's source, to name its host
 * @network_available: whether the computer has a network, as
 *   fp_failure_summary_network_available() tells
 *
 * Returns: (transfer full): the failures of @results, grouped by cause;
 *   cancelled downloads are not failures
 */
FpFailureSummary *
fp_failure_summary_new (GPtrArray  *results,
                        const char *base_url,
                        gboolean    network_available)
{
  FpFailureSummary *self;
  g_autoptr(GHashTable) by_key = NULL;
  guint n_answered = 0;

  g_return_val_if_fail (results != NULL, NULL);

  self = g_object_new (FP_TYPE_FAILURE_SUMMARY, NULL);
  by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, i);
      const GError *error = fp_download_result_get_error (result);
      g_autofree char *key = NULL;
      gpointer index;

      switch (fp_download_result_get_status (result))
        {
        case FP_DOWNLOAD_STATUS_OK:
        case FP_DOWNLOAD_STATUS_NOT_FOUND:
          n_answered++;
          continue;
        case FP_DOWNLOAD_STATUS_ERROR:
          break;
        case FP_DOWNLOAD_STATUS_CANCELLED:
        case FP_DOWNLOAD_STATUS_QUEUED:
        case FP_DOWNLOAD_STATUS_DOWNLOADING:
        default:
          continue;
        }

      self->n_failed++;
      if (fp_download_result_get_http_status (result) != 0)
        n_answered++;
      key = g_strdup_printf ("%d %u %s", error != NULL ? error->code : FP_DOWNLOAD_ERROR_FAILED,
                             fp_download_result_get_http_status (result),
                             fp_download_result_get_message (result));
      if (g_hash_table_lookup_extended (by_key, key, NULL, &index))
        {
          g_array_index (self->causes, Cause, GPOINTER_TO_UINT (index)).count++;
        }
      else
        {
          Cause cause = {
            .code = error != NULL ? (FpDownloadError) error->code : FP_DOWNLOAD_ERROR_FAILED,
            .http_status = fp_download_result_get_http_status (result),
            .message = g_strdup (fp_download_result_get_message (result)),
            .count = 1,
            .first = i,
          };
          g_hash_table_insert (by_key, g_steal_pointer (&key), GUINT_TO_POINTER (self->causes->len));
          g_array_append_val (self->causes, cause);
        }
    }

  g_array_sort (self->causes, compare_causes);

  /* One cause, no answer of any kind: the source itself was out of reach. */
  if (self->causes->len == 1 && n_answered == 0 &&
      is_reach_failure (g_array_index (self->causes, Cause, 0).code))
    {
      self->unreachable = TRUE;
      explain_unreachable (self, &g_array_index (self->causes, Cause, 0), base_url, network_available);
    }

  return self;
}

/* Returns: how many downloads failed (not found and cancelled ones are not failures) */
guint
fp_failure_summary_get_n_failed (FpFailureSummary *self)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), 0);
  return self->n_failed;
}

guint
fp_failure_summary_get_n_causes (FpFailureSummary *self)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), 0);
  return self->causes->len;
}

static const Cause *
get_cause (FpFailureSummary *self,
           guint             index)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), NULL);
  g_return_val_if_fail (index < self->causes->len, NULL);
  return &g_array_index (self->causes, Cause, index);
}

/* The causes go from the most failures to the fewest. */
guint
fp_failure_summary_get_cause_count (FpFailureSummary *self,
                                    guint             index)
{
  const Cause *cause = get_cause (self, index);
  return cause != NULL ? cause->count : 0;
}

const char *
fp_failure_summary_get_cause_message (FpFailureSummary *self,
                                      guint             index)
{
  const Cause *cause = get_cause (self, index);
  return cause != NULL ? cause->message : NULL;
}

FpDownloadError
fp_failure_summary_get_cause_code (FpFailureSummary *self,
                                   guint             index)
{
  const Cause *cause = get_cause (self, index);
  return cause != NULL ? cause->code : FP_DOWNLOAD_ERROR_FAILED;
}

/**
 * fp_failure_summary_format:
 * @max_causes: how many causes to name; the rest are counted together.
 *   0 names them all.
 *
 * Returns: (transfer full): "12 timed out after 2.0 s · 8 HTTP 418 I'm a
 *   Teapot", or an empty string when nothing failed
 */
char *
fp_failure_summary_format (FpFailureSummary *self,
                           guint             max_causes)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  guint shown, rest = 0;

  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), NULL);

  shown = max_causes == 0 ? self->causes->len : MIN (max_causes, self->causes->len);
  /* "1 other error" would name fewer words than the cause itself. */
  if (shown + 1 == self->causes->len)
    shown++;

  for (guint i = 0; i < self->causes->len; i++)
    {
      const Cause *cause = &g_array_index (self->causes, Cause, i);

      if (i < shown)
        /* Translators: a count of failures and their cause, as in “12 timed out after 2.0 s” */
        g_ptr_array_add (parts, g_strdup_printf (_("%u %s"), cause->count, cause->message));
      else
        rest += cause->count;
    }
  if (rest > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u other error", "%u other errors", rest), rest));
  g_ptr_array_add (parts, NULL);

  /* Translators: the separator between the causes of failures */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

/* Returns: whether every request failed the same way before any answer:
 *   the source could not be reached */
gboolean
fp_failure_summary_get_unreachable (FpFailureSummary *self)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), FALSE);
  return self->unreachable;
}

/* Returns: (nullable): for an unreachable source, what happened, naming
 *   the host ("Nothing is listening at 127.0.0.1:9") */
const char *
fp_failure_summary_get_headline (FpFailureSummary *self)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), NULL);
  return self->headline;
}

/* Returns: (nullable): for an unreachable source, what to do about it */
const char *
fp_failure_summary_get_advice (FpFailureSummary *self)
{
  g_return_val_if_fail (FP_IS_FAILURE_SUMMARY (self), NULL);
  return self->advice;
}

/**
 * fp_failure_summary_network_available:
 *
 * Returns: whether GIO's network monitor sees a network at all
 */
gboolean
fp_failure_summary_network_available (void)
{
  return g_network_monitor_get_network_available (g_network_monitor_get_default ());
}
