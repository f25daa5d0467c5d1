/* sd-card-emulator.c: an emulated My Number card, for the tests and the demo's virtual readers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Behaves as the card does in what ShelterDesk uses: SELECT of the
 * card-info input support application by AID (anything else: 6A 82),
 * SELECT of EF 0011 / 0015 / 0002 (and, so a test can prove it never
 * happens, of EF 0001 and 0014), VERIFY with no data answering 63 Cx,
 * a PIN counter that blocks at 0 (69 84), READ BINARY with the offset in
 * P1 P2 and Le 00 meaning 256.  Every APDU is logged.
 */
#include "sd-card-emulator.h"

#include <string.h>

static const guint8 aid[] = { 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08 };

static void
tlv (GByteArray *out, guint tag, const void *value, gsize len)
{
  guint8 head[5] = { tag >> 8, tag & 0xff };
  gsize n = 2;

  if (len < 0x80)
    head[n++] = len;
  else if (len < 0x100)
    {
      head[n++] = 0x81;
      head[n++] = len;
    }
  else
    {
      head[n++] = 0x82;
      head[n++] = len >> 8;
      head[n++] = len & 0xff;
    }
  g_byte_array_append (out, head, n);
  g_byte_array_append (out, value, len);
}

SdCardEmulator *
sd_card_emulator_new (const char *name,
                      const char *address,
                      const char *birth,
                      const char *sex,
                      const char *pin)
{
  SdCardEmulator *emu = g_new0 (SdCardEmulator, 1);
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  static const guint8 header[] = { 0x00, 0x01, 0x02 };

  tlv (inner, 0xDF21, header, sizeof header);
  tlv (inner, 0xDF22, name, strlen (name));
  tlv (inner, 0xDF23, address, strlen (address));
  tlv (inner, 0xDF24, birth, strlen (birth));
  tlv (inner, 0xDF25, sex, strlen (sex));
  emu->facts = g_byte_array_new ();
  tlv (emu->facts, 0xFF20, inner->data, inner->len);

  emu->pin = g_strdup (pin);
  emu->pin_b = g_strdup_printf ("%.6s%s%s", birth + 2, "2034", "1234");
  emu->tries = 3;
  emu->tries_b = 10;
  emu->pull_out_after = -1;
  emu->log = g_ptr_array_new_with_free_func (g_free);
  return emu;
}

void
sd_card_emulator_free (SdCardEmulator *emu)
{
  g_free (emu->pin);
  g_free (emu->pin_b);
  g_byte_array_unref (emu->facts);
  g_ptr_array_unref (emu->log);
  g_free (emu);
}

static void
sw (GByteArray *r, guint value)
{
  guint8 b[2] = { value >> 8, value & 0xff };
  g_byte_array_append (r, b, 2);
}

gboolean
sd_card_emulator_process (SdCardEmulator *emu,
                          const guint8   *apdu,
                          gsize           len,
                          GByteArray     *r)
{
  GString *hex = g_string_new (NULL);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (hex, "%02X", apdu[i]);
  g_ptr_array_add (emu->log, g_string_free (hex, FALSE));

  if (emu->pull_out_after >= 0 && emu->log->len > (guint) emu->pull_out_after)
    return FALSE;
  if (len < 4)
    {
      sw (r, 0x6700);
      return TRUE;
    }

  if (apdu[1] == 0xA4 && apdu[2] == 0x04)               /* SELECT by AID */
    {
      emu->selected_ap = len == 5 + sizeof aid && memcmp (apdu + 5, aid, sizeof aid) == 0;
      emu->verified = FALSE;
      sw (r, emu->selected_ap ? 0x9000 : 0x6A82);
    }
  else if (apdu[1] == 0xA4 && apdu[2] == 0x02 && len == 7) /* SELECT EF */
    {
      emu->current_ef = (apdu[5] << 8) | apdu[6];
      sw (r, emu->selected_ap ? 0x9000 : 0x6A82);
    }
  else if (apdu[1] == 0x20)                               /* VERIFY */
    {
      gboolean b = emu->current_ef == 0x0015;
      int *tries = b ? &emu->tries_b : &emu->tries;
      const char *secret = b ? emu->pin_b : emu->pin;

      if (*tries == 0)
        sw (r, 0x6984);
      else if (len == 4)
        sw (r, 0x63C0 | *tries);
      else if (len == 5 + strlen (secret) && apdu[4] == strlen (secret) &&
               memcmp (apdu + 5, secret, strlen (secret)) == 0)
        {
          emu->verified = TRUE;
          *tries = b ? 10 : 3;
          sw (r, 0x9000);
        }
      else
        {
          (*tries)--;
          sw (r, *tries == 0 ? 0x6983 : 0x63C0 | *tries);
        }
    }
  else if (apdu[1] == 0xB0 && len == 5)                   /* READ BINARY */
    {
      gsize offset = (apdu[2] << 8) | apdu[3];
      gsize want = apdu[4] == 0 ? 256 : apdu[4];

      if (!emu->verified || emu->current_ef != 0x0002)
        sw (r, 0x6982);
      else if (offset >= emu->facts->len)
        sw (r, 0x6B00);
      else
        {
          gsize n = MIN (want, emu->facts->len - offset);
          g_byte_array_append (r, emu->facts->data + offset, n);
          sw (r, n < want ? 0x6282 : 0x9000);
        }
    }
  else
    sw (r, 0x6D00);
  return TRUE;
}

gboolean
sd_card_emulator_selected (SdCardEmulator *emu,
                           guint           fid)
{
  g_autofree char *needle = g_strdup_printf ("00A4020C02%04X", fid);

  for (guint i = 0; i < emu->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (emu->log, i), needle))
      return TRUE;
  return FALSE;
}
