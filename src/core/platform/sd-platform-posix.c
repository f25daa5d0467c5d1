/* sd-platform-posix.c: sd-platform.h on Linux and other POSIX systems.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* O_CLOEXEC, realpath */
#include "sd-platform-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

gboolean
sd_platform_create_private (const char  *path,
                            gboolean     exclusive,
                            GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0600);

  if (fd < 0)
    {
      _sd_platform_set_file_error (error, errno, path);
      return FALSE;
    }
  /* An existing file keeps its mode through O_CREAT: set it. */
  if (fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      close (fd);
      _sd_platform_set_file_error (error, saved_errno, path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
sd_platform_create_private_dir (const char  *dir,
                                GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      _sd_platform_set_file_error (error, errno, dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_platform_make_private (const char  *path,
                          GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      _sd_platform_set_errno_error (error, errno, SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  if (g_chmod (path, S_ISDIR (st.st_mode) ? 0700 : 0600) != 0)
    {
      _sd_platform_set_errno_error (error, errno, SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_platform_is_shared (const char  *path,
                       gboolean    *shared,
                       GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      _sd_platform_set_errno_error (error, errno, SD_PLATFORM_READING, path);
      return FALSE;
    }
  *shared = (st.st_mode & (S_IRWXG | S_IRWXO)) != 0;
  return TRUE;
}

char *
sd_platform_private_fix_command (const char *path)
{
  return g_strdup_printf ("chmod 600 “%s”", path);
}

gboolean
sd_platform_sync_file (const char  *path,
                       GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      _sd_platform_set_errno_error (error, saved, SD_PLATFORM_FINISHING, path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

void
sd_platform_sync_folder (const char *folder)
{
  int fd = g_open (folder, O_RDONLY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

char *
sd_platform_get_exe_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL ? g_path_get_dirname (exe) : NULL;
}

char *
sd_platform_get_site_dir (const char *localstatedir)
{
  return g_build_filename (localstatedir, "lib", "shelterdesk", NULL);
}

guint
sd_platform_add_fonts (const char *dir)
{
  return 0;
}

char *
sd_platform_real_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy = g_strdup (real);

  free (real);
  return copy;
}

static void
die_with_parent (gpointer data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

GSubprocess *
sd_platform_spawn_tied (const char *const  *argv,
                        GSubprocessFlags    flags,
                        GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return g_subprocess_launcher_spawnv (launcher, argv, error);
}

void
sd_platform_stop_process (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGTERM);
}

void
sd_platform_kill_process (GSubprocess *process)
{
  g_subprocess_send_signal (process, SIGKILL);
}

gint64
sd_platform_process_io (GSubprocess *process,
                        gboolean     written)
{
  g_autofree char *path = NULL, *text = NULL;
  const char *key = written ? "wchar: " : "rchar: ";
  const char *line;

  if (process == NULL || g_subprocess_get_identifier (process) == NULL)
    return 0;
  path = g_strdup_printf ("/proc/%s/io", g_subprocess_get_identifier (process));
  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, key)) == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}
