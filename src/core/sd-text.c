/* sd-text.c: tidying and folding Japanese text for storage and search.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names arrive typed at a kiosk, read from a card, or from a welfare
 * system's CSV file, so the same name comes in many shapes: ﾔﾏﾀﾞ ﾀﾛｳ,
 * ヤマダ・タロウ, やまだ　たろう.  Two functions make them comparable:
 *
 *   sd_text_tidy() gives the form we store: NFKC, spaces trimmed and
 *   folded.  It keeps everything a person would call a difference (kana
 *   kind, case, the middle dot), and it keeps line breaks so notes survive.
 *
 *   sd_text_fold() gives a search key only: it throws away the differences
 *   a person at the desk does not hear.  It is never shown.
 *
 *   sd_text_reading() gives a second search key, the romaji reading of
 *   kana or of a name in Latin letters, so that a volunteer or an evacuee
 *   who types "yamada" (or "siniti" for しんいち) finds やまだ, and
 *   someone who types kana finds a name registered in romaji.
 *
 * ICU does the linguistics (Debian's libicu, the transliterators that
 * CLDR maintains) rather than tables of our own: "Latin-ASCII" for
 * accents and letters such as ø, ł, đ, ß that have no accent to strip,
 * "Katakana-Latin" for the Hepburn reading of kana.  NFKC stays with
 * GLib's g_utf8_normalize(), as before: the same Unicode normalization,
 * and no conversion to UTF-16 for text that needs nothing more; and text
 * made only of characters NFKC never changes (most names: kanji, kana,
 * ASCII) skips it, as it is the costliest step of a search key.  What
 * ICU does not do is read the romaji people type: its Latin-Katakana
 * takes "si" and "ti" for スィ and ティ (kunrei input is not supported)
 * and completes a half-typed "yam" into ヤム, which breaks search as you
 * type.  So both sides are turned into one romaji spelling instead: kana
 * through Katakana-Latin, then both through a few rules (READING_RULES
 * below) that write kunrei as Hepburn and drop what spellings disagree
 * on: long vowels, the apostrophe of n', Hepburn's m before b, m, p.
 *
 * Invariants:
 *   - Neither function ever returns an empty string: "nothing" is NULL.
 *   - Both accept any bytes; invalid UTF-8 is repaired first, because a
 *     search key must exist even for text sd_text_validate() refused.
 *   - Case folding uses g_unichar_tolower(), not g_utf8_strdown(), so a key
 *     does not depend on the locale the desk runs in (Turkish dotted I).
 */
#include "sd-text.h"
#include "sd-text-private.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "sd-error.h"

/* ---- ICU transliterators ---- */

/* The romaji reading as a search key: one spelling for every way a name
 * is written in kana or typed in romaji.  The input is sd_text_fold()'s
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
static GPrivate transliterators_key = G_PRIVATE_INIT (transliterators_free);

static Transliterators *
get_transliterators (void)
{
  Transliterators *self = g_private_get (&transliterators_key);

  if (self == NULL)
    {
      self = g_new0 (Transliterators, 1);
      for (guint i = 0; i < N_TRANSLITERATORS; i++)
        self->done[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_private_set (&transliterators_key, self);
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

gunichar
sd_text_find_bidi_control (const char *text)
{
  if (text == NULL)
    return 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
          c == 0x200E || c == 0x200F || c == 0x061C)
        return c;
    }
  return 0;
}

gboolean
sd_text_validate (const char  *text,
                  const char  *field_label,
                  guint        max_chars,
                  gboolean     multiline,
                  GError     **error)
{
  gsize n_chars = 0;

  g_return_val_if_fail (field_label != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* An absent field is not bad text; whether it is required is the
   * caller's business. */
  if (text == NULL)
    return TRUE;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s has characters that cannot be read. "
                     "Type it again, or save the file as UTF-8."),
                   field_label);
      return FALSE;
    }

  if (sd_text_find_bidi_control (text) != 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s has an invisible direction control (U+%04X) that makes it show other than it is "
                     "stored. Remove it and try again."),
                   field_label, sd_text_find_bidi_control (text));
      return FALSE;
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), n_chars++)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean line_break = c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;

      if (line_break && !multiline)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("%s must be a single line."), field_label);
          return FALSE;
        }

      if (g_unichar_iscntrl (c) && !line_break && !(c == '\t' && multiline))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("%s has a control character in it. Remove it and try again."),
                       field_label);
          return FALSE;
        }
    }

  if (n_chars > max_chars)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s is too long: at most %u character.",
                                "%s is too long: at most %u characters.",
                                max_chars),
                   field_label, max_chars);
      return FALSE;
    }

  return TRUE;
}

/* Horizontal spaces only: line breaks are content in a note. */
static gboolean
is_space (gunichar c)
{
  if (c < 0x80)
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
  return g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR;
}

/* Characters with no width that NFKC keeps; left in a name they would
 * make two names that look the same compare different. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x200B || c == 0x2060 || c == 0xFEFF;
}

/* Whether NFKC leaves C as it is, whatever stands around it: the
 * characters most names are made of, each with NFKC_Quick_Check=Yes and
 * canonical combining class 0, so a text of them only is in NFKC
 * already (UAX #15, "Detecting Normalization Forms") and
 * g_utf8_normalize(), which costs more than the rest of the keys
 * together, can be skipped.  ASCII, Latin-1's letters (À..ÿ), 々, the
 * kana (not ゛゜ nor the combining marks, which compose), and the CJK
 * ideographs; test-search-keys-same.c checks every one against
 * g_utf8_normalize(). */
