/* sd-cli-site.c: the commands about a whole site's database: init, info, check, seed load.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sd-cli-private.h"

/* ---- init ---- */

/* "init" must never turn somebody's file into a database: only a file
 * that already is a ShelterDesk database is opened, and an empty one,
 * which SQLite would happily fill, is refused. */
static gboolean
check_can_create (const char  *path,
                  GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *name = g_path_get_basename (path);
  GStatBuf st;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("The folder for “%s” does not exist. Create it first."), name);
      return FALSE;
    }
  if (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("“%s” already exists and is empty, not a ShelterDesk database. "
                     "Remove it or choose another name."), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_cli_run_init (SdCli   *cli,
                 GStrv   *args,
                 GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *site_name = NULL;
  g_autofree char *name = NULL;
  const char *path;
  gboolean existed;
  const GOptionEntry entries[] = {
    { "site-name", 0, 0, G_OPTION_ARG_STRING, &site_name, N_("The site’s name, as people will see it"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error))
    return FALSE;
  path = sd_cli_get_db_path (cli);
  if (path == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("No database given: use “--db FILE” or set SHELTERDESK_DB."));
      return FALSE;
    }
  name = g_path_get_basename (path);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);

  if (!check_can_create (path, error))
    return FALSE;
  store = sd_store_open (path, existed ? SD_STORE_OPEN_DEFAULT : SD_STORE_OPEN_CREATE, error);
  if (store == NULL)
    {
      if (existed)
        g_prefix_error (error, _("Nothing was created: "));
      return FALSE;
    }

  if (site_name != NULL && !sd_store_set_site_name (store, site_name, error))
    return FALSE;

  if (existed && site_name != NULL)
    g_print (_("“%s” is already a ShelterDesk database; its site name is now “%s”.\n"),
             name, sd_store_get_site_name (store));
  else if (existed)
    g_print (_("“%s” is already a ShelterDesk database; nothing was changed.\n"), name);
  else
    g_print (_("Created the database “%s” for the site “%s”.\n"), name, sd_store_get_site_name (store));
  return TRUE;
}

/* ---- info ---- */

static json_t *
build_info_json (SdStore             *store,
                 const SdStoreCounts *counts,
                 const char          *hlc)
{
  json_t *root = json_object ();
  json_t *c = json_object ();

  json_object_set_new (root, "site_id", sd_json_text (sd_store_get_site_id (store)));
  json_object_set_new (root, "site_name", sd_json_text (sd_store_get_site_name (store)));
  json_object_set_new (root, "schema_version", json_integer (sd_store_get_schema_version (store)));
  json_object_set_new (root, "is_demo", json_boolean (sd_store_get_is_demo (store)));
  json_object_set_new (root, "is_exercise", json_boolean (sd_store_get_is_exercise (store)));
  json_object_set_new (root, "hlc", sd_json_text (hlc));
  json_object_set_new (root, "counts", c);
#define ADD_COUNT(field) \
  json_object_set_new (c, #field, json_integer (counts->field));
  ADD_COUNT (shelters)
  ADD_COUNT (households)
  ADD_COUNT (persons)
  ADD_COUNT (events)
  ADD_COUNT (staff)
  ADD_COUNT (support_persons)
  ADD_COUNT (oplog)
#undef ADD_COUNT
  return root;
}

static void
add_count_row (SdCliTable *table,
               const char *label,
               guint       count)
{
  g_autofree char *text = g_strdup_printf ("%u", count);

  sd_cli_table_add_row (table, label, text);
}

static void
print_info_text (SdStore             *store,
                 const SdStoreCounts *counts,
                 const char          *hlc)
{
  g_autoptr(SdCliTable) table = sd_cli_table_new (2, NULL);
  g_autofree char *version = g_strdup_printf ("%d", sd_store_get_schema_version (store));

  sd_cli_table_add_row (table, _("Site id:"), sd_store_get_site_id (store));
  sd_cli_table_add_row (table, _("Site name:"), sd_store_get_site_name (store));
  sd_cli_table_add_row (table, _("Schema version:"), version);
  sd_cli_table_add_row (table, _("Demo data:"), sd_cli_yes_no (sd_store_get_is_demo (store)));
  sd_cli_table_add_row (table, _("Exercise:"), sd_cli_yes_no (sd_store_get_is_exercise (store)));
  sd_cli_table_add_row (table, _("Clock (HLC):"), hlc);
  add_count_row (table, _("Shelters:"), counts->shelters);
  add_count_row (table, _("Households:"), counts->households);
  add_count_row (table, _("Persons:"), counts->persons);
  add_count_row (table, _("Events:"), counts->events);
  add_count_row (table, _("Staff:"), counts->staff);
  add_count_row (table, _("Support list:"), counts->support_persons);
  add_count_row (table, _("Changes to send:"), counts->oplog);
  sd_cli_table_print (table);
}

gboolean
sd_cli_run_info (SdCli   *cli,
                 GStrv   *args,
                 GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *hlc = NULL;
  SdStoreCounts counts = { 0 };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      !sd_store_get_counts (store, &counts, error))
    return FALSE;

  hlc = sd_hlc_to_string (sd_store_get_hlc (store));
  if (json)
    {
      g_autoptr(json_t) root = build_info_json (store, &counts, hlc);
      sd_cli_print_json (root);
    }
  else
    print_info_text (store, &counts, hlc);
  return TRUE;
}

