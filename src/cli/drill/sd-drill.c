/* sd-drill.c: a whole day end to end, on HQ and kiosks, carried by USB stick and by network.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One deployment bundle makes HQ and the kiosks, all exercises.  The
 * scenario is split among them (sd_exercise_engine_set_part): each kiosk
 * plays what happens at its shelters, HQ the roll-calls, the staff's
 * answers and the support list.  Exercise time advances in slices; after
 * each, batches move: every half hour each kiosk tries HQ's receiver (a
 * real `shelterdesk-cli serve` on 127.0.0.1, which answers 503 while the
 * scenario has the network down there), and a kiosk that cannot reach it
 * sends a runner with a USB stick every two hours, straight to HQ or
 * through another kiosk, arriving after a random time, in any order.
 * The scenario's `drill` actions add the faults.  At the end: a last
 * round trip, then the proof (sd-drill-proof.c).
 */
#include "sd-drill.h"

#include "sd-drill-private.h"

#include "sd-error.h"
#include "sd-exercise.h"
#include "sd-hlc.h"
#include "sd-json.h"
#include "sd-seed.h"
#include "sd-staff.h"
#include "sd-platform.h"
#include "sd-store.h"
#include "sd-sync-client.h"
#include "sd-sync.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#define SLICE_MS      (10 * 60 * 1000)     /* exercise time between two rounds of moves */
#define TRY_EVERY_MS  (30 * 60 * 1000)     /* a kiosk tries HQ's receiver */
#define STICK_EVERY_MS (2 * 3600 * 1000)   /* a cut-off kiosk sends a runner */

/* ---- small helpers ---- */

void
sd_drill_note (SdDrill    *drill,
               const char *kind,
               gboolean    expected,
               const char *format,
               ...)
{
  va_list args;
  g_autofree char *text = NULL;
  g_autofree char *at = sd_scenario_format_time (drill->now);
  json_t *o;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  o = json_pack ("{s:s, s:s, s:s, s:b}", "at", at, "kind", kind, "what", text, "expected", expected);
  json_array_append_new (drill->events, o);
  if (!expected)
    drill->unexpected++;
  g_debug ("drill: %s %s: %s", at, kind, text);
}

static char *
path_in (SdDrill    *drill,
         const char *name)
{
  return g_build_filename (drill->options->out, name, NULL);
}

static gint64
rand_between (SdDrill *drill,
              gint64   low,
              gint64   high)
{
  return low + (gint64) (g_rand_double (drill->rand) * (double) (high - low));
}

/* ---- the drill's own processes ---- */

/* Runs the CLI with ARGS and kills it KILL_AFTER_MS after it starts (0:
 * lets it finish).  TRUE when it was killed before it finished. */
static gboolean
run_cli (SdDrill     *drill,
         gint64       kill_after_ms,
         gint64       kill_after_written,
         GError     **error,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) child = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) drill->options->cli);
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  child = sd_platform_spawn_tied ((const char *const *) argv->pdata,
                                  G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, error);
  if (child == NULL)
    return FALSE;
  if (kill_after_written > 0)
    {
      /* Once it has written that much, wherever it is in its work. */
      gint64 t0 = g_get_monotonic_time ();

      while (g_subprocess_get_identifier (child) != NULL &&
             sd_platform_process_io (child, TRUE) < kill_after_written &&
             g_get_monotonic_time () - t0 < 30 * G_USEC_PER_SEC)
        g_usleep (500);
      sd_platform_kill_process (child);
    }
  else if (kill_after_ms > 0)
    {
      g_usleep (kill_after_ms * 1000);
      sd_platform_kill_process (child);
    }
  if (!g_subprocess_wait (child, NULL, error))
    return FALSE;
  return g_subprocess_get_if_signaled (child);
}

/* ---- the receiver ---- */

static gboolean
start_receiver (SdDrill  *drill,
                GError  **error)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", drill->port);
  const char *argv[] = { drill->options->cli, "--db", drill->hq_path, "serve", "--listen", listen, "--json",
                         /* every kiosk is 127.0.0.1, at a hundred times a day's pace */
                         "--max-requests", "1000000", NULL };
  g_autoptr(GDataInputStream) lines = NULL;
  g_autofree char *line = NULL;
  g_autoptr(json_t) root = NULL;

  /* Tied: a drill stopped with Ctrl+C or killed leaves no receiver
   * listening.  (The desks it opens for people are not: they stay for
   * the review.) */
  drill->receiver = sd_platform_spawn_tied (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (drill->receiver == NULL)
    return FALSE;
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (drill->receiver));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);
  if (line == NULL || (root = json_loads (line, 0, NULL)) == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                     _("HQ’s receiver did not start (shelterdesk-cli serve on %s)."), listen);
      return FALSE;
    }
  drill->port = (guint) json_integer_value (json_object_get (root, "port"));
  g_free (drill->url);
  drill->url = g_strdup (json_string_value (json_object_get (root, "url")));
  /* What it prints from now on is not read: let it go. */
  g_object_set_data_full (G_OBJECT (drill->receiver), "lines", g_steal_pointer (&lines), g_object_unref);
  return TRUE;
}

/* Stops HQ's receiver: asked to, or (CRASH) as a power cut would. */
static void
stop_receiver (SdDrill  *drill,
               gboolean  crash)
{
  if (drill->receiver == NULL)
    return;
  if (crash)
    sd_platform_kill_process (drill->receiver);
  else
    sd_platform_stop_process (drill->receiver);
  g_subprocess_wait (drill->receiver, NULL, NULL);
  g_clear_object (&drill->receiver);
}

/* ---- what reached HQ, and when ---- */

/* Before a transfer to HQ: what it holds of each origin. */
static GHashTable *
hq_holds (SdDrill *drill)
{
  GHashTable *holds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (drill->hq_read, "SELECT s.site_id, max (o.seq) FROM oplog o JOIN oplog_sites s "
                                          "ON s.n = o.site GROUP BY s.site_id", -1, &stmt, NULL) != SQLITE_OK)
    return holds;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (holds, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GINT_TO_POINTER ((int) sqlite3_column_int64 (stmt, 1)));
  sqlite3_finalize (stmt);
  return holds;
}

