/* sd-guide-page.h: the shelter guide desk: the lead writes it once in Japanese, anyone prints it in any language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-shelter-picker.h"

G_BEGIN_DECLS

#define SD_TYPE_GUIDE_PAGE (sd_guide_page_get_type ())
G_DECLARE_FINAL_TYPE (SdGuidePage, sd_guide_page, SD, GUIDE_PAGE, GtkWidget)

void             sd_guide_page_set_store          (SdGuidePage  *self,
                                                   SdStore      *store);
/* Who is signed in: a lead or HQ may change the guide, anyone print it.
 * A change not saved yet is saved for the one who made it before the
 * next person is set (an idle sign-out does not lose a long message; a
 * time that is not one stays as it was stored). */
void             sd_guide_page_set_staff          (SdGuidePage  *self,
                                                   SdStaff      *staff);
/* Forgets the message shown and shows the guide as stored. */
void             sd_guide_page_reset              (SdGuidePage  *self);
void             sd_guide_page_focus              (SdGuidePage  *self);
SdShelterPicker *sd_guide_page_get_shelter_picker (SdGuidePage  *self);

/* Saves what the form changed (nothing to do is success); FALSE with the
 * message shown when a line cannot be saved. */
gboolean         sd_guide_page_save               (SdGuidePage  *self);
/* Saves what the form changed that can be saved: a time that is not one
 * stays as stored, the rest is kept (a sign-out, the window closed). */
void             sd_guide_page_save_what_can_be   (SdGuidePage  *self);
/* Whether the form holds changes not saved yet. */
gboolean         sd_guide_page_get_dirty          (SdGuidePage  *self);
const char      *sd_guide_page_get_message        (SdGuidePage  *self);

/* The page's language (a code of sd_evacuee_languages()). */
void             sd_guide_page_set_language       (SdGuidePage  *self,
                                                   const char   *code);

/* The form's fields, for the tests. */
GtkEditable     *sd_guide_page_get_time_entry     (SdGuidePage  *self,
                                                   SdGuideTime   time);
GtkEditable     *sd_guide_page_get_place_entry    (SdGuidePage  *self,
                                                   SdGuidePlace  place);
GtkCheckButton  *sd_guide_page_get_rule_check     (SdGuidePage  *self,
                                                   SdGuideRule   rule);
GtkTextBuffer   *sd_guide_page_get_note_buffer    (SdGuidePage  *self);

/* A one-page print of the guide in the page's language as saved (the
 * form is saved first); the desk runs it with a print dialog, the tests
 * export it to a PDF file.  NULL when the form cannot be saved. */
GtkPrintOperation *sd_guide_page_new_print_operation (SdGuidePage *self);

/* Writes the guide as saved (the form is saved first) to FILE: the page's
 * language, or EVERY language, a page each.  In a worker thread. */
void             sd_guide_page_export_async       (SdGuidePage          *self,
                                                   GFile                *file,
                                                   gboolean              every,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean         sd_guide_page_export_finish      (SdGuidePage          *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
