/* sd-pg-merge.c: batches merged into PostgreSQL by COPY and set-based SQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule is SQLite's (sd-replay.c): per field, the change with the
 * greatest (hlc, site id) wins; a row's newest deletion removes it unless
 * a newer creation made it again, which keeps only what was written from
 * then on; a field no change named has its column's default.  Every one
 * of those is a maximum, so PostgreSQL keeps the maxima themselves and
 * folds each batch into them with upserts that are commutative and
 * idempotent, whichever receiver runs them and in whatever order:
 *
 *   sd_stage     the batch's operations, streamed in with COPY;
 *   oplog        the new ones, keyed by (site, seq): INSERT … ON CONFLICT
 *                DO NOTHING, so each change is new in exactly one
 *                transaction however many receivers hold its batch; a
 *                different change under a held number is a cloned site;
 *   sd_fields    the new changes' fields, read from JSON once, checked
 *                against the op-log's field numbers;
 *   sync_holds   per origin, the highest number below the first hole;
 *   sync_rows    per row the newest creation and deletion, as an upsert
 *                … ON CONFLICT DO UPDATE SET created = greatest (…); it
 *                also locks the row to the commit, so that two receivers
 *                never make the same row at once, and the second sees
 *                the first's changes;
 *   the tables   the touched rows made again from the op-log: per field
 *                the value of the row's change with the greatest (hlc,
 *                site id), by SELECT DISTINCT ON over the op-log's index
 *                of each row's changes (a row has a few; keeping the
 *                newest value of every field in a table of its own cost
 *                an upsert per field, more than the rest of the merge);
 *   the states   where each person is, each answer and report, by the
 *                upserts SQLite's triggers run (sd-migrations.c).
 *
 * One transaction per batch: a failed or interrupted batch leaves
 * nothing, and is merged whole when it comes again.  Two receivers that
 * wait on each other (PostgreSQL ends one with a deadlock) run the loser
 * again.
 */
#include "sd-pg-private.h"

#include "sd-json.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define COPY_CHUNK (1 << 20)
#define TAKE_CHUNK 100000
#define RETRIES 8

static const char stage_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS sd_stage ("
  "  site_id text COLLATE \"C\", seq bigint, txn bigint, hlc bigint, kind smallint,"
  "  tbl text COLLATE \"C\", row_id text COLLATE \"C\", fields text) ON COMMIT DELETE ROWS;"
  "CREATE TEMP TABLE IF NOT EXISTS sd_new (LIKE sd_stage) ON COMMIT DELETE ROWS;"
  "CREATE TEMP TABLE IF NOT EXISTS sd_fields ("
  "  tbl text COLLATE \"C\", row_id text COLLATE \"C\", key text, hlc bigint, site_id text COLLATE \"C\","
  "  value jsonb) ON COMMIT DELETE ROWS;"
  "CREATE TEMP TABLE IF NOT EXISTS sd_touched ("
  "  tbl text COLLATE \"C\", row_id text COLLATE \"C\", PRIMARY KEY (tbl, row_id)) ON COMMIT DELETE ROWS";

/* ---- COPY ---- */

typedef struct {
  SdPgStore *pg;
  GString   *buffer;
} Copy;

static void
append_escaped (GString    *out,
                const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "\\N");
      return;
    }
  for (const char *p = text; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (out, "\\\\"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      default: g_string_append_c (out, *p);
      }
}

static gboolean
copy_flush (Copy     *copy,
            GError  **error)
{
  if (copy->buffer->len > 0 &&
      PQputCopyData (_sd_pg_store_get_conn (copy->pg), copy->buffer->str, (int) copy->buffer->len) != 1)
    {
      _sd_pg_set_error (copy->pg, NULL, _("store the batch"), error);
      return FALSE;
    }
  g_string_truncate (copy->buffer, 0);
  return TRUE;
}

/* One operation as a line of COPY's text format. */
static void
append_line (GString     *out,
             const char  *site,
             gint64       seq,
             gint64       txn,
             gint64       hlc,
             gint64       kind,
             const char  *tbl,
             const char  *row_id,
             const char  *fields)
{
  append_escaped (out, site);
  g_string_append_printf (out, "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT
                          "\t%" G_GINT64_FORMAT "\t", seq, txn, hlc, kind);
  append_escaped (out, tbl);
  g_string_append_c (out, '\t');
  append_escaped (out, row_id);
  g_string_append_c (out, '\t');
  append_escaped (out, fields);
  g_string_append_c (out, '\n');
}

