/* fp-zlib-check.c — two cheaper PNG image-data checks than libdeflate's inflate, measured and not taken
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-zlib-check"

#include "config.h"

#include <string.h>
#include <libdeflate.h>

#include "fp-zlib-check.h"

/*
 * Not part of the engine: fp-bench-image-check measures these against
 * libdeflate's whole inflate, which the image check keeps (see
 * src/engine/fp-image-check.c for the numbers and why).
 *
 * A DEFLATE decoder (RFC 1950 and 1951) written for the image check, in
 * two forms that share everything but the output:
 *
 * - fp_zlib_check_walk() decodes every Huffman code of the stream and
 *   writes nothing. It keeps only the output position, so it checks what
 *   a decoder checks except the Adler-32: the zlib header, every block's
 *   type, the code lengths (no over-subscribed and no incomplete code but
 *   a lone one-bit code, as zlib allows), every code being one the tables
 *   have, every distance reaching back no further than the bytes made so
 *   far, every stored block's length, and that the stream makes exactly
 *   the image's rows, has its last block flagged, and ends at the last
 *   byte before the four of the Adler-32. Row filter bytes that come as
 *   literals are checked to be 0 to 4; one a match copies is not seen.
 *
 * - fp_zlib_check_inflate() makes the bytes too (the same decoder, with
 *   copies) and checks the Adler-32: what libdeflate or zlib check.
 *
 * The walk sees no byte's value, so a stream whose codes are all valid
 * but stand for other bytes than the encoder's passes it: a literal code
 * changed into another literal code of the same length, or a distance
 * into another that reaches as far. Noise does not pass: a random stream
 * breaks one of the rules above within a few dozen bytes, and the chance
 * that it also makes exactly the image's size and ends exactly at the end
 * of its data is nil. The chunk's CRC-32 already tells damage in transit.
 *
 * Decoding: a 64-bit bit buffer filled eight bytes at a time, tables
 * indexed by the next 10 bits (litlen) or 8 bits (distances) with
 * subtables for longer codes, one entry giving the symbol's kind, its
 * length or distance base and its count of extra bits.
 */

#define LITLEN_BITS  10
#define DIST_BITS    8
#define PRECODE_BITS 7

/* Generous: zlib's enough.c gives 1332 and 592 for these roots and 15 bits;
 * the builder checks the bound anyway. */
#define LITLEN_TABLE_SIZE  ((1 << LITLEN_BITS) + 1024)
#define DIST_TABLE_SIZE    ((1 << DIST_BITS) + 1024)
#define PRECODE_TABLE_SIZE (1 << PRECODE_BITS)

#define N_LITLEN_SYMS 288
#define N_DIST_SYMS   32

/* An entry: bits 0-4 the code's bits in this table, 5-7 its kind, 8-12
 * its extra bits (or a subtable's index bits), 16-31 its value (the
 * literal, the base length or distance, or the subtable's start). */
enum {
  KIND_LITERAL,
  KIND_LENGTH,     /* also a distance, in the distance table */
  KIND_END,
  KIND_SUBTABLE,
  KIND_INVALID,
};

#define ENTRY(kind, extra, value) (((guint32) (value) << 16) | ((guint32) (extra) << 8) | ((guint32) (kind) << 5))
#define ENTRY_BITS(e)  ((e) & 31)
#define ENTRY_KIND(e)  (((e) >> 5) & 7)
#define ENTRY_EXTRA(e) (((e) >> 8) & 31)
#define ENTRY_VALUE(e) ((e) >> 16)

typedef struct {
  guint32 runs[1 << LITLEN_BITS];     /* the walk's: see build_runs() */
  guint32 litlen[LITLEN_TABLE_SIZE];
  guint32 dist[DIST_TABLE_SIZE];
  guint32 precode[PRECODE_TABLE_SIZE];
} Tables;

/* What each symbol stands for, before its code length is known. */
static guint32 litlen_info[N_LITLEN_SYMS];
static guint32 dist_info[N_DIST_SYMS];
static guint32 precode_info[19];

/* The fixed codes of block type 1, made once. */
static Tables fixed_tables;

static void build_runs (guint32       *runs,
                        const guint32 *litlen);

static guint
reverse_bits (guint code,
              guint n_bits)
{
  guint reversed = 0;

  for (guint i = 0; i < n_bits; i++)
    {
      reversed = (reversed << 1) | (code & 1);
      code >>= 1;
    }
  return reversed;
}

