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
 * and switched back on even if the reading is cut short by Ctrl-C
 * (sd-platform.h: termios, or the Windows console).
 */
#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "sd-cli-private.h"
#include "sd-platform.h"

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
      gssize n = sd_platform_read_stdin_byte (&c);

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
      gssize n = sd_platform_read_stdin_byte (&c);

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
      if (!sd_platform_set_stdin_echo (FALSE))
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
      sd_platform_set_stdin_echo (TRUE);
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
  gboolean at_terminal = sd_platform_stdin_is_terminal ();
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
