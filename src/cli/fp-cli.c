/* fp-cli.c — flagpole-cli: the book's flags2 programs on the Flagpole engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "flagpole-engine.h"
#include "fp-cli.h"

#define USAGE_PREFIX        "*** Usage error: "
#define DEFAULT_DEST        "downloaded"
#define DEFAULT_SERVE_PORT  8001
#define MAX_DELAY_S         60.0
#define MAX_TIMEOUT_S       3600.0
/* A redraw per completed flag would flood a slow terminal at thousands of
 * flags per second; twenty a second reads as smooth. */
#define PROGRESS_INTERVAL_US (G_USEC_PER_SEC / 20)

typedef struct
{
  /* Raw option values: numbers are parsed by hand so that every bad
   * value gets the same kind of message and exit status. */
  gboolean   all;
  gboolean   every;
  gboolean   verbose;
  gboolean   json;
  char      *limit;
  char      *max_req;
  char      *server;
  char      *ext;
  char      *strategy;
  char      *dest;
  char      *timeout;
  char      *delay;
  char      *error_rate;
  char      *retry;
  char     **codes;

  /* Parsed values: the batch's configuration, and what only the CLI uses. */
  FpBatchConfig     *config;
  guint              limit_n;
  guint              retry_n;
  double             delay_min;
  double             delay_max;
  double             error_rate_v;
  char             **selection;
} CliOptions;

typedef struct
{
  CliOptions      *options;
  GMainLoop       *loop;
  GCancellable    *cancellable;
  FpDownloadBatch *batch;
  GError          *run_error;
  gboolean         ran;
  gboolean         interrupted;
  gboolean         show_progress;
  gboolean         unicode;
  gint64           last_draw_us;
  gint64           start_us;
  double           elapsed_s;
} CliRun;

static void
cli_options_clear (CliOptions *options)
{
  g_free (options->limit);
  g_free (options->max_req);
  g_free (options->server);
  g_free (options->ext);
  g_free (options->strategy);
  g_free (options->dest);
  g_free (options->timeout);
  g_free (options->delay);
  g_free (options->error_rate);
  g_free (options->retry);
  g_strfreev (options->codes);
  g_clear_object (&options->config);
  g_strfreev (options->selection);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliOptions, cli_options_clear)

static int
usage_error (const char *program,
             const char *message)
{
  g_printerr ("%s%s\n", USAGE_PREFIX, message);
  g_printerr (_("Try “%s --help” for more information.\n"), program);
  return FP_CLI_EXIT_USAGE;
}

static gboolean
parse_uint (const char  *option,
            const char  *text,
            guint        min,
            guint        max,
            guint       *out,
            GError     **error)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      if (max == G_MAXUINT)
        g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                     _("%s must be a whole number of at least %u, not “%s”."),
                     option, min, text);
      else
        g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                     _("%s must be a whole number from %u to %u, not “%s”."),
                     option, min, max, text);
      return FALSE;
    }
  *out = (guint) value;
  return TRUE;
}

/* Locale-independent, so that "0.25" means the same in every language. */
static gboolean
parse_double (const char *text,
              double     *out)
{
  char *end = NULL;
  double value;

  if (text == NULL || *text == '\0' || g_ascii_isspace (*text))
    return FALSE;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (value))
    return FALSE;
  *out = value;
  return TRUE;
}

/**
 * fp_cli_parse_delay:
 * @text: "MIN" or "MIN:MAX", in seconds
 * @min_s: (out): the shortest delay
 * @max_s: (out): the longest delay; equal to @min_s when @text has no MAX
 * @error: a #GError
 *
 * Parses the value of --delay, the built-in server's latency.
 *
 * Returns: %TRUE when @text is two non-negative numbers of at most a
 *   minute with MIN ≤ MAX
 */
