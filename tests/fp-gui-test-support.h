/* fp-gui-test-support.h — helpers shared by the GUI tests: set-up, settings, frames, screenshots
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "fp-application.h"

G_BEGIN_DECLS

/* gtk_test_init() and adw_init(), the iso-codes translations, and the
 * settings that make screenshots comparable: no animations (a screenshot
 * shows the end of a transition, not its middle) and GNOME's window buttons
 * rather than GTK's fallback with minimize and maximize. */
void           fp_gui_test_init              (int          *argc,
                                              char       ***argv);

/* A registered FpApplication that never becomes the remote instance of
 * another test running side by side. One per process: GtkApplication
 * keeps a reference to itself once registered. */
FpApplication *fp_gui_test_new_application   (void);

/* Resets every key: the memory backend lives as long as the process, so
 * each test starts afresh. */
void           fp_gui_test_reset_settings    (GSettings    *settings);

/* Runs what is pending, then waits until @widget has been drawn. */
void           fp_gui_test_settle            (GtkWidget    *widget);

/* Saves @window as drawn to screenshots/@name.png in the build folder of
 * the tests, for a person to look at. */
void           fp_gui_test_save_screenshot   (GtkWidget    *window,
                                              const char   *name);

/* Destroys @window and asserts that nothing else keeps it: no leak, no
 * callback left into a dead window. */
void           fp_gui_test_destroy_window    (GtkWindow    *window);

/* The first widget under @widget, itself included, depth first, for which
 * @match holds; NULL when there is none. */
typedef gboolean (*FpGuiTestWidgetFunc) (GtkWidget *widget,
                                         gpointer   user_data);
GtkWidget     *fp_gui_test_find_widget       (GtkWidget           *widget,
                                              FpGuiTestWidgetFunc  match,
                                              gpointer             user_data);
/* The first widget of @type under @widget, itself included. */
GtkWidget     *fp_gui_test_find_widget_of_type (GtkWidget *widget,
                                                GType      type);

/* A condition for fp_test_iterate_until(): the grid of the FpWindow
 * @window has listed its folder and holds at least the flags its last
 * batch downloaded (flags of earlier batches may be there too). */
gboolean       fp_gui_test_grid_holds_batch  (gpointer      window);

/* Iterates, up to @timeout_s, until every flag tile under @widget that is in
 * view shows its thumbnail: thumbnails are made off the main thread, after
 * their tiles, so a screenshot taken as a batch ends can catch them empty. */
void           fp_gui_test_wait_for_thumbnails (GtkWidget *widget,
                                                double     timeout_s);

G_END_DECLS