/*
 * Fills @table (@root index bits, then subtables up to @size entries)
 * for the canonical code of @lengths. Refuses an over-subscribed code,
 * and an incomplete one unless it has no code at all or only one of one
 * bit (zlib's rule); what no code reaches decodes as KIND_INVALID.
 */
static gboolean
build_table (guint32       *table,
             guint          size,
             guint          root,
             const guint8  *lengths,
             guint          n_symbols,
             const guint32 *info)
{
  guint count[16] = { 0, }, remaining[16], offset[16];
  guint16 sorted[N_LITLEN_SYMS];
  gint left = 1;
  guint n_codes = 0, max_length = 0;
  guint code = 0, length = 0, next_free = 1u << root;
  guint sub_start = 0, sub_bits = 0, prefix = G_MAXUINT;

  for (guint s = 0; s < n_symbols; s++)
    count[lengths[s]]++;
  count[0] = 0;
  for (guint l = 1; l < 16; l++)
    {
      left = (left << 1) - (gint) count[l];
      if (left < 0)
        return FALSE;              /* over-subscribed */
      n_codes += count[l];
      if (count[l] != 0)
        max_length = l;
    }
  if (left > 0)
    {
      if (n_codes > 1 || (n_codes == 1 && count[1] != 1))
        return FALSE;              /* incomplete */
      for (guint i = 0; i < (1u << root); i++)
        table[i] = ENTRY (KIND_INVALID, 0, 0);
    }

  offset[1] = 0;
  for (guint l = 1; l < 15; l++)
    offset[l + 1] = offset[l] + count[l];
  for (guint s = 0; s < n_symbols; s++)
    if (lengths[s] != 0)
      sorted[offset[lengths[s]]++] = (guint16) s;
  memcpy (remaining, count, sizeof remaining);

  for (guint i = 0; i < n_codes; i++)
    {
      guint symbol = sorted[i];
      guint l = lengths[symbol];

      code <<= l - length;
      length = l;

      if (l <= root)
        {
          guint32 entry = info[symbol] | l;

          for (guint index = reverse_bits (code, l); index < (1u << root); index += 1u << l)
            table[index] = entry;
        }
      else
        {
          guint head = reverse_bits (code >> (l - root), root);
          guint32 entry = info[symbol] | (l - root);

          if (head != prefix)
            {
              /* A new subtable, as wide as the codes under this prefix need. */
              gint room;

              sub_bits = l - root;
              room = 1 << sub_bits;
              while (sub_bits + root < max_length)
                {
                  room -= (gint) remaining[sub_bits + root];
                  if (room <= 0)
                    break;
                  sub_bits++;
                  room <<= 1;
                }
              if (next_free + (1u << sub_bits) > size)
                return FALSE;
              sub_start = next_free;
              next_free += 1u << sub_bits;
              prefix = head;
              table[head] = ENTRY (KIND_SUBTABLE, sub_bits, sub_start) | root;
              if (left > 0)
                for (guint j = 0; j < (1u << sub_bits); j++)
                  table[sub_start + j] = ENTRY (KIND_INVALID, 0, 0);
            }
          for (guint index = reverse_bits (code & ((1u << (l - root)) - 1), l - root);
               index < (1u << sub_bits); index += 1u << (l - root))
            table[sub_start + index] = entry;
        }
      remaining[l]--;
      code++;
    }
  return TRUE;
}

static gpointer
init_tables (gpointer data)
{
  static const guint16 length_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
  };
  static const guint8 length_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
  };
  static const guint16 dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
  };
  guint8 lengths[N_LITLEN_SYMS];
  gboolean built;

  for (guint s = 0; s < 256; s++)
    litlen_info[s] = ENTRY (KIND_LITERAL, 0, s);
  litlen_info[256] = ENTRY (KIND_END, 0, 0);
  for (guint s = 257; s < 286; s++)
    litlen_info[s] = ENTRY (KIND_LENGTH, length_extra[s - 257], length_base[s - 257]);
  litlen_info[286] = litlen_info[287] = ENTRY (KIND_INVALID, 0, 0);
  for (guint s = 0; s < 30; s++)
    dist_info[s] = ENTRY (KIND_LENGTH, s < 4 ? 0 : s / 2 - 1, dist_base[s]);
  dist_info[30] = dist_info[31] = ENTRY (KIND_INVALID, 0, 0);
  for (guint s = 0; s < 19; s++)
    precode_info[s] = ENTRY (KIND_LITERAL, 0, s);

  memset (lengths, 8, 144);
  memset (lengths + 144, 9, 112);
  memset (lengths + 256, 7, 24);
  memset (lengths + 280, 8, 8);
  built = build_table (fixed_tables.litlen, LITLEN_TABLE_SIZE, LITLEN_BITS, lengths, N_LITLEN_SYMS, litlen_info);
  memset (lengths, 5, N_DIST_SYMS);
  built = built && build_table (fixed_tables.dist, DIST_TABLE_SIZE, DIST_BITS, lengths, N_DIST_SYMS, dist_info);
  g_assert (built);
  build_runs (fixed_tables.runs, fixed_tables.litlen);
  return NULL;
}

