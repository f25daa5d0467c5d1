/* sd-qr-dialog.c: a household's evacuee cards, shown large and printed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The code is drawn module by module at the largest whole number of pixels
 * a module that fits, so it stays sharp for a scanner held to the screen
 * and for a phone photo.  Printing and the PDF use the same sheet drawing
 * as `shelterdesk-cli qr sheet` (sd-qr-sheet.h).
 */
#include "sd-qr-dialog.h"
#include "sd-evacuee-text.h"
#include "sd-save-folder.h"

#include <glib/gi18n.h>

struct _SdQrDialog
{
  AdwWindow        parent_instance;

  /* Template Widgets */
  GtkDrawingArea  *code_area;
  GtkLabel        *name_label;
  GtkLabel        *kana_label;
  GtkLabel        *shelter_label;
  GtkLabel        *count_label;
  GtkLabel        *evacuee_label;   /* to the holder, in their language */
  GtkLabel        *message_label;
  GtkWidget       *demo_button;
  GtkWidget       *print_button;

  /* Owned References */
  GArray          *cards;   /* SdQrSheetCard */
  SdQrMatrix      *matrix;
  guint            current;
  gboolean         exercise;  /* printed with the exercise's mark */
};

G_DEFINE_FINAL_TYPE (SdQrDialog, sd_qr_dialog, ADW_TYPE_WINDOW)

static void
draw_code (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        data)
{
  SdQrDialog *self = data;
  guint modules;
  int side, px;

  if (self->matrix == NULL)
    return;
  modules = sd_qr_matrix_get_width (self->matrix) + 8;
  px = MAX (1, MIN (width, height) / (int) modules);
  side = px * (int) modules;
  sd_qr_matrix_draw (self->matrix, cr, (width - side) / 2, (height - side) / 2, side);
}

/* What the holder of CARD reads, in their language and its glyphs, when
 * that is not the desk's: how to use the card (the desk's own line above
 * says it to the volunteer).  Hidden for a holder who reads the desk's. */
static void
show_evacuee_text (SdQrDialog          *self,
                   const SdQrSheetCard *card)
{
  const SdEvacueeLanguage *theirs = sd_evacuee_language_resolve (card->language);
  const SdEvacueeLanguage *desk = sd_evacuee_language_of_desk ();
  g_autofree char *show = NULL;
  g_autofree char *photo = NULL;
  g_autofree char *text = NULL;
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  if (theirs != NULL && desk != NULL && g_str_equal (theirs->code, desk->code))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->evacuee_label), FALSE);
      gtk_label_set_text (self->evacuee_label, "");
      return;
    }
  show = sd_evacuee_text (card->language, EN_("Show this card at the shelter desk."));
  photo = sd_evacuee_text (card->language, EN_("You may also keep a photo of the code on your phone."));
  text = g_strconcat (show, "\n", photo, NULL);
  pango_attr_list_insert (attrs, pango_attr_language_new (
                                   pango_language_from_string (sd_evacuee_font_language (card->language))));
  gtk_label_set_text (self->evacuee_label, text);
  gtk_label_set_attributes (self->evacuee_label, attrs);
  gtk_widget_set_visible (GTK_WIDGET (self->evacuee_label), TRUE);
}

static void
show_card (SdQrDialog *self)
{
  const SdQrSheetCard *card;
  g_autofree char *count = NULL;

  g_clear_pointer (&self->matrix, sd_qr_matrix_free);
  if (self->cards == NULL || self->cards->len == 0)
    return;
  card = &g_array_index (self->cards, SdQrSheetCard, self->current);
  self->matrix = sd_qr_matrix_new (card->text, NULL);
  gtk_label_set_text (self->name_label, card->name);
  gtk_label_set_text (self->kana_label, card->kana ? card->kana : "");
  gtk_label_set_text (self->shelter_label, card->shelter ? card->shelter : "");
  show_evacuee_text (self, card);
  count = g_strdup_printf (_("Card %u of %u"), self->current + 1, self->cards->len);
  gtk_label_set_text (self->count_label, count);
  gtk_widget_queue_draw (GTK_WIDGET (self->code_area));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "qr.previous", self->current > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "qr.next", self->current + 1 < self->cards->len);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdQrDialog *self = SD_QR_DIALOG (widget);

  if (g_str_equal (action_name, "qr.next") && self->current + 1 < self->cards->len)
    self->current++;
  else if (g_str_equal (action_name, "qr.previous") && self->current > 0)
    self->current--;
  show_card (self);
}

/* The demo has no scanner: hand the code on screen to the check-in desk,
 * exactly as a scanner would. */
static void
demo_scan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdQrDialog *self = SD_QR_DIALOG (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  g_autofree char *text = g_strdup (sd_qr_dialog_get_text (self));

  if (parent == NULL || text == NULL)
    return;
  gtk_window_close (GTK_WINDOW (self));
  gtk_widget_activate_action (GTK_WIDGET (parent), "win.demo-scan", "s", text);
}

/* ---- printing ---- */

static void
draw_page_cb (GtkPrintOperation *op,
              GtkPrintContext   *context,
              int                page,
              SdQrDialog        *self)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = gtk_print_context_get_width (context) / SD_QR_SHEET_A4_WIDTH;

  cairo_scale (cr, scale, scale);
  sd_qr_sheet_draw_page (cr, (SdQrSheetCard *) self->cards->data, self->cards->len, page, self->exercise);
}

