/* sd-csv.c: reading CSV files as municipal systems and Excel write them, and writing ours.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole file is decoded to UTF-8 once, when the reader is made, and
 * rows are then cut from that text.  Decoding first means an encoding
 * problem is found before any row is imported, and the row parser only
 * ever sees valid UTF-8.  Because every byte that ends a line or a field
 * (LF, CR, comma, double quote) is ASCII, it never occurs inside a
 * multi-byte UTF-8 sequence, so the parser can work on bytes.
 *
 * Invariants:
 *   - text[0..length) is valid UTF-8 with no NUL byte, and text[length]
 *     is NUL; every read is at an index below length or is that NUL.
 *   - pos only moves forward, and each successful read_row() moves it by at
 *     least one byte, so a caller's loop always ends.
 *   - line is the 1-based line of the byte at pos.  CRLF, LF and a lone CR
 *     each end one line, inside quoted fields too, so line numbers agree
 *     with what an editor shows.
 *   - After a syntax error the reader is stuck: every later read_row()
 *     gives the same error again, so a caller can never mistake the rest
 *     of a broken file for its end.
 *
 * Departures from RFC 4180, all in the direction Excel takes: an empty
 * line is skipped rather than read as a row with one empty field; a quote
 * inside an unquoted field is kept as a character; newlines inside a
 * quoted field come back as LF whatever the file used.
 *
 * Writing (SdCsvWriter, at the end of the file) is for spreadsheets more
 * than for programs, because the people who open our exports at HQ open
 * them in Excel.  A cell of text beginning with = + - or @ is a formula
 * to Excel and LibreOffice (=HYPERLINK(...) sends a click to anyone's
 * server, =cmd|... once ran programs), and a leading tab or CR can hide
 * one behind whitespace, so such a cell gets a ' in front: the
 * spreadsheet shows the text and runs nothing.  Every text cell is
 * quoted, too: Excel in a locale whose list separator is ";" would cut an
 * unquoted "a;=1+1" into a second cell that begins with =.
 */
#include "sd-csv.h"

#include <stdarg.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "sd-error.h"
#include "sd-exercise-mark.h"

struct _SdCsvReader
{
  char       *text;
  gsize       length;
  gsize       pos;
  guint       line;
  guint       row_line;
  char       *encoding;
  GError     *error;     /* the syntax error that stopped the reader */
};

static const char utf8_bom[] = "\xEF\xBB\xBF";

/* The line on which byte OFFSET of DATA lies.  Counting LF bytes is right
 * for CP932 as well as UTF-8: 0x0A is never the second byte of a CP932
 * character. */
static guint
line_at (const char *data,
         gsize       offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

static gboolean
is_cp932_name (const char *encoding)
{
  static const char *const names[] = {
    "CP932", "Shift_JIS", "Shift-JIS", "SJIS", "Windows-31J", "MS932",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (encoding, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_utf8_name (const char *encoding)
{
  return g_ascii_strcasecmp (encoding, "UTF-8") == 0 ||
         g_ascii_strcasecmp (encoding, "UTF8") == 0;
}

static void
set_encoding_error (GError     **error,
                    const char  *data,
                    gsize        offset)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
               _("Line %u is neither UTF-8 nor Shift_JIS (CP932) text. "
                 "Save the file again as “CSV UTF-8” and try again."),
               line_at (data, offset));
}

/* Where TEXT, decoded from CP932, holds a byte that is no character: glibc's
 * CP932 refuses 0x80, 0xA0 and 0xFD to 0xFF, but Windows' table (which
 * GLib uses there) decodes them as C1 controls (U+0080) or private-use
 * characters (U+F8F0 to U+F8F3).  NULL when there is none. */
static const char *
undefined_cp932 (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x80 && c <= 0x9F) || (c >= 0xF8F0 && c <= 0xF8F3))
        return p;
    }
  return NULL;
}

/* The offset in DATA of the start of the line that holds BAD in TEXT (a
 * newline is one byte in both, and never part of a CP932 character). */
static gsize
line_start_in (const char *data,
               gsize       length,
               const char *text,
               const char *bad)
{
  gsize offset = 0;

  for (const char *p = text; p < bad; p++)
    if (*p == '\n')
      {
        const char *nl = memchr (data + offset, '\n', length - offset);

        offset = nl != NULL ? (gsize) (nl - data) + 1 : length;
      }
  return offset;
}

/* Decodes LENGTH bytes of DATA from ENCODING.  Excel's "Shift_JIS" is
 * CP932: plain Shift_JIS has no 髙, ①, or NEC special characters, and
 * glibc's iconv refuses them, so every Shift_JIS name is read as CP932. */
