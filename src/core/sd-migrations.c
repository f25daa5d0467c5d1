/* sd-migrations.c: the database schema, one step per PRAGMA user_version, and op-log capture.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The migrations due run in one BEGIN IMMEDIATE transaction that also
 * sets user_version, so a crash leaves the file at the old version or the
 * new one, never between.  Steps are never edited once released: a change
 * is a new step.
 *
 * Capture.  Every synced table has triggers that append one op-log row
 * per row changed (schema 7, see "version 7" below): origin site,
 * per-site sequence, transaction, HLC, kind, table, row id and the
 * fields written, in the same transaction as the write.  The triggers
 * call SQL functions that only a connection opened by SdStore defines:
 *
 *   sd_site()     this site's number in the file (oplog_sites)
 *   sd_txn()      the open transaction's id: the seq of its first change
 *   sd_hlc()      the next tick of the site's hybrid logical clock
 *   sd_capture()  1, or 0 while importing another site's operations
 *
 * and the pure encoders of sd-oplog.c (sd_row_key, sd_pack,
 * sd_pack_changed).  So a program that opens the file with plain SQLite
 * (the sqlite3 shell, say) cannot write a synced table at all: the
 * trigger fails with "no such function".  Dropping the triggers to get
 * round that is caught on the next open (_sd_check_schema, which compares
 * every object with what this build makes) and rows without op-log
 * entries are caught by sd_store_check().
 *
 * The sequence number is computed inside each INSERT from the op-log
 * itself rather than from a counter in memory, so a rolled-back statement
 * or savepoint can never leave a gap that a receiver would take for lost
 * operations.
 */
#include "sd-oplog.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>

typedef struct {
  const char *table;
  const char *const *columns;  /* every column but "id" */
  gboolean append_only;        /* events: rows are never updated or deleted */
} CaptureSpec;

/* ---- version 1: sites, shelters, households, persons, events, staff, support list ---- */

static const char schema_v1[] =
  "PRAGMA application_id = 1396984625;"  /* SD_APPLICATION_ID */

  /* This site's identity and settings: local, never synced. */
  "CREATE TABLE site ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  site_id TEXT NOT NULL,"
  "  site_name TEXT NOT NULL,"
  "  is_demo INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE oplog ("
  "  site_id TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  tbl TEXT NOT NULL,"
  "  row_id TEXT NOT NULL,"
  "  field TEXT NOT NULL,"
  "  value,"
  "  PRIMARY KEY (site_id, seq)"
  ") WITHOUT ROWID;"
  "CREATE INDEX oplog_hlc ON oplog (hlc);"
  "CREATE INDEX oplog_row ON oplog (tbl, row_id);"

  /* No UNIQUE constraints on synced tables: two kiosks may each create a
   * row the other also has, and the merge must be able to fold both in
   * (codes are checked by the core API instead). */
  "CREATE TABLE shelters ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  code TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('designated', 'welfare', 'temporary')),"
  "  capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),"
  "  address TEXT,"
  "  is_open INTEGER NOT NULL DEFAULT 0 CHECK (is_open IN (0, 1)),"
  "  opened_at INTEGER"
  ");"
  "CREATE INDEX shelters_code ON shelters (code);"

  "CREATE TABLE households ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  shelter_id TEXT REFERENCES shelters (id),"
  "  stay TEXT NOT NULL CHECK (stay IN ('shelter', 'home', 'vehicle', 'relatives')),"
  "  vehicle_plate TEXT,"
  "  address TEXT,"
  "  phone TEXT,"
  "  representative_id TEXT,"
  "  created_at INTEGER NOT NULL"
  ");"

  "CREATE TABLE persons ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  household_id TEXT NOT NULL REFERENCES households (id),"
  "  name TEXT NOT NULL,"
  "  kana TEXT,"
  "  birth_date TEXT,"
  "  sex TEXT NOT NULL DEFAULT 'unknown'"
  "    CHECK (sex IN ('unknown', 'male', 'female', 'not_applicable')),"
  "  address TEXT,"
  "  phone TEXT,"
  "  consent_disclose INTEGER NOT NULL DEFAULT 0 CHECK (consent_disclose IN (0, 1)),"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX persons_household ON persons (household_id);"

  /* Facts over time, never changed: a person's status is their newest
   * status-changing event, ordered by HLC. */
  "CREATE TABLE person_events ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  person_id TEXT NOT NULL REFERENCES persons (id),"
  "  shelter_id TEXT REFERENCES shelters (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('arrive', 'go_out', 'return', 'leave', 'supply')),"
  "  at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  staff_id TEXT"
  ");"
  "CREATE INDEX person_events_person ON person_events (person_id, hlc);"
  "CREATE INDEX person_events_shelter ON person_events (shelter_id);"

  /* Each person's newest status-changing event: where they are now.
   * Ties between sites on the same HLC are broken by the event id so every
   * replica derives the same status. */
  "CREATE VIEW person_latest AS"
  "  SELECT e.person_id, e.kind, e.shelter_id, e.at, e.hlc FROM person_events e"
  "  WHERE e.kind != 'supply' AND NOT EXISTS ("
  "    SELECT 1 FROM person_events n"
  "    WHERE n.person_id = e.person_id AND n.kind != 'supply' AND (n.hlc, n.id) > (e.hlc, e.id));"

  "CREATE TABLE staff ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  staff_no TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  kana TEXT,"
  "  department TEXT,"
  "  section TEXT,"
  "  rank TEXT,"
  "  role TEXT NOT NULL CHECK (role IN ('volunteer', 'lead', 'hq')),"
  "  pin_hash TEXT,"
  "  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))"
  ");"
  "CREATE INDEX staff_no ON staff (staff_no);"

  /* Wrong-PIN counting is this kiosk's own business: never synced. */
  "CREATE TABLE signin_state ("
  "  staff_id TEXT PRIMARY KEY NOT NULL,"
  "  failures INTEGER NOT NULL DEFAULT 0,"
  "  locked_until INTEGER NOT NULL DEFAULT 0"
  ");"

  "CREATE TABLE support_persons ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  external_id TEXT,"
  "  name TEXT NOT NULL,"
  "  kana TEXT,"
  "  sex TEXT NOT NULL DEFAULT 'unknown'"
  "    CHECK (sex IN ('unknown', 'male', 'female', 'not_applicable')),"
  "  birth_date TEXT,"
  "  address TEXT,"
  "  phone TEXT,"
  "  reason TEXT,"
  "  consent_share INTEGER NOT NULL DEFAULT 0 CHECK (consent_share IN (0, 1)),"
  "  created_at INTEGER NOT NULL"
  ");";

static const char *const shelters_v1[] = {
  "code", "name", "kind", "capacity", "address", "is_open", "opened_at", NULL };
static const char *const households_v1[] = {
  "shelter_id", "stay", "vehicle_plate", "address", "phone", "representative_id", "created_at", NULL };
static const char *const persons_v1[] = {
  "household_id", "name", "kana", "birth_date", "sex", "address", "phone",
  "consent_disclose", "created_at", NULL };
static const char *const person_events_v1[] = {
  "person_id", "shelter_id", "kind", "at", "hlc", "staff_id", NULL };
static const char *const staff_v1[] = {
  "staff_no", "name", "kana", "department", "section", "rank", "role", "pin_hash", "active", NULL };
static const char *const support_persons_v1[] = {
  "external_id", "name", "kana", "sex", "birth_date", "address", "phone", "reason",
  "consent_share", "created_at", NULL };

static const CaptureSpec capture_v1[] = {
  { "shelters", shelters_v1, FALSE },
  { "households", households_v1, FALSE },
  { "persons", persons_v1, FALSE },
  { "person_events", person_events_v1, TRUE },
  { "staff", staff_v1, FALSE },
  { "support_persons", support_persons_v1, FALSE },
};

/* ---- version 2: needs, derived state and search keys, shelter conditions ---- */

static const char schema_v2[] =
  "ALTER TABLE persons ADD COLUMN allergies TEXT;"
  "ALTER TABLE persons ADD COLUMN illness TEXT;"
  "ALTER TABLE persons ADD COLUMN pregnant INTEGER NOT NULL DEFAULT 0 CHECK (pregnant IN (0, 1));"
  "ALTER TABLE persons ADD COLUMN disability TEXT;"
  "ALTER TABLE persons ADD COLUMN care_level TEXT NOT NULL DEFAULT 'none'"
  "  CHECK (care_level IN ('none', 'support1', 'support2', 'care1', 'care2', 'care3', 'care4', 'care5'));"
  "ALTER TABLE persons ADD COLUMN mobility TEXT;"
  "ALTER TABLE persons ADD COLUMN language TEXT;"
  "ALTER TABLE households ADD COLUMN house_damage TEXT NOT NULL DEFAULT 'unknown'"
  "  CHECK (house_damage IN ('unknown', 'none', 'partial', 'semi_half', 'half', 'medium_half',"
  "                          'major_half', 'total'));"
  "ALTER TABLE households ADD COLUMN pets TEXT;"
  "ALTER TABLE households ADD COLUMN pets_count INTEGER NOT NULL DEFAULT 0 CHECK (pets_count >= 0);"
  "CREATE INDEX households_shelter ON households (shelter_id, stay);"
  "CREATE INDEX households_stay ON households (stay);"

  /* Where each person is now, kept by a trigger from their events: the
   * newest status-changing event by (hlc, id), whatever order events
   * arrive in (here or from another kiosk), so occupancy and reports read
   * one row per person instead of searching every event.  Derived and
   * local: never captured, never synced. */
  "CREATE TABLE person_state ("
  "  person_id TEXT PRIMARY KEY NOT NULL,"
  "  event_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  shelter_id TEXT,"
  "  at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX person_state_shelter ON person_state (shelter_id, kind);"
  "INSERT INTO person_state (person_id, event_id, kind, shelter_id, at, hlc)"
  "  SELECT person_id, id, kind, shelter_id, at, hlc FROM ("
  "    SELECT e.*, row_number () OVER (PARTITION BY person_id ORDER BY hlc DESC, id DESC) AS n"
  "    FROM person_events e WHERE kind != 'supply') WHERE n = 1;"
  "CREATE TRIGGER person_state_follow AFTER INSERT ON person_events WHEN NEW.kind != 'supply' BEGIN"
  "  INSERT INTO person_state (person_id, event_id, kind, shelter_id, at, hlc)"
  "    VALUES (NEW.person_id, NEW.id, NEW.kind, NEW.shelter_id, NEW.at, NEW.hlc)"
  "  ON CONFLICT (person_id) DO UPDATE SET event_id = excluded.event_id, kind = excluded.kind,"
  "    shelter_id = excluded.shelter_id, at = excluded.at, hlc = excluded.hlc"
  "  WHERE (excluded.hlc, excluded.event_id) > (person_state.hlc, person_state.event_id);"
  "END;"
  "DROP VIEW person_latest;"
  "CREATE VIEW person_latest AS SELECT person_id, kind, shelter_id, at, hlc FROM person_state;"

  /* Search keys, kept by triggers through sd_search_keys() (see
   * sd-person.c): folded names and kana and their parts, phone digits and
   * their last four, the birth date.  Derived and local too. */
  "CREATE TABLE person_keys ("
  "  key TEXT NOT NULL,"
  "  person_id TEXT NOT NULL,"
  "  PRIMARY KEY (key, person_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX person_keys_person ON person_keys (person_id);"
  "CREATE TRIGGER person_keys_insert AFTER INSERT ON persons BEGIN"
  "  INSERT OR IGNORE INTO person_keys (key, person_id)"
  "    SELECT value, NEW.id FROM json_each (sd_search_keys (NEW.name, NEW.kana,"
  "      coalesce (NEW.phone, (SELECT phone FROM households WHERE id = NEW.household_id)), NEW.birth_date));"
  "END;"
  "CREATE TRIGGER person_keys_update AFTER UPDATE OF name, kana, phone, birth_date, household_id ON persons BEGIN"
  "  DELETE FROM person_keys WHERE person_id = OLD.id;"
  "  INSERT OR IGNORE INTO person_keys (key, person_id)"
  "    SELECT value, NEW.id FROM json_each (sd_search_keys (NEW.name, NEW.kana,"
  "      coalesce (NEW.phone, (SELECT phone FROM households WHERE id = NEW.household_id)), NEW.birth_date));"
  "END;"
  "CREATE TRIGGER person_keys_delete AFTER DELETE ON persons BEGIN"
  "  DELETE FROM person_keys WHERE person_id = OLD.id;"
  "END;"
  "INSERT OR IGNORE INTO person_keys (key, person_id)"
  "  SELECT k.value, p.id FROM persons p LEFT JOIN households h ON h.id = p.household_id,"
  "    json_each (sd_search_keys (p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date)) k;"

  /* What the shelter lead judges for the status report: lifelines and
   * supply requests.  Kept as records over time, never overwritten. */
  "CREATE TABLE shelter_conditions ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  shelter_id TEXT NOT NULL REFERENCES shelters (id),"
  "  at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  electricity TEXT NOT NULL DEFAULT 'unknown',"
  "  water TEXT NOT NULL DEFAULT 'unknown',"
  "  gas TEXT NOT NULL DEFAULT 'unknown',"
  "  communications TEXT NOT NULL DEFAULT 'unknown',"
  "  toilets TEXT NOT NULL DEFAULT 'unknown',"
  "  supply_requests TEXT,"
  "  note TEXT,"
  "  staff_id TEXT"
  ");"
  "CREATE INDEX shelter_conditions_shelter ON shelter_conditions (shelter_id, hlc);";

static const char *const households_v2[] = {
  "shelter_id", "stay", "vehicle_plate", "address", "phone", "representative_id", "created_at",
  "house_damage", "pets", "pets_count", NULL };
static const char *const persons_v2[] = {
  "household_id", "name", "kana", "birth_date", "sex", "address", "phone",
  "consent_disclose", "created_at", "allergies", "illness", "pregnant", "disability",
  "care_level", "mobility", "language", NULL };
static const char *const shelter_conditions_v2[] = {
  "shelter_id", "at", "hlc", "electricity", "water", "gas", "communications", "toilets",
  "supply_requests", "note", "staff_id", NULL };


#define OPLOG_INSERT \
  "INSERT INTO oplog (site_id, seq, hlc, tbl, row_id, field, value) "
#define NEXT_SEQ \
  "(SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site_id = sd_site ())"

/* Row ids never change, and rows of an append-only table are never
 * changed or deleted: TRUE when the table is append-only (no update or
 * delete capture to add). */
