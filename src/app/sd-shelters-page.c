/* sd-shelters-page.c: the desk's home: every shelter, open or not, and how full.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list is the core's GListModel of SdShelter, re-read when the store
 * says shelters or check-in events changed.  Occupancy comes from events,
 * never typed; a shelter over capacity is marked, not blocked.
 */
#include "sd-shelters-page.h"

#include <glib/gi18n.h>

struct _SdSheltersPage
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkColumnView  *column_view;
  GtkLabel       *summary_label;

  /* Owned References */
  SdStore        *store;
  GListStore     *model;  /* of SdShelter, replaced in place on refresh */
};

G_DEFINE_FINAL_TYPE (SdSheltersPage, sd_shelters_page, GTK_TYPE_WIDGET)

typedef char *(*CellText) (SdShelter *shelter);

static char *
code_text (SdShelter *shelter)
{
  return g_strdup (sd_shelter_get_code (shelter));
}

static char *
name_text (SdShelter *shelter)
{
  return g_strdup (sd_shelter_get_name (shelter));
}

static char *
kind_text (SdShelter *shelter)
{
  return g_strdup (sd_shelter_kind_get_label (sd_shelter_get_kind (shelter)));
}

static char *
state_text (SdShelter *shelter)
{
  return g_strdup (sd_shelter_get_is_open (shelter) ? _("Open") : _("Closed"));
}

static char *
occupancy_text (SdShelter *shelter)
{
  int capacity = sd_shelter_get_capacity (shelter);
  guint occupancy = sd_shelter_get_occupancy (shelter);

  if (sd_shelter_get_over_capacity (shelter))
    /* Translators: people staying / capacity, over capacity */
    return g_strdup_printf (_("%u / %d — over capacity"), occupancy, capacity);
  if (capacity > 0)
    return g_strdup_printf (_("%u / %d"), occupancy, capacity);
  return g_strdup_printf ("%u", occupancy);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  CellText text_func = user_data;
  SdShelter *shelter = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = text_func (shelter);

  gtk_label_set_text (GTK_LABEL (label), text);
  if (sd_shelter_get_over_capacity (shelter) && text_func == occupancy_text)
    gtk_widget_add_css_class (label, "warning");
  else
    gtk_widget_remove_css_class (label, "warning");
}

static void
add_column (SdSheltersPage *self,
            const char     *title,
            CellText        text_func,
            gboolean        expand)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), text_func);
  column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_append_column (self->column_view, column);
}

static void
refresh (SdSheltersPage *self)
{
  g_autoptr(GListModel) shelters = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n, open = 0, people = 0;

  if (self->store == NULL)
    {
      g_list_store_remove_all (self->model);
      return;
    }

  shelters = sd_store_list_shelters (self->store, &error);
  if (shelters == NULL)
    {
      gtk_label_set_text (self->summary_label, error->message);
      return;
    }

  n = g_list_model_get_n_items (shelters);
  for (guint i = 0; i < n; i++)
    {
      SdShelter *shelter = g_list_model_get_item (shelters, i);

      open += sd_shelter_get_is_open (shelter);
      people += sd_shelter_get_occupancy (shelter);
      g_ptr_array_add (items, shelter);
    }
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       items->pdata, items->len);

  {
    g_autofree char *summary =
      g_strdup_printf (_("%u shelters, %u open, %u people staying"), n, open, people);
    gtk_label_set_text (self->summary_label, summary);
  }
}

static void
store_changed_cb (SdSheltersPage *self,
                  const char     *table)
{
  refresh (self);
}

static void
sd_shelters_page_dispose (GObject *object)
{
  GtkWidget *child;
  SdSheltersPage *self = SD_SHELTERS_PAGE (object);

  sd_shelters_page_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SHELTERS_PAGE);
  /* dispose_template() in GTK 4.8 unparents only the children it bound. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (sd_shelters_page_parent_class)->dispose (object);
}

static void
sd_shelters_page_class_init (SdSheltersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_shelters_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-shelters-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSheltersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, SdSheltersPage, summary_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_shelters_page_init (SdSheltersPage *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->model = g_list_store_new (SD_TYPE_SHELTER);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));

  add_column (self, _("Code"), code_text, FALSE);
  add_column (self, _("Shelter"), name_text, TRUE);
  add_column (self, _("Kind"), kind_text, FALSE);
  add_column (self, _("State"), state_text, FALSE);
  add_column (self, _("People / capacity"), occupancy_text, FALSE);
}

void
sd_shelters_page_set_store (SdSheltersPage *self,
                            SdStore        *store)
{
  g_return_if_fail (SD_IS_SHELTERS_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (store, "changed::shelters", G_CALLBACK (store_changed_cb), self);
      g_signal_connect_swapped (store, "changed::person_events", G_CALLBACK (store_changed_cb), self);
    }
  refresh (self);
}

GListModel *
sd_shelters_page_get_model (SdSheltersPage *self)
{
  g_return_val_if_fail (SD_IS_SHELTERS_PAGE (self), NULL);
  return G_LIST_MODEL (self->model);
}
