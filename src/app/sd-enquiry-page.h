/* sd-enquiry-page.h: "is my mother here?" — answered only for people who agreed to be found.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_ENQUIRY_PAGE (sd_enquiry_page_get_type ())
G_DECLARE_FINAL_TYPE (SdEnquiryPage, sd_enquiry_page, SD, ENQUIRY_PAGE, GtkWidget)

void        sd_enquiry_page_set_store   (SdEnquiryPage *self,
                                         SdStore       *store);
void        sd_enquiry_page_set_query   (SdEnquiryPage *self,
                                         const char    *query);
GListModel *sd_enquiry_page_get_results (SdEnquiryPage *self);
const char *sd_enquiry_page_get_answer  (SdEnquiryPage *self);
void        sd_enquiry_page_reset       (SdEnquiryPage *self);

void           sd_enquiry_page_focus (SdEnquiryPage *self);

const char *sd_enquiry_page_get_language (SdEnquiryPage *self);
gboolean    sd_enquiry_page_set_language (SdEnquiryPage *self,
                                          const char    *language);

G_END_DECLS
