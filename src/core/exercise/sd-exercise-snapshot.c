/* sd-exercise-snapshot.c: what every desk showed at any moment of a recorded day, from the records' own times.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each "newest" is chosen the way the kept state chooses it
 * (person_state by HLC then id, safety_state by answer time, HLC, id,
 * support_state by report time, HLC, id), among the rows dated at or
 * before the moment: so at the end of the day the snapshot is the kept
 * state, and at any moment before it what the kept state was then.
 */
#include "sd-exercise-snapshot.h"

#include "sd-date.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

static void
shelter_snapshot_clear (gpointer data)
{
  SdExerciseShelterSnapshot *shelter = data;

  g_free (shelter->code);
}

void
sd_exercise_snapshot_free (SdExerciseSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->shelters, g_array_unref);
  g_free (snapshot);
}

static gboolean
read_people (SdStore             *store,
             SdExerciseSnapshot  *snapshot,
             GError             **error)
{
  g_autoptr(GHashTable) households = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) shelters = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (snapshot->at / 1000);
  g_autoptr(GDate) day = g_date_new_dmy (g_date_time_get_day_of_month (at), g_date_time_get_month (at),
                                         g_date_time_get_year (at));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sd_store_prepare (store,
    "SELECT coalesce (sh.code, ''), s.kind = 'go_out', p.household_id, p.birth_date, "
    "  coalesce (p.allergies, '') != '', coalesce (p.illness, '') != '', p.pregnant != 0, "
    "  coalesce (p.disability, '') != '', p.care_level IS NOT 'none', coalesce (p.mobility, '') != '', "
    "  coalesce (p.language, '') != '' AND p.language != 'ja' "
    "FROM (SELECT person_id, kind, shelter_id, "
    "        row_number () OVER (PARTITION BY person_id ORDER BY hlc DESC, id DESC) AS newest "
    "      FROM person_events WHERE kind != 'supply' AND at <= ?1) s "
    "JOIN persons p ON p.id = s.person_id LEFT JOIN shelters sh ON sh.id = s.shelter_id "
    "WHERE s.newest = 1 AND (s.kind = 'arrive' OR s.kind = 'return' OR s.kind = 'go_out') "
    "ORDER BY 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, snapshot->at);
  while ((rc = _sd_store_step (store, stmt, _("read the day"), error)) == SQLITE_ROW)
    {
      const char *code = _sd_column_text (stmt, 0);
      gboolean out = sqlite3_column_int (stmt, 1);
      const char *birth = _sd_column_text (stmt, 3);
      SdExerciseShelterSnapshot *shelter;
      gpointer index;
      static const SdNeed flags[] = { SD_NEED_ALLERGY, SD_NEED_ILLNESS, SD_NEED_PREGNANT, SD_NEED_DISABILITY,
                                      SD_NEED_CARE, SD_NEED_MOBILITY, SD_NEED_LANGUAGE };

      snapshot->staying++;
      if (out)
        snapshot->out_now++;
      else
        snapshot->in_shelter++;
      g_hash_table_add (households, g_strdup (_sd_column_text (stmt, 2)));
      for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
        snapshot->needs[flags[i]] += sqlite3_column_int (stmt, 4 + (int) i) != 0;
      if (birth != NULL && sd_date_age_on (birth, day) == 0)
        snapshot->needs[SD_NEED_INFANT]++;
      if (!g_hash_table_lookup_extended (shelters, code, NULL, &index))
        {
          SdExerciseShelterSnapshot fresh = { g_strdup (code), 0, 0 };

          g_array_append_val (snapshot->shelters, fresh);
          index = GUINT_TO_POINTER (snapshot->shelters->len - 1);
          /* The key lives as long as the array's copy. */
          g_hash_table_insert (shelters, g_array_index (snapshot->shelters, SdExerciseShelterSnapshot,
                                                        snapshot->shelters->len - 1).code, index);
        }
      shelter = &g_array_index (snapshot->shelters, SdExerciseShelterSnapshot, GPOINTER_TO_UINT (index));
      if (out)
        shelter->out_now++;
      else
        shelter->in_shelter++;
    }
  sqlite3_reset (stmt);
  snapshot->households = g_hash_table_size (households);
  return rc == SQLITE_DONE;
}

static gboolean
read_safety (SdStore             *store,
             SdExerciseSnapshot  *snapshot,
             GError             **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT (SELECT count (*) FROM staff WHERE active = 1), count (a.id), "
    "  coalesce (sum (a.safety = 'unhurt'), 0), coalesce (sum (a.safety != 'unhurt'), 0), "
    "  coalesce (sum (a.can_report), 0) "
    "FROM (SELECT id FROM rollcalls WHERE started_at <= ?1 ORDER BY started_at DESC, id DESC LIMIT 1) r "
    "LEFT JOIN (SELECT id, rollcall_id, safety, can_report, "
    "             row_number () OVER (PARTITION BY rollcall_id, staff_id "
    "                                 ORDER BY answered_at DESC, hlc DESC, id DESC) AS newest "
    "           FROM safety_answers WHERE answered_at <= ?1) a ON a.rollcall_id = r.id AND a.newest = 1",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, snapshot->at);
  rc = _sd_store_step (store, stmt, _("read the day"), error);
  if (rc == SQLITE_ROW)
    {
      snapshot->roster = (guint) sqlite3_column_int64 (stmt, 0);
      snapshot->answered = (guint) sqlite3_column_int64 (stmt, 1);
      snapshot->unhurt = (guint) sqlite3_column_int64 (stmt, 2);
      snapshot->injured = (guint) sqlite3_column_int64 (stmt, 3);
      snapshot->can_report = (guint) sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  /* No roll-call yet: nothing answered, and the roster as it is. */
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static gboolean
read_support (SdStore             *store,
              SdExerciseSnapshot  *snapshot,
              GError             **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT count (*), coalesce (sum (r.status IS NULL OR r.status = 'unconfirmed'), 0) "
    "FROM support_persons p LEFT JOIN "
    "  (SELECT support_person_id, status, "
    "     row_number () OVER (PARTITION BY support_person_id ORDER BY reported_at DESC, hlc DESC, id DESC) AS newest "
    "   FROM support_reports WHERE reported_at <= ?1) r ON r.support_person_id = p.id AND r.newest = 1 "
    "WHERE p.listed = 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, snapshot->at);
  rc = _sd_store_step (store, stmt, _("read the day"), error);
  if (rc == SQLITE_ROW)
    {
      snapshot->support_listed = (guint) sqlite3_column_int64 (stmt, 0);
      snapshot->support_unconfirmed = (guint) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

SdExerciseSnapshot *
sd_exercise_snapshot_at (SdStore  *store,
                         gint64    at,
                         GError  **error)
{
  g_autoptr(SdExerciseSnapshot) snapshot = g_new0 (SdExerciseSnapshot, 1);

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  snapshot->at = at;
  snapshot->shelters = g_array_new (FALSE, TRUE, sizeof (SdExerciseShelterSnapshot));
  g_array_set_clear_func (snapshot->shelters, shelter_snapshot_clear);
  if (!read_people (store, snapshot, error) || !read_safety (store, snapshot, error) ||
      !read_support (store, snapshot, error))
    return NULL;
  return g_steal_pointer (&snapshot);
}
