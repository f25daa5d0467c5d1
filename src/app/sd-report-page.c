/* sd-report-page.c: the shelter status report (避難所状況報告): conditions, preview, export, print.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lead judges the lifelines and writes the supply requests; the
 * counts come from the core.  The preview on the right is the very page
 * the PDF and the printer get: all three draw with
 * sd_shelter_status_draw_page().  Writing a file runs in a worker thread
 * (GTask) on a status the page no longer touches, so a slow USB stick
 * never freezes the desk.
 */
#include "sd-report-page.h"
#include "sd-reflow-box.h"
#include "sd-save-folder.h"
#include "sd-toast.h"
#include "sd-shelter-picker.h"

#include <glib/gi18n.h>

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0

struct _SdReportPage
{
  GtkWidget        parent_instance;

  /* Template Widgets */
  SdShelterPicker *shelter_picker;
  GtkCheckButton  *all_check;
  GtkDropDown     *lifeline_dropdowns[SD_N_LIFELINES];
  GtkTextView     *supplies_view;
  GtkEditable     *note_entry;
  GtkDrawingArea  *preview;
  GtkLabel        *message_label;

  /* Owned References */
  SdStore         *store;
  SdStaff         *staff;
  SdShelterStatus *status;
  GCancellable    *cancellable;
  char            *message;
};

G_DEFINE_FINAL_TYPE (SdReportPage, sd_report_page, GTK_TYPE_WIDGET)


static void
set_message (SdReportPage *self,
             const char   *message,
             gboolean      is_error)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  /* The line is under the form, often below the fold. */
  if (message != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    sd_toast_show (GTK_WIDGET (self), message, is_error);
}

static const char *
report_shelter_id (SdReportPage *self)
{
  return gtk_check_button_get_active (self->all_check) ? NULL
         : sd_shelter_picker_get_shelter_id (self->shelter_picker);
}

static void
refresh (SdReportPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->status, sd_shelter_status_free);
  gtk_widget_set_sensitive (GTK_WIDGET (self->shelter_picker), !gtk_check_button_get_active (self->all_check));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.record", !gtk_check_button_get_active (self->all_check));
  if (self->store != NULL)
    {
      self->status = sd_store_compute_shelter_status (self->store, report_shelter_id (self), &error);
      if (self->status == NULL)
        set_message (self, error->message, TRUE);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static void
draw_preview_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  SdReportPage *self = user_data;
  double scale = width / A4_WIDTH;

  if (self->status == NULL)
    return;
  /* The page, as wide as the column, on white with a hairline border. */
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, A4_WIDTH, A4_HEIGHT);
  cairo_fill_preserve (cr);
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1 / scale);
  cairo_stroke (cr);
  sd_shelter_status_draw_page (self->status, cr, A4_WIDTH, A4_HEIGHT);
}

/* The page keeps A4's proportions at the column's width; the scrolled
 * window shows what does not fit below. */
static void
preview_resized_cb (SdReportPage *self,
                    int           width,
                    int           height)
{
  int wanted = (int) (width * A4_HEIGHT / A4_WIDTH);

  if (gtk_drawing_area_get_content_height (self->preview) != wanted)
    gtk_drawing_area_set_content_height (self->preview, wanted);
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdReportPage *self = SD_REPORT_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *supplies = NULL;
  g_autofree char *id = NULL;
  SdShelterConditionSpec spec = { 0 };
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->supplies_view);
  GtkTextIter start, end;

  if (self->store == NULL || report_shelter_id (self) == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  supplies = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  spec.shelter_id = report_shelter_id (self);
  for (guint i = 0; i < SD_N_LIFELINES; i++)
    spec.lifelines[i] = gtk_drop_down_get_selected (self->lifeline_dropdowns[i]);
  spec.supply_requests = *supplies ? supplies : NULL;
  spec.note = *gtk_editable_get_text (self->note_entry) ? gtk_editable_get_text (self->note_entry) : NULL;
  spec.staff_id = self->staff ? sd_staff_get_id (self->staff) : NULL;

  id = sd_store_record_shelter_condition (self->store, &spec, &error);
  if (id == NULL)
    {
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("The shelter’s condition is recorded and in the report."), FALSE);
  refresh (self);
}

/* ---- export ---- */

typedef struct {
  SdShelterStatus *status;  /* owned: the page may compute a new one meanwhile */
  GFile           *file;
  SdReportFormat   format;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  sd_shelter_status_free (job->status);
  g_object_unref (job->file);
  g_free (job);
}

