/* sd-choice-group.c: one question answered by one of a few big buttons, chosen by touch, click or a digit key.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The answer form asks six such questions, and a member of staff
 * answering at night by keyboard must get through them in a dozen keys:
 * with the focus in a group, the digit N chooses its N-th button, and
 * any choice made with the keyboard (a digit, Space or Enter on a button)
 * moves the focus on to the next thing in the form, as a person filling a
 * paper form moves on to the next line.  A choice by touch leaves the
 * focus alone.  The buttons are toggle buttons in one group, so a screen
 * reader says which one is pressed; "chosen" is emitted on every change
 * of "selected".
 *
 * The buttons share one row while they fit; on a narrow screen, or in a
 * language with long words, they fold into two balanced rows of equal
 * cells rather than push the form past the screen's edge.
 */
#include "sd-choice-group.h"

struct _SdChoiceGroup
{
  GtkWidget  parent_instance;

  GPtrArray *buttons;   /* GtkToggleButton, owned by the widget tree */
  int        selected;
  gboolean   by_key;    /* the toggle now under way came from the keyboard */
  gboolean   syncing;
};

G_DEFINE_FINAL_TYPE (SdChoiceGroup, sd_choice_group, GTK_TYPE_WIDGET)

#define SPACING 6

enum {
  PROP_0,
  PROP_SELECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWidget *
sd_choice_group_new (void)
{
  return g_object_new (SD_TYPE_CHOICE_GROUP, NULL);
}

static void
move_on (SdChoiceGroup *self)
{
  GtkWidget *button = g_ptr_array_index (self->buttons, self->selected);

  /* Out of the group: forward from its last button. */
  gtk_widget_grab_focus (g_ptr_array_index (self->buttons, self->buttons->len - 1));
  if (!gtk_widget_child_focus (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self))), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (button);
}

static void
toggled_cb (GtkToggleButton *button,
            SdChoiceGroup   *self)
{
  guint index;

  if (self->syncing || !gtk_toggle_button_get_active (button) ||
      !g_ptr_array_find (self->buttons, button, &index))
    return;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
  if (self->by_key)
    move_on (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SdChoiceGroup         *self)
{
  guint digit = gdk_keyval_to_unicode (keyval);
  gboolean handled = FALSE;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  self->by_key = TRUE;
  if (digit >= '1' && digit <= '9' && digit - '1' < self->buttons->len)
    {
      GtkWidget *button = g_ptr_array_index (self->buttons, digit - '1');

      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
        move_on (self);  /* chosen already: a digit still moves on */
      else
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      handled = TRUE;
    }
  else if (keyval == GDK_KEY_space || keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter)
    {
      GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));
      guint index;

      if (focus != NULL && g_ptr_array_find (self->buttons, focus, &index))
        {
          if ((int) index == self->selected)
            move_on (self);
          else
            gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (focus), TRUE);
          handled = TRUE;
        }
    }
  self->by_key = FALSE;
  return handled;
}