static char *
convert (const char  *data,
         gsize        length,
         const char  *encoding,
         gsize       *out_length,
         gsize       *bad_offset,
         GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize bytes_read = 0;
  char *text;

  text = g_convert (data, length, "UTF-8",
                    is_cp932_name (encoding) ? "CP932" : encoding,
                    &bytes_read, out_length, &local_error);

  /* With bytes_read given, g_convert() takes a partial character at the
   * end as success; for a whole file it is a bad character. */
  if (text != NULL && bytes_read != length)
    g_clear_pointer (&text, g_free);
  if (text != NULL && is_cp932_name (encoding))
    {
      const char *bad = undefined_cp932 (text);

      if (bad != NULL)
        {
          *bad_offset = line_start_in (data, length, text, bad);
          g_clear_pointer (&text, g_free);
          return NULL;
        }
    }

  if (text == NULL)
    {
      if (g_error_matches (local_error, G_CONVERT_ERROR, G_CONVERT_ERROR_NO_CONVERSION))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                       _("The encoding “%s” is not known."), encoding);
          *bad_offset = G_MAXSIZE;
        }
      else
        {
          *bad_offset = MIN (bytes_read, length);
        }
    }

  return text;
}

static gboolean
has_utf8_bom (const char *data,
              gsize       length)
{
  return length >= 3 && memcmp (data, utf8_bom, 3) == 0;
}

/* Without an encoding: a BOM or valid UTF-8 means UTF-8, else CP932.
 * When both fail, the line named is where the more likely reading broke
 * down: the one that got further into the file. */
static char *
decode_guessing (const char   *data,
                 gsize         length,
                 const char  **encoding,
                 gsize        *out_length,
                 GError      **error)
{
  const char *end = NULL;
  gsize bad_offset = 0;
  char *text;

  if (length >= 2 && (((guchar) data[0] == 0xFF && (guchar) data[1] == 0xFE) ||
                      ((guchar) data[0] == 0xFE && (guchar) data[1] == 0xFF)))
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                           _("This file is in UTF-16. "
                             "Save it again as “CSV UTF-8” and try again."));
      return NULL;
    }

  if (has_utf8_bom (data, length))
    {
      if (!g_utf8_validate (data, length, &end))
        {
          set_encoding_error (error, data, end - data);
          return NULL;
        }
      *encoding = "UTF-8";
      *out_length = length - 3;
      return g_strndup (data + 3, length - 3);
    }

  if (g_utf8_validate (data, length, &end))
    {
      *encoding = "UTF-8";
      *out_length = length;
      return g_strndup (data, length);
    }

  text = convert (data, length, "CP932", out_length, &bad_offset, NULL);
  if (text != NULL)
    {
      *encoding = "CP932";
      return text;
    }

  set_encoding_error (error, data, MAX (bad_offset, (gsize) (end - data)));
  return NULL;
}

/* Valid UTF-8 (a BOM too) with at least one multibyte character. */
static gboolean
looks_like_utf8 (const char *data,
                 gsize       length)
{
  if (has_utf8_bom (data, length))
    return TRUE;
  if (!g_utf8_validate (data, length, NULL))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if ((guchar) data[i] >= 0x80)
      return TRUE;
  return FALSE;
}

static char *
decode (const char   *data,
        gsize         length,
        const char   *requested,
        const char  **encoding,
        gsize        *out_length,
        GError      **error)
{
  const char *end = NULL;
  gsize bad_offset = 0;
  char *text;

  if (requested == NULL)
    return decode_guessing (data, length, encoding, out_length, error);

  if (is_utf8_name (requested))
    {
      if (has_utf8_bom (data, length))
        {
          data += 3;
          length -= 3;
        }
      if (!g_utf8_validate (data, length, &end))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                       _("Line %u is not UTF-8 text."), line_at (data, end - data));
          return NULL;
        }
      *encoding = "UTF-8";
      *out_length = length;
      return g_strndup (data, length);
    }

  /* A file said to be CP932 that is valid UTF-8 with characters beyond
   * ASCII is a UTF-8 file with the wrong label: read as CP932 it would be
   * stored as mojibake (渡辺 健 as 貂｡霎ｺ 蛛･), with no error at all.  Real
   * Japanese text in CP932 is practically never valid UTF-8. */
  if (is_cp932_name (requested) && looks_like_utf8 (data, length))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                   _("The file is said to be %s (Shift_JIS), but it is UTF-8 text: read as %s, its "
                     "Japanese would be garbled. Give its encoding as UTF-8, or leave the encoding out."),
                   requested, requested);
      return NULL;
    }

  text = convert (data, length, requested, out_length, &bad_offset, error);
  if (text == NULL)
    {
      if (bad_offset != G_MAXSIZE)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                     _("Line %u is not %s text."),
                     line_at (data, bad_offset), requested);
      return NULL;
    }

  *encoding = is_cp932_name (requested) ? "CP932" : requested;
  return text;
}

