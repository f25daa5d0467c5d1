/* sd-cli-kiosk.c: "kiosk setup": a kiosk's site database from a deployment folder.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one step between installing the package and a kiosk that boots into
 * the desk: the site database the kiosk unit opens, made from the
 * deployment's files (the seed folder format: shelters, staff and their
 * PINs, the support list), readable by the kiosk's user only.  It never
 * touches a database that exists: a kiosk's records are not replaced by a
 * set-up run twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#ifndef G_OS_WIN32
#include <pwd.h>
#include <unistd.h>
#else
#include <io.h>
#define close _close
#endif

#include "sd-cli-private.h"

#define KIOSK_USER "shelterdesk"

/* Run as root (sudo), the files go to the kiosk's user, who alone may
 * read them; run as that user, they are already theirs. */
static gboolean
hand_to_kiosk_user (const char  *path,
                    GError     **error)
{
#ifndef G_OS_WIN32
  struct passwd *user = geteuid () == 0 ? getpwnam (KIOSK_USER) : NULL;
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (!g_file_test (file, G_FILE_TEST_EXISTS))
        continue;
      if (g_chmod (file, 0600) != 0 ||
          (user != NULL && chown (file, user->pw_uid, user->pw_gid) != 0))
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not give “%s” to the kiosk’s user: %s"), file, g_strerror (saved));
          return FALSE;
        }
    }
#endif
  return TRUE;
}

/* The set-up proper, under the lock. */
static gboolean
setup (const char    *path,
       const char    *dir,
       const char    *site_name,
       SdSeedSummary *summary,
       GError       **error)
{
  g_autoptr(SdStore) store = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("“%s” already exists: this kiosk is set up, and nothing was changed. "
                     "To start again, move that file away first (it holds the site’s records)."), path);
      return FALSE;
    }
  store = sd_store_open (path, SD_STORE_OPEN_CREATE, error);
  if (store == NULL)
    return FALSE;
  /* The name given wins over the deployment's own. */
  if (!sd_seed_load (store, dir, summary, error) ||
      (site_name != NULL && !sd_store_set_site_name (store, site_name, error)))
    {
      /* Half a set-up is no set-up: the next run starts clean. */
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_clear_object (&store);
      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      return FALSE;
    }
  g_clear_object (&store);  /* closed: the log is folded into the file */
  return hand_to_kiosk_user (path, error);
}

gboolean
sd_cli_run_kiosk_setup (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autofree char *site_name = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *folder = NULL;
  const char *path = sd_cli_get_db_path (cli);
  SdSeedSummary summary = { 0 };
  gboolean done;
  const char *dir;
  int fd;
  const GOptionEntry entries[] = {
    { "site-name", 0, 0, G_OPTION_ARG_STRING, &site_name, N_("The site’s name, as people will see it"), N_("NAME") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  dir = (*args)[1];
  if (path == NULL)
    path = SD_KIOSK_DB;
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("“%s” is not a folder."), dir);
      return FALSE;
    }
  folder = g_path_get_dirname (path);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("The folder “%s” does not exist (the package makes /var/lib/shelterdesk)."), folder);
      return FALSE;
    }

  /* Two set-ups at once (two terminals, Enter pressed twice) would both
   * find no file: the one that makes the lock does the work. */
  lock = g_strconcat (path, ".setup", NULL);
  fd = g_open (lock, O_CREAT | O_EXCL | O_WRONLY, 0600);
  if (fd < 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("Another set-up of “%s” is running (if one was interrupted, remove “%s”)."), path, lock);
      return FALSE;
    }
  close (fd);
  done = setup (path, dir, site_name, &summary, error);
  g_unlink (lock);
  if (!done)
    return FALSE;

  sd_cli_print_seed_summary (dir, &summary);
  g_print (_("The kiosk’s database is “%s”. Start the kiosk with: systemctl enable --now shelterdesk-kiosk\n"),
           path);
  return TRUE;
}
