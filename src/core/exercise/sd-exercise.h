/* sd-exercise.h: tabletop exercises: an exercise database made from a deployment, and the engine that plays a scenario on it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * docs/exercises.md.  An exercise database is marked as one for good
 * (sd_store_mark_exercise ()): it holds a copy of a deployment's
 * shelters, roster and support list, and never an evacuee of a real day.
 *
 * The engine plays a scenario's machine actions through the core API,
 * as desks would, with every record stamped in exercise time (T+0 is
 * START_AT).  Everything it makes up is fictional and comes from SEED:
 * the same exercise file, scenario and seed give the same database.
 */
#pragma once

#include <gio/gio.h>

#include "sd-scenario.h"
#include "sd-store.h"

G_BEGIN_DECLS

/* Makes OUT_PATH (which must not exist) an exercise of the deployment at
 * FROM_PATH: its shelters (closed), staff roster with PINs, support list
 * with plans and contacts, and map; no evacuee, no event, no status
 * report, no QR card key (cards printed in an exercise never work in
 * the live desk).  OUT_PATH becomes the HQ of a deployment of its own,
 * so exercise kiosks can be enrolled from it. */
gboolean sd_exercise_new (const char  *from_path,
                          const char  *out_path,
                          GError     **error);

typedef struct _SdExerciseEngine SdExerciseEngine;

/* What a run did, for the facilitator and the tests. */
typedef struct {
  guint households;       /* registered by arrivals */
  guint persons;          /* new persons registered */
  guint returning;        /* arrivals who were registered before (duplicates, checked in as the same person) */
  guint card_intakes;     /* arrivals whose facts came as a My Number card gives them */
  guint card_reads;       /* of those, read through the desk's card reader */
  guint card_by_hand;     /* of those, typed by hand: the scenario had failed the reader */
  guint events;           /* check-outs, goings-out, returns and supply pickups recorded */
  guint safety_answers;
  guint answers_on_paper; /* answers a kiosk took before HQ's roll-call reached it, entered when it did */
  guint support_reports;
  guint conditions;
  guint faults;
  guint skipped;          /* units with nobody left to act on (nobody out to return, …) */
  guint injects;          /* delivered */
} SdExerciseTotals;

/* Checks SCENARIO against STORE (an exercise) and writes its injects
 * there.  START_AT: T+0 as Unix ms (0: now).  When STORE started this
 * very scenario before and it has not ended, the engine goes on where
 * it was (SEED and START_AT are then the first run's); another scenario,
 * or an ended one, is refused. */
SdExerciseEngine *sd_exercise_engine_new   (SdStore           *store,
                                            SdScenario        *scenario,
                                            guint64            seed,
                                            gint64             start_at,
                                            GError           **error);
void              sd_exercise_engine_free  (SdExerciseEngine  *engine);

/* A drill: the scenario split among desks.  GROUPS holds one string per
 * kiosk, its shelters' codes separated by commas ("S01,S04"); PART is
 * what this engine plays: a kiosk's index in GROUPS (the units at its
 * shelters), SD_EXERCISE_PART_HQ (the rest: roll-calls, answers, the
 * support list, faults, and the shelters of no kiosk) or
 * SD_EXERCISE_PART_ALL (everything, on one database: the scenario's
 * reference day).  Every part delivers every inject.  A unit at a kiosk's
 * shelter picks among the records of that kiosk's shelters only, so the
 * parts played on their own desks make the records the whole makes on
 * one.  Before the first run. */
#define SD_EXERCISE_PART_ALL (-1)
#define SD_EXERCISE_PART_HQ  (-2)
gboolean          sd_exercise_engine_set_part  (SdExerciseEngine  *engine,
                                                const char *const *groups,
                                                int                part,
                                                GError           **error);
/* This desk's clock runs AHEAD_MS ahead of exercise time (a kiosk whose
 * clock was set wrong): its records are stamped so. */
void              sd_exercise_engine_set_clock_ahead (SdExerciseEngine *engine,
                                                      gint64            ahead_ms);

/* Goings-out, returns, check-outs and supply pickups are recorded as a
 * desk's scan of the person's QR evacuee card (sd_store_scan), as a
 * volunteer with a scanner records them, instead of straight as events. */
void              sd_exercise_engine_set_scans (SdExerciseEngine *engine,
                                                gboolean          scans);

/* Reads the My Number card of PERSON, a card holder at this desk: puts
 * a card with PERSON's four facts (name, address, birth date, sex) on a
 * reader and reads them back as the intake desk does.  On success the
 * facts read replace PERSON's (strings the reader keeps until its next
 * call); a failed read fails the unit with its error. */
typedef gboolean (*SdExerciseCardReadFunc) (SdPersonSpec  *person,
                                            gpointer       user_data,
                                            GError       **error);

/* Card holders' facts go through READ (NULL: they are recorded as a card
 * gives them, with no reader), except at a shelter whose reader the
 * scenario has failed ("reader fails"): there they are typed by hand. */
void              sd_exercise_engine_set_card_reader (SdExerciseEngine       *engine,
                                                      SdExerciseCardReadFunc  read,
                                                      gpointer                user_data);

/* Plays everything due up to UNTIL_MS of exercise time, in time order,
 * in one transaction when BATCH (as fast as possible), else each
 * record in its own (desks watch it fill). */
gboolean          sd_exercise_engine_run_until (SdExerciseEngine *engine,
                                                gint64            until_ms,
                                                gboolean          batch,
                                                GError          **error);
/* Everything, as fast as possible; the run is then ended. */
gboolean          sd_exercise_engine_run_all   (SdExerciseEngine *engine,
                                                GError          **error);
/* With desks open: plays what the shared clock (sd-exercise-live.h) has
 * reached, honouring pause, speed, and injects the facilitator re-timed,
 * delivered now or skipped.  Call it a few times a second. */
gboolean          sd_exercise_engine_tick      (SdExerciseEngine *engine,
                                                GError          **error);
/* Exercise time reached, ms after T+0. */
gint64            sd_exercise_engine_get_clock (SdExerciseEngine *engine);
gint64            sd_exercise_engine_get_end   (SdExerciseEngine *engine);
/* The seed it plays with: the first run's, when it resumed one. */
guint64           sd_exercise_engine_get_seed  (SdExerciseEngine *engine);
gboolean          sd_exercise_engine_is_done   (SdExerciseEngine *engine);
const SdExerciseTotals *sd_exercise_engine_get_totals (SdExerciseEngine *engine);
/* Answers this kiosk holds on paper until HQ's roll-call reaches it
 * (entered by the next run once it has). */
guint             sd_exercise_engine_get_n_waiting (SdExerciseEngine *engine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdExerciseEngine, sd_exercise_engine_free)

G_END_DECLS
