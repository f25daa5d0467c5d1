/* test-csv.c: unit tests for reading CSV files as municipal systems and Excel write them.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include <gio/gio.h>

#include "sd-csv.h"
#include "sd-error.h"
#include "sd-exercise-mark.h"

static SdCsvReader *
reader_for (const char *data,
            gssize      length,
            const char *encoding)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
  g_autoptr(GError) error = NULL;
  SdCsvReader *reader = sd_csv_reader_new_from_bytes (bytes, encoding, &error);

  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* Reads the next row and checks it against the NULL-terminated FIELDS and
 * its starting LINE. */
static void
assert_row (SdCsvReader        *reader,
            guint               line,
            const char * const *fields)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) row = sd_csv_reader_read_row (reader, &error);
  guint n = g_strv_length ((char **) fields);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpuint (row->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (g_ptr_array_index (row, i), ==, fields[i]);
  g_assert_cmpuint (sd_csv_reader_get_line (reader), ==, line);
}

#define ROW(reader, line, ...) \
  assert_row ((reader), (line), (const char * const[]) { __VA_ARGS__, NULL })

static void
assert_end (SdCsvReader *reader)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *row = sd_csv_reader_read_row (reader, &error);

  g_assert_no_error (error);
  g_assert_null (row);
  /* And it stays at the end. */
  row = sd_csv_reader_read_row (reader, &error);
  g_assert_no_error (error);
  g_assert_null (row);
}

static void
assert_message_has (const GError *error,
                    const char   *needle)
{
  if (strstr (error->message, needle) == NULL)
    {
      g_test_message ("message “%s” lacks “%s”", error->message, needle);
      g_test_fail ();
    }
}

