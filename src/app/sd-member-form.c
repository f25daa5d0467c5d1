/* sd-member-form.c: one member of a household on the intake form, with their needs.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The birth date is read as it is typed, in any form sd_date_parse_iso()
 * understands (1950-01-06, 19500106, 昭和25年1月6日, S25.1.6), and the
 * line under it says at once what was understood, in the era and with the
 * age, or why it is not a date: the volunteer sees a mistake before saving.
 *
 * sd_member_form_get_spec() hands out pointers into the form's own
 * widgets; they stay valid until the form changes or is destroyed.  The
 * form keeps which existing person it stands for after a "same person"
 * answer, and whether the volunteer already said "different person".
 */
#include "sd-member-form.h"
#include "sd-duplicate-dialog.h"

#include <glib/gi18n.h>
#include <string.h>

struct _SdMemberForm
{
  GtkWidget     parent_instance;

  /* Template Widgets */
  GtkWidget    *box;
  GtkLabel     *title_label;
  GtkLabel     *existing_label;
  GtkEditable  *name_entry;
  GtkEditable  *kana_entry;
  GtkEditable  *birth_entry;
  GtkLabel     *birth_label;
  GtkDropDown  *sex_dropdown;
  GtkEditable  *phone_entry;
  GtkCheckButton *consent_check;
  GtkExpander  *needs_expander;
  GtkEditable  *allergies_entry;
  GtkEditable  *illness_entry;
  GtkCheckButton *pregnant_check;
  GtkEditable  *disability_entry;
  GtkDropDown  *care_dropdown;
  GtkEditable  *mobility_entry;
  GtkDropDown  *language_dropdown;

  char         *existing_id;
  guint         merge_keep;      /* SdMergeField: kept from the existing record */
  gboolean      move_household;
  char         *birth_iso;      /* what the birth date field was understood as */
  gboolean      confirmed_new;
};

G_DEFINE_FINAL_TYPE (SdMemberForm, sd_member_form, GTK_TYPE_WIDGET)

enum {
  REMOVE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The dropdowns' rows, in order. */
static const SdSex sexes[] = { SD_SEX_UNKNOWN, SD_SEX_MALE, SD_SEX_FEMALE, SD_SEX_NOT_APPLICABLE };
static const char *const languages[] = {
  NULL, "en", "zh", "ko", "vi", "pt", "es", "tl", "ne", "id", "th", "my", NULL
};
static const guint n_languages = G_N_ELEMENTS (languages) - 1;

static void
birth_changed_cb (SdMemberForm *self)
{
  const char *text = gtk_editable_get_text (self->birth_entry);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                           g_date_time_get_month (now),
                                           g_date_time_get_year (now));
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->birth_iso, g_free);
  gtk_widget_remove_css_class (GTK_WIDGET (self->birth_label), "error");

  if (*text == '\0')
    {
      gtk_label_set_text (self->birth_label, _("e.g. 1950-01-06, 19500106 or 昭和25年1月6日"));
      return;
    }

  self->birth_iso = sd_date_parse_iso (text, today, &error);
  if (self->birth_iso == NULL)
    {
      gtk_label_set_text (self->birth_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->birth_label), "error");
      return;
    }

  {
    g_autofree char *era = sd_date_format_era (self->birth_iso);
    int age = sd_date_age_on (self->birth_iso, today);
    /* Translators: a birth date as understood, e.g. "1950-01-06 (昭和25年1月6日), 76 years" */
    g_autofree char *text_ok = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%s), %d year old",
                                                             "%s (%s), %d years old", age),
                                                self->birth_iso, era, age);
    gtk_label_set_text (self->birth_label, text_ok);
  }
}

static void
identity_changed_cb (SdMemberForm *self)
{
  /* A changed name or date is a new question for the duplicate check. */
  self->confirmed_new = FALSE;
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[REMOVE_REQUESTED], 0);
}

static void
sd_member_form_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_MEMBER_FORM);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (sd_member_form_parent_class)->dispose (object);
}

static void
sd_member_form_finalize (GObject *object)
{
  SdMemberForm *self = SD_MEMBER_FORM (object);

  g_free (self->existing_id);
  g_free (self->birth_iso);

  G_OBJECT_CLASS (sd_member_form_parent_class)->finalize (object);
}

