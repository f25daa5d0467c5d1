/* test-store.c: opening, migrating and refusing databases; op-log capture; events.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"
#include "sd-oplog.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#ifdef G_OS_UNIX
#include <unistd.h>
#endif

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("sd-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "site.sqlite", NULL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_chmod (p, 0600);
      g_remove (p);
    }
  g_chmod (dir, 0700);
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static SdStore *
open_new (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SdStore *store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static SdShelter *
add_shelter (SdStore *store, const char *code)
{
  g_autoptr(GError) error = NULL;
  SdShelterSpec spec = { code, "みなと川小学校", SD_SHELTER_KIND_DESIGNATED, 300, "みなと川市東町1-2-3" };
  SdShelter *shelter = sd_store_add_shelter (store, &spec, &error);

  g_assert_no_error (error);
  return shelter;
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* Made as the desk makes them: for their owner only. */
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  return db;
}

static gint64
raw_int (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* ---- opening ---- */

static void
test_create_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *site_id = NULL;
  sqlite3 *db;

  {
    g_autoptr(SdStore) store = open_new (f);

    site_id = g_strdup (sd_store_get_site_id (store));
    g_assert_cmpuint (strlen (site_id), ==, 32);
    for (const char *p = site_id; *p; p++)
      g_assert_true (g_ascii_isxdigit (*p));
    g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_SCHEMA_VERSION);
    g_assert_nonnull (sd_store_get_site_name (store));
    g_assert_true (sd_store_set_site_name (store, "  みなと川小学校 避難所  ", &error));
    g_assert_no_error (error);
    g_assert_false (sd_store_set_site_name (store, "", &error));
    g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  {
    g_autoptr(SdStore) store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sd_store_get_site_id (store), ==, site_id);
    g_assert_cmpstr (sd_store_get_site_name (store), ==, "みなと川小学校 避難所");
  }

  db = raw_open (f->path);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), ==, SD_APPLICATION_ID);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, SD_SCHEMA_VERSION);
  sqlite3_close (db);
}

static void
test_pragmas (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (raw_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (raw_int (db, "PRAGMA synchronous"), ==, 2);  /* FULL */
  sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
}

static void
test_missing_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);

  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autofree char *after = NULL;
  gsize after_len;
  char garbage[4096];

  for (gsize i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) g_random_int ();
  g_assert_true (g_file_set_contents (f->path, garbage, sizeof garbage, NULL));

  store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE);

  /* Refusing it must not touch it. */
  g_assert_true (g_file_get_contents (f->path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, garbage, sizeof garbage);
}

static void
test_empty_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;

  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE);
  g_clear_error (&error);

  /* Not while other users can read it: they would read the new site too.
   * (Windows: access lists, checked by test-platform.) */
#ifdef G_OS_UNIX
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PERMISSIONS);
  g_clear_error (&error);
#endif

  /* Asked to create, an empty private file becomes a new site. */
  g_assert_cmpint (g_chmod (f->path, 0600), ==, 0);
  store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
