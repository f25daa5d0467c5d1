/* sd-safety-private.h: the safety counts, fed by SQLite or by PostgreSQL's HQ (src/core/pg).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-safety.h"

G_BEGIN_DECLS

/* One row per group of the active roster with the same department,
 * section and newest answer to the roll-call ROLLCALL (an SQL parameter),
 * in roster order: the query both engines run. */
#define SD_SAFETY_COUNT_SQL(rollcall) \
  "SELECT coalesce (s.department, ''), coalesce (s.section, ''), l.safety, l.can_report, l.arrival, count (*) " \
  "FROM staff s LEFT JOIN safety_state l ON l.rollcall_id = " rollcall " AND l.staff_id = s.id " \
  "WHERE s.active = 1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2"

SdSafetyCount *_sd_safety_count_new (void);
/* Adds N members of DEPARTMENT and SECTION whose newest answer says
 * SAFETY_TEXT (NULL: none), CAN_REPORT and ARRIVAL. */
void           _sd_safety_count_add (SdSafetyCount *count,
                                     const char    *department,
                                     const char    *section,
                                     const char    *safety_text,
                                     gboolean       can_report,
                                     const char    *arrival,
                                     guint          n);

/* STORE's active roster, by department, but the staff ids in ANSWERED:
 * who has not answered, wherever the answers were counted. */
GListModel    *_sd_safety_missing   (SdStore       *store,
                                     GHashTable    *answered,
                                     GError       **error);

G_END_DECLS
