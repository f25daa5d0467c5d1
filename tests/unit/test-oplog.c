/* test-oplog.c: op-log capture proved for every synced table and every column, from the schema itself.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A hand-written capture test checks the columns its author remembered;
 * the column someone adds later and forgets in the capture list (as
 * "allergies" once was, in a mutation spot-check) passes it and silently
 * never syncs.  So this test asks the core which tables are synced
 * (_sd_synced_table) and the database which columns they have (PRAGMA
 * table_info), and holds the op-log to two rules for all of them:
 *
 *   1. For every row and every column, the newest op-log entry for
 *      (tbl, row_id, field), newest by (hlc, site_id) as a replica merges
 *      them, holds the row's current value (a new row's NULL fields are
 *      not written: no entry is NULL).
 *   2. A write adds exactly one entry per field whose value it changed
 *      (every field of a new row that is not NULL), with the new value,
 *      and nothing else.
 *
 * The op-log is read through its one-row-per-field view, oplog_entries.
 *
 * The scenario goes through the core API as the desks do: the demo seeds,
 * then one new row in every synced table with every column filled in, so
 * that a column left NULL cannot hide a missing entry (an absent entry and
 * a NULL value would look alike), then updates.
 */
#include "sd-core.h"
#include "sd-store-private.h"
#include "sd-sync.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

/* The tables that are this kiosk's own business or derived from synced
 * ones.  A new table must be added either here or to the capture list:
 * the test fails until someone decides which. */
static const char *const local_tables[] = {
  "site", "oplog", "oplog_sites", "oplog_tables", "oplog_fields", "oplog_gaps", "peer_acks", "signin_state",
  "person_state", "person_keys", "card_keys", "staff_pins", "table_counts", "shelter_occupancy",
  "shelter_households", "staying_totals", "staying_by_birth", "safety_state", "support_state",
  "support_import_maps", "support_not_same", "map_addresses", "map_base",
  /* sync's own bookkeeping (schema 11) */
  "sync_self", "sync_peers", "sync_batches", "sync_clock_flags", "sync_waiting", "sync_conflicts",
  "sync_duplicates",
  /* a tabletop exercise's console and engine (schema 17) */
  "exercise_run", "exercise_injects", "exercise_observations", "exercise_faults", NULL };

typedef struct {
  char *dir;
  SdStore *store;
  sqlite3 *db;
  char *staff_id;
  char *shelter_id;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(SdStaff) lead = NULL;
  g_autoptr(SdShelter) shelter = NULL;

  f->dir = g_dir_make_tmp ("sd-oplog-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  path = g_build_filename (f->dir, "site.sqlite", NULL);
  f->store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (f->store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_assert_no_error (error);
  f->db = _sd_store_get_db (f->store);

  lead = sd_store_find_staff (f->store, "1001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (lead);
  f->staff_id = g_strdup (sd_staff_get_id (lead));
  shelter = sd_store_find_shelter (f->store, "S01", &error);
  g_assert_no_error (error);
  g_assert_nonnull (shelter);
  f->shelter_id = g_strdup (sd_shelter_get_id (shelter));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->store);
  d = g_dir_open (f->dir, 0, NULL);
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->staff_id);
  g_free (f->shelter_id);
}

static gboolean
is_synced (const char *table)
{
  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    if (g_str_equal (_sd_synced_table (i), table))
      return TRUE;
  return FALSE;
}

/* Every column of TABLE but its id, as the database has them now. */
static GPtrArray *
table_columns (sqlite3    *db,
               const char *table)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  char *sql = sqlite3_mprintf ("PRAGMA table_info (\"%w\")", table);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *column = (const char *) sqlite3_column_text (stmt, 1);

      if (!g_str_equal (column, "id"))
        g_ptr_array_add (columns, g_strdup (column));
    }
  sqlite3_finalize (stmt);
  sqlite3_free (sql);
  g_assert_cmpuint (columns->len, >, 0);
  return columns;
}

