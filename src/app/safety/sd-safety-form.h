/* sd-safety-form.h: the staff safety answer form: Ome city's fields on one screen, a dozen keys at most.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SAFETY_FORM (sd_safety_form_get_type ())
G_DECLARE_FINAL_TYPE (SdSafetyForm, sd_safety_form, SD, SAFETY_FORM, GtkWidget)

void        sd_safety_form_set_store    (SdSafetyForm *self,
                                         SdStore      *store);
/* Who is signed in: they answer for themselves, and a lead or HQ may
 * also answer for someone who phoned. */
void        sd_safety_form_set_staff    (SdSafetyForm *self,
                                         SdStaff      *staff);
/* The roll-call answers go to; NULL or a closed one: the form is shut. */
void        sd_safety_form_set_rollcall (SdSafetyForm *self,
                                         SdRollcall   *rollcall);
/* Forgets what was chosen and typed. */
void        sd_safety_form_reset        (SdSafetyForm *self);
void        sd_safety_form_focus        (SdSafetyForm *self);
/* What the status line says (for the tests). */
const char *sd_safety_form_get_status   (SdSafetyForm *self);

G_END_DECLS
