/* sd-qr-dialog.h: a household's evacuee cards, shown large and printed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_QR_DIALOG (sd_qr_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdQrDialog, sd_qr_dialog, SD, QR_DIALOG, AdwWindow)

/* Issues a card for each of PERSON_IDS (NULL-terminated). */
SdQrDialog  *sd_qr_dialog_new          (GtkWindow          *parent,
                                        SdStore            *store,
                                        const char *const  *person_ids);
guint        sd_qr_dialog_get_n_cards  (SdQrDialog         *self);
/* The payload on screen now. */
const char  *sd_qr_dialog_get_text     (SdQrDialog         *self);
gboolean     sd_qr_dialog_write_pdf    (SdQrDialog         *self,
                                        const char         *path,
                                        GError            **error);

gboolean     sd_qr_dialog_export_print (SdQrDialog         *self,
                                        const char         *path,
                                        GError            **error);

const char *sd_qr_dialog_get_evacuee_text (SdQrDialog *self);
void        sd_qr_dialog_show_card        (SdQrDialog *self,
                                           guint       n);

G_END_DECLS
