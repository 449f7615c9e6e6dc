/* test-flag-grid.c — the gallery lists a folder's flags in arrival order and follows the batch
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-flag-grid"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-flag-grid.h"
#include "fp-flag-tile-private.h"
#include "fp-flag-viewer.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"

#define WAIT_S 60

typedef struct
{
  char *dir;
  GFile *folder;
  GtkWindow *window;
  FpFlagGrid *grid;
  gint64 next_mtime;             /* seconds since the epoch, for the next file */
} Fixture;

/* Writes @name in the folder with an mtime one minute after the last
 * file's, so the order on disk is the order of the calls. */
static GFile *
write_flag (Fixture    *fixture,
            const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  fp_test_write_file (path, bytes);
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                               (guint64) fixture->next_mtime,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  fixture->next_mtime += 60;

  return g_steal_pointer (&file);
}

static GFile *
write_debian_flag (Fixture    *fixture,
                   const char *code)
{
  g_autoptr(GBytes) bytes = fp_test_load_debian_flag (code);
  g_autofree char *lower = g_ascii_strdown (code, -1);
  g_autofree char *name = g_strconcat (lower, ".png", NULL);

  return write_flag (fixture, name, bytes);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  AdwHeaderBar *header_bar;
  GtkWidget *box;

  fixture->dir = fp_test_make_temp_dir ();
  fixture->folder = g_file_new_for_path (fixture->dir);
  fixture->next_mtime = 1700000000;

  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 640);
  gtk_window_set_title (fixture->window, "Flagpole");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header_bar = ADW_HEADER_BAR (adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (header_bar));
  fixture->grid = FP_FLAG_GRID (fp_flag_grid_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->grid), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->grid));
  adw_window_set_content (ADW_WINDOW (fixture->window), box);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* Nothing else may keep the grid either. */
  g_object_add_weak_pointer (G_OBJECT (fixture->grid), (gpointer *) &fixture->grid);
  fp_gui_test_destroy_window (fixture->window);
  g_assert_null (fixture->grid);

  fp_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_object (&fixture->folder);
}

static gboolean
grid_is_idle (gpointer user_data)
{
  return !fp_flag_grid_get_loading (FP_FLAG_GRID (user_data));
}

static void
wait_for_grid (FpFlagGrid *grid)
{
  fp_test_iterate_until (grid_is_idle, grid, WAIT_S, "the grid to load its flags");
}

/* The grid's codes in order, joined by spaces, so a failure shows all. */
static char *
dup_grid_codes (FpFlagGrid *grid)
{
  GListModel *flags = fp_flag_grid_get_flags (grid);
  g_autoptr(GString) codes = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (flags); i++)
    {
      g_autoptr(FpFlagFile) flag_file = g_list_model_get_item (flags, i);

      if (i > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, fp_flag_file_get_code (flag_file));
    }

  return g_string_free (g_steal_pointer (&codes), FALSE);
}

static const char *
visible_page (FpFlagGrid *grid)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (grid), FP_TYPE_FLAG_GRID, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static FpDownloadResult *
make_ok_result (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *code = g_ascii_strup (basename, 2);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  FpDownloadResult *result = fp_download_result_new (code, FP_DOWNLOAD_STATUS_OK, NULL);

  g_assert_nonnull (info);
  fp_download_result_set_saved (result, path, g_file_info_get_size (info), 320, 240);
  return result;
}

static gboolean
tile_shows (GtkWidget *widget,
            gpointer   flag_file)
{
  return FP_IS_FLAG_TILE (widget) && fp_flag_tile_get_flag_file (FP_FLAG_TILE (widget)) == flag_file;
}

static gboolean
tile_has_thumbnail (gpointer tile)
{
  return fp_flag_tile_get_thumbnail (tile) != NULL;
}

/* The thumbnail the grid's tile for @flag_file shows, once made. */
static GdkTexture *
get_tile_texture (FpFlagGrid *grid,
                  FpFlagFile *flag_file)
{
  GtkWidget *tile = fp_gui_test_find_widget (GTK_WIDGET (grid), tile_shows, flag_file);

  g_assert_nonnull (tile);
  fp_test_iterate_until (tile_has_thumbnail, tile, WAIT_S, "a tile's thumbnail");
  return fp_thumbnail_get_texture (fp_flag_tile_get_thumbnail (FP_FLAG_TILE (tile)));
}

