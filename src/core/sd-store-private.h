/* sd-store-private.h: what the core's own files share about SdStore; not for the app.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes: every domain write is
 *
 *     g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
 *     if (txn == NULL) return FALSE;
 *     ...statements from _sd_store_prepare()...
 *     return _sd_txn_commit (g_steal_pointer (&txn), error);
 *
 * A transaction that goes out of scope uncommitted is rolled back, so an
 * early "return FALSE" can never leave half a write behind.  Transactions
 * nest (the inner ones are savepoints), which lets sd_seed_load() wrap a
 * thousand domain writes into one.  The op-log entries are written by
 * triggers inside the same transaction (see sd-migrations.c).
 */
#pragma once

#include <sqlite3.h>

#include "sd-store.h"

G_BEGIN_DECLS

typedef struct _SdTxn SdTxn;

/* The page cache of every connection the store opens, in KiB. */
#define SD_STORE_CACHE_KIB 65536

SdTxn        *_sd_store_begin        (SdStore     *self,
                                      GError     **error);
gboolean      _sd_txn_commit         (SdTxn       *txn,
                                      GError     **error);
void          _sd_txn_rollback       (SdTxn       *txn);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdTxn, _sd_txn_rollback)

sqlite3      *_sd_store_get_db       (SdStore     *self);

/* A statement from the store's cache, reset and with its bindings
 * cleared.  SQL must be a string literal (its address is the key). */
sqlite3_stmt *_sd_store_prepare      (SdStore     *self,
                                      const char  *sql,
                                      GError     **error);

/* sqlite3_step() that turns a failure into a GError (SQLITE_ROW and
 * SQLITE_DONE are success); WHAT names the action for the message. */
int           _sd_store_step         (SdStore      *self,
                                      sqlite3_stmt *stmt,
                                      const char   *what,
                                      GError      **error);

/* Runs a statement that returns no rows. */
gboolean      _sd_store_exec         (SdStore      *self,
                                      sqlite3_stmt *stmt,
                                      const char   *what,
                                      GError      **error);

void          _sd_store_set_error    (SdStore     *self,
                                      int          rc,
                                      const char  *what,
                                      GError     **error);

/* A new UUIDv7 made from the store's clock. */
char         *_sd_store_new_id       (SdStore     *self);
/* From now on, ids come from a stream SEED decides (with the store's
 * clock): the same seed, clock and writes make the same ids. */
void          _sd_store_set_id_seed  (SdStore     *self,
                                      guint64      seed);

/* Up to which file size the check at open reads the whole file; for the
 * tests, which cannot make a 64 MiB file for each case.  -1: the default. */
void          _sd_store_set_full_check_bytes (gint64 bytes);

/* A new database at PATH that goes on as SITE_ID (or a new site if
 * NULL): only for sd_store_rescue(), whose op-log copy already holds the
 * operation that named the site. */
SdStore      *_sd_store_create_for_site (const char *path,
                                         const char *site_id,
                                         GError    **error);

/* The columns of TABLE in DB, in order, "id" included (sd-replay.c). */
GPtrArray    *_sd_table_columns      (sqlite3     *db,
                                      const char  *table);

/* Turns op-log capture off for what this connection writes next (import
 * of another site's operations must not be captured again). */
void          _sd_store_set_capture  (SdStore     *self,
                                      gboolean     capture);

/* Moves the clock past REMOTE, the newest HLC an import received, but
 * never more than MAX_AHEAD_MS ahead of the wall clock (sd-hlc.c). */
SdHlc         _sd_store_receive_hlc  (SdStore     *self,
                                      SdHlc        remote,
                                      gint64       max_ahead_ms);

/* Binding helpers: NULL or "" binds SQL NULL. */
void          _sd_bind_text          (sqlite3_stmt *stmt,
                                      int           index,
                                      const char   *text);
const char   *_sd_column_text        (sqlite3_stmt *stmt,
                                      int           index);

/* Migrations (sd-migrations.c) */
gboolean      _sd_migrate            (sqlite3     *db,
                                      int          from_version,
                                      int          to_version,
                                      GError     **error);
/* A database in memory with this build's schema and nothing in it: the
 * reference that check compares with and the PostgreSQL schema is made
 * from (src/core/pg/sd-pg-schema.c).  sqlite3_close () it. */
sqlite3      *_sd_schema_reference_db (GError    **error);
/* Every table, index, view and trigger is exactly what this build makes. */
gboolean      _sd_check_schema       (sqlite3     *db,
                                      GError     **error);
/* Computes every person's search keys again, in the caller's transaction:
 * for a migration that changes what sd_search_keys() returns. */
gboolean      _sd_rebuild_person_keys (sqlite3    *db,
                                       GError    **error);
/* The search keys of one person, each once (char*): what person_keys
 * holds for them (sd-person-search.c). */
GPtrArray    *_sd_person_search_key_list (const char  *name,
                                          const char  *kana,
                                          const char  *phone,
                                          const char  *birth_date);
/* The same as the JSON array sd_search_keys() gives the person_keys
 * triggers. */
char         *_sd_person_search_keys (const char  *name,
                                      const char  *kana,
                                      const char  *phone,
                                      const char  *birth_date);

/* A person of the support list whose SPEC the import has checked and
 * tidied already (sd-support-import.c): inserted in the caller's
 * transaction, with no second check; the new id. */
struct _SdSupportPersonSpec;
char         *_sd_support_insert_checked (SdStore                           *store,
                                          const struct _SdSupportPersonSpec *spec,
                                          GError                           **error);

/* The synced (captured) tables of the newest schema; NULL past the last. */
const char   *_sd_synced_table       (guint        index);
/* Whether the synced TABLE only ever gains rows (events, answers). */
gboolean      _sd_synced_table_is_append_only (const char *table);
/* The tables whose rows table_counts keeps counted (schema 8). */
const char   *_sd_counted_table      (guint        index);

/* Turns the changes in a table oplog_legacy (schemas 1 to 6, one row per
 * field) into op-log rows, keeping each one's site, seq, HLC and value. */
extern const char _sd_oplog_convert_legacy_sql[];

/* The schema step that added the kept counts (sd-migrations.c), and
 * those tables with the recount each must equal; NULL past the last. */
#define SD_SCHEMA_AGGREGATES 9
const char   *_sd_aggregate_table    (guint        index,
                                      const char **recount);
/* The same tables with what the rows in temp.derive_persons and
 * temp.derive_households count in each, times the integer bound to ?1
 * (sd-derive.c). */
const char   *_sd_aggregate_contribution (guint        index,
                                          const char **contribution);

/* Derived state kept by sets for a write of many rows at once
 * (sd-derive.c): _sd_derive_begin() takes, for the rows listed in
 * temp.sync_touched, what they count in the derived tables and turns
 * the triggers off; the caller writes the rows; _sd_derive_end() turns
 * the triggers on and adds what the rows count now.  Both in the
 * caller's transaction. */
typedef struct _SdDerive SdDerive;
SdDerive     *_sd_derive_begin       (SdStore     *self,
                                      GError     **error);
gboolean      _sd_derive_end         (SdDerive    *derive,
                                      GError     **error);
void          _sd_derive_free        (SdDerive    *derive);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDerive, _sd_derive_free)

G_END_DECLS
