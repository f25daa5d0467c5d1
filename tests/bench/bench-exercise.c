/* bench-exercise.c: the demo's 24-hour earthquake played headless at max speed, against bare SQLite writing what it leaves.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An exercise database is made from the demo; then, timed, on fresh
 * copies: the demo scenario (seeds/scenarios/m7-day1.csv, ≈4 400
 * evacuees) and the same with staff answering again through the
 * afternoon (≈3 000 safety answers, the scale: the demo roster
 * has 293 staff).  The floor writes every row the run left in the
 * tables it touched (records, op-log, search keys, derived counts) into
 * the same tables without triggers or indexes beyond their keys, in one
 * durable transaction: what storing the day costs before any of it is
 * generated, checked or counted.  Prints a table; never asserts on time.
 */
#include "../sync/sd-sync-test.h"
#include "sd-exercise.h"
#include "sd-exercise-replay.h"
#include "sd-exercise-snapshot.h"
#include "sd-scenario.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 3
/* 2026-12-05 05:46 JST */
#define START_AT G_GINT64_CONSTANT (1764881160000)

static const char *const written[] = {
  "households", "persons", "person_events", "person_state", "person_keys", "shelters", "shelter_conditions",
  "rollcalls", "safety_answers", "safety_state", "support_reports", "support_state", "oplog", "shelter_occupancy",
  "shelter_households", "staying_totals", "staying_by_birth", "table_counts", "exercise_injects", "exercise_run",
};

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v)
{
  qsort (v, RUNS, sizeof *v, compare_double);
  return v[RUNS / 2];
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) a = g_file_new_for_path (from);
  g_autoptr(GFile) b = g_file_new_for_path (to);
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);

  /* A WAL left by the last run must not be read into the new copy. */
  g_unlink (wal);
  g_unlink (shm);
  g_assert_true (g_file_copy (a, b, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
}

static SdScenario *
scenario_of (const char *extra)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("SD_SEEDS_DIR"), "scenarios", "m7-day1.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *all = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SdScenario *scenario;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  all = g_strconcat (text, extra, NULL);
  bytes = g_bytes_new (all, strlen (all));
  scenario = sd_scenario_parse (bytes, "m7-day1.csv", FALSE, &error);
  g_assert_no_error (error);
  return scenario;
}

/* One run on a fresh copy of EXERCISE: the time, and the totals. */
static double
run_once (const char       *exercise,
          const char       *copy,
          SdScenario       *scenario,
          SdExerciseTotals *totals)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdExerciseEngine) engine = NULL;
  gint64 t0;
  double ms;

  copy_file (exercise, copy);
  store = sd_store_open (copy, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  engine = sd_exercise_engine_new (store, scenario, 7, START_AT, &error);
  g_assert_no_error (error);
  g_assert_true (sd_exercise_engine_run_all (engine, &error));
  g_assert_no_error (error);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  *totals = *sd_exercise_engine_get_totals (engine);
  return ms;
}

/* The floor: every row the run left in the tables it wrote, copied into
 * bare tables of a new file in one durable transaction. */
