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
gboolean  sd_uuid_is_valid    (const char *text);
gint64    sd_uuid7_get_unix_ms (const char *uuid);

G_END_DECLS
