/* fp-iso-codes-scan.c — iso-codes' list of countries read in one pass, without a JSON tree
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fp-iso-codes-scan"

#include "config.h"

#include <string.h>

#include "fp-iso-codes-scan.h"

/*
 * Every run of the command line reads iso_3166-1.json (43 KB) before its
 * first request, and json-glib's parser, which makes a node for every
 * value, takes some 14 million instructions (3 to 4 ms) to do it: a
 * tenth of a whole batch against a local server. The file has one simple
 * form, {"3166-1": [{"key": "string", …}, …]}, which this reads in a
 * single pass at a small fraction of that. Anything else it refuses
 * (returns FALSE), and the caller reads the file with json-glib as before:
 * a file of another form is never read wrong, only more slowly.
 */

typedef struct {
  const char *p;
  const char *end;
} Scanner;

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static gboolean
expect (Scanner *s,
        char     c)
{
  skip_space (s);
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
peek (Scanner *s,
      char     c)
{
  skip_space (s);
  return s->p < s->end && *s->p == c;
}

static int
hex_digit (char c)
{
  return g_ascii_xdigit_value (c);
}

/* A JSON string into @out (cleared first), escapes undone; valid UTF-8. */
static gboolean
read_string (Scanner *s,
             GString *out)
{
  g_string_truncate (out, 0);
  if (!expect (s, '"'))
    return FALSE;
  while (s->p < s->end)
    {
      const char *run = s->p;

      while (s->p < s->end && *s->p != '"' && *s->p != '\\' && (guchar) *s->p >= 0x20)
        s->p++;
      g_string_append_len (out, run, s->p - run);
      if (s->p >= s->end || (guchar) *s->p < 0x20)
        return FALSE;
      if (*s->p == '"')
        {
          s->p++;
          return g_utf8_validate (out->str, out->len, NULL);
        }

      /* A backslash. */
      if (s->end - s->p < 2)
        return FALSE;
      switch (s->p[1])
        {
        case '"': case '\\': case '/':
          g_string_append_c (out, s->p[1]);
          break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = 0;

            if (s->end - s->p < 6)
              return FALSE;
            for (int i = 2; i < 6; i++)
              {
                int d = hex_digit (s->p[i]);
                if (d < 0)
                  return FALSE;
                c = c * 16 + (gunichar) d;
              }
            /* Surrogates, paired or not, are left to json-glib. */
            if (c == 0 || (c >= 0xD800 && c <= 0xDFFF))
              return FALSE;
            g_string_append_unichar (out, c);
            s->p += 4;
          }
          break;
        default:
          return FALSE;
        }
      s->p += 2;
    }
  return FALSE;
}

void
fp_iso_codes_entry_free (FpIsoCodesEntry *entry)
{
  g_free (entry->alpha_2);
  g_free (entry->name);
  g_free (entry->common_name);
  g_free (entry);
}

/* One entry: an object of string members. */
static gboolean
read_entry (Scanner   *s,
            GString   *key,
            GString   *value,
            GPtrArray *entries)
{
  g_autofree char *alpha_2 = NULL;
  g_autofree char *name = NULL;
  g_autofree char *common_name = NULL;
  FpIsoCodesEntry *entry;

  if (!expect (s, '{'))
    return FALSE;
  if (!peek (s, '}'))
    for (;;)
      {
        if (!read_string (s, key) || !expect (s, ':') || !read_string (s, value))
          return FALSE;
        if (g_str_equal (key->str, "alpha_2"))
          g_free (alpha_2), alpha_2 = g_strdup (value->str);
        else if (g_str_equal (key->str, "name"))
          g_free (name), name = g_strdup (value->str);
        else if (g_str_equal (key->str, "common_name"))
          g_free (common_name), common_name = g_strdup (value->str);
        if (!peek (s, ','))
          break;
        s->p++;
      }
  if (!expect (s, '}'))
    return FALSE;
  entry = g_new0 (FpIsoCodesEntry, 1);
  entry->alpha_2 = g_steal_pointer (&alpha_2);
  entry->name = g_steal_pointer (&name);
  entry->common_name = g_steal_pointer (&common_name);
  g_ptr_array_add (entries, entry);
  return TRUE;
}

/**
 * fp_iso_codes_scan:
 * @text: the contents of iso_3166-1.json
 *
 * Returns: (transfer full) (nullable) (element-type FpIsoCodesEntry): the
 *   entries in the file's order, or %NULL when @text does not have the
 *   form described above: read it another way then
 */
GPtrArray *
fp_iso_codes_scan (const char *text,
                   gsize       length)
{
  Scanner s = { text, text + length };
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fp_iso_codes_entry_free);

  g_return_val_if_fail (text != NULL, NULL);

  if (!expect (&s, '{') || !read_string (&s, key) || !g_str_equal (key->str, "3166-1") ||
      !expect (&s, ':') || !expect (&s, '['))
    return NULL;
  if (!peek (&s, ']'))
    for (;;)
      {
        if (!read_entry (&s, key, value, entries))
          return NULL;
        if (!peek (&s, ','))
          break;
        s.p++;
      }
  if (!expect (&s, ']') || !expect (&s, '}'))
    return NULL;
  skip_space (&s);
  return s.p == s.end ? g_steal_pointer (&entries) : NULL;
}
