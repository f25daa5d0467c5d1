/* sd-pin-pad.h: a large on-screen numeric pad that types into a PIN entry.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_PIN_PAD (sd_pin_pad_get_type ())
G_DECLARE_FINAL_TYPE (SdPinPad, sd_pin_pad, SD, PIN_PAD, GtkWidget)

GtkEditable *sd_pin_pad_get_entry (SdPinPad    *self);
void         sd_pin_pad_set_entry (SdPinPad    *self,
                                   GtkEditable *entry);

G_END_DECLS
