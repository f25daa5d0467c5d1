/* test-sync.c: the Sync desk in a real window: batches by folder, enrolment by fingerprint, review.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deployment made with the core API, as `deploy bundle` and `deploy
 * enrol` make one: HQ (the demo seeds, then a new deployment) and two
 * kiosks enrolled from its bundle.  Kiosk 0's first batch is imported at
 * HQ with its fingerprint; each kiosk then registers 同期 花子 (the same
 * name and birth date: a possible duplicate), and the kiosks' batches
 * wait in folders, as on USB sticks.
 *
 * In the window on HQ's database: the Sync desk imports kiosk 0's folder
 * through its folder chooser, and Check-in, open on a search for her
 * since before, shows her without a restart; kiosk 1's batch is refused
 * until a person types kiosk 1's fingerprint into the enrolment dialog;
 * a conflict and a possible duplicate are resolved with their buttons
 * (kept apart, then, taken up again, merged after its confirmation); a
 * kiosk is revoked after its confirmation; and the desk's export for
 * every kiosk is imported by kiosk 0.  Every screen at 1024×600,
 * 1366×768 and 800×1280 is saved as a screenshot, and no control lies
 * outside the window.
 *
 * HQ's address set from the Sync desk: kiosk 0's lead types a wrong
 * address (refused, and said why), tests one where nothing listens, then
 * HQ's real receiver (`shelterdesk-cli serve` on 127.0.0.1, started
 * here), saves it, and HQ receives the person registered meanwhile
 * without the window being opened again; clearing the address stops the
 * sending.  The test tells a kiosk HQ never enrolled (a third one) and a
 * revoked one (kiosk 1) apart.
 */
#include "sd-application.h"
#include "sd-checkin-page.h"
#include "sd-hq-address-dialog.h"
#include "sd-settings.h"
#include "sd-json-item.h"
#include "sd-sync-page.h"
#include "sd-sync.h"
#include "sd-ui-test.h"
#include "sd-window.h"

#include "sd-store-private.h"

#include <adwaita.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#define PERSON_NAME "同期 花子"

static char *dir;
static char *hq_path;
static char *kiosk_path[2];
static char *stick[3];     /* kiosk 0's first batch with her, kiosk 1's hello, kiosk 0's edit */
static char *person_id;    /* 同期 花子 at kiosk 0 */
static GBytes *bundle;     /* the deployment bundle, for a kiosk enrolled later */
static char *passphrase;

/* ---- the deployment ---- */

static SdStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  SdStore *store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  return store;
}

static void
write_sql (SdStore    *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdTxn) txn = _sd_store_begin (store, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (_sd_store_get_db (store), sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (_sd_txn_commit (g_steal_pointer (&txn), &error));
  g_assert_no_error (error);
}

static char *
register_named (SdStore    *store,
                const char *name,
                const char *kana,
                const char *birth_date)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelter) shelter = sd_store_find_shelter (store, "S01", &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  SdHouseholdSpec household = { .stay = SD_STAY_SHELTER, .address = "テスト市本町1-2-3", .check_in = TRUE };
  SdPersonSpec member = { .name = name, .kana = kana, .birth_date = birth_date,
                          .sex = SD_SEX_FEMALE, .phone = "090-0000-0001", .consent_disclose = TRUE };
  g_autofree char *household_id = NULL;

  g_assert_no_error (error);
  household.shelter_id = sd_shelter_get_id (shelter);
  household_id = sd_store_add_household (store, &household, &member, 1, ids, &error);
  g_assert_no_error (error);
  g_assert_nonnull (household_id);
  return g_strdup (g_ptr_array_index (ids, 0));
}

static char *
register_person (SdStore *store)
{
  return register_named (store, PERSON_NAME, "ドウキ ハナコ", "1990-04-01");
}

static void
export_to (SdStore    *store,
           const char *to,
           const char *folder)
{
  g_autoptr(GError) error = NULL;
  SdSyncExport result = { 0 };

  g_mkdir_with_parents (folder, 0700);
  g_assert_true (sd_sync_export_to_folder (store, to, folder, &result, NULL, &error));
  g_assert_no_error (error);
  sd_sync_export_clear (&result);
}

