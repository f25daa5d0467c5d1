/* test-seed.c: unit tests for loading the demo seeds and for what a bad seed folder does.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo folder is found through SD_SEEDS_DIR (set by meson test), else
 * through SD_SOURCE_DIR when the build defines it, else next to the test.
 * Broken seed folders are written into a temporary directory, so each
 * test shows one problem and that it leaves the database untouched.
 */
/* symlink() is POSIX, not C17. */
#define _POSIX_C_SOURCE 200809L

#include <glib/gstdio.h>
#include <string.h>

#include "sd-core.h"
#include "sd-store-private.h"

#ifdef G_OS_UNIX
# include <unistd.h>
#endif

typedef struct {
  char    *tmp_dir;
  SdStore *store;
} Fixture;

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;

  f->tmp_dir = g_dir_make_tmp ("sd-test-seed-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (f->tmp_dir, "site.sqlite", NULL);
  f->store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->tmp_dir);
  g_free (f->tmp_dir);
}

static char *
demo_seeds_dir (void)
{
  const char *env = g_getenv ("SD_SEEDS_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
#ifdef SD_SOURCE_DIR
  return g_build_filename (SD_SOURCE_DIR, "seeds", NULL);
#else
  return g_test_build_filename (G_TEST_DIST, "..", "..", "seeds", NULL);
#endif
}

/* A seed folder named NAME inside the fixture's directory, holding the
 * given files as (file name, contents) pairs ending with NULL. */
static char *
write_seed_dir (Fixture    *f,
                const char *name,
                ...)
{
  g_autofree char *dir = g_build_filename (f->tmp_dir, name, NULL);
  const char *file;
  va_list args;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);

  va_start (args, name);
  while ((file = va_arg (args, const char *)) != NULL)
    {
      const char *contents = va_arg (args, const char *);
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autoptr(GError) error = NULL;

      g_file_set_contents (path, contents, -1, &error);
      g_assert_no_error (error);
    }
  va_end (args);

  return g_steal_pointer (&dir);
}

static SdStoreCounts
get_counts (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  SdStoreCounts counts = { 0 };

  g_assert_true (sd_store_get_counts (store, &counts, &error));
  g_assert_no_error (error);
  return counts;
}

static void
assert_counts_equal (const SdStoreCounts *a,
                     const SdStoreCounts *b)
{
  g_assert_cmpuint (a->shelters, ==, b->shelters);
  g_assert_cmpuint (a->households, ==, b->households);
  g_assert_cmpuint (a->persons, ==, b->persons);
  g_assert_cmpuint (a->events, ==, b->events);
  g_assert_cmpuint (a->staff, ==, b->staff);
  g_assert_cmpuint (a->support_persons, ==, b->support_persons);
  g_assert_cmpuint (a->oplog, ==, b->oplog);
}

static void
load_demo (Fixture       *f,
           SdSeedSummary *summary)
{
  g_autofree char *dir = demo_seeds_dir ();
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_seed_load (f->store, dir, summary, &error));
  g_assert_no_error (error);
}

