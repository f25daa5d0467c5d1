/* sd-chime.h: the short sounds the self-service screen makes, made here
 * (no sound files) and played on the kiosk's speaker.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  SD_CHIME_DONE,      /* two notes rising: recorded, all is well */
  SD_CHIME_SEE_DESK,  /* two notes falling, lower: please see the desk */
} SdChime;

#define SD_CHIME_RATE 22050

GBytes  *sd_chime_samples     (SdChime              chime);
GBytes  *sd_chime_wav         (SdChime              chime);
void     sd_chime_play_async  (SdChime              chime,
                               const char          *device,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gboolean sd_chime_play_finish (GAsyncResult        *result,
                               GError             **error);

G_END_DECLS
