/* test-support.c: the support-list desk: counts and filters, a status reported, a welfare system's CSV imported.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real window on the demo under Xvfb.  What the desk shows is checked
 * against the core's own counts and against SQL on the file; what it
 * writes is read back from the file.  Every screen is checked at the
 * kiosk sizes and kept as a screenshot.
 */
#include "sd-application.h"
#include "sd-json-item.h"
#include "sd-people-layer.h"
#include "sd-support-import-dialog.h"
#include "sd-support-map-shumate.h"
#include "sd-support-page.h"
#include "sd-support-person-dialog.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>

static char *dir;
static char *db_path;

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
check_screen (GtkWidget  *widget,
              int         width,
              int         height,
              const char *name)
{
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  const char *lang = g_getenv ("LANGUAGE");
  g_autofree char *shot = g_strdup_printf ("support-%s-%dx%d-%s",
                                           lang != NULL && g_str_has_prefix (lang, "en") ? "en" : "ja",
                                           width, height, name);

  sd_ui_run_for (600);
  sd_ui_report_wide (widget, width, 0);
  g_assert_cmpint (gtk_widget_get_width (widget), <=, width);
  g_assert_cmpint (gtk_widget_get_height (widget), <=, height);
  sd_ui_collect_outside (widget, widget, width, height, outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("%s: %s", shot, (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);
  sd_ui_screenshot (widget, shot);
}

static SdSupportPage *
show_support (SdWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "support"));
  sd_ui_run_for (300);
  return SD_SUPPORT_PAGE (sd_window_get_desk_page (window, "support"));
}