/* One text column of the support-list row with EXTERNAL_ID. */
static char *
support_column (SdStore    *store,
                const char *external_id,
                const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM support_persons WHERE external_id = ?1", column);
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, external_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
has_half_width_kana (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF61 && c <= 0xFF9F)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_iso_date (const char *text)
{
  return text != NULL && g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", text, 0, 0);
}

/* ---- the demo ---- */

static void
test_demo_counts (Fixture       *f,
                  gconstpointer  data)
{
  SdSeedSummary summary = { 0 };
  SdStoreCounts counts;

  load_demo (f, &summary);

  g_assert_cmpuint (summary.shelters, ==, 12);
  g_assert_cmpuint (summary.staff, >=, 250);
  g_assert_cmpuint (summary.staff, <=, 350);
  g_assert_cmpuint (summary.support_persons, >=, 130);
  g_assert_cmpuint (summary.support_persons, <=, 170);
  g_assert_cmpuint (summary.households, >=, 50);
  g_assert_cmpuint (summary.persons, >=, 120);
  g_assert_cmpuint (summary.events, >=, summary.persons / 2);

  /* What the loader says it did is what the database holds. */
  counts = get_counts (f->store);
  g_assert_cmpuint (counts.shelters, ==, summary.shelters);
  g_assert_cmpuint (counts.staff, ==, summary.staff);
  g_assert_cmpuint (counts.support_persons, ==, summary.support_persons);
  g_assert_cmpuint (counts.households, ==, summary.households);
  g_assert_cmpuint (counts.persons, ==, summary.persons);
  g_assert_cmpuint (counts.events, ==, summary.events);

  g_assert_true (sd_store_get_is_demo (f->store));
  /* Tidied on load like every other text (NFKC: full-width brackets become ASCII). */
  g_assert_cmpstr (sd_store_get_site_name (f->store), ==, "みなと川市 災害対策本部(デモ)");
}

static void
test_demo_shelters (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelter) s01 = NULL;
  g_autoptr(SdShelter) s09 = NULL;
  g_autoptr(SdShelter) s12 = NULL;

  load_demo (f, NULL);

  s01 = sd_store_find_shelter (f->store, "S01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_shelter_get_kind (s01), ==, SD_SHELTER_KIND_DESIGNATED);
  g_assert_cmpint (sd_shelter_get_capacity (s01), >, 0);
  /* Evacuees who arrived and did not leave are in S01's occupancy. */
  g_assert_cmpuint (sd_store_count_occupancy (f->store, sd_shelter_get_id (s01), &error), >, 0);
  g_assert_no_error (error);

  s09 = sd_store_find_shelter (f->store, "S09", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_shelter_get_kind (s09), ==, SD_SHELTER_KIND_WELFARE);

  s12 = sd_store_find_shelter (f->store, "S12", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_shelter_get_kind (s12), ==, SD_SHELTER_KIND_TEMPORARY);
}

/* The welfare system's CP932 export comes out like the clean file:
 * full-width kana, ISO dates from era dates, ASCII digits, 男/女 and
 * 有/無 mapped, and CP932-only kanji intact. */
static void
test_demo_welfare_export (Fixture       *f,
                          gconstpointer  data)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  guint n_rows = 0;
  g_autofree char *kana = NULL;
  g_autofree char *name = NULL;
  g_autofree char *taisho = NULL;
  g_autofree char *showa_1 = NULL;
  g_autofree char *initial = NULL;
  g_autofree char *full_width = NULL;
  g_autofree char *address = NULL;
  g_autofree char *sex = NULL;

  load_demo (f, NULL);

  db = _sd_store_get_db (f->store);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT kana, birth_date, address, phone, sex FROM support_persons "
                                       "WHERE external_id GLOB '3[0-9][0-9][0-9][0-9]'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *row_kana = (const char *) sqlite3_column_text (stmt, 0);
      const char *birth_date = (const char *) sqlite3_column_text (stmt, 1);
      const char *row_address = (const char *) sqlite3_column_text (stmt, 2);
      const char *phone = (const char *) sqlite3_column_text (stmt, 3);
      const char *row_sex = (const char *) sqlite3_column_text (stmt, 4);

      n_rows++;
      g_assert_nonnull (row_kana);
      g_assert_false (has_half_width_kana (row_kana));
      g_assert_true (is_iso_date (birth_date));
      g_assert_null (strstr (row_address, "１"));
      g_assert_true (phone == NULL || strstr (phone, "０") == NULL);
      g_assert_true (g_str_equal (row_sex, "male") || g_str_equal (row_sex, "female"));
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_rows, ==, 30);

  /* Rows the generator writes on purpose (see generate-seeds.py). */
  kana = support_column (f->store, "30000", "kana");
  g_assert_cmpstr (kana, ==, "タナカ ミヨコ");
  name = support_column (f->store, "30039", "name");
  g_assert_cmpstr (name, ==, "髙橋 美代子");
  taisho = support_column (f->store, "30104", "birth_date");
  g_assert_cmpstr (taisho, ==, "1923-11-03");     /* 大正12年11月3日 */
  showa_1 = support_column (f->store, "30273", "birth_date");
  g_assert_cmpstr (showa_1, ==, "1926-12-28");    /* 昭和元年12月28日 */
  initial = support_column (f->store, "30013", "birth_date");
  g_assert_cmpstr (initial, ==, "1955-07-14");    /* S30.7.14 */
  full_width = support_column (f->store, "30182", "birth_date");
  g_assert_cmpstr (full_width, ==, "1937-12-26"); /* 昭和１２年１２月２６日 */
  address = support_column (f->store, "30026", "address");
  g_assert_cmpstr (address, ==, "みなと川市若葉台1丁目17-3 みなと川ハイツ205号室");
  sex = support_column (f->store, "30104", "sex");
  g_assert_cmpstr (sex, ==, "male");
}

