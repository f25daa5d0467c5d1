/* sd-replay.c: making rows from the op-log, for rescue, the deep check and (later) sync import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The op-log holds every field of every row ever written, each change
 * with the HLC and site that made it.  A row is therefore its fields'
 * newest values: per field, the change with the greatest (hlc, site id)
 * wins, which is commutative, associative and idempotent, so the same
 * op-log gives the same row whatever order its changes arrived in.  A
 * deletion removes the row.  A field no change ever named (a column a
 * later schema added) has the column's default, as SQLite gave it.
 *
 * replay_table() walks one table's changes in row order (the op-log's
 * (table, row) index) and hands each row, as the op-log makes it, to a
 * consumer: rescue makes the rows a damaged file lost, the deep check
 * compares every row with the table, and sync's import will apply them.
 * So what check proves is what rescue and import do.
 *
 * Retired fields: a field a later schema took out of its table (staff's
 * PIN hash, schema 6) keeps its changes, blanked, so that the sequence
 * stays dense; replay passes over them.
 */
#include "sd-fields.h"
#include "sd-oplog.h"
#include "sd-replay.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

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

/* ---- the walk ---- */

#define RETIRED (-1)

/* A value of a row made: VALUE itself when it is not NULL (a column's
 * default, or what json_each gave), else TYPE (SQLITE_INTEGER, SQLITE_TEXT
 * or SQLITE_NULL) with INTEGER or the N bytes of TEXT, as the fields
 * reader gave it.  Holding those rather than a sqlite3_value spares a copy
 * and an allocation for every field of every change a fold reads. */
typedef struct {
  sqlite3_value *value;
  int            type;
  gint64         integer;
  const char    *text;
  int            n;
} ReplayValue;

typedef struct {
  const char        *id;        /* the row id as the table has it */
  gboolean           deleted;
  guint              n_columns; /* the table's, "id" at 0 */
  const ReplayValue *values;    /* [n_columns]: what the op-log makes, or the column's default */
  const gboolean    *set;       /* [n_columns]: whether a change named the column */
} ReplayRow;

/* A field's newest value while its row is made: as ReplayValue, but the
 * text is at OFFSET in the row's text, which grows as changes come. */
typedef struct {
  sqlite3_value *value;  /* owned */
  int            type;
  gint64         integer;
  gsize          offset;
  int            n;
} HeldValue;

typedef gboolean (*ReplayRowFunc) (const ReplayRow *row,
                                   gpointer         user_data,
                                   GError         **error);

typedef struct {
  sqlite3        *db;
  const char     *table;
  GPtrArray      *columns;      /* char* */
  GArray         *field_column; /* field number → column index, RETIRED, or 0 for none */
  GPtrArray      *defaults;     /* sqlite3_value* per column */
  GHashTable     *site_ids;     /* site number → site id */
  sqlite3_stmt   *unpack;       /* json_each, for what the fields reader leaves */
  GArray         *fields;       /* SdField: the change being read */
  GString        *scratch;      /* the fields reader's decoded text */
  ReplayValue    *emitted;      /* [n]: the row handed on */

  /* The row being made. */
  sqlite3_value  *key;
  gboolean        deleted;
  HeldValue      *values;
  GString        *text;         /* the held values' text */
  gint64         *hlcs;
  const char    **sites;
  gboolean       *set;
  /* The newest creation (insert or event) and deletion of the row. */
  gint64          created_hlc, deleted_hlc;
  const char     *created_site, *deleted_site;
} Replay;

/* The op-log itself was written outside ShelterDesk: WHAT is one of the
 * whole sentences below, naming the table. */
#define set_tampered(error, what, table) \
  g_set_error ((error), SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED, (what), (table))
#define NAMES_NO_FIELD \
  _("The record of changes of “%s” names a field the table does not have: it was changed outside " \
    "ShelterDesk. Do not use this database; ask HQ for help.")
#define NO_SITE_OR_KIND \
  _("The record of changes of “%s” holds a change of no known site or kind: it was changed outside " \
    "ShelterDesk. Do not use this database; ask HQ for help.")
#define UNREADABLE_CHANGE \
  _("The record of changes of “%s” holds a change that cannot be read: it was changed outside " \
    "ShelterDesk. Do not use this database; ask HQ for help.")
#define NO_SUCH_TABLE \
  _("The record of changes names a table ShelterDesk does not have (%s): it was changed outside " \
    "ShelterDesk. Do not use this database; ask HQ for help.")

static void
set_read_error (sqlite3  *db,
                GError  **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
               _("Could not read the record of changes: %s"), sqlite3_errmsg (db));
}

/* The column defaults, as values: what a row gets for a field no change
 * named. */
static GPtrArray *
column_defaults (sqlite3    *db,
                 const char *table)
{
  GPtrArray *defaults = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
  sqlite3_stmt *info = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT dflt_value FROM pragma_table_info (?1)", -1, &info, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (info, 1, table, -1, SQLITE_STATIC);
      while (sqlite3_step (info) == SQLITE_ROW)
        {
          /* The default is the schema's own SQL expression. */
          g_autofree char *sql = g_strdup_printf ("SELECT %s", sqlite3_column_text (info, 0)
                                                               ? (const char *) sqlite3_column_text (info, 0)
                                                               : "NULL");
          sqlite3_stmt *eval = NULL;
          sqlite3_value *value = NULL;

          if (sqlite3_prepare_v2 (db, sql, -1, &eval, NULL) == SQLITE_OK && sqlite3_step (eval) == SQLITE_ROW)
            value = sqlite3_value_dup (sqlite3_column_value (eval, 0));
          sqlite3_finalize (eval);
          g_ptr_array_add (defaults, value);
        }
    }
  sqlite3_finalize (info);
  return defaults;
}

