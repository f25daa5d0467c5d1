/* sd-safety.h: staff safety confirmation (職員安否確認): roll-calls, answers, and their totals.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HQ opens a roll-call for an incident, real or a drill; each member of
 * staff answers it with Ome city's fields (../shared/design/domain.md):
 * whether they are hurt, where they are, whether and how they can report
 * for duty and how soon.  An answer is never changed: a later answer by
 * the same person to the same roll-call supersedes it, in the order of
 * (HLC, id) that every replica agrees on, and the earlier ones stay as
 * its history.  A drill's answers belong to the drill's roll-call and
 * never count towards a real one.  HQ closes a roll-call; it is never
 * deleted.
 */
#pragma once

#include "sd-staff.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_ROLLCALL_REAL,
  SD_ROLLCALL_DRILL,
} SdRollcallKind;

typedef enum {
  SD_SAFETY_UNHURT,   /* 無事 */
  SD_SAFETY_MINOR,    /* 軽症 */
  SD_SAFETY_SERIOUS,  /* 重症 */
  SD_N_SAFETY
} SdSafety;

typedef enum {
  SD_WHERE_HOME,      /* 自宅 */
  SD_WHERE_WORK,      /* 職場 */
  SD_WHERE_OTHER,     /* その他, with a note */
  SD_N_WHERE
} SdWhere;

/* 参集方法: how they would come; none when they cannot. */
typedef enum {
  SD_MEANS_NONE,
  SD_MEANS_WALK,
  SD_MEANS_BICYCLE,
  SD_MEANS_CAR,
  SD_MEANS_BUS,
  SD_MEANS_TRAIN,
  SD_MEANS_OTHER,
  SD_N_MEANS
} SdMeans;

/* 参集までの時間, the five bands of Ome's form; none when they cannot come. */
typedef enum {
  SD_ARRIVAL_NONE,
  SD_ARRIVAL_WITHIN_30M,
  SD_ARRIVAL_WITHIN_1H,
  SD_ARRIVAL_WITHIN_2H,
  SD_ARRIVAL_WITHIN_3H,
  SD_ARRIVAL_OVER_3H,
  SD_N_ARRIVAL
} SdArrival;

/* How an answer came in. */
typedef enum {
  SD_ANSWER_VIA_KIOSK,   /* the person at a kiosk, signed in */
  SD_ANSWER_VIA_WEB,     /* the person on the web form (serve) */
  SD_ANSWER_VIA_PHONE,   /* a lead or HQ for them, after a call: recorded_by says who */
  SD_ANSWER_VIA_IMPORT,  /* a CSV from a safety service */
  SD_N_ANSWER_VIA
} SdAnswerVia;

/* The stable codes stored and carried in batches ("unhurt", "within_1h",
 * …), and back; FALSE for a code that is not one. */
const char *sd_safety_to_string       (SdSafety        safety);
gboolean    sd_safety_from_string     (const char     *text,
                                       SdSafety       *out);
const char *sd_where_to_string        (SdWhere         where);
gboolean    sd_where_from_string      (const char     *text,
                                       SdWhere        *out);
const char *sd_means_to_string        (SdMeans         means);
gboolean    sd_means_from_string      (const char     *text,
                                       SdMeans        *out);
const char *sd_arrival_to_string      (SdArrival       arrival);
gboolean    sd_arrival_from_string    (const char     *text,
                                       SdArrival      *out);
const char *sd_answer_via_to_string   (SdAnswerVia     via);
gboolean    sd_answer_via_from_string (const char     *text,
                                       SdAnswerVia    *out);
const char *sd_rollcall_kind_to_string (SdRollcallKind kind);

/* What a person reads (translated): 無事, 30分以内, … */
const char *sd_safety_label           (SdSafety        safety);
const char *sd_where_label            (SdWhere         where);
const char *sd_means_label            (SdMeans         means);
const char *sd_arrival_label          (SdArrival       arrival);
const char *sd_answer_via_label       (SdAnswerVia     via);
/* The same untranslated (the msgids), for text in another language than
 * the process's: the web form answers each phone in its own.  "" for
 * none. */
const char *sd_safety_msgid           (SdSafety        safety);
const char *sd_where_msgid            (SdWhere         where);
const char *sd_means_msgid            (SdMeans         means);
const char *sd_arrival_msgid          (SdArrival       arrival);

/* ---- roll-calls ---- */

#define SD_TYPE_ROLLCALL (sd_rollcall_get_type ())
G_DECLARE_FINAL_TYPE (SdRollcall, sd_rollcall, SD, ROLLCALL, GObject)

const char     *sd_rollcall_get_id         (SdRollcall *self);
const char     *sd_rollcall_get_title      (SdRollcall *self);
SdRollcallKind  sd_rollcall_get_kind       (SdRollcall *self);
gboolean        sd_rollcall_get_is_drill   (SdRollcall *self);
gint64          sd_rollcall_get_started_at (SdRollcall *self);
/* 0 while it is open. */
gint64          sd_rollcall_get_closed_at  (SdRollcall *self);
gboolean        sd_rollcall_get_is_open    (SdRollcall *self);

/* STARTED_AT: when the incident's roll-call began, in ms since the
 * epoch (0: now).  BY_STAFF_ID: who opened or closed it (HQ), or NULL
 * for a command run at HQ's own computer. */
SdRollcall *sd_store_open_rollcall    (SdStore         *store,
                                       const char      *title,
                                       SdRollcallKind   kind,
                                       gint64           started_at,
                                       const char      *by_staff_id,
                                       GError         **error);
