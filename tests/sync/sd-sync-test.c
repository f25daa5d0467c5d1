/* sd-sync-test.c: a deployment of real databases for the sync tests: HQ and enrolled kiosks.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-sync-test.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

void
sd_sync_test_write (SdStore    *store,
                    const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);
  char *message = NULL;

  g_assert_no_error (error);
  if (sqlite3_exec (_sd_store_get_db (store), sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  g_assert_no_error (error);
}

GBytes *
sd_sync_test_export (SdStore    *from,
                     const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  SdSyncExport result = { 0 };

  g_assert_true (sd_sync_export (from, to, out, &result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  sd_sync_export_clear (&result);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* The gaps an import keeps where its batch changed them (sd-sync.c,
 * note_gaps) equal the holes of every origin's whole sequence, found
 * from scratch. */
void
sd_sync_test_assert_gaps_exact (SdStore *store)
{
  static const char recount[] =
    "SELECT group_concat (x, ' ') FROM (SELECT s.site_id || ':' || (g.prev + 1) || '-' || (g.seq - 1) AS x "
    "  FROM (SELECT site, seq, lag (seq, 1, 0) OVER (PARTITION BY site ORDER BY seq) AS prev FROM oplog) g "
    "  JOIN oplog_sites s ON s.n = g.site "
    "  WHERE g.seq > g.prev + 1 AND NOT EXISTS (SELECT 1 FROM oplog_gaps r WHERE r.site_id = s.site_id "
    "    AND r.reason != 'sync' AND r.first_seq <= g.seq - 1 AND r.last_seq >= g.prev + 1) "
    "  ORDER BY x)";
  static const char kept[] =
    "SELECT group_concat (x, ' ') FROM (SELECT site_id || ':' || first_seq || '-' || last_seq AS x "
    "  FROM oplog_gaps WHERE reason = 'sync' ORDER BY x)";
  const char *sql[] = { recount, kept };
  char *found[2] = { NULL, NULL };

  for (guint i = 0; i < 2; i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (_sd_store_get_db (store), sql[i], -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      found[i] = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
    }
  g_assert_cmpstr (found[1], ==, found[0]);
  g_free (found[0]);
  g_free (found[1]);
}

void
sd_sync_test_import (SdStore      *into,
                     GBytes       *bytes,
                     SdSyncImport *out_result)
{
  g_autoptr(GError) error = NULL;
  SdSyncImport result = { 0 };

  if (!sd_sync_import_bytes (into, bytes, NULL, &result, NULL, &error))
    g_error ("import into %s: %s", sd_store_get_site_name (into), error->message);
  sd_sync_test_assert_gaps_exact (into);
  if (out_result != NULL)
    *out_result = result;
  else
    sd_sync_import_clear (&result);
}

static SdStore *
open_new (const char *dir,
          const char *file,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, file, NULL);
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_true (sd_store_set_site_name (store, name, &error));
  return store;
}

