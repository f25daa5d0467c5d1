/* sd-platform.c: the messages both implementations of sd-platform.h give.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-platform-private.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

void
_sd_platform_set_error (GError          **error,
                        GQuark            domain,
                        int               code,
                        SdPlatformDoing   doing,
                        const char       *path,
                        const char       *why)
{
  g_autofree char *name = g_path_get_basename (path);

  switch (doing)
    {
    case SD_PLATFORM_READING:
      g_set_error (error, domain, code, _("Could not read “%s”: %s"), name, why);
      break;
    case SD_PLATFORM_WRITING:
      g_set_error (error, domain, code, _("Could not write “%s”: %s"), name, why);
      break;
    case SD_PLATFORM_FINISHING:
      g_set_error (error, domain, code, _("Could not finish writing “%s”: %s"), name, why);
      break;
    }
}

void
_sd_platform_set_errno_error (GError          **error,
                              int               saved_errno,
                              SdPlatformDoing   doing,
                              const char       *path)
{
  _sd_platform_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), doing, path,
                          g_strerror (saved_errno));
}

void
_sd_platform_set_file_error (GError    **error,
                             int         saved_errno,
                             const char *path)
{
  _sd_platform_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), SD_PLATFORM_WRITING, path,
                          g_strerror (saved_errno));
}
