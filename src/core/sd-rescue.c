/* sd-rescue.c: copying what a damaged database still holds into a new one.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite's own recovery extension (sqlite3_recover, the shell's
 * ".recover") needs the sqlite_dbpage table, which Debian 12's libsqlite3
 * is built without: there ".recover" stops at once with "SQL logic
 * error".  So the rescue reads the damaged file through SQLite's own
 * b-tree code, never by parsing pages itself: each table is read in key
 * order, and where a read stops at a damaged page the reader seeks past
 * it (doubling the jump until a seek succeeds, then halving back to the
 * first key that can be read), so only the rows stored on damaged pages
 * are lost.  Rows of the synced tables that were lost but whose fields
 * are in the op-log are made again from it (sd-replay.c), so a damaged
 * table page usually costs nothing at all.
 *
 * The new file continues the same site: same site id, the op-log as it
 * was, the card keys and the scan settings.  Copies are not captured
 * again: the op-log already holds every change.  Where op-log pages were
 * lost, the gaps in each site's sequence are recorded (oplog_gaps) and
 * reported, never papered over; and every field whose newest op-log
 * entry no longer gives the value its row holds is recorded again, as a
 * new change of this site, so that HQ still receives what the rows say.
 */
#include "sd-rescue.h"
#include "sd-oplog.h"
#include "sd-private-file.h"
#include "sd-replay.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

void
sd_rescue_report_free (SdRescueReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->tables, g_ptr_array_unref);
  g_free (report);
}

static void
rescue_table_free (gpointer data)
{
  SdRescueTable *table = data;

  g_free (table->table);
  g_free (table);
}

static SdRescueTable *
add_table (SdRescueReport *report,
           const char     *name)
{
  SdRescueTable *table = g_new0 (SdRescueTable, 1);

  table->table = g_strdup (name);
  g_ptr_array_add (report->tables, table);
  return table;
}

static gboolean
has_column (GPtrArray  *columns,
            const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    if (g_str_equal (g_ptr_array_index (columns, i), name))
      return TRUE;
  return FALSE;
}

static gboolean
is_synced (const char *table)
{
  const char *synced;

  for (guint i = 0; (synced = _sd_synced_table (i)) != NULL; i++)
    if (g_str_equal (synced, table))
      return TRUE;
  return FALSE;
}

/* Whether a read of the keys after AFTER gets past the damage: it
 * returns a row, or says there are no more. */
