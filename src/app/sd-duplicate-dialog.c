/* sd-duplicate-dialog.c: "is this the same person?" — the volunteer decides, never the software.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows who is being registered beside each record that may be the same
 * person (same name and birth date, or same kana, birth date and
 * address), with where that record stays now.  Emits ::decided once:
 * with a person id ("same person"), with "" ("different person"), or with
 * NULL (cancelled: nothing is saved).
 */
#include "sd-duplicate-dialog.h"

#include <glib/gi18n.h>

struct _SdDuplicateDialog
{
  AdwWindow   parent_instance;

  /* Template Widgets */
  GtkLabel   *person_label;
  GtkListBox *candidates_box;

  gboolean    decided;
};

G_DEFINE_FINAL_TYPE (SdDuplicateDialog, sd_duplicate_dialog, ADW_TYPE_WINDOW)

enum {
  DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
decide (SdDuplicateDialog *self,
        const char        *answer)
{
  if (self->decided)
    return;
  self->decided = TRUE;
  g_signal_emit (self, signals[DECIDED], 0, answer);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
same_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  decide (SD_DUPLICATE_DIALOG (widget), g_variant_get_string (parameter, NULL));
}

static void
different_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  decide (SD_DUPLICATE_DIALOG (widget), "");
}

static gboolean
sd_duplicate_dialog_close_request (GtkWindow *window)
{
  SdDuplicateDialog *self = SD_DUPLICATE_DIALOG (window);

  if (!self->decided)
    {
      self->decided = TRUE;
      g_signal_emit (self, signals[DECIDED], 0, NULL);
    }
  return GTK_WINDOW_CLASS (sd_duplicate_dialog_parent_class)->close_request (window);
}

static const char *
status_text (SdPerson *person)
{
  switch (sd_person_get_status (person))
    {
    case SD_PERSON_STATUS_IN: return _("staying");
    case SD_PERSON_STATUS_OUT: return _("out for now");
    case SD_PERSON_STATUS_LEFT: return _("left");
    case SD_PERSON_STATUS_NONE:
    default: return _("registered");
    }
}

static GtkWidget *
candidate_row (SdPerson *person)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Same person"));
  g_autofree char *era = sd_person_get_birth_date (person) ? sd_date_format_era (sd_person_get_birth_date (person)) : NULL;
  g_autofree char *markup = NULL;
  g_autofree char *label = NULL;

  markup = g_markup_printf_escaped ("<b>%s</b>  %s\n%s  %s\n%s — %s",
                                    sd_person_get_name (person),
                                    sd_person_get_kana (person) ? sd_person_get_kana (person) : "",
                                    era ? era : _("birth date unknown"),
                                    sd_person_get_address (person) ? sd_person_get_address (person) : "",
                                    sd_person_get_shelter_name (person) ? sd_person_get_shelter_name (person) : "",
                                    status_text (person));
  gtk_label_set_markup (GTK_LABEL (text), markup);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_widget_set_hexpand (text, TRUE);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "dup.same");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", sd_person_get_id (person));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  label = g_strdup_printf (_("Same person as %s"), sd_person_get_name (person));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  return box;
}

static void
sd_duplicate_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_DUPLICATE_DIALOG);

  G_OBJECT_CLASS (sd_duplicate_dialog_parent_class)->dispose (object);
}

static void
sd_duplicate_dialog_class_init (SdDuplicateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sd_duplicate_dialog_dispose;
  window_class->close_request = sd_duplicate_dialog_close_request;

  /**
   * SdDuplicateDialog::decided:
   * @answer: (nullable): an existing person's id, "" for a different
   *   person, or %NULL when cancelled
   */
  signals[DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-duplicate-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, person_label);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, candidates_box);

  gtk_widget_class_install_action (widget_class, "dup.same", "s", same_action);
  gtk_widget_class_install_action (widget_class, "dup.different", NULL, different_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_duplicate_dialog_init (SdDuplicateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SdDuplicateDialog *
sd_duplicate_dialog_new (GtkWindow          *parent,
                         const SdPersonSpec *person,
                         GListModel         *candidates,
                         gboolean            capped)
{
  SdDuplicateDialog *self = g_object_new (SD_TYPE_DUPLICATE_DIALOG,
                                          "transient-for", parent,
                                          "modal", TRUE,
                                          NULL);
  g_autofree char *markup = NULL;

  markup = g_markup_printf_escaped (_("Registering <b>%s</b> (%s). Someone already registered may be the "
                                      "same person. Ask them, then choose."),
                                    person->name ? person->name : "",
                                    person->birth_date ? person->birth_date : _("birth date unknown"));
  if (capped)
    {
      /* sd_store_find_duplicates() compares at most this many. */
      g_autofree char *more = g_strdup_printf (_("More than %d people born that day have this name or kana, "
                                                 "and only the first %d were compared. Search for the person "
                                                 "by phone or address before choosing “Different person”."),
                                               SD_DUPLICATES_EXAMINED, SD_DUPLICATES_EXAMINED);
      g_autofree char *escaped = g_markup_escape_text (more, -1);
      g_autofree char *both = g_strconcat (markup, "\n\n", escaped, NULL);

      g_free (markup);
      markup = g_steal_pointer (&both);
    }
  gtk_label_set_markup (self->person_label, markup);

  for (guint i = 0; i < g_list_model_get_n_items (candidates); i++)
    {
      g_autoptr(SdPerson) candidate = g_list_model_get_item (candidates, i);
      gtk_list_box_append (self->candidates_box, candidate_row (candidate));
    }
  return self;
}
