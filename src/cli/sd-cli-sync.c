/* sd-cli-sync.c: deploy, batch, sync status, conflicts and duplicates.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sd-cli-private.h"
#include "sd-batch.h"
#include "sd-sync-protocol.h"
#include "sd-sync.h"

/* ---- deploy ---- */

gboolean
sd_cli_run_deploy_bundle (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *out_path = NULL, *name = NULL, *passphrase = NULL, *fingerprint = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  gboolean json = FALSE, ok;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_path, N_("The bundle file to write"), N_("FILE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      N_("The deployment’s name, when this makes a new one (default: the site’s name)"), N_("NAME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (out_path, "--out", error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;
  if (sd_sync_get_role (store) == SD_SYNC_ROLE_NONE &&
      !sd_sync_init_hq (store, name != NULL ? name : sd_store_get_site_name (store), error))
    return FALSE;
  file = g_file_new_for_commandline_arg (out_path);
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION, NULL, error);
  if (out == NULL)
    return FALSE;
  ok = sd_sync_write_bundle (store, G_OUTPUT_STREAM (out), &passphrase, NULL, error);
  ok = g_output_stream_close (G_OUTPUT_STREAM (out), NULL, ok ? error : NULL) && ok;
  if (!ok)
    {
      g_file_delete (file, NULL, NULL);
      return FALSE;
    }
  fingerprint = sd_sync_get_fingerprint (store);
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:s, s:s}", "bundle", out_path, "passphrase", passphrase,
                                          "hq_fingerprint", fingerprint, "site", sd_store_get_site_id (store));
      sd_cli_print_json (root);
    }
  else
    {
      g_print (_("Bundle written: %s\n"), out_path);
      g_print (_("Passphrase (write it down and carry it apart from the stick): %s\n"), passphrase);
      g_print (_("HQ’s key fingerprint: %s\n"), fingerprint);
    }
  return TRUE;
}

static char *
read_line_from_stdin (void)
{
  char buffer[256];

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    return NULL;
  return g_strstrip (g_strdup (buffer));
}

gboolean
sd_cli_run_deploy_enrol (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *passphrase = NULL, *fingerprint = NULL, *deployment = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "passphrase", 0, 0, G_OPTION_ARG_STRING, &passphrase,
      N_("The bundle’s passphrase (otherwise read from standard input)"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;
  if (passphrase == NULL && (passphrase = read_line_from_stdin ()) == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("No passphrase given."));
      return FALSE;
    }
  file = g_file_new_for_commandline_arg ((*args)[1]);
  in = g_file_read (file, NULL, error);
  if (in == NULL || !sd_sync_enrol (store, G_INPUT_STREAM (in), passphrase, NULL, error))
    return FALSE;
  fingerprint = sd_sync_get_fingerprint (store);
  deployment = sd_sync_get_deployment_name (store);
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:s}", "deployment", deployment, "fingerprint", fingerprint,
                                          "site", sd_store_get_site_id (store));
      sd_cli_print_json (root);
    }
  else
    {
      g_print (_("This database is now a kiosk of “%s”.\n"), deployment);
      g_print (_("This kiosk’s key fingerprint: %s\n"), fingerprint);
      g_print (_("Send HQ a first batch (“batch export --to hq”); HQ enrols the kiosk after comparing this "
                 "fingerprint.\n"));
    }
  return TRUE;
}

gboolean
sd_cli_run_deploy_revoke (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_sync_revoke (store, (*args)[1], error))
    return FALSE;
  g_print (_("Revoked: its later batches are refused; what it sent before is kept.\n"));
  return TRUE;
}

/* ---- batch ---- */

gboolean
sd_cli_run_batch_export (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GObject) pg = NULL;
  g_autofree char *to = NULL, *dir = NULL, *conninfo = NULL;
  SdSyncExport result = { 0 };
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The receiving site: “hq”, a kiosk’s name or its site id"),
      N_("SITE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_("The folder (a USB stick) to write the batch into"), N_("DIR") },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ: the changes of this PostgreSQL database, HQ’s database giving the keys"), N_("CONNINFO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (to, "--to", error) ||
      !sd_cli_require_option (dir, "--out", error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL) ||
      !(pg != NULL ? sd_cli_pg_export_to_folder (pg, store, to, dir, &result, error)
                   : sd_sync_export_to_folder (store, to, dir, &result, NULL, error)))
    return FALSE;
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:s, s:s, s:I, s:I}", "file", result.path, "sha256", result.sha256,
                                          "to", result.to_site, "operations", (json_int_t) result.operations,
                                          "bytes", (json_int_t) result.bytes);
      sd_cli_print_json (root);
    }
  else
    g_print (_("%s: %lld changes, %lld bytes\n"), result.path, (long long) result.operations,
             (long long) result.bytes);
  sd_sync_export_clear (&result);
  return TRUE;
}

