/* sd-cli-safety.c: the staff safety commands of shelterdesk-cli: roll-calls, answers, totals, who is missing.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command works on the roll-call given with --rollcall, else on
 * the newest open one (what the desk opens on); the reading commands
 * fall back to the newest roll-call of all, so HQ can still review one
 * after closing it.  A drill is marked in every output: "drill": true in
 * JSON, and a line saying so above a table.
 */
#include <glib/gi18n.h>

#include "sd-cli-private.h"

/* The roll-call ID, else the newest open one, else (unless OPEN_ONLY)
 * the newest of all. */
static SdRollcall *
pick_rollcall (SdStore     *store,
               const char  *id,
               gboolean     open_only,
               GError     **error)
{
  g_autoptr(GListModel) all = NULL;
  GError *local_error = NULL;
  SdRollcall *rollcall;

  if (id != NULL)
    return sd_store_find_rollcall (store, id, error);
  rollcall = sd_store_current_rollcall (store, &local_error);
  if (rollcall != NULL || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return rollcall;
    }
  if (!open_only && (all = sd_store_list_rollcalls (store, error)) != NULL &&
      g_list_model_get_n_items (all) > 0)
    return g_list_model_get_item (all, 0);
  if (all != NULL || open_only)
    g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, "%s",
                 open_only ? _("No roll-call is open. HQ opens one with “safety open --title …”.")
                           : _("There is no roll-call yet. HQ opens one with “safety open --title …”."));
  return NULL;
}

static json_t *
rollcall_json (SdRollcall *rollcall)
{
  json_t *o = json_object ();
  g_autofree char *started = sd_cli_format_iso (sd_rollcall_get_started_at (rollcall));
  g_autofree char *closed = sd_cli_format_iso (sd_rollcall_get_closed_at (rollcall));

  json_object_set_new (o, "id", sd_json_text (sd_rollcall_get_id (rollcall)));
  json_object_set_new (o, "title", sd_json_text (sd_rollcall_get_title (rollcall)));
  json_object_set_new (o, "drill", json_boolean (sd_rollcall_get_is_drill (rollcall)));
  json_object_set_new (o, "started_at", sd_json_text (started));
  json_object_set_new (o, "closed_at", closed != NULL ? sd_json_text (closed) : json_null ());
  return o;
}

/* The line above a table: which roll-call, and a drill said as such. */
static void
print_rollcall_line (SdRollcall *rollcall)
{
  g_autofree char *started = sd_cli_format_iso (sd_rollcall_get_started_at (rollcall));

  g_print ("%s%s (%s%s)\n", sd_rollcall_get_is_drill (rollcall) ? _("[DRILL] ") : "",
           sd_rollcall_get_title (rollcall), started,
           sd_rollcall_get_is_open (rollcall) ? "" : _(", closed"));
}

/* ---- safety open / close / rollcalls ---- */

gboolean
sd_cli_run_safety_open (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autofree char *title = NULL;
  g_autofree char *started = NULL;
  gboolean drill = FALSE, json = FALSE;
  gint64 started_at = 0;
  const GOptionEntry entries[] = {
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, N_("What happened, for example “震度6強 地震”"), N_("TITLE") },
    { "drill", 0, 0, G_OPTION_ARG_NONE, &drill, N_("A drill: its answers are kept apart from real ones"), NULL },
    { "started", 0, 0, G_OPTION_ARG_STRING, &started,
      N_("When it began, ISO 8601 (default: now)"), N_("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (title, "--title", error))
    return FALSE;
  if (started != NULL)
    {
      g_autoptr(GTimeZone) local = g_time_zone_new_local ();
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (started, local);

      if (at == NULL)
        {
          g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                       _("“%s” is not a date and time: write it as 2026-12-03T02:15:00+09:00."), started);
          return FALSE;
        }
      started_at = g_date_time_to_unix (at) * 1000;
    }
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (rollcall = sd_store_open_rollcall (store, title, drill ? SD_ROLLCALL_DRILL : SD_ROLLCALL_REAL, started_at,
                                          NULL, error)) == NULL)
    return FALSE;
  if (json)
    {
      g_autoptr(json_t) root = rollcall_json (rollcall);

      sd_cli_print_json (root);
    }
  else
    g_print (drill ? _("Opened the drill roll-call %s.\n") : _("Opened the roll-call %s.\n"),
             sd_rollcall_get_id (rollcall));
  return TRUE;
}

