/* sd-exercise-live.c: a running exercise as every desk on its file sees it: the shared clock, the injects and their timers, observations.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-exercise-live.h"

#include "sd-error.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static const char *const state_names[] = { "ready", "running", "paused", "ended" };

void
sd_exercise_clock_clear (SdExerciseClock *clock)
{
  g_clear_pointer (&clock->scenario_name, g_free);
  g_clear_pointer (&clock->scenario_sha256, g_free);
}

gboolean
sd_exercise_get_clock (SdStore          *store,
                       SdExerciseClock  *out,
                       GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store) && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  stmt = _sd_store_prepare (store, "SELECT state, clock_ms, coalesce (wall_at, 0), speed, start_at, seed, "
                                   "  scenario_name, scenario_sha256 FROM exercise_run WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = _sd_store_step (store, stmt, _("read the exercise"), error);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("No scenario has been started here."));
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    if (g_strcmp0 (_sd_column_text (stmt, 0), state_names[i]) == 0)
      out->state = (SdExerciseState) i;
  out->clock_ms = sqlite3_column_int64 (stmt, 1);
  out->wall_at = sqlite3_column_int64 (stmt, 2);
  out->speed = sqlite3_column_int (stmt, 3);
  out->start_at = sqlite3_column_int64 (stmt, 4);
  out->seed = (guint64) sqlite3_column_int64 (stmt, 5);
  out->scenario_name = g_strdup (_sd_column_text (stmt, 6));
  out->scenario_sha256 = g_strdup (_sd_column_text (stmt, 7));
  sqlite3_reset (stmt);
  return TRUE;
}

gint64
sd_exercise_clock_now (const SdExerciseClock *clock,
                       gint64                 wall_ms)
{
  /* As fast as possible has no wall-clock pace: it is where the engine is. */
  if (clock->state != SD_EXERCISE_RUNNING || clock->speed <= 0)
    return clock->clock_ms;
  return clock->clock_ms + MAX (wall_ms - clock->wall_at, 0) * clock->speed;
}

static gint64
wall_now (void)
{
  return g_get_real_time () / 1000;
}

/* Exercise time now, from the file; -1 (with ERROR) when there is none. */
static gint64
now_of (SdStore  *store,
        GError  **error)
{
  SdExerciseClock clock;
  gint64 now;

  if (!sd_exercise_get_clock (store, &clock, error))
    return -1;
  now = sd_exercise_clock_now (&clock, wall_now ());
  sd_exercise_clock_clear (&clock);
  return now;
}

/* Re-anchors the clock at now, then sets what SQL sets (bound: ?1 the
 * exercise time now, ?2 the wall clock, ?3 NUMBER). */
static gboolean
update_clock (SdStore     *store,
              const char  *sql,
              gint64       number,
              GError     **error)
{
  g_autoptr(SdTxn) txn = _sd_store_begin (store, error);
  sqlite3_stmt *stmt;
  gint64 now;

  if (txn == NULL)
    return FALSE;
  now = now_of (store, error);
  if (now < 0)
    return FALSE;
  stmt = _sd_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, wall_now ());
  sqlite3_bind_int64 (stmt, 3, number);
  if (!_sd_store_exec (store, stmt, _("save the exercise"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("The exercise has ended."));
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_exercise_set_speed (SdStore  *store,
                       gint      speed,
                       GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (speed < 0 || speed > 3600)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("A speed is 1 to 3600 times the clock, or as fast as possible."));
      return FALSE;
    }
  return update_clock (store, "UPDATE exercise_run SET clock_ms = ?1, wall_at = ?2, speed = ?3 "
                              "WHERE id = 1 AND state != 'ended'", speed, error);
}

gboolean
sd_exercise_pause (SdStore  *store,
                   GError  **error)
{
  return update_clock (store, "UPDATE exercise_run SET clock_ms = ?1, wall_at = ?2, state = 'paused' "
                              "WHERE id = 1 AND state != 'ended' AND ?3 = 0", 0, error);
}

gboolean
sd_exercise_resume (SdStore  *store,
                    GError  **error)
{
  return update_clock (store, "UPDATE exercise_run SET clock_ms = ?1, wall_at = ?2, state = 'running' "
                              "WHERE id = 1 AND state != 'ended' AND ?3 = 0", 0, error);
}

typedef struct {
  SdStore *store;         /* not a reference: the clock belongs to it */
  gint64   read_at;       /* monotonic µs of the last read */
  gboolean known;
  SdExerciseClock clock;
} FollowedClock;

