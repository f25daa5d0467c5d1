/* sd-pg-store.h: a deployment's data in PostgreSQL, for a headquarters beyond one machine.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/deploy-hq-postgres.md says how HQ runs it.  PostgreSQL holds what
 * an HQ's SQLite file would: every site's op-log, each synced table as
 * the op-log makes it, and the state derived from the events, so that
 * sd_pg_store_canonical_dump () gives, byte for byte, the text
 * sd_sync_canonical_dump () gives for a SQLite site holding the same
 * changes.  Batches are checked with the HQ site's keys (an SdStore, its
 * SQLite file), then streamed with COPY and merged by set-based SQL, one
 * transaction per batch: several receivers, on one machine or many, may
 * merge into one database at once.
 */
#pragma once

#include "sd-report.h"
#include "sd-safety.h"
#include "sd-support.h"
#include "sd-store.h"
#include "sd-sync.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_PG_ERROR (sd_pg_error_quark ())
GQuark sd_pg_error_quark (void);

typedef enum {
  SD_PG_ERROR_CONNECT,         /* no connection: wrong string, server down, refused */
  SD_PG_ERROR_SCHEMA,          /* a database of another schema version, or not ShelterDesk's */
  SD_PG_ERROR_LOST,            /* the connection broke mid-work: nothing of it was kept; retry */
  SD_PG_ERROR_COLLIDED,        /* two receivers waited on each other (40P01, 40001): run it again */
  SD_PG_ERROR_FAILED,          /* any other error of the server, with its SQLSTATE */
} SdPgError;

#define SD_TYPE_PG_STORE (sd_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (SdPgStore, sd_pg_store, SD, PG_STORE, GObject)

/* Connects with CONNINFO (a libpq connection string or URI; "" takes
 * libpq's environment and service file) and checks the schema: an empty
 * database gets this build's, one of an older ShelterDesk is brought up
 * to date, anything else is refused with SD_PG_ERROR_SCHEMA. */
SdPgStore  *sd_pg_store_open             (const char     *conninfo,
                                          GError        **error);

/* "host=… dbname=…" of the connection, without its password: for messages. */
const char *sd_pg_store_get_description  (SdPgStore      *self);

/* Merges the batch BYTES, sent to IDENTITY's site (HQ's SQLite file,
 * whose keys open it and whose enrolled sites may sign it): checked
 * exactly as sd_sync_import_bytes () checks it, then stored in one
 * transaction.  A batch already merged (by any receiver) changes nothing
 * and says so.  Refused as an import refuses it (SD_SYNC_ERROR,
 * SD_BATCH_ERROR: a cloned site, a change no table has), or SD_PG_ERROR.  RESULT as sd_sync_import_bytes () fills it (operations,
 * applied, already_had, rows_changed). */
gboolean    sd_pg_store_import_bytes     (SdPgStore      *self,
                                          SdStore        *identity,
                                          GBytes         *bytes,
                                          SdSyncImport   *result,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* Merges every change of SOURCE's op-log made by ORIGIN (a site id; NULL:
 * by any site) that PostgreSQL does not hold: HQ's own changes
 * (roll-calls, merged records), or a whole SQLite HQ moving to
 * PostgreSQL, with the batches it merged and what each kiosk
 * acknowledged to it (ORIGIN NULL).  Transactions
 * of at most 100 000 changes each; RESULT adds them up. */
gboolean    sd_pg_store_take_oplog       (SdPgStore      *self,
                                          SdStore        *source,
                                          const char     *origin,
                                          SdSyncImport   *result,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* What PostgreSQL holds of each origin without a hole, as
 * sd_sync_get_holds () says it of a SQLite site: a JSON object, site id
 * → the highest sequence number below the first hole. */
char       *sd_pg_store_get_holds        (SdPgStore      *self,
                                          GError        **error);

/* Writes to OUT the batch for the site TO (a site id or name; NULL or
 * "hq" is not one: HQ sends to kiosks) of every change PostgreSQL holds
 * that TO has not acknowledged, as sd_sync_export () writes it from HQ's
 * file: the same header and lines, signed with IDENTITY's keys and
 * recorded there as sent.  HQ's own changes made since are taken in
 * first.  Read in one snapshot. */
gboolean    sd_pg_store_export           (SdPgStore      *self,
                                          SdStore        *identity,
                                          const char     *to,
                                          GOutputStream  *out,
                                          SdSyncExport   *result,
                                          GCancellable   *cancellable,
                                          GError        **error);
/* The same into FOLDER, as sd_sync_export_to_folder () (a USB stick). */
gboolean    sd_pg_store_export_to_folder (SdPgStore      *self,
                                          SdStore        *identity,
                                          const char     *to,
                                          const char     *folder,
                                          SdSyncExport   *result,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* Folds into HQ's file every change PostgreSQL holds that the file
 * lacks, as an import would (last-writer-wins, possible duplicates
 * listed for HQ's people): the HQ desk's data, from PostgreSQL.  One
 * transaction in each; RESULT as an import fills it. */
gboolean    sd_pg_store_fetch_into       (SdPgStore      *self,
                                          SdStore        *hq,
                                          SdSyncImport   *result,
                                          GCancellable   *cancellable,
                                          GError        **error);

/* Records what PEER says it holds (a JSON object, as a pull sends it):
 * its next batch starts above it.  As sd_sync_set_peer_holds (). */
gboolean    sd_pg_store_set_peer_holds   (SdPgStore      *self,
                                          const char     *peer,
                                          const char     *holds_text,
                                          GError        **error);

/* The shelter status report of the shelter SHELTER_CODE, or of all
 * (NULL), as sd_store_compute_shelter_status () makes it at a SQLite
 * HQ; the caller fills in the site's name, the exercise mark and the
 * time from HQ's file. */
SdShelterStatus *sd_pg_store_compute_shelter_status (SdPgStore   *self,
                                                     const char  *shelter_code,
                                                     GError     **error);

/* A roll-call's answers counted, as sd_store_count_safety () counts
 * them at a SQLite HQ. */
SdSafetyCount   *sd_pg_store_count_safety           (SdPgStore   *self,
                                                     const char  *rollcall_id,
                                                     GError     **error);

/* HQ's active roster (from HQ's file) but those whose answer to the
 * roll-call PostgreSQL holds: as sd_store_list_safety_missing (). */
GListModel      *sd_pg_store_list_safety_missing    (SdPgStore   *self,
                                                     SdStore     *hq,
                                                     const char  *rollcall_id,
                                                     GError     **error);

/* As sd_support_count_statuses () and sd_support_districts_json (). */
gboolean         sd_pg_store_count_support_statuses (SdPgStore   *self,
                                                     guint       *counts,
                                                     GError     **error);
char            *sd_pg_store_support_districts_json (SdPgStore   *self,
                                                     GError     **error);

/* What PostgreSQL holds of each origin, as JSON: {batches, chain_breaks,
 * origins: [{site, changes, highest, held_without_hole, missing,
 * last_batch_at}]}. */
char            *sd_pg_store_sync_status_json       (SdPgStore   *self,
                                                     GError     **error);

/* As sd_sync_canonical_dump (). */
char       *sd_pg_store_canonical_dump   (SdPgStore      *self,
                                          GError        **error);

G_END_DECLS
