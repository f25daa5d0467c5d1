/* sd-guide-page.c: the shelter guide desk: the lead writes it once in Japanese, anyone prints it in any language.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form on the left is the guide as the core keeps it
 * (sd-shelter-guide.h); the page on the right is what prints, drawn by
 * the core in the language chosen above it, and follows the form as it
 * is typed.  Saving writes only the lines changed since the guide was
 * read, so a line another desk changed meanwhile keeps its words.
 *
 * Nothing typed is lost by moving on: choosing another shelter, printing
 * or signing out (an idle sign-out too) saves the change first; a line
 * that cannot be saved (a time that is not one) stops the move and says
 * why.  Writing a PDF runs in a worker thread (GTask) on a copy.
 */
#include "sd-guide-page.h"
#include "sd-evacuee-text.h"
#include "sd-reflow-box.h"
#include "sd-save-folder.h"
#include "sd-toast.h"

#include <glib/gi18n.h>

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0

struct _SdGuidePage
{
  GtkWidget        parent_instance;

  /* Template Widgets */
  SdShelterPicker *shelter_picker;
  GtkEditable     *time_entries[SD_N_GUIDE_TIMES];
  GtkEditable     *place_entries[SD_N_GUIDE_PLACES];
  GtkBox          *rules_box;
  GtkTextView     *note_view;
  GtkWidget       *save_button;
  GtkWidget       *times_grid;
  GtkWidget       *places_grid;
  GtkLabel        *read_only_label;
  GtkLabel        *message_label;
  GtkDropDown     *language_dropdown;
  GtkLabel        *glyphs_label;
  GtkDrawingArea  *preview;

  GtkCheckButton  *rule_checks[SD_N_GUIDE_RULES];

  /* Owned References */
  SdStore         *store;
  SdStaff         *staff;
  SdShelterGuide  *base;        /* the guide as read: what the form started from */
  char            *shelter_id;  /* whose guide the form holds */
  GCancellable    *cancellable;
  char            *message;
  gboolean         dirty;       /* the form differs from BASE */
  gboolean         filling;     /* the form is being filled: not an edit */
};

G_DEFINE_FINAL_TYPE (SdGuidePage, sd_guide_page, GTK_TYPE_WIDGET)

static const char *
language_code (SdGuidePage *self)
{
  guint n, selected = gtk_drop_down_get_selected (self->language_dropdown);
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);

  return selected < n ? languages[selected].code : "ja";
}

static void
set_message (SdGuidePage *self,
             const char  *message,
             gboolean     is_error)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  if (message != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    sd_toast_show (GTK_WIDGET (self), message, is_error);
}

static gboolean
can_edit (SdGuidePage *self)
{
  return self->staff != NULL && sd_role_can_edit_shelter_guide (sd_staff_get_role (self->staff));
}

/* ---- the form ---- */

static char *
note_text (SdGuidePage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

typedef enum {
  FORM_STRICT,      /* a time that is not one fails, with the message */
  FORM_PREVIEW,     /* it is left out (the page while it is typed) */
  FORM_KEEP_STORED, /* it stays as stored (a sign-out saving the rest) */
} FormMode;

/* The guide the form says. */
static SdShelterGuide *
form_guide (SdGuidePage  *self,
            FormMode      mode,
            GError      **error)
{
  g_autoptr(SdShelterGuide) guide = sd_shelter_guide_new ();
  g_autofree char *note = note_text (self);

  guide->shelter_name = g_strdup (self->base != NULL ? self->base->shelter_name : NULL);
  guide->updated_at = self->base != NULL ? self->base->updated_at : 0;
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    {
      const char *typed = gtk_editable_get_text (self->time_entries[i]);
      g_autoptr(GError) local_error = NULL;
      if (!sd_guide_time_parse (typed, sd_guide_time_get_label (i), &guide->times[i], &local_error))
        {
          if (mode == FORM_STRICT)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          if (mode == FORM_KEEP_STORED && self->base != NULL)
            guide->times[i] = g_strdup (self->base->times[i]);
        }
    }
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    {
      const char *typed = gtk_editable_get_text (self->place_entries[i]);
      guide->places[i] = *typed ? g_strdup (typed) : NULL;
    }
  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    if (gtk_check_button_get_active (self->rule_checks[i]))
      guide->rules |= 1u << i;
  guide->note = *g_strstrip (note) ? g_strdup (note) : NULL;
  return g_steal_pointer (&guide);
}

static void
update_glyphs (SdGuidePage *self)
{
  g_autoptr(SdShelterGuide) guide = form_guide (self, FORM_PREVIEW, NULL);
  const SdEvacueeLanguage *language = sd_evacuee_language_resolve (language_code (self));
  guint missing = sd_shelter_guide_count_missing_glyphs (guide, language_code (self));

  if (missing > 0)
    {
      g_autofree char *text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "This computer has no font for %u character of the page in %s: it would "
                     "print as an empty box. Print it from another computer, or install the fonts.",
                     "This computer has no font for %u characters of the page in %s: they would print as "
                     "empty boxes. Print it from another computer, or install the fonts.", missing),
        missing, language->own_name);
      gtk_label_set_text (self->glyphs_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->glyphs_label), missing > 0);
}