static void
ensure_tables (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_tables, NULL);
}

static inline guint64
load_le64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, sizeof v);
  return GUINT64_FROM_LE (v);
}

static inline void
copy8 (guint8       *dst,
       const guint8 *src)
{
  guint64 v;

  memcpy (&v, src, sizeof v);
  memcpy (dst, &v, sizeof v);
}

/* The decoder's state between blocks. */
typedef struct {
  const guint8 *start, *next, *end;
  guint64 bits;
  guint n_bits;
  guint overrun;       /* zero bytes given past the end */
} BitReader;

/* At least 56 bits in the buffer after it (a litlen code, its extra bits,
 * a distance code and its extra bits take 48 at most). Past the end it
 * gives zeros; a stream that needs more than 8 of them is cut short. */
#define REFILL()                                                        \
  G_STMT_START {                                                        \
    if (G_LIKELY (br.end - br.next >= 8))                               \
      {                                                                 \
        br.bits |= load_le64 (br.next) << br.n_bits;                    \
        br.next += (63 - br.n_bits) >> 3;                               \
        br.n_bits |= 56;                                                \
      }                                                                 \
    else                                                                \
      {                                                                 \
        while (br.n_bits < 56)                                          \
          {                                                             \
            if (br.next < br.end)                                       \
              br.bits |= (guint64) *br.next++ << br.n_bits;             \
            else if (++br.overrun > 8)                                  \
              return FALSE;                                             \
            br.n_bits += 8;                                             \
          }                                                             \
      }                                                                 \
  } G_STMT_END

#define PEEK(n)  ((guint) (br.bits & ((G_GUINT64_CONSTANT (1) << (n)) - 1)))
#define DROP(n)  G_STMT_START { br.bits >>= (n); br.n_bits -= (n); } G_STMT_END

/* Where the filter bytes are: the next one's position, pass and row. */
typedef struct {
  const FpPngRows *layout;
  guint64 next;
  guint pass;
  guint64 row;
} RowCursor;

static void
row_cursor_advance (RowCursor *cursor)
{
  const FpPngRows *layout = cursor->layout;

  cursor->next += layout->row_bytes[cursor->pass];
  if (++cursor->row == layout->rows[cursor->pass])
    {
      cursor->row = 0;
      if (++cursor->pass == layout->n_passes)
        cursor->next = G_MAXUINT64;
    }
}

/*
 * The walk reads codes by runs: an entry of the run table, indexed like
 * the first litlen table by the next 10 bits, stands for every code that
 * those bits hold whole — a run of literals, and the length code that may
 * end it — so that a literal costs no lookup of its own. Bits 0-5: the
 * bits it takes; 6-7: its kind; 8-11: its literals; 12-14: the length's
 * extra bits still to read after it (none when they fit in the 10 too);
 * 16-31: the bytes it makes, but for those extra bits.
 */
enum {
  RUN_LITERALS,    /* literals only */
  RUN_MATCH,       /* literals, then a length: a distance follows */
  RUN_SLOW,        /* the first code goes the long way (see walk_codes()) */
};

#define RUN(bits, kind, n_literals, extra, advance) \
  (((guint32) (advance) << 16) | ((guint32) (extra) << 12) | ((guint32) (n_literals) << 8) | \
   ((guint32) (kind) << 6) | (bits))
#define RUN_BITS(r)       ((r) & 63)
#define RUN_KIND(r)       (((r) >> 6) & 3)
#define RUN_LITERALS_N(r) (((r) >> 8) & 15)
#define RUN_EXTRA(r)      (((r) >> 12) & 7)
#define RUN_ADVANCE(r)    ((r) >> 16)

