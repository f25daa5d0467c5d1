/* bench-sync-net.c: a kiosk's push of 10 000 operations to HQ over loopback, through the receiver.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kiosk of a real deployment (tests/sync/sd-sync-test.c) registers
 * households through the core, each checked in, until about 10 000
 * operations wait for HQ.  Then, each run on fresh copies of both files:
 * the push as the kiosk does it (SdSyncClient: a worker thread opens the
 * kiosk's file, asks HQ's receiver hello, exports, POSTs, records HQ's
 * signed answer) to an SdSyncServer listening on 127.0.0.1 in this
 * process (its own worker thread imports), end to end; the whole
 * exchange (push, then HQ's batch fetched and imported); and the floor:
 * the same export and import in one thread, bytes handed over in memory,
 * no HTTP, no threads, no second opening of the kiosk's file.  Prints a
 * table; never asserts on time.  SD_BENCH_SYNC_NET_OPS sets the size.
 */
#include "../sync/sd-sync-test.h"
#include "sd-bench.h"
#include "sd-sync-client.h"
#include "sd-sync-server.h"

#include <glib/gstdio.h>

#define RUNS 7

static double
median (double *v, guint n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static SdStore *
open_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

/* Households of four, through the core as the intake desk registers
 * them, each member checked in, until OPERATIONS wait for HQ. */
static void
fill_kiosk (const char *path,
            guint64     operations)
{
  g_autoptr(SdStore) kiosk = open_file (path);
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autofree char *shelter = NULL;
  sqlite3_stmt *stmt = NULL;
  SdSyncStatus status = { 0 };

  sqlite3_prepare_v2 (_sd_store_get_db (kiosk), "SELECT id FROM shelters ORDER BY code LIMIT 1", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  shelter = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  for (guint i = 0; status.waiting < operations; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *address = g_strdup_printf ("みなと川市東町%u丁目%u番", i % 9 + 1, i);
      g_autofree char *id = NULL;
      SdBenchHousehold h;
      SdHouseholdSpec spec = { .shelter_id = shelter, .stay = SD_STAY_SHELTER, .address = address,
                               .check_in = TRUE };

      sd_bench_household_fill (&h, rand, &families[i % G_N_ELEMENTS (families)], 4);
      id = sd_store_add_household (kiosk, &spec, h.members, 4, NULL, &error);
      g_assert_no_error (error);
      if (i % 64 == 0)
        g_assert_true (sd_sync_get_status (kiosk, &status, NULL));
    }
}

static void
copy_db (const char *from,
         const char *to)
{
  static const char *const suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *a = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *b = g_strconcat (to, suffixes[i], NULL);
      g_autoptr(GFile) src = g_file_new_for_path (a);
      g_autoptr(GFile) dst = g_file_new_for_path (b);

      g_unlink (b);
      if (g_file_test (a, G_FILE_TEST_EXISTS))
        g_assert_true (g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, NULL));
    }
}

typedef struct {
  gboolean           done;
  gboolean           ok;
  SdSyncClientResult result;
  GError            *error;
} Exchange;

static void
exchanged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Exchange *ex = data;

  ex->ok = sd_sync_client_sync_finish (SD_SYNC_CLIENT (source), result, &ex->result, &ex->error);
  ex->done = TRUE;
}

/* One exchange of the kiosk KIOSK_PATH with HQ's receiver on HQ_PATH; milliseconds. */
static double
exchange (const char        *hq_path,
          const char        *kiosk_path,
          SdSyncClientFlags  flags,
          gint64            *out_operations,
          gint64            *out_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdSyncServer) server = sd_sync_server_new (hq_path);
  g_autoptr(SdSyncClient) client = NULL;
  g_autoptr(SdStore) kiosk = open_file (kiosk_path);
  g_autofree char *url = NULL;
  Exchange ex = { 0 };
  gint64 t0;
  double ms;

  g_assert_true (sd_sync_server_start (server, "127.0.0.1:0", &error));
  url = sd_sync_server_get_url (server);
  client = sd_sync_client_new (url, &error);
  g_assert_no_error (error);

  t0 = g_get_monotonic_time ();
  sd_sync_client_sync_async (client, kiosk, flags, NULL, exchanged_cb, &ex);
  while (!ex.done)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  g_assert_no_error (ex.error);
  g_assert_true (ex.ok && ex.result.sent && ex.result.waiting == 0);
  *out_operations = ex.result.sent_operations;
  *out_bytes = ex.result.sent_bytes;
  sd_sync_client_result_clear (&ex.result);
  sd_sync_server_stop (server);
  return ms;
}

