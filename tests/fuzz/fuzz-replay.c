/* fuzz-replay.c: libFuzzer target for the op-log replay that rescue, check --deep and sync import stand on.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bytes become op-log changes, as a damaged file or (later) another
 * site's batch could hand them over: any table number, a few row ids (as
 * 16 bytes or as text), any kind, packed fields naming a column of the
 * table or a number it does not have, values of every type JSON carries,
 * fields that are not JSON at all, two sites and an unknown one, any HLC.  Replay must either make rows or
 * refuse with a GError, never crash; and a row it makes holds, for every
 * field, the newest value the op-log gives (by HLC, then site), as the
 * column's type makes it (an integer given for a text column is stored
 * as text, as any write would store it).  Each
 * input runs in a transaction that is rolled back, so one database serves
 * the whole run.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sd-core.h"
#include "sd-replay.h"
#include "sd-store-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static SdStore *store;
static GPtrArray *table_columns;  /* per synced table, its columns but id */

static GPtrArray *columns_of (sqlite3 *db, const char *table);

static void
open_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-fuzz-replay-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "replay.sqlite", NULL);

  store = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);
  if (store == NULL)
    __builtin_trap ();
  _sd_store_set_capture (store, FALSE);
  /* A second site whose changes arrive too. */
  if (sqlite3_exec (_sd_store_get_db (store), "INSERT INTO oplog_sites (n, site_id) "
                    "VALUES (2, 'fedcba9876543210fedcba9876543210')", NULL, NULL, NULL) != SQLITE_OK)
    __builtin_trap ();
  table_columns = g_ptr_array_new ();
  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    g_ptr_array_add (table_columns, columns_of (_sd_store_get_db (store), _sd_synced_table (i)));
}

/* A table's columns but id: the fields an op-log entry can name. */
static GPtrArray *
columns_of (sqlite3    *db,
            const char *table)
{
  GPtrArray *columns = _sd_table_columns (db, table);

  g_ptr_array_remove_index (columns, 0);  /* id comes first in every synced table */
  return columns;
}

static guint
n_synced (void)
{
  guint n = 0;

  while (_sd_synced_table (n) != NULL)
    n++;
  return n;
}

/* The declared type of COLUMN of TABLE ("TEXT", "INTEGER"). */
static char *
column_type (sqlite3    *db,
             const char *table,
             const char *column)
{
  sqlite3_stmt *stmt = NULL;
  char *type = NULL;

  sqlite3_prepare_v2 (db, "SELECT type FROM pragma_table_info (?1) WHERE name = ?2", -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    type = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return type != NULL && *type != '\0' ? type : (g_free (type), g_strdup ("BLOB"));
}

/* Every row replay made must hold its fields' newest values. */
static void
check_rows (sqlite3    *db,
            const char *table,
            GPtrArray  *columns)
{
  for (guint i = 0; i < columns->len; i++)
    {
      const char *column = g_ptr_array_index (columns, i);
      g_autofree char *type = column_type (db, table, column);
      /* The op-log's value column has no type: compare with the value
       * as the row's column stores it, unconverted or converted. */
      g_autofree char *sql = g_strdup_printf (
        "SELECT count (*) FROM \"%s\" t JOIN oplog_entries o ON o.tbl = ?1 AND o.row_id = t.id AND o.field = ?2 "
        "WHERE NOT EXISTS (SELECT 1 FROM oplog_entries n WHERE n.tbl = o.tbl AND n.row_id = o.row_id "
        "  AND n.field = o.field AND (n.hlc, n.site_id) > (o.hlc, o.site_id)) "
        "AND NOT (t.\"%s\" IS o.value OR t.\"%s\" IS CAST (o.value AS %s))", table, column, column, type);
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        __builtin_trap ();
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0)
        __builtin_trap ();
      sqlite3_finalize (stmt);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *insert = NULL;
  sqlite3 *db;
  gint64 seq[3] = { 1000, 1000, 1000 };
  guint n_tables;

  if (store == NULL)
    open_store ();
  db = _sd_store_get_db (store);
  n_tables = n_synced ();
  txn = _sd_store_begin (store, &error);
  if (txn == NULL)
    __builtin_trap ();
  sqlite3_exec (db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
                          "VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &insert, NULL);

  for (size_t at = 0; at + 8 <= size; at += 8)
    {
      const uint8_t *op = data + at;
      guint t = op[0] % (n_tables + 1);  /* the synced tables' numbers are 2.., 1 is the site */
      GPtrArray *columns = g_ptr_array_index (table_columns, t < n_tables ? t : 0);
      guint64 field = 1 + op[2] % (columns->len + 2);  /* past the columns: no such field */
      int s = op[6] % 3;                               /* site 3 is unknown */
      guint8 key[16] = { 0 };
      g_autoptr(GString) fields = g_string_new (NULL);

      switch (op[3] % 5)
        {
        case 0: g_string_printf (fields, "{\"%" G_GUINT64_FORMAT "\":null}", field); break;
        case 1: g_string_printf (fields, "{\"%" G_GUINT64_FORMAT "\":%d}", field, (gint8) op[4]); break;
        case 2: g_string_printf (fields, "{\"%" G_GUINT64_FORMAT "\":%d.5}", field, (gint8) op[4]); break;
        case 3: g_string_printf (fields, "{\"%" G_GUINT64_FORMAT "\":\"v%u\"}", field, op[4]); break;
        default: g_string_printf (fields, "{\"%" G_GUINT64_FORMAT "\":", field); break;  /* not JSON */
        }
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, s + 1);
      sqlite3_bind_int64 (insert, 2, ++seq[s]);
      sqlite3_bind_int64 (insert, 3, op[5]);
      sqlite3_bind_int64 (insert, 4, 1 + op[7] % 4);
      sqlite3_bind_int64 (insert, 5, t + 2);
      if (op[1] & 0x80)
        {
          key[15] = op[1] % 6;
          sqlite3_bind_blob (insert, 6, key, sizeof key, SQLITE_TRANSIENT);
        }
      else
        {
          char row_id[8];

          g_snprintf (row_id, sizeof row_id, "r%u", op[1] % 6);
          sqlite3_bind_text (insert, 6, row_id, -1, SQLITE_TRANSIENT);
        }
      if (1 + op[7] % 4 == 3)
        sqlite3_bind_null (insert, 7);
      else
        sqlite3_bind_text (insert, 7, fields->str, -1, SQLITE_TRANSIENT);
      /* A change the op-log's own constraints refuse cannot be in it. */
      sqlite3_step (insert);
    }
  sqlite3_finalize (insert);

  for (guint i = 0; i < n_tables; i++)
    {
      const char *table = _sd_synced_table (i);
      gint64 made = _sd_replay_missing_rows (store, table, &error);

      if (made < 0)
        {
          /* Refused: with a reason, and nothing half-made counted. */
          if (error == NULL)
            __builtin_trap ();
          g_clear_error (&error);
          continue;
        }
      if (made > 12 || error != NULL)
        __builtin_trap ();
      check_rows (db, table, g_ptr_array_index (table_columns, i));
    }
  /* Rolled back: the next input starts from the same empty database. */
  return 0;
}