static gboolean
copy_op (const SdSyncOp  *op,
         gint64           index,
         gpointer         user_data,
         GError         **error)
{
  Copy *copy = user_data;

  append_line (copy->buffer, op->site, op->seq, op->txn, op->hlc, op->kind, op->tbl, op->row_id,
               op->deletion ? NULL : op->packed);
  return copy->buffer->len < COPY_CHUNK || copy_flush (copy, error);
}

static gboolean
copy_begin (SdPgStore  *pg,
            Copy       *copy,
            GError    **error)
{
  copy->pg = pg;
  copy->buffer = g_string_sized_new (COPY_CHUNK + 4096);
  return _sd_pg_exec (pg, _("store the batch"), stage_sql, error) &&
         _sd_pg_exec (pg, _("store the batch"), "COPY sd_stage FROM STDIN", error);
}

/* Ends the COPY: with the rows sent when OK, else abandoned. */
static gboolean
copy_end (Copy      *copy,
          gboolean   ok,
          GError   **error)
{
  PGconn *conn = _sd_pg_store_get_conn (copy->pg);
  PGresult *res;

  ok = ok && copy_flush (copy, error);
  g_string_free (g_steal_pointer (&copy->buffer), TRUE);
  if (PQputCopyEnd (conn, ok ? NULL : "the batch was refused") != 1 && ok)
    {
      _sd_pg_set_error (copy->pg, NULL, _("store the batch"), error);
      ok = FALSE;
    }
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          _sd_pg_set_error (copy->pg, res, _("store the batch"), error);
          ok = FALSE;
        }
      PQclear (res);
    }
  return ok;
}

/* ---- the merge of what is staged ---- */

static gint64
count_of (SdPgStore   *pg,
          const char  *what,
          const char  *sql,
          GError     **error)
{
  g_autoptr(PGresult) res = _sd_pg_query (pg, what, sql, 0, NULL, error);

  if (res == NULL)
    return -1;
  return PQntuples (res) > 0 ? g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) : 0;
}

static gint64
command_count (SdPgStore   *pg,
               const char  *what,
               const char  *sql,
               GError     **error)
{
  g_autoptr(PGresult) res = _sd_pg_query (pg, what, sql, 0, NULL, error);

  return res != NULL ? g_ascii_strtoll (PQcmdTuples (res), NULL, 10) : -1;
}

/* "('shelters', 'households', …)": the synced tables, for IN. */
static const char *
synced_list (GPtrArray *tables)
{
  static char *list;

  if (g_once_init_enter (&list))
    {
      GString *names = g_string_new ("(");

      for (guint i = 0; i < tables->len; i++)
        {
          const SdPgTable *t = g_ptr_array_index (tables, i);

          if (t->synced)
            g_string_append_printf (names, "%s'%s'", names->len > 1 ? ", " : "", t->name);
        }
      g_string_append_c (names, ')');
      g_once_init_leave (&list, g_string_free (names, FALSE));
    }
  return list;
}

static gboolean
bad_changes (gint64   bad,
             GError **error)
{
  if (bad > 0)
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                 _("%lld changes of the batch name a table or field this ShelterDesk does not have, although "
                   "the batch is signed: nothing was merged; keep the file for HQ."), (long long) bad);
  return bad == 0;
}

/* The new operations name the op-log's tables and their fields only (the
 * site's own table is in the op-log, never synced: its changes are kept,
 * as SQLite keeps them, and make no row).  Their fields are read from
 * JSON once, into sd_fields, for the check and the merge. */
static gboolean
read_fields (SdPgStore  *pg,
             GError    **error)
{
  gint64 bad = count_of (pg, _("check the batch"),
                         "SELECT count (*) FROM sd_new n "
                         "WHERE NOT EXISTS (SELECT 1 FROM oplog_fields o WHERE o.tbl = n.tbl) "
                         "  OR (n.fields IS NOT NULL AND left (n.fields, 1) <> '{')", error);

  if (bad != 0)
    return bad > 0 && bad_changes (bad, error);
  if (!_sd_pg_exec (pg, _("check the batch"),
                    "INSERT INTO sd_fields SELECT n.tbl, n.row_id, f.key, n.hlc, n.site_id, f.value "
                    "FROM sd_new n CROSS JOIN LATERAL jsonb_each (n.fields::jsonb) f WHERE n.fields IS NOT NULL",
                    error))
    return FALSE;
  bad = count_of (pg, _("check the batch"),
                  /* A hash join on the field's key as text: a field
                   * number that is not a number is no field either. */
                  "SELECT count (*) FROM sd_fields f "
                  "  LEFT JOIN (SELECT tbl, n::text AS key FROM oplog_fields) o USING (tbl, key) "
                  "WHERE o.key IS NULL OR jsonb_typeof (f.value) NOT IN ('string', 'number', 'null')", error);
  return bad >= 0 && bad_changes (bad, error);
}

