/* sd-sheet.c: an A4 PDF of sheets to print and write on: call sheets, visit lists.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-paths.h"
#include "sd-exercise-mark.h"
#include "sd-page-text.h"
#include "sd-private-file.h"
#include "sd-sheet.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

/* The mark goes first, so that the page's own lines are drawn over it. */
static void
begin_page (SdSheet *sheet)
{
  if (sheet->exercise)
    sd_exercise_mark_draw_page (sheet->cr, SD_SHEET_WIDTH, SD_SHEET_HEIGHT);
  sheet->top = sheet->exercise ? SD_EXERCISE_BAND_HEIGHT : 0;
}

SdSheet *
sd_sheet_new (const char  *path,
              gboolean     exercise,
              GError     **error)
{
  SdSheet *sheet;
  g_autofree char *partial = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  partial = g_strconcat (path, ".part", NULL);
  if (!sd_private_file_create (partial, error))
    return NULL;
  sheet = g_new0 (SdSheet, 1);
  sheet->path = g_strdup (path);
  sheet->partial = g_steal_pointer (&partial);
  sheet->surface = cairo_pdf_surface_create (sheet->partial, SD_SHEET_WIDTH, SD_SHEET_HEIGHT);
  sheet->cr = cairo_create (sheet->surface);
  sheet->layout = sd_page_layout_new (sheet->cr);
  sheet->exercise = exercise;
  begin_page (sheet);
  return sheet;
}

void
sd_sheet_text (SdSheet    *sheet,
               double      x,
               double      y,
               double      width,
               const char *text,
               double      size,
               gboolean    bold)
{
  g_autoptr(PangoFontDescription) font = NULL;

  sd_paths_use_shipped_fonts ();  /* the fonts a Windows install ships */
  font = pango_font_description_from_string ("Noto Sans CJK JP");
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (sheet->layout, font);
  pango_layout_set_width (sheet->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (sheet->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (sheet->layout, text != NULL ? text : "", -1);
  cairo_move_to (sheet->cr, x, y);
  pango_cairo_show_layout (sheet->cr, sheet->layout);
}

void
sd_sheet_band (SdSheet    *sheet,
               const char *text)
{
  cairo_rectangle (sheet->cr, 0, sheet->top, SD_SHEET_WIDTH, 22);
  cairo_set_source_rgb (sheet->cr, 0.55, 0.23, 0.65);
  cairo_fill (sheet->cr);
  cairo_set_source_rgb (sheet->cr, 1, 1, 1);
  sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->top + 3, SD_SHEET_WIDTH - 2 * SD_SHEET_MARGIN, text, 12, TRUE);
  cairo_set_source_rgb (sheet->cr, 0, 0, 0);
}

void
sd_sheet_rule (SdSheet *sheet,
               double   y,
               double   line_width)
{
  cairo_set_line_width (sheet->cr, line_width);
  cairo_move_to (sheet->cr, SD_SHEET_MARGIN, y);
  cairo_line_to (sheet->cr, SD_SHEET_WIDTH - SD_SHEET_MARGIN, y);
  cairo_stroke (sheet->cr);
}

void
sd_sheet_box (SdSheet *sheet,
              double   x,
              double   y,
              double   width,
              double   height)
{
  cairo_set_line_width (sheet->cr, 0.5);
  cairo_rectangle (sheet->cr, x, y, width, height);
  cairo_stroke (sheet->cr);
}

void
sd_sheet_page_done (SdSheet *sheet)
{
  cairo_show_page (sheet->cr);
  begin_page (sheet);
}

static void
close_surface (SdSheet *sheet)
{
  g_clear_object (&sheet->layout);
  g_clear_pointer (&sheet->cr, cairo_destroy);
  if (sheet->surface != NULL)
    cairo_surface_finish (sheet->surface);
}

gboolean
sd_sheet_finish (SdSheet     *sheet,
                 const char  *what,
                 GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (sheet->path);
  cairo_status_t result;

  cairo_show_page (sheet->cr);
  close_surface (sheet);
  result = cairo_surface_status (sheet->surface);
  if (result == CAIRO_STATUS_SUCCESS && g_rename (sheet->partial, sheet->path) == 0)
    {
      g_clear_pointer (&sheet->partial, g_free);
      sd_sheet_free (sheet);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("Could not save %s in “%s”: the folder cannot be written or the disk is full."), what, dir);
  sd_sheet_free (sheet);
  return FALSE;
}

void
sd_sheet_free (SdSheet *sheet)
{
  if (sheet == NULL)
    return;
  close_surface (sheet);
  g_clear_pointer (&sheet->surface, cairo_surface_destroy);
  if (sheet->partial != NULL)
    g_remove (sheet->partial);
  g_free (sheet->partial);
  g_free (sheet->path);
  g_free (sheet);
}
