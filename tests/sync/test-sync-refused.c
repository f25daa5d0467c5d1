/* test-sync-refused.c: every batch that must be refused is, before anything is written; what must be flagged is.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Refused, with the database file's SHA-256 unchanged: a batch cut
 * short, a byte flipped anywhere, a batch signed by a kiosk HQ never
 * enrolled or revoked, sealed to another HQ, made by a newer schema, from
 * a copied disk (a cloned site id), the wrong passphrase or fingerprint.
 * Accepted but shown: the same batch again (nothing changes), a gap in a
 * site's sequence, a clock an hour ahead (clamped and flagged).
 */
#include "sd-sync-test.h"
#include "sd-json.h"
#include "sd-sync-private.h"

#include <glib/gstdio.h>
#include <string.h>

typedef SdSyncTestSites Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("sd-sync-refused-XXXXXX", NULL);
  sd_sync_test_make_deployment (f->dir, 2);
  sd_sync_test_sites_open (f);
}

/* The HQ file's hash, every committed change in it. */
static char *
hq_sha (Fixture *f)
{
  return sd_sync_test_store_sha256 (f->hq);
}

/* Imports BYTES at HQ, which must refuse them with DOMAIN and CODE and
 * stay exactly as it was. */
static void
assert_refused (Fixture *f,
                GBytes  *bytes,
                GQuark   domain,
                int      code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = hq_sha (f);
  g_autofree char *after = NULL;
  SdSyncImport result = { 0 };

  g_assert_false (sd_sync_import_bytes (f->hq, bytes, NULL, &result, NULL, &error));
  g_assert_error (error, domain, code);
  g_assert_cmpint (result.applied, ==, 0);
  sd_sync_import_clear (&result);
  after = hq_sha (f);
  g_assert_cmpstr (before, ==, after);
}

static gint64
count (SdStore    *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_reimport (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) batch = NULL;
  g_autofree char *before = NULL, *after = NULL;
  SdSyncImport result = { 0 };

  sd_sync_test_register_person (f->k0, "再送 一郎");
  batch = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, batch, &result);
  g_assert_cmpint (result.applied, >, 0);
  g_assert_false (result.already_imported);
  sd_sync_import_clear (&result);

  before = hq_sha (f);
  sd_sync_test_import (f->hq, batch, &result);
  g_assert_true (result.already_imported);
  g_assert_cmpint (result.applied, ==, 0);
  sd_sync_import_clear (&result);
  after = hq_sha (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_damaged (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) batch = NULL;
  const guint8 *bytes;
  gsize size;
  /* The magic, the sealed key, the stream header, the signed header,
   * the middle of the payload, the last record's tag. */
  gsize flips[] = { 0, 3, 9, 50, 100, 120, 140, 300, 0, 0, 0 };
  gsize cuts[] = { 0, 7, 60, 111, 200, 0, 0 };

  for (int i = 0; i < 300; i++)
    sd_sync_test_register_person (f->k0, i % 2 ? "損傷 花子" : "損傷 太郎");
  batch = sd_sync_test_export (f->k0, "hq");
  bytes = g_bytes_get_data (batch, &size);
  g_assert_cmpuint (size, >, 2000);
  flips[8] = size / 2;
  flips[9] = size - 20;
  flips[10] = size - 1;
  cuts[5] = size / 2;
  cuts[6] = size - 1;

  for (guint i = 0; i < G_N_ELEMENTS (flips); i++)
    {
      g_autofree guint8 *copy = g_memdup2 (bytes, size);
      g_autoptr(GBytes) damaged = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *before = hq_sha (f);
      g_autofree char *after = NULL;
      SdSyncImport result = { 0 };

      copy[flips[i]] ^= 0x20;
      damaged = g_bytes_new (copy, size);
      g_assert_false (sd_sync_import_bytes (f->hq, damaged, NULL, &result, NULL, &error));
      g_assert_true (error->domain == SD_BATCH_ERROR);
      sd_sync_import_clear (&result);
      after = hq_sha (f);
      g_assert_cmpstr (before, ==, after);
    }
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr(GBytes) cut = g_bytes_new (bytes, cuts[i]);
      g_autoptr(GError) error = NULL;
      SdSyncImport result = { 0 };

      g_assert_false (sd_sync_import_bytes (f->hq, cut, NULL, &result, NULL, &error));
      g_assert_true (error->domain == SD_BATCH_ERROR);
      sd_sync_import_clear (&result);
    }
  /* The whole batch still goes in afterwards. */
  sd_sync_test_import (f->hq, batch, NULL);
  g_assert_cmpint (count (f->hq, "SELECT count (*) FROM persons WHERE name LIKE '損傷%'"), ==, 300);
}