static gboolean
check_contradictions (SdPgStore  *pg,
                      GError    **error)
{
  gint64 n = count_of (pg, _("check the batch"),
                       "SELECT count (*) FROM sd_stage s JOIN oplog o USING (site_id, seq) "
                       "WHERE (o.txn, o.hlc, o.kind, o.tbl, o.row_id, o.fields) IS DISTINCT FROM "
                       "  (s.txn, s.hlc, s.kind, s.tbl, s.row_id, s.fields)", error);

  if (n != 0)
    {
      if (n > 0)
        g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE,
                     _("This batch holds %lld changes whose numbers another change of the same site already has: "
                       "two kiosks share one identity (a copied disk?). Nothing was merged; give one of them a new "
                       "identity (docs/sync.md)."), (long long) n);
      return FALSE;
    }
  return TRUE;
}

/* The value of column C from V, the row's newest value of each field
 * (jsonb; a field no change named is absent). */
static void
append_value (GString          *sql,
              const SdPgColumn *c)
{
  g_string_append_printf (sql, "CASE WHEN v.v -> '%u' IS NULL THEN %s%s ELSE (v.v -> '%u' #>> '{}')%s END", c->field,
                          c->dflt != NULL ? c->dflt : "NULL", c->integer ? "::bigint" : "::text", c->field,
                          c->integer ? "::bigint" : "");
}

/* Makes the touched rows of T again from their changes in the op-log. */
static gboolean
make_rows (SdPgStore        *pg,
           const SdPgTable  *t,
           SdSyncImport     *result,
           GError          **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(PGresult) res = NULL;
  g_autofree char *remove = NULL;
  gint64 made, present;

  remove = g_strdup_printf ("DELETE FROM \"%s\" d USING sd_touched t WHERE t.tbl = '%s' AND d.id = t.row_id",
                            t->name, t->name);
  if (command_count (pg, _("merge the batch"), remove, error) < 0)
    return FALSE;

  /* The rows present (created, not deleted since) with their newest
   * values, made in one statement that also says how many there were:
   * those it could not make wait.  Per field, the newest of the row's
   * changes by (hlc, site id); after a deletion, a creation newer than
   * it keeps only what was written from then on. */
  g_string_append (sql, "WITH m AS MATERIALIZED (SELECT r.row_id");
  for (guint i = 1; i < t->columns->len; i++)
    {
      g_string_append (sql, ", ");
      append_value (sql, g_ptr_array_index (t->columns, i));
      g_string_append_printf (sql, " AS c%u", i);
    }
  g_string_append_printf (sql, " FROM sd_touched t JOIN sync_rows r ON r.tbl = t.tbl AND r.row_id = t.row_id "
                               "CROSS JOIN LATERAL (SELECT jsonb_object_agg (n.key, n.value) AS v FROM ("
                               "  SELECT DISTINCT ON (f.key) f.key, f.value"
                               "  FROM oplog o CROSS JOIN LATERAL jsonb_each (o.fields::jsonb) f"
                               "  WHERE o.tbl = r.tbl AND o.row_id = r.row_id AND o.fields IS NOT NULL"
                               "    AND (r.deleted = '' OR lpad (o.hlc::text, 20, '0') || o.site_id >= r.created)"
                               "  ORDER BY f.key, o.hlc DESC, o.site_id DESC, o.seq DESC) n) v "
                               "WHERE t.tbl = '%s' AND (r.deleted = '' OR r.created > r.deleted)), ", t->name);
  g_string_append_printf (sql, "made AS (INSERT INTO \"%s\" (", t->name);
  for (guint i = 0; i < t->columns->len; i++)
    g_string_append_printf (sql, "%s\"%s\"", i > 0 ? ", " : "", ((SdPgColumn *) g_ptr_array_index (t->columns, i))->name);
  g_string_append (sql, ") SELECT * FROM m");
  /* A row missing a value its table requires waits for the change
   * that brings it, as SQLite's does. */
  for (guint i = 1, first = TRUE; i < t->columns->len; i++)
    if (((SdPgColumn *) g_ptr_array_index (t->columns, i))->not_null)
      {
        g_string_append_printf (sql, " %s c%u IS NOT NULL", first ? "WHERE" : "AND", i);
        first = FALSE;
      }
  g_string_append (sql, " RETURNING 1) SELECT (SELECT count (*) FROM m), (SELECT count (*) FROM made)");
  res = _sd_pg_query (pg, _("merge the batch"), sql->str, 0, NULL, error);
  if (res == NULL)
    return FALSE;
  present = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  made = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  result->waiting += present - made;
  return TRUE;
}

