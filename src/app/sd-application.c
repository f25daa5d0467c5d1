/* sd-application.c: the desk's GtkApplication: options, the site database, windows.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Options: --db FILE (the site's database; else the "database" setting;
 * else, with --kiosk, the site database "kiosk setup" made, or the user's
 * own), --kiosk (full screen, leaving needs a shelter lead's PIN, idle
 * sign-out) and --demo (on a database made by "seed load", sign in as its demo
 * shelter lead so a newcomer can look round at once).  A database that
 * cannot be opened is explained in a window of its own rather than on a
 * terminal nobody at a kiosk will see.
 */
#include "sd-accessible.h"
#include "sd-application.h"
#include "sd-card.h"
#include "sd-paths.h"
#include "sd-platform.h"
#include "sd-settings.h"
#include "sd-window.h"

#include <glib/gi18n.h>
#include <locale.h>

struct _SdApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *db_path;
  gboolean        kiosk;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (SdApplication, sd_application, ADW_TYPE_APPLICATION)

/**
 * sd_application_setup_i18n:
 *
 * Japanese is the desk's first language: unless the environment asks for
 * another (LANGUAGE), the desk speaks the "language" setting, Japanese by
 * default.  gettext ignores LANGUAGE under the "C" locale, so a kiosk
 * without a configured locale gets C.UTF-8 for messages.
 */
void
sd_application_setup_i18n (void)
{
  g_autofree char *localedir = sd_paths_get_locale_dir ();
  const char *messages;

  setlocale (LC_ALL, "");
  sd_card_init ();
  messages = setlocale (LC_MESSAGES, NULL);
  if (messages == NULL || g_str_equal (messages, "C") || g_str_equal (messages, "POSIX"))
    setlocale (LC_MESSAGES, "C.UTF-8");

  if (g_getenv ("LANGUAGE") == NULL)
    {
      g_autoptr(GSettings) settings = sd_settings_open ();
      g_autofree char *language = settings ? g_settings_get_string (settings, "language") : g_strdup ("ja");

      if (language != NULL && *language != '\0')
        g_setenv ("LANGUAGE", language, TRUE);
    }

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
sd_application_finalize (GObject *object)
{
  SdApplication *self = SD_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (sd_application_parent_class)->finalize (object);
}

static gint
sd_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  SdApplication *self = SD_APPLICATION (app);
  const char *db = NULL;

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    self->db_path = g_strdup (db);
  self->kiosk = g_variant_dict_contains (options, "kiosk");
  self->demo = g_variant_dict_contains (options, "demo");

  return -1;  /* go on */
}

static void sd_application_activate (GApplication *app);

static void
try_again_cb (GtkButton *button,
              gpointer   user_data)
{
  SdApplication *self = user_data;
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));

  /* Hold on while the error window goes and the desk (or the same
   * message, if nothing changed) comes. */
  g_application_hold (G_APPLICATION (self));
  gtk_window_destroy (window);
  sd_application_activate (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));
}

static gboolean
refuse_close_cb (GtkWindow *window)
{
  return TRUE;  /* a kiosk is never closed from its screen */
}

/* A kiosk that cannot open its database must not be a blank screen, a
 * crash loop, or (worse) a fresh empty database: the whole screen says
 * what is wrong and whom to ask, and Try again opens the file again once
 * someone has put it right. */
static void
show_kiosk_error (SdApplication *self,
                  const GError  *error)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (self));
  GtkWidget *page = adw_status_page_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Try again"));
  g_autofree char *body = g_strdup_printf (_("Ask the shelter lead. The site database could not be opened: %s"),
                                           error->message);

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "dialog-warning-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (page), _("The desk cannot start"));
  adw_status_page_set_description (ADW_STATUS_PAGE (page), body);
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  g_signal_connect (button, "clicked", G_CALLBACK (try_again_cb), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (page), button);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
  gtk_window_set_title (GTK_WINDOW (window), _("ShelterDesk"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);  /* should fullscreen not be honoured */
  g_signal_connect (window, "close-request", G_CALLBACK (refuse_close_cb), NULL);
  gtk_window_fullscreen (GTK_WINDOW (window));
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_grab_focus (button);
}

