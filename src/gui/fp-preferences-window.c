/* fp-preferences-window.c — Preferences: concurrency, strategy, source, destination, the built-in server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-preferences-window.h"
#include "fp-settings.h"

struct _FpPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwActionRow *concurrency_row;
  GtkSpinButton *concurrency_spin;
  AdwComboRow *strategy_row;
  AdwComboRow *order_row;
  GtkSpinButton *timeout_spin;
  AdwComboRow *source_row;
  AdwEntryRow *custom_url_row;
  AdwEntryRow *custom_extension_row;
  AdwActionRow *destination_row;
  GtkButton *destination_reset_button;
  AdwPreferencesGroup *server_group;
  GtkSpinButton *min_delay_spin;
  GtkSpinButton *max_delay_spin;
  GtkSpinButton *error_rate_spin;

  FpSettings *settings;
  GPtrArray *bindings;           /* GBinding, one per row bound to a setting */
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (FpPreferencesWindow, fp_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * The combo rows list an enum setting's values in the order of the
 * engine's enum type, which is the schema's: the row's "selected" is the
 * value's index in the registered type, never a nick spelled here.
 */
static gboolean
enum_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (from));

  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value == g_value_get_enum (from))
      {
        g_value_set_uint (to, i);
        return TRUE;
      }

  return FALSE;
}

static gboolean
selected_to_enum (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (to));
  guint selected = g_value_get_uint (from);

  if (selected >= klass->n_values)
    return FALSE;

  g_value_set_enum (to, klass->values[selected].value);
  return TRUE;
}

/* The setting is a share from 0 to 1; people think of a rate in percent. */
static gboolean
share_to_percent (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_double (to, g_value_get_double (from) * 100.0);
  return TRUE;
}

static gboolean
percent_to_share (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  g_value_set_double (to, CLAMP (g_value_get_double (from) / 100.0, 0.0, 1.0));
  return TRUE;
}

/* Binds a row's @property to the setting @name both ways, the setting first. */
static void
bind_setting (FpPreferencesWindow   *self,
              const char            *name,
              gpointer               row,
              const char            *property,
              GBindingTransformFunc  to_row,
              GBindingTransformFunc  to_setting)
{
  GBinding *binding = g_object_bind_property_full (self->settings, name, row, property,
                                                   G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                                                   to_row, to_setting, NULL, NULL);

  g_ptr_array_add (self->bindings, g_object_ref (binding));
}

static void
update_source (FpPreferencesWindow *self)
{
  FpSourceKind source = fp_settings_get_source (self->settings);
  gboolean custom = source == FP_SOURCE_KIND_CUSTOM;
  gboolean builtin = source == FP_SOURCE_KIND_BUILTIN;

  if (builtin)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->source_row),
                                 _("Debian’s flags, served on this computer"));
  else if (source == FP_SOURCE_KIND_REMOTE)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->source_row), BOOK_FLAGS_URL);
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->source_row),
                                 _("Any server with the book’s layout: URL/cc/cc.ext"));

  gtk_widget_set_visible (GTK_WIDGET (self->custom_url_row), custom);
  gtk_widget_set_visible (GTK_WIDGET (self->custom_extension_row), custom);
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), builtin);
}

/* A sentence on what the chosen strategy is; the concurrency means
 * nothing one at a time. */
static void
update_strategy (FpPreferencesWindow *self)
{
  FpDownloadStrategy strategy = FP_DOWNLOAD_STRATEGY_THREADS;
  FpResultOrder order = FP_RESULT_ORDER_COMPLETED;
  const char *what;

  g_object_get (self->settings, "strategy", &strategy, "order", &order, NULL);
  switch (strategy)
    {
    case FP_DOWNLOAD_STRATEGY_SEQUENTIAL:
      what = _("One download after another, the book’s baseline");
      break;
    case FP_DOWNLOAD_STRATEGY_ASYNC:
      what = _("One thread runs every download on an event loop, as many in flight as the concurrency");
      break;
    case FP_DOWNLOAD_STRATEGY_PROCESSES:
      what = _("Worker processes, one per simultaneous download; they take a moment to start");
      break;
    case FP_DOWNLOAD_STRATEGY_THREADS:
    default:
      what = _("A pool of threads, each running one download at a time");
      break;
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row), what);
  gtk_widget_set_sensitive (GTK_WIDGET (self->concurrency_row), strategy != FP_DOWNLOAD_STRATEGY_SEQUENTIAL);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->order_row),
                               order == FP_RESULT_ORDER_SUBMITTED
                               ? _("In the order of the codes: a slow download holds back the rest")
                               : _("Each result as soon as it is in"));
}

static void
update_custom_url (FpPreferencesWindow *self)
{
  g_autofree char *url = fp_settings_dup_custom_url (self->settings);
  GtkWidget *row = GTK_WIDGET (self->custom_url_row);

  /* Flag a URL the engine would refuse now, not at the next download. */
  if (*url != '\0' && !fp_source_url_is_valid (url, NULL))
    {
      gtk_widget_add_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, _("Enter an http or https URL"));
    }
  else
    {
      gtk_widget_remove_css_class (row, "error");
      gtk_widget_set_tooltip_text (row, NULL);
    }
}

