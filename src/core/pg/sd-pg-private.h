/* sd-pg-private.h: what the files of src/core/pg share.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-pg-store.h"

#include <jansson.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* A column of a table as SQLite's schema makes it (sd-pg-schema.c). */
typedef struct {
  char     *name;
  guint     field;     /* its number in the op-log's fields; 0 for id and for a state table's */
  gboolean  integer;   /* INTEGER; else TEXT */
  gboolean  not_null;
  char     *dflt;      /* its default as an SQL literal, or NULL */
  guint     pk;        /* its place in the primary key, from 1; 0 when not in it */
} SdPgColumn;

typedef struct {
  char      *name;
  gboolean   synced;   /* made from the op-log; else a state derived from the events */
  GPtrArray *columns;  /* SdPgColumn, in SQLite's order */
} SdPgTable;

/* Every synced table in SQLite's order (parents first), then the derived
 * states: made once from this build's SQLite schema. */
GPtrArray  *_sd_pg_schema_tables   (GError     **error);
/* The schema version the tables are of (SD_SCHEMA_VERSION). */
int         _sd_pg_schema_version  (void);
/* Makes the schema, or brings an older ShelterDesk's up to date, in the
 * caller's transaction; refuses a database that is not ShelterDesk's or
 * is of a newer one. */
gboolean    _sd_pg_schema_ensure   (SdPgStore   *self,
                                    GError     **error);

PGconn     *_sd_pg_store_get_conn  (SdPgStore   *self);

/* Runs SQL (one command, or several without parameters): FALSE with an
 * error naming WHAT and the SQLSTATE, never the statement's values. */
gboolean    _sd_pg_exec            (SdPgStore   *self,
                                    const char  *what,
                                    const char  *sql,
                                    GError     **error);
/* Runs SQL with N_PARAMS text parameters; the result of a query, or NULL
 * with an error as _sd_pg_exec () sets it. */
PGresult   *_sd_pg_query           (SdPgStore          *self,
                                    const char         *what,
                                    const char         *sql,
                                    int                 n_params,
                                    const char *const  *params,
                                    GError            **error);
/* Sets ERROR for RES (or the connection's failure when RES is NULL). */
void        _sd_pg_set_error       (SdPgStore   *self,
                                    PGresult    *res,
                                    const char  *what,
                                    GError     **error);

/* Whether ERROR is one a transaction run again can get past (a deadlock
 * between two receivers, a serialization failure). */
gboolean    _sd_pg_error_is_retry  (const GError *error);

/* Records HOLDS (a batch header's or a pull's) as what PEER
 * acknowledged, in the caller's transaction (sd-pg-export.c); malformed:
 * SD_SYNC_ERROR_BAD_OPERATION. */
gboolean    _sd_pg_take_acks       (SdPgStore     *self,
                                    const char    *peer,
                                    const json_t  *holds,
                                    GError       **error);

/* The counts kept for the all-shelter report (sd-pg-counts.c): made, and
 * counted from the rows when new (or on demand: a database filled
 * otherwise, as the benchmark's); in a merge's transaction, the sets of
 * persons and households it can move taken out before its rows are made
 * and added after where each person is; and whether they differ from a
 * recount (for the tests). */
/* Shares IDENTITY's enrolled sites with the database's, both ways when
 * LEARN (IDENTITY written): sd-pg-peers.c. */
gboolean    _sd_pg_share_peers     (SdPgStore   *self,
                                    SdStore     *identity,
                                    gboolean     learn,
                                    GError     **error);

gboolean    _sd_pg_counts_ensure   (SdPgStore   *self,
                                    GError     **error);
gboolean    _sd_pg_counts_recount  (SdPgStore   *self,
                                    GError     **error);
gboolean    _sd_pg_counts_before   (SdPgStore   *self,
                                    GError     **error);
gboolean    _sd_pg_counts_after    (SdPgStore   *self,
                                    GError     **error);
gboolean    _sd_pg_counts_differ   (SdPgStore   *self,
                                    gboolean    *differ,
                                    GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

G_END_DECLS
