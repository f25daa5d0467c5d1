/* fuzz-qr.c: libFuzzer target for what a scanner hands the desk: card and pre-registration codes.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the door the rest comes through: raw scanned text;
 * bytes wrapped as a card body or as a pre-registration's compressed body
 * (so the fuzzer reaches the base32 decoder, zlib and the JSON reader
 * without having to guess a checksum); or pre-registration JSON as a file.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sd-qr.h"
#include "sd-qr-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_prereg (SdPrereg *p)
{
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SdPrereg) again = NULL;

  if (p == NULL)
    return;
  /* Whatever is accepted goes back out and in again unchanged. */
  json = sd_prereg_to_json (p);
  text = sd_prereg_to_text (p, NULL);
  if (text == NULL)
    return;  /* too large for one code: refused, fine */
  again = sd_prereg_new_from_text (text, NULL);
  if (again == NULL)
    __builtin_trap ();
  json_again = sd_prereg_to_json (again);
  if (strcmp (json, json_again) != 0)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = NULL;
  SdQrCard card;
  guint8 raw[SD_QR_CARD_BYTES];

  if (size < 1 || size > 8192)
    return 0;

  switch (data[0] % 4)
    {
    case 0:
      text = g_strndup ((const char *) data + 1, size - 1);
      break;
    case 1:
      {
        g_autofree char *b32 = _sd_base32_encode (data + 1, size - 1);
        text = g_strconcat (SD_QR_CARD_PREFIX, b32, NULL);
      }
      break;
    case 2:
      {
        g_autofree char *b32 = _sd_base32_encode (data + 1, size - 1);
        text = g_strconcat (SD_QR_PREREG_PREFIX, b32, NULL);
      }
      break;
    default:
      {
        g_autoptr(SdPrereg) p = sd_prereg_new_from_json ((const char *) data + 1, size - 1, NULL);
        check_prereg (p);
        return 0;
      }
    }

  if (sd_qr_card_parse (text, &card, raw, NULL))
    {
      /* A parsed card is exactly one card's text long and names a UUID. */
      if (strlen (card.person_id) != 36 || strlen (card.site_id) != 32)
        __builtin_trap ();
    }
  {
    g_autoptr(SdPrereg) p = sd_prereg_new_from_text (text, NULL);
    check_prereg (p);
  }
  sd_qr_kind_of (text);
  return 0;
}
