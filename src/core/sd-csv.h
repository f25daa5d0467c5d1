/* sd-csv.h: reading CSV files as municipal systems and Excel write them, and writing ours.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading: RFC 4180 with the usual departures: CRLF or LF, quoted fields with
 * embedded newlines and doubled quotes, an optional UTF-8 BOM, and text in
 * UTF-8 or Shift_JIS (CP932, as Excel saves it in Japan).  With no
 * encoding given the reader takes a BOM or valid UTF-8 as UTF-8 and
 * otherwise tries CP932; text that is neither is refused with
 * SD_DATA_ERROR_ENCODING naming the line.  Fields come back as UTF-8.
 */
#pragma once

#include <gio/gio.h>

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

/* Writing: every CSV ShelterDesk writes goes through SdCsvWriter, for
 * Excel in Japan to open: UTF-8 with a BOM, CRLF, every text cell
 * quoted, and a text cell that a spreadsheet would take as a formula
 * (one that begins with = + - @, a tab or a CR) given a ' in front, as
 * OWASP advises against CSV injection.  Only sd_csv_writer_add_number()
 * writes a bare number, for counts and figures we compute ourselves. */
typedef struct _SdCsvWriter SdCsvWriter;

SdCsvWriter *sd_csv_writer_new            (void);
void         sd_csv_writer_free           (SdCsvWriter  *writer);

/* Marks the file an exercise's (sd-exercise-mark.h), before its first
 * row: every row then starts with a cell that says so, the first row's
 * "訓練 EXERCISE — not real data" (A1, where a person opening the file
 * looks first), every other row's "訓練 EXERCISE", so that a row sorted,
 * filtered or copied into another sheet still says where it came from. */
void         sd_csv_writer_mark_exercise  (SdCsvWriter  *writer);

/* A cell of text (NULL is an empty cell): a person's or our own words. */
void         sd_csv_writer_add_text       (SdCsvWriter  *writer,
                                           const char   *text);
/* A cell with a number we computed: written as a number. */
void         sd_csv_writer_add_number     (SdCsvWriter  *writer,
                                           gint64        value);
/* Ends the row; a row with no cells is an empty line. */
void         sd_csv_writer_end_row        (SdCsvWriter  *writer);
/* A whole row of text cells, up to the first NULL. */
void         sd_csv_writer_add_row        (SdCsvWriter  *writer,
                                           const char   *first,
                                           ...) G_GNUC_NULL_TERMINATED;

/* The file so far (NUL-terminated; LENGTH may be NULL). */
const char  *sd_csv_writer_get_text       (SdCsvWriter  *writer,
                                           gsize        *length);
gboolean     sd_csv_writer_write          (SdCsvWriter   *writer,
                                           GOutputStream *stream,
                                           GCancellable  *cancellable,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCsvWriter, sd_csv_writer_free)

G_END_DECLS
