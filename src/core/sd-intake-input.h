/* sd-intake-input.h: one strict check of a household and its members, for every way one comes in.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `evacuee add --json`, a pre-registration file or code, a seed folder's
 * evacuees file and the intake desk's form all bring the same fields.
 * They are checked here, once, so a value is either taken as it was
 * meant or refused with the field's name (and the member's number) and
 * what was expected; nothing is silently changed or dropped.
 */
#pragma once

#include <glib.h>
#include <jansson.h>

#include "sd-person.h"

G_BEGIN_DECLS

/* Longer than any name, address or note a person writes by hand. */
#define SD_INTAKE_MAX_FIELD_CHARS 400

typedef struct _SdIntakeInput SdIntakeInput;

SdIntakeInput *sd_intake_input_new (void);
void           sd_intake_input_free (SdIntakeInput *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdIntakeInput, sd_intake_input_free)

/* Birth dates after TODAY are refused; without it, after the real today. */
void           sd_intake_input_set_today (SdIntakeInput *self,
                                          const GDate   *today);

/* The household's own fields from OBJECT (address, phone, stay,
 * vehicle_plate, house_damage, pets, pets_count).  Members named in ALSO
 * (NULL-terminated, may be NULL) are the caller's to read; any other
 * member is refused by name. */
gboolean       sd_intake_input_read_household (SdIntakeInput      *self,
                                               json_t             *object,
                                               const char *const  *also,
                                               GError            **error);
/* Every person in ARRAY, a list of objects with the desk's member fields;
 * "existing_id" only WITH_EXISTING_ID.  At most MAX_MEMBERS (0: any). */
gboolean       sd_intake_input_read_members   (SdIntakeInput      *self,
                                               json_t             *array,
                                               guint               max_members,
                                               gboolean            with_existing_id,
                                               GError            **error);
/* A text member the caller reads itself (e.g. the shelter code), with
 * the same rules as every text field.  *OUT is NULL when absent or
 * empty, and lives as long as SELF. */
gboolean       sd_intake_input_get_text       (SdIntakeInput      *self,
                                               json_t             *object,
                                               const char         *where,
                                               const char         *field,
                                               const char        **out,
                                               GError            **error);
/* Refuses any member of OBJECT whose name is not in KNOWN, naming it. */
gboolean       sd_intake_input_refuse_unknown (json_t             *object,
                                               const char         *where,
                                               const char *const  *known,
                                               GError            **error);
/* A true/false member; *OUT is left alone when absent or null. */
gboolean       sd_intake_input_get_flag       (json_t             *object,
                                               const char         *where,
                                               const char         *field,
                                               gboolean           *out,
                                               GError            **error);

/* Borrowed, as long as SELF lives.  The caller may change the specs
 * (a seed gives members the household's address). */
SdHouseholdSpec *sd_intake_input_get_household (SdIntakeInput *self);
SdPersonSpec    *sd_intake_input_get_members   (SdIntakeInput *self,
                                                guint         *n_members);

/* `evacuee add --json`: one object, the household with "shelter",
 * "check_in" and "members"; sd_intake_input_get_shelter() gives the code. */
SdIntakeInput *sd_intake_input_new_from_json (const char  *json,
                                              gsize        length,
                                              GError     **error);
const char    *sd_intake_input_get_shelter   (SdIntakeInput *self);

/* The text rules alone, naming FIELD (and WHERE: "household", "member 2"):
 * no U+0000, no bidirectional controls (sd_text_find_bidi_control()),
 * at most SD_INTAKE_MAX_FIELD_CHARS.  LENGTH is the bytes of TEXT, or -1
 * when NUL-terminated.  The desk's form needs no call: the store refuses
 * the same characters in every field it saves (sd_text_validate()). */
gboolean       sd_intake_check_text      (const char  *where,
                                          const char  *field,
                                          const char  *text,
                                          gssize       length,
                                          GError     **error);

G_END_DECLS
