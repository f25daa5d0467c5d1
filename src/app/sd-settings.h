/* sd-settings.h: the desk's settings, wherever it runs from.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *sd_settings_open (void);

G_END_DECLS
