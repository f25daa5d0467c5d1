/* sd-replay.c: making rows from the op-log, for rescue, the deep check and (later) sync import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The op-log holds every field of every row ever written, each with the
 * HLC and site that wrote it.  A row is therefore its fields' newest
 * values: per field, the entry with the greatest (hlc, site_id) wins,
 * which is commutative, associative and idempotent, so the same op-log
 * gives the same row whatever order its entries arrived in.  A deletion
 * (field "") removes the row.
 *
 * The one function here is what rescue, the deep check and sync's import
 * all stand on, so that what check proves is what import does.
 *
 * Retired fields: a field a later schema took out of its table (staff's
 * PIN hash, schema 6) keeps its op-log entries, blanked, so that the
 * sequence stays dense; replay passes over them.
 */
#include "sd-private-file.h"
#include "sd-replay.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

/* The INSERT for one set of fields, made once per set (most rows of a
 * table have the same fields). */
static sqlite3_stmt *
insert_for (sqlite3     *db,
            GHashTable  *cache,
            const char  *table,
            GPtrArray   *fields)
{
  g_autoptr(GString) key = g_string_new (NULL);
  sqlite3_stmt *stmt;

  for (guint i = 0; i < fields->len; i++)
    g_string_append_printf (key, "%s,", (char *) g_ptr_array_index (fields, i));
  stmt = g_hash_table_lookup (cache, key->str);
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO \"%s\" (id", table);
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (sql, ", \"%s\"", (char *) g_ptr_array_index (fields, i));
      g_string_append (sql, ") VALUES (?1");
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (sql, ", ?%u", i + 2);
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
      g_hash_table_insert (cache, g_strdup (key->str), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

GPtrArray *
_sd_table_columns (sqlite3    *db,
                   const char *table)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_info (?1)", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  return columns;
}

/* The columns of TABLE, as the op-log names its fields. */
static GHashTable *
column_set (sqlite3    *db,
            const char *table)
{
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *columns = _sd_table_columns (db, table);

  for (guint i = 0; i < columns->len; i++)
    g_hash_table_add (set, g_strdup (g_ptr_array_index (columns, i)));
  g_ptr_array_unref (columns);
  return set;
}

static gboolean
is_retired (const char *table,
            const char *field)
{
  static const char *const retired[][2] = {
    { "staff", "pin_hash" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (retired); i++)
    if (g_str_equal (table, retired[i][0]) && g_str_equal (field, retired[i][1]))
      return TRUE;
  return FALSE;
}

typedef struct {
  char          *row_id;
  GPtrArray     *fields;  /* char*, in field order */
  GPtrArray     *values;  /* sqlite3_value* (sqlite3_value_dup), parallel */
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->row_id, g_free);
  g_ptr_array_set_size (row->fields, 0);
  g_ptr_array_set_size (row->values, 0);
}

static gboolean
flush_row (sqlite3     *db,
           GHashTable  *cache,
           const char  *table,
           Row         *row,
           gint64      *made,
           GError     **error)
{
  sqlite3_stmt *insert;

  if (row->row_id == NULL)
    return TRUE;
  insert = insert_for (db, cache, table, row->fields);
  if (insert == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not make a “%s” row from the record of changes: %s"), table, sqlite3_errmsg (db));
      return FALSE;
    }
  sqlite3_bind_text (insert, 1, row->row_id, -1, SQLITE_TRANSIENT);
  for (guint i = 0; i < row->values->len; i++)
    sqlite3_bind_value (insert, (int) i + 2, g_ptr_array_index (row->values, i));
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("The record of changes holds a “%s” row that cannot be made again (%s): it was "
                     "changed outside ShelterDesk."), table, sqlite3_errmsg (db));
      sqlite3_reset (insert);
      return FALSE;
    }
  sqlite3_reset (insert);
  (*made)++;
  row_clear (row);
  return TRUE;
}

