/* test-exercise.c: the 訓練 EXERCISE band of the desk, on an exercise's database and only there.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An exercise's database is made as it always is, through the core:
 * a new file marked an exercise while still blank, then the demo seeds
 * loaded into it (and their demo mark taken off, so the exercise's is
 * the only one).  At a small kiosk's 1024×600, a kiosk's 1366×768 and a
 * tablet's 800×1280, the band is on sign-in and on every desk a shelter
 * lead reaches, across the top, in its stripes, and no control of any
 * of them is pushed out of the window.  A live and a demo database show
 * no band.  Each screen is saved as exercise-WxH-PAGE.png.
 */
#include "sd-application.h"
#include "sd-exercise.h"
#include "sd-exercise-live.h"
#include "sd-exercise-scrubber.h"
#include "sd-exercise-snapshot.h"
#include "sd-intake-page.h"
#include "sd-shelter-picker.h"
#include "sd-qr-dialog.h"
#include "sd-report-page.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <glib/gstdio.h>

static char *dir;
static char *exercise_path;
static char *demo_path;
static char *live_path;

/* A window on the database at PATH, mapped. */
static SdWindow *
open_window (const char *path,
             int         width,
             int         height)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  SdWindow *window;

  g_assert_no_error (error);
  window = sd_ui_window_new (store, width, height);
  sd_ui_wait_for (sd_ui_mapped, window);
  return window;
}

static gboolean
has_band_class (GtkWidget     *widget,
                gconstpointer  data)
{
  return gtk_widget_has_css_class (widget, "exercise-band");
}

/* The colour the window shows at X, Y (window coordinates). */
static void
pixel_at (SdWindow *window,
          int       x,
          int       y,
          guchar    rgb[3])
{
  g_autoptr(GdkTexture) texture = sd_ui_render (GTK_WIDGET (window));
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * height * 4);
  const guchar *p;

  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  gdk_texture_download (texture, data, (gsize) width * 4);
  /* Cairo's ARGB32, premultiplied, in native byte order: B G R A here. */
  p = data + ((gsize) y * width + x) * 4;
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

/* The band is on screen across the top of the window, says the words,
 * in the exercise's magenta; no control of the page is outside the
 * window; the screen is saved. */
static void
check_band (SdWindow   *window,
            int         width,
            int         height,
            const char *page,
            GPtrArray  *outside)
{
  GtkWidget *band = sd_window_get_exercise_band (window);
  g_autofree char *text = sd_exercise_mark_text ();
  g_autofree char *shot = g_strdup_printf ("exercise-%dx%d-%s", width, height, page);
  graphene_rect_t bounds;
  guchar rgb[3];
  guint before = outside->len;

  g_test_message ("%dx%d %s", width, height, page);
  g_assert_nonnull (band);
  g_assert_true (gtk_widget_get_mapped (band));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (band)), ==, text);
  g_assert_true (g_str_has_prefix (text, "訓練 EXERCISE"));

  sd_ui_screenshot (GTK_WIDGET (window), shot);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, height);
  g_assert_true (gtk_widget_compute_bounds (band, GTK_WIDGET (window), &bounds));
  /* Under the header bar, the whole width, one line (never squeezed to
   * nothing, never taking the desk's room). */
  g_assert_cmpfloat (bounds.origin.x, <=, 0.5);
  g_assert_cmpfloat (bounds.size.width, >=, gtk_widget_get_width (GTK_WIDGET (window)) - 1);
  g_assert_cmpfloat (bounds.origin.y, >, 20);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <, 120);
  g_assert_cmpfloat (bounds.size.height, >=, 30);
  g_assert_cmpfloat (bounds.size.height, <=, 48);

  /* Its stripes (#b0127a, #8a0f5e, or where they meet): magenta, never
   * a state's colour nor the drill's violet. */
  pixel_at (window, (int) bounds.origin.x + 20, (int) (bounds.origin.y + bounds.size.height / 2), rgb);
  g_test_message ("band colour #%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
  g_assert_cmpint (rgb[0], >=, 0x88);
  g_assert_cmpint (rgb[1], <=, 0x14);
  g_assert_cmpint (rgb[2], >=, 0x5c);
  g_assert_cmpint (rgb[2], <=, 0x7c);

  sd_ui_collect_outside (GTK_WIDGET (window), GTK_WIDGET (window), width, height, outside);
  for (guint i = before; i < outside->len; i++)
    {
      g_autofree char *item = g_ptr_array_index (outside, i);
      g_ptr_array_index (outside, i) = g_strdup_printf ("%dx%d %s: %s", width, height, page, item);
    }
}

