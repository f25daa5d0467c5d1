/* test-aggregates.c: the counts the database keeps for reports and occupancy follow every change, in any order.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * After every step each test runs sd_store_check(), which compares every
 * kept count with a recount of the rows it follows, both ways; and it
 * asserts the few numbers the step should have changed, so that a count
 * and its recount that were both wrong in the same way would still fail.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

typedef struct {
  char      *dir;
  char      *path;
  SdStore   *store;
  SdShelter *a;
  SdShelter *b;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  SdShelterSpec a = { "A1", "東小学校", SD_SHELTER_KIND_DESIGNATED, 100, NULL };
  SdShelterSpec b = { "B1", "西公民館", SD_SHELTER_KIND_DESIGNATED, 50, NULL };

  f->dir = g_dir_make_tmp ("sd-aggregates-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  f->a = sd_store_add_shelter (f->store, &a, &error);
  g_assert_no_error (error);
  f->b = sd_store_add_shelter (f->store, &b, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->a);
  g_clear_object (&f->b);
  g_clear_object (&f->store);
  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static const char *
id_a (Fixture *f)
{
  return sd_shelter_get_id (f->a);
}

static const char *
id_b (Fixture *f)
{
  return sd_shelter_get_id (f->b);
}

/* Every kept count equals its recount. */
static void
assert_checked (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  sd_store_check (f->store, &error);
  g_assert_no_error (error);
}

/* SQL through the store's own connection, so that capture goes on as it
 * would for a sync import or a rescue writing rows the API never would. */
static void
exec (Fixture *f, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (_sd_store_get_db (f->store), sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static gint64
int_of (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static SdStayCounts
stays (Fixture *f, const char *shelter_id)
{
  g_autoptr(GError) error = NULL;
  SdStayCounts c;

  g_assert_true (sd_store_count_stays (f->store, shelter_id, &c, &error));
  g_assert_no_error (error);
  return c;
}

static void
assert_stays (Fixture *f, const char *shelter_id, guint in, guint out, guint home, guint vehicle)
{
  SdStayCounts c = stays (f, shelter_id);

  g_assert_cmpuint (c.in_shelter, ==, in);
  g_assert_cmpuint (c.out_now, ==, out);
  g_assert_cmpuint (c.at_home, ==, home);
  g_assert_cmpuint (c.in_vehicle, ==, vehicle);
}

static SdShelterStatus *
status_of (Fixture *f, const char *shelter_id)
{
  g_autoptr(GError) error = NULL;
  SdShelterStatus *s = sd_store_compute_shelter_status (f->store, shelter_id, &error);

  g_assert_no_error (error);
  return s;
}

/* A household registered at SHELTER_ID, its members' ids in IDS. */
static char *
add_household (Fixture *f, const char *shelter_id, SdStay stay, const char *pets, gboolean check_in,
               const SdPersonSpec *members, guint n, GPtrArray *ids)
{
  g_autoptr(GError) error = NULL;
  SdHouseholdSpec h = { .shelter_id = shelter_id, .stay = stay, .pets = pets, .check_in = check_in };
  char *id = sd_store_add_household (f->store, &h, members, n, ids, &error);

  g_assert_no_error (error);
  return id;
}

static void
event (Fixture *f, const char *person, SdEventKind kind, const char *shelter_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = sd_store_record_event (f->store, person, kind, shelter_id, NULL, &error);

  g_assert_no_error (error);
}

/* An event as another kiosk's batch would bring it: with its own HLC,
 * which may be older than what this desk already has. */
static void
event_at (Fixture *f, const char *id, const char *person, const char *kind, const char *shelter_id, gint64 hlc)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) "
                                          "VALUES ('%s', '%s', '%s', '%s', 0, %" G_GINT64_FORMAT ")",
                                          id, person, shelter_id, kind, hlc);
  exec (f, sql);
}

/* ---- tests ---- */