/* Where each person is, each member of staff's answer and each listed
 * person's status: the upserts of SQLite's person_state_follow,
 * safety_state_follow and support_state_follow (sd-migrations.c), over
 * the touched rows of their event tables. */
static const char states_sql[] =
  "INSERT INTO person_state AS s (person_id, event_id, kind, shelter_id, at, hlc)"
  "  SELECT DISTINCT ON (e.person_id) e.person_id, e.id, e.kind, e.shelter_id, e.at, e.hlc"
  "  FROM sd_touched t JOIN person_events e ON e.id = t.row_id"
  "  WHERE t.tbl = 'person_events' AND e.kind != 'supply'"
  "  ORDER BY e.person_id, e.hlc DESC, e.id DESC"
  "  ON CONFLICT (person_id) DO UPDATE SET event_id = excluded.event_id, kind = excluded.kind,"
  "    shelter_id = excluded.shelter_id, at = excluded.at, hlc = excluded.hlc"
  "  WHERE (excluded.hlc, excluded.event_id) > (s.hlc, s.event_id);"
  "INSERT INTO safety_state AS s (rollcall_id, staff_id, answer_id, answered_at, hlc, safety, can_report, arrival)"
  "  SELECT DISTINCT ON (a.rollcall_id, a.staff_id) a.rollcall_id, a.staff_id, a.id, a.answered_at, a.hlc,"
  "    a.safety, a.can_report, a.arrival"
  "  FROM sd_touched t JOIN safety_answers a ON a.id = t.row_id"
  "  WHERE t.tbl = 'safety_answers'"
  "  ORDER BY a.rollcall_id, a.staff_id, a.answered_at DESC, a.hlc DESC, a.id DESC"
  "  ON CONFLICT (rollcall_id, staff_id) DO UPDATE SET answer_id = excluded.answer_id,"
  "    answered_at = excluded.answered_at, hlc = excluded.hlc, safety = excluded.safety,"
  "    can_report = excluded.can_report, arrival = excluded.arrival"
  "  WHERE (excluded.answered_at, excluded.hlc, excluded.answer_id) > (s.answered_at, s.hlc, s.answer_id);"
  "INSERT INTO support_state AS s (support_person_id, report_id, status, shelter_id, reported_at, hlc)"
  "  SELECT DISTINCT ON (r.support_person_id) r.support_person_id, r.id, r.status, r.shelter_id, r.reported_at,"
  "    r.hlc"
  "  FROM sd_touched t JOIN support_reports r ON r.id = t.row_id"
  "  WHERE t.tbl = 'support_reports'"
  "  ORDER BY r.support_person_id, r.reported_at DESC, r.hlc DESC, r.id DESC"
  "  ON CONFLICT (support_person_id) DO UPDATE SET report_id = excluded.report_id, status = excluded.status,"
  "    shelter_id = excluded.shelter_id, reported_at = excluded.reported_at, hlc = excluded.hlc"
  "  WHERE (excluded.reported_at, excluded.hlc, excluded.report_id)"
  "    > (s.reported_at, s.hlc, s.report_id)";

