/* sd-safety-import.c: answers collected elsewhere, read from CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-safety-import.h"
#include "sd-csv.h"
#include "sd-date.h"
#include "sd-error.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

typedef enum {
  COL_STAFF_NO,
  COL_ANSWERED_AT,
  COL_SAFETY,
  COL_LOCATION,
  COL_LOCATION_NOTE,
  COL_CAN_REPORT,
  COL_MEANS,
  COL_ARRIVAL,
  COL_MESSAGE,
  N_COLS
} Column;

/* Headings, compared after NFKC and without spaces: full-width brackets
 * and half-width katakana match too. */
static const char *const headings[N_COLS][7] = {
  [COL_STAFF_NO] = { "職員番号", "職員ID", "社員番号", "staff_no", NULL },
  [COL_ANSWERED_AT] = { "回答日時", "回答時刻", "受信日時", "answered_at", NULL },
  [COL_SAFETY] = { "安否", "安否状況", "本人の安否", "safety", NULL },
  [COL_LOCATION] = { "現在地", "現在の場所", "居場所", "location", NULL },
  [COL_LOCATION_NOTE] = { "現在地(その他)", "現在地詳細", "現在地の詳細", "location_note", NULL },
  [COL_CAN_REPORT] = { "参集可否", "出勤可否", "参集可能", "can_report", NULL },
  [COL_MEANS] = { "参集方法", "出勤方法", "参集手段", "means", NULL },
  [COL_ARRIVAL] = { "参集までの時間", "参集可能時間", "到着までの時間", "arrival", NULL },
  [COL_MESSAGE] = { "メッセージ", "備考", "コメント", "message", NULL },
};

static const gboolean required[N_COLS] = {
  [COL_STAFF_NO] = TRUE, [COL_ANSWERED_AT] = TRUE, [COL_SAFETY] = TRUE, [COL_LOCATION] = TRUE,
  [COL_CAN_REPORT] = TRUE,
};

typedef struct {
  const char *text;
  int         value;
} Word;

/* Values, compared after NFKC, without spaces, and with every kind of
 * wave dash made one. */
static const Word safety_words[] = {
  { "無事", SD_SAFETY_UNHURT }, { "unhurt", SD_SAFETY_UNHURT }, { "けがなし", SD_SAFETY_UNHURT },
  { "軽症", SD_SAFETY_MINOR }, { "軽傷", SD_SAFETY_MINOR }, { "minor", SD_SAFETY_MINOR },
  { "重症", SD_SAFETY_SERIOUS }, { "重傷", SD_SAFETY_SERIOUS }, { "serious", SD_SAFETY_SERIOUS }, { NULL, 0 } };
static const Word where_words[] = {
  { "自宅", SD_WHERE_HOME }, { "home", SD_WHERE_HOME }, { "職場", SD_WHERE_WORK }, { "勤務先", SD_WHERE_WORK },
  { "work", SD_WHERE_WORK }, { "その他", SD_WHERE_OTHER }, { "other", SD_WHERE_OTHER }, { NULL, 0 } };
static const Word report_words[] = {
  { "可", TRUE }, { "可能", TRUE }, { "できる", TRUE }, { "参集できる", TRUE }, { "参集可", TRUE }, { "はい", TRUE },
  { "○", TRUE }, { "yes", TRUE }, { "true", TRUE },
  { "否", FALSE }, { "不可", FALSE }, { "できない", FALSE }, { "参集できない", FALSE }, { "参集不可", FALSE },
  { "いいえ", FALSE }, { "×", FALSE }, { "no", FALSE }, { "false", FALSE }, { NULL, 0 } };
static const Word means_words[] = {
  { "徒歩", SD_MEANS_WALK }, { "walk", SD_MEANS_WALK }, { "自転車", SD_MEANS_BICYCLE },
  { "bicycle", SD_MEANS_BICYCLE }, { "車", SD_MEANS_CAR }, { "自動車", SD_MEANS_CAR }, { "car", SD_MEANS_CAR },
  { "バス", SD_MEANS_BUS }, { "bus", SD_MEANS_BUS }, { "電車", SD_MEANS_TRAIN }, { "鉄道", SD_MEANS_TRAIN },
  { "train", SD_MEANS_TRAIN }, { "その他", SD_MEANS_OTHER }, { "other", SD_MEANS_OTHER }, { NULL, 0 } };
static const Word arrival_words[] = {
  { "30分以内", SD_ARRIVAL_WITHIN_30M }, { "~30分", SD_ARRIVAL_WITHIN_30M },
  { "within_30m", SD_ARRIVAL_WITHIN_30M },
  { "30分~1時間", SD_ARRIVAL_WITHIN_1H }, { "1時間以内", SD_ARRIVAL_WITHIN_1H }, { "within_1h", SD_ARRIVAL_WITHIN_1H },
  { "1~2時間", SD_ARRIVAL_WITHIN_2H }, { "2時間以内", SD_ARRIVAL_WITHIN_2H }, { "within_2h", SD_ARRIVAL_WITHIN_2H },
  { "2~3時間", SD_ARRIVAL_WITHIN_3H }, { "3時間以内", SD_ARRIVAL_WITHIN_3H }, { "within_3h", SD_ARRIVAL_WITHIN_3H },
  { "3時間以上", SD_ARRIVAL_OVER_3H }, { "3時間超", SD_ARRIVAL_OVER_3H }, { "over_3h", SD_ARRIVAL_OVER_3H },
  { NULL, 0 } };

