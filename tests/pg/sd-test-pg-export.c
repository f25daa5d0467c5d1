/* sd-test-pg-export.c: HQ's batch to a kiosk, from HQ's file and from PostgreSQL, compared.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-test-pg-export.h"

#include "sd-json.h"
#include "sd-pg-private.h"
#include "sd-store-private.h"
#include "sd-sync-private.h"

/* The batch BYTES opened with RECEIVER's keys, as text: its header
 * (without made_at and prev, sorted) and its lines as they are. */
static char *
batch_text (SdStore *receiver,
            GBytes  *bytes)
{
  g_auto(SdSyncSelf) self = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(SdBatchReader) reader = NULL;
  g_autoptr(json_t) header = NULL;
  g_autofree char *head = NULL;
  GString *text;
  const char *line;
  gsize length;

  g_assert_true (_sd_sync_load_self (receiver, &self, &error));
  reader = sd_batch_reader_new (in, &self.receiver, NULL, &error);
  g_assert_no_error (error);
  header = json_deep_copy (sd_batch_reader_get_header (reader));
  json_object_del (header, "made_at");
  json_object_del (header, "prev");
  head = json_dumps (header, JSON_COMPACT | JSON_SORT_KEYS);
  text = g_string_new (head);
  g_string_append_c (text, '\n');
  while ((line = sd_batch_reader_next_line (reader, &length, NULL, &error)) != NULL)
    {
      g_string_append_len (text, line, (gssize) length);
      g_string_append_c (text, '\n');
    }
  g_assert_no_error (error);
  return g_string_free (text, FALSE);
}

/* The batches for TO from HQ and from PG, compared; PG's. */
static GBytes *
same_export (SdPgStore  *pg,
             SdStore    *hq,
             SdStore    *to,
             gint64     *operations)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) file_out = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) pg_out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) file_bytes = NULL, pg_bytes = NULL;
  g_autofree char *file_text = NULL, *pg_text = NULL;
  const char *site = sd_store_get_site_id (to);
  SdSyncExport file_result = { 0 }, pg_result = { 0 };

  g_assert_true (sd_sync_export (hq, site, file_out, &file_result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sd_pg_store_export (pg, hq, site, pg_out, &pg_result, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (file_out, NULL, NULL) && g_output_stream_close (pg_out, NULL, NULL));
  file_bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (file_out));
  pg_bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (pg_out));
  file_text = batch_text (to, file_bytes);
  pg_text = batch_text (to, pg_bytes);
  if (g_strcmp0 (file_text, pg_text) != 0)
    {
      g_autofree char *a = g_build_filename (g_get_tmp_dir (), "sd-export-hq.txt", NULL);
      g_autofree char *b = g_build_filename (g_get_tmp_dir (), "sd-export-postgres.txt", NULL);

      g_file_set_contents (a, file_text, -1, NULL);
      g_file_set_contents (b, pg_text, -1, NULL);
      g_error ("HQ's batch to a kiosk from PostgreSQL differs from the one from HQ's file (opened: %s and %s)", a, b);
    }
  g_assert_cmpint (pg_result.operations, ==, file_result.operations);
  *operations = pg_result.operations;
  sd_sync_export_clear (&file_result);
  sd_sync_export_clear (&pg_result);
  return g_steal_pointer (&pg_bytes);
}

/* Both forget what TO acknowledged, then take HOLDS as its word. */
static void
acknowledge (SdPgStore  *pg,
             SdStore    *hq,
             SdStore    *to,
             json_t     *holds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = json_dumps (holds, JSON_COMPACT | JSON_SORT_KEYS);
  const char *site = sd_store_get_site_id (to);
  g_autofree char *forget = g_strdup_printf ("DELETE FROM peer_acks WHERE peer_site_id = '%s'", site);
  g_autofree char *forget_pg = g_strdup_printf ("DELETE FROM sync_acks WHERE peer_site_id = '%s'", site);

  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (hq), forget, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (_sd_pg_exec (pg, "forget", forget_pg, &error));
  g_assert_true (sd_sync_set_peer_holds (hq, site, text, &error));
  g_assert_no_error (error);
  g_assert_true (sd_pg_store_set_peer_holds (pg, site, text, &error));
  g_assert_no_error (error);
}

GBytes *
sd_test_pg_assert_same_export (SdPgStore  *pg,
                               SdStore    *hq,
                               SdStore    *to,
                               gint64     *operations)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *holds_text = sd_sync_get_holds (to, &error);
  g_autoptr(json_t) holds = json_loads (holds_text, 0, NULL);
  g_autoptr(json_t) half = json_object ();
  g_autoptr(GBytes) batch = NULL;
  const char *origin;
  json_t *seq;
  gint64 full = 0, some = 0;

  g_assert_no_error (error);
  g_assert_nonnull (holds);
  /* Having acknowledged nothing, then half of what it holds (each
   * origin's changes from the middle), then everything. */
  acknowledge (pg, hq, to, half);
  batch = same_export (pg, hq, to, &full);
  json_object_foreach (holds, origin, seq)
    json_object_set_new (half, origin, json_integer (json_integer_value (seq) / 2));
  acknowledge (pg, hq, to, half);
  g_bytes_unref (same_export (pg, hq, to, &some));
  g_assert_cmpint (some, <=, full);
  acknowledge (pg, hq, to, holds);
  g_bytes_unref (same_export (pg, hq, to, operations));
  g_assert_cmpint (*operations, <=, some);
  *operations = full;
  return g_steal_pointer (&batch);
}
