/* test-report.c: a shelter lead records the condition, saves the report as PDF and CSV, and prints it.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Printing goes through the real GtkPrintOperation, exported to a PDF
 * file (what "print to file" does), and both PDFs are read back by
 * pdftotext.  The figures are checked against a count made straight from
 * the recorded events, not from the table the report itself reads, and
 * the saved CSV is read back with the core's CSV reader.
 */
#include "sd-application.h"
#include "sd-checkin-page.h"
#include "sd-intake-page.h"
#include "sd-report-page.h"
#include "sd-save-folder.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

static char *dir;
static char *db_path;

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GError **error = user_data;
  if (!sd_report_page_export_finish (SD_REPORT_PAGE (object), result, error) && *error == NULL)
    g_assert_not_reached ();
  g_object_set_data (object, "done", GINT_TO_POINTER (1));
}

static gboolean
export_done (gpointer page)
{
  return g_object_get_data (page, "done") != NULL;
}

static void
export (SdReportPage *page, const char *name, SdReportFormat format, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_object_set_data (G_OBJECT (page), "done", NULL);
  sd_report_page_export_async (page, file, format, NULL, export_done_cb, error);
  sd_ui_wait_for (export_done, page);
}

/* Who stays through SHELTER_ID (NULL: every shelter), counted from the
 * events: each person's newest event that is not a supply pickup. */
static void
count_from_events (const char *shelter_id,
                   guint      *in_shelter,
                   guint      *out_now)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT kind, count(*) FROM ("
    "  SELECT kind, shelter_id, row_number () OVER (PARTITION BY person_id ORDER BY hlc DESC, id DESC) AS n"
    "  FROM person_events WHERE kind != 'supply') "
    "WHERE n = 1 AND (?1 IS NULL OR shelter_id = ?1) GROUP BY kind", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, shelter_id, -1, SQLITE_STATIC);
  *in_shelter = *out_now = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *kind = (const char *) sqlite3_column_text (stmt, 0);

      if (g_str_equal (kind, "arrive") || g_str_equal (kind, "return"))
        *in_shelter += sqlite3_column_int (stmt, 1);
      else if (g_str_equal (kind, "go_out"))
        *out_now += sqlite3_column_int (stmt, 1);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The report page's figures are what the events say. */
static void
assert_figures (SdReportPage *page,
                const char   *shelter_id)
{
  const SdShelterStatus *status = sd_report_page_get_status (page);
  guint in_shelter, out_now;

  count_from_events (shelter_id, &in_shelter, &out_now);
  /* The demo has people out for now, so present and out are told apart. */
  g_assert_cmpuint (in_shelter, >, 0);
  g_assert_cmpuint (out_now, >, 0);
  g_assert_nonnull (status);
  g_assert_cmpuint (status->stays.in_shelter, ==, in_shelter);
  g_assert_cmpuint (status->stays.out_now, ==, out_now);
  g_assert_cmpuint (status->persons, ==, in_shelter + out_now);
}

/* The row of the CSV at PATH whose first cell is FIRST. */
static GPtrArray *
csv_row (const char *path,
         const char *first)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCsvReader) reader = sd_csv_reader_new_from_file (path, "UTF-8", &error);
  GPtrArray *row;

  g_assert_no_error (error);
  while ((row = sd_csv_reader_read_row (reader, &error)) != NULL)
    {
      if (row->len > 0 && g_str_equal (g_ptr_array_index (row, 0), first))
        return row;
      g_ptr_array_unref (row);
    }
  g_assert_no_error (error);
  g_error ("no row “%s” in %s", first, path);
}

