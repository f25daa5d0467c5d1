/* sd-exercise-replay.c: any recorded day replayed into a fresh exercise database at a chosen speed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-exercise-replay.h"

#include "sd-error.h"
#include "sd-hlc.h"
#include "sd-private-file.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* How often a paced replay folds in what is due. */
#define TICK_US (100 * 1000)

typedef struct {
  gint64 position;  /* the wall ms of the recorded day the replay has reached */
} ReplayClock;

/* The exercise's clock is the recorded day's: what the replay folds in
 * is never "ahead" of it. */
static gint64
replay_clock (gpointer data)
{
  return ((ReplayClock *) data)->position;
}

static gint64
source_count (sqlite3    *db,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
exec_out (SdStore     *out,
          const char  *sql,
          GError     **error)
{
  if (sqlite3_exec (_sd_store_get_db (out), sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not make the replay: %s"),
                   sqlite3_errmsg (_sd_store_get_db (out)));
      return FALSE;
    }
  return TRUE;
}

/* The replay's exercise row: the scrubber and the review read its T+0
 * and where it is. */
static gboolean
save_run (SdStore     *out,
          const char  *name,
          const char  *sha256,
          gint64       start_at,
          gint64       clock_ms,
          guint        speed,
          gboolean     ended,
          GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (out,
    "INSERT INTO exercise_run (id, scenario_name, scenario_sha256, seed, start_at, state, clock_ms, wall_at, speed) "
    "VALUES (1, ?1, ?2, 0, ?3, CASE WHEN ?6 THEN 'ended' ELSE 'running' END, ?4, ?5, ?7) "
    "ON CONFLICT (id) DO UPDATE SET clock_ms = excluded.clock_ms, wall_at = excluded.wall_at, state = excluded.state",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, sha256, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, start_at);
  sqlite3_bind_int64 (stmt, 4, clock_ms);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / 1000);
  sqlite3_bind_int (stmt, 6, ended);
  sqlite3_bind_int (stmt, 7, (int) speed);
  return _sd_store_exec (out, stmt, _("record the exercise"), error);
}

/* Folds in (AFTER, UNTIL] in one transaction, with the clock where it ends. */
static gboolean
fold_window (SdStore      *out,
             SdStore      *source,
             ReplayClock  *clock,
             SdHlc         after,
             SdHlc         until,
             const char   *name,
             const char   *sha256,
             gint64        start_at,
             guint         speed,
             gboolean      last,
             gint64       *operations,
             GError      **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (out, error);
  SdSyncImport result = { 0 };
  gboolean ok;

  if (txn == NULL)
    return FALSE;
  clock->position = sd_hlc_get_wall_ms (until);
  ok = _sd_sync_replay (out, _sd_store_get_db (source), sd_store_get_site_id (source), after, until, &result, error) &&
       save_run (out, name, sha256, start_at, MAX (0, clock->position - start_at), speed, last, error) &&
       _sd_txn_commit (g_steal_pointer (&txn), error);
  *operations += result.operations;
  sd_sync_import_clear (&result);
  return ok;
}

