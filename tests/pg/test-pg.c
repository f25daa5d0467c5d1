/* test-pg.c: HQ in a real PostgreSQL: its schema is SQLite's, its merge gives SQLite's result.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PostgreSQL 15 cluster of the test's own (tests/common/sd-test-pg.c),
 * a deployment of real SQLite sites (tests/sync/sd-sync-test.c): every
 * batch HQ's SQLite file merges is merged into PostgreSQL too, in other
 * orders, again, and by two receivers at once, and the canonical dumps
 * must be the same text.  The random histories of the sync property test
 * run against PostgreSQL in test-sync-merge (suite pg).
 */
#include "sd-batch.h"
#include "sd-sync-private.h"
#include "sd-pg-store.h"
#include "sd-sync-test.h"
#include "sd-json.h"
#include "sd-test-pg.h"

#include <sodium.h>
#include <string.h>

static SdTestPg *pg;
static guint n_databases;

typedef struct {
  SdSyncTestSites sites;
  char           *conninfo;
  SdPgStore      *store;
} Fixture;

static char *
new_database (void)
{
  g_autofree char *name = g_strdup_printf ("t%u", ++n_databases);

  return sd_test_pg_new_database (pg, name);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (pg == NULL)
    {
      g_test_skip ("no PostgreSQL");
      return;
    }
  f->sites.dir = g_dir_make_tmp ("sd-pg-XXXXXX", NULL);
  sd_sync_test_make_deployment (f->sites.dir, 2);
  sd_sync_test_sites_open (&f->sites);
  f->conninfo = new_database ();
  f->store = sd_pg_store_open (f->conninfo, &error);
  g_assert_no_error (error);
  /* HQ moves to PostgreSQL: everything its file holds so far (the
   * kiosks' enrolment batches) taken in. */
  {
    SdSyncImport result = { 0 };

    g_assert_true (sd_pg_store_take_oplog (f->store, f->sites.hq, NULL, &result, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (result.applied, >, 0);
    sd_sync_import_clear (&result);
  }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->sites.dir == NULL)
    return;
  g_clear_object (&f->store);
  g_free (f->conninfo);
  sd_sync_test_sites_tear_down (&f->sites, NULL);
}

static void
pg_import (SdPgStore    *store,
           SdStore      *identity,
           GBytes       *bytes,
           SdSyncImport *out)
{
  g_autoptr(GError) error = NULL;
  SdSyncImport result = { 0 };

  if (!sd_pg_store_import_bytes (store, identity, bytes, &result, NULL, &error))
    g_error ("PostgreSQL refused a batch: %s", error->message);
  if (out != NULL)
    *out = result;
  else
    sd_sync_import_clear (&result);
}

static void
take_hq (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  SdSyncImport result = { 0 };

  g_assert_true (sd_pg_store_take_oplog (f->store, f->sites.hq, sd_store_get_site_id (f->sites.hq), &result, NULL,
                                         &error));
  g_assert_no_error (error);
  sd_sync_import_clear (&result);
}

static char *
pg_dump (SdPgStore *store)
{
  g_autoptr(GError) error = NULL;
  char *dump = sd_pg_store_canonical_dump (store, &error);

  g_assert_no_error (error);
  return dump;
}

/* Fails with both dumps written out when they differ. */
static void
assert_same_dump (const char *sqlite_dump,
                  const char *pg_dump_text)
{
  if (g_strcmp0 (sqlite_dump, pg_dump_text) != 0)
    {
      g_autofree char *a = g_build_filename (g_get_tmp_dir (), "sd-pg-sqlite.dump", NULL);
      g_autofree char *b = g_build_filename (g_get_tmp_dir (), "sd-pg-postgres.dump", NULL);

      g_file_set_contents (a, sqlite_dump, -1, NULL);
      g_file_set_contents (b, pg_dump_text, -1, NULL);
      g_error ("PostgreSQL's dump differs from SQLite's: diff %s %s", a, b);
    }
}

/* Some of everything a kiosk writes: households, persons, edits, a
 * deletion, check-ins and check-outs. */
static void
kiosk_day (SdStore    *kiosk,
           const char *who,
           guint       n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %u", who, i);

      sd_sync_test_register_person (kiosk, name);
    }
  sd_sync_test_write (kiosk, "UPDATE persons SET phone = '090-0000-' || substr (id, 1, 4) WHERE rowid % 3 = 0;"
                             "UPDATE persons SET kana = 'テスト', language = 'vi' WHERE rowid % 5 = 1;"
                             "UPDATE households SET pets = 'いぬ', pets_count = 2 WHERE rowid % 4 = 2;");
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (kiosk), "SELECT id FROM persons ORDER BY rowid DESC "
                                         "LIMIT ?1", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_int (stmt, 1, (int) n);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        g_autofree char *id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        g_autofree char *event = sd_store_record_event (kiosk, id, SD_EVENT_ARRIVE,
                                                        "00000000-0000-7000-8000-000000000001", NULL, &error);

        g_assert_no_error (error);
        if (id[0] < '8')
          {
            g_autofree char *out = sd_store_record_event (kiosk, id, SD_EVENT_LEAVE, NULL, NULL, &error);

            g_assert_no_error (error);
          }
      }
    sqlite3_finalize (stmt);
  }
  /* A person registered by mistake and removed again, with their household. */
  sd_sync_test_register_person (kiosk, "取消 する");
  sd_sync_test_write (kiosk, "DELETE FROM persons WHERE name = '取消 する';"
                             "DELETE FROM households WHERE id NOT IN (SELECT household_id FROM persons);");
}