/* A kiosk enrolled from the bundle whose first batch HQ never accepted. */
static void
test_unenrolled_and_fingerprint (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = g_build_filename (f->dir, "bundle.sdbundle", NULL);
  g_autofree char *passphrase_path = g_build_filename (f->dir, "passphrase.txt", NULL);
  g_autofree char *passphrase = NULL;
  g_autofree char *path = g_build_filename (f->dir, "stranger.sqlite", NULL);
  g_autoptr(SdStore) stranger = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_autoptr(GFile) file = g_file_new_for_path (bundle);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GBytes) batch = NULL;
  SdSyncImport result = { 0 };

  g_assert_true (g_file_get_contents (passphrase_path, &passphrase, NULL, NULL));
  g_assert_true (sd_sync_enrol (stranger, G_INPUT_STREAM (in), passphrase, NULL, &error));
  g_assert_no_error (error);
  sd_sync_test_register_person (stranger, "未登録 三郎");
  batch = sd_sync_test_export (stranger, "hq");
  assert_refused (f, batch, SD_SYNC_ERROR, SD_SYNC_ERROR_UNKNOWN_SENDER);

  /* A fingerprint that is not the kiosk's enrols nothing. */
  g_assert_false (sd_sync_import_bytes (f->hq, batch, "0000-0000-0000-0000-0000", &result, NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_FINGERPRINT);
  g_clear_error (&error);
  sd_sync_import_clear (&result);
  g_assert_cmpint (count (f->hq, "SELECT count (*) FROM sync_peers"), ==, 2);
}

static void
test_revoked (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before_revoke = NULL, after_revoke = NULL, to_k1 = NULL;

  sd_sync_test_register_person (f->k0, "失くし 物男");
  before_revoke = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, before_revoke, NULL);
  g_assert_true (sd_sync_revoke (f->hq, sd_store_get_site_name (f->k0), &error));
  g_assert_no_error (error);

  sd_sync_test_register_person (f->k0, "盗まれ 後子");
  after_revoke = sd_sync_test_export (f->k0, "hq");
  assert_refused (f, after_revoke, SD_SYNC_ERROR, SD_SYNC_ERROR_REVOKED);
  /* What it sent before stays. */
  g_assert_cmpint (count (f->hq, "SELECT count (*) FROM persons WHERE name = '失くし 物男'"), ==, 1);

  /* HQ's next batch tells the other kiosks, which refuse it too. */
  to_k1 = sd_sync_test_export (f->hq, sd_store_get_site_id (f->k1));
  sd_sync_test_import (f->k1, to_k1, NULL);
  {
    g_autoptr(GBytes) relay = sd_sync_test_export (f->k0, sd_store_get_site_id (f->k1));
    SdSyncImport result = { 0 };

    g_assert_false (sd_sync_import_bytes (f->k1, relay, NULL, &result, NULL, &error));
    g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_REVOKED);
    sd_sync_import_clear (&result);
  }
}

static void
test_other_hq (Fixture *f, gconstpointer data)
{
  g_autofree char *other = g_build_filename (f->dir, "other", NULL);
  g_autoptr(SdStore) their_kiosk = NULL;
  g_autoptr(GBytes) batch = NULL;

  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);
  sd_sync_test_make_deployment (other, 1);
  their_kiosk = sd_sync_test_open (other, "k0.sqlite");
  sd_sync_test_register_person (their_kiosk, "他市 民子");
  batch = sd_sync_test_export (their_kiosk, "hq");
  assert_refused (f, batch, SD_BATCH_ERROR, SD_BATCH_ERROR_NOT_FOR_US);
}

/* K0's changes above AFTER, each as the line a batch carries. */
static GPtrArray *
op_lines (SdStore *store,
          gint64   after)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store),
    "SELECT json_object ('site', s.site_id, 'seq', o.seq, 'txn', o.txn, 'hlc', o.hlc, 'kind', o.kind, "
    "  'tbl', t.name, 'row_id', sd_row_id (o.row_id), 'fields', json (o.fields)) "
    "FROM oplog o JOIN oplog_sites s ON s.n = o.site JOIN oplog_tables t ON t.n = o.tbl "
    "WHERE s.site_id = ?1 AND o.seq > ?2 ORDER BY o.seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sd_store_get_site_id (store), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, after);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return lines;
}

