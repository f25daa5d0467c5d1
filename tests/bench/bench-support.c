/* bench-support.c: the support list at a city's size: a 20 000-row welfare export imported with its preview, and the counts after a report.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A welfare system's export of 20 000 people as Excel writes it (CP932,
 * CRLF, half-width kana, full-width digits in addresses, era dates) is
 * imported into an empty list: read, every row checked and compared
 * (the preview), applied in one transaction.  Then next month's export
 * (2 % moved, 1 % gone, 1 % new) against the full list.  The floor is
 * bare SQLite inserting the same rows into a table of the same columns,
 * one transaction, durable, measured in the same run; floor B the same
 * rows through ShelterDesk's own schema (its triggers: the op-log capture
 * of every field, the row counts, the indexes), values ready made: what
 * the import's writing costs before any reading or checking.  Then a status is
 * reported and what the desk reads again is timed: the counts by
 * status, the districts with their unconfirmed, the unconfirmed list;
 * the floor is bare GROUP BY over a plain copy.  Medians of 3; prints a
 * table, never asserts on time.  SD_BENCH_SUPPORT_ROWS sets the size.
 */
#include "sd-core.h"
#include "sd-store-private.h"

#include <glib/gstdio.h>
#include <stdlib.h>

#define RUNS 3

static const char *const family[] = { "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤" };
static const char *const family_kana[] = { "ｻﾄｳ", "ｽｽﾞｷ", "ﾀｶﾊｼ", "ﾀﾅｶ", "ｲﾄｳ", "ﾜﾀﾅﾍﾞ", "ﾔﾏﾓﾄ", "ﾅｶﾑﾗ", "ｺﾊﾞﾔｼ", "ｶﾄｳ" };
static const char *const given[] = { "花子", "太郎", "美代子", "清", "トシ", "博", "久子", "茂", "京子", "一郎" };
static const char *const given_kana[] = { "ﾊﾅｺ", "ﾀﾛｳ", "ﾐﾖｺ", "ｷﾖｼ", "ﾄｼ", "ﾋﾛｼ", "ﾋｻｺ", "ｼｹﾞﾙ", "ｷｮｳｺ", "ｲﾁﾛｳ" };
static const char *const towns[] = { "北町", "本町", "中央", "若葉台", "桜台", "大川", "港町", "南町" };
static const char *const wide_digits[] = { "０", "１", "２", "３", "４", "５", "６", "７", "８", "９" };
static const char *const reasons[] = { "要介護3", "要介護5、独居", "身体障害者手帳2級", "日中独居", "要支援2、在宅酸素療法" };

static double
ms_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values)
{
  qsort (values, RUNS, sizeof (double), compare_doubles);
  return values[RUNS / 2];
}

static void
append_wide (GString *s,
             guint    n)
{
  g_autofree char *digits = g_strdup_printf ("%u", n);

  for (const char *d = digits; *d != '\0'; d++)
    g_string_append (s, wide_digits[*d - '0']);
}

/* Row I of month MONTH's export: from month 1 on, 2 % moved, 1 % gone,
 * and as many new people numbered after the first month's. */
static gboolean
write_row (GString *csv,
           guint    i,
           guint    rows,
           guint    month)
{
  guint town = i % G_N_ELEMENTS (towns), chome = 1 + i % 4, block = 1 + i % 30, lot = 1 + i % 20;

  if (month > 0 && i % 100 == 7)
    return FALSE;
  if (month > 0 && i % 50 == 3)
    town = (town + 1) % G_N_ELEMENTS (towns);
  g_string_append_printf (csv, "%u,%s　%s,%s %s,%s,昭和%u年%u月%u日,みなと川市%s", 100000 + i,
                          family[i % 10], given[(i / 10) % 10], family_kana[i % 10], given_kana[(i / 10) % 10],
                          i % 2 ? "男" : "女", 5 + i % 55, 1 + i % 12, 1 + i % 28, towns[town]);
  append_wide (csv, chome);
  g_string_append (csv, "丁目");
  append_wide (csv, block);
  g_string_append (csv, "－");
  append_wide (csv, lot);
  g_string_append_printf (csv, ",090-0000-%04u,%s,%s\r\n", i % 10000, reasons[i % G_N_ELEMENTS (reasons)],
                          i % 3 ? "有" : "無");
  return TRUE;
}

