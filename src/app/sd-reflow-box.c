/* sd-reflow-box.c: children side by side when every one can have its
 * minimum width, otherwise stacked, each child then given the full width.
 *
 * The choice is made from the width alone, so the box answers height for
 * width honestly and never changes its mind inside an allocation: no
 * resize is queued while the window is being laid out.  A child that
 * does not fill (halign) keeps its natural width, as in any GTK box.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-reflow-box.h"

struct _SdReflowBox
{
  GtkWidget parent_instance;
  int       spacing;
  gboolean  stacked;  /* as last allocated */
};

enum { PROP_0, PROP_SPACING, PROP_STACKED, N_PROPS };
static GParamSpec *props[N_PROPS];

static void sd_reflow_box_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SdReflowBox, sd_reflow_box, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, sd_reflow_box_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

static guint
visible_children (SdReflowBox *self)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    n += gtk_widget_should_layout (c);
  return n;
}

static int
row_minimum (SdReflowBox *self)
{
  int total = 0;
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    {
      int min;

      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      total += min;
      n++;
    }
  return total + (n > 1 ? (int) (n - 1) * self->spacing : 0);
}

/* Shares TOTAL along ORIENTATION among the children as a GtkBox would:
 * each its minimum, then towards their natural sizes, then what is left
 * to those that expand.  FOR_SIZE is the other dimension, or -1. */
static void
share_out (SdReflowBox    *self,
           GtkOrientation  orientation,
           int             total,
           int             for_size,
           int            *out,
           guint           n)
{
  g_autofree GtkRequestedSize *sizes = g_new0 (GtkRequestedSize, n);
  int left = total - (n > 1 ? (int) (n - 1) * self->spacing : 0);
  guint i = 0, expanding = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_measure (c, orientation, for_size, &sizes[i].minimum_size, &sizes[i].natural_size, NULL, NULL);
      sizes[i].data = c;
      left -= sizes[i].minimum_size;
      expanding += gtk_widget_compute_expand (c, orientation);
      i++;
    }
  left = gtk_distribute_natural_allocation (MAX (left, 0), n, sizes);
  for (i = 0; i < n; i++)
    {
      out[i] = sizes[i].minimum_size;
      if (expanding > 0 && gtk_widget_compute_expand (sizes[i].data, orientation))
        out[i] += left / (int) expanding;
    }
}

static void
sd_reflow_box_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  SdReflowBox *self = SD_REFLOW_BOX (widget);
  guint n = visible_children (self);
  int gaps = n > 1 ? (int) (n - 1) * self->spacing : 0;
  gboolean stacked;
  g_autofree int *widths = NULL;
  guint i = 0;

  *minimum = *natural = 0;
  if (n == 0)
    return;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Stacked, the widest child's minimum is enough; side by side all
       * of them want their natural widths. */
      for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
        {
          int min, nat;

          if (!gtk_widget_should_layout (c))
            continue;
          gtk_widget_measure (c, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat;
        }
      *natural += gaps;
      *natural = MAX (*natural, row_minimum (self));
      return;
    }

  stacked = for_size >= 0 && for_size < row_minimum (self);
  if (!stacked && for_size >= 0)
    {
      widths = g_new (int, n);
      share_out (self, GTK_ORIENTATION_HORIZONTAL, for_size, -1, widths, n);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      int min, nat, child_width;

      if (!gtk_widget_should_layout (c))
        continue;
      child_width = stacked ? for_size : widths ? widths[i] : -1;
      gtk_widget_measure (c, orientation, child_width, &min, &nat, NULL, NULL);
      if (stacked)
        {
          *minimum += min;
          *natural += nat;
        }
      else
        {
          *minimum = MAX (*minimum, min);
          *natural = MAX (*natural, nat);
        }
      i++;
    }
  if (stacked)
    {
      *minimum += gaps;
      *natural += gaps;
    }
}

static GtkSizeRequestMode
sd_reflow_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
allocate_stacked (SdReflowBox *self,
                  int          width,
                  int          height,
                  guint        n)
{
  g_autofree int *heights = g_new (int, n);
  guint i = 0;
  int y = 0;

  share_out (self, GTK_ORIENTATION_VERTICAL, height, width, heights, n);
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self)); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_size_allocate (c, &(GtkAllocation) { 0, y, width, heights[i] }, -1);
      y += heights[i] + self->spacing;
      i++;
    }
}

static void
sd_reflow_box_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  SdReflowBox *self = SD_REFLOW_BOX (widget);
  guint n = visible_children (self);
  gboolean stacked = width < row_minimum (self);
  g_autofree int *widths = NULL;
  guint i = 0;
  int x = 0;

  if (stacked != self->stacked)
    {
      self->stacked = stacked;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STACKED]);
    }
  if (n == 0)
    return;
  if (stacked)
    {
      allocate_stacked (self, width, height, n);
      return;
    }
  widths = g_new (int, n);
  share_out (self, GTK_ORIENTATION_HORIZONTAL, width, -1, widths, n);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_should_layout (c))
        continue;
      gtk_widget_size_allocate (c, &(GtkAllocation) { x, 0, widths[i], height }, -1);
      x += widths[i] + self->spacing;
      i++;
    }
}

static void
sd_reflow_box_add_child (GtkBuildable *buildable,
                         GtkBuilder   *builder,
                         GObject      *child,
                         const char   *type)
{
  if (GTK_IS_WIDGET (child))
    gtk_widget_set_parent (GTK_WIDGET (child), GTK_WIDGET (buildable));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
sd_reflow_box_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = sd_reflow_box_add_child;
}

static void
sd_reflow_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_reflow_box_parent_class)->dispose (object);
}

static void
sd_reflow_box_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SdReflowBox *self = SD_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_STACKED:
      g_value_set_boolean (value, self->stacked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_reflow_box_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SdReflowBox *self = SD_REFLOW_BOX (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_reflow_box_class_init (SdReflowBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_reflow_box_dispose;
  object_class->get_property = sd_reflow_box_get_property;
  object_class->set_property = sd_reflow_box_set_property;
  widget_class->measure = sd_reflow_box_measure;
  widget_class->size_allocate = sd_reflow_box_size_allocate;
  widget_class->get_request_mode = sd_reflow_box_get_request_mode;

  props[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0,
                                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_STACKED] = g_param_spec_boolean ("stacked", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  gtk_widget_class_set_css_name (widget_class, "reflowbox");
}

static void
sd_reflow_box_init (SdReflowBox *self)
{
}

GtkWidget *
sd_reflow_box_new (int spacing)
{
  return g_object_new (SD_TYPE_REFLOW_BOX, "spacing", spacing, NULL);
}

gboolean
sd_reflow_box_get_stacked (SdReflowBox *self)
{
  g_return_val_if_fail (SD_IS_REFLOW_BOX (self), FALSE);

  return self->stacked;
}