/* ---- the schema ---- */

/* SQLite's column as PostgreSQL's information_schema describes it. */
static void
test_schema_same (Fixture *f, gconstpointer data)
{
  sqlite3 *db = _sd_store_get_db (f->sites.hq);
  const char *tables[] = { "shelters", "households", "persons", "person_events", "staff", "support_persons",
                           "shelter_conditions", "rollcalls", "safety_answers", "support_contacts",
                           "support_reports", "person_state", "safety_state", "support_state" };
  g_autofree char *db_name = NULL;
  const char *name;

  if (f->sites.dir == NULL)
    return;
  db_name = g_strdup_printf ("t%u", n_databases);
  /* Every synced table of this build is in the list above. */
  for (guint i = 0; (name = _sd_synced_table (i)) != NULL; i++)
    g_assert_true (g_strv_contains (tables, name));
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autofree char *sql = g_strdup_printf (
        "SELECT column_name, data_type, is_nullable, coalesce (regexp_replace (column_default, '::(text|bigint)$', "
        "''), '') FROM information_schema.columns WHERE table_name = '%s' ORDER BY ordinal_position", tables[i]);
      g_autofree char *actual = sd_test_pg_psql (pg, db_name, sql);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info (?1)",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, tables[i], -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (expected, "%s|%s|%s|%s\n", sqlite3_column_text (stmt, 0),
                                g_str_equal ((const char *) sqlite3_column_text (stmt, 1), "INTEGER") ? "bigint"
                                                                                                        : "text",
                                sqlite3_column_int (stmt, 2) ? "NO" : "YES",
                                sqlite3_column_text (stmt, 3) ? (const char *) sqlite3_column_text (stmt, 3) : "");
      sqlite3_finalize (stmt);
      g_assert_cmpuint (expected->len, >, 0);
      g_assert_cmpstr (actual, ==, expected->str);
    }
  /* The op-log's field numbers are SQLite's. */
  {
    g_autoptr(GString) expected = g_string_new (NULL);
    g_autofree char *actual = sd_test_pg_psql (pg, db_name, "SELECT tbl, n, name, retired FROM oplog_fields "
                                                            "ORDER BY tbl, n");
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT t.name, f.n, f.name, f.retired FROM oplog_fields f "
                                             "JOIN oplog_tables t ON t.n = f.tbl ORDER BY t.name, f.n", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (expected, "%s|%d|%s|%s\n", sqlite3_column_text (stmt, 0), sqlite3_column_int (stmt, 1),
                              sqlite3_column_text (stmt, 2), sqlite3_column_int (stmt, 3) ? "t" : "f");
    sqlite3_finalize (stmt);
    g_assert_cmpstr (actual, ==, expected->str);
  }
}

/* A wrong connection string, another program's database and a newer
 * ShelterDesk's are refused with a message that says which; opening
 * ShelterDesk's own again changes nothing. */
