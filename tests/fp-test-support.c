/* fp-test-support.c — helpers shared by the tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-test"

#include "config.h"

#include <glib/gstdio.h>

#include "fp-test-support.h"

char *
fp_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("flagpole-test-XXXXXX", &error);

  g_assert_no_error (error);
  return path;
}

void
fp_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_remove (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      fp_test_remove_tree (child);
    }
  g_rmdir (path);
}