static void
test_lists_folder_in_mtime_order (Fixture       *fixture,
                                  gconstpointer  user_data)
{
  g_autoptr(GBytes) gif = fp_test_tiny_gif ();
  g_autoptr(GBytes) text = g_bytes_new_static ("not a flag\n", 11);
  g_autofree char *subdir = g_build_filename (fixture->dir, "us.png", NULL);
  g_autofree char *codes = NULL;
  g_autoptr(FpFlagFile) first = NULL;
  g_autoptr(FpFlagFile) last = NULL;
  GdkTexture *thumbnail;

  /* Written out of alphabetical order: the mtime decides. */
  g_object_unref (write_debian_flag (fixture, "DE"));
  g_object_unref (write_debian_flag (fixture, "JP"));
  g_object_unref (write_debian_flag (fixture, "BR"));
  g_object_unref (write_flag (fixture, "fr.gif", gif));
  /* A name too long for its tile. */
  g_object_unref (write_debian_flag (fixture, "GS"));

  /* None of these is a flag. */
  g_object_unref (write_flag (fixture, "notes.txt", text));
  g_object_unref (write_flag (fixture, ".cn-A1B2C3.part", gif));
  g_object_unref (write_flag (fixture, "bra.png", gif));
  g_object_unref (write_flag (fixture, "b1.png", gif));
  g_object_unref (write_flag (fixture, "in.txt", gif));
  g_assert_cmpint (g_mkdir (subdir, 0755), ==, 0);

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  g_assert_true (fp_flag_grid_get_destination (fixture->grid) == fixture->folder);
  g_assert_true (fp_flag_grid_get_loading (fixture->grid));
  g_assert_cmpstr (visible_page (fixture->grid), ==, "loading");
  wait_for_grid (fixture->grid);

  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE JP BR FR GS");
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 5);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "flags");

  /* The thumbnail is small; the facts are the file's. */
  first = g_list_model_get_item (fp_flag_grid_get_flags (fixture->grid), 0);
  g_assert_cmpstr (fp_flag_file_get_name (first), ==, "Germany");
  g_assert_cmpint (fp_flag_file_get_width (first), ==, 320);
  g_assert_cmpint (fp_flag_file_get_height (first), ==, 240);
  thumbnail = get_tile_texture (fixture->grid, first);
  g_assert_cmpint (gdk_texture_get_width (thumbnail), ==, 160 * gtk_widget_get_scale_factor (GTK_WIDGET (fixture->grid)));
  g_assert_cmpint (gdk_texture_get_height (thumbnail), ==, 120 * gtk_widget_get_scale_factor (GTK_WIDGET (fixture->grid)));

  /* A 1×1 GIF is not blown up. */
  last = g_list_model_get_item (fp_flag_grid_get_flags (fixture->grid), 3);
  g_assert_cmpint (fp_flag_file_get_width (last), ==, 1);
  g_assert_cmpint (gdk_texture_get_width (get_tile_texture (fixture->grid, last)), ==, 1);

  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-few");
}

static void
test_empty_folder (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autoptr(GBytes) text = g_bytes_new_static ("not a flag\n", 11);
  AdwStatusPage *status_page;
  GtkWidget *button;

  g_object_unref (write_flag (fixture, "readme.txt", text));

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);

  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 0);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "empty");

  /* The empty state offers what fills it. */
  status_page = ADW_STATUS_PAGE (gtk_widget_get_template_child (GTK_WIDGET (fixture->grid), FP_TYPE_FLAG_GRID, "empty_page"));
  g_assert_cmpstr (adw_status_page_get_title (status_page), ==, "No Flags Yet");
  button = adw_status_page_get_child (status_page);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.download");

  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-empty");
}

static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GFile) missing = g_file_get_child (fixture->folder, "not-yet");

  /* The first batch creates the folder; until then it holds no flag. */
  fp_flag_grid_set_destination (fixture->grid, missing);
  wait_for_grid (fixture->grid);

  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 0);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "empty");
}

