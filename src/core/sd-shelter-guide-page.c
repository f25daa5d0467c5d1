/* sd-shelter-guide-page.c: the shelter guide on one A4 page, in any language the evacuee catalogues offer.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The words are the reader's language; what the lead wrote (the places,
 * the note) is Japanese and is set with Japanese glyphs on every page,
 * so that 食堂 on a Chinese page is the 食堂 of the sign on the wall.
 * Each run of text says its language to Pango, which picks the font
 * that has its glyphs (Noto Sans CJK for Chinese, Japanese and Korean,
 * Noto Sans Devanagari for Nepali).  A guide too long for the page at
 * full size is set smaller, never cut.
 */
#include "sd-evacuee-text.h"
#include "sd-exercise-mark.h"
#include "sd-page-text.h"
#include "sd-paths.h"
#include "sd-sheet.h"
#include "sd-shelter-guide.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MARGIN 42.0
#define SMALLEST 0.55  /* the smallest scale a long guide is set at */

typedef struct {
  cairo_t     *cr;
  PangoLayout *layout;
  const char  *language;   /* the reader's: a code of sd_evacuee_languages() */
  double       x, y, width;
  double       scale;      /* of every size, to fit the page */
  gboolean     measure;    /* only advance y: nothing drawn */
  guint        unknown;    /* characters no font had a glyph for */
} Pen;

static const char *
tr (Pen        *pen,
    const char *msgid)
{
  return sd_evacuee_gettext (pen->language, msgid);
}

/* TEXT wrapped to WIDTH at X, Y; the parts in Japanese (JA_START to the
 * end, byte offsets; -1: none) in Japanese glyphs, the rest in the
 * reader's.  Returns its height. */
