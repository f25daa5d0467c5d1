/* sd-sync-dump.c: the canonical dump of what sites must hold alike.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every synced table row by row in key order, the state derived from
 * the events, and the op-log by origin and sequence number: two sites
 * that hold the same changes give the same text, byte for byte, whatever
 * order the changes reached them in.  The sync tests and the drill
 * (shelterdesk-cli drill run) compare sites by it.
 */
#include "sd-sync.h"

#include "sd-store-private.h"

#include <glib/gi18n-lib.h>

static void
append_value (GString      *out,
              sqlite3_stmt *stmt,
              int           column)
{
  switch (sqlite3_column_type (stmt, column))
    {
    case SQLITE_NULL:
      g_string_append (out, "∅");
      break;
    case SQLITE_INTEGER:
      g_string_append_printf (out, "i%lld", (long long) sqlite3_column_int64 (stmt, column));
      break;
    case SQLITE_FLOAT:
      g_string_append_printf (out, "r%.17g", sqlite3_column_double (stmt, column));
      break;
    case SQLITE_BLOB:
      g_string_append_c (out, 'x');
      for (int i = 0; i < sqlite3_column_bytes (stmt, column); i++)
        g_string_append_printf (out, "%02x", ((const guint8 *) sqlite3_column_blob (stmt, column))[i]);
      break;
    default:
      g_string_append_printf (out, "t%s", sqlite3_column_text (stmt, column));
    }
}

static gboolean
dump_query (SdStore     *store,
            GString     *out,
            const char  *title,
            const char  *sql,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errmsg (_sd_store_get_db (store)));
      return FALSE;
    }
  g_string_append_printf (out, "== %s\n", title);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          if (c > 0)
            g_string_append_c (out, '|');
          append_value (out, stmt, c);
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not read the database: %s"),
                   sqlite3_errstr (rc));
      return FALSE;
    }
  return TRUE;
}

char *
sd_sync_canonical_dump (SdStore  *store,
                        GError  **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *table;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  for (guint i = 0; (table = _sd_synced_table (i)) != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", table);

      if (!dump_query (store, out, table, sql, error))
        return NULL;
    }
  if (!dump_query (store, out, "person_state", "SELECT * FROM person_state ORDER BY person_id", error) ||
      !dump_query (store, out, "safety_state", "SELECT * FROM safety_state ORDER BY rollcall_id, staff_id", error) ||
      !dump_query (store, out, "support_state", "SELECT * FROM support_state ORDER BY support_person_id", error) ||
      !dump_query (store, out, "oplog",
                   "SELECT s.site_id, o.seq, o.txn, o.hlc, o.kind, t.name, o.row_id, o.fields FROM oplog o "
                   "JOIN oplog_sites s ON s.n = o.site JOIN oplog_tables t ON t.n = o.tbl ORDER BY s.site_id, o.seq",
                   error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}