static void
test_add_result_appends_and_replaces (Fixture       *fixture,
                                      gconstpointer  user_data)
{
  g_autoptr(GFile) de = write_debian_flag (fixture, "DE");
  g_autoptr(GFile) jp = write_debian_flag (fixture, "JP");
  g_autoptr(GFile) br = NULL;
  g_autoptr(GFile) outside = NULL;
  g_autoptr(FpDownloadResult) br_result = NULL;
  g_autoptr(FpDownloadResult) de_result = NULL;
  g_autoptr(FpDownloadResult) not_found = NULL;
  g_autoptr(FpDownloadResult) failed = NULL;
  g_autoptr(FpDownloadResult) outside_result = NULL;
  g_autoptr(FpFlagFile) old_de = NULL;
  g_autoptr(FpFlagFile) new_de = NULL;
  g_autoptr(GBytes) austria = NULL;
  g_autofree char *other_dir = fp_test_make_temp_dir ();
  g_autofree char *outside_path = g_build_filename (other_dir, "it.png", NULL);
  g_autofree char *codes = NULL;

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE JP");
  old_de = g_list_model_get_item (fp_flag_grid_get_flags (fixture->grid), 0);

  /* A new flag goes at the end. */
  br = write_debian_flag (fixture, "BR");
  br_result = make_ok_result (br);
  fp_flag_grid_add_result (fixture->grid, br_result);
  g_assert_true (fp_flag_grid_get_loading (fixture->grid));
  wait_for_grid (fixture->grid);
  g_free (codes);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE JP BR");

  /* A flag downloaded again keeps its place, with its new file: no tile
   * moves under the pointer. */
  austria = fp_test_load_debian_flag ("AT");
  fp_test_write_file (g_file_peek_path (de), austria);
  de_result = make_ok_result (de);
  fp_flag_grid_add_result (fixture->grid, de_result);
  wait_for_grid (fixture->grid);
  g_free (codes);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE JP BR");
  new_de = g_list_model_get_item (fp_flag_grid_get_flags (fixture->grid), 0);
  g_assert_true (new_de != old_de);
  g_assert_cmpuint (fp_flag_file_get_size (new_de), ==, g_bytes_get_size (austria));

  /* Failures, and files elsewhere, do not appear. */
  not_found = fp_download_result_new ("XX", FP_DOWNLOAD_STATUS_NOT_FOUND, "not found");
  failed = fp_download_result_new ("FR", FP_DOWNLOAD_STATUS_ERROR, "HTTP 418 I'm a Teapot");
  outside = g_file_new_for_path (outside_path);
  fp_test_write_file (outside_path, austria);
  outside_result = make_ok_result (outside);
  fp_flag_grid_add_result (fixture->grid, not_found);
  fp_flag_grid_add_result (fixture->grid, failed);
  fp_flag_grid_add_result (fixture->grid, outside_result);
  wait_for_grid (fixture->grid);
  g_free (codes);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE JP BR");
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 3);

  fp_test_remove_tree (other_dir);
}

static void
test_results_keep_completion_order (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all_codes = fp_country_catalog_dup_all_codes (catalog);
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *codes = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = 0;

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "empty");

  /* A fresh folder fills in the order the downloads completed, here
   * backwards through the alphabet, though the decoding runs on several
   * threads and finishes in any order. */
  for (int i = (int) g_strv_length (all_codes) - 1; i >= 0 && n < 60; i -= 4, n++)
    {
      g_autoptr(GFile) file = write_debian_flag (fixture, all_codes[i]);
      g_ptr_array_add (results, make_ok_result (file));
      if (expected->len > 0)
        g_string_append_c (expected, ' ');
      g_string_append (expected, all_codes[i]);
    }
  for (guint i = 0; i < results->len; i++)
    fp_flag_grid_add_result (fixture->grid, g_ptr_array_index (results, i));
  /* No spinner flashes while the first flags are decoded. */
  g_assert_true (fp_flag_grid_get_loading (fixture->grid));
  g_assert_cmpstr (visible_page (fixture->grid), ==, "empty");

  wait_for_grid (fixture->grid);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, expected->str);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "flags");
}

