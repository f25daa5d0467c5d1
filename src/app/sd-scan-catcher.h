/* sd-scan-catcher.h: telling a keyboard-wedge scanner from a person typing.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_TYPE_SCAN_CATCHER (sd_scan_catcher_get_type ())
G_DECLARE_FINAL_TYPE (SdScanCatcher, sd_scan_catcher, SD, SCAN_CATCHER, GObject)

/* Listens on WIDGET in the capture phase, so it hears keys before the
 * focused field (and its input method) does.  Emits "scanned" (string). */
SdScanCatcher *sd_scan_catcher_new         (GtkWidget     *widget);
void           sd_scan_catcher_set_enabled (SdScanCatcher *self,
                                            gboolean       enabled);
void           sd_scan_catcher_set_max_gap (SdScanCatcher *self,
                                            guint          ms);

void           sd_scan_catcher_set_fallback (SdScanCatcher *self,
                                             GtkWidget     *widget);

G_END_DECLS