gboolean    sd_store_close_rollcall   (SdStore         *store,
                                       const char      *rollcall_id,
                                       const char      *by_staff_id,
                                       GError         **error);
SdRollcall *sd_store_find_rollcall    (SdStore         *store,
                                       const char      *rollcall_id,
                                       GError         **error);
/* The newest open roll-call: what the desk opens on.  NULL with ERROR
 * unset when none is open. */
SdRollcall *sd_store_current_rollcall (SdStore         *store,
                                       GError         **error);
/* Every roll-call, newest first. */
GListModel *sd_store_list_rollcalls   (SdStore         *store,
                                       GError         **error);

/* ---- answers ---- */

typedef struct {
  const char  *staff_no;      /* who answers: must be on the roster */
  SdSafety     safety;
  SdWhere      where;
  const char  *where_note;    /* required for SD_WHERE_OTHER */
  gboolean     can_report;
  SdMeans      means;         /* required when they can report, none otherwise */
  SdArrival    arrival;       /* required when they can report, none otherwise */
  const char  *message;
  SdAnswerVia  via;
  const char  *recorded_by;   /* staff id of who recorded it for them: required for a call */
  gint64       answered_at;   /* ms since the epoch; 0: now (an import gives the service's time) */
} SdSafetyAnswerSpec;

/* Stores one answer in its own transaction and returns its id.  An
 * answer the same as the person's newest one, given within a minute of
 * it (a double press, a form sent twice), is that answer: its id comes
 * back and nothing new is stored. */
char       *sd_store_record_safety_answer (SdStore                  *store,
                                           const char               *rollcall_id,
                                           const SdSafetyAnswerSpec *spec,
                                           GError                  **error);

#define SD_TYPE_SAFETY_ANSWER (sd_safety_answer_get_type ())
G_DECLARE_FINAL_TYPE (SdSafetyAnswer, sd_safety_answer, SD, SAFETY_ANSWER, GObject)

const char  *sd_safety_answer_get_id               (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_staff_id         (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_staff_no         (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_name             (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_kana             (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_department       (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_section          (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_rank             (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_phone            (SdSafetyAnswer *self);
SdSafety     sd_safety_answer_get_safety           (SdSafetyAnswer *self);
SdWhere      sd_safety_answer_get_where            (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_where_note       (SdSafetyAnswer *self);
gboolean     sd_safety_answer_get_can_report       (SdSafetyAnswer *self);
SdMeans      sd_safety_answer_get_means            (SdSafetyAnswer *self);
SdArrival    sd_safety_answer_get_arrival          (SdSafetyAnswer *self);
const char  *sd_safety_answer_get_message          (SdSafetyAnswer *self);
gint64       sd_safety_answer_get_answered_at      (SdSafetyAnswer *self);
SdAnswerVia  sd_safety_answer_get_via              (SdSafetyAnswer *self);
/* The name of who recorded it for the person (a call), or NULL. */
const char  *sd_safety_answer_get_recorded_by_name (SdSafetyAnswer *self);
/* How many answers the person has given to this roll-call in all. */
guint        sd_safety_answer_get_n_answers        (SdSafetyAnswer *self);

/* Each person's newest answer to the roll-call, by department, section
 * and staff number. */
GListModel *sd_store_list_safety_answers (SdStore     *store,
                                          const char  *rollcall_id,
                                          GError     **error);
/* One person's answers to the roll-call, newest first. */
GListModel *sd_store_list_safety_history (SdStore     *store,
                                          const char  *rollcall_id,
                                          const char  *staff_no,
                                          GError     **error);
/* The roster (active staff) minus those who have answered, as SdStaff,
 * by department, section and staff number: the call sheets. */
GListModel *sd_store_list_safety_missing (SdStore     *store,
                                          const char  *rollcall_id,
                                          GError     **error);

/* ---- totals ---- */

typedef struct {
  guint roster;                    /* active staff */
  guint answered;
  guint by_safety[SD_N_SAFETY];
  guint can_report;
  guint cannot_report;
  /* by_arrival[b]: can report and said band b; within() sums them. */
  guint by_arrival[SD_N_ARRIVAL];
} SdSafetyTotals;

/* How many can be at their post within band B (30 min, 1 h, 2 h, 3 h,
 * or at all for SD_ARRIVAL_OVER_3H): the cumulative line. */
guint sd_safety_totals_within (const SdSafetyTotals *totals,
                               SdArrival             band);

/* The counts of one roll-call, read in one pass (the dashboard's
 * recount), that the totals of everyone, a department or a section are
 * then taken from without reading again. */
typedef struct _SdSafetyCount SdSafetyCount;

SdSafetyCount *sd_store_count_safety          (SdStore        *store,
                                               const char     *rollcall_id,
                                               GError        **error);
void           sd_safety_count_free           (SdSafetyCount  *count);
/* DEPARTMENT and SECTION NULL for everyone. */
void           sd_safety_count_totals         (SdSafetyCount  *count,
                                               const char     *department,
                                               const char     *section,
                                               SdSafetyTotals *out);
/* The departments of the roster, in order; NULL-terminated, owned by COUNT. */
const char *const *sd_safety_count_departments (SdSafetyCount *count);
/* The sections of DEPARTMENT, in order; NULL-terminated, owned by COUNT. */
const char *const *sd_safety_count_sections    (SdSafetyCount *count,
                                                const char    *department);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSafetyCount, sd_safety_count_free)

G_END_DECLS
