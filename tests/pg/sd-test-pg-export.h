/* sd-test-pg-export.h: HQ's batch to a kiosk, from HQ's file and from PostgreSQL, compared.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-pg-store.h"

G_BEGIN_DECLS

/* The batch sd_sync_export () writes for the kiosk TO from HQ's file HQ
 * and the one sd_pg_store_export () writes from PG (HQ giving the keys),
 * opened with TO's keys, must be the same: the header but when it was
 * made and its predecessor, and every line byte for byte; three times:
 * with TO having acknowledged nothing, half of what it holds, and all of
 * it (at both, as a pull says it).  Fails the test (both written to the
 * temporary folder) if not; returns PG's first batch, everything TO may
 * have, and its count of changes in *OPERATIONS. */
GBytes *sd_test_pg_assert_same_export (SdPgStore  *pg,
                                       SdStore    *hq,
                                       SdStore    *to,
                                       gint64     *operations);

G_END_DECLS