/* A batch for HQ signed by k0, made by SCHEMA, that carries
 * LINES[FROM[i]] in turn (FROM ends with -1): changes in any order,
 * repeated, or forged. */
static GBytes *
batch_of (Fixture    *f,
          GPtrArray  *lines,
          const int  *from,
          int         schema)
{
  g_autoptr(GError) error = NULL;
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(SdBatchWriter) writer = NULL;
  g_autoptr(GBytes) sha = NULL;
  guint8 hq_box[crypto_box_PUBLICKEYBYTES];
  sqlite3_stmt *stmt = NULL;
  json_t *header;

  g_assert_true (_sd_sync_load_self (f->k0, &self, &error));
  g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (f->k0), "SELECT box_pk FROM sync_peers WHERE role = 'hq'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  memcpy (hq_box, sqlite3_column_blob (stmt, 0), sizeof hq_box);
  sqlite3_finalize (stmt);
  writer = sd_batch_writer_new (&self.signer, hq_box, &error);
  for (; *from >= 0; from++)
    {
      const char *line = g_ptr_array_index (lines, *from);

      g_assert_true (sd_batch_writer_add_line (writer, line, strlen (line), &error));
    }
  header = json_pack ("{s:s, s:s, s:i, s:s, s:s, s:s, s:{}, s:{s:s, s:s}}",
                      "kind", "batch", "origin", sd_store_get_site_id (f->k0), "schema", schema,
                      "deployment", self.deployment_id, "deployment_name", self.deployment_name,
                      "to", sd_store_get_site_id (f->hq), "holds", "sender", "name", "k0", "role", "kiosk");
  sha = sd_batch_writer_finish (writer, header, out, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_newer_schema (Fixture *f, gconstpointer data)
{
  /* Everything right, signed by k0, but made by a schema from the future. */
  g_autoptr(GBytes) batch = batch_of (f, NULL, (const int[]) { -1 }, SD_SCHEMA_VERSION + 1);

  assert_refused (f, batch, SD_SYNC_ERROR, SD_SYNC_ERROR_TOO_NEW);
}

static void
test_cloned_site (Fixture *f, gconstpointer data)
{
  g_autofree char *clone_path = g_build_filename (f->dir, "clone.sqlite", NULL);
  g_autoptr(GFile) src = g_file_new_for_path (sd_store_get_path (f->k0));
  g_autoptr(GFile) dst = g_file_new_for_path (clone_path);
  g_autoptr(SdStore) clone = NULL;
  g_autoptr(GBytes) original = NULL, copied = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_store_checkpoint (f->k0, &error));
  g_assert_true (g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  clone = sd_sync_test_open (f->dir, "clone.sqlite");
  g_assert_cmpstr (sd_store_get_site_id (clone), ==, sd_store_get_site_id (f->k0));
  sd_sync_test_register_person (f->k0, "本物 一");
  sd_sync_test_register_person (clone, "複製 二");
  original = sd_sync_test_export (f->k0, "hq");
  copied = sd_sync_test_export (clone, "hq");
  sd_sync_test_import (f->hq, original, NULL);
  assert_refused (f, copied, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE);
}

/* The merge stores changes 64 to a statement (sd-sync.c): a change held
 * already, or twice in the batch, or forged under a held number, is
 * what it was when they went one by one, wherever the chunks fall. */
static void
test_chunks (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GPtrArray) more = NULL;
  g_autoptr(GBytes) first = NULL, second = NULL, forged = NULL;
  g_autofree char *line = NULL;
  int order[256], n = 0, total;
  gint64 held = count (f->k0, "SELECT max (o.seq) FROM oplog o JOIN oplog_sites s ON s.n = o.site "
                              "WHERE s.site_id = (SELECT site_id FROM site)");
  SdSyncImport result = { 0 };
  char *hlc;

  for (int i = 0; i < 80; i++)
    sd_sync_test_register_person (f->k0, "塊 一");
  lines = op_lines (f->k0, held);
  total = (int) lines->len;
  g_assert_cmpint (total, >, 150);
  g_assert_cmpint (total, <, G_N_ELEMENTS (order) - 10);

  /* The first 100, then the 70th again (in the same chunk as the first
   * time) and the 3rd (in another). */
  for (int i = 0; i < 100; i++)
    order[n++] = i;
  order[n++] = 69;
  order[n++] = 2;
  order[n] = -1;
  first = batch_of (f, lines, order, SD_SCHEMA_VERSION);
  sd_sync_test_import (f->hq, first, &result);
  g_assert_cmpint (result.applied, ==, 100);
  g_assert_cmpint (result.already_had, ==, 2);
  sd_sync_import_clear (&result);

  /* From the 51st on: held and new on either side of a chunk's end. */
  n = 0;
  for (int i = 50; i < total; i++)
    order[n++] = i;
  order[n] = -1;
  second = batch_of (f, lines, order, SD_SCHEMA_VERSION);
  sd_sync_test_import (f->hq, second, &result);
  g_assert_cmpint (result.applied, ==, total - 100);
  g_assert_cmpint (result.already_had, ==, 50);
  sd_sync_import_clear (&result);
  g_assert_cmpint (count (f->hq, "SELECT count (*) FROM persons WHERE name = '塊 一'"), ==, 80);

  /* In one chunk: a held change, the same again but with another HLC
   * (the forgery, refused), then new changes (stored by the chunk's
   * statement, and undone with the rest). */
  sd_sync_test_register_person (f->k0, "塊 二");
  sd_sync_test_register_person (f->k0, "塊 二");
  more = op_lines (f->k0, held + total);
  g_assert_cmpint (more->len, >=, 2);
  line = g_strdup (g_ptr_array_index (lines, 40));
  hlc = strstr (line, "\"hlc\":");
  g_assert_nonnull (hlc);
  hlc[strlen ("\"hlc\":") + 3] = hlc[strlen ("\"hlc\":") + 3] == '1' ? '2' : '1';
  g_ptr_array_add (more, g_steal_pointer (&line));
  g_ptr_array_add (more, g_strdup (g_ptr_array_index (lines, 10)));
  n = 0;
  order[n++] = more->len - 1;
  order[n++] = more->len - 2;
  for (guint i = 0; i < more->len - 2; i++)
    order[n++] = i;
  order[n] = -1;
  forged = batch_of (f, more, order, SD_SCHEMA_VERSION);
  assert_refused (f, forged, SD_SYNC_ERROR, SD_SYNC_ERROR_CLONED_SITE);
}

/* A site's sequence with a hole: recorded and shown; filled later, gone. */
static void
test_gap (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) partial = NULL, whole = NULL;
  g_autofree char *sql = NULL;
  SdSyncImport result = { 0 };
  SdSyncStatus status;
  g_autoptr(GError) error = NULL;

  sd_sync_test_register_person (f->k0, "欠番 一");
  sd_sync_test_register_person (f->k0, "欠番 二");
  sql = g_strdup_printf ("UPDATE peer_acks SET acked_seq = acked_seq + 2 WHERE peer_site_id = '%s' "
                         "AND origin = sd_site ()", sd_store_get_site_id (f->hq));
  sd_sync_test_write (f->k0, sql);
  partial = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, partial, &result);
  g_assert_cmpint (result.gaps, ==, 2);
  sd_sync_import_clear (&result);
  g_assert_true (sd_sync_get_status (f->hq, &status, &error));
  g_assert_cmpuint (status.gaps, ==, 2);
  g_assert_true (sd_store_check (f->hq, &error));
  g_assert_no_error (error);

  g_free (sql);
  sql = g_strdup_printf ("UPDATE peer_acks SET acked_seq = 0 WHERE peer_site_id = '%s' AND origin = sd_site ()",
                         sd_store_get_site_id (f->hq));
  sd_sync_test_write (f->k0, sql);
  whole = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, whole, &result);
  g_assert_cmpint (result.gaps, ==, 0);
  sd_sync_import_clear (&result);
  g_assert_true (sd_store_check_deep (f->hq, &error));
  g_assert_no_error (error);
}

