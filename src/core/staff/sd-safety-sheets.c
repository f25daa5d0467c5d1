/* sd-safety-sheets.c: the staff who have not answered a roll-call, as call sheets (PDF) and as CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The call sheets are for the people who phone the staff no one has
 * heard from, usually by hand on a clipboard: large enough type to read
 * a number by torchlight, room to write, and a department's people
 * together so that each caller takes their own pages.
 */
#include "sd-safety-sheets.h"
#include "sd-csv.h"
#include "sd-page-text.h"
#include "sd-private-file.h"

#include <cairo-pdf.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

gboolean
sd_safety_write_missing_csv (GListModel     *missing,
                             GOutputStream  *out,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (missing), FALSE);

  sd_csv_writer_add_row (csv, _("No."), _("Name"), _("Kana"), _("Department"), _("Section"), _("Rank"),
                         _("Phone"), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (missing); i++)
    {
      g_autoptr(SdStaff) s = g_list_model_get_item (missing, i);

      sd_csv_writer_add_row (csv, sd_staff_get_staff_no (s), sd_staff_get_name (s), sd_staff_get_kana (s),
                             sd_staff_get_department (s), sd_staff_get_section (s), sd_staff_get_rank (s),
                             sd_staff_get_phone (s), NULL);
    }
  return sd_csv_writer_write (csv, out, cancellable, error);
}

#define A4_WIDTH 595.0
#define A4_HEIGHT 842.0
#define MARGIN 36.0
#define ROW_HEIGHT 34.0

typedef struct {
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;
  guint        page;
} Sheet;

