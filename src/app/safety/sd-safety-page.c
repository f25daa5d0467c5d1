/* sd-safety-page.c: the staff safety desk: the roll-call, the answer form, and HQ's dashboard.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everyone signed in answers here; a lead or HQ also sees the dashboard
 * (sd_role_can_review_safety) and HQ alone opens and closes roll-calls
 * (sd_role_can_open_rollcall).  The desk opens on the newest open
 * roll-call; the list beside the title shows the others, newest first,
 * a drill marked as one.  A drill is shown under a band no real
 * roll-call has, on both views.
 */
#include "sd-safety-page.h"
#include "sd-open-csv.h"
#include "sd-safety-import.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SdSafetyPage
{
  GtkWidget          parent_instance;

  /* Template Widgets */
  GtkLabel          *drill_band;
  GtkLabel          *title_label;
  GtkStackSwitcher  *view_switcher;
  GtkDropDown       *rollcall_dropdown;
  GtkMenuButton     *rollcall_menu;
  GtkStack          *view_stack;
  SdSafetyForm      *form;
  SdSafetyDashboard *dashboard;

  /* Owned References */
  SdStore           *store;
  SdStaff           *staff;
  GListModel        *rollcalls;   /* SdRollcall, newest first */
  char              *chosen_id;   /* the roll-call shown, kept across reloads */
  gboolean           filling;
};

G_DEFINE_FINAL_TYPE (SdSafetyPage, sd_safety_page, GTK_TYPE_WIDGET)

static SdRollcall *
chosen (SdSafetyPage *self)
{
  guint n = gtk_drop_down_get_selected (self->rollcall_dropdown);

  if (self->rollcalls == NULL || n == GTK_INVALID_LIST_POSITION || n >= g_list_model_get_n_items (self->rollcalls))
    return NULL;
  return g_list_model_get_item (self->rollcalls, n);
}

static void
show_rollcall (SdSafetyPage *self)
{
  g_autoptr(SdRollcall) rollcall = chosen (self);
  gboolean review = self->staff != NULL && sd_role_can_review_safety (sd_staff_get_role (self->staff));
  gboolean hq = self->staff != NULL && sd_role_can_open_rollcall (sd_staff_get_role (self->staff));
  g_autofree char *title = NULL;

  g_free (self->chosen_id);
  self->chosen_id = rollcall != NULL ? g_strdup (sd_rollcall_get_id (rollcall)) : NULL;
  if (rollcall == NULL)
    title = g_strdup (_("Staff safety: no roll-call yet"));
  else if (sd_rollcall_get_is_open (rollcall))
    title = g_strdup (sd_rollcall_get_title (rollcall));
  else
    title = g_strdup_printf (_("%s (closed)"), sd_rollcall_get_title (rollcall));
  gtk_label_set_text (self->title_label, title);
  gtk_widget_set_visible (GTK_WIDGET (self->drill_band), rollcall != NULL && sd_rollcall_get_is_drill (rollcall));
  gtk_widget_set_visible (GTK_WIDGET (self->view_switcher), review);
  gtk_widget_set_visible (GTK_WIDGET (self->rollcall_dropdown), review && self->rollcalls != NULL &&
                          g_list_model_get_n_items (self->rollcalls) > 1);
  gtk_widget_set_visible (GTK_WIDGET (self->rollcall_menu), hq);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "safety.open", hq);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "safety.close",
                                 hq && rollcall != NULL && sd_rollcall_get_is_open (rollcall));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "safety.import",
                                 hq && rollcall != NULL && sd_rollcall_get_is_open (rollcall));
  if (!review)
    gtk_stack_set_visible_child_name (self->view_stack, "answer");
  sd_safety_form_set_rollcall (self->form, rollcall);
  sd_safety_dashboard_set_rollcall (self->dashboard, review ? rollcall : NULL);
}

/* Reads the roll-calls again; shows CHOOSE if given, else the one shown
 * before, else the newest open one, else the newest. */
static void
reload (SdSafetyPage *self,
        const char   *choose)
{
  g_autofree char *keep = g_strdup (choose != NULL ? choose : self->chosen_id);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n, pick = GTK_INVALID_LIST_POSITION, open = GTK_INVALID_LIST_POSITION;

  g_clear_object (&self->rollcalls);
  if (self->store != NULL)
    self->rollcalls = sd_store_list_rollcalls (self->store, NULL);
  n = self->rollcalls != NULL ? g_list_model_get_n_items (self->rollcalls) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdRollcall) r = g_list_model_get_item (self->rollcalls, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sd_rollcall_get_started_at (r) / 1000);
      g_autofree char *when = g_date_time_format (at, "%m/%d %H:%M");
      g_autofree char *name = g_strdup_printf ("%s%s %s%s", sd_rollcall_get_is_drill (r) ? _("[Drill] ") : "",
                                               when, sd_rollcall_get_title (r),
                                               sd_rollcall_get_is_open (r) ? "" : _(" (closed)"));

      gtk_string_list_append (names, name);
      if (keep != NULL && g_str_equal (keep, sd_rollcall_get_id (r)))
        pick = i;
      if (open == GTK_INVALID_LIST_POSITION && sd_rollcall_get_is_open (r))
        open = i;
    }
  if (pick == GTK_INVALID_LIST_POSITION)
    pick = open != GTK_INVALID_LIST_POSITION ? open : (n > 0 ? 0 : GTK_INVALID_LIST_POSITION);
  self->filling = TRUE;
  gtk_drop_down_set_model (self->rollcall_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->rollcall_dropdown, pick);
  self->filling = FALSE;
  show_rollcall (self);
}