static gint64
an_hour_ahead (gpointer data)
{
  return g_get_real_time () / 1000 + 3600 * 1000;
}

static void
test_clock_ahead (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) batch = NULL;
  SdSyncImport result = { 0 };
  gint64 now_ms = g_get_real_time () / 1000;

  sd_store_set_clock (f->k0, an_hour_ahead, NULL);
  sd_sync_test_register_person (f->k0, "未来 時子");
  batch = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, batch, &result);
  g_assert_cmpint (result.applied, >, 0);
  g_assert_cmpint (result.clamped, >, 0);
  sd_sync_import_clear (&result);
  /* HQ's clock did not follow: at most the limit ahead. */
  g_assert_cmpint (sd_hlc_get_wall_ms (sd_store_get_hlc (f->hq)), <=,
                   now_ms + SD_SYNC_MAX_AHEAD_MS + 60 * 1000);
  g_assert_cmpint (count (f->hq, "SELECT ahead_ms FROM sync_clock_flags"), >, 50 * 60 * 1000);

  /* Nor does it after a restart, which reads the clock from the op-log. */
  {
    g_clear_object (&f->hq);
    f->hq = sd_sync_test_open (f->dir, "hq.sqlite");
    g_assert_cmpint (sd_hlc_get_wall_ms (sd_store_get_hlc (f->hq)), <=,
                     g_get_real_time () / 1000 + SD_SYNC_MAX_AHEAD_MS + 60 * 1000);
  }
}

