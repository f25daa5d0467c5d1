/* sd-chime-private.h: what each platform's player does for sd-chime.c.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "sd-chime.h"

G_BEGIN_DECLS

/* Plays CHIME on DEVICE (NULL: the default output) and returns when it has
 * been heard, or FALSE with ERROR (G_IO_ERROR) when it cannot be. */
gboolean _sd_chime_play (SdChime      chime,
                         const char  *device,
                         GError     **error);

G_END_DECLS
