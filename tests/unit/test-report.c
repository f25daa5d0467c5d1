/* test-report.c: the shelter status report's counts, its CSV, and its PDF read back by poppler.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"

#include <glib/gstdio.h>
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

static gboolean
run (const char *const *argv, char **out)
{
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, NULL, &status, &error))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

static void
test_pdf (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterStatus) s = sd_store_compute_shelter_status (f->store, sd_shelter_get_id (f->east), &error);
  g_autofree char *pdf = g_build_filename (f->dir, "status.pdf", NULL);
  g_autofree char *prefix = g_build_filename (f->dir, "page", NULL);
  g_autofree char *png = g_build_filename (f->dir, "page-1.png", NULL);
  g_autofree char *text = NULL;
  const char *shots = g_getenv ("SD_SCREENSHOT_DIR");

  g_assert_true (sd_shelter_status_write_pdf (s, pdf, &error));
  g_assert_no_error (error);

  {
    const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };
    g_assert_true (run (argv, &text));
  }
  g_assert_nonnull (strstr (text, "Shelter status report"));
  g_assert_nonnull (strstr (text, "東小学校"));
  g_assert_nonnull (strstr (text, "People staying: 5"));
  g_assert_nonnull (strstr (text, "Households: 2"));

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
  ADD ("/report/condition", test_condition);
  ADD ("/report/csv", test_csv);
  ADD ("/report/pdf", test_pdf);
  ADD ("/report/pdf-in-missing-folder", test_pdf_in_missing_folder);
#undef ADD
  return g_test_run ();
}
