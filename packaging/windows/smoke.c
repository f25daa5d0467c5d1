/* smoke.c: a Windows program linked against the cached dependency prefix,
 * run under Wine by build-prefix.sh before the prefix is trusted: each
 * library the core needs from it loads and does one real thing.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib.h>
#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

int
main (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  unsigned char hash[crypto_generichash_BYTES];
  json_t *object = json_pack ("{s:s}", "shelter", "S01");
  char *text = json_dumps (object, JSON_COMPACT);
  g_autofree char *upper = g_utf8_strup ("避難所 abc", -1);
  g_autoptr(GFile) here = g_file_new_for_path (".");
  int ok = 1;

  /* GLib, with its Unicode tables, and GIO (with zlib). */
  ok &= strcmp (upper, "避難所 ABC") == 0;
  ok &= g_file_query_exists (here, NULL);
  /* libsodium. */
  ok &= sodium_init () >= 0 && crypto_generichash (hash, sizeof hash, (const unsigned char *) "x", 1, NULL, 0) == 0;
  /* jansson. */
  ok &= text != NULL && strcmp (text, "{\"shelter\":\"S01\"}") == 0;
  /* SQLite, with JSON and FTS5 as Debian builds it. */
  ok &= sqlite3_open (":memory:", &db) == SQLITE_OK &&
        sqlite3_exec (db, "CREATE VIRTUAL TABLE t USING fts5 (x)", NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2 (db, "SELECT json_extract ('{\"a\":2}', '$.a')", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 2;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  free (text);
  json_decref (object);
  printf ("%s: GLib %u.%u.%u, SQLite %s, libsodium %s, jansson %s\n", ok ? "ok" : "FAILED", glib_major_version,
          glib_minor_version, glib_micro_version, sqlite3_libversion (), sodium_version_string (), jansson_version_str ());
  return ok ? 0 : 1;
}