static void
assert_sign_in (SdStore    *store,
                const char *staff_no,
                const char *pin,
                SdRole      role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) staff = sd_store_sign_in (store, staff_no, pin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (staff);
  g_assert_cmpstr (sd_staff_get_staff_no (staff), ==, staff_no);
  g_assert_cmpint (sd_staff_get_role (staff), ==, role);
}

static void
test_demo_sign_in (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStaff) wrong = NULL;
  g_autoptr(SdStaff) other = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *no_pin = NULL;

  load_demo (f, NULL);

  assert_sign_in (f->store, "1001", "123456", SD_ROLE_LEAD);
  assert_sign_in (f->store, "1002", "1111", SD_ROLE_VOLUNTEER);
  assert_sign_in (f->store, "1003", "999999", SD_ROLE_HQ);

  wrong = sd_store_sign_in (f->store, "1001", "4321", &error);
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_WRONG_PIN);
  g_assert_null (wrong);
  g_clear_error (&error);

  /* Only the three demo accounts can sign in at all. */
  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->store),
                                       "SELECT count(*), (SELECT staff_no FROM staff WHERE id NOT IN "
                                       "  (SELECT staff_id FROM staff_pins) LIMIT 1) FROM staff_pins",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);
  no_pin = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);

  other = sd_store_sign_in (f->store, no_pin, "1234", &error);
  g_assert_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NO_PIN);
  g_assert_null (other);
}

/* ---- bad seed folders ---- */

static const char good_manifest[] =
  "{\"format\": 1, \"site_name\": \"Good\", \"files\": ["
  "  {\"kind\": \"shelters\", \"path\": \"shelters.csv\"}]}";

static const char good_shelters[] =
  "code,name,kind,capacity,address\n"
  "A01,First school,designated,100,\n";

/* Loads a small good seed first, so "unchanged" means more than "empty". */
static SdStoreCounts
load_good (Fixture *f)
{
  g_autofree char *dir = write_seed_dir (f, "good",
                                         "manifest.json", good_manifest,
                                         "shelters.csv", good_shelters,
                                         NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_seed_load (f->store, dir, NULL, &error));
  g_assert_no_error (error);
  return get_counts (f->store);
}

/* Loading DIR fails with DOMAIN/CODE, a message starting with PREFIX, and
 * the database (and its site name) as it was. */
static void
assert_load_fails (Fixture    *f,
                   const char *dir,
                   GQuark      domain,
                   int         code,
                   const char *prefix)
{
  SdStoreCounts before = get_counts (f->store);
  SdStoreCounts after;
  g_autofree char *site_name = g_strdup (sd_store_get_site_name (f->store));
  gboolean is_demo = sd_store_get_is_demo (f->store);
  SdSeedSummary summary = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_seed_load (f->store, dir, &summary, &error));
  g_assert_error (error, domain, code);
  g_test_message ("error: %s", error->message);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);

  after = get_counts (f->store);
  assert_counts_equal (&before, &after);
  g_assert_cmpstr (sd_store_get_site_name (f->store), ==, site_name);
  g_assert_cmpint (sd_store_get_is_demo (f->store), ==, is_demo);
}

static void
test_bad_date (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *dir = NULL;

  load_good (f);
  dir = write_seed_dir (f, "bad",
                        "manifest.json",
                        "{\"format\": 1, \"site_name\": \"Bad\", \"files\": ["
                        "  {\"kind\": \"shelters\", \"path\": \"shelters.csv\"},"
                        "  {\"kind\": \"support\", \"path\": \"support.csv\"}]}",
                        "shelters.csv",
                        "code,name,kind,capacity,address\n"
                        "B01,Second school,designated,200,\n"
                        "B02,Park,temporary,,\n",
                        "support.csv",
                        "external_id,name,kana,sex,birth_date,address,phone,reason,consent_share\n"
                        "1,Person One,,1,1950-01-06,,,,1\n"
                        "2,Person Two,,2,昭和25年1月6日,,,,0\n"
                        "3,Person Three,,2,1950-02-30,,,,1\n"
                        "4,Person Four,,1,1950-01-06,,,,1\n",
                        NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "support.csv, line 4: ");
}

