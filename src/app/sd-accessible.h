/* sd-accessible.h: the names a screen reader reads, where GTK 4.8 gets
 * them wrong by itself.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  sd_accessible_install   (void);
void  sd_accessible_name_row  (GtkWidget  *widget);
char *sd_accessible_strip_mnemonic (const char *label);

G_END_DECLS
