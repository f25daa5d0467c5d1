/* sd-ui-test.h: what the UI tests share: waiting on the main loop, the X keyboard, screenshots.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <gtk/gtk.h>
#include <sqlite3.h>

#include "sd-application.h"
#include "sd-signin-page.h"
#include "sd-window.h"

typedef gboolean (*SdUiCondition) (gpointer user_data);

/* Runs the main loop until CONDITION holds; fails the test after 20 s. */
static inline void
sd_ui_wait_for (SdUiCondition condition,
                gpointer      user_data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (user_data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Runs the main loop for MS milliseconds (layout, timers). */
static inline void
sd_ui_run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static inline void
sd_ui_xdotool_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static inline gboolean
sd_ui_flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* Runs xdotool with ARGV (from "xdotool" on) on the X server's own XTEST
 * keyboard, as a person or a keyboard-wedge scanner types.  Under Xvfb
 * there is no window manager: the keyboard goes to the window under the
 * pointer, so ARGV starts with a mousemove over the window.  The main loop
 * runs meanwhile, so the desk reads the keys as they arrive. */
static inline void
sd_ui_xdotool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  gboolean done = FALSE;

  g_assert_no_error (error);
  g_subprocess_wait_check_async (p, NULL, sd_ui_xdotool_done_cb, &done);
  sd_ui_wait_for (sd_ui_flag_set, &done);
}

/* What WIDGET's window shows now, rendered by its own renderer.  The
 * first frame may not be drawn yet: it tries again for a moment. */
static inline GdkTexture *
sd_ui_render (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  int w = gtk_widget_get_width (GTK_WIDGET (native)), h = gtk_widget_get_height (GTK_WIDGET (native));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (native));
  g_autoptr(GskRenderNode) node = NULL;

  for (int i = 0; i < 40 && node == NULL; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        sd_ui_run_for (50);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node, &GRAPHENE_RECT_INIT (0, 0, w, h));
}

/* Saves what WIDGET's window shows as SD_SCREENSHOT_DIR/NAME.png, so a
 * person can look at every screen the tests reached. */
static inline void
sd_ui_screenshot (GtkWidget  *widget,
                  const char *name)
{
  const char *dir = g_getenv ("SD_SCREENSHOT_DIR");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkNative *native;
  int w, h;

  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  native = gtk_widget_get_native (widget);
  /* On a loaded machine the window may not be mapped and sized yet. */
  for (int i = 0; i < 200 && !(gtk_widget_get_mapped (GTK_WIDGET (native)) &&
                                gtk_widget_get_width (GTK_WIDGET (native)) > 0); i++)
    sd_ui_run_for (25);
  sd_ui_run_for (300);  /* let transitions finish */

  w = gtk_widget_get_width (GTK_WIDGET (native));
  h = gtk_widget_get_height (GTK_WIDGET (native));
  /* Every screen must fit a kiosk's 1366×768 or a tablet's 800×1280. */
  if (h > 768)
    g_assert_cmpint (w, <=, 800);
  g_assert_cmpint (w, <=, 1366);
  g_assert_cmpint (h, <=, 1280);
  texture = sd_ui_render (widget);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The controls of ROOT that reach outside WIDTH × HEIGHT of WINDOW (a
 * scrolled area's content counts as inside it: it can be scrolled to). */
static inline void
sd_ui_collect_outside (GtkWidget *widget,
                       GtkWidget *window,
                       int        width,
                       int        height,
                       GPtrArray *outside)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (widget))
    return;
  if (gtk_widget_get_focusable (widget) && gtk_widget_compute_bounds (widget, window, &bounds) &&
      (bounds.origin.x < -0.5 || bounds.origin.y < -0.5 ||
       bounds.origin.x + bounds.size.width > width + 0.5 || bounds.origin.y + bounds.size.height > height + 0.5))
    g_ptr_array_add (outside, g_strdup_printf ("%s at %.0f,%.0f %.0f×%.0f", G_OBJECT_TYPE_NAME (widget),
                                               bounds.origin.x, bounds.origin.y, bounds.size.width,
                                               bounds.size.height));
  if (GTK_IS_SCROLLED_WINDOW (widget))
    {
      /* Scrolled, but squeezed to a sliver nobody could scroll through
       * (the report's form stacked on a portrait screen did this). */
      GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget));
      int natural = 0;

      if (content != NULL)
        gtk_widget_measure (content, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget), NULL, &natural, NULL,
                            NULL);
      if (gtk_widget_get_height (widget) < MIN (natural, 64))
        g_ptr_array_add (outside, g_strdup_printf ("GtkScrolledWindow squeezed to %d px of %d",
                                                   gtk_widget_get_height (widget), natural));
      return;
    }
  if (GTK_IS_VIEWPORT (widget))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    sd_ui_collect_outside (child, window, width, height, outside);
}

