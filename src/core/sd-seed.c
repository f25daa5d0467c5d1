/* sd-seed.c: loads a seed folder (manifest.json and its CSV/JSON files) into a store.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same loader reads the embedded demo (seeds/) and a municipality's
 * own exports, so it is written for the second: CSV files may come from a
 * welfare system in CP932 with their own Japanese headers (the manifest's
 * "columns" maps them to our field names), half-width kana, full-width
 * digits and era dates.  Every value goes through the same public domain
 * functions the desk uses, so the seed can never hold a row the desk could
 * not have written, and every write is captured in the op-log as usual.
 *
 * Invariants:
 *  - All files are loaded inside one transaction (the domain writes nest
 *    as savepoints), so any error leaves the database as it was.
 *  - Every error names the file as the manifest gives it and the line (a
 *    CSV file's line, or an evacuees file's household, counting from 1).
 *  - Messages never quote a name, address or other personal value; they
 *    name the column instead.  Codes and enumerated values are quoted,
 *    since those are what the person has to correct.
 *  - Nothing outside the seed folder is read: paths may not climb out of
 *    it, and no symbolic link may lead out of it.
 *  - A folder marked demo goes only into a new or demo database.
 */

#include "sd-seed.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "sd-csv.h"
#include "sd-geocode.h"
#include "sd-date.h"
#include "sd-intake-input.h"
#include "sd-json.h"
#include "sd-person.h"
#include "sd-shelter-guide.h"
#include "sd-platform.h"
#include "sd-shelter.h"
#include "sd-safety-input.h"
#include "sd-staff.h"
#include "sd-store-private.h"
#include "sd-support.h"
#include "sd-support-import.h"
#include "sd-text.h"

#define SEED_FORMAT   1
#define MANIFEST_NAME "manifest.json"
#define MAX_FIELDS    12

/* Everything one call of sd_seed_load() shares between files. */
typedef struct {
  SdStore       *store;
  const char    *dir;
  char          *real_dir;      /* DIR with every link followed */
  GDate          today;         /* birth dates after this are refused */
  GHashTable    *shelter_ids;   /* code → id of the shelters loaded so far */
  SdSeedSummary  summary;
} SeedLoad;

