/* sd-sheet.h: an A4 PDF of sheets to print and write on: call sheets, visit lists.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written beside PATH and renamed when finished, so a failure never
 * leaves half a PDF under the name asked for.  Text is set in Noto Sans
 * CJK JP, the size in points; Y grows down the page.  An exercise's
 * sheet has the exercise's mark (sd-exercise-mark.h) under every page,
 * drawn as the page begins.
 */
#pragma once

#include <gio/gio.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define SD_SHEET_WIDTH  595.0
#define SD_SHEET_HEIGHT 842.0
#define SD_SHEET_MARGIN 36.0

typedef struct {
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;      /* where the next row goes */
  guint        page;   /* of the current group, from 1 */
  double       top;    /* what the exercise's band takes at the top, or 0 */
  /* private */
  gboolean         exercise;
  cairo_surface_t *surface;
  char            *path;
  char            *partial;
} SdSheet;

SdSheet  *sd_sheet_new    (const char  *path,
                           gboolean     exercise,
                           GError     **error);
/* One line of TEXT at X, Y, WIDTH wide, ellipsized. */
void      sd_sheet_text   (SdSheet     *sheet,
                           double       x,
                           double       y,
                           double       width,
                           const char  *text,
                           double       size,
                           gboolean     bold);
/* A violet band across the top, under the exercise's if there is one,
 * with TEXT in white: a staff safety drill. */
void      sd_sheet_band   (SdSheet     *sheet,
                           const char  *text);
/* A rule across the page at Y. */
void      sd_sheet_rule   (SdSheet     *sheet,
                           double       y,
                           double       line_width);
/* An empty box to write in. */
void      sd_sheet_box    (SdSheet     *sheet,
                           double       x,
                           double       y,
                           double       width,
                           double       height);
/* Ends the page; the next one begins. */
void      sd_sheet_page_done (SdSheet  *sheet);
/* Ends the last page and puts the file in place; frees SHEET either way.
 * WHAT says what it was ("the call sheets") for the message. */
gboolean  sd_sheet_finish (SdSheet     *sheet,
                           const char  *what,
                           GError     **error);
/* Abandons the file: nothing is left at PATH. */
void      sd_sheet_free   (SdSheet     *sheet);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdSheet, sd_sheet_free)

G_END_DECLS
