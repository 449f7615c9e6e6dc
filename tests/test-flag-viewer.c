/* test-flag-viewer.c — the large view shows the right facts about a flag's file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-viewer"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <unistd.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-flag-viewer.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"

#define WAIT_S 60
#define ORIGIN_URL "http://127.0.0.1:8001/flags/br/br.png"

typedef struct
{
  char *dir;
  GListStore *flags;             /* DE, BR, JP */
  GtkWindow *parent;
  FpFlagViewer *viewer;
} Fixture;

static FpFlagFile *
load_flag (Fixture    *fixture,
           const char *code,
           const char *origin_url,
           gint64      mtime)
{
  g_autoptr(GBytes) bytes = fp_test_load_debian_flag (code);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *name = g_strconcat (lower, ".png", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  FpFlagFile *flag_file;

  fp_test_write_file (path, bytes);
  /* The engine records the source like this; it also works on tmpfs. */
  if (origin_url != NULL)
    {
      g_file_set_attribute_string (file, "xattr::xdg.origin.url", origin_url,
                                   G_FILE_QUERY_INFO_NONE, NULL, &error);
      g_assert_no_error (error);
    }
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, (guint64) mtime,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);

  flag_file = fp_flag_file_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  return flag_file;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autoptr(FpFlagFile) de = NULL;
  g_autoptr(FpFlagFile) br = NULL;
  g_autoptr(FpFlagFile) jp = NULL;

  fixture->dir = fp_test_make_temp_dir ();
  fixture->flags = g_list_store_new (FP_TYPE_FLAG_FILE);

  /* 2024-07-14 10:31:00 UTC; the tests run with TZ=UTC. */
  de = load_flag (fixture, "DE", "http://127.0.0.1:8001/flags/de/de.png", 1720953000 - 60);
  br = load_flag (fixture, "BR", ORIGIN_URL, 1720953060);
  jp = load_flag (fixture, "JP", NULL, 1720953120);
  g_list_store_append (fixture->flags, de);
  g_list_store_append (fixture->flags, br);
  g_list_store_append (fixture->flags, jp);

  fixture->parent = GTK_WINDOW (adw_application_window_new (NULL));
  gtk_window_set_default_size (fixture->parent, 900, 640);
  gtk_window_present (fixture->parent);

  fixture->viewer = FP_FLAG_VIEWER (fp_flag_viewer_new (G_LIST_MODEL (fixture->flags), br));
  gtk_window_set_transient_for (GTK_WINDOW (fixture->viewer), fixture->parent);
  g_object_add_weak_pointer (G_OBJECT (fixture->viewer), (gpointer *) &fixture->viewer);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  if (fixture->viewer != NULL)
    fp_gui_test_destroy_window (GTK_WINDOW (fixture->viewer));
  g_assert_null (fixture->viewer);

  fp_gui_test_destroy_window (fixture->parent);

  g_clear_object (&fixture->flags);
  fp_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static const char *
label_text (FpFlagViewer *viewer,
            const char   *name)
{
  GObject *label = gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, name);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
image_is_loaded (gpointer user_data)
{
  return fp_flag_viewer_get_image_loaded (FP_FLAG_VIEWER (user_data));
}

static gboolean
is_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (user_data));
}

