/* sd-seed.h: loading the embedded demo (seeds/) or a deployment's CSV/JSON files.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A seed directory has a manifest.json naming its files; see
 * seeds/README.md for the format.  Everything is loaded in one
 * transaction: a bad row anywhere leaves the database as it was, and the
 * error names the file and line.
 */
#pragma once

#include "sd-store.h"

G_BEGIN_DECLS

typedef struct {
  guint shelters;
  guint staff;
  guint rollcalls;
  guint safety_answers;
  guint support_persons;
  guint support_plans;
  guint shelter_guides;
  guint support_contacts;
  guint households;
  guint persons;
  guint events;
  guint map_blocks;   /* blocks of the address reference */
  gboolean map_tiles; /* a base map was set */
} SdSeedSummary;

gboolean sd_seed_load (SdStore       *store,
                       const char    *dir,
                       SdSeedSummary *summary,
                       GError       **error);

G_END_DECLS
