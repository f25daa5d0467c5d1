/* sd-exercise-review.c: the after-action review of an exercise: counts over time, response times, observations; PDF (A4) and CSV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-exercise-review.h"

#include "sd-csv.h"
#include "sd-error.h"
#include "sd-exercise-live.h"
#include "sd-exercise-snapshot.h"
#include "sd-private-file.h"
#include "sd-scenario.h"
#include "sd-sheet.h"
#include "sd-store-private.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

/* The end of what there is to review: where the clock is, or the last
 * inject's delivery if that is later. */
static gint64
review_end (SdStore         *store,
            SdExerciseClock *clock)
{
  sqlite3_stmt *stmt = NULL;
  gint64 end = sd_exercise_clock_now (clock, g_get_real_time () / 1000);

  if (sqlite3_prepare_v2 (_sd_store_get_db (store), "SELECT coalesce (max (delivered_ms), 0) FROM exercise_injects",
                          -1, &stmt, NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    end = MAX (end, sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  return end;
}

GArray *
sd_exercise_review_series (SdStore  *store,
                           gint64    step_ms,
                           GError  **error)
{
  g_autoptr(GArray) series = g_array_new (FALSE, TRUE, sizeof (SdExerciseSample));
  SdExerciseClock clock;
  gint64 end;

  g_return_val_if_fail (SD_IS_STORE (store) && step_ms > 0, NULL);

  if (!sd_exercise_get_clock (store, &clock, error))
    return NULL;
  end = review_end (store, &clock);
  for (gint64 t = 0;; t = MIN (t + step_ms, end))
    {
      g_autoptr(SdExerciseSnapshot) snapshot = sd_exercise_snapshot_at (store, clock.start_at + t, error);
      SdExerciseSample sample;

      if (snapshot == NULL)
        {
          sd_exercise_clock_clear (&clock);
          return NULL;
        }
      sample = (SdExerciseSample) { t, snapshot->staying, snapshot->in_shelter, snapshot->out_now,
                                    snapshot->answered, snapshot->roster, snapshot->support_unconfirmed,
                                    snapshot->support_listed };
      g_array_append_val (series, sample);
      if (t >= end)
        break;
    }
  sd_exercise_clock_clear (&clock);
  return g_steal_pointer (&series);
}

/* "+4:05", "+1:02:03": how long after delivery. */
static char *
format_after (gint64 from,
              gint64 to)
{
  g_autofree char *duration = NULL;

  if (from < 0 || to < 0)
    return g_strdup ("");
  duration = sd_scenario_format_duration (to - from);
  return g_strconcat ("+", duration, NULL);
}

static char *
format_at (gint64 ms)
{
  return ms < 0 ? g_strdup ("") : sd_scenario_format_time (ms);
}

static const char *
done_by_label (const char *by)
{
  if (g_strcmp0 (by, "player") == 0)
    return C_("inject", "player");
  if (g_strcmp0 (by, "facilitator") == 0)
    return C_("inject", "facilitator");
  if (g_strcmp0 (by, "machine") == 0)
    return C_("inject", "machine");
  return "";
}

typedef struct {
  gint64 at;
  char  *serial;
  char  *text;
} Observation;

static void
observation_clear (gpointer data)
{
  Observation *o = data;

  g_free (o->serial);
  g_free (o->text);
}

static GArray *
read_observations (SdStore  *store,
                   GError  **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (Observation));
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT at_ms, serial, text FROM exercise_observations "
                                                 "ORDER BY at_ms, id", error);
  int rc;

  g_array_set_clear_func (list, observation_clear);
  if (stmt == NULL)
    return NULL;
  while ((rc = _sd_store_step (store, stmt, _("read the exercise"), error)) == SQLITE_ROW)
    {
      Observation o = { sqlite3_column_int64 (stmt, 0), g_strdup (_sd_column_text (stmt, 1)),
                        g_strdup (_sd_column_text (stmt, 2)) };

      g_array_append_val (list, o);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

/* A batch that reached this site (HQ) during the exercise: from whom,
 * when, how many changes and how many of them were new. */
typedef struct {
  gint64  at;          /* exercise time, ms after T+0 */
  char   *from;        /* the sending site's name */
  gint64  changes, applied;
} Arrival;

static void
arrival_clear (gpointer data)
{
  g_free (((Arrival *) data)->from);
}

static GArray *
read_arrivals (SdStore  *store,
               gint64    start_at,
               GError  **error)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (Arrival));
  sqlite3_stmt *stmt = _sd_store_prepare (store, "SELECT b.received_at, coalesce (p.name, b.from_site), b.operations, "
                                                 "  b.applied FROM sync_batches b LEFT JOIN sync_peers p "
                                                 "  ON p.site_id = b.from_site WHERE b.received_at >= ?1 "
                                                 "ORDER BY b.received_at, b.sha256", error);
  int rc;

  g_array_set_clear_func (list, arrival_clear);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, start_at);
  while ((rc = _sd_store_step (store, stmt, _("read the exercise"), error)) == SQLITE_ROW)
    {
      Arrival a = { sqlite3_column_int64 (stmt, 0) - start_at, g_strdup (_sd_column_text (stmt, 1)),
                    sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3) };

      g_array_append_val (list, a);
    }
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE ? g_steal_pointer (&list) : NULL;
}

