/* sd-mbtiles-source.h: the map's base layer from an MBTiles file, with no tile server.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ShumateMapSource whose tiles are the PNG rows of one MBTiles file
 * (sd-mbtiles.h), read and decoded in a worker thread so panning never
 * waits on the disk.  A tile the file does not have is left empty: the
 * map shows its plain background there, never a tile from the network.
 */
#pragma once

#include <shumate/shumate.h>

#include "sd-mbtiles.h"

G_BEGIN_DECLS

#define SD_TYPE_MBTILES_SOURCE (sd_mbtiles_source_get_type ())
G_DECLARE_FINAL_TYPE (SdMbtilesSource, sd_mbtiles_source, SD, MBTILES_SOURCE, ShumateMapSource)

/* Opens PATH; refused with SD_DATA_ERROR, saying why, when it is not an
 * MBTiles file of PNG tiles. */
SdMbtilesSource *sd_mbtiles_source_new (const char  *path,
                                        GError     **error);

/* West, south, east, north in degrees; FALSE when the file does not say. */
gboolean sd_mbtiles_source_get_bounds  (SdMbtilesSource *self,
                                        double          *bounds);

G_END_DECLS
