/* fp-process-pool-protocol.c — the process pool's pipe: results and the retry policy as the worker processes read and write them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-process-pool"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "fp-engine-enums.h"
#include "fp-engine-types.h"
#include "fp-process-pool.h"

/*
 * A worker writes each result as one line of JSON on its stdout, its
 * tries included, on the monotonic clock every process of the machine
 * shares; it is given the batch's retry policy on its command line.
 */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * fp_process_pool_encode_result:
 * @started_us: when the worker began it, on the monotonic clock (which
 *   every process of the machine shares)
 *
 * Returns: (transfer full): @result as one line of JSON, without the newline
 */
char *
fp_process_pool_encode_result (FpDownloadResult *result,
                               gint64            started_us,
                               gint64            finished_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "cc", fp_download_result_get_code (result));
  add_string (builder, "status", fp_download_status_to_string (fp_download_result_get_status (result)));
  add_string (builder, "message", fp_download_result_get_message (result));
  add_string (builder, "error_code", fp_download_result_get_error_nick (result));
  json_builder_set_member_name (builder, "http_status");
  json_builder_add_int_value (builder, fp_download_result_get_http_status (result));
  add_string (builder, "url", fp_download_result_get_url (result));
  add_string (builder, "path", fp_download_result_get_path (result));
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) fp_download_result_get_size (result));
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, fp_download_result_get_width (result));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, fp_download_result_get_height (result));
  json_builder_set_member_name (builder, "elapsed");
  json_builder_add_double_value (builder, fp_download_result_get_elapsed (result));
  json_builder_set_member_name (builder, "started_us");
  json_builder_add_int_value (builder, started_us);
  json_builder_set_member_name (builder, "finished_us");
  json_builder_add_int_value (builder, finished_us);
  /* Its phases as the worker timed them (absolute; 0 for none). */
  {
    const FpDownloadTimeline *t = fp_download_result_get_timeline (result);
    const gint64 moments[] = {
      t->connect_start, t->connect_end, t->request_start, t->response_start, t->response_end,
      t->network_end, t->store_start, t->store_end,
    };

    json_builder_set_member_name (builder, "timeline");
    json_builder_begin_array (builder);
    for (guint i = 0; i < G_N_ELEMENTS (moments); i++)
      json_builder_add_int_value (builder, t->relative ? 0 : moments[i]);
    json_builder_end_array (builder);
    json_builder_set_member_name (builder, "response_bytes");
    json_builder_add_int_value (builder, (gint64) t->response_bytes);
    json_builder_set_member_name (builder, "response_status");
    json_builder_add_int_value (builder, t->http_status);
  }
  json_builder_set_member_name (builder, "tries");
  json_builder_begin_array (builder);
  for (guint i = 0; i < fp_download_result_get_n_tries (result); i++)
    {
      const FpDownloadTry *attempt = fp_download_result_get_try (result, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "started_us");
      json_builder_add_int_value (builder, attempt->started_us);
      json_builder_set_member_name (builder, "ended_us");
      json_builder_add_int_value (builder, attempt->ended_us);
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, attempt->http_status);
      add_string (builder, "message", attempt->message);
      json_builder_set_member_name (builder, "wait_us");
      json_builder_add_int_value (builder, attempt->wait_us);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/**
 * fp_process_pool_encode_fetched:
 * @code: the code whose network half is done
 *
 * Returns: (transfer full): the line that says so, without the newline:
 *   the worker checks and saves the flag meanwhile, and is free for the
 *   next code
 */
char *
fp_process_pool_encode_fetched (const char *code)
{
  g_autofree char *quoted = g_strescape (code, NULL);

  return g_strdup_printf ("{\"fetched\": \"%s\"}", quoted);
}

/**
 * fp_process_pool_decode_fetched:
 * @line: a line from a worker
 *
 * Returns: (transfer full) (nullable): the code @line says was fetched,
 *   or %NULL if it says something else (a result)
 */
