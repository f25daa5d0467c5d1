/* sd-pg-counts.c: the counts PostgreSQL keeps for the all-shelter status report.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SQLite site keeps the city's counts as it writes (sd-migrations.c:
 * shelter_occupancy, staying_totals, staying_by_birth; sd-derive.c keeps
 * them by sets during a merge), so that the report over every shelter
 * reads at most a row per day of a century instead of every person.
 * PostgreSQL keeps the same three tables the way sd-derive.c does, in
 * each merge's transaction:
 *
 *   the sets   the persons the batch can move (those it touches, the
 *              members of the households it touches, the person of
 *              each of its events, as the event is and as its changes
 *              say: a new event is not in its table yet) and the
 *              households (those it touches, those its persons belong
 *              to, and every household its persons' changes name);
 *   before     what those sets count is taken out, before the rows are
 *              made again;
 *   after      what they count once the rows and where each person is
 *              are made is added; a row whose counts all reach zero is
 *              deleted, so that each table equals its recount row for
 *              row (the pg suite proves it after every random history).
 *
 * Each count is a sum over persons, or over households, so taking out
 * what a set counted and adding what it counts gives the recount when
 * the set holds everything the batch can move.  The arithmetic is the
 * recounts of sd-migrations.c in PostgreSQL's words.  The kept rows are
 * a few shared rows: receivers merging at once wait for each other from
 * here to their commit, in the same order (occupancy, totals, births).
 */
#include "sd-pg-private.h"

#include <glib/gi18n-lib.h>

#define STAYING(k) k " IN ('arrive', 'return', 'go_out')"
#define HAS_PETS(h) "(" h ".pets IS NOT NULL OR " h ".pets_count > 0)"
/* A person's birth date as the range key, '0000-00-00' when it is not one. */
#define BIRTH_KEY(b) \
  "CASE WHEN " b " ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' AND substr (" b ", 1, 4) <> '0000' " \
  "  AND substr (" b ", 6, 2) BETWEEN '01' AND '12' AND substr (" b ", 9, 2) BETWEEN '01' AND '31' " \
  "  THEN " b " ELSE '0000-00-00' END"
#define NEED_FLAGS(r) \
  "(coalesce (" r ".allergies, '') <> '')::int AS allergy, (coalesce (" r ".illness, '') <> '')::int AS illness, " \
  "(" r ".pregnant <> 0)::int AS pregnant, (coalesce (" r ".disability, '') <> '')::int AS disability, " \
  "(" r ".care_level IS DISTINCT FROM 'none')::int AS care, (coalesce (" r ".mobility, '') <> '')::int AS mobility, " \
  "(coalesce (" r ".language, '') <> '' AND " r ".language <> 'ja')::int AS language"
#define SEX_FLAGS(s) \
  "(" s " NOT IN ('male', 'female', 'not_applicable'))::int AS sex_unknown, " \
  "(" s " = 'male')::int AS male, (" s " = 'female')::int AS female, " \
  "(" s " = 'not_applicable')::int AS not_applicable"

/* The people PEOPLE (a FROM clause with persons p) stay, with where: a
 * person with their person_state s, staying. */
#define STAYING_OF(people) people " JOIN person_state s ON s.person_id = p.id WHERE " STAYING ("s.kind")

static const char tables_sql[] =
  "CREATE TABLE IF NOT EXISTS shelter_occupancy ("
  "  shelter_id text COLLATE \"C\" PRIMARY KEY,"
  "  in_shelter bigint NOT NULL, out_now bigint NOT NULL,"
  "  at_home bigint NOT NULL, in_vehicle bigint NOT NULL, at_relatives bigint NOT NULL);"
  "CREATE TABLE IF NOT EXISTS staying_totals ("
  "  id integer PRIMARY KEY CHECK (id = 1),"
  "  households bigint NOT NULL, households_with_pets bigint NOT NULL, out_now bigint NOT NULL,"
  "  allergy bigint NOT NULL, illness bigint NOT NULL, pregnant bigint NOT NULL, disability bigint NOT NULL,"
  "  care bigint NOT NULL, mobility bigint NOT NULL, language bigint NOT NULL);"
  "CREATE TABLE IF NOT EXISTS staying_by_birth ("
  "  birth_date text COLLATE \"C\" PRIMARY KEY,"
  "  sex_unknown bigint NOT NULL, male bigint NOT NULL, female bigint NOT NULL, not_applicable bigint NOT NULL);"
  /* What the sets and the recounts look up. */
  "CREATE INDEX IF NOT EXISTS persons_household ON persons (household_id);"
  /* The households away from the shelters (a few, or none at all): found
   * without reading every household. */
  "CREATE INDEX IF NOT EXISTS households_away ON households (id) WHERE stay IN ('home', 'vehicle', 'relatives');";

