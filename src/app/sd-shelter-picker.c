/* sd-shelter-picker.c: choosing the shelter a desk works for.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A drop-down of the site's shelters, code and name, open ones marked.
 * Each desk has its own, so choosing a shelter on one desk never moves
 * another (sd-window.c starts them all at the kiosk's shelter at
 * sign-in); the list is re-read when the store says shelters changed,
 * keeping the choice.
 */
#include "sd-shelter-picker.h"

#include <glib/gi18n.h>

struct _SdShelterPicker
{
  GtkWidget    parent_instance;

  GtkDropDown *dropdown;
  GtkStringList *labels;
  GListModel  *shelters;   /* of SdShelter, in the order of LABELS */
  SdStore     *store;
  char        *shelter_id;
  gboolean     updating;
};

G_DEFINE_FINAL_TYPE (SdShelterPicker, sd_shelter_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SHELTER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
select_current (SdShelterPicker *self)
{
  guint n = self->shelters ? g_list_model_get_n_items (self->shelters) : 0;

  self->updating = TRUE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (self->shelters, i);

      if (g_strcmp0 (sd_shelter_get_id (s), self->shelter_id) == 0)
        {
          gtk_drop_down_set_selected (self->dropdown, i);
          self->updating = FALSE;
          return;
        }
    }
  self->updating = FALSE;

  /* Nothing chosen yet (or it is gone): the first open shelter. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (self->shelters, i);

      if (sd_shelter_get_is_open (s) || i == n - 1)
        {
          sd_shelter_picker_set_shelter_id (self, sd_shelter_get_id (s));
          return;
        }
    }
}

static void
refresh (SdShelterPicker *self)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint n;

  g_clear_object (&self->shelters);
  if (self->store != NULL)
    self->shelters = sd_store_list_shelters (self->store, NULL);
  n = self->shelters ? g_list_model_get_n_items (self->shelters) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (self->shelters, i);

      g_ptr_array_add (texts, sd_shelter_get_is_open (s)
                       ? g_strdup_printf ("%s %s", sd_shelter_get_code (s), sd_shelter_get_name (s))
                       /* Translators: a shelter that is not open, in the shelter list */
                       : g_strdup_printf (_("%s %s (closed)"), sd_shelter_get_code (s), sd_shelter_get_name (s)));
    }
  g_ptr_array_add (texts, NULL);

  self->updating = TRUE;
  gtk_string_list_splice (self->labels, 0, g_list_model_get_n_items (G_LIST_MODEL (self->labels)),
                          (const char *const *) texts->pdata);
  self->updating = FALSE;
  select_current (self);
}

static void
selected_cb (SdShelterPicker *self)
{
  guint i = gtk_drop_down_get_selected (self->dropdown);
  g_autoptr(SdShelter) s = NULL;

  if (self->updating || self->shelters == NULL || i >= g_list_model_get_n_items (self->shelters))
    return;
  s = g_list_model_get_item (self->shelters, i);
  sd_shelter_picker_set_shelter_id (self, sd_shelter_get_id (s));
}

static void
store_changed_cb (SdShelterPicker *self)
{
  refresh (self);
}

static void
sd_shelter_picker_dispose (GObject *object)
{
  SdShelterPicker *self = SD_SHELTER_PICKER (object);

  sd_shelter_picker_set_store (self, NULL);
  g_clear_pointer ((GtkWidget **) &self->dropdown, gtk_widget_unparent);
  g_clear_object (&self->shelters);

  G_OBJECT_CLASS (sd_shelter_picker_parent_class)->dispose (object);
}

static void
sd_shelter_picker_finalize (GObject *object)
{
  g_free (SD_SHELTER_PICKER (object)->shelter_id);

  G_OBJECT_CLASS (sd_shelter_picker_parent_class)->finalize (object);
}

static void
sd_shelter_picker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHELTER_ID: g_value_set_string (value, SD_SHELTER_PICKER (object)->shelter_id); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_shelter_picker_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHELTER_ID: sd_shelter_picker_set_shelter_id (SD_SHELTER_PICKER (object), g_value_get_string (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_shelter_picker_class_init (SdShelterPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_shelter_picker_dispose;
  object_class->finalize = sd_shelter_picker_finalize;
  object_class->get_property = sd_shelter_picker_get_property;
  object_class->set_property = sd_shelter_picker_set_property;

  properties[PROP_SHELTER_ID] =
    g_param_spec_string ("shelter-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
setup_label_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  ellipsize)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), GPOINTER_TO_INT (ellipsize));
  gtk_list_item_set_child (item, label);
}

static void
bind_label_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static GtkListItemFactory *
label_factory (PangoEllipsizeMode ellipsize)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_label_cb), GINT_TO_POINTER (ellipsize));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_label_cb), NULL);
  return factory;
}

static void
sd_shelter_picker_init (SdShelterPicker *self)
{
  g_autoptr(GtkListItemFactory) shown = label_factory (PANGO_ELLIPSIZE_END);
  g_autoptr(GtkListItemFactory) listed = label_factory (PANGO_ELLIPSIZE_NONE);

  self->labels = gtk_string_list_new (NULL);
  self->dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->labels), NULL));
  /* On a narrow desk the chosen shelter's name is shortened with "…"
   * (the code comes first and stays); the open list shows them whole. */
  gtk_drop_down_set_factory (self->dropdown, shown);
  gtk_drop_down_set_list_factory (self->dropdown, listed);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Shelter"), -1);
  gtk_widget_set_parent (GTK_WIDGET (self->dropdown), GTK_WIDGET (self));
  g_signal_connect_swapped (self->dropdown, "notify::selected", G_CALLBACK (selected_cb), self);
}

void
sd_shelter_picker_set_store (SdShelterPicker *self,
                             SdStore         *store)
{
  g_return_if_fail (SD_IS_SHELTER_PICKER (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed::shelters", G_CALLBACK (store_changed_cb), self);
  refresh (self);
}

const char *
sd_shelter_picker_get_shelter_id (SdShelterPicker *self)
{
  g_return_val_if_fail (SD_IS_SHELTER_PICKER (self), NULL);
  return self->shelter_id;
}

void
sd_shelter_picker_set_shelter_id (SdShelterPicker *self,
                                  const char      *shelter_id)
{
  g_return_if_fail (SD_IS_SHELTER_PICKER (self));

  if (g_strcmp0 (self->shelter_id, shelter_id) == 0)
    return;
  g_free (self->shelter_id);
  self->shelter_id = g_strdup (shelter_id);
  select_current (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHELTER_ID]);
}

/* Returns: (transfer full) (nullable): the chosen shelter as listed now. */
SdShelter *
sd_shelter_picker_get_shelter (SdShelterPicker *self)
{
  guint n;

  g_return_val_if_fail (SD_IS_SHELTER_PICKER (self), NULL);

  n = self->shelters ? g_list_model_get_n_items (self->shelters) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (self->shelters, i);

      if (g_strcmp0 (sd_shelter_get_id (s), self->shelter_id) == 0)
        return g_steal_pointer (&s);
    }
  return NULL;
}
