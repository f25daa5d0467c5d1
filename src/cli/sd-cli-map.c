/* sd-cli-map.c: the offline map's files from the command line.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `map import-tiles DIR --out map.mbtiles` packs a z/x/y.png folder (tiles
 * a municipality is licensed to use) into the one file the desk's map
 * reads, every tile checked to decode; `map use-tiles FILE` makes it this
 * desk's base map.  `map import-addresses FILE.csv` loads the national
 * address reference (位置参照情報 街区レベル) the map places people by,
 * and `map geocode ADDRESS` shows where an address lands, or why not.
 */
#include "sd-cli-private.h"

#include <glib/gi18n.h>
#include <jansson.h>

gboolean
sd_cli_run_map_import_tiles (SdCli   *cli,
                             GStrv   *args,
                             GError **error)
{
  g_autofree char *out = NULL, *name = NULL, *attribution = NULL;
  g_autoptr(SdMbtiles) map = NULL;
  guint tiles = 0;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The MBTiles file to write"), N_("FILE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The map’s name (default: the folder’s)"), N_("NAME") },
    { "attribution", 0, 0, G_OPTION_ARG_STRING, &attribution,
      N_("Who the tiles belong to, shown on the map, as their licence asks"), N_("TEXT") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) || !sd_cli_require_option (out, "--out", error))
    return FALSE;
  if (name == NULL)
    name = g_path_get_basename ((*args)[1]);
  if (!sd_mbtiles_pack_folder ((*args)[1], out, name, attribution, &tiles, error) ||
      (map = sd_mbtiles_open (out, error)) == NULL)
    return FALSE;
  g_print (g_dngettext (NULL, "Packed %u tile (zoom %d to %d) into %s.\n",
                        "Packed %u tiles (zoom %d to %d) into %s.\n", tiles),
           tiles, sd_mbtiles_get_min_zoom (map), sd_mbtiles_get_max_zoom (map), out);
  return TRUE;
}

gboolean
sd_cli_run_map_use_tiles (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdMbtiles) map = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_store_set_map_tiles (store, (*args)[1], error) ||
      (map = sd_mbtiles_open ((*args)[1], error)) == NULL)
    return FALSE;
  g_print (_("The desk’s map now draws “%s” (zoom %d to %d).\n"), sd_mbtiles_get_name (map),
           sd_mbtiles_get_min_zoom (map), sd_mbtiles_get_max_zoom (map));
  return TRUE;
}

gboolean
sd_cli_run_map_import_addresses (SdCli   *cli,
                                 GStrv   *args,
                                 GError **error)
{
  g_autofree char *encoding = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GBytes) csv = NULL;
  SdAddressImportResult result = { 0 };
  gboolean ok;
  const GOptionEntry entries[] = {
    { "encoding", 0, 0, G_OPTION_ARG_STRING, &encoding,
      N_("The file’s encoding, UTF-8 or CP932 (default: found out)"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (csv = sd_cli_read_bytes ((*args)[1], error)) == NULL ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;
  ok = sd_store_import_addresses (store, csv, encoding, &result, error);
  if (!ok)
    {
      g_prefix_error (error, "%s: ", (*args)[1]);
      return FALSE;
    }
  g_print (g_dngettext (NULL, "Imported %u block into the address reference (read as %s).\n",
                        "Imported %u blocks into the address reference (read as %s).\n", result.rows),
           result.rows, result.encoding);
  g_print (g_dngettext (NULL, "It replaced what this desk had for %u city.\n",
                        "It replaced what this desk had for %u cities.\n", result.cities),
           result.cities);
  if (result.skipped > 0)
    g_print (g_dngettext (NULL, "%u row was left out: its block is not a number (地番 such as 甲12).\n",
                          "%u rows were left out: their block is not a number (地番 such as 甲12).\n",
                          result.skipped),
             result.skipped);
  sd_address_import_result_clear (&result);
  return TRUE;
}

gboolean
sd_cli_run_map_geocode (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *normal = NULL;
  gboolean json = FALSE;
  SdGeocodeResult result;
  GError *local = NULL;
  double lat = 0, lon = 0;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) || (store = sd_cli_open_store (cli, FALSE, error)) == NULL)
    return FALSE;
  result = sd_store_geocode (store, (*args)[1], &lat, &lon, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  normal = sd_address_normalize ((*args)[1]);
  if (json)
    {
      g_autoptr(json_t) root = json_pack ("{s:s?, s:s}", "address", normal, "result",
                                          sd_geocode_result_to_string (result));

      if (result == SD_GEOCODE_FOUND)
        {
          json_object_set_new (root, "lat", json_real (lat));
          json_object_set_new (root, "lon", json_real (lon));
        }
      else
        json_object_set_new (root, "reason", json_string (sd_geocode_result_label (result)));
      sd_cli_print_json (root);
      return TRUE;
    }
  if (result == SD_GEOCODE_FOUND)
    {
      g_print ("%s\t%.6f\t%.6f\n", normal, lat, lon);
      return TRUE;
    }
  g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("Not on the map: %s"), sd_geocode_result_label (result));
  return FALSE;
}
