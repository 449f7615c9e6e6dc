/* fp-bench-home.c — a benchmark process's own throwaway XDG data, cache and config folders
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window keeps a history of runs in $XDG_DATA_HOME and loads it at
 * start: a benchmark that wrote into the user's own would measure a
 * heavier window each run (each batch of 676 codes added ~120 KB), and
 * would fill the user's history with benchmark runs. Each benchmark
 * process gets fresh, empty folders instead, before GLib reads the
 * variables, and removes them when it is done.
 */
#define G_LOG_DOMAIN "fp-bench"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "fp-bench-home.h"

static const char * const variables[][2] = {
  { "XDG_DATA_HOME", "data" },
  { "XDG_CACHE_HOME", "cache" },
  { "XDG_CONFIG_HOME", "config" },
  { "XDG_STATE_HOME", "state" },
};

/**
 * fp_bench_home_new:
 *
 * Makes a temporary folder with one empty folder for each XDG user
 * directory and points the variables at them. Call it first in main(),
 * before anything asks GLib for a user directory (GLib reads each once).
 *
 * Returns: (transfer full): the folder, for fp_bench_home_clear()
 */
char *
fp_bench_home_new (GError **error)
{
  g_autofree char *home = g_dir_make_tmp ("flagpole-bench-home-XXXXXX", error);

  if (home == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *path = g_build_filename (home, variables[i][1], NULL);

      if (g_mkdir (path, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Cannot make %s: %s", path, g_strerror (saved_errno));
          fp_bench_home_clear (g_steal_pointer (&home));
          return NULL;
        }
      g_setenv (variables[i][0], path, TRUE);
    }

  return g_steal_pointer (&home);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Only what the process made: never follow a link out of the folder. */
  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && (dir = g_dir_open (path, 0, NULL)) != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        remove_tree (child);
      }

  if (g_remove (path) != 0)
    g_warning ("Cannot remove %s: %s", path, g_strerror (errno));
}

/**
 * fp_bench_home_clear:
 * @home: (transfer full) (nullable): from fp_bench_home_new()
 *
 * Removes the folder and everything in it, and frees @home.
 */
void
fp_bench_home_clear (char *home)
{
  if (home == NULL)
    return;
  remove_tree (home);
  g_free (home);
}