/* TEXT as compared: NFKC, spaces out, ～〜 as ~, lower case. */
static char *
folded (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFKC);
  GString *out = g_string_new (NULL);

  for (const char *p = nfkc; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      if (c == 0x301C || c == 0xFF5E || c == 0x2053 || c == '-')   /* 〜 ～ ⁓ and a plain hyphen */
        c = '~';
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

static gboolean
word_of (const Word *words,
         const char *text,
         int        *out)
{
  g_autofree char *key = folded (text);

  for (guint i = 0; words[i].text != NULL; i++)
    {
      g_autofree char *candidate = folded (words[i].text);

      if (g_str_equal (key, candidate))
        {
          *out = words[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

/* "2026/12/03 03:10", "2026-12-03 03:10:00", "令和8年12月3日 3時10分",
 * ISO 8601 with a zone: ms since the epoch, local time unless the text
 * gives its zone; 0 when it is not a time. */
static gint64
parse_time (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) at = NULL;
  g_autofree char *iso_date = NULL;
  char *space, *time_part;
  int hour = -1, minute = -1, second = 0, year, month, day;

  g_strstrip (nfkc);
  at = g_date_time_new_from_iso8601 (nfkc, local);
  if (at != NULL)
    return g_date_time_to_unix (at) * 1000 + g_date_time_get_microsecond (at) / 1000;
  /* The date, then the time after the first space or 日. */
  space = strchr (nfkc, ' ');
  if (space == NULL && (space = strstr (nfkc, "日")) != NULL)
    space += strlen ("日") - 1;
  if (space == NULL)
    return 0;
  time_part = space + 1;
  space[space[0] == ' ' ? 0 : 1] = '\0';
  iso_date = sd_date_parse_iso (nfkc, NULL, NULL);
  if (iso_date == NULL || sscanf (iso_date, "%d-%d-%d", &year, &month, &day) != 3)
    return 0;
  g_strstrip (time_part);
  if (sscanf (time_part, "%d:%d:%d", &hour, &minute, &second) < 2 &&
      sscanf (time_part, "%d時%d分%d秒", &hour, &minute, &second) < 2)
    return 0;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
    return 0;
  g_clear_pointer (&at, g_date_time_unref);
  at = g_date_time_new (local, year, month, day, hour, minute, second);
  return at != NULL ? g_date_time_to_unix (at) * 1000 : 0;
}

typedef struct {
  SdSafetyAnswerSpec spec;
  guint              line;
  GPtrArray         *row;   /* owns the strings SPEC points into */
} Row;

static void
row_free (Row *row)
{
  g_ptr_array_unref (row->row);
  g_free (row);
}

static const char *
cell (GPtrArray *row,
      int        index)
{
  const char *text;

  if (index < 0 || (guint) index >= row->len)
    return NULL;
  text = g_ptr_array_index (row, index);
  return text != NULL && *text != '\0' ? text : NULL;
}

/* The heading of COLUMN as this file's first name for it, for messages. */
static const char *
heading (Column column)
{
  return headings[column][0];
}

static gboolean
bad_value (GError    **error,
           guint       line,
           Column      column,
           const char *value,
           const char *choices)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("Line %u: “%s” is not a value of “%s”. Write one of %s, then import the file again."),
               line, value, heading (column), choices);
  return FALSE;
}

static gboolean
read_row (GPtrArray  *cells,
          const int  *at,
          guint       line,
          Row        *row,
          GError    **error)
{
  SdSafetyAnswerSpec *spec = &row->spec;
  const char *text;
  int value;

  spec->staff_no = cell (cells, at[COL_STAFF_NO]);
  if (spec->staff_no == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("Line %u: the staff number is empty. Fill it in or remove the line, then import the file "
                     "again."), line);
      return FALSE;
    }
  text = cell (cells, at[COL_ANSWERED_AT]);
  if (text == NULL || (spec->answered_at = parse_time (text)) <= 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("Line %u: “%s” is not a date and time of answer. Write it as 2026/12/03 03:10, then import "
                     "the file again."), line, text != NULL ? text : "");
      return FALSE;
    }
  text = cell (cells, at[COL_SAFETY]);
  if (!word_of (safety_words, text, &value))
    return bad_value (error, line, COL_SAFETY, text != NULL ? text : "", "無事, 軽症, 重症");
  spec->safety = value;
  text = cell (cells, at[COL_LOCATION]);
  if (text == NULL)
    return bad_value (error, line, COL_LOCATION, "", "自宅, 職場, その他");
  spec->where_note = cell (cells, at[COL_LOCATION_NOTE]);
  if (word_of (where_words, text, &value))
    spec->where = value;
  else
    {
      /* A place written out, as services allow: elsewhere, there. */
      spec->where = SD_WHERE_OTHER;
      if (spec->where_note == NULL)
        spec->where_note = text;
    }
  text = cell (cells, at[COL_CAN_REPORT]);
  if (!word_of (report_words, text, &value))
    return bad_value (error, line, COL_CAN_REPORT, text != NULL ? text : "", "可, 否");
  spec->can_report = value;
  spec->means = SD_MEANS_NONE;
  spec->arrival = SD_ARRIVAL_NONE;
  if (spec->can_report)
    {
      text = cell (cells, at[COL_MEANS]);
      if (!word_of (means_words, text, &value))
        return bad_value (error, line, COL_MEANS, text != NULL ? text : "",
                          "徒歩, 自転車, 車, バス, 電車, その他");
      spec->means = value;
      text = cell (cells, at[COL_ARRIVAL]);
      if (!word_of (arrival_words, text, &value))
        return bad_value (error, line, COL_ARRIVAL, text != NULL ? text : "",
                          "30分以内, 30分～1時間, 1～2時間, 2～3時間, 3時間以上");
      spec->arrival = value;
    }
  spec->message = cell (cells, at[COL_MESSAGE]);
  spec->via = SD_ANSWER_VIA_IMPORT;
  return TRUE;
}

