/* sd-replay.h: making rows from the op-log, for rescue, the deep check and (later) sync import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sd-store.h"

G_BEGIN_DECLS

/* Makes every row of the synced TABLE that the op-log of STORE knows but
 * the table lacks: each field the newest value the op-log holds for it
 * (by HLC, then site id), rows deleted in the op-log left out.  Not
 * captured again.  Returns how many rows were made, or -1. */
gint64    _sd_replay_missing_rows   (SdStore     *store,
                                     const char  *table,
                                     GError     **error);

/* A row whose table holds values its changes do not give (a rescue whose
 * op-log lost the newest change of a field). */
typedef struct {
  char      *id;
  GPtrArray *columns;  /* column index in the table (GUINT_TO_POINTER) */
  GPtrArray *values;   /* sqlite3_value*: what the table holds */
} SdReplayDifference;

void       _sd_replay_difference_free (SdReplayDifference *difference);

/* Every row of TABLE that the op-log makes differently from what the
 * table holds, with the fields that differ.  NULL on error. */
GPtrArray *_sd_replay_differences    (SdStore     *store,
                                      const char  *table,
                                      GError     **error);

/* The proof that the op-log is complete: every row of every synced table
 * made again from its changes and compared with the table, byte for
 * byte, both ways.  Fails with
 * SD_STORE_ERROR_TAMPERED naming the table that differs.  Reads
 * everything: for "check --deep". */
gboolean  _sd_replay_prove          (SdStore     *store,
                                     GError     **error);

/* Every person's search keys computed again and compared with person_keys,
 * on DB (any connection that defines sd_search_keys()). */
gboolean  _sd_replay_prove_search_keys (sqlite3   *db,
                                        GError   **error);

/* Brings every row of TABLE listed in temp.sync_touched (tbl, row_id as
 * the op-log keys it) to what the op-log makes of it: made, changed or
 * deleted, not captured again.  A row whose parent is not there yet (or
 * whose deletion its children still hold back) is listed in sync_waiting
 * instead, and taken off once applied.  Counts rows changed and waiting. */
gboolean  _sd_replay_apply_touched  (SdStore     *store,
                                     const char  *table,
                                     gboolean     append_only,
                                     gint64       now_ms,
                                     gint64      *out_changed,
                                     gint64      *out_waiting,
                                     GError     **error);

G_END_DECLS
