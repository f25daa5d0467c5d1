/* test-text.c: unit tests for tidying, folding and checking text from outside.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdarg.h>
#include <string.h>

#include "sd-error.h"
#include "sd-text.h"

static void
assert_tidy (const char *text,
             const char *expected)
{
  g_autofree char *tidy = sd_text_tidy (text);

  g_assert_cmpstr (tidy, ==, expected);
}

static void
assert_fold (const char *text,
             const char *expected)
{
  g_autofree char *fold = sd_text_fold (text);

  g_assert_cmpstr (fold, ==, expected);
}

static void
test_tidy (void)
{
  assert_tidy ("　山田　 太郎 ", "山田 太郎");
  assert_tidy ("山田太郎", "山田太郎");
  assert_tidy ("ｶﾞｯｺｳ", "ガッコウ");
  assert_tidy ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ");
  assert_tidy ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ");
  assert_tidy ("０９０－１２３４", "090-1234");
  assert_tidy ("ＡＢＣ　ａｂｃ", "ABC abc");
  assert_tidy ("\t山田\u00a0\u2003太郎\t", "山田 太郎");
  assert_tidy ("山\u200b田", "山田");
  assert_tidy ("\ufeff山田", "山田");
  /* Kana kind, case and the middle dot are kept: they are for fold. */
  assert_tidy ("やまだ・タロウ Abc", "やまだ・タロウ Abc");
  /* NFKC turns the legacy squares into letters. */
  assert_tidy ("㈱ ｼｪﾙﾀｰ", "(株) シェルター");

  assert_tidy (NULL, NULL);
  assert_tidy ("", NULL);
  assert_tidy ("   ", NULL);
  assert_tidy ("　　", NULL);
  assert_tidy ("\n \n", NULL);
}

static void
test_tidy_lines (void)
{
  assert_tidy ("first line  \r\n  second\rthird\n", "first line\nsecond\nthird");
  assert_tidy ("\n\na\n\nb\n\n", "a\n\nb");
  assert_tidy ("a \n b", "a\nb");
}

static void
test_tidy_invalid_utf8 (void)
{
  g_autofree char *tidy = sd_text_tidy ("山田\xff太郎");

  g_assert_nonnull (tidy);
  g_assert_true (g_utf8_validate (tidy, -1, NULL));
  g_assert_true (g_str_has_prefix (tidy, "山田"));
  g_assert_true (g_str_has_suffix (tidy, "太郎"));
}

static void
test_fold (void)
{
  g_autofree char *a = sd_text_fold ("やまだ たろう");
  g_autofree char *b = sd_text_fold ("ﾔﾏﾀﾞ ﾀﾛｳ");
  g_autofree char *c = sd_text_fold ("ヤマダ・タロウ");
  g_autofree char *d = sd_text_fold ("　ヤマダ　タロウ　");
  g_autofree char *e = sd_text_fold ("ﾔﾏﾀﾞ･ﾀﾛｳ");

  g_assert_cmpstr (a, ==, "ヤマダタロウ");
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, ==, c);
  g_assert_cmpstr (a, ==, d);
  g_assert_cmpstr (a, ==, e);

  assert_fold ("Yamada TARO", "yamadataro");
  assert_fold ("ＹＡＭＡＤＡ", "yamada");
  assert_fold ("ゔぁ", "ヴァ");
  assert_fold ("ゝゞ", "ヽヾ");
  assert_fold ("山田 太郎", "山田太郎");
  /* The Turkish dotted I folds the same in every locale. */
  assert_fold ("I", "i");
  /* Katakana-only characters stay put; U+3097.. are not hiragana letters. */
  assert_fold ("ヷ", "ヷ");

  assert_fold (NULL, NULL);
  assert_fold ("", NULL);
  assert_fold (" ・ ", NULL);
}

static void
test_fold_variation_selectors (void)
{
  /* 葛󠄀城 as a family register writes it (U+845B U+E0100), and the
   * standardized variation selectors: the glyph is kept in what is
   * stored, but a search typed without it must find it. */
  assert_tidy ("葛\U000E0100城", "葛\U000E0100城");
  assert_fold ("葛\U000E0100城", "葛城");
  assert_fold ("辻\U000E01EF", "辻");
  assert_fold ("禰\uFE00豆子\uFE0F", "禰豆子");
}

