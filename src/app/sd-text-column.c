/* sd-text-column.c: a column of one line of text in a GtkColumnView.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-text-column.h"

#include "sd-accessible.h"

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  SdCellText text = g_object_get_data (G_OBJECT (factory), "text");
  g_autofree char *value = text (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), value != NULL ? value : "");
  sd_accessible_name_row (gtk_list_item_get_child (item));
}

static void
bind_property_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  const char *property = g_object_get_data (G_OBJECT (factory), "property");
  GtkWidget *label = gtk_list_item_get_child (item);
  GBinding *binding = g_object_bind_property (gtk_list_item_get_item (item), property, label, "label",
                                              G_BINDING_SYNC_CREATE);

  /* A reference of our own: unbind_property_cb () may come after the
   * binding went with its source. */
  g_object_set_data_full (G_OBJECT (label), "binding", g_object_ref (binding), g_object_unref);
  sd_accessible_name_row (label);
}

static void
unbind_property_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  GBinding *binding = g_object_get_data (G_OBJECT (label), "binding");

  if (binding != NULL)
    g_binding_unbind (binding);
  g_object_set_data (G_OBJECT (label), "binding", NULL);
}

static void
append_column (GtkColumnView      *view,
               const char         *title,
               GtkListItemFactory *factory,  /* taken */
               GtkSorter          *sorter,   /* taken */
               int                 width)
{
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, width == 0);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (column, width);
  if (sorter != NULL)
    {
      gtk_column_view_column_set_sorter (column, sorter);
      g_object_unref (sorter);
    }
  gtk_column_view_append_column (view, column);
}

void
sd_column_view_add_text (GtkColumnView *view,
                         const char    *title,
                         SdCellText     text,
                         GtkSorter     *sorter,
                         int            width)
{
  GtkListItemFactory *factory;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (text != NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_object_set_data (G_OBJECT (factory), "text", text);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), NULL);
  append_column (view, title, factory, sorter, width);
}

void
sd_column_view_add_property (GtkColumnView *view,
                             const char    *title,
                             const char    *property,
                             int            width)
{
  GtkListItemFactory *factory;

  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (property != NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_object_set_data_full (G_OBJECT (factory), "property", g_strdup (property), g_free);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_property_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_property_cb), NULL);
  append_column (view, title, factory, NULL, width);
}
