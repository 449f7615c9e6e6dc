/* fp-flag-file.h — one flag saved on disk: its country, its thumbnail and the facts about the file
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
GdkTexture   *fp_flag_file_decode          (GBytes       *bytes,
                                            int           max_width,
                                            int           max_height,
                                            int          *width,
                                            int          *height,
                                            GError      **error);

/* Blocking: reads the file's facts and decodes a thumbnail that fits in
 * @thumbnail_width × @thumbnail_height. Meant for a worker thread. */
FpFlagFile   *fp_flag_file_new_for_file    (GFile        *file,
                                            int           thumbnail_width,
                                            int           thumbnail_height,
                                            GCancellable *cancellable,
                                            GError      **error);

/* The same work on a small pool of decoding threads of its own. */
void          fp_flag_file_load_async      (GFile              *file,
                                            int                 thumbnail_width,
                                            int                 thumbnail_height,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
FpFlagFile   *fp_flag_file_load_finish     (GAsyncResult       *result,
                                            GError            **error);

const char   *fp_flag_file_get_code        (FpFlagFile *self);
const char   *fp_flag_file_get_name        (FpFlagFile *self);
const char   *fp_flag_file_get_title       (FpFlagFile *self);
GFile        *fp_flag_file_get_file        (FpFlagFile *self);
GdkTexture   *fp_flag_file_get_thumbnail   (FpFlagFile *self);
guint64       fp_flag_file_get_size        (FpFlagFile *self);
int           fp_flag_file_get_width       (FpFlagFile *self);
int           fp_flag_file_get_height      (FpFlagFile *self);
const char   *fp_flag_file_get_origin_url  (FpFlagFile *self);
GDateTime    *fp_flag_file_get_modified    (FpFlagFile *self);

G_END_DECLS
