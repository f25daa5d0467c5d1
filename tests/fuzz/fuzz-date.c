/* fuzz-date.c: libFuzzer target for the date parser, fed any bytes as typed text.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides memory errors, it checks the promises callers rely on: an
 * accepted date is a real ISO date that sd_date_format_era() can write and
 * sd_date_parse_iso() reads back as itself; a refused one always comes
 * with a readable message; the LATEST bound is kept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sd-date.h"
#include "sd-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_accepted (const char  *iso,
                const GDate *latest)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *era = sd_date_format_era (iso);
  g_autofree char *back = NULL;

  if (era == NULL)
    abort ();
  back = sd_date_parse_iso (era, latest, &error);
  if (back == NULL || strcmp (back, iso) != 0)
    abort ();
  if (latest != NULL && sd_date_age_on (iso, latest) < 0)
    abort ();
}

static void
parse_once (const char  *text,
            const GDate *latest)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *iso = sd_date_parse_iso (text, latest, &error);

  if (iso != NULL)
    {
      if (error != NULL)
        abort ();
      check_accepted (iso, latest);
    }
  else if (error == NULL ||
           !g_error_matches (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE) ||
           !g_utf8_validate (error->message, -1, NULL))
    {
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  GDate latest;

  g_date_clear (&latest, 1);
  g_date_set_dmy (&latest, 1, G_DATE_JANUARY, 2026);

  parse_once (text, NULL);
  parse_once (text, &latest);

  /* The strict ISO readers get the raw text too. */
  g_free (sd_date_format_era (text));
  sd_date_age_on (text, &latest);

  return 0;
}
