/* sd-fields-differ.c: the fields reader against SQLite's json_each, for the tests and the fuzzer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The replay reads a change's fields with _sd_fields_read () and, when
 * that refuses, with json_each (): so whatever the reader accepts must
 * be exactly what json_each gives, member by member: the key as the
 * replay reads it (g_ascii_strtoull), the value's type and its bytes.
 */
#include "sd-fields-differ.h"
#include "sd-fields.h"

#include <string.h>

sqlite3 *
sd_fields_differ_open (void)
{
  sqlite3 *db = NULL;

  if (sqlite3_open (":memory:", &db) != SQLITE_OK)
    g_error ("no in-memory database");
  return db;
}

/* FALSE when the reader accepted JSON and json_each gives anything else
 * (or refuses it); *ACCEPTED says whether the reader accepted. */
gboolean
sd_fields_differ_check (sqlite3    *db,
                        const char *json,
                        gsize       n,
                        gboolean   *accepted)
{
  g_autoptr(GArray) fields = g_array_new (FALSE, FALSE, sizeof (SdField));
  g_autoptr(GString) scratch = g_string_new (NULL);
  sqlite3_stmt *each = NULL;
  gboolean same = TRUE;
  guint i = 0;
  int rc;

  *accepted = _sd_fields_read (json, n, fields, scratch);
  if (!*accepted)
    return TRUE;
  if (sqlite3_prepare_v2 (db, "SELECT key, value FROM json_each (?1)", -1, &each, NULL) != SQLITE_OK)
    g_error ("json_each: %s", sqlite3_errmsg (db));
  sqlite3_bind_text (each, 1, json, (int) n, SQLITE_TRANSIENT);
  while (same && (rc = sqlite3_step (each)) == SQLITE_ROW)
    {
      const SdField *field = &g_array_index (fields, SdField, i);
      const char *key = (const char *) sqlite3_column_text (each, 0);
      int type = sqlite3_column_type (each, 1);

      if (i++ >= fields->len || key == NULL || g_ascii_strtoull (key, NULL, 10) != field->number ||
          type != field->type)
        {
          same = FALSE;
          break;
        }
      if (type == SQLITE_INTEGER)
        same = sqlite3_column_int64 (each, 1) == field->integer;
      else if (type == SQLITE_TEXT)
        same = sqlite3_column_bytes (each, 1) == field->n && field->text != NULL &&
               memcmp (sqlite3_column_text (each, 1), field->text, field->n) == 0;
    }
  if (same)
    same = rc == SQLITE_DONE && i == fields->len;
  sqlite3_finalize (each);
  return same;
}
