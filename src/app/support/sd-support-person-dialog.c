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
  GtkListBox     *contacts_list;
  GtkLabel       *reports_label;
  GtkDropDown    *plan_shelter_dropdown;
  GtkEntry       *plan_route_entry;
  GtkEntry       *plan_bring_entry;
  GtkFlowBox     *plan_assist_box;
  GtkEntry       *plan_note_entry;
  GtkDropDown    *contact_kind_dropdown;
  GtkEntry       *contact_name_entry;
  GtkEntry       *contact_relation_entry;
  GtkEntry       *contact_phone_entry;
  GtkLabel       *plan_message_label;
  GtkLabel       *contact_message_label;

  /* Owned References */
  SdStore        *store;
  SdStaff        *staff;
  char           *id;
  GPtrArray      *shelter_codes;   /* char*, as the dropdown lists them */
  GPtrArray      *assist_checks;   /* GtkCheckButton*, one an assist code */
  GPtrArray      *contact_ids;     /* char*, as the contacts list shows them */
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

/* ---- the plan and the contacts, edited ---- */

static void
fill_plan_form (SdSupportPersonDialog *self,
                json_t                *plan)
{
  const char *code = json_string_value (json_object_get (plan, "shelter_code"));
  g_auto(GStrv) words = g_strsplit (json_string_value (json_object_get (plan, "assist")) ?: "", " ", -1);
  guint chosen = 0;

  for (guint i = 0; code != NULL && i < self->shelter_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->shelter_codes, i), code))
      chosen = i + 1;
  gtk_drop_down_set_selected (self->plan_shelter_dropdown, chosen);
  gtk_editable_set_text (GTK_EDITABLE (self->plan_route_entry), json_string_value (json_object_get (plan, "route")) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->plan_bring_entry), json_string_value (json_object_get (plan, "bring")) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->plan_note_entry), json_string_value (json_object_get (plan, "note")) ?: "");
  for (guint i = 0; i < self->assist_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->assist_checks, i),
                                 g_strv_contains ((const char *const *) words, sd_support_assist_codes ()[i]));
}

static void reload (SdSupportPersonDialog *self);

/* ERROR, or none, under the part it is about. */
static void
show_message (GtkLabel     *label,
              const GError *error)
{
  gtk_widget_set_visible (GTK_WIDGET (label), error != NULL);
  if (error != NULL)
    gtk_label_set_text (label, error->message);
}

static void
remove_contact_cb (GtkButton             *button,
                   SdSupportPersonDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr(GError) error = NULL;

  if (index < self->contact_ids->len)
    sd_store_remove_support_contact (self->store, g_ptr_array_index (self->contact_ids, index), &error);
  show_message (self->contact_message_label, error);
  reload (self);
}

static void
fill_contacts (SdSupportPersonDialog *self,
               json_t                *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->contacts_list))) != NULL)
    gtk_list_box_remove (self->contacts_list, child);
  g_ptr_array_set_size (self->contact_ids, 0);
  for (guint i = 0; i < json_array_size (list); i++)
    {
      json_t *c = json_array_get (list, i);
      g_autofree char *text = g_strdup_printf ("%s: %s (%s) %s %s",
                                               g_strcmp0 (json_string_value (json_object_get (c, "kind")), "supporter") == 0
                                               ? _("Supporter") : _("Emergency contact"),
                                               text_or_dash (c, "name"), text_or_dash (c, "relation"),
                                               text_or_dash (c, "phone"),
                                               json_string_value (json_object_get (c, "address")) ?: "");
      g_autofree char *accessible = g_strdup_printf (_("Remove %s"), text_or_dash (c, "name"));
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_with_label (_("Remove"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_margin_start (row, 8);
      gtk_widget_set_margin_end (row, 8);
      gtk_widget_set_margin_top (row, 4);
      gtk_widget_set_margin_bottom (row, 4);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_contact_cb), self);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), remove);
      gtk_list_box_append (self->contacts_list, row);
      g_ptr_array_add (self->contact_ids, g_strdup (json_string_value (json_object_get (c, "id"))));
    }
  gtk_label_set_text (self->contacts_label, json_array_size (list) > 0 ? "" : _("None recorded."));
  gtk_widget_set_visible (GTK_WIDGET (self->contacts_label), json_array_size (list) == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->contacts_list), json_array_size (list) > 0);
}

