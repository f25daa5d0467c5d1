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
#define _DEFAULT_SOURCE  /* lstat under -std=c17 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sd-cli-private.h"
#include "sd-platform.h"

#define KIOSK_USER "shelterdesk"

/* Nothing at PATH, not even a dangling symbolic link. */
static gboolean
nothing_at (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) != 0 && errno == ENOENT;
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

/* The set-up proper, under the lock, as the kiosk's user. */
static gboolean
setup (const char    *path,
       const char    *dir,
       const char    *site_name,
       SdSeedSummary *summary,
       GError       **error)
{
  g_autoptr(SdStore) store = NULL;

  if (!nothing_at (path))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("“%s” already exists: this kiosk is set up, and nothing was changed. "
                     "To start again, move that file away first (it holds the site’s records)."), path);
      return FALSE;
    }
  /* From here, whatever fails leaves nothing: the next run starts clean. */
  store = sd_store_open (path, SD_STORE_OPEN_CREATE, error);
  if (store == NULL ||
      /* The name given wins over the deployment's own. */
      !sd_seed_load (store, dir, summary, error) ||
      (site_name != NULL && !sd_store_set_site_name (store, site_name, error)))
    {
      g_clear_object (&store);
      remove_database (path);
      return FALSE;
    }
  g_clear_object (&store);  /* closed: the log is folded into the file */
  if (!sd_platform_make_private (path, error))
    {
      remove_database (path);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_cli_run_kiosk_setup (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autofree char *site_name = NULL;
  g_autofree char *user = NULL;
  g_autofree char *lock = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *default_path = NULL;
  const char *path = sd_cli_get_db_path (cli);
  SdSeedSummary summary = { 0 };
  g_autoptr(SdPlatformIdentity) was = NULL;
  gboolean done;
  const char *dir;
  int fd;
  const GOptionEntry entries[] = {
    { "site-name", 0, 0, G_OPTION_ARG_STRING, &site_name, N_("The site’s name, as people will see it"), N_("NAME") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("Run as root: the user the kiosk runs as (shelterdesk)"),
      N_("USER") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  dir = (*args)[1];
  if (path == NULL)
    {
      g_autofree char *site_dir = sd_platform_get_site_dir (SD_LOCALSTATEDIR);

      default_path = g_build_filename (site_dir, "site.sqlite", NULL);
      path = default_path;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("“%s” is not a folder."), dir);
      return FALSE;
    }
  folder = g_path_get_dirname (path);
  if (default_path != NULL && !sd_platform_prepare_site_dir (folder, error))
    return FALSE;
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("The folder “%s” does not exist."), folder);
      return FALSE;
    }

  if (!sd_platform_become_user (user, KIOSK_USER, &was, error))
    return FALSE;
  /* Two set-ups at once (two terminals, Enter pressed twice) would both
   * find no file: the one that makes the lock does the work. */
  lock = g_strconcat (path, ".setup", NULL);
  fd = g_open (lock, O_CREAT | O_EXCL | O_WRONLY, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_clear_pointer (&was, sd_platform_identity_restore);
      if (saved == EEXIST)
        g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                     _("Another set-up of “%s” is running (if one was interrupted, remove “%s”)."), path, lock);
      else
        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not write in “%s”: %s"), folder,
                     g_strerror (saved));
      return FALSE;
    }
  g_close (fd, NULL);
  done = setup (path, dir, site_name, &summary, error);
  g_unlink (lock);
  g_clear_pointer (&was, sd_platform_identity_restore);
  if (!done)
    return FALSE;

  sd_cli_print_seed_summary (dir, &summary);
  g_print (_("The kiosk’s database is “%s”."), path);
  g_print ("\n%s\n", sd_platform_kiosk_start_hint ());
  return TRUE;
}