test_private (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

#ifdef G_OS_WIN32
  g_test_skip ("Windows keeps access lists, not modes (test-platform checks them).");
  return;
#endif
  /* Whatever the umask: the file and SQLite's own files beside it. */
  g_assert_cmpuint (file_mode (f->path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_clear_object (&store);

  for (guint mode = 0604; mode <= 0660; mode += 0054)
    {
      g_assert_cmpint (g_chmod (f->path, mode), ==, 0);
      store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
      g_assert_null (store);
      g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PERMISSIONS);
      g_assert_nonnull (strstr (error->message, "chmod 600"));
      g_clear_error (&error);
    }
}

/* Overwrites the second leaf page of TABLE (found with SQLite's dbstat). */
static void
damage_table (const char *path,
              const char *table)
{
  sqlite3 *db = raw_open (path);
  sqlite3_stmt *stmt = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  gint64 offset;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (pageno - 1) * 4096 FROM dbstat WHERE name = ?1 "
                                           "AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  offset = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  for (gint64 i = offset; i < offset + 4096; i++)
    contents[i] = (char) (i * 131 + 7);
  g_assert_true (g_file_set_contents_full (path, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
}

/* The lists of allowed words are comparisons (migration 13: SQLite
 * rebuilt a list for every row written), and they still refuse a word
 * outside them, allow each word in them, and a table made later that
 * writes a list of three or more words again is caught here. */
static void
test_checks_as_comparisons (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  sqlite3 *db = _sd_store_get_db (store);
  g_autoptr(GError) error = NULL;
  static const char *const sexes[] = { "unknown", "male", "female", "not_applicable" };

  {
    g_autoptr(GRegex) list = g_regex_new ("\\b[a-z_]+ IN \\('[^']*'(,\\s*'[^']*'){2,}\\)", 0, 0, NULL);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      if (g_regex_match (list, (const char *) sqlite3_column_text (stmt, 1), 0, NULL))
        g_error ("%s checks a list of words: write it as comparisons", sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM sqlite_schema WHERE sql LIKE '%sex = ''male''%'"), >=, 2);
  {
    g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO households (id, stay, created_at) VALUES ('h1', 'home', 0)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    for (guint i = 0; i < G_N_ELEMENTS (sexes); i++)
      {
        g_autofree char *sql = g_strdup_printf ("INSERT INTO persons (id, household_id, name, sex, created_at) "
                                                "VALUES ('p%u', 'h1', '試験', '%s', 0)", i, sexes[i]);

        g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      }
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO persons (id, household_id, name, sex, created_at) "
                                       "VALUES ('px', 'h1', '試験', 'Male', 0)", NULL, NULL, NULL), ==,
                     SQLITE_CONSTRAINT_CHECK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE households SET stay = 'tent' WHERE id = 'h1'", NULL, NULL, NULL), ==,
                     SQLITE_CONSTRAINT_CHECK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE persons SET care_level = 'care6' WHERE id = 'p1'", NULL, NULL, NULL),
                     ==, SQLITE_CONSTRAINT_CHECK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE persons SET care_level = 'care5' WHERE id = 'p1'", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  }
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

/* 400 people in one household, written as the core writes them. */
static void
add_many_persons (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (store),
                   "INSERT INTO households (id, stay, created_at) VALUES ('h1', 'home', 0);"
                   "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) "
                   "INSERT INTO persons (id, household_id, name, kana, created_at) "
                   "  SELECT printf ('p%04d', i), 'h1', printf ('試験 %d 号', i), 'しけん', 0 FROM n;",
                   NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
}

/* Opens the file as if it were a city's: the open check reads only the
 * small tables, so damage elsewhere is found later, as on a large file. */
static SdStore *
open_as_city_sized (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SdStore *store;

  _sd_store_set_full_check_bytes (0);
  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  _sd_store_set_full_check_bytes (-1);
  g_assert_no_error (error);
  return store;
}

static void
test_damage_found_later (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  g_autofree char *marker = g_strconcat (f->path, "-damaged", NULL);
  SdShelterSpec spec = { "S02", "第二", SD_SHELTER_KIND_DESIGNATED, 10, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  sqlite3_stmt *stmt;

  add_many_persons (store);
  g_clear_object (&store);
  damage_table (f->path, "persons");

  store = open_as_city_sized (f);
  g_assert_false (sd_store_get_damaged (store));
  g_assert_true (g_file_get_contents (f->path, &before, &before_len, NULL));

  /* The first read of the damaged page marks the file ... */
  stmt = _sd_store_prepare (store, "SELECT sum (length (name)) FROM persons", &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (_sd_store_step (store, stmt, "read", &error), !=, SQLITE_ROW);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_true (sd_store_get_damaged (store));
  g_assert_true (g_file_test (marker, G_FILE_TEST_EXISTS));

  /* ... and nothing is written to it from then on, by this program ... */
  g_assert_null (sd_store_add_shelter (store, &spec, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  g_clear_object (&store);
  g_assert_true (g_file_get_contents (f->path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, before, before_len);

  /* ... or by the next. */
  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT);
}

static void
verify_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  g_assert_false (sd_store_verify_finish (SD_STORE (source), result, error));
}

static void
test_verify_finds_damage (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);

  add_many_persons (store);
  g_clear_object (&store);
  damage_table (f->path, "persons");

  store = open_as_city_sized (f);
  sd_store_verify_async (store, NULL, verify_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT);
  g_assert_true (sd_store_get_damaged (store));
}

static void
test_rescue_rebuilds_from_oplog (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  g_autoptr(SdRescueReport) report = NULL;
  g_autofree char *out = g_build_filename (f->dir, "rescued.sqlite", NULL);
  g_autofree char *site_id = NULL;
  SdStoreCounts counts;
  sqlite3 *db;

  add_many_persons (store);
  site_id = g_strdup (sd_store_get_site_id (store));
  g_clear_object (&store);
  damage_table (f->path, "persons");

  store = sd_store_open (f->path, SD_STORE_OPEN_DAMAGED, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_damaged (store));
  report = sd_store_rescue (store, out, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint i = 0; i < report->tables->len; i++)
    {
      SdRescueTable *t = g_ptr_array_index (report->tables, i);

      if (g_str_equal (t->table, "persons"))
        {
          g_assert_cmpuint (t->damaged_parts, >=, 1);
          g_assert_cmpuint (t->rebuilt, >, 0);
          g_assert_cmpuint (t->saved + t->rebuilt, ==, 400);
        }
    }
  g_assert_cmpuint (report->oplog_gaps, ==, 0);

  store = sd_store_open (out, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_store_get_site_id (store), ==, site_id);
  g_assert_true (sd_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.persons, ==, 400);
  g_assert_cmpuint (counts.shelters, ==, 1);
  /* Counted from each site's last number, not by reading the op-log. */
  g_assert_cmpint (counts.oplog, ==, raw_int (_sd_store_get_db (store), "SELECT count (*) FROM oplog"));
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
  db = _sd_store_get_db (store);
  /* Made again field for field, and findable again. */
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM persons WHERE name = '試験 123 号' AND kana = 'しけん'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count (DISTINCT person_id) FROM person_keys"), ==, 400);
}

static void
test_foreign_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  sqlite3 *db = raw_open (f->path);

  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sd_store_open (f->path, SD_STORE_OPEN_CREATE, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE);
}

static void
test_newer_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  sqlite3 *db;

  g_clear_object (&store);
  store = open_new (f);
  g_clear_object (&store);

  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "99"));
}

static void
test_read_only (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  SdShelterSpec spec = { "S02", "第二", SD_SHELTER_KIND_DESIGNATED, 10, NULL };
  SdStoreCounts counts;

  g_clear_object (&store);

  /* Opened read-only on purpose: it reads, and refuses every write. */
  store = sd_store_open (f->path, SD_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (sd_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.shelters, ==, 1);
  g_assert_null (sd_store_add_shelter (store, &spec, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_clear_object (&store);

  /* A read-only file opened for writing is refused up front.  Root
   * ignores file modes, so there is nothing to see as root. */
#ifdef G_OS_UNIX
  if (geteuid () == 0)
    {
      /* tests/cli/test-cli-store.py runs this as an unprivileged user. */
      g_test_skip ("running as root: file modes do not stop root");
      return;
    }
#endif
  g_assert_cmpint (g_chmod (f->path, 0444), ==, 0);
  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY);
}

static void
test_corrupt (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autofree char *contents = NULL;
  gsize len;
  gboolean refused;

  for (int i = 0; i < 30; i++)
    {
      g_autofree char *code = g_strdup_printf ("S%02d", i);
      g_autoptr(SdShelter) shelter = add_shelter (store, code);
    }
  g_clear_object (&store);

  /* Checkpointed on close; now scribble over everything after the header page. */
  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 8192);
  for (gsize i = 4096; i < len; i++)
    contents[i] = (char) (i * 31);
  g_assert_true (g_file_set_contents (f->path, contents, len, NULL));

  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  if (store != NULL)
    refused = !sd_store_check (store, &error);
  else
    refused = TRUE;
  g_assert_true (refused);
  g_assert_true (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT) ||
                 g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_A_DATABASE) ||
                 g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED));
}

/* ---- migrations ---- */

/* A stand-in for one of the SQL functions a store defines: it returns the
 * text it was created with. */
static void
sql_constant_cb (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  sqlite3_result_text (ctx, sqlite3_user_data (ctx), -1, SQLITE_STATIC);
}

static void
test_migrate_from_every_version (Fixture *f, gconstpointer data)
{
  for (int from = 0; from < SD_SCHEMA_VERSION; from++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdStore) store = NULL;
      g_autofree char *path = g_strdup_printf ("%s/from-%d.sqlite", f->dir, from);
      sqlite3 *db = raw_open (path);

      /* An old file is made without a store; versions 2, 4 and 7 name
       * these functions, and there are no rows yet for them to be called on. */
      sqlite3_create_function (db, "sd_search_keys", 4, SQLITE_UTF8, "[]", sql_constant_cb, NULL, NULL);
      sqlite3_create_function (db, "sd_hlc", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
      sqlite3_create_function (db, "sd_site", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
      sqlite3_create_function (db, "sd_capture", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
      sqlite3_create_function (db, "sd_txn", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
      _sd_oplog_register_functions (db);
      g_assert_true (_sd_migrate (db, 0, from, &error));
      g_assert_no_error (error);
      g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, from);
      /* A second kiosk that read version 0 before this one upgraded: it
       * goes on from where the file is, and no step runs twice. */
      g_assert_true (_sd_migrate (db, 0, from, &error));
      g_assert_no_error (error);
      g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, from);
      sqlite3_close (db);

      /* Version 0 is an empty file: only a create may take it on. */
      store = sd_store_open (path, from == 0 ? SD_STORE_OPEN_CREATE : SD_STORE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_SCHEMA_VERSION);
      g_assert_true (sd_store_check (store, &error));
      g_assert_no_error (error);
      g_clear_object (&store);
      g_remove (path);
    }
}

/* What version 3's sd_search_keys() stored for 山田 太郎 (やまだ たろう,
 * 090-1234-5678, 1950-01-06): folded kana and names, no romaji readings. */
static const char v3_keys[] =
  "[\"n山田太郎\",\"n太郎\",\"kヤマダタロウ\",\"kタロウ\",\"p09012345678\",\"q5678\",\"b1950-01-06\"]";

static void
v3_hlc_cb (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  static gint64 hlc = (gint64) 1 << 32;

  sqlite3_result_int64 (ctx, ++hlc);
}

static void
test_migrate_rebuilds_person_keys (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) found = NULL;
  g_autoptr(SdPerson) taro = NULL;
  sqlite3 *db = raw_open (f->path);

  /* A file as version 3 left it, people and op-log included, made with
   * stand-ins for the SQL functions a store defines. */
  sqlite3_create_function (db, "sd_search_keys", 4, SQLITE_UTF8, (void *) v3_keys, sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_site", 0, SQLITE_UTF8, "0123456789abcdef0123456789abcdef",
                           sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_hlc", 0, SQLITE_UTF8, NULL, v3_hlc_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_capture", 0, SQLITE_UTF8, "1", sql_constant_cb, NULL, NULL);
  g_assert_true (_sd_migrate (db, 0, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db,
                   "INSERT INTO site (id, site_id, site_name, created_at) "
                   "  VALUES (1, '0123456789abcdef0123456789abcdef', 'v3', 0);"
                   "INSERT INTO households (id, stay, phone, created_at) VALUES ('h1', 'home', '090-1234-5678', 0);"
                   "INSERT INTO persons (id, household_id, name, kana, birth_date, created_at) "
                   "  VALUES ('p1', 'h1', '山田 太郎', 'やまだ たろう', '1950-01-06', 0);",
                   NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM person_keys WHERE person_id = 'p1'"), ==, 7);
  sqlite3_close (db);

  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sd_store_get_schema_version (store), ==, SD_SCHEMA_VERSION);

  /* Found by romaji, which version 3's keys could not do... */
  found = sd_store_search_persons (store, "yamada", 50, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  taro = g_list_model_get_item (found, 0);
  g_assert_cmpstr (sd_person_get_id (taro), ==, "p1");
  g_clear_object (&found);
  /* ...and still by everything else. */
  for (const char *const *q = (const char *const[]) { "やまだ", "太郎", "5678", "S25.1.6", "taro", NULL }; *q; q++)
    {
      found = sd_store_search_persons (store, *q, 50, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
      g_clear_object (&found);
    }
  /* The keys are exactly what a new registration would get. */
  g_assert_cmpint (raw_int (_sd_store_get_db (store),
                            "SELECT count(*) FROM person_keys k WHERE k.person_id = 'p1' AND k.key NOT IN "
                            "(SELECT value FROM persons p JOIN households h ON h.id = p.household_id, "
                            " json_each (sd_search_keys (p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date)) "
                            " WHERE p.id = 'p1')"), ==, 0);
  g_assert_cmpint (raw_int (_sd_store_get_db (store),
                            "SELECT count(*) FROM person_keys WHERE person_id = 'p1' AND key GLOB 'r*'"), >, 0);
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

/* ---- the op-log ---- */

static void
test_oplog_captures_insert (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = NULL;
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  SdHlc prev_hlc = 0;
  guint fields = 0;

  /* The site's first operation names it, and its number here is 1. */
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM oplog_entries WHERE seq = 1 AND tbl = 'site' "
                                "AND row_id = (SELECT site_id FROM site)"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT n FROM oplog_sites WHERE site_id = (SELECT site_id FROM site)"), ==, 1);

  /* One change for the new row: an insert, with the row id as 16 bytes
   * and its fields packed by number. */
  shelter = add_shelter (store, "S01");
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM oplog"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM oplog WHERE seq = 2 AND txn = 2 AND kind = 1 "
                                "AND tbl = (SELECT n FROM oplog_tables WHERE name = 'shelters') "
                                "AND typeof (row_id) = 'blob' AND length (row_id) = 16"), ==, 1);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                   "SELECT site_id, seq, hlc, tbl, row_id, field, value FROM oplog_entries WHERE seq > 1",
                   -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *field = (const char *) sqlite3_column_text (stmt, 5);

      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, sd_store_get_site_id (store));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, 2);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), >, 0);
      prev_hlc = sqlite3_column_int64 (stmt, 2);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 3), ==, "shelters");
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, sd_shelter_get_id (shelter));
      if (g_str_equal (field, "name"))
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 6), ==, "みなと川小学校");
      if (g_str_equal (field, "capacity"))
        {
          /* Values keep their type through the packing. */
          g_assert_cmpint (sqlite3_column_type (stmt, 6), ==, SQLITE_INTEGER);
          g_assert_cmpint (sqlite3_column_int (stmt, 6), ==, 300);
        }
      fields++;
    }
  sqlite3_finalize (stmt);
  /* Every column but id and the NULL ones (no opening time yet). */
  g_assert_cmpuint (fields, ==, 6);
  g_assert_cmpint (sd_store_get_hlc (store), ==, prev_hlc);
}

