/* sd-pg-report.c: the shelter status report read from PostgreSQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same numbers sd-report.c reads from a SQLite HQ: for every
 * shelter, from the counts the merge keeps as SQLite does
 * (sd-pg-counts.c: shelter_occupancy, staying_totals, staying_by_birth);
 * for one shelter, counted from its rows; in one snapshot: who is
 * staying (person_state: arrived, returned or gone out for now), by sex
 * and age band, their needs, their
 * households and pets, and those registered through a shelter who stay
 * at home, in a vehicle or at relatives'.  Age bands are ranges of the
 * birth date as text, as there: a birth date that age_from_iso () would
 * not read is unknown.  The pg suite compares the report with SQLite's.
 */
#include "sd-pg-private.h"

#include "sd-safety-private.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* A person's birth date as the range key, '0000-00-00' when it is not one. */
#define BIRTH_KEY \
  "CASE WHEN p.birth_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND substr (p.birth_date, 1, 4) <> '0000' " \
  "  AND substr (p.birth_date, 6, 2) BETWEEN '01' AND '12' AND substr (p.birth_date, 9, 2) BETWEEN '01' AND '31' " \
  "  THEN p.birth_date ELSE '0000-00-00' END"

/* Everyone staying ($1: a shelter's id, or NULL for all). */
#define STAYING \
  "FROM person_state s JOIN persons p ON p.id = s.person_id " \
  "WHERE s.kind IN ('arrive', 'return', 'go_out') AND ($1::text IS NULL OR s.shelter_id = $1::text)"

static const char people_sql[] =
  /* Sex (SdSex), age band (SdAgeBand) by $2…$7, today's date 75, 65, 15,
   * 6, 0 and 1 years back; one row per pair. */
  "SELECT CASE p.sex WHEN 'male' THEN 1 WHEN 'female' THEN 2 WHEN 'not_applicable' THEN 3 ELSE 0 END, "
  "  CASE WHEN b <= '0000-00-00' OR b > $6::text THEN 5 WHEN b <= $2::text THEN 4 WHEN b <= $3::text THEN 3 "
  "       WHEN b <= $4::text THEN 2 WHEN b <= $5::text THEN 1 ELSE 0 END, count (*) "
  "FROM (SELECT p.sex, " BIRTH_KEY " AS b " STAYING ") p GROUP BY 1, 2";

static const char totals_sql[] =
  "SELECT count (*) FILTER (WHERE s.kind = 'go_out'), "
  "  count (*) FILTER (WHERE coalesce (p.allergies, '') <> ''), "
  "  count (*) FILTER (WHERE coalesce (p.illness, '') <> ''), "
  "  count (*) FILTER (WHERE p.pregnant <> 0), "
  "  count (*) FILTER (WHERE " BIRTH_KEY " > $7::text AND " BIRTH_KEY " <= $6::text), "
  "  count (*) FILTER (WHERE coalesce (p.disability, '') <> ''), "
  "  count (*) FILTER (WHERE p.care_level IS DISTINCT FROM 'none'), "
  "  count (*) FILTER (WHERE coalesce (p.mobility, '') <> ''), "
  "  count (*) FILTER (WHERE coalesce (p.language, '') <> '' AND p.language <> 'ja') "
  STAYING;

static const char households_sql[] =
  "SELECT count (*), count (*) FILTER (WHERE h.pets IS NOT NULL OR h.pets_count > 0) "
  "FROM (SELECT DISTINCT p.household_id " STAYING ") x LEFT JOIN households h ON h.id = x.household_id";

/* Registered through the shelter ($1; all: any), staying elsewhere, not left. */
static const char elsewhere_sql[] =
  "SELECT count (*) FILTER (WHERE h.stay = 'home'), count (*) FILTER (WHERE h.stay = 'vehicle'), "
  "  count (*) FILTER (WHERE h.stay = 'relatives') "
  "FROM households h JOIN persons p ON p.household_id = h.id LEFT JOIN person_state s ON s.person_id = p.id "
  "WHERE h.stay IN ('home', 'vehicle', 'relatives') AND s.kind IS DISTINCT FROM 'leave' "
  "  AND ($1::text IS NULL OR h.shelter_id = $1::text)";

static guint
uint_at (PGresult *res,
         int       row,
         int       column)
{
  return (guint) g_ascii_strtoull (PQgetvalue (res, row, column), NULL, 10);
}

