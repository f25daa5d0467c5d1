/* sd-sync-exchange.h: the Sync desk's exports and imports, run in a worker thread on a store of their own.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-json.h"
#include "sd-store.h"

G_BEGIN_DECLS

typedef struct _SdSyncExchange SdSyncExchange;

/* A batch for each of TARGETS (what sd_sync_export_to_folder takes as
 * TO), called NAMES on screen, into FOLDER. */
SdSyncExchange *sd_sync_exchange_new_export  (SdStore            *store,
                                              const char         *folder,
                                              const char *const  *targets,
                                              const char *const  *names);
/* FILES (GFile): batch files, or folders whose *.sdbatch files are
 * imported in name order; ENROL as sd_sync_import_file() takes it. */
SdSyncExchange *sd_sync_exchange_new_import  (SdStore            *store,
                                              GListModel         *files,
                                              const char         *enrol);
void            sd_sync_exchange_free        (SdSyncExchange     *ex);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSyncExchange, sd_sync_exchange_free)

gboolean        sd_sync_exchange_is_export   (SdSyncExchange     *ex);
const char     *sd_sync_exchange_get_enrol   (SdSyncExchange     *ex);

/* In a worker thread: does it all, FALSE only when the database could
 * not be opened; what each file did is in the rows. */
gboolean        sd_sync_exchange_run         (SdSyncExchange     *ex,
                                              GCancellable       *cancellable,
                                              GError            **error);

/* From any thread while it runs: the file or site being done now
 * (NULL when none), and how many of how many are done. */
char           *sd_sync_exchange_get_progress (SdSyncExchange    *ex,
                                               guint             *done,
                                               guint             *total);

/* Once it ran, on the thread of STORE: the rows (json_t*, one per file:
 * "file", "path", "result" and what the result tells), and STORE told
 * what the worker wrote (sd_store_catch_up). */
GPtrArray      *sd_sync_exchange_get_rows    (SdSyncExchange     *ex);
void            sd_sync_exchange_catch_up    (SdSyncExchange     *ex,
                                              SdStore            *store);

G_END_DECLS
