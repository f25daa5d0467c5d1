/* sd-shelters-page.h: the desk's home: every shelter, open or not, and how full.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SHELTERS_PAGE (sd_shelters_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSheltersPage, sd_shelters_page, SD, SHELTERS_PAGE, GtkWidget)

void        sd_shelters_page_set_store (SdSheltersPage *self,
                                        SdStore        *store);
GListModel *sd_shelters_page_get_model (SdSheltersPage *self);

G_END_DECLS
