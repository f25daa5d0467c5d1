/* sd-sync-server.h: HQ's receiver: kiosks push their batches over HTTP(S) and fetch HQ's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The protocol is docs/sync-protocol.md.  The receiver owns its own
 * SdStore on HQ's database, in a worker thread of its own, and imports
 * one batch at a time there; the thread that starts it only talks HTTP.
 */
#pragma once

#include "sd-store.h"
#include "sd-sync.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_SYNC_SERVER_ERROR (sd_sync_server_error_quark ())
GQuark sd_sync_server_error_quark (void);

typedef enum {
  SD_SYNC_SERVER_ERROR_NOT_HQ,    /* the database is not the HQ of a deployment */
  SD_SYNC_SERVER_ERROR_ADDRESS,   /* the address to listen on cannot be used */
  SD_SYNC_SERVER_ERROR_TLS,       /* the certificate or its key cannot be loaded */
} SdSyncServerError;

/* The largest batch accepted by default, and the requests one address may
 * make in a minute. */
#define SD_SYNC_SERVER_DEFAULT_MAX_BYTES     (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define SD_SYNC_SERVER_DEFAULT_MAX_REQUESTS  120
/* Seconds a client may keep a request waiting without sending a byte. */
#define SD_SYNC_SERVER_DEFAULT_TIMEOUT       15

#define SD_TYPE_SYNC_SERVER (sd_sync_server_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncServer, sd_sync_server, SD, SYNC_SERVER, GObject)

/* The receiver of HQ's database DB_PATH; nothing is opened yet. */
SdSyncServer *sd_sync_server_new             (const char    *db_path);

void          sd_sync_server_set_max_bytes   (SdSyncServer  *self,
                                              guint64        max_bytes);
guint64       sd_sync_server_get_max_bytes   (SdSyncServer  *self);
void          sd_sync_server_set_max_requests (SdSyncServer *self,
                                              guint          per_minute);
guint         sd_sync_server_get_max_requests (SdSyncServer *self);
void          sd_sync_server_set_timeout     (SdSyncServer  *self,
                                              guint          seconds);
guint         sd_sync_server_get_timeout     (SdSyncServer  *self);
/* Serves only the staff safety web form (/safety), on any site's
 * database: a shelter kiosk's own LAN.  Answers stored there reach HQ in
 * the kiosk's batches like any other change.  Set before start. */
void          sd_sync_server_set_safety_only (SdSyncServer  *self,
                                              gboolean       safety_only);
gboolean      sd_sync_server_get_safety_only (SdSyncServer  *self);
/* Where the receiver keeps the deployment, in its worker thread: HQ's
 * SQLite file (by default), or elsewhere (PostgreSQL, src/core/pg).  HQ
 * is HQ's database, whose keys open and check a batch and sign the
 * answers.  IMPORT stores a batch: FALSE with ERROR refuses it (an error
 * of SD_SYNC_ERROR or SD_BATCH_ERROR gets its reason and status; any
 * other is a failure the kiosk sends again later); else *HOLDS is what
 * the store holds of each origin without a hole (a JSON object), for the
 * answer.  EXPORT answers a kiosk's pull: takes HOLDS, what the kiosk
 * SITE says it holds (a JSON object, or NULL; malformed:
 * SD_SYNC_ERROR_BAD_OPERATION), and writes to OUT the batch of what it
 * lacks, as sd_sync_export () does.  NULL: HQ's file again.  Set
 * before start. */
typedef struct {
  gboolean (*import) (SdStore        *hq,
                      GBytes         *batch,
                      SdSyncImport   *result,
                      char          **holds,
                      gpointer        user_data,
                      GError        **error);
  gboolean (*export) (SdStore        *hq,
                      const char     *site,
                      const char     *holds,
                      GOutputStream  *out,
                      SdSyncExport   *result,
                      gpointer        user_data,
                      GError        **error);
} SdSyncServerStorage;
void          sd_sync_server_set_storage     (SdSyncServer               *self,
                                              const SdSyncServerStorage  *storage,
                                              gpointer                    user_data,
                                              GDestroyNotify              destroy);
/* HTTPS with the certificate (PEM, its chain after it) and key in these files. */
gboolean      sd_sync_server_set_tls_files   (SdSyncServer  *self,
                                              const char    *cert_file,
                                              const char    *key_file,
                                              GError       **error);

/* Opens HQ's database and listens on ADDRESS ("127.0.0.1:8443", "[::1]:0";
 * port 0 picks a free one) on the thread-default main context. */
gboolean      sd_sync_server_start           (SdSyncServer  *self,
                                              const char    *address,
                                              GError       **error);
/* Stops listening, drops every connection and closes the database once
 * the import under way, if any, has finished. */
void          sd_sync_server_stop            (SdSyncServer  *self);

guint16       sd_sync_server_get_port        (SdSyncServer  *self);
/* "https://127.0.0.1:8443", once started. */
char         *sd_sync_server_get_url         (SdSyncServer  *self);
/* The deployment's name; for a safety-only server on a site of none,
 * the site's name. */
const char   *sd_sync_server_get_deployment_name (SdSyncServer *self);

G_END_DECLS
