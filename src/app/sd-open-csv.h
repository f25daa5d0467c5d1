/* sd-open-csv.h: choosing a CSV file (or another kind) to import.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef void (*SdCsvChosen) (GtkWidget *widget,
                             GFile     *file);

/* A modal file chooser over WIDGET's window, showing CSV files; CHOSEN
 * (WIDGET, FILE) when a file is opened with ACCEPT. */
void sd_open_csv (GtkWidget   *widget,
                  const char  *title,
                  const char  *accept,
                  SdCsvChosen  chosen);

/* The same for files ending in one of SUFFIXES (NULL-terminated, lower
 * case: "csv"; upper case is offered too), named FILTER_NAME. */
void sd_open_file (GtkWidget         *widget,
                   const char        *title,
                   const char        *accept,
                   const char        *filter_name,
                   const char *const *suffixes,
                   SdCsvChosen        chosen);

G_END_DECLS
