/* fp-cli-private.h — what the pieces of flagpole-cli share: options, reports, progress, serve
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "flagpole-engine.h"
#include "fp-cli.h"

G_BEGIN_DECLS

/*
 * flagpole-cli in pieces, each in its own file:
 *   fp-cli.c          the download command: options → FpRun → report, Ctrl+C
 *   fp-cli-options.c  parsing and checking options into an FpBatchConfig
 *   fp-cli-report.c   the book's reports: first lines, -v lines, final, JSON
 *   fp-cli-progress.c the one-line progress bar on a terminal
 *   fp-cli-serve.c    "flagpole-cli serve", the built-in server on its own
 *   fp-cli-compare.c  "flagpole-cli compare", the timing table of every strategy
 * Nothing outside src/cli sees this header.
 */

#define FP_CLI_USAGE_PREFIX "*** Usage error: "

/* The download command's options: as given, then as understood. */
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
  char      *order;
  char      *dest;
  char      *timeout;
  char      *delay;
  char      *error_rate;
  char      *retry;
  char      *trace;
  char     **codes;

  /* Understood: the batch's configuration, and the expanded selection. */
  FpBatchConfig *config;
  char         **selection;
} FpCliOptions;

void            fp_cli_options_clear          (FpCliOptions  *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FpCliOptions, fp_cli_options_clear)

GOptionContext *fp_cli_options_new_context    (FpCliOptions  *options,
                                               const char    *program);
int             fp_cli_options_resolve        (FpCliOptions  *options,
                                               const char    *program);

int             fp_cli_usage_error            (const char    *program,
                                               const char    *message);
char           *fp_cli_program_name           (char         **argv);
gboolean        fp_cli_parse_uint             (const char    *option,
                                               const char    *text,
                                               guint          min,
                                               guint          max,
                                               guint         *out,
                                               GError       **error);
gboolean        fp_cli_parse_error_rate       (const char    *text,
                                               double        *out,
                                               GError       **error);

void            fp_cli_report_initial         (FpCliOptions  *options,
                                               FpRun         *run);
char           *fp_cli_report_dup_line        (FpDownloadResult *result);
void            fp_cli_report_final           (FpRun         *run);
void            fp_cli_report_json            (FpCliOptions  *options,
                                               FpRun         *run,
                                               gboolean       interrupted);

/* The progress line, redrawn at most PROGRESS_INTERVAL apart. */
typedef struct
{
  gboolean shown;              /* on a terminal, without -v */
  gboolean unicode;
  gint64   last_draw_us;
} FpCliProgress;

void            fp_cli_progress_init          (FpCliProgress *progress,
                                               gboolean       shown);
void            fp_cli_progress_draw          (FpCliProgress *progress,
                                               FpRun         *run,
                                               gboolean       force);
void            fp_cli_progress_end           (FpCliProgress *progress,
                                               FpRun         *run);

/* Ctrl+C and SIGTERM: the first cancels, a second exits at once. */
typedef struct
{
  void     (*cancel) (gpointer data);
  gpointer   data;
  gboolean   interrupted;
  guint      source_ids[2];
} FpCliInterrupt;

void            fp_cli_interrupt_catch        (FpCliInterrupt *interrupt,
                                               void          (*cancel) (gpointer data),
                                               gpointer        data);
void            fp_cli_interrupt_release      (FpCliInterrupt *interrupt);

int             fp_cli_serve                  (int            argc,
                                               char         **argv);
int             fp_cli_compare                (int            argc,
                                               char         **argv);
gboolean        fp_cli_write_trace            (FpCliOptions  *options,
                                               FpRun         *run);

G_END_DECLS
