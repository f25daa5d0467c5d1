/* sd-safety-form.c: the staff safety answer form: Ome city's fields on one screen, a dozen keys at most.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Five questions of big buttons (SdChoiceGroup), a note when "elsewhere",
 * a message and one button.  By keyboard, after signing in: Ctrl+N to
 * the desk, one digit per question (the focus moves on by itself), Enter
 * in the message: seven keys for someone who can come.  Someone who
 * cannot report skips the way and the time: those questions are shut.
 *
 * A lead or HQ can also record an answer for someone who phoned: their
 * staff number fills in their department, section, rank and name for the
 * caller to confirm, and the answer is stored as taken by phone, by the
 * person signed in.  The form never decides what is valid: the core does
 * (sd_store_record_safety_answer), and its message is shown as it is.
 */
#include "sd-safety-form.h"
#include "sd-choice-group.h"

#include <glib/gi18n.h>

struct _SdSafetyForm
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkScrolledWindow *scroller;
  GtkLabel        *who_label;
  GtkToggleButton *proxy_button;
  GtkRevealer     *proxy_revealer;
  GtkEntry        *proxy_entry;
  GtkLabel        *proxy_label;
  SdChoiceGroup   *safety_group;
  SdChoiceGroup   *where_group;
  GtkEntry        *where_entry;
  SdChoiceGroup   *report_group;
  SdChoiceGroup   *means_group;
  SdChoiceGroup   *arrival_group;
  GtkEntry        *message_entry;
  GtkLabel        *status_label;
  GtkButton       *send_button;

  /* Owned References */
  SdStore         *store;
  SdStaff         *staff;       /* signed in */
  SdStaff         *caller;      /* who phoned, found by number */
  SdRollcall      *rollcall;
};

G_DEFINE_FINAL_TYPE (SdSafetyForm, sd_safety_form, GTK_TYPE_WIDGET)

/* 参集可否: the first button is "yes". */
enum { REPORT_YES, REPORT_NO };

static gboolean
may_answer_for_others (SdSafetyForm *self)
{
  return self->staff != NULL && sd_staff_get_role (self->staff) != SD_ROLE_VOLUNTEER;
}

static gboolean
proxy_mode (SdSafetyForm *self)
{
  return may_answer_for_others (self) && gtk_toggle_button_get_active (self->proxy_button);
}

static void
set_status (SdSafetyForm *self,
            const char   *text,
            const char   *style)
{
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "success");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style);
}

/* Department, section, rank and name, for the person to confirm. */
static char *
describe (SdStaff *staff)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *parts[] = { sd_staff_get_department (staff), sd_staff_get_section (staff),
                          sd_staff_get_rank (staff), sd_staff_get_name (staff) };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_string_append_printf (text, "%s%s", text->len > 0 ? "  " : "", parts[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
update_sensitivity (SdSafetyForm *self)
{
  gboolean open = self->rollcall != NULL && sd_rollcall_get_is_open (self->rollcall) && self->staff != NULL;
  gboolean can_report = sd_choice_group_get_selected (self->report_group) == REPORT_YES;
  gboolean someone = !proxy_mode (self) || self->caller != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->safety_group), open && someone);
  gtk_widget_set_sensitive (GTK_WIDGET (self->where_group), open && someone);
  gtk_widget_set_sensitive (GTK_WIDGET (self->where_entry), open && someone);
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_group), open && someone);
  gtk_widget_set_sensitive (GTK_WIDGET (self->means_group), open && someone && can_report);
  gtk_widget_set_sensitive (GTK_WIDGET (self->arrival_group), open && someone && can_report);
  gtk_widget_set_sensitive (GTK_WIDGET (self->message_entry), open && someone);
  gtk_widget_set_sensitive (GTK_WIDGET (self->send_button), open && someone);
  gtk_widget_set_visible (GTK_WIDGET (self->where_entry),
                          sd_choice_group_get_selected (self->where_group) == SD_WHERE_OTHER);
}

static void
update_who (SdSafetyForm *self)
{
  g_autofree char *who = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->proxy_button), may_answer_for_others (self));
  gtk_revealer_set_reveal_child (self->proxy_revealer, proxy_mode (self));
  if (self->staff == NULL)
    gtk_label_set_text (self->who_label, "");
  else if (proxy_mode (self))
    gtk_label_set_text (self->who_label, _("An answer taken by phone, recorded in your name."));
  else
    {
      g_autofree char *me = describe (self->staff);

      who = g_strdup_printf (_("Your answer: %s"), me);
      gtk_label_set_text (self->who_label, who);
    }
  update_sensitivity (self);
}

