/* test-i18n.c — in German the app's strings, the engine's messages and the country names are German
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-i18n"

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-country-item.h"
#include "fp-gui-test-support.h"
#include "fp-test-support.h"
#include "fp-application-private.h"
#include "fp-window-private.h"

/* A bound against hangs, not a speed check. */
#define WAIT_S 60

/* GtkApplication keeps a reference to itself once registered. */
static FpApplication *the_app;

static void
test_country_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FpCountryCatalog) catalog = NULL;
  GListModel *countries;
  gboolean found_germany = FALSE;

  /* A fresh catalog, made after the locale was set. */
  catalog = fp_country_catalog_new_from_file (ISO_CODES_JSON, &error);
  g_assert_no_error (error);
  g_assert_nonnull (catalog);

  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "DE"), ==, "Deutschland");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "US"), ==, "Vereinigte Staaten");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "FR"), ==, "Frankreich");
  g_assert_cmpstr (fp_country_catalog_get_name (catalog, "CN"), ==, "China");

  /* The list the window shows carries the same names. */
  countries = fp_country_catalog_get_countries (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    {
      g_autoptr(FpCountry) country = g_list_model_get_item (countries, i);

      if (g_str_equal (fp_country_get_code (country), "DE"))
        {
          g_assert_cmpstr (fp_country_get_name (country), ==, "Deutschland");
          found_germany = TRUE;
        }
    }
  g_assert_true (found_germany);

  /* So does the default catalog the window and the command line use. */
  g_assert_cmpstr (fp_country_catalog_get_name (fp_country_catalog_get_default (), "US"),
                   ==, "Vereinigte Staaten");
}

static void
test_country_item_status (void)
{
  FpCountryCatalog *catalog = fp_country_catalog_get_default ();
  g_autoptr(FpCountryItem) item = NULL;
  g_autofree char *downloaded = NULL;
  g_autofree char *not_found = NULL;
  g_autofree char *error = NULL;

  item = fp_country_item_new (fp_country_catalog_lookup (catalog, "DE"));
  g_assert_cmpstr (fp_country_item_get_name (item), ==, "Deutschland");

  fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_OK, NULL);
  downloaded = fp_country_item_dup_status_text (item);
  g_assert_cmpstr (downloaded, ==, "Heruntergeladen");

  fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_NOT_FOUND, NULL);
  not_found = fp_country_item_dup_status_text (item);
  g_assert_cmpstr (not_found, ==, "Nicht auf dem Server gefunden");

  fp_country_item_set_status (item, FP_DOWNLOAD_STATUS_ERROR, "HTTP 418 I'm a Teapot");
  error = fp_country_item_dup_status_text (item);
  g_assert_cmpstr (error, ==, "Fehler: HTTP 418 I'm a Teapot");
}