static void
make_deployment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) hq = NULL;
  g_autoptr(GOutputStream) bundle_out = g_memory_output_stream_new_resizable ();

  hq = sd_store_open (hq_path, SD_STORE_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_true (sd_seed_load (hq, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_assert_true (sd_store_set_site_name (hq, "テスト市本部", &error));
  g_assert_true (sd_sync_init_hq (hq, "テスト市", &error));
  g_assert_true (sd_sync_write_bundle (hq, bundle_out, &passphrase, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (bundle_out, NULL, NULL);
  bundle = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (bundle_out));

  for (guint k = 0; k < 2; k++)
    {
      g_autoptr(SdStore) kiosk = sd_store_open (kiosk_path[k], SD_STORE_OPEN_CREATE, &error);
      g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);
      g_autofree char *name = g_strdup_printf ("避難所キオスク%u", k);
      g_autofree char *id = NULL;

      g_assert_no_error (error);
      g_assert_true (sd_store_set_site_name (kiosk, name, &error));
      g_assert_true (sd_sync_enrol (kiosk, in, passphrase, NULL, &error));
      g_assert_no_error (error);
      /* PINs stay on the machine they were set on: the lead sets hers. */
      g_assert_true (sd_store_set_staff_pin (kiosk, "1001", "123456", &error));
      g_assert_no_error (error);
      if (k == 0)
        {
          /* Kiosk 0 is enrolled at HQ as `batch import --enrol` does. */
          g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
          g_autoptr(GBytes) hello = NULL;
          g_autofree char *fingerprint = sd_sync_get_fingerprint (kiosk);
          SdSyncExport exported = { 0 };
          SdSyncImport imported = { 0 };

          g_assert_true (sd_sync_export (kiosk, "hq", out, &exported, NULL, &error));
          g_assert_no_error (error);
          g_output_stream_close (out, NULL, NULL);
          hello = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
          g_assert_true (sd_sync_import_bytes (hq, hello, fingerprint, &imported, NULL, &error));
          g_assert_no_error (error);
          g_assert_true (imported.enrolled);
          sd_sync_export_clear (&exported);
          sd_sync_import_clear (&imported);
        }
      id = register_person (kiosk);
      if (k == 0)
        person_id = g_steal_pointer (&id);
      /* Kiosk 1's batch is its first: HQ does not know it yet. */
      export_to (kiosk, "hq", stick[k]);
    }
}

/* ---- the window ---- */

static gboolean
window_mapped (gpointer window)
{
  return gtk_widget_get_mapped (window);
}

static SdWindow *
new_window (const char *path,
            int         width,
            int         height,
            const char *staff_no,
            const char *pin)
{
  g_autoptr(SdStore) store = open_store (path);
  SdWindow *window = sd_window_new (NULL, store, FALSE);

  g_object_ref_sink (window);
  if (width > 0)
    gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  sd_ui_wait_for (window_mapped, window);
  sign_in (sd_window_get_signin_page (window), staff_no, pin);
  g_assert_nonnull (sd_window_get_staff (window));
  return window;
}

static void
close_window (SdWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static SdSyncPage *
show_sync_desk (SdWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "sync"));
  g_assert_cmpstr (sd_window_get_visible_desk (window), ==, "sync");
  return SD_SYNC_PAGE (sd_window_get_desk_page (window, "sync"));
}

static gboolean
exchange_done (gpointer page)
{
  return !sd_sync_page_get_busy (page);
}

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SdSyncPage *page = SD_SYNC_PAGE (object);
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_get_source_tag (G_TASK (result)) == sd_sync_page_export_async
                ? sd_sync_page_export_finish (page, result, &error)
                : sd_sync_page_import_finish (page, result, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
import_path (SdSyncPage *page,
             const char *path,
             const char *enrol)
{
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_list_store_append (files, file);
  sd_sync_page_import_async (page, G_LIST_MODEL (files), enrol, NULL, exchanged_cb, NULL);
  /* The work is in a worker thread: the desk shows it is busy meanwhile. */
  g_assert_true (sd_sync_page_get_busy (page));
  sd_ui_wait_for (exchange_done, page);
}

static SdJsonItem *
result_row (SdSyncPage *page,
            guint       i)
{
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_results (page)), >, i);
  return g_list_model_get_item (sd_sync_page_get_results (page), i);
}

static GtkWindow *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      found = l->data;
  g_list_free (toplevels);
  return found;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG) != NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
is_of_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
checkin_shows (gpointer page)
{
  return g_list_model_get_n_items (sd_checkin_page_get_results (page)) > 0;
}

/* Imports FOLDER as a person does: Import a folder…, the folder chosen
 * in the chooser, its button pressed. */
static void
import_folder_by_chooser (SdSyncPage *page,
                          const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  GtkWindow *chooser;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.import-folder", NULL));
  sd_ui_wait_for (chooser_shown, NULL);
  chooser = find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==,
                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  sd_ui_wait_for (window_mapped, chooser);
  sd_ui_run_for (200);
  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), file, &error));
  g_assert_no_error (error);
  sd_ui_run_for (300);
  {
    g_autoptr(GFile) now = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
    g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
    g_autofree char *p = now ? g_file_get_path (now) : NULL;
    g_test_message ("chooser at %s, %u selected", p, g_list_model_get_n_items (files));
  }
  sd_ui_screenshot (GTK_WIDGET (chooser), "sync-import-chooser");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  sd_ui_run_for (50);
  sd_ui_wait_for (exchange_done, page);
}

