/* sd-fields-differ.h: the fields reader against SQLite's json_each, for the tests and the fuzzer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

sqlite3  *sd_fields_differ_open  (void);
gboolean  sd_fields_differ_check (sqlite3    *db,
                                  const char *json,
                                  gsize       n,
                                  gboolean   *accepted);
