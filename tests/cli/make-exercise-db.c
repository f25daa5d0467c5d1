/* make-exercise-db.c: a new exercise database for the tests, made through the core as an exercise's is.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *     make-exercise-db FILE [SEEDS]
 *
 * Creates FILE and marks it an exercise while it is still blank
 * (sd_store_mark_exercise: the only way there is), then loads the seed
 * folder SEEDS if given.  The demo seeds mark a database demo too: that
 * mark is taken off again, so the exercise's is the only one the desk,
 * the printouts and the files can show.
 */
#include "sd-core.h"

#include <locale.h>
#include <stdio.h>

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;

  setlocale (LC_ALL, "");
  if (argc < 2 || argc > 3)
    {
      fprintf (stderr, "usage: make-exercise-db FILE [SEEDS]\n");
      return 2;
    }
  store = sd_store_open (argv[1], SD_STORE_OPEN_CREATE, &error);
  if (store == NULL || !sd_store_mark_exercise (store, &error) ||
      (argc == 3 && (!sd_seed_load (store, argv[2], NULL, &error) || !sd_store_set_is_demo (store, FALSE, &error))))
    {
      fprintf (stderr, "make-exercise-db: %s\n", error->message);
      return 1;
    }
  return 0;
}
