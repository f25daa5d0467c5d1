/* test-chime.c: the self-service screen's sound cues (issue 21), as
 * samples and as a WAV file: their notes, their loudness, no click.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-chime.h"

#include <math.h>

static gint16
sample_at (GBytes *samples,
           gsize   i)
{
  const guint8 *p = (const guint8 *) g_bytes_get_data (samples, NULL) + 2 * i;

  return (gint16) (p[0] | (p[1] << 8));
}

/* The pitch from FROM to TO seconds: rising zero crossings a second. */
static double
pitch (GBytes *samples,
       double  from,
       double  to)
{
  gsize a = (gsize) (from * SD_CHIME_RATE), b = (gsize) (to * SD_CHIME_RATE);
  guint rising = 0;

  for (gsize i = a + 1; i < b; i++)
    if (sample_at (samples, i - 1) < 0 && sample_at (samples, i) >= 0)
      rising++;
  return rising / (to - from);
}

static void
assert_pitch (GBytes *samples,
              double  from,
              double  to,
              double  hz)
{
  double heard = pitch (samples, from, to);

  g_test_message ("%.2f–%.2f s: %.0f Hz (expected %.0f)", from, to, heard, hz);
  g_assert_cmpfloat (fabs (heard - hz), <, hz * 0.03);
}

static void
assert_gentle (GBytes *samples)
{
  gsize n = g_bytes_get_size (samples) / 2;
  int peak = 0;

  for (gsize i = 0; i < n; i++)
    peak = MAX (peak, abs (sample_at (samples, i)));
  /* Loud enough to hear, never at full scale (no clipping, no shock);
   * it starts and ends at silence (no click). */
  g_assert_cmpint (peak, >, 32767 * 0.3);
  g_assert_cmpint (peak, <, 32767 * 0.6);
  g_assert_cmpint (abs (sample_at (samples, 0)), <, 200);
  g_assert_cmpint (abs (sample_at (samples, n - 1)), <, 200);
}

/* Where the first note (SECONDS long) meets the second: both at silence
 * there, so no click between them. */
static void
assert_no_click_between (GBytes *samples,
                         double  seconds)
{
  gsize joint = (gsize) (seconds * SD_CHIME_RATE);
  int around = 0;

  for (gsize i = joint - 4; i < joint + 4; i++)
    around = MAX (around, abs (sample_at (samples, i)));
  g_assert_cmpint (around, <, 1500);
}

/* Recorded: two notes rising (E5, A5), half a second in all. */
static void
test_done (void)
{
  g_autoptr(GBytes) samples = sd_chime_samples (SD_CHIME_DONE);

  g_assert_cmpuint (g_bytes_get_size (samples) / 2, ==, (gsize) (0.16 * SD_CHIME_RATE) + (gsize) (0.34 * SD_CHIME_RATE));
  assert_pitch (samples, 0.01, 0.15, 659.25);
  assert_pitch (samples, 0.17, 0.45, 880.0);
  assert_gentle (samples);
  assert_no_click_between (samples, 0.16);
}

/* See the desk: two notes falling and lower (A4, E4), so the difference is
 * heard in direction as well as pitch. */
static void
test_see_desk (void)
{
  g_autoptr(GBytes) samples = sd_chime_samples (SD_CHIME_SEE_DESK);

  assert_pitch (samples, 0.01, 0.21, 440.0);
  assert_pitch (samples, 0.23, 0.55, 329.63);
  assert_gentle (samples);
  assert_no_click_between (samples, 0.22);
}

/* The WAV Windows plays: a RIFF header that says 16-bit mono at the
 * cue's rate, then the very samples. */
static void
test_wav (void)
{
  g_autoptr(GBytes) samples = sd_chime_samples (SD_CHIME_DONE);
  g_autoptr(GBytes) wav = sd_chime_wav (SD_CHIME_DONE);
  gsize size = 0;
  const guint8 *w = g_bytes_get_data (wav, &size);

  g_assert_cmpuint (size, ==, 44 + g_bytes_get_size (samples));
  g_assert_cmpmem (w, 4, "RIFF", 4);
  g_assert_cmpuint (w[4] | w[5] << 8 | w[6] << 16 | (guint) w[7] << 24, ==, size - 8);
  g_assert_cmpmem (w + 8, 8, "WAVEfmt ", 8);
  g_assert_cmpuint (w[20] | w[21] << 8, ==, 1);   /* PCM */
  g_assert_cmpuint (w[22] | w[23] << 8, ==, 1);   /* mono */
  g_assert_cmpuint (w[24] | w[25] << 8 | w[26] << 16, ==, SD_CHIME_RATE);
  g_assert_cmpuint (w[34] | w[35] << 8, ==, 16);
  g_assert_cmpmem (w + 36, 4, "data", 4);
  g_assert_cmpmem (w + 44, size - 44, g_bytes_get_data (samples, NULL), g_bytes_get_size (samples));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chime/done", test_done);
  g_test_add_func ("/chime/see-desk", test_see_desk);
  g_test_add_func ("/chime/wav", test_wav);
  return g_test_run ();
}
