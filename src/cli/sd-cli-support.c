/* sd-cli-support.c: the evacuation-support list from the command line.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `support import` compares a welfare system's CSV with the list and
 * applies it (or, with --preview, only shows what would change);
 * `support list`, `show`, `summary` read it; `support status` records a
 * status report.  A person is named by id or by the welfare system's
 * number.
 */
#include "sd-cli-private.h"

#include <glib/gi18n.h>

/* ---- support import ---- */

/* --column "HEADING=FIELD": the column headed HEADING read as FIELD
 * (a code of sd_support_field_to_string(), or "none"). */
static gboolean
apply_columns (SdSupportImport  *import,
               char            **columns,
               GError          **error)
{
  for (guint i = 0; columns != NULL && columns[i] != NULL; i++)
    {
      const char *eq = strrchr (columns[i], '=');
      g_autofree char *heading = eq != NULL ? g_strndup (columns[i], eq - columns[i]) : NULL;
      SdSupportField field = SD_SUPPORT_FIELD_NONE;
      gboolean found = FALSE;

      if (eq == NULL || (g_strcmp0 (eq + 1, "none") != 0 && !sd_support_field_from_string (eq + 1, &field)))
        {
          g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                       _("--column wants HEADING=FIELD, FIELD one of: external_id, name, kana, sex, birth_date, "
                         "address, phone, reason, care_level, disability, consent_share, contact_name, "
                         "contact_kana, contact_relation, contact_phone, contact_address, none"));
          return FALSE;
        }
      for (guint c = 0; c < sd_support_import_get_n_columns (import); c++)
        if (g_str_equal (sd_support_import_get_heading (import, c), heading))
          {
            found = TRUE;
            if (!sd_support_import_set_field (import, c, field, error))
              return FALSE;
          }
      if (!found)
        {
          g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("The file has no column headed “%s”."), heading);
          return FALSE;
        }
    }
  return TRUE;
}

static json_t *
mapping_json (SdSupportImport *import)
{
  json_t *columns = json_array ();

  for (guint c = 0; c < sd_support_import_get_n_columns (import); c++)
    json_array_append_new (columns,
                           json_pack ("{s:s, s:s?}", "heading", sd_support_import_get_heading (import, c),
                                      "field", sd_support_field_to_string (sd_support_import_get_field (import, c))));
  return columns;
}

static void
print_preview (SdSupportImport *import)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sd_support_import_diff_json (import);
  g_autoptr(json_t) diff = sd_json_parse (text, strlen (text), 0, &error);

  g_print ("%s\n", _("Columns:"));
  for (guint c = 0; c < sd_support_import_get_n_columns (import); c++)
    g_print ("  %s → %s\n", sd_support_import_get_heading (import, c),
             sd_support_field_label (sd_support_import_get_field (import, c)));
  for (guint i = 0; diff != NULL && i < json_array_size (diff); i++)
    {
      json_t *e = json_array_get (diff, i);
      json_t *fields = json_object_get (e, "fields");
      const char *change = json_string_value (json_object_get (e, "change"));

      g_print ("%s %s %s\n",
               g_str_equal (change, "new") ? _("New:") : g_str_equal (change, "changed") ? _("Changed:")
               : g_str_equal (change, "back") ? _("Listed again:") : _("No longer listed:"),
               json_string_value (json_object_get (e, "external_id")) ?: "",
               json_string_value (json_object_get (e, "name")) ?: "");
      for (guint k = 0; k < json_array_size (fields); k++)
        {
          json_t *f = json_array_get (fields, k);

          g_print ("    %s: %s → %s\n", json_string_value (json_object_get (f, "label")),
                   json_string_value (json_object_get (f, "before")) ?: "—",
                   json_string_value (json_object_get (f, "after")) ?: "—");
        }
    }
}