static void
assert_csv_count (const char *path,
                  const char *label,
                  guint       expected)
{
  g_autoptr(GPtrArray) row = csv_row (path, label);
  g_autofree char *text = g_strdup_printf ("%u", expected);

  g_assert_cmpuint (row->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (row, 1), ==, text);
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  return sd_ui_find (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static void
test_record_save_print (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);
  SdWindow *window = sd_window_new (NULL, store, FALSE);
  SdReportPage *page;
  g_autofree char *pdf = g_build_filename (dir, "status.pdf", NULL);
  g_autofree char *printed = g_build_filename (dir, "printed.pdf", NULL);
  g_autofree char *csv = g_build_filename (dir, "status.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *csv_text = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  guint in_shelter, out_now;

  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));

  /* A volunteer may not reach it; a lead may. */
  sign_in (sd_window_get_signin_page (window), "1002", "1111");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "report");
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "home");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "report"));
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "report");
  page = SD_REPORT_PAGE (sd_window_get_desk_page (window, "report"));

  g_assert_nonnull (sd_report_page_get_status (page));
  shelter = sd_store_find_shelter (store, sd_report_page_get_status (page)->shelter_code, &error);
  g_assert_no_error (error);
  assert_figures (page, sd_shelter_get_id (shelter));

  sd_report_page_set_lifeline (page, SD_LIFELINE_ELECTRICITY, SD_LIFELINE_STATE_OUT);
  sd_report_page_set_lifeline (page, SD_LIFELINE_WATER, SD_LIFELINE_STATE_LIMITED);
  sd_report_page_set_supplies (page, "毛布 30枚、紙おむつ(M) 2袋");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "report.record", NULL));
  g_assert_cmpint (sd_report_page_get_status (page)->lifelines[SD_LIFELINE_ELECTRICITY], ==, SD_LIFELINE_STATE_OUT);
  g_assert_cmpstr (sd_report_page_get_status (page)->supply_requests, ==, "毛布 30枚、紙おむつ(M) 2袋");
  sd_ui_screenshot (GTK_WIDGET (window), "report");

  /* Issue 12, 2: the next lead opens the form on what was recorded, and
   * recording Water alone keeps Electricity and the supply requests. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "report"));
  g_assert_cmpint (sd_report_page_get_lifeline (page, SD_LIFELINE_ELECTRICITY), ==, SD_LIFELINE_STATE_OUT);
  g_assert_cmpint (sd_report_page_get_lifeline (page, SD_LIFELINE_WATER), ==, SD_LIFELINE_STATE_LIMITED);
  {
    g_autofree char *supplies = sd_report_page_get_supplies (page);
    g_assert_cmpstr (supplies, ==, "毛布 30枚、紙おむつ(M) 2袋");
  }
  sd_report_page_set_lifeline (page, SD_LIFELINE_WATER, SD_LIFELINE_STATE_OK);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "report.record", NULL));
  g_assert_cmpint (sd_report_page_get_status (page)->lifelines[SD_LIFELINE_ELECTRICITY], ==, SD_LIFELINE_STATE_OUT);
  g_assert_cmpint (sd_report_page_get_status (page)->lifelines[SD_LIFELINE_WATER], ==, SD_LIFELINE_STATE_OK);
  g_assert_cmpstr (sd_report_page_get_status (page)->supply_requests, ==, "毛布 30枚、紙おむつ(M) 2袋");
  sd_ui_screenshot (GTK_WIDGET (window), "report-recorded-again");

  /* Issue 12, 9: a save opens in the Documents folder (never the
   * process's working folder), then where the last one went. */
  {
    g_autoptr(GFile) folder = sd_save_folder_get ();
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *path = g_file_get_path (folder);

    g_assert_cmpstr (path, !=, cwd);
  }
  export (page, "status.pdf", SD_REPORT_FORMAT_PDF, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GFile) folder = sd_save_folder_get ();
    g_autofree char *path = g_file_get_path (folder);

    g_assert_cmpstr (path, ==, dir);
  }
  text = sd_ui_pdf_text (pdf);
  g_assert_nonnull (strstr (text, "毛布 30枚"));
  g_assert_nonnull (strstr (text, "S01"));

  export (page, "status.csv", SD_REPORT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  g_assert_nonnull (strstr (csv_text, "S01"));
  count_from_events (sd_shelter_get_id (shelter), &in_shelter, &out_now);
  assert_csv_count (csv, _("People staying"), in_shelter + out_now);
  assert_csv_count (csv, _("In the shelter now"), in_shelter);
  assert_csv_count (csv, _("Gone out for now"), out_now);

  /* Someone goes out: the open report follows, one fewer present, one more out. */
  {
    g_autofree char *event = NULL;
    g_autofree char *someone = NULL;
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT person_id FROM person_state WHERE shelter_id = ?1 "
                                             "AND kind IN ('arrive', 'return') LIMIT 1", -1, &stmt, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, sd_shelter_get_id (shelter), -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    someone = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);

    event = sd_store_record_event (store, someone, SD_EVENT_GO_OUT, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (sd_report_page_get_status (page)->stays.in_shelter, ==, in_shelter - 1);
    g_assert_cmpuint (sd_report_page_get_status (page)->stays.out_now, ==, out_now + 1);
    assert_figures (page, sd_shelter_get_id (shelter));
  }

  /* Printing: the real print operation, to a PDF file. */
  {
    g_autoptr(GtkPrintOperation) op = sd_report_page_new_print_operation (page);
    g_autofree char *printed_text = NULL;

    gtk_print_operation_set_export_filename (op, printed);
    g_assert_cmpint (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error), ==,
                     GTK_PRINT_OPERATION_RESULT_APPLY);
    g_assert_no_error (error);
    printed_text = sd_ui_pdf_text (printed);
    g_assert_nonnull (strstr (printed_text, "毛布 30枚"));
  }

  /* Text typed at the desk never reaches a spreadsheet as a formula. */
  sd_report_page_set_supplies (page, "=HYPERLINK(\"http://x\",\"y\")");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "report.record", NULL));
  export (page, "formula.csv", SD_REPORT_FORMAT_CSV, &error);
  g_assert_no_error (error);
  {
    g_autofree char *path = g_build_filename (dir, "formula.csv", NULL);
    g_autoptr(GPtrArray) row = csv_row (path, _("Supply requests"));

    g_assert_cmpuint (row->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (row, 1), ==, "'=HYPERLINK(\"http://x\",\"y\")");
  }

  /* Every shelter together: the same split, over the whole city. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_descendant (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON)), TRUE);
  g_assert_null (sd_report_page_get_status (page)->shelter_code);
  assert_figures (page, NULL);

  /* A file where it cannot be written: a message, no crash. */
  export (page, "no/such/folder/status.pdf", SD_REPORT_FORMAT_PDF, &error);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Issue 12, 3: looking at another shelter's report never moves where
   * Intake registers or where Check-in scans; at the next sign-in every
   * desk starts at the kiosk's shelter again. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_descendant (GTK_WIDGET (page), GTK_TYPE_CHECK_BUTTON)), FALSE);
  {
    SdShelterPicker *intake = sd_intake_page_get_shelter_picker (SD_INTAKE_PAGE (sd_window_get_desk_page (window,
                                                                                                     "intake")));
    SdShelterPicker *checkin = sd_checkin_page_get_shelter_picker (SD_CHECKIN_PAGE (sd_window_get_desk_page (window,
                                                                                                        "checkin")));
    g_autofree char *intake_was = g_strdup (sd_shelter_picker_get_shelter_id (intake));
    g_autofree char *checkin_was = g_strdup (sd_shelter_picker_get_shelter_id (checkin));
    g_autoptr(SdShelter) s03 = sd_store_find_shelter (store, "S03", &error);

    g_assert_no_error (error);
    g_assert_cmpstr (intake_was, !=, sd_shelter_get_id (s03));
    sd_shelter_picker_set_shelter_id (sd_report_page_get_shelter_picker (page), sd_shelter_get_id (s03));
    g_assert_cmpstr (sd_report_page_get_status (page)->shelter_code, ==, "S03");
    g_assert_cmpstr (sd_shelter_picker_get_shelter_id (intake), ==, intake_was);
    g_assert_cmpstr (sd_shelter_picker_get_shelter_id (checkin), ==, checkin_was);
    gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
    sign_in (sd_window_get_signin_page (window), "1001", "123456");
    g_assert_cmpstr (sd_shelter_picker_get_shelter_id (sd_report_page_get_shelter_picker (page)), ==, checkin_was);
    g_assert_cmpstr (sd_shelter_picker_get_shelter_id (intake), ==, checkin_was);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = NULL;
  int rc;

  sd_application_setup_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sd_application_load_style ();

  dir = g_dir_make_tmp ("sd-ui-report-XXXXXX", NULL);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);

  g_test_add_func ("/ui/report/record-save-print", test_record_save_print);
  rc = g_test_run ();
  g_free (db_path);
  g_free (dir);
  return rc;
}
