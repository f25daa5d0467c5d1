/* test-report.c: the shelter status report's counts, its CSV, and its PDF read back by poppler.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-store-private.h"
#include "../common/sd-test-wine.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  char      *dir;
  SdStore   *store;
  SdShelter *east;
  SdShelter *west;
} Fixture;

static char *
iso_years_ago (int years, int days_more)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) back = g_date_time_add_years (now, -years);
  g_autoptr(GDateTime) earlier = g_date_time_add_days (back, -days_more);

  return g_date_time_format (earlier, "%Y-%m-%d");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *b_infant = iso_years_ago (0, 100);   /* 0 years */
  g_autofree char *b_child = iso_years_ago (8, 10);     /* 8 */
  g_autofree char *b_adult = iso_years_ago (40, 10);    /* 40 */
  g_autofree char *b_old = iso_years_ago (80, 10);      /* 80 */
  g_autofree char *b_senior = iso_years_ago (70, 10);   /* 70 */
  SdShelterSpec east = { "E1", "東小学校", SD_SHELTER_KIND_DESIGNATED, 100, NULL };
  SdShelterSpec west = { "W1", "西公民館", SD_SHELTER_KIND_DESIGNATED, 50, NULL };

  f->dir = g_dir_make_tmp ("sd-report-XXXXXX", NULL);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->east = sd_store_add_shelter (f->store, &east, &error);
  f->west = sd_store_add_shelter (f->store, &west, &error);
  g_assert_no_error (error);

  /* East: a family of four checked in (one of them then goes out), with needs and a dog. */
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *h = NULL, *e = NULL;
    SdHouseholdSpec hh = { .shelter_id = sd_shelter_get_id (f->east), .stay = SD_STAY_SHELTER,
                           .pets = "犬", .pets_count = 1, .check_in = TRUE };
    SdPersonSpec m[] = {
      { .name = "甲 一", .birth_date = b_adult, .sex = SD_SEX_MALE, .illness = "糖尿病" },
      { .name = "甲 二", .birth_date = b_adult, .sex = SD_SEX_FEMALE, .pregnant = TRUE },
      { .name = "甲 三", .birth_date = b_infant, .sex = SD_SEX_FEMALE, .allergies = "卵" },
      { .name = "甲 四", .birth_date = b_child, .sex = SD_SEX_MALE, .language = "vi" },
    };
    h = sd_store_add_household (f->store, &hh, m, 4, ids, &error);
    g_assert_no_error (error);
    e = sd_store_record_event (f->store, g_ptr_array_index (ids, 3), SD_EVENT_GO_OUT, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  /* East: an old couple; the husband left again. */
  {
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *h = NULL, *e = NULL;
    SdHouseholdSpec hh = { .shelter_id = sd_shelter_get_id (f->east), .stay = SD_STAY_SHELTER, .check_in = TRUE };
    SdPersonSpec m[] = {
      { .name = "乙 夫", .birth_date = b_old, .sex = SD_SEX_MALE },
      { .name = "乙 妻", .birth_date = b_senior, .sex = SD_SEX_FEMALE, .care_level = SD_CARE_2,
        .mobility = "車いす", .disability = "視覚" },
    };
    h = sd_store_add_household (f->store, &hh, m, 2, ids, &error);
    e = sd_store_record_event (f->store, g_ptr_array_index (ids, 0), SD_EVENT_LEAVE, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  /* East registers two who stay away: one at home, two in a car. */
  {
    g_autofree char *h1 = NULL, *h2 = NULL;
    SdHouseholdSpec home = { .shelter_id = sd_shelter_get_id (f->east), .stay = SD_STAY_HOME };
    SdHouseholdSpec car = { .shelter_id = sd_shelter_get_id (f->east), .stay = SD_STAY_VEHICLE, .vehicle_plate = "品川 1" };
    SdPersonSpec one[] = { { .name = "丙", .sex = SD_SEX_MALE } };
    SdPersonSpec two[] = { { .name = "丁 一", .sex = SD_SEX_MALE }, { .name = "丁 二", .sex = SD_SEX_FEMALE } };
    h1 = sd_store_add_household (f->store, &home, one, 1, NULL, &error);
    h2 = sd_store_add_household (f->store, &car, two, 2, NULL, &error);
    g_assert_no_error (error);
  }
  /* West: one person with no birth date. */
  {
    g_autofree char *h = NULL;
    SdHouseholdSpec hh = { .shelter_id = sd_shelter_get_id (f->west), .stay = SD_STAY_SHELTER, .check_in = TRUE };
    SdPersonSpec m[] = { { .name = "戊", .sex = SD_SEX_UNKNOWN } };
    h = sd_store_add_household (f->store, &hh, m, 1, NULL, &error);
    g_assert_no_error (error);
  }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->east);
  g_clear_object (&f->west);
  g_clear_object (&f->store);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_counts_one_shelter (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (s->shelter_code, ==, "E1");
  g_assert_cmpuint (s->persons, ==, 5);             /* 4 + the wife; the husband left */
  g_assert_cmpuint (s->households, ==, 2);
  g_assert_cmpint (s->capacity, ==, 100);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_MALE][SD_AGE_15_64], ==, 1);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_FEMALE][SD_AGE_15_64], ==, 1);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_FEMALE][SD_AGE_0_5], ==, 1);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_MALE][SD_AGE_6_14], ==, 1);   /* out for now: still counted */
  g_assert_cmpuint (s->by_sex_age[SD_SEX_FEMALE][SD_AGE_65_74], ==, 1);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_MALE][SD_AGE_75_UP], ==, 0);  /* left */
  g_assert_cmpuint (s->needs[SD_NEED_ILLNESS], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_PREGNANT], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_ALLERGY], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_INFANT], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_LANGUAGE], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_CARE], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_MOBILITY], ==, 1);
  g_assert_cmpuint (s->needs[SD_NEED_DISABILITY], ==, 1);
  g_assert_cmpuint (s->households_with_pets, ==, 1);
  g_assert_cmpuint (s->stays.in_shelter, ==, 4);
  g_assert_cmpuint (s->stays.out_now, ==, 1);
  g_assert_cmpuint (s->stays.at_home, ==, 1);
  g_assert_cmpuint (s->stays.in_vehicle, ==, 2);
  g_assert_cmpint (s->condition_at, ==, 0);
  g_assert_cmpint (s->lifelines[SD_LIFELINE_WATER], ==, SD_LIFELINE_STATE_UNKNOWN);
}

