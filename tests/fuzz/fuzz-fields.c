/* fuzz-fields.c: libFuzzer target for the replay's reader of a change's fields.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * _sd_fields_read () reads a change's packed fields in place of SQLite's
 * json_each (), and leaves to json_each whatever it does not fully
 * understand.  Its promise is that whatever it accepts, json_each gives
 * the same members: the same keys, the same values' types and bytes.  So
 * every input it accepts is read by json_each too, and any difference
 * aborts; and the reader never reads outside the bytes (the sanitizers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sd-fields-differ.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static sqlite3 *db;
  /* The bytes alone, in a buffer of their own: no NUL after them. */
  g_autofree char *json = g_memdup2 (data, size);
  gboolean accepted;

  if (db == NULL)
    db = sd_fields_differ_open ();
  if (!sd_fields_differ_check (db, json, size, &accepted))
    abort ();
  return 0;
}