gboolean
sd_cli_run_safety_close (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autofree char *id = NULL;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, TRUE, error)) == NULL ||
      !sd_store_close_rollcall (store, sd_rollcall_get_id (rollcall), NULL, error))
    return FALSE;
  g_print (_("Closed the roll-call “%s”.\n"), sd_rollcall_get_title (rollcall));
  return TRUE;
}

gboolean
sd_cli_run_safety_rollcalls (SdCli   *cli,
                             GStrv   *args,
                             GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = { _("Started"), _("Title"), _("Kind"), _("Closed"), _("ID"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (5, headings);
  g_autoptr(json_t) array = json_array ();

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (list = sd_store_list_rollcalls (store, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(SdRollcall) rollcall = g_list_model_get_item (list, i);
      g_autofree char *started = sd_cli_format_iso (sd_rollcall_get_started_at (rollcall));
      g_autofree char *closed = sd_cli_format_iso (sd_rollcall_get_closed_at (rollcall));

      json_array_append_new (array, rollcall_json (rollcall));
      sd_cli_table_add_row (table, started, sd_rollcall_get_title (rollcall),
                            sd_rollcall_get_is_drill (rollcall) ? _("drill") : _("real"),
                            closed != NULL ? closed : _("open"), sd_rollcall_get_id (rollcall));
    }
  if (json)
    sd_cli_print_json (array);
  else if (g_list_model_get_n_items (list) == 0)
    g_print ("%s\n", _("There is no roll-call yet."));
  else
    sd_cli_table_print (table);
  return TRUE;
}

/* ---- safety answer ---- */

/* Records one answer object; *OUT_ID is its id. */
static gboolean
record_answer (SdStore     *store,
               SdRollcall  *rollcall,
               json_t      *object,
               char       **out_id,
               GError     **error)
{
  g_autoptr(SdStaff) recorder = NULL;
  SdSafetyAnswerSpec spec;
  const char *recorded_by_no = NULL;

  /* At HQ's keyboard: the person themselves, or someone who called in. */
  if (!sd_safety_answer_from_json (object, NULL, SD_ANSWER_VIA_KIOSK, &spec, &recorded_by_no, error))
    return FALSE;
  if (recorded_by_no != NULL)
    {
      recorder = sd_store_find_staff (store, recorded_by_no, error);
      if (recorder == NULL)
        {
          g_prefix_error (error, "recorded_by: ");
          return FALSE;
        }
      spec.recorded_by = sd_staff_get_id (recorder);
    }
  *out_id = sd_store_record_safety_answer (store, sd_rollcall_get_id (rollcall), &spec, error);
  return *out_id != NULL;
}

gboolean
sd_cli_run_safety_answer (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(json_t) root = NULL;
  g_autoptr(json_t) ids = json_array ();
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  gboolean json = FALSE;
  gsize length = 0;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 1, error))
    return FALSE;
  text = sd_cli_read_all ((*args)[1], &length, error);
  if (text == NULL || (root = sd_json_parse (text, length, 0, error)) == NULL)
    return FALSE;
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, TRUE, error)) == NULL)
    return FALSE;

  /* One object, or a list of them: each is its own answer and its own
   * transaction, as if each person pressed "send"; the first bad one
   * stops the rest and says which it was. */
  for (gsize i = 0; i < (json_is_array (root) ? json_array_size (root) : 1); i++)
    {
      json_t *object = json_is_array (root) ? json_array_get (root, i) : root;
      g_autofree char *answer_id = NULL;

      if (!record_answer (store, rollcall, object, &answer_id, error))
        {
          if (json_is_array (root))
            g_prefix_error (error, _("answer %u (the ones before it were recorded): "), (guint) i + 1);
          return FALSE;
        }
      json_array_append_new (ids, sd_json_text (answer_id));
    }
  if (json)
    sd_cli_print_json (ids);
  else
    g_print (g_dngettext (NULL, "Recorded %u answer.\n", "Recorded %u answers.\n", json_array_size (ids)),
             (guint) json_array_size (ids));
  return TRUE;
}