static gint64
followed_clock (gpointer data)
{
  FollowedClock *followed = data;
  gint64 mono = g_get_monotonic_time ();

  if (mono - followed->read_at > 200 * 1000 || followed->read_at == 0)
    {
      sqlite3_stmt *stmt = NULL;
      sqlite3 *db = _sd_store_get_db (followed->store);

      followed->read_at = mono;
      followed->known = FALSE;
      /* Its own statement: the clock is read inside the store's own
       * statements' transactions, and must not reset one of theirs. */
      if (sqlite3_prepare_v2 (db, "SELECT state, clock_ms, coalesce (wall_at, 0), speed, start_at "
                                  "FROM exercise_run WHERE id = 1", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *state = (const char *) sqlite3_column_text (stmt, 0);

          followed->known = TRUE;
          followed->clock.state = g_strcmp0 (state, "running") == 0 ? SD_EXERCISE_RUNNING
                                  : g_strcmp0 (state, "ended") == 0 ? SD_EXERCISE_ENDED : SD_EXERCISE_PAUSED;
          followed->clock.clock_ms = sqlite3_column_int64 (stmt, 1);
          followed->clock.wall_at = sqlite3_column_int64 (stmt, 2);
          followed->clock.speed = sqlite3_column_int (stmt, 3);
          followed->clock.start_at = sqlite3_column_int64 (stmt, 4);
        }
      sqlite3_finalize (stmt);
    }
  if (!followed->known)
    return g_get_real_time () / 1000;
  return followed->clock.start_at + sd_exercise_clock_now (&followed->clock, g_get_real_time () / 1000);
}

void
sd_exercise_follow_clock (SdStore *store)
{
  FollowedClock *followed;

  g_return_if_fail (SD_IS_STORE (store));

  followed = g_new0 (FollowedClock, 1);
  followed->store = store;
  g_object_set_data_full (G_OBJECT (store), "sd-exercise-followed-clock", followed, g_free);
  sd_store_set_clock (store, followed_clock, followed);
}

/* ---- injects ---- */

struct _SdExerciseInject {
  GObject parent_instance;
  char   *serial, *state, *type, *method, *sender, *recipient, *description, *expected, *action, *done_by;
  gint64  due, planned, delivered, acknowledged, done;
};

G_DEFINE_FINAL_TYPE (SdExerciseInject, sd_exercise_inject, G_TYPE_OBJECT)

static void
sd_exercise_inject_finalize (GObject *object)
{
  SdExerciseInject *self = SD_EXERCISE_INJECT (object);

  g_free (self->serial);
  g_free (self->state);
  g_free (self->type);
  g_free (self->method);
  g_free (self->sender);
  g_free (self->recipient);
  g_free (self->description);
  g_free (self->expected);
  g_free (self->action);
  g_free (self->done_by);
  G_OBJECT_CLASS (sd_exercise_inject_parent_class)->finalize (object);
}

static void
sd_exercise_inject_class_init (SdExerciseInjectClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_exercise_inject_finalize;
}

static void
sd_exercise_inject_init (SdExerciseInject *self)
{
}

#define INJECT_COLUMNS \
  "serial, state, type, method, sender, recipient, description, expected, action, done_by, due_ms, planned_ms, " \
  "coalesce (delivered_ms, -1), coalesce (acknowledged_ms, -1), coalesce (done_ms, -1)"

static SdExerciseInject *
inject_from_row (sqlite3_stmt *stmt)
{
  SdExerciseInject *self = g_object_new (SD_TYPE_EXERCISE_INJECT, NULL);
  char **texts[] = { &self->serial, &self->state, &self->type, &self->method, &self->sender, &self->recipient,
                     &self->description, &self->expected, &self->action, &self->done_by };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    *texts[i] = g_strdup (_sd_column_text (stmt, (int) i));
  self->due = sqlite3_column_int64 (stmt, 10);
  self->planned = sqlite3_column_int64 (stmt, 11);
  self->delivered = sqlite3_column_int64 (stmt, 12);
  self->acknowledged = sqlite3_column_int64 (stmt, 13);
  self->done = sqlite3_column_int64 (stmt, 14);
  return self;
}

const char *sd_exercise_inject_get_serial (SdExerciseInject *self) { return self->serial; }
gint64 sd_exercise_inject_get_due (SdExerciseInject *self) { return self->due; }
gint64 sd_exercise_inject_get_planned (SdExerciseInject *self) { return self->planned; }
const char *sd_exercise_inject_get_state (SdExerciseInject *self) { return self->state; }
const char *sd_exercise_inject_get_type_text (SdExerciseInject *self) { return self->type; }
const char *sd_exercise_inject_get_method (SdExerciseInject *self) { return self->method; }
const char *sd_exercise_inject_get_sender (SdExerciseInject *self) { return self->sender; }
const char *sd_exercise_inject_get_recipient (SdExerciseInject *self) { return self->recipient; }
const char *sd_exercise_inject_get_description (SdExerciseInject *self) { return self->description; }
const char *sd_exercise_inject_get_expected (SdExerciseInject *self) { return self->expected; }
const char *sd_exercise_inject_get_action (SdExerciseInject *self) { return self->action; }
gint64 sd_exercise_inject_get_delivered (SdExerciseInject *self) { return self->delivered; }
gint64 sd_exercise_inject_get_acknowledged (SdExerciseInject *self) { return self->acknowledged; }
gint64 sd_exercise_inject_get_done (SdExerciseInject *self) { return self->done; }
const char *sd_exercise_inject_get_done_by (SdExerciseInject *self) { return self->done_by; }

/* "S01 受付", "S01": TEXT names CODE as a word of its own. */
static gboolean
names_code (const char *text,
            const char *code)
{
  g_auto(GStrv) words = g_strsplit_set (text, " 　,、/", -1);

  return g_strv_contains ((const char *const *) words, code);
}

gboolean
sd_exercise_inject_is_for (SdExerciseInject *self,
                           const char       *shelter_code)
{
  static const char *const everyone[] = { "全員", "all", "everyone", "全部署", NULL };
  static const char *const shelters[] = { "全避難所", "all shelters", NULL };
  static const char *const hq[] = { "本部", "災害対策本部", "hq", "HQ", NULL };
  const char *to = self->recipient;

  if (to == NULL || *to == '\0')
    return FALSE;
  for (guint i = 0; everyone[i] != NULL; i++)
    if (g_str_has_prefix (to, everyone[i]))
      return TRUE;
  if (shelter_code == NULL)
    {
      for (guint i = 0; hq[i] != NULL; i++)
        if (strstr (to, hq[i]) != NULL)
          return TRUE;
      return FALSE;
    }
  for (guint i = 0; shelters[i] != NULL; i++)
    if (g_str_has_prefix (to, shelters[i]))
      return TRUE;
  return names_code (to, shelter_code);
}

static GListModel *
list_where (SdStore     *store,
            gboolean     open_only,
            const char  *shelter_code,
            GError     **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_EXERCISE_INJECT);
  sqlite3_stmt *stmt;
  int rc;

  stmt = open_only
         ? _sd_store_prepare (store, "SELECT " INJECT_COLUMNS " FROM exercise_injects "
                                     "WHERE state = 'delivered' OR state = 'acknowledged' ORDER BY due_ms, serial", error)
         : _sd_store_prepare (store, "SELECT " INJECT_COLUMNS " FROM exercise_injects ORDER BY due_ms, serial", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the exercise"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdExerciseInject) inject = inject_from_row (stmt);

      if (!open_only || sd_exercise_inject_is_for (inject, shelter_code))
        g_list_store_append (list, inject);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

GListModel *
sd_exercise_list_injects (SdStore  *store,
                          GError  **error)
{
  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  return list_where (store, FALSE, NULL, error);
}

GListModel *
sd_exercise_list_open_injects (SdStore     *store,
                               const char  *shelter_code,
                               GError     **error)
{
  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  return list_where (store, TRUE, shelter_code, error);
}

/* Moves SERIAL on by SQL (?1 serial, ?2 exercise time now, ?3 TEXT),
 * which changes nothing when the inject is not in a state for it: then
 * WHY (a message) is the error. */
static gboolean
move_inject (SdStore     *store,
             const char  *serial,
             const char  *sql,
             const char  *text,
             gint64       time_ms,
             const char  *why,
             GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (SD_IS_STORE (store) && serial != NULL, FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  now = now_of (store, error);
  if (now < 0)
    return FALSE;
  stmt = _sd_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, time_ms >= 0 ? time_ms : now);
  if (text != NULL)
    sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
  if (!_sd_store_exec (store, stmt, _("save the exercise"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error_literal (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, why);
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

gboolean
sd_exercise_acknowledge (SdStore     *store,
                         const char  *serial,
                         GError     **error)
{
  g_autofree char *why = g_strdup_printf (_("Inject %s is not waiting to be acknowledged (it is not delivered yet, or someone "
                        "acknowledged it already)."), serial);

  return move_inject (store, serial, "UPDATE exercise_injects SET state = 'acknowledged', acknowledged_ms = ?2 "
                                     "WHERE serial = ?1 AND state = 'delivered'", NULL, -1,
                      why, error);
}

gboolean
sd_exercise_mark_done (SdStore     *store,
                       const char  *serial,
                       const char  *by,
                       GError     **error)
{
  if (g_strcmp0 (by, "player") != 0 && g_strcmp0 (by, "facilitator") != 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("Done by a player or the facilitator."));
      return FALSE;
    }
  /* Done without an acknowledgement: acknowledged then too. */
  g_autofree char *why = g_strdup_printf (_("Inject %s is not open: it is not delivered yet, or it is done or skipped."), serial);

  return move_inject (store, serial, "UPDATE exercise_injects SET state = 'done', done_ms = ?2, done_by = ?3, "
                                     "  acknowledged_ms = coalesce (acknowledged_ms, ?2) "
                                     "WHERE serial = ?1 AND (state = 'delivered' OR state = 'acknowledged')", by, -1,
                      why, error);
}

gboolean
sd_exercise_skip (SdStore     *store,
                  const char  *serial,
                  GError     **error)
{
  g_autofree char *why = g_strdup_printf (_("Inject %s was delivered already: it can no longer be skipped."), serial);

  return move_inject (store, serial, "UPDATE exercise_injects SET state = 'skipped' "
                                     "WHERE serial = ?1 AND state = 'pending'", NULL, -1,
                      why, error);
}

gboolean
sd_exercise_deliver_now (SdStore     *store,
                         const char  *serial,
                         GError     **error)
{
  g_autofree char *why = g_strdup_printf (_("Inject %s is not waiting to be delivered."), serial);

  return move_inject (store, serial, "UPDATE exercise_injects SET due_ms = ?2 WHERE serial = ?1 AND state = 'pending'",
                      NULL, -1, why, error);
}

gboolean
sd_exercise_retime (SdStore     *store,
                    const char  *serial,
                    gint64       due_ms,
                    GError     **error)
{
  if (due_ms < 0 || due_ms > 7 * 24 * 3600000LL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("An inject is due within a week of T+0."));
      return FALSE;
    }
  g_autofree char *why = g_strdup_printf (_("Inject %s was delivered already: it can no longer be re-timed."), serial);

  return move_inject (store, serial, "UPDATE exercise_injects SET due_ms = ?2 WHERE serial = ?1 AND state = 'pending'",
                      NULL, due_ms, why, error);
}

gboolean
sd_exercise_add_observation (SdStore     *store,
                             const char  *serial,
                             const char  *text,
                             GError     **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *tidy = g_strstrip (g_strdup (text != NULL ? text : ""));
  sqlite3_stmt *stmt;
  gint64 now;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  if (*tidy == '\0' || g_utf8_strlen (tidy, -1) > 2000 || !g_utf8_validate (tidy, -1, NULL))
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, _("An observation is 1 to 2000 characters."));
      return FALSE;
    }
  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  now = now_of (store, error);
  if (now < 0)
    return FALSE;
  stmt = _sd_store_prepare (store, "INSERT INTO exercise_observations (at_ms, serial, text, written_at) "
                                   "SELECT ?1, ?2, ?3, ?4 WHERE ?2 IS NULL OR EXISTS "
                                   "  (SELECT 1 FROM exercise_injects WHERE serial = ?2)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (serial != NULL)
    sqlite3_bind_text (stmt, 2, serial, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, tidy, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, wall_now ());
  if (!_sd_store_exec (store, stmt, _("save the exercise"), error))
    return FALSE;
  if (sqlite3_changes (_sd_store_get_db (store)) == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no inject %s."), serial);
      return FALSE;
    }
  return _sd_txn_commit (g_steal_pointer (&txn), error);
}

const char *
sd_exercise_inject_state_label (const char *state)
{
  if (g_strcmp0 (state, "pending") == 0)
    /* Translators: an exercise inject not delivered yet */
    return C_("inject", "Not delivered");
  if (g_strcmp0 (state, "delivered") == 0)
    /* Translators: an exercise inject delivered to its players, not yet acknowledged */
    return C_("inject", "Delivered");
  if (g_strcmp0 (state, "acknowledged") == 0)
    return C_("inject", "Acknowledged");
  if (g_strcmp0 (state, "done") == 0)
    return C_("inject", "Done");
  return C_("inject", "Skipped");
}

/* ---- observations ---- */

struct _SdExerciseObservation {
  GObject parent_instance;
  gint64  at;
  char   *serial, *text;
};

G_DEFINE_FINAL_TYPE (SdExerciseObservation, sd_exercise_observation, G_TYPE_OBJECT)

static void
sd_exercise_observation_finalize (GObject *object)
{
  SdExerciseObservation *self = SD_EXERCISE_OBSERVATION (object);

  g_free (self->serial);
  g_free (self->text);
  G_OBJECT_CLASS (sd_exercise_observation_parent_class)->finalize (object);
}

static void
sd_exercise_observation_class_init (SdExerciseObservationClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_exercise_observation_finalize;
}

static void
sd_exercise_observation_init (SdExerciseObservation *self)
{
}

gint64 sd_exercise_observation_get_at (SdExerciseObservation *self) { return self->at; }
const char *sd_exercise_observation_get_serial (SdExerciseObservation *self) { return self->serial; }
const char *sd_exercise_observation_get_text (SdExerciseObservation *self) { return self->text; }

GListModel *
sd_exercise_list_observations (SdStore  *store,
                               GError  **error)
{
  g_autoptr(GListStore) list = g_list_store_new (SD_TYPE_EXERCISE_OBSERVATION);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, "SELECT at_ms, serial, text FROM exercise_observations ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the exercise"), error)) == SQLITE_ROW)
    {
      g_autoptr(SdExerciseObservation) observation = g_object_new (SD_TYPE_EXERCISE_OBSERVATION, NULL);

      observation->at = sqlite3_column_int64 (stmt, 0);
      /* NULL stays NULL: an observation about no inject. */
      observation->serial = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      observation->text = g_strdup (_sd_column_text (stmt, 2));
      g_list_store_append (list, observation);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return NULL;
  return G_LIST_MODEL (g_steal_pointer (&list));
}