static SdShelterStatus *
copy_status (const SdShelterStatus *status)
{
  SdShelterStatus *copy = g_memdup2 (status, sizeof *status);

  copy->site_name = g_strdup (status->site_name);
  copy->shelter_code = g_strdup (status->shelter_code);
  copy->shelter_name = g_strdup (status->shelter_name);
  copy->supply_requests = g_strdup (status->supply_requests);
  return copy;
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok;

  if (job->format == SD_REPORT_FORMAT_PDF)
    {
      g_autofree char *path = g_file_get_path (job->file);
      ok = sd_shelter_status_write_pdf (job->status, path, &error);
    }
  else
    {
      g_autoptr(GFileOutputStream) out = g_file_replace (job->file, NULL, FALSE,
                                                        G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                                        cancellable, &error);
      ok = out != NULL &&
           sd_shelter_status_write_csv (job->status, G_OUTPUT_STREAM (out), cancellable, &error) &&
           g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_report_page_export_async (SdReportPage        *self,
                             GFile               *file,
                             SdReportFormat       format,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (SD_IS_REPORT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_report_page_export_async);
  if (self->status == NULL)
    {
      g_task_return_new_error (task, SD_STORE_ERROR, SD_STORE_ERROR_FAILED, _("There is no report to save."));
      return;
    }
  job = g_new0 (ExportJob, 1);
  job->status = copy_status (self->status);
  job->file = g_object_ref (file);
  job->format = format;
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sd_report_page_export_finish (SdReportPage  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  /* The next save opens where this one went. */
  if (job != NULL)
    sd_save_folder_remember (job->file);
  return TRUE;
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdReportPage *self = SD_REPORT_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!sd_report_page_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("The report is saved."), FALSE);
}

static void
save_chosen_cb (GtkWidget *widget,
                GFile     *file,
                gboolean   pdf)
{
  SdReportPage *self = SD_REPORT_PAGE (widget);

  sd_report_page_export_async (self, file, pdf ? SD_REPORT_FORMAT_PDF : SD_REPORT_FORMAT_CSV, self->cancellable,
                               exported_cb, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdReportPage *self = SD_REPORT_PAGE (widget);
  SdReportFormat format = g_str_equal (g_variant_get_string (parameter, NULL), "pdf")
                          ? SD_REPORT_FORMAT_PDF : SD_REPORT_FORMAT_CSV;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M");
  g_autofree char *name = g_strdup_printf ("status-%s-%s.%s",
                                           self->status && self->status->shelter_code ? self->status->shelter_code : "all",
                                           stamp, format == SD_REPORT_FORMAT_PDF ? "pdf" : "csv");

  sd_save_folder_ask (widget, _("Save the status report"), name, format == SD_REPORT_FORMAT_PDF, save_chosen_cb);
}

/* ---- printing ---- */

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              SdShelterStatus   *status)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double width = gtk_print_context_get_width (context);
  double height = gtk_print_context_get_height (context);
  double scale = MIN (width / A4_WIDTH, height / A4_HEIGHT);

  cairo_scale (cr, scale, scale);
  sd_shelter_status_draw_page (status, cr, A4_WIDTH, A4_HEIGHT);
}

static void
free_status_closure (gpointer  data,
                     GClosure *closure)
{
  sd_shelter_status_free (data);
}

/**
 * sd_report_page_new_print_operation:
 *
 * A one-page print of the report as shown now, A4 portrait; the desk
 * runs it with a print dialog, the tests export it to a PDF file.
 *
 * Returns: (transfer full) (nullable): the operation
 */
GtkPrintOperation *
sd_report_page_new_print_operation (SdReportPage *self)
{
  GtkPrintOperation *operation;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), NULL);

  if (self->status == NULL)
    return NULL;
  gtk_page_setup_set_paper_size (setup, a4);
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, _("Shelter status report"));
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb),
                         copy_status (self->status), free_status_closure, 0);
  return operation;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdReportPage *self = SD_REPORT_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = sd_report_page_new_print_operation (self);
  g_autoptr(GError) error = NULL;

  if (operation == NULL)
    return;
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    set_message (self, error->message, TRUE);
}

/* ---- GObject ---- */

static void
changed_cb (SdReportPage *self)
{
  refresh (self);
}

/* The conditions form shows what was last recorded for the shelter, so
 * that a record changes only what the lead changes: recording Water alone
 * keeps Electricity and the supply requests.  The note is the record's
 * own remark and starts empty. */
static void
fill_conditions (SdReportPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->supplies_view);
  gboolean one = self->status != NULL && report_shelter_id (self) != NULL;

  for (guint i = 0; i < SD_N_LIFELINES; i++)
    gtk_drop_down_set_selected (self->lifeline_dropdowns[i], one ? self->status->lifelines[i] : SD_LIFELINE_STATE_UNKNOWN);
  gtk_text_buffer_set_text (buffer, one && self->status->supply_requests ? self->status->supply_requests : "", -1);
  gtk_editable_set_text (self->note_entry, "");
}

static void
shelter_changed_cb (SdReportPage *self)
{
  refresh (self);
  fill_conditions (self);
}

