/* sd-sync-protocol-private.h: what the receiver and the client share and the app need not see.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"
#include "sd-sync-private.h"
#include "sd-sync-protocol.h"

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Seconds a busy receiver asks a client to wait. */
#define SD_SYNC_RETRY_AFTER_S "5"

/* Answers MSG as the receiver answers everything, the sync protocol and
 * the staff safety form alike: one request a connection, never cached,
 * Retry-After when busy; BODY (may be NULL) of CONTENT_TYPE. */
void      _sd_sync_respond      (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *content_type,
                                 GBytes            *body);
/* The reason phrase of STATUS (429 too, which libsoup 3.2 lacks). */
const char *_sd_sync_phrase     (guint              status);

/* The texts signed (docs/sync-protocol.md): a kiosk's request for its
 * batch, and HQ's acknowledgement of a batch it received.  HOLDS is the
 * compact JSON object with sorted keys that sd_sync_get_holds() writes. */
char     *_sd_sync_pull_text    (const char       *site,
                                 const char       *challenge,
                                 const char       *holds);
char     *_sd_sync_ack_text     (const char       *batch_sha256,
                                 const char       *holds);

/* The Ed25519 signature of TEXT by SELF, as 128 hex digits. */
char     *_sd_sync_sign_text    (const SdSyncSelf *self,
                                 const char       *text);
gboolean  _sd_sync_verify_text  (const guint8     *sign_pk,
                                 const char       *text,
                                 const char       *signature_hex);

/* The signing key of the deployment's site SITE_ID whose role is ROLE
 * ("hq" or "kiosk"): SD_SYNC_ERROR_UNKNOWN_SENDER when there is none,
 * SD_SYNC_ERROR_REVOKED when HQ revoked it. */
gboolean  _sd_sync_peer_sign_key (SdStore         *store,
                                  const char      *site_id,
                                  const char      *role,
                                  guint8          *sign_pk,
                                  GError         **error);
/* The name the deployment's site SITE_ID (or, when NULL, the site whose
 * signing key is SIGN_PK) was enrolled under, or NULL. */
char     *_sd_sync_peer_name     (SdStore          *store,
                                  const char       *site_id,
                                  const guint8     *sign_pk);
/* HQ's site id and signing key, at a kiosk. */
char     *_sd_sync_hq_sign_key  (SdStore          *store,
                                 guint8           *sign_pk,
                                 GError          **error);

/* What is recorded as the last batch sent to a peer.  An export records
 * its batch as sent, so that the next one names it as "prev"; when the
 * network then fails to deliver it, _sd_sync_unsend() puts the record
 * back as it was, so the peer is not told of a batch it never missed
 * (every change of it is in the next batch anyway). */
typedef struct {
  char   *sha256;
  gint64  at;
} SdSyncSent;

void      _sd_sync_sent_clear   (SdSyncSent       *sent);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdSyncSent, _sd_sync_sent_clear)

gboolean  _sd_sync_get_sent     (SdStore          *store,
                                 const char       *peer_site_id,
                                 SdSyncSent       *out,
                                 GError          **error);
/* Only if the batch SENT_SHA256 is still the last one recorded. */
gboolean  _sd_sync_unsend       (SdStore          *store,
                                 const char       *peer_site_id,
                                 const char       *sent_sha256,
                                 const SdSyncSent *before,
                                 GError          **error);

G_END_DECLS
