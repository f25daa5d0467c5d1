/* sd-bench-city.c: the generated cities the benchmarks run on, at any size, built once and kept in a cache.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each shape keeps the order of random draws of the city its benchmark
 * used to build for itself at 100 000 persons, so that size gives the same
 * people as before.  A cached city is trusted by its name only as far as
 * the name goes: the schema version does not change with every edit of
 * the schema while it is being written, so the cached file's schema is
 * also compared with the one this build makes, and a city of another
 * schema is built again under the same name.
 */
#define _GNU_SOURCE  /* copy_file_range */
#define G_LOG_DOMAIN "sd-bench"

#include "sd-bench-city.h"
#include "sd-bench.h"
#include "sd-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Persons registered between two commits: a few big transactions, and a
 * write-ahead log that stays near the size of one of them. */
#define PERSONS_PER_TXN 100000

/* A page cache for building only: with the store's 64 MiB the random
 * inserts into the search keys' index re-read their pages from the OS
 * over and over.  It is not part of the file. */
#define BUILD_CACHE_KIB 1048576

#define INTAKE_SEED 20261122
#define SCAN_SEED   20261123
#define SCAN_SHELTERS 5

const char *
sd_bench_city_shape_name (SdBenchCityShape shape)
{
  return shape == SD_BENCH_CITY_INTAKE ? "intake" : "scan";
}

gboolean
sd_bench_city_shape_parse (const char       *name,
                           SdBenchCityShape *shape)
{
  if (g_strcmp0 (name, "intake") == 0)
    *shape = SD_BENCH_CITY_INTAKE;
  else if (g_strcmp0 (name, "scan") == 0)
    *shape = SD_BENCH_CITY_SCAN;
  else
    return FALSE;
  return TRUE;
}

guint
sd_bench_city_n_shelters (SdBenchCityShape shape,
                          guint            persons)
{
  if (shape == SD_BENCH_CITY_SCAN)
    return SCAN_SHELTERS;
  return MAX (1, persons / SD_BENCH_CITY_BIG_SHELTER);
}

/* The intake shape's household count, which its sizes are spread over;
 * the scan shape's follows from its random sizes. */
guint
sd_bench_city_n_households (SdBenchCityShape shape,
                            guint            persons)
{
  return MAX (1, persons * 2 / 5);
}

/* The city's shelters, shelter 0 first: added to STORE when ADD, else
 * found there by their codes. */
static GPtrArray *
shelters (SdStore          *store,
          SdBenchCityShape  shape,
          guint             persons,
          gboolean          add,
          GError          **error)
{
  guint n = sd_bench_city_n_shelters (shape, persons);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint s = 0; s < n; s++)
    {
      g_autofree char *code = g_strdup_printf ("%c%03u", shape == SD_BENCH_CITY_INTAKE ? 'B' : 'Q', s);
      g_autofree char *name = shape == SD_BENCH_CITY_INTAKE ? g_strdup ("試験避難所")
                                                            : g_strdup_printf ("みなと川市立第%u小学校", s + 1);
      /* Room for everyone given to it, with some to spare. */
      int capacity = shape == SD_BENCH_CITY_INTAKE ? 6000 : (int) (persons / n * 3 / 2);
      SdShelterSpec spec = { code, name, SD_SHELTER_KIND_DESIGNATED, capacity, NULL };
      g_autoptr(SdShelter) shelter = add ? sd_store_add_shelter (store, &spec, error)
                                         : sd_store_find_shelter (store, code, error);

      if (shelter == NULL)
        return NULL;
      g_ptr_array_add (ids, g_strdup (sd_shelter_get_id (shelter)));
    }
  return g_steal_pointer (&ids);
}

/* A household SPEC of N members of family FAM, its phone and members
 * drawn from RAND, registered with its check-in; then, when some
 * PERSONS_PER_TXN more persons were registered since *COMMITTED, TXN
 * committed and the next begun. */
