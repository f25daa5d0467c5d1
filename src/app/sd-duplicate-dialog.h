/* sd-duplicate-dialog.h: "is this the same person?" — the volunteer decides, never the software.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

/* The fields "same person" may keep from the record already there
 * instead of taking what was typed: bits of sd_duplicate_dialog_get_keep(). */
typedef enum {
  SD_MERGE_NAME       = 1 << 0,
  SD_MERGE_KANA       = 1 << 1,
  SD_MERGE_BIRTH_DATE = 1 << 2,
  SD_MERGE_SEX        = 1 << 3,
  SD_MERGE_ADDRESS    = 1 << 4,
  SD_MERGE_PHONE      = 1 << 5,
  SD_MERGE_ALLERGIES  = 1 << 6,
  SD_MERGE_ILLNESS    = 1 << 7,
  SD_MERGE_DISABILITY = 1 << 8,
  SD_MERGE_CARE_LEVEL = 1 << 9,
  SD_MERGE_MOBILITY   = 1 << 10,
  SD_MERGE_LANGUAGE   = 1 << 11,
} SdMergeField;

#define SD_TYPE_DUPLICATE_DIALOG (sd_duplicate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdDuplicateDialog, sd_duplicate_dialog, SD, DUPLICATE_DIALOG, AdwWindow)

SdDuplicateDialog *sd_duplicate_dialog_new          (GtkWindow          *parent,
                                                     const SdPersonSpec *person,
                                                     const char         *household_address,
                                                     const char         *household_phone,
                                                     GListModel         *candidates,
                                                     gboolean            capped);
guint              sd_duplicate_dialog_get_keep     (SdDuplicateDialog  *self);
gboolean           sd_duplicate_dialog_get_move_household (SdDuplicateDialog *self);

G_END_DECLS