static void
save_plan_cb (SdSupportPersonDialog *self)
{
  g_autoptr(GPtrArray) assist = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  guint shelter = gtk_drop_down_get_selected (self->plan_shelter_dropdown);
  SdSupportPlanSpec plan = { 0 };

  for (guint i = 0; i < self->assist_checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->assist_checks, i)))
      g_ptr_array_add (assist, (gpointer) sd_support_assist_codes ()[i]);
  g_ptr_array_add (assist, NULL);
  plan.shelter_code = shelter > 0 && shelter <= self->shelter_codes->len
                      ? g_ptr_array_index (self->shelter_codes, shelter - 1) : NULL;
  plan.route = gtk_editable_get_text (GTK_EDITABLE (self->plan_route_entry));
  plan.bring = gtk_editable_get_text (GTK_EDITABLE (self->plan_bring_entry));
  plan.note = gtk_editable_get_text (GTK_EDITABLE (self->plan_note_entry));
  plan.assist = (const char *const *) assist->pdata;
  sd_store_set_support_plan (self->store, self->id, &plan, &error);
  show_message (self->plan_message_label, error);
  if (error == NULL)
    reload (self);
}

static void
add_contact_cb (SdSupportPersonDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  SdSupportContactSpec spec = {
    gtk_drop_down_get_selected (self->contact_kind_dropdown) == 1 ? SD_SUPPORT_CONTACT_SUPPORTER
                                                                  : SD_SUPPORT_CONTACT_EMERGENCY,
    gtk_editable_get_text (GTK_EDITABLE (self->contact_name_entry)), NULL,
    gtk_editable_get_text (GTK_EDITABLE (self->contact_relation_entry)),
    gtk_editable_get_text (GTK_EDITABLE (self->contact_phone_entry)),
  };

  id = sd_store_add_support_contact (self->store, self->id, &spec, &error);
  show_message (self->contact_message_label, error);
  if (id == NULL)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->contact_name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_relation_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_phone_entry), "");
  reload (self);
}

gboolean
sd_support_person_dialog_edit_plan (SdSupportPersonDialog *self,
                                    const char            *shelter_code,
                                    const char            *route,
                                    const char            *bring,
                                    const char *const     *assist,
                                    const char            *note)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PERSON_DIALOG (self), FALSE);

  gtk_drop_down_set_selected (self->plan_shelter_dropdown, 0);
  for (guint i = 0; shelter_code != NULL && i < self->shelter_codes->len; i++)
    if (g_str_equal (g_ptr_array_index (self->shelter_codes, i), shelter_code))
      gtk_drop_down_set_selected (self->plan_shelter_dropdown, i + 1);
  gtk_editable_set_text (GTK_EDITABLE (self->plan_route_entry), route != NULL ? route : "");
  gtk_editable_set_text (GTK_EDITABLE (self->plan_bring_entry), bring != NULL ? bring : "");
  gtk_editable_set_text (GTK_EDITABLE (self->plan_note_entry), note != NULL ? note : "");
  for (guint i = 0; i < self->assist_checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->assist_checks, i),
                                 assist != NULL && g_strv_contains (assist, sd_support_assist_codes ()[i]));
  save_plan_cb (self);
  return !gtk_widget_get_visible (GTK_WIDGET (self->plan_message_label));
}

