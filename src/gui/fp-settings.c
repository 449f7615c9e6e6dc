/* fp-settings.c — the application's settings as typed properties, and what they make: a batch configuration
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-settings"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-settings.h"

/*
 * A read-through wrapper in the manner of GNOME Console's KgxSettings:
 * nothing is cached, so a key changed by anyone (Preferences, dconf, a
 * test) is what the next batch sees, and the property notifies when
 * GSettings says the key changed. Each property is named as its key, so
 * get_property and set_property are one switch on the value's type.
 */

/* The one-at-a-time times remembered for the speed-up, at most this many works. */
#define MAX_SEQUENTIAL_TIMES 64

struct _FpSettings
{
  GObject parent_instance;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (FpSettings, fp_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONCURRENCY,
  PROP_STRATEGY,
  PROP_ORDER,
  PROP_SOURCE,
  PROP_CUSTOM_URL,
  PROP_CUSTOM_EXTENSION,
  PROP_TIMEOUT,
  PROP_DESTINATION,
  PROP_SERVER_MIN_DELAY,
  PROP_SERVER_MAX_DELAY,
  PROP_SERVER_ERROR_RATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FpSettings *self = FP_SETTINGS (object);
  const char *key = g_param_spec_get_name (pspec);

  if (prop_id == 0 || prop_id >= N_PROPS)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    g_value_set_enum (value, g_settings_get_enum (self->settings, key));
  else if (G_IS_PARAM_SPEC_INT (pspec))
    g_value_set_int (value, g_settings_get_int (self->settings, key));
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    g_value_set_double (value, g_settings_get_double (self->settings, key));
  else
    g_value_take_string (value, g_settings_get_string (self->settings, key));
}

static void
fp_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FpSettings *self = FP_SETTINGS (object);
  const char *key = g_param_spec_get_name (pspec);

  /* The property notifies when GSettings tells the change (changed_cb). */
  if (prop_id == 0 || prop_id >= N_PROPS)
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  else if (G_IS_PARAM_SPEC_ENUM (pspec))
    g_settings_set_enum (self->settings, key, g_value_get_enum (value));
  else if (G_IS_PARAM_SPEC_INT (pspec))
    g_settings_set_int (self->settings, key, g_value_get_int (value));
  else if (G_IS_PARAM_SPEC_DOUBLE (pspec))
    g_settings_set_double (self->settings, key, g_value_get_double (value));
  else
    g_settings_set_string (self->settings, key, g_value_get_string (value));
}

