/* fp-status-filter.c — the country list's filter by outcome, with counts, and Retry Failed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-status-filter"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fp-status-filter.h"

/*
 * Typing "error" in the search finds nothing: the outcome is not a name.
 * After a batch, four toggles show the rows by outcome, each with its
 * count, and a button downloads the failed ones again (win.retry-failed,
 * the window's action). The widget only reads and sets the list's
 * properties; it appears once a batch has outcomes to count.
 */

struct _FpStatusFilter
{
  GtkWidget parent_instance;

  GtkWidget *toggles;
  GtkToggleButton *all_button;
  GtkToggleButton *downloaded_button;
  GtkToggleButton *not_found_button;
  GtkToggleButton *failed_button;
  GtkButton *retry_button;

  FpCountryList *list;
  gint64 counts_time;            /* when the counts were last shown */
  guint counts_source;           /* their next showing, when one waits */
};

/* As often as a person reads them, and as the band's progress words. */
#define COUNTS_INTERVAL_US (250 * 1000)

G_DEFINE_FINAL_TYPE (FpStatusFilter, fp_status_filter, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LIST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* New words make GTK lay the label out and measure the window again:
 * only when they changed. */
static void
set_button_label (GtkButton  *button,
                  const char *label)
{
  if (g_strcmp0 (gtk_button_get_label (button), label) != 0)
    gtk_button_set_label (button, label);
}

/*
 * A count that gains a digit widens its button, the sidebar and so the
 * whole window: GTK lays the window out again and, with cairo on X11,
 * paints and sends all of it (the damage's bounding box), twice per digit
 * in a batch. So each count takes the room of the batch's largest from
 * the start: tabular digits (the "numeric" style) led by figure spaces,
 * which are exactly as wide.
 */
static void
set_count_label (GtkToggleButton *button,
                 const char      *words,
                 guint            count,
                 guint            digits)
{
  g_autofree char *number = g_strdup_printf ("%u", count);
  g_autoptr(GString) padded = g_string_new (NULL);
  g_autofree char *label = NULL;

  for (gsize i = strlen (number); i < digits; i++)
    g_string_append (padded, "\u2007");
  g_string_append (padded, number);
  /* Translators: a filter and how many rows it shows, as in “Failed 2” */
  label = g_strdup_printf (_("%s %s"), words, padded->str);
  set_button_label (GTK_BUTTON (button), label);
}

static guint
count_digits (guint n)
{
  guint digits = 1;

  for (; n >= 10; n /= 10)
    digits++;
  return digits;
}

static void
update (FpStatusFilter *self)
{
  guint n_downloaded = self->list != NULL ? fp_country_list_get_n_downloaded (self->list) : 0;
  guint n_not_found = self->list != NULL ? fp_country_list_get_n_not_found (self->list) : 0;
  guint n_failed = self->list != NULL ? fp_country_list_get_n_failed (self->list) : 0;
  const char *filter = self->list != NULL ? fp_country_list_get_status_filter (self->list) : "all";
  guint n_selected = self->list != NULL ? fp_country_list_get_n_selected (self->list) : 0;
  guint digits = count_digits (MAX (n_selected, n_downloaded + n_not_found + n_failed));
  g_autofree char *retry = NULL;

  /* Translators: a filter of the country list: the flags downloaded */
  set_count_label (self->downloaded_button, C_("filter", "Downloaded"), n_downloaded, digits);
  /* Translators: a filter of the country list: the codes the server does not have */
  set_count_label (self->not_found_button, C_("filter", "Not Found"), n_not_found, digits);
  /* Translators: a filter of the country list: the downloads that failed */
  set_count_label (self->failed_button, C_("filter", "Failed"), n_failed, digits);

  retry = g_strdup_printf (ngettext ("_Retry %u Failed", "_Retry %u Failed", n_failed), n_failed);
  set_button_label (self->retry_button, retry);
  gtk_button_set_use_underline (self->retry_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), n_failed > 0);

  gtk_toggle_button_set_active (g_str_equal (filter, "downloaded") ? self->downloaded_button
                                : g_str_equal (filter, "not-found") ? self->not_found_button
                                : g_str_equal (filter, "failed") ? self->failed_button
                                : self->all_button, TRUE);

  /* Nothing to filter before a batch. Shown from a batch's start, not its
   * first outcome: appearing then would push the whole list down in the
   * frame that also draws the first flags, the busiest of the batch,
   * whereas the click's frame draws the list anew anyway. */
  gtk_widget_set_visible (GTK_WIDGET (self),
                          n_downloaded + n_not_found + n_failed > 0 || !g_str_equal (filter, "all")
                          || (self->list != NULL && fp_country_list_get_following (self->list)));
}