/* The floor: the same export and import, in memory, in this thread. */
static double
floor_ms (const char *hq_path,
          const char *kiosk_path,
          double     *out_export_ms)
{
  g_autoptr(SdStore) hq = open_file (hq_path);
  g_autoptr(SdStore) kiosk = open_file (kiosk_path);
  g_autoptr(GBytes) batch = NULL;
  SdSyncImport imported = { 0 };
  gint64 t0 = g_get_monotonic_time ();

  batch = sd_sync_test_export (kiosk, "hq");
  *out_export_ms = (g_get_monotonic_time () - t0) / 1000.0;
  sd_sync_test_import (hq, batch, &imported);
  g_assert_cmpint (imported.applied, >, 0);
  sd_sync_import_clear (&imported);
  return (g_get_monotonic_time () - t0) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  const char *size = g_getenv ("SD_BENCH_SYNC_NET_OPS");
  guint64 target = size != NULL ? g_ascii_strtoull (size, NULL, 10) : 10000;
  g_autofree char *dir = g_dir_make_tmp ("sd-bench-sync-net-XXXXXX", NULL);
  g_autofree char *hq0 = g_build_filename (dir, "hq.sqlite", NULL);
  g_autofree char *k0 = g_build_filename (dir, "k0.sqlite", NULL);
  g_autofree char *hq = g_build_filename (dir, "run-hq.sqlite", NULL);
  g_autofree char *kiosk = g_build_filename (dir, "run-kiosk.sqlite", NULL);
  double push[RUNS], both[RUNS], floor_v[RUNS], export_v[RUNS], import_v[RUNS];
  gint64 operations = 0, bytes = 0;

  sd_sync_test_make_deployment (dir, 1);
  fill_kiosk (k0, target);

  for (guint run = 0; run < RUNS; run++)
    {
      copy_db (hq0, hq);
      copy_db (k0, kiosk);
      push[run] = exchange (hq, kiosk, SD_SYNC_CLIENT_PUSH, &operations, &bytes);
      copy_db (hq0, hq);
      copy_db (k0, kiosk);
      both[run] = exchange (hq, kiosk, SD_SYNC_CLIENT_PUSH | SD_SYNC_CLIENT_PULL, &operations, &bytes);
      copy_db (hq0, hq);
      copy_db (k0, kiosk);
      floor_v[run] = floor_ms (hq, kiosk, &export_v[run]);
      import_v[run] = floor_v[run] - export_v[run];
    }

  g_print ("\nSync over the network: a kiosk's push of %" G_GINT64_FORMAT " operations (%" G_GINT64_FORMAT
           " bytes) to HQ's receiver on 127.0.0.1, median of %d runs\n"
           "(floor: the same export and import in one thread, the batch handed over in memory)\n\n",
           operations, bytes, RUNS);
  g_print ("| %-58s | %10s | %10s | %7s | %-9s |\n", "work", "median", "floor", "ratio", "target");
  g_print ("|------------------------------------------------------------|------------|------------|---------|"
           "-----------|\n");
  g_print ("| %-58s | %7.0f ms | %7.0f ms | %6.2fx | %-9s |\n",
           "push, end to end: hello, export, POST, import at HQ, ack", median (push, RUNS), median (floor_v, RUNS),
           median (push, RUNS) / median (floor_v, RUNS), "< 1000 ms");
  g_print ("| %-58s | %7.0f ms | %10s | %7s | %-9s |\n",
           "the whole exchange: push, then HQ's batch fetched", median (both, RUNS), "", "", "");
  g_print ("| %-58s | %7.0f ms | %10s | %7s | %-9s |\n", "  of the floor: the export alone", median (export_v, RUNS),
           "", "", "");
  g_print ("| %-58s | %7.0f ms | %10s | %7s | %-9s |\n", "  of the floor: HQ's import and merge", median (import_v, RUNS),
           "", "", "");
  g_print ("\nWhat the push adds to the floor: HTTP on loopback, the kiosk's file opened (and checked) by the "
           "exchange's worker thread, HQ's signed answer, the handover between threads.\n");
  return 0;
}
