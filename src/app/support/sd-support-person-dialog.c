/* sd-support-person-dialog.c: one person of the support list, and a status reported for them.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The status comes first, because that is what a person opens it for
 * during a disaster: what is known now, and six big buttons to report
 * what was found.  Evacuated asks which shelter.  Record writes one
 * report (a second press within a minute is the same report) and the
 * record is read again; the list behind sees the change through
 * SdStore::changed.
 */
#include "sd-choice-group.h"
#include "sd-reflow-box.h"
#include "sd-support-person-dialog.h"

#include "sd-json.h"

#include <glib/gi18n.h>

struct _SdSupportPersonDialog
{
  AdwWindow       parent_instance;

  /* Template Widgets */
  AdwWindowTitle *window_title;
  GtkLabel       *left_label;
  GtkLabel       *status_label;
  SdChoiceGroup  *status_choice;
  GtkDropDown    *shelter_dropdown;
  GtkEntry       *note_entry;
  GtkWidget      *record_button;
  GtkLabel       *message_label;
  GtkLabel       *person_label;
  GtkLabel       *plan_label;
  GtkLabel       *contacts_label;
  GtkLabel       *reports_label;

  /* Owned References */
  SdStore        *store;
  SdStaff        *staff;
  char           *id;
  GPtrArray      *shelter_codes;   /* char*, as the dropdown lists them */
};

G_DEFINE_FINAL_TYPE (SdSupportPersonDialog, sd_support_person_dialog, ADW_TYPE_WINDOW)

static const char *
text_or_dash (json_t     *object,
              const char *name)
{
  const char *text = json_string_value (json_object_get (object, name));

  return text != NULL && *text != '\0' ? text : "—";
}

static char *
format_time (json_int_t at_ms)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (at_ms / 1000);

  return at != NULL ? g_date_time_format (at, "%m/%d %H:%M") : g_strdup ("");
}

static SdSupportStatus
status_of (json_t *object)
{
  SdSupportStatus status = SD_SUPPORT_UNCONFIRMED;

  sd_support_status_from_string (json_string_value (json_object_get (object, "status")), &status);
  return status;
}