static void
test_out_of_order_events (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h = NULL;
  SdPersonSpec m[] = { { .name = "甲 一", .birth_date = "1980-04-01", .sex = SD_SEX_MALE } };
  const gint64 base = 1000;
  const char *p;

  h = add_household (f, id_a (f), SD_STAY_SHELTER, NULL, FALSE, m, 1, ids);
  p = g_ptr_array_index (ids, 0);
  assert_stays (f, id_a (f), 0, 0, 0, 0);

  /* The newest event comes first: out from A. */
  event_at (f, "e-out", p, "go_out", id_a (f), base + 2000);
  assert_stays (f, id_a (f), 0, 1, 0, 0);
  assert_checked (f);

  /* Older ones come after it: an arrival at B, a departure.  Neither is
   * where the person is now, so no count moves. */
  event_at (f, "e-arrive-b", p, "arrive", id_b (f), base + 1000);
  event_at (f, "e-leave", p, "leave", id_a (f), base + 1500);
  g_assert_cmpint (int_of (f, "SELECT count (*) FROM person_state WHERE event_id = 'e-out'"), ==, 1);
  assert_stays (f, id_a (f), 0, 1, 0, 0);
  assert_stays (f, id_b (f), 0, 0, 0, 0);
  assert_checked (f);

  /* A tie on the HLC is broken by the event id, as person_state does. */
  event_at (f, "e-out-z", p, "return", id_a (f), base + 2000);
  assert_stays (f, id_a (f), 1, 0, 0, 0);
  event_at (f, "e-out-a", p, "leave", id_a (f), base + 2000);
  assert_stays (f, id_a (f), 1, 0, 0, 0);
  assert_checked (f);

  /* A newer one moves them. */
  event_at (f, "e-newest", p, "leave", id_a (f), base + 3000);
  assert_stays (f, id_a (f), 0, 0, 0, 0);
  g_assert_cmpint (int_of (f, "SELECT count (*) FROM shelter_occupancy"), ==, 0);
  g_assert_cmpint (int_of (f, "SELECT households FROM staying_totals"), ==, 0);
  assert_checked (f);
}

static void
test_moving_shelters (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h = NULL;
  SdPersonSpec m[] = {
    { .name = "乙 一", .birth_date = "1950-01-06", .sex = SD_SEX_FEMALE, .allergies = "卵" },
    { .name = "乙 二", .birth_date = "1952-03-03", .sex = SD_SEX_MALE },
  };

  h = add_household (f, id_a (f), SD_STAY_SHELTER, "犬", TRUE, m, 2, ids);
  assert_stays (f, id_a (f), 2, 0, 0, 0);
  g_assert_cmpuint (sd_store_count_occupancy (f->store, id_a (f), NULL), ==, 2);
  assert_checked (f);

  /* One moves to B: the household is now in both, once in the city. */
  event (f, g_ptr_array_index (ids, 0), SD_EVENT_ARRIVE, id_b (f));
  assert_stays (f, id_a (f), 1, 0, 0, 0);
  assert_stays (f, id_b (f), 1, 0, 0, 0);
  {
    g_autoptr(SdShelterStatus) a = status_of (f, id_a (f));
    g_autoptr(SdShelterStatus) b = status_of (f, id_b (f));
    g_autoptr(SdShelterStatus) all = status_of (f, NULL);

    g_assert_cmpuint (a->households, ==, 1);
    g_assert_cmpuint (b->households, ==, 1);
    g_assert_cmpuint (all->households, ==, 1);
    g_assert_cmpuint (a->households_with_pets, ==, 1);
    g_assert_cmpuint (b->households_with_pets, ==, 1);
    g_assert_cmpuint (all->households_with_pets, ==, 1);
    g_assert_cmpuint (b->needs[SD_NEED_ALLERGY], ==, 1);
    g_assert_cmpuint (a->needs[SD_NEED_ALLERGY], ==, 0);
  }
  assert_checked (f);

  /* Out from B and back, then the other one follows. */
  event (f, g_ptr_array_index (ids, 0), SD_EVENT_GO_OUT, id_b (f));
  assert_stays (f, id_b (f), 0, 1, 0, 0);
  event (f, g_ptr_array_index (ids, 0), SD_EVENT_RETURN, id_b (f));
  event (f, g_ptr_array_index (ids, 1), SD_EVENT_ARRIVE, id_b (f));
  assert_stays (f, id_a (f), 0, 0, 0, 0);
  assert_stays (f, id_b (f), 2, 0, 0, 0);
  g_assert_cmpint (int_of (f, "SELECT count (*) FROM shelter_households"), ==, 1);
  g_assert_cmpint (int_of (f, "SELECT households FROM staying_totals"), ==, 1);
  assert_checked (f);
}