gboolean
sd_cli_run_batch_import (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *enrol = NULL, *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  g_autoptr(json_t) root = NULL;
  json_t *files;
  gint64 applied = 0, refused = 0;
  const GOptionEntry entries[] = {
    { "enrol", 0, 0, G_OPTION_ARG_STRING, &enrol,
      N_("At HQ: enrol the new kiosk whose screen shows this key fingerprint"), N_("FINGERPRINT") },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ: merge into this PostgreSQL database, HQ’s database giving the keys"), N_("CONNINFO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, G_MAXUINT, error))
    return FALSE;
  if (conninfo != NULL && enrol != NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("Enrol a kiosk into HQ’s own database first (without --pg): PostgreSQL takes batches from "
                     "enrolled kiosks only."));
      return FALSE;
    }
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (conninfo != NULL && (pg = sd_cli_pg_open (conninfo, error)) == NULL))
    return FALSE;
  files = json_array ();
  root = json_pack ("{s:o}", "files", files);
  for (guint i = 1; (*args)[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      SdSyncImport result = { 0 };
      json_t *entry;

      if (pg != NULL ? sd_cli_pg_import_file (pg, store, (*args)[i], &result, &local)
                     : sd_sync_import_file (store, (*args)[i], enrol, &result, NULL, &local))
        {
          entry = json_pack ("{s:s, s:s, s:s, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}",
                             "file", (*args)[i], "result", result.already_imported ? "already-imported" : "imported",
                             "sha256", result.sha256, "from", result.from_site, "from_name", result.from_name,
                             "operations", (json_int_t) result.operations, "applied", (json_int_t) result.applied,
                             "already_had", (json_int_t) result.already_had,
                             "rows_waiting", (json_int_t) result.waiting, "gaps", (json_int_t) result.gaps,
                             "clamped", (json_int_t) result.clamped, "conflicts", (json_int_t) result.conflicts,
                             "duplicates", (json_int_t) result.duplicates, "chain_broken", result.chain_broken,
                             "enrolled", result.enrolled);
          applied += result.applied;
        }
      else
        {
          entry = json_pack ("{s:s, s:s, s:s, s:s}", "file", (*args)[i], "result", "refused",
                             "reason", sd_sync_error_reason (local), "message", local->message);
          refused++;
        }
      json_array_append_new (files, entry);
      sd_sync_import_clear (&result);
    }
  json_object_set_new (root, "applied", json_integer (applied));
  json_object_set_new (root, "refused", json_integer (refused));
  sd_cli_print_json (root);
  if (refused > 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   g_dngettext (NULL, "%d batch was refused; nothing of it was imported.",
                                "%d batches were refused; nothing of them was imported.", (gulong) refused),
                   (int) refused);
      return FALSE;
    }
  return TRUE;
}

/* ---- status, conflicts, duplicates ---- */