gboolean
fp_cli_parse_delay (const char  *text,
                    double      *min_s,
                    double      *max_s,
                    GError     **error)
{
  g_auto(GStrv) parts = NULL;
  double lo = 0, hi = 0;
  gboolean ok;

  g_return_val_if_fail (text != NULL, FALSE);

  parts = g_strsplit (text, ":", 0);
  ok = parts[0] != NULL && parse_double (parts[0], &lo);
  if (ok && parts[1] != NULL)
    ok = parts[2] == NULL && parse_double (parts[1], &hi);
  else
    hi = lo;

  if (!ok || lo < 0 || hi < lo || hi > MAX_DELAY_S)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("--delay must be MIN or MIN:MAX seconds with 0 ≤ MIN ≤ MAX ≤ %.0f, not “%s”."),
                   MAX_DELAY_S, text);
      return FALSE;
    }
  *min_s = lo;
  *max_s = hi;
  return TRUE;
}

static gboolean
parse_error_rate (const char  *text,
                  double      *out,
                  GError     **error)
{
  double value = 0;

  if (!parse_double (text, &value) || value < 0 || value > 1)
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_ARGUMENT,
                   _("--error-rate must be a number from 0 to 1, not “%s”."),
                   text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static char *
format_duration (double seconds)
{
  guint s;

  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("--:--");
  s = (guint) ceil (seconds);
  if (s >= 3600)
    return g_strdup_printf ("%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%02u:%02u", s / 60, s % 60);
}

/**
 * fp_cli_format_progress:
 * @done: downloads finished
 * @total: downloads in the batch
 * @rate: flags per second so far
 * @seconds_left: estimated time to the end, or a negative number when unknown
 * @width: the terminal's width in columns
 * @unicode: whether the terminal shows block characters
 *
 * Formats the one-line progress bar, what tqdm shows in the book:
 * percentage, bar, count, rate and time left, at most @width - 1 columns
 * wide so the terminal never wraps it.
 *
 * Returns: (transfer full): the line, without "\r" or newline
 */
char *
fp_cli_format_progress (guint    done,
                        guint    total,
                        double   rate,
                        double   seconds_left,
                        guint    width,
                        gboolean unicode)
{
  static const char *eighths[] = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" };
  g_autofree char *left = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *left_text = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GString) line = g_string_new (NULL);
  double fraction = total > 0 ? MIN (1.0, (double) done / total) : 1.0;
  glong used;
  glong bar_width;
  int total_digits;

  if (rate < 0 || !isfinite (rate))
    rate = 0;
  if (done >= total)
    seconds_left = 0;

  left = format_duration (seconds_left);
  rate_text = g_strdup_printf (_("%.1f flags/s"), rate);
  left_text = g_strdup_printf (_("%s left"), left);
  /* Fixed-width numbers keep the bar from jumping as they grow: the count
   * as wide as the total, the rate as wide as "999.9". */
  total_digits = g_snprintf (NULL, 0, "%u", total);
  tail = g_strdup_printf ("| %*u/%u  %s%s  %s", total_digits, done, total,
                          rate < 9.95 ? "  " : rate < 99.95 ? " " : "",
                          rate_text, left_text);

  g_string_append_printf (line, "%3d%%|", (int) floor (fraction * 100));
  used = g_utf8_strlen (line->str, -1) + g_utf8_strlen (tail, -1);
  bar_width = CLAMP ((glong) width - 1 - used, 10, 60);

  if (unicode)
    {
      double cells = fraction * bar_width;
      glong full = (glong) floor (cells);
      int eighth = (int) floor ((cells - full) * 8);
      glong drawn = full;

      for (glong i = 0; i < full; i++)
        g_string_append (line, "█");
      if (full < bar_width && eighth > 0)
        {
          g_string_append (line, eighths[eighth]);
          drawn++;
        }
      for (glong i = drawn; i < bar_width; i++)
        g_string_append_c (line, ' ');
    }
  else
    {
      glong full = (glong) floor (fraction * bar_width);

      for (glong i = 0; i < bar_width; i++)
        g_string_append_c (line, i < full ? '#' : ' ');
    }

  g_string_append (line, tail);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static guint
terminal_width (void)
{
  struct winsize size;
  const char *columns;
  guint64 value;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  columns = g_getenv ("COLUMNS");
  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 20, 1000, &value, NULL))
    return (guint) value;
  return 80;
}