static void
refresh_preview (SdGuidePage *self)
{
  update_glyphs (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

/* The form shows SELF->base; nothing typed. */
static void
fill (SdGuidePage *self)
{
  const SdShelterGuide *guide = self->base;

  self->filling = TRUE;
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    {
      g_autofree char *shown = guide != NULL ? sd_guide_time_format (guide->times[i]) : NULL;
      gtk_editable_set_text (self->time_entries[i], shown ? shown : "");
    }
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    gtk_editable_set_text (self->place_entries[i], guide && guide->places[i] ? guide->places[i] : "");
  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    gtk_check_button_set_active (self->rule_checks[i], guide != NULL && (guide->rules & (1u << i)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), guide && guide->note ? guide->note : "", -1);
  self->filling = FALSE;
  self->dirty = FALSE;
  refresh_preview (self);
}

/* Reads the guide of the shelter the picker shows into the form. */
static void
load (SdGuidePage *self)
{
  const char *id = sd_shelter_picker_get_shelter_id (self->shelter_picker);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->base, sd_shelter_guide_free);
  g_free (self->shelter_id);
  self->shelter_id = g_strdup (id);
  if (self->store != NULL && id != NULL)
    {
      self->base = sd_store_get_shelter_guide (self->store, id, &error);
      if (self->base == NULL)
        set_message (self, error->message, TRUE);
    }
  fill (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guide.print", self->base != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guide.save-pdf", self->base != NULL);
}

static gboolean
save (SdGuidePage *self,
      FormMode     mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdShelterGuide) edited = NULL;

  if (!self->dirty || self->store == NULL || self->shelter_id == NULL || self->base == NULL)
    return TRUE;
  if (!can_edit (self))
    {
      /* The form is not editable then; nothing of it may be written. */
      fill (self);
      return TRUE;
    }
  edited = form_guide (self, mode, &error);
  if (edited == NULL ||
      !sd_store_set_shelter_guide (self->store, self->shelter_id, self->base, edited, &error))
    {
      set_message (self, error->message, TRUE);
      return FALSE;
    }
  {
    g_autofree char *text = g_strdup_printf (_("The guide of %s is saved."), self->base->shelter_name);

    load (self);
    set_message (self, text, FALSE);
  }
  return TRUE;
}

gboolean
sd_guide_page_save (SdGuidePage *self)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), FALSE);
  return save (self, FORM_STRICT);
}

void
sd_guide_page_save_what_can_be (SdGuidePage *self)
{
  g_return_if_fail (SD_IS_GUIDE_PAGE (self));
  if (self->dirty && !save (self, FORM_STRICT))
    save (self, FORM_KEEP_STORED);
}

static void
edited_cb (SdGuidePage *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  refresh_preview (self);
}

static void
shelter_changed_cb (SdGuidePage *self)
{
  const char *id = sd_shelter_picker_get_shelter_id (self->shelter_picker);

  if (g_strcmp0 (id, self->shelter_id) == 0)
    return;
  /* What was typed belongs to the shelter it was typed for: saved there
   * before the other is shown, or the choice goes back. */
  if (self->dirty && !sd_guide_page_save (self))
    {
      g_autofree char *back = g_strdup (self->shelter_id);

      sd_shelter_picker_set_shelter_id (self->shelter_picker, back);
      return;
    }
  set_message (self, NULL, FALSE);
  load (self);
}

static void
store_changed_cb (SdGuidePage *self)
{
  /* Another desk, or a batch, changed a shelter: shown unless the form
   * holds changes of its own (saving keeps the other's lines anyway). */
  if (!self->dirty)
    load (self);
}

