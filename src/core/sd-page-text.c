/* sd-page-text.c: text laid out for a printed page (the status report,
 * evacuee cards), the same on paper, in a PDF and in a preview at any
 * scale.
 *
 * Pango's defaults suit a screen: glyph metrics hinted and positions
 * rounded to device pixels.  Drawn scaled down (a preview) or into a PDF
 * that snapping squeezed the spaces out of Latin text ("Showthiscard").
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-page-text.h"

PangoLayout *
sd_page_layout_new (cairo_t *cr)
{
  PangoLayout *layout;
  PangoContext *context;
  cairo_font_options_t *options;

  g_return_val_if_fail (cr != NULL, NULL);

  layout = pango_cairo_create_layout (cr);
  context = pango_layout_get_context (layout);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_context_set_round_glyph_positions (context, FALSE);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);
  return layout;
}