static void
test_leaving (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) home = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) car = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h1 = NULL, *h2 = NULL;
  SdPersonSpec two[] = { { .name = "丙 一", .sex = SD_SEX_MALE }, { .name = "丙 二", .sex = SD_SEX_FEMALE } };
  SdPersonSpec one[] = { { .name = "丁", .sex = SD_SEX_MALE } };

  /* Registered through A, staying at home and in a car. */
  h1 = add_household (f, id_a (f), SD_STAY_HOME, NULL, FALSE, two, 2, home);
  h2 = add_household (f, id_a (f), SD_STAY_VEHICLE, NULL, FALSE, one, 1, car);
  assert_stays (f, id_a (f), 0, 0, 2, 1);
  assert_checked (f);

  /* One of them comes into the shelter: still counted at home too, as
   * the report always has, since the household stays at home.  Leaving
   * takes them out of both. */
  event (f, g_ptr_array_index (home, 0), SD_EVENT_ARRIVE, id_a (f));
  assert_stays (f, id_a (f), 1, 0, 2, 1);
  event (f, g_ptr_array_index (home, 0), SD_EVENT_LEAVE, id_a (f));
  assert_stays (f, id_a (f), 0, 0, 1, 1);
  assert_checked (f);

  /* Another kiosk's batch may say that someone never seen here left. */
  event_at (f, "e-car-leave", g_ptr_array_index (car, 0), "leave", id_a (f), 1);
  assert_stays (f, id_a (f), 0, 0, 1, 0);
  assert_checked (f);

  /* Coming back after leaving counts again. */
  event (f, g_ptr_array_index (home, 0), SD_EVENT_ARRIVE, id_b (f));
  assert_stays (f, id_a (f), 0, 0, 2, 0);
  assert_stays (f, id_b (f), 1, 0, 0, 0);
  assert_stays (f, NULL, 1, 0, 2, 0);
  assert_checked (f);
}

static void
test_person_changes_while_staying (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h1 = NULL, *h2 = NULL, *sql = NULL;
  SdPersonSpec m[] = { { .name = "戊 一", .birth_date = "1990-05-05", .sex = SD_SEX_UNKNOWN } };
  const char *p;

  h1 = add_household (f, id_a (f), SD_STAY_SHELTER, NULL, TRUE, m, 1, ids);
  p = g_ptr_array_index (ids, 0);
  g_assert_cmpint (int_of (f, "SELECT sex_unknown FROM staying_by_birth WHERE birth_date = '1990-05-05'"), ==, 1);

  /* The desk's "same person": registered again with what was learned
   * since, moved on purpose into a new household at B while staying at A. */
  {
    SdPersonSpec same[] = { { .name = "戊 一", .birth_date = "1991-05-05", .sex = SD_SEX_FEMALE,
                              .pregnant = TRUE, .existing_id = p, .move_household = TRUE } };
    h2 = add_household (f, id_b (f), SD_STAY_SHELTER, "猫", FALSE, same, 1, again);
  }
  g_assert_cmpint (int_of (f, "SELECT count (*) FROM staying_by_birth WHERE birth_date = '1990-05-05'"), ==, 0);
  g_assert_cmpint (int_of (f, "SELECT female FROM staying_by_birth WHERE birth_date = '1991-05-05'"), ==, 1);
  g_assert_cmpint (int_of (f, "SELECT pregnant FROM staying_totals"), ==, 1);
  sql = g_strdup_printf ("SELECT count (*) FROM shelter_households WHERE household_id = '%s'", h2);
  g_assert_cmpint (int_of (f, sql), ==, 1);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 1);
  assert_stays (f, id_a (f), 1, 0, 0, 0);
  assert_checked (f);

  /* Fields changed one by one, as a sync import would. */
  exec (f, "UPDATE persons SET sex = 'male'");
  exec (f, "UPDATE persons SET birth_date = NULL, allergies = 'そば', language = 'vi'");
  g_assert_cmpint (int_of (f, "SELECT male FROM staying_by_birth WHERE birth_date = '0000-00-00'"), ==, 1);
  g_assert_cmpint (int_of (f, "SELECT language + allergy FROM staying_totals"), ==, 2);
  exec (f, "UPDATE persons SET language = 'ja', care_level = 'care3', name = '戊 一郎'");
  g_assert_cmpint (int_of (f, "SELECT language + care FROM staying_totals"), ==, 1);
  assert_checked (f);
}