/* ---- safety import ---- */

gboolean
sd_cli_run_safety_import (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *id = NULL;
  g_autofree char *encoding = NULL;
  gboolean json = FALSE;
  SdSafetyImport result;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("The file’s encoding, UTF-8 or CP932 (default: found out)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (csv = sd_cli_read_bytes ((*args)[1], error)) == NULL)
    return FALSE;
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, TRUE, error)) == NULL ||
      !sd_store_import_safety_csv (store, sd_rollcall_get_id (rollcall), csv, encoding, &result, error))
    return FALSE;
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:i, s:i, s:i}", "encoding", result.encoding, "answers",
                                          result.rows, "stored", result.stored, "already_imported", result.already);

      sd_cli_print_json (root);
    }
  else
    g_print (_("Imported %u answers (%s): %u new, %u imported before.\n"), result.rows, result.encoding,
             result.stored, result.already);
  sd_safety_import_clear (&result);
  return TRUE;
}

/* ---- safety list ---- */

static json_t *
answer_json (SdSafetyAnswer *a)
{
  json_t *o = json_object ();
  g_autofree char *at = sd_cli_format_iso (sd_safety_answer_get_answered_at (a));

  json_object_set_new (o, "staff_no", sd_json_text (sd_safety_answer_get_staff_no (a)));
  json_object_set_new (o, "name", sd_json_text (sd_safety_answer_get_name (a)));
  json_object_set_new (o, "department", sd_json_text (sd_safety_answer_get_department (a)));
  json_object_set_new (o, "section", sd_json_text (sd_safety_answer_get_section (a)));
  json_object_set_new (o, "rank", sd_json_text (sd_safety_answer_get_rank (a)));
  json_object_set_new (o, "safety", sd_json_text (sd_safety_to_string (sd_safety_answer_get_safety (a))));
  json_object_set_new (o, "location", sd_json_text (sd_where_to_string (sd_safety_answer_get_where (a))));
  json_object_set_new (o, "location_note", sd_json_text (sd_safety_answer_get_where_note (a)));
  json_object_set_new (o, "can_report", json_boolean (sd_safety_answer_get_can_report (a)));
  json_object_set_new (o, "means", sd_json_text (sd_means_to_string (sd_safety_answer_get_means (a))));
  json_object_set_new (o, "arrival", sd_json_text (sd_arrival_to_string (sd_safety_answer_get_arrival (a))));
  json_object_set_new (o, "message", sd_json_text (sd_safety_answer_get_message (a)));
  json_object_set_new (o, "answered_at", sd_json_text (at));
  json_object_set_new (o, "via", sd_json_text (sd_answer_via_to_string (sd_safety_answer_get_via (a))));
  json_object_set_new (o, "recorded_by", sd_json_text (sd_safety_answer_get_recorded_by_name (a)));
  json_object_set_new (o, "answers", json_integer (sd_safety_answer_get_n_answers (a)));
  return o;
}