/* Sign-in and every desk of a shelter lead, at the three screens. */
static void
test_band_on_every_page (void)
{
  static const int sizes[][2] = { { 1366, 768 }, { 1024, 600 }, { 800, 1280 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int width = sizes[s][0], height = sizes[s][1];
      SdWindow *window = open_window (exercise_path, width, height);
      g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);

          sd_ui_run_for (300);
      check_band (window, width, height, "signin", outside);

      sign_in (sd_window_get_signin_page (window), "1001", "123456");
      g_assert_nonnull (sd_window_get_staff (window));
      for (SdDesk desk = 0; desk <= SD_N_DESKS; desk++)
        {
          const char *name = desk < SD_N_DESKS ? sd_desk_to_string (desk) : "home";

          if (desk < SD_N_DESKS && (!sd_role_allows_desk (SD_ROLE_LEAD, desk) ||
                                    sd_window_get_desk_page (window, name) == NULL))
            continue;
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", name));
          g_assert_cmpstr (sd_window_get_visible_desk (window), ==, name);
          sd_ui_run_for (800);  /* the sidebar may fold or unfold, animated */
          check_band (window, width, height, name, outside);
        }
      for (guint i = 0; i < outside->len; i++)
        g_test_message ("outside: %s", (char *) g_ptr_array_index (outside, i));
      g_assert_cmpuint (outside->len, ==, 0);

      /* Signed out again, the band stays. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
      g_assert_cmpstr (sd_window_get_visible_page (window), ==, "signin");
      g_assert_true (gtk_widget_get_mapped (sd_window_get_exercise_band (window)));
      sd_ui_window_close (window);
    }
}

/* A screen reader meets the band as the window's banner, by its words. */
static void
test_band_accessible (void)
{
  SdWindow *window = open_window (exercise_path, 1366, 768);
  g_autofree char *text = sd_exercise_mark_text ();
  GtkWidget *band;

  band = sd_window_get_exercise_band (window);
  g_assert_nonnull (band);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (band), GTK_ACCESSIBLE_ROLE_BANNER));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (band), GTK_ACCESSIBLE_PROPERTY_LABEL, text);
  sd_ui_window_close (window);
}

/* What the desk sends the printer (the status report, a household's
 * cards), exported to PDF as GtkPrintOperation does for a printer. */
static char *
print_from_desk (const char *db,
                 const char *name)
{
  SdWindow *window = open_window (db, 1366, 768);
  SdReportPage *report = SD_REPORT_PAGE (sd_window_get_desk_page (window, "report"));
  g_autofree char *report_pdf = g_strdup_printf ("%s/%s-report.pdf", dir, name);
  g_autofree char *cards_pdf = g_strdup_printf ("%s/%s-cards.pdf", dir, name);
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListModel) found = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *cards_text = NULL;
  SdQrDialog *dialog;

  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "report"));
  sd_ui_run_for (300);
  op = sd_report_page_new_print_operation (report);
  g_assert_nonnull (op);
  gtk_print_operation_set_export_filename (op, report_pdf);
  g_assert_cmpint (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                   GTK_PRINT_OPERATION_RESULT_APPLY);
  g_assert_no_error (error);

  found = sd_store_search_persons (sd_window_get_store (window), "sato", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), >=, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (found, i);
      g_ptr_array_add (ids, g_strdup (sd_person_get_id (p)));
    }
  g_ptr_array_add (ids, NULL);
  dialog = sd_qr_dialog_new (GTK_WINDOW (window), sd_window_get_store (window), (const char *const *) ids->pdata);
  g_assert_true (sd_qr_dialog_export_print (dialog, cards_pdf, &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_ui_window_close (window);

  report_text = sd_ui_pdf_text (report_pdf);
  cards_text = sd_ui_pdf_text (cards_pdf);
  g_remove (report_pdf);
  g_remove (cards_pdf);
  return g_strconcat (report_text, "\f", cards_text, NULL);
}

/* The desk's own printing says so too, the cards each on their own. */
static void
test_printing_says_so (void)
{
  g_autofree char *mark = sd_exercise_mark_text ();
  g_autofree char *exercise = print_from_desk (exercise_path, "exercise");
  g_autofree char *demo = print_from_desk (demo_path, "demo");
  g_auto(GStrv) parts = g_strsplit (exercise, SD_EXERCISE_WORD, -1);

  g_assert_nonnull (strstr (exercise, mark));
  /* The report's band, the card page's band, and a strip on each card. */
  g_assert_cmpuint (g_strv_length (parts) - 1, ==, 2 + 2);
  g_assert_null (strstr (demo, "EXERCISE"));
}

/* Neither a live database nor the demo shows it, on sign-in or a desk. */
static void
test_no_band_elsewhere (void)
{
  const char *paths[] = { live_path, demo_path };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      SdWindow *window = open_window (paths[i], 1024, 600);
      GtkWidget *label = sd_ui_find (GTK_WIDGET (window), has_band_class, NULL);

          sd_ui_run_for (300);
      g_assert_false (sd_store_get_is_exercise (sd_window_get_store (window)));
      g_assert_null (sd_window_get_exercise_band (window));
      g_assert_nonnull (label);
      g_assert_false (gtk_widget_get_mapped (label));
      /* Hidden, it takes no room either (its revealer is 0 high). */
      g_assert_cmpint (gtk_widget_get_height (gtk_widget_get_parent (label)), ==, 0);
      if (paths[i] == demo_path)
        {
          sign_in (sd_window_get_signin_page (window), "1001", "123456");
          g_assert_nonnull (sd_window_get_staff (window));
          sd_ui_run_for (300);
          g_assert_false (gtk_widget_get_mapped (label));
          sd_ui_screenshot (GTK_WIDGET (window), "exercise-none-demo-1024x600-home");
        }
      else
        sd_ui_screenshot (GTK_WIDGET (window), "exercise-none-live-1024x600-signin");
      sd_ui_window_close (window);
    }
}

