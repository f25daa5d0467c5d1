/* test-search-keys-same.c: the live search keys are byte for byte the keys already stored.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * person_keys is stored, so a faster _sd_person_search_key_list() must
 * give exactly the keys the old one gave, or every database needs a
 * migration that rebuilds them.  sd-search-keys-reference.c keeps the old
 * code, frozen; this test runs both over the seeds' names (the Shift_JIS
 * support list too, converted and as raw bytes), over combinations of the
 * shapes names take at a desk (kanji, kana, half-width kana, full-width
 * and accented latin, middle dots, variation selectors, every kind of
 * space and line break, invalid UTF-8, romaji, phone numbers, dates valid
 * and not), and over a seeded random fuzz of strings drawn from those
 * alphabets.  The text functions the keys are made of (tidy, fold,
 * reading, phone digits) are compared too, since other code stores or
 * compares what they give.
 */
#include <string.h>

#include "sd-search-keys-reference.h"
#include "sd-store-private.h"
#include "sd-text-private.h"
#include "sd-text.h"

/* How many random persons the fuzz makes; SD_KEYS_FUZZ overrides. */
#define FUZZ_PERSONS 200000

static guint n_compared;

static const char *
show (const char *text)
{
  static char buf[4][512];
  static guint next;
  char *out = buf[next++ % 4];
  guint n = 0;

  if (text == NULL)
    return "(NULL)";
  for (const guchar *p = (const guchar *) text; *p && n < sizeof buf[0] - 5; p++)
    n += g_snprintf (out + n, sizeof buf[0] - n, *p >= 0x20 && *p < 0x7f ? "%c" : "\\x%02x", *p);
  out[n] = '\0';
  return out;
}

static void
assert_same_text (const char *what,
                  const char *input,
                  char       *live,
                  char       *reference)
{
  if (g_strcmp0 (live, reference) != 0)
    g_error ("%s(\"%s\"): live \"%s\", reference \"%s\"", what, show (input), show (live), show (reference));
  g_free (live);
  g_free (reference);
}

/* What the keys rest on: tidy text that _sd_text_tidy_is_fixed() passes
 * is its own tidy, and so is each of its tails after a space. */
static void
check_fixed (const char *text)
{
  g_autofree char *tidy = sd_text_tidy (text);

  if (tidy == NULL || !_sd_text_tidy_is_fixed (tidy))
    return;
  for (const char *tail = tidy, *space; tail != NULL; tail = space != NULL ? space + 1 : NULL)
    {
      g_autofree char *again = sd_text_tidy (tail);

      space = strchr (tail, ' ');
      if (g_strcmp0 (again, tail) != 0)
        g_error ("tidy of \"%s\" is fixed, but its tail \"%s\" tidies to \"%s\"",
                 show (tidy), show (tail), show (again));
    }
}

static void
compare_text (const char *text)
{
  check_fixed (text);
  assert_same_text ("tidy", text, sd_text_tidy (text), ref_text_tidy (text));
  assert_same_text ("fold", text, sd_text_fold (text), ref_text_fold (text));
  assert_same_text ("reading", text, sd_text_reading (text), ref_text_reading (text));
  assert_same_text ("phone digits", text, sd_text_phone_digits (text), ref_text_phone_digits (text));
}

static void
compare_keys (const char *name,
              const char *kana,
              const char *phone,
              const char *birth_date)
{
  g_autoptr(GPtrArray) live = _sd_person_search_key_list (name, kana, phone, birth_date);
  g_autoptr(GPtrArray) reference = ref_search_key_list (name, kana, phone, birth_date);
  gboolean same = live->len == reference->len;

  for (guint i = 0; same && i < live->len; i++)
    same = strcmp (g_ptr_array_index (live, i), g_ptr_array_index (reference, i)) == 0;
  if (!same)
    {
      g_autoptr(GString) msg = g_string_new (NULL);

      g_string_append_printf (msg, "keys of (\"%s\", \"%s\", \"%s\", \"%s\") differ:\n",
                              show (name), show (kana), show (phone), show (birth_date));
      for (guint i = 0; i < MAX (live->len, reference->len); i++)
        g_string_append_printf (msg, "  live %-30s reference %s\n",
                                i < live->len ? show (g_ptr_array_index (live, i)) : "-",
                                i < reference->len ? show (g_ptr_array_index (reference, i)) : "-");
      g_error ("%s", msg->str);
    }
  n_compared++;
}

