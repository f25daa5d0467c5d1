/* sd-search-keys-reference.c: the search keys as commit 2603314 made them, frozen, for tests only.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * THIS IS REFERENCE CODE, NOT LIVE CODE.  person_keys rows are stored, so
 * the keys that _sd_person_search_key_list() makes must stay byte for
 * byte what they were when they were stored, however the live code is
 * made faster.  This file is a copy of ref_text_tidy(), ref_text_fold(),
 * ref_text_reading(), ref_text_phone_digits() (src/core/sd-text.c) and of
 * _sd_person_search_key_list() (src/core/sd-person-search.c) as they
 * stood at commit 2603314, before the keys were made faster, renamed
 * ref_*.  test-search-keys-same.c compares the live functions with these
 * over a large corpus, and bench-search-keys.c uses them as its floor.
 *
 * Never "fix" or speed up this file: it is the definition of the keys
 * already stored.  It changes only together with a migration that
 * rebuilds person_keys (sd-migrations.c), and then to the new keys.
 */
#include "sd-search-keys-reference.h"

#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

/* ---- ICU transliterators ---- */

/* The romaji reading as a search key: one spelling for every way a name
 * is written in kana or typed in romaji.  The input is ref_text_fold()'s
 * (katakana, lower-case ASCII latin, no spaces).  Each "::" line is a
 * pass over the whole text, the rules between them one pass, first match
 * wins, so the Hepburn spellings "sh", "ch", "ts" are consumed before the
 * kunrei rules could see their second letter ("shu" is not s + "hu").
 * A "|" puts the cursor back so a long vowel shortened once can be again. */
static const char READING_RULES[] =
  ":: Katakana-Latin ;"        /* ヤマダ → yamada, ジュンヤ → jun'ya, タロウ → tarou, サトー → satō */
  /* Katakana-Latin's macrons for ー; typed latin is already ASCII (fold).
   * Not "Latin-ASCII" here: it is a pass with hundreds of rules that made
   * every reading five times slower (measured: 14 µs against 2.5 µs). */
  "ā > a ; ī > i ; ū > u ; ē > e ; ō > o ;"
  /* Katakana-Latin writes small kana it has no spelling for with "~". */
  "'~tsu' > ;"                 /* a small ッ typed last: やっ is on its way to やった */
  "vu '~' > v ;"               /* ヴァ → va */
  "u '~' > w ;"                /* ウィ → wi */
  "sh > sh ; ch > ch ; ts > ts ;"
  "cch > tch ;"                /* macchi, matchi → Hepburn's tch */
  /* Kunrei and Nihon-shiki to Hepburn. */
  "si > shi ; zi > ji ; ti > chi ; tu > tsu ; hu > fu ; di > ji ; du > zu ;"
  "sy > sh ; ty > ch ; cy > ch ; zy > j ; jy > j ; dy > j ;"
  "dj > j ; dz > z ;"
  /* Long vowels, which romaji writes ou, oo, uu, ō, oh or not at all. */
  "oo > | o ; ou > | o ; uu > | u ;"
  "oh } [bcdfghjkmnprstvwz] > o ;"
  "m } [bmp] > n ;"            /* Hepburn's sampei, homma */
  ":: [^a-z] Remove ;";        /* n' and everything else that is not a letter */

typedef enum {
  TRANSLITERATOR_LATIN_ASCII,
  TRANSLITERATOR_READING,
  N_TRANSLITERATORS
} TransliteratorKind;

/* Names repeat: a city's hundred commonest family names are a third of
 * its people, and so do the given names of a generation.  So each
 * thread remembers what it transliterated lately (cleared when full, so
 * memory stays bounded), which makes the search keys of a registration
 * and the deep check's recomputation of every person's keys (sd-replay.c)
 * mostly lookups. */
#define TRANSLITERATED_MAX 8192

typedef struct {
  UTransliterator *t[N_TRANSLITERATORS];
  gboolean         failed[N_TRANSLITERATORS];  /* tried once: not again for every key */
  GHashTable      *done[N_TRANSLITERATORS];    /* text → its transliteration */
} Transliterators;

