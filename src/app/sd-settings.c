/* sd-settings.c: the desk's settings, wherever it runs from.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GSettings aborts the program when asked for a schema that is not
 * installed, and a desk run from the build tree, or installed under a
 * prefix GLib does not search, has none installed.  So the schema is
 * looked for where sd-paths looks for every data file (installed, next
 * to the executable, the build tree); kept settings work from any of
 * them.  Where there is none at all, the copy compiled into the program
 * is used with settings kept in memory only: the desk starts on its
 * defaults and says so once on standard error.
 */
#include "sd-settings.h"
#include "sd-paths.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>

#define SCHEMA_RESOURCE "/io/github/shelterdesk/ShelterDesk/schema/gschemas.compiled"

static GSettingsSchema *
lookup_in (const char *dir)
{
  g_autoptr(GSettingsSchemaSource) source = NULL;

  source = g_settings_schema_source_new_from_directory (dir, g_settings_schema_source_get_default (), FALSE,
                                                        NULL);
  return source != NULL ? g_settings_schema_source_lookup (source, SD_APP_ID, FALSE) : NULL;
}

/* The compiled-in copy, through a private folder (a schema source can
 * only be read from a file). */
static GSettingsSchema *
lookup_builtin (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  GSettingsSchema *schema;

  if (bytes == NULL || (dir = g_dir_make_tmp ("shelterdesk-schema-XXXXXX", NULL)) == NULL)
    return NULL;
  file = g_build_filename (dir, "gschemas.compiled", NULL);
  if (!g_file_set_contents (file, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL))
    return NULL;
  schema = lookup_in (dir);
  /* Read in full by now; nothing is left behind. */
  g_unlink (file);
  g_rmdir (dir);
  return schema;
}

/**
 * sd_settings_open:
 *
 * Returns: (transfer full): the desk's settings; never aborts.
 */
GSettings *
sd_settings_open (void)
{
  static const char *const relative[] = { "../share/glib-2.0/schemas", "../../data", NULL };
  static gsize warned = 0;
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GSettingsBackend) memory = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SD_APP_ID, TRUE);
  if (schema == NULL && (dir = sd_paths_find_data_dir (NULL, relative, "gschemas.compiled")) != NULL)
    schema = lookup_in (dir);
  if (schema != NULL)
    return g_settings_new_full (schema, NULL, NULL);

  if (g_once_init_enter (&warned))
    {
      g_printerr ("shelterdesk: the settings schema %s is not installed; starting with the default "
                  "settings, which will not be kept.\n", SD_APP_ID);
      g_once_init_leave (&warned, 1);
    }
  schema = lookup_builtin ();
  g_assert (schema != NULL);  /* compiled in: only a broken build lacks it */
  memory = g_memory_settings_backend_new ();
  return g_settings_new_full (schema, memory, NULL);
}
