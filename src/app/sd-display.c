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
 *     way, ShelterDesk's own high-contrast rules (style-hc.css: darker
 *     status colours, no faded text, a thick focus ring);
 *   - large text: every font 1.25 times the size (GtkSettings:gtk-xft-dpi,
 *     the value the system's own text scaling sets), over whatever the
 *     system's is.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-display.h"

#include <adwaita.h>

/* The resolution GTK draws text at when nothing sets one (96 dpi), in
 * GtkSettings' units (1024ths of a dot per inch). */
#define DEFAULT_DPI (96 * 1024)

typedef struct
{
  GSettings      *settings;
  GtkCssProvider *adwaita_hc;   /* libadwaita's own high-contrast sheet */
  GtkCssProvider *desk_hc;      /* ShelterDesk's high-contrast rules */
  gboolean        hc_on;
  gboolean        large_on;
  int             system_dpi;   /* gtk-xft-dpi before the desk set it */
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
  GtkSettings *gtk = gtk_settings_get_default ();

  display.hc_on = system_hc || kiosk_hc;
  /* libadwaita's high-contrast sheet over its normal one (both are whole
   * sheets of the same rules), only when libadwaita has not loaded it. */
  set_provider (display.adwaita_hc, kiosk_hc && !system_hc, GTK_STYLE_PROVIDER_PRIORITY_THEME + 1);
  set_provider (display.desk_hc, display.hc_on, GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);

  if (large != display.large_on)
    {
      display.large_on = large;
      if (large)
        g_object_set (gtk, "gtk-xft-dpi", (int) (display.system_dpi * SD_DISPLAY_LARGE_TEXT_SCALE), NULL);
      else
        gtk_settings_reset_property (gtk, "gtk-xft-dpi");
    }
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
  int dpi = -1;

  g_return_if_fail (G_IS_SETTINGS (settings));
  if (display.settings != NULL)
    return;

  display.settings = g_object_ref (settings);
  g_object_get (gtk_settings_get_default (), "gtk-xft-dpi", &dpi, NULL);
  display.system_dpi = dpi > 0 ? dpi : DEFAULT_DPI;

  display.adwaita_hc = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (display.adwaita_hc, "/org/gnome/Adwaita/styles/base-hc.css");
  display.desk_hc = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (display.desk_hc, "/io/github/shelterdesk/ShelterDesk/style-hc.css");

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
