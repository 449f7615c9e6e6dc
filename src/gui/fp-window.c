/* fp-window.c — the Flagpole window: the country list, the batch's progress, the flag grid
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-window"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-country-list.h"
#include "fp-country-row.h"
#include "fp-run-insights.h"
#include "fp-run-status-private.h"
#include "fp-run-text.h"
#include "fp-status-filter.h"
#include "fp-window-private.h"

/*
 * The window composes widgets and binds them to two models: an
 * FpCountryList (the rows, presets, search, selection and the batch's
 * statuses), shown by the list view, and the FpRun of the current batch,
 * shown by an FpRunStatus (progress, then summary) and the flag grid.
 * The application makes the runs from the settings and records them; the
 * window asks the settings only for its own size and its grid's folder.
 */

G_DEFINE_FINAL_TYPE (FpWindow, fp_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_N_SELECTED,
  PROP_PRESET,
  PROP_SUMMARY,
  PROP_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
n_selected_changed_cb (FpCountryList *countries,
                       GParamSpec    *pspec,
                       FpWindow      *self)
{
  guint n_selected = fp_country_list_get_n_selected (countries);
  g_autofree char *text = NULL;

  /* Translators: how many countries are picked for the next download */
  text = g_strdup_printf (ngettext ("%u selected", "%u selected", n_selected), n_selected);
  gtk_label_set_label (self->selection_label, text);
  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SELECTED]);
}

static void
preset_changed_cb (FpCountryList *countries,
                   GParamSpec    *pspec,
                   FpWindow      *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);
}

static void
visible_countries_changed_cb (GListModel *model,
                              guint       position,
                              guint       removed,
                              guint       added,
                              FpWindow   *self)
{
  gboolean empty = g_list_model_get_n_items (model) == 0;
  g_autofree char *query = g_strdup (fp_country_list_get_search_text (self->countries));

  if (empty && g_strstrip (query)[0] == '\0')
    {
      /* Only the selected are shown, and there are none. */
      adw_status_page_set_icon_name (self->empty_page, "checkbox-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Countries Selected"));
      adw_status_page_set_description (self->empty_page, _("Pick some with the Select menu, or search for a country"));
    }
  else if (empty)
    {
      adw_status_page_set_icon_name (self->empty_page, "system-search-symbolic");
      adw_status_page_set_title (self->empty_page, _("No Results Found"));
      adw_status_page_set_description (self->empty_page, _("Try a country’s name or its two-letter code"));
    }

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
}

static void
search_changed_cb (GtkSearchEntry *entry,
                   FpWindow       *self)
{
  fp_country_list_set_search_text (self->countries, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
stop_search_cb (GtkSearchEntry *entry,
                FpWindow       *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

static void
row_setup_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              FpWindow                 *self)
{
  gtk_list_item_set_child (list_item, fp_country_row_new ());
  /* The check box inside takes the clicks; the row itself is not an action. */
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
row_bind_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             FpWindow                 *self)
{
  fp_country_row_set_item (FP_COUNTRY_ROW (gtk_list_item_get_child (list_item)),
                           gtk_list_item_get_item (list_item));
}

static void
row_unbind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               FpWindow                 *self)
{
  fp_country_row_set_item (FP_COUNTRY_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* The status band */

static void
status_dismissed_cb (FpRunStatus *status,
                     FpWindow    *self)
{
  gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
}

static void
summary_changed_cb (FpRunStatus *status,
                    GParamSpec  *pspec,
                    FpWindow    *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* The grid */

void
_fp_window_apply_destination (FpWindow *self)
{
  g_autoptr(GFile) destination = NULL;
  GFile *current;

  if (self->settings == NULL)
    return;

  destination = fp_settings_dup_destination (self->settings);
  current = fp_flag_grid_get_destination (self->flag_grid);
  if (current == NULL || !g_file_equal (current, destination))
    fp_flag_grid_set_destination (self->flag_grid, destination);
}

static void
destination_changed_cb (FpSettings *settings,
                        GParamSpec *pspec,
                        FpWindow   *self)
{
  /* The grid keeps showing the running batch's folder until it ends. */
  if (_fp_window_get_running (self))
    self->destination_pending = TRUE;
  else
    _fp_window_apply_destination (self);
}

static void
retry_failed_action_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  fp_window_retry_failed (FP_WINDOW (widget));
}

/**
 * fp_window_select_preset:
 * @preset: "top20", "all", "every" or "none"
 *
 * Selects the countries of one of the book's selections.
 *
 * Returns: FALSE when @preset is none of them
 */
gboolean
fp_window_select_preset (FpWindow   *self,
                         const char *preset)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), FALSE);

  return fp_country_list_select_preset (self->countries, preset);
}

/* "top20", "all", "every", "none", or "custom" once the user changed a row. */
const char *
fp_window_get_preset (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return fp_country_list_get_preset (self->countries);
}

/**
 * fp_window_focus_search:
 *
 * Shows the country list, even on a narrow window, and puts the focus in its search.
 */
void
fp_window_focus_search (FpWindow *self)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  adw_flap_set_reveal_flap (self->flap, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

gboolean
fp_window_get_running (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), FALSE);

  return _fp_window_get_running (self);
}

guint
fp_window_get_n_selected (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), 0);

  return fp_country_list_get_n_selected (self->countries);
}

/* The rows the window shows and what they show. */
FpCountryList *
fp_window_get_country_list (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->countries;
}

/* Returns: (nullable): the running batch's run, or the last one. */
FpRun *
fp_window_get_run (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->run;
}

static void
search_action_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  fp_window_focus_search (FP_WINDOW (widget));
}

/* The application, and so the settings, come after construction (GtkWindow's
 * "application" is not a construct property): set up once they are there. */
