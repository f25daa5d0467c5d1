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

/* What a desk does with the file a person chose to save to: WIDGET is the
 * desk that asked, PDF what it passed along (a PDF or a CSV, one language
 * or every one). */
typedef void (*SdSaveFolderChosen) (GtkWidget *widget,
                                    GFile     *file,
                                    gboolean   pdf);

/* The Save dialog over WIDGET's window: TITLE, the file NAME proposed,
 * opening where the last save went.  CHOSEN is called if the person saves
 * (never if they cancel); WIDGET is kept until then. */
void   sd_save_folder_ask      (GtkWidget          *widget,
                                const char         *title,
                                const char         *name,
                                gboolean            pdf,
                                SdSaveFolderChosen  chosen);

G_END_DECLS
