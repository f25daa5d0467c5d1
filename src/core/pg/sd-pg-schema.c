/* sd-pg-schema.c: PostgreSQL's tables, made from the very SQLite schema this build makes.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The two schemas cannot drift apart because one is read off the other:
 * every synced table and every derived state table of PostgreSQL has the
 * columns, order, types, NOT NULL and defaults SQLite's has at
 * SD_SCHEMA_VERSION (an empty database in memory, _sd_schema_reference_db
 * ()), and the op-log's field numbers are SQLite's.  INTEGER becomes
 * bigint, TEXT becomes text in the "C" collation (SQLite compares text
 * byte by byte; so does "C", whatever the server's locale).  A schema
 * with any other type fails here, at the first test, not at a merge.
 *
 * What PostgreSQL does not copy: SQLite's foreign keys, UNIQUE and CHECK
 * constraints.  Batches come in any order, from many receivers at once:
 * a child may come before its parent, so PostgreSQL holds each row as its
 * changes make it and the readers join (docs/deploy-hq-postgres.md).
 *
 * Upgrades: a newer build adds tables and columns (SQLite's migrations
 * only ever add synced columns; a retired field keeps its number), so
 * bringing a database up to date is making what is missing, the rows
 * already held taking the new column's default, as replay gives them.
 * tests/pg/test-pg.c compares the two schemas column by column.
 */
#include "sd-pg-private.h"

#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

/* Derived from the events; their primary keys are SQLite's. */
static const char *const state_tables[] = { "person_state", "safety_state", "support_state" };

static void
column_free (gpointer data)
{
  SdPgColumn *c = data;

  g_free (c->name);
  g_free (c->dflt);
  g_free (c);
}

static void
table_free (gpointer data)
{
  SdPgTable *t = data;

  g_free (t->name);
  g_ptr_array_unref (t->columns);
  g_free (t);
}

static SdPgTable *
read_table (sqlite3     *db,
            const char  *name,
            gboolean     synced,
            GError     **error)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (column_free);
  sqlite3_stmt *stmt = NULL;
  SdPgTable *table;

  if (sqlite3_prepare_v2 (db,
                          "SELECT c.name, c.type, c.\"notnull\", c.dflt_value, c.pk, f.n "
                          "FROM pragma_table_info (?1) c "
                          "LEFT JOIN oplog_tables t ON t.name = ?1 "
                          "LEFT JOIN oplog_fields f ON f.tbl = t.n AND f.name = c.name "
                          "ORDER BY c.cid", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA, _("Could not read the SQLite schema: %s"),
                   sqlite3_errmsg (db));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SdPgColumn *c = g_new0 (SdPgColumn, 1);
      const char *type = (const char *) sqlite3_column_text (stmt, 1);

      c->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      c->integer = g_strcmp0 (type, "INTEGER") == 0;
      c->not_null = sqlite3_column_int (stmt, 2) != 0;
      c->dflt = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      c->pk = (guint) sqlite3_column_int (stmt, 4);
      c->field = (guint) sqlite3_column_int (stmt, 5);
      g_ptr_array_add (columns, c);
      if (!c->integer && g_strcmp0 (type, "TEXT") != 0)
        {
          g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA,
                       "%s.%s is of SQLite type %s, which ShelterDesk's PostgreSQL schema does not map", name,
                       c->name, type);
          sqlite3_finalize (stmt);
          return NULL;
        }
      /* Defaults are literals (0, 'unknown'): anything else would be
       * computed differently by the two engines. */
      if (c->dflt != NULL && !g_regex_match_simple ("^(-?[0-9]+|'[^']*')$", c->dflt, 0, 0))
        {
          g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA,
                       "%s.%s has the default %s, which is not a literal", name, c->name, c->dflt);
          sqlite3_finalize (stmt);
          return NULL;
        }
      if (synced && !g_str_equal (c->name, "id") && c->field == 0)
        {
          g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA, "%s.%s has no field number in the op-log", name,
                       c->name);
          sqlite3_finalize (stmt);
          return NULL;
        }
    }
  sqlite3_finalize (stmt);
  if (columns->len == 0)
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA, "SQLite's schema has no table %s", name);
      return NULL;
    }
  table = g_new0 (SdPgTable, 1);
  table->name = g_strdup (name);
  table->synced = synced;
  table->columns = g_steal_pointer (&columns);
  return table;
}

static gpointer
build_tables (gpointer data)
{
  GError **error = data;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (table_free);
  sqlite3 *db = _sd_schema_reference_db (error);
  const char *name;

  if (db == NULL)
    return NULL;
  for (guint i = 0; (name = _sd_synced_table (i)) != NULL; i++)
    {
      SdPgTable *t = read_table (db, name, TRUE, error);

      if (t == NULL)
        {
          sqlite3_close (db);
          return NULL;
        }
      g_ptr_array_add (tables, t);
    }
  for (guint i = 0; i < G_N_ELEMENTS (state_tables); i++)
    {
      SdPgTable *t = read_table (db, state_tables[i], FALSE, error);

      if (t == NULL)
        {
          sqlite3_close (db);
          return NULL;
        }
      g_ptr_array_add (tables, t);
    }
  sqlite3_close (db);
  return g_steal_pointer (&tables);
}

