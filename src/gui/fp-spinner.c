/* fp-spinner.c — a spinner drawn as an arc, which needs no icon
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GtkSpinner turns Adwaita's process-working-symbolic, which exists only
 * as an SVG: the first spinner shown loads librsvg and libxml2 (6 to 7 MB
 * resident) and parses and renders the SVG inside the frame that shows
 * it, the first frame after a click on Download. This one draws a
 * three-quarter arc in the text colour and turns it once a second, from
 * a tick callback that runs only while it spins and is mapped.
 */
#include "fp-spinner.h"

#include <math.h>

#define TURN_US G_USEC_PER_SEC
#define DEFAULT_SIZE 16

struct _FpSpinner
{
  GtkWidget parent_instance;

  gboolean spinning;
  guint tick_id;
  gint64 start_time;
};

G_DEFINE_FINAL_TYPE (FpSpinner, fp_spinner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPINNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *frame_clock,
         gpointer       user_data)
{
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

/* Ticks only while there is something to turn and someone to see it. */
static void
update_ticking (FpSpinner *self)
{
  gboolean want = self->spinning && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), tick_cb, NULL, NULL);
  else if (!want && self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
}

static void
fp_spinner_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fp_spinner_parent_class)->map (widget);
  update_ticking (FP_SPINNER (widget));
}

static void
fp_spinner_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fp_spinner_parent_class)->unmap (widget);
  update_ticking (FP_SPINNER (widget));
}

static void
fp_spinner_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = *natural = DEFAULT_SIZE;
}

static void
fp_spinner_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  FpSpinner *self = FP_SPINNER (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double size = MIN (width, height);
  double line = MAX (1.5, size / 10.0);
  double angle;
  GdkRGBA color;
  cairo_t *cr;

  if (!self->spinning || size <= 2 * line)
    return;

  angle = 2 * G_PI * (double) (g_get_monotonic_time () % TURN_US) / TURN_US;
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  /* A faint full ring under the turning arc, as Adwaita's spinner has. */
  color.alpha *= 0.15;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, (size - line) / 2.0, 0, 2 * G_PI);
  cairo_stroke (cr);
  color.alpha /= 0.15;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, (size - line) / 2.0, angle, angle + 1.5 * G_PI);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

static void
fp_spinner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FpSpinner *self = FP_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      g_value_set_boolean (value, self->spinning);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_spinner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FpSpinner *self = FP_SPINNER (object);

  switch (prop_id)
    {
    case PROP_SPINNING:
      fp_spinner_set_spinning (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_spinner_class_init (FpSpinnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fp_spinner_get_property;
  object_class->set_property = fp_spinner_set_property;
  widget_class->map = fp_spinner_map;
  widget_class->unmap = fp_spinner_unmap;
  widget_class->measure = fp_spinner_measure;
  widget_class->snapshot = fp_spinner_snapshot;

  properties[PROP_SPINNING] =
    g_param_spec_boolean ("spinning", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "fpspinner");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PROGRESS_BAR);
}

static void
fp_spinner_init (FpSpinner *self)
{
}

GtkWidget *
fp_spinner_new (void)
{
  return g_object_new (FP_TYPE_SPINNER, NULL);
}

gboolean
fp_spinner_get_spinning (FpSpinner *self)
{
  g_return_val_if_fail (FP_IS_SPINNER (self), FALSE);

  return self->spinning;
}

void
fp_spinner_set_spinning (FpSpinner *self,
                         gboolean   spinning)
{
  g_return_if_fail (FP_IS_SPINNER (self));

  spinning = !!spinning;
  if (self->spinning == spinning)
    return;
  self->spinning = spinning;
  update_ticking (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPINNING]);
}
