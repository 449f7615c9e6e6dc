/* fp-download-result.c — what became of one flag download (the future's value)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-download-result"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-download-result.h"
#include "fp-engine-enums.h"

/* A worker fills the result, then hands it to the main thread through its
 * GTask; after that nobody changes it, so readers need no lock. */
struct _FpDownloadResult
{
  GObject parent_instance;

  char *code;
  FpDownloadStatus status;
  char *message;
  char *url;
  char *path;
  gsize size;
  int width;
  int height;
  double elapsed;
  GArray *tries;               /* FpDownloadTry, in the order they were made */
  FpDownloadTimeline timeline;  /* by value: recording allocates nothing */
  GError *error;               /* FP_DOWNLOAD_ERROR; NULL only when OK */
  guint http_status;           /* 0 when no HTTP answer came */
};

G_DEFINE_FINAL_TYPE (FpDownloadResult, fp_download_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_URL,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_download_result_finalize (GObject *object)
{
  FpDownloadResult *self = FP_DOWNLOAD_RESULT (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->tries, g_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (fp_download_result_parent_class)->finalize (object);
}

static void
fp_download_result_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FpDownloadResult *self = FP_DOWNLOAD_RESULT (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_download_result_class_init (FpDownloadResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fp_download_result_finalize;
  object_class->get_property = fp_download_result_get_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       FP_TYPE_DOWNLOAD_STATUS, FP_DOWNLOAD_STATUS_QUEUED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_download_result_init (FpDownloadResult *self)
{
  self->width = -1;
  self->height = -1;
  /* A result nobody timed (a test's, a worker's that never ran) says so. */
  fp_download_timeline_clear (&self->timeline);
  fp_download_timeline_rebase (&self->timeline, 0);
}

static const char *
default_message (FpDownloadStatus status)
{
  switch (status)
    {
    case FP_DOWNLOAD_STATUS_OK:
      return _("downloaded");
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      return _("not found");
    case FP_DOWNLOAD_STATUS_CANCELLED:
      return _("cancelled");
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    case FP_DOWNLOAD_STATUS_ERROR:
    default:
      return _("failed");
    }
}

/* The status a failure's code means: 404 and a cancel are not "errors". */
static FpDownloadStatus
status_for_error (FpDownloadError error_code)
{
  switch (error_code)
    {
    case FP_DOWNLOAD_ERROR_NOT_FOUND:
      return FP_DOWNLOAD_STATUS_NOT_FOUND;
    case FP_DOWNLOAD_ERROR_CANCELLED:
      return FP_DOWNLOAD_STATUS_CANCELLED;
    default:
      return FP_DOWNLOAD_STATUS_ERROR;
    }
}

/**
 * fp_download_result_new_failed:
 * @code: the country code, upper case
 * @error_code: what went wrong; its status follows from it
 *   (%FP_DOWNLOAD_ERROR_NOT_FOUND is not found, %FP_DOWNLOAD_ERROR_CANCELLED
 *   cancelled, any other an error)
 * @http_status: the HTTP status the server answered, or 0 without one
 * @message: (nullable): what happened, for a person; %NULL gives the
 *   status's own wording
 *
 * Returns: (transfer full): a result carrying a #GError in the
 *   %FP_DOWNLOAD_ERROR domain with @error_code and @message
 */
FpDownloadResult *
fp_download_result_new_failed (const char      *code,
                               FpDownloadError  error_code,
                               guint            http_status,
                               const char      *message)
{
  FpDownloadStatus status = status_for_error (error_code);
  FpDownloadResult *self;

  g_return_val_if_fail (code != NULL, NULL);

  if (message == NULL)
    message = default_message (status);

  self = g_object_new (FP_TYPE_DOWNLOAD_RESULT, NULL);
  self->code = g_strdup (code);
  self->status = status;
  self->message = g_strdup (message);
  self->error = g_error_new_literal (FP_DOWNLOAD_ERROR, error_code, message);
  self->http_status = http_status;

  return self;
}

/**
 * fp_download_result_new:
 * @code: the country code, upper case
 * @status: what happened
 * @message: (nullable): what happened, for a person; %NULL gives the
 *   status's own wording
 *
 * A result by its status alone. One that is not OK still carries an error:
 * %FP_DOWNLOAD_ERROR_NOT_FOUND (HTTP 404), %FP_DOWNLOAD_ERROR_CANCELLED,
 * or %FP_DOWNLOAD_ERROR_FAILED; fp_download_result_new_failed() tells more.
 */
FpDownloadResult *
fp_download_result_new (const char       *code,
                        FpDownloadStatus  status,
                        const char       *message)
{
  FpDownloadResult *self;

  g_return_val_if_fail (code != NULL, NULL);

  switch (status)
    {
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      return fp_download_result_new_failed (code, FP_DOWNLOAD_ERROR_NOT_FOUND, 404, message);
    case FP_DOWNLOAD_STATUS_CANCELLED:
      return fp_download_result_new_failed (code, FP_DOWNLOAD_ERROR_CANCELLED, 0, message);
    case FP_DOWNLOAD_STATUS_ERROR:
      return fp_download_result_new_failed (code, FP_DOWNLOAD_ERROR_FAILED, 0, message);
    case FP_DOWNLOAD_STATUS_OK:
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    default:
      break;
    }

  self = g_object_new (FP_TYPE_DOWNLOAD_RESULT, NULL);
  self->code = g_strdup (code);
  self->status = status;
  self->message = g_strdup (message != NULL ? message : default_message (status));

  return self;
}

const char *
fp_download_result_get_code (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return self->code;
}

FpDownloadStatus
fp_download_result_get_status (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), FP_DOWNLOAD_STATUS_ERROR);
  return self->status;
}

const char *
fp_download_result_get_message (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return self->message;
}

const char *
fp_download_result_get_url (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return self->url;
}

/* Returns: (nullable): the saved file; only an OK result has one. */
const char *
fp_download_result_get_path (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return self->path;
}

gsize
fp_download_result_get_size (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), 0);
  return self->size;
}

