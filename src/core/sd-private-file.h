/* sd-private-file.h: files that hold personal data, made private to their owner and checked to be so.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A site's database holds evacuees' health data, staff PIN hashes and the
 * card-signing key; a report or a card sheet holds names and needs.  On a
 * shared computer any other account could read them if they were made
 * with the usual 0644, so every such file is created 0600, and a database
 * that others can read or write is refused until its owner makes it
 * private again (the message says how).
 *
 * On Windows "private" is an ACL for the owner, SYSTEM and the
 * Administrators only (sd-platform.h), and the message names the icacls
 * command instead of chmod.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Creates PATH, or empties it, so that only its owner can read or write
 * it; a library that then opens it by name writes into a private file. */
gboolean  sd_private_file_create  (const char  *path,
                                   GError     **error);

/* The same, but only if PATH does not exist yet: whoever gets there
 * first owns the name (G_FILE_ERROR_EXIST for the others). */
gboolean  sd_private_file_create_new (const char  *path,
                                      GError     **error);

/* Whether PATH is open to other users; fails with SD_STORE_ERROR_PERMISSIONS
 * naming the chmod that fixes it.  A missing file is fine. */
gboolean  sd_private_file_check   (const char  *path,
                                   GError     **error);

/* Removes the database PATH and the files SQLite keeps beside it
 * (-wal, -shm, -journal): for scratch and half-made databases only. */
void      sd_database_files_remove (const char *path);

/* Creates DIR and its parents, DIR itself only for its owner (0700). */
gboolean  sd_private_dir_create   (const char  *dir,
                                   GError     **error);

G_END_DECLS