static gboolean
merge_staged (SdPgStore     *pg,
              SdSyncImport  *result,
              GError       **error)
{
  GPtrArray *tables = _sd_pg_schema_tables (error);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) touched_tables = NULL;
  gint64 applied, staged, touched;

  if (tables == NULL)
    return FALSE;

  applied = command_count (pg, _("merge the batch"),
                           "WITH ins AS (INSERT INTO oplog SELECT * FROM sd_stage ORDER BY site_id, seq "
                           "  ON CONFLICT (site_id, seq) DO NOTHING RETURNING *) "
                           "INSERT INTO sd_new SELECT * FROM ins", error);
  if (applied < 0)
    return FALSE;
  staged = count_of (pg, _("merge the batch"), "SELECT count (*) FROM sd_stage", error);
  /* Every change new: none can contradict one held. */
  if (staged < 0 || (applied < staged && !check_contradictions (pg, error)) || !read_fields (pg, error))
    return FALSE;
  /* What is held of each origin without a hole moves on from where it
   * was, along the changes now held (never past a hole).  Two receivers
   * at once may leave it short: it is only ever too low, which a kiosk
   * answers by sending again, and the next batch moves it on. */
  if (applied > 0 &&
      !_sd_pg_exec (pg, _("merge the batch"),
                    "INSERT INTO sync_holds (site_id, seq) SELECT DISTINCT site_id, 0 FROM sd_new "
                    "  ORDER BY site_id ON CONFLICT DO NOTHING;"
                    "UPDATE sync_holds h SET seq = (SELECT min (o.seq) FROM oplog o WHERE o.site_id = h.site_id "
                    "    AND o.seq > h.seq AND NOT EXISTS (SELECT 1 FROM oplog p WHERE p.site_id = o.site_id "
                    "      AND p.seq = o.seq + 1)) "
                    "  WHERE h.site_id IN (SELECT site_id FROM sd_new) "
                    "    AND EXISTS (SELECT 1 FROM oplog o WHERE o.site_id = h.site_id AND o.seq = h.seq + 1)",
                    error))
    return FALSE;
  result->applied += applied;
  result->already_had += staged - applied;
  if (applied == 0)
    return TRUE;

  /* Only the synced tables' rows are made. */
  sql = g_strdup_printf ("DELETE FROM sd_new WHERE tbl NOT IN %s; "
                         "INSERT INTO sd_touched SELECT tbl, row_id FROM sd_new GROUP BY tbl, row_id",
                         synced_list (tables));
  touched = command_count (pg, _("merge the batch"), sql, error);
  if (touched < 0)
    return FALSE;
  result->rows_changed += touched;
  if (touched > 1000 && !_sd_pg_exec (pg, _("merge the batch"), "ANALYZE sd_new; ANALYZE sd_touched", error))
    return FALSE;
  if (      !_sd_pg_exec (pg, _("merge the batch"),
                    /* Every touched row's lock, held to the commit: its
                     * making below sees every change merged before. */
                    "INSERT INTO sync_rows AS r (tbl, row_id, created, deleted)"
                    "  SELECT tbl, row_id,"
                    "    coalesce (max (lpad (hlc::text, 20, '0') || site_id) FILTER (WHERE kind IN (1, 4)), ''),"
                    "    coalesce (max (lpad (hlc::text, 20, '0') || site_id) FILTER (WHERE kind = 3), '')"
                    "  FROM sd_new GROUP BY tbl, row_id ORDER BY tbl, row_id"
                    "  ON CONFLICT (tbl, row_id) DO UPDATE SET created = greatest (r.created, excluded.created),"
                    "    deleted = greatest (r.deleted, excluded.deleted)", error) ||
      !_sd_pg_counts_before (pg, error))
    return FALSE;
  /* Only the tables the batch touched (most batches touch a few). */
  touched_tables = _sd_pg_query (pg, _("merge the batch"), "SELECT DISTINCT tbl FROM sd_touched", 0, NULL, error);
  if (touched_tables == NULL)
    return FALSE;
  for (guint i = 0; i < tables->len; i++)
    {
      const SdPgTable *t = g_ptr_array_index (tables, i);
      gboolean touched_here = FALSE;

      for (int r = 0; r < PQntuples (touched_tables) && !touched_here; r++)
        touched_here = g_str_equal (PQgetvalue (touched_tables, r, 0), t->name);
      if (t->synced && touched_here && !make_rows (pg, t, result, error))
        return FALSE;
    }
  return _sd_pg_exec (pg, _("merge the batch"), states_sql, error) && _sd_pg_counts_after (pg, error);
}