static void
test_counts_all_shelters (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (s->shelter_code);
  g_assert_cmpuint (s->shelters, ==, 2);
  g_assert_cmpint (s->capacity, ==, 150);
  g_assert_cmpuint (s->persons, ==, 6);
  g_assert_cmpuint (s->households, ==, 3);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_UNKNOWN][SD_AGE_UNKNOWN], ==, 1);
  /* Present and out for now are told apart over every shelter too: east's
   * three of the family and the wife, and west's one, are in; the boy who
   * went out is out, not present.  The husband who left is neither. */
  g_assert_cmpuint (s->stays.in_shelter, ==, 5);
  g_assert_cmpuint (s->stays.out_now, ==, 1);
  g_assert_cmpuint (s->stays.at_home, ==, 1);
  g_assert_cmpuint (s->stays.in_vehicle, ==, 2);
  g_assert_cmpuint (s->stays.at_relatives, ==, 0);
  g_assert_cmpuint (s->by_sex_age[SD_SEX_MALE][SD_AGE_75_UP], ==, 0);
}

static void
test_condition (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = NULL;
  g_autofree char *id = NULL;
  g_autofree char *long_text = g_strnfill (2001, 'x');
  SdShelterConditionSpec spec = { .shelter_id = sd_shelter_get_id (f->east),
                                  .lifelines = { SD_LIFELINE_STATE_OUT, SD_LIFELINE_STATE_LIMITED, SD_LIFELINE_STATE_OK,
                                                 SD_LIFELINE_STATE_OUT, SD_LIFELINE_STATE_LIMITED },
                                  .supply_requests = "毛布 50枚\n粉ミルク 10缶" };

  id = sd_store_record_shelter_condition (f->store, &spec, &error);
  g_assert_no_error (error);
  s = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);
  g_assert_cmpint (s->lifelines[SD_LIFELINE_ELECTRICITY], ==, SD_LIFELINE_STATE_OUT);
  g_assert_cmpint (s->lifelines[SD_LIFELINE_GAS], ==, SD_LIFELINE_STATE_OK);
  g_assert_cmpstr (s->supply_requests, ==, "毛布 50枚\n粉ミルク 10缶");
  g_assert_cmpint (s->condition_at, >, 0);

  /* Bad input: refused, nothing saved, the last good record still stands. */
  {
    SdShelterConditionSpec bad = spec;
    g_autofree char *no = NULL;
    g_autoptr(SdShelterStatus) again = NULL;

    bad.supply_requests = "毛布\x01";
    no = sd_store_record_shelter_condition (f->store, &bad, &error);
    g_assert_null (no);
    g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
    g_clear_error (&error);
    bad.supply_requests = long_text;
    g_assert_null (sd_store_record_shelter_condition (f->store, &bad, &error));
    g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
    g_clear_error (&error);
    bad.supply_requests = NULL;
    bad.shelter_id = "no-such-shelter";
    g_assert_null (sd_store_record_shelter_condition (f->store, &bad, &error));
    g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);

    again = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);
    g_assert_cmpstr (again->supply_requests, ==, "毛布 50枚\n粉ミルク 10缶");
  }
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autofree char *text = NULL;

  g_assert_true (sd_shelter_status_write_csv (s, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);  /* NUL-terminate */
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));

  g_assert_true (g_str_has_prefix (text, "\xef\xbb\xbf"));  /* BOM for Excel */
  g_assert_nonnull (strstr (text, "\r\n"));
  /* Text quoted, our counts bare numbers (sd-csv.h). */
  g_assert_nonnull (strstr (text, "\"Shelter\",\"E1\",\"東小学校\"\r\n"));
  g_assert_nonnull (strstr (text, "\"People staying\",5\r\n"));
  g_assert_nonnull (strstr (text, "\"In vehicles (車中泊)\",2\r\n"));
  g_assert_nonnull (strstr (text, "\"0–5\",0,0,1,0,1\r\n"));   /* one girl under 6 */
  g_assert_null (strstr (text, "\n\n"));                       /* no bare LF anywhere */
  g_assert_nonnull (strstr (text, "\"Supply requests\",\"\"\r\n"));  /* none yet: an empty cell, not a short row */
}

