/* sd-sync.h: offline-first sync: a deployment's keys and sites, delta batches out and in, the merge.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deployment is one HQ and the kiosks it enrolled (docs/sync.md).
 * Every site keeps its own op-log; a batch (docs/batch-format.md) carries
 * every change its receiver has not acknowledged, from every origin, and
 * an import folds them in by per-field last-writer-wins on (HLC, site),
 * so that whatever order batches arrive in, and however often, every
 * site ends with the same data.
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_SYNC_ERROR (sd_sync_error_quark ())
GQuark sd_sync_error_quark (void);

typedef enum {
  SD_SYNC_ERROR_NOT_ENROLLED,      /* this database belongs to no deployment */
  SD_SYNC_ERROR_ALREADY_ENROLLED,  /* enrol or a new HQ on a database that has one */
  SD_SYNC_ERROR_NOT_BLANK,         /* enrol on a database that already holds records */
  SD_SYNC_ERROR_BAD_PASSPHRASE,    /* a bundle's passphrase does not open it */
  SD_SYNC_ERROR_UNKNOWN_SENDER,    /* signed by a key this site does not know */
  SD_SYNC_ERROR_REVOKED,           /* signed by a site HQ revoked */
  SD_SYNC_ERROR_OTHER_DEPLOYMENT,  /* from another deployment */
  SD_SYNC_ERROR_NOT_ADDRESSED,     /* made for another site of this deployment */
  SD_SYNC_ERROR_CLONED_SITE,       /* one site id with two histories: a copied disk */
  SD_SYNC_ERROR_TOO_NEW,           /* a schema this ShelterDesk does not know yet */
  SD_SYNC_ERROR_BAD_OPERATION,     /* signed, but a change that cannot be applied */
  SD_SYNC_ERROR_UNKNOWN_PEER,      /* export to a site that is not enrolled */
  SD_SYNC_ERROR_FINGERPRINT,       /* the fingerprint typed is not the kiosk's */
  SD_SYNC_ERROR_NOT_MERGEABLE,     /* two records that cannot be merged (the same, already merged…) */
  SD_SYNC_ERROR_EXERCISE,          /* an exercise's batch or bundle into a live database, or the reverse */
} SdSyncError;

/* How far ahead of this site's clock a change may be before its clock is
 * clamped and flagged (sync.md: a kiosk whose clock runs ahead would win
 * every conflict). */
#define SD_SYNC_MAX_AHEAD_MS SD_HLC_MAX_AHEAD_MS

typedef enum {
  SD_SYNC_ROLE_NONE,
  SD_SYNC_ROLE_HQ,
  SD_SYNC_ROLE_KIOSK,
} SdSyncRole;

/* ---- the deployment (sd-sync-keys.c) ---- */

SdSyncRole  sd_sync_get_role          (SdStore      *store);
/* This site's key fingerprint, "1A2B-3C4D-5E6F-7A8B-9C0D" (the first 10
 * bytes of the SHA-256 of its signing key), to be compared by a person on
 * two screens; NULL when not enrolled. */
char       *sd_sync_get_fingerprint   (SdStore      *store);
char       *sd_sync_get_deployment_name (SdStore    *store);

/* Makes STORE the HQ of a new deployment called NAME. */
gboolean    sd_sync_init_hq           (SdStore      *store,
                                       const char   *name,
                                       GError      **error);

/* Writes the deployment bundle (HQ only): HQ's keys, the enrolled sites,
 * the card keys and every record HQ holds (shelters, staff, support
 * list…), sealed to a key made from a new passphrase, returned in
 * OUT_PASSPHRASE for a person to carry apart from the stick. */
