/* sd-address.h: Japanese addresses as people write them, read into one form.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Welfare systems, volunteers and the national address reference write
 * the same place many ways: 北町3丁目17-6, 北町三丁目１７－６, 北町3-17-6,
 * 北町3丁目17番地6, 北町3丁目17番6号.  sd_address_normalize() gives all of
 * them one form (ASCII digits, 丁目 with a number, 番地 and 号 as hyphens,
 * one space at most) so that they compare equal, and sd_address_split()
 * takes it apart into the town (町丁目) and the block numbers (街区, 番地)
 * the map's address reference is keyed by.  Nothing is guessed: a part
 * that is not there stays empty.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *prefecture;  /* 東京都, NULL when the address does not say */
  char  *city;        /* みなと川市, 世田谷区, 横浜市港北区, 〇〇郡△△町 */
  char  *town;        /* 北町 (大字・町名), NULL when none */
  guint  chome;       /* 3 of 3丁目, 0 when none */
  guint  block;       /* 17 of 17-6 (街区・番), 0 when none */
  guint  lot;         /* 6 of 17-6 (号・枝番), 0 when none */
  char  *rest;        /* the building and room, NULL when none */
} SdAddress;

char      *sd_address_normalize (const char *address);

/* The parts of ADDRESS, normalised; NULL when it is empty. */
SdAddress *sd_address_split     (const char *address);
void       sd_address_free      (SdAddress  *address);

/* The district (町丁目) of ADDRESS as the desk groups people by it:
 * "北町3丁目", or the town alone when it has no 丁目; NULL when none. */
char      *sd_address_district  (const char *address);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdAddress, sd_address_free)

G_END_DECLS
