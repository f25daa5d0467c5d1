/* sd-support-import.c: a welfare system's export of the support list, compared with ours and applied.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-address.h"
#include "sd-codes.h"
#include "sd-csv.h"
#include "sd-date.h"
#include "sd-store-private.h"
#include "sd-support-import.h"
#include "sd-text.h"

#include <glib/gi18n-lib.h>
#include <jansson.h>

#include "sd-json.h"

/* ---- fields ---- */

static const char *const field_codes[] = {
  "", "external_id", "name", "kana", "sex", "birth_date", "address", "phone", "reason", "care_level",
  "disability", "consent_share", "contact_name", "contact_kana", "contact_relation", "contact_phone",
  "contact_address", NULL };
static const char *const field_msgids[] = {
  N_("Not read"), N_("Welfare system number"), N_("Full name"), N_("Kana"), N_("Sex"), N_("Date of birth"),
  N_("Address"), N_("Phone"), N_("Reason for support"), N_("Care level"), N_("Disability"),
  N_("Consent to share"), N_("Emergency contact"), N_("Emergency contact (kana)"),
  N_("Emergency contact's relation"), N_("Emergency contact's phone"), N_("Emergency contact's address"), NULL };

G_STATIC_ASSERT (G_N_ELEMENTS (field_codes) == SD_N_SUPPORT_FIELDS + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (field_msgids) == SD_N_SUPPORT_FIELDS + 1);

SD_CODE_FUNCS (support_field, SdSupportField, field_codes, SD_N_SUPPORT_FIELDS)

const char *
sd_support_field_label (SdSupportField field)
{
  return field < SD_N_SUPPORT_FIELDS ? _(field_msgids[field]) : "";
}

/* Headings as welfare systems and municipalities write them, folded
 * (heading_fold()); our own codes are understood too. */
static const char *const field_headings[SD_N_SUPPORT_FIELDS][12] = {
  [SD_SUPPORT_FIELD_EXTERNAL_ID] = { "管理番号", "宛名番号", "住民番号", "整理番号", "要支援者番号", "識別番号",
                                     "番号", "id", "no", NULL },
  [SD_SUPPORT_FIELD_NAME] = { "氏名", "名前", "氏名漢字", "対象者氏名", "要支援者氏名", "漢字氏名", NULL },
  [SD_SUPPORT_FIELD_KANA] = { "氏名カナ", "フリガナ", "ふりがな", "カナ氏名", "カナ", "氏名ふりがな", "よみがな",
                              NULL },
  [SD_SUPPORT_FIELD_SEX] = { "性別", NULL },
  [SD_SUPPORT_FIELD_BIRTH_DATE] = { "生年月日", "誕生日", NULL },
  [SD_SUPPORT_FIELD_ADDRESS] = { "住所", "現住所", "住所1", "所在地", NULL },
  [SD_SUPPORT_FIELD_PHONE] = { "電話番号", "電話", "自宅電話", "自宅電話番号", "連絡先電話番号", "tel", "携帯電話",
                               NULL },
  [SD_SUPPORT_FIELD_REASON] = { "支援が必要な理由", "支援理由", "要支援理由", "避難支援が必要な理由", "理由",
                                "該当要件", NULL },
  [SD_SUPPORT_FIELD_CARE_LEVEL] = { "要介護度", "要介護状態区分", "介護度", "要介護認定", NULL },
  [SD_SUPPORT_FIELD_DISABILITY] = { "障害", "障がい", "障害の種類", "障害等級", "障害種別", "手帳", NULL },
  [SD_SUPPORT_FIELD_CONSENT] = { "同意", "情報提供同意", "平常時の提供同意", "提供同意", "同意の有無",
                                 "名簿提供同意", NULL },
  [SD_SUPPORT_FIELD_CONTACT_NAME] = { "緊急連絡先", "緊急連絡先氏名", "緊急連絡先名", NULL },
  [SD_SUPPORT_FIELD_CONTACT_KANA] = { "緊急連絡先カナ", "緊急連絡先フリガナ", "緊急連絡先ふりがな", NULL },
  [SD_SUPPORT_FIELD_CONTACT_RELATION] = { "続柄", "緊急連絡先続柄", NULL },
  [SD_SUPPORT_FIELD_CONTACT_PHONE] = { "緊急連絡先電話番号", "緊急連絡先電話", "緊急連絡先tel", NULL },
  [SD_SUPPORT_FIELD_CONTACT_ADDRESS] = { "緊急連絡先住所", NULL },
};

/* Headings of the 12-digit individual number: never read. */
static const char *const individual_number_headings[] = { "個人番号", "マイナンバー", "mynumber", NULL };

/* A heading as compared: NFKC (half-width kana made whole), no spaces,
 * brackets or middle dots, lower case. */