gboolean
sd_cli_run_safety_list (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(GListModel) answers = NULL;
  g_autofree char *id = NULL;
  g_autofree char *history = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    { "history", 0, 0, G_OPTION_ARG_STRING, &history, N_("Every answer of one staff member, newest first"),
      N_("STAFF_NO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = {
    _("Answered"), _("No."), _("Name"), _("Department"), _("Section"), _("Safety"), _("Can report"),
    _("Within"), _("Message"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (9, headings);
  g_autoptr(json_t) array = json_array ();

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, FALSE, error)) == NULL)
    return FALSE;
  answers = history != NULL ? sd_store_list_safety_history (store, sd_rollcall_get_id (rollcall), history, error)
                            : sd_store_list_safety_answers (store, sd_rollcall_get_id (rollcall), error);
  if (answers == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (answers); i++)
    {
      g_autoptr(SdSafetyAnswer) a = g_list_model_get_item (answers, i);
      g_autofree char *at = sd_cli_format_iso (sd_safety_answer_get_answered_at (a));

      json_array_append_new (array, answer_json (a));
      sd_cli_table_add_row (table, at, sd_safety_answer_get_staff_no (a), sd_safety_answer_get_name (a),
                            sd_safety_answer_get_department (a), sd_safety_answer_get_section (a),
                            sd_safety_label (sd_safety_answer_get_safety (a)),
                            sd_cli_yes_no (sd_safety_answer_get_can_report (a)),
                            sd_arrival_label (sd_safety_answer_get_arrival (a)),
                            sd_safety_answer_get_message (a));
    }
  if (json)
    {
      g_autoptr(json_t) root = json_object ();

      json_object_set_new (root, "rollcall", rollcall_json (rollcall));
      json_object_set (root, "answers", array);
      sd_cli_print_json (root);
      return TRUE;
    }
  print_rollcall_line (rollcall);
  if (g_list_model_get_n_items (answers) == 0)
    g_print ("%s\n", _("No answers yet."));
  else
    sd_cli_table_print (table);
  return TRUE;
}

/* ---- safety summary ---- */

static json_t *
totals_json (const SdSafetyTotals *t)
{
  json_t *o = json_object ();
  json_t *safety = json_object ();
  json_t *within = json_object ();

  json_object_set_new (o, "roster", json_integer (t->roster));
  json_object_set_new (o, "answered", json_integer (t->answered));
  json_object_set_new (o, "not_answered", json_integer (t->roster - t->answered));
  for (guint s = 0; s < SD_N_SAFETY; s++)
    json_object_set_new (safety, sd_safety_to_string (s), json_integer (t->by_safety[s]));
  json_object_set_new (o, "safety", safety);
  json_object_set_new (o, "can_report", json_integer (t->can_report));
  json_object_set_new (o, "cannot_report", json_integer (t->cannot_report));
  /* Cumulative: how many can be at their post within each band. */
  for (guint b = SD_ARRIVAL_WITHIN_30M; b < SD_N_ARRIVAL; b++)
    json_object_set_new (within, sd_arrival_to_string (b), json_integer (sd_safety_totals_within (t, b)));
  json_object_set_new (o, "within", within);
  return o;
}

static void
add_totals_row (SdCliTable           *table,
                const char           *name,
                const SdSafetyTotals *t)
{
  char cells[10][16];

  g_snprintf (cells[0], sizeof cells[0], "%u", t->roster);
  g_snprintf (cells[1], sizeof cells[1], "%u", t->answered);
  for (guint s = 0; s < SD_N_SAFETY; s++)
    g_snprintf (cells[2 + s], sizeof cells[0], "%u", t->by_safety[s]);
  g_snprintf (cells[5], sizeof cells[0], "%u", t->can_report);
  for (guint b = SD_ARRIVAL_WITHIN_30M; b <= SD_ARRIVAL_WITHIN_3H; b++)
    g_snprintf (cells[5 + b], sizeof cells[0], "%u", sd_safety_totals_within (t, b));
  sd_cli_table_add_row (table, name, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6],
                        cells[7], cells[8], cells[9]);
}

