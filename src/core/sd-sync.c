/* sd-sync.c: delta batches out and in, and the merge that folds them into the tables.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Export: every change of every origin above what the receiver
 * acknowledged (peer_acks), in sequence order, with the header of
 * docs/batch-format.md, signed and sealed (sd-batch.c).
 *
 * Import, in this order, before anything is written: the file is sealed
 * to this site, its signature holds, its signer is an enrolled site of
 * this deployment that was not revoked, the batch is addressed here,
 * its schema is one this build knows, and it comes from an exercise
 * exactly when this database is one.  Then, in one BEGIN IMMEDIATE
 * transaction: every change keyed by (origin, seq) that is new is stored
 * as it came (capture off: nothing is recorded again as this site's),
 * one already held must be the very same (a different one is a cloned
 * site id), and only when the reader has proved the whole payload are
 * the rows touched made again from the op-log (sd-replay.c: per field,
 * the greatest (HLC, site id) wins; a deletion wins over what came
 * before it and loses to a newer creation), the clock moved past what
 * arrived (at most SD_SYNC_MAX_AHEAD_MS ahead), holes and far-ahead
 * clocks recorded, conflicts and possible duplicates listed for people,
 * and the sender's acknowledgements taken.  Anything wrong rolls it all
 * back: a refused batch changes nothing.
 */
#include "sd-json.h"
#include "sd-oplog.h"
#include "sd-replay.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"
#include "sd-platform.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <time.h>

#define TBL_SITE 1
#define IMPORT_CACHE_KIB 262144
#define TBL_PERSONS 4