static void
test_household_changes (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h = NULL, *sql = NULL;
  SdPersonSpec m[] = { { .name = "己 一", .sex = SD_SEX_MALE }, { .name = "己 二", .sex = SD_SEX_FEMALE },
                       { .name = "己 三", .sex = SD_SEX_FEMALE } };

  h = add_household (f, id_a (f), SD_STAY_HOME, NULL, FALSE, m, 3, ids);
  event (f, g_ptr_array_index (ids, 0), SD_EVENT_ARRIVE, id_a (f));
  event (f, g_ptr_array_index (ids, 1), SD_EVENT_ARRIVE, id_b (f));
  event (f, g_ptr_array_index (ids, 2), SD_EVENT_ARRIVE, id_a (f));
  event (f, g_ptr_array_index (ids, 2), SD_EVENT_LEAVE, id_a (f));
  assert_stays (f, id_a (f), 1, 0, 2, 0);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 0);

  /* Pets come and go: counted once for the city though the household
   * stays in two shelters. */
  sql = g_strdup_printf ("UPDATE households SET pets = '犬', pets_count = 2 WHERE id = '%s'", h);
  exec (f, sql);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 1);
  assert_checked (f);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE households SET pets = NULL WHERE id = '%s'", h);
  exec (f, sql);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 1);  /* pets_count 2 */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE households SET pets_count = 0 WHERE id = '%s'", h);
  exec (f, sql);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 0);
  assert_checked (f);

  /* Where the household stays, and through which shelter. */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE households SET stay = 'vehicle' WHERE id = '%s'", h);
  exec (f, sql);
  assert_stays (f, id_a (f), 1, 0, 0, 2);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE households SET shelter_id = '%s' WHERE id = '%s'", id_b (f), h);
  exec (f, sql);
  assert_stays (f, id_a (f), 1, 0, 0, 0);
  assert_stays (f, id_b (f), 1, 0, 0, 2);
  g_free (sql);
  sql = g_strdup_printf ("UPDATE households SET stay = 'shelter', shelter_id = NULL WHERE id = '%s'", h);
  exec (f, sql);
  assert_stays (f, NULL, 2, 0, 0, 0);
  assert_checked (f);
}

/* A rescue makes rows in key order and lost ones last, and sync will
 * fold batches in as they come: events before their person, persons
 * before their household, a person deleted under their events. */
