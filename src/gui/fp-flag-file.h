/* fp-flag-file.h — one flag saved on disk: its country and the facts about the file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FP_TYPE_FLAG_FILE (fp_flag_file_get_type ())
G_DECLARE_FINAL_TYPE (FpFlagFile, fp_flag_file, FP, FLAG_FILE, GObject)

/* The upper-case country code a file name like "br.png" stands for, or
 * NULL when the name is not a flag's (hidden, partial, other names). */
char         *fp_flag_file_code_for_name   (const char *basename);

/* Blocking, thread-safe: decodes at most @max_width × @max_height (0: the
 * image's size), refusing sizes no flag has before allocating them. */
cairo_surface_t *fp_flag_file_texture_get_surface (GdkTexture *texture);
GdkTexture   *fp_flag_file_decode          (GBytes       *bytes,
                                            int           max_width,
                                            int           max_height,
                                            int          *width,
                                            int          *height,
                                            GError      **error);

/* Blocking: reads the file's facts and its image header (no pixels).
 * Meant for a worker thread. */
FpFlagFile   *fp_flag_file_new_for_file    (GFile        *file,
                                            GCancellable *cancellable,
                                            GError      **error);

/* The same work on a small pool of threads of its own. */
void          fp_flag_file_load_async      (GFile              *file,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
FpFlagFile   *fp_flag_file_load_finish     (GAsyncResult       *result,
                                            GError            **error);

FpFlagFile   *fp_flag_file_new_failed      (const char *code,
                                            const char *failure);
const char   *fp_flag_file_get_failure     (FpFlagFile *self);

const char   *fp_flag_file_get_code        (FpFlagFile *self);
const char   *fp_flag_file_get_name        (FpFlagFile *self);
const char   *fp_flag_file_get_title       (FpFlagFile *self);
GFile        *fp_flag_file_get_file        (FpFlagFile *self);
guint64       fp_flag_file_get_size        (FpFlagFile *self);
int           fp_flag_file_get_width       (FpFlagFile *self);
int           fp_flag_file_get_height      (FpFlagFile *self);
const char   *fp_flag_file_get_origin_url  (FpFlagFile *self);
GDateTime    *fp_flag_file_get_modified    (FpFlagFile *self);

G_END_DECLS