static void
test_oplog_captures_changed_fields_only (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  sqlite3 *db = _sd_store_get_db (store);
  gint64 before = raw_int (db, "SELECT count(*) FROM oplog");

  g_assert_true (sd_store_set_shelter_open (store, sd_shelter_get_id (shelter), TRUE, &error));
  g_assert_no_error (error);
  /* is_open and opened_at changed: one update carrying those two. */
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog"), ==, before + 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog WHERE kind = 2"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog_entries WHERE kind = 2"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog_entries WHERE field = 'is_open' AND value = 1"), ==, 1);

  /* Opening it again changes nothing and logs nothing. */
  g_assert_true (sd_store_set_shelter_open (store, sd_shelter_get_id (shelter), TRUE, &error));
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog"), ==, before + 1);
}

static void
test_oplog_no_gap_after_failure (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) a = add_shelter (store, "S01");
  g_autoptr(SdShelter) b = NULL;
  g_autoptr(SdShelter) c = NULL;
  SdShelterSpec dup = { "S01", "重複", SD_SHELTER_KIND_DESIGNATED, 1, NULL };
  sqlite3 *db = _sd_store_get_db (store);

  b = sd_store_add_shelter (store, &dup, &error);
  g_assert_null (b);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS);

  c = add_shelter (store, "S02");
  /* Sequence numbers are dense: 1..max with no hole a receiver would take for loss. */
  g_assert_cmpint (raw_int (db, "SELECT max(seq) FROM oplog"), ==, raw_int (db, "SELECT count(*) FROM oplog"));
  {
    SdStoreCounts counts;

    g_assert_true (sd_store_get_counts (store, &counts, &error));
    g_assert_cmpint (counts.oplog, ==, raw_int (db, "SELECT count(*) FROM oplog"));
  }
}

