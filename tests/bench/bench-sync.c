/* bench-sync.c: export, import and merge of 100 000 operations, against bare SQLite doing the same inserts.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk of a real deployment registers households of four, each
 * member checked in (9 operations a household), until it holds about
 * 100 000 operations; then, timed: the batch for HQ written to a folder
 * (sealed, signed, compressed, on disk), HQ's import and merge of it,
 * the same file again, and the same operations in another file (all
 * known).  The floor is bare SQLite inserting the same op-log rows and
 * table rows into tables without triggers, in one transaction, durable;
 * floor C writes every row the import leaves, the derived ones too.
 * Prints a table; never asserts on time.  SD_BENCH_SYNC_OPS sets the size.
 * SD_BENCH_SYNC_KEEP=DIR keeps the first run's HQ database as it was
 * before the import and the batch, so that the import can be profiled
 * alone: `perf record shelterdesk-cli --db DIR/hq.sqlite batch import
 * DIR/BATCH` on a copy.
 */
#include "../sync/sd-sync-test.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#define RUNS 3

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

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
  return v[n / 2];
}

/* Households of four, checked in: 9 operations each. */
static void
register_households (SdStore *store,
                     guint    households,
                     guint    first)
{
  GString *sql = g_string_new ("");

  for (guint h = first; h < first + households; h++)
    {
      g_string_append_printf (sql, "INSERT INTO households (id, shelter_id, stay, address, phone, created_at) "
                                   "VALUES ('%08x-0000-7000-8000-000000000000', '00000000-0000-7000-8000-000000000001', "
                                   "'shelter', '東京都みなと川市東町%u丁目%u番', '090-%04u-%04u', 1);",
                              h, h % 9 + 1, h % 30 + 1, h % 10000, (h * 7) % 10000);
      for (guint m = 0; m < 4; m++)
        g_string_append_printf (sql,
                                "INSERT INTO persons (id, household_id, name, kana, birth_date, sex, created_at) "
                                "VALUES ('%08x-%04x-7000-8000-000000000000', '%08x-0000-7000-8000-000000000000', "
                                "'山田%u %s', 'ヤマダ%u %s', '19%02u-0%u-1%u', '%s', 1);"
                                "INSERT INTO person_events (id, person_id, shelter_id, kind, at, hlc) "
                                "VALUES ('%08x-%04x-7000-9000-000000000000', '%08x-%04x-7000-8000-000000000000', "
                                "'00000000-0000-7000-8000-000000000001', 'arrive', 1, sd_hlc ());",
                                h, m + 1, h, h, m == 0 ? "太郎" : m == 1 ? "花子" : m == 2 ? "一郎" : "さくら",
                                h, m == 0 ? "タロウ" : m == 1 ? "ハナコ" : m == 2 ? "イチロウ" : "サクラ",
                                (h + m * 13) % 100, m + 1, h % 9, m % 2 ? "female" : "male",
                                h, m + 1, h, m + 1);
      if (sql->len > 1 << 20)
        {
          sd_sync_test_write (store, sql->str);
          g_string_truncate (sql, 0);
        }
    }
  if (sql->len > 0)
    sd_sync_test_write (store, sql->str);
  g_string_free (sql, TRUE);
}

/* The rows a merge writes: the kiosk's op-log and table rows, read into
 * memory first, so that a floor times the writing only. */
static const char *const reads[] = {
  "SELECT s.site_id, o.seq, o.txn, o.hlc, o.kind, o.tbl, o.row_id, o.fields FROM oplog o "
  "  JOIN oplog_sites s ON s.n = o.site",
  "SELECT * FROM households",
  "SELECT * FROM persons",
  "SELECT * FROM person_events",
};

static GPtrArray **
read_rows (SdStore *kiosk)
{
  GPtrArray **rows = g_new0 (GPtrArray *, G_N_ELEMENTS (reads));
  sqlite3_stmt *read = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (reads); c++)
    {
      rows[c] = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (kiosk), reads[c], -1, &read, NULL), ==, SQLITE_OK);
      while (sqlite3_step (read) == SQLITE_ROW)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

          for (int i = 0; i < sqlite3_column_count (read); i++)
            g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (read, i)));
          g_ptr_array_add (rows[c], row);
        }
      sqlite3_finalize (read);
    }
  return rows;
}

