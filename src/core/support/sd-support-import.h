/* sd-support-import.h: a welfare system's export of the support list, compared with ours and applied.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Welfare systems export the list (避難行動要支援者名簿) as CSV, most of
 * them from Excel in Shift_JIS, each with its own headings.  An import is
 * three steps, so that a person sees what will happen before it does:
 *
 *   read     the whole file (UTF-8 or CP932, found out unless told; a
 *            wrong label is refused), its headings and a sample of each;
 *   map      each column to a field: guessed from the headings (氏名,
 *            ﾌﾘｶﾞﾅ, 生年月日 …), or as the same headings were mapped the
 *            last time on this desk; a person may correct any of it;
 *   compare  every row checked (the first bad one refuses the file,
 *            naming its line and what to fix) and matched to the list by
 *            the welfare system's number (or, without one, by name and
 *            birth date): new, changed (which fields), back on the list,
 *            no longer listed;
 *   apply    all of it in one transaction, only if the list is still as
 *            compared; people no longer listed are marked, never deleted.
 *
 * Only mapped fields are compared and written: a file without a phone
 * column leaves every phone as it is.  A column headed 個人番号 or マイナンバー
 * (the 12-digit individual number) is never read.
 */
#pragma once

#include "sd-support.h"

G_BEGIN_DECLS

typedef enum {
  SD_SUPPORT_FIELD_NONE,         /* not read */
  SD_SUPPORT_FIELD_EXTERNAL_ID,
  SD_SUPPORT_FIELD_NAME,
  SD_SUPPORT_FIELD_KANA,
  SD_SUPPORT_FIELD_SEX,
  SD_SUPPORT_FIELD_BIRTH_DATE,
  SD_SUPPORT_FIELD_ADDRESS,
  SD_SUPPORT_FIELD_PHONE,
  SD_SUPPORT_FIELD_REASON,
  SD_SUPPORT_FIELD_CARE_LEVEL,
  SD_SUPPORT_FIELD_DISABILITY,
  SD_SUPPORT_FIELD_CONSENT,
  SD_SUPPORT_FIELD_CONTACT_NAME,
  SD_SUPPORT_FIELD_CONTACT_KANA,
  SD_SUPPORT_FIELD_CONTACT_RELATION,
  SD_SUPPORT_FIELD_CONTACT_PHONE,
  SD_SUPPORT_FIELD_CONTACT_ADDRESS,
  SD_N_SUPPORT_FIELDS
} SdSupportField;

const char *sd_support_field_to_string   (SdSupportField  field);
gboolean    sd_support_field_from_string (const char     *text,
                                          SdSupportField *out);
const char *sd_support_field_label       (SdSupportField  field);

typedef enum {
  SD_SUPPORT_CHANGE_NEW,
  SD_SUPPORT_CHANGE_CHANGED,
  SD_SUPPORT_CHANGE_BACK,   /* listed again */
  SD_SUPPORT_CHANGE_LEFT,   /* no longer listed */
  SD_N_SUPPORT_CHANGES
} SdSupportChange;

typedef struct _SdSupportImport SdSupportImport;

SdSupportImport *sd_support_import_read          (GBytes          *csv,
                                                  const char      *encoding,
                                                  GError         **error);
void             sd_support_import_free          (SdSupportImport *self);

const char      *sd_support_import_get_encoding  (SdSupportImport *self);
guint            sd_support_import_get_n_rows    (SdSupportImport *self);
guint            sd_support_import_get_n_columns (SdSupportImport *self);
const char      *sd_support_import_get_heading   (SdSupportImport *self,
                                                  guint            column);
/* The first value of the column that is not empty, or NULL. */
const char      *sd_support_import_get_sample    (SdSupportImport *self,
                                                  guint            column);

/* Maps every column: as these headings were mapped last time on this
 * desk (TRUE), or from the headings alone (FALSE). */
gboolean         sd_support_import_guess         (SdSupportImport *self,
                                                  SdStore         *store);
SdSupportField   sd_support_import_get_field     (SdSupportImport *self,
                                                  guint            column);
/* Maps COLUMN to FIELD; another column mapped to FIELD is unmapped.
 * A column of the individual number is refused. */
gboolean         sd_support_import_set_field     (SdSupportImport *self,
                                                  guint            column,
                                                  SdSupportField   field,
                                                  GError         **error);

/* Checks every row and compares the file with the list; again after any
 * change of the mapping.  FALSE, naming the line, for a bad row. */
gboolean         sd_support_import_compare       (SdSupportImport *self,
                                                  SdStore         *store,
                                                  GError         **error);
guint            sd_support_import_count         (SdSupportImport *self,
                                                  SdSupportChange  change);
guint            sd_support_import_count_same    (SdSupportImport *self);
/* Whether people absent from the file can be told to have left: only
 * when the file has the welfare system's numbers. */
gboolean         sd_support_import_can_tell_left (SdSupportImport *self);
/* The difference, as a JSON array of {change, line, id, external_id,
 * name, fields: [{field, label, before, after}]}. */
char            *sd_support_import_diff_json     (SdSupportImport *self);

/* Applies the compared difference in one transaction and remembers the
 * mapping.  Refused with SD_STORE_ERROR_CHANGED if the list changed since
 * the comparison (compare again and look). */
gboolean         sd_support_import_apply         (SdSupportImport *self,
                                                  SdStore         *store,
                                                  GError         **error);

/* The values welfare systems write for sex and for consent. */
gboolean         sd_support_parse_sex            (const char      *text,
                                                  const char      *label,
                                                  SdSex           *out_sex,
                                                  GError         **error);
gboolean         sd_support_parse_consent        (const char      *text,
                                                  const char      *label,
                                                  gboolean        *out_consent,
                                                  GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSupportImport, sd_support_import_free)

G_END_DECLS
