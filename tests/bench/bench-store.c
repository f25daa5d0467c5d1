/* bench-store.c: opening a new database, loading the demo, registering households; against bare SQLite.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints a table.  Each figure has a floor measured in the same run on the
 * same disk: bare SQLite doing the same work (the same schema, the same
 * rows, the same durability settings) without ShelterDesk's validation,
 * op-log capture or objects.  The ratio is what ShelterDesk costs.  Nothing
 * here asserts on time.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#define RUNS 15

static char *dir;

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static char *
fresh_path (const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (path);
  g_remove (wal);
  g_remove (shm);
  return path;
}

static sqlite3 *
bare_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert (sqlite3_open (path, &db) == SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                NULL, NULL, NULL);
  return db;
}

/* The schema as ShelterDesk made it, without its capture triggers. */
static char *
schema_without_triggers (void)
{
  g_autofree char *path = fresh_path ("schema.sqlite");
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);
  GString *sql = g_string_new ("BEGIN;");
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (_sd_store_get_db (store),
                      "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND type != 'trigger' "
                      "ORDER BY type = 'index', rowid", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (sql, "%s;", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_string_append (sql, "COMMIT;");
  return g_string_free (sql, FALSE);
}

static void
row (const char *what, double ours, double floor_ms, const char *unit)
{
  g_print ("| %-44s | %10.3f %s | %10.3f %s | %6.2fx |\n", what, ours, unit, floor_ms, unit,
           floor_ms > 0 ? ours / floor_ms : 0);
}

static void
bench_open (const char *schema)
{
  double ours[RUNS], floor_v[RUNS];

  for (int i = 0; i < RUNS; i++)
    {
      g_autofree char *a = fresh_path ("open-ours.sqlite");
      g_autofree char *b = fresh_path ("open-bare.sqlite");
      double t0 = now_ms ();
      g_autoptr(SdStore) store = sd_store_open (a, SD_STORE_OPEN_CREATE, NULL);
      sqlite3 *db;

      ours[i] = now_ms () - t0;
      g_assert (store != NULL);

      t0 = now_ms ();
      db = bare_open (b);
      sqlite3_exec (db, schema, NULL, NULL, NULL);
      floor_v[i] = now_ms () - t0;
      sqlite3_close (db);
    }
  row ("create + migrate a new database (median)", median (ours, RUNS), median (floor_v, RUNS), "ms");
}

static void
bench_reopen (void)
{
  double ours[RUNS], floor_v[RUNS];
  g_autofree char *path = fresh_path ("reopen.sqlite");
  g_autoptr(SdStore) first = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);

  g_clear_object (&first);
  for (int i = 0; i < RUNS; i++)
    {
      double t0 = now_ms ();
      g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, NULL);
      sqlite3 *db;

      g_assert (store != NULL);
      ours[i] = now_ms () - t0;
      g_clear_object (&store);

      t0 = now_ms ();
      db = bare_open (path);
      sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
      floor_v[i] = now_ms () - t0;
      sqlite3_close (db);
    }
  row ("open an existing database (median)", median (ours, RUNS), median (floor_v, RUNS), "ms");
}

