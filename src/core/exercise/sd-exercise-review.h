/* sd-exercise-review.h: the after-action review of an exercise: what happened on the desks over time, each inject's response times, the observations; PDF (A4) and CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-store.h"

G_BEGIN_DECLS

/* Every STEP_MS of exercise time from T+0 to where the exercise is now,
 * the desks' counts (sd-exercise-snapshot.h). */
typedef struct {
  gint64 t_ms;          /* after T+0 */
  guint  staying;
  guint  in_shelter;
  guint  out_now;
  guint  answered;
  guint  roster;
  guint  support_unconfirmed;
  guint  support_listed;
} SdExerciseSample;

GArray  *sd_exercise_review_series (SdStore     *store,
                                    gint64       step_ms,
                                    GError     **error);

/* The review as a PDF: the counts over time as charts with the injects
 * marked, each inject's times against its expected action, the
 * observations; every page says it is an exercise. */
gboolean sd_exercise_write_review_pdf (SdStore     *store,
                                       const char  *path,
                                       GError     **error);
/* One row an inject (serial, times, seconds to acknowledge and to done,
 * expected action), then one row an observation. */
gboolean sd_exercise_write_review_csv (SdStore     *store,
                                       const char  *path,
                                       GError     **error);
/* The series, one row a sample. */
gboolean sd_exercise_write_series_csv (SdStore     *store,
                                       const char  *path,
                                       gint64       step_ms,
                                       GError     **error);

G_END_DECLS