static void
test_bad_date_cp932 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *dir = NULL;
  gsize len = 0;

  /* Excel's CRLF and CP932, with a quoted field spanning two lines, so
   * the line named is the file's line and not the row's number. */
  csv = g_convert ("管理番号,氏名,ﾌﾘｶﾞﾅ,性別,生年月日,情報提供同意\r\n"
                   "1,山田　太郎,ﾔﾏﾀﾞ ﾀﾛｳ,男,S25.1.6,有\r\n"
                   "2,\"髙橋\r\n花子\",ﾀｶﾊｼ ﾊﾅｺ,女,昭和64年1月8日,無\r\n",
                   -1, "CP932", "UTF-8", NULL, &len, &error);
  g_assert_no_error (error);
  dir = write_seed_dir (f, "bad-cp932",
                        "manifest.json",
                        "{\"format\": 1, \"files\": ["
                        "  {\"kind\": \"support\", \"path\": \"welfare.csv\","
                        "   \"columns\": {\"氏名\": \"name\", \"フリガナ\": \"kana\", \"性別\": \"sex\","
                        "                 \"生年月日\": \"birth_date\", \"情報提供同意\": \"consent_share\"}}]}",
                        NULL);
  {
    g_autofree char *path = g_build_filename (dir, "welfare.csv", NULL);

    g_file_set_contents (path, csv, len, &error);
    g_assert_no_error (error);
  }

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "welfare.csv, line 3: ");
}

static void
test_missing_manifest (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "empty", NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, "There is no manifest.json");
}

static void
test_missing_file (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "no-file",
                                         "manifest.json",
                                         "{\"format\": 1, \"files\": ["
                                         "  {\"kind\": \"staff\", \"path\": \"staff.csv\"}]}",
                                         NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, "manifest.json, file 1: “staff.csv”");
}

static void
test_unknown_kind (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *dir = NULL;

  load_good (f);
  dir = write_seed_dir (f, "pets",
                        "manifest.json",
                        "{\"format\": 1, \"files\": ["
                        "  {\"kind\": \"shelters\", \"path\": \"shelters.csv\"},"
                        "  {\"kind\": \"pets\", \"path\": \"pets.csv\"}]}",
                        "shelters.csv", "code,name,kind\nC01,Hall,designated\n",
                        "pets.csv", "name\nPochi\n",
                        NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "manifest.json, file 2: “pets”");
}

static void
test_missing_column (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "no-kind",
                                         "manifest.json", good_manifest,
                                         "shelters.csv", "code,name,capacity\nA01,School,100\n",
                                         NULL);
  SdStoreCounts before = get_counts (f->store);
  g_autoptr(GError) error = NULL;

  g_assert_false (sd_seed_load (f->store, dir, NULL, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING);
  g_assert_true (g_str_has_prefix (error->message, "shelters.csv, line 1: "));
  g_assert_nonnull (strstr (error->message, "“kind”"));
  {
    SdStoreCounts after = get_counts (f->store);

    assert_counts_equal (&before, &after);
  }
}

static void
test_empty_required_field (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "no-name",
                                         "manifest.json", good_manifest,
                                         "shelters.csv",
                                         "code,name,kind\nA01,School,designated\nA02,  ,designated\n",
                                         NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, "shelters.csv, line 3: ");
}

static void
test_unknown_shelter (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = NULL;

  load_good (f);
  dir = write_seed_dir (f, "no-shelter",
                        "manifest.json",
                        "{\"format\": 1, \"files\": ["
                        "  {\"kind\": \"evacuees\", \"path\": \"evacuees.json\"}]}",
                        "evacuees.json",
                        "{\"households\": ["
                        "  {\"shelter\": \"A01\", \"stay\": \"shelter\","
                        "   \"members\": [{\"name\": \"One\", \"sex\": \"1\"}], \"events\": [\"arrive\"]},"
                        "  {\"shelter\": \"S99\", \"stay\": \"shelter\","
                        "   \"members\": [{\"name\": \"Two\"}], \"events\": [\"arrive\"]}]}",
                        NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "evacuees.json, household 2: ");
}

static const char evacuees_manifest[] =
  "{\"format\": 1, \"files\": [{\"kind\": \"evacuees\", \"path\": \"evacuees.json\"}]}";

/* An evacuees file is read by the same strict reader as evacuee add:
 * each of these is refused, naming the file, household, member and field. */
