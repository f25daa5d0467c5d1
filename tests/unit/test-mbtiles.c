/* test-mbtiles.c: a base map packed from a tiles folder and read back; broken tiles and files that are not maps refused.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-core.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

static char *
tmp_dir (void)
{
  return g_dir_make_tmp ("sd-mbtiles-XXXXXX", NULL);
}

/* A 256×256 PNG tile of one colour, written at DIR/Z/X/Y.png. */
static void
write_tile (const char *dir, int z, int x, int y, double shade)
{
  g_autofree char *folder = g_strdup_printf ("%s/%d/%d", dir, z, x);
  g_autofree char *path = g_strdup_printf ("%s/%d.png", folder, y);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  cairo_set_source_rgb (cr, shade, 0.5, 1 - shade);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_remove (path);
}

static void
test_pack_and_read (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *tiles = g_build_filename (dir, "tiles", NULL);
  g_autofree char *out = g_build_filename (dir, "map.mbtiles", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdMbtiles) map = NULL;
  g_autoptr(GBytes) tile = NULL, none = NULL;
  double bounds[4];
  gsize length = 0;
  guint n = 0;

  write_tile (tiles, 0, 0, 0, 0.1);
  write_tile (tiles, 1, 1, 0, 0.5);   /* north-east at zoom 1 */
  write_tile (tiles, 1, 1, 1, 0.9);   /* south-east */
  g_assert_true (sd_mbtiles_pack_folder (tiles, out, "みなと川市", "© みなと川市", &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  map = sd_mbtiles_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_mbtiles_get_name (map), ==, "みなと川市");
  g_assert_cmpstr (sd_mbtiles_get_attribution (map), ==, "© みなと川市");
  g_assert_cmpint (sd_mbtiles_get_min_zoom (map), ==, 0);
  g_assert_cmpint (sd_mbtiles_get_max_zoom (map), ==, 1);
  g_assert_true (sd_mbtiles_get_bounds (map, bounds));
  g_assert_cmpfloat_with_epsilon (bounds[0], -180, 1e-6);
  g_assert_cmpfloat_with_epsilon (bounds[2], 180, 1e-6);

  /* Web numbering in, the file's TMS rows inside: the same bytes out. */
  tile = sd_mbtiles_get_tile (map, 1, 1, 1);
  g_assert_nonnull (tile);
  {
    g_autofree char *path = g_build_filename (tiles, "1", "1", "1.png", NULL);

    g_assert_true (g_file_get_contents (path, &expected, &length, NULL));
  }
  g_assert_cmpuint (g_bytes_get_size (tile), ==, length);
  g_assert_cmpint (memcmp (g_bytes_get_data (tile, NULL), expected, length), ==, 0);
  none = sd_mbtiles_get_tile (map, 1, 0, 0);
  g_assert_null (none);
  g_assert_null (sd_mbtiles_get_tile (map, 1, 2, 0));
  g_assert_null (sd_mbtiles_get_tile (map, -1, 0, 0));
  g_assert_null (sd_mbtiles_get_tile (map, 30, 0, 0));
  g_clear_pointer (&map, sd_mbtiles_free);
  remove_tree (dir);
}

/* A broken tile, a file that is not a PNG, a wrong path: refused with
 * the file named, and nothing left where the map was to be. */
static void
test_bad_folders (void)
{
  static const struct { const char *what; const char *file; const char *bytes; } cases[] = {
    { "a broken PNG", "1/0/0.png", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR broken" },
    { "not a PNG", "1/0/0.png", "GIF89a" },
    { "not a tile name", "1/0/zero.png", NULL },
    { "a row outside the zoom", "1/0/2.png", NULL },
    { "a zoom that is not a number", "top/0/0.png", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *dir = tmp_dir ();
      g_autofree char *tiles = g_build_filename (dir, "tiles", NULL);
      g_autofree char *out = g_build_filename (dir, "map.mbtiles", NULL);
      /* In the system's own separators (the message names the folder so). */
      g_autofree char *file = g_strdelimit (g_strdup (cases[i].file), "/", G_DIR_SEPARATOR);
      g_autofree char *path = g_build_filename (tiles, file, NULL);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].what);
      write_tile (tiles, 0, 0, 0, 0.2);
      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
      if (cases[i].bytes != NULL)
        g_assert_true (g_file_set_contents (path, cases[i].bytes, 20, NULL));
      else
        {
          g_autofree char *good = g_build_filename (tiles, "0", "0", "0.png", NULL);
          g_autofree char *data = NULL;
          gsize length = 0;

          g_assert_true (g_file_get_contents (good, &data, &length, NULL));
          g_assert_true (g_file_set_contents (path, data, length, NULL));
        }
      g_assert_false (sd_mbtiles_pack_folder (tiles, out, "x", NULL, NULL, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cases[i].file[0] == 't' ? "top" : parent));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      remove_tree (dir);
    }
}

/* Files that are not base maps are refused, saying why. */
static void
test_not_a_map (void)
{
  g_autofree char *dir = tmp_dir ();
  g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *db = g_build_filename (dir, "other.sqlite", NULL);
  g_autofree char *jpeg = g_build_filename (dir, "jpeg.mbtiles", NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *handle = NULL;

  g_assert_true (g_file_set_contents (text, "これは地図ではありません", -1, NULL));
  g_assert_null (sd_mbtiles_open (text, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (db, &handle), ==, SQLITE_OK);
  sqlite3_exec (handle, "CREATE TABLE persons (id TEXT)", NULL, NULL, NULL);
  sqlite3_close (handle);
  g_assert_null (sd_mbtiles_open (db, &error));
  g_assert_error (error, SD_DATA_ERROR, SD_DATA_ERROR_BAD_VALUE);
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (jpeg, &handle), ==, SQLITE_OK);
  sqlite3_exec (handle, "CREATE TABLE metadata (name, value); INSERT INTO metadata VALUES ('format', 'jpg');"
                        "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data)", NULL, NULL, NULL);
  sqlite3_close (handle);
  g_assert_null (sd_mbtiles_open (jpeg, &error));
  g_assert_nonnull (strstr (error->message, "jpg"));
  g_clear_error (&error);

  g_free (text);
  text = g_build_filename (dir, "none.mbtiles", NULL);
  g_assert_null (sd_mbtiles_open (text, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/mbtiles/pack-and-read", test_pack_and_read);
  g_test_add_func ("/mbtiles/bad-folders", test_bad_folders);
  g_test_add_func ("/mbtiles/not-a-map", test_not_a_map);
  return g_test_run ();
}
