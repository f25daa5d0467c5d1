/* sd-support-import-dialog.c: a welfare system's CSV: its columns, then what would change, then applied.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three steps, none of which writes until the last (sd-support-import.h):
 * the columns as guessed (or as this desk mapped the same headings last
 * time), each with a sample of what it holds and a dropdown to correct
 * it; the comparison with the list, counted and listed person by person
 * with the fields that change; Apply.  Reading, comparing and applying
 * run in a thread each, with their own connection to the database, so
 * 20 000 rows never freeze the window; the buttons wait meanwhile, so a
 * double press starts nothing twice.
 */
#include "sd-support-import-dialog.h"

#include "sd-json.h"

#include <glib/gi18n.h>

/* The preview lists this many people, then says how many more. */
#define MAX_LISTED 400

struct _SdSupportImportDialog
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  AdwWindowTitle  *window_title;
  GtkLabel        *error_label;
  GtkStack        *stack;
  GtkSpinner      *spinner;
  GtkLabel        *working_label;
  GtkLabel        *columns_label;
  GtkGrid         *columns_grid;
  GtkWidget       *compare_button;
  GtkLabel        *summary_label;
  GtkLabel        *warning_label;
  GtkLabel        *changes_label;
  GtkWidget       *apply_button;
  AdwStatusPage   *done_page;

  /* Owned References */
  char            *db_path;
  GFile           *file;
  SdSupportImport *import;
  GPtrArray       *dropdowns;    /* GtkDropDown*, one a column */
  GCancellable    *cancellable;
  gboolean         busy;
  gboolean         syncing;      /* the dropdowns are being set from the import */
  gboolean         remembered;
};

G_DEFINE_FINAL_TYPE (SdSupportImportDialog, sd_support_import_dialog, ADW_TYPE_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- the steps ---- */

static void
show_error (SdSupportImportDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
show_step (SdSupportImportDialog *self,
           const char            *step)
{
  gtk_stack_set_visible_child_name (self->stack, step);
  gtk_spinner_set_spinning (self->spinner, g_str_equal (step, "working"));
}

static void
working (SdSupportImportDialog *self,
         const char            *what)
{
  self->busy = TRUE;
  show_error (self, NULL);
  gtk_label_set_text (self->working_label, what);
  show_step (self, "working");
}

/* ---- columns ---- */

static void
sync_dropdowns (SdSupportImportDialog *self)
{
  self->syncing = TRUE;
  for (guint c = 0; c < self->dropdowns->len; c++)
    gtk_drop_down_set_selected (g_ptr_array_index (self->dropdowns, c),
                                sd_support_import_get_field (self->import, c));
  self->syncing = FALSE;
}

static void
field_chosen_cb (GtkDropDown           *dropdown,
                 GParamSpec            *pspec,
                 SdSupportImportDialog *self)
{
  guint column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (dropdown), "column"));
  g_autoptr(GError) error = NULL;

  if (self->syncing || self->busy || self->import == NULL)
    return;
  if (!sd_support_import_set_field (self->import, column, gtk_drop_down_get_selected (dropdown), &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
  sync_dropdowns (self);
}

static void
show_columns (SdSupportImportDialog *self)
{
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autofree char *intro = NULL;
  GtkWidget *child;
  guint n = sd_support_import_get_n_columns (self->import);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->columns_grid))) != NULL)
    gtk_grid_remove (self->columns_grid, child);
  g_ptr_array_set_size (self->dropdowns, 0);
  for (guint f = 0; f < SD_N_SUPPORT_FIELDS; f++)
    gtk_string_list_append (fields, sd_support_field_label (f));

  for (guint c = 0; c < n; c++)
    {
      const char *heading = sd_support_import_get_heading (self->import, c);
      const char *sample = sd_support_import_get_sample (self->import, c);
      GtkWidget *name = gtk_label_new (heading);
      GtkWidget *example = gtk_label_new (sample != NULL ? sample : _("(empty)"));
      GtkWidget *dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (fields)), NULL);
      g_autofree char *accessible = g_strdup_printf (_("Read the column “%s” as"), heading);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_widget_add_css_class (name, "heading");
      gtk_label_set_xalign (GTK_LABEL (example), 0);
      gtk_label_set_ellipsize (GTK_LABEL (example), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (example), 24);
      gtk_widget_set_hexpand (example, TRUE);
      gtk_widget_add_css_class (example, "dim-label");
      gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (dropdown), "column", GUINT_TO_POINTER (c));
      g_object_set_data_full (G_OBJECT (dropdown), "heading", g_strdup (heading), g_free);
      g_signal_connect (dropdown, "notify::selected", G_CALLBACK (field_chosen_cb), self);
      gtk_grid_attach (self->columns_grid, name, 0, c, 1, 1);
      gtk_grid_attach (self->columns_grid, example, 1, c, 1, 1);
      gtk_grid_attach (self->columns_grid, dropdown, 2, c, 1, 1);
      g_ptr_array_add (self->dropdowns, dropdown);
    }
  sync_dropdowns (self);
  intro = g_strdup_printf (self->remembered
                           ? _("%u people in %s (%s). The columns are read as they were the last time this desk "
                               "imported a file with these headings. Correct any that are wrong, then compare.")
                           : _("%u people in %s (%s). Check what each column is read as, correct any that are "
                               "wrong, then compare. Nothing is written yet."),
                           sd_support_import_get_n_rows (self->import), adw_window_title_get_subtitle (self->window_title),
                           sd_support_import_get_encoding (self->import));
  gtk_label_set_text (self->columns_label, intro);
  show_step (self, "columns");
  gtk_widget_grab_focus (self->compare_button);
}

