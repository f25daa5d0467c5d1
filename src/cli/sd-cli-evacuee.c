/* sd-cli-evacuee.c: evacuee add, search and show; check-in events; enquiries; the status report.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `evacuee add` reads a household as JSON (see README.md) and, like the
 * desk, refuses to save a member who may already be registered unless
 * told --allow-duplicates: it never merges anyone on its own.
 */
#include "sd-cli-private.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* ---- JSON out ---- */

static const char *
status_id (SdPersonStatus status)
{
  return sd_person_status_to_string (status);
}

static void
add_string (json_t     *o,
            const char *name,
            const char *value)
{
  json_object_set_new (o, name, sd_json_text (value));
}

static json_t *
person_json (SdPerson *p)
{
  json_t *b = json_object ();

  add_string (b, "id", sd_person_get_id (p));
  add_string (b, "household_id", sd_person_get_household_id (p));
  add_string (b, "name", sd_person_get_name (p));
  add_string (b, "kana", sd_person_get_kana (p));
  add_string (b, "birth_date", sd_person_get_birth_date (p));
  add_string (b, "sex", sd_sex_to_string (sd_person_get_sex (p)));
  add_string (b, "address", sd_person_get_address (p));
  add_string (b, "phone", sd_person_get_phone (p));
  json_object_set_new (b, "consent_disclose", json_boolean (sd_person_get_consent_disclose (p)));
  add_string (b, "status", status_id (sd_person_get_status (p)));
  add_string (b, "stay", sd_stay_to_string (sd_person_get_stay (p)));
  add_string (b, "shelter", sd_person_get_shelter_name (p));
  add_string (b, "allergies", sd_person_get_allergies (p));
  add_string (b, "illness", sd_person_get_illness (p));
  json_object_set_new (b, "pregnant", json_boolean (sd_person_get_pregnant (p)));
  add_string (b, "disability", sd_person_get_disability (p));
  add_string (b, "care_level", sd_care_level_to_string (sd_person_get_care_level (p)));
  add_string (b, "mobility", sd_person_get_mobility (p));
  add_string (b, "language", sd_person_get_language (p));
  return b;
}

static void
print_persons (GListModel *persons,
               gboolean    json)
{
  guint n = g_list_model_get_n_items (persons);

  if (json)
    {
      g_autoptr(json_t) root = json_array ();

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdPerson) p = g_list_model_get_item (persons, i);
          json_array_append_new (root, person_json (p));
        }
      sd_cli_print_json (root);
      return;
    }

  {
    const char *const headings[] = { N_("Id"), N_("Name"), N_("Kana"), N_("Birth date"), N_("Status"), N_("Shelter"), NULL };
    g_autoptr(SdCliTable) table = sd_cli_table_new (G_N_ELEMENTS (headings) - 1, headings);

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(SdPerson) p = g_list_model_get_item (persons, i);
        sd_cli_table_add_row (table, sd_person_get_id (p), sd_person_get_name (p),
                              sd_person_get_kana (p) ? sd_person_get_kana (p) : "",
                              sd_person_get_birth_date (p) ? sd_person_get_birth_date (p) : "",
                              status_id (sd_person_get_status (p)),
                              sd_person_get_shelter_name (p) ? sd_person_get_shelter_name (p) : "");
      }
    sd_cli_table_print (table);
  }
}

/* ---- evacuee add ---- */