static gboolean
add_household (SdStore          *store,
               GRand            *rand,
               const Name       *fam,
               SdHouseholdSpec  *spec,
               guint             n,
               SdTxn           **txn,
               guint            *persons,
               guint            *committed,
               GError          **error)
{
  SdBenchHousehold hh;
  char phone[32];
  g_autofree char *id = NULL;

  g_snprintf (phone, sizeof phone, "090-%04d-%04d", g_rand_int_range (rand, 0, 10000),
              g_rand_int_range (rand, 0, 10000));
  spec->phone = phone;
  sd_bench_household_fill (&hh, rand, fam, n);
  id = sd_store_add_household (store, spec, hh.members, n, NULL, error);
  if (id == NULL)
    return FALSE;
  *persons += n;
  if (*persons - *committed < PERSONS_PER_TXN)
    return TRUE;
  *committed = *persons;
  if (!_sd_txn_commit (g_steal_pointer (txn), error))
    return FALSE;
  *txn = _sd_store_begin (store, error);
  return *txn != NULL;
}

static gboolean
build_intake (SdStore    *store,
              guint       n_persons,
              GPtrArray  *shelter_ids,
              GError    **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (INTAKE_SEED);
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  guint n_households = sd_bench_city_n_households (SD_BENCH_CITY_INTAKE, n_persons);
  guint persons = 0, committed = 0;

  if (txn == NULL)
    return FALSE;
  for (guint h = 0; h < n_households && persons < n_persons; h++)
    {
      const Name *fam = &families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))];
      guint n = h < n_households - 1 ? (n_persons - persons) * 2 / (n_households - h) / 2 : n_persons - persons;
      /* The first 5 000 people (some 2 000 households) are shelter 0's. */
      guint shelter = persons < SD_BENCH_CITY_BIG_SHELTER || shelter_ids->len == 1
                    ? 0 : 1 + h % (shelter_ids->len - 1);
      SdHouseholdSpec spec = { .shelter_id = g_ptr_array_index (shelter_ids, shelter),
                               .stay = SD_STAY_SHELTER, .check_in = TRUE };

      n = CLAMP (n + (h % 3 == 0 ? 1 : 0) - (h % 5 == 0 ? 1 : 0), 1, 6);
      if (persons + n > n_persons)
        n = MAX (1, n_persons - persons);
      if (!add_household (store, rand, fam, &spec, n, &txn, &persons, &committed, error))
        return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

static gboolean
build_scan (SdStore    *store,
            guint       n_persons,
            GPtrArray  *shelter_ids,
            GError    **error)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SCAN_SEED);
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  guint persons = 0, households = 0, committed = 0;

  if (txn == NULL)
    return FALSE;
  while (persons < n_persons)
    {
      const Name *fam = &families[g_rand_int_range (rand, 0, G_N_ELEMENTS (families))];
      guint n = g_rand_int_range (rand, 1, 5);
      gboolean stays = g_rand_int_range (rand, 0, 10) != 0;
      SdHouseholdSpec spec = { .shelter_id = g_ptr_array_index (shelter_ids, households++ % shelter_ids->len),
                               .stay = stays ? SD_STAY_SHELTER : SD_STAY_HOME, .check_in = stays };

      if (!add_household (store, rand, fam, &spec, MIN (n, n_persons - persons), &txn, &persons, &committed,
                          error))
        return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_bench_city_build (SdStore          *store,
                     SdBenchCityShape  shape,
                     guint             persons,
                     GError          **error)
{
  g_autoptr(GPtrArray) shelter_ids = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA cache_size = -%d", BUILD_CACHE_KIB);
  gboolean ok;

  g_return_val_if_fail (persons > 0, FALSE);

  sqlite3_exec (_sd_store_get_db (store), pragma, NULL, NULL, NULL);
  shelter_ids = shelters (store, shape, persons, TRUE, error);
  ok = shelter_ids != NULL &&
       (shape == SD_BENCH_CITY_INTAKE ? build_intake : build_scan) (store, persons, shelter_ids, error);
  /* Back to the store's own setting (sd-store.c). */
  sqlite3_exec (_sd_store_get_db (store), "PRAGMA cache_size = -65536", NULL, NULL, NULL);
  return ok;
}

GPtrArray *
sd_bench_city_shelter_ids (SdStore          *store,
                           SdBenchCityShape  shape,
                           guint             persons,
                           GError          **error)
{
  return shelters (store, shape, persons, FALSE, error);
}

GPtrArray *
sd_bench_city_person_ids (SdStore *store)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert (sqlite3_prepare_v2 (_sd_store_get_db (store), "SELECT id FROM persons ORDER BY id", -1, &stmt,
                                NULL) == SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return ids;
}

/* ---- the cache ---- */

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "shelterdesk", "bench", NULL);
}