static char *make_database (const char *folder, const char *name, gboolean exercise, gboolean seeded);

static gboolean
label_says (GtkWidget     *widget,
            gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strstr (gtk_label_get_text (GTK_LABEL (widget)), data) != NULL;
}

/* A scenario's "reader fails at=S01": the intake desk of S01 says the
 * reader does not answer and opens no card dialog; at S02 it reads. */
static void
test_reader_fails (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_database (dir, "reader.sqlite", TRUE, TRUE);
  const char *csv = "serial,time,description,action\n1,T+00:00,The reader at S01 fails,reader fails at=S01\n";
  g_autoptr(GBytes) bytes = g_bytes_new (csv, strlen (csv));
  g_autoptr(SdScenario) scenario = sd_scenario_parse (bytes, "reader.csv", FALSE, &error);
  SdWindow *window;
  GtkWidget *page;
  SdShelterPicker *picker;
  const char *says = g_dgettext (GETTEXT_PACKAGE, "The card reader does not answer (exercise). Register this "
                                                  "household by hand, or scan their QR code.");

  g_assert_no_error (error);
  {
    g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
    g_autoptr(SdExerciseEngine) engine = sd_exercise_engine_new (store, scenario, 1, 0, &error);

    g_assert_no_error (error);
    g_assert_true (sd_exercise_engine_run_all (engine, &error));
    g_assert_no_error (error);
  }
  window = open_window (path, 1366, 768);
  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "intake"));
  page = sd_window_get_desk_page (window, "intake");
  picker = sd_intake_page_get_shelter_picker (SD_INTAKE_PAGE (page));
  {
    g_autoptr(GListModel) shelters = NULL;
    g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_READ_ONLY, &error);
    g_autoptr(SdShelter) s01 = sd_store_find_shelter (store, "S01", &error);
    g_autoptr(SdShelter) s02 = sd_store_find_shelter (store, "S02", &error);

    g_assert_no_error (error);
    sd_shelter_picker_set_shelter_id (picker, sd_shelter_get_id (s01));
    sd_ui_run_for (200);
    g_assert_true (gtk_widget_activate_action (page, "intake.read-card", NULL));
    sd_ui_run_for (300);
    g_assert_nonnull (sd_ui_find (page, label_says, says));
    /* No card dialog: the window is the only one up. */
    g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 1);
    sd_ui_screenshot (GTK_WIDGET (window), "exercise-reader-fails-1366x768");

    sd_shelter_picker_set_shelter_id (picker, sd_shelter_get_id (s02));
    sd_ui_run_for (200);
    g_assert_true (gtk_widget_activate_action (page, "intake.read-card", NULL));
    sd_ui_run_for (300);
    g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, 2);
  }
  /* Close the card dialog, then the window. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i - 1);

        if (w != GTK_WINDOW (window))
          gtk_window_destroy (w);
      }
  }
  sd_ui_window_close (window);
}

static gboolean
scrubber_showed (gpointer data)
{
  return sd_exercise_scrubber_get_summary (data) != NULL;
}

/* The scrubber on the demo's M7 day: at T+06:00 it shows what the
 * snapshot of that moment holds, computed in its worker. */
