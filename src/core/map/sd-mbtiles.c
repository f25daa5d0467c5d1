/* sd-mbtiles.c: a base map in one file: MBTiles (raster tiles in SQLite), read and packed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-error.h"
#include "sd-mbtiles.h"

#include <cairo.h>
#include <errno.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

/* Deeper than any street map: 2^22 tiles a side. */
#define MAX_ZOOM 22

struct _SdMbtiles {
  sqlite3      *db;
  sqlite3_stmt *tile;
  char         *name;
  char         *attribution;
  char         *format;
  int           min_zoom;
  int           max_zoom;
  double        bounds[4];
  gboolean      has_bounds;
};

static gboolean
not_mbtiles (GError     **error,
             const char  *path,
             const char  *why)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("“%s” is not a base map ShelterDesk can use: %s"),
               path, why);
  return FALSE;
}

/* Whether DB has TABLE with every one of COLUMNS. */
static gboolean
has_columns (sqlite3           *db,
             const char        *table,
             const char *const *columns)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (found, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (guint i = 0; columns[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (found, columns[i], g_str_equal, NULL))
      return FALSE;
  return TRUE;
}

static void
set_text (char       **slot,
          const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
read_metadata (SdMbtiles *self)
{
  sqlite3_stmt *stmt = NULL;

  self->min_zoom = 0;
  self->max_zoom = MAX_ZOOM;
  if (sqlite3_prepare_v2 (self->db, "SELECT name, value FROM metadata", -1, &stmt, NULL) != SQLITE_OK)
    return;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (name == NULL || value == NULL || !g_utf8_validate (value, -1, NULL))
        continue;
      if (g_str_equal (name, "name"))
        set_text (&self->name, value);
      else if (g_str_equal (name, "attribution"))
        set_text (&self->attribution, value);
      else if (g_str_equal (name, "format"))
        set_text (&self->format, value);
      else if (g_str_equal (name, "minzoom"))
        self->min_zoom = CLAMP (atoi (value), 0, MAX_ZOOM);
      else if (g_str_equal (name, "maxzoom"))
        self->max_zoom = CLAMP (atoi (value), 0, MAX_ZOOM);
      else if (g_str_equal (name, "bounds"))
        {
          g_auto(GStrv) parts = g_strsplit (value, ",", -1);

          self->has_bounds = g_strv_length (parts) == 4;
          for (guint i = 0; self->has_bounds && i < 4; i++)
            {
              char *end = NULL;

              self->bounds[i] = g_ascii_strtod (parts[i], &end);
              self->has_bounds = end != parts[i] && *end == '\0' && isfinite (self->bounds[i]) &&
                                 fabs (self->bounds[i]) <= (i % 2 == 0 ? 180 : 90);
            }
        }
    }
  sqlite3_finalize (stmt);
}

SdMbtiles *
sd_mbtiles_open (const char  *path,
                 GError     **error)
{
  static const char *const metadata_columns[] = { "name", "value", NULL };
  static const char *const tiles_columns[] = { "zoom_level", "tile_column", "tile_row", "tile_data", NULL };
  g_autoptr(SdMbtiles) self = g_new0 (SdMbtiles, 1);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no base map file “%s”."), path);
      return NULL;
    }
  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY, NULL);
  /* A file that is not SQLite at all fails at its first read. */
  if (rc != SQLITE_OK || !has_columns (self->db, "tiles", tiles_columns))
    {
      not_mbtiles (error, path, _("it has no table of tiles (an MBTiles file is an SQLite database)."));
      return NULL;
    }
  if (!has_columns (self->db, "metadata", metadata_columns))
    {
      not_mbtiles (error, path, _("it has no metadata table."));
      return NULL;
    }
  read_metadata (self);
  if (self->format != NULL && g_ascii_strcasecmp (self->format, "png") != 0)
    {
      g_autofree char *why = g_strdup_printf (_("its tiles are “%s”; the desk draws PNG tiles."), self->format);

      not_mbtiles (error, path, why);
      return NULL;
    }
  if (sqlite3_prepare_v2 (self->db, "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 "
                                    "AND tile_row = ?3", -1, &self->tile, NULL) != SQLITE_OK)
    {
      not_mbtiles (error, path, sqlite3_errmsg (self->db));
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
sd_mbtiles_free (SdMbtiles *self)
{
  if (self == NULL)
    return;
  sqlite3_finalize (self->tile);
  sqlite3_close (self->db);
  g_free (self->name);
  g_free (self->attribution);
  g_free (self->format);
  g_free (self);
}

const char *
sd_mbtiles_get_name (SdMbtiles *self)
{
  return self->name;
}

const char *
sd_mbtiles_get_attribution (SdMbtiles *self)
{
  return self->attribution;
}

int
sd_mbtiles_get_min_zoom (SdMbtiles *self)
{
  return self->min_zoom;
}

int
sd_mbtiles_get_max_zoom (SdMbtiles *self)
{
  return self->max_zoom;
}

gboolean
sd_mbtiles_get_bounds (SdMbtiles *self,
                       double    *bounds)
{
  if (self->has_bounds)
    memcpy (bounds, self->bounds, sizeof self->bounds);
  return self->has_bounds;
}

GBytes *
sd_mbtiles_get_tile (SdMbtiles *self,
                     int        z,
                     int        x,
                     int        y)
{
  GBytes *tile = NULL;

  if (z < 0 || z > MAX_ZOOM || x < 0 || y < 0 || x >= (1 << z) || y >= (1 << z))
    return NULL;
  sqlite3_bind_int (self->tile, 1, z);
  sqlite3_bind_int (self->tile, 2, x);
  /* TMS: rows from the south. */
  sqlite3_bind_int (self->tile, 3, (1 << z) - 1 - y);
  if (sqlite3_step (self->tile) == SQLITE_ROW && sqlite3_column_bytes (self->tile, 0) > 0)
    tile = g_bytes_new (sqlite3_column_blob (self->tile, 0), sqlite3_column_bytes (self->tile, 0));
  sqlite3_reset (self->tile);
  return tile;
}

/* ---- packing a folder ---- */

typedef struct {
  const guchar *data;
  gsize         length;
  gsize         at;
} PngReader;

static cairo_status_t
read_png_cb (void          *closure,
             unsigned char *data,
             unsigned int   length)
{
  PngReader *r = closure;

  if (r->at + length > r->length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, r->data + r->at, length);
  r->at += length;
  return CAIRO_STATUS_SUCCESS;
}

/* Whether DATA is a PNG that decodes. */
static gboolean
png_decodes (const guchar *data,
             gsize         length)
{
  static const guchar signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  PngReader reader = { data, length, 0 };
  cairo_surface_t *surface;
  gboolean ok;

  if (length < sizeof signature || memcmp (data, signature, sizeof signature) != 0)
    return FALSE;
  surface = cairo_image_surface_create_from_png_stream (read_png_cb, &reader);
  ok = cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS;
  cairo_surface_destroy (surface);
  return ok;
}

/* A number of a tile's path: digits only, below LIMIT. */
static gboolean
path_number (const char *text,
             const char *suffix,
             gint64      limit,
             int        *out)
{
  g_autofree char *digits = suffix != NULL && g_str_has_suffix (text, suffix)
                            ? g_strndup (text, strlen (text) - strlen (suffix)) : g_strdup (text);
  guint64 value = 0;

  if ((suffix != NULL && !g_str_has_suffix (text, suffix)) ||
      !g_ascii_string_to_unsigned (digits, 10, 0, limit - 1, &value, NULL))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

typedef struct {
  int    z, x, y;
  char  *path;
} TileFile;

static void
tile_file_clear (TileFile *t)
{
  g_free (t->path);
}

static gboolean
bad_tile (GError    **error,
          const char *path,
          const char *why)
{
  g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE, _("%s: %s Nothing was packed."), path, why);
  return FALSE;
}

/* Every DIR/Z/X/Y.png, or FALSE naming the first path that is not one. */
static gboolean
list_tiles (const char  *dir,
            GArray      *tiles,
            GError     **error)
{
  g_autoptr(GDir) zooms = g_dir_open (dir, 0, error);
  const char *z_name;

  if (zooms == NULL)
    return FALSE;
  while ((z_name = g_dir_read_name (zooms)) != NULL)
    {
      g_autofree char *z_path = g_build_filename (dir, z_name, NULL);
      g_autoptr(GDir) columns = NULL;
      const char *x_name;
      int z;

      if (g_str_has_prefix (z_name, "."))
        continue;
      if (!path_number (z_name, NULL, MAX_ZOOM + 1, &z) || !g_file_test (z_path, G_FILE_TEST_IS_DIR))
        return bad_tile (error, z_path, _("a tiles folder holds one folder a zoom level, named 0 to 22."));
      if ((columns = g_dir_open (z_path, 0, error)) == NULL)
        return FALSE;
      while ((x_name = g_dir_read_name (columns)) != NULL)
        {
          g_autofree char *x_path = g_build_filename (z_path, x_name, NULL);
          g_autoptr(GDir) rows = NULL;
          const char *y_name;
          int x;

          if (g_str_has_prefix (x_name, "."))
            continue;
          if (!path_number (x_name, NULL, (gint64) 1 << z, &x) || !g_file_test (x_path, G_FILE_TEST_IS_DIR))
            return bad_tile (error, x_path, _("a zoom level holds one folder a column, numbered within the zoom."));
          if ((rows = g_dir_open (x_path, 0, error)) == NULL)
            return FALSE;
          while ((y_name = g_dir_read_name (rows)) != NULL)
            {
              TileFile t = { z, x, 0, g_build_filename (x_path, y_name, NULL) };

              if (g_str_has_prefix (y_name, "."))
                {
                  tile_file_clear (&t);
                  continue;
                }
              g_array_append_val (tiles, t);
              if (!path_number (y_name, ".png", (gint64) 1 << z, &g_array_index (tiles, TileFile, tiles->len - 1).y))
                return bad_tile (error, t.path, _("a tile is a file named ROW.png, numbered within the zoom."));
            }
        }
    }
  if (tiles->len == 0)
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_MISSING,
                   _("“%s” holds no tiles: a tiles folder holds Z/X/Y.png files."), dir);
      return FALSE;
    }
  return TRUE;
}

