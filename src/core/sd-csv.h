/* sd-csv.h: reading CSV files as municipal systems and Excel write them.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 4180 with the usual departures: CRLF or LF, quoted fields with
 * embedded newlines and doubled quotes, an optional UTF-8 BOM, and text in
 * UTF-8 or Shift_JIS (CP932, as Excel saves it in Japan).  With no
 * encoding given the reader takes a BOM or valid UTF-8 as UTF-8 and
 * otherwise tries CP932; text that is neither is refused with
 * SD_DATA_ERROR_ENCODING naming the line.  Fields come back as UTF-8.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SdCsvReader SdCsvReader;

SdCsvReader *sd_csv_reader_new_from_bytes (GBytes       *data,
                                           const char   *encoding,
                                           GError      **error);
SdCsvReader *sd_csv_reader_new_from_file  (const char   *path,
                                           const char   *encoding,
                                           GError      **error);
void         sd_csv_reader_free           (SdCsvReader  *reader);

/* "UTF-8" or "CP932": what the text was read as. */
const char  *sd_csv_reader_get_encoding   (SdCsvReader  *reader);

/* The next row as an array of UTF-8 strings; NULL at the end (error
 * unset) or on a syntax error (error set, with the line). */
GPtrArray   *sd_csv_reader_read_row       (SdCsvReader  *reader,
                                           GError      **error);

/* The 1-based line of the file on which the row last returned started. */
guint        sd_csv_reader_get_line       (SdCsvReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCsvReader, sd_csv_reader_free)

G_END_DECLS
