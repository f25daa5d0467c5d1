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

/* Makes the fonts shipped with the program (the Windows build's Noto Sans
 * CJK and Noto Sans Devanagari, in share/shelterdesk/fonts) usable by this
 * process, once; returns the families named in their fonts.txt as a Pango
 * family list ("Noto Sans CJK JP, Noto Sans Devanagari"), or NULL when
 * there are none (a Linux install, which uses the system's fonts through
 * fontconfig's fallback).  Called before anything is drawn with pango. */
const char *sd_paths_use_shipped_fonts (void);

G_END_DECLS
