/* sd-sync-private.h: what sd-sync.c and sd-sync-keys.c share; not for the app.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-batch.h"
#include "sd-sync.h"

#include <sqlite3.h>

G_BEGIN_DECLS

/* This site in its deployment (sync_self). */
typedef struct {
  SdSyncRole      role;
  char           *deployment_id;
  char           *deployment_name;
  SdBatchSigner   signer;
  SdBatchReceiver receiver;
} SdSyncSelf;

void      _sd_sync_self_clear     (SdSyncSelf    *self);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdSyncSelf, _sd_sync_self_clear)

/* FALSE with SD_SYNC_ERROR_NOT_ENROLLED when the site has no deployment. */
gboolean  _sd_sync_load_self      (SdStore       *store,
                                   SdSyncSelf    *self,
                                   GError       **error);

/* BYTES as lower-case hex, newly allocated. */
char     *_sd_sync_hex            (const guint8  *bytes,
                                   gsize          n);

/* "1A2B-3C4D-5E6F-7A8B-9C0D" for the signing key PK. */
char     *_sd_sync_fingerprint    (const guint8  *pk);

/* The public keys of the enrolled sites as a JSON array, for HQ's batches
 * (every kiosk learns whom it may exchange with, and who was revoked). */
json_t   *_sd_sync_peers_json     (SdStore       *store);
/* Takes in the sites a batch from HQ lists; in the caller's transaction. */
gboolean  _sd_sync_learn_peers    (SdStore       *store,
                                   const json_t  *peers,
                                   GError       **error);

/* FALSE with SD_SYNC_ERROR_BAD_OPERATION unless HOLDS (a batch header's
 * or a pull's "holds"; NULL is none) is an object of site id → a
 * sequence number ≥ 0. */
gboolean  _sd_sync_check_holds    (const json_t  *holds,
                                   GError       **error);

/* One change of an op-log as a batch carries it: the row id as text,
 * FIELDS the packed fields (NULL for a deletion). */
typedef struct {
  const char *site, *tbl, *row_id, *fields;
  gint64      seq, txn, hlc;
  int         kind;
} SdSyncOpRow;

/* Adds OP's line to WRITER in the very bytes every ShelterDesk writes it,
 * whichever store it comes from (HQ's file, a kiosk's, PostgreSQL). */
gboolean  _sd_sync_write_op       (SdBatchWriter *writer,
                                   GString       *scratch,
                                   const SdSyncOpRow *op,
                                   GError       **error);

/* Where a batch's changes come from.  ADD_CHANGES adds to WRITER, with
 * _sd_sync_write_op (), every change of every origin but TO_SITE above
 * what TO_SITE acknowledged (TO_SITE NULL: every change), origins in
 * the order of their site ids ("C" collation), each in sequence order;
 * sets RANGES[origin] = [first, last] and adds to *COUNT.  HOLDS: what
 * the store holds of each origin without a hole, as holds_json () says
 * it.  NULL for a source: the site's own file. */
typedef struct {
  gboolean (*add_changes) (gpointer        data,
                           const char     *to_site,
                           SdBatchWriter  *writer,
                           json_t         *ranges,
                           gint64         *count,
                           GCancellable   *cancellable,
                           GError        **error);
  json_t  *(*holds)       (gpointer        data,
                           GError        **error);
  gpointer data;
} SdSyncSource;

/* Writes a batch of SOURCE's changes for TO_SITE, signed by SELF and
 * sealed to RECEIVER_PK; HEADER (stolen) gets the members of
 * docs/batch-format.md, from STORE but the ranges and holds.  Records it
 * as sent to TO_SITE when it is one. */
gboolean  _sd_sync_write_batch    (SdStore       *store,
                                   const SdSyncSelf *self,
                                   const SdSyncSource *source,
                                   const guint8  *receiver_pk,
                                   const char    *to_site,
                                   json_t        *header,
                                   GOutputStream *out,
                                   SdSyncExport  *result,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* sd_sync_export () of SOURCE's changes (NULL: STORE's own). */