static void
sd_member_form_class_init (SdMemberFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_member_form_dispose;
  object_class->finalize = sd_member_form_finalize;

  /**
   * SdMemberForm::remove-requested:
   *
   * The volunteer pressed "Remove this member".
   */
  signals[REMOVE_REQUESTED] = g_signal_new ("remove-requested", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-member-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, box);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, title_label);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, existing_label);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, name_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, kana_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, birth_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, birth_label);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, sex_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, consent_check);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, needs_expander);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, allergies_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, illness_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, pregnant_check);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, disability_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, care_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, mobility_entry);
  gtk_widget_class_bind_template_child (widget_class, SdMemberForm, language_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, birth_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, identity_changed_cb);

  gtk_widget_class_install_action (widget_class, "member.remove", NULL, remove_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_member_form_init (SdMemberForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  birth_changed_cb (self);
}

SdMemberForm *
sd_member_form_new (guint number)
{
  SdMemberForm *self = g_object_new (SD_TYPE_MEMBER_FORM, NULL);

  sd_member_form_set_number (self, number);
  return self;
}

void
sd_member_form_set_number (SdMemberForm *self,
                           guint         number)
{
  g_autofree char *title = NULL;

  g_return_if_fail (SD_IS_MEMBER_FORM (self));

  title = number == 1 ? g_strdup (_("Member 1 (representative)"))
                      : g_strdup_printf (_("Member %u"), number);
  gtk_label_set_text (self->title_label, title);
  /* The first member is the household: it cannot be removed. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "member.remove", number > 1);
}

static void
set_text (GtkEditable *editable,
          const char  *text)
{
  gtk_editable_set_text (editable, text ? text : "");
}

static guint
index_of_sex (SdSex sex)
{
  for (guint i = 0; i < G_N_ELEMENTS (sexes); i++)
    if (sexes[i] == sex)
      return i;
  return 0;
}

/**
 * sd_member_form_fill:
 *
 * Fills the form, as a card reader or a pre-registration code does; the
 * volunteer then checks it with the person.
 */
void
sd_member_form_fill (SdMemberForm       *self,
                     const SdPersonSpec *spec)
{
  g_return_if_fail (SD_IS_MEMBER_FORM (self));

  set_text (self->name_entry, spec->name);
  set_text (self->kana_entry, spec->kana);
  set_text (self->birth_entry, spec->birth_date);
  gtk_drop_down_set_selected (self->sex_dropdown, index_of_sex (spec->sex));
  set_text (self->phone_entry, spec->phone);
  gtk_check_button_set_active (self->consent_check, spec->consent_disclose);
  set_text (self->allergies_entry, spec->allergies);
  set_text (self->illness_entry, spec->illness);
  gtk_check_button_set_active (self->pregnant_check, spec->pregnant);
  set_text (self->disability_entry, spec->disability);
  gtk_drop_down_set_selected (self->care_dropdown, spec->care_level <= SD_CARE_5 ? spec->care_level : 0);
  set_text (self->mobility_entry, spec->mobility);
  gtk_drop_down_set_selected (self->language_dropdown, 0);
  for (guint i = 1; spec->language && i < n_languages; i++)
    if (g_strcmp0 (languages[i], spec->language) == 0)
      gtk_drop_down_set_selected (self->language_dropdown, i);
  gtk_expander_set_expanded (self->needs_expander,
                             spec->allergies || spec->illness || spec->pregnant || spec->disability ||
                             spec->care_level != SD_CARE_NONE || spec->mobility || spec->language);
}

static const char *
text_or_null (GtkEditable *editable)
{
  const char *text = gtk_editable_get_text (editable);
  return *text ? text : NULL;
}

void
sd_member_form_get_spec (SdMemberForm *self,
                         SdPersonSpec *spec)
{
  guint language;

  g_return_if_fail (SD_IS_MEMBER_FORM (self));

  memset (spec, 0, sizeof *spec);
  spec->name = text_or_null (self->name_entry);
  spec->kana = text_or_null (self->kana_entry);
  /* The text as typed: the core reads it again and says what is wrong. */
  spec->birth_date = text_or_null (self->birth_entry);
  spec->sex = sexes[MIN (gtk_drop_down_get_selected (self->sex_dropdown), G_N_ELEMENTS (sexes) - 1)];
  spec->phone = text_or_null (self->phone_entry);
  spec->consent_disclose = gtk_check_button_get_active (self->consent_check);
  spec->allergies = text_or_null (self->allergies_entry);
  spec->illness = text_or_null (self->illness_entry);
  spec->pregnant = gtk_check_button_get_active (self->pregnant_check);
  spec->disability = text_or_null (self->disability_entry);
  spec->care_level = MIN (gtk_drop_down_get_selected (self->care_dropdown), SD_CARE_5);
  spec->mobility = text_or_null (self->mobility_entry);
  language = gtk_drop_down_get_selected (self->language_dropdown);
  spec->language = language < n_languages ? languages[language] : NULL;
  spec->existing_id = self->existing_id;
  if (self->existing_id == NULL)
    return;
  /* "Same person": what the volunteer kept from the record already there
   * is left out, so the store keeps it (sd-duplicate-dialog.c). */
  spec->move_household = self->move_household;
  if (self->merge_keep & SD_MERGE_NAME)
    spec->name = NULL;
  if (self->merge_keep & SD_MERGE_KANA)
    spec->kana = NULL;
  if (self->merge_keep & SD_MERGE_BIRTH_DATE)
    spec->birth_date = NULL;
  if (self->merge_keep & SD_MERGE_SEX)
    spec->sex = SD_SEX_UNKNOWN;
  if (self->merge_keep & SD_MERGE_ADDRESS)
    spec->address = NULL;
  if (self->merge_keep & SD_MERGE_PHONE)
    spec->phone = NULL;
  if (self->merge_keep & SD_MERGE_ALLERGIES)
    spec->allergies = NULL;
  if (self->merge_keep & SD_MERGE_ILLNESS)
    spec->illness = NULL;
  if (self->merge_keep & SD_MERGE_DISABILITY)
    spec->disability = NULL;
  if (self->merge_keep & SD_MERGE_CARE_LEVEL)
    spec->care_level = SD_CARE_NONE;
  if (self->merge_keep & SD_MERGE_MOBILITY)
    spec->mobility = NULL;
  if (self->merge_keep & SD_MERGE_LANGUAGE)
    spec->language = NULL;
}

/* The choices made on "same person" for this member's existing record. */
void
sd_member_form_set_merge (SdMemberForm *self,
                          guint         keep,
                          gboolean      move_household)
{
  g_return_if_fail (SD_IS_MEMBER_FORM (self));

  self->merge_keep = keep;
  self->move_household = move_household;
}

guint
sd_member_form_get_merge_keep (SdMemberForm *self)
{
  g_return_val_if_fail (SD_IS_MEMBER_FORM (self), 0);
  return self->merge_keep;
}

const char *
sd_member_form_get_existing_id (SdMemberForm *self)
{
  g_return_val_if_fail (SD_IS_MEMBER_FORM (self), NULL);
  return self->existing_id;
}

void
sd_member_form_set_existing_id (SdMemberForm *self,
                                const char   *person_id)
{
  g_return_if_fail (SD_IS_MEMBER_FORM (self));

  g_free (self->existing_id);
  self->existing_id = g_strdup (person_id);
  self->merge_keep = 0;
  self->move_household = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->existing_label), person_id != NULL);
}