/* A NUL in the text would cut a field short without anyone noticing;
 * a file with one is not a text file, or is UTF-16 without a BOM. */
static gboolean
check_no_nul (const char  *text,
              gsize        length,
              GError     **error)
{
  const char *nul = memchr (text, '\0', length);

  if (nul == NULL)
    return TRUE;

  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
               _("Line %u has a NUL byte: this is not a CSV text file. "
                 "Save it again as “CSV UTF-8” and try again."),
               line_at (text, nul - text));
  return FALSE;
}

SdCsvReader *
sd_csv_reader_new_from_bytes (GBytes      *data,
                              const char  *encoding,
                              GError     **error)
{
  g_autoptr(SdCsvReader) reader = NULL;
  const char *bytes;
  const char *used = NULL;
  gsize length = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  bytes = g_bytes_get_data (data, &length);
  if (bytes == NULL)
    bytes = "";

  reader = g_new0 (SdCsvReader, 1);
  reader->text = decode (bytes, length, encoding, &used, &reader->length, error);
  if (reader->text == NULL)
    return NULL;

  if (!check_no_nul (reader->text, reader->length, error))
    return NULL;

  reader->encoding = g_strdup (used);
  reader->line = 1;

  return g_steal_pointer (&reader);
}

SdCsvReader *
sd_csv_reader_new_from_file (const char  *path,
                             const char  *encoding,
                             GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  bytes = g_bytes_new_take (contents, length);
  return sd_csv_reader_new_from_bytes (bytes, encoding, error);
}

void
sd_csv_reader_free (SdCsvReader *reader)
{
  if (reader == NULL)
    return;

  g_free (reader->text);
  g_free (reader->encoding);
  g_clear_error (&reader->error);
  g_free (reader);
}

const char *
sd_csv_reader_get_encoding (SdCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, NULL);

  return reader->encoding;
}

guint
sd_csv_reader_get_line (SdCsvReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->row_line;
}

static char
peek (SdCsvReader *reader)
{
  return reader->pos < reader->length ? reader->text[reader->pos] : '\0';
}

/* Steps over a line break at pos, if there is one. */
static gboolean
skip_line_break (SdCsvReader *reader)
{
  char c = peek (reader);

  if (c != '\r' && c != '\n')
    return FALSE;

  reader->pos++;
  if (c == '\r' && peek (reader) == '\n')
    reader->pos++;
  reader->line++;
  return TRUE;
}

static gboolean
at_end (SdCsvReader *reader)
{
  return reader->pos >= reader->length;
}

static char *
read_quoted_field (SdCsvReader  *reader,
                   GError      **error)
{
  g_autoptr(GString) field = g_string_new (NULL);
  guint opened_on = reader->line;

  reader->pos++;  /* the opening quote */

  for (;;)
    {
      char c = peek (reader);

      if (at_end (reader))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                       _("Line %u: a quoted field is never closed. "
                         "Check that line for a missing \" (double quote)."),
                       opened_on);
          return NULL;
        }

      if (c == '"')
        {
          reader->pos++;
          if (peek (reader) != '"')
            break;
          reader->pos++;
          g_string_append_c (field, '"');
        }
      else if (skip_line_break (reader))
        {
          g_string_append_c (field, '\n');
        }
      else
        {
          /* Copy the run up to the next quote or line break at once. */
          gsize start = reader->pos;

          while (!at_end (reader) &&
                 reader->text[reader->pos] != '"' &&
                 reader->text[reader->pos] != '\r' &&
                 reader->text[reader->pos] != '\n')
            reader->pos++;
          g_string_append_len (field, reader->text + start, reader->pos - start);
        }
    }

  /* After the closing quote only a comma or the end of the line may come. */
  if (!at_end (reader) && peek (reader) != ',' &&
      peek (reader) != '\r' && peek (reader) != '\n')
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                   _("Line %u: there is text after the closing quote of a field. "
                     "A \" inside a quoted field must be written twice (\"\")."),
                   reader->line);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&field), FALSE);
}

static char *
read_plain_field (SdCsvReader *reader)
{
  gsize start = reader->pos;

  while (!at_end (reader) &&
         reader->text[reader->pos] != ',' &&
         reader->text[reader->pos] != '\r' &&
         reader->text[reader->pos] != '\n')
    reader->pos++;

  return g_strndup (reader->text + start, reader->pos - start);
}