/* Each table's rows for the persons and households of FROM_PERSONS and
 * FROM_HOUSEHOLDS (FROM clauses naming persons p, households x), times
 * SIGN (a literal): the recount when they are every person and
 * household, the contribution of a set when they are the sets. */
#define OCCUPANCY(sign, person_ids, from_persons) \
  "SELECT sid, " sign " * sum (i), " sign " * sum (o), " sign " * sum (home), " sign " * sum (vehicle), " \
  sign " * sum (relatives) FROM (" \
  "  SELECT coalesce (s.shelter_id, '') AS sid, (s.kind <> 'go_out')::int AS i, (s.kind = 'go_out')::int AS o," \
  "    0 AS home, 0 AS vehicle, 0 AS relatives FROM " person_ids " JOIN person_state s ON s.person_id = d.id " \
  "  WHERE " STAYING ("s.kind") \
  "  UNION ALL" \
  "  SELECT coalesce (h.shelter_id, ''), 0, 0, (h.stay = 'home')::int, (h.stay = 'vehicle')::int," \
  "    (h.stay = 'relatives')::int FROM " from_persons " JOIN households h ON h.id = p.household_id" \
  "    LEFT JOIN person_state s ON s.person_id = p.id" \
  "  WHERE h.stay IN ('home', 'vehicle', 'relatives') AND s.kind IS DISTINCT FROM 'leave') x GROUP BY sid"
#define TOTALS(sign, from_persons, from_households) \
  "SELECT 1, hh.*, f.* FROM (" \
  "  SELECT " sign " * count (*), " sign " * coalesce (sum (" HAS_PETS ("h") "::int), 0)" \
  "  FROM " from_households " LEFT JOIN households h ON h.id = x.id" \
  "  WHERE EXISTS (SELECT 1 FROM persons p JOIN person_state s ON s.person_id = p.id" \
  "                WHERE p.household_id = x.id AND " STAYING ("s.kind") ")) hh, (" \
  "  SELECT " sign " * coalesce (sum (out_now), 0), " sign " * coalesce (sum (allergy), 0)," \
  "    " sign " * coalesce (sum (illness), 0), " sign " * coalesce (sum (pregnant), 0)," \
  "    " sign " * coalesce (sum (disability), 0), " sign " * coalesce (sum (care), 0)," \
  "    " sign " * coalesce (sum (mobility), 0), " sign " * coalesce (sum (language), 0) FROM (" \
  "    SELECT (s.kind = 'go_out')::int AS out_now, " NEED_FLAGS ("p") " FROM " STAYING_OF (from_persons) ") y) f"
#define BIRTHS(sign, from_persons) \
  "SELECT b, " sign " * sum (sex_unknown), " sign " * sum (male), " sign " * sum (female), " \
  sign " * sum (not_applicable) FROM (" \
  "  SELECT " BIRTH_KEY ("p.birth_date") " AS b, " SEX_FLAGS ("p.sex") " FROM " STAYING_OF (from_persons) ") x " \
  "GROUP BY b"

#define SET_PERSONS "sd_derive_persons d JOIN persons p ON p.id = d.id"
/* For a recount: everyone with a person_state, and every household
 * anyone is of or that is. */
#define ALL_STATES "(SELECT person_id AS id FROM person_state) d"
#define ALL_HOUSEHOLDS \
  "(SELECT id FROM households UNION SELECT household_id FROM persons WHERE household_id IS NOT NULL) x"
#define SET_HOUSEHOLDS "sd_derive_households x"

