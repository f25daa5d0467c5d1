/* sd-platform-win32.c: sd-platform.h on Windows.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A private file's DACL is protected (nothing inherited from the folder)
 * and grants full control to the file's owner, SYSTEM and the
 * Administrators group only: the same people who can read any file on the
 * machine anyway, and nobody else.  It is written in SDDL, "D:P" followed
 * by one allow entry for each of them.
 */
#include "sd-platform-private.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <io.h>
#include <windows.h>
#include <aclapi.h>
#include <sddl.h>

static void
set_win32_error (GError          **error,
                 DWORD             code,
                 SdPlatformDoing   doing,
                 const char       *path)
{
  g_autofree char *message = g_win32_error_message (code);
  GIOErrorEnum io = code == ERROR_FILE_NOT_FOUND || code == ERROR_PATH_NOT_FOUND ? G_IO_ERROR_NOT_FOUND :
                    code == ERROR_ACCESS_DENIED ? G_IO_ERROR_PERMISSION_DENIED : G_IO_ERROR_FAILED;

  _sd_platform_set_error (error, G_IO_ERROR, io, doing, path, message);
}

/* The running user's SID, as SDDL ("S-1-5-21-…"); NULL if unknown. */
static char *
user_sid_string (void)
{
  HANDLE token = NULL;
  DWORD size = 0;
  g_autofree TOKEN_USER *user = NULL;
  wchar_t *text = NULL;
  char *result = NULL;

  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &token))
    return NULL;
  GetTokenInformation (token, TokenUser, NULL, 0, &size);
  user = g_malloc0 (size > 0 ? size : 1);
  if (size > 0 && GetTokenInformation (token, TokenUser, user, size, &size) &&
      ConvertSidToStringSidW (user->User.Sid, &text))
    {
      result = g_utf16_to_utf8 (text, -1, NULL, NULL, NULL);
      LocalFree (text);
    }
  CloseHandle (token);
  return result;
}