static void
seed_load_clear (SeedLoad *load)
{
  g_clear_pointer (&load->real_dir, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SeedLoad, seed_load_clear)

/* ---- CSV tables: a reader plus the map from our fields to its columns ---- */

typedef struct {
  const char *name;      /* our field name, as in seeds/README.md */
  gboolean    required;  /* the column must exist and the value be non-empty */
} SeedField;

typedef struct {
  SdCsvReader     *reader;
  const SeedField *fields;
  guint            n_fields;
  int              column[MAX_FIELDS];   /* field → column index, -1 when absent */
  char            *header[MAX_FIELDS];   /* field → the file's own header, for messages */
  guint            n_columns;            /* in the header row: every row must have as many */
  GPtrArray       *row;
} SeedTable;

static void
seed_table_clear (SeedTable *table)
{
  g_clear_pointer (&table->reader, sd_csv_reader_free);
  g_clear_pointer (&table->row, g_ptr_array_unref);
  for (guint i = 0; i < MAX_FIELDS; i++)
    g_clear_pointer (&table->header[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SeedTable, seed_table_clear)

/* Header names are compared after NFKC, so a map that says "フリガナ" still
 * finds the half-width "ﾌﾘｶﾞﾅ" a welfare system wrote, and the other way. */
static char *
header_key (const char *text)
{
  char *key = sd_text_tidy (text);

  return key != NULL ? key : g_strdup ("");
}

/* The field a header names: through COLUMNS when the manifest has a map,
 * else the header itself.  -1 for a column we do not use. */
static int
seed_table_field_for_header (SeedTable  *table,
                             json_t     *columns,
                             const char *header)
{
  g_autofree char *key = header_key (header);
  const char *field = key;

  if (columns != NULL)
    {
      const char *name;
      json_t *node;

      field = NULL;
      json_object_foreach (columns, name, node)
        {
          g_autofree char *name_key = header_key (name);

          if (g_str_equal (name_key, key) && json_is_string (node))
            {
              field = json_string_value (node);
              break;
            }
        }
      if (field == NULL)
        return -1;
    }

  for (guint i = 0; i < table->n_fields; i++)
    if (g_str_equal (table->fields[i].name, field))
      return i;
  return -1;
}

/* The name a person would look for when a column is missing: the file's
 * own header that the manifest maps to FIELD, if there is one. */
static const char *
expected_header (json_t     *columns,
                 const char *field)
{
  const char *name;
  json_t *node;

  if (columns == NULL)
    return field;

  json_object_foreach (columns, name, node)
    if (g_strcmp0 (json_string_value (node), field) == 0)
      return name;
  return field;
}

static gboolean
seed_table_open (SeedTable        *table,
                 const char       *path,
                 const char       *file,
                 const char       *encoding,
                 json_t           *columns,
                 const SeedField  *fields,
                 guint             n_fields,
                 GError          **error)
{
  g_autoptr(GPtrArray) headers = NULL;
  g_autoptr(GError) local_error = NULL;

  g_assert (n_fields <= MAX_FIELDS);

  table->fields = fields;
  table->n_fields = n_fields;
  for (guint i = 0; i < MAX_FIELDS; i++)
    table->column[i] = -1;

  table->reader = sd_csv_reader_new_from_file (path, encoding, &local_error);
  if (table->reader != NULL)
    headers = sd_csv_reader_read_row (table->reader, &local_error);
  if (headers == NULL)
    {
      /* The reader's own messages already name the line. */
      if (local_error == NULL)
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                     _("%s: the file is empty: it needs a header row"), file);
      else
        {
          g_prefix_error (&local_error, _("%s: "), file);
          g_propagate_error (error, g_steal_pointer (&local_error));
        }
      return FALSE;
    }

  table->n_columns = headers->len;
  for (guint c = 0; c < headers->len; c++)
    {
      int f = seed_table_field_for_header (table, columns, g_ptr_array_index (headers, c));

      /* The first of two columns for one field wins, as a person reading
       * the file from the left would expect. */
      if (f >= 0 && table->column[f] < 0)
        {
          table->column[f] = c;
          table->header[f] = g_strdup (g_ptr_array_index (headers, c));
        }
    }

  for (guint i = 0; i < n_fields; i++)
    {
      if (table->header[i] == NULL)
        table->header[i] = g_strdup (expected_header (columns, fields[i].name));
      if (fields[i].required && table->column[i] < 0)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                       _("%s, line %u: there is no “%s” column"),
                       file, sd_csv_reader_get_line (table->reader), table->header[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
row_is_blank (GPtrArray *row)
{
  for (guint i = 0; i < row->len; i++)
    {
      const char *field = g_ptr_array_index (row, i);

      for (const char *p = field; *p != '\0'; p = g_utf8_next_char (p))
        if (!g_unichar_isspace (g_utf8_get_char (p)))
          return FALSE;
    }
  return TRUE;
}

/* Moves to the next row that is not blank (Excel leaves rows of empty
 * cells at the end).  FALSE at the end, or with ERROR set. */
static gboolean
seed_table_next (SeedTable  *table,
                 GError    **error)
{
  while (TRUE)
    {
      g_clear_pointer (&table->row, g_ptr_array_unref);
      table->row = sd_csv_reader_read_row (table->reader, error);
      if (table->row == NULL)
        return FALSE;
      if (!row_is_blank (table->row))
        return TRUE;
    }
}

/* A row with a field too few would be read shifted (the phone number as
 * the address, the reason as the phone), and one with a field too many
 * has lost or split something: both are refused.  Excel writes every
 * row of a sheet to the same width, empty cells as empty fields. */
static gboolean
seed_table_check_width (SeedTable  *table,
                        GError    **error)
{
  if (table->row->len == table->n_columns)
    return TRUE;
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
               table->row->len < table->n_columns
               ? _("the row has %u fields but the header has %u: a field is missing, so the values "
                   "after it would land in the wrong columns")
               : _("the row has %u fields but the header has %u: is there a comma in a value that is "
                   "not in quotes?"),
               table->row->len, table->n_columns);
  return FALSE;
}

/* FIELD tidied for storage, or NULL when the column is absent or empty. */
static char *
seed_table_text (SeedTable *table,
                 guint      field)
{
  int c = table->column[field];

  if (c < 0 || (guint) c >= table->row->len)
    return NULL;
  return sd_text_tidy (g_ptr_array_index (table->row, c));
}

static char *
seed_table_required (SeedTable  *table,
                     guint       field,
                     GError    **error)
{
  char *text = seed_table_text (table, field);

  if (text == NULL)
    g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                 _("the “%s” field is empty"), table->header[field]);
  return text;
}

static guint
seed_table_get_line (SeedTable *table)
{
  return sd_csv_reader_get_line (table->reader);
}

/* ---- values ---- */

/* Sex and consent are read as a welfare system's export is
 * (sd_support_parse_sex, sd_support_parse_consent). */

/* A birth date in any form sd_date_parse_iso() reads; NULL when empty
 * (unknown), or NULL with ERROR set. */
static gboolean
parse_birth_date (SeedLoad    *load,
                  const char  *text,
                  const char  *label,
                  char       **out_iso,
                  GError     **error)
{
  *out_iso = NULL;
  if (text == NULL || *text == '\0')
    return TRUE;
  *out_iso = sd_date_parse_iso (text, &load->today, error);
  if (*out_iso == NULL)
    {
      g_prefix_error (error, _("“%s”: "), label);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_capacity (const char  *text,
                const char  *label,
                int         *out_capacity,
                GError     **error)
{
  guint64 value = 0;

  *out_capacity = 0;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT, &value, NULL))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” in the “%s” field is not a number of people"), text, label);
      return FALSE;
    }
  *out_capacity = (int) value;
  return TRUE;
}

/* ---- shelters.csv ---- */

enum {
  SHELTER_CODE,
  SHELTER_NAME,
  SHELTER_KIND,
  SHELTER_CAPACITY,
  SHELTER_ADDRESS,
  N_SHELTER_FIELDS
};

static const SeedField shelter_fields[N_SHELTER_FIELDS] = {
  [SHELTER_CODE] = { "code", TRUE },
  [SHELTER_NAME] = { "name", TRUE },
  [SHELTER_KIND] = { "kind", TRUE },
  [SHELTER_CAPACITY] = { "capacity", FALSE },
  [SHELTER_ADDRESS] = { "address", FALSE },
};

static gboolean
load_shelter_row (SeedLoad   *load,
                  SeedTable  *t,
                  GError    **error)
{
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *capacity = seed_table_text (t, SHELTER_CAPACITY);
  g_autofree char *address = seed_table_text (t, SHELTER_ADDRESS);
  g_autoptr(SdShelter) shelter = NULL;
  SdShelterSpec spec = { 0 };

  if ((code = seed_table_required (t, SHELTER_CODE, error)) == NULL ||
      (name = seed_table_required (t, SHELTER_NAME, error)) == NULL ||
      (kind = seed_table_required (t, SHELTER_KIND, error)) == NULL)
    return FALSE;

  if (!sd_shelter_kind_from_string (kind, &spec.kind))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” in the “%s” field is not a kind of shelter: write designated, welfare or temporary"),
                   kind, t->header[SHELTER_KIND]);
      return FALSE;
    }
  if (!parse_capacity (capacity, t->header[SHELTER_CAPACITY], &spec.capacity, error))
    return FALSE;

  spec.code = code;
  spec.name = name;
  spec.address = address;
  shelter = sd_store_add_shelter (load->store, &spec, error);
  if (shelter == NULL)
    return FALSE;

  g_hash_table_replace (load->shelter_ids, g_strdup (code), g_strdup (sd_shelter_get_id (shelter)));
  load->summary.shelters++;
  return TRUE;
}