/* The median of the delivered-to-TO seconds over the injects that have
 * both (TO: 0 acknowledged, 1 done); -1 when none. */
static gint64
median_response (GListModel *injects,
                 int         to)
{
  g_autoptr(GArray) v = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < g_list_model_get_n_items (injects); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
      gint64 from = sd_exercise_inject_get_delivered (inject);
      gint64 at = to == 0 ? sd_exercise_inject_get_acknowledged (inject) : sd_exercise_inject_get_done (inject);

      if (from >= 0 && at >= 0 && g_strcmp0 (sd_exercise_inject_get_done_by (inject), "machine") != 0)
        {
          gint64 d = at - from;

          g_array_append_val (v, d);
        }
    }
  if (v->len == 0)
    return -1;
  for (guint i = 1; i < v->len; i++)
    for (guint j = i; j > 0 && g_array_index (v, gint64, j - 1) > g_array_index (v, gint64, j); j--)
      {
        gint64 t = g_array_index (v, gint64, j);

        g_array_index (v, gint64, j) = g_array_index (v, gint64, j - 1);
        g_array_index (v, gint64, j - 1) = t;
      }
  return g_array_index (v, gint64, v->len / 2);
}

/* ---- PDF ---- */

/* The exercise's mark is the sheet's own, as each page begins
 * (sd-exercise-mark.h); the title goes under it. */
static void
begin_page (SdSheet    *sheet,
            const char *title)
{
  sd_sheet_text (sheet, SD_SHEET_MARGIN, 30, SD_SHEET_WIDTH - 2 * SD_SHEET_MARGIN, title, 14, TRUE);
  sheet->y = 54;
}

/* One chart: VALUE of each sample over time, the injects' deliveries
 * marked along the time axis. */
static void
draw_chart (SdSheet     *sheet,
            GArray      *series,
            GListModel  *injects,
            const char  *title,
            guint        (*value) (const SdExerciseSample *s),
            double       red,
            double       green,
            double       blue)
{
  cairo_t *cr = sheet->cr;
  double x0 = SD_SHEET_MARGIN + 36, width = SD_SHEET_WIDTH - 2 * SD_SHEET_MARGIN - 40;
  double y0 = sheet->y + 16, height = 130;
  gint64 end = series->len > 0 ? g_array_index (series, SdExerciseSample, series->len - 1).t_ms : 0;
  guint top = 1;
  g_autofree char *top_text = NULL;

  for (guint i = 0; i < series->len; i++)
    top = MAX (top, value (&g_array_index (series, SdExerciseSample, i)));
  sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, width, title, 10, TRUE);
  /* Axes, the top value, hours along the bottom. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.6);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x0, y0 + height);
  cairo_line_to (cr, x0 + width, y0 + height);
  cairo_stroke (cr);
  top_text = g_strdup_printf ("%u", top);
  sd_sheet_text (sheet, SD_SHEET_MARGIN, y0 - 4, 32, top_text, 7, FALSE);
  sd_sheet_text (sheet, SD_SHEET_MARGIN, y0 + height - 8, 32, "0", 7, FALSE);
  for (gint64 h = 0; end > 0 && h * 3600000 <= end; h += end > 12 * 3600000 ? 3 : 1)
    {
      double x = x0 + width * (double) (h * 3600000) / end;
      g_autofree char *label = sd_scenario_format_time (h * 3600000);

      cairo_move_to (cr, x, y0 + height);
      cairo_line_to (cr, x, y0 + height + 3);
      cairo_stroke (cr);
      sd_sheet_text (sheet, x - 14, y0 + height + 4, 40, label, 6, FALSE);
    }
  /* The injects, a tick each at its delivery. */
  cairo_set_source_rgb (cr, 0.55, 0.23, 0.65);
  for (guint i = 0; end > 0 && i < g_list_model_get_n_items (injects); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
      gint64 at = sd_exercise_inject_get_delivered (inject);

      if (at < 0 || *sd_exercise_inject_get_recipient (inject) == '\0')
        continue;
      cairo_move_to (cr, x0 + width * (double) at / end, y0 + height);
      cairo_line_to (cr, x0 + width * (double) at / end, y0 + height - 6);
      cairo_stroke (cr);
    }
  /* The line. */
  cairo_set_source_rgb (cr, red, green, blue);
  cairo_set_line_width (cr, 1.4);
  for (guint i = 0; i < series->len; i++)
    {
      const SdExerciseSample *s = &g_array_index (series, SdExerciseSample, i);
      double x = x0 + (end > 0 ? width * (double) s->t_ms / end : 0);
      double y = y0 + height - height * value (s) / top;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  sheet->y = y0 + height + 22;
}

