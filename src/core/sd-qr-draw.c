/* sd-qr-draw.c: QR modules from libqrencode, drawn with cairo: PNG files and the A4 card sheet.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One drawing function serves the screen, the PNG, the PDF sheet and the
 * desk's printing (GtkPrintOperation), so what is printed is what was
 * tested with zbarimg.
 */
#include "sd-paths.h"
#include "sd-evacuee-text.h"
#include "sd-exercise-mark.h"
#include "sd-page-text.h"
#include "sd-private-file.h"
#include "sd-qr.h"
#include "sd-qr-sheet.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <errno.h>
#include <string.h>

#define QUIET_ZONE 4

struct _SdQrMatrix
{
  QRcode *code;
};

SdQrMatrix *
sd_qr_matrix_new (const char  *text,
                  GError     **error)
{
  QRcode *code;
  SdQrMatrix *self;

  g_return_val_if_fail (text != NULL, NULL);

  /* Mode 8 as a hint only: libqrencode picks alphanumeric for our text. */
  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      int saved = errno;

      g_set_error (error, SD_QR_ERROR, SD_QR_ERROR_TOO_LARGE,
                   _("Could not make the QR code: %s"),
                   saved == ERANGE ? _("the text is too long for one code") : g_strerror (saved));
      return NULL;
    }
  self = g_new0 (SdQrMatrix, 1);
  self->code = code;
  return self;
}

void
sd_qr_matrix_free (SdQrMatrix *self)
{
  if (self == NULL)
    return;
  QRcode_free (self->code);
  g_free (self);
}

guint
sd_qr_matrix_get_width (SdQrMatrix *self)
{
  return self->code->width;
}

gboolean
sd_qr_matrix_get (SdQrMatrix *self,
                  guint       x,
                  guint       y)
{
  guint w = self->code->width;

  return x < w && y < w && (self->code->data[y * w + x] & 1);
}

void
sd_qr_matrix_draw (SdQrMatrix *self,
                   cairo_t    *cr,
                   double      x,
                   double      y,
                   double      size)
{
  guint w = self->code->width;
  double module = size / (w + 2 * QUIET_ZONE);

  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* Runs of dark modules as one rectangle: smaller PDFs, no hairline
   * gaps between neighbours when a viewer scales the page. */
  for (guint row = 0; row < w; row++)
    for (guint col = 0; col < w;)
      {
        guint end = col;

        while (end < w && sd_qr_matrix_get (self, end, row))
          end++;
        if (end > col)
          cairo_rectangle (cr, x + (QUIET_ZONE + col) * module, y + (QUIET_ZONE + row) * module,
                           (end - col) * module, module);
        col = end + 1;
      }
  cairo_fill (cr);
  cairo_restore (cr);
}

gboolean
sd_qr_write_png (const char  *text,
                 guint        module_px,
                 const char  *path,
                 GError     **error)
{
  g_autoptr(SdQrMatrix) matrix = sd_qr_matrix_new (text, error);
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int side;

  if (matrix == NULL)
    return FALSE;
  module_px = CLAMP (module_px, 1, 64);
  side = (sd_qr_matrix_get_width (matrix) + 2 * QUIET_ZONE) * module_px;
  /* The picture names a person's card: for its owner only. */
  if (!sd_private_file_create (path, error))
    return FALSE;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);
  sd_qr_matrix_draw (matrix, cr, 0, 0, side);
  cairo_destroy (cr);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the picture “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ---- the A4 sheet ---- */

/* Business-card size, 2 across and 5 down, centred on A4; in points. */
#define MM (72.0 / 25.4)
#define CARD_W (91 * MM)
#define CARD_H (55 * MM)
#define COLS 2
#define ROWS 5
#define QR_SIDE (47 * MM)
#define PAD (3 * MM)
/* An exercise's card: a strip along its top edge, above the code. */
#define STRIP (3.5 * MM)

guint
sd_qr_sheet_n_pages (guint n_cards)
{
  return MAX (1, (n_cards + SD_QR_SHEET_PER_PAGE - 1) / SD_QR_SHEET_PER_PAGE);
}

static void
draw_text (cairo_t    *cr,
           PangoLayout *layout,
           const char *text,
           PangoAttrList *attrs,
           double      size,
           gboolean    bold,
           double      x,
           double      y,
           double      width,
           int         max_lines,
           double     *out_height)
{
  g_autoptr(PangoFontDescription) font = NULL;
  int w, h;

  sd_paths_use_shipped_fonts ();  /* the fonts a Windows install ships */
  font = pango_font_description_from_string (SD_PAGE_FONT_FAMILIES);
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_height (layout, -max_lines);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text ? text : "", -1);
  pango_layout_set_attributes (layout, attrs);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, &w, &h);
  *out_height = (double) h / PANGO_SCALE;
}

/* ENGLISH in the desk's language and in the card holder's (LANGUAGE, a
 * record's BCP 47 tag): English for a Japanese holder, since residents
 * who read no Japanese may have no language on their record; one of them
 * alone when the two are the same. */
