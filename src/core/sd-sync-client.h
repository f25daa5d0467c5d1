/* sd-sync-client.h: a kiosk's side of the network: push its batch to HQ's receiver, fetch HQ's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One exchange (docs/sync-protocol.md): ask the receiver who it is (and
 * for a challenge), POST the batch of every change HQ has not
 * acknowledged, record what HQ says it now holds, then fetch HQ's batch
 * for this kiosk and import it.  The exchange runs in a worker thread on
 * an SdStore of its own on the same file; when it is done, the store
 * given catches up (sd_store_catch_up) on the thread that started it,
 * so its pages show what came from HQ.
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_SYNC_CLIENT_ERROR (sd_sync_client_error_quark ())
GQuark sd_sync_client_error_quark (void);

typedef enum {
  SD_SYNC_CLIENT_ERROR_BAD_URL,      /* not an http:// or https:// address */
  SD_SYNC_CLIENT_ERROR_UNREACHABLE,  /* no answer: network down, HQ off, the connection lost */
  SD_SYNC_CLIENT_ERROR_TLS,          /* HQ's certificate is not trusted */
  SD_SYNC_CLIENT_ERROR_NOT_RECEIVER, /* something answers that is not this deployment's HQ */
  SD_SYNC_CLIENT_ERROR_REFUSED,      /* HQ refused the batch or the request: see the reason */
  SD_SYNC_CLIENT_ERROR_HQ_FAILED,    /* HQ could not do it now (busy, its own error): try again later */
  SD_SYNC_CLIENT_ERROR_FAILED,       /* this kiosk's own database failed */
} SdSyncClientError;

typedef enum {
  SD_SYNC_CLIENT_PUSH = 1 << 0,  /* send what HQ has not acknowledged, if anything */
  SD_SYNC_CLIENT_PULL = 1 << 1,  /* fetch and import HQ's batch for this kiosk */
} SdSyncClientFlags;

typedef struct {
  /* sent */
  gboolean  sent;              /* a batch went to HQ */
  char     *sent_result;       /* "imported" or "already-imported" */
  gint64    sent_operations;
  gint64    sent_bytes;
  gint64    hq_applied;        /* of them, new at HQ */
  gint64    hq_already_had;
  /* received */
  gboolean  received;          /* HQ had a batch for this kiosk, imported */
  gint64    received_operations;
  gint64    received_bytes;
  gint64    received_applied;
  /* after */
  guint64   waiting;           /* changes HQ has still not acknowledged */
  /* on failure */
  char     *reason;            /* HQ's reason code when it refused, else NULL */
} SdSyncClientResult;

void sd_sync_client_result_clear (SdSyncClientResult *result);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdSyncClientResult, sd_sync_client_result_clear)

#define SD_TYPE_SYNC_CLIENT (sd_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncClient, sd_sync_client, SD, SYNC_CLIENT, GObject)

/* Whether URL can be HQ's receiver: http:// or https://, a host and an
 * optional port (a path below which /sync/v1/ lies may follow), and
 * nothing else.  The error says, for a person, what is wrong with it. */
gboolean      sd_sync_client_check_url     (const char          *url,
                                            GError             **error);
/* URL: HQ's receiver, "https://hq.example:8443", as check_url takes it. */
SdSyncClient *sd_sync_client_new           (const char          *url,
                                            GError             **error);
const char   *sd_sync_client_get_url       (SdSyncClient        *self);
/* Trust only the certificates in CA_FILE (PEM) for HQ: a deployment's
 * own, self-signed certificate.  Otherwise the system's. */
gboolean      sd_sync_client_set_tls_ca_file (SdSyncClient      *self,
                                            const char          *ca_file,
                                            GError             **error);
/* Seconds without progress before a request is given up (default 30). */
void          sd_sync_client_set_timeout   (SdSyncClient        *self,
                                            guint                seconds);

/* Whether HQ's receiver of STORE's deployment answers at the URL. */
void          sd_sync_client_probe_async   (SdSyncClient        *self,
                                            SdStore             *store,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      sd_sync_client_probe_finish  (SdSyncClient        *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* One exchange with HQ for the kiosk STORE. */
void          sd_sync_client_sync_async    (SdSyncClient        *self,
                                            SdStore             *store,
                                            SdSyncClientFlags    flags,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* RESULT is filled as far as the exchange went, also on failure. */
gboolean      sd_sync_client_sync_finish   (SdSyncClient        *self,
                                            GAsyncResult        *result,
                                            SdSyncClientResult  *out,
                                            GError             **error);

/* Whether ERROR is one that may go away by itself (the network, HQ
 * busy), so that trying again later makes sense. */
gboolean      sd_sync_client_error_is_temporary (const GError   *error);

G_END_DECLS
