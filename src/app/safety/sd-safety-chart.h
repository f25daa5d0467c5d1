/* sd-safety-chart.h: the staff safety totals drawn as charts: bars, the cumulative line, departments.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sd-core.h"

G_BEGIN_DECLS

typedef enum {
  SD_SAFETY_CHART_TOTALS,       /* answered, safety, can report: three stacked bars */
  SD_SAFETY_CHART_CUMULATIVE,   /* how many at their post within 30 min, 1 h, 2 h, 3 h */
  SD_SAFETY_CHART_DEPARTMENTS,  /* a bar per department by time to arrive */
} SdSafetyChartKind;

#define SD_TYPE_SAFETY_CHART (sd_safety_chart_get_type ())
G_DECLARE_FINAL_TYPE (SdSafetyChart, sd_safety_chart, SD, SAFETY_CHART, GtkWidget)

GtkWidget *sd_safety_chart_new      (SdSafetyChartKind  kind);
/* Takes what it draws from COUNT now (the selection's totals, and each
 * department's); COUNT may be freed after.  NULL: nothing to draw. */
void       sd_safety_chart_set_count (SdSafetyChart    *self,
                                      SdSafetyCount    *count,
                                      const char       *department,
                                      const char       *section);
/* What the chart shows, in words: its accessible description. */
const char *sd_safety_chart_get_summary (SdSafetyChart *self);

G_END_DECLS
