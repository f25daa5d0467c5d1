/* sd-derive.c: derived state kept by sets, for a write of many rows at once.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every write the desk makes keeps the derived tables by triggers in the
 * same transaction: the search keys, where each person is, the row
 * counts and the kept counts of the reports (sd-migrations.c).  Row by
 * row, that is most of what a batch import costs: 100 000 changes took
 * 4 s of triggers.  A batch import instead turns the connection's
 * triggers off while it writes its rows and keeps the same tables by
 * sets, in the same transaction:
 *
 *   before the rows are written: the persons and households the batch
 *   can move (those it touches, the members of the households it
 *   touches, the persons of its events, the households its persons
 *   belong to or move to), what they count in each kept count (taken
 *   out), their search keys (taken out), and how many of the touched
 *   rows exist;
 *
 *   after: where each person of a new event is now, what the same sets
 *   count now (added; a count that reaches zero is deleted), their
 *   search keys (inserted in key order, a third of the cost of random
 *   order), and the row counts by the difference.
 *
 * The result is the triggers' result, which check proves (every kept
 * table equal to its recount, the search keys equal to a replay's) and
 * the sync tests run after every merge.  The triggers off include the
 * capture triggers (capture is off during a merge anyway) and the
 * guards, so this is for ShelterDesk's own merge only, and
 * _sd_derive_free() always turns them on again.  A new trigger that
 * keeps derived state needs its twin here.
 */
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _SdDerive {
  SdStore  *store;
  sqlite3  *db;
  gboolean  triggers_off;
  GArray   *counted;   /* gint64 per counted table: touched rows that exist before */
};