gboolean
sd_cli_run_support_import (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdSupportImport) import = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autofree char *encoding = NULL;
  g_auto(GStrv) columns = NULL;
  gboolean json = FALSE, preview = FALSE, remembered;
  guint counts[SD_N_SUPPORT_CHANGES];
  const GOptionEntry entries[] = {
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("The file’s encoding, UTF-8 or CP932 (default: found out)"), N_("NAME") },
    { "column", 0, 0, G_OPTION_ARG_STRING_ARRAY, &columns,
      N_("Read the column headed HEADING as FIELD (or none); may be repeated"), N_("HEADING=FIELD") },
    { "preview", 0, 0, G_OPTION_ARG_NONE, &preview, N_("Only show what would change; write nothing"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (csv = sd_cli_read_bytes ((*args)[1], error)) == NULL)
    return FALSE;
  if ((store = sd_cli_open_store (cli, !preview, error)) == NULL ||
      (import = sd_support_import_read (csv, encoding, error)) == NULL)
    return FALSE;
  remembered = sd_support_import_guess (import, store);
  if (!apply_columns (import, columns, error) || !sd_support_import_compare (import, store, error))
    return FALSE;
  for (guint c = 0; c < SD_N_SUPPORT_CHANGES; c++)
    counts[c] = sd_support_import_count (import, c);
  if (json)
    {
      g_autofree char *diff_text = sd_support_import_diff_json (import);
      g_autoptr(json_t) root = json_pack ("{s:s, s:b, s:b, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:o}",
                                          "encoding", sd_support_import_get_encoding (import),
                                          "applied", !preview, "remembered_columns", remembered,
                                          "rows", sd_support_import_get_n_rows (import),
                                          "new", counts[SD_SUPPORT_CHANGE_NEW],
                                          "changed", counts[SD_SUPPORT_CHANGE_CHANGED],
                                          "back", counts[SD_SUPPORT_CHANGE_BACK],
                                          "left", counts[SD_SUPPORT_CHANGE_LEFT],
                                          "same", sd_support_import_count_same (import),
                                          "can_tell_left", sd_support_import_can_tell_left (import),
                                          "columns", mapping_json (import));

      json_object_set_new (root, "changes", sd_json_parse (diff_text, strlen (diff_text), 0, NULL));
      if (!preview && !sd_support_import_apply (import, store, error))
        return FALSE;
      sd_cli_print_json (root);
      return TRUE;
    }
  if (preview)
    print_preview (import);
  else if (!sd_support_import_apply (import, store, error))
    return FALSE;
  g_print (preview ? _("Would import %u rows (%s): %u new, %u changed, %u listed again, %u no longer listed, "
                       "%u the same.\n")
                   : _("Imported %u rows (%s): %u new, %u changed, %u listed again, %u no longer listed, "
                       "%u the same.\n"),
           sd_support_import_get_n_rows (import), sd_support_import_get_encoding (import),
           counts[SD_SUPPORT_CHANGE_NEW], counts[SD_SUPPORT_CHANGE_CHANGED], counts[SD_SUPPORT_CHANGE_BACK],
           counts[SD_SUPPORT_CHANGE_LEFT], sd_support_import_count_same (import));
  if (!sd_support_import_can_tell_left (import))
    g_print ("%s\n", _("The file has no welfare system numbers: nobody was marked as no longer listed."));
  return TRUE;
}

/* ---- support list ---- */

/* A status given on the command line. */
static gboolean
parse_status (const char       *text,
              SdSupportStatus  *out,
              GError          **error)
{
  if (sd_support_status_from_string (text, out))
    return TRUE;
  g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
               _("“%s” is not a status: write unconfirmed, safe_home, evacuated, helping, injured or missing"), text);
  return FALSE;
}

/* --status STATUS into FILTER (none: every status). */
static gboolean
status_filter (const char       *status,
               SdSupportFilter  *filter,
               GError          **error)
{
  if (status == NULL)
    return TRUE;
  filter->by_status = parse_status (status, &filter->status, error);
  return filter->by_status;
}

