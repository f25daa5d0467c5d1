/* sd-json.h: reading and writing JSON with jansson, strictly and in one layout.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ShelterDesk's JSON is jansson (docs/json.md says why): it refuses
 * trailing data and NUL by default, and duplicate members when asked,
 * which every reader here asks.  These few helpers keep that choice in
 * one place and keep the pretty layout the CLI has always printed.
 */
#pragma once

#include <glib.h>
#include <jansson.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (json_t, json_decref)

/* One JSON object or array from DATA: no trailing data, no duplicate
 * members; FLAGS adds jansson decoding flags (JSON_ALLOW_NUL for a
 * reader that names the field itself).  Errors are SD_DATA_ERROR with
 * the line and column, and a sentence a person can act on; an empty or
 * blank DATA is SD_DATA_ERROR_MISSING. */
json_t *sd_json_parse      (const char  *data,
                            gsize        length,
                            gsize        flags,
                            GError     **error);

/* Two-space indents and "member" : value, as json-glib wrote them before,
 * so scripts and tests reading the CLI's output keep working. */
char   *sd_json_to_pretty  (const json_t *root);
/* No spaces at all: for QR codes and values stored in SQLite. */
char   *sd_json_to_compact (const json_t *root);

/* TEXT as a JSON string, or null when TEXT is NULL.  Text that is not
 * UTF-8 (it never should be) is repaired rather than dropped. */
json_t *sd_json_text       (const char  *text);

G_END_DECLS