char *
sd_pg_store_get_holds (SdPgStore  *self,
                       GError    **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(json_t) holds = json_object ();

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  res = _sd_pg_query (self, _("read what is held"), "SELECT site_id, seq FROM sync_holds WHERE seq > 0", 0, NULL,
                      error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    json_object_set_new (holds, PQgetvalue (res, i, 0), json_integer (g_ascii_strtoll (PQgetvalue (res, i, 1),
                                                                                        NULL, 10)));
  /* As sd_sync_get_holds () writes it: HQ signs this very text. */
  return json_dumps (holds, JSON_COMPACT | JSON_SORT_KEYS);
}

/* ---- one transaction, tried again when two receivers collide ---- */

typedef struct {
  /* Streams the operations into COPY. */
  gboolean (*stage)  (SdPgStore *pg, Copy *copy, gpointer data, SdSyncImport *result, GError **error);
  /* After the merge, in its transaction; may be NULL. */
  gboolean (*finish) (SdPgStore *pg, gpointer data, SdSyncImport *result, GError **error);
  gpointer data;
} Work;

static gboolean
run_once (SdPgStore     *pg,
          const Work    *work,
          SdSyncImport  *result,
          GError       **error)
{
  Copy copy = { 0 };
  gboolean ok;

  ok = _sd_pg_exec (pg, _("begin a transaction"), "BEGIN", error) && copy_begin (pg, &copy, error);
  if (copy.buffer != NULL)
    ok = copy_end (&copy, ok && work->stage (pg, &copy, work->data, result, error), error);
  ok = ok && merge_staged (pg, result, error) && (work->finish == NULL || work->finish (pg, work->data, result, error)) &&
       _sd_pg_exec (pg, _("commit the batch"), "COMMIT", error);
  if (!ok)
    PQclear (PQexec (_sd_pg_store_get_conn (pg), "ROLLBACK"));
  return ok;
}

/* A table that has grown past twice its size since it was last analysed
 * is analysed now, after the commit: the plans of the next merges drive
 * from the batch's rows into the big tables' indexes only if PostgreSQL
 * knows the tables are big.  Autovacuum would, a minute or more later;
 * from an empty database on the first day, a minute of batches planned
 * for tables a hundredth of their size costs more than the analyses.
 * Best effort: the merge is committed whatever happens here. */
static void
refresh_statistics (SdPgStore *pg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) grown = NULL;

  grown = _sd_pg_query (pg, _("merge the batch"),
                        "SELECT quote_ident (relname) FROM pg_stat_user_tables "
                        "WHERE schemaname = current_schema () AND n_mod_since_analyze > 2000 AND 2 * n_mod_since_analyze > n_live_tup",
                        0, NULL, &error);
  for (int i = 0; grown != NULL && i < PQntuples (grown); i++)
    {
      g_autofree char *sql = g_strdup_printf ("ANALYZE %s", PQgetvalue (grown, i, 0));

      if (!_sd_pg_exec (pg, _("merge the batch"), sql, &error))
        break;
    }
  if (error != NULL)
    g_debug ("pg: statistics not refreshed: %s", error->message);
}

