/* sd-save-folder.h: where "Save PDF…" and "Save CSV…" open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GFile *sd_save_folder_get      (void);
void   sd_save_folder_remember (GFile          *saved);
void   sd_save_folder_apply    (GtkFileChooser *chooser);

G_END_DECLS