gboolean
sd_cli_run_evacuee_add (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdIntakeInput) input = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *household_id = NULL;
  SdHouseholdSpec *household;
  SdPersonSpec *members;
  gboolean json = FALSE, allow_duplicates = FALSE;
  const char *code;
  guint n_members = 0;
  gsize length = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "allow-duplicates", 0, 0, G_OPTION_ARG_NONE, &allow_duplicates,
      N_("Save even when a member may already be registered (after checking with them)"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 1, error))
    return FALSE;
  text = sd_cli_read_all ((*args)[1], &length, error);
  if (text == NULL)
    return FALSE;
  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                   _("The household is not UTF-8 text. Save it as UTF-8 and try again."));
      return FALSE;
    }
  /* The same strict check as every other way a household comes in. */
  input = sd_intake_input_new_from_json (text, length, error);
  if (input == NULL)
    {
      g_prefix_error (error, _("The household was not read, nothing was saved: "));
      return FALSE;
    }
  household = sd_intake_input_get_household (input);
  members = sd_intake_input_get_members (input, &n_members);

  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL)
    return FALSE;

  code = sd_intake_input_get_shelter (input);
  if (code == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("The household needs a “shelter” code."));
      return FALSE;
    }
  if ((shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;
  household->shelter_id = sd_shelter_get_id (shelter);

  /* Like the desk: a person who may be registered already is a question
   * for a person, not something to decide here. */
  if (!allow_duplicates)
    for (guint i = 0; i < n_members; i++)
      {
        SdPersonSpec *spec = &members[i];
        g_autoptr(GListModel) dups = NULL;
        gboolean capped = FALSE;

        if (spec->existing_id != NULL)
          continue;
        dups = sd_store_find_duplicates (store, spec, household->address, &capped, error);
        if (dups == NULL)
          return FALSE;
        if (capped && g_list_model_get_n_items (dups) == 0)
          {
            g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                         _("Member %u: more than %d people born that day have this name or kana, too many to "
                           "compare, so nothing was saved. Check by hand; if it is a new person, run again "
                           "with --allow-duplicates."), i + 1, SD_DUPLICATES_EXAMINED);
            return FALSE;
          }
        if (g_list_model_get_n_items (dups) > 0)
          {
            GString *who = g_string_new (NULL);

            for (guint d = 0; d < g_list_model_get_n_items (dups); d++)
              {
                g_autoptr(SdPerson) p = g_list_model_get_item (dups, d);
                g_string_append_printf (who, "\n  %s  %s  %s", sd_person_get_id (p), sd_person_get_name (p),
                                        sd_person_get_birth_date (p) ? sd_person_get_birth_date (p) : "");
              }
            g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_EXISTS,
                         _("Member %u may already be registered, so nothing was saved. If it is the same "
                           "person, give their id as “existing_id”; if not, run again with "
                           "--allow-duplicates.%s"), i + 1, who->str);
            g_string_free (who, TRUE);
            return FALSE;
          }
      }

  household_id = sd_store_add_household (store, household, members, n_members, ids, error);
  if (household_id == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) out = json_object ();
      json_t *list = json_array ();

      add_string (out, "household_id", household_id);
      json_object_set_new (out, "person_ids", list);
      for (guint i = 0; i < ids->len; i++)
        json_array_append_new (list, sd_json_text (g_ptr_array_index (ids, i)));
      sd_cli_print_json (out);
    }
  else
    {
      g_print (_("Registered the household %s:\n"), household_id);
      for (guint i = 0; i < ids->len; i++)
        g_print ("  %s\n", (char *) g_ptr_array_index (ids, i));
    }
  return TRUE;
}

/* ---- search, show, enquire ---- */

gboolean
sd_cli_run_evacuee_search (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) found = NULL;
  gboolean json = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most this many results"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (found = sd_store_search_persons (store, (*args)[1], CLAMP (limit, 1, 1000), error)) == NULL)
    return FALSE;
  print_persons (found, json);
  return TRUE;
}

gboolean
sd_cli_run_enquire (SdCli   *cli,
                    GStrv   *args,
                    GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) found = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (found = sd_store_enquire (store, (*args)[1], error)) == NULL)
    return FALSE;
  if (!json && g_list_model_get_n_items (found) == 0)
    g_print ("%s\n", _("No one who agreed to be found matches."));
  else
    print_persons (found, json);
  return TRUE;
}

gboolean
sd_cli_run_evacuee_show (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPerson) person = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autoptr(GListModel) history = NULL;
  g_autoptr(json_t) root = json_object ();
  json_t *household, *events;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (person = sd_store_get_person (store, (*args)[1], error)) == NULL ||
      (members = sd_store_list_household_members (store, sd_person_get_household_id (person), error)) == NULL ||
      (history = sd_store_list_person_events (store, sd_person_get_id (person), error)) == NULL)
    return FALSE;

  if (!json)
    {
      g_autoptr(GListStore) one = g_list_store_new (SD_TYPE_PERSON);

      g_list_store_append (one, person);
      print_persons (G_LIST_MODEL (one), FALSE);
      g_print ("\n%s\n", _("Household:"));
      print_persons (members, FALSE);
      g_print ("\n%s\n", _("History:"));
      for (guint i = 0; i < g_list_model_get_n_items (history); i++)
        {
          g_autoptr(SdPersonEvent) e = g_list_model_get_item (history, i);
          g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sd_person_event_get_at (e) / 1000);
          g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M");

          g_print ("  %s  %-7s %s  %s\n", when, sd_event_kind_to_string (sd_person_event_get_kind (e)),
                   sd_person_event_get_shelter_code (e) ? sd_person_event_get_shelter_code (e) : "",
                   sd_person_event_get_staff_name (e) ? sd_person_event_get_staff_name (e) : "");
        }
      return TRUE;
    }

  json_object_set_new (root, "person", person_json (person));
  household = json_array ();
  json_object_set_new (root, "household", household);
  for (guint i = 0; i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(SdPerson) m = g_list_model_get_item (members, i);
      json_array_append_new (household, person_json (m));
    }
  events = json_array ();
  json_object_set_new (root, "history", events);
  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(SdPersonEvent) e = g_list_model_get_item (history, i);
      json_t *b = json_object ();

      add_string (b, "id", sd_person_event_get_id (e));
      add_string (b, "kind", sd_event_kind_to_string (sd_person_event_get_kind (e)));
      json_object_set_new (b, "at_ms", json_integer (sd_person_event_get_at (e)));
      add_string (b, "shelter", sd_person_event_get_shelter_code (e));
      add_string (b, "staff", sd_person_event_get_staff_name (e));
      json_array_append_new (events, b);
    }
  sd_cli_print_json (root);
  return TRUE;
}

