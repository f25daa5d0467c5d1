/* test-geocode.c: the address reference imported, and addresses placed by it or refused with the reason.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"

#include <glib/gstdio.h>

typedef struct {
  char    *dir;
  SdStore *store;
} Fixture;

#define HEADER "\"都道府県名\",\"市区町村名\",\"大字・丁目名\",\"小字・通称名\",\"街区符号・地番\",\"座標系番号\"," \
               "\"Ｘ座標\",\"Ｙ座標\",\"緯度\",\"経度\",\"住居表示フラグ\",\"代表フラグ\",\"更新前履歴フラグ\"," \
               "\"更新後履歴フラグ\"\r\n"
#define ROW(city, town, block, lat, lon, rep) \
  "\"みなと県\",\"" city "\",\"" town "\",\"\",\"" block "\",\"9\",\"0.0\",\"0.0\",\"" lat "\",\"" lon "\",\"1\",\"" \
  rep "\",\"0\",\"0\"\r\n"

/* The reference the cases below are placed by, in CP932 as MLIT ships it. */
static const char reference[] =
  HEADER
  ROW ("みなと川市", "東町二丁目", "5", "32.501000", "141.502000", "1")
  ROW ("みなと川市", "東町二丁目", "6", "32.501500", "141.502500", "1")
  ROW ("みなと川市", "緑ケ丘四丁目", "3", "32.511000", "141.512000", "1")
  ROW ("みなと川市", "大川", "22", "32.490000", "141.480000", "1")
  ROW ("みなと川市", "大字上野", "1323", "32.480000", "141.470000", "1")
  ROW ("みなと川市", "髙砂一丁目", "1", "32.470000", "141.460000", "1")
  ROW ("みなと川市", "東町二丁目", "5", "32.999000", "141.999000", "0")   /* not the representative */
  ROW ("みなと川市", "東町二丁目", "甲12", "32.5", "141.5", "1")           /* a 地番 with a letter */
  ROW ("となり町", "本町一丁目", "1", "32.600000", "141.600000", "1")
  ROW ("みなと川市", "本町一丁目", "1", "32.400000", "141.400000", "1");

