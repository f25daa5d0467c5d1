/* sd-pin-pad.c: a large on-screen numeric pad that types into a PIN entry.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Touch kiosks often have no keyboard, and a PIN typed on a system
 * on-screen keyboard shows every key to the queue behind.  The pad types
 * into a GtkPasswordEntry, so the same field also takes a real keyboard,
 * and the digits stay masked.  Its buttons are actions (pin-pad.digit,
 * pin-pad.backspace, pin-pad.clear), which is also how the tests press them.
 */
#include "sd-pin-pad.h"

#include <glib/gi18n.h>
#include <string.h>

struct _SdPinPad
{
  GtkWidget    parent_instance;

  /* Template Widgets */
  GtkWidget   *grid;

  /* Borrowed References */
  GtkEditable *entry;
};

G_DEFINE_FINAL_TYPE (SdPinPad, sd_pin_pad, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ENTRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
digit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdPinPad *self = SD_PIN_PAD (widget);
  const char *digit = g_variant_get_string (parameter, NULL);
  int position;

  if (self->entry == NULL || strlen (digit) != 1 || !g_ascii_isdigit (digit[0]))
    return;
  position = -1;
  gtk_editable_insert_text (self->entry, digit, 1, &position);
  gtk_editable_set_position (self->entry, -1);
}

static void
backspace_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdPinPad *self = SD_PIN_PAD (widget);
  int len;

  if (self->entry == NULL)
    return;
  len = g_utf8_strlen (gtk_editable_get_text (self->entry), -1);
  if (len > 0)
    gtk_editable_delete_text (self->entry, len - 1, len);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdPinPad *self = SD_PIN_PAD (widget);

  if (self->entry != NULL)
    gtk_editable_set_text (self->entry, "");
}

static void
sd_pin_pad_dispose (GObject *object)
{
  SdPinPad *self = SD_PIN_PAD (object);

  self->entry = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_PIN_PAD);

  G_OBJECT_CLASS (sd_pin_pad_parent_class)->dispose (object);
}

static void
sd_pin_pad_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SdPinPad *self = SD_PIN_PAD (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_pin_pad_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  SdPinPad *self = SD_PIN_PAD (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      sd_pin_pad_set_entry (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_pin_pad_class_init (SdPinPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_pin_pad_dispose;
  object_class->get_property = sd_pin_pad_get_property;
  object_class->set_property = sd_pin_pad_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, GTK_TYPE_EDITABLE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-pin-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, SdPinPad, grid);

  gtk_widget_class_install_action (widget_class, "pin-pad.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.backspace", NULL, backspace_action);
  gtk_widget_class_install_action (widget_class, "pin-pad.clear", NULL, clear_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "pinpad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_pin_pad_init (SdPinPad *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkEditable *
sd_pin_pad_get_entry (SdPinPad *self)
{
  g_return_val_if_fail (SD_IS_PIN_PAD (self), NULL);
  return self->entry;
}

void
sd_pin_pad_set_entry (SdPinPad    *self,
                      GtkEditable *entry)
{
  g_return_if_fail (SD_IS_PIN_PAD (self));
  g_return_if_fail (entry == NULL || GTK_IS_EDITABLE (entry));

  if (self->entry == entry)
    return;
  self->entry = entry;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}