static void
update_destination (FpPreferencesWindow *self)
{
  g_autoptr(GFile) destination = fp_settings_dup_destination (self->settings);
  g_autofree char *path = g_file_get_path (destination);

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->destination_row),
                               path != NULL ? path : g_file_peek_path (destination));
  gtk_widget_set_visible (GTK_WIDGET (self->destination_reset_button),
                          !fp_settings_get_destination_is_default (self->settings));
}

static void
source_changed_cb (FpSettings          *settings,
                   GParamSpec          *pspec,
                   FpPreferencesWindow *self)
{
  update_source (self);
}

static void
custom_url_changed_cb (FpSettings          *settings,
                       GParamSpec          *pspec,
                       FpPreferencesWindow *self)
{
  update_custom_url (self);
}

static void
destination_changed_cb (FpSettings          *settings,
                        GParamSpec          *pspec,
                        FpPreferencesWindow *self)
{
  update_destination (self);
}

static void
strategy_changed_cb (FpSettings          *settings,
                     GParamSpec          *pspec,
                     FpPreferencesWindow *self)
{
  update_strategy (self);
}

static void
chooser_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     FpPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        fp_settings_set_destination (self->settings, folder);
      else
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Choose a folder on this computer")));
    }

  g_clear_object (&self->chooser);
}

static void
destination_clicked_cb (GtkButton           *button,
                        FpPreferencesWindow *self)
{
  g_autoptr(GFile) destination = fp_settings_dup_destination (self->settings);

  if (self->chooser != NULL)
    return;

  /* GTK 4.8 has no GtkFileDialog; the native chooser also works in a sandbox. */
  self->chooser = gtk_file_chooser_native_new (_("Choose a Destination Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (g_file_query_exists (destination, NULL))
    gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->chooser), destination, NULL);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
destination_reset_clicked_cb (GtkButton           *button,
                              FpPreferencesWindow *self)
{
  fp_settings_reset_destination (self->settings);
}

static void
fp_preferences_window_constructed (GObject *object)
{
  FpPreferencesWindow *self = FP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (fp_preferences_window_parent_class)->constructed (object);

  g_assert (FP_IS_SETTINGS (self->settings));

  /* NULL transforms: GLib's own (int and double convert either way). */
  self->bindings = g_ptr_array_new_with_free_func (g_object_unref);
  bind_setting (self, "concurrency", self->concurrency_spin, "value", NULL, NULL);
  bind_setting (self, "timeout", self->timeout_spin, "value", NULL, NULL);
  bind_setting (self, "server-min-delay", self->min_delay_spin, "value", NULL, NULL);
  bind_setting (self, "server-max-delay", self->max_delay_spin, "value", NULL, NULL);
  bind_setting (self, "server-error-rate", self->error_rate_spin, "value", share_to_percent, percent_to_share);
  bind_setting (self, "strategy", self->strategy_row, "selected", enum_to_selected, selected_to_enum);
  bind_setting (self, "order", self->order_row, "selected", enum_to_selected, selected_to_enum);
  bind_setting (self, "source", self->source_row, "selected", enum_to_selected, selected_to_enum);
  bind_setting (self, "custom-url", self->custom_url_row, "text", NULL, NULL);
  bind_setting (self, "custom-extension", self->custom_extension_row, "text", NULL, NULL);

  g_signal_connect_object (self->settings, "notify::source", G_CALLBACK (source_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::strategy", G_CALLBACK (strategy_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::order", G_CALLBACK (strategy_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::custom-url", G_CALLBACK (custom_url_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::destination", G_CALLBACK (destination_changed_cb), self, 0);
  update_source (self);
  update_strategy (self);
  update_custom_url (self);
  update_destination (self);
}

static void
fp_preferences_window_dispose (GObject *object)
{
  FpPreferencesWindow *self = FP_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  /* libadwaita 1.2 never frees a window's AdwPreferencesGroups (and so their
   * rows): undo the bindings, so that the settings do not stay tied to them. */
  if (self->bindings != NULL)
    {
      for (guint i = 0; i < self->bindings->len; i++)
        g_binding_unbind (g_ptr_array_index (self->bindings, i));
      g_clear_pointer (&self->bindings, g_ptr_array_unref);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fp_preferences_window_parent_class)->dispose (object);
}

static void
fp_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  FpPreferencesWindow *self = FP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  FpPreferencesWindow *self = FP_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_preferences_window_class_init (FpPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fp_preferences_window_constructed;
  object_class->dispose = fp_preferences_window_dispose;
  object_class->get_property = fp_preferences_window_get_property;
  object_class->set_property = fp_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         FP_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, concurrency_spin);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, concurrency_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, strategy_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, order_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, source_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, custom_url_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, custom_extension_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, destination_row);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, destination_reset_button);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, min_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, max_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, FpPreferencesWindow, error_rate_spin);
  gtk_widget_class_bind_template_callback (widget_class, destination_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, destination_reset_clicked_cb);
}

static void
fp_preferences_window_init (FpPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * fp_preferences_window_new:
 * @settings: the application's settings, which every row is bound to
 *
 * Returns: (transfer none): a new preferences window
 */
FpPreferencesWindow *
fp_preferences_window_new (FpSettings *settings)
{
  g_return_val_if_fail (FP_IS_SETTINGS (settings), NULL);

  return g_object_new (FP_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