static void
show_person (SdSupportPersonDialog *self,
             json_t                *p)
{
  g_autoptr(GString) person = g_string_new (NULL);
  g_autoptr(GString) plan = g_string_new (NULL);
  g_autoptr(GString) contacts = g_string_new (NULL);
  g_autoptr(GString) reports = g_string_new (NULL);
  json_t *pl = json_object_get (p, "plan");
  json_t *list = json_object_get (p, "contacts");
  json_t *history = json_object_get (p, "reports");
  SdSupportStatus status = status_of (p);
  const char *birth = json_string_value (json_object_get (p, "birth_date"));
  g_autofree char *era = birth != NULL ? sd_date_format_era (birth) : NULL;
  g_autofree char *status_text = NULL;

  adw_window_title_set_title (self->window_title, text_or_dash (p, "name"));
  adw_window_title_set_subtitle (self->window_title, text_or_dash (p, "kana"));
  gtk_widget_set_visible (GTK_WIDGET (self->left_label), !json_boolean_value (json_object_get (p, "listed")));

  if (status == SD_SUPPORT_EVACUATED)
    status_text = g_strdup_printf ("%s: %s", sd_support_status_label (status), text_or_dash (p, "shelter_name"));
  else
    status_text = g_strdup (sd_support_status_label (status));
  if (json_integer_value (json_object_get (p, "reported_at")) > 0)
    {
      g_autofree char *at = format_time (json_integer_value (json_object_get (p, "reported_at")));
      g_autofree char *whole = g_strdup_printf (_("%s (reported %s)"), status_text, at);

      g_free (status_text);
      status_text = g_steal_pointer (&whole);
    }
  gtk_label_set_text (self->status_label, status_text);

  g_string_append_printf (person, _("Born: %s\nAddress: %s (%s)\nPhone: %s\nReason: %s\nCare level: %s\n"
                                    "Disability: %s\nNumber: %s\nShared with supporters before a disaster: %s"),
                          era != NULL ? era : "—", text_or_dash (p, "address"), text_or_dash (p, "district"),
                          text_or_dash (p, "phone"), text_or_dash (p, "reason"), text_or_dash (p, "care_level"),
                          text_or_dash (p, "disability"), text_or_dash (p, "external_id"),
                          json_boolean_value (json_object_get (p, "consent_share")) ? _("Yes") : _("No"));
  gtk_label_set_text (self->person_label, person->str);

  {
    g_autoptr(GString) assist = g_string_new (NULL);
    g_auto(GStrv) words = g_strsplit (json_string_value (json_object_get (pl, "assist")) ?: "", " ", -1);

    for (guint i = 0; words[i] != NULL; i++)
      if (*words[i] != '\0')
        g_string_append_printf (assist, "%s%s", assist->len > 0 ? "、" : "", sd_support_assist_label (words[i]));
    g_string_append_printf (plan, _("Shelter: %s\nRoute: %s\nTo bring: %s\nHow to assist: %s\nNote: %s"),
                            text_or_dash (pl, "shelter_name"), text_or_dash (pl, "route"), text_or_dash (pl, "bring"),
                            assist->len > 0 ? assist->str : "—", text_or_dash (pl, "note"));
  }
  gtk_label_set_text (self->plan_label, plan->str);

  for (guint i = 0; i < json_array_size (list); i++)
    {
      json_t *c = json_array_get (list, i);

      g_string_append_printf (contacts, "%s%s: %s (%s) %s %s", contacts->len > 0 ? "\n" : "",
                              g_strcmp0 (json_string_value (json_object_get (c, "kind")), "supporter") == 0
                              ? _("Supporter") : _("Emergency contact"),
                              text_or_dash (c, "name"), text_or_dash (c, "relation"), text_or_dash (c, "phone"),
                              json_string_value (json_object_get (c, "address")) ?: "");
    }
  gtk_label_set_text (self->contacts_label, contacts->len > 0 ? contacts->str : _("None recorded."));

  for (guint i = 0; i < json_array_size (history); i++)
    {
      json_t *r = json_array_get (history, i);
      g_autofree char *at = format_time (json_integer_value (json_object_get (r, "reported_at")));
      SdSupportStatus s = status_of (r);

      g_string_append_printf (reports, "%s%s  %s%s%s  %s  %s", reports->len > 0 ? "\n" : "", at,
                              sd_support_status_label (s), s == SD_SUPPORT_EVACUATED ? ": " : "",
                              s == SD_SUPPORT_EVACUATED ? text_or_dash (r, "shelter_name") : "",
                              json_string_value (json_object_get (r, "note")) ?: "",
                              json_string_value (json_object_get (r, "reported_by")) ?: "");
    }
  gtk_label_set_text (self->reports_label, reports->len > 0 ? reports->str : _("No report yet: unconfirmed."));
}

static void
reload (SdSupportPersonDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sd_support_person_json (self->store, self->id, &error);
  g_autoptr(json_t) person = text != NULL ? sd_json_parse (text, strlen (text), 0, &error) : NULL;

  if (person == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
      return;
    }
  show_person (self, person);
}

