/* fp-application.c — the Flagpole application: actions, settings, the built-in flag server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-application"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fp-application.h"
#include "fp-preferences-window.h"
#include "fp-window.h"

#define BATCH_NOTIFICATION_ID "batch-finished"

struct _FpApplication
{
  AdwApplication parent_instance;

  GSettings *settings;
  FpFlagServer *server;

  FpNotifyFunc notify_func;
  gpointer notify_data;
  FpFocusFunc focus_func;
  gpointer focus_data;
};

G_DEFINE_FINAL_TYPE (FpApplication, fp_application, ADW_TYPE_APPLICATION)

static FpWindow *
get_main_window (FpApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (FP_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* Actions from outside (gapplication, a notification) may come before any window. */
static FpWindow *
ensure_main_window (FpApplication *self)
{
  FpWindow *window = get_main_window (self);

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = get_main_window (self);
    }

  return window;
}

static void
update_actions (FpApplication *self)
{
  FpWindow *window = get_main_window (self);
  GAction *download = g_action_map_lookup_action (G_ACTION_MAP (self), "download");
  GAction *cancel = g_action_map_lookup_action (G_ACTION_MAP (self), "cancel");
  GAction *select = g_action_map_lookup_action (G_ACTION_MAP (self), "select");
  gboolean running = window != NULL && fp_window_get_running (window);

  /* Without a window, "download" still works: it opens one first. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (download),
                               window == NULL || (!running && fp_window_get_n_selected (window) > 0));
  /* Disabled, Escape falls through to the widgets (the search entry) instead. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (cancel), running);

  if (window != NULL && fp_window_get_preset (window) != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (select),
                               g_variant_new_string (fp_window_get_preset (window)));
}

static void
window_state_changed_cb (FpWindow      *window,
                         GParamSpec    *pspec,
                         FpApplication *self)
{
  update_actions (self);
}

static void
window_active_changed_cb (FpWindow      *window,
                          GParamSpec    *pspec,
                          FpApplication *self)
{
  /* The window shows the summary now, so the notification has said its piece. */
  if (gtk_window_is_active (GTK_WINDOW (window)) &&
      self->notify_func == NULL &&
      g_application_get_is_registered (G_APPLICATION (self)))
    g_application_withdraw_notification (G_APPLICATION (self), BATCH_NOTIFICATION_ID);
}

static void
download_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  FpWindow *window = ensure_main_window (FP_APPLICATION (user_data));

  if (window != NULL)
    fp_window_start_download (window);
}

static void
cancel_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FpWindow *window = get_main_window (FP_APPLICATION (user_data));

  if (window != NULL)
    fp_window_cancel_download (window);
}

static void
select_change_state (GSimpleAction *action,
                     GVariant      *value,
                     gpointer       user_data)
{
  FpApplication *self = FP_APPLICATION (user_data);
  FpWindow *window = ensure_main_window (self);

  /* The window says which preset holds; an unknown name changes nothing. */
  if (window != NULL && !fp_window_select_preset (window, g_variant_get_string (value, NULL)))
    g_warning ("No selection is called “%s”: use top20, all, every or none",
               g_variant_get_string (value, NULL));

  update_actions (self);
}

static void
present_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  FpApplication *self = FP_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  FpPreferencesWindow *preferences;

  preferences = fp_preferences_window_new (self->settings);
  gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  FpApplication *self = FP_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char * const developers[] = { "The Flagpole developers", NULL };
  static const char * const book[] = {
    "Fluent Python, by Luciano Ramalho https://www.fluentpython.com/",
    "iso-codes https://salsa.debian.org/iso-codes-team/iso-codes",
    NULL
  };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Flagpole"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Flagpole developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Download the flags of the world’s countries concurrently, "
                                      "and watch what a thread pool does to the time it takes."),
                        "copyright", "© The Flagpole developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        "modal", TRUE,
                        NULL);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about),
                                                _("Based on the flags programs of"),
                                                (const char **) book);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  FpApplication *self = FP_APPLICATION (user_data);
  g_autoptr(GList) windows = NULL;

  /* Closing, not destroying, lets each window remember its size. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { .name = "download", .activate = download_activated },
  { .name = "cancel", .activate = cancel_activated },
  { .name = "select", .parameter_type = "s", .state = "'top20'", .change_state = select_change_state },
  { .name = "present-window", .activate = present_activated },
  { .name = "preferences", .activate = preferences_activated },
  { .name = "about", .activate = about_activated },
  { .name = "quit", .activate = quit_activated },
};

/* The built-in server's keys, read in this one place. */
static void
read_server_settings (FpApplication *self,
                      FpBatchConfig *config)
{
  fp_batch_config_set_server_delay (config,
                                    g_settings_get_double (self->settings, "server-min-delay"),
                                    g_settings_get_double (self->settings, "server-max-delay"));
  fp_batch_config_set_server_error_rate (config, g_settings_get_double (self->settings, "server-error-rate"));
}