gboolean
sd_cli_run_safety_summary (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(SdSafetyCount) count = NULL;
  g_autofree char *id = NULL, *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ on PostgreSQL: count the answers there (HQ’s database gives the roll-call)"), N_("CONNINFO") },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = {
    _("Department"), _("Staff"), _("Answered"), _("Unhurt"), _("Minor"), _("Serious"), _("Can report"),
    _("≤30 min"), _("≤1 h"), _("≤2 h"), _("≤3 h"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (11, headings);
  g_autoptr(json_t) departments = json_array ();
  const char *const *names;
  SdSafetyTotals all;

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, FALSE, error)) == NULL ||
      (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL) ||
      (count = pg != NULL ? sd_cli_pg_count_safety (pg, sd_rollcall_get_id (rollcall), error)
                          : sd_store_count_safety (store, sd_rollcall_get_id (rollcall), error)) == NULL)
    return FALSE;
  for (guint i = 1; i < 11; i++)
    sd_cli_table_align_right (table, i);
  sd_safety_count_totals (count, NULL, NULL, &all);
  names = sd_safety_count_departments (count);
  for (guint i = 0; names[i] != NULL; i++)
    {
      SdSafetyTotals t;
      json_t *o;

      sd_safety_count_totals (count, names[i], NULL, &t);
      o = totals_json (&t);
      json_object_set_new (o, "department", sd_json_text (names[i]));
      json_array_append_new (departments, o);
      add_totals_row (table, *names[i] != '\0' ? names[i] : _("(no department)"), &t);
    }
  add_totals_row (table, _("All"), &all);
  if (json)
    {
      g_autoptr(json_t) root = json_object ();

      /* First, where a person reading the report meets it first. */
      json_object_set_new (root, "is_exercise", json_boolean (sd_store_get_is_exercise (store)));
      json_object_set_new (root, "rollcall", rollcall_json (rollcall));
      json_object_set_new (root, "all", totals_json (&all));
      json_object_set (root, "departments", departments);
      sd_cli_print_json (root);
      return TRUE;
    }
  print_rollcall_line (rollcall);
  sd_cli_table_print (table);
  return TRUE;
}

/* ---- safety missing ---- */

gboolean
sd_cli_run_safety_missing (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(GListModel) missing = NULL;
  g_autoptr(GListStore) shown = g_list_store_new (SD_TYPE_STAFF);
  g_autofree char *id = NULL;
  g_autofree char *department = NULL;
  g_autofree char *pdf = NULL, *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gboolean as_csv = FALSE;
  const GOptionEntry entries[] = {
    { "rollcall", 0, 0, G_OPTION_ARG_STRING, &id, N_("The roll-call (default: the newest open one)"), N_("ID") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("Only this department"), N_("DEPARTMENT") },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ on PostgreSQL: the answers there (HQ’s database gives the roll-call and the roster)"),
      N_("CONNINFO") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &as_csv, N_("Write CSV for Excel (UTF-8 with a BOM)"), NULL },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write call sheets to a PDF file, a page per department"),
      N_("FILE") },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = {
    _("No."), _("Name"), _("Kana"), _("Department"), _("Section"), _("Rank"), _("Phone"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (7, headings);
  guint n;

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (rollcall = pick_rollcall (store, id, FALSE, error)) == NULL ||
      (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL) ||
      (missing = pg != NULL ? sd_cli_pg_safety_missing (pg, store, sd_rollcall_get_id (rollcall), error)
                            : sd_store_list_safety_missing (store, sd_rollcall_get_id (rollcall), error)) == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (missing); i++)
    {
      g_autoptr(SdStaff) s = g_list_model_get_item (missing, i);

      if (department != NULL && g_strcmp0 (sd_staff_get_department (s), department) != 0)
        continue;
      g_list_store_append (shown, s);
      sd_cli_table_add_row (table, sd_staff_get_staff_no (s), sd_staff_get_name (s), sd_staff_get_kana (s),
                            sd_staff_get_department (s), sd_staff_get_section (s), sd_staff_get_rank (s),
                            sd_staff_get_phone (s));
    }
  if (pdf != NULL)
    {
      if (!sd_safety_write_call_sheets (rollcall, G_LIST_MODEL (shown), sd_store_get_is_exercise (store),
                                        sd_store_get_site_name (store), sd_store_now_ms (store), pdf, error))
        return FALSE;
      g_print (_("Wrote the call sheets to %s.\n"), pdf);
      return TRUE;
    }
  if (as_csv)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (!sd_safety_write_missing_csv (G_LIST_MODEL (shown), sd_store_get_is_exercise (store), out, NULL, error) ||
          !g_output_stream_close (out, NULL, error))
        return FALSE;
      fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 1,
              g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), stdout);
      return fflush (stdout) == 0;
    }
  print_rollcall_line (rollcall);
  n = g_list_model_get_n_items (G_LIST_MODEL (shown));
  if (n == 0)
    g_print ("%s\n", _("Everyone has answered."));
  else
    {
      sd_cli_table_print (table);
      g_print (g_dngettext (NULL, "%u has not answered.\n", "%u have not answered.\n", n), n);
    }
  return TRUE;
}
