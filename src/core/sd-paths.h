/* sd-paths.h: where the programs find their own data files, installed,
 * relocated or run from the build tree, with no environment variable.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sd_paths_get_exe_dir    (void);
char *sd_paths_find_data_dir  (const char *installed,
                               const char *const *relative,
                               const char *probe);
char *sd_paths_get_locale_dir (void);

G_END_DECLS