static void
transliterators_free (gpointer data)
{
  Transliterators *self = data;

  for (guint i = 0; i < N_TRANSLITERATORS; i++)
    {
      if (self->t[i] != NULL)
        utrans_close (self->t[i]);
      g_clear_pointer (&self->done[i], g_hash_table_unref);
    }
  g_free (self);
}

/* Opening a transliterator compiles its rules: 10 to 15 ms each, against
 * a few microseconds to use one, so each thread opens them once and keeps
 * them.  One per thread, because they are not thread-safe and search
 * keys are computed in whichever thread runs a store (a worker's own
 * SdStore calls sd_search_keys() from its triggers). */
static GPrivate ref_transliterators_key = G_PRIVATE_INIT (transliterators_free);

static Transliterators *
get_transliterators (void)
{
  Transliterators *self = g_private_get (&ref_transliterators_key);

  if (self == NULL)
    {
      self = g_new0 (Transliterators, 1);
      for (guint i = 0; i < N_TRANSLITERATORS; i++)
        self->done[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_private_set (&ref_transliterators_key, self);
    }
  return self;
}

static UTransliterator *
get_transliterator (TransliteratorKind kind)
{
  Transliterators *self = get_transliterators ();

  if (self->t[kind] == NULL && !self->failed[kind])
    {
      static gint warned;
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      g_autofree UChar *rules = NULL;

      if (kind == TRANSLITERATOR_READING)
        {
          rules = g_new (UChar, sizeof READING_RULES);
          u_strFromUTF8 (rules, sizeof READING_RULES, NULL, READING_RULES, -1, &status);
          self->t[kind] = utrans_openU (u"ShelterDesk-Reading", -1, UTRANS_FORWARD,
                                        rules, -1, &parse_error, &status);
        }
      else
        self->t[kind] = utrans_openU (u"Latin-ASCII", -1, UTRANS_FORWARD, NULL, 0,
                                      &parse_error, &status);

      if (U_FAILURE (status))
        {
          /* Without ICU's data, search still works, only less forgiving:
           * say so once, not for every key. */
          if (!g_atomic_int_exchange (&warned, TRUE))
            g_warning ("ICU transliterator %d unavailable (%s): search will not fold "
                       "accents or read romaji", kind, u_errorName (status));
          self->t[kind] = NULL;
          self->failed[kind] = TRUE;
        }
    }
  return self->t[kind];
}

static char *transliterate_now (TransliteratorKind kind, const char *text);

/* TEXT through one of the transliterators; NULL if ICU could not. */
static char *
transliterate (TransliteratorKind  kind,
               const char         *text)
{
  GHashTable *done = get_transliterators ()->done[kind];
  const char *known = g_hash_table_lookup (done, text);
  char *out;

  if (known != NULL)
    return g_strdup (known);
  out = transliterate_now (kind, text);
  if (out != NULL)
    {
      if (g_hash_table_size (done) >= TRANSLITERATED_MAX)
        g_hash_table_remove_all (done);
      g_hash_table_insert (done, g_strdup (text), g_strdup (out));
    }
  return out;
}

static char *
transliterate_now (TransliteratorKind  kind,
                   const char         *text)
{
  UTransliterator *t = get_transliterator (kind);
  UErrorCode status = U_ZERO_ERROR;
  int32_t n_in = 0;
  int32_t capacity;

  if (t == NULL)
    return NULL;

  u_strFromUTF8 (NULL, 0, &n_in, text, -1, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
    return NULL;

  /* A kana becomes at most four letters ("~tsu"); grow if ever not. */
  for (capacity = n_in * 4 + 16; capacity < (1 << 20); capacity *= 2)
    {
      g_autofree UChar *buf = g_new (UChar, capacity);
      int32_t len = 0, limit;
      int32_t n_out = 0;
      char *out;

      status = U_ZERO_ERROR;
      u_strFromUTF8 (buf, capacity, &len, text, -1, &status);
      if (U_FAILURE (status))
        return NULL;
      limit = len;
      utrans_transUChars (t, buf, &len, capacity, 0, &limit, &status);
      if (status == U_BUFFER_OVERFLOW_ERROR)
        continue;
      if (U_FAILURE (status))
        return NULL;

      u_strToUTF8 (NULL, 0, &n_out, buf, len, &status);
      if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE (status))
        return NULL;
      status = U_ZERO_ERROR;
      out = g_malloc (n_out + 1);
      u_strToUTF8 (out, n_out + 1, NULL, buf, len, &status);
      if (U_FAILURE (status))
        {
          g_free (out);
          return NULL;
        }
      return out;
    }
  return NULL;
}

/* Horizontal spaces only: line breaks are content in a note. */
static gboolean
is_space (gunichar c)
{
  return c == '\t' || c == '\v' || c == '\f'
         || g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Characters with no width that NFKC keeps; left in a name they would
 * make two names that look the same compare different. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

char *
ref_text_tidy (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  gboolean pending_space = FALSE;
  GString *out;

  if (text == NULL || *text == '\0')
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean at_line_start = out->len == 0 || out->str[out->len - 1] == '\n';

      if (is_invisible (c))
        continue;

      if (is_space (c))
        {
          pending_space = !at_line_start;
          continue;
        }

      /* CRLF and CR become LF; spaces before a break are dropped. */
      if (c == '\r' || c == '\n')
        {
          if (c == '\r' && p[1] == '\n')
            p++;
          pending_space = FALSE;
          if (out->len > 0)
            g_string_append_c (out, '\n');
          continue;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_unichar (out, c);
    }

  while (out->len > 0 && out->str[out->len - 1] == '\n')
    g_string_truncate (out, out->len - 1);

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
is_middle_dot (gunichar c)
{
  return c == 0x30FB     /* ・ katakana middle dot */
         || c == 0xFF65  /* ･ half-width (NFKC already maps it, kept for clarity) */
         || c == 0x00B7; /* · latin middle dot, from foreign-name input */
}

/* Variation selectors choose a glyph (葛󠄀 is U+845B U+E0100, as a family
 * register prints it): kept in what is stored, never heard, and no one
 * types them at a desk.  NFKC keeps them, so they are dropped here. */
static gboolean
is_variation_selector (gunichar c)
{
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

/* Whether TEXT has a Latin letter beyond ASCII (é, ø, ß), the only text
 * Latin-ASCII changes: the rest skips ICU and its UTF-16 round trip. */
static gboolean
has_non_ascii_latin (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if ((guchar) *p >= 0x80 && g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_LATIN)
      return TRUE;
  return FALSE;
}

char *
ref_text_fold (const char *text)
{
  g_autofree char *tidy = ref_text_tidy (text);
  GString *out;

  if (tidy == NULL)
    return NULL;

  /* Zoé, Nguyễn, Łukasz as people type them without the accent. */
  if (has_non_ascii_latin (tidy))
    {
      char *ascii = transliterate (TRANSLITERATOR_LATIN_ASCII, tidy);

      if (ascii != NULL)
        {
          g_free (tidy);
          tidy = ascii;
        }
    }

  out = g_string_sized_new (strlen (tidy));
  for (const char *p = tidy; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == ' ' || c == '\n' || is_middle_dot (c) || is_variation_selector (c))
        continue;

      /* ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana. */
      if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E)
        c += 0x60;
      else
        c = g_unichar_tolower (c);

      g_string_append_unichar (out, c);
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/* Text that has a reading: katakana (all kana, once folded) and the
 * long-vowel mark, or ASCII other than digits (latin letters, the
 * apostrophe of n', a hyphen).  Kanji cannot be read without a
 * dictionary, and a reading of only the kana around them would find
 * the wrong people. */
static gboolean
is_readable (const char *folded)
{
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 ? g_ascii_isdigit (c)
                   : c != 0x30FC && g_unichar_get_script (c) != G_UNICODE_SCRIPT_KATAKANA)
        return FALSE;
    }
  return TRUE;
}

char *
ref_text_reading (const char *text)
{
  g_autofree char *folded = ref_text_fold (text);
  g_autofree char *reading = NULL;

  if (folded == NULL || !is_readable (folded))
    return NULL;
  reading = transliterate (TRANSLITERATOR_READING, folded);
  if (reading == NULL || *reading == '\0')
    return NULL;
  return g_steal_pointer (&reading);
}

char *
ref_text_phone_digits (const char *text)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* ASCII and full-width only: other scripts' digits in a Japanese
       * phone number are a typing accident, not a number. */
      if (c >= '0' && c <= '9')
        g_string_append_c (out, (char) c);
      else if (c >= 0xFF10 && c <= 0xFF19)
        g_string_append_c (out, (char) ('0' + (c - 0xFF10)));
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/* ---- the key list (sd-person-search.c) ---- */

/* Each key once: a romaji name and its kana have the same reading. */
static void
add_key (GPtrArray   *keys,
         GHashTable  *added,
         char         kind,
         const char  *text)
{
  char *key = g_strdup_printf ("%c%s", kind, text);

  if (g_hash_table_add (added, key))
    g_ptr_array_add (keys, g_strdup (key));
}

/* The keys of one tail of a name or kana: folded, and its reading. */
static void
add_text_keys (GPtrArray   *keys,
               GHashTable  *added,
               char         kind,
               const char  *text)
{
  g_autofree char *folded = ref_text_fold (text);
  g_autofree char *reading = NULL;

  if (folded == NULL)
    return;
  add_key (keys, added, kind, folded);
  reading = ref_text_reading (text);
  if (reading != NULL)
    add_key (keys, added, 'r', reading);
}

static void
add_name_keys (GPtrArray   *keys,
               GHashTable  *added,
               char         kind,
               const char  *text)
{
  g_autofree char *tidy = ref_text_tidy (text);
  g_auto(GStrv) parts = NULL;

  if (tidy == NULL)
    return;

  /* Every tail of the name is searched too: "太郎" finds 山田 太郎,
   * "van an" finds NGUYEN VAN AN, "taro" finds やまだ たろう. */
  parts = g_strsplit (tidy, " ", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *tail = g_strjoinv (" ", &parts[i]);

      add_text_keys (keys, added, kind, tail);
    }
}

/* The duplicate check's key: KIND ('d' for the name, 'e' for the kana),
 * the ISO birth date, and the whole TEXT folded; NULL without either. */
static char *
duplicate_key (char        kind,
               const char *birth_date,
               const char *text)
{
  g_autofree char *tidy = ref_text_tidy (text);
  g_autofree char *folded = tidy != NULL ? ref_text_fold (tidy) : NULL;

  if (folded == NULL || birth_date == NULL || *birth_date == '\0')
    return NULL;
  return g_strdup_printf ("%c%s%s", kind, birth_date, folded);
}

GPtrArray *
ref_search_key_list (const char *name,
                            const char *kana,
                            const char *phone,
                            const char *birth_date)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) added = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *digits = ref_text_phone_digits (phone);
  char *key;

  add_name_keys (keys, added, 'n', name);
  add_name_keys (keys, added, 'k', kana);
  if (digits != NULL)
    {
      g_ptr_array_add (keys, g_strconcat ("p", digits, NULL));
      if (strlen (digits) >= 4)
        g_ptr_array_add (keys, g_strconcat ("q", digits + strlen (digits) - 4, NULL));
    }
  if (birth_date != NULL && *birth_date != '\0')
    g_ptr_array_add (keys, g_strconcat ("b", birth_date, NULL));
  if ((key = duplicate_key ('d', birth_date, name)) != NULL)
    g_ptr_array_add (keys, key);
  if ((key = duplicate_key ('e', birth_date, kana)) != NULL)
    g_ptr_array_add (keys, key);
  return g_steal_pointer (&keys);
}