/* Every shelter, from the counts the merge keeps (sd-pg-counts.c), as
 * sd-report.c reads SQLite's: each age band a range of staying_by_birth's
 * key ($1…$6: today's date 75, 65, 15, 6, 0 and 1 years back), the
 * totals, and the stays elsewhere from shelter_occupancy; a row per day
 * of a century at most, whatever the size of the prefecture. */
#define BORN(tag, after, upto) \
  "SELECT " tag ", sum (sex_unknown), sum (male), sum (female), sum (not_applicable), 0, 0, 0, 0, 0, 0 " \
  "FROM staying_by_birth WHERE birth_date > " after " AND birth_date <= " upto " UNION ALL "
#define TAG_INFANTS 6
#define TAG_TOTALS 7
#define TAG_ELSEWHERE 8
G_STATIC_ASSERT (SD_AGE_0_5 == 0 && SD_AGE_6_14 == 1 && SD_AGE_15_64 == 2 && SD_AGE_65_74 == 3 &&
                 SD_AGE_75_UP == 4 && SD_AGE_UNKNOWN == 5 && TAG_INFANTS == SD_N_AGE_BANDS);

static const char everywhere_sql[] =
  BORN ("5", "''", "'0000-00-00'")                  /* no date, or not a date */
  BORN ("5", "$5::text", "'9999-12-31'")            /* born after today */
  BORN ("4", "'0000-00-00'", "$1::text")            /* 75 and over */
  BORN ("3", "$1::text", "$2::text")
  BORN ("2", "$2::text", "$3::text")
  BORN ("1", "$3::text", "$4::text")
  BORN ("0", "$4::text", "$5::text")                /* 0 to 5 */
  BORN ("6", "$6::text", "$5::text")                /* not yet 1 */
  "SELECT 7, households, households_with_pets, out_now, allergy, illness, pregnant, disability, care, mobility, "
  "  language FROM staying_totals UNION ALL "
  "SELECT 8, sum (at_home), sum (in_vehicle), sum (at_relatives), 0, 0, 0, 0, 0, 0, 0 FROM shelter_occupancy";

static gboolean
count_people_everywhere (SdPgStore        *self,
                         const char      **born_by,
                         SdShelterStatus  *status,
                         GError          **error)
{
  /* The needs kept, in the order of staying_totals' columns. */
  static const SdNeed kept[] = { SD_NEED_ALLERGY, SD_NEED_ILLNESS, SD_NEED_PREGNANT, SD_NEED_DISABILITY,
                                 SD_NEED_CARE, SD_NEED_MOBILITY, SD_NEED_LANGUAGE };
  g_autoptr(PGresult) res = _sd_pg_query (self, _("count the people"), everywhere_sql, 6, born_by, error);

  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      guint tag = uint_at (res, r, 0);

      if (tag == TAG_TOTALS)
        {
          status->households = uint_at (res, r, 1);
          status->households_with_pets = uint_at (res, r, 2);
          status->stays.out_now = uint_at (res, r, 3);
          for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
            status->needs[kept[i]] = uint_at (res, r, 4 + i);
        }
      else if (tag == TAG_ELSEWHERE)
        {
          status->stays.at_home = uint_at (res, r, 1);
          status->stays.in_vehicle = uint_at (res, r, 2);
          status->stays.at_relatives = uint_at (res, r, 3);
        }
      else
        for (SdSex s = SD_SEX_UNKNOWN; s <= SD_SEX_NOT_APPLICABLE; s++)
          {
            guint n = uint_at (res, r, 1 + s);

            if (tag == TAG_INFANTS)
              status->needs[SD_NEED_INFANT] += n;
            else
              {
                status->by_sex_age[s][tag] += n;
                status->persons += n;
              }
          }
    }
  status->stays.in_shelter = status->persons - status->stays.out_now;
  return TRUE;
}

#undef BORN

