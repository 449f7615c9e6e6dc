/* fp-flag-fetcher-result.c — how a download ends: the verdict on an exchange, the check and atomic save of its body
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-fetcher"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/xattr.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fp-country-catalog.h"
#include "fp-download-error.h"
#include "fp-flag-fetcher.h"
#include "fp-flag-url.h"
#include "fp-flag-fetcher-private.h"
#include "fp-image-check.h"

/* The formats a flag is saved in; a folder holds one file per country. */
static const char * const flag_extensions[] = { "png", "gif", "jpg", NULL };

/* Which of the flag of @cc's formats other than @extension are there:
 * bit i for flag_extensions[i]. */
static guint
other_formats_present (FpFlagFetcher *self,
                       const char    *cc,
                       const char    *extension)
{
  guint present = 0;

  for (guint i = 0; flag_extensions[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autofree char *other = NULL;

      if (g_str_equal (flag_extensions[i], extension))
        continue;
      name = g_strdup_printf ("%s.%s", cc, flag_extensions[i]);
      other = g_build_filename (fp_flag_fetcher_get_destination_path (self), name, NULL);
      if (g_file_test (other, G_FILE_TEST_EXISTS))
        present |= 1u << i;
    }
  return present;
}

/* Brings a closed file's data to the disk. */
static gboolean
sync_file (const char *path)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);
  gboolean synced = fd >= 0 && fsync (fd) == 0;
  int saved_errno = errno;

  if (fd >= 0)
    close (fd);
  errno = saved_errno;
  return synced;
}

/*
 * Writes @body beside its final name, then renames it into place: a
 * reader never sees half a flag, and a failure or a cancellation leaves
 * the previous file untouched. The source URL goes in the file's
 * xdg.origin.url attribute, where file managers look for it too.
 *
 * A flag that comes in another format than the one on disk (a GIF where
 * a PNG was) takes its place: the new file is renamed in first, then the
 * old one goes, so at every moment the folder holds a whole flag of the
 * country, and afterwards exactly one.
 *
 * It asks the disk as little as it can, since hundreds of flags are saved
 * a second: whether a flag of that name is replaced is the rename's to
 * say (RENAME_NOREPLACE refuses, and the new file is synced first only
 * then), and only the other formats found are removed. Three system
 * calls a flag fewer than asking first, with the same guarantees.
 */
static gboolean
save_atomically (FpFlagFetcher  *self,
                 const char     *cc,
                 const char     *extension,
                 const char     *url,
                 GBytes         *body,
                 GCancellable   *cancellable,
                 char          **saved_path,
                 char          **message)
{
  g_autofree char *basename = g_strdup_printf ("%s.%s", cc, extension);
  g_autofree char *path = g_build_filename (fp_flag_fetcher_get_destination_path (self), basename, NULL);
  g_autofree char *temp_name = g_strdup_printf (".%s-XXXXXX.part", cc);
  g_autofree char *temp_path = g_build_filename (fp_flag_fetcher_get_destination_path (self), temp_name, NULL);
  gsize length;
  const guint8 *data = g_bytes_get_data (body, &length);
  gsize written = 0;
  guint others;
  gboolean replaces = FALSE, renamed = FALSE;
  int fd;

  fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
      return FALSE;
    }

  while (written < length)
    {
      gssize n = write (fd, data + written, length - written);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
          goto failed;
        }
      written += (gsize) n;
    }

  if (url != NULL)
    {
      /* Where it came from, but never a password. */
      g_autofree char *origin = fp_url_strip_credentials (url);
      (void) fsetxattr (fd, "user.xdg.origin.url", origin, strlen (origin), 0);
    }

  /* Replacing a flag that is already there must not lose it in a crash. */
  others = other_formats_present (self, cc, extension);
#ifndef RENAME_NOREPLACE
  replaces = g_file_test (path, G_FILE_TEST_EXISTS);