static void
test_any_order (Fixture *f, gconstpointer data)
{
  g_autofree char *sql = NULL;

  exec (f, "PRAGMA foreign_keys = OFF");
  sql = g_strdup_printf ("INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) VALUES "
                         "('e1', 'p1', '%s', 'arrive', 0, 1), ('e2', 'p2', '%s', 'go_out', 0, 1), "
                         "('e3', 'p3', '%s', 'leave', 0, 1), ('e4', 'p4', NULL, 'arrive', 0, 1)",
                         id_a (f), id_a (f), id_a (f));
  exec (f, sql);
  /* Nobody to count yet but by where they are. */
  assert_stays (f, id_a (f), 1, 1, 0, 0);
  g_assert_cmpint (int_of (f, "SELECT count (*) FROM staying_by_birth"), ==, 0);
  assert_checked (f);

  exec (f, "INSERT INTO persons (id, household_id, name, birth_date, sex, created_at) VALUES "
           "('p1', 'h1', '一', '2000-01-01', 'male', 0), ('p2', 'h1', '二', '2000-01-01', 'female', 0), "
           "('p3', 'h2', '三', NULL, 'male', 0), ('p4', 'h2', '四', NULL, 'not_applicable', 0), "
           "('p5', 'h2', '五', NULL, 'female', 0), ('p6', 'h3', '六', NULL, 'female', 0)");
  g_assert_cmpint (int_of (f, "SELECT sum (sex_unknown + male + female + not_applicable) FROM staying_by_birth"), ==, 3);
  g_assert_cmpint (int_of (f, "SELECT households FROM staying_totals"), ==, 2);
  assert_checked (f);

  g_free (sql);
  sql = g_strdup_printf ("INSERT INTO households (id, shelter_id, stay, pets_count, created_at) VALUES "
                         "('h1', '%s', 'shelter', 1, 0), ('h2', '%s', 'relatives', 0, 0), ('h3', '%s', 'home', 0, 0)",
                         id_a (f), id_b (f), id_a (f));
  exec (f, sql);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 1);
  /* p4 and p5 have not left: at relatives' through B (p4 is also in,
   * with no shelter named). */
  g_assert_cmpuint (stays (f, id_b (f)).at_relatives, ==, 2);
  g_assert_cmpuint (stays (f, id_a (f)).at_home, ==, 1);
  assert_checked (f);

  exec (f, "DELETE FROM persons WHERE id IN ('p2', 'p5')");
  exec (f, "DELETE FROM households WHERE id = 'h1'");
  g_assert_cmpuint (stays (f, id_b (f)).at_relatives, ==, 1);
  g_assert_cmpint (int_of (f, "SELECT households_with_pets FROM staying_totals"), ==, 0);
  g_assert_cmpint (int_of (f, "SELECT sum (sex_unknown + male + female + not_applicable) FROM staying_by_birth"), ==, 2);
  assert_checked (f);
  exec (f, "PRAGMA foreign_keys = ON");
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
  g_assert_true (g_file_set_contents_full (to, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
}

static void
test_tampering_is_caught (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *table;
    const char *sql;
  } cases[] = {
    { "shelter_occupancy", "UPDATE shelter_occupancy SET in_shelter = in_shelter + 1" },
    { "shelter_occupancy", "DELETE FROM shelter_occupancy WHERE at_home > 0" },
    { "shelter_households", "UPDATE shelter_households SET staying = 9" },
    { "shelter_households", "INSERT INTO shelter_households VALUES ('x', 'y', 1)" },
    { "staying_totals", "UPDATE staying_totals SET households_with_pets = 0" },
    { "staying_totals", "DELETE FROM staying_totals" },
    { "staying_by_birth", "UPDATE staying_by_birth SET birth_date = '1900-01-01' WHERE birth_date = '1980-04-01'" },
    { "staying_totals", "UPDATE staying_totals SET care = care + 1" },
    { "staying_by_birth", "UPDATE staying_by_birth SET male = male + 1" },
  };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *h1 = NULL, *h2 = NULL;
  g_autofree char *copy = g_build_filename (f->dir, "tampered.sqlite", NULL);
  SdPersonSpec m[] = { { .name = "庚", .birth_date = "1980-04-01", .sex = SD_SEX_MALE } };

  h1 = add_household (f, id_a (f), SD_STAY_SHELTER, "犬", TRUE, m, 1, ids);
  h2 = add_household (f, id_a (f), SD_STAY_HOME, NULL, FALSE, m, 1, ids);
  assert_checked (f);
  g_clear_object (&f->store);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdStore) store = NULL;
      sqlite3 *db = NULL;

      /* Plain SQLite, as the sqlite3 shell would: the count tables are
       * not captured, so nothing refuses the write. */
      copy_file (f->path, copy);
      g_assert_cmpint (sqlite3_open (copy, &db), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, cases[i].sql, NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_changes (db), >, 0);
      sqlite3_close (db);

      store = sd_store_open (copy, SD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_false (sd_store_check (store, &error));
      g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED);
      /* The message names the table, for whoever helps. */
      g_assert_nonnull (strstr (error->message, cases[i].table));
      g_clear_object (&store);
      sd_database_files_remove (copy);
    }
}

/* ---- the upgrade ---- */

static void
sql_constant_cb (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  sqlite3_result_text (ctx, sqlite3_user_data (ctx), -1, SQLITE_STATIC);
}

static void
sql_counter_cb (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  static gint64 hlc = (gint64) 1 << 32;

  sqlite3_result_int64 (ctx, ++hlc);
}