static void
test_open_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPgStore) again = NULL, other = NULL;
  g_autofree char *db_name = NULL, *foreign = NULL, *out = NULL;

  if (f->sites.dir == NULL)
    return;
  db_name = g_strdup_printf ("t%u", n_databases);
  other = sd_pg_store_open ("host=/nonexistent-folder port=5432 user=shelterdesk dbname=x", &error);
  g_assert_null (other);
  g_assert_error (error, SD_PG_ERROR, SD_PG_ERROR_CONNECT);
  g_assert_nonnull (strstr (error->message, "Could not connect to PostgreSQL"));
  g_clear_error (&error);

  again = sd_pg_store_open (f->conninfo, &error);
  g_assert_no_error (error);
  g_clear_object (&again);

  foreign = new_database ();
  out = sd_test_pg_psql (pg, strrchr (foreign, '=') + 1, "CREATE TABLE oplog (x integer)");
  other = sd_pg_store_open (foreign, &error);
  g_assert_null (other);
  g_assert_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "not ShelterDesk’s"));
  g_clear_error (&error);

  g_free (out);
  out = sd_test_pg_psql (pg, db_name, "UPDATE shelterdesk_schema SET version = 99");
  other = sd_pg_store_open (f->conninfo, &error);
  g_assert_null (other);
  g_assert_error (error, SD_PG_ERROR, SD_PG_ERROR_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer ShelterDesk"));
}

/* ---- the merge ---- */

/* Two kiosks' days, merged into HQ's file and into PostgreSQL in the
 * other order, twice, HQ's own changes taken in: the same text. */
static void
test_merge_same_as_sqlite (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) b0 = NULL, b1 = NULL, b0_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autofree char *hq = NULL, *postgres = NULL;
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  kiosk_day (f->sites.k0, "川上", 40);
  kiosk_day (f->sites.k1, "山下", 30);
  sd_sync_test_register_person (f->sites.k0, "後日 消す");
  b0 = sd_sync_test_export (f->sites.k0, "hq");
  b1 = sd_sync_test_export (f->sites.k1, "hq");
  sd_sync_test_import (f->sites.hq, b0, NULL);
  sd_sync_test_import (f->sites.hq, b1, NULL);
  rollcall = sd_store_open_rollcall (f->sites.hq, "地震", TRUE, 0, NULL, &error);
  g_assert_no_error (error);

  pg_import (f->store, f->sites.hq, b1, &result);
  g_assert_false (result.already_imported);
  g_assert_cmpint (result.applied, ==, result.operations);
  g_assert_cmpint (result.applied, >, 100);
  sd_sync_import_clear (&result);
  pg_import (f->store, f->sites.hq, b0, NULL);
  take_hq (f);
  pg_import (f->store, f->sites.hq, b1, &result);
  g_assert_true (result.already_imported);
  sd_sync_import_clear (&result);

  hq = sd_sync_test_dump (f->sites.hq);
  postgres = pg_dump (f->store);
  assert_same_dump (hq, postgres);

  /* The kiosks go on; their next batches hold what HQ has not
   * acknowledged, overlapping the first: each change is stored once. */
  sd_sync_test_write (f->sites.k0, "UPDATE persons SET phone = '080-1111-2222' WHERE rowid = 2;"
                                   "DELETE FROM persons WHERE name = '後日 消す';"
                                   "DELETE FROM households WHERE id NOT IN (SELECT household_id FROM persons);");
  sd_sync_test_write (f->sites.k1, "UPDATE persons SET name = '山下 改名' WHERE rowid = 2;");
  b0_again = sd_sync_test_export (f->sites.k0, "hq");
  pg_import (f->store, f->sites.hq, b0_again, &result);
  g_assert_cmpint (result.already_had, >, 0);
  g_assert_cmpint (result.applied, ==, 3);
  sd_sync_import_clear (&result);
  sd_sync_test_import (f->sites.hq, b0_again, NULL);
  g_free (hq), hq = sd_sync_test_dump (f->sites.hq);
  g_free (postgres), postgres = pg_dump (f->store);
  assert_same_dump (hq, postgres);
}