static void
free_rows (GPtrArray **rows)
{
  for (guint c = 0; c < G_N_ELEMENTS (reads); c++)
    g_ptr_array_unref (rows[c]);
  g_free (rows);
}

static void
write_rows (sqlite3            *db,
            GPtrArray         **rows,
            const char *const  *writes)
{
  sqlite3_stmt *write = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (reads); c++)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, writes[c], -1, &write, NULL), ==, SQLITE_OK);
      for (guint r = 0; r < rows[c]->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (rows[c], r);

          for (guint i = 0; i < row->len; i++)
            sqlite3_bind_value (write, (int) i + 1, g_ptr_array_index (row, i));
          if (sqlite3_step (write) != SQLITE_DONE)
            g_error ("%s: %s", writes[c], sqlite3_errmsg (db));
          sqlite3_reset (write);
        }
      sqlite3_finalize (write);
    }
}

/* Floor A: the same rows into bare tables (no triggers, no derived
 * state), one transaction, durable. */
static double
bare_sqlite (GPtrArray  **rows,
             const char  *dir)
{
  static const char *const writes[] = {
    "INSERT INTO oplog VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO households VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    "INSERT INTO persons VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    "INSERT INTO person_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  };
  g_autofree char *path = g_build_filename (dir, "bare.sqlite", NULL);
  sqlite3 *db = NULL;
  gint64 t0;
  double ms;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "CREATE TABLE oplog (site, seq, txn, hlc, kind, tbl, row_id, fields, PRIMARY KEY (site, seq)) "
                    "  WITHOUT ROWID;"
                    "CREATE TABLE households (id TEXT PRIMARY KEY, a, b, c, d, e, f, g, h, i, j);"
                    "CREATE TABLE persons (id TEXT PRIMARY KEY, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q);"
                    "CREATE TABLE person_events (id TEXT PRIMARY KEY, a, b, c, d, e, f);", NULL, NULL, NULL);
  t0 = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  write_rows (db, rows, writes);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  ms = ms_since (t0);
  sqlite3_close (db);
  g_unlink (path);
  return ms;
}

/* Floor B: the same rows written into a copy of HQ's database as it was
 * before the import, plain INSERTs through its own schema (so the
 * derived state every write keeps, search keys and counts, is paid),
 * capture off, one transaction: the merge less its own logic. */
