/* sd-text-column.h: a column of one line of text in a GtkColumnView.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The text of a cell for ITEM, newly allocated (NULL: empty). */
typedef char *(*SdCellText) (gpointer item);

/* Appends a column TITLE whose cells show TEXT, ellipsized, sorted by
 * SORTER (taken; NULL: not sortable).  WIDTH 0 takes the room left;
 * otherwise the column starts that wide.  Resizable. */
void sd_column_view_add_text (GtkColumnView *view,
                              const char    *title,
                              SdCellText     text,
                              GtkSorter     *sorter,
                              int            width);

/* The same, the cells showing the string property PROPERTY of the item
 * and following it when it changes (a timer, a state). */
void sd_column_view_add_property (GtkColumnView *view,
                                  const char    *title,
                                  const char    *property,
                                  int            width);

G_END_DECLS
