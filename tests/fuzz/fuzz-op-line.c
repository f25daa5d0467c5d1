/* fuzz-op-line.c: libFuzzer target for the fast reader of a batch's operation lines.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * _sd_sync_op_parse() reads, in place, a line in the very layout
 * ShelterDesk writes, and leaves anything else to jansson.  Its promise
 * is that whatever it accepts, jansson reads the same: the same members,
 * the same packed fields byte for byte, the same field numbers.  So for
 * every input it accepts, the original bytes are parsed by jansson and
 * _sd_sync_op_from_json(), and any difference aborts; and the parse
 * never reads or writes outside the line (the sanitizers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sd-json.h"
#include "sd-oplog.h"
#include "sd-sync-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static gboolean
same_text (const char *a,
           const char *b)
{
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp (a, b) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The reader hands the parser a line without its newline, NUL-ended,
   * in a buffer of its own. */
  g_autofree char *line = g_malloc (size + 1);
  g_autoptr(json_t) json = NULL;
  g_autofree char *packed = NULL;
  SdSyncOp fast, slow;

  if (memchr (data, '\n', size) != NULL)
    return 0;
  memcpy (line, data, size);
  line[size] = '\0';
  if (!_sd_sync_op_parse (line, size, &fast))
    return 0;
  /* A deletion with fields, or a change without: the merge refuses it
   * however it was read (merge_operation ()), and jansson's reading is
   * refused too. */
  if ((fast.kind == SD_OP_DELETE) != fast.deletion)
    return 0;

  /* As the import reads a line the fast reader leaves. */
  json = sd_json_parse ((const char *) data, size, 0, NULL);
  if (json == NULL || !json_is_object (json) || !_sd_sync_op_from_json (json, &slow, &packed))
    abort ();
  if (!same_text (fast.site, slow.site) || !same_text (fast.tbl, slow.tbl) || !same_text (fast.row_id, slow.row_id) ||
      fast.seq != slow.seq || fast.txn != slow.txn || fast.hlc != slow.hlc || fast.kind != slow.kind ||
      fast.deletion != slow.deletion)
    abort ();
  /* A deletion's fields are never read (the merge refuses any but null). */
  if (fast.kind == SD_OP_DELETE)
    return 0;
  if (!same_text (fast.packed, slow.packed) || fast.n_fields != slow.n_fields)
    abort ();
  for (guint i = 0; i < fast.n_fields; i++)
    if (fast.field[i] != slow.field[i])
      abort ();
  return 0;
}