/* Every field on its own, then as a person. */
static void
compare_all (const char *name,
             const char *kana,
             const char *phone,
             const char *birth_date)
{
  compare_text (name);
  compare_text (kana);
  compare_text (phone);
  compare_keys (name, kana, phone, birth_date);
}

/* ---- the seeds ---- */

static char *
read_seed (const char *file)
{
  g_autofree char *path = g_build_filename (SD_SOURCE_DIR, "seeds", file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* A CSV file's rows: each row as a person (name, kana, phone, date from
 * the columns that hold them), and every field as text.  The seeds have
 * no quoted commas, so a plain split is enough. */
static guint
compare_csv (const char *contents)
{
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);
  guint rows = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], ",", -1);
      guint n = g_strv_length (f);

      for (guint j = 0; j < n; j++)
        compare_keys (f[j], j + 1 < n ? f[j + 1] : NULL, f[j], f[j]);
      if (n >= 7)
        {
          compare_all (f[1], f[2], f[6], f[4]);
          /* The same person with name and kana swapped, and the fields
           * glued together as an import with a wrong separator would. */
          compare_keys (f[2], f[1], f[6], f[4]);
          compare_keys (lines[i], f[1], lines[i], f[4]);
        }
      rows++;
    }
  return rows;
}

static void
test_seeds (void)
{
  const char *csv[] = { "support-list.csv", "staff.csv", "shelters.csv" };
  g_autofree char *sjis = read_seed ("support-list-welfare.sjis.csv");
  g_autofree char *converted = NULL;
  g_autofree char *json = read_seed ("evacuees.json");
  g_autoptr(GRegex) string_re = g_regex_new ("\"((?:[^\"\\\\]|\\\\.)*)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint rows = 0;

  for (guint i = 0; i < G_N_ELEMENTS (csv); i++)
    {
      g_autofree char *contents = read_seed (csv[i]);

      rows += compare_csv (contents);
    }

  /* The welfare system's Shift_JIS file, as the import reads it, and as
   * raw bytes: what a key of text that was never converted looks like. */
  converted = g_convert (sjis, -1, "UTF-8", "CP932", NULL, NULL, &error);
  g_assert_no_error (error);
  rows += compare_csv (converted);
  rows += compare_csv (sjis);

  /* Every string in the evacuees' JSON (names, kana, phones, dates,
   * addresses), each as every field, and as persons with its neighbours. */
  g_regex_match (string_re, json, 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (strings, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (strings->len, >, 100);
  for (guint i = 0; i + 3 < strings->len; i++)
    {
      char **s = (char **) strings->pdata + i;

      compare_all (s[0], s[1], s[2], s[3]);
      compare_keys (s[0], s[0], s[0], s[0]);
    }
  g_test_message ("%u seed rows, %u JSON strings, %u key lists compared", rows, strings->len, n_compared);
}

/* ---- combinations ---- */

/* Pieces of names as they arrive, each a shape the code treats apart. */
static const char *const pieces[] = {
  /* kanji, with 々 and a variation selector (葛󠄀 as a family register has it) */
  "山田", "太郎", "佐々木", "葛\U000E0100西", "髙橋", "齋藤", "辻\uFE00",
  /* kana: hiragana, katakana, half-width, long vowel, small kana, voiced marks */
  "やまだ", "たろう", "ヤマダ", "タロウ", "ｻﾄｳ", "ﾔﾏﾀﾞ", "ﾊﾟﾋﾟ", "サトー", "ジュンヤ",
  "しんいち", "ゔぁ", "ヴァ", "ウィ", "やっ", "ゝゞ", "ヽヾ", "か\u3099", "ｶ\uFF9E", "か゛", "ヿ", "ゟ",
  /* latin: full-width, accented precomposed and decomposed, letters with no accent */
  "ＡＢＣ", "ｙａｍａｄａ", "Nguyễn", "Nguye\u0302\u0303n", "Zoé", "Zoe\u0301", "Łukasz", "Øystein",
  "Straße", "ĲSSEL", "ſ", "Ǆ", "İstanbul", "NGUYEN", "VAN", "AN", "Maria", "José",
  /* romaji as typed: Hepburn, kunrei, long vowels, n' */
  "yamada", "taro", "tarou", "taroh", "satoo", "siniti", "shinichi", "jun'ya", "sampei", "homma",
  "kyouko", "tutomu", "matchi", "macchi", "ohno", "ono", "oono", "yam", "shu",
  /* middle dots, spaces and breaks of every kind, invisibles */
  "・", "･", "·", " ", "  ", "\u3000", "\u00a0", "\u2003", "\u1680", "\t", "\v", "\f",
  "\r\n", "\r", "\n", "\n\n", "\u2028", "\u2029", "\u200b", "\u2060", "\ufeff",
  /* compatibility forms NFKC takes apart */
  "㈱", "㍻", "①", "™", "ﬁ", "½", "Ⅻ", "㌔",
  /* marks that compose with what comes before, or cannot */
  "\u0301", "\u0308", "\u0316", "\u3099", "\u309a", "\u1100", "\u1161", "\u11a8", "가",
  /* digits, signs, and bytes that are not UTF-8 */
  "090", "-", "１２３", "+81", "(", ")", "'", "\x80", "\xc3", "\xff", "\xe3\x81", "\xc0\xaf",
  "\xed\xa0\x80", "\xf4\x90\x80\x80",
  /* Chinese, Korean, Cyrillic, Greek, Thai, Arabic letters a resident may write */
  "王", "김", "Иван", "Σοφία", "สมชาย", "محمد", "\U0001F600",
};

static const char *const phones[] = {
  NULL, "", "090-1234-5678", "０９０－１２３４－５６７８", "09012345678", "+81 90-1234-5678",
  "(03) 1234-5678", "03-1234-5678 内線12", "123", "1234", "٠١٢٣٤٥", "電話なし", "\xff\xfe",
};

static const char *const dates[] = {
  NULL, "", "1950-05-14", "2026-02-30", "19500514", "S25.1.6", "昭和25年1月6日", "abc",
  "1950-5-14", "\xff", "0000-00-00",
};

static void
test_combinations (void)
{
  guint n = G_N_ELEMENTS (pieces);

  compare_all (NULL, NULL, NULL, NULL);
  compare_all ("", "", "", "");

  /* Every piece alone, every pair, with and without a space between. */
  for (guint i = 0; i < n; i++)
    {
      compare_all (pieces[i], pieces[i], pieces[i], pieces[i]);
      for (guint j = 0; j < n; j++)
        {
          g_autofree char *glued = g_strconcat (pieces[i], pieces[j], NULL);
          g_autofree char *spaced = g_strconcat (pieces[i], " ", pieces[j], NULL);
          g_autofree char *three = g_strconcat (" ", pieces[j], "\u3000", pieces[i], " ", pieces[(i + j) % n], NULL);

          compare_text (glued);
          compare_text (three);
          compare_keys (glued, spaced, phones[(i + j) % G_N_ELEMENTS (phones)],
                        dates[(i * j) % G_N_ELEMENTS (dates)]);
          compare_keys (three, glued, phones[i % G_N_ELEMENTS (phones)], dates[j % G_N_ELEMENTS (dates)]);
        }
    }

  for (guint p = 0; p < G_N_ELEMENTS (phones); p++)
    for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
      {
        compare_all ("山田 太郎", "やまだ たろう", phones[p], dates[d]);
        compare_all ("NGUYEN VAN AN", "グエン・ヴァン・アン", phones[p], dates[d]);
        compare_all (phones[p], dates[d], dates[d], phones[p]);
      }
  g_test_message ("%u key lists compared", n_compared);
}

/* ---- random fuzz ---- */

/* One character (or a few bytes) from one of the alphabets above. */
static void
append_random (GString *s,
               GRand   *rand)
{
  static const gunichar singles[] = {
    ' ', ' ', ' ', '\t', '\r', '\n', '\v', '\f', '-', '\'', '+', '(', ')', '.',
    0x3000, 0x00A0, 0x2003, 0x1680, 0x202F, 0x200B, 0x2060, 0xFEFF, 0x2028, 0x2029,
    0x30FB, 0xFF65, 0x00B7, 0x30FC, 0x3005, 0x3099, 0x309A, 0x309B, 0x309C,
    0x0301, 0x0302, 0x0303, 0x0308, 0x0316, 0x0327, 0x1100, 0x1161, 0x11A8, 0xAC00,
    0x00E9, 0x1EC5, 0x0141, 0x0142, 0x00F8, 0x00DF, 0x00F1, 0x0132, 0x017F, 0x01C4, 0x0130,
    0x3231, 0x337B, 0x2460, 0x2122, 0xFB01, 0x00BD, 0x216B, 0x3314, 0x00A8, 0x00AF,
    0xFE00, 0xFE0F, 0xE0100, 0xE01EF, 0x1F600, 0x5C71, 0x7530, 0x845B, 0x9AD9,
  };
  static const char *const romaji[] = {
    "ka", "shi", "si", "tsu", "tu", "chi", "ti", "fu", "hu", "n'", "ou", "oo", "oh", "uu",
    "mb", "mp", "kyo", "ja", "zi", "di", "du", "sy", "cch", "tch", "va", "wi",
  };
  static const char *const bad[] = {
    "\x80", "\xbf", "\xc3", "\xff", "\xfe", "\xe3\x81", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
    "\xef\xbd", "\xf0\x9f\x98",
  };

  switch (g_rand_int_range (rand, 0, 16))
    {
    case 0: case 1:
      g_string_append_c (s, (char) g_rand_int_range (rand, 'a', 'z' + 1));
      break;
    case 2:
      g_string_append_c (s, (char) g_rand_int_range (rand, 0x01, 0x80));
      break;
    case 3:
      g_string_append (s, romaji[g_rand_int_range (rand, 0, G_N_ELEMENTS (romaji))]);
      break;
    case 4: case 5:
      g_string_append_unichar (s, g_rand_int_range (rand, 0x3041, 0x30A0));  /* hiragana */
      break;
    case 6: case 7:
      g_string_append_unichar (s, g_rand_int_range (rand, 0x30A0, 0x3100));  /* katakana */
      break;
    case 8:
      g_string_append_unichar (s, g_rand_int_range (rand, 0xFF01, 0xFFA0));  /* full and half width */
      break;
    case 9: case 10:
      g_string_append_unichar (s, g_rand_int_range (rand, 0x4E00, 0xA000));  /* kanji */
      break;
    case 11:
      g_string_append_unichar (s, g_rand_int_range (rand, 0x00A0, 0x0250));  /* latin-1, extended */
      break;
    case 12:
      g_string_append_unichar (s, g_rand_int_range (rand, 0x1E00, 0x1F00));  /* Vietnamese and more */
      break;
    case 13:
      {
        gunichar c;

        do
          c = g_rand_int_range (rand, 1, 0x110000);
        while (c >= 0xD800 && c <= 0xDFFF);
        g_string_append_unichar (s, c);
      }
      break;
    case 14:
      g_string_append (s, bad[g_rand_int_range (rand, 0, G_N_ELEMENTS (bad))]);
      break;
    default:
      g_string_append_unichar (s, singles[g_rand_int_range (rand, 0, G_N_ELEMENTS (singles))]);
      break;
    }
}

static char *
random_text (GRand *rand)
{
  GString *s = g_string_new (NULL);
  guint len;

  if (g_rand_int_range (rand, 0, 20) == 0)
    return g_rand_boolean (rand) ? NULL : g_string_free (s, FALSE);
  len = g_rand_int_range (rand, 1, 14);
  for (guint i = 0; i < len; i++)
    {
      /* Mostly pieces of names, with a space between words now and then. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        g_string_append (s, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      else
        append_random (s, rand);
    }
  return g_string_free (s, FALSE);
}

static void
test_fuzz (void)
{
  const char *env = g_getenv ("SD_KEYS_FUZZ");
  guint n = env != NULL ? (guint) g_ascii_strtoull (env, NULL, 10) : FUZZ_PERSONS;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = random_text (rand);
      g_autofree char *kana = random_text (rand);
      g_autofree char *phone = g_rand_int_range (rand, 0, 4) == 0
        ? random_text (rand) : g_strdup (phones[g_rand_int_range (rand, 0, G_N_ELEMENTS (phones))]);
      g_autofree char *date = g_rand_int_range (rand, 0, 4) == 0
        ? random_text (rand) : g_strdup (dates[g_rand_int_range (rand, 0, G_N_ELEMENTS (dates))]);

      compare_text (name);
      compare_keys (name, kana, phone, date);
    }
  g_test_message ("%u random persons compared", n);
}

/* The characters sd-text.c takes to be in NFKC whatever stands around
 * them (is_nfkc_stable), and those it takes to have no case and no Latin
 * script (U+3000..U+9FFF), checked against GLib for every code point. */
static void
test_stable_characters (void)
{
  static const gunichar ranges[][2] = {
    { 0x01, 0x7F }, { 0xC0, 0xFF }, { 0x3005, 0x3005 }, { 0x3041, 0x3096 }, { 0x309D, 0x309E },
    { 0x30A1, 0x30FE }, { 0x4E00, 0x9FFF },
  };
  /* Stable characters that kana marks and accents compose with. */
  static const gunichar before[] = { 'a', 'e', 'Z', 0xE9, 0xFF, 0x3005, 0x3042, 0x304B, 0x3046, 0x309D,
                                     0x30A6, 0x30AB, 0x30CF, 0x30FC, 0x30FD, 0x5C71 };
  /* Characters that compose with, or reorder around, what precedes them. */
  static const gunichar followers[] = { 0x0300, 0x0301, 0x0308, 0x0316, 0x0327, 0x3099, 0x309A, 0x1161, 0x11A8 };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (gunichar c = ranges[r][0]; c <= ranges[r][1]; c++)
      {
        char one[8] = { 0 };
        g_autofree char *nfkc = NULL;

        g_unichar_to_utf8 (c, one);
        nfkc = g_utf8_normalize (one, -1, G_NORMALIZE_NFKC);
        g_assert_cmpstr (nfkc, ==, one);
        g_assert_cmpint (g_unichar_combining_class (c), ==, 0);
        /* Nothing stable composes with the stable character before it:
         * each pair with the commonest stable neighbours stays as it is. */
        for (guint b = 0; b < G_N_ELEMENTS (before); b++)
          {
            char two[16] = { 0 };
            g_autofree char *nfkc2 = NULL;
            gint n = g_unichar_to_utf8 (before[b], two);

            g_unichar_to_utf8 (c, two + n);
            nfkc2 = g_utf8_normalize (two, -1, G_NORMALIZE_NFKC);
            g_assert_cmpstr (nfkc2, ==, two);
          }
      }

  /* A mark that NFKC leaves after 山 (nothing composes with it) is not
   * stable: the check looks at every character, not only the first. */
  for (guint f = 0; f < G_N_ELEMENTS (followers); f++)
    {
      char text[16] = "山";
      g_autofree char *tidy = NULL;

      g_unichar_to_utf8 (followers[f], text + strlen (text));
      tidy = sd_text_tidy (text);
      g_assert_false (_sd_text_tidy_is_fixed (tidy));
    }

  for (gunichar c = 0x3000; c <= 0x9FFF; c++)
    {
      if (!((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E))
        g_assert_cmpuint (g_unichar_tolower (c), ==, c);
      g_assert_cmpint (g_unichar_get_script (c), !=, G_UNICODE_SCRIPT_LATIN);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/search-keys-same/stable-characters", test_stable_characters);
  g_test_add_func ("/search-keys-same/seeds", test_seeds);
  g_test_add_func ("/search-keys-same/combinations", test_combinations);
  g_test_add_func ("/search-keys-same/fuzz", test_fuzz);
  return g_test_run ();
}