static void
draw_progress (CliRun   *run,
               gboolean  force)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *line = NULL;

  if (!run->show_progress)
    return;
  if (!force && now - run->last_draw_us < PROGRESS_INTERVAL_US)
    return;
  run->last_draw_us = now;

  line = fp_cli_format_progress (fp_download_batch_get_n_done (run->batch),
                                 fp_download_batch_get_n_total (run->batch),
                                 fp_download_batch_get_rate (run->batch),
                                 fp_download_batch_get_seconds_left (run->batch),
                                 terminal_width (),
                                 run->unicode);
  /* "\033[K" clears what a longer earlier line left behind. */
  g_printerr ("\r%s\033[K", line);
}

/* -v lines go to stdout, unless stdout is reserved for the JSON report. */
static void
print_line (CliRun     *run,
            const char *text)
{
  if (run->options->json)
    g_printerr ("%s\n", text);
  else
    {
      g_print ("%s\n", text);
      /* Through a pipe (| tee, a test) each line shows as its future completes. */
      fflush (stdout);
    }
}

static void
download_completed_cb (FpDownloadBatch  *batch,
                       FpDownloadResult *result,
                       gpointer          user_data)
{
  CliRun *run = user_data;

  if (run->options->verbose)
    {
      const char *code = fp_download_result_get_code (result);
      const char *message = fp_download_result_get_message (result);
      g_autofree char *line = NULL;

      switch (fp_download_result_get_status (result))
        {
        case FP_DOWNLOAD_STATUS_OK:
          line = g_strdup_printf (_("%s ok"), code);
          break;
        case FP_DOWNLOAD_STATUS_NOT_FOUND:
          line = g_strdup_printf (_("%s not found"), code);
          break;
        case FP_DOWNLOAD_STATUS_CANCELLED:
          line = g_strdup_printf (_("%s cancelled"), code);
          break;
        case FP_DOWNLOAD_STATUS_ERROR:
        case FP_DOWNLOAD_STATUS_QUEUED:
        case FP_DOWNLOAD_STATUS_DOWNLOADING:
        default:
          line = g_strdup_printf (_("%s error: %s"), code,
                                  message != NULL ? message : _("unknown error"));
          break;
        }
      if (fp_download_result_get_n_tries (result) > 1)
        {
          guint n = fp_download_result_get_n_tries (result);
          char *with_tries;

          /* Translators: a verbose line and how many requests it took, as in “BR ok (3 tries)” */
          with_tries = g_strdup_printf (ngettext ("%s (%u try)", "%s (%u tries)", n), line, n);
          g_free (line);
          line = with_tries;
        }
      print_line (run, line);
    }

  draw_progress (run, fp_download_batch_get_n_done (batch) >= fp_download_batch_get_n_total (batch));
}

