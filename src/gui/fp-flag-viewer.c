/* fp-flag-viewer.c — the large view of one downloaded flag and the facts about its file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-viewer"

#include "config.h"

#include <glib/gi18n.h>

#include "flagpole-engine.h"
#include "fp-flag-file.h"
#include "fp-flag-viewer.h"

struct _FpFlagViewer
{
  AdwWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  GtkPicture *picture;
  GtkLabel *title_label;
  GtkLabel *code_label;
  GtkLabel *pixel_size_label;
  GtkLabel *file_size_label;
  AdwActionRow *source_row;
  GtkLabel *source_label;
  GtkWidget *copy_button;
  AdwActionRow *date_row;
  GtkLabel *date_label;

  GListModel *flags;
  FpFlagFile *flag_file;
  GCancellable *image_cancellable;
  gboolean image_loaded;
};

G_DEFINE_FINAL_TYPE (FpFlagViewer, fp_flag_viewer, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_FLAGS,
  PROP_FLAG_FILE,
  PROP_IMAGE_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Where the flag shown is in the grid, or -1 when it left the grid. A
 * replaced flag is a new item with the same code, which counts as the
 * same place. */
static int
find_position (FpFlagViewer *self)
{
  guint n_items = g_list_model_get_n_items (self->flags);
  int by_code = -1;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(FpFlagFile) item = g_list_model_get_item (self->flags, i);

      if (item == self->flag_file)
        return (int) i;
      if (by_code < 0 && g_strcmp0 (fp_flag_file_get_code (item), fp_flag_file_get_code (self->flag_file)) == 0)
        by_code = (int) i;
    }

  return by_code;
}

static void
update_navigation (FpFlagViewer *self)
{
  int position;
  guint n_items;

  if (self->flags == NULL)
    return;

  position = self->flag_file != NULL ? find_position (self) : -1;
  n_items = g_list_model_get_n_items (self->flags);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", position > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next",
                                 position >= 0 && (guint) position + 1 < n_items);
}

static void
flags_changed_cb (FpFlagViewer *self,
                  guint         position,
                  guint         removed,
                  guint         added,
                  GListModel   *flags)
{
  update_navigation (self);
}

static void
set_image_loaded (FpFlagViewer *self,
                  gboolean      image_loaded)
{
  if (self->image_loaded == image_loaded)
    return;

  self->image_loaded = image_loaded;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE_LOADED]);
}

static void
load_image_in_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* Decoding is thread-safe and a texture is immutable, so only handing it
   * to the picture waits for the main thread. The file may have changed
   * since its thumbnail was made: the same limits as for the thumbnail
   * are applied before decoding (fp_flag_file_decode()). */
  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &error);
  if (info != NULL && g_file_info_get_size (info) > FP_MAX_BODY_SIZE)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The file is too large for a flag"));
  else if (info != NULL)
    bytes = g_file_load_bytes (file, cancellable, NULL, &error);
  if (bytes != NULL)
    texture = fp_flag_file_decode (bytes, 0, 0, NULL, NULL, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
image_loaded_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FpFlagViewer *self;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  /* The view cancels its load when it shows another flag or goes away,
   * so only a load that was not cancelled may touch it. */
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = FP_FLAG_VIEWER (user_data);

  /* The thumbnail stays when the file can no longer be read. */
  if (texture == NULL)
    g_debug ("Cannot show the full image: %s", error->message);
  else
    gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));

  set_image_loaded (self, TRUE);
}

static void
load_image (FpFlagViewer *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);
  set_image_loaded (self, FALSE);

  /* The thumbnail is on screen at once; the full image follows. */
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (fp_flag_file_get_thumbnail (self->flag_file)));

  self->image_cancellable = g_cancellable_new ();
  /* No reference to the view: a closed view goes away at once rather than
   * when the decoding thread is done. */
  task = g_task_new (NULL, self->image_cancellable, image_loaded_cb, self);
  g_task_set_source_tag (task, load_image);
  g_task_set_task_data (task, g_object_ref (fp_flag_file_get_file (self->flag_file)), g_object_unref);
  g_task_run_in_thread (task, load_image_in_thread);
}

static char *
format_modified (GDateTime *modified)
{
  g_autoptr(GDateTime) local = NULL;

  if (modified == NULL)
    return g_strdup (_("Unknown"));

  local = g_date_time_to_local (modified);
  /* Translators: the date and time a flag was saved, for
   * g_date_time_format(); see its documentation for the fields. */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M"));
}