static void
test_hq_imports_enrols_exports (void)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window = new_window (hq_path, 1366, 768, "1003", "999999");
  SdStore *store = sd_window_get_store (window);
  SdCheckinPage *checkin = SD_CHECKIN_PAGE (sd_window_get_desk_page (window, "checkin"));
  g_autofree char *out = g_build_filename (dir, "to-kiosks", NULL);
  g_autofree char *kiosk1_fingerprint = NULL;
  SdSyncPage *page;

  /* A search for her at Check-in, before she is here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "checkin"));
  sd_checkin_page_set_query (checkin, PERSON_NAME);
  g_assert_cmpuint (g_list_model_get_n_items (sd_checkin_page_get_results (checkin)), ==, 0);

  page = show_sync_desk (window);
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_peers (page)), ==, 1);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-before");

  /* Kiosk 0's stick, through the folder chooser. */
  import_folder_by_chooser (page, stick[0]);
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_results (page)), ==, 1);
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "imported");
    g_assert_cmpint (sd_json_item_get_int (row, "applied"), >, 0);
    g_assert_cmpstr (sd_json_item_get_string (row, "from_name"), ==, "避難所キオスク0");
  }
  g_assert_nonnull (sd_sync_page_get_message (page));
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-imported");

  /* Check-in, never restarted, shows her: the search on screen, and a new one. */
  sd_ui_wait_for (checkin_shows, checkin);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "checkin"));
  g_assert_nonnull (sd_checkin_page_get_person (checkin));
  g_assert_cmpstr (sd_person_get_id (sd_checkin_page_get_person (checkin)), ==, person_id);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-checkin-shows-her");
  sd_checkin_page_set_query (checkin, "ドウキ");
  g_assert_cmpuint (g_list_model_get_n_items (sd_checkin_page_get_results (checkin)), ==, 1);
  page = show_sync_desk (window);

  /* The same stick again: nothing to do, and the row says so. */
  import_path (page, stick[0], NULL);
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "already-imported");
  }

  /* Kiosk 1 is not enrolled: refused, with the fingerprint to compare. */
  {
    g_autoptr(SdStore) kiosk1 = open_store (kiosk_path[1]);

    kiosk1_fingerprint = sd_sync_get_fingerprint (kiosk1);
  }
  import_path (page, stick[1], NULL);
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "unknown-sender");
    g_assert_cmpstr (sd_json_item_get_string (row, "fingerprint"), ==, kiosk1_fingerprint);
    g_assert_cmpstr (sd_json_item_get_string (row, "sender_name"), ==, "避難所キオスク1");
  }
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-unknown-kiosk");

  /* Enrolment: the dialog shows the batch's fingerprint; Enrol stays off
   * until what is typed is the same. */
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);
    AdwMessageDialog *dialog;
    GtkWidget *entry;
    g_autofree char *lower = g_ascii_strdown (kiosk1_fingerprint, -1);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.enrol", "s",
                                               sd_json_item_get_string (row, "path")));
    sd_ui_wait_for (message_dialog_shown, NULL);
    dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
    entry = sd_ui_find (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
    g_assert_nonnull (entry);
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "enrol"));
    gtk_editable_set_text (GTK_EDITABLE (entry), "0000-0000-0000-0000-0000");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "enrol"));
    sd_ui_screenshot (GTK_WIDGET (dialog), "sync-enrol-not-the-same");
    /* As a person may type it: lower case, spaces for dashes. */
    g_strdelimit (lower, "-", ' ');
    gtk_editable_set_text (GTK_EDITABLE (entry), lower);
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "enrol"));
    sd_ui_screenshot (GTK_WIDGET (dialog), "sync-enrol-the-same");
    /* As its button does: the response, then the dialog closes. */
    adw_message_dialog_response (dialog, "enrol");
    gtk_window_close (GTK_WINDOW (dialog));
    sd_ui_run_for (50);
    sd_ui_wait_for (exchange_done, page);
  }
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "imported");
    g_assert_true (sd_json_item_get_bool (row, "enrolled"));
    g_assert_cmpint (sd_json_item_get_int (row, "duplicates"), ==, 1);
  }
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_peers (page)), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 1);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-enrolled");

  /* A conflict: HQ and kiosk 0 change her phone before either knows of
   * the other's change; the kiosk's, made later, is applied. */
  {
    g_autofree char *at_hq = g_strdup_printf ("UPDATE persons SET phone = '090-1111-1111' WHERE id = '%s'", person_id);
    g_autofree char *at_kiosk = g_strdup_printf ("UPDATE persons SET phone = '090-2222-2222' WHERE id = '%s'",
                                                 person_id);
    g_autoptr(SdStore) kiosk0 = open_store (kiosk_path[0]);

    write_sql (store, at_hq);
    g_usleep (5000);
    write_sql (kiosk0, at_kiosk);
    export_to (kiosk0, "hq", stick[2]);
  }
  import_path (page, stick[2], NULL);
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);
    g_autoptr(SdPerson) person = sd_store_get_person (store, person_id, &error);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "imported");
    g_assert_cmpint (sd_json_item_get_int (row, "conflicts"), ==, 1);
    g_assert_cmpstr (sd_person_get_phone (person), ==, "090-2222-2222");
  }
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_conflicts (page)), ==, 1);

  /* HQ's batch for every kiosk, by the desk: kiosk 0 imports its own. */
  g_mkdir_with_parents (out, 0700);
  {
    g_autoptr(GFile) folder = g_file_new_for_path (out);

    sd_sync_page_export_async (page, folder, "", NULL, exchanged_cb, NULL);
    sd_ui_wait_for (exchange_done, page);
  }
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_results (page)), ==, 2);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-exported");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SdJsonItem) row = result_row (page, i);

      g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "exported");
      g_assert_true (g_str_has_suffix (sd_json_item_get_string (row, "path"), ".sdbatch"));
      g_assert_true (g_file_test (sd_json_item_get_string (row, "path"), G_FILE_TEST_IS_REGULAR));
      if (g_strcmp0 (sd_json_item_get_string (row, "to_name"), "避難所キオスク0") == 0)
        {
          g_autoptr(SdStore) kiosk0 = open_store (kiosk_path[0]);
          g_autoptr(GListModel) found = NULL;
          SdSyncImport imported = { 0 };

          g_assert_true (sd_sync_import_file (kiosk0, sd_json_item_get_string (row, "path"), NULL, &imported, NULL,
                                              &error));
          g_assert_no_error (error);
          g_assert_false (imported.already_imported);
          g_assert_cmpint (imported.operations, >, 0);
          sd_sync_import_clear (&imported);
          /* Kiosk 1's registration reached kiosk 0 through HQ. */
          found = sd_store_search_persons (kiosk0, "ドウキ", 10, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_list_model_get_n_items (found), ==, 2);
        }
    }
  close_window (window);
}

