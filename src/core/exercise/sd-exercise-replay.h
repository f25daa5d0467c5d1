/* sd-exercise-replay.h: any recorded day (an exercise, or a real disaster's database) replayed into a fresh exercise database at a chosen speed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The source's op-log is folded in, in HLC order, as sync folds a batch
 * in (the same merge): at the end the exercise holds what the source
 * held, table for table.  The desks opened on the exercise watch it
 * fill at the pace asked for; the scrubber and the review read it like
 * any exercise.  The source is only read.  A replay of a real day holds
 * real people: it is marked an exercise, so it can never flow back into
 * live data, and it is as private as the source (mode 0600).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gint64 operations;   /* folded in so far */
  gint64 total;        /* in the source's op-log */
  gint64 day_ms;       /* where the replay is, after T+0 (a recorded exercise's own, else the first change) */
  gint64 lag_ms;       /* how late on its pace the last part was folded in (0 at max speed) */
} SdExerciseReplayProgress;

typedef void (*SdExerciseReplayFunc) (const SdExerciseReplayProgress *progress,
                                      gpointer                        user_data);

/* SPEED: recorded seconds a wall second (0: as fast as possible).
 * OUT_PATH must not exist. */
gboolean sd_exercise_replay (const char            *source_path,
                             const char            *out_path,
                             guint                  speed,
                             SdExerciseReplayFunc   progress,
                             gpointer               user_data,
                             GCancellable          *cancellable,
                             GError               **error);

/* The same from BATCH_PATHS (NULL-ended), batch files sent to the site
 * whose database is RECEIVER_PATH and opened with its keys (it is only
 * read): each change once, however many of the batches bring it; T+0 is
 * the first change.  Every batch is checked as an import checks it, and
 * one refused (not a batch, sent to another site, damaged) refuses the
 * replay, named. */
gboolean sd_exercise_replay_batches (const char            *receiver_path,
                                     const char *const     *batch_paths,
                                     const char            *out_path,
                                     guint                  speed,
                                     SdExerciseReplayFunc   progress,
                                     gpointer               user_data,
                                     GCancellable          *cancellable,
                                     GError               **error);

G_END_DECLS
