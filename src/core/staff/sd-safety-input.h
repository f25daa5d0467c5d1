/* sd-safety-input.h: one safety answer read from JSON, as the CLI, the seeds and the web form give it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The members are the stored codes (docs/safety.md):
 *
 *   { "staff_no": "20872", "safety": "unhurt", "location": "other",
 *     "location_note": "実家", "can_report": true, "means": "car",
 *     "arrival": "within_1h", "message": "…", "recorded_by": "1003" }
 *
 * "recorded_by" is the staff number of who took the answer by phone,
 * which makes it one taken by phone unless "via" says otherwise;
 * any other member is refused by name, so a misspelt field is never
 * silently dropped.
 */
#pragma once

#include <jansson.h>

#include "sd-safety.h"

G_BEGIN_DECLS

/* Fills SPEC from OBJECT; its strings are borrowed from OBJECT.  ALSO
 * lists further members the caller reads itself (NULL-terminated, or
 * NULL).  SPEC->via is "via", else phone when there is "recorded_by",
 * else DEFAULT_VIA (how this caller's answers come).  *RECORDED_BY_NO is
 * the staff number of "recorded_by", or NULL; the caller turns it into
 * SPEC->recorded_by, a staff id. */
gboolean sd_safety_answer_from_json (json_t              *object,
                                     const char *const   *also,
                                     SdAnswerVia          default_via,
                                     SdSafetyAnswerSpec  *spec,
                                     const char         **recorded_by_no,
                                     GError             **error);

G_END_DECLS
