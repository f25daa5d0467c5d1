/* sd-exercise-live.h: a running exercise as every desk on its file sees it: the shared clock, the injects and their timers, observations.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The facilitator's console and the players' desks open the same
 * exercise database.  The exercise clock lives in it (exercise_run):
 * exercise time CLOCK_MS at wall time WALL_AT, running SPEED times the
 * wall clock, or paused; so every desk computes the same "now".  An
 * inject goes pending → delivered (the engine, at its time) →
 * acknowledged (a player saw it) → done (a player or the facilitator),
 * or skipped; each step is stamped in exercise time, and the review
 * reads the timers from those stamps.
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_EXERCISE_READY,
  SD_EXERCISE_RUNNING,
  SD_EXERCISE_PAUSED,
  SD_EXERCISE_ENDED,
} SdExerciseState;

typedef struct {
  SdExerciseState state;
  gint64          clock_ms;   /* exercise time at WALL_AT */
  gint64          wall_at;    /* Unix ms */
  gint            speed;      /* exercise seconds a wall second; 0: as fast as possible */
  gint64          start_at;   /* T+0, Unix ms in the exercise's world */
  guint64         seed;
  char           *scenario_name;
  char           *scenario_sha256;
} SdExerciseClock;

/* FALSE with SD_STORE_ERROR_NOT_FOUND when no scenario was started here. */
gboolean    sd_exercise_get_clock    (SdStore          *store,
                                      SdExerciseClock  *out,
                                      GError          **error);
void        sd_exercise_clock_clear  (SdExerciseClock  *clock);
/* Exercise time (ms after T+0) at wall time WALL_MS. */
gint64      sd_exercise_clock_now    (const SdExerciseClock *clock,
                                      gint64            wall_ms);

/* From now on STORE stamps what it writes in the exercise's world: T+0
 * (start_at) plus exercise time now, read from the file a few times a
 * second; the wall clock while no scenario is loaded.  Every desk that
 * opens an exercise does this, so a volunteer's check-in during the
 * exercise is stamped at its exercise time, like the engine's. */
void        sd_exercise_follow_clock (SdStore          *store);

/* The facilitator: SPEED 0 is as fast as possible; pause and resume keep
 * exercise time where it is. */
gboolean    sd_exercise_set_speed    (SdStore          *store,
                                      gint              speed,
                                      GError          **error);
gboolean    sd_exercise_pause        (SdStore          *store,
                                      GError          **error);
gboolean    sd_exercise_resume       (SdStore          *store,
                                      GError          **error);

#define SD_TYPE_EXERCISE_INJECT (sd_exercise_inject_get_type ())
G_DECLARE_FINAL_TYPE (SdExerciseInject, sd_exercise_inject, SD, EXERCISE_INJECT, GObject)

const char *sd_exercise_inject_get_serial      (SdExerciseInject *self);
gint64      sd_exercise_inject_get_due         (SdExerciseInject *self);
gint64      sd_exercise_inject_get_planned     (SdExerciseInject *self);
const char *sd_exercise_inject_get_state       (SdExerciseInject *self);  /* "pending", "delivered", … */
const char *sd_exercise_inject_get_type_text   (SdExerciseInject *self);
const char *sd_exercise_inject_get_method      (SdExerciseInject *self);
const char *sd_exercise_inject_get_sender      (SdExerciseInject *self);
const char *sd_exercise_inject_get_recipient   (SdExerciseInject *self);
const char *sd_exercise_inject_get_description (SdExerciseInject *self);
const char *sd_exercise_inject_get_expected    (SdExerciseInject *self);
const char *sd_exercise_inject_get_action      (SdExerciseInject *self);
/* -1 until it happened. */
gint64      sd_exercise_inject_get_delivered   (SdExerciseInject *self);
gint64      sd_exercise_inject_get_acknowledged (SdExerciseInject *self);
gint64      sd_exercise_inject_get_done        (SdExerciseInject *self);
const char *sd_exercise_inject_get_done_by     (SdExerciseInject *self);
/* Whether it is for the players of SHELTER_CODE (NULL: HQ): its
 * recipient names the shelter, or everyone (全員, all, 全避難所 for a
 * shelter, 本部/HQ for HQ). */
gboolean    sd_exercise_inject_is_for          (SdExerciseInject *self,
                                                const char       *shelter_code);

/* Every inject, by due time. */
GListModel *sd_exercise_list_injects (SdStore          *store,
                                      GError          **error);
/* Delivered injects for SHELTER_CODE's players (NULL: HQ) not yet done. */
GListModel *sd_exercise_list_open_injects (SdStore     *store,
                                           const char  *shelter_code,
                                           GError     **error);

/* At exercise time now.  Refused (SD_STORE_ERROR_INVALID, saying why)
 * when the inject is not in a state to take it. */
gboolean    sd_exercise_acknowledge  (SdStore          *store,
                                      const char       *serial,
                                      GError          **error);
/* BY: "player" or "facilitator". */
gboolean    sd_exercise_mark_done    (SdStore          *store,
                                      const char       *serial,
                                      const char       *by,
                                      GError          **error);
gboolean    sd_exercise_skip         (SdStore          *store,
                                      const char       *serial,
                                      GError          **error);
/* A pending inject: delivered at the next tick of the engine. */
gboolean    sd_exercise_deliver_now  (SdStore          *store,
                                      const char       *serial,
                                      GError          **error);
gboolean    sd_exercise_retime       (SdStore          *store,
                                      const char       *serial,
                                      gint64            due_ms,
                                      GError          **error);
/* An observation at exercise time now, tied to SERIAL (may be NULL). */
gboolean    sd_exercise_add_observation (SdStore       *store,
                                         const char    *serial,
                                         const char    *text,
                                         GError       **error);

/* An inject's state ("pending", "delivered", "acknowledged", "done",
 * "skipped") in words, translated. */
const char *sd_exercise_inject_state_label (const char *state);

/* Whether the scenario has KIND ("network" or "reader") failing now, at
 * SHELTER_CODE or everywhere (a network outage, a card reader that does
 * not answer): the desk then behaves as it would.  FALSE on a database
 * that is not an exercise, or when nothing fails. */
gboolean    sd_exercise_fault_now    (SdStore          *store,
                                      const char       *kind,
                                      const char       *shelter_code);
/* Whether the scenario has the network down now for the site of the
 * deployment enrolled as SITE_NAME: an outage everywhere, or at a
 * shelter whose code SITE_NAME names as a word of its own (a kiosk
 * enrolled as "S02 受付" is at S02).  *UNTIL_MS: the exercise time it
 * returns at, or -1 when the scenario gives no end.  FALSE on a
 * database that is not an exercise. */
gboolean    sd_exercise_network_down_for (SdStore      *store,
                                          const char   *site_name,
                                          gint64       *until_ms);
#define SD_TYPE_EXERCISE_OBSERVATION (sd_exercise_observation_get_type ())
G_DECLARE_FINAL_TYPE (SdExerciseObservation, sd_exercise_observation, SD, EXERCISE_OBSERVATION, GObject)

/* Exercise time it was written at. */
gint64      sd_exercise_observation_get_at     (SdExerciseObservation *self);
/* The inject it is about, or NULL. */
const char *sd_exercise_observation_get_serial (SdExerciseObservation *self);
const char *sd_exercise_observation_get_text   (SdExerciseObservation *self);

/* Every observation, in the order they were written. */
GListModel *sd_exercise_list_observations (SdStore     *store,
                                           GError     **error);

G_END_DECLS
