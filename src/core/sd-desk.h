/* sd-desk.h: the desks of ShelterDesk and which staff role may use each.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The policy lives in the core so that the desk, the CLI and the tests
 * agree on it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SD_ROLE_VOLUNTEER,  /* intake and check-in only */
  SD_ROLE_LEAD,       /* a shelter lead: also reports, exports, leaving kiosk mode */
  SD_ROLE_HQ,         /* disaster headquarters: everything */
} SdRole;

typedef enum {
  SD_DESK_INTAKE,
  SD_DESK_CHECKIN,
  SD_DESK_ENQUIRY,
  SD_DESK_REPORT,
  SD_DESK_STAFF_SAFETY,
  SD_DESK_GUIDE,
  SD_DESK_SUPPORT,
  SD_DESK_HQ,
  SD_DESK_EXERCISE,
  SD_DESK_SYNC,
  SD_N_DESKS
} SdDesk;

const char *sd_role_to_string   (SdRole      role);
gboolean    sd_role_from_string (const char *text,
                                 SdRole     *out_role);
const char *sd_role_get_label   (SdRole      role);

const char *sd_desk_to_string   (SdDesk      desk);
gboolean    sd_desk_from_string (const char *text,
                                 SdDesk     *out_desk);
const char *sd_desk_get_label   (SdDesk      desk);
gboolean    sd_role_allows_desk (SdRole      role,
                                 SdDesk      desk);
gboolean    sd_role_can_leave_kiosk (SdRole  role);
/* Staff safety: every member of staff answers; a lead or HQ also sees
 * everyone's answers and records answers taken by phone; HQ alone opens
 * and closes roll-calls. */
gboolean    sd_role_can_review_safety (SdRole role);
gboolean    sd_role_can_open_rollcall (SdRole role);
/* The shelter guide: everyone prints it, a lead or HQ writes it. */
gboolean    sd_role_can_edit_shelter_guide (SdRole role);
/* Replacing the support list from a welfare system's export is HQ's. */
gboolean    sd_role_can_import_support_list (SdRole role);

G_END_DECLS