/* ---- threads ---- */

typedef enum { JOB_READ, JOB_COMPARE, JOB_APPLY } JobKind;

typedef struct {
  JobKind          kind;
  char            *db_path;
  GBytes          *bytes;
  SdSupportImport *import;      /* the dialog's, lent for the job */
  gboolean         remembered;
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(SdStore) store = NULL;
  GError *error = NULL;
  gboolean ok;

  if (job->kind == JOB_READ)
    {
      job->import = sd_support_import_read (job->bytes, NULL, &error);
      if (job->import == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  store = sd_store_open (job->db_path, SD_STORE_OPEN_DEFAULT, &error);
  switch (job->kind)
    {
    case JOB_READ:
      ok = store != NULL;
      if (ok)
        job->remembered = sd_support_import_guess (job->import, store);
      break;
    case JOB_COMPARE:
      ok = store != NULL && sd_support_import_compare (job->import, store, &error);
      break;
    case JOB_APPLY:
    default:
      ok = store != NULL && sd_support_import_apply (job->import, store, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void show_preview (SdSupportImportDialog *self);

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  SdSupportImportDialog *self = SD_SUPPORT_IMPORT_DIALOG (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  self->busy = FALSE;
  if (job->kind == JOB_READ)
    {
      self->import = g_steal_pointer (&job->import);
      self->remembered = job->remembered;
    }
  if (!ok)
    {
      show_error (self, error->message);
      if (self->import == NULL)
        {
          /* Nothing to go back to: the file cannot be read. */
          adw_status_page_set_icon_name (self->done_page, "dialog-error-symbolic");
          adw_status_page_set_title (self->done_page, _("Nothing was imported"));
          show_step (self, "done");
          return;
        }
      /* A list changed since the comparison is compared again, and shown. */
      if (g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CHANGED))
        {
          show_preview (self);
          return;
        }
      show_step (self, "columns");
      return;
    }
  switch (job->kind)
    {
    case JOB_READ:
      show_columns (self);
      break;
    case JOB_COMPARE:
      show_preview (self);
      break;
    case JOB_APPLY:
      adw_status_page_set_description (self->done_page, gtk_label_get_text (self->summary_label));
      show_step (self, "done");
      gtk_widget_grab_focus (gtk_widget_get_first_child (GTK_WIDGET (self->done_page)));
      g_signal_emit (self, signals[APPLIED], 0);
      break;
    }
}

static void
run_job (SdSupportImportDialog *self,
         Job                   *job)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, job_done_cb, NULL);

  job->db_path = g_strdup (self->db_path);
  job->import = self->import;
  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/* ---- preview ---- */

static const char *
change_word (const char *change)
{
  if (g_strcmp0 (change, "new") == 0)
    return _("New");
  if (g_strcmp0 (change, "changed") == 0)
    return _("Changed");
  if (g_strcmp0 (change, "back") == 0)
    return _("Listed again");
  return _("No longer listed");
}

static void
show_preview (SdSupportImportDialog *self)
{
  guint n_new = sd_support_import_count (self->import, SD_SUPPORT_CHANGE_NEW);
  guint n_changed = sd_support_import_count (self->import, SD_SUPPORT_CHANGE_CHANGED);
  guint n_back = sd_support_import_count (self->import, SD_SUPPORT_CHANGE_BACK);
  guint n_left = sd_support_import_count (self->import, SD_SUPPORT_CHANGE_LEFT);
  guint n_same = sd_support_import_count_same (self->import);
  g_autofree char *summary = NULL, *diff_text = sd_support_import_diff_json (self->import);
  g_autoptr(json_t) diff = sd_json_parse (diff_text, strlen (diff_text), 0, NULL);
  g_autoptr(GString) changes = g_string_new (NULL);
  g_autoptr(GString) warning = g_string_new (NULL);
  guint total = json_array_size (diff);

  summary = g_strdup_printf (_("%u new, %u changed, %u listed again, %u no longer listed, %u the same."),
                             n_new, n_changed, n_back, n_left, n_same);
  gtk_label_set_text (self->summary_label, summary);

  if (!sd_support_import_can_tell_left (self->import))
    g_string_append (warning, _("The file has no welfare system numbers: people are matched by name and date "
                                "of birth, and nobody is marked as no longer listed."));
  else if (n_left > 0 && n_left * 5 > n_left + n_changed + n_same + n_back)
    g_string_append_printf (warning,
                            _("%u people on the list are not in this file and would be marked as no longer "
                              "listed. Is this the whole list, or only part of it? Apply only a whole export."),
                            n_left);
  gtk_label_set_text (self->warning_label, warning->str);
  gtk_widget_set_visible (GTK_WIDGET (self->warning_label), warning->len > 0);

  for (guint i = 0; i < MIN (total, MAX_LISTED); i++)
    {
      json_t *e = json_array_get (diff, i);
      json_t *fields = json_object_get (e, "fields");
      json_int_t line = json_integer_value (json_object_get (e, "line"));

      g_string_append_printf (changes, "%s%s: %s %s", changes->len > 0 ? "\n" : "",
                              change_word (json_string_value (json_object_get (e, "change"))),
                              json_string_value (json_object_get (e, "external_id")) ?: "",
                              json_string_value (json_object_get (e, "name")) ?: "");
      if (line > 0)
        g_string_append_printf (changes, _(" (line %d)"), (int) line);
      for (guint k = 0; k < json_array_size (fields); k++)
        {
          json_t *f = json_array_get (fields, k);

          g_string_append_printf (changes, "\n    %s: %s → %s", json_string_value (json_object_get (f, "label")),
                                  json_string_value (json_object_get (f, "before")) ?: "—",
                                  json_string_value (json_object_get (f, "after")) ?: "—");
        }
    }
  if (total > MAX_LISTED)
    g_string_append_printf (changes, _("\n… and %u more."), total - MAX_LISTED);
  gtk_label_set_text (self->changes_label, total > 0 ? changes->str : _("Nothing would change."));
  gtk_widget_set_sensitive (self->apply_button, total > 0);
  show_step (self, "preview");
  gtk_widget_grab_focus (total > 0 ? self->apply_button : GTK_WIDGET (self->changes_label));
}

/* ---- buttons ---- */

void
sd_support_import_dialog_compare (SdSupportImportDialog *self)
{
  Job *job;

  g_return_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self));

  if (self->busy || self->import == NULL)
    return;
  working (self, _("Comparing with the list…"));
  job = g_new0 (Job, 1);
  job->kind = JOB_COMPARE;
  run_job (self, job);
}

void
sd_support_import_dialog_apply (SdSupportImportDialog *self)
{
  Job *job;

  g_return_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self));

  if (self->busy || self->import == NULL || !g_str_equal (sd_support_import_dialog_get_step (self), "preview"))
    return;
  working (self, _("Applying to the list…"));
  job = g_new0 (Job, 1);
  job->kind = JOB_APPLY;
  run_job (self, job);
}