static gboolean
is_site_id (const char *text)
{
  if (text == NULL || strlen (text) != 32)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
exec_sql (SdStore     *store,
          const char  *sql,
          GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (_sd_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not merge the batch: %s"), message);
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gint64
store_count (SdStore    *store,
             const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

void
sd_sync_export_clear (SdSyncExport *result)
{
  g_clear_pointer (&result->sha256, g_free);
  g_clear_pointer (&result->to_site, g_free);
  g_clear_pointer (&result->path, g_free);
}

void
sd_sync_import_clear (SdSyncImport *result)
{
  g_clear_pointer (&result->sha256, g_free);
  g_clear_pointer (&result->from_site, g_free);
  g_clear_pointer (&result->from_name, g_free);
}

/* ---- what a site holds ---- */

static json_t *
holds_json (SdStore  *store,
            GError  **error)
{
  /* Up to the first hole sync knows of (a rescue's holes are lost for
   * good, so they do not hold anything back). */
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT s.site_id, coalesce ((SELECT min (g.first_seq) - 1 FROM oplog_gaps g "
    "  WHERE g.site_id = s.site_id AND g.reason = 'sync'), (SELECT max (seq) FROM oplog WHERE site = s.n)) "
    "FROM oplog_sites s", error);
  json_t *holds;
  int rc;

  if (stmt == NULL)
    return NULL;
  holds = json_object ();
  while ((rc = _sd_store_step (store, stmt, _("read what this site holds"), error)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
      json_object_set_new (holds, (const char *) sqlite3_column_text (stmt, 0),
                           json_integer (sqlite3_column_int64 (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    g_clear_pointer (&holds, json_decref);
  return holds;
}

char *
sd_sync_get_holds (SdStore  *store,
                   GError  **error)
{
  json_t *holds = holds_json (store, error);
  char *text;

  if (holds == NULL)
    return NULL;
  text = json_dumps (holds, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref (holds);
  return text;
}

gboolean
_sd_sync_check_holds (const json_t  *holds,
                      GError       **error)
{
  const char *origin;
  json_t *seq;

  if (holds != NULL && !json_is_object (holds))
    goto bad;
  json_object_foreach ((json_t *) holds, origin, seq)
    if (!is_site_id (origin) || !json_is_integer (seq) || json_integer_value (seq) < 0)
      goto bad;
  return TRUE;

bad:
  g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
               _("What the other site says it holds cannot be read."));
  return FALSE;
}

static gboolean
take_holds (SdStore       *store,
            const char    *peer,
            const json_t  *holds,
            GError       **error)
{
  const char *origin;
  json_t *seq;

  if (!_sd_sync_check_holds (holds, error))
    return FALSE;
  json_object_foreach ((json_t *) holds, origin, seq)
    {
      sqlite3_stmt *stmt;

      /* Only what this site has: an acknowledgement of an origin it never
       * saw can wait until it does. */
      stmt = _sd_store_prepare (store,
        "INSERT INTO peer_acks (peer_site_id, origin, acked_seq, acked_at) "
        "SELECT ?1, n, ?3, ?4 FROM oplog_sites WHERE site_id = ?2 "
        "ON CONFLICT (peer_site_id, origin) DO UPDATE SET acked_seq = excluded.acked_seq, acked_at = excluded.acked_at "
        "WHERE excluded.acked_seq > peer_acks.acked_seq", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, peer, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, origin, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, json_integer_value (seq));
      sqlite3_bind_int64 (stmt, 4, sd_store_now_ms (store));
      if (!_sd_store_exec (store, stmt, _("record what the other site holds"), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
sd_sync_set_peer_holds (SdStore     *store,
                        const char  *peer,
                        const char  *holds_text,
                        GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  json_t *holds = json_loads (holds_text, 0, NULL);
  gboolean ok;

  if (holds == NULL)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                   _("What the other site says it holds cannot be read."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  ok = txn != NULL && take_holds (store, peer, holds, error) && _sd_txn_commit (g_steal_pointer (&txn), error);
  json_decref (holds);
  return ok;
}

/* ---- export ---- */

static json_t *
operation_json (const SdSyncOpRow *op)
{
  json_t *fields = op->fields == NULL ? json_null () : json_loads (op->fields, JSON_DECODE_ANY, NULL);

  if (fields == NULL)
    return NULL;
  return json_pack ("{s:s, s:I, s:I, s:I, s:i, s:s, s:s, s:o}",
                    "site", op->site, "seq", (json_int_t) op->seq, "txn", (json_int_t) op->txn,
                    "hlc", (json_int_t) op->hlc, "kind", op->kind, "tbl", op->tbl, "row_id", op->row_id,
                    "fields", fields);
}

/* Writes OP's line onto LINE as sd_batch_writer_add () would write
 * operation_json (): when its text holds nothing jansson escapes, the
 * packed fields are already that text.  The line is read back as an
 * importer reads it and must give the very same values, else FALSE
 * (jansson writes it). */
static gboolean
operation_line (GString           *line,
                const SdSyncOpRow *op)
{
  g_autofree char *copy = NULL;
  SdSyncOp back;

  if (op->site == NULL || op->tbl == NULL || op->row_id == NULL)
    return FALSE;
  g_string_truncate (line, 0);
  g_string_append_printf (line, "{\"site\":\"%s\",\"seq\":%" G_GINT64_FORMAT ",\"txn\":%" G_GINT64_FORMAT
                          ",\"hlc\":%" G_GINT64_FORMAT ",\"kind\":%d,\"tbl\":\"%s\",\"row_id\":\"%s\",\"fields\":%s}",
                          op->site, op->seq, op->txn, op->hlc, op->kind, op->tbl, op->row_id,
                          op->fields != NULL ? op->fields : "null");
  copy = g_strndup (line->str, line->len);
  return _sd_sync_op_parse (copy, line->len, &back) && g_str_equal (back.site, op->site) &&
         back.seq == op->seq && back.txn == op->txn && back.hlc == op->hlc && back.kind == op->kind &&
         g_str_equal (back.tbl, op->tbl) && g_str_equal (back.row_id, op->row_id) &&
         (op->fields == NULL ? back.deletion : back.packed != NULL && g_str_equal (back.packed, op->fields));
}

gboolean
_sd_sync_write_op (SdBatchWriter     *writer,
                   GString           *line,
                   const SdSyncOpRow *op,
                   GError           **error)
{
  json_t *json;
  gboolean added;

  if (operation_line (line, op))
    return sd_batch_writer_add_line (writer, line->str, line->len, error);
  if ((json = operation_json (op)) == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("The record of changes holds a change that cannot be read: it was changed outside "
                     "ShelterDesk. Run “check”, and ask HQ for help."));
      return FALSE;
    }
  added = sd_batch_writer_add (writer, json, error);
  json_decref (json);
  return added;
}

/* The change at OPS (seq, txn, hlc, kind, table name, row_id, fields),
 * made by ORIGIN; *ROW_ID owns its row id as text. */
static SdSyncOpRow
op_row (sqlite3_stmt  *ops,
        const char    *origin,
        char         **row_id)
{
  *row_id = _sd_oplog_row_id_text (sqlite3_column_value (ops, 5));
  return (SdSyncOpRow) {
    .site = origin, .seq = sqlite3_column_int64 (ops, 0), .txn = sqlite3_column_int64 (ops, 1),
    .hlc = sqlite3_column_int64 (ops, 2), .kind = sqlite3_column_int (ops, 3),
    .tbl = (const char *) sqlite3_column_text (ops, 4), .row_id = *row_id,
    .fields = (const char *) sqlite3_column_text (ops, 6),
  };
}

/* The changes of HQ's or a kiosk's own file. */
static gboolean
file_add_changes (gpointer        data,
                  const char     *to_site,
                  SdBatchWriter  *writer,
                  json_t         *ranges,
                  gint64         *count,
                  GCancellable   *cancellable,
                  GError        **error)
{
  SdStore *store = data;
  g_autoptr(GString) line = g_string_sized_new (1024);
  sqlite3_stmt *origins, *ops = NULL;
  int rc;

  origins = _sd_store_prepare (store, "SELECT s.n, s.site_id, coalesce ((SELECT acked_seq FROM peer_acks a "
                                      "WHERE a.peer_site_id = ?1 AND a.origin = s.n), 0) "
                                      "FROM oplog_sites s WHERE s.site_id IS NOT ?1 ORDER BY s.site_id", error);
  if (origins == NULL)
    return FALSE;
  sqlite3_bind_text (origins, 1, to_site, -1, SQLITE_TRANSIENT);
  /* Every origin's changes the receiver lacks, in sequence order. */
  if (sqlite3_prepare_v2 (_sd_store_get_db (store),
                          "SELECT o.seq, o.txn, o.hlc, o.kind, t.name, o.row_id, o.fields FROM oplog o "
                          "JOIN oplog_tables t ON t.n = o.tbl WHERE o.site = ?1 AND o.seq > ?2 ORDER BY o.seq",
                          -1, &ops, NULL) != SQLITE_OK)
    {
      _sd_store_set_error (store, sqlite3_errcode (_sd_store_get_db (store)), _("read the record of changes"), error);
      sqlite3_reset (origins);
      return FALSE;
    }
  while ((rc = sqlite3_step (origins)) == SQLITE_ROW)
    {
      const char *origin = (const char *) sqlite3_column_text (origins, 1);
      gint64 first = 0, last = 0;

      sqlite3_bind_int64 (ops, 1, sqlite3_column_int64 (origins, 0));
      sqlite3_bind_int64 (ops, 2, sqlite3_column_int64 (origins, 2));
      while ((rc = sqlite3_step (ops)) == SQLITE_ROW)
        {
          g_autofree char *row_id = NULL;
          SdSyncOpRow op = op_row (ops, origin, &row_id);

          if (!_sd_sync_write_op (writer, line, &op, error) ||
              g_cancellable_set_error_if_cancelled (cancellable, error))
            break;
          last = op.seq;
          if (first == 0)
            first = last;
          (*count)++;
        }
      sqlite3_reset (ops);
      if (rc != SQLITE_DONE)
        break;
      if (first > 0)
        json_object_set_new (ranges, origin, json_pack ("[I, I]", (json_int_t) first, (json_int_t) last));
    }
  sqlite3_finalize (ops);
  sqlite3_reset (origins);
  if (rc != SQLITE_DONE)
    {
      if (error != NULL && *error == NULL)
        _sd_store_set_error (store, rc, _("read the record of changes"), error);
      return FALSE;
    }
  return TRUE;
}

static json_t *
file_holds (gpointer   data,
            GError   **error)
{
  return holds_json (data, error);
}

gboolean
_sd_sync_write_batch (SdStore            *store,
                      const SdSyncSelf   *self,
                      const SdSyncSource *source,
                      const guint8       *receiver_pk,
                      const char         *to_site,
                      json_t             *header,
                      GOutputStream      *out,
                      SdSyncExport       *result,
                      GCancellable       *cancellable,
                      GError            **error)
{
  const SdSyncSource file = { file_add_changes, file_holds, store };
  g_autoptr(SdBatchWriter) writer = NULL;
  g_autoptr(GBytes) sha = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *made_at = g_date_time_format_iso8601 (now);
  g_autofree char *box = _sd_sync_hex (self->receiver.box_pk, sizeof self->receiver.box_pk);
  json_t *ranges = json_object (), *holds;
  sqlite3_stmt *prev;
  gint64 count = 0;

  memset (result, 0, sizeof *result);
  if (source == NULL)
    source = &file;
  if (header == NULL)
    header = json_object ();
  json_object_set_new (header, "ranges", ranges);
  writer = sd_batch_writer_new (&self->signer, receiver_pk, error);
  if (writer == NULL || !source->add_changes (source->data, to_site, writer, ranges, &count, cancellable, error) ||
      (holds = source->holds (source->data, error)) == NULL)
    {
      json_decref (header);
      return FALSE;
    }
  json_object_set_new (header, "origin", json_string (sd_store_get_site_id (store)));
  json_object_set_new (header, "schema", json_integer (SD_SCHEMA_VERSION));
  json_object_set_new (header, "exercise", json_boolean (sd_store_get_is_exercise (store)));
  json_object_set_new (header, "deployment", json_string (self->deployment_id));
  json_object_set_new (header, "deployment_name", json_string (self->deployment_name));
  json_object_set_new (header, "made_at", json_string (made_at));
  json_object_set_new (header, "holds", holds);
  json_object_set_new (header, "sender", json_pack ("{s:s, s:s, s:s}", "name", sd_store_get_site_name (store),
                                                    "role", self->role == SD_SYNC_ROLE_HQ ? "hq" : "kiosk",
                                                    "box_pk", box));
  if (json_object_get (header, "kind") == NULL)
    json_object_set_new (header, "kind", json_string ("batch"));
  if (self->role == SD_SYNC_ROLE_HQ && json_object_get (header, "peers") == NULL)
    json_object_set_new (header, "peers", _sd_sync_peers_json (store));
  json_object_set_new (header, "to", to_site != NULL ? json_string (to_site) : json_null ());
  prev = _sd_store_prepare (store, "SELECT last_sent_sha FROM sync_peers WHERE site_id = ?1", error);
  if (prev == NULL)
    {
      json_decref (header);
      return FALSE;
    }
  sqlite3_bind_text (prev, 1, to_site, -1, SQLITE_TRANSIENT);
  json_object_set_new (header, "prev", sqlite3_step (prev) == SQLITE_ROW && sqlite3_column_text (prev, 0) != NULL
                                       ? json_string ((const char *) sqlite3_column_text (prev, 0)) : json_null ());
  sqlite3_reset (prev);

  sha = sd_batch_writer_finish (writer, header, out, cancellable, error);
  if (sha == NULL)
    return FALSE;
  result->sha256 = _sd_sync_hex (g_bytes_get_data (sha, NULL), g_bytes_get_size (sha));
  result->to_site = g_strdup (to_site);
  result->operations = count;

  if (to_site != NULL)
    {
      sqlite3_stmt *sent = _sd_store_prepare (store, "UPDATE sync_peers SET last_sent_sha = ?2, last_sent_at = ?3 "
                                                     "WHERE site_id = ?1", error);

      if (sent == NULL)
        return FALSE;
      sqlite3_bind_text (sent, 1, to_site, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (sent, 2, result->sha256, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (sent, 3, sd_store_now_ms (store));
      if (!_sd_store_exec (store, sent, _("record the batch sent"), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
receiver_key (SdStore    *store,
              const char *site,
              guint8      out[crypto_box_PUBLICKEYBYTES],
              gboolean   *revoked,
              GError    **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT box_pk, revoked_at IS NOT NULL FROM sync_peers "
                                                 "WHERE site_id = ?1", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, site, -1, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_bytes (stmt, 0) == crypto_box_PUBLICKEYBYTES;
  if (found)
    {
      memcpy (out, sqlite3_column_blob (stmt, 0), crypto_box_PUBLICKEYBYTES);
      *revoked = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_PEER,
                 _("“%s” is not a site of this deployment. “sync status” lists them."), site);
  return found;
}

gboolean
sd_sync_export (SdStore        *store,
                const char     *to,
                GOutputStream  *out,
                SdSyncExport   *result,
                GCancellable   *cancellable,
                GError        **error)
{
  return _sd_sync_export_from (store, NULL, to, out, result, cancellable, error);
}

gboolean
_sd_sync_export_from (SdStore            *store,
                      const SdSyncSource *source,
                      const char         *to,
                      GOutputStream      *out,
                      SdSyncExport       *result,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *to_site = NULL;
  guint8 box_pk[crypto_box_PUBLICKEYBYTES];
  gboolean revoked = FALSE;

  memset (result, 0, sizeof *result);
  if (!_sd_sync_load_self (store, &self, error))
    return FALSE;
  /* One snapshot, and the record of what was sent, together. */
  txn = _sd_store_begin (store, error);
  if (txn == NULL || (to_site = sd_sync_find_peer (store, to != NULL ? to : "hq", error)) == NULL ||
      !receiver_key (store, to_site, box_pk, &revoked, error))
    return FALSE;
  if (revoked)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_REVOKED,
                   _("“%s” was revoked by HQ: nothing is sent to it any more."), to != NULL ? to : "hq");
      return FALSE;
    }
  return _sd_sync_write_batch (store, &self, source, box_pk, to_site, NULL, out, result, cancellable, error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

static char *
file_name_part (const char *name)
{
  GString *out = g_string_new (NULL);

  for (const char *p = name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || strchr ("/\\:*?\"<>| .", (int) (c < 0x80 ? c : 'x')) != NULL)
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

gboolean
sd_sync_export_to_folder (SdStore       *store,
                          const char    *to,
                          const char    *folder,
                          SdSyncExport  *result,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return _sd_sync_export_to_folder_from (store, NULL, to, folder, result, cancellable, error);
}

gboolean
_sd_sync_export_to_folder_from (SdStore            *store,
                                const SdSyncSource *source,
                                const char         *to,
                                const char         *folder,
                                SdSyncExport       *result,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *from = file_name_part (sd_store_get_site_name (store));
  g_autofree char *to_part = file_name_part (to != NULL ? to : "hq");
  g_autofree char *partial = g_strdup_printf ("%s/.%s-to-%s-%s.sdbatch.part", folder, from, to_part, stamp);
  g_autoptr(GFile) part = g_file_new_for_path (partial);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autofree char *final = NULL;
  gboolean ok;

  memset (result, 0, sizeof *result);
  out = g_file_replace (part, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, cancellable,
                        error);
  if (out == NULL)
    return FALSE;
  /* Written whole, to disk, under a name that is not a batch's, then
   * renamed: a stick pulled out mid-write leaves a ".part" file, never
   * a batch that is cut short (which import would refuse anyway). */
  ok = _sd_sync_export_from (store, source, to, G_OUTPUT_STREAM (out), result, cancellable, error) &&
       g_output_stream_flush (G_OUTPUT_STREAM (out), cancellable, error) &&
       sd_platform_sync_file (partial, error);
  ok = g_output_stream_close (G_OUTPUT_STREAM (out), NULL, ok ? error : NULL) && ok;
  if (ok)
    {
      final = g_strdup_printf ("%s/%s-to-%s-%s-%.8s.sdbatch", folder, from, to_part, stamp, result->sha256);
      if (g_rename (partial, final) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not write the batch into “%s”: %s"), folder, g_strerror (saved));
          ok = FALSE;
        }
    }
  if (!ok)
    {
      g_unlink (partial);
      sd_sync_export_clear (result);
      return FALSE;
    }
  sd_platform_sync_folder (folder);
  {
    GStatBuf st;

    if (g_stat (final, &st) == 0)
      result->bytes = st.st_size;
  }
  result->path = g_steal_pointer (&final);
  return TRUE;
}

/* ---- the merge ---- */

typedef struct {
  gint64 number;
  gboolean append_only;
  GHashTable *fields;  /* field numbers (GINT_TO_POINTER) */
} TableInfo;

static void
table_info_free (TableInfo *info)
{
  g_hash_table_unref (info->fields);
  g_free (info);
}

typedef struct {
  gint64 changes;
  gint64 ahead_ms;
} Ahead;

/* Changes of one origin stored one after another, in batch order: the
 * temporary tables of what the batch brought are made from their op-log
 * rows once every change is stored, not row by row. */
typedef struct {
  gint64 site;
  gint64 first, last;
} Run;

/* A change waiting in the chunk to be stored: its row_id and fields are
 * copies in the chunk's text, since the reader's line buffer is reused
 * for the next line; SITE is the interned id of Merge.sites. */
typedef struct {
  const char *site;
  gint64      site_n, seq, txn, hlc, kind, tbl;
  gsize       row_id, packed;  /* offsets in Merge.text; packed G_MAXSIZE for NULL */
  guint8      key[16];         /* sd_row_key (row_id) when is_uuid */
  gboolean    is_uuid, stored;
} Pending;

/* Changes are stored CHUNK to an INSERT, as the replay's new rows are
 * (sd-replay.c): a statement's step and reset cost as much as a few rows'
 * inserts, paid once a chunk.  (100 000 changes at HQ: the merge's read
 * and store went from ~555 to ~505 ms.) */
#define CHUNK 64

typedef struct {
  SdStore       *store;
  sqlite3       *db;
  const char    *own;
  const char    *from_site;
  gint64         now;
  GHashTable    *tables;   /* name → TableInfo */
  GHashTable    *sites;    /* site id → site number (gint64*) */
  GHashTable    *ahead;    /* site id → Ahead */
  GHashTable    *origins;  /* site ids with new changes */
  GArray        *runs;     /* of Run */
  gint64         from_n;   /* the sender's site number, 0 until it is met */
  sqlite3_stmt  *site_new, *site_find, *same;
  sqlite3_stmt  *insert[CHUNK + 1];  /* by rows, prepared when first needed */
  Pending        pending[CHUNK];
  guint          n_pending;
  GString       *text;     /* the pending changes' row_ids and fields */
  SdHlc          newest;
} Merge;

static void
merge_clear (Merge *m)
{
  g_clear_pointer (&m->tables, g_hash_table_unref);
  g_clear_pointer (&m->sites, g_hash_table_unref);
  g_clear_pointer (&m->ahead, g_hash_table_unref);
  g_clear_pointer (&m->origins, g_hash_table_unref);
  g_clear_pointer (&m->runs, g_array_unref);
  sqlite3_finalize (m->site_new);
  sqlite3_finalize (m->site_find);
  sqlite3_finalize (m->same);
  for (guint i = 0; i < G_N_ELEMENTS (m->insert); i++)
    sqlite3_finalize (m->insert[i]);
  if (m->text != NULL)
    g_string_free (m->text, TRUE);
}

static gboolean
merge_init (Merge       *m,
            SdStore     *store,
            const char  *from_site,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  memset (m, 0, sizeof *m);
  m->store = store;
  m->db = _sd_store_get_db (store);
  m->own = sd_store_get_site_id (store);
  m->from_site = from_site;
  m->now = sd_store_now_ms (store);
  m->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) table_info_free);
  m->sites = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m->ahead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m->origins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  m->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  m->text = g_string_sized_new (CHUNK * 256);

  if (!exec_sql (store,
                 "CREATE TEMP TABLE IF NOT EXISTS sync_touched (tbl INTEGER NOT NULL, row_id NOT NULL, "
                 "  PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;"
                 "CREATE TEMP TABLE IF NOT EXISTS sync_new (site INTEGER NOT NULL, seq INTEGER NOT NULL, "
                 "  PRIMARY KEY (site, seq)) WITHOUT ROWID;"
                 "CREATE TEMP TABLE IF NOT EXISTS sync_new_persons (row_id PRIMARY KEY NOT NULL, site INTEGER NOT NULL) "
                 "  WITHOUT ROWID;"
                 "CREATE TEMP TABLE IF NOT EXISTS sync_holds (site INTEGER PRIMARY KEY, seq INTEGER NOT NULL);"
                 "DELETE FROM temp.sync_touched; DELETE FROM temp.sync_new; DELETE FROM temp.sync_new_persons;"
                 "DELETE FROM temp.sync_holds;", error))
    return FALSE;

  if (sqlite3_prepare_v2 (m->db, "SELECT t.name, t.n, f.n FROM oplog_tables t JOIN oplog_fields f ON f.tbl = t.n",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      TableInfo *info = g_hash_table_lookup (m->tables, name);

      if (info == NULL)
        {
          info = g_new0 (TableInfo, 1);
          info->number = sqlite3_column_int64 (stmt, 1);
          info->append_only = _sd_synced_table_is_append_only (name);
          info->fields = g_hash_table_new (NULL, NULL);
          g_hash_table_insert (m->tables, g_strdup (name), info);
        }
      g_hash_table_add (info->fields, GINT_TO_POINTER (sqlite3_column_int (stmt, 2)));
    }
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (m->db, "INSERT OR IGNORE INTO oplog_sites (site_id) VALUES (?1)", -1, &m->site_new,
                          NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (m->db, "SELECT n FROM oplog_sites WHERE site_id = ?1", -1, &m->site_find, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (m->db, "SELECT txn = ?3 AND hlc = ?4 AND kind = ?5 AND tbl = ?6 "
                                 "AND row_id = sd_row_key (?7) AND fields IS ?8 FROM oplog WHERE site = ?1 AND seq = ?2",
                          -1, &m->same, NULL) != SQLITE_OK)
    goto failed;
  return TRUE;

failed:
  _sd_store_set_error (store, sqlite3_errcode (m->db), _("merge the batch"), error);
  return FALSE;
}

/* SITE's number, and in *INTERNED (if not NULL) its id as Merge.sites
 * keeps it. */
static gint64
site_number (Merge       *m,
             const char  *site,
             const char **interned)
{
  gpointer key = NULL, n = NULL;

  if (!g_hash_table_lookup_extended (m->sites, site, &key, &n))
    {
      n = g_new0 (gint64, 1);
      sqlite3_bind_text (m->site_new, 1, site, -1, SQLITE_STATIC);
      sqlite3_step (m->site_new);
      sqlite3_reset (m->site_new);
      sqlite3_bind_text (m->site_find, 1, site, -1, SQLITE_STATIC);
      if (sqlite3_step (m->site_find) == SQLITE_ROW)
        *(gint64 *) n = sqlite3_column_int64 (m->site_find, 0);
      sqlite3_reset (m->site_find);
      g_hash_table_insert (m->sites, key = g_strdup (site), n);
    }
  if (interned != NULL)
    *interned = key;
  return *(gint64 *) n;
}

static gboolean
bad_operation (GError  **error,
               gint64    index)
{
  g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
               _("Change %lld of the batch cannot be applied, although the batch is signed: "
                 "it was made by a ShelterDesk with an error, or by another program. Nothing was imported; "
                 "keep the file for HQ."), (long long) index);
  return FALSE;
}

static gboolean
cloned_site (Merge       *m,
             const char  *site,
             gint64       seq,
             GError     **error)
{
  if (g_str_equal (site, m->own))
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE,
                 _("The batch holds changes made under this very site’s identity that this site never made "
                   "(change %lld): another kiosk runs on a copy of this database’s disk. "
                   "Nothing was imported. Stop the other kiosk and ask HQ to give it a new database."), (long long) seq);
  else
    g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE,
                 _("Site %.8s… sent a change numbered %lld that differs from the change with "
                   "that number already received: two kiosks share one site identity (a copied disk image). "
                   "Nothing was imported. Ask HQ to revoke one of them and give it a new database."),
                 site, (long long) seq);
  return FALSE;
}

/* Whether the change numbered (SITE_N, SEQ) is held, and is this very one. */
static gboolean
held_same (Merge      *m,
           gint64      site_n,
           gint64      seq,
           gint64      txn,
           gint64      hlc,
           gint64      kind,
           gint64      tbl,
           const char *row_id,
           const char *packed)
{
  gboolean same;

  sqlite3_bind_int64 (m->same, 1, site_n);
  sqlite3_bind_int64 (m->same, 2, seq);
  sqlite3_bind_int64 (m->same, 3, txn);
  sqlite3_bind_int64 (m->same, 4, hlc);
  sqlite3_bind_int64 (m->same, 5, kind);
  sqlite3_bind_int64 (m->same, 6, tbl);
  sqlite3_bind_text (m->same, 7, row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (m->same, 8, packed, -1, SQLITE_STATIC);
  same = sqlite3_step (m->same) == SQLITE_ROW && sqlite3_column_int (m->same, 0);
  sqlite3_reset (m->same);
  return same;
}

/* A JSON string with nothing to unescape, at P (after its opening quote),
 * up to LIMIT: its end (the closing quote), or NULL. */
static char *
plain_string (char       *p,
              const char *limit)
{
  char *start = p;
  gboolean ascii = TRUE;

  for (; p < limit && *p != '"'; p++)
    {
      guchar c = (guchar) *p;

      if (c < 0x20 || c == '\\')
        return NULL;
      ascii = ascii && c < 0x80;
    }
  if (p >= limit || (!ascii && !g_utf8_validate_len (start, p - start, NULL)))
    return NULL;
  return p;
}

/* A JSON integer of at most 18 digits, written as jansson writes it. */
static char *
plain_integer (char       *p,
               const char *limit,
               gint64     *value)
{
  gboolean minus = p < limit && *p == '-';
  gint64 v = 0;
  char *digits;

  if (minus)
    p++;
  digits = p;
  for (; p < limit && g_ascii_isdigit (*p) && p - digits < 18; p++)
    v = v * 10 + (*p - '0');
  if (p == digits || (*digits == '0' && (p - digits > 1 || minus)) ||
      (p < limit && (g_ascii_isdigit (*p) || *p == '.' || *p == 'e' || *p == 'E')))
    return NULL;
  *value = minus ? -v : v;
  return p;
}

static char *
expect (char       *p,
        const char *limit,
        const char *text)
{
  gsize n = strlen (text);

  return p != NULL && (gsize) (limit - p) >= n && memcmp (p, text, n) == 0 ? p + n : NULL;
}

/* The fields object at P, packed already, up to the operation's closing
 * brace at the line's end. */
static gboolean
read_fields (char       *p,
             const char *limit,
             SdSyncOp   *op)
{
  guint32 seen[1001 / 32 + 1] = { 0 };

  if (p >= limit || *p != '{')
    return FALSE;
  op->packed = p++;
  while (p < limit && *p != '}')
    {
      guint number = 0;
      char *key;
      gint64 ignored;

      if (op->n_fields > 0 && (p = expect (p, limit, ",")) == NULL)
        return FALSE;
      if ((p = expect (p, limit, "\"")) == NULL || p >= limit || *p < '1' || *p > '9')
        return FALSE;
      for (key = p; p < limit && g_ascii_isdigit (*p) && p - key < 4; p++)
        number = number * 10 + (guint) (*p - '0');
      if (number > 1000 || (p = expect (p, limit, "\":")) == NULL || p >= limit ||
          op->n_fields == G_N_ELEMENTS (op->field) || (seen[number / 32] & (1u << (number % 32))) != 0)
        return FALSE;
      seen[number / 32] |= 1u << (number % 32);
      op->field[op->n_fields++] = (guint16) number;
      if (*p == '"')
        p = plain_string (p + 1, limit), p = p != NULL ? p + 1 : NULL;
      else if (*p == 'n')
        p = expect (p, limit, "null");
      else
        p = plain_integer (p, limit, &ignored);
      if (p == NULL)
        return FALSE;
    }
  /* The fields' closing brace, then the operation's, then the line's end. */
  return p + 2 == limit && p[1] == '}';
}

/* Reads LINE when it is in the very layout this program writes (compact,
 * members in order, fields already packed: field numbers as written,
 * integers, null and strings with nothing escaped), in place and without
 * a copy: the packed fields are the line's own text.  Anything else
 * (FALSE) is read by jansson, which decides the rest exactly as before;
 * nothing read here is anything jansson would read otherwise. */
gboolean
_sd_sync_op_parse (char     *line,
                   gsize     length,
                   SdSyncOp *op)
{
  const char *limit = line + length;
  char *p = line, *end, *site_end, *tbl_end, *row_end;

  /* The line is written in (the strings ended in place) only once it is
   * all read: a line left to jansson must be as it came. */
  memset (op, 0, sizeof *op);
  if ((p = expect (p, limit, "{\"site\":\"")) == NULL || (end = plain_string (p, limit)) == NULL)
    return FALSE;
  op->site = p;
  site_end = end;
  if ((p = expect (end + 1, limit, ",\"seq\":")) == NULL || (p = plain_integer (p, limit, &op->seq)) == NULL ||
      (p = expect (p, limit, ",\"txn\":")) == NULL || (p = plain_integer (p, limit, &op->txn)) == NULL ||
      (p = expect (p, limit, ",\"hlc\":")) == NULL || (p = plain_integer (p, limit, &op->hlc)) == NULL ||
      (p = expect (p, limit, ",\"kind\":")) == NULL || (p = plain_integer (p, limit, &op->kind)) == NULL ||
      (p = expect (p, limit, ",\"tbl\":\"")) == NULL || (end = plain_string (p, limit)) == NULL)
    return FALSE;
  op->tbl = p;
  tbl_end = end;
  if ((p = expect (end + 1, limit, ",\"row_id\":\"")) == NULL || (end = plain_string (p, limit)) == NULL)
    return FALSE;
  op->row_id = p;
  row_end = end;
  if ((p = expect (end + 1, limit, ",\"fields\":")) == NULL)
    return FALSE;
  if (expect (p, limit, "null}") == limit)
    op->deletion = TRUE;
  else if (!read_fields (p, limit, op))
    return FALSE;
  *site_end = *tbl_end = *row_end = '\0';
  if (!op->deletion)
    line[length - 1] = '\0';  /* the operation's brace: the fields end there */
  return TRUE;
}


/* The same from jansson's reading of the line. */
gboolean
_sd_sync_op_from_json (json_t   *json,
                       SdSyncOp *op,
                       char    **packed)
{
  json_t *fields = json_object_get (json, "fields");
  const char *key;
  json_t *value;

  memset (op, 0, sizeof *op);
  op->site = json_string_value (json_object_get (json, "site"));
  op->tbl = json_string_value (json_object_get (json, "tbl"));
  op->row_id = json_string_value (json_object_get (json, "row_id"));
  op->seq = json_integer_value (json_object_get (json, "seq"));
  op->txn = json_integer_value (json_object_get (json, "txn"));
  op->hlc = json_integer_value (json_object_get (json, "hlc"));
  op->kind = json_integer_value (json_object_get (json, "kind"));
  op->deletion = json_is_null (fields);
  if (op->kind == SD_OP_DELETE)
    return TRUE;  /* fields must be null: merge_operation () says */
  op->packed = *packed = _sd_oplog_pack_json (fields);
  if (op->packed == NULL)
    return FALSE;
  /* Packed, the keys are field numbers from 1 to 1000. */
  json_object_foreach (fields, key, value)
    {
      if (op->n_fields == G_N_ELEMENTS (op->field))
        return FALSE;
      op->field[op->n_fields++] = (guint16) atoi (key);
    }
  return TRUE;
}

/* A change stored here for the first time: counted, and noted in the
 * runs, the origins, the newest HLC and the clocks ahead. */
static void
note_stored (Merge         *m,
             const Pending *p,
             SdSyncImport  *result)
{
  Run *last = m->runs->len > 0 ? &g_array_index (m->runs, Run, m->runs->len - 1) : NULL;

  result->applied++;
  if (last != NULL && last->site == p->site_n && last->last + 1 == p->seq)
    last->last = p->seq;
  else
    {
      Run run = { p->site_n, p->seq, p->seq };

      g_array_append_val (m->runs, run);
      g_hash_table_add (m->origins, g_strdup (p->site));
      if (m->from_n == 0 && g_str_equal (p->site, m->from_site))
        m->from_n = p->site_n;
    }

  if (p->hlc > m->newest)
    m->newest = p->hlc;
  if (sd_hlc_get_wall_ms (p->hlc) > m->now + SD_SYNC_MAX_AHEAD_MS)
    {
      Ahead *a = g_hash_table_lookup (m->ahead, p->site);

      if (a == NULL)
        g_hash_table_insert (m->ahead, g_strdup (p->site), a = g_new0 (Ahead, 1));
      a->changes++;
      a->ahead_ms = MAX (a->ahead_ms, sd_hlc_get_wall_ms (p->hlc) - m->now);
      result->clamped++;
    }
}

/* The INSERT of N changes, which returns those it stored: the others
 * were held already. */
static sqlite3_stmt *
insert_statement (Merge *m,
                  guint  n)
{
  if (m->insert[n] == NULL)
    {
      g_autoptr(GString) sql = g_string_new ("INSERT OR IGNORE INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, "
                                             "fields) VALUES ");

      for (guint i = 0; i < n; i++)
        g_string_append_printf (sql, "%s(?%u, ?%u, ?%u, ?%u, ?%u, ?%u, ?%u, ?%u)", i > 0 ? ", " : "",
                                8 * i + 1, 8 * i + 2, 8 * i + 3, 8 * i + 4, 8 * i + 5, 8 * i + 6, 8 * i + 7,
                                8 * i + 8);
      g_string_append (sql, " RETURNING site, seq");
      if (sqlite3_prepare_v2 (m->db, sql->str, -1, &m->insert[n], NULL) != SQLITE_OK)
        m->insert[n] = NULL;
    }
  return m->insert[n];
}

/* Stores the pending changes P[0..N) with one statement, marking those
 * it stored.  FALSE for an SQL error, with nothing of them stored. */
static gboolean
insert_pending (Merge   *m,
                Pending *p,
                guint    n)
{
  sqlite3_stmt *stmt = insert_statement (m, n);
  guint next = 0;
  int rc;

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (stmt, 8 * i + 1, p[i].site_n);
      sqlite3_bind_int64 (stmt, 8 * i + 2, p[i].seq);
      sqlite3_bind_int64 (stmt, 8 * i + 3, p[i].txn);
      sqlite3_bind_int64 (stmt, 8 * i + 4, p[i].hlc);
      sqlite3_bind_int64 (stmt, 8 * i + 5, p[i].kind);
      sqlite3_bind_int64 (stmt, 8 * i + 6, p[i].tbl);
      /* sd_row_key (), made here: the statement calls no function a row. */
      if (p[i].is_uuid)
        sqlite3_bind_blob (stmt, 8 * i + 7, p[i].key, sizeof p[i].key, SQLITE_STATIC);
      else
        sqlite3_bind_text (stmt, 8 * i + 7, m->text->str + p[i].row_id, -1, SQLITE_STATIC);
      if (p[i].packed == G_MAXSIZE)
        sqlite3_bind_null (stmt, 8 * i + 8);
      else
        sqlite3_bind_text (stmt, 8 * i + 8, m->text->str + p[i].packed, -1, SQLITE_STATIC);
      p[i].stored = FALSE;
    }
  /* The rows come back in the order they were stored in practice; the
   * search from where the last one was found only relies on that for
   * speed.  (site, seq) is unique among the pending changes. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 site_n = sqlite3_column_int64 (stmt, 0), seq = sqlite3_column_int64 (stmt, 1);

      for (guint k = 0; k < n; k++, next = (next + 1) % n)
        if (p[next].site_n == site_n && p[next].seq == seq)
          {
            p[next].stored = TRUE;
            next = (next + 1) % n;
            break;
          }
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return rc == SQLITE_DONE;
}

/* A pending change after its INSERT: stored now, or held already and
 * then the very same one, or else a clone. */
static gboolean
settle (Merge          *m,
        const Pending  *p,
        SdSyncImport   *result,
        GError        **error)
{
  if (p->stored)
    note_stored (m, p, result);
  else if (held_same (m, p->site_n, p->seq, p->txn, p->hlc, p->kind, p->tbl, m->text->str + p->row_id,
                      p->packed == G_MAXSIZE ? NULL : m->text->str + p->packed))
    result->already_had++;
  else
    return cloned_site (m, p->site, p->seq, error);
  return TRUE;
}

/* Stores the pending changes and settles each, in batch order. */
static gboolean
flush_pending (Merge         *m,
               SdSyncImport  *result,
               GError       **error)
{
  guint n = m->n_pending;
  gboolean ok = TRUE;

  m->n_pending = 0;
  if (n == 0)
    return TRUE;
  if (insert_pending (m, m->pending, n))
    {
      for (guint i = 0; ok && i < n; i++)
        ok = settle (m, &m->pending[i], result, error);
    }
  else
    {
      /* A chunk that fails is stored change by change, as it was before
       * chunks, so that the error is the same and of the same change. */
      for (guint i = 0; ok && i < n; i++)
        {
          ok = insert_pending (m, &m->pending[i], 1);
          if (!ok)
            _sd_store_set_error (m->store, sqlite3_errcode (m->db), _("store the changes received"), error);
          else
            ok = settle (m, &m->pending[i], result, error);
        }
    }
  g_string_truncate (m->text, 0);
  return ok;
}

/* The merge stops at its first error.  One of a change still pending
 * comes before any met since: settled first, it wins over ERROR. */
static void
flush_before_error (Merge         *m,
                    SdSyncImport  *result,
                    GError       **error)
{
  g_autoptr(GError) earlier = NULL;

  if (!flush_pending (m, result, &earlier))
    {
      g_clear_error (error);
      g_propagate_error (error, g_steal_pointer (&earlier));
    }
}

/* Takes one operation of the batch (the INDEX-th): checked at once, and
 * stored with the chunk it joins. */
static gboolean
merge_operation (Merge         *m,
                 const SdSyncOp *op,
                 gint64         index,
                 SdSyncImport  *result,
                 GError       **error)
{
  const char *site = op->site, *tbl = op->tbl, *row_id = op->row_id, *packed = op->packed;
  gint64 seq = op->seq, txn = op->txn, hlc = op->hlc, kind = op->kind;
  TableInfo *info = tbl != NULL ? g_hash_table_lookup (m->tables, tbl) : NULL;
  const char *interned = NULL;
  gint64 site_n;
  Pending *p;

  if (!is_site_id (site) || info == NULL || row_id == NULL || *row_id == '\0' || strlen (row_id) > 200 ||
      seq < 1 || txn < 1 || txn > seq || hlc <= 0 || kind < SD_OP_INSERT || kind > SD_OP_EVENT ||
      (kind == SD_OP_EVENT) != info->append_only || (kind == SD_OP_DELETE) != op->deletion)
    return bad_operation (error, index);
  if (kind != SD_OP_DELETE)
    {
      if (packed == NULL)
        return bad_operation (error, index);
      for (guint i = 0; i < op->n_fields; i++)
        if (!g_hash_table_contains (info->fields, GINT_TO_POINTER (op->field[i])))
          return bad_operation (error, index);
    }

  site_n = site_number (m, site, &interned);
  if (site_n == 0)
    return bad_operation (error, index);
  if (g_str_equal (site, m->own))
    {
      /* This site's own changes come back relayed: held already, or made
       * under its identity by a copy of its disk.  Never pending, so no
       * pending change bears on them. */
      if (!held_same (m, site_n, seq, txn, hlc, kind, info->number, row_id, packed))
        return cloned_site (m, site, seq, error);
      result->already_had++;
      return TRUE;
    }

  /* A change twice in the batch (relayed) is held the second time only
   * once the first is stored: the chunk is stored before it. */
  for (guint i = 0; i < m->n_pending; i++)
    if (m->pending[i].seq == seq && m->pending[i].site_n == site_n)
      {
        if (!flush_pending (m, result, error))
          return FALSE;
        break;
      }

  p = &m->pending[m->n_pending++];
  *p = (Pending) { .site = interned, .site_n = site_n, .seq = seq, .txn = txn, .hlc = hlc, .kind = kind,
                   .tbl = info->number, .row_id = m->text->len, .packed = G_MAXSIZE };
  p->is_uuid = _sd_oplog_row_key (row_id, strlen (row_id), p->key);
  g_string_append_len (m->text, row_id, strlen (row_id) + 1);
  if (packed != NULL)
    {
      p->packed = m->text->len;
      g_string_append_len (m->text, packed, strlen (packed) + 1);
    }
  return m->n_pending < CHUNK || flush_pending (m, result, error);
}

static gboolean
run_bound (Merge        *m,
           const char   *sql,
           const char   *text,
           gint64        number,
           GError      **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (m->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      _sd_store_set_error (m->store, sqlite3_errcode (m->db), _("merge the batch"), error);
      return FALSE;
    }
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    sqlite3_bind_int64 (stmt, 1, m->now);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_int64 (stmt, 3, number);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _sd_store_set_error (m->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  return TRUE;
}


/* What the batch brought, in the temporary tables the findings and the
 * fold read: the rows it touched, the sender's own updates, the persons
 * it registered (the first origin that did wins, as in batch order). */
static gboolean
note_runs (Merge   *m,
           GError **error)
{
  static const char *const sql[] = {
    "INSERT OR IGNORE INTO temp.sync_touched (tbl, row_id) "
    "SELECT tbl, row_id FROM oplog WHERE site = ?1 AND seq BETWEEN ?2 AND ?3 AND tbl != " G_STRINGIFY (TBL_SITE),
    "INSERT OR IGNORE INTO temp.sync_new_persons (row_id, site) "
    "SELECT row_id, site FROM oplog WHERE site = ?1 AND seq BETWEEN ?2 AND ?3 AND kind = 1 AND tbl = "
    G_STRINGIFY (TBL_PERSONS),
    "INSERT OR IGNORE INTO temp.sync_new (site, seq) "
    "SELECT site, seq FROM oplog WHERE site = ?1 AND seq BETWEEN ?2 AND ?3 AND kind = 2",
  };
  sqlite3_stmt *stmt[G_N_ELEMENTS (sql)] = { NULL };
  int rc = SQLITE_DONE;

  for (guint i = 0; i < G_N_ELEMENTS (sql) && rc == SQLITE_DONE; i++)
    if (sqlite3_prepare_v2 (m->db, sql[i], -1, &stmt[i], NULL) != SQLITE_OK)
      rc = sqlite3_errcode (m->db);
  for (guint r = 0; r < m->runs->len && rc == SQLITE_DONE; r++)
    {
      const Run *run = &g_array_index (m->runs, Run, r);

      /* Only the sender's own updates can conflict with what it held. */
      for (guint i = 0; i < (run->site == m->from_n ? 3 : 2) && rc == SQLITE_DONE; i++)
        {
          sqlite3_bind_int64 (stmt[i], 1, run->site);
          sqlite3_bind_int64 (stmt[i], 2, run->first);
          sqlite3_bind_int64 (stmt[i], 3, run->last);
          rc = sqlite3_step (stmt[i]);
          sqlite3_reset (stmt[i]);
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    sqlite3_finalize (stmt[i]);
  if (rc != SQLITE_DONE)
    {
      _sd_store_set_error (m->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  return TRUE;
}

static int
compare_runs (gconstpointer a,
              gconstpointer b)
{
  const Run *x = a, *y = b;

  if (x->site != y->site)
    return x->site < y->site ? -1 : 1;
  return (x->first > y->first) - (x->first < y->first);
}

/* One gap, FIRST to LAST, of the origin numbered SITE, unless another
 * reason (a rescue) has recorded it already. */
static gboolean
add_gap (Merge        *m,
         sqlite3_stmt *insert,
         gint64        site,
         gint64        first,
         gint64        last)
{
  int rc;

  sqlite3_bind_int64 (insert, 1, site);
  sqlite3_bind_int64 (insert, 2, first);
  sqlite3_bind_int64 (insert, 3, last);
  sqlite3_bind_int64 (insert, 4, m->now);
  rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  return rc == SQLITE_DONE;
}

/* The holes in each origin's sequence, kept where this batch changed
 * them only: between the nearest change held before its first new one
 * and the nearest held after its last, the holes are those between its
 * runs, less the changes held there already.  Recounting each origin's
 * whole sequence instead read every change it ever sent, at every
 * import (100 ms a 100 000 changes, and growing). */
static gboolean
note_gaps (Merge   *m,
           GError **error)
{
  g_autoptr(GArray) runs = g_array_copy (m->runs);
  sqlite3_stmt *below = NULL, *above = NULL, *held = NULL, *clear = NULL, *insert = NULL;
  int rc = SQLITE_OK;

  g_array_sort (runs, compare_runs);
  if (sqlite3_prepare_v2 (m->db, "SELECT max (seq) FROM oplog WHERE site = ?1 AND seq < ?2", -1, &below, NULL) ||
      sqlite3_prepare_v2 (m->db, "SELECT min (seq) FROM oplog WHERE site = ?1 AND seq > ?2", -1, &above, NULL) ||
      sqlite3_prepare_v2 (m->db, "SELECT seq FROM oplog WHERE site = ?1 AND seq > ?2 AND seq < ?3 ORDER BY seq",
                          -1, &held, NULL) ||
      sqlite3_prepare_v2 (m->db, "DELETE FROM oplog_gaps WHERE site_id = (SELECT site_id FROM oplog_sites "
                                 "WHERE n = ?1) AND reason = 'sync' AND last_seq > ?2 AND first_seq < ?3",
                          -1, &clear, NULL) ||
      sqlite3_prepare_v2 (m->db, "INSERT INTO oplog_gaps (site_id, first_seq, last_seq, noted_at, reason) "
                                 "SELECT s.site_id, ?2, ?3, ?4, 'sync' FROM oplog_sites s WHERE s.n = ?1 "
                                 "  AND NOT EXISTS (SELECT 1 FROM oplog_gaps r "
                                 "    WHERE r.site_id = s.site_id AND r.first_seq <= ?3 AND r.last_seq >= ?2)",
                          -1, &insert, NULL))
    rc = sqlite3_errcode (m->db);
  for (guint r = 0; r < runs->len && rc == SQLITE_OK;)
    {
      gint64 site = g_array_index (runs, Run, r).site, from = 0, to = G_MAXINT64, at;
      guint end;

      for (end = r; end < runs->len && g_array_index (runs, Run, end).site == site; end++)
        ;
      /* The changes held nearest around the new ones (none: the start). */
      sqlite3_bind_int64 (below, 1, site);
      sqlite3_bind_int64 (below, 2, g_array_index (runs, Run, r).first);
      if (sqlite3_step (below) == SQLITE_ROW && sqlite3_column_type (below, 0) != SQLITE_NULL)
        from = sqlite3_column_int64 (below, 0);
      sqlite3_reset (below);
      sqlite3_bind_int64 (above, 1, site);
      sqlite3_bind_int64 (above, 2, g_array_index (runs, Run, end - 1).last);
      if (sqlite3_step (above) == SQLITE_ROW && sqlite3_column_type (above, 0) != SQLITE_NULL)
        to = sqlite3_column_int64 (above, 0);
      sqlite3_reset (above);
      sqlite3_bind_int64 (clear, 1, site);
      sqlite3_bind_int64 (clear, 2, from);
      sqlite3_bind_int64 (clear, 3, to);
      if (sqlite3_step (clear) != SQLITE_DONE)
        rc = sqlite3_errcode (m->db);
      sqlite3_reset (clear);

      /* Each hole before a run, through the changes held in it. */
      at = from;
      for (guint i = r; i <= end && rc == SQLITE_OK; i++)
        {
          gint64 next = i < end ? g_array_index (runs, Run, i).first : to;

          if (next == G_MAXINT64)
            break;  /* nothing held after the last run: no hole there */
          sqlite3_bind_int64 (held, 1, site);
          sqlite3_bind_int64 (held, 2, at);
          sqlite3_bind_int64 (held, 3, next);
          while (rc == SQLITE_OK && sqlite3_step (held) == SQLITE_ROW)
            {
              gint64 seq = sqlite3_column_int64 (held, 0);

              if (seq > at + 1 && !add_gap (m, insert, site, at + 1, seq - 1))
                rc = sqlite3_errcode (m->db);
              at = seq;
            }
          sqlite3_reset (held);
          if (rc == SQLITE_OK && next > at + 1 && !add_gap (m, insert, site, at + 1, next - 1))
            rc = sqlite3_errcode (m->db);
          if (i < end)
            at = MAX (at, g_array_index (runs, Run, i).last);
        }
      r = end;
    }
  sqlite3_finalize (below);
  sqlite3_finalize (above);
  sqlite3_finalize (held);
  sqlite3_finalize (clear);
  sqlite3_finalize (insert);
  if (rc != SQLITE_OK)
    {
      _sd_store_set_error (m->store, rc, _("merge the batch"), error);
      return FALSE;
    }
  return TRUE;
}

/* What people must see, once every change is stored. */
static gboolean
merge_findings (Merge         *m,
                const json_t  *holds,
                SdSyncImport  *result,
                GError       **error)
{
  GHashTableIter iter;
  gpointer key, value;
  const char *origin;
  json_t *seq;
  gint64 before;

  /* Clocks far ahead: the changes keep their HLC (every site must hold
   * the very same change), the site's clock does not follow them. */
  g_hash_table_iter_init (&iter, m->ahead);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Ahead *a = value;
      sqlite3_stmt *stmt = NULL;

      int rc = SQLITE_ERROR;

      if (sqlite3_prepare_v2 (m->db, "INSERT INTO sync_clock_flags (origin, ahead_ms, changes, first_noted_at, "
                                     "last_noted_at) VALUES (?2, ?3, ?4, ?1, ?1) ON CONFLICT (origin) DO UPDATE SET "
                                     "ahead_ms = max (ahead_ms, excluded.ahead_ms), changes = changes + excluded.changes, "
                                     "last_noted_at = excluded.last_noted_at", -1, &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, m->now);
          sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 3, a->ahead_ms);
          sqlite3_bind_int64 (stmt, 4, a->changes);
          rc = sqlite3_step (stmt);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          _sd_store_set_error (m->store, rc, _("merge the batch"), error);
          return FALSE;
        }
    }
  if (m->newest > 0)
    _sd_store_receive_hlc (m->store, m->newest, SD_SYNC_MAX_AHEAD_MS);

  /* Conflicts: a field the sender changed while it did not yet hold
   * another site's change of the same field (that change's number is
   * above what the sender says it holds of that site). */
  json_object_foreach ((json_t *) holds, origin, seq)
    {
      gint64 n = is_site_id (origin) ? site_number (m, origin, NULL) : 0;
      sqlite3_stmt *stmt = NULL;
      int rc = SQLITE_DONE;

      if (n == 0 || !json_is_integer (seq))
        continue;
      if (sqlite3_prepare_v2 (m->db, "INSERT OR REPLACE INTO temp.sync_holds (site, seq) VALUES (?1, ?2)", -1,
                              &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_int64 (stmt, 1, n);
          sqlite3_bind_int64 (stmt, 2, json_integer_value (seq));
          rc = sqlite3_step (stmt);
        }
      else
        rc = sqlite3_errcode (m->db);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          _sd_store_set_error (m->store, rc, _("merge the batch"), error);
          return FALSE;
        }
    }
  before = store_count (m->store, "SELECT count (*) FROM sync_conflicts");
  /* From the sender's own updates, by CROSS JOIN: left to choose, SQLite
   * walked every update in the op-log's whole history (oplog_row), at
   * every import, even one that brought no update (100 000 changes at
   * HQ: 72 ms, growing with the op-log; now nothing for none). */
  if (!run_bound (m,
        "INSERT OR IGNORE INTO sync_conflicts (tbl, row_id, field, winner_site, winner_seq, loser_site, loser_seq, "
        "  noted_at) "
        "SELECT n.tbl, n.row_id, CAST (a.key AS INTEGER), "
        "  iif ((n.hlc, sn.site_id) > (o.hlc, so.site_id), sn.site_id, so.site_id), "
        "  iif ((n.hlc, sn.site_id) > (o.hlc, so.site_id), n.seq, o.seq), "
        "  iif ((n.hlc, sn.site_id) > (o.hlc, so.site_id), so.site_id, sn.site_id), "
        "  iif ((n.hlc, sn.site_id) > (o.hlc, so.site_id), o.seq, n.seq), ?1 "
        "FROM temp.sync_new x CROSS JOIN oplog n ON n.site = x.site AND n.seq = x.seq "
        "  CROSS JOIN oplog o ON o.tbl = n.tbl AND o.row_id = n.row_id AND o.site != n.site AND o.kind = 2 "
        "  JOIN oplog_sites sn ON sn.n = n.site JOIN oplog_sites so ON so.n = o.site, "
        "  json_each (n.fields) a, json_each (o.fields) b "
        "WHERE a.key = b.key AND (a.type != b.type OR a.atom IS NOT b.atom) "
        "  AND o.seq > coalesce ((SELECT h.seq FROM temp.sync_holds h WHERE h.site = o.site), 0)", NULL, 0, error))
    return FALSE;
  result->conflicts = store_count (m->store, "SELECT count (*) FROM sync_conflicts") - before;

  /* Holes in each origin's sequence that arrived: recorded exactly, so
   * that they are shown and check can tell them from changes taken out. */
  if (!note_gaps (m, error))
    return FALSE;
  result->gaps = store_count (m->store, "SELECT coalesce (sum (last_seq - first_seq + 1), 0) FROM oplog_gaps "
                              "WHERE reason = 'sync'");
  return TRUE;
}

/* The pairs of a new person P (its row in temp.sync_new_persons NP)
 * and another Q that share a key KEY, as FROM makes them (sd-sync.c,
 * merge_fold): the same name and birth date ('d'), or the same kana,
 * birth date and address ('e'), neither record closed, and Q not
 * registered at the site that registered P. */
#define DUPLICATES(from, key) \
  "INSERT OR IGNORE INTO sync_duplicates (person_a, person_b, noted_at) " \
  "SELECT min (p.id, q.id), max (p.id, q.id), ?1 " from \
  "  JOIN person_keys k2 ON k2.key = " key " AND k2.person_id != p.id " \
  "  JOIN persons q ON q.id = k2.person_id " \
  "  LEFT JOIN households hp ON hp.id = p.household_id LEFT JOIN households hq ON hq.id = q.household_id " \
  "WHERE substr (" key ", 1, 1) IN ('d', 'e') " \
  "  AND (substr (" key ", 1, 1) = 'd' OR coalesce (p.address, hp.address) = coalesce (q.address, hq.address)) " \
  "  AND p.merged_into IS NULL AND q.merged_into IS NULL " \
  "  AND np.site IS NOT (SELECT site FROM oplog WHERE tbl = 4 AND row_id = sd_row_key (q.id) AND kind = 1 " \
  "                      ORDER BY hlc LIMIT 1)"

/* Makes every row the batch touched (and every row still waiting for
 * its parent) what the op-log says, parents first. */
static gboolean
merge_fold (Merge         *m,
            SdSyncImport  *result,
            GError       **error)
{
  g_autoptr(SdDerive) derive = NULL;
  const char *table;
  gint64 before;
  gboolean few;

  if (!run_bound (m, "INSERT OR IGNORE INTO temp.sync_touched (tbl, row_id) "
                     "SELECT tbl, row_id FROM sync_waiting", NULL, 0, error))
    return FALSE;
  /* Search keys, where people are and the counts: kept by sets for the
   * whole batch (sd-derive.c), not row by row. */
  derive = _sd_derive_begin (m->store, error);
  if (derive == NULL)
    return FALSE;
  result->waiting = 0;
  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    {
      gint64 changed = 0, waiting = 0;

      if (!_sd_replay_apply_touched (m->store, table, _sd_synced_table_is_append_only (table), m->now,
                                     &changed, &waiting, error))
        return FALSE;
      result->rows_changed += changed;
      result->waiting += waiting;
    }
  /* A parent deleted in the same batch as its children waited for them
   * (parents come first): once more, children first, so that a person
   * registered by mistake and removed with their household is gone at
   * HQ too, not kept until the next batch. */
  if (result->waiting > 0)
    {
      guint n = 0;

      while (_sd_synced_table (n) != NULL)
        n++;
      result->waiting = 0;
      while (n-- > 0)
        {
          gint64 changed = 0, waiting = 0;

          table = _sd_synced_table (n);
          if (!_sd_replay_apply_touched (m->store, table, _sd_synced_table_is_append_only (table), m->now,
                                         &changed, &waiting, error))
            return FALSE;
          result->rows_changed += changed;
          result->waiting += waiting;
        }
    }
  if (!_sd_derive_end (derive, error))
    return FALSE;

  /* Possible duplicates: a person new here and one registered at another
   * site with the same name and birth date, or the same kana, birth date
   * and address (the intake desk's rules, by its own keys).  A record
   * merged into another is closed: never proposed again, and a pair that
   * the batch closed a record of is decided.
   *
   * A large batch starts from the keys, not from the new persons:
   * person_keys has no index by person, so that way scanned every key of
   * every person.  One pass along the 'd' and 'e' range of its primary
   * key finds the few keys two persons share, and only those are looked
   * up: a sixth of the time for 44 000 new persons.  A small batch (a
   * push of a few registrations into a city's HQ) would still pay that
   * pass over everyone: it makes its new persons' keys again instead
   * (the very keys person_keys holds for them, which check proves) and
   * looks each up.  np.row_id = sd_row_key (…) is sd_row_id ()'s inverse,
   * and can use np's primary key. */
  before = store_count (m->store, "SELECT count (*) FROM sync_duplicates");
  few = store_count (m->store, "SELECT count (*) * 32 FROM temp.sync_new_persons") <
        store_count (m->store, "SELECT n FROM table_counts WHERE name = 'persons'");
  g_debug ("merge: possible duplicates by %s", few ? "the new persons' keys" : "the keys shared");
  if (!run_bound (m, few
                     ? DUPLICATES ("FROM temp.sync_new_persons np JOIN persons p ON p.id = sd_row_id (np.row_id) "
                                   "  LEFT JOIN households h0 ON h0.id = p.household_id, "
                                   "  json_each (sd_search_keys (p.name, p.kana, coalesce (p.phone, h0.phone), "
                                   "    p.birth_date)) k ", "k.value")
                     : DUPLICATES ("FROM (SELECT key FROM person_keys WHERE key >= 'd' AND key < 'f' GROUP BY key "
                                   "  HAVING count (*) > 1) s "
                                   "  JOIN person_keys k ON k.key = s.key "
                                   "  JOIN temp.sync_new_persons np ON np.row_id = sd_row_key (k.person_id) "
                                   "  JOIN persons p ON p.id = k.person_id ", "k.key"),
                NULL, 0, error))
    return FALSE;
  result->duplicates = store_count (m->store, "SELECT count (*) FROM sync_duplicates") - before;
  return _sd_sync_settle_merged (m->store, error) && _sd_sync_close_merged_pairs (m->store, m->now, error);
}

/* Reads the next operation of READER, its INDEX-th, into *OP: in place
 * when it is in the layout this program writes, else by jansson (*JSON
 * then holds its strings and *PACKED its fields, for the caller to
 * free).  FALSE at the end, with *ERROR unset, or for an error.  The
 * merge and the replay of batch files read batches alike through it. */
static gboolean
next_operation (SdBatchReader  *reader,
                gint64          index,
                SdSyncOp       *op,
                json_t        **json,
                char          **packed,
                GCancellable   *cancellable,
                GError        **error)
{
  gsize length = 0;
  char *line = sd_batch_reader_next_line (reader, &length, cancellable, error);

  if (line == NULL)
    return FALSE;
  if (_sd_sync_op_parse (line, length, op))
    return TRUE;
  *json = sd_batch_reader_parse_line (reader, line, length, error);
  if (*json == NULL)
    return FALSE;
  return _sd_sync_op_from_json (*json, op, packed) || bad_operation (error, index);
}

gboolean
_sd_sync_merge (SdStore        *store,
                SdBatchReader  *reader,
                const char     *from_site,
                SdSyncImport   *result,
                GCancellable   *cancellable,
                GError        **error)
{
  const json_t *header = sd_batch_reader_get_header (reader);
  Merge m;
  gboolean ok = FALSE;
  gint64 index = 0, t0 = g_get_monotonic_time ();
  clock_t c0 = clock ();
  g_autoptr(GError) local = NULL;

  if (!merge_init (&m, store, from_site, error))
    goto out;
  _sd_store_set_capture (store, FALSE);
  for (;;)
    {
      g_autoptr(json_t) json = NULL;
      g_autofree char *packed = NULL;
      SdSyncOp op;

      if (!next_operation (reader, index + 1, &op, &json, &packed, cancellable, &local))
        break;
      ++index;
      if (!merge_operation (&m, &op, index, result, error))
        {
          flush_before_error (&m, result, error);
          goto out;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      flush_before_error (&m, result, error);
      goto out;
    }
  if (!flush_pending (&m, result, error) || !note_runs (&m, error))
    goto out;
  result->operations = index;
  g_debug ("merge: %" G_GINT64_FORMAT " changes read and stored in %.0f ms (%.0f ms CPU)", index,
           (g_get_monotonic_time () - t0) / 1000.0, (clock () - c0) * 1000.0 / CLOCKS_PER_SEC);
  t0 = g_get_monotonic_time ();
  /* The reader has proved the whole payload: now fold it in. */
  ok = merge_findings (&m, json_object_get (header, "holds"), result, error);
  g_debug ("merge: findings in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);
  t0 = g_get_monotonic_time ();
  ok = ok && merge_fold (&m, result, error) &&
       take_holds (store, from_site, json_object_get (header, "holds"), error);
  g_debug ("merge: fold in %.0f ms", (g_get_monotonic_time () - t0) / 1000.0);

out:
  _sd_store_set_capture (store, TRUE);
  merge_clear (&m);
  return ok;
}

/* ---- replay ---- */

gboolean
_sd_sync_fold_rows (SdStore        *store,
                    const char     *from_site,
                    SdSyncRowFunc   next,
                    gpointer        data,
                    SdSyncImport   *result,
                    GError        **error)
{
  g_autoptr(GString) line = g_string_sized_new (1024);
  g_autoptr(GError) local = NULL;
  SdSyncOpRow row;
  gint64 index = 0;
  gboolean ok = FALSE;
  Merge m;

  if (!merge_init (&m, store, from_site, error))
    goto out;
  _sd_store_set_capture (store, FALSE);
  while (next (data, &row, &local))
    {
      g_autofree char *packed = NULL;
      g_autoptr(json_t) json = NULL;
      gboolean stored;
      SdSyncOp op;

      ++index;
      if (operation_line (line, &row) && _sd_sync_op_parse (line->str, line->len, &op))
        stored = merge_operation (&m, &op, index, result, error);
      else
        stored = (json = operation_json (&row)) != NULL && _sd_sync_op_from_json (json, &op, &packed)
                 ? merge_operation (&m, &op, index, result, error) : bad_operation (error, index);
      if (!stored)
        {
          flush_before_error (&m, result, error);
          goto out;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }
  if (!flush_pending (&m, result, error) || !note_runs (&m, error))
    goto out;
  result->operations += index;
  ok = merge_findings (&m, NULL, result, error) && merge_fold (&m, result, error);

out:
  _sd_store_set_capture (store, TRUE);
  merge_clear (&m);
  return ok;
}

/* A recorded day's changes in HLC order, for _sd_sync_fold_rows (). */
typedef struct {
  sqlite3      *source;
  sqlite3_stmt *ops;
  char         *row_id;
} DayRows;

static gboolean
next_day_row (gpointer      data,
              SdSyncOpRow  *row,
              GError      **error)
{
  DayRows *d = data;
  int rc = sqlite3_step (d->ops);

  g_clear_pointer (&d->row_id, g_free);
  if (rc == SQLITE_ROW)
    {
      *row = op_row (d->ops, (const char *) sqlite3_column_text (d->ops, 7), &d->row_id);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the recorded day: %s"),
                 sqlite3_errmsg (d->source));
  return FALSE;
}

gboolean
_sd_sync_replay (SdStore       *store,
                 sqlite3       *source,
                 const char    *from_site,
                 SdHlc          after,
                 SdHlc          until,
                 SdSyncImport  *result,
                 GError       **error)
{
  DayRows day = { source, NULL, NULL };
  gboolean ok;

  /* In HLC order: each origin's changes in their sequence, the origins
   * interleaved as they happened. */
  if (sqlite3_prepare_v2 (source, "SELECT o.seq, o.txn, o.hlc, o.kind, t.name, o.row_id, o.fields, s.site_id "
                                  "FROM oplog o JOIN oplog_tables t ON t.n = o.tbl JOIN oplog_sites s ON s.n = o.site "
                                  "WHERE o.hlc > ?1 AND o.hlc <= ?2 ORDER BY o.hlc, o.site, o.seq",
                          -1, &day.ops, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the recorded day: %s"),
                   sqlite3_errmsg (source));
      return FALSE;
    }
  sqlite3_bind_int64 (day.ops, 1, (gint64) after);
  sqlite3_bind_int64 (day.ops, 2, (gint64) until);
  ok = _sd_sync_fold_rows (store, from_site, next_day_row, &day, result, error);
  sqlite3_finalize (day.ops);
  g_free (day.row_id);
  return ok;
}

/* ---- import ---- */

gboolean
_sd_sync_header_is_exercise (const json_t *header)
{
  /* Only true is an exercise: a batch from before the member is live. */
  return json_is_true (json_object_get (header, "exercise"));
}

static gboolean
find_sender (SdStore           *store,
             const SdSyncSelf  *self,
             const guint8      *signer,
             const json_t      *header,
             const char        *enrol,
             SdSyncImport      *result,
             GError           **error)
{
  const char *origin = json_string_value (json_object_get (header, "origin"));
  const json_t *sender = json_object_get (header, "sender");
  g_autofree char *fingerprint = _sd_sync_fingerprint (signer);
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT site_id, name, revoked_at IS NOT NULL, role FROM sync_peers "
                                                 "WHERE sign_pk = ?1", error);
  gboolean found, revoked = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, signer, crypto_sign_PUBLICKEYBYTES, SQLITE_TRANSIENT);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  if (found)
    {
      result->from_site = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      result->from_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      revoked = sqlite3_column_int (stmt, 2);
    }
  sqlite3_reset (stmt);

  if (found && revoked)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_REVOKED,
                   _("This batch comes from “%s”, which HQ revoked (a lost or stolen kiosk): it is refused. "
                     "What that kiosk sent before it was revoked is kept."), result->from_name);
      return FALSE;
    }
  if (found && g_strcmp0 (result->from_site, origin) != 0)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_SENDER,
                   _("This batch is signed with the key of “%s” but says it comes from another site: it is "
                     "refused. Keep the file for HQ."), result->from_name);
      return FALSE;
    }
  if (found)
    return TRUE;

  /* A kiosk HQ does not know yet: enrolled only when a person typed the
   * fingerprint the kiosk shows. */
  if (self->role == SD_SYNC_ROLE_HQ && enrol != NULL)
    {
      g_autofree char *typed = g_ascii_strup (enrol, -1);
      g_autofree char *shown = g_ascii_strup (fingerprint, -1);
      guint8 box_pk[crypto_box_PUBLICKEYBYTES];
      const char *box = json_string_value (json_object_get (sender, "box_pk"));
      const char *name = json_string_value (json_object_get (sender, "name"));
      gsize len = 0;

      g_strdelimit (typed, " ", '-');
      if (!g_str_equal (typed, shown))
        {
          g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_FINGERPRINT,
                       _("The fingerprint typed (%s) is not the one of the kiosk that made this batch (%s). "
                         "Compare it again with the kiosk’s screen; nothing was imported."), enrol, fingerprint);
          return FALSE;
        }
      if (!is_site_id (origin) || name == NULL || box == NULL || strlen (box) != 64 ||
          g_strcmp0 (json_string_value (json_object_get (sender, "role")), "kiosk") != 0 ||
          sodium_hex2bin (box_pk, sizeof box_pk, box, 64, NULL, &len, NULL) != 0 || len != sizeof box_pk)
        {
          g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                       _("This batch does not carry the keys of the kiosk that made it, so it cannot enrol it."));
          return FALSE;
        }
      stmt = _sd_store_prepare (store, "INSERT INTO sync_peers (site_id, role, name, sign_pk, box_pk, enrolled_at) "
                                       "VALUES (?1, 'kiosk', ?2, ?3, ?4, ?5)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 3, signer, crypto_sign_PUBLICKEYBYTES, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 4, box_pk, sizeof box_pk, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 5, sd_store_now_ms (store));
      if (!_sd_store_exec (store, stmt, _("enrol the kiosk"), error))
        {
          g_prefix_error (error, _("A site with this identity is already enrolled with another key "
                                   "(a copied disk?): "));
          return FALSE;
        }
      result->from_site = g_strdup (origin);
      result->from_name = g_strdup (name);
      result->enrolled = TRUE;
      return TRUE;
    }
  g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_SENDER,
               self->role == SD_SYNC_ROLE_HQ
               ? _("This batch comes from a kiosk that is not enrolled at this HQ (key fingerprint %s). "
                   "If it is a new kiosk of this deployment, compare this fingerprint with the one on the "
                   "kiosk’s screen and enrol it; otherwise keep the file for HQ.")
               : _("This batch is signed by a site this kiosk does not know (key fingerprint %s). Take it "
                   "to HQ, or import HQ’s newest batch first (it lists the deployment’s kiosks)."),
               fingerprint);
  return FALSE;
}

static gboolean
record_batch (SdStore            *store,
              const json_t       *header,
              SdSyncImport       *result,
              GError            **error)
{
  const char *prev = json_string_value (json_object_get (header, "prev"));
  sqlite3_stmt *stmt;

  if (prev != NULL)
    {
      stmt = _sd_store_prepare (store, "SELECT 1 FROM sync_batches WHERE sha256 = ?1 AND from_site = ?2", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, prev, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, result->from_site, -1, SQLITE_TRANSIENT);
      result->chain_broken = sqlite3_step (stmt) != SQLITE_ROW;
      sqlite3_reset (stmt);
    }
  stmt = _sd_store_prepare (store, "INSERT INTO sync_batches (sha256, from_site, received_at, operations, applied) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, result->from_site, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  sqlite3_bind_int64 (stmt, 4, result->operations);
  sqlite3_bind_int64 (stmt, 5, result->applied);
  if (!_sd_store_exec (store, stmt, _("record the batch received"), error))
    return FALSE;
  stmt = _sd_store_prepare (store, "UPDATE sync_peers SET last_received_at = ?2, last_received_sha = ?3, "
                                   "chain_breaks = chain_breaks + ?4 WHERE site_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->from_site, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, sd_store_now_ms (store));
  sqlite3_bind_text (stmt, 3, result->sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, result->chain_broken);
  return _sd_store_exec (store, stmt, _("record the batch received"), error);
}

static gboolean
already_imported (SdStore      *store,
                  SdSyncImport *result,
                  GError      **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT b.from_site, coalesce (p.name, b.from_site), b.operations "
                                                 "FROM sync_batches b LEFT JOIN sync_peers p ON p.site_id = b.from_site "
                                                 "WHERE b.sha256 = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, result->sha256, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      result->already_imported = TRUE;
      result->from_site = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      result->from_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      result->operations = sqlite3_column_int64 (stmt, 2);
      result->already_had = result->operations;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* What a batch's HEADER must say before anything of it is read for
 * STORE (SELF): a batch of a schema this build knows, of this deployment,
 * addressed to this site; and, with CHECK_MARK, from an exercise exactly
 * when STORE is one.  Both the import and the replay of batch files
 * (_sd_sync_batches_to_oplog ()) ask it here, so the two cannot drift. */
static gboolean
check_header (SdStore           *store,
              const SdSyncSelf  *self,
              const json_t      *header,
              gboolean           check_mark,
              GError           **error)
{
  const char *kind, *to;
  json_int_t schema;

  kind = json_string_value (json_object_get (header, "kind"));
  to = json_string_value (json_object_get (header, "to"));
  schema = json_integer_value (json_object_get (header, "schema"));
  if (schema > SD_SCHEMA_VERSION)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_TOO_NEW,
                   _("This batch was made by a newer ShelterDesk (database version %d; this one knows up to %d). "
                     "Update ShelterDesk here, then import it again."), (int) schema, SD_SCHEMA_VERSION);
      return FALSE;
    }
  if (g_strcmp0 (kind, "batch") != 0 || schema < 1)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                   g_strcmp0 (kind, "bundle") == 0
                   ? _("This is a deployment bundle, not a batch: a new kiosk is enrolled with it.")
                   : _("This batch cannot be read: its header is not one ShelterDesk writes."));
      return FALSE;
    }
  /* Before the deployment, so that a mix is named for what it is.  The
   * sites of one deployment share the mark (an enrolment takes it from
   * the bundle) and another deployment's batch does not open here: this
   * refuses what got past both, a site whose mark is not its
   * deployment's. */
  if (check_mark && _sd_sync_header_is_exercise (header) != sd_store_get_is_exercise (store))
    {
      g_set_error_literal (error, SD_SYNC_ERROR, SD_SYNC_ERROR_EXERCISE,
                           sd_store_get_is_exercise (store)
                           ? _("This batch holds real data and this database is a tabletop exercise (訓練): it is "
                               "refused, so that exercise records never mix with real ones.")
                           : _("This batch comes from a tabletop exercise (訓練) and this database holds real data: "
                               "it is refused, so that exercise records never mix with real ones."));
      return FALSE;
    }
  if (g_strcmp0 (json_string_value (json_object_get (header, "deployment")), self->deployment_id) != 0)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_OTHER_DEPLOYMENT,
                   _("This batch belongs to another deployment (“%s”), not to “%s”: it is refused."),
                   json_string_value (json_object_get (header, "deployment_name")) ?: "?", self->deployment_name);
      return FALSE;
    }
  if (g_strcmp0 (to, sd_store_get_site_id (store)) != 0)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ADDRESSED,
                   _("This batch was made for another site of the deployment: import it there."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
import_stream (SdStore       *store,
               GInputStream  *in,
               const char    *enrol,
               SdSyncImport  *result,
               GCancellable  *cancellable,
               GError       **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(SdBatchReader) reader = NULL;
  g_autoptr(SdTxn) txn = NULL;
  const json_t *header;
  gboolean ok;

  if (!_sd_sync_load_self (store, &self, error) || !already_imported (store, result, error))
    return FALSE;
  if (result->already_imported)
    return TRUE;

  reader = sd_batch_reader_new (in, &self.receiver, cancellable, error);
  if (reader == NULL)
    return FALSE;
  header = sd_batch_reader_get_header (reader);
  if (!check_header (store, &self, header, TRUE, error))
    return FALSE;

  /* A day's batch writes more pages than the desk's cache holds: spilled
   * mid-transaction into the WAL, each is written there again and again.
   * A larger cache for the import only. */
  sqlite3_exec (_sd_store_get_db (store), "PRAGMA cache_size = -" G_STRINGIFY (IMPORT_CACHE_KIB), NULL, NULL, NULL);
  txn = _sd_store_begin (store, error);
  ok = txn != NULL &&
       find_sender (store, &self, sd_batch_reader_get_signer (reader), header, enrol, result, error) &&
       _sd_sync_merge (store, reader, result->from_site, result, cancellable, error) &&
       /* HQ's list of the deployment's sites, revocations included. */
       (!json_is_array (json_object_get (header, "peers")) ||
        g_strcmp0 (json_string_value (json_object_get (json_object_get (header, "sender"), "role")), "hq") != 0 ||
        self.role != SD_SYNC_ROLE_KIOSK ||
        _sd_sync_learn_peers (store, json_object_get (header, "peers"), error)) &&
       record_batch (store, header, result, error) && _sd_txn_commit (g_steal_pointer (&txn), error);
  g_clear_pointer (&txn, _sd_txn_rollback);
  sqlite3_exec (_sd_store_get_db (store), "PRAGMA cache_size = -" G_STRINGIFY (SD_STORE_CACHE_KIB), NULL, NULL, NULL);
  if (!ok)
    {
      /* Nothing of a refused batch stays: neither do the counts of what
       * it stored before it was refused. */
      result->operations = result->applied = result->already_had = result->rows_changed = 0;
      result->waiting = result->clamped = result->gaps = result->conflicts = result->duplicates = 0;
      result->enrolled = result->chain_broken = FALSE;
    }
  return ok;
}

/* Reads the batch IN for STORE (SELF) with every check an import makes
 * before it writes anything (CHECK_MARK: the exercise mark too), then
 * hands each operation to FUNC.  The sender is only looked up (no
 * fingerprint): nothing is written at STORE. */
static gboolean
read_batch (SdStore           *store,
            const SdSyncSelf  *self,
            GInputStream      *in,
            gboolean           check_mark,
            SdSyncImport      *result,
            json_t           **header,
            SdSyncOpFunc       func,
            gpointer           user_data,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(SdBatchReader) reader = sd_batch_reader_new (in, &self->receiver, cancellable, error);
  g_autoptr(GError) local = NULL;
  const json_t *h;
  gint64 index = 0;

  if (reader == NULL)
    return FALSE;
  h = sd_batch_reader_get_header (reader);
  if (!check_header (store, self, h, check_mark, error) ||
      !find_sender (store, self, sd_batch_reader_get_signer (reader), h, NULL, result, error))
    return FALSE;
  for (;;)
    {
      g_autoptr(json_t) json = NULL;
      g_autofree char *packed = NULL;
      SdSyncOp op;

      if (!next_operation (reader, index + 1, &op, &json, &packed, cancellable, &local))
        break;
      ++index;
      /* The merge checks the rest; what an op-log could not even hold
       * is refused here. */
      if (op.site == NULL || op.tbl == NULL || op.row_id == NULL || op.deletion != (op.packed == NULL))
        return bad_operation (error, index);
      if (!func (&op, index, user_data, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  result->operations = index;
  if (header != NULL)
    *header = json_incref ((json_t *) h);
  return TRUE;
}

gboolean
_sd_sync_read_batch (SdStore        *store,
                     GBytes         *bytes,
                     SdSyncImport   *result,
                     json_t        **header,
                     SdSyncOpFunc    func,
                     gpointer        user_data,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_auto(SdSyncSelf) self = { 0 };
  guint8 sha[crypto_hash_sha256_BYTES];

  memset (result, 0, sizeof *result);
  crypto_hash_sha256 (sha, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  result->sha256 = _sd_sync_hex (sha, sizeof sha);
  return _sd_sync_load_self (store, &self, error) &&
         read_batch (store, &self, in, TRUE, result, header, func, user_data, cancellable, error);
}

gboolean
sd_sync_import_bytes (SdStore       *store,
                      GBytes        *bytes,
                      const char    *enrol,
                      SdSyncImport  *result,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  guint8 sha[crypto_hash_sha256_BYTES];

  memset (result, 0, sizeof *result);
  crypto_hash_sha256 (sha, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  result->sha256 = _sd_sync_hex (sha, sizeof sha);
  return import_stream (store, in, enrol, result, cancellable, error);
}

gboolean
sd_sync_import_file (SdStore       *store,
                     const char    *path,
                     const char    *enrol,
                     SdSyncImport  *result,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree char *name = g_path_get_basename (path);
  crypto_hash_sha256_state state;
  guint8 sha[crypto_hash_sha256_BYTES];
  guint8 buffer[65536];
  gssize n;
  gboolean ok;

  memset (result, 0, sizeof *result);
  /* The file's hash first, by a pass of its own: a batch need not fit
   * in memory, and a second import of the same file is known at once. */
  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  crypto_hash_sha256_init (&state);
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, cancellable, error)) > 0)
    crypto_hash_sha256_update (&state, buffer, (gsize) n);
  if (n < 0 || !g_seekable_seek (G_SEEKABLE (in), 0, G_SEEK_SET, cancellable, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  crypto_hash_sha256_final (&state, sha);
  result->sha256 = _sd_sync_hex (sha, sizeof sha);
  ok = import_stream (store, G_INPUT_STREAM (in), enrol, result, cancellable, error);
  if (!ok)
    g_prefix_error (error, "%s: ", name);
  return ok;
}

/* ---- batch files, for a replay ---- */

/* The scratch database's op-log: the columns _sd_sync_replay () reads,
 * each change of an origin once. */
static const char scratch_schema[] =
  "CREATE TABLE IF NOT EXISTS oplog_sites (n INTEGER PRIMARY KEY, site_id TEXT NOT NULL UNIQUE);"
  "CREATE TABLE IF NOT EXISTS oplog_tables (n INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
  "CREATE TABLE IF NOT EXISTS oplog (site INTEGER NOT NULL, seq INTEGER NOT NULL, txn INTEGER NOT NULL, "
  "  hlc INTEGER NOT NULL, kind INTEGER NOT NULL, tbl INTEGER NOT NULL, row_id NOT NULL, fields TEXT, "
  "  PRIMARY KEY (site, seq)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS oplog_hlc ON oplog (hlc);";

typedef struct {
  sqlite3      *db;
  sqlite3_stmt *site, *table, *op;
} Scratch;

static gboolean
scratch_failed (Scratch  *s,
                GError  **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not gather the batches’ changes: %s"),
               sqlite3_errmsg (s->db));
  return FALSE;
}

/* OP, once: a change a second batch brings again (relayed, or the same
 * file twice) is the one already kept. */
static gboolean
scratch_add (Scratch         *s,
             const SdSyncOp  *op,
             GError         **error)
{
  sqlite3_bind_text (s->site, 1, op->site, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->table, 1, op->tbl, -1, SQLITE_STATIC);
  if (sqlite3_step (s->site) != SQLITE_DONE || sqlite3_step (s->table) != SQLITE_DONE)
    {
      sqlite3_reset (s->site);
      sqlite3_reset (s->table);
      return scratch_failed (s, error);
    }
  sqlite3_reset (s->site);
  sqlite3_reset (s->table);
  sqlite3_bind_text (s->op, 1, op->site, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (s->op, 2, op->seq);
  sqlite3_bind_int64 (s->op, 3, op->txn);
  sqlite3_bind_int64 (s->op, 4, op->hlc);
  sqlite3_bind_int64 (s->op, 5, op->kind);
  sqlite3_bind_text (s->op, 6, op->tbl, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->op, 7, op->row_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (s->op, 8, op->packed, -1, SQLITE_STATIC);  /* NULL for a deletion */
  if (sqlite3_step (s->op) != SQLITE_DONE)
    {
      sqlite3_reset (s->op);
      return scratch_failed (s, error);
    }
  sqlite3_reset (s->op);
  return TRUE;
}

/* A batch that does not open with RECEIVER's keys, or is not addressed
 * to it: the replay was given another site's database. */
static void
not_sent_to (SdStore  *receiver,
             GError  **error)
{
  g_clear_error (error);
  g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ADDRESSED,
               _("It was not sent to “%s”, the receiver given (or it is damaged at its start): give the database "
                 "of the site it was sent to."), sd_store_get_site_name (receiver));
}

static gboolean
scratch_add_op (const SdSyncOp  *op,
                gint64           index,
                gpointer         user_data,
                GError         **error)
{
  return scratch_add (user_data, op, error);
}

/* Reads the batch at PATH with the checks an import makes before it
 * writes anything (the exercise mark apart) and adds its changes to S. */
static gboolean
batch_to_scratch (SdStore           *receiver,
                  const SdSyncSelf  *self,
                  const char        *path,
                  Scratch           *s,
                  GCancellable      *cancellable,
                  GError           **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, cancellable, error);
  g_autoptr(GError) local = NULL;
  SdSyncImport sender = { 0 };
  gboolean ok;

  if (in == NULL)
    return FALSE;
  /* Not the exercise mark: the replay is always an exercise, so a real
   * day replayed never flows back into live data. */
  ok = read_batch (receiver, self, G_INPUT_STREAM (in), FALSE, &sender, NULL, scratch_add_op, s, cancellable, &local);
  sd_sync_import_clear (&sender);
  if (g_error_matches (local, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US) ||
      g_error_matches (local, SD_SYNC_ERROR, SD_SYNC_ERROR_NOT_ADDRESSED))
    not_sent_to (receiver, &local);
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

gboolean
_sd_sync_batches_to_oplog (SdStore            *receiver,
                           const char *const  *paths,
                           sqlite3            *scratch,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  Scratch s = { scratch, NULL, NULL, NULL };
  gboolean ok = TRUE;

  if (!_sd_sync_load_self (receiver, &self, error))
    return FALSE;
  if (sqlite3_exec (scratch, scratch_schema, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (scratch, "INSERT OR IGNORE INTO oplog_sites (site_id) VALUES (?1)", -1, &s.site,
                          NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (scratch, "INSERT OR IGNORE INTO oplog_tables (name) VALUES (?1)", -1, &s.table,
                          NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (scratch, "INSERT OR IGNORE INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
                                   "VALUES ((SELECT n FROM oplog_sites WHERE site_id = ?1), ?2, ?3, ?4, ?5, "
                                   "(SELECT n FROM oplog_tables WHERE name = ?6), ?7, ?8)",
                          -1, &s.op, NULL) != SQLITE_OK)
    ok = scratch_failed (&s, error);

  for (guint i = 0; ok && paths[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (paths[i]);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        ok = FALSE;
      /* The reader proves a payload only at its end: a batch's changes
       * are kept once it has, and a damaged one leaves none. */
      else if (sqlite3_exec (scratch, "SAVEPOINT batch", NULL, NULL, NULL) != SQLITE_OK)
        ok = scratch_failed (&s, error);
      else if (batch_to_scratch (receiver, &self, paths[i], &s, cancellable, error))
        ok = sqlite3_exec (scratch, "RELEASE batch", NULL, NULL, NULL) == SQLITE_OK || scratch_failed (&s, error);
      else
        {
          sqlite3_exec (scratch, "ROLLBACK TO batch; RELEASE batch", NULL, NULL, NULL);
          g_prefix_error (error, "%s: ", name);
          ok = FALSE;
        }
    }
  sqlite3_finalize (s.site);
  sqlite3_finalize (s.table);
  sqlite3_finalize (s.op);
  return ok;
}

/* ---- what people review ---- */


gboolean
sd_sync_get_status (SdStore       *store,
                    SdSyncStatus  *status,
                    GError       **error)
{
  g_autoptr(GPtrArray) peers = sd_sync_list_peers (store, error);
  gboolean kiosk = sd_sync_get_role (store) == SD_SYNC_ROLE_KIOSK;

  memset (status, 0, sizeof *status);
  if (peers == NULL)
    return FALSE;
  for (guint i = 0; i < peers->len; i++)
    {
      SdSyncPeer *peer = g_ptr_array_index (peers, i);

      /* A kiosk's waiting work is what HQ lacks; HQ's, what its kiosks lack. */
      if (peer->revoked_at != 0 || (kiosk && !peer->is_hq))
        continue;
      status->waiting = MAX (status->waiting, (guint64) peer->waiting);
      if (peer->waiting_since != 0 && (status->waiting_since == 0 || peer->waiting_since < status->waiting_since))
        status->waiting_since = peer->waiting_since;
    }
  status->gaps = store_count (store, "SELECT coalesce (sum (last_seq - first_seq + 1), 0) FROM oplog_gaps "
                                     "WHERE reason = 'sync'");
  status->clamped_origins = store_count (store, "SELECT count (*) FROM sync_clock_flags");
  status->conflicts = store_count (store, "SELECT count (*) FROM sync_conflicts WHERE resolved_at IS NULL");
  status->duplicates = store_count (store, "SELECT count (*) FROM sync_duplicates WHERE decision IS NULL");
  status->rows_waiting = store_count (store, "SELECT count (*) FROM sync_waiting");
  status->last_import_at = store_count (store, "SELECT coalesce (max (received_at), 0) FROM sync_batches");
  return TRUE;
}

static char *
query_json (SdStore     *store,
            const char  *sql,
            gint64       flag,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, flag);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  if (text == NULL)
    _sd_store_set_error (store, sqlite3_errcode (_sd_store_get_db (store)), _("read the sync status"), error);
  sqlite3_finalize (stmt);
  return text;
}

char *
sd_sync_status_json (SdStore  *store,
                     GError  **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(GPtrArray) peers = NULL;
  g_autofree char *gaps = NULL, *clocks = NULL, *fingerprint = NULL;
  SdSyncStatus status;
  json_t *root, *list;

  if (!_sd_sync_load_self (store, &self, error) || !sd_sync_get_status (store, &status, error) ||
      (peers = sd_sync_list_peers (store, error)) == NULL)
    return NULL;
  gaps = query_json (store, "SELECT json_group_array (json_object ('site', site_id, 'first', first_seq, "
                            "'last', last_seq, 'noted_at', noted_at)) FROM oplog_gaps WHERE reason = 'sync'", 0, error);
  clocks = query_json (store, "SELECT json_group_array (json_object ('site', origin, 'ahead_ms', ahead_ms, "
                              "'changes', changes, 'last_noted_at', last_noted_at)) FROM sync_clock_flags", 0, error);
  if (gaps == NULL || clocks == NULL)
    return NULL;
  fingerprint = _sd_sync_fingerprint (self.signer.sign_pk);
  list = json_array ();
  for (guint i = 0; i < peers->len; i++)
    {
      SdSyncPeer *p = g_ptr_array_index (peers, i);

      json_array_append_new (list, json_pack ("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:b}",
                                              "site", p->site_id, "name", p->name, "role", p->is_hq ? "hq" : "kiosk",
                                              "fingerprint", p->fingerprint,
                                              "enrolled_at", (json_int_t) p->enrolled_at,
                                              "last_received_at", (json_int_t) p->last_received_at,
                                              "last_sent_at", (json_int_t) p->last_sent_at,
                                              "waiting", (json_int_t) p->waiting,
                                              "waiting_since", (json_int_t) p->waiting_since,
                                              "chain_breaks", (json_int_t) p->chain_breaks,
                                              "revoked", p->revoked_at != 0));
    }
  root = json_pack ("{s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:o, s:o, s:I, s:I, s:I, s:I}",
                    "role", self.role == SD_SYNC_ROLE_HQ ? "hq" : "kiosk",
                    "deployment", self.deployment_name, "site", sd_store_get_site_id (store),
                    "fingerprint", fingerprint, "peers", list,
                    "waiting", (json_int_t) status.waiting, "waiting_since", (json_int_t) status.waiting_since,
                    "gaps", json_loads (gaps, 0, NULL), "clocks_ahead", json_loads (clocks, 0, NULL),
                    "conflicts", (json_int_t) status.conflicts, "duplicates", (json_int_t) status.duplicates,
                    "rows_waiting", (json_int_t) status.rows_waiting,
                    "last_import_at", (json_int_t) status.last_import_at);
  {
    char *text = json_dumps (root, JSON_INDENT (2) | JSON_PRESERVE_ORDER);

    json_decref (root);
    return text;
  }
}

char *
sd_sync_list_conflicts_json (SdStore   *store,
                             gboolean   include_resolved,
                             GError   **error)
{
  return query_json (store,
    "SELECT json_group_array (json_object ('id', c.id, 'table', t.name, 'row_id', sd_row_id (c.row_id), "
    "  'field', f.name, 'noted_at', c.noted_at, 'resolved', c.resolved_at IS NOT NULL, "
    "  'winner', json_object ('site', c.winner_site, 'name', coalesce (pw.name, c.winner_site), "
    "    'value', (SELECT json_extract (o.fields, '$.\"' || c.field || '\"') FROM oplog o "
    "      JOIN oplog_sites s ON s.n = o.site WHERE s.site_id = c.winner_site AND o.seq = c.winner_seq)), "
    "  'loser', json_object ('site', c.loser_site, 'name', coalesce (pl.name, c.loser_site), "
    "    'value', (SELECT json_extract (o.fields, '$.\"' || c.field || '\"') FROM oplog o "
    "      JOIN oplog_sites s ON s.n = o.site WHERE s.site_id = c.loser_site AND o.seq = c.loser_seq)))) "
    "FROM (SELECT * FROM sync_conflicts WHERE ?1 OR resolved_at IS NULL ORDER BY id) c "
    "  JOIN oplog_tables t ON t.n = c.tbl JOIN oplog_fields f ON f.tbl = c.tbl AND f.n = c.field "
    "  LEFT JOIN sync_peers pw ON pw.site_id = c.winner_site LEFT JOIN sync_peers pl ON pl.site_id = c.loser_site",
    include_resolved, error);
}

gboolean
sd_sync_resolve_conflict (SdStore   *store,
                          gint64     id,
                          gboolean   keep_loser,
                          GError   **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  g_autofree char *table = NULL, *column = NULL, *row_id = NULL, *update = NULL;
  sqlite3_value *value = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store,
    "SELECT t.name, f.name, sd_row_id (c.row_id), "
    "  (SELECT json_extract (o.fields, '$.\"' || c.field || '\"') FROM oplog o JOIN oplog_sites s ON s.n = o.site "
    "   WHERE s.site_id = c.loser_site AND o.seq = c.loser_seq) "
    "FROM sync_conflicts c JOIN oplog_tables t ON t.n = c.tbl JOIN oplog_fields f ON f.tbl = c.tbl AND f.n = c.field "
    "WHERE c.id = ?1 AND c.resolved_at IS NULL AND NOT f.retired", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      table = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      column = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      value = sqlite3_value_dup (sqlite3_column_value (stmt, 3));
    }
  sqlite3_reset (stmt);
  if (table == NULL)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_PEER,
                   _("There is no open conflict %lld. “conflicts list” shows them."), (long long) id);
      return FALSE;
    }
  ok = TRUE;
  if (keep_loser)
    {
      /* A new change of this site, newer than both: it wins everywhere,
       * and the op-log keeps all three. Names are ShelterDesk's own. */
      sqlite3_stmt *write = NULL;

      update = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?1 WHERE id = ?2", table, column);
      ok = sqlite3_prepare_v2 (_sd_store_get_db (store), update, -1, &write, NULL) == SQLITE_OK;
      if (ok)
        {
          sqlite3_bind_value (write, 1, value);
          sqlite3_bind_text (write, 2, row_id, -1, SQLITE_STATIC);
          ok = sqlite3_step (write) == SQLITE_DONE;
        }
      if (!ok)
        _sd_store_set_error (store, sqlite3_errcode (_sd_store_get_db (store)), _("keep the other value"), error);
      sqlite3_finalize (write);
    }
  sqlite3_value_free (value);
  if (!ok)
    return FALSE;
  stmt = _sd_store_prepare (store, "UPDATE sync_conflicts SET resolved_at = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  sqlite3_bind_int64 (stmt, 2, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("resolve the conflict"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* The name of the site whose change created person P (NULL when it is
 * this site, which is not among its own peers). */
#define REGISTERED_BY(p) \
  "(SELECT sp.name FROM oplog o JOIN oplog_sites s ON s.n = o.site " \
  "  LEFT JOIN sync_peers sp ON sp.site_id = s.site_id " \
  "  WHERE o.tbl = 4 AND o.row_id = sd_row_key (" p ".id) AND o.kind = 1 ORDER BY o.hlc LIMIT 1)"

char *
sd_sync_list_duplicates_json (SdStore   *store,
                              gboolean   include_decided,
                              GError   **error)
{
  /* Each record with the site that registered it (NULL: this site) and
   * when, so that two records of one shelter can be told apart. */
  return query_json (store,
    "SELECT json_group_array (json_object ('a', json_object ('id', a.id, 'name', a.name, 'kana', a.kana, "
    "    'birth_date', a.birth_date, 'address', coalesce (a.address, ha.address), "
    "    'registered_by', " REGISTERED_BY ("a") ", 'registered_at', a.created_at), "
    "  'b', json_object ('id', b.id, 'name', b.name, 'kana', b.kana, 'birth_date', b.birth_date, "
    "    'address', coalesce (b.address, hb.address), "
    "    'registered_by', " REGISTERED_BY ("b") ", 'registered_at', b.created_at), "
    "  'noted_at', d.noted_at, 'decision', d.decision)) "
    "FROM (SELECT * FROM sync_duplicates WHERE ?1 OR decision IS NULL ORDER BY noted_at, person_a) d "
    "  JOIN persons a ON a.id = d.person_a JOIN persons b ON b.id = d.person_b "
    "  LEFT JOIN households ha ON ha.id = a.household_id LEFT JOIN households hb ON hb.id = b.household_id",
    include_decided, error);
}

gboolean
sd_sync_keep_apart (SdStore     *store,
                    const char  *person_a,
                    const char  *person_b,
                    GError     **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  sqlite3_stmt *stmt;

  if (txn == NULL)
    return FALSE;
  stmt = _sd_store_prepare (store, "UPDATE sync_duplicates SET decision = 'apart', decided_at = ?3 "
                                   "WHERE person_a = min (?1, ?2) AND person_b = max (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, person_a, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, person_b, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  if (!_sd_store_exec (store, stmt, _("keep the two persons apart"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_PEER,
                   _("These two persons are not listed as a possible duplicate."));
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

/* ---- a look at a batch before it is imported ---- */

gboolean
sd_sync_read_batch_sender (SdStore       *store,
                           const char    *path,
                           char         **out_name,
                           char         **out_fingerprint,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(SdBatchReader) reader = NULL;
  const json_t *sender;

  if (!_sd_sync_load_self (store, &self, error))
    return FALSE;
  in = g_file_read (file, cancellable, error);
  if (in != NULL)
    reader = sd_batch_reader_new (G_INPUT_STREAM (in), &self.receiver, cancellable, error);
  if (reader == NULL)
    {
      g_autofree char *name = g_path_get_basename (path);

      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  sender = json_object_get (sd_batch_reader_get_header (reader), "sender");
  if (out_name != NULL)
    *out_name = g_strdup (json_string_value (json_object_get (sender, "name")));
  if (out_fingerprint != NULL)
    *out_fingerprint = _sd_sync_fingerprint (sd_batch_reader_get_signer (reader));
  return TRUE;
}