static void
test_shows_facts (Fixture       *fixture,
                  gconstpointer  user_data)
{
  FpFlagViewer *viewer = fixture->viewer;
  GtkPicture *picture = GTK_PICTURE (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "picture"));
  GtkWidget *copy_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "copy_button"));
  AdwPreferencesRow *date_row = ADW_PREFERENCES_ROW (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "date_row"));
  g_autofree char *br_path = g_build_filename (fixture->dir, "br.png", NULL);
  g_autoptr(GBytes) br_bytes = fp_test_load_bytes (br_path);
  g_autofree char *file_size = g_format_size (g_bytes_get_size (br_bytes));
  GdkPaintable *paintable;

  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (image_is_loaded, viewer, WAIT_S, "the full image");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (viewer)), ==, "Brazil");
  g_assert_cmpstr (label_text (viewer, "title_label"), ==, "Brazil");
  g_assert_cmpstr (label_text (viewer, "code_label"), ==, "BR");
  g_assert_cmpstr (label_text (viewer, "pixel_size_label"), ==, "320 × 240 pixels");
  g_assert_cmpstr (label_text (viewer, "file_size_label"), ==, file_size);
  /* Named as a person knows it; the address is there to read and copy. */
  g_assert_cmpstr (label_text (viewer, "source_label"), ==, "The built-in server");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "source_row"))),
                   ==, ORIGIN_URL);
  g_assert_cmpstr (adw_preferences_row_get_title (date_row), ==, "Downloaded");
  g_assert_cmpstr (label_text (viewer, "date_label"), ==, "14 July 2024, 10:31");
  g_assert_true (gtk_widget_get_visible (copy_button));

  /* The big picture is the full image, not the thumbnail. */
  paintable = gtk_picture_get_paintable (picture);
  g_assert_true (GDK_IS_TEXTURE (paintable));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (paintable)), ==, 320);
  g_assert_cmpint (gdk_texture_get_height (GDK_TEXTURE (paintable)), ==, 240);

  fp_gui_test_save_screenshot (GTK_WIDGET (viewer), "flag-viewer-light");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  fp_gui_test_save_screenshot (GTK_WIDGET (viewer), "flag-viewer-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_unknown_origin (Fixture       *fixture,
                     gconstpointer  user_data)
{
  FpFlagViewer *viewer = fixture->viewer;
  g_autoptr(FpFlagFile) jp = g_list_model_get_item (G_LIST_MODEL (fixture->flags), 2);
  GtkWidget *copy_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "copy_button"));
  AdwPreferencesRow *date_row = ADW_PREFERENCES_ROW (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "date_row"));

  fp_flag_viewer_set_flag_file (viewer, jp);
  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (image_is_loaded, viewer, WAIT_S, "the full image");

  g_assert_cmpstr (label_text (viewer, "title_label"), ==, "Japan");
  g_assert_cmpstr (label_text (viewer, "source_label"), ==, "Unknown");
  g_assert_false (gtk_widget_get_visible (copy_button));
  /* Without an origin, nothing says the file was downloaded then. */
  g_assert_cmpstr (adw_preferences_row_get_title (date_row), ==, "Modified");
  g_assert_cmpstr (label_text (viewer, "date_label"), ==, "14 July 2024, 10:32");
}

static void
assert_inside_window (GtkWidget  *window,
                      GtkWidget  *widget,
                      const char *what)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_test_message ("%s at %.0f,%.0f %.0f×%.0f in a window of %d×%d", what,
                  bounds.origin.x, bounds.origin.y, bounds.size.width, bounds.size.height,
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
}

static void
test_real_size_narrow (Fixture       *fixture,
                       gconstpointer  user_data)
{
  /* A phone's width and a long name: the flag keeps its 320 × 240 and
   * both actions stay in the window, whatever scrolls. */
  FpFlagViewer *viewer = fixture->viewer;
  GtkWidget *picture = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "picture"));
  GtkWidget *open_button = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (viewer), FP_TYPE_FLAG_VIEWER, "open_button"));
  GtkWidget *folder_button = gtk_widget_get_next_sibling (open_button);
  g_autoptr(FpFlagFile) gs = load_flag (fixture, "GS", ORIGIN_URL, 1720953180);

  g_list_store_append (fixture->flags, gs);
  fp_flag_viewer_set_flag_file (viewer, gs);
  gtk_window_set_default_size (GTK_WINDOW (viewer), 360, 480);
  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (image_is_loaded, viewer, WAIT_S, "the full image");
  fp_gui_test_settle (GTK_WIDGET (viewer));

  g_assert_cmpstr (label_text (viewer, "title_label"), ==, "South Georgia and the South Sandwich Islands");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (viewer)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (picture), >=, 320);
  g_assert_cmpint (gtk_widget_get_height (picture), >=, 240);
  assert_inside_window (GTK_WIDGET (viewer), open_button, "Open");
  assert_inside_window (GTK_WIDGET (viewer), folder_button, "Open Folder");
  fp_gui_test_save_screenshot (GTK_WIDGET (viewer), "flag-viewer-360");
}

static const char *
shown_code (Fixture *fixture)
{
  return fp_flag_file_get_code (fp_flag_viewer_get_flag_file (fixture->viewer));
}

static void
test_previous_and_next (Fixture       *fixture,
                        gconstpointer  user_data)
{
  GtkWidget *viewer = GTK_WIDGET (fixture->viewer);
  g_autoptr(FpFlagFile) us = NULL;

  gtk_window_present (GTK_WINDOW (viewer));
  g_assert_cmpstr (shown_code (fixture), ==, "BR");

  gtk_widget_activate_action (viewer, "viewer.next", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "JP");
  g_assert_cmpstr (label_text (fixture->viewer, "title_label"), ==, "Japan");

  /* The last flag has no next one. */
  gtk_widget_activate_action (viewer, "viewer.next", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "JP");

  gtk_widget_activate_action (viewer, "viewer.previous", NULL);
  gtk_widget_activate_action (viewer, "viewer.previous", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "DE");
  gtk_widget_activate_action (viewer, "viewer.previous", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "DE");

  /* A flag that arrives while the view is open can be reached. */
  gtk_widget_activate_action (viewer, "viewer.next", NULL);
  gtk_widget_activate_action (viewer, "viewer.next", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "JP");
  us = load_flag (fixture, "US", NULL, 1720953180);
  g_list_store_append (fixture->flags, us);
  gtk_widget_activate_action (viewer, "viewer.next", NULL);
  g_assert_cmpstr (shown_code (fixture), ==, "US");
  g_assert_cmpstr (label_text (fixture->viewer, "title_label"), ==, "United States");
}