static void
test_evacuees_strict (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *json; const char *prefix; const char *words; } cases[] = {
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\","
      "  \"members\": [{\"name\": \"One\", \"phone\": 9012345678}]}]}",
      "evacuees.json, household 1: member 1: ", "“phone”" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\", \"phone\": 9012345678,"
      "  \"members\": [{\"name\": \"One\"}]}]}",
      "evacuees.json, household 1: household: ", "“phone”" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\", \"adress\": \"x\","
      "  \"members\": [{\"name\": \"One\"}]}]}",
      "evacuees.json, household 1: ", "“adress”" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\","
      "  \"members\": [{\"name\": \"One\"}, {\"name\": \"Two\", \"adress\": \"x\"}]}]}",
      "evacuees.json, household 1: member 2: ", "“adress”" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\","
      "  \"members\": [{\"name\": \"One\", \"consent_disclose\": \"true\"}]}]}",
      "evacuees.json, household 1: member 1: ", "“consent_disclose”" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\","
      "  \"members\": [{\"name\": \"O\\u202ene\"}]}]}",
      "evacuees.json, household 1: member 1: ", "U+202E" },
    { "{\"households\": [{\"shelter\": \"A01\", \"stay\": \"shelter\","
      "  \"members\": [{\"name\": \"O\\u0000ne\"}]}]}",
      "evacuees.json, household 1: member 1: ", "U+0000" },
    { "{\"households\": []}{\"households\": []}", "evacuees.json: ", "more after the end" },
    { "{\"households\": [], \"househods\": []}", "evacuees.json: ", "“househods”" },
    { "", "evacuees.json: ", "empty" },
  };

  load_good (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("strict-%u", i);
      g_autofree char *dir = write_seed_dir (f, name,
                                             "manifest.json", evacuees_manifest,
                                             "evacuees.json", cases[i].json,
                                             NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (sd_seed_load (f->store, dir, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == SD_DATA_ERROR);
      g_test_message ("%s", error->message);
      if (!g_str_has_prefix (error->message, cases[i].prefix) || strstr (error->message, cases[i].words) == NULL)
        g_error ("case %u: “%s” does not start with “%s” and say “%s”", i, error->message,
                 cases[i].prefix, cases[i].words);
    }
}

/* An empty manifest says so, with no library warning around it. */
static void
test_empty_manifest (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "empty-manifest", "manifest.json", "", NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, "manifest.json: it is empty");
}

static const char support_manifest[] =
  "{\"format\": 1, \"files\": [{\"kind\": \"support\", \"path\": \"support.csv\"}]}";

#define SUPPORT_HEADER "external_id,name,kana,sex,birth_date,address,phone,reason,consent_share\n"

/* A row with a field missing would load shifted (the phone as the
 * address, the reason as the phone); one with a field too many would
 * drop it.  Both are refused, naming the file and the line. */
static void
test_row_width (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *short_dir = NULL;
  g_autofree char *long_dir = NULL;

  load_good (f);
  short_dir = write_seed_dir (f, "short-row", "manifest.json", support_manifest,
                              "support.csv",
                              SUPPORT_HEADER
                              "1,Person One,,1,1950-01-06,Town 1,090-0000-0001,care1,1\n"
                              "2,Person Two,,2,1950-01-06,090-0000-3212,care1,1\n",
                              NULL);
  assert_load_fails (f, short_dir, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, "support.csv, line 3: ");
  long_dir = write_seed_dir (f, "long-row", "manifest.json", support_manifest,
                             "support.csv",
                             SUPPORT_HEADER
                             "1,Person One,,1,1950-01-06,Town 1,090-0000-0001,care1,1,extra\n",
                             NULL);
  assert_load_fails (f, long_dir, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, "support.csv, line 2: ");
}

static void
test_duplicate_external_id (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dir = NULL;

  load_good (f);
  dir = write_seed_dir (f, "dup-id", "manifest.json", support_manifest,
                        "support.csv",
                        SUPPORT_HEADER
                        "M1,Person One,,1,1950-01-06,,,,1\n"
                        "M2,Person Two,,1,1950-01-06,,,,1\n"
                        "M1,Person Three,,2,1950-01-06,,,,1\n",
                        NULL);
  assert_load_fails (f, dir, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS, "support.csv, line 4: ");
}

