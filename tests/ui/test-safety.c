/* test-safety.c: staff safety at the desk: a volunteer answers by keyboard, a lead records a call, HQ reviews.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real keystrokes (xdotool, through the X server) for the answer, counted;
 * what was stored is read back through the core.  The dashboard's totals
 * are checked against a GROUP BY straight on the answers, its live
 * refresh against an answer written by another process (shelterdesk-cli,
 * as the receiver's web form would), and every view against the kiosk
 * sizes, with screenshots named after the language (LANGUAGE=ja or en).
 */
#include "sd-application.h"
#include "sd-json.h"
#include "sd-safety-page.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>

static char *dir;
static char *db_path;

static const char *
language (void)
{
  const char *lang = g_getenv ("LANGUAGE");

  return lang != NULL && g_str_has_prefix (lang, "en") ? "en" : "ja";
}

static SdWindow *
new_window (int         width,
            int         height,
            const char *staff_no,
            const char *pin)
{
  return sd_ui_open_window (db_path, width, height, staff_no, pin);
}

static void
close_window (SdWindow *window)
{
  sd_ui_close_window (window);
}

static void
check_screen (SdWindow   *window,
              int         width,
              int         height,
              const char *name)
{
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *shot = g_strdup_printf ("safety-%s-%dx%d-%s", language (), width, height, name);

  sd_ui_run_for (600);
  sd_ui_report_wide (GTK_WIDGET (window), width, 0);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, height);
  sd_ui_collect_outside (GTK_WIDGET (window), GTK_WIDGET (window), width, height, outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("%s: %s", shot, (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);
  sd_ui_screenshot (GTK_WIDGET (window), shot);
}

static SdSafetyPage *
safety_page (SdWindow *window)
{
  return SD_SAFETY_PAGE (sd_window_get_desk_page (window, "staff-safety"));
}

/* What the database holds for STAFF_NO's answers to the open roll-call,
 * newest first: "safety location can_report means arrival via recorder". */
static GPtrArray *
stored_answers (const char *staff_no)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT a.safety || ' ' || a.location || ' ' || a.can_report || ' ' || coalesce (a.means, '-') || ' ' || "
    "  coalesce (a.arrival, '-') || ' ' || a.via || ' ' || coalesce (r.staff_no, '-') "
    "FROM safety_answers a JOIN staff s ON s.id = a.staff_id LEFT JOIN staff r ON r.id = a.recorded_by "
    "JOIN rollcalls c ON c.id = a.rollcall_id "
    "WHERE s.staff_no = ?1 AND c.closed_at IS NULL ORDER BY a.answered_at DESC, a.hlc DESC", -1, &stmt, NULL),
    ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, staff_no, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

static gboolean
has_n_answers (gpointer data)
{
  const char *staff_no = g_object_get_data (data, "staff-no");
  guint want = GPOINTER_TO_UINT (g_object_get_data (data, "want"));
  g_autoptr(GPtrArray) rows = stored_answers (staff_no);

  return rows->len >= want;
}

/* A volunteer, by keyboard alone: Ctrl+4 to the desk (their fourth),
 * then one digit per question and Enter in the message.  Counted. */
static void
test_answer_by_keyboard (void)
{
  SdWindow *window = new_window (1366, 768, "1002", "1111");
  const char *keys[] = { "ctrl+4", "1", "1", "1", "3", "2", "Return" };
  g_autoptr(GPtrArray) rows = NULL;
  SdSafetyPage *page = safety_page (window);

  g_assert_nonnull (page);
  sd_ui_run_for (300);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *argv[] = { "xdotool", "key", "--delay", "60", keys[i], NULL };

      sd_ui_xdotool (argv);
      sd_ui_run_for (120);
      if (i == 0)
        {
          g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "staff-safety");
          check_screen (window, 1366, 768, "form-empty");
        }
    }
  g_object_set_data (G_OBJECT (window), "staff-no", (gpointer) "1002");
  g_object_set_data (G_OBJECT (window), "want", GUINT_TO_POINTER (1));
  sd_ui_wait_for (has_n_answers, window);
  rows = stored_answers ("1002");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "unhurt home 1 car within_1h kiosk -");
  g_test_message ("keystrokes after sign-in: %u (target: at most 12)", (guint) G_N_ELEMENTS (keys));
  g_assert_cmpuint (G_N_ELEMENTS (keys), <=, 12);
  check_screen (window, 1366, 768, "form-sent");

  /* Enter again (a double press): still one answer. */
  {
    const char *argv[] = { "xdotool", "key", "Return", NULL };

    sd_ui_xdotool (argv);
    sd_ui_run_for (300);
    g_clear_pointer (&rows, g_ptr_array_unref);
    rows = stored_answers ("1002");
    g_assert_cmpuint (rows->len, ==, 1);
  }

  /* A volunteer never sees the others' answers. */
  sd_safety_page_show (page, "dashboard");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (
                     GTK_WIDGET (sd_safety_page_get_dashboard (page))))), ==, "answer");
  close_window (window);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0 ||
           (GTK_IS_LABEL (gtk_button_get_child (GTK_BUTTON (child))) &&
            g_strcmp0 (gtk_label_get_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (child)))), label) == 0)))
        return child;
      if ((found = find_button (child, label)) != NULL)
        return found;
    }
  return NULL;
}