/* ---- staff.csv ---- */

enum {
  STAFF_NO,
  STAFF_NAME,
  STAFF_KANA,
  STAFF_DEPARTMENT,
  STAFF_SECTION,
  STAFF_RANK,
  STAFF_ROLE,
  STAFF_PIN,
  STAFF_PHONE,
  N_STAFF_FIELDS
};

/* A municipal roster has no role column: everyone starts as a volunteer
 * and HQ promotes the few who lead. */
static const SeedField staff_fields[N_STAFF_FIELDS] = {
  [STAFF_NO] = { "staff_no", TRUE },
  [STAFF_NAME] = { "name", TRUE },
  [STAFF_KANA] = { "kana", FALSE },
  [STAFF_DEPARTMENT] = { "department", FALSE },
  [STAFF_SECTION] = { "section", FALSE },
  [STAFF_RANK] = { "rank", FALSE },
  [STAFF_ROLE] = { "role", FALSE },
  [STAFF_PIN] = { "pin", FALSE },
  [STAFF_PHONE] = { "phone", FALSE },
};

static gboolean
load_staff_row (SeedLoad   *load,
                SeedTable  *t,
                GError    **error)
{
  g_autofree char *staff_no = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kana = seed_table_text (t, STAFF_KANA);
  g_autofree char *department = seed_table_text (t, STAFF_DEPARTMENT);
  g_autofree char *section = seed_table_text (t, STAFF_SECTION);
  g_autofree char *rank = seed_table_text (t, STAFF_RANK);
  g_autofree char *role = seed_table_text (t, STAFF_ROLE);
  g_autofree char *pin = seed_table_text (t, STAFF_PIN);
  g_autofree char *phone = seed_table_text (t, STAFF_PHONE);
  g_autoptr(SdStaff) staff = NULL;
  SdStaffSpec spec = { 0 };

  if ((staff_no = seed_table_required (t, STAFF_NO, error)) == NULL ||
      (name = seed_table_required (t, STAFF_NAME, error)) == NULL)
    return FALSE;

  spec.role = SD_ROLE_VOLUNTEER;
  if (role != NULL && !sd_role_from_string (role, &spec.role))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” in the “%s” field is not a role: write volunteer, lead or hq"),
                   role, t->header[STAFF_ROLE]);
      return FALSE;
    }

  spec.staff_no = staff_no;
  spec.name = name;
  spec.kana = kana;
  spec.department = department;
  spec.section = section;
  spec.rank = rank;
  spec.phone = phone;
  staff = sd_store_add_staff (load->store, &spec, pin, error);
  if (staff == NULL)
    return FALSE;

  load->summary.staff++;
  return TRUE;
}

/* ---- support lists ---- */

enum {
  SUPPORT_EXTERNAL_ID,
  SUPPORT_NAME,
  SUPPORT_KANA,
  SUPPORT_SEX,
  SUPPORT_BIRTH_DATE,
  SUPPORT_ADDRESS,
  SUPPORT_PHONE,
  SUPPORT_REASON,
  SUPPORT_CONSENT_SHARE,
  N_SUPPORT_FIELDS
};

static const SeedField support_fields[N_SUPPORT_FIELDS] = {
  [SUPPORT_EXTERNAL_ID] = { "external_id", FALSE },
  [SUPPORT_NAME] = { "name", TRUE },
  [SUPPORT_KANA] = { "kana", FALSE },
  [SUPPORT_SEX] = { "sex", FALSE },
  [SUPPORT_BIRTH_DATE] = { "birth_date", FALSE },
  [SUPPORT_ADDRESS] = { "address", FALSE },
  [SUPPORT_PHONE] = { "phone", FALSE },
  [SUPPORT_REASON] = { "reason", FALSE },
  [SUPPORT_CONSENT_SHARE] = { "consent_share", FALSE },
};

static gboolean
load_support_row (SeedLoad   *load,
                  SeedTable  *t,
                  GError    **error)
{
  g_autofree char *external_id = seed_table_text (t, SUPPORT_EXTERNAL_ID);
  g_autofree char *name = NULL;
  g_autofree char *kana = seed_table_text (t, SUPPORT_KANA);
  g_autofree char *sex = seed_table_text (t, SUPPORT_SEX);
  g_autofree char *birth_text = seed_table_text (t, SUPPORT_BIRTH_DATE);
  g_autofree char *birth_date = NULL;
  g_autofree char *address = seed_table_text (t, SUPPORT_ADDRESS);
  g_autofree char *phone = seed_table_text (t, SUPPORT_PHONE);
  g_autofree char *reason = seed_table_text (t, SUPPORT_REASON);
  g_autofree char *consent = seed_table_text (t, SUPPORT_CONSENT_SHARE);
  g_autofree char *id = NULL;
  SdSupportPersonSpec spec = { 0 };

  if ((name = seed_table_required (t, SUPPORT_NAME, error)) == NULL ||
      !sd_support_parse_sex (sex, t->header[SUPPORT_SEX], &spec.sex, error) ||
      !parse_birth_date (load, birth_text, t->header[SUPPORT_BIRTH_DATE], &birth_date, error) ||
      !sd_support_parse_consent (consent, t->header[SUPPORT_CONSENT_SHARE], &spec.consent_share, error))
    return FALSE;

  spec.external_id = external_id;
  spec.name = name;
  spec.kana = kana;
  spec.birth_date = birth_date;
  spec.address = address;
  spec.phone = phone;
  spec.reason = reason;
  id = sd_store_add_support_person (load->store, &spec, error);
  if (id == NULL)
    return FALSE;

  load->summary.support_persons++;
  return TRUE;
}