/* ---- every screen fits ---- */

static void
check_screen (SdWindow   *window,
              int         width,
              int         height,
              const char *name)
{
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *shot = g_strdup_printf ("sync-%dx%d-%s", width, height, name);

  sd_ui_run_for (600);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, height);
  sd_ui_collect_outside (GTK_WIDGET (window), GTK_WIDGET (window), width, height, outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("%s: %s", shot, (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);
  sd_ui_screenshot (GTK_WIDGET (window), shot);
}

static void
test_fits_every_screen (void)
{
  static const int sizes[][2] = { { 1024, 600 }, { 1366, 768 }, { 800, 1280 } };
  static const char *const views[] = { "exchange", "sites", "conflicts", "duplicates" };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      int width = sizes[s][0], height = sizes[s][1];
      SdWindow *window = new_window (hq_path, width, height, "1003", "999999");
      SdSyncPage *page = show_sync_desk (window);

      g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_conflicts (page)), ==, 1);
      g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 1);
      for (guint v = 0; v < G_N_ELEMENTS (views); v++)
        {
          g_autofree char *name = g_strdup_printf ("hq-%s", views[v]);

          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.show-view", "s", views[v]));
          check_screen (window, width, height, name);
        }
      close_window (window);

      /* A kiosk: its fingerprint for HQ to compare, what waits for HQ. */
      window = new_window (kiosk_path[0], width, height, "1001", "123456");
      show_sync_desk (window);
      check_screen (window, width, height, "kiosk");
      close_window (window);
    }
}

/* ---- review ---- */

static void
test_review_and_revoke (void)
{
  g_autoptr(GError) error = NULL;
  SdWindow *window = new_window (hq_path, 1366, 768, "1003", "999999");
  SdStore *store = sd_window_get_store (window);
  SdSyncPage *page = show_sync_desk (window);
  g_autoptr(SdJsonItem) conflict = NULL;
  g_autoptr(SdJsonItem) pair = NULL;
  g_autoptr(SdPerson) person = NULL;
  const char *kiosk1_site = NULL;

  /* Keep the other value: HQ's phone, written again. */
  conflict = g_list_model_get_item (sd_sync_page_get_conflicts (page), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.resolve", "(xb)",
                                             (gint64) sd_json_item_get_int (conflict, "id"), TRUE));
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_conflicts (page)), ==, 0);
  person = sd_store_get_person (store, person_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sd_person_get_phone (person), ==, "090-1111-1111");

  /* Merge into this one… says what it does; Cancel changes nothing. */
  pair = g_list_model_get_item (sd_sync_page_get_duplicates (page), 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.show-view", "s", "duplicates"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.merge", "(ss)",
                 json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "a"), "id")),
                 json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "b"), "id"))));
  sd_ui_wait_for (message_dialog_shown, NULL);
  {
    AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));

    /* The tests run in Japanese: it says that it cannot be undone. */
    g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "元に戻せません"));
    sd_ui_screenshot (GTK_WIDGET (dialog), "sync-merge-confirm");
    adw_message_dialog_response (dialog, "cancel");
    gtk_window_close (GTK_WINDOW (dialog));
    sd_ui_run_for (100);
  }
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 1);

  /* They are different people. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.keep-apart", "(ss)",
                 json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "a"), "id")),
                 json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "b"), "id"))));
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 0);

  /* Revoke kiosk 1, after its confirmation; Cancel first changes nothing. */
  for (guint i = 0; i < g_list_model_get_n_items (sd_sync_page_get_peers (page)); i++)
    {
      g_autoptr(SdJsonItem) peer = g_list_model_get_item (sd_sync_page_get_peers (page), i);

      if (g_strcmp0 (sd_json_item_get_string (peer, "name"), "避難所キオスク1") == 0)
        kiosk1_site = g_intern_string (sd_json_item_get_string (peer, "site"));
    }
  g_assert_nonnull (kiosk1_site);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.show-view", "s", "sites"));
  for (guint round = 0; round < 2; round++)
    {
      AdwMessageDialog *dialog;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.revoke", "s", kiosk1_site));
      sd_ui_wait_for (message_dialog_shown, NULL);
      dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
      if (round == 1)
        sd_ui_screenshot (GTK_WIDGET (dialog), "sync-revoke-confirm");
      adw_message_dialog_response (dialog, round == 0 ? "cancel" : "revoke");
      gtk_window_close (GTK_WINDOW (dialog));
      sd_ui_run_for (100);
      for (guint i = 0; i < g_list_model_get_n_items (sd_sync_page_get_peers (page)); i++)
        {
          g_autoptr(SdJsonItem) peer = g_list_model_get_item (sd_sync_page_get_peers (page), i);

          if (g_strcmp0 (sd_json_item_get_string (peer, "site"), kiosk1_site) == 0)
            g_assert_cmpint (sd_json_item_get_bool (peer, "revoked"), ==, round == 1);
        }
    }
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-revoked");

  /* A shelter lead at HQ sees the sites, but revokes and enrols nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL);
  sign_in (sd_window_get_signin_page (window), "1001", "123456");
  page = show_sync_desk (window);
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_results (page)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.revoke", "s", kiosk1_site));
  sd_ui_run_for (100);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  close_window (window);
}

/* The pair HQ kept apart above, taken up again, is merged from its
 * row: confirmed, it leaves the list, and a search finds one person. */