/* A click, as the button's release gives it (gtk_widget_activate()
 * would wait for its pressed look to time out first). */
static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  sd_ui_run_for (100);
}

static gboolean
is_entry_with_placeholder (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_ENTRY (widget) && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (widget)), text) == 0;
}

static gboolean
is_proxy_toggle (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

/* A lead records a call from someone without a phone of their own, by clicks. */
static void
test_lead_records_a_call (void)
{
  SdWindow *window = new_window (1024, 600, "1001", "123456");
  SdSafetyPage *page = safety_page (window);
  GtkWidget *form = GTK_WIDGET (sd_safety_page_get_form (page));
  GtkWidget *toggle;
  GtkWidget *entry;
  g_autoptr(GPtrArray) rows = NULL;
  const char *choices[] = { g_dgettext ("shelterdesk", "Minor injury"), g_dgettext ("shelterdesk", "Elsewhere"),
                            g_dgettext ("shelterdesk", "No, I cannot") };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "staff-safety"));
  toggle = sd_ui_find (form, is_proxy_toggle, g_dgettext ("shelterdesk", "For someone who phoned…"));
  g_assert_nonnull (toggle);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), TRUE);
  entry = sd_ui_find (form, is_entry_with_placeholder, g_dgettext ("shelterdesk", "Their staff number"));
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "1003");
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      click (find_button (form, choices[i]));
    }
  /* Elsewhere needs a word on where: refused until it has one. */
  click (find_button (form, g_dgettext ("shelterdesk", "Send the answer")));
  rows = stored_answers ("1003");
  g_assert_cmpuint (rows->len, ==, 0);
  g_assert_cmpstr (sd_safety_form_get_status (SD_SAFETY_FORM (form)), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (sd_ui_find (form, is_entry_with_placeholder,
                                                    g_dgettext ("shelterdesk", "Where, for example “my parents’ house”"))),
                         "実家");
  check_screen (window, 1024, 600, "form-call");
  click (find_button (form, g_dgettext ("shelterdesk", "Send the answer")));
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = stored_answers ("1003");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "minor other 0 - - phone 1001");
  close_window (window);
}