static void
language_changed_cb (SdGuidePage *self)
{
  refresh_preview (self);
}

static void
apply_role (SdGuidePage *self)
{
  gboolean editable = can_edit (self);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  /* A field that keeps the focus while it is made insensitive never
   * hears it leave (GTK warns, and the caret keeps blinking there). */
  if (!editable && focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    gtk_root_set_focus (root, NULL);
  gtk_widget_set_sensitive (self->times_grid, editable);
  gtk_widget_set_sensitive (self->places_grid, editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->rules_box), editable);
  gtk_text_view_set_editable (self->note_view, editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->note_view), editable);
  gtk_widget_set_visible (self->save_button, editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "guide.save", editable);
  gtk_widget_set_visible (GTK_WIDGET (self->read_only_label), self->staff != NULL && !editable);
}

/* ---- the preview ---- */

static void
draw_preview_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  SdGuidePage *self = user_data;
  g_autoptr(SdShelterGuide) guide = NULL;
  double scale = width / A4_WIDTH;

  if (self->base == NULL)
    return;
  guide = form_guide (self, FORM_PREVIEW, NULL);
  cairo_scale (cr, scale, scale);
  sd_shelter_guide_draw_page (guide, language_code (self), cr, A4_WIDTH, A4_HEIGHT,
                              self->store != NULL && sd_store_get_is_exercise (self->store));
  cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
  cairo_set_line_width (cr, 1 / scale);
  cairo_rectangle (cr, 0, 0, A4_WIDTH, A4_HEIGHT);
  cairo_stroke (cr);
}

static void
preview_resized_cb (SdGuidePage *self,
                    int          width,
                    int          height)
{
  int wanted = (int) (width * A4_HEIGHT / A4_WIDTH);

  if (gtk_drawing_area_get_content_height (self->preview) != wanted)
    gtk_drawing_area_set_content_height (self->preview, wanted);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdGuidePage *self = SD_GUIDE_PAGE (widget);

  if (!self->dirty)
    set_message (self, _("Nothing to save: the guide is as stored."), FALSE);
  else
    sd_guide_page_save (self);
}

/* ---- printing ---- */

typedef struct {
  SdShelterGuide *guide;
  char           *language;
  gboolean        exercise;
} PrintJob;

static void
print_job_free (gpointer  data,
                GClosure *closure)
{
  PrintJob *job = data;

  sd_shelter_guide_free (job->guide);
  g_free (job->language);
  g_free (job);
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = MIN (gtk_print_context_get_width (context) / A4_WIDTH,
                      gtk_print_context_get_height (context) / A4_HEIGHT);

  cairo_scale (cr, scale, scale);
  sd_shelter_guide_draw_page (job->guide, job->language, cr, A4_WIDTH, A4_HEIGHT, job->exercise);
}

GtkPrintOperation *
sd_guide_page_new_print_operation (SdGuidePage *self)
{
  GtkPrintOperation *operation;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  PrintJob *job;

  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), NULL);

  if (!sd_guide_page_save (self) || self->base == NULL)
    return NULL;
  job = g_new0 (PrintJob, 1);
  job->guide = sd_shelter_guide_copy (self->base);
  job->language = g_strdup (language_code (self));
  job->exercise = self->store != NULL && sd_store_get_is_exercise (self->store);
  gtk_page_setup_set_paper_size (setup, a4);
  operation = gtk_print_operation_new ();
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_job_name (operation, _("Shelter guide"));
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (draw_page_cb), job, print_job_free, 0);
  return operation;
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdGuidePage *self = SD_GUIDE_PAGE (widget);
  g_autoptr(GtkPrintOperation) operation = sd_guide_page_new_print_operation (self);
  g_autoptr(GError) error = NULL;

  if (operation == NULL)
    return;
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    set_message (self, error->message, TRUE);
}

/* ---- PDF ---- */