/* A batch for another site, and a cloned kiosk's: refused, nothing kept. */
static void
test_merge_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *clone_path = NULL, *before = NULL, *after = NULL;
  g_autoptr(SdStore) clone = NULL;
  g_autoptr(GBytes) for_k1 = NULL, original = NULL, copied = NULL;
  g_autoptr(GError) error = NULL;
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  sd_sync_test_register_person (f->sites.k0, "宛先 違い");
  for_k1 = sd_sync_test_export (f->sites.k0, sd_store_get_site_id (f->sites.k1));
  g_assert_false (sd_pg_store_import_bytes (f->store, f->sites.hq, for_k1, &result, NULL, &error));
  g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US);
  g_clear_error (&error);
  sd_sync_import_clear (&result);
  before = pg_dump (f->store);
  g_assert_null (strstr (before, "宛先"));

  /* Cut short on the way (a USB stick pulled): found at its end, after
   * its first changes were streamed in; nothing of it is kept. */
  for (guint i = 0; i < 200; i++)
    sd_sync_test_register_person (f->sites.k0, "途中 切れ");
  {
    g_autoptr(GBytes) whole = sd_sync_test_export (f->sites.k0, "hq");
    g_autoptr(GBytes) cut = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) * 3 / 4);

    g_assert_false (sd_pg_store_import_bytes (f->store, f->sites.hq, cut, &result, NULL, &error));
    g_assert_error (error, SD_BATCH_ERROR, SD_BATCH_ERROR_DAMAGED);
    g_clear_error (&error);
    sd_sync_import_clear (&result);
    after = pg_dump (f->store);
    g_assert_cmpstr (before, ==, after);
    g_clear_pointer (&after, g_free);
    /* Whole, it comes in. */
    pg_import (f->store, f->sites.hq, whole, NULL);
  }

  /* A disk copied to a second kiosk: the same site id, another history. */
  clone_path = g_build_filename (f->sites.dir, "clone.sqlite", NULL);
  g_assert_true (sd_store_checkpoint (f->sites.k0, &error));
  {
    g_autoptr(GFile) src = g_file_new_for_path (sd_store_get_path (f->sites.k0));
    g_autoptr(GFile) dst = g_file_new_for_path (clone_path);

    g_assert_true (g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  }
  clone = sd_sync_test_open (f->sites.dir, "clone.sqlite");
  sd_sync_test_register_person (f->sites.k0, "本物 一");
  sd_sync_test_register_person (clone, "複製 二");
  original = sd_sync_test_export (f->sites.k0, "hq");
  copied = sd_sync_test_export (clone, "hq");
  pg_import (f->store, f->sites.hq, original, NULL);
  g_free (before), before = pg_dump (f->store);
  g_assert_false (sd_pg_store_import_bytes (f->store, f->sites.hq, copied, &result, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE);
  g_assert_nonnull (strstr (error->message, "copied disk"));
  sd_sync_import_clear (&result);
  after = pg_dump (f->store);
  g_assert_cmpstr (before, ==, after);
}

/* A batch signed by K0 whose last change names a field no table has:
 * made by a ShelterDesk with an error, or by another program. */
static GBytes *
forged_batch (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(SdBatchWriter) writer = NULL;
  g_autoptr(GBytes) sha = NULL;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  guint8 hq_box[crypto_box_PUBLICKEYBYTES];
  sqlite3_stmt *stmt = NULL;
  json_t *header;

  sd_sync_test_register_person (f->sites.k0, "偽造 一");
  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->sites.k0),
    "SELECT json_object ('site', s.site_id, 'seq', o.seq, 'txn', o.txn, 'hlc', o.hlc, 'kind', o.kind, "
    "  'tbl', t.name, 'row_id', sd_row_id (o.row_id), 'fields', json (o.fields)) "
    "FROM oplog o JOIN oplog_sites s ON s.n = o.site JOIN oplog_tables t ON t.n = o.tbl "
    "WHERE s.site_id = (SELECT site_id FROM site) ORDER BY o.seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  {
    char **last = (char **) &g_ptr_array_index (lines, lines->len - 1);
    g_auto(GStrv) parts = g_strsplit (*last, "\"fields\":{", 2);

    g_assert_nonnull (parts[1]);
    g_free (*last);
    *last = g_strconcat (parts[0], "\"fields\":{\"99\":\"x\",", parts[1], NULL);
  }
  g_assert_true (_sd_sync_load_self (f->sites.k0, &self, &error));
  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->sites.k0), "SELECT box_pk FROM sync_peers "
                                       "WHERE role = 'hq'", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  memcpy (hq_box, sqlite3_column_blob (stmt, 0), sizeof hq_box);
  sqlite3_finalize (stmt);
  writer = sd_batch_writer_new (&self.signer, hq_box, &error);
  for (guint i = 0; i < lines->len; i++)
    g_assert_true (sd_batch_writer_add_line (writer, g_ptr_array_index (lines, i),
                                             strlen (g_ptr_array_index (lines, i)), &error));
  header = json_pack ("{s:s, s:s, s:i, s:s, s:s, s:s, s:{}, s:{s:s, s:s}}",
                      "kind", "batch", "origin", sd_store_get_site_id (f->sites.k0), "schema", SD_SCHEMA_VERSION,
                      "deployment", self.deployment_id, "deployment_name", self.deployment_name,
                      "to", sd_store_get_site_id (f->sites.hq), "holds", "sender", "name", "k0", "role", "kiosk");
  sha = sd_batch_writer_finish (writer, header, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Signed, but naming a field no table has: refused by PostgreSQL as by
 * HQ's file, with the same reason, nothing kept. */
static void
test_merge_forged_field (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) forged = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL, *after = NULL;
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  forged = forged_batch (f);
  before = pg_dump (f->store);
  g_assert_false (sd_pg_store_import_bytes (f->store, f->sites.hq, forged, &result, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION);
  g_clear_error (&error);
  sd_sync_import_clear (&result);
  after = pg_dump (f->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (sd_sync_import_bytes (f->sites.hq, forged, NULL, &result, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_OPERATION);
  sd_sync_import_clear (&result);
}

/* ---- two receivers at once ---- */

typedef struct {
  const char *conninfo;
  const char *dir;
  GPtrArray  *batches;   /* GBytes, merged in this order */
} Receiver;

static gpointer
receive (gpointer data)
{
  Receiver *r = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) identity = sd_sync_test_open (r->dir, "hq.sqlite");
  g_autoptr(SdPgStore) store = sd_pg_store_open (r->conninfo, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < r->batches->len; i++)
    pg_import (store, identity, g_ptr_array_index (r->batches, i), NULL);
  return NULL;
}

/* Two receivers merge overlapping batches (each kiosk's later batches
 * hold its earlier ones, HQ never having acknowledged) into one database
 * at the same time, in opposite orders, rounds after rounds: the same
 * state as one receiver merging them one after the other. */
static void
test_concurrent (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) reversed = g_ptr_array_new ();
  g_autofree char *one = NULL, *alone = NULL, *together = NULL;
  g_autoptr(SdPgStore) single = NULL;
  g_autoptr(GError) error = NULL;

  if (f->sites.dir == NULL)
    return;
  for (guint round = 0; round < 4; round++)
    {
      kiosk_day (f->sites.k0, "並行 上", 60);
      g_ptr_array_add (batches, sd_sync_test_export (f->sites.k0, "hq"));
      kiosk_day (f->sites.k1, "並行 下", 60);
      /* Both kiosks edit the same persons of k0's first day (relayed
       * through k1): concurrent upserts of the same cells. */
      if (round == 0)
        sd_sync_test_import (f->sites.k1, sd_sync_test_export (f->sites.k0, sd_store_get_site_id (f->sites.k1)),
                             NULL);
      sd_sync_test_write (f->sites.k1, "UPDATE persons SET phone = '070-' || rowid WHERE rowid % 2 = 0");
      g_ptr_array_add (batches, sd_sync_test_export (f->sites.k1, "hq"));
    }
  for (guint i = batches->len; i > 0; i--)
    g_ptr_array_add (reversed, g_ptr_array_index (batches, i - 1));

  /* One receiver alone. */
  one = new_database ();
  single = sd_pg_store_open (one, &error);
  g_assert_no_error (error);
  {
    SdSyncImport result = { 0 };

    g_assert_true (sd_pg_store_take_oplog (single, f->sites.hq, NULL, &result, NULL, &error));
    sd_sync_import_clear (&result);
  }
  for (guint i = 0; i < batches->len; i++)
    pg_import (single, f->sites.hq, g_ptr_array_index (batches, i), NULL);
  alone = pg_dump (single);

  /* Two at once, each with its own connection and its own HQ file handle. */
  {
    Receiver a = { f->conninfo, f->sites.dir, batches }, b = { f->conninfo, f->sites.dir, reversed };
    GThread *ta = g_thread_new ("receiver-a", receive, &a);
    GThread *tb = g_thread_new ("receiver-b", receive, &b);

    g_thread_join (ta);
    g_thread_join (tb);
  }
  together = pg_dump (f->store);
  assert_same_dump (alone, together);
  /* And it is what SQLite makes of the same batches. */
  for (guint i = 0; i < batches->len; i++)
    sd_sync_test_import (f->sites.hq, g_ptr_array_index (batches, i), NULL);
  take_hq (f);
  {
    g_autofree char *hq = sd_sync_test_dump (f->sites.hq);
    g_autofree char *postgres = pg_dump (f->store);

    assert_same_dump (hq, postgres);
  }
}

/* ---- the HQ desk's data: from PostgreSQL into HQ's file ---- */

static void
fetch (Fixture      *f,
       SdSyncImport *out)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_pg_store_fetch_into (f->store, f->sites.hq, out, NULL, &error));
  g_assert_no_error (error);
}

