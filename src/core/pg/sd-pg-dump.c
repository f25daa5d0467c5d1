/* sd-pg-dump.c: the canonical dump of a PostgreSQL deployment, as sd-sync-dump.c writes SQLite's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same text byte for byte when PostgreSQL and a SQLite site hold the
 * same changes: the same tables in the same order, rows in key order
 * ("C" collation, as SQLite's BINARY), each value as SQLite's dump writes
 * its storage class (i, t, ∅; a row id that SQLite keeps as 16 bytes as
 * x and its hex).
 */
#include "sd-pg-private.h"

#include <glib/gi18n-lib.h>

#define INT2OID 21
#define INT4OID 23
#define INT8OID 20

static gboolean
dump_query (SdPgStore   *self,
            GString     *out,
            const char  *title,
            const char  *sql,
            GError     **error)
{
  g_autoptr(PGresult) res = _sd_pg_query (self, _("read the database"), sql, 0, NULL, error);

  if (res == NULL)
    return FALSE;
  g_string_append_printf (out, "== %s\n", title);
  for (int r = 0; r < PQntuples (res); r++)
    {
      for (int c = 0; c < PQnfields (res); c++)
        {
          Oid type = PQftype (res, c);

          if (c > 0)
            g_string_append_c (out, '|');
          if (PQgetisnull (res, r, c))
            g_string_append (out, "∅");
          else if (g_str_has_prefix (PQfname (res, c), "as_is"))
            g_string_append (out, PQgetvalue (res, r, c));
          else
            g_string_append_printf (out, "%c%s", type == INT8OID || type == INT4OID || type == INT2OID ? 'i' : 't',
                                    PQgetvalue (res, r, c));
        }
      g_string_append_c (out, '\n');
    }
  return TRUE;
}

char *
sd_pg_store_canonical_dump (SdPgStore  *self,
                            GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GPtrArray *tables = _sd_pg_schema_tables (error);
  static const struct {
    const char *name, *key;
  } states[] = {
    { "person_state", "person_id" },
    { "safety_state", "rollcall_id, staff_id" },
    { "support_state", "support_person_id" },
  };

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  if (tables == NULL)
    return NULL;
  /* One snapshot for the whole dump, while receivers merge. */
  if (!_sd_pg_exec (self, _("read the database"), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return NULL;
  for (guint i = 0; i < tables->len; i++)
    {
      const SdPgTable *t = g_ptr_array_index (tables, i);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY id", t->name);

      if (t->synced && !dump_query (self, out, t->name, sql, error))
        goto failed;
    }
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY %s", states[i].name, states[i].key);

      if (!dump_query (self, out, states[i].name, sql, error))
        goto failed;
    }
  if (!dump_query (self, out, "oplog",
                   "SELECT site_id, seq, txn, hlc, kind, tbl, "
                   "  CASE WHEN row_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' "
                   "    THEN 'x' || replace (row_id, '-', '') ELSE 't' || row_id END AS as_is_row_id, fields "
                   "FROM oplog ORDER BY site_id, seq", error))
    goto failed;
  if (!_sd_pg_exec (self, _("read the database"), "COMMIT", error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);

failed:
  PQclear (PQexec (_sd_pg_store_get_conn (self), "ROLLBACK"));
  return NULL;
}
