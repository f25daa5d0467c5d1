/* sd-page-text.h: text laid out for a printed page.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <pango/pangocairo.h>

G_BEGIN_DECLS

/* The families a printed page asks for, in order: Pango picks, for each
 * character, the first that has it.  Linux's fontconfig would fall back
 * by itself; Windows' Pango does not look beyond the families named, so
 * Nepali (Devanagari) needs its own (the Windows build ships both). */
#define SD_PAGE_FONT_FAMILIES "Noto Sans CJK JP, Noto Sans Devanagari"

PangoLayout *sd_page_layout_new (cairo_t *cr);

G_END_DECLS
