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
#include <sys/stat.h>
#include <unistd.h>

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

char *
sd_platform_real_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *copy = g_strdup (real);

  free (real);
  return copy;
}