static guint staying_of (const SdExerciseSample *s) { return s->staying; }
static guint answered_of (const SdExerciseSample *s) { return s->answered; }
static guint unconfirmed_of (const SdExerciseSample *s) { return s->support_unconfirmed; }

static void
next_page_if (SdSheet    *sheet,
              double      needed,
              const char *title)
{
  if (sheet->y + needed <= SD_SHEET_HEIGHT - SD_SHEET_MARGIN)
    return;
  sd_sheet_page_done (sheet);
  begin_page (sheet, title);
}

gboolean
sd_exercise_write_review_pdf (SdStore     *store,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(SdSheet) sheet = NULL;
  g_autoptr(GArray) series = NULL;
  g_autoptr(GListModel) injects = NULL;
  g_autoptr(GArray) observations = NULL, arrivals = NULL;
  g_autofree char *title = NULL, *summary = NULL, *start = NULL, *end_text = NULL;
  g_autofree char *ack = NULL, *done = NULL, *seed = NULL;
  g_autoptr(GDateTime) t0 = NULL;
  SdExerciseClock clock;
  guint delivered = 0, acknowledged = 0, finished = 0;
  gint64 median_ack, median_done;
  const double w = SD_SHEET_WIDTH - 2 * SD_SHEET_MARGIN;

  g_return_val_if_fail (SD_IS_STORE (store) && path != NULL, FALSE);

  if (!sd_exercise_get_clock (store, &clock, error))
    return FALSE;
  /* Every 15 minutes of a day; finer for a short exercise. */
  series = sd_exercise_review_series (store, MAX (review_end (store, &clock) / 96, 60000), error);
  injects = series != NULL ? sd_exercise_list_injects (store, error) : NULL;
  observations = injects != NULL ? read_observations (store, error) : NULL;
  arrivals = observations != NULL ? read_arrivals (store, clock.start_at, error) : NULL;
  if (arrivals == NULL || (sheet = sd_sheet_new (path, sd_store_get_is_exercise (store), error)) == NULL)
    {
      sd_exercise_clock_clear (&clock);
      return FALSE;
    }
  title = g_strdup_printf (_("After-action review: %s"), clock.scenario_name);
  t0 = g_date_time_new_from_unix_local (clock.start_at / 1000);
  start = g_date_time_format (t0, "%Y-%m-%d %H:%M");
  end_text = sd_scenario_format_time (g_array_index (series, SdExerciseSample, series->len - 1).t_ms);
  for (guint i = 0; i < g_list_model_get_n_items (injects); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);

      delivered += sd_exercise_inject_get_delivered (inject) >= 0;
      acknowledged += sd_exercise_inject_get_acknowledged (inject) >= 0;
      finished += sd_exercise_inject_get_done (inject) >= 0;
    }
  median_ack = median_response (injects, 0);
  median_done = median_response (injects, 1);
  ack = median_ack >= 0 ? format_after (0, median_ack) : g_strdup ("—");
  done = median_done >= 0 ? format_after (0, median_done) : g_strdup ("—");

  begin_page (sheet, title);
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, clock.seed);
  summary = g_strdup_printf (_("T+0 %s · to %s · seed %s · %u of %u injects delivered, %u acknowledged, %u done · "
                               "median time to acknowledge %s, to done %s"),
                             start, end_text, seed, delivered, g_list_model_get_n_items (injects),
                             acknowledged, finished, ack, done);
  sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w, summary, 8, FALSE);
  sheet->y += 20;
  draw_chart (sheet, series, injects, _("Evacuees staying (in a shelter or out for now)"), staying_of, 0.1, 0.35, 0.7);
  draw_chart (sheet, series, injects, _("Staff who answered the newest roll-call"), answered_of, 0.1, 0.55, 0.3);
  draw_chart (sheet, series, injects, _("Support list: people still unconfirmed"), unconfirmed_of, 0.8, 0.4, 0.1);
  sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w,
                 _("Violet ticks on the time axis: injects delivered to players."), 7, FALSE);

  /* The injects, in delivery order, with their times. */
  sd_sheet_page_done (sheet);
  begin_page (sheet, _("Injects and response times"));
  {
    static const double col[] = { 0, 28, 72, 150, 338, 382, 426, 470 };
    const char *heads[] = { _("No."), _("Due"), _("To"), _("Description / expected action"), _("Delivered"),
                            _("Ack."), _("Done"), _("State") };

    for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
      sd_sheet_text (sheet, SD_SHEET_MARGIN + col[c], sheet->y, (c + 1 < G_N_ELEMENTS (col) ? col[c + 1] : w) - col[c] - 3,
                     heads[c], 7, TRUE);
    sheet->y += 12;
    sd_sheet_rule (sheet, sheet->y, 0.5);
    sheet->y += 3;
    for (guint i = 0; i < g_list_model_get_n_items (injects); i++)
      {
        g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
        gint64 from = sd_exercise_inject_get_delivered (inject);
        g_autofree char *due = format_at (sd_exercise_inject_get_due (inject));
        g_autofree char *at = format_at (from);
        g_autofree char *a = format_after (from, sd_exercise_inject_get_acknowledged (inject));
        g_autofree char *d = format_after (from, sd_exercise_inject_get_done (inject));
        g_autofree char *state = g_strdup_printf ("%s %s", sd_exercise_inject_state_label (sd_exercise_inject_get_state (inject)),
                                                  done_by_label (sd_exercise_inject_get_done_by (inject)));
        const char *cells[] = { sd_exercise_inject_get_serial (inject), due, sd_exercise_inject_get_recipient (inject),
                                sd_exercise_inject_get_description (inject), at, a, d, state };

        next_page_if (sheet, 24, _("Injects and response times"));
        for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
          sd_sheet_text (sheet, SD_SHEET_MARGIN + col[c], sheet->y,
                         (c + 1 < G_N_ELEMENTS (col) ? col[c + 1] : w) - col[c] - 3, cells[c], 7, FALSE);
        if (*sd_exercise_inject_get_expected (inject) != '\0')
          {
            g_autofree char *expected = g_strdup_printf ("→ %s", sd_exercise_inject_get_expected (inject));

            sd_sheet_text (sheet, SD_SHEET_MARGIN + col[3], sheet->y + 9, col[4] - col[3] - 3, expected, 6, FALSE);
            sheet->y += 9;
          }
        sheet->y += 12;
      }
  }

  /* When each site's data reached this one (a drill's HQ, or an
   * exercise's HQ with kiosks): per site, then batch by batch. */
  if (arrivals->len > 0)
    {
      g_autoptr(GPtrArray) sites = g_ptr_array_new ();
      static const double col[] = { 0, 60, 260, 330 };

      next_page_if (sheet, 80, _("Data reaching this site"));
      sheet->y += 10;
      sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w, _("Data reaching this site"), 11, TRUE);
      sheet->y += 16;
      for (guint i = 0; i < arrivals->len; i++)
        {
          const char *from = g_array_index (arrivals, Arrival, i).from;

          if (!g_ptr_array_find_with_equal_func (sites, from, g_str_equal, NULL))
            g_ptr_array_add (sites, (gpointer) from);
        }
      for (guint k = 0; k < sites->len; k++)
        {
          gint64 first = -1, last = -1, gap = 0, changes = 0, applied = 0, previous = -1;
          guint batches = 0;
          g_autofree char *line = NULL, *first_text = NULL, *last_text = NULL, *gap_text = NULL;
          g_autofree char *batches_text = NULL, *changes_text = NULL, *applied_text = NULL;

          for (guint i = 0; i < arrivals->len; i++)
            {
              const Arrival *a = &g_array_index (arrivals, Arrival, i);

              if (!g_str_equal (a->from, g_ptr_array_index (sites, k)))
                continue;
              first = first < 0 ? a->at : first;
              last = a->at;
              gap = previous >= 0 ? MAX (gap, a->at - previous) : gap;
              previous = a->at;
              changes += a->changes;
              applied += a->applied;
              batches++;
            }
          first_text = sd_scenario_format_time (first);
          last_text = sd_scenario_format_time (last);
          gap_text = sd_scenario_format_duration (gap);
          batches_text = g_strdup_printf ("%u", batches);
          changes_text = g_strdup_printf ("%" G_GINT64_FORMAT, changes);
          applied_text = g_strdup_printf ("%" G_GINT64_FORMAT, applied);
          line = g_strdup_printf (_("%s: first at %s, last at %s; %s batches, %s changes, %s of them new here; "
                                    "longest time with nothing from it: %s"),
                                  (const char *) g_ptr_array_index (sites, k), first_text, last_text, batches_text,
                                  changes_text, applied_text, gap_text);
          next_page_if (sheet, 14, _("Data reaching this site"));
          sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w, line, 8, FALSE);
          sheet->y += 12;
        }
      sheet->y += 6;
      {
        const char *heads[] = { _("Time"), _("From"), _("Changes"), _("New here") };

        for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
          sd_sheet_text (sheet, SD_SHEET_MARGIN + col[c], sheet->y, 120, heads[c], 7, TRUE);
        sheet->y += 12;
        sd_sheet_rule (sheet, sheet->y, 0.5);
        sheet->y += 3;
      }
      for (guint i = 0; i < arrivals->len; i++)
        {
          const Arrival *a = &g_array_index (arrivals, Arrival, i);
          g_autofree char *at = sd_scenario_format_time (a->at);
          g_autofree char *changes = g_strdup_printf ("%" G_GINT64_FORMAT, a->changes);
          g_autofree char *applied = g_strdup_printf ("%" G_GINT64_FORMAT, a->applied);
          const char *cells[] = { at, a->from, changes, applied };

          next_page_if (sheet, 12, _("Data reaching this site"));
          for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
            sd_sheet_text (sheet, SD_SHEET_MARGIN + col[c], sheet->y, c == 1 ? 195 : 60, cells[c], 7, FALSE);
          sheet->y += 10;
        }
    }

  /* Observations, by exercise time. */
  next_page_if (sheet, 60, _("Observations"));
  sheet->y += 10;
  sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w, _("Observations"), 11, TRUE);
  sheet->y += 16;
  if (observations->len == 0)
    {
      sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, w, _("No observations were written."), 8, FALSE);
      sheet->y += 12;
    }
  for (guint i = 0; i < observations->len; i++)
    {
      const Observation *o = &g_array_index (observations, Observation, i);
      g_autofree char *when = sd_scenario_format_time (o->at);
      g_autofree char *about = o->serial != NULL ? g_strdup_printf (_("inject %s"), o->serial) : g_strdup ("");

      next_page_if (sheet, 14, _("Observations"));
      sd_sheet_text (sheet, SD_SHEET_MARGIN, sheet->y, 50, when, 8, FALSE);
      sd_sheet_text (sheet, SD_SHEET_MARGIN + 52, sheet->y, 60, about, 8, FALSE);
      sd_sheet_text (sheet, SD_SHEET_MARGIN + 114, sheet->y, w - 114, o->text, 8, FALSE);
      sheet->y += 12;
    }
  sd_exercise_clock_clear (&clock);
  return sd_sheet_finish (g_steal_pointer (&sheet), _("the after-action review"), error);
}