gboolean
sd_cli_run_support_list (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *status = NULL, *district = NULL, *reason = NULL, *supporter = NULL, *text = NULL;
  g_autoptr(json_t) list = NULL;
  gboolean json = FALSE, with_left = FALSE;
  SdSupportFilter filter = { 0 };
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only this status: unconfirmed, safe_home, evacuated, helping, injured, missing"), N_("STATUS") },
    { "district", 0, 0, G_OPTION_ARG_STRING, &district, N_("Only this district (町丁目)"), N_("DISTRICT") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Only people whose reason contains WORD"), N_("WORD") },
    { "supporter", 0, 0, G_OPTION_ARG_STRING, &supporter,
      N_("Only people with a supporter whose name or role contains WORD"), N_("WORD") },
    { "with-left", 0, 0, G_OPTION_ARG_NONE, &with_left, N_("Also people no longer listed"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = {
    _("District"), _("No."), _("Name"), _("Address"), _("Phone"), _("Reason"), _("Status"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (7, headings);

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) || !status_filter (status, &filter, error))
    return FALSE;
  filter.district = district;
  filter.reason = reason;
  filter.supporter = supporter;
  filter.with_left = with_left;
  if ((store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (text = sd_support_list_json (store, &filter, error)) == NULL ||
      (list = sd_json_parse (text, strlen (text), 0, error)) == NULL)
    return FALSE;
  if (json)
    {
      sd_cli_print_json (list);
      return TRUE;
    }
  for (guint i = 0; i < json_array_size (list); i++)
    {
      json_t *p = json_array_get (list, i);
      SdSupportStatus s = SD_SUPPORT_UNCONFIRMED;

      sd_support_status_from_string (json_string_value (json_object_get (p, "status")), &s);
      sd_cli_table_add_row (table, json_string_value (json_object_get (p, "district")),
                            json_string_value (json_object_get (p, "external_id")),
                            json_string_value (json_object_get (p, "name")),
                            json_string_value (json_object_get (p, "address")),
                            json_string_value (json_object_get (p, "phone")),
                            json_string_value (json_object_get (p, "reason")), sd_support_status_label (s));
    }
  if (json_array_size (list) == 0)
    g_print ("%s\n", _("Nobody on the support list matches."));
  else
    sd_cli_table_print (table);
  return TRUE;
}

/* ---- support show ---- */

gboolean
sd_cli_run_support_show (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *id = NULL, *text = NULL;
  g_autoptr(json_t) person = NULL;
  const GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (id = sd_store_find_support_person (store, (*args)[1], error)) == NULL ||
      (text = sd_support_person_json (store, id, error)) == NULL ||
      (person = sd_json_parse (text, strlen (text), 0, error)) == NULL)
    return FALSE;
  sd_cli_print_json (person);
  return TRUE;
}

/* ---- support status ---- */

gboolean
sd_cli_run_support_status (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *set = NULL, *shelter = NULL, *note = NULL, *by = NULL, *id = NULL, *report = NULL;
  SdSupportStatus status;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING, &set,
      N_("The status: unconfirmed, safe_home, evacuated, helping, injured, missing"), N_("STATUS") },
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &shelter, N_("For evacuated: the shelter’s code"), N_("CODE") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the report"), N_("TEXT") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("The staff number of who reported it"), N_("STAFF_NO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) || !sd_cli_require_option (set, "--set", error))
    return FALSE;
  if (!parse_status (set, &status, error))
    return FALSE;
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (id = sd_store_find_support_person (store, (*args)[1], error)) == NULL)
    return FALSE;
  if (by != NULL && (staff = sd_store_find_staff (store, by, error)) == NULL)
    return FALSE;
  report = sd_store_report_support_status (store, id, status, shelter, note,
                                           staff != NULL ? sd_staff_get_id (staff) : NULL, SD_SUPPORT_VIA_CLI, error);
  if (report == NULL)
    return FALSE;
  g_print ("%s\n", report);
  return TRUE;
}

/* ---- support summary ---- */

