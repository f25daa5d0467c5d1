/* sd-pg-store.c: the connection to a deployment's PostgreSQL database, and its errors.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors name what ShelterDesk was doing, the SQLSTATE and what that
 * class of error means, and the table or column when the server names
 * one: never the server's message, which may quote a value (a name, a
 * birth date) of the row it failed on.
 */
#include "sd-pg-private.h"

#include <glib/gi18n-lib.h>

struct _SdPgStore {
  GObject  parent_instance;
  PGconn  *conn;
  char    *description;
};

G_DEFINE_FINAL_TYPE (SdPgStore, sd_pg_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (sd-pg-error-quark, sd_pg_error)

static void
sd_pg_store_finalize (GObject *object)
{
  SdPgStore *self = SD_PG_STORE (object);

  if (self->conn != NULL)
    PQfinish (self->conn);
  g_free (self->description);
  G_OBJECT_CLASS (sd_pg_store_parent_class)->finalize (object);
}

static void
sd_pg_store_class_init (SdPgStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_pg_store_finalize;
}

static void
sd_pg_store_init (SdPgStore *self)
{
}

PGconn *
_sd_pg_store_get_conn (SdPgStore *self)
{
  return self->conn;
}

const char *
sd_pg_store_get_description (SdPgStore *self)
{
  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);
  return self->description;
}

/* What a class of SQLSTATE means to the person running HQ. */
static const char *
explain_sqlstate (const char *state)
{
  static const struct {
    const char *prefix;
    const char *text;
  } classes[] = {
    { "40P01", N_("two receivers waited on each other; run again") },
    { "40001", N_("another receiver changed the same rows; run again") },
    { "42501", N_("the database role lacks a permission ShelterDesk needs (docs/deploy-hq-postgres.md)") },
    { "3D000", N_("there is no such database") },
    { "53100", N_("the server’s disk is full") },
    { "08", N_("the connection failed") },
    { "28", N_("the server refused the role or its password") },
    { "53", N_("the server ran out of a resource (disk, memory, connections)") },
    { "57", N_("the server is shutting down or the work was cancelled") },
    { "22", N_("a value does not fit its column") },
    { "23", N_("a row breaks a rule of its table") },
    { "25", N_("the transaction was in the wrong state") },
    { "42", N_("the database is not what ShelterDesk expects") },
    { "XX", N_("the server met an internal error") },
  };

  for (guint i = 0; state != NULL && i < G_N_ELEMENTS (classes); i++)
    if (g_str_has_prefix (state, classes[i].prefix))
      return _(classes[i].text);
  return _("the server refused it");
}

void
_sd_pg_set_error (SdPgStore   *self,
                  PGresult    *res,
                  const char  *what,
                  GError     **error)
{
  const char *state = res != NULL ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *table = res != NULL ? PQresultErrorField (res, PG_DIAG_TABLE_NAME) : NULL;
  const char *column = res != NULL ? PQresultErrorField (res, PG_DIAG_COLUMN_NAME) : NULL;
  g_autofree char *where = NULL;

  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_LOST,
                   _("The connection to PostgreSQL (%s) was lost while ShelterDesk was trying to %s: nothing of "
                     "it was kept; it is tried again when the server is back."), self->description, what);
      return;
    }
  if (table != NULL)
    where = column != NULL ? g_strdup_printf (" (%s.%s)", table, column) : g_strdup_printf (" (%s)", table);
  g_set_error (error, SD_PG_ERROR,
               g_strcmp0 (state, "40P01") == 0 || g_strcmp0 (state, "40001") == 0 ? SD_PG_ERROR_COLLIDED
               : state != NULL && g_str_has_prefix (state, "08") ? SD_PG_ERROR_LOST
               : SD_PG_ERROR_FAILED,
               _("PostgreSQL could not %s: %s (SQLSTATE %s)%s."), what, explain_sqlstate (state),
               state != NULL ? state : "?????", where != NULL ? where : "");
}

gboolean
_sd_pg_error_is_retry (const GError *error)
{
  return g_error_matches (error, SD_PG_ERROR, SD_PG_ERROR_COLLIDED);
}

PGresult *
_sd_pg_query (SdPgStore          *self,
              const char         *what,
              const char         *sql,
              int                 n_params,
              const char *const  *params,
              GError            **error)
{
  /* Every parameter is text (25, TEXTOID), cast where it is used:
   * declared so, a query need not use them all. */
  static const Oid text_types[16] = { 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25, 25 };
  PGresult *res;
  ExecStatusType status;

  gint64 t0 = g_get_monotonic_time ();

  g_return_val_if_fail (n_params <= (int) G_N_ELEMENTS (text_types), NULL);
  res = n_params > 0 ? PQexecParams (self->conn, sql, n_params, text_types, params, NULL, NULL, 0)
                     : PQexec (self->conn, sql);
  status = PQresultStatus (res);
  /* The statement's start is ShelterDesk's own text, never a value. */
  g_debug ("pg: %.48s… in %.0f ms", sql, (g_get_monotonic_time () - t0) / 1000.0);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_COPY_IN)
    return res;
  _sd_pg_set_error (self, res, what, error);
  PQclear (res);
  return NULL;
}

gboolean
_sd_pg_exec (SdPgStore   *self,
             const char  *what,
             const char  *sql,
             GError     **error)
{
  g_autoptr(PGresult) res = _sd_pg_query (self, what, sql, 0, NULL, error);

  return res != NULL;
}

static void
ignore_notice (void       *arg,
               const char *message)
{
  /* "relation already exists, skipping": the schema's IF NOT EXISTS. */
}

SdPgStore *
sd_pg_store_open (const char  *conninfo,
                  GError     **error)
{
  g_autoptr(SdPgStore) self = g_object_new (SD_TYPE_PG_STORE, NULL);
  const char *db, *host;

  g_return_val_if_fail (conninfo != NULL, NULL);

  self->conn = PQconnectdb (conninfo);
  db = PQdb (self->conn);
  host = PQhost (self->conn);
  self->description = g_strdup_printf ("%s%s%s", db != NULL ? db : "?", host != NULL && *host != '\0' ? "@" : "",
                                       host != NULL ? host : "");
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strstrip (g_strdup (PQerrorMessage (self->conn)));

      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_CONNECT,
                   _("Could not connect to PostgreSQL: %s. Check the connection string or service file "
                     "(docs/deploy-hq-postgres.md)."), message);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, ignore_notice, NULL);
  if (PQserverVersion (self->conn) < 150000)
    {
      g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_CONNECT,
                   _("PostgreSQL %d.%d is too old: ShelterDesk needs PostgreSQL 15 or newer."),
                   PQserverVersion (self->conn) / 10000, PQserverVersion (self->conn) % 10000);
      return NULL;
    }
  /* UTF-8 both ways, whatever the server's encoding; text compared byte by byte. */
  if (PQsetClientEncoding (self->conn, "UTF8") != 0 ||
      !_sd_pg_exec (self, _("open the database"),
                    "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET lock_timeout = '60s'", error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_PG_ERROR, SD_PG_ERROR_CONNECT, _("The server does not speak UTF-8."));
      return NULL;
    }
  if (!_sd_pg_exec (self, _("open the database"), "BEGIN", error))
    return NULL;
  if (!_sd_pg_schema_ensure (self, error) || !_sd_pg_exec (self, _("make the schema"), "COMMIT", error))
    {
      PQclear (PQexec (self->conn, "ROLLBACK"));
      return NULL;
    }
  return g_steal_pointer (&self);
}
