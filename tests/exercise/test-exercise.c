/* test-exercise.c: an exercise database made from the demo, and the engine playing the demo's 24-hour earthquake on it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "../sync/sd-sync-test.h"
#include "sd-batch.h"
#include "sd-exercise.h"
#include "sd-exercise-live.h"
#include "sd-exercise-replay.h"
#include "sd-exercise-snapshot.h"
#include "sd-scenario.h"

#include <glib/gstdio.h>
#include <string.h>

/* 2026-12-05 05:46 JST, T+0 of the demo's earthquake. */
#define START_AT G_GINT64_CONSTANT (1764881160000)

typedef struct {
  char *dir;
  char *live;      /* the demo deployment */
  char *exercise;  /* made from it, never run */
} Fixture;

static gint64
count (SdStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) live = NULL;

  f->dir = g_dir_make_tmp ("sd-exercise-XXXXXX", &error);
  g_assert_no_error (error);
  f->live = g_build_filename (f->dir, "demo.sqlite", NULL);
  f->exercise = g_build_filename (f->dir, "exercise.sqlite", NULL);
  live = sd_store_open (f->live, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (live, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&live);
  g_assert_true (sd_exercise_new (f->live, f->exercise, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->live);
  g_free (f->exercise);
}

static char *
copy_of (Fixture    *f,
         const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (f->exercise);
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) to = g_file_new_for_path (path);

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}

static int
sd_test_compare_strings (gconstpointer a,
                         gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static SdScenario *
demo_scenario (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("SD_SEEDS_DIR"), "scenarios", name, NULL);
  SdScenario *scenario = sd_scenario_load (path, &error);

  g_assert_no_error (error);
  return scenario;
}

/* The exercise holds the deployment's shelters (closed), roster with
 * PINs, support list and map, and nothing of anyone's real day. */
static void
test_new (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) live = sd_store_open (f->live, SD_STORE_OPEN_READ_ONLY, &error);
  g_autoptr(SdStore) ex = sd_store_open (f->exercise, SD_STORE_OPEN_DEFAULT, &error);
  g_autofree char *sha = sd_sync_test_file_sha256 (f->live);
  g_autofree char *again = g_build_filename (f->dir, "again.sqlite", NULL);

  g_assert_no_error (error);
  g_assert_true (sd_store_get_is_exercise (ex));
  g_assert_false (sd_store_get_is_exercise (live));
  g_assert_cmpint (count (live, "SELECT count (*) FROM persons"), >, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM persons"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM households"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM person_events"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM support_reports"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM card_keys"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM shelters"), ==, count (live, "SELECT count (*) FROM shelters"));
  g_assert_cmpint (count (ex, "SELECT count (*) FROM shelters WHERE is_open = 1"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM staff"), ==, count (live, "SELECT count (*) FROM staff"));
  g_assert_cmpint (count (ex, "SELECT count (*) FROM staff_pins"), ==,
                   count (live, "SELECT count (*) FROM staff_pins"));
  g_assert_cmpint (count (ex, "SELECT count (*) FROM support_persons"), ==,
                   count (live, "SELECT count (*) FROM support_persons"));
  g_assert_cmpint (count (ex, "SELECT count (*) FROM support_contacts"), ==,
                   count (live, "SELECT count (*) FROM support_contacts"));
  g_assert_cmpint (count (ex, "SELECT count (*) FROM map_addresses"), ==,
                   count (live, "SELECT count (*) FROM map_addresses"));
  /* Copied through the op-log, so the exercise's kiosks get them; the
   * exercise is an HQ of its own. */
  g_assert_cmpint (count (ex, "SELECT count (*) FROM oplog"), >, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM sync_self WHERE role = 'hq'"), ==, 1);
  g_assert_true (sd_store_check (ex, &error));
  g_assert_no_error (error);

  /* Never over a file that exists; the deployment is never written. */
  g_assert_false (sd_exercise_new (f->live, f->exercise, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&live);
  {
    g_autofree char *after = sd_sync_test_file_sha256 (f->live);

    g_assert_cmpstr (after, ==, sha);
  }
  g_assert_false (sd_exercise_new (again, again, &error));
  g_assert_nonnull (error);
  g_assert_false (g_file_test (again, G_FILE_TEST_EXISTS));
}

/* A scenario never runs in a database that is not an exercise. */
static void
test_refuses_live (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScenario) scenario = demo_scenario ("m7-day1.csv");
  g_autofree char *before = sd_sync_test_file_sha256 (f->live);
  g_autoptr(SdStore) live = sd_store_open (f->live, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdExerciseEngine) engine = NULL;

  g_assert_no_error (error);
  engine = sd_exercise_engine_new (live, scenario, 7, START_AT, &error);
  g_assert_null (engine);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "not an exercise"));
  g_clear_object (&live);
  {
    g_autofree char *after = sd_sync_test_file_sha256 (f->live);

    g_assert_cmpstr (after, ==, before);
  }
}