static double
same_schema (GPtrArray  **rows,
             const char  *path)
{
  static const char *const writes[] = {
    "INSERT OR IGNORE INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) VALUES "
    "  ((SELECT n FROM oplog_sites WHERE site_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "INSERT INTO households VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    "INSERT INTO persons VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    "INSERT INTO person_events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  g_autoptr(SdTxn) txn = NULL;
  gint64 t0;

  g_assert_no_error (error);
  /* The cache the import takes (sd-sync.c). */
  sqlite3_exec (_sd_store_get_db (store), "PRAGMA cache_size = -262144", NULL, NULL, NULL);
  t0 = g_get_monotonic_time ();
  txn = _sd_store_begin (store, &error);
  _sd_store_set_capture (store, FALSE);
  write_rows (_sd_store_get_db (store), rows, writes);
  _sd_store_set_capture (store, TRUE);
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  return ms_since (t0);
}

/* Floor C: every row in HQ's database once the import is done (the
 * derived rows too: search keys, where each person is, the kept counts;
 * with the few rows of the deployment HQ held before), written into bare
 * copies of its tables (their columns, keys and checks; no other index,
 * no trigger), one transaction, durable.  Read before it is timed. */
static double
every_row (SdStore    *hq,
           const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "bare-every.sqlite", NULL);
  g_autoptr(GPtrArray) creates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) inserts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  sqlite3 *from = _sd_store_get_db (hq), *db = NULL;
  sqlite3_stmt *stmt = NULL, *read = NULL, *write = NULL;
  gint64 t0;
  double ms;

  g_assert_cmpint (sqlite3_prepare_v2 (from, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite%'", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *select = g_strdup_printf ("SELECT * FROM \"%s\"", sqlite3_column_text (stmt, 0));
      GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
      g_autoptr(GString) insert = g_string_new (NULL);
      int n;

      g_assert_cmpint (sqlite3_prepare_v2 (from, select, -1, &read, NULL), ==, SQLITE_OK);
      n = sqlite3_column_count (read);
      while (sqlite3_step (read) == SQLITE_ROW)
        {
          GPtrArray *row = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);

          for (int i = 0; i < n; i++)
            g_ptr_array_add (row, sqlite3_value_dup (sqlite3_column_value (read, i)));
          g_ptr_array_add (rows, row);
        }
      sqlite3_finalize (read);
      g_string_append_printf (insert, "INSERT INTO \"%s\" VALUES (", sqlite3_column_text (stmt, 0));
      for (int i = 0; i < n; i++)
        g_string_append_printf (insert, "%s?%d", i > 0 ? ", " : "", i + 1);
      g_string_append (insert, ")");
      g_ptr_array_add (creates, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      g_ptr_array_add (inserts, g_string_free (g_steal_pointer (&insert), FALSE));
      g_ptr_array_add (tables, rows);
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", NULL, NULL, NULL);
  for (guint t = 0; t < creates->len; t++)
    g_assert_cmpint (sqlite3_exec (db, g_ptr_array_index (creates, t), NULL, NULL, NULL), ==, SQLITE_OK);
  t0 = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  for (guint t = 0; t < tables->len; t++)
    {
      GPtrArray *rows = g_ptr_array_index (tables, t);

      g_assert_cmpint (sqlite3_prepare_v2 (db, g_ptr_array_index (inserts, t), -1, &write, NULL), ==, SQLITE_OK);
      for (guint r = 0; r < rows->len; r++)
        {
          GPtrArray *row = g_ptr_array_index (rows, r);

          for (guint i = 0; i < row->len; i++)
            sqlite3_bind_value (write, (int) i + 1, g_ptr_array_index (row, i));
          if (sqlite3_step (write) != SQLITE_DONE)
            g_error ("%s: %s", (char *) g_ptr_array_index (inserts, t), sqlite3_errmsg (db));
          sqlite3_reset (write);
        }
      sqlite3_finalize (write);
    }
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  ms = ms_since (t0);
  sqlite3_close (db);
  g_unlink (path);
  return ms;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* HQ's database before the import (the floor's copy is that) and the
 * batch, for profiling (SD_BENCH_SYNC_KEEP). */
static void
keep (const char *run_dir,
      const char *batch,
      const char *dir)
{
  g_autofree char *hq = g_build_filename (run_dir, "hq-floor.sqlite", NULL);
  g_autofree char *hq_to = g_build_filename (dir, "hq.sqlite", NULL);
  g_autofree char *name = g_path_get_basename (batch);
  g_autofree char *batch_to = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0700);
  copy_file (hq, hq_to);
  copy_file (batch, batch_to);
}

