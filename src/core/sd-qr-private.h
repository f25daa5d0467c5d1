/* sd-qr-private.h: what the QR files of the core share: base32 in the QR alphanumeric set.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 4648 base32, upper case, no padding. */
char       *_sd_base32_encode (const guint8 *data,
                               gsize         length);
/* Case-insensitive; NULL when TEXT holds a character outside the alphabet
 * or trailing bits that are not zero. */
GByteArray *_sd_base32_decode (const char   *text,
                               gsize         length);

G_END_DECLS
