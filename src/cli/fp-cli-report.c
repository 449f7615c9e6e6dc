/* fp-cli-report.c — flagpole-cli's reports: the book's first lines, -v lines, final report, JSON
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "fp-cli-private.h"

/* The book's first lines: where from, which codes, how many at once; once @run started. */
void
fp_cli_report_initial (FpCliOptions *options,
                       FpRun        *run)
{
  guint n = g_strv_length (options->selection);
  guint workers = fp_run_get_workers (run);
  FpSource *source = fp_batch_config_get_source (options->config);
  g_autofree char *codes = NULL;

  if (n <= 10)
    codes = g_strjoinv (", ", options->selection);
  else
    codes = g_strdup_printf (_("from %s to %s"), options->selection[0], options->selection[n - 1]);

  /* The label is the --server keyword, left untranslated like the option. */
  {
    g_autofree char *shown = fp_url_strip_credentials (fp_download_batch_get_base_url (fp_run_get_batch (run)));
    g_print (_("%s site: %s\n"), fp_source_get_keyword (source), shown);
  }
  g_print (ngettext ("Searching for %u flag: %s\n", "Searching for %u flags: %s\n", n), n, codes);
  g_print (ngettext ("%u connection will be used.\n",
                     "%u concurrent connections will be used.\n", workers), workers);
}

static char *dup_status_line (FpDownloadResult *result);

/**
 * fp_cli_report_dup_line:
 * @result: a completed download
 *
 * Returns: (transfer full): its -v line, as in "BR ok" or "ZZ not found"
 */
char *
fp_cli_report_dup_line (FpDownloadResult *result)
{
  g_autofree char *line = dup_status_line (result);
  guint n = fp_download_result_get_n_tries (result);

  if (n <= 1)
    return g_steal_pointer (&line);
  /* Translators: a verbose line and how many requests it took, as in “BR ok (3 tries)” */
  return g_strdup_printf (ngettext ("%s (%u try)", "%s (%u tries)", n), line, n);
}

/*
 * Under the count of errors, what they were, the most common first; and
 * when every request failed the same way before any answer, one line that
 * says the source was out of reach and why, instead of N errors alone.
 */
static FpFailureSummary *
new_failure_summary (FpRun *run)
{
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  GPtrArray *results = fp_run_get_results (run);
  FpDownloadBatch *batch = fp_run_get_batch (run);

  /* A run that never started has no results, and nothing failed. */
  return fp_failure_summary_new (results != NULL ? results : none,
                                 batch != NULL ? fp_download_batch_get_base_url (batch) : NULL,
                                 fp_failure_summary_network_available ());
}

static void
print_unreachable (FpFailureSummary *summary)
{
  if (!fp_failure_summary_get_unreachable (summary))
    return;

  /* After the report, not inside it, whatever the buffering. */
  fflush (stdout);
  /* Translators: why a whole batch failed, as in “*** Nothing is listening
   * at 127.0.0.1:9 (connection refused): not one download got an answer.” */
  g_printerr (_("*** %s (%s): not one download got an answer.\n"),
              fp_failure_summary_get_headline (summary),
              fp_failure_summary_get_cause_message (summary, 0));
}

static char *
dup_status_line (FpDownloadResult *result)
{
  const char *code = fp_download_result_get_code (result);
  const char *message = fp_download_result_get_message (result);

  switch (fp_download_result_get_status (result))
    {
    case FP_DOWNLOAD_STATUS_OK:
      return g_strdup_printf (_("%s ok"), code);
    case FP_DOWNLOAD_STATUS_NOT_FOUND:
      return g_strdup_printf (_("%s not found"), code);
    case FP_DOWNLOAD_STATUS_CANCELLED:
      return g_strdup_printf (_("%s cancelled"), code);
    case FP_DOWNLOAD_STATUS_ERROR:
    case FP_DOWNLOAD_STATUS_QUEUED:
    case FP_DOWNLOAD_STATUS_DOWNLOADING:
    default:
      return g_strdup_printf (_("%s error: %s"), code,
                              message != NULL ? message : _("unknown error"));
    }
}

