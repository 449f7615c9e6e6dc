/* fp-preferences-window.c — Preferences: concurrency, strategy, source, destination, the built-in server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-application.h"
#include "fp-preferences-window.h"

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

  GSettings *settings;
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
 * The combo rows list an enum key's values in the schema's order, which
 * is the order of the engine's enum type: the nicks come from the type
 * glib-mkenums registered (user_data is its GType), never spelled here.
 */
static gboolean
enum_to_selected (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref ((GType) GPOINTER_TO_SIZE (user_data));
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < klass->n_values; i++)
    if (g_str_equal (klass->values[i].value_nick, nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
selected_to_enum (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref ((GType) GPOINTER_TO_SIZE (user_data));
  guint selected = g_value_get_uint (value);

  if (selected >= klass->n_values)
    return NULL;

  return g_variant_new_string (klass->values[selected].value_nick);
}

/* The setting is a share from 0 to 1; people think of a rate in percent. */
static gboolean
share_to_percent (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_double (variant) * 100.0);
  return TRUE;
}

static GVariant *
percent_to_share (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  return g_variant_new_double (CLAMP (g_value_get_double (value) / 100.0, 0.0, 1.0));
}

static void
update_source (FpPreferencesWindow *self)
{
  FpSourceKind source = g_settings_get_enum (self->settings, "source");
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
  g_autofree char *strategy = g_settings_get_string (self->settings, "strategy");
  g_autofree char *order = g_settings_get_string (self->settings, "order");
  const char *what;

  if (g_str_equal (strategy, "sequential"))
    what = _("One download after another, the book’s baseline");
  else if (g_str_equal (strategy, "async"))
    what = _("One thread runs every download on an event loop, as many in flight as the concurrency");
  else if (g_str_equal (strategy, "processes"))
    what = _("Worker processes, one per simultaneous download; they take a moment to start");
  else
    what = _("A pool of threads, each running one download at a time");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->strategy_row), what);
  gtk_widget_set_sensitive (GTK_WIDGET (self->concurrency_row), !g_str_equal (strategy, "sequential"));

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->order_row),
                               g_str_equal (order, "submitted")
                               ? _("In the order of the codes: a slow download holds back the rest")
                               : _("Each result as soon as it is in"));
}

static void
update_custom_url (FpPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (g_settings_get_string (self->settings, "custom-url"));
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
  g_autoptr(GFile) destination = fp_application_resolve_destination (self->settings);
  g_autofree char *path = g_file_get_path (destination);
  g_autofree char *custom = g_settings_get_string (self->settings, "destination");

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->destination_row),
                               path != NULL ? path : g_file_peek_path (destination));
  gtk_widget_set_visible (GTK_WIDGET (self->destination_reset_button), custom[0] != '\0');
}

static void
settings_changed_cb (GSettings           *settings,
                     const char          *key,
                     FpPreferencesWindow *self)
{
  if (g_str_equal (key, "source"))
    update_source (self);
  else if (g_str_equal (key, "strategy") || g_str_equal (key, "order"))
    update_strategy (self);
  else if (g_str_equal (key, "custom-url"))
    update_custom_url (self);
  else if (g_str_equal (key, "destination"))
    update_destination (self);
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
        g_settings_set_string (self->settings, "destination", path);
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
  g_autoptr(GFile) destination = fp_application_resolve_destination (self->settings);

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
  g_settings_reset (self->settings, "destination");
}

static void
fp_preferences_window_constructed (GObject *object)
{
  FpPreferencesWindow *self = FP_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (fp_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  g_settings_bind (self->settings, "concurrency", self->concurrency_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "timeout", self->timeout_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "server-min-delay", self->min_delay_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "server-max-delay", self->max_delay_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "server-error-rate",
                                self->error_rate_spin, "value", G_SETTINGS_BIND_DEFAULT,
                                share_to_percent, percent_to_share, NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "strategy",
                                self->strategy_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                enum_to_selected, selected_to_enum,
                                GSIZE_TO_POINTER (FP_TYPE_DOWNLOAD_STRATEGY), NULL);
  g_settings_bind_with_mapping (self->settings, "order",
                                self->order_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                enum_to_selected, selected_to_enum,
                                GSIZE_TO_POINTER (FP_TYPE_RESULT_ORDER), NULL);
  g_settings_bind_with_mapping (self->settings, "source",
                                self->source_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                enum_to_selected, selected_to_enum,
                                GSIZE_TO_POINTER (FP_TYPE_SOURCE_KIND), NULL);
  g_settings_bind (self->settings, "custom-url", self->custom_url_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "custom-extension", self->custom_extension_row, "text", G_SETTINGS_BIND_DEFAULT);

  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
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
  if (self->concurrency_spin != NULL)
    {
      struct { gpointer widget; const char *property; } bound[] = {
        { self->concurrency_spin, "value" },
        { self->timeout_spin, "value" },
        { self->min_delay_spin, "value" },
        { self->max_delay_spin, "value" },
        { self->error_rate_spin, "value" },
        { self->strategy_row, "selected" },
        { self->order_row, "selected" },
        { self->source_row, "selected" },
        { self->custom_url_row, "text" },
        { self->custom_extension_row, "text" },
      };

      for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
        {
          g_settings_unbind (bound[i].widget, bound[i].property);
          /* g_settings_bind() also ties "sensitive" to the key's writability. */
          g_settings_unbind (bound[i].widget, "sensitive");
        }
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
                         G_TYPE_SETTINGS,
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
fp_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FP_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}
