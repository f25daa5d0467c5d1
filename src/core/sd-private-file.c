/* sd-private-file.c: files that hold personal data, made private to their owner and checked to be so.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* O_CLOEXEC, fchmod */
#include "sd-private-file.h"
#include "sd-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#ifdef G_OS_UNIX
#include <unistd.h>
#else
#include <io.h>
#endif

static void
set_io_error (int          saved_errno,
              const char  *path,
              GError     **error)
{
  g_autofree char *name = g_path_get_basename (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               _("Could not write “%s”: %s"), name, g_strerror (saved_errno));
}

static gboolean
create (const char  *path,
        int          flags,
        GError     **error)
{
#ifdef G_OS_UNIX
  int fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0600);

  if (fd < 0)
    {
      set_io_error (errno, path, error);
      return FALSE;
    }
  /* An existing file keeps its mode through O_CREAT: set it. */
  if (fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      close (fd);
      set_io_error (saved_errno, path, error);
      return FALSE;
    }
  close (fd);
#else
  int fd = g_open (path, O_WRONLY | O_CREAT | O_BINARY | flags, 0600);

  if (fd < 0)
    {
      set_io_error (errno, path, error);
      return FALSE;
    }
  close (fd);
#endif
  return TRUE;
}

gboolean
sd_private_file_create (const char  *path,
                        GError     **error)
{
  return create (path, O_TRUNC, error);
}

gboolean
sd_private_file_create_new (const char  *path,
                            GError     **error)
{
  return create (path, O_EXCL, error);
}

gboolean
sd_private_file_check (const char  *path,
                       GError     **error)
{
#ifdef G_OS_UNIX
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return TRUE;
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      g_autofree char *name = g_path_get_basename (path);

      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PERMISSIONS,
                   _("“%s” can be read or changed by other users of this computer, and it holds "
                     "evacuees’ health data and staff PINs. Make it private to its owner with: "
                     "chmod 600 “%s”"), name, path);
      return FALSE;
    }
#endif
  return TRUE;
}

void
sd_database_files_remove (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (path, suffixes[i], NULL);
      g_remove (p);
    }
}

gboolean
sd_private_dir_create (const char  *dir,
                       GError     **error)
{
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_io_error (errno, dir, error);
      return FALSE;
    }
  return TRUE;
}
