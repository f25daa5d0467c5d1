/* sd-uuid.h: UUIDv7 row identifiers made on the device (RFC 9562).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_UUID_STRING_LEN 36

char     *sd_uuid7_new        (gint64      unix_ms);
/* The UUIDv7 of UNIX_MS with the 12-bit counter SEQ, its other bits from
 * RANDOM (bytes 8 to 15, and 0 to 7 where the layout leaves room). */
char     *sd_uuid7_format     (gint64        unix_ms,
                               guint         seq,
                               const guint8  random[16]);
gboolean  sd_uuid_is_valid    (const char *text);
gint64    sd_uuid7_get_unix_ms (const char *uuid);

G_END_DECLS