static void
text_at (Sheet      *sheet,
         double      x,
         double      y,
         double      width,
         const char *text,
         double      size,
         gboolean    bold)
{
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Noto Sans CJK JP");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (sheet->layout, font);
  pango_layout_set_width (sheet->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (sheet->layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (sheet->layout, text != NULL ? text : "", -1);
  cairo_move_to (sheet->cr, x, y);
  pango_cairo_show_layout (sheet->cr, sheet->layout);
}

/* Name, section and rank, phone, then three boxes to write in. */
static const struct { double x; double width; } columns[] = {
  { MARGIN, 130 }, { MARGIN + 130, 120 }, { MARGIN + 250, 110 },
  { MARGIN + 360, 50 }, { MARGIN + 410, 50 }, { MARGIN + 460, 63 },
};

static void
page_head (Sheet      *sheet,
           SdRollcall *rollcall,
           const char *department,
           const char *site_name,
           const char *when)
{
  g_autofree char *title = g_strdup_printf (_("Call sheet: %s"), department);
  g_autofree char *line = g_strdup_printf (_("%s — %s — printed %s — page %u"), sd_rollcall_get_title (rollcall),
                                           site_name != NULL ? site_name : "", when, sheet->page);
  const char *headings[] = { _("Name"), _("Section, rank"), _("Phone"), _("Called at"), _("Reached"),
                             _("Note") };

  cairo_set_source_rgb (sheet->cr, 0, 0, 0);
  if (sd_rollcall_get_is_drill (rollcall))
    {
      /* A drill's sheets must never be taken for a real incident's. */
      cairo_rectangle (sheet->cr, 0, 0, A4_WIDTH, 22);
      cairo_set_source_rgb (sheet->cr, 0.55, 0.23, 0.65);
      cairo_fill (sheet->cr);
      cairo_set_source_rgb (sheet->cr, 1, 1, 1);
      text_at (sheet, MARGIN, 3, A4_WIDTH - 2 * MARGIN, _("DRILL — not a real incident"), 12, TRUE);
      cairo_set_source_rgb (sheet->cr, 0, 0, 0);
    }
  text_at (sheet, MARGIN, 30, A4_WIDTH - 2 * MARGIN, title, 18, TRUE);
  text_at (sheet, MARGIN, 56, A4_WIDTH - 2 * MARGIN, line, 9, FALSE);
  sheet->y = 78;
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    text_at (sheet, columns[c].x + 2, sheet->y, columns[c].width - 4, headings[c], 9, TRUE);
  sheet->y += 16;
  cairo_set_line_width (sheet->cr, 1);
  cairo_move_to (sheet->cr, MARGIN, sheet->y);
  cairo_line_to (sheet->cr, A4_WIDTH - MARGIN, sheet->y);
  cairo_stroke (sheet->cr);
}

static void
person_row (Sheet   *sheet,
            SdStaff *staff)
{
  g_autofree char *post = g_strdup_printf ("%s %s", sd_staff_get_section (staff) ? sd_staff_get_section (staff) : "",
                                           sd_staff_get_rank (staff) ? sd_staff_get_rank (staff) : "");
  g_autofree char *who = g_strdup_printf ("%s  %s", sd_staff_get_staff_no (staff), sd_staff_get_kana (staff) ?
                                          sd_staff_get_kana (staff) : "");

  text_at (sheet, columns[0].x + 2, sheet->y + 3, columns[0].width - 4, sd_staff_get_name (staff), 12, TRUE);
  text_at (sheet, columns[0].x + 2, sheet->y + 20, columns[0].width - 4, who, 7, FALSE);
  text_at (sheet, columns[1].x + 2, sheet->y + 8, columns[1].width - 4, post, 9, FALSE);
  text_at (sheet, columns[2].x + 2, sheet->y + 7, columns[2].width - 4,
           sd_staff_get_phone (staff) != NULL ? sd_staff_get_phone (staff) : _("(no phone)"), 12, TRUE);
  /* The boxes to write in. */
  cairo_set_line_width (sheet->cr, 0.5);
  for (guint c = 3; c < G_N_ELEMENTS (columns); c++)
    cairo_rectangle (sheet->cr, columns[c].x + 2, sheet->y + 4, columns[c].width - 4, ROW_HEIGHT - 8);
  cairo_move_to (sheet->cr, MARGIN, sheet->y + ROW_HEIGHT);
  cairo_line_to (sheet->cr, A4_WIDTH - MARGIN, sheet->y + ROW_HEIGHT);
  cairo_stroke (sheet->cr);
  sheet->y += ROW_HEIGHT;
}

gboolean
sd_safety_write_call_sheets (SdRollcall     *rollcall,
                             GListModel     *missing,
                             const char     *site_name,
                             gint64          now_ms,
                             const char     *path,
                             GError        **error)
{
  g_autofree char *partial = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *department = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  g_autoptr(PangoLayout) layout = NULL;
  cairo_surface_t *surface;
  cairo_status_t result;
  Sheet sheet = { 0 };
  guint n;

  g_return_val_if_fail (SD_IS_ROLLCALL (rollcall), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (missing), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_path_get_dirname (path);
  partial = g_strconcat (path, ".part", NULL);
  if (!sd_private_file_create (partial, error))
    return FALSE;
  surface = cairo_pdf_surface_create (partial, A4_WIDTH, A4_HEIGHT);
  sheet.cr = cairo_create (surface);
  layout = sd_page_layout_new (sheet.cr);
  sheet.layout = layout;

  n = g_list_model_get_n_items (missing);
  if (n == 0)
    {
      sheet.page = 1;
      page_head (&sheet, rollcall, _("everyone"), site_name, when);
      text_at (&sheet, MARGIN, sheet.y + 12, A4_WIDTH - 2 * MARGIN, _("Everyone has answered."), 14, FALSE);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdStaff) staff = g_list_model_get_item (missing, i);
      const char *d = sd_staff_get_department (staff) != NULL ? sd_staff_get_department (staff) : "";

      /* A new department starts a new page, and so does a full one. */
      if (sheet.page == 0 || g_strcmp0 (d, department) != 0 || sheet.y + ROW_HEIGHT > A4_HEIGHT - MARGIN)
        {
          if (sheet.page > 0)
            cairo_show_page (sheet.cr);
          sheet.page = g_strcmp0 (d, department) != 0 ? 1 : sheet.page + 1;
          g_free (department);
          department = g_strdup (d);
          page_head (&sheet, rollcall, *d != '\0' ? d : _("(no department)"), site_name, when);
        }
      person_row (&sheet, staff);
    }
  cairo_show_page (sheet.cr);
  g_clear_object (&layout);
  cairo_destroy (sheet.cr);
  cairo_surface_finish (surface);
  result = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (result != CAIRO_STATUS_SUCCESS || g_rename (partial, path) != 0)
    {
      g_remove (partial);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not save the call sheets in “%s”: the folder cannot be written or the disk is full."),
                   dir);
      return FALSE;
    }
  return TRUE;
}