void
sd_choice_group_set_choices (SdChoiceGroup      *self,
                             const char *const  *labels)
{
  GtkWidget *child;

  g_return_if_fail (SD_IS_CHOICE_GROUP (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->buttons, 0);
  self->selected = -1;
  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (labels[i]);

      /* A long label wraps before the group has to fold. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 14);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, labels[i], -1);

      gtk_widget_set_hexpand (button, TRUE);
      gtk_widget_add_css_class (button, "choice");
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), g_ptr_array_index (self->buttons, 0));
      g_signal_connect (button, "toggled", G_CALLBACK (toggled_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
      g_ptr_array_add (self->buttons, button);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

int
sd_choice_group_get_selected (SdChoiceGroup *self)
{
  g_return_val_if_fail (SD_IS_CHOICE_GROUP (self), -1);
  return self->selected;
}

void
sd_choice_group_set_selected (SdChoiceGroup *self,
                              int            index)
{
  g_return_if_fail (SD_IS_CHOICE_GROUP (self));

  if (index >= (int) self->buttons->len)
    index = -1;
  if (index == self->selected)
    return;
  self->syncing = TRUE;
  for (guint i = 0; i < self->buttons->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->buttons, i), (int) i == index);
  self->syncing = FALSE;
  self->selected = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

GtkWidget *
sd_choice_group_get_button (SdChoiceGroup *self,
                            guint          index)
{
  g_return_val_if_fail (SD_IS_CHOICE_GROUP (self), NULL);
  return index < self->buttons->len ? g_ptr_array_index (self->buttons, index) : NULL;
}

/* The widest of the buttons' minimum or natural widths. */
static int
cell_width (SdChoiceGroup *self,
            gboolean       natural)
{
  int widest = 0;

  for (guint i = 0; i < self->buttons->len; i++)
    {
      int minimum = 0, preferred = 0;

      gtk_widget_measure (g_ptr_array_index (self->buttons, i), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                          &preferred, NULL, NULL);
      widest = MAX (widest, natural ? preferred : minimum);
    }
  return widest;
}

/* The fewest columns the group folds to: at most two rows. */
static guint
fewest_columns (SdChoiceGroup *self)
{
  guint n = self->buttons->len;

  return n > 3 ? (n + 1) / 2 : MAX (n, 1);
}

static int
span (guint columns,
      int   cell)
{
  return columns * cell + (columns - 1) * SPACING;
}

/* One row if every label fits on it whole, else two balanced rows. */
static guint
columns_for (SdChoiceGroup *self,
             int            width)
{
  guint n = MAX (self->buttons->len, 1);

  if (width < 0 || span (n, cell_width (self, TRUE)) <= width)
    return n;
  return fewest_columns (self);
}

static void
sd_choice_group_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (widget);
  guint n = self->buttons->len;

  *minimum = *natural = 0;
  if (n == 0)
    return;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = span (fewest_columns (self), cell_width (self, FALSE));
      *natural = MAX (*minimum, span (n, cell_width (self, TRUE)));
    }
  else
    {
      guint columns = columns_for (self, for_size);
      guint rows = (n + columns - 1) / columns;
      int cell = for_size < 0 ? -1 : MAX ((for_size - (int) (columns - 1) * SPACING) / (int) columns, 0);
      int row_minimum = 0, row_natural = 0;

      for (guint i = 0; i < n; i++)
        {
          int child_minimum = 0, child_natural = 0;

          gtk_widget_measure (g_ptr_array_index (self->buttons, i), GTK_ORIENTATION_VERTICAL, cell,
                              &child_minimum, &child_natural, NULL, NULL);
          row_minimum = MAX (row_minimum, child_minimum);
          row_natural = MAX (row_natural, child_natural);
        }
      *minimum = span (rows, row_minimum);
      *natural = span (rows, row_natural);
    }
}

static void
sd_choice_group_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (widget);
  guint n = self->buttons->len;
  guint columns = columns_for (self, width);
  guint rows = n == 0 ? 1 : (n + columns - 1) / columns;
  int cell = MAX ((width - (int) (columns - 1) * SPACING) / (int) columns, 0);
  int row = MAX ((height - (int) (rows - 1) * SPACING) / (int) rows, 0);

  for (guint i = 0; i < n; i++)
    gtk_widget_size_allocate (g_ptr_array_index (self->buttons, i),
                              &(GtkAllocation) { (int) (i % columns) * (cell + SPACING),
                                                 (int) (i / columns) * (row + SPACING), cell, row }, -1);
}

static GtkSizeRequestMode
sd_choice_group_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
sd_choice_group_dispose (GObject *object)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_choice_group_parent_class)->dispose (object);
}

static void
sd_choice_group_finalize (GObject *object)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (object);

  g_ptr_array_unref (self->buttons);
  G_OBJECT_CLASS (sd_choice_group_parent_class)->finalize (object);
}

static void
sd_choice_group_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (object);

  switch (prop_id)
    {
    case PROP_SELECTED: g_value_set_int (value, self->selected); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_choice_group_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SdChoiceGroup *self = SD_CHOICE_GROUP (object);

  switch (prop_id)
    {
    case PROP_SELECTED: sd_choice_group_set_selected (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_choice_group_class_init (SdChoiceGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_choice_group_dispose;
  object_class->finalize = sd_choice_group_finalize;
  object_class->get_property = sd_choice_group_get_property;
  object_class->set_property = sd_choice_group_set_property;

  properties[PROP_SELECTED] =
    g_param_spec_int ("selected", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->measure = sd_choice_group_measure;
  widget_class->size_allocate = sd_choice_group_size_allocate;
  widget_class->get_request_mode = sd_choice_group_get_request_mode;
  gtk_widget_class_set_css_name (widget_class, "choicegroup");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_choice_group_init (SdChoiceGroup *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->buttons = g_ptr_array_new ();
  self->selected = -1;
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