static void
test_fold_accents (void)
{
  assert_fold ("Zoé", "zoe");
  assert_fold ("ZOÉ", "zoe");
  assert_fold ("Zoe\u0301", "zoe");  /* combining acute, composed by NFKC first */
  assert_fold ("Nguyễn Văn Đức", "nguyenvanduc");
  assert_fold ("Müller", "muller");
  assert_fold ("Łukasz Øster", "lukaszoster");
  assert_fold ("Straße", "strasse");
  assert_fold ("Tarō", "taro");
  /* Kana's voicing marks are not accents. */
  assert_fold ("ガッコウ", "ガッコウ");
  assert_fold ("ぱぴぷ", "パピプ");
  assert_fold ("ｶﾞｯｺｳ", "ガッコウ");
}

static void
assert_reading (const char *text,
                const char *expected)
{
  g_autofree char *reading = sd_text_reading (text);

  if (g_strcmp0 (reading, expected) != 0)
    {
      g_test_message ("reading of “%s” is “%s”, expected “%s”", text, reading, expected);
      g_test_fail ();
    }
}

static void
assert_readings (const char *expected,
                 ...)
{
  va_list args;
  const char *text;

  va_start (args, expected);
  while ((text = va_arg (args, const char *)) != NULL)
    assert_reading (text, expected);
  va_end (args);
}

static void
test_reading (void)
{
  /* Any kind and width of kana, and romaji in any case and width. */
  assert_readings ("yamada", "やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "yamada", "YAMADA", "Ｙａｍａｄａ", NULL);
  assert_readings ("yamadataro", "やまだ たろう", "ヤマダ・タロウ", "Yamada Tarō", "yamada taro", NULL);

  /* Hepburn and kunrei (and Nihon-shiki) spellings of the same kana. */
  assert_readings ("shi", "し", "shi", "si", NULL);
  assert_readings ("chi", "ち", "chi", "ti", NULL);
  assert_readings ("tsu", "つ", "tsu", "tu", NULL);
  assert_readings ("fu", "ふ", "fu", "hu", NULL);
  assert_readings ("ji", "じ", "ぢ", "ji", "zi", "di", NULL);
  assert_readings ("zu", "ず", "づ", "zu", "du", NULL);
  assert_readings ("sha", "しゃ", "sha", "sya", NULL);
  assert_readings ("chu", "ちゅ", "chu", "tyu", NULL);
  assert_readings ("jo", "じょ", "jo", "zyo", "jyo", NULL);
  assert_readings ("fujita", "ふじた", "fujita", "huzita", NULL);
  assert_readings ("tsubasa", "つばさ", "tsubasa", "tubasa", NULL);

  /* Long vowels: written ou, oo, uu, with a macron, with ー, or not at all. */
  assert_readings ("taro", "たろう", "タロー", "tarou", "taroo", "tarō", "taro", NULL);
  assert_readings ("sato", "さとう", "サトー", "satou", "satoo", "satō", "sato", NULL);
  assert_readings ("ono", "おおの", "oono", "ōno", "ohno", "ono", NULL);
  assert_readings ("yuko", "ゆうこ", "yuuko", "yūko", "yuko", NULL);
  assert_readings ("kyoko", "きょうこ", "kyouko", "kyōko", "kyoko", NULL);

  /* Double consonants, Hepburn's tch and kunrei's tt. */
  assert_readings ("hattori", "はっとり", "ハットリ", "hattori", NULL);
  assert_readings ("matcha", "まっちゃ", "matcha", "mattya", NULL);

  /* n before a vowel (n'), and Hepburn's m before b, m, p. */
  assert_readings ("shinichi", "しんいち", "shin'ichi", "shinichi", "sin'iti", NULL);
  assert_readings ("junya", "じゅんや", "jun'ya", "junya", "zyun'ya", NULL);
  assert_readings ("sanpei", "さんぺい", "sampei", "sanpei", NULL);
  assert_readings ("honma", "ほんま", "homma", "honma", NULL);

  /* What is typed so far reads as a prefix of the whole. */
  assert_reading ("yam", "yam");
  assert_reading ("やっ", "ya");

  /* Latin names keep their letters, without accents. */
  assert_reading ("Zoé", "zoe");
  assert_reading ("NGUYỄN", "nguyen");

  /* Kanji cannot be read without a dictionary: no reading at all, rather
   * than a reading of the kana around them. */
  assert_reading ("山田", NULL);
  assert_reading ("やまだ 太郎", NULL);
  assert_reading ("090-1234", NULL);
  assert_reading ("ー", NULL);
  assert_reading ("・", NULL);
  assert_reading ("", NULL);
  assert_reading (NULL, NULL);
}

static void
reading_in_thread (gpointer data,
                   gpointer user_data)
{
  g_autofree char *reading = sd_text_reading ("しんいち");
  g_autofree char *fold = sd_text_fold ("Zoé");

  if (g_strcmp0 (reading, "shinichi") != 0 || g_strcmp0 (fold, "zoe") != 0)
    g_atomic_int_inc ((int *) user_data);
}

static void
test_reading_threads (void)
{
  /* The transliterators are not thread-safe; each thread has its own. */
  int wrong = 0;
  GThreadPool *pool = g_thread_pool_new (reading_in_thread, &wrong, 4, TRUE, NULL);

  for (guint i = 0; i < 400; i++)
    g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  g_assert_cmpint (wrong, ==, 0);
}

static void
test_phone_digits (void)
{
  g_autofree char *a = sd_text_phone_digits ("０９０−１２３４−５６７８");
  g_autofree char *b = sd_text_phone_digits ("(03) 1234-5678");
  g_autofree char *c = sd_text_phone_digits ("tel: 090 1234 5678 (携帯)");
  g_autofree char *d = sd_text_phone_digits ("なし");
  g_autofree char *e = sd_text_phone_digits ("");
  g_autofree char *f = sd_text_phone_digits (NULL);
  g_autofree char *g = sd_text_phone_digits ("0\xff" "9");
  g_autofree char *h = sd_text_phone_digits ("٠١٢");

  g_assert_cmpstr (a, ==, "09012345678");
  g_assert_cmpstr (b, ==, "0312345678");
  g_assert_cmpstr (c, ==, "09012345678");
  g_assert_null (d);
  g_assert_null (e);
  g_assert_null (f);
  g_assert_cmpstr (g, ==, "09");
  g_assert_null (h);
}

static void
assert_valid (const char *text,
              guint       max_chars,
              gboolean    multiline)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_text_validate (text, "Name", max_chars, multiline, &error));
  g_assert_no_error (error);
}