gboolean
sd_platform_make_private (const char  *path,
                          GError     **error)
{
  g_autofree char *sid = user_sid_string ();
  g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  g_autofree char *sddl = NULL;
  g_autofree gunichar2 *wsddl = NULL;
  PSECURITY_DESCRIPTOR sd = NULL;
  PACL dacl = NULL;
  BOOL present = FALSE, defaulted = FALSE;
  DWORD attributes, status;

  if (wpath == NULL || sid == NULL)
    {
      set_win32_error (error, ERROR_INVALID_PARAMETER, SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  attributes = GetFileAttributesW (wpath);
  if (attributes == INVALID_FILE_ATTRIBUTES)
    {
      set_win32_error (error, GetLastError (), SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  /* A folder's entries are inherited by what is made in it (OICI). */
  sddl = (attributes & FILE_ATTRIBUTE_DIRECTORY) != 0
           ? g_strdup_printf ("D:P(A;OICI;FA;;;%s)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)", sid)
           : g_strdup_printf ("D:P(A;;FA;;;%s)(A;;FA;;;SY)(A;;FA;;;BA)", sid);
  wsddl = g_utf8_to_utf16 (sddl, -1, NULL, NULL, NULL);
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW (wsddl, SDDL_REVISION_1, &sd, NULL) ||
      !GetSecurityDescriptorDacl (sd, &present, &dacl, &defaulted))
    {
      DWORD code = GetLastError ();

      if (sd != NULL)
        LocalFree (sd);
      set_win32_error (error, code, SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  status = SetNamedSecurityInfoW (wpath, SE_FILE_OBJECT,
                                  DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                                  NULL, NULL, dacl, NULL);
  LocalFree (sd);
  if (status != ERROR_SUCCESS)
    {
      set_win32_error (error, status, SD_PLATFORM_WRITING, path);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_platform_create_private (const char  *path,
                            gboolean     exclusive,
                            GError     **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_BINARY | (exclusive ? O_EXCL : O_TRUNC), 0600);

  if (fd < 0)
    {
      _sd_platform_set_file_error (error, errno, path);
      return FALSE;
    }
  _close (fd);
  return sd_platform_make_private (path, error);
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
  /* Folders such as %PROGRAMDATA% let every user read what is made in
   * them: this one does not. */
  return sd_platform_make_private (dir, error);
}

/* Whether SID is one of those a private file may grant. */
static gboolean
is_allowed_sid (PSID sid,
                PSID owner)
{
  static const WELL_KNOWN_SID_TYPE trusted[] = { WinLocalSystemSid, WinBuiltinAdministratorsSid,
                                                 WinCreatorOwnerSid };

  if (owner != NULL && EqualSid (sid, owner))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (trusted); i++)
    {
      BYTE buffer[SECURITY_MAX_SID_SIZE];
      DWORD size = sizeof buffer;

      if (CreateWellKnownSid (trusted[i], NULL, buffer, &size) && EqualSid (sid, buffer))
        return TRUE;
    }
  return FALSE;
}

/* Whether DACL lets anyone but OWNER, SYSTEM and the Administrators in. */
static gboolean
dacl_is_shared (PACL dacl,
                PSID owner)
{
  /* No DACL at all: everyone may do anything. */
  if (dacl == NULL)
    return TRUE;
  for (DWORD i = 0; i < dacl->AceCount; i++)
    {
      ACE_HEADER *ace = NULL;

      if (!GetAce (dacl, i, (void **) &ace) || ace->AceType != ACCESS_ALLOWED_ACE_TYPE ||
          (ace->AceFlags & INHERIT_ONLY_ACE) != 0)
        continue;
      if (!is_allowed_sid ((PSID) &((ACCESS_ALLOWED_ACE *) ace)->SidStart, owner))
        return TRUE;
    }
  return FALSE;
}

gboolean
_sd_platform_sddl_is_shared (const char *sddl)
{
  g_autofree gunichar2 *wsddl = g_utf8_to_utf16 (sddl, -1, NULL, NULL, NULL);
  PSECURITY_DESCRIPTOR sd = NULL;
  BOOL present = FALSE, defaulted = FALSE;
  PACL dacl = NULL;
  PSID owner = NULL;
  gboolean shared;

  g_return_val_if_fail (wsddl != NULL, TRUE);
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW (wsddl, SDDL_REVISION_1, &sd, NULL))
    g_return_val_if_reached (TRUE);
  GetSecurityDescriptorDacl (sd, &present, &dacl, &defaulted);
  GetSecurityDescriptorOwner (sd, &owner, &defaulted);
  shared = dacl_is_shared (present ? dacl : NULL, owner);
  LocalFree (sd);
  return shared;
}

/* Wine maps access lists onto Unix modes and back (a file it made
 * "private" reads back with Everyone allowed), so there is nothing to
 * check under it: the Unix side's own modes and users protect the file. */
static gboolean
under_wine (void)
{
  static gsize answer = 0;

  if (g_once_init_enter (&answer))
    {
      HMODULE ntdll = GetModuleHandleW (L"ntdll.dll");

      g_once_init_leave (&answer, ntdll != NULL && GetProcAddress (ntdll, "wine_get_version") != NULL ? 2 : 1);
    }
  return answer == 2;
}

gboolean
sd_platform_is_shared (const char  *path,
                       gboolean    *shared,
                       GError     **error)
{
  g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  PSECURITY_DESCRIPTOR sd = NULL;
  PACL dacl = NULL;
  PSID owner = NULL;
  DWORD status;

  status = wpath == NULL ? ERROR_INVALID_PARAMETER
                         : GetNamedSecurityInfoW (wpath, SE_FILE_OBJECT,
                                                  OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                                  &owner, NULL, &dacl, NULL, &sd);
  if (status != ERROR_SUCCESS)
    {
      set_win32_error (error, status, SD_PLATFORM_READING, path);
      return FALSE;
    }
  *shared = !under_wine () && dacl_is_shared (dacl, owner);
  LocalFree (sd);
  return TRUE;
}

char *
sd_platform_private_fix_command (const char *path)
{
  /* SYSTEM and Administrators by SID: their names are translated. */
  return g_strdup_printf ("icacls “%s” /inheritance:r /grant:r “%%USERNAME%%:F” *S-1-5-18:F *S-1-5-32-544:F", path);
}

gboolean
sd_platform_sync_file (const char  *path,
                       GError     **error)
{
  g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  HANDLE file = wpath == NULL ? INVALID_HANDLE_VALUE
                              : CreateFileW (wpath, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                             NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
  DWORD code;

  if (file != INVALID_HANDLE_VALUE && FlushFileBuffers (file))
    {
      CloseHandle (file);
      return TRUE;
    }
  code = GetLastError ();
  if (file != INVALID_HANDLE_VALUE)
    CloseHandle (file);
  set_win32_error (error, code, SD_PLATFORM_FINISHING, path);
  return FALSE;
}

void
sd_platform_sync_folder (const char *folder)
{
  /* NTFS journals a rename itself; there is nothing to ask. */
}

char **
sd_platform_get_arguments (char **argv)
{
  return g_win32_get_command_line ();
}

void
sd_platform_set_stdout_binary (void)
{
  fflush (stdout);
  _setmode (_fileno (stdout), _O_BINARY);
}

/* Opens (or, with MAKE, makes and deletes on close) PATH for writing;
 * FALSE with *ON_MEDIUM when the medium refused. */
static gboolean
try_write (const char *path,
           gboolean    make,
           gboolean   *on_medium)
{
  g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  HANDLE handle;
  DWORD code;

  if (wpath == NULL)
    return FALSE;
  handle = CreateFileW (wpath, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                        make ? CREATE_NEW : OPEN_EXISTING,
                        make ? FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_HIDDEN | FILE_FLAG_DELETE_ON_CLOSE
                             : FILE_ATTRIBUTE_NORMAL,
                        NULL);
  if (handle != INVALID_HANDLE_VALUE)
    {
      CloseHandle (handle);
      return TRUE;
    }
  code = GetLastError ();
  *on_medium = code == ERROR_WRITE_PROTECT || code == ERROR_NOT_READY;
  return FALSE;
}

gboolean
sd_platform_can_write (const char *path,
                       gboolean    exists,
                       gboolean   *on_medium)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *probe_name = g_strdup_printf (".sd-write-test-%08x%08x", g_random_int (), g_random_int ());
  g_autofree char *probe = g_build_filename (dir, probe_name, NULL);

  *on_medium = FALSE;
  if (exists)
    {
      g_autofree gunichar2 *wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
      DWORD attributes = wpath != NULL ? GetFileAttributesW (wpath) : INVALID_FILE_ATTRIBUTES;

      /* The read-only attribute, which Windows enforces on a write (Wine,
       * run as root, does not), then the open itself. */
      if (attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_READONLY))
        return FALSE;
      if (!try_write (path, FALSE, on_medium))
        return FALSE;
    }
  return try_write (probe, TRUE, on_medium);
}

char *
sd_platform_get_exe_dir (void)
{
  /* The executable's own folder (GLib's package directory would drop a
   * trailing "bin", and ../share is relative to bin). */
  wchar_t path[MAX_PATH];
  DWORD len = GetModuleFileNameW (NULL, path, G_N_ELEMENTS (path));
  g_autofree char *exe = len > 0 && len < G_N_ELEMENTS (path) ? g_utf16_to_utf8 (path, len, NULL, NULL, NULL) : NULL;

  return exe != NULL ? g_path_get_dirname (exe) : NULL;
}

char *
sd_platform_get_site_dir (const char *localstatedir)
{
  const char *programdata = g_getenv ("PROGRAMDATA");

  return g_build_filename (programdata != NULL ? programdata : "C:\\ProgramData", "ShelterDesk", NULL);
}

gboolean
sd_platform_prepare_site_dir (const char  *dir,
                              GError     **error)
{
  /* Every account may make a folder in ProgramData; the one made here is
   * then the kiosk account's alone (with SYSTEM and the Administrators). */
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  return sd_platform_create_private_dir (dir, error);
}

const char *
sd_platform_kiosk_start_hint (void)
{
  return _("Start the kiosk with “shelterdesk.exe --kiosk” at this account’s sign-in, with Windows’ "
           "assigned access or Shell Launcher (docs\\deploy-windows.md, section 5).");
}

guint
sd_platform_add_fonts (const char *dir)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint added = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);
      g_autofree char *path = NULL;
      g_autofree gunichar2 *wpath = NULL;

      if (!g_str_has_suffix (lower, ".ttf") && !g_str_has_suffix (lower, ".otf") && !g_str_has_suffix (lower, ".ttc"))
        continue;
      path = g_build_filename (dir, name, NULL);
      wpath = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
      if (wpath != NULL && AddFontResourceExW (wpath, FR_PRIVATE, NULL) > 0)
        added++;
    }
  return added;
}