static void
compare_cb (SdSupportImportDialog *self)
{
  sd_support_import_dialog_compare (self);
}

static void
apply_cb (SdSupportImportDialog *self)
{
  sd_support_import_dialog_apply (self);
}

static void
back_cb (SdSupportImportDialog *self)
{
  if (!self->busy)
    show_columns (self);
}

static void
file_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  SdSupportImportDialog *self;
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  Job *job;

  if (!g_file_load_contents_finish (G_FILE (source), result, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self = SD_SUPPORT_IMPORT_DIALOG (data);
      self->busy = FALSE;
      show_error (self, error->message);
      adw_status_page_set_icon_name (self->done_page, "dialog-error-symbolic");
      adw_status_page_set_title (self->done_page, _("The file could not be read"));
      show_step (self, "done");
      return;
    }
  self = SD_SUPPORT_IMPORT_DIALOG (data);
  job = g_new0 (Job, 1);
  job->kind = JOB_READ;
  job->bytes = g_bytes_new_take (contents, length);
  run_job (self, job);
}

/* ---- for the tests ---- */

const char *
sd_support_import_dialog_get_step (SdSupportImportDialog *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
sd_support_import_dialog_get_error (SdSupportImportDialog *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label)) ? gtk_label_get_text (self->error_label) : NULL;
}

