/* fp-country.c — one ISO 3166-1 country: its code and localized name
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-country"

#include "config.h"

#include <glib/gi18n.h>

#include "fp-country.h"

struct _FpCountry
{
  GObject parent_instance;

  char *code;
  char *name;
};

G_DEFINE_FINAL_TYPE (FpCountry, fp_country, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_IS_ISO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_country_finalize (GObject *object)
{
  FpCountry *self = FP_COUNTRY (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (fp_country_parent_class)->finalize (object);
}

static void
fp_country_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FpCountry *self = FP_COUNTRY (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_IS_ISO:
      g_value_set_boolean (value, fp_country_get_is_iso (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FpCountry *self = FP_COUNTRY (object);

  switch (prop_id)
    {
    case PROP_CODE:
      self->code = g_value_dup_string (value);
      break;
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_country_class_init (FpCountryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fp_country_finalize;
  object_class->get_property = fp_country_get_property;
  object_class->set_property = fp_country_set_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_ISO] =
    g_param_spec_boolean ("is-iso", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_country_init (FpCountry *self)
{
}

/**
 * fp_country_new:
 * @code: two upper-case ASCII letters
 * @name: (nullable): the localized name, or %NULL for a code that
 *   names no country (the book's `-e` asks for those too)
 */
FpCountry *
fp_country_new (const char *code,
                const char *name)
{
  g_return_val_if_fail (code != NULL, NULL);

  return g_object_new (FP_TYPE_COUNTRY, "code", code, "name", name, NULL);
}

const char *
fp_country_get_code (FpCountry *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY (self), NULL);
  return self->code;
}

const char *
fp_country_get_name (FpCountry *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY (self), NULL);
  return self->name;
}

/* A code with no name is one of the 427 in AA–ZZ that ISO 3166-1 does not assign. */
gboolean
fp_country_get_is_iso (FpCountry *self)
{
  g_return_val_if_fail (FP_IS_COUNTRY (self), FALSE);
  return self->name != NULL;
}