static void
test_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdJsonItem) pair = NULL;
  g_autoptr(GListModel) found = NULL;
  SdWindow *window;
  SdSyncPage *page;
  AdwMessageDialog *dialog;
  const char *keep, *merge;

  {
    g_autoptr(SdStore) hq = open_store (hq_path);

    write_sql (hq, "UPDATE sync_duplicates SET decision = NULL, decided_at = NULL");
  }
  window = new_window (hq_path, 1366, 768, "1003", "999999");
  page = show_sync_desk (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.show-view", "s", "duplicates"));
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 1);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-duplicate-to-merge");
  pair = g_list_model_get_item (sd_sync_page_get_duplicates (page), 0);
  keep = json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "b"), "id"));
  merge = json_string_value (json_object_get (json_object_get (sd_json_item_get_object (pair), "a"), "id"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.merge", "(ss)", keep, merge));
  sd_ui_wait_for (message_dialog_shown, NULL);
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (dialog, "merge");
  gtk_window_close (GTK_WINDOW (dialog));
  sd_ui_run_for (100);
  g_assert_cmpuint (g_list_model_get_n_items (sd_sync_page_get_duplicates (page)), ==, 0);
  found = sd_store_search_persons (sd_window_get_store (window), "ドウキ", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (found), ==, 1);
  sd_ui_screenshot (GTK_WIDGET (window), "sync-hq-merged");
  close_window (window);
}

static gboolean
is_progress_bar (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_PROGRESS_BAR (widget);
}

static gboolean
bar_names_the_file (gpointer bar)
{
  return strstr (gtk_progress_bar_get_text (bar), "slow.sdbatch") != NULL;
}

/* A batch that is slow to come (a FIFO nobody writes yet, as a stick
 * that hangs): the progress bar shows which file, the desk goes on, and
 * Stop stops it with nothing written. */
static void
test_progress_and_stop (void)
{
  g_autofree char *slow = g_build_filename (dir, "slow.sdbatch", NULL);
  SdWindow *window = new_window (hq_path, 1024, 600, "1003", "999999");
  SdSyncPage *page = show_sync_desk (window);
  g_autoptr(GListStore) files = g_list_store_new (G_TYPE_FILE);
  g_autoptr(GFile) file = g_file_new_for_path (slow);
  GtkWidget *bar;
  int fd;

  g_assert_cmpint (mkfifo (slow, 0600), ==, 0);
  g_list_store_append (files, file);
  sd_sync_page_import_async (page, G_LIST_MODEL (files), NULL, NULL, exchanged_cb, NULL);
  bar = sd_ui_find (GTK_WIDGET (page), is_progress_bar, NULL);
  g_assert_true (gtk_widget_get_mapped (bar));
  sd_ui_wait_for (bar_names_the_file, bar);
  g_assert_true (sd_sync_page_get_busy (page));
  /* The desk is not frozen meanwhile: another desk opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "checkin"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-desk", "s", "sync"));
  sd_ui_screenshot (GTK_WIDGET (window), "sync-progress");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.cancel", NULL));
  /* The stick answers at last, with nothing (if the worker is still
   * waiting for it: it may have seen the Stop first). */
  fd = g_open (slow, O_WRONLY | O_NONBLOCK, 0);
  if (fd >= 0)
    close (fd);
  sd_ui_wait_for (exchange_done, page);
  {
    g_autoptr(SdJsonItem) row = result_row (page, 0);

    g_assert_cmpstr (sd_json_item_get_string (row, "result"), ==, "cancelled");
  }
  g_assert_false (gtk_widget_get_mapped (bar));
  sd_ui_screenshot (GTK_WIDGET (window), "sync-stopped");
  close_window (window);
}

/* A database of no deployment says so, and what to do. */
static void
test_not_enrolled (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "alone.sqlite", NULL);
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
  SdWindow *window;
  SdSyncPage *page;
  GtkWidget *status;

  g_assert_no_error (error);
  g_assert_true (sd_seed_load (store, g_getenv ("SD_SEEDS_DIR"), NULL, &error));
  g_clear_object (&store);
  window = new_window (path, 1024, 600, "1001", "123456");
  page = show_sync_desk (window);
  /* It says so, and Export does nothing. */
  status = sd_ui_find (GTK_WIDGET (page), is_of_type, GSIZE_TO_POINTER (ADW_TYPE_STATUS_PAGE));
  g_assert_true (gtk_widget_get_mapped (status));
  gtk_widget_activate_action (GTK_WIDGET (page), "sync.export", NULL);
  sd_ui_run_for (200);
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  check_screen (window, 1024, 600, "not-enrolled");
  close_window (window);
}

/* ---- a kiosk with HQ's address ---- */

static gboolean
is_push_now (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "sync.push-now") == 0;
}

static gboolean
hq_retrying (gpointer data)
{
  GtkWidget *button = data;
  GtkWidget *card = gtk_widget_get_parent (button);
  GtkWidget *state = gtk_widget_get_first_child (gtk_widget_get_first_child (card));

  /* "送信待ち: 本部から応答がありません。N秒後に再試行します。" */
  return strstr (gtk_label_get_text (GTK_LABEL (state)), "再試行") != NULL;
}