static void
batch_ran_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CliRun *run = user_data;

  run->elapsed_s = (g_get_monotonic_time () - run->start_us) / (double) G_USEC_PER_SEC;
  run->ran = fp_download_batch_run_finish (FP_DOWNLOAD_BATCH (object), result, &run->run_error);
  g_main_loop_quit (run->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  CliRun *run = user_data;

  /* A second Ctrl+C means "now": do not wait for requests to abort. */
  if (run->interrupted)
    {
      g_printerr ("\n");
      _exit (FP_CLI_EXIT_CANCELLED);
    }
  run->interrupted = TRUE;
  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_initial_report (CliOptions      *options,
                      FpDownloadBatch *batch)
{
  guint n = g_strv_length (options->selection);
  guint workers = fp_download_batch_get_workers (batch);
  FpSource *source = fp_batch_config_get_source (options->config);
  g_autofree char *codes = NULL;

  if (n <= 10)
    codes = g_strjoinv (", ", options->selection);
  else
    codes = g_strdup_printf (_("from %s to %s"), options->selection[0], options->selection[n - 1]);

  /* The label is the --server keyword, left untranslated like the option. */
  g_print (_("%s site: %s\n"), fp_source_get_keyword (source), fp_download_batch_get_base_url (batch));
  g_print (ngettext ("Searching for %u flag: %s\n", "Searching for %u flags: %s\n", n), n, codes);
  g_print (ngettext ("%u connection will be used.\n",
                     "%u concurrent connections will be used.\n", workers), workers);
}

static guint
count_unfinished (CliRun *run)
{
  guint n = g_strv_length (run->options->selection);
  guint finished = fp_download_batch_get_n_ok (run->batch)
                 + fp_download_batch_get_n_not_found (run->batch)
                 + fp_download_batch_get_n_error (run->batch);

  return n > finished ? n - finished : 0;
}

/*
 * Under the count of errors, what they were, the most common first; and
 * when every request failed the same way before any answer, one line that
 * says the source was out of reach and why, instead of N errors alone.
 */
static void
print_failure_causes (FpFailureSummary *summary)
{
  for (guint i = 0; i < fp_failure_summary_get_n_causes (summary); i++)
    g_print ("    %3u %s\n", fp_failure_summary_get_cause_count (summary, i),
             fp_failure_summary_get_cause_message (summary, i));
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

static void
print_final_report (CliRun *run)
{
  guint ok = fp_download_batch_get_n_ok (run->batch);
  guint not_found = fp_download_batch_get_n_not_found (run->batch);
  guint errors = fp_download_batch_get_n_error (run->batch);
  guint unfinished = count_unfinished (run);
  g_autoptr(FpFailureSummary) summary =
    fp_failure_summary_new (fp_download_batch_get_results (run->batch),
                            fp_download_batch_get_base_url (run->batch),
                            fp_failure_summary_network_available ());

  g_print ("--------------------\n");
  g_print (ngettext ("%3u flag downloaded.\n", "%3u flags downloaded.\n", ok), ok);
  if (not_found > 0)
    g_print (_("%3u not found.\n"), not_found);
  if (errors > 0)
    g_print (ngettext ("%3u error.\n", "%3u errors.\n", errors), errors);
  if (errors > 0)
    print_failure_causes (summary);
  if (unfinished > 0)
    g_print (_("%3u cancelled.\n"), unfinished);
  if (fp_download_batch_get_n_retries (run->batch) > 0)
    {
      guint retries = fp_download_batch_get_n_retries (run->batch);
      g_print (ngettext ("%3u retry.\n", "%3u retries.\n", retries), retries);
    }
  g_print (_("Elapsed time: %.2fs\n"), run->elapsed_s);
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

static void
print_json_report (CliRun       *run,
                   FpFlagServer *server)
{
  CliOptions *options = run->options;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) reported = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *text = NULL;
  g_autofree char *dest = NULL;
  GPtrArray *results = fp_download_batch_get_results (run->batch);
  g_autoptr(FpFailureSummary) summary =
    fp_failure_summary_new (results, fp_download_batch_get_base_url (run->batch),
                            fp_failure_summary_network_available ());

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_int_value (builder, fp_download_batch_get_n_ok (run->batch));
  json_builder_set_member_name (builder, "not_found");
  json_builder_add_int_value (builder, fp_download_batch_get_n_not_found (run->batch));
  json_builder_set_member_name (builder, "error");
  json_builder_add_int_value (builder, fp_download_batch_get_n_error (run->batch));
  json_builder_set_member_name (builder, "cancelled");
  json_builder_add_int_value (builder, count_unfinished (run));
  json_builder_set_member_name (builder, "retries");
  json_builder_add_int_value (builder, fp_download_batch_get_n_retries (run->batch));
  json_builder_set_member_name (builder, "unreachable");
  if (fp_failure_summary_get_unreachable (summary))
    json_builder_add_string_value (builder, fp_failure_summary_get_headline (summary));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "requested");
  json_builder_add_int_value (builder, g_strv_length (options->selection));
  json_builder_set_member_name (builder, "elapsed_s");
  json_builder_add_double_value (builder, run->elapsed_s);
  json_builder_set_member_name (builder, "concurrency");
  json_builder_add_int_value (builder, fp_download_batch_get_workers (run->batch));
  json_builder_set_member_name (builder, "max_req");
  json_builder_add_int_value (builder, fp_batch_config_get_concurrency (options->config));
  json_builder_set_member_name (builder, "strategy");
  json_builder_add_string_value (builder, fp_enum_to_nick (FP_TYPE_DOWNLOAD_STRATEGY,
                                                           fp_download_batch_get_strategy (run->batch)));
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, fp_source_get_keyword (fp_batch_config_get_source (options->config)));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, fp_download_batch_get_base_url (run->batch));
  json_builder_set_member_name (builder, "extension");
  json_builder_add_string_value (builder, fp_source_get_extension (fp_batch_config_get_source (options->config)));
  dest = g_file_get_path (fp_download_batch_get_destination (run->batch));
  add_string_or_null (builder, "destination", dest);
  json_builder_set_member_name (builder, "interrupted");
  json_builder_add_boolean_value (builder, run->interrupted);

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