static void
test_enrol_refusals (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = g_build_filename (f->dir, "bundle.sdbundle", NULL);
  g_autofree char *path = g_build_filename (f->dir, "new.sqlite", NULL);
  g_autoptr(SdStore) blank = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  g_autoptr(GFile) file = g_file_new_for_path (bundle);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  g_autoptr(GFileInputStream) again = g_file_read (file, NULL, NULL);

  g_assert_false (sd_sync_enrol (blank, G_INPUT_STREAM (in), "AAAA-BBBB-CCCC-DDDD-EEEE", NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);
  g_assert_cmpint (sd_sync_get_role (blank), ==, SD_SYNC_ROLE_NONE);
  /* A kiosk already holding records is not enrolled over. */
  g_assert_false (sd_sync_enrol (f->k1, G_INPUT_STREAM (again), "x", NULL, &error));
  g_assert_error (error, SD_SYNC_ERROR, SD_SYNC_ERROR_ALREADY_ENROLLED);
}

/* The file's name is in the message, for a lead who has ten on a stick. */
static void
test_message_names_file (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "k9-to-hq.sdbatch", NULL);
  SdSyncImport result = { 0 };

  g_assert_true (g_file_set_contents (path, "SDBATCH\x01 not really", -1, NULL));
  g_assert_false (sd_sync_import_file (f->hq, path, NULL, &result, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "k9-to-hq.sdbatch: "));
  sd_sync_import_clear (&result);
}

/* Text that JSON must escape, in a row's id and its fields, travels
 * exactly: such a change is written by jansson, not copied as it is. */
static void
test_odd_text_travels (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) batch = NULL;

  sd_sync_test_write (f->k0, "INSERT INTO shelters (id, code, name, kind) VALUES "
                             "('odd\"\\' || char (9) || 'id', 'X1', '\"引用\" \\ ' || char (10), 'temporary')");
  batch = sd_sync_test_export (f->k0, "hq");
  sd_sync_test_import (f->hq, batch, NULL);
  g_assert_cmpint (count (f->hq, "SELECT count (*) FROM shelters WHERE id = 'odd\"\\' || char (9) || 'id' "
                                 "AND name = '\"引用\" \\ ' || char (10)"), ==, 1);
}

#define OP_HEAD "{\"site\":\"1fc14d242c5e3b3584633db7e126e949\",\"seq\":12,\"txn\":10,\"hlc\":122003748293427200,"
#define OP_ROW "\"row_id\":\"01a2379b-dd86-71b9-a8fd-a10fed4238a3\","

/* An operation's line read in place (the layout this program writes)
 * and read by jansson give the very same change, packed byte for byte;
 * whatever the fast reading leaves is jansson's to decide, and what
 * jansson refuses the fast reading never takes. */