static void
test_plain (void)
{
  g_autoptr(SdCsvReader) reader = reader_for ("name,kana,born\n山田 太郎,ヤマダ タロウ,S25.1.6\n", -1, NULL);

  g_assert_cmpstr (sd_csv_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_cmpuint (sd_csv_reader_get_line (reader), ==, 0);
  ROW (reader, 1, "name", "kana", "born");
  ROW (reader, 2, "山田 太郎", "ヤマダ タロウ", "S25.1.6");
  assert_end (reader);
}

static void
test_line_endings (void)
{
  g_autoptr(SdCsvReader) crlf = reader_for ("a,b\r\nc,d\r\n", -1, NULL);
  g_autoptr(SdCsvReader) no_newline = reader_for ("a,b\nc,d", -1, NULL);
  g_autoptr(SdCsvReader) cr = reader_for ("a,b\rc,d\r", -1, NULL);
  g_autoptr(SdCsvReader) blank = reader_for ("a,b\n\n\r\nc,d\n\n", -1, NULL);

  ROW (crlf, 1, "a", "b");
  ROW (crlf, 2, "c", "d");
  assert_end (crlf);

  ROW (no_newline, 1, "a", "b");
  ROW (no_newline, 2, "c", "d");
  assert_end (no_newline);

  ROW (cr, 1, "a", "b");
  ROW (cr, 2, "c", "d");
  assert_end (cr);

  /* Empty lines are skipped but still counted. */
  ROW (blank, 1, "a", "b");
  ROW (blank, 4, "c", "d");
  assert_end (blank);
}

static void
test_empty_fields (void)
{
  g_autoptr(SdCsvReader) reader = reader_for (",,\na,,b,\n\"\",x\n", -1, NULL);
  g_autoptr(SdCsvReader) empty = reader_for ("", 0, NULL);
  g_autoptr(SdCsvReader) newlines = reader_for ("\n\r\n\n", -1, NULL);

  ROW (reader, 1, "", "", "");
  ROW (reader, 2, "a", "", "b", "");
  ROW (reader, 3, "", "x");
  assert_end (reader);

  assert_end (empty);
  assert_end (newlines);
}

static void
test_quoted (void)
{
  g_autoptr(SdCsvReader) reader = reader_for (
    "id,note\r\n"
    "1,\"a, b\"\r\n"
    "2,\"she said \"\"hi\"\"\"\r\n"
    "3,\"first\r\nsecond\nthird\"\r\n"
    "4,\"\"\"\"\r\n"
    "5,ab\"c\r\n"
    "6,\"end\"", -1, NULL);

  ROW (reader, 1, "id", "note");
  ROW (reader, 2, "1", "a, b");
  ROW (reader, 3, "2", "she said \"hi\"");
  ROW (reader, 4, "3", "first\nsecond\nthird");
  /* The row after a field spread over three lines starts on line 7. */
  ROW (reader, 7, "4", "\"");
  ROW (reader, 8, "5", "ab\"c");
  ROW (reader, 9, "6", "end");
  assert_end (reader);
}

static void
test_multiline_line_numbers (void)
{
  g_autoptr(SdCsvReader) reader = reader_for (
    "name,address\n"
    "\"山田\n太郎\",\"東京都\n\n千代田区\"\n"
    "佐藤,大阪\n"
    "\n"
    "鈴木,\"\n\"\n"
    "高橋,名古屋\n", -1, NULL);

  ROW (reader, 1, "name", "address");
  ROW (reader, 2, "山田\n太郎", "東京都\n\n千代田区");
  ROW (reader, 6, "佐藤", "大阪");
  ROW (reader, 8, "鈴木", "\n");
  ROW (reader, 10, "高橋", "名古屋");
  assert_end (reader);
}

static void
test_bom (void)
{
  g_autoptr(SdCsvReader) reader = reader_for ("\xEF\xBB\xBF" "氏名,カナ\n山田,ヤマダ\n", -1, NULL);
  g_autoptr(SdCsvReader) forced = reader_for ("\xEF\xBB\xBF" "a\n", -1, "UTF-8");
  g_autoptr(SdCsvReader) only_bom = reader_for ("\xEF\xBB\xBF", -1, NULL);

  g_assert_cmpstr (sd_csv_reader_get_encoding (reader), ==, "UTF-8");
  ROW (reader, 1, "氏名", "カナ");
  ROW (reader, 2, "山田", "ヤマダ");
  assert_end (reader);

  ROW (forced, 1, "a");
  assert_end (forced);

  assert_end (only_bom);
}

static char *
to_cp932 (const char *utf8,
          gsize      *length)
{
  g_autoptr(GError) error = NULL;
  char *cp932 = g_convert (utf8, -1, "CP932", "UTF-8", NULL, length, &error);

  g_assert_no_error (error);
  return cp932;
}

static void
test_cp932 (void)
{
  const char *utf8 =
    "氏名,カナ,備考\r\n"
    "髙橋 一郎,ﾀｶﾊｼ ｲﾁﾛｳ,﨑\r\n"
    "山田 太郎,ﾔﾏﾀﾞ ﾀﾛｳ,\"①\r\n～\"\r\n"
    "表示,ソ,能\r\n";
  gsize length = 0;
  g_autofree char *cp932 = to_cp932 (utf8, &length);
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(SdCsvReader) forced = NULL;

  /* It must really be CP932: not UTF-8, and shorter for half-width kana. */
  g_assert_false (g_utf8_validate (cp932, length, NULL));
  g_assert_cmpuint (length, <, strlen (utf8));

  reader = reader_for (cp932, length, NULL);
  g_assert_cmpstr (sd_csv_reader_get_encoding (reader), ==, "CP932");
  ROW (reader, 1, "氏名", "カナ", "備考");
  ROW (reader, 2, "髙橋 一郎", "ﾀｶﾊｼ ｲﾁﾛｳ", "﨑");
  ROW (reader, 3, "山田 太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "①\n～");
  /* ソ, 表 and 能 end in 0x5C, the byte of '\', in CP932. */
  ROW (reader, 5, "表示", "ソ", "能");
  assert_end (reader);

  forced = reader_for (cp932, length, "Shift_JIS");
  g_assert_cmpstr (sd_csv_reader_get_encoding (forced), ==, "CP932");
  ROW (forced, 1, "氏名", "カナ", "備考");
}

static void
assert_refused (const char *data,
                gssize      length,
                const char *encoding,
                int         code,
                const char *needle)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length < 0 ? strlen (data) : (gsize) length);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsvReader) reader = NULL;
  g_autofree char *shown = g_strescape (data, NULL);

  g_test_message ("%s in %s", shown, encoding != NULL ? encoding : "whatever it looks like");
  reader = sd_csv_reader_new_from_bytes (bytes, encoding, &error);
  g_assert_null (reader);
  g_assert_error (error, SD_DATA_ERROR, code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_message_has (error, needle);
}

static void
test_bad_encoding (void)
{
  /* 0x80 and 0xA0 are not characters in CP932, nor valid UTF-8 here. */
  assert_refused ("a,b\nc,d\ne,\x80\xA0\n", -1, NULL, SD_DATA_ERROR_ENCODING, "Line 3 ");
  assert_refused ("\xFF\xFF\xFF", -1, NULL, SD_DATA_ERROR_ENCODING, "Line 1 ");
  /* A CP932 lead byte with nothing after it. */
  assert_refused ("a\n\x88", -1, NULL, SD_DATA_ERROR_ENCODING, "Line 2 ");
  /* A BOM says UTF-8, so no CP932 guess is made. */
  assert_refused ("\xEF\xBB\xBF" "a\n\x82\xA0\n", -1, NULL, SD_DATA_ERROR_ENCODING, "Line 2 ");
  assert_refused ("a\n\x82\xA0\n", -1, "UTF-8", SD_DATA_ERROR_ENCODING, "Line 2 ");
  assert_refused ("a\nb\n\x80\n", -1, "CP932", SD_DATA_ERROR_ENCODING, "Line 3 ");
  assert_refused ("a", -1, "NO-SUCH-ENCODING", SD_DATA_ERROR_ENCODING, "not known");
  assert_refused ("\xFF\xFE" "a\0,\0b\0", 8, NULL, SD_DATA_ERROR_ENCODING, "UTF-16");
  assert_refused ("a,b\nc\0d\n", 8, NULL, SD_DATA_ERROR_ENCODING, "Line 2 ");
  assert_refused ("a,b\nc\0d\n", 8, "UTF-8", SD_DATA_ERROR_ENCODING, "Line 2 ");
}