static gint64
sql_count (const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

#define UNCONFIRMED_PERSON_SQL(column) \
  "SELECT p." column " FROM support_persons p LEFT JOIN support_state s ON s.support_person_id = p.id " \
  "WHERE p.listed = 1 AND s.status IS NULL AND p.birth_date IS NOT NULL ORDER BY p.id LIMIT 1"

#define UNCONFIRMED_SQL \
  "SELECT count (*) FROM support_persons p LEFT JOIN support_state s ON s.support_person_id = p.id " \
  "WHERE p.listed = 1 AND coalesce (s.status, 'unconfirmed') = 'unconfirmed'"

/* HQ's desk at every kiosk size; the counts are the file's; a touch on
 * Unconfirmed and a district show exactly those people. */
static void
test_hq_desk (void)
{
  static const int sizes[][2] = { { 1366, 768 }, { 1024, 600 }, { 800, 1280 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      SdWindow *window = new_window (sizes[i][0], sizes[i][1], "1003", "999999");
      SdSupportPage *page = show_support (window);
      GListModel *shown = sd_support_page_get_shown (page);

      g_assert_nonnull (page);
      g_assert_cmpint (g_list_model_get_n_items (shown), ==,
                       sql_count ("SELECT count (*) FROM support_persons WHERE listed = 1"));
      check_screen (GTK_WIDGET (window), sizes[i][0], sizes[i][1], "list");

      sd_support_page_show_status (page, SD_SUPPORT_UNCONFIRMED);
      sd_ui_run_for (100);
      g_assert_cmpint (g_list_model_get_n_items (shown), ==, sql_count (UNCONFIRMED_SQL));
      for (guint k = 0; k < g_list_model_get_n_items (shown); k++)
        {
          g_autoptr(SdJsonItem) item = g_list_model_get_item (shown, k);

          g_assert_cmpstr (sd_json_item_get_string (item, "status"), ==, "unconfirmed");
        }
      close_window (window);
    }
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static gboolean
is_scrolled_window (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

static gboolean
is_expander (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_EXPANDER (widget);
}

static gboolean
dialog_step_is (gpointer dialog)
{
  return g_strcmp0 (sd_support_import_dialog_get_step (dialog), g_object_get_data (dialog, "want")) == 0;
}

static void
wait_step (SdSupportImportDialog *dialog,
           const char            *step)
{
  g_object_set_data_full (G_OBJECT (dialog), "want", g_strdup (step), g_free);
  sd_ui_wait_for (dialog_step_is, dialog);
  g_assert_cmpstr (sd_support_import_dialog_get_step (dialog), ==, step);
}

/* A person reached: the record opens from the list, Evacuated to S01 is
 * recorded once however often Record is pressed, and the count drops. */
static void
test_report_status (void)
{
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSupportPage *page = show_support (window);
  GListModel *shown = sd_support_page_get_shown (page);
  g_autoptr(SdJsonItem) first = NULL;
  g_autofree char *id = NULL, *sql = NULL;
  gint64 before = sql_count (UNCONFIRMED_SQL);
  GtkWindow *dialog;

  sd_support_page_show_status (page, SD_SUPPORT_UNCONFIRMED);
  sd_ui_run_for (100);
  first = g_list_model_get_item (shown, 0);
  id = g_strdup (sd_json_item_get_string (first, "id"));
  dialog = sd_support_page_open_person (page, id);
  sd_ui_wait_for (sd_ui_window_mapped, dialog);
  check_screen (GTK_WIDGET (dialog), 760, 600, "person");

  /* Evacuated without a shelter chosen is the first shelter; a wrong
   * combination cannot be pressed. */
  g_assert_true (sd_support_person_dialog_report (SD_SUPPORT_PERSON_DIALOG (dialog), SD_SUPPORT_EVACUATED, "S01",
                                                  "長男が車で"));
  g_assert_true (sd_support_person_dialog_report (SD_SUPPORT_PERSON_DIALOG (dialog), SD_SUPPORT_EVACUATED, "S01",
                                                  "長男が車で"));
  sd_ui_run_for (300);
  sql = g_strdup_printf ("SELECT count (*) FROM support_reports r JOIN shelters s ON s.id = r.shelter_id "
                         "JOIN staff st ON st.id = r.reported_by WHERE r.support_person_id = '%s' "
                         "AND r.status = 'evacuated' AND s.code = 'S01' AND st.staff_no = '1003' AND r.via = 'desk'",
                         id);
  g_assert_cmpint (sql_count (sql), ==, 1);
  g_assert_cmpint (sql_count (UNCONFIRMED_SQL), ==, before - 1);
  g_assert_cmpint (g_list_model_get_n_items (shown), ==, before - 1);
  check_screen (GTK_WIDGET (dialog), 760, 600, "person-reported");

  /* The plan and the contacts, edited where they are shown. */
  {
    static const char *const assist[] = { "wheelchair", "oxygen", NULL };
    SdSupportPersonDialog *person = SD_SUPPORT_PERSON_DIALOG (dialog);
    g_autofree char *plan_sql = g_strdup_printf ("SELECT count (*) FROM support_persons p JOIN shelters s "
                                                 "ON s.id = p.plan_shelter_id WHERE p.id = '%s' AND s.code = 'S02' "
                                                 "AND p.plan_route = '北町公園経由' AND p.plan_bring = '酸素ボンベ' "
                                                 "AND p.plan_assist = 'wheelchair oxygen'", id);
    g_autofree char *contacts_sql = g_strdup_printf ("SELECT count (*) FROM support_contacts "
                                                     "WHERE support_person_id = '%s'", id);
    g_autofree char *supporter_sql = g_strdup_printf ("SELECT count (*) FROM support_contacts WHERE "
                                                      "support_person_id = '%s' AND kind = 'supporter' "
                                                      "AND relation = '民生委員'", id);

    g_assert_true (sd_support_person_dialog_edit_plan (person, "S02", "北町公園経由", "酸素ボンベ", assist, NULL));
    g_assert_cmpint (sql_count (plan_sql), ==, 1);
    g_assert_true (sd_support_person_dialog_add_contact (person, SD_SUPPORT_CONTACT_SUPPORTER, "北町 民夫", "民生委員",
                                                         "090-0000-7777"));
    g_assert_cmpint (sql_count (supporter_sql), ==, 1);
    /* A contact needs a name: said, nothing added. */
    g_assert_false (sd_support_person_dialog_add_contact (person, SD_SUPPORT_CONTACT_EMERGENCY, "", "長女",
                                                          "090-0000-8888"));
    g_assert_cmpint (sql_count (contacts_sql), ==, 1);
    check_screen (GTK_WIDGET (dialog), 760, 600, "person-edited");
    {
      GtkWidget *scrolled = sd_ui_find (GTK_WIDGET (dialog), is_scrolled_window, NULL);
      GtkWidget *expander = sd_ui_find (GTK_WIDGET (dialog), is_expander, NULL);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      /* The plan's form open, and the page scrolled to it and below. */
      gtk_expander_set_expanded (GTK_EXPANDER (expander), TRUE);
      sd_ui_run_for (300);
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
      check_screen (GTK_WIDGET (dialog), 760, 600, "person-edited-below");
    }
    g_assert_true (sd_support_person_dialog_remove_contact (person, 0));
    g_assert_cmpint (sql_count (contacts_sql), ==, 0);
  }

  /* Signing out (or the idle sign-out) closes the record: the next
   * person at the kiosk never sees it. */
  {
    gboolean gone = FALSE;

    g_signal_connect_swapped (dialog, "destroy", G_CALLBACK (set_flag), &gone);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
    sd_ui_run_for (100);
    g_assert_true (gone);
  }
  close_window (window);
}

static gboolean
has_proposals (gpointer page)
{
  return sd_support_page_get_n_proposals (page) > 0;
}

static char *
sql_text (const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

/* A listed person checks in at a shelter (written by another connection,
 * as a kiosk's intake or a sync import would): the desk proposes it,
 * records nothing by itself; confirming records "evacuated" there and
 * the unconfirmed count drops. */
static void
test_checkin_proposed (void)
{
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSupportPage *page = show_support (window);
  g_autofree char *name = sql_text (UNCONFIRMED_PERSON_SQL ("name"));
  g_autofree char *birth = sql_text (UNCONFIRMED_PERSON_SQL ("birth_date"));
  g_autofree char *id = sql_text (UNCONFIRMED_PERSON_SQL ("id"));
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM support_reports WHERE support_person_id = '%s' "
                                          "AND via = 'checkin' AND status = 'evacuated'", id);
  gint64 before = sql_count (UNCONFIRMED_SQL);
  guint index = G_MAXUINT;

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(SdStore) kiosk = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);
    g_autoptr(SdShelter) s01 = sd_store_find_shelter (kiosk, "S01", &error);
    g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *household = NULL;
    SdHouseholdSpec spec = { .shelter_id = sd_shelter_get_id (s01), .check_in = TRUE };
    SdPersonSpec member = { .name = name, .birth_date = birth };

    g_assert_no_error (error);
    household = sd_store_add_household (kiosk, &spec, &member, 1, ids, &error);
    g_assert_no_error (error);
  }
  sd_ui_wait_for (has_proposals, page);
  g_assert_cmpint (sql_count (sql), ==, 0);
  check_screen (GTK_WIDGET (window), 1366, 768, "checkin-proposed");
  for (guint i = 0; i < sd_support_page_get_n_proposals (page); i++)
    index = i;  /* the newest check-in is the last */
  g_assert_true (sd_support_page_answer_proposal (page, index, TRUE));
  sd_ui_run_for (200);
  g_assert_cmpint (sql_count (sql), ==, 1);
  g_assert_cmpint (sql_count (UNCONFIRMED_SQL), ==, before - 1);
  g_assert_cmpuint (sd_support_page_get_n_proposals (page), ==, index);
  close_window (window);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (sd_support_page_save_finish (SD_SUPPORT_PAGE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The visit lists of what is shown: the unconfirmed, as PDF and CSV. */
static void
test_visit_lists (void)
{
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSupportPage *page = show_support (window);
  g_autofree char *pdf_path = g_build_filename (dir, "visits.pdf", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "visits.csv", NULL);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autoptr(GFile) csv = g_file_new_for_path (csv_path);
  g_autofree char *text = NULL, *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean done = FALSE;
  const char *argv[] = { "pdftotext", pdf_path, "-", NULL };

  sd_support_page_show_status (page, SD_SUPPORT_UNCONFIRMED);
  sd_support_page_save_async (page, pdf, TRUE, NULL, saved_cb, &done);
  sd_ui_wait_for (flag_set, &done);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                               NULL, &text, NULL, NULL, NULL));
  g_assert_nonnull (strstr (text, sd_support_status_label (SD_SUPPORT_UNCONFIRMED)));
  done = FALSE;
  sd_support_page_save_async (page, csv, FALSE, NULL, saved_cb, &done);
  sd_ui_wait_for (flag_set, &done);
  g_assert_true (g_file_get_contents (csv_path, &contents, NULL, NULL));
  lines = g_strsplit (g_strchomp (contents), "\r\n", -1);
  g_assert_cmpint (g_strv_length (lines) - 1, ==, sql_count (UNCONFIRMED_SQL));
  close_window (window);
}

static char *
write_cp932 (const char *name,
             const char *utf8)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize length = 0;
  g_autofree char *bytes = g_convert (utf8, -1, "CP932", "UTF-8", NULL, &length, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, bytes, length, &error));
  return g_steal_pointer (&path);
}

/* HQ imports the welfare system's file: columns (one corrected by hand),
 * the comparison, Apply; then the same file again changes nothing.  A
 * file with a bad row says which line and writes nothing. */
static void
test_import (void)
{
  static const char csv[] =
    "管理番号,氏名,ﾌﾘｶﾞﾅ,性別,生年月日,住所,電話番号,区分\r\n"
    "30000,田中　美代子,ﾀﾅｶ ﾐﾖｺ,女,昭和21年4月20日,みなと川市北町３丁目１７－６,070-0000-0004,要介護４\r\n"
    "99001,新規　花子,ｼﾝｷ ﾊﾅｺ,女,S15.3.3,みなと川市本町２丁目１－１,090-0000-9001,要介護２\r\n";
  static const char bad[] =
    "管理番号,氏名,生年月日\r\n99002,山田 一,昭和21年4月20日\r\n99003,山田 二,昭和99年1月1日\r\n";
  SdWindow *window = new_window (1366, 768, "1003", "999999");
  SdSupportPage *page = show_support (window);
  g_autofree char *path = write_cp932 ("welfare.csv", csv);
  g_autofree char *bad_path = write_cp932 ("bad.csv", bad);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  gint64 persons = sql_count ("SELECT count (*) FROM support_persons");
  SdSupportImportDialog *dialog;

  dialog = SD_SUPPORT_IMPORT_DIALOG (sd_support_page_import (page, file));
  g_assert_nonnull (dialog);
  wait_step (dialog, "columns");
  /* 区分 is not a heading the desk knows: read as the care level by hand. */
  g_assert_true (sd_support_import_dialog_choose (dialog, "区分", SD_SUPPORT_FIELD_CARE_LEVEL));
  check_screen (GTK_WIDGET (dialog), 820, 600, "import-columns");
  sd_support_import_dialog_compare (dialog);
  sd_support_import_dialog_compare (dialog);  /* a double press starts nothing twice */
  wait_step (dialog, "preview");
  g_assert_null (sd_support_import_dialog_get_error (dialog));
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons"), ==, persons);
  check_screen (GTK_WIDGET (dialog), 820, 600, "import-preview");
  sd_support_import_dialog_apply (dialog);
  wait_step (dialog, "done");
  g_assert_null (sd_support_import_dialog_get_error (dialog));
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons"), ==, persons + 1);
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons WHERE external_id = '30000' "
                              "AND care_level = '要介護4' AND listed = 1"), ==, 1);
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons WHERE external_id = '99001' "
                              "AND district = '本町2丁目' AND birth_date = '1940-03-03'"), ==, 1);
  g_assert_cmpint (g_list_model_get_n_items (sd_support_page_get_shown (page)), ==,
                   sql_count ("SELECT count (*) FROM support_persons WHERE listed = 1"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Again: the columns as corrected last time, and nothing to change. */
  dialog = SD_SUPPORT_IMPORT_DIALOG (sd_support_page_import (page, file));
  wait_step (dialog, "columns");
  sd_support_import_dialog_compare (dialog);
  wait_step (dialog, "preview");
  g_assert_nonnull (strstr (sd_support_import_dialog_get_summary (dialog), "2"));
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons"), ==, persons + 1);
  gtk_window_destroy (GTK_WINDOW (dialog));

  dialog = SD_SUPPORT_IMPORT_DIALOG (sd_support_page_import (page, bad_file));
  wait_step (dialog, "columns");
  sd_support_import_dialog_compare (dialog);
  wait_step (dialog, "columns");
  g_assert_nonnull (sd_support_import_dialog_get_error (dialog));
  g_assert_nonnull (strstr (sd_support_import_dialog_get_error (dialog), "3"));
  check_screen (GTK_WIDGET (dialog), 820, 600, "import-bad-row");
  g_assert_cmpint (sql_count ("SELECT count (*) FROM support_persons"), ==, persons + 1);
  gtk_window_destroy (GTK_WINDOW (dialog));
  close_window (window);
}

/* A shelter lead sees the list and reports, but does not replace it. */
static void
test_lead_cannot_import (void)
{
  SdWindow *window = new_window (1366, 768, "1001", "123456");
  SdSupportPage *page = show_support (window);
  g_autofree char *path = g_build_filename (dir, "welfare.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_nonnull (page);
  g_assert_null (sd_support_page_import (page, file));
  close_window (window);
}

/* ---- the map ---- */

/* Points of the demo map whose colour is known (seeds/tools/generate-seeds.py
 * draws them): well inside the sea, in the middle of the river, on plain
 * land away from roads. */
typedef struct {
  const char *what;
  double      lat, lon;
  guint8      rgb[3];
} Sample;

static const Sample samples[] = {
  { "sea", 32.472948, 141.489359, { 0x9e, 0xca, 0xe8 } },
  { "river", 32.498151, 141.500393, { 0x9e, 0xca, 0xe8 } },
  { "land", 32.518621, 141.520643, { 0xf2, 0xee, 0xe3 } },
};

static gboolean
map_loaded (gpointer data)
{
  SdSupportMap *map = data;
  SdPeopleLayer *layer = SD_PEOPLE_LAYER (sd_support_map_get_layer (map));

  return sd_people_layer_get_people (layer) != NULL;
}

/* What the window shows now, as pixels. */
typedef struct {
  guchar *pixels;
  gsize   stride;
  int     width, height;
} Frame;

static Frame
grab (GtkWidget *widget)
{
  g_autoptr(GdkTexture) texture = sd_ui_render (widget);
  Frame frame = { NULL, 0, gdk_texture_get_width (texture), gdk_texture_get_height (texture) };

  frame.stride = (gsize) frame.width * 4;
  frame.pixels = g_malloc (frame.stride * (gsize) frame.height);
  gdk_texture_download (texture, frame.pixels, frame.stride);
  return frame;
}

/* The colour at X, Y of the window (gdk_texture_download gives B, G, R, A). */
static void
pixel (const Frame *frame,
       double       x,
       double       y,
       guint8      *rgb)
{
  const guchar *p;

  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <, frame->width);
  g_assert_cmpfloat (y, <, frame->height);
  p = frame->pixels + (gsize) y * frame->stride + (gsize) x * 4;
  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

static gboolean
close_to (const guint8 *a,
          const guint8 *b,
          int           tolerance)
{
  for (int i = 0; i < 3; i++)
    if (ABS ((int) a[i] - (int) b[i]) > tolerance)
      return FALSE;
  return TRUE;
}

/* Where LAT, LON is in the window, by the map's own viewport. */
static void
window_point (SdSupportMap *map,
              GtkWidget    *window,
              double        lat,
              double        lon,
              double       *x,
              double       *y)
{
  ShumateMap *shumate = sd_support_map_get_map (map);
  double mx = 0, my = 0;

  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (shumate), GTK_WIDGET (shumate), lat, lon,
                                              &mx, &my);
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (shumate), window, mx, my, x, y));
}