static void
test_scrubber (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = make_database (dir, "scrubber.sqlite", TRUE, TRUE);
  g_autofree char *scenario_path = g_build_filename (g_getenv ("SD_SEEDS_DIR"), "scenarios", "m7-day1.csv", NULL);
  g_autoptr(SdScenario) scenario = sd_scenario_load (scenario_path, &error);
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdExerciseSnapshot) expected = NULL;
  g_autofree char *expected_text = NULL;
  GtkWidget *window, *scrubber;

  g_assert_no_error (error);
  store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(SdExerciseEngine) engine = sd_exercise_engine_new (store, scenario, 7, 0, &error);

    g_assert_no_error (error);
    g_assert_true (sd_exercise_engine_run_all (engine, &error));
  }
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 600);
  scrubber = sd_exercise_scrubber_new ();
  gtk_widget_set_margin_start (scrubber, 24);
  gtk_widget_set_margin_end (scrubber, 24);
  gtk_widget_set_margin_top (scrubber, 24);
  gtk_window_set_child (GTK_WINDOW (window), scrubber);
  gtk_window_present (GTK_WINDOW (window));
  sd_exercise_scrubber_set_store (SD_EXERCISE_SCRUBBER (scrubber), store);
  sd_exercise_scrubber_set_time (SD_EXERCISE_SCRUBBER (scrubber), 6 * 3600000);
  g_assert_cmpint (sd_exercise_scrubber_get_time (SD_EXERCISE_SCRUBBER (scrubber)), ==, 6 * 3600000);
  sd_ui_wait_for (scrubber_showed, scrubber);
  sd_ui_run_for (500);
  {
    SdExerciseClock clock;

    g_assert_true (sd_exercise_get_clock (store, &clock, &error));
    expected = sd_exercise_snapshot_at (store, clock.start_at + 6 * 3600000, &error);
    sd_exercise_clock_clear (&clock);
  }
  g_assert_no_error (error);
  expected_text = g_strdup_printf ("%u %u %u %u", expected->staying, expected->in_shelter, expected->out_now,
                                   expected->households);
  g_test_message ("scrubber: %s", sd_exercise_scrubber_get_summary (SD_EXERCISE_SCRUBBER (scrubber)));
  g_assert_true (g_str_has_prefix (sd_exercise_scrubber_get_summary (SD_EXERCISE_SCRUBBER (scrubber)), expected_text));
  g_assert_cmpuint (expected->staying, >, 1000);
  sd_ui_screenshot (window, "exercise-scrubber-1024x600");
  gtk_window_destroy (GTK_WINDOW (window));
}

static char *
make_database (const char *folder,
               const char *name,
               gboolean    exercise,
               gboolean    seeded)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (folder, name, NULL);
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);

  g_assert_no_error (error);
  if (exercise)
    g_assert_true (sd_store_mark_exercise (store, &error));
  g_assert_no_error (error);
  if (seeded)
    g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_assert_no_error (error);
  /* The demo seeds mark a database demo: an exercise is not one. */
  if (exercise)
    g_assert_true (sd_store_set_is_demo (store, FALSE, &error));
  g_assert_no_error (error);
  return path;
}

int
main (int argc, char *argv[])
{
  int rc;

  /* GTK's own test backend records what a screen reader would be told
   * (the suite's environment turns accessibility off). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* As the desk does: Japanese first (the test environment sets LANGUAGE=ja). */
  sd_application_setup_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sd_application_load_style ();

  dir = g_dir_make_tmp ("sd-ui-XXXXXX", NULL);
  exercise_path = make_database (dir, "exercise.sqlite", TRUE, TRUE);
  demo_path = make_database (dir, "demo.sqlite", FALSE, TRUE);
  live_path = make_database (dir, "live.sqlite", FALSE, FALSE);

  g_test_add_func ("/ui/exercise/band-on-every-page", test_band_on_every_page);
  g_test_add_func ("/ui/exercise/band-accessible", test_band_accessible);
  g_test_add_func ("/ui/exercise/no-band-elsewhere", test_no_band_elsewhere);
  g_test_add_func ("/ui/exercise/printing-says-so", test_printing_says_so);
  g_test_add_func ("/ui/exercise/reader-fails", test_reader_fails);
  g_test_add_func ("/ui/exercise/scrubber", test_scrubber);
  rc = g_test_run ();

  g_free (exercise_path);
  g_free (demo_path);
  g_free (live_path);
  g_free (dir);
  return rc;
}
