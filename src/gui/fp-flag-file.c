/* fp-flag-file.c — one flag saved on disk: its country and the facts about the file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-flag-file"

#include "config.h"

#include <glib/gi18n.h>
#ifdef __linux__
#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "flagpole-engine.h"
#include "fp-flag-file.h"

struct _FpFlagFile
{
  GObject parent_instance;

  char *code;
  char *name;
  GFile *file;
  guint64 size;
  int width;
  int height;
  char *origin_url;
  GDateTime *modified;
  char *failure;               /* set: a download of this batch that failed, no file */
};

G_DEFINE_FINAL_TYPE (FpFlagFile, fp_flag_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_NAME,
  PROP_TITLE,
  PROP_FILE,
  PROP_SIZE,
  PROP_WIDTH,
  PROP_HEIGHT,
  PROP_ORIGIN_URL,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The formats a flag can be saved in: the engine names a file after the
 * format it finds in the bytes, which gdk-pixbuf can decode. */
static const char * const image_extensions[] = {
  "png", "gif", "jpg", "jpeg", "webp", "bmp", "ico", "tif", "tiff", "svg", NULL
};

#define ORIGIN_URL_ATTRIBUTE "xattr::xdg.origin.url"

static void
fp_flag_file_finalize (GObject *object)
{
  FpFlagFile *self = FP_FLAG_FILE (object);

  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->file);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->origin_url, g_free);
  g_clear_pointer (&self->modified, g_date_time_unref);

  G_OBJECT_CLASS (fp_flag_file_parent_class)->finalize (object);
}

static void
fp_flag_file_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  FpFlagFile *self = FP_FLAG_FILE (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TITLE:
      g_value_set_string (value, fp_flag_file_get_title (self));
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_int (value, self->height);
      break;
    case PROP_ORIGIN_URL:
      g_value_set_string (value, self->origin_url);
      break;
    case PROP_MODIFIED:
      g_value_set_boxed (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fp_flag_file_class_init (FpFlagFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fp_flag_file_finalize;
  object_class->get_property = fp_flag_file_get_property;

  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL, flags);
  /* NULL for a code that names no ISO 3166-1 country. */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* What a person reads: the localized name, or the code when there is none. */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE, flags);
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_WIDTH] =
    g_param_spec_int ("width", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_HEIGHT] =
    g_param_spec_int ("height", NULL, NULL, 0, G_MAXINT, 0, flags);
  /* NULL when the file does not say where it came from. */
  properties[PROP_ORIGIN_URL] =
    g_param_spec_string ("origin-url", NULL, NULL, NULL, flags);
  properties[PROP_MODIFIED] =
    g_param_spec_boxed ("modified", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fp_flag_file_init (FpFlagFile *self)
{
}

/**
 * fp_flag_file_code_for_name:
 * @basename: a file name without its folder
 *
 * Returns: (transfer full) (nullable): the upper-case code of a name made of
 *   two ASCII letters, a dot and an image extension, else %NULL
 */
char *
fp_flag_file_code_for_name (const char *basename)
{
  g_autofree char *extension = NULL;

  g_return_val_if_fail (basename != NULL, NULL);

  if (!g_ascii_isalpha (basename[0]) || !g_ascii_isalpha (basename[1]) || basename[2] != '.')
    return NULL;

  extension = g_ascii_strdown (basename + 3, -1);
  if (!g_strv_contains (image_extensions, extension))
    return NULL;

  return g_ascii_strup (basename, 2);
}

typedef struct {
  int max_width;
  int max_height;
  int width;
  int height;
  gboolean too_large;
} SizeRequest;

static void
thumbnail_size_prepared_cb (GdkPixbufLoader *loader,
                            int              width,
                            int              height,
                            gpointer         user_data)
{
  SizeRequest *request = user_data;
  double scale;

  request->width = width;
  request->height = height;

  /* Any format: a loader allocates what this announces once the signal
   * returns, and a size of 0 × 0 makes it stop instead. */
  if (width > FP_IMAGE_MAX_SIDE || height > FP_IMAGE_MAX_SIDE ||
      (guint64) width * height > FP_IMAGE_MAX_PIXELS)
    {
      request->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }
  if (request->max_width <= 0 || request->max_height <= 0)
    return;

  /* Only shrink: a small flag keeps its pixels rather than being blurred up. */
  scale = MIN ((double) request->max_width / MAX (width, 1),
               (double) request->max_height / MAX (height, 1));
  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader,
                                MAX (1, (int) (width * scale + 0.5)),
                                MAX (1, (int) (height * scale + 0.5)));
}