static GBytes *
cp932 (const char *utf8)
{
  gsize length = 0;
  char *text = g_convert (utf8, -1, "CP932", "UTF-8", NULL, &length, NULL);

  g_assert_nonnull (text);
  return g_bytes_new_take (text, length);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("sd-geocode-XXXXXX", NULL);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
load_reference (Fixture *f)
{
  g_autoptr(GBytes) csv = cp932 (reference);
  g_autoptr(GError) error = NULL;
  SdAddressImportResult result = { 0 };

  g_assert_true (sd_store_import_addresses (f->store, csv, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.rows, ==, 9);
  g_assert_cmpuint (result.skipped, ==, 1);
  g_assert_cmpuint (result.cities, ==, 2);
  g_assert_cmpstr (result.encoding, ==, "CP932");
  g_assert_cmpint (sd_store_count_addresses (f->store, NULL), ==, 8);
  sd_address_import_result_clear (&result);
}

typedef struct {
  const char      *name;
  const char      *address;
  SdGeocodeResult  result;
  double           lat;
  double           lon;
} Case;

static const Case cases[] = {
  { "digits", "みなと川市東町2丁目5-1", SD_GEOCODE_FOUND, 32.501, 141.502 },
  { "kanji-chome-banchi", "みなと川市東町二丁目５番地１", SD_GEOCODE_FOUND, 32.501, 141.502 },
  { "ban-go", "みなと川市東町2丁目5番1号", SD_GEOCODE_FOUND, 32.501, 141.502 },
  { "chome-as-number", "みなと川市東町2-5-1", SD_GEOCODE_FOUND, 32.501, 141.502 },
  { "full-width", "みなと川市東町２丁目６－３", SD_GEOCODE_FOUND, 32.5015, 141.5025 },
  { "building-after", "みなと川市東町2丁目6-3 みなと川ハイツ101号室", SD_GEOCODE_FOUND, 32.5015, 141.5025 },
  { "no-city", "東町2丁目5-1", SD_GEOCODE_FOUND, 32.501, 141.502 },
  { "small-ke", "みなと川市緑ヶ丘4丁目3-2", SD_GEOCODE_FOUND, 32.511, 141.512 },
  { "hiragana-ga", "みなと川市緑が丘4-3-2", SD_GEOCODE_FOUND, 32.511, 141.512 },
  { "town-without-chome", "みなと川市大川22の3", SD_GEOCODE_FOUND, 32.49, 141.48 },
  { "oaza-written", "みなと川市大字上野1323", SD_GEOCODE_FOUND, 32.48, 141.47 },
  { "oaza-left-out", "みなと川市上野1323", SD_GEOCODE_FOUND, 32.48, 141.47 },
  { "old-kanji", "みなと川市高砂1丁目1-1", SD_GEOCODE_FOUND, 32.47, 141.46 },
  { "city-says-which", "となり町本町1丁目1-2", SD_GEOCODE_FOUND, 32.6, 141.6 },
  { "ambiguous", "本町1丁目1-2", SD_GEOCODE_AMBIGUOUS, 0, 0 },
  { "unknown-block", "みなと川市東町2丁目7-1", SD_GEOCODE_UNKNOWN_BLOCK, 0, 0 },
  { "letter-block-not-stored", "みなと川市東町2丁目甲12", SD_GEOCODE_NO_BLOCK, 0, 0 },
  { "unknown-chome", "みなと川市東町3丁目5-1", SD_GEOCODE_UNKNOWN_TOWN, 0, 0 },
  { "unknown-town", "みなと川市西町1丁目1-1", SD_GEOCODE_UNKNOWN_TOWN, 0, 0 },
  { "other-city", "よその市東町2丁目5-1", SD_GEOCODE_UNKNOWN_TOWN, 0, 0 },
  { "no-block", "みなと川市東町2丁目", SD_GEOCODE_NO_BLOCK, 0, 0 },
  { "empty", "  ", SD_GEOCODE_NO_ADDRESS, 0, 0 },
};

static void
test_case (Fixture *f, gconstpointer data)
{
  const Case *c = data;
  g_autoptr(GError) error = NULL;
  double lat = 0, lon = 0;
  SdGeocodeResult result;

  load_reference (f);
  result = sd_store_geocode (f->store, c->address, &lat, &lon, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_geocode_result_to_string (result), ==, sd_geocode_result_to_string (c->result));
  if (c->result == SD_GEOCODE_FOUND)
    {
      g_assert_cmpfloat_with_epsilon (lat, c->lat, 1e-9);
      g_assert_cmpfloat_with_epsilon (lon, c->lon, 1e-9);
    }
  else
    g_assert_cmpstr (sd_geocode_result_label (result), !=, "");
}

static void
test_no_reference (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  double lat, lon;

  g_assert_cmpint (sd_store_geocode (f->store, "みなと川市東町2丁目5-1", &lat, &lon, &error), ==,
                   SD_GEOCODE_NO_REFERENCE);
  g_assert_no_error (error);
}

/* A bad file is refused with its line, and the reference stays as it was. */
static void
test_bad_files (Fixture *f, gconstpointer data)
{
  static const struct { const char *text; int code; const char *says; } bad[] = {
    { HEADER ROW ("みなと川市", "東町二丁目", "9", "141.502", "32.501", "1"), SD_DATA_ERROR_BAD_VALUE, "Line 2" },
    { HEADER ROW ("みなと川市", "東町二丁目", "1", "32.5", "141.5", "1")
      ROW ("みなと川市", "東町二丁目", "2", "0", "0", "1"), SD_DATA_ERROR_BAD_VALUE, "Line 3" },
    { HEADER ROW ("みなと川市", "東町二丁目", "9", "abc", "141.5", "1"), SD_DATA_ERROR_BAD_VALUE, "Line 2" },
    { HEADER "\"みなと県\",\"みなと川市\"\r\n", SD_DATA_ERROR_BAD_VALUE, "Line 2" },
    { "\"都道府県名\",\"市区町村名\",\"緯度\",\"経度\"\r\n", SD_DATA_ERROR_MISSING, "大字・丁目名" },
    { "", SD_DATA_ERROR_MISSING, NULL },
    { HEADER ROW ("みなと川市", "東町二丁目", "甲1", "32.5", "141.5", "1"), SD_DATA_ERROR_MISSING, NULL },
  };
  double lat, lon;

  load_reference (f);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GBytes) csv = cp932 (bad[i].text);
      g_autoptr(GError) error = NULL;

      g_test_message ("bad file %u", i);
      g_assert_false (sd_store_import_addresses (f->store, csv, NULL, NULL, &error));
      g_assert_error (error, SD_DATA_ERROR, bad[i].code);
      if (bad[i].says != NULL)
        g_assert_nonnull (strstr (error->message, bad[i].says));
      g_assert_cmpint (sd_store_count_addresses (f->store, NULL), ==, 8);
    }
  g_assert_cmpint (sd_store_geocode (f->store, "みなと川市東町2丁目5-1", &lat, &lon, NULL), ==, SD_GEOCODE_FOUND);
  g_assert_cmpfloat_with_epsilon (lat, 32.501, 1e-9);
}