gint64
_sd_replay_missing_rows (SdStore     *store,
                         const char  *table,
                         GError     **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  g_autoptr(GHashTable) columns = column_set (db, table);
  g_autoptr(GHashTable) cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  Row row = { NULL, g_ptr_array_new (), g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free) };
  gint64 made = 0;
  int rc;

  if (g_hash_table_size (columns) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("There is no table “%s” to make rows in."), table);
      goto fail;
    }

  /* In (row, field, hlc, site) order, the last entry of a field is its
   * newest value.  The table name is one of ShelterDesk's own. */
  sql = g_strdup_printf ("SELECT o.row_id, o.field, o.value FROM oplog o "
                         "WHERE o.tbl = ?1 AND o.field != '' "
                         "AND NOT EXISTS (SELECT 1 FROM \"%s\" t WHERE t.id = o.row_id) "
                         "AND NOT EXISTS (SELECT 1 FROM oplog d WHERE d.tbl = o.tbl AND d.row_id = o.row_id "
                         "                AND d.field = '') "
                         "ORDER BY o.row_id, o.field, o.hlc, o.site_id", table);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not read the record of changes: %s"), sqlite3_errmsg (db));
      goto fail;
    }
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *row_id = (const char *) sqlite3_column_text (stmt, 0);
      const char *field = (const char *) sqlite3_column_text (stmt, 1);
      guint last = row.fields->len;

      if (g_strcmp0 (row_id, row.row_id) != 0)
        {
          if (!flush_row (db, cache, table, &row, &made, error))
            goto fail;
          row.row_id = g_strdup (row_id);
          last = 0;
        }
      if (field != NULL && is_retired (table, field))
        continue;
      if (field == NULL || g_str_equal (field, "id") || !g_hash_table_contains (columns, field))
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                       _("The record of changes names a field that “%s” does not have: it was changed "
                         "outside ShelterDesk."), table);
          goto fail;
        }
      /* A newer value of the same field replaces the older one. */
      if (last > 0 && g_str_equal (g_ptr_array_index (row.fields, last - 1), field))
        g_ptr_array_remove_index (row.values, last - 1), g_ptr_array_remove_index (row.fields, last - 1);
      g_ptr_array_add (row.fields, (gpointer) g_intern_string (field));
      g_ptr_array_add (row.values, sqlite3_value_dup (sqlite3_column_value (stmt, 2)));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not read the record of changes: %s"), sqlite3_errmsg (db));
      goto fail;
    }
  if (!flush_row (db, cache, table, &row, &made, error))
    goto fail;

  sqlite3_finalize (stmt);
  g_free (row.row_id);
  g_ptr_array_unref (row.fields);
  g_ptr_array_unref (row.values);
  return made;

fail:
  sqlite3_finalize (stmt);
  g_free (row.row_id);
  g_ptr_array_unref (row.fields);
  g_ptr_array_unref (row.values);
  return -1;
}

/* ---- the proof ---- */

/* Whether two values are the same bytes of the same type. */
static gboolean
same_value (sqlite3_stmt *a,
            sqlite3_stmt *b,
            int           column)
{
  int type = sqlite3_column_type (a, column);
  int n;

  if (type != sqlite3_column_type (b, column))
    return FALSE;
  switch (type)
    {
    case SQLITE_NULL:
      return TRUE;
    case SQLITE_INTEGER:
      return sqlite3_column_int64 (a, column) == sqlite3_column_int64 (b, column);
    case SQLITE_FLOAT:
      return sqlite3_column_double (a, column) == sqlite3_column_double (b, column);
    default:
      n = sqlite3_column_bytes (a, column);
      return n == sqlite3_column_bytes (b, column) &&
             memcmp (sqlite3_column_blob (a, column), sqlite3_column_blob (b, column), n) == 0;
    }
}