static GBytes *
export_of (guint rows,
           guint month)
{
  g_autoptr(GString) csv = g_string_new ("管理番号,氏名,ﾌﾘｶﾞﾅ,性別,生年月日,住所,電話番号,支援理由,同意\r\n");
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  char *bytes;

  for (guint i = 0; i < rows; i++)
    write_row (csv, i, rows, month);
  for (guint i = 0; month > 0 && i < rows / 100; i++)
    write_row (csv, rows + i, rows, 0);
  bytes = g_convert (csv->str, csv->len, "CP932", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (bytes, length);
}

/* Read, compare (the preview a person sees) and apply: the import as the
 * desk does it, in ms; the three steps' own times in PARTS. */
static double
import (SdStore *store,
        GBytes  *csv,
        double  *parts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSupportImport) import = NULL;
  gint64 t0 = g_get_monotonic_time (), t;

  import = sd_support_import_read (csv, NULL, &error);
  g_assert_no_error (error);
  sd_support_import_guess (import, store);
  parts[0] = ms_since (t0);
  t = g_get_monotonic_time ();
  g_assert_true (sd_support_import_compare (import, store, &error));
  g_assert_no_error (error);
  parts[1] = ms_since (t);
  t = g_get_monotonic_time ();
  g_assert_true (sd_support_import_apply (import, store, &error));
  g_assert_no_error (error);
  parts[2] = ms_since (t);
  return ms_since (t0);
}

/* Row I of the floors, as the export's row I reads once checked. */
static void
bind_row (sqlite3_stmt *stmt,
          guint         i,
          const char   *id)
{
  g_autofree char *no = g_strdup_printf ("%u", 100000 + i);
  g_autofree char *name = g_strdup_printf ("%s %s", family[i % 10], given[(i / 10) % 10]);
  g_autofree char *address = g_strdup_printf ("みなと川市%s%u丁目%u-%u", towns[i % 8], 1 + i % 4, 1 + i % 30,
                                              1 + i % 20);
  g_autofree char *district = g_strdup_printf ("%s%u丁目", towns[i % 8], 1 + i % 4);

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, no, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, "サトウ ハナコ", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, i % 2 ? "male" : "female", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, "1940-01-02", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, address, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, "090-0000-0000", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, reasons[i % 5], -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 10, i % 3 != 0);
  sqlite3_bind_int64 (stmt, 11, 1800000000000);
  sqlite3_bind_text (stmt, 12, district, -1, SQLITE_TRANSIENT);
}

/* The floor: bare SQLite, the same rows into a table of the same
 * columns, one transaction, durable. */
