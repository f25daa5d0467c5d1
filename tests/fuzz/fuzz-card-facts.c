/* fuzz-card-facts.c: libFuzzer target for the My Number card's basic-facts TLV parser.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stddef.h>
#include <stdint.h>

#include "sd-mynumber-facts.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  SdCardFacts facts = { 0 };

  sd_mynumber_facts_total_length (data, size, NULL);
  if (sd_mynumber_parse_facts (data, size, &facts, NULL))
    {
      /* Whatever is accepted must be well-formed for the rest of the desk. */
      if (!g_utf8_validate (facts.name, -1, NULL) || !g_utf8_validate (facts.address, -1, NULL) ||
          facts.birth_date == NULL || facts.birth_date[4] != '-')
        __builtin_trap ();
    }
  sd_card_facts_clear (&facts);
  return 0;
}
