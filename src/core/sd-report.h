/* sd-report.h: the shelter status report (避難所状況報告) to HQ: counts, needs, lifelines.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counts are computed from events and registrations when the report is
 * made; only what a person must judge (the state of electricity, water,
 * gas, communications and toilets, and the supply requests) is entered by
 * the shelter lead, as a "condition" record that is kept, never overwritten.
 */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "sd-person.h"

G_BEGIN_DECLS

typedef enum {
  SD_LIFELINE_ELECTRICITY,
  SD_LIFELINE_WATER,
  SD_LIFELINE_GAS,
  SD_LIFELINE_COMMUNICATIONS,
  SD_LIFELINE_TOILETS,
  SD_N_LIFELINES
} SdLifeline;

typedef enum {
  SD_LIFELINE_STATE_UNKNOWN,
  SD_LIFELINE_STATE_OK,       /* 使用可 */
  SD_LIFELINE_STATE_LIMITED,  /* 一部使用可 */
  SD_LIFELINE_STATE_OUT,      /* 使用不可 */
} SdLifelineState;

typedef enum {
  SD_AGE_0_5,      /* 乳幼児 */
  SD_AGE_6_14,
  SD_AGE_15_64,
  SD_AGE_65_74,
  SD_AGE_75_UP,
  SD_AGE_UNKNOWN,
  SD_N_AGE_BANDS
} SdAgeBand;

typedef enum {
  SD_NEED_ALLERGY,
  SD_NEED_ILLNESS,
  SD_NEED_PREGNANT,
  SD_NEED_INFANT,      /* under 1 year, from the birth date */
  SD_NEED_DISABILITY,
  SD_NEED_CARE,        /* any 要支援 or 要介護 level */
  SD_NEED_MOBILITY,
  SD_NEED_LANGUAGE,
  SD_N_NEEDS
} SdNeed;

typedef struct {
  const char      *shelter_id;
  SdLifelineState  lifelines[SD_N_LIFELINES];
  const char      *supply_requests;  /* free text, may be multi-line */
  const char      *note;
  const char      *staff_id;
} SdShelterConditionSpec;

typedef struct {
  char            *site_name;
  gboolean         is_exercise;      /* the CSV, the PDF and the page say so */
  char            *shelter_code;     /* NULL for the report of all shelters */
  char            *shelter_name;
  gint64           generated_at;     /* Unix ms */
  int              capacity;         /* sum over the shelters reported */
  guint            shelters;         /* how many shelters the report covers */

  guint            persons;          /* staying: in the shelter or out for now */
  guint            households;
  guint            by_sex_age[SD_SEX_NOT_APPLICABLE + 1][SD_N_AGE_BANDS];
  guint            needs[SD_N_NEEDS];
  guint            households_with_pets;
  SdStayCounts     stays;

  /* From the newest condition record; unknown when none was entered. */
  SdLifelineState  lifelines[SD_N_LIFELINES];
  char            *supply_requests;
  gint64           condition_at;     /* 0 when none */
} SdShelterStatus;

const char      *sd_lifeline_get_label        (SdLifeline       lifeline);
const char      *sd_lifeline_state_to_string  (SdLifelineState  state);
gboolean         sd_lifeline_state_from_string (const char      *text,
                                                SdLifelineState *out_state);
const char      *sd_lifeline_state_get_label  (SdLifelineState  state);
const char      *sd_age_band_get_label        (SdAgeBand        band);
const char      *sd_need_get_label            (SdNeed           need);

char            *sd_store_record_shelter_condition (SdStore                      *store,
                                                    const SdShelterConditionSpec *spec,
                                                    GError                      **error);

/* SHELTER_ID NULL: every shelter together. */
SdShelterStatus *sd_store_compute_shelter_status   (SdStore          *store,
                                                    const char       *shelter_id,
                                                    GError          **error);
void             sd_shelter_status_free            (SdShelterStatus  *status);

gboolean         sd_shelter_status_write_csv       (const SdShelterStatus *status,
                                                    GOutputStream         *stream,
                                                    GCancellable          *cancellable,
                                                    GError               **error);
gboolean         sd_shelter_status_write_pdf       (const SdShelterStatus *status,
                                                    const char            *path,
                                                    GError               **error);
/* Draws the report on one A4 page at WIDTH × HEIGHT points: the PDF and
 * the desk's printing (GtkPrintOperation) draw the same page. */
void             sd_shelter_status_draw_page       (const SdShelterStatus *status,
                                                    cairo_t               *cr,
                                                    double                 width,
                                                    double                 height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdShelterStatus, sd_shelter_status_free)

G_END_DECLS