static void
apply_server_settings (FpApplication *self)
{
  g_autoptr(FpBatchConfig) config = NULL;

  if (self->server == NULL)
    return;

  config = fp_batch_config_new ();
  read_server_settings (self, config);
  fp_batch_config_apply_to_server (config, self->server);
}

static void
server_settings_changed_cb (GSettings     *settings,
                            const char    *key,
                            FpApplication *self)
{
  if (g_str_has_prefix (key, "server-"))
    apply_server_settings (self);
}

static void
fp_application_activate (GApplication *app)
{
  FpApplication *self = FP_APPLICATION (app);
  FpWindow *window = get_main_window (self);

  if (window == NULL)
    window = fp_window_new (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
fp_application_startup (GApplication *app)
{
  FpApplication *self = FP_APPLICATION (app);
  static const char * const download_accels[] = { "<Control>d", NULL };
  static const char * const cancel_accels[] = { "Escape", NULL };
  static const char * const search_accels[] = { "<Control>f", NULL };
  static const char * const preferences_accels[] = { "<Control>comma", NULL };
  static const char * const quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (fp_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.download", download_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.cancel", cancel_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  update_actions (self);
}

static void
fp_application_shutdown (GApplication *app)
{
  FpApplication *self = FP_APPLICATION (app);

  if (self->server != NULL)
    fp_flag_server_stop (self->server);
  g_clear_object (&self->server);
  g_settings_sync ();

  G_APPLICATION_CLASS (fp_application_parent_class)->shutdown (app);
}

static void
fp_application_window_added (GtkApplication *app,
                             GtkWindow      *window)
{
  FpApplication *self = FP_APPLICATION (app);

  GTK_APPLICATION_CLASS (fp_application_parent_class)->window_added (app, window);

  if (!FP_IS_WINDOW (window))
    return;

  g_signal_connect_object (window, "notify::running", G_CALLBACK (window_state_changed_cb), self, 0);
  g_signal_connect_object (window, "notify::n-selected", G_CALLBACK (window_state_changed_cb), self, 0);
  g_signal_connect_object (window, "notify::preset", G_CALLBACK (window_state_changed_cb), self, 0);
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_changed_cb), self, 0);
  update_actions (self);
}

static void
fp_application_window_removed (GtkApplication *app,
                               GtkWindow      *window)
{
  FpApplication *self = FP_APPLICATION (app);

  if (FP_IS_WINDOW (window))
    g_signal_handlers_disconnect_by_data (window, self);

  GTK_APPLICATION_CLASS (fp_application_parent_class)->window_removed (app, window);

  update_actions (self);
}

static void
fp_application_dispose (GObject *object)
{
  FpApplication *self = FP_APPLICATION (object);

  if (self->server != NULL)
    fp_flag_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fp_application_parent_class)->dispose (object);
}

static void
fp_application_class_init (FpApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_app_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = fp_application_dispose;
  app_class->activate = fp_application_activate;
  app_class->startup = fp_application_startup;
  app_class->shutdown = fp_application_shutdown;
  gtk_app_class->window_added = fp_application_window_added;
  gtk_app_class->window_removed = fp_application_window_removed;
}

static void
fp_application_init (FpApplication *self)
{
  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (server_settings_changed_cb), self, 0);
}

FpApplication *
fp_application_new (void)
{
  return g_object_new (FP_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/flagpole/Flagpole",
                       NULL);
}

