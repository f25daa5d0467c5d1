/* test-uuid.c: UUIDv7 ids are well formed, carry their time, and increase.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-uuid.h"

#include <string.h>

static void
test_uuid_format (void)
{
  g_autofree char *id = sd_uuid7_new (1700000000123);

  g_assert_true (sd_uuid_is_valid (id));
  g_assert_cmpuint (strlen (id), ==, SD_UUID_STRING_LEN);
  g_assert_cmpint (id[14], ==, '7');                     /* version */
  g_assert_true (strchr ("89ab", id[19]) != NULL);       /* variant 10 */
  g_assert_cmpint (sd_uuid7_get_unix_ms (id), ==, 1700000000123);
}

static void
test_uuid_invalid (void)
{
  g_assert_false (sd_uuid_is_valid (NULL));
  g_assert_false (sd_uuid_is_valid (""));
  g_assert_false (sd_uuid_is_valid ("0190c0de-0000-7000-8000-00000000000"));
  g_assert_false (sd_uuid_is_valid ("0190c0de-0000-7000-8000-00000000000g"));
  g_assert_false (sd_uuid_is_valid ("0190C0DE-0000-7000-8000-000000000000"));
  g_assert_cmpint (sd_uuid7_get_unix_ms ("nonsense"), ==, -1);
}

static void
test_uuid_monotonic (void)
{
  g_autofree char *prev = sd_uuid7_new (1700000000000);

  /* The same millisecond many times, then the clock going back: every id
   * still sorts after the one before. */
  for (int i = 0; i < 10000; i++)
    {
      gint64 ms = i < 5000 ? 1700000000000 : 1699999999000;
      g_autofree char *next = sd_uuid7_new (ms);

      g_assert_cmpstr (prev, <, next);
      g_free (prev);
      prev = g_steal_pointer (&next);
    }
}

static void
test_uuid_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 0; i < 100000; i++)
    g_assert_true (g_hash_table_add (seen, sd_uuid7_new (g_get_real_time () / 1000)));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uuid/format", test_uuid_format);
  g_test_add_func ("/uuid/invalid", test_uuid_invalid);
  g_test_add_func ("/uuid/monotonic", test_uuid_monotonic);
  g_test_add_func ("/uuid/unique", test_uuid_unique);
  return g_test_run ();
}
