/* bench-pg.c: 1 000 000 operations from 100 kiosks merged into PostgreSQL, against a bare COPY and one upsert.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deployment of 100 enrolled kiosks (real SQLite sites), each with
 * 10 000 changes of its own (2 000 households, 6 000 persons, each name
 * and kana its own, 1 000 edits, 1 000 check-ins), exported to HQ as one
 * batch each.  Then, in the same run and
 * the same PostgreSQL of the benchmark's own (tests/common/sd-test-pg.c):
 *
 *   merge      the 100 batches through sd_pg_store_import_bytes (), as
 *              the receiver does: opened, checked, COPY, set-based merge;
 *   receivers  the same, by SD_BENCH_RECEIVERS (2) receivers at once,
 *              each on its own connection, into a database of their own;
 *   floor      the same 1 000 000 rows by a bare COPY into a table and
 *              one set-based upsert of every field (INSERT … SELECT
 *              DISTINCT ON … ON CONFLICT DO UPDATE): the least any merge
 *              into PostgreSQL can cost;
 *   SQLite     the same 100 batches into HQ's SQLite file, for comparison.
 *
 * Then the all-shelter status report over 1 000 000 persons (made by SQL
 * in a database of their own), against a bare count of the same people.
 *
 * Targets (issue 20): the merge under 20 s and at most 3× the floor; the
 * report under 1 s.  SD_BENCH_PARTS=report measures the report alone,
 * SD_BENCH_PARTS=merge the merge alone.
 * Prints a table; asserts nothing on time.  Sizes: SD_BENCH_KIOSKS,
 * SD_BENCH_OPS (per kiosk), SD_BENCH_RECEIVERS.
 */
#include "sd-pg-private.h"
#include "sd-sync-test.h"
#include "sd-test-pg.h"

#include <stdlib.h>

static double
seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* N_OPS changes at KIOSK K: households, four persons each where room, edits. */
static void
kiosk_writes (SdStore *kiosk,
              guint    k,
              guint    n_ops)
{
  guint households = n_ops / 5, persons = households * 3, arrivals = (n_ops - households - persons) / 2;
  guint edits = n_ops - households - persons - arrivals;
  /* SQLite's printf () makes the ids: K is bound as ?1 by text. */
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %u) "
    "INSERT INTO households (id, shelter_id, stay, address, phone, created_at) "
    "  SELECT printf ('%%08x-%%04x-7000-8000-000000000000', %u, i), '00000000-0000-7000-8000-000000000001', "
    "    'shelter', '東京都みなと川市東町' || (i %% 9 + 1) || '丁目' || i, printf ('090-%%04d-%%04d', %u, i), 1 FROM n;"
    "WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < %u) "
    "INSERT INTO persons (id, household_id, name, kana, birth_date, created_at) "
    "  SELECT printf ('%%08x-%%04x-7000-9000-%%012x', %u, i / 3, i %% 3), "
    "    printf ('%%08x-%%04x-7000-8000-000000000000', %u, i / 3), '試験 ' || %u || '-' || i, "
    "    replace (replace (replace (replace (replace (replace (replace (replace (replace (replace ("
    "      printf ('%%u%%05u', %u, i), '0', 'ア'), '1', 'イ'), '2', 'ウ'), '3', 'エ'), '4', 'オ'), '5', 'カ'), '6', 'キ'), "
    "      '7', 'ク'), '8', 'ケ'), '9', 'コ'), "
    "    printf ('19%%02d-0%%d-1%%d', 40 + i %% 60, 1 + i %% 9, i %% 9), 1 FROM n;"
    "UPDATE persons SET phone = '080-' || substr (id, 1, 8) WHERE rowid IN "
    "  (SELECT rowid FROM persons WHERE id LIKE printf ('%%08x-%%%%', %u) ORDER BY rowid LIMIT %u);"
    /* Check-ins: where each person is, and the counts the report reads. */
    "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) "
    "  SELECT printf ('%%08x-%%04x-7000-a000-000000000000', %u, rowid), id, "
    "    '00000000-0000-7000-8000-000000000001', 'arrive', 1, rowid FROM persons "
    "  WHERE id LIKE printf ('%%08x-%%%%', %u) ORDER BY rowid DESC LIMIT %u;",
    households, k, k, persons, k, k, k, k, k, edits, k, k, arrivals);

  sd_sync_test_write (kiosk, sql);
}

