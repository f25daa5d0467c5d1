/* sd-map-people.h: who and what the support-list map shows, placed by their addresses.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One read of every listed person (with their status now) and every
 * shelter, each geocoded by sd_store_geocode(): those placed carry their
 * point, the others the reason they are not on the map.  Read in a
 * thread by the desk and redrawn from memory, so the map never waits on
 * the database while it pans.
 */
#pragma once

#include "sd-geocode.h"
#include "sd-support.h"

G_BEGIN_DECLS

/* Where an address is on the map, or why it is not. */
typedef struct {
  SdGeocodeResult  placed;   /* SD_GEOCODE_FOUND: LAT and LON are its point */
  double           lat;
  double           lon;
} SdMapPoint;

typedef struct {
  char            *id;
  char            *name;
  char            *district;
  SdSupportStatus  status;
  SdMapPoint       at;
} SdMapPerson;

typedef struct {
  char            *id;
  char            *code;
  char            *name;
  SdMapPoint       at;
} SdMapShelter;

typedef struct {
  GArray *people;     /* SdMapPerson, by district then kana */
  GArray *shelters;   /* SdMapShelter, by code */
  guint   placed;     /* how many people are on the map */
} SdMapPeople;

SdMapPeople *sd_map_people_read (SdStore      *store,
                                 GError      **error);
void         sd_map_people_free (SdMapPeople  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdMapPeople, sd_map_people_free)

G_END_DECLS
