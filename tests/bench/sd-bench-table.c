/* sd-bench-table.c: a benchmark's table, each row at every city size, against its floor, with the growth.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "sd-bench"

#include "sd-bench-city.h"
#include "sd-bench-table.h"

#include <math.h>

#define WORK_WIDTH  36
#define VALUE_WIDTH 12

typedef struct {
  char   *what;
  char   *stat;
  double *ours;   /* one a size, NAN where not measured */
  double *floor;
} Row;

struct _SdBenchTable
{
  char        *title;
  char        *ours_name;
  char        *floor_name;
  char        *about_floor;
  GArray      *sizes;
  SdBenchUnit  unit;
  double       min_ratio;
  GPtrArray   *rows;
  GPtrArray   *notes;
};

static void
row_free (gpointer data)
{
  Row *row = data;

  g_free (row->what);
  g_free (row->stat);
  g_free (row->ours);
  g_free (row->floor);
  g_free (row);
}

SdBenchTable *
sd_bench_table_new (const char *title,
                    GArray     *sizes,
                    const char *ours,
                    const char *floor,
                    const char *about_floor)
{
  SdBenchTable *self = g_new0 (SdBenchTable, 1);

  self->title = g_strdup (title);
  self->ours_name = g_strdup (ours);
  self->floor_name = g_strdup (floor);
  self->about_floor = g_strdup (about_floor);
  self->sizes = g_array_ref (sizes);
  self->rows = g_ptr_array_new_with_free_func (row_free);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
sd_bench_table_set_unit (SdBenchTable *self,
                         SdBenchUnit   unit)
{
  self->unit = unit;
}

void
sd_bench_table_set_min_ratio (SdBenchTable *self,
                              double        min_ratio)
{
  self->min_ratio = min_ratio;
}

static Row *
find_row (SdBenchTable *self,
          const char   *what,
          const char   *stat,
          gboolean      create)
{
  Row *row;

  for (guint i = 0; i < self->rows->len; i++)
    {
      row = g_ptr_array_index (self->rows, i);
      if (g_str_equal (row->what, what) && g_str_equal (row->stat, stat))
        return row;
    }
  if (!create)
    return NULL;
  row = g_new0 (Row, 1);
  row->what = g_strdup (what);
  row->stat = g_strdup (stat);
  row->ours = g_new (double, self->sizes->len);
  row->floor = g_new (double, self->sizes->len);
  for (guint k = 0; k < self->sizes->len; k++)
    row->ours[k] = row->floor[k] = NAN;
  g_ptr_array_add (self->rows, row);
  return row;
}

void
sd_bench_table_add (SdBenchTable *self,
                    guint         size_index,
                    const char   *what,
                    const char   *stat,
                    double        ours,
                    double        floor_v)
{
  Row *row = find_row (self, what, stat, TRUE);

  g_return_if_fail (size_index < self->sizes->len);
  row->ours[size_index] = ours;
  row->floor[size_index] = floor_v;
}

double
sd_bench_table_get (SdBenchTable *self,
                    guint         size_index,
                    const char   *what,
                    const char   *stat)
{
  Row *row = find_row (self, what, stat, FALSE);

  return row != NULL && size_index < self->sizes->len ? row->ours[size_index] : NAN;
}

void
sd_bench_table_add_note (SdBenchTable *self,
                         const char   *format,
                         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (self->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* TEXT padded to WIDTH characters (g_print counts bytes, not characters). */
static void
cell (const char *text,
      int         width,
      gboolean    right)
{
  int pad = MAX (0, width - (int) g_utf8_strlen (text, -1));

  if (right)
    g_print ("| %*s%s ", pad, "", text);
  else
    g_print ("| %s%*s ", text, pad, "");
}

static void
value_cell (SdBenchTable *self,
            double        v,
            int           width)
{
  g_autofree char *text = NULL;

  if (isnan (v))
    text = g_strdup ("—");
  else if (self->unit == SD_BENCH_UNIT_BYTES)
    text = g_strdup_printf ("%.0f B", v);
  else if (v < 1000)
    text = g_strdup_printf ("%.3f ms", v);
  else if (v < 100000)
    text = g_strdup_printf ("%.1f ms", v);
  else
    text = g_strdup_printf ("%.1f s", v / 1000);
  cell (text, width, TRUE);
}

static void
ratio_cell (double a,
            double b,
            int    width)
{
  g_autofree char *text = isnan (a) || isnan (b) || b <= 0 ? g_strdup ("—") : g_strdup_printf ("%.2fx", a / b);

  cell (text, width, TRUE);
}

static gboolean
row_shown (SdBenchTable *self,
           Row          *row)
{
  if (self->min_ratio <= 0)
    return TRUE;
  for (guint k = 0; k < self->sizes->len; k++)
    if (!isnan (row->ours[k]) && !isnan (row->floor[k]) && row->floor[k] > 0 &&
        row->ours[k] / row->floor[k] >= self->min_ratio)
      return TRUE;
  return FALSE;
}

static void
rule (int width)
{
  g_print ("|");
  for (int i = 0; i < width + 2; i++)
    g_print ("-");
}

/* A column head and the width of its column. */
typedef struct {
  char *text;
  int   width;
} Head;

static void
head_set (Head       *head,
          char       *text,
          int         min_width)
{
  head->text = text;
  head->width = MAX (min_width, (int) g_utf8_strlen (text, -1));
}

void
sd_bench_table_print (SdBenchTable *self)
{
  guint n = self->sizes->len, last = n - 1, n_heads = 0;
  gboolean floors = self->floor_name != NULL, growth = n > 1;
  g_autofree char *first_label = sd_bench_size_label (g_array_index (self->sizes, guint, 0));
  g_autofree char *last_label = sd_bench_size_label (g_array_index (self->sizes, guint, last));
  g_autoptr(GString) hidden = g_string_new (NULL);
  g_autofree Head *heads = g_new0 (Head, 2 + 3 * n + 2);

  {
    int width = WORK_WIDTH;

    for (guint i = 0; i < self->rows->len; i++)
      width = MAX (width, (int) g_utf8_strlen (((Row *) g_ptr_array_index (self->rows, i))->what, -1));
    head_set (&heads[n_heads++], g_strdup ("work"), width);
  }
  head_set (&heads[n_heads++], g_strdup ("stat"), 4);
  for (guint k = 0; k < n; k++)
    {
      g_autofree char *label = sd_bench_size_label (g_array_index (self->sizes, guint, k));

      head_set (&heads[n_heads++], g_strdup_printf ("%s %s", label, self->ours_name), VALUE_WIDTH);
      if (floors)
        {
          head_set (&heads[n_heads++], g_strdup_printf ("%s %s", label, self->floor_name), VALUE_WIDTH);
          head_set (&heads[n_heads++], g_strdup ("ratio"), 8);
        }
    }
  if (growth)
    {
      head_set (&heads[n_heads++], g_strdup_printf ("grew %s/%s", last_label, first_label), 8);
      if (floors)
        head_set (&heads[n_heads++], g_strdup_printf ("%s grew", self->floor_name), 8);
    }

  g_print ("%s\n", self->title);
  if (self->about_floor != NULL)
    g_print ("(%s: %s)\n", self->floor_name, self->about_floor);
  g_print ("\n");
  for (guint h = 0; h < n_heads; h++)
    cell (heads[h].text, heads[h].width, h >= 2);
  g_print ("|\n");
  for (guint h = 0; h < n_heads; h++)
    rule (heads[h].width);
  g_print ("|\n");

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      guint h = 2;

      if (!row_shown (self, row))
        {
          g_string_append_printf (hidden, "%s%s (", hidden->len > 0 ? "; " : "", row->what);
          for (guint k = 0; k < n; k++)
            {
              g_autofree char *label = sd_bench_size_label (g_array_index (self->sizes, guint, k));
              if (!isnan (row->ours[k]) && !isnan (row->floor[k]) && row->floor[k] > 0)
                g_string_append_printf (hidden, "%s%.1fx at %s", k > 0 ? ", " : "", row->ours[k] / row->floor[k],
                                        label);
            }
          g_string_append (hidden, ")");
          continue;
        }
      cell (row->what, heads[0].width, FALSE);
      cell (row->stat, heads[1].width, FALSE);
      for (guint k = 0; k < n; k++)
        {
          value_cell (self, row->ours[k], heads[h++].width);
          if (floors)
            {
              value_cell (self, row->floor[k], heads[h++].width);
              ratio_cell (row->ours[k], row->floor[k], heads[h++].width);
            }
        }
      if (growth)
        {
          ratio_cell (row->ours[last], row->ours[0], heads[h++].width);
          if (floors)
            ratio_cell (row->floor[last], row->floor[0], heads[h++].width);
        }
      g_print ("|\n");
    }
  if (hidden->len > 0)
    g_print ("\nNot in the table, %s under %.0fx %s at every size: %s.\n", self->ours_name, self->min_ratio,
             self->floor_name, hidden->str);
  for (guint i = 0; i < self->notes->len; i++)
    g_print ("%s\n", (const char *) g_ptr_array_index (self->notes, i));
  g_print ("\n");
  for (guint h = 0; h < n_heads; h++)
    g_free (heads[h].text);
}

void
sd_bench_table_free (SdBenchTable *self)
{
  g_free (self->title);
  g_free (self->ours_name);
  g_free (self->floor_name);
  g_free (self->about_floor);
  g_array_unref (self->sizes);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->notes);
  g_free (self);
}
