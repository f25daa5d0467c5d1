/* fuzz-csv.c: libFuzzer target for the CSV reader, fed any bytes as a file, and for the writer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each input is read three ways: guessing the encoding (the path an
 * import takes), as UTF-8 and as CP932.  Besides memory errors, it checks
 * what callers rely on: every field is valid UTF-8, line numbers never go
 * backwards, and reading always ends.  Every row read is also written
 * back with SdCsvWriter and read again: it must come back cell for cell,
 * with a ' in front of exactly the cells a spreadsheet would take as a
 * formula, so no text of any shape can slip a formula through the writer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sd-csv.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
write_and_read_back (GPtrArray *row)
{
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *text;

  for (guint i = 0; i < row->len; i++)
    sd_csv_writer_add_text (writer, g_ptr_array_index (row, i));
  sd_csv_writer_end_row (writer);
  text = sd_csv_writer_get_text (writer, &length);
  bytes = g_bytes_new (text, length);
  reader = sd_csv_reader_new_from_bytes (bytes, "UTF-8", &error);
  if (reader == NULL)
    abort ();
  again = sd_csv_reader_read_row (reader, &error);
  if (again == NULL || again->len != row->len || sd_csv_reader_read_row (reader, &error) != NULL || error != NULL)
    abort ();
  for (guint i = 0; i < row->len; i++)
    {
      const char *was = g_ptr_array_index (row, i);
      const char *is = g_ptr_array_index (again, i);
      gboolean formula = was[0] != '\0' && strchr ("=+-@\t\r", was[0]) != NULL;

      if (formula ? (is[0] != '\'' || strcmp (is + 1, was) != 0) : strcmp (is, was) != 0)
        abort ();
    }
}

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
      write_and_read_back (row);
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