static GtkPrintOperationResult
run_print (SdQrDialog              *self,
           GtkPrintOperationAction  action,
           const char              *export_path,
           GError                 **error)
{
  g_autoptr(GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_n_pages (op, (int) sd_qr_sheet_n_pages (self->cards->len));
  gtk_print_operation_set_job_name (op, _("Evacuee cards"));
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (op, export_path);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), self);
  return gtk_print_operation_run (op, action, GTK_WINDOW (self), error);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdQrDialog *self = SD_QR_DIALOG (widget);
  g_autoptr(GError) error = NULL;

  if (run_print (self, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, NULL, &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    gtk_label_set_text (self->message_label, error->message);
}

/* The print path without the dialog: GtkPrintOperation's own PDF export,
 * so what the printer gets can be checked. */
gboolean
sd_qr_dialog_export_print (SdQrDialog  *self,
                           const char  *path,
                           GError     **error)
{
  g_return_val_if_fail (SD_IS_QR_DIALOG (self), FALSE);
  return run_print (self, GTK_PRINT_OPERATION_ACTION_EXPORT, path, error) == GTK_PRINT_OPERATION_RESULT_APPLY;
}

gboolean
sd_qr_dialog_write_pdf (SdQrDialog  *self,
                        const char  *path,
                        GError     **error)
{
  g_return_val_if_fail (SD_IS_QR_DIALOG (self), FALSE);
  return sd_qr_sheet_write_pdf ((SdQrSheetCard *) self->cards->data, self->cards->len, self->exercise, path, error);
}

static void
save_response_cb (GtkNativeDialog *chooser,
                  int              response,
                  SdQrDialog      *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      g_autoptr(GError) error = NULL;

      if (path != NULL && sd_qr_dialog_write_pdf (self, path, &error))
        sd_save_folder_remember (file);
      if (error == NULL && path != NULL)
        gtk_label_set_text (self->message_label, _("Saved. Print the PDF on A4 and cut along the dashed lines."));
      else
        gtk_label_set_text (self->message_label, error ? error->message : _("Choose a file on this computer."));
    }
  g_object_unref (chooser);
}

static void
save_pdf_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdQrDialog *self = SD_QR_DIALOG (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_("Save the evacuee cards"), GTK_WINDOW (self),
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), NULL);

  sd_save_folder_apply (GTK_FILE_CHOOSER (chooser));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("evacuee-cards.pdf"));
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- GObject ---- */

static void
sd_qr_dialog_dispose (GObject *object)
{
  SdQrDialog *self = SD_QR_DIALOG (object);

  g_clear_pointer (&self->matrix, sd_qr_matrix_free);
  g_clear_pointer (&self->cards, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_QR_DIALOG);

  G_OBJECT_CLASS (sd_qr_dialog_parent_class)->dispose (object);
}

static void
sd_qr_dialog_class_init (SdQrDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_qr_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-qr-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, code_area);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, kana_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, shelter_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, evacuee_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, demo_button);
  gtk_widget_class_bind_template_child (widget_class, SdQrDialog, print_button);

  gtk_widget_class_install_action (widget_class, "qr.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "qr.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "qr.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "qr.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "qr.demo-scan", NULL, demo_scan_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "qr.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "qr.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "qr.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_qr_dialog_init (SdQrDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->code_area, draw_code, self, NULL);
}

SdQrDialog *
sd_qr_dialog_new (GtkWindow          *parent,
                  SdStore            *store,
                  const char *const  *person_ids)
{
  SdQrDialog *self = g_object_new (SD_TYPE_QR_DIALOG, "transient-for", parent, NULL);
  g_autoptr(GError) error = NULL;

  self->exercise = sd_store_get_is_exercise (store);
  self->cards = sd_store_issue_cards (store, NULL, person_ids, &error);
  if (self->cards == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "qr.print", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "qr.save-pdf", FALSE);
      self->cards = g_array_new (FALSE, TRUE, sizeof (SdQrSheetCard));
    }
  gtk_widget_set_visible (self->demo_button, sd_store_get_is_demo (store) && self->cards->len > 0);
  show_card (self);
  /* Enter prints, never "scan this card" (which records an event). */
  gtk_window_set_default_widget (GTK_WINDOW (self), self->print_button);
  gtk_window_set_focus (GTK_WINDOW (self), self->print_button);
  return self;
}

guint
sd_qr_dialog_get_n_cards (SdQrDialog *self)
{
  g_return_val_if_fail (SD_IS_QR_DIALOG (self), 0);
  return self->cards->len;
}

const char *
sd_qr_dialog_get_text (SdQrDialog *self)
{
  g_return_val_if_fail (SD_IS_QR_DIALOG (self), NULL);
  return self->cards->len ? g_array_index (self->cards, SdQrSheetCard, self->current).text : NULL;
}

/* What the card's holder reads in their own language ("" when they read
 * the desk's). */
const char *
sd_qr_dialog_get_evacuee_text (SdQrDialog *self)
{
  g_return_val_if_fail (SD_IS_QR_DIALOG (self), NULL);
  return gtk_label_get_text (self->evacuee_label);
}

/* Shows card N (from 0). */
void
sd_qr_dialog_show_card (SdQrDialog *self,
                        guint       n)
{
  g_return_if_fail (SD_IS_QR_DIALOG (self));
  if (n < self->cards->len)
    self->current = n;
  show_card (self);
}