static int CALLBACK
font_found_cb (const LOGFONTW    *font,
               const TEXTMETRICW *metrics,
               DWORD              type,
               LPARAM             data)
{
  *(gboolean *) data = TRUE;
  return 0;  /* one is enough */
}

gboolean
sd_platform_has_font_family (const char *family)
{
  g_autofree gunichar2 *wfamily = g_utf8_to_utf16 (family, -1, NULL, NULL, NULL);
  LOGFONTW wanted = { 0 };
  gboolean found = FALSE;
  HDC dc;

  if (wfamily == NULL || wcslen (wfamily) >= LF_FACESIZE)
    return FALSE;
  wcscpy (wanted.lfFaceName, wfamily);
  wanted.lfCharSet = DEFAULT_CHARSET;
  dc = GetDC (NULL);
  EnumFontFamiliesExW (dc, &wanted, font_found_cb, (LPARAM) &found, 0);
  ReleaseDC (NULL, dc);
  return found;
}

char *
sd_platform_real_path (const char *path)
{
  /* Links on Windows need an administrator to make; the path's own
   * checks (no "..", not absolute) are what keeps a seed inside there. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return g_canonicalize_filename (path, NULL);
}

/* The job every tied child is put in; never closed by hand, so Windows
 * closes it (and ends them) when this process ends. */
static HANDLE
tied_job (void)
{
  static gsize job = 0;

  if (g_once_init_enter (&job))
    {
      HANDLE handle = CreateJobObjectW (NULL, NULL);
      JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits = { 0 };

      limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
      if (handle != NULL)
        SetInformationJobObject (handle, JobObjectExtendedLimitInformation, &limits, sizeof limits);
      g_once_init_leave (&job, (gsize) handle + 1);
    }
  return (HANDLE) (job - 1);
}

static HANDLE
open_process (GSubprocess *process,
              DWORD        access)
{
  const char *id = process != NULL ? g_subprocess_get_identifier (process) : NULL;

  return id != NULL ? OpenProcess (access, FALSE, (DWORD) g_ascii_strtoull (id, NULL, 10)) : NULL;
}

GSubprocess *
sd_platform_spawn_tied (const char *const  *argv,
                        GSubprocessFlags    flags,
                        GError            **error)
{
  GSubprocess *child = g_subprocess_newv (argv, flags, error);
  HANDLE job = tied_job ();
  HANDLE handle;

  if (child != NULL && job != NULL && (handle = open_process (child, PROCESS_SET_QUOTA | PROCESS_TERMINATE)) != NULL)
    {
      AssignProcessToJobObject (job, handle);
      CloseHandle (handle);
    }
  return child;
}

void
sd_platform_stop_process (GSubprocess *process)
{
  g_subprocess_force_exit (process);
}

void
sd_platform_kill_process (GSubprocess *process)
{
  g_subprocess_force_exit (process);
}

gint64
sd_platform_process_io (GSubprocess *process,
                        gboolean     written)
{
  HANDLE handle = open_process (process, PROCESS_QUERY_LIMITED_INFORMATION);
  IO_COUNTERS counters = { 0 };
  gint64 bytes = 0;

  if (handle == NULL)
    return 0;
  if (GetProcessIoCounters (handle, &counters))
    bytes = (gint64) (written ? counters.WriteTransferCount : counters.ReadTransferCount);
  CloseHandle (handle);
  return bytes;
}

struct _SdPlatformIdentity
{
  int unused;
};

gboolean
sd_platform_become_user (const char          *name,
                         const char          *default_name,
                         SdPlatformIdentity **was,
                         GError             **error)
{
  *was = NULL;
  if (name != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("On Windows the set-up cannot switch to another account: sign in as “%s” and run it "
                     "there (docs/deploy-windows.md)."), name);
      return FALSE;
    }
  return TRUE;
}