/* ---- check ---- */

gboolean
sd_cli_run_check (SdCli   *cli,
                  GStrv   *args,
                  GError **error)
{
  gboolean deep = FALSE;
  const GOptionEntry entries[] = {
    { "deep", 0, 0, G_OPTION_ARG_NONE, &deep,
      N_("Also SQLite’s full integrity check, and replay the whole record of changes to prove it complete"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(SdStore) store = NULL;

  /* Opened even when damaged: saying so is what check is for, and a
   * sound file that was marked damaged gets its mark lifted. */
  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_damaged_store (cli, error)) == NULL ||
      !(deep ? sd_store_check_deep (store, error) : sd_store_check (store, error)))
    return FALSE;

  g_print ("ok\n");
  return TRUE;
}

/* ---- rescue ---- */

static void
print_rescue_text (const SdRescueReport *report,
                   const char           *out)
{
  g_autoptr(SdCliTable) table = NULL;
  const char *headings[] = { _("Table"), _("Saved"), _("Made again from the record of changes"),
                             _("Fields recorded again"), _("Damaged parts"), NULL };

  table = sd_cli_table_new (5, headings);
  for (guint c = 1; c <= 4; c++)
    sd_cli_table_align_right (table, c);
  for (guint i = 0; i < report->tables->len; i++)
    {
      const SdRescueTable *entry = g_ptr_array_index (report->tables, i);
      g_autofree char *saved = g_strdup_printf ("%" G_GUINT64_FORMAT, entry->saved);
      g_autofree char *rebuilt = g_strdup_printf ("%" G_GUINT64_FORMAT, entry->rebuilt);
      g_autofree char *recorded = g_strdup_printf ("%" G_GUINT64_FORMAT, entry->recorded);
      g_autofree char *parts = entry->unreadable ? g_strdup (_("all unreadable"))
                                                 : g_strdup_printf ("%u", entry->damaged_parts);

      sd_cli_table_add_row (table, entry->table, saved, rebuilt, recorded, parts);
    }
  g_print (_("Rescued into “%s”:\n"), out);
  sd_cli_table_print (table);
  if (report->oplog_gaps > 0)
    {
      g_autofree char *gaps = g_strdup_printf ("%" G_GUINT64_FORMAT, report->oplog_gaps);

      g_print (_("%s changes of this site could not be saved from the record of changes; "
                 "HQ will see them as missing. What the rescued rows hold was recorded again "
                 "(“Fields recorded again”), so HQ still receives it.\n"), gaps);
    }
}

static json_t *
build_rescue_json (const SdRescueReport *report,
                   const char           *out)
{
  json_t *root = json_object ();
  json_t *tables = json_object ();

  json_object_set_new (root, "out", sd_json_text (out));
  json_object_set_new (root, "oplog_gaps", json_integer ((json_int_t) report->oplog_gaps));
  for (guint i = 0; i < report->tables->len; i++)
    {
      const SdRescueTable *entry = g_ptr_array_index (report->tables, i);
      json_t *t = json_object ();

      json_object_set_new (t, "saved", json_integer ((json_int_t) entry->saved));
      json_object_set_new (t, "rebuilt", json_integer ((json_int_t) entry->rebuilt));
      json_object_set_new (t, "recorded", json_integer ((json_int_t) entry->recorded));
      json_object_set_new (t, "damaged_parts", json_integer (entry->damaged_parts));
      json_object_set_new (t, "unreadable", json_boolean (entry->unreadable));
      json_object_set_new (tables, entry->table, t);
    }
  json_object_set_new (root, "tables", tables);
  return root;
}

gboolean
sd_cli_run_rescue (SdCli   *cli,
                   GStrv   *args,
                   GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdRescueReport) report = NULL;
  g_autofree char *out = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The new database to make"), N_("NEW.sqlite") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (out, "--out", error) ||
      (store = sd_cli_open_damaged_store (cli, error)) == NULL ||
      (report = sd_store_rescue (store, out, error)) == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = build_rescue_json (report, out);
      sd_cli_print_json (root);
    }
  else
    print_rescue_text (report, out);
  return TRUE;
}

