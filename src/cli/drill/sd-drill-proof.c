/* sd-drill-proof.c: the end of a drill: HQ's figures against the scenario's own, and every site alike.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The scenario's own figures are those of its reference day: the same
 * scenario and seed played on one database (reference.sqlite), which the
 * engine makes record for record what the split day makes (sd-exercise.c).
 * HQ's status report of every shelter and of all, each roll-call's safety
 * summary and who has not answered, and the support list's counts, its
 * districts and its unconfirmed people must equal them exactly.
 */
#include "sd-drill-private.h"

#include "sd-error.h"
#include "sd-json.h"
#include "sd-person.h"
#include "sd-report.h"
#include "sd-safety.h"
#include "sd-shelter.h"
#include "sd-staff.h"
#include "sd-support.h"
#include "sd-sync.h"

#include <glib/gi18n-lib.h>
#include <string.h>

int
sd_drill_compare_strings (gconstpointer a,
                          gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
append_numbers (GString     *out,
                const char  *label,
                const guint *numbers,
                gsize        n)
{
  g_string_append_printf (out, " %s=", label);
  for (gsize i = 0; i < n; i++)
    g_string_append_printf (out, "%s%u", i > 0 ? "," : "", numbers[i]);
}

static gboolean
append_status (SdStore     *store,
               GString     *out,
               const char  *code,
               GError     **error)
{
  g_autoptr(SdShelter) shelter = code != NULL ? sd_store_find_shelter (store, code, error) : NULL;
  SdShelterStatus *status;

  if (code != NULL && shelter == NULL)
    return FALSE;
  status = sd_store_compute_shelter_status (store, shelter != NULL ? sd_shelter_get_id (shelter) : NULL, error);
  if (status == NULL)
    return FALSE;
  g_string_append_printf (out, "status %s: persons=%u households=%u pets=%u", code != NULL ? code : "all",
                          status->persons, status->households, status->households_with_pets);
  append_numbers (out, "sex-age", &status->by_sex_age[0][0], sizeof status->by_sex_age / sizeof (guint));
  append_numbers (out, "needs", status->needs, SD_N_NEEDS);
  append_numbers (out, "stays", (const guint *) &status->stays, sizeof status->stays / sizeof (guint));
  g_string_append (out, " lifelines=");
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? "," : "", sd_lifeline_state_to_string (status->lifelines[i]));
  g_string_append_c (out, '\n');
  sd_shelter_status_free (status);
  return TRUE;
}

