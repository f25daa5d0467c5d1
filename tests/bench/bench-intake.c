/* bench-intake.c: registration, search and the status report at 100 000 and 1 000 000 persons; against bare SQLite.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs on the generated city of each size in SD_BENCH_SIZES (100 000 and
 * 1 000 000 by default): one shelter per 5 000 persons, shelter 0 holding
 * 5 000, households of 2.5 on average, all checked in (sd-bench-city.h),
 * taken from the cache or built there first, and worked on as a copy.
 * Each figure has a floor measured in the same run on the same machine:
 * the bare SQLite statement that does the irreducible part of the work.
 * The tables come at the end, every row at each size with its floor, and
 * how much it grew from the smallest city to the largest; then the bytes
 * a person takes, and the cold-cache figures that are 10x their warm
 * ones or more.  Nothing here asserts on time.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include "sd-bench.h"
#include "sd-bench-city.h"
#include "sd-bench-cold.h"
#include "sd-bench-table.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

static char *dir;          /* this run's scratch folder */
static GArray *sizes;
static SdBenchTable *register_table, *search_table, *rebuild_table, *report_table, *open_table, *bytes_table,
                    *cold_table;

/* One city size being measured. */
typedef struct {
  guint       k;            /* its index in SIZES */
  guint       persons;
  const char *cached;       /* the cached city: never written */
  const char *path;         /* the working copy */
  GPtrArray  *shelter_ids;
  /* Warm figures the cold ones are compared with. */
  double      report_all, report_all_floor, info, info_floor, open, open_floor, check, check_floor;
} City;

/* A copy of the city for the floor, data and indexes included, with no
 * trigger: bare SQLite on a file of the same size and shape (a copy of
 * the cached file, as the working copy was before the benchmarks). */
static sqlite3 *
bare_copy_of_city (City       *city,
                   const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) triggers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  if (!sd_bench_city_copy (city->cached, path, &error))

    g_error ("%s", error != NULL ? error->message : "failed");
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
 * the same index lookups for each member (the people born that day with
 * the same name or kana, by the same keys),
 * the same rows (household, persons, arrival events, where each person
 * is now), one commit.  Between two registrations the desk is idle and
 * copies the write-ahead log into the file (sd_store_set_idle_checkpoint,
 * 2 s after the last commit; a registration takes a person minutes), so
 * both sides checkpoint between runs, timed apart: what it costs is shown
 * on its own row, and no Ctrl+S pays it. */
