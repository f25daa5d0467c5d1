/* sd-report-page.h: the shelter status report (避難所状況報告): conditions, preview, export, print.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"
#include "sd-shelter-picker.h"

G_BEGIN_DECLS

typedef enum {
  SD_REPORT_FORMAT_CSV,
  SD_REPORT_FORMAT_PDF,
} SdReportFormat;

#define SD_TYPE_REPORT_PAGE (sd_report_page_get_type ())
G_DECLARE_FINAL_TYPE (SdReportPage, sd_report_page, SD, REPORT_PAGE, GtkWidget)

void                   sd_report_page_set_store     (SdReportPage    *self,
                                                     SdStore         *store);
void                   sd_report_page_set_staff     (SdReportPage    *self,
                                                     SdStaff         *staff);
void                   sd_report_page_set_lifeline  (SdReportPage    *self,
                                                     SdLifeline       lifeline,
                                                     SdLifelineState  state);
void                   sd_report_page_set_supplies  (SdReportPage    *self,
                                                     const char      *text);
SdLifelineState        sd_report_page_get_lifeline  (SdReportPage    *self,
                                                     SdLifeline       lifeline);
char                  *sd_report_page_get_supplies  (SdReportPage    *self);
const SdShelterStatus *sd_report_page_get_status    (SdReportPage    *self);
const char            *sd_report_page_get_message   (SdReportPage    *self);
void                   sd_report_page_export_async  (SdReportPage    *self,
                                                     GFile           *file,
                                                     SdReportFormat   format,
                                                     GCancellable    *cancellable,
                                                     GAsyncReadyCallback callback,
                                                     gpointer         user_data);
gboolean               sd_report_page_export_finish (SdReportPage    *self,
                                                     GAsyncResult    *result,
                                                     GError         **error);
GtkPrintOperation     *sd_report_page_new_print_operation (SdReportPage *self);
void                   sd_report_page_reset         (SdReportPage    *self);

SdShelterPicker *sd_report_page_get_shelter_picker (SdReportPage *self);

G_END_DECLS
