/* sd-support-map.h: listed people and shelters on the offline map, with a legend and who is not on it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base map is the MBTiles file this desk was given (map use-tiles);
 * people and shelters are placed by the address reference (map
 * import-addresses), read and geocoded in a thread (sd-map-people.h).
 * The legend counts the people shown in each colour; a button lists the
 * people who are not on the map with the reason.  A touch on a marker
 * (or on a name in that list) emits "person-activated" with their id.
 * Without tiles the markers still show, on a plain background, with a
 * message that says how to add the map.
 *
 * Built with libshumate (sd-support-map.c) where it is available; a build
 * without it (Windows: Debian's mirror has lost libshumate's sources) has
 * the stand-in of sd-support-map-none.c, which says the map is not in
 * this build and leaves the list to do the work.
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-store.h"

G_BEGIN_DECLS

#define SD_TYPE_SUPPORT_MAP (sd_support_map_get_type ())
G_DECLARE_FINAL_TYPE (SdSupportMap, sd_support_map, SD, SUPPORT_MAP, GtkWidget)

GtkWidget  *sd_support_map_new        (void);

void        sd_support_map_set_store  (SdSupportMap *self,
                                       SdStore      *store);
/* Reads the people and shelters (again), in a thread; "loaded" follows.
 * Nothing is read until this is called: the map costs nothing until it
 * is shown. */
void        sd_support_map_reload     (SdSupportMap *self);
/* Only the people whose ids are in SHOWN (NULL: everyone listed). */
void        sd_support_map_set_shown  (SdSupportMap *self,
                                       GHashTable   *shown);
/* Back to the whole area of the base map (or of the people). */
void        sd_support_map_show_whole (SdSupportMap *self);

/* A touch at X, Y in the map: opens the person there, if any (TRUE). */
gboolean    sd_support_map_activate_at (SdSupportMap *self,
                                        double        x,
                                        double        y);

/* Enter on the map: opens the person nearest the middle (TRUE). */
gboolean    sd_support_map_activate_centre (SdSupportMap *self);

/* For the tests and the benchmark (the getters of the map itself are in
 * sd-support-map-shumate.h). */
guint       sd_support_map_get_n_unplaced (SdSupportMap *self);

G_END_DECLS