static char *
both_languages (const char     *english,
                const char     *language,
                const char     *separator,
                PangoAttrList **out_attrs)
{
  const char *local = _(english);
  const SdEvacueeLanguage *theirs = sd_evacuee_language_resolve (language);
  g_autofree char *other = NULL;
  PangoAttribute *glyphs;

  if (theirs == NULL || g_str_equal (theirs->code, "ja"))
    other = g_strdup (english);
  else
    other = sd_evacuee_text (language, english);
  *out_attrs = pango_attr_list_new ();
  if (g_strcmp0 (local, other) == 0)
    return g_steal_pointer (&other);
  /* Their part with their language's glyphs (Chinese is not drawn with
   * the Japanese forms of the card's font). */
  glyphs = pango_attr_language_new (pango_language_from_string (theirs != NULL ? theirs->font_lang : "en"));
  glyphs->start_index = (guint) (strlen (local) + strlen (separator));
  pango_attr_list_insert (*out_attrs, glyphs);
  return g_strconcat (local, separator, other, NULL);
}

static void
draw_card (cairo_t             *cr,
           const SdQrSheetCard *card,
           gboolean             exercise,
           double               x,
           double               y)
{
  g_autoptr(PangoLayout) layout = sd_page_layout_new (cr);
  g_autoptr(SdQrMatrix) matrix = sd_qr_matrix_new (card->text, NULL);
  /* The card goes home with the evacuee: in the desk's language and in
   * theirs (po/evacuee/), or English. */
  g_autoptr(PangoAttrList) title_attrs = NULL, hint_attrs = NULL;
  g_autofree char *title = both_languages (EN_("Evacuee card"), card->language, "  ", &title_attrs);
  g_autofree char *hint = both_languages (EN_("Show this card at the shelter desk."), card->language, "\n",
                                          &hint_attrs);
  double tx = x + QR_SIDE + PAD;
  double tw = CARD_W - QR_SIDE - 2 * PAD;
  double ty = y + (exercise ? STRIP + 1 * MM : PAD);
  double h;

  /* Cut lines. */
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.7, 0.7, 0.7);
  cairo_set_line_width (cr, 0.5);
  {
    static const double dash[] = { 3, 3 };
    cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
  }
  cairo_rectangle (cr, x, y, CARD_W, CARD_H);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (exercise)
    sd_exercise_mark_draw_band (cr, x, y, CARD_W, STRIP, SD_EXERCISE_WORD, 7);
  if (matrix != NULL)
    sd_qr_matrix_draw (matrix, cr, x + PAD / 2, y + (CARD_H - QR_SIDE) / 2, QR_SIDE);

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw_text (cr, layout, title, title_attrs, 8, TRUE, tx, ty, tw, 1, &h);
  ty += h + 4;
  draw_text (cr, layout, card->kana, NULL, 8, FALSE, tx, ty, tw, 2, &h);
  ty += h;
  draw_text (cr, layout, card->name, NULL, 15, TRUE, tx, ty, tw, 2, &h);
  ty += h + 6;
  draw_text (cr, layout, card->shelter, NULL, 9, FALSE, tx, ty, tw, 3, &h);
  draw_text (cr, layout, hint, hint_attrs, 6.5, FALSE, tx, y + CARD_H - PAD - 28, tw, 3, &h);
}

void
sd_qr_sheet_draw_page (cairo_t             *cr,
                       const SdQrSheetCard *cards,
                       guint                n_cards,
                       guint                page,
                       gboolean             exercise)
{
  double x0 = (SD_QR_SHEET_A4_WIDTH - COLS * CARD_W) / 2;
  double y0 = (SD_QR_SHEET_A4_HEIGHT - ROWS * CARD_H) / 2;

  /* The band fits above the cards (y0 is 11 mm). */
  if (exercise)
    sd_exercise_mark_draw_page (cr, SD_QR_SHEET_A4_WIDTH, SD_QR_SHEET_A4_HEIGHT);

  for (guint i = 0; i < SD_QR_SHEET_PER_PAGE; i++)
    {
      guint index = page * SD_QR_SHEET_PER_PAGE + i;

      if (index >= n_cards)
        break;
      draw_card (cr, &cards[index], exercise, x0 + (i % COLS) * CARD_W, y0 + (i / COLS) * CARD_H);
    }
}

gboolean
sd_qr_sheet_write_pdf (const SdQrSheetCard *cards,
                       guint                n_cards,
                       gboolean             exercise,
                       const char          *path,
                       GError             **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  /* Names and kana of a whole shelter: for the file's owner only. */
  if (!sd_private_file_create (path, error))
    return FALSE;
  surface = cairo_pdf_surface_create (path, SD_QR_SHEET_A4_WIDTH, SD_QR_SHEET_A4_HEIGHT);
  status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("Evacuee cards"));
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "ShelterDesk");
      cr = cairo_create (surface);
      for (guint page = 0; page < sd_qr_sheet_n_pages (n_cards); page++)
        {
          sd_qr_sheet_draw_page (cr, cards, n_cards, page, exercise);
          cairo_show_page (cr);
        }
      cairo_destroy (cr);
      cairo_surface_finish (surface);
      status = cairo_surface_status (surface);
    }
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the PDF “%s”: %s"),
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
