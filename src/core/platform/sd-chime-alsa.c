/* sd-chime-alsa.c: the self-service cues through ALSA (Linux), which a
 * kiosk's PipeWire or PulseAudio also serves as its "default" device.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-chime-private.h"

#include <alsa/asoundlib.h>

static gboolean
alsa_failed (int          code,
             const char  *what,
             GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, snd_strerror (code));
  return FALSE;
}

gboolean
_sd_chime_play (SdChime      chime,
                const char  *device,
                GError     **error)
{
  g_autoptr(GBytes) samples = sd_chime_samples (chime);
  gsize size = 0;
  const gint16 *frames = g_bytes_get_data (samples, &size);
  snd_pcm_uframes_t left = size / 2;
  snd_pcm_t *pcm = NULL;
  int code;

  /* Opened without waiting: a device another program holds (a plughw:
   * device is exclusive) is a cue not heard, not a thread stuck. */
  code = snd_pcm_open (&pcm, device != NULL ? device : "default", SND_PCM_STREAM_PLAYBACK, SND_PCM_NONBLOCK);
  if (code < 0)
    return alsa_failed (code, "No sound output", error);
  code = snd_pcm_nonblock (pcm, 0);
  /* 16-bit mono at the cue's rate, resampled by ALSA if the card needs it;
   * 100 ms of buffer. */
  if (code >= 0)
    code = snd_pcm_set_params (pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, SD_CHIME_RATE, 1,
                               100000);
  while (code >= 0 && left > 0)
    {
      snd_pcm_sframes_t written = snd_pcm_writei (pcm, frames, left);

      if (written < 0)
        written = snd_pcm_recover (pcm, (int) written, 1);
      if (written < 0)
        code = (int) written;
      else
        {
          frames += written;
          left -= (snd_pcm_uframes_t) written;
        }
    }
  if (code >= 0)
    code = snd_pcm_drain (pcm);
  snd_pcm_close (pcm);
  return code >= 0 ? TRUE : alsa_failed (code, "The sound could not be played", error);
}
