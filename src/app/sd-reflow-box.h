/* sd-reflow-box.h: children side by side when they fit, one above the
 * other when they do not (a kiosk in landscape, a tablet on a stand).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_REFLOW_BOX (sd_reflow_box_get_type ())
G_DECLARE_FINAL_TYPE (SdReflowBox, sd_reflow_box, SD, REFLOW_BOX, GtkWidget)

GtkWidget *sd_reflow_box_new (int spacing);
gboolean   sd_reflow_box_get_stacked (SdReflowBox *self);

G_END_DECLS