int
main (int    argc,
      char **argv)
{
  guint target = g_getenv ("SD_BENCH_SYNC_OPS") != NULL ? (guint) atoi (g_getenv ("SD_BENCH_SYNC_OPS")) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-sync-XXXXXX", NULL);
  g_autofree char *stick = g_build_filename (dir, "stick", NULL);
  double export_ms[RUNS], import_ms[RUNS], again_ms[RUNS], known_ms[RUNS], bare_ms[RUNS], schema_ms[RUNS];
  double every_ms[RUNS];
  gint64 operations = 0, bytes = 0, household_bytes = 0;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  g_mkdir (stick, 0700);
  for (guint run = 0; run < RUNS; run++)
    {
      g_autofree char *run_dir = g_strdup_printf ("%s/run%u", dir, run);
      g_autoptr(SdStore) hq = NULL, kiosk = NULL, other = NULL;
      SdSyncExport exported = { 0 }, relayed = { 0 };
      SdSyncImport imported = { 0 };
      gint64 t0;

      g_mkdir (run_dir, 0700);
      sd_sync_test_make_deployment (run_dir, 2);
      {
        g_autofree char *from = g_build_filename (run_dir, "hq.sqlite", NULL);
        g_autofree char *to = g_build_filename (run_dir, "hq-floor.sqlite", NULL);

        copy_file (from, to);
      }
      hq = sd_sync_test_open (run_dir, "hq.sqlite");
      kiosk = sd_sync_test_open (run_dir, "k0.sqlite");
      other = sd_sync_test_open (run_dir, "k1.sqlite");

      if (run == 0)
        {
          /* One household of four, checked in, as HQ receives it. */
          register_households (kiosk, 1, 0);
          g_assert_true (sd_sync_export_to_folder (kiosk, "hq", stick, &exported, NULL, &error));
          household_bytes = exported.bytes;
          sd_sync_export_clear (&exported);
        }
      register_households (kiosk, target / 9, 1);

      t0 = g_get_monotonic_time ();
      g_assert_true (sd_sync_export_to_folder (kiosk, "hq", stick, &exported, NULL, &error));
      export_ms[run] = ms_since (t0);
      operations = exported.operations;
      bytes = exported.bytes;

      if (run == 0 && g_getenv ("SD_BENCH_SYNC_KEEP") != NULL)
        keep (run_dir, exported.path, g_getenv ("SD_BENCH_SYNC_KEEP"));
      t0 = g_get_monotonic_time ();
      g_assert_true (sd_sync_import_file (hq, exported.path, NULL, &imported, NULL, &error));
      import_ms[run] = ms_since (t0);
      g_assert_cmpint (imported.applied, ==, operations);
      sd_sync_import_clear (&imported);
      every_ms[run] = every_row (hq, run_dir);

      t0 = g_get_monotonic_time ();
      g_assert_true (sd_sync_import_file (hq, exported.path, NULL, &imported, NULL, &error));
      again_ms[run] = ms_since (t0);
      g_assert_true (imported.already_imported);
      sd_sync_import_clear (&imported);

      /* The same operations relayed by the other kiosk: a new file,
       * every change already held. */
      {
        g_autoptr(GBytes) to_other = sd_sync_test_export (kiosk, sd_store_get_site_id (other));

        sd_sync_test_import (other, to_other, NULL);
      }
      g_assert_true (sd_sync_export_to_folder (other, "hq", stick, &relayed, NULL, &error));
      t0 = g_get_monotonic_time ();
      g_assert_true (sd_sync_import_file (hq, relayed.path, NULL, &imported, NULL, &error));
      known_ms[run] = ms_since (t0);
      g_assert_cmpint (imported.already_had, >=, operations);
      g_assert_cmpint (imported.applied, <, 10);
      sd_sync_import_clear (&imported);

      {
        GPtrArray **rows = read_rows (kiosk);
        g_autofree char *floor_path = g_build_filename (run_dir, "hq-floor.sqlite", NULL);

        bare_ms[run] = bare_sqlite (rows, run_dir);
        schema_ms[run] = same_schema (rows, floor_path);
        free_rows (rows);
      }
      sd_sync_export_clear (&exported);
      sd_sync_export_clear (&relayed);
    }

  g_print ("\nSync: one kiosk's batch for HQ, %" G_GINT64_FORMAT " operations (households of four, checked in), "
           "median of %d runs\n\n", operations, RUNS);
  g_print ("| %-52s | %10s | %-26s |\n", "work", "median", "target");
  g_print ("|------------------------------------------------------|------------|----------------------------|\n");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "export: sealed, signed batch written to a folder", median (export_ms, RUNS),
           "< 1000 ms");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "import and merge at HQ", median (import_ms, RUNS), "< 2000 ms, <= 3x floor");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "floor A: bare SQLite, same rows, one transaction", median (bare_ms, RUNS),
           "");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "floor B: same rows, HQ's own schema and triggers", median (schema_ms, RUNS),
           "");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "floor C: bare SQLite, every row the import leaves", median (every_ms, RUNS),
           "");
  g_print ("| %-52s | %7.1f ms | %-26s |\n", "re-import of the same file", median (again_ms, RUNS), "< 300 ms");
  g_print ("| %-52s | %7.0f ms | %-26s |\n", "the same operations relayed in another file", median (known_ms, RUNS),
           "");
  g_print ("\nimport / floor A (bare tables): %.2fx (target <= 3x)\n", median (import_ms, RUNS) / median (bare_ms, RUNS));
  g_print ("import / floor C (every row it leaves, derived ones too, in bare tables): %.2fx\n",
           median (import_ms, RUNS) / median (every_ms, RUNS));
  g_print ("import / floor B (the same writes through HQ's schema, without the merge): %.2fx\n",
           median (import_ms, RUNS) / median (schema_ms, RUNS));
  g_print ("batch: %" G_GINT64_FORMAT " bytes, %.1f bytes per operation (compressed, sealed)\n", bytes,
           (double) bytes / (double) operations);
  g_print ("one household of four with its check-ins: %" G_GINT64_FORMAT " bytes (target < 2048)\n",
           household_bytes);
  return 0;
}