/* ---- events ---- */

static gboolean
record (SdCli       *cli,
        GStrv       *args,
        SdEventKind  kind,
        GError     **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autoptr(SdPerson) person = NULL;
  g_autofree char *event = NULL;
  g_autofree char *code = NULL;
  g_autofree char *staff_no = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &code, N_("The shelter (needed to check in)"), N_("CODE") },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff_no, N_("Who records it"), N_("STAFF_NO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  if (kind == SD_EVENT_ARRIVE && !sd_cli_require_option (code, "--shelter", error))
    return FALSE;
  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL)
    return FALSE;
  if (code != NULL && (shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;
  if (staff_no != NULL && (staff = sd_store_find_staff (store, staff_no, error)) == NULL)
    return FALSE;

  event = sd_store_record_event (store, (*args)[1], kind, shelter ? sd_shelter_get_id (shelter) : NULL,
                                 staff ? sd_staff_get_id (staff) : NULL, error);
  if (event == NULL)
    return FALSE;
  person = sd_store_get_person (store, (*args)[1], error);
  /* A record merged into another: the event went to the record kept. */
  if (person != NULL && sd_person_get_merged_into (person) != NULL)
    {
      g_autofree char *kept = g_strdup (sd_person_get_merged_into (person));

      g_clear_object (&person);
      person = sd_store_get_person (store, kept, error);
    }
  if (person == NULL)
    return FALSE;

  if (shelter != NULL)
    {
      g_autoptr(SdShelter) now = sd_store_find_shelter (store, code, NULL);

      if (now != NULL && sd_shelter_get_over_capacity (now))
        g_printerr (_("Warning: %s is over its capacity (%u of %d).\n"), sd_shelter_get_code (now),
                    sd_shelter_get_occupancy (now), sd_shelter_get_capacity (now));
    }

  if (json)
    {
      g_autoptr(json_t) root = json_object ();

      add_string (root, "event_id", event);
      add_string (root, "person_id", sd_person_get_id (person));
      add_string (root, "kind", sd_event_kind_to_string (kind));
      add_string (root, "status", status_id (sd_person_get_status (person)));
      sd_cli_print_json (root);
    }
  else
    g_print (_("Recorded %s for %s; status now: %s.\n"), sd_event_kind_to_string (kind),
             sd_person_get_id (person), status_id (sd_person_get_status (person)));
  return TRUE;
}

gboolean sd_cli_run_checkin (SdCli *cli, GStrv *args, GError **error) { return record (cli, args, SD_EVENT_ARRIVE, error); }
gboolean sd_cli_run_checkout (SdCli *cli, GStrv *args, GError **error) { return record (cli, args, SD_EVENT_LEAVE, error); }
gboolean sd_cli_run_goout (SdCli *cli, GStrv *args, GError **error) { return record (cli, args, SD_EVENT_GO_OUT, error); }
gboolean sd_cli_run_return (SdCli *cli, GStrv *args, GError **error) { return record (cli, args, SD_EVENT_RETURN, error); }

/* ---- report shelter-status ---- */

gboolean
sd_cli_run_report_status (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdShelterStatus) status = NULL;
  g_autofree char *code = NULL;
  g_autofree char *format = NULL;
  g_autofree char *out = NULL, *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &code, N_("The shelter"), N_("CODE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("All shelters together"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv or pdf"), N_("FORMAT") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The file to write"), N_("FILE") },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ on PostgreSQL: count from this database (HQ’s database gives the site’s name)"), N_("CONNINFO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (format, "--format", error) ||
      !sd_cli_require_option (out, "--out", error))
    return FALSE;
  if ((code == NULL) == !all)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("Give either --shelter CODE or --all."));
      return FALSE;
    }
  if (g_strcmp0 (format, "csv") != 0 && g_strcmp0 (format, "pdf") != 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("The format is csv or pdf."));
      return FALSE;
    }
  store = sd_cli_open_store (cli, FALSE, error);
  if (store == NULL)
    return FALSE;
  if (conninfo != NULL)
    status = (pg = sd_cli_pg_open (conninfo, error)) != NULL ? sd_cli_pg_shelter_status (pg, store, code, error)
                                                             : NULL;
  else if (code == NULL || (shelter = sd_store_find_shelter (store, code, error)) != NULL)
    status = sd_store_compute_shelter_status (store, shelter ? sd_shelter_get_id (shelter) : NULL, error);
  if (status == NULL)
    return FALSE;

  if (g_str_equal (format, "pdf"))
    return sd_shelter_status_write_pdf (status, out, error);
  {
    g_autoptr(GFile) file = g_file_new_for_commandline_arg (out);
    g_autoptr(GFileOutputStream) stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE |
                                                                 G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);

    return stream != NULL &&
           sd_shelter_status_write_csv (status, G_OUTPUT_STREAM (stream), NULL, error) &&
           g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error);
  }
}