/* What the database must name before anything runs. */
static void
test_check_against (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) ex = sd_store_open (f->exercise, SD_STORE_OPEN_DEFAULT, &error);
  struct { const char *csv; const char *says; } cases[] = {
    { "serial,time,description,action\n1,T+0,x,shelter-open S99\n", "x.csv, line 2: inject 1 names the shelter S99" },
    { "serial,time,description,action\n1,T+0,x,safety-answers share=0.5\n", "x.csv, line 2: inject 1 has staff" },
    { "serial,time,description,action\n1,T+0,x,\"rollcall title=\"\"A\"\"\"\n2,T+1,y,\"safety-answers "
      "share=0.5 rollcall=B\"\n", "x.csv, line 3: " },
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (cases[i].csv, strlen (cases[i].csv));
      g_autoptr(SdScenario) scenario = sd_scenario_parse (bytes, "x.csv", FALSE, &error);
      g_autoptr(SdExerciseEngine) engine = NULL;

      g_assert_no_error (error);
      engine = sd_exercise_engine_new (ex, scenario, 1, START_AT, &error);
      g_assert_null (engine);
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, cases[i].says));
      g_clear_error (&error);
    }
  /* Nothing was started. */
  g_assert_cmpint (count (ex, "SELECT count (*) FROM exercise_run"), ==, 0);
  g_assert_cmpint (count (ex, "SELECT count (*) FROM exercise_injects"), ==, 0);
}

static char *
play (const char *path,
      guint64     seed,
      SdExerciseTotals *out_totals)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScenario) scenario = demo_scenario ("m7-day1.csv");
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdExerciseEngine) engine = NULL;

  g_assert_no_error (error);
  engine = sd_exercise_engine_new (store, scenario, seed, START_AT, &error);
  g_assert_no_error (error);
  g_assert_true (sd_exercise_engine_run_all (engine, &error));
  g_assert_no_error (error);
  g_assert_true (sd_exercise_engine_is_done (engine));
  *out_totals = *sd_exercise_engine_get_totals (engine);
  g_clear_pointer (&engine, sd_exercise_engine_free);
  /* Its own clock again: a second run is refused, and says why. */
  engine = sd_exercise_engine_new (store, scenario, seed, START_AT, &error);
  g_assert_null (engine);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS);
  return sd_sync_test_dump (store);
}

/* The same exercise file, scenario and seed give byte-identical data,
 * ids and op-log included; the day ends with the counts the scenario
 * makes. */
static void
test_deterministic (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a_path = copy_of (f, "a.sqlite"), *b_path = copy_of (f, "b.sqlite"), *c_path = copy_of (f, "c.sqlite");
  g_autoptr(SdScenario) scenario = demo_scenario ("m7-day1.csv");
  SdExerciseTotals a = { 0 }, b = { 0 }, c = { 0 };
  g_autofree char *dump_a = play (a_path, 7, &a);
  g_autofree char *dump_b = play (b_path, 7, &b);
  g_autofree char *dump_c = play (c_path, 8, &c);
  g_autoptr(SdStore) store = sd_store_open (a_path, SD_STORE_OPEN_DEFAULT, &error);
  guint arriving = 0, staff, answers = 0, injects_for_people = 0, machine_injects = 0, open = 0;

  g_assert_no_error (error);
  g_assert_true (strcmp (dump_a, dump_b) == 0);
  g_assert_cmpint (memcmp (&a, &b, sizeof a), ==, 0);
  g_assert_true (strcmp (dump_a, dump_c) != 0);

  /* The counts the scenario decides. */
  staff = (guint) count (store, "SELECT count (*) FROM staff WHERE active = 1");
  for (guint i = 0; i < sd_scenario_get_n_injects (scenario); i++)
    {
      const SdInject *inject = sd_scenario_get_inject (scenario, i);

      if (inject->action.kind == SD_ACTION_ARRIVALS)
        arriving += inject->action.people;
      if (inject->action.kind == SD_ACTION_SAFETY_ANSWERS)
        answers += (guint) (inject->action.share * staff + 0.5);
      if (inject->action.kind == SD_ACTION_SHELTER_OPEN)
        open++;
      if (*inject->recipient != '\0')
        injects_for_people++;
      else if (inject->action.kind != SD_ACTION_NONE)
        machine_injects++;
    }
  g_test_message ("%u arriving: %u new, %u known; %u events, %u answers, %u skipped", arriving, a.persons,
                  a.returning, a.events, a.safety_answers, a.skipped);
  g_assert_cmpuint (arriving, >=, 4000);
  g_assert_cmpuint (a.persons + a.returning, ==, arriving);
  g_assert_cmpint (count (store, "SELECT count (*) FROM persons"), ==, a.persons);
  g_assert_cmpint (count (store, "SELECT count (*) FROM households"), ==, a.households);
  g_assert_cmpuint (a.returning, >, 0);
  g_assert_cmpuint (a.card_intakes, >, 0);
  g_assert_cmpint (count (store, "SELECT count (*) FROM persons WHERE kana IS NULL"), ==, a.card_intakes);
  g_assert_cmpuint (a.safety_answers, ==, answers);
  g_assert_cmpint (count (store, "SELECT count (*) FROM safety_answers"), ==, answers);
  g_assert_cmpint (count (store, "SELECT count (*) FROM rollcalls"), ==, 2);
  g_assert_cmpint (count (store, "SELECT count (*) FROM shelters WHERE is_open = 1"), ==, open);
  g_assert_cmpint (count (store, "SELECT count (*) FROM person_events WHERE kind != 'arrive'"), ==, a.events);
  g_assert_cmpint (count (store, "SELECT count (*) FROM support_reports"), ==, a.support_reports);
  g_assert_cmpuint (a.support_reports, >, 0);
  g_assert_cmpuint (a.conditions, ==, 2);
  g_assert_cmpuint (a.faults, ==, 3);  /* the network everywhere, at S03, the reader at S01 */
  g_assert_cmpuint (a.injects, ==, sd_scenario_get_n_injects (scenario));
  /* Every record is stamped in the exercise's day, not today. */
  g_assert_cmpint (count (store, "SELECT min (at) FROM person_events"), >=, START_AT);
  g_assert_cmpint (count (store, "SELECT max (at) FROM person_events"), <=, START_AT + 24 * 3600000LL);
  /* Injects for nobody but the machine are done; those for people wait
   * for them to acknowledge. */
  g_assert_cmpint (count (store, "SELECT count (*) FROM exercise_injects WHERE state = 'done' AND done_by = 'machine'"),
                   ==, machine_injects);
  g_assert_cmpint (count (store, "SELECT count (*) FROM exercise_injects WHERE state = 'delivered'"), ==,
                   injects_for_people);
  g_assert_cmpint (count (store, "SELECT count (*) FROM exercise_run WHERE state = 'ended'"), ==, 1);
  /* The counts kept as people come and go equal a recount. */
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

static SdScenario *
scenario_text (const char *csv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  SdScenario *scenario = sd_scenario_parse (bytes, "live.csv", FALSE, &error);

  g_assert_no_error (error);
  return scenario;
}

static const char *
state_of (SdStore    *store,
          const char *serial)
{
  static char state[32];
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) injects = sd_exercise_list_injects (store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (injects); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);

      if (g_str_equal (sd_exercise_inject_get_serial (inject), serial))
        {
          g_strlcpy (state, sd_exercise_inject_get_state (inject), sizeof state);
          return state;
        }
    }
  return "none";
}