static char *
field_key (const char *table,
           const char *row_id,
           const char *field)
{
  return g_strjoin ("\x1f", table, row_id, field, NULL);
}

/* Every field of every synced row: "tbl␟row␟field" → quote (value), so
 * 1 and '1' differ as they would for a replica. */
static GHashTable *
snapshot (sqlite3 *db)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    {
      const char *table = _sd_synced_table (i);
      g_autoptr(GPtrArray) columns = table_columns (db, table);

      for (guint c = 0; c < columns->len; c++)
        {
          const char *column = g_ptr_array_index (columns, c);
          char *sql = sqlite3_mprintf ("SELECT id, quote (\"%w\") FROM \"%w\"", column, table);
          sqlite3_stmt *stmt = NULL;

          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_hash_table_insert (values,
                                 field_key (table, (const char *) sqlite3_column_text (stmt, 0), column),
                                 g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
          sqlite3_finalize (stmt);
          sqlite3_free (sql);
        }
    }
  return values;
}

static gint64
raw_count (sqlite3    *db,
           const char *sql,
           gint64      param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, param);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gint64
last_seq (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;
  gint64 seq;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db, "SELECT coalesce (max (seq), 0) FROM oplog_entries WHERE site_id = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sd_store_get_site_id (f->store), -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return seq;
}

/* Rule 2: the entries this site appended after AFTER_SEQ are exactly one
 * per field that differs between BEFORE and AFTER, each with the new
 * value.  Returns how many fields changed, so a caller can tell that its
 * write did something. */
static guint
assert_entries_match_changes (Fixture    *f,
                              GHashTable *before,
                              GHashTable *after,
                              gint64      after_seq)
{
  g_autoptr(GHashTable) logged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;
  sqlite3_stmt *stmt = NULL;
  guint changed = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db,
                   "SELECT tbl, row_id, field, quote (value) FROM oplog_entries WHERE site_id = ?1 AND seq > ?2 "
                   "ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sd_store_get_site_id (f->store), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *k = field_key ((const char *) sqlite3_column_text (stmt, 0),
                                      (const char *) sqlite3_column_text (stmt, 1),
                                      (const char *) sqlite3_column_text (stmt, 2));

      /* One entry per field and write: a second would be an echo. */
      if (g_hash_table_contains (logged, k))
        g_assert_cmpstr (k, ==, "logged once");
      g_hash_table_insert (logged, g_steal_pointer (&k), g_strdup ((const char *) sqlite3_column_text (stmt, 3)));
    }
  sqlite3_finalize (stmt);

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *old = g_hash_table_lookup (before, key);

      if (g_strcmp0 (old, value) == 0)
        continue;
      /* A new row's NULL fields are left out of its insert. */
      if (old == NULL && g_strcmp0 (value, "NULL") == 0)
        continue;
      changed++;
      /* The key names table, row and field, so a failure says which. */
      if (!g_hash_table_contains (logged, key))
        g_assert_cmpstr (key, ==, "changed and logged");
      g_assert_cmpstr (g_hash_table_lookup (logged, key), ==, value);
      g_hash_table_remove (logged, key);
    }
  /* Nothing logged that did not change. */
  g_hash_table_iter_init (&iter, logged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_cmpstr (key, ==, "logged but unchanged");
  return changed;
}

/* Rule 1, by SQL over the whole database: no row whose field is missing
 * from the op-log or whose newest entry holds another value. */