/* After a transfer to HQ: each kiosk's changes new at HQ since BEFORE,
 * and how long each took, from the moment its kiosk made it (its HLC, less
 * a clock known to run ahead) to now. */
static void
record_arrival (SdDrill    *drill,
                const char *how,
                const char *carrier,
                GHashTable *before,
                double      wall_ms)
{
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      SdDrillKiosk *kiosk = &drill->kiosks[k];
      sqlite3_stmt *stmt = NULL;
      gint64 count = 0, oldest = 0, newest = 0;

      if (sqlite3_prepare_v2 (drill->hq_read, "SELECT count (*), min (o.hlc), max (o.hlc) FROM oplog o JOIN "
                                              "oplog_sites s ON s.n = o.site WHERE s.site_id = ?1 AND o.seq > ?2",
                              -1, &stmt, NULL) != SQLITE_OK)
        return;
      sqlite3_bind_text (stmt, 1, kiosk->site_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, GPOINTER_TO_INT (g_hash_table_lookup (before, kiosk->site_id)));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          count = sqlite3_column_int64 (stmt, 0);
          oldest = sd_hlc_get_wall_ms (sqlite3_column_int64 (stmt, 1));
          newest = sd_hlc_get_wall_ms (sqlite3_column_int64 (stmt, 2));
        }
      sqlite3_finalize (stmt);
      if (count == 0)
        continue;
      {
        gint64 now = drill->options->start_at + drill->now;
        g_autofree char *at = sd_scenario_format_time (drill->now);
        json_t *o = json_pack ("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:f}", "at", at, "kiosk", kiosk->name,
                               "how", how, "carrier", carrier, "changes", (json_int_t) count,
                               "oldest_min", (json_int_t) ((now - (oldest - kiosk->ahead_ms)) / 60000),
                               "newest_min", (json_int_t) ((now - (newest - kiosk->ahead_ms)) / 60000),
                               "wall_ms", wall_ms);

        json_array_append_new (drill->arrivals, o);
        if (kiosk->first_at_hq < 0)
          kiosk->first_at_hq = drill->now;
      }
    }
}

/* ---- sticks ---- */

static void
stick_free (SdDrillStick *stick)
{
  g_free (stick->path);
  g_free (stick);
}

/* Writes kiosk FROM's batch for TO (-1: HQ) to a new stick, leaving now
 * and arriving after a random time; NULL when there was nothing to send. */
static SdDrillStick *
make_stick (SdDrill  *drill,
            int       from,
            int       to,
            GError  **error)
{
  SdStore *store = from < 0 ? drill->hq : drill->kiosks[from].store;
  const char *to_name = to < 0 ? "hq" : drill->kiosks[to].site_id;
  g_autofree char *name = g_strdup_printf ("sticks/%03u", ++drill->n_sticks);
  g_autofree char *folder = path_in (drill, name);
  SdSyncExport result = { 0 };
  SdDrillStick *stick;

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not make the folder %s."), folder);
      return NULL;
    }
  if (!sd_sync_export_to_folder (store, to_name, folder, &result, NULL, error))
    return NULL;
  if (result.operations == 0)
    {
      g_unlink (result.path);
      sd_sync_export_clear (&result);
      return NULL;
    }
  stick = g_new0 (SdDrillStick, 1);
  stick->path = g_strdup (result.path);
  stick->from = from;
  stick->to = to;
  stick->operations = result.operations;
  stick->made_at = drill->now;
  /* On foot, by bicycle, by car through blocked roads. */
  stick->arrives_at = drill->now + rand_between (drill, 20 * 60000, 100 * 60000);
  sd_sync_export_clear (&result);
  g_ptr_array_add (drill->sticks, stick);
  return stick;
}

static const char *
site_label (SdDrill *drill,
            int      site)
{
  return site < 0 ? "HQ" : drill->kiosks[site].name;
}