/* Runs each statement of SQL, with SIGN bound to ?1 where it is used. */
static gboolean
run (SdDerive    *d,
     const char  *sql,
     gint64       sign,
     GError     **error)
{
  const char *next = sql;
  gint64 t0 = g_get_monotonic_time ();
  int rc = SQLITE_OK;

  while (rc == SQLITE_OK && next != NULL && *next != '\0')
    {
      sqlite3_stmt *stmt = NULL;

      rc = sqlite3_prepare_v2 (d->db, next, -1, &stmt, &next);
      if (rc != SQLITE_OK || stmt == NULL)
        break;
      if (sqlite3_bind_parameter_count (stmt) >= 1)
        sqlite3_bind_int64 (stmt, 1, sign);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        ;
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    {
      g_debug ("derive: %s", sqlite3_errmsg (d->db));
      _sd_store_set_error (d->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  g_debug ("derive: %.40s… in %.0f ms", sql, (g_get_monotonic_time () - t0) / 1000.0);
  return TRUE;
}

/* How many touched rows of the counted TABLE exist. */
static gboolean
count_touched (SdDerive    *d,
               const char  *table,
               gint64      *out_n,
               GError     **error)
{
  /* Table names are ShelterDesk's own constants. */
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM temp.sync_touched x JOIN \"%s\" t "
                                          "ON t.id = sd_row_id (x.row_id) "
                                          "WHERE x.tbl = (SELECT n FROM oplog_tables WHERE name = '%s')",
                                          table, table);
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (d->db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      _sd_store_set_error (d->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  return TRUE;
}

static void
set_triggers (SdDerive *d,
              gboolean  on)
{
  sqlite3_db_config (d->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, NULL);
  d->triggers_off = !on;
}

/* The table number of NAME and the JSON path of its field FIELD in an
 * op-log row's fields ("$.\"N\""), as SQL text. */
#define TABLE_N(name) "(SELECT n FROM oplog_tables WHERE name = '" name "')"
#define FIELD_PATH(table, field) \
  "('$.\"' || (SELECT f.n FROM oplog_fields f WHERE f.tbl = " TABLE_N (table) " AND f.name = '" field "') || '\"')"

/* The search keys of the persons in the set, as the person_keys
 * triggers make them. */
#define PERSON_KEYS \
  "SELECT k.value, p.id FROM temp.derive_persons d JOIN persons p ON p.id = d.id, " \
  "  json_each (sd_search_keys (p.name, p.kana, " \
  "    coalesce (p.phone, (SELECT phone FROM households WHERE id = p.household_id)), p.birth_date)) k"

static const char sets_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS derive_persons (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
  "CREATE TEMP TABLE IF NOT EXISTS derive_households (id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;"
  "DELETE FROM temp.derive_persons; DELETE FROM temp.derive_households;"
  /* Persons the batch touches, the members of the households it touches,
   * and the person of each event it touches (from the event's changes:
   * a new event is not in its table yet). */
  "INSERT OR IGNORE INTO temp.derive_persons (id) "
  "  SELECT sd_row_id (row_id) FROM temp.sync_touched WHERE tbl = " TABLE_N ("persons") ";"
  "INSERT OR IGNORE INTO temp.derive_persons (id) "
  "  SELECT p.id FROM temp.sync_touched t JOIN persons p ON p.household_id = sd_row_id (t.row_id) "
  "  WHERE t.tbl = " TABLE_N ("households") ";"
  "INSERT OR IGNORE INTO temp.derive_persons (id) "
  "  SELECT v FROM (SELECT json_extract (o.fields, " FIELD_PATH ("person_events", "person_id") ") AS v "
  "    FROM temp.sync_touched t JOIN oplog o ON o.tbl = t.tbl AND o.row_id = t.row_id "
  "    WHERE t.tbl = " TABLE_N ("person_events") ") WHERE v IS NOT NULL;"
  /* Households the batch touches, those its persons belong to now, and
   * every household its persons' changes name (where they move to). */
  "INSERT OR IGNORE INTO temp.derive_households (id) "
  "  SELECT sd_row_id (row_id) FROM temp.sync_touched WHERE tbl = " TABLE_N ("households") ";"
  "INSERT OR IGNORE INTO temp.derive_households (id) "
  "  SELECT p.household_id FROM temp.derive_persons d JOIN persons p ON p.id = d.id;"
  "INSERT OR IGNORE INTO temp.derive_households (id) "
  "  SELECT v FROM (SELECT json_extract (o.fields, " FIELD_PATH ("persons", "household_id") ") AS v "
  "    FROM temp.sync_touched t JOIN oplog o ON o.tbl = t.tbl AND o.row_id = t.row_id "
  "    WHERE t.tbl = " TABLE_N ("persons") ") WHERE v IS NOT NULL;";

/* Where each person of a touched event is: their newest event, as
 * person_state_follow keeps it, and the same way: every touched event
 * in turn, each replacing the row only when newer by (hlc, id), so the
 * row left is the newest of the held one and all of them, whatever the
 * order.  (Picking each person's newest first, by a window function,
 * sorted every event by person and time: three times the cost, 100 000
 * changes at HQ.)  In person order, the order of the table's key. */
static const char state_sql[] =
  "INSERT INTO person_state (person_id, event_id, kind, shelter_id, at, hlc) "
  "SELECT e.person_id, e.id, e.kind, e.shelter_id, e.at, e.hlc "
  "FROM temp.sync_touched t JOIN person_events e ON e.id = sd_row_id (t.row_id) "
  "WHERE t.tbl = " TABLE_N ("person_events") " AND e.kind != 'supply' ORDER BY e.person_id "
  "ON CONFLICT (person_id) DO UPDATE SET event_id = excluded.event_id, kind = excluded.kind, "
  "  shelter_id = excluded.shelter_id, at = excluded.at, hlc = excluded.hlc "
  "WHERE (excluded.hlc, excluded.event_id) > (person_state.hlc, person_state.event_id)";

/* Each person's newest answer to each roll-call that a touched answer
 * belongs to, as safety_state_follow keeps it: every touched answer is
 * offered, and the upsert keeps only one newer than what is there, so
 * the order they come in does not matter (as for person_state). */
static const char safety_state_sql[] =
  "INSERT INTO safety_state (rollcall_id, staff_id, answer_id, answered_at, hlc, safety, can_report, arrival) "
  "SELECT a.rollcall_id, a.staff_id, a.id, a.answered_at, a.hlc, a.safety, a.can_report, a.arrival "
  "FROM temp.sync_touched t JOIN safety_answers a ON a.id = sd_row_id (t.row_id) "
  "WHERE t.tbl = " TABLE_N ("safety_answers") " "
  "ON CONFLICT (rollcall_id, staff_id) DO UPDATE SET answer_id = excluded.answer_id, "
  "  answered_at = excluded.answered_at, hlc = excluded.hlc, safety = excluded.safety, "
  "  can_report = excluded.can_report, arrival = excluded.arrival "
  "WHERE (excluded.answered_at, excluded.hlc, excluded.answer_id) "
  "  > (safety_state.answered_at, safety_state.hlc, safety_state.answer_id)";

/* Each listed person's newest status report, as support_state_follow
 * keeps it, the same way. */
static const char support_state_sql[] =
  "INSERT INTO support_state (support_person_id, report_id, status, shelter_id, reported_at, hlc) "
  "SELECT r.support_person_id, r.id, r.status, r.shelter_id, r.reported_at, r.hlc "
  "FROM temp.sync_touched t JOIN support_reports r ON r.id = sd_row_id (t.row_id) "
  "WHERE t.tbl = " TABLE_N ("support_reports") " "
  "ON CONFLICT (support_person_id) DO UPDATE SET report_id = excluded.report_id, status = excluded.status, "
  "  shelter_id = excluded.shelter_id, reported_at = excluded.reported_at, hlc = excluded.hlc "
  "WHERE (excluded.reported_at, excluded.hlc, excluded.report_id) "
  "  > (support_state.reported_at, support_state.hlc, support_state.report_id)";

/* What the sets count in each kept table, times SIGN, into its delta. */
static gboolean
take_contributions (SdDerive  *d,
                    gint64     sign,
                    GError   **error)
{
  const char *table, *contribution;

  for (guint i = 0; (table = _sd_aggregate_contribution (i, &contribution)) != NULL; i++)
    {
      /* Table names and queries are ShelterDesk's own constants. */
      g_autofree char *sql = g_strdup_printf ("INSERT INTO temp.\"derive_%s\" %s", table, contribution);

      if (!run (d, sql, sign, error))
        return FALSE;
    }
  return TRUE;
}

/* Adds each table's delta to it: its key columns are its primary key,
 * the rest are counts.  A row whose counts all reach zero goes, as the
 * triggers do, except the one row of a table keyed by an integer. */
static gboolean
apply_delta (SdDerive    *d,
             const char  *table,
             GError     **error)
{
  g_autofree char *info_sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", table);
  g_autoptr(GString) keys = g_string_new (NULL), sums = g_string_new (NULL), adds = g_string_new (NULL);
  g_autoptr(GString) zero = g_string_new (NULL), names = g_string_new (NULL);
  g_autofree char *upsert = NULL, *remove = NULL;
  gboolean rowid_key = FALSE;
  sqlite3_stmt *info = NULL;

  if (sqlite3_prepare_v2 (d->db, info_sql, -1, &info, NULL) != SQLITE_OK)
    {
      _sd_store_set_error (d->store, sqlite3_errcode (d->db), _("merge the batch"), error);
      return FALSE;
    }
  while (sqlite3_step (info) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (info, 1);

      g_string_append_printf (names, "%s\"%s\"", names->len > 0 ? ", " : "", name);
      if (sqlite3_column_int (info, 5) > 0)
        {
          g_string_append_printf (keys, "%s\"%s\"", keys->len > 0 ? ", " : "", name);
          rowid_key |= g_ascii_strcasecmp ((const char *) sqlite3_column_text (info, 2), "INTEGER") == 0;
          g_string_append_printf (sums, "%s\"%s\"", sums->len > 0 ? ", " : "", name);
        }
      else
        {
          g_string_append_printf (sums, "%ssum (\"%s\")", sums->len > 0 ? ", " : "", name);
          g_string_append_printf (adds, "%s\"%s\" = \"%s\" + excluded.\"%s\"", adds->len > 0 ? ", " : "",
                                  name, name, name);
          g_string_append_printf (zero, " AND \"%s\" = 0", name);
        }
    }
  sqlite3_finalize (info);

  upsert = g_strdup_printf ("INSERT INTO \"%s\" (%s) SELECT %s FROM temp.\"derive_%s\" WHERE 1 GROUP BY %s "
                            "ON CONFLICT (%s) DO UPDATE SET %s",
                            table, names->str, sums->str, table, keys->str, keys->str, adds->str);
  remove = g_strdup_printf ("DELETE FROM \"%s\" WHERE (%s) IN (SELECT %s FROM temp.\"derive_%s\")%s",
                            table, keys->str, keys->str, table, zero->str);
  return run (d, upsert, 0, error) && (rowid_key || run (d, remove, 0, error));
}

/* The search keys to insert, sorted.  A key is 10 bytes on average:
 * its first 16 sit in the row itself, zero padded, so that the sort
 * compares them as two big-endian integers and the insert reads them
 * in the order it writes them (from an arena, after the sort, every
 * key was a cache miss).  The rest of a longer key and the person ids
 * sit in one arena, by offset: one allocation instead of one a key.
 * The id's length spares the insert a strlen() of text out of cache. */
#define KEY_HEAD 16

typedef struct {
  char    head[KEY_HEAD];
  guint32 len;
  guint32 tail;    /* the whole key in the arena, when LEN > KEY_HEAD */
  guint32 id;      /* the person id in the arena */
  guint32 id_len;
} KeyRow;

G_STATIC_ASSERT (sizeof (KeyRow) == 32);

typedef struct {
  GString *arena;
  GArray  *rows;  /* KeyRow */
} KeyRows;

static inline guint64
head_word (const KeyRow *row,
           guint         i)
{
  guint64 word;

  memcpy (&word, row->head + 8 * i, sizeof word);
  return GUINT64_FROM_BE (word);
}

/* The order of SQLite's BINARY collation on (key, person_id), which
 * strcmp() gives on text without NULs: the heads, then the rest of
 * keys longer than a head (equal heads of a full length: both are at
 * least that long), then the ids, whose offsets are in id order
 * because insert_keys() reads the persons in id order. */
static int
compare_key_rows (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const KeyRow *x = a, *y = b;
  const char *arena = user_data;
  guint64 u, v;

  for (guint i = 0; i < KEY_HEAD / 8; i++)
    if ((u = head_word (x, i)) != (v = head_word (y, i)))
      return u < v ? -1 : 1;
  if (x->len > KEY_HEAD || y->len > KEY_HEAD)
    {
      int c = strcmp (x->len > KEY_HEAD ? arena + x->tail + KEY_HEAD : "",
                      y->len > KEY_HEAD ? arena + y->tail + KEY_HEAD : "");

      if (c != 0)
        return c;
    }
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Sorts N rows by compare_key_rows() with SCRATCH room for as many:
 * a most-significant-byte radix sort on the heads from byte DEPTH on,
 * which reads and moves each row a few times instead of comparing it
 * some twenty times through a function pointer (for the bench's 444 480
 * keys, three quarters of the time of g_array_sort() or less); small
 * buckets, and rows whose heads are all equal, are left to the
 * comparison.  It recurses KEY_HEAD deep at most, 4 KiB a level. */
static void
sort_key_rows (KeyRow     *rows,
               KeyRow     *scratch,
               gsize       n,
               guint       depth,
               const char *arena)
{
  gsize count[256] = { 0 }, at[256];
  gsize start = 0;

  if (n <= 32 || depth == KEY_HEAD)
    {
      g_qsort_with_data (rows, n, sizeof (KeyRow), compare_key_rows, (gpointer) arena);
      return;
    }
  for (gsize i = 0; i < n; i++)
    count[(guchar) rows[i].head[depth]]++;
  for (guint b = 0; b < 256; b++)
    {
      at[b] = start;
      start += count[b];
    }
  for (gsize i = 0; i < n; i++)
    scratch[at[(guchar) rows[i].head[depth]]++] = rows[i];
  memcpy (rows, scratch, n * sizeof (KeyRow));
  start = 0;
  for (guint b = 0; b < 256; b++)
    {
      /* Byte 0: the keys ended before DEPTH, so they are equal. */
      if (count[b] > 1)
        sort_key_rows (rows + start, scratch + start, count[b], b == 0 ? KEY_HEAD : depth + 1, arena);
      start += count[b];
    }
}

/* A table-valued function over a KeyRows bound as a pointer, so that
 * one INSERT … SELECT writes the sorted rows: a statement stepped once
 * a row cost twice as much, in its start, binds and reset, and in the
 * seek from the root that a cursor kept open skips when the next key is
 * on the same leaf.  Only insert_keys() uses it. */
#define KEY_ROWS_POINTER "sd-derive-key-rows"

typedef struct {
  sqlite3_vtab_cursor  base;
  const KeyRows       *rows;
  guint                i;
} KeyRowsCursor;

static int
key_rows_connect (sqlite3             *db,
                  void                *aux,
                  int                  argc,
                  const char * const  *argv,
                  sqlite3_vtab       **out_vtab,
                  char               **out_error)
{
  int rc = sqlite3_declare_vtab (db, "CREATE TABLE x (key TEXT, id TEXT, rows HIDDEN)");

  if (rc == SQLITE_OK)
    {
      *out_vtab = sqlite3_malloc (sizeof (sqlite3_vtab));
      if (*out_vtab == NULL)
        return SQLITE_NOMEM;
      memset (*out_vtab, 0, sizeof (sqlite3_vtab));
    }
  return rc;
}

static int
key_rows_disconnect (sqlite3_vtab *vtab)
{
  sqlite3_free (vtab);
  return SQLITE_OK;
}

/* The rows argument (column 2) is required: without it there is no
 * table to read. */
static int
key_rows_best_index (sqlite3_vtab       *vtab,
                     sqlite3_index_info *info)
{
  for (int i = 0; i < info->nConstraint; i++)
    if (info->aConstraint[i].iColumn == 2 && info->aConstraint[i].op == SQLITE_INDEX_CONSTRAINT_EQ &&
        info->aConstraint[i].usable)
      {
        info->aConstraintUsage[i].argvIndex = 1;
        info->aConstraintUsage[i].omit = 1;
        info->estimatedCost = 1;
        return SQLITE_OK;
      }
  return SQLITE_CONSTRAINT;
}

static int
key_rows_open (sqlite3_vtab         *vtab,
               sqlite3_vtab_cursor **out_cursor)
{
  KeyRowsCursor *cursor = sqlite3_malloc (sizeof (KeyRowsCursor));

  if (cursor == NULL)
    return SQLITE_NOMEM;
  memset (cursor, 0, sizeof (KeyRowsCursor));
  *out_cursor = &cursor->base;
  return SQLITE_OK;
}

static int
key_rows_close (sqlite3_vtab_cursor *cursor)
{
  sqlite3_free (cursor);
  return SQLITE_OK;
}

static int
key_rows_filter (sqlite3_vtab_cursor  *base,
                 int                   index_num,
                 const char           *index_str,
                 int                   argc,
                 sqlite3_value       **argv)
{
  KeyRowsCursor *cursor = (KeyRowsCursor *) base;

  cursor->rows = argc == 1 ? sqlite3_value_pointer (argv[0], KEY_ROWS_POINTER) : NULL;
  cursor->i = 0;
  return SQLITE_OK;
}

static int
key_rows_next (sqlite3_vtab_cursor *base)
{
  ((KeyRowsCursor *) base)->i++;
  return SQLITE_OK;
}

static int
key_rows_eof (sqlite3_vtab_cursor *base)
{
  KeyRowsCursor *cursor = (KeyRowsCursor *) base;

  return cursor->rows == NULL || cursor->i >= cursor->rows->rows->len;
}

static int
key_rows_column (sqlite3_vtab_cursor *base,
                 sqlite3_context     *context,
                 int                  column)
{
  KeyRowsCursor *cursor = (KeyRowsCursor *) base;
  const KeyRow *row = &g_array_index (cursor->rows->rows, KeyRow, cursor->i);

  if (column == 0)
    sqlite3_result_text (context, row->len > KEY_HEAD ? cursor->rows->arena->str + row->tail : row->head,
                         row->len, SQLITE_STATIC);
  else if (column == 1)
    sqlite3_result_text (context, cursor->rows->arena->str + row->id, row->id_len, SQLITE_STATIC);
  return SQLITE_OK;
}

static int
key_rows_rowid (sqlite3_vtab_cursor *base,
                sqlite3_int64       *out_rowid)
{
  *out_rowid = ((KeyRowsCursor *) base)->i;
  return SQLITE_OK;
}

static const sqlite3_module key_rows_module = {
  .xConnect = key_rows_connect,
  .xBestIndex = key_rows_best_index,
  .xDisconnect = key_rows_disconnect,
  .xOpen = key_rows_open,
  .xClose = key_rows_close,
  .xFilter = key_rows_filter,
  .xNext = key_rows_next,
  .xEof = key_rows_eof,
  .xColumn = key_rows_column,
  .xRowid = key_rows_rowid,
};

/* Copies TEXT of LEN bytes and its NUL into the arena; its offset. */
static guint32
arena_add (GString    *arena,
           const char *text,
           gsize       len)
{
  guint32 at = arena->len;

  g_string_append_len (arena, text, len + 1);
  return at;
}

static void
add_key_row (KeyRows    *rows,
             const char *key,
             guint32     id,
             guint32     id_len)
{
  KeyRow row = { .len = strlen (key), .id = id, .id_len = id_len };

  memcpy (row.head, key, MIN (row.len, KEY_HEAD));
  if (row.len > KEY_HEAD)
    row.tail = arena_add (rows->arena, key, row.len);
  g_array_append_val (rows->rows, row);
}

/* The search keys of the persons in the set, inserted in key order (a
 * third of what random order costs): the same list sd_search_keys()
 * gives the triggers, without its JSON. */
static gboolean
insert_keys (SdDerive  *d,
             GError   **error)
{
  KeyRows rows = { NULL, NULL };
  sqlite3_stmt *read = NULL, *insert = NULL;
  KeyRow *scratch;
  gint64 n_persons = 0, t_keys = g_get_monotonic_time ();
  int rc;

  /* Room for what a person takes, some ten keys and their id, at once:
   * growing by doubling copied it all and faulted in fresh pages twice. */
  rc = sqlite3_prepare_v2 (d->db, "SELECT count (*) FROM temp.derive_persons", -1, &read, NULL);
  if (rc == SQLITE_OK && sqlite3_step (read) == SQLITE_ROW)
    n_persons = sqlite3_column_int64 (read, 0);
  sqlite3_finalize (read);
  rows.arena = g_string_sized_new (MIN (n_persons, G_MAXUINT32 / 64) * 64);
  rows.rows = g_array_sized_new (FALSE, FALSE, sizeof (KeyRow), MIN (n_persons, G_MAXUINT32 / 64) * 12);

  /* A join, not a subquery a person: the same phone, as households.id
   * is unique.  In id order, which compare_key_rows() counts on. */
  rc = sqlite3_prepare_v2 (d->db, "SELECT p.id, p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date "
                                  "FROM temp.derive_persons d JOIN persons p ON p.id = d.id "
                                  "LEFT JOIN households h ON h.id = p.household_id ORDER BY d.id",
                           -1, &read, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      const char *id_text = (const char *) sqlite3_column_text (read, 0);
      guint32 id_len = sqlite3_column_bytes (read, 0);
      guint32 id = arena_add (rows.arena, id_text, id_len);
      g_autoptr(GPtrArray) keys = _sd_person_search_key_list ((const char *) sqlite3_column_text (read, 1),
                                                              (const char *) sqlite3_column_text (read, 2),
                                                              (const char *) sqlite3_column_text (read, 3),
                                                              (const char *) sqlite3_column_text (read, 4));

      for (guint k = 0; k < keys->len; k++)
        add_key_row (&rows, g_ptr_array_index (keys, k), id, id_len);
      rc = SQLITE_OK;
    }
  sqlite3_finalize (read);
  g_debug ("derive: search keys computed in %.0f ms", (g_get_monotonic_time () - t_keys) / 1000.0);
  /* Offsets are 32 bits. */
  if (rows.arena->len > G_MAXUINT32)
    rc = SQLITE_TOOBIG;
  t_keys = g_get_monotonic_time ();
  scratch = g_new (KeyRow, MAX (rows.rows->len, 1));
  sort_key_rows ((KeyRow *) rows.rows->data, scratch, rows.rows->len, 0, rows.arena->str);
  g_free (scratch);
  g_debug ("derive: search keys sorted in %.0f ms", (g_get_monotonic_time () - t_keys) / 1000.0);
  /* Registered here, again at each merge (a module of the same name is
   * replaced), so that nothing outside this file can read it. */
  if (rc == SQLITE_DONE)
    rc = sqlite3_create_module (d->db, "sd_derive_key_rows", &key_rows_module, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (d->db, "INSERT OR IGNORE INTO person_keys (key, person_id) "
                                    "SELECT key, id FROM sd_derive_key_rows (?1)", -1, &insert, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (insert, 1, &rows, KEY_ROWS_POINTER, NULL);
      rc = sqlite3_step (insert) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (d->db);
    }
  sqlite3_finalize (insert);
  g_string_free (rows.arena, TRUE);
  g_array_unref (rows.rows);
  if (rc != SQLITE_OK)
    {
      _sd_store_set_error (d->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  return TRUE;
}

SdDerive *
_sd_derive_begin (SdStore  *store,
                  GError  **error)
{
  g_autoptr(SdDerive) d = g_new0 (SdDerive, 1);
  const char *table, *contribution;

  d->store = store;
  d->db = _sd_store_get_db (store);
  d->counted = g_array_new (FALSE, TRUE, sizeof (gint64));

  if (!run (d, sets_sql, 0, error))
    return NULL;
  for (guint i = 0; (table = _sd_aggregate_contribution (i, &contribution)) != NULL; i++)
    {
      /* The delta of each kept table: its columns, none of its rules. */
      g_autofree char *sql = g_strdup_printf ("CREATE TEMP TABLE IF NOT EXISTS \"derive_%s\" AS "
                                              "SELECT * FROM \"%s\" WHERE 0; DELETE FROM temp.\"derive_%s\";",
                                              table, table, table);

      if (!run (d, sql, 0, error))
        return NULL;
    }
  if (!take_contributions (d, -1, error) ||
      !run (d, "DELETE FROM person_keys WHERE (key, person_id) IN (" PERSON_KEYS ")", 0, error))
    return NULL;
  for (guint i = 0; (table = _sd_counted_table (i)) != NULL; i++)
    {
      gint64 n = 0;

      if (!count_touched (d, table, &n, error))
        return NULL;
      g_array_append_val (d->counted, n);
    }
  set_triggers (d, FALSE);
  return g_steal_pointer (&d);
}

/* Everything here is written with the triggers still off: they would
 * count the new state and the counts a second time. */
gboolean
_sd_derive_end (SdDerive  *d,
                GError   **error)
{
  const char *table, *contribution;
  gint64 t0;

  if (!run (d, state_sql, 0, error) ||
      !run (d, safety_state_sql, 0, error) ||
      !run (d, support_state_sql, 0, error) ||
      !take_contributions (d, 1, error))
    return FALSE;
  for (guint i = 0; (table = _sd_aggregate_contribution (i, &contribution)) != NULL; i++)
    if (!apply_delta (d, table, error))
      return FALSE;
  t0 = g_get_monotonic_time ();
  if (!insert_keys (d, error))
    return FALSE;
  g_debug ("derive: search keys in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  for (guint i = 0; (table = _sd_counted_table (i)) != NULL; i++)
    {
      gint64 now = 0;
      g_autofree char *sql = NULL;

      if (!count_touched (d, table, &now, error))
        return FALSE;
      /* Table names are ShelterDesk's own constants. */
      sql = g_strdup_printf ("UPDATE table_counts SET n = n + (%lld) WHERE name = '%s'",
                             (long long) (now - g_array_index (d->counted, gint64, i)), table);
      if (!run (d, sql, 0, error))
        return FALSE;
    }
  set_triggers (d, TRUE);
  return TRUE;
}

void
_sd_derive_free (SdDerive *d)
{
  if (d->triggers_off)
    set_triggers (d, TRUE);
  g_array_unref (d->counted);
  g_free (d);
}
