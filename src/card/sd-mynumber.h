/* sd-mynumber.h: reading the 4 basic facts from a My Number card, APDU by APDU.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The protocol of the card-info input support application (券面事項入力補助AP)
 * over any transport that carries APDUs (PC/SC, libnfc, a test emulator).
 * Only the application, the two PIN files (the 4-digit PIN, EF 0011, and
 * 照合番号B, EF 0015) and the basic facts (EF 0002) are ever selected:
 * this file has no constant for the individual number or 照合番号A.
 */
#pragma once

#include "sd-mynumber-facts.h"

G_BEGIN_DECLS

/* Sends APDU and appends the response (data, then SW1 SW2) to RESPONSE. */
typedef gboolean (*SdApduTransmit) (gpointer      user_data,
                                    const guint8 *apdu,
                                    gsize         apdu_len,
                                    GByteArray   *response,
                                    GError      **error);

typedef struct {
  SdApduTransmit transmit;
  gpointer       user_data;
  guint          n_apdus;     /* how many were sent, for the benchmark and tests */
  gint64         apdu_usec;   /* time spent waiting for the card's answers */
  gboolean       verify_sent; /* a VERIFY with a PIN went out: a try may be spent */
} SdApduChannel;

typedef enum {
  SD_MYNUMBER_PIN,      /* the 4-digit PIN for card-info input (券面事項入力補助用暗証番号) */
  SD_MYNUMBER_PIN_B,    /* 照合番号B: birth date YYMMDD + expiry year + security code */
} SdMynumberPinKind;

gboolean sd_mynumber_select_application (SdApduChannel     *channel,
                                         GError           **error);
int      sd_mynumber_get_tries          (SdApduChannel     *channel,
                                         SdMynumberPinKind  kind,
                                         GError           **error);
gboolean sd_mynumber_verify             (SdApduChannel     *channel,
                                         SdMynumberPinKind  kind,
                                         const char        *pin,
                                         int               *tries_left,
                                         GError           **error);
 /* The same, when the PIN file of KIND is current and TRIES_KNOWN was just
 * asked of the card (sd_mynumber_get_tries()); -1 asks again. */
gboolean sd_mynumber_verify_selected    (SdApduChannel     *channel,
                                         SdMynumberPinKind  kind,
                                         const char        *pin,
                                         int                tries_known,
                                         int               *tries_left,
                                         GError           **error);
gboolean sd_mynumber_read_facts         (SdApduChannel     *channel,
                                         SdCardFacts       *facts,
                                         GError           **error);

G_END_DECLS