static void
test_results_during_listing (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autoptr(GFile) de = write_debian_flag (fixture, "DE");
  g_autoptr(GFile) jp = write_debian_flag (fixture, "JP");
  g_autoptr(GFile) br = write_debian_flag (fixture, "BR");
  g_autoptr(GFile) cn = NULL;
  g_autoptr(FpDownloadResult) jp_result = NULL;
  g_autoptr(FpDownloadResult) cn_result = NULL;
  g_autofree char *codes = NULL;

  /* A batch that finishes flags before the folder is listed: the folder's
   * older flags come first, and a flag already on disk appears once, where
   * its download put it. */
  cn = write_debian_flag (fixture, "CN");
  jp_result = make_ok_result (jp);
  cn_result = make_ok_result (cn);

  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  fp_flag_grid_add_result (fixture->grid, jp_result);
  fp_flag_grid_add_result (fixture->grid, cn_result);
  wait_for_grid (fixture->grid);

  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE BR JP CN");
}

static void
test_change_folder (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *other_dir = fp_test_make_temp_dir ();
  g_autoptr(GFile) other = g_file_new_for_path (other_dir);
  g_autofree char *it_path = g_build_filename (other_dir, "it.png", NULL);
  g_autoptr(GBytes) italy = fp_test_load_debian_flag ("IT");
  g_autoptr(GFile) de = write_debian_flag (fixture, "DE");
  g_autoptr(FpDownloadResult) late = NULL;
  g_autofree char *codes = NULL;

  fp_test_write_file (it_path, italy);

  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 1);

  /* The grid shows the new folder only; a download saved in the old one
   * after the change does not come in. */
  fp_flag_grid_set_destination (fixture->grid, other);
  late = make_ok_result (de);
  fp_flag_grid_add_result (fixture->grid, late);
  wait_for_grid (fixture->grid);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "IT");

  /* Setting it again keeps what is shown; reloading reads the disk again. */
  fp_test_remove_tree (it_path);
  fp_flag_grid_set_destination (fixture->grid, other);
  g_assert_false (fp_flag_grid_get_loading (fixture->grid));
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 1);
  fp_flag_grid_reload (fixture->grid);
  wait_for_grid (fixture->grid);
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, 0);

  fp_test_remove_tree (other_dir);
}

static void
test_closed_while_loading (Fixture       *fixture,
                           gconstpointer  user_data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all_codes = fp_country_catalog_dup_all_codes (catalog);
  g_autoptr(GFile) br = write_debian_flag (fixture, "BR");
  g_autoptr(FpDownloadResult) result = make_ok_result (br);

  for (guint i = 0; all_codes[i] != NULL; i++)
    g_object_unref (write_debian_flag (fixture, all_codes[i]));

  /* The window closes while the folder is listed and flags are decoded:
   * the tear-down checks that nothing under way keeps it alive. */
  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  fp_flag_grid_add_result (fixture->grid, result);
  g_assert_true (fp_flag_grid_get_loading (fixture->grid));
}

static FpFlagViewer *
find_viewer (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (FP_IS_FLAG_VIEWER (window))
        return FP_FLAG_VIEWER (window);
    }

  return NULL;
}

static gboolean
viewer_is_open (gpointer user_data)
{
  FpFlagViewer *viewer = find_viewer ();

  return viewer != NULL && gtk_widget_get_mapped (GTK_WIDGET (viewer));
}

static void
test_activate_opens_viewer (Fixture       *fixture,
                            gconstpointer  user_data)
{
  GtkWidget *grid_view;
  FpFlagViewer *viewer;

  g_object_unref (write_debian_flag (fixture, "DE"));
  g_object_unref (write_debian_flag (fixture, "JP"));
  g_object_unref (write_debian_flag (fixture, "BR"));

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_null (find_viewer ());

  /* What a click or Enter on the second tile does. */
  grid_view = fp_gui_test_find_widget_of_type (GTK_WIDGET (fixture->grid), GTK_TYPE_GRID_VIEW);
  g_assert_nonnull (grid_view);
  g_assert_true (gtk_widget_activate_action (grid_view, "list.activate-item", "u", 1));
  fp_test_iterate_until (viewer_is_open, NULL, WAIT_S, "the large view");

  viewer = find_viewer ();
  g_assert_cmpstr (fp_flag_file_get_code (fp_flag_viewer_get_flag_file (viewer)), ==, "JP");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (viewer)) == fixture->window);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (viewer)));
  g_assert_true (fp_flag_viewer_get_flags (viewer) == fp_flag_grid_get_flags (fixture->grid));

  /* Activating another closes the first view rather than stacking views. */
  g_assert_true (gtk_widget_activate_action (grid_view, "list.activate-item", "u", 2));
  fp_test_iterate_until (viewer_is_open, NULL, WAIT_S, "the second large view");
  viewer = find_viewer ();
  g_assert_cmpstr (fp_flag_file_get_code (fp_flag_viewer_get_flag_file (viewer)), ==, "BR");
}

