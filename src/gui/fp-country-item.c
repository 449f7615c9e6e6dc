/* fp-country-item.c — one row of the window's country list: a country, whether it is picked, how its download went
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-country-item"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fp-country-item.h"

struct _FpCountryItem
{
  GObject parent_instance;

  FpCountry *country;
  char *folded_name;
  gboolean selected;
  gboolean has_status;
  FpDownloadStatus status;
  char *message;
  char *facts;                 /* the download's times and size, once it ended */
};

G_DEFINE_FINAL_TYPE (FpCountryItem, fp_country_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COUNTRY,
  PROP_CODE,
  PROP_NAME,
  PROP_DISPLAY_NAME,
  PROP_IS_ISO,
  PROP_SELECTED,
  PROP_HAS_STATUS,
  PROP_STATUS,
  PROP_MESSAGE,
  PROP_ICON_NAME,
  PROP_STATUS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_country_item_constructed (GObject *object)
{
  FpCountryItem *self = FP_COUNTRY_ITEM (object);
  const char *name;

  G_OBJECT_CLASS (fp_country_item_parent_class)->constructed (object);

  g_assert (FP_IS_COUNTRY (self->country));

  /* Folded once here so that filtering 676 rows per keystroke stays cheap. */
  name = fp_country_get_name (self->country);
  self->folded_name = fp_country_item_fold_text (name != NULL ? name : "");
}

static void
fp_country_item_finalize (GObject *object)
{
  FpCountryItem *self = FP_COUNTRY_ITEM (object);

  g_clear_object (&self->country);
  g_clear_pointer (&self->folded_name, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->facts, g_free);

  G_OBJECT_CLASS (fp_country_item_parent_class)->finalize (object);
}

static void
fp_country_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FpCountryItem *self = FP_COUNTRY_ITEM (object);

  switch (prop_id)
    {
    case PROP_COUNTRY:
      g_value_set_object (value, self->country);
      break;
    case PROP_CODE:
      g_value_set_string (value, fp_country_item_get_code (self));
      break;
    case PROP_NAME:
      g_value_set_string (value, fp_country_item_get_name (self));
      break;
    case PROP_DISPLAY_NAME:
      {
        const char *name = fp_country_item_get_name (self);
        /* Translators: the name shown for a code in AA–ZZ that no country has */
        g_value_set_string (value, name != NULL ? name : _("No country"));
      }
      break;
    case PROP_IS_ISO:
      g_value_set_boolean (value, fp_country_item_get_is_iso (self));
      break;
    case PROP_SELECTED:
      g_value_set_boolean (value, self->selected);
      break;
    case PROP_HAS_STATUS:
      g_value_set_boolean (value, self->has_status);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, fp_country_item_get_icon_name (self));
      break;
    case PROP_STATUS_TEXT:
      g_value_take_string (value, fp_country_item_dup_status_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_item_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FpCountryItem *self = FP_COUNTRY_ITEM (object);

  switch (prop_id)
    {
    case PROP_COUNTRY:
      self->country = g_value_dup_object (value);
      break;
    case PROP_SELECTED:
      fp_country_item_set_selected (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_item_class_init (FpCountryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = fp_country_item_constructed;
  object_class->finalize = fp_country_item_finalize;
  object_class->get_property = fp_country_item_get_property;
  object_class->set_property = fp_country_item_set_property;

  properties[PROP_COUNTRY] =
    g_param_spec_object ("country", NULL, NULL,
                         FP_TYPE_COUNTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_ISO] =
    g_param_spec_boolean ("is-iso", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_boolean ("selected", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_STATUS] =
    g_param_spec_boolean ("has-status", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       FP_TYPE_DOWNLOAD_STATUS, FP_DOWNLOAD_STATUS_QUEUED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_country_item_init (FpCountryItem *self)
{
}

FpCountryItem *
fp_country_item_new (FpCountry *country)
{
  g_return_val_if_fail (FP_IS_COUNTRY (country), NULL);

  return g_object_new (FP_TYPE_COUNTRY_ITEM, "country", country, NULL);
}

FpCountry *
fp_country_item_get_country (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  return self->country;
}

const char *
fp_country_item_get_code (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  return fp_country_get_code (self->country);
}

/* The localized country name, or NULL for a code no country has. */
const char *
fp_country_item_get_name (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  return fp_country_get_name (self->country);
}

gboolean
fp_country_item_get_is_iso (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), FALSE);

  return fp_country_get_is_iso (self->country);
}

gboolean
fp_country_item_get_selected (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), FALSE);

  return self->selected;
}

void
fp_country_item_set_selected (FpCountryItem *self,
                              gboolean       selected)
{
  g_return_if_fail (FP_IS_COUNTRY_ITEM (self));

  selected = !!selected;
  if (self->selected == selected)
    return;

  self->selected = selected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

gboolean
fp_country_item_get_has_status (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), FALSE);

  return self->has_status;
}

/* Meaningful only when fp_country_item_get_has_status() is TRUE. */
FpDownloadStatus
fp_country_item_get_status (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), FP_DOWNLOAD_STATUS_QUEUED);

  return self->status;
}