static gboolean
replay_init (Replay      *r,
             sqlite3     *db,
             const char  *table,
             gint64      *tbl_n,
             GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  guint n;

  memset (r, 0, sizeof *r);
  r->db = db;
  r->table = table;
  r->columns = _sd_table_columns (db, table);
  r->defaults = column_defaults (db, table);
  r->field_column = g_array_new (FALSE, TRUE, sizeof (int));
  r->site_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  n = r->columns->len;
  if (n == 0 || r->defaults->len != n)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("There is no table “%s” to make rows in."), table);
      return FALSE;
    }
  r->values = g_new0 (HeldValue, n);
  r->emitted = g_new0 (ReplayValue, n);
  r->fields = g_array_new (FALSE, FALSE, sizeof (SdField));
  r->scratch = g_string_new (NULL);
  r->text = g_string_new (NULL);
  r->hlcs = g_new0 (gint64, n);
  r->sites = g_new0 (const char *, n);
  r->set = g_new0 (gboolean, n);

  *tbl_n = 0;
  if (sqlite3_prepare_v2 (db, "SELECT n FROM oplog_tables WHERE name = ?1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        *tbl_n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);

  /* Field numbers to the table's columns, from the file's own list. */
  if (sqlite3_prepare_v2 (db, "SELECT n, name, retired FROM oplog_fields WHERE tbl = ?1", -1, &stmt, NULL) ==
      SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, *tbl_n);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          guint number = (guint) sqlite3_column_int (stmt, 0);
          const char *name = (const char *) sqlite3_column_text (stmt, 1);
          int column = RETIRED;

          if (!sqlite3_column_int (stmt, 2))
            for (column = (int) n - 1; column > 0; column--)
              if (g_str_equal (g_ptr_array_index (r->columns, column), name))
                break;
          if (number > 1000 || column == 0)
            {
              sqlite3_finalize (stmt);
              set_tampered (error, NAMES_NO_FIELD, table);
              return FALSE;
            }
          if (number >= r->field_column->len)
            g_array_set_size (r->field_column, number + 1);
          g_array_index (r->field_column, int, number) = column;
        }
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (db, "SELECT n, site_id FROM oplog_sites", -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_insert (r->site_ids, g_memdup2 ((gint64[]) { sqlite3_column_int64 (stmt, 0) }, sizeof (gint64)),
                           g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  if (*tbl_n == 0 ||
      sqlite3_prepare_v2 (db, "SELECT key, value FROM json_each (?1)", -1, &r->unpack, NULL) != SQLITE_OK)
    {
      set_read_error (db, error);
      return FALSE;
    }
  return TRUE;
}

static void
replay_clear_row (Replay *r)
{
  for (guint c = 0; c < r->columns->len; c++)
    {
      g_clear_pointer (&r->values[c].value, sqlite3_value_free);
      r->set[c] = FALSE;
    }
  g_string_truncate (r->text, 0);
  g_clear_pointer (&r->key, sqlite3_value_free);
  r->deleted = FALSE;
  r->created_site = r->deleted_site = NULL;
  r->created_hlc = r->deleted_hlc = 0;
}

/* Whether the change (HLC, SITE) is newer than (OTHER_HLC, OTHER_SITE),
 * where no change (a NULL site: a row never created, say) is older than
 * any, and newer than none. */
static gboolean
newer_than (gint64      hlc,
            const char *site,
            gint64      other_hlc,
            const char *other_site)
{
  if (site == NULL)
    return FALSE;
  return other_site == NULL || hlc > other_hlc || (hlc == other_hlc && strcmp (site, other_site) > 0);
}

static void
replay_free (Replay *r)
{
  if (r->columns != NULL && r->values != NULL)
    replay_clear_row (r);
  sqlite3_finalize (r->unpack);
  g_clear_pointer (&r->columns, g_ptr_array_unref);
  g_clear_pointer (&r->defaults, g_ptr_array_unref);
  g_clear_pointer (&r->field_column, g_array_unref);
  g_clear_pointer (&r->site_ids, g_hash_table_unref);
  g_clear_pointer (&r->values, g_free);
  g_clear_pointer (&r->emitted, g_free);
  g_clear_pointer (&r->fields, g_array_unref);
  if (r->scratch != NULL)
    g_string_free (g_steal_pointer (&r->scratch), TRUE);
  if (r->text != NULL)
    g_string_free (g_steal_pointer (&r->text), TRUE);
  g_clear_pointer (&r->hlcs, g_free);
  g_clear_pointer (&r->sites, g_free);
  g_clear_pointer (&r->set, g_free);
}

static gboolean
same_key (sqlite3_value *a,
          sqlite3_value *b)
{
  int n;

  if (a == NULL || b == NULL || sqlite3_value_type (a) != sqlite3_value_type (b))
    return FALSE;
  n = sqlite3_value_bytes (a);
  return n == sqlite3_value_bytes (b) && memcmp (sqlite3_value_blob (a), sqlite3_value_blob (b), n) == 0;
}

/* The column of field NUMBER: RETIRED, or 0 when the table has none. */
static int
column_of (Replay  *r,
           guint64  number)
{
  return number > 0 && number < r->field_column->len ? g_array_index (r->field_column, int, number) : 0;
}

/* Whether the change (HLC, SITE_ID) to COLUMN is older than the one held:
 * the newest change of a field wins, by HLC, then site id. */
static gboolean
older_than_held (Replay     *r,
                 int         column,
                 gint64      hlc,
                 const char *site_id)
{
  return r->set[column] && (r->hlcs[column] > hlc ||
                            (r->hlcs[column] == hlc && strcmp (r->sites[column], site_id) >= 0));
}

static HeldValue *
hold (Replay     *r,
      int         column,
      gint64      hlc,
      const char *site_id)
{
  HeldValue *held = &r->values[column];

  g_clear_pointer (&held->value, sqlite3_value_free);
  r->hlcs[column] = hlc;
  r->sites[column] = site_id;
  r->set[column] = TRUE;
  return held;
}

/* The change's fields by the fields reader: FALSE when it leaves them to
 * json_each (*APPLIED unset), or on a field the table lacks (*ERROR). */
static gboolean
replay_apply_read (Replay        *r,
                   sqlite3_stmt  *op,
                   gint64         hlc,
                   const char    *site_id,
                   gboolean      *applied,
                   GError       **error)
{
  *applied = FALSE;
  if (sqlite3_column_type (op, 4) != SQLITE_TEXT ||
      !_sd_fields_read ((const char *) sqlite3_column_text (op, 4), (gsize) sqlite3_column_bytes (op, 4), r->fields,
                        r->scratch))
    return TRUE;
  *applied = TRUE;
  for (guint i = 0; i < r->fields->len; i++)
    {
      const SdField *field = &g_array_index (r->fields, SdField, i);
      int column = column_of (r, field->number);
      HeldValue *held;

      if (column == RETIRED)
        continue;
      if (column == 0)
        {
          set_tampered (error, NAMES_NO_FIELD, r->table);
          return FALSE;
        }
      if (older_than_held (r, column, hlc, site_id))
        continue;
      held = hold (r, column, hlc, site_id);
      held->type = field->type;
      held->integer = field->integer;
      held->offset = r->text->len;
      held->n = field->n;
      if (field->type == SQLITE_TEXT)
        g_string_append_len (r->text, field->text, field->n);
    }
  return TRUE;
}

/* Folds one change into the row being made. */
static gboolean
replay_apply (Replay        *r,
              sqlite3_stmt  *op,
              GError       **error)
{
  gint64 site = sqlite3_column_int64 (op, 1);
  gint64 hlc = sqlite3_column_int64 (op, 2);
  int kind = sqlite3_column_int (op, 3);
  const char *site_id = g_hash_table_lookup (r->site_ids, &site);
  gboolean applied;
  int rc;

  if (site_id == NULL || kind < SD_OP_INSERT || kind > SD_OP_EVENT)
    {
      set_tampered (error, NO_SITE_OR_KIND, r->table);
      return FALSE;
    }
  if (kind == SD_OP_DELETE)
    {
      if (newer_than (hlc, site_id, r->deleted_hlc, r->deleted_site))
        r->deleted_hlc = hlc, r->deleted_site = site_id;
      return TRUE;
    }
  if ((kind == SD_OP_INSERT || kind == SD_OP_EVENT) && newer_than (hlc, site_id, r->created_hlc, r->created_site))
    r->created_hlc = hlc, r->created_site = site_id;

  if (!replay_apply_read (r, op, hlc, site_id, &applied, error))
    return FALSE;
  if (applied)
    return TRUE;
  sqlite3_bind_value (r->unpack, 1, sqlite3_column_value (op, 4));
  while ((rc = sqlite3_step (r->unpack)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (r->unpack, 0);
      int column = column_of (r, key != NULL ? g_ascii_strtoull (key, NULL, 10) : 0);

      if (column == RETIRED)
        continue;
      if (column == 0)
        {
          sqlite3_reset (r->unpack);
          set_tampered (error, NAMES_NO_FIELD, r->table);
          return FALSE;
        }
      if (older_than_held (r, column, hlc, site_id))
        continue;
      hold (r, column, hlc, site_id)->value = sqlite3_value_dup (sqlite3_column_value (r->unpack, 1));
    }
  sqlite3_reset (r->unpack);
  if (rc != SQLITE_DONE)
    {
      set_tampered (error, UNREADABLE_CHANGE, r->table);
      return FALSE;
    }
  return TRUE;
}

/* Hands the row made so far to FUNC. */
static gboolean
replay_emit (Replay         *r,
             ReplayRowFunc   func,
             gpointer        user_data,
             GError        **error)
{
  g_autofree char *id = NULL;
  guint n = r->columns->len;
  ReplayRow row;

  if (r->key == NULL)
    return TRUE;
  /* A deletion wins over every change made to the row, however late,
   * until the row is made again: a creation newer than the deletion
   * starts it afresh, with only what was written from then on. */
  if (r->deleted_site != NULL)
    {
      r->deleted = !newer_than (r->created_hlc, r->created_site, r->deleted_hlc, r->deleted_site);
      for (guint c = 1; !r->deleted && c < n; c++)
        if (r->set[c] && newer_than (r->created_hlc, r->created_site, r->hlcs[c], r->sites[c]))
          r->set[c] = FALSE;
    }
  id = _sd_oplog_row_id_text (r->key);
  for (guint c = 1; c < n; c++)
    {
      const HeldValue *held = &r->values[c];

      if (!r->set[c])
        r->emitted[c] = (ReplayValue) { g_ptr_array_index (r->defaults, c), 0, 0, NULL, 0 };
      else
        r->emitted[c] = (ReplayValue) { held->value, held->type, held->integer, r->text->str + held->offset,
                                        held->n };
    }
  row = (ReplayRow) { id, r->deleted, n, r->emitted, r->set };
  return func (&row, user_data, error);
}

/* Every row of TABLE the op-log knows, made from its changes, to FUNC in
 * the order of the op-log's (table, row) index. */
static gboolean
replay_table_rows (sqlite3        *db,
                   const char     *table,
                   gboolean        touched_only,
                   ReplayRowFunc   func,
                   gpointer        user_data,
                   GError        **error)
{
  Replay r;
  gint64 tbl_n;
  sqlite3_stmt *ops = NULL;
  gboolean ok = FALSE;
  int rc;

  if (!replay_init (&r, db, table, &tbl_n, error))
    goto out;
  /* Touched rows: from the list of them, each row's changes by the
   * op-log's (table, row) index (CROSS JOIN keeps that order).  The
   * other way round SQLite walks every change the table ever had, and
   * sorts those of the touched rows. */
  if (sqlite3_prepare_v2 (db, touched_only
                              ? "SELECT o.row_id, o.site, o.hlc, o.kind, o.fields FROM temp.sync_touched t "
                                "CROSS JOIN oplog o ON o.tbl = t.tbl AND o.row_id = t.row_id WHERE t.tbl = ?1 "
                                "ORDER BY t.row_id"
                              : "SELECT row_id, site, hlc, kind, fields FROM oplog WHERE tbl = ?1 ORDER BY row_id",
                          -1, &ops, NULL) != SQLITE_OK)
    {
      set_read_error (db, error);
      goto out;
    }
  sqlite3_bind_int64 (ops, 1, tbl_n);
  while ((rc = sqlite3_step (ops)) == SQLITE_ROW)
    {
      sqlite3_value *key = sqlite3_column_value (ops, 0);

      if (!same_key (key, r.key))
        {
          if (!replay_emit (&r, func, user_data, error))
            goto out;
          replay_clear_row (&r);
          r.key = sqlite3_value_dup (key);
        }
      if (!replay_apply (&r, ops, error))
        goto out;
    }
  if (rc != SQLITE_DONE)
    {
      set_read_error (db, error);
      goto out;
    }
  ok = replay_emit (&r, func, user_data, error);

out:
  sqlite3_finalize (ops);
  replay_free (&r);
  return ok;
}

static gboolean
replay_table (sqlite3        *db,
              const char     *table,
              ReplayRowFunc   func,
              gpointer        user_data,
              GError        **error)
{
  return replay_table_rows (db, table, FALSE, func, user_data, error);
}

/* ---- making the rows a table lacks (rescue, import) ---- */

typedef struct {
  sqlite3     *db;
  const char  *table;
  GPtrArray   *columns;
  GHashTable  *inserts;  /* the set columns' mask → INSERT */
  sqlite3_stmt *exists;
  gint64       made;
} MissingRows;

/* Binds a value of a row made.  Its text lives as long as the row, and
 * every statement that takes it is rebound before it runs again. */
static void
bind_replay_value (sqlite3_stmt      *stmt,
                   int                i,
                   const ReplayValue *v)
{
  if (v->value != NULL)
    sqlite3_bind_value (stmt, i, v->value);
  else if (v->type == SQLITE_INTEGER)
    sqlite3_bind_int64 (stmt, i, v->integer);
  else if (v->type == SQLITE_TEXT)
    sqlite3_bind_text (stmt, i, v->text, v->n, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, i);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

/* The INSERT for one set of named columns, made once per set (most rows
 * of a table have the same); the others take their defaults. */
static sqlite3_stmt *
insert_for (MissingRows     *m,
            const ReplayRow *row)
{
  g_autoptr(GString) mask = g_string_new (NULL);
  sqlite3_stmt *stmt;

  for (guint c = 1; c < row->n_columns; c++)
    g_string_append_c (mask, row->set[c] ? '1' : '0');
  stmt = g_hash_table_lookup (m->inserts, mask->str);
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "INSERT INTO \"%s\" (id", m->table);
      for (guint c = 1; c < row->n_columns; c++)
        if (row->set[c])
          g_string_append_printf (sql, ", \"%s\"", (char *) g_ptr_array_index (m->columns, c));
      g_string_append (sql, ") VALUES (?1");
      for (guint c = 1; c < row->n_columns; c++)
        if (row->set[c])
          g_string_append_printf (sql, ", ?%u", c + 1);
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (m->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        return NULL;
      g_hash_table_insert (m->inserts, g_strdup (mask->str), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

static gboolean
make_missing_row (const ReplayRow  *row,
                  gpointer          user_data,
                  GError          **error)
{
  MissingRows *m = user_data;
  sqlite3_stmt *insert;
  gboolean exists;

  if (row->deleted)
    return TRUE;
  sqlite3_bind_text (m->exists, 1, row->id, -1, SQLITE_STATIC);
  exists = sqlite3_step (m->exists) == SQLITE_ROW;
  sqlite3_reset (m->exists);
  if (exists)
    return TRUE;

  insert = insert_for (m, row);
  if (insert == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not make a “%s” row from the record of changes: %s"), m->table,
                   sqlite3_errmsg (m->db));
      return FALSE;
    }
  sqlite3_bind_text (insert, 1, row->id, -1, SQLITE_STATIC);
  for (guint c = 1; c < row->n_columns; c++)
    if (row->set[c])
      bind_replay_value (insert, (int) c + 1, &row->values[c]);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("The record of changes holds a “%s” row that cannot be made again (%s): it was "
                     "changed outside ShelterDesk."), m->table, sqlite3_errmsg (m->db));
      sqlite3_reset (insert);
      return FALSE;
    }
  sqlite3_reset (insert);
  m->made++;
  return TRUE;
}

gint64
_sd_replay_missing_rows (SdStore     *store,
                         const char  *table,
                         GError     **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  g_autofree char *exists_sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE id = ?1", table);
  MissingRows m = { db, table, _sd_table_columns (db, table),
                    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement), NULL, 0 };
  gboolean ok;

  /* The rows made go into the table, not the op-log being read. */
  ok = sqlite3_prepare_v2 (db, exists_sql, -1, &m.exists, NULL) == SQLITE_OK;
  if (!ok)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                 _("There is no table “%s” to make rows in."), table);
  ok = ok && replay_table (db, table, make_missing_row, &m, error);
  sqlite3_finalize (m.exists);
  g_hash_table_unref (m.inserts);
  g_ptr_array_unref (m.columns);
  return ok ? m.made : -1;
}

/* ---- applying what an import brought (sync) ---- */

typedef struct {
  MissingRows    m;
  gboolean       append_only;
  gint64         tbl_n;
  sqlite3_stmt  *update;   /* every column, only when one differs */
  sqlite3_stmt  *delete;
  sqlite3_stmt  *wait;
  sqlite3_stmt  *unwait;
  gboolean       had_waiting;  /* rows of the table waited before the fold */
  gint64         changed;
  gint64         waiting;

  /* New rows held back to be inserted CHUNK at a time (flush_inserts ()):
   * each as n_columns HeldValue (the id at 0), their text in
   * PENDING_TEXT, all with the columns PENDING_SET. */
  GArray        *pending;
  GString       *pending_text;
  gboolean      *pending_set;
  guint          n_pending;
  GHashTable    *chunk_inserts;  /* the set columns' mask → INSERT of CHUNK rows */
  GPtrArray     *defaults;       /* sqlite3_value* per column, as the replay's */
  gboolean       one_by_one;     /* no rows held back (a parent in the same table) */
  guint          alone;          /* rows to apply one by one after a chunk failed */
} Applied;

/* One statement for this many new rows spares SQLite, for all but one,
 * the cost of a statement's run: opening the table's and indexes'
 * cursors, the statement journal, and closing them. */
#define CHUNK 64

static sqlite3_stmt *
prepare_update (sqlite3    *db,
                const char *table,
                GPtrArray  *columns)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_string_append_printf (sql, "UPDATE \"%s\" SET ", table);
  for (guint c = 1; c < columns->len; c++)
    g_string_append_printf (sql, "%s\"%s\" = ?%u", c > 1 ? ", " : "", (char *) g_ptr_array_index (columns, c), c + 1);
  g_string_append (sql, " WHERE id = ?1 AND NOT (");
  for (guint c = 1; c < columns->len; c++)
    g_string_append_printf (sql, "%s\"%s\" IS ?%u", c > 1 ? " AND " : "", (char *) g_ptr_array_index (columns, c),
                            c + 1);
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  return stmt;
}

