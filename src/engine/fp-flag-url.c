/* fp-flag-url.c — the names a flag has: its URL and its source's, and the partial files of its saving
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-url"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include "fp-country-catalog.h"
#include "fp-engine-types.h"
#include "fp-flag-url.h"

/**
 * fp_url_strip_credentials:
 * @url: a URL
 *
 * Returns: (transfer full): @url without a user name or password, for
 *   what is shown or stored (a file's origin, a report); @url itself
 *   when it has none or cannot be parsed
 */
char *
fp_url_strip_credentials (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) bare = NULL;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_userinfo (uri) == NULL)
    return g_strdup (url);
  bare = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                      g_uri_get_port (uri), g_uri_get_path (uri), g_uri_get_query (uri),
                      g_uri_get_fragment (uri));
  return g_uri_to_string (bare);
}

/**
 * fp_flag_url_build:
 * @base_url: where the flags live
 * @code: a country code
 * @extension: the file extension, without its dot
 *
 * The flag's name is added to the base's path, so that a base with a
 * query (a CDN's token, `…/flags?x=1`) keeps it after the name; a
 * fragment is never sent to a server and is dropped.
 *
 * Returns: (transfer full) (nullable): `{base}/{cc}/{cc}.{ext}` with @code
 *   in lower case, or %NULL when @code is not two ASCII letters: nothing
 *   else may reach a URL.
 */
char *
fp_flag_url_build (const char *base_url,
                   const char *code,
                   const char *extension)
{
  g_autofree char *cc = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) base = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize length;

  if (!fp_country_code_is_valid (code))
    return NULL;
  cc = g_ascii_strdown (code, -1);

  /* ENCODED: every part stays as it was written, percent signs and all. */
  base = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (base == NULL)
    return g_strdup_printf ("%s/%s/%s.%s", base_url, cc, cc, extension);

  length = strlen (g_uri_get_path (base));
  while (length > 0 && g_uri_get_path (base)[length - 1] == '/')
    length--;
  path = g_strdup_printf ("%.*s/%s/%s.%s", (int) length, g_uri_get_path (base),
                          cc, cc, extension);
  uri = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (base), g_uri_get_userinfo (base),
                     g_uri_get_host (base), g_uri_get_port (base), path,
                     g_uri_get_query (base), NULL);
  return g_uri_to_string (uri);
}

/* How old a partial file of ours must be to count as left by a run that
 * was killed: a save takes milliseconds, this leaves any live one alone. */
#define STALE_PART_AGE_S (10 * 60)

/* ".{cc}-XXXXXX.part" (save_atomically) or ".flagpole-XXXXXX" (the probe),
 * where XXXXXX is what g_mkstemp() puts there. */
static gboolean
is_our_partial_name (const char *name)
{
  const char *random;

  if (name[0] != '.')
    return FALSE;
  if (g_ascii_islower (name[1]) && g_ascii_islower (name[2]) && name[3] == '-')
    {
      random = name + 4;
      if (strlen (random) != 6 + strlen (".part") || !g_str_has_suffix (random, ".part"))
        return FALSE;
    }
  else if (g_str_has_prefix (name, ".flagpole-"))
    {
      random = name + strlen (".flagpole-");
      if (strlen (random) != 6)
        return FALSE;
    }
  else
    return FALSE;
  for (guint i = 0; i < 6; i++)
    if (!g_ascii_isalnum (random[i]))
      return FALSE;
  return TRUE;
}

/**
 * fp_flag_url_sweep_stale_parts:
 *
 * Removes the partial files a killed run left: only regular files of our
 * own naming, and only old ones (another run may be saving right now).
 */
void
fp_flag_url_sweep_stale_parts (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf info;

      if (!is_our_partial_name (name))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (g_lstat (path, &info) == 0 && S_ISREG (info.st_mode) &&
          now - (gint64) info.st_mtime > STALE_PART_AGE_S)
        g_unlink (path);
    }
}

/**
 * fp_source_url_is_valid:
 * @base_url: a candidate source
 * @error: return location for a #GError
 *
 * Returns: whether @base_url is an absolute http or https URL with a host
 */
gboolean
fp_source_url_is_valid (const char  *base_url,
                        GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (base_url != NULL)
    uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, FP_ENGINE_ERROR, FP_ENGINE_ERROR_INVALID_SOURCE,
                   _("“%s” is not an http or https URL"), base_url != NULL ? base_url : "");
      return FALSE;
    }
  return TRUE;
}

/**
 * fp_url_is_loopback:
 * @url: a URL
 *
 * Returns: whether @url's host is this machine (localhost or a loopback
 *   address)
 */
gboolean
fp_url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}