typedef struct {
  SdPeopleLayer *layer;
  guint          before;
} ConfirmedWait;

static gboolean
confirmed_grew (gpointer data)
{
  ConfirmedWait *w = data;
  guint counts[SD_N_MARKER_KINDS];

  sd_people_layer_count (w->layer, counts);
  return counts[SD_MARKER_CONFIRMED] > w->before;
}

typedef struct {
  SdSupportMap  *map;
  GtkWidget     *window;
  SdMapPoint     at;
  const guint8  *want;
  guint8        *seen;
} MarkerWait;

/* Whether the marker at W->at is drawn in W->want; what was seen is left in W->seen. */
static gboolean
marker_turned (gpointer data)
{
  MarkerWait *w = data;
  double x, y;
  Frame frame;

  sd_ui_run_for (50);
  window_point (w->map, w->window, w->at.lat, w->at.lon, &x, &y);
  frame = grab (w->window);
  pixel (&frame, x, y, w->seen);
  g_free (frame.pixels);
  return close_to (w->seen, w->want, 8);
}

static gboolean
dialog_open (gpointer data)
{
  SdWindow *window = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) top = g_list_model_get_item (toplevels, i);

      if (SD_IS_SUPPORT_PERSON_DIALOG (top) && gtk_window_get_transient_for (GTK_WINDOW (top)) == GTK_WINDOW (window))
        return TRUE;
    }
  return FALSE;
}

