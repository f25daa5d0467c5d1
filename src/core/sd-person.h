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
  SD_CARE_NONE,
  SD_CARE_SUPPORT_1,  /* 要支援1 */
  SD_CARE_SUPPORT_2,  /* 要支援2 */
  SD_CARE_1,          /* 要介護1 … */
  SD_CARE_2,
  SD_CARE_3,
  SD_CARE_4,
  SD_CARE_5,          /* … 要介護5 */
} SdCareLevel;

typedef enum {
  SD_DAMAGE_UNKNOWN,
  SD_DAMAGE_NONE,         /* 被害なし */
  SD_DAMAGE_PARTIAL,      /* 一部損壊 */
  SD_DAMAGE_SEMI_HALF,    /* 準半壊 */
  SD_DAMAGE_HALF,         /* 半壊 */
  SD_DAMAGE_MEDIUM_HALF,  /* 中規模半壊 */
  SD_DAMAGE_MAJOR_HALF,   /* 大規模半壊 */
  SD_DAMAGE_TOTAL,        /* 全壊 */
} SdHouseDamage;

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

  /* Needs (要配慮者): free text where kinds are many, NULL when none. */
  const char *allergies;         /* food allergies */
  const char *illness;           /* chronic illness and medication */
  gboolean    pregnant;
  const char *disability;
  SdCareLevel care_level;        /* 要介護度 */
  const char *mobility;          /* mobility aids: wheelchair, cane … */
  const char *language;          /* a language other than Japanese, BCP 47 ("vi", "pt-BR") */

  /* "Same person" after a duplicate check: the fields given here are
   * written over the existing person's, those left NULL (or unknown) keep
   * what is known, and consent or pregnancy once recorded stays.  They
   * stay in their own household unless move_household is set. */
  const char *existing_id;
  gboolean    move_household;
} SdPersonSpec;

typedef struct {
  const char *shelter_id;        /* the shelter that registers them */
  SdStay      stay;
  const char *vehicle_plate;     /* with SD_STAY_VEHICLE */
  const char *address;
  const char *phone;
  SdHouseDamage house_damage;
  const char *pets;              /* kind of pets, e.g. "犬", NULL when none */
  guint       pets_count;

  /* Check every member in at shelter_id in the same transaction, as the
   * intake desk does for people who arrive to stay. */
  gboolean    check_in;
  const char *staff_id;          /* who registered them, for the events */
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
const char     *sd_person_get_allergies    (SdPerson *self);
const char     *sd_person_get_illness      (SdPerson *self);
gboolean        sd_person_get_pregnant     (SdPerson *self);
const char     *sd_person_get_disability   (SdPerson *self);
SdCareLevel     sd_person_get_care_level   (SdPerson *self);
const char     *sd_person_get_mobility     (SdPerson *self);
const char     *sd_person_get_language     (SdPerson *self);
SdStay          sd_person_get_stay         (SdPerson *self);
const char     *sd_person_get_shelter_name (SdPerson *self);
/* The record this one was merged into (a possible duplicate HQ merged),
 * or NULL: a merged record is closed, kept only for its history. */
const char     *sd_person_get_merged_into  (SdPerson *self);

#define SD_TYPE_PERSON_EVENT (sd_person_event_get_type ())
G_DECLARE_FINAL_TYPE (SdPersonEvent, sd_person_event, SD, PERSON_EVENT, GObject)

const char  *sd_person_event_get_id           (SdPersonEvent *self);
SdEventKind  sd_person_event_get_kind         (SdPersonEvent *self);
gint64       sd_person_event_get_at           (SdPersonEvent *self);  /* Unix ms */
const char  *sd_person_event_get_shelter_code (SdPersonEvent *self);
const char  *sd_person_event_get_shelter_name (SdPersonEvent *self);
const char  *sd_person_event_get_staff_name   (SdPersonEvent *self);

typedef struct {
  guint in_shelter;    /* checked in and present */
  guint out_now;       /* gone out, expected back */
  guint at_home;       /* 在宅避難, registered through this shelter */
  guint in_vehicle;    /* 車中泊 */
  guint at_relatives;
} SdStayCounts;

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
const char  *sd_care_level_to_string  (SdCareLevel  level);
gboolean     sd_care_level_from_string (const char *text,
                                        SdCareLevel *out_level);
const char  *sd_house_damage_to_string (SdHouseDamage damage);
gboolean     sd_house_damage_from_string (const char   *text,
                                          SdHouseDamage *out_damage);

char        *sd_store_add_household   (SdStore               *store,
                                       const SdHouseholdSpec *household,
                                       const SdPersonSpec    *members,
                                       guint                  n_members,
                                       GPtrArray             *out_person_ids,
                                       GError               **error);
SdPerson    *sd_store_get_person      (SdStore               *store,
                                       const char            *person_id,
                                       GError               **error);
gboolean     sd_store_restore_person  (SdStore               *store,
                                       SdPerson              *before,
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
gboolean     sd_store_count_stays     (SdStore               *store,
                                       const char            *shelter_id,
                                       SdStayCounts          *counts,
                                       GError               **error);

/* Search as you type: a name or kana prefix in any script or width
 * (hiragana, katakana, half-width katakana, full-/half-width latin), a
 * phone number's digits (or its last four), or a birth date in any form
 * sd_date_parse_iso() reads.  Newest registrations first. */
GListModel  *sd_store_search_persons  (SdStore               *store,
                                       const char            *query,
                                       guint                  limit,
                                       GError               **error);

/* How many people born the same day with the same name or kana the
 * duplicate check reads at most. */
#define SD_DUPLICATES_EXAMINED 200

/* People already registered who may be the person in SPEC: the same
 * name and birth date, or the same kana, birth date and address.
 * OUT_CAPPED (may be NULL) says whether there were more such people than
 * SD_DUPLICATES_EXAMINED, so some were not compared. */
GListModel  *sd_store_find_duplicates (SdStore               *store,
                                       const SdPersonSpec    *spec,
                                       const char            *household_address,
                                       gboolean              *out_capped,
                                       GError               **error);

GListModel  *sd_store_list_household_members (SdStore         *store,
                                               const char      *household_id,
                                               GError         **error);
GListModel  *sd_store_list_person_events (SdStore            *store,
                                          const char         *person_id,
                                          GError            **error);

/* The enquiry desk (安否確認): people matching QUERY who consented to
 * their safety being disclosed.  Who did not consent is never returned,
 * so the answer cannot tell "not here" from "here, but not to be said". */
GListModel  *sd_store_enquire         (SdStore               *store,
                                       const char            *query,
                                       GError               **error);

G_END_DECLS