static gboolean
print_json_text (const char  *text,
                 GError     **error)
{
  json_error_t parse;
  g_autoptr(json_t) root = json_loads (text, 0, &parse);

  if (root == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, "%s", parse.text);
      return FALSE;
    }
  sd_cli_print_json (root);
  return TRUE;
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) dt = NULL;

  if (ms <= 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

gboolean
sd_cli_run_sync_status (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GPtrArray) peers = NULL;
  g_autofree char *fingerprint = NULL, *deployment = NULL;
  SdSyncStatus status;
  g_autofree char *conninfo = NULL;
  g_autoptr(GObject) pg = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo,
      N_("At HQ on PostgreSQL: what the database holds of each site"), N_("CONNINFO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL)
    return FALSE;
  if (conninfo != NULL)
    return (pg = sd_cli_pg_open (conninfo, error)) != NULL && sd_cli_pg_sync_status (pg, store, json, error);
  if (json)
    {
      g_autofree char *text = sd_sync_status_json (store, error);

      return text != NULL && print_json_text (text, error);
    }
  if ((fingerprint = sd_sync_get_fingerprint (store)) == NULL)
    {
      g_print (_("This database belongs to no deployment yet.\n"));
      return TRUE;
    }
  if (!sd_sync_get_status (store, &status, error) || (peers = sd_sync_list_peers (store, error)) == NULL)
    return FALSE;
  deployment = sd_sync_get_deployment_name (store);
  g_print (_("Deployment: %s (%s)\n"), deployment,
           sd_sync_get_role (store) == SD_SYNC_ROLE_HQ ? _("HQ") : _("kiosk"));
  g_print (_("Key fingerprint: %s\n"), fingerprint);
  g_print (_("Changes waiting to be sent: %llu\n"), (unsigned long long) status.waiting);
  g_print (_("Changes known to be missing: %llu\n"), (unsigned long long) status.gaps);
  g_print (_("Sites whose clock ran ahead: %llu\n"), (unsigned long long) status.clamped_origins);
  g_print (_("Conflicts to review: %llu\n"), (unsigned long long) status.conflicts);
  g_print (_("Possible duplicates to review: %llu\n"), (unsigned long long) status.duplicates);
  g_print (_("Records waiting for their household or person: %llu\n"), (unsigned long long) status.rows_waiting);
  if (peers->len > 0)
    {
      const char *headings[] = { _("Site"), _("Role"), _("Fingerprint"), _("Last received"), _("Last sent"),
                                 _("Waiting"), _("State"), NULL };
      g_autoptr(SdCliTable) table = sd_cli_table_new (G_N_ELEMENTS (headings) - 1, headings);

      sd_cli_table_align_right (table, 5);
      for (guint i = 0; i < peers->len; i++)
        {
          SdSyncPeer *p = g_ptr_array_index (peers, i);
          g_autofree char *received = format_time (p->last_received_at);
          g_autofree char *sent = format_time (p->last_sent_at);
          g_autofree char *waiting = g_strdup_printf ("%" G_GINT64_FORMAT, p->waiting);

          sd_cli_table_add_row (table, p->name, p->is_hq ? _("HQ") : _("kiosk"), p->fingerprint, received, sent,
                                waiting, p->revoked_at != 0 ? _("revoked") : _("enrolled"));
        }
      sd_cli_table_print (table);
    }
  return TRUE;
}

/* A listing as JSON, with --all for what people already decided. */
static gboolean
print_listing (SdCli        *cli,
               GStrv        *args,
               const char   *all_help,
               char       *(*list) (SdStore *store, gboolean all, GError **error),
               GError      **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *text = NULL;
  gboolean all = FALSE;
  const GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, all_help, NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (text = list (store, all, error)) == NULL)
    return FALSE;
  return print_json_text (text, error);
}

gboolean
sd_cli_run_conflicts_list (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  return print_listing (cli, args, N_("Also the conflicts already resolved"), sd_sync_list_conflicts_json, error);
}

gboolean
sd_cli_run_conflicts_resolve (SdCli   *cli,
                              GStrv   *args,
                              GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *keep = NULL;
  gboolean other;
  gint64 id;
  const GOptionEntry entries[] = {
    { "keep", 0, 0, G_OPTION_ARG_STRING, &keep,
      N_("“winner” (the value applied) or “other” (the value that lost, written again)"), N_("WHICH") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) || !sd_cli_require_option (keep, "--keep", error))
    return FALSE;
  if (!g_str_equal (keep, "winner") && !g_str_equal (keep, "other"))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--keep takes “winner” or “other”."));
      return FALSE;
    }
  other = g_str_equal (keep, "other");
  id = g_ascii_strtoll ((*args)[1], NULL, 10);
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_sync_resolve_conflict (store, id, other, error))
    return FALSE;
  g_print (other ? _("The other value is written again and wins everywhere once synced.\n")
                 : _("The value applied stands.\n"));
  return TRUE;
}

gboolean
sd_cli_run_duplicates_list (SdCli   *cli,
                            GStrv   *args,
                            GError **error)
{
  return print_listing (cli, args, N_("Also the pairs already decided"), sd_sync_list_duplicates_json, error);
}

gboolean
sd_cli_run_duplicates_keep_apart (SdCli   *cli,
                                  GStrv   *args,
                                  GError **error)
{
  g_autoptr(SdStore) store = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 2, 2, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_sync_keep_apart (store, (*args)[1], (*args)[2], error))
    return FALSE;
  g_print (_("Kept apart: they are not listed again.\n"));
  return TRUE;
}

gboolean
sd_cli_run_duplicates_merge (SdCli   *cli,
                             GStrv   *args,
                             GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *staff_no = NULL;
  const GOptionEntry entries[] = {
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff_no, N_("Who merges them"), N_("STAFF_NO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 2, 2, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (staff_no != NULL && (staff = sd_store_find_staff (store, staff_no, error)) == NULL) ||
      !sd_sync_merge_duplicate (store, (*args)[1], (*args)[2], staff ? sd_staff_get_id (staff) : NULL, error))
    return FALSE;
  g_print (_("Merged: the second record is closed, its history kept; the first stands for the person "
             "everywhere once synced.\n"));
  return TRUE;
}
