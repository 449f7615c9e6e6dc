/* fp-bench-image-check.c — the PNG image-data check's cost on the Debian flags, and its agreement with libdeflate
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-bench-image-check"

#include "config.h"

#include <string.h>
#include <time.h>
#include <libdeflate.h>
#include <glib.h>

#include "fp-image-check.h"
#include "fp-zlib-check.h"

/*
 * fp-bench-image-check [DIR] [ROUNDS]: for every two-letter PNG in DIR
 * (Debian's iso-flags-png-320x240 by default), the time of one round over
 * all flags of libdeflate's whole inflate, Flagpole's inflate with its
 * Adler-32 (fp_zlib_check_inflate), the walk that makes no bytes
 * (fp_zlib_check_walk) and the whole fp_image_check(), the best of ROUNDS
 * (thread CPU time). Then the same streams with one random byte changed,
 * many times over: how often each check refuses what libdeflate refuses,
 * and what passes libdeflate and not the others (must be nothing).
 */

typedef struct {
  char *name;
  GBytes *file;
  guint8 *idat;
  gsize idat_length;
  FpPngRows rows;
} Flag;

static double
thread_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
load_flag (Flag       *flag,
           const char *path)
{
  gsize size, pos = 8;
  const guint8 *data;
  GByteArray *idat = g_byte_array_new ();
  guint bits = 0;

  flag->file = NULL;
  {
    char *contents;

    if (!g_file_get_contents (path, &contents, &size, NULL))
      return FALSE;
    flag->file = g_bytes_new_take (contents, size);
  }
  data = g_bytes_get_data (flag->file, &size);
  while (pos + 12 <= size)
    {
      guint32 length = read_be32 (data + pos);

      if (memcmp (data + pos + 4, "IHDR", 4) == 0)
        {
          const guint8 *ihdr = data + pos + 8;
          guint channels[] = { 1, 0, 3, 1, 2, 0, 4 };
          guint32 width = read_be32 (ihdr), height = read_be32 (ihdr + 4);

          bits = channels[ihdr[9] % 7] * ihdr[8];
          if (ihdr[12] != 0)
            return FALSE;   /* the bench keeps to flags without interlacing */
          flag->rows.n_passes = 1;
          flag->rows.rows[0] = height;
          flag->rows.row_bytes[0] = 1 + ((guint64) width * bits + 7) / 8;
        }
      else if (memcmp (data + pos + 4, "IDAT", 4) == 0)
        g_byte_array_append (idat, data + pos + 8, length);
      pos += 12 + length;
    }
  flag->idat_length = idat->len;
  flag->idat = g_byte_array_free (idat, FALSE);
  return bits != 0;
}