/* A stick arrives at its site and is imported there. */
static gboolean
deliver_stick (SdDrill       *drill,
               SdDrillStick  *stick,
               GError       **error)
{
  SdStore *store = stick->to < 0 ? drill->hq : drill->kiosks[stick->to].store;
  g_autoptr(GHashTable) before = stick->to < 0 ? hq_holds (drill) : NULL;
  g_autoptr(GError) local = NULL;
  SdSyncImport result = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  const char *from = site_label (drill, stick->from), *to = site_label (drill, stick->to);

  /* The scenario's damage, once each, on sticks for HQ. */
  if (stick->to < 0 && stick->from >= 0 && drill->pending[SD_DRILL_STICK_TRUNCATED] == stick->from + 1)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;
      g_autofree char *cut = g_strconcat (stick->path, ".cut", NULL);

      drill->pending[SD_DRILL_STICK_TRUNCATED] = 0;
      if (g_file_get_contents (stick->path, &contents, &length, NULL) &&
          g_file_set_contents (cut, contents, rand_between (drill, 1, (gint64) length - 1), NULL))
        {
          if (sd_sync_import_file (store, cut, NULL, &result, NULL, &local))
            sd_drill_note (drill, "stick-truncated", FALSE, _("HQ took a batch cut short from %s"), from);
          else
            sd_drill_note (drill, "stick-truncated", TRUE, _("HQ refused the stick from %s, cut short: %s"), from,
                           local->message);
          sd_sync_import_clear (&result);
          g_clear_error (&local);
          /* The runner's stick is lost; the kiosk's next batch carries it all again. */
          return TRUE;
        }
    }
  if (stick->to < 0 && drill->pending[SD_DRILL_IMPORT_CUT])
    {
      gint64 after = rand_between (drill, 30, 150);
      gboolean killed;

      drill->pending[SD_DRILL_IMPORT_CUT] = 0;
      drill->import_cut_runner = FALSE;
      killed = run_cli (drill, after, 0, error, "--db", drill->hq_path, "batch", "import", stick->path, NULL);
      if (error != NULL && *error != NULL)
        return FALSE;
      {
        g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, after);

        sd_drill_note (drill, "import-cut", TRUE,
                       killed ? _("HQ's power failed %s ms into importing the stick from %s")
                              : _("HQ's power failed %s ms after it had imported the stick from %s"),
                       ms, from);
      }
    }
  if (!sd_sync_import_file (store, stick->path, NULL, &result, NULL, &local))
    {
      sd_drill_note (drill, "stick", FALSE, _("%s refused the stick from %s: %s"), to, from, local->message);
      return TRUE;
    }
  if (stick->to < 0)
    record_arrival (drill, "stick", from, before, (g_get_monotonic_time () - t0) / 1000.0);
  drill->stick_changes += result.applied;
  sd_sync_import_clear (&result);
  if (stick->to < 0 && stick->from >= 0 && drill->pending[SD_DRILL_BATCH_REPLAYED] == stick->from + 1)
    {
      drill->pending[SD_DRILL_BATCH_REPLAYED] = 0;
      if (!sd_sync_import_file (store, stick->path, NULL, &result, NULL, &local))
        sd_drill_note (drill, "batch-replayed", FALSE, _("HQ refused the stick from %s the second time: %s"), from,
                       local->message);
      else
        sd_drill_note (drill, "batch-replayed", result.already_imported && result.applied == 0,
                       result.already_imported ? _("HQ was given the stick from %s again: already imported, "
                                                   "nothing changed")
                                               : _("HQ imported the stick from %s twice"), from);
      sd_sync_import_clear (&result);
    }
  /* A runner at HQ goes back with HQ's batch for the kiosk. */
  if (stick->to < 0 && stick->from >= 0)
    {
      SdDrillStick *back = make_stick (drill, -1, stick->from, error);

      if (back == NULL && error != NULL && *error != NULL)
        return FALSE;
    }
  /* A stick relayed through a kiosk: that kiosk's next batch carries it on. */
  return TRUE;
}

static int
compare_arrival (gconstpointer a,
                 gconstpointer b)
{
  const SdDrillStick *x = *(SdDrillStick *const *) a, *y = *(SdDrillStick *const *) b;

  return (x->arrives_at > y->arrives_at) - (x->arrives_at < y->arrives_at);
}

static gboolean
deliver_sticks (SdDrill  *drill,
                gint64    until,
                GError  **error)
{
  g_ptr_array_sort (drill->sticks, compare_arrival);
  while (drill->sticks->len > 0)
    {
      SdDrillStick *stick = g_ptr_array_index (drill->sticks, 0);

      if (stick->arrives_at > until)
        break;
      g_ptr_array_steal_index (drill->sticks, 0);
      if (!deliver_stick (drill, stick, error))
        {
          stick_free (stick);
          return FALSE;
        }
      stick_free (stick);
    }
  return TRUE;
}

/* ---- the network ---- */

typedef struct {
  gboolean            done;
  gboolean            ok;
  SdSyncClientResult  result;
  GError             *error;
} Exchange;

static void
exchanged_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      data)
{
  Exchange *ex = data;

  ex->ok = sd_sync_client_sync_finish (SD_SYNC_CLIENT (source), res, &ex->result, &ex->error);
  ex->done = TRUE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* One exchange of kiosk K with HQ's receiver.  KILL_AFTER_MS > 0: the
 * receiver is killed that long into it.  TRUE when it went through. */
static gboolean
exchange (SdDrill  *drill,
          guint     k,
          gint64    kill_after_ms,
          GError  **error)
{
  SdDrillKiosk *kiosk = &drill->kiosks[k];
  g_autoptr(SdSyncClient) client = sd_sync_client_new (drill->url, error);
  g_autoptr(GHashTable) before = hq_holds (drill);
  Exchange ex = { 0 };
  gint64 t0 = g_get_monotonic_time (), upload_started = -1;
  gint64 read0 = kill_after_ms > 0 ? sd_platform_process_io (drill->receiver, FALSE) : 0, kill_read = 0;
  gboolean killed = FALSE;

  if (client == NULL)
    return FALSE;
  sd_sync_client_set_timeout (client, 20);
  sd_sync_client_sync_async (client, kiosk->store, SD_SYNC_CLIENT_PUSH | SD_SYNC_CLIENT_PULL, NULL, exchanged_cb,
                             &ex);
  while (!ex.done)
    {
      /* Killed while the batch comes in: once the receiver has read
       * 16 KiB of it, KILL_AFTER_MS later. */
      if (kill_after_ms > 0 && !killed && upload_started < 0 && sd_platform_process_io (drill->receiver, FALSE) - read0 > 16 * 1024)
        upload_started = g_get_monotonic_time ();
      if (kill_after_ms > 0 && !killed && upload_started >= 0 &&
          g_get_monotonic_time () - upload_started >= kill_after_ms * 1000)
        {
          kill_read = sd_platform_process_io (drill->receiver, FALSE) - read0;
          stop_receiver (drill, TRUE);
          killed = TRUE;
        }
      if (kill_after_ms > 0 && !killed)
        g_timeout_add (1, tick_cb, NULL);
      g_main_context_iteration (NULL, TRUE);
    }
  kiosk->last_exchange_ms = (g_get_monotonic_time () - t0) / 1000.0;
  if (killed)
    {
      g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, kill_after_ms);
      g_autofree char *kib = g_strdup_printf ("%" G_GINT64_FORMAT, kill_read / 1024);

      if (ex.ok)
        sd_drill_note (drill, "receiver-killed", FALSE,
                       _("HQ's receiver was killed after %s's exchange had ended (%s KiB read)"), kiosk->name, kib);
      else
        sd_drill_note (drill, "receiver-killed", TRUE, _("HQ's receiver was killed %s ms into taking %s's batch "
                                                         "(%s KiB read): %s"),
                       ms, kiosk->name, kib, ex.error->message);
      if (!start_receiver (drill, error))
        {
          sd_sync_client_result_clear (&ex.result);
          g_clear_error (&ex.error);
          return FALSE;
        }
    }
  if (ex.ok)
    {
      if (ex.result.sent)
        record_arrival (drill, "network", kiosk->name, before, kiosk->last_exchange_ms);
      drill->network_changes += ex.result.hq_applied;
      kiosk->online = TRUE;
    }
  else if (g_strcmp0 (ex.result.reason, "exercise-network-down") == 0)
    kiosk->online = FALSE;
  else if (!killed)
    sd_drill_note (drill, "network", FALSE, _("%s could not exchange with HQ: %s"), kiosk->name, ex.error->message);
  sd_sync_client_result_clear (&ex.result);
  g_clear_error (&ex.error);
  return TRUE;
}

