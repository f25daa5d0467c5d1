/* sd-exercise-row.h: one inject as a line of the facilitator's console, its timers running while it is open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "sd-exercise-live.h"

G_BEGIN_DECLS

#define SD_TYPE_EXERCISE_ROW (sd_exercise_row_get_type ())
G_DECLARE_FINAL_TYPE (SdExerciseRow, sd_exercise_row, SD, EXERCISE_ROW, GObject)

SdExerciseRow    *sd_exercise_row_new        (SdExerciseInject *inject,
                                              gint64            now_ms);
/* INJECT as the file has it now, at exercise time NOW_MS: only the texts
 * that changed are notified, so the list redraws those cells alone. */
void              sd_exercise_row_update     (SdExerciseRow    *self,
                                              SdExerciseInject *inject,
                                              gint64            now_ms);
SdExerciseInject *sd_exercise_row_get_inject (SdExerciseRow    *self);
const char       *sd_exercise_row_get_serial (SdExerciseRow    *self);

G_END_DECLS
