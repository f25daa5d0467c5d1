/* sd-geocode.c: addresses to points on the map, from the national address reference.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-geocode.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "sd-address.h"
#include "sd-csv.h"
#include "sd-error.h"
#include "sd-mbtiles.h"
#include "sd-store-private.h"

/* Where Japan is, with its remote islands: a point outside is a bad row
 * (degrees swapped, plane coordinates in the wrong column, a zero). */
#define JAPAN_SOUTH 20.0
#define JAPAN_NORTH 46.0
#define JAPAN_WEST 122.0
#define JAPAN_EAST 154.0

static const struct {
  const char *word;
  const char *label;
} results[SD_N_GEOCODE_RESULTS] = {
  [SD_GEOCODE_FOUND] = { "found", "" },
  [SD_GEOCODE_NO_ADDRESS] = { "no_address", N_("No address is recorded.") },
  [SD_GEOCODE_NOT_UNDERSTOOD] = { "not_understood", N_("The address could not be read: no town name was found in it.") },
  [SD_GEOCODE_NO_BLOCK] = { "no_block", N_("The address has no block number (番地).") },
  [SD_GEOCODE_NO_REFERENCE] = { "no_reference",
                                N_("No address reference is loaded on this desk (shelterdesk-cli map import-addresses).") },
  [SD_GEOCODE_UNKNOWN_TOWN] = { "unknown_town", N_("The town or 丁目 is not in the address reference.") },
  [SD_GEOCODE_UNKNOWN_BLOCK] = { "unknown_block",
                                 N_("The town is in the address reference but this block number is not.") },
  [SD_GEOCODE_AMBIGUOUS] = { "ambiguous",
                             N_("Several cities in the address reference have this town; the address does not say "
                                "which.") },
};

const char *
sd_geocode_result_label (SdGeocodeResult result)
{
  g_return_val_if_fail ((guint) result < SD_N_GEOCODE_RESULTS, "");
  return result == SD_GEOCODE_FOUND ? "" : _(results[result].label);
}

const char *
sd_geocode_result_to_string (SdGeocodeResult result)
{
  g_return_val_if_fail ((guint) result < SD_N_GEOCODE_RESULTS, NULL);
  return results[result].word;
}

void
sd_address_import_result_clear (SdAddressImportResult *result)
{
  g_clear_pointer (&result->encoding, g_free);
}

/* Spellings of one place that the address reader keeps apart but a
 * town's name does not: 大字 and 字 in front (the reference leaves them
 * out, residents write them or not), ヶ ヵ ケ が between kanji (緑ヶ丘,
 * 緑ケ丘, 緑が丘), and the old forms of a few characters (髙, 﨑). */
static char *
town_key (const char *town)
{
  static const struct { gunichar from, to; } variants[] = {
    { 0x9AD9 /* 髙 */, 0x9AD8 /* 高 */ }, { 0xFA11 /* 﨑 */, 0x5D0E /* 崎 */ },
    { 0x5D5C /* 嵜 */, 0x5D0E /* 崎 */ }, { 0x908A /* 邊 */, 0x8FBA /* 辺 */ },
    { 0x9089 /* 邉 */, 0x8FBA /* 辺 */ }, { 0x5FB7 /* 德 */, 0x5FB3 /* 徳 */ },
    { 0xFA10 /* 塚 */, 0x585A /* 塚 */ }, { 0x30F5 /* ヵ */, 0x30B1 /* ケ */ },
    { 0x30F6 /* ヶ */, 0x30B1 /* ケ */ },
  };
  GString *key = g_string_sized_new (strlen (town));
  const char *p = town;

  if (g_str_has_prefix (p, "大字"))
    p += strlen ("大字");
  else if (g_str_has_prefix (p, "字"))
    p += strlen ("字");
  for (gunichar prev = 0; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
        if (c == variants[i].from)
          c = variants[i].to;
      if (c == 0x304C /* が */ && g_unichar_get_script (prev) == G_UNICODE_SCRIPT_HAN &&
          g_unichar_get_script (g_utf8_get_char (g_utf8_next_char (p))) == G_UNICODE_SCRIPT_HAN)
        c = 0x30B1;
      g_string_append_unichar (key, c);
      prev = c;
    }
  return g_string_free (key, FALSE);
}

/* ---- the reference file ---- */

enum { COL_PREFECTURE, COL_CITY, COL_OAZA, COL_KOAZA, COL_BLOCK, COL_LAT, COL_LON, COL_REPRESENTATIVE, N_COLS };