/* ---- the kiosks ---- */

void
sd_drill_close_kiosk_engine (SdDrillKiosk *kiosk)
{
  const SdExerciseTotals *totals;

  if (kiosk->engine == NULL)
    return;
  totals = sd_exercise_engine_get_totals (kiosk->engine);
  kiosk->card_intakes += totals->card_intakes;
  kiosk->card_by_hand += totals->card_by_hand;
  kiosk->answers += totals->safety_answers;
  kiosk->answers_on_paper += totals->answers_on_paper;
  kiosk->support_reports += totals->support_reports;
  g_clear_pointer (&kiosk->engine, sd_exercise_engine_free);
}

static gboolean
open_kiosk_engine (SdDrill      *drill,
                   SdDrillKiosk *kiosk,
                   GError      **error)
{
  sd_drill_close_kiosk_engine (kiosk);
  g_clear_object (&kiosk->store);
  kiosk->store = sd_store_open (kiosk->path, SD_STORE_OPEN_DEFAULT, error);
  if (kiosk->store == NULL)
    return FALSE;
  kiosk->engine = sd_exercise_engine_new (kiosk->store, drill->scenario, drill->options->seed,
                                          drill->options->start_at, error);
  if (kiosk->engine == NULL ||
      !sd_exercise_engine_set_part (kiosk->engine, (const char *const *) drill->groups, (int) kiosk->index, error))
    return FALSE;
  sd_exercise_engine_set_clock_ahead (kiosk->engine, kiosk->ahead_ms);
  sd_exercise_engine_set_scans (kiosk->engine, TRUE);
  if (drill->cards != NULL)
    sd_exercise_engine_set_card_reader (kiosk->engine, sd_drill_cards_read, drill->cards);
  return TRUE;
}

/* The kiosk is killed mid-write: its next stretch is played by a process
 * of its own, killed, and the kiosk restarts where the file says. */
static gboolean
kill_kiosk (SdDrill       *drill,
            SdDrillKiosk  *kiosk,
            GError       **error)
{
  g_autofree char *index = g_strdup_printf ("%u", kiosk->index);
  g_autofree char *until = sd_scenario_format_time (drill->now + 3 * 3600000);
  gint64 written = rand_between (drill, 128 * 1024, 1024 * 1024);
  g_autofree char *kib = g_strdup_printf ("%" G_GINT64_FORMAT, written / 1024);
  gboolean killed;
  g_autoptr(GError) local = NULL;

  sd_drill_close_kiosk_engine (kiosk);
  g_clear_object (&kiosk->store);
  killed = run_cli (drill, 0, written, error, "drill", "step", drill->options->out, "--kiosk", index, "--until", until,
                    NULL);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (!open_kiosk_engine (drill, kiosk, error))
    return FALSE;
  if (!sd_store_check (kiosk->store, &local))
    sd_drill_note (drill, "kiosk-killed", FALSE, _("%s's database is damaged after the kill: %s"), kiosk->name,
                   local->message);
  else if (killed)
    sd_drill_note (drill, "kiosk-killed", TRUE, _("%s was killed after writing %s KiB on its way to %s, and restarted"),
                   kiosk->name, kib, until);
  else
    sd_drill_note (drill, "kiosk-killed", FALSE,
                   _("%s finished playing to %s before it had written %s KiB, when it was to be killed"), kiosk->name,
                   until, kib);
  return TRUE;
}

/* The stick is pulled out while the kiosk writes it: no batch may be left on it. */
static gboolean
pull_stick (SdDrill       *drill,
            SdDrillKiosk  *kiosk,
            GError       **error)
{
  g_autofree char *name = g_strdup_printf ("sticks/%03u-pulled", ++drill->n_sticks);
  g_autofree char *folder = path_in (drill, name);
  gint64 after = rand_between (drill, 20, 120);
  g_autofree char *ms = g_strdup_printf ("%" G_GINT64_FORMAT, after), *bad = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *file;
  guint batches = 0;
  gboolean killed;

  g_mkdir_with_parents (folder, 0700);
  g_clear_object (&kiosk->store);
  sd_drill_close_kiosk_engine (kiosk);
  killed = run_cli (drill, after, 0, error, "--db", kiosk->path, "batch", "export", "--to", "hq", "--out", folder,
                    NULL);
  if ((error != NULL && *error != NULL) || !open_kiosk_engine (drill, kiosk, error))
    return FALSE;
  dir = g_dir_open (folder, 0, NULL);
  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    if (!g_str_has_suffix (file, ".part"))
      {
        g_autofree char *path = g_build_filename (folder, file, NULL);
        g_autoptr(GError) local = NULL;
        SdSyncImport result = { 0 };

        /* Pulled after the rename: the batch on it must be whole, and
         * the runner takes it to HQ. */
        if (!sd_sync_import_file (drill->hq, path, NULL, &result, NULL, &local))
          bad = g_strdup (local->message);
        batches++;
        sd_sync_import_clear (&result);
      }
  if (bad != NULL)
    sd_drill_note (drill, "stick-pulled", FALSE, _("the batch left on %s's stick pulled out mid-write is refused: %s"),
                   kiosk->name, bad);
  else if (killed && batches == 0)
    sd_drill_note (drill, "stick-pulled", TRUE, _("%s's stick was pulled out %s ms into writing: no batch on it"),
                   kiosk->name, ms);
  else
    sd_drill_note (drill, "stick-pulled", TRUE,
                   _("%s's stick was pulled out %s ms in, after the batch was written: HQ took it whole"), kiosk->name,
                   ms);
  return TRUE;
}