static void
set_apply_error (Applied  *a,
                 int       rc,
                 GError  **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
               _("Could not apply a change to “%s” (%s)."), a->m.table, sqlite3_errstr (rc));
}

/* Runs STMT for the row: TRUE when it ran or the row waits for a
 * parent; *REFUSED set to the extended code (and no error) when a
 * constraint other than a foreign key stopped it, so that the caller
 * can look further. */
static gboolean
apply_try (Applied       *a,
           sqlite3_stmt  *stmt,
           gboolean      *waits,
           int           *refused,
           GError       **error)
{
  int rc = sqlite3_step (stmt);
  int extended = sqlite3_extended_errcode (a->m.db);

  sqlite3_reset (stmt);
  *refused = (rc & 0xff) == SQLITE_CONSTRAINT && extended != SQLITE_CONSTRAINT_FOREIGNKEY ? extended : 0;
  if (*refused != 0)
    return TRUE;
  if (rc == SQLITE_DONE)
    {
      a->changed += sqlite3_changes (a->m.db) > 0;
      return TRUE;
    }
  if (extended == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      *waits = TRUE;
      return TRUE;
    }
  set_apply_error (a, rc, error);
  return FALSE;
}

/* A statement that failed on a foreign key (a parent not there yet, or
 * children still there): the row waits.  Any other failure is an error. */
