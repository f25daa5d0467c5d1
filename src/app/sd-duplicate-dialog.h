/* sd-duplicate-dialog.h: "is this the same person?" — the volunteer decides, never the software.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_DUPLICATE_DIALOG (sd_duplicate_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdDuplicateDialog, sd_duplicate_dialog, SD, DUPLICATE_DIALOG, AdwWindow)

SdDuplicateDialog *sd_duplicate_dialog_new (GtkWindow          *parent,
                                            const SdPersonSpec *person,
                                            GListModel         *candidates,
                                               gboolean            capped);

G_END_DECLS