static gboolean
run_merge (SdPgStore     *pg,
           const Work    *work,
           SdSyncImport  *result,
           GError       **error)
{
  SdSyncImport before = *result;

  if (PQstatus (_sd_pg_store_get_conn (pg)) != CONNECTION_OK)
    PQreset (_sd_pg_store_get_conn (pg));
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local = NULL;

      if (run_once (pg, work, result, &local))
        {
          refresh_statistics (pg);
          return TRUE;
        }
      /* Nothing of the failed attempt was kept: nor are its counts. */
      result->operations = before.operations, result->applied = before.applied;
      result->already_had = before.already_had, result->rows_changed = before.rows_changed;
      result->waiting = before.waiting;
      if (attempt == RETRIES || !_sd_pg_error_is_retry (local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_debug ("pg: a merge collided with another receiver's (%s); again", local->message);
      g_usleep ((gulong) g_random_int_range (10, 100) * 1000 * attempt);
    }
}

/* ---- a batch ---- */

typedef struct {
  SdStore      *identity;
  GBytes       *bytes;
  GCancellable *cancellable;
  json_t       *header;
} Batch;

static gboolean
stage_batch (SdPgStore     *pg,
             Copy          *copy,
             gpointer       data,
             SdSyncImport  *result,
             GError       **error)
{
  Batch *b = data;
  SdSyncImport read = { 0 };
  gboolean ok;

  g_clear_pointer (&b->header, json_decref);
  ok = _sd_sync_read_batch (b->identity, b->bytes, &read, &b->header, copy_op, copy, b->cancellable, error);
  result->operations = read.operations;
  g_free (result->from_site), result->from_site = g_steal_pointer (&read.from_site);
  g_free (result->from_name), result->from_name = g_steal_pointer (&read.from_name);
  sd_sync_import_clear (&read);
  return ok;
}

static gboolean
record_batch (SdPgStore     *pg,
              gpointer       data,
              SdSyncImport  *result,
              GError       **error)
{
  Batch *b = data;
  g_autofree char *operations = g_strdup_printf ("%" G_GINT64_FORMAT, result->operations);
  g_autofree char *applied = g_strdup_printf ("%" G_GINT64_FORMAT, result->applied);
  const char *params[] = { result->sha256, result->from_site, operations, applied,
                           json_string_value (json_object_get (b->header, "prev")) };
  g_autoptr(PGresult) res = NULL;

  res = _sd_pg_query (pg, _("record the batch merged"),
                      "INSERT INTO sync_batches (sha256, from_site, operations, applied, prev, chain_broken) "
                      "VALUES ($1::text, $2::text, $3::bigint, $4::bigint, $5::text, $5::text IS NOT NULL AND NOT EXISTS ("
                      "  SELECT 1 FROM sync_batches WHERE sha256 = $5::text AND from_site = $2::text)) "
                      "ON CONFLICT (sha256) DO NOTHING RETURNING chain_broken", 5, params, error);
  if (res == NULL)
    return FALSE;
  result->chain_broken = PQntuples (res) > 0 && g_str_equal (PQgetvalue (res, 0, 0), "t");
  /* What the sender holds: HQ's next batch to it starts above. */
  return _sd_pg_take_acks (pg, result->from_site, json_object_get (b->header, "holds"), error);
}

gboolean
sd_pg_store_import_bytes (SdPgStore      *self,
                          SdStore        *identity,
                          GBytes         *bytes,
                          SdSyncImport   *result,
                          GCancellable   *cancellable,
                          GError        **error)
{
  Batch batch = { identity, bytes, cancellable, NULL };
  Work work = { stage_batch, record_batch, &batch };
  g_autoptr(PGresult) res = NULL;
  const char *params[1];
  gboolean ok;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_STORE (identity), FALSE);

  memset (result, 0, sizeof *result);
  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    result->sha256 = g_strdup (g_checksum_get_string (checksum));
  }
  params[0] = result->sha256;
  if (PQstatus (_sd_pg_store_get_conn (self)) != CONNECTION_OK)
    PQreset (_sd_pg_store_get_conn (self));
  res = _sd_pg_query (self, _("look up the batch"), "SELECT from_site, operations FROM sync_batches "
                      "WHERE sha256 = $1", 1, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      result->already_imported = TRUE;
      result->from_site = g_strdup (PQgetvalue (res, 0, 0));
      result->from_name = g_strdup (result->from_site);
      result->operations = result->already_had = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
      return TRUE;
    }
  /* Kiosks enrolled at another receiver's copy of HQ's file sign
   * batches this copy then knows. */
  ok = _sd_pg_share_peers (self, identity, TRUE, error) && run_merge (self, &work, result, error);
  g_clear_pointer (&batch.header, json_decref);
  return ok;
}

/* ---- a SQLite op-log ---- */

/* A chunk of changes read from the op-log, as COPY's text: sent again as
 * it is when its transaction collides with another receiver's. */
static gboolean
stage_text (SdPgStore     *pg,
            Copy          *copy,
            gpointer       data,
            SdSyncImport  *result,
            GError       **error)
{
  g_string_append_len (copy->buffer, ((GString *) data)->str, (gssize) ((GString *) data)->len);
  return copy_flush (copy, error);
}

static gboolean
take_batches (SdPgStore  *self,
              SdStore    *source,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_sd_store_get_db (source), "SELECT sha256, from_site, operations, applied FROM sync_batches",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errmsg (_sd_store_get_db (source)));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *params[] = { (const char *) sqlite3_column_text (stmt, 0),
                               (const char *) sqlite3_column_text (stmt, 1),
                               (const char *) sqlite3_column_text (stmt, 2),
                               (const char *) sqlite3_column_text (stmt, 3) };
      g_autoptr(PGresult) res = _sd_pg_query (self, _("record the batch merged"),
                                              "INSERT INTO sync_batches (sha256, from_site, operations, applied, "
                                              "  chain_broken) VALUES ($1::text, $2::text, $3::bigint, $4::bigint, "
                                              "  false) ON CONFLICT (sha256) DO NOTHING", 4, params, error);

      if (res == NULL)
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/* What each kiosk acknowledged to the SQLite HQ moving to PostgreSQL:
 * HQ's next batch to it, from PostgreSQL, starts above it too. */
