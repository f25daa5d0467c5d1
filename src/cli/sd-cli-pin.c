/* sd-cli-pin.c: reading a PIN from standard input without leaving copies of it about.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PIN never comes from argv or the environment, where other users of
 * the machine can read it (ps, /proc/PID/environ) and shells keep it in
 * their history.  It is read from file descriptor 0 one byte at a time,
 * past stdio, so that no buffer we cannot wipe ever holds it; the caller
 * wipes the one buffer that does.  At a terminal, echo is switched off
 * and switched back on even if the reading is cut short by Ctrl-C.
 *
 * This is the one file of the CLI with platform calls.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#ifdef G_OS_UNIX
# include <termios.h>
# include <unistd.h>
#else
# include <io.h>
# include <windows.h>
# define isatty _isatty
# define read _read
# define STDIN_FILENO 0
#endif

#include "sd-cli-private.h"

/* ---- echo off at a terminal ---- */

#ifdef G_OS_UNIX
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

static gboolean
set_echo (gboolean on)
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
#else
static DWORD saved_console_mode;

static gboolean
set_echo (gboolean on)
{
  HANDLE input = GetStdHandle (STD_INPUT_HANDLE);

  if (on)
    return SetConsoleMode (input, saved_console_mode);
  if (!GetConsoleMode (input, &saved_console_mode))
    return FALSE;
  return SetConsoleMode (input, (saved_console_mode & ~ENABLE_ECHO_INPUT) | ENABLE_LINE_INPUT);
}
#endif

/* ---- reading ---- */

/* The first line of stdin into BUFFER, without its line end; the rest of
 * the line, if it does not fit, is read and dropped (and refused).  FALSE on a read
 * error; *OUT_TOO_LONG when the line did not fit. */
static gboolean
read_line (char     *buffer,
           gsize     size,
           gboolean *out_too_long,
           GError  **error)
{
  gsize len = 0;

  *out_too_long = FALSE;
  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not read the PIN from standard input: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      if (n == 0 || c == '\n')
        break;
      if (len + 1 < size)
        buffer[len++] = c;
      else
        *out_too_long = TRUE;
      c = 0;
    }
  buffer[len] = '\0';
  return TRUE;
}

/* TRUE when nothing but blank lines follows on standard input.  A pipe
 * holding "4321\n5678" is a mistake (two PINs, or a file that is not what
 * was meant): taking the first line would set a PIN nobody chose.  Reads
 * at most a little, so an endless stream is refused rather than waited on. */
static gboolean
rest_is_blank (void)
{
  for (guint i = 0; i < 256; i++)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return n == 0;
      if (!g_ascii_isspace (c))
        {
          c = 0;
          return FALSE;
        }
    }
  return FALSE;
}

static gboolean
read_one (char        *buffer,
          const char  *prompt,
          gboolean     at_terminal,
          GError     **error)
{
  gboolean too_long = FALSE;
  gboolean ok;

  if (at_terminal)
    {
      g_printerr ("%s", prompt);
      if (!set_echo (FALSE))
        {
          g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                       _("Could not hide what is typed at this terminal, so the PIN was not asked for. "
                         "Pipe it in instead."));
          return FALSE;
        }
    }
  ok = read_line (buffer, SD_CLI_PIN_BUFFER_SIZE, &too_long, error);
  if (at_terminal)
    {
      set_echo (TRUE);
      g_printerr ("\n");
    }
  if (!ok)
    return FALSE;

  g_strstrip (buffer);
  if (too_long)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("The PIN is too long: a PIN is 4 to 8 digits."));
      return FALSE;
    }
  if (*buffer == '\0')
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("No PIN was given on standard input. Type it, or pipe it in on the first line."));
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_cli_read_pin (char      *buffer,
                 gboolean   confirm,
                 GError   **error)
{
  gboolean at_terminal = isatty (STDIN_FILENO);
  char again[SD_CLI_PIN_BUFFER_SIZE];
  gboolean same;

  g_return_val_if_fail (buffer != NULL, FALSE);

  if (!read_one (buffer, _("PIN: "), at_terminal, error))
    return FALSE;
  if (!at_terminal && !rest_is_blank ())
    {
      sodium_memzero (buffer, SD_CLI_PIN_BUFFER_SIZE);
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("Standard input holds more than one line. Give the PIN alone, on one line; "
                     "nothing was changed."));
      return FALSE;
    }
  if (!at_terminal || !confirm)
    return TRUE;

  if (!read_one (again, _("PIN again: "), TRUE, error))
    {
      sodium_memzero (again, sizeof again);
      return FALSE;
    }
  same = strlen (buffer) == strlen (again) &&
         sodium_memcmp (buffer, again, strlen (buffer)) == 0;
  sodium_memzero (again, sizeof again);
  if (!same)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED, _("The two PINs are not the same; nothing was changed."));
      return FALSE;
    }
  return TRUE;
}