static gboolean
append_guards (GString    *sql,
               const char *t,
               gboolean    append_only)
{
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS guard_%s_id;"
                          "CREATE TRIGGER guard_%s_id BEFORE UPDATE OF id ON %s "
                          "BEGIN SELECT RAISE (ABORT, 'row ids never change'); END;",
                          t, t, t);
  if (append_only)
    g_string_append_printf (sql,
                            "DROP TRIGGER IF EXISTS capture_%s_update;"
                            "CREATE TRIGGER capture_%s_update BEFORE UPDATE ON %s "
                            "BEGIN SELECT RAISE (ABORT, 'events are never changed'); END;"
                            "DROP TRIGGER IF EXISTS capture_%s_delete;"
                            "CREATE TRIGGER capture_%s_delete BEFORE DELETE ON %s "
                            "BEGIN SELECT RAISE (ABORT, 'events are never deleted'); END;",
                            t, t, t, t, t, t);
  return append_only;
}

/* The capture triggers of schemas 1 to 6: one op-log row per field. */
static char *
capture_sql_v1 (const CaptureSpec *spec)
{
  GString *sql = g_string_new (NULL);
  const char *t = spec->table;

  /* Every field of a new row, so a replica can build it from the log. */
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_insert;"
                          "CREATE TRIGGER capture_%s_insert AFTER INSERT ON %s WHEN sd_capture () BEGIN ",
                          t, t, t);
  for (guint i = 0; spec->columns[i] != NULL; i++)
    g_string_append_printf (sql,
                            OPLOG_INSERT "VALUES (sd_site (), " NEXT_SEQ ", sd_hlc (), '%s', NEW.id, '%s', NEW.%s);",
                            t, spec->columns[i], spec->columns[i]);
  g_string_append (sql, "END;");

  if (append_guards (sql, t, spec->append_only))
    return g_string_free (sql, FALSE);

  /* Only the fields that really changed: per-field last-writer-wins. */
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_update;"
                          "CREATE TRIGGER capture_%s_update AFTER UPDATE ON %s WHEN sd_capture () BEGIN ",
                          t, t, t);
  for (guint i = 0; spec->columns[i] != NULL; i++)
    g_string_append_printf (sql,
                            OPLOG_INSERT "SELECT sd_site (), " NEXT_SEQ ", sd_hlc (), '%s', NEW.id, '%s', NEW.%s "
                            "WHERE OLD.%s IS NOT NEW.%s;",
                            t, spec->columns[i], spec->columns[i], spec->columns[i], spec->columns[i]);
  g_string_append (sql, "END;");

  /* A deletion is an operation too: field "" with no value. */
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_delete;"
                          "CREATE TRIGGER capture_%s_delete AFTER DELETE ON %s WHEN sd_capture () BEGIN "
                          OPLOG_INSERT "VALUES (sd_site (), " NEXT_SEQ ", sd_hlc (), '%s', OLD.id, '', NULL);"
                          "END;",
                          t, t, t, t);
  return g_string_free (sql, FALSE);
}

