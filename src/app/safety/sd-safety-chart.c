/* sd-safety-chart.c: the staff safety totals drawn as charts: bars, the cumulative line, departments.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with cairo in the widget, so HQ sees the proportions at a glance
 * and the numbers beside them; the same numbers in sentences are the
 * chart's accessible description, for a screen reader.  Colours keep
 * their meaning across charts (green: unhurt, can come soon; amber:
 * minor, later; red: serious; grey: no answer) and each segment is
 * also labelled, so colour is never the only cue.
 */
#include "sd-safety-chart.h"

#include <glib/gi18n.h>

typedef struct {
  char           *name;
  SdSafetyTotals  totals;
} Department;

struct _SdSafetyChart
{
  GtkWidget          parent_instance;

  SdSafetyChartKind  kind;
  gboolean           has_data;
  SdSafetyTotals     totals;        /* the selection */
  GArray            *departments;   /* Department */
  char              *summary;
};

G_DEFINE_FINAL_TYPE (SdSafetyChart, sd_safety_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct { double r, g, b; } Colour;

static const Colour grey = { 0.75, 0.75, 0.75 };
static const Colour green = { 0.18, 0.55, 0.34 };
static const Colour amber = { 0.90, 0.60, 0.10 };
static const Colour red = { 0.80, 0.15, 0.15 };
static const Colour blue = { 0.16, 0.40, 0.75 };
/* Time to arrive, soonest darkest. */
static const Colour bands[SD_N_ARRIVAL] = {
  { 0.75, 0.75, 0.75 }, { 0.05, 0.35, 0.20 }, { 0.18, 0.55, 0.34 }, { 0.45, 0.72, 0.45 },
  { 0.70, 0.85, 0.60 }, { 0.88, 0.93, 0.80 } };

#define ROW 34.0
#define LABEL_WIDTH 150.0
#define PAD 8.0

static void
department_clear (Department *d)
{
  g_free (d->name);
}

GtkWidget *
sd_safety_chart_new (SdSafetyChartKind kind)
{
  return g_object_new (SD_TYPE_SAFETY_CHART, "kind", kind, NULL);
}

/* ---- drawing helpers ---- */

static void
set_colour (cairo_t      *cr,
            const Colour *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static PangoLayout *
layout_for (SdSafetyChart *self,
            const char    *text,
            gboolean       bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

/* TEXT with its left edge at X (right edge when RIGHT), centred on Y. */
static void
draw_text (SdSafetyChart *self,
           cairo_t       *cr,
           const char    *text,
           double         x,
           double         y,
           double         max_width,
           gboolean       right,
           gboolean       bold,
           const Colour  *colour)
{
  g_autoptr(PangoLayout) layout = layout_for (self, text, bold);
  int w, h;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  set_colour (cr, colour);
  cairo_move_to (cr, right ? x - w : x, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static const Colour *
text_colour (SdSafetyChart *self)
{
  static Colour c;
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  c = (Colour) { fg.red, fg.green, fg.blue };
  return &c;
}

/* One stacked bar: N segments of VALUES out of TOTAL, each labelled with
 * its count where it fits. */
static void
stacked_bar (SdSafetyChart      *self,
             cairo_t            *cr,
             const char         *label,
             double              y,
             double              width,
             guint               total,
             const guint        *values,
             const Colour *const *colours,
             guint               n)
{
  double x = LABEL_WIDTH, bar = width - LABEL_WIDTH - PAD;
  const Colour white = { 1, 1, 1 };

  draw_text (self, cr, label, 0, y + ROW / 2, LABEL_WIDTH - PAD, FALSE, FALSE, text_colour (self));
  if (total == 0 || bar <= 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      double w = bar * values[i] / total;

      if (values[i] == 0)
        continue;
      set_colour (cr, colours[i]);
      cairo_rectangle (cr, x, y + 4, w, ROW - 8);
      cairo_fill (cr);
      if (w > 28)
        {
          g_autofree char *n_text = g_strdup_printf ("%u", values[i]);

          draw_text (self, cr, n_text, x + 4, y + ROW / 2, w - 6, FALSE, TRUE,
                     colours[i] == &grey || colours[i]->g > 0.8 ? text_colour (self) : &white);
        }
      x += w;
    }
}

/* What the colours mean, from X across the first row, in small type,
 * wrapped onto a second line when the chart is narrow. */
static void
draw_legend (SdSafetyChart        *self,
             cairo_t              *cr,
             double                start,
             const Colour *const  *colours,
             const char *const    *labels,
             guint                 n,
             double                width)
{
  double x = start, y = 8;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) layout = layout_for (self, labels[i], FALSE);
      PangoAttrList *attrs = pango_attr_list_new ();
      int w, h;

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (x > start && x + 16 + w > width)
        {
          x = start;
          y += 17;
        }
      set_colour (cr, colours[i]);
      cairo_rectangle (cr, x, y - 5, 10, 10);
      cairo_fill (cr);
      set_colour (cr, text_colour (self));
      cairo_move_to (cr, x + 14, y - h / 2.0);
      pango_cairo_show_layout (cr, layout);
      x += 14 + w + 12;
    }
}

static void
draw_totals (SdSafetyChart *self,
             cairo_t       *cr,
             double         width)
{
  const SdSafetyTotals *t = &self->totals;
  guint answered[] = { t->answered, t->roster - t->answered };
  const Colour *answered_colours[] = { &blue, &grey };
  guint safety[] = { t->by_safety[SD_SAFETY_UNHURT], t->by_safety[SD_SAFETY_MINOR],
                     t->by_safety[SD_SAFETY_SERIOUS], t->roster - t->answered };
  const Colour *safety_colours[] = { &green, &amber, &red, &grey };
  guint report[] = { t->can_report, t->cannot_report, t->roster - t->answered };
  const Colour *report_colours[] = { &green, &red, &grey };

  const Colour *legend_colours[] = { &blue, &green, &amber, &red, &grey };
  const char *legend[] = { _("Answered"), _("Unhurt, can report"), _("Minor injury"),
                           _("Serious injury, cannot report"), _("No answer") };

  draw_legend (self, cr, 0, legend_colours, legend, G_N_ELEMENTS (legend), width);
  cairo_translate (cr, 0, ROW);
  stacked_bar (self, cr, _("Answered"), 0, width, t->roster, answered, answered_colours, 2);
  stacked_bar (self, cr, _("Safety"), ROW, width, t->roster, safety, safety_colours, 4);
  stacked_bar (self, cr, _("Can report"), 2 * ROW, width, t->roster, report, report_colours, 3);
}

/* The cumulative line: x the four bands, y how many can be at their
 * post by then, out of the roster. */
static void
draw_cumulative (SdSafetyChart *self,
                 cairo_t       *cr,
                 double         width,
                 double         height)
{
  const char *marks[] = { _("30 min"), _("1 h"), _("2 h"), _("3 h") };
  double left = 48, bottom = height - 24, top = 12, right = width - 16;
  guint top_value = MAX (1, self->totals.roster);
  const Colour *fg = text_colour (self);

  /* Axes and the roster's line. */
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, fg->r, fg->g, fg->b, 0.4);
  cairo_move_to (cr, left, top);
  cairo_line_to (cr, left, bottom);
  cairo_line_to (cr, right, bottom);
  cairo_stroke (cr);
  {
    g_autofree char *roster = g_strdup_printf ("%u", self->totals.roster);

    draw_text (self, cr, roster, left - 6, top, 0, TRUE, FALSE, fg);
    draw_text (self, cr, "0", left - 6, bottom, 0, TRUE, FALSE, fg);
  }
  cairo_set_dash (cr, (double[]) { 4, 4 }, 2, 0);
  cairo_move_to (cr, left, top);
  cairo_line_to (cr, right, top);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  set_colour (cr, &green);
  cairo_set_line_width (cr, 3);
  for (guint b = 0; b < G_N_ELEMENTS (marks); b++)
    {
      guint n = sd_safety_totals_within (&self->totals, SD_ARRIVAL_WITHIN_30M + b);
      double x = left + (right - left) * (b + 0.5) / G_N_ELEMENTS (marks);
      double y = bottom - (bottom - top) * n / top_value;

      if (b == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
    }
  cairo_stroke (cr);
  for (guint b = 0; b < G_N_ELEMENTS (marks); b++)
    {
      guint n = sd_safety_totals_within (&self->totals, SD_ARRIVAL_WITHIN_30M + b);
      double x = left + (right - left) * (b + 0.5) / G_N_ELEMENTS (marks);
      double y = bottom - (bottom - top) * n / top_value;
      g_autofree char *n_text = g_strdup_printf ("%u", n);

      set_colour (cr, &green);
      cairo_arc (cr, x, y, 5, 0, 2 * G_PI);
      cairo_fill (cr);
      draw_text (self, cr, n_text, x + 8, y - 10, 0, FALSE, TRUE, fg);
      draw_text (self, cr, marks[b], x - 16, bottom + 12, 0, FALSE, FALSE, fg);
    }
}

static void
draw_departments (SdSafetyChart *self,
                  cairo_t       *cr,
                  double         width)
{
  const Colour *colours[SD_N_ARRIVAL + 1];
  const char *labels[SD_N_ARRIVAL + 1];

  for (guint b = 0; b + 1 < SD_N_ARRIVAL; b++)
    {
      colours[b] = &bands[b + 1];
      labels[b] = sd_arrival_label (b + 1);
    }
  colours[SD_N_ARRIVAL - 1] = &red;
  labels[SD_N_ARRIVAL - 1] = _("Cannot report");
  colours[SD_N_ARRIVAL] = &grey;
  labels[SD_N_ARRIVAL] = _("No answer");
  draw_legend (self, cr, LABEL_WIDTH, colours, labels, SD_N_ARRIVAL + 1, width);
  cairo_translate (cr, 0, ROW);
  for (guint i = 0; i < self->departments->len; i++)
    {
      const Department *d = &g_array_index (self->departments, Department, i);
      guint values[SD_N_ARRIVAL + 1] = { 0 };

      /* Soonest first, then who cannot come, then who has not answered. */
      for (guint b = SD_ARRIVAL_WITHIN_30M; b < SD_N_ARRIVAL; b++)
        values[b - 1] = d->totals.by_arrival[b];
      values[SD_N_ARRIVAL - 1] = d->totals.cannot_report;
      values[SD_N_ARRIVAL] = d->totals.roster - d->totals.answered;
      stacked_bar (self, cr, *d->name != '\0' ? d->name : _("(no department)"), i * ROW, width,
                   d->totals.roster, values, colours, SD_N_ARRIVAL + 1);
    }
}

static void
sd_safety_chart_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  SdSafetyChart *self = SD_SAFETY_CHART (widget);
  double width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (!self->has_data || width <= 0 || height <= 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  switch (self->kind)
    {
    case SD_SAFETY_CHART_TOTALS: draw_totals (self, cr, width); break;
    case SD_SAFETY_CHART_CUMULATIVE: draw_cumulative (self, cr, width, height); break;
    case SD_SAFETY_CHART_DEPARTMENTS: draw_departments (self, cr, width); break;
    }
  cairo_destroy (cr);
}

static void
sd_safety_chart_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  SdSafetyChart *self = SD_SAFETY_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 420;
      return;
    }
  switch (self->kind)
    {
    case SD_SAFETY_CHART_TOTALS: *minimum = *natural = 4 * ROW; break;
    case SD_SAFETY_CHART_CUMULATIVE: *minimum = *natural = 3 * ROW + 30; break;
    case SD_SAFETY_CHART_DEPARTMENTS: *minimum = *natural = (1 + self->departments->len) * ROW; break;
    }
}

/* ---- data ---- */

static char *
summarize (SdSafetyChart *self)
{
  const SdSafetyTotals *t = &self->totals;

  if (!self->has_data)
    return g_strdup ("");
  switch (self->kind)
    {
    case SD_SAFETY_CHART_TOTALS:
      return g_strdup_printf (_("%u of %u answered. Unhurt %u, minor injury %u, serious injury %u. "
                                "Can report %u, cannot %u."), t->answered, t->roster,
                              t->by_safety[SD_SAFETY_UNHURT], t->by_safety[SD_SAFETY_MINOR],
                              t->by_safety[SD_SAFETY_SERIOUS], t->can_report, t->cannot_report);
    case SD_SAFETY_CHART_CUMULATIVE:
      return g_strdup_printf (_("At their post within 30 minutes %u, 1 hour %u, 2 hours %u, 3 hours %u, of %u."),
                              sd_safety_totals_within (t, SD_ARRIVAL_WITHIN_30M),
                              sd_safety_totals_within (t, SD_ARRIVAL_WITHIN_1H),
                              sd_safety_totals_within (t, SD_ARRIVAL_WITHIN_2H),
                              sd_safety_totals_within (t, SD_ARRIVAL_WITHIN_3H), t->roster);
    case SD_SAFETY_CHART_DEPARTMENTS:
      {
        GString *text = g_string_new (NULL);

        for (guint i = 0; i < self->departments->len; i++)
          {
            const Department *d = &g_array_index (self->departments, Department, i);

            g_string_append_printf (text, _("%s: %u of %u within an hour. "), d->name,
                                    sd_safety_totals_within (&d->totals, SD_ARRIVAL_WITHIN_1H), d->totals.roster);
          }
        return g_string_free (text, FALSE);
      }
    }
  return g_strdup ("");
}

void
sd_safety_chart_set_count (SdSafetyChart *self,
                           SdSafetyCount *count,
                           const char    *department,
                           const char    *section)
{
  g_return_if_fail (SD_IS_SAFETY_CHART (self));

  g_array_set_size (self->departments, 0);
  self->has_data = count != NULL;
  memset (&self->totals, 0, sizeof self->totals);
  if (count != NULL)
    {
      const char *const *names = sd_safety_count_departments (count);

      sd_safety_count_totals (count, department, section, &self->totals);
      for (guint i = 0; names[i] != NULL; i++)
        {
          Department d = { g_strdup (names[i]) };

          if (department != NULL && g_strcmp0 (department, names[i]) != 0)
            {
              g_free (d.name);
              continue;
            }
          sd_safety_count_totals (count, names[i], section, &d.totals);
          g_array_append_val (self->departments, d);
        }
    }
  g_free (self->summary);
  self->summary = summarize (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const char *
sd_safety_chart_get_summary (SdSafetyChart *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_CHART (self), NULL);
  return self->summary != NULL ? self->summary : "";
}

static void
sd_safety_chart_finalize (GObject *object)
{
  SdSafetyChart *self = SD_SAFETY_CHART (object);

  g_array_unref (self->departments);
  g_free (self->summary);
  G_OBJECT_CLASS (sd_safety_chart_parent_class)->finalize (object);
}

static void
sd_safety_chart_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_KIND: g_value_set_int (value, SD_SAFETY_CHART (object)->kind); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_safety_chart_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_KIND: SD_SAFETY_CHART (object)->kind = g_value_get_int (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_safety_chart_class_init (SdSafetyChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = sd_safety_chart_finalize;
  object_class->get_property = sd_safety_chart_get_property;
  object_class->set_property = sd_safety_chart_set_property;
  /* SdSafetyChartKind; an int so that a template can set it. */
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, SD_SAFETY_CHART_TOTALS, SD_SAFETY_CHART_DEPARTMENTS,
                                            SD_SAFETY_CHART_TOTALS,
                                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->snapshot = sd_safety_chart_snapshot;
  widget_class->measure = sd_safety_chart_measure;
  gtk_widget_class_set_css_name (widget_class, "safetychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
sd_safety_chart_init (SdSafetyChart *self)
{
  self->departments = g_array_new (FALSE, TRUE, sizeof (Department));
  g_array_set_clear_func (self->departments, (GDestroyNotify) department_clear);
}