static void
test_bypass_is_impossible (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  sqlite3 *db;
  char *msg = NULL;
  int rc;

  g_clear_object (&store);

  /* Plain SQLite, as the sqlite3 shell would: the capture triggers call
   * functions only ShelterDesk defines, so the write cannot happen. */
  db = raw_open (f->path);
  rc = sqlite3_exec (db,
                     "INSERT INTO shelters (id, code, name, kind) VALUES ('x', 'X1', 'x', 'designated')",
                     NULL, NULL, &msg);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_nonnull (strstr (msg, "no such function"));
  sqlite3_free (msg);
  rc = sqlite3_exec (db, "UPDATE shelters SET name = 'x'", NULL, NULL, NULL);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM shelters WHERE name = 'x'"), ==, 0);

  /* Nor can the record of changes itself be trimmed, edited or padded:
   * an entry deleted is a change that never reaches HQ. */
  {
    static const char *const tampering[] = {
      "DELETE FROM oplog WHERE seq = 2",
      "UPDATE oplog SET fields = '{\"2\":\"x\"}' WHERE seq = 2",
      "INSERT INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
      "  SELECT site, 1000, 1000, hlc, kind, tbl, row_id, '{\"2\":\"x\"}' FROM oplog LIMIT 1",
      "UPDATE oplog_sites SET site_id = 'x'",
    };
    gint64 entries = raw_int (db, "SELECT count(*) FROM oplog");

    for (guint i = 0; i < G_N_ELEMENTS (tampering); i++)
      {
        rc = sqlite3_exec (db, tampering[i], NULL, NULL, NULL);
        g_assert_cmpint (rc, !=, SQLITE_OK);
      }
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog"), ==, entries);
    g_assert_cmpint (raw_int (db, "SELECT count(*) FROM oplog_entries WHERE value = 'x'"), ==, 0);
  }
  sqlite3_close (db);
}

