/* test-hlc.c: the hybrid logical clock against the rules of Kulkarni et al. 2014.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-hlc.h"

static void
test_hlc_tick (void)
{
  SdHlc h = sd_hlc_tick (0, 1000);

  g_assert_cmpint (sd_hlc_get_wall_ms (h), ==, 1000);
  g_assert_cmpuint (sd_hlc_get_counter (h), ==, 0);

  /* Same millisecond: the counter moves. */
  h = sd_hlc_tick (h, 1000);
  g_assert_cmpint (sd_hlc_get_wall_ms (h), ==, 1000);
  g_assert_cmpuint (sd_hlc_get_counter (h), ==, 1);

  /* The wall clock stepped back: keep l, count on. */
  h = sd_hlc_tick (h, 500);
  g_assert_cmpint (sd_hlc_get_wall_ms (h), ==, 1000);
  g_assert_cmpuint (sd_hlc_get_counter (h), ==, 2);

  /* Time moved on: counter resets. */
  h = sd_hlc_tick (h, 2000);
  g_assert_cmpint (sd_hlc_get_wall_ms (h), ==, 2000);
  g_assert_cmpuint (sd_hlc_get_counter (h), ==, 0);
}

static void
test_hlc_counter_overflow (void)
{
  SdHlc h = sd_hlc_pack (1000, SD_HLC_COUNTER_MAX);
  SdHlc next = sd_hlc_tick (h, 1000);

  g_assert_cmpint (next, >, h);
  g_assert_cmpint (sd_hlc_get_wall_ms (next), ==, 1001);
  g_assert_cmpuint (sd_hlc_get_counter (next), ==, 0);
}

static void
test_hlc_receive (void)
{
  gboolean clamped = TRUE;
  SdHlc local = sd_hlc_pack (1000, 3);
  SdHlc remote = sd_hlc_pack (1500, 7);
  SdHlc h;

  /* Remote ahead of us and of the wall clock: take its l, counter + 1. */
  h = sd_hlc_receive (local, remote, 1200, 60000, &clamped);
  g_assert_false (clamped);
  g_assert_cmpint (h, ==, sd_hlc_pack (1500, 8));

  /* Equal l on both sides: max counter + 1. */
  h = sd_hlc_receive (sd_hlc_pack (1500, 9), remote, 1200, 60000, NULL);
  g_assert_cmpint (h, ==, sd_hlc_pack (1500, 10));

  /* Wall clock ahead of both: it wins, counter 0. */
  h = sd_hlc_receive (local, remote, 5000, 60000, NULL);
  g_assert_cmpint (h, ==, sd_hlc_pack (5000, 0));

  /* Local ahead: our l, our counter + 1. */
  h = sd_hlc_receive (sd_hlc_pack (9000, 4), remote, 5000, 60000, NULL);
  g_assert_cmpint (h, ==, sd_hlc_pack (9000, 5));
}

static void
test_hlc_receive_clamps_future (void)
{
  gboolean clamped = FALSE;
  SdHlc far = sd_hlc_pack (1000 + 10 * 86400000LL, 0);  /* ten days ahead */
  SdHlc h = sd_hlc_receive (sd_hlc_pack (1000, 0), far, 1000, 60000, &clamped);

  g_assert_true (clamped);
  g_assert_cmpint (sd_hlc_get_wall_ms (h), <=, 1000 + 60000);
}

static void
test_hlc_strictly_increasing (void)
{
  SdHlc h = 0;

  for (int i = 0; i < 200000; i++)
    {
      /* A wall clock that jumps about, forwards and back. */
      gint64 now = 1000000 + (i * 7919) % 3000 - 1500;
      SdHlc next = (i % 3 == 0) ? sd_hlc_receive (h, sd_hlc_pack (now + 5, i % 11), now, 60000, NULL)
                                : sd_hlc_tick (h, now);
      g_assert_cmpint (next, >, h);
      h = next;
    }
}

static void
test_hlc_to_string (void)
{
  g_autofree char *text = sd_hlc_to_string (sd_hlc_pack (1700000000123, 5));

  g_assert_cmpstr (text, ==, "2023-11-14T22:13:20.123Z/5");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hlc/tick", test_hlc_tick);
  g_test_add_func ("/hlc/counter-overflow", test_hlc_counter_overflow);
  g_test_add_func ("/hlc/receive", test_hlc_receive);
  g_test_add_func ("/hlc/receive-clamps-future", test_hlc_receive_clamps_future);
  g_test_add_func ("/hlc/strictly-increasing", test_hlc_strictly_increasing);
  g_test_add_func ("/hlc/to-string", test_hlc_to_string);
  return g_test_run ();
}
