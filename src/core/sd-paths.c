/* sd-paths.c: where the programs find their own data files.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * In order: what the environment says (for tests and special set-ups),
 * the place the build was configured to install into, the same place
 * relative to the executable (an install under another prefix, or a
 * `meson install --destdir` tree), and the build tree the executable was
 * built in (build/src/app/shelterdesk finds build/po and build/data).
 * The first that holds the file asked for wins, so a kiosk never depends
 * on a variable someone has to remember to set.
 */
#include "sd-paths.h"

#include "sd-platform.h"

#include <gio/gio.h>

/**
 * sd_paths_get_exe_dir:
 *
 * Returns: (transfer full) (nullable): the folder of the running program.
 */
char *
sd_paths_get_exe_dir (void)
{
  return sd_platform_get_exe_dir ();
}

/**
 * sd_paths_find_data_dir:
 * @installed: (nullable): the folder the build installs into
 * @relative: folders relative to the executable's, %NULL-terminated
 * @probe: a file that must exist in the folder
 *
 * Returns: (transfer full) (nullable): the first folder holding @probe.
 */
char *
sd_paths_find_data_dir (const char        *installed,
                        const char *const *relative,
                        const char        *probe)
{
  g_autofree char *exe_dir = NULL;

  g_return_val_if_fail (probe != NULL, NULL);

  if (installed != NULL)
    {
      g_autofree char *file = g_build_filename (installed, probe, NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        return g_strdup (installed);
    }
  exe_dir = sd_paths_get_exe_dir ();
  for (guint i = 0; exe_dir != NULL && relative != NULL && relative[i] != NULL; i++)
    {
      g_autofree char *dir = g_build_filename (exe_dir, relative[i], NULL);
      g_autofree char *file = g_build_filename (dir, probe, NULL);

      if (g_file_test (file, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GFile) canonical = g_file_new_for_path (dir);

          return g_file_get_path (canonical);
        }
    }
  return NULL;
}

/**
 * sd_paths_get_locale_dir:
 *
 * The folder of ShelterDesk's message catalogues: SD_LOCALEDIR if set,
 * else where they were installed, else next to the executable (a
 * relocated install: bin/../share/locale; the build tree: ../../po).
 * Without any, the configured folder: gettext then shows the source
 * strings, which is all a missing catalogue can cost.
 *
 * Returns: (transfer full): a folder name.
 */
char *
sd_paths_get_locale_dir (void)
{
  static const char *const relative[] = { "../share/locale", "../../po", NULL };
  const char *env = g_getenv ("SD_LOCALEDIR");
  char *found;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  found = sd_paths_find_data_dir (SD_LOCALEDIR, relative, "ja/LC_MESSAGES/" GETTEXT_PACKAGE ".mo");
  return found != NULL ? found : g_strdup (SD_LOCALEDIR);
}

const char *
sd_paths_use_shipped_fonts (void)
{
  static const char *families = NULL;
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      static const char *const relative[] = { "../share/shelterdesk/fonts", "../../data", NULL };
      g_autofree char *dir = sd_paths_find_data_dir (NULL, relative, "fonts.txt");
      g_autofree char *list = NULL;
      g_autofree char *listed = NULL;
      g_auto(GStrv) lines = NULL;
      g_autoptr(GStrvBuilder) named = g_strv_builder_new ();
      g_auto(GStrv) names = NULL;
      gboolean missing = FALSE;

      /* fonts.txt names the families, one a line, the desk's own first. */
      if (dir != NULL)
        list = g_build_filename (dir, "fonts.txt", NULL);
      if (list != NULL && g_file_get_contents (list, &listed, NULL, NULL))
        lines = g_strsplit_set (listed, "\r\n", -1);
      for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          {
            g_strv_builder_add (named, lines[i]);
            missing |= !sd_platform_has_font_family (lines[i]);
          }
      names = g_strv_builder_end (named);
      /* Registered only where the system lacks one of them. */
      if (names[0] != NULL && (!missing || sd_platform_add_fonts (dir) > 0))
        {
          g_autofree char *joined = g_strjoinv (", ", names);
          families = g_intern_string (joined);
        }
      g_once_init_leave (&done, 1);
    }
  return families;
}