/* ---- CSV files ---- */

typedef gboolean (*SeedRowFunc) (SeedLoad   *load,
                                 SeedTable  *table,
                                 GError    **error);

typedef struct {
  const char      *kind;
  const SeedField *fields;
  guint            n_fields;
  SeedRowFunc      load_row;
} SeedCsvKind;

static const SeedCsvKind csv_kinds[] = {
  { "shelters", shelter_fields, N_SHELTER_FIELDS, load_shelter_row },
  { "staff", staff_fields, N_STAFF_FIELDS, load_staff_row },
  { "support", support_fields, N_SUPPORT_FIELDS, load_support_row },
};

static gboolean
load_csv (SeedLoad           *load,
          const SeedCsvKind  *kind,
          const char         *path,
          const char         *file,
          const char         *encoding,
          json_t             *columns,
          GError            **error)
{
  g_auto(SeedTable) table = { 0 };
  g_autoptr(GError) local_error = NULL;

  if (!seed_table_open (&table, path, file, encoding, columns, kind->fields, kind->n_fields, error))
    return FALSE;

  while (seed_table_next (&table, &local_error))
    {
      if (!seed_table_check_width (&table, &local_error) ||
          !kind->load_row (load, &table, &local_error))
        {
          g_prefix_error (&local_error, _("%s, line %u: "), file, seed_table_get_line (&table));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  if (local_error != NULL)
    {
      /* The reader's own message already names the line. */
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ---- evacuees.json ---- */

/* The whole of a seed file, or NULL with an error naming FILE. */
static GBytes *
read_seed_file (const char  *path,
                const char  *file,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                     _("%s: the file is not in the seed folder"), file);
      else
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                     "%s: %s", file, local_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static json_t *
load_json_file (const char  *path,
                const char  *file,
                gsize        flags,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = read_seed_file (path, file, error);
  g_autoptr(json_t) root = NULL;
  const char *contents;
  gsize length = 0;

  if (bytes == NULL)
    return NULL;
  contents = g_bytes_get_data (bytes, &length);
  root = sd_json_parse (contents, length, flags, &local_error);
  if (root == NULL)
    {
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!json_is_object (root))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                   _("%s: the file must hold one JSON object"), file);
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* MEMBER of OBJECT as a string, tidied; NULL when absent, null or empty.
 * A number is refused like anywhere else (see sd-intake-input.c). */
static gboolean
json_text (json_t      *object,
           const char  *member,
           gboolean     required,
           char       **out_text,
           GError     **error)
{
  json_t *node = json_object_get (object, member);

  *out_text = NULL;
  if (json_is_string (node))
    *out_text = sd_text_tidy (json_string_value (node));
  else if (node != NULL && !json_is_null (node))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” must be text"), member);
      return FALSE;
    }

  if (*out_text == NULL && required)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("“%s” is missing or empty"), member);
      return FALSE;
    }
  return TRUE;
}

/* MEMBER of OBJECT as an array; *OUT_LIST is NULL when it is absent. */
static gboolean
json_list (json_t      *object,
           const char  *member,
           gboolean     required,
           json_t     **out_list,
           GError     **error)
{
  json_t *node = json_object_get (object, member);

  *out_list = NULL;
  if (json_is_array (node))
    {
      *out_list = node;
      return TRUE;
    }
  if (node != NULL && !json_is_null (node))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” must be a list"), member);
      return FALSE;
    }
  if (required)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("“%s” is missing"), member);
      return FALSE;
    }
  return TRUE;
}

/* The id of the shelter with CODE: one loaded from this seed, else one
 * the database already has (a deployment may load evacuees later). */
static const char *
lookup_shelter (SeedLoad    *load,
                const char  *code,
                GError     **error)
{
  const char *id = g_hash_table_lookup (load->shelter_ids, code);
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(GError) local_error = NULL;

  if (id != NULL)
    return id;

  shelter = sd_store_find_shelter (load->store, code, &local_error);
  if (shelter == NULL)
    {
      if (local_error != NULL && !g_error_matches (local_error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("there is no shelter with the code “%s”"), code);
      return NULL;
    }

  g_hash_table_replace (load->shelter_ids, g_strdup (code), g_strdup (sd_shelter_get_id (shelter)));
  return g_hash_table_lookup (load->shelter_ids, code);
}

static gboolean
record_events (SeedLoad   *load,
               json_t     *events,
               GPtrArray  *person_ids,
               const char *shelter_id,
               GError    **error)
{
  guint n_events = events != NULL ? json_array_size (events) : 0;

  /* Event by event for the whole household, as a family arrives and goes
   * out together: each member's newest event is then the last listed. */
  for (guint e = 0; e < n_events; e++)
    {
      const char *text = json_string_value (json_array_get (events, e));
      SdEventKind kind;

      if (text == NULL || !sd_event_kind_from_string (text, &kind))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("event %u is not one of arrive, go_out, return, leave, supply"), e + 1);
          return FALSE;
        }

      /* People arrive only where a shelter has been opened for them. */
      if (kind == SD_EVENT_ARRIVE && !sd_store_set_shelter_open (load->store, shelter_id, TRUE, error))
        return FALSE;

      for (guint p = 0; p < person_ids->len; p++)
        {
          g_autofree char *event_id = sd_store_record_event (load->store, g_ptr_array_index (person_ids, p),
                                                             kind, shelter_id, NULL, error);
          if (event_id == NULL)
            return FALSE;
          load->summary.events++;
        }
    }
  return TRUE;
}