static double
floor_once (const char *played,
            const char *floor_path)
{
  sqlite3 *db = NULL;
  g_autoptr(GString) sql = g_string_new ("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  g_autofree char *attach = g_strdup_printf ("ATTACH '%s' AS played;", played);
  gint64 t0;

  g_unlink (floor_path);
  g_assert_cmpint (sqlite3_open (floor_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  g_string_truncate (sql, 0);
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    g_string_append_printf (sql, "CREATE TABLE main.\"%s\" AS SELECT * FROM played.\"%s\" WHERE 0;",
                            written[i], written[i]);
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  /* Read into the page cache first: the floor times the writing. */
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    {
      g_autofree char *warm = g_strdup_printf ("SELECT count (*) FROM played.\"%s\"", written[i]);

      g_assert_cmpint (sqlite3_exec (db, warm, NULL, NULL, NULL), ==, SQLITE_OK);
    }
  t0 = g_get_monotonic_time ();
  g_string_assign (sql, "BEGIN;");
  for (guint i = 0; i < G_N_ELEMENTS (written); i++)
    g_string_append_printf (sql, "INSERT INTO main.\"%s\" SELECT * FROM played.\"%s\";", written[i], written[i]);
  g_string_append (sql, "COMMIT;");
  g_assert_cmpint (sqlite3_exec (db, sql->str, NULL, NULL, NULL), ==, SQLITE_OK);
  {
    double ms = (g_get_monotonic_time () - t0) / 1000.0;

    sqlite3_close (db);
    return ms;
  }
}

static void
track_lag (const SdExerciseReplayProgress *progress,
           gpointer                        user_data)
{
  double *max_lag = user_data;

  *max_lag = MAX (*max_lag, (double) progress->lag_ms);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-exercise-XXXXXX", &error);
  g_autofree char *demo = g_build_filename (dir, "demo.sqlite", NULL);
  g_autofree char *exercise = g_build_filename (dir, "exercise.sqlite", NULL);
  g_autofree char *copy = g_build_filename (dir, "run.sqlite", NULL);
  g_autofree char *floor_path = g_build_filename (dir, "floor.sqlite", NULL);
  g_autoptr(GString) extra = g_string_new (NULL);
  struct { const char *what; SdScenario *scenario; double ours[RUNS], floor[RUNS]; SdExerciseTotals totals; } rows[2];

  g_assert_no_error (error);
  {
    g_autoptr(SdStore) store = sd_store_open (demo, SD_STORE_OPEN_CREATE, &error);

    g_assert_no_error (error);
    g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_true (sd_exercise_new (demo, exercise, &error));
  g_assert_no_error (error);

  /* Staff answering again every hour of the afternoon and evening. */
  for (int h = 15; h <= 22; h++)
    g_string_append_printf (extra, "9%02d,T+%02d:00,機械動作,,,,職員の再回答,,safety-answers share=1 within=50m\n", h, h);
  rows[0].what = "M7 day 1 (demo scenario)";
  rows[0].scenario = scenario_of ("");
  rows[1].what = "M7 day 1, staff answering hourly from T+15";
  rows[1].scenario = scenario_of (extra->str);

  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    for (guint i = 0; i < RUNS; i++)
      {
        rows[r].ours[i] = run_once (exercise, copy, rows[r].scenario, &rows[r].totals);
        rows[r].floor[i] = floor_once (copy, floor_path);
      }

  g_print ("\nTabletop exercise, headless at max speed (seed 7), median of %d runs\n\n", RUNS);
  g_print ("| %-44s | %9s | %8s | %7s | %9s | %9s | %-8s |\n", "scenario", "evacuees", "answers", "events",
           "ShelterDesk", "floor", "target");
  g_print ("|----------------------------------------------|-----------|----------|---------|-------------|-----------|----------|\n");
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      const SdExerciseTotals *t = &rows[r].totals;
      double ours = median (rows[r].ours), floor_ms = median (rows[r].floor);

      g_print ("| %-44s | %9u | %8u | %7u | %8.0f ms | %6.0f ms | < 10 s   |\n", rows[r].what,
               t->persons + t->returning, t->safety_answers, t->events, ours, floor_ms);
    }
  g_print ("\nfloor: every row the run left (records, op-log, search keys, derived counts, injects) written into "
           "bare tables in one durable transaction\n");
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    {
      g_print ("%s: %.1fx the floor, %s the 10 s target\n", rows[r].what,
               median (rows[r].ours) / median (rows[r].floor), median (rows[r].ours) < 10000 ? "within" : "OVER");
    }

  /* The scrubber and the replay, on the demo scenario's day (the last copy
   * played is the second row's: copy it back to the first's). */
  {
    g_autofree char *replayed = g_build_filename (dir, "replayed.sqlite", NULL);
    g_autofree char *paced = g_build_filename (dir, "paced.sqlite", NULL);
    g_autoptr(SdStore) store = NULL;
    double snap[20], bare[20], replay_ms, max_lag = 0;
    sqlite3_stmt *stmt = NULL;
    SdExerciseTotals totals;
    gint64 t0;

    run_once (exercise, copy, rows[0].scenario, &totals);
    store = sd_store_open (copy, SD_STORE_OPEN_DEFAULT, &error);
    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store),
                                         "SELECT count (*), count (DISTINCT person_id) FROM person_events "
                                         "WHERE at <= ?1", -1, &stmt, NULL), ==, SQLITE_OK);
    for (guint i = 0; i < G_N_ELEMENTS (snap); i++)
      {
        gint64 at = START_AT + (gint64) i * 24 * 3600000 / G_N_ELEMENTS (snap);
        g_autoptr(SdExerciseSnapshot) snapshot = NULL;

        t0 = g_get_monotonic_time ();
        snapshot = sd_exercise_snapshot_at (store, at, &error);
        snap[i] = (g_get_monotonic_time () - t0) / 1000.0;
        g_assert_no_error (error);
        t0 = g_get_monotonic_time ();
        sqlite3_bind_int64 (stmt, 1, at);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        sqlite3_reset (stmt);
        bare[i] = (g_get_monotonic_time () - t0) / 1000.0;
      }
    sqlite3_finalize (stmt);
    g_clear_object (&store);

    g_unlink (replayed);
    t0 = g_get_monotonic_time ();
    g_assert_true (sd_exercise_replay (copy, replayed, 0, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    replay_ms = (g_get_monotonic_time () - t0) / 1000.0;
    g_unlink (paced);
    g_assert_true (sd_exercise_replay (copy, paced, 3600, track_lag, &max_lag, NULL, &error));
    g_assert_no_error (error);

    g_print ("\n| %-52s | %9s | %9s | %-10s |\n", "scrubber and replay, the demo's 24 hours", "ShelterDesk", "floor",
             "target");
    g_print ("|------------------------------------------------------|-------------|-----------|------------|\n");
    qsort (snap, G_N_ELEMENTS (snap), sizeof (double), compare_double);
    qsort (bare, G_N_ELEMENTS (bare), sizeof (double), compare_double);
    g_print ("| %-52s | %8.1f ms | %6.1f ms | < 100 ms   |\n", "state of every desk at a moment (median of 20)",
             snap[G_N_ELEMENTS (snap) / 2], bare[G_N_ELEMENTS (bare) / 2]);
    g_print ("| %-52s | %8.1f ms | %6.1f ms | < 100 ms   |\n", "the same, the slowest of 20", snap[G_N_ELEMENTS (snap) - 1],
             bare[G_N_ELEMENTS (bare) - 1]);
    g_print ("| %-52s | %8.0f ms | %6.0f ms |            |\n", "replay of the whole day as fast as possible", replay_ms,
             median (rows[0].floor));
    g_print ("| %-52s | %9.2f s | %9s | < 1 s      |\n", "replay at 3600x: most behind its pace at any moment",
             max_lag / 1000.0, "");
    g_print ("\nfloors: a count of the events up to the moment (bare SQL); writing every row the day left (above). "
             "At 60x each tick folds in 1/60 of what it does at 3600x.\n");
    g_unlink (replayed);
    g_unlink (paced);
  }
  for (guint r = 0; r < G_N_ELEMENTS (rows); r++)
    sd_scenario_free (rows[r].scenario);

  g_unlink (demo);
  g_unlink (exercise);
  g_unlink (copy);
  g_unlink (floor_path);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
  }
  g_rmdir (dir);
  return 0;
}
