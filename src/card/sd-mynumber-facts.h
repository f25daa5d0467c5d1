/* sd-mynumber-facts.h: the basic 4 facts of a My Number card (EF 0002) and their BER-TLV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the 4 facts printed on the card: name, address, birth date, sex.
 * The 12-digit individual number (EF 0001) has no place in this file or
 * anywhere in ShelterDesk.
 */
#pragma once

#include "sd-card.h"
#include "sd-person.h"

G_BEGIN_DECLS

typedef struct {
  char  *name;        /* UTF-8, as on the card */
  char  *address;     /* UTF-8, may be 128 bytes or more (long-form length) */
  char  *birth_date;  /* ISO 8601 YYYY-MM-DD */
  SdSex  sex;
} SdCardFacts;

void     sd_card_facts_clear (SdCardFacts *facts);

/* How many bytes the whole EF 0002 record takes, read from its first
 * bytes (outer tag and length): 0 when HEAD is too short to tell yet, -1
 * (with ERROR) when it is not the record of basic facts. */
gssize   sd_mynumber_facts_total_length (const guint8  *head,
                                         gsize          len,
                                         GError       **error);

/* Parses EF 0002: FF 20 L { DF 21 header, DF 22 name, DF 23 address,
 * DF 24 birth date (8 digits), DF 25 sex ("1", "2", "9") }, with short or
 * long-form lengths.  Refuses anything malformed with SD_CARD_ERROR_PROTOCOL
 * and never reads past LEN. */
gboolean sd_mynumber_parse_facts (const guint8  *data,
                                  gsize          len,
                                  SdCardFacts   *facts,
                                  GError       **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SdCardFacts, sd_card_facts_clear)

G_END_DECLS