void
sd_platform_identity_restore (SdPlatformIdentity *was)
{
  g_free (was);
}

static DWORD saved_console_mode;
static volatile LONG echo_is_off;

/* Ctrl+C at the PIN prompt: the console's echo comes back before the
 * default handler ends the program. */
static BOOL WINAPI
restore_echo_on_break (DWORD type)
{
  if (InterlockedExchange (&echo_is_off, 0))
    SetConsoleMode (GetStdHandle (STD_INPUT_HANDLE), saved_console_mode);
  return FALSE;
}

gboolean
sd_platform_stdin_is_terminal (void)
{
  return _isatty (0);
}

gboolean
sd_platform_set_stdin_echo (gboolean on)
{
  HANDLE input = GetStdHandle (STD_INPUT_HANDLE);

  if (on)
    {
      SetConsoleCtrlHandler (restore_echo_on_break, FALSE);
      if (InterlockedExchange (&echo_is_off, 0))
        return SetConsoleMode (input, saved_console_mode);
      return TRUE;
    }
  if (!GetConsoleMode (input, &saved_console_mode))
    return FALSE;
  SetConsoleCtrlHandler (restore_echo_on_break, TRUE);
  InterlockedExchange (&echo_is_off, 1);
  return SetConsoleMode (input, (saved_console_mode & ~ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT);
}

gssize
sd_platform_read_stdin_byte (char *c)
{
  return _read (0, c, 1);
}

struct _SdPlatformStopWatch
{
  GSourceFunc   stop;
  gpointer      data;
  GMainContext *context;
};

/* The watch the console's handler reports to (one at a time). */
static SdPlatformStopWatch *volatile stop_watch;

static BOOL WINAPI
stop_on_break (DWORD type)
{
  SdPlatformStopWatch *watch = stop_watch;

  if (watch == NULL || (type != CTRL_C_EVENT && type != CTRL_BREAK_EVENT && type != CTRL_CLOSE_EVENT))
    return FALSE;
  g_main_context_invoke (watch->context, watch->stop, watch->data);
  return TRUE;
}

SdPlatformStopWatch *
sd_platform_watch_stop (GSourceFunc stop,
                        gpointer    data)
{
  SdPlatformStopWatch *watch = g_new0 (SdPlatformStopWatch, 1);

  watch->stop = stop;
  watch->data = data;
  watch->context = g_main_context_ref_thread_default ();
  stop_watch = watch;
  SetConsoleCtrlHandler (stop_on_break, TRUE);
  return watch;
}

void
sd_platform_unwatch_stop (SdPlatformStopWatch *watch)
{
  SetConsoleCtrlHandler (stop_on_break, FALSE);
  stop_watch = NULL;
  g_main_context_unref (watch->context);
  g_free (watch);
}