static void
assert_newest_entries_are_current (Fixture  *f,
                                   gboolean  every_table_has_rows)
{
  /* The view decodes every change each time it is read: once, indexed. */
  g_assert_cmpint (sqlite3_exec (f->db, "DROP TABLE IF EXISTS temp.entries;"
                                        "CREATE TEMP TABLE entries AS SELECT * FROM oplog_entries;"
                                        "CREATE INDEX temp.entries_row ON entries (tbl, row_id, field)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    {
      const char *table = _sd_synced_table (i);
      g_autoptr(GPtrArray) columns = table_columns (f->db, table);
      guint rows = 0;

      for (guint c = 0; c < columns->len; c++)
        {
          const char *column = g_ptr_array_index (columns, c);
          char *sql = sqlite3_mprintf (
            "SELECT count (*), (SELECT count (*) FROM \"%w\") FROM \"%w\" r "
            "WHERE NOT EXISTS (SELECT 1 FROM temp.entries o WHERE o.tbl = ?1 AND o.row_id = r.id) "
            "   OR r.\"%w\" IS NOT (SELECT o.value FROM temp.entries o WHERE o.tbl = ?1 AND o.row_id = r.id "
            "                       AND o.field = ?2 ORDER BY o.hlc DESC, o.site_id DESC LIMIT 1)",
            table, table, column);
          sqlite3_stmt *stmt = NULL;
          g_autofree char *found = NULL;
          g_autofree char *want = g_strdup_printf ("%s.%s: 0 rows without their newest value", table, column);

          g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          found = g_strdup_printf ("%s.%s: %d rows without their newest value",
                                   table, column, sqlite3_column_int (stmt, 0));
          rows = sqlite3_column_int (stmt, 1);
          sqlite3_finalize (stmt);
          sqlite3_free (sql);
          g_assert_cmpstr (found, ==, want);
        }
      /* A table with no rows would prove nothing. */
      if (every_table_has_rows)
        g_assert_cmpuint (rows, >, 0);
    }
}

/* And the op-log holds nothing a replica could not apply: only synced
 * tables and their real columns (or "" for a deletion), for rows that
 * exist.  The site's own entries are its settings, and staff.pin_hash is
 * the field retired in schema 6 whose entries stay, blanked, to keep the
 * sequence dense. */
static void
assert_no_stray_entries (Fixture *f)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db,
                   "SELECT DISTINCT tbl, field FROM oplog_entries WHERE tbl != 'site' "
                   "AND NOT (tbl = 'staff' AND field = 'pin_hash') ORDER BY 1, 2", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      const char *field = (const char *) sqlite3_column_text (stmt, 1);
      g_autofree char *what = g_strdup_printf ("%s.%s", table, field);
      g_autoptr(GPtrArray) columns = NULL;

      if (!is_synced (table))
        g_assert_cmpstr (what, ==, "an entry of a synced table");
      columns = table_columns (f->db, table);
      if (!g_ptr_array_find_with_equal_func (columns, field, g_str_equal, NULL))
        g_assert_cmpstr (what, ==, "an entry of a real column");
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    {
      const char *table = _sd_synced_table (i);
      char *sql = sqlite3_mprintf ("SELECT count (*) FROM oplog_entries o WHERE o.tbl = ?1 "
                                   "AND NOT EXISTS (SELECT 1 FROM \"%w\" r WHERE r.id = o.row_id)", table);
      sqlite3_stmt *orphans = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &orphans, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (orphans, 1, table, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (orphans), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (orphans, 0), ==, 0);
      sqlite3_finalize (orphans);
      sqlite3_free (sql);
    }
}

/* The check the desk runs on demand, replay included: it must agree. */
static void
assert_check_deep (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_store_check_deep (f->store, &error));
  g_assert_no_error (error);
}

