/* sd-display.c: large text and high contrast, asked for by the kiosk's own
 * settings or by the system's.
 *
 * A kiosk runs under cage or Windows' assigned access, with no settings
 * app a volunteer can reach; so the desk has its own two switches (the
 * header's Display menu; GSettings keys "large-text" and "high-contrast",
 * kept per kiosk), and follows the system's too:
 *   - high contrast: libadwaita's high-contrast style, which it loads by
 *     itself when the system asks (AdwStyleManager:high-contrast) and which
 *     the desk loads over the normal one when the kiosk asks; then, either
 *     way, ShelterDesk's own high-contrast rules (high-contrast.css: darker
 *     status colours, no faded text, a thick focus ring);
 *   - large text: every text 1.25 times its size, by the text sizes of
 *     libadwaita's sheet and of style.css (all in points) again, scaled,
 *     over both.  The desk
 *     never sets the system's text resolution (gtk-xft-dpi): the system's
 *     own text scaling, or a change to it, still applies, under this.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-display.h"

#include <adwaita.h>
#include <string.h>

typedef struct
{
  GSettings      *settings;
  GtkCssProvider *adwaita_hc;   /* libadwaita's own high-contrast sheet */
  GtkCssProvider *desk_hc;      /* ShelterDesk's high-contrast rules */
  GtkCssProvider *large;        /* style.css with its text sizes scaled */
  gboolean        hc_on;
  gboolean        large_on;
} SdDisplay;

static SdDisplay display;

gboolean
sd_display_is_high_contrast (void)
{
  return display.hc_on;
}

gboolean
sd_display_is_large_text (void)
{
  return display.large_on;
}

static void
set_provider (GtkCssProvider *provider,
              gboolean        on,
              guint           priority)
{
  GdkDisplay *gdk = gdk_display_get_default ();

  /* Removed first: adding a provider twice would need removing twice. */
  gtk_style_context_remove_provider_for_display (gdk, GTK_STYLE_PROVIDER (provider));
  if (on)
    gtk_style_context_add_provider_for_display (gdk, GTK_STYLE_PROVIDER (provider), priority);
}

static void
apply (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  gboolean system_hc = adw_style_manager_get_high_contrast (style);
  gboolean kiosk_hc = g_settings_get_boolean (display.settings, "high-contrast");
  gboolean large = g_settings_get_boolean (display.settings, "large-text");

  display.hc_on = system_hc || kiosk_hc;
  /* libadwaita's high-contrast sheet over its normal one (both are whole
   * sheets of the same rules), only when libadwaita has not loaded it. */
  set_provider (display.adwaita_hc, kiosk_hc && !system_hc, GTK_STYLE_PROVIDER_PRIORITY_THEME + 1);
  set_provider (display.desk_hc, display.hc_on, GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 2);
  display.large_on = large;
  set_provider (display.large, large, GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
}

/* The rules of the sheet at RESOURCE that set a text size in points, with
 * the size SD_DISPLAY_LARGE_TEXT_SCALE times as large and nothing else. */
static void
append_scaled_sizes (GString    *out,
                     const char *resource)
{
  g_autoptr(GBytes) css = g_resources_lookup_data (resource, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GRegex) rule = g_regex_new ("([^{}]+)\\{[^{}]*?font-size:\\s*([0-9.]+)pt[^{}]*\\}", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (css != NULL);
  text = g_strndup (g_bytes_get_data (css, NULL), g_bytes_get_size (css));
  for (g_regex_match (rule, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *selectors = g_match_info_fetch (match, 1);
      g_autofree char *points = g_match_info_fetch (match, 2);
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      const char *start = selectors;
      const char *comment;

      /* A comment before the rule ends at its "*" "/": the selectors follow. */
      while ((comment = strstr (start, "*/")) != NULL)
        start = comment + 2;
      g_string_append_printf (out, "%s { font-size: %spt; }\n", g_strstrip ((char *) start),
                              g_ascii_formatd (number, sizeof number, "%.2f",
                                               g_ascii_strtod (points, NULL) * SD_DISPLAY_LARGE_TEXT_SCALE));
    }
}

/* Every text size of libadwaita's sheet and of style.css (all in points),
 * SD_DISPLAY_LARGE_TEXT_SCALE times as large, in that order (style.css
 * overrides libadwaita's); sizes relative to the window's follow it. */
static char *
large_text_css (void)
{
  GString *out = g_string_new (NULL);

  append_scaled_sizes (out, "/org/gnome/Adwaita/styles/base.css");
  append_scaled_sizes (out, "/io/github/shelterdesk/ShelterDesk/style.css");
  return g_string_free (out, FALSE);
}

static void
changed_cb (void)
{
  apply ();
}

/* Once, with the kiosk's settings, before the first window shows. */
void
sd_display_follow (GSettings *settings)
{
  g_autofree char *large = NULL;

  g_return_if_fail (G_IS_SETTINGS (settings));
  if (display.settings != NULL)
    return;

  display.settings = g_object_ref (settings);
  large = large_text_css ();
  display.large = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (display.large, large, -1);

  display.adwaita_hc = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (display.adwaita_hc, "/org/gnome/Adwaita/styles/base-hc.css");
  display.desk_hc = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (display.desk_hc, "/io/github/shelterdesk/ShelterDesk/high-contrast.css");

  g_signal_connect (settings, "changed::high-contrast", G_CALLBACK (changed_cb), NULL);
  g_signal_connect (settings, "changed::large-text", G_CALLBACK (changed_cb), NULL);
  g_signal_connect (adw_style_manager_get_default (), "notify::high-contrast", G_CALLBACK (changed_cb), NULL);
  apply ();
}

/* "large-text" and "high-contrast" on MAP (a window: win.large-text),
 * switches that are the settings themselves. */
void
sd_display_add_actions (GActionMap *map,
                        GSettings  *settings)
{
  static const char *const keys[] = { "large-text", "high-contrast" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GAction) action = g_settings_create_action (settings, keys[i]);

      g_action_map_add_action (map, action);
    }
}
