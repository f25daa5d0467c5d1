/* main.c: starts the ShelterDesk desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SdApplication) app = NULL;

  sd_application_setup_i18n ();
  app = sd_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