static gboolean
counts_timeout_cb (gpointer user_data)
{
  FpStatusFilter *self = user_data;

  self->counts_source = 0;
  self->counts_time = g_get_monotonic_time ();
  update (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_update (FpStatusFilter *self)
{
  g_clear_handle_id (&self->counts_source, g_source_remove);
}

/*
 * A batch without latency changes the counts hundreds of times a second,
 * every result, and new words in four labels make GTK lay them out and
 * measure the window again: on screen the counts change a few times a
 * second, and the last change is always shown once the interval is over,
 * or at once when the batch ends.
 * A filter the user picks, and anything off screen, follows at once.
 */
static void
list_changed_cb (FpCountryList  *list,
                 GParamSpec     *pspec,
                 FpStatusFilter *self)
{
  gint64 now = g_get_monotonic_time ();
  gint64 wait = self->counts_time + COUNTS_INTERVAL_US - now;

  /* Once the batch is over the counts are final: shown at once. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || wait <= 0 || !fp_country_list_get_following (list)
      || g_str_equal (g_param_spec_get_name (pspec), "status-filter"))
    {
      cancel_update (self);
      self->counts_time = now;
      update (self);
      return;
    }

  if (self->counts_source == 0)
    {
      self->counts_source = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (wait / 1000) + 1,
                                                counts_timeout_cb, self, NULL);
      g_source_set_name_by_id (self->counts_source, "[flagpole] status filter counts");
    }
}

static void
fp_status_filter_unmap (GtkWidget *widget)
{
  FpStatusFilter *self = FP_STATUS_FILTER (widget);
  gboolean pending = self->counts_source != 0;

  cancel_update (self);
  GTK_WIDGET_CLASS (fp_status_filter_parent_class)->unmap (widget);
  /* Off screen the counts follow at once. */
  if (pending)
    update (self);
}

static void
toggled_cb (GtkToggleButton *button,
            FpStatusFilter  *self)
{
  const char *filter;

  if (self->list == NULL || !gtk_toggle_button_get_active (button))
    return;

  if (button == self->downloaded_button)
    filter = "downloaded";
  else if (button == self->not_found_button)
    filter = "not-found";
  else if (button == self->failed_button)
    filter = "failed";
  else
    filter = "all";
  fp_country_list_set_status_filter (self->list, filter);
}

static void
fp_status_filter_dispose (GObject *object)
{
  FpStatusFilter *self = FP_STATUS_FILTER (object);

  fp_status_filter_set_list (self, NULL);
  cancel_update (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_STATUS_FILTER);

  G_OBJECT_CLASS (fp_status_filter_parent_class)->dispose (object);
}

static void
fp_status_filter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FpStatusFilter *self = FP_STATUS_FILTER (object);

  switch (prop_id)
    {
    case PROP_LIST:
      g_value_set_object (value, self->list);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_status_filter_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  FpStatusFilter *self = FP_STATUS_FILTER (object);

  switch (prop_id)
    {
    case PROP_LIST:
      fp_status_filter_set_list (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_status_filter_class_init (FpStatusFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_status_filter_dispose;
  object_class->get_property = fp_status_filter_get_property;
  object_class->set_property = fp_status_filter_set_property;
  widget_class->unmap = fp_status_filter_unmap;

  properties[PROP_LIST] =
    g_param_spec_object ("list", NULL, NULL, FP_TYPE_COUNTRY_LIST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-status-filter.ui");
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, toggles);
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, all_button);
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, downloaded_button);
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, not_found_button);
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, failed_button);
  gtk_widget_class_bind_template_child (widget_class, FpStatusFilter, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, toggled_cb);
  gtk_widget_class_set_css_name (widget_class, "fpstatusfilter");
}

static void
fp_status_filter_init (FpStatusFilter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

/**
 * fp_status_filter_set_list:
 * @list: (nullable): the country list it filters and counts
 */
void
fp_status_filter_set_list (FpStatusFilter *self,
                           FpCountryList  *list)
{
  g_return_if_fail (FP_IS_STATUS_FILTER (self));
  g_return_if_fail (list == NULL || FP_IS_COUNTRY_LIST (list));

  if (self->list == list)
    return;

  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_set_object (&self->list, list);
  if (list != NULL)
    {
      g_signal_connect_object (list, "notify::n-downloaded", G_CALLBACK (list_changed_cb), self, 0);
      g_signal_connect_object (list, "notify::n-not-found", G_CALLBACK (list_changed_cb), self, 0);
      g_signal_connect_object (list, "notify::n-failed", G_CALLBACK (list_changed_cb), self, 0);
      g_signal_connect_object (list, "notify::status-filter", G_CALLBACK (list_changed_cb), self, 0);
      g_signal_connect_object (list, "notify::following", G_CALLBACK (list_changed_cb), self, 0);
    }
  cancel_update (self);
  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
}

FpCountryList *
fp_status_filter_get_list (FpStatusFilter *self)
{
  g_return_val_if_fail (FP_IS_STATUS_FILTER (self), NULL);
  return self->list;
}