gboolean
sd_member_form_get_confirmed_new (SdMemberForm *self)
{
  g_return_val_if_fail (SD_IS_MEMBER_FORM (self), FALSE);
  return self->confirmed_new;
}

void
sd_member_form_set_confirmed_new (SdMemberForm *self,
                                  gboolean      confirmed)
{
  g_return_if_fail (SD_IS_MEMBER_FORM (self));
  self->confirmed_new = confirmed;
}

void
sd_member_form_focus (SdMemberForm *self)
{
  g_return_if_fail (SD_IS_MEMBER_FORM (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* Puts the focus on the field that keeps this member from being saved
 * (no name; a birth date that is not one), as the line under it says.
 * Returns: whether there was one. */
gboolean
sd_member_form_focus_problem (SdMemberForm *self)
{
  const char *birth;
  g_autofree char *name = NULL;

  g_return_val_if_fail (SD_IS_MEMBER_FORM (self), FALSE);

  birth = gtk_editable_get_text (self->birth_entry);
  name = g_strstrip (g_strdup (gtk_editable_get_text (self->name_entry)));
  if (*birth != '\0' && self->birth_iso == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->birth_entry));
      return TRUE;
    }
  if (*name == '\0' && self->existing_id == NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return TRUE;
    }
  return FALSE;
}
