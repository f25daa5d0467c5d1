/* sd-store.h: one site's database: opening, migrations, identity, clock, change signals.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An SdStore is one SQLite file: a kiosk's or HQ's.  It belongs to the
 * thread that opened it.  Domain writes go through the functions declared
 * in the other core headers (sd-shelter.h, sd-person.h, sd-staff.h, ...);
 * each is one transaction that also appends its op-log entries, which the
 * sync module later turns into batches.  After each committed write the
 * store emits SdStore::changed, detailed by the table that changed, so
 * that pages can refresh their models.
 */
#pragma once

#include <gio/gio.h>

#include "sd-error.h"
#include "sd-hlc.h"

G_BEGIN_DECLS

/* PRAGMA user_version of the newest schema this build knows */
#define SD_SCHEMA_VERSION 18

/* PRAGMA application_id of every ShelterDesk database: "SDK1" */
#define SD_APPLICATION_ID 0x53444B31

typedef enum {
  SD_STORE_OPEN_DEFAULT   = 0,
  SD_STORE_OPEN_CREATE    = 1 << 0,  /* make the file when it does not exist */
  SD_STORE_OPEN_READ_ONLY = 1 << 1,  /* never write; fails if migrations are due */
  SD_STORE_OPEN_DAMAGED   = 1 << 2,  /* with READ_ONLY: open a damaged file to check or rescue it */
} SdStoreOpenFlags;

typedef struct {
  guint shelters;
  guint households;
  guint persons;
  guint events;
  guint staff;
  guint support_persons;
  guint oplog;
} SdStoreCounts;

/* Milliseconds since the Unix epoch; tests replace the wall clock with their own. */
typedef gint64 (*SdClockFunc) (gpointer user_data);

#define SD_TYPE_STORE (sd_store_get_type ())
G_DECLARE_FINAL_TYPE (SdStore, sd_store, SD, STORE, GObject)

SdStore     *sd_store_open               (const char       *path,
                                          SdStoreOpenFlags  flags,
                                          GError          **error);
const char  *sd_store_get_path           (SdStore          *self);
const char  *sd_store_get_site_id        (SdStore          *self);
const char  *sd_store_get_site_name      (SdStore          *self);
gboolean     sd_store_set_site_name      (SdStore          *self,
                                          const char       *name,
                                          GError          **error);
gboolean     sd_store_get_is_demo        (SdStore          *self);
gboolean     sd_store_set_is_demo        (SdStore          *self,
                                          gboolean          is_demo,
                                          GError          **error);
/* An exercise database (docs/exercises.md): marked once, when it is made
 * blank, and never unmarked. */
gboolean     sd_store_get_is_exercise    (SdStore          *self);
gboolean     sd_store_mark_exercise      (SdStore          *self,
                                          GError          **error);
int          sd_store_get_schema_version (SdStore          *self);
gboolean     sd_store_get_counts         (SdStore          *self,
                                          SdStoreCounts    *counts,
                                          GError          **error);
gboolean     sd_store_check              (SdStore          *self,
                                          GError          **error);
gboolean     sd_store_check_deep         (SdStore          *self,
                                          GError          **error);
gboolean     sd_store_get_damaged        (SdStore          *self);
gboolean     sd_store_get_read_only      (SdStore          *self);
gint64       sd_store_get_data_version   (SdStore          *self);

/* The whole file's structure checked in a worker thread, on a connection
 * of its own; a damaged file is marked as such (SdStore:damaged). */
void         sd_store_verify_async       (SdStore            *self,
                                          GCancellable       *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer            user_data);
gboolean     sd_store_verify_finish      (SdStore            *self,
                                          GAsyncResult       *result,
                                          GError            **error);

gboolean     sd_store_checkpoint         (SdStore          *self,
                                          GError          **error);
/* Checkpoints SECONDS after the last commit, on the thread-default main
 * context (0: never; the desk sets it, the CLI leaves it to the close). */
void         sd_store_set_idle_checkpoint (SdStore         *self,
                                          guint            seconds);
void         sd_store_set_clock          (SdStore          *self,
                                          SdClockFunc       clock,
                                          gpointer          user_data);
gint64       sd_store_now_ms             (SdStore          *self);
SdHlc        sd_store_get_hlc            (SdStore          *self);

/* After another SdStore on the same file (a worker thread's) committed
 * writes to TABLES and left its clock at HLC: this store catches up, and
 * emits SdStore::changed for each table on its own thread. */
void         sd_store_catch_up           (SdStore           *self,
                                          SdHlc              hlc,
                                          const char *const *tables);

G_END_DECLS
