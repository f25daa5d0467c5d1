/* wine-keeper.c: holds Wine's desktop open for a test run.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wine starts its desktop process (explorer.exe /desktop) for the first
 * program that needs a window or a screen DC, and that process inherits
 * the program's standard output and error.  Started by a test program, it
 * keeps the test's pipes open after the test has ended, until the
 * desktop's last user is gone: the test runner sees a program that never
 * finishes.  packaging/windows/build.sh --test therefore starts Wine's
 * services and this keeper, with nothing on their standard files, before
 * any test: the keeper holds the screen's DC, which keeps the desktop up
 * for the whole run, and it ends with the run's Wine server.
 */
#include <windows.h>

int
main (void)
{
  /* The screen's DC, held: this process uses the desktop until it is
   * ended, so Wine keeps the desktop process. */
  HDC screen = GetDC (NULL);

  if (GetDesktopWindow () == NULL || screen == NULL)
    return 1;
  Sleep (INFINITE);  /* until the run's server ends it */
  return 0;
}
