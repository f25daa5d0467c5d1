/* sd-cli-pg-none.c: a build without PostgreSQL's client library (the Windows build) says so.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "sd-cli-private.h"

GObject *
sd_cli_pg_open (const char  *conninfo,
                GError     **error)
{
  g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
               _("This build of ShelterDesk has no PostgreSQL: an HQ on PostgreSQL runs ShelterDesk on Debian "
                 "(docs/deploy-hq-postgres.md)."));
  return NULL;
}

gboolean
sd_cli_pg_import_file (GObject       *pg,
                       SdStore       *hq,
                       const char    *path,
                       SdSyncImport  *result,
                       GError       **error)
{
  g_return_val_if_reached (FALSE);
}

void
sd_cli_pg_serve (GObject      *pg,
                 SdSyncServer *server)
{
  g_return_if_reached ();
}

gboolean
sd_cli_pg_export_to_folder (GObject       *pg,
                            SdStore       *hq,
                            const char    *to,
                            const char    *folder,
                            SdSyncExport  *result,
                            GError       **error)
{
  g_return_val_if_reached (FALSE);
}

gboolean
sd_cli_run_pg_load (SdCli   *cli,
                    GStrv   *args,
                    GError **error)
{
  return sd_cli_pg_open (NULL, error) != NULL;
}

gboolean
sd_cli_run_pg_fetch (SdCli   *cli,
                     GStrv   *args,
                     GError **error)
{
  return sd_cli_pg_open (NULL, error) != NULL;
}

SdShelterStatus *
sd_cli_pg_shelter_status (GObject     *pg,
                          SdStore     *hq,
                          const char  *shelter_code,
                          GError     **error)
{
  g_return_val_if_reached (NULL);
}

SdSafetyCount *
sd_cli_pg_count_safety (GObject     *pg,
                        const char  *rollcall_id,
                        GError     **error)
{
  g_return_val_if_reached (NULL);
}

gboolean
sd_cli_pg_count_support (GObject  *pg,
                         guint    *counts,
                         GError  **error)
{
  g_return_val_if_reached (FALSE);
}

char *
sd_cli_pg_support_districts_json (GObject  *pg,
                                  GError  **error)
{
  g_return_val_if_reached (NULL);
}

GListModel *
sd_cli_pg_safety_missing (GObject     *pg,
                          SdStore     *hq,
                          const char  *rollcall_id,
                          GError     **error)
{
  g_return_val_if_reached (NULL);
}

gboolean
sd_cli_pg_sync_status (GObject   *pg,
                       SdStore   *hq,
                       gboolean   json,
                       GError   **error)
{
  g_return_val_if_reached (FALSE);
}