/* An address on loopback where nothing listens: a port bound, then closed. */
static char *
dead_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

/* Nothing listens at HQ's address: the card says the kiosk waits and
 * when it tries again, and Send now can be pressed; the window closes
 * with the pusher running. */
static void
test_kiosk_sends_to_hq (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = dead_url ();
  SdWindow *window;
  GtkWidget *button;

  {
    g_autoptr(SdStore) kiosk = open_store (kiosk_path[1]);

    g_assert_true (sd_sync_set_hq_url (kiosk, url, &error));
    g_assert_no_error (error);
  }

  window = new_window (kiosk_path[1], 1024, 600, "1001", "123456");
  show_sync_desk (window);
  button = sd_ui_find (GTK_WIDGET (window), is_push_now, NULL);
  g_assert_nonnull (button);
  sd_ui_run_for (300);
  g_assert_true (gtk_widget_get_mapped (button));
  sd_ui_wait_for (hq_retrying, button);
  g_assert_true (gtk_widget_get_sensitive (button));
  check_screen (window, 1024, 600, "kiosk-hq-waiting");
  gtk_widget_activate (button);
  sd_ui_wait_for (hq_retrying, button);
  close_window (window);
}

/* ---- HQ's address, set from the desk ---- */

typedef struct {
  GSubprocess *process;
  char        *url;
} Receiver;

static void
die_with_parent (gpointer user_data)
{
  /* A failed assertion must not leave HQ's receiver running. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* HQ's receiver on DB, on a free loopback port, as HQ starts it; with
 * CERT and KEY (or NULL), over HTTPS. */
static void
receiver_start (Receiver   *receiver,
                const char *db,
                const char *cert,
                const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(json_t) event = NULL;
  g_autofree char *line = NULL;
  const char *cli = g_getenv ("SD_CLI");

  g_assert_nonnull (cli);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  receiver->process = cert != NULL
                      ? g_subprocess_launcher_spawn (launcher, &error, cli, "--db", db, "serve", "--listen",
                                                     "127.0.0.1:0", "--json", "--tls-cert", cert, "--tls-key", key,
                                                     NULL)
                      : g_subprocess_launcher_spawn (launcher, &error, cli, "--db", db, "serve", "--listen",
                                                     "127.0.0.1:0", "--json", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (receiver->process));
  /* The receiver goes on writing a line per batch: its pipe stays open. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (lines), FALSE);
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  event = json_loads (line, 0, NULL);
  g_assert_nonnull (event);
  g_assert_cmpstr (json_string_value (json_object_get (event, "event")), ==, "listening");
  receiver->url = g_strdup (json_string_value (json_object_get (event, "url")));
  g_assert_true (g_str_has_prefix (receiver->url, cert != NULL ? "https://127.0.0.1:" : "http://127.0.0.1:"));
}

static void
receiver_stop (Receiver *receiver)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (receiver->process, SIGTERM);
  g_assert_true (g_subprocess_wait (receiver->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&receiver->process);
  g_clear_pointer (&receiver->url, g_free);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_toplevel (SD_TYPE_HQ_ADDRESS_DIALOG) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_toplevel (SD_TYPE_HQ_ADDRESS_DIALOG) == NULL;
}

static gboolean
test_done (gpointer dialog)
{
  return sd_hq_address_dialog_get_test (dialog) != SD_HQ_TEST_RUNNING;
}

/* Replaces the address in DIALOG as a person does: select all, type.
 * With no window manager the keys go to the window under the pointer;
 * the dialog is the newest window at the screen's corner. */
static void
type_address (SdHqAddressDialog *dialog,
              const char        *text)
{
  const char *clear[] = { "xdotool", "mousemove", "200", "150", "key", "--delay", "40", "ctrl+a", "BackSpace", NULL };
  const char *type[] = { "xdotool", "type", "--delay", "15", text, NULL };

  sd_ui_wait_for (window_mapped, dialog);
  sd_ui_run_for (200);
  sd_ui_xdotool (clear);
  if (*text != '\0')
    sd_ui_xdotool (type);
  sd_ui_run_for (100);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sd_ui_find (GTK_WIDGET (dialog), is_of_type,
                                                                    GSIZE_TO_POINTER (GTK_TYPE_ENTRY)))), ==, text);
}

/* Tests URL in DIALOG; what it found. */
static SdHqTest
run_test (SdHqAddressDialog *dialog,
          const char        *url)
{
  type_address (dialog, url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "hq-address.test", NULL));
  g_assert_cmpint (sd_hq_address_dialog_get_test (dialog), ==, SD_HQ_TEST_RUNNING);
  sd_ui_wait_for (test_done, dialog);
  g_test_message ("%s: %s", url, sd_hq_address_dialog_get_test_message (dialog));
  return sd_hq_address_dialog_get_test (dialog);
}

static SdHqAddressDialog *
open_address_dialog (SdSyncPage *page)
{
  SdHqAddressDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sync.set-hq-address", NULL));
  sd_ui_wait_for (dialog_shown, NULL);
  dialog = SD_HQ_ADDRESS_DIALOG (find_toplevel (SD_TYPE_HQ_ADDRESS_DIALOG));
  sd_ui_wait_for (window_mapped, dialog);
  return dialog;
}