#endif
  if ((others != 0 || replaces) && fsync (fd) != 0)
    {
      *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
      goto failed;
    }

  if (close (fd) != 0)
    {
      fd = -1;
      *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
      goto failed;
    }
  fd = -1;

  if (g_cancellable_is_cancelled (cancellable))
    goto failed;

#ifdef RENAME_NOREPLACE
  /* Unsynced, it may only take a name nothing has; a flag of that name is
   * replaced below once the new one is on the disk. */
  if (others == 0)
    {
      if (renameat2 (AT_FDCWD, temp_path, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        renamed = TRUE;
      else
        {
          int rename_errno = errno;

          if (rename_errno != EEXIST && rename_errno != EINVAL && rename_errno != ENOSYS)
            {
              *message = g_strdup_printf (_("cannot save: %s"), g_strerror (rename_errno));
              goto failed;
            }
          /* EINVAL, ENOSYS: a file system without RENAME_NOREPLACE, asked the old way. */
          replaces = rename_errno == EEXIST || g_file_test (path, G_FILE_TEST_EXISTS);
          if (replaces && !sync_file (temp_path))
            {
              *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
              goto failed;
            }
        }
    }
#endif
  if (!renamed && g_rename (temp_path, path) != 0)
    {
      *message = g_strdup_printf (_("cannot save: %s"), g_strerror (errno));
      goto failed;
    }

  for (guint i = 0; flag_extensions[i] != NULL; i++)
    if ((others & (1u << i)) != 0)
      {
        g_autofree char *name = g_strdup_printf ("%s.%s", cc, flag_extensions[i]);
        g_autofree char *other = g_build_filename (fp_flag_fetcher_get_destination_path (self), name, NULL);

        if (g_unlink (other) != 0 && errno != ENOENT)
          g_debug ("Cannot remove %s, the flag's old format: %s", other, g_strerror (errno));
      }

  *saved_path = g_steal_pointer (&path);
  return TRUE;

failed:
  if (fd >= 0)
    close (fd);
  g_unlink (temp_path);
  return FALSE;
}

/* Returns: %NULL and the flag's @url when the download may start;
 * otherwise its final result (an invalid code, or cancelled already). */
FpDownloadResult *
fp_flag_fetcher_begin (FpFlagFetcher  *self,
                       const char     *code,
                       GCancellable   *cancellable,
                       char          **url)
{
  g_autofree char *upper = NULL;

  if (!fp_country_code_is_valid (code))
    return fp_download_result_new_failed (code != NULL ? code : "", FP_DOWNLOAD_ERROR_INVALID_CODE, 0,
                                          _("not a country code"));

  upper = g_ascii_strup (code, -1);
  if (g_cancellable_is_cancelled (cancellable))
    return fp_download_result_new (upper, FP_DOWNLOAD_STATUS_CANCELLED, NULL);

  *url = fp_flag_fetcher_build_url (self, code);
  return NULL;
}

/* What an exchange's @outcome means, the same for every strategy.
 * Returns: %NULL when @body should go to fp_flag_fetcher_store(), else
 *   the final result (@body is cleared then). A cancelled batch wins. */
FpDownloadResult *
fp_flag_fetcher_conclude (FpFlagFetcher      *self,
                          const char         *code,
                          const char         *url,
                          FpExchangeOutcome   outcome,
                          GBytes            **body,
                          const char         *message,
                          FpDownloadError     error_code,
                          guint               http_status,
                          const GError       *error,
                          gboolean            deadline_passed,
                          GCancellable       *cancellable)
{
  g_autoptr(FpDownloadResult) result = NULL;
  g_autofree char *upper = g_ascii_strup (code, -1);
  g_autofree char *described = NULL;

  if (g_cancellable_is_cancelled (cancellable))
    outcome = FP_EXCHANGE_CANCELLED;

  switch (outcome)
    {
    case FP_EXCHANGE_OK:
      if (*body != NULL && g_bytes_get_size (*body) > 0)
        return NULL;
      result = fp_download_result_new_failed (upper, FP_DOWNLOAD_ERROR_EMPTY, 0, _("response is empty"));
      break;

    case FP_EXCHANGE_CANCELLED:
      result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
      break;

    case FP_EXCHANGE_NOT_FOUND:
      result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_NOT_FOUND, NULL);
      break;

    case FP_EXCHANGE_FAILED:
    default:
      /* The deadline cancels the request, so its error says "cancelled". */
      if (deadline_passed || message == NULL)
        message = described = fp_download_error_describe (error, deadline_passed, fp_flag_fetcher_get_timeout (self), &error_code);
      result = fp_download_result_new_failed (upper, error_code, http_status, message);
      break;
    }

  g_clear_pointer (body, g_bytes_unref);
  fp_download_result_set_url (result, url);
  return g_steal_pointer (&result);
}

