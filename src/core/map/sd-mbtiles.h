/* sd-mbtiles.h: a base map in one file: MBTiles (raster tiles in SQLite), read and packed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The offline map needs no tile server: its tiles come from one MBTiles
 * file (the MBTiles 1.3 layout: a metadata table of name and value, a
 * tiles table of zoom_level, tile_column, tile_row and tile_data, rows
 * counted from the south as in TMS).  sd_mbtiles_pack_folder() makes one
 * from a z/x/y.png folder, such as tiles a municipality is licensed to
 * use, each tile checked to be a PNG that decodes.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SdMbtiles SdMbtiles;

/* Opens PATH read-only; refused with SD_DATA_ERROR, saying why, when it
 * is not an MBTiles file of PNG tiles. */
SdMbtiles  *sd_mbtiles_open            (const char  *path,
                                        GError     **error);
void        sd_mbtiles_free            (SdMbtiles   *self);

const char *sd_mbtiles_get_name        (SdMbtiles   *self);
/* Who the tiles belong to, shown on the map; may be NULL. */
const char *sd_mbtiles_get_attribution (SdMbtiles   *self);
int         sd_mbtiles_get_min_zoom    (SdMbtiles   *self);
int         sd_mbtiles_get_max_zoom    (SdMbtiles   *self);
/* West, south, east, north in degrees; FALSE when the file does not say. */
gboolean    sd_mbtiles_get_bounds      (SdMbtiles   *self,
                                        double      *bounds);

/* The tile at Z/X/Y as web maps number them (Y from the north), or NULL
 * when the file has none there. */
GBytes     *sd_mbtiles_get_tile        (SdMbtiles   *self,
                                        int          z,
                                        int          x,
                                        int          y);

/* Packs DIR/Z/X/Y.png into a new MBTiles file OUT (written beside it and
 * renamed), named NAME, with ATTRIBUTION (may be NULL).  Every tile is
 * decoded first: a file that is not a PNG, a broken one, or a path that
 * is not z/x/y.png refuses the folder, naming the file and why, and
 * leaves nothing at OUT.  *OUT_TILES: how many were packed. */
gboolean    sd_mbtiles_pack_folder     (const char  *dir,
                                        const char  *out,
                                        const char  *name,
                                        const char  *attribution,
                                        guint       *out_tiles,
                                        GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMbtiles, sd_mbtiles_free)

G_END_DECLS