/* The sets' contribution, times $1 (-1 or 1), added; rows at zero deleted. */
static const char apply_sql[] =
  "INSERT INTO shelter_occupancy AS k (shelter_id, in_shelter, out_now, at_home, in_vehicle, at_relatives) "
  OCCUPANCY ("$1::bigint", "sd_derive_persons d", SET_PERSONS) " ORDER BY sid "
  "ON CONFLICT (shelter_id) DO UPDATE SET in_shelter = k.in_shelter + excluded.in_shelter,"
  "  out_now = k.out_now + excluded.out_now, at_home = k.at_home + excluded.at_home,"
  "  in_vehicle = k.in_vehicle + excluded.in_vehicle, at_relatives = k.at_relatives + excluded.at_relatives";

static const char apply_totals_sql[] =
  "UPDATE staying_totals k SET households = k.households + c.households,"
  "  households_with_pets = k.households_with_pets + c.pets, out_now = k.out_now + c.out_now,"
  "  allergy = k.allergy + c.allergy, illness = k.illness + c.illness, pregnant = k.pregnant + c.pregnant,"
  "  disability = k.disability + c.disability, care = k.care + c.care, mobility = k.mobility + c.mobility,"
  "  language = k.language + c.language "
  "FROM (" TOTALS ("$1::bigint", SET_PERSONS, SET_HOUSEHOLDS) ") "
  "  AS c (id, households, pets, out_now, allergy, illness, pregnant, disability, care, mobility, language) "
  "WHERE k.id = 1";

static const char apply_births_sql[] =
  "INSERT INTO staying_by_birth AS k (birth_date, sex_unknown, male, female, not_applicable) "
  BIRTHS ("$1::bigint", SET_PERSONS) " ORDER BY b "
  "ON CONFLICT (birth_date) DO UPDATE SET sex_unknown = k.sex_unknown + excluded.sex_unknown,"
  "  male = k.male + excluded.male, female = k.female + excluded.female,"
  "  not_applicable = k.not_applicable + excluded.not_applicable";

static const char prune_sql[] =
  "DELETE FROM shelter_occupancy WHERE in_shelter = 0 AND out_now = 0 AND at_home = 0 AND in_vehicle = 0 "
  "  AND at_relatives = 0;"
  "DELETE FROM staying_by_birth WHERE sex_unknown = 0 AND male = 0 AND female = 0 AND not_applicable = 0";

/* Everything, counted from the rows. */
static const char recount_sql[] =
  "DELETE FROM shelter_occupancy; DELETE FROM staying_totals; DELETE FROM staying_by_birth;"
  "INSERT INTO shelter_occupancy " OCCUPANCY ("1", ALL_STATES, "persons p") ";"
  "INSERT INTO staying_totals " TOTALS ("1", "persons p", ALL_HOUSEHOLDS) ";"
  "INSERT INTO staying_by_birth " BIRTHS ("1", "persons p");

/* The persons and households a batch can move, from the touched rows
 * (sd_touched) as they are before it and from its changes' fields
 * (sd_fields, read from JSON once): a field's value after the merge is
 * the one before it, one of the batch's, or none, so these name every
 * person an event can be of and every household a person can be in. */