static char *
heading_fold (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFKC);
  GString *out = g_string_new (NULL);

  for (const char *p = nfkc; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == '(' || c == ')' || c == 0x30FB || c == '_' || c == 0xFEFF ||
          c == 0x3010 || c == 0x3011)
        continue;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

static gboolean
is_individual_number (const char *heading)
{
  g_autofree char *folded = heading_fold (heading);

  for (guint i = 0; individual_number_headings[i] != NULL; i++)
    if (strstr (folded, individual_number_headings[i]) != NULL)
      return TRUE;
  return FALSE;
}

static SdSupportField
field_of_heading (const char *heading)
{
  g_autofree char *folded = heading_fold (heading);

  for (guint f = 1; f < SD_N_SUPPORT_FIELDS; f++)
    {
      if (g_str_equal (folded, field_codes[f]))
        return f;
      for (guint k = 0; field_headings[f][k] != NULL; k++)
        if (g_str_equal (folded, field_headings[f][k]))
          return f;
    }
  return SD_SUPPORT_FIELD_NONE;
}

/* ---- values ---- */

gboolean
sd_support_parse_sex (const char  *text,
                      const char  *label,
                      SdSex       *out_sex,
                      GError     **error)
{
  static const struct { const char *text; SdSex sex; } names[] = {
    { "0", SD_SEX_UNKNOWN }, { "不明", SD_SEX_UNKNOWN },
    { "1", SD_SEX_MALE }, { "男", SD_SEX_MALE }, { "男性", SD_SEX_MALE }, { "m", SD_SEX_MALE },
    { "2", SD_SEX_FEMALE }, { "女", SD_SEX_FEMALE }, { "女性", SD_SEX_FEMALE }, { "f", SD_SEX_FEMALE },
    { "9", SD_SEX_NOT_APPLICABLE },
  };
  g_autofree char *folded = heading_fold (text);

  *out_sex = SD_SEX_UNKNOWN;
  if (*folded == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (folded, names[i].text))
      {
        *out_sex = names[i].sex;
        return TRUE;
      }
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("“%s” in the “%s” field is not a sex: write 1 or 男, 2 or 女, 9, or 0 when unknown"),
               text, label);
  return FALSE;
}

/* 1/0 as our files write it, 有/無 and ○/× as welfare systems do; empty
 * is no consent, since consent is never assumed. */
gboolean
sd_support_parse_consent (const char  *text,
                          const char  *label,
                          gboolean    *out_consent,
                          GError     **error)
{
  static const char *const yes[] = { "1", "有", "あり", "同意", "同意あり", "true", "○", "〇", "済", NULL };
  static const char *const no[] = { "0", "無", "なし", "不同意", "同意なし", "false", "×", "未", NULL };
  g_autofree char *folded = heading_fold (text);

  *out_consent = FALSE;
  if (*folded == '\0' || g_strv_contains (no, folded))
    return TRUE;
  if (g_strv_contains (yes, folded))
    {
      *out_consent = TRUE;
      return TRUE;
    }
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("“%s” in the “%s” field is neither 1 (有) nor 0 (無)"), text, label);
  return FALSE;
}

/* ---- the file ---- */

/* A row of the file as the list would store it: values[field] (NULL
 * for empty or unmapped), tidied and checked. */
typedef struct {
  guint  line;
  char  *values[SD_N_SUPPORT_FIELDS];
} Row;

typedef struct {
  SdSupportChange  change;
  guint            line;       /* 0 for a person who left */
  char            *id;         /* the person on the list; NULL for a new one */
  char            *external_id;
  char            *name;
  guint32          fields;     /* bit per SdSupportField that changes */
  char            *before[SD_N_SUPPORT_FIELDS];
  const Row       *row;        /* NULL for a person who left */
} Entry;

struct _SdSupportImport {
  char            *encoding;
  GPtrArray       *headings;  /* char* */
  GPtrArray       *cells;     /* GPtrArray* of char*, one a row */
  GArray          *lines;     /* guint, the line each row began on */
  SdSupportField  *fields;    /* one a column */

  gboolean         compared;
  GPtrArray       *rows;      /* Row*, checked */
  GArray          *entries;   /* Entry */
  guint            same;
  gint64           list_mark; /* the list as compared: rows, and newest change */
  gint64           list_rows;
};

static void
row_free (Row *row)
{
  for (guint f = 0; f < SD_N_SUPPORT_FIELDS; f++)
    g_free (row->values[f]);
  g_free (row);
}

static void
entry_clear (Entry *e)
{
  g_free (e->id);
  g_free (e->external_id);
  g_free (e->name);
  for (guint f = 0; f < SD_N_SUPPORT_FIELDS; f++)
    g_free (e->before[f]);
}

