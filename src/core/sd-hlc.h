/* sd-hlc.h: the hybrid logical clock that orders every write (Kulkarni et al. 2014).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A timestamp is packed into one signed 64-bit integer: the physical part
 * (milliseconds since the Unix epoch) in the high 47 bits and the logical
 * counter in the low 16, so that comparing two packed values as integers
 * compares (l, c) lexicographically, and SQLite can index and compare them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 SdHlc;

#define SD_HLC_COUNTER_BITS 16
#define SD_HLC_COUNTER_MAX  ((1 << SD_HLC_COUNTER_BITS) - 1)

/* How far ahead of this site's wall clock another site's change may
 * drag its clock (sync.md: a kiosk whose clock runs ahead would win
 * every conflict); beyond it, the clock is clamped and the site flagged. */
#define SD_HLC_MAX_AHEAD_MS (10 * 60 * 1000)

static inline SdHlc
sd_hlc_pack (gint64 wall_ms, guint counter)
{
  return (wall_ms << SD_HLC_COUNTER_BITS) | (SdHlc) counter;
}

static inline gint64
sd_hlc_get_wall_ms (SdHlc hlc)
{
  return hlc >> SD_HLC_COUNTER_BITS;
}

static inline guint
sd_hlc_get_counter (SdHlc hlc)
{
  return (guint) (hlc & SD_HLC_COUNTER_MAX);
}

SdHlc  sd_hlc_tick    (SdHlc    last,
                       gint64   now_ms);
SdHlc  sd_hlc_receive (SdHlc    last,
                       SdHlc    remote,
                       gint64   now_ms,
                       gint64   max_ahead_ms,
                       gboolean *out_clamped);
char  *sd_hlc_to_string (SdHlc  hlc);

G_END_DECLS
