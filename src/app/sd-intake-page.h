/* sd-intake-page.h: registering a household and its members (受付).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-shelter-picker.h"
#include "sd-member-form.h"

G_BEGIN_DECLS

#define SD_TYPE_INTAKE_PAGE (sd_intake_page_get_type ())
G_DECLARE_FINAL_TYPE (SdIntakePage, sd_intake_page, SD, INTAKE_PAGE, GtkWidget)

void          sd_intake_page_set_store     (SdIntakePage *self,
                                            SdStore      *store);
void          sd_intake_page_set_staff     (SdIntakePage *self,
                                            SdStaff      *staff);
guint         sd_intake_page_get_n_members (SdIntakePage *self);
SdMemberForm *sd_intake_page_get_member    (SdIntakePage *self,
                                            guint         index);
void          sd_intake_page_set_household_text (SdIntakePage *self,
                                                 const char   *address,
                                                 const char   *phone);
const char   *sd_intake_page_get_message   (SdIntakePage *self);
const char   *sd_intake_page_get_last_household_id (SdIntakePage *self);
void          sd_intake_page_reset         (SdIntakePage *self);
/* Fills the form from a scanned pre-registration, for confirmation. */
void          sd_intake_page_fill_prereg   (SdIntakePage *self,
                                            SdPrereg     *prereg);

SdShelterPicker *sd_intake_page_get_shelter_picker (SdIntakePage *self);

void           sd_intake_page_focus (SdIntakePage *self);

typedef struct _SdIntakeDraft SdIntakeDraft;

SdIntakeDraft *sd_intake_page_take_draft    (SdIntakePage        *self);
void           sd_intake_page_restore_draft (SdIntakePage        *self,
                                             const SdIntakeDraft *draft);
void           sd_intake_draft_free         (SdIntakeDraft       *draft);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdIntakeDraft, sd_intake_draft_free)

G_END_DECLS