static gboolean
apply_step (Applied       *a,
            sqlite3_stmt  *stmt,
            gboolean      *waits,
            GError       **error)
{
  int refused = 0;

  if (!apply_try (a, stmt, waits, &refused, error))
    return FALSE;
  if (refused != 0)
    {
      set_apply_error (a, refused, error);
      return FALSE;
    }
  return TRUE;
}

/* A row that waits joins the list of waiting rows; one that waited and
 * no longer does leaves it; a table with nothing waiting (nearly always)
 * skips the statement. */
static void
note_waiting (Applied    *a,
              const char *id,
              gboolean    waits)
{
  sqlite3_stmt *stmt = waits ? a->wait : a->unwait;

  if (!waits && !a->had_waiting)
    return;
  sqlite3_bind_int64 (stmt, 1, a->tbl_n);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  a->waiting += waits;
}

static gboolean
apply_row_now (Applied          *a,
               const ReplayRow  *row,
               GError          **error)
{
  gboolean waits = FALSE;
  int refused = 0;
  sqlite3_stmt *stmt;

  if (row->deleted)
    {
      /* A row not there deletes nothing; one with children waits. */
      sqlite3_bind_text (a->delete, 1, row->id, -1, SQLITE_STATIC);
      if (!apply_step (a, a->delete, &waits, error))
        return FALSE;
    }
  else
    {
      /* Most rows a batch brings are new: inserted at once.  Only when a
       * constraint stops the insert is the row looked up: one already
       * there takes the newest values (events never change), and for a
       * row not there the constraint is an error, as it always was. */
      stmt = insert_for (&a->m, row);
      if (stmt == NULL)
        {
          set_read_error (a->m.db, error);
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
      for (guint c = 1; c < row->n_columns; c++)
        if (row->set[c])
          bind_replay_value (stmt, (int) c + 1, &row->values[c]);
      if (!apply_try (a, stmt, &waits, &refused, error))
        return FALSE;
      if (refused != 0)
        {
          gboolean exists;

          sqlite3_bind_text (a->m.exists, 1, row->id, -1, SQLITE_STATIC);
          exists = sqlite3_step (a->m.exists) == SQLITE_ROW;
          sqlite3_reset (a->m.exists);
          if (!exists)
            {
              set_apply_error (a, refused, error);
              return FALSE;
            }
          if (!a->append_only)
            {
              sqlite3_bind_text (a->update, 1, row->id, -1, SQLITE_STATIC);
              for (guint c = 1; c < row->n_columns; c++)
                bind_replay_value (a->update, (int) c + 1, &row->values[c]);
              if (!apply_step (a, a->update, &waits, error))
                return FALSE;
            }
        }
    }

  note_waiting (a, row->id, waits);
  return TRUE;
}

/* The SQL of CHUNK rows of the table with the set columns MASK: the
 * one-row INSERT's, its values CHUNK times. */
static sqlite3_stmt *
chunk_insert_for (Applied *a)
{
  GString *mask = g_string_new (NULL);
  sqlite3_stmt *stmt;
  guint n = a->m.columns->len;

  for (guint c = 1; c < n; c++)
    g_string_append_c (mask, a->pending_set[c] ? '1' : '0');
  stmt = g_hash_table_lookup (a->chunk_inserts, mask->str);
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (NULL);
      g_autoptr(GString) one = g_string_new ("(?");

      g_string_append_printf (sql, "INSERT INTO \"%s\" (id", a->m.table);
      for (guint c = 1; c < n; c++)
        if (a->pending_set[c])
          {
            g_string_append_printf (sql, ", \"%s\"", (char *) g_ptr_array_index (a->m.columns, c));
            g_string_append (one, ", ?");
          }
      g_string_append (sql, ") VALUES ");
      g_string_append_c (one, ')');
      for (guint k = 0; k < CHUNK; k++)
        g_string_append_printf (sql, "%s%s", k > 0 ? ", " : "", one->str);
      if (sqlite3_prepare_v2 (a->m.db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        stmt = NULL;
      else
        g_hash_table_insert (a->chunk_inserts, g_strdup (mask->str), stmt);
    }
  g_string_free (mask, TRUE);
  return stmt;
}

/* The pending row K as the replay made it. */
static void
pending_row (Applied     *a,
             guint        k,
             ReplayValue *values,
             ReplayRow   *row)
{
  guint n = a->m.columns->len;
  const HeldValue *held = &g_array_index (a->pending, HeldValue, k * n);

  for (guint c = 0; c < n; c++)
    if (c > 0 && !a->pending_set[c])
      values[c] = (ReplayValue) { g_ptr_array_index (a->defaults, c), 0, 0, NULL, 0 };
    else
      values[c] = (ReplayValue) { NULL, held[c].type, held[c].integer, a->pending_text->str + held[c].offset,
                                  held[c].n };
  *row = (ReplayRow) { values[0].text, FALSE, n, values, a->pending_set };
}

/* Inserts the rows held back: CHUNK of them by one statement, which
 * either inserts them all or, failing on any (a parent not there yet, a
 * row already there), is undone by SQLite as a whole; then, and for
 * fewer rows, each row as apply_row_now () does it alone, so that what
 * each row becomes is what it always was. */
static gboolean
flush_inserts (Applied  *a,
               GError  **error)
{
  guint n = a->m.columns->len;
  g_autofree ReplayValue *values = NULL;
  sqlite3_stmt *stmt = NULL;
  ReplayRow row;
  gboolean ok = TRUE, done = FALSE;

  if (a->n_pending == 0)
    return TRUE;
  values = g_new (ReplayValue, n);
  if (a->n_pending == CHUNK)
    stmt = chunk_insert_for (a);
  if (stmt != NULL)
    {
      int i = 1;

      for (guint k = 0; k < a->n_pending; k++)
        {
          pending_row (a, k, values, &row);
          sqlite3_bind_text (stmt, i++, row.id, -1, SQLITE_STATIC);
          for (guint c = 1; c < n; c++)
            if (row.set[c])
              bind_replay_value (stmt, i++, &values[c]);
        }
      done = sqlite3_step (stmt) == SQLITE_DONE;
      /* Its bindings point into the pending text: all are bound again
       * before it runs again. */
      sqlite3_reset (stmt);
      if (done)
        {
          a->changed += a->n_pending;
          for (guint k = 0; a->had_waiting && k < a->n_pending; k++)
            {
              pending_row (a, k, values, &row);
              note_waiting (a, row.id, FALSE);
            }
        }
    }
  /* A batch that changes rows already here (or many that wait) would
   * fail chunk after chunk: after one, the next rows go one by one. */
  if (stmt != NULL && !done)
    a->alone = 8 * CHUNK;
  for (guint k = 0; ok && !done && k < a->n_pending; k++)
    {
      pending_row (a, k, values, &row);
      ok = apply_row_now (a, &row, error);
    }
  a->n_pending = 0;
  g_array_set_size (a->pending, 0);
  g_string_truncate (a->pending_text, 0);
  return ok;
}

/* Holds a new row back when it can be inserted with others (its values
 * all the replay's own, its set columns those of the rows held). */
static gboolean
pend_row (Applied          *a,
          const ReplayRow  *row,
          gboolean         *held,
          GError          **error)
{
  guint n = row->n_columns;
  HeldValue *copy;

  *held = FALSE;
  if (a->one_by_one)
    return TRUE;
  if (a->alone > 0)
    {
      a->alone--;
      return TRUE;
    }
  for (guint c = 1; c < n; c++)
    if (row->set[c] && row->values[c].value != NULL)
      return TRUE;
  if (a->n_pending > 0 && memcmp (a->pending_set, row->set, n * sizeof (gboolean)) != 0 &&
      !flush_inserts (a, error))
    return FALSE;
  if (a->n_pending == 0)
    memcpy (a->pending_set, row->set, n * sizeof (gboolean));
  g_array_set_size (a->pending, (a->n_pending + 1) * n);
  copy = &g_array_index (a->pending, HeldValue, a->n_pending * n);
  /* The id, NUL-ended, then the set values. */
  copy[0] = (HeldValue) { NULL, SQLITE_TEXT, 0, a->pending_text->len, (int) strlen (row->id) };
  g_string_append_len (a->pending_text, row->id, copy[0].n + 1);
  for (guint c = 1; c < n; c++)
    if (row->set[c])
      {
        const ReplayValue *v = &row->values[c];

        copy[c] = (HeldValue) { NULL, v->type, v->integer, a->pending_text->len, v->n };
        if (v->type == SQLITE_TEXT)
          g_string_append_len (a->pending_text, v->text, v->n);
      }
  a->n_pending++;
  *held = TRUE;
  return a->n_pending < CHUNK || flush_inserts (a, error);
}

static gboolean
apply_row (const ReplayRow  *row,
           gpointer          user_data,
           GError          **error)
{
  Applied *a = user_data;
  gboolean held = FALSE;

  if (!row->deleted && !pend_row (a, row, &held, error))
    return FALSE;
  if (held)
    return TRUE;
  return flush_inserts (a, error) && apply_row_now (a, row, error);
}

gboolean
_sd_replay_apply_touched (SdStore      *store,
                          const char   *table,
                          gboolean      append_only,
                          gint64        now_ms,
                          gint64       *out_changed,
                          gint64       *out_waiting,
                          GError      **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  g_autofree char *exists_sql = g_strdup_printf ("SELECT 1 FROM \"%s\" WHERE id = ?1", table);
  g_autofree char *delete_sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", table);
  g_autofree char *wait_sql = g_strdup_printf ("INSERT OR IGNORE INTO sync_waiting (tbl, row_id, since) "
                                               "VALUES (?1, sd_row_key (?2), %" G_GINT64_FORMAT ")", now_ms);
  Applied a = { .m = { db, table, _sd_table_columns (db, table),
                        g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement), NULL, 0 },
                .append_only = append_only,
                .pending = g_array_new (FALSE, FALSE, sizeof (HeldValue)),
                .pending_text = g_string_new (NULL),
                .chunk_inserts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement) };
  sqlite3_stmt *tbl = NULL;
  gint64 t0 = g_get_monotonic_time ();
  clock_t c0 = clock ();
  gboolean ok;

  ok = sqlite3_prepare_v2 (db, "SELECT n FROM oplog_tables WHERE name = ?1", -1, &tbl, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_text (tbl, 1, table, -1, SQLITE_STATIC);
      if (sqlite3_step (tbl) == SQLITE_ROW)
        a.tbl_n = sqlite3_column_int64 (tbl, 0);
    }
  sqlite3_finalize (tbl);
  ok = ok && sqlite3_prepare_v2 (db, "SELECT EXISTS (SELECT 1 FROM sync_waiting WHERE tbl = ?1)", -1, &tbl,
                                 NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int64 (tbl, 1, a.tbl_n);
      a.had_waiting = sqlite3_step (tbl) != SQLITE_ROW || sqlite3_column_int (tbl, 0) != 0;
    }
  sqlite3_finalize (tbl);
  ok = ok && a.tbl_n > 0 &&
       sqlite3_prepare_v2 (db, exists_sql, -1, &a.m.exists, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (db, delete_sql, -1, &a.delete, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (db, wait_sql, -1, &a.wait, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (db, "DELETE FROM sync_waiting WHERE tbl = ?1 AND row_id = sd_row_key (?2)", -1,
                           &a.unwait, NULL) == SQLITE_OK &&
       (a.update = prepare_update (db, table, a.m.columns)) != NULL;
  if (!ok)
    set_read_error (db, error);
  a.pending_set = g_new0 (gboolean, a.m.columns->len);
  a.defaults = column_defaults (db, table);
  /* A row whose parent is in its own table waits when inserted alone
   * before it, but not in one statement with it (SQLite checks foreign
   * keys at the statement's end): such a table's rows go one by one. */
  a.one_by_one = TRUE;
  if (ok && sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_foreign_key_list (?1) WHERE \"table\" = ?1", -1, &tbl,
                                NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (tbl, 1, table, -1, SQLITE_STATIC);
      a.one_by_one = sqlite3_step (tbl) != SQLITE_DONE;
    }
  sqlite3_finalize (tbl);
  tbl = NULL;
  ok = ok && replay_table_rows (db, table, TRUE, apply_row, &a, error) && flush_inserts (&a, error);
  sqlite3_finalize (a.m.exists);
  sqlite3_finalize (a.delete);
  sqlite3_finalize (a.wait);
  sqlite3_finalize (a.unwait);
  sqlite3_finalize (a.update);
  g_hash_table_unref (a.m.inserts);
  g_hash_table_unref (a.chunk_inserts);
  g_array_unref (a.pending);
  g_string_free (a.pending_text, TRUE);
  g_free (a.pending_set);
  g_ptr_array_unref (a.defaults);
  g_ptr_array_unref (a.m.columns);
  /* The replay is most of an import's fold: timed apart from the rest. */
  g_debug ("replay: “%s”, %" G_GINT64_FORMAT " rows changed in %.0f ms (%.0f ms CPU)", table, a.changed,
           (g_get_monotonic_time () - t0) / 1000.0, (clock () - c0) * 1000.0 / CLOCKS_PER_SEC);
  if (out_changed != NULL)
    *out_changed = a.changed;
  if (out_waiting != NULL)
    *out_waiting = a.waiting;
  return ok;
}

/* ---- the fields a table holds that its changes do not give (rescue) ---- */

typedef struct {
  const char   *table;
  sqlite3_stmt *read;
  GPtrArray    *rows;  /* SdReplayDifference* */
} Differences;

/* Whether two values are the same bytes of the same type. */
static gboolean
same_value (sqlite3_value *a,
            sqlite3_value *b)
{
  int type = a != NULL ? sqlite3_value_type (a) : SQLITE_NULL;
  int n;

  if (type != (b != NULL ? sqlite3_value_type (b) : SQLITE_NULL))
    return FALSE;
  switch (type)
    {
    case SQLITE_NULL:
      return TRUE;
    case SQLITE_INTEGER:
      return sqlite3_value_int64 (a) == sqlite3_value_int64 (b);
    case SQLITE_FLOAT:
      return sqlite3_value_double (a) == sqlite3_value_double (b);
    default:
      n = sqlite3_value_bytes (a);
      return n == sqlite3_value_bytes (b) && memcmp (sqlite3_value_blob (a), sqlite3_value_blob (b), n) == 0;
    }
}

/* Whether the table's value HAVE is the value the op-log makes. */
static gboolean
same_as_made (sqlite3_value     *have,
              const ReplayValue *v)
{
  int type = sqlite3_value_type (have);

  if (v->value != NULL || v->type == 0)
    return same_value (have, v->value);
  if (type != v->type)
    return FALSE;
  if (type == SQLITE_INTEGER)
    return sqlite3_value_int64 (have) == v->integer;
  if (type == SQLITE_TEXT)
    return sqlite3_value_bytes (have) == v->n && (v->n == 0 || memcmp (sqlite3_value_blob (have), v->text, v->n) == 0);
  return TRUE;
}

void
_sd_replay_difference_free (SdReplayDifference *difference)
{
  g_free (difference->id);
  g_ptr_array_unref (difference->columns);
  g_ptr_array_unref (difference->values);
  g_free (difference);
}

static gboolean
collect_difference (const ReplayRow  *row,
                    gpointer          user_data,
                    GError          **error)
{
  Differences *d = user_data;
  SdReplayDifference *difference = NULL;

  if (row->deleted)
    return TRUE;
  sqlite3_bind_text (d->read, 1, row->id, -1, SQLITE_STATIC);
  if (sqlite3_step (d->read) == SQLITE_ROW)
    for (guint c = 1; c < row->n_columns; c++)
      {
        sqlite3_value *have = sqlite3_column_value (d->read, (int) c);

        if (same_as_made (have, &row->values[c]))
          continue;
        if (difference == NULL)
          {
            difference = g_new0 (SdReplayDifference, 1);
            difference->id = g_strdup (row->id);
            difference->columns = g_ptr_array_new ();
            difference->values = g_ptr_array_new_with_free_func ((GDestroyNotify) sqlite3_value_free);
            g_ptr_array_add (d->rows, difference);
          }
        g_ptr_array_add (difference->columns, GUINT_TO_POINTER (c));
        g_ptr_array_add (difference->values, sqlite3_value_dup (have));
      }
  sqlite3_reset (d->read);
  return TRUE;
}

GPtrArray *
_sd_replay_differences (SdStore     *store,
                        const char  *table,
                        GError     **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE id = ?1", table);
  Differences d = { table, NULL, g_ptr_array_new_with_free_func ((GDestroyNotify) _sd_replay_difference_free) };
  gboolean ok;

  ok = sqlite3_prepare_v2 (db, sql, -1, &d.read, NULL) == SQLITE_OK &&
       replay_table (db, table, collect_difference, &d, error);
  sqlite3_finalize (d.read);
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        set_read_error (db, error);
      g_ptr_array_unref (d.rows);
      return NULL;
    }
  return d.rows;
}

/* ---- the proof ---- */

typedef struct {
  const char   *table;
  sqlite3_stmt *read;
  sqlite3_stmt *waiting;
  gint64        rows;
} Proof;

static gboolean
prove_row (const ReplayRow  *row,
           gpointer          user_data,
           GError          **error)
{
  Proof *p = user_data;
  gboolean found, same = TRUE;

  sqlite3_bind_text (p->read, 1, row->id, -1, SQLITE_STATIC);
  found = sqlite3_step (p->read) == SQLITE_ROW;
  for (guint c = 1; found && same && c < row->n_columns; c++)
    same = same_as_made (sqlite3_column_value (p->read, (int) c), &row->values[c]);
  sqlite3_reset (p->read);
  if (found != !row->deleted || !same)
    {
      /* A row sync holds back until its parent arrives (sd-sync-merge.c). */
      gboolean waiting;

      sqlite3_bind_text (p->waiting, 1, p->table, -1, SQLITE_STATIC);
      sqlite3_bind_text (p->waiting, 2, row->id, -1, SQLITE_STATIC);
      waiting = sqlite3_step (p->waiting) == SQLITE_ROW;
      sqlite3_reset (p->waiting);
      if (waiting)
        {
          p->rows += found;
          return TRUE;
        }
    }
  if (found != !row->deleted || !same)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("“%s” differs from what its record of changes says: it was changed outside "
                     "ShelterDesk, and HQ would receive something else than this desk shows. "
                     "Do not use it; ask HQ for help."), p->table);
      return FALSE;
    }
  p->rows += found;
  return TRUE;
}