/* Codes are compared without case: "s01" beside "S01" is one code twice. */
static void
test_shelter_code_case (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *later = NULL;

  load_good (f);
  dir = write_seed_dir (f, "code-case", "manifest.json", good_manifest,
                        "shelters.csv", "code,name,kind\nB01,Hall,designated\nb01,Other hall,designated\n",
                        NULL);
  assert_load_fails (f, dir, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS, "shelters.csv, line 3: ");
  /* And against one the database already has. */
  later = write_seed_dir (f, "code-case-later", "manifest.json", good_manifest,
                          "shelters.csv", "code,name,kind\na01,Hall,designated\n",
                          NULL);
  assert_load_fails (f, later, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS, "shelters.csv, line 2: ");
}

/* A UTF-8 file the manifest calls CP932 would be stored as mojibake
 * (渡辺 健 as 貂。霎コ 蛛・): refused, naming the file. */
static void
test_utf8_labelled_cp932 (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *dir = write_seed_dir (f, "mislabelled", "manifest.json",
                                         "{\"format\": 1, \"files\": [{\"kind\": \"support\", "
                                         "\"path\": \"welfare.csv\", \"encoding\": \"CP932\"}]}",
                                         "welfare.csv", SUPPORT_HEADER "1,渡辺 健,,1,,,,,1\n",
                                         NULL);

  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING, "welfare.csv: ");
}

/* A link inside the folder may not lead out of it: the manifest is data,
 * and data must not send the loader reading elsewhere. */