/* Ticks ENGINE until the shared clock passes UNTIL_MS (at most 20 s). */
static void
tick_until (SdStore          *store,
            SdExerciseEngine *engine,
            gint64            until_ms)
{
  g_autoptr(GError) error = NULL;
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  for (;;)
    {
      SdExerciseClock clock;
      gint64 now;

      g_assert_true (sd_exercise_engine_tick (engine, &error));
      g_assert_no_error (error);
      g_assert_true (sd_exercise_get_clock (store, &clock, &error));
      now = sd_exercise_clock_now (&clock, g_get_real_time () / 1000);
      sd_exercise_clock_clear (&clock);
      if (now > until_ms || g_get_monotonic_time () > give_up)
        break;
      g_usleep (20000);
    }
}

/* The facilitator's controls and the players' timers, on the shared
 * clock; the engine restarted half-way goes on where it was. */
static void
test_live (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (f->exercise, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdScenario) scenario = scenario_text (
    "serial,time,to,description,expected,action\n"
    "1,T+00:00,,S01 opens,,shelter-open S01\n"
    "2,T+00:10,S01 受付,Many people at the door,Set up a second desk,\n"
    "3,T+00:20,本部,A report is due,Send the report,\n"
    "3b,T+00:20,,The reader at S01 fails,,reader fails at=S01 for=20m\n"
    "4,T+00:30,,People arrive,,arrivals shelter=S01 people=40 over=20m\n"
    "5,T+05:00,全員,Late inject,Nothing,\n"
    "6,T+06:00,全員,Skipped inject,Nothing,\n");
  g_autoptr(SdExerciseEngine) engine = NULL;
  g_autoptr(GListModel) open = NULL;
  SdExerciseClock clock;

  g_assert_no_error (error);
  engine = sd_exercise_engine_new (store, scenario, 5, START_AT, &error);
  g_assert_no_error (error);
  /* Ready, not running: a tick plays nothing. */
  g_assert_true (sd_exercise_engine_tick (engine, &error));
  g_assert_cmpstr (state_of (store, "1"), ==, "pending");

  /* An hour a second. */
  g_assert_true (sd_exercise_set_speed (store, 3600, &error));
  g_assert_true (sd_exercise_resume (store, &error));
  g_assert_no_error (error);
  tick_until (store, engine, 15 * 60000);
  g_assert_cmpstr (state_of (store, "2"), ==, "delivered");
  g_assert_cmpint (count (store, "SELECT count (*) FROM shelters WHERE is_open = 1"), ==, 1);

  /* Whose it is. */
  open = sd_exercise_list_open_injects (store, "S01", &error);
  g_assert_cmpuint (g_list_model_get_n_items (open), ==, 1);
  g_clear_object (&open);
  open = sd_exercise_list_open_injects (store, "S02", &error);
  g_assert_cmpuint (g_list_model_get_n_items (open), ==, 0);
  g_clear_object (&open);

  /* The player acknowledges, twice (a double press): the second says so. */
  g_assert_true (sd_exercise_acknowledge (store, "2", &error));
  g_assert_no_error (error);
  g_assert_false (sd_exercise_acknowledge (store, "2", &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (sd_exercise_add_observation (store, "2", "二つ目の受付を15分で開設", &error));
  g_assert_no_error (error);
  g_assert_false (sd_exercise_add_observation (store, "99", "no such inject", &error));
  g_clear_error (&error);
  g_assert_true (sd_exercise_add_observation (store, NULL, "受付の列が道路まで", &error));
  g_assert_no_error (error);
  {
    g_autoptr(GListModel) observations = sd_exercise_list_observations (store, &error);
    g_autoptr(SdExerciseObservation) first = NULL, second = NULL;
    gint64 at;

    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (observations), ==, 2);
    first = g_list_model_get_item (observations, 0);
    second = g_list_model_get_item (observations, 1);
    g_assert_cmpstr (sd_exercise_observation_get_serial (first), ==, "2");
    g_assert_cmpstr (sd_exercise_observation_get_text (first), ==, "二つ目の受付を15分で開設");
    g_assert_null (sd_exercise_observation_get_serial (second));
    at = sd_exercise_observation_get_at (first);
    g_assert_cmpint (at, >, 0);
    g_assert_cmpint (sd_exercise_observation_get_at (second), >=, at);
  }
  {
    gint64 ms = -1;

    g_assert_true (sd_scenario_parse_offset ("T+01:30", &ms));
    g_assert_cmpint (ms, ==, 5400000);
    g_assert_true (sd_scenario_parse_offset ("０：０５", &ms));
    g_assert_cmpint (ms, ==, 300000);
    g_assert_true (sd_scenario_parse_offset ("t+90", &ms));
    g_assert_cmpint (ms, ==, 5400000);
    g_assert_false (sd_scenario_parse_offset ("T+1:75", &ms));
    g_assert_false (sd_scenario_parse_offset ("soon", &ms));
  }
  g_assert_true (sd_exercise_mark_done (store, "2", "player", &error));
  g_assert_cmpstr (state_of (store, "2"), ==, "done");
  g_assert_cmpint (count (store, "SELECT count (*) FROM exercise_injects WHERE serial = '2' AND "
                                 "delivered_ms <= acknowledged_ms AND acknowledged_ms <= done_ms"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count (*) FROM exercise_observations WHERE serial = '2' AND at_ms > 0"), ==, 1);

  /* The facilitator: skip 6, deliver 5 now, pause. */
  g_assert_true (sd_exercise_skip (store, "6", &error));
  g_assert_true (sd_exercise_deliver_now (store, "5", &error));
  g_assert_no_error (error);
  tick_until (store, engine, 25 * 60000);
  g_assert_cmpstr (state_of (store, "5"), ==, "delivered");
  g_assert_false (sd_exercise_skip (store, "5", &error));
  g_clear_error (&error);
  g_assert_false (sd_exercise_retime (store, "5", 60000, &error));
  g_clear_error (&error);

  /* The reader at S01 fails from T+00:20 for 20 minutes; elsewhere,
   * readers work, and the network is up. */
  g_assert_true (sd_exercise_fault_now (store, "reader", "S01"));
  g_assert_false (sd_exercise_fault_now (store, "reader", "S02"));
  g_assert_false (sd_exercise_fault_now (store, "network", "S01"));

  /* Half-way through the arrivals the console closes; another takes over. */
  tick_until (store, engine, 40 * 60000);
  g_assert_true (sd_exercise_pause (store, &error));
  g_assert_true (sd_exercise_engine_tick (engine, &error));
  g_clear_pointer (&engine, sd_exercise_engine_free);
  {
    gint64 persons = count (store, "SELECT count (*) FROM persons");
    gint64 paused_at;

    g_assert_true (sd_exercise_get_clock (store, &clock, &error));
    g_assert_cmpint (clock.state, ==, SD_EXERCISE_PAUSED);
    paused_at = clock.clock_ms;
    /* Past T+00:40 the reader works again. */
    g_assert_false (sd_exercise_fault_now (store, "reader", "S01"));
    sd_exercise_clock_clear (&clock);
    g_assert_cmpint (persons, >, 0);
    g_assert_cmpint (persons, <, 40);
    engine = sd_exercise_engine_new (store, scenario, 5, START_AT, &error);
    g_assert_no_error (error);
    /* Paused: nothing moves. */
    g_usleep (200000);
    g_assert_true (sd_exercise_engine_tick (engine, &error));
    g_assert_cmpint (count (store, "SELECT count (*) FROM persons"), ==, persons);
    g_assert_true (sd_exercise_get_clock (store, &clock, &error));
    g_assert_cmpint (clock.clock_ms, ==, paused_at);
    sd_exercise_clock_clear (&clock);
  }
  /* As fast as possible to the end. */
  g_assert_true (sd_exercise_set_speed (store, 0, &error));
  g_assert_true (sd_exercise_resume (store, &error));
  while (!sd_exercise_engine_is_done (engine))
    {
      g_assert_true (sd_exercise_engine_tick (engine, &error));
      g_assert_no_error (error);
    }
  /* Every arrival exactly once, across the two engines. */
  g_assert_cmpint (count (store, "SELECT sum (played) FROM exercise_injects WHERE serial = '4'"), ==,
                   count (store, "SELECT count (*) FROM households"));
  g_assert_cmpint (count (store, "SELECT count (*) FROM persons"), ==, 40);
  g_assert_cmpstr (state_of (store, "6"), ==, "skipped");
  g_assert_cmpstr (state_of (store, "3"), ==, "delivered");
  g_assert_true (sd_exercise_get_clock (store, &clock, &error));
  g_assert_cmpint (clock.state, ==, SD_EXERCISE_ENDED);
  sd_exercise_clock_clear (&clock);
  g_assert_false (sd_exercise_resume (store, &error));
  g_clear_error (&error);
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

/* The snapshot of the finished day at T equals what the desks held at
 * T, read from a second copy played only up to T through the kept
 * counts (the status report, safety_state, support_state): two ways
 * that share no code. */
static void
test_snapshot (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *whole_path = copy_of (f, "whole.sqlite"), *part_path = copy_of (f, "part.sqlite");
  g_autoptr(SdScenario) scenario = demo_scenario ("m7-day1.csv");
  g_autoptr(SdStore) whole = sd_store_open (whole_path, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdStore) part = sd_store_open (part_path, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdExerciseEngine) engine = NULL;
  const gint64 moments[] = { 0, 30 * 60000, 65 * 60000, 3 * 3600000, 6 * 3600000 + 30 * 60000, 12 * 3600000 + 45 * 60000,
                             15 * 3600000 + 1, 23 * 3600000 + 30 * 60000 };

  g_assert_no_error (error);
  engine = sd_exercise_engine_new (whole, scenario, 7, START_AT, &error);
  g_assert_no_error (error);
  g_assert_true (sd_exercise_engine_run_all (engine, &error));
  g_clear_pointer (&engine, sd_exercise_engine_free);
  engine = sd_exercise_engine_new (part, scenario, 7, START_AT, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (moments); i++)
    {
      g_autoptr(SdShelterStatus) status = NULL;
      g_autoptr(SdExerciseSnapshot) snapshot = NULL;
      gint64 t0;

      g_assert_true (sd_exercise_engine_run_until (engine, moments[i], TRUE, &error));
      g_assert_no_error (error);
      status = sd_store_compute_shelter_status (part, NULL, &error);
      g_assert_no_error (error);
      t0 = g_get_monotonic_time ();
      snapshot = sd_exercise_snapshot_at (whole, START_AT + moments[i], &error);
      g_assert_no_error (error);
      g_test_message ("T+%" G_GINT64_FORMAT " min: %u staying, %u answered, %u unconfirmed (%.1f ms)",
                      moments[i] / 60000, snapshot->staying, snapshot->answered, snapshot->support_unconfirmed,
                      (g_get_monotonic_time () - t0) / 1000.0);
      g_assert_cmpuint (snapshot->staying, ==, status->persons);
      g_assert_cmpuint (snapshot->households, ==, status->households);
      for (guint n = 0; n < SD_N_NEEDS; n++)
        if (n != SD_NEED_INFANT)  /* the report counts infants on the real today */
          g_assert_cmpuint (snapshot->needs[n], ==, status->needs[n]);
      g_assert_cmpint (snapshot->out_now, ==,
                       count (part, "SELECT count (*) FROM person_state WHERE kind = 'go_out'"));
      for (guint s = 0; s < snapshot->shelters->len; s++)
        {
          const SdExerciseShelterSnapshot *shelter = &g_array_index (snapshot->shelters, SdExerciseShelterSnapshot, s);
          g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM person_state ps JOIN shelters sh ON "
                                                  "sh.id = ps.shelter_id WHERE sh.code = '%s' AND "
                                                  "(ps.kind = 'arrive' OR ps.kind = 'return')", shelter->code);

          g_assert_cmpint (shelter->in_shelter, ==, count (part, sql));
        }
      g_assert_cmpint (snapshot->answered, ==,
                       count (part, "SELECT count (*) FROM safety_state WHERE rollcall_id = "
                                    "(SELECT id FROM rollcalls ORDER BY started_at DESC, id DESC LIMIT 1)"));
      g_assert_cmpint (snapshot->unhurt, ==,
                       count (part, "SELECT count (*) FROM safety_state WHERE safety = 'unhurt' AND rollcall_id = "
                                    "(SELECT id FROM rollcalls ORDER BY started_at DESC, id DESC LIMIT 1)"));
      g_assert_cmpint (snapshot->support_unconfirmed, ==,
                       count (part, "SELECT count (*) FROM support_persons p LEFT JOIN support_state s ON "
                                    "s.support_person_id = p.id WHERE p.listed = 1 AND "
                                    "(s.status IS NULL OR s.status = 'unconfirmed')"));
    }
  /* The day did move. */
  {
    g_autoptr(SdExerciseSnapshot) start = sd_exercise_snapshot_at (whole, START_AT, &error);
    g_autoptr(SdExerciseSnapshot) end = sd_exercise_snapshot_at (whole, START_AT + 24 * 3600000LL, &error);

    g_assert_cmpuint (start->staying, ==, 0);
    g_assert_cmpuint (end->staying, >, 3000);
    g_assert_cmpuint (end->support_unconfirmed, <, start->support_unconfirmed);
  }
}

/* Every synced table and kept state as text (the op-log apart: the
 * replay adds its own first change, its name). */
static char *
tables_dump (SdStore *store)
{
  g_autofree char *all = sd_sync_test_dump (store);
  char *oplog = strstr (all, "== oplog");

  g_assert_nonnull (oplog);
  return g_strndup (all, oplog - all);
}

/* The source's op-log rows, as the replay must hold them too. */
static char *
origin_ops (SdStore    *store,
            const char *site_id)
{
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store),
                   "SELECT o.seq, o.txn, o.hlc, o.kind, t.name, quote (o.row_id), o.fields FROM oplog o "
                   "JOIN oplog_tables t ON t.n = o.tbl JOIN oplog_sites s ON s.n = o.site "
                   "WHERE s.site_id = ?1 ORDER BY o.seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 7; c++)
      g_string_append_printf (out, "%s%c", sqlite3_column_text (stmt, c) ? (const char *) sqlite3_column_text (stmt, c)
                                                                         : "NULL", c == 6 ? '\n' : '|');
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static void
count_progress (const SdExerciseReplayProgress *progress,
                gpointer                        user_data)
{
  *(gint64 *) user_data = progress->operations;
}

/* A played exercise and a live day (the demo, with its evacuees), each
 * replayed: the replay holds the source's tables exactly, marked an
 * exercise, and its snapshots are the source's. */
static void
test_replay (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *played = copy_of (f, "played.sqlite");
  g_autoptr(SdScenario) scenario = demo_scenario ("river-flood.csv");
  const char *sources[] = { played, f->live };

  {
    g_autoptr(SdStore) store = sd_store_open (played, SD_STORE_OPEN_DEFAULT, &error);
    g_autoptr(SdExerciseEngine) engine = sd_exercise_engine_new (store, scenario, 11, START_AT, &error);

    g_assert_no_error (error);
    g_assert_true (sd_exercise_engine_run_all (engine, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/replay-%u.sqlite", f->dir, i);
      g_autofree char *before = sd_sync_test_file_sha256 (sources[i]);
      g_autofree char *after = NULL;
      g_autoptr(SdStore) source = NULL;
      g_autoptr(SdStore) replay = NULL;
      g_autofree char *a = NULL, *b = NULL, *ops_a = NULL, *ops_b = NULL;
      gint64 operations = 0;

      g_assert_true (sd_exercise_replay (sources[i], out, 0, count_progress, &operations, NULL, &error));
      g_assert_no_error (error);
      after = sd_sync_test_file_sha256 (sources[i]);
      g_assert_cmpstr (after, ==, before);
      source = sd_store_open (sources[i], SD_STORE_OPEN_READ_ONLY, &error);
      replay = sd_store_open (out, SD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_true (sd_store_get_is_exercise (replay));
      g_assert_cmpint (operations, ==, count (source, "SELECT count (*) FROM oplog"));
      a = tables_dump (source);
      b = tables_dump (replay);
      g_assert_cmpuint (strlen (a), >, 10000);
      g_assert_true (strcmp (a, b) == 0);
      ops_a = origin_ops (source, sd_store_get_site_id (source));
      ops_b = origin_ops (replay, sd_store_get_site_id (source));
      g_assert_true (strcmp (ops_a, ops_b) == 0);
      g_assert_cmpint (count (replay, "SELECT count (*) FROM staff_pins"), ==,
                       count (source, "SELECT count (*) FROM staff_pins"));
      g_assert_true (sd_store_check (replay, &error));
      g_assert_no_error (error);
      /* The scrubber reads both alike, at any moment. */
      for (gint64 t = START_AT - 3600000; i == 0 && t <= START_AT + 13 * 3600000LL; t += 3 * 3600000LL)
        {
          g_autoptr(SdExerciseSnapshot) x = sd_exercise_snapshot_at (source, t, &error);
          g_autoptr(SdExerciseSnapshot) y = sd_exercise_snapshot_at (replay, t, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (x->staying, ==, y->staying);
          g_assert_cmpuint (x->answered, ==, y->answered);
          g_assert_cmpuint (x->support_unconfirmed, ==, y->support_unconfirmed);
          g_assert_cmpmem (x->needs, sizeof x->needs, y->needs, sizeof y->needs);
        }
      /* Never over a file that exists. */
      g_assert_false (sd_exercise_replay (sources[i], out, 0, NULL, NULL, NULL, &error));
      g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS);
      g_clear_error (&error);
    }
}

static char *
write_batch (const char *dir,
             const char *file,
             GBytes     *bytes)
{
  char *path = g_build_filename (dir, file, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL));
  return path;
}

/* A day at two kiosks, its batches to HQ replayed from their files in
 * any order, one of them twice and one carrying the other kiosk's
 * changes too, from where HQ stood before them: the replay holds what
 * HQ holds once it has imported them, each change once, marked an
 * exercise; HQ is only read.
 * A damaged batch, a file that is not a batch and another site's
 * database as the receiver are refused, named, with nothing made. */
static void
test_replay_batches (void)
{
  g_autoptr(GError) error = NULL;
  SdSyncTestSites sites = { g_dir_make_tmp ("sd-replay-batches-XXXXXX", &error) };
  g_autofree char *hq = g_build_filename (sites.dir, "hq.sqlite", NULL);
  g_autofree char *k0 = g_build_filename (sites.dir, "k0.sqlite", NULL);
  g_autofree char *out = g_build_filename (sites.dir, "replay.sqlite", NULL);
  g_autofree char *b1 = NULL, *b2 = NULL, *b3 = NULL, *cut = NULL, *before = NULL, *after = NULL;
  g_autofree char *person = NULL, *update = NULL;
  g_autoptr(GBytes) bytes1 = NULL, bytes2 = NULL, bytes3 = NULL;
  g_autoptr(SdStore) replay = NULL;
  g_autofree char *a = NULL, *b = NULL;
  gint64 operations = 0;

  g_assert_no_error (error);
  sd_sync_test_make_deployment (sites.dir, 2);
  sd_sync_test_sites_open (&sites);

  sd_sync_test_register_person (sites.k0, "青木 一郎");
  sd_sync_test_register_person (sites.k0, "青木 花子");
  sd_sync_test_register_person (sites.k1, "石田 三郎");
  bytes1 = sd_sync_test_export (sites.k0, "hq");
  /* k0's day reaches k1, which corrects it: k1's batch carries both. */
  {
    g_autoptr(GBytes) relay = sd_sync_test_export (sites.k0, sd_store_get_site_id (sites.k1));

    sd_sync_test_import (sites.k1, relay, NULL);
  }
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (sites.k1), "SELECT id FROM persons WHERE name = '青木 花子'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    person = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  update = g_strdup_printf ("UPDATE persons SET phone = '090-1111-2222' WHERE id = '%s'", person);
  sd_sync_test_write (sites.k1, update);
  sd_sync_test_register_person (sites.k1, "石田 四郎");
  bytes2 = sd_sync_test_export (sites.k1, "hq");
  sd_sync_test_register_person (sites.k0, "青木 五郎");
  bytes3 = sd_sync_test_export (sites.k0, "hq");
  b1 = write_batch (sites.dir, "k0-1.sdbatch", bytes1);
  b2 = write_batch (sites.dir, "k1-1.sdbatch", bytes2);
  b3 = write_batch (sites.dir, "k0-2.sdbatch", bytes3);

  /* The replay, before HQ has imported anything: HQ is only read. */
  g_clear_object (&sites.hq);
  before = sd_sync_test_file_sha256 (hq);
  {
    const char *const shuffled[] = { b3, b1, b2, b1, NULL };

    g_assert_true (sd_exercise_replay_batches (hq, shuffled, out, 0, count_progress, &operations, NULL, &error));
    g_assert_no_error (error);
  }
  after = sd_sync_test_file_sha256 (hq);
  g_assert_cmpstr (after, ==, before);

  sites.hq = sd_sync_test_open (sites.dir, "hq.sqlite");
  sd_sync_test_import (sites.hq, bytes1, NULL);
  sd_sync_test_import (sites.hq, bytes2, NULL);
  sd_sync_test_import (sites.hq, bytes3, NULL);
  replay = sd_store_open (out, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_is_exercise (replay));
  g_assert_cmpstr (sd_store_get_site_name (replay), ==, "Replay: 本部");
  g_assert_cmpint (operations, ==, count (sites.hq, "SELECT count (*) FROM oplog"));
  g_assert_cmpint (count (replay, "SELECT count (*) FROM persons"), ==, 5);
  g_assert_cmpint (count (replay, "SELECT count (*) FROM persons WHERE phone = '090-1111-2222'"), ==, 1);
  a = tables_dump (sites.hq);
  b = tables_dump (replay);
  g_assert_cmpstr (a, ==, b);
  {
    SdStore *origins[] = { sites.hq, sites.k0, sites.k1 };

    for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
      {
        g_autofree char *ops_a = origin_ops (sites.hq, sd_store_get_site_id (origins[i]));
        g_autofree char *ops_b = origin_ops (replay, sd_store_get_site_id (origins[i]));

        g_assert_cmpstr (ops_a, ==, ops_b);
      }
  }
  g_assert_cmpint (count (replay, "SELECT count (*) FROM staff_pins"), ==,
                   count (sites.hq, "SELECT count (*) FROM staff_pins"));
  g_assert_true (sd_store_check (replay, &error));
  g_assert_no_error (error);
  g_clear_object (&replay);
  sd_database_files_remove (out);

  /* A batch cut short is refused as a whole, named; nothing is made. */
  {
    g_autoptr(GBytes) half = g_bytes_new_from_bytes (bytes2, 0, g_bytes_get_size (bytes2) * 3 / 4);
    const char *const damaged[] = { b1, NULL, NULL };

    cut = write_batch (sites.dir, "cut.sdbatch", half);
    ((const char **) damaged)[1] = cut;
    g_assert_false (sd_exercise_replay_batches (hq, damaged, out, 0, NULL, NULL, NULL, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "cut.sdbatch"));
    g_clear_error (&error);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  /* A kiosk's database cannot open what was sent to HQ. */
  {
    const char *const batches[] = { b1, NULL };

    g_assert_false (sd_exercise_replay_batches (k0, batches, out, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ADDRESSED);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "k0-1.sdbatch"));
    g_clear_error (&error);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  /* A database given as a batch, and no batch at all. */
  {
    const char *const batches[] = { b1, k0, NULL };
    const char *const none[] = { NULL };

    g_assert_false (sd_exercise_replay_batches (hq, batches, out, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_A_BATCH);
    g_assert_nonnull (strstr (error->message, "k0.sqlite"));
    g_clear_error (&error);
    g_assert_false (sd_exercise_replay_batches (hq, none, out, 0, NULL, NULL, NULL, &error));
    g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  }
  sd_sync_test_sites_tear_down (&sites, NULL);
}

/* The ids of TABLE's rows in the database at PATH, one a line, sorted. */
static char *
ids_of (const char *path,
        const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* TEXT's lines, sorted, and how many (in *N). */
static char *
sorted_lines (const char *text,
              guint      *n)
{
  g_auto(GStrv) split = g_strsplit (text, "\n", -1);
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; split[i] != NULL; i++)
    if (*split[i] != '\0')
      g_ptr_array_add (lines, split[i]);
  g_ptr_array_sort (lines, (GCompareFunc) sd_test_compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  *n = lines->len;
  return g_string_free (out, FALSE);
}

/* A drill's split (issue 18): each part played on a database of its own,
 * with nothing exchanged, makes exactly the records of the reference day
 * (the whole on one database), ids, names and events included; a part
 * plays nothing of another's. */
static void
test_parts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SdScenario) scenario = demo_scenario ("m7-day1.csv");
  const char *const groups[] = { "S01,S04,S07,S10", "S02,S05,S08,S11", "S03,S06,S09,S12", NULL };
  const int parts[] = { SD_EXERCISE_PART_ALL, 0, 1, 2, SD_EXERCISE_PART_HQ };
  g_autofree char *paths[G_N_ELEMENTS (parts)] = { NULL };
  guint waiting = 0;
  static const char *const queries[] = {
    "SELECT id || ' ' || name || ' ' || coalesce (birth_date, '') FROM persons ORDER BY id",
    "SELECT id || ' ' || kind || ' ' || person_id || ' ' || coalesce (shelter_id, '') FROM person_events "
    "ORDER BY id",
    /* Answers on the web (HQ's); those at a kiosk wait for its roll-call. */
    "SELECT id || ' ' || staff_id || ' ' || safety FROM safety_answers WHERE via = 'web' ORDER BY id",
    "SELECT id || ' ' || support_person_id || ' ' || status FROM support_reports ORDER BY id",
  };

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("part-%u.sqlite", p);
      g_autoptr(SdStore) store = NULL;
      g_autoptr(SdExerciseEngine) engine = NULL;

      paths[p] = copy_of (f, name);
      store = sd_store_open (paths[p], SD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      engine = sd_exercise_engine_new (store, scenario, 7, START_AT, &error);
      g_assert_no_error (error);
      g_assert_true (sd_exercise_engine_set_part (engine, groups, parts[p], &error));
      g_assert_no_error (error);
      sd_exercise_engine_set_scans (engine, parts[p] != SD_EXERCISE_PART_HQ);
      g_assert_true (sd_exercise_engine_run_all (engine, &error));
      g_assert_no_error (error);
      /* With nothing exchanged, a kiosk never gets HQ's roll-calls: the
       * answers given at its desk stay on paper, and it is not done. */
      waiting += sd_exercise_engine_get_n_waiting (engine);
      g_assert_true (sd_exercise_engine_is_done (engine) == (sd_exercise_engine_get_n_waiting (engine) == 0));
      if (parts[p] < 0)
        g_assert_cmpuint (sd_exercise_engine_get_n_waiting (engine), ==, 0);
    }
  /* As many as the whole day had answered at a desk. */
  {
    g_autofree char *at_desks = ids_of (paths[0], "SELECT id FROM safety_answers WHERE via = 'kiosk'");
    guint n_at_desks;
    g_autofree char *sorted = sorted_lines (at_desks, &n_at_desks);

    g_assert_cmpuint (n_at_desks, >, 50);
    g_assert_cmpuint (waiting, ==, n_at_desks);
  }
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autofree char *whole = ids_of (paths[0], queries[q]);
      g_autoptr(GString) parts_text = g_string_new (NULL);
      g_autofree char *expected = NULL, *got = NULL;
      guint n_expected, n_got;

      for (guint p = 1; p < G_N_ELEMENTS (parts); p++)
        {
          g_autofree char *text = ids_of (paths[p], queries[q]);

          g_string_append (parts_text, text);
        }
      expected = sorted_lines (whole, &n_expected);
      got = sorted_lines (parts_text->str, &n_got);
      g_assert_cmpuint (n_expected, >, 100);
      g_assert_cmpuint (n_got, ==, n_expected);
      g_assert_true (g_str_equal (got, expected));
    }
  /* HQ's part made no person; a kiosk made support-list reports (people
   * found evacuated at its shelters), and no answer without a roll-call. */
  g_assert_cmpstr (ids_of (paths[4], queries[0]), ==, "");
  g_assert_cmpstr (ids_of (paths[1], "SELECT id FROM safety_answers"), ==, "");
  g_assert_cmpstr (ids_of (paths[1], queries[3]), !=, "");
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *wal = g_strconcat (paths[p], "-wal", NULL);
      g_autofree char *shm = g_strconcat (paths[p], "-shm", NULL);

      g_remove (wal);
      g_remove (shm);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/exercise/new", test_new);
  ADD ("/exercise/refuses-live", test_refuses_live);
  ADD ("/exercise/check-against", test_check_against);
  ADD ("/exercise/deterministic", test_deterministic);
  ADD ("/exercise/live", test_live);
  ADD ("/exercise/snapshot", test_snapshot);
  ADD ("/exercise/replay", test_replay);
  ADD ("/exercise/parts", test_parts);
  g_test_add_func ("/exercise/replay-batches", test_replay_batches);
  return g_test_run ();
}