static void
sd_report_page_dispose (GObject *object)
{
  SdReportPage *self = SD_REPORT_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  sd_report_page_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_REPORT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->staff);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->status, sd_shelter_status_free);

  G_OBJECT_CLASS (sd_report_page_parent_class)->dispose (object);
}

static void
sd_report_page_finalize (GObject *object)
{
  g_free (SD_REPORT_PAGE (object)->message);

  G_OBJECT_CLASS (sd_report_page_parent_class)->finalize (object);
}

static void
sd_report_page_class_init (SdReportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_report_page_dispose;
  object_class->finalize = sd_report_page_finalize;


  g_type_ensure (SD_TYPE_SHELTER_PICKER);
  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-report-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, shelter_picker);
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, all_check);
  gtk_widget_class_bind_template_child_full (widget_class, "electricity_dropdown", FALSE,
                                             G_STRUCT_OFFSET (SdReportPage, lifeline_dropdowns[SD_LIFELINE_ELECTRICITY]));
  gtk_widget_class_bind_template_child_full (widget_class, "water_dropdown", FALSE,
                                             G_STRUCT_OFFSET (SdReportPage, lifeline_dropdowns[SD_LIFELINE_WATER]));
  gtk_widget_class_bind_template_child_full (widget_class, "gas_dropdown", FALSE,
                                             G_STRUCT_OFFSET (SdReportPage, lifeline_dropdowns[SD_LIFELINE_GAS]));
  gtk_widget_class_bind_template_child_full (widget_class, "communications_dropdown", FALSE,
                                             G_STRUCT_OFFSET (SdReportPage, lifeline_dropdowns[SD_LIFELINE_COMMUNICATIONS]));
  gtk_widget_class_bind_template_child_full (widget_class, "toilets_dropdown", FALSE,
                                             G_STRUCT_OFFSET (SdReportPage, lifeline_dropdowns[SD_LIFELINE_TOILETS]));
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, supplies_view);
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, preview);
  gtk_widget_class_bind_template_child (widget_class, SdReportPage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, shelter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_resized_cb);

  gtk_widget_class_install_action (widget_class, "report.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "report.save", "s", save_action);
  gtk_widget_class_install_action (widget_class, "report.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "report.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_report_page_init (SdReportPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_drawing_area_set_draw_func (self->preview, draw_preview_cb, self, NULL);
}

void
sd_report_page_set_store (SdReportPage *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_REPORT_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (store, "changed::person_events", G_CALLBACK (changed_cb), self);
      g_signal_connect_swapped (store, "changed::persons", G_CALLBACK (changed_cb), self);
    }
  sd_shelter_picker_set_store (self->shelter_picker, store);
  refresh (self);
  fill_conditions (self);
}

void
sd_report_page_set_staff (SdReportPage *self,
                          SdStaff      *staff)
{
  g_return_if_fail (SD_IS_REPORT_PAGE (self));
  g_set_object (&self->staff, staff);
}

void
sd_report_page_set_lifeline (SdReportPage    *self,
                             SdLifeline       lifeline,
                             SdLifelineState  state)
{
  g_return_if_fail (SD_IS_REPORT_PAGE (self));
  g_return_if_fail (lifeline < SD_N_LIFELINES);

  gtk_drop_down_set_selected (self->lifeline_dropdowns[lifeline], state);
}

void
sd_report_page_set_supplies (SdReportPage *self,
                             const char   *text)
{
  g_return_if_fail (SD_IS_REPORT_PAGE (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->supplies_view), text ? text : "", -1);
}

const SdShelterStatus *
sd_report_page_get_status (SdReportPage *self)
{
  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), NULL);
  return self->status;
}

const char *
sd_report_page_get_message (SdReportPage *self)
{
  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), NULL);
  return self->message;
}

void
sd_report_page_reset (SdReportPage *self)
{
  g_return_if_fail (SD_IS_REPORT_PAGE (self));

  /* What was typed and not recorded goes; what was recorded shows. */
  refresh (self);
  fill_conditions (self);
  set_message (self, NULL, FALSE);
}

SdLifelineState
sd_report_page_get_lifeline (SdReportPage *self,
                             SdLifeline    lifeline)
{
  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), SD_LIFELINE_STATE_UNKNOWN);
  g_return_val_if_fail (lifeline < SD_N_LIFELINES, SD_LIFELINE_STATE_UNKNOWN);
  return gtk_drop_down_get_selected (self->lifeline_dropdowns[lifeline]);
}

char *
sd_report_page_get_supplies (SdReportPage *self)
{
  GtkTextIter start, end;

  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), NULL);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->supplies_view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->supplies_view), &start, &end, FALSE);
}

SdShelterPicker *
sd_report_page_get_shelter_picker (SdReportPage *self)
{
  g_return_val_if_fail (SD_IS_REPORT_PAGE (self), NULL);
  return self->shelter_picker;
}