const char *
sd_support_import_dialog_get_summary (SdSupportImportDialog *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

gboolean
sd_support_import_dialog_choose (SdSupportImportDialog *self,
                                 const char            *heading,
                                 SdSupportField         field)
{
  g_return_val_if_fail (SD_IS_SUPPORT_IMPORT_DIALOG (self), FALSE);

  for (guint c = 0; c < self->dropdowns->len; c++)
    {
      GtkDropDown *dropdown = g_ptr_array_index (self->dropdowns, c);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (dropdown), "heading"), heading) == 0)
        {
          gtk_drop_down_set_selected (dropdown, field);
          return gtk_drop_down_get_selected (dropdown) == field;
        }
    }
  return FALSE;
}

/* ---- the class ---- */

GtkWidget *
sd_support_import_dialog_new (const char *db_path,
                              GFile      *file)
{
  SdSupportImportDialog *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (SD_TYPE_SUPPORT_IMPORT_DIALOG, NULL);
  self->db_path = g_strdup (db_path);
  self->file = g_object_ref (file);
  name = g_file_get_basename (file);
  adw_window_title_set_subtitle (self->window_title, name);
  working (self, _("Reading the file…"));
  g_file_load_contents_async (file, self->cancellable, file_loaded_cb, self);
  return GTK_WIDGET (self);
}

static void
sd_support_import_dialog_dispose (GObject *object)
{
  SdSupportImportDialog *self = SD_SUPPORT_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (sd_support_import_dialog_parent_class)->dispose (object);
}

static void
sd_support_import_dialog_finalize (GObject *object)
{
  SdSupportImportDialog *self = SD_SUPPORT_IMPORT_DIALOG (object);

  g_free (self->db_path);
  g_clear_object (&self->file);
  g_clear_pointer (&self->import, sd_support_import_free);
  g_clear_pointer (&self->dropdowns, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (sd_support_import_dialog_parent_class)->finalize (object);
}

static void
sd_support_import_dialog_class_init (SdSupportImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_support_import_dialog_dispose;
  object_class->finalize = sd_support_import_dialog_finalize;

  signals[APPLIED] = g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-support-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, working_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, columns_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, columns_grid);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, compare_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, warning_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, changes_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, apply_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportImportDialog, done_page);
  gtk_widget_class_bind_template_callback (widget_class, compare_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_support_import_dialog_init (SdSupportImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->dropdowns = g_ptr_array_new ();
  self->cancellable = g_cancellable_new ();
}
