/* sd-exercise-page.h: the facilitator's console of a tabletop exercise: scenario, clock, injects, observations.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-exercise-scrubber.h"
#include "sd-exercise-runner.h"

G_BEGIN_DECLS

#define SD_TYPE_EXERCISE_PAGE (sd_exercise_page_get_type ())
G_DECLARE_FINAL_TYPE (SdExercisePage, sd_exercise_page, SD, EXERCISE_PAGE, GtkWidget)

void              sd_exercise_page_set_store   (SdExercisePage *self,
                                                SdStore        *store);
void              sd_exercise_page_focus       (SdExercisePage *self);
/* What Load scenario does with the file chosen: loads FILE with the
 * seed and T+0 on the page, in the engine's worker. */
void              sd_exercise_page_load        (SdExercisePage *self,
                                                GFile          *file);
SdExerciseRunner *sd_exercise_page_get_runner  (SdExercisePage *self);
/* The injects as listed (SdExerciseRow), by due time. */
GListModel       *sd_exercise_page_get_injects (SdExercisePage *self);
/* Selects inject SERIAL, as a touch on its line does; FALSE if none. */
gboolean          sd_exercise_page_select      (SdExercisePage *self,
                                                const char     *serial);
/* The clock as shown ("T+00:05:12"), and the message under the
 * controls (an error, or why nothing is delivered), or NULL. */
/* The time scrubber, on the console's second view ("The desks over time"). */
SdExerciseScrubber *sd_exercise_page_get_scrubber (SdExercisePage *self);
const char       *sd_exercise_page_get_clock_text (SdExercisePage *self);
const char       *sd_exercise_page_get_message    (SdExercisePage *self);
/* Reads the file again now (the page does so four times a second while
 * it is on screen). */
void              sd_exercise_page_refresh     (SdExercisePage *self);

G_END_DECLS
