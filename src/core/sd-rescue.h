/* sd-rescue.h: copying what a damaged database still holds into a new one.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

typedef struct {
  char    *table;
  guint64  saved;          /* rows copied as they were */
  guint64  rebuilt;        /* rows that were lost, made again from the op-log */
  guint64  recorded;       /* fields whose op-log entries were lost, recorded again */
  guint    damaged_parts;  /* stretches of the table that could not be read */
  gboolean unreadable;     /* not one row could be read */
} SdRescueTable;

typedef struct {
  GPtrArray *tables;       /* SdRescueTable*, the synced tables and the op-log */
  guint64    oplog_gaps;   /* op-log entries of this site missing from the rescued copy
                            * (recorded in oplog_gaps, so check knows them) */
} SdRescueReport;

void      sd_rescue_report_free  (SdRescueReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdRescueReport, sd_rescue_report_free)

/* Copies everything still readable in DAMAGED (opened with
 * SD_STORE_OPEN_DAMAGED) into a new database at OUT_PATH, which must
 * not exist: the same site, its op-log, every synced row, the card keys
 * and the scan settings.  Nothing is ever written to DAMAGED. */
SdRescueReport *sd_store_rescue (SdStore     *damaged,
                                 const char  *out_path,
                                 GError     **error);

G_END_DECLS
