/* bench-intake.c: registration, search and the status report at 100 000 persons; against bare SQLite.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a city of 100 000 persons in 40 000 households over 20 shelters
 * (one of them holding 5 000), all checked in, then prints three tables.
 * Each figure has a floor measured in the same run on the same machine:
 * the bare SQLite statement that does the irreducible part of the work.
 * Nothing here asserts on time.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include "sd-bench.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define N_PERSONS    100000
#define N_HOUSEHOLDS 40000
#define N_SHELTERS   20
#define BIG_SHELTER  5000

static char *dir;
static GPtrArray *shelter_ids;

static void
build_city (SdStore *store,
            GRand   *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);
  guint persons = 0;
  double t0 = now_ms ();

  g_assert_no_error (error);
  shelter_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint s = 0; s < N_SHELTERS; s++)
    {
      g_autofree char *code = g_strdup_printf ("B%02u", s);
      SdShelterSpec spec = { code, "試験避難所", SD_SHELTER_KIND_DESIGNATED, s == 0 ? 6000 : 6000, NULL };
      g_autoptr(SdShelter) shelter = sd_store_add_shelter (store, &spec, &error);
      g_assert_no_error (error);
      g_ptr_array_add (shelter_ids, g_strdup (sd_shelter_get_id (shelter)));
    }

  for (guint h = 0; h < N_HOUSEHOLDS; h++)
    {
      const Name *fam = &families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))];
      guint n = (h < N_HOUSEHOLDS - 1) ? (N_PERSONS - persons) * 2 / (N_HOUSEHOLDS - h) / 2 : N_PERSONS - persons;
      SdBenchHousehold hh;
      char phone[32];
      g_autofree char *id = NULL;
      /* The first 2 000 households (5 000 people) are the big shelter's. */
      guint shelter = persons < BIG_SHELTER ? 0 : 1 + h % (N_SHELTERS - 1);
      SdHouseholdSpec spec = { .shelter_id = g_ptr_array_index (shelter_ids, shelter),
                               .stay = SD_STAY_SHELTER, .phone = phone, .check_in = TRUE };

      n = CLAMP (n + (h % 3 == 0 ? 1 : 0) - (h % 5 == 0 ? 1 : 0), 1, 6);
      if (persons + n > N_PERSONS)
        n = MAX (1, N_PERSONS - persons);
      g_snprintf (phone, sizeof phone, "090-%04d-%04d", g_rand_int_range (rand, 0, 10000),
                  g_rand_int_range (rand, 0, 10000));
      sd_bench_household_fill (&hh, rand, fam, n);
      id = sd_store_add_household (store, &spec, hh.members, n, NULL, &error);
      g_assert_no_error (error);
      persons += n;
      if (persons >= N_PERSONS)
        break;
    }
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  g_print ("Built %u persons, all checked in, in %.1f s.\n\n", persons, (now_ms () - t0) / 1000);
}

static void
table_head (const char *title, const char *floor_name)
{
  g_print ("%s\n\n| %-34s | %18s | %18s | %7s |\n", title, "work", "ShelterDesk", floor_name, "ratio");
  g_print ("|------------------------------------|--------------------|--------------------|---------|\n");
}

static void
table_row (const char *what, const char *stat, double ours, double floor_v)
{
  g_print ("| %-34s | %9.3f ms %-4s | %9.3f ms %-4s | %6.2fx |\n", what, ours, stat, floor_v, stat,
           floor_v > 0 ? ours / floor_v : 0);
}

/* A copy of the city for the floor, data and indexes included, with no
 * trigger: bare SQLite on a file of the same size and shape. */
static sqlite3 *
bare_copy_of_city (SdStore    *store,
                   const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *vacuum = g_strdup_printf ("VACUUM INTO '%s'", path);
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert (sqlite3_exec (_sd_store_get_db (store), vacuum, NULL, NULL, NULL) == SQLITE_OK);
  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'trigger'", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (triggers, g_strdup_printf ("DROP TRIGGER \"%s\"", sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; i < triggers->len; i++)
    g_assert (sqlite3_exec (db, g_ptr_array_index (triggers, i), NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;",
                NULL, NULL, NULL);
  return db;
}

