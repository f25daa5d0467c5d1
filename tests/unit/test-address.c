/* test-address.c: addresses as people write them, read into one form; each tricky case its own test.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-address.h"

typedef struct {
  const char *name;
  const char *written;
  const char *normal;      /* sd_address_normalize () */
  const char *city;
  const char *town;
  guint       chome, block, lot;
  const char *rest;
  const char *district;
} Case;

static const Case cases[] = {
  { "plain", "みなと川市北町3丁目17-6", "みなと川市北町3丁目17-6",
    "みなと川市", "北町", 3, 17, 6, NULL, "北町3丁目" },
  { "full-width-digits", "みなと川市若葉台１丁目１７－３", "みなと川市若葉台1丁目17-3",
    "みなと川市", "若葉台", 1, 17, 3, NULL, "若葉台1丁目" },
  { "kanji-chome", "みなと川市北町三丁目17番6号", "みなと川市北町3丁目17-6",
    "みなと川市", "北町", 3, 17, 6, NULL, "北町3丁目" },
  { "kanji-ten", "みなと川市本町十二丁目5番地", "みなと川市本町12丁目5",
    "みなと川市", "本町", 12, 5, 0, NULL, "本町12丁目" },
  { "kanji-twenty-one", "みなと川市本町二十一丁目1-1", "みなと川市本町21丁目1-1",
    "みなと川市", "本町", 21, 1, 1, NULL, "本町21丁目" },
  { "banchi-no", "みなと川市北町3丁目17番地の6", "みなと川市北町3丁目17-6",
    "みなと川市", "北町", 3, 17, 6, NULL, "北町3丁目" },
  { "banchi-go", "みなと川市北町3丁目17番地6号", "みなと川市北町3丁目17-6",
    "みなと川市", "北町", 3, 17, 6, NULL, "北町3丁目" },
  { "no-between-digits", "みなと川市大川22の3", "みなと川市大川22-3",
    "みなと川市", "大川", 0, 22, 3, NULL, "大川" },
  { "chome-as-number", "みなと川市北町3-17-6", "みなと川市北町3-17-6",
    "みなと川市", "北町", 3, 17, 6, NULL, "北町3丁目" },
  { "long-vowel-dash", "みなと川市桜台２丁目７ー７", "みなと川市桜台2丁目7-7",
    "みなと川市", "桜台", 2, 7, 7, NULL, "桜台2丁目" },
  { "minus-sign", "みなと川市桜台2丁目7−7", "みなと川市桜台2丁目7-7",
    "みなと川市", "桜台", 2, 7, 7, NULL, "桜台2丁目" },
  { "building", "みなと川市松原1丁目8-23 みなと川ハイツ402号室", "みなと川市松原1丁目8-23 みなと川ハイツ402号室",
    "みなと川市", "松原", 1, 8, 23, "みなと川ハイツ402号室", "松原1丁目" },
  { "ideographic-space-building", "みなと川市若葉台１丁目１７－３　みなと川ハイツ２０５号室",
    "みなと川市若葉台1丁目17-3 みなと川ハイツ205号室",
    "みなと川市", "若葉台", 1, 17, 3, "みなと川ハイツ205号室", "若葉台1丁目" },
  { "katakana-long-vowel-kept", "みなと川市センター町2-4", "みなと川市センター町2-4",
    "みなと川市", "センター町", 0, 2, 4, NULL, "センター町" },
  { "prefecture", "東京都狛江市和泉本町一丁目1番5号", "東京都狛江市和泉本町1丁目1-5",
    "狛江市", "和泉本町", 1, 1, 5, NULL, "和泉本町1丁目" },
  { "ward-of-city", "神奈川県横浜市港北区日吉本町二丁目3-4", "神奈川県横浜市港北区日吉本町2丁目3-4",
    "横浜市港北区", "日吉本町", 2, 3, 4, NULL, "日吉本町2丁目" },
  { "tokyo-ward", "東京都世田谷区北沢2-1-3", "東京都世田谷区北沢2-1-3",
    "世田谷区", "北沢", 2, 1, 3, NULL, "北沢2丁目" },
  { "county-town", "長野県北佐久郡軽井沢町大字軽井沢1323", "長野県北佐久郡軽井沢町大字軽井沢1323",
    "北佐久郡軽井沢町", "大字軽井沢", 0, 1323, 0, NULL, "大字軽井沢" },
  { "town-ending-in-machi", "みなと川市北町1丁目2-3", "みなと川市北町1丁目2-3",
    "みなと川市", "北町", 1, 2, 3, NULL, "北町1丁目" },
  { "half-width-kana-building", "みなと川市港町1丁目8-3 ﾊｲﾂ101", "みなと川市港町1丁目8-3 ハイツ101",
    "みなと川市", "港町", 1, 8, 3, "ハイツ101", "港町1丁目" },
  { "room-number-apart", "みなと川市港町1丁目8-3 101号室", "みなと川市港町1丁目8-3 101号室",
    "みなと川市", "港町", 1, 8, 3, "101号室", "港町1丁目" },
  { "no-city", "北町3丁目17-6", "北町3丁目17-6", NULL, "北町", 3, 17, 6, NULL, "北町3丁目" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *normal = sd_address_normalize (c->written);
  g_autoptr(SdAddress) split = sd_address_split (c->written);
  g_autofree char *district = sd_address_district (c->written);

  g_assert_cmpstr (normal, ==, c->normal);
  g_assert_nonnull (split);
  g_assert_cmpstr (split->city, ==, c->city);
  g_assert_cmpstr (split->town, ==, c->town);
  g_assert_cmpuint (split->chome, ==, c->chome);
  g_assert_cmpuint (split->block, ==, c->block);
  g_assert_cmpuint (split->lot, ==, c->lot);
  g_assert_cmpstr (split->rest, ==, c->rest);
  g_assert_cmpstr (district, ==, c->district);
}

/* Written differently, the same place. */
static void
test_same_place (void)
{
  static const char *const ways[] = {
    "みなと川市北町3丁目17-6", "みなと川市北町三丁目十七番六号", "みなと川市北町３丁目１７－６",
    "みなと川市北町3丁目17番地の6", "みなと川市北町3丁目17番6号", "みなと川市 北町3丁目 17-6", NULL };

  for (guint i = 1; ways[i] != NULL; i++)
    {
      g_autofree char *a = sd_address_normalize (ways[0]);
      g_autofree char *b = sd_address_normalize (ways[i]);

      g_autofree char *again = sd_address_normalize (b);

      g_assert_cmpstr (b, ==, a);
      g_assert_cmpstr (again, ==, b);
    }
  /* A space before a 丁目 in kanji goes as before one in digits, and
   * normalizing again changes nothing (the fuzzer found "… 一丁目" kept
   * its space, then lost it when normalized again). */
  {
    g_autofree char *kanji = sd_address_normalize ("みなと川市港町東 三丁目17-6");
    g_autofree char *digits = sd_address_normalize ("みなと川市港町東 3丁目17-6");
    g_autofree char *again = sd_address_normalize (kanji);

    g_assert_cmpstr (kanji, ==, digits);
    g_assert_cmpstr (again, ==, kanji);
  }
}

static void
test_empty_and_invalid (void)
{
  g_assert_null (sd_address_split (NULL));
  g_assert_null (sd_address_split (""));
  g_assert_null (sd_address_split ("   "));
  g_assert_null (sd_address_normalize ("\xff\xfe"));
  g_assert_null (sd_address_district ("みなと川市"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/address/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/address/same-place", test_same_place);
  g_test_add_func ("/address/empty-and-invalid", test_empty_and_invalid);
  return g_test_run ();
}