static gint64
count_rows (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
prove_table (sqlite3     *db,
             const char  *table,
             GError     **error)
{
  /* Table names are ShelterDesk's own. */
  g_autofree char *read_sql = g_strdup_printf ("SELECT * FROM \"%s\" WHERE id = ?1", table);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count (*) FROM \"%s\"", table);
  Proof p = { table, NULL, NULL, 0 };
  gboolean ok;

  if (sqlite3_prepare_v2 (db, read_sql, -1, &p.read, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "SELECT 1 FROM sync_waiting w JOIN oplog_tables t ON t.n = w.tbl "
                              "WHERE t.name = ?1 AND w.row_id = sd_row_key (?2)", -1, &p.waiting, NULL) != SQLITE_OK)
    {
      set_read_error (db, error);
      sqlite3_finalize (p.read);
      return FALSE;
    }
  ok = replay_table (db, table, prove_row, &p, error);
  sqlite3_finalize (p.read);
  sqlite3_finalize (p.waiting);
  if (!ok)
    return FALSE;
  /* Every row the op-log makes is in the table, exactly; and ids are
   * unique, so a table with more rows holds rows the op-log never made. */
  if (count_rows (db, count_sql) != p.rows)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("%d records in “%s” were written outside ShelterDesk and are missing from "
                     "the record of changes, so HQ would never receive them. Ask HQ for help."),
                   (int) (count_rows (db, count_sql) - p.rows), table);
      return FALSE;
    }
  return TRUE;
}