static gboolean
is_nfkc_stable (gunichar c)
{
  return c < 0x80
         || (c >= 0x4E00 && c <= 0x9FFF)
         || (c >= 0x30A1 && c <= 0x30FE)
         || (c >= 0x3041 && c <= 0x3096)
         || c == 0x309D || c == 0x309E || c == 0x3005
         || (c >= 0xC0 && c <= 0xFF);
}

/* Whether the valid UTF-8 TEXT is in NFKC by is_nfkc_stable(), but for
 * the ideographic space, which NFKC makes a space and tidy_nfkc() takes
 * for one either way. */
static gboolean
is_known_nfkc (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; )
    {
      gunichar c;

      if (*p < 0x80)
        {
          p++;
          continue;
        }
      c = g_utf8_get_char ((const char *) p);
      if (!is_nfkc_stable (c) && c != 0x3000)
        return FALSE;
      p = (const guchar *) g_utf8_next_char (p);
    }
  return TRUE;
}

/* sd_text_tidy() of TEXT that is valid UTF-8 and in NFKC already. */
static char *
tidy_nfkc (const char *nfkc)
{
  gboolean pending_space = FALSE;
  GString *out;

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc, *next; *p != '\0'; p = next)
    {
      gunichar c = g_utf8_get_char (p);
      gboolean at_line_start = out->len == 0 || out->str[out->len - 1] == '\n';

      next = g_utf8_next_char (p);
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
            next++;
          pending_space = FALSE;
          if (out->len > 0)
            g_string_append_c (out, '\n');
          continue;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      /* Valid UTF-8 is the one encoding of C: its bytes as they are. */
      g_string_append_len (out, p, next - p);
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

char *
sd_text_tidy (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;

  if (text == NULL || *text == '\0')
    return NULL;

  if (g_utf8_validate (text, -1, NULL) && is_known_nfkc (text))
    return tidy_nfkc (text);

  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;
  return tidy_nfkc (nfkc);
}

gboolean
_sd_text_tidy_is_fixed (const char *tidy)
{
  for (const guchar *p = (const guchar *) tidy; *p != '\0'; )
    {
      if (*p < 0x80)
        p++;
      else if (is_nfkc_stable (g_utf8_get_char ((const char *) p)))
        p = (const guchar *) g_utf8_next_char (p);
      else
        return FALSE;
    }
  return TRUE;
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
 * Latin-ASCII changes: the rest skips ICU and its UTF-16 round trip.
 * U+3000..U+9FFF (kana, CJK) has no Latin letter: skipped unasked. */
static gboolean
has_non_ascii_latin (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if ((guchar) *p >= 0x80)
      {
        gunichar c = g_utf8_get_char (p);

        if ((c < 0x3000 || c > 0x9FFF) && g_unichar_get_script (c) == G_UNICODE_SCRIPT_LATIN)
          return TRUE;
      }
  return FALSE;
}

char *
_sd_text_fold_tidy (const char *tidy)
{
  g_autofree char *ascii = NULL;
  GString *out;

  /* Zoé, Nguyễn, Łukasz as people type them without the accent. */
  if (has_non_ascii_latin (tidy))
    {
      ascii = transliterate (TRANSLITERATOR_LATIN_ASCII, tidy);
      if (ascii != NULL)
        tidy = ascii;
    }

  out = g_string_sized_new (strlen (tidy));
  for (const char *p = tidy, *next; *p != '\0'; p = next)
    {
      gunichar c = g_utf8_get_char (p);

      next = g_utf8_next_char (p);
      if (c < 0x80)
        {
          if (c != ' ' && c != '\n')
            g_string_append_c (out, g_ascii_tolower (c));
          continue;
        }

      if (is_middle_dot (c) || is_variation_selector (c))
        continue;

      /* ぁ..ゖ and the iteration marks ゝゞ sit 0x60 below their katakana;
       * the rest of U+3000..U+9FFF (katakana, CJK) has no case. */
      if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E)
        g_string_append_unichar (out, c + 0x60);
      else if (c >= 0x3000 && c <= 0x9FFF)
        g_string_append_len (out, p, next - p);
      else
        g_string_append_unichar (out, g_unichar_tolower (c));
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

char *
sd_text_fold (const char *text)
{
  g_autofree char *tidy = sd_text_tidy (text);

  if (tidy == NULL)
    return NULL;
  return _sd_text_fold_tidy (tidy);
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
_sd_text_reading_of_fold (const char *folded)
{
  g_autofree char *reading = NULL;

  if (folded == NULL || !is_readable (folded))
    return NULL;
  reading = transliterate (TRANSLITERATOR_READING, folded);
  if (reading == NULL || *reading == '\0')
    return NULL;
  return g_steal_pointer (&reading);
}

char *
sd_text_reading (const char *text)
{
  g_autofree char *folded = sd_text_fold (text);

  return _sd_text_reading_of_fold (folded);
}

char *
sd_text_phone_digits (const char *text)
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
