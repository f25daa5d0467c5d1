/* sd-shelter-picker.h: choosing the shelter a desk works for.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SHELTER_PICKER (sd_shelter_picker_get_type ())
G_DECLARE_FINAL_TYPE (SdShelterPicker, sd_shelter_picker, SD, SHELTER_PICKER, GtkWidget)

void        sd_shelter_picker_set_store      (SdShelterPicker *self,
                                              SdStore         *store);
const char *sd_shelter_picker_get_shelter_id (SdShelterPicker *self);
void        sd_shelter_picker_set_shelter_id (SdShelterPicker *self,
                                              const char      *shelter_id);
SdShelter  *sd_shelter_picker_get_shelter    (SdShelterPicker *self);

G_END_DECLS