GSettings *
fp_application_get_settings (FpApplication *self)
{
  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * fp_application_get_server:
 *
 * The built-in flag server, started on a free port the first time it is
 * needed, with the latency and error rate of the settings.
 *
 * Returns: (transfer none) (nullable): the running server, or NULL and @error
 */
FpFlagServer *
fp_application_get_server (FpApplication  *self,
                           GError        **error)
{
  g_autoptr(FpFlagServer) server = NULL;

  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  if (self->server != NULL)
    return self->server;

  server = fp_flag_server_new (NULL);
  if (!fp_flag_server_start (server, 0, error))
    return NULL;

  self->server = g_steal_pointer (&server);
  apply_server_settings (self);

  return self->server;
}

/* The source the settings choose. */
static FpSource *
dup_source (FpApplication  *self,
            GError        **error)
{
  g_autofree char *url = NULL;
  g_autofree char *ext = NULL;

  switch (g_settings_get_enum (self->settings, "source"))
    {
    case FP_SOURCE_KIND_BUILTIN:
      return fp_source_new_builtin ();

    case FP_SOURCE_KIND_REMOTE:
      return fp_source_new_remote (NULL);

    case FP_SOURCE_KIND_CUSTOM:
    default:
      url = g_strstrip (g_settings_get_string (self->settings, "custom-url"));
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

/**
 * fp_application_dup_batch_config:
 * @codes: the codes to download
 * @server: (out) (transfer none) (nullable): the built-in server the
 *   batch needs, started now if needed, or %NULL for another source
 * @error: why the settings do not make a batch
 *
 * The one function from the settings to a batch: everything the next
 * batch takes from Preferences, read as the settings are now.
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL and @error
 */
FpBatchConfig *
fp_application_dup_batch_config (FpApplication       *self,
                                 const char * const  *codes,
                                 FpFlagServer       **server,
                                 GError             **error)
{
  g_autoptr(FpBatchConfig) config = fp_batch_config_new ();
  g_autoptr(FpSource) source = NULL;
  g_autoptr(GFile) destination = NULL;

  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (codes != NULL, NULL);
  g_return_val_if_fail (server != NULL, NULL);

  *server = NULL;
  source = dup_source (self, error);
  if (source == NULL)
    return NULL;
  if (fp_source_get_kind (source) == FP_SOURCE_KIND_BUILTIN)
    {
      *server = fp_application_get_server (self, error);
      if (*server == NULL)
        return NULL;
    }

  destination = fp_application_dup_destination (self);
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

/**
 * fp_application_resolve_destination:
 * @settings: the application's settings
 *
 * The destination folder: the "destination" key, or when it is empty the
 * Flags folder in the user's Pictures folder, or ~/Flags without one.
 *
 * Returns: (transfer full): the folder
 */
GFile *
fp_application_resolve_destination (GSettings *settings)
{
  g_autofree char *path = g_settings_get_string (settings, "destination");
  const char *pictures;

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

/* The folder the next batch saves into. */
GFile *
fp_application_dup_destination (FpApplication *self)
{
  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  return fp_application_resolve_destination (self->settings);
}

/**
 * fp_application_batch_finished:
 * @window: the window that ran the batch
 * @title: the notification's title
 * @body: the summary
 *
 * Called once at the end of every batch. When @window is not the focused
 * one, this sends one notification; clicking it presents the window. A
 * focused window shows the summary itself, so nothing is sent then.
 */
void
fp_application_batch_finished (FpApplication *self,
                               GtkWindow     *window,
                               const char    *title,
                               const char    *body)
{
  g_autoptr(GNotification) notification = NULL;

  g_return_if_fail (FP_IS_APPLICATION (self));
  g_return_if_fail (GTK_IS_WINDOW (window));
  g_return_if_fail (title != NULL);

  if (self->focus_func != NULL ? self->focus_func (window, self->focus_data)
                               : gtk_window_is_active (window))
    return;

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.present-window");

  if (self->notify_func != NULL)
    self->notify_func (self, BATCH_NOTIFICATION_ID, notification, title, body, self->notify_data);
  else
    g_application_send_notification (G_APPLICATION (self), BATCH_NOTIFICATION_ID, notification);
}

/**
 * fp_application_set_notify_func:
 * @func: (nullable): what sends notifications instead of
 *   g_application_send_notification(), or NULL for that again
 *
 * Lets tests see the notifications the application sends.
 */
void
fp_application_set_notify_func (FpApplication *self,
                                FpNotifyFunc   func,
                                gpointer       user_data)
{
  g_return_if_fail (FP_IS_APPLICATION (self));

  self->notify_func = func;
  self->notify_data = user_data;
}

/**
 * fp_application_set_focus_func:
 * @func: (nullable): what tells whether a window has the focus instead of
 *   gtk_window_is_active(), or NULL for that again
 *
 * Lets tests decide whether the window counts as focused at a batch's end.
 */
void
fp_application_set_focus_func (FpApplication *self,
                               FpFocusFunc    func,
                               gpointer       user_data)
{
  g_return_if_fail (FP_IS_APPLICATION (self));

  self->focus_func = func;
  self->focus_data = user_data;
}
