/* test-guide.c: the shelter guide desk: a lead edits the guide, nothing typed is lost by moving on, anyone prints it in any language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real window under Xvfb on the demo database (whose S01, S02 and S09
 * have a guide), on a store of its own as another process would open
 * the file; what was saved is read back on a separate SQLite connection.
 * Printing goes through the real GtkPrintOperation exported to a PDF, read
 * back by pdftotext; the screens are kept at 1366×768 and 1024×600.
 */
#include "sd-application.h"
#include "sd-evacuee-text.h"
#include "sd-guide-page.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

static char *dir;
static char *db_path;

static char *
stored (const char *code,
        const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM shelters WHERE code = '%s'", column, code);
  return sd_ui_sql_text (db_path, sql);
}

static SdGuidePage *
open_guide (SdWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "guide"));
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "guide");
  return SD_GUIDE_PAGE (sd_window_get_desk_page (window, "guide"));
}

static void
show_shelter (SdGuidePage *page,
              SdStore     *store,
              const char  *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelter) shelter = sd_store_find_shelter (store, code, &error);

  g_assert_no_error (error);
  sd_shelter_picker_set_shelter_id (sd_guide_page_get_shelter_picker (page), sd_shelter_get_id (shelter));
}

static const char *
shown_code (SdGuidePage *page)
{
  static char code[16];
  g_autoptr(SdShelter) shelter = sd_shelter_picker_get_shelter (sd_guide_page_get_shelter_picker (page));

  g_strlcpy (code, shelter != NULL ? sd_shelter_get_code (shelter) : "", sizeof code);
  return code;
}

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;

  sd_guide_page_export_finish (SD_GUIDE_PAGE (object), result, error);
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

static gboolean
export_done (gpointer page)
{
  return g_object_get_data (page, "done") != NULL;
}

static char *
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, NULL, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "Pages:"))
      return g_strstrip (g_strdup (lines[i] + strlen ("Pages:")));
  return NULL;
}

/* A lead: the seed's guide in the form, a change saved, a time that is
 * not one refused with nothing written, another shelter chosen with a
 * change typed (saved there first), an idle sign-out with one typed
 * (saved for them), and the page printed and written in every language. */