static gboolean
stick_fault_for (SdDrill *drill,
                 guint    k)
{
  /* HQ's power cut strikes the next stick HQ imports: the first kiosk
   * sends one, in case no other is on the road. */
  return (drill->pending[SD_DRILL_IMPORT_CUT] && k == 0 && !drill->import_cut_runner) ||
         drill->pending[SD_DRILL_STICK_PULLED] == (int) k + 1 ||
         drill->pending[SD_DRILL_STICK_TRUNCATED] == (int) k + 1 ||
         drill->pending[SD_DRILL_BATCH_REPLAYED] == (int) k + 1;
}

/* A kiosk that HQ's receiver does not answer sends a runner. */
static gboolean
send_runner (SdDrill       *drill,
             SdDrillKiosk  *kiosk,
             GError       **error)
{
  SdDrillStick *stick;
  int to = -1;

  if (drill->pending[SD_DRILL_STICK_PULLED] == (int) kiosk->index + 1)
    {
      drill->pending[SD_DRILL_STICK_PULLED] = 0;
      return pull_stick (drill, kiosk, error);
    }
  /* One runner in three goes by another shelter, whose kiosk sends it
   * on; one that carries a stick fault goes to HQ. */
  if (drill->n_kiosks > 1 && g_rand_int_range (drill->rand, 0, 3) == 0 && !stick_fault_for (drill, kiosk->index))
    {
      to = g_rand_int_range (drill->rand, 0, (gint32) drill->n_kiosks - 1);
      to += to >= (int) kiosk->index ? 1 : 0;
    }
  stick = make_stick (drill, (int) kiosk->index, to, error);
  if (stick == NULL)
    return error == NULL || *error == NULL;
  stick->via = to;
  drill->import_cut_runner |= drill->pending[SD_DRILL_IMPORT_CUT] != 0;
  kiosk->last_stick_at = drill->now;
  drill->n_runners++;
  return TRUE;
}

/* ---- setup ---- */

static gboolean
make_deployment (SdDrill  *drill,
                 GError  **error)
{
  g_autofree char *deployment = path_in (drill, "deployment.sqlite");
  g_autofree char *bundle_path = path_in (drill, "bundle.sdbundle");
  g_autofree char *reference = path_in (drill, "reference.sqlite");
  g_autofree char *passphrase = NULL;
  g_autoptr(GFile) bundle_file = g_file_new_for_path (bundle_path);

  {
    g_autoptr(SdStore) store = sd_store_open (deployment, SD_STORE_OPEN_CREATE, error);

    if (store == NULL || !sd_store_set_site_name (store, "みなと川市 災害対策本部", error) ||
        !sd_seed_load (store, drill->options->seeds, NULL, error))
      return FALSE;
  }
  if (!sd_exercise_new (deployment, drill->hq_path, error) || !sd_exercise_new (deployment, reference, error))
    return FALSE;
  drill->hq = sd_store_open (drill->hq_path, SD_STORE_OPEN_DEFAULT, error);
  if (drill->hq == NULL || (sd_sync_get_role (drill->hq) == SD_SYNC_ROLE_NONE &&
                            !sd_sync_init_hq (drill->hq, "訓練 M7 drill", error)))
    return FALSE;
  {
    g_autoptr(GFileOutputStream) out = g_file_replace (bundle_file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error);

    if (out == NULL || !sd_sync_write_bundle (drill->hq, G_OUTPUT_STREAM (out), &passphrase, NULL, error) ||
        !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error))
      return FALSE;
  }
  /* Each kiosk: enrolled from the bundle, then enrolled at HQ from its
   * first batch (the fingerprint compared, as a person does). */
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      SdDrillKiosk *kiosk = &drill->kiosks[k];
      g_autoptr(GFileInputStream) in = NULL;
      g_autoptr(SdStore) store = sd_store_open (kiosk->path, SD_STORE_OPEN_CREATE, error);
      g_autofree char *fingerprint = NULL;
      g_autofree char *folder = path_in (drill, "sticks/enrol");
      SdSyncExport sent = { 0 };
      SdSyncImport got = { 0 };

      if (store == NULL || !sd_store_set_site_name (store, kiosk->name, error) ||
          (in = g_file_read (bundle_file, NULL, error)) == NULL ||
          !sd_sync_enrol (store, G_INPUT_STREAM (in), passphrase, NULL, error))
        return FALSE;
      fingerprint = sd_sync_get_fingerprint (store);
      g_mkdir_with_parents (folder, 0700);
      if (!sd_sync_export_to_folder (store, "hq", folder, &sent, NULL, error) ||
          !sd_sync_import_file (drill->hq, sent.path, fingerprint, &got, NULL, error))
        return FALSE;
      kiosk->site_id = g_strdup (sd_store_get_site_id (store));
      sd_sync_export_clear (&sent);
      sd_sync_import_clear (&got);
    }
  /* HQ's first batch to each: the other kiosks, so runners can go by them. */
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      g_autoptr(SdStore) store = sd_store_open (drill->kiosks[k].path, SD_STORE_OPEN_DEFAULT, error);
      g_autofree char *folder = path_in (drill, "sticks/enrol");
      SdSyncExport sent = { 0 };
      SdSyncImport got = { 0 };

      if (store == NULL || !sd_sync_export_to_folder (drill->hq, drill->kiosks[k].site_id, folder, &sent, NULL, error) ||
          !sd_sync_import_file (store, sent.path, NULL, &got, NULL, error))
        return FALSE;
      sd_sync_export_clear (&sent);
      sd_sync_import_clear (&got);
      /* The players sign in here with their own PINs: their hashes, and
       * only theirs, as a lead would set them at the site. */
      for (guint p = 0; drill->options->players != NULL && drill->options->players[p] != NULL; p++)
        if (!sd_store_copy_staff_pin (drill->hq, store, drill->options->players[p], error))
          return FALSE;
    }
  return TRUE;
}

