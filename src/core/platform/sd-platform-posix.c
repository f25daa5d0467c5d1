/* sd-platform-posix.c: sd-platform.h on Linux and other POSIX systems.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE  /* O_CLOEXEC, realpath, setegid, seteuid, setgroups */
#include "sd-platform-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
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

char **
sd_platform_get_arguments (char **argv)
{
  return g_strdupv (argv);
}

void
sd_platform_set_stdout_binary (void)
{
}

gboolean
sd_platform_can_write (const char *path,
                       gboolean    exists,
                       gboolean   *on_medium)
{
  g_autofree char *dir = g_path_get_dirname (path);

  *on_medium = FALSE;
  if ((!exists || g_access (path, W_OK) == 0) && g_access (dir, W_OK) == 0)
    return TRUE;
  *on_medium = errno == EROFS || (g_access (dir, W_OK) != 0 && errno == EROFS);
  return FALSE;
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

gboolean
sd_platform_prepare_site_dir (const char  *dir,
                              GError     **error)
{
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               _("The folder “%s” does not exist: the shelterdesk package makes it. Install the package, "
                 "or name the database with --db."), dir);
  return FALSE;
}

const char *
sd_platform_kiosk_start_hint (void)
{
  return _("Start the kiosk with: sudo systemctl enable --now shelterdesk-kiosk");
}

guint
sd_platform_add_fonts (const char *dir)
{
  return 0;
}

gboolean
sd_platform_has_font_family (const char *family)
{
  return TRUE;
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

struct _SdPlatformIdentity
{
  uid_t uid;
  gid_t gid;
  gid_t groups[256];
  int   n_groups;
};

gboolean
sd_platform_become_user (const char          *name,
                         const char          *default_name,
                         SdPlatformIdentity **was,
                         GError             **error)
{
  g_autofree SdPlatformIdentity *old = NULL;
  struct passwd *user;

  *was = NULL;
  if (name == NULL)
    name = default_name;
  if (geteuid () != 0)
    return TRUE;
  user = getpwnam (name);
  if (user == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no “%s” user on this computer: install the shelterdesk package first, "
                     "or run the set-up as the user the kiosk runs as."), name);
      return FALSE;
    }
  if (user->pw_uid == 0)
    return TRUE;  /* asked for root itself */
  old = g_new0 (SdPlatformIdentity, 1);
  old->uid = geteuid ();
  old->gid = getegid ();
  old->n_groups = getgroups (G_N_ELEMENTS (old->groups), old->groups);
  if (old->n_groups < 0 || setgroups (0, NULL) != 0 || setegid (user->pw_gid) != 0 ||
      seteuid (user->pw_uid) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Could not work as the user “%s”: %s"),
                   name, g_strerror (saved));
      return FALSE;
    }
  *was = g_steal_pointer (&old);
  return TRUE;
}

void
sd_platform_identity_restore (SdPlatformIdentity *was)
{
  if (was == NULL)
    return;
  if (seteuid (was->uid) != 0 || setegid (was->gid) != 0 || setgroups ((size_t) was->n_groups, was->groups) != 0)
    g_error ("could not return to the user that ran the set-up");
  g_free (was);
}

static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off;

static void
restore_echo (void)
{
  if (echo_is_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_is_off = 0;
    }
}

static void
restore_echo_and_die (int signum)
{
  /* Only async-signal-safe calls here. */
  restore_echo ();
  signal (signum, SIG_DFL);
  raise (signum);
}

gboolean
sd_platform_stdin_is_terminal (void)
{
  return isatty (STDIN_FILENO);
}

gboolean
sd_platform_set_stdin_echo (gboolean on)
{
  struct termios quiet;

  if (on)
    {
      restore_echo ();
      signal (SIGINT, SIG_DFL);
      signal (SIGTERM, SIG_DFL);
      signal (SIGHUP, SIG_DFL);
      return TRUE;
    }

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    return FALSE;
  quiet = saved_termios;
  quiet.c_lflag &= ~(ECHO | ECHONL);
  quiet.c_lflag |= ICANON;
  signal (SIGINT, restore_echo_and_die);
  signal (SIGTERM, restore_echo_and_die);
  signal (SIGHUP, restore_echo_and_die);
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    return FALSE;
  echo_is_off = 1;
  return TRUE;
}

gssize
sd_platform_read_stdin_byte (char *c)
{
  return read (STDIN_FILENO, c, 1);
}

struct _SdPlatformStopWatch
{
  guint sigint;
  guint sigterm;
};

SdPlatformStopWatch *
sd_platform_watch_stop (GSourceFunc stop,
                        gpointer    data)
{
  SdPlatformStopWatch *watch = g_new0 (SdPlatformStopWatch, 1);

  watch->sigint = g_unix_signal_add (SIGINT, stop, data);
  watch->sigterm = g_unix_signal_add (SIGTERM, stop, data);
  return watch;
}

void
sd_platform_unwatch_stop (SdPlatformStopWatch *watch)
{
  g_source_remove (watch->sigint);
  g_source_remove (watch->sigterm);
  g_free (watch);
}
