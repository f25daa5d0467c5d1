/* sd-support-sheets.c: visit lists of the support list, on paper (PDF) and as CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A volunteer takes a district's list (or a supporter takes theirs) from
 * door to door: who, where, how to reach them, why they need help, what
 * to bring, whom to call, and boxes to tick and write in, in type large
 * enough to read on a doorstep at dusk.
 */
#include "sd-csv.h"
#include "sd-date.h"
#include "sd-json.h"
#include "sd-sheet.h"
#include "sd-support-sheets.h"

#include <glib/gi18n-lib.h>

#define ROW_HEIGHT 74.0

/* One row of a group: the person (borrowed from the list) under GROUP. */
typedef struct {
  const char *group;
  json_t     *person;
} Row;

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Row *x = a, *y = b;
  int c = g_strcmp0 (x->group, y->group);

  /* The list is in district and kana order already: kept within a group. */
  return c != 0 ? c : (x < y ? -1 : x > y);
}

/* The rows of FILTER's people, grouped and in order.  LIST keeps them. */
static GArray *
rows_of (SdStore                *store,
         const SdSupportFilter  *filter,
         gboolean                by_supporter,
         json_t                **list,
         GError                **error)
{
  g_autofree char *text = sd_support_list_json (store, filter, error);
  GArray *rows;

  if (text == NULL || (*list = sd_json_parse (text, strlen (text), 0, error)) == NULL)
    return NULL;
  rows = g_array_new (FALSE, FALSE, sizeof (Row));
  for (guint i = 0; i < json_array_size (*list); i++)
    {
      json_t *p = json_array_get (*list, i);
      json_t *supporters = json_object_get (p, "supporters");

      if (!by_supporter)
        {
          Row row = { json_string_value (json_object_get (p, "district")), p };

          g_array_append_val (rows, row);
          continue;
        }
      for (guint k = 0; k < json_array_size (supporters); k++)
        {
          Row row = { json_string_value (json_array_get (supporters, k)), p };

          g_array_append_val (rows, row);
        }
      if (json_array_size (supporters) == 0)
        {
          Row row = { NULL, p };

          g_array_append_val (rows, row);
        }
    }
  if (by_supporter)
    g_array_sort (rows, compare_rows);
  return rows;
}

static const char *
text_of (json_t     *p,
         const char *name)
{
  return json_string_value (json_object_get (p, name));
}

/* The person's age today, with its unit (WITH_UNIT) or as a number; ""
 * when unknown. */
static char *
age_of (json_t   *p,
        gboolean  with_unit)
{
  const char *birth = text_of (p, "birth_date");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                                           g_date_time_get_year (now));

  if (birth == NULL)
    return g_strdup ("");
  return with_unit ? g_strdup_printf (_("%d years"), sd_date_age_on (birth, today))
                   : g_strdup_printf ("%d", sd_date_age_on (birth, today));
}

