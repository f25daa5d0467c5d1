/* sd-page-text.h: text laid out for a printed page.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

PangoLayout *sd_page_layout_new (cairo_t *cr);

G_END_DECLS
