/* sd-cli-card.h: one My Number card read, for card read and the drill's card station.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-card-reader.h"

G_BEGIN_DECLS

/* Waits up to TIMEOUT_S for a card on READER and reads its 4 facts with
 * PIN, on a main context of its own; a last PIN try is said on standard
 * error unless QUIET. */
SdCardFacts *sd_cli_read_card (SdCardReader       *reader,
                               SdMynumberPinKind   kind,
                               const char         *pin,
                               guint               timeout_s,
                               gboolean            quiet,
                               GError            **error);

G_END_DECLS