static const char *const headings[N_COLS] = {
  "都道府県名", "市区町村名", "大字・丁目名", "小字・通称名", "街区符号・地番", "緯度", "経度", "代表フラグ",
};

static gboolean
read_degrees (const char *text,
              double      low,
              double      high,
              double     *out)
{
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0' && *out >= low && *out <= high;
}

static gboolean
bad_row (GError     **error,
         guint        line,
         const char  *why)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("Line %u: %s Nothing was imported."), line, why);
  return FALSE;
}

/* One row of the reference into map_addresses; *SKIPPED when its block
 * is not a number the address reader gives back. */
static gboolean
import_row (SdStore     *store,
            GPtrArray   *cells,
            const int   *cols,
            guint        line,
            GHashTable  *cities,
            gboolean    *skipped,
            GError     **error)
{
  const char *city = g_ptr_array_index (cells, cols[COL_CITY]);
  const char *block_text = g_ptr_array_index (cells, cols[COL_BLOCK]);
  const char *representative = cols[COL_REPRESENTATIVE] >= 0 ? g_ptr_array_index (cells, cols[COL_REPRESENTATIVE]) : "1";
  g_autofree char *written = NULL, *key = NULL;
  g_autoptr(SdAddress) address = NULL;
  sqlite3_stmt *stmt;
  double lat, lon;
  char *end = NULL;
  guint64 block;

  if (*city == '\0' || *(const char *) g_ptr_array_index (cells, cols[COL_OAZA]) == '\0')
    return bad_row (error, line, _("the city or the town (大字・丁目名) is empty."));
  if (!read_degrees (g_ptr_array_index (cells, cols[COL_LAT]), JAPAN_SOUTH, JAPAN_NORTH, &lat) ||
      !read_degrees (g_ptr_array_index (cells, cols[COL_LON]), JAPAN_WEST, JAPAN_EAST, &lon))
    return bad_row (error, line, _("the latitude (緯度) and longitude (経度) must be decimal degrees of a place in "
                                   "Japan."));
  block = g_ascii_strtoull (block_text, &end, 10);
  /* The city is its own column: only the town goes through the address
   * reader, which could not tell a city named 〇〇町 from a town. */
  written = g_strconcat ((const char *) g_ptr_array_index (cells, cols[COL_OAZA]),
                         (const char *) g_ptr_array_index (cells, cols[COL_KOAZA]), block_text, NULL);
  address = sd_address_split (written);
  *skipped = *block_text == '\0' || end == NULL || *end != '\0' || block == 0 || block > 99999 || address == NULL ||
             address->town == NULL || address->city != NULL || address->block != block || address->lot != 0;
  if (*skipped)
    return TRUE;
  key = town_key (address->town);
  if (!g_hash_table_contains (cities, city))
    {
      stmt = _sd_store_prepare (store, "DELETE FROM map_addresses WHERE city = ?1", error);
      if (stmt == NULL)
        return FALSE;
      _sd_bind_text (stmt, 1, city);
      if (!_sd_store_exec (store, stmt, _("replace the city’s addresses"), error))
        return FALSE;
      g_hash_table_add (cities, g_strdup (city));
    }
  /* A block given twice keeps its representative point (代表フラグ 1). */
  if (g_strcmp0 (representative, "0") == 0)
    stmt = _sd_store_prepare (store, "INSERT OR IGNORE INTO map_addresses (town, chome, block, city, prefecture, lat, lon) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  else
    stmt = _sd_store_prepare (store, "INSERT OR REPLACE INTO map_addresses (town, chome, block, city, prefecture, lat, lon) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, key);
  sqlite3_bind_int (stmt, 2, (int) address->chome);
  sqlite3_bind_int64 (stmt, 3, (gint64) block);
  _sd_bind_text (stmt, 4, city);
  _sd_bind_text (stmt, 5, g_ptr_array_index (cells, cols[COL_PREFECTURE]));
  sqlite3_bind_double (stmt, 6, lat);
  sqlite3_bind_double (stmt, 7, lon);
  return _sd_store_exec (store, stmt, _("store an address"), error);
}

gboolean
sd_store_import_addresses (SdStore                *store,
                           GBytes                 *csv,
                           const char             *encoding,
                           SdAddressImportResult  *result,
                           GError                **error)
{
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GHashTable) cities = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(SdTxn) txn = NULL;
  int cols[N_COLS];
  guint rows = 0, skipped = 0;
  GPtrArray *cells;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (csv != NULL, FALSE);

  reader = sd_csv_reader_new_from_bytes (csv, encoding, error);
  if (reader == NULL)
    return FALSE;
  header = sd_csv_reader_read_row (reader, error);
  if (header == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                     _("The file is empty. An address reference starts with a line naming its columns."));
      return FALSE;
    }
  for (guint c = 0; c < N_COLS; c++)
    {
      cols[c] = -1;
      for (guint i = 0; i < header->len && cols[c] < 0; i++)
        if (g_strcmp0 (g_strstrip ((char *) g_ptr_array_index (header, i)), headings[c]) == 0)
          cols[c] = (int) i;
      if (cols[c] < 0 && c != COL_REPRESENTATIVE)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                       _("This is not an address reference of blocks (位置参照情報 街区レベル): its first line has no "
                         "column “%s”. Nothing was imported."), headings[c]);
          return FALSE;
        }
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;
  cities = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((cells = sd_csv_reader_read_row (reader, &local)) != NULL)
    {
      g_autoptr(GPtrArray) row = cells;
      guint line = sd_csv_reader_get_line (reader);
      gboolean skip = FALSE;

      if (row->len == 1 && *(const char *) g_ptr_array_index (row, 0) == '\0')
        continue;
      if (row->len != header->len)
        return bad_row (error, line, _("it does not have as many cells as the first line names columns."));
      if (!import_row (store, row, cols, line, cities, &skip, error))
        return FALSE;
      if (skip)
        skipped++;
      else
        rows++;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      g_prefix_error (error, _("Nothing was imported: "));
      return FALSE;
    }
  if (rows == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("The file names no block with a number: there is nothing to place people by. Nothing was "
                     "imported."));
      return FALSE;
    }
  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;
  if (result != NULL)
    {
      result->rows = rows;
      result->cities = g_hash_table_size (cities);
      result->skipped = skipped;
      g_free (result->encoding);
      result->encoding = g_strdup (sd_csv_reader_get_encoding (reader));
    }
  return TRUE;
}