/* What a person's Ctrl+S on Intake costs: the duplicate check of each
 * member (as the desk runs it before saving), then the household, its
 * members and their check-in in one durable transaction, on a file that
 * already holds the city.  The floor does the irreducible part of the
 * same work with bare SQLite on a trigger-free copy of the same city:
 * the same index lookups for each member (the people born that day),
 * the same rows (household, persons, arrival events, where each person
 * is now), one commit. */
static void
bench_register (SdStore *store, GRand *rand)
{
  enum { RUNS = 200, N = 4 };
  double ours[RUNS], bare[RUNS];
  sqlite3 *db = bare_copy_of_city (store, "bare-register.sqlite");
  sqlite3_stmt *look = NULL, *h = NULL, *p = NULL, *e = NULL, *st = NULL;

  sqlite3_prepare_v2 (db, "SELECT p.id, p.name, p.kana, p.address FROM persons p WHERE p.id IN "
                          "(SELECT person_id FROM person_keys WHERE key = 'b' || ?1) AND p.birth_date = ?1",
                      -1, &look, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO households (id, shelter_id, stay, address, phone, representative_id, "
                          "created_at) VALUES (?1, ?2, 'shelter', ?3, ?4, ?1, 0)", -1, &h, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO persons (id, household_id, name, kana, birth_date, sex, created_at) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, 'male', 0)", -1, &p, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) "
                          "VALUES (?1, ?2, ?3, 'arrive', 0, 0)", -1, &e, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO person_state (person_id, event_id, kind, shelter_id, at, hlc) "
                          "VALUES (?1, ?2, 'arrive', ?3, 0, 0)", -1, &st, NULL);

  for (int i = 0; i < RUNS; i++)
    {
      const Name *fam = &families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))];
      const char *shelter = g_ptr_array_index (shelter_ids, 3);
      SdBenchHousehold hh;
      char phone[32];
      g_autofree char *hid = g_strdup_printf ("bh%d", i);
      SdHouseholdSpec spec;
      g_autofree char *id = NULL;
      double t0;

      sd_bench_household_fill (&hh, rand, fam, N);
      g_snprintf (phone, sizeof phone, "080-%04d-%04d", i, g_rand_int_range (rand, 0, 10000));
      spec = (SdHouseholdSpec) { .shelter_id = shelter, .stay = SD_STAY_SHELTER, .phone = phone,
                                 .address = "みなと川市東町1-2-3", .check_in = TRUE };

      t0 = now_ms ();
      for (int m = 0; m < N; m++)
        {
          g_autoptr(GListModel) dups = sd_store_find_duplicates (store, &hh.members[m], spec.address, NULL, NULL);
          g_assert (dups != NULL);
        }
      id = sd_store_add_household (store, &spec, hh.members, N, NULL, NULL);
      ours[i] = now_ms () - t0;
      g_assert (id != NULL);

      t0 = now_ms ();
      for (int m = 0; m < N; m++)
        {
          sqlite3_reset (look);
          sqlite3_bind_text (look, 1, hh.members[m].birth_date, -1, SQLITE_STATIC);
          while (sqlite3_step (look) == SQLITE_ROW)
            ;
        }
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_reset (h);
      sqlite3_bind_text (h, 1, hid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (h, 2, shelter, -1, SQLITE_STATIC);
      sqlite3_bind_text (h, 3, spec.address, -1, SQLITE_STATIC);
      sqlite3_bind_text (h, 4, phone, -1, SQLITE_STATIC);
      g_assert (sqlite3_step (h) == SQLITE_DONE);
      for (int m = 0; m < N; m++)
        {
          g_autofree char *pid = g_strdup_printf ("bp%d-%d", i, m);
          g_autofree char *eid = g_strdup_printf ("be%d-%d", i, m);

          sqlite3_reset (p);
          sqlite3_bind_text (p, 1, pid, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 2, hid, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 3, hh.members[m].name, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 4, hh.members[m].kana, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 5, hh.members[m].birth_date, -1, SQLITE_STATIC);
          g_assert (sqlite3_step (p) == SQLITE_DONE);
          sqlite3_reset (e);
          sqlite3_bind_text (e, 1, eid, -1, SQLITE_STATIC);
          sqlite3_bind_text (e, 2, pid, -1, SQLITE_STATIC);
          sqlite3_bind_text (e, 3, shelter, -1, SQLITE_STATIC);
          g_assert (sqlite3_step (e) == SQLITE_DONE);
          sqlite3_reset (st);
          sqlite3_bind_text (st, 1, pid, -1, SQLITE_STATIC);
          sqlite3_bind_text (st, 2, eid, -1, SQLITE_STATIC);
          sqlite3_bind_text (st, 3, shelter, -1, SQLITE_STATIC);
          g_assert (sqlite3_step (st) == SQLITE_DONE);
        }
      g_assert (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
      bare[i] = now_ms () - t0;
    }
  sqlite3_finalize (look);
  sqlite3_finalize (h);
  sqlite3_finalize (p);
  sqlite3_finalize (e);
  sqlite3_finalize (st);
  sqlite3_close (db);

  table_head ("Ctrl+S on Intake: duplicate check of 4 members, then the household, its members and their "
              "check-in, durable (WAL, synchronous=FULL), 200 times, with 100 000 persons registered",
              "bare SQLite, same city");
  {
    double ours_copy[RUNS], bare_copy[RUNS];
    memcpy (ours_copy, ours, sizeof ours);
    memcpy (bare_copy, bare, sizeof bare);
    table_row ("household of 4, checked, checked in", "p50", pct (ours, RUNS, 0.5), pct (bare, RUNS, 0.5));
    table_row ("household of 4, checked, checked in", "p95", pct (ours_copy, RUNS, 0.95),
               pct (bare_copy, RUNS, 0.95));
    table_row ("household of 4, checked, checked in", "max", pct (ours_copy, RUNS, 1.0),
               pct (bare_copy, RUNS, 1.0));
  }
  g_print ("target: median under 10 ms\n\n");
}

