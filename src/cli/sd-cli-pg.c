/* sd-cli-pg.c: HQ in PostgreSQL from the command line: serve --pg, batch import and export --pg.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HQ's SQLite file stays HQ's identity (its keys open the batches, its
 * enrolled kiosks may sign them) and its desk's own changes (roll-calls,
 * merged records); PostgreSQL holds the deployment.  After each batch,
 * the changes HQ's own desk made since are taken in too, so that they
 * reach PostgreSQL without a batch of their own.  docs/deploy-hq-postgres.md.
 */
#include <glib/gi18n.h>
#include <string.h>

#include "sd-cli-private.h"
#include "sd-pg-store.h"

GObject *
sd_cli_pg_open (const char  *conninfo,
                GError     **error)
{
  return G_OBJECT (sd_pg_store_open (conninfo, error));
}

/* Merges BATCH, then HQ's own changes made since. */
static gboolean
import_and_take (SdPgStore     *pg,
                 SdStore       *hq,
                 GBytes        *batch,
                 SdSyncImport  *result,
                 GError       **error)
{
  g_autoptr(GError) local = NULL;
  SdSyncImport own = { 0 };

  if (!sd_pg_store_import_bytes (pg, hq, batch, result, NULL, error))
    return FALSE;
  /* The batch is in; HQ's own changes come again with the next one. */
  if (!sd_pg_store_take_oplog (pg, hq, sd_store_get_site_id (hq), &own, NULL, &local))
    g_debug ("HQ's own changes wait for the next batch: %s", local->message);
  sd_sync_import_clear (&own);
  return TRUE;
}

