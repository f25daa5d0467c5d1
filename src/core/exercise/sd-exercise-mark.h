/* sd-exercise-mark.h: what says a screen, a page or a file belongs to an exercise.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An exercise database (sd_store_get_is_exercise) must never be taken
 * for a live one, on screen, on paper or in a spreadsheet.  Every mark
 * starts with the same words in every language, Japanese first:
 * SD_EXERCISE_WORD.  docs/exercises.md, "What says it is an exercise",
 * lists where the marks are.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Never translated: a Japanese and an English reader both know it. */
#define SD_EXERCISE_WORD "訓練 EXERCISE"

/* Points: the band across the top of an exercise's printed page. */
#define SD_EXERCISE_BAND_HEIGHT 22.0

/* "訓練 EXERCISE — not real data", the rest in the desk's language. */
char *sd_exercise_mark_text      (void);

/* A magenta band at X, Y, WIDTH × HEIGHT points with TEXT in bold white,
 * SIZE points high, on one line. */
void  sd_exercise_mark_draw_band (cairo_t    *cr,
                                  double      x,
                                  double      y,
                                  double      width,
                                  double      height,
                                  const char *text,
                                  double      size);

/* The whole mark of a printed page WIDTH × HEIGHT points: the band
 * across the top (SD_EXERCISE_BAND_HEIGHT high) and the words across the
 * page's diagonal, pale enough to read through.  Drawn first, before
 * the page's own content, which stays on top of it. */
void  sd_exercise_mark_draw_page (cairo_t    *cr,
                                  double      width,
                                  double      height);

G_END_DECLS
