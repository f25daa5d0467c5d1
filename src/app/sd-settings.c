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
#include <stdlib.h>

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
 * only be read from a file): the temporary folder, else the user's
 * runtime or cache folder. */
static GSettingsSchema *
lookup_builtin (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  const char *places[] = { g_get_tmp_dir (), g_get_user_runtime_dir (), g_get_user_cache_dir () };

  if (bytes == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      g_autofree char *pattern = g_build_filename (places[i], "shelterdesk-schema-XXXXXX", NULL);
      g_autofree char *dir = g_mkdtemp_full (pattern, 0700) ? g_strdup (pattern) : NULL;
      g_autofree char *file = NULL;
      GSettingsSchema *schema;

      if (dir == NULL)
        continue;
      file = g_build_filename (dir, "gschemas.compiled", NULL);
      schema = g_file_set_contents (file, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL)
               ? lookup_in (dir) : NULL;
      /* Read in full by now; nothing is left behind. */
      g_unlink (file);
      g_rmdir (dir);
      if (schema != NULL)
        return schema;
    }
  return NULL;
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
  if (schema == NULL)
    {
      /* Not one folder this user may write in: nothing can be kept, not
       * even the database.  A message, not a crash. */
      g_printerr ("shelterdesk: no folder can be written (%s); the desk cannot start.\n", g_get_tmp_dir ());
      exit (EXIT_FAILURE);
    }
  memory = g_memory_settings_backend_new ();
  return g_settings_new_full (schema, memory, NULL);
}