static void
application_changed_cb (FpWindow   *self,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  int width, height;
  gboolean maximized;

  if (self->settings != NULL || !FP_IS_APPLICATION (app))
    return;

  self->settings = g_object_ref (fp_application_get_settings (FP_APPLICATION (app)));
  fp_settings_get_window_size (self->settings, &width, &height, &maximized);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (maximized)
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "notify::destination",
                           G_CALLBACK (destination_changed_cb), self, 0);
  _fp_window_apply_destination (self);
}

static gboolean
fp_window_close_request (GtkWindow *window)
{
  FpWindow *self = FP_WINDOW (window);
  int width = 0, height = 0;

  if (self->settings != NULL)
    {
      gtk_window_get_default_size (window, &width, &height);
      fp_settings_set_window_size (self->settings, width, height, gtk_window_is_maximized (window));
    }

  return GTK_WINDOW_CLASS (fp_window_parent_class)->close_request (window);
}

static void
fp_window_dispose (GObject *object)
{
  FpWindow *self = FP_WINDOW (object);

  if (self->run != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->run, self);
      fp_run_cancel (self->run);
    }
  g_clear_object (&self->run);
  if (self->countries != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->countries, self);
      g_signal_handlers_disconnect_by_data (fp_country_list_get_visible (self->countries), self);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_WINDOW);
  g_clear_object (&self->insights);

  g_clear_object (&self->countries);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fp_window_parent_class)->dispose (object);
}

static void
fp_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FpWindow *self = FP_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, _fp_window_get_running (self));
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, fp_country_list_get_n_selected (self->countries));
      break;
    case PROP_PRESET:
      g_value_set_string (value, fp_country_list_get_preset (self->countries));
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, fp_run_status_get_summary (self->run_status));
      break;
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_window_class_init (FpWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = fp_window_dispose;
  object_class->get_property = fp_window_get_property;
  window_class->close_request = fp_window_close_request;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESET] =
    g_param_spec_string ("preset", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL, FP_TYPE_RUN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FP_TYPE_FLAG_GRID);
  g_type_ensure (FP_TYPE_RUN_STATUS);
  g_type_ensure (FP_TYPE_STATUS_FILTER);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FpWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, action_stack);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, selection_label);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, selected_only_button);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, country_list);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, run_status);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, flag_grid);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, status_filter);
  gtk_widget_class_bind_template_child (widget_class, FpWindow, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_dismissed_cb);

  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action_cb);
  gtk_widget_class_install_action (widget_class, "win.retry-failed", NULL, retry_failed_action_cb);
}

static void
fp_window_init (FpWindow *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkListItemFactory *factory;
  GListModel *visible;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The user's history of runs, read on a worker thread. */
  self->insights = fp_run_insights_new (NULL);
  fp_run_insights_attach (self->insights, self->view_stack);

  self->countries = fp_country_list_new ();
  fp_run_insights_set_selection (self->insights, self->countries);
  visible = fp_country_list_get_visible (self->countries);
  g_signal_connect_object (visible, "items-changed", G_CALLBACK (visible_countries_changed_cb), self, 0);
  g_signal_connect (self->countries, "notify::n-selected", G_CALLBACK (n_selected_changed_cb), self);
  g_signal_connect (self->countries, "notify::preset", G_CALLBACK (preset_changed_cb), self);
  g_object_bind_property (self->countries, "selected-only", self->selected_only_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (row_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind_cb), self);
  gtk_grid_view_set_factory (self->country_list, factory);
  g_object_unref (factory);
  selection = gtk_no_selection_new (g_object_ref (visible));
  gtk_grid_view_set_model (self->country_list, GTK_SELECTION_MODEL (selection));

  n_selected_changed_cb (self->countries, NULL, self);
  fp_country_list_select_preset (self->countries, "top20");

  /* The list opens on every country, the top 20 checked: a newcomer sees
   * that 249 can be picked; a batch then shows its own rows. */
  fp_country_list_set_selected_only (self->countries, FALSE);
  fp_status_filter_set_list (self->status_filter, self->countries);
  g_signal_connect_object (self->countries, "notify::n-failed", G_CALLBACK (_fp_window_update_retry_action),
                           self, G_CONNECT_SWAPPED);
  _fp_window_update_retry_action (self);

  g_signal_connect (self->run_status, "notify::summary", G_CALLBACK (summary_changed_cb), self);
  g_signal_connect (self, "notify::application", G_CALLBACK (application_changed_cb), NULL);
}

/**
 * fp_window_new:
 * @application: the application the window belongs to
 *
 * Returns: (transfer none): a new window, owned by @application
 */
FpWindow *
fp_window_new (FpApplication *application)
{
  g_return_val_if_fail (FP_IS_APPLICATION (application), NULL);

  return g_object_new (FP_TYPE_WINDOW, "application", application, NULL);
}

/* What tests read (fp-window-private.h). */

FpFlagGrid *
fp_window_get_flag_grid (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return self->flag_grid;
}

/* The last batch's outcome: its title and detail, one line each, or NULL. */
const char *
fp_window_get_summary (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return fp_run_status_get_summary (self->run_status);
}

/* Types into the search entry, and filters at once, not after the entry's delay. */
void
fp_window_set_search_text (FpWindow   *self,
                           const char *text)
{
  g_return_if_fail (FP_IS_WINDOW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text != NULL ? text : "");
  fp_country_list_set_search_text (self->countries, text);
}

/* The progress as the status area says it, as in "13 of 20 flags". */
const char *
fp_window_get_progress_text (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), NULL);

  return fp_run_status_get_progress_text (self->run_status);
}

double
fp_window_get_progress_fraction (FpWindow *self)
{
  g_return_val_if_fail (FP_IS_WINDOW (self), 0.0);

  return fp_run_status_get_fraction (self->run_status);
}
