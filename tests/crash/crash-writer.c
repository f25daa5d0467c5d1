/* crash-writer.c: registers households and records events until it is killed, acknowledging each write.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: crash-writer DB SEED.  An "ACK …" line is printed and flushed
 * only after the core call returned success, that is after its COMMIT:
 * everything acknowledged must be in the database however the process
 * dies.  test-crash.py kills it with SIGKILL at random moments.
 */
#include "sd-core.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const family[] = { "山田", "佐藤", "鈴木", "髙橋", "田中", "渡辺", "伊藤", "中村" };
static const char *const given[] = { "太郎", "花子", "一郎", "さくら", "翔", "美咲", "健", "陽菜" };

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  GRand *rand;

  if (argc != 3)
    {
      fprintf (stderr, "usage: crash-writer DB SEED\n");
      return 2;
    }
  rand = g_rand_new_with_seed ((guint32) atoi (argv[2]));

  store = sd_store_open (argv[1], SD_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      fprintf (stderr, "crash-writer: %s\n", error->message);
      return 1;
    }
  shelter = sd_store_find_shelter (store, "C01", NULL);
  if (shelter == NULL)
    {
      SdShelterSpec spec = { "C01", "試験避難所", SD_SHELTER_KIND_DESIGNATED, 100000, NULL };
      shelter = sd_store_add_shelter (store, &spec, &error);
      if (shelter == NULL)
        return 1;
    }

  for (;;)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *household = NULL;
      SdPersonSpec members[4];
      char names[4][64];
      guint n = g_rand_int_range (rand, 1, 5);
      SdHouseholdSpec h = { .shelter_id = sd_shelter_get_id (shelter), .stay = SD_STAY_SHELTER,
                            .phone = "090-0000-0000", .check_in = TRUE };

      for (guint i = 0; i < n; i++)
        {
          g_snprintf (names[i], sizeof names[i], "%s %s", family[g_rand_int_range (rand, 0, 8)],
                      given[g_rand_int_range (rand, 0, 8)]);
          members[i] = (SdPersonSpec) { .name = names[i], .sex = SD_SEX_UNKNOWN };
        }
      household = sd_store_add_household (store, &h, members, n, ids, &error);
      if (household == NULL)
        {
          fprintf (stderr, "crash-writer: %s\n", error->message);
          return 1;
        }
      printf ("ACK household %s\n", household);
      for (guint i = 0; i < ids->len; i++)
        printf ("ACK person %s\n", (char *) g_ptr_array_index (ids, i));
      fflush (stdout);

      /* Someone goes out and comes back. */
      for (guint i = 0; i < ids->len; i++)
        if (g_rand_boolean (rand))
          {
            const char *pid = g_ptr_array_index (ids, i);
            g_autofree char *out = sd_store_record_event (store, pid, SD_EVENT_GO_OUT, NULL, NULL, &error);
            g_autofree char *back = NULL;

            if (out == NULL)
              return 1;
            printf ("ACK event %s %s\n", out, pid);
            fflush (stdout);
            back = sd_store_record_event (store, pid, SD_EVENT_RETURN, NULL, NULL, &error);
            if (back == NULL)
              return 1;
            printf ("ACK event %s %s\n", back, pid);
            fflush (stdout);
          }
    }
}
