/* serial-probe.c: a serial scanner on a COM port, watched from outside.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: serial-probe PORT
 *
 * Reads PORT (e.g. "COM33") with an SdSerialScanner, as the desk does, and
 * prints "started", then one line per event on standard output, at once:
 *   connected 1 | connected 0     the port was opened / went away
 *   scanned CODE                  CODE escaped as C (g_strescape: ASCII only)
 *   partial N                     a line of N bytes was dropped
 * until it is killed.  test-serial-wine.py runs it under Wine with PORT
 * mapped onto a pseudo-terminal whose other end it writes, plugs and
 * unplugs: a Windows program cannot open a pseudo-terminal itself.
 */
#include "sd-serial-scanner.h"

#include <stdio.h>

static void
say (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
state_changed_cb (SdSerialScanner *scanner,
                  gpointer         user_data)
{
  say (sd_serial_scanner_get_connected (scanner) ? "connected 1" : "connected 0");
}

static void
scanned_cb (SdSerialScanner *scanner,
            const char      *code,
            gpointer         user_data)
{
  g_autofree char *escaped = g_strescape (code, NULL);
  g_autofree char *line = g_strconcat ("scanned ", escaped, NULL);

  say (line);
}

static void
partial_cb (SdSerialScanner *scanner,
            guint            n_bytes,
            gpointer         user_data)
{
  g_autofree char *line = g_strdup_printf ("partial %u", n_bytes);

  say (line);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SdSerialScanner) scanner = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  if (argc != 2)
    {
      fputs ("Usage: serial-probe PORT\n", stderr);
      return 2;
    }
  scanner = sd_serial_scanner_new (argv[1]);
  g_signal_connect (scanner, "state-changed", G_CALLBACK (state_changed_cb), NULL);
  g_signal_connect (scanner, "scanned", G_CALLBACK (scanned_cb), NULL);
  g_signal_connect (scanner, "partial", G_CALLBACK (partial_cb), NULL);
  say ("started");
  sd_serial_scanner_start (scanner);
  loop = g_main_loop_new (NULL, FALSE);
  g_main_loop_run (loop);
  return 0;
}
