/* sd-sync-protocol.h: what HQ's receiver and its kiosks share over HTTP.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The protocol is docs/sync-protocol.md: a kiosk POSTs the batch file
 * (docs/batch-format.md) HQ has not acknowledged, HQ answers with what it
 * now holds of each origin, signed, and the kiosk then fetches HQ's batch
 * for it with a request signed by its own key.  The receiver is
 * sd-sync-server.c, the kiosk's side sd-sync-client.c.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SD_SYNC_PROTOCOL_VERSION      1
#define SD_SYNC_SERVICE               "shelterdesk-sync"

#define SD_SYNC_PATH_HELLO            "/sync/v1/hello"
#define SD_SYNC_PATH_BATCHES          "/sync/v1/batches"
#define SD_SYNC_PATH_BATCHES_FOR      "/sync/v1/batches/for/"

#define SD_SYNC_BATCH_CONTENT_TYPE    "application/x-shelterdesk-batch"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define SD_SYNC_STATUS_TOO_MANY_REQUESTS 429

#define SD_SYNC_HEADER_CHALLENGE      "X-ShelterDesk-Challenge"
#define SD_SYNC_HEADER_HOLDS          "X-ShelterDesk-Holds"
#define SD_SYNC_HEADER_SIGNATURE      "X-ShelterDesk-Signature"

/* The reason code of a refused batch ("unknown-sender", "damaged", …; the
 * list is docs/sync-protocol.md's), for scripts and for the receiver's
 * answers; "failed" for an error that is not a refusal. */
const char *sd_sync_error_reason      (const GError *error);

/* Whether TEXT is a site id: 32 lower-case hex digits. */
gboolean    sd_sync_is_site_id        (const char   *text);

G_END_DECLS