static gboolean
is_narrow (gpointer user_data)
{
  GtkWidget *window = user_data;
  int width = gtk_widget_get_width (window);

  return width > 0 && width <= 440 && gtk_widget_get_height (window) > 0;
}

static void
test_screenshots_full (Fixture       *fixture,
                       gconstpointer  user_data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all_codes = fp_country_catalog_dup_all_codes (catalog);
  AdwStyleManager *style_manager = adw_style_manager_get_default ();

  /* The whole catalog, as after "All countries". */
  for (guint i = 0; all_codes[i] != NULL; i++)
    g_object_unref (write_debian_flag (fixture, all_codes[i]));

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, g_strv_length (all_codes));

  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_LIGHT);
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-light");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_FORCE_DARK);
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-dark");

  /* Narrow, as beside the country list on a small screen. */
  gtk_window_set_default_size (fixture->window, 420, 600);
  fp_test_iterate_until (is_narrow, fixture->window, WAIT_S, "the window to get narrow");
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-dark-narrow");
  adw_style_manager_set_color_scheme (style_manager, ADW_COLOR_SCHEME_DEFAULT);
}

typedef struct
{
  FpFlagGrid *grid;
  FpFlagFile *flag_file;
} TileQuery;

static gboolean
tile_of_flag_has_thumbnail (gpointer user_data)
{
  TileQuery *query = user_data;
  GtkWidget *tile = fp_gui_test_find_widget (GTK_WIDGET (query->grid), tile_shows, query->flag_file);

  return tile != NULL && fp_flag_tile_get_thumbnail (FP_FLAG_TILE (tile)) != NULL;
}

static void
test_thumbnails_follow_view (Fixture       *fixture,
                             gconstpointer  user_data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all_codes = fp_country_catalog_dup_all_codes (catalog);
  guint n_codes = g_strv_length (all_codes);
  GListModel *flags = fp_flag_grid_get_flags (fixture->grid);
  g_autoptr(FpFlagFile) first = NULL;
  g_autoptr(FpFlagFile) last = NULL;
  GtkWidget *view;
  GtkAdjustment *adjustment;
  TileQuery query = { fixture->grid, NULL };
  guint in_view_before;

  for (guint i = 0; all_codes[i] != NULL; i++)
    g_object_unref (write_debian_flag (fixture, all_codes[i]));

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, n_codes);

  /* The first flag is on screen and gets its thumbnail. */
  first = g_list_model_get_item (flags, 0);
  query.flag_file = first;
  fp_test_iterate_until (tile_of_flag_has_thumbnail, &query, WAIT_S, "the first tile's thumbnail");
  fp_gui_test_settle (GTK_WIDGET (fixture->window));

  /* Not a tile for every flag (30 rows of the columns that fit), and
   * thumbnails only for the tiles near the screen. */
  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), <, n_codes);
  in_view_before = fp_flag_tile_get_n_thumbnails ();
  g_assert_cmpuint (in_view_before, >, 0);
  g_assert_cmpuint (in_view_before, <, fp_flag_tile_get_n_tiles ());

  /* Scrolled to the end: the last flag gets its thumbnail, the first's goes. */
  view = fp_gui_test_find_widget_of_type (GTK_WIDGET (fixture->grid), GTK_TYPE_GRID_VIEW);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  last = g_list_model_get_item (flags, n_codes - 1);
  query.flag_file = last;
  fp_test_iterate_until (tile_of_flag_has_thumbnail, &query, WAIT_S, "the last tile's thumbnail");
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  query.flag_file = first;
  g_assert_false (tile_of_flag_has_thumbnail (&query));
  g_assert_cmpuint (fp_flag_tile_get_n_thumbnails (), <, fp_flag_tile_get_n_tiles ());
}

static guint
n_in_view_model (FpFlagGrid *grid)
{
  GtkWidget *view = fp_gui_test_find_widget_of_type (GTK_WIDGET (grid), GTK_TYPE_GRID_VIEW);

  g_assert_nonnull (view);
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (view))));
}

