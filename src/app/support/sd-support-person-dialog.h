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

/* For the tests, as a person fills the plan's fields and presses Save;
 * adds a contact as the Add form does; removes the INDEX-th contact. */
gboolean   sd_support_person_dialog_edit_plan      (SdSupportPersonDialog *self,
                                                    const char            *shelter_code,
                                                    const char            *route,
                                                    const char            *bring,
                                                    const char *const     *assist,
                                                    const char            *note);
gboolean   sd_support_person_dialog_add_contact    (SdSupportPersonDialog *self,
                                                    SdSupportContactKind   kind,
                                                    const char            *name,
                                                    const char            *relation,
                                                    const char            *phone);
gboolean   sd_support_person_dialog_remove_contact (SdSupportPersonDialog *self,
                                                    guint                  index);

/* The id of the person the dialog shows. */
const char *sd_support_person_dialog_get_person_id (SdSupportPersonDialog *self);

G_END_DECLS
