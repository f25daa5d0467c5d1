/* sd-toast.h: a message shown where the eye is, over any desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void sd_toast_show        (GtkWidget  *widget,
                          const char *text,
                          gboolean    is_error);
void sd_toast_set_message (GtkLabel   *label,
                          GtkWidget  *desk,
                          const char *message,
                          gboolean    is_error);

G_END_DECLS
