/* sd-private-file.c: files that hold personal data, made private to their owner and checked to be so.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-private-file.h"
#include "sd-error.h"
#include "sd-platform.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

gboolean
sd_private_file_create (const char  *path,
                        GError     **error)
{
  return sd_platform_create_private (path, FALSE, error);
}

gboolean
sd_private_file_create_new (const char  *path,
                            GError     **error)
{
  return sd_platform_create_private (path, TRUE, error);
}

gboolean
sd_private_file_check (const char  *path,
                       GError     **error)
{
  gboolean shared = FALSE;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!sd_platform_is_shared (path, &shared, error))
    return FALSE;
  if (shared)
    {
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *fix = sd_platform_private_fix_command (path);

      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_PERMISSIONS,
                   _("“%s” can be read or changed by other users of this computer, and it holds "
                     "evacuees’ health data and staff PINs. Make it private to its owner with: %s"), name, fix);
      return FALSE;
    }
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
  return sd_platform_create_private_dir (dir, error);
}