gboolean
sd_cli_pg_import_file (GObject       *pg,
                       SdStore       *hq,
                       const char    *path,
                       SdSyncImport  *result,
                       GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, error);
  g_autofree char *name = g_path_get_basename (path);

  memset (result, 0, sizeof *result);
  if (bytes == NULL || !import_and_take (SD_PG_STORE (pg), hq, bytes, result, error))
    {
      g_prefix_error (error, "%s: ", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
serve_import (SdStore       *hq,
              GBytes        *batch,
              SdSyncImport  *result,
              char         **holds,
              gpointer       user_data,
              GError       **error)
{
  SdPgStore *pg = user_data;

  return import_and_take (pg, hq, batch, result, error) && (*holds = sd_pg_store_get_holds (pg, error)) != NULL;
}

/* A kiosk's pull: what it holds taken, and the batch of what it lacks. */
static gboolean
serve_export (SdStore        *hq,
              const char     *site,
              const char     *holds,
              GOutputStream  *out,
              SdSyncExport   *result,
              gpointer        user_data,
              GError        **error)
{
  SdPgStore *pg = user_data;

  return (holds == NULL || sd_pg_store_set_peer_holds (pg, site, holds, error)) &&
         sd_pg_store_export (pg, hq, site, out, result, NULL, error);
}

void
sd_cli_pg_serve (GObject      *pg,
                 SdSyncServer *server)
{
  static const SdSyncServerStorage storage = { serve_import, serve_export };

  /* The connection is the receiver's worker thread's from now on. */
  sd_sync_server_set_storage (server, &storage, g_object_ref (pg), g_object_unref);
}

gboolean
sd_cli_pg_export_to_folder (GObject       *pg,
                            SdStore       *hq,
                            const char    *to,
                            const char    *folder,
                            SdSyncExport  *result,
                            GError       **error)
{
  return sd_pg_store_export_to_folder (SD_PG_STORE (pg), hq, to, folder, result, NULL, error);
}

/* "pg load" and "pg fetch": --pg CONNINFO and --json, HQ's file (WRITABLE
 * when HQ's file is written) and the database opened. */
static gboolean
open_both (SdCli       *cli,
           GStrv       *args,
           gboolean     writable,
           SdStore    **store,
           SdPgStore  **pg,
           gboolean    *json,
           GError     **error)
{
  g_autofree char *conninfo = NULL;
  const GOptionEntry entries[] = {
    { "pg", 0, 0, G_OPTION_ARG_STRING, &conninfo, N_("The PostgreSQL database (a connection string)"),
      N_("CONNINFO") },
    { "json", 0, 0, G_OPTION_ARG_NONE, json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  return sd_cli_parse_args (cli, entries, args, 0, 0, error) && sd_cli_require_option (conninfo, "--pg", error) &&
         (*store = sd_cli_open_store (cli, writable, error)) != NULL &&
         (*pg = sd_pg_store_open (conninfo, error)) != NULL;
}

gboolean
sd_cli_run_pg_load (SdCli   *cli,
                    GStrv   *args,
                    GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPgStore) pg = NULL;
  g_autoptr(json_t) root = NULL;
  SdSyncImport result = { 0 };
  gboolean json = FALSE;

  if (!open_both (cli, args, FALSE, &store, &pg, &json, error) ||
      !sd_pg_store_take_oplog (pg, store, NULL, &result, NULL, error))
    return FALSE;
  if (json)
    {
      root = json_pack ("{s:s, s:I, s:I, s:I}", "database", sd_pg_store_get_description (pg),
                        "operations", (json_int_t) result.operations, "applied", (json_int_t) result.applied,
                        "rows_waiting", (json_int_t) result.waiting);
      sd_cli_print_json (root);
    }
  else
    /* Translators: a count of changes, then a database's name */
    g_print (_("%lld changes taken into %s (%lld were there already).\n"), (long long) result.applied,
             sd_pg_store_get_description (pg), (long long) (result.operations - result.applied));
  sd_sync_import_clear (&result);
  return TRUE;
}

gboolean
sd_cli_run_pg_fetch (SdCli   *cli,
                     GStrv   *args,
                     GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdPgStore) pg = NULL;
  SdSyncImport result = { 0 };
  gboolean json = FALSE;

  if (!open_both (cli, args, TRUE, &store, &pg, &json, error) ||
      !sd_pg_store_fetch_into (pg, store, &result, NULL, error))
    return FALSE;
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s, s:I, s:I, s:I, s:I, s:I}", "database",
                                          sd_pg_store_get_description (pg),
                                          "operations", (json_int_t) result.operations,
                                          "applied", (json_int_t) result.applied,
                                          "rows_waiting", (json_int_t) result.waiting,
                                          "conflicts", (json_int_t) result.conflicts,
                                          "duplicates", (json_int_t) result.duplicates);
      sd_cli_print_json (root);
    }
  else
    {
      /* Translators: a count of changes, then a database's name */
      g_print (_("%lld changes taken from %s into HQ’s database.\n"), (long long) result.applied,
               sd_pg_store_get_description (pg));
      if (result.duplicates > 0)
        g_print (g_dngettext (NULL, "%lld possible duplicate to review: the desk’s Sync page and “duplicates list” show it.\n",
                              "%lld possible duplicates to review: the desk’s Sync page and “duplicates list” show them.\n",
                              (gulong) result.duplicates), (long long) result.duplicates);
    }
  sd_sync_import_clear (&result);
  return TRUE;
}

SdShelterStatus *
sd_cli_pg_shelter_status (GObject     *pg,
                          SdStore     *hq,
                          const char  *shelter_code,
                          GError     **error)
{
  SdShelterStatus *status = sd_pg_store_compute_shelter_status (SD_PG_STORE (pg), shelter_code, error);

  if (status != NULL)
    {
      status->site_name = g_strdup (sd_store_get_site_name (hq));
      status->is_exercise = sd_store_get_is_exercise (hq);
      status->generated_at = sd_store_now_ms (hq);
    }
  return status;
}

SdSafetyCount *
sd_cli_pg_count_safety (GObject     *pg,
                        const char  *rollcall_id,
                        GError     **error)
{
  return sd_pg_store_count_safety (SD_PG_STORE (pg), rollcall_id, error);
}

