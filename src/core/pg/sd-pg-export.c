/* sd-pg-export.c: HQ's batches to kiosks, made from PostgreSQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk gets from HQ every change of the deployment it has not
 * acknowledged.  With HQ in PostgreSQL, those changes are PostgreSQL's
 * op-log, and what each kiosk acknowledged (the "holds" of its batches
 * and of its pulls) is PostgreSQL's too (sync_acks), so that any
 * receiver, on any machine, sends a kiosk what it lacks.  The batch is
 * written by the very code HQ's file uses (_sd_sync_write_batch ()): the
 * same header, the same lines byte for byte (_sd_sync_write_op ()),
 * signed with HQ's keys from HQ's file; only the changes, their ranges
 * and what is held come from PostgreSQL, all read in one snapshot.
 * HQ's own changes made since the last batch are taken in first.
 */
#include "sd-pg-private.h"

#include "sd-json.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* Changes read at a time: an origin's are read by its key, a page at a time. */
#define PAGE "10000"
#define PAGE_SQL \
  "SELECT seq, txn, hlc, kind, tbl, row_id, fields FROM oplog WHERE site_id = $1 AND seq > $2::bigint " \
  "ORDER BY seq LIMIT " PAGE

gboolean
_sd_pg_take_acks (SdPgStore     *self,
                  const char    *peer,
                  const json_t  *holds,
                  GError       **error)
{
  g_autofree char *text = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params[2];

  if (!_sd_sync_check_holds (holds, error))
    return FALSE;
  if (holds == NULL || json_object_size (holds) == 0)
    return TRUE;
  text = json_dumps (holds, JSON_COMPACT);
  params[0] = peer, params[1] = text;
  /* Only of origins PostgreSQL has, as HQ's file takes them: an
   * acknowledgement of one it never saw comes again with the next. */
  res = _sd_pg_query (self, _("record what the other site holds"),
                      "INSERT INTO sync_acks AS a (peer_site_id, origin, acked_seq) "
                      "SELECT $1::text, h.key, h.value::bigint FROM json_each_text ($2::json) h "
                      "WHERE EXISTS (SELECT 1 FROM sync_holds s WHERE s.site_id = h.key) ORDER BY h.key "
                      "ON CONFLICT (peer_site_id, origin) DO UPDATE SET acked_seq = excluded.acked_seq, "
                      "  acked_at = now () WHERE excluded.acked_seq > a.acked_seq", 2, params, error);
  return res != NULL;
}

gboolean
sd_pg_store_set_peer_holds (SdPgStore   *self,
                            const char  *peer,
                            const char  *holds_text,
                            GError     **error)
{
  g_autoptr(json_t) holds = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);

  holds = json_loads (holds_text, 0, NULL);
  if (holds == NULL)
    {
      g_set_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION,
                   _("What the other site says it holds cannot be read."));
      return FALSE;
    }
  return _sd_pg_take_acks (self, peer, holds, error);
}

/* The change in row I of a page of ORIGIN's op-log (seq, txn, hlc, kind,
 * tbl, row_id, fields): its strings are the page's. */
static SdSyncOpRow
page_row (PGresult    *page,
          int          i,
          const char  *origin)
{
  return (SdSyncOpRow) {
    .site = origin, .seq = g_ascii_strtoll (PQgetvalue (page, i, 0), NULL, 10),
    .txn = g_ascii_strtoll (PQgetvalue (page, i, 1), NULL, 10),
    .hlc = g_ascii_strtoll (PQgetvalue (page, i, 2), NULL, 10),
    .kind = (int) g_ascii_strtoll (PQgetvalue (page, i, 3), NULL, 10),
    .tbl = PQgetvalue (page, i, 4), .row_id = PQgetvalue (page, i, 5),
    .fields = PQgetisnull (page, i, 6) ? NULL : PQgetvalue (page, i, 6),
  };
}

/* The changes of each origin ORIGINS names (rows of site_id and the
 * number above which to read), in that order, each origin's a page of
 * its key (site_id, seq) at a time: for a batch to a kiosk and for HQ's
 * file alike. */