static void
assert_invalid (const char *text,
                guint       max_chars,
                gboolean    multiline,
                const char *needle)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_text_validate (text, "Name", max_chars, multiline, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  /* The message names the field and never quotes the text. */
  g_assert_true (g_str_has_prefix (error->message, "Name "));
  if (needle != NULL && strstr (error->message, needle) == NULL)
    {
      g_test_message ("message “%s” lacks “%s”", error->message, needle);
      g_test_fail ();
    }
}

static void
test_validate (void)
{
  GString *long_text = g_string_new (NULL);

  assert_valid ("山田 太郎", 200, FALSE);
  assert_valid ("", 200, FALSE);
  assert_valid (NULL, 200, FALSE);
  assert_valid ("line one\nline two\r\n\tindented", 200, TRUE);

  assert_invalid ("\x01", 200, FALSE, "control character");
  assert_invalid ("a\x01" "b", 200, TRUE, "control character");
  assert_invalid ("a\x7f", 200, FALSE, "control character");
  assert_invalid ("a\xc2\x85" "b", 200, FALSE, "control character");
  assert_invalid ("\xff", 200, FALSE, "cannot be read");
  assert_invalid ("山田\xe5\xb1", 200, FALSE, "cannot be read");
  assert_invalid ("a\nb", 200, FALSE, "single line");
  assert_invalid ("a\rb", 200, FALSE, "single line");
  assert_invalid ("a\xe2\x80\xa8" "b", 200, FALSE, "single line");
  assert_invalid ("a\tb", 200, FALSE, "control character");

  /* Characters are counted, not bytes: 200 kanji are 600 bytes. */
  for (guint i = 0; i < 200; i++)
    g_string_append (long_text, "山");
  assert_valid (long_text->str, 200, FALSE);
  g_string_append (long_text, "田");
  assert_invalid (long_text->str, 200, FALSE, "at most 200 characters");
  assert_invalid ("ab", 1, FALSE, "at most 1 character.");

  g_string_free (long_text, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text/tidy", test_tidy);
  g_test_add_func ("/text/tidy/lines", test_tidy_lines);
  g_test_add_func ("/text/tidy/invalid-utf8", test_tidy_invalid_utf8);
  g_test_add_func ("/text/fold", test_fold);
  g_test_add_func ("/text/fold/variation-selectors", test_fold_variation_selectors);
  g_test_add_func ("/text/fold/accents", test_fold_accents);
  g_test_add_func ("/text/reading", test_reading);
  g_test_add_func ("/text/reading/threads", test_reading_threads);
  g_test_add_func ("/text/phone-digits", test_phone_digits);
  g_test_add_func ("/text/validate", test_validate);

  return g_test_run ();
}