typedef struct {
  FpFlagGrid *grid;
  guint n_items;
} ViewQuery;

static gboolean
view_holds (gpointer user_data)
{
  ViewQuery *query = user_data;

  return n_in_view_model (query->grid) == query->n_items;
}

static void
test_off_screen_makes_no_tiles (Fixture       *fixture,
                                gconstpointer  user_data)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_auto(GStrv) all_codes = fp_country_catalog_dup_all_codes (catalog);
  guint n_codes = g_strv_length (all_codes);
  g_autoptr(GFile) late = NULL;
  g_autoptr(FpDownloadResult) late_result = NULL;
  GtkAdjustment *adjustment;
  double scrolled_to;
  ViewQuery query = { fixture->grid, 0 };

  /* Off screen from the start, as under the Timeline page during a batch:
   * the grid holds every flag, and its view has not made a tile. */
  for (guint i = 1; all_codes[i] != NULL; i++)
    g_object_unref (write_debian_flag (fixture, all_codes[i]));
  /* Hidden before it can hold the focus: GTK 4.8 keeps a reference to a
   * focused widget that is hidden until the window is gone, and the grid
   * would outlive the test. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->grid), FALSE);
  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, n_codes - 1);
  g_assert_cmpuint (n_in_view_model (fixture->grid), ==, 0);
  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), ==, 0);

  /* On screen: every flag, tiles for the rows near the top only. */
  gtk_widget_set_visible (GTK_WIDGET (fixture->grid), TRUE);
  query.n_items = n_codes - 1;
  fp_test_iterate_until (view_holds, &query, WAIT_S, "the view to show every flag");
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), >, 0);
  g_assert_cmpuint (fp_flag_tile_get_n_tiles (), <, n_codes - 1);

  /* Scrolled, hidden while a flag arrives, shown again: the flag is there
   * and the view has kept its place. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (
    fp_gui_test_find_widget_of_type (GTK_WIDGET (fixture->grid), GTK_TYPE_GRID_VIEW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 2);
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  scrolled_to = gtk_adjustment_get_value (adjustment);
  g_assert_cmpfloat (scrolled_to, >, 0);

  gtk_window_set_focus (fixture->window, NULL);
  gtk_widget_set_visible (GTK_WIDGET (fixture->grid), FALSE);
  late = write_debian_flag (fixture, all_codes[0]);
  late_result = make_ok_result (late);
  fp_flag_grid_add_result (fixture->grid, late_result);
  wait_for_grid (fixture->grid);
  g_assert_cmpuint (fp_flag_grid_get_n_flags (fixture->grid), ==, n_codes);
  g_assert_cmpuint (n_in_view_model (fixture->grid), ==, n_codes - 1);

  gtk_widget_set_visible (GTK_WIDGET (fixture->grid), TRUE);
  query.n_items = n_codes;
  fp_test_iterate_until (view_holds, &query, WAIT_S, "the view to show the new flag");
  fp_gui_test_settle (GTK_WIDGET (fixture->window));
  g_assert_cmpfloat_with_epsilon (gtk_adjustment_get_value (adjustment), scrolled_to, 1.0);
}

static char *
dup_batch_codes (FpFlagGrid *grid)
{
  GListModel *flags = fp_flag_grid_get_batch_flags (grid);
  g_autoptr(GString) codes = g_string_new (NULL);

  /* A failed one shows as "FR!". */
  for (guint i = 0; i < g_list_model_get_n_items (flags); i++)
    {
      g_autoptr(FpFlagFile) flag_file = g_list_model_get_item (flags, i);

      if (i > 0)
        g_string_append_c (codes, ' ');
      g_string_append (codes, fp_flag_file_get_code (flag_file));
      if (fp_flag_file_get_failure (flag_file) != NULL)
        g_string_append_c (codes, '!');
    }

  return g_string_free (g_steal_pointer (&codes), FALSE);
}