void
sd_support_import_free (SdSupportImport *self)
{
  if (self == NULL)
    return;
  g_free (self->encoding);
  g_ptr_array_unref (self->headings);
  g_ptr_array_unref (self->cells);
  g_array_unref (self->lines);
  g_free (self->fields);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  g_free (self);
}

SdSupportImport *
sd_support_import_read (GBytes      *csv,
                        const char  *encoding,
                        GError     **error)
{
  g_autoptr(SdCsvReader) reader = NULL;
  g_autoptr(SdSupportImport) self = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) header = NULL;
  GPtrArray *cells;

  g_return_val_if_fail (csv != NULL, NULL);

  reader = sd_csv_reader_new_from_bytes (csv, encoding, error);
  if (reader == NULL)
    return NULL;
  header = sd_csv_reader_read_row (reader, error);
  if (header == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                     _("The file is empty. Its first line must name the columns."));
      return NULL;
    }

  self = g_new0 (SdSupportImport, 1);
  self->headings = g_ptr_array_new_with_free_func (g_free);
  self->cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < header->len; i++)
    g_ptr_array_add (self->headings, g_strdup (g_ptr_array_index (header, i)));
  while ((cells = sd_csv_reader_read_row (reader, &local)) != NULL)
    {
      guint line = sd_csv_reader_get_line (reader);
      gboolean empty = TRUE;

      for (guint i = 0; i < cells->len && empty; i++)
        empty = *(const char *) g_ptr_array_index (cells, i) == '\0';
      if (empty)
        {
          g_ptr_array_unref (cells);
          continue;
        }
      /* Shifted columns: a row longer than the header has a cell no
       * heading names; one shorter is only missing its empty end. */
      if (cells->len > header->len)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                       _("Line %u has %u cells but the first line names %u columns: a comma too many, or the "
                         "columns are shifted. Nothing was imported."), line, cells->len, header->len);
          g_ptr_array_unref (cells);
          return NULL;
        }
      g_ptr_array_add (self->cells, cells);
      g_array_append_val (self->lines, line);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  self->encoding = g_strdup (sd_csv_reader_get_encoding (reader));
  self->fields = g_new0 (SdSupportField, header->len);
  for (guint i = 0; i < header->len; i++)
    self->fields[i] = is_individual_number (g_ptr_array_index (header, i))
                      ? SD_SUPPORT_FIELD_NONE : field_of_heading (g_ptr_array_index (header, i));
  return g_steal_pointer (&self);
}

const char *
sd_support_import_get_encoding (SdSupportImport *self)
{
  return self->encoding;
}

guint
sd_support_import_get_n_rows (SdSupportImport *self)
{
  return self->cells->len;
}

guint
sd_support_import_get_n_columns (SdSupportImport *self)
{
  return self->headings->len;
}

const char *
sd_support_import_get_heading (SdSupportImport *self,
                               guint            column)
{
  g_return_val_if_fail (column < self->headings->len, NULL);
  return g_ptr_array_index (self->headings, column);
}

static const char *
cell_of (GPtrArray *cells,
         guint      column)
{
  const char *text = column < cells->len ? g_ptr_array_index (cells, column) : NULL;

  return text != NULL && *text != '\0' ? text : NULL;
}

const char *
sd_support_import_get_sample (SdSupportImport *self,
                              guint            column)
{
  g_return_val_if_fail (column < self->headings->len, NULL);
  for (guint r = 0; r < self->cells->len; r++)
    {
      const char *text = cell_of (g_ptr_array_index (self->cells, r), column);

      if (text != NULL)
        return text;
    }
  return NULL;
}

SdSupportField
sd_support_import_get_field (SdSupportImport *self,
                             guint            column)
{
  g_return_val_if_fail (column < self->headings->len, SD_SUPPORT_FIELD_NONE);
  return self->fields[column];
}

static void
forget_comparison (SdSupportImport *self)
{
  self->compared = FALSE;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
  self->same = 0;
}

gboolean
sd_support_import_set_field (SdSupportImport  *self,
                             guint             column,
                             SdSupportField    field,
                             GError          **error)
{
  g_return_val_if_fail (column < self->headings->len, FALSE);
  g_return_val_if_fail (field < SD_N_SUPPORT_FIELDS, FALSE);

  if (field != SD_SUPPORT_FIELD_NONE && is_individual_number (g_ptr_array_index (self->headings, column)))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("The column “%s” holds the individual number (マイナンバー). ShelterDesk never reads it."),
                   (const char *) g_ptr_array_index (self->headings, column));
      return FALSE;
    }
  if (field != SD_SUPPORT_FIELD_NONE)
    for (guint i = 0; i < self->headings->len; i++)
      if (self->fields[i] == field)
        self->fields[i] = SD_SUPPORT_FIELD_NONE;
  self->fields[column] = field;
  forget_comparison (self);
  return TRUE;
}