/* ---- seed load ---- */

static json_t *
build_summary_json (const SdSeedSummary *summary)
{
  json_t *root = json_object ();

#define ADD_COUNT(field) \
  json_object_set_new (root, #field, json_integer (summary->field));
  ADD_COUNT (shelters)
  ADD_COUNT (staff)
  ADD_COUNT (rollcalls)
  ADD_COUNT (safety_answers)
  ADD_COUNT (support_persons)
  ADD_COUNT (support_plans)
  ADD_COUNT (shelter_guides)
  ADD_COUNT (support_contacts)
  ADD_COUNT (households)
  ADD_COUNT (persons)
  ADD_COUNT (events)
  ADD_COUNT (map_blocks)
#undef ADD_COUNT
  json_object_set_new (root, "map_tiles", json_boolean (summary->map_tiles));
  return root;
}

void
sd_cli_print_seed_summary (const char          *dir,
                           const SdSeedSummary *summary)
{
  g_autoptr(SdCliTable) table = sd_cli_table_new (2, NULL);

  g_print (_("Loaded “%s”:\n"), dir);
  sd_cli_table_align_right (table, 1);
  add_count_row (table, _("Shelters:"), summary->shelters);
  if (summary->shelter_guides > 0)
    add_count_row (table, _("Shelter guides:"), summary->shelter_guides);
  add_count_row (table, _("Staff:"), summary->staff);
  if (summary->rollcalls > 0)
    {
      add_count_row (table, _("Roll-calls:"), summary->rollcalls);
      add_count_row (table, _("Safety answers:"), summary->safety_answers);
    }
  add_count_row (table, _("Support list:"), summary->support_persons);
  if (summary->support_plans > 0)
    {
      add_count_row (table, _("Evacuation plans:"), summary->support_plans);
      add_count_row (table, _("Contacts and supporters:"), summary->support_contacts);
    }
  add_count_row (table, _("Households:"), summary->households);
  add_count_row (table, _("Persons:"), summary->persons);
  add_count_row (table, _("Events:"), summary->events);
  if (summary->map_blocks > 0)
    add_count_row (table, _("Address blocks:"), summary->map_blocks);
  if (summary->map_tiles)
    sd_cli_table_add_row (table, _("Base map:"), _("set"), NULL);
  sd_cli_table_print (table);
}

gboolean
sd_cli_run_seed_load (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autoptr(SdStore) store = NULL;
  SdSeedSummary summary = { 0 };
  gboolean json = FALSE;
  const char *dir;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  dir = (*args)[1];
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("“%s” is not a folder."), dir);
      return FALSE;
    }

  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_seed_load (store, dir, &summary, error))
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = build_summary_json (&summary);
      sd_cli_print_json (root);
    }
  else
    sd_cli_print_seed_summary (dir, &summary);
  return TRUE;
}