/* A new file for a city replaces that city's blocks and no other's. */
static void
test_replace_city (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) csv = g_bytes_new_static (HEADER ROW ("みなと川市", "東町二丁目", "5", "32.6", "141.6", "1"),
                                              strlen (HEADER ROW ("みなと川市", "東町二丁目", "5", "32.6", "141.6", "1")));
  g_autoptr(GError) error = NULL;
  double lat, lon;

  load_reference (f);
  g_assert_true (sd_store_import_addresses (f->store, csv, NULL, NULL, &error));
  g_assert_no_error (error);
  /* となり町's one block stays; みなと川市 has only the new one. */
  g_assert_cmpint (sd_store_count_addresses (f->store, NULL), ==, 2);
  g_assert_cmpint (sd_store_geocode (f->store, "みなと川市東町2丁目5-1", &lat, &lon, NULL), ==, SD_GEOCODE_FOUND);
  g_assert_cmpfloat_with_epsilon (lat, 32.6, 1e-9);
  g_assert_cmpint (sd_store_geocode (f->store, "みなと川市東町2丁目6-1", &lat, &lon, NULL), ==,
                   SD_GEOCODE_UNKNOWN_BLOCK);
  g_assert_cmpint (sd_store_geocode (f->store, "となり町本町1丁目1-2", &lat, &lon, NULL), ==, SD_GEOCODE_FOUND);
}

/* What the map reads: people placed by their address with their status,
 * the others with the reason, shelters too. */
static void
test_map_people (Fixture *f, gconstpointer data)
{
  SdSupportPersonSpec placed = { .name = "中山 正雄", .kana = "ナカヤマ マサオ", .birth_date = "1943-03-20",
                                 .address = "みなと川市東町2丁目5-8" };
  SdSupportPersonSpec helped = { .name = "中川 光男", .birth_date = "1948-01-04",
                                 .address = "みなと川市緑ヶ丘4丁目3-1" };
  SdSupportPersonSpec lost = { .name = "斎藤 洋子", .birth_date = "1954-01-20", .address = "みなと川市東町2丁目30-1" };
  SdShelterSpec shelter = { "S01", "東小学校", SD_SHELTER_KIND_DESIGNATED, 100, "みなと川市東町2丁目6-1" };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelter) s01 = NULL;
  g_autoptr(SdMapPeople) people = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *report = NULL;

  load_reference (f);
  a = sd_store_add_support_person (f->store, &placed, &error);
  b = sd_store_add_support_person (f->store, &helped, &error);
  c = sd_store_add_support_person (f->store, &lost, &error);
  g_assert_no_error (error);
  s01 = sd_store_add_shelter (f->store, &shelter, &error);
  g_assert_no_error (error);
  report = sd_store_report_support_status (f->store, b, SD_SUPPORT_HELPING, NULL, NULL, NULL, SD_SUPPORT_VIA_DESK,
                                           &error);
  g_assert_no_error (error);

  people = sd_map_people_read (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (people->people->len, ==, 3);
  g_assert_cmpuint (people->placed, ==, 2);
  for (guint i = 0; i < people->people->len; i++)
    {
      const SdMapPerson *p = &g_array_index (people->people, SdMapPerson, i);

      if (g_str_equal (p->id, a))
        {
          g_assert_cmpint (p->at.placed, ==, SD_GEOCODE_FOUND);
          g_assert_cmpfloat_with_epsilon (p->at.lat, 32.501, 1e-9);
          g_assert_cmpint (p->status, ==, SD_SUPPORT_UNCONFIRMED);
        }
      else if (g_str_equal (p->id, b))
        {
          g_assert_cmpint (p->at.placed, ==, SD_GEOCODE_FOUND);
          g_assert_cmpint (p->status, ==, SD_SUPPORT_HELPING);
        }
      else
        {
          g_assert_cmpstr (p->id, ==, c);
          g_assert_cmpint (p->at.placed, ==, SD_GEOCODE_UNKNOWN_BLOCK);
        }
    }
  g_assert_cmpuint (people->shelters->len, ==, 1);
  g_assert_cmpint (g_array_index (people->shelters, SdMapShelter, 0).at.placed, ==, SD_GEOCODE_FOUND);
  g_assert_cmpfloat_with_epsilon (g_array_index (people->shelters, SdMapShelter, 0).at.lat, 32.5015, 1e-9);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/geocode/case/%s", cases[i].name);

      g_test_add (path, Fixture, &cases[i], fixture_setup, test_case, fixture_teardown);
    }
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/geocode/no-reference", test_no_reference);
  ADD ("/geocode/bad-files", test_bad_files);
  ADD ("/geocode/replace-city", test_replace_city);
  ADD ("/geocode/map-people", test_map_people);
#undef ADD
  return g_test_run ();
}
