/* sd-sync-page.h: the Sync desk: what waits and what came, batches by USB stick, sites, conflicts, duplicates.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-sync-pusher.h"

G_BEGIN_DECLS

#define SD_TYPE_SYNC_PAGE (sd_sync_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSyncPage, sd_sync_page, SD, SYNC_PAGE, GtkWidget)

void        sd_sync_page_set_store       (SdSyncPage          *self,
                                          SdStore             *store);
void        sd_sync_page_set_pusher      (SdSyncPage          *self,
                                          SdSyncPusher        *pusher);
void        sd_sync_page_set_staff       (SdSyncPage          *self,
                                          SdStaff             *staff);
void        sd_sync_page_set_settings    (SdSyncPage          *self,
                                          GSettings           *settings);
void        sd_sync_page_reset           (SdSyncPage          *self);

/* Writes a batch for TO (a site id; NULL: the one chosen on the desk,
 * "" every kiosk) into FOLDER, in a worker thread. */
void        sd_sync_page_export_async    (SdSyncPage          *self,
                                          GFile               *folder,
                                          const char          *to,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    sd_sync_page_export_finish   (SdSyncPage          *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* Imports FILES (GFile: batch files, or folders whose *.sdbatch files
 * are all imported, in name order), in a worker thread; ENROL is the
 * fingerprint a person compared, or NULL.  What each file did is in
 * sd_sync_page_get_results(). */
void        sd_sync_page_import_async    (SdSyncPage          *self,
                                          GListModel          *files,
                                          const char          *enrol,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    sd_sync_page_import_finish   (SdSyncPage          *self,
                                          GAsyncResult        *result,
                                          GError             **error);
gboolean    sd_sync_page_get_busy        (SdSyncPage          *self);

/* The lists the desk shows, of SdJsonItem: one row per file of the last
 * exchange ("file", "path", "result", "message" …), the sites
 * (sync status --json's "peers"), open conflicts and undecided possible
 * duplicates (conflicts list, duplicates list). */
GListModel *sd_sync_page_get_results     (SdSyncPage          *self);
GListModel *sd_sync_page_get_peers       (SdSyncPage          *self);
GListModel *sd_sync_page_get_conflicts   (SdSyncPage          *self);
GListModel *sd_sync_page_get_duplicates  (SdSyncPage          *self);
const char *sd_sync_page_get_message     (SdSyncPage          *self);

G_END_DECLS