GPtrArray *
sd_csv_reader_read_row (SdCsvReader  *reader,
                        GError      **error)
{
  g_autoptr(GPtrArray) row = NULL;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return NULL;
    }

  while (skip_line_break (reader))
    ;

  if (at_end (reader))
    return NULL;

  reader->row_line = reader->line;
  row = g_ptr_array_new_with_free_func (g_free);

  for (;;)
    {
      char *field;

      if (peek (reader) == '"')
        field = read_quoted_field (reader, &reader->error);
      else
        field = read_plain_field (reader);

      if (field == NULL)
        {
          g_propagate_error (error, g_error_copy (reader->error));
          return NULL;
        }
      g_ptr_array_add (row, field);

      if (peek (reader) != ',')
        break;
      reader->pos++;
    }

  skip_line_break (reader);

  return g_steal_pointer (&row);
}

/* ---- writing ---- */

struct _SdCsvWriter
{
  GString  *text;
  gboolean  row_started;
  gboolean  exercise;  /* every row starts with the exercise's mark */
  guint     rows;      /* ended so far */
};

SdCsvWriter *
sd_csv_writer_new (void)
{
  SdCsvWriter *writer = g_new0 (SdCsvWriter, 1);

  /* With the BOM, Excel in Japan reads the file as UTF-8, not CP932. */
  writer->text = g_string_new (utf8_bom);
  return writer;
}

void
sd_csv_writer_free (SdCsvWriter *writer)
{
  if (writer == NULL)
    return;
  g_string_free (writer->text, TRUE);
  g_free (writer);
}

void
sd_csv_writer_mark_exercise (SdCsvWriter *writer)
{
  g_return_if_fail (writer != NULL);
  g_return_if_fail (writer->rows == 0 && !writer->row_started);

  writer->exercise = TRUE;
}

static gboolean
starts_formula (const char *text)
{
  return text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

static void
append_quoted (SdCsvWriter *writer,
               const char  *text)
{
  g_string_append_c (writer->text, '"');
  if (starts_formula (text))
    g_string_append_c (writer->text, '\'');
  for (const char *c = text; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (writer->text, '"');
      g_string_append_c (writer->text, *c);
    }
  g_string_append_c (writer->text, '"');
}

/* The first cell of an exercise's row: the whole sentence on the first
 * row, where a person opening the file looks, the words on the others. */
static void
append_exercise_cell (SdCsvWriter *writer)
{
  g_autofree char *text = writer->rows == 0 ? sd_exercise_mark_text () : g_strdup (SD_EXERCISE_WORD);

  append_quoted (writer, text);
}

static void
start_cell (SdCsvWriter *writer)
{
  if (!writer->row_started)
    {
      writer->row_started = TRUE;
      if (!writer->exercise)
        return;
      append_exercise_cell (writer);
    }
  g_string_append_c (writer->text, ',');
}

void
sd_csv_writer_add_text (SdCsvWriter *writer,
                        const char  *text)
{
  g_return_if_fail (writer != NULL);

  start_cell (writer);
  append_quoted (writer, text != NULL ? text : "");
}

void
sd_csv_writer_add_number (SdCsvWriter *writer,
                          gint64       value)
{
  g_return_if_fail (writer != NULL);

  start_cell (writer);
  g_string_append_printf (writer->text, "%" G_GINT64_FORMAT, value);
}

void
sd_csv_writer_end_row (SdCsvWriter *writer)
{
  g_return_if_fail (writer != NULL);

  if (!writer->row_started && writer->exercise)
    append_exercise_cell (writer);
  g_string_append (writer->text, "\r\n");
  writer->row_started = FALSE;
  writer->rows++;
}

void
sd_csv_writer_add_row (SdCsvWriter *writer,
                       const char  *first,
                       ...)
{
  va_list ap;

  g_return_if_fail (writer != NULL);

  va_start (ap, first);
  for (const char *cell = first; cell != NULL; cell = va_arg (ap, const char *))
    sd_csv_writer_add_text (writer, cell);
  va_end (ap);
  sd_csv_writer_end_row (writer);
}

const char *
sd_csv_writer_get_text (SdCsvWriter *writer,
                        gsize       *length)
{
  g_return_val_if_fail (writer != NULL, NULL);

  if (length != NULL)
    *length = writer->text->len;
  return writer->text->str;
}

gboolean
sd_csv_writer_write (SdCsvWriter    *writer,
                     GOutputStream  *stream,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  return g_output_stream_write_all (stream, writer->text->str, writer->text->len, NULL, cancellable, error);
}