/* COPY of SQL's rows out of CONN into TABLE, in the same database. */
static gint64
copy_rows (PGconn     *conn,
           const char *out_sql,
           const char *in_sql)
{
  PGconn *in = PQconnectdb (PQdb (conn) != NULL ? g_getenv ("SD_BENCH_CONNINFO") : "");
  PGresult *res;
  char *buffer = NULL;
  gint64 rows = 0;
  int n;

  g_assert_cmpint (PQstatus (in), ==, CONNECTION_OK);
  res = PQexec (conn, out_sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COPY_OUT);
  PQclear (res);
  res = PQexec (in, in_sql);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COPY_IN);
  PQclear (res);
  while ((n = PQgetCopyData (conn, &buffer, 0)) > 0)
    {
      g_assert_cmpint (PQputCopyData (in, buffer, n), ==, 1);
      PQfreemem (buffer);
      rows++;
    }
  PQclear (PQgetResult (conn));
  g_assert_cmpint (PQputCopyEnd (in, NULL), ==, 1);
  res = PQgetResult (in);
  g_assert_cmpint (PQresultStatus (res), ==, PGRES_COMMAND_OK);
  PQclear (res);
  PQfinish (in);
  return rows;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The all-shelter status report over N_PERSONS staying persons in their
 * own database (made by SQL, not merged: the read is what is measured),
 * the median of five, against a bare count of the same people. */
static void
bench_report (SdTestPg *cluster,
              guint     n_persons)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = sd_test_pg_new_database (cluster, "report");
  g_autoptr(SdPgStore) pg = sd_pg_store_open (conninfo, &error);
  g_autofree char *fill = NULL;
  double all[5], one[5], bare[5], recount;
  guint persons = 0;
  gint64 t0;

  g_assert_no_error (error);
  fill = g_strdup_printf (
    "INSERT INTO shelters (id, code, name, kind, capacity, is_open) SELECT 's' || i, 'S' || i, '避難所' || i, "
    "  'designated', 2000, 1 FROM generate_series (1, 500) i;"
    "INSERT INTO households (id, shelter_id, stay, pets, pets_count, created_at) SELECT 'h' || i, 's' || (i %% 500 + 1), "
    "  (ARRAY['shelter', 'shelter', 'shelter', 'home', 'vehicle', 'relatives'])[i %% 6 + 1], "
    "  CASE WHEN i %% 9 = 0 THEN 'いぬ' END, 0, 1 FROM generate_series (1, %u / 3) i;"
    "INSERT INTO persons (id, household_id, name, birth_date, sex, allergies, pregnant, care_level, language, "
    "  created_at) SELECT 'p' || i, 'h' || (i / 3 + 1), '試験 ' || i, "
    "  (1920 + i %% 105) || '-' || lpad ((i %% 12 + 1)::text, 2, '0') || '-' || lpad ((i %% 28 + 1)::text, 2, '0'), "
    "  (ARRAY['male', 'female', 'unknown', 'not_applicable'])[i %% 4 + 1], CASE WHEN i %% 17 = 0 THEN 'そば' END, "
    "  (i %% 50 = 0)::int, CASE WHEN i %% 13 = 0 THEN 'care2' ELSE 'none' END, "
    "  CASE WHEN i %% 31 = 0 THEN 'vi' END, 1 FROM generate_series (1, %u) i;"
    "INSERT INTO person_state (person_id, event_id, kind, shelter_id, at, hlc) SELECT 'p' || i, 'e' || i, "
    "  (ARRAY['arrive', 'arrive', 'return', 'go_out', 'leave'])[i %% 5 + 1], 's' || ((i / 3 + 1) %% 500 + 1), 1, i "
    "  FROM generate_series (1, %u) i;"
    "ANALYZE", n_persons, n_persons, n_persons);
  g_assert_true (_sd_pg_exec (pg, "fill", fill, &error));
  /* Filled by SQL, not merged: the counts the merge keeps, counted once. */
  t0 = g_get_monotonic_time ();
  g_assert_true (_sd_pg_counts_recount (pg, &error));
  recount = seconds_since (t0);
  for (guint r = 0; r < G_N_ELEMENTS (all); r++)
    {
      g_autoptr(SdShelterStatus) status = NULL;

      t0 = g_get_monotonic_time ();
      status = sd_pg_store_compute_shelter_status (pg, NULL, &error);
      g_assert_no_error (error);
      all[r] = seconds_since (t0);
      persons = status->persons;
      g_clear_pointer (&status, sd_shelter_status_free);
      t0 = g_get_monotonic_time ();
      status = sd_pg_store_compute_shelter_status (pg, "S7", &error);
      g_assert_no_error (error);
      one[r] = seconds_since (t0);
      t0 = g_get_monotonic_time ();
      g_assert_true (_sd_pg_exec (pg, "bare", "SELECT count (*) FROM person_state s JOIN persons p "
                                  "ON p.id = s.person_id WHERE s.kind IN ('arrive', 'return', 'go_out')", &error));
      bare[r] = seconds_since (t0);
    }
  qsort (all, G_N_ELEMENTS (all), sizeof (double), compare_double);
  qsort (one, G_N_ELEMENTS (one), sizeof (double), compare_double);
  qsort (bare, G_N_ELEMENTS (bare), sizeof (double), compare_double);
  g_print ("\n%u persons in PostgreSQL, %u of them staying (medians of %u)\n\n", n_persons, persons,
           (guint) G_N_ELEMENTS (all));
  g_print ("| work | seconds | target |\n|---|---:|---|\n");
  g_print ("| all-shelter status report | %.3f | < 1 s: %s |\n", all[2], all[2] < 1 ? "met" : "NOT met");
  g_print ("| one shelter's status report | %.3f | |\n", one[2]);
  g_print ("| floor: a bare count of the staying people | %.3f | |\n", bare[2]);
  g_print ("| (the kept counts counted once from the rows, as a new database does) | %.3f | |\n", recount);
}

