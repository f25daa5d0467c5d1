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

/* What is replayed: a recorded database, or the changes of batch files
 * gathered in a scratch database. */
typedef struct {
  sqlite3    *db;         /* holds oplog, oplog_tables and oplog_sites */
  const char *from_site;  /* the site the changes are folded in as received by */
  const char *name;       /* the replay's, "Replay: …" */
  const char *sha256;     /* which recording */
  const char *pins_path;  /* the database whose staff_pins the replay takes */
  gint64      start_at;   /* T+0 */
} ReplaySource;

/* Folds in (AFTER, UNTIL] in one transaction, with the clock where it ends. */
static gboolean
fold_window (SdStore             *out,
             const ReplaySource  *source,
             ReplayClock         *clock,
             SdHlc                after,
             SdHlc                until,
             guint                speed,
             gboolean             last,
             gint64              *operations,
             GError             **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (out, error);
  SdSyncImport result = { 0 };
  gboolean ok;

  if (txn == NULL)
    return FALSE;
  clock->position = sd_hlc_get_wall_ms (until);
  ok = _sd_sync_replay (out, source->db, source->from_site, after, until, &result, error) &&
       save_run (out, source->name, source->sha256, source->start_at, MAX (0, clock->position - source->start_at),
                 speed, last, error) &&
       _sd_txn_commit (g_steal_pointer (&txn), error);
  *operations += result.operations;
  sd_sync_import_clear (&result);
  return ok;
}

/* A replay is always made as a new file. */
static gboolean
out_is_new (const char  *out_path,
            GError     **error)
{
  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("“%s” already exists: a replay is always made as a new file. Choose another name."), out_path);
      return FALSE;
    }
  return TRUE;
}

/* The SHA-256 of the file at PATH, hex; read a part at a time, as a
 * recording or a batch need not fit in memory. */
static char *
file_sha256 (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buffer[65536];
  gssize n;

  if (in == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL, error)) > 0)
    g_checksum_update (sum, buffer, n);
  return n < 0 ? NULL : g_strdup (g_checksum_get_string (sum));
}

/* The ATTACH of the database at PATH, read-only, as NAME; NULL for a
 * path it cannot name. */
static char *
attach_sql (const char  *path,
            const char  *name,
            GError     **error)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, error);

  if (uri == NULL)
    return NULL;
  if (strchr (uri, '\'') != NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not make the replay: %s"), path);
      return NULL;
    }
  return g_strdup_printf ("ATTACH DATABASE '%s?mode=ro' AS %s", uri, name);
}

/* The replay of SOURCE into OUT_PATH, which must not exist: what both
 * kinds of source share. */