/* From the first litlen table: each entry is the first code, then the
 * entry of the bits after it when that fits in what is left of the 10;
 * entries below @i are made before it (i >> bits < i); the entry 0 stops
 * at its first literal. */
static void
build_runs (guint32       *runs,
            const guint32 *litlen)
{
  for (guint i = 0; i < (1u << LITLEN_BITS); i++)
    {
      guint32 entry = litlen[i];
      guint n_bits = ENTRY_BITS (entry);

      if (ENTRY_KIND (entry) == KIND_LITERAL)
        {
          guint rest = i >> n_bits;
          guint32 next = rest < i ? runs[rest] : RUN (0, RUN_SLOW, 0, 0, 0);

          if (RUN_KIND (next) != RUN_SLOW && RUN_BITS (next) <= LITLEN_BITS - n_bits &&
              RUN_LITERALS_N (next) < 15)
            runs[i] = RUN (n_bits + RUN_BITS (next), RUN_KIND (next), 1 + RUN_LITERALS_N (next),
                           RUN_EXTRA (next), 1 + RUN_ADVANCE (next));
          else
            runs[i] = RUN (n_bits, RUN_LITERALS, 1, 0, 1);
        }
      else if (ENTRY_KIND (entry) == KIND_LENGTH)
        {
          guint extra = ENTRY_EXTRA (entry);

          if (n_bits + extra <= LITLEN_BITS)
            runs[i] = RUN (n_bits + extra, RUN_MATCH, 0, 0,
                           ENTRY_VALUE (entry) + ((i >> n_bits) & ((1u << extra) - 1)));
          else
            runs[i] = RUN (n_bits, RUN_MATCH, 0, extra, ENTRY_VALUE (entry));
        }
      else
        {
          runs[i] = RUN (0, RUN_SLOW, 0, 0, 0);
        }
    }
}

/*
 * A block's codes, walked: a run at a time (see build_runs()), or one
 * code at a time for a code the run table does not hold (a subtable's,
 * the end of the block) and where a literal of the run would be the next
 * row's filter byte, which is checked then; a filter byte a match copies
 * is not seen.
 */
static inline __attribute__ ((always_inline)) gboolean
walk_codes (BitReader     *reader,
            const guint32 *runs,
            const guint32 *litlen,
            const guint32 *dist,
            guint64       *made_inout,
            guint64        out_size,
            RowCursor     *cursor)
{
  BitReader br = *reader;
  guint64 made = *made_inout;

  for (;;)
    {
      guint32 run, entry;
      guint64 start, match, distance;

      REFILL ();
      run = runs[PEEK (LITLEN_BITS)];
      if (G_LIKELY (RUN_KIND (run) != RUN_SLOW && made + RUN_LITERALS_N (run) <= cursor->next))
        {
          guint64 advance;

          DROP (RUN_BITS (run));
          advance = RUN_ADVANCE (run) + PEEK (RUN_EXTRA (run));
          DROP (RUN_EXTRA (run));
          if (G_UNLIKELY (advance > out_size - made))
            return FALSE;
          start = made + RUN_LITERALS_N (run);
          made += advance;
          if (RUN_KIND (run) == RUN_LITERALS)
            continue;
        }
      else
        {
          /* One code the long way. */
          entry = litlen[PEEK (LITLEN_BITS)];
          if (ENTRY_KIND (entry) == KIND_SUBTABLE)
            {
              DROP (LITLEN_BITS);
              entry = litlen[ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry))];
            }
          DROP (ENTRY_BITS (entry));
          if (ENTRY_KIND (entry) == KIND_LITERAL)
            {
              if (G_UNLIKELY (made >= out_size))
                return FALSE;
              if (made == cursor->next)
                {
                  if (ENTRY_VALUE (entry) > 4)
                    return FALSE;
                  row_cursor_advance (cursor);
                }
              made++;
              continue;
            }
          if (ENTRY_KIND (entry) != KIND_LENGTH)
            {
              if (ENTRY_KIND (entry) == KIND_END)
                break;
              return FALSE;
            }
          match = ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry));
          DROP (ENTRY_EXTRA (entry));
          if (G_UNLIKELY (match > out_size - made))
            return FALSE;
          start = made;
          made += match;
        }

      /* The distance of the match that ends at @made. */
      while (G_UNLIKELY (cursor->next < made))
        row_cursor_advance (cursor);
      entry = dist[PEEK (DIST_BITS)];
      if (G_UNLIKELY (ENTRY_KIND (entry) == KIND_SUBTABLE))
        {
          DROP (DIST_BITS);
          entry = dist[ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry))];
        }
      if (G_UNLIKELY (ENTRY_KIND (entry) != KIND_LENGTH))
        return FALSE;
      DROP (ENTRY_BITS (entry));
      distance = ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry));
      DROP (ENTRY_EXTRA (entry));
      if (G_UNLIKELY (distance > start))
        return FALSE;
    }

  *reader = br;
  *made_inout = made;
  return TRUE;
}