/* One of several receivers merging at once: every N-th batch from FIRST,
 * on its own connection and its own handle on HQ's file. */
typedef struct {
  const char *conninfo, *dir;
  GPtrArray  *batches;
  guint       first, step;
  gint64      applied;
} Receiver;

static gpointer
receive (gpointer data)
{
  Receiver *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPgStore) pg = sd_pg_store_open (r->conninfo, &error);
  g_autoptr(SdStore) hq = sd_sync_test_open (r->dir, "hq.sqlite");

  g_assert_no_error (error);
  for (guint i = r->first; i < r->batches->len; i += r->step)
    {
      SdSyncImport result = { 0 };

      if (!sd_pg_store_import_bytes (pg, hq, g_ptr_array_index (r->batches, i), &result, NULL, &error))
        g_error ("batch %u refused: %s", i, error->message);
      r->applied += result.applied;
      sd_sync_import_clear (&result);
    }
  return NULL;
}

int
main (int    argc,
      char **argv)
{
  guint n_kiosks = g_getenv ("SD_BENCH_KIOSKS") != NULL ? (guint) atoi (g_getenv ("SD_BENCH_KIOSKS")) : 100;
  guint n_ops = g_getenv ("SD_BENCH_OPS") != NULL ? (guint) atoi (g_getenv ("SD_BENCH_OPS")) : 10000;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPgStore) pg = NULL;
  g_autoptr(SdStore) hq = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-pg-XXXXXX", NULL);
  g_autofree char *conninfo = NULL;
  SdTestPg *cluster = sd_test_pg_start ();
  guint n_receivers = g_getenv ("SD_BENCH_RECEIVERS") != NULL ? (guint) atoi (g_getenv ("SD_BENCH_RECEIVERS")) : 2;
  double t_made, t_merge, t_receivers, t_copy, t_upsert, t_sqlite;
  gint64 operations = 0, operations_n = 0, copied;
  guint staying = 0;
  SdSyncImport result = { 0 };
  gint64 t0;

  if (cluster == NULL)
    {
      g_print ("PostgreSQL's programs are not installed (SD_PG_BINDIR): nothing measured.\n");
      return 77;
    }
  if (g_strcmp0 (g_getenv ("SD_BENCH_PARTS"), "report") == 0)
    {
      bench_report (cluster, 1000000);
      sd_test_pg_stop (cluster);
      return 0;
    }
  t0 = g_get_monotonic_time ();
  sd_sync_test_make_deployment (dir, n_kiosks);
  for (guint k = 0; k < n_kiosks; k++)
    {
      g_autofree char *file = g_strdup_printf ("k%u.sqlite", k);
      g_autoptr(SdStore) kiosk = sd_sync_test_open (dir, file);

      kiosk_writes (kiosk, k, n_ops);
      g_ptr_array_add (batches, sd_sync_test_export (kiosk, "hq"));
    }
  t_made = seconds_since (t0);
  hq = sd_sync_test_open (dir, "hq.sqlite");

  /* The merge, as the receiver runs it. */
  conninfo = sd_test_pg_new_database (cluster, "bench");
  g_setenv ("SD_BENCH_CONNINFO", conninfo, TRUE);
  pg = sd_pg_store_open (conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (sd_pg_store_take_oplog (pg, hq, NULL, &result, NULL, &error));
  sd_sync_import_clear (&result);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < batches->len; i++)
    {
      if (!sd_pg_store_import_bytes (pg, hq, g_ptr_array_index (batches, i), &result, NULL, &error))
        g_error ("batch %u refused: %s", i, error->message);
      operations += result.applied;
      sd_sync_import_clear (&result);
    }
  t_merge = seconds_since (t0);
  /* The counts the merge kept: what the all-shelter report reads. */
  {
    g_autoptr(SdShelterStatus) status = sd_pg_store_compute_shelter_status (pg, NULL, &error);
    gboolean differ = TRUE;

    g_assert_no_error (error);
    g_assert_true (_sd_pg_counts_differ (pg, &differ, &error));
    g_assert_no_error (error);
    g_assert_false (differ);
    staying = status->persons;
  }

  /* The same batches by several receivers at once, into a database of
   * their own, as a large HQ runs them: one connection (and one core of
   * the server) each. */
  {
    g_autofree char *conninfo_n = sd_test_pg_new_database (cluster, "receivers");
    g_autoptr(SdPgStore) pg_n = sd_pg_store_open (conninfo_n, &error);
    Receiver receivers[8];
    GThread *threads[8];

    g_assert_no_error (error);
    g_assert_true (sd_pg_store_take_oplog (pg_n, hq, NULL, &result, NULL, &error));
    sd_sync_import_clear (&result);
    n_receivers = CLAMP (n_receivers, 1, G_N_ELEMENTS (receivers));
    t0 = g_get_monotonic_time ();
    for (guint r = 0; r < n_receivers; r++)
      {
        receivers[r] = (Receiver) { conninfo_n, dir, batches, r, n_receivers, 0 };
        threads[r] = g_thread_new ("receiver", receive, &receivers[r]);
      }
    for (guint r = 0; r < n_receivers; r++)
      {
        g_thread_join (threads[r]);
        operations_n += receivers[r].applied;
      }
    t_receivers = seconds_since (t0);
    g_assert_cmpint (operations_n, ==, operations);
  }

  /* The floor: the same rows, a bare COPY and one upsert. */
  g_assert_true (_sd_pg_exec (pg, "floor",
                              "CREATE TABLE floor_stage (LIKE oplog); "
                              "CREATE TABLE floor_cells (tbl text COLLATE \"C\", row_id text COLLATE \"C\", field integer, "
                              "  hlc bigint, site_id text COLLATE \"C\", value jsonb, PRIMARY KEY (tbl, row_id, field))", &error));
  t0 = g_get_monotonic_time ();
  copied = copy_rows (_sd_pg_store_get_conn (pg),
                      "COPY (SELECT o.* FROM oplog o JOIN sync_batches b ON b.from_site = o.site_id "
                      "  WHERE b.operations > 1000) TO STDOUT", "COPY floor_stage FROM STDIN");
  t_copy = seconds_since (t0);
  t0 = g_get_monotonic_time ();
  g_assert_true (_sd_pg_exec (pg, "floor",
                              "INSERT INTO floor_cells AS c (tbl, row_id, field, hlc, site_id, value) "
                              "  SELECT DISTINCT ON (n.tbl, n.row_id, f.key::integer) n.tbl, n.row_id, "
                              "    f.key::integer, n.hlc, n.site_id, f.value "
                              "  FROM floor_stage n CROSS JOIN LATERAL jsonb_each (n.fields::jsonb) f "
                              "  WHERE n.fields IS NOT NULL "
                              "  ORDER BY n.tbl, n.row_id, f.key::integer, n.hlc DESC, n.site_id DESC "
                              "  ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc, "
                              "    site_id = excluded.site_id, value = excluded.value "
                              "  WHERE (excluded.hlc, excluded.site_id) > (c.hlc, c.site_id)", &error));
  t_upsert = seconds_since (t0);

  g_print ("\n%u kiosks, %" G_GINT64_FORMAT " operations merged (%" G_GINT64_FORMAT " rows in the floor), %u "
           "people checked in, counted by the merge as a recount counts them; deployment and batches made in "
           "%.0f s\n\n", n_kiosks, operations, copied, staying, t_made);
  g_print ("| work | seconds | operations/s | target |\n|---|---:|---:|---|\n");
  g_print ("| merge into PostgreSQL (receiver's path) | %.1f | %.0f | < 20 s: %s; <= 3x floor: %s |\n", t_merge,
           operations / t_merge, t_merge < 20 ? "met" : "NOT met",
           t_merge <= 3 * (t_copy + t_upsert) ? "met" : "NOT met");
  g_print ("| the same by %u receivers at once (a connection each) | %.1f | %.0f | < 20 s: %s |\n", n_receivers,
           t_receivers, operations / t_receivers, t_receivers < 20 ? "met" : "NOT met");
  g_print ("| floor: bare COPY + one set-based upsert | %.1f (%.1f + %.1f) | %.0f | |\n", t_copy + t_upsert, t_copy,
           t_upsert, copied / (t_copy + t_upsert));
  g_print ("| merge / floor | %.2fx | | <= 3x |\n", t_merge / (t_copy + t_upsert));

  /* SQLite, the same batches into HQ's file, for as long as SD_BENCH_SQLITE_SECONDS allows (300 s):
   * an HQ's file merges more slowly as it grows, and the whole takes long on this machine. */
  {
    double budget = g_getenv ("SD_BENCH_SQLITE_SECONDS") != NULL ? g_ascii_strtod (g_getenv ("SD_BENCH_SQLITE_SECONDS"), NULL)
                                                                  : 300;
    double first = 0, last = 0;
    guint done = 0;

    t0 = g_get_monotonic_time ();
    for (guint i = 0; i < batches->len && seconds_since (t0) < budget; i++)
      {
        gint64 t1 = g_get_monotonic_time ();

        sd_sync_test_import (hq, g_ptr_array_index (batches, i), NULL);
        last = seconds_since (t1);
        if (i == 0)
          first = last;
        done++;
      }
    t_sqlite = seconds_since (t0);
    g_print ("| the same batches into HQ's SQLite file | %.1f for %u of %u batches | %.0f | for comparison; the "
             "first batch %.1f s, the last %.1f s |\n", t_sqlite, done, batches->len, done * (double) n_ops / t_sqlite,
             first, last);
  }

  g_clear_object (&pg);
  g_clear_object (&hq);
  if (g_strcmp0 (g_getenv ("SD_BENCH_PARTS"), "merge") != 0)
    bench_report (cluster, 1000000);
  sd_test_pg_stop (cluster);
  sd_sync_test_remove_tree (dir);
  return 0;
}