static gboolean
count_people (SdPgStore        *self,
              const char       *shelter_id,
              SdShelterStatus  *status,
              GError          **error)
{
  static const int years_back[] = { 75, 65, 15, 6, 0, 1 };
  static const SdNeed totals[] = { SD_NEED_ALLERGY, SD_NEED_ILLNESS, SD_NEED_PREGNANT, SD_NEED_INFANT,
                                   SD_NEED_DISABILITY, SD_NEED_CARE, SD_NEED_MOBILITY, SD_NEED_LANGUAGE };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  char born_by[G_N_ELEMENTS (years_back)][16];
  const char *params[1 + G_N_ELEMENTS (years_back)] = { shelter_id };
  g_autoptr(PGresult) people = NULL, total = NULL, households = NULL, elsewhere = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (years_back); i++)
    {
      g_snprintf (born_by[i], sizeof born_by[i], "%04d-%02d-%02d", g_date_time_get_year (now) - years_back[i],
                  g_date_time_get_month (now), g_date_time_get_day_of_month (now));
      params[1 + i] = born_by[i];
    }
  if (shelter_id == NULL)
    return count_people_everywhere (self, params + 1, status, error);
  if ((people = _sd_pg_query (self, _("count the people"), people_sql, 7, params, error)) == NULL ||
      (total = _sd_pg_query (self, _("count the people"), totals_sql, 7, params, error)) == NULL ||
      (households = _sd_pg_query (self, _("count the people"), households_sql, 1, params, error)) == NULL ||
      (elsewhere = _sd_pg_query (self, _("count the people"), elsewhere_sql, 1, params, error)) == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (people); r++)
    {
      guint sex = uint_at (people, r, 0), band = uint_at (people, r, 1), n = uint_at (people, r, 2);

      status->by_sex_age[sex][band] += n;
      status->persons += n;
    }
  status->stays.out_now = uint_at (total, 0, 0);
  status->stays.in_shelter = status->persons - status->stays.out_now;
  for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
    status->needs[totals[i]] = uint_at (total, 0, 1 + i);
  status->households = uint_at (households, 0, 0);
  status->households_with_pets = uint_at (households, 0, 1);
  status->stays.at_home = uint_at (elsewhere, 0, 0);
  status->stays.in_vehicle = uint_at (elsewhere, 0, 1);
  status->stays.at_relatives = uint_at (elsewhere, 0, 2);
  return TRUE;
}

static gboolean
read_shelters (SdPgStore        *self,
               const char       *code,
               SdShelterStatus  *status,
               char            **shelter_id,
               GError          **error)
{
  const char *params[] = { code };
  g_autoptr(PGresult) res = _sd_pg_query (self, _("look up the shelter"),
                                          "SELECT count (*), coalesce (sum (capacity), 0), max (id), max (code), "
                                          "  max (name) FROM shelters WHERE $1::text IS NULL OR code = $1::text",
                                          1, params, error);

  if (res == NULL)
    return FALSE;
  status->shelters = uint_at (res, 0, 0);
  status->capacity = (int) uint_at (res, 0, 1);
  if (code == NULL)
    {
      status->shelter_name = g_strdup (_("All shelters"));
      return TRUE;
    }
  if (status->shelters == 0)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no such shelter."));
      return FALSE;
    }
  *shelter_id = g_strdup (PQgetvalue (res, 0, 2));
  status->shelter_code = g_strdup (PQgetvalue (res, 0, 3));
  status->shelter_name = g_strdup (PQgetvalue (res, 0, 4));
  return TRUE;
}