/* The kiosks' batches reach PostgreSQL only (receivers on other
 * machines); HQ's desk works on its file meanwhile.  Fetched, HQ's file
 * holds what PostgreSQL holds, lists the man both kiosks registered as a
 * possible duplicate for HQ's people, and its decision reaches
 * PostgreSQL; fetched again, only what is new comes. */
static void
test_fetch_into_hq (Fixture *f, gconstpointer data)
{
  static const SdPersonSpec man = { .name = "山田 太郎", .kana = "やまだ たろう", .birth_date = "1950-01-06" };
  SdHouseholdSpec spec = { .shelter_id = "00000000-0000-7000-8000-000000000001", .stay = SD_STAY_SHELTER,
                           .check_in = TRUE };
  g_autoptr(GBytes) b0 = NULL, b1 = NULL, b0_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autofree char *hq = NULL, *postgres = NULL, *list = NULL;
  g_autoptr(json_t) pairs = NULL;
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  kiosk_day (f->sites.k0, "川上", 20);
  kiosk_day (f->sites.k1, "山下", 20);
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *household = sd_store_add_household (k == 0 ? f->sites.k0 : f->sites.k1, &spec, &man, 1, ids,
                                                           &error);

      g_assert_no_error (error);
    }
  b0 = sd_sync_test_export (f->sites.k0, "hq");
  b1 = sd_sync_test_export (f->sites.k1, "hq");
  pg_import (f->store, f->sites.hq, b1, NULL);
  pg_import (f->store, f->sites.hq, b0, NULL);
  rollcall = sd_store_open_rollcall (f->sites.hq, "地震", TRUE, 0, NULL, &error);
  g_assert_no_error (error);

  fetch (f, &result);
  g_assert_cmpint (result.applied, >, 100);
  g_assert_cmpint (result.applied, ==, result.operations);
  g_assert_cmpint (result.duplicates, ==, 1);
  sd_sync_import_clear (&result);
  take_hq (f);
  hq = sd_sync_test_dump (f->sites.hq);
  postgres = pg_dump (f->store);
  assert_same_dump (hq, postgres);
  list = sd_sync_list_duplicates_json (f->sites.hq, FALSE, &error);
  g_assert_no_error (error);
  pairs = json_loads (list, 0, NULL);
  g_assert_cmpint (json_array_size (pairs), ==, 1);

  /* Nothing new: nothing comes.  Then only K0's next changes. */
  fetch (f, &result);
  g_assert_cmpint (result.operations, ==, 0);
  sd_sync_import_clear (&result);
  sd_sync_test_write (f->sites.k0, "UPDATE persons SET phone = '080-1111-2222' WHERE rowid = 2;");
  b0_again = sd_sync_test_export (f->sites.k0, "hq");
  pg_import (f->store, f->sites.hq, b0_again, NULL);
  fetch (f, &result);
  g_assert_cmpint (result.applied, ==, 1);
  g_assert_cmpint (result.operations, ==, 1);
  sd_sync_import_clear (&result);
  take_hq (f);
  g_free (hq), hq = sd_sync_test_dump (f->sites.hq);
  g_free (postgres), postgres = pg_dump (f->store);
  assert_same_dump (hq, postgres);
}