/* The multiset of (person, key) pairs as one number: the sum of each
 * pair's keyed hash (SipHash-2-4 with KEY, crypto_shorthash), and how
 * many pairs.  Order does not matter, so neither side needs sorting. */
typedef struct {
  guint64 sum;
  gint64  n;
} KeySet;

static void
key_set_add (KeySet              *set,
             const unsigned char *hash_key,
             const char          *person_id,
             const char          *key)
{
  g_autofree char *pair = g_strconcat (person_id, "\n", key, NULL);
  unsigned char hash[crypto_shorthash_BYTES];
  guint64 h;

  crypto_shorthash (hash, (const unsigned char *) pair, strlen (pair), hash_key);
  memcpy (&h, hash, sizeof h);
  set->sum += h;
  set->n++;
}

/* The search keys (person_keys): every person's computed again and
 * compared with those stored, as two multisets of (person, key) pairs
 * each summed by a hash keyed afresh for every check (see KeySet), so
 * that nobody who changes the file can make a different set sum the
 * same: both sides are read once in whatever order is fastest, with no
 * index by person and no sort.  Equal sums and counts of two different
 * sets happen by chance once in 2^64. */
gboolean
_sd_replay_prove_search_keys (sqlite3  *db,
                              GError  **error)
{
  sqlite3_stmt *people = NULL, *stored = NULL;
  unsigned char hash_key[crypto_shorthash_KEYBYTES];
  KeySet want = { 0, 0 }, have = { 0, 0 };
  int rc_stored = SQLITE_ERROR, rc_people = SQLITE_ERROR;
  gboolean same;

  if (sodium_init () < 0)
    {
      set_read_error (db, error);
      return FALSE;
    }
  randombytes_buf (hash_key, sizeof hash_key);
  if (sqlite3_prepare_v2 (db, "SELECT p.id, p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date "
                              "FROM persons p LEFT JOIN households h ON h.id = p.household_id", -1, &people,
                          NULL) == SQLITE_OK &&
      sqlite3_prepare_v2 (db, "SELECT person_id, key FROM person_keys", -1, &stored, NULL) == SQLITE_OK)
    {
      while ((rc_people = sqlite3_step (people)) == SQLITE_ROW)
        {
          const char *id = (const char *) sqlite3_column_text (people, 0);
          g_autoptr(GPtrArray) keys = _sd_person_search_key_list ((const char *) sqlite3_column_text (people, 1),
                                                                  (const char *) sqlite3_column_text (people, 2),
                                                                  (const char *) sqlite3_column_text (people, 3),
                                                                  (const char *) sqlite3_column_text (people, 4));

          for (guint k = 0; k < keys->len; k++)
            key_set_add (&want, hash_key, id, g_ptr_array_index (keys, k));
        }
      while ((rc_stored = sqlite3_step (stored)) == SQLITE_ROW)
        key_set_add (&have, hash_key, (const char *) sqlite3_column_text (stored, 0),
                     (const char *) sqlite3_column_text (stored, 1));
    }
  sodium_memzero (hash_key, sizeof hash_key);
  sqlite3_finalize (people);
  sqlite3_finalize (stored);
  if (rc_people != SQLITE_DONE || rc_stored != SQLITE_DONE)
    {
      set_read_error (db, error);
      return FALSE;
    }
  same = want.n == have.n && want.sum == have.sum;
  if (!same)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                 _("“%s” differs from what it is derived from: it was changed outside ShelterDesk. "
                   "Do not use it; ask HQ for help."), "person_keys");
  return same;
}

gboolean
_sd_replay_prove (SdStore  *store,
                  GError  **error)
{
  sqlite3 *db = _sd_store_get_db (store);
  const char *table;

  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if (!prove_table (db, table, error))
        return FALSE;
      g_debug ("Replayed “%s” in %.0f ms", table, (g_get_monotonic_time () - t0) / 1000.0);
    }

  /* Changes of a table ShelterDesk has no number for would travel to HQ
   * unread: two seeks into the (table, row) index. */
  if (count_rows (db, "SELECT count (*) FROM oplog WHERE tbl < (SELECT min (n) FROM oplog_tables) "
                      "OR tbl > (SELECT max (n) FROM oplog_tables)") != 0)
    {
      set_tampered (error, NO_SUCH_TABLE, "oplog");
      return FALSE;
    }

  return TRUE;
}