gboolean
sd_exercise_replay (const char            *source_path,
                    const char            *out_path,
                    guint                  speed,
                    SdExerciseReplayFunc   progress,
                    gpointer               user_data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autoptr(SdStore) source = NULL;
  g_autoptr(SdStore) out = NULL;
  g_autofree char *name = NULL, *sha256 = NULL, *uri = NULL, *ro = NULL;
  g_autofree ReplayClock *clock = g_new0 (ReplayClock, 1);
  SdExerciseReplayProgress state = { 0 };
  sqlite3 *db;
  SdHlc first, last, done;
  gint64 start_at, t0;
  gboolean ok = FALSE;

  g_return_val_if_fail (source_path != NULL && out_path != NULL, FALSE);

  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("“%s” already exists: a replay is always made as a new file. Choose another name."), out_path);
      return FALSE;
    }
  source = sd_store_open (source_path, SD_STORE_OPEN_READ_ONLY, error);
  if (source == NULL)
    return FALSE;
  db = _sd_store_get_db (source);
  first = (SdHlc) source_count (db, "SELECT coalesce (min (hlc), 0) FROM oplog");
  last = (SdHlc) source_count (db, "SELECT coalesce (max (hlc), 0) FROM oplog");
  state.total = source_count (db, "SELECT count (*) FROM oplog");
  if (state.total == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("“%s” has recorded nothing to replay."),
                   source_path);
      return FALSE;
    }
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    /* Which recording: its file's digest, as a scenario's. */
    if (!g_file_get_contents (source_path, &contents, &length, error))
      return FALSE;
    sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
  }
  /* TRANSLATORS: the name of a replayed day, e.g. "Replay: みなと川市 災害対策本部" */
  name = g_strdup_printf (_("Replay: %s"), sd_store_get_site_name (source));
  /* T+0: the recorded exercise's own, or the first change of a real day.
   * What came before T+0 (an exercise's setting up) is folded in at once. */
  start_at = sd_hlc_get_wall_ms (first);
  if (source_count (db, "SELECT count (*) FROM sqlite_schema WHERE name = 'exercise_run'") > 0)
    start_at = MAX (start_at, source_count (db, "SELECT coalesce (max (start_at), 0) FROM exercise_run"));

  out = sd_store_open (out_path, SD_STORE_OPEN_CREATE, error);
  if (out == NULL)
    return FALSE;
  clock->position = start_at;
  sd_store_set_clock (out, replay_clock, clock);
  if (!sd_store_mark_exercise (out, error) || !sd_store_set_site_name (out, name, error))
    goto failed;
  /* The roster's PINs are the source's own (not in its op-log), so its
   * staff can sign in to watch. */
  uri = g_filename_to_uri (g_path_is_absolute (source_path) ? source_path
                           : g_canonicalize_filename (source_path, NULL), NULL, error);
  if (uri == NULL)
    goto failed;
  ro = g_strdup_printf ("ATTACH DATABASE '%s?mode=ro' AS recorded", uri);
  if (strchr (uri, '\'') != NULL || !exec_out (out, ro, error) ||
      !exec_out (out, "INSERT INTO main.staff_pins SELECT * FROM recorded.staff_pins", error) ||
      !exec_out (out, "DETACH DATABASE recorded", error))
    goto failed;

  /* At max speed in windows of a recorded hour; at a pace, every tick
   * folds in what its time has reached. */
  done = first - 1;
  if (start_at > sd_hlc_get_wall_ms (first))
    {
      SdHlc before = sd_hlc_pack (start_at, 0) - 1;

      if (!fold_window (out, source, clock, done, before, name, sha256, start_at, speed, before >= last,
                        &state.operations, error))
        goto failed;
      done = before;
    }
  t0 = g_get_monotonic_time ();
  while (done < last)
    {
      SdHlc until;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;
      if (speed == 0)
        until = MIN (last, sd_hlc_pack (sd_hlc_get_wall_ms (done + 1) + 3600 * 1000, SD_HLC_COUNTER_MAX));
      else
        {
          gint64 due = start_at + (g_get_monotonic_time () - t0) / 1000 * speed;

          until = MIN (last, sd_hlc_pack (due, SD_HLC_COUNTER_MAX));
          if (until <= done)
            {
              g_usleep (TICK_US);
              continue;
            }
        }
      if (!fold_window (out, source, clock, done, until, name, sha256, start_at, speed, until >= last,
                        &state.operations, error))
        goto failed;
      /* How late this part is on the desks: folded in now, due when its
       * last change's time came round at SPEED. */
      if (speed > 0)
        state.lag_ms = MAX (0, (g_get_monotonic_time () - t0) / 1000 -
                               MAX (0, sd_hlc_get_wall_ms (until) - start_at) / (gint64) speed);
      done = until;
      state.day_ms = sd_hlc_get_wall_ms (done) - start_at;
      if (progress != NULL)
        progress (&state, user_data);
    }
  ok = TRUE;
  sd_store_set_clock (out, NULL, NULL);
  return ok;

failed:
  g_clear_object (&out);
  sd_database_files_remove (out_path);
  return FALSE;
}
