/* sd-exercise-scrubber.h: what every desk showed at any moment of the exercise's day, on a time slider.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The facilitator drags through the day (or steps it by a quarter of an
 * hour, or by the keyboard) and reads, as of that moment, the evacuees
 * staying and where, their needs, the newest roll-call's answers and the
 * support list's unconfirmed people: sd-exercise-snapshot.h, computed in
 * a worker thread on a read-only connection of its own, from the
 * history, never by playing the day again.
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_EXERCISE_SCRUBBER (sd_exercise_scrubber_get_type ())
G_DECLARE_FINAL_TYPE (SdExerciseScrubber, sd_exercise_scrubber, SD, EXERCISE_SCRUBBER, GtkWidget)

GtkWidget *sd_exercise_scrubber_new       (void);
/* Reads T+0 and how far the exercise has come from STORE's file; the
 * slider spans that.  NULL: nothing. */
void       sd_exercise_scrubber_set_store (SdExerciseScrubber *self,
                                           SdStore            *store);
/* Shows the moment MS after T+0 (clamped to the day so far). */
void       sd_exercise_scrubber_set_time  (SdExerciseScrubber *self,
                                           gint64              ms);
gint64     sd_exercise_scrubber_get_time  (SdExerciseScrubber *self);
/* The figures shown, as text ("staying 412 …"), for tests and the
 * accessible description; NULL until the first is computed. */
const char *sd_exercise_scrubber_get_summary (SdExerciseScrubber *self);

G_END_DECLS
