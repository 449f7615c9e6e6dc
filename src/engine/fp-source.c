/* fp-source.c — where a batch downloads from: the built-in server, the book's site, or a URL
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-source"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fp-engine-enums.h"
#include "fp-flag-fetcher.h"
#include "fp-source.h"

/*
 * The one place that knows what a source is: the window's settings and the
 * command line's --server / --ext both end up here, and the batch and the
 * reports read the base URL, the extension and the names from it. A
 * source is immutable once made, so it can be shared by a configuration,
 * a run and a report.
 *
 * The built-in server's address is not part of the source: it is a free
 * port, known once the server runs, and the one running it (the
 * application, or the command line for one batch) supplies it. So the
 * built-in source has no base URL of its own.
 */

struct _FpSource
{
  GObject parent_instance;

  FpSourceKind kind;
  char *base_url;              /* NULL for the built-in server */
  char *extension;             /* without a dot */
};

G_DEFINE_FINAL_TYPE (FpSource, fp_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_BASE_URL,
  PROP_EXTENSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fp_source_finalize (GObject *object)
{
  FpSource *self = FP_SOURCE (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->extension, g_free);

  G_OBJECT_CLASS (fp_source_parent_class)->finalize (object);
}

static void
fp_source_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FpSource *self = FP_SOURCE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_EXTENSION:
      g_value_set_string (value, self->extension);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_source_class_init (FpSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fp_source_finalize;
  object_class->get_property = fp_source_get_property;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, FP_TYPE_SOURCE_KIND, FP_SOURCE_KIND_BUILTIN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTENSION] =
    g_param_spec_string ("extension", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_source_init (FpSource *self)
{
}

static FpSource *
source_new (FpSourceKind  kind,
            const char   *base_url,
            const char   *extension)
{
  FpSource *self = g_object_new (FP_TYPE_SOURCE, NULL);

  self->kind = kind;
  self->base_url = g_strdup (base_url);
  self->extension = g_strdup (extension);
  return self;
}

/**
 * fp_source_new_builtin:
 *
 * The built-in server: Debian's PNG flags served on this computer. Its
 * base URL is its server's (fp_flag_server_get_base_url()).
 *
 * Returns: (transfer full): the source
 */
FpSource *
fp_source_new_builtin (void)
{
  return source_new (FP_SOURCE_KIND_BUILTIN, NULL, FP_SOURCE_BUILTIN_EXTENSION);
}

/* A dot first, spaces around and nothing at all are all forgiven. */
static char *
normalize_extension (const char *extension)
{
  char *ext = g_strstrip (g_strdup (extension != NULL ? extension : ""));

  if (ext[0] == '.')
    memmove (ext, ext + 1, strlen (ext));
  if (ext[0] == '\0')
    {
      g_free (ext);
      ext = g_strdup (FP_SOURCE_DEFAULT_EXTENSION);
    }
  return ext;
}

/**
 * fp_source_new_remote:
 * @extension: (nullable): the flag files' extension; %NULL is the site's
 *   own, %FP_SOURCE_DEFAULT_EXTENSION
 *
 * The book's site, %BOOK_FLAGS_URL.
 *
 * Returns: (transfer full): the source
 */
FpSource *
fp_source_new_remote (const char *extension)
{
  g_autofree char *ext = normalize_extension (extension);

  return source_new (FP_SOURCE_KIND_REMOTE, BOOK_FLAGS_URL, ext);
}

/**
 * fp_source_extension_is_valid:
 * @extension: a file extension, without a dot
 *
 * Returns: whether @extension is 1 to 8 ASCII letters or digits, all that
 *   may reach a URL and a file name
 */
gboolean
fp_source_extension_is_valid (const char *extension)
{
  gsize len;

  if (extension == NULL)
    return FALSE;
  len = strlen (extension);
  if (len == 0 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (extension[i]))
      return FALSE;
  return TRUE;
}

/**
 * fp_source_new_url:
 * @url: a base URL: flags live at `{url}/{cc}/{cc}.{extension}`
 * @extension: (nullable): the flag files' extension, with or without a
 *   dot; %NULL or empty is %FP_SOURCE_DEFAULT_EXTENSION, as on the book's site
 * @error: why @url cannot be a source
 *
 * A server with the book's layout. Spaces around @url and @extension and
 * slashes at the end of @url go: "…/flags/" and "…/flags" are one source.
 *
 * Returns: (transfer full) (nullable): the source, or %NULL with
 *   %FP_ENGINE_ERROR_INVALID_SOURCE when @url is not an http(s) URL
 */
FpSource *
fp_source_new_url (const char  *url,
                   const char  *extension,
                   GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *ext = NULL;
  gsize len;

  g_return_val_if_fail (url != NULL, NULL);

  base = g_strstrip (g_strdup (url));
  if (!fp_source_url_is_valid (base, error))
    return NULL;
  len = strlen (base);
  while (len > 1 && base[len - 1] == '/')
    base[--len] = '\0';

  ext = normalize_extension (extension);
  return source_new (FP_SOURCE_KIND_CUSTOM, base, ext);
}

FpSourceKind
fp_source_get_kind (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), FP_SOURCE_KIND_BUILTIN);
  return self->kind;
}

/**
 * fp_source_get_keyword:
 *
 * Returns: the kind's stable name, "builtin", "remote" or "custom": the
 *   settings' value and the JSON report's "server"
 */
const char *
fp_source_get_keyword (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), NULL);
  return fp_enum_to_nick (FP_TYPE_SOURCE_KIND, self->kind);
}

/**
 * fp_source_get_base_url:
 *
 * Returns: (nullable): where the flags live, without a slash at the end;
 *   %NULL for the built-in server, whose address is its server's
 */
const char *
fp_source_get_base_url (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), NULL);
  return self->base_url;
}

/* Returns: the flag files' extension on the server, without a dot. */
const char *
fp_source_get_extension (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), NULL);
  return self->extension;
}

/**
 * fp_source_dup_display_name:
 *
 * Returns: (transfer full): the source's name for a person: “Built-in
 *   Server”, “The Book’s Site”, or the URL itself
 */
char *
fp_source_dup_display_name (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), NULL);

  switch (self->kind)
    {
    case FP_SOURCE_KIND_BUILTIN:
      return g_strdup (_("Built-in Server"));
    case FP_SOURCE_KIND_REMOTE:
      return g_strdup (_("The Book’s Site"));
    case FP_SOURCE_KIND_CUSTOM:
    default:
      return g_strdup (self->base_url);
    }
}

/**
 * fp_source_dup_key:
 *
 * Returns: (transfer full): a text that is the same exactly for the same
 *   source, so that runs are compared only with runs of the same source
 *   (the built-in server's latency is the configuration's to add)
 */
char *
fp_source_dup_key (FpSource *self)
{
  g_return_val_if_fail (FP_IS_SOURCE (self), NULL);

  switch (self->kind)
    {
    case FP_SOURCE_KIND_BUILTIN:
      return g_strdup (fp_source_get_keyword (self));
    case FP_SOURCE_KIND_REMOTE:
      return g_strdup (self->base_url);
    case FP_SOURCE_KIND_CUSTOM:
    default:
      return g_strconcat (self->base_url, " ", self->extension, NULL);
    }
}