/* An HQ moving to PostgreSQL takes what each kiosk acknowledged along:
 * its first batch to a kiosk from PostgreSQL holds what HQ's file's
 * would, not everything again. */
static void
test_load_keeps_acks (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) b0 = NULL, b1 = NULL, to_k0 = NULL, b0_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) file_out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) pg_out = g_memory_output_stream_new_resizable ();
  SdSyncExport file_result = { 0 }, pg_result = { 0 };
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  kiosk_day (f->sites.k0, "川上", 10);
  kiosk_day (f->sites.k1, "山下", 10);
  b0 = sd_sync_test_export (f->sites.k0, "hq");
  b1 = sd_sync_test_export (f->sites.k1, "hq");
  sd_sync_test_import (f->sites.hq, b0, NULL);
  sd_sync_test_import (f->sites.hq, b1, NULL);
  /* K0 takes HQ's batch (K1's day) and says so in its next one. */
  to_k0 = sd_sync_test_export (f->sites.hq, sd_store_get_site_id (f->sites.k0));
  sd_sync_test_import (f->sites.k0, to_k0, NULL);
  sd_sync_test_write (f->sites.k0, "UPDATE persons SET phone = '080-1111-2222' WHERE rowid = 2;");
  b0_again = sd_sync_test_export (f->sites.k0, "hq");
  sd_sync_test_import (f->sites.hq, b0_again, NULL);

  g_assert_true (sd_pg_store_take_oplog (f->store, f->sites.hq, NULL, &result, NULL, &error));
  g_assert_no_error (error);
  sd_sync_import_clear (&result);
  g_assert_true (sd_sync_export (f->sites.hq, sd_store_get_site_id (f->sites.k0), file_out, &file_result, NULL,
                                 &error));
  g_assert_true (sd_pg_store_export (f->store, f->sites.hq, sd_store_get_site_id (f->sites.k0), pg_out, &pg_result,
                                     NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_result.operations, ==, 0);
  g_assert_cmpint (pg_result.operations, ==, file_result.operations);
  sd_sync_export_clear (&file_result);
  sd_sync_export_clear (&pg_result);
}