static void
bench_household (const char *schema)
{
  double ours[RUNS * 4], floor_v[RUNS * 4];
  g_autofree char *a = fresh_path ("hh-ours.sqlite");
  g_autofree char *b = fresh_path ("hh-bare.sqlite");
  g_autoptr(SdStore) store = sd_store_open (a, SD_STORE_OPEN_CREATE, NULL);
  SdShelterSpec shelter_spec = { "S01", "みなと川市立東小学校", SD_SHELTER_KIND_DESIGNATED, 480, NULL };
  g_autoptr(SdShelter) shelter = sd_store_add_shelter (store, &shelter_spec, NULL);
  sqlite3 *db = bare_open (b);
  sqlite3_stmt *h = NULL, *p = NULL;
  SdHouseholdSpec hh = { sd_shelter_get_id (shelter), SD_STAY_SHELTER, NULL, "みなと川市東町1丁目2-3", "090-0000-1234" };
  SdPersonSpec members[4] = {
    { "山田 太郎", "ヤマダ タロウ", "1975-04-01", SD_SEX_MALE, NULL, NULL, TRUE },
    { "山田 花子", "ヤマダ ハナコ", "1978-09-12", SD_SEX_FEMALE, NULL, NULL, TRUE },
    { "山田 一郎", "ヤマダ イチロウ", "2008-01-20", SD_SEX_MALE, NULL, NULL, FALSE },
    { "山田 桜", "ヤマダ サクラ", "2015-06-30", SD_SEX_FEMALE, NULL, NULL, FALSE },
  };

  sqlite3_exec (db, schema, NULL, NULL, NULL);
  sqlite3_exec (db, "INSERT INTO shelters (id, code, name, kind) VALUES ('s', 'S01', 'x', 'designated')",
                NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO households (id, shelter_id, stay, address, phone, representative_id, "
                          "created_at) VALUES (?1, 's', 'shelter', ?2, ?3, ?4, 0)", -1, &h, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO persons (id, household_id, name, kana, birth_date, sex, "
                          "consent_disclose, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'male', 1, 0)", -1, &p, NULL);

  for (int i = 0; i < RUNS * 4; i++)
    {
      double t0 = now_ms ();
      g_autofree char *id = sd_store_add_household (store, &hh, members, 4, NULL, NULL);
      g_autofree char *hid = g_strdup_printf ("h%d", i);

      g_assert (id != NULL);
      ours[i] = now_ms () - t0;

      /* The floor: the same five rows in one transaction, bound and stepped. */
      t0 = now_ms ();
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_reset (h);
      sqlite3_bind_text (h, 1, hid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (h, 2, hh.address, -1, SQLITE_STATIC);
      sqlite3_bind_text (h, 3, hh.phone, -1, SQLITE_STATIC);
      sqlite3_bind_text (h, 4, hid, -1, SQLITE_TRANSIENT);
      sqlite3_step (h);
      for (int m = 0; m < 4; m++)
        {
          g_autofree char *pid = g_strdup_printf ("p%d-%d", i, m);
          sqlite3_reset (p);
          sqlite3_bind_text (p, 1, pid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (p, 2, hid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (p, 3, members[m].name, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 4, members[m].kana, -1, SQLITE_STATIC);
          sqlite3_bind_text (p, 5, members[m].birth_date, -1, SQLITE_STATIC);
          sqlite3_step (p);
        }
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      floor_v[i] = now_ms () - t0;
    }
  sqlite3_finalize (h);
  sqlite3_finalize (p);
  sqlite3_close (db);
  row ("register a household of 4, durable (median)", median (ours, RUNS * 4), median (floor_v, RUNS * 4), "ms");
}

static void
bench_seed (void)
{
  const char *seeds = g_getenv ("SD_SEEDS_DIR");
  g_autofree char *path = fresh_path ("seed.sqlite");
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);
  SdSeedSummary summary = { 0 };
  double t0;

  if (seeds == NULL)
    seeds = SD_SOURCE_DIR "/seeds";
  t0 = now_ms ();
  g_assert (sd_seed_load (store, seeds, &summary, NULL));
  g_print ("| %-44s | %10.3f ms | %13s | %7s |\n", "load the demo seeds (3 Argon2id PINs)", now_ms () - t0, "-", "-");
}

int
main (int argc, char *argv[])
{
  g_autofree char *schema = NULL;

  dir = g_dir_make_tmp ("sd-bench-XXXXXX", NULL);
  schema = schema_without_triggers ();

  g_print ("ShelterDesk store benchmark (floor: bare SQLite, same schema, WAL, synchronous=FULL)\n\n");
  g_print ("| %-44s | %13s | %13s | %7s |\n", "work", "ShelterDesk", "bare SQLite", "ratio");
  g_print ("|%s|%s|%s|%s|\n", "----------------------------------------------", "---------------",
           "---------------", "---------");
  bench_open (schema);
  bench_reopen ();
  bench_household (schema);
  bench_seed ();
  g_print ("\nShelterDesk's extra work: validation, UUIDv7 ids, and one op-log row per field written, "
           "in the same transaction.\n");
  return 0;
}
