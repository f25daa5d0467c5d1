/* sd-card.c: the card error domain.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-card.h"

G_DEFINE_QUARK (sd-card-error-quark, sd_card_error)