/* One new row in every synced table, every column filled in. */
static void
write_one_of_everything (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household_id = NULL;
  g_autofree char *event_id = NULL;
  g_autofree char *condition_id = NULL;
  g_autofree char *support_id = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdStaff) staff = NULL;
  SdShelterSpec shelter_spec = { "S90", "みなと川第九小学校", SD_SHELTER_KIND_WELFARE, 120, "みなと川市西町9-9-9" };
  SdStaffSpec staff_spec = { "1990", "港 一郎", "みなと いちろう", "総務部", "危機管理課", "主任", SD_ROLE_LEAD,
                             "090-0000-1990" };
  SdSupportPersonSpec support_spec = {
    "W-9001", "川辺 はな", "かわべ はな", SD_SEX_FEMALE, "1938-04-01", "みなと川市北町3丁目4-5",
    "0120-000-111", "独居", TRUE, "要介護3", "身体障害者手帳2級" };
  SdHouseholdSpec household = {
    .shelter_id = f->shelter_id,
    .stay = SD_STAY_VEHICLE,
    .vehicle_plate = "みなと川 300 あ 12-34",
    .address = "みなと川市東町5-6-7",
    .phone = "090-1234-5678",
    .house_damage = SD_DAMAGE_HALF,
    .pets = "犬",
    .pets_count = 2,
    .check_in = TRUE,
    .staff_id = f->staff_id,
  };
  SdPersonSpec members[] = {
    {
      .name = "港川 太郎", .kana = "みなとがわ たろう", .birth_date = "1980-05-06", .sex = SD_SEX_MALE,
      .address = "みなと川市東町5-6-7", .phone = "080-2222-3333", .consent_disclose = TRUE,
      .allergies = "そば", .illness = "高血圧（降圧剤）", .pregnant = FALSE, .disability = "聴覚",
      .care_level = SD_CARE_1, .mobility = "杖", .language = "pt-BR",
    },
    {
      .name = "港川 花子", .kana = "みなとがわ はなこ", .birth_date = "1985-07-08", .sex = SD_SEX_FEMALE,
      .address = "みなと川市東町5-6-7", .phone = "080-4444-5555", .consent_disclose = TRUE,
      .allergies = "卵", .illness = "喘息", .pregnant = TRUE, .disability = "視覚",
      .care_level = SD_CARE_SUPPORT_1, .mobility = "車いす", .language = "vi",
    },
  };
  SdShelterConditionSpec condition = {
    .shelter_id = f->shelter_id,
    .lifelines = { SD_LIFELINE_STATE_OK, SD_LIFELINE_STATE_LIMITED, SD_LIFELINE_STATE_OUT,
                   SD_LIFELINE_STATE_OK, SD_LIFELINE_STATE_LIMITED },
    .supply_requests = "毛布 50枚\n水 2L×100本",
    .note = "体育館の照明が一部不点灯",
    .staff_id = f->staff_id,
  };

  shelter = sd_store_add_shelter (f->store, &shelter_spec, &error);
  g_assert_no_error (error);
  /* Its guide, every line written. */
  {
    g_autoptr(SdShelterGuide) guide = sd_shelter_guide_new ();

    for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
      guide->times[i] = g_strdup_printf ("%u:30", 6 + 3 * i);
    for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
      guide->places[i] = g_strdup_printf ("第%u会議室", i + 1);
    guide->rules = 1u << SD_GUIDE_RULE_QUIET | 1u << SD_GUIDE_RULE_PETS;
    guide->note = g_strdup ("夜間の出入りは正門のみ");
    g_assert_true (sd_store_set_shelter_guide (f->store, sd_shelter_get_id (shelter), NULL, guide, &error));
    g_assert_no_error (error);
  }
  staff = sd_store_add_staff (f->store, &staff_spec, "246810", &error);
  g_assert_no_error (error);
  support_id = sd_store_add_support_person (f->store, &support_spec, &error);
  g_assert_no_error (error);
  household_id = sd_store_add_household (f->store, &household, members, G_N_ELEMENTS (members), ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  event_id = sd_store_record_event (f->store, g_ptr_array_index (ids, 0), SD_EVENT_GO_OUT,
                                    f->shelter_id, f->staff_id, &error);
  g_assert_no_error (error);
  condition_id = sd_store_record_shelter_condition (f->store, &condition, &error);
  g_assert_no_error (error);

  /* The support list: a plan, a contact and a supporter, a status
   * report.  (Leaving the list is its own write below.) */
  {
    static const char *const assist[] = { "wheelchair", "oxygen", NULL };
    SdSupportPlanSpec plan = { "S90", "北町公園を通って西へ", "酸素ボンベ、薬", assist, "夜間は長女に連絡" };
    SdSupportContactSpec contact = { SD_SUPPORT_CONTACT_EMERGENCY, "川辺 一郎", "かわべ いちろう", "長男",
                                     "090-0000-9001", "123-4567", "みなと川市南町1-2" };
    SdSupportContactSpec supporter = { SD_SUPPORT_CONTACT_SUPPORTER, "北町 民夫", NULL, "民生委員", "090-0000-9002" };
    g_autofree char *contact_id = NULL, *supporter_id = NULL, *report_id = NULL;

    g_assert_true (sd_store_set_support_plan (f->store, support_id, &plan, &error));
    g_assert_no_error (error);
    contact_id = sd_store_add_support_contact (f->store, support_id, &contact, &error);
    g_assert_no_error (error);
    supporter_id = sd_store_add_support_contact (f->store, support_id, &supporter, &error);
    g_assert_no_error (error);
    report_id = sd_store_report_support_status (f->store, support_id, SD_SUPPORT_EVACUATED, "S90", "長男が同行",
                                                f->staff_id, SD_SUPPORT_VIA_DESK, &error);
    g_assert_no_error (error);
  }

  /* A roll-call closed after one answer taken by phone, every field of both filled. */
  {
    g_autoptr(SdRollcall) rollcall = sd_store_open_rollcall (f->store, "地震 職員安否確認", SD_ROLLCALL_DRILL, 0,
                                                             f->staff_id, &error);
    SdSafetyAnswerSpec answer = {
      .staff_no = "1990", .safety = SD_SAFETY_MINOR, .where = SD_WHERE_OTHER, .where_note = "実家",
      .can_report = TRUE, .means = SD_MEANS_BICYCLE, .arrival = SD_ARRIVAL_WITHIN_1H,
      .message = "手当てをしてから向かいます", .via = SD_ANSWER_VIA_PHONE, .recorded_by = f->staff_id,
    };
    g_autofree char *answer_id = NULL;

    g_assert_no_error (error);
    answer_id = sd_store_record_safety_answer (f->store, sd_rollcall_get_id (rollcall), &answer, &error);
    g_assert_no_error (error);
    g_assert_true (sd_store_close_rollcall (f->store, sd_rollcall_get_id (rollcall), f->staff_id, &error));
    g_assert_no_error (error);
  }

  /* The same man registered again elsewhere, then merged into the first
   * record: the one change that writes persons.merged_into. */
  {
    g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *second = NULL;
    SdHouseholdSpec elsewhere = { .shelter_id = f->shelter_id, .stay = SD_STAY_SHELTER };

    second = sd_store_add_household (f->store, &elsewhere, members, 1, again, &error);
    g_assert_no_error (error);
    g_assert_true (sd_sync_merge_duplicate (f->store, g_ptr_array_index (ids, 0), g_ptr_array_index (again, 0),
                                            f->staff_id, &error));
    g_assert_no_error (error);
  }
}

