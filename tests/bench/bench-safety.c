/* bench-safety.c: the staff safety dashboard's recount for 5 000 staff and 20 000 answers, against a bare GROUP BY.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recount is what the dashboard does each time it reads a roll-call
 * again: sd_store_count_safety() (every member of staff with their
 * newest answer, grouped), then the totals of everyone and of each
 * department.  The floor, measured in the same run on the same file: a
 * bare SQL GROUP BY over the same 20 000 answers (by safety, can report
 * and time to arrive), which counts every answer, not each person's
 * newest, and so does less than the dashboard must.  Medians of 21 runs,
 * after one run to warm the page cache.  Target (issue 15): < 20 ms and
 * at most 3× the floor.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>

#define N_STAFF      5000
#define N_ANSWERS    20000
#define N_RUNS       21

static const char *const departments[] = {
  "総務部", "企画財政部", "市民部", "福祉部", "健康部", "環境部", "都市整備部", "教育委員会事務局", "議会事務局", "会計課" };

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *runs)
{
  qsort (runs, N_RUNS, sizeof *runs, compare_doubles);
  return runs[N_RUNS / 2];
}

static void
fill (SdStore    *store,
      const char *rollcall_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);
  GRand *rand = g_rand_new_with_seed (15);

  g_assert_no_error (error);
  for (guint i = 0; i < N_STAFF; i++)
    {
      g_autofree char *no = g_strdup_printf ("%u", 10000 + i);
      g_autofree char *name = g_strdup_printf ("職員 %u", i);
      g_autofree char *section = g_strdup_printf ("第%u課", i % 7);
      SdStaffSpec spec = { no, name, NULL, departments[i % G_N_ELEMENTS (departments)], section, "主事",
                           SD_ROLE_VOLUNTEER, "090-0000-0000" };
      g_autoptr(SdStaff) staff = sd_store_add_staff (store, &spec, NULL, &error);

      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_ANSWERS; i++)
    {
      /* Most staff answer a few times (corrections); some never do. */
      g_autofree char *no = g_strdup_printf ("%u", 10000 + g_rand_int_range (rand, 0, N_STAFF * 9 / 10));
      SdSafetyAnswerSpec spec = { .staff_no = no, .via = SD_ANSWER_VIA_WEB };
      g_autofree char *id = NULL;

      spec.safety = g_rand_int_range (rand, 0, SD_N_SAFETY);
      spec.where = g_rand_int_range (rand, SD_WHERE_HOME, SD_WHERE_OTHER);
      spec.can_report = g_rand_int_range (rand, 0, 10) < 8;
      if (spec.can_report)
        {
          spec.means = g_rand_int_range (rand, SD_MEANS_WALK, SD_N_MEANS);
          spec.arrival = g_rand_int_range (rand, SD_ARRIVAL_WITHIN_30M, SD_N_ARRIVAL);
        }
      spec.answered_at = sd_store_now_ms (store) - (N_ANSWERS - i) * 100;
      id = sd_store_record_safety_answer (store, rollcall_id, &spec, &error);
      g_assert_no_error (error);
    }
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  g_assert_no_error (error);
  g_rand_free (rand);
}

static double
recount_ms (SdStore    *store,
            const char *rollcall_id,
            guint      *answered)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSafetyCount) count = sd_store_count_safety (store, rollcall_id, &error);
  const char *const *names;
  SdSafetyTotals totals;

  g_assert_no_error (error);
  sd_safety_count_totals (count, NULL, NULL, &totals);
  names = sd_safety_count_departments (count);
  for (guint i = 0; names[i] != NULL; i++)
    {
      SdSafetyTotals d;

      sd_safety_count_totals (count, names[i], NULL, &d);
    }
  *answered = totals.answered;
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static double
floor_ms (sqlite3    *db,
          const char *rollcall_id,
          guint      *rows)
{
  gint64 t0 = g_get_monotonic_time ();
  sqlite3_stmt *stmt = NULL;

  *rows = 0;
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT safety, can_report, arrival, count (*) FROM safety_answers "
                                           "WHERE rollcall_id = ?1 GROUP BY 1, 2, 3", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, rollcall_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    *rows += sqlite3_column_int (stmt, 3);
  sqlite3_finalize (stmt);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-safety-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hq.sqlite", NULL);
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_autoptr(SdRollcall) rollcall = NULL;
  sqlite3 *db = NULL;
  double ours[N_RUNS], floors[N_RUNS], ours_median, floor_median;
  guint answered = 0, rows = 0;
  gint64 t0;

  g_assert_no_error (error);
  rollcall = sd_store_open_rollcall (store, "bench", SD_ROLLCALL_REAL, 0, NULL, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  fill (store, sd_rollcall_get_id (rollcall));
  g_print ("# %u staff and %u answers stored in %.1f s\n", N_STAFF, N_ANSWERS,
           (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  recount_ms (store, sd_rollcall_get_id (rollcall), &answered);
  floor_ms (db, sd_rollcall_get_id (rollcall), &rows);
  for (guint i = 0; i < N_RUNS; i++)
    {
      ours[i] = recount_ms (store, sd_rollcall_get_id (rollcall), &answered);
      floors[i] = floor_ms (db, sd_rollcall_get_id (rollcall), &rows);
    }
  g_assert_cmpuint (rows, ==, N_ANSWERS);
  ours_median = median (ours);
  floor_median = median (floors);

  g_print ("\nStaff safety: the dashboard's recount, %u staff, %u answers (%u staff answered), median of %u runs\n\n",
           N_STAFF, N_ANSWERS, answered, N_RUNS);
  g_print ("| work                                                          |   median | target              |\n");
  g_print ("|---------------------------------------------------------------|----------|---------------------|\n");
  g_print ("| recount: everyone's newest answer, totals and %2u departments   | %5.2f ms | < 20 ms, <= 3x floor |\n",
           (guint) G_N_ELEMENTS (departments), ours_median);
  g_print ("| floor: bare SQL GROUP BY over the same %u answers          | %5.2f ms |                     |\n",
           N_ANSWERS, floor_median);
  g_print ("\nrecount / floor: %.2fx (target <= 3x); %s\n", ours_median / floor_median,
           ours_median < 20 && ours_median <= 3 * floor_median ? "met" : "NOT MET");

  sqlite3_close (db);
  g_clear_object (&store);
  /* SD_BENCH_KEEP=1 leaves the database, for profiling the queries. */
  if (g_getenv ("SD_BENCH_KEEP") != NULL)
    g_print ("# kept: %s\n", path);
  else
  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

        g_remove (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