/* The headings as one key: the same export from the same system has
 * the same headings in the same order. */
static char *
signature (SdSupportImport *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->headings->len; i++)
    {
      g_autofree char *folded = heading_fold (g_ptr_array_index (self->headings, i));

      g_string_append (text, folded);
      g_string_append_c (text, '\x1f');
    }
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text->str, text->len);
}

gboolean
sd_support_import_guess (SdSupportImport *self,
                         SdStore         *store)
{
  g_autofree char *key = signature (self);
  g_autoptr(json_t) columns = NULL;
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT columns FROM support_import_maps WHERE signature = ?1",
                                          NULL);

  for (guint i = 0; i < self->headings->len; i++)
    self->fields[i] = is_individual_number (g_ptr_array_index (self->headings, i))
                      ? SD_SUPPORT_FIELD_NONE : field_of_heading (g_ptr_array_index (self->headings, i));
  forget_comparison (self);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    columns = sd_json_parse (_sd_column_text (stmt, 0), strlen (_sd_column_text (stmt, 0) ?: ""), 0, NULL);
  sqlite3_reset (stmt);
  if (!json_is_array (columns) || json_array_size (columns) != self->headings->len)
    return FALSE;
  for (guint i = 0; i < self->headings->len; i++)
    {
      SdSupportField field = SD_SUPPORT_FIELD_NONE;

      sd_support_field_from_string (json_string_value (json_array_get (columns, i)), &field);
      self->fields[i] = is_individual_number (g_ptr_array_index (self->headings, i)) ? SD_SUPPORT_FIELD_NONE : field;
    }
  return TRUE;
}

static gboolean
mapped (SdSupportImport *self,
        SdSupportField   field)
{
  for (guint i = 0; i < self->headings->len; i++)
    if (self->fields[i] == field)
      return TRUE;
  return FALSE;
}

/* ---- checking the rows ---- */

static gboolean
row_error (GError    **error,
           guint       line,
           GError     *cause)
{
  g_set_error (error, cause->domain, cause->code, _("Line %u: %s Nothing was imported."), line, cause->message);
  g_error_free (cause);
  return FALSE;
}

/* Reads and checks ROW's cells into its values, as the list stores them. */
static gboolean
read_row (SdSupportImport  *self,
          GPtrArray        *cells,
          const GDate      *today,
          Row              *row,
          GError          **error)
{
  static const guint max_chars[SD_N_SUPPORT_FIELDS] = {
    [SD_SUPPORT_FIELD_EXTERNAL_ID] = 40, [SD_SUPPORT_FIELD_NAME] = 100, [SD_SUPPORT_FIELD_KANA] = 100,
    [SD_SUPPORT_FIELD_ADDRESS] = 200, [SD_SUPPORT_FIELD_PHONE] = 30, [SD_SUPPORT_FIELD_REASON] = 500,
    [SD_SUPPORT_FIELD_CARE_LEVEL] = 100, [SD_SUPPORT_FIELD_DISABILITY] = 200,
    [SD_SUPPORT_FIELD_CONTACT_NAME] = 100, [SD_SUPPORT_FIELD_CONTACT_KANA] = 100,
    [SD_SUPPORT_FIELD_CONTACT_RELATION] = 100, [SD_SUPPORT_FIELD_CONTACT_PHONE] = 30,
    [SD_SUPPORT_FIELD_CONTACT_ADDRESS] = 200,
  };
  GError *local = NULL;

  for (guint i = 0; i < self->headings->len; i++)
    {
      SdSupportField field = self->fields[i];
      const char *heading = g_ptr_array_index (self->headings, i);
      const char *text = cell_of (cells, i);
      char *value = NULL;

      /* An empty sex is unknown and an empty consent is none, as the
       * list stores them: compared as such, not as "no value". */
      if (field == SD_SUPPORT_FIELD_NONE ||
          (text == NULL && field != SD_SUPPORT_FIELD_SEX && field != SD_SUPPORT_FIELD_CONSENT))
        continue;
      switch (field)
        {
        case SD_SUPPORT_FIELD_SEX:
          {
            SdSex sex;

            if (!sd_support_parse_sex (text, heading, &sex, &local))
              return row_error (error, row->line, local);
            value = g_strdup (sd_sex_to_string (sex));
          }
          break;
        case SD_SUPPORT_FIELD_CONSENT:
          {
            gboolean yes;

            if (!sd_support_parse_consent (text, heading, &yes, &local))
              return row_error (error, row->line, local);
            value = g_strdup (yes ? "1" : "0");
          }
          break;
        case SD_SUPPORT_FIELD_BIRTH_DATE:
          value = sd_date_parse_iso (text, today, &local);
          if (value == NULL)
            {
              g_prefix_error (&local, _("“%s”: "), heading);
              return row_error (error, row->line, local);
            }
          break;
        default:
          if (!sd_text_validate (text, heading, max_chars[field], field == SD_SUPPORT_FIELD_REASON, &local))
            return row_error (error, row->line, local);
          value = sd_text_tidy (text);
          break;
        }
      g_free (row->values[field]);
      row->values[field] = value;
    }
  if (row->values[SD_SUPPORT_FIELD_NAME] == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Line %u has no name. Nothing was imported."),
                   row->line);
      return FALSE;
    }
  if (row->values[SD_SUPPORT_FIELD_CONTACT_NAME] == NULL)
    for (guint f = SD_SUPPORT_FIELD_CONTACT_KANA; f <= SD_SUPPORT_FIELD_CONTACT_ADDRESS; f++)
      if (row->values[f] != NULL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                       _("Line %u gives an emergency contact's details but not the contact's name. "
                         "Nothing was imported."), row->line);
          return FALSE;
        }
  return TRUE;
}