/* The shelters the scenario acts at, in code order, dealt to the kiosks in turn. */
static void
make_groups (SdDrill *drill)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();

  for (guint i = 0; i < sd_scenario_get_n_injects (drill->scenario); i++)
    {
      const SdAction *action = &sd_scenario_get_inject (drill->scenario, i)->action;

      if (action->shelter != NULL && action->kind != SD_ACTION_NETWORK_DOWN &&
          action->kind != SD_ACTION_READER_FAILS && action->kind != SD_ACTION_DRILL &&
          !g_ptr_array_find_with_equal_func (codes, action->shelter, g_str_equal, NULL))
        g_ptr_array_add (codes, action->shelter);
    }
  g_ptr_array_sort (codes, (GCompareFunc) sd_drill_compare_strings);
  drill->groups = g_new0 (char *, drill->n_kiosks + 1);
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      g_autoptr(GString) group = g_string_new (NULL);
      g_autoptr(GString) name = g_string_new (NULL);

      g_string_printf (name, "受付%u", k + 1);
      for (guint c = k; c < codes->len; c += drill->n_kiosks)
        {
          g_string_append_printf (group, "%s%s", group->len > 0 ? "," : "", (char *) g_ptr_array_index (codes, c));
          g_string_append_printf (name, " %s", (char *) g_ptr_array_index (codes, c));
        }
      drill->groups[k] = g_string_free (g_steal_pointer (&group), FALSE);
      drill->kiosks[k].name = g_string_free (g_steal_pointer (&name), FALSE);
    }
}

/* The kiosk whose shelters include CODE, or -1. */
static int
kiosk_at (SdDrill    *drill,
          const char *code)
{
  for (guint k = 0; code != NULL && k < drill->n_kiosks; k++)
    {
      g_auto(GStrv) codes = g_strsplit (drill->groups[k], ",", -1);

      if (g_strv_contains ((const char *const *) codes, code))
        return (int) k;
    }
  return -1;
}

static gboolean
write_plan (SdDrill  *drill,
            GError  **error)
{
  g_autoptr(json_t) root = json_object ();
  json_t *kiosks = json_array ();
  g_autofree char *path = path_in (drill, "drill.json");
  g_autofree char *scenario = g_canonicalize_filename (drill->options->scenario, NULL);
  g_autofree char *text = NULL;

  json_object_set_new (root, "scenario", json_string (scenario));
  json_object_set_new (root, "seed", json_integer ((json_int_t) drill->options->seed));
  json_object_set_new (root, "start_at", json_integer (drill->options->start_at));
  for (guint k = 0; k < drill->n_kiosks; k++)
    json_array_append_new (kiosks, json_pack ("{s:s, s:s, s:s, s:I}", "name", drill->kiosks[k].name, "path",
                                              drill->kiosks[k].path, "shelters", drill->groups[k], "ahead_ms",
                                              (json_int_t) drill->kiosks[k].ahead_ms));
  json_object_set_new (root, "kiosks", kiosks);
  text = json_dumps (root, JSON_INDENT (2));
  return g_file_set_contents (path, text, -1, error);
}

/* ---- the day ---- */

/* The scenario's drill faults that fall in (FROM, TO]. */
static void
arm_faults (SdDrill *drill,
            gint64   from,
            gint64   to)
{
  for (guint i = 0; i < sd_scenario_get_n_injects (drill->scenario); i++)
    {
      const SdInject *inject = sd_scenario_get_inject (drill->scenario, i);
      const SdAction *action = &inject->action;

      if (action->kind != SD_ACTION_DRILL || action->drill == SD_DRILL_CLOCK_AHEAD || inject->at_ms <= from ||
          inject->at_ms > to)
        continue;
      /* A kiosk's fault names it by one of its shelters. */
      drill->pending[action->drill] = action->shelter != NULL ? kiosk_at (drill, action->shelter) + 1 : 1;
      if (drill->pending[action->drill] == 0)
        sd_drill_note (drill, sd_drill_fault_to_string (action->drill), FALSE,
                       _("inject %s: no kiosk has shelter %s"), inject->serial, action->shelter);
    }
}

static gboolean
play_slice (SdDrill  *drill,
            gint64    to,
            GError  **error)
{
  arm_faults (drill, drill->now, to);
  drill->now = to;
  if (!sd_exercise_engine_run_until (drill->hq_engine, to, TRUE, error))
    return FALSE;
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      SdDrillKiosk *kiosk = &drill->kiosks[k];

      if (drill->pending[SD_DRILL_KIOSK_KILLED] == (int) k + 1)
        {
          drill->pending[SD_DRILL_KIOSK_KILLED] = 0;
          if (!kill_kiosk (drill, kiosk, error))
            return FALSE;
        }
      if (!sd_exercise_engine_run_until (kiosk->engine, to, TRUE, error))
        return FALSE;
    }
  if (!deliver_sticks (drill, to, error))
    return FALSE;
  if (to % TRY_EVERY_MS != 0)
    return TRUE;
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      SdDrillKiosk *kiosk = &drill->kiosks[k];
      gboolean was_online = kiosk->online;
      gint64 kill = 0;

      /* The receiver is killed under the first kiosk that comes back
       * with hours of changes to send. */
      /* A stick fault armed for it: a runner goes now, straight to HQ,
       * network or not (a stick always works), with what the kiosk made
       * since its last exchange. */
      if (stick_fault_for (drill, k) && !send_runner (drill, kiosk, error))
        return FALSE;
      if (drill->pending[SD_DRILL_RECEIVER_KILLED] && !was_online)
        kill = rand_between (drill, 0, 30);
      if (!exchange (drill, k, kill, error))
        return FALSE;
      if (kill > 0)
        {
          drill->pending[SD_DRILL_RECEIVER_KILLED] = 0;
          if (!exchange (drill, k, 0, error))
            return FALSE;
        }
      if (kiosk->online && !was_online && kiosk->cut_off_since >= 0)
        {
          /* Back: how long until HQ had everything it had. */
          json_array_append_new (drill->returns,
                                 json_pack ("{s:s, s:s, s:f}", "kiosk", kiosk->name, "at",
                                            sd_scenario_format_time (drill->now), "wall_ms", kiosk->last_exchange_ms));
          kiosk->cut_off_since = -1;
        }
      if (!kiosk->online && kiosk->cut_off_since < 0)
        kiosk->cut_off_since = drill->now;
      if (!kiosk->online && drill->now - kiosk->last_stick_at >= STICK_EVERY_MS && !send_runner (drill, kiosk, error))
        return FALSE;
    }
  return TRUE;
}

