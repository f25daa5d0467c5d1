/* sd-hlc.c: the hybrid logical clock that orders every write (Kulkarni et al. 2014).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invariants: sd_hlc_tick() and sd_hlc_receive() always return a value
 * greater than LAST, whatever the wall clock says, so the order of writes
 * on one site is the order of their timestamps even across a clock step
 * backwards or a restart (the store seeds LAST from the newest op-log
 * entry).  When the 16-bit counter would overflow, the physical part moves
 * on by one millisecond instead: a bounded, harmless drift ahead.
 */
#include "sd-hlc.h"

static SdHlc
next_after (gint64 l, guint c)
{
  if (c >= SD_HLC_COUNTER_MAX)
    return sd_hlc_pack (l + 1, 0);
  return sd_hlc_pack (l, c + 1);
}

SdHlc
sd_hlc_tick (SdHlc  last,
             gint64 now_ms)
{
  gint64 l = sd_hlc_get_wall_ms (last);

  if (now_ms > l)
    return sd_hlc_pack (now_ms, 0);
  return next_after (l, sd_hlc_get_counter (last));
}

SdHlc
sd_hlc_receive (SdHlc     last,
                SdHlc     remote,
                gint64    now_ms,
                gint64    max_ahead_ms,
                gboolean *out_clamped)
{
  gint64 l_old = sd_hlc_get_wall_ms (last);
  guint c_old = sd_hlc_get_counter (last);
  gint64 l_m = sd_hlc_get_wall_ms (remote);
  guint c_m = sd_hlc_get_counter (remote);
  gboolean clamped = FALSE;
  gint64 l;

  /* A peer whose clock runs far ahead would otherwise drag ours with it
   * and win every later conflict: take at most now + max_ahead_ms. */
  if (max_ahead_ms >= 0 && l_m > now_ms + max_ahead_ms)
    {
      l_m = now_ms + max_ahead_ms;
      c_m = 0;
      clamped = TRUE;
    }

  if (out_clamped != NULL)
    *out_clamped = clamped;

  l = MAX (MAX (l_old, l_m), now_ms);
  if (l == l_old && l == l_m)
    return next_after (l, MAX (c_old, c_m));
  if (l == l_old)
    return next_after (l, c_old);
  if (l == l_m)
    return next_after (l, c_m);
  return sd_hlc_pack (l, 0);
}

char *
sd_hlc_to_string (SdHlc hlc)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (sd_hlc_get_wall_ms (hlc) / 1000);
  g_autofree char *seconds = NULL;

  if (dt == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, hlc);
  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ/%u", seconds,
                          (int) (sd_hlc_get_wall_ms (hlc) % 1000),
                          sd_hlc_get_counter (hlc));
}
