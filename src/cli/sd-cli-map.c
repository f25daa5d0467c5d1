/* sd-cli-map.c: the offline map's files from the command line.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `map import-tiles DIR --out map.mbtiles` packs a z/x/y.png folder (tiles
 * a municipality is licensed to use) into the one file the desk's map
 * reads, every tile checked to decode.
 */
#include "sd-cli-private.h"

#include <glib/gi18n.h>

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