static int
resolve_options (const char  *program,
                 CliOptions  *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpSource) source = NULL;
  g_autoptr(GFile) destination = NULL;
  guint max_req_n = FP_DEFAULT_CONCURRENCY;
  int strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  double timeout_s = FP_DEFAULT_TIMEOUT_S;

  options->limit_n = 0;
  if (options->limit != NULL
      && !parse_uint ("--limit N", options->limit, 1, G_MAXUINT, &options->limit_n, &error))
    return usage_error (program, error->message);

  if (options->max_req != NULL
      && !parse_uint ("--max-req N", options->max_req, 1, FP_MAX_CONCURRENCY,
                      &max_req_n, &error))
    return usage_error (program, error->message);

  if (options->strategy != NULL
      && !fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, options->strategy, &strategy))
    {
      g_autofree char *message =
        g_strdup_printf (_("--strategy must be “sequential” or “threads”, not “%s”."),
                         options->strategy);
      return usage_error (program, message);
    }

  if (options->timeout != NULL
      && (!parse_double (options->timeout, &timeout_s)
          || timeout_s <= 0 || timeout_s > MAX_TIMEOUT_S))
    {
      g_autofree char *message =
        g_strdup_printf (_("--timeout must be a number of seconds above 0 and at most %.0f, not “%s”."),
                         MAX_TIMEOUT_S, options->timeout);
      return usage_error (program, message);
    }

  if (options->retry != NULL
      && !parse_uint ("--retry N", options->retry, 0, FP_MAX_RETRIES, &options->retry_n, &error))
    return usage_error (program, error->message);

  if (options->delay != NULL
      && !fp_cli_parse_delay (options->delay, &options->delay_min, &options->delay_max, &error))
    return usage_error (program, error->message);

  if (options->error_rate != NULL
      && !parse_error_rate (options->error_rate, &options->error_rate_v, &error))
    return usage_error (program, error->message);

  if (options->ext != NULL && !fp_source_extension_is_valid (options->ext))
    {
      g_autofree char *message =
        g_strdup_printf (_("--ext must be 1 to 8 letters or digits, not “%s”."), options->ext);
      return usage_error (program, message);
    }

  if (options->server == NULL || g_ascii_strcasecmp (options->server, "builtin") == 0)
    {
      /* The built-in server holds Debian's PNG flags and nothing else: no --ext. */
      source = fp_source_new_builtin ();
    }
  else
    {
      g_autofree char *ext = options->ext != NULL ? g_ascii_strdown (options->ext, -1) : NULL;

      if (g_ascii_strcasecmp (options->server, "remote") == 0)
        {
          source = fp_source_new_remote (ext);
        }
      else
        {
          source = fp_source_new_url (options->server, ext, &error);
          if (source == NULL)
            {
              g_autofree char *message =
                g_strdup_printf (_("--server must be “builtin”, “remote” or an http(s) URL: %s"),
                                 error->message);
              return usage_error (program, message);
            }
        }

      if (options->delay != NULL || options->error_rate != NULL)
        return usage_error (program,
                            _("--delay and --error-rate apply only to the built-in server (--server builtin)."));
    }

  options->selection = fp_country_catalog_expand (fp_country_catalog_get_default (),
                                                  (const char * const *) options->codes,
                                                  options->all, options->every,
                                                  options->limit_n, &error);
  if (options->selection == NULL)
    {
      /* The catalog's message may already carry the book's prefix. */
      if (g_str_has_prefix (error->message, USAGE_PREFIX))
        return usage_error (program, error->message + strlen (USAGE_PREFIX));
      return usage_error (program, error->message);
    }
  if (options->selection[0] == NULL)
    return usage_error (program, _("the selection has no country codes."));

  destination = g_file_new_for_commandline_arg (options->dest != NULL ? options->dest : DEFAULT_DEST);
  options->config = fp_batch_config_new ();
  fp_batch_config_set_codes (options->config, (const char * const *) options->selection);
  fp_batch_config_set_source (options->config, source);
  fp_batch_config_set_destination (options->config, destination);
  fp_batch_config_set_concurrency (options->config, max_req_n);
  fp_batch_config_set_strategy (options->config, strategy);
  fp_batch_config_set_timeout (options->config, timeout_s);
  fp_batch_config_set_server_delay (options->config, options->delay_min, options->delay_max);
  fp_batch_config_set_server_error_rate (options->config, options->error_rate_v);

  return FP_CLI_EXIT_OK;
}

