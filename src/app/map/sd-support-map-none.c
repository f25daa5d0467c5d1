/* sd-support-map-none.c: the support map's stand-in in a build without libshumate.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Windows build has no libshumate (Debian's mirror has lost its
 * sources, and the Windows dependencies are built from Debian's sources
 * only).  The support page keeps its Map view; this widget fills it with a
 * plain message that the map is not in this build and that the list has
 * everyone, so a volunteer who taps Map is never left with a blank.
 */
#include "sd-support-map.h"

#include <glib/gi18n-lib.h>

struct _SdSupportMap
{
  GtkWidget  parent_instance;

  GtkWidget *message;
  SdStore   *store;
};

G_DEFINE_FINAL_TYPE (SdSupportMap, sd_support_map, GTK_TYPE_WIDGET)

enum { PERSON_ACTIVATED, LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

GtkWidget *
sd_support_map_new (void)
{
  return g_object_new (SD_TYPE_SUPPORT_MAP, NULL);
}

void
sd_support_map_set_store (SdSupportMap *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));
  g_set_object (&self->store, store);
}

static gboolean
loaded_cb (gpointer user_data)
{
  g_signal_emit (user_data, signals[LOADED], 0);
  return G_SOURCE_REMOVE;
}

void
sd_support_map_reload (SdSupportMap *self)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));
  /* As the real map does: "loaded" after the caller has returned. */
  g_idle_add_full (G_PRIORITY_DEFAULT, loaded_cb, g_object_ref (self), g_object_unref);
}

void
sd_support_map_set_shown (SdSupportMap *self,
                          GHashTable   *shown)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));
}

void
sd_support_map_show_whole (SdSupportMap *self)
{
  g_return_if_fail (SD_IS_SUPPORT_MAP (self));
}

gboolean
sd_support_map_activate_at (SdSupportMap *self,
                            double        x,
                            double        y)
{
  return FALSE;
}

gboolean
sd_support_map_activate_centre (SdSupportMap *self)
{
  return FALSE;
}

guint
sd_support_map_get_n_unplaced (SdSupportMap *self)
{
  return 0;
}

static void
sd_support_map_dispose (GObject *object)
{
  SdSupportMap *self = SD_SUPPORT_MAP (object);

  g_clear_pointer (&self->message, gtk_widget_unparent);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (sd_support_map_parent_class)->dispose (object);
}

static void
sd_support_map_class_init (SdSupportMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_support_map_dispose;
  signals[PERSON_ACTIVATED] = g_signal_new ("person-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                            NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_support_map_init (SdSupportMap *self)
{
  self->message = gtk_label_new (_("The map is not part of this version of ShelterDesk. "
                                   "Everyone on the support list is in the List view."));
  gtk_label_set_wrap (GTK_LABEL (self->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (self->message), 40);
  gtk_label_set_justify (GTK_LABEL (self->message), GTK_JUSTIFY_CENTER);
  gtk_widget_set_hexpand (self->message, TRUE);
  gtk_widget_set_vexpand (self->message, TRUE);
  gtk_widget_add_css_class (self->message, "map-message");
  gtk_widget_set_parent (self->message, GTK_WIDGET (self));
}