/* One household, read by the same strict reader as evacuee add and the
 * pre-registration (sd-intake-input.c); "shelter" and "events" are ours. */
static gboolean
load_household (SeedLoad   *load,
                json_t     *object,
                GError    **error)
{
  static const char *const also[] = { "shelter", "members", "events", NULL };
  g_autoptr(SdIntakeInput) input = sd_intake_input_new ();
  g_autoptr(GPtrArray) person_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household_id = NULL;
  SdHouseholdSpec *spec;
  SdPersonSpec *members;
  const char *code = NULL;
  json_t *events;
  guint n_members = 0;

  if (!json_is_object (object))
    {
      g_set_error_literal (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                           _("the household is not a JSON object"));
      return FALSE;
    }

  sd_intake_input_set_today (input, &load->today);
  if (!sd_intake_input_read_household (input, object, also, error) ||
      !sd_intake_input_get_text (input, object, _("household"), "shelter", &code, error))
    return FALSE;
  if (code == NULL || json_object_get (object, "stay") == NULL)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("“%s” is missing or empty"), code == NULL ? "shelter" : "stay");
      return FALSE;
    }
  spec = sd_intake_input_get_household (input);
  spec->shelter_id = lookup_shelter (load, code, error);
  if (spec->shelter_id == NULL)
    return FALSE;

  if (!json_list (object, "events", FALSE, &events, error) ||
      !sd_intake_input_read_members (input, json_object_get (object, "members"), 0, FALSE, error))
    return FALSE;
  members = sd_intake_input_get_members (input, &n_members);
  for (guint i = 0; i < n_members; i++)
    {
      /* A member without their own address or phone lives at the household's. */
      if (members[i].address == NULL)
        members[i].address = spec->address;
      if (members[i].phone == NULL)
        members[i].phone = spec->phone;
    }

  household_id = sd_store_add_household (load->store, spec, members, n_members, person_ids, error);
  if (household_id == NULL)
    return FALSE;
  load->summary.households++;
  load->summary.persons += n_members;

  return record_events (load, events, person_ids, spec->shelter_id, error);
}