static gboolean
replay_into (const ReplaySource    *source,
             const char            *out_path,
             guint                  speed,
             SdExerciseReplayFunc   progress,
             gpointer               user_data,
             GCancellable          *cancellable,
             GError               **error)
{
  g_autoptr(SdStore) out = NULL;
  g_autofree char *ro = NULL;
  g_autofree ReplayClock *clock = g_new0 (ReplayClock, 1);
  SdExerciseReplayProgress state = { 0 };
  SdHlc first, last, done;
  gint64 start_at = source->start_at, t0;

  first = (SdHlc) source_count (source->db, "SELECT coalesce (min (hlc), 0) FROM oplog");
  last = (SdHlc) source_count (source->db, "SELECT coalesce (max (hlc), 0) FROM oplog");
  state.total = source_count (source->db, "SELECT count (*) FROM oplog");

  out = sd_store_open (out_path, SD_STORE_OPEN_CREATE, error);
  if (out == NULL)
    return FALSE;
  clock->position = start_at;
  sd_store_set_clock (out, replay_clock, clock);
  if (!sd_store_mark_exercise (out, error) || !sd_store_set_site_name (out, source->name, error))
    goto failed;
  /* The roster's PINs are the source's own (not in its op-log), so its
   * staff can sign in to watch. */
  ro = attach_sql (source->pins_path, "recorded", error);
  if (ro == NULL || !exec_out (out, ro, error) ||
      !exec_out (out, "INSERT INTO main.staff_pins SELECT * FROM recorded.staff_pins", error) ||
      !exec_out (out, "DETACH DATABASE recorded", error))
    goto failed;

  /* At max speed in windows of a recorded hour; at a pace, every tick
   * folds in what its time has reached. */
  done = first - 1;
  if (start_at > sd_hlc_get_wall_ms (first))
    {
      SdHlc before = sd_hlc_pack (start_at, 0) - 1;

      if (!fold_window (out, source, clock, done, before, speed, before >= last, &state.operations, error))
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
      if (!fold_window (out, source, clock, done, until, speed, until >= last, &state.operations, error))
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
  sd_store_set_clock (out, NULL, NULL);
  return TRUE;

failed:
  g_clear_object (&out);
  sd_database_files_remove (out_path);
  return FALSE;
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
  g_autofree char *name = NULL, *sha256 = NULL;
  ReplaySource from;
  sqlite3 *db;

  g_return_val_if_fail (source_path != NULL && out_path != NULL, FALSE);

  if (!out_is_new (out_path, error))
    return FALSE;
  source = sd_store_open (source_path, SD_STORE_OPEN_READ_ONLY, error);
  if (source == NULL)
    return FALSE;
  db = _sd_store_get_db (source);
  if (source_count (db, "SELECT count (*) FROM oplog") == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("“%s” has recorded nothing to replay."),
                   source_path);
      return FALSE;
    }
  /* Which recording: its file's digest, as a scenario's. */
  sha256 = file_sha256 (source_path, error);
  if (sha256 == NULL)
    return FALSE;
  /* TRANSLATORS: the name of a replayed day, e.g. "Replay: みなと川市 災害対策本部" */
  name = g_strdup_printf (_("Replay: %s"), sd_store_get_site_name (source));
  from = (ReplaySource) { db, sd_store_get_site_id (source), name, sha256, source_path, 0 };
  /* T+0: the recorded exercise's own, or the first change of a real day.
   * What came before T+0 (an exercise's setting up) is folded in at once. */
  from.start_at = sd_hlc_get_wall_ms ((SdHlc) source_count (db, "SELECT coalesce (min (hlc), 0) FROM oplog"));
  if (source_count (db, "SELECT count (*) FROM sqlite_schema WHERE name = 'exercise_run'") > 0)
    from.start_at = MAX (from.start_at, source_count (db, "SELECT coalesce (max (start_at), 0) FROM exercise_run"));
  return replay_into (&from, out_path, speed, progress, user_data, cancellable, error);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Which recording, for batches: the digest of their files' digests,
 * sorted and each once, so that neither their order nor a file given
 * twice makes it another. */
static char *
batches_sha256 (const char *const  *paths,
                GError            **error)
{
  g_autoptr(GPtrArray) sums = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; paths[i] != NULL; i++)
    {
      char *sum = file_sha256 (paths[i], error);

      if (sum == NULL)
        {
          g_autofree char *name = g_path_get_basename (paths[i]);

          g_prefix_error (error, "%s: ", name);
          return NULL;
        }
      g_ptr_array_add (sums, sum);
    }
  g_ptr_array_sort (sums, compare_strings);
  for (guint i = 0; i < sums->len; i++)
    if (i == 0 || !g_str_equal (sums->pdata[i], sums->pdata[i - 1]))
      g_string_append_printf (joined, "%s%s", joined->len > 0 ? "\n" : "", (const char *) sums->pdata[i]);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined->str, joined->len);
}

/* Batches to a site carry none of its own changes (a kiosk never sends
 * HQ what HQ made), and a change they bring may build on one an earlier
 * batch brought: alone, a kiosk's registrations would wait for HQ's
 * shelters.  So the replay starts where the receiver stood: what it
 * held before the batches' first change (FIRST) is added, to be folded
 * in before T+0, and so is what it did itself up to their last (LAST),
 * to be replayed with them.  From RECEIVER_PATH's op-log, read-only,
 * into SCRATCH; a change the batches brought too stays once. */