static double
bare_insert (const char *dir,
             guint       rows)
{
  g_autofree char *path = g_build_filename (dir, "bare.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 t0;
  double ms;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
                    "CREATE TABLE p (id TEXT PRIMARY KEY, external_id, name, kana, sex, birth_date, address, phone, "
                    "  reason, consent_share, created_at, district, care_level, disability)", NULL, NULL, NULL);
  t0 = g_get_monotonic_time ();
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO p VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, NULL)", -1,
                      &stmt, NULL);
  for (guint i = 0; i < rows; i++)
    {
      g_autofree char *id = g_uuid_string_random ();

      bind_row (stmt, i, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  ms = ms_since (t0);
  sqlite3_close (db);
  g_unlink (path);
  return ms;
}

/* Floor B: the same rows into ShelterDesk's own schema, through its
 * connection and triggers (the op-log capture of every field, the row
 * counts, the indexes), values ready made: what SQLite alone costs to
 * write what the import writes, with no reading, checking or comparing. */
static double
schema_insert (const char *dir,
               guint       rows)
{
  g_autofree char *path = g_build_filename (dir, "schema.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;
  gint64 t0;
  double ms;

  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  txn = _sd_store_begin (store, &error);
  g_assert_no_error (error);
  stmt = _sd_store_prepare (store, "INSERT INTO support_persons (id, external_id, name, kana, sex, birth_date, "
                                   "address, phone, reason, consent_share, created_at, district, care_level, "
                                   "disability) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, NULL)",
                            &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows; i++)
    {
      g_autofree char *id = _sd_store_new_id (store);

      bind_row (stmt, i, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  ms = ms_since (t0);
  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_unlink (path);
  return ms;
}

/* What the desk reads again after a report: the counts, the districts,
 * the unconfirmed list. */
static void
recount (SdStore *store,
         double  *counts_ms,
         double  *districts_ms,
         double  *list_ms)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *districts = NULL, *list = NULL;
  guint counts[SD_N_SUPPORT_STATUSES];
  SdSupportFilter unconfirmed = { .by_status = TRUE, .status = SD_SUPPORT_UNCONFIRMED };
  gint64 t0 = g_get_monotonic_time ();

  g_assert_true (sd_support_count_statuses (store, counts, &error));
  *counts_ms = ms_since (t0);
  t0 = g_get_monotonic_time ();
  districts = sd_support_districts_json (store, &error);
  *districts_ms = ms_since (t0);
  t0 = g_get_monotonic_time ();
  list = sd_support_list_json (store, &unconfirmed, &error);
  *list_ms = ms_since (t0);
  g_assert_no_error (error);
}

/* The floor of the counts: bare GROUP BY over a plain copy of who has
 * which status. */
static double
bare_count (SdStore *store)
{
  sqlite3 *db = _sd_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 t0;

  sqlite3_exec (db, "CREATE TEMP TABLE IF NOT EXISTS bare_status AS SELECT p.id, p.district, "
                    "coalesce (s.status, 'unconfirmed') AS status FROM support_persons p "
                    "LEFT JOIN support_state s ON s.support_person_id = p.id", NULL, NULL, NULL);
  t0 = g_get_monotonic_time ();
  sqlite3_prepare_v2 (db, "SELECT status, count (*) FROM temp.bare_status GROUP BY status", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_finalize (stmt);
  return ms_since (t0);
}

int
main (int    argc,
      char **argv)
{
  guint rows = g_getenv ("SD_BENCH_SUPPORT_ROWS") != NULL ? (guint) atoi (g_getenv ("SD_BENCH_SUPPORT_ROWS")) : 20000;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-support-XXXXXX", NULL);
  g_autoptr(GBytes) first = export_of (rows, 0);
  g_autoptr(GBytes) next = export_of (rows, 1);
  double first_ms[RUNS], next_ms[RUNS], bare_ms[RUNS], counts_ms[RUNS], districts_ms[RUNS], list_ms[RUNS];
  double floor_count_ms[RUNS], read_ms[RUNS], compare_ms[RUNS], apply_ms[RUNS], schema_ms[RUNS];

  for (guint run = 0; run < RUNS; run++)
    {
      g_autofree char *name = g_strdup_printf ("hq-%u.sqlite", run);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
      g_autoptr(SdShelter) shelter = NULL;
      g_autofree char *id = NULL, *report = NULL;
      SdShelterSpec spec = { "S01", "みなと川市立第一小学校", SD_SHELTER_KIND_DESIGNATED, 500, "みなと川市本町1-1" };
      double parts[3];

      g_assert_no_error (error);
      shelter = sd_store_add_shelter (store, &spec, &error);
      g_assert_no_error (error);
      first_ms[run] = import (store, first, parts);
      read_ms[run] = parts[0];
      compare_ms[run] = parts[1];
      apply_ms[run] = parts[2];
      next_ms[run] = import (store, next, parts);
      bare_ms[run] = bare_insert (dir, rows);
      schema_ms[run] = schema_insert (dir, rows);

      id = sd_store_find_support_person (store, "100001", &error);
      g_assert_no_error (error);
      report = sd_store_report_support_status (store, id, SD_SUPPORT_EVACUATED, "S01", NULL, NULL,
                                               SD_SUPPORT_VIA_DESK, &error);
      g_assert_no_error (error);
      recount (store, &counts_ms[run], &districts_ms[run], &list_ms[run]);
      floor_count_ms[run] = bare_count (store);
      g_clear_object (&store);
      g_unlink (path);
    }

  g_print ("\nSupport list: a welfare system's export of %u people (CP932), median of %d runs\n\n", rows, RUNS);
  g_print ("| %-62s | %9s | %-24s |\n", "work", "median", "target");
  g_print ("|%s|%s|%s|\n", "----------------------------------------------------------------",
           "-----------", "--------------------------");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "import into an empty list: read, preview, apply", median (first_ms),
           "< 2000 ms, <= 3x floor");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "  of which: read the file and guess the columns", median (read_ms), "");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "  of which: check every row and compare (the preview)",
           median (compare_ms), "");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "  of which: apply in one transaction", median (apply_ms), "");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "next month's export against the whole list (4 % change)",
           median (next_ms), "");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "floor: bare SQLite inserting the same rows, one transaction",
           median (bare_ms), "");
  g_print ("| %-62s | %6.0f ms | %-24s |\n", "floor B: the same rows through ShelterDesk's schema, SQL only",
           median (schema_ms), "");
  g_print ("| %-62s | %6.1f ms | %-24s |\n", "after a report: the counts by status", median (counts_ms),
           "< 20 ms");
  g_print ("| %-62s | %6.1f ms | %-24s |\n", "after a report: the districts with their unconfirmed",
           median (districts_ms), "");
  g_print ("| %-62s | %6.1f ms | %-24s |\n", "after a report: the unconfirmed list (JSON)", median (list_ms), "");
  g_print ("| %-62s | %6.1f ms | %-24s |\n", "floor: bare GROUP BY status over a plain copy",
           median (floor_count_ms), "");
  g_print ("\nimport / floor: %.2fx (target <= 3x)\n", median (first_ms) / median (bare_ms));
  g_print ("floor B / floor: %.2fx (the op-log capture, counts and indexes alone)\n",
           median (schema_ms) / median (bare_ms));
  g_print ("counts / floor: %.2fx\n", median (counts_ms) / median (floor_count_ms));
  g_rmdir (dir);
  return 0;
}