static char *
cache_path (SdBenchCityShape shape,
            guint            persons)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *name = g_strdup_printf ("city-%u-%s-s%d-g%d.sqlite", persons, sd_bench_city_shape_name (shape),
                                           SD_SCHEMA_VERSION, SD_BENCH_CITY_GENERATOR_VERSION);

  return g_build_filename (dir, name, NULL);
}

/* A read-only look at PATH that leaves no -wal or -shm behind: the cached
 * files are closed databases, so there is no log to miss. */
static sqlite3 *
open_immutable (const char *path)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);
  g_autofree char *immutable = g_strconcat (uri, "?immutable=1", NULL);
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (immutable, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
    g_clear_pointer (&db, sqlite3_close);
  return db;
}

/* What the file's schema is, as a digest of every object SQLite was
 * asked to make; NULL if it cannot be read. */
static char *
schema_digest (const char *path)
{
  sqlite3 *db = open_immutable (path);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  gboolean ok;

  if (db == NULL)
    return NULL;
  ok = sqlite3_prepare_v2 (db, "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                               "WHERE name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY type, name",
                           -1, &stmt, NULL) == SQLITE_OK;
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < 4; c++)
      {
        const char *text = (const char *) sqlite3_column_text (stmt, c);
        g_checksum_update (sum, (const guchar *) (text ? text : ""), -1);
        g_checksum_update (sum, (const guchar *) "\n", 1);
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok ? g_strdup (g_checksum_get_string (sum)) : NULL;
}

/* The schema this build makes, from an empty site made in a scratch folder. */
static const char *
own_schema_digest (void)
{
  static char *digest;

  if (digest == NULL)
    {
      g_autofree char *dir = g_dir_make_tmp ("sd-bench-schema-XXXXXX", NULL);
      g_autofree char *path = g_build_filename (dir, "empty.sqlite", NULL);
      g_autoptr(GError) error = NULL;
      SdStore *store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);

      g_assert_no_error (error);
      g_object_unref (store);
      digest = schema_digest (path);
      sd_database_files_remove (path);
      g_rmdir (dir);
      g_assert (digest != NULL);
    }
  return digest;
}

char *
sd_bench_city_lookup (SdBenchCityShape shape,
                      guint            persons)
{
  g_autofree char *path = cache_path (shape, persons);
  g_autofree char *digest = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  digest = schema_digest (path);
  if (g_strcmp0 (digest, own_schema_digest ()) != 0)
    return NULL;
  return g_steal_pointer (&path);
}

/* Half-made cities of builds that were killed: NAME.building-PID where
 * no process PID runs any more.  Each is the size of a city. */
static void
remove_abandoned_builds (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      const char *mark = strstr (name, ".sqlite.building-");
      gint64 pid;

      if (mark == NULL || g_str_has_suffix (name, "-wal") || g_str_has_suffix (name, "-shm") ||
          g_str_has_suffix (name, "-journal"))
        continue;
      pid = g_ascii_strtoll (mark + strlen (".sqlite.building-"), NULL, 10);
      if (pid > 0 && kill ((pid_t) pid, 0) != 0 && errno == ESRCH)
        {
          g_autofree char *path = g_build_filename (dir, name, NULL);
          sd_database_files_remove (path);
        }
    }
}

