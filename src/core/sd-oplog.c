/* sd-oplog.c: the op-log's compact encoding: row ids as 16 bytes, changed fields packed in one JSON object.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One op-log row is one change of one row (schema 7, sd-migrations.c):
 * the fields it wrote are one JSON object from each field's number
 * (oplog_fields) to its value, {"2":"山田 太郎","5":"male"}, so that a
 * person's registration is one entry of a few hundred bytes instead of
 * sixteen entries of three hundred.  JSON keeps each value's type
 * (integer, text, NULL) exactly, so replay gives back the very values the
 * table holds; any SQLite (json_each) and PostgreSQL (jsonb) can read it.
 *
 * Row ids are UUIDs made here (sd-uuid.c): 36 characters of text in the
 * tables, 16 bytes in the op-log.  An id that is not a UUID in its
 * canonical lower-case form stays text, so every id comes back exactly.
 * The byte order of the blobs is the order of the text, so the op-log's
 * (table, row) index lists rows in id order either way.
 */
#include "sd-oplog.h"

#include <math.h>
#include <string.h>

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;  /* upper case is not canonical: it stays text */
}

/* The 16 bytes of a canonical "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx". */
static gboolean
uuid_bytes (const char *text,
            int         n,
            guint8      out[16])
{
  guint b = 0;

  if (text == NULL || n != 36)
    return FALSE;
  for (int i = 0; i < 36;)
    {
      int hi, lo;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (text[i++] != '-')
            return FALSE;
          continue;
        }
      hi = hex_value (text[i]);
      lo = hex_value (text[i + 1]);
      if (hi < 0 || lo < 0)
        return FALSE;
      out[b++] = (guint8) (hi << 4 | lo);
      i += 2;
    }
  return TRUE;
}

gboolean
_sd_oplog_row_key (const char *row_id,
                   gsize       n,
                   guint8      key[16])
{
  return n == 36 && uuid_bytes (row_id, (int) n, key);
}

static void
sql_row_key_cb (sqlite3_context *ctx,
                int              argc,
                sqlite3_value  **argv)
{
  guint8 bytes[16];

  if (sqlite3_value_type (argv[0]) == SQLITE_TEXT &&
      uuid_bytes ((const char *) sqlite3_value_text (argv[0]), sqlite3_value_bytes (argv[0]), bytes))
    sqlite3_result_blob (ctx, bytes, sizeof bytes, SQLITE_TRANSIENT);
  else
    sqlite3_result_value (ctx, argv[0]);
}

char *
_sd_oplog_row_id_text (sqlite3_value *row_id)
{
  if (sqlite3_value_type (row_id) == SQLITE_BLOB && sqlite3_value_bytes (row_id) == 16)
    {
      static const char hex[] = "0123456789abcdef";
      const guint8 *b = sqlite3_value_blob (row_id);
      char *text = g_malloc (37), *out = text;

      /* xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, without printf: a merge
       * makes one per row. */
      for (guint i = 0; i < 16; i++)
        {
          if (i == 4 || i == 6 || i == 8 || i == 10)
            *out++ = '-';
          *out++ = hex[b[i] >> 4];
          *out++ = hex[b[i] & 0xf];
        }
      *out = '\0';
      return text;
    }
  return g_strdup ((const char *) sqlite3_value_text (row_id));
}

static void
sql_row_id_cb (sqlite3_context *ctx,
               int              argc,
               sqlite3_value  **argv)
{
  if (sqlite3_value_type (argv[0]) == SQLITE_BLOB)
    sqlite3_result_text (ctx, _sd_oplog_row_id_text (argv[0]), -1, g_free);
  else
    sqlite3_result_value (ctx, argv[0]);
}

/* ---- packing ---- */