static gboolean
load_evacuees (SeedLoad    *load,
               const char  *path,
               const char  *file,
               GError     **error)
{
  static const char *const known[] = { "households", NULL };
  /* U+0000 gets through the parser only for the reader to name its field. */
  g_autoptr(json_t) root = load_json_file (path, file, JSON_ALLOW_NUL, error);
  g_autoptr(GError) local_error = NULL;
  json_t *households;

  if (root == NULL)
    return FALSE;

  if (!sd_intake_input_refuse_unknown (root, _("the file"), known, &local_error) ||
      !json_list (root, "households", TRUE, &households, &local_error))
    {
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  for (guint i = 0; i < json_array_size (households); i++)
    if (!load_household (load, json_array_get (households, i), &local_error))
      {
        g_prefix_error (&local_error, _("%s, household %u: "), file, i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

/* ---- safety.json: roll-calls and their answers ---- */

/* { "rollcalls": [ { "title", "kind": "real" | "drill",
 *   "started_minutes_ago", "answers": [ answer + "minutes_after_start",
 *   "via" ] } ] }, the answers as sd-safety-input.h reads them: a demo's
 * roll-call is as old at every load. */
static gboolean
json_minutes (json_t      *object,
              const char  *member,
              gint64      *out,
              GError     **error)
{
  json_t *node = json_object_get (object, member);

  if (!json_is_integer (node) || json_integer_value (node) < 0 || json_integer_value (node) > 60 * 24 * 30)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” must be a whole number of minutes, 0 to 43200"), member);
      return FALSE;
    }
  *out = json_integer_value (node);
  return TRUE;
}

static gboolean
load_answer (SeedLoad    *load,
             SdRollcall  *rollcall,
             json_t      *object,
             GError     **error)
{
  static const char *const also[] = { "minutes_after_start", NULL };
  SdSafetyAnswerSpec spec;
  const char *recorded_by_no = NULL;
  g_autofree char *id = NULL;
  g_autoptr(SdStaff) recorder = NULL;
  gint64 minutes = 0;

  if (!sd_safety_answer_from_json (object, also, SD_ANSWER_VIA_WEB, &spec, &recorded_by_no, error) ||
      !json_minutes (object, "minutes_after_start", &minutes, error))
    return FALSE;
  if (recorded_by_no != NULL)
    {
      recorder = sd_store_find_staff (load->store, recorded_by_no, error);
      if (recorder == NULL)
        return FALSE;
      spec.recorded_by = sd_staff_get_id (recorder);
    }
  /* Never after now, even for a roll-call younger than its answers say. */
  spec.answered_at = MIN (sd_rollcall_get_started_at (rollcall) + minutes * 60 * 1000,
                          sd_store_now_ms (load->store));
  id = sd_store_record_safety_answer (load->store, sd_rollcall_get_id (rollcall), &spec, error);
  if (id == NULL)
    return FALSE;
  load->summary.safety_answers++;
  return TRUE;
}

static gboolean
load_rollcall (SeedLoad  *load,
               json_t    *object,
               GError   **error)
{
  static const char *const known[] = { "title", "kind", "started_minutes_ago", "answers", NULL };
  g_autofree char *title = NULL, *kind = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(GError) local_error = NULL;
  json_t *answers = NULL;
  gint64 ago = 0;

  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("not a JSON object"));
      return FALSE;
    }
  if (!sd_intake_input_refuse_unknown (object, _("the roll-call"), known, error) ||
      !json_text (object, "title", TRUE, &title, error) ||
      !json_text (object, "kind", TRUE, &kind, error) ||
      !json_minutes (object, "started_minutes_ago", &ago, error) ||
      !json_list (object, "answers", FALSE, &answers, error))
    return FALSE;
  if (!g_str_equal (kind, "real") && !g_str_equal (kind, "drill"))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” is not a value of “%s”: write one of %s"), kind, "kind", "real, drill");
      return FALSE;
    }
  rollcall = sd_store_open_rollcall (load->store, title,
                                     g_str_equal (kind, "drill") ? SD_ROLLCALL_DRILL : SD_ROLLCALL_REAL,
                                     sd_store_now_ms (load->store) - ago * 60 * 1000, NULL, error);
  if (rollcall == NULL)
    return FALSE;
  load->summary.rollcalls++;
  for (guint i = 0; answers != NULL && i < json_array_size (answers); i++)
    if (!load_answer (load, rollcall, json_array_get (answers, i), &local_error))
      {
        g_prefix_error (&local_error, _("answer %u: "), i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

static gboolean
load_safety (SeedLoad    *load,
             const char  *path,
             const char  *file,
             GError     **error)
{
  static const char *const known[] = { "rollcalls", NULL };
  g_autoptr(json_t) root = load_json_file (path, file, 0, error);
  g_autoptr(GError) local_error = NULL;
  json_t *rollcalls;

  if (root == NULL)
    return FALSE;
  if (!sd_intake_input_refuse_unknown (root, _("the file"), known, &local_error) ||
      !json_list (root, "rollcalls", TRUE, &rollcalls, &local_error))
    {
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < json_array_size (rollcalls); i++)
    if (!load_rollcall (load, json_array_get (rollcalls, i), &local_error))
      {
        g_prefix_error (&local_error, _("%s, roll-call %u: "), file, i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

/* ---- support-plans.json ---- */

/* { "plans": [ { "person": external id, "shelter", "route", "bring",
 *   "assist": [codes], "note", "contacts": [ { "kind": "emergency" |
 *   "supporter", "name", "kana", "relation", "phone", "postal_code",
 *   "address" } ] } ] }: individual evacuation plans of people already
 * loaded from the support list, by their welfare-system number. */
static gboolean
load_contact (SeedLoad    *load,
              const char  *person_id,
              json_t      *object,
              GError     **error)
{
  static const char *const known[] = { "kind", "name", "kana", "relation", "phone", "postal_code", "address", NULL };
  g_autofree char *kind = NULL, *name = NULL, *kana = NULL, *relation = NULL, *phone = NULL, *postal = NULL;
  g_autofree char *address = NULL, *id = NULL;
  SdSupportContactSpec spec = { 0 };

  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("not a JSON object"));
      return FALSE;
    }
  if (!sd_intake_input_refuse_unknown (object, _("the contact"), known, error) ||
      !json_text (object, "kind", TRUE, &kind, error) || !json_text (object, "name", TRUE, &name, error) ||
      !json_text (object, "kana", FALSE, &kana, error) || !json_text (object, "relation", FALSE, &relation, error) ||
      !json_text (object, "phone", FALSE, &phone, error) ||
      !json_text (object, "postal_code", FALSE, &postal, error) ||
      !json_text (object, "address", FALSE, &address, error))
    return FALSE;
  if (!g_str_equal (kind, "emergency") && !g_str_equal (kind, "supporter"))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("“%s” is not a value of “%s”: write one of %s"), kind, "kind", "emergency, supporter");
      return FALSE;
    }
  spec.kind = g_str_equal (kind, "emergency") ? SD_SUPPORT_CONTACT_EMERGENCY : SD_SUPPORT_CONTACT_SUPPORTER;
  spec.name = name;
  spec.kana = kana;
  spec.relation = relation;
  spec.phone = phone;
  spec.postal_code = postal;
  spec.address = address;
  id = sd_store_add_support_contact (load->store, person_id, &spec, error);
  if (id == NULL)
    return FALSE;
  load->summary.support_contacts++;
  return TRUE;
}

static gboolean
load_plan (SeedLoad  *load,
           json_t    *object,
           GError   **error)
{
  static const char *const known[] = { "person", "shelter", "route", "bring", "assist", "note", "contacts", NULL };
  g_autofree char *person = NULL, *shelter = NULL, *route = NULL, *bring = NULL, *note = NULL, *id = NULL;
  g_autoptr(GPtrArray) assist = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  json_t *codes = NULL, *contacts = NULL;
  SdSupportPlanSpec plan = { 0 };

  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("not a JSON object"));
      return FALSE;
    }
  if (!sd_intake_input_refuse_unknown (object, _("the plan"), known, error) ||
      !json_text (object, "person", TRUE, &person, error) || !json_text (object, "shelter", FALSE, &shelter, error) ||
      !json_text (object, "route", FALSE, &route, error) || !json_text (object, "bring", FALSE, &bring, error) ||
      !json_text (object, "note", FALSE, &note, error) || !json_list (object, "assist", FALSE, &codes, error) ||
      !json_list (object, "contacts", FALSE, &contacts, error))
    return FALSE;
  for (guint i = 0; codes != NULL && i < json_array_size (codes); i++)
    {
      json_t *code = json_array_get (codes, i);

      if (!json_is_string (code))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("“%s” must be a list of text"), "assist");
          return FALSE;
        }
      g_ptr_array_add (assist, g_strdup (json_string_value (code)));
    }
  g_ptr_array_add (assist, NULL);
  id = sd_store_find_support_person (load->store, person, error);
  if (id == NULL)
    return FALSE;
  plan.shelter_code = shelter;
  plan.route = route;
  plan.bring = bring;
  plan.assist = (const char *const *) assist->pdata;
  plan.note = note;
  if (!sd_store_set_support_plan (load->store, id, &plan, error))
    return FALSE;
  load->summary.support_plans++;
  for (guint i = 0; contacts != NULL && i < json_array_size (contacts); i++)
    if (!load_contact (load, id, json_array_get (contacts, i), &local_error))
      {
        g_prefix_error (&local_error, _("contact %u: "), i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

static gboolean
load_support_plans (SeedLoad    *load,
                    const char  *path,
                    const char  *file,
                    GError     **error)
{
  static const char *const known[] = { "plans", NULL };
  g_autoptr(json_t) root = load_json_file (path, file, 0, error);
  g_autoptr(GError) local_error = NULL;
  json_t *plans;

  if (root == NULL)
    return FALSE;
  if (!sd_intake_input_refuse_unknown (root, _("the file"), known, &local_error) ||
      !json_list (root, "plans", TRUE, &plans, &local_error))
    {
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < json_array_size (plans); i++)
    if (!load_plan (load, json_array_get (plans, i), &local_error))
      {
        g_prefix_error (&local_error, _("%s, plan %u: "), file, i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

/* ---- shelter-guides.json ---- */

/* { "guides": [ { "shelter": code, and the guide's members
 *   (sd_shelter_guide_read_json) } ] }: each shelter's one-page guide. */
static gboolean
load_guide (SeedLoad  *load,
            json_t    *object,
            GError   **error)
{
  g_autofree char *code = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdShelterGuide) guide = NULL;
  g_autoptr(json_t) members = NULL;

  if (!json_is_object (object))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX, _("not a JSON object"));
      return FALSE;
    }
  if (!json_text (object, "shelter", TRUE, &code, error) ||
      (shelter = sd_store_find_shelter (load->store, code, error)) == NULL ||
      (guide = sd_store_get_shelter_guide (load->store, sd_shelter_get_id (shelter), error)) == NULL)
    return FALSE;
  members = json_deep_copy (object);
  json_object_del (members, "shelter");
  if (!sd_shelter_guide_read_json (guide, members, error) ||
      !sd_store_set_shelter_guide (load->store, sd_shelter_get_id (shelter), NULL, guide, error))
    return FALSE;
  load->summary.shelter_guides++;
  return TRUE;
}

static gboolean
load_shelter_guides (SeedLoad    *load,
                     const char  *path,
                     const char  *file,
                     GError     **error)
{
  static const char *const known[] = { "guides", NULL };
  g_autoptr(json_t) root = load_json_file (path, file, 0, error);
  g_autoptr(GError) local_error = NULL;
  json_t *guides;

  if (root == NULL)
    return FALSE;
  if (!sd_intake_input_refuse_unknown (root, _("the file"), known, &local_error) ||
      !json_list (root, "guides", TRUE, &guides, &local_error))
    {
      g_prefix_error (&local_error, _("%s: "), file);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < json_array_size (guides); i++)
    if (!load_guide (load, json_array_get (guides, i), &local_error))
      {
        g_prefix_error (&local_error, _("%s, guide %u: "), file, i + 1);
        g_propagate_error (error, g_steal_pointer (&local_error));
        return FALSE;
      }
  return TRUE;
}

/* ---- the manifest ---- */

/* Whether PATH, links followed, is inside the seed folder. */
static gboolean
is_inside (SeedLoad   *load,
           const char *path)
{
  g_autofree char *real = sd_platform_real_path (path);
  gsize n = load->real_dir != NULL ? strlen (load->real_dir) : 0;

  return real != NULL && n > 0 && strncmp (real, load->real_dir, n) == 0 &&
         (real[n] == G_DIR_SEPARATOR || load->real_dir[n - 1] == G_DIR_SEPARATOR);
}

/* The file an entry names, which must stay inside the seed folder: a
 * manifest is data, and data must not send us reading elsewhere. */
static char *
resolve_path (SeedLoad    *load,
              const char  *file,
              guint        index,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;
  char *path;

  parts = g_strsplit_set (file, "/\\", -1);
  if (g_path_is_absolute (file) || g_strv_contains ((const char *const *) parts, ".."))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s, file %u: “%s” is outside the seed folder"), MANIFEST_NAME, index, file);
      return NULL;
    }

  path = g_build_filename (load->dir, file, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("%s, file %u: “%s” is not in the seed folder"), MANIFEST_NAME, index, file);
      g_free (path);
      return NULL;
    }
  if (!is_inside (load, path))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s, file %u: “%s” is a link to a file outside the seed folder, which is not read: "
                     "copy the file itself into the folder"), MANIFEST_NAME, index, file);
      g_free (path);
      return NULL;
    }
  return path;
}