static void
test_lead_edits_and_prints (void)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window = sd_ui_open_window (db_path, 1366, 768, "1001", "123456");
  SdStore *store = sd_window_get_store (window);
  SdGuidePage *page = open_guide (window);
  GtkEditable *lunch = sd_guide_page_get_time_entry (page, SD_GUIDE_LUNCH);
  GtkEditable *dinner = sd_guide_page_get_time_entry (page, SD_GUIDE_DINNER);
  g_autofree char *before = NULL;

  show_shelter (page, store, "S01");
  g_assert_cmpstr (gtk_editable_get_text (sd_guide_page_get_time_entry (page, SD_GUIDE_BREAKFAST)), ==, "7:00");
  g_assert_cmpstr (gtk_editable_get_text (sd_guide_page_get_place_entry (page, SD_GUIDE_ASK)), ==,
                   "体育館入口の受付(緑のベスト)");
  g_assert_true (gtk_check_button_get_active (sd_guide_page_get_rule_check (page, SD_GUIDE_RULE_NO_ALCOHOL)));
  g_assert_false (sd_guide_page_get_dirty (page));
  sd_guide_page_set_language (page, "ja");
  sd_ui_check_screen (GTK_WIDGET (window), 1366, 768, "guide-lead-1366x768");

  /* A change, saved with Ctrl+S's action. */
  gtk_editable_set_text (lunch, "12時半");
  gtk_check_button_set_active (sd_guide_page_get_rule_check (page, SD_GUIDE_RULE_NO_ALCOHOL), FALSE);
  g_assert_true (sd_guide_page_get_dirty (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "guide.save", NULL));
  g_assert_false (sd_guide_page_get_dirty (page));
  g_free (before);
  before = stored ("S01", "guide_lunch");
  g_assert_cmpstr (before, ==, "12:30");
  {
    g_autofree char *rules = stored ("S01", "guide_rules");
    g_assert_null (strstr (rules, "no-alcohol"));
    g_assert_nonnull (strstr (rules, "no-smoking"));
  }
  g_assert_cmpstr (gtk_editable_get_text (lunch), ==, "12:30");  /* as it will print */

  /* A time that is not one: said, nothing written, the change kept in
   * the form; choosing another shelter is refused until it is put right. */
  gtk_editable_set_text (dinner, "夕方");
  g_assert_false (sd_guide_page_save (page));
  g_assert_nonnull (strstr (sd_guide_page_get_message (page), "夕方"));
  g_assert_true (sd_guide_page_get_dirty (page));
  g_free (before);
  before = stored ("S01", "guide_dinner");
  g_assert_cmpstr (before, ==, "18:00");
  show_shelter (page, store, "S02");
  g_assert_cmpstr (shown_code (page), ==, "S01");
  g_assert_cmpstr (gtk_editable_get_text (dinner), ==, "夕方");
  sd_ui_screenshot (GTK_WIDGET (window), "guide-time-refused");

  /* Put right, then another shelter: saved to S01 first, S02 shown. */
  gtk_editable_set_text (dinner, "17時45分");
  show_shelter (page, store, "S02");
  g_assert_cmpstr (shown_code (page), ==, "S02");
  g_free (before);
  before = stored ("S01", "guide_dinner");
  g_assert_cmpstr (before, ==, "17:45");
  g_assert_cmpstr (gtk_editable_get_text (sd_guide_page_get_place_entry (page, SD_GUIDE_ASK)), ==, "職員室前の受付");

  /* A shelter with no guide yet: an empty form, a page that still prints. */
  show_shelter (page, store, "S03");
  g_assert_cmpstr (gtk_editable_get_text (sd_guide_page_get_time_entry (page, SD_GUIDE_BREAKFAST)), ==, "");

  /* Typed, then signed out (as the idle sign-out does): saved for them,
   * even beside a time that is not one (that line stays as stored). */
  show_shelter (page, store, "S01");
  gtk_text_buffer_set_text (sd_guide_page_get_note_buffer (page), "夜間の出入りは正門のみです。", -1);
  gtk_editable_set_text (dinner, "夕方");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  g_free (before);
  before = stored ("S01", "guide_note");
  g_assert_cmpstr (before, ==, "夜間の出入りは正門のみです。");
  g_free (before);
  before = stored ("S01", "guide_dinner");
  g_assert_cmpstr (before, ==, "17:45");

  /* Printed in Vietnamese: the real print operation, to a file. */
  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  page = open_guide (window);
  show_shelter (page, store, "S01");
  sd_guide_page_set_language (page, "vi");
  sd_ui_screenshot (GTK_WIDGET (window), "guide-vi");
  {
    g_autoptr(GtkPrintOperation) op = sd_guide_page_new_print_operation (page);
    g_autofree char *printed = g_build_filename (dir, "printed-vi.pdf", NULL);
    g_autofree char *text = NULL;

    g_assert_nonnull (op);
    gtk_print_operation_set_export_filename (op, printed);
    g_assert_cmpint (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                     GTK_PRINT_OPERATION_RESULT_APPLY);
    g_assert_no_error (error);
    text = sd_ui_pdf_text (printed);
    g_assert_nonnull (strstr (text, "Hướng dẫn tại nơi sơ tán"));
    g_assert_nonnull (strstr (text, "12:30"));
    g_assert_nonnull (strstr (text, "17:45"));
    g_assert_nonnull (strstr (text, "夜間の出入りは正門のみです。"));
  }

  /* Every language, one page each, written in a worker thread. */
  {
    g_autofree char *path = g_build_filename (dir, "guide-all.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autofree char *pages = NULL;
    guint n;

    sd_evacuee_languages (&n);
    sd_guide_page_export_async (page, file, TRUE, NULL, export_done_cb, &error);
    sd_ui_wait_for (export_done, page);
    g_assert_no_error (error);
    pages = pdf_pages (path);
    g_assert_cmpint (atoi (pages), ==, (int) n);
  }
  /* Nepali and Korean on screen: their own glyphs (screenshots looked at). */
  sd_guide_page_set_language (page, "ne");
  sd_ui_screenshot (GTK_WIDGET (window), "guide-ne");
  sd_guide_page_set_language (page, "ko");
  sd_ui_screenshot (GTK_WIDGET (window), "guide-ko");

  sd_ui_close_window (window);
}

