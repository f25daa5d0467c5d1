/* sd-live-refresh.c: a view read again when its data changes, only while it is on screen.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-live-refresh.h"

#define POLL_SECONDS 2

struct _SdLiveRefresh {
  GtkWidget *widget;       /* not owned: the view owns this */
  void     (*refresh) (GtkWidget *widget);
  GStrv      tables;
  SdStore   *store;
  gint64     data_version;
  guint      poll_source;
};

static void
refresh (SdLiveRefresh *self)
{
  self->refresh (self->widget);
}

static void
store_changed_cb (SdLiveRefresh *self)
{
  if (gtk_widget_get_mapped (self->widget))
    refresh (self);
}

static gboolean
poll_cb (gpointer data)
{
  SdLiveRefresh *self = data;

  if (self->store != NULL && sd_store_get_data_version (self->store) != self->data_version)
    refresh (self);
  return G_SOURCE_CONTINUE;
}

static void
mapped_cb (SdLiveRefresh *self)
{
  refresh (self);
  if (self->poll_source == 0)
    self->poll_source = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
}

static void
unmapped_cb (SdLiveRefresh *self)
{
  g_clear_handle_id (&self->poll_source, g_source_remove);
}

SdLiveRefresh *
sd_live_refresh_new (GtkWidget         *widget,
                     GCallback          refresh_func,
                     const char *const *tables)
{
  SdLiveRefresh *self = g_new0 (SdLiveRefresh, 1);

  self->widget = widget;
  self->refresh = (void (*) (GtkWidget *)) refresh_func;
  self->tables = g_strdupv ((char **) tables);
  g_signal_connect_swapped (widget, "map", G_CALLBACK (mapped_cb), self);
  g_signal_connect_swapped (widget, "unmap", G_CALLBACK (unmapped_cb), self);
  return self;
}

void
sd_live_refresh_set_store (SdLiveRefresh *self,
                           SdStore       *store)
{
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  for (guint i = 0; store != NULL && self->tables[i] != NULL; i++)
    {
      g_autofree char *signal = g_strdup_printf ("changed::%s", self->tables[i]);

      g_signal_connect_swapped (store, signal, G_CALLBACK (store_changed_cb), self);
    }
}

void
sd_live_refresh_reading (SdLiveRefresh *self)
{
  if (self->store != NULL)
    self->data_version = sd_store_get_data_version (self->store);
}

void
sd_live_refresh_free (SdLiveRefresh *self)
{
  if (self == NULL)
    return;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_signal_handlers_disconnect_by_data (self->widget, self);
  sd_live_refresh_set_store (self, NULL);
  g_strfreev (self->tables);
  g_free (self);
}