static void
set_too_large_error (GError **error)
{
  g_set_error (error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE,
               _("The image is too large for a flag (more than %u pixels a side or %u pixels in all)"),
               (guint) FP_IMAGE_MAX_SIDE, (guint) FP_IMAGE_MAX_PIXELS);
}

/*
 * GTK 4.8's cairo renderer draws a texture by downloading it into a new
 * cairo surface every time, every frame, through its generic pixel
 * converter (float by float, whatever the formats): a grid of flags
 * converted each visible thumbnail at each frame of a batch, 2 ms a
 * frame. So a decoded flag is kept in a cairo image surface, converted
 * once here (premultiplied native-endian ARGB, which is also
 * GDK_MEMORY_DEFAULT), and its texture shares those pixels: what draws
 * it on screen paints the surface (FpThumbnail), and whatever needs a
 * texture has one at no extra memory.
 */
static GQuark
surface_quark (void)
{
  return g_quark_from_static_string ("fp-flag-file-surface");
}

static GdkTexture *
texture_new_for_drawing (GdkPixbuf *pixbuf)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int src_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *src = gdk_pixbuf_read_pixels (pixbuf);
  cairo_surface_t *surface;
  guint8 *data;
  int stride;
  GBytes *bytes;
  GdkTexture *texture;

  /* Only 8-bit RGB(A) is converted by hand; anything else as GDK does it. */
  if (gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB
      || gdk_pixbuf_get_bits_per_sample (pixbuf) != 8
      || n_channels != (has_alpha ? 4 : 3))
    return gdk_texture_new_for_pixbuf (pixbuf);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return gdk_texture_new_for_pixbuf (pixbuf);
    }

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < height; y++)
    {
      const guint8 *in = src + (gsize) y * src_stride;
      guint32 *out = (guint32 *) (data + (gsize) y * stride);

      for (int x = 0; x < width; x++, in += n_channels)
        {
          guint a = has_alpha ? in[3] : 255;
          /* Premultiplied, rounded: (c × a + 127) / 255. */
          guint r = (in[0] * a + 127) / 255;
          guint g = (in[1] * a + 127) / 255;
          guint b = (in[2] * a + 127) / 255;

          out[x] = (a << 24) | (r << 16) | (g << 8) | b;
        }
    }
  cairo_surface_mark_dirty (surface);

  /* The texture's bytes keep the surface alive, and so its pixels. */
  bytes = g_bytes_new_with_free_func (data, (gsize) stride * height,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      cairo_surface_reference (surface));
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
  g_bytes_unref (bytes);

  g_object_set_qdata_full (G_OBJECT (texture), surface_quark (), surface, (GDestroyNotify) cairo_surface_destroy);
  return texture;
}

/**
 * fp_flag_file_texture_get_surface:
 * @texture: a texture from fp_flag_file_decode()
 *
 * Returns: (transfer none) (nullable): a cairo image surface with the
 *   texture's pixels (the same memory), to paint without GDK's
 *   conversion; %NULL for a texture made otherwise
 */
cairo_surface_t *
fp_flag_file_texture_get_surface (GdkTexture *texture)
{
  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  return g_object_get_qdata (G_OBJECT (texture), surface_quark ());
}

/**
 * fp_flag_file_decode:
 * @bytes: the contents of an image file, from anywhere
 * @max_width: the largest width to decode to, or 0 for the image's own
 * @max_height: the largest height, or 0
 * @width: (out) (optional): the image's own width
 * @height: (out) (optional): the image's own height
 *
 * Decodes @bytes, shrunk to fit the box, refusing a size no flag has
 * before any pixel is allocated: a GIF of 65535 × 65535 would take 16 GB.
 * PNG, GIF and JPEG headers are read by the engine first (a GIF's frames
 * can each be larger than its screen, and gdk-pixbuf allocates every
 * frame whole); for other formats the loader's announced size decides.
 * Thread-safe.
 *
 * Returns: (transfer full) (nullable): a texture (see
 *   fp_flag_file_texture_get_surface()), or %NULL with @error set
 */
