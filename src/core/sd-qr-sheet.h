/* sd-qr-sheet.h: evacuee cards laid out on A4 for printing: PDF and the desk's print dialog.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Ten business-card-sized cards a page (2 × 5, 91 × 55 mm, dashed cut
 * lines): the QR code, the name in kanji and kana, and the shelter.
 */
#pragma once

#include <cairo.h>

#include "sd-qr.h"

G_BEGIN_DECLS

#define SD_QR_SHEET_A4_WIDTH  595.2755905511812  /* points */
#define SD_QR_SHEET_A4_HEIGHT 841.8897637795276
#define SD_QR_SHEET_PER_PAGE  10

typedef struct {
  char *person_id;
  char *text;     /* the signed card payload */
  char *name;
  char *kana;     /* may be NULL */
  char *shelter;  /* the shelter's name, may be NULL */
  char *language; /* the person's (BCP 47), NULL for Japanese */
} SdQrSheetCard;

/* Issues a card for each person: those in PERSON_IDS (NULL-terminated),
 * or when it is NULL, everyone registered through SHELTER_ID who has not
 * left, household by household.  An array of SdQrSheetCard. */
GArray   *sd_store_issue_cards      (SdStore             *store,
                                     const char          *shelter_id,
                                     const char *const   *person_ids,
                                     GError             **error);

guint     sd_qr_sheet_n_pages       (guint                n_cards);
/* Draws PAGE in points, origin at the top left of the A4 page.
 * EXERCISE: the cards are an exercise's (sd_store_get_is_exercise): the
 * page carries the exercise's mark, and so does each card, which is cut
 * out and goes home on its own. */
void      sd_qr_sheet_draw_page     (cairo_t             *cr,
                                     const SdQrSheetCard *cards,
                                     guint                n_cards,
                                     guint                page,
                                     gboolean             exercise);
gboolean  sd_qr_sheet_write_pdf     (const SdQrSheetCard *cards,
                                     guint                n_cards,
                                     gboolean             exercise,
                                     const char          *path,
                                     GError             **error);

G_END_DECLS