static void
drill_free (SdDrill *drill)
{
  stop_receiver (drill, FALSE);
  for (guint k = 0; drill->kiosks != NULL && k < drill->n_kiosks; k++)
    {
      g_clear_pointer (&drill->kiosks[k].engine, sd_exercise_engine_free);
      g_clear_object (&drill->kiosks[k].store);
      g_free (drill->kiosks[k].name);
      g_free (drill->kiosks[k].path);
      g_free (drill->kiosks[k].site_id);
    }
  g_free (drill->kiosks);
  g_clear_pointer (&drill->hq_engine, sd_exercise_engine_free);
  g_clear_object (&drill->hq);
  if (drill->hq_read != NULL)
    sqlite3_close (drill->hq_read);
  g_clear_pointer (&drill->sticks, g_ptr_array_unref);
  g_strfreev (drill->groups);
  g_clear_pointer (&drill->scenario, sd_scenario_free);
  g_clear_pointer (&drill->rand, g_rand_free);
  g_clear_pointer (&drill->events, json_decref);
  g_clear_pointer (&drill->arrivals, json_decref);
  g_clear_pointer (&drill->returns, json_decref);
  g_free (drill->url);
  g_free (drill->hq_path);
  g_ptr_array_unref (drill->desks);
  g_clear_pointer (&drill->cards, sd_drill_cards_free);
  g_free (drill);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDrill, drill_free)

static gboolean
folder_is_free (const char  *out,
                GError     **error)
{
  g_autoptr(GDir) dir = g_dir_open (out, 0, NULL);

  if (dir != NULL && g_dir_read_name (dir) != NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                   _("%s is not empty. A drill writes its databases into a new or empty folder; choose another "
                     "with --out."), out);
      return FALSE;
    }
  if (g_mkdir_with_parents (out, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not make the folder %s."), out);
      return FALSE;
    }
  return TRUE;
}

/* Opens a desk on each database, for people to watch and play. */
static void
open_desks (SdDrill *drill)
{
  for (int k = -1; drill->options->desk != NULL && k < (int) drill->n_kiosks; k++)
    {
      const char *argv[] = { drill->options->desk, "--db", k < 0 ? drill->hq_path : drill->kiosks[k].path, NULL };
      g_autoptr(GError) local = NULL;
      /* Not on the drill's own output: the desks outlive it, for the
       * review, and a reader of its result must see it end. */
      GSubprocess *desk = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                             &local);

      if (desk == NULL)
        sd_drill_note (drill, "desk", FALSE, _("the desk on %s did not open: %s"), argv[2], local->message);
      else
        g_ptr_array_add (drill->desks, desk);
    }
}