/* The run's time; a process pool's start-up is reported on its own line. */
static double
report_elapsed (FpRun *run)
{
  FpDownloadBatch *batch = fp_run_get_batch (run);
  double elapsed = fp_run_get_duration (run);

  if (batch != NULL && fp_download_batch_get_strategy (batch) == FP_DOWNLOAD_STRATEGY_PROCESSES)
    elapsed = MAX (0.0, elapsed - fp_download_batch_get_startup_time (batch));
  return elapsed;
}

/* The book's final report. */
void
fp_cli_report_final (FpRun *run)
{
  guint ok = fp_run_get_n_ok (run);
  guint not_found = fp_run_get_n_not_found (run);
  guint errors = fp_run_get_n_error (run);
  guint unfinished = fp_run_get_n_unfinished (run);
  FpDownloadBatch *batch = fp_run_get_batch (run);
  guint retries = batch != NULL ? fp_download_batch_get_n_retries (batch) : 0;
  g_autoptr(FpFailureSummary) summary = new_failure_summary (run);

  g_print ("--------------------\n");
  g_print (ngettext ("%3u flag downloaded.\n", "%3u flags downloaded.\n", ok), ok);
  if (not_found > 0)
    g_print (_("%3u not found.\n"), not_found);
  if (errors > 0)
    g_print (ngettext ("%3u error.\n", "%3u errors.\n", errors), errors);
  for (guint i = 0; i < fp_failure_summary_get_n_causes (summary); i++)
    g_print ("    %3u %s\n", fp_failure_summary_get_cause_count (summary, i),
             fp_failure_summary_get_cause_message (summary, i));
  if (unfinished > 0)
    g_print (_("%3u cancelled.\n"), unfinished);
  if (retries > 0)
    g_print (ngettext ("%3u retry.\n", "%3u retries.\n", retries), retries);
  g_print (_("Elapsed time: %.2fs\n"), report_elapsed (run));
  if (fp_download_batch_get_strategy (fp_run_get_batch (run)) == FP_DOWNLOAD_STRATEGY_PROCESSES)
    g_print (_("Worker processes started in %.2fs (not counted above).\n"),
             fp_download_batch_get_startup_time (fp_run_get_batch (run)));
  print_unreachable (summary);
}

/*
 * The JSON report is written straight into a string: json-glib's builder
 * and generator made a node for every value and took some 11 million
 * instructions for 249 results, at the very end of the run, after the
 * last download and before the process may exit. The writer below is the
 * little JSON needs: objects, arrays, strings escaped as RFC 8259 says,
 * numbers.
 */
typedef struct {
  GString *out;
  gboolean first;              /* no member yet in the object or array open now */
} JsonOut;

static void
json_next (JsonOut *json)
{
  if (!json->first)
    g_string_append_c (json->out, ',');
  json->first = FALSE;
}

static void
json_put_string (JsonOut    *json,
                 const char *value)
{
  const char *p = value;

  g_string_append_c (json->out, '"');
  while (*p != '\0')
    {
      const char *run = p;

      while (*p != '\0' && *p != '"' && *p != '\\' && (guchar) *p >= 0x20)
        p++;
      g_string_append_len (json->out, run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': g_string_append (json->out, "\\\""); break;
        case '\\': g_string_append (json->out, "\\\\"); break;
        case '\n': g_string_append (json->out, "\\n"); break;
        case '\r': g_string_append (json->out, "\\r"); break;
        case '\t': g_string_append (json->out, "\\t"); break;
        default: g_string_append_printf (json->out, "\\u%04x", (guint) (guchar) *p); break;
        }
      p++;
    }
  g_string_append_c (json->out, '"');
}