static void
append_json_string (GString    *out,
                    const char *text,
                    int         n)
{
  g_string_append_c (out, '"');
  for (int i = 0; i < n; i++)
    {
      guchar c = (guchar) text[i];

      if (c == '"' || c == '\\')
        g_string_append_c (out, '\\'), g_string_append_c (out, (char) c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static gboolean
append_real (GString *out,
             double   d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (d))
    return FALSE;
  g_ascii_formatd (buf, sizeof buf, "%.17g", d);
  g_string_append (out, buf);
  /* Written as 3 it would come back an integer. */
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
  return TRUE;
}

/* Appends "N":VALUE; FALSE for a value JSON cannot carry exactly. */
static gboolean
append_field (GString       *out,
              gint64         number,
              sqlite3_value *value)
{
  if (out->len > 1)
    g_string_append_c (out, ',');
  g_string_append_printf (out, "\"%" G_GINT64_FORMAT "\":", number);
  switch (sqlite3_value_type (value))
    {
    case SQLITE_NULL:
      g_string_append (out, "null");
      return TRUE;
    case SQLITE_INTEGER:
      g_string_append_printf (out, "%lld", (long long) sqlite3_value_int64 (value));
      return TRUE;
    case SQLITE_FLOAT:
      return append_real (out, sqlite3_value_double (value));
    case SQLITE_TEXT:
      append_json_string (out, (const char *) sqlite3_value_text (value), sqlite3_value_bytes (value));
      return TRUE;
    default:
      return FALSE;  /* no synced column holds bytes */
    }
}

char *
_sd_oplog_pack_json (json_t *fields)
{
  GString *out = g_string_new ("{");
  const char *key;
  json_t *value;
  gboolean ok = json_is_object (fields);

  /* Jansson keeps the members in the order they were read, so a change
   * comes back in the very text its origin wrote. */
  json_object_foreach (ok ? fields : NULL, key, value)
    {
      char *end = NULL;
      guint64 number = g_ascii_strtoull (key, &end, 10);

      if (number == 0 || number > 1000 || *end != '\0' || !g_ascii_isdigit (key[0]) || key[0] == '0')
        {
          ok = FALSE;
          break;
        }
      if (out->len > 1)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%" G_GUINT64_FORMAT "\":", number);
      if (json_is_null (value))
        g_string_append (out, "null");
      else if (json_is_integer (value))
        g_string_append_printf (out, "%lld", (long long) json_integer_value (value));
      else if (json_is_real (value))
        ok = append_real (out, json_real_value (value));
      else if (json_is_string (value))
        append_json_string (out, json_string_value (value), (int) json_string_length (value));
      else
        ok = FALSE;
      if (!ok)
        break;
    }
  if (!ok)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static void
result_packed (sqlite3_context *ctx,
               GString         *out,
               gboolean         ok)
{
  if (!ok)
    {
      sqlite3_result_error (ctx, "a value the record of changes cannot hold", -1);
      g_string_free (out, TRUE);
      return;
    }
  g_string_append_c (out, '}');
  sqlite3_result_text (ctx, out->str, (int) out->len, g_free);
  g_string_free (out, FALSE);
}

/* sd_pack (N1, V1, N2, V2, ...): the fields of a new row that are not NULL
 * (replay makes the others NULL). */
static void
sql_pack_cb (sqlite3_context *ctx,
             int              argc,
             sqlite3_value  **argv)
{
  GString *out = g_string_new ("{");
  gboolean ok = argc % 2 == 0;

  for (int i = 0; ok && i + 1 < argc; i += 2)
    if (sqlite3_value_type (argv[i + 1]) != SQLITE_NULL)
      ok = append_field (out, sqlite3_value_int64 (argv[i]), argv[i + 1]);
  result_packed (ctx, out, ok);
}

/* Whether OLD IS NOT NEW, as SQL says it: 1 and 1.0 are the same value. */
static gboolean
value_changed (sqlite3_value *old,
               sqlite3_value *new)
{
  int to = sqlite3_value_type (old), tn = sqlite3_value_type (new);
  int n;

  if (to == SQLITE_NULL || tn == SQLITE_NULL)
    return to != tn;
  if ((to == SQLITE_INTEGER || to == SQLITE_FLOAT) && (tn == SQLITE_INTEGER || tn == SQLITE_FLOAT))
    {
      if (to == SQLITE_INTEGER && tn == SQLITE_INTEGER)
        return sqlite3_value_int64 (old) != sqlite3_value_int64 (new);
      return sqlite3_value_double (old) != sqlite3_value_double (new);
    }
  if (to != tn)
    return TRUE;
  n = sqlite3_value_bytes (old);
  return n != sqlite3_value_bytes (new) ||
         memcmp (sqlite3_value_blob (old), sqlite3_value_blob (new), n) != 0;
}

/* sd_pack_changed (N1, OLD1, NEW1, ...): the fields an UPDATE changed, or
 * NULL when it changed none. */
static void
sql_pack_changed_cb (sqlite3_context *ctx,
                     int              argc,
                     sqlite3_value  **argv)
{
  GString *out = g_string_new ("{");
  gboolean ok = argc % 3 == 0;

  for (int i = 0; ok && i + 2 < argc; i += 3)
    if (value_changed (argv[i + 1], argv[i + 2]))
      ok = append_field (out, sqlite3_value_int64 (argv[i]), argv[i + 2]);
  if (ok && out->len == 1)
    {
      g_string_free (out, TRUE);
      sqlite3_result_null (ctx);
      return;
    }
  result_packed (ctx, out, ok);
}

char *
_sd_oplog_pack_columns (sqlite3    *db,
                        const char *table,
                        GPtrArray  *columns,
                        GPtrArray  *which,
                        GPtrArray  *values)
{
  GString *out = g_string_new ("{");
  sqlite3_stmt *number = NULL;
  gboolean ok = sqlite3_prepare_v2 (db, "SELECT f.n FROM oplog_fields f JOIN oplog_tables t ON t.n = f.tbl "
                                        "WHERE t.name = ?1 AND f.name = ?2 AND NOT f.retired",
                                    -1, &number, NULL) == SQLITE_OK;

  for (guint i = 0; ok && i < which->len; i++)
    {
      sqlite3_bind_text (number, 1, table, -1, SQLITE_STATIC);
      sqlite3_bind_text (number, 2, g_ptr_array_index (columns, GPOINTER_TO_UINT (g_ptr_array_index (which, i))),
                         -1, SQLITE_STATIC);
      ok = sqlite3_step (number) == SQLITE_ROW &&
           append_field (out, sqlite3_column_int64 (number, 0), g_ptr_array_index (values, i));
      sqlite3_reset (number);
    }
  sqlite3_finalize (number);
  if (!ok)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

void
_sd_oplog_register_functions (sqlite3 *db)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

  sqlite3_create_function (db, "sd_row_key", 1, flags, NULL, sql_row_key_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_row_id", 1, flags, NULL, sql_row_id_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_pack", -1, flags, NULL, sql_pack_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_pack_changed", -1, flags, NULL, sql_pack_changed_cb, NULL, NULL);
}
