/* sd-support.h: the evacuation-support list (避難行動要支援者名簿).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each person who cannot evacuate alone: the fields a welfare system
 * keeps, emergency contacts and supporters, the individual evacuation
 * plan (個別避難計画), and during a disaster their status, reported over
 * time (未確認 until someone reports).  Every write is an operation that
 * syncs; a person is never deleted, only marked as no longer listed.
 */
#pragma once

#include "sd-person.h"

G_BEGIN_DECLS

typedef enum {
  SD_SUPPORT_UNCONFIRMED,  /* 未確認: no report yet, or reported as not reached */
  SD_SUPPORT_SAFE_HOME,    /* 無事・在宅 */
  SD_SUPPORT_EVACUATED,    /* 避難済み, with the shelter */
  SD_SUPPORT_HELPING,      /* 支援中 */
  SD_SUPPORT_INJURED,      /* 負傷 */
  SD_SUPPORT_MISSING,      /* 所在不明 */
  SD_N_SUPPORT_STATUSES
} SdSupportStatus;

const char *sd_support_status_to_string   (SdSupportStatus  status);
gboolean    sd_support_status_from_string (const char      *text,
                                           SdSupportStatus *out);
/* What a person reads ("Unconfirmed"; 未確認 in Japanese), and untranslated. */
const char *sd_support_status_label       (SdSupportStatus  status);
const char *sd_support_status_msgid       (SdSupportStatus  status);

/* Where a report was made. */
typedef enum {
  SD_SUPPORT_VIA_DESK,
  SD_SUPPORT_VIA_CHECKIN,  /* confirmed from a check-in at a shelter */
  SD_SUPPORT_VIA_CLI,
  SD_SUPPORT_VIA_IMPORT,
  SD_N_SUPPORT_VIA
} SdSupportVia;

const char *sd_support_via_to_string   (SdSupportVia  via);
gboolean    sd_support_via_from_string (const char   *text,
                                        SdSupportVia *out);

typedef struct _SdSupportPersonSpec {
  const char *external_id;   /* the welfare system's own id, may be NULL */
  const char *name;          /* required */
  const char *kana;
  SdSex       sex;
  const char *birth_date;    /* ISO 8601 */
  const char *address;
  const char *phone;
  const char *reason;        /* why support is needed: care level, disability, 日中独居 ... */
  gboolean    consent_share; /* 平常時の提供同意 */
  const char *care_level;    /* 要介護度 as the welfare system writes it: 要介護3 */
  const char *disability;    /* 障害: 身体障害者手帳2級 */
} SdSupportPersonSpec;

char *sd_store_add_support_person (SdStore                   *store,
                                   const SdSupportPersonSpec *spec,
                                   GError                   **error);

/* The person's list fields, all of them as SPEC gives them (a NULL field
 * is emptied).  The district follows the address. */
gboolean sd_store_update_support_person (SdStore                   *store,
                                         const char                *id,
                                         const SdSupportPersonSpec *spec,
                                         GError                   **error);

/* Marks the person as no longer on the welfare system's list (LISTED
 * FALSE: they keep their plan, contacts and reports as history, and
 * leave the counts), or as listed again. */
gboolean sd_store_set_support_listed (SdStore     *store,
                                      const char  *id,
                                      gboolean     listed,
                                      GError     **error);

/* The individual evacuation plan.  ASSIST is a list of the words of
 * sd_support_assist_*: wheelchair, stretcher, sign_language ... */
typedef struct {
  const char        *shelter_code;  /* destination shelter, by code; NULL for none */
  const char        *route;         /* 避難経路 */
  const char        *bring;         /* what to bring: medication, equipment */
  const char *const *assist;        /* how to assist, NULL-terminated; NULL for none */
  const char        *note;
} SdSupportPlanSpec;

/* The ways of assisting the plan can name, as codes and labels. */
const char *const *sd_support_assist_codes (void);
const char        *sd_support_assist_label (const char *code);

gboolean sd_store_set_support_plan (SdStore                 *store,
                                    const char              *id,
                                    const SdSupportPlanSpec *plan,
                                    GError                 **error);