static void
json_member (JsonOut    *json,
             const char *name)
{
  json_next (json);
  json_put_string (json, name);
  g_string_append_c (json->out, ':');
}

static void
json_begin (JsonOut *json,
            char     bracket)
{
  g_string_append_c (json->out, bracket);
  json->first = TRUE;
}

static void
json_end (JsonOut *json,
          char     bracket)
{
  g_string_append_c (json->out, bracket);
  json->first = FALSE;
}

/* A string that is not valid UTF-8 (a path) is written as its display form. */
static void
add_string_or_null (JsonOut    *json,
                    const char *member,
                    const char *value)
{
  json_member (json, member);
  if (value == NULL)
    g_string_append (json->out, "null");
  else if (g_utf8_validate (value, -1, NULL))
    json_put_string (json, value);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      json_put_string (json, valid);
    }
}

static void
add_int (JsonOut    *json,
         const char *member,
         gint64      value)
{
  char digits[24];
  guint n = 0;
  guint64 magnitude = value < 0 ? 0 - (guint64) value : (guint64) value;

  json_member (json, member);
  /* By hand: printf's machinery cost more than the rest of the report. */
  do
    digits[n++] = (char) ('0' + magnitude % 10);
  while ((magnitude /= 10) != 0);
  if (value < 0)
    g_string_append_c (json->out, '-');
  while (n > 0)
    g_string_append_c (json->out, digits[--n]);
}