gboolean  _sd_sync_export_from    (SdStore       *store,
                                   const SdSyncSource *source,
                                   const char    *to,
                                   GOutputStream *out,
                                   SdSyncExport  *result,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* Whether the batch or bundle whose header is HEADER comes from an
 * exercise database (its "exercise" member; one made before the member
 * is live). */
gboolean  _sd_sync_header_is_exercise (const json_t *header);

/* Stores and folds the operations of READER, whose header has been
 * checked and whose sender is FROM_SITE, in the caller's transaction. */
gboolean  _sd_sync_merge          (SdStore       *store,
                                   SdBatchReader *reader,
                                   const char    *from_site,
                                   SdSyncImport  *result,
                                   GCancellable  *cancellable,
                                   GError       **error);

/* Folds into STORE, as an import from FROM_SITE would (not captured,
 * last-writer-wins, waiting children, derived state), the changes the
 * op-log of another database SOURCE holds with an HLC in (AFTER, UNTIL],
 * in HLC order: a recorded day replayed (sd-exercise-replay.c).  In the
 * caller's transaction; RESULT adds them up. */
gboolean  _sd_sync_replay         (SdStore       *store,
                                   sqlite3       *source,
                                   const char    *from_site,
                                   SdHlc          after,
                                   SdHlc          until,
                                   SdSyncImport  *result,
                                   GError       **error);

/* Hands out the next change in *ROW (its strings valid until the next
 * call); FALSE at the end, or with ERROR set. */
typedef gboolean (*SdSyncRowFunc) (gpointer      data,
                                   SdSyncOpRow  *row,
                                   GError      **error);

/* Folds into STORE, as an import from FROM_SITE would (not captured,
 * last-writer-wins, waiting children, derived state, holes, conflicts
 * and possible duplicates listed), every change NEXT hands out, in any
 * order; in the caller's transaction.  RESULT adds them up. */
gboolean  _sd_sync_fold_rows      (SdStore       *store,
                                   const char    *from_site,
                                   SdSyncRowFunc  next,
                                   gpointer       data,
                                   SdSyncImport  *result,
                                   GError       **error);

/* Gathers into SCRATCH (an empty database; its tables oplog,
 * oplog_tables and oplog_sites made as _sd_sync_replay () reads them)
 * the changes of the batch files PATHS (NULL-ended), sent to RECEIVER
 * and opened with its keys: each batch checked as an import checks it
 * before it writes anything (the exercise mark apart), each change of
 * an origin once however many batches bring it.  A batch refused, or
 * one whose payload does not prove whole, refuses them all, named.
 * Nothing is written at RECEIVER. */
gboolean  _sd_sync_batches_to_oplog (SdStore            *receiver,
                                     const char *const  *paths,
                                     sqlite3            *scratch,
                                     GCancellable       *cancellable,
                                     GError            **error);

/* Marks decided ('merged') every undecided possible duplicate one of
 * whose records is merged into another (sd-sync-duplicates.c): a merge
 * made here or one that arrived in a batch.  In the caller's transaction. */
gboolean  _sd_sync_close_merged_pairs (SdStore     *store,
                                       gint64       now_ms,
                                       GError     **error);

/* At HQ, in an import (capture off, temp.sync_touched filled): a closed
 * record that an event of the batch made staying again is settled as a
 * merge would (its whereabouts carried to the kept record, a 'leave'),
 * as HQ's own captured changes.  Elsewhere nothing. */
gboolean  _sd_sync_settle_merged  (SdStore       *store,
                                   GError       **error);

/* One operation of a batch, as the merge checks and stores it. */
typedef struct {
  const char *site, *tbl, *row_id;
  gint64      seq, txn, hlc, kind;
  gboolean    deletion;  /* fields is null */
  const char *packed;    /* the fields as the op-log holds them; NULL for a deletion */
  guint       n_fields;
  guint16     field[64];  /* the field numbers; no table has near 64 fields, and more are refused */
} SdSyncOp;

/* Reads an operation's LINE (LENGTH bytes and a NUL, written in place)
 * when it is in the very layout ShelterDesk writes; FALSE for anything
 * else, which _sd_sync_op_from_json () reads from jansson's parse with
 * the same result.  (sd-sync.c; tests/sync/test-sync-refused.c proves
 * the two agree.) */
gboolean  _sd_sync_op_parse       (char          *line,
                                   gsize          length,
                                   SdSyncOp      *op);
/* FALSE when the fields are not an object the op-log can hold;
 * *PACKED owns the packed fields. */
gboolean  _sd_sync_op_from_json   (json_t        *json,
                                   SdSyncOp      *op,
                                   char         **packed);

/* sd_sync_export_to_folder () of SOURCE's changes (NULL: STORE's own). */
gboolean  _sd_sync_export_to_folder_from (SdStore       *store,
                                          const SdSyncSource *source,
                                          const char    *to,
                                          const char    *folder,
                                          SdSyncExport  *result,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* One operation of a batch read by _sd_sync_read_batch (), the INDEX-th. */
typedef gboolean (*SdSyncOpFunc) (const SdSyncOp  *op,
                                  gint64           index,
                                  gpointer         user_data,
                                  GError         **error);

/* Reads the batch BYTES sent to STORE's site, checked as an import checks
 * it (sealed to this site, signed by an enrolled, unrevoked site of its
 * deployment, a schema this build knows, the exercise mark), and hands
 * each operation to FUNC, the payload proved whole as it goes: the
 * receiver that stores into PostgreSQL (src/core/pg) reads batches with
 * it.  Writes nothing at STORE; RESULT gets the hash, the sender and the
 * count; *HEADER (when not NULL) a reference to the header. */
gboolean  _sd_sync_read_batch     (SdStore       *store,
                                   GBytes        *bytes,
                                   SdSyncImport  *result,
                                   json_t       **header,
                                   SdSyncOpFunc   func,
                                   gpointer       user_data,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
