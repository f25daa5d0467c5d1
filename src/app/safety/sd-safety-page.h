/* sd-safety-page.h: the staff safety desk: the roll-call, the answer form, and HQ's dashboard.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-safety-dashboard.h"
#include "sd-safety-form.h"

G_BEGIN_DECLS

#define SD_TYPE_SAFETY_PAGE (sd_safety_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSafetyPage, sd_safety_page, SD, SAFETY_PAGE, GtkWidget)

void               sd_safety_page_set_store     (SdSafetyPage *self,
                                                 SdStore      *store);
void               sd_safety_page_set_staff     (SdSafetyPage *self,
                                                 SdStaff      *staff);
/* Forgets what was on it: at sign-out. */
void               sd_safety_page_reset         (SdSafetyPage *self);
void               sd_safety_page_focus         (SdSafetyPage *self);
/* The roll-call shown, or NULL. */
SdRollcall        *sd_safety_page_get_rollcall  (SdSafetyPage *self);
/* "answer" or "dashboard". */
void               sd_safety_page_show          (SdSafetyPage *self,
                                                 const char   *view);
SdSafetyForm      *sd_safety_page_get_form      (SdSafetyPage *self);
SdSafetyDashboard *sd_safety_page_get_dashboard (SdSafetyPage *self);
/* HQ: imports FILE, a safety service's CSV, into the shown roll-call and
 * says how it went in a dialog (what the menu's Import does after its
 * file chooser). */
void               sd_safety_page_import        (SdSafetyPage *self,
                                                 GFile        *file);

G_END_DECLS
