/* sd-fields.c: reading an op-log change's packed fields without SQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A change's fields are a JSON object of field numbers to values, as
 * sd_pack () writes them: {"3":"山田","5":12}.  The fold of an import
 * reads one for every change it brings, and through json_each () that
 * costs more than the rest of the fold together.  This reader gives what
 * json_each () gives for the same text, member by member in the order
 * written (duplicates included): the key, and the value as the same
 * type and bytes:
 *
 *  - a string, its escapes decoded (\uXXXX to UTF-8, a surrogate pair to
 *    one character);
 *  - an integer that fits in 64 bits, as an integer;
 *  - true and false as the integers 1 and 0, null as NULL;
 *  - an array or object as its JSON text without the spaces between
 *    tokens, strings and numbers as written.
 *
 * Whatever it does not fully understand it refuses, and the caller asks
 * json_each (): malformed text, a key that is not plain digits, a real
 * (SQLite's own conversion to a double is not one C offers), an integer
 * too large (SQLite makes it a real), \u0000 (SQLite cuts the string
 * there), a lone surrogate, nesting deeper than MAX_DEPTH.  So the two
 * can never give different values: a refusal only costs time, and
 * ShelterDesk's own writing is never refused.  tests/unit/test-fields.c
 * and tests/fuzz/fuzz-fields.c hold it to that against SQLite's json_each.
 */
#include "sd-fields.h"

#include <sqlite3.h>
#include <string.h>

#define MAX_DEPTH 32
/* More digits than a key of ShelterDesk's ever has: left to json_each. */
#define MAX_KEY_DIGITS 9

typedef struct {
  const char *p;
  const char *end;
  GString    *scratch;  /* decoded strings and copied arrays, objects */
} Reader;

/* JSON's white space, as SQLite's parser takes it. */
static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end && is_space (*r->p))
    r->p++;
}

static inline gboolean
at (Reader *r,
    char    c)
{
  return r->p < r->end && *r->p == c;
}

/* The four hex digits at P, or -1. */
static int
hex4 (const char *p,
      const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      v = v * 16 + digit;
    }
  return v;
}

/* Passes over a string at its opening quote; *ESCAPED says whether it
 * holds a backslash.  Control characters (NUL too) are not JSON. */
static gboolean
scan_string (Reader   *r,
             gboolean *escaped)
{
  *escaped = FALSE;
  for (r->p++; r->p < r->end; r->p++)
    {
      guchar c = (guchar) *r->p;

      if (c < 0x20)
        return FALSE;
      if (c == '"')
        {
          r->p++;
          return TRUE;
        }
      if (c == '\\')
        {
          *escaped = TRUE;
          if (++r->p == r->end || strchr ("\"\\/bfnrtu", *r->p) == NULL || *r->p == '\0')
            return FALSE;
          if (*r->p == 'u')
            {
              if (hex4 (r->p + 1, r->end) < 0)
                return FALSE;
              r->p += 4;
            }
        }
    }
  return FALSE;
}

/* The content of a string (between its quotes), its escapes decoded,
 * to OUT: FALSE for what SQLite decodes its own way (\u0000 ends the
 * string there, a lone surrogate becomes three bytes). */
static gboolean
decode_string (const char *p,
               const char *end,
               GString    *out)
{
  while (p < end)
    {
      const char *run = p;
      int v, low;

      while (p < end && *p != '\\')
        p++;
      g_string_append_len (out, run, p - run);
      if (p == end)
        break;
      p++;
      switch (*p++)
        {
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          v = hex4 (p, end);
          p += 4;
          if (v <= 0 || (v & 0xfc00) == 0xdc00)
            return FALSE;
          if ((v & 0xfc00) == 0xd800)
            {
              if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || ((low = hex4 (p + 2, end)) & 0xfc00) != 0xdc00)
                return FALSE;
              v = ((v & 0x3ff) << 10) + (low & 0x3ff) + 0x10000;
              p += 6;
            }
          g_string_append_unichar (out, (gunichar) v);
          break;
        default:  /* " \ / */
          g_string_append_c (out, p[-1]);
          break;
        }
    }
  return TRUE;
}

/* Passes over a number as JSON writes it: -?(0|[1-9][0-9]*)(.[0-9]+)?
 * ([eE][+-]?[0-9]+)?; *INTEGRAL says whether it had neither fraction
 * nor exponent. */