static gboolean
seek_works (sqlite3    *db,
            const char *probe_sql,
            const char *scope,
            gint64      after)
{
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_ERROR;

  if (sqlite3_prepare_v2 (db, probe_sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, after);
      if (scope != NULL)
        sqlite3_bind_text (stmt, 2, scope, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* The first key after AFTER from which reading works again, or FALSE
 * when nothing past AFTER can be read (the table's root is damaged). */
static gboolean
skip_damage (sqlite3    *db,
             const char *probe_sql,
             const char *scope,
             gint64      after,
             gint64     *out_next)
{
  gint64 step = 1, lo, hi;

  while (!seek_works (db, probe_sql, scope, after + step))
    {
      if (step > G_MAXINT64 / 4 || after > G_MAXINT64 - 2 * step)
        return FALSE;
      step *= 2;
    }
  lo = after + step / 2;  /* fails (or is AFTER itself) */
  hi = after + step;      /* works */
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;

      if (seek_works (db, probe_sql, scope, mid))
        hi = mid;
      else
        lo = mid;
    }
  *out_next = hi;
  return TRUE;
}

/* Copies the rows READ_SQL gives (key first, then the values INSERT
 * takes) in key order, reading past damaged pages. */
static gboolean
copy_rows (sqlite3       *src,
           const char    *read_sql,
           const char    *probe_sql,
           const char    *scope,
           sqlite3_stmt  *insert,
           SdRescueTable *report,
           GError       **error)
{
  gint64 after = 0;  /* rowids and op-log sequence numbers start at 1 */
  int n_values = sqlite3_bind_parameter_count (insert);

  for (;;)
    {
      sqlite3_stmt *read = NULL;
      int rc;

      if (sqlite3_prepare_v2 (src, read_sql, -1, &read, NULL) != SQLITE_OK)
        {
          /* Not even the table's definition is readable. */
          report->unreadable = TRUE;
          return TRUE;
        }
      sqlite3_bind_int64 (read, 1, after);
      if (scope != NULL)
        sqlite3_bind_text (read, 2, scope, -1, SQLITE_STATIC);

      while ((rc = sqlite3_step (read)) == SQLITE_ROW)
        {
          after = sqlite3_column_int64 (read, 0);
          sqlite3_reset (insert);
          for (int i = 1; i <= n_values; i++)
            sqlite3_bind_value (insert, i, sqlite3_column_value (read, i));
          if (sqlite3_step (insert) == SQLITE_DONE)
            report->saved++;
          else
            report->damaged_parts++;  /* a row whose values damage made unacceptable */
        }
      sqlite3_finalize (read);
      if (rc == SQLITE_DONE)
        return TRUE;
      if ((rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB && (rc & 0xff) != SQLITE_ERROR)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                       _("Could not read the damaged database: %s"), sqlite3_errstr (rc));
          return FALSE;
        }

      report->damaged_parts++;
      if (!skip_damage (src, probe_sql, scope, after, &after))
        {
          if (report->saved == 0)
            report->unreadable = TRUE;
          return TRUE;
        }
    }
}

static sqlite3_stmt *
prepare_insert (sqlite3    *dst,
                const char *table,
                GPtrArray  *columns)
{
  GString *sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_append_printf (sql, "INSERT OR IGNORE INTO \"%s\" (", table);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", (char *) g_ptr_array_index (columns, i));
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s?%u", i ? ", " : "", i + 1);
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (dst, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    stmt = NULL;
  g_string_free (sql, TRUE);
  return stmt;
}

/* One rowid table: every column both schemas have. */
static gboolean
rescue_rowid_table (sqlite3        *src,
                    sqlite3        *dst,
                    const char     *table,
                    SdRescueReport *report,
                    GError        **error)
{
  g_autoptr(GPtrArray) old_columns = _sd_table_columns (src, table);
  g_autoptr(GPtrArray) new_columns = _sd_table_columns (dst, table);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GString) read_sql = g_string_new ("SELECT rowid");
  g_autofree char *probe_sql = NULL;
  SdRescueTable *entry = add_table (report, table);
  sqlite3_stmt *insert;
  gboolean ok;

  for (guint i = 0; i < new_columns->len; i++)
    {
      const char *column = g_ptr_array_index (new_columns, i);

      /* Names come from ShelterDesk's own schema, in both files. */
      if (has_column (old_columns, column))
        {
          g_ptr_array_add (columns, (gpointer) column);
          g_string_append_printf (read_sql, ", \"%s\"", column);
        }
    }
  if (columns->len == 0)
    {
      entry->unreadable = TRUE;
      return TRUE;
    }
  g_string_append_printf (read_sql, " FROM \"%s\" WHERE rowid > ?1 ORDER BY rowid", table);
  probe_sql = g_strdup_printf ("SELECT rowid FROM \"%s\" WHERE rowid > ?1 ORDER BY rowid LIMIT 1", table);

  insert = prepare_insert (dst, table, columns);
  if (insert == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not write the rescued copy: %s"), sqlite3_errmsg (dst));
      return FALSE;
    }
  ok = copy_rows (src, read_sql->str, probe_sql, NULL, insert, entry, error);
  sqlite3_finalize (insert);
  return ok;
}

/* Before schema 6 the PIN hashes were in staff itself. */
static gboolean
rescue_old_pins (sqlite3        *src,
                 sqlite3        *dst,
                 SdRescueReport *report,
                 GError        **error)
{
  g_autoptr(GPtrArray) columns = _sd_table_columns (src, "staff");
  sqlite3_stmt *insert = NULL;
  gboolean ok;

  if (!has_column (columns, "pin_hash"))
    return TRUE;
  if (sqlite3_prepare_v2 (dst, "INSERT OR IGNORE INTO staff_pins (staff_id, pin_hash) VALUES (?1, ?2)",
                          -1, &insert, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not write the rescued copy: %s"), sqlite3_errmsg (dst));
      return FALSE;
    }
  ok = copy_rows (src,
                  "SELECT rowid, id, pin_hash FROM staff WHERE rowid > ?1 AND pin_hash IS NOT NULL ORDER BY rowid",
                  "SELECT rowid FROM staff WHERE rowid > ?1 ORDER BY rowid LIMIT 1",
                  NULL, insert, add_table (report, "staff_pins"), error);
  sqlite3_finalize (insert);
  return ok;
}

/* Which sites' changes a file holds (by QUERY); if that cannot be read
 * through, at least this site's own. */
static GPtrArray *
sites_in (sqlite3    *src,
          const char *query,
          const char *own)
{
  GPtrArray *sites = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (own != NULL)
    g_ptr_array_add (sites, g_strdup (own));
  if (sqlite3_prepare_v2 (src, query, -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        const char *id = (const char *) sqlite3_column_text (stmt, 0);

        if (id != NULL && g_strcmp0 (id, own) != 0)
          g_ptr_array_add (sites, g_strdup (id));
      }
  sqlite3_finalize (stmt);
  return sites;
}

/* An op-log of schema 7 or later: the site numbers, then each site's
 * changes in sequence order, as they are. */
static gboolean
rescue_oplog_rows (sqlite3        *src,
                   sqlite3        *dst,
                   SdRescueReport *report,
                   SdRescueTable  *entry,
                   GError        **error)
{
  g_autoptr(GPtrArray) sites = NULL;
  sqlite3_stmt *insert = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (dst, "INSERT OR IGNORE INTO oplog_sites (n, site_id) VALUES (?1, ?2)",
                          -1, &insert, NULL) != SQLITE_OK)
    return FALSE;
  ok = copy_rows (src, "SELECT n, n, site_id FROM oplog_sites WHERE n > ?1 ORDER BY n",
                  "SELECT n FROM oplog_sites WHERE n > ?1 ORDER BY n LIMIT 1",
                  NULL, insert, add_table (report, "oplog_sites"), error);
  sqlite3_finalize (insert);

  sites = sites_in (src, "SELECT n FROM oplog_sites", NULL);
  if (!ok || sqlite3_prepare_v2 (dst, "INSERT OR IGNORE INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &insert, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; ok && i < sites->len; i++)
    ok = copy_rows (src,
                    "SELECT seq, site, seq, txn, hlc, kind, tbl, row_id, fields FROM oplog "
                    "WHERE site = ?2 AND seq > ?1 ORDER BY seq",
                    "SELECT seq FROM oplog WHERE site = ?2 AND seq > ?1 ORDER BY seq LIMIT 1",
                    g_ptr_array_index (sites, i), insert, entry, error);
  sqlite3_finalize (insert);
  return ok;
}

/* An op-log of schemas 1 to 6 (one row per field, names as text): read
 * site by site into a scratch table, then turned into changes exactly as
 * the upgrade to schema 7 does. */
static gboolean
rescue_legacy_oplog (sqlite3        *src,
                     sqlite3        *dst,
                     const char     *site_id,
                     SdRescueTable  *entry,
                     GError        **error)
{
  g_autoptr(GPtrArray) sites = sites_in (src, "SELECT DISTINCT site_id FROM oplog", site_id);
  sqlite3_stmt *insert = NULL;
  gboolean ok = TRUE;

  if (sqlite3_exec (dst, "CREATE TEMP TABLE oplog_legacy (site_id, seq, hlc, tbl, row_id, field, value);"
                         "CREATE INDEX temp.oplog_legacy_row ON oplog_legacy (tbl, row_id);",
                    NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (dst, "INSERT INTO temp.oplog_legacy VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          -1, &insert, NULL) != SQLITE_OK)
    return FALSE;
  for (guint i = 0; ok && i < sites->len; i++)
    ok = copy_rows (src,
                    "SELECT seq, site_id, seq, hlc, tbl, row_id, field, value FROM oplog "
                    "WHERE site_id = ?2 AND seq > ?1 ORDER BY seq",
                    "SELECT seq FROM oplog WHERE site_id = ?2 AND seq > ?1 ORDER BY seq LIMIT 1",
                    g_ptr_array_index (sites, i), insert, entry, error);
  sqlite3_finalize (insert);
  return ok &&
         sqlite3_exec (dst, _sd_oplog_convert_legacy_sql, NULL, NULL, NULL) == SQLITE_OK &&
         sqlite3_exec (dst, "DROP TABLE temp.oplog_legacy", NULL, NULL, NULL) == SQLITE_OK;
}

static gboolean
rescue_oplog (sqlite3        *src,
              sqlite3        *dst,
              const char     *site_id,
              SdRescueReport *report,
              GError        **error)
{
  g_autoptr(GPtrArray) columns = _sd_table_columns (src, "oplog");
  SdRescueTable *entry = add_table (report, "oplog");
  gboolean ok = has_column (columns, "field")
                ? rescue_legacy_oplog (src, dst, site_id, entry, error)
                : rescue_oplog_rows (src, dst, report, entry, error);

  if (!ok && (error == NULL || *error == NULL))
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                 _("Could not write the rescued copy: %s"), sqlite3_errmsg (dst));
  return ok;
}

/* Every stretch of a site's sequence that the rescued op-log lacks. */
static gboolean
record_gaps (SdStore  *out,
             GError  **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (out,
    "INSERT INTO oplog_gaps (site_id, first_seq, last_seq, noted_at, reason) "
    "SELECT s.site_id, first, last, ?1, 'rescue' FROM ("
    "  SELECT site, 1 AS first, min (seq) - 1 AS last FROM oplog GROUP BY site HAVING min (seq) > 1"
    "  UNION ALL"
    "  SELECT site, seq + 1, next - 1 FROM ("
    "    SELECT site, seq, lead (seq) OVER (PARTITION BY site ORDER BY seq) AS next FROM oplog)"
    "  WHERE next > seq + 1) g JOIN oplog_sites s ON s.n = g.site", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, sd_store_now_ms (out));
  return _sd_store_exec (out, stmt, _("record what the record of changes lost"), error);
}

/* Records again, as new changes of this site, what the op-log no longer
 * gives for TABLE (its changes were on lost pages): the fields whose
 * newest change does not give the value the row holds, and every field of
 * a row with no change left at all.  So replay, check and HQ see what the
 * row says. */
static gboolean
record_fields_again (SdStore        *out,
                     const char     *table,
                     SdRescueTable  *entry,
                     GError        **error)
{
  sqlite3 *db = _sd_store_get_db (out);
  g_autoptr(GPtrArray) columns = _sd_table_columns (db, table);
  g_autoptr(GPtrArray) differences = _sd_replay_differences (out, table, error);
  g_autofree char *orphans_sql = g_strdup_printf (
    "SELECT * FROM \"%s\" t WHERE NOT EXISTS (SELECT 1 FROM oplog o WHERE "
    "o.tbl = (SELECT n FROM oplog_tables WHERE name = ?1) AND o.row_id = sd_row_key (t.id))", table);
  sqlite3_stmt *orphans = NULL;
  sqlite3_stmt *insert;

  if (differences == NULL)
    return FALSE;
  /* Rows with no change left: every field is recorded. */
  if (sqlite3_prepare_v2 (db, orphans_sql, -1, &orphans, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not write the rescued copy: %s"), sqlite3_errmsg (db));
      return FALSE;
    }
  sqlite3_bind_text (orphans, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (orphans) == SQLITE_ROW)
    {
      SdReplayDifference *d = g_new0 (SdReplayDifference, 1);

      d->id = g_strdup ((const char *) sqlite3_column_text (orphans, 0));
      d->columns = g_ptr_array_new ();
      d->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
      for (guint c = 1; c < columns->len; c++)
        {
          g_ptr_array_add (d->columns, GUINT_TO_POINTER (c));
          g_ptr_array_add (d->values, sqlite3_value_dup (sqlite3_column_value (orphans, (int) c)));
        }
      g_ptr_array_add (differences, d);
    }
  sqlite3_finalize (orphans);

  insert = _sd_store_prepare (out,
    "INSERT INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
    "VALUES (sd_site (), (SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site = sd_site ()), sd_txn (), "
    "        sd_hlc (), 2, (SELECT n FROM oplog_tables WHERE name = ?1), sd_row_key (?2), ?3)", error);
  if (insert == NULL)
    return FALSE;
  for (guint i = 0; i < differences->len; i++)
    {
      SdReplayDifference *d = g_ptr_array_index (differences, i);
      g_autofree char *fields = _sd_oplog_pack_columns (db, table, columns, d->columns, d->values);

      if (fields == NULL)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                       _("Could not write the rescued copy: %s"), sqlite3_errmsg (db));
          return FALSE;
        }
      sqlite3_reset (insert);
      sqlite3_bind_text (insert, 1, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 2, d->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, fields, -1, SQLITE_STATIC);
      if (!_sd_store_exec (out, insert, _("record what the record of changes lost"), error))
        return FALSE;
      entry->recorded += d->columns->len;
    }
  return TRUE;
}

static gint64
count_gaps (sqlite3    *db,
            const char *site_id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 gaps = 0;

  if (sqlite3_prepare_v2 (db, "SELECT coalesce (max (seq), 0) - count (*) FROM oplog "
                              "WHERE site = (SELECT n FROM oplog_sites WHERE site_id = ?1)",
                          -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, site_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        gaps = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return gaps;
}

/* The scan settings, and the rest of the site row that is this kiosk's own. */
static void
rescue_site_settings (sqlite3 *src,
                      sqlite3 *dst)
{
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write = NULL;

  if (sqlite3_prepare_v2 (src, "SELECT site_name, is_demo, scan_mode, scan_shelter_id, scan_repeat_seconds "
                               "FROM site WHERE id = 1", -1, &read, NULL) == SQLITE_OK &&
      sqlite3_step (read) == SQLITE_ROW &&
      sqlite3_prepare_v2 (dst, "UPDATE site SET site_name = ?1, is_demo = ?2, scan_mode = ?3, "
                               "scan_shelter_id = ?4, scan_repeat_seconds = ?5 WHERE id = 1",
                          -1, &write, NULL) == SQLITE_OK)
    {
      for (int i = 0; i < 5; i++)
        sqlite3_bind_value (write, i + 1, sqlite3_column_value (read, i));
      sqlite3_step (write);
    }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  read = write = NULL;
  /* An exercise stays one (a file from before version 17 has no mark). */
  if (sqlite3_prepare_v2 (src, "SELECT 1 FROM site WHERE id = 1 AND is_exercise = 1", -1, &read, NULL) == SQLITE_OK &&
      sqlite3_step (read) == SQLITE_ROW &&
      sqlite3_prepare_v2 (dst, "UPDATE site SET is_exercise = 1 WHERE id = 1", -1, &write, NULL) == SQLITE_OK)
    sqlite3_step (write);
  sqlite3_finalize (read);
  sqlite3_finalize (write);
}

static SdRescueReport *
rescue_into (SdStore     *damaged,
             const char  *out_path,
             GError     **error)
{
  g_autoptr(SdRescueReport) report = NULL;
  g_autoptr(SdStore) out = NULL;
  g_autoptr(SdTxn) txn = NULL;
  const char *site_id = sd_store_get_site_id (damaged);
  sqlite3 *src = _sd_store_get_db (damaged);
  sqlite3 *dst;
  const char *table;
  static const char *const local_tables[] = { "card_keys", "staff_pins", "exercise_run", "exercise_injects",
                                              "exercise_observations", "exercise_faults" };

  out = _sd_store_create_for_site (out_path, site_id, error);
  if (out == NULL)
    return NULL;
  /* Copies are not captured again: the op-log already holds them. */
  _sd_store_set_capture (out, FALSE);

  report = g_new0 (SdRescueReport, 1);
  report->tables = g_ptr_array_new_with_free_func (rescue_table_free);
  dst = _sd_store_get_db (out);

  /* Rows come in key order, not in the order they were made: a person
   * may come before the household, which may be lost altogether and be
   * made again from the op-log only at the end. */
  sqlite3_exec (dst, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
  txn = _sd_store_begin (out, error);
  if (txn == NULL)
    return NULL;

  rescue_site_settings (src, dst);
  if (!rescue_oplog (src, dst, site_id, report, error))
    return NULL;
  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    if (!rescue_rowid_table (src, dst, table, report, error))
      return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (local_tables); i++)
    {
      g_autoptr(GPtrArray) present = _sd_table_columns (src, local_tables[i]);

      /* A file from before the table was made has nothing to lose there. */
      if (present->len > 0 && !rescue_rowid_table (src, dst, local_tables[i], report, error))
        return NULL;
    }
  if (!rescue_old_pins (src, dst, report, error))
    return NULL;

  /* What the tables lost, the op-log may still know. */
  for (guint i = 0; i < report->tables->len; i++)
    {
      SdRescueTable *entry = g_ptr_array_index (report->tables, i);
      gint64 rebuilt;

      if (!is_synced (entry->table))
        continue;
      rebuilt = _sd_replay_missing_rows (out, entry->table, error);
      if (rebuilt < 0)
        return NULL;
      entry->rebuilt = (guint64) rebuilt;
    }
  if (site_id != NULL)
    report->oplog_gaps = (guint64) count_gaps (dst, site_id);
  if (!record_gaps (out, error))
    return NULL;
  for (guint i = 0; i < report->tables->len; i++)
    {
      SdRescueTable *entry = g_ptr_array_index (report->tables, i);

      if (is_synced (entry->table) && !record_fields_again (out, entry->table, entry, error))
        return NULL;
    }

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  _sd_store_set_capture (out, TRUE);
  sqlite3_exec (dst, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  return g_steal_pointer (&report);
}

/* The copy is made as OUT_PATH.part and takes its name only when whole,
 * so a rescue cut off by a power cut never leaves a file that looks
 * rescued; and the .part file is made exclusively, so two rescues into
 * the same name cannot write one file together. */
SdRescueReport *
sd_store_rescue (SdStore     *damaged,
                 const char  *out_path,
                 GError     **error)
{
  g_autoptr(SdRescueReport) report = NULL;
  g_autofree char *part = NULL;

  g_return_val_if_fail (SD_IS_STORE (damaged), NULL);
  g_return_val_if_fail (out_path != NULL, NULL);

  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("“%s” already exists. Give the rescued copy a new file name."), out_path);
      return NULL;
    }
  part = g_strconcat (out_path, ".part", NULL);
  if (!sd_private_file_create_new (part, NULL))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("A rescue into “%s” is under way, or an earlier one was cut off. If none is running, "
                     "delete “%s” and try again."), out_path, part);
      return NULL;
    }
  report = rescue_into (damaged, part, error);
  if (report == NULL || g_file_test (out_path, G_FILE_TEST_EXISTS) || g_rename (part, out_path) != 0)
    {
      if (report != NULL)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                     _("“%s” already exists. Give the rescued copy a new file name."), out_path);
      sd_database_files_remove (part);
      return NULL;
    }
  return g_steal_pointer (&report);
}