static void
rollcall_chosen_cb (SdSafetyPage *self)
{
  if (!self->filling)
    show_rollcall (self);
}

static void
rollcalls_changed_cb (SdSafetyPage *self)
{
  reload (self, NULL);
}

/* ---- opening and closing (HQ) ---- */

static void
open_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  SdSafetyPage     *self)
{
  GtkEditable *title = g_object_get_data (G_OBJECT (dialog), "title");
  GtkCheckButton *drill = g_object_get_data (G_OBJECT (dialog), "drill");
  g_autoptr(SdRollcall) rollcall = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "open") || self->store == NULL || self->staff == NULL)
    return;
  rollcall = sd_store_open_rollcall (self->store, gtk_editable_get_text (title),
                                     gtk_check_button_get_active (drill) ? SD_ROLLCALL_DRILL : SD_ROLLCALL_REAL, 0,
                                     sd_staff_get_id (self->staff), &error);
  if (rollcall == NULL)
    {
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                   _("The roll-call was not opened"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
      return;
    }
  reload (self, sd_rollcall_get_id (rollcall));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdSafetyPage *self = SD_SAFETY_PAGE (widget);
  GtkWidget *dialog, *box, *title, *drill;

  if (self->staff == NULL || !sd_role_can_open_rollcall (sd_staff_get_role (self->staff)))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("New roll-call"),
                                   _("Every member of staff will be asked whether they are safe and whether they can "
                                     "report for duty. A drill is kept apart from real incidents."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  title = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (title), _("What happened, for example “震度6強 地震”"));
  gtk_entry_set_max_length (GTK_ENTRY (title), 200);
  gtk_entry_set_activates_default (GTK_ENTRY (title), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"), -1);
  drill = gtk_check_button_new_with_label (_("This is a drill"));
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), drill);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "open", _("_Open"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  g_object_set_data (G_OBJECT (dialog), "title", title);
  g_object_set_data (G_OBJECT (dialog), "drill", drill);
  g_signal_connect (dialog, "response", G_CALLBACK (open_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (title);
}

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   SdSafetyPage     *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "rollcall");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "close-rollcall") || self->store == NULL || self->staff == NULL)
    return;
  if (!sd_store_close_rollcall (self->store, id, sd_staff_get_id (self->staff), &error))
    {
      GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                   _("The roll-call was not closed"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (message));
      return;
    }
  reload (self, id);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdSafetyPage *self = SD_SAFETY_PAGE (widget);
  g_autoptr(SdRollcall) rollcall = chosen (self);
  GtkWidget *dialog;

  if (rollcall == NULL || self->staff == NULL || !sd_role_can_open_rollcall (sd_staff_get_role (self->staff)))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Close this roll-call?"),
                                   _("It will take no more answers. Its answers are kept and can still be reviewed."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "close-rollcall", _("C_lose the roll-call"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close-rollcall",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "rollcall", g_strdup (sd_rollcall_get_id (rollcall)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- importing a safety service's answers ---- */

static void
show_import_result (SdSafetyPage *self,
                    const char   *heading,
                    const char   *body)
{
  GtkWidget *message = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (message), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (message));
}

typedef struct {
  SdSafetyPage  *page;
  char          *db_path;
  char          *rollcall_id;   /* the roll-call shown when Import was chosen */
  GBytes        *csv;
  SdSafetyImport done;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_object (&job->page);
  g_free (job->db_path);
  g_free (job->rollcall_id);
  g_clear_pointer (&job->csv, g_bytes_unref);
  sd_safety_import_clear (&job->done);
  g_free (job);
}

/* A thread of its own, with its own connection to the file: 5 000 rows
 * take most of a second, which the window must not freeze for.  The
 * dashboard sees the new answers as it sees any other process's. */
static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(SdStore) store = NULL;
  GError *error = NULL;

  store = sd_store_open (job->db_path, SD_STORE_OPEN_DEFAULT, &error);
  if (store == NULL ||
      !sd_store_import_safety_csv (store, job->rollcall_id, job->csv, NULL, &job->done, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  SdSafetyPage *self = SD_SAFETY_PAGE (source);
  ImportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_import_result (self, _("Nothing was imported"), error->message);
      return;
    }
  body = g_strdup_printf (_("%u answers read (%s): %u new, %u imported before."), job->done.rows,
                          job->done.encoding, job->done.stored, job->done.already);
  show_import_result (self, _("Answers imported"), body);
  sd_safety_dashboard_refresh (self->dashboard);
}

static void
import_loaded_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  ImportJob *job = data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      show_import_result (job->page, _("The file could not be read"), error->message);
      import_job_free (job);
      return;
    }
  job->csv = g_bytes_new_take (contents, length);
  task = g_task_new (job->page, NULL, import_done_cb, NULL);
  g_task_set_source_tag (task, import_loaded_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) import_job_free);
  g_task_run_in_thread (task, import_thread);
}

