/* sd-test-wine.h: what a test leaves out when it runs under Wine.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Windows build's tests run under Wine (SD_UNDER_WINE is set by the
 * test runner).  There, the Linux tools that read images and PDFs back
 * (zbarimg, pdftoppm, pdftotext) cannot be handed a Windows program's
 * pipes: the drawing is done and checked for errors, and reading it back is
 * left to the Linux run of the same test.
 */
#pragma once

#include <glib.h>

/* TRUE (and the test marked skipped, with the reason) under Wine. */
static inline gboolean
sd_test_readers_unavailable (void)
{
  if (g_getenv ("SD_UNDER_WINE") == NULL)
    return FALSE;
  g_test_skip ("Under Wine a Windows program cannot read the Linux tools' output back (zbarimg, pdftoppm, "
               "pdftotext); the Linux run reads the same drawing.");
  return TRUE;
}
