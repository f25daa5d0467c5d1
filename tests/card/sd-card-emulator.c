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

void
sd_card_emulator_set_facts (SdCardEmulator *emu,
                            const char     *name,
                            const char     *address,
                            const char     *birth,
                            const char     *sex)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  static const guint8 header[] = { 0x00, 0x01, 0x02 };

  tlv (inner, 0xDF21, header, sizeof header);
  tlv (inner, 0xDF22, name, strlen (name));
  tlv (inner, 0xDF23, address, strlen (address));
  tlv (inner, 0xDF24, birth, strlen (birth));
  tlv (inner, 0xDF25, sex, strlen (sex));
  g_clear_pointer (&emu->facts, g_byte_array_unref);
  emu->facts = g_byte_array_new ();
  tlv (emu->facts, 0xFF20, inner->data, inner->len);
}

SdCardEmulator *
sd_card_emulator_new (const char *name,
                      const char *address,
                      const char *birth,
                      const char *sex,
                      const char *pin)
{
  SdCardEmulator *emu = g_new0 (SdCardEmulator, 1);

  sd_card_emulator_set_facts (emu, name, address, birth, sex);
  emu->number = g_strdup (SD_CARD_EMULATOR_NUMBER);
  emu->pin = g_strdup (pin);
  emu->pin_b = g_strdup_printf ("%.6s%s%s", birth + 2, "2034", "1234");
  emu->tries = 3;
  emu->tries_b = 10;
  emu->pull_out_after = -1;
  emu->log = g_ptr_array_new_with_free_func (g_free);
  return emu;
}

SdCardEmulator *
sd_card_emulator_new_from_args (int      *argc,
                                char   ***argv,
                                GError  **error)
{
  g_autofree char *name = g_strdup ("番号 花子");
  g_autofree char *address = g_strdup ("みなと川市東町1丁目2-3");
  g_autofree char *birth = g_strdup ("19500106");
  g_autofree char *sex = g_strdup ("2");
  g_autofree char *pin = g_strdup ("4826");
  g_autofree char *log_path = NULL;
  gboolean long_address = FALSE;
  int tries = 3, pull_out_after = -1;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_FILENAME, &name, "the name on the card", "NAME" },
    { "address", 0, 0, G_OPTION_ARG_FILENAME, &address, "the address on the card", "ADDRESS" },
    { "birth", 0, 0, G_OPTION_ARG_STRING, &birth, "the birth date, 8 digits", "YYYYMMDD" },
    { "sex", 0, 0, G_OPTION_ARG_STRING, &sex, "1 male, 2 female, 9 not applicable", "N" },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &pin, "the card's 4-digit PIN", "NNNN" },
    { "tries", 0, 0, G_OPTION_ARG_INT, &tries, "PIN tries left (0: blocked)", "N" },
    { "long-address", 0, 0, G_OPTION_ARG_NONE, &long_address, "make the address 128 bytes or more", NULL },
    { "pull-out-after", 0, 0, G_OPTION_ARG_INT, &pull_out_after, "take the card away after N APDUs", "N" },
    { "log", 0, 0, G_OPTION_ARG_FILENAME, &log_path, "append every APDU here", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  /* Names and addresses are UTF-8 whatever the locale: taken as bytes. */
  g_autoptr(GOptionContext) context = g_option_context_new ("PORT-OR-LINK");
  SdCardEmulator *emu;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, error))
    return NULL;
  if (long_address)
    {
      g_autofree char *longer = g_strconcat (address, "東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町東町", NULL);
      g_free (address);
      address = g_steal_pointer (&longer);
    }
  emu = sd_card_emulator_new (name, address, birth, sex, pin);
  emu->tries = tries;
  emu->pull_out_after = pull_out_after;
  if (log_path != NULL)
    emu->log_file = fopen (log_path, "a");
  return emu;
}

void
sd_card_emulator_free (SdCardEmulator *emu)
{
  if (emu->log_file != NULL)
    fclose (emu->log_file);
  g_free (emu->number);
  g_free (emu->pin);
  g_free (emu->pin_b);
  g_byte_array_unref (emu->facts);
  g_ptr_array_unref (emu->log);
  g_free (emu);
}

void
sd_card_emulator_reset (SdCardEmulator *emu)
{
  emu->selected_ap = emu->verified = FALSE;
  emu->current_ef = 0;
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
  /* Taken away: the APDU never reaches the card, so it is not logged. */
  if (emu->pull_out_after >= 0 && emu->log->len >= (guint) emu->pull_out_after)
    {
      g_string_free (hex, TRUE);
      return FALSE;
    }
  if (emu->log_file != NULL)
    {
      fprintf (emu->log_file, "%s\n", hex->str);
      fflush (emu->log_file);
    }
  g_ptr_array_add (emu->log, g_string_free (hex, FALSE));
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

      GByteArray *ef = g_byte_array_new ();

      if (emu->current_ef == 0x0001)
        g_byte_array_append (ef, (const guint8 *) emu->number, strlen (emu->number));
      else
        g_byte_array_append (ef, emu->facts->data, emu->facts->len);
      if (!emu->verified || (emu->current_ef != 0x0002 && emu->current_ef != 0x0001))
        sw (r, 0x6982);
      else if (offset >= ef->len)
        sw (r, 0x6B00);
      else
        {
          gsize n = MIN (want, ef->len - offset);
          g_byte_array_append (r, ef->data + offset, n);
          sw (r, n < want ? 0x6282 : 0x9000);
        }
      g_byte_array_unref (ef);
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
