/* sd-support-page.h: the evacuation-support list desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-support-map.h"

G_BEGIN_DECLS

#define SD_TYPE_SUPPORT_PAGE (sd_support_page_get_type ())
G_DECLARE_FINAL_TYPE (SdSupportPage, sd_support_page, SD, SUPPORT_PAGE, GtkWidget)

void        sd_support_page_set_store (SdSupportPage *self,
                                       SdStore       *store);
void        sd_support_page_set_staff (SdSupportPage *self,
                                       SdStaff       *staff);
/* Forgets what was on it: at sign-out. */
void        sd_support_page_reset     (SdSupportPage *self);
void        sd_support_page_focus     (SdSupportPage *self);
/* Reads the list again. */
void        sd_support_page_refresh   (SdSupportPage *self);
/* Shows only STATUS (-1: everyone), as a touch on its count does. */
void        sd_support_page_show_status (SdSupportPage *self,
                                         int            status);
/* Check-ins proposed as listed people, and a person's answer to the
 * INDEX-th: SAME records "evacuated" to its shelter, else they are
 * not proposed again. */
guint       sd_support_page_get_n_proposals (SdSupportPage *self);
gboolean    sd_support_page_answer_proposal (SdSupportPage *self,
                                             guint          index,
                                             gboolean       same);
/* The people shown, as SdJsonItem. */
GListModel *sd_support_page_get_shown (SdSupportPage *self);
/* Opens person ID's record. */
GtkWindow  *sd_support_page_open_person (SdSupportPage *self,
                                         const char    *id);
/* HQ: starts an import of FILE, a welfare system's CSV (what the Import
 * button does after its file chooser); the dialog it opens. */
GtkWindow  *sd_support_page_import    (SdSupportPage *self,
                                       GFile         *file);

/* Saves the visit lists of the people the status and district shown
 * select, as a PDF (a page per district) or CSV, in a thread with its
 * own connection; what Visit lists… and CSV… do after their chooser. */
void        sd_support_page_save_async  (SdSupportPage       *self,
                                         GFile               *file,
                                         gboolean             pdf,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean    sd_support_page_save_finish (SdSupportPage       *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* The people as a list (FALSE) or on the map (TRUE), as the List and
 * Map buttons choose. */
void          sd_support_page_show_map  (SdSupportPage *self,
                                         gboolean       map);
SdSupportMap *sd_support_page_get_map   (SdSupportPage *self);

G_END_DECLS