/* A file from before the counts (schema 6, the last made without a
 * store's own op-log functions), people, events and op-log included, made
 * with stand-ins for the store's SQL functions: opened, it is upgraded and
 * counted at once. */
static void
test_upgrade_counts_what_is_there (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "old.sqlite", NULL);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelterStatus) all = NULL;
  SdStayCounts c;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_chmod (path, 0600);
  sqlite3_create_function (db, "sd_search_keys", 4, SQLITE_UTF8, "[]", sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_site", 0, SQLITE_UTF8, "0123456789abcdef0123456789abcdef",
                           sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_hlc", 0, SQLITE_UTF8, NULL, sql_counter_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_capture", 0, SQLITE_UTF8, "1", sql_constant_cb, NULL, NULL);
  g_assert_true (_sd_migrate (db, 0, 6, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
    "INSERT INTO site (id, site_id, site_name, created_at) VALUES (1, '0123456789abcdef0123456789abcdef', 'old', 0);"
    "INSERT INTO shelters (id, code, name, kind) VALUES ('sa', 'A1', 'A', 'designated'), ('sb', 'B1', 'B', 'welfare');"
    "INSERT INTO households (id, shelter_id, stay, pets, created_at) VALUES "
    "  ('h1', 'sa', 'shelter', '犬', 0), ('h2', 'sa', 'home', NULL, 0), ('h3', 'sb', 'shelter', NULL, 0);"
    "INSERT INTO persons (id, household_id, name, birth_date, sex, illness, created_at) VALUES "
    "  ('p1', 'h1', '一', '2000-02-02', 'male', '喘息', 0), ('p2', 'h1', '二', '2000-02-02', 'male', NULL, 0),"
    "  ('p3', 'h2', '三', NULL, 'female', NULL, 0), ('p4', 'h2', '四', NULL, 'female', NULL, 0),"
    "  ('p5', 'h3', '五', '1940-07-07', 'female', NULL, 0);"
    /* p1 went out after arriving; p2's arrival at B reached this desk
     * after their newer one at A; p4 left; p5 arrived at B. */
    "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) VALUES "
    "  ('e1', 'p1', 'sa', 'arrive', 0, 10), ('e2', 'p1', 'sa', 'go_out', 0, 20),"
    "  ('e4', 'p2', 'sa', 'arrive', 0, 40), ('e3', 'p2', 'sb', 'arrive', 0, 30),"
    "  ('e5', 'p4', 'sa', 'leave', 0, 50), ('e6', 'p5', 'sb', 'arrive', 0, 60);",
    NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_SCHEMA_VERSION);
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);

  g_assert_true (sd_store_count_stays (store, "sa", &c, &error));
  g_assert_cmpuint (c.in_shelter, ==, 1);
  g_assert_cmpuint (c.out_now, ==, 1);
  g_assert_cmpuint (c.at_home, ==, 1);
  g_assert_cmpuint (sd_store_count_occupancy (store, "sb", &error), ==, 1);
  all = sd_store_compute_shelter_status (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->persons, ==, 3);
  g_assert_cmpuint (all->households, ==, 2);
  g_assert_cmpuint (all->households_with_pets, ==, 1);
  g_assert_cmpuint (all->needs[SD_NEED_ILLNESS], ==, 1);
  g_assert_cmpuint (all->by_sex_age[SD_SEX_FEMALE][SD_AGE_75_UP], ==, 1);
  g_assert_cmpuint (all->stays.out_now, ==, 1);
  g_assert_cmpuint (all->stays.at_home, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/aggregates/out-of-order-events", test_out_of_order_events);
  ADD ("/aggregates/moving-shelters", test_moving_shelters);
  ADD ("/aggregates/leaving", test_leaving);
  ADD ("/aggregates/person-changes-while-staying", test_person_changes_while_staying);
  ADD ("/aggregates/household-changes", test_household_changes);
  ADD ("/aggregates/any-order", test_any_order);
  ADD ("/aggregates/tampering-is-caught", test_tampering_is_caught);
  ADD ("/aggregates/upgrade-counts-what-is-there", test_upgrade_counts_what_is_there);
#undef ADD
  return g_test_run ();
}