/* Names, as test messages, the chain of widgets whose minimum width
 * is over WIDTH: when a window grows past the screen, the deepest line
 * is the control to blame. */
static inline void
sd_ui_report_wide (GtkWidget *widget,
                   int        width,
                   int        depth)
{
  int minimum = 0;

  if (!gtk_widget_get_visible (widget))
    return;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= width)
    return;
  g_test_message ("%*s%s needs %d px", depth * 2, "", gtk_widget_get_name (widget), minimum);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    sd_ui_report_wide (child, width, depth + 1);
}

static inline gboolean
sd_ui_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* A desk window on STORE, WIDTH × HEIGHT, shown; the test owns it. */
static inline SdWindow *
sd_ui_window_new (SdStore *store,
                  int      width,
                  int      height)
{
  SdWindow *window = sd_window_new (NULL, store, FALSE);

  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Closes WINDOW and fails the test if anything still holds it. */
static inline void
sd_ui_window_close (gpointer window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* The text of the PDF at PATH, as pdftotext reads it (pages apart by \f). */
static inline char *
sd_ui_pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  char *out = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

typedef gboolean (*SdUiMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget under ROOT (ROOT included, depth first) that MATCH
 * accepts, or NULL. */
static inline GtkWidget *
sd_ui_find (GtkWidget     *root,
            SdUiMatch      match,
            gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = sd_ui_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static inline gboolean
page_idle (gpointer page)
{
  return !sd_signin_page_get_busy (page);
}

/* Types STAFF_NO and PIN the way a person does, and presses Sign in. */
static inline void
sign_in (SdSigninPage *page,
         const char   *staff_no,
         const char   *pin)
{
  GtkWidget *pad = sd_signin_page_get_pin_pad (page);
  /* Signing in may close the page's window (the kiosk unlock dialog). */
  G_GNUC_UNUSED g_autoptr(SdSigninPage) hold = g_object_ref (page);

  sd_signin_page_set_staff_no (page, staff_no);
  gtk_widget_activate_action (pad, "pin-pad.clear", NULL);
  for (const char *d = pin; *d; d++)
    {
      char digit[2] = { *d, 0 };
      gtk_widget_activate_action (pad, "pin-pad.digit", "s", digit);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "signin.submit", NULL));
  sd_ui_wait_for (page_idle, page);
}


/* The start every UI test makes, as the desk's own: its languages (Japanese
 * first), GTK and libadwaita, its style. */
static inline void
sd_ui_init (int    *argc,
            char ***argv)
{
  sd_application_setup_i18n ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  sd_application_load_style ();
}

static inline gboolean
sd_ui_window_mapped (gpointer window)
{
  return gtk_widget_get_mapped (window);
}

/* A desk window on the database at DB_PATH, on a store of its own (as
 * another process would open it), WIDTH × HEIGHT, shown, and signed in
 * as STAFF_NO with PIN.  sd_ui_close_window () ends it. */
static inline SdWindow *
sd_ui_open_window (const char *db_path,
                   int         width,
                   int         height,
                   const char *staff_no,
                   const char *pin)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);
  SdWindow *window;

  g_assert_no_error (error);
  window = sd_window_new (NULL, store, FALSE);
  g_object_ref_sink (window);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  sd_ui_wait_for (sd_ui_window_mapped, window);
  sign_in (sd_window_get_signin_page (window), staff_no, pin);
  g_assert_nonnull (sd_window_get_staff (window));
  return window;
}

/* Closes WINDOW; a reference left anywhere fails the test. */
static inline void
sd_ui_close_window (SdWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

/* Keeps what WIDGET's window shows as screenshot NAME, then checks that
 * it fits WIDTH × HEIGHT with every control inside (or in a scrolled
 * area's reach); a screen too large is kept too, to be looked at. */
static inline void
sd_ui_check_screen (GtkWidget  *widget,
                    int         width,
                    int         height,
                    const char *name)
{
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);

  sd_ui_run_for (600);
  sd_ui_screenshot (widget, name);
  sd_ui_report_wide (widget, width, 0);
  g_assert_cmpint (gtk_widget_get_width (widget), <=, width);
  g_assert_cmpint (gtk_widget_get_height (widget), <=, height);
  sd_ui_collect_outside (widget, widget, width, height, outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("%s: %s", name, (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);
}

/* The first column of the first row SQL gives on the file at DB_PATH,
 * read on a connection of its own, as text; NULL when there is no row. */
static inline char *
sd_ui_sql_text (const char *db_path,
                const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}
