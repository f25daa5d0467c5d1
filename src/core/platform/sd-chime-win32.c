/* sd-chime-win32.c: the self-service cues through Windows' own sound
 * player (PlaySound, on the default output).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-chime-private.h"

#include <windows.h>
#include <mmsystem.h>

gboolean
_sd_chime_play (SdChime      chime,
                const char  *device,
                GError     **error)
{
  g_autoptr(GBytes) wav = sd_chime_wav (chime);

  /* Synchronous in the worker thread, so the WAV outlives its playing;
   * SND_NODEFAULT: no system beep instead when it cannot be played. */
  if (!PlaySoundA (g_bytes_get_data (wav, NULL), NULL, SND_MEMORY | SND_SYNC | SND_NODEFAULT))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No sound output");
      return FALSE;
    }
  return TRUE;
}
