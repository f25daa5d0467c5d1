/* sd-safety-dashboard.h: HQ's view of a roll-call: charts, every answer sortable, and who has not answered.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

#define SD_TYPE_SAFETY_DASHBOARD (sd_safety_dashboard_get_type ())
G_DECLARE_FINAL_TYPE (SdSafetyDashboard, sd_safety_dashboard, SD, SAFETY_DASHBOARD, GtkWidget)

void        sd_safety_dashboard_set_store    (SdSafetyDashboard *self,
                                              SdStore           *store);
void        sd_safety_dashboard_set_rollcall (SdSafetyDashboard *self,
                                              SdRollcall        *rollcall);
/* Reads the roll-call again now (it also does by itself as answers arrive). */
void        sd_safety_dashboard_refresh      (SdSafetyDashboard *self);
/* DEPARTMENT and SECTION NULL for everyone. */
void        sd_safety_dashboard_set_filter   (SdSafetyDashboard *self,
                                              const char        *department,
                                              const char        *section);
/* "summary", "answers" or "missing". */
void        sd_safety_dashboard_show         (SdSafetyDashboard *self,
                                              const char        *view);
/* The answers as shown: filtered and sorted (SdSafetyAnswer). */
GListModel *sd_safety_dashboard_get_answers  (SdSafetyDashboard *self);
/* The staff who have not answered, filtered (SdStaff). */
GListModel *sd_safety_dashboard_get_missing  (SdSafetyDashboard *self);
/* The totals of what is shown (the filter applied). */
void        sd_safety_dashboard_get_totals   (SdSafetyDashboard *self,
                                              SdSafetyTotals    *out);
/* Sorts the answers by the column whose title is TITLE. */
void        sd_safety_dashboard_sort_by      (SdSafetyDashboard *self,
                                              const char        *title,
                                              GtkSortType        order);
/* Writes the call sheets of the staff not answered (as filtered) to FILE. */
void        sd_safety_dashboard_save_async   (SdSafetyDashboard  *self,
                                              GFile              *file,
                                              gboolean            pdf,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean    sd_safety_dashboard_save_finish  (SdSafetyDashboard  *self,
                                              GAsyncResult       *result,
                                              GError            **error);

G_END_DECLS