static gboolean
exec_sql (sqlite3     *db,
          const char  *sql,
          GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not update the database structure: %s"), msg ? msg : "?");
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_sqlite_error (sqlite3  *db,
                  GError  **error)
{
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
               _("Could not update the database structure: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
install_capture (sqlite3           *db,
                 const CaptureSpec *specs,
                 guint              n_specs,
                 GError           **error)
{
  for (guint i = 0; i < n_specs; i++)
    {
      g_autofree char *sql = capture_sql_v1 (&specs[i]);

      if (!exec_sql (db, sql, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
migrate_to_1 (sqlite3  *db,
              GError  **error)
{
  return exec_sql (db, schema_v1, error) &&
         install_capture (db, capture_v1, G_N_ELEMENTS (capture_v1), error);
}

static gboolean
migrate_to_2 (sqlite3  *db,
              GError  **error)
{
  /* Only the tables whose columns changed get new capture triggers. */
  static const CaptureSpec changed[] = {
    { "households", households_v2, FALSE },
    { "persons", persons_v2, FALSE },
    { "shelter_conditions", shelter_conditions_v2, TRUE },
  };

  return exec_sql (db, schema_v2, error) &&
         install_capture (db, changed, G_N_ELEMENTS (changed), error);
}

/* ---- version 3: evacuee card keys, the check-in desk's scan settings ---- */

static const char schema_v3[] =
  /* The deployment's card keys (Ed25519): local, never synced; the seed
   * (secret) is present where this site may issue cards. */
  "CREATE TABLE card_keys ("
  "  key_id INTEGER PRIMARY KEY NOT NULL,"
  "  public_key BLOB NOT NULL CHECK (length (public_key) = 32),"
  "  seed BLOB CHECK (seed IS NULL OR length (seed) = 32),"
  "  is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1)),"
  "  added_at INTEGER NOT NULL"
  ");"
  /* What a scan at this kiosk records, shared by the desk and the CLI. */
  "ALTER TABLE site ADD COLUMN scan_mode TEXT NOT NULL DEFAULT 'arrive'"
  "  CHECK (scan_mode IN ('arrive', 'go_out', 'return', 'leave', 'supply'));"
  "ALTER TABLE site ADD COLUMN scan_shelter_id TEXT;"
  "ALTER TABLE site ADD COLUMN scan_repeat_seconds INTEGER NOT NULL DEFAULT 60"
  "  CHECK (scan_repeat_seconds BETWEEN 0 AND 86400);"
  /* "Was this person scanned for this moments ago": newest event of a kind. */
  "CREATE INDEX person_events_kind ON person_events (person_id, kind, at);";

static gboolean
migrate_to_3 (sqlite3  *db,
              GError  **error)
{
  return exec_sql (db, schema_v3, error);
}

/* ---- version 4: the op-log and the site's identity guarded, site settings captured ---- */

#define GUARD_OPLOG_UPDATE \
  "CREATE TRIGGER guard_oplog_update BEFORE UPDATE ON oplog " \
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is never changed'); END;"

static const char schema_v4[] =
  /* The op-log is only ever appended to, and only by a connection that
   * ShelterDesk opened (plain SQLite has no sd_capture () and fails). */
  "CREATE TRIGGER guard_oplog_insert BEFORE INSERT ON oplog WHEN sd_capture () IS NULL "
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is written by ShelterDesk only'); END;"
  GUARD_OPLOG_UPDATE
  "CREATE TRIGGER guard_oplog_delete BEFORE DELETE ON oplog "
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is never deleted from'); END;"
  /* A site keeps its id for ever: it names its operations everywhere.
   * Only a rescue, which continues the same site in a new file, sets it
   * (with capture off). */
  "CREATE TRIGGER guard_site_id BEFORE UPDATE OF site_id ON site WHEN sd_capture () "
  "BEGIN SELECT RAISE (ABORT, 'a site never changes its id'); END;"
  /* The site's name and demo flag are settings a person changes: they
   * are recorded like any other change, so plain SQLite cannot flip a
   * real site into a demo that signs in without a PIN. */
  "CREATE TRIGGER capture_site_update AFTER UPDATE OF site_name, is_demo ON site WHEN sd_capture () BEGIN "
  OPLOG_INSERT "SELECT sd_site (), " NEXT_SEQ ", sd_hlc (), 'site', NEW.site_id, 'site_name', NEW.site_name "
  "  WHERE OLD.site_name IS NOT NEW.site_name;"
  OPLOG_INSERT "SELECT sd_site (), " NEXT_SEQ ", sd_hlc (), 'site', NEW.site_id, 'is_demo', NEW.is_demo "
  "  WHERE OLD.is_demo IS NOT NEW.is_demo;"
  "END;"
  /* A site's first operation names it, so a site id changed behind
   * ShelterDesk's back is one with no history of its own (check). */
  "CREATE TRIGGER capture_site_insert AFTER INSERT ON site WHEN sd_capture () BEGIN "
  OPLOG_INSERT "VALUES (NEW.site_id, (SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site_id = NEW.site_id), "
  "  sd_hlc (), 'site', NEW.site_id, 'site_name', NEW.site_name);"
  "END;"
  "INSERT INTO oplog (site_id, seq, hlc, tbl, row_id, field, value) "
  "  SELECT site_id, (SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE oplog.site_id = site.site_id), "
  "    sd_hlc (), 'site', site_id, 'site_name', site_name FROM site;"
  /* Stretches of a site's sequence known to be lost (a rescue, and later
   * a peer's batch that never came): recorded and shown, never papered
   * over, so that check can tell them from changes taken out.  Local. */
  "CREATE TABLE oplog_gaps ("
  "  site_id TEXT NOT NULL,"
  "  first_seq INTEGER NOT NULL,"
  "  last_seq INTEGER NOT NULL CHECK (last_seq >= first_seq),"
  "  noted_at INTEGER NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  PRIMARY KEY (site_id, first_seq)"
  ") WITHOUT ROWID;";

static gboolean
migrate_to_4 (sqlite3  *db,
              GError  **error)
{
  return exec_sql (db, schema_v4, error);
}

/* ---- version 5: search keys that read romaji, fold accents and variation selectors ---- */

gboolean
_sd_rebuild_person_keys (sqlite3  *db,
                         GError  **error)
{
  return exec_sql (db,
                   "DELETE FROM person_keys;"
                   "INSERT OR IGNORE INTO person_keys (key, person_id)"
                   "  SELECT k.value, p.id FROM persons p LEFT JOIN households h ON h.id = p.household_id,"
                   "    json_each (sd_search_keys (p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date)) k;",
                   error);
}

/* person_keys is derived from persons by sd_search_keys(), so when what
 * that function returns changes (here: folding Zoé to zoe and 葛󠄀 to 葛,
 * and the new r<reading> keys, sd-person-search.c), the people registered
 * before would not be found by the new keys: compute them all again.
 * No schema change, so this step stands alone wherever it is numbered.
 * It is the one slow step: seconds at 100 000 persons (bench-intake). */
static gboolean
migrate_rebuild_person_keys (sqlite3  *db,
                             GError  **error)
{
  return _sd_rebuild_person_keys (db, error);
}

/* ---- version 6: PIN hashes kept apart, never in the op-log ---- */

/* A PIN hash in the op-log would travel in every batch to every kiosk,
 * where a stolen one gives all of them up to an offline search (4-digit
 * PINs in under an hour).  So hashes live in staff_pins, local like
 * signin_state: each site holds only the PINs of the people who sign in
 * there (docs/security.md).  The hashes already in the op-log are blanked
 * (sync has not carried any yet); the entries stay, so the sequence stays
 * dense, and replay passes over the retired field. */
static const char schema_v6[] =
  "CREATE TABLE staff_pins ("
  "  staff_id TEXT PRIMARY KEY NOT NULL,"
  "  pin_hash TEXT NOT NULL"
  ");"
  "INSERT INTO staff_pins (staff_id, pin_hash) SELECT id, pin_hash FROM staff WHERE pin_hash IS NOT NULL;"
  "DROP TRIGGER capture_staff_insert;"
  "DROP TRIGGER capture_staff_update;"
  "ALTER TABLE staff DROP COLUMN pin_hash;"
  "DROP TRIGGER guard_oplog_update;"
  "UPDATE oplog SET value = NULL WHERE tbl = 'staff' AND field = 'pin_hash';"
  GUARD_OPLOG_UPDATE;

static const char *const staff_v6[] = {
  "staff_no", "name", "kana", "department", "section", "rank", "role", "active", NULL };

static gboolean
migrate_to_6 (sqlite3  *db,
              GError  **error)
{
  static const CaptureSpec changed[] = {
    { "staff", staff_v6, FALSE },
  };

  return exec_sql (db, schema_v6, error) &&
         install_capture (db, changed, G_N_ELEMENTS (changed), error);
}

/* ---- version 7: a compact op-log that carries what sync needs ---- */

/* Until schema 6 each field written was its own op-log row, with the site,
 * table, field and row id as text: 26 rows and 7.3 KB for each person
 * registered (tests/bench/bench-intake.c).  From schema 7 one row is one
 * change of one row:
 *
 *   site    the site that made it, a small number (oplog_sites) standing
 *           for its 128-bit id in this file only
 *   seq     dense per site from 1: what a peer acknowledges
 *   txn     the seq of the first change of the same transaction at that
 *           site: all changes of one action (a household and its members
 *           and their check-in) share it, so a batch never carries half
 *           an action
 *   hlc     the hybrid logical clock when it was made
 *   kind    SdOpKind: insert, update, delete, event
 *   tbl     the table, a number (oplog_tables)
 *   row_id  the row's UUID as 16 bytes (sd-oplog.c)
 *   fields  the fields written, one JSON object from field number
 *           (oplog_fields) to value; NULL for a deletion
 *
 * Table and field numbers are given here once and for ever: a column
 * added later takes the next number of its table, and a column taken out
 * keeps its number as a retired field (staff's PIN hash, schema 6), so an
 * old change always means what it meant.  Replay reads the numbers from
 * the file's own lookup tables. */
typedef struct {
  guint              number;       /* oplog_tables.n */
  const char        *table;
  const char *const *fields;       /* field n is fields[n - 1] */
  const char *const *retired;      /* fields no longer in the table */
  gboolean           append_only;  /* events: rows are never updated or deleted */
} OplogTable;

static const char *const site_fields_v7[] = { "site_name", "is_demo", NULL };
static const char *const staff_fields_v7[] = {
  "staff_no", "name", "kana", "department", "section", "rank", "role", "active", "pin_hash", NULL };
static const char *const staff_retired_v7[] = { "pin_hash", NULL };
static const char *const none[] = { NULL };

static const OplogTable oplog_tables_v7[] = {
  { 1, "site", site_fields_v7, none, FALSE },  /* its own triggers: schema_v7 */
  { 2, "shelters", shelters_v1, none, FALSE },
  { 3, "households", households_v2, none, FALSE },
  { 4, "persons", persons_v2, none, FALSE },
  { 5, "person_events", person_events_v1, none, TRUE },
  { 6, "staff", staff_fields_v7, staff_retired_v7, FALSE },
  { 7, "support_persons", support_persons_v1, none, FALSE },
  { 8, "shelter_conditions", shelter_conditions_v2, none, TRUE },
};

/* The synced tables of the newest schema (all but the site row). */
static const OplogTable *const oplog_latest = oplog_tables_v7 + 1;
static const guint n_oplog_latest = G_N_ELEMENTS (oplog_tables_v7) - 1;

#define OPLOG_V7_INSERT "INSERT INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields) "
#define NEXT_SEQ_V7 "(SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site = sd_site ())"

static gboolean
is_retired_field (const OplogTable *spec,
                  const char       *field)
{
  return g_strv_contains ((const char *const *) spec->retired, field);
}

static char *
capture_sql_v7 (const OplogTable *spec)
{
  GString *sql = g_string_new (NULL);
  const char *t = spec->table;

  /* A new row: every field that is not NULL. */
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_insert;"
                          "CREATE TRIGGER capture_%s_insert AFTER INSERT ON %s WHEN sd_capture () BEGIN "
                          OPLOG_V7_INSERT "VALUES (sd_site (), " NEXT_SEQ_V7 ", sd_txn (), sd_hlc (), %d, %u, "
                          "sd_row_key (NEW.id), sd_pack (",
                          t, t, t, spec->append_only ? SD_OP_EVENT : SD_OP_INSERT, spec->number);
  for (guint i = 0; spec->fields[i] != NULL; i++)
    if (!is_retired_field (spec, spec->fields[i]))
      g_string_append_printf (sql, "%s%u, NEW.%s", i > 0 ? ", " : "", i + 1, spec->fields[i]);
  g_string_append (sql, "));END;");

  if (append_guards (sql, t, spec->append_only))
    return g_string_free (sql, FALSE);

  /* Only the fields that really changed: per-field last-writer-wins.  An
   * UPDATE that changed nothing is no change at all. */
  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_update;"
                          "CREATE TRIGGER capture_%s_update AFTER UPDATE ON %s WHEN sd_capture () BEGIN "
                          OPLOG_V7_INSERT "SELECT sd_site (), " NEXT_SEQ_V7 ", sd_txn (), sd_hlc (), %d, %u, "
                          "sd_row_key (NEW.id), f FROM (SELECT sd_pack_changed (",
                          t, t, t, SD_OP_UPDATE, spec->number);
  for (guint i = 0; spec->fields[i] != NULL; i++)
    if (!is_retired_field (spec, spec->fields[i]))
      g_string_append_printf (sql, "%s%u, OLD.%s, NEW.%s", i > 0 ? ", " : "", i + 1,
                              spec->fields[i], spec->fields[i]);
  g_string_append (sql, ") AS f) WHERE f IS NOT NULL;END;");

  g_string_append_printf (sql,
                          "DROP TRIGGER IF EXISTS capture_%s_delete;"
                          "CREATE TRIGGER capture_%s_delete AFTER DELETE ON %s WHEN sd_capture () BEGIN "
                          OPLOG_V7_INSERT "VALUES (sd_site (), " NEXT_SEQ_V7 ", sd_txn (), sd_hlc (), %d, %u, "
                          "sd_row_key (OLD.id), NULL);"
                          "END;",
                          t, t, t, SD_OP_DELETE, spec->number);
  return g_string_free (sql, FALSE);
}

static const char schema_v7_retire[] =
  /* Everything that wrote or guarded the old op-log goes; the capture
   * triggers are made again below for the new one. */
  "DROP TRIGGER guard_oplog_insert;"
  "DROP TRIGGER guard_oplog_update;"
  "DROP TRIGGER guard_oplog_delete;"
  "DROP TRIGGER capture_site_update;"
  "DROP TRIGGER capture_site_insert;"
  "DROP TRIGGER capture_shelters_insert; DROP TRIGGER capture_shelters_update; DROP TRIGGER capture_shelters_delete;"
  "DROP TRIGGER capture_households_insert; DROP TRIGGER capture_households_update;"
  "DROP TRIGGER capture_households_delete;"
  "DROP TRIGGER capture_persons_insert; DROP TRIGGER capture_persons_update; DROP TRIGGER capture_persons_delete;"
  "DROP TRIGGER capture_person_events_insert;"
  "DROP TRIGGER capture_staff_insert; DROP TRIGGER capture_staff_update; DROP TRIGGER capture_staff_delete;"
  "DROP TRIGGER capture_support_persons_insert; DROP TRIGGER capture_support_persons_update;"
  "DROP TRIGGER capture_support_persons_delete;"
  "DROP TRIGGER capture_shelter_conditions_insert;"
  "ALTER TABLE oplog RENAME TO oplog_legacy;";

static const char schema_v7[] =
  /* This file's numbers for the sites whose changes it holds.  A site is
   * known everywhere by its 128-bit id; its number here is only shorter. */
  "CREATE TABLE oplog_sites ("
  "  n INTEGER PRIMARY KEY,"
  "  site_id TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE oplog_tables ("
  "  n INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE"
  ");"
  "CREATE TABLE oplog_fields ("
  "  tbl INTEGER NOT NULL REFERENCES oplog_tables (n),"
  "  n INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),"
  "  PRIMARY KEY (tbl, n),"
  "  UNIQUE (tbl, name)"
  ") WITHOUT ROWID;"
  "CREATE TABLE oplog ("
  "  site INTEGER NOT NULL REFERENCES oplog_sites (n),"
  "  seq INTEGER NOT NULL CHECK (seq > 0),"
  "  txn INTEGER NOT NULL CHECK (txn BETWEEN 1 AND seq),"
  "  hlc INTEGER NOT NULL,"
  "  kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),"
  "  tbl INTEGER NOT NULL REFERENCES oplog_tables (n),"
  "  row_id NOT NULL,"
  "  fields TEXT CHECK ((kind = 3) = (fields IS NULL)),"
  "  PRIMARY KEY (site, seq)"
  ") WITHOUT ROWID;"

  /* What each peer (HQ, another kiosk) has acknowledged receiving: every
   * change of ORIGIN up to ACKED_SEQ.  A batch for a peer carries what it
   * has not acknowledged.  Local: each site keeps its own. */
  "CREATE TABLE peer_acks ("
  "  peer_site_id TEXT NOT NULL,"
  "  origin INTEGER NOT NULL REFERENCES oplog_sites (n),"
  "  acked_seq INTEGER NOT NULL CHECK (acked_seq >= 0),"
  "  acked_at INTEGER NOT NULL,"
  "  PRIMARY KEY (peer_site_id, origin)"
  ") WITHOUT ROWID;"

  /* The op-log as one row per field written, in plain SQL (the sqlite3
   * shell reads it too): for people, tests and tools; ShelterDesk's own
   * readers decode the packed rows directly (sd-replay.c). */
  "CREATE VIEW oplog_entries AS"
  "  SELECT s.site_id AS site_id, o.seq AS seq, o.txn AS txn, o.hlc AS hlc, o.kind AS kind, t.name AS tbl,"
  "    CASE WHEN typeof (o.row_id) = 'blob' THEN lower (substr (hex (o.row_id), 1, 8) || '-' ||"
  "      substr (hex (o.row_id), 9, 4) || '-' || substr (hex (o.row_id), 13, 4) || '-' ||"
  "      substr (hex (o.row_id), 17, 4) || '-' || substr (hex (o.row_id), 21)) ELSE o.row_id END AS row_id,"
  "    coalesce (f.name, '') AS field, j.value AS value"
  "  FROM oplog o JOIN oplog_sites s ON s.n = o.site JOIN oplog_tables t ON t.n = o.tbl"
  "    LEFT JOIN json_each (o.fields) j"
  "    LEFT JOIN oplog_fields f ON f.tbl = o.tbl AND f.n = CAST (j.key AS INTEGER);";

/* The changes of schemas 1 to 6 (oplog_legacy: one row per field, names
 * as text), each as one change of the new op-log with the same site, seq,
 * HLC and value.  They carry no transaction, so each is its own; a
 * field's first change is its row's insert.  Also what a rescue of an old
 * file runs on the rows it could read (sd-rescue.c). */
const char _sd_oplog_convert_legacy_sql[] =
  "INSERT OR IGNORE INTO oplog_sites (site_id) SELECT site_id FROM oplog_legacy GROUP BY site_id ORDER BY min (hlc);"
  "INSERT OR IGNORE INTO oplog (site, seq, txn, hlc, kind, tbl, row_id, fields)"
  "  SELECT s.n, o.seq, o.seq, o.hlc,"
  "    CASE WHEN o.field = '' THEN 3 WHEN t.n IN (5, 8) THEN 4"
  "         WHEN EXISTS (SELECT 1 FROM oplog_legacy e WHERE e.tbl = o.tbl AND e.row_id = o.row_id"
  "                      AND e.field = o.field AND (e.hlc, e.site_id) < (o.hlc, o.site_id)) THEN 2"
  "         ELSE 1 END,"
  "    t.n, sd_row_key (o.row_id),"
  "    CASE WHEN o.field = '' THEN NULL ELSE json_object (CAST (f.n AS TEXT), o.value) END"
  "  FROM oplog_legacy o JOIN oplog_sites s ON s.site_id = o.site_id"
  "    JOIN oplog_tables t ON t.name = o.tbl"
  "    LEFT JOIN oplog_fields f ON f.tbl = t.n AND f.name = o.field"
  "  WHERE o.field = '' OR f.n IS NOT NULL;";

static const char schema_v7_guards[] =
  /* The op-log is only ever appended to, and only by a connection that
   * ShelterDesk opened (plain SQLite has no sd_capture () and fails). */
  "CREATE TRIGGER guard_oplog_insert BEFORE INSERT ON oplog WHEN sd_capture () IS NULL "
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is written by ShelterDesk only'); END;"
  "CREATE TRIGGER guard_oplog_update BEFORE UPDATE ON oplog "
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is never changed'); END;"
  "CREATE TRIGGER guard_oplog_delete BEFORE DELETE ON oplog "
  "BEGIN SELECT RAISE (ABORT, 'the record of changes is never deleted from'); END;"
  "CREATE TRIGGER guard_oplog_sites BEFORE UPDATE ON oplog_sites "
  "BEGIN SELECT RAISE (ABORT, 'a site’s number never changes'); END;"
  /* The site's name and demo flag, as in schema 4. */
  "CREATE TRIGGER capture_site_update AFTER UPDATE OF site_name, is_demo ON site WHEN sd_capture () BEGIN "
  OPLOG_V7_INSERT "SELECT sd_site (), " NEXT_SEQ_V7 ", sd_txn (), sd_hlc (), 2, 1, NEW.site_id, f "
  "  FROM (SELECT sd_pack_changed (1, OLD.site_name, NEW.site_name, 2, OLD.is_demo, NEW.is_demo) AS f)"
  "  WHERE f IS NOT NULL;"
  "END;"
  /* A site's first change names it, so a site id changed behind
   * ShelterDesk's back is one with no history of its own (check). */
  "CREATE TRIGGER capture_site_insert AFTER INSERT ON site WHEN sd_capture () BEGIN "
  "INSERT OR IGNORE INTO oplog_sites (site_id) VALUES (NEW.site_id);"
  OPLOG_V7_INSERT "SELECT s.n, (SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site = s.n), "
  "  (SELECT coalesce (max (seq), 0) + 1 FROM oplog WHERE site = s.n), sd_hlc (), 1, 1, NEW.site_id, "
  "  sd_pack (1, NEW.site_name) FROM oplog_sites s WHERE s.site_id = NEW.site_id;"
  "END;"
  "CREATE INDEX oplog_row ON oplog (tbl, row_id);";

static gboolean
fill_oplog_names (sqlite3  *db,
                  GError  **error)
{
  GString *sql = g_string_new (NULL);
  gboolean ok;

  for (guint i = 0; i < G_N_ELEMENTS (oplog_tables_v7); i++)
    {
      const OplogTable *spec = &oplog_tables_v7[i];

      g_string_append_printf (sql, "INSERT INTO oplog_tables (n, name) VALUES (%u, '%s');", spec->number,
                              spec->table);
      for (guint f = 0; spec->fields[f] != NULL; f++)
        g_string_append_printf (sql, "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (%u, %u, '%s', %d);",
                                spec->number, f + 1, spec->fields[f], is_retired_field (spec, spec->fields[f]));
    }
  ok = exec_sql (db, sql->str, error);
  g_string_free (sql, TRUE);
  return ok;
}

static gboolean
migrate_to_7 (sqlite3  *db,
              GError  **error)
{
  int legacy = 0, converted = 0;
  sqlite3_stmt *stmt = NULL;

  if (!exec_sql (db, schema_v7_retire, error) ||
      !exec_sql (db, schema_v7, error) ||
      !fill_oplog_names (db, error) ||
      !exec_sql (db, _sd_oplog_convert_legacy_sql, error))
    return FALSE;

  /* Every old change must have come across: one that names a table or
   * field ShelterDesk never had was written outside it. */
  if (sqlite3_prepare_v2 (db, "SELECT (SELECT count (*) FROM oplog_legacy), (SELECT count (*) FROM oplog)",
                          -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    {
      legacy = sqlite3_column_int (stmt, 0);
      converted = sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (legacy != converted)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
                   _("%d changes in the record of changes name a table or field ShelterDesk never had: "
                     "it was changed outside ShelterDesk. Ask HQ for help."), legacy - converted);
      return FALSE;
    }

  if (!exec_sql (db, "DROP TABLE oplog_legacy;", error) ||
      !exec_sql (db, schema_v7_guards, error))
    return FALSE;
  for (guint i = 0; i < n_oplog_latest; i++)
    {
      g_autofree char *sql = capture_sql_v7 (&oplog_latest[i]);

      if (!exec_sql (db, sql, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- version 8: row counts kept, so that info reads six rows, not six tables ---- */

/* How many rows each table the site overview shows has, kept by a trigger
 * on every insert and delete in the same transaction (rescue's and a
 * replay's inserts included).  Derived and local, never captured; check
 * proves each equal to a count. */
static const char *const counted_tables[] = {
  "shelters", "households", "persons", "person_events", "staff", "support_persons", NULL };

static gboolean
migrate_to_8 (sqlite3  *db,
              GError  **error)
{
  g_autoptr(GString) sql = g_string_new ("CREATE TABLE table_counts ("
                                         "  name TEXT PRIMARY KEY NOT NULL,"
                                         "  n INTEGER NOT NULL CHECK (n >= 0)"
                                         ") WITHOUT ROWID;");

  for (guint i = 0; counted_tables[i] != NULL; i++)
    {
      const char *t = counted_tables[i];

      g_string_append_printf (sql,
                              "INSERT INTO table_counts (name, n) SELECT '%s', count (*) FROM %s;"
                              "CREATE TRIGGER count_%s_insert AFTER INSERT ON %s BEGIN "
                              "UPDATE table_counts SET n = n + 1 WHERE name = '%s'; END;"
                              "CREATE TRIGGER count_%s_delete AFTER DELETE ON %s BEGIN "
                              "UPDATE table_counts SET n = n - 1 WHERE name = '%s'; END;",
                              t, t, t, t, t, t, t, t);
    }
  return exec_sql (db, sql->str, error);
}

const char *
_sd_counted_table (guint index)
{
  return index < G_N_ELEMENTS (counted_tables) ? counted_tables[index] : NULL;
}

/* ---- version 9 (SD_SCHEMA_AGGREGATES): counts kept as people come and go, for reports and occupancy ---- */

/* The all-shelter report and the desk's occupancy line used to count a
 * city's people on every read: 2 s at 1 000 000 persons for the report,
 * 25 ms for the desk's recount after each scan (issue 11).  Now triggers
 * keep the counts in the same transaction as every change they follow,
 * and reading them costs what the shelter holds, not what the city does.
 * Derived and local like person_state: never captured, never synced; a
 * new site that receives the synced rows counts them itself.  check
 * (sd-store.c) proves each table equal to the recount below.
 *
 * Each count is exactly what the reads it replaced counted:
 *
 *   shelter_occupancy   per shelter: people whose person_state is in
 *                       the shelter or out for now (sd_store_count_stays
 *                       counted person_state alone), and people
 *                       registered through it who stay at home, in a
 *                       vehicle or at relatives' and have not left (by
 *                       households.shelter_id).
 *   shelter_households  per shelter and household: how many of its
 *                       members stay there, so a shelter's households
 *                       are its own rows, and a household split over two
 *                       shelters counts in each.
 *   staying_totals      one row for the city: distinct staying
 *                       households and those of them with pets (kept
 *                       from the first and last shelter_households row
 *                       of a household, so the all-shelter report reads
 *                       no household), people out for now, and people
 *                       with each need but "infant".
 *   staying_by_birth    the city's staying people by birth date, a
 *                       column per sex.  Age bands and infants move with
 *                       the date, so no trigger can keep them; but each
 *                       band is a range of birth dates, so the report
 *                       sums ranges of this table's key: a row per day of
 *                       a century at most (~36 500), never one per
 *                       person.  The key is the birth date only when
 *                       sd-report.c's age_from_iso() would read it as a
 *                       date; anything else (no date, or text that is
 *                       not one) is '0000-00-00', before every date it
 *                       reads, so that no malformed text can fall inside
 *                       a band's range.  Per shelter it would not pay
 *                       here: a shelter's people nearly all have their
 *                       own birth date, so the all-shelter report would
 *                       read a row per person again; the one-shelter
 *                       report reads its own people instead.
 *
 * '' stands for "no shelter": keys cannot be NULL, and for every answer
 * the two mean the same.
 *
 * Order does not matter.  Persons, households and events may arrive in
 * any order (a rescue makes lost rows last; sync will fold in another
 * kiosk's batches), so each trigger takes out what the old row counted
 * and adds what the new row counts, joined to whatever else is there at
 * that moment; a row joined later is counted by the later row's trigger.
 * An older event arriving after a newer one changes no person_state row
 * (person_state_follow) and so no count.  A row whose counts all reach
 * zero is deleted, so that a table equals its recount row for row.
 *
 * The arithmetic is written once: in macros below for shelter_occupancy,
 * and for a person staying in the INSTEAD OF trigger of a view that
 * nothing reads (staying_change), which the triggers on the real tables
 * insert signed changes into.
 *
 * These macros are part of this step: a later step that changes what is
 * counted writes its own text and leaves this one as released. */

/* Written out rather than as IN lists: SQLite makes a table for a list
 * of more than two constants, and in a trigger it makes it again on
 * every row (most of what counting cost, before). */
#define STAYING(k)   "(" k " = 'arrive' OR " k " = 'return' OR " k " = 'go_out')"
#define ELSEWHERE_STAY(s) "(" s " = 'home' OR " s " = 'vehicle' OR " s " = 'relatives')"
/* N people of household H counted where H stays, by H's stay. */
#define ELSEWHERE(h, n) \
  "(" n ") * (" h ".stay = 'home'), (" n ") * (" h ".stay = 'vehicle'), (" n ") * (" h ".stay = 'relatives')"
#define HAS_PETS(h)     "(" h ".pets IS NOT NULL OR " h ".pets_count > 0)"
#define NOT_LEFT(id)    "NOT EXISTS (SELECT 1 FROM person_state l WHERE l.person_id = " id " AND l.kind = 'leave')"
/* What of a person the counts read, from the row named R. */
#define COUNTED_FIELDS(r) \
  r ".household_id, " r ".sex, " r ".birth_date, " r ".allergies, " r ".illness, " r ".pregnant, " \
  r ".disability, " r ".care_level, " r ".mobility, " r ".language"
/* Each need of the status report but "infant", once: the same tests as
 * sd-report.c's reading of one shelter's people. */
#define ALLERGY(r)    "(coalesce (" r ".allergies, '') != '')"
#define ILLNESS(r)    "(coalesce (" r ".illness, '') != '')"
#define PREGNANT(r)   "(" r ".pregnant != 0)"
#define DISABILITY(r) "(coalesce (" r ".disability, '') != '')"
#define CARE(r)       "(" r ".care_level IS NOT 'none')"
#define MOBILITY(r)   "(coalesce (" r ".mobility, '') != '')"
#define LANGUAGE(r)   "(coalesce (" r ".language, '') != '' AND " r ".language != 'ja')"
#define NEED_FLAGS(r) \
  ALLERGY (r) " AS allergy, " ILLNESS (r) " AS illness, " PREGNANT (r) " AS pregnant, " \
  DISABILITY (r) " AS disability, " CARE (r) " AS care, " MOBILITY (r) " AS mobility, " LANGUAGE (r) " AS language"
/* The key of a birth date B in staying_by_birth: B when it reads as
 * YYYY-MM-DD with a year from 1, a month 1 to 12 and a day 1 to 31
 * (what age_from_iso() accepts), '0000-00-00' otherwise. */
#define BIRTH_KEY(b) \
  "CASE WHEN " b " GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND substr (" b ", 1, 4) != '0000'" \
  " AND substr (" b ", 6, 2) BETWEEN '01' AND '12' AND substr (" b ", 9, 2) BETWEEN '01' AND '31'" \
  " THEN " b " ELSE '0000-00-00' END"
/* Which column of staying_by_birth a sex S counts in. */
#define IS_SEX_UNKNOWN(s) "(" s " != 'male' AND " s " != 'female' AND " s " != 'not_applicable')"
#define IS_SEX(s, v)      "(" s " = '" v "')"
#define SEX_FLAGS(s) \
  IS_SEX_UNKNOWN (s) " AS sex_unknown, " IS_SEX (s, "male") " AS male, " IS_SEX (s, "female") " AS female, " \
  IS_SEX (s, "not_applicable") " AS not_applicable"
/* Everyone staying, persons first: a scan of persons probing
 * person_state costs half what seeking each person does. */
#define STAYING_PEOPLE \
  "persons p CROSS JOIN person_state s ON s.person_id = p.id WHERE " STAYING ("s.kind")

static const char schema_aggregates[] =
  "CREATE TABLE shelter_occupancy ("
  "  shelter_id TEXT PRIMARY KEY NOT NULL,"
  "  in_shelter INTEGER NOT NULL,"
  "  out_now INTEGER NOT NULL,"
  "  at_home INTEGER NOT NULL,"
  "  in_vehicle INTEGER NOT NULL,"
  "  at_relatives INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE shelter_households ("
  "  shelter_id TEXT NOT NULL,"
  "  household_id TEXT NOT NULL,"
  "  staying INTEGER NOT NULL,"
  "  PRIMARY KEY (shelter_id, household_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX shelter_households_household ON shelter_households (household_id);"
  "CREATE TABLE staying_totals ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  households INTEGER NOT NULL,"
  "  households_with_pets INTEGER NOT NULL,"
  "  out_now INTEGER NOT NULL,"
  "  allergy INTEGER NOT NULL,"
  "  illness INTEGER NOT NULL,"
  "  pregnant INTEGER NOT NULL,"
  "  disability INTEGER NOT NULL,"
  "  care INTEGER NOT NULL,"
  "  mobility INTEGER NOT NULL,"
  "  language INTEGER NOT NULL"
  ");"
  "CREATE TABLE staying_by_birth ("
  "  birth_date TEXT PRIMARY KEY NOT NULL,"
  "  sex_unknown INTEGER NOT NULL,"
  "  male INTEGER NOT NULL,"
  "  female INTEGER NOT NULL,"
  "  not_applicable INTEGER NOT NULL"
  ") WITHOUT ROWID;";

/* What each table holds, counted from scratch: the migration fills the
 * tables with it, and check proves them equal to it. */
static const struct {
  const char *table;
  const char *recount;
} aggregate_recounts[] = {
  { "shelter_occupancy",
    "SELECT sid, sum (i), sum (o), sum (home), sum (vehicle), sum (relatives) FROM ("
    "  SELECT coalesce (shelter_id, '') AS sid, kind != 'go_out' AS i, kind = 'go_out' AS o,"
    "    0 AS home, 0 AS vehicle, 0 AS relatives FROM person_state WHERE " STAYING ("kind")
    "  UNION ALL"
    "  SELECT coalesce (h.shelter_id, ''), 0, 0, " ELSEWHERE ("h", "1")
    "  FROM households h JOIN persons p ON p.household_id = h.id LEFT JOIN person_state s ON s.person_id = p.id"
    "  WHERE " ELSEWHERE_STAY ("h.stay") " AND s.kind IS NOT 'leave')"
    " GROUP BY sid" },
  { "shelter_households",
    "SELECT coalesce (s.shelter_id, ''), p.household_id, count (*) FROM " STAYING_PEOPLE " GROUP BY 1, 2" },
  { "staying_totals",
    "SELECT 1, h.*, f.* FROM ("
    "  SELECT count (*), coalesce (sum (" HAS_PETS ("h") "), 0) FROM ("
    "    SELECT DISTINCT p.household_id FROM " STAYING_PEOPLE ") x LEFT JOIN households h ON h.id = x.household_id"
    ") h, ("
    "  SELECT coalesce (sum (out_now), 0), coalesce (sum (allergy), 0), coalesce (sum (illness), 0),"
    "    coalesce (sum (pregnant), 0), coalesce (sum (disability), 0), coalesce (sum (care), 0),"
    "    coalesce (sum (mobility), 0), coalesce (sum (language), 0) FROM ("
    "    SELECT s.kind = 'go_out' AS out_now, " NEED_FLAGS ("p") " FROM " STAYING_PEOPLE ")"
    ") f" },
  { "staying_by_birth",
    "SELECT b, sum (sex_unknown), sum (male), sum (female), sum (not_applicable) FROM ("
    "  SELECT " BIRTH_KEY ("p.birth_date") " AS b, " SEX_FLAGS ("p.sex") " FROM " STAYING_PEOPLE ")"
    " GROUP BY b" },
};

/* What the persons in temp.derive_persons and the households in
 * temp.derive_households add to each table, times ?1: the recounts
 * above restricted to those rows, for a write of many rows at once that
 * keeps the counts by sets instead of by triggers (sd-derive.c).  Every
 * count is a sum over persons, or for staying_totals' households over
 * households, so taking out what a set counted before the write and
 * adding what it counts after gives the recount, if the set holds
 * every person and household the write can move.  Kept beside the
 * recounts: a change to one is a change to the other, and check proves
 * the result equal to the recount. */
#define AFFECTED_STAYING \
  "temp.derive_persons d JOIN persons p ON p.id = d.id CROSS JOIN person_state s ON s.person_id = p.id " \
  "WHERE " STAYING ("s.kind")
static const char *const aggregate_contributions[] = {
  /* shelter_occupancy */
  "SELECT sid, ?1 * sum (i), ?1 * sum (o), ?1 * sum (home), ?1 * sum (vehicle), ?1 * sum (relatives) FROM ("
  "  SELECT coalesce (s.shelter_id, '') AS sid, s.kind != 'go_out' AS i, s.kind = 'go_out' AS o,"
  "    0 AS home, 0 AS vehicle, 0 AS relatives"
  "  FROM temp.derive_persons d JOIN person_state s ON s.person_id = d.id WHERE " STAYING ("s.kind")
  "  UNION ALL"
  "  SELECT coalesce (h.shelter_id, ''), 0, 0, " ELSEWHERE ("h", "1")
  "  FROM temp.derive_persons d JOIN persons p ON p.id = d.id JOIN households h ON h.id = p.household_id"
  "    LEFT JOIN person_state s ON s.person_id = p.id"
  "  WHERE " ELSEWHERE_STAY ("h.stay") " AND s.kind IS NOT 'leave')"
  " GROUP BY sid",
  /* shelter_households */
  "SELECT coalesce (s.shelter_id, ''), p.household_id, ?1 * count (*) FROM " AFFECTED_STAYING " GROUP BY 1, 2",
  /* staying_totals */
  "SELECT 1, h.*, f.* FROM ("
  "  SELECT ?1 * count (*), ?1 * coalesce (sum (" HAS_PETS ("h") "), 0)"
  "  FROM temp.derive_households x LEFT JOIN households h ON h.id = x.id"
  "  WHERE EXISTS (SELECT 1 FROM persons p CROSS JOIN person_state s ON s.person_id = p.id"
  "                WHERE p.household_id = x.id AND " STAYING ("s.kind") ")"
  ") h, ("
  "  SELECT ?1 * coalesce (sum (out_now), 0), ?1 * coalesce (sum (allergy), 0), ?1 * coalesce (sum (illness), 0),"
  "    ?1 * coalesce (sum (pregnant), 0), ?1 * coalesce (sum (disability), 0), ?1 * coalesce (sum (care), 0),"
  "    ?1 * coalesce (sum (mobility), 0), ?1 * coalesce (sum (language), 0) FROM ("
  "    SELECT s.kind = 'go_out' AS out_now, " NEED_FLAGS ("p") " FROM " AFFECTED_STAYING ")"
  ") f",
  /* staying_by_birth */
  "SELECT b, ?1 * sum (sex_unknown), ?1 * sum (male), ?1 * sum (female), ?1 * sum (not_applicable) FROM ("
  "  SELECT " BIRTH_KEY ("p.birth_date") " AS b, " SEX_FLAGS ("p.sex") " FROM " AFFECTED_STAYING ")"
  " GROUP BY b",
};
G_STATIC_ASSERT (G_N_ELEMENTS (aggregate_contributions) == G_N_ELEMENTS (aggregate_recounts));

/* Adds the row SELECT gives (shelter key, in, out, at home, in a
 * vehicle, at relatives') to shelter_occupancy; SELECT ends in a WHERE
 * clause, as SQLite asks of INSERT ... SELECT with ON CONFLICT. */
#define OCCUPANCY_ADD(select) \
  "INSERT INTO shelter_occupancy (shelter_id, in_shelter, out_now, at_home, in_vehicle, at_relatives) " select \
  " ON CONFLICT (shelter_id) DO UPDATE SET in_shelter = in_shelter + excluded.in_shelter," \
  "  out_now = out_now + excluded.out_now, at_home = at_home + excluded.at_home," \
  "  in_vehicle = in_vehicle + excluded.in_vehicle, at_relatives = at_relatives + excluded.at_relatives;"
/* After something was taken away (WHEN holds) from the shelter KEY: its
 * row goes if it is all zeros now. */
#define OCCUPANCY_TIDY(when, key) \
  "DELETE FROM shelter_occupancy WHERE " when " AND shelter_id = coalesce (" key ", '')" \
  "  AND in_shelter = 0 AND out_now = 0 AND at_home = 0 AND in_vehicle = 0 AND at_relatives = 0;"

/* A person's field F, looked up by ID. */
#define PERSON_FIELD(id, f) "(SELECT " f " FROM persons WHERE id = " id ")"

/* What a person_state row R counts, with SIGN 1 (the row came) or -1 (it
 * went).  Rows go into staying_change as VALUES, never from a SELECT:
 * SQLite would stage a SELECT's rows for a view's trigger in a table
 * made and dropped each time, which cost more than all the counting. */
#define STATE_COUNTS(r, sign) \
  OCCUPANCY_ADD ("SELECT coalesce (" r ".shelter_id, ''), (" sign ") * (" r ".kind != 'go_out'), " \
                 "(" sign ") * (" r ".kind = 'go_out'), 0, 0, 0 WHERE " STAYING (r ".kind")) \
  OCCUPANCY_TIDY ("(" sign ") < 0", r ".shelter_id") \
  "INSERT INTO staying_change VALUES (" sign ", " r ".kind, " r ".shelter_id, " \
  PERSON_FIELD (r ".person_id", "household_id") ", " PERSON_FIELD (r ".person_id", "sex") ", " \
  PERSON_FIELD (r ".person_id", "birth_date") ", " PERSON_FIELD (r ".person_id", "allergies") ", " \
  PERSON_FIELD (r ".person_id", "illness") ", " PERSON_FIELD (r ".person_id", "pregnant") ", " \
  PERSON_FIELD (r ".person_id", "disability") ", " PERSON_FIELD (r ".person_id", "care_level") ", " \
  PERSON_FIELD (r ".person_id", "mobility") ", " PERSON_FIELD (r ".person_id", "language") ");" \
  /* One who has left is no longer counted where their household stays. */ \
  OCCUPANCY_ADD ("SELECT coalesce (h.shelter_id, ''), 0, 0, " ELSEWHERE ("h", "-(" sign ")") \
                 " FROM persons p JOIN households h ON h.id = p.household_id" \
                 " WHERE p.id = " r ".person_id AND " r ".kind = 'leave' AND " ELSEWHERE_STAY ("h.stay")) \
  OCCUPANCY_TIDY ("(" sign ") > 0 AND " r ".kind = 'leave'", \
                  "(SELECT h.shelter_id FROM persons p JOIN households h ON h.id = p.household_id" \
                  " WHERE p.id = " r ".person_id)")

/* A person_state change that keeps the person staying at the same
 * shelter: in and out for now move, nothing else. */
#define STAYS_PUT \
  "OLD.person_id IS NEW.person_id AND OLD.shelter_id IS NEW.shelter_id AND " STAYING ("OLD.kind") \
  " AND " STAYING ("NEW.kind")

/* What a persons row R counts. */
#define PERSON_COUNTS(r, sign) \
  "INSERT INTO staying_change VALUES (" sign ", (SELECT kind FROM person_state WHERE person_id = " r ".id)," \
  "  (SELECT shelter_id FROM person_state WHERE person_id = " r ".id), " COUNTED_FIELDS (r) ");" \
  OCCUPANCY_ADD ("SELECT coalesce (h.shelter_id, ''), 0, 0, " ELSEWHERE ("h", sign) \
                 " FROM households h WHERE h.id = " r ".household_id AND " ELSEWHERE_STAY ("h.stay") \
                 " AND " NOT_LEFT (r ".id")) \
  OCCUPANCY_TIDY ("(" sign ") < 0", "(SELECT h.shelter_id FROM households h WHERE h.id = " r ".household_id)")

/* How many members of household R have not left. */
#define MEMBERS_NOT_LEFT(r) \
  "(SELECT count (*) FROM persons p WHERE p.household_id = " r ".id AND " NOT_LEFT ("p.id") ")"

/* What a households row R counts: its members where it stays, and its
 * pets if any of its members are staying anywhere. */
#define HOUSEHOLD_COUNTS(r, sign) \
  OCCUPANCY_ADD ("SELECT coalesce (" r ".shelter_id, ''), 0, 0, " ELSEWHERE (r, sign " * " MEMBERS_NOT_LEFT (r)) \
                 " WHERE " ELSEWHERE_STAY (r ".stay")) \
  OCCUPANCY_TIDY ("(" sign ") < 0", r ".shelter_id") \
  "UPDATE staying_totals SET households_with_pets = households_with_pets + (" sign ")" \
  "  WHERE " HAS_PETS (r) " AND EXISTS (SELECT 1 FROM shelter_households WHERE household_id = " r ".id);"

/* A household's pets, 1 or 0; 0 when the row is not there (yet). */
#define PETS_OF(id) "coalesce ((SELECT " HAS_PETS ("h") " FROM households h WHERE h.id = " id "), 0)"

static const char aggregate_triggers[] =
  /* A person staying, counted in or taken out (sign 1 or -1) of what is
   * kept per household and per birth date and for the city; rows for
   * any other kind of state, or for no person, are let pass. */
  "CREATE VIEW staying_change (sign, kind, shelter_id, household_id, sex, birth_date, allergies, illness,"
  "  pregnant, disability, care_level, mobility, language) AS"
  "  SELECT 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL WHERE 0;"
  "CREATE TRIGGER staying_change_apply INSTEAD OF INSERT ON staying_change"
  "  WHEN " STAYING ("NEW.kind") " AND NEW.household_id IS NOT NULL BEGIN"
  "  INSERT INTO shelter_households (shelter_id, household_id, staying)"
  "    VALUES (coalesce (NEW.shelter_id, ''), NEW.household_id, NEW.sign)"
  "  ON CONFLICT (shelter_id, household_id) DO UPDATE SET staying = staying + excluded.staying;"
  "  DELETE FROM shelter_households WHERE NEW.sign < 0"
  "    AND shelter_id = coalesce (NEW.shelter_id, '') AND household_id = NEW.household_id AND staying = 0;"
  "  INSERT INTO staying_by_birth (birth_date, sex_unknown, male, female, not_applicable)"
  "    VALUES (" BIRTH_KEY ("NEW.birth_date") ", NEW.sign * " IS_SEX_UNKNOWN ("NEW.sex") ","
  "      NEW.sign * " IS_SEX ("NEW.sex", "male") ", NEW.sign * " IS_SEX ("NEW.sex", "female") ","
  "      NEW.sign * " IS_SEX ("NEW.sex", "not_applicable") ")"
  "  ON CONFLICT (birth_date) DO UPDATE SET sex_unknown = sex_unknown + excluded.sex_unknown,"
  "    male = male + excluded.male, female = female + excluded.female,"
  "    not_applicable = not_applicable + excluded.not_applicable;"
  "  DELETE FROM staying_by_birth WHERE NEW.sign < 0 AND birth_date = " BIRTH_KEY ("NEW.birth_date")
  "    AND sex_unknown = 0 AND male = 0 AND female = 0 AND not_applicable = 0;"
  "  UPDATE staying_totals SET out_now = out_now + NEW.sign * (NEW.kind = 'go_out'),"
  "    allergy = allergy + NEW.sign * " ALLERGY ("NEW") ", illness = illness + NEW.sign * " ILLNESS ("NEW") ","
  "    pregnant = pregnant + NEW.sign * " PREGNANT ("NEW") ","
  "    disability = disability + NEW.sign * " DISABILITY ("NEW") ", care = care + NEW.sign * " CARE ("NEW") ","
  "    mobility = mobility + NEW.sign * " MOBILITY ("NEW") ", language = language + NEW.sign * " LANGUAGE ("NEW") ";"
  "END;"

  /* A household's first staying member anywhere, and its last. */
  "CREATE TRIGGER shelter_households_first AFTER INSERT ON shelter_households WHEN NOT EXISTS ("
  "  SELECT 1 FROM shelter_households o WHERE o.household_id = NEW.household_id AND o.shelter_id != NEW.shelter_id)"
  "BEGIN"
  "  UPDATE staying_totals SET households = households + 1,"
  "    households_with_pets = households_with_pets + " PETS_OF ("NEW.household_id") ";"
  "END;"
  "CREATE TRIGGER shelter_households_last AFTER DELETE ON shelter_households WHEN NOT EXISTS ("
  "  SELECT 1 FROM shelter_households o WHERE o.household_id = OLD.household_id)"
  "BEGIN"
  "  UPDATE staying_totals SET households = households - 1,"
  "    households_with_pets = households_with_pets - " PETS_OF ("OLD.household_id") ";"
  "END;"

  "CREATE TRIGGER person_state_count_insert AFTER INSERT ON person_state BEGIN "
  STATE_COUNTS ("NEW", "1")
  "END;"
  /* Out for now and back, the desk's commonest scans, change two counts
   * only: the general way below would take the person out of every count
   * and put them back. */
  "CREATE TRIGGER person_state_count_out AFTER UPDATE ON person_state"
  "  WHEN " STAYS_PUT " AND (OLD.kind = 'go_out') IS NOT (NEW.kind = 'go_out') "
  "BEGIN"
  /* The row is there, holding this person, before and after. */
  "  UPDATE shelter_occupancy SET in_shelter = in_shelter - (NEW.kind = 'go_out') + (OLD.kind = 'go_out'),"
  "    out_now = out_now + (NEW.kind = 'go_out') - (OLD.kind = 'go_out')"
  "    WHERE shelter_id = coalesce (NEW.shelter_id, '');"
  "  UPDATE staying_totals SET out_now = out_now + (NEW.kind = 'go_out') - (OLD.kind = 'go_out')"
  "    WHERE EXISTS (SELECT 1 FROM persons WHERE id = NEW.person_id);"
  "END;"
  "CREATE TRIGGER person_state_count_update AFTER UPDATE ON person_state"
  "  WHEN (OLD.kind IS NOT NEW.kind OR OLD.shelter_id IS NOT NEW.shelter_id OR OLD.person_id IS NOT NEW.person_id)"
  "    AND NOT (" STAYS_PUT ") "
  "BEGIN "
  STATE_COUNTS ("OLD", "-1")
  STATE_COUNTS ("NEW", "1")
  "END;"
  "CREATE TRIGGER person_state_count_delete AFTER DELETE ON person_state BEGIN "
  STATE_COUNTS ("OLD", "-1")
  "END;"

  "CREATE TRIGGER persons_count_insert AFTER INSERT ON persons BEGIN "
  PERSON_COUNTS ("NEW", "1")
  "END;"
  "CREATE TRIGGER persons_count_update AFTER UPDATE OF household_id, sex, birth_date, allergies, illness,"
  "  pregnant, disability, care_level, mobility, language ON persons"
  "  WHEN OLD.household_id IS NOT NEW.household_id OR OLD.sex IS NOT NEW.sex"
  "    OR OLD.birth_date IS NOT NEW.birth_date OR OLD.allergies IS NOT NEW.allergies"
  "    OR OLD.illness IS NOT NEW.illness OR OLD.pregnant IS NOT NEW.pregnant"
  "    OR OLD.disability IS NOT NEW.disability OR OLD.care_level IS NOT NEW.care_level"
  "    OR OLD.mobility IS NOT NEW.mobility OR OLD.language IS NOT NEW.language "
  "BEGIN "
  PERSON_COUNTS ("OLD", "-1")
  PERSON_COUNTS ("NEW", "1")
  "END;"
  "CREATE TRIGGER persons_count_delete AFTER DELETE ON persons BEGIN "
  PERSON_COUNTS ("OLD", "-1")
  "END;"

  "CREATE TRIGGER households_count_insert AFTER INSERT ON households BEGIN "
  HOUSEHOLD_COUNTS ("NEW", "1")
  "END;"
  "CREATE TRIGGER households_count_update AFTER UPDATE OF shelter_id, stay, pets, pets_count ON households"
  "  WHEN OLD.shelter_id IS NOT NEW.shelter_id OR OLD.stay IS NOT NEW.stay"
  "    OR " HAS_PETS ("OLD") " IS NOT " HAS_PETS ("NEW") " "
  "BEGIN "
  HOUSEHOLD_COUNTS ("OLD", "-1")
  HOUSEHOLD_COUNTS ("NEW", "1")
  "END;"
  "CREATE TRIGGER households_count_delete AFTER DELETE ON households BEGIN "
  HOUSEHOLD_COUNTS ("OLD", "-1")
  "END;";

/* Self-contained, so that it can take any number in the sequence: the
 * tables, filled by a recount of what is there, then the triggers that
 * keep them (made last, so that the fill does not count twice). */
static gboolean
migrate_add_aggregates (sqlite3  *db,
                        GError  **error)
{
  if (!exec_sql (db, schema_aggregates, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (aggregate_recounts); i++)
    {
      /* Table names and queries are the constants above. */
      g_autofree char *fill = g_strdup_printf ("INSERT INTO %s %s;", aggregate_recounts[i].table,
                                               aggregate_recounts[i].recount);

      if (!exec_sql (db, fill, error))
        return FALSE;
    }
  return exec_sql (db, aggregate_triggers, error);
}

/* ---- version 10: search keys kept without an index by person, and the duplicate check's own keys ---- */

/* person_keys_person (every key again, by person: 9 million entries and
 * a fifth of a million persons' file) was only there so that a change
 * to a person could find their old keys.  The old keys are what
 * sd_search_keys() gives for the row as it was (OLD), so they are
 * computed again and taken out by the primary key instead.  The keys
 * then stay exactly sd_search_keys() of each row as it is now, which
 * the deep check proves; a household's phone, which its members without
 * one of their own are found by, now keeps them too.  Three indexes no
 * query reads go as well (the scan's repeat interval reads a person's
 * few events by person_events_person; shelters are never deleted nor
 * renumbered, so the foreign key of events to shelters never looks for
 * a shelter's events).  Each index taken out is one
 * write less on every Ctrl+S and a pass less of the integrity check
 * (49 to 15 s at a million persons). */
static const char schema_v10[] =
  "DROP INDEX person_keys_person;"
  "DROP INDEX person_events_kind;"
  "DROP INDEX person_events_shelter;"
  "DROP INDEX households_stay;"
  "DROP TRIGGER person_keys_update;"
  "DROP TRIGGER person_keys_delete;"
  "CREATE TRIGGER person_keys_update AFTER UPDATE OF name, kana, phone, birth_date, household_id ON persons BEGIN"
  "  DELETE FROM person_keys WHERE person_id = OLD.id AND key IN (SELECT value FROM json_each (sd_search_keys ("
  "    OLD.name, OLD.kana, coalesce (OLD.phone, (SELECT phone FROM households WHERE id = OLD.household_id)),"
  "    OLD.birth_date)));"
  "  INSERT OR IGNORE INTO person_keys (key, person_id)"
  "    SELECT value, NEW.id FROM json_each (sd_search_keys (NEW.name, NEW.kana,"
  "      coalesce (NEW.phone, (SELECT phone FROM households WHERE id = NEW.household_id)), NEW.birth_date));"
  "END;"
  "CREATE TRIGGER person_keys_delete AFTER DELETE ON persons BEGIN"
  "  DELETE FROM person_keys WHERE person_id = OLD.id AND key IN (SELECT value FROM json_each (sd_search_keys ("
  "    OLD.name, OLD.kana, coalesce (OLD.phone, (SELECT phone FROM households WHERE id = OLD.household_id)),"
  "    OLD.birth_date)));"
  "END;"
  "CREATE TRIGGER person_keys_household_phone AFTER UPDATE OF phone ON households"
  "  WHEN OLD.phone IS NOT NEW.phone BEGIN"
  "  DELETE FROM person_keys WHERE (key, person_id) IN ("
  "    SELECT k.value, p.id FROM persons p, json_each (sd_search_keys (p.name, p.kana, OLD.phone, p.birth_date)) k"
  "    WHERE p.household_id = OLD.id AND p.phone IS NULL);"
  "  INSERT OR IGNORE INTO person_keys (key, person_id)"
  "    SELECT k.value, p.id FROM persons p, json_each (sd_search_keys (p.name, p.kana, NEW.phone, p.birth_date)) k"
  "    WHERE p.household_id = NEW.id AND p.phone IS NULL;"
  "END;";

/* The new d<date><name> and e<date><kana> keys (sd-person-search.c)
 * are added for everyone already registered; the other keys are what
 * they were (rebuilding them all took 2 minutes at a million persons,
 * adding these 40 s). */
static gboolean
migrate_to_10 (sqlite3  *db,
               GError  **error)
{
  return exec_sql (db, schema_v10, error) &&
         exec_sql (db,
                   "INSERT OR IGNORE INTO person_keys (key, person_id)"
                   "  SELECT k.value, p.id FROM persons p LEFT JOIN households h ON h.id = p.household_id,"
                   "    json_each (sd_search_keys (p.name, p.kana, coalesce (p.phone, h.phone), p.birth_date)) k"
                   "  WHERE substr (k.value, 1, 1) IN ('d', 'e');",
                   error);
}

/* ---- version 11: sync: keys, peers, batches received, and what people must review ---- */

/* All local: what a site knows of its deployment and its peers, never
 * synced itself (docs/sync.md).  Secret keys sit in the file like the
 * personal data they protect: the file is the kiosk user's, mode 0600. */
static const char schema_v11[] =
  /* This site in its deployment: HQ or a kiosk, and its own keys. */
  "CREATE TABLE sync_self ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  role TEXT NOT NULL CHECK (role IN ('hq', 'kiosk')),"
  "  deployment_id TEXT NOT NULL,"
  "  deployment_name TEXT NOT NULL,"
  "  sign_pk BLOB NOT NULL CHECK (length (sign_pk) = 32),"
  "  sign_sk BLOB NOT NULL CHECK (length (sign_sk) = 64),"
  "  box_pk BLOB NOT NULL CHECK (length (box_pk) = 32),"
  "  box_sk BLOB NOT NULL CHECK (length (box_sk) = 32),"
  "  enrolled_at INTEGER NOT NULL,"
  /* Where a kiosk pushes its batches when the network is there. */
  "  hq_url TEXT"
  ");"
  /* The other sites of the deployment this one may exchange batches
   * with: HQ, and the kiosks HQ enrolled (HQ's batches carry the list). */
  "CREATE TABLE sync_peers ("
  "  site_id TEXT PRIMARY KEY NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('hq', 'kiosk')),"
  "  name TEXT NOT NULL,"
  "  sign_pk BLOB NOT NULL UNIQUE CHECK (length (sign_pk) = 32),"
  "  box_pk BLOB NOT NULL CHECK (length (box_pk) = 32),"
  "  enrolled_at INTEGER NOT NULL,"
  "  revoked_at INTEGER,"
  "  last_received_at INTEGER,"
  "  last_received_sha TEXT,"
  "  last_sent_at INTEGER,"
  "  last_sent_sha TEXT,"
  "  chain_breaks INTEGER NOT NULL DEFAULT 0"
  ") WITHOUT ROWID;"
  /* Every batch imported, by the SHA-256 of its file: a second import of
   * the same file is known at once and changes nothing. */
  "CREATE TABLE sync_batches ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  from_site TEXT NOT NULL,"
  "  received_at INTEGER NOT NULL,"
  "  operations INTEGER NOT NULL,"
  "  applied INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  /* Origins whose clock ran more than the limit ahead of this site's. */
  "CREATE TABLE sync_clock_flags ("
  "  origin TEXT PRIMARY KEY NOT NULL,"
  "  ahead_ms INTEGER NOT NULL,"
  "  changes INTEGER NOT NULL,"
  "  first_noted_at INTEGER NOT NULL,"
  "  last_noted_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  /* Rows whose changes arrived before their parent's (a person before
   * their household): made as soon as the parent is there. */
  "CREATE TABLE sync_waiting ("
  "  tbl INTEGER NOT NULL,"
  "  row_id NOT NULL,"
  "  since INTEGER NOT NULL,"
  "  PRIMARY KEY (tbl, row_id)"
  ") WITHOUT ROWID;"
  /* The same field changed by two sites that had not seen each other's
   * change: the winner is applied, both are kept for a person. */
  "CREATE TABLE sync_conflicts ("
  "  id INTEGER PRIMARY KEY,"
  "  tbl INTEGER NOT NULL,"
  "  row_id NOT NULL,"
  "  field INTEGER NOT NULL,"
  "  winner_site TEXT NOT NULL,"
  "  winner_seq INTEGER NOT NULL,"
  "  loser_site TEXT NOT NULL,"
  "  loser_seq INTEGER NOT NULL,"
  "  noted_at INTEGER NOT NULL,"
  "  resolved_at INTEGER,"
  "  UNIQUE (winner_site, winner_seq, loser_site, loser_seq)"
  ");"
  /* Two persons registered at different sites who may be one. */
  "CREATE TABLE sync_duplicates ("
  "  person_a TEXT NOT NULL,"
  "  person_b TEXT NOT NULL CHECK (person_a < person_b),"
  "  noted_at INTEGER NOT NULL,"
  "  decision TEXT CHECK (decision IN ('merged', 'apart')),"
  "  decided_at INTEGER,"
  "  PRIMARY KEY (person_a, person_b)"
  ") WITHOUT ROWID;";

static gboolean
migrate_to_11 (sqlite3  *db,
               GError  **error)
{
  return exec_sql (db, schema_v11, error);
}

/* ---- version 12: a person merged into another ---- */

/* Two records of one human (registered at two kiosks, sync.md's possible
 * duplicates) become one when HQ merges them: the record closed gets
 * merged_into, the id of the record kept (sd-sync-duplicates.c).  It is
 * an ordinary field of persons, the table's 17th, so it is captured,
 * carried and merged per field like any other.  It has no REFERENCES
 * clause, as households.representative_id has none: an import makes a
 * table's rows in row-id order, so a foreign key to a row of the same
 * table that arrives in the same batch would make the closed record wait
 * (sync_waiting) until the next import; the merge checks that the kept
 * record exists, and readers that follow merged_into ask for the row. */
static const char *const persons_v12[] = {
  "household_id", "name", "kana", "birth_date", "sex", "address", "phone", "consent_disclose", "created_at",
  "allergies", "illness", "pregnant", "disability", "care_level", "mobility", "language", "merged_into", NULL };

static const OplogTable persons_table_v12 = { 4, "persons", persons_v12, none, FALSE };

static const char schema_v12[] =
  "ALTER TABLE persons ADD COLUMN merged_into TEXT;"
  "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (4, 17, 'merged_into', 0);";

static gboolean
migrate_to_12 (sqlite3  *db,
               GError  **error)
{
  g_autofree char *capture = capture_sql_v7 (&persons_table_v12);

  return exec_sql (db, schema_v12, error) && exec_sql (db, capture, error);
}

/* Version 13: every CHECK that a column is one of three or more words
 * written as comparisons instead (sex IN ('unknown', 'male', …) becomes
 * (sex = 'unknown' OR sex = 'male' OR …)).  SQLite 3.40 builds a
 * temporary table of the list again for every row it writes, which made
 * such a list cost more than writing the row (measured: 44 000 persons,
 * 144 ms with the list, 70 ms with comparisons); two words it compares
 * already.  The same rule for every value, NULL included, so the rows
 * need no rewriting: only the tables' text changes, in sqlite_schema,
 * as SQLite documents for constraint changes that leave the file's
 * content as it is (lang_altertable.html, "other kinds of table schema
 * changes").  A table made later writes its lists as comparisons. */
static gboolean
comparisons_cb (const GMatchInfo *match,
                GString          *result,
                gpointer          user_data)
{
  g_autofree char *column = g_match_info_fetch (match, 1);
  g_autofree char *list = g_match_info_fetch (match, 2);
  g_autoptr(GRegex) word = g_regex_new ("'[^']*'", 0, 0, NULL);
  g_autoptr(GMatchInfo) words = NULL;

  g_string_append_c (result, '(');
  g_regex_match (word, list, 0, &words);
  for (guint i = 0; g_match_info_matches (words); i++, g_match_info_next (words, NULL))
    {
      g_autofree char *value = g_match_info_fetch (words, 0);

      g_string_append_printf (result, "%s%s = %s", i > 0 ? " OR " : "", column, value);
    }
  g_string_append_c (result, ')');
  return FALSE;
}

static gboolean
migrate_checks_as_comparisons (sqlite3  *db,
                               GError  **error)
{
  g_autoptr(GRegex) list = g_regex_new ("\\b([a-z_]+) IN \\(('[^']*'(?:,\\s*'[^']*'){2,})\\)", 0, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  gint64 version = 0;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '% IN (''%'",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (db, error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *text = g_regex_replace_eval (list, (const char *) sqlite3_column_text (stmt, 1), -1, 0, 0,
                                         comparisons_cb, NULL, NULL);

      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (texts, text);
    }
  sqlite3_finalize (stmt);
  if (sqlite3_prepare_v2 (db, "PRAGMA schema_version", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (db, error);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (!exec_sql (db, "PRAGMA writable_schema = ON;", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (db, "UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1", -1, &stmt,
                           NULL);
  for (guint i = 0; rc == SQLITE_OK && i < names->len; i++)
    {
      sqlite3_bind_text (stmt, 1, g_ptr_array_index (names, i), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (texts, i), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt) == SQLITE_DONE ? SQLITE_OK : sqlite3_errcode (db);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_OK)
    {
      /* Every connection reads the schema again, this one too. */
      g_autofree char *bump = g_strdup_printf ("PRAGMA schema_version = %" G_GINT64_FORMAT ";", version + 1);

      rc = sqlite3_exec (db, bump, NULL, NULL, NULL);
    }
  sqlite3_exec (db, "PRAGMA writable_schema = OFF;", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (db, error);
  return TRUE;
}

/* New synced TABLES: their numbers, their fields' numbers and their
 * capture triggers, onto SQL. */
static void
add_oplog_tables (GString          *sql,
                  const OplogTable *tables,
                  guint             n)
{
  for (guint i = 0; i < n; i++)
    {
      const OplogTable *spec = &tables[i];
      g_autofree char *capture = capture_sql_v7 (spec);

      g_string_append_printf (sql, "INSERT INTO oplog_tables (n, name) VALUES (%u, '%s');", spec->number,
                              spec->table);
      for (guint f = 0; spec->fields[f] != NULL; f++)
        g_string_append_printf (sql, "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (%u, %u, '%s', 0);",
                                spec->number, f + 1, spec->fields[f]);
      g_string_append (sql, capture);
    }
}

/* ---- version 14: staff safety confirmation ---- */

/* A roll-call (安否確認) is opened by HQ for one incident, real or a
 * drill, and closed, never deleted.  Each answer is a fact over time,
 * like a person's event: never changed, a later answer by the same
 * person to the same roll-call supersedes it and the earlier ones stay
 * as its history.  Both are synced: an answer given at a shelter's
 * kiosk reaches HQ in a batch like anything else.  The roster gains a
 * phone number for the call sheets of those who have not answered
 * (staff field 10; field 9 is the retired PIN hash).
 *
 * "Newer" is by the time the person answered, then (HLC, id): an answer
 * collected by a safety service and imported later must not supersede
 * one the person gave at a kiosk after it.  safety_state is each
 * person's newest answer per roll-call, kept by a trigger (and by its
 * twin in sd-derive.c for an import), so the dashboard counts one row
 * per person instead of searching every answer.  Derived and local,
 * like person_state. */
static const char *const staff_fields_v14[] = {
  "staff_no", "name", "kana", "department", "section", "rank", "role", "active", "pin_hash", "phone", NULL };
static const char *const rollcalls_v14[] = {
  "title", "kind", "started_at", "closed_at", "opened_by", "closed_by", NULL };
static const char *const safety_answers_v14[] = {
  "rollcall_id", "staff_id", "safety", "location", "location_note", "can_report", "means", "arrival",
  "message", "answered_at", "hlc", "via", "recorded_by", NULL };

static const OplogTable staff_table_v14 = { 6, "staff", staff_fields_v14, staff_retired_v7, FALSE };
static const OplogTable oplog_tables_v14[] = {
  { 9, "rollcalls", rollcalls_v14, none, FALSE },
  { 10, "safety_answers", safety_answers_v14, none, TRUE },
};

static const char schema_v14[] =
  "ALTER TABLE staff ADD COLUMN phone TEXT;"
  "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (6, 10, 'phone', 0);"

  "CREATE TABLE rollcalls ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL CHECK (length (title) BETWEEN 1 AND 200),"
  "  kind TEXT NOT NULL CHECK (kind = 'real' OR kind = 'drill'),"
  "  started_at INTEGER NOT NULL,"
  "  closed_at INTEGER,"
  "  opened_by TEXT,"
  "  closed_by TEXT"
  ");"
  "CREATE TRIGGER guard_rollcalls_delete BEFORE DELETE ON rollcalls "
  "BEGIN SELECT RAISE (ABORT, 'a roll-call is closed, never deleted'); END;"

  "CREATE TABLE safety_answers ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  rollcall_id TEXT NOT NULL REFERENCES rollcalls (id),"
  /* No REFERENCES clause, as person_events.staff_id has none: the
   * roster is edited at HQ, and a member of staff taken off it at one
   * site must not make another site's answers wait or fail. */
  "  staff_id TEXT NOT NULL,"
  "  safety TEXT NOT NULL CHECK (safety = 'unhurt' OR safety = 'minor' OR safety = 'serious'),"
  "  location TEXT NOT NULL CHECK (location = 'home' OR location = 'work' OR location = 'other'),"
  "  location_note TEXT CHECK (length (location_note) <= 200),"
  "  can_report INTEGER NOT NULL CHECK (can_report IN (0, 1)),"
  "  means TEXT CHECK (means = 'walk' OR means = 'bicycle' OR means = 'car' OR means = 'bus'"
  "    OR means = 'train' OR means = 'other'),"
  "  arrival TEXT CHECK (arrival = 'within_30m' OR arrival = 'within_1h' OR arrival = 'within_2h'"
  "    OR arrival = 'within_3h' OR arrival = 'over_3h'),"
  "  message TEXT CHECK (length (message) <= 1000),"
  "  answered_at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  via TEXT NOT NULL CHECK (via = 'kiosk' OR via = 'web' OR via = 'phone' OR via = 'import'),"
  "  recorded_by TEXT"
  ");"
  "CREATE INDEX safety_answers_person ON safety_answers (rollcall_id, staff_id, hlc);"

  "CREATE TABLE safety_state ("
  "  rollcall_id TEXT NOT NULL,"
  "  staff_id TEXT NOT NULL,"
  "  answer_id TEXT NOT NULL,"
  "  answered_at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  /* What the dashboard counts, copied from the answer, so that its
   * recount reads no answer at all (bench-safety). */
  "  safety TEXT NOT NULL,"
  "  can_report INTEGER NOT NULL,"
  "  arrival TEXT,"
  "  PRIMARY KEY (rollcall_id, staff_id)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER safety_state_follow AFTER INSERT ON safety_answers BEGIN"
  "  INSERT INTO safety_state (rollcall_id, staff_id, answer_id, answered_at, hlc, safety, can_report, arrival)"
  "    VALUES (NEW.rollcall_id, NEW.staff_id, NEW.id, NEW.answered_at, NEW.hlc, NEW.safety, NEW.can_report,"
  "      NEW.arrival)"
  "  ON CONFLICT (rollcall_id, staff_id) DO UPDATE SET answer_id = excluded.answer_id,"
  "    answered_at = excluded.answered_at, hlc = excluded.hlc, safety = excluded.safety,"
  "    can_report = excluded.can_report, arrival = excluded.arrival"
  "  WHERE (excluded.answered_at, excluded.hlc, excluded.answer_id)"
  "    > (safety_state.answered_at, safety_state.hlc, safety_state.answer_id);"
  "END;";

static gboolean
migrate_to_14 (sqlite3  *db,
               GError  **error)
{
  GString *sql = g_string_new (schema_v14);
  gboolean ok;

  add_oplog_tables (sql, oplog_tables_v14, G_N_ELEMENTS (oplog_tables_v14));
  {
    g_autofree char *capture = capture_sql_v7 (&staff_table_v14);

    g_string_append (sql, capture);
  }
  ok = exec_sql (db, sql->str, error);
  g_string_free (sql, TRUE);
  return ok;
}

/* ---- version 15: the evacuation-support list desk ---- */

/* The list (避難行動要支援者名簿) as welfare systems keep it, and what a
 * disaster adds to it.
 *
 * A person's row gains the district (町丁目, from the address, so that
 * HQ can group and hand out visit lists), the care level and disability
 * as the welfare system states them, and the individual evacuation plan
 * (個別避難計画), one per person: the destination shelter, the route, what
 * to bring and how to assist.  A person a later import no longer lists
 * is marked (listed = 0, left_at), never deleted: their plan, contacts
 * and reports stay as history, and they come back if listed again.
 *
 * Emergency contacts and supporters (避難支援等実施者) are rows of one
 * table by kind, any number a person, edited and synced like any row.
 *
 * Status reports are facts over time like safety answers: never changed,
 * the newest by the time it was reported, then (HLC, id), is the status;
 * support_state keeps it, by a trigger and by its twin in sd-derive.c,
 * derived and local.  A person with no report is unconfirmed.
 *
 * support_import_maps remembers, on this desk only, how the columns of a
 * welfare system's file were read, by the file's header, for its next
 * export; support_not_same, the check-ins a person here said were not a
 * listed person's. */
static const char *const support_persons_v15[] = {
  "external_id", "name", "kana", "sex", "birth_date", "address", "phone", "reason",
  "consent_share", "created_at", "district", "care_level", "disability", "listed", "left_at", "updated_at",
  "plan_shelter_id", "plan_route", "plan_bring", "plan_assist", "plan_note", NULL };
static const char *const support_contacts_v15[] = {
  "support_person_id", "kind", "name", "kana", "relation", "phone", "postal_code", "address", "position", NULL };
static const char *const support_reports_v15[] = {
  "support_person_id", "status", "shelter_id", "note", "reported_at", "hlc", "reported_by", "via", NULL };

static const OplogTable support_persons_table_v15 = { 7, "support_persons", support_persons_v15, none, FALSE };
static const OplogTable oplog_tables_v15[] = {
  { 11, "support_contacts", support_contacts_v15, none, FALSE },
  { 12, "support_reports", support_reports_v15, none, TRUE },
};

#define SUPPORT_STATUS_CHECK_V15(column) \
  "CHECK (" column " = 'unconfirmed' OR " column " = 'safe_home' OR " column " = 'evacuated' OR " \
  column " = 'helping' OR " column " = 'injured' OR " column " = 'missing')"

static const char schema_v15[] =
  "ALTER TABLE support_persons ADD COLUMN district TEXT CHECK (length (district) <= 100);"
  "ALTER TABLE support_persons ADD COLUMN care_level TEXT CHECK (length (care_level) <= 100);"
  "ALTER TABLE support_persons ADD COLUMN disability TEXT CHECK (length (disability) <= 200);"
  "ALTER TABLE support_persons ADD COLUMN listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1));"
  "ALTER TABLE support_persons ADD COLUMN left_at INTEGER;"
  "ALTER TABLE support_persons ADD COLUMN updated_at INTEGER;"
  "ALTER TABLE support_persons ADD COLUMN plan_shelter_id TEXT;"
  "ALTER TABLE support_persons ADD COLUMN plan_route TEXT CHECK (length (plan_route) <= 1000);"
  "ALTER TABLE support_persons ADD COLUMN plan_bring TEXT CHECK (length (plan_bring) <= 1000);"
  "ALTER TABLE support_persons ADD COLUMN plan_assist TEXT CHECK (length (plan_assist) <= 200);"
  "ALTER TABLE support_persons ADD COLUMN plan_note TEXT CHECK (length (plan_note) <= 2000);"
  "CREATE INDEX support_persons_district ON support_persons (district);"
  "CREATE INDEX support_persons_external ON support_persons (external_id);"

  "CREATE TABLE support_contacts ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  /* No REFERENCES: a contact that arrives before its person waits in
   * sync's replay like any child row, and a person is never deleted. */
  "  support_person_id TEXT NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind = 'emergency' OR kind = 'supporter'),"
  "  name TEXT NOT NULL CHECK (length (name) BETWEEN 1 AND 100),"
  "  kana TEXT CHECK (length (kana) <= 100),"
  "  relation TEXT CHECK (length (relation) <= 100),"
  "  phone TEXT CHECK (length (phone) <= 30),"
  "  postal_code TEXT CHECK (length (postal_code) <= 10),"
  "  address TEXT CHECK (length (address) <= 200),"
  "  position INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX support_contacts_person ON support_contacts (support_person_id, kind, position);"

  "CREATE TABLE support_reports ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  support_person_id TEXT NOT NULL,"
  "  status TEXT NOT NULL " SUPPORT_STATUS_CHECK_V15 ("status") ","
  "  shelter_id TEXT,"
  "  note TEXT CHECK (length (note) <= 1000),"
  "  reported_at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL,"
  "  reported_by TEXT,"
  "  via TEXT NOT NULL CHECK (via = 'desk' OR via = 'checkin' OR via = 'cli' OR via = 'import')"
  ");"
  "CREATE INDEX support_reports_person ON support_reports (support_person_id, hlc);"

  "CREATE TABLE support_state ("
  "  support_person_id TEXT PRIMARY KEY NOT NULL,"
  "  report_id TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  shelter_id TEXT,"
  "  reported_at INTEGER NOT NULL,"
  "  hlc INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE INDEX support_state_status ON support_state (status);"
  "CREATE TRIGGER support_state_follow AFTER INSERT ON support_reports BEGIN"
  "  INSERT INTO support_state (support_person_id, report_id, status, shelter_id, reported_at, hlc)"
  "    VALUES (NEW.support_person_id, NEW.id, NEW.status, NEW.shelter_id, NEW.reported_at, NEW.hlc)"
  "  ON CONFLICT (support_person_id) DO UPDATE SET report_id = excluded.report_id, status = excluded.status,"
  "    shelter_id = excluded.shelter_id, reported_at = excluded.reported_at, hlc = excluded.hlc"
  "  WHERE (excluded.reported_at, excluded.hlc, excluded.report_id)"
  "    > (support_state.reported_at, support_state.hlc, support_state.report_id);"
  "END;"

  "CREATE TABLE support_import_maps ("
  "  signature TEXT PRIMARY KEY NOT NULL,"
  "  columns TEXT NOT NULL,"
  "  used_at INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  /* A listed person and an evacuee a person at this desk said are not
   * the same, so the check-in is not proposed for them again. */
  "CREATE TABLE support_not_same ("
  "  support_person_id TEXT NOT NULL,"
  "  person_id TEXT NOT NULL,"
  "  PRIMARY KEY (support_person_id, person_id)"
  ") WITHOUT ROWID;";

static gboolean
migrate_to_15 (sqlite3  *db,
               GError  **error)
{
  g_autoptr(GString) sql = g_string_new (schema_v15);
  g_autofree char *capture = capture_sql_v7 (&support_persons_table_v15);

  /* The district of the rows there already, as the list's importer
   * reads it, is left to their next edit or import: a migration must not
   * depend on the address reader of one build. */
  for (guint f = 0; support_persons_v15[f] != NULL; f++)
    if (f >= 10)
      g_string_append_printf (sql, "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (7, %u, '%s', 0);",
                              f + 1, support_persons_v15[f]);
  g_string_append (sql, capture);
  add_oplog_tables (sql, oplog_tables_v15, G_N_ELEMENTS (oplog_tables_v15));
  return exec_sql (db, sql->str, error);
}

/* Version 16: the offline map's own data, this desk's alone (not synced:
 * it is public reference data each desk loads from a file).
 *
 * map_addresses is the national address reference (MLIT 位置参照情報,
 * 街区レベル): one point per block (街区), keyed by the town as the
 * address reader normalises it, its 丁目 and the block number.  A
 * municipality's file replaces the rows of the cities it covers.
 *
 * map_base names the MBTiles file the desk draws its base map from; the
 * file stays where the municipality keeps it (it may be large). */
static const char schema_v16[] =
  "CREATE TABLE map_addresses ("
  "  town TEXT NOT NULL CHECK (length (town) BETWEEN 1 AND 100),"
  "  chome INTEGER NOT NULL CHECK (chome BETWEEN 0 AND 99),"
  "  block INTEGER NOT NULL CHECK (block BETWEEN 1 AND 99999),"
  "  city TEXT NOT NULL CHECK (length (city) BETWEEN 1 AND 100),"
  "  prefecture TEXT NOT NULL CHECK (length (prefecture) <= 20),"
  "  lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),"
  "  lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),"
  "  PRIMARY KEY (town, chome, block, city)"
  ") WITHOUT ROWID;"
  "CREATE INDEX map_addresses_city ON map_addresses (city);"
  "CREATE TABLE map_base ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  path TEXT NOT NULL CHECK (length (path) BETWEEN 1 AND 4096),"
  "  set_at INTEGER NOT NULL"
  ");";

static gboolean
migrate_to_16 (sqlite3  *db,
               GError  **error)
{
  return exec_sql (db, schema_v16, error);
}

/* ---- version 17: tabletop exercises ---- */

/* site.is_exercise marks a database made for an exercise (docs/exercises.md):
 * set once, when the file is made, and never unset; batches and bundles
 * carry it, and an exercise's are refused by a live database and the
 * reverse.  The exercise_* tables are local, as the facilitator's console
 * and the headless engine keep them; they are empty anywhere else.
 *
 * Exercise time is milliseconds after T+0 (the scenario's start);
 * exercise_run.start_at is T+0 as a Unix time in the exercise's world,
 * which stamps every record the exercise writes. */
static const char schema_v17[] =
  "ALTER TABLE site ADD COLUMN is_exercise INTEGER NOT NULL DEFAULT 0 CHECK (is_exercise IN (0, 1));"
  "CREATE TRIGGER site_exercise_stays BEFORE UPDATE OF is_exercise ON site "
  "  WHEN OLD.is_exercise = 1 AND NEW.is_exercise IS NOT 1 BEGIN "
  "  SELECT RAISE (ABORT, 'an exercise database stays an exercise'); END;"
  "CREATE TABLE exercise_run ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  scenario_name TEXT NOT NULL CHECK (length (scenario_name) BETWEEN 1 AND 200),"
  "  scenario_sha256 TEXT NOT NULL CHECK (length (scenario_sha256) = 64),"
  "  seed INTEGER NOT NULL,"
  "  start_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL CHECK (state = 'ready' OR state = 'running' OR state = 'paused' OR state = 'ended'),"
  /* Exercise time reached; while running, at wall clock wall_at. */
  "  clock_ms INTEGER NOT NULL DEFAULT 0 CHECK (clock_ms >= 0),"
  "  wall_at INTEGER,"
  /* 0 is as fast as possible. */
  "  speed INTEGER NOT NULL DEFAULT 1 CHECK (speed >= 0)"
  ");"
  "CREATE TABLE exercise_injects ("
  "  serial TEXT PRIMARY KEY NOT NULL CHECK (length (serial) BETWEEN 1 AND 20),"
  "  line INTEGER NOT NULL,"
  "  planned_ms INTEGER NOT NULL CHECK (planned_ms >= 0),"
  "  due_ms INTEGER NOT NULL CHECK (due_ms >= 0),"
  "  type TEXT NOT NULL,"
  "  method TEXT NOT NULL,"
  "  sender TEXT NOT NULL,"
  "  recipient TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  expected TEXT NOT NULL,"
  "  action TEXT NOT NULL DEFAULT '',"
  "  state TEXT NOT NULL DEFAULT 'pending' "
  "    CHECK (state = 'pending' OR state = 'delivered' OR state = 'acknowledged' OR state = 'done' "
  "      OR state = 'skipped'),"
  "  delivered_ms INTEGER,"
  "  acknowledged_ms INTEGER,"
  "  done_ms INTEGER,"
  "  done_by TEXT CHECK (done_by = 'player' OR done_by = 'facilitator' OR done_by = 'machine'),"
  /* Units of its machine action played so far (the engine resumes there). */
  "  played INTEGER NOT NULL DEFAULT 0 CHECK (played >= 0)"
  ");"
  "CREATE INDEX exercise_injects_due ON exercise_injects (due_ms, serial);"
  "CREATE TABLE exercise_observations ("
  "  id INTEGER PRIMARY KEY,"
  "  at_ms INTEGER NOT NULL CHECK (at_ms >= 0),"
  "  serial TEXT REFERENCES exercise_injects (serial),"
  "  text TEXT NOT NULL CHECK (length (text) BETWEEN 1 AND 2000),"
  "  written_at INTEGER NOT NULL"
  ");"
  /* Faults the scenario plays: the network down (sync pushes fail) or a
   * card reader failing, at one shelter or everywhere, for a while. */
  "CREATE TABLE exercise_faults ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind = 'network' OR kind = 'reader'),"
  "  shelter_id TEXT,"
  "  from_ms INTEGER NOT NULL CHECK (from_ms >= 0),"
  "  until_ms INTEGER CHECK (until_ms IS NULL OR until_ms > from_ms)"
  ");";

static gboolean
migrate_to_17 (sqlite3  *db,
               GError  **error)
{
  return exec_sql (db, schema_v17, error);
}

/* ---- version 18: the shelter guide ---- */

/* The one-page guide a shelter posts at its entrance and hands to each
 * household (避難所のご案内): meal times, lights out and on, where to ask
 * and where things are, the house rules.  The lead writes it once, in
 * Japanese, and the desk prints it in every language it offers: times
 * are times, the rules are chosen from a list whose sentences are
 * translated (sd-shelter-guide.c), and the places are written as the
 * shelter's own signs say them.  It is part of the shelter's row, so
 * HQ sees each shelter's guide and two desks that change different
 * lines of it at once both keep theirs (per-field last-writer-wins).
 *
 * Times are kept as HH:MM; rules as the codes of the rules chosen, in
 * the list's order, separated by spaces.  When the guide was last changed
 * is not a column: it is the newest change of a guide line in the
 * op-log, so two desks that change different lines never "conflict" over
 * a date. */
#define GUIDE_TIME_CHECK_V18(column) \
  "CHECK (" column " IS NULL OR (length (" column ") = 5 AND " column " GLOB '[0-2][0-9]:[0-5][0-9]' " \
  "AND substr (" column ", 1, 2) <= '23'))"

static const char *const shelters_v18[] = {
  "code", "name", "kind", "capacity", "address", "is_open", "opened_at",
  "guide_breakfast", "guide_lunch", "guide_dinner", "guide_lights_out", "guide_lights_on",
  "guide_ask", "guide_supplies", "guide_pets", "guide_smoking", "guide_charging",
  "guide_rules", "guide_note", NULL };

static const OplogTable shelters_table_v18 = { 2, "shelters", shelters_v18, none, FALSE };

static const char schema_v18[] =
  "ALTER TABLE shelters ADD COLUMN guide_breakfast TEXT " GUIDE_TIME_CHECK_V18 ("guide_breakfast") ";"
  "ALTER TABLE shelters ADD COLUMN guide_lunch TEXT " GUIDE_TIME_CHECK_V18 ("guide_lunch") ";"
  "ALTER TABLE shelters ADD COLUMN guide_dinner TEXT " GUIDE_TIME_CHECK_V18 ("guide_dinner") ";"
  "ALTER TABLE shelters ADD COLUMN guide_lights_out TEXT " GUIDE_TIME_CHECK_V18 ("guide_lights_out") ";"
  "ALTER TABLE shelters ADD COLUMN guide_lights_on TEXT " GUIDE_TIME_CHECK_V18 ("guide_lights_on") ";"
  "ALTER TABLE shelters ADD COLUMN guide_ask TEXT CHECK (length (guide_ask) <= 100);"
  "ALTER TABLE shelters ADD COLUMN guide_supplies TEXT CHECK (length (guide_supplies) <= 100);"
  "ALTER TABLE shelters ADD COLUMN guide_pets TEXT CHECK (length (guide_pets) <= 100);"
  "ALTER TABLE shelters ADD COLUMN guide_smoking TEXT CHECK (length (guide_smoking) <= 100);"
  "ALTER TABLE shelters ADD COLUMN guide_charging TEXT CHECK (length (guide_charging) <= 100);"
  "ALTER TABLE shelters ADD COLUMN guide_rules TEXT CHECK (length (guide_rules) <= 400);"
  "ALTER TABLE shelters ADD COLUMN guide_note TEXT CHECK (length (guide_note) <= 600);";

static gboolean
migrate_to_18 (sqlite3  *db,
               GError  **error)
{
  g_autoptr(GString) sql = g_string_new (schema_v18);
  g_autofree char *capture = capture_sql_v7 (&shelters_table_v18);

  for (guint f = G_N_ELEMENTS (shelters_v1) - 1; shelters_v18[f] != NULL; f++)
    g_string_append_printf (sql, "INSERT INTO oplog_fields (tbl, n, name, retired) VALUES (2, %u, '%s', 0);",
                            f + 1, shelters_v18[f]);
  g_string_append (sql, capture);
  return exec_sql (db, sql->str, error);
}

typedef gboolean (*MigrationFunc) (sqlite3 *db, GError **error);

/* migrations[N - 1] takes a database from version N - 1 to N. */
static const MigrationFunc migrations[] = {
  migrate_to_1,
  migrate_to_2,
  migrate_to_3,
  migrate_to_4,
  migrate_rebuild_person_keys,
  migrate_to_6,
  migrate_to_7,
  migrate_to_8,
  migrate_add_aggregates,
  migrate_to_10,
  migrate_to_11,
  migrate_to_12,
  migrate_checks_as_comparisons,
  migrate_to_14,
  migrate_to_15,
  migrate_to_16,
  migrate_to_17,
  migrate_to_18,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SD_SCHEMA_VERSION);

gboolean
_sd_migrate (sqlite3  *db,
             int       from_version,
             int       to_version,
             GError  **error)
{
  g_return_val_if_fail (to_version <= SD_SCHEMA_VERSION, FALSE);

  if (from_version >= to_version)
    return TRUE;

  /* Every step due in one transaction: the file is at the old version or
   * the new one, never between, and a new database pays one durable
   * commit instead of one per step. */
  if (!exec_sql (db, "BEGIN IMMEDIATE;", error))
    return FALSE;
  /* Another process opening the same file may have upgraded it while
   * this one waited for the write lock: go on from where it is now, so
   * two kiosks started together do not both run a step. */
  {
    sqlite3_stmt *stmt = NULL;

    if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_step (stmt) == SQLITE_ROW)
      from_version = MAX (from_version, sqlite3_column_int (stmt, 0));
    sqlite3_finalize (stmt);
  }
  for (int v = from_version + 1; v <= to_version; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d;", v);

      if (!migrations[v - 1] (db, error) || !exec_sql (db, set_version, error))
        {
          sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
          g_prefix_error (error, _("Upgrading the database to version %d failed: "), v);
          return FALSE;
        }
    }
  if (!exec_sql (db, "COMMIT;", error))
    {
      sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

/* The newest schema exactly as this build makes it, from the same
 * migrations, in a database in memory: "type name" → SQL text ("" for
 * none).  Made once per process. */
static void
stub_search_keys_cb (sqlite3_context *ctx,
                     int              argc,
                     sqlite3_value  **argv)
{
  sqlite3_result_text (ctx, "[]", -1, SQLITE_STATIC);
}

static GHashTable *
read_schema (sqlite3 *db)
{
  GHashTable *schema = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  /* SQLite's own objects (automatic indexes, statistics) follow from ours. */
  if (sqlite3_prepare_v2 (db, "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' "
                              "ESCAPE '\\'", -1, &stmt, NULL) == SQLITE_OK)
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_insert (schema,
                           g_strdup_printf ("%s %s", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1)),
                           g_strdup (sqlite3_column_text (stmt, 2) ? (const char *) sqlite3_column_text (stmt, 2) : ""));
  sqlite3_finalize (stmt);
  return schema;
}

sqlite3 *
_sd_schema_reference_db (GError **error)
{
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("Could not open a database in memory."));
      sqlite3_close (db);
      return NULL;
    }
  /* An empty database: the functions are named, never called. */
  sqlite3_create_function (db, "sd_search_keys", 4, SQLITE_UTF8, NULL, stub_search_keys_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_hlc", 0, SQLITE_UTF8, NULL, stub_search_keys_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_site", 0, SQLITE_UTF8, NULL, stub_search_keys_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_capture", 0, SQLITE_UTF8, NULL, stub_search_keys_cb, NULL, NULL);
  sqlite3_create_function (db, "sd_txn", 0, SQLITE_UTF8, NULL, stub_search_keys_cb, NULL, NULL);
  _sd_oplog_register_functions (db);
  if (!_sd_migrate (db, 0, SD_SCHEMA_VERSION, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static gpointer
build_expected_schema (gpointer data)
{
  g_autoptr(GError) error = NULL;
  GHashTable *schema = NULL;
  sqlite3 *db = _sd_schema_reference_db (&error);

  if (db != NULL)
    schema = read_schema (db);
  else
    g_critical ("The schema does not build: %s", error->message);
  sqlite3_close (db);
  return schema;
}

static GHashTable *
expected_schema (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, build_expected_schema, NULL);
}

static void
set_tampered (const char  *object,
              const char  *how,
              GError     **error)
{
  /* OBJECT is "trigger name": both words are the database's own names. */
  g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_TAMPERED,
               _("This database was changed outside ShelterDesk (%s: %s), so changes may be missing "
                 "from what is sent to HQ or shown wrongly. Do not use it; ask HQ for help."),
               object, how);
}

gboolean
_sd_check_schema (sqlite3  *db,
                  GError  **error)
{
  GHashTable *expected = expected_schema ();
  g_autoptr(GHashTable) actual = read_schema (db);
  GHashTableIter iter;
  gpointer key, value;

  if (expected == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_FAILED,
                   _("Could not read the database structure."));
      return FALSE;
    }

  /* Every table, index, view and trigger ShelterDesk makes, word for
   * word: a dropped or edited trigger would let writes bypass the
   * op-log, or leave derived state (where people are, search keys) stale. */
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *have = g_hash_table_lookup (actual, key);

      if (have == NULL)
        {
          set_tampered (key, _("missing"), error);
          return FALSE;
        }
      if (!g_str_equal (have, value))
        {
          set_tampered (key, _("changed"), error);
          return FALSE;
        }
    }
  g_hash_table_iter_init (&iter, actual);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (expected, key))
      {
        set_tampered (key, _("not ShelterDesk’s"), error);
        return FALSE;
      }
  return TRUE;
}

const char *
_sd_synced_table (guint index)
{
  if (index < n_oplog_latest)
    return oplog_latest[index].table;
  index -= n_oplog_latest;
  if (index < G_N_ELEMENTS (oplog_tables_v14))
    return oplog_tables_v14[index].table;
  index -= G_N_ELEMENTS (oplog_tables_v14);
  return index < G_N_ELEMENTS (oplog_tables_v15) ? oplog_tables_v15[index].table : NULL;
}

gboolean
_sd_synced_table_is_append_only (const char *table)
{
  for (guint i = 0; i < n_oplog_latest; i++)
    if (g_str_equal (oplog_latest[i].table, table))
      return oplog_latest[i].append_only;
  for (guint i = 0; i < G_N_ELEMENTS (oplog_tables_v14); i++)
    if (g_str_equal (oplog_tables_v14[i].table, table))
      return oplog_tables_v14[i].append_only;
  for (guint i = 0; i < G_N_ELEMENTS (oplog_tables_v15); i++)
    if (g_str_equal (oplog_tables_v15[i].table, table))
      return oplog_tables_v15[i].append_only;
  return FALSE;
}

const char *
_sd_aggregate_table (guint        index,
                     const char **recount)
{
  if (index >= G_N_ELEMENTS (aggregate_recounts))
    return NULL;
  *recount = aggregate_recounts[index].recount;
  return aggregate_recounts[index].table;
}

const char *
_sd_aggregate_contribution (guint        index,
                            const char **contribution)
{
  if (index >= G_N_ELEMENTS (aggregate_contributions))
    return NULL;
  *contribution = aggregate_contributions[index];
  return aggregate_recounts[index].table;
}