static gboolean
scan_number (Reader   *r,
             gboolean *integral)
{
  const char *p = r->p, *end = r->end;

  *integral = TRUE;
  if (p < end && *p == '-')
    p++;
  if (p == end || !g_ascii_isdigit (*p))
    return FALSE;
  if (*p == '0' && p + 1 < end && g_ascii_isdigit (p[1]))
    return FALSE;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  if (p < end && *p == '.')
    {
      *integral = FALSE;
      if (++p == end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      *integral = FALSE;
      if (++p < end && (*p == '+' || *p == '-'))
        p++;
      if (p == end || !g_ascii_isdigit (*p))
        return FALSE;
      while (p < end && g_ascii_isdigit (*p))
        p++;
    }
  r->p = p;
  return TRUE;
}

/* An integer's value, as SQLite's json makes it: one that does not fit
 * in 64 bits it makes a real, so it is refused here. */
static gboolean
integer_value (const char *p,
               const char *end,
               gint64     *value)
{
  gboolean negative = *p == '-';
  guint64 magnitude = 0;

  for (p += negative; p < end; p++)
    {
      guint digit = (guint) (*p - '0');

      if (magnitude > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      magnitude = magnitude * 10 + digit;
    }
  if (magnitude > (guint64) G_MAXINT64 + negative)
    return FALSE;
  if (negative)
    *value = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
  else
    *value = (gint64) magnitude;
  return TRUE;
}

static gboolean
scan_literal (Reader     *r,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (r->end - r->p) < n || memcmp (r->p, word, n) != 0)
    return FALSE;
  r->p += n;
  return TRUE;
}

static gboolean copy_value (Reader *r,
                            int     depth);

/* An array or object, at its bracket, to the scratch as json_each ()
 * gives it: every token as written, no space between. */
static gboolean
copy_nested (Reader *r,
             int     depth)
{
  char close = *r->p == '[' ? ']' : '}';

  if (depth > MAX_DEPTH)
    return FALSE;
  g_string_append_c (r->scratch, *r->p++);
  skip_space (r);
  if (at (r, close))
    {
      g_string_append_c (r->scratch, *r->p++);
      return TRUE;
    }
  for (;;)
    {
      if (close == '}')
        {
          if (!at (r, '"') || !copy_value (r, depth))
            return FALSE;
          skip_space (r);
          if (!at (r, ':'))
            return FALSE;
          g_string_append_c (r->scratch, *r->p++);
          skip_space (r);
        }
      if (!copy_value (r, depth))
        return FALSE;
      skip_space (r);
      if (at (r, ','))
        {
          g_string_append_c (r->scratch, *r->p++);
          skip_space (r);
          continue;
        }
      if (!at (r, close))
        return FALSE;
      g_string_append_c (r->scratch, *r->p++);
      return TRUE;
    }
}

/* A value inside an array or object, as written, to the scratch. */
static gboolean
copy_value (Reader *r,
            int     depth)
{
  const char *start = r->p;
  gboolean ok, flag;

  /* At the end, as at any other byte no value starts with, the number
   * fails. */
  switch (r->p < r->end ? *r->p : '\0')
    {
    case '[':
    case '{':
      return copy_nested (r, depth + 1);
    case '"':
      ok = scan_string (r, &flag);
      break;
    case 't':
    case 'f':
    case 'n':
      ok = scan_literal (r, *r->p == 't' ? "true" : *r->p == 'f' ? "false" : "null");
      break;
    default:
      ok = scan_number (r, &flag);
      break;
    }
  if (ok)
    g_string_append_len (r->scratch, start, r->p - start);
  return ok;
}

/* A member's value, as json_each () gives it. */
static gboolean
read_value (Reader  *r,
            SdField *field)
{
  const char *start = r->p;
  gsize offset = r->scratch->len;
  gboolean escaped, integral, ok;

  switch (r->p < r->end ? *r->p : '\0')
    {
    case '"':
      if (!scan_string (r, &escaped))
        return FALSE;
      if (!escaped)
        {
          field->type = SQLITE_TEXT;
          field->text = start + 1;
          field->n = (int) (r->p - start - 2);
          return TRUE;
        }
      ok = decode_string (start + 1, r->p - 1, r->scratch);
      break;
    case '[':
    case '{':
      ok = copy_nested (r, 1);
      break;
    case 't':
    case 'f':
      field->type = SQLITE_INTEGER;
      field->integer = *r->p == 't';
      return scan_literal (r, *r->p == 't' ? "true" : "false");
    case 'n':
      field->type = SQLITE_NULL;
      return scan_literal (r, "null");
    default:
      field->type = SQLITE_INTEGER;
      return scan_number (r, &integral) && integral && integer_value (start, r->p, &field->integer);
    }
  /* In the scratch, which may move: its offset until the end. */
  field->type = SQLITE_TEXT;
  field->text = NULL;
  field->integer = (gint64) offset;
  field->n = (int) (r->scratch->len - offset);
  return ok;
}

/* The key: plain digits only (what sd_pack () writes), read as the
 * replay reads json_each ()'s key. */
static gboolean
read_key (Reader  *r,
          SdField *field)
{
  int digits = 0;

  if (!at (r, '"'))
    return FALSE;
  field->number = 0;
  for (r->p++; r->p < r->end && g_ascii_isdigit (*r->p); r->p++)
    {
      if (++digits > MAX_KEY_DIGITS)
        return FALSE;
      field->number = field->number * 10 + (guint) (*r->p - '0');
    }
  if (digits == 0 || !at (r, '"'))
    return FALSE;
  r->p++;
  return TRUE;
}

/* Reads the N bytes of JSON into FIELDS (SdField), what it decodes into
 * SCRATCH (both emptied first; the fields' texts point into JSON or
 * SCRATCH).  FALSE when json_each () must read it instead. */
gboolean
_sd_fields_read (const char *json,
                 gsize       n,
                 GArray     *fields,
                 GString    *scratch)
{
  Reader r = { json, json + n, scratch };

  g_array_set_size (fields, 0);
  g_string_truncate (scratch, 0);
  skip_space (&r);
  if (!at (&r, '{'))
    return FALSE;
  r.p++;
  skip_space (&r);
  if (!at (&r, '}'))
    for (;;)
      {
        SdField field = { 0, SQLITE_NULL, 0, NULL, 0 };

        if (!read_key (&r, &field))
          return FALSE;
        skip_space (&r);
        if (!at (&r, ':'))
          return FALSE;
        r.p++;
        skip_space (&r);
        if (!read_value (&r, &field))
          return FALSE;
        g_array_append_val (fields, field);
        skip_space (&r);
        if (!at (&r, ','))
          break;
        r.p++;
        skip_space (&r);
      }
  if (!at (&r, '}'))
    return FALSE;
  r.p++;
  skip_space (&r);
  if (r.p != r.end)
    return FALSE;

  for (guint i = 0; i < fields->len; i++)
    {
      SdField *field = &g_array_index (fields, SdField, i);

      if (field->type == SQLITE_TEXT && field->text == NULL)
        {
          field->text = scratch->str + field->integer;
          field->integer = 0;
        }
    }
  return TRUE;
}