/* A volunteer reaches the desk and prints, but cannot change a line. */
static void
test_volunteer_prints_only (void)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window = sd_ui_open_window (db_path, 1366, 768, "1002", "1111");
  SdGuidePage *page = open_guide (window);
  g_autofree char *before = stored ("S01", "guide_lunch");

  show_shelter (page, sd_window_get_store (window), "S01");
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (sd_guide_page_get_time_entry (page, SD_GUIDE_LUNCH))));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (sd_guide_page_get_rule_check (page, SD_GUIDE_RULE_QUIET))));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "guide.save", NULL) &&
                  sd_guide_page_get_dirty (page));
  /* Even a change made behind the form's back is not written. */
  gtk_editable_set_text (sd_guide_page_get_time_entry (page, SD_GUIDE_LUNCH), "13:00");
  g_assert_true (sd_guide_page_save (page));
  {
    g_autofree char *after = stored ("S01", "guide_lunch");
    g_assert_cmpstr (after, ==, before);
  }
  sd_guide_page_set_language (page, "tl");
  {
    g_autoptr(GtkPrintOperation) op = sd_guide_page_new_print_operation (page);
    g_autofree char *printed = g_build_filename (dir, "printed-tl.pdf", NULL);
    g_autofree char *text = NULL;

    gtk_print_operation_set_export_filename (op, printed);
    g_assert_cmpint (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                     GTK_PRINT_OPERATION_RESULT_APPLY);
    text = sd_ui_pdf_text (printed);
    g_assert_nonnull (strstr (text, "Gabay sa evacuation center"));
  }
  sd_ui_check_screen (GTK_WIDGET (window), 1366, 768, "guide-volunteer-1366x768");
  sd_ui_close_window (window);
}

/* A kiosk's 1024×600: everything reachable. */
static void
test_small_screen (void)
{
  SdWindow *window = sd_ui_open_window (db_path, 1024, 600, "1001", "123456");
  SdGuidePage *page = open_guide (window);

  show_shelter (page, sd_window_get_store (window), "S02");
  sd_ui_check_screen (GTK_WIDGET (window), 1024, 600, "guide-1024x600");

  /* The window closed with a change typed: saved, not lost with it. */
  gtk_editable_set_text (sd_guide_page_get_place_entry (page, SD_GUIDE_CHARGING), "職員室前の廊下(東)");
  gtk_window_close (GTK_WINDOW (window));
  {
    g_autofree char *charging = stored ("S02", "guide_charging");
    g_assert_cmpstr (charging, ==, "職員室前の廊下(東)");
  }
  sd_ui_close_window (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  int rc;

  sd_ui_init (&argc, &argv);

  dir = g_dir_make_tmp ("sd-ui-guide-XXXXXX", NULL);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);

  g_test_add_func ("/ui/guide/lead-edits-and-prints", test_lead_edits_and_prints);
  g_test_add_func ("/ui/guide/volunteer-prints-only", test_volunteer_prints_only);
  g_test_add_func ("/ui/guide/small-screen", test_small_screen);
  rc = g_test_run ();
  g_free (db_path);
  g_free (dir);
  return rc;
}