typedef struct {
  const char *what;
  const char *queries[8];
  const char *floor_prefix[8];  /* the person_keys prefix the bare query scans */
} QuerySet;

static void
bench_search (SdStore *store, GRand *rand)
{
  enum { RUNS = 1000 };
  static const QuerySet sets[] = {
    { "kanji family name", { "山田", "佐藤", "長谷川", "林", "高橋", NULL },
      { "n山田", "n佐藤", "n長谷川", "n林", "n高橋", NULL } },
    { "hiragana, 1 to 3 characters", { "や", "さと", "はせが", "こば", "い", NULL },
      { "kヤ", "kサト", "kハセガ", "kコバ", "kイ", NULL } },
    { "half-width katakana", { "ﾔﾏﾀﾞ", "ｻﾄｳ ﾀ", "ﾊｼﾓﾄ", NULL },
      { "kヤマダ", "kサトウタ", "kハシモト", NULL } },
    { "romaji, Hepburn and kunrei", { "yamada", "satou", "hasegawa", "kob", "huzita", NULL },
      { "ryamada", "rsato", "rhasegawa", "rkob", "rfujita", NULL } },
    { "phone number prefix", { "090-12", "0903", "090-9999", NULL },
      { "p09012", "p0903", "p0909999", NULL } },
    { "phone, last four digits", { "1234", "0007", "5678", NULL },
      { "q1234", "q0007", "q5678", NULL } },
  };
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *floor_stmt = NULL;

  sqlite3_prepare_v2 (db, "SELECT person_id FROM person_keys WHERE key >= ?1 AND key < ?2 LIMIT 50",
                      -1, &floor_stmt, NULL);
  table_head ("Search as you type, 1 000 queries each, 50 results at most, with 100 000 persons",
              "bare key range scan");
  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    {
      double ours[RUNS], bare[RUNS];
      guint nq = 0;

      while (sets[s].queries[nq] != NULL)
        nq++;
      for (int i = 0; i < RUNS; i++)
        {
          const char *q = sets[s].queries[i % nq];
          const char *prefix = sets[s].floor_prefix[i % nq];
          g_autofree char *end = g_strconcat (prefix, "\xf4\x8f\xbf\xbf", NULL);
          double t0 = now_ms ();
          g_autoptr(GListModel) found = sd_store_search_persons (store, q, 50, NULL);

          ours[i] = now_ms () - t0;
          g_assert (found != NULL);

          t0 = now_ms ();
          sqlite3_reset (floor_stmt);
          sqlite3_bind_text (floor_stmt, 1, prefix, -1, SQLITE_STATIC);
          sqlite3_bind_text (floor_stmt, 2, end, -1, SQLITE_STATIC);
          while (sqlite3_step (floor_stmt) == SQLITE_ROW)
            ;
          bare[i] = now_ms () - t0;
        }
      table_row (sets[s].what, "p95", pct (ours, RUNS, 0.95), pct (bare, RUNS, 0.95));
    }
  sqlite3_finalize (floor_stmt);
  g_print ("target: p95 under 10 ms (ShelterDesk also builds each person shown, with their status)\n\n");
}