static int
download_flags (const char *program,
                CliOptions *options)
{
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(FpDownloadBatch) batch = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  CliRun run = { 0 };
  guint sigint_id, sigterm_id;
  int status;

  if (fp_source_get_kind (fp_batch_config_get_source (options->config)) == FP_SOURCE_KIND_BUILTIN)
    {
      server = fp_flag_server_new (NULL);
      fp_batch_config_apply_to_server (options->config, server);
      if (!fp_flag_server_start (server, 0, &error))
        {
          g_printerr (_("*** Error: cannot start the built-in server: %s\n"), error->message);
          return FP_CLI_EXIT_FAILED;
        }
    }

  batch = fp_batch_config_new_batch (options->config, server);
  fp_download_batch_set_retries (batch, options->retry_n);

  if (!options->json)
    print_initial_report (options, batch);

  run.options = options;
  run.loop = loop;
  run.cancellable = cancellable;
  run.batch = batch;
  run.show_progress = !options->verbose && isatty (STDERR_FILENO);
  run.unicode = g_get_charset (NULL);

  g_signal_connect (batch, "download-completed", G_CALLBACK (download_completed_cb), &run);
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupted_cb, &run);

  /* Stdout may be a pipe: what was printed must come out before the wait. */
  fflush (stdout);
  run.start_us = g_get_monotonic_time ();
  fp_download_batch_run_async (batch, cancellable, batch_ran_cb, &run);
  draw_progress (&run, TRUE);
  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (batch, &run);

  if (run.show_progress)
    {
      draw_progress (&run, TRUE);
      g_printerr ("\n");
    }

  if (!run.ran && !g_error_matches (run.run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr (_("*** Error: %s\n"), run.run_error->message);
      status = FP_CLI_EXIT_FAILED;
    }
  else
    {
      if (options->json)
        print_json_report (&run, server);
      else
        print_final_report (&run);

      if (!run.ran)
        {
          g_printerr (_("*** Interrupted: the downloads that had not finished were cancelled.\n"));
          status = FP_CLI_EXIT_CANCELLED;
        }
      else
        status = FP_CLI_EXIT_OK;
    }

  g_clear_error (&run.run_error);
  if (server != NULL)
    fp_flag_server_stop (server);
  fflush (stdout);
  return status;
}

static char *
program_name (char **argv)
{
  return g_path_get_basename (argv != NULL && argv[0] != NULL ? argv[0] : "flagpole-cli");
}

