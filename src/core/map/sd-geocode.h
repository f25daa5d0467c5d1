/* sd-geocode.h: addresses to points on the map, from the national address reference.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The map places a listed person at their block (街区): the point the
 * national address reference (MLIT 位置参照情報, 街区レベル, a CSV per
 * prefecture, usually in Shift_JIS) gives for the town, its 丁目 and the
 * block number of their address.  Both sides go through the same address
 * reader (sd-address.h), so 東町二丁目5番 and 東町2丁目5-1 meet.  An
 * address that does not match is never placed at a guess: the answer
 * says why it is not on the map.
 *
 * The reference is this desk's own (map_addresses, not synced): public
 * data each desk loads from the file.  Importing a file replaces the
 * rows of the cities it covers, in one transaction, and a bad row
 * (missing column, coordinates that are not numbers or not in Japan)
 * refuses the whole file with its line, leaving the reference as it was.
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

typedef enum {
  SD_GEOCODE_FOUND,
  SD_GEOCODE_NO_ADDRESS,      /* nothing recorded */
  SD_GEOCODE_NOT_UNDERSTOOD,  /* no town could be read from it */
  SD_GEOCODE_NO_BLOCK,        /* the address has no block number (番地) */
  SD_GEOCODE_NO_REFERENCE,    /* no address reference is loaded */
  SD_GEOCODE_UNKNOWN_TOWN,    /* the town (or its 丁目) is not in the reference */
  SD_GEOCODE_UNKNOWN_BLOCK,   /* the town is, this block is not */
  SD_GEOCODE_AMBIGUOUS,       /* several cities have the town; the address names none */
} SdGeocodeResult;

#define SD_N_GEOCODE_RESULTS (SD_GEOCODE_AMBIGUOUS + 1)

/* Why an address is not on the map, for a person to read ("" for FOUND). */
const char *sd_geocode_result_label     (SdGeocodeResult  result);
/* A stable word for scripts: found, no_address, unknown_block… */
const char *sd_geocode_result_to_string (SdGeocodeResult  result);

typedef struct {
  guint  rows;      /* blocks stored */
  guint  cities;    /* cities whose rows were replaced */
  guint  skipped;   /* rows whose block is not a number (地番 such as 甲12) */
  char  *encoding;  /* as read: UTF-8 or CP932 */
} SdAddressImportResult;

void     sd_address_import_result_clear (SdAddressImportResult *result);

/* Imports an address reference file (街区レベル CSV) from CSV; ENCODING
 * NULL detects UTF-8 or CP932. */
gboolean sd_store_import_addresses (SdStore                *store,
                                    GBytes                 *csv,
                                    const char             *encoding,
                                    SdAddressImportResult  *result,
                                    GError                **error);

/* How many blocks the reference holds. */
gint64   sd_store_count_addresses  (SdStore                *store,
                                    GError                **error);

/* The point of ADDRESS: SD_GEOCODE_FOUND with *LAT and *LON set, or why
 * not.  SD_GEOCODE_FOUND is also returned (0) when ERROR is set, so test
 * ERROR first: a failed read is not a reason. */
SdGeocodeResult sd_store_geocode   (SdStore                *store,
                                    const char             *address,
                                    double                 *lat,
                                    double                 *lon,
                                    GError                **error);

/* The MBTiles file this desk draws its base map from (NULL for none),
 * and setting it: the file is opened first, so one that is not an
 * MBTiles file of PNG tiles is refused and the setting stays. */
char    *sd_store_get_map_tiles    (SdStore                *store,
                                    GError                **error);
gboolean sd_store_set_map_tiles    (SdStore                *store,
                                    const char             *path,
                                    GError                **error);

G_END_DECLS