/* ---- CSV ---- */

static gboolean
write_private (SdCsvWriter  *csv,
               const char   *path,
               GError      **error)
{
  g_autofree char *partial = g_strconcat (path, ".part", NULL);
  gsize length = 0;
  const char *text = sd_csv_writer_get_text (csv, &length);
  FILE *f;
  gboolean ok;

  if (!sd_private_file_create (partial, error))
    return FALSE;
  f = g_fopen (partial, "wb");
  ok = f != NULL && fwrite (text, 1, length, f) == length;
  ok = (f != NULL && fclose (f) == 0) && ok;
  if (!ok || g_rename (partial, path) != 0)
    {
      int saved = errno;

      g_unlink (partial);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _("Could not write “%s”: %s"), path,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_exercise_write_review_csv (SdStore     *store,
                              const char  *path,
                              GError     **error)
{
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();
  g_autoptr(GListModel) injects = sd_exercise_list_injects (store, error);
  g_autoptr(GArray) observations = injects != NULL ? read_observations (store, error) : NULL;
  g_autoptr(GArray) arrivals = NULL;
  SdExerciseClock clock;

  if (observations == NULL || !sd_exercise_get_clock (store, &clock, error))
    return FALSE;
  arrivals = read_arrivals (store, clock.start_at, error);
  sd_exercise_clock_clear (&clock);
  if (arrivals == NULL)
    return FALSE;
  if (sd_store_get_is_exercise (store))
    sd_csv_writer_mark_exercise (csv);
  sd_csv_writer_add_row (csv, _("Kind"), _("Serial"), _("Due"), _("Delivered"), _("Acknowledged"), _("Done"),
                         _("Seconds to acknowledge"), _("Seconds to done"), _("Done by"), _("State"), _("To"),
                         _("Description"), _("Expected action"), NULL);
  for (guint i = 0; i < g_list_model_get_n_items (injects); i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
      gint64 from = sd_exercise_inject_get_delivered (inject);
      gint64 ack = sd_exercise_inject_get_acknowledged (inject), done = sd_exercise_inject_get_done (inject);
      g_autofree char *due = format_at (sd_exercise_inject_get_due (inject));
      g_autofree char *at = format_at (from), *a = format_at (ack), *d = format_at (done);

      sd_csv_writer_add_text (csv, _("inject"));
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_serial (inject));
      sd_csv_writer_add_text (csv, due);
      sd_csv_writer_add_text (csv, at);
      sd_csv_writer_add_text (csv, a);
      sd_csv_writer_add_text (csv, d);
      if (from >= 0 && ack >= 0)
        sd_csv_writer_add_number (csv, (ack - from) / 1000);
      else
        sd_csv_writer_add_text (csv, NULL);
      if (from >= 0 && done >= 0)
        sd_csv_writer_add_number (csv, (done - from) / 1000);
      else
        sd_csv_writer_add_text (csv, NULL);
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_done_by (inject));
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_state (inject));
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_recipient (inject));
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_description (inject));
      sd_csv_writer_add_text (csv, sd_exercise_inject_get_expected (inject));
      sd_csv_writer_end_row (csv);
    }
  for (guint i = 0; i < observations->len; i++)
    {
      const Observation *o = &g_array_index (observations, Observation, i);
      g_autofree char *when = sd_scenario_format_time (o->at);

      sd_csv_writer_add_row (csv, _("observation"), o->serial != NULL ? o->serial : "", when, "", "", "", "", "", "",
                             "", "", o->text, "", NULL);
    }
  /* A batch that reached this site: when (Delivered), from whom (To),
   * its changes (Description) and how many were new (Expected action). */
  for (guint i = 0; i < arrivals->len; i++)
    {
      const Arrival *a = &g_array_index (arrivals, Arrival, i);
      g_autofree char *when = sd_scenario_format_time (a->at);
      g_autofree char *changes = g_strdup_printf ("%" G_GINT64_FORMAT, a->changes);
      g_autofree char *applied = g_strdup_printf ("%" G_GINT64_FORMAT, a->applied);

      sd_csv_writer_add_row (csv, _("batch"), "", "", when, "", "", "", "", "", "", a->from, changes, applied, NULL);
    }
  return write_private (csv, path, error);
}

