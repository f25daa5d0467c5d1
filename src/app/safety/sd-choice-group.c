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

      /* Six choices side by side still fit a 1024-pixel kiosk in
       * English: a label wraps before the row grows past the screen. */
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

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "choicegroup");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_choice_group_init (SdChoiceGroup *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->buttons = g_ptr_array_new ();
  self->selected = -1;
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
  gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), TRUE);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
