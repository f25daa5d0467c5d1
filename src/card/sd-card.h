/* sd-card.h: card readers and the My Number card: the error domain shared by the transports.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transports (PC/SC, libnfc) and the card protocol live in this
 * folder; they report failures a volunteer can act on through these codes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SD_CARD_ERROR (sd_card_error_quark ())

typedef enum {
  SD_CARD_ERROR_NO_READER,     /* no reader connected, or the service is not running */
  SD_CARD_ERROR_NO_CARD,       /* nothing on the reader */
  SD_CARD_ERROR_REMOVED,       /* the card was taken away during the read */
  SD_CARD_ERROR_NOT_MYNUMBER,  /* a card, but not a My Number card */
  SD_CARD_ERROR_WRONG_PIN,     /* tries remain */
  SD_CARD_ERROR_BLOCKED,       /* no tries remain: only the municipal office can reset it */
  SD_CARD_ERROR_PROTOCOL,      /* the card answered something unexpected */
  SD_CARD_ERROR_CANCELLED,
} SdCardError;

GQuark sd_card_error_quark (void);

/* Call from main() before any thread starts: it sets the environment. */
void   sd_card_init        (void);

G_END_DECLS