static void
proxy_toggled_cb (SdSafetyForm *self)
{
  g_clear_object (&self->caller);
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_entry), "");
  gtk_label_set_text (self->proxy_label, "");
  set_status (self, NULL, NULL);
  update_who (self);
  if (proxy_mode (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->proxy_entry));
}

/* Looks up who phoned as their number is typed. */
static void
proxy_changed_cb (SdSafetyForm *self)
{
  const char *number = gtk_editable_get_text (GTK_EDITABLE (self->proxy_entry));

  g_clear_object (&self->caller);
  if (self->store != NULL && *number != '\0')
    self->caller = sd_store_find_staff (self->store, number, NULL);
  if (self->caller != NULL)
    {
      g_autofree char *who = describe (self->caller);

      gtk_label_set_text (self->proxy_label, who);
    }
  else
    gtk_label_set_text (self->proxy_label, *number != '\0' ? _("No staff member has this number.") : "");
  update_sensitivity (self);
}

static void
proxy_activate_cb (SdSafetyForm *self)
{
  if (self->caller != NULL)
    gtk_widget_grab_focus (sd_choice_group_get_button (self->safety_group, 0));
}

static void
choice_changed_cb (SdSafetyForm *self)
{
  /* Someone who cannot come has no way or time to come. */
  if (sd_choice_group_get_selected (self->report_group) != REPORT_YES)
    {
      sd_choice_group_set_selected (self->means_group, -1);
      sd_choice_group_set_selected (self->arrival_group, -1);
    }
  update_sensitivity (self);
}

static void
clear_choices (SdSafetyForm *self)
{
  sd_choice_group_set_selected (self->safety_group, -1);
  sd_choice_group_set_selected (self->where_group, -1);
  sd_choice_group_set_selected (self->report_group, -1);
  sd_choice_group_set_selected (self->means_group, -1);
  sd_choice_group_set_selected (self->arrival_group, -1);
  gtk_editable_set_text (GTK_EDITABLE (self->where_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->message_entry), "");
}

/* A question not answered, said before the core would: which one. */
static const char *
first_unanswered (SdSafetyForm *self,
                  GtkWidget   **out_widget)
{
  struct { SdChoiceGroup *group; const char *message; } questions[] = {
    { self->safety_group, N_("Choose whether you are unhurt, slightly hurt or seriously hurt.") },
    { self->where_group, N_("Choose where you are now: at home, at the workplace or elsewhere.") },
    { self->report_group, N_("Choose whether you can report for duty.") },
    { self->means_group, N_("Choose how you would come: on foot, by bicycle, car, bus, train or other means.") },
    { self->arrival_group, N_("Choose how long it would take you to come.") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    if (gtk_widget_get_sensitive (GTK_WIDGET (questions[i].group)) &&
        sd_choice_group_get_selected (questions[i].group) < 0)
      {
        *out_widget = sd_choice_group_get_button (questions[i].group, 0);
        return _(questions[i].message);
      }
  return NULL;
}

static void
send_cb (SdSafetyForm *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *done = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M");
  SdStaff *who = proxy_mode (self) ? self->caller : self->staff;
  GtkWidget *missing = NULL;
  const char *unanswered;
  int report = sd_choice_group_get_selected (self->report_group);
  SdSafetyAnswerSpec spec = { 0 };

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->send_button)) || who == NULL || self->rollcall == NULL)
    return;
  if ((unanswered = first_unanswered (self, &missing)) != NULL)
    {
      set_status (self, unanswered, "error");
      gtk_widget_grab_focus (missing);
      return;
    }
  spec.staff_no = sd_staff_get_staff_no (who);
  spec.safety = sd_choice_group_get_selected (self->safety_group);
  spec.where = sd_choice_group_get_selected (self->where_group);
  spec.where_note = gtk_editable_get_text (GTK_EDITABLE (self->where_entry));
  spec.can_report = report == REPORT_YES;
  if (spec.can_report)
    {
      /* The buttons are the codes after "none". */
      spec.means = sd_choice_group_get_selected (self->means_group) + 1;
      spec.arrival = sd_choice_group_get_selected (self->arrival_group) + 1;
    }
  spec.message = gtk_editable_get_text (GTK_EDITABLE (self->message_entry));
  spec.via = proxy_mode (self) ? SD_ANSWER_VIA_PHONE : SD_ANSWER_VIA_KIOSK;
  spec.recorded_by = proxy_mode (self) ? sd_staff_get_id (self->staff) : NULL;

  id = sd_store_record_safety_answer (self->store, sd_rollcall_get_id (self->rollcall), &spec, &error);
  if (id == NULL)
    {
      set_status (self, error->message, "error");
      return;
    }
  if (proxy_mode (self))
    {
      /* Ready for the next call. */
      done = g_strdup_printf (_("Recorded %s’s answer at %s."), sd_staff_get_name (who), time);
      clear_choices (self);
      gtk_editable_set_text (GTK_EDITABLE (self->proxy_entry), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->proxy_entry));
    }
  else
    done = g_strdup_printf (_("Your answer was recorded at %s. If anything changes, send a new one: "
                              "the newest answer counts."), time);
  set_status (self, done, "success");
}