const char *
fp_country_item_get_message (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  return self->message;
}

/* Changes the status and tells only what changed: a batch sets hundreds of
 * statuses, and every notification runs the handlers of the row showing
 * the item. "status-text" is notified last, once the others are consistent. */
static void
change_status (FpCountryItem    *self,
               gboolean          has_status,
               FpDownloadStatus  status,
               const char       *message)
{
  gboolean has_status_changed = self->has_status != has_status;
  gboolean status_changed = self->status != status;
  gboolean message_changed = g_strcmp0 (self->message, message) != 0;
  const char *old_icon_name = fp_country_item_get_icon_name (self);
  gboolean text_changed;

  if (!has_status_changed && !status_changed && !message_changed)
    return;

  self->has_status = has_status;
  self->status = status;
  if (message_changed)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }

  /* The text depends on the message only for an error. */
  text_changed = has_status_changed || status_changed ||
                 (message_changed && has_status && status == FP_DOWNLOAD_STATUS_ERROR);

  g_object_freeze_notify (G_OBJECT (self));
  if (has_status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_STATUS]);
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  if (message_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  if (g_strcmp0 (old_icon_name, fp_country_item_get_icon_name (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
  if (text_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * fp_country_item_set_status:
 * @message: (nullable): the engine's reason, shown in the tooltip
 *
 * Records where this country's download stands in the current batch.
 */
void
fp_country_item_set_status (FpCountryItem    *self,
                            FpDownloadStatus  status,
                            const char       *message)
{
  g_return_if_fail (FP_IS_COUNTRY_ITEM (self));

  change_status (self, TRUE, status, message);
}

/* Forgets the previous batch, so that only the new one's statuses show. */
void
fp_country_item_clear_status (FpCountryItem *self)
{
  g_return_if_fail (FP_IS_COUNTRY_ITEM (self));

  change_status (self, FALSE, FP_DOWNLOAD_STATUS_QUEUED, NULL);
}

/*
 * How each status looks, in one place: its symbolic icon, the style class
 * that colours it (colour says the outcome at a glance; the words say it
 * for those who cannot see the colour), and its words, which the icon's
 * tooltip and the screen reader use.
 */
static const struct {
  const char *icon_name;
  const char *style;
  const char *words;
} status_looks[] = {
  [FP_DOWNLOAD_STATUS_QUEUED]      = { "document-open-recent-symbolic", "dim-label", N_("Queued") },
  [FP_DOWNLOAD_STATUS_DOWNLOADING] = { "folder-download-symbolic",      "accent",    N_("Downloading") },
  [FP_DOWNLOAD_STATUS_OK]          = { "emblem-ok-symbolic",            "success",   N_("Downloaded") },
  [FP_DOWNLOAD_STATUS_NOT_FOUND]   = { "action-unavailable-symbolic",   "warning",   N_("Not found on the server") },
  [FP_DOWNLOAD_STATUS_ERROR]       = { "dialog-error-symbolic",         "error",     N_("Error") },
  [FP_DOWNLOAD_STATUS_CANCELLED]   = { "media-playback-stop-symbolic",  "dim-label", N_("Cancelled") },
};

/* The symbolic icon of the status, or NULL when the country was not in a batch. */
const char *
fp_country_item_get_icon_name (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  if (!self->has_status)
    return NULL;

  g_assert (self->status < G_N_ELEMENTS (status_looks));
  return status_looks[self->status].icon_name;
}

/* The style class of the status icon, or NULL when the country was not in a batch. */
const char *
fp_country_item_get_style_class (FpCountryItem *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  if (!self->has_status)
    return NULL;

  g_assert (self->status < G_N_ELEMENTS (status_looks));
  return status_looks[self->status].style;
}

/**
 * fp_country_item_set_facts:
 * @facts: (nullable): how long the download took, waited and weighed
 *
 * Call before fp_country_item_set_status() with the outcome: the status
 * text then says it too. A new status without an outcome drops it.
 */
void
fp_country_item_set_facts (FpCountryItem *self,
                           const char    *facts)
{
  g_return_if_fail (FP_IS_COUNTRY_ITEM (self));
  g_free (self->facts);
  self->facts = g_strdup (facts);
}


/**
 * fp_country_item_dup_status_text:
 *
 * The status in words, with the reason for the ones that failed: what the
 * status icon's tooltip says and what a screen reader reads.
 *
 * Returns: (transfer full) (nullable): the text, or NULL without a status
 */
char *
fp_country_item_dup_status_text (FpCountryItem *self)
{
  g_autofree char *words = NULL;

  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), NULL);

  words = fp_country_item_dup_status_words (self);
  if (words == NULL || self->facts == NULL ||
      self->status == FP_DOWNLOAD_STATUS_QUEUED || self->status == FP_DOWNLOAD_STATUS_DOWNLOADING)
    return g_steal_pointer (&words);
  return g_strconcat (words, "\n", self->facts, NULL);
}

/**
 * fp_country_item_dup_status_words:
 *
 * The status in a few words (“Queued”, “Error: HTTP 418 I’m a Teapot”).
 *
 * Returns: (transfer full) (nullable): the words, or NULL without a status
 */
char *
fp_country_item_dup_status_words (FpCountryItem *self)
{
  if (!self->has_status)
    return NULL;

  g_assert (self->status < G_N_ELEMENTS (status_looks));
  if (self->status == FP_DOWNLOAD_STATUS_ERROR && self->message != NULL && *self->message != '\0')
    /* Translators: %s is the reason, such as “HTTP 418 I’m a Teapot” */
    return g_strdup_printf (_("Error: %s"), self->message);
  return g_strdup (_(status_looks[self->status].words));
}

/**
 * fp_country_item_fold_text:
 * @text: a name or a query
 *
 * Folds case and strips accents, so that “cote” finds “Côte d’Ivoire”.
 *
 * Returns: (transfer full): the folded text
 */
char *
fp_country_item_fold_text (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  GString *stripped;

  g_return_val_if_fail (text != NULL, NULL);

  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_utf8_casefold (text, -1);

  folded = g_utf8_casefold (decomposed, -1);
  stripped = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        continue;
      g_string_append_unichar (stripped, c);
    }

  return g_string_free (stripped, FALSE);
}

/**
 * fp_country_item_matches:
 * @folded_query: a query folded with fp_country_item_fold_text()
 *
 * Whether the search finds this row: a part of the name, or the code.
 */
gboolean
fp_country_item_matches (FpCountryItem *self,
                         const char    *folded_query)
{
  const char *code;

  g_return_val_if_fail (FP_IS_COUNTRY_ITEM (self), FALSE);

  if (folded_query == NULL || *folded_query == '\0')
    return TRUE;

  if (strstr (self->folded_name, folded_query) != NULL)
    return TRUE;

  /* A code is two letters, so only a query of at most two matches it, from its start. */
  code = fp_country_get_code (self->country);
  return strlen (folded_query) <= 2 &&
         g_ascii_strncasecmp (code, folded_query, strlen (folded_query)) == 0;
}