char *
fp_process_pool_decode_fetched (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *code;

  if (!g_str_has_prefix (line, "{\"fetched\"") || !json_parser_load_from_data (parser, line, -1, NULL))
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  code = object != NULL ? get_string (object, "fetched") : NULL;
  return g_strdup (code);
}

/**
 * fp_process_pool_decode_result:
 * @line: what fp_process_pool_encode_result() made
 *
 * Returns: (transfer full) (nullable): the result, or %NULL with @error
 *   set when @line is not one
 */
FpDownloadResult *
fp_process_pool_decode_result (const char  *line,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FpDownloadResult) result = NULL;
  JsonObject *object;
  JsonArray *tries;
  JsonArray *moments;
  const char *code, *status_name, *path;
  int status = -1;

  if (!json_parser_load_from_data (parser, line, -1, error))
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  code = object != NULL ? get_string (object, "cc") : NULL;
  status_name = object != NULL ? get_string (object, "status") : NULL;
  for (int s = FP_DOWNLOAD_STATUS_OK; status_name != NULL && s <= FP_DOWNLOAD_STATUS_CANCELLED; s++)
    if (g_str_equal (status_name, fp_download_status_to_string (s)))
      status = s;
  if (code == NULL || status < 0)
    {
      g_set_error_literal (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                           _("not a download result"));
      return NULL;
    }

  if (status == FP_DOWNLOAD_STATUS_OK)
    result = fp_download_result_new (code, status, get_string (object, "message"));
  else
    {
      const char *nick = get_string (object, "error_code");
      int error_code = FP_DOWNLOAD_ERROR_FAILED;

      /* A failed result's error code decides its status: they must agree. */
      if (nick == NULL || !fp_enum_from_nick (FP_TYPE_DOWNLOAD_ERROR, nick, &error_code))
        error_code = status == FP_DOWNLOAD_STATUS_NOT_FOUND ? FP_DOWNLOAD_ERROR_NOT_FOUND
                   : status == FP_DOWNLOAD_STATUS_CANCELLED ? FP_DOWNLOAD_ERROR_CANCELLED
                   : FP_DOWNLOAD_ERROR_FAILED;
      result = fp_download_result_new_failed (code, error_code,
                                              (guint) json_object_get_int_member_with_default (object, "http_status", 0),
                                              get_string (object, "message"));
      if ((int) fp_download_result_get_status (result) != status)
        {
          g_set_error_literal (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                               _("not a download result"));
          return NULL;
        }
    }
  fp_download_result_set_url (result, get_string (object, "url"));
  path = get_string (object, "path");
  if (path != NULL)
    fp_download_result_set_saved (result, path,
                                  (gsize) json_object_get_int_member_with_default (object, "size", 0),
                                  (int) json_object_get_int_member_with_default (object, "width", -1),
                                  (int) json_object_get_int_member_with_default (object, "height", -1));
  fp_download_result_set_elapsed (result, json_object_get_double_member_with_default (object, "elapsed", 0.0));

  /* The phases, on the monotonic clock the processes share; the parent
   * adds when it was queued and on which slot it ran. */
  moments = json_object_has_member (object, "timeline") &&
            JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "timeline"))
          ? json_object_get_array_member (object, "timeline") : NULL;
  if (moments != NULL && json_array_get_length (moments) == 8)
    {
      FpDownloadTimeline t;
      gint64 *fields[] = {
        &t.connect_start, &t.connect_end, &t.request_start, &t.response_start, &t.response_end,
        &t.network_end, &t.store_start, &t.store_end,
      };

      fp_download_timeline_clear (&t);
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        *fields[i] = MAX (0, json_array_get_int_element (moments, i));
      t.started = MAX (0, json_object_get_int_member_with_default (object, "started_us", 0));
      t.finished = MAX (0, json_object_get_int_member_with_default (object, "finished_us", 0));
      t.http_status = (guint16) CLAMP (json_object_get_int_member_with_default (object, "response_status", 0), 0, 999);
      t.response_bytes = (guint64) MAX (0, json_object_get_int_member_with_default (object, "response_bytes", 0));
      fp_download_result_set_timeline (result, &t);
    }

  /* The tries, on the monotonic clock the processes share. */
  tries = json_object_has_member (object, "tries") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "tries"))
        ? json_object_get_array_member (object, "tries") : NULL;
  for (guint i = 0; tries != NULL && i < json_array_get_length (tries); i++)
    {
      JsonNode *node = json_array_get_element (tries, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      FpDownloadTry attempt = { 0 };

      if (entry == NULL)
        continue;
      attempt.started_us = json_object_get_int_member_with_default (entry, "started_us", 0);
      attempt.ended_us = json_object_get_int_member_with_default (entry, "ended_us", 0);
      attempt.http_status = (guint) CLAMP (json_object_get_int_member_with_default (entry, "http_status", 0),
                                           0, 999);
      attempt.message = (char *) get_string (entry, "message");
      attempt.wait_us = MAX (0, json_object_get_int_member_with_default (entry, "wait_us", 0));
      fp_download_result_add_try (result, &attempt);
    }
  return g_steal_pointer (&result);
}