/* Every synced table gained a row and every column of it is filled in
 * some new row (a field only some records have, like merged_into, in
 * one of them): else a column could be missing from the capture list
 * unseen. */
static void
assert_every_column_written (GHashTable *before,
                             GHashTable *after)
{
  g_autoptr(GHashTable) tables_with_new_rows = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) columns_empty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) columns_filled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = NULL;

      if (g_hash_table_contains (before, key))
        continue;
      parts = g_strsplit (key, "\x1f", 3);
      g_hash_table_add (g_str_equal (value, "NULL") ? columns_empty : columns_filled,
                        g_strconcat (parts[0], ".", parts[2], NULL));
      g_hash_table_add (tables_with_new_rows, (gpointer) g_intern_string (parts[0]));
    }
  g_hash_table_iter_init (&iter, columns_empty);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (columns_filled, key))
      g_assert_cmpstr (key, ==, "a field the scenario fills in");
  for (guint i = 0; _sd_synced_table (i) != NULL; i++)
    if (!g_hash_table_contains (tables_with_new_rows, _sd_synced_table (i)))
      g_assert_cmpstr (_sd_synced_table (i), ==, "a table the scenario writes");
}

static void
test_every_table_synced_or_local (Fixture *f, gconstpointer data)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db,
                   "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                   -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);

      if (!is_synced (table) && !g_strv_contains (local_tables, table))
        g_assert_cmpstr (table, ==, "a table either synced or declared local");
    }
  sqlite3_finalize (stmt);
}