GdkTexture *
fp_flag_file_decode (GBytes  *bytes,
                     int      max_width,
                     int      max_height,
                     int     *width,
                     int     *height,
                     GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) header_error = NULL;
  SizeRequest request = { max_width, max_height, 0, 0, FALSE };
  g_autoptr(GError) load_error = NULL;
  GdkPixbuf *pixbuf;
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);

  g_return_val_if_fail (bytes != NULL, NULL);

  if (fp_image_sniff_extension (data, length) != NULL &&
      !fp_image_check_header (bytes, NULL, NULL, NULL, &header_error) &&
      g_error_matches (header_error, FP_DOWNLOAD_ERROR, FP_DOWNLOAD_ERROR_IMAGE_TOO_LARGE))
    {
      set_too_large_error (error);
      return NULL;
    }

  loader = gdk_pixbuf_loader_new ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (thumbnail_size_prepared_cb), &request);

  if (!gdk_pixbuf_loader_write_bytes (loader, bytes, &load_error) ||
      !gdk_pixbuf_loader_close (loader, load_error == NULL ? &load_error : NULL) ||
      request.too_large)
    {
      if (load_error == NULL)
        gdk_pixbuf_loader_close (loader, NULL);
      if (request.too_large)
        set_too_large_error (error);
      else
        g_propagate_error (error, g_steal_pointer (&load_error));
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (pixbuf == NULL)
    {
      g_set_error_literal (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_CORRUPT_IMAGE,
                           _("The file is not an image"));
      return NULL;
    }

  if (width != NULL)
    *width = request.width;
  if (height != NULL)
    *height = request.height;

  /* A memory texture holds only the small pixels, in the format it is
   * drawn in; the pixbuf goes away with the loader. */
  return texture_new_for_drawing (pixbuf);
}

/**
 * fp_flag_file_new_for_file:
 * @file: a flag file, named like "br.png"
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the file's size, modification time and origin URL (the
 * xdg.origin.url extended attribute the engine writes) and, from the
 * image's header, its format and pixel size. It keeps no pixels: the
 * grid's tiles make their thumbnails when they are shown (see
 * FpThumbnailCache). It blocks on the disk, so it belongs in a worker
 * thread; everything it touches is safe to use there.
 *
 * Returns: (transfer full) (nullable): the flag, or %NULL with @error set
 */
FpFlagFile *
fp_flag_file_new_for_file (GFile         *file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(FpFlagFile) self = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize length;
  const char *origin_url;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  basename = g_file_get_basename (file);
  code = fp_flag_file_code_for_name (basename);
  if (code == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                   _("“%s” is not the name of a flag"), basename);
      return NULL;
    }

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                            ORIGIN_URL_ATTRIBUTE,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   _("“%s” is not a regular file"), basename);
      return NULL;
    }

  /* The engine never saves more than this; a larger file is not one of its
   * flags, and decoding it could cost a lot of memory. */
  if (g_file_info_get_size (info) > FP_MAX_BODY_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("“%s” is too large for a flag"), basename);
      return NULL;
    }

  self = g_object_new (FP_TYPE_FLAG_FILE, NULL);
  /* The headers alone, no pixels: what is not an image, or has a size no
   * flag has, gets no tile. PNG, GIF and JPEG are read by the engine
   * (every frame of a GIF counts); other formats by gdk-pixbuf. */
  bytes = g_file_load_bytes (file, cancellable, NULL, error);
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &length);
  if (fp_image_sniff_extension (data, length) != NULL)
    {
      if (!fp_image_check_header (bytes, NULL, &self->width, &self->height, error))
        return NULL;
    }
  else if (g_file_peek_path (file) == NULL
           || gdk_pixbuf_get_file_info (g_file_peek_path (file), &self->width, &self->height) == NULL)
    {
      g_set_error (error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_UNKNOWN_TYPE,
                   _("“%s” is not an image"), basename);
      return NULL;
    }
  if (self->width > FP_IMAGE_MAX_SIDE || self->height > FP_IMAGE_MAX_SIDE ||
      (guint64) self->width * self->height > FP_IMAGE_MAX_PIXELS)
    {
      set_too_large_error (error);
      return NULL;
    }

  self->code = g_steal_pointer (&code);
  self->name = g_strdup (fp_country_catalog_get_name (fp_country_catalog_get_default (),
                                                      self->code));
  self->file = g_object_ref (file);
  self->size = g_file_info_get_size (info);
  self->modified = g_file_info_get_modification_date_time (info);

  origin_url = g_file_info_get_attribute_string (info, ORIGIN_URL_ATTRIBUTE);
  if (origin_url != NULL && *origin_url != '\0')
    self->origin_url = g_strdup (origin_url);

  return g_steal_pointer (&self);
}