/* How long the build of the city at PATH took, from its .info file; -1 if unknown. */
static double
read_build_seconds (const char *path)
{
  g_autofree char *info = g_strconcat (path, ".info", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  double seconds;

  if (!g_key_file_load_from_file (kf, info, G_KEY_FILE_NONE, NULL))
    return -1;
  seconds = g_key_file_get_double (kf, "city", "build-seconds", &error);
  return error == NULL ? seconds : -1;
}

static gboolean
write_info (const char        *path,
            SdBenchCityShape   shape,
            guint              persons,
            double             seconds,
            GError           **error)
{
  g_autofree char *info = g_strconcat (path, ".info", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *when = g_date_time_format_iso8601 (now);

  g_key_file_set_string (kf, "city", "shape", sd_bench_city_shape_name (shape));
  g_key_file_set_uint64 (kf, "city", "persons", persons);
  g_key_file_set_double (kf, "city", "build-seconds", seconds);
  g_key_file_set_string (kf, "city", "built", when);
  g_key_file_set_string (kf, "city", "schema-digest", own_schema_digest ());
  return g_key_file_save_to_file (kf, info, error);
}

char *
sd_bench_city_get (SdBenchCityShape   shape,
                   guint              persons,
                   double            *build_seconds,
                   GError           **error)
{
  g_autofree char *dir = cache_dir ();
  g_autofree char *path = cache_path (shape, persons);
  g_autofree char *label = sd_bench_size_label (persons);
  g_autofree char *building = NULL;
  g_autoptr(SdStore) store = NULL;
  double t0;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *found = sd_bench_city_lookup (shape, persons);

      if (found != NULL)
        {
          double seconds = read_build_seconds (found);

          if (build_seconds != NULL)
            *build_seconds = seconds;
          g_printerr ("City of %s persons (%s shape) from the cache: %s (its build took %.0f s)\n",
                   label, sd_bench_city_shape_name (shape), found, seconds);
          return g_steal_pointer (&found);
        }
      g_printerr ("The cached %s was made by another schema of version %d: building it again.\n",
               path, SD_SCHEMA_VERSION);
    }

  if (!sd_private_dir_create (dir, error))
    return NULL;
  remove_abandoned_builds (dir);
  building = g_strdup_printf ("%s.building-%d", path, (int) getpid ());
  sd_database_files_remove (building);

  g_printerr ("Building a city of %s persons (%s shape) into %s ...\n", label, sd_bench_city_shape_name (shape), dir);
  t0 = now_ms ();
  store = sd_store_open (building, SD_STORE_OPEN_CREATE, error);
  if (store == NULL || !sd_bench_city_build (store, shape, persons, error))
    {
      g_clear_object (&store);
      sd_database_files_remove (building);
      return NULL;
    }
  /* Closing checkpoints the log into the file and removes it: what is
   * renamed is one whole database. */
  g_clear_object (&store);
  t0 = (now_ms () - t0) / 1000;
  {
    g_autofree char *wal = g_strconcat (building, "-wal", NULL);
    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  }
  if (!write_info (path, shape, persons, t0, error))
    return NULL;
  if (g_rename (building, path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Could not rename %s: %s", building,
                   g_strerror (saved));
      sd_database_files_remove (building);
      return NULL;
    }
  g_printerr ("Built it in %.1f s: %s\n", t0, path);
  if (build_seconds != NULL)
    *build_seconds = t0;
  return g_steal_pointer (&path);
}

gboolean
sd_bench_city_copy (const char  *from,
                    const char  *to,
                    GError     **error)
{
  int in = -1, out = -1, saved = 0;
  gboolean ok = FALSE;

  in = g_open (from, O_RDONLY | O_CLOEXEC, 0);
  if (in >= 0)
    out = g_open (to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (in >= 0 && out >= 0)
    {
      ssize_t n;

      /* In the kernel, without passing gigabytes through this process. */
      while ((n = copy_file_range (in, NULL, out, NULL, 1 << 30, 0)) > 0)
        ;
      ok = n == 0;
    }
  saved = errno;
  if (in >= 0)
    close (in);
  if (out >= 0 && close (out) != 0)
    ok = FALSE;
  if (!ok)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "Could not copy %s to %s: %s", from, to,
                   g_strerror (saved));
      if (out >= 0)
        g_remove (to);
    }
  return ok;
}