static gboolean
load_entry (SeedLoad    *load,
            json_t      *entry,
            guint        index,
            GError     **error)
{
  g_autofree char *kind = NULL;
  g_autofree char *file = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) local_error = NULL;
  json_t *columns = NULL;

  if (!json_is_object (entry))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_SYNTAX,
                   _("%s, file %u: not a JSON object"), MANIFEST_NAME, index);
      return FALSE;
    }

  if (!json_text (entry, "kind", TRUE, &kind, &local_error) ||
      !json_text (entry, "path", TRUE, &file, &local_error) ||
      !json_text (entry, "encoding", FALSE, &encoding, &local_error))
    {
      g_prefix_error (&local_error, _("%s, file %u: "), MANIFEST_NAME, index);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (json_object_get (entry, "columns") != NULL)
    {
      json_t *map = json_object_get (entry, "columns");

      if (!json_is_object (map))
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("%s, file %u: “columns” must map the file’s headers to field names"),
                       MANIFEST_NAME, index);
          return FALSE;
        }
      columns = map;
    }

  for (guint i = 0; i < G_N_ELEMENTS (csv_kinds); i++)
    if (g_str_equal (kind, csv_kinds[i].kind))
      {
        path = resolve_path (load, file, index, error);
        return path != NULL &&
               load_csv (load, &csv_kinds[i], path, file, encoding, columns, error);
      }

  if (g_str_equal (kind, "evacuees"))
    {
      path = resolve_path (load, file, index, error);
      return path != NULL && load_evacuees (load, path, file, error);
    }

  if (g_str_equal (kind, "safety"))
    {
      path = resolve_path (load, file, index, error);
      return path != NULL && load_safety (load, path, file, error);
    }

  if (g_str_equal (kind, "support-plans"))
    {
      path = resolve_path (load, file, index, error);
      return path != NULL && load_support_plans (load, path, file, error);
    }
  if (g_str_equal (kind, "shelter-guides"))
    {
      path = resolve_path (load, file, index, error);
      return path != NULL && load_shelter_guides (load, path, file, error);
    }

  /* The offline map: the base map is used where it lies (it may be
   * large), the address reference is loaded into the database. */
  if (g_str_equal (kind, "map-tiles"))
    {
      path = resolve_path (load, file, index, error);
      if (path == NULL || !sd_store_set_map_tiles (load->store, path, error))
        return FALSE;
      load->summary.map_tiles = TRUE;
      return TRUE;
    }
  if (g_str_equal (kind, "addresses"))
    {
      g_autoptr(GBytes) csv = NULL;
      SdAddressImportResult result = { 0 };

      path = resolve_path (load, file, index, error);
      if (path == NULL || (csv = read_seed_file (path, file, error)) == NULL)
        return FALSE;
      if (!sd_store_import_addresses (load->store, csv, encoding, &result, error))
        {
          g_prefix_error (error, "%s: ", file);
          return FALSE;
        }
      load->summary.map_blocks += result.rows;
      sd_address_import_result_clear (&result);
      return TRUE;
    }

  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
               _("%s, file %u: “%s” is not a kind of seed file: write shelters, shelter-guides, staff, safety, "
                 "support, support-plans, evacuees, map-tiles or addresses"),
               MANIFEST_NAME, index, kind);
  return FALSE;
}

