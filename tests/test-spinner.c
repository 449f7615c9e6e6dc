/* test-spinner.c — the spinner draws and turns only while it spins and is shown, and loads no SVG
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-spinner"

#include "config.h"

#include <adwaita.h>

#include "fp-gui-test-support.h"
#include "fp-spinner.h"

#define WAIT_S 30

typedef struct
{
  GtkWidget *window;
  GtkWidget *spinner;
  GdkPaintable *paintable;       /* the spinner as drawn */
  guint n_redrawn;
} Fixture;

static void
invalidated_cb (GdkPaintable *paintable,
                Fixture      *fixture)
{
  fixture->n_redrawn++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->window = gtk_window_new ();
  fixture->spinner = fp_spinner_new ();
  gtk_widget_set_size_request (fixture->spinner, 32, 32);
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->spinner);
  fixture->paintable = gtk_widget_paintable_new (fixture->spinner);
  g_signal_connect (fixture->paintable, "invalidate-contents", G_CALLBACK (invalidated_cb), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_signal_handlers_disconnect_by_func (fixture->paintable, invalidated_cb, fixture);
  g_clear_object (&fixture->paintable);
  fp_gui_test_destroy_window (GTK_WINDOW (fixture->window));
}

/* What the spinner draws now, from its own snapshot function. */
static GskRenderNode *
draw (Fixture *fixture)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  GTK_WIDGET_GET_CLASS (fixture->spinner)->snapshot (fixture->spinner, snapshot);
  return gtk_snapshot_free_to_node (snapshot);
}

/* Runs the main loop until the spinner has been drawn @n more times, or
 * for @max_s seconds; returns how many times it was. */
static guint
redraws_within (Fixture *fixture,
                guint    n,
                double   max_s)
{
  guint first = fixture->n_redrawn;
  gint64 end = g_get_monotonic_time () + (gint64) (max_s * G_USEC_PER_SEC);

  while (fixture->n_redrawn - first < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return fixture->n_redrawn - first;
}

/* Whether a spell of @quiet_s seconds without a drawing comes within
 * @max_s: a spinner that goes on turning draws every frame and never
 * has one. Late drawings (the frame already asked for, a paintable that
 * tells a frame late) only move the spell's start. */
static gboolean
quiet_within (Fixture *fixture,
              double   quiet_s,
              double   max_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (max_s * G_USEC_PER_SEC);

  while (g_get_monotonic_time () < end)
    if (redraws_within (fixture, 1, quiet_s) == 0)
      return TRUE;
  return FALSE;
}

static void
test_draws_while_spinning (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(GskRenderNode) idle = NULL;
  g_autoptr(GskRenderNode) spinning = NULL;

  gtk_window_present (GTK_WINDOW (fixture->window));
  fp_gui_test_settle (fixture->window);

  g_assert_false (fp_spinner_get_spinning (FP_SPINNER (fixture->spinner)));
  idle = draw (fixture);
  g_assert_null (idle);

  g_object_set (fixture->spinner, "spinning", TRUE, NULL);
  g_assert_true (fp_spinner_get_spinning (FP_SPINNER (fixture->spinner)));
  fp_gui_test_settle (fixture->window);
  spinning = draw (fixture);
  g_assert_nonnull (spinning);
}

static void
test_turns_only_when_seen (Fixture       *fixture,
                           gconstpointer  user_data)
{
  /* Spinning but not shown: no frames, nothing drawn. */
  fp_spinner_set_spinning (FP_SPINNER (fixture->spinner), TRUE);
  g_assert_cmpuint (redraws_within (fixture, 1, 0.3), ==, 0);

  /* Shown: it turns, a frame at a time, for as long as it spins. */
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_cmpuint (redraws_within (fixture, 3, WAIT_S), ==, 3);

  /* Stopped: once drawn without the arc, it is drawn no more. */
  fp_spinner_set_spinning (FP_SPINNER (fixture->spinner), FALSE);
  g_assert_true (quiet_within (fixture, 0.3, WAIT_S));

  /* Hidden while spinning: it stops drawing. */
  fp_spinner_set_spinning (FP_SPINNER (fixture->spinner), TRUE);
  g_assert_cmpuint (redraws_within (fixture, 1, WAIT_S), ==, 1);
  gtk_widget_set_visible (fixture->spinner, FALSE);
  g_assert_true (quiet_within (fixture, 0.3, WAIT_S));
}

/* GtkSpinner's icon exists only as an SVG, and the first one drawn loads
 * librsvg: 6 to 7 MB of the window's memory, and the time to parse it in
 * the first frame after a click. */
static void
test_loads_no_svg (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *maps = NULL;

  fp_spinner_set_spinning (FP_SPINNER (fixture->spinner), TRUE);
  gtk_window_present (GTK_WINDOW (fixture->window));
  fp_gui_test_settle (fixture->window);
  g_assert_cmpuint (redraws_within (fixture, 2, WAIT_S), ==, 2);

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "librsvg"));
}

int
main (int   argc,
      char *argv[])
{
  fp_gui_test_init (&argc, &argv);

#define ADD_TEST(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD_TEST ("/spinner/draws-while-spinning", test_draws_while_spinning);
  ADD_TEST ("/spinner/turns-only-when-seen", test_turns_only_when_seen);
  ADD_TEST ("/spinner/loads-no-svg", test_loads_no_svg);

  return g_test_run ();
}