/* ---- the kept counts give the same report as counting every person ---- */

/* Born YEARS ago, DAYS later than that: 0 has the birthday today, 1
 * tomorrow (so one year younger today). */
static char *
born (int years, int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) back = g_date_time_add_years (now, -years);
  g_autoptr(GDateTime) when = g_date_time_add_days (back, days);

  return g_date_time_format (when, "%Y-%m-%d");
}

static void
exec (SdStore *store, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (_sd_store_get_db (store), sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

/* Ages the plain way, in the test's own words: whole years, or -1 when
 * the text is not a YYYY-MM-DD date or lies in the future. */
static int
plain_age (const char *iso)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int y, m, d, age;
  char tail;

  if (iso == NULL || strlen (iso) != 10 || sscanf (iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      iso[4] != '-' || iso[7] != '-' || y <= 0 || m < 1 || m > 12 || d < 1 || d > 31)
    return -1;
  age = g_date_time_get_year (now) - y;
  if (g_date_time_get_month (now) < m || (g_date_time_get_month (now) == m && g_date_time_get_day_of_month (now) < d))
    age--;
  return age;
}

static SdAgeBand
plain_band (int age)
{
  static const struct { int upto; SdAgeBand band; } bands[] = {
    { 5, SD_AGE_0_5 }, { 14, SD_AGE_6_14 }, { 64, SD_AGE_15_64 }, { 74, SD_AGE_65_74 }, { G_MAXINT, SD_AGE_75_UP },
  };

  if (age < 0)
    return SD_AGE_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    if (age <= bands[i].upto)
      return bands[i].band;
  g_assert_not_reached ();
}

static gboolean
filled (const char *text)
{
  return text != NULL && *text != '\0';
}

/* The report of SHELTER_ID (NULL: all), counted person by person from
 * the rows themselves, as the report did before it had kept counts. */
static SdShelterStatus *
recount (SdStore *store, const char *shelter_id)
{
  SdShelterStatus *s = g_new0 (SdShelterStatus, 1);
  g_autoptr(GHashTable) households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT p.household_id, p.sex, p.birth_date, p.allergies, p.illness, p.pregnant, p.disability, p.care_level, "
    "p.mobility, p.language, s.kind, h.pets IS NOT NULL OR h.pets_count > 0 "
    "FROM person_state s JOIN persons p ON p.id = s.person_id LEFT JOIN households h ON h.id = p.household_id "
    "WHERE s.kind IN ('arrive', 'return', 'go_out') AND (?1 IS NULL OR s.shelter_id = ?1)", -1, &stmt, NULL),
    ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, shelter_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *household = (const char *) sqlite3_column_text (stmt, 0);
      const char *sex = (const char *) sqlite3_column_text (stmt, 1);
      int age = plain_age ((const char *) sqlite3_column_text (stmt, 2));
      const char *language = (const char *) sqlite3_column_text (stmt, 9);
      SdSex sx = SD_SEX_UNKNOWN;

      sd_sex_from_string (sex, &sx);
      s->persons++;
      if (g_str_equal (sqlite3_column_text (stmt, 10), "go_out"))
        s->stays.out_now++;
      else
        s->stays.in_shelter++;
      s->by_sex_age[sx][plain_band (age)]++;
      s->needs[SD_NEED_ALLERGY] += filled ((const char *) sqlite3_column_text (stmt, 3));
      s->needs[SD_NEED_ILLNESS] += filled ((const char *) sqlite3_column_text (stmt, 4));
      s->needs[SD_NEED_PREGNANT] += sqlite3_column_int (stmt, 5);
      s->needs[SD_NEED_INFANT] += age == 0;
      s->needs[SD_NEED_DISABILITY] += filled ((const char *) sqlite3_column_text (stmt, 6));
      s->needs[SD_NEED_CARE] += !g_str_equal (sqlite3_column_text (stmt, 7), "none");
      s->needs[SD_NEED_MOBILITY] += filled ((const char *) sqlite3_column_text (stmt, 8));
      s->needs[SD_NEED_LANGUAGE] += filled (language) && !g_str_equal (language, "ja");
      if (g_hash_table_add (households, g_strdup (household)))
        s->households_with_pets += sqlite3_column_int (stmt, 11);
    }
  sqlite3_finalize (stmt);
  s->households = g_hash_table_size (households);

  /* Registered through the shelter, staying elsewhere, not left. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT h.stay FROM households h JOIN persons p ON p.household_id = h.id "
    "LEFT JOIN person_state s ON s.person_id = p.id "
    "WHERE (s.kind IS NULL OR s.kind != 'leave') AND (?1 IS NULL OR h.shelter_id = ?1)", -1, &stmt, NULL),
    ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, shelter_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *stay = (const char *) sqlite3_column_text (stmt, 0);

      s->stays.at_home += g_str_equal (stay, "home");
      s->stays.in_vehicle += g_str_equal (stay, "vehicle");
      s->stays.at_relatives += g_str_equal (stay, "relatives");
    }
  sqlite3_finalize (stmt);
  return s;
}

static void
assert_same_counts (const SdShelterStatus *got, const SdShelterStatus *want)
{
  g_assert_cmpuint (got->persons, ==, want->persons);
  g_assert_cmpuint (got->households, ==, want->households);
  g_assert_cmpuint (got->households_with_pets, ==, want->households_with_pets);
  for (guint sx = 0; sx <= SD_SEX_NOT_APPLICABLE; sx++)
    for (guint b = 0; b < SD_N_AGE_BANDS; b++)
      {
        g_test_message ("sex %u, band %u", sx, b);
        g_assert_cmpuint (got->by_sex_age[sx][b], ==, want->by_sex_age[sx][b]);
      }
  for (guint n = 0; n < SD_N_NEEDS; n++)
    {
      g_test_message ("need %u", n);
      g_assert_cmpuint (got->needs[n], ==, want->needs[n]);
    }
  g_assert_cmpuint (got->stays.in_shelter, ==, want->stays.in_shelter);
  g_assert_cmpuint (got->stays.out_now, ==, want->stays.out_now);
  g_assert_cmpuint (got->stays.at_home, ==, want->stays.at_home);
  g_assert_cmpuint (got->stays.in_vehicle, ==, want->stays.in_vehicle);
  g_assert_cmpuint (got->stays.at_relatives, ==, want->stays.at_relatives);
}

static void
test_kept_counts_equal_a_recount (Fixture *f, gconstpointer data)
{
  /* Ages on both sides of every band's edge, with the birthday today
   * and tomorrow; then no date, a date in the future, and text that is
   * not a date (as an import from another system could leave). */
  static const int ages[] = { 0, 1, 5, 6, 14, 15, 64, 65, 74, 75, 101 };
  static const SdSex sexes[] = { SD_SEX_UNKNOWN, SD_SEX_MALE, SD_SEX_FEMALE, SD_SEX_NOT_APPLICABLE };
  static const SdStay stays[] = { SD_STAY_SHELTER, SD_STAY_SHELTER, SD_STAY_HOME, SD_STAY_VEHICLE, SD_STAY_RELATIVES };
  static const char *const pets[] = { NULL, "犬", NULL, "猫" };
  const char *shelters[] = { sd_shelter_get_id (f->east), sd_shelter_get_id (f->west) };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) everyone = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) births = g_ptr_array_new_with_free_func (g_free);
  guint person = 0, household = 0;

  for (guint a = 0; a < G_N_ELEMENTS (ages); a++)
    for (int days = 0; days <= (ages[a] > 0); days++)  /* born tomorrow is not yet */
      g_ptr_array_add (births, born (ages[a], days));
  g_ptr_array_add (births, NULL);

  /* Households of one to four, every sex born on every date, twice
   * over (what happens to them next depends on where they come), every
   * need. */
  for (guint i = 0, total = 2 * births->len * G_N_ELEMENTS (sexes); i < total; household++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *h = NULL;
      SdPersonSpec members[4];
      guint n = MIN (1 + household % 4, total - i);
      SdHouseholdSpec hh = { .shelter_id = shelters[household % 2], .stay = stays[household % G_N_ELEMENTS (stays)],
                             .pets = pets[household % G_N_ELEMENTS (pets)], .pets_count = household % 3 == 2,
                             .check_in = stays[household % G_N_ELEMENTS (stays)] == SD_STAY_SHELTER };

      for (guint k = 0; k < n; k++, i++)
        {
          guint need = i % 10;

          members[k] = (SdPersonSpec) {
            .name = "試験 太郎", .birth_date = g_ptr_array_index (births, i % births->len),
            .sex = sexes[i / births->len % G_N_ELEMENTS (sexes)],
            .allergies = need == 0 ? "卵" : NULL, .illness = need == 1 ? "喘息" : NULL,
            .pregnant = need == 2, .disability = need == 3 ? "聴覚" : NULL,
            .care_level = need == 4 ? SD_CARE_3 : SD_CARE_NONE, .mobility = need == 5 ? "杖" : NULL,
            .language = need == 6 ? "vi" : need == 7 ? "ja" : NULL,
          };
        }
      h = sd_store_add_household (f->store, &hh, members, n, ids, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < ids->len; k++)
        g_ptr_array_add (everyone, g_strdup (g_ptr_array_index (ids, k)));
    }

  /* Then people move: out for now, back, gone, over to the other
   * shelter (splitting a household), or in from home. */
  for (person = 0; person < everyone->len; person++)
    {
      const char *id = g_ptr_array_index (everyone, person);
      g_autoptr(SdPerson) p = sd_store_get_person (f->store, id, &error);
      SdPersonStatus status = sd_person_get_status (p);
      const char *here = sd_person_get_shelter_id (p);
      const char *other = g_strcmp0 (here, shelters[0]) == 0 ? shelters[1] : shelters[0];
      g_autofree char *e1 = NULL, *e2 = NULL;

      g_assert_no_error (error);
      if (status == SD_PERSON_STATUS_IN && person % 5 == 1)
        e1 = sd_store_record_event (f->store, id, SD_EVENT_GO_OUT, here, NULL, &error);
      else if (status == SD_PERSON_STATUS_IN && person % 5 == 2)
        {
          e1 = sd_store_record_event (f->store, id, SD_EVENT_GO_OUT, here, NULL, &error);
          e2 = sd_store_record_event (f->store, id, SD_EVENT_RETURN, here, NULL, &error);
        }
      else if (status == SD_PERSON_STATUS_IN && person % 5 == 3)
        e1 = sd_store_record_event (f->store, id, SD_EVENT_LEAVE, here, NULL, &error);
      else if (status == SD_PERSON_STATUS_IN && person % 5 == 4)
        e1 = sd_store_record_event (f->store, id, SD_EVENT_ARRIVE, other, NULL, &error);
      else if (status != SD_PERSON_STATUS_IN && person % 3 != 1)
        e1 = sd_store_record_event (f->store, id, SD_EVENT_ARRIVE, shelters[person % 2], NULL, &error);
      g_assert_no_error (error);
    }

  /* What an import could leave that the desk would not write. */
  {
    g_autofree char *future = born (-1, 0);
    g_autofree char *sql = g_strdup_printf ("UPDATE persons SET birth_date = '%s' WHERE sex = 'male' "
                                            "AND birth_date IS NULL", future);
    exec (f->store, sql);
    exec (f->store, "UPDATE persons SET birth_date = 'unknown' WHERE sex = 'female' AND birth_date IS NULL");
    exec (f->store, "UPDATE persons SET birth_date = '' WHERE sex = 'not_applicable' AND birth_date IS NULL");
    /* A day no month has, which the report has always read as a date; a
     * month and a year that it never has. */
    exec (f->store, "UPDATE persons SET birth_date = '2001-02-30' WHERE id = "
                    "(SELECT min (id) FROM persons WHERE sex = 'unknown' AND birth_date IS NULL)");
    exec (f->store, "UPDATE persons SET birth_date = '1990-13-01' WHERE id = "
                    "(SELECT min (id) FROM persons WHERE sex = 'unknown' AND birth_date IS NULL)");
    exec (f->store, "UPDATE persons SET birth_date = '0000-05-05' WHERE id = "
                    "(SELECT min (id) FROM persons WHERE sex = 'female' AND birth_date = 'unknown')");
  }

  sd_store_check (f->store, &error);
  g_assert_no_error (error);
  for (int c = -1; c < 2; c++)
    {
      const char *scope = c < 0 ? NULL : shelters[c];
      g_autoptr(SdShelterStatus) got = sd_store_compute_shelter_status (f->store, scope, &error);
      g_autoptr(SdShelterStatus) want = recount (f->store, scope);

      g_assert_no_error (error);
      g_test_message ("shelter %s", scope ? scope : "(all)");
      assert_same_counts (got, want);
    }

  /* And the population really is varied, so that equal is not trivial. */
  {
    g_autoptr(SdShelterStatus) all = recount (f->store, NULL);

    for (guint n = 0; n < SD_N_NEEDS; n++)
      g_assert_cmpuint (all->needs[n], >, 0);
    for (guint sx = 0; sx <= SD_SEX_NOT_APPLICABLE; sx++)
      for (guint b = 0; b < SD_N_AGE_BANDS; b++)
        {
          g_test_message ("varied: sex %u, band %u", sx, b);
          g_assert_cmpuint (all->by_sex_age[sx][b], >, 0);
        }
    g_assert_cmpuint (all->stays.out_now, >, 0);
    g_assert_cmpuint (all->stays.at_home * all->stays.in_vehicle * all->stays.at_relatives, >, 0);
    g_assert_cmpuint (all->households_with_pets, >, 0);
    g_assert_cmpuint (all->households_with_pets, <, all->households);
  }
}

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/* The line of pdftotext's layout that holds LABEL, or NULL. */
static char *
line_with (const char *text,
           const char *label)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], label) != NULL)
      return g_strdup (lines[i]);
  return NULL;
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdShelterConditionSpec spec = { .shelter_id = sd_shelter_get_id (f->east),
                                  .lifelines = { SD_LIFELINE_STATE_OUT, SD_LIFELINE_STATE_LIMITED,
                                                 SD_LIFELINE_STATE_UNKNOWN, SD_LIFELINE_STATE_UNKNOWN,
                                                 SD_LIFELINE_STATE_OK } };
  g_autofree char *condition = sd_store_record_shelter_condition (f->store, &spec, &error);
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);
  g_autofree char *pdf = g_build_filename (f->dir, "status.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "page", NULL);
  g_autofree char *png = g_build_filename (f->dir, "page-1.png", NULL);
  g_autofree char *text = NULL;
  const char *shots = g_getenv ("SD_SCREENSHOT_DIR");

  g_assert_true (sd_shelter_status_write_pdf (s, pdf, &error));
  g_assert_no_error (error);
  if (sd_test_readers_unavailable ())
    return;

  {
    const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
    g_assert_true (run (argv, &text));
  }
  g_assert_nonnull (strstr (text, "Shelter status report"));
  g_assert_nonnull (strstr (text, "東小学校"));
  g_assert_nonnull (strstr (text, "People staying: 5"));
  g_assert_nonnull (strstr (text, "Households: 2"));
  /* Issue 12, 8: a long state stays on its own row (it wrapped into the
   * next one, over "Unknown"), and the spaces between words are there. */
  {
    g_autofree char *water = line_with (text, "Water");
    g_autofree char *gas = line_with (text, "Gas");

    g_assert_nonnull (condition);
    g_assert_nonnull (water);
    g_assert_nonnull (strstr (water, "Partly working"));
    g_assert_nonnull (gas);
    g_assert_nonnull (strstr (gas, "Unknown"));
    g_assert_null (strstr (gas, "working"));
    g_assert_nonnull (strstr (text, "In the shelter now"));
    g_assert_nonnull (strstr (text, "Chronic illness"));
  }

  {
    const char *argv[] = { "pdftoppm", "-png", "-r", "60", pdf, prefix, NULL };
    g_assert_true (run (argv, NULL));
  }
  g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
  if (shots != NULL)
    {
      g_autofree char *dest = g_build_filename (shots, "report-status.png", NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_mkdir_with_parents (shots, 0755);
      g_assert_true (g_file_get_contents (png, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (dest, contents, len, NULL));
    }
}

static void
test_pdf_in_missing_folder (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, NULL, &error);
  g_autofree char *pdf = g_build_filename (f->dir, "no", "such", "folder", "status.pdf", NULL);

  g_assert_false (sd_shelter_status_write_pdf (s, pdf, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/report/counts-one-shelter", test_counts_one_shelter);
  ADD ("/report/counts-all-shelters", test_counts_all_shelters);
  ADD ("/report/kept-counts-equal-a-recount", test_kept_counts_equal_a_recount);
  ADD ("/report/condition", test_condition);
  ADD ("/report/csv", test_csv);
  ADD ("/report/pdf", test_pdf);
  ADD ("/report/pdf-in-missing-folder", test_pdf_in_missing_folder);
#undef ADD
  return g_test_run ();
}