static void
test_every_column_of_every_write (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seeded = snapshot (f->db);
  g_autoptr(GHashTable) written = NULL;
  g_autoptr(GHashTable) opened = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  gint64 seq = last_seq (f);

  /* What the seeds wrote already holds rule 1 (the seeds have no
   * events or conditions yet). */
  assert_newest_entries_are_current (f, FALSE);

  write_one_of_everything (f);
  written = snapshot (f->db);
  g_assert_cmpuint (assert_entries_match_changes (f, seeded, written, seq), >, 0);

  /* A shelter's opening time is only ever set by opening it. */
  shelter = sd_store_find_shelter (f->store, "S90", &error);
  g_assert_no_error (error);
  seq = last_seq (f);
  g_assert_true (sd_store_set_shelter_open (f->store, sd_shelter_get_id (shelter), TRUE, &error));
  g_assert_no_error (error);
  opened = snapshot (f->db);
  g_assert_cmpuint (assert_entries_match_changes (f, written, opened, seq), ==, 2);

  /* A person who leaves the support list is marked: listed and left_at. */
  {
    g_autoptr(GHashTable) left = NULL;
    g_autofree char *support_id = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (f->db, "SELECT id FROM support_persons WHERE external_id = 'W-9001'", -1,
                                         &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    support_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    seq = last_seq (f);
    g_assert_true (sd_store_set_support_listed (f->store, support_id, FALSE, &error));
    g_assert_no_error (error);
    left = snapshot (f->db);
    g_assert_cmpuint (assert_entries_match_changes (f, opened, left, seq), ==, 2);
    g_hash_table_unref (opened);
    opened = g_steal_pointer (&left);
  }

  assert_every_column_written (seeded, opened);
  assert_newest_entries_are_current (f, TRUE);
  assert_no_stray_entries (f);
  assert_check_deep (f);
}

static void
test_updates_log_changed_fields_once (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SdShelter) shelter = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  SdShelterSpec shelter_spec = { "S91", "臨時テント", SD_SHELTER_KIND_TEMPORARY, 30, "みなと川市南町1" };
  SdHouseholdSpec household = { .shelter_id = f->shelter_id, .stay = SD_STAY_SHELTER, .phone = "03-0000-0001" };
  SdPersonSpec member = { .name = "浜田 一", .kana = "はまだ はじめ", .birth_date = "1990-01-02" };
  SdPersonSpec same = { 0 };
  g_autoptr(SdPerson) was = NULL;
  gint64 seq;

  write_one_of_everything (f);
  shelter = sd_store_add_shelter (f->store, &shelter_spec, &error);
  g_assert_no_error (error);
  first = sd_store_add_household (f->store, &household, &member, 1, ids, &error);
  g_assert_no_error (error);

  /* Opening a shelter changes is_open and opened_at: two fields, in one
   * change of one row. */
  before = snapshot (f->db);
  seq = last_seq (f);
  g_assert_true (sd_store_set_shelter_open (f->store, sd_shelter_get_id (shelter), TRUE, &error));
  g_assert_no_error (error);
  after = snapshot (f->db);
  g_assert_cmpuint (assert_entries_match_changes (f, before, after, seq), ==, 2);
  g_assert_cmpint (last_seq (f), ==, seq + 1);

  /* Opening it again changes nothing and logs nothing. */
  g_clear_pointer (&before, g_hash_table_unref);
  before = g_steal_pointer (&after);
  seq = last_seq (f);
  g_assert_true (sd_store_set_shelter_open (f->store, sd_shelter_get_id (shelter), TRUE, &error));
  after = snapshot (f->db);
  g_assert_cmpuint (assert_entries_match_changes (f, before, after, seq), ==, 0);
  g_assert_cmpint (last_seq (f), ==, seq);

  /* "Same person" at a second intake, moved on purpose into the new household:
   * what was typed now is written over some fields, blanks keep theirs. */
  same.existing_id = g_ptr_array_index (ids, 0);
  same.move_household = TRUE;
  same.phone = "070-9999-8888";
  same.allergies = "小麦";
  same.illness = "糖尿病";
  same.consent_disclose = TRUE;
  same.language = "en";
  same.care_level = SD_CARE_2;
  g_clear_pointer (&before, g_hash_table_unref);
  before = g_steal_pointer (&after);
  seq = last_seq (f);
  was = sd_store_get_person (f->store, same.existing_id, &error);
  g_assert_no_error (error);
  household.phone = "03-0000-0002";
  household.address = "みなと川市南町2";
  second = sd_store_add_household (f->store, &household, &same, 1, again, &error);
  g_assert_no_error (error);
  after = snapshot (f->db);
  /* The new household's 8 columns that are not NULL (no vehicle, no
   * pets), and the person's 7 changed fields: household_id, phone,
   * allergies, illness, consent, language, care; in two changes, one of
   * one transaction. */
  g_assert_cmpuint (assert_entries_match_changes (f, before, after, seq), ==, 8 + 7);
  g_assert_cmpint (last_seq (f), ==, seq + 2);
  g_assert_cmpint (raw_count (f->db, "SELECT count (DISTINCT txn) FROM oplog_entries WHERE seq > ?1",
                              seq), ==, 1);

  /* Undone (issue 12, 1): the same 7 fields written back in one change,
   * the record exactly as before, the new household's row left as it is. */
  g_clear_pointer (&before, g_hash_table_unref);
  before = g_steal_pointer (&after);
  seq = last_seq (f);
  g_assert_true (sd_store_restore_person (f->store, was, &error));
  g_assert_no_error (error);
  after = snapshot (f->db);
  g_assert_cmpuint (assert_entries_match_changes (f, before, after, seq), ==, 7);
  g_assert_cmpint (last_seq (f), ==, seq + 1);
  {
    g_autoptr(SdPerson) now = sd_store_get_person (f->store, same.existing_id, &error);

    g_assert_cmpstr (sd_person_get_household_id (now), ==, sd_person_get_household_id (was));
    g_assert_cmpstr (sd_person_get_phone (now), ==, sd_person_get_phone (was));
    g_assert_cmpstr (sd_person_get_allergies (now), ==, NULL);
    g_assert_cmpstr (sd_person_get_language (now), ==, sd_person_get_language (was));
    g_assert_cmpint (sd_person_get_care_level (now), ==, sd_person_get_care_level (was));
    g_assert_false (sd_person_get_consent_disclose (now));
  }

  assert_newest_entries_are_current (f, TRUE);
  assert_no_stray_entries (f);
  assert_check_deep (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/oplog/spec/every-table-synced-or-local", test_every_table_synced_or_local);
  ADD ("/oplog/spec/every-column-of-every-write", test_every_column_of_every_write);
  ADD ("/oplog/spec/updates-log-changed-fields-once", test_updates_log_changed_fields_once);
#undef ADD

  return g_test_run ();
}