/* The dialog fits a 1024×600 kiosk as well as a 1366×768 one. */
static void
check_dialog (SdHqAddressDialog *dialog,
              const char        *name)
{
  g_autoptr(GPtrArray) outside = g_ptr_array_new_with_free_func (g_free);

  sd_ui_run_for (300);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 1024);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), <=, 600);
  sd_ui_collect_outside (GTK_WIDGET (dialog), GTK_WIDGET (dialog), gtk_widget_get_width (GTK_WIDGET (dialog)),
                         gtk_widget_get_height (GTK_WIDGET (dialog)), outside);
  for (guint i = 0; i < outside->len; i++)
    g_test_message ("%s: %s", name, (char *) g_ptr_array_index (outside, i));
  g_assert_cmpuint (outside->len, ==, 0);
  sd_ui_screenshot (GTK_WIDGET (dialog), name);
}

static gboolean
url_refused (gpointer dialog)
{
  return gtk_widget_has_css_class (sd_ui_find (GTK_WIDGET (dialog), is_of_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY)),
                                   "error");
}

static gboolean
hq_has (gpointer id)
{
  g_autoptr(SdStore) hq = open_store (hq_path);
  g_autoptr(SdPerson) person = sd_store_get_person (hq, id, NULL);

  return person != NULL;
}

static gboolean
is_address_button (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "sync.set-hq-address") == 0;
}

static const char *
hq_card_text (SdWindow *window)
{
  GtkWidget *card = gtk_widget_get_parent (sd_ui_find (GTK_WIDGET (window), is_address_button, NULL));
  GtkWidget *labels = gtk_widget_get_first_child (card);

  /* The address is the second line: under the state. */
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (labels)));
}

/* Kiosk 0's lead sets HQ's address on the Sync desk, and the window's
 * pusher sends there at once. */
