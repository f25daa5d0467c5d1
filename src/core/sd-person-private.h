/* sd-person-private.h: what the person files of the core share.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "sd-person.h"

G_BEGIN_DECLS

/* Every query that makes SdPerson objects selects these columns, in this
 * order, so one function reads them all. */
#define SD_PERSON_SELECT \
  "SELECT p.id, p.household_id, p.name, p.kana, p.birth_date, p.sex, " \
  "coalesce (p.address, h.address), coalesce (p.phone, h.phone), p.consent_disclose, " \
  "s.kind, s.shelter_id, p.allergies, p.illness, p.pregnant, p.disability, p.care_level, " \
  "p.mobility, p.language, h.stay, sh.name, p.merged_into " \
  "FROM persons p JOIN households h ON h.id = p.household_id " \
  "LEFT JOIN person_state s ON s.person_id = p.id " \
  "LEFT JOIN shelters sh ON sh.id = coalesce (s.shelter_id, h.shelter_id) "

SdPerson *_sd_person_new_from_row (sqlite3_stmt *stmt);

/* The person who stands for PERSON_ID now: the record it was merged
 * into (one hop: a merge never makes a chain), or PERSON_ID itself. */
char     *_sd_person_follow_merge (SdStore     *store,
                                   const char  *person_id,
                                   GError     **error);

/* Appends an event to PERSON_ID's stay, in the caller's transaction,
 * with no check of what came before (sd_store_record_event checks). */
char     *_sd_person_insert_event (SdStore     *store,
                                   const char  *person_id,
                                   SdEventKind  kind,
                                   const char  *shelter_id,
                                   const char  *staff_id,
                                   GError     **error);

G_END_DECLS