static void
assert_syntax_error (SdCsvReader *reader,
                     const char  *needle)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *row = sd_csv_reader_read_row (reader, &error);

  g_assert_null (row);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX);
  assert_message_has (error, needle);
  g_clear_error (&error);

  /* Stuck: the same error again, never a clean end. */
  row = sd_csv_reader_read_row (reader, &error);
  g_assert_null (row);
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX);
  assert_message_has (error, needle);
}

static void
test_syntax_errors (void)
{
  g_autoptr(SdCsvReader) unterminated = reader_for ("a,b\nc,\"d\ne,f\n", -1, NULL);
  g_autoptr(SdCsvReader) after_multiline = reader_for ("a,\"x\ny\"\nb,\"open\n", -1, NULL);
  g_autoptr(SdCsvReader) stray = reader_for ("a,b\n\"c\"d,e\n", -1, NULL);

  ROW (unterminated, 1, "a", "b");
  assert_syntax_error (unterminated, "Line 2:");
  g_assert_cmpuint (sd_csv_reader_get_line (unterminated), ==, 2);

  ROW (after_multiline, 1, "a", "x\ny");
  assert_syntax_error (after_multiline, "Line 3:");

  ROW (stray, 1, "a", "b");
  assert_syntax_error (stray, "Line 2:");
}

static void
test_from_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-csv-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *cp932 = NULL;
  g_autoptr(SdCsvReader) reader = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "list.csv", NULL);
  missing = g_build_filename (dir, "missing.csv", NULL);
  cp932 = to_cp932 ("ﾔﾏﾀﾞ,髙\n", &length);
  g_file_set_contents (path, cp932, length, &error);
  g_assert_no_error (error);

  reader = sd_csv_reader_new_from_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_csv_reader_get_encoding (reader), ==, "CP932");
  ROW (reader, 1, "ﾔﾏﾀﾞ", "髙");
  assert_end (reader);

  g_assert_null (sd_csv_reader_new_from_file (missing, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_large (void)
{
  g_autoptr(GString) text = g_string_new ("id,name\r\n");
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *row;
  guint n = 0;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (text, "%u,\"名前 %u\"\r\n", i, i);

  bytes = g_bytes_new (text->str, text->len);
  reader = sd_csv_reader_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);

  while ((row = sd_csv_reader_read_row (reader, &error)) != NULL)
    {
      n++;
      g_ptr_array_unref (row);
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 20001);
  g_assert_cmpuint (sd_csv_reader_get_line (reader), ==, 20001);
}

/* ---- writing ---- */

/* The rows the writer made, read back by our own reader (skipping the BOM). */
static SdCsvReader *
read_back (SdCsvWriter *writer)
{
  gsize length = 0;
  const char *text = sd_csv_writer_get_text (writer, &length);

  g_assert_true (length >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0);
  return reader_for (text, length, "UTF-8");
}

/* Every cell that a spreadsheet would take as a formula (OWASP's list:
 * = + - @ tab CR at the start) comes back with a ' in front, inside a
 * quoted cell, however much of a formula follows. */
static void
test_write_neutralises_formulas (void)
{
  static const char *const cells[] = {
    "=HYPERLINK(\"http://x\",\"y\")", "+81 90", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1", "=",
  };
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GPtrArray) row = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    sd_csv_writer_add_text (writer, cells[i]);
  sd_csv_writer_end_row (writer);

  text = sd_csv_writer_get_text (writer, NULL);
  g_assert_nonnull (strstr (text, "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""));

  reader = read_back (writer);
  row = sd_csv_reader_read_row (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (row->len, ==, G_N_ELEMENTS (cells));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      /* The reader gives a CR inside a quoted cell back as LF. */
      g_autofree char *expected = g_strdelimit (g_strconcat ("'", cells[i], NULL), "\r", '\n');
      g_assert_cmpstr (g_ptr_array_index (row, i), ==, expected);
    }
}

/* Ordinary text, ours or a person's, reads back exactly as it was given;
 * a separator or quote inside never splits the cell. */
static void
test_write_round_trip (void)
{
  static const char *const cells[] = {
    "毛布 50枚", "a=b", "1+1", "say \"hi\"", "one, two", "a;=1+1", "二行\n=目", " -3", "0–5", "'", NULL,
  };
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(SdCsvReader) reader = NULL;
  const char *text;

  sd_csv_writer_add_row (writer, "見出し", NULL);
  for (guint i = 0; cells[i] != NULL; i++)
    sd_csv_writer_add_text (writer, cells[i]);
  sd_csv_writer_end_row (writer);
  sd_csv_writer_add_text (writer, NULL);
  sd_csv_writer_add_text (writer, "");
  sd_csv_writer_end_row (writer);

  /* Every text cell is quoted: in a locale whose separator is ";" a
   * spreadsheet would otherwise cut "a;=1+1" into a formula cell. */
  text = sd_csv_writer_get_text (writer, NULL);
  g_assert_nonnull (strstr (text, "\"a;=1+1\""));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF\"見出し\"\r\n"));
  g_assert_true (g_str_has_suffix (text, "\"\",\"\"\r\n"));

  reader = read_back (writer);
  ROW (reader, 1, "見出し");
  assert_row (reader, 2, cells);
  ROW (reader, 4, "", "");
  assert_end (reader);
}

