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
#include "sd-sheet.h"

#include <glib/gi18n-lib.h>

gboolean
sd_safety_write_missing_csv (GListModel     *missing,
                             gboolean        exercise,
                             GOutputStream  *out,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();

  g_return_val_if_fail (G_IS_LIST_MODEL (missing), FALSE);

  if (exercise)
    sd_csv_writer_mark_exercise (csv);

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

#define A4_WIDTH SD_SHEET_WIDTH
#define A4_HEIGHT SD_SHEET_HEIGHT
#define MARGIN SD_SHEET_MARGIN
#define ROW_HEIGHT 34.0

/* Name, section and rank, phone, then three boxes to write in. */
static const struct { double x; double width; } columns[] = {
  { MARGIN, 130 }, { MARGIN + 130, 120 }, { MARGIN + 250, 110 },
  { MARGIN + 360, 50 }, { MARGIN + 410, 50 }, { MARGIN + 460, 63 },
};

static void
page_head (SdSheet    *sheet,
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
  /* A drill's sheets must never be taken for a real incident's; the
   * drill's band goes under an exercise's (sheet->top). */
  if (sd_rollcall_get_is_drill (rollcall))
    sd_sheet_band (sheet, _("DRILL — not a real incident"));
  sd_sheet_text (sheet, MARGIN, sheet->top + 30, A4_WIDTH - 2 * MARGIN, title, 18, TRUE);
  sd_sheet_text (sheet, MARGIN, sheet->top + 56, A4_WIDTH - 2 * MARGIN, line, 9, FALSE);
  sheet->y = sheet->top + 78;
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    sd_sheet_text (sheet, columns[c].x + 2, sheet->y, columns[c].width - 4, headings[c], 9, TRUE);
  sheet->y += 16;
  sd_sheet_rule (sheet, sheet->y, 1);
}

static void
person_row (SdSheet *sheet,
            SdStaff *staff)
{
  g_autofree char *post = g_strdup_printf ("%s %s", sd_staff_get_section (staff) ? sd_staff_get_section (staff) : "",
                                           sd_staff_get_rank (staff) ? sd_staff_get_rank (staff) : "");
  g_autofree char *who = g_strdup_printf ("%s  %s", sd_staff_get_staff_no (staff), sd_staff_get_kana (staff) ?
                                          sd_staff_get_kana (staff) : "");

  sd_sheet_text (sheet, columns[0].x + 2, sheet->y + 3, columns[0].width - 4, sd_staff_get_name (staff), 12, TRUE);
  sd_sheet_text (sheet, columns[0].x + 2, sheet->y + 20, columns[0].width - 4, who, 7, FALSE);
  sd_sheet_text (sheet, columns[1].x + 2, sheet->y + 8, columns[1].width - 4, post, 9, FALSE);
  sd_sheet_text (sheet, columns[2].x + 2, sheet->y + 7, columns[2].width - 4,
           sd_staff_get_phone (staff) != NULL ? sd_staff_get_phone (staff) : _("(no phone)"), 12, TRUE);
  /* The boxes to write in. */
  for (guint c = 3; c < G_N_ELEMENTS (columns); c++)
    sd_sheet_box (sheet, columns[c].x + 2, sheet->y + 4, columns[c].width - 4, ROW_HEIGHT - 8);
  sd_sheet_rule (sheet, sheet->y + ROW_HEIGHT, 0.5);
  sheet->y += ROW_HEIGHT;
}

gboolean
sd_safety_write_call_sheets (SdRollcall     *rollcall,
                             GListModel     *missing,
                             gboolean        exercise,
                             const char     *site_name,
                             gint64          now_ms,
                             const char     *path,
                             GError        **error)
{
  g_autofree char *department = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  SdSheet *sheet;
  guint n;

  g_return_val_if_fail (SD_IS_ROLLCALL (rollcall), FALSE);
  g_return_val_if_fail (G_IS_LIST_MODEL (missing), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  sheet = sd_sheet_new (path, exercise, error);
  if (sheet == NULL)
    return FALSE;
  n = g_list_model_get_n_items (missing);
  if (n == 0)
    {
      sheet->page = 1;
      page_head (sheet, rollcall, _("everyone"), site_name, when);
      sd_sheet_text (sheet, MARGIN, sheet->y + 12, A4_WIDTH - 2 * MARGIN, _("Everyone has answered."), 14, FALSE);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdStaff) staff = g_list_model_get_item (missing, i);
      const char *d = sd_staff_get_department (staff) != NULL ? sd_staff_get_department (staff) : "";

      /* A new department starts a new page, and so does a full one. */
      if (sheet->page == 0 || g_strcmp0 (d, department) != 0 || sheet->y + ROW_HEIGHT > A4_HEIGHT - MARGIN)
        {
          if (sheet->page > 0)
            sd_sheet_page_done (sheet);
          sheet->page = g_strcmp0 (d, department) != 0 ? 1 : sheet->page + 1;
          g_free (department);
          department = g_strdup (d);
          page_head (sheet, rollcall, *d != '\0' ? d : _("(no department)"), site_name, when);
        }
      person_row (sheet, staff);
    }
  return sd_sheet_finish (sheet, _("the call sheets"), error);
}