static void
fill_shelters (SdSupportPersonDialog *self)
{
  g_autoptr(GListModel) shelters = sd_store_list_shelters (self->store, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  for (guint i = 0; shelters != NULL && i < g_list_model_get_n_items (shelters); i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (shelters, i);
      g_autofree char *name = g_strdup_printf ("%s %s", sd_shelter_get_code (s), sd_shelter_get_name (s));

      gtk_string_list_append (names, name);
      g_ptr_array_add (self->shelter_codes, g_strdup (sd_shelter_get_code (s)));
    }
  gtk_drop_down_set_model (self->shelter_dropdown, G_LIST_MODEL (names));
}

static void
status_chosen_cb (SdSupportPersonDialog *self)
{
  int chosen = sd_choice_group_get_selected (self->status_choice);

  gtk_widget_set_sensitive (GTK_WIDGET (self->shelter_dropdown), chosen == SD_SUPPORT_EVACUATED);
  gtk_widget_set_sensitive (self->record_button, chosen >= 0);
}

static void
record_cb (SdSupportPersonDialog *self)
{
  int chosen = sd_choice_group_get_selected (self->status_choice);
  guint shelter = gtk_drop_down_get_selected (self->shelter_dropdown);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  if (chosen < 0)
    return;
  report = sd_store_report_support_status (self->store, self->id, chosen,
                                           chosen == SD_SUPPORT_EVACUATED && shelter < self->shelter_codes->len
                                           ? g_ptr_array_index (self->shelter_codes, shelter) : NULL,
                                           gtk_editable_get_text (GTK_EDITABLE (self->note_entry)),
                                           self->staff != NULL ? sd_staff_get_id (self->staff) : NULL,
                                           SD_SUPPORT_VIA_DESK, &error);
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), report == NULL);
  if (report == NULL)
    {
      gtk_label_set_text (self->message_label, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), "");
  sd_choice_group_set_selected (self->status_choice, -1);
  reload (self);
}

gboolean
sd_support_person_dialog_report (SdSupportPersonDialog *self,
                                 SdSupportStatus        status,
                                 const char            *shelter_code,
                                 const char            *note)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PERSON_DIALOG (self), FALSE);

  sd_choice_group_set_selected (self->status_choice, status);
  for (guint i = 0; shelter_code != NULL && i < self->shelter_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->shelter_codes, i), shelter_code))
      gtk_drop_down_set_selected (self->shelter_dropdown, i);
  gtk_editable_set_text (GTK_EDITABLE (self->note_entry), note != NULL ? note : "");
  if (!gtk_widget_is_sensitive (self->record_button))
    return FALSE;
  gtk_widget_activate (self->record_button);
  return !gtk_widget_get_visible (GTK_WIDGET (self->message_label));
}

GtkWidget *
sd_support_person_dialog_new (SdStore    *store,
                              SdStaff    *staff,
                              const char *id)
{
  SdSupportPersonDialog *self;

  g_return_val_if_fail (SD_IS_STORE (store), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (SD_TYPE_SUPPORT_PERSON_DIALOG, NULL);
  self->store = g_object_ref (store);
  self->staff = staff != NULL ? g_object_ref (staff) : NULL;
  self->id = g_strdup (id);
  fill_shelters (self);
  reload (self);
  return GTK_WIDGET (self);
}

static void
sd_support_person_dialog_dispose (GObject *object)
{
  SdSupportPersonDialog *self = SD_SUPPORT_PERSON_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_object (&self->staff);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->shelter_codes, g_ptr_array_unref);
  G_OBJECT_CLASS (sd_support_person_dialog_parent_class)->dispose (object);
}

static void
sd_support_person_dialog_class_init (SdSupportPersonDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_support_person_dialog_dispose;

  g_type_ensure (SD_TYPE_CHOICE_GROUP);
  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-support-person-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, left_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, status_choice);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, shelter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, note_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, record_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, person_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contacts_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, reports_label);
  gtk_widget_class_bind_template_callback (widget_class, status_chosen_cb);
  gtk_widget_class_bind_template_callback (widget_class, record_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_support_person_dialog_init (SdSupportPersonDialog *self)
{
  const char *labels[SD_N_SUPPORT_STATUSES + 1];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->shelter_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    labels[s] = sd_support_status_label (s);
  labels[SD_N_SUPPORT_STATUSES] = NULL;
  sd_choice_group_set_choices (self->status_choice, labels);
}
