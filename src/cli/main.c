/* main.c — flagpole-cli's entry point: locale, text domains, then the command line
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "flagpole-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "flagpole-engine.h"
#include "fp-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fp_engine_init_i18n ();

  return fp_cli_run (argc, argv);
}