static void
test_symlink_outside (Fixture       *f,
                      gconstpointer  data)
{
#ifdef G_OS_UNIX
  g_autofree char *outside = write_seed_dir (f, "outside", "staff.csv", "staff_no,name\n7777,Someone Else\n", NULL);
  g_autofree char *dir = write_seed_dir (f, "linked", "manifest.json",
                                         "{\"format\": 1, \"files\": [{\"kind\": \"staff\", \"path\": \"staff.csv\"}]}",
                                         NULL);
  g_autofree char *target = g_build_filename (outside, "staff.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "staff.csv", NULL);
  g_autofree char *dir2 = write_seed_dir (f, "linked-manifest", NULL);
  g_autofree char *manifest_target = g_build_filename (outside, "manifest.json", NULL);
  g_autofree char *manifest_link = g_build_filename (dir2, "manifest.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink (target, link), ==, 0);
  assert_load_fails (f, dir, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "manifest.json, file 1: ");

  g_file_set_contents (manifest_target, "{\"format\": 1, \"files\": []}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (symlink (manifest_target, manifest_link), ==, 0);
  assert_load_fails (f, dir2, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "manifest.json: ");
#else
  g_test_skip ("symbolic links are a Unix test");
#endif
}

/* The demo's manifest says "demo": loading it into a database with real
 * shelters, staff or evacuees would make that database sign in without
 * a PIN.  Refused; a new or demo database takes it. */
static void
test_demo_into_real_database (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *demo = demo_seeds_dir ();
  g_autoptr(GError) error = NULL;

  load_good (f);
  g_assert_false (sd_store_get_is_demo (f->store));
  assert_load_fails (f, demo, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, "The seed folder is a demo");
  g_assert_false (sd_store_get_is_demo (f->store));
}

/* A shelter loaded by an earlier seed is found by its code. */
static void
test_shelter_from_database (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  SdSeedSummary summary = { 0 };

  load_good (f);
  dir = write_seed_dir (f, "later",
                        "manifest.json",
                        "{\"format\": 1, \"files\": ["
                        "  {\"kind\": \"evacuees\", \"path\": \"evacuees.json\"}]}",
                        "evacuees.json",
                        "{\"households\": ["
                        "  {\"shelter\": \"A01\", \"stay\": \"shelter\","
                        "   \"members\": [{\"name\": \"One\"}, {\"name\": \"Two\"}],"
                        "   \"events\": [\"arrive\", \"go_out\"]}]}",
                        NULL);

  g_assert_true (sd_seed_load (f->store, dir, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.shelters, ==, 0);
  g_assert_cmpuint (summary.households, ==, 1);
  g_assert_cmpuint (summary.persons, ==, 2);
  g_assert_cmpuint (summary.events, ==, 4);
}

/* Plans: the demo's are all loaded (every plan and contact in the file);
 * a plan for a number not on the list, an unknown assist code or
 * contact kind refuses the folder, naming the file and the plan. */
static void
test_support_plans (Fixture       *f,
                    gconstpointer  data)
{
  static const char manifest[] =
    "{\"format\": 1, \"files\": ["
    "  {\"kind\": \"shelters\", \"path\": \"shelters.csv\"},"
    "  {\"kind\": \"support\", \"path\": \"support.csv\"},"
    "  {\"kind\": \"support-plans\", \"path\": \"plans.json\"}]}";
  static const char support[] =
    "external_id,name,kana,sex,birth_date,address\n"
    "W1,山田 花子,ヤマダ ハナコ,2,1940-02-03,みなと川市北町1丁目2-3\n";
  static const struct { const char *plans; const char *says; } bad[] = {
    { "{\"plans\": [{\"person\": \"W9\"}]}", "plans.json, plan 1: " },
    { "{\"plans\": [{\"person\": \"W1\", \"assist\": [\"jetpack\"]}]}", "plans.json, plan 1: " },
    { "{\"plans\": [{\"person\": \"W1\", \"shelter\": \"Z99\"}]}", "plans.json, plan 1: " },
    { "{\"plans\": [{\"person\": \"W1\", \"contacts\": [{\"kind\": \"friend\", \"name\": \"A\"}]}]}",
      "plans.json, plan 1: contact 1: " },
    { "{\"plans\": [{\"person\": \"W1\", \"colour\": \"red\"}]}", "plans.json, plan 1: " },
  };
  g_autofree char *demo = demo_seeds_dir ();
  g_autofree char *plans_path = g_build_filename (demo, "support-plans.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  SdSeedSummary summary = { 0 };
  guint plans = 0, contacts = 0;

  load_demo (f, &summary);
  /* As many as the file holds: count its plans and contact names. */
  g_assert_true (g_file_get_contents (plans_path, &text, NULL, &error));
  for (const char *p = text; (p = strstr (p, "\"person\"")) != NULL; p++)
    plans++;
  for (const char *p = text; (p = strstr (p, "\"kind\"")) != NULL; p++)
    contacts++;
  g_assert_cmpuint (summary.support_plans, ==, plans);
  g_assert_cmpuint (summary.support_contacts, ==, contacts);
  g_assert_cmpuint (plans, >, 50);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("bad-plan-%u", i);
      g_autofree char *dir = write_seed_dir (f, name, "manifest.json", manifest, "shelters.csv", good_shelters,
                                             "support.csv", support, "plans.json", bad[i].plans, NULL);
      g_autoptr(GError) local = NULL;
      SdStoreCounts before = get_counts (f->store);

      g_assert_false (sd_seed_load (f->store, dir, NULL, &local));
      g_assert_nonnull (local);
      g_test_message ("bad plan %u: %s", i, local->message);
      g_assert_true (g_str_has_prefix (local->message, bad[i].says));
      g_assert_cmpuint (get_counts (f->store).oplog, ==, before.oplog);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/seed/demo/counts", test_demo_counts);
  ADD ("/seed/demo/shelters", test_demo_shelters);
  ADD ("/seed/demo/welfare-export", test_demo_welfare_export);
  ADD ("/seed/demo/sign-in", test_demo_sign_in);
  ADD ("/seed/demo/support-plans", test_support_plans);
  ADD ("/seed/error/bad-date", test_bad_date);
  ADD ("/seed/error/bad-date-cp932", test_bad_date_cp932);
  ADD ("/seed/error/missing-manifest", test_missing_manifest);
  ADD ("/seed/error/missing-file", test_missing_file);
  ADD ("/seed/error/unknown-kind", test_unknown_kind);
  ADD ("/seed/error/missing-column", test_missing_column);
  ADD ("/seed/error/empty-required-field", test_empty_required_field);
  ADD ("/seed/error/unknown-shelter", test_unknown_shelter);
  ADD ("/seed/evacuees/shelter-from-database", test_shelter_from_database);
  ADD ("/seed/evacuees/strict", test_evacuees_strict);
  ADD ("/seed/error/empty-manifest", test_empty_manifest);
  ADD ("/seed/error/row-width", test_row_width);
  ADD ("/seed/error/duplicate-external-id", test_duplicate_external_id);
  ADD ("/seed/error/shelter-code-case", test_shelter_code_case);
  ADD ("/seed/error/utf8-labelled-cp932", test_utf8_labelled_cp932);
  ADD ("/seed/error/symlink-outside", test_symlink_outside);
  ADD ("/seed/demo/refused-on-real-database", test_demo_into_real_database);

#undef ADD

  return g_test_run ();
}
