/* sd-platform.h: what differs between Linux and Windows, in one place.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything else in ShelterDesk is written once against GLib; the few
 * things GLib does not cover are here, with one implementation for POSIX
 * systems (sd-platform-posix.c) and one for Windows (sd-platform-win32.c),
 * chosen by the build.  The serial port of a barcode scanner is in
 * sd-serial-port.h the same way.
 *
 * Private files: a site's database holds evacuees' health data and staff
 * PIN hashes.  On Linux "private" is mode 0600; on Windows it is an ACL
 * that grants the file's owner, SYSTEM and the Administrators group and
 * nobody else, not inherited from the folder.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Creates PATH private to its owner, or empties it and makes it private
 * again; with EXCLUSIVE only if it does not exist yet
 * (G_FILE_ERROR_EXIST). */
gboolean  sd_platform_create_private (const char  *path,
                                      gboolean     exclusive,
                                      GError     **error);

/* Creates DIR and its parents, DIR itself private to its owner. */
gboolean  sd_platform_create_private_dir (const char  *dir,
                                          GError     **error);

/* Makes the file or folder PATH private to its owner (see above). */
gboolean  sd_platform_make_private   (const char  *path,
                                      GError     **error);

/* Whether anyone but the owner (and, on Windows, SYSTEM and the
 * Administrators) may read or change PATH: *SHARED.  FALSE with ERROR when
 * that cannot be read. */
gboolean  sd_platform_is_shared      (const char  *path,
                                      gboolean    *shared,
                                      GError     **error);

/* The command that makes PATH private again, for a message. */
char     *sd_platform_private_fix_command (const char *path);

/* Writes what the system holds of the file PATH to the disk (fsync,
 * FlushFileBuffers); the file may still be open for writing. */
gboolean  sd_platform_sync_file      (const char  *path,
                                      GError     **error);

/* Writes FOLDER's entries (a rename into it) to the disk, where the
 * system needs that asked (POSIX); best effort. */
void      sd_platform_sync_folder    (const char  *folder);

/* The folder of the running program. */
char     *sd_platform_get_exe_dir    (void);

/* Where a kiosk keeps its site database when none is named:
 * /var/lib/shelterdesk under the install prefix (LOCALSTATEDIR), or
 * %PROGRAMDATA%\ShelterDesk on Windows. */
char     *sd_platform_get_site_dir   (const char  *localstatedir);

/* PATH with every link followed; NULL when it does not exist. */
char     *sd_platform_real_path      (const char  *path);

G_END_DECLS