/* ---- comparing with the list ---- */

/* The list's row of a person, in the import's fields, and whether the
 * person is listed. */
typedef struct {
  char     *id;
  gboolean  listed;
  gboolean  matched;
  char     *values[SD_N_SUPPORT_FIELDS];
} Current;

static void
current_free (Current *c)
{
  g_free (c->id);
  for (guint f = 0; f < SD_N_SUPPORT_FIELDS; f++)
    g_free (c->values[f]);
  g_free (c);
}

#define CURRENT_SQL \
  "SELECT p.id, p.listed, p.external_id, p.name, p.kana, p.sex, p.birth_date, p.address, p.phone, p.reason, " \
  "  p.care_level, p.disability, p.consent_share, c.name, c.kana, c.relation, c.phone, c.address " \
  "FROM support_persons p LEFT JOIN support_contacts c ON c.id = (" \
  "  SELECT id FROM support_contacts WHERE support_person_id = p.id AND kind = 'emergency' " \
  "  ORDER BY position, id LIMIT 1)"

static char *
match_key (const char *const *values,
           gboolean           by_number)
{
  if (by_number)
    return g_strdup (values[SD_SUPPORT_FIELD_EXTERNAL_ID]);
  if (values[SD_SUPPORT_FIELD_NAME] == NULL)
    return NULL;
  return g_strdup_printf ("%s\x1f%s", values[SD_SUPPORT_FIELD_NAME], values[SD_SUPPORT_FIELD_BIRTH_DATE] ?: "");
}

/* How the list stands: its rows and its newest change, so that apply
 * can tell whether anyone changed it since the comparison. */
static gboolean
list_mark (SdStore  *store,
           gint64   *out_rows,
           gint64   *out_mark,
           GError  **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
                                          "SELECT (SELECT count (*) FROM support_persons) + "
                                          "  (SELECT count (*) FROM support_contacts), "
                                          "  (SELECT coalesce (max (seq), 0) FROM oplog WHERE tbl IN "
                                          "    (SELECT n FROM oplog_tables WHERE name IN "
                                          "      ('support_persons', 'support_contacts')))", error);

  if (stmt == NULL || _sd_store_step (store, stmt, _("read the support list"), error) != SQLITE_ROW)
    return FALSE;
  *out_rows = sqlite3_column_int64 (stmt, 0);
  *out_mark = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

static int
compare_numbers (gconstpointer a,
                 gconstpointer b)
{
  const Current *x = *(const Current *const *) a, *y = *(const Current *const *) b;

  return g_strcmp0 (x->values[SD_SUPPORT_FIELD_EXTERNAL_ID], y->values[SD_SUPPORT_FIELD_EXTERNAL_ID]);
}