/* The dashboard's totals, from a GROUP BY straight on the answers. */
static void
count_by_sql (const char *rollcall_id,
              guint      *answered,
              guint      *unhurt,
              guint      *can_report)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT count (*), coalesce (sum (safety = 'unhurt'), 0), coalesce (sum (can_report), 0) FROM ("
    "  SELECT a.*, row_number () OVER (PARTITION BY a.staff_id ORDER BY a.answered_at DESC, a.hlc DESC, a.id DESC)"
    "    AS n FROM safety_answers a JOIN staff s ON s.id = a.staff_id AND s.active = 1 WHERE a.rollcall_id = ?1)"
    " WHERE n = 1", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, rollcall_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *answered = sqlite3_column_int (stmt, 0);
  *unhurt = sqlite3_column_int (stmt, 1);
  *can_report = sqlite3_column_int (stmt, 2);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static gboolean
answered_is (gpointer data)
{
  SdSafetyDashboard *dashboard = data;
  SdSafetyTotals totals;

  sd_safety_dashboard_get_totals (dashboard, &totals);
  return totals.answered == GPOINTER_TO_UINT (g_object_get_data (data, "want"));
}

static void
test_hq_dashboard (void)
{
  static const int sizes[][2] = { { 1024, 600 }, { 1366, 768 }, { 800, 1280 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int width = sizes[s][0], height = sizes[s][1];
      SdWindow *window = new_window (width, height, "1003", "999999");
      SdSafetyPage *page = safety_page (window);
      SdSafetyDashboard *dashboard = sd_safety_page_get_dashboard (page);
      g_autoptr(SdRollcall) rollcall = NULL;
      SdSafetyTotals totals;
      guint answered, unhurt, can_report, n;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "staff-safety"));
      rollcall = sd_safety_page_get_rollcall (page);
      g_assert_nonnull (rollcall);
      g_assert_true (sd_rollcall_get_is_drill (rollcall));
      sd_safety_page_show (page, "dashboard");
      sd_ui_run_for (300);

      count_by_sql (sd_rollcall_get_id (rollcall), &answered, &unhurt, &can_report);
      sd_safety_dashboard_get_totals (dashboard, &totals);
      g_assert_cmpuint (totals.answered, ==, answered);
      g_assert_cmpuint (totals.by_safety[SD_SAFETY_UNHURT], ==, unhurt);
      g_assert_cmpuint (totals.can_report, ==, can_report);
      g_assert_cmpuint (g_list_model_get_n_items (sd_safety_dashboard_get_answers (dashboard)), ==, answered);
      g_assert_cmpuint (g_list_model_get_n_items (sd_safety_dashboard_get_missing (dashboard)), ==,
                        totals.roster - answered);
      check_screen (window, width, height, "dashboard-totals");

      /* One department: everything follows the filter. */
      sd_safety_dashboard_set_filter (dashboard, "総務部", NULL);
      sd_safety_dashboard_get_totals (dashboard, &totals);
      n = g_list_model_get_n_items (sd_safety_dashboard_get_answers (dashboard));
      g_assert_cmpuint (n, ==, totals.answered);
      g_assert_cmpuint (n, <, answered);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdSafetyAnswer) a = g_list_model_get_item (sd_safety_dashboard_get_answers (dashboard), i);

          g_assert_cmpstr (sd_safety_answer_get_department (a), ==, "総務部");
        }
      check_screen (window, width, height, "dashboard-department");

      /* Sorted by time to arrive, soonest first. */
      sd_safety_dashboard_set_filter (dashboard, NULL, NULL);
      sd_safety_dashboard_show (dashboard, "answers");
      sd_safety_dashboard_sort_by (dashboard, g_dgettext ("shelterdesk", "Time to arrive"), GTK_SORT_ASCENDING);
      {
        GListModel *sorted = sd_safety_dashboard_get_answers (dashboard);
        int last = -1;

        for (guint i = 0; i < g_list_model_get_n_items (sorted); i++)
          {
            g_autoptr(SdSafetyAnswer) a = g_list_model_get_item (sorted, i);

            g_assert_cmpint (sd_safety_answer_get_arrival (a), >=, last);
            last = sd_safety_answer_get_arrival (a);
          }
      }
      check_screen (window, width, height, "dashboard-answers");
      sd_safety_dashboard_show (dashboard, "missing");
      check_screen (window, width, height, "dashboard-missing");

      /* HQ's own answer: at every size, six choices fold into rows
       * rather than push the form past the screen. */
      sd_safety_page_show (page, "answer");
      check_screen (window, width, height, "form-hq");
      sd_safety_page_show (page, "dashboard");

      if (s == 0)
        {
          /* An answer written by another process (as the receiver's web
           * form does) appears without a restart. */
          const char *cli = g_getenv ("SD_CLI");
          g_autofree char *out = NULL, *err = NULL;
          g_autoptr(SdStaff) someone = NULL;
          g_autofree char *json = NULL;
          int status;
          g_autoptr(GError) error = NULL;
          SdSafetyTotals before;

          someone = g_list_model_get_item (sd_safety_dashboard_get_missing (dashboard), 0);
          json = g_strdup_printf ("{\"staff_no\": \"%s\", \"safety\": \"unhurt\", \"location\": \"home\", "
                                  "\"can_report\": true, \"means\": \"walk\", \"arrival\": \"within_30m\", "
                                  "\"via\": \"web\"}", sd_staff_get_staff_no (someone));
          sd_safety_dashboard_get_totals (dashboard, &before);
          {
            g_autofree char *file = g_build_filename (dir, "answer.json", NULL);
            const char *argv[] = { cli, "--db", db_path, "safety", "answer", file, NULL };

            g_assert_true (g_file_set_contents (file, json, -1, NULL));
            g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status, &error));
            g_assert_no_error (error);
            if (!g_spawn_check_wait_status (status, NULL))
              g_error ("safety answer failed: %s", err);
          }
          g_object_set_data (G_OBJECT (dashboard), "want", GUINT_TO_POINTER (before.answered + 1));
          sd_ui_wait_for (answered_is, dashboard);
        }
      close_window (window);
    }
}