typedef struct {
  SdShelterGuide *guide;
  GStrv           languages;
  gboolean        exercise;
  GFile          *file;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  sd_shelter_guide_free (job->guide);
  g_strfreev (job->languages);
  g_object_unref (job->file);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autofree char *path = g_file_get_path (job->file);
  GError *error = NULL;

  if (path == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("The guide can only be saved to a folder of this computer or a USB stick."));
  else if (sd_shelter_guide_write_pdf (job->guide, (const char *const *) job->languages, job->exercise, path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_guide_page_export_async (SdGuidePage         *self,
                            GFile               *file,
                            gboolean             every,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GStrvBuilder) languages = g_strv_builder_new ();
  ExportJob *job;

  g_return_if_fail (SD_IS_GUIDE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_guide_page_export_async);
  if (!sd_guide_page_save (self) || self->base == NULL)
    {
      g_task_return_new_error (task, SD_STORE_ERROR, SD_STORE_ERROR_INVALID, "%s",
                               self->message != NULL ? self->message : _("There is no guide to save."));
      return;
    }
  if (every)
    {
      guint n;
      const SdEvacueeLanguage *offered = sd_evacuee_languages (&n);

      for (guint i = 0; i < n; i++)
        g_strv_builder_add (languages, offered[i].code);
    }
  else
    g_strv_builder_add (languages, language_code (self));
  job = g_new0 (ExportJob, 1);
  job->guide = sd_shelter_guide_copy (self->base);
  job->languages = g_strv_builder_end (languages);
  job->exercise = self->store != NULL && sd_store_get_is_exercise (self->store);
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
sd_guide_page_export_finish (SdGuidePage   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (job != NULL)
    sd_save_folder_remember (job->file);
  return TRUE;
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SdGuidePage *self = SD_GUIDE_PAGE (object);
  g_autoptr(GError) error = NULL;

  if (!sd_guide_page_export_finish (self, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("The guide is saved as a PDF."), FALSE);
}

static void
save_chosen_cb (GtkWidget *widget,
                GFile     *file,
                gboolean   every)
{
  SdGuidePage *self = SD_GUIDE_PAGE (widget);

  sd_guide_page_export_async (self, file, every, self->cancellable, exported_cb, NULL);
}

static void
save_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdGuidePage *self = SD_GUIDE_PAGE (widget);
  gboolean every = g_variant_get_boolean (parameter);
  g_autoptr(SdShelter) shelter = sd_shelter_picker_get_shelter (self->shelter_picker);
  g_autofree char *name = NULL;

  /* Saved before the dialog, so a line that cannot be saved is said now. */
  if (shelter == NULL || !sd_guide_page_save (self))
    return;
  name = g_strdup_printf ("guide-%s-%s.pdf", sd_shelter_get_code (shelter), every ? "all" : language_code (self));
  sd_save_folder_ask (widget, _("Save the shelter guide"), name, every, save_chosen_cb);
}

/* ---- GObject ---- */

static void
sd_guide_page_dispose (GObject *object)
{
  SdGuidePage *self = SD_GUIDE_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_GUIDE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->staff);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->base, sd_shelter_guide_free);

  G_OBJECT_CLASS (sd_guide_page_parent_class)->dispose (object);
}

static void
sd_guide_page_finalize (GObject *object)
{
  SdGuidePage *self = SD_GUIDE_PAGE (object);

  g_free (self->message);
  g_free (self->shelter_id);

  G_OBJECT_CLASS (sd_guide_page_parent_class)->finalize (object);
}

static void
sd_guide_page_class_init (SdGuidePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *const time_ids[] = {
    "breakfast_entry", "lunch_entry", "dinner_entry", "lights_out_entry", "lights_on_entry" };
  static const char *const place_ids[] = {
    "ask_entry", "supplies_entry", "pets_entry", "smoking_entry", "charging_entry" };

  object_class->dispose = sd_guide_page_dispose;
  object_class->finalize = sd_guide_page_finalize;

  g_type_ensure (SD_TYPE_SHELTER_PICKER);
  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-guide-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, shelter_picker);
  for (guint i = 0; i < SD_N_GUIDE_TIMES; i++)
    gtk_widget_class_bind_template_child_full (widget_class, time_ids[i], FALSE,
                                               G_STRUCT_OFFSET (SdGuidePage, time_entries[i]));
  for (guint i = 0; i < SD_N_GUIDE_PLACES; i++)
    gtk_widget_class_bind_template_child_full (widget_class, place_ids[i], FALSE,
                                               G_STRUCT_OFFSET (SdGuidePage, place_entries[i]));
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, rules_box);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, note_view);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, save_button);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, times_grid);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, places_grid);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, language_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, glyphs_label);
  gtk_widget_class_bind_template_child (widget_class, SdGuidePage, preview);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, shelter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, language_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, preview_resized_cb);

  gtk_widget_class_install_action (widget_class, "guide.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "guide.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "guide.save-pdf", "b", save_pdf_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "guide.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "guide.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_guide_page_init (SdGuidePage *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const SdEvacueeLanguage *languages, *desk;
  guint n;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  gtk_drawing_area_set_draw_func (self->preview, draw_preview_cb, self, NULL);

  desk = sd_evacuee_language_of_desk ();
  /* The rules as the desk's reader reads them. */
  for (guint i = 0; i < SD_N_GUIDE_RULES; i++)
    {
      const char *text = sd_guide_rule_text (i, desk != NULL ? desk->code : "en");
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *label = gtk_label_new (text);

      /* A label of our own, so that a long rule wraps in a narrow form. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (check), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (edited_cb), self);
      gtk_box_append (self->rules_box, check);
      self->rule_checks[i] = GTK_CHECK_BUTTON (check);
    }
  /* Each language in its own script, as an evacuee looks for it; the
   * desk's own first chosen. */
  languages = sd_evacuee_languages (&n);
  for (guint i = 0; i < n; i++)
    gtk_string_list_append (names, languages[i].own_name);
  gtk_drop_down_set_model (self->language_dropdown, G_LIST_MODEL (names));
  for (guint i = 0; i < n; i++)
    if (desk != NULL && g_str_equal (languages[i].code, desk->code))
      gtk_drop_down_set_selected (self->language_dropdown, i);

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed", G_CALLBACK (edited_cb), self);
  apply_role (self);
}

void
sd_guide_page_set_store (SdGuidePage *self,
                         SdStore     *store)
{
  g_return_if_fail (SD_IS_GUIDE_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed::shelters", G_CALLBACK (store_changed_cb), self);
  sd_shelter_picker_set_store (self->shelter_picker, store);
  load (self);
}

void
sd_guide_page_set_staff (SdGuidePage *self,
                         SdStaff     *staff)
{
  g_return_if_fail (SD_IS_GUIDE_PAGE (self));

  /* Saved for the one who typed it; a time that is not one stays as it
   * was stored, and nobody finds half of someone else's edit in the form. */
  if (staff != self->staff && self->dirty)
    {
      sd_guide_page_save_what_can_be (self);
      fill (self);
    }
  g_set_object (&self->staff, staff);
  apply_role (self);
}

void
sd_guide_page_reset (SdGuidePage *self)
{
  g_return_if_fail (SD_IS_GUIDE_PAGE (self));

  sd_guide_page_save_what_can_be (self);
  load (self);
  set_message (self, NULL, FALSE);
}

void
sd_guide_page_focus (SdGuidePage *self)
{
  g_return_if_fail (SD_IS_GUIDE_PAGE (self));

  if (can_edit (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->time_entries[0]));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->language_dropdown));
}

SdShelterPicker *
sd_guide_page_get_shelter_picker (SdGuidePage *self)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), NULL);
  return self->shelter_picker;
}

