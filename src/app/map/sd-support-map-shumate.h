/* sd-support-map-shumate.h: the map and marker layer inside the support map, for the tests and the benchmark.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only in builds with libshumate (see sd-support-map.h).
 */
#pragma once

#include <shumate/shumate.h>

#include "sd-support-map.h"

G_BEGIN_DECLS

ShumateMap *sd_support_map_get_map    (SdSupportMap *self);
GtkWidget  *sd_support_map_get_layer  (SdSupportMap *self);

G_END_DECLS
