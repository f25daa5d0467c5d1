/* sd-card-fixture.h: the real card stack for tests: pcscd with vpcd, and emulated cards and readers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The emulator programs are found through SD_VPCD_CARD and SD_PN532_CARD
 * (set by meson).  Every process started here dies with the test
 * (PR_SET_PDEATHSIG), so a failed assertion leaves nothing behind.
 */
#pragma once

#include "sd-card-reader.h"

G_BEGIN_DECLS

#define SD_VPCD_PORT_0 35963   /* "Virtual PCD 00 00" */
#define SD_VPCD_PORT_1 35964   /* "Virtual PCD 00 01" */

/* Starts pcscd with only the virtual reader (needs root and no other
 * pcscd), or finds a running one that has it.  NULL when neither is
 * possible, with the reason in *SKIP_REASON. */
gboolean sd_card_fixture_pcscd_start   (char       **skip_reason);
/* Whether the fixture started pcscd itself (and so can restart it). */
gboolean sd_card_fixture_pcscd_owned   (void);
void     sd_card_fixture_pcscd_stop    (void);

/* Puts an emulated card (options as in sd-card-emulator.h, NULL-ended)
 * on the virtual reader at PORT, logging its APDUs to LOG, and waits until
 * PC/SC sees it.  Returns the card's pid. */
GPid     sd_card_fixture_put_card      (guint               port,
                                        const char         *log,
                                        const char *const  *options);
/* Takes the card away and waits until PC/SC sees the reader empty. */
void     sd_card_fixture_take_card     (GPid                pid,
                                        guint               port);

/* Starts a PN532 reader on a pseudo-terminal, linked from LINK, with a
 * card (or with "--no-card" among OPTIONS, an empty field). */
GPid     sd_card_fixture_pn532_start   (const char         *link,
                                        const char         *log,
                                        const char *const  *options);
void     sd_card_fixture_stop          (GPid                pid);

/* Whether a line of the APDU log starts with PREFIX (hex, upper case). */
gboolean sd_card_fixture_log_has       (const char         *log,
                                        const char         *prefix);
/* Whether FILE's bytes contain NEEDLE anywhere. */
gboolean sd_card_fixture_file_contains (const char         *file,
                                        const char         *needle);

/* The desk's two async steps, waited for on the default main context. */
int          sd_card_fixture_probe     (SdCardReader      *reader,
                                        SdMynumberPinKind  kind,
                                        guint              timeout_ms,
                                        GCancellable      *cancellable,
                                        SdCardTimings     *timings,
                                        GError           **error);
SdCardFacts *sd_card_fixture_read      (SdCardReader      *reader,
                                        SdMynumberPinKind  kind,
                                        const char        *pin,
                                        int               *tries_left,
                                        gboolean          *verify_sent,
                                        SdCardTimings     *timings,
                                        GError           **error);

G_END_DECLS