static void
test_operation_lines (void)
{
  static const char *const taken[] = {
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW
      "\"fields\":{\"1\":\"01a2379b-dd86-71ba-9651-5b607ecc94aa\",\"2\":\"同期 太郎\",\"5\":null,\"7\":-3,\"9\":0}}",
    OP_HEAD "\"kind\":3,\"tbl\":\"persons\"," OP_ROW "\"fields\":null}",
    OP_HEAD "\"kind\":2,\"tbl\":\"persons\"," OP_ROW "\"fields\":{}}",
    OP_HEAD "\"kind\":2,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"1000\":\"😀 é\",\"12\":999999999999999999}}",
  };
  static const char *const left[] = {
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"a\\nb\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"\\u540c\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":1.5}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":1e3}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":-0}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":true}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":1234567890123456789}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"0\":1}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"01\":1}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"1001\":1}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"x\":1}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":[1]}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\":1}, \"more\":1}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"3\": 1}}",
    "{\"seq\":12,\"site\":\"1fc14d242c5e3b3584633db7e126e949\",\"txn\":10,\"hlc\":1,\"kind\":1,\"tbl\":\"persons\","
      OP_ROW "\"fields\":{}}",
    OP_HEAD "\"kind\":01,\"tbl\":\"persons\"," OP_ROW "\"fields\":{}}",
    OP_HEAD "\"kind\":\"1\",\"tbl\":\"persons\"," OP_ROW "\"fields\":{}}",
    /* Refused by jansson too. */
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":1,\"2\":2}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"\xc3\x28\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"\xc0\xaf\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"\xed\xa0\x80\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"\xf4\x90\x80\x80\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"a\x01\"}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"a\"}}x",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"a\"}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":\"a}}",
    OP_HEAD "\"kind\":1,\"tbl\":\"persons\"," OP_ROW "\"fields\":{\"2\":1,}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    {
      g_autofree char *line = g_strdup (taken[i]);
      g_autoptr(json_t) json = sd_json_parse (taken[i], strlen (taken[i]), 0, NULL);
      g_autofree char *packed = NULL;
      SdSyncOp fast, slow;

      g_assert_true (_sd_sync_op_parse (line, strlen (line), &fast));
      g_assert_nonnull (json);
      g_assert_true (_sd_sync_op_from_json (json, &slow, &packed));
      g_assert_cmpstr (fast.site, ==, slow.site);
      g_assert_cmpstr (fast.tbl, ==, slow.tbl);
      g_assert_cmpstr (fast.row_id, ==, slow.row_id);
      g_assert_cmpint (fast.seq, ==, slow.seq);
      g_assert_cmpint (fast.txn, ==, slow.txn);
      g_assert_cmpint (fast.hlc, ==, slow.hlc);
      g_assert_cmpint (fast.kind, ==, slow.kind);
      g_assert_cmpint (fast.deletion, ==, slow.deletion);
      g_assert_cmpstr (fast.packed, ==, slow.packed);
      g_assert_cmpmem (fast.field, fast.n_fields * sizeof fast.field[0], slow.field, slow.n_fields * sizeof slow.field[0]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    {
      g_autofree char *line = g_strdup (left[i]);
      SdSyncOp fast;

      if (_sd_sync_op_parse (line, strlen (line), &fast))
        g_error ("read in place, but not in the layout written: %s", left[i]);
      /* Left to jansson as it came. */
      g_assert_cmpstr (line, ==, left[i]);
    }
  /* What jansson refuses (the last ones) is refused whole. */
  for (guint i = G_N_ELEMENTS (left) - 10; i < G_N_ELEMENTS (left); i++)
    {
      g_autoptr(json_t) json = sd_json_parse (left[i], strlen (left[i]), 0, NULL);

      if (json != NULL)
        g_error ("jansson reads %s", left[i]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/sync/refused/" path, Fixture, NULL, fixture_set_up, func, sd_sync_test_sites_tear_down)
  ADD ("reimport", test_reimport);
  ADD ("damaged", test_damaged);
  ADD ("unenrolled-and-fingerprint", test_unenrolled_and_fingerprint);
  ADD ("revoked", test_revoked);
  ADD ("other-hq", test_other_hq);
  ADD ("newer-schema", test_newer_schema);
  ADD ("cloned-site", test_cloned_site);
  ADD ("chunks", test_chunks);
  ADD ("gap", test_gap);
  ADD ("clock-ahead", test_clock_ahead);
  ADD ("enrol-refusals", test_enrol_refusals);
  ADD ("message-names-file", test_message_names_file);
  ADD ("odd-text-travels", test_odd_text_travels);
  g_test_add_func ("/sync/refused/operation-lines", test_operation_lines);
  return g_test_run ();
}
