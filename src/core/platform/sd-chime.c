/* sd-chime.c: the short sounds the self-service screen makes, made here
 * (no sound files) and played on the kiosk's speaker.
 *
 * Each cue is two notes with a soft start and a bell-like fade, so that it
 * is heard across a noisy gym without startling anyone: rising (E5, A5)
 * when a card was recorded, falling and lower (A4, E4) when the person
 * should see the desk.  They differ in direction as well as pitch, so the
 * difference is heard by someone who cannot tell two pitches apart.
 *
 * Played by the platform (sd-chime-alsa.c: ALSA, which PipeWire and
 * PulseAudio also serve; sd-chime-win32.c: the Windows sound player) in a
 * worker thread: playing blocks for about half a second.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-chime.h"
#include "sd-chime-private.h"

#include <math.h>
#include <string.h>

typedef struct
{
  double frequency;   /* Hz */
  double seconds;
} Note;

static const Note done_notes[] = { { 659.25, 0.16 }, { 880.00, 0.34 } };
static const Note see_desk_notes[] = { { 440.00, 0.22 }, { 329.63, 0.40 } };

#define AMPLITUDE 0.45      /* of full scale: clear, not harsh */
#define ATTACK 0.008        /* seconds to full loudness: no click */
#define DECAY 6.0           /* per second: the bell-like fade */

/* The cue CHIME as 16-bit mono samples at SD_CHIME_RATE, little-endian. */
GBytes *
sd_chime_samples (SdChime chime)
{
  const Note *notes = chime == SD_CHIME_DONE ? done_notes : see_desk_notes;
  gsize n_notes = chime == SD_CHIME_DONE ? G_N_ELEMENTS (done_notes) : G_N_ELEMENTS (see_desk_notes);
  GByteArray *out = g_byte_array_new ();

  for (gsize i = 0; i < n_notes; i++)
    {
      gsize count = (gsize) (notes[i].seconds * SD_CHIME_RATE);

      for (gsize s = 0; s < count; s++)
        {
          double t = (double) s / SD_CHIME_RATE;
          double envelope = MIN (1.0, t / ATTACK) * exp (-DECAY * t);
          /* The last few milliseconds fade to nothing: no click between notes. */
          double tail = MIN (1.0, (double) (count - s) / (0.004 * SD_CHIME_RATE));
          double value = AMPLITUDE * envelope * tail *
                         (sin (2 * G_PI * notes[i].frequency * t) + 0.25 * sin (4 * G_PI * notes[i].frequency * t)) / 1.25;
          gint16 sample = (gint16) lround (value * 32767.0);
          guint8 le[2] = { (guint8) (sample & 0xff), (guint8) ((guint16) sample >> 8) };

          g_byte_array_append (out, le, 2);
        }
    }
  return g_byte_array_free_to_bytes (out);
}

static void
put_u32 (GByteArray *out,
         guint32     value)
{
  guint8 le[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24 };

  g_byte_array_append (out, le, 4);
}

static void
put_u16 (GByteArray *out,
         guint16     value)
{
  guint8 le[2] = { value & 0xff, value >> 8 };

  g_byte_array_append (out, le, 2);
}

/* The cue CHIME as a WAV file (RIFF, PCM 16-bit mono). */
GBytes *
sd_chime_wav (SdChime chime)
{
  g_autoptr(GBytes) samples = sd_chime_samples (chime);
  gsize size = g_bytes_get_size (samples);
  GByteArray *out = g_byte_array_sized_new (44 + size);

  g_byte_array_append (out, (const guint8 *) "RIFF", 4);
  put_u32 (out, (guint32) (36 + size));
  g_byte_array_append (out, (const guint8 *) "WAVEfmt ", 8);
  put_u32 (out, 16);
  put_u16 (out, 1);                       /* PCM */
  put_u16 (out, 1);                       /* mono */
  put_u32 (out, SD_CHIME_RATE);
  put_u32 (out, SD_CHIME_RATE * 2);       /* bytes a second */
  put_u16 (out, 2);                       /* bytes a frame */
  put_u16 (out, 16);                      /* bits a sample */
  g_byte_array_append (out, (const guint8 *) "data", 4);
  put_u32 (out, (guint32) size);
  g_byte_array_append (out, g_bytes_get_data (samples, NULL), size);
  return g_byte_array_free_to_bytes (out);
}

typedef struct
{
  SdChime  chime;
  char    *device;
} PlayData;

static void
play_data_free (gpointer data)
{
  PlayData *play = data;

  g_free (play->device);
  g_free (play);
}

static void
play_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  PlayData *play = task_data;
  GError *error = NULL;

  if (_sd_chime_play (play->chime, play->device, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Plays CHIME on DEVICE (the platform's name for an output; NULL or ""
 * for the system's default) in a worker thread.  A kiosk with no sound
 * card finishes with a G_IO_ERROR: the cue is a help, never a condition
 * of checking in. */
void
sd_chime_play_async (SdChime              chime,
                     const char          *device,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  PlayData *play = g_new0 (PlayData, 1);

  play->chime = chime;
  play->device = device != NULL && *device != '\0' ? g_strdup (device) : NULL;
  g_task_set_source_tag (task, sd_chime_play_async);
  g_task_set_task_data (task, play, play_data_free);
  g_task_run_in_thread (task, play_thread);
}

gboolean
sd_chime_play_finish (GAsyncResult *result,
                      GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