static gboolean
receiver_context (sqlite3     *scratch,
                  const char  *receiver_path,
                  const char  *receiver_site,
                  SdHlc        first,
                  SdHlc        last,
                  GError     **error)
{
  g_autofree char *attach = attach_sql (receiver_path, "receiver", error);
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (attach == NULL)
    return FALSE;
  ok = sqlite3_exec (scratch, attach, NULL, NULL, NULL) == SQLITE_OK &&
       sqlite3_exec (scratch, "INSERT OR IGNORE INTO main.oplog_sites (site_id) SELECT site_id FROM receiver.oplog_sites;"
                              "INSERT OR IGNORE INTO main.oplog_tables (name) SELECT name FROM receiver.oplog_tables;",
                     NULL, NULL, NULL) == SQLITE_OK &&
       sqlite3_prepare_v2 (scratch,
                           "INSERT OR IGNORE INTO main.oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
                           "SELECT ms.n, o.seq, o.txn, o.hlc, o.kind, mt.n, o.row_id, o.fields "
                           "FROM receiver.oplog o JOIN receiver.oplog_sites s ON s.n = o.site "
                           "JOIN receiver.oplog_tables t ON t.n = o.tbl JOIN main.oplog_sites ms ON ms.site_id = s.site_id "
                           "JOIN main.oplog_tables mt ON mt.name = t.name "
                           "WHERE o.hlc < ?1 OR (s.site_id = ?3 AND o.hlc <= ?2)", -1, &stmt, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, (gint64) first);
      sqlite3_bind_int64 (stmt, 2, (gint64) last);
      sqlite3_bind_text (stmt, 3, receiver_site, -1, SQLITE_STATIC);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not make the replay: %s"),
                 sqlite3_errmsg (scratch));
  sqlite3_exec (scratch, "DETACH DATABASE receiver", NULL, NULL, NULL);
  return ok;
}

gboolean
sd_exercise_replay_batches (const char            *receiver_path,
                            const char *const     *batch_paths,
                            const char            *out_path,
                            guint                  speed,
                            SdExerciseReplayFunc   progress,
                            gpointer               user_data,
                            GCancellable          *cancellable,
                            GError               **error)
{
  g_autoptr(SdStore) receiver = NULL;
  g_autofree char *name = NULL, *sha256 = NULL;
  ReplaySource from;
  sqlite3 *scratch = NULL;
  SdHlc first, last;
  gboolean ok = FALSE;

  g_return_val_if_fail (receiver_path != NULL && batch_paths != NULL && out_path != NULL, FALSE);

  if (batch_paths[0] == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("No batch files to replay were given."));
      return FALSE;
    }
  if (!out_is_new (out_path, error))
    return FALSE;
  /* Only its keys and its PINs are read. */
  receiver = sd_store_open (receiver_path, SD_STORE_OPEN_READ_ONLY, error);
  if (receiver == NULL || (sha256 = batches_sha256 (batch_paths, error)) == NULL)
    return FALSE;
  /* The batches' changes hold people's data: gathered in memory, never
   * on disk. */
  if (sqlite3_open_v2 (":memory:", &scratch, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not make the replay: %s"),
                   sqlite3_errmsg (scratch));
      goto out;
    }
  if (!_sd_sync_batches_to_oplog (receiver, batch_paths, scratch, cancellable, error))
    goto out;
  if (source_count (scratch, "SELECT count (*) FROM oplog") == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("The batches hold nothing to replay."));
      goto out;
    }
  /* T+0: the first change the batches bring. */
  first = (SdHlc) source_count (scratch, "SELECT min (hlc) FROM oplog");
  last = (SdHlc) source_count (scratch, "SELECT max (hlc) FROM oplog");
  if (!receiver_context (scratch, receiver_path, sd_store_get_site_id (receiver), first, last, error))
    goto out;
  name = g_strdup_printf (_("Replay: %s"), sd_store_get_site_name (receiver));
  from = (ReplaySource) { scratch, sd_store_get_site_id (receiver), name, sha256, receiver_path,
                          sd_hlc_get_wall_ms (first) };
  ok = replay_into (&from, out_path, speed, progress, user_data, cancellable, error);

out:
  sqlite3_close (scratch);
  return ok;
}
