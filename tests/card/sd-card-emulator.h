/* sd-card-emulator.h: an emulated My Number card, for the tests and the demo's virtual readers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

#define SD_CARD_EMULATOR_NUMBER "381254607293"

typedef struct {
  char       *pin;            /* 4 digits */
  char       *pin_b;          /* 14 digits */
  int         tries;          /* left for the PIN; 0 = blocked */
  int         tries_b;
  GByteArray *facts;          /* EF 0002 as stored */
  char       *number;         /* EF 0001: a 12-digit individual number, there so
                               * tests can prove it never leaks (SD_CARD_EMULATOR_NUMBER) */
  int         pull_out_after; /* answer this many APDUs, then act pulled out; -1 never */

  /* state */
  gboolean    selected_ap;
  guint       current_ef;
  gboolean    verified;
  GPtrArray  *log;            /* every APDU received, as hex */
  FILE       *log_file;       /* and appended here, one per line, if set */
} SdCardEmulator;

SdCardEmulator *sd_card_emulator_new     (const char *name,
                                          const char *address,
                                          const char *birth_yyyymmdd,
                                          const char *sex,
                                          const char *pin);
/* Another person's card in its place (birth YYYYMMDD, sex "1" male,
 * "2" female, "9" not applicable): the PIN and its tries stay. */
void            sd_card_emulator_set_facts (SdCardEmulator *emu,
                                            const char     *name,
                                            const char     *address,
                                            const char     *birth,
                                            const char     *sex);
/* For the emulator programs (vpcd-card, pn532-card): a card from the
 * command line options --name --address --birth --sex --pin --tries
 * --long-address --pull-out-after --log; removes what it parsed. */
SdCardEmulator *sd_card_emulator_new_from_args (int      *argc,
                                                char   ***argv,
                                                GError  **error);
void            sd_card_emulator_free    (SdCardEmulator *emu);
/* Power off or reset: the application and any VERIFY are forgotten. */
void            sd_card_emulator_reset   (SdCardEmulator *emu);
/* Answers one APDU (data and SW appended to RESPONSE); FALSE once pulled out. */
gboolean        sd_card_emulator_process (SdCardEmulator *emu,
                                          const guint8   *apdu,
                                          gsize           len,
                                          GByteArray     *response);
/* Whether any APDU in the log selected FID (as "00A4020C02xxxx"). */
gboolean        sd_card_emulator_selected (SdCardEmulator *emu,
                                           guint           fid);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCardEmulator, sd_card_emulator_free)

G_END_DECLS