gboolean
sd_support_import_compare (SdSupportImport  *self,
                           SdStore          *store,
                           GError          **error)
{
  g_autoptr(GHashTable) current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) current_free);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                                           g_date_time_get_year (now));
  gboolean by_number = mapped (self, SD_SUPPORT_FIELD_EXTERNAL_ID);
  sqlite3_stmt *stmt;
  GHashTableIter iter;
  gpointer value;
  int rc;

  g_return_val_if_fail (self != NULL && SD_IS_STORE (store), FALSE);

  forget_comparison (self);
  if (!mapped (self, SD_SUPPORT_FIELD_NAME))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("No column is read as the name. Choose the column that holds each person's name."));
      return FALSE;
    }
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);

  for (guint r = 0; r < self->cells->len; r++)
    {
      Row *row = g_new0 (Row, 1);
      g_autofree char *key = NULL;

      row->line = g_array_index (self->lines, guint, r);
      g_ptr_array_add (self->rows, row);
      if (!read_row (self, g_ptr_array_index (self->cells, r), today, row, error))
        {
          forget_comparison (self);
          return FALSE;
        }
      key = match_key ((const char *const *) row->values, by_number);
      if (key == NULL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                       _("Line %u has no welfare system number. Nothing was imported."), row->line);
          forget_comparison (self);
          return FALSE;
        }
      if (g_hash_table_contains (seen, key))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       by_number ? _("Line %u: the number “%s” is on line %u too. Nothing was imported.")
                                 : _("Line %u: the same person (“%s”) is on line %u too. Nothing was imported."),
                       row->line, row->values[by_number ? SD_SUPPORT_FIELD_EXTERNAL_ID : SD_SUPPORT_FIELD_NAME],
                       GPOINTER_TO_UINT (g_hash_table_lookup (seen, key)));
          forget_comparison (self);
          return FALSE;
        }
      g_hash_table_insert (seen, g_steal_pointer (&key), GUINT_TO_POINTER (row->line));
    }

  if (!list_mark (store, &self->list_rows, &self->list_mark, error))
    return FALSE;
  stmt = _sd_store_prepare (store, CURRENT_SQL, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = _sd_store_step (store, stmt, _("read the support list"), error)) == SQLITE_ROW)
    {
      Current *c = g_new0 (Current, 1);
      char *key;

      c->id = g_strdup (_sd_column_text (stmt, 0));
      c->listed = sqlite3_column_int (stmt, 1) == 1;
      for (guint f = SD_SUPPORT_FIELD_EXTERNAL_ID; f < SD_N_SUPPORT_FIELDS; f++)
        c->values[f] = g_strdup (_sd_column_text (stmt, f + 1));
      key = match_key ((const char *const *) c->values, by_number);
      if (key == NULL)
        {
          current_free (c);
          continue;
        }
      g_hash_table_replace (current, key, c);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  for (guint r = 0; r < self->rows->len; r++)
    {
      const Row *row = g_ptr_array_index (self->rows, r);
      g_autofree char *key = match_key ((const char *const *) row->values, by_number);
      Current *c = g_hash_table_lookup (current, key);
      Entry e = { .line = row->line, .row = row,
                  .external_id = g_strdup (row->values[SD_SUPPORT_FIELD_EXTERNAL_ID]),
                  .name = g_strdup (row->values[SD_SUPPORT_FIELD_NAME]) };

      if (c == NULL)
        {
          e.change = SD_SUPPORT_CHANGE_NEW;
          g_array_append_val (self->entries, e);
          continue;
        }
      c->matched = TRUE;
      e.id = g_strdup (c->id);
      for (guint f = SD_SUPPORT_FIELD_EXTERNAL_ID; f < SD_N_SUPPORT_FIELDS; f++)
        if (mapped (self, f) && g_strcmp0 (c->values[f], row->values[f]) != 0)
          {
            e.fields |= 1u << f;
            e.before[f] = g_strdup (c->values[f]);
          }
      if (!c->listed)
        e.change = SD_SUPPORT_CHANGE_BACK;
      else if (e.fields != 0)
        e.change = SD_SUPPORT_CHANGE_CHANGED;
      else
        {
          self->same++;
          entry_clear (&e);
          continue;
        }
      g_array_append_val (self->entries, e);
    }
  /* Without numbers, a person missing from the file may be written
   * differently there, not gone: nobody is marked. */
  if (by_number)
    {
      g_autoptr(GPtrArray) left = g_ptr_array_new ();

      g_hash_table_iter_init (&iter, current);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!((Current *) value)->matched && ((Current *) value)->listed)
          g_ptr_array_add (left, value);
      /* In the welfare system's order, for a person reading the preview. */
      g_ptr_array_sort (left, compare_numbers);
      for (guint i = 0; i < left->len; i++)
        {
          Current *c = g_ptr_array_index (left, i);
          Entry e = { .change = SD_SUPPORT_CHANGE_LEFT };

          e.id = g_strdup (c->id);
          e.external_id = g_strdup (c->values[SD_SUPPORT_FIELD_EXTERNAL_ID]);
          e.name = g_strdup (c->values[SD_SUPPORT_FIELD_NAME]);
          g_array_append_val (self->entries, e);
        }
    }
  self->compared = TRUE;
  return TRUE;
}

guint
sd_support_import_count (SdSupportImport *self,
                         SdSupportChange  change)
{
  guint n = 0;

  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    n += g_array_index (self->entries, Entry, i).change == change;
  return n;
}

guint
sd_support_import_count_same (SdSupportImport *self)
{
  return self->same;
}

