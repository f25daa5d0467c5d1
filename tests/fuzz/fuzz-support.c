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
 *      normal form is a fixed point (normalising it again gives itself).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sd-address.h"
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

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size < 1)
    return 0;
  if (data[0] % 2 == 0)
    fuzz_import (data + 1, size - 1);
  else
    fuzz_address (data + 1, size - 1);
  return 0;
}