/* ---- shelter condition ---- */

static gboolean
record_condition (SdCli       *cli,
                  const char  *code,
                  char       **states,
                  const char  *supplies,
                  const char  *note,
                  const char  *staff_no,
                  GError     **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *id = NULL;
  SdShelterConditionSpec spec = { 0 };

  for (SdLifeline l = 0; l < SD_N_LIFELINES; l++)
    if (states[l] != NULL && !sd_lifeline_state_from_string (states[l], &spec.lifelines[l]))
      {
        g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                     _("“%s” is not a state: use ok, limited, out or unknown."), states[l]);
        return FALSE;
      }
  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL || (shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;
  if (staff_no != NULL && (staff = sd_store_find_staff (store, staff_no, error)) == NULL)
    return FALSE;
  spec.shelter_id = sd_shelter_get_id (shelter);
  spec.supply_requests = supplies;
  spec.note = note;
  spec.staff_id = staff ? sd_staff_get_id (staff) : NULL;
  id = sd_store_record_shelter_condition (store, &spec, error);
  if (id == NULL)
    return FALSE;
  g_print (_("Recorded the condition of %s.\n"), sd_shelter_get_code (shelter));
  return TRUE;
}

gboolean
sd_cli_run_shelter_condition (SdCli   *cli,
                              GStrv   *args,
                              GError **error)
{
  char *states[SD_N_LIFELINES] = { NULL };
  g_autofree char *supplies = NULL, *note = NULL, *staff_no = NULL;
  gboolean ok;
  const GOptionEntry entries[] = {
    { "electricity", 0, 0, G_OPTION_ARG_STRING, &states[SD_LIFELINE_ELECTRICITY], N_("ok, limited, out or unknown"), N_("STATE") },
    { "water", 0, 0, G_OPTION_ARG_STRING, &states[SD_LIFELINE_WATER], N_("ok, limited, out or unknown"), N_("STATE") },
    { "gas", 0, 0, G_OPTION_ARG_STRING, &states[SD_LIFELINE_GAS], N_("ok, limited, out or unknown"), N_("STATE") },
    { "communications", 0, 0, G_OPTION_ARG_STRING, &states[SD_LIFELINE_COMMUNICATIONS], N_("ok, limited, out or unknown"), N_("STATE") },
    { "toilets", 0, 0, G_OPTION_ARG_STRING, &states[SD_LIFELINE_TOILETS], N_("ok, limited, out or unknown"), N_("STATE") },
    { "supplies", 0, 0, G_OPTION_ARG_STRING, &supplies, N_("Supply requests"), N_("TEXT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note"), N_("TEXT") },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff_no, N_("Who records it"), N_("STAFF_NO") },
    G_OPTION_ENTRY_NULL
  };

  ok = sd_cli_parse_args (cli, entries, args, 1, 1, error) &&
       record_condition (cli, (*args)[1], states, supplies, note, staff_no, error);
  for (guint l = 0; l < SD_N_LIFELINES; l++)
    g_free (states[l]);
  return ok;
}
