/* sd-unlock-dialog.h: asks for a shelter lead's PIN before a kiosk may be left.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"
#include "sd-signin-page.h"

G_BEGIN_DECLS

#define SD_TYPE_UNLOCK_DIALOG (sd_unlock_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdUnlockDialog, sd_unlock_dialog, SD, UNLOCK_DIALOG, AdwWindow)

SdUnlockDialog *sd_unlock_dialog_new             (GtkWindow      *parent,
                                                  SdStore        *store);
SdSigninPage   *sd_unlock_dialog_get_signin_page (SdUnlockDialog *self);

G_END_DECLS
