/* fp-application.c — the Flagpole application: actions, settings, the built-in flag server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-application"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fp-application-private.h"
#include "fp-preferences-window.h"
#include "fp-window.h"

#define BATCH_NOTIFICATION_ID "batch-finished"

struct _FpApplication
{
  AdwApplication parent_instance;

  GSettings *gsettings;
  FpSettings *settings;          /* the typed view of gsettings */
  FpFlagServer *server;
  guint server_source;           /* starts it before the first click */

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

/* Before the click that needs it: a server in a process of its own takes
 * a few milliseconds to start on this thread, and longer to be ready,
 * which a click on Download should not wait for. */
static gboolean
prepare_server_cb (gpointer user_data)
{
  FpApplication *self = user_data;
  g_autoptr(GError) error = NULL;

  self->server_source = 0;
  if (fp_settings_get_source (self->settings) == FP_SOURCE_KIND_BUILTIN &&
      fp_application_get_server (self, &error) == NULL)
    g_debug ("The built-in server cannot start yet: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* Starts the server after @delay_ms; called again, from then on. */
static void
schedule_server_start (FpApplication *self,
                       guint          delay_ms)
{
  g_clear_handle_id (&self->server_source, g_source_remove);
  self->server_source = g_timeout_add_full (G_PRIORITY_LOW, delay_ms, prepare_server_cb, self, NULL);
  g_source_set_name_by_id (self->server_source, "[flagpole] start the built-in server");
}

/* A spin button held down changes a setting many times a second. */
#define SETTLE_MS 500

static void
apply_server_settings (FpApplication *self)
{
  /* One about to start waits for the settings to settle. */
  if (self->server == NULL)
    {
      if (self->server_source != 0)
        schedule_server_start (self, SETTLE_MS);
      return;
    }
  /* A server in a process of its own keeps the settings it started with:
   * the next batch gets a new one. A run that has this one keeps it until
   * it ends. */
  if (fp_flag_server_get_in_child (self->server))
    {
      g_clear_object (&self->server);
      schedule_server_start (self, SETTLE_MS);
    }
  else
    fp_settings_apply_to_server (self->settings, self->server);
}

static void
server_settings_changed_cb (FpSettings    *settings,
                            GParamSpec    *pspec,
                            FpApplication *self)
{
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
  if (self->server == NULL && self->server_source == 0)
    schedule_server_start (self, 0);
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

  /* A window to draw: workers take only the time the main thread leaves. */
  fp_set_beside_window (TRUE);

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

  g_clear_handle_id (&self->server_source, g_source_remove);
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

  g_clear_handle_id (&self->server_source, g_source_remove);
  if (self->server != NULL)
    fp_flag_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->settings);
  g_clear_object (&self->gsettings);

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
  self->gsettings = g_settings_new (APPLICATION_ID);
  self->settings = fp_settings_new (self->gsettings);
  g_signal_connect_object (self->settings, "notify::server-min-delay",
                           G_CALLBACK (server_settings_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::server-max-delay",
                           G_CALLBACK (server_settings_changed_cb), self, 0);
  g_signal_connect_object (self->settings, "notify::server-error-rate",
                           G_CALLBACK (server_settings_changed_cb), self, 0);
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

/* The settings, typed: what windows bind to and batches are made from. */
FpSettings *
fp_application_get_settings (FpApplication *self)
{
  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  return self->settings;
}

/* The settings underneath, for tests that set keys as dconf would. */
GSettings *
fp_application_get_gsettings (FpApplication *self)
{
  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  return self->gsettings;
}

/**
 * fp_application_get_server:
 *
 * The built-in flag server, started on a free port the first time it is
 * needed, with the latency and error rate of the settings: in a process
 * of its own (fp_flag_server_start_in_child()), as a remote server would
 * be, else in a thread of this one. One whose process ended is replaced.
 *
 * Returns: (transfer none) (nullable): the running server, or NULL and @error
 */
FpFlagServer *
fp_application_get_server (FpApplication  *self,
                           GError        **error)
{
  g_autoptr(FpFlagServer) server = NULL;
  g_autoptr(GError) child_error = NULL;

  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);

  /* A server whose process was killed, or crashed, is replaced. */
  if (self->server != NULL && !fp_flag_server_get_serving (self->server))
    g_clear_object (&self->server);
  if (self->server != NULL)
    return self->server;

  server = fp_flag_server_new (NULL);
  fp_settings_apply_to_server (self->settings, server);
  if (!fp_flag_server_start_in_child (server, &child_error))
    {
      g_debug ("The built-in server runs in this process: %s", child_error->message);
      if (!fp_flag_server_start (server, 0, error))
        return NULL;
    }

  self->server = g_steal_pointer (&server);
  return self->server;
}

static void
run_finished_cb (FpRun         *run,
                 FpApplication *self)
{
  fp_settings_record_run (self->settings, run);
}

FpFlagServer *
fp_application_peek_server (FpApplication *self)
{
  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);
  return self->server;
}

/**
 * fp_application_new_run:
 * @codes: the codes to download
 * @error: why the settings do not make a batch
 *
 * A run of @codes with the settings as they are now: from the built-in
 * server (started now if needed) or the source they name, with the
 * one-at-a-time time of the same work for its speed-up. When it ends,
 * the settings record it.
 *
 * Returns: (transfer full) (nullable): the run, not started, or %NULL and @error
 */
FpRun *
fp_application_new_run (FpApplication       *self,
                        const char * const  *codes,
                        GError             **error)
{
  g_autoptr(FpBatchConfig) config = NULL;
  FpFlagServer *server = NULL;
  FpRun *run;

  g_return_val_if_fail (FP_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (codes != NULL, NULL);

  config = fp_settings_dup_batch_config (self->settings, codes, error);
  if (config == NULL)
    return NULL;

  if (fp_source_get_kind (fp_batch_config_get_source (config)) == FP_SOURCE_KIND_BUILTIN)
    {
      server = fp_application_get_server (self, error);
      if (server == NULL)
        return NULL;
    }

  run = fp_run_new (config, server);
  fp_run_set_sequential_time (run, fp_settings_lookup_sequential_time (self->settings, config));
  g_signal_connect_object (run, "finished", G_CALLBACK (run_finished_cb), self, 0);
  return run;
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