gboolean
sd_support_person_dialog_add_contact (SdSupportPersonDialog *self,
                                      SdSupportContactKind   kind,
                                      const char            *name,
                                      const char            *relation,
                                      const char            *phone)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PERSON_DIALOG (self), FALSE);

  gtk_drop_down_set_selected (self->contact_kind_dropdown, kind == SD_SUPPORT_CONTACT_SUPPORTER ? 1 : 0);
  gtk_editable_set_text (GTK_EDITABLE (self->contact_name_entry), name != NULL ? name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_relation_entry), relation != NULL ? relation : "");
  gtk_editable_set_text (GTK_EDITABLE (self->contact_phone_entry), phone != NULL ? phone : "");
  add_contact_cb (self);
  return !gtk_widget_get_visible (GTK_WIDGET (self->contact_message_label));
}

gboolean
sd_support_person_dialog_remove_contact (SdSupportPersonDialog *self,
                                         guint                  index)
{
  GtkListBoxRow *row;
  GtkWidget *box, *button;

  g_return_val_if_fail (SD_IS_SUPPORT_PERSON_DIALOG (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->contacts_list, index);
  if (row == NULL)
    return FALSE;
  box = gtk_list_box_row_get_child (row);
  button = gtk_widget_get_last_child (box);
  /* A button's activation clicks it only after its press is shown. */
  g_signal_emit_by_name (button, "clicked");
  return !gtk_widget_get_visible (GTK_WIDGET (self->contact_message_label));
}

static void
show_person (SdSupportPersonDialog *self,
             json_t                *p)
{
  g_autoptr(GString) person = g_string_new (NULL);
  g_autoptr(GString) plan = g_string_new (NULL);
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
  fill_plan_form (self, pl);

  fill_contacts (self, list);

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
  g_autoptr(GtkStringList) plan_names = gtk_string_list_new (NULL);

  gtk_string_list_append (plan_names, _("No shelter chosen"));
  for (guint i = 0; shelters != NULL && i < g_list_model_get_n_items (shelters); i++)
    {
      g_autoptr(SdShelter) s = g_list_model_get_item (shelters, i);
      g_autofree char *name = g_strdup_printf ("%s %s", sd_shelter_get_code (s), sd_shelter_get_name (s));

      gtk_string_list_append (names, name);
      gtk_string_list_append (plan_names, name);
      g_ptr_array_add (self->shelter_codes, g_strdup (sd_shelter_get_code (s)));
    }
  gtk_drop_down_set_model (self->shelter_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_model (self->plan_shelter_dropdown, G_LIST_MODEL (plan_names));
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
  g_signal_emit_by_name (self->record_button, "clicked");
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
  g_clear_pointer (&self->assist_checks, g_ptr_array_unref);
  g_clear_pointer (&self->contact_ids, g_ptr_array_unref);
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
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contacts_list);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contact_message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_shelter_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_route_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_bring_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_assist_box);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, plan_note_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contact_kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contact_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contact_relation_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPersonDialog, contact_phone_entry);
  gtk_widget_class_bind_template_callback (widget_class, save_plan_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_contact_cb);
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
  self->assist_checks = g_ptr_array_new ();
  self->contact_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; sd_support_assist_codes ()[i] != NULL; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (sd_support_assist_label (sd_support_assist_codes ()[i]));

      gtk_flow_box_append (self->plan_assist_box, check);
      g_ptr_array_add (self->assist_checks, check);
    }
  {
    const char *kinds[] = { _("Emergency contact"), _("Supporter"), NULL };
    g_autoptr(GtkStringList) list = gtk_string_list_new (kinds);

    gtk_drop_down_set_model (self->contact_kind_dropdown, G_LIST_MODEL (list));
  }
  for (guint s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    labels[s] = sd_support_status_label (s);
  labels[SD_N_SUPPORT_STATUSES] = NULL;
  sd_choice_group_set_choices (self->status_choice, labels);
}

const char *
sd_support_person_dialog_get_person_id (SdSupportPersonDialog *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PERSON_DIALOG (self), NULL);
  return self->id;
}