static int
download_command (int    argc,
                  char **argv)
{
  g_auto(CliOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *program = program_name (argv);
  g_autofree char *description = NULL;
  int status;
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &options.all,
      N_("Get all 249 ISO 3166-1 flags (AD to ZW)"), NULL },
    { "every", 'e', 0, G_OPTION_ARG_NONE, &options.every,
      N_("Get flags for every possible code (AA to ZZ)"), NULL },
    { "limit", 'l', 0, G_OPTION_ARG_STRING, &options.limit,
      N_("Limit to the first N codes (sorted)"), N_("N") },
    { "max-req", 'm', 0, G_OPTION_ARG_STRING, &options.max_req,
      N_("Concurrent downloads, 1 to 100 (default 20)"), N_("N") },
    { "server", 's', 0, G_OPTION_ARG_STRING, &options.server,
      N_("Where to download from: builtin (default), remote (the book’s site) or a base URL"),
      N_("SOURCE") },
    { "ext", 0, 0, G_OPTION_ARG_STRING, &options.ext,
      N_("Flag file extension on a URL source (default gif)"), N_("EXT") },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &options.strategy,
      N_("sequential (one at a time) or threads (default)"), N_("S") },
    { "dest", 'd', 0, G_OPTION_ARG_FILENAME, &options.dest,
      N_("Destination folder (default ./downloaded)"), N_("DIR") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &options.timeout,
      N_("Per-request timeout in seconds (default 10)"), N_("SECONDS") },
    { "delay", 0, 0, G_OPTION_ARG_STRING, &options.delay,
      N_("Built-in server latency per request, in seconds"), N_("MIN[:MAX]") },
    { "error-rate", 0, 0, G_OPTION_ARG_STRING, &options.error_rate,
      N_("Built-in server share of “418 I’m a Teapot” answers, 0 to 1"), N_("P") },
    { "retry", 0, 0, G_OPTION_ARG_STRING, &options.retry,
      N_("Try a download again up to N times after a timeout, a reset or HTTP 408, 429, 500, 502, 503, 504 (default 0)"),
      N_("N") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options.verbose,
      N_("Print one line per code as it completes"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      N_("Print the final report as one JSON object"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.codes,
      NULL, N_("[CC…]") },
    { NULL }
  };

  /* The option parser itself adds "[CC…]" from the G_OPTION_REMAINING entry. */
  context = g_option_context_new (_("— download the flags of countries"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Downloads flags for country codes, many at once. "
      "CC is a code (BR) or a first letter (B for BA…BZ). "
      "Default: the top 20 countries by population."));
  description = g_strdup_printf (
    _("Run “%s serve --help” for the built-in flag server on its own.\n\n"
      "Exit status: 0 when the batch ran (even if some flags failed), "
      "1 when it could not run (for example, the destination cannot be written), "
      "2 for a usage error, 130 when interrupted with Ctrl+C."), program);
  g_option_context_set_description (context, description);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (program, error->message);

  status = resolve_options (program, &options);
  if (status != FP_CLI_EXIT_OK)
    return status;

  return download_flags (program, &options);
}

typedef struct
{
  FpFlagServer *server;
  GMainLoop    *loop;
} ServeRun;

static void
print_server_counters (FpFlagServer *server)
{
  g_printerr (_("requests: %u, peak in flight: %u\n"),
              fp_flag_server_get_request_count (server),
              fp_flag_server_get_peak_in_flight (server));
}

static gboolean
serve_stop_cb (gpointer user_data)
{
  ServeRun *serve = user_data;

  g_main_loop_quit (serve->loop);
  return G_SOURCE_CONTINUE;
}

/* SIGUSR1 reports and resets the counters: a benchmark reads the peak in
 * flight of each run without restarting the server. */
static gboolean
serve_report_cb (gpointer user_data)
{
  ServeRun *serve = user_data;

  print_server_counters (serve->server);
  fp_flag_server_reset_counters (serve->server);
  return G_SOURCE_CONTINUE;
}