static void
settings_changed_cb (GSettings  *settings,
                     const char *key,
                     FpSettings *self)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self), key);

  if (pspec != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
fp_settings_dispose (GObject *object)
{
  FpSettings *self = FP_SETTINGS (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fp_settings_parent_class)->dispose (object);
}

#define KEY_FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
fp_settings_class_init (FpSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fp_settings_dispose;
  object_class->get_property = fp_settings_get_property;
  object_class->set_property = fp_settings_set_property;

  /* The schema keeps the ranges; these only carry the types. */
  properties[PROP_CONCURRENCY] =
    g_param_spec_int ("concurrency", NULL, NULL, G_MININT, G_MAXINT, FP_DEFAULT_CONCURRENCY, KEY_FLAGS);
  properties[PROP_STRATEGY] =
    g_param_spec_enum ("strategy", NULL, NULL, FP_TYPE_DOWNLOAD_STRATEGY, FP_DOWNLOAD_STRATEGY_THREADS, KEY_FLAGS);
  properties[PROP_ORDER] =
    g_param_spec_enum ("order", NULL, NULL, FP_TYPE_RESULT_ORDER, FP_RESULT_ORDER_COMPLETED, KEY_FLAGS);
  properties[PROP_SOURCE] =
    g_param_spec_enum ("source", NULL, NULL, FP_TYPE_SOURCE_KIND, FP_SOURCE_KIND_BUILTIN, KEY_FLAGS);
  properties[PROP_CUSTOM_URL] =
    g_param_spec_string ("custom-url", NULL, NULL, "", KEY_FLAGS);
  properties[PROP_CUSTOM_EXTENSION] =
    g_param_spec_string ("custom-extension", NULL, NULL, FP_SOURCE_DEFAULT_EXTENSION, KEY_FLAGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_double ("timeout", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, FP_DEFAULT_TIMEOUT_S, KEY_FLAGS);
  properties[PROP_DESTINATION] =
    g_param_spec_string ("destination", NULL, NULL, "", KEY_FLAGS);
  properties[PROP_SERVER_MIN_DELAY] =
    g_param_spec_double ("server-min-delay", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, KEY_FLAGS);
  properties[PROP_SERVER_MAX_DELAY] =
    g_param_spec_double ("server-max-delay", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, KEY_FLAGS);
  properties[PROP_SERVER_ERROR_RATE] =
    g_param_spec_double ("server-error-rate", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, KEY_FLAGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_settings_init (FpSettings *self)
{
}

/**
 * fp_settings_new:
 * @settings: the application's settings, of the schema %APPLICATION_ID
 *
 * Returns: (transfer full): the typed view of @settings
 */
FpSettings *
fp_settings_new (GSettings *settings)
{
  FpSettings *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (FP_TYPE_SETTINGS, NULL);
  self->settings = g_object_ref (settings);
  g_signal_connect (settings, "changed", G_CALLBACK (settings_changed_cb), self);
  return self;
}

FpSourceKind
fp_settings_get_source (FpSettings *self)
{
  g_return_val_if_fail (FP_IS_SETTINGS (self), FP_SOURCE_KIND_BUILTIN);
  return g_settings_get_enum (self->settings, "source");
}

/* Returns: (transfer full): the custom URL, without spaces around it. */
char *
fp_settings_dup_custom_url (FpSettings *self)
{
  g_return_val_if_fail (FP_IS_SETTINGS (self), NULL);
  return g_strstrip (g_settings_get_string (self->settings, "custom-url"));
}

/* The source the settings choose. */
static FpSource *
dup_source (FpSettings  *self,
            GError     **error)
{
  g_autofree char *url = NULL;
  g_autofree char *ext = NULL;

  switch (fp_settings_get_source (self))
    {
    case FP_SOURCE_KIND_BUILTIN:
      return fp_source_new_builtin ();

    case FP_SOURCE_KIND_REMOTE:
      return fp_source_new_remote (NULL);

    case FP_SOURCE_KIND_CUSTOM:
    default:
      url = fp_settings_dup_custom_url (self);
      if (*url == '\0')
        {
          g_set_error_literal (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE,
                               _("No custom URL is set. Enter one in Preferences, or choose another source."));
          return NULL;
        }
      ext = g_settings_get_string (self->settings, "custom-extension");
      return fp_source_new_url (url, ext, error);
    }
}

/* The built-in server's keys, read in this one place. */
static void
read_server_settings (FpSettings    *self,
                      FpBatchConfig *config)
{
  fp_batch_config_set_server_delay (config,
                                    g_settings_get_double (self->settings, "server-min-delay"),
                                    g_settings_get_double (self->settings, "server-max-delay"));
  fp_batch_config_set_server_error_rate (config, g_settings_get_double (self->settings, "server-error-rate"));
}

/**
 * fp_settings_dup_batch_config:
 * @codes: the codes to download
 * @error: why the settings do not make a batch
 *
 * The one function from the settings to a batch: everything the next
 * batch takes from Preferences, read as the settings are now.
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL and @error
 */
FpBatchConfig *
fp_settings_dup_batch_config (FpSettings          *self,
                              const char * const  *codes,
                              GError             **error)
{
  g_autoptr(FpBatchConfig) config = NULL;
  g_autoptr(FpSource) source = NULL;
  g_autoptr(GFile) destination = NULL;

  g_return_val_if_fail (FP_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (codes != NULL, NULL);

  source = dup_source (self, error);
  if (source == NULL)
    return NULL;

  config = fp_batch_config_new ();
  destination = fp_settings_dup_destination (self);
  fp_batch_config_set_codes (config, codes);
  fp_batch_config_set_source (config, source);
  fp_batch_config_set_destination (config, destination);
  fp_batch_config_set_concurrency (config, g_settings_get_int (self->settings, "concurrency"));
  fp_batch_config_set_strategy (config, g_settings_get_enum (self->settings, "strategy"));
  fp_batch_config_set_order (config, g_settings_get_enum (self->settings, "order"));
  fp_batch_config_set_timeout (config, g_settings_get_double (self->settings, "timeout"));
  read_server_settings (self, config);

  return g_steal_pointer (&config);
}

/* Gives the built-in @server the latency and error rate of the settings. */
void
fp_settings_apply_to_server (FpSettings   *self,
                             FpFlagServer *server)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();

  g_return_if_fail (FP_IS_SETTINGS (self));
  g_return_if_fail (FP_IS_FLAG_SERVER (server));

  read_server_settings (self, config);
  fp_batch_config_apply_to_server (config, server);
}

/**
 * fp_settings_dup_destination:
 *
 * The destination folder: the "destination" key, or when it is empty the
 * Flags folder in the user's Pictures folder, or ~/Flags without one.
 *
 * Returns: (transfer full): the folder
 */
GFile *
fp_settings_dup_destination (FpSettings *self)
{
  g_autofree char *path = NULL;
  const char *pictures;

  g_return_val_if_fail (FP_IS_SETTINGS (self), NULL);

  path = g_settings_get_string (self->settings, "destination");
  if (path[0] != '\0')
    {
      g_autofree char *expanded = NULL;

      if (path[0] == '~')
        {
          expanded = g_build_filename (g_get_home_dir (), path + 1, NULL);
          return g_file_new_for_path (expanded);
        }
      return g_file_new_for_commandline_arg (path);
    }

  /* xdg-user-dirs points a folder it disabled at the home folder itself. */
  pictures = g_get_user_special_dir (G_USER_DIRECTORY_PICTURES);
  if (pictures != NULL && g_strcmp0 (pictures, g_get_home_dir ()) != 0)
    return g_file_new_build_filename (pictures, "Flags", NULL);

  return g_file_new_build_filename (g_get_home_dir (), "Flags", NULL);
}

/* Whether the destination is the default folder, not one the user chose. */
gboolean
fp_settings_get_destination_is_default (FpSettings *self)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (FP_IS_SETTINGS (self), TRUE);

  path = g_settings_get_string (self->settings, "destination");
  return path[0] == '\0';
}

/* @folder: a local folder the user chose. */
void
fp_settings_set_destination (FpSettings *self,
                             GFile      *folder)
{
  g_autofree char *path = NULL;

  g_return_if_fail (FP_IS_SETTINGS (self));
  g_return_if_fail (G_IS_FILE (folder));

  path = g_file_get_path (folder);
  g_return_if_fail (path != NULL);
  g_settings_set_string (self->settings, "destination", path);
}

/* Back to the default folder. */
void
fp_settings_reset_destination (FpSettings *self)
{
  g_return_if_fail (FP_IS_SETTINGS (self));
  g_settings_reset (self->settings, "destination");
}

/**
 * fp_settings_lookup_sequential_time:
 * @config: the work about to run
 *
 * Returns: how long the same work last took one at a time, in seconds,
 *   or -1 when it never ran so
 */
double
fp_settings_lookup_sequential_time (FpSettings    *self,
                                    FpBatchConfig *config)
{
  g_autoptr(GVariant) times = NULL;
  g_autofree char *key = NULL;
  double elapsed;

  g_return_val_if_fail (FP_IS_SETTINGS (self), -1.0);
  g_return_val_if_fail (FP_IS_BATCH_CONFIG (config), -1.0);

  times = g_settings_get_value (self->settings, "sequential-times");
  key = fp_batch_config_dup_work_key (config);
  if (g_variant_lookup (times, key, "d", &elapsed))
    return elapsed;

  return -1.0;
}

/**
 * fp_settings_record_run:
 * @run: a run that ended
 *
 * Keeps what a later run compares with: the time of a one-at-a-time run
 * that finished, under the key of its work. Other runs record nothing.
 */
void
fp_settings_record_run (FpSettings *self,
                        FpRun      *run)
{
  g_autoptr(GVariant) times = NULL;
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{sd}"));
  g_autofree char *key = NULL;
  FpBatchConfig *config;
  GVariantIter iter;
  const char *other;
  double other_elapsed;

  g_return_if_fail (FP_IS_SETTINGS (self));
  g_return_if_fail (FP_IS_RUN (run));

  config = fp_run_get_config (run);
  if (fp_run_get_state (run) != FP_RUN_STATE_FINISHED ||
      fp_batch_config_get_strategy (config) != FP_DOWNLOAD_STRATEGY_SEQUENTIAL)
    return;

  key = fp_batch_config_dup_work_key (config);
  times = g_settings_get_value (self->settings, "sequential-times");
  g_variant_builder_add (&builder, "{sd}", key, fp_run_get_elapsed (run));

  /* A bound on the record; which old entries go matters little. */
  if (g_variant_n_children (times) < MAX_SEQUENTIAL_TIMES)
    {
      g_variant_iter_init (&iter, times);
      while (g_variant_iter_next (&iter, "{&sd}", &other, &other_elapsed))
        if (g_strcmp0 (other, key) != 0)
          g_variant_builder_add (&builder, "{sd}", other, other_elapsed);
    }

  g_settings_set_value (self->settings, "sequential-times", g_variant_builder_end (&builder));
}

/* The window's size and state to restore. */
void
fp_settings_get_window_size (FpSettings *self,
                             int        *width,
                             int        *height,
                             gboolean   *maximized)
{
  g_return_if_fail (FP_IS_SETTINGS (self));

  *width = g_settings_get_int (self->settings, "window-width");
  *height = g_settings_get_int (self->settings, "window-height");
  *maximized = g_settings_get_boolean (self->settings, "window-maximized");
}

/* A maximized size is the screen's, not one worth restoring: pass 0 for it. */
void
fp_settings_set_window_size (FpSettings *self,
                             int         width,
                             int         height,
                             gboolean    maximized)
{
  g_return_if_fail (FP_IS_SETTINGS (self));

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}
