/* sd-card-dialog.h: "touch your card": reads the 4 facts from a My Number card for the intake form.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-card-reader.h"

G_BEGIN_DECLS

#define SD_TYPE_CARD_DIALOG (sd_card_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SdCardDialog, sd_card_dialog, SD, CARD_DIALOG, AdwWindow)

/* READER_SPEC as in sd-card-reader.h.  DEMO_CARD: a program that puts an
 * emulated card on the virtual reader (the demo), or NULL. */
SdCardDialog *sd_card_dialog_new          (GtkWindow    *parent,
                                           const char   *reader_spec,
                                           const char   *demo_card);
/* One of "touch", "pin", "reading", "error": for tests. */
const char   *sd_card_dialog_get_step     (SdCardDialog *self);
const char   *sd_card_dialog_get_message  (SdCardDialog *self);
gboolean      sd_card_dialog_get_last_try_warned (SdCardDialog *self);
GtkEditable  *sd_card_dialog_get_pin_entry (SdCardDialog *self);

G_END_DECLS
