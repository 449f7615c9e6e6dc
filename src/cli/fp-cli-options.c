/* fp-cli-options.c — flagpole-cli's options: parsed, checked, and made into a batch configuration
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fp-cli-private.h"

#define DEFAULT_DEST        "downloaded"
#define MAX_DELAY_S         60.0
#define MAX_TIMEOUT_S       3600.0

void
fp_cli_options_clear (FpCliOptions *options)
{
  g_free (options->limit);
  g_free (options->max_req);
  g_free (options->server);
  g_free (options->ext);
  g_free (options->strategy);
  g_free (options->order);
  g_free (options->dest);
  g_free (options->timeout);
  g_free (options->delay);
  g_free (options->error_rate);
  g_free (options->retry);
  g_free (options->trace);
  g_strfreev (options->codes);
  g_clear_object (&options->config);
  g_strfreev (options->selection);
}

/* Prints the book's usage error and returns the exit status for it. */
int
fp_cli_usage_error (const char *program,
                    const char *message)
{
  g_printerr ("%s%s\n", FP_CLI_USAGE_PREFIX, message);
  g_printerr (_("Try “%s --help” for more information.\n"), program);
  return FP_CLI_EXIT_USAGE;
}

char *
fp_cli_program_name (char **argv)
{
  return g_path_get_basename (argv != NULL && argv[0] != NULL ? argv[0] : "flagpole-cli");
}

