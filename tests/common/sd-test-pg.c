/* sd-test-pg.c: a real PostgreSQL for the tests (sd-test-pg.h).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-test-pg.h"

#include <glib/gstdio.h>
#include <unistd.h>

struct _SdTestPg {
  char *dir;      /* the cluster's folder: data/, the socket, the log */
  char *bindir;
};

/* Runs ARGV (as nobody when this process is root), failing the test on error. */
static gboolean
run (SdTestPg           *pg,
     const char *const  *argv,
     char              **out)
{
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL, *ignored = NULL;
  int status = 0;

  if (out == NULL)
    out = &ignored;  /* initdb's and pg_ctl's chatter stays out of the TAP stream */
  if (geteuid () == 0)
    {
      g_ptr_array_add (full, (gpointer) "setpriv");
      g_ptr_array_add (full, (gpointer) "--reuid=nobody");
      g_ptr_array_add (full, (gpointer) "--regid=nogroup");
      g_ptr_array_add (full, (gpointer) "--clear-groups");
      g_ptr_array_add (full, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);
  if (!g_spawn_sync (pg->dir, (char **) full->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("%s: %s\n%s\n", argv[0], error->message, err != NULL ? err : "");
      return FALSE;
    }
  return TRUE;
}

static char *
program (SdTestPg   *pg,
         const char *name)
{
  return g_build_filename (pg->bindir, name, NULL);
}

SdTestPg *
sd_test_pg_start (void)
{
  g_autoptr(GError) error = NULL;
  SdTestPg *pg;
  g_autofree char *initdb = NULL, *pg_ctl = NULL, *data = NULL, *log = NULL, *options = NULL;
  const char *bindir = g_getenv ("SD_PG_BINDIR");

  if (bindir == NULL || !g_file_test (bindir, G_FILE_TEST_IS_DIR))
    return NULL;
  pg = g_new0 (SdTestPg, 1);
  pg->bindir = g_strdup (bindir);
  pg->dir = g_dir_make_tmp ("sd-test-pg-XXXXXX", &error);
  g_assert_no_error (error);
  if (geteuid () == 0)
    g_assert_cmpint (chown (pg->dir, 65534, 65534), ==, 0);
  initdb = program (pg, "initdb");
  pg_ctl = program (pg, "pg_ctl");
  data = g_build_filename (pg->dir, "data", NULL);
  log = g_build_filename (pg->dir, "log", NULL);
  /* Unix socket in the folder, no TCP; fsync off: a test cluster;
   * random_page_cost as docs/deploy-hq-postgres.md sets it for HQ's
   * server (SSD); SD_TEST_PG_OPTIONS adds more (auto_explain, say). */
  options = g_strdup_printf ("-k %s -p 5432 -c listen_addresses= -c fsync=off -c max_connections=40 -c random_page_cost=1.1 %s", pg->dir,
                             g_getenv ("SD_TEST_PG_OPTIONS") != NULL ? g_getenv ("SD_TEST_PG_OPTIONS") : "");
  {
    const char *make[] = { initdb, "-D", data, "-A", "trust", "-U", "shelterdesk", "-E", "UTF8", "--locale=C",
                           "--no-sync", NULL };
    const char *start[] = { pg_ctl, "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start", NULL };

    if (!run (pg, make, NULL) || !run (pg, start, NULL))
      g_error ("could not start PostgreSQL in %s", pg->dir);
  }
  /* A test that fails ends the process at once: a watchdog stops the
   * cluster and deletes its folder when this process is gone. */
  {
    g_autofree char *script = g_strdup_printf (
      "while kill -0 %d 2>/dev/null; do sleep 0.5; done; "
      "%s%s -D '%s' -m immediate -w stop >/dev/null 2>&1; rm -rf '%s'", (int) getpid (),
      geteuid () == 0 ? "setpriv --reuid=nobody --regid=nogroup --clear-groups -- " : "", pg_ctl, data, pg->dir);
    const char *watch[] = { "sh", "-c", script, NULL };

    g_assert_true (g_spawn_async (NULL, (char **) watch, NULL,
                                  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL |
                                  G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, NULL, NULL));
  }
  return pg;
}

void
sd_test_pg_stop (SdTestPg *pg)
{
  g_autofree char *pg_ctl = NULL, *data = NULL;

  if (pg == NULL)
    return;
  pg_ctl = program (pg, "pg_ctl");
  data = g_build_filename (pg->dir, "data", NULL);
  {
    const char *stop[] = { pg_ctl, "-D", data, "-m", "immediate", "-w", "stop", NULL };

    run (pg, stop, NULL);
  }
  {
    const char *rm[] = { "rm", "-rf", pg->dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (pg->dir);
  g_free (pg->bindir);
  g_free (pg);
}

char *
sd_test_pg_conninfo (SdTestPg   *pg,
                     const char *name)
{
  return g_strdup_printf ("host=%s port=5432 user=shelterdesk dbname=%s", pg->dir, name);
}

char *
sd_test_pg_psql (SdTestPg   *pg,
                 const char *name,
                 const char *sql)
{
  g_autofree char *conninfo = sd_test_pg_conninfo (pg, name);
  const char *argv[] = { "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", conninfo, "-c", sql, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("psql %s: %s\n%s", sql, error->message, err);
  return out;
}

char *
sd_test_pg_new_database (SdTestPg   *pg,
                         const char *name)
{
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  g_autofree char *out = sd_test_pg_psql (pg, "postgres", sql);

  return sd_test_pg_conninfo (pg, name);
}