SdStore *
sd_bench_city_open_copy (SdBenchCityShape   shape,
                         guint              persons,
                         const char        *dir,
                         char             **cached,
                         char             **copy,
                         double            *build_seconds,
                         GError           **error)
{
  g_autofree char *from = sd_bench_city_get (shape, persons, build_seconds, error);
  g_autofree char *to = NULL;
  SdStore *store;
  double t0 = now_ms ();

  if (from == NULL)
    return NULL;
  to = g_strdup_printf ("%s/city-%u-%s.sqlite", dir, persons, sd_bench_city_shape_name (shape));
  if (!sd_bench_city_copy (from, to, error))
    return NULL;
  g_printerr ("Working copy made in %.1f s: %s\n", (now_ms () - t0) / 1000, to);
  store = sd_store_open (to, SD_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    {
      sd_database_files_remove (to);
      return NULL;
    }
  if (cached != NULL)
    *cached = g_steal_pointer (&from);
  *copy = g_steal_pointer (&to);
  return store;
}

static gint64
query_int64 (sqlite3    *db,
             const char *sql,
             const char *text)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (text != NULL)
        sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

gboolean
sd_bench_city_measure (const char  *path,
                       gint64      *file_bytes,
                       gint64      *oplog_bytes,
                       GError     **error)
{
  sqlite3 *db = open_immutable (path);
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_free);

  if (db == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "Could not open %s", path);
      return FALSE;
    }
  *file_bytes = query_int64 (db, "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size", NULL);
  /* The op-log by name, not by today's layout: it is becoming several
   * tables, all named oplog*.  Their indexes (and SQLite's own for their
   * keys) are theirs too. */
  g_assert (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') "
                                    "AND tbl_name LIKE 'oplog%'", -1, &stmt, NULL) == SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (objects, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  *oplog_bytes = 0;
  for (guint i = 0; i < objects->len; i++)
    {
      /* Page by page, summed by SQL in 64 bits: dbstat's own aggregate
       * (aggregate = TRUE) adds pgsize in 32 bits in Debian 12's SQLite
       * 3.40 and wraps for an object over 2 GiB (the op-log of 1 000 000
       * persons came out at -0.88 GB). */
      gint64 bytes = query_int64 (db, "SELECT coalesce (sum (pgsize), 0) FROM dbstat WHERE name = ?1",
                                  g_ptr_array_index (objects, i));
      if (bytes < 0)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "dbstat could not measure %s: %s",
                       (const char *) g_ptr_array_index (objects, i), sqlite3_errmsg (db));
          sqlite3_close (db);
          return FALSE;
        }
      *oplog_bytes += bytes;
    }
  sqlite3_close (db);
  return *file_bytes > 0;
}

/* ---- sizes ---- */

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;
  return (x > y) - (x < y);
}

GArray *
sd_bench_sizes (void)
{
  const char *env = g_getenv ("SD_BENCH_SIZES");
  g_auto(GStrv) parts = g_strsplit (env != NULL && *env != '\0' ? env : "100000,1000000", ",", -1);
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      guint64 n;
      guint persons;

      if (!g_ascii_string_to_unsigned (g_strstrip (parts[i]), 10, 1, G_MAXUINT32, &n, NULL))
        g_error ("SD_BENCH_SIZES: “%s” is not a number of persons (e.g. SD_BENCH_SIZES=100000,1000000)", parts[i]);
      persons = (guint) n;
      g_array_append_val (sizes, persons);
    }
  g_array_sort (sizes, compare_uint);
  for (guint i = 1; i < sizes->len; i++)
    if (g_array_index (sizes, guint, i) == g_array_index (sizes, guint, i - 1))
      g_array_remove_index (sizes, i--);
  return sizes;
}

char *
sd_bench_size_label (guint persons)
{
  if (persons >= 1000000 && persons % 1000000 == 0)
    return g_strdup_printf ("%uM", persons / 1000000);
  if (persons >= 1000 && persons % 1000 == 0)
    return g_strdup_printf ("%uk", persons / 1000);
  return g_strdup_printf ("%u", persons);
}