static gboolean
read_condition (SdPgStore        *self,
                const char       *shelter_id,
                SdShelterStatus  *status,
                GError          **error)
{
  const char *params[] = { shelter_id };
  g_autoptr(PGresult) res = _sd_pg_query (self, _("read the shelter's condition"),
                                          "SELECT at, electricity, water, gas, communications, toilets, "
                                          "  supply_requests FROM shelter_conditions WHERE shelter_id = $1::text "
                                          "ORDER BY hlc DESC, id DESC LIMIT 1", 1, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;
  status->condition_at = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    sd_lifeline_state_from_string (PQgetvalue (res, 0, 1 + i), &status->lifelines[i]);
  if (!PQgetisnull (res, 0, 6))
    status->supply_requests = g_strdup (PQgetvalue (res, 0, 6));
  return TRUE;
}

SdShelterStatus *
sd_pg_store_compute_shelter_status (SdPgStore   *self,
                                    const char  *shelter_code,
                                    GError     **error)
{
  g_autoptr(SdShelterStatus) status = g_new0 (SdShelterStatus, 1);
  g_autofree char *shelter_id = NULL;
  gboolean ok;

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  /* Every number of one moment, while receivers merge. */
  if (!_sd_pg_exec (self, _("read the database"), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return NULL;
  ok = read_shelters (self, shelter_code, status, &shelter_id, error) &&
       count_people (self, shelter_id, status, error) &&
       (shelter_id == NULL || read_condition (self, shelter_id, status, error));
  PQclear (PQexec (_sd_pg_store_get_conn (self), ok ? "COMMIT" : "ROLLBACK"));
  return ok ? g_steal_pointer (&status) : NULL;
}

SdSafetyCount *
sd_pg_store_count_safety (SdPgStore   *self,
                          const char  *rollcall_id,
                          GError     **error)
{
  g_autoptr(SdSafetyCount) count = _sd_safety_count_new ();
  const char *params[] = { rollcall_id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  res = _sd_pg_query (self, _("count the answers"), SD_SAFETY_COUNT_SQL ("$1::text"), 1, params, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    _sd_safety_count_add (count, PQgetvalue (res, r, 0), PQgetvalue (res, r, 1),
                          PQgetisnull (res, r, 2) ? NULL : PQgetvalue (res, r, 2),
                          !PQgetisnull (res, r, 3) && g_ascii_strtoll (PQgetvalue (res, r, 3), NULL, 10) != 0,
                          PQgetisnull (res, r, 4) ? NULL : PQgetvalue (res, r, 4), uint_at (res, r, 5));
  return g_steal_pointer (&count);
}

gboolean
sd_pg_store_count_support_statuses (SdPgStore  *self,
                                    guint      *counts,
                                    GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), FALSE);

  memset (counts, 0, SD_N_SUPPORT_STATUSES * sizeof (guint));
  res = _sd_pg_query (self, _("count the support list"),
                      "SELECT coalesce (s.status, 'unconfirmed'), count (*) FROM support_persons p "
                      "LEFT JOIN support_state s ON s.support_person_id = p.id WHERE p.listed = 1 GROUP BY 1",
                      0, NULL, error);
  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    {
      SdSupportStatus status;

      if (sd_support_status_from_string (PQgetvalue (res, r, 0), &status))
        counts[status] = uint_at (res, r, 1);
    }
  return TRUE;
}

char *
sd_pg_store_support_districts_json (SdPgStore  *self,
                                    GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  res = _sd_pg_query (self, _("read the districts"),
                      "SELECT coalesce (json_agg (json_build_object ('district', district, 'listed', n, "
                      "  'unconfirmed', u) ORDER BY district IS NULL, district), '[]')::text FROM ("
                      "  SELECT p.district, count (*) AS n, "
                      "    count (*) FILTER (WHERE coalesce (s.status, 'unconfirmed') = 'unconfirmed') AS u "
                      "  FROM support_persons p LEFT JOIN support_state s ON s.support_person_id = p.id "
                      "  WHERE p.listed = 1 GROUP BY p.district) d", 0, NULL, error);
  return res != NULL ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;
}

GListModel *
sd_pg_store_list_safety_missing (SdPgStore   *self,
                                 SdStore     *hq,
                                 const char  *rollcall_id,
                                 GError     **error)
{
  g_autoptr(GHashTable) answered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *params[] = { rollcall_id };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  res = _sd_pg_query (self, _("read the answers"), "SELECT staff_id FROM safety_state WHERE rollcall_id = $1::text",
                      1, params, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    g_hash_table_add (answered, g_strdup (PQgetvalue (res, r, 0)));
  return _sd_safety_missing (hq, answered, error);
}

char *
sd_pg_store_sync_status_json (SdPgStore  *self,
                              GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (SD_IS_PG_STORE (self), NULL);

  /* Per origin: the changes held, the highest number, the highest below
   * the first hole, how many below the highest are missing, and when a
   * batch of it last came (ms). */
  res = _sd_pg_query (self, _("read the state of sync"),
                      "SELECT json_build_object ('batches', (SELECT count (*) FROM sync_batches), "
                      "  'chain_breaks', (SELECT count (*) FROM sync_batches WHERE chain_broken), "
                      "  'origins', coalesce ((SELECT json_agg (json_build_object ('site', o.site_id, "
                      "    'changes', o.n, 'highest', o.highest, 'held_without_hole', coalesce (h.seq, 0), "
                      "    'missing', o.highest - o.n, 'last_batch_at', (SELECT (extract (epoch FROM max (b.received_at)) "
                      "      * 1000)::bigint FROM sync_batches b WHERE b.from_site = o.site_id)) ORDER BY o.site_id) "
                      "  FROM (SELECT site_id, count (*) AS n, max (seq) AS highest FROM oplog GROUP BY site_id) o "
                      "  LEFT JOIN sync_holds h ON h.site_id = o.site_id), '[]'))::text", 0, NULL, error);
  return res != NULL ? g_strdup (PQgetvalue (res, 0, 0)) : NULL;
}