/* CLI's output for ARGV (after the program), with INPUT on its stdin;
 * fails the test if it fails. */
static char *
cli_run (const char        *input,
         const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (args, (gpointer) g_getenv ("SD_CLI"));
  g_ptr_array_add (args, "--db");
  g_ptr_array_add (args, db_path);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char *const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

/* A staff member answers from a phone, through HQ's real receiver and its
 * web form, while HQ's dashboard is open in another process: the answer
 * shows without a restart. */
static void
test_web_answer_reaches_the_dashboard (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bundle = g_build_filename (dir, "deploy.sdbundle", NULL);
  g_autofree char *made = cli_run (NULL, (const char *[]) { "deploy", "bundle", "--out", bundle, NULL });
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSafetyPage *page = safety_page (window);
  SdSafetyDashboard *dashboard = sd_safety_page_get_dashboard (page);
  g_autoptr(SdStaff) someone = NULL;
  g_autoptr(GSubprocess) receiver = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(json_t) event = NULL;
  g_autofree char *line = NULL;
  g_autofree char *pinned = NULL;
  SdSafetyTotals before;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "staff-safety"));
  sd_safety_page_show (page, "dashboard");
  sd_ui_run_for (300);
  sd_safety_dashboard_get_totals (dashboard, &before);
  someone = g_list_model_get_item (sd_safety_dashboard_get_missing (dashboard), 0);
  g_assert_nonnull (someone);
  /* HQ gives them a PIN, as for the desk. */
  pinned = cli_run ("246810\n", (const char *[]) { "staff", "set-pin", sd_staff_get_staff_no (someone), NULL });

  receiver = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("SD_CLI"), "--db", db_path,
                               "serve", "--listen", "127.0.0.1:0", "--json", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  event = json_loads (line, 0, NULL);
  g_assert_nonnull (event);
  {
    const char *argv[] = { "python3", g_getenv ("SD_WEB_ANSWER"),
                           json_string_value (json_object_get (event, "url")),
                           sd_staff_get_staff_no (someone), "246810", NULL };
    g_autofree char *err = NULL;
    int status;

    g_assert_nonnull (argv[1]);
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                                 NULL, NULL, NULL, &err, &status, &error));
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("the web answer failed: %s", err);
  }
  g_object_set_data (G_OBJECT (dashboard), "want", GUINT_TO_POINTER (before.answered + 1));
  sd_ui_wait_for (answered_is, dashboard);
  check_screen (window, 1366, 768, "dashboard-web-answer");

  g_subprocess_send_signal (receiver, SIGTERM);
  g_assert_true (g_subprocess_wait (receiver, NULL, &error));
  g_assert_no_error (error);
  close_window (window);
}

static AdwMessageDialog *
message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
message_shown (gpointer data)
{
  return message_dialog () != NULL;
}

/* Imports FILE as HQ's menu does, and closes the dialog that says how it
 * went once it is shown, saying WORDS, and screenshot as SHOT. */
static void
import_and_read (SdSafetyPage *page,
                 GFile        *file,
                 const char   *words,
                 const char   *shot)
{
  g_autofree char *name = g_strdup_printf ("safety-%s-%s", language (), shot);
  AdwMessageDialog *dialog;

  sd_safety_page_import (page, file);
  sd_ui_wait_for (message_shown, NULL);
  dialog = message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), words));
  sd_ui_screenshot (GTK_WIDGET (dialog), name);
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  sd_ui_run_for (200);
  g_assert_null (message_dialog ());
}

/* HQ imports a safety service's export (Shift_JIS, as Excel saves it):
 * the dashboard counts the new answers, and a bad file changes nothing. */
