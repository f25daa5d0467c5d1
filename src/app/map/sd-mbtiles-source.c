/* sd-mbtiles-source.c: the map's base layer from an MBTiles file, with no tile server.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-mbtiles-source.h"

#include <glib/gi18n.h>

struct _SdMbtilesSource {
  ShumateMapSource  parent_instance;

  /* One SQLite connection: the worker threads take turns. */
  GMutex            lock;
  SdMbtiles        *tiles;
};

G_DEFINE_FINAL_TYPE (SdMbtilesSource, sd_mbtiles_source, SHUMATE_TYPE_MAP_SOURCE)

typedef struct {
  ShumateTile *tile;
  int          x, y, z;
} TileJob;

static void
tile_job_free (TileJob *job)
{
  g_object_unref (job->tile);
  g_free (job);
}

static void
read_tile_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      data,
                  GCancellable *cancellable)
{
  SdMbtilesSource *self = source_object;
  TileJob *job = data;
  g_autoptr(GBytes) png = NULL;
  GdkTexture *texture;
  GError *error = NULL;

  g_mutex_lock (&self->lock);
  png = sd_mbtiles_get_tile (self->tiles, job->z, job->x, job->y);
  g_mutex_unlock (&self->lock);
  if (png == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no tile %d/%d/%d", job->z, job->x, job->y);
      return;
    }
  texture = gdk_texture_new_from_bytes (png, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
sd_mbtiles_source_fill_tile_async (ShumateMapSource    *source,
                                   ShumateTile         *tile,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  TileJob *job = g_new0 (TileJob, 1);

  g_task_set_source_tag (task, sd_mbtiles_source_fill_tile_async);
  job->tile = g_object_ref (tile);
  job->x = (int) shumate_tile_get_x (tile);
  job->y = (int) shumate_tile_get_y (tile);
  job->z = (int) shumate_tile_get_zoom_level (tile);
  g_task_set_task_data (task, job, (GDestroyNotify) tile_job_free);
  g_task_run_in_thread (task, read_tile_thread);
}

/* Back on the main loop: the tile gets its picture here, where the
 * map layer that asked for it reads the result. */
static gboolean
sd_mbtiles_source_fill_tile_finish (ShumateMapSource  *source,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  TileJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), error);

  if (texture == NULL)
    return FALSE;
  shumate_tile_set_paintable (job->tile, GDK_PAINTABLE (texture));
  shumate_tile_set_fade_in (job->tile, FALSE);
  shumate_tile_set_state (job->tile, SHUMATE_STATE_DONE);
  return TRUE;
}

static void
sd_mbtiles_source_finalize (GObject *object)
{
  SdMbtilesSource *self = SD_MBTILES_SOURCE (object);

  g_clear_pointer (&self->tiles, sd_mbtiles_free);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (sd_mbtiles_source_parent_class)->finalize (object);
}

static void
sd_mbtiles_source_class_init (SdMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  object_class->finalize = sd_mbtiles_source_finalize;
  source_class->fill_tile_async = sd_mbtiles_source_fill_tile_async;
  source_class->fill_tile_finish = sd_mbtiles_source_fill_tile_finish;
}

static void
sd_mbtiles_source_init (SdMbtilesSource *self)
{
  g_mutex_init (&self->lock);
}

SdMbtilesSource *
sd_mbtiles_source_new (const char  *path,
                       GError     **error)
{
  g_autoptr(SdMbtiles) tiles = NULL;
  SdMbtilesSource *self;

  g_return_val_if_fail (path != NULL, NULL);

  tiles = sd_mbtiles_open (path, error);
  if (tiles == NULL)
    return NULL;
  self = g_object_new (SD_TYPE_MBTILES_SOURCE,
                       "id", "shelterdesk-mbtiles",
                       "name", sd_mbtiles_get_name (tiles),
                       "license", sd_mbtiles_get_attribution (tiles),
                       "min-zoom-level", (guint) sd_mbtiles_get_min_zoom (tiles),
                       "max-zoom-level", (guint) sd_mbtiles_get_max_zoom (tiles),
                       "tile-size", 256u,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
  self->tiles = g_steal_pointer (&tiles);
  return self;
}

gboolean
sd_mbtiles_source_get_bounds (SdMbtilesSource *self,
                              double          *bounds)
{
  g_return_val_if_fail (SD_IS_MBTILES_SOURCE (self), FALSE);
  return sd_mbtiles_get_bounds (self->tiles, bounds);
}