gint64
sd_store_count_addresses (SdStore  *store,
                          GError  **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (SD_IS_STORE (store), -1);

  stmt = _sd_store_prepare (store, "SELECT count(*) FROM map_addresses", error);
  if (stmt != NULL && _sd_store_step (store, stmt, _("count the address reference"), error) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

/* ---- looking up ---- */

/* How many rows STMT (bound already) gives, up to 2; the first one's
 * point in *LAT, *LON.  -1 on a failed read. */
static int
count_matches (SdStore       *store,
               sqlite3_stmt  *stmt,
               double        *lat,
               double        *lon,
               GError       **error)
{
  int n = 0, rc = SQLITE_DONE;

  while (n < 2 && (rc = _sd_store_step (store, stmt, _("look up an address"), error)) == SQLITE_ROW)
    {
      if (n == 0 && lat != NULL)
        {
          *lat = sqlite3_column_double (stmt, 0);
          *lon = sqlite3_column_double (stmt, 1);
        }
      n++;
    }
  sqlite3_reset (stmt);
  return n < 2 && rc != SQLITE_DONE && rc != SQLITE_ROW ? -1 : n;
}

/* How many blocks (up to 2) match KEY, CHOME, BLOCK (0: any) in CITY
 * (NULL: any); the first one's point in *LAT, *LON.  -1 on a failed read. */
static int
lookup (SdStore     *store,
        const char  *key,
        guint        chome,
        guint        block,
        const char  *city,
        double      *lat,
        double      *lon,
        GError     **error)
{
  sqlite3_stmt *stmt;

  if (block > 0)
    stmt = _sd_store_prepare (store, "SELECT lat, lon FROM map_addresses "
                                     "WHERE town = ?1 AND chome = ?2 AND block = ?3 AND (?4 IS NULL OR city = ?4) "
                                     "LIMIT 2", error);
  else
    stmt = _sd_store_prepare (store, "SELECT lat, lon FROM map_addresses "
                                     "WHERE town = ?1 AND chome = ?2 AND (?4 IS NULL OR city = ?4) LIMIT 1", error);
  if (stmt == NULL)
    return -1;
  _sd_bind_text (stmt, 1, key);
  sqlite3_bind_int (stmt, 2, (int) chome);
  if (block > 0)
    sqlite3_bind_int64 (stmt, 3, block);
  _sd_bind_text (stmt, 4, city);
  return count_matches (store, stmt, lat, lon, error);
}

SdGeocodeResult
sd_store_geocode (SdStore     *store,
                  const char  *address,
                  double      *lat,
                  double      *lon,
                  GError     **error)
{
  g_autoptr(SdAddress) split = NULL;
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;
  int n;

  g_return_val_if_fail (SD_IS_STORE (store), SD_GEOCODE_FOUND);
  g_return_val_if_fail (lat != NULL && lon != NULL, SD_GEOCODE_FOUND);

  split = address != NULL ? sd_address_split (address) : NULL;
  if (split == NULL)
    return SD_GEOCODE_NO_ADDRESS;
  if (split->town == NULL)
    return SD_GEOCODE_NOT_UNDERSTOOD;
  if (split->block == 0)
    return SD_GEOCODE_NO_BLOCK;
  key = town_key (split->town);

  n = lookup (store, key, split->chome, split->block, split->city, lat, lon, error);
  /* With no city read, the town may begin with one the reader did not
   * know as a city (となり町本町 is 本町 of となり町). */
  if (n == 0 && split->city == NULL)
    {
      g_autoptr(GPtrArray) cities = g_ptr_array_new_with_free_func (g_free);

      stmt = _sd_store_prepare (store, "SELECT DISTINCT city FROM map_addresses "
                                       "WHERE substr (?1, 1, length (city)) = city AND length (?1) > length (city)",
                                error);
      if (stmt == NULL)
        return SD_GEOCODE_FOUND;
      _sd_bind_text (stmt, 1, key);
      while (_sd_store_step (store, stmt, _("look up an address"), NULL) == SQLITE_ROW)
        g_ptr_array_add (cities, g_strdup (_sd_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      for (guint i = 0; i < cities->len && n == 0; i++)
        {
          const char *city = g_ptr_array_index (cities, i);
          g_autofree char *town = g_strdup (key + strlen (city));

          n = lookup (store, town, split->chome, split->block, city, lat, lon, error);
          if (n == 0)
            continue;
          g_free (key);
          key = g_steal_pointer (&town);
          g_free (split->city);
          split->city = g_strdup (city);
        }
    }
  if (n == 1)
    return SD_GEOCODE_FOUND;
  if (n == 2)
    return SD_GEOCODE_AMBIGUOUS;
  if (n < 0)
    return SD_GEOCODE_FOUND;

  /* Not found: say what is missing, the town's 丁目 or only the block. */
  n = lookup (store, key, split->chome, 0, split->city, NULL, NULL, error);
  if (n > 0)
    return SD_GEOCODE_UNKNOWN_BLOCK;
  if (n < 0)
    return SD_GEOCODE_FOUND;
  stmt = _sd_store_prepare (store, "SELECT lat, lon FROM map_addresses LIMIT 1", error);
  if (stmt == NULL)
    return SD_GEOCODE_FOUND;
  n = count_matches (store, stmt, NULL, NULL, error);
  return n < 0 ? SD_GEOCODE_FOUND : n == 0 ? SD_GEOCODE_NO_REFERENCE : SD_GEOCODE_UNKNOWN_TOWN;
}

/* ---- the base map ---- */

char *
sd_store_get_map_tiles (SdStore  *store,
                        GError  **error)
{
  sqlite3_stmt *stmt;
  char *path = NULL;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  stmt = _sd_store_prepare (store, "SELECT path FROM map_base WHERE id = 1", error);
  if (stmt != NULL && _sd_store_step (store, stmt, _("read which base map is used"), error) == SQLITE_ROW)
    path = g_strdup (_sd_column_text (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return path;
}

gboolean
sd_store_set_map_tiles (SdStore     *store,
                        const char  *path,
                        GError     **error)
{
  g_autoptr(SdMbtiles) tiles = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *absolute = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  tiles = sd_mbtiles_open (path, error);
  if (tiles == NULL)
    return FALSE;
  /* Kept absolute: the desk may be started from anywhere. */
  file = g_file_new_for_path (path);
  absolute = g_file_get_path (file);
  txn = _sd_store_begin (store, error);
  stmt = txn != NULL ? _sd_store_prepare (store, "INSERT OR REPLACE INTO map_base (id, path, set_at) VALUES (1, ?1, ?2)",
                                          error) : NULL;
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, absolute);
  sqlite3_bind_int64 (stmt, 2, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("remember the base map"), error) &&
         _sd_txn_commit (g_steal_pointer (&txn), error);
}
