/* sd-people-layer.h: every listed person and shelter on the map, drawn as one layer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Twenty thousand people are twenty thousand markers: as widgets they
 * would take seconds to lay out, so this layer keeps them as points
 * (projected once) and paints them once into one picture around the
 * view, at its zoom: a pan moves that picture, a zoom scales it until it
 * is painted again when the zoom settles.  Colour and shape both say
 * the status: unconfirmed (and missing) a red circle, being helped (and
 * injured) an amber diamond, confirmed (safe at home, evacuated) a
 * green square; shelters a blue house with their code, under the people
 * (a person at a shelter's block stays visible) and their codes on top.
 */
#pragma once

#include <shumate/shumate.h>

#include "sd-map-people.h"

G_BEGIN_DECLS

typedef enum {
  SD_MARKER_UNCONFIRMED,
  SD_MARKER_HELPING,
  SD_MARKER_CONFIRMED,
  SD_N_MARKER_KINDS,
} SdMarkerKind;

SdMarkerKind sd_marker_kind_for_status (SdSupportStatus status);

#define SD_TYPE_PEOPLE_LAYER (sd_people_layer_get_type ())
G_DECLARE_FINAL_TYPE (SdPeopleLayer, sd_people_layer, SD, PEOPLE_LAYER, ShumateLayer)

SdPeopleLayer *sd_people_layer_new        (ShumateViewport *viewport);

/* Takes PEOPLE (may be NULL: nothing to show). */
void           sd_people_layer_set_people (SdPeopleLayer   *self,
                                           SdMapPeople     *people);
SdMapPeople   *sd_people_layer_get_people (SdPeopleLayer   *self);

/* Only the people whose ids are in SHOWN (NULL: everyone); the layer
 * keeps a reference. */
void           sd_people_layer_set_shown  (SdPeopleLayer   *self,
                                           GHashTable      *shown);
/* How many shown people of each kind are on the map (SD_N_MARKER_KINDS). */
void           sd_people_layer_count      (SdPeopleLayer   *self,
                                           guint           *counts);

/* The person (or, with none, the shelter) whose marker is nearest to X,
 * Y in the layer, within a finger's reach: their index in the people's
 * (or shelters') array, -1 for none. */
int            sd_people_layer_person_at  (SdPeopleLayer   *self,
                                           double           x,
                                           double           y);
int            sd_people_layer_shelter_at (SdPeopleLayer   *self,
                                           double           x,
                                           double           y);

/* With KEYBOARD, a cross at the middle and a ring round the person
 * nearest to it: whom Enter opens. */
void           sd_people_layer_set_keyboard (SdPeopleLayer *self,
                                             gboolean       keyboard);
/* The shown person nearest to the middle of the view, -1 for none. */
int            sd_people_layer_person_near_centre (SdPeopleLayer *self);

/* Where the point LAT, LON is in the layer. */
void           sd_people_layer_locate     (SdPeopleLayer   *self,
                                           double           lat,
                                           double           lon,
                                           double          *x,
                                           double          *y);

/* A picture of KIND's marker (SD_N_MARKER_KINDS: a shelter) at SCALE,
 * for the legend. */
GdkTexture    *sd_people_layer_swatch     (int              kind,
                                           int              scale);

G_END_DECLS
