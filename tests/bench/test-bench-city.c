/* test-bench-city.c: the benchmarks' generated cities: their shape, that they repeat, and their cache.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small cities only (a few thousand persons): what holds for them holds
 * at a million, which the benchmarks build.  The cache lives in a
 * scratch XDG_CACHE_HOME of this test's own.
 */
#include "sd-bench-city.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *scratch;

static SdStore *
new_city (const char       *name,
          SdBenchCityShape  shape,
          guint             persons)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (scratch, name, NULL);
  g_autoptr(SdStore) store = NULL;

  sd_database_files_remove (path);
  store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_bench_city_build (store, shape, persons, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
query (SdStore *store, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK);
  g_assert (sqlite3_step (stmt) == SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

/* Everything about the people but the ids and clocks the store makes. */
static char *
content_digest (SdStore *store)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  sqlite3_stmt *stmt = NULL;

  g_assert (sqlite3_prepare_v2 (_sd_store_get_db (store),
                                "SELECT s.code, h.stay, h.phone, p.name, p.kana, p.birth_date, p.sex, "
                                "coalesce (st.kind, '') FROM persons p JOIN households h ON h.id = p.household_id "
                                "JOIN shelters s ON s.id = h.shelter_id LEFT JOIN person_state st "
                                "ON st.person_id = p.id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8", -1, &stmt,
                                NULL) == SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 8; c++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);
        g_checksum_update (sum, (const guchar *) (text ? text : ""), -1);
        g_checksum_update (sum, (const guchar *) "|", 1);
      }
  sqlite3_finalize (stmt);
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_intake_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = new_city ("intake.sqlite", SD_BENCH_CITY_INTAKE, 12000);
  g_autoptr(GPtrArray) shelters = sd_bench_city_shelter_ids (store, SD_BENCH_CITY_INTAKE, 12000, &error);
  g_autoptr(SdShelterStatus) big = NULL;
  gint64 households;

  g_assert_no_error (error);
  g_assert_cmpuint (shelters->len, ==, 2);
  g_assert_cmpint (query (store, "SELECT count(*) FROM persons"), ==, 12000);
  households = query (store, "SELECT count(*) FROM households");
  g_assert_cmpint (households, >=, 12000 * 2 / 5 - 100);
  g_assert_cmpint (households, <=, 12000 * 2 / 5);
  g_assert_cmpint (query (store, "SELECT max (n) FROM (SELECT count(*) AS n FROM persons GROUP BY household_id)"),
                   <=, 6);
  /* Everyone checked in, shelter 0 with its 5 000. */
  g_assert_cmpint (query (store, "SELECT count(*) FROM person_state WHERE kind = 'arrive'"), ==, 12000);
  big = sd_store_compute_shelter_status (store, g_ptr_array_index (shelters, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (big->persons, >=, SD_BENCH_CITY_BIG_SHELTER);
  g_assert_cmpuint (big->persons, <, SD_BENCH_CITY_BIG_SHELTER + 6);
  /* What the desk would have written: the whole check passes. */
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

static void
test_scan_shape (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = new_city ("scan.sqlite", SD_BENCH_CITY_SCAN, 5000);
  g_autoptr(GPtrArray) shelters = sd_bench_city_shelter_ids (store, SD_BENCH_CITY_SCAN, 5000, &error);
  g_autoptr(GPtrArray) persons = sd_bench_city_person_ids (store);
  gint64 in = query (store, "SELECT count(*) FROM person_state WHERE kind = 'arrive'");
  gint64 home = query (store, "SELECT count(*) FROM households WHERE stay = 'home'");

  g_assert_no_error (error);
  g_assert_cmpuint (shelters->len, ==, 5);
  g_assert_cmpuint (persons->len, ==, 5000);
  /* Nine in ten checked in, the others at home. */
  g_assert_cmpint (in, >, 5000 * 8 / 10);
  g_assert_cmpint (in, <, 5000 * 95 / 100);
  g_assert_cmpint (home, >, 0);
  g_assert_cmpint (query (store, "SELECT max (n) FROM (SELECT count(*) AS n FROM persons GROUP BY household_id)"),
                   <=, 4);
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

static void
test_repeatable (void)
{
  g_autoptr(SdStore) a = new_city ("a.sqlite", SD_BENCH_CITY_INTAKE, 3000);
  g_autoptr(SdStore) b = new_city ("b.sqlite", SD_BENCH_CITY_INTAKE, 3000);
  g_autoptr(SdStore) c = new_city ("c.sqlite", SD_BENCH_CITY_SCAN, 3000);
  g_autofree char *da = content_digest (a), *db = content_digest (b), *dc = content_digest (c);

  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, !=, dc);
  g_assert_cmpstr (sd_store_get_site_id (a), !=, sd_store_get_site_id (b));
}

static time_t
mtime (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mtime;
}

static void
test_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (scratch, "cache", "shelterdesk", "bench", NULL);
  g_autofree char *name = g_strdup_printf ("city-2000-intake-s%d-g%d.sqlite", SD_SCHEMA_VERSION,
                                           SD_BENCH_CITY_GENERATOR_VERSION);
  g_autofree char *expected = g_build_filename (dir, name, NULL);
  g_autofree char *abandoned = NULL, *first = NULL, *again = NULL, *rebuilt = NULL, *copy = NULL;
  double seconds = -1;
  pid_t dead;
  GStatBuf st;

  g_assert_null (sd_bench_city_lookup (SD_BENCH_CITY_INTAKE, 2000));

  /* A build that was killed left its half city; its process is gone. */
  dead = fork ();
  if (dead == 0)
    _exit (0);
  g_assert_cmpint (waitpid (dead, NULL, 0), ==, dead);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  abandoned = g_strdup_printf ("%s.building-%d", expected, (int) dead);
  g_assert_true (g_file_set_contents (abandoned, "half", -1, NULL));

  first = sd_bench_city_get (SD_BENCH_CITY_INTAKE, 2000, &seconds, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, expected);
  g_assert_cmpfloat (seconds, >, 0);
  g_assert_false (g_file_test (abandoned, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (first, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  {
    g_autofree char *wal = g_strconcat (first, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }

  /* Taken from the cache the second time, untouched. */
  {
    time_t before = mtime (first);
    double again_seconds = -1;

    again = sd_bench_city_get (SD_BENCH_CITY_INTAKE, 2000, &again_seconds, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, first);
    g_assert_cmpfloat (again_seconds, ==, seconds);
    g_assert_cmpint (mtime (first), ==, before);
  }

  /* A working copy is private and never lands on a file that exists. */
  copy = g_build_filename (scratch, "copy.sqlite", NULL);
  g_assert_true (sd_bench_city_copy (first, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (copy, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (sd_bench_city_copy (first, copy, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_clear_error (&error);
  {
    g_autoptr(SdStore) store = sd_store_open (copy, SD_STORE_OPEN_DEFAULT, &error);
    gint64 file_bytes, oplog_bytes;

    g_assert_no_error (error);
    g_assert_cmpint (query (store, "SELECT count(*) FROM persons"), ==, 2000);
    g_clear_object (&store);
    g_assert_true (sd_bench_city_measure (copy, &file_bytes, &oplog_bytes, &error));
    g_assert_no_error (error);
    g_assert_cmpint (oplog_bytes, >, 0);
    g_assert_cmpint (oplog_bytes, <, file_bytes);
  }
  sd_database_files_remove (copy);

  /* The same schema version but another schema (as while a migration is
   * being written): the city is built again under the same name. */
  {
    sqlite3 *db = NULL;

    g_assert (sqlite3_open (first, &db) == SQLITE_OK);
    g_assert (sqlite3_exec (db, "CREATE TABLE oplog_extra (x)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_null (sd_bench_city_lookup (SD_BENCH_CITY_INTAKE, 2000));
  rebuilt = sd_bench_city_get (SD_BENCH_CITY_INTAKE, 2000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rebuilt, ==, expected);
  g_assert_nonnull (sd_bench_city_lookup (SD_BENCH_CITY_INTAKE, 2000));
}

static void
test_sizes (void)
{
  g_autoptr(GArray) sizes = NULL;
  g_autofree char *m = sd_bench_size_label (1000000), *k = sd_bench_size_label (100000),
                  *odd = sd_bench_size_label (2500);

  g_setenv ("SD_BENCH_SIZES", "1000000, 100000,100000", TRUE);
  sizes = sd_bench_sizes ();
  g_assert_cmpuint (sizes->len, ==, 2);
  g_assert_cmpuint (g_array_index (sizes, guint, 0), ==, 100000);
  g_assert_cmpuint (g_array_index (sizes, guint, 1), ==, 1000000);
  g_array_unref (sizes);
  g_unsetenv ("SD_BENCH_SIZES");
  sizes = sd_bench_sizes ();
  g_assert_cmpuint (sizes->len, ==, 2);
  g_assert_cmpstr (m, ==, "1M");
  g_assert_cmpstr (k, ==, "100k");
  g_assert_cmpstr (odd, ==, "2500");
}

/* What the tests made, one by one: each is named. */
static void
remove_scratch (void)
{
  static const char *const databases[] = { "intake.sqlite", "scan.sqlite", "a.sqlite", "b.sqlite", "c.sqlite" };
  static const char *const dirs[] = { "cache/shelterdesk/bench", "cache/shelterdesk", "cache", "" };
  g_autofree char *cached = g_build_filename (scratch, "cache", "shelterdesk", "bench", NULL);
  g_autoptr(GDir) d = g_dir_open (cached, 0, NULL);
  const char *name;

  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      g_autofree char *path = g_build_filename (scratch, databases[i], NULL);
      sd_database_files_remove (path);
    }
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (cached, name, NULL);
      g_remove (path);
    }
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (scratch, dirs[i], NULL);
      g_assert_cmpint (g_rmdir (path), ==, 0);
    }
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;
  int rc;

  /* Before GLib reads it once for good. */
  scratch = g_dir_make_tmp ("sd-test-bench-city-XXXXXX", NULL);
  cache = g_build_filename (scratch, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bench-city/intake-shape", test_intake_shape);
  g_test_add_func ("/bench-city/scan-shape", test_scan_shape);
  g_test_add_func ("/bench-city/repeatable", test_repeatable);
  g_test_add_func ("/bench-city/cache", test_cache);
  g_test_add_func ("/bench-city/sizes", test_sizes);
  rc = g_test_run ();
  remove_scratch ();
  g_free (scratch);
  return rc;
}