gboolean
sd_support_import_can_tell_left (SdSupportImport *self)
{
  return mapped (self, SD_SUPPORT_FIELD_EXTERNAL_ID);
}

static const char *const change_codes[] = { "new", "changed", "back", "left", NULL };

char *
sd_support_import_diff_json (SdSupportImport *self)
{
  g_autoptr(json_t) list = json_array ();

  for (guint i = 0; self->entries != NULL && i < self->entries->len; i++)
    {
      const Entry *e = &g_array_index (self->entries, Entry, i);
      json_t *item = json_object ();
      json_t *fields = json_array ();

      json_object_set_new (item, "change", json_string (change_codes[e->change]));
      if (e->line > 0)
        json_object_set_new (item, "line", json_integer (e->line));
      json_object_set_new (item, "id", e->id != NULL ? json_string (e->id) : json_null ());
      json_object_set_new (item, "external_id", sd_json_text (e->external_id));
      json_object_set_new (item, "name", sd_json_text (e->name));
      for (guint f = SD_SUPPORT_FIELD_EXTERNAL_ID; f < SD_N_SUPPORT_FIELDS; f++)
        if (e->fields & (1u << f))
          {
            json_t *field = json_object ();

            json_object_set_new (field, "field", json_string (field_codes[f]));
            json_object_set_new (field, "label", json_string (sd_support_field_label (f)));
            json_object_set_new (field, "before", sd_json_text (e->before[f]));
            json_object_set_new (field, "after", sd_json_text (e->row->values[f]));
            json_array_append_new (fields, field);
          }
      json_object_set_new (item, "fields", fields);
      json_array_append_new (list, item);
    }
  return sd_json_to_compact (list);
}

/* ---- applying ---- */

/* A person's spec from VALUES, one per field. */
static void
spec_of (char               **values,
         SdSupportPersonSpec *spec)
{
  SdSex sex = SD_SEX_UNKNOWN;

  sd_sex_from_string (values[SD_SUPPORT_FIELD_SEX], &sex);
  *spec = (SdSupportPersonSpec) {
    .external_id = values[SD_SUPPORT_FIELD_EXTERNAL_ID],
    .name = values[SD_SUPPORT_FIELD_NAME],
    .kana = values[SD_SUPPORT_FIELD_KANA],
    .sex = sex,
    .birth_date = values[SD_SUPPORT_FIELD_BIRTH_DATE],
    .address = values[SD_SUPPORT_FIELD_ADDRESS],
    .phone = values[SD_SUPPORT_FIELD_PHONE],
    .reason = values[SD_SUPPORT_FIELD_REASON],
    .consent_share = g_strcmp0 (values[SD_SUPPORT_FIELD_CONSENT], "1") == 0,
    .care_level = values[SD_SUPPORT_FIELD_CARE_LEVEL],
    .disability = values[SD_SUPPORT_FIELD_DISABILITY],
  };
}

#define PERSON_FIELDS ((1u << SD_SUPPORT_FIELD_CONTACT_NAME) - 2)
#define CONTACT_FIELDS (((1u << SD_N_SUPPORT_FIELDS) - 1) & ~PERSON_FIELDS & ~1u)

/* The person's first emergency contact made as VALUES give it: changed,
 * added, or taken away when the file's contact columns are empty. */
static gboolean
apply_contact (SdStore     *store,
               const char  *person_id,
               char       **values,
               GError     **error)
{
  SdSupportContactSpec spec = {
    SD_SUPPORT_CONTACT_EMERGENCY, values[SD_SUPPORT_FIELD_CONTACT_NAME], values[SD_SUPPORT_FIELD_CONTACT_KANA],
    values[SD_SUPPORT_FIELD_CONTACT_RELATION], values[SD_SUPPORT_FIELD_CONTACT_PHONE], NULL,
    values[SD_SUPPORT_FIELD_CONTACT_ADDRESS] };
  g_autofree char *contact_id = NULL, *postal = NULL, *added = NULL;
  GError *local = NULL;
  sqlite3_stmt *stmt;

  stmt = _sd_store_prepare (store, "SELECT id, postal_code FROM support_contacts WHERE support_person_id = ?1 "
                                   "AND kind = 'emergency' ORDER BY position, id LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, person_id);
  if (_sd_store_step (store, stmt, _("read the contacts"), error) == SQLITE_ROW)
    {
      contact_id = g_strdup (_sd_column_text (stmt, 0));
      /* A postal code the file does not carry stays. */
      postal = g_strdup (_sd_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  spec.postal_code = postal;
  if (spec.name == NULL)
    {
      if (spec.phone != NULL || spec.relation != NULL || spec.kana != NULL || spec.address != NULL)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("An emergency contact needs a name."));
          return FALSE;
        }
      return contact_id == NULL || sd_store_remove_support_contact (store, contact_id, error);
    }
  if (contact_id != NULL)
    return sd_store_update_support_contact (store, contact_id, &spec, error);
  added = sd_store_add_support_contact (store, person_id, &spec, &local);
  if (added == NULL)
    g_propagate_error (error, local);
  return added != NULL;
}

/* The list's values of person ID, in the import's fields. */
static gboolean
read_current (SdStore     *store,
              const char  *id,
              char       **values,
              GError     **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store, CURRENT_SQL " WHERE p.id = ?1", error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, id);
  ok = _sd_store_step (store, stmt, _("read the support list"), error) == SQLITE_ROW;
  if (ok)
    for (guint f = SD_SUPPORT_FIELD_EXTERNAL_ID; f < SD_N_SUPPORT_FIELDS; f++)
      values[f] = g_strdup (_sd_column_text (stmt, f + 1));
  sqlite3_reset (stmt);
  return ok;
}

