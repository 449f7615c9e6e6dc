/* fp-cli-report.c — flagpole-cli's reports: the book's first lines, -v lines, final report, JSON
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

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

  /* A run that never started has no results, and nothing failed. The
   * network monitor is asked only when something failed: the summary
   * reads it for no other case, and making GIO's default monitor costs
   * the process half a millisecond. */
  return fp_failure_summary_new (results != NULL ? results : none,
                                 batch != NULL ? fp_download_batch_get_base_url (batch) : NULL,
                                 fp_run_get_n_error (run) == 0 || fp_failure_summary_network_available ());
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

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* A failed code's "error_code" (the engine's stable nick), and its
 * "http_status" when the server answered. */
static void
add_error_code (JsonBuilder *builder,
                const char  *nick,
                guint        http_status)
{
  json_builder_set_member_name (builder, "error_code");
  json_builder_add_string_value (builder, nick);
  if (http_status != 0)
    {
      json_builder_set_member_name (builder, "http_status");
      json_builder_add_int_value (builder, http_status);
    }
}

static void
add_result (JsonBuilder      *builder,
            FpDownloadResult *result)
{
  FpDownloadStatus status = fp_download_result_get_status (result);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cc");
  json_builder_add_string_value (builder, fp_download_result_get_code (result));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, fp_download_status_to_string (status));
  add_string_or_null (builder, "message", fp_download_result_get_message (result));
  add_string_or_null (builder, "path",
                      status == FP_DOWNLOAD_STATUS_OK ? fp_download_result_get_path (result) : NULL);
  add_string_or_null (builder, "url", fp_download_result_get_url (result));
  if (status == FP_DOWNLOAD_STATUS_OK)
    {
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, fp_download_result_get_size (result));
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, fp_download_result_get_width (result));
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, fp_download_result_get_height (result));
    }
  if (fp_download_result_get_error (result) != NULL)
    add_error_code (builder, fp_download_result_get_error_nick (result),
                    fp_download_result_get_http_status (result));
  json_builder_set_member_name (builder, "tries");
  json_builder_add_int_value (builder, fp_download_result_get_n_tries (result));
  json_builder_set_member_name (builder, "elapsed_s");
  json_builder_add_double_value (builder, fp_download_result_get_elapsed (result));
  json_builder_end_object (builder);
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
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;
  g_autofree char *dest = NULL;
  GPtrArray *results = fp_run_get_results (run);
  g_autoptr(FpFailureSummary) summary = new_failure_summary (run);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_int_value (builder, fp_run_get_n_ok (run));
  json_builder_set_member_name (builder, "not_found");
  json_builder_add_int_value (builder, fp_run_get_n_not_found (run));
  json_builder_set_member_name (builder, "error");
  json_builder_add_int_value (builder, fp_run_get_n_error (run));
  json_builder_set_member_name (builder, "cancelled");
  json_builder_add_int_value (builder, fp_run_get_n_unfinished (run));
  json_builder_set_member_name (builder, "retries");
  json_builder_add_int_value (builder, batch != NULL ? fp_download_batch_get_n_retries (batch) : 0);
  json_builder_set_member_name (builder, "unreachable");
  if (fp_failure_summary_get_unreachable (summary))
    json_builder_add_string_value (builder, fp_failure_summary_get_headline (summary));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "requested");
  json_builder_add_int_value (builder, g_strv_length (options->selection));
  json_builder_set_member_name (builder, "elapsed_s");
  json_builder_add_double_value (builder, report_elapsed (run));
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, fp_run_get_workers (run));
  json_builder_set_member_name (builder, "max_req");
  json_builder_add_int_value (builder, fp_batch_config_get_concurrency (options->config));
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY,
                                                           fp_download_batch_get_strategy (batch)));
  json_builder_set_member_name (builder, "order");
  json_builder_add_string_value (builder, fp_enum_to_nick (FP_TYPE_RESULT_ORDER,
                                                           fp_download_batch_get_order (batch)));
  /* The cost of making the workers: the process pool's processes, the event loop's
   * thread, the thread pool's threads. */
  json_builder_set_member_name (builder, "startup_s");
  json_builder_add_double_value (builder, fp_download_batch_get_startup_time (batch));
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, fp_source_get_keyword (fp_batch_config_get_source (options->config)));
  json_builder_set_member_name (builder, "source");
  {
    /* The report is for reading and keeping: no password in it. */
    g_autofree char *source_url = fp_url_strip_credentials (fp_download_batch_get_base_url (batch));
    json_builder_add_string_value (builder, source_url);
  }
  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, fp_source_get_extension (fp_batch_config_get_source (options->config)));
  dest = g_file_get_path (fp_download_batch_get_destination (batch));
  add_string_or_null (builder, "destination", dest);
  json_builder_set_member_name (builder, "interrupted");
  json_builder_add_boolean_value (builder, interrupted);

  if (server != NULL)
    {
      /* What the server saw, so a reader can check the concurrency was real. */
      json_builder_set_member_name (builder, "builtin_server");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "requests");
      json_builder_add_int_value (builder, fp_flag_server_get_request_count (server));
      json_builder_set_member_name (builder, "peak_in_flight");
      json_builder_add_int_value (builder, fp_flag_server_get_peak_in_flight (server));
      json_builder_end_object (builder);
    }

  /* Completion order, as futures complete; the codes that never finished
   * come last as cancelled so every requested code is accounted for. */
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; results != NULL && i < results->len; i++)
    {
      FpDownloadResult *result = g_ptr_array_index (results, i);

      add_result (builder, result);
      g_hash_table_add (reported, (gpointer) fp_download_result_get_code (result));
    }
  for (guint i = 0; options->selection[i] != NULL; i++)
    {
      if (g_hash_table_contains (reported, options->selection[i]))
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cc");
      json_builder_add_string_value (builder, options->selection[i]);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, fp_download_status_to_string (FP_DOWNLOAD_STATUS_CANCELLED));
      add_string_or_null (builder, "message", "cancelled");
      add_string_or_null (builder, "path", NULL);
      add_error_code (builder, fp_enum_to_nick (FP_TYPE_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_CANCELLED), 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  /* Raw bytes: the report is UTF-8 whatever the locale's charset. */
  fputs (text, stdout);
  fputc ('\n', stdout);
  print_unreachable (summary);
}