/*
 * A block's codes, inflated. Up to four literals a refill (a literal's
 * code in the first table is 10 bits at most, and a refill leaves 56);
 * a match is copied eight bytes at a time, the first 40 whatever its
 * length (most are shorter, and a loop's exit would be mispredicted),
 * writing into the slack past its end what later bytes overwrite.
 */
static inline __attribute__ ((always_inline)) gboolean
inflate_codes (BitReader     *reader,
               const guint32 *litlen,
               const guint32 *dist,
               guint8        *out,
               guint64       *made_inout,
               guint64        out_size)
{
  BitReader br = *reader;
  guint8 *dst = out + *made_inout;
  guint8 *const out_end = out + out_size;

  for (;;)
    {
      guint32 entry;
      guint match, distance;
      const guint8 *src;
      guint8 *stop;

      REFILL ();
      entry = litlen[PEEK (LITLEN_BITS)];
      if (ENTRY_KIND (entry) == KIND_LITERAL)
        {
          guint n = 0;

          do
            {
              DROP (ENTRY_BITS (entry));
              if (G_UNLIKELY (dst >= out_end))
                return FALSE;
              *dst++ = (guint8) ENTRY_VALUE (entry);
              entry = litlen[PEEK (LITLEN_BITS)];
            }
          while (++n < 4 && ENTRY_KIND (entry) == KIND_LITERAL);
          if (ENTRY_KIND (entry) == KIND_LITERAL)
            continue;
          /* The entry stays good: a refill adds bits above those it read. */
          REFILL ();
        }
      if (G_UNLIKELY (ENTRY_KIND (entry) == KIND_SUBTABLE))
        {
          DROP (LITLEN_BITS);
          entry = litlen[ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry))];
          if (ENTRY_KIND (entry) == KIND_LITERAL)
            {
              DROP (ENTRY_BITS (entry));
              if (G_UNLIKELY (dst >= out_end))
                return FALSE;
              *dst++ = (guint8) ENTRY_VALUE (entry);
              continue;
            }
        }
      DROP (ENTRY_BITS (entry));
      if (G_UNLIKELY (ENTRY_KIND (entry) != KIND_LENGTH))
        {
          if (ENTRY_KIND (entry) == KIND_END)
            break;
          return FALSE;
        }

      match = ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry));
      DROP (ENTRY_EXTRA (entry));
      entry = dist[PEEK (DIST_BITS)];
      if (G_UNLIKELY (ENTRY_KIND (entry) == KIND_SUBTABLE))
        {
          DROP (DIST_BITS);
          entry = dist[ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry))];
        }
      if (G_UNLIKELY (ENTRY_KIND (entry) != KIND_LENGTH))
        return FALSE;
      DROP (ENTRY_BITS (entry));
      distance = ENTRY_VALUE (entry) + PEEK (ENTRY_EXTRA (entry));
      DROP (ENTRY_EXTRA (entry));

      if (G_UNLIKELY (distance > (gsize) (dst - out) || match > (gsize) (out_end - dst)))
        return FALSE;
      src = dst - distance;
      stop = dst + match;

      if (G_LIKELY (distance >= 8))
        {
          copy8 (dst, src);
          copy8 (dst + 8, src + 8);
          copy8 (dst + 16, src + 16);
          copy8 (dst + 24, src + 24);
          copy8 (dst + 32, src + 32);
          if (match > 40)
            {
              dst += 40;
              src += 40;
              do
                {
                  copy8 (dst, src);
                  dst += 8;
                  src += 8;
                }
              while (dst < stop);
            }
        }
      else if (distance == 1)
        {
          guint64 v = src[0] * G_GUINT64_CONSTANT (0x0101010101010101);

          memcpy (dst, &v, 8);
          memcpy (dst + 8, &v, 8);
          memcpy (dst + 16, &v, 8);
          memcpy (dst + 24, &v, 8);
          memcpy (dst + 32, &v, 8);
          if (match > 40)
            {
              dst += 40;
              do
                {
                  memcpy (dst, &v, 8);
                  dst += 8;
                }
              while (dst < stop);
            }
        }
      else
        {
          /* A period shorter than a word: a word's worth byte by byte,
           * then copies from a whole number of periods back, at least 8. */
          guint step = distance * ((8 + distance - 1) / distance);
          guint8 *words = dst + (step - distance);

          while (dst < stop && dst < words)
            *dst++ = *src++;
          src = dst - step;
          while (dst < stop)
            {
              copy8 (dst, src);
              dst += 8;
              src += 8;
            }
        }
      dst = stop;
    }

  *reader = br;
  *made_inout = (guint64) (dst - out);
  return TRUE;
}

