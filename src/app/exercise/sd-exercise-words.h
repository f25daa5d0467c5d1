/* sd-exercise-words.h: how an exercise's times and states read on the facilitator's console and the players' desks.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "T+01:02:03": exercise time to the second, as the console's clock shows it. */
char       *sd_exercise_format_clock    (gint64      ms);
/* An inject's state (sd_exercise_inject_get_state ()) in words; DONE_BY
 * says who finished a done one. */
const char *sd_exercise_state_label     (const char *state,
                                         const char *done_by);

G_END_DECLS
