/* sd-application.h: the desk's GtkApplication: options, the site database, windows.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_APPLICATION (sd_application_get_type ())
G_DECLARE_FINAL_TYPE (SdApplication, sd_application, SD, APPLICATION, AdwApplication)

void           sd_application_setup_i18n (void);
void           sd_application_load_style (void);
SdApplication *sd_application_new        (void);
GSettings     *sd_application_get_settings (SdApplication *self);

G_END_DECLS
