/* sd-report.c: the shelter status report (避難所状況報告) to HQ: counts, needs, lifelines.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The counts come from what the database keeps counted (sd-migrations.c,
 * SD_SCHEMA_AGGREGATES), so that the work grows with the shelter, not
 * the city: the report of every shelter sums ranges of birth dates kept
 * for the city, never reading a person; the report of one shelter reads
 * that shelter's own people.  Ages move with the date, so they are worked out at the
 * moment of the report: from the ISO birth date text by hand for one
 * shelter (age_from_iso), as ranges of the same text for all.  The CSV,
 * the PDF and the desk's printing all present the same SdShelterStatus;
 * the PDF and the printer draw the very same page
 * (sd_shelter_status_draw_page).
 */
#include "sd-paths.h"
#include "sd-csv.h"
#include "sd-exercise-mark.h"
#include "sd-private-file.h"
#include "sd-page-text.h"
#include "sd-report.h"
#include "sd-store-private.h"
#include "sd-text.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <string.h>

static const char *const state_ids[] = { "unknown", "ok", "limited", "out", NULL };

const char *
sd_lifeline_get_label (SdLifeline lifeline)
{
  static const char *const labels[SD_N_LIFELINES] = {
    N_("Electricity"), N_("Water"), N_("Gas"), N_("Communications"), N_("Toilets"),
  };
  g_return_val_if_fail (lifeline < SD_N_LIFELINES, NULL);
  return _(labels[lifeline]);
}

const char *
sd_lifeline_state_to_string (SdLifelineState state)
{
  g_return_val_if_fail (state <= SD_LIFELINE_STATE_OUT, NULL);
  return state_ids[state];
}