/*
 * The decoder. @out NULL: walk, checking literal filter bytes through
 * @cursor; otherwise make the bytes into @out. Inlined twice, so that
 * each form has only its own work in its loop.
 */
static inline __attribute__ ((always_inline)) gboolean
decode (const guint8 *data,
        gsize         length,
        guint8       *out,
        guint64       out_size,
        RowCursor    *cursor)
{
  BitReader br;
  Tables tables, *dynamic = &tables;   /* a dynamic block's */
  guint64 made = 0;
  gboolean final = FALSE;
  gboolean ok = FALSE;
  guint cmf, flg;

  ensure_tables ();

  /* The zlib header: deflate, a window of at most 32 KiB, no preset
   * dictionary; then the stream; then 4 bytes of Adler-32. */
  if (length < 2 + 1 + 4)
    return FALSE;
  cmf = data[0];
  flg = data[1];
  if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || ((cmf << 8) | flg) % 31 != 0 || (flg & 0x20) != 0)
    return FALSE;

  br.start = br.next = data + 2;
  br.end = data + length - 4;
  br.bits = 0;
  br.n_bits = 0;
  br.overrun = 0;

  while (!final)
    {
      const guint32 *litlen, *dist;
      guint type;

      REFILL ();
      final = PEEK (1);
      DROP (1);
      type = PEEK (2);
      DROP (2);

      if (type == 0)
        {
          /* Stored: to the byte boundary, LEN, NLEN, LEN bytes. */
          guint stored, check;
          gsize pos;

          DROP (br.n_bits & 7);
          stored = PEEK (16);
          DROP (16);
          check = PEEK (16);
          DROP (16);
          if (stored != (~check & 0xFFFF))
            return FALSE;
          /* What the buffer holds goes back to the input. */
          pos = (gsize) (br.next - br.start) + br.overrun - br.n_bits / 8;
          if (pos > (gsize) (br.end - br.start) || (gsize) (br.end - br.start) - pos < stored ||
              out_size - made < stored)
            return FALSE;
          if (out != NULL)
            memcpy (out + made, br.start + pos, stored);
          else
            while (cursor->next < made + stored)
              row_cursor_advance (cursor);   /* raw bytes: a filter byte there is not looked at */
          made += stored;
          br.next = br.start + pos + stored;
          br.bits = 0;
          br.n_bits = 0;
          br.overrun = 0;
          continue;
        }

      if (type == 1)
        {
          litlen = fixed_tables.litlen;
          dist = fixed_tables.dist;
        }
      else if (type == 2)
        {
          static const guint8 order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
          guint8 lengths[N_LITLEN_SYMS + N_DIST_SYMS];
          guint8 precode_lengths[19] = { 0, };
          guint n_litlen, n_dist, n_precode, n;

          n_litlen = 257 + PEEK (5);
          DROP (5);
          n_dist = 1 + PEEK (5);
          DROP (5);
          n_precode = 4 + PEEK (4);
          DROP (4);
          REFILL ();
          for (guint i = 0; i < n_precode; i++)
            {
              precode_lengths[order[i]] = (guint8) PEEK (3);
              DROP (3);
            }
          if (!build_table (dynamic->precode, PRECODE_TABLE_SIZE, PRECODE_BITS, precode_lengths, 19, precode_info))
            return FALSE;

          for (n = 0; n < n_litlen + n_dist;)
            {
              guint32 entry;
              guint symbol, repeat;
              guint8 value;

              REFILL ();
              entry = dynamic->precode[PEEK (PRECODE_BITS)];
              if (ENTRY_KIND (entry) != KIND_LITERAL)
                return FALSE;
              DROP (ENTRY_BITS (entry));
              symbol = ENTRY_VALUE (entry);
              if (symbol < 16)
                {
                  lengths[n++] = (guint8) symbol;
                  continue;
                }
              if (symbol == 16)
                {
                  if (n == 0)
                    return FALSE;
                  value = lengths[n - 1];
                  repeat = 3 + PEEK (2);
                  DROP (2);
                }
              else if (symbol == 17)
                {
                  value = 0;
                  repeat = 3 + PEEK (3);
                  DROP (3);
                }
              else
                {
                  value = 0;
                  repeat = 11 + PEEK (7);
                  DROP (7);
                }
              if (repeat > n_litlen + n_dist - n)
                return FALSE;
              memset (lengths + n, value, repeat);
              n += repeat;
            }
          if (lengths[256] == 0)
            return FALSE;              /* no end-of-block code */
          if (!build_table (dynamic->litlen, LITLEN_TABLE_SIZE, LITLEN_BITS, lengths, n_litlen, litlen_info) ||
              !build_table (dynamic->dist, DIST_TABLE_SIZE, DIST_BITS, lengths + n_litlen, n_dist, dist_info))
            return FALSE;
          litlen = dynamic->litlen;
          dist = dynamic->dist;
        }
      else
        {
          return FALSE;
        }

      if (out == NULL)
        {
          const guint32 *runs = fixed_tables.runs;

          if (type == 2)
            {
              build_runs (dynamic->runs, dynamic->litlen);
              runs = dynamic->runs;
            }
          if (!walk_codes (&br, runs, litlen, dist, &made, out_size, cursor))
            return FALSE;
          continue;
        }

      if (!inflate_codes (&br, litlen, dist, out, &made, out_size))
        return FALSE;
    }

  /* Exactly the rows, and the stream's last bit in the data's last byte. */
  {
    guint64 used_bits = ((guint64) (br.next - br.start) + br.overrun) * 8 - br.n_bits;
    guint64 available_bits = (guint64) (br.end - br.start) * 8;

    ok = made == out_size && used_bits <= available_bits && available_bits - used_bits < 8;
  }
  return ok;
}

