/* sd-support-person-dialog.h: one person of the support list, and a status reported for them.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SUPPORT_PERSON_DIALOG (sd_support_person_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdSupportPersonDialog, sd_support_person_dialog, SD, SUPPORT_PERSON_DIALOG, AdwWindow)

/* STAFF (may be NULL) is who reports. */
GtkWidget *sd_support_person_dialog_new (SdStore    *store,
                                         SdStaff    *staff,
                                         const char *id);

/* For the tests: chooses STATUS, the shelter by CODE (or NULL) and a
 * note, as a person would, then presses Record. */
gboolean   sd_support_person_dialog_report (SdSupportPersonDialog *self,
                                            SdSupportStatus        status,
                                            const char            *shelter_code,
                                            const char            *note);

G_END_DECLS