static void
test_engine_messages (void)
{
  g_autoptr(FpDownloadResult) not_found = NULL;
  g_autoptr(FpDownloadResult) ok = NULL;
  g_autoptr(GError) error = NULL;
  const char *extension = NULL;
  int width = 0, height = 0;
  g_autoptr(GBytes) text = g_bytes_new_static ("hello", 5);

  not_found = fp_download_result_new ("ZZ", FP_DOWNLOAD_STATUS_NOT_FOUND, NULL);
  g_assert_cmpstr (fp_download_result_get_message (not_found), ==, "nicht gefunden");
  ok = fp_download_result_new ("DE", FP_DOWNLOAD_STATUS_OK, NULL);
  g_assert_cmpstr (fp_download_result_get_message (ok), ==, "heruntergeladen");

  /* Bytes that are not an image, as a worker thread checks them. */
  g_assert_false (fp_image_check (text, &extension, &width, &height, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, "Antwort ist kein Bild");
}

static void
test_desktop_file (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GKeyFile) desktop = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *generic_name = NULL;
  g_autofree char *comment = NULL;

  /* The desktop file merged with the translations at build time, read the
   * way a desktop reads it: in the user's language (a NULL locale). */
  path = g_test_build_filename (G_TEST_BUILT, "..", "data", APPLICATION_ID ".desktop", NULL);
  g_key_file_load_from_file (desktop, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  name = g_key_file_get_locale_string (desktop, "Desktop Entry", "Name", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "Flagpole");
  generic_name = g_key_file_get_locale_string (desktop, "Desktop Entry", "GenericName", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (generic_name, ==, "Flaggen-Downloader");
  comment = g_key_file_get_locale_string (desktop, "Desktop Entry", "Comment", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (comment, ==,
                   "Die Flaggen der Welt gleichzeitig herunterladen und beim Eintreffen zusehen");
}

static void
test_plural_forms (void)
{
  /* German has two forms, and the catalog says so in Plural-Forms. */
  g_assert_cmpstr (ngettext ("%3u flag downloaded.\n", "%3u flags downloaded.\n", 1),
                   ==, "%3u Flagge heruntergeladen.\n");
  g_assert_cmpstr (ngettext ("%3u flag downloaded.\n", "%3u flags downloaded.\n", 0),
                   ==, "%3u Flaggen heruntergeladen.\n");
  g_assert_cmpstr (ngettext ("%3u flag downloaded.\n", "%3u flags downloaded.\n", 21),
                   ==, "%3u Flaggen heruntergeladen.\n");
}

/* Every button label and label text in the widget tree under @widget. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    g_ptr_array_add (texts, g_strdup (gtk_button_get_label (GTK_BUTTON (widget))));
  else if (GTK_IS_LABEL (widget))
    g_ptr_array_add (texts, g_strdup (gtk_label_get_label (GTK_LABEL (widget))));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
texts_contain (GPtrArray  *texts,
               const char *text)
{
  return g_ptr_array_find_with_equal_func (texts, text, g_str_equal, NULL);
}

/* The test double of the application's notification path: the window may
 * or may not have the focus under Xvfb, and there is no notification server. */
static void
record_notification_cb (FpApplication *app,
                        const char    *id,
                        GNotification *notification,
                        const char    *title,
                        const char    *body,
                        gpointer       user_data)
{
  GPtrArray *titles = user_data;

  g_ptr_array_add (titles, g_strdup (title));
}

static gboolean
window_is_idle (gpointer user_data)
{
  return !fp_window_get_running (FP_WINDOW (user_data));
}

static void
test_window (void)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dest = fp_test_make_temp_dir ();
  GSettings *settings = fp_application_get_gsettings (the_app);
  FpWindow *window;
  FpCountryItem *item;
  const char *summary;

  fp_application_set_notify_func (the_app, record_notification_cb, notified);
  g_settings_set_string (settings, "destination", dest);
  g_settings_set_double (settings, "server-min-delay", 0.0);
  g_settings_set_double (settings, "server-max-delay", 0.0);

  window = fp_window_new (the_app);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* The header bar, the sidebar and the empty gallery speak German. */
  collect_texts (GTK_WIDGET (window), texts);
  g_assert_true (texts_contain (texts, "_Herunterladen"));
  g_assert_true (texts_contain (texts, "_Abbrechen"));
  g_assert_false (texts_contain (texts, "_Download"));
  g_assert_true (texts_contain (texts, "20 ausgewählt"));

  /* The list shows German country names. */
  item = fp_country_list_lookup (fp_window_get_country_list (window), "DE");
  g_assert_nonnull (item);
  g_assert_cmpstr (fp_country_item_get_name (item), ==, "Deutschland");
  item = fp_country_list_lookup (fp_window_get_country_list (window), "US");
  g_assert_cmpstr (fp_country_item_get_name (item), ==, "Vereinigte Staaten");

  /* A batch of the top 20: progress and the book's report in German, with
   * German plurals. */
  g_action_group_activate_action (G_ACTION_GROUP (the_app), "download", NULL);
  fp_test_iterate_until (window_is_idle, window, WAIT_S, "the batch to end");
  g_assert_cmpstr (fp_window_get_progress_text (window), ==,
                   "20 Flaggen heruntergeladen, 0 nicht gefunden, 0 Fehler");
  summary = fp_window_get_summary (window);
  g_assert_nonnull (summary);
  g_assert_true (g_str_has_prefix (summary, "20 Flaggen heruntergeladen, 0 nicht gefunden, 0 Fehler\n"
                                            "Verstrichene Zeit: "));
  item = fp_country_list_lookup (fp_window_get_country_list (window), "DE");
  g_assert_cmpuint (fp_country_item_get_status (item), ==, FP_DOWNLOAD_STATUS_OK);

  /* A notification, if the window was not focused, is German too. */
  for (guint i = 0; i < notified->len; i++)
    g_assert_cmpstr (g_ptr_array_index (notified, i), ==, "Download abgeschlossen");

  /* The grid fills, then its thumbnails come, after the batch's end. */
  fp_test_iterate_until (fp_gui_test_grid_holds_batch, window, WAIT_S, "the grid to hold the batch's flags");
  fp_gui_test_wait_for_thumbnails (GTK_WIDGET (window), WAIT_S);
  fp_gui_test_save_screenshot (GTK_WIDGET (window), "window-german");

  fp_gui_test_destroy_window (GTK_WINDOW (window));
  fp_application_set_notify_func (the_app, NULL, NULL);
  fp_test_remove_tree (dest);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *po_dir = NULL;
  g_autofree char *mo_file = NULL;
  int status;

  /* Only C, C.UTF-8 and POSIX are generated on the test machines: under
   * C.UTF-8 glibc honours LANGUAGE, which needs no generated locale. */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");

  fp_gui_test_init (&argc, &argv);

  /* The catalog built in this build tree, not an installed one. */
  po_dir = g_test_build_filename (G_TEST_BUILT, "..", "po", NULL);
  mo_file = g_build_filename (po_dir, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (!g_file_test (mo_file, G_FILE_TEST_IS_REGULAR))
    g_error ("%s is missing: the German catalog was not built", mo_file);
  bindtextdomain (GETTEXT_PACKAGE, po_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/i18n/country-names", test_country_names);
  g_test_add_func ("/i18n/country-item-status", test_country_item_status);
  g_test_add_func ("/i18n/engine-messages", test_engine_messages);
  g_test_add_func ("/i18n/desktop-file", test_desktop_file);
  g_test_add_func ("/i18n/plural-forms", test_plural_forms);
  g_test_add_func ("/i18n/window", test_window);

  the_app = fp_gui_test_new_application ();

  status = g_test_run ();

  g_clear_object (&the_app);
  return status;
}
