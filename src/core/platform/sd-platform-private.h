/* sd-platform-private.h: what the two implementations of sd-platform.h share.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-platform.h"

G_BEGIN_DECLS

typedef enum {
  SD_PLATFORM_READING,
  SD_PLATFORM_WRITING,
  SD_PLATFORM_FINISHING,  /* writing it to the disk */
} SdPlatformDoing;

/* ERROR in DOMAIN with CODE: what was being done to PATH (by its name only)
 * and WHY, in the system's words. */
void  _sd_platform_set_error       (GError          **error,
                                    GQuark            domain,
                                    int               code,
                                    SdPlatformDoing   doing,
                                    const char       *path,
                                    const char       *why);

/* The same from an errno value, as a G_IO_ERROR. */
void  _sd_platform_set_errno_error (GError          **error,
                                    int               saved_errno,
                                    SdPlatformDoing   doing,
                                    const char       *path);

/* Writing PATH failed with SAVED_ERRNO, as a G_FILE_ERROR (what
 * sd-private-file.h's callers expect). */
void  _sd_platform_set_file_error  (GError          **error,
                                    int               saved_errno,
                                    const char       *path);

#ifdef G_OS_WIN32
/* Whether the security descriptor SDDL (with its owner) lets anyone but the
 * owner, SYSTEM and the Administrators in: the rule sd_platform_is_shared()
 * applies to a file's, for the tests (Wine keeps no access lists on files). */
gboolean  _sd_platform_sddl_is_shared (const char *sddl);
#endif

G_END_DECLS