#define FIELD_OF(table, field) "(SELECT n::text FROM oplog_fields WHERE tbl = '" table "' AND name = '" field "')"
static const char sets_sql[] =
  "CREATE TEMP TABLE IF NOT EXISTS sd_derive_persons (id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DELETE ROWS;"
  "CREATE TEMP TABLE IF NOT EXISTS sd_derive_households (id text COLLATE \"C\" PRIMARY KEY) ON COMMIT DELETE ROWS;"
  "INSERT INTO sd_derive_persons SELECT row_id FROM sd_touched WHERE tbl = 'persons' ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_persons SELECT p.id FROM sd_touched t JOIN persons p ON p.household_id = t.row_id "
  "  WHERE t.tbl = 'households' ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_persons SELECT e.person_id FROM sd_touched t JOIN person_events e ON e.id = t.row_id "
  "  WHERE t.tbl = 'person_events' ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_persons SELECT DISTINCT f.value #>> '{}' FROM sd_fields f "
  "  WHERE f.tbl = 'person_events' AND f.key = " FIELD_OF ("person_events", "person_id")
  "    AND jsonb_typeof (f.value) = 'string' ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_households SELECT row_id FROM sd_touched WHERE tbl = 'households' "
  "  ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_households SELECT DISTINCT p.household_id FROM sd_derive_persons d "
  "  JOIN persons p ON p.id = d.id WHERE p.household_id IS NOT NULL ON CONFLICT DO NOTHING;"
  "INSERT INTO sd_derive_households SELECT DISTINCT f.value #>> '{}' FROM sd_fields f "
  "  WHERE f.tbl = 'persons' AND f.key = " FIELD_OF ("persons", "household_id")
  "    AND jsonb_typeof (f.value) = 'string' ON CONFLICT DO NOTHING;"
  /* Their sizes, for the plans of the counts below. */
  "ANALYZE sd_derive_persons; ANALYZE sd_derive_households";

gboolean
_sd_pg_counts_ensure (SdPgStore  *self,
                      GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  if (!_sd_pg_exec (self, _("make the schema"), tables_sql, error))
    return FALSE;
  /* Made just now (or never filled): counted once from the rows. */
  res = _sd_pg_query (self, _("make the schema"), "SELECT count (*) FROM staying_totals", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  return !g_str_equal (PQgetvalue (res, 0, 0), "0") || _sd_pg_counts_recount (self, error);
}

gboolean
_sd_pg_counts_recount (SdPgStore  *self,
                       GError    **error)
{
  return _sd_pg_exec (self, _("count the people"), recount_sql, error);
}

static gboolean
apply (SdPgStore   *self,
       const char  *sign,
       GError     **error)
{
  const char *params[] = { sign };
  g_autoptr(PGresult) occupancy = NULL, totals = NULL, births = NULL;

  return (occupancy = _sd_pg_query (self, _("merge the batch"), apply_sql, 1, params, error)) != NULL &&
         (totals = _sd_pg_query (self, _("merge the batch"), apply_totals_sql, 1, params, error)) != NULL &&
         (births = _sd_pg_query (self, _("merge the batch"), apply_births_sql, 1, params, error)) != NULL;
}

gboolean
_sd_pg_counts_before (SdPgStore  *self,
                      GError    **error)
{
  return _sd_pg_exec (self, _("merge the batch"), sets_sql, error) && apply (self, "-1", error);
}

gboolean
_sd_pg_counts_after (SdPgStore  *self,
                     GError    **error)
{
  /* The sets empty themselves at the commit, or the rollback before a
   * merge is run again. */
  return apply (self, "1", error) && _sd_pg_exec (self, _("merge the batch"), prune_sql, error);
}

gboolean
_sd_pg_counts_differ (SdPgStore  *self,
                      gboolean   *differ,
                      GError    **error)
{
  g_autoptr(PGresult) res = NULL;

  /* The kept rows against a recount, both ways. */
  res = _sd_pg_query (self, _("count the people"),
    "SELECT"
    "  (SELECT count (*) FROM ((SELECT * FROM shelter_occupancy EXCEPT ALL " OCCUPANCY ("1", ALL_STATES, "persons p") ")"
    "     UNION ALL (" OCCUPANCY ("1", ALL_STATES, "persons p") " EXCEPT ALL SELECT * FROM shelter_occupancy)) a)"
    " + (SELECT count (*) FROM ((SELECT * FROM staying_totals EXCEPT ALL " TOTALS ("1", "persons p", ALL_HOUSEHOLDS) ")"
    "     UNION ALL (" TOTALS ("1", "persons p", ALL_HOUSEHOLDS) " EXCEPT ALL SELECT * FROM staying_totals)) b)"
    " + (SELECT count (*) FROM ((SELECT * FROM staying_by_birth EXCEPT ALL " BIRTHS ("1", "persons p") ")"
    "     UNION ALL (" BIRTHS ("1", "persons p") " EXCEPT ALL SELECT * FROM staying_by_birth)) c)", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  *differ = !g_str_equal (PQgetvalue (res, 0, 0), "0");
  return TRUE;
}