/* Our own numbers are numbers, negative ones included; the same text from
 * a person is neutralised. */
static void
test_write_numbers (void)
{
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(SdCsvReader) reader = NULL;

  sd_csv_writer_add_text (writer, "差");
  sd_csv_writer_add_number (writer, -3);
  sd_csv_writer_add_number (writer, 100000);
  sd_csv_writer_add_number (writer, 0);
  sd_csv_writer_add_text (writer, "-3");
  sd_csv_writer_end_row (writer);

  g_assert_cmpstr (sd_csv_writer_get_text (writer, NULL), ==, "\xEF\xBB\xBF\"差\",-3,100000,0,\"'-3\"\r\n");
  reader = read_back (writer);
  ROW (reader, 1, "差", "-3", "100000", "0", "'-3");
  assert_end (reader);
}

/* Written to a stream (a file, for the desk and the CLI) byte for byte. */
static void
test_write_stream (void)
{
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *text;

  sd_csv_writer_add_row (writer, "=1", "b", NULL);
  text = sd_csv_writer_get_text (writer, &length);
  g_assert_true (sd_csv_writer_write (writer, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)),
                   text, length);
}

/* An exercise's file: every row, an empty one and one of numbers
 * included, starts with the mark; the first row's is the whole sentence. */
static void
test_write_exercise (void)
{
  g_autoptr(SdCsvWriter) writer = sd_csv_writer_new ();
  g_autoptr(SdCsvReader) reader = NULL;
  g_autofree char *mark = sd_exercise_mark_text ();

  sd_csv_writer_mark_exercise (writer);
  sd_csv_writer_add_row (writer, "見出し", "=1", NULL);
  sd_csv_writer_add_number (writer, 7);
  sd_csv_writer_add_text (writer, "a");
  sd_csv_writer_end_row (writer);
  sd_csv_writer_end_row (writer);

  g_assert_true (g_str_has_prefix (mark, SD_EXERCISE_WORD " "));
  reader = read_back (writer);
  ROW (reader, 1, mark, "見出し", "'=1");
  ROW (reader, 2, SD_EXERCISE_WORD, "7", "a");
  ROW (reader, 3, SD_EXERCISE_WORD);
  assert_end (reader);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/plain", test_plain);
  g_test_add_func ("/csv/line-endings", test_line_endings);
  g_test_add_func ("/csv/empty-fields", test_empty_fields);
  g_test_add_func ("/csv/quoted", test_quoted);
  g_test_add_func ("/csv/multiline-line-numbers", test_multiline_line_numbers);
  g_test_add_func ("/csv/bom", test_bom);
  g_test_add_func ("/csv/cp932", test_cp932);
  g_test_add_func ("/csv/bad-encoding", test_bad_encoding);
  g_test_add_func ("/csv/syntax-errors", test_syntax_errors);
  g_test_add_func ("/csv/from-file", test_from_file);
  g_test_add_func ("/csv/large", test_large);
  g_test_add_func ("/csv/write/neutralises-formulas", test_write_neutralises_formulas);
  g_test_add_func ("/csv/write/round-trip", test_write_round_trip);
  g_test_add_func ("/csv/write/numbers", test_write_numbers);
  g_test_add_func ("/csv/write/stream", test_write_stream);
  g_test_add_func ("/csv/write/exercise", test_write_exercise);

  return g_test_run ();
}