typedef enum {
  SD_SUPPORT_CONTACT_EMERGENCY,  /* 緊急連絡先 */
  SD_SUPPORT_CONTACT_SUPPORTER,  /* 避難支援等実施者 */
} SdSupportContactKind;

typedef struct {
  SdSupportContactKind  kind;
  const char           *name;         /* required */
  const char           *kana;
  const char           *relation;     /* 続柄 (長女), or a supporter's role (民生委員, 自主防災組織) */
  const char           *phone;
  const char           *postal_code;
  const char           *address;
} SdSupportContactSpec;

/* Adds a contact after the person's others of its kind; its id. */
char    *sd_store_add_support_contact    (SdStore                    *store,
                                          const char                 *person_id,
                                          const SdSupportContactSpec *spec,
                                          GError                    **error);
gboolean sd_store_update_support_contact (SdStore                    *store,
                                          const char                 *contact_id,
                                          const SdSupportContactSpec *spec,
                                          GError                    **error);
gboolean sd_store_remove_support_contact (SdStore                    *store,
                                          const char                 *contact_id,
                                          GError                    **error);

/* Records a status report by STAFF_ID (may be NULL); SHELTER_CODE is
 * required for SD_SUPPORT_EVACUATED and refused for any other status.
 * The same status reported again within a minute (a double press) is
 * the same report: its id comes back and nothing is written. */
char    *sd_store_report_support_status  (SdStore          *store,
                                          const char       *person_id,
                                          SdSupportStatus   status,
                                          const char       *shelter_code,
                                          const char       *note,
                                          const char       *staff_id,
                                          SdSupportVia      via,
                                          GError          **error);

/* The id of the person KEY names: their id, or the welfare system's
 * number.  NULL with SD_STORE_ERROR_NOT_FOUND for nobody. */
char    *sd_store_find_support_person    (SdStore     *store,
                                          const char  *key,
                                          GError     **error);

/* Which people a list shows.  Unset fields do not filter. */
typedef struct {
  gboolean           by_status;   /* TRUE: only STATUS */
  SdSupportStatus    status;
  const char        *district;    /* exact 町丁目 */
  const char        *reason;      /* a word the reason, care level or disability contains */
  const char        *supporter;   /* a word a supporter's name or role contains */
  gboolean           with_left;   /* also people no longer listed */
} SdSupportFilter;

/* The people of FILTER as a JSON array of objects (id, external_id,
 * name, kana, sex, birth_date, address, district, phone, reason,
 * care_level, disability, consent_share, listed, status, shelter_code,
 * shelter_name, reported_at, supporters: "name (role)"…, contact), by
 * district then kana. */
char    *sd_support_list_json            (SdStore                *store,
                                          const SdSupportFilter  *filter,
                                          GError                **error);

/* One person, whole: the list's fields, the plan, contacts and
 * supporters, and every status report, newest first. */
char    *sd_support_person_json          (SdStore     *store,
                                          const char  *id,
                                          GError     **error);

/* How many listed people have each status now (COUNTS has
 * SD_N_SUPPORT_STATUSES entries); the total is their sum. */
gboolean sd_support_count_statuses       (SdStore     *store,
                                          guint       *counts,
                                          GError     **error);

/* The districts of listed people, each with how many are still
 * unconfirmed, as a JSON array of {district, listed, unconfirmed}. */
char    *sd_support_districts_json       (SdStore     *store,
                                          GError     **error);

/* Listed people who look like an evacuee now at a shelter (the same name
 * and date of birth, or the same kana, date of birth and address) and
 * whose newest report does not say so already: proposals for a person
 * to confirm, never applied by themselves.  A JSON array of
 * {support_person_id, name, kana, district, person_id, evacuee_name,
 * shelter_code, shelter_name, at, by: "name" or "kana_address"}. */
char    *sd_support_checkin_matches_json (SdStore     *store,
                                          GError     **error);
/* The evacuee PERSON_ID is not the listed SUPPORT_PERSON_ID: not
 * proposed again on this desk. */
gboolean sd_store_support_not_same       (SdStore     *store,
                                          const char  *support_person_id,
                                          const char  *person_id,
                                          GError     **error);

G_END_DECLS
