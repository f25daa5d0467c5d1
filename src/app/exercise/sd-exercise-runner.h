/* sd-exercise-runner.h: the exercise engine, run in a worker thread on a store of its own while the console is open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_EXERCISE_RUNNER_IDLE,     /* no engine: nothing loaded, or stopped */
  SD_EXERCISE_RUNNER_LOADING,  /* reading the scenario and writing its injects */
  SD_EXERCISE_RUNNER_TICKING,  /* the engine plays what the shared clock reaches */
  SD_EXERCISE_RUNNER_FINISHED, /* everything played: the exercise has ended */
  SD_EXERCISE_RUNNER_FAILED,   /* stopped by an error (sd_exercise_runner_get_error ()) */
} SdExerciseRunnerState;

GType sd_exercise_runner_state_get_type (void);
#define SD_TYPE_EXERCISE_RUNNER_STATE (sd_exercise_runner_state_get_type ())

#define SD_TYPE_EXERCISE_RUNNER (sd_exercise_runner_get_type ())
G_DECLARE_FINAL_TYPE (SdExerciseRunner, sd_exercise_runner, SD, EXERCISE_RUNNER, GObject)

/* STORE: the desk's, on the thread that calls this; the worker opens the
 * same file itself, and STORE hears of what it wrote (SdStore::changed). */
SdExerciseRunner      *sd_exercise_runner_new       (SdStore           *store);
/* Stops any engine running, then loads SCENARIO_PATH in the worker,
 * writes its injects into the file (or resumes the run the file has)
 * and ticks about four times a second until stopped or ended. */
void                   sd_exercise_runner_start     (SdExerciseRunner  *self,
                                                     const char        *scenario_path,
                                                     guint64            seed,
                                                     gint64             start_at);
/* Waits for the tick under way (each unit is its own transaction, so
 * none is left half done) and ends the worker.  Safe to call twice. */
void                   sd_exercise_runner_stop      (SdExerciseRunner  *self);
SdExerciseRunnerState  sd_exercise_runner_get_state (SdExerciseRunner  *self);
/* Why it failed (a scenario's errors name the file and line), or NULL. */
const char            *sd_exercise_runner_get_error (SdExerciseRunner  *self);
/* The scenario file of the last start, or NULL. */
const char            *sd_exercise_runner_get_scenario_path (SdExerciseRunner *self);

G_END_DECLS