gboolean
sd_guide_page_get_dirty (SdGuidePage *self)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), FALSE);
  return self->dirty;
}

const char *
sd_guide_page_get_message (SdGuidePage *self)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), NULL);
  return self->message;
}

void
sd_guide_page_set_language (SdGuidePage *self,
                            const char  *code)
{
  const SdEvacueeLanguage *languages;
  const SdEvacueeLanguage *language = sd_evacuee_language_resolve (code);
  guint n;

  g_return_if_fail (SD_IS_GUIDE_PAGE (self));

  languages = sd_evacuee_languages (&n);
  for (guint i = 0; language != NULL && i < n; i++)
    if (g_str_equal (languages[i].code, language->code))
      gtk_drop_down_set_selected (self->language_dropdown, i);
}

GtkEditable *
sd_guide_page_get_time_entry (SdGuidePage *self,
                              SdGuideTime  time)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self) && time < SD_N_GUIDE_TIMES, NULL);
  return self->time_entries[time];
}

GtkEditable *
sd_guide_page_get_place_entry (SdGuidePage  *self,
                               SdGuidePlace  place)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self) && place < SD_N_GUIDE_PLACES, NULL);
  return self->place_entries[place];
}

GtkCheckButton *
sd_guide_page_get_rule_check (SdGuidePage *self,
                              SdGuideRule  rule)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self) && rule < SD_N_GUIDE_RULES, NULL);
  return self->rule_checks[rule];
}

GtkTextBuffer *
sd_guide_page_get_note_buffer (SdGuidePage *self)
{
  g_return_val_if_fail (SD_IS_GUIDE_PAGE (self), NULL);
  return gtk_text_view_get_buffer (self->note_view);
}