/* What the migration to search keys that read romaji costs an existing
 * site, once: every person's keys computed again, against SQLite writing
 * the same keys from a table where they are ready. */
static void
bench_rebuild_keys (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = _sd_store_get_db (store);
  double ours, bare, t0;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

  g_assert_no_error (error);
  t0 = now_ms ();
  g_assert_true (_sd_rebuild_person_keys (db, &error));
  g_assert_no_error (error);
  ours = now_ms () - t0;

  g_assert (sqlite3_exec (db, "CREATE TEMP TABLE ready_keys AS SELECT key, person_id FROM person_keys",
                          NULL, NULL, NULL) == SQLITE_OK);
  t0 = now_ms ();
  g_assert (sqlite3_exec (db, "DELETE FROM person_keys; INSERT OR IGNORE INTO person_keys (key, person_id) "
                              "SELECT key, person_id FROM ready_keys", NULL, NULL, NULL) == SQLITE_OK);
  bare = now_ms () - t0;
  g_assert (sqlite3_exec (db, "DROP TABLE ready_keys", NULL, NULL, NULL) == SQLITE_OK);
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));

  table_head ("Rebuilding every person's search keys (the upgrade that added romaji readings), once",
              "bare copy of the keys");
  table_row ("100 000 persons", "once", ours, bare);
  g_print ("\n");
}

static void
bench_report (SdStore *store)
{
  enum { RUNS = 9 };
  const char *cases[2] = { g_ptr_array_index (shelter_ids, 0), NULL };
  const char *names[2] = { "one shelter, 5 000 people", "all 20 shelters, 100 000 people" };
  sqlite3 *db = _sd_store_get_db (store);

  table_head ("Shelter status report, median of 9", "bare GROUP BY sex");
  for (guint c = 0; c < 2; c++)
    {
      double ours[RUNS], bare[RUNS];
      sqlite3_stmt *stmt = NULL;

      /* The floor: the rows sd-report.c reads, counted by sex in one
       * statement instead of ShelterDesk's bands, needs and households.
       * For one shelter, its own people.  For all shelters, every row of
       * the counts kept by birth date (staying_by_birth, sd-migrations.c)
       * once, which the report reads as one range per age band: it no
       * longer reads a person, so a floor that scanned every person
       * would be a harder job than the one measured, and the ratio would
       * flatter.  What keeping the counts costs is paid when people are
       * written: the Ctrl+S rows above. */
      sqlite3_prepare_v2 (db, c == 0
                          ? "SELECT p.sex, count(*) FROM person_state s JOIN persons p ON p.id = s.person_id "
                            "WHERE s.shelter_id = ?1 AND s.kind IN ('arrive', 'return', 'go_out') GROUP BY p.sex"
                          : "SELECT sum (sex_unknown), sum (male), sum (female), sum (not_applicable) "
                            "FROM staying_by_birth", -1, &stmt, NULL);
      for (int i = 0; i < RUNS; i++)
        {
          double t0 = now_ms ();
          g_autoptr(SdShelterStatus) status = sd_store_compute_shelter_status (store, cases[c], NULL);

          ours[i] = now_ms () - t0;
          g_assert (status != NULL);
          if (i == 0)
            g_assert_cmpuint (status->persons, >=, c == 0 ? BIG_SHELTER - 10 : N_PERSONS);

          t0 = now_ms ();
          sqlite3_reset (stmt);
          if (c == 0)
            sqlite3_bind_text (stmt, 1, cases[c], -1, SQLITE_STATIC);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            ;
          bare[i] = now_ms () - t0;
        }
      sqlite3_finalize (stmt);
      table_row (names[c], "p50", pct (ours, RUNS, 0.5), pct (bare, RUNS, 0.5));
    }
  g_print ("target: under 100 ms\n");
}