static void
test_bypass_is_detected (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  sqlite3 *db;

  g_clear_object (&store);

  /* A determined bypass defines every capture function itself, with
   * sd_capture() switching capture off (SQLite resolves the whole trigger
   * body when the statement is prepared, so faking one is not enough). */
  db = raw_open (f->path);
  sqlite3_create_function (db, "sd_capture", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_site", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_txn", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_hlc", 0, SQLITE_UTF8, "0", sql_constant_cb, NULL, NULL);
  _sd_oplog_register_functions (db);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO shelters (id, code, name, kind) "
                                     "VALUES ('x', 'X1', 'x', 'designated')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (sd_store_check (store, &error));
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED);
  g_clear_error (&error);
  g_clear_object (&store);

  /* Or drops a trigger: caught on the next open. */
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER capture_persons_insert", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_null (store);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED);
}

static gint64
fixed_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static void
test_hlc_survives_restart (Fixture *f, gconstpointer data)
{
  gint64 now = 1900000000000;  /* 2030 */
  SdHlc before;

  {
    g_autoptr(SdStore) store = open_new (f);
    g_autoptr(SdShelter) shelter = NULL;

    sd_store_set_clock (store, fixed_clock, &now);
    shelter = add_shelter (store, "S01");
    before = sd_store_get_hlc (store);
    g_assert_cmpint (sd_hlc_get_wall_ms (before), ==, now);
  }

  /* The kiosk reboots with its clock years behind (a dead RTC battery). */
  now = 1000000000000;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);
    g_autoptr(SdShelter) shelter = NULL;
    sqlite3 *db;

    g_assert_no_error (error);
    sd_store_set_clock (store, fixed_clock, &now);
    g_assert_cmpint (sd_store_get_hlc (store), ==, before);
    shelter = add_shelter (store, "S02");
    g_assert_cmpint (sd_store_get_hlc (store), >, before);
    db = _sd_store_get_db (store);
    g_assert_cmpint (raw_int (db, "SELECT min(hlc) FROM oplog_entries WHERE row_id = (SELECT id FROM shelters WHERE code = 'S02')"),
                     >, before);
  }
}

/* ---- transactions and signals ---- */