gboolean
sd_lifeline_state_from_string (const char      *text,
                               SdLifelineState *out_state)
{
  for (guint i = 0; state_ids[i] != NULL; i++)
    if (g_strcmp0 (text, state_ids[i]) == 0)
      {
        *out_state = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sd_lifeline_state_get_label (SdLifelineState state)
{
  static const char *const labels[] = { N_("Unknown"), N_("Working"), N_("Partly working"), N_("Not working") };
  g_return_val_if_fail (state <= SD_LIFELINE_STATE_OUT, NULL);
  return _(labels[state]);
}

const char *
sd_age_band_get_label (SdAgeBand band)
{
  static const char *const labels[SD_N_AGE_BANDS] = {
    N_("0–5"), N_("6–14"), N_("15–64"), N_("65–74"), N_("75+"), N_("Unknown"),
  };
  g_return_val_if_fail (band < SD_N_AGE_BANDS, NULL);
  return _(labels[band]);
}

const char *
sd_need_get_label (SdNeed need)
{
  static const char *const labels[SD_N_NEEDS] = {
    N_("Food allergy"), N_("Chronic illness"), N_("Pregnant"), N_("Infant"), N_("Disability"),
    N_("Care needed"), N_("Mobility aid"), N_("Language support"),
  };
  g_return_val_if_fail (need < SD_N_NEEDS, NULL);
  return _(labels[need]);
}

static const char *
sex_label (SdSex sex)
{
  static const char *const labels[] = { N_("Unknown"), N_("Male"), N_("Female"), N_("Other") };
  return _(labels[sex]);
}

/* ---- recording a condition ---- */

char *
sd_store_record_shelter_condition (SdStore                       *store,
                                   const SdShelterConditionSpec  *spec,
                                   GError                       **error)
{
  g_autoptr(SdTxn) txn = NULL;
  g_autofree char *id = NULL;
  g_autofree char *supplies = NULL;
  g_autofree char *note = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (spec != NULL, NULL);

  if (!sd_text_validate (spec->supply_requests, _("The supply requests"), 2000, TRUE, error) ||
      !sd_text_validate (spec->note, _("The note"), 1000, TRUE, error))
    return NULL;
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    if (spec->lifelines[i] > SD_LIFELINE_STATE_OUT)
      {
        g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("The state of %s is not valid."),
                     sd_lifeline_get_label (i));
        return NULL;
      }
  supplies = sd_text_tidy (spec->supply_requests);
  note = sd_text_tidy (spec->note);

  txn = _sd_store_begin (store, error);
  if (txn == NULL)
    return NULL;

  stmt = _sd_store_prepare (store, "SELECT 1 FROM shelters WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, spec->shelter_id);
  if (_sd_store_step (store, stmt, _("look up the shelter"), error) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      if (error != NULL && *error == NULL)
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such shelter."));
      return NULL;
    }
  sqlite3_reset (stmt);

  id = _sd_store_new_id (store);
  stmt = _sd_store_prepare (store,
                            "INSERT INTO shelter_conditions (id, shelter_id, at, hlc, electricity, water, gas, "
                            "communications, toilets, supply_requests, note, staff_id) "
                            "VALUES (?1, ?2, ?3, sd_hlc (), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", error);
  if (stmt == NULL)
    return NULL;
  _sd_bind_text (stmt, 1, id);
  _sd_bind_text (stmt, 2, spec->shelter_id);
  sqlite3_bind_int64 (stmt, 3, sd_store_now_ms (store));
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    _sd_bind_text (stmt, 4 + i, state_ids[spec->lifelines[i]]);
  _sd_bind_text (stmt, 9, supplies);
  _sd_bind_text (stmt, 10, note);
  _sd_bind_text (stmt, 11, spec->staff_id);
  if (!_sd_store_exec (store, stmt, _("record the condition"), error))
    return NULL;

  if (!_sd_txn_commit (g_steal_pointer (&txn), error))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- computing ---- */

/* Whole years from an ISO "YYYY-MM-DD" to (y, m, d); -1 when not a date. */
static int
age_from_iso (const char *iso,
              int         y,
              int         m,
              int         d)
{
  int by, bm, bd, age;

  if (iso == NULL || strlen (iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return -1;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (iso[i]))
      return -1;
#define DIGITS2(p) (((p)[0] - '0') * 10 + ((p)[1] - '0'))
  by = DIGITS2 (iso) * 100 + DIGITS2 (iso + 2);
  bm = DIGITS2 (iso + 5);
  bd = DIGITS2 (iso + 8);
#undef DIGITS2
  if (by <= 0 || bm < 1 || bm > 12 || bd < 1 || bd > 31)
    return -1;
  age = y - by - ((m < bm || (m == bm && d < bd)) ? 1 : 0);
  return age < 0 ? -1 : age;
}

static SdAgeBand
band_of (int age)
{
  if (age < 0)
    return SD_AGE_UNKNOWN;
  if (age <= 5)
    return SD_AGE_0_5;
  if (age <= 14)
    return SD_AGE_6_14;
  if (age <= 64)
    return SD_AGE_15_64;
  if (age <= 74)
    return SD_AGE_65_74;
  return SD_AGE_75_UP;
}

static gboolean
has_text (sqlite3_stmt *stmt,
          int           column)
{
  const char *text = _sd_column_text (stmt, column);
  return text != NULL && *text != '\0';
}

/* The stored values are male, female, not_applicable and unknown. */
static SdSex
sex_of (const char *text)
{
  return text == NULL ? SD_SEX_UNKNOWN
       : text[0] == 'm' ? SD_SEX_MALE
       : text[0] == 'f' ? SD_SEX_FEMALE
       : text[0] == 'n' ? SD_SEX_NOT_APPLICABLE
       : SD_SEX_UNKNOWN;
}

/* One shelter: a pass over its own people, found by the (shelter_id,
 * kind) index, and its households from the counts kept per shelter and
 * household (shelter_households, sd-migrations.c), with a seek each for
 * pets: work in proportion to the shelter, never to the city. */
static gboolean
count_people_of (SdStore         *store,
                 const char      *shelter_id,
                 int              y,
                 int              m,
                 int              d,
                 SdShelterStatus *status,
                 GError         **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sd_store_prepare (store,
    "SELECT p.sex, p.birth_date, p.allergies, p.illness, p.pregnant, p.disability, "
    "p.care_level, p.mobility, p.language, s.kind = 'go_out' "
    "FROM person_state s JOIN persons p ON p.id = s.person_id "
    "WHERE s.shelter_id = ?1 AND s.kind IN ('arrive', 'return', 'go_out')", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  while ((rc = _sd_store_step (store, stmt, _("count the people"), error)) == SQLITE_ROW)
    {
      int age = age_from_iso (_sd_column_text (stmt, 1), y, m, d);
      const char *language = _sd_column_text (stmt, 8);

      status->persons++;
      if (sqlite3_column_int (stmt, 9))
        status->stays.out_now++;
      else
        status->stays.in_shelter++;
      status->by_sex_age[sex_of (_sd_column_text (stmt, 0))][band_of (age)]++;
      status->needs[SD_NEED_ALLERGY] += has_text (stmt, 2);
      status->needs[SD_NEED_ILLNESS] += has_text (stmt, 3);
      status->needs[SD_NEED_PREGNANT] += sqlite3_column_int (stmt, 4) != 0;
      status->needs[SD_NEED_INFANT] += age == 0;
      status->needs[SD_NEED_DISABILITY] += has_text (stmt, 5);
      status->needs[SD_NEED_CARE] += g_strcmp0 (_sd_column_text (stmt, 6), "none") != 0;
      status->needs[SD_NEED_MOBILITY] += has_text (stmt, 7);
      status->needs[SD_NEED_LANGUAGE] += language != NULL && *language != '\0' && g_strcmp0 (language, "ja") != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  stmt = _sd_store_prepare (store,
    "SELECT count (*), coalesce (sum (h.pets IS NOT NULL OR h.pets_count > 0), 0) "
    "FROM shelter_households x LEFT JOIN households h ON h.id = x.household_id WHERE x.shelter_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  rc = _sd_store_step (store, stmt, _("count the people"), error);
  if (rc == SQLITE_ROW)
    {
      status->households = sqlite3_column_int (stmt, 0);
      status->households_with_pets = sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

/* Every shelter, from the counts kept for the city (staying_totals and
 * staying_by_birth, sd-migrations.c): never a person, nor a household.
 * Someone is at least N years old today exactly when their birth date
 * is at most today's date N years back, comparing year, then month and
 * day, as age_from_iso() does; and staying_by_birth's key is the birth
 * date as text wherever age_from_iso() reads one as a date, and
 * "0000-00-00", before them all, elsewhere.  So each age band is a range
 * of the key, summed by SQLite: the work is the days of a century at
 * most, whatever the size of the city.  One statement, so that every
 * number is of the same moment even while another program writes. */
#define BORN(tag, after, upto) \
  "SELECT " tag ", sum (sex_unknown), sum (male), sum (female), sum (not_applicable), 0, 0, 0, 0, 0, 0 " \
  "FROM staying_by_birth WHERE birth_date > " after " AND birth_date <= " upto " UNION ALL "
#define TAG_INFANTS 6
#define TAG_TOTALS  7
G_STATIC_ASSERT (SD_AGE_0_5 == 0 && SD_AGE_6_14 == 1 && SD_AGE_15_64 == 2 && SD_AGE_65_74 == 3 &&
                 SD_AGE_75_UP == 4 && SD_AGE_UNKNOWN == 5 && TAG_INFANTS == SD_N_AGE_BANDS);

static gboolean
count_people_everywhere (SdStore         *store,
                         int              y,
                         int              m,
                         int              d,
                         SdShelterStatus *status,
                         GError         **error)
{
  /* The needs kept, in the order of staying_totals' columns. */
  static const SdNeed kept[] = { SD_NEED_ALLERGY, SD_NEED_ILLNESS, SD_NEED_PREGNANT, SD_NEED_DISABILITY,
                                 SD_NEED_CARE, SD_NEED_MOBILITY, SD_NEED_LANGUAGE };
  /* Today's date this many years back: ?1 to ?6. */
  static const int years_back[] = { 75, 65, 15, 6, 0, 1 };
  char born_by[G_N_ELEMENTS (years_back)][16];
  sqlite3_stmt *stmt;
  int rc;

  stmt = _sd_store_prepare (store,
    BORN ("5", "''", "'0000-00-00'")            /* no date, or not a date */
    BORN ("5", "?5", "'9999-12-31'")            /* born after today */
    BORN ("4", "'0000-00-00'", "?1")            /* 75 and over */
    BORN ("3", "?1", "?2")
    BORN ("2", "?2", "?3")
    BORN ("1", "?3", "?4")
    BORN ("0", "?4", "?5")                      /* 0 to 5 */
    BORN (G_STRINGIFY (TAG_INFANTS), "?6", "?5")  /* not yet 1 */
    "SELECT " G_STRINGIFY (TAG_TOTALS) ", households, households_with_pets, out_now, allergy, illness, "
    "pregnant, disability, care, mobility, language FROM staying_totals", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (years_back); i++)
    {
      g_snprintf (born_by[i], sizeof born_by[i], "%04d-%02d-%02d", y - years_back[i], m, d);
      sqlite3_bind_text (stmt, 1 + i, born_by[i], -1, SQLITE_STATIC);
    }
  while ((rc = _sd_store_step (store, stmt, _("count the people"), error)) == SQLITE_ROW)
    {
      int tag = sqlite3_column_int (stmt, 0);

      if (tag == TAG_TOTALS)
        {
          status->households = sqlite3_column_int (stmt, 1);
          status->households_with_pets = sqlite3_column_int (stmt, 2);
          status->stays.out_now = sqlite3_column_int (stmt, 3);
          for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
            status->needs[kept[i]] = sqlite3_column_int (stmt, 4 + i);
          continue;
        }
      for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
        {
          guint n = sqlite3_column_int (stmt, 1 + s);

          if (tag == TAG_INFANTS)
            status->needs[SD_NEED_INFANT] += n;
          else
            {
              status->by_sex_age[s][tag] += n;
              status->persons += n;
            }
        }
    }
  sqlite3_reset (stmt);
  status->stays.in_shelter = status->persons - status->stays.out_now;
  return rc == SQLITE_DONE;
}

#undef BORN

static gboolean
count_people (SdStore         *store,
              const char      *shelter_id,
              SdShelterStatus *status,
              GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  int y = g_date_time_get_year (now), m = g_date_time_get_month (now), d = g_date_time_get_day_of_month (now);
  SdStayCounts elsewhere;

  if (!(shelter_id != NULL ? count_people_of (store, shelter_id, y, m, d, status, error)
                           : count_people_everywhere (store, y, m, d, status, error)))
    return FALSE;
  /* Registered here but staying at home, in a vehicle, at relatives'. */
  if (!sd_store_count_stays (store, shelter_id, &elsewhere, error))
    return FALSE;
  status->stays.at_home = elsewhere.at_home;
  status->stays.in_vehicle = elsewhere.in_vehicle;
  status->stays.at_relatives = elsewhere.at_relatives;
  return TRUE;
}

static gboolean
read_shelters (SdStore         *store,
               const char      *shelter_id,
               SdShelterStatus *status,
               GError         **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT count(*), coalesce (sum (capacity), 0), max (code), max (name) FROM shelters "
    "WHERE ?1 IS NULL OR id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  if (_sd_store_step (store, stmt, _("look up the shelter"), error) != SQLITE_ROW)
    return FALSE;
  status->shelters = sqlite3_column_int (stmt, 0);
  status->capacity = sqlite3_column_int (stmt, 1);
  if (shelter_id != NULL)
    {
      status->shelter_code = g_strdup (_sd_column_text (stmt, 2));
      status->shelter_name = g_strdup (_sd_column_text (stmt, 3));
    }
  else
    status->shelter_name = g_strdup (_("All shelters"));
  sqlite3_reset (stmt);

  if (shelter_id != NULL && status->shelters == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such shelter."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_condition (SdStore         *store,
                const char      *shelter_id,
                SdShelterStatus *status,
                GError         **error)
{
  sqlite3_stmt *stmt = _sd_store_prepare (store,
    "SELECT at, electricity, water, gas, communications, toilets, supply_requests "
    "FROM shelter_conditions WHERE shelter_id = ?1 ORDER BY hlc DESC, id DESC LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  _sd_bind_text (stmt, 1, shelter_id);
  rc = _sd_store_step (store, stmt, _("read the shelter's condition"), error);
  if (rc == SQLITE_ROW)
    {
      status->condition_at = sqlite3_column_int64 (stmt, 0);
      for (guint i = 0; i < SD_N_LIFELINES; i++)
        sd_lifeline_state_from_string (_sd_column_text (stmt, 1 + i), &status->lifelines[i]);
      status->supply_requests = g_strdup (_sd_column_text (stmt, 6));
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/**
 * sd_store_compute_shelter_status:
 * @shelter_id: (nullable): one shelter, or %NULL for all together
 *
 * Returns: (transfer full): the report's content, or %NULL
 */
SdShelterStatus *
sd_store_compute_shelter_status (SdStore     *store,
                                 const char  *shelter_id,
                                 GError     **error)
{
  g_autoptr(SdShelterStatus) status = g_new0 (SdShelterStatus, 1);

  g_return_val_if_fail (SD_IS_STORE (store), NULL);

  status->site_name = g_strdup (sd_store_get_site_name (store));
  status->is_exercise = sd_store_get_is_exercise (store);
  status->generated_at = sd_store_now_ms (store);

  if (!read_shelters (store, shelter_id, status, error) ||
      !count_people (store, shelter_id, status, error) ||
      (shelter_id != NULL && !read_condition (store, shelter_id, status, error)))
    return NULL;
  return g_steal_pointer (&status);
}

void
sd_shelter_status_free (SdShelterStatus *status)
{
  if (status == NULL)
    return;
  g_free (status->site_name);
  g_free (status->shelter_code);
  g_free (status->shelter_name);
  g_free (status->supply_requests);
  g_free (status);
}

/* ---- presenting: rows shared by the CSV and the page ---- */

static char *
format_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
}

static guint
sex_total (const SdShelterStatus *status,
           SdSex                  sex)
{
  guint total = 0;

  for (guint b = 0; b < SD_N_AGE_BANDS; b++)
    total += status->by_sex_age[sex][b];
  return total;
}

static guint
band_total (const SdShelterStatus *status,
            SdAgeBand              band)
{
  guint total = 0;

  for (guint s = 0; s <= SD_SEX_NOT_APPLICABLE; s++)
    total += status->by_sex_age[s][band];
  return total;
}

/* The "where people are" rows: label and count. */
static void
stay_rows (const SdShelterStatus  *status,
           const char            **labels,
           guint                  *values)
{
  labels[0] = _("In the shelter now"); values[0] = status->stays.in_shelter;
  labels[1] = _("Gone out for now"); values[1] = status->stays.out_now;
  labels[2] = _("At home (在宅避難)"); values[2] = status->stays.at_home;
  labels[3] = _("In vehicles (車中泊)"); values[3] = status->stays.in_vehicle;
  labels[4] = _("At relatives’ or friends’"); values[4] = status->stays.at_relatives;
}

#define N_STAY_ROWS 5

/* ---- CSV ---- */

static void
csv_count_row (SdCsvWriter *csv,
               const char  *label,
               guint        value)
{
  sd_csv_writer_add_text (csv, label);
  sd_csv_writer_add_number (csv, value);
  sd_csv_writer_end_row (csv);
}

/* Site and shelter names and the supply requests are typed by people, and
 * translations are not ours either: every text cell goes through
 * SdCsvWriter, which keeps a spreadsheet from taking one as a formula. */
gboolean
sd_shelter_status_write_csv (const SdShelterStatus  *status,
                             GOutputStream          *stream,
                             GCancellable           *cancellable,
                             GError                **error)
{
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();
  g_autofree char *when = NULL;
  const char *stay_labels[N_STAY_ROWS];
  guint stay_values[N_STAY_ROWS];

  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  when = format_time (status->generated_at);
  if (status->is_exercise)
    sd_csv_writer_mark_exercise (csv);
  sd_csv_writer_add_row (csv, _("Shelter status report"), NULL);
  sd_csv_writer_add_text (csv, _("Site"));
  sd_csv_writer_add_text (csv, status->site_name);
  sd_csv_writer_end_row (csv);
  sd_csv_writer_add_text (csv, _("Shelter"));
  sd_csv_writer_add_text (csv, status->shelter_code);
  sd_csv_writer_add_text (csv, status->shelter_name);
  sd_csv_writer_end_row (csv);
  sd_csv_writer_add_row (csv, _("Made at"), when, NULL);
  csv_count_row (csv, _("People staying"), status->persons);
  csv_count_row (csv, _("Households"), status->households);
  csv_count_row (csv, _("Capacity"), status->capacity);
  sd_csv_writer_end_row (csv);

  /* Sex × age band, with totals. */
  sd_csv_writer_add_text (csv, _("Age"));
  for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
    sd_csv_writer_add_text (csv, sex_label (s));
  sd_csv_writer_add_text (csv, _("Total"));
  sd_csv_writer_end_row (csv);
  for (SdAgeBand b = 0; b < SD_N_AGE_BANDS; b++)
    {
      sd_csv_writer_add_text (csv, sd_age_band_get_label (b));
      for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
        sd_csv_writer_add_number (csv, status->by_sex_age[s][b]);
      sd_csv_writer_add_number (csv, band_total (status, b));
      sd_csv_writer_end_row (csv);
    }
  sd_csv_writer_add_text (csv, _("Total"));
  for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
    sd_csv_writer_add_number (csv, sex_total (status, s));
  sd_csv_writer_add_number (csv, status->persons);
  sd_csv_writer_end_row (csv);
  sd_csv_writer_end_row (csv);

  sd_csv_writer_add_row (csv, _("People needing consideration"), NULL);
  for (SdNeed n = 0; n < SD_N_NEEDS; n++)
    csv_count_row (csv, sd_need_get_label (n), status->needs[n]);
  csv_count_row (csv, _("Households with pets"), status->households_with_pets);
  sd_csv_writer_end_row (csv);

  sd_csv_writer_add_row (csv, _("Where people are"), NULL);
  stay_rows (status, stay_labels, stay_values);
  for (guint i = 0; i < N_STAY_ROWS; i++)
    csv_count_row (csv, stay_labels[i], stay_values[i]);
  sd_csv_writer_end_row (csv);

  sd_csv_writer_add_row (csv, _("Lifelines"), NULL);
  for (SdLifeline l = 0; l < SD_N_LIFELINES; l++)
    sd_csv_writer_add_row (csv, sd_lifeline_get_label (l), sd_lifeline_state_get_label (status->lifelines[l]), NULL);
  sd_csv_writer_add_text (csv, _("Supply requests"));
  sd_csv_writer_add_text (csv, status->supply_requests);
  sd_csv_writer_end_row (csv);

  return sd_csv_writer_write (csv, stream, cancellable, error);
}

/* ---- the page ---- */

typedef struct {
  cairo_t     *cr;
  PangoLayout *layout;
  double       x;
  double       y;
  double       width;
} Page;

static void
page_text (Page       *page,
           double      x,
           double      width,
           const char *text,
           double      size,
           gboolean    bold,
           PangoAlignment align)
{
  g_autoptr(PangoFontDescription) font = NULL;

  sd_paths_use_shipped_fonts ();  /* the fonts a Windows install ships */
  font = pango_font_description_from_string ("Noto Sans CJK JP");
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (page->layout, font);
  pango_layout_set_width (page->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (page->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (page->layout, align);
  pango_layout_set_text (page->layout, text ? text : "", -1);
  cairo_move_to (page->cr, x, page->y);
  pango_cairo_show_layout (page->cr, page->layout);
}

static double
text_height (Page *page)
{
  int w, h;

  pango_layout_get_size (page->layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
page_line (Page   *page,
           double  y)
{
  cairo_move_to (page->cr, page->x, y);
  cairo_line_to (page->cr, page->x + page->width, y);
  cairo_set_line_width (page->cr, 0.5);
  cairo_stroke (page->cr);
}

/* One table row: a label, then right-aligned cells in equal columns, as
 * wide as the table leaves them (one cell: half the width, so that a
 * state such as "Partly working" never wraps into the next row).  A row
 * that wraps all the same grows; it never runs into the next one. */
static void
page_row (Page        *page,
          const char  *label,
          const char **cells,
          guint        n_cells,
          gboolean     bold)
{
  double cell_w = n_cells == 1 ? page->width / 2 : 62;
  double label_w = page->width - n_cells * cell_w;
  double tallest;

  page_text (page, page->x + 2, label_w - 4, label, 10, bold, PANGO_ALIGN_LEFT);
  tallest = text_height (page);
  for (guint i = 0; i < n_cells; i++)
    {
      page_text (page, page->x + label_w + i * cell_w, cell_w - 4, cells[i], 10, bold, PANGO_ALIGN_RIGHT);
      tallest = MAX (tallest, text_height (page));
    }
  page->y += MAX (16, tallest + 1.5);
  page_line (page, page->y - 1.5);
}

static void
page_count_row (Page       *page,
                const char *label,
                guint       value)
{
  g_autofree char *n = g_strdup_printf ("%u", value);
  const char *cells[] = { n };
  page_row (page, label, cells, 1, FALSE);
}

static void
page_heading (Page       *page,
              const char *text)
{
  page->y += 8;
  page_text (page, page->x, page->width, text, 12, TRUE, PANGO_ALIGN_LEFT);
  page->y += 18;
}

void
sd_shelter_status_draw_page (const SdShelterStatus *status,
                             cairo_t               *cr,
                             double                 width,
                             double                 height)
{
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *when = NULL;
  g_autofree char *header = NULL;
  g_autofree char *summary = NULL;
  const char *stay_labels[N_STAY_ROWS];
  guint stay_values[N_STAY_ROWS];
  Page page;

  g_return_if_fail (status != NULL);
  g_return_if_fail (cr != NULL);

  cairo_save (cr);
  /* Under the report, and its band above the title (36 points down). */
  if (status->is_exercise)
    sd_exercise_mark_draw_page (cr, width, height);
  cairo_set_source_rgb (cr, 0, 0, 0);
  layout = sd_page_layout_new (cr);
  page = (Page) { cr, layout, 40, 36, width - 80 };

  when = format_time (status->generated_at);
  page_text (&page, page.x, page.width, _("Shelter status report"), 18, TRUE, PANGO_ALIGN_LEFT);
  page.y += 26;
  header = g_strdup_printf ("%s%s%s\n%s — %s", status->shelter_code ? status->shelter_code : "",
                            status->shelter_code ? " " : "", status->shelter_name ? status->shelter_name : "",
                            status->site_name ? status->site_name : "", when);
  page_text (&page, page.x, page.width, header, 11, FALSE, PANGO_ALIGN_LEFT);
  page.y += text_height (&page) + 4;
  summary = g_strdup_printf (_("People staying: %u   Households: %u   Capacity: %d"),
                             status->persons, status->households, status->capacity);
  page_text (&page, page.x, page.width, summary, 12, TRUE, PANGO_ALIGN_LEFT);
  page.y += 20;

  page_heading (&page, _("By sex and age"));
  {
    const char *cells[SD_SEX_NOT_APPLICABLE + 2];
    char *strings[SD_SEX_NOT_APPLICABLE + 2] = { NULL };

    for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
      cells[s] = sex_label (s);
    cells[SD_SEX_NOT_APPLICABLE + 1] = _("Total");
    page_row (&page, _("Age"), cells, SD_SEX_NOT_APPLICABLE + 2, TRUE);
    for (SdAgeBand b = 0; b <= SD_N_AGE_BANDS; b++)
      {
        for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE + 1; s++)
          {
            guint v = b == SD_N_AGE_BANDS
                      ? (s > SD_SEX_NOT_APPLICABLE ? status->persons : sex_total (status, s))
                      : (s > SD_SEX_NOT_APPLICABLE ? band_total (status, b) : status->by_sex_age[s][b]);
            g_free (strings[s]);
            strings[s] = g_strdup_printf ("%u", v);
            cells[s] = strings[s];
          }
        page_row (&page, b == SD_N_AGE_BANDS ? _("Total") : sd_age_band_get_label (b), cells,
                  SD_SEX_NOT_APPLICABLE + 2, b == SD_N_AGE_BANDS);
      }
    for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
      g_free (strings[i]);
  }

  page_heading (&page, _("People needing consideration"));
  for (SdNeed n = 0; n < SD_N_NEEDS; n++)
    page_count_row (&page, sd_need_get_label (n), status->needs[n]);
  page_count_row (&page, _("Households with pets"), status->households_with_pets);

  page_heading (&page, _("Where people are"));
  stay_rows (status, stay_labels, stay_values);
  for (guint i = 0; i < N_STAY_ROWS; i++)
    page_count_row (&page, stay_labels[i], stay_values[i]);

  page_heading (&page, _("Lifelines"));
  for (SdLifeline l = 0; l < SD_N_LIFELINES; l++)
    {
      const char *cells[] = { sd_lifeline_state_get_label (status->lifelines[l]) };
      page_row (&page, sd_lifeline_get_label (l), cells, 1, FALSE);
    }

  page_heading (&page, _("Supply requests"));
  page_text (&page, page.x, page.width,
             status->supply_requests ? status->supply_requests : _("None recorded"), 10, FALSE, PANGO_ALIGN_LEFT);

  cairo_restore (cr);
}

gboolean
sd_shelter_status_write_pdf (const SdShelterStatus  *status,
                             const char             *path,
                             GError                **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *partial = NULL;
  cairo_surface_t *surface;
  cairo_status_t result;
  cairo_t *cr;

  g_return_val_if_fail (status != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("Could not save the report: the folder “%s” does not exist."), dir);
      return FALSE;
    }

  /* Written beside the target and renamed at the end, so a failure never
   * leaves a half-written PDF under the name a person asked for. */
  partial = g_strconcat (path, ".part", NULL);
  if (!sd_private_file_create (partial, error))
    return FALSE;
  surface = cairo_pdf_surface_create (partial, 595.0, 842.0);
  cr = cairo_create (surface);
  sd_shelter_status_draw_page (status, cr, 595.0, 842.0);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  result = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (result != CAIRO_STATUS_SUCCESS || g_rename (partial, path) != 0)
    {
      g_remove (partial);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not save the report in “%s”: the folder cannot be written or the disk is full."),
                   dir);
      return FALSE;
    }
  return TRUE;
}
