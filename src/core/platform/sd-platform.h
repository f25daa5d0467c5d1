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

#include <gio/gio.h>

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

/* Whether this account can write the file PATH (when EXISTS) and make
 * files in its folder (SQLite's -wal and -shm); when not, *ON_MEDIUM says
 * whether the medium itself is read-only (a write-protected stick, a
 * disc, a read-only mount).  POSIX asks access(); Windows' access() only
 * reads the read-only attribute, so there the file is opened for writing
 * and a file is made (and deleted on close) in the folder. */
gboolean  sd_platform_can_write      (const char  *path,
                                      gboolean     exists,
                                      gboolean    *on_medium);

/* The folder of the running program. */
char     *sd_platform_get_exe_dir    (void);

/* Where a kiosk keeps its site database when none is named:
 * /var/lib/shelterdesk under the install prefix (LOCALSTATEDIR), or
 * %PROGRAMDATA%\ShelterDesk on Windows. */
char     *sd_platform_get_site_dir   (const char  *localstatedir);

/* Makes the site folder DIR (sd_platform_get_site_dir()) ready for the
 * kiosk set-up.  POSIX: the package makes it, owned by the kiosk's user,
 * and a missing one is an error that says so.  Windows: nothing installs
 * it (the installer never writes the site's data), so it is made here,
 * private to the account running the set-up (the kiosk's). */
gboolean  sd_platform_prepare_site_dir (const char  *dir,
                                        GError     **error);

/* How a kiosk that has been set up is started, for the set-up's last
 * message: a systemd unit, or Windows' assigned access. */
const char *sd_platform_kiosk_start_hint (void);

/* Makes the font files (.ttf, .otf, .ttc) in DIR usable by this process
 * alone, and returns how many were added.  Windows: GDI's private fonts,
 * which pango lists like installed ones (so a kiosk whose Windows has no
 * Japanese fonts, or Wine, still draws Japanese).  POSIX: 0 (fontconfig
 * finds the system's fonts; the package depends on them). */
guint     sd_platform_add_fonts      (const char  *dir);

/* Whether the system already has the font FAMILY (Windows: GDI's list,
 * which under Wine includes the Unix side's fonts).  Registering a family
 * a second time gives pango two of everything, which it does not take
 * well; POSIX: TRUE (fontconfig's business). */
gboolean  sd_platform_has_font_family (const char *family);

/* Starts ARGV as a child that ends when this process ends, however this
 * one ends (Linux: PR_SET_PDEATHSIG; Windows: a job object that kills its
 * processes when the last handle to it closes). */
GSubprocess *sd_platform_spawn_tied  (const char *const  *argv,
                                      GSubprocessFlags    flags,
                                      GError            **error);

/* Asks PROCESS to stop (SIGTERM); Windows has no such request for a
 * console program that is not attached to ours: it is ended. */
void      sd_platform_stop_process   (GSubprocess *process);

/* Ends PROCESS at once, as a crash or a power cut would (SIGKILL,
 * TerminateProcess). */
void      sd_platform_kill_process   (GSubprocess *process);

/* What PROCESS has read (or, with WRITTEN, written) so far, in bytes
 * (Linux: /proc/PID/io; Windows: its I/O counters); 0 if unknown. */
gint64    sd_platform_process_io     (GSubprocess *process,
                                      gboolean     written);

/* A command-line program's arguments in UTF-8: ARGV on POSIX; on Windows
 * the UTF-16 command line (ARGV is in the ANSI code page, which cannot
 * hold every name). */
char    **sd_platform_get_arguments  (char **argv);

/* Makes standard output carry bytes as they are written: Windows' C
 * runtime would turn each "\n" into "\r\n", so CSV's own "\r\n" became
 * "\r\r\n" (a blank row after each in Excel) when redirected to a file.
 * POSIX: nothing to do. */
void      sd_platform_set_stdout_binary (void);

/* Whether standard input is a terminal (a console). */
gboolean  sd_platform_stdin_is_terminal (void);

/* Switches the echo of what is typed at the terminal off, or back on; it
 * comes back on even when Ctrl+C cuts the reading short.  FALSE when it
 * cannot be switched. */
gboolean  sd_platform_set_stdin_echo (gboolean on);

/* One byte of standard input, past stdio's buffers (so no copy of a PIN
 * is left where it cannot be wiped): 1, 0 at its end, -1 with errno. */
gssize    sd_platform_read_stdin_byte (char *c);

/* A request to stop being watched for: SIGINT and SIGTERM; Ctrl+C,
 * Ctrl+Break and the console's closing on Windows. */
typedef struct _SdPlatformStopWatch SdPlatformStopWatch;

/* Calls STOP with DATA on the thread-default main context when the
 * program is asked to stop, instead of ending it there and then. */
SdPlatformStopWatch *sd_platform_watch_stop   (GSourceFunc          stop,
                                               gpointer             data);
void                 sd_platform_unwatch_stop (SdPlatformStopWatch *watch);

/* Who the process was before sd_platform_become_user(). */
typedef struct _SdPlatformIdentity SdPlatformIdentity;

/* Run as root (sudo) on Linux, the kiosk set-up works as the kiosk's user
 * NAME (DEFAULT_NAME when NULL): the files are theirs from the start, and
 * nothing that user could have planted in their own folder (a symbolic
 * link to /etc, say) is followed by root; *WAS is how to come back.  Not
 * root: nothing changes.  Windows has no such switch: the set-up is run as
 * the kiosk's account itself, and naming another is an error. */
gboolean  sd_platform_become_user    (const char          *name,
                                      const char          *default_name,
                                      SdPlatformIdentity **was,
                                      GError             **error);

/* Back to who the process was, and frees WAS. */
void      sd_platform_identity_restore (SdPlatformIdentity *was);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdPlatformIdentity, sd_platform_identity_restore)

/* PATH with every link followed; NULL when it does not exist. */
char     *sd_platform_real_path      (const char  *path);

G_END_DECLS