/**
 * fp_process_pool_encode_retry_policy:
 *
 * Returns: (transfer full): @policy for a worker's command line:
 *   `RETRIES:FIRST_DELAY:MAX_DELAY:STATUS,STATUS…`, the HTTP statuses it
 *   retries
 */
char *
fp_process_pool_encode_retry_policy (FpRetryPolicy *policy)
{
  GString *text = g_string_new (NULL);
  char first[G_ASCII_DTOSTR_BUF_SIZE], max[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean any = FALSE;

  g_string_append_printf (text, "%u:%s:%s:", fp_retry_policy_get_max_retries (policy),
                          g_ascii_dtostr (first, sizeof first, fp_retry_policy_get_first_delay (policy)),
                          g_ascii_dtostr (max, sizeof max, fp_retry_policy_get_max_delay (policy)));
  for (guint status = 100; status < 600; status++)
    if (fp_retry_policy_is_transient (policy, NULL, FALSE, status))
      {
        g_string_append_printf (text, "%s%u", any ? "," : "", status);
        any = TRUE;
      }
  return g_string_free (text, FALSE);
}

/**
 * fp_process_pool_decode_retry_policy:
 * @text: what fp_process_pool_encode_retry_policy() made
 *
 * Returns: (transfer full) (nullable): the policy, or %NULL when @text is
 *   not one
 */
FpRetryPolicy *
fp_process_pool_decode_retry_policy (const char *text)
{
  g_auto(GStrv) fields = g_strsplit (text != NULL ? text : "", ":", 4);
  g_auto(GStrv) statuses = NULL;
  g_autoptr(FpRetryPolicy) policy = NULL;
  guint64 retries;
  char *end = NULL;
  double first, max;

  if (g_strv_length (fields) != 4 || !g_ascii_string_to_unsigned (fields[0], 10, 0, FP_MAX_RETRIES, &retries, NULL))
    return NULL;
  first = g_ascii_strtod (fields[1], &end);
  if (end == fields[1] || *end != '\0' || !(first >= 0))
    return NULL;
  max = g_ascii_strtod (fields[2], &end);
  if (end == fields[2] || *end != '\0' || !(max >= 0))
    return NULL;

  policy = fp_retry_policy_new ((guint) retries);
  fp_retry_policy_set_first_delay (policy, first);
  fp_retry_policy_set_max_delay (policy, max);
  for (guint status = 100; status < 600; status++)
    fp_retry_policy_set_retry_status (policy, status, FALSE);
  statuses = g_strsplit (fields[3], ",", -1);
  for (guint i = 0; statuses[i] != NULL; i++)
    {
      guint64 status;

      if (statuses[i][0] == '\0')
        continue;
      if (!g_ascii_string_to_unsigned (statuses[i], 10, 100, 599, &status, NULL))
        return NULL;
      fp_retry_policy_set_retry_status (policy, (guint) status, TRUE);
    }
  return g_steal_pointer (&policy);
}
