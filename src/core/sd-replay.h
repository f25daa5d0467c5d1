/* sd-replay.h: making rows from the op-log, for rescue, the deep check and (later) sync import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

/* Makes every row of the synced TABLE that the op-log of STORE knows but
 * the table lacks: each field the newest value the op-log holds for it
 * (by HLC, then site id), rows deleted in the op-log left out.  Not
 * captured again.  Returns how many rows were made, or -1. */
gint64    _sd_replay_missing_rows   (SdStore     *store,
                                     const char  *table,
                                     GError     **error);

G_END_DECLS

G_BEGIN_DECLS

/* The proof that the op-log is complete: replays the whole op-log of
 * STORE into a new, empty database and compares every synced table, and
 * what is derived from them (where people are, search keys), row for
 * row and byte for byte.  Fails with SD_STORE_ERROR_TAMPERED naming the
 * table that differs.  Reads everything: for "check --deep". */
gboolean  _sd_replay_prove          (SdStore     *store,
                                     GError     **error);

G_END_DECLS