static gboolean
apply_entry (SdSupportImport  *self,
             SdStore          *store,
             const Entry      *e,
             GError          **error)
{
  char *values[SD_N_SUPPORT_FIELDS] = { NULL };
  SdSupportPersonSpec spec;
  g_autofree char *new_id = NULL;
  GError *local = NULL;
  gboolean ok;

  if (e->change == SD_SUPPORT_CHANGE_LEFT)
    return sd_store_set_support_listed (store, e->id, FALSE, error);

  /* The list's values where the file has no column, the file's where it has. */
  ok = e->change == SD_SUPPORT_CHANGE_NEW || read_current (store, e->id, values, &local);
  for (guint f = 0; ok && f < SD_N_SUPPORT_FIELDS; f++)
    if (mapped (self, f))
      {
        g_free (values[f]);
        values[f] = g_strdup (e->row->values[f]);
      }
  if (ok)
    spec_of (values, &spec);
  if (ok && e->change == SD_SUPPORT_CHANGE_NEW)
    {
      /* Checked and tidied by the comparison, and its number new:
       * inserted straight into the import's transaction. */
      new_id = _sd_support_insert_checked (store, &spec, &local);
      ok = new_id != NULL &&
           (values[SD_SUPPORT_FIELD_CONTACT_NAME] == NULL || apply_contact (store, new_id, values, &local));
    }
  else if (ok)
    ok = ((e->fields & PERSON_FIELDS) == 0 || sd_store_update_support_person (store, e->id, &spec, &local)) &&
         ((e->fields & CONTACT_FIELDS) == 0 || apply_contact (store, e->id, values, &local)) &&
         (e->change != SD_SUPPORT_CHANGE_BACK || sd_store_set_support_listed (store, e->id, TRUE, &local));
  for (guint f = 0; f < SD_N_SUPPORT_FIELDS; f++)
    g_free (values[f]);
  if (!ok)
    {
      if (e->line > 0)
        g_prefix_error (&local, _("Line %u: "), e->line);
      g_propagate_error (error, local);
    }
  return ok;
}

static gboolean
remember_mapping (SdSupportImport  *self,
                  SdStore          *store,
                  GError          **error)
{
  g_autofree char *key = signature (self);
  g_autoptr(json_t) columns = json_array ();
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < self->headings->len; i++)
    json_array_append_new (columns, json_string (field_codes[self->fields[i]]));
  text = sd_json_to_compact (columns);
  stmt = _sd_store_prepare (store, "INSERT INTO support_import_maps (signature, columns, used_at) "
                                   "VALUES (?1, ?2, ?3) ON CONFLICT (signature) DO UPDATE SET "
                                   "columns = excluded.columns, used_at = excluded.used_at", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, key);
  _sd_bind_text (stmt, 2, text);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  return _sd_store_exec (store, stmt, _("remember the columns"), error);
}

gboolean
sd_support_import_apply (SdSupportImport  *self,
                         SdStore          *store,
                         GError          **error)
{
  g_autoptr(SdTxn) txn = NULL;
  gint64 rows = 0, mark = 0;

  g_return_val_if_fail (self != NULL && SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (self->compared, FALSE);

  txn = _sd_store_begin (store, error);
  if (txn == NULL || !list_mark (store, &rows, &mark, error))
    return FALSE;
  if (rows != self->list_rows || mark != self->list_mark)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_CHANGED,
                   _("The support list changed after the comparison was shown (someone else edited it). "
                     "Nothing was imported: look at the comparison again."));
      return FALSE;
    }
  for (guint i = 0; i < self->entries->len; i++)
    if (!apply_entry (self, store, &g_array_index (self->entries, Entry, i), error))
      return FALSE;
  if (!remember_mapping (self, store, error) || !_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;
  forget_comparison (self);
  return TRUE;
}
