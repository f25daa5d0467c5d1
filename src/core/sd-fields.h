/* sd-fields.h: reading an op-log change's packed fields without SQL.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One member of a change's fields, as json_each () gives it. */
typedef struct {
  guint        number;   /* the key, a field number */
  int          type;     /* SQLITE_INTEGER, SQLITE_TEXT or SQLITE_NULL */
  gint64       integer;
  const char  *text;     /* SQLITE_TEXT: N bytes, not NUL-ended */
  int          n;
} SdField;

gboolean _sd_fields_read (const char *json,
                          gsize       n,
                          GArray     *fields,
                          GString    *scratch);

G_END_DECLS