static guint
count_person_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) top = g_list_model_get_item (toplevels, i);

      n += SD_IS_SUPPORT_PERSON_DIALOG (top);
    }
  return n;
}

static void
close_person_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GObject) top = g_list_model_get_item (toplevels, i - 1);

      if (SD_IS_SUPPORT_PERSON_DIALOG (top))
        gtk_window_destroy (GTK_WINDOW (top));
    }
  sd_ui_run_for (200);
}

/* The demo map at every kiosk size: its tiles drawn (sea, river and land
 * where the generator drew them), every listed person with an address in
 * the reference on it at their block, in the colour of their status, a
 * touch on one opening their record; the legend counts what the list
 * counts. */
static void
test_map (void)
{
  static const int sizes[][2] = { { 1366, 768 }, { 1024, 600 }, { 800, 1280 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      SdWindow *window = new_window (sizes[s][0], sizes[s][1], "1003", "999999");
      SdSupportPage *page = show_support (window);
      SdSupportMap *map = sd_support_page_get_map (page);
      SdPeopleLayer *layer = SD_PEOPLE_LAYER (sd_support_map_get_layer (map));
      ShumateViewport *viewport = shumate_map_get_viewport (sd_support_map_get_map (map));
      g_autoptr(GHashTable) nobody = g_hash_table_new (g_str_hash, g_str_equal);
      SdMapPeople *people;
      guint counts[SD_N_MARKER_KINDS], placed = 0;
      const SdMapPerson *target = NULL;
      SdMapPoint target_at;
      Frame frame;

      sd_support_page_show_map (page, TRUE);
      sd_ui_wait_for (map_loaded, map);
      people = sd_people_layer_get_people (layer);
      g_assert_cmpint (people->people->len, ==, sql_count ("SELECT count (*) FROM support_persons WHERE listed = 1"));
      /* Every demo address is in the demo's reference. */
      g_assert_cmpuint (people->placed, ==, people->people->len);
      g_assert_cmpuint (sd_support_map_get_n_unplaced (map), ==, 0);
      sd_people_layer_count (layer, counts);
      for (int k = 0; k < SD_N_MARKER_KINDS; k++)
        placed += counts[k];
      g_assert_cmpuint (placed, ==, people->placed);
      /* The first view shows everyone, whether the people were read
       * before the map had a size or after. */
      sd_ui_run_for (300);
      for (guint i = 0; i < people->people->len; i++)
        {
          const SdMapPerson *p = &g_array_index (people->people, SdMapPerson, i);
          double lx, ly;

          sd_people_layer_locate (layer, p->at.lat, p->at.lon, &lx, &ly);
          g_assert_cmpfloat (lx, >=, 0);
          g_assert_cmpfloat (ly, >=, 0);
          g_assert_cmpfloat (lx, <=, gtk_widget_get_width (GTK_WIDGET (layer)));
          g_assert_cmpfloat (ly, <=, gtk_widget_get_height (GTK_WIDGET (layer)));
        }
      check_screen (GTK_WIDGET (window), sizes[s][0], sizes[s][1], "map");

      /* The tiles, with the people hidden so that no marker covers a sample. */
      shumate_viewport_set_zoom_level (viewport, 15);
      sd_support_map_set_shown (map, nobody);
      for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
        {
          guint8 rgb[3] = { 0 };
          double x, y;

          shumate_map_center_on (sd_support_map_get_map (map), samples[i].lat, samples[i].lon);
          sd_ui_run_for (1200);   /* the tiles come from a thread */
          window_point (map, GTK_WIDGET (window), samples[i].lat, samples[i].lon, &x, &y);
          frame = grab (GTK_WIDGET (window));
          pixel (&frame, x, y, rgb);
          g_free (frame.pixels);
          g_test_message ("%s at %.0f,%.0f: #%02x%02x%02x", samples[i].what, x, y, rgb[0], rgb[1], rgb[2]);
          g_assert_true (close_to (rgb, samples[i].rgb, 6));
        }
      sd_support_map_set_shown (map, NULL);

      /* An unconfirmed person: their marker is red, at their block.  (The
       * map may have been read again meanwhile: take its people now.) */
      people = sd_people_layer_get_people (layer);
      /* One alone at their block, so no other marker covers theirs. */
      for (guint i = 0; i < people->people->len && target == NULL; i++)
        {
          const SdMapPerson *p = &g_array_index (people->people, SdMapPerson, i);
          gboolean alone = p->status == SD_SUPPORT_UNCONFIRMED;

          for (guint k = 0; k < people->people->len && alone; k++)
            alone = k == i || fabs (g_array_index (people->people, SdMapPerson, k).at.lat - p->at.lat) > 0.0003 ||
                    fabs (g_array_index (people->people, SdMapPerson, k).at.lon - p->at.lon) > 0.0003;
          for (guint k = 0; k < people->shelters->len && alone; k++)
            alone = fabs (g_array_index (people->shelters, SdMapShelter, k).at.lat - p->at.lat) > 0.0006 ||
                    fabs (g_array_index (people->shelters, SdMapShelter, k).at.lon - p->at.lon) > 0.0006;
          if (alone)
            target = p;
        }
      g_assert_nonnull (target);
      target_at = target->at;
      shumate_viewport_set_zoom_level (viewport, 16);
      shumate_map_center_on (sd_support_map_get_map (map), target_at.lat, target_at.lon);
      sd_ui_run_for (1200);
      people = sd_people_layer_get_people (layer);
      {
        static const guint8 red[3] = { 0xd4, 0x1f, 0x1f };
        double x, y, lx, ly, sx, sy;
        guint8 rgb[3];
        int found;

        window_point (map, GTK_WIDGET (window), target_at.lat, target_at.lon, &x, &y);
        sd_people_layer_locate (layer, target_at.lat, target_at.lon, &lx, &ly);
        g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (layer), GTK_WIDGET (window), lx, ly, &sx, &sy));
        g_assert_cmpfloat (fabs (sx - x), <, 1.0);
        g_assert_cmpfloat (fabs (sy - y), <, 1.0);
        frame = grab (GTK_WIDGET (window));
        pixel (&frame, x, y, rgb);
        g_free (frame.pixels);
        g_test_message ("marker at %.0f,%.0f: #%02x%02x%02x", x, y, rgb[0], rgb[1], rgb[2]);
        g_assert_true (close_to (rgb, red, 8));
        found = sd_people_layer_person_at (layer, lx, ly);
        g_assert_cmpint (found, >=, 0);
        g_assert_cmpint (g_array_index (people->people, SdMapPerson, found).status, ==, SD_SUPPORT_UNCONFIRMED);

        /* A real click, where the marker is on the screen. */
        {
          double ox = 0, oy = 0;
          g_autofree char *cx = NULL, *cy = NULL;

          gtk_native_get_surface_transform (gtk_widget_get_native (GTK_WIDGET (window)), &ox, &oy);
          cx = g_strdup_printf ("%d", (int) (x + ox));
          cy = g_strdup_printf ("%d", (int) (y + oy));
          {
            const char *argv[] = { "xdotool", "mousemove", cx, cy, "click", "1", NULL };

            sd_ui_xdotool (argv);
          }
          sd_ui_wait_for (dialog_open, window);
          /* A second touch on the same marker brings that record forward. */
          g_assert_true (sd_support_map_activate_at (map, lx, ly));
          sd_ui_run_for (300);
          g_assert_cmpuint (count_person_dialogs (), ==, 1);
          close_person_dialogs ();
        }

        /* By keyboard: an arrow moves the map east, Enter opens the
         * person ringed nearest the cross. */
        {
          ShumateLocation *where = SHUMATE_LOCATION (viewport);
          double before;
          const char *right[] = { "xdotool", "key", "Right", NULL };
          const char *enter[] = { "xdotool", "key", "Return", NULL };

          gtk_widget_grab_focus (GTK_WIDGET (sd_support_map_get_map (map)));
          sd_ui_run_for (200);
          g_assert_true (gtk_widget_has_focus (GTK_WIDGET (sd_support_map_get_map (map))));
          before = shumate_location_get_longitude (where);
          sd_ui_xdotool (right);
          sd_ui_run_for (300);
          g_assert_cmpfloat (shumate_location_get_longitude (where), >, before);
          g_assert_cmpint (sd_people_layer_person_near_centre (layer), >=, 0);
          sd_ui_xdotool (enter);
          sd_ui_wait_for (dialog_open, window);
          close_person_dialogs ();
        }
      }
      check_screen (GTK_WIDGET (window), sizes[s][0], sizes[s][1], "map-zoomed");

      /* Someone at another desk finds them safe at home: the map turns
       * their marker green without a touch here, and the counts follow. */
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(SdStore) other = sd_store_open (db_path, SD_STORE_OPEN_DEFAULT, &error);
        g_autofree char *report = NULL;
        static const guint8 green[3] = { 0x2e, 0x7d, 0x33 };
        guint confirmed_before;
        const char *target_id = NULL;
        double x, y, zoom, lat, lon;
        guint8 rgb[3];

        g_assert_no_error (error);
        people = sd_people_layer_get_people (layer);
        sd_people_layer_count (layer, counts);
        confirmed_before = counts[SD_MARKER_CONFIRMED];
        for (guint i = 0; i < people->people->len && target_id == NULL; i++)
          if (g_array_index (people->people, SdMapPerson, i).at.lat == target_at.lat &&
              g_array_index (people->people, SdMapPerson, i).at.lon == target_at.lon &&
              g_array_index (people->people, SdMapPerson, i).status == SD_SUPPORT_UNCONFIRMED)
            target_id = g_array_index (people->people, SdMapPerson, i).id;
        g_assert_nonnull (target_id);
        report = sd_store_report_support_status (other, target_id, SD_SUPPORT_SAFE_HOME, NULL, NULL, NULL,
                                                 SD_SUPPORT_VIA_DESK, &error);
        g_assert_no_error (error);
        zoom = shumate_viewport_get_zoom_level (viewport);
        lat = shumate_location_get_latitude (SHUMATE_LOCATION (viewport));
        lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
        sd_ui_wait_for (confirmed_grew, &(ConfirmedWait) { layer, confirmed_before });
        /* The view the user chose stays: the reload does not fit it again. */
        sd_ui_run_for (300);
        g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom);
        g_assert_cmpfloat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)), ==, lat);
        g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), ==, lon);
        /* The arrow key above moved the map: bring the marker back into
         * the open (not under the legend); the frame may follow the
         * counts a moment later on a loaded machine. */
        shumate_map_center_on (sd_support_map_get_map (map), target_at.lat, target_at.lon);
        {
          MarkerWait wait = { map, GTK_WIDGET (window), target_at, green, rgb };
          gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

          while (!marker_turned (&wait) && g_get_monotonic_time () < deadline)
            ;
        }
        window_point (map, GTK_WIDGET (window), target_at.lat, target_at.lon, &x, &y);
        g_test_message ("reported safe at %.0f,%.0f: #%02x%02x%02x", x, y, rgb[0], rgb[1], rgb[2]);
        if (!close_to (rgb, green, 8))
          {
            g_autoptr(GdkTexture) shot = sd_ui_render (GTK_WIDGET (window));
            gdk_texture_save_to_png (shot, "/tmp/reported-safe.png");
          }
        g_assert_true (close_to (rgb, green, 8));
      }

      /* The status filter reaches the map: only the unconfirmed are counted. */
      sd_support_page_show_status (page, SD_SUPPORT_UNCONFIRMED);
      sd_ui_run_for (100);
      sd_people_layer_count (layer, counts);
      g_assert_cmpint (counts[SD_MARKER_UNCONFIRMED], ==, sql_count (UNCONFIRMED_SQL));
      g_assert_cmpuint (counts[SD_MARKER_HELPING] + counts[SD_MARKER_CONFIRMED], ==, 0);
      close_window (window);
    }
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

  dir = g_dir_make_tmp ("sd-ui-support-XXXXXX", NULL);
  db_path = g_build_filename (dir, "demo.sqlite", NULL);
  store = sd_store_open (db_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);

  g_test_add_func ("/ui/support/hq-desk", test_hq_desk);
  /* Before the import, which leaves a list of two. */
  g_test_add_func ("/ui/support/map", test_map);
  g_test_add_func ("/ui/support/report-status", test_report_status);
  g_test_add_func ("/ui/support/checkin-proposed", test_checkin_proposed);
  g_test_add_func ("/ui/support/visit-lists", test_visit_lists);
  g_test_add_func ("/ui/support/import", test_import);
  g_test_add_func ("/ui/support/lead-cannot-import", test_lead_cannot_import);
  rc = g_test_run ();
  g_free (db_path);
  g_free (dir);
  return rc;
}