static void
test_this_batch (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GFile) de = write_debian_flag (fixture, "DE");
  g_autoptr(GFile) fr = write_debian_flag (fixture, "FR");
  g_autoptr(GFile) jp = write_debian_flag (fixture, "JP");
  g_autoptr(GFile) br = NULL;
  g_autoptr(FpDownloadResult) br_result = NULL;
  g_autoptr(FpDownloadResult) de_result = NULL;
  g_autoptr(FpDownloadResult) fr_failed = NULL;
  g_autoptr(FpDownloadResult) zz_not_found = NULL;
  g_autofree char *codes = NULL;
  GtkWidget *view_switch = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (fixture->grid), FP_TYPE_FLAG_GRID, "view_switch"));

  gtk_window_present (fixture->window);
  fp_flag_grid_set_destination (fixture->grid, fixture->folder);
  wait_for_grid (fixture->grid);
  g_assert_false (gtk_widget_get_visible (view_switch));
  g_assert_false (fp_flag_grid_get_show_batch (fixture->grid));

  /* A batch starts: This Batch is shown, and says the flags are coming. */
  fp_flag_grid_begin_batch (fixture->grid);
  g_assert_true (fp_flag_grid_get_show_batch (fixture->grid));
  g_assert_true (gtk_widget_get_visible (view_switch));
  g_assert_cmpstr (visible_page (fixture->grid), ==, "waiting");

  /* The first result ends the waiting at once, before it is even decoded. */
  br = write_debian_flag (fixture, "BR");
  br_result = make_ok_result (br);
  fp_flag_grid_add_result (fixture->grid, br_result);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "flags");

  /* FR fails this time: it shows as failed, not as its older good file. */
  fr_failed = fp_download_result_new_failed ("FR", FP_DOWNLOAD_ERROR_HTTP_STATUS, 418, "HTTP 418 I'm a Teapot");
  zz_not_found = fp_download_result_new ("ZZ", FP_DOWNLOAD_STATUS_NOT_FOUND, NULL);
  de_result = make_ok_result (de);
  fp_flag_grid_add_result (fixture->grid, fr_failed);
  fp_flag_grid_add_result (fixture->grid, zz_not_found);
  fp_flag_grid_add_result (fixture->grid, de_result);
  fp_flag_grid_end_batch (fixture->grid);
  wait_for_grid (fixture->grid);

  codes = dup_batch_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "BR FR! DE");
  fp_gui_test_save_screenshot (GTK_WIDGET (fixture->window), "flag-grid-this-batch");

  /* All Flags is the folder: everything on disk, each in its place. */
  fp_flag_grid_set_show_batch (fixture->grid, FALSE);
  g_clear_pointer (&codes, g_free);
  codes = dup_grid_codes (fixture->grid);
  g_assert_cmpstr (codes, ==, "DE FR JP BR");
  g_assert_cmpstr (visible_page (fixture->grid), ==, "flags");

  /* The next batch starts This Batch afresh. */
  fp_flag_grid_begin_batch (fixture->grid);
  g_assert_cmpuint (g_list_model_get_n_items (fp_flag_grid_get_batch_flags (fixture->grid)), ==, 0);
  fp_flag_grid_end_batch (fixture->grid);
  g_assert_cmpstr (visible_page (fixture->grid), ==, "batch-empty");
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/flag-grid/lists-folder-in-mtime-order", test_lists_folder_in_mtime_order);
  ADD_TEST ("/flag-grid/empty-folder", test_empty_folder);
  ADD_TEST ("/flag-grid/thumbnails-follow-view", test_thumbnails_follow_view);
  ADD_TEST ("/flag-grid/off-screen-makes-no-tiles", test_off_screen_makes_no_tiles);
  ADD_TEST ("/flag-grid/missing-folder", test_missing_folder);
  ADD_TEST ("/flag-grid/add-result-appends-and-replaces", test_add_result_appends_and_replaces);
  ADD_TEST ("/flag-grid/results-keep-completion-order", test_results_keep_completion_order);
  ADD_TEST ("/flag-grid/results-during-listing", test_results_during_listing);
  ADD_TEST ("/flag-grid/change-folder", test_change_folder);
  ADD_TEST ("/flag-grid/closed-while-loading", test_closed_while_loading);
  ADD_TEST ("/flag-grid/activate-opens-viewer", test_activate_opens_viewer);
  ADD_TEST ("/flag-grid/screenshots", test_screenshots_full);
  ADD_TEST ("/flag-grid/this-batch", test_this_batch);

  return g_test_run ();
}