int
fp_download_result_get_width (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), -1);
  return self->width;
}

int
fp_download_result_get_height (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), -1);
  return self->height;
}

/* Seconds from the worker picking the download up to its end. */
double
fp_download_result_get_elapsed (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), 0.0);
  return self->elapsed;
}

/**
 * fp_download_result_get_error:
 *
 * Returns: (transfer none) (nullable): why the download did not end with
 *   a saved flag, in the %FP_DOWNLOAD_ERROR domain; %NULL when it did. Its
 *   message is the result's message.
 */
const GError *
fp_download_result_get_error (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return self->error;
}

/* Returns: the HTTP status of a failed answer (404, 418, 503…), or 0. */
guint
fp_download_result_get_http_status (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), 0);
  return self->http_status;
}

/**
 * fp_download_result_get_error_nick:
 *
 * Returns: (nullable): the stable name of the error's code ("timeout",
 *   "http_status", "not_found"…), what the JSON report calls
 *   "error_code", or %NULL when the download succeeded
 */
const char *
fp_download_result_get_error_nick (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);

  if (self->error == NULL)
    return NULL;
  return fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, self->error->code);
}

void
fp_download_result_set_url (FpDownloadResult *self,
                            const char       *url)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  g_free (self->url);
  self->url = g_strdup (url);
}

void
fp_download_result_set_saved (FpDownloadResult *self,
                              const char       *path,
                              gsize             size,
                              int               width,
                              int               height)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  g_free (self->path);
  self->path = g_strdup (path);
  self->size = size;
  self->width = width;
  self->height = height;
}

void
fp_download_result_set_elapsed (FpDownloadResult *self,
                                double            elapsed)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  self->elapsed = elapsed;
}

static void
download_try_clear (gpointer data)
{
  FpDownloadTry *attempt = data;

  g_clear_pointer (&attempt->message, g_free);
}

/**
 * fp_download_result_add_try:
 * @attempt: one request made for this download; copied
 *
 * For the worker: records the tries in the order they were made.
 */
void
fp_download_result_add_try (FpDownloadResult    *self,
                            const FpDownloadTry *attempt)
{
  FpDownloadTry copy;

  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  g_return_if_fail (attempt != NULL);

  if (self->tries == NULL)
    {
      self->tries = g_array_new (FALSE, FALSE, sizeof (FpDownloadTry));
      g_array_set_clear_func (self->tries, download_try_clear);
    }
  copy = *attempt;
  copy.message = g_strdup (attempt->message);
  g_array_append_val (self->tries, copy);
}

/* Returns: how many requests the download made: 0 when it never started,
 *   more than 1 when it was retried. */
guint
fp_download_result_get_n_tries (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), 0);
  return self->tries != NULL ? self->tries->len : 0;
}

/**
 * fp_download_result_get_try:
 * @index: from 0 to fp_download_result_get_n_tries() - 1
 *
 * Returns: (transfer none): one request of the download
 */
const FpDownloadTry *
fp_download_result_get_try (FpDownloadResult *self,
                            guint             index)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  g_return_val_if_fail (self->tries != NULL && index < self->tries->len, NULL);
  return &g_array_index (self->tries, FpDownloadTry, index);
}

/**
 * fp_download_result_get_timeline:
 *
 * Returns: (transfer none): when each phase of the download happened, in
 *   µs from its batch's start, and which worker slot ran it
 */
const FpDownloadTimeline *
fp_download_result_get_timeline (FpDownloadResult *self)
{
  g_return_val_if_fail (FP_IS_DOWNLOAD_RESULT (self), NULL);
  return &self->timeline;
}

/* For the executor, before it hands the result over. */
void
fp_download_result_set_timeline (FpDownloadResult         *self,
                                 const FpDownloadTimeline *timeline)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  g_return_if_fail (timeline != NULL);
  self->timeline = *timeline;
}

/**
 * fp_download_result_finish_timeline:
 * @timeline: the download's, in absolute monotonic µs
 *
 * For a worker, once its download is over: ends @timeline now, gives the
 * result the time since it started (when it did) and a copy of it.
 */
void
fp_download_result_finish_timeline (FpDownloadResult   *self,
                                    FpDownloadTimeline *timeline)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  g_return_if_fail (timeline != NULL);

  timeline->finished = g_get_monotonic_time ();
  if (timeline->started != 0)
    self->elapsed = (timeline->finished - timeline->started) / (double) G_USEC_PER_SEC;
  self->timeline = *timeline;
}

/* For the batch, on the caller's thread, as it announces the result. */
void
fp_download_result_set_announced (FpDownloadResult *self,
                                  gint64            announced)
{
  g_return_if_fail (FP_IS_DOWNLOAD_RESULT (self));
  self->timeline.announced = announced;
}