gboolean
sd_cli_run_support_summary (SdCli   *cli,
                            GStrv   *args,
                            GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *text = NULL;
  g_autoptr(json_t) districts = NULL, counts_json = json_object ();
  guint counts[SD_N_SUPPORT_STATUSES], total = 0;
  g_autofree char *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo, N_("At HQ on PostgreSQL: count there"), N_("CONNINFO") },
    G_OPTION_ENTRY_NULL
  };
  const char *const headings[] = { _("District"), _("Listed"), _("Unconfirmed"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (3, headings);

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL) ||
      !(pg != NULL ? sd_cli_pg_count_support (pg, counts, error) : sd_support_count_statuses (store, counts, error)) ||
      (text = pg != NULL ? sd_cli_pg_support_districts_json (pg, error)
                         : sd_support_districts_json (store, error)) == NULL ||
      (districts = sd_json_parse (text, strlen (text), 0, error)) == NULL)
    return FALSE;
  for (guint s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    {
      json_object_set_new (counts_json, sd_support_status_to_string (s), json_integer (counts[s]));
      total += counts[s];
    }
  if (json)
    {
      /* is_exercise first, where a person reading the report meets it first. */
      g_autoptr(json_t) root = json_pack ("{s:b, s:i, s:O, s:O}", "is_exercise", sd_store_get_is_exercise (store),
                                          "listed", total, "statuses", counts_json, "districts", districts);

      sd_cli_print_json (root);
      return TRUE;
    }
  g_print (_("Listed: %u\n"), total);
  for (guint s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    g_print ("  %s: %u\n", sd_support_status_label (s), counts[s]);
  for (guint i = 0; i < json_array_size (districts); i++)
    {
      json_t *d = json_array_get (districts, i);
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_integer_value (json_object_get (d, "listed")));
      g_autofree char *u = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            (gint64) json_integer_value (json_object_get (d, "unconfirmed")));

      sd_cli_table_add_row (table, json_string_value (json_object_get (d, "district")) ?: _("(no district)"), n, u);
    }
  sd_cli_table_print (table);
  return TRUE;
}

/* ---- support sheet ---- */

gboolean
sd_cli_run_support_sheet (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *status = NULL, *district = NULL, *supporter = NULL, *by = NULL, *pdf = NULL;
  gboolean as_csv = FALSE, by_supporter;
  SdSupportFilter filter = { 0 };
  guint people = 0;
  const GOptionEntry entries[] = {
    { "district", 0, 0, G_OPTION_ARG_STRING, &district, N_("Only this district (町丁目)"), N_("DISTRICT") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status,
      N_("Only this status: unconfirmed, safe_home, evacuated, helping, injured, missing"), N_("STATUS") },
    { "supporter", 0, 0, G_OPTION_ARG_STRING, &supporter,
      N_("Only people with a supporter whose name or role contains WORD"), N_("WORD") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &by, N_("A list a district (district, the default) or a supporter (supporter)"),
      N_("GROUP") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write visit lists to a PDF file, a page per group"), N_("FILE") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &as_csv, N_("Write CSV for Excel (UTF-8 with a BOM)"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) || !status_filter (status, &filter, error))
    return FALSE;
  if (by != NULL && !g_str_equal (by, "district") && !g_str_equal (by, "supporter"))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--by is district or supporter"));
      return FALSE;
    }
  if ((pdf == NULL) == !as_csv)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("Say --pdf FILE or --csv (one of them)"));
      return FALSE;
    }
  by_supporter = g_strcmp0 (by, "supporter") == 0;
  filter.district = district;
  filter.supporter = supporter;
  if ((store = sd_cli_open_store (cli, FALSE, error)) == NULL)
    return FALSE;
  if (pdf != NULL)
    {
      if (!sd_support_write_visit_lists (store, &filter, by_supporter, sd_store_get_site_name (store),
                                         sd_store_now_ms (store), pdf, &people, error))
        return FALSE;
      g_print (g_dngettext (NULL, "Wrote the visit lists of %u person to %s.\n",
                            "Wrote the visit lists of %u people to %s.\n", people), people, pdf);
      return TRUE;
    }
  {
    g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

    if (!sd_support_write_visit_csv (store, &filter, by_supporter, out, NULL, error) ||
        !g_output_stream_close (out, NULL, error))
      return FALSE;
    fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)), 1,
            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), stdout);
    return fflush (stdout) == 0;
  }
}
