/* sd-display.h: large text and high contrast, asked for by the kiosk's own
 * settings or by the system's.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SD_DISPLAY_LARGE_TEXT_SCALE 1.25

void     sd_display_follow           (GSettings *settings);
void     sd_display_add_actions      (GActionMap *map,
                                      GSettings  *settings);
gboolean sd_display_is_high_contrast (void);
gboolean sd_display_is_large_text    (void);

G_END_DECLS