gboolean
fp_cli_parse_uint (const char  *option,
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

gboolean
fp_cli_parse_error_rate (const char  *text,
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

/**
 * fp_cli_options_new_context:
 * @options: where the parsed values go
 * @program: the program's name, for --help
 *
 * Returns: (transfer full): the download command's option parser
 */
GOptionContext *
fp_cli_options_new_context (FpCliOptions *options,
                            const char   *program)
{
  GOptionContext *context;
  g_autofree char *description = NULL;
  /* The entries point into @options, which outlives the context. */
  const GOptionEntry entries[] = {
    { "all", 'a', 0, G_OPTION_ARG_NONE, &options->all,
      N_("Get all 249 ISO 3166-1 flags (AD to ZW)"), NULL },
    { "every", 'e', 0, G_OPTION_ARG_NONE, &options->every,
      N_("Get flags for every possible code (AA to ZZ)"), NULL },
    { "limit", 'l', 0, G_OPTION_ARG_STRING, &options->limit,
      N_("Limit to the first N codes (sorted)"), N_("N") },
    { "max-req", 'm', 0, G_OPTION_ARG_STRING, &options->max_req,
      N_("Concurrent downloads, 1 to 100 (default 20)"), N_("N") },
    { "server", 's', 0, G_OPTION_ARG_STRING, &options->server,
      N_("Where to download from: builtin (default), remote (the book’s site) or a base URL"),
      N_("SOURCE") },
    { "ext", 0, 0, G_OPTION_ARG_STRING, &options->ext,
      N_("Flag file extension on a URL source (default gif)"), N_("EXT") },
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &options->strategy,
      N_("sequential (one at a time), threads (a thread pool, default), async (an event loop) or processes (a process pool)"), N_("S") },
    { "order", 0, 0, G_OPTION_ARG_STRING, &options->order,
      N_("Report results as completed (default) or in the order submitted"), N_("O") },
    { "dest", 'd', 0, G_OPTION_ARG_FILENAME, &options->dest,
      N_("Destination folder (default ./downloaded)"), N_("DIR") },
    { "timeout", 0, 0, G_OPTION_ARG_STRING, &options->timeout,
      N_("Per-request timeout in seconds (default 10)"), N_("SECONDS") },
    { "delay", 0, 0, G_OPTION_ARG_STRING, &options->delay,
      N_("Built-in server latency per request, in seconds"), N_("MIN[:MAX]") },
    { "retry", 0, 0, G_OPTION_ARG_STRING, &options->retry,
      N_("Try a download again up to N times after a timeout, a reset or HTTP 408, 429, 500, 502, 503, 504 (default 0)"),
      N_("N") },
    { "error-rate", 0, 0, G_OPTION_ARG_STRING, &options->error_rate,
      N_("Built-in server share of “418 I’m a Teapot” answers, 0 to 1"), N_("P") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      N_("Print one line per code as it completes"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
      N_("Print the final report as one JSON object"), NULL },
    { "trace", 0, 0, G_OPTION_ARG_FILENAME, &options->trace,
      N_("Write the run as Chrome trace-event JSON (Perfetto opens it)"), N_("FILE") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->codes,
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
    _("Run “%s serve --help” for the built-in flag server on its own, "
      "“%s compare --help” for the timing table of every strategy.\n\n"
      "Exit status: 0 when the batch ran (even if some flags failed), "
      "1 when it could not run (for example, the destination cannot be written), "
      "2 for a usage error, 130 when interrupted with Ctrl+C."), program, program);
  g_option_context_set_description (context, description);

  return context;
}

/**
 * fp_cli_options_resolve:
 * @options: options as parsed
 * @program: the program's name, for messages
 *
 * Checks every option and expands the selection; on success fills
 * @options->config, the batch's configuration.
 *
 * Returns: %FP_CLI_EXIT_OK, or %FP_CLI_EXIT_USAGE after printing why
 */
int
fp_cli_options_resolve (FpCliOptions *options,
                        const char   *program)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpSource) source = NULL;
  g_autoptr(GFile) destination = NULL;
  guint max_req_n = FP_DEFAULT_CONCURRENCY;
  int strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  int order = FP_RESULT_ORDER_COMPLETED;
  int source_kind;
  double timeout_s = FP_DEFAULT_TIMEOUT_S;
  double delay_min = 0, delay_max = 0, error_rate = 0;
  guint retries = 0;
  guint limit_n = 0;

  /* An empty name would quietly mean the current folder. */
  if (options->dest != NULL && options->dest[0] == '\0')
    return fp_cli_usage_error (program, _("-d needs the name of a folder, not an empty one."));

  if (options->limit != NULL
      && !fp_cli_parse_uint ("--limit N", options->limit, 1, G_MAXUINT, &limit_n, &error))
    return fp_cli_usage_error (program, error->message);

  if (options->max_req != NULL
      && !fp_cli_parse_uint ("--max-req N", options->max_req, 1, FP_MAX_CONCURRENCY,
                      &max_req_n, &error))
    return fp_cli_usage_error (program, error->message);

  if (options->strategy != NULL
      && !fp_enum_from_nick (FP_TYPE_DOWNLOAD_STRATEGY, options->strategy, &strategy))
    {
      g_autofree char *message =
        g_strdup_printf (_("--strategy must be “sequential”, “threads”, “async” or “processes”, not “%s”."),
                         options->strategy);
      return fp_cli_usage_error (program, message);
    }

  if (options->order != NULL
      && !fp_enum_from_nick (FP_TYPE_RESULT_ORDER, options->order, &order))
    {
      g_autofree char *message =
        g_strdup_printf (_("--order must be “completed” or “submitted”, not “%s”."), options->order);
      return fp_cli_usage_error (program, message);
    }

  if (options->timeout != NULL
      && (!parse_double (options->timeout, &timeout_s)
          || timeout_s <= 0 || timeout_s > MAX_TIMEOUT_S))
    {
      g_autofree char *message =
        g_strdup_printf (_("--timeout must be a number of seconds above 0 and at most %.0f, not “%s”."),
                         MAX_TIMEOUT_S, options->timeout);
      return fp_cli_usage_error (program, message);
    }

  if (options->delay != NULL
      && !fp_cli_parse_delay (options->delay, &delay_min, &delay_max, &error))
    return fp_cli_usage_error (program, error->message);

  if (options->retry != NULL
      && !fp_cli_parse_uint ("--retry N", options->retry, 0, FP_MAX_RETRIES, &retries, &error))
    return fp_cli_usage_error (program, error->message);

  if (options->error_rate != NULL
      && !fp_cli_parse_error_rate (options->error_rate, &error_rate, &error))
    return fp_cli_usage_error (program, error->message);

  if (options->ext != NULL && !fp_source_extension_is_valid (options->ext))
    {
      g_autofree char *message =
        g_strdup_printf (_("--ext must be 1 to 8 letters or digits, not “%s”."), options->ext);
      return fp_cli_usage_error (program, message);
    }

  /* --server is a kind's keyword, or else a URL ("custom" is no keyword here). */
  source_kind = FP_SOURCE_KIND_BUILTIN;
  if (options->server != NULL &&
      (!fp_enum_from_nick (FP_TYPE_SOURCE_KIND, options->server, &source_kind) ||
       source_kind == FP_SOURCE_KIND_CUSTOM))
    source_kind = FP_SOURCE_KIND_CUSTOM;

  if (source_kind == FP_SOURCE_KIND_BUILTIN)
    {
      /* The built-in server holds Debian's PNG flags and nothing else: no --ext. */
      source = fp_source_new_builtin ();
    }
  else
    {
      g_autofree char *ext = options->ext != NULL ? g_ascii_strdown (options->ext, -1) : NULL;

      if (source_kind == FP_SOURCE_KIND_REMOTE)
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
              return fp_cli_usage_error (program, message);
            }
        }

      if (options->delay != NULL || options->error_rate != NULL)
        return fp_cli_usage_error (program,
                            _("--delay and --error-rate apply only to the built-in server (--server builtin)."));
    }

  options->selection = fp_country_catalog_expand (fp_country_catalog_get_default (),
                                                  (const char * const *) options->codes,
                                                  options->all, options->every,
                                                  limit_n, &error);
  if (options->selection == NULL)
    {
      /* The catalog's message may already carry the book's prefix. */
      if (g_str_has_prefix (error->message, FP_CLI_USAGE_PREFIX))
        return fp_cli_usage_error (program, error->message + strlen (FP_CLI_USAGE_PREFIX));
      return fp_cli_usage_error (program, error->message);
    }
  if (options->selection[0] == NULL)
    return fp_cli_usage_error (program, _("the selection has no country codes."));

  destination = g_file_new_for_commandline_arg (options->dest != NULL ? options->dest : DEFAULT_DEST);
  options->config = fp_batch_config_new ();
  fp_batch_config_set_codes (options->config, (const char * const *) options->selection);
  fp_batch_config_set_source (options->config, source);
  fp_batch_config_set_destination (options->config, destination);
  fp_batch_config_set_concurrency (options->config, max_req_n);
  fp_batch_config_set_strategy (options->config, strategy);
  fp_batch_config_set_order (options->config, order);
  fp_batch_config_set_timeout (options->config, timeout_s);
  fp_batch_config_set_retries (options->config, retries);
  fp_batch_config_set_server_delay (options->config, delay_min, delay_max);
  fp_batch_config_set_server_error_rate (options->config, error_rate);

  return FP_CLI_EXIT_OK;
}