/**
 * fp_png_rows_size:
 *
 * Returns: the bytes of filtered image data @rows make, filter bytes included
 */
guint64
fp_png_rows_size (const FpPngRows *rows)
{
  guint64 size = 0;

  for (guint p = 0; p < rows->n_passes; p++)
    size += rows->rows[p] * rows->row_bytes[p];
  return size;
}

/**
 * fp_zlib_check_walk:
 * @data: a zlib stream (a PNG's IDAT data)
 * @rows: what it must make
 *
 * Decodes every code of @data without making a byte, and checks all a
 * decoder checks but the Adler-32 (see the top of this file for what
 * that leaves out). Thread-safe; allocates nothing.
 *
 * Returns: whether @data is a well-formed stream of exactly @rows
 */
gboolean
fp_zlib_check_walk (const guint8    *data,
                    gsize            length,
                    const FpPngRows *rows)
{
  RowCursor cursor = { rows, 0, 0, 0 };

  g_return_val_if_fail (rows->n_passes > 0, FALSE);
  return decode (data, length, NULL, fp_png_rows_size (rows), &cursor);
}

/**
 * fp_zlib_check_inflate:
 * @out: room for @out_size + %FP_ZLIB_CHECK_SLACK bytes
 *
 * Inflates @data into @out and checks that it makes exactly @out_size
 * bytes whose Adler-32 is the stream's. Thread-safe.
 */
gboolean
fp_zlib_check_inflate (const guint8 *data,
                       gsize         length,
                       guint8       *out,
                       gsize         out_size)
{
  const guint8 *trailer;

  g_return_val_if_fail (out != NULL, FALSE);
  if (!decode (data, length, out, out_size, NULL))
    return FALSE;
  trailer = data + length - 4;
  return libdeflate_adler32 (1, out, out_size) ==
         (((guint32) trailer[0] << 24) | ((guint32) trailer[1] << 16) | ((guint32) trailer[2] << 8) | trailer[3]);
}