GPtrArray *
_sd_pg_schema_tables (GError **error)
{
  static GOnce once = G_ONCE_INIT;
  static GError *failed = NULL;
  GPtrArray *tables = g_once (&once, build_tables, &failed);

  if (tables == NULL)
    g_propagate_error (error, g_error_copy (failed));
  return tables;
}

int
_sd_pg_schema_version (void)
{
  return SD_SCHEMA_VERSION;
}

static void
append_column (GString          *sql,
               const SdPgColumn *c)
{
  g_string_append_printf (sql, "\"%s\" %s", c->name, c->integer ? "bigint" : "text COLLATE \"C\"");
  if (c->not_null)
    g_string_append (sql, " NOT NULL");
  if (c->dflt != NULL)
    g_string_append_printf (sql, " DEFAULT %s", c->dflt);
}

/* CREATE TABLE IF NOT EXISTS for T, and ADD COLUMN IF NOT EXISTS for
 * each of its columns (what an upgrade adds). */
static void
append_table (GString         *sql,
              const SdPgTable *t)
{
  gboolean first = TRUE;

  g_string_append_printf (sql, "CREATE TABLE IF NOT EXISTS \"%s\" (", t->name);
  for (guint i = 0; i < t->columns->len; i++)
    {
      append_column (sql, g_ptr_array_index (t->columns, i));
      g_string_append (sql, ", ");
    }
  g_string_append (sql, "PRIMARY KEY (");
  for (guint k = 1; k <= t->columns->len; k++)
    for (guint i = 0; i < t->columns->len; i++)
      {
        const SdPgColumn *c = g_ptr_array_index (t->columns, i);

        if (c->pk == k)
          {
            g_string_append_printf (sql, "%s\"%s\"", first ? "" : ", ", c->name);
            first = FALSE;
          }
      }
  g_string_append (sql, "));\n");
  for (guint i = 0; i < t->columns->len; i++)
    {
      g_string_append_printf (sql, "ALTER TABLE \"%s\" ADD COLUMN IF NOT EXISTS ", t->name);
      append_column (sql, g_ptr_array_index (t->columns, i));
      g_string_append (sql, ";\n");
    }
}

/* What ShelterDesk keeps beside the tables: the op-log as batches carry
 * it (site ids and row ids as text), each row's newest creation and
 * deletion (the merge's state, sd-pg-merge.c), what each kiosk holds, the
 * enrolled sites, and the batches merged. */
static const char common_sql[] =
  "CREATE TABLE IF NOT EXISTS shelterdesk_schema ("
  "  version integer NOT NULL,"
  "  updated_at timestamptz NOT NULL DEFAULT now ());\n"
  "CREATE TABLE IF NOT EXISTS oplog_fields ("
  "  tbl text COLLATE \"C\" NOT NULL,"
  "  n integer NOT NULL,"
  "  name text COLLATE \"C\" NOT NULL,"
  "  retired boolean NOT NULL,"
  "  PRIMARY KEY (tbl, n));\n"
  "CREATE TABLE IF NOT EXISTS oplog ("
  "  site_id text COLLATE \"C\" NOT NULL,"
  "  seq bigint NOT NULL CHECK (seq > 0),"
  "  txn bigint NOT NULL CHECK (txn BETWEEN 1 AND seq),"
  "  hlc bigint NOT NULL,"
  "  kind smallint NOT NULL CHECK (kind BETWEEN 1 AND 4),"
  "  tbl text COLLATE \"C\" NOT NULL,"
  "  row_id text COLLATE \"C\" NOT NULL,"
  "  fields text CHECK ((kind = 3) = (fields IS NULL)),"
  "  PRIMARY KEY (site_id, seq));\n"
  "CREATE INDEX IF NOT EXISTS oplog_row ON oplog (tbl, row_id);\n"
  /* Development builds kept each field's newest value in a table of
   * its own; the merge takes it from the op-log now. */
  "DROP TABLE IF EXISTS sync_cells;\n"
  /* CREATED and DELETED: the newest creation and deletion as
   * lpad (hlc, 20, '0') || site id, which sort as (hlc, site id) do;
   * '' for none. */
  "CREATE TABLE IF NOT EXISTS sync_rows ("
  "  tbl text COLLATE \"C\" NOT NULL,"
  "  row_id text COLLATE \"C\" NOT NULL,"
  "  created text COLLATE \"C\" NOT NULL,"
  "  deleted text COLLATE \"C\" NOT NULL,"
  "  PRIMARY KEY (tbl, row_id));\n"
  /* Per origin, the highest sequence number below the first hole. */
  "CREATE TABLE IF NOT EXISTS sync_holds ("
  "  site_id text COLLATE \"C\" PRIMARY KEY,"
  "  seq bigint NOT NULL);\n"
  /* Per kiosk (peer) and origin, the highest number it said it holds. */
  "CREATE TABLE IF NOT EXISTS sync_acks ("
  "  peer_site_id text COLLATE \"C\" NOT NULL,"
  "  origin text COLLATE \"C\" NOT NULL,"
  "  acked_seq bigint NOT NULL,"
  "  acked_at timestamptz NOT NULL DEFAULT now (),"
  "  PRIMARY KEY (peer_site_id, origin));\n"
  /* The deployment's enrolled sites, shared by the receivers'
   * copies of HQ's file (sd-pg-peers.c): PEER as a batch's header
   * lists it, without its revocation, which is REVOKED_AT. */
  "CREATE TABLE IF NOT EXISTS sync_peers ("
  "  site_id text COLLATE \"C\" PRIMARY KEY,"
  "  peer jsonb NOT NULL,"
  "  revoked_at bigint);\n"
  "CREATE TABLE IF NOT EXISTS sync_batches ("
  "  sha256 text COLLATE \"C\" PRIMARY KEY,"
  "  from_site text COLLATE \"C\" NOT NULL,"
  "  received_at timestamptz NOT NULL DEFAULT now (),"
  "  operations bigint NOT NULL,"
  "  applied bigint NOT NULL,"
  "  prev text COLLATE \"C\","
  "  chain_broken boolean NOT NULL);\n"
  /* What the readers ask for (the shelter status report, the lists). */
  "CREATE INDEX IF NOT EXISTS person_state_shelter ON person_state (shelter_id, kind);\n"
  "CREATE INDEX IF NOT EXISTS support_state_status ON support_state (status);\n";