static double
show (Pen        *pen,
      double      x,
      double      y,
      double      width,
      const char *text,
      double      size,
      gboolean    bold,
      int         ja_start,
      double      grey)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string (SD_PAGE_FONT_FAMILIES);
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *attr;
  int height;

  pango_font_description_set_absolute_size (font, size * pen->scale * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (pen->layout, font);
  pango_layout_set_width (pen->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (pen->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_ellipsize (pen->layout, PANGO_ELLIPSIZE_NONE);
  pango_layout_set_text (pen->layout, text, -1);
  attr = pango_attr_language_new (pango_language_from_string (sd_evacuee_font_language (pen->language)));
  pango_attr_list_insert (attrs, attr);
  if (ja_start >= 0)
    {
      attr = pango_attr_language_new (pango_language_from_string ("ja"));
      attr->start_index = (guint) ja_start;
      pango_attr_list_insert (attrs, attr);
    }
  pango_layout_set_attributes (pen->layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_get_size (pen->layout, NULL, &height);
  if (!pen->measure)
    {
      pen->unknown += (guint) pango_layout_get_unknown_glyphs_count (pen->layout);
      cairo_set_source_rgb (pen->cr, grey, grey, grey);
      cairo_move_to (pen->cr, x, y);
      pango_cairo_show_layout (pen->cr, pen->layout);
    }
  return (double) height / PANGO_SCALE;
}

/* A line across the column, then GAP below. */
static void
line (Pen   *pen,
      double gap)
{
  if (!pen->measure)
    {
      cairo_set_source_rgb (pen->cr, 0.35, 0.35, 0.35);
      cairo_set_line_width (pen->cr, 1.0);
      cairo_move_to (pen->cr, pen->x, pen->y);
      cairo_line_to (pen->cr, pen->x + pen->width, pen->y);
      cairo_stroke (pen->cr);
    }
  pen->y += gap * pen->scale;
}

/* A paragraph across the column, then GAP below. */
static void
para (Pen        *pen,
      const char *text,
      double      size,
      gboolean    bold,
      int         ja_start,
      double      gap)
{
  pen->y += show (pen, pen->x, pen->y, pen->width, text, size, bold, ja_start, 0) + gap * pen->scale;
}

/* A label in the reader's language and what the lead wrote under it. */
static void
place (Pen        *pen,
       const char *label,
       const char *where)
{
  if (where == NULL)
    return;
  para (pen, tr (pen, label), 14, FALSE, -1, 2);
  para (pen, where, 22, TRUE, 0, 12);
}

/* Up to three times side by side: each label over its time. */
static void
times_row (Pen                  *pen,
           const SdShelterGuide *guide,
           const SdGuideTime    *which,
           const char *const    *labels,
           guint                 n,
           const char           *heading)
{
  double column = pen->width / 3, tallest = 0;
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    shown += guide->times[which[i]] != NULL;
  if (shown == 0)
    return;
  if (heading != NULL)
    para (pen, tr (pen, heading), 16, TRUE, -1, 4);
  shown = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *time = sd_guide_time_format (guide->times[which[i]]);
      double x = pen->x + column * shown, h;

      if (time == NULL)
        continue;
      h = show (pen, x, pen->y, column - 8, tr (pen, labels[i]), 14, FALSE, -1, 0);
      h += show (pen, x, pen->y + h, column - 8, time, 28, TRUE, -1, 0);
      tallest = MAX (tallest, h);
      shown++;
    }
  pen->y += tallest + 12 * pen->scale;
}

/* "Smoking area: 体育館裏" under a rule: the label in the reader's
 * language, the place in Japanese. */
static void
rule_place (Pen        *pen,
            double      indent,
            const char *label,
            const char *where)
{
  g_autofree char *text = NULL;
  g_autofree char *head = NULL;

  if (where == NULL)
    return;
  /* Translators' colon differs (Japanese and Chinese use a full-width one). */
  head = g_strdup_printf ("%s ", tr (pen, label));
  text = g_strconcat (head, where, NULL);
  pen->y += show (pen, pen->x + indent, pen->y, pen->width - indent, text, 13, TRUE, (int) strlen (head), 0);
}

static void
rules_list (Pen                  *pen,
            const SdShelterGuide *guide)
{
  double indent = 18 * pen->scale;

  if (guide->rules == 0)
    return;
  para (pen, tr (pen, EN_("Rules of this shelter")), 16, TRUE, -1, 4);
  for (SdGuideRule rule = 0; rule < SD_N_GUIDE_RULES; rule++)
    {
      if (!(guide->rules & (1u << rule)))
        continue;
      show (pen, pen->x, pen->y, indent, "•", 14, FALSE, -1, 0);
      pen->y += show (pen, pen->x + indent, pen->y, pen->width - indent, sd_guide_rule_text (rule, pen->language),
                      14, FALSE, -1, 0);
      if (rule == SD_GUIDE_RULE_NO_SMOKING)
        rule_place (pen, indent, EN_("Smoking area:"), guide->places[SD_GUIDE_SMOKING]);
      else if (rule == SD_GUIDE_RULE_PETS)
        rule_place (pen, indent, EN_("Pet area:"), guide->places[SD_GUIDE_PETS]);
      else if (rule == SD_GUIDE_RULE_CHARGING)
        rule_place (pen, indent, EN_("Charging place:"), guide->places[SD_GUIDE_CHARGING]);
      else if (rule == SD_GUIDE_RULE_QUIET && guide->times[SD_GUIDE_LIGHTS_OUT] != NULL)
        {
          g_autofree char *time = sd_guide_time_format (guide->times[SD_GUIDE_LIGHTS_OUT]);
          g_autofree char *text = g_strdup_printf ("%s %s", tr (pen, EN_("Lights out")), time);

          pen->y += show (pen, pen->x + indent, pen->y, pen->width - indent, text, 13, TRUE, -1, 0);
        }
      pen->y += 6 * pen->scale;
    }
  pen->y += 6 * pen->scale;
}

/* Everything but the footer, from the pen's Y down. */
static void
body (Pen                  *pen,
      const SdShelterGuide *guide)
{
  static const SdGuideTime meals[] = { SD_GUIDE_BREAKFAST, SD_GUIDE_LUNCH, SD_GUIDE_DINNER };
  static const char *const meal_labels[] = { EN_("Breakfast"), EN_("Lunch"), EN_("Dinner") };
  static const SdGuideTime lights[] = { SD_GUIDE_LIGHTS_OUT, SD_GUIDE_LIGHTS_ON };
  static const char *const light_labels[] = { EN_("Lights out"), EN_("Lights on") };

  para (pen, tr (pen, EN_("Shelter guide")), 30, TRUE, -1, 2);
  /* The Japanese title too, for the staff a reader shows the page to. */
  if (!g_str_equal (pen->language, "ja"))
    para (pen, sd_evacuee_gettext ("ja", EN_("Shelter guide")), 12, FALSE, 0, 4);
  if (guide->shelter_name != NULL)
    para (pen, guide->shelter_name, 20, TRUE, 0, 8);
  line (pen, 12);
  times_row (pen, guide, meals, meal_labels, G_N_ELEMENTS (meals), EN_("Meals"));
  times_row (pen, guide, lights, light_labels, G_N_ELEMENTS (lights), NULL);
  place (pen, EN_("If you need help or feel unwell, ask here:"), guide->places[SD_GUIDE_ASK]);
  place (pen, EN_("Food, water and supplies are given out here:"), guide->places[SD_GUIDE_SUPPLIES]);
  rules_list (pen, guide);
  if (guide->note != NULL)
    {
      para (pen, tr (pen, EN_("A message from the shelter (in Japanese):")), 14, FALSE, -1, 2);
      para (pen, guide->note, 14, FALSE, 0, 8);
    }
}

/* The foot of the page: what to do when lost, and when it was written.
 * Returns its height. */
static double
footer (Pen                  *pen,
        const SdShelterGuide *guide,
        double                bottom)
{
  g_autoptr(GString) text = g_string_new (tr (pen, EN_("If anything is unclear, show this page at the desk.")));
  const SdEvacueeLanguage *language = sd_evacuee_language_resolve (pen->language);
  gboolean measure = pen->measure;
  double scale = pen->scale;
  double height;

  if (!g_str_equal (pen->language, "ja"))
    g_string_append_printf (text, "\n%s", tr (pen, EN_("Places are written as on the signs in this shelter.")));
  g_string_append_printf (text, "\n%s", language != NULL ? language->own_name : pen->language);
  if (guide->updated_at > 0)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (guide->updated_at / 1000);
      g_autofree char *date = g_date_time_format (when, "%Y-%m-%d %H:%M");

      g_string_append_printf (text, " · %s", date);
    }
  /* Always the same size: the body shrinks, not the footer. */
  pen->scale = 1.0;
  pen->measure = TRUE;
  height = show (pen, pen->x, 0, pen->width, text->str, 11, FALSE, -1, 0.25);
  pen->measure = measure;
  if (!measure)
    show (pen, pen->x, bottom - height, pen->width, text->str, 11, FALSE, -1, 0.25);
  pen->scale = scale;
  return height;
}

static guint
draw (const SdShelterGuide *guide,
      const char           *language,
      cairo_t              *cr,
      double                width,
      double                height,
      gboolean              exercise)
{
  Pen pen = { 0 };
  double top, bottom, room;

  g_return_val_if_fail (guide != NULL && cr != NULL, 0);

  sd_paths_use_shipped_fonts ();  /* the fonts a Windows install ships */
  pen.cr = cr;
  pen.layout = sd_page_layout_new (cr);
  pen.language = language != NULL && sd_evacuee_language_resolve (language) != NULL
                 ? sd_evacuee_language_resolve (language)->code : "en";
  pen.x = MARGIN;
  pen.width = width - 2 * MARGIN;
  pen.scale = 1.0;
  top = (exercise ? SD_EXERCISE_BAND_HEIGHT : 0) + MARGIN;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  if (exercise)
    sd_exercise_mark_draw_page (cr, width, height);
  bottom = height - MARGIN;
  pen.measure = TRUE;
  room = bottom - footer (&pen, guide, bottom) - 12 - top;

  /* As large as fits. */
  for (;;)
    {
      pen.y = top;
      body (&pen, guide);
      if (pen.y - top <= room || pen.scale <= SMALLEST)
        break;
      pen.scale = MAX (SMALLEST, pen.scale * 0.92);
    }
  pen.measure = FALSE;
  pen.y = top;
  body (&pen, guide);
  footer (&pen, guide, bottom);
  cairo_restore (cr);
  g_object_unref (pen.layout);
  return pen.unknown;
}

void
sd_shelter_guide_draw_page (const SdShelterGuide *guide,
                            const char           *language,
                            cairo_t              *cr,
                            double                width,
                            double                height,
                            gboolean              exercise)
{
  /* Characters without a glyph are said by the desk and the CLI before
   * printing (sd_shelter_guide_count_missing_glyphs), not logged here at
   * every redraw of a preview. */
  draw (guide, language, cr, width, height, exercise);
}

guint
sd_shelter_guide_count_missing_glyphs (const SdShelterGuide *guide,
                                        const char           *language)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  guint unknown = draw (guide, language, cr, SD_SHEET_WIDTH, SD_SHEET_HEIGHT, FALSE);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return unknown;
}

gboolean
sd_shelter_guide_write_pdf (const SdShelterGuide *guide,
                            const char *const    *languages,
                            gboolean              exercise,
                            const char           *path,
                            GError              **error)
{
  g_autoptr(SdSheet) sheet = NULL;

  g_return_val_if_fail (guide != NULL && languages != NULL && languages[0] != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* The sheet draws no mark of its own: the page draws it. */
  sheet = sd_sheet_new (path, FALSE, error);
  if (sheet == NULL)
    return FALSE;
  for (guint i = 0; languages[i] != NULL; i++)
    {
      if (i > 0)
        sd_sheet_page_done (sheet);
      sd_shelter_guide_draw_page (guide, languages[i], sheet->cr, SD_SHEET_WIDTH, SD_SHEET_HEIGHT, exercise);
    }
  return sd_sheet_finish (g_steal_pointer (&sheet), _("the shelter guide"), error);
}
