/* sd-exercise-mark.c: what says a screen, a page or a file belongs to an exercise.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One place draws the mark for every printout (sd-sheet.c's call sheets
 * and visit lists, the status report, the evacuee cards), so they all
 * look alike and a new printout cannot forget half of it.
 *
 * Magenta, because no real screen or sheet uses it: red, amber and green
 * are states, blue is the accent, violet is a staff safety drill in a
 * live database.  The words say it too, for a black-and-white printer
 * and for a person who cannot tell the colours apart.  White on this
 * magenta is 6.5:1.
 */
#include "sd-paths.h"
#include "sd-exercise-mark.h"
#include "sd-page-text.h"

#include <glib/gi18n-lib.h>
#include <math.h>

/* #b0127a: the band; #f7d9ec: the words across the page. */
#define BAND_R 0.690
#define BAND_G 0.071
#define BAND_B 0.478
#define PALE_R 0.969
#define PALE_G 0.851
#define PALE_B 0.925

char *
sd_exercise_mark_text (void)
{
  /* Translators: %s is 訓練 EXERCISE, the same in every language; this
   * says so on every screen, printed page and CSV file of an exercise. */
  return g_strdup_printf (_("%s — not real data"), SD_EXERCISE_WORD);
}

static void
set_font (PangoLayout *layout,
          double       size)
{
  g_autoptr(PangoFontDescription) font = NULL;

  sd_paths_use_shipped_fonts ();  /* the fonts a Windows install ships */
  font = pango_font_description_from_string ("Noto Sans CJK JP");
  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
}

void
sd_exercise_mark_draw_band (cairo_t    *cr,
                            double      x,
                            double      y,
                            double      width,
                            double      height,
                            const char *text,
                            double      size)
{
  g_autoptr(PangoLayout) layout = NULL;
  int w, h;

  g_return_if_fail (cr != NULL);
  g_return_if_fail (text != NULL);

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_set_source_rgb (cr, BAND_R, BAND_G, BAND_B);
  cairo_fill (cr);

  layout = sd_page_layout_new (cr);
  set_font (layout, size);
  pango_layout_set_width (layout, (int) ((width - size) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_move_to (cr, x + size / 2, y + (height - (double) h / PANGO_SCALE) / 2);
  pango_cairo_show_layout (cr, layout);
  cairo_restore (cr);
}

/* The words large along the diagonal, from bottom left to top right.
 * Filled as outlines, not set as text: the band already says it in
 * text, and a copy of the page's text (or pdftotext) should not find
 * the watermark's letters in the middle of a name. */
static void
draw_watermark (cairo_t *cr,
                double   width,
                double   height)
{
  g_autoptr(PangoLayout) layout = sd_page_layout_new (cr);
  double diagonal = hypot (width, height);
  double scale;
  int w, h;

  set_font (layout, 100);
  pango_layout_set_text (layout, SD_EXERCISE_WORD, -1);
  pango_layout_get_size (layout, &w, &h);
  /* Two thirds of the diagonal, whatever the font's widths. */
  scale = diagonal * 0.66 / ((double) w / PANGO_SCALE);

  cairo_save (cr);
  cairo_translate (cr, width / 2, height / 2);
  cairo_rotate (cr, -atan2 (height, width));
  cairo_scale (cr, scale, scale);
  cairo_move_to (cr, -(double) w / PANGO_SCALE / 2, -(double) h / PANGO_SCALE / 2);
  pango_cairo_layout_path (cr, layout);
  cairo_set_source_rgb (cr, PALE_R, PALE_G, PALE_B);
  cairo_fill (cr);
  cairo_restore (cr);
}

void
sd_exercise_mark_draw_page (cairo_t *cr,
                            double   width,
                            double   height)
{
  g_autofree char *text = sd_exercise_mark_text ();

  g_return_if_fail (cr != NULL);

  draw_watermark (cr, width, height);
  sd_exercise_mark_draw_band (cr, 0, 0, width, SD_EXERCISE_BAND_HEIGHT, text, 12);
}