static gboolean
append_safety (SdStore     *store,
               GString     *out,
               GError     **error)
{
  g_autoptr(GListModel) rollcalls = sd_store_list_rollcalls (store, error);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (rollcalls == NULL)
    return FALSE;
  for (guint r = 0; r < g_list_model_get_n_items (rollcalls); r++)
    {
      g_autoptr(SdRollcall) rollcall = g_list_model_get_item (rollcalls, r);
      const char *id = sd_rollcall_get_id (rollcall);
      g_autoptr(SdSafetyCount) count = sd_store_count_safety (store, id, error);
      g_autoptr(GListModel) missing = sd_store_list_safety_missing (store, id, error);
      g_autoptr(GString) line = g_string_new (NULL);
      const char *const *departments;
      SdSafetyTotals totals;

      if (count == NULL || missing == NULL)
        return FALSE;
      g_string_printf (line, "safety %s:", sd_rollcall_get_title (rollcall));
      sd_safety_count_totals (count, NULL, NULL, &totals);
      append_numbers (line, "all", (const guint *) &totals, sizeof totals / sizeof (guint));
      departments = sd_safety_count_departments (count);
      for (guint d = 0; departments[d] != NULL; d++)
        {
          sd_safety_count_totals (count, departments[d], NULL, &totals);
          append_numbers (line, departments[d], (const guint *) &totals, sizeof totals / sizeof (guint));
        }
      g_string_append (line, " missing=");
      for (guint m = 0; m < g_list_model_get_n_items (missing); m++)
        {
          g_autoptr(SdStaff) staff = g_list_model_get_item (missing, m);

          g_string_append_printf (line, "%s%s", m > 0 ? "," : "", sd_staff_get_staff_no (staff));
        }
      g_ptr_array_add (lines, g_string_free (g_steal_pointer (&line), FALSE));
    }
  /* By title: the two sites' roll-calls are the same, their order on the list is by time. */
  g_ptr_array_sort (lines, sd_drill_compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return TRUE;
}

static gboolean
append_support (SdStore     *store,
                GString     *out,
                GError     **error)
{
  guint counts[SD_N_SUPPORT_STATUSES];
  SdSupportFilter filter = { .by_status = TRUE, .status = SD_SUPPORT_UNCONFIRMED };
  g_autofree char *districts = NULL, *unconfirmed = NULL;
  g_autoptr(json_t) people = NULL;

  if (!sd_support_count_statuses (store, counts, error) ||
      (districts = sd_support_districts_json (store, error)) == NULL ||
      (unconfirmed = sd_support_list_json (store, &filter, error)) == NULL ||
      (people = sd_json_parse (unconfirmed, strlen (unconfirmed), 0, error)) == NULL)
    return FALSE;
  append_numbers (out, "support", counts, SD_N_SUPPORT_STATUSES);
  g_string_append_printf (out, "\nsupport districts: %s\nsupport unconfirmed:", districts);
  for (gsize i = 0; i < json_array_size (people); i++)
    g_string_append_printf (out, " %s", json_string_value (json_object_get (json_array_get (people, i), "id")));
  g_string_append_c (out, '\n');
  return TRUE;
}

/* What HQ reviews, as text, in a fixed order. */
static char *
figures_of (SdDrill     *drill,
            SdStore     *store,
            GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      g_auto(GStrv) codes = g_strsplit (drill->groups[k], ",", -1);

      for (guint c = 0; codes[c] != NULL; c++)
        if (!append_status (store, out, codes[c], error))
          return NULL;
    }
  if (!append_status (store, out, NULL, error) || !append_safety (store, out, error) ||
      !append_support (store, out, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
fixed_clock (gpointer data)
{
  return *(gint64 *) data;
}

/* The first line where A and B differ, for the person reading why. */
static char *
first_difference (const char *a,
                  const char *b)
{
  g_auto(GStrv) x = g_strsplit (a, "\n", -1);
  g_auto(GStrv) y = g_strsplit (b, "\n", -1);

  for (guint i = 0; x[i] != NULL || y[i] != NULL; i++)
    if (x[i] == NULL || y[i] == NULL || !g_str_equal (x[i], y[i]))
      return g_strdup_printf ("line %u: “%.300s” ≠ “%.300s”", i + 1, x[i] != NULL ? x[i] : "(none)",
                              y[i] != NULL ? y[i] : "(none)");
  return NULL;
}

static gboolean
write_text (SdDrill     *drill,
            const char  *name,
            const char  *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (drill->options->out, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

/* With a card station, every card holder the kiosks registered went
 * through the reader, but where the scenario had failed it (typed by
 * hand there).  NULL without a station. */
static json_t *
cards_read (SdDrill  *drill,
            gboolean *ok)
{
  guint intakes = 0, by_hand = 0, reads;
  double seconds;

  *ok = TRUE;
  if (drill->cards == NULL)
    return json_null ();
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      intakes += drill->kiosks[k].card_intakes;
      by_hand += drill->kiosks[k].card_by_hand;
    }
  reads = sd_drill_cards_get_reads (drill->cards, &seconds);
  *ok = reads > 0 && reads + by_hand == intakes;
  if (!*ok)
    sd_drill_note (drill, "cards", FALSE, _("%u card holders were registered at the kiosks, %u cards were read and %u "
                                            "typed by hand."), intakes, reads, by_hand);
  return json_pack ("{s:i, s:i, s:i, s:f, s:b}", "intakes", (int) intakes, "read", (int) reads, "by_hand",
                    (int) by_hand, "read_seconds", seconds, "all_read", *ok);
}

/* Every fault the scenario names was played, as the design says. */
static json_t *
faults_missing (SdDrill *drill)
{
  json_t *missing = json_array ();

  for (guint i = 0; i < sd_scenario_get_n_injects (drill->scenario); i++)
    {
      const SdInject *inject = sd_scenario_get_inject (drill->scenario, i);
      const char *kind = sd_drill_fault_to_string (inject->action.drill);
      gboolean seen = FALSE;

      if (inject->action.kind != SD_ACTION_DRILL || inject->action.drill == SD_DRILL_CLOCK_AHEAD)
        continue;
      for (gsize e = 0; e < json_array_size (drill->events); e++)
        {
          json_t *event = json_array_get (drill->events, e);

          seen |= g_strcmp0 (json_string_value (json_object_get (event, "kind")), kind) == 0 &&
                  json_is_true (json_object_get (event, "expected"));
        }
      if (!seen)
        json_array_append_new (missing, json_string (kind));
    }
  return missing;
}

/* The kiosks whose clock ran ahead: HQ flagged each (sync_clock_flags). */
static json_t *
clocks_flagged (SdDrill  *drill,
                gboolean *all)
{
  json_t *flags = json_array ();

  *all = TRUE;
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      sqlite3_stmt *stmt = NULL;
      gint64 ahead = -1;

      if (drill->kiosks[k].ahead_ms <= 0)
        continue;
      if (sqlite3_prepare_v2 (drill->hq_read, "SELECT ahead_ms FROM sync_clock_flags WHERE origin = ?1", -1, &stmt,
                              NULL) == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, drill->kiosks[k].site_id, -1, SQLITE_STATIC);
          if (sqlite3_step (stmt) == SQLITE_ROW)
            ahead = sqlite3_column_int64 (stmt, 0);
        }
      sqlite3_finalize (stmt);
      *all &= ahead > 0;
      json_array_append_new (flags, json_pack ("{s:s, s:I, s:I}", "kiosk", drill->kiosks[k].name, "ahead_ms",
                                               (json_int_t) drill->kiosks[k].ahead_ms, "flagged_ahead_ms",
                                               (json_int_t) ahead));
    }
  return flags;
}

gboolean
sd_drill_prove (SdDrill  *drill,
                json_t  **out_result,
                GError  **error)
{
  g_autofree char *reference_path = g_build_filename (drill->options->out, "reference.sqlite", NULL);
  g_autoptr(SdStore) reference = sd_store_open (reference_path, SD_STORE_OPEN_DEFAULT, error);
  g_autofree char *expected = NULL, *got = NULL, *hq_dump = NULL, *figures_diff = NULL;
  g_autoptr(json_t) result = json_object ();
  json_t *kiosks = json_array (), *proof = json_object (), *missing, *flags, *cards;
  gint64 at = drill->options->start_at + sd_scenario_get_end_ms (drill->scenario);
  gboolean dumps_equal = TRUE, checks_ok = TRUE, flagged, cards_ok, holds;
  g_autoptr(GError) local = NULL;
  g_autofree char *text = NULL, *result_path = NULL;

  if (reference == NULL)
    return FALSE;
  /* Both as of the scenario's end (ages in the report count from now). */
  g_clear_pointer (&drill->hq_engine, sd_exercise_engine_free);
  sd_store_set_clock (drill->hq, fixed_clock, &at);
  sd_store_set_clock (reference, fixed_clock, &at);
  if ((expected = figures_of (drill, reference, error)) == NULL || (got = figures_of (drill, drill->hq, error)) == NULL ||
      !write_text (drill, "figures-scenario.txt", expected, error) || !write_text (drill, "figures-hq.txt", got, error) ||
      (hq_dump = sd_sync_canonical_dump (drill->hq, error)) == NULL)
    return FALSE;
  figures_diff = first_difference (expected, got);
  if (!sd_store_check (drill->hq, &local))
    {
      checks_ok = FALSE;
      sd_drill_note (drill, "check", FALSE, _("HQ's database fails its check: %s"), local->message);
      g_clear_error (&local);
    }
  for (guint k = 0; k < drill->n_kiosks; k++)
    {
      SdDrillKiosk *kiosk = &drill->kiosks[k];
      g_autofree char *dump = NULL, *diff = NULL, *first = NULL;
      gboolean check;

      sd_drill_close_kiosk_engine (kiosk);
      if ((dump = sd_sync_canonical_dump (kiosk->store, error)) == NULL)
        return FALSE;
      diff = first_difference (hq_dump, dump);
      dumps_equal &= diff == NULL;
      check = sd_store_check (kiosk->store, &local);
      checks_ok &= check;
      if (!check)
        sd_drill_note (drill, "check", FALSE, _("%s's database fails its check: %s"), kiosk->name, local->message);
      g_clear_error (&local);
      first = kiosk->first_at_hq >= 0 ? sd_scenario_format_time (kiosk->first_at_hq) : NULL;
      json_array_append_new (kiosks, json_pack ("{s:s, s:s, s:I, s:s?, s:b, s:s?, s:b, s:i, s:i, s:i}", "name",
                                                kiosk->name, "shelters", drill->groups[k], "ahead_ms",
                                                (json_int_t) kiosk->ahead_ms, "first_at_hq", first, "same_as_hq",
                                                diff == NULL, "difference", diff, "check", check,
                                                "staff_answers", (int) kiosk->answers, "answers_on_paper",
                                                (int) kiosk->answers_on_paper, "support_confirmed",
                                                (int) kiosk->support_reports));
    }
  missing = faults_missing (drill);
  flags = clocks_flagged (drill, &flagged);
  cards = cards_read (drill, &cards_ok);
  holds = figures_diff == NULL && dumps_equal && checks_ok && drill->unexpected == 0 && json_array_size (missing) == 0 &&
          flagged && cards_ok;

  json_object_set_new (proof, "holds", json_boolean (holds));
  json_object_set_new (proof, "figures_equal", json_boolean (figures_diff == NULL));
  json_object_set_new (proof, "figures_difference", figures_diff != NULL ? json_string (figures_diff) : json_null ());
  json_object_set_new (proof, "dumps_equal", json_boolean (dumps_equal));
  json_object_set_new (proof, "checks_pass", json_boolean (checks_ok));
  json_object_set_new (proof, "unexpected", json_integer (drill->unexpected));
  json_object_set_new (proof, "faults_not_played", missing);
  json_object_set_new (proof, "clocks_flagged", flags);
  json_object_set_new (proof, "cards", cards);

  json_object_set_new (result, "scenario", json_string (sd_scenario_get_name (drill->scenario)));
  json_object_set_new (result, "seed", json_integer ((json_int_t) drill->options->seed));
  json_object_set_new (result, "kiosks", kiosks);
  json_object_set_new (result, "proof", proof);
  json_object_set_new (result, "seconds",
                       json_pack ("{s:f, s:f, s:f, s:f, s:f}", "setup", drill->setup_s, "reference", drill->reference_s,
                                  "day", drill->day_s, "last_round_trip", drill->final_s, "total", drill->total_s));
  json_object_set_new (result, "runners", json_integer (drill->n_runners));
  json_object_set_new (result, "changes_by_stick", json_integer (drill->stick_changes));
  json_object_set_new (result, "changes_by_network", json_integer (drill->network_changes));
  json_object_set (result, "back_online", drill->returns);
  json_object_set (result, "arrivals", drill->arrivals);
  json_object_set (result, "events", drill->events);

  text = json_dumps (result, JSON_INDENT (2));
  result_path = g_build_filename (drill->options->out, "result.json", NULL);
  if (!g_file_set_contents (result_path, text, -1, error))
    return FALSE;
  *out_result = g_steal_pointer (&result);
  return TRUE;
}