static char *
reason_of (json_t *p)
{
  const char *parts[] = { text_of (p, "care_level"), text_of (p, "disability"), text_of (p, "reason") };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (text, "%s%s", text->len > 0 ? "、" : "", parts[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static const char *
status_label_of (json_t *p)
{
  SdSupportStatus status = SD_SUPPORT_UNCONFIRMED;

  sd_support_status_from_string (text_of (p, "status"), &status);
  return sd_support_status_label (status);
}

/* ---- PDF ---- */

#define X0 SD_SHEET_MARGIN
#define W (SD_SHEET_WIDTH - 2 * SD_SHEET_MARGIN)

static void
page_head (SdSheet    *sheet,
           const char *title,
           const char *site_name,
           const char *when)
{
  g_autofree char *line = g_strdup_printf (_("%s — printed %s — page %u"), site_name != NULL ? site_name : "", when,
                                           sheet->page);

  cairo_set_source_rgb (sheet->cr, 0, 0, 0);
  sd_sheet_text (sheet, X0, 28, W, title, 18, TRUE);
  sd_sheet_text (sheet, X0, 54, W, line, 9, FALSE);
  sheet->y = 72;
  sd_sheet_rule (sheet, sheet->y, 1);
}

/* Who and where on the left; why, what to bring and whom to call in the
 * middle; the boxes on the right: visited at, a status ticked, a note. */
static void
person_row (SdSheet *sheet,
            json_t  *p)
{
  g_autofree char *age = age_of (p, TRUE);
  g_autofree char *who = g_strdup_printf ("%s  %s  %s", text_of (p, "external_id") ?: "", text_of (p, "kana") ?: "",
                                          age);
  g_autofree char *reason = reason_of (p);
  g_autofree char *bring = g_strdup_printf (_("Bring: %s"), text_of (p, "plan_bring") ?: "—");
  g_autofree char *contact = g_strdup_printf (_("Contact: %s"), text_of (p, "contact") ?: "—");
  g_autofree char *now = g_strdup_printf (_("Now: %s"), status_label_of (p));
  double y = sheet->y;
  const char *ticks[] = { N_("Safe"), N_("Evacuated"), N_("Helping"), N_("Not there") };

  sd_sheet_text (sheet, X0 + 2, y + 4, 180, text_of (p, "name"), 14, TRUE);
  sd_sheet_text (sheet, X0 + 2, y + 24, 180, who, 8, FALSE);
  sd_sheet_text (sheet, X0 + 2, y + 36, 180, text_of (p, "address"), 10, FALSE);
  sd_sheet_text (sheet, X0 + 2, y + 52, 180, text_of (p, "phone") ?: _("(no phone)"), 13, TRUE);
  sd_sheet_text (sheet, X0 + 188, y + 4, 170, reason, 10, TRUE);
  sd_sheet_text (sheet, X0 + 188, y + 22, 170, bring, 9, FALSE);
  sd_sheet_text (sheet, X0 + 188, y + 38, 170, contact, 9, FALSE);
  sd_sheet_text (sheet, X0 + 188, y + 54, 170, now, 9, FALSE);
  /* Visited at, and one box a status to tick. */
  sd_sheet_text (sheet, X0 + 366, y + 4, 60, _("Visited at"), 8, FALSE);
  sd_sheet_box (sheet, X0 + 366, y + 16, 56, 22);
  for (guint i = 0; i < G_N_ELEMENTS (ticks); i++)
    {
      double bx = X0 + 430 + (i % 2) * 47, by = y + 4 + (i / 2) * 18;

      sd_sheet_box (sheet, bx, by + 2, 10, 10);
      sd_sheet_text (sheet, bx + 13, by, 34, _(ticks[i]), 8, FALSE);
    }
  sd_sheet_text (sheet, X0 + 366, y + 42, 60, _("Note"), 8, FALSE);
  sd_sheet_box (sheet, X0 + 366, y + 54, W - 366, 16);
  sd_sheet_rule (sheet, y + ROW_HEIGHT, 0.5);
  sheet->y += ROW_HEIGHT;
}

gboolean
sd_support_write_visit_lists (SdStore                *store,
                              const SdSupportFilter  *filter,
                              gboolean                by_supporter,
                              const char             *site_name,
                              gint64                  now_ms,
                              const char             *path,
                              guint                  *out_people,
                              GError                **error)
{
  g_autoptr(json_t) list = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_ms / 1000);
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M");
  const char *group = NULL;
  SdSheet *sheet;

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  rows = rows_of (store, filter, by_supporter, &list, error);
  if (rows == NULL)
    return FALSE;
  if (rows->len == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING, _("Nobody on the support list matches: nothing to print."));
      return FALSE;
    }
  sheet = sd_sheet_new (path, sd_store_get_is_exercise (store), error);
  if (sheet == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      gboolean new_group = sheet->page == 0 || g_strcmp0 (row->group, group) != 0;

      /* A new group starts a new page, and so does a full one. */
      if (new_group || sheet->y + ROW_HEIGHT > SD_SHEET_HEIGHT - SD_SHEET_MARGIN)
        {
          g_autofree char *title = NULL;

          if (sheet->page > 0)
            sd_sheet_page_done (sheet);
          sheet->page = new_group ? 1 : sheet->page + 1;
          group = row->group;
          title = by_supporter ? g_strdup_printf (_("Visit list: %s"), group != NULL ? group : _("no supporter"))
                               : g_strdup_printf (_("Visit list: %s"), group != NULL ? group : _("no district"));
          page_head (sheet, title, site_name, when);
        }
      person_row (sheet, row->person);
    }
  if (out_people != NULL)
    *out_people = rows->len;
  return sd_sheet_finish (sheet, _("the visit lists"), error);
}

/* ---- CSV ---- */

gboolean
sd_support_write_visit_csv (SdStore                *store,
                            const SdSupportFilter  *filter,
                            gboolean                by_supporter,
                            GOutputStream          *out,
                            GCancellable           *cancellable,
                            GError                **error)
{
  g_autoptr(json_t) list = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();

  g_return_val_if_fail (SD_IS_STORE (store), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  rows = rows_of (store, filter, by_supporter, &list, error);
  if (rows == NULL)
    return FALSE;
  if (sd_store_get_is_exercise (store))
    sd_csv_writer_mark_exercise (csv);
  sd_csv_writer_add_row (csv, by_supporter ? _("Supporter") : _("District"), _("No."), _("Full name"), _("Kana"),
                         _("Age"), _("Address"), _("Phone"), _("Reason"), _("Care level"), _("Disability"),
                         _("What to bring"), _("Emergency contact"), _("Status"), NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      g_autofree char *age = age_of (row->person, FALSE);

      sd_csv_writer_add_row (csv, row->group != NULL ? row->group : "", text_of (row->person, "external_id") ?: "",
                             text_of (row->person, "name") ?: "", text_of (row->person, "kana") ?: "", age,
                             text_of (row->person, "address") ?: "", text_of (row->person, "phone") ?: "",
                             text_of (row->person, "reason") ?: "", text_of (row->person, "care_level") ?: "",
                             text_of (row->person, "disability") ?: "", text_of (row->person, "plan_bring") ?: "",
                             text_of (row->person, "contact") ?: "", status_label_of (row->person), NULL);
    }
  return sd_csv_writer_write (csv, out, cancellable, error);
}