static void
show_flag (FpFlagViewer *self)
{
  FpFlagFile *flag_file = self->flag_file;
  const char *title = fp_flag_file_get_title (flag_file);
  const char *origin_url = fp_flag_file_get_origin_url (flag_file);
  int width = fp_flag_file_get_width (flag_file);
  int height = fp_flag_file_get_height (flag_file);
  g_autofree char *pixel_size = NULL;
  g_autofree char *file_size = NULL;
  g_autofree char *modified = NULL;

  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->code_label, fp_flag_file_get_code (flag_file));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->picture),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_picture_set_alternative_text (self->picture, title);

  /* Translators: an image's width and height in pixels, like "320 × 240 pixels";
   * the plural follows the height. */
  pixel_size = g_strdup_printf (ngettext ("%d × %d pixel", "%d × %d pixels", height), width, height);
  gtk_label_set_label (self->pixel_size_label, pixel_size);

  file_size = g_format_size (fp_flag_file_get_size (flag_file));
  gtk_label_set_label (self->file_size_label, file_size);

  gtk_label_set_label (self->source_label, origin_url != NULL ? origin_url : _("Unknown"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), origin_url);
  gtk_widget_set_visible (self->copy_button, origin_url != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.copy-address", origin_url != NULL);

  /* A file with an origin came from a download; any other file was only
   * changed at that time, for all we know. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->date_row),
                                 origin_url != NULL ? _("Downloaded") : _("Modified"));
  modified = format_modified (fp_flag_file_get_modified (flag_file));
  gtk_label_set_label (self->date_label, modified);

  update_navigation (self);
  load_image (self);
}

static void
show_toast (FpFlagViewer *self,
            const char   *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
go_to_offset (FpFlagViewer *self,
              int           offset)
{
  int position = find_position (self);
  g_autoptr(FpFlagFile) item = NULL;

  if (position < 0 || position + offset < 0)
    return;

  item = g_list_model_get_item (self->flags, (guint) (position + offset));
  if (item != NULL)
    fp_flag_viewer_set_flag_file (self, item);
}

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  go_to_offset (FP_FLAG_VIEWER (widget), -1);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  go_to_offset (FP_FLAG_VIEWER (widget), 1);
}

/* Left and Right follow the reading direction, as the buttons' arrows do. */
static gboolean
arrow_pressed_cb (GtkWidget *widget,
                  GVariant  *arguments,
                  gpointer   user_data)
{
  int offset = GPOINTER_TO_INT (user_data);

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    offset = -offset;

  return gtk_widget_activate_action (widget, offset < 0 ? "viewer.previous" : "viewer.next", NULL);
}

typedef struct
{
  FpFlagViewer *self;            /* owned */
  char *uri;
  const char *failure;           /* translated, what the toast says when it fails */
} Launch;

static void
launch_free (Launch *launch)
{
  g_clear_object (&launch->self);
  g_free (launch->uri);
  g_free (launch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Launch, launch_free)

static void
uri_launched_cb (GObject      *source_object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Launch) launch = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_debug ("Cannot open %s: %s", launch->uri, error->message);
      show_toast (launch->self, launch->failure);
    }
}

/* Opens @uri in the user's app for it; a toast says @failure when none can. */
static void
launch_uri (FpFlagViewer *self,
            const char   *uri,
            const char   *failure)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;
  Launch *launch = g_new0 (Launch, 1);

  launch->self = g_object_ref (self);
  launch->uri = g_strdup (uri);
  launch->failure = failure;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           uri_launched_cb, launch);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (widget);
  g_autofree char *uri = g_file_get_uri (fp_flag_file_get_file (self->flag_file));

  launch_uri (self, uri, _("No app could open the flag"));
}

static void
open_folder_without_file_manager (FpFlagViewer *self)
{
  g_autoptr(GFile) folder = g_file_get_parent (fp_flag_file_get_file (self->flag_file));
  g_autofree char *uri = g_file_get_uri (folder);

  launch_uri (self, uri, _("No app could open the folder"));
}

static void
items_shown_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FpFlagViewer) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source_object), result, &error);
  if (reply == NULL)
    {
      g_debug ("No file manager to show the flag in: %s", error->message);
      open_folder_without_file_manager (self);
    }
}

static void
session_bus_got_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FpFlagViewer) self = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char *uris[2] = { NULL, NULL };

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      open_folder_without_file_manager (self);
      return;
    }

  uri = g_file_get_uri (fp_flag_file_get_file (self->flag_file));
  uris[0] = uri;
  g_dbus_connection_call (bus,
                          "org.freedesktop.FileManager1",
                          "/org/freedesktop/FileManager1",
                          "org.freedesktop.FileManager1",
                          "ShowItems",
                          g_variant_new ("(^ass)", uris, ""),
                          NULL,
                          G_DBUS_CALL_FLAGS_NONE,
                          -1,
                          NULL,
                          items_shown_cb,
                          g_object_ref (self));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (widget);

  /* A file manager that implements FileManager1 opens the folder with the
   * flag selected; any other opens just the folder. */
  g_bus_get (G_BUS_TYPE_SESSION, NULL, session_bus_got_cb, g_object_ref (self));
}