gboolean    sd_sync_write_bundle      (SdStore       *store,
                                       GOutputStream *out,
                                       char         **out_passphrase,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* Turns a blank database into a kiosk of the bundle's deployment. */
gboolean    sd_sync_enrol             (SdStore       *store,
                                       GInputStream  *bundle,
                                       const char    *passphrase,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* Revokes the kiosk SITE (its site id, or its name) at HQ: its later
 * batches are refused, what it sent before is kept. */
gboolean    sd_sync_revoke            (SdStore      *store,
                                       const char   *site,
                                       GError      **error);

typedef struct {
  char     *site_id;
  char     *name;
  char     *fingerprint;
  gboolean  is_hq;
  gint64    enrolled_at;        /* ms since 1970 */
  gint64    revoked_at;         /* 0: not revoked */
  gint64    last_received_at;   /* 0: never */
  gint64    last_sent_at;       /* 0: never */
  gint64    waiting;            /* changes it has not acknowledged */
  gint64    waiting_since;      /* ms: the oldest of them, 0 if none */
  gint64    chain_breaks;       /* batches of it that never arrived here */
} SdSyncPeer;

void        sd_sync_peer_free         (SdSyncPeer   *peer);
/* The other sites this one exchanges batches with (SdSyncPeer*). */
GPtrArray  *sd_sync_list_peers        (SdStore      *store,
                                       GError      **error);
/* The site id of SITE (a site id, a name, or "hq"), or NULL. */
char       *sd_sync_find_peer         (SdStore      *store,
                                       const char   *site,
                                       GError      **error);

/* A kiosk's address of HQ's receiver ("https://hq.example:8443"), where
 * it sends its batches over the network (sd-sync-client.h); NULL when
 * none was set.  Setting NULL forgets it; an address that
 * sd_sync_client_check_url() refuses is not stored. */
char       *sd_sync_get_hq_url        (SdStore      *store);
gboolean    sd_sync_set_hq_url        (SdStore      *store,
                                       const char   *url,
                                       GError      **error);

/* ---- batches (sd-sync.c) ---- */

typedef struct {
  char    *sha256;       /* of the file, hex */
  char    *to_site;
  gint64   operations;
  gint64   bytes;
  char    *path;         /* sd_sync_export_to_folder () only */
} SdSyncExport;

void        sd_sync_export_clear      (SdSyncExport *result);

/* Writes to OUT a batch for TO (a site id, a name or "hq") of every
 * change it has not acknowledged. */
gboolean    sd_sync_export            (SdStore       *store,
                                       const char    *to,
                                       GOutputStream *out,
                                       SdSyncExport  *result,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* The same, into a new file in FOLDER, written whole or not at all
 * (a stick pulled out mid-write leaves no batch behind). */
gboolean    sd_sync_export_to_folder  (SdStore       *store,
                                       const char    *to,
                                       const char    *folder,
                                       SdSyncExport  *result,
                                       GCancellable  *cancellable,
                                       GError       **error);

typedef struct {
  char    *sha256;            /* of the file, hex */
  char    *from_site;
  char    *from_name;
  gboolean already_imported;  /* the same file came before: nothing done */
  gboolean enrolled;          /* the batch enrolled its kiosk (HQ) */
  gboolean chain_broken;      /* a batch its sender made before never arrived */
  gint64   operations;        /* in the batch */
  gint64   applied;           /* new changes stored */
  gint64   already_had;       /* changes stored before */
  gint64   rows_changed;
  gint64   waiting;           /* rows waiting for their parent */
  gint64   clamped;           /* changes from a clock too far ahead */
  gint64   gaps;              /* changes known to be missing, all origins */
  gint64   conflicts;         /* new */
  gint64   duplicates;        /* new */
} SdSyncImport;

void        sd_sync_import_clear      (SdSyncImport *result);

/* Imports the batch BYTES: checks it whole (sealed to this site, signed
 * by an enrolled, unrevoked site of this deployment, a schema this build
 * knows, no change that contradicts one already held) before one change
 * is written, then stores and folds it in one transaction.  ENROL, when
 * given at HQ, is the fingerprint a person read on a new kiosk's screen:
 * a batch signed by that key enrols it. */
gboolean    sd_sync_import_bytes      (SdStore       *store,
                                       GBytes        *bytes,
                                       const char    *enrol,
                                       SdSyncImport  *result,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean    sd_sync_import_file       (SdStore       *store,
                                       const char    *path,
                                       const char    *enrol,
                                       SdSyncImport  *result,
                                       GCancellable  *cancellable,
                                       GError       **error);

/* What this site holds of each origin without a hole: origin site id →
 * highest sequence number (a JSON object), for a receiver's answer. */
char       *sd_sync_get_holds         (SdStore      *store,
                                       GError      **error);
/* Records that PEER holds what HOLDS_JSON says (from its answer). */
gboolean    sd_sync_set_peer_holds    (SdStore      *store,
                                       const char   *peer,
                                       const char   *holds_json,
                                       GError      **error);

/* Every synced table, the state derived from the events and the op-log,
 * as text in a fixed order (sd-sync-dump.c): two sites holding the same
 * changes give the same text, byte for byte. */
char       *sd_sync_canonical_dump    (SdStore      *store,
                                       GError      **error);

/* ---- what people review (sd-sync.c) ---- */

typedef struct {
  guint64  waiting;          /* changes not yet acknowledged by HQ (a kiosk) or by any kiosk (HQ) */
  gint64   waiting_since;
  guint64  gaps;
  guint64  clamped_origins;
  guint64  conflicts;        /* open */
  guint64  duplicates;       /* undecided */
  guint64  rows_waiting;
  gint64   last_import_at;
} SdSyncStatus;

gboolean    sd_sync_get_status        (SdStore      *store,
                                       SdSyncStatus *status,
                                       GError      **error);

/* Status as one JSON object (sync status --json). */
char       *sd_sync_status_json       (SdStore      *store,
                                       GError      **error);

/* Open conflicts, as a JSON array of {id, table, row_id, field, winner:
 * {site, value}, loser: {site, value}}. */
char       *sd_sync_list_conflicts_json (SdStore    *store,
                                         gboolean    include_resolved,
                                         GError    **error);
/* Resolves conflict ID: KEEP_LOSER writes the losing value again as a new
 * change (which then wins everywhere); otherwise the winner stands. */
gboolean    sd_sync_resolve_conflict  (SdStore      *store,
                                       gint64        id,
                                       gboolean      keep_loser,
                                       GError      **error);

/* Undecided possible duplicates (INCLUDE_DECIDED: all), as a JSON array
 * of pairs of persons; a pair one of whose records was merged is decided. */
char       *sd_sync_list_duplicates_json (SdStore   *store,
                                          gboolean   include_decided,
                                          GError   **error);
gboolean    sd_sync_keep_apart        (SdStore      *store,
                                       const char   *person_a,
                                       const char   *person_b,
                                       GError      **error);

/* Merges the record MERGE_ID into KEEP_ID, two registrations of one
 * human (sd-sync-duplicates.c), in one transaction of ordinary changes
 * that sync like any other: what KEEP_ID lacks is taken from MERGE_ID
 * (nothing KEEP_ID holds is overwritten), where MERGE_ID was staying
 * carries over when it is newer, MERGE_ID leaves so that every count
 * counts the human once, and MERGE_ID is closed (merged_into), its
 * history kept.  From then on a search finds KEEP_ID only, and a card
 * or an event of MERGE_ID lands on KEEP_ID.  STAFF_ID (nullable) is who
 * merged, for the events.  Done at HQ (or a site of no deployment), so
 * that two desks never merge the same people two ways. */
gboolean    sd_sync_merge_duplicate   (SdStore      *store,
                                       const char   *keep_id,
                                       const char   *merge_id,
                                       const char   *staff_id,
                                       GError      **error);

/* Who signed the batch at PATH, as its header says: the name of its site
 * and its key fingerprint, for a person to compare with a new kiosk's
 * screen before enrolling it (sd_sync_import_file's ENROL).  Only the
 * header is read and its signature checked; nothing is written. */
gboolean    sd_sync_read_batch_sender (SdStore       *store,
                                       const char    *path,
                                       char         **out_name,
                                       char         **out_fingerprint,
                                       GCancellable  *cancellable,
                                       GError       **error);

G_END_DECLS
