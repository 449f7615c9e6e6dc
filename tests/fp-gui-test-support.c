/* fp-gui-test-support.c — helpers shared by the GUI tests: set-up, settings, frames, screenshots
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-gui-test-support"

#include "config.h"

#include <glib/gstdio.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-flag-tile.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include "fp-window-private.h"

void
fp_gui_test_init (int    *argc,
                  char ***argv)
{
  /* A history of runs of this test program's own, never the user's:
   * set before GLib reads the variable, unless the test chose a folder. */
  if (g_getenv ("XDG_DATA_HOME") == NULL)
    {
      g_autofree char *data_home = g_dir_make_tmp ("flagpole-test-data-XXXXXX", NULL);

      if (data_home != NULL)
        g_setenv ("XDG_DATA_HOME", data_home, TRUE);
    }
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  fp_engine_init_i18n ();

  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);
}

FpApplication *
fp_gui_test_new_application (void)
{
  FpApplication *app = fp_application_new ();
  g_autoptr(GError) error = NULL;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

void
fp_gui_test_reset_settings (GSettings *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

void
fp_gui_test_settle (GtkWidget *widget)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  gtk_test_widget_wait_for_draw (widget);
}

void
fp_gui_test_save_screenshot (GtkWidget  *window,
                             const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  int width, height;

  gtk_test_widget_wait_for_draw (window);

  /* Drawn again from the widgets, with the window's own renderer, so the
   * picture is what the screen shows, without the X server in between. */
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  dir = g_test_build_filename (G_TEST_BUILT, "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

void
fp_gui_test_destroy_window (GtkWindow *window)
{
  GObject *object = g_object_ref (G_OBJECT (window));

  gtk_window_destroy (window);
  g_assert_finalize_object (object);
}

GtkWidget *
fp_gui_test_find_widget (GtkWidget           *widget,
                         FpGuiTestWidgetFunc  match,
                         gpointer             user_data)
{
  if (match (widget, user_data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fp_gui_test_find_widget (child, match, user_data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_of_type (GtkWidget *widget,
            gpointer   user_data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (user_data));
}

GtkWidget *
fp_gui_test_find_widget_of_type (GtkWidget *widget,
                                 GType      type)
{
  return fp_gui_test_find_widget (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
is_tile_waiting_for_thumbnail (GtkWidget *widget,
                               gpointer   user_data)
{
  return FP_IS_FLAG_TILE (widget) && fp_flag_tile_get_flag_file (FP_FLAG_TILE (widget)) != NULL &&
         fp_flag_tile_get_in_view (FP_FLAG_TILE (widget)) &&
         fp_flag_tile_get_thumbnail (FP_FLAG_TILE (widget)) == NULL;
}

static gboolean
thumbnails_shown (gpointer widget)
{
  return fp_gui_test_find_widget (widget, is_tile_waiting_for_thumbnail, NULL) == NULL;
}

void
fp_gui_test_wait_for_thumbnails (GtkWidget *widget,
                                 double     timeout_s)
{
  fp_test_iterate_until (thumbnails_shown, widget, timeout_s, "the tiles in view to show their thumbnails");
}

gboolean
fp_gui_test_grid_holds_batch (gpointer window)
{
  FpFlagGrid *grid = fp_window_get_flag_grid (FP_WINDOW (window));
  FpDownloadBatch *batch = fp_run_get_batch (fp_window_get_run (FP_WINDOW (window)));

  return !fp_flag_grid_get_loading (grid) && fp_flag_grid_get_n_flags (grid) >= fp_download_batch_get_n_ok (batch);
}
