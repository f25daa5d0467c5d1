/* fuzz-support.c: libFuzzer target for what the support list reads from outside: a welfare system's CSV, and addresses.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte chooses what the rest is:
 *   0  a welfare export, read, its columns guessed, compared with the
 *      list and applied to a real store: a refused file writes nothing,
 *      an applied one exactly the new people it counted, and the same
 *      file compared again changes nothing;
 *   1  an address, normalised and taken apart: valid UTF-8 out, and the
 *      normal form is a fixed point (normalising it again gives itself);
 *   2  (that byte exactly) an address reference for the map, imported:
 *      refused whole with a readable message, or stored with every point
 *      in Japan; then each of its lines geocoded as an address, which
 *      finds a point in Japan or a reason, never anything else.
 * (Other even bytes are 0, odd ones 1, as before this mode existed.)
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sd-address.h"
#include "sd-geocode.h"
#include "sd-store-private.h"
#include "sd-support-import.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static SdStore *store;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = g_dir_make_tmp ("sd-fuzz-support-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "site.sqlite", NULL);
  SdSupportPersonSpec spec = { "30000", "田中 美代子", NULL, SD_SEX_FEMALE, "1946-04-20", "みなと川市北町3丁目17-6",
                               NULL, "独居", TRUE, NULL, NULL };
  char *id;

  store = sd_store_open (path, SD_STORE_OPEN_CREATE, NULL);
  g_assert (store != NULL);
  id = sd_store_add_support_person (store, &spec, NULL);
  g_assert (id != NULL);
  g_free (id);
  return 0;
}

static gint64
count (const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) == SQLITE_OK);
  g_assert (sqlite3_step (stmt) == SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
fuzz_import (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GBytes) csv = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSupportImport) import = sd_support_import_read (csv, NULL, &error);
  gint64 persons = count ("SELECT count (*) FROM support_persons");
  gint64 ops = count ("SELECT count (*) FROM oplog");
  guint n_new;

  if (import == NULL)
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL))
        __builtin_trap ();
      return;
    }
  sd_support_import_guess (import, store);
  if (!sd_support_import_compare (import, store, &error))
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL) ||
          count ("SELECT count (*) FROM oplog") != ops)
        __builtin_trap ();
      return;
    }
  n_new = sd_support_import_count (import, SD_SUPPORT_CHANGE_NEW);
  if (!sd_support_import_apply (import, store, &error))
    {
      /* Refused whole: nothing of it stays. */
      if (error == NULL || count ("SELECT count (*) FROM oplog") != ops)
        __builtin_trap ();
      return;
    }
  if (count ("SELECT count (*) FROM support_persons") != persons + n_new)
    __builtin_trap ();
  /* Applied: the same file again finds nothing to change. */
  {
    g_autoptr(SdSupportImport) again = sd_support_import_read (csv, NULL, NULL);

    g_assert (again != NULL);
    sd_support_import_guess (again, store);
    if (!sd_support_import_compare (again, store, NULL) ||
        sd_support_import_count (again, SD_SUPPORT_CHANGE_NEW) + sd_support_import_count (again, SD_SUPPORT_CHANGE_CHANGED) +
        sd_support_import_count (again, SD_SUPPORT_CHANGE_BACK) != 0)
      __builtin_trap ();
  }
}

static void
fuzz_address (const uint8_t *data,
              size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *normal = sd_address_normalize (text);
  g_autoptr(SdAddress) split = sd_address_split (text);
  g_autofree char *district = sd_address_district (text);

  if (normal != NULL)
    {
      g_autofree char *again = sd_address_normalize (normal);

      if (!g_utf8_validate (normal, -1, NULL) || g_strcmp0 (again, normal) != 0)
        __builtin_trap ();
    }
  if (district != NULL && !g_utf8_validate (district, -1, NULL))
    __builtin_trap ();
  /* A district is the town and its 丁目, never more. */
  if (split != NULL && district != NULL &&
      (split->town == NULL || !g_str_has_prefix (district, split->town)))
    __builtin_trap ();
}

static void
fuzz_reference (const uint8_t *data,
                size_t         size)
{
  g_autoptr(GBytes) csv = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;
  SdAddressImportResult result = { 0 };
  gint64 before = count ("SELECT count (*) FROM map_addresses");
  gint64 ops = count ("SELECT count (*) FROM oplog");

  if (!sd_store_import_addresses (store, csv, NULL, &result, &error))
    {
      if (error == NULL || !g_utf8_validate (error->message, -1, NULL) ||
          count ("SELECT count (*) FROM map_addresses") != before)
        __builtin_trap ();
    }
  else if (result.rows == 0 ||
           count ("SELECT count (*) FROM map_addresses WHERE lat < 20 OR lat > 46 OR lon < 122 OR lon > 154") != 0)
    __builtin_trap ();
  sd_address_import_result_clear (&result);
  /* The reference is this desk's own: nothing of it is captured. */
  if (count ("SELECT count (*) FROM oplog") != ops)
    __builtin_trap ();
  lines = g_strsplit (text, "\n", 64);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) local = NULL;
      double lat = 0, lon = 0;
      SdGeocodeResult found;

      if (!g_utf8_validate (lines[i], -1, NULL))
        continue;
      found = sd_store_geocode (store, lines[i], &lat, &lon, &local);
      if (local != NULL || (guint) found >= SD_N_GEOCODE_RESULTS ||
          (found == SD_GEOCODE_FOUND && (lat < 20 || lat > 46 || lon < 122 || lon > 154)))
        __builtin_trap ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 1)
    return 0;
  if (data[0] == 2)
    fuzz_reference (data + 1, size - 1);
  else if (data[0] % 2 == 0)
    fuzz_import (data + 1, size - 1);
  else
    fuzz_address (data + 1, size - 1);
  return 0;
}