/* Which column of HEADER holds each field; -1 when none. */
static gboolean
find_columns (GPtrArray  *header,
              int        *at,
              GError    **error)
{
  g_autoptr(GString) missing = g_string_new (NULL);

  for (int c = 0; c < N_COLS; c++)
    at[c] = -1;
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *name = folded (g_ptr_array_index (header, i));

      for (int c = 0; c < N_COLS; c++)
        for (guint k = 0; headings[c][k] != NULL; k++)
          {
            g_autofree char *candidate = folded (headings[c][k]);

            if (at[c] < 0 && g_str_equal (name, candidate))
              at[c] = i;
          }
    }
  for (int c = 0; c < N_COLS; c++)
    if (required[c] && at[c] < 0)
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", heading (c));
  if (missing->len > 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("The file has no column %s. The first line must name the columns (docs/safety.md lists the "
                     "names understood)."), missing->str);
      return FALSE;
    }
  return TRUE;
}

/* How many answers ROLLCALL_ID holds: what an import added is the
 * difference (a row it had already is not stored again). */
static gboolean
count_answers (SdStore     *store,
               const char  *rollcall_id,
               guint       *count,
               GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT count(*) FROM safety_answers WHERE rollcall_id = ?1",
                                          error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, rollcall_id);
  if (_sd_store_step (store, stmt, _("read the answers"), error) != SQLITE_ROW)
    return FALSE;
  *count = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
sd_store_import_safety_csv (SdStore         *store,
                            const char      *rollcall_id,
                            GBytes          *csv,
                            const char      *encoding,
                            SdSafetyImport  *result,
                            GError         **error)
{
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  g_autoptr(SdTxn) txn = NULL;
  GPtrArray *cells;
  GError *local = NULL;
  int at[N_COLS];
  guint before = 0, after = 0;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  reader = sd_csv_reader_new_from_bytes (csv, encoding, error);
  if (reader == NULL)
    return FALSE;
  header = sd_csv_reader_read_row (reader, error);
  if (header == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("The file is empty."));
      return FALSE;
    }
  if (!find_columns (header, at, error))
    return FALSE;

  /* Every row read and checked before anything is stored. */
  while ((cells = sd_csv_reader_read_row (reader, &local)) != NULL)
    {
      Row *row = g_new0 (Row, 1);

      row->row = cells;
      row->line = sd_csv_reader_get_line (reader);
      g_ptr_array_add (rows, row);
      if (cells->len == 1 && cell (cells, 0) == NULL)
        {
          g_ptr_array_remove_index (rows, rows->len - 1);   /* a blank line */
          continue;
        }
      if (!read_row (cells, at, row->line, row, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (rows->len == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("The file has no answers under its headings."));
      return FALSE;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !count_answers (store, rollcall_id, &before, error))
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      Row *row = g_ptr_array_index (rows, i);
      g_autofree char *id = sd_store_record_safety_answer (store, rollcall_id, &row->spec, &local);

      if (id == NULL)
        {
          /* Said with its line; the transaction is rolled back. */
          g_set_error (error, local->domain, local->code, _("Line %u: %s"), row->line, local->message);
          g_clear_error (&local);
          return FALSE;
        }
    }
  if (!count_answers (store, rollcall_id, &after, error) || !_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;
  result->rows = rows->len;
  result->stored = after - before;
  result->already = rows->len - result->stored;
  result->encoding = g_strdup (sd_csv_reader_get_encoding (reader));
  return TRUE;
}

void
sd_safety_import_clear (SdSafetyImport *result)
{
  g_clear_pointer (&result->encoding, g_free);
}
