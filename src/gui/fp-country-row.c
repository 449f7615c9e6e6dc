/* fp-country-row.c — the widget of one row in the country list
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-country-row"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-country-row.h"

struct _FpCountryRow
{
  GtkWidget parent_instance;

  GtkCheckButton *check;
  GtkLabel *name_label;
  GtkLabel *code_label;
  GtkLabel *reason_label;
  GtkImage *status_image;

  FpCountryItem *item;
  GBinding *selected_binding;
  gulong status_handler;

  /* What the status image shows now, so that an update touches only what
   * changed: each change restyles or resizes the row. */
  const char *style;             /* static */
  char *icon_name;
  char *status_text;
  char *reason;
};

G_DEFINE_FINAL_TYPE (FpCountryRow, fp_country_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/*
 * A batch changes a row's status three times in a second, hundreds of rows
 * at once, so this only touches what changed. The tooltip is not set here:
 * in GTK 4.8 setting a tooltip's text asks the X server where the pointer
 * is, a round trip per call. It is asked for on demand (query-tooltip).
 */
static void
update_status (FpCountryRow *self)
{
  GtkWidget *image = GTK_WIDGET (self->status_image);
  g_autofree char *text = NULL;
  g_autofree char *words = NULL;
  const char *style = NULL;
  const char *icon_name = NULL;
  const char *reason = NULL;

  if (self->item != NULL && fp_country_item_get_has_status (self->item))
    {
      FpDownloadStatus status = fp_country_item_get_status (self->item);

      style = fp_country_item_get_style_class (self->item);
      icon_name = fp_country_item_get_icon_name (self->item);
      text = fp_country_item_dup_status_text (self->item);

      /* Every row of a batch says its status under the name: a failure
       * why, a missing flag so, the others their state. A row that grew
       * a line only when its outcome came moved every row below it, and
       * the list was laid out and drawn again in most frames of a batch;
       * now the rows take their second line once, when the batch starts. */
      if (status == FP_DOWNLOAD_STATUS_ERROR && fp_country_item_get_message (self->item) != NULL)
        reason = fp_country_item_get_message (self->item);
      else if (status == FP_DOWNLOAD_STATUS_NOT_FOUND)
        reason = _("Not on the server (404)");
      else
        reason = words = fp_country_item_dup_status_words (self->item);
    }

  if (g_strcmp0 (self->reason, reason) != 0)
    {
      gtk_label_set_label (self->reason_label, reason);
      gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL);
      if (reason != NULL && fp_country_item_get_status (self->item) == FP_DOWNLOAD_STATUS_ERROR)
        gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
      g_free (self->reason);
      self->reason = g_strdup (reason);
    }

  if (self->style != style)
    {
      if (self->style != NULL)
        gtk_widget_remove_css_class (image, self->style);
      if (style != NULL)
        gtk_widget_add_css_class (image, style);
      self->style = style;
    }

  if (g_strcmp0 (self->icon_name, icon_name) != 0)
    {
      if (icon_name != NULL)
        gtk_image_set_from_icon_name (self->status_image, icon_name);
      else
        gtk_image_clear (self->status_image);
      g_free (self->icon_name);
      self->icon_name = g_strdup (icon_name);
    }

  if (g_strcmp0 (self->status_text, text) != 0)
    {
      if (text != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL);
      g_free (self->status_text);
      self->status_text = g_steal_pointer (&text);
    }
}

static gboolean
status_query_tooltip_cb (FpCountryRow *self,
                         int           x,
                         int           y,
                         gboolean      keyboard_mode,
                         GtkTooltip   *tooltip)
{
  if (self->status_text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, self->status_text);
  return TRUE;
}

static gboolean
name_query_tooltip_cb (FpCountryRow *self,
                       int           x,
                       int           y,
                       gboolean      keyboard_mode,
                       GtkTooltip   *tooltip)
{
  const char *name;

  /* The full name, for the long ones the row cuts short. */
  if (self->item == NULL || (name = fp_country_item_get_name (self->item)) == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, name);
  return TRUE;
}

static void
item_status_changed_cb (FpCountryItem *item,
                        GParamSpec    *pspec,
                        FpCountryRow  *self)
{
  update_status (self);
}

static void
fp_country_row_dispose (GObject *object)
{
  FpCountryRow *self = FP_COUNTRY_ROW (object);

  fp_country_row_set_item (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FP_TYPE_COUNTRY_ROW);

  G_OBJECT_CLASS (fp_country_row_parent_class)->dispose (object);
}

static void
fp_country_row_finalize (GObject *object)
{
  FpCountryRow *self = FP_COUNTRY_ROW (object);

  g_clear_pointer (&self->icon_name, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (fp_country_row_parent_class)->finalize (object);
}

static void
fp_country_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FpCountryRow *self = FP_COUNTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FpCountryRow *self = FP_COUNTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      fp_country_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_row_class_init (FpCountryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fp_country_row_dispose;
  object_class->finalize = fp_country_row_finalize;
  object_class->get_property = fp_country_row_get_property;
  object_class->set_property = fp_country_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         FP_TYPE_COUNTRY_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/flagpole/Flagpole/fp-country-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FpCountryRow, check);
  gtk_widget_class_bind_template_child (widget_class, FpCountryRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FpCountryRow, code_label);
  gtk_widget_class_bind_template_child (widget_class, FpCountryRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, FpCountryRow, status_image);
  gtk_widget_class_bind_template_callback (widget_class, status_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_query_tooltip_cb);
  gtk_widget_class_set_css_name (widget_class, "fpcountryrow");
}

static void
fp_country_row_init (FpCountryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fp_country_row_new (void)
{
  return g_object_new (FP_TYPE_COUNTRY_ROW, NULL);
}

FpCountryItem *
fp_country_row_get_item (FpCountryRow *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ROW (self), NULL);

  return self->item;
}

/**
 * fp_country_row_set_item:
 * @item: (nullable): the row's country, or NULL when the list recycles the row
 *
 * Shows @item; the check box writes back to the item's "selected".
 */
void
fp_country_row_set_item (FpCountryRow  *self,
                         FpCountryItem *item)
{
  g_return_if_fail (FP_IS_COUNTRY_ROW (self));
  g_return_if_fail (item == NULL || FP_IS_COUNTRY_ITEM (item));

  if (self->item == item)
    return;

  if (self->item != NULL)
    {
      g_clear_pointer (&self->selected_binding, g_binding_unbind);
      g_clear_signal_handler (&self->status_handler, self->item);
      g_clear_object (&self->item);
    }

  if (item != NULL)
    {
      const char *code = fp_country_item_get_code (item);
      const char *name = fp_country_item_get_name (item);

      self->item = g_object_ref (item);
      self->selected_binding =
        g_object_bind_property (item, "selected", self->check, "active",
                                G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      self->status_handler =
        g_signal_connect (item, "notify::status-text", G_CALLBACK (item_status_changed_cb), self);

      gtk_label_set_label (self->code_label, code);
      if (name != NULL)
        {
          gtk_label_set_label (self->name_label, name);
          gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "dim-label");
        }
      else
        {
          /* Translators: the name shown for a code in AA–ZZ that no country has */
          gtk_label_set_label (self->name_label, _("No country"));
          gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "dim-label");
        }
    }

  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
