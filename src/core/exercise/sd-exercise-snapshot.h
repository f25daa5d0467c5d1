/* sd-exercise-snapshot.h: what every desk showed at any moment of a recorded day, from the records' own times: the console's scrubber and the review's charts.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Nothing is re-run: each figure is read from the history the database
 * keeps, which the op-log proves whole (check --deep): where each person
 * was after their newest event at or before AT (person_events.at), each
 * staff member's newest answer to the roll-call open at AT, each listed
 * person's newest status report.  People's needs are read from their
 * records as they are now (an exercise does not edit them; a real day's
 * corrections would show from the start).
 */
#pragma once

#include <glib.h>

#include "sd-report.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef struct {
  char  *code;
  guint  in_shelter;
  guint  out_now;
} SdExerciseShelterSnapshot;

typedef struct {
  gint64  at;                 /* Unix ms, the moment asked for */
  guint   staying;            /* in a shelter or out for now */
  guint   in_shelter;
  guint   out_now;
  guint   households;         /* with someone staying */
  guint   needs[SD_N_NEEDS];  /* among those staying; infants under 1 on AT's day */
  GArray *shelters;           /* SdExerciseShelterSnapshot, by code: every shelter with someone staying */

  /* The newest roll-call started at or before AT (none: all 0). */
  guint   roster;
  guint   answered;
  guint   unhurt;
  guint   injured;            /* minor or serious */
  guint   can_report;

  guint   support_listed;
  guint   support_unconfirmed;
} SdExerciseSnapshot;

/* The desks as of AT (Unix ms, in the day's own time). */
SdExerciseSnapshot *sd_exercise_snapshot_at (SdStore          *store,
                                         gint64            at,
                                         GError          **error);
void             sd_exercise_snapshot_free (SdExerciseSnapshot *snapshot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdExerciseSnapshot, sd_exercise_snapshot_free)

G_END_DECLS