static void
download_try_clear (gpointer data)
{
  FpDownloadTry *attempt = data;

  g_clear_pointer (&attempt->message, g_free);
}

/**
 * fp_flag_fetcher_new_tries:
 *
 * Returns: (transfer full) (element-type FpDownloadTry): an empty list of
 *   tries that frees their messages
 */
GArray *
fp_flag_fetcher_new_tries (void)
{
  GArray *tries = g_array_new (FALSE, FALSE, sizeof (FpDownloadTry));

  g_array_set_clear_func (tries, download_try_clear);
  return tries;
}

/**
 * fp_flag_fetcher_store:
 * @code: the country code @body was received for
 * @body: a response body from fp_flag_fetcher_receive()
 * @tries: (nullable) (element-type FpDownloadTry): the requests
 *   fp_flag_fetcher_receive() made for @body, recorded in the result
 * @cancellable: (nullable): a cancelled download is not saved
 *
 * The disk half of a download: check that @body is a whole image, and save it as
 * `{cc}.{ext}` in the destination, the extension being that of the
 * format found in the bytes. Blocks; thread-safe.
 *
 * Returns: (transfer full): the download's final result
 */
FpDownloadResult *
fp_flag_fetcher_store (FpFlagFetcher *self,
                       const char    *code,
                       GBytes        *body,
                       GArray        *tries,
                       GCancellable  *cancellable)
{
  g_autoptr(FpDownloadResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *cc = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *message = NULL;
  g_autofree char *saved_path = NULL;
  const char *extension = NULL;
  int width = -1, height = -1;

  g_return_val_if_fail (FP_IS_FLAG_FETCHER (self), NULL);
  g_return_val_if_fail (fp_country_code_is_valid (code), NULL);
  g_return_val_if_fail (body != NULL, NULL);

  upper = g_ascii_strup (code, -1);
  cc = g_ascii_strdown (code, -1);
  url = fp_flag_fetcher_build_url (self, code);

  if (g_cancellable_is_cancelled (cancellable))
    result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_CANCELLED, NULL);
  else if (!fp_image_check (body, &extension, &width, &height, &error))
    /* The check may tell its own code; any other failure of it means this. */
    result = fp_download_result_new_failed (upper,
                                            error->domain == FP_DOWNLOAD_ERROR ? error->code
                                                                               : FP_DOWNLOAD_ERROR_NOT_AN_IMAGE,
                                            0, error->message);
  else if (!save_atomically (self, cc, extension, url, body, cancellable, &saved_path, &message))
    result = g_cancellable_is_cancelled (cancellable)
           ? fp_download_result_new (upper, FP_DOWNLOAD_STATUS_CANCELLED, NULL)
           : fp_download_result_new_failed (upper, FP_DOWNLOAD_ERROR_CANNOT_SAVE, 0, message);
  else
    {
      result = fp_download_result_new (upper, FP_DOWNLOAD_STATUS_OK, NULL);
      fp_download_result_set_saved (result, saved_path, g_bytes_get_size (body), width, height);
    }

  for (guint i = 0; tries != NULL && i < tries->len; i++)
    fp_download_result_add_try (result, &g_array_index (tries, FpDownloadTry, i));
  {
    g_autofree char *shown = fp_url_strip_credentials (url);
    fp_download_result_set_url (result, shown);
  }
  return g_steal_pointer (&result);
}