typedef struct {
  SdPgStore *pg;
  PGresult  *origins;
  int        origin;   /* the one being read */
  PGresult  *page;
  int        row;      /* the next of PAGE */
  gint64     after;    /* the last sequence number read of ORIGIN */
} Changes;

static void
changes_clear (Changes *c)
{
  g_clear_pointer (&c->page, PQclear);
  g_clear_pointer (&c->origins, PQclear);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Changes, changes_clear)

/* As SdSyncRowFunc: the next change, FALSE at the end or with ERROR. */
static gboolean
changes_next (gpointer      data,
              SdSyncOpRow  *op,
              GError      **error)
{
  Changes *c = data;

  while (c->page == NULL || c->row >= PQntuples (c->page))
    {
      g_autofree char *from = NULL;
      const char *params[2];

      /* A page not full: the origin has no more. */
      if (c->page == NULL || PQntuples (c->page) < atoi (PAGE))
        {
          if (c->page != NULL)
            c->origin++;
          if (c->origin >= PQntuples (c->origins))
            return FALSE;
          c->after = g_ascii_strtoll (PQgetvalue (c->origins, c->origin, 1), NULL, 10);
        }
      g_clear_pointer (&c->page, PQclear);
      from = g_strdup_printf ("%" G_GINT64_FORMAT, c->after);
      params[0] = PQgetvalue (c->origins, c->origin, 0), params[1] = from;
      c->page = _sd_pg_query (c->pg, _("read the record of changes"), PAGE_SQL, 2, params, error);
      c->row = 0;
      if (c->page == NULL)
        return FALSE;
    }
  *op = page_row (c->page, c->row, PQgetvalue (c->origins, c->origin, 0));
  c->after = op->seq;
  c->row++;
  return TRUE;
}