gboolean
sd_drill_run (const SdDrillOptions  *options,
              json_t               **out_result,
              GError               **error)
{
  g_autoptr(SdDrill) drill = g_new0 (SdDrill, 1);
  gint64 t0 = g_get_monotonic_time (), end, wall0;

  g_return_val_if_fail (options->kiosks >= 1 && options->kiosks <= 12, FALSE);

  drill->options = options;
  drill->n_kiosks = options->kiosks;
  drill->kiosks = g_new0 (SdDrillKiosk, drill->n_kiosks);
  drill->sticks = g_ptr_array_new ();
  drill->events = json_array ();
  drill->arrivals = json_array ();
  drill->returns = json_array ();
  drill->desks = g_ptr_array_new_with_free_func (g_object_unref);
  {
    guint32 seed[2] = { (guint32) options->seed, (guint32) (options->seed >> 32) ^ 0x6472696cu };

    drill->rand = g_rand_new_with_seed_array (seed, 2);
  }
  if (!folder_is_free (options->out, error) ||
      (drill->scenario = sd_scenario_load (options->scenario, error)) == NULL)
    return FALSE;
  drill->hq_path = path_in (drill, "hq.sqlite");
  make_groups (drill);
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      g_autofree char *file = g_strdup_printf ("kiosk-%u.sqlite", k + 1);

      drill->kiosks[k].index = k;
      drill->kiosks[k].path = path_in (drill, file);
      drill->kiosks[k].first_at_hq = -1;
      drill->kiosks[k].cut_off_since = -1;
      drill->kiosks[k].last_stick_at = G_MININT64 / 2;
      drill->kiosks[k].online = TRUE;
    }
  for (guint i = 0; i < sd_scenario_get_n_injects (drill->scenario); i++)
    {
      const SdAction *action = &sd_scenario_get_inject (drill->scenario, i)->action;
      int k = action->kind == SD_ACTION_DRILL && action->drill == SD_DRILL_CLOCK_AHEAD ? kiosk_at (drill, action->shelter)
                                                                                       : -1;
      if (k >= 0)
        drill->kiosks[k].ahead_ms = action->for_ms;
    }
  if (!make_deployment (drill, error) || !write_plan (drill, error))
    return FALSE;
  drill->setup_s = (g_get_monotonic_time () - t0) / 1e6;

  /* The scenario's own figures: the same scenario and seed, on one database. */
  {
    g_autofree char *reference = path_in (drill, "reference.sqlite");
    g_autoptr(SdStore) store = sd_store_open (reference, SD_STORE_OPEN_DEFAULT, error);
    g_autoptr(SdExerciseEngine) engine = NULL;
    gint64 r0 = g_get_monotonic_time ();

    if (store == NULL ||
        (engine = sd_exercise_engine_new (store, drill->scenario, options->seed, options->start_at, error)) == NULL ||
        !sd_exercise_engine_set_part (engine, (const char *const *) drill->groups, SD_EXERCISE_PART_ALL, error))
      return FALSE;
    sd_exercise_engine_set_scans (engine, TRUE);
    if (!sd_exercise_engine_run_all (engine, error))
      return FALSE;
    drill->reference_s = (g_get_monotonic_time () - r0) / 1e6;
  }

  drill->hq_engine = sd_exercise_engine_new (drill->hq, drill->scenario, options->seed, options->start_at, error);
  if (drill->hq_engine == NULL ||
      !sd_exercise_engine_set_part (drill->hq_engine, (const char *const *) drill->groups, SD_EXERCISE_PART_HQ,
                                    error))
    return FALSE;
  /* Card holders' cards on the reader, as the desks read them. */
  if (options->card_reader != NULL &&
      (drill->cards = sd_drill_cards_new (options->card_reader, options->card_emulator, error)) == NULL)
    return FALSE;
  for (guint k = 0; k < drill->n_kiosks; k++)
    if (!open_kiosk_engine (drill, &drill->kiosks[k], error))
      return FALSE;
  if (sqlite3_open_v2 (drill->hq_path, &drill->hq_read, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read %s."), drill->hq_path);
      return FALSE;
    }
  sqlite3_busy_timeout (drill->hq_read, 5000);
  if (!start_receiver (drill, error))
    return FALSE;
  open_desks (drill);

  /* The day, slice by slice. */
  end = sd_exercise_engine_get_end (drill->hq_engine);
  wall0 = g_get_monotonic_time ();
  while (drill->now < end)
    {
      gint64 to = MIN (drill->now + SLICE_MS, ((end + SLICE_MS - 1) / SLICE_MS) * SLICE_MS);

      if (!play_slice (drill, to, error))
        return FALSE;
      /* At a pace: exercise time runs SPEED times the wall clock. */
      if (options->speed > 0)
        {
          gint64 due = wall0 + drill->now * 1000 / options->speed;
          gint64 wait = due - g_get_monotonic_time ();

          if (wait > 0)
            g_usleep (wait);
        }
    }
  drill->day_s = (g_get_monotonic_time () - wall0) / 1e6;

  /* The runners still on the road arrive; then a last round trip, twice,
   * so that every kiosk gets what the others sent after it. */
  {
    gint64 f0 = g_get_monotonic_time ();

    while (drill->sticks->len > 0)
      if (!play_slice (drill, drill->now + SLICE_MS, error))
        return FALSE;
    for (guint round = 0; round < 2; round++)
      for (guint k = 0; k < drill->n_kiosks; k++)
        if (!exchange (drill, k, 0, error))
          return FALSE;
    /* Answers a kiosk took on paper whose roll-call came only now are
     * entered, and go round too. */
    {
      gboolean entered = FALSE;

      for (guint k = 0; k < drill->n_kiosks; k++)
        if (drill->kiosks[k].engine != NULL && sd_exercise_engine_get_n_waiting (drill->kiosks[k].engine) > 0)
          {
            if (!sd_exercise_engine_run_until (drill->kiosks[k].engine, drill->now, TRUE, error))
              return FALSE;
            entered = TRUE;
          }
      for (guint round = 0; entered && round < 2; round++)
        for (guint k = 0; k < drill->n_kiosks; k++)
          if (!exchange (drill, k, 0, error))
            return FALSE;
    }
    drill->final_s = (g_get_monotonic_time () - f0) / 1e6;
  }
  drill->total_s = (g_get_monotonic_time () - t0) / 1e6;
  stop_receiver (drill, FALSE);
  return sd_drill_prove (drill, out_result, error);
}

/* ---- one kiosk's stretch, in a process of its own ---- */

gboolean
sd_drill_step (const char  *dir,
               guint        kiosk,
               gint64       until_ms,
               GError     **error)
{
  g_autofree char *plan_path = g_build_filename (dir, "drill.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(json_t) plan = NULL;
  g_autoptr(SdScenario) scenario = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdExerciseEngine) engine = NULL;
  g_auto(GStrv) groups = NULL;
  json_t *kiosks, *me;
  gsize n;

  if (!g_file_get_contents (plan_path, &text, NULL, error) ||
      (plan = sd_json_parse (text, strlen (text), 0, error)) == NULL)
    return FALSE;
  kiosks = json_object_get (plan, "kiosks");
  n = json_array_size (kiosks);
  if ((me = json_array_get (kiosks, kiosk)) == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("The drill in %s has no kiosk %u."), dir,
                   kiosk);
      return FALSE;
    }
  groups = g_new0 (char *, n + 1);
  for (gsize k = 0; k < n; k++)
    groups[k] = g_strdup (json_string_value (json_object_get (json_array_get (kiosks, k), "shelters")));
  if ((scenario = sd_scenario_load (json_string_value (json_object_get (plan, "scenario")), error)) == NULL ||
      (store = sd_store_open (json_string_value (json_object_get (me, "path")), SD_STORE_OPEN_DEFAULT, error)) == NULL ||
      (engine = sd_exercise_engine_new (store, scenario, (guint64) json_integer_value (json_object_get (plan, "seed")),
                                        json_integer_value (json_object_get (plan, "start_at")), error)) == NULL ||
      !sd_exercise_engine_set_part (engine, (const char *const *) groups, (int) kiosk, error))
    return FALSE;
  sd_exercise_engine_set_clock_ahead (engine, json_integer_value (json_object_get (me, "ahead_ms")));
  sd_exercise_engine_set_scans (engine, TRUE);
  /* Unit by unit, as a desk writes: a kill lands between two, or in one. */
  return sd_exercise_engine_run_until (engine, until_ms, FALSE, error);
}