/* ---- the shelter guide: lines of the shelters row ---- */

#define FIRST_SHELTER "00000000-0000-7000-8000-000000000001"

static SdShelterGuide *
read_guide (SdStore *site)
{
  g_autoptr(GError) error = NULL;
  SdShelterGuide *guide = sd_store_get_shelter_guide (site, FIRST_SHELTER, &error);

  g_assert_no_error (error);
  g_assert_nonnull (guide);
  return guide;
}

/* PG's batch for the kiosk TO, imported there. */
static void
pg_to_kiosk (Fixture *f,
             SdStore *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  SdSyncExport result = { 0 };

  g_assert_true (sd_pg_store_export (f->store, f->sites.hq, sd_store_get_site_id (to), out, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  sd_sync_export_clear (&result);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  sd_sync_test_import (to, bytes, NULL);
}

/* K0 writes the first shelter's guide, K1 meanwhile its note only (each
 * from the guide it read, still empty): both batches merged into
 * PostgreSQL, whose shelters row holds every line of both; PostgreSQL's
 * batches carry them to each kiosk, and pg fetch to HQ's desk. */
static void
test_shelter_guide (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) base0 = NULL, base1 = NULL, edit0 = NULL, edit1 = NULL, expected = NULL;
  g_autoptr(GBytes) b0 = NULL, b1 = NULL;
  g_autofree char *db_name = NULL, *row = NULL, *hq = NULL, *postgres = NULL;
  SdSyncImport result = { 0 };

  if (f->sites.dir == NULL)
    return;
  db_name = g_strdup_printf ("t%u", n_databases);
  base0 = read_guide (f->sites.k0);
  base1 = read_guide (f->sites.k1);
  g_assert_true (sd_shelter_guide_is_empty (base0));
  edit0 = sd_shelter_guide_copy (base0);
  edit0->times[SD_GUIDE_BREAKFAST] = g_strdup ("7:00");
  edit0->times[SD_GUIDE_LUNCH] = g_strdup ("12時半");
  edit0->times[SD_GUIDE_DINNER] = g_strdup ("午後6時");
  edit0->places[SD_GUIDE_ASK] = g_strdup ("体育館入口の受付");
  edit0->places[SD_GUIDE_CHARGING] = g_strdup ("図書室（1階）");
  edit0->rules = 1u << SD_GUIDE_RULE_NO_SMOKING | 1u << SD_GUIDE_RULE_SHOES_OFF | 1u << SD_GUIDE_RULE_QUIET;
  g_assert_true (sd_store_set_shelter_guide (f->sites.k0, FIRST_SHELTER, base0, edit0, &error));
  g_assert_no_error (error);
  edit1 = sd_shelter_guide_copy (base1);
  edit1->note = g_strdup ("給水車は毎日10時に校庭に来ます。");
  g_assert_true (sd_store_set_shelter_guide (f->sites.k1, FIRST_SHELTER, base1, edit1, &error));
  g_assert_no_error (error);

  b0 = sd_sync_test_export (f->sites.k0, "hq");
  b1 = sd_sync_test_export (f->sites.k1, "hq");
  pg_import (f->store, f->sites.hq, b1, NULL);
  pg_import (f->store, f->sites.hq, b0, NULL);
  row = sd_test_pg_psql (pg, db_name,
                         "SELECT guide_breakfast, guide_lunch, guide_dinner, guide_lights_out IS NULL, guide_ask, "
                         "guide_supplies IS NULL, guide_charging, guide_rules, guide_note "
                         "FROM shelters WHERE id = '" FIRST_SHELTER "'");
  /* The times as HH:MM, the places tidied as stored (NFKC: full-width
   * brackets become ASCII). */
  g_assert_cmpstr (row, ==, "07:00|12:30|18:00|t|体育館入口の受付|t|図書室(1階)|no-smoking shoes-off quiet|"
                            "給水車は毎日10時に校庭に来ます。\n");

  /* Out again: each kiosk has the other's lines. */
  expected = read_guide (f->sites.k0);
  g_free (expected->note);
  expected->note = g_strdup (edit1->note);
  pg_to_kiosk (f, f->sites.k0);
  pg_to_kiosk (f, f->sites.k1);
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(SdShelterGuide) guide = read_guide (k == 0 ? f->sites.k0 : f->sites.k1);

      g_assert_cmpstr (guide->times[SD_GUIDE_LUNCH], ==, "12:30");
      g_assert_cmpstr (guide->note, ==, "給水車は毎日10時に校庭に来ます。");
      g_assert_true (sd_shelter_guide_equal (guide, expected));
    }

  /* And to HQ's desk, the same as PostgreSQL. */
  fetch (f, &result);
  g_assert_cmpint (result.applied, >, 0);
  sd_sync_import_clear (&result);
  {
    g_autoptr(SdShelterGuide) guide = read_guide (f->sites.hq);

    g_assert_true (sd_shelter_guide_equal (guide, expected));
  }
  take_hq (f);
  hq = sd_sync_test_dump (f->sites.hq);
  postgres = pg_dump (f->store);
  assert_same_dump (hq, postgres);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  pg = sd_test_pg_start ();
#define ADD(path, func) g_test_add ("/pg/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("schema/same-as-sqlite", test_schema_same);
  ADD ("open/refused", test_open_refused);
  ADD ("merge/same-as-sqlite", test_merge_same_as_sqlite);
  ADD ("merge/refused", test_merge_refused);
  ADD ("merge/forged-field", test_merge_forged_field);
  ADD ("merge/two-receivers", test_concurrent);
  ADD ("fetch/into-hq", test_fetch_into_hq);
  ADD ("load/keeps-acknowledgements", test_load_keeps_acks);
  ADD ("merge/shelter-guide", test_shelter_guide);
  status = g_test_run ();
  sd_test_pg_stop (pg);
  return status;
}
