/* fuzz-csv.c: libFuzzer target for the CSV reader, fed any bytes as a file.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is read three ways: guessing the encoding (the path an
 * import takes), as UTF-8 and as CP932.  Besides memory errors, it checks
 * what callers rely on: every field is valid UTF-8, line numbers never go
 * backwards, and reading always ends.
 */
#include <stdint.h>
#include <stdlib.h>

#include "sd-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
read_all (GBytes     *bytes,
          const char *encoding,
          size_t      size)
{
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *row;
  guint last_line = 0;
  size_t n_rows = 0;

  reader = sd_csv_reader_new_from_bytes (bytes, encoding, &error);
  if (reader == NULL)
    {
      if (error == NULL)
        abort ();
      return;
    }

  while ((row = sd_csv_reader_read_row (reader, &error)) != NULL)
    {
      guint line = sd_csv_reader_get_line (reader);

      /* Each row takes at least one byte of the input. */
      if (++n_rows > size || line < last_line || line == 0)
        abort ();
      last_line = line;

      for (guint i = 0; i < row->len; i++)
        if (!g_utf8_validate (g_ptr_array_index (row, i), -1, NULL))
          abort ();
      g_ptr_array_unref (row);
    }

  /* A syntax error sticks: the next read gives it again. */
  if (error != NULL)
    {
      g_clear_error (&error);
      if (sd_csv_reader_read_row (reader, &error) != NULL || error == NULL)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  read_all (bytes, NULL, size);
  read_all (bytes, "UTF-8", size);
  read_all (bytes, "CP932", size);

  return 0;
}