void
sd_safety_page_import (SdSafetyPage *self,
                       GFile        *file)
{
  g_autoptr(SdRollcall) rollcall = NULL;
  ImportJob *job;

  g_return_if_fail (SD_IS_SAFETY_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  rollcall = chosen (self);
  if (rollcall == NULL || self->store == NULL || self->staff == NULL ||
      !sd_role_can_open_rollcall (sd_staff_get_role (self->staff)))
    return;
  job = g_new0 (ImportJob, 1);
  job->page = g_object_ref (self);
  job->db_path = g_strdup (sd_store_get_path (self->store));
  job->rollcall_id = g_strdup (sd_rollcall_get_id (rollcall));
  g_file_load_contents_async (file, NULL, import_loaded_cb, job);
}

static void
import_chosen (GtkWidget *widget,
               GFile     *file)
{
  sd_safety_page_import (SD_SAFETY_PAGE (widget), file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sd_open_csv (widget, _("Import answers from a safety service"), _("_Import"), import_chosen);
}

/* ---- public ---- */

void
sd_safety_page_set_store (SdSafetyPage *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_SAFETY_PAGE (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed::rollcalls", G_CALLBACK (rollcalls_changed_cb), self);
  sd_safety_form_set_store (self->form, store);
  sd_safety_dashboard_set_store (self->dashboard, store);
  reload (self, NULL);
}

void
sd_safety_page_set_staff (SdSafetyPage *self,
                          SdStaff      *staff)
{
  g_return_if_fail (SD_IS_SAFETY_PAGE (self));

  g_set_object (&self->staff, staff);
  sd_safety_form_set_staff (self->form, staff);
  /* A new person starts on the newest open roll-call, on the form. */
  g_clear_pointer (&self->chosen_id, g_free);
  gtk_stack_set_visible_child_name (self->view_stack, "answer");
  reload (self, NULL);
}

void
sd_safety_page_reset (SdSafetyPage *self)
{
  g_return_if_fail (SD_IS_SAFETY_PAGE (self));

  sd_safety_page_set_staff (self, NULL);
  sd_safety_form_reset (self->form);
}

void
sd_safety_page_focus (SdSafetyPage *self)
{
  g_return_if_fail (SD_IS_SAFETY_PAGE (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "answer") == 0)
    sd_safety_form_focus (self->form);
}

SdRollcall *
sd_safety_page_get_rollcall (SdSafetyPage *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_PAGE (self), NULL);
  return chosen (self);
}

void
sd_safety_page_show (SdSafetyPage *self,
                     const char   *view)
{
  g_return_if_fail (SD_IS_SAFETY_PAGE (self));

  if (g_str_equal (view, "answer") || (self->staff != NULL && sd_role_can_review_safety (sd_staff_get_role (self->staff))))
    gtk_stack_set_visible_child_name (self->view_stack, view);
}

SdSafetyForm *
sd_safety_page_get_form (SdSafetyPage *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_PAGE (self), NULL);
  return self->form;
}

SdSafetyDashboard *
sd_safety_page_get_dashboard (SdSafetyPage *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_PAGE (self), NULL);
  return self->dashboard;
}

static void
sd_safety_page_dispose (GObject *object)
{
  SdSafetyPage *self = SD_SAFETY_PAGE (object);
  GtkWidget *child;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SAFETY_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->staff);
  g_clear_object (&self->rollcalls);
  g_clear_pointer (&self->chosen_id, g_free);
  G_OBJECT_CLASS (sd_safety_page_parent_class)->dispose (object);
}

static void
sd_safety_page_class_init (SdSafetyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_safety_page_dispose;

  g_type_ensure (SD_TYPE_SAFETY_FORM);
  g_type_ensure (SD_TYPE_SAFETY_DASHBOARD);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-safety-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, drill_band);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, view_switcher);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, rollcall_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, rollcall_menu);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, form);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyPage, dashboard);
  gtk_widget_class_bind_template_callback (widget_class, rollcall_chosen_cb);
  gtk_widget_class_install_action (widget_class, "safety.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "safety.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "safety.import", NULL, import_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_safety_page_init (SdSafetyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  show_rollcall (self);
}