int
main (int   argc,
      char *argv[])
{
  const char *dir = argc > 1 ? argv[1] : "/usr/share/iso-flags-png-320x240";
  guint rounds = argc > 2 ? (guint) atoi (argv[2]) : 20;
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GArray) flags = g_array_new (FALSE, TRUE, sizeof (Flag));
  struct libdeflate_decompressor *decompressor = libdeflate_alloc_decompressor ();
  gsize max_raw = 0, total_idat = 0, total_raw = 0;
  guint8 *reference, *out;
  const char *name;
  double best[4] = { G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE, G_MAXDOUBLE };
  const char *labels[4] = { "libdeflate inflate", "fp_zlib_check_inflate", "fp_zlib_check_walk", "fp_image_check" };

  if (folder == NULL)
    g_error ("Cannot open %s", dir);
  while ((name = g_dir_read_name (folder)) != NULL)
    {
      Flag flag = { 0, };
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (strlen (name) != 6 || !g_str_has_suffix (name, ".png") || g_str_equal (name, "zz.png"))
        continue;
      if (!load_flag (&flag, path))
        continue;
      flag.name = g_strdup (name);
      max_raw = MAX (max_raw, fp_png_rows_size (&flag.rows));
      total_idat += flag.idat_length;
      total_raw += fp_png_rows_size (&flag.rows);
      g_array_append_val (flags, flag);
    }
  reference = g_malloc (max_raw + FP_ZLIB_CHECK_SLACK);
  out = g_malloc (max_raw + FP_ZLIB_CHECK_SLACK);
  g_print ("%u flags, %" G_GSIZE_FORMAT " KB of image data, %" G_GSIZE_FORMAT " KB inflated\n",
           flags->len, total_idat / 1024, total_raw / 1024);

  /* First, all agree on the good flags, and the inflate makes the same bytes. */
  for (guint i = 0; i < flags->len; i++)
    {
      Flag *flag = &g_array_index (flags, Flag, i);
      gsize raw = fp_png_rows_size (&flag->rows);
      size_t in_used = 0, made = 0;

      if (libdeflate_zlib_decompress_ex (decompressor, flag->idat, flag->idat_length, reference, raw,
                                         &in_used, &made) != LIBDEFLATE_SUCCESS || made != raw)
        g_error ("%s: libdeflate refuses it", flag->name);
      if (!fp_zlib_check_inflate (flag->idat, flag->idat_length, out, raw))
        g_error ("%s: fp_zlib_check_inflate refuses it", flag->name);
      if (memcmp (out, reference, raw) != 0)
        g_error ("%s: fp_zlib_check_inflate makes other bytes", flag->name);
      if (!fp_zlib_check_walk (flag->idat, flag->idat_length, &flag->rows))
        g_error ("%s: fp_zlib_check_walk refuses it", flag->name);
      if (!fp_image_check (flag->file, NULL, NULL, NULL, NULL))
        g_error ("%s: fp_image_check refuses it", flag->name);
    }

  for (guint r = 0; r < rounds; r++)
    for (guint m = 0; m < 4; m++)
      {
        double start = thread_seconds (), spent;
        guint n_ok = 0;

        for (guint i = 0; i < flags->len; i++)
          {
            Flag *flag = &g_array_index (flags, Flag, i);
            gsize raw = fp_png_rows_size (&flag->rows);
            size_t in_used = 0, made = 0;

            switch (m)
              {
              case 0:
                n_ok += libdeflate_zlib_decompress_ex (decompressor, flag->idat, flag->idat_length, reference,
                                                       raw, &in_used, &made) == LIBDEFLATE_SUCCESS;
                break;
              case 1:
                n_ok += fp_zlib_check_inflate (flag->idat, flag->idat_length, out, raw);
                break;
              case 2:
                n_ok += fp_zlib_check_walk (flag->idat, flag->idat_length, &flag->rows);
                break;
              default:
                n_ok += fp_image_check (flag->file, NULL, NULL, NULL, NULL);
                break;
              }
          }
        spent = thread_seconds () - start;
        g_assert_cmpuint (n_ok, ==, flags->len);
        best[m] = MIN (best[m], spent);
      }
  for (guint m = 0; m < 4; m++)
    g_print ("%-24s %7.2f ms a round, %6.1f us a flag, %.2fx libdeflate\n", labels[m],
             best[m] * 1e3, best[m] * 1e6 / flags->len, best[m] / best[0]);

  /* Damage: one byte of the stream (after the zlib header) set at random. */
  {
    g_autoptr(GRand) rand = g_rand_new_with_seed (42);
    guint trials = 0, lib_refused = 0, inflate_refused = 0, walk_refused = 0;
    guint inflate_disagrees = 0, walk_misses = 0, walk_extra = 0;

    for (guint t = 0; t < 200 * flags->len; t++)
      {
        Flag *flag = &g_array_index (flags, Flag, t % flags->len);
        gsize raw = fp_png_rows_size (&flag->rows);
        gsize at = 2 + g_rand_int_range (rand, 0, (gint32) flag->idat_length - 6);
        guint8 saved = flag->idat[at];
        size_t in_used = 0, made = 0;
        gboolean lib_ok, inflate_ok, walk_ok;

        flag->idat[at] = (guint8) g_rand_int_range (rand, 0, 256);
        if (flag->idat[at] == saved)
          flag->idat[at] ^= 1;
        lib_ok = libdeflate_zlib_decompress_ex (decompressor, flag->idat, flag->idat_length, reference,
                                                raw, &in_used, &made) == LIBDEFLATE_SUCCESS &&
                 in_used == flag->idat_length && made == raw;
        if (lib_ok)
          for (gsize row = 0; row < flag->rows.rows[0]; row++)
            lib_ok = lib_ok && reference[row * flag->rows.row_bytes[0]] <= 4;
        inflate_ok = fp_zlib_check_inflate (flag->idat, flag->idat_length, out, raw);
        if (inflate_ok)
          for (gsize row = 0; row < flag->rows.rows[0]; row++)
            inflate_ok = inflate_ok && out[row * flag->rows.row_bytes[0]] <= 4;
        walk_ok = fp_zlib_check_walk (flag->idat, flag->idat_length, &flag->rows);
        flag->idat[at] = saved;

        trials++;
        lib_refused += !lib_ok;
        inflate_refused += !inflate_ok;
        walk_refused += !walk_ok;
        inflate_disagrees += lib_ok != inflate_ok;
        walk_misses += !lib_ok && walk_ok;
        walk_extra += lib_ok && !walk_ok;
      }
    g_print ("one byte changed, %u times: libdeflate refuses %u, the inflate %u (disagrees %u times), "
             "the walk %u (passes %u that libdeflate refuses, refuses %u that it passes)\n",
             trials, lib_refused, inflate_refused, inflate_disagrees, walk_refused, walk_misses, walk_extra);
    if (inflate_disagrees != 0 || walk_extra != 0)
      return 1;
  }
  return 0;
}
