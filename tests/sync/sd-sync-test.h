/* sd-sync-test.h: a deployment of real databases for the sync tests: HQ and enrolled kiosks.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-core.h"
#include "sd-store-private.h"
#include "sd-sync.h"

G_BEGIN_DECLS

#define SD_SYNC_TEST_KIOSKS 3

/* Makes in DIR "hq.sqlite" (three shelters, staff, a support list) and
 * "k0.sqlite"… enrolled from HQ's bundle, each kiosk's first batch
 * imported at HQ with its fingerprint and HQ's answer imported back, so
 * every site knows every other.  All closed again.  The bundle and its
 * passphrase stay in DIR as "bundle.sdbundle" and "passphrase.txt". */
void      sd_sync_test_make_deployment (const char   *dir,
                                        guint         n_kiosks);
/* The same for a tabletop exercise: HQ marked an exercise while blank,
 * so its bundle marks every kiosk enrolled from it. */
void      sd_sync_test_make_exercise   (const char   *dir,
                                        guint         n_kiosks);

/* The sites of a deployment of two kiosks in DIR, open: the sync
 * tests' fixture. */
typedef struct {
  char    *dir;
  SdStore *hq;
  SdStore *k0;
  SdStore *k1;
} SdSyncTestSites;

/* Opens "hq.sqlite", "k0.sqlite" and "k1.sqlite" in SITES->dir. */
void      sd_sync_test_sites_open      (SdSyncTestSites *sites);
/* Closes them and deletes SITES->dir, everything in it: a fixture's
 * tear-down for g_test_add (). */
void      sd_sync_test_sites_tear_down (SdSyncTestSites *sites,
                                        gconstpointer    data);

/* A batch from FROM for TO ("hq" or a site id), in memory. */
GBytes   *sd_sync_test_export          (SdStore      *from,
                                        const char   *to);

/* Asserts that the gaps STORE keeps are its op-log's holes, recounted. */
void      sd_sync_test_assert_gaps_exact (SdStore    *store);

/* Imports BYTES into INTO and asserts it was accepted, and its gaps. */
void      sd_sync_test_import          (SdStore      *into,
                                        GBytes       *bytes,
                                        SdSyncImport *out_result);

/* Every synced table and derived person state, and the op-log, as
 * text, ordered: equal for two databases that hold the same data. */
char     *sd_sync_test_dump            (SdStore      *store);

/* Runs SQL (a write) through the store, so the op-log captures it. */
void      sd_sync_test_write           (SdStore      *store,
                                        const char   *sql);

/* Closes *STORE (cleared) and deletes its file FILE in DIR, with its
 * WAL and shared-memory files. */
void      sd_sync_test_remove          (SdStore     **store,
                                        const char   *dir,
                                        const char   *file);

/* The SHA-256 of the file at PATH, hex. */
char     *sd_sync_test_file_sha256     (const char   *path);
/* The same of STORE's file, with every committed change in it. */
char     *sd_sync_test_store_sha256    (SdStore      *store);

/* Opens FILE in DIR, which must exist. */
SdStore  *sd_sync_test_open            (const char   *dir,
                                        const char   *file);

/* Deletes DIR and everything in it. */
void      sd_sync_test_remove_tree     (const char   *dir);

/* A household of one, NAME, staying at the deployment's first shelter:
 * written through the store, so the op-log captures it. */
void      sd_sync_test_register_person (SdStore      *store,
                                        const char   *name);

G_END_DECLS