static void
copy_address_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (widget);
  const char *origin_url = fp_flag_file_get_origin_url (self->flag_file);

  if (origin_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), origin_url);
  show_toast (self, _("Address copied"));
}

static void
fp_flag_viewer_dispose (GObject *object)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (object);

  g_cancellable_cancel (self->image_cancellable);
  g_clear_object (&self->image_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_FLAG_VIEWER);

  if (self->flags != NULL)
    g_signal_handlers_disconnect_by_data (self->flags, self);
  g_clear_object (&self->flags);
  g_clear_object (&self->flag_file);

  G_OBJECT_CLASS (fp_flag_viewer_parent_class)->dispose (object);
}

static void
fp_flag_viewer_constructed (GObject *object)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (object);

  G_OBJECT_CLASS (fp_flag_viewer_parent_class)->constructed (object);

  if (self->flags == NULL)
    self->flags = G_LIST_MODEL (g_list_store_new (FP_TYPE_FLAG_FILE));

  g_signal_connect_object (self->flags, "items-changed",
                           G_CALLBACK (flags_changed_cb), self, G_CONNECT_SWAPPED);
  update_navigation (self);
}

static void
fp_flag_viewer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      g_value_set_object (value, self->flags);
      break;
    case PROP_FLAG_FILE:
      g_value_set_object (value, self->flag_file);
      break;
    case PROP_IMAGE_LOADED:
      g_value_set_boolean (value, self->image_loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_viewer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FpFlagViewer *self = FP_FLAG_VIEWER (object);

  switch (prop_id)
    {
    case PROP_FLAGS:
      self->flags = g_value_dup_object (value);
      break;
    case PROP_FLAG_FILE:
      fp_flag_viewer_set_flag_file (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_viewer_class_init (FpFlagViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_flag_viewer_dispose;
  object_class->constructed = fp_flag_viewer_constructed;
  object_class->get_property = fp_flag_viewer_get_property;
  object_class->set_property = fp_flag_viewer_set_property;

  properties[PROP_FLAGS] =
    g_param_spec_object ("flags", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FLAG_FILE] =
    g_param_spec_object ("flag-file", NULL, NULL,
                         FP_TYPE_FLAG_FILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE_LOADED] =
    g_param_spec_boolean ("image-loaded", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-flag-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, title_label);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, code_label);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, pixel_size_label);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, file_size_label);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, source_row);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, source_label);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, copy_button);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, date_row);
  gtk_widget_class_bind_template_child (widget_class, FpFlagViewer, date_label);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "viewer.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "viewer.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "viewer.copy-address", NULL, copy_address_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "viewer.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "viewer.next", NULL);
}

static void
fp_flag_viewer_init (FpFlagViewer *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Left and Right browse the flags, as in an image viewer, even when a
   * button has the focus; Tab and the Up and Down keys still move the
   * focus. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Left, 0),
                                                          gtk_callback_action_new (arrow_pressed_cb, GINT_TO_POINTER (-1), NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Right, 0),
                                                          gtk_callback_action_new (arrow_pressed_cb, GINT_TO_POINTER (1), NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/**
 * fp_flag_viewer_new:
 * @flags: the #FpFlagFile items Previous and Next walk through
 * @flag_file: the flag to show first
 *
 * Returns: (transfer none): a new viewer, owned by GTK like every window; make it transient for the
 *   main window and present it
 */
GtkWidget *
fp_flag_viewer_new (GListModel *flags,
                    FpFlagFile *flag_file)
{
  g_return_val_if_fail (G_IS_LIST_MODEL (flags), NULL);
  g_return_val_if_fail (FP_IS_FLAG_FILE (flag_file), NULL);

  return g_object_new (FP_TYPE_FLAG_VIEWER,
                       "flags", flags,
                       "flag-file", flag_file,
                       NULL);
}

FpFlagFile *
fp_flag_viewer_get_flag_file (FpFlagViewer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_VIEWER (self), NULL);
  return self->flag_file;
}

/**
 * fp_flag_viewer_set_flag_file:
 * @self: a #FpFlagViewer
 * @flag_file: the flag to show
 *
 * Shows the facts at once and the thumbnail as the image until the full
 * image, decoded off the main thread, replaces it.
 */
void
fp_flag_viewer_set_flag_file (FpFlagViewer *self,
                              FpFlagFile   *flag_file)
{
  g_return_if_fail (FP_IS_FLAG_VIEWER (self));
  g_return_if_fail (FP_IS_FLAG_FILE (flag_file));

  if (!g_set_object (&self->flag_file, flag_file))
    return;

  show_flag (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAG_FILE]);
}

GListModel *
fp_flag_viewer_get_flags (FpFlagViewer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_VIEWER (self), NULL);
  return self->flags;
}

gboolean
fp_flag_viewer_get_image_loaded (FpFlagViewer *self)
{
  g_return_val_if_fail (FP_IS_FLAG_VIEWER (self), FALSE);
  return self->image_loaded;
}