static void
changed_cb (SdStore *store, const char *table, GPtrArray *seen)
{
  g_ptr_array_add (seen, g_strdup (table));
}

static gint64
main_file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A desk copies the write-ahead log into the file a moment after the last
 * commit, not inside the next one; without that, the log waits. */
static void
test_idle_checkpoint (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(GError) error = NULL;
  gint64 before;
  gboolean done = FALSE;

  g_assert_true (sd_store_checkpoint (store, &error));
  g_assert_no_error (error);
  before = main_file_size (f->path);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *code = g_strdup_printf ("C%03u", i);
      g_autoptr(SdShelter) shelter = add_shelter (store, code);
    }
  /* Not idle-checkpointing: all of it still in the log. */
  g_timeout_add (1500, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (main_file_size (f->path), ==, before);

  sd_store_set_idle_checkpoint (store, 1);
  {
    g_autoptr(SdShelter) shelter = add_shelter (store, "D001");
  }
  g_assert_cmpint (main_file_size (f->path), ==, before);
  done = FALSE;
  g_timeout_add (2500, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (main_file_size (f->path), >, before);
}

static void
test_changed_signal_after_commit (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdShelter) shelter = NULL;

  g_signal_connect (store, "changed::shelters", G_CALLBACK (changed_cb), seen);
  shelter = add_shelter (store, "S01");
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "shelters");
}

static void
test_nested_rollback (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  SdStoreCounts counts;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), seen);
  {
    g_autoptr(SdTxn) outer = _sd_store_begin (store, &error);
    g_autoptr(SdShelter) a = add_shelter (store, "S01");

    /* Inside an outer transaction nothing is announced yet. */
    g_assert_cmpuint (seen->len, ==, 0);
    {
      g_autoptr(SdTxn) inner = _sd_store_begin (store, &error);
      g_autoptr(SdShelter) b = add_shelter (store, "S02");
      /* inner goes out of scope uncommitted: rolled back */
    }
    g_assert_true (_sd_txn_commit (g_steal_pointer (&outer), &error));
  }
  g_assert_true (sd_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.shelters, ==, 1);
  g_assert_cmpuint (seen->len, ==, 1);

  /* An outer transaction that is dropped takes everything with it. */
  {
    g_autoptr(SdTxn) outer = _sd_store_begin (store, &error);
    g_autoptr(SdShelter) c = add_shelter (store, "S03");
  }
  g_assert_true (sd_store_get_counts (store, &counts, &error));
  g_assert_cmpuint (counts.shelters, ==, 1);
  g_assert_cmpint (raw_int (_sd_store_get_db (store), "SELECT max(seq) FROM oplog"), ==,
                   raw_int (_sd_store_get_db (store), "SELECT count(*) FROM oplog"));
}

/* ---- households, persons, events ---- */

