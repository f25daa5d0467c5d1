/* sd-choice-group.h: one question answered by one of a few big buttons, chosen by touch, click or a digit key.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_CHOICE_GROUP (sd_choice_group_get_type ())
G_DECLARE_FINAL_TYPE (SdChoiceGroup, sd_choice_group, SD, CHOICE_GROUP, GtkWidget)

GtkWidget *sd_choice_group_new          (void);
/* The buttons' labels, in order; the question is the group's accessible
 * label, set by the caller. */
void       sd_choice_group_set_choices  (SdChoiceGroup      *self,
                                         const char *const  *labels);
/* -1 when nothing is chosen. */
int        sd_choice_group_get_selected (SdChoiceGroup      *self);
void       sd_choice_group_set_selected (SdChoiceGroup      *self,
                                         int                 index);
/* The button of choice INDEX, for the tests and for focus. */
GtkWidget *sd_choice_group_get_button   (SdChoiceGroup      *self,
                                         guint               index);

G_END_DECLS