static gboolean
take_peer_acks (SdPgStore  *self,
                SdStore    *source,
                GError    **error)
{
  g_autoptr(GHashTable) peers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_decref);
  sqlite3_stmt *stmt = NULL;
  GHashTableIter iter;
  gpointer peer, holds;
  int rc;

  if (sqlite3_prepare_v2 (_sd_store_get_db (source), "SELECT a.peer_site_id, s.site_id, a.acked_seq "
                          "FROM peer_acks a JOIN oplog_sites s ON s.n = a.origin", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errmsg (_sd_store_get_db (source)));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *site = (const char *) sqlite3_column_text (stmt, 0);
      json_t *of = g_hash_table_lookup (peers, site);

      if (of == NULL)
        g_hash_table_insert (peers, g_strdup (site), of = json_object ());
      json_object_set_new (of, (const char *) sqlite3_column_text (stmt, 1),
                           json_integer (sqlite3_column_int64 (stmt, 2)));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errmsg (_sd_store_get_db (source)));
      return FALSE;
    }
  g_hash_table_iter_init (&iter, peers);
  while (g_hash_table_iter_next (&iter, &peer, &holds))
    if (!_sd_pg_take_acks (self, peer, holds, error))
      return FALSE;
  return TRUE;
}

gboolean
sd_pg_store_take_oplog (SdPgStore      *self,
                        SdStore        *source,
                        const char     *origin,
                        SdSyncImport   *result,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_autoptr(PGresult) held = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) chunk = g_string_new (NULL);
  Work work = { stage_text, NULL, chunk };
  sqlite3_stmt *ops = NULL;
  int rc = SQLITE_ROW;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_STORE (source), FALSE);

  memset (result, 0, sizeof *result);
  /* What PostgreSQL holds of each origin without a hole: only the
   * changes above it are read (site ids are hex: no quoting needed). */
  held = _sd_pg_query (self, _("read what is held"),
                       "SELECT site_id, seq FROM sync_holds WHERE site_id ~ '^[0-9a-f-]+$'", 0, NULL, error);
  if (held == NULL)
    return FALSE;
  g_string_append (sql, "WITH held (site_id, seq) AS (VALUES ('', 0)");
  for (int i = 0; i < PQntuples (held); i++)
    g_string_append_printf (sql, ", ('%s', %s)", PQgetvalue (held, i, 0), PQgetvalue (held, i, 1));
  g_string_append (sql, ") SELECT s.site_id, o.seq, o.txn, o.hlc, o.kind, t.name, sd_row_id (o.row_id), o.fields "
                        "FROM oplog o JOIN oplog_sites s ON s.n = o.site JOIN oplog_tables t ON t.n = o.tbl "
                        "WHERE (?1 IS NULL OR s.site_id = ?1) AND o.seq > coalesce ((SELECT h.seq FROM held h "
                        "  WHERE h.site_id = s.site_id), 0) "
                        "ORDER BY o.site, o.seq");
  if (sqlite3_prepare_v2 (_sd_store_get_db (source), sql->str, -1, &ops, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errmsg (_sd_store_get_db (source)));
      sqlite3_finalize (ops);
      return FALSE;
    }
  sqlite3_bind_text (ops, 1, origin, -1, SQLITE_STATIC);
  /* Chunks of TAKE_CHUNK changes, each merged in a transaction of its own. */
  while (rc == SQLITE_ROW)
    {
      gint64 n = 0;

      g_string_truncate (chunk, 0);
      while (n < TAKE_CHUNK && (rc = sqlite3_step (ops)) == SQLITE_ROW)
        {
          append_line (chunk, (const char *) sqlite3_column_text (ops, 0), sqlite3_column_int64 (ops, 1),
                     sqlite3_column_int64 (ops, 2), sqlite3_column_int64 (ops, 3), sqlite3_column_int64 (ops, 4),
                     (const char *) sqlite3_column_text (ops, 5), (const char *) sqlite3_column_text (ops, 6),
                     (const char *) sqlite3_column_text (ops, 7));
          n++;
        }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                       sqlite3_errstr (rc));
          break;
        }
      if (n == 0)
        break;
      result->operations += n;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) || !run_merge (self, &work, result, error))
        {
          rc = SQLITE_ERROR;
          break;
        }
    }
  sqlite3_finalize (ops);
  if (rc != SQLITE_DONE)
    return FALSE;
  /* The whole of HQ's file: the batches it merged too, so that a kiosk's
   * next batch, which names its last one, is not taken for a broken chain. */
  return origin != NULL || (take_batches (self, source, error) && take_peer_acks (self, source, error) &&
                            _sd_pg_share_peers (self, source, FALSE, error));
}
