/* sd-uuid.c: UUIDv7 row identifiers made on the device (RFC 9562).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synced rows are keyed by UUIDv7 so that kiosks with no network can make
 * keys that never collide and that sort roughly by creation time.  Layout:
 * 48 bits of Unix milliseconds, version 7, 12 bits "rand_a", variant 10,
 * 62 random bits.  Within one millisecond rand_a is used as a counter
 * (RFC 9562 section 6.2, method 1) so that ids made by one process are
 * strictly increasing even when the wall clock stalls or steps back.
 */
#include "sd-uuid.h"

#include <sodium.h>
#include <string.h>

G_LOCK_DEFINE_STATIC (last_uuid);
static gint64 last_ms = -1;
static guint  last_seq = 0;

char *
sd_uuid7_new (gint64 unix_ms)
{
  guint8 b[16];
  guint seq;

  randombytes_buf (b, sizeof b);

  G_LOCK (last_uuid);
  if (unix_ms <= last_ms)
    {
      /* Same millisecond, or the clock went back: stay monotonic. */
      unix_ms = last_ms;
      seq = last_seq + 1;
      if (seq > 0xfff)
        {
          unix_ms++;
          seq = b[6] & 0x3f;  /* leave head-room for the next ones */
        }
    }
  else
    seq = ((guint) (b[6] & 0x03) << 8) | b[7];  /* random start, low enough to count up */
  last_ms = unix_ms;
  last_seq = seq;
  G_UNLOCK (last_uuid);

  return sd_uuid7_format (unix_ms, seq, b);
}

char *
sd_uuid7_format (gint64        unix_ms,
                 guint         seq,
                 const guint8  random[16])
{
  guint8 b[16];

  memcpy (b, random, sizeof b);
  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (unix_ms >> (40 - 8 * i));
  b[6] = 0x70 | (guint8) ((seq >> 8) & 0x0f);
  b[7] = (guint8) seq;
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

gboolean
sd_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != SD_UUID_STRING_LEN)
    return FALSE;
  for (int i = 0; i < SD_UUID_STRING_LEN; i++)
    {
      gboolean dash = (i == 8 || i == 13 || i == 18 || i == 23);
      if (dash ? text[i] != '-' : !g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
    }
  return TRUE;
}

gint64
sd_uuid7_get_unix_ms (const char *uuid)
{
  gint64 ms = 0;

  if (!sd_uuid_is_valid (uuid) || uuid[14] != '7')
    return -1;
  for (int i = 0; i < 13; i++)
    if (uuid[i] != '-')
      ms = (ms << 4) | g_ascii_xdigit_value (uuid[i]);
  return ms;
}
