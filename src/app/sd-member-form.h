/* sd-member-form.h: one member of a household on the intake form, with their needs.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_MEMBER_FORM (sd_member_form_get_type ())
G_DECLARE_FINAL_TYPE (SdMemberForm, sd_member_form, SD, MEMBER_FORM, GtkWidget)

SdMemberForm *sd_member_form_new             (guint               number);
void          sd_member_form_set_number      (SdMemberForm       *self,
                                              guint               number);
void          sd_member_form_fill            (SdMemberForm       *self,
                                              const SdPersonSpec *spec);
void          sd_member_form_get_spec        (SdMemberForm       *self,
                                              SdPersonSpec       *spec);
const char   *sd_member_form_get_existing_id (SdMemberForm       *self);
void          sd_member_form_set_existing_id (SdMemberForm       *self,
                                              const char         *person_id);
void          sd_member_form_set_merge       (SdMemberForm       *self,
                                              guint               keep,
                                              gboolean            move_household);
guint         sd_member_form_get_merge_keep  (SdMemberForm       *self);
gboolean      sd_member_form_get_confirmed_new (SdMemberForm     *self);
void          sd_member_form_set_confirmed_new (SdMemberForm     *self,
                                                gboolean          confirmed);
void          sd_member_form_focus           (SdMemberForm       *self);
gboolean      sd_member_form_focus_problem   (SdMemberForm       *self);

G_END_DECLS