static void
test_set_hq_address (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dead = dead_url ();
  g_autofree char *new_id = NULL;
  g_autofree char *later_id = NULL;
  g_autofree char *hint = NULL;
  Receiver receiver = { 0 };
  SdHqAddressDialog *dialog;
  SdSyncPage *page;
  SdWindow *window;
  GtkWidget *send_button;

  {
    g_autoptr(SdStore) kiosk = open_store (kiosk_path[0]);

    g_assert_null (sd_sync_get_hq_url (kiosk));
    new_id = register_named (kiosk, "住所 設子", "ジュウショ セツコ", "1985-06-07");
  }
  g_assert_false (hq_has (new_id));
  receiver_start (&receiver, hq_path, NULL, NULL);

  window = new_window (kiosk_path[0], 1366, 768, "1001", "123456");
  page = show_sync_desk (window);
  send_button = sd_ui_find (GTK_WIDGET (window), is_push_now, NULL);
  /* No address: the card says so, and offers nothing to send. */
  sd_ui_run_for (300);
  g_assert_nonnull (strstr (hq_card_text (window), "未設定"));
  g_assert_false (gtk_widget_get_visible (send_button));
  check_screen (window, 1366, 768, "kiosk-hq-not-set");

  /* A wrong address: said why, nothing saved, the dialog stays. */
  dialog = open_address_dialog (page);
  g_object_ref (dialog);
  hint = g_strdup (sd_hq_address_dialog_get_url_message (dialog));
  type_address (dialog, "hq.example:8443");
  {
    const char *enter[] = { "xdotool", "key", "Return", NULL };
    sd_ui_xdotool (enter);
  }
  /* A button pressed by Enter clicks a moment later. */
  sd_ui_wait_for (url_refused, dialog);
  g_assert_cmpstr (sd_hq_address_dialog_get_url_message (dialog), !=, hint);
  g_test_message ("refused: %s", sd_hq_address_dialog_get_url_message (dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  {
    g_autoptr(SdStore) kiosk = open_store (kiosk_path[0]);
    g_assert_null (sd_sync_get_hq_url (kiosk));
  }
  check_dialog (dialog, "sync-hq-address-bad");

  /* Nothing listens there; then HQ's receiver, which knows kiosk 0. */
  g_assert_cmpint (run_test (dialog, dead), ==, SD_HQ_TEST_NO_ANSWER);
  g_assert_cmpint (run_test (dialog, receiver.url), ==, SD_HQ_TEST_KNOWN);
  check_dialog (dialog, "sync-hq-address-known");
  g_assert_false (hq_has (new_id));

  /* Saved: stored in the database, and the pusher sends there now. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "hq-address.save", NULL));
  sd_ui_wait_for (dialog_gone, NULL);
  g_assert_finalize_object (dialog);
  {
    g_autoptr(SdStore) kiosk = open_store (kiosk_path[0]);
    g_autofree char *stored = sd_sync_get_hq_url (kiosk);
    g_assert_cmpstr (stored, ==, receiver.url);
  }
  sd_ui_wait_for (hq_has, new_id);
  g_assert_true (gtk_widget_get_visible (send_button));
  g_assert_nonnull (strstr (hq_card_text (window), receiver.url));
  check_screen (window, 1366, 768, "kiosk-hq-sent");

  /* Cleared: nothing is sent any more, and the card says so. */
  dialog = open_address_dialog (page);
  g_object_ref (dialog);
  type_address (dialog, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "hq-address.save", NULL));
  sd_ui_wait_for (dialog_gone, NULL);
  g_assert_finalize_object (dialog);
  {
    g_autoptr(SdStore) kiosk = open_store (kiosk_path[0]);
    g_assert_null (sd_sync_get_hq_url (kiosk));
  }
  g_assert_false (gtk_widget_get_visible (send_button));
  g_assert_nonnull (strstr (hq_card_text (window), "未設定"));
  later_id = register_named (sd_window_get_store (window), "住所 後子", "ジュウショ ノチコ", "1986-07-08");
  sd_ui_run_for (2500);
  g_assert_false (hq_has (later_id));
  close_window (window);

  /* On a small kiosk: the card and the dialog fit. */
  window = new_window (kiosk_path[0], 1024, 600, "1001", "123456");
  page = show_sync_desk (window);
  check_screen (window, 1024, 600, "kiosk-hq-not-set");
  dialog = open_address_dialog (page);
  g_object_ref (dialog);
  type_address (dialog, "https://hq.example.jp:8443");
  check_dialog (dialog, "sync-hq-address-1024x600");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  sd_ui_wait_for (dialog_gone, NULL);
  g_assert_finalize_object (dialog);
  close_window (window);

  receiver_stop (&receiver);
}

/* Tests URL with kiosk STORE's dialog, trusting CA (or the system's). */
static SdHqTest
test_standalone (SdStore    *store,
                 const char *url,
                 const char *ca,
                 const char *screenshot)
{
  g_autoptr(GSettings) settings = sd_settings_open ();
  SdHqAddressDialog *dialog = sd_hq_address_dialog_new (NULL, store, settings);
  SdHqTest test;

  g_object_ref (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  sd_hq_address_dialog_set_ca_file (dialog, ca);
  test = run_test (dialog, url);
  if (screenshot != NULL)
    check_dialog (dialog, screenshot);
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
  return test;
}

/* HQ answers, but does not take from this kiosk: one it never enrolled,
 * and one it revoked (kiosk 1, in review-and-revoke).  HQ with a
 * certificate of its own is not trusted until its file is chosen. */
static void
test_hq_address_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "k2.sqlite", NULL);
  Receiver receiver = { 0 };

  {
    g_autoptr(SdStore) kiosk = sd_store_open (path, SD_STORE_OPEN_CREATE, &error);
    g_autoptr(GInputStream) in = g_memory_input_stream_new_from_bytes (bundle);

    g_assert_no_error (error);
    g_assert_true (sd_store_set_site_name (kiosk, "避難所キオスク2", &error));
    g_assert_true (sd_sync_enrol (kiosk, in, passphrase, NULL, &error));
    g_assert_no_error (error);
  }
  receiver_start (&receiver, hq_path, NULL, NULL);
  {
    g_autoptr(SdStore) kiosk2 = open_store (path);
    g_autoptr(SdStore) kiosk1 = open_store (kiosk_path[1]);

    g_assert_cmpint (test_standalone (kiosk2, receiver.url, NULL, "sync-hq-address-not-enrolled"), ==,
                     SD_HQ_TEST_NOT_ENROLLED);
    g_assert_cmpint (test_standalone (kiosk1, receiver.url, NULL, NULL), ==, SD_HQ_TEST_REVOKED);
  }
  receiver_stop (&receiver);

  if (g_find_program_in_path ("openssl") == NULL)
    {
      g_test_message ("no openssl: HTTPS not tried");
      return;
    }
  {
    g_autofree char *cert = g_build_filename (dir, "hq-cert.pem", NULL);
    g_autofree char *key = g_build_filename (dir, "hq-key.pem", NULL);
    g_autoptr(SdStore) kiosk0 = open_store (kiosk_path[0]);
    const char *argv[] = { "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1", NULL };
    g_autoptr(GSubprocess) openssl = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                              G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
    g_assert_no_error (error);
    receiver_start (&receiver, hq_path, cert, key);
    g_assert_cmpint (test_standalone (kiosk0, receiver.url, NULL, "sync-hq-address-untrusted"), ==,
                     SD_HQ_TEST_UNTRUSTED);
    g_assert_cmpint (test_standalone (kiosk0, receiver.url, cert, NULL), ==, SD_HQ_TEST_KNOWN);
    receiver_stop (&receiver);
  }
}

int
main (int argc, char *argv[])
{
  int rc;

  sd_application_setup_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  sd_application_load_style ();

  dir = g_dir_make_tmp ("sd-ui-sync-XXXXXX", NULL);
  hq_path = g_build_filename (dir, "hq.sqlite", NULL);
  for (guint k = 0; k < 2; k++)
    kiosk_path[k] = g_strdup_printf ("%s/k%u.sqlite", dir, k);
  for (guint i = 0; i < G_N_ELEMENTS (stick); i++)
    stick[i] = g_strdup_printf ("%s/stick%u", dir, i);
  make_deployment ();

  g_test_add_func ("/ui/sync/hq-imports-enrols-exports", test_hq_imports_enrols_exports);
  g_test_add_func ("/ui/sync/fits-every-screen", test_fits_every_screen);
  g_test_add_func ("/ui/sync/review-and-revoke", test_review_and_revoke);
  g_test_add_func ("/ui/sync/merge", test_merge);
  g_test_add_func ("/ui/sync/not-enrolled", test_not_enrolled);
  g_test_add_func ("/ui/sync/progress-and-stop", test_progress_and_stop);
  g_test_add_func ("/ui/sync/kiosk-sends-to-hq", test_kiosk_sends_to_hq);
  g_test_add_func ("/ui/sync/set-hq-address", test_set_hq_address);
  g_test_add_func ("/ui/sync/hq-address-answers", test_hq_address_answers);
  rc = g_test_run ();
  return rc;
}