static void
text_read_cb (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source_object), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

static void
test_copy_address (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *viewer = GTK_WIDGET (fixture->viewer);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (viewer);
  g_autofree char *text = NULL;

  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (is_mapped, viewer, WAIT_S, "the view to show");

  g_assert_true (gtk_widget_activate_action (viewer, "viewer.copy-address", NULL));
  gdk_clipboard_read_text_async (clipboard, NULL, text_read_cb, &text);
  fp_test_iterate_until (is_set, &text, WAIT_S, "the clipboard");
  g_assert_cmpstr (text, ==, ORIGIN_URL);
}

static void
test_close_action (Fixture       *fixture,
                   gconstpointer  user_data)
{
  GtkWidget *viewer = GTK_WIDGET (fixture->viewer);

  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (is_mapped, viewer, WAIT_S, "the view to show");

  /* Escape is bound to this action; the view closes and goes away. */
  g_object_ref (viewer);
  g_assert_true (gtk_widget_activate_action (viewer, "window.close", NULL));
  g_assert_finalize_object (viewer);
  g_assert_null (fixture->viewer);
}

static gboolean
is_label_with_text (GtkWidget *widget,
                    gpointer   text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  return fp_gui_test_find_widget (widget, is_label_with_text, (gpointer) text);
}

static gboolean
shows_no_app_toast (gpointer user_data)
{
  return find_label (GTK_WIDGET (user_data), "No app could open the flag") != NULL;
}

static void
test_open_without_app (Fixture       *fixture,
                       gconstpointer  user_data)
{
  GtkWidget *viewer = GTK_WIDGET (fixture->viewer);

  gtk_window_present (GTK_WINDOW (viewer));
  fp_test_iterate_until (is_mapped, viewer, WAIT_S, "the view to show");

  /* main() left no application registered for any file: opening fails,
   * and the view says so rather than staying silent. */
  g_assert_null (find_label (viewer, "No app could open the flag"));
  g_assert_true (gtk_widget_activate_action (viewer, "viewer.open", NULL));
  fp_test_iterate_until (shows_no_app_toast, viewer, WAIT_S, "the toast saying the flag could not be opened");
}

/* A data folder with the icons, MIME types and settings schemas of the system but no
 * applications, so that "Open" never starts a program on the machine
 * running the tests. */
static char *
make_data_dir_without_apps (void)
{
  char *dir = fp_test_make_temp_dir ();
  const char *shared[] = { "icons", "mime", "glib-2.0" };

  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      g_autofree char *target = g_build_filename ("/usr/share", shared[i], NULL);
      g_autofree char *link = g_build_filename (dir, shared[i], NULL);

      g_assert_cmpint (symlink (target, link), ==, 0);
    }

  return dir;
}

static void
remove_data_dir (const char *dir)
{
  const char *shared[] = { "icons", "mime", "glib-2.0" };

  /* The links first, by name: nothing here may reach into /usr/share. */
  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      g_autofree char *link = g_build_filename (dir, shared[i], NULL);

      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_cmpint (g_unlink (link), ==, 0);
    }
  fp_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_dir = make_data_dir_without_apps ();
  g_autofree char *data_home = g_build_filename (data_dir, "home", NULL);
  g_autofree char *config_home = g_build_filename (data_dir, "config", NULL);
  int status;

  g_setenv ("XDG_DATA_DIRS", data_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);

  /* Dates in the view are local times; the expected strings are in UTC. */
  g_setenv ("TZ", "UTC", TRUE);

  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/flag-viewer/shows-facts", test_shows_facts);
  ADD_TEST ("/flag-viewer/unknown-origin", test_unknown_origin);
  ADD_TEST ("/flag-viewer/real-size-narrow", test_real_size_narrow);
  ADD_TEST ("/flag-viewer/previous-and-next", test_previous_and_next);
  ADD_TEST ("/flag-viewer/copy-address", test_copy_address);
  ADD_TEST ("/flag-viewer/close-action", test_close_action);
  ADD_TEST ("/flag-viewer/open-without-app", test_open_without_app);

  status = g_test_run ();
  remove_data_dir (data_dir);
  return status;
}