gboolean
sd_exercise_write_series_csv (SdStore     *store,
                              const char  *path,
                              gint64       step_ms,
                              GError     **error)
{
  g_autoptr(SdCsvWriter) csv = sd_csv_writer_new ();
  g_autoptr(GArray) series = sd_exercise_review_series (store, step_ms, error);

  if (series == NULL)
    return FALSE;
  if (sd_store_get_is_exercise (store))
    sd_csv_writer_mark_exercise (csv);
  sd_csv_writer_add_row (csv, _("Time"), _("Staying"), _("In the shelter"), _("Out for now"), _("Staff answered"),
                         _("Roster"), _("Support list unconfirmed"), _("Support list"), NULL);
  for (guint i = 0; i < series->len; i++)
    {
      const SdExerciseSample *s = &g_array_index (series, SdExerciseSample, i);
      g_autofree char *t = sd_scenario_format_time (s->t_ms);

      sd_csv_writer_add_text (csv, t);
      sd_csv_writer_add_number (csv, s->staying);
      sd_csv_writer_add_number (csv, s->in_shelter);
      sd_csv_writer_add_number (csv, s->out_now);
      sd_csv_writer_add_number (csv, s->answered);
      sd_csv_writer_add_number (csv, s->roster);
      sd_csv_writer_add_number (csv, s->support_unconfirmed);
      sd_csv_writer_add_number (csv, s->support_listed);
      sd_csv_writer_end_row (csv);
    }
  return write_private (csv, path, error);
}