static gboolean
fill_fields (SdPgStore  *self,
             GError    **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO oplog_fields (tbl, n, name, retired) VALUES ");
  sqlite3 *db = _sd_schema_reference_db (error);
  sqlite3_stmt *stmt = NULL;
  gboolean any = FALSE;

  if (db == NULL)
    return FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT t.name, f.n, f.name, f.retired FROM oplog_fields f "
                              "JOIN oplog_tables t ON t.n = f.tbl ORDER BY t.n, f.n", -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_string_append_printf (sql, "%s('%s', %d, '%s', %s)", any ? ", " : "", sqlite3_column_text (stmt, 0),
                                sqlite3_column_int (stmt, 1), sqlite3_column_text (stmt, 2),
                                sqlite3_column_int (stmt, 3) ? "true" : "false");
        any = TRUE;
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_string_append (sql, " ON CONFLICT (tbl, n) DO UPDATE SET retired = excluded.retired "
                        "WHERE oplog_fields.name = excluded.name");
  return any && _sd_pg_exec (self, _("record the op-log's fields"), sql->str, error);
}

gboolean
_sd_pg_schema_ensure (SdPgStore  *self,
                      GError    **error)
{
  GPtrArray *tables = _sd_pg_schema_tables (error);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *version_sql = NULL;
  int version = 0;

  if (tables == NULL)
    return FALSE;
  /* Two receivers started together: one makes the schema, the other
   * waits and finds it made. */
  if (!_sd_pg_exec (self, _("open the database"), "SELECT pg_advisory_xact_lock (7305310001)", error))
    return FALSE;
  res = _sd_pg_query (self, _("read the schema version"),
                      "SELECT to_regclass ('shelterdesk_schema') IS NOT NULL, to_regclass ('oplog') IS NOT NULL",
                      0, NULL, error);
  if (res == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (res, 0, 0), "t"))
    {
      g_clear_pointer (&res, PQclear);
      res = _sd_pg_query (self, _("read the schema version"), "SELECT coalesce (max (version), 0) FROM "
                          "shelterdesk_schema", 0, NULL, error);
      if (res == NULL)
        return FALSE;
      version = atoi (PQgetvalue (res, 0, 0));
    }
  else if (g_str_equal (PQgetvalue (res, 0, 1), "t"))
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA,
                   _("The PostgreSQL database %s holds tables that are not ShelterDesk’s. Give ShelterDesk a "
                     "database of its own (docs/deploy-hq-postgres.md)."), sd_pg_store_get_description (self));
      return FALSE;
    }
  if (version > SD_SCHEMA_VERSION)
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA,
                   _("The PostgreSQL database %s was made by a newer ShelterDesk (database version %d; this one "
                     "knows up to %d). Update ShelterDesk here."), sd_pg_store_get_description (self), version,
                   SD_SCHEMA_VERSION);
      return FALSE;
    }
  /* What ShelterDesk keeps beside the tables is made where it is missing
   * whatever the version, and the kept counts counted once. */
  if (version == SD_SCHEMA_VERSION)
    return _sd_pg_exec (self, _("make the schema"), common_sql, error) && _sd_pg_counts_ensure (self, error);

  for (guint i = 0; i < tables->len; i++)
    append_table (sql, g_ptr_array_index (tables, i));
  g_string_append (sql, common_sql);
  version_sql = g_strdup_printf ("DELETE FROM shelterdesk_schema; INSERT INTO shelterdesk_schema (version) "
                                 "VALUES (%d)", SD_SCHEMA_VERSION);
  return _sd_pg_exec (self, _("make the schema"), sql->str, error) && fill_fields (self, error) &&
         _sd_pg_counts_ensure (self, error) && _sd_pg_exec (self, _("make the schema"), version_sql, error);
}
