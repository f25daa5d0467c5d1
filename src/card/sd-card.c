/* sd-card.c: the card error domain, and setup before any thread starts.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-card.h"

G_DEFINE_QUARK (sd-card-error-quark, sd_card_error)

void
sd_card_init (void)
{
  /* libnfc writes its own errors to stderr ("Unable to find USB busses"
   * on every scan of a machine without USB readers); ShelterDesk reports
   * what a volunteer can act on instead. */
  g_setenv ("LIBNFC_LOG_LEVEL", "0", FALSE);
}