static void
make_deployment (const char *dir,
                 guint       n_kiosks,
                 gboolean    exercise)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) hq = open_new (dir, "hq.sqlite", "本部");
  g_autoptr(GOutputStream) bundle = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bundle_bytes = NULL;
  g_autofree char *passphrase = NULL;
  GPtrArray *kiosks = g_ptr_array_new_with_free_func (g_object_unref);

  if (exercise)
    {
      g_assert_true (sd_store_mark_exercise (hq, &error));
      g_assert_no_error (error);
    }
  sd_sync_test_write (hq,
    "INSERT INTO shelters (id, code, name, kind, capacity, is_open) VALUES "
    "('00000000-0000-7000-8000-000000000001', 'S01', '東小学校', 'designated', 300, 1),"
    "('00000000-0000-7000-8000-000000000002', 'S02', '西中学校', 'designated', 500, 1),"
    "('00000000-0000-7000-8000-000000000003', 'S03', '福祉センター', 'welfare', 50, 1);"
    "INSERT INTO staff (id, staff_no, name, role) VALUES "
    "('00000000-0000-7000-8000-000000000011', '1001', '井上 和子', 'lead'),"
    "('00000000-0000-7000-8000-000000000012', '1002', '木村 健', 'volunteer'),"
    "('00000000-0000-7000-8000-000000000013', '1003', '林 直美', 'hq');"
    "INSERT INTO support_persons (id, name, birth_date, reason, created_at) VALUES "
    "('00000000-0000-7000-8000-000000000021', '大野 ハル', '1938-04-01', '歩行困難', 1),"
    "('00000000-0000-7000-8000-000000000022', '小川 進', '1945-09-12', '視覚障害', 1),"
    "('00000000-0000-7000-8000-000000000023', '石井 トメ', '1931-02-20', '要介護3', 1);");
  g_assert_true (sd_sync_init_hq (hq, "テスト市", &error));
  g_assert_true (sd_sync_write_bundle (hq, bundle, &passphrase, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (bundle, NULL, NULL);
  bundle_bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (bundle));
  {
    g_autofree char *bundle_path = g_build_filename (dir, "bundle.sdbundle", NULL);
    g_autofree char *passphrase_path = g_build_filename (dir, "passphrase.txt", NULL);

    g_assert_true (g_file_set_contents (bundle_path, g_bytes_get_data (bundle_bytes, NULL),
                                        (gssize) g_bytes_get_size (bundle_bytes), NULL));
    g_assert_true (g_file_set_contents (passphrase_path, passphrase, -1, NULL));
  }

  for (guint k = 0; k < n_kiosks; k++)
    {
      g_autofree char *file = g_strdup_printf ("k%u.sqlite", k);
      g_autofree char *name = g_strdup_printf ("避難所%u", k);
      SdStore *kiosk = open_new (dir, file, name);
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle_bytes);
      g_autoptr(GBytes) hello = NULL;
      g_autofree char *fingerprint = NULL;
      SdSyncImport result = { 0 };

      g_assert_true (sd_sync_enrol (kiosk, in, passphrase, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sd_store_get_is_exercise (kiosk), ==, exercise);
      hello = sd_sync_test_export (kiosk, "hq");
      fingerprint = sd_sync_get_fingerprint (kiosk);
      g_assert_true (sd_sync_import_bytes (hq, hello, fingerprint, &result, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (result.enrolled);
      sd_sync_import_clear (&result);
      g_ptr_array_add (kiosks, kiosk);
    }
  /* HQ's answer lists every kiosk, so kiosks may relay to each other. */
  for (guint k = 0; k < kiosks->len; k++)
    {
      SdStore *kiosk = g_ptr_array_index (kiosks, k);
      g_autoptr(GBytes) answer = sd_sync_test_export (hq, sd_store_get_site_id (kiosk));

      sd_sync_test_import (kiosk, answer, NULL);
    }
  g_ptr_array_unref (kiosks);
}

void
sd_sync_test_make_deployment (const char *dir,
                              guint       n_kiosks)
{
  make_deployment (dir, n_kiosks, FALSE);
}

void
sd_sync_test_make_exercise (const char *dir,
                            guint       n_kiosks)
{
  make_deployment (dir, n_kiosks, TRUE);
}

char *
sd_sync_test_dump (SdStore *store)
{
  g_autoptr(GError) error = NULL;
  char *dump = sd_sync_canonical_dump (store, &error);

  g_assert_no_error (error);
  return dump;
}

void
sd_sync_test_remove (SdStore    **store,
                     const char  *dir,
                     const char  *file)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_clear_object (store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

char *
sd_sync_test_file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[crypto_hash_sha256_BYTES * 2 + 1];

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  crypto_hash_sha256 (hash, (const guint8 *) contents, length);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

char *
sd_sync_test_store_sha256 (SdStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_store_checkpoint (store, &error));
  g_assert_no_error (error);
  return sd_sync_test_file_sha256 (sd_store_get_path (store));
}

SdStore *
sd_sync_test_open (const char *dir,
                   const char *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, file, NULL);
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

void
sd_sync_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        sd_sync_test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
sd_sync_test_register_person (SdStore    *store,
                              const char *name)
{
  g_autofree char *household = g_uuid_string_random ();
  g_autofree char *person = g_uuid_string_random ();
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO households (id, shelter_id, stay, created_at) VALUES ('%s', "
    "  '00000000-0000-7000-8000-000000000001', 'shelter', 1);"
    "INSERT INTO persons (id, household_id, name, created_at) VALUES ('%s', '%s', '%s', 1);",
    household, person, household, name);

  sd_sync_test_write (store, sql);
}

void
sd_sync_test_sites_open (SdSyncTestSites *sites)
{
  sites->hq = sd_sync_test_open (sites->dir, "hq.sqlite");
  sites->k0 = sd_sync_test_open (sites->dir, "k0.sqlite");
  sites->k1 = sd_sync_test_open (sites->dir, "k1.sqlite");
}

void
sd_sync_test_sites_tear_down (SdSyncTestSites *sites,
                              gconstpointer    data)
{
  g_clear_object (&sites->hq);
  g_clear_object (&sites->k0);
  g_clear_object (&sites->k1);
  sd_sync_test_remove_tree (sites->dir);
  g_clear_pointer (&sites->dir, g_free);
}