/* Bare SQLite's open and first read of the schema: what every open does. */
static double
bare_open_ms (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double t0 = now_ms (), t;

  g_assert (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
  g_assert (sqlite3_prepare_v2 (db, "SELECT count (*) FROM sqlite_schema", -1, &stmt, NULL) == SQLITE_OK);
  g_assert (sqlite3_step (stmt) == SQLITE_ROW);
  sqlite3_finalize (stmt);
  t = now_ms () - t0;
  sqlite3_close (db);
  return t;
}

static double
bare_pragma_ms (const char *path,
                const char *pragma)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double t0;

  g_assert (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  t0 = now_ms ();
  g_assert (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL) == SQLITE_OK);
  g_assert (sqlite3_step (stmt) == SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  t0 = now_ms () - t0;
  sqlite3_close (db);
  return t0;
}

/* Opening (with its damage check and schema comparison) and the two
 * checks, on the city's file as it is after every other bench. */
static void
bench_open_and_check (const char *path)
{
  enum { RUNS = 9 };
  g_autoptr(GError) error = NULL;
  double ours[RUNS], bare[RUNS], t0;
  gint64 size;

  {
    GStatBuf st;
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    size = st.st_size;
  }
  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(SdStore) store = NULL;

      t0 = now_ms ();
      store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
      ours[i] = now_ms () - t0;
      g_assert_no_error (error);
      g_clear_object (&store);
      bare[i] = bare_open_ms (path);
    }
  g_print ("\nThe file: %.0f MB.  Over %d MB the check at open reads the small tables only; the desk then\n"
           "checks the whole file in a worker thread (the quick_check row below).\n\n",
           size / 1e6, 32);
  table_head ("Opening and checking the database, 100 000 persons", "bare SQLite");
  table_row ("open: damage check, schema compare", "p50", pct (ours, RUNS, 0.5), pct (bare, RUNS, 0.5));

  {
    g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    t0 = now_ms ();
    g_assert_true (sd_store_check (store, &error));
    g_assert_no_error (error);
    ours[0] = now_ms () - t0;
    bare[0] = bare_pragma_ms (path, "PRAGMA quick_check");
    table_row ("whole-file quick_check (desk)", "once", bare[0], bare[0]);
    table_row ("check (vs bare quick_check)", "once", ours[0], bare[0]);

    t0 = now_ms ();
    g_assert_true (sd_store_check_deep (store, &error));
    g_assert_no_error (error);
    ours[0] = now_ms () - t0;
    bare[0] = bare_pragma_ms (path, "PRAGMA integrity_check");
    table_row ("check --deep (vs integrity_check)", "once", ours[0], bare[0]);
  }
  g_print ("target: the check at open under 100 ms\n");
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);

  dir = g_dir_make_tmp ("sd-bench-intake-XXXXXX", NULL);
  path = g_build_filename (dir, "city.sqlite", NULL);
  store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);

  build_city (store, rand);
  bench_register (store, rand);
  bench_search (store, rand);
  bench_rebuild_keys (store);
  bench_report (store);
  g_clear_object (&store);
  bench_open_and_check (path);
  g_ptr_array_unref (shelter_ids);
  return 0;
}