/* Whether a fault whose shelter has CODE (NULL: everywhere) acts at
 * SHELTER_CODE, or else at the site enrolled as SITE_NAME. */
static gboolean
fault_is_here (const char *code,
               const char *shelter_code,
               const char *site_name)
{
  if (code == NULL)
    return TRUE;
  if (shelter_code != NULL)
    return g_str_equal (code, shelter_code);
  return site_name != NULL && names_code (site_name, code);
}

/* Whether a fault of KIND holds now where fault_is_here () says; in
 * *UNTIL_MS the exercise time the last of them ends, -1 for never. */
static gboolean
fault_holds (SdStore    *store,
             const char *kind,
             const char *shelter_code,
             const char *site_name,
             gint64     *until_ms)
{
  sqlite3_stmt *stmt;
  gboolean holds = FALSE;
  gint64 now, until = 0;

  if (!sd_store_get_is_exercise (store) || (now = now_of (store, NULL)) < 0)
    return FALSE;
  stmt = _sd_store_prepare (store, "SELECT f.until_ms, s.code FROM exercise_faults f LEFT JOIN shelters s "
                                   "  ON s.id = f.shelter_id WHERE f.kind = ?1 AND f.from_ms <= ?2 "
                                   "  AND (f.until_ms IS NULL OR f.until_ms > ?2)", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now);
  while (_sd_store_step (store, stmt, _("read the exercise"), NULL) == SQLITE_ROW)
    {
      if (!fault_is_here ((const char *) sqlite3_column_text (stmt, 1), shelter_code, site_name))
        continue;
      holds = TRUE;
      /* The latest end of the faults that hold: it is over when every
       * one of them is. */
      if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
        until = -1;
      else if (until >= 0)
        until = MAX (until, sqlite3_column_int64 (stmt, 0));
    }
  sqlite3_reset (stmt);
  if (until_ms != NULL)
    *until_ms = holds ? until : 0;
  return holds;
}

gboolean
sd_exercise_fault_now (SdStore    *store,
                       const char *kind,
                       const char *shelter_code)
{
  g_return_val_if_fail (SD_IS_STORE (store) && kind != NULL, FALSE);

  return fault_holds (store, kind, shelter_code, NULL, NULL);
}

gboolean
sd_exercise_network_down_for (SdStore    *store,
                              const char *site_name,
                              gint64     *until_ms)
{
  g_return_val_if_fail (SD_IS_STORE (store), FALSE);

  return fault_holds (store, "network", NULL, site_name, until_ms);
}