/**
 * fp_flag_file_new_failed:
 * @code: the country code
 * @failure: why its download failed, for a person
 *
 * Returns: (transfer full): a flag with no file: the place in a batch's
 *   grid of a download that failed, which shows as failed rather than as
 *   an older good file
 */
FpFlagFile *
fp_flag_file_new_failed (const char *code,
                         const char *failure)
{
  FpFlagFile *self;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (failure != NULL, NULL);

  self = g_object_new (FP_TYPE_FLAG_FILE, NULL);
  self->code = g_ascii_strup (code, -1);
  self->name = g_strdup (fp_country_catalog_get_name (fp_country_catalog_get_default (), self->code));
  self->failure = g_strdup (failure);
  self->width = -1;
  self->height = -1;
  return self;
}

/* Returns: (nullable): why the download failed, for a failed flag */
const char *
fp_flag_file_get_failure (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->failure;
}


/*
 * Reading a batch's flags takes a core for as long as the batch runs,
 * and the main thread, which must draw every frame, would get its turn on
 * the processor only as often as each reading thread. The facts can wait
 * a little; a frame cannot. So the reading threads run at a lower
 * priority (a higher nice value; Linux gives each thread its own, and any
 * thread may lower its own priority). The pool's threads are its own, so
 * no other work ever runs at that priority.
 */
#define DECODE_NICE 10

static void
load_in_worker (gpointer task_pointer,
                gpointer pool_data)
{
  g_autoptr(GTask) task = task_pointer;
  GFile *file = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  FpFlagFile *flag_file;

  fp_lower_thread_priority (DECODE_NICE);

  /* Queued work for a folder that is no longer shown never starts. */
  if (g_task_return_error_if_cancelled (task))
    return;

  flag_file = fp_flag_file_new_for_file (file, cancellable, &error);
  if (flag_file == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, flag_file, g_object_unref);
}

static GThreadPool *
get_decode_pool (void)
{
  static GThreadPool *pool;

  /* A pool of its own rather than GTask's shared one: a folder of hundreds
   * of flags would otherwise queue ahead of GIO's own file and DNS work.
   * Decoding is bound by the processor, so more threads than cores only
   * add memory. Exclusive, so that its threads, with their lowered
   * priority, never go back to GLib to serve other pools. */
  if (g_once_init_enter (&pool))
    {
      int n_threads = CLAMP ((int) g_get_num_processors (), 2, 4);
      GThreadPool *created = g_thread_pool_new (load_in_worker, NULL, n_threads, TRUE, NULL);

      g_once_init_leave (&pool, created);
    }

  return pool;
}

/**
 * fp_flag_file_load_async:
 * @file: a flag file, named like "br.png"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context of the caller
 * @user_data: data for @callback
 *
 * Runs fp_flag_file_new_for_file() on a small pool of threads of its own.
 */
void
fp_flag_file_load_async (GFile               *file,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fp_flag_file_load_async);

  g_task_set_task_data (task, g_object_ref (file), g_object_unref);

  g_thread_pool_push (get_decode_pool (), g_steal_pointer (&task), NULL);
}

/**
 * fp_flag_file_load_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the flag, or %NULL with @error set
 */
FpFlagFile *
fp_flag_file_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fp_flag_file_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
fp_flag_file_get_code (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->code;
}

const char *
fp_flag_file_get_name (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->name;
}

const char *
fp_flag_file_get_title (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->name != NULL ? self->name : self->code;
}

GFile *
fp_flag_file_get_file (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->file;
}

guint64
fp_flag_file_get_size (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), 0);
  return self->size;
}

int
fp_flag_file_get_width (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), 0);
  return self->width;
}

int
fp_flag_file_get_height (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), 0);
  return self->height;
}

const char *
fp_flag_file_get_origin_url (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->origin_url;
}

GDateTime *
fp_flag_file_get_modified (FpFlagFile *self)
{
  g_return_val_if_fail (FP_IS_FLAG_FILE (self), NULL);
  return self->modified;
}
