/* fp-cli.h — flagpole-cli: the book's flags2 programs on the Flagpole engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses, documented in "flagpole-cli --help". */
#define FP_CLI_EXIT_OK        0
#define FP_CLI_EXIT_FAILED    1
#define FP_CLI_EXIT_USAGE     2
#define FP_CLI_EXIT_CANCELLED 130

int       fp_cli_run             (int          argc,
                                  char       **argv);

gboolean  fp_cli_parse_delay     (const char  *text,
                                  double      *min_s,
                                  double      *max_s,
                                  GError     **error);

char     *fp_cli_format_progress (guint        done,
                                  guint        total,
                                  double       rate,
                                  double       seconds_left,
                                  guint        width,
                                  gboolean     unicode);

G_END_DECLS
