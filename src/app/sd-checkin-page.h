/* sd-checkin-page.h: finding a person and recording arrival, going out, return, leaving (入退所).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-shelter-picker.h"

G_BEGIN_DECLS

#define SD_TYPE_CHECKIN_PAGE (sd_checkin_page_get_type ())
G_DECLARE_FINAL_TYPE (SdCheckinPage, sd_checkin_page, SD, CHECKIN_PAGE, GtkWidget)

void        sd_checkin_page_set_store    (SdCheckinPage *self,
                                          SdStore       *store);
void        sd_checkin_page_set_staff    (SdCheckinPage *self,
                                          SdStaff       *staff);
void        sd_checkin_page_set_query    (SdCheckinPage *self,
                                          const char    *query);
GListModel *sd_checkin_page_get_results  (SdCheckinPage *self);
SdPerson   *sd_checkin_page_get_person   (SdCheckinPage *self);
const char *sd_checkin_page_get_message  (SdCheckinPage *self);
void        sd_checkin_page_reset        (SdCheckinPage *self);

SdShelterPicker *sd_checkin_page_get_shelter_picker (SdCheckinPage *self);

/* One scan, one action (see sd-scan.h): records the current mode's event. */
void          sd_checkin_page_handle_scan       (SdCheckinPage *self,
                                                 const char    *text);
void          sd_checkin_page_set_serial_device (SdCheckinPage *self,
                                                 const char    *path);
SdEventKind   sd_checkin_page_get_scan_mode     (SdCheckinPage *self);
char         *sd_checkin_page_dup_scan_text     (SdCheckinPage *self);
/* The last scan's answer in the scanned person's language; NULL when it
 * was not shown (the desk speaks their language, or nobody's card). */
char         *sd_checkin_page_dup_evacuee_text  (SdCheckinPage *self);
guint         sd_checkin_page_get_scan_count    (SdCheckinPage *self);
GtkWidget    *sd_checkin_page_get_search_entry  (SdCheckinPage *self);

void           sd_checkin_page_focus (SdCheckinPage *self);
/* The offer to undo the last event, taken back (the screen is about to
 * face someone else). */
void           sd_checkin_page_withdraw_undo (SdCheckinPage *self);
void           sd_checkin_page_set_answer_seconds (SdCheckinPage *self,
                                                   guint          seconds);
gboolean       sd_checkin_page_get_answer_shown   (SdCheckinPage *self);

G_END_DECLS