gboolean
sd_cli_pg_count_support (GObject  *pg,
                         guint    *counts,
                         GError  **error)
{
  return sd_pg_store_count_support_statuses (SD_PG_STORE (pg), counts, error);
}

char *
sd_cli_pg_support_districts_json (GObject  *pg,
                                  GError  **error)
{
  return sd_pg_store_support_districts_json (SD_PG_STORE (pg), error);
}

GListModel *
sd_cli_pg_safety_missing (GObject     *pg,
                          SdStore     *hq,
                          const char  *rollcall_id,
                          GError     **error)
{
  return sd_pg_store_list_safety_missing (SD_PG_STORE (pg), hq, rollcall_id, error);
}

/* The site's name in HQ's list of the deployment, or its id. */
static const char *
peer_name (GPtrArray  *peers,
           SdStore    *hq,
           const char *site)
{
  if (g_strcmp0 (site, sd_store_get_site_id (hq)) == 0)
    return sd_store_get_site_name (hq);
  for (guint i = 0; peers != NULL && i < peers->len; i++)
    {
      SdSyncPeer *p = g_ptr_array_index (peers, i);

      if (g_strcmp0 (p->site_id, site) == 0)
        return p->name;
    }
  return site;
}

gboolean
sd_cli_pg_sync_status (GObject   *pg,
                       SdStore   *hq,
                       gboolean   json,
                       GError   **error)
{
  g_autofree char *text = sd_pg_store_sync_status_json (SD_PG_STORE (pg), error);
  g_autoptr(GPtrArray) peers = NULL;
  g_autoptr(json_t) root = NULL;
  json_t *origin;
  gsize i;

  if (text == NULL || (root = sd_json_parse (text, strlen (text), 0, error)) == NULL ||
      (peers = sd_sync_list_peers (hq, error)) == NULL)
    return FALSE;
  json_array_foreach (json_object_get (root, "origins"), i, origin)
    json_object_set_new (origin, "name", json_string (peer_name (peers, hq,
                                                                 json_string_value (json_object_get (origin, "site")))));
  json_object_set_new (root, "database", json_string (sd_pg_store_get_description (SD_PG_STORE (pg))));
  if (json)
    {
      sd_cli_print_json (root);
      return TRUE;
    }
  g_print (_("PostgreSQL database: %s\n"), sd_pg_store_get_description (SD_PG_STORE (pg)));
  g_print (_("Batches merged: %lld (%lld after a batch that never arrived)\n"),
           (long long) json_integer_value (json_object_get (root, "batches")),
           (long long) json_integer_value (json_object_get (root, "chain_breaks")));
  {
    const char *headings[] = { _("Site"), _("Changes"), _("Highest"), _("Known to be missing"), _("Last batch"),
                               NULL };
    g_autoptr(SdCliTable) table = sd_cli_table_new (G_N_ELEMENTS (headings) - 1, headings);

    for (guint c = 1; c < 4; c++)
      sd_cli_table_align_right (table, c);
    json_array_foreach (json_object_get (root, "origins"), i, origin)
      {
        g_autofree char *changes = g_strdup_printf ("%lld", (long long) json_integer_value (json_object_get (origin, "changes")));
        g_autofree char *highest = g_strdup_printf ("%lld", (long long) json_integer_value (json_object_get (origin, "highest")));
        g_autofree char *missing = g_strdup_printf ("%lld", (long long) json_integer_value (json_object_get (origin, "missing")));
        gint64 at = json_integer_value (json_object_get (origin, "last_batch_at"));
        g_autoptr(GDateTime) when = at > 0 ? g_date_time_new_from_unix_local (at / 1000) : NULL;
        g_autofree char *last = when != NULL ? g_date_time_format (when, "%Y-%m-%d %H:%M") : g_strdup ("—");

        sd_cli_table_add_row (table, json_string_value (json_object_get (origin, "name")), changes, highest, missing,
                              last);
      }
    sd_cli_table_print (table);
  }
  return TRUE;
}