static void
test_hq_imports_a_service_csv (void)
{
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSafetyPage *page = safety_page (window);
  SdSafetyDashboard *dashboard = sd_safety_page_get_dashboard (page);
  g_autoptr(SdStaff) first = NULL, second = NULL;
  g_autofree char *csv = NULL, *sjis = NULL, *path = NULL, *bad_path = NULL;
  g_autoptr(GFile) file = NULL, bad = NULL;
  g_autoptr(GError) error = NULL;
  SdSafetyTotals before, after;
  gsize length = 0;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "staff-safety"));
  sd_safety_page_show (page, "dashboard");
  sd_ui_run_for (300);
  sd_safety_dashboard_get_totals (dashboard, &before);
  first = g_list_model_get_item (sd_safety_dashboard_get_missing (dashboard), 0);
  second = g_list_model_get_item (sd_safety_dashboard_get_missing (dashboard), 1);
  csv = g_strdup_printf ("職員番号,氏名,回答日時,安否,現在地,参集可否,参集方法,参集までの時間\r\n"
                         "%s,%s,2026/12/03 00:10,無事,自宅,可,徒歩,30分以内\r\n"
                         "%s,%s,2026/12/03 00:12,軽傷,職場,否,,\r\n",
                         sd_staff_get_staff_no (first), sd_staff_get_name (first),
                         sd_staff_get_staff_no (second), sd_staff_get_name (second));
  sjis = g_convert (csv, -1, "CP932", "UTF-8", NULL, &length, &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "service.csv", NULL);
  g_assert_true (g_file_set_contents (path, sjis, length, NULL));

  /* A file with one bad row first: refused whole, said why. */
  bad_path = g_build_filename (dir, "bad.csv", NULL);
  {
    g_autofree char *text = g_strconcat (csv, "1003,石田,2026/12/03 00:20,元気,自宅,否,,\r\n", NULL);

    g_assert_true (g_file_set_contents (bad_path, text, -1, NULL));
  }
  bad = g_file_new_for_path (bad_path);
  import_and_read (page, bad, "元気", "import-refused-dialog");
  sd_safety_dashboard_get_totals (dashboard, &after);
  g_assert_cmpuint (after.answered, ==, before.answered);

  file = g_file_new_for_path (path);
  import_and_read (page, file, "CP932", "import-done-dialog");
  g_object_set_data (G_OBJECT (dashboard), "want", GUINT_TO_POINTER (before.answered + 2));
  sd_ui_wait_for (answered_is, dashboard);
  close_window (window);
}

/* HQ opens a real roll-call: the desk moves to it, with no drill band. */
static void
test_hq_opens_a_rollcall (void)
{
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSafetyPage *page = safety_page (window);
  g_autoptr(SdRollcall) rollcall = NULL;
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "staff-safety"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "safety.open", NULL));
  sd_ui_run_for (300);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        dialog = ADW_MESSAGE_DIALOG (w);
    }
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_first_child (adw_message_dialog_get_extra_child (dialog))),
                         "震度6強 地震");
  check_screen (window, 1366, 768, "open-dialog");
  adw_message_dialog_response (dialog, "open");
  sd_ui_run_for (300);
  rollcall = sd_safety_page_get_rollcall (page);
  g_assert_cmpstr (sd_rollcall_get_title (rollcall), ==, "震度6強 地震");
  g_assert_false (sd_rollcall_get_is_drill (rollcall));
  g_assert_true (sd_rollcall_get_is_open (rollcall));
  check_screen (window, 1366, 768, "real-rollcall");
  close_window (window);
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

  dir = g_dir_make_tmp ("sd-ui-safety-XXXXXX", NULL);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);

  g_test_add_func ("/ui/safety/answer-by-keyboard", test_answer_by_keyboard);
  g_test_add_func ("/ui/safety/lead-records-a-call", test_lead_records_a_call);
  g_test_add_func ("/ui/safety/hq-dashboard", test_hq_dashboard);
  g_test_add_func ("/ui/safety/web-answer-reaches-the-dashboard", test_web_answer_reaches_the_dashboard);
  g_test_add_func ("/ui/safety/hq-imports-a-service-csv", test_hq_imports_a_service_csv);
  g_test_add_func ("/ui/safety/hq-opens-a-rollcall", test_hq_opens_a_rollcall);
  rc = g_test_run ();
  g_free (db_path);
  g_free (dir);
  return rc;
}