static void
test_household_and_events (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdPerson) person = NULL;
  g_autofree char *household = NULL;
  g_autofree char *event = NULL;
  const char *sid = sd_shelter_get_id (shelter);
  SdHouseholdSpec h = { sid, SD_STAY_SHELTER, NULL, "みなと川市東町1-2-3", "090-0000-0001" };
  SdPersonSpec members[] = {
    { "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "昭和25年1月6日", SD_SEX_MALE, NULL, NULL, TRUE },
    { "山田 花子", "ヤマダ ハナコ", "1952-03-04", SD_SEX_FEMALE, NULL, NULL, FALSE },
  };

  household = sd_store_add_household (store, &h, members, 2, ids, &error);
  g_assert_no_error (error);
  g_assert_nonnull (household);
  g_assert_cmpuint (ids->len, ==, 2);

  person = sd_store_get_person (store, g_ptr_array_index (ids, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_person_get_kana (person), ==, "ヤマダ タロウ");  /* half-width made full */
  g_assert_cmpstr (sd_person_get_birth_date (person), ==, "1950-01-06");  /* era understood */
  g_assert_cmpint (sd_person_get_status (person), ==, SD_PERSON_STATUS_NONE);
  g_clear_object (&person);

  for (guint i = 0; i < 2; i++)
    {
      g_free (event);
      event = sd_store_record_event (store, g_ptr_array_index (ids, i), SD_EVENT_ARRIVE, sid, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (sd_store_count_occupancy (store, sid, &error), ==, 2);

  /* Going out keeps a place; returning is only for those out. */
  g_free (event);
  event = sd_store_record_event (store, g_ptr_array_index (ids, 0), SD_EVENT_RETURN, NULL, NULL, &error);
  g_assert_null (event);
  g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
  g_clear_error (&error);
  event = sd_store_record_event (store, g_ptr_array_index (ids, 0), SD_EVENT_GO_OUT, NULL, NULL, &error);
  g_assert_no_error (error);
  person = sd_store_get_person (store, g_ptr_array_index (ids, 0), &error);
  g_assert_cmpint (sd_person_get_status (person), ==, SD_PERSON_STATUS_OUT);
  g_assert_cmpstr (sd_person_get_shelter_id (person), ==, sid);
  g_clear_object (&person);
  g_assert_cmpuint (sd_store_count_occupancy (store, sid, &error), ==, 2);

  g_free (event);
  event = sd_store_record_event (store, g_ptr_array_index (ids, 0), SD_EVENT_RETURN, NULL, NULL, &error);
  g_assert_no_error (error);
  g_free (event);
  event = sd_store_record_event (store, g_ptr_array_index (ids, 1), SD_EVENT_LEAVE, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sd_store_count_occupancy (store, sid, &error), ==, 1);

  /* Supply pickup changes nothing about where they are. */
  g_free (event);
  event = sd_store_record_event (store, g_ptr_array_index (ids, 0), SD_EVENT_SUPPLY, NULL, NULL, &error);
  g_assert_no_error (error);
  person = sd_store_get_person (store, g_ptr_array_index (ids, 0), &error);
  g_assert_cmpint (sd_person_get_status (person), ==, SD_PERSON_STATUS_IN);

  /* Events are facts: they are never changed, whoever asks. */
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (store), "UPDATE person_events SET kind = 'leave'",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (store), "DELETE FROM person_events",
                                 NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_true (sd_store_check (store, &error));
  g_assert_no_error (error);
}

/* How many persons a search finds. */
static guint
found_by (SdStore *store, const char *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) found = sd_store_search_persons (store, query, 50, &error);

  g_assert_no_error (error);
  return g_list_model_get_n_items (found);
}

/* The search keys are kept without an index by person (schema 10): a
 * change takes out exactly the keys the row had, computed again, and a
 * household's new phone reaches the members who have none of their own.
 * The deep check proves them equal to a recomputation after each. */
static void
test_keys_follow_every_change (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household = NULL;
  g_autofree char *sql = NULL;
  SdHouseholdSpec h = { sd_shelter_get_id (shelter), SD_STAY_SHELTER, NULL, "みなと川市東町1-2-3", "090-1111-2222" };
  SdPersonSpec members[] = {
    { "山田 太郎", "やまだ たろう", "1950-01-06", SD_SEX_MALE, NULL, NULL, FALSE },
    { "山田 花子", "やまだ はなこ", "1952-03-04", SD_SEX_FEMALE, NULL, "080-3333-4444", FALSE },
  };
  sqlite3 *db = _sd_store_get_db (store);

  household = sd_store_add_household (store, &h, members, 2, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found_by (store, "2222"), ==, 1);  /* 太郎 by the household's phone */
  g_assert_cmpuint (found_by (store, "4444"), ==, 1);

  /* The household's phone changes: 太郎's keys follow, 花子 keeps hers. */
  {
    g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

    sql = g_strdup_printf ("UPDATE households SET phone = '090-5555-6666' WHERE id = '%s'", household);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  }
  g_assert_cmpuint (found_by (store, "2222"), ==, 0);
  g_assert_cmpuint (found_by (store, "6666"), ==, 1);
  g_assert_cmpuint (found_by (store, "4444"), ==, 1);
  g_assert_true (sd_store_check_deep (store, &error));
  g_assert_no_error (error);

  /* A name and a birth date corrected: nothing of the old ones stays. */
  {
    g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

    g_free (sql);
    sql = g_strdup_printf ("UPDATE persons SET name = '山田 太朗', birth_date = '1950-01-07' WHERE id = '%s'",
                           (char *) g_ptr_array_index (ids, 0));
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  }
  g_assert_cmpuint (found_by (store, "太郎"), ==, 0);
  g_assert_cmpuint (found_by (store, "太朗"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count (*) FROM person_keys WHERE key GLOB '*1950-01-06*'"), ==, 0);
  g_assert_true (sd_store_check_deep (store, &error));
  g_assert_no_error (error);

  /* The duplicate check finds him by the new name and date only. */
  {
    SdPersonSpec again = { "山田 太朗", NULL, "1950-01-07", SD_SEX_MALE, NULL, NULL, FALSE };
    SdPersonSpec before = { "山田 太郎", NULL, "1950-01-06", SD_SEX_MALE, NULL, NULL, FALSE };
    g_autoptr(GListModel) dups = sd_store_find_duplicates (store, &again, NULL, NULL, &error);
    g_autoptr(GListModel) none = sd_store_find_duplicates (store, &before, NULL, NULL, &error);

    g_assert_cmpuint (g_list_model_get_n_items (dups), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (none), ==, 0);
  }
}

static void
test_bad_input_saves_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr(SdStore) store = open_new (f);
  g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
  SdHouseholdSpec h = { sd_shelter_get_id (shelter), SD_STAY_SHELTER, NULL, NULL, NULL };
  g_autofree char *long_name = g_strnfill (101, 'a');
  struct {
    const char *name;
    const char *birth;
  } bad[] = {
    { "", NULL },
    { "   ", NULL },
    { "山田\x01太郎", NULL },
    { "山田\xff", NULL },
    { long_name, NULL },
    { "山田 次郎", "2001年2月30日" },
    { "山田 次郎", "令和99年1月1日" },
    { "山田 次郎", "yesterday" },
  };
  SdStoreCounts counts;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *id = NULL;
      /* The first member is fine: the bad second one must take it down too. */
      SdPersonSpec members[] = {
        { "山田 一郎", NULL, "1970-01-01", SD_SEX_MALE, NULL, NULL, FALSE },
        { bad[i].name, NULL, bad[i].birth, SD_SEX_MALE, NULL, NULL, FALSE },
      };

      id = sd_store_add_household (store, &h, members, 2, NULL, &error);
      g_assert_null (id);
      g_assert_nonnull (error);
      g_assert_true (error->domain == SD_DATA_ERROR);
      g_assert_nonnull (strstr (error->message, "2"));  /* names the member */
    }

  g_assert_true (sd_store_get_counts (store, &counts, NULL));
  g_assert_cmpuint (counts.households, ==, 0);
  g_assert_cmpuint (counts.persons, ==, 0);
}

/* ---- an exercise database ---- */

/* A blank database is marked once and stays marked; one that holds
 * people is never marked, so nothing live ends up in an exercise. */
static void
test_exercise_mark (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "live.sqlite", NULL);
  sqlite3 *db;

  {
    g_autoptr(SdStore) store = open_new (f);
    g_autoptr(SdShelter) shelter = add_shelter (store, "S01");

    g_assert_false (sd_store_get_is_exercise (store));
    g_assert_true (sd_store_mark_exercise (store, &error));
    g_assert_no_error (error);
    g_assert_true (sd_store_get_is_exercise (store));
    /* Twice is the same. */
    g_assert_true (sd_store_mark_exercise (store, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(SdStore) store = sd_store_open (f->path, SD_STORE_OPEN_DEFAULT, &error);

    g_assert_no_error (error);
    g_assert_true (sd_store_get_is_exercise (store));
  }
  /* Not even SQL takes the mark away. */
  db = raw_open (f->path);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE site SET is_exercise = 0", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT is_exercise FROM site"), ==, 1);
  sqlite3_close (db);

  {
    g_autoptr(SdStore) store = sd_store_open (other, SD_STORE_OPEN_CREATE, &error);
    g_autoptr(SdShelter) shelter = add_shelter (store, "S01");
    SdHouseholdSpec h = { sd_shelter_get_id (shelter), SD_STAY_SHELTER, NULL, "みなと川市東町1-2-3" };
    SdPersonSpec member = { "山田 太郎", "ヤマダ タロウ", "1950-01-06", SD_SEX_MALE };
    g_autofree char *household = sd_store_add_household (store, &h, &member, 1, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (sd_store_mark_exercise (store, &error));
    g_assert_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID);
    g_assert_false (sd_store_get_is_exercise (store));
  }
  db = raw_open (other);
  g_assert_cmpint (raw_int (db, "SELECT is_exercise FROM site"), ==, 0);
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/create-and-reopen", test_create_and_reopen);
  ADD ("/store/exercise-mark", test_exercise_mark);
  ADD ("/store/pragmas", test_pragmas);
  ADD ("/store/missing-file", test_missing_file);
  ADD ("/store/not-a-database", test_not_a_database);
  ADD ("/store/empty-file", test_empty_file);
  ADD ("/store/foreign-database", test_foreign_database);
  ADD ("/store/newer-database", test_newer_database);
  ADD ("/store/read-only", test_read_only);
  ADD ("/store/corrupt", test_corrupt);
  ADD ("/store/private", test_private);
  ADD ("/store/damage-found-later", test_damage_found_later);
  ADD ("/store/verify-finds-damage", test_verify_finds_damage);
  ADD ("/store/rescue-rebuilds-from-oplog", test_rescue_rebuilds_from_oplog);
  ADD ("/store/migrate-from-every-version", test_migrate_from_every_version);
  ADD ("/store/migrate-rebuilds-person-keys", test_migrate_rebuilds_person_keys);
  ADD ("/store/checks-as-comparisons", test_checks_as_comparisons);
  ADD ("/oplog/captures-insert", test_oplog_captures_insert);
  ADD ("/oplog/captures-changed-fields-only", test_oplog_captures_changed_fields_only);
  ADD ("/oplog/no-gap-after-failure", test_oplog_no_gap_after_failure);
  ADD ("/oplog/bypass-is-impossible", test_bypass_is_impossible);
  ADD ("/oplog/bypass-is-detected", test_bypass_is_detected);
  ADD ("/oplog/hlc-survives-restart", test_hlc_survives_restart);
  ADD ("/store/changed-signal-after-commit", test_changed_signal_after_commit);
  ADD ("/store/idle-checkpoint", test_idle_checkpoint);
  ADD ("/store/nested-rollback", test_nested_rollback);
  ADD ("/persons/household-and-events", test_household_and_events);
  ADD ("/persons/bad-input-saves-nothing", test_bad_input_saves_nothing);
  ADD ("/persons/keys-follow-every-change", test_keys_follow_every_change);
#undef ADD

  return g_test_run ();
}
