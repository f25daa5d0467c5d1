/* sd-card-reader-private.h: the transports behind SdCardReader.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-card-reader.h"

G_BEGIN_DECLS

/* NAME NULL: any reader, the first to have a card. */
SdCardReader *_sd_pcsc_reader_new (const char *name);
gboolean      _sd_pcsc_list       (GPtrArray  *specs,
                                   GError    **error);
/* PC/SC's return code RC as an SdCardError (TRUE for success). */
gboolean      _sd_pcsc_set_error  (long        rc,
                                   GError    **error);

/* CONNSTRING NULL: the first device libnfc finds. */
SdCardReader *_sd_nfc_reader_new  (const char *connstring);
void          _sd_nfc_list        (GPtrArray  *specs);

G_END_DECLS