static void
bench_register (City *city, SdStore *store, GRand *rand)
{
  enum { RUNS = 200, N = 4 };
  double ours[RUNS], bare[RUNS], ours_ckpt[RUNS], bare_ckpt[RUNS];
  g_autofree char *bare_path = g_build_filename (dir, "bare-register.sqlite", NULL);
  sqlite3 *db = bare_copy_of_city (city, bare_path);
  sqlite3_stmt *look = NULL, *h = NULL, *p = NULL, *e = NULL, *st = NULL;

  /* The duplicate check's lookup: the persons with the member's birth
   * date and whole name or kana keys (sd-person-search.c), the keys made
   * by the core before the clock starts. */
  sqlite3_prepare_v2 (db, "SELECT p.id, p.name, p.kana, p.address FROM persons p WHERE p.id IN "
                          "(SELECT person_id FROM person_keys WHERE key IN (?1, ?2))",
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
      const char *shelter = g_ptr_array_index (city->shelter_ids, MIN (3, city->shelter_ids->len - 1));
      SdBenchHousehold hh;
      char phone[32];
      g_autofree char *hid = g_strdup_printf ("bh%d", i);
      SdHouseholdSpec spec;
      g_autofree char *id = NULL;
      char dup_keys[N][2][256];
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

      for (int m = 0; m < N; m++)
        {
          g_autoptr(GPtrArray) keys = _sd_person_search_key_list (hh.members[m].name, hh.members[m].kana, NULL,
                                                                  hh.members[m].birth_date);

          for (guint k = 0; k < keys->len; k++)
            {
              const char *key = g_ptr_array_index (keys, k);

              if (key[0] == 'd' || key[0] == 'e')
                g_strlcpy (dup_keys[m][key[0] - 'd'], key, sizeof dup_keys[m][0]);
            }
        }
      t0 = now_ms ();
      for (int m = 0; m < N; m++)
        {
          sqlite3_reset (look);
          sqlite3_bind_text (look, 1, dup_keys[m][0], -1, SQLITE_STATIC);
          sqlite3_bind_text (look, 2, dup_keys[m][1], -1, SQLITE_STATIC);
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

      /* The idle moment after each: the desk's checkpoint, and SQLite's. */
      t0 = now_ms ();
      g_assert_true (sd_store_checkpoint (store, NULL));
      ours_ckpt[i] = now_ms () - t0;
      t0 = now_ms ();
      g_assert (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) == SQLITE_OK);
      bare_ckpt[i] = now_ms () - t0;
    }
  sqlite3_finalize (look);
  sqlite3_finalize (h);
  sqlite3_finalize (p);
  sqlite3_finalize (e);
  sqlite3_finalize (st);
  sqlite3_close (db);
  /* A copy of the city: 9 GB at 1 000 000. */
  sd_database_files_remove (bare_path);

  sd_bench_table_add (register_table, city->k, "household of 4, checked, checked in", "p50",
                      pct (ours, RUNS, 0.5), pct (bare, RUNS, 0.5));
  sd_bench_table_add (register_table, city->k, "household of 4, checked, checked in", "p95",
                      pct (ours, RUNS, 0.95), pct (bare, RUNS, 0.95));
  sd_bench_table_add (register_table, city->k, "household of 4, checked, checked in", "max",
                      pct (ours, RUNS, 1.0), pct (bare, RUNS, 1.0));
  sd_bench_table_add (register_table, city->k, "then the idle checkpoint (not in Ctrl+S)", "p50",
                      pct (ours_ckpt, RUNS, 0.5), pct (bare_ckpt, RUNS, 0.5));
  sd_bench_table_add (register_table, city->k, "then the idle checkpoint (not in Ctrl+S)", "p95",
                      pct (ours_ckpt, RUNS, 0.95), pct (bare_ckpt, RUNS, 0.95));
}

typedef struct {
  const char *what;
  const char *queries[8];
  const char *floor_prefix[8];  /* the person_keys prefix the bare query scans */
} QuerySet;

static void
bench_search (City *city, SdStore *store)
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
      sd_bench_table_add (search_table, city->k, sets[s].what, "p95", pct (ours, RUNS, 0.95),
                          pct (bare, RUNS, 0.95));
    }
  sqlite3_finalize (floor_stmt);
}

/* What the migration to search keys that read romaji costs an existing
 * site, once: every person's keys computed again, against SQLite writing
 * the same keys from a table where they are ready. */
static void
bench_rebuild_keys (City *city, SdStore *store)
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

  sd_bench_table_add (rebuild_table, city->k, "every person of the city", "once", ours, bare);
}

/* The all-shelter report's floor (see bench_report). */
/* The all-shelter report's floor: every row of the counts kept by birth
 * date, read once (see bench_report). */
#define REPORT_ALL_FLOOR \
  "SELECT sum (sex_unknown), sum (male), sum (female), sum (not_applicable) FROM staying_by_birth"

static void
bench_report (City *city, SdStore *store)
{
  enum { RUNS = 9 };
  const char *cases[2] = { g_ptr_array_index (city->shelter_ids, 0), NULL };
  const char *names[2] = { "one shelter, 5 000 people", "all shelters, the whole city" };
  sqlite3 *db = _sd_store_get_db (store);

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
                          : REPORT_ALL_FLOOR, -1, &stmt, NULL);
      for (int i = 0; i < RUNS; i++)
        {
          double t0 = now_ms ();
          g_autoptr(SdShelterStatus) status = sd_store_compute_shelter_status (store, cases[c], NULL);

          ours[i] = now_ms () - t0;
          g_assert (status != NULL);
          if (i == 0)
            g_assert_cmpuint (status->persons, >=, c == 0 ? MIN (SD_BENCH_CITY_BIG_SHELTER, city->persons) - 10
                                                          : city->persons);

          t0 = now_ms ();
          sqlite3_reset (stmt);
          if (c == 0)
            sqlite3_bind_text (stmt, 1, cases[c], -1, SQLITE_STATIC);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            ;
          bare[i] = now_ms () - t0;
        }
      sqlite3_finalize (stmt);
      sd_bench_table_add (report_table, city->k, names[c], "p50", pct (ours, RUNS, 0.5), pct (bare, RUNS, 0.5));
      if (c == 1)
        {
          city->report_all = pct (ours, RUNS, 0.5);
          city->report_all_floor = pct (bare, RUNS, 0.5);
        }
    }
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