static json_t *
load_manifest (SeedLoad  *load,
               GError   **error)
{
  g_autofree char *path = g_build_filename (load->dir, MANIFEST_NAME, NULL);
  g_autoptr(json_t) root = NULL;
  json_t *format;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("There is no %s in the seed folder “%s”"), MANIFEST_NAME, load->dir);
      return NULL;
    }
  load->real_dir = sd_platform_real_path (load->dir);
  if (!is_inside (load, path))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s: it is a link to a file outside the seed folder, which is not read: "
                     "copy the file itself into the folder"), MANIFEST_NAME);
      return NULL;
    }
  root = load_json_file (path, MANIFEST_NAME, 0, error);
  if (root == NULL)
    return NULL;

  format = json_object_get (root, "format");
  if (!json_is_integer (format) || json_integer_value (format) != SEED_FORMAT)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                   _("%s: this version of ShelterDesk reads “format”: %d only"),
                   MANIFEST_NAME, SEED_FORMAT);
      return NULL;
    }
  return g_steal_pointer (&root);
}

static void
set_today (SeedLoad *load)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (sd_store_now_ms (load->store) / 1000);

  g_date_clear (&load->today, 1);
  g_date_set_dmy (&load->today,
                  g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

gboolean
sd_seed_load (SdStore        *store,
              const char     *dir,
              SdSeedSummary  *summary,
              GError        **error)
{
  g_autoptr(GHashTable) shelter_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(json_t) manifest = NULL;
  g_autoptr(SdTxn) txn = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *site_name = NULL;
  g_auto(SeedLoad) load = { 0 };
  gboolean demo;
  json_t *files;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  load.store = store;
  load.dir = dir;
  load.shelter_ids = shelter_ids;
  set_today (&load);

  manifest = load_manifest (&load, error);
  if (manifest == NULL)
    return FALSE;

  if (!json_list (manifest, "files", TRUE, &files, &local_error) ||
      !json_text (manifest, "site_name", FALSE, &site_name, &local_error))
    {
      g_prefix_error (&local_error, _("%s: "), MANIFEST_NAME);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return FALSE;

  /* A demo database signs in without a PIN: a folder marked demo must
   * never turn a database holding real shelters, staff or evacuees into
   * one.  Checked inside the transaction, so nothing slips in between. */
  demo = json_is_true (json_object_get (manifest, "demo"));
  if (demo && !sd_store_get_is_demo (store))
    {
      SdStoreCounts counts = { 0 };

      if (!sd_store_get_counts (store, &counts, error))
        return FALSE;
      if (counts.shelters > 0 || counts.persons > 0 || counts.staff > 0)
        {
          g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE,
                       _("The seed folder is a demo (its %s says \"demo\": true), and this database already "
                         "holds shelters, staff or evacuees: a demo is loaded only into a new database or "
                         "a demo one. Make a new database for it with “init”."), MANIFEST_NAME);
          return FALSE;
        }
    }

  for (guint i = 0; i < json_array_size (files); i++)
    if (!load_entry (&load, json_array_get (files, i), i + 1, error))
      return FALSE;

  if (site_name != NULL && !sd_store_set_site_name (store, site_name, error))
    return FALSE;
  /* Only the demo's manifest says "demo": a municipality's own roster
   * loaded this way is real data, and the desk must treat it so. */
  if (demo && !sd_store_set_is_demo (store, TRUE, error))
    return FALSE;

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return FALSE;

  if (summary != NULL)
    *summary = load.summary;
  return TRUE;
}
