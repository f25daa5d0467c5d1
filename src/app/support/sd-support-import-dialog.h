/* sd-support-import-dialog.h: a welfare system's CSV: its columns, then what would change, then applied.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SUPPORT_IMPORT_DIALOG (sd_support_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdSupportImportDialog, sd_support_import_dialog, SD, SUPPORT_IMPORT_DIALOG, AdwWindow)

/* Reads FILE at once; the work is done in threads with their own
 * connection to the database at DB_PATH.  Emits "applied" once the list
 * has changed. */
GtkWidget  *sd_support_import_dialog_new       (const char            *db_path,
                                                GFile                 *file);

/* For the tests: the step shown ("working", "columns", "preview",
 * "done"), the error shown or NULL, and the person's controls. */
const char *sd_support_import_dialog_get_step  (SdSupportImportDialog *self);
const char *sd_support_import_dialog_get_error (SdSupportImportDialog *self);
const char *sd_support_import_dialog_get_summary (SdSupportImportDialog *self);
/* Chooses FIELD for the column headed HEADING, as the dropdown would. */
gboolean    sd_support_import_dialog_choose    (SdSupportImportDialog *self,
                                                const char            *heading,
                                                SdSupportField         field);
void        sd_support_import_dialog_compare   (SdSupportImportDialog *self);
void        sd_support_import_dialog_apply     (SdSupportImportDialog *self);

G_END_DECLS