static int
serve_command (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *name = program_name (argv);
  g_autofree char *program = g_strdup_printf ("%s serve", name);
  g_autofree char *port = NULL;
  g_autofree char *delay = NULL;
  g_autofree char *error_rate = NULL;
  g_autofree char *dir = NULL;
  guint port_n = DEFAULT_SERVE_PORT;
  double delay_min = 0, delay_max = 0, error_rate_v = 0;
  g_auto(GStrv) sub_argv = NULL;
  ServeRun serve;
  guint ids[3];
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_STRING, &port,
      N_("Port on 127.0.0.1, 0 for a free one (default 8001)"), N_("N") },
    { "delay", 0, 0, G_OPTION_ARG_STRING, &delay,
      N_("Latency per request, in seconds"), N_("MIN[:MAX]") },
    { "error-rate", 0, 0, G_OPTION_ARG_STRING, &error_rate,
      N_("Share of “418 I’m a Teapot” answers, 0 to 1"), N_("P") },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Folder of {cc}.png flags to serve (default: Debian’s flags)"), N_("DIR") },
    { NULL }
  };

  context = g_option_context_new (_("— serve flags in the book’s layout"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Runs the built-in flag server, the book’s slow_server.py, until Ctrl+C. "
      "Flags are at {base}/{cc}/{cc}.png and metadata at {base}/{cc}/metadata.json. "
      "SIGUSR1 prints the request count and the peak in flight to stderr and resets them."));

  /* Parse "PROGRAM serve" as one program name, so that --help shows
   * "flagpole-cli serve [OPTION…]" and the rest parses as usual. */
  sub_argv = g_new0 (char *, argc);
  sub_argv[0] = g_strdup_printf ("%s serve", argv[0]);
  for (int i = 2; i < argc; i++)
    sub_argv[i - 1] = g_strdup (argv[i]);
  if (!g_option_context_parse_strv (context, &sub_argv, &error))
    return usage_error (program, error->message);
  if (g_strv_length (sub_argv) > 1)
    {
      g_autofree char *message = g_strdup_printf (_("serve takes no arguments, got “%s”."), sub_argv[1]);
      return usage_error (program, message);
    }
  if (port != NULL && !parse_uint ("--port N", port, 0, 65535, &port_n, &error))
    return usage_error (program, error->message);
  if (delay != NULL && !fp_cli_parse_delay (delay, &delay_min, &delay_max, &error))
    return usage_error (program, error->message);
  if (error_rate != NULL && !parse_error_rate (error_rate, &error_rate_v, &error))
    return usage_error (program, error->message);
  if (dir != NULL && !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *message = g_strdup_printf (_("--dir “%s” is not a folder."), dir);
      return usage_error (program, message);
    }

  server = fp_flag_server_new (dir);
  fp_flag_server_set_delay (server, delay_min, delay_max);
  fp_flag_server_set_error_rate (server, error_rate_v);
  if (!fp_flag_server_start (server, port_n, &error))
    {
      g_printerr (_("*** Error: cannot start the flag server: %s\n"), error->message);
      return FP_CLI_EXIT_FAILED;
    }

  /* The first line of stdout is the contract with scripts and tests. */
  g_print (_("Serving flags at %s\n"), fp_flag_server_get_base_url (server));
  fflush (stdout);
  g_printerr (_("Press Ctrl+C to stop.\n"));

  loop = g_main_loop_new (NULL, FALSE);
  serve.server = server;
  serve.loop = loop;
  ids[0] = g_unix_signal_add (SIGINT, serve_stop_cb, &serve);
  ids[1] = g_unix_signal_add (SIGTERM, serve_stop_cb, &serve);
  ids[2] = g_unix_signal_add (SIGUSR1, serve_report_cb, &serve);
  g_main_loop_run (loop);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_source_remove (ids[i]);

  print_server_counters (server);
  fp_flag_server_stop (server);
  return FP_CLI_EXIT_OK;
}

/**
 * fp_cli_run:
 * @argc: the number of arguments
 * @argv: the arguments, the program's name first
 *
 * Runs flagpole-cli: downloads a selection of flags with the book's flags2
 * options and report, or with "serve" as the first argument runs the
 * built-in flag server in the foreground. The caller has set the locale
 * and bound the text domains.
 *
 * Returns: the exit status (see FP_CLI_EXIT_*)
 */
int
fp_cli_run (int    argc,
            char **argv)
{
  g_return_val_if_fail (argc >= 1, FP_CLI_EXIT_USAGE);

  if (argc >= 2 && g_strcmp0 (argv[1], "serve") == 0)
    return serve_command (argc, argv);
  return download_command (argc, argv);
}
