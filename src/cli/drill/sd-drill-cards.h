/* sd-drill-cards.h: the drill's card station: each card holder's My Number card on a real reader.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "sd-person.h"

G_BEGIN_DECLS

typedef struct _SdDrillCards SdDrillCards;

/* A card station on the PC/SC reader READER, with the card emulator
 * started by the command line EMULATOR (to which --swap and --pin are
 * added), such as "vpcd-card 35963" for "Virtual PCD 00 00". */
SdDrillCards *sd_drill_cards_new       (const char    *reader,
                                        const char    *emulator,
                                        GError       **error);
void          sd_drill_cards_free      (SdDrillCards  *cards);
/* The engine's card read (SdExerciseCardReadFunc): PERSON's card on the
 * reader, read with its PIN; an error when the read fails or gives
 * other facts. */
gboolean      sd_drill_cards_read      (SdPersonSpec  *person,
                                        gpointer       user_data,
                                        GError       **error);
/* Cards read so far, and the seconds spent reading them. */
guint         sd_drill_cards_get_reads (SdDrillCards  *cards,
                                        double        *seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdDrillCards, sd_drill_cards_free)

G_END_DECLS