static void
show_open_error (SdApplication *self,
                 const GError  *error)
{
  GtkWidget *dialog;

  if (self->kiosk)
    {
      show_kiosk_error (self, error);
      return;
    }

  /* No window to be transient for yet: this dialog is the whole desk. */
  dialog = adw_message_dialog_new (NULL, _("The database could not be opened"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "quit", _("_Quit"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* For bench-startup: report when the first frame has been painted, then quit. */
static void
first_frame_painted_cb (GdkFrameClock *clock,
                        GtkWindow     *window)
{
  gint64 launched = g_ascii_strtoll (g_getenv ("SD_BENCH_LAUNCHED_US"), NULL, 10);

  g_signal_handlers_disconnect_by_func (clock, first_frame_painted_cb, window);
  g_print ("first-frame-ms: %.1f\n", (g_get_monotonic_time () - launched) / 1000.0);
  gtk_window_destroy (window);
}

static gboolean
first_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  g_signal_connect (clock, "after-paint", G_CALLBACK (first_frame_painted_cb), widget);
  return G_SOURCE_REMOVE;
}

static void
sd_application_activate (GApplication *app)
{
  SdApplication *self = SD_APPLICATION (app);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  path = g_strdup (self->db_path);
  if (path == NULL && self->settings != NULL)
    path = g_settings_get_string (self->settings, "database");
  if (path == NULL || *path == '\0')
    {
      /* A kiosk: the database "kiosk setup" made, in /var/lib/shelterdesk
       * or %PROGRAMDATA%\ShelterDesk (Windows' kiosk modes start
       * "shelterdesk.exe --kiosk" with nothing else to say).  Otherwise
       * the user's own. */
      g_autofree char *dir = self->kiosk ? sd_platform_get_site_dir (SD_LOCALSTATEDIR)
                                         : g_build_filename (g_get_user_data_dir (), "shelterdesk", NULL);

      if (!self->kiosk)
        g_mkdir_with_parents (dir, 0700);
      g_free (path);
      path = g_build_filename (dir, "site.sqlite", NULL);
    }

  /* A kiosk opens its site's database or nothing: a missing file is a
   * set-up fault to show, never a fresh empty site to record into. */
  store = sd_store_open (path, self->kiosk ? SD_STORE_OPEN_DEFAULT : SD_STORE_OPEN_CREATE, &error);
  if (store == NULL)
    {
      show_open_error (self, error);
      return;
    }

  window = GTK_WINDOW (sd_window_new (self, store, self->kiosk));
  if (self->settings != NULL)
    g_settings_bind (self->settings, "idle-timeout", window, "idle-timeout", G_SETTINGS_BIND_GET);
  if (self->demo && !sd_window_sign_in_demo (SD_WINDOW (window), &error))
    g_warning ("Demo sign-in is not available: %s", error->message);
  if (g_getenv ("SD_BENCH_LAUNCHED_US") != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), first_tick_cb, NULL, NULL);
  gtk_window_present (window);
}

/* The desk's large, touch-friendly look; also used by the UI tests. */
void
sd_application_load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (css, "/io/github/shelterdesk/ShelterDesk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* The fonts shipped with the desk (the Windows build's Noto Sans CJK):
 * registered, and named as the desk's font, so that Japanese is drawn on a
 * Windows without Japanese fonts.  A Linux install uses the system's. */
static void
use_shipped_fonts (void)
{
  const char *family = sd_paths_use_shipped_fonts ();

  if (family != NULL)
    {
      g_autofree char *font = g_strdup_printf ("%s 11", family);

      g_object_set (gtk_settings_get_default (), "gtk-font-name", font, NULL);
    }
}

static void
sd_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (sd_application_parent_class)->startup (app);
  sd_accessible_install ();
  use_shipped_fonts ();
  sd_application_load_style ();
}

static void
sd_application_class_init (SdApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = sd_application_finalize;
  app_class->handle_local_options = sd_application_handle_local_options;
  app_class->startup = sd_application_startup;
  app_class->activate = sd_application_activate;
}

static void
sd_application_init (SdApplication *self)
{
  static const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_("The site's database file"), N_("FILE") },
    { "kiosk", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Full screen; leaving needs a shelter lead's PIN"), NULL },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL, N_("On a demo database, sign in as its demo shelter lead"), NULL },
    { NULL }
  };

  self->settings = sd_settings_open ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("ShelterDesk: the desk of an evacuation shelter."));
}

SdApplication *
sd_application_new (void)
{
  return g_object_new (SD_TYPE_APPLICATION,
                       "application-id", SD_APP_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/shelterdesk/ShelterDesk",
                       NULL);
}

GSettings *
sd_application_get_settings (SdApplication *self)
{
  g_return_val_if_fail (SD_IS_APPLICATION (self), NULL);
  return self->settings;
}
