/* sd-oplog.h: the op-log's compact encoding: row ids as 16 bytes, changed fields packed in one JSON object.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <jansson.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* What one op-log entry did to its row (oplog.kind). */
typedef enum {
  SD_OP_INSERT = 1,  /* a new row: its fields that are not NULL */
  SD_OP_UPDATE = 2,  /* the fields that changed, NULL included */
  SD_OP_DELETE = 3,  /* the row is gone: no fields */
  SD_OP_EVENT  = 4,  /* a row of an append-only table (events, conditions) */
} SdOpKind;

/* Defines sd_row_key(), sd_row_id(), sd_pack() and sd_pack_changed() on DB:
 * pure functions, the same on every connection. */
void      _sd_oplog_register_functions (sqlite3       *db);

/* The op-log row_id sd_row_key() makes of ROW_ID (N bytes): TRUE with
 * its 16 bytes in KEY for a canonical UUID, else FALSE (the text itself
 * is the key). */
gboolean  _sd_oplog_row_key            (const char    *row_id,
                                        gsize          n,
                                        guint8         key[16]);

/* The text row id an op-log row_id stands for (a 16-byte blob is a UUID),
 * newly allocated. */
char     *_sd_oplog_row_id_text        (sqlite3_value *row_id);

/* The packed fields of TABLE for the columns WHICH (indexes into COLUMNS,
 * as GUINT_TO_POINTER) with VALUES (sqlite3_value*), as sd_pack() makes
 * them; NULL when a column has no field number. */
char     *_sd_oplog_pack_columns       (sqlite3       *db,
                                        const char    *table,
                                        GPtrArray     *columns,
                                        GPtrArray     *which,
                                        GPtrArray     *values);

/* FIELDS (a JSON object from field number to value, as a batch carries
 * it) packed exactly as sd_pack() packs them, so that a change received
 * is the same text as at its origin; NULL for anything sd_pack() could
 * not have written (a key that is not a field number, a value that is
 * an object, an array, a boolean or not finite). */
char     *_sd_oplog_pack_json          (json_t        *fields);

G_END_DECLS