/* Steps SQL on both databases in lockstep; whether every row is the same. */
static gboolean
same_rows (sqlite3    *a,
           sqlite3    *b,
           const char *sql)
{
  sqlite3_stmt *sa = NULL, *sb = NULL;
  gboolean same = FALSE;

  if (sqlite3_prepare_v2 (a, sql, -1, &sa, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (b, sql, -1, &sb, NULL) == SQLITE_OK)
    for (;;)
      {
        int ra = sqlite3_step (sa), rb = sqlite3_step (sb);

        if (ra != rb || (ra != SQLITE_ROW && ra != SQLITE_DONE))
          break;
        if (ra == SQLITE_DONE)
          {
            same = TRUE;
            break;
          }
        for (int i = 0; i < sqlite3_column_count (sa); i++)
          if (!same_value (sa, sb, i))
            goto done;
      }
done:
  sqlite3_finalize (sa);
  sqlite3_finalize (sb);
  return same;
}

static gboolean
copy_oplog (sqlite3  *src,
            sqlite3  *dst,
            GError  **error)
{
  sqlite3_stmt *read = NULL, *write = NULL;
  int rc = SQLITE_ERROR;

  if (sqlite3_prepare_v2 (src, "SELECT site_id, seq, hlc, tbl, row_id, field, value FROM oplog",
                          -1, &read, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (dst, "INSERT INTO oplog (site_id, seq, hlc, tbl, row_id, field, value) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &write, NULL) == SQLITE_OK)
    {
      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          for (int i = 0; i < 7; i++)
            sqlite3_bind_value (write, i + 1, sqlite3_column_value (read, i));
          if (sqlite3_step (write) != SQLITE_DONE)
            break;
          sqlite3_reset (write);
        }
    }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not copy the record of changes to check it."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
prove_in (SdStore     *store,
          SdStore     *replica,
          GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3 *src = _sd_store_get_db (store);
  sqlite3 *dst = _sd_store_get_db (replica);
  const char *table;
  /* What is derived from the synced tables, by the same triggers. */
  static const char *const derived[][2] = {
    { "person_state", "SELECT * FROM person_state ORDER BY person_id" },
    { "person_keys", "SELECT * FROM person_keys ORDER BY key, person_id" },
  };

  _sd_store_set_capture (replica, FALSE);
  /* A scratch file, deleted after: no journal and no syncing to pay for,
   * and room in memory for the op-log's indexes. */
  sqlite3_exec (dst, "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF;"
                     "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
                     /* Nothing here reads the op-log by HLC. */
                     "DROP INDEX oplog_hlc", NULL, NULL, NULL);
  txn = _sd_store_begin (replica, error);
  if (txn == NULL || !copy_oplog (src, dst, error))
    return FALSE;
  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    if (_sd_replay_missing_rows (replica, table, error) < 0)
      return FALSE;
  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;

  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    {
      /* Table names are ShelterDesk's own. */
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", table);

      if (!same_rows (src, dst, sql))
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                       _("“%s” differs from what its record of changes says: it was changed outside "
                         "ShelterDesk, and HQ would receive something else than this desk shows. "
                         "Do not use it; ask HQ for help."), table);
          return FALSE;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (derived); i++)
    if (!same_rows (src, dst, derived[i][1]))
      {
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                     _("“%s” differs from what it is derived from: it was changed outside ShelterDesk. "
                       "Do not use it; ask HQ for help."), derived[i][0]);
        return FALSE;
      }
  return TRUE;
}

gboolean
_sd_replay_prove (SdStore  *store,
                  GError  **error)
{
  g_autofree char *dir = g_dir_make_tmp ("shelterdesk-check-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(SdStore) replica = NULL;
  gboolean ok;

  if (dir == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not make a folder for the check in the temporary folder."));
      return FALSE;
    }
  path = g_build_filename (dir, "replica.sqlite", NULL);
  replica = sd_store_open (path, SD_STORE_OPEN_CREATE, error);
  ok = replica != NULL && prove_in (store, replica, error);
  g_clear_object (&replica);
  sd_database_files_remove (path);
  g_rmdir (dir);
  return ok;
}