static gboolean
pg_add_changes (gpointer        data,
                const char     *to_site,
                SdBatchWriter  *writer,
                json_t         *ranges,
                gint64         *count,
                GCancellable   *cancellable,
                GError        **error)
{
  g_auto(Changes) changes = { data };
  g_autoptr(GString) line = g_string_sized_new (1024);
  g_autoptr(GError) local = NULL;
  g_autofree char *origin = NULL;
  const char *params[] = { to_site };
  gint64 first = 0, last = 0;
  SdSyncOpRow op;

  /* Every origin PostgreSQL holds changes of, in the order of their site
   * ids, and what TO_SITE acknowledged of each. */
  changes.origins = _sd_pg_query (data, _("read the record of changes"),
                                  "SELECT h.site_id, coalesce (a.acked_seq, 0) FROM sync_holds h "
                                  "LEFT JOIN sync_acks a ON a.peer_site_id = $1 AND a.origin = h.site_id "
                                  "WHERE h.site_id IS DISTINCT FROM $1 ORDER BY h.site_id", 1, params, error);
  if (changes.origins == NULL)
    return FALSE;
  while (changes_next (&changes, &op, &local))
    {
      if (!_sd_sync_write_op (writer, line, &op, error) || g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      /* Each origin's range, from its first change to its last. */
      if (g_strcmp0 (origin, op.site) != 0)
        {
          if (origin != NULL)
            json_object_set_new (ranges, origin, json_pack ("[I, I]", (json_int_t) first, (json_int_t) last));
          g_free (origin), origin = g_strdup (op.site);
          first = op.seq;
        }
      last = op.seq;
      (*count)++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (origin != NULL)
    json_object_set_new (ranges, origin, json_pack ("[I, I]", (json_int_t) first, (json_int_t) last));
  return TRUE;
}

static json_t *
pg_holds (gpointer   data,
          GError   **error)
{
  g_autofree char *text = sd_pg_store_get_holds (data, error);

  return text != NULL ? json_loads (text, 0, NULL) : NULL;
}

typedef struct {
  const char    *folder;  /* NULL: to OUT */
  GOutputStream *out;
} Target;

static gboolean
export (SdPgStore     *self,
        SdStore       *identity,
        const char    *to,
        const Target  *target,
        SdSyncExport  *result,
        GCancellable  *cancellable,
        GError       **error)
{
  const SdSyncSource source = { pg_add_changes, pg_holds, self };
  SdSyncImport own = { 0 };
  gboolean ok;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_STORE (identity), FALSE);

  memset (result, 0, sizeof *result);
  if (PQstatus (_sd_pg_store_get_conn (self)) != CONNECTION_OK)
    PQreset (_sd_pg_store_get_conn (self));
  /* HQ's own changes made since its last batch go too, and the list of
   * sites names those enrolled at other receivers. */
  ok = _sd_pg_share_peers (self, identity, TRUE, error) &&
       sd_pg_store_take_oplog (self, identity, sd_store_get_site_id (identity), &own, cancellable, error);
  sd_sync_import_clear (&own);
  if (!ok || !_sd_pg_exec (self, _("begin a transaction"), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;
  ok = target->folder != NULL
       ? _sd_sync_export_to_folder_from (identity, &source, to, target->folder, result, cancellable, error)
       : _sd_sync_export_from (identity, &source, to, target->out, result, cancellable, error);
  ok = ok && _sd_pg_exec (self, _("read the record of changes"), "COMMIT", error);
  if (!ok)
    PQclear (PQexec (_sd_pg_store_get_conn (self), "ROLLBACK"));
  return ok;
}

gboolean
sd_pg_store_export (SdPgStore      *self,
                    SdStore        *identity,
                    const char     *to,
                    GOutputStream  *out,
                    SdSyncExport   *result,
                    GCancellable   *cancellable,
                    GError        **error)
{
  const Target target = { NULL, out };

  return export (self, identity, to, &target, result, cancellable, error);
}

gboolean
sd_pg_store_export_to_folder (SdPgStore      *self,
                              SdStore        *identity,
                              const char     *to,
                              const char     *folder,
                              SdSyncExport   *result,
                              GCancellable   *cancellable,
                              GError        **error)
{
  const Target target = { folder, NULL };

  return export (self, identity, to, &target, result, cancellable, error);
}

/* ---- into HQ's file: the HQ desk's data ---- */

gboolean
sd_pg_store_fetch_into (SdPgStore      *self,
                        SdStore        *hq,
                        SdSyncImport   *result,
                        GCancellable   *cancellable,
                        GError        **error)
{
  g_auto(Changes) changes = { self };
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *holds = NULL;
  const char *params[2];
  gboolean ok;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);
  g_return_val_if_fail (SD_IS_STORE (hq), FALSE);

  memset (result, 0, sizeof *result);
  if (PQstatus (_sd_pg_store_get_conn (self)) != CONNECTION_OK)
    PQreset (_sd_pg_store_get_conn (self));
  /* HQ's desk enrols kiosks: the receivers learn them here. */
  if (!_sd_pg_share_peers (self, hq, TRUE, error))
    return FALSE;
  /* HQ's file is written by its desk meanwhile: its transaction first,
   * so that what it holds is read inside it. */
  txn = _sd_store_begin (hq, error);
  if (txn == NULL || (holds = sd_sync_get_holds (hq, error)) == NULL)
    return FALSE;
  params[0] = sd_store_get_site_id (hq), params[1] = holds;
  /* Every origin but HQ, each above what HQ's file holds of it. */
  ok = _sd_pg_exec (self, _("begin a transaction"), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error) &&
       (changes.origins = _sd_pg_query (self, _("read the record of changes"),
                                        "SELECT site_id, coalesce (($2::json ->> site_id)::bigint, 0) "
                                        "FROM sync_holds WHERE site_id IS DISTINCT FROM $1 ORDER BY site_id",
                                        2, params, error)) != NULL &&
       _sd_sync_fold_rows (hq, sd_store_get_site_id (hq), changes_next, &changes, result, error) &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) &&
       _sd_pg_exec (self, _("read the record of changes"), "COMMIT", error) &&
       _sd_txn_commit (g_steal_pointer (&txn), error);
  if (!ok)
    PQclear (PQexec (_sd_pg_store_get_conn (self), "ROLLBACK"));
  return ok;
}