static void
fill_choices (SdSafetyForm *self)
{
  const char *safety[SD_N_SAFETY + 1] = { NULL };
  const char *where[SD_N_WHERE + 1] = { NULL };
  const char *means[SD_N_MEANS] = { NULL };
  const char *arrival[SD_N_ARRIVAL] = { NULL };
  const char *report[] = { _("Yes, I can come"), _("No, I cannot"), NULL };

  for (guint i = 0; i < SD_N_SAFETY; i++)
    safety[i] = sd_safety_label (i);
  for (guint i = 0; i < SD_N_WHERE; i++)
    where[i] = sd_where_label (i);
  for (guint i = SD_MEANS_WALK; i < SD_N_MEANS; i++)
    means[i - 1] = sd_means_label (i);
  for (guint i = SD_ARRIVAL_WITHIN_30M; i < SD_N_ARRIVAL; i++)
    arrival[i - 1] = sd_arrival_label (i);
  sd_choice_group_set_choices (self->safety_group, safety);
  sd_choice_group_set_choices (self->where_group, where);
  sd_choice_group_set_choices (self->report_group, report);
  sd_choice_group_set_choices (self->means_group, means);
  sd_choice_group_set_choices (self->arrival_group, arrival);
}

void
sd_safety_form_set_store (SdSafetyForm *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_SAFETY_FORM (self));

  g_set_object (&self->store, store);
}

void
sd_safety_form_set_staff (SdSafetyForm *self,
                          SdStaff      *staff)
{
  g_return_if_fail (SD_IS_SAFETY_FORM (self));

  if (g_set_object (&self->staff, staff))
    sd_safety_form_reset (self);
}

void
sd_safety_form_set_rollcall (SdSafetyForm *self,
                             SdRollcall   *rollcall)
{
  g_return_if_fail (SD_IS_SAFETY_FORM (self));

  if (self->rollcall != NULL && rollcall != NULL &&
      g_strcmp0 (sd_rollcall_get_id (self->rollcall), sd_rollcall_get_id (rollcall)) != 0)
    {
      clear_choices (self);
      set_status (self, NULL, NULL);
    }
  g_set_object (&self->rollcall, rollcall);
  if (rollcall == NULL)
    set_status (self, _("No roll-call is open, so there is nothing to answer. HQ opens one when something happens."),
                NULL);
  else if (!sd_rollcall_get_is_open (rollcall))
    set_status (self, _("This roll-call is closed: it takes no more answers."), NULL);
  update_sensitivity (self);
}

void
sd_safety_form_reset (SdSafetyForm *self)
{
  g_return_if_fail (SD_IS_SAFETY_FORM (self));

  clear_choices (self);
  gtk_toggle_button_set_active (self->proxy_button, FALSE);
  g_clear_object (&self->caller);
  gtk_editable_set_text (GTK_EDITABLE (self->proxy_entry), "");
  set_status (self, NULL, NULL);
  update_who (self);
  sd_safety_form_set_rollcall (self, self->rollcall);
}

void
sd_safety_form_focus (SdSafetyForm *self)
{
  g_return_if_fail (SD_IS_SAFETY_FORM (self));

  if (gtk_widget_get_sensitive (GTK_WIDGET (self->safety_group)))
    gtk_widget_grab_focus (sd_choice_group_get_button (self->safety_group, 0));
}

const char *
sd_safety_form_get_status (SdSafetyForm *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_FORM (self), NULL);
  return gtk_label_get_text (self->status_label);
}

static void
sd_safety_form_dispose (GObject *object)
{
  SdSafetyForm *self = SD_SAFETY_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SAFETY_FORM);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->staff);
  g_clear_object (&self->caller);
  g_clear_object (&self->rollcall);
  G_OBJECT_CLASS (sd_safety_form_parent_class)->dispose (object);
}

static void
sd_safety_form_class_init (SdSafetyFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_safety_form_dispose;

  g_type_ensure (SD_TYPE_CHOICE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-safety-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, scroller);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, who_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, proxy_button);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, proxy_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, proxy_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, proxy_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, safety_group);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, where_group);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, where_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, report_group);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, means_group);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, arrival_group);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, message_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyForm, send_button);
  gtk_widget_class_bind_template_callback (widget_class, proxy_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, proxy_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, proxy_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, send_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_safety_form_init (SdSafetyForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_choices (self);
  update_who (self);
  sd_safety_form_set_rollcall (self, NULL);
}