/* What `shelterdesk-cli info` does: open, then count what the file holds. */
static double
info_ms (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  SdStoreCounts counts;
  double t0 = now_ms (), t;

  store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_counts (store, &counts, &error));
  t = now_ms () - t0;
  g_assert_no_error (error);
  return t;
}

/* Opening (with its damage check and schema comparison), info, and the
 * two checks, on the city's file as it is after every other bench. */
static void
bench_open_and_check (City *city)
{
  enum { RUNS = 9 };
  g_autoptr(GError) error = NULL;
  double ours[RUNS], bare[RUNS], info[RUNS], t0;

  for (int i = 0; i < RUNS; i++)
    {
      g_autoptr(SdStore) store = NULL;

      t0 = now_ms ();
      store = sd_store_open (city->path, SD_STORE_OPEN_DEFAULT, &error);
      ours[i] = now_ms () - t0;
      g_assert_no_error (error);
      g_clear_object (&store);
      bare[i] = bare_open_ms (city->path);
      info[i] = info_ms (city->path);
    }
  city->open = pct (ours, RUNS, 0.5);
  city->open_floor = pct (bare, RUNS, 0.5);
  city->info = pct (info, RUNS, 0.5);
  /* The floor of an answer that needs a few numbers: opening the file. */
  city->info_floor = city->open_floor;
  sd_bench_table_add (open_table, city->k, "open: damage check, schema compare", "p50", city->open,
                      city->open_floor);
  sd_bench_table_add (open_table, city->k, "info: open, then the counts", "p50", city->info, city->info_floor);

  {
    g_autoptr(SdStore) store = sd_store_open (city->path, SD_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    t0 = now_ms ();
    if (!sd_store_check (store, &error))
      g_error ("%s", error != NULL ? error->message : "failed");
    city->check = now_ms () - t0;
    city->check_floor = bare_pragma_ms (city->path, "PRAGMA quick_check");
    sd_bench_table_add (open_table, city->k, "whole-file quick_check (desk)", "once", city->check_floor,
                        city->check_floor);
    sd_bench_table_add (open_table, city->k, "check (vs bare quick_check)", "once", city->check, city->check_floor);

    t0 = now_ms ();
    if (!sd_store_check_deep (store, &error))
      g_error ("%s", error != NULL ? error->message : "failed");
    ours[0] = now_ms () - t0;
    bare[0] = bare_pragma_ms (city->path, "PRAGMA integrity_check");
    sd_bench_table_add (open_table, city->k, "check --deep (vs integrity_check)", "once", ours[0], bare[0]);
  }
}

/* The all-shelter report once, right after an open (not timed); BARE:
 * its floor, the same way. */
static double
first_report_ms (City *city, gboolean bare)
{
  g_autoptr(GError) error = NULL;
  double t0;

  if (bare)
    {
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;

      g_assert (sqlite3_open_v2 (city->path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
      sqlite3_exec (db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
      t0 = now_ms ();
      g_assert (sqlite3_prepare_v2 (db, REPORT_ALL_FLOOR, -1, &stmt, NULL) == SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        ;
      t0 = now_ms () - t0;
      sqlite3_finalize (stmt);
      sqlite3_close (db);
      return t0;
    }
  else
    {
      g_autoptr(SdStore) store = sd_store_open (city->path, SD_STORE_OPEN_DEFAULT, &error);
      g_autoptr(SdShelterStatus) status = NULL;

      g_assert_no_error (error);
      t0 = now_ms ();
      status = sd_store_compute_shelter_status (store, NULL, &error);
      t0 = now_ms () - t0;
      g_assert_no_error (error);
      return t0;
    }
}

static double
first_check_ms (City *city)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (city->path, SD_STORE_OPEN_DEFAULT, &error);
  double t0;

  g_assert_no_error (error);
  t0 = now_ms ();
  g_assert_true (sd_store_check (store, &error));
  t0 = now_ms () - t0;
  g_assert_no_error (error);
  return t0;
}

/* The first run after the file left the page cache, as on a kiosk just
 * switched on, for what a person waits on at the start: the report of
 * every shelter, info, the open, the check; each with its floor, cold
 * too.  Once each: a cold run leaves the file warm. */
static void
bench_cold (City *city)
{
  struct { const char *what; double warm, cold; } rows[8] = {
    { "status report, all shelters" }, { "its floor: bare GROUP BY sex, same join" },
    { "info: open, then the counts" }, { "info's floor: bare open, schema read" },
    { "open: damage check, schema compare" }, { "open's floor: bare open, schema read" },
    { "check" }, { "check's floor: bare quick_check" },
  };

  sd_bench_evict (city->path);
  rows[0].cold = first_report_ms (city, FALSE);
  sd_bench_evict (city->path);
  rows[1].cold = first_report_ms (city, TRUE);
  sd_bench_evict (city->path);
  rows[2].cold = info_ms (city->path);
  sd_bench_evict (city->path);
  rows[3].cold = bare_open_ms (city->path);
  sd_bench_evict (city->path);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) store = NULL;
    double t0 = now_ms ();

    store = sd_store_open (city->path, SD_STORE_OPEN_DEFAULT, &error);
    rows[4].cold = now_ms () - t0;
    g_assert_no_error (error);
  }
  sd_bench_evict (city->path);
  rows[5].cold = bare_open_ms (city->path);
  sd_bench_evict (city->path);
  rows[6].cold = first_check_ms (city);
  sd_bench_evict (city->path);
  rows[7].cold = bare_pragma_ms (city->path, "PRAGMA quick_check");

  rows[0].warm = city->report_all;
  rows[1].warm = city->report_all_floor;
  rows[2].warm = city->info;
  rows[3].warm = city->info_floor;
  rows[4].warm = city->open;
  rows[5].warm = city->open_floor;
  rows[6].warm = city->check;
  rows[7].warm = city->check_floor;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sd_bench_table_add (cold_table, city->k, rows[i].what, "once", rows[i].cold, rows[i].warm);
}

static void
make_tables (void)
{
  register_table = sd_bench_table_new ("Ctrl+S on Intake: duplicate check of 4 members, then the household, its "
                                       "members and their check-in, durable (WAL, synchronous=FULL), 200 times, "
                                       "on a city of each size", sizes, "ShelterDesk", "floor", "bare SQLite, same city");
  sd_bench_table_add_note (register_table, "target: p95 under 10 ms at 1 000 000 persons");
  search_table = sd_bench_table_new ("Search as you type, 1 000 queries each, 50 results at most", sizes,
                                     "ShelterDesk", "floor", "bare key range scan");
  sd_bench_table_add_note (search_table, "target: p95 under 10 ms (ShelterDesk also builds each person shown, "
                                         "with their status)");
  rebuild_table = sd_bench_table_new ("Rebuilding every person's search keys (the upgrade that added romaji "
                                      "readings), once", sizes, "ShelterDesk", "floor", "bare copy of the keys");
  report_table = sd_bench_table_new ("Shelter status report, median of 9", sizes, "ShelterDesk",
                                     "floor", "bare GROUP BY sex");
  sd_bench_table_add_note (report_table, "target: under 100 ms");
  open_table = sd_bench_table_new ("Opening and checking the database", sizes, "ShelterDesk", "floor",
                                   "bare SQLite");
  bytes_table = sd_bench_table_new ("Bytes a person takes in the city's file, as built (dbstat)", sizes,
                                    "bytes", NULL, NULL);
  sd_bench_table_set_unit (bytes_table, SD_BENCH_UNIT_BYTES);
  cold_table = sd_bench_table_new ("Cold cache: the first run after the file was dropped from the page cache, "
                                   "against the same work warm in the tables above (shown where cold is 10x warm or more)", sizes, "cold",
                                   "warm", NULL);
  sd_bench_table_set_min_ratio (cold_table, 10);
}

static void
run_city (City *city, GRand *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autofree char *cached = NULL, *path = NULL, *label = sd_bench_size_label (city->persons);
  gint64 file_bytes, oplog_bytes;
  double build_seconds;
  GStatBuf st;

  store = sd_bench_city_open_copy (SD_BENCH_CITY_INTAKE, city->persons, dir, &cached, &path, &build_seconds,
                                   &error);
  g_assert_no_error (error);
  city->cached = cached;
  city->path = path;
  sd_bench_city_measure (cached, &file_bytes, &oplog_bytes, &error);
  g_assert_no_error (error);
  sd_bench_table_add (bytes_table, city->k, "database file", "mean", (double) file_bytes / city->persons, NAN);
  sd_bench_table_add (bytes_table, city->k, "of which the op-log (oplog* and their indexes)", "mean",
                      (double) oplog_bytes / city->persons, NAN);
  sd_bench_table_add_note (bytes_table, "%s: the file %.2f GB, of which the op-log %.2f GB (%.0f %%); built in "
                           "%.0f s", label, file_bytes / 1e9, oplog_bytes / 1e9, 100.0 * oplog_bytes / file_bytes,
                           build_seconds);
  g_print ("%s: measuring ...\n", label);
  city->shelter_ids = sd_bench_city_shelter_ids (store, SD_BENCH_CITY_INTAKE, city->persons, &error);
  g_assert_no_error (error);

  bench_register (city, store, rand);
  bench_search (city, store);
  bench_rebuild_keys (city, store);
  bench_report (city, store);
  g_clear_object (&store);
  g_print ("%s: open and checks ...\n", label);
  bench_open_and_check (city);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  sd_bench_table_add_note (open_table, "%s: the file after the benchmarks above is %.0f MB.", label,
                           st.st_size / 1e6);
  g_print ("%s: cold ...\n", label);
  bench_cold (city);
  g_ptr_array_unref (city->shelter_ids);
  /* The copy is the size of the city: leave nothing behind. */
  sd_database_files_remove (path);
  city->cached = city->path = NULL;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  g_autofree char *evicted = NULL;

  sizes = sd_bench_sizes ();
  dir = g_dir_make_tmp ("sd-bench-intake-XXXXXX", NULL);
  make_tables ();
  for (guint k = 0; k < sizes->len; k++)
    {
      City city = { .k = k, .persons = g_array_index (sizes, guint, k) };

      run_city (&city, rand);
    }
  g_rmdir (dir);

  g_print ("\n");
  sd_bench_table_print (register_table);
  sd_bench_table_print (search_table);
  sd_bench_table_print (rebuild_table);
  sd_bench_table_print (report_table);
  sd_bench_table_add_note (open_table, "Over %d MB the check at open reads the small tables only; the desk then "
                           "checks the whole file in a worker thread (the quick_check row).", 32);
  sd_bench_table_add_note (open_table, "target: the check at open under 100 ms");
  sd_bench_table_print (open_table);
  sd_bench_table_print (bytes_table);
  evicted = sd_bench_evict_describe ();
  sd_bench_table_add_note (cold_table, "The page cache: %s.", evicted);
  sd_bench_table_print (cold_table);

  g_clear_pointer (&register_table, sd_bench_table_free);
  g_clear_pointer (&search_table, sd_bench_table_free);
  g_clear_pointer (&rebuild_table, sd_bench_table_free);
  g_clear_pointer (&report_table, sd_bench_table_free);
  g_clear_pointer (&open_table, sd_bench_table_free);
  g_clear_pointer (&bytes_table, sd_bench_table_free);
  g_clear_pointer (&cold_table, sd_bench_table_free);
  g_array_unref (sizes);
  g_free (dir);
  return 0;
}