static void
add_double (JsonOut    *json,
            const char *member,
            double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  json_member (json, member);
  /* JSON has no NaN nor infinity. As json-glib wrote them: the C locale's
   * decimal point, 17 digits, and a whole number still looks like a double. */
  if (!isfinite (value))
    {
      g_string_append (json->out, "null");
      return;
    }
  g_ascii_dtostr (buffer, sizeof buffer, value);
  g_string_append (json->out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append (json->out, ".0");
}

static void
add_boolean (JsonOut    *json,
             const char *member,
             gboolean    value)
{
  json_member (json, member);
  g_string_append (json->out, value ? "true" : "false");
}

/* A failed code's "error_code" (the engine's stable nick), and its
 * "http_status" when the server answered. */
static void
add_error_code (JsonOut    *json,
                const char *nick,
                guint       http_status)
{
  add_string_or_null (json, "error_code", nick);
  if (http_status != 0)
    add_int (json, "http_status", http_status);
}

static void
add_result (JsonOut          *json,
            FpDownloadResult *result)
{
  FpDownloadStatus status = fp_download_result_get_status (result);

  json_next (json);
  json_begin (json, '{');
  add_string_or_null (json, "cc", fp_download_result_get_code (result));
  add_string_or_null (json, "status", fp_download_status_to_string (status));
  add_string_or_null (json, "message", fp_download_result_get_message (result));
  add_string_or_null (json, "path", status == FP_DOWNLOAD_STATUS_OK ? fp_download_result_get_path (result) : NULL);
  add_string_or_null (json, "url", fp_download_result_get_url (result));
  if (status == FP_DOWNLOAD_STATUS_OK)
    {
      add_int (json, "size", (gint64) fp_download_result_get_size (result));
      add_int (json, "width", fp_download_result_get_width (result));
      add_int (json, "height", fp_download_result_get_height (result));
    }
  if (fp_download_result_get_error (result) != NULL)
    add_error_code (json, fp_download_result_get_error_nick (result),
                    fp_download_result_get_http_status (result));
  add_int (json, "tries", fp_download_result_get_n_tries (result));
  add_double (json, "elapsed_s", fp_download_result_get_elapsed (result));
  json_end (json, '}');
}

/**
 * fp_cli_report_json:
 * @options: the options the run was made from
 * @run: a run that ended
 * @interrupted: whether Ctrl+C cut it short
 *
 * Prints the final report as one JSON object on stdout.
 */
void
fp_cli_report_json (FpCliOptions *options,
                    FpRun        *run,
                    gboolean      interrupted)
{
  FpDownloadBatch *batch = fp_run_get_batch (run);
  FpFlagServer *server = fp_run_get_server (run);
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) text = g_string_sized_new (256 * 200);
  JsonOut json = { text, TRUE };
  g_autofree char *dest = NULL;
  g_autofree char *source_url = NULL;
  GPtrArray *results = fp_run_get_results (run);
  g_autoptr(FpFailureSummary) summary = new_failure_summary (run);

  json_begin (&json, '{');
  add_int (&json, "ok", fp_run_get_n_ok (run));
  add_int (&json, "not_found", fp_run_get_n_not_found (run));
  add_int (&json, "error", fp_run_get_n_error (run));
  add_int (&json, "cancelled", fp_run_get_n_unfinished (run));
  add_int (&json, "retries", batch != NULL ? fp_download_batch_get_n_retries (batch) : 0);
  add_string_or_null (&json, "unreachable",
                      fp_failure_summary_get_unreachable (summary) ? fp_failure_summary_get_headline (summary)
                                                                   : NULL);
  add_int (&json, "requested", g_strv_length (options->selection));
  add_double (&json, "elapsed_s", report_elapsed (run));
  add_int (&json, "concurrency", fp_run_get_workers (run));
  add_int (&json, "max_req", fp_batch_config_get_concurrency (options->config));
  add_string_or_null (&json, "strategy", fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY,
                                                          fp_download_batch_get_strategy (batch)));
  add_string_or_null (&json, "order", fp_enum_to_nick (FP_TYPE_RESULT_ORDER, fp_download_batch_get_order (batch)));
  /* The process pool's cost of starting its processes, the event loop's of its thread. */
  add_double (&json, "startup_s", fp_download_batch_get_startup_time (batch));
  add_string_or_null (&json, "server", fp_source_get_keyword (fp_batch_config_get_source (options->config)));
  /* The report is for reading and keeping: no password in it. */
  source_url = fp_url_strip_credentials (fp_download_batch_get_base_url (batch));
  add_string_or_null (&json, "source", source_url);
  add_string_or_null (&json, "extension", fp_source_get_extension (fp_batch_config_get_source (options->config)));
  dest = g_file_get_path (fp_download_batch_get_destination (batch));
  add_string_or_null (&json, "destination", dest);
  add_boolean (&json, "interrupted", interrupted);

  if (server != NULL)
    {
      /* What the server saw, so a reader can check the concurrency was real. */
      json_member (&json, "builtin_server");
      json_begin (&json, '{');
      add_int (&json, "requests", fp_flag_server_get_request_count (server));
      add_int (&json, "peak_in_flight", fp_flag_server_get_peak_in_flight (server));
      json_end (&json, '}');
    }

  /* Completion order, as futures complete; the codes that never finished
   * come last as cancelled so every requested code is accounted for. */
  json_member (&json, "results");
  json_begin (&json, '[');
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, i);

      add_result (&json, result);
      g_hash_table_add (reported, (gpointer) fp_download_result_get_code (result));
    }
  for (guint i = 0; options->selection[i] != NULL; i++)
    {
      if (g_hash_table_contains (reported, options->selection[i]))
        continue;
      json_next (&json);
      json_begin (&json, '{');
      add_string_or_null (&json, "cc", options->selection[i]);
      add_string_or_null (&json, "status", fp_download_status_to_string (FP_DOWNLOAD_STATUS_CANCELLED));
      add_string_or_null (&json, "message", "cancelled");
      add_string_or_null (&json, "path", NULL);
      add_error_code (&json, fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_CANCELLED), 0);
      json_end (&json, '}');
    }
  json_end (&json, ']');
  json_end (&json, '}');

  /* Raw bytes: the report is UTF-8 whatever the locale's charset. */
  g_string_append_c (text, '\n');
  fwrite (text->str, 1, text->len, stdout);
  print_unreachable (summary);
}
