/* sd-person.h: households, persons and the append-only events of their stay.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person's status (in the shelter, out for now, left) is never stored:
 * it is derived from their newest event, so two kiosks' events merge
 * without either overwriting the other.
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_SEX_UNKNOWN,         /* ISO 5218 "0" */
  SD_SEX_MALE,            /* "1" */
  SD_SEX_FEMALE,          /* "2" */
  SD_SEX_NOT_APPLICABLE,  /* "9" */
} SdSex;

typedef enum {
  SD_STAY_SHELTER,    /* in the shelter */
  SD_STAY_HOME,       /* 在宅避難 */
  SD_STAY_VEHICLE,    /* 車中泊 */
  SD_STAY_RELATIVES,  /* at relatives' or friends' */
} SdStay;

typedef enum {
  SD_EVENT_ARRIVE,  /* 入所 */
  SD_EVENT_GO_OUT,  /* 外出 */
  SD_EVENT_RETURN,  /* 帰所 */
  SD_EVENT_LEAVE,   /* 退所 */
  SD_EVENT_SUPPLY,  /* supply pickup: does not change where they are */
} SdEventKind;

typedef enum {
  SD_PERSON_STATUS_NONE,  /* registered, never arrived */
  SD_PERSON_STATUS_IN,    /* in the shelter */
  SD_PERSON_STATUS_OUT,   /* gone out, expected back */
  SD_PERSON_STATUS_LEFT,  /* left the shelter */
} SdPersonStatus;

typedef struct {
  const char *name;              /* kanji, required */
  const char *kana;              /* may be NULL */
  const char *birth_date;        /* ISO 8601 YYYY-MM-DD, or NULL when unknown */
  SdSex       sex;
  const char *address;
  const char *phone;
  gboolean    consent_disclose;  /* 安否情報の開示同意 */
} SdPersonSpec;

typedef struct {
  const char *shelter_id;        /* the shelter that registers them */
  SdStay      stay;
  const char *vehicle_plate;     /* with SD_STAY_VEHICLE */
  const char *address;
  const char *phone;
} SdHouseholdSpec;

#define SD_TYPE_PERSON (sd_person_get_type ())
G_DECLARE_FINAL_TYPE (SdPerson, sd_person, SD, PERSON, GObject)

const char     *sd_person_get_id           (SdPerson *self);
const char     *sd_person_get_household_id (SdPerson *self);
const char     *sd_person_get_name         (SdPerson *self);
const char     *sd_person_get_kana         (SdPerson *self);
const char     *sd_person_get_birth_date   (SdPerson *self);
SdSex           sd_person_get_sex          (SdPerson *self);
const char     *sd_person_get_address      (SdPerson *self);
const char     *sd_person_get_phone        (SdPerson *self);
gboolean        sd_person_get_consent_disclose (SdPerson *self);
SdPersonStatus  sd_person_get_status       (SdPerson *self);
const char     *sd_person_get_shelter_id   (SdPerson *self);

const char  *sd_sex_to_string         (SdSex        sex);
gboolean     sd_sex_from_string       (const char  *text,
                                       SdSex       *out_sex);
const char  *sd_stay_to_string        (SdStay       stay);
gboolean     sd_stay_from_string      (const char  *text,
                                       SdStay      *out_stay);
const char  *sd_event_kind_to_string  (SdEventKind  kind);
gboolean     sd_event_kind_from_string (const char *text,
                                        SdEventKind *out_kind);
const char  *sd_person_status_to_string (SdPersonStatus status);

char        *sd_store_add_household   (SdStore               *store,
                                       const SdHouseholdSpec *household,
                                       const SdPersonSpec    *members,
                                       guint                  n_members,
                                       GPtrArray             *out_person_ids,
                                       GError               **error);
SdPerson    *sd_store_get_person      (SdStore               *store,
                                       const char            *person_id,
                                       GError               **error);
char        *sd_store_record_event    (SdStore               *store,
                                       const char            *person_id,
                                       SdEventKind            kind,
                                       const char            *shelter_id,
                                       const char            *staff_id,
                                       GError               **error);
guint        sd_store_count_occupancy (SdStore               *store,
                                       const char            *shelter_id,
                                       GError               **error);

G_END_DECLS
