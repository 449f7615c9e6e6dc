/* main.c — starts Flagpole, the window that downloads the flags of the world concurrently
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "flagpole"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "flagpole-engine.h"
#include "fp-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FpApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fp_engine_init_i18n ();

  g_set_application_name (_("Flagpole"));

  app = fp_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