static double
tile_lon (int x,
          int z)
{
  return x / (double) (1 << z) * 360.0 - 180.0;
}

static double
tile_lat (int y,
          int z)
{
  double n = G_PI - 2.0 * G_PI * y / (double) (1 << z);

  return 180.0 / G_PI * atan (0.5 * (exp (n) - exp (-n)));
}

static gboolean
exec (sqlite3  *db,
      const char *sql,
      GError  **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) == SQLITE_OK)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the base map: %s"), sqlite3_errmsg (db));
  return FALSE;
}

gboolean
sd_mbtiles_pack_folder (const char  *dir,
                        const char  *out,
                        const char  *name,
                        const char  *attribution,
                        guint       *out_tiles,
                        GError     **error)
{
  g_autoptr(GArray) tiles = g_array_new (FALSE, FALSE, sizeof (TileFile));
  g_autofree char *partial = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL, *meta = NULL;
  int min_zoom = MAX_ZOOM, max_zoom = 0;
  double bounds[4] = { 180, 90, -180, -90 };
  gboolean ok;

  g_return_val_if_fail (dir != NULL && out != NULL && name != NULL, FALSE);

  g_array_set_clear_func (tiles, (GDestroyNotify) tile_file_clear);
  if (!list_tiles (dir, tiles, error))
    return FALSE;
  partial = g_strconcat (out, ".part", NULL);
  g_remove (partial);
  if (sqlite3_open_v2 (partial, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the base map “%s”: %s"), out,
                   sqlite3_errmsg (db));
      sqlite3_close (db);
      return FALSE;
    }
  ok = exec (db, "PRAGMA journal_mode = OFF; BEGIN;"
                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                 "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);", error) &&
       sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", -1, &insert, NULL) == SQLITE_OK;
  for (guint i = 0; ok && i < tiles->len; i++)
    {
      const TileFile *t = &g_array_index (tiles, TileFile, i);
      g_autofree char *data = NULL;
      gsize length = 0;

      if (!g_file_get_contents (t->path, &data, &length, error))
        ok = FALSE;
      else if (!png_decodes ((const guchar *) data, length))
        ok = bad_tile (error, t->path, _("this tile is not a PNG image, or is damaged."));
      else
        {
          sqlite3_bind_int (insert, 1, t->z);
          sqlite3_bind_int (insert, 2, t->x);
          sqlite3_bind_int (insert, 3, (1 << t->z) - 1 - t->y);
          sqlite3_bind_blob (insert, 4, data, (int) length, SQLITE_STATIC);
          ok = sqlite3_step (insert) == SQLITE_DONE;
          if (!ok)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the base map: %s"),
                         sqlite3_errmsg (db));
          sqlite3_reset (insert);
          min_zoom = MIN (min_zoom, t->z);
          max_zoom = MAX (max_zoom, t->z);
          bounds[0] = MIN (bounds[0], tile_lon (t->x, t->z));
          bounds[2] = MAX (bounds[2], tile_lon (t->x + 1, t->z));
          bounds[1] = MIN (bounds[1], tile_lat (t->y + 1, t->z));
          bounds[3] = MAX (bounds[3], tile_lat (t->y, t->z));
        }
    }
  sqlite3_finalize (insert);
  if (ok)
    {
      g_autofree char *minz = g_strdup_printf ("%d", min_zoom), *maxz = g_strdup_printf ("%d", max_zoom);
      char b[4][G_ASCII_DTOSTR_BUF_SIZE];
      g_autofree char *bounds_text = NULL;
      const char *rows[][2] = {
        { "name", name }, { "format", "png" }, { "type", "baselayer" }, { "version", "1" },
        { "minzoom", minz }, { "maxzoom", maxz }, { "attribution", attribution }, { "bounds", NULL },
      };

      for (guint i = 0; i < 4; i++)
        g_ascii_formatd (b[i], sizeof b[i], "%.6f", bounds[i]);
      bounds_text = g_strdup_printf ("%s,%s,%s,%s", b[0], b[1], b[2], b[3]);
      rows[G_N_ELEMENTS (rows) - 1][1] = bounds_text;
      ok = sqlite3_prepare_v2 (db, "INSERT INTO metadata VALUES (?1, ?2)", -1, &meta, NULL) == SQLITE_OK;
      for (guint i = 0; ok && i < G_N_ELEMENTS (rows); i++)
        {
          if (rows[i][1] == NULL)
            continue;
          sqlite3_bind_text (meta, 1, rows[i][0], -1, SQLITE_STATIC);
          sqlite3_bind_text (meta, 2, rows[i][1], -1, SQLITE_STATIC);
          ok = sqlite3_step (meta) == SQLITE_DONE;
          sqlite3_reset (meta);
        }
      sqlite3_finalize (meta);
      ok = ok && exec (db, "COMMIT;", error);
    }
  sqlite3_close (db);
  if (ok && g_rename (partial, out) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), _("Could not write the base map “%s”: %s"), out,
                   g_strerror (errno));
      ok = FALSE;
    }
  if (!ok)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write the base map “%s”."), out);
      g_remove (partial);
      return FALSE;
    }
  if (out_tiles != NULL)
    *out_tiles = tiles->len;
  return TRUE;
}
