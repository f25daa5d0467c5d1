/* sd-duplicate-dialog.c: "is this the same person?" — the volunteer decides, never the software.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows who is being registered beside each record that may be the same
 * person (same name and birth date, or same kana, birth date and
 * address), with where that record stays now.  "Same person" then shows
 * the two records side by side, field by field, with what will be saved:
 * a field only one of them has is kept, and where both have a value and
 * they differ the volunteer picks which (what was typed, unless they
 * switch it off).  The person stays in their own household unless the
 * volunteer moves them on purpose.  Emits ::decided once: with a person
 * id ("same person", the choices from sd_duplicate_dialog_get_keep() and
 * _get_move_household() during the emission), with "" ("different
 * person"), or with NULL (cancelled: nothing is saved).
 */
#include "sd-duplicate-dialog.h"

#include <glib/gi18n.h>

struct _SdDuplicateDialog
{
  AdwWindow   parent_instance;

  /* Template Widgets */
  GtkStack       *stack;
  GtkLabel       *person_label;
  GtkListBox     *candidates_box;
  GtkLabel       *compare_label;
  GtkGrid        *compare_grid;
  GtkCheckButton *move_check;
  GtkButton      *merge_button;

  GListModel     *candidates;
  SdPerson       *chosen;
  GPtrArray      *typed;     /* char*: the typed value of each field (FIELDS), NULL for none */
  GPtrArray      *switches;  /* GtkSwitch* per field, NULL where there is nothing to choose */
  GPtrArray      *results;   /* GtkLabel* per field: what will be saved; NULL where neither has one */
  guint           keep;      /* SdMergeField */
  gboolean        decided;
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

/* ---- the two records side by side ---- */

static const char *
sex_text (SdSex sex)
{
  switch (sex)
    {
    case SD_SEX_MALE: return _("Male");
    case SD_SEX_FEMALE: return _("Female");
    case SD_SEX_NOT_APPLICABLE: return _("Other");
    case SD_SEX_UNKNOWN:
    default: return NULL;
    }
}

static const char *
care_text (SdCareLevel level)
{
  static const char *const texts[] = {
    NULL, N_("Support level 1"), N_("Support level 2"), N_("Care level 1"), N_("Care level 2"),
    N_("Care level 3"), N_("Care level 4"), N_("Care level 5"),
  };

  return level < G_N_ELEMENTS (texts) && texts[level] != NULL ? _(texts[level]) : NULL;
}

static char *
birth_text (const char *text)
{
  g_autofree char *iso = text != NULL ? sd_date_parse_iso (text, NULL, NULL) : NULL;

  return iso != NULL ? sd_date_format_era (iso) : g_strdup (text);
}

static const char *
yes_no (gboolean yes)
{
  return yes ? _("Yes") : NULL;
}

/* The fields compared, in the order shown. */
typedef enum {
  FIELD_NAME, FIELD_KANA, FIELD_BIRTH_DATE, FIELD_SEX, FIELD_ADDRESS, FIELD_PHONE, FIELD_ALLERGIES,
  FIELD_ILLNESS, FIELD_DISABILITY, FIELD_CARE_LEVEL, FIELD_MOBILITY, FIELD_LANGUAGE, FIELD_CONSENT,
  FIELD_PREGNANT, N_FIELDS
} Field;

/* CHOICE is the SdMergeField a volunteer may pick for, 0 where a merge
 * never takes a value away (consent and pregnancy once recorded stay). */
static const struct {
  const char *label;
  guint       choice;
} fields[N_FIELDS] = {
  [FIELD_NAME] = { NC_("person field", "Name"), SD_MERGE_NAME },
  [FIELD_KANA] = { NC_("person field", "Kana"), SD_MERGE_KANA },
  [FIELD_BIRTH_DATE] = { NC_("person field", "Birth date"), SD_MERGE_BIRTH_DATE },
  [FIELD_SEX] = { NC_("person field", "Sex"), SD_MERGE_SEX },
  [FIELD_ADDRESS] = { NC_("person field", "Address"), SD_MERGE_ADDRESS },
  [FIELD_PHONE] = { NC_("person field", "Phone"), SD_MERGE_PHONE },
  [FIELD_ALLERGIES] = { NC_("person field", "Allergies"), SD_MERGE_ALLERGIES },
  [FIELD_ILLNESS] = { NC_("person field", "Illness and medication"), SD_MERGE_ILLNESS },
  [FIELD_DISABILITY] = { NC_("person field", "Disability"), SD_MERGE_DISABILITY },
  [FIELD_CARE_LEVEL] = { NC_("person field", "Care level"), SD_MERGE_CARE_LEVEL },
  [FIELD_MOBILITY] = { NC_("person field", "Mobility aids"), SD_MERGE_MOBILITY },
  [FIELD_LANGUAGE] = { NC_("person field", "Language"), SD_MERGE_LANGUAGE },
  [FIELD_CONSENT] = { NC_("person field", "May be disclosed to enquirers"), 0 },
  [FIELD_PREGNANT] = { NC_("person field", "Pregnant"), 0 },
};

/* FIELD of a record as shown, tidied as the store keeps it; NULL for
 * none.  Both records are read through an SdPersonSpec. */
static char *
field_text (const SdPersonSpec *spec,
            Field               field)
{
  g_autofree char *text = NULL;

  switch (field)
    {
    case FIELD_NAME: text = g_strdup (spec->name); break;
    case FIELD_KANA: text = g_strdup (spec->kana); break;
    case FIELD_BIRTH_DATE: text = birth_text (spec->birth_date); break;
    case FIELD_SEX: text = g_strdup (sex_text (spec->sex)); break;
    case FIELD_ADDRESS: text = g_strdup (spec->address); break;
    case FIELD_PHONE: text = g_strdup (spec->phone); break;
    case FIELD_ALLERGIES: text = g_strdup (spec->allergies); break;
    case FIELD_ILLNESS: text = g_strdup (spec->illness); break;
    case FIELD_DISABILITY: text = g_strdup (spec->disability); break;
    case FIELD_CARE_LEVEL: text = g_strdup (care_text (spec->care_level)); break;
    case FIELD_MOBILITY: text = g_strdup (spec->mobility); break;
    case FIELD_LANGUAGE: text = g_strdup (spec->language); break;
    case FIELD_CONSENT: text = g_strdup (yes_no (spec->consent_disclose)); break;
    case FIELD_PREGNANT: text = g_strdup (yes_no (spec->pregnant)); break;
    case N_FIELDS:
    default: break;
    }
  /* Spaces and widths tidied, blank is none. */
  return sd_text_tidy (text);
}

/* The record already there, as a spec (its address and phone are its
 * household's where it has none of its own, as SdPerson gives them). */
static SdPersonSpec
spec_of_person (SdPerson *p)
{
  return (SdPersonSpec) {
    .name = sd_person_get_name (p), .kana = sd_person_get_kana (p), .birth_date = sd_person_get_birth_date (p),
    .sex = sd_person_get_sex (p), .address = sd_person_get_address (p), .phone = sd_person_get_phone (p),
    .consent_disclose = sd_person_get_consent_disclose (p), .allergies = sd_person_get_allergies (p),
    .illness = sd_person_get_illness (p), .pregnant = sd_person_get_pregnant (p),
    .disability = sd_person_get_disability (p), .care_level = sd_person_get_care_level (p),
    .mobility = sd_person_get_mobility (p), .language = sd_person_get_language (p),
  };
}

/* What the record already there has, as shown. */
static char *
existing_value (SdPerson *p,
                Field     field)
{
  SdPersonSpec spec = spec_of_person (p);

  return field_text (&spec, field);
}

/* What was typed, as shown; a member with no address or phone of their
 * own has the household's. */
static GPtrArray *
typed_values (const SdPersonSpec *spec,
              const char         *household_address,
              const char         *household_phone)
{
  GPtrArray *typed = g_ptr_array_new_with_free_func (g_free);
  SdPersonSpec shown = *spec;

  shown.address = spec->address ? spec->address : household_address;
  shown.phone = spec->phone ? spec->phone : household_phone;
  for (Field f = 0; f < N_FIELDS; f++)
    g_ptr_array_add (typed, field_text (&shown, f));
  return typed;
}

/* Whether two values shown are the same, spaces and width aside. */
static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *ta = sd_text_tidy (a);
  g_autofree char *tb = sd_text_tidy (b);

  return g_strcmp0 (ta, tb) == 0;
}

static GtkWidget *
cell (const char *text,
      gboolean    dim)
{
  GtkWidget *label = gtk_label_new (text != NULL ? text : "—");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (dim || text == NULL)
    gtk_widget_add_css_class (label, "dim-label");
  return label;
}

/* The result column of FIELD follows its switch. */
static void
update_result (SdDuplicateDialog *self,
               guint              field)
{
  GtkWidget *result = g_ptr_array_index (self->results, field);
  GtkSwitch *use_typed = g_ptr_array_index (self->switches, field);
  const char *typed = g_ptr_array_index (self->typed, field);
  g_autofree char *existing = existing_value (self->chosen, field);
  const char *shown;

  if (use_typed != NULL && !gtk_switch_get_active (use_typed))
    {
      self->keep |= fields[field].choice;
      shown = existing;
    }
  else
    {
      self->keep &= ~fields[field].choice;
      shown = typed != NULL ? typed : existing;
    }
  if (result != NULL)
    gtk_label_set_text (GTK_LABEL (result), shown != NULL ? shown : "—");
}

static void
switch_toggled_cb (GtkSwitch         *sw,
                   GParamSpec        *pspec,
                   SdDuplicateDialog *self)
{
  update_result (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (sw), "field")));
}

static void
show_comparison (SdDuplicateDialog *self,
                 SdPerson          *chosen)
{
  GtkWidget *child, *first_choice = NULL;
  int row = 1;
  g_autofree char *markup = NULL;

  g_set_object (&self->chosen, chosen);
  self->keep = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->compare_grid))) != NULL)
    gtk_grid_remove (self->compare_grid, child);
  g_ptr_array_set_size (self->switches, 0);
  g_ptr_array_set_size (self->results, 0);

  gtk_grid_attach (self->compare_grid, cell (NULL, TRUE), 0, 0, 1, 1);
  gtk_label_set_text (GTK_LABEL (gtk_grid_get_child_at (self->compare_grid, 0, 0)), "");
  gtk_grid_attach (self->compare_grid, cell (_("Registered before"), TRUE), 1, 0, 1, 1);
  gtk_grid_attach (self->compare_grid, cell (_("Typed now"), TRUE), 2, 0, 1, 1);
  gtk_grid_attach (self->compare_grid, cell (_("Will be saved"), TRUE), 3, 0, 1, 1);

  for (Field f = 0; f < N_FIELDS; f++)
    {
      g_autofree char *existing = existing_value (chosen, f);
      const char *typed = g_ptr_array_index (self->typed, f);
      GtkWidget *choice = NULL, *result;

      if (existing == NULL && typed == NULL)
        {
          /* Neither record has it: nothing to show or lose. */
          g_ptr_array_add (self->switches, NULL);
          g_ptr_array_add (self->results, NULL);
          continue;
        }
      gtk_grid_attach (self->compare_grid, cell (g_dpgettext2 (NULL, "person field", fields[f].label), FALSE), 0, row, 1, 1);
      gtk_grid_attach (self->compare_grid, cell (existing, FALSE), 1, row, 1, 1);
      gtk_grid_attach (self->compare_grid, cell (typed, FALSE), 2, row, 1, 1);
      result = cell ("", FALSE);
      gtk_widget_add_css_class (result, "heading");
      g_ptr_array_add (self->results, result);
      /* A choice only where both have a value and they differ: a value
       * one of them lacks is never lost.  The switch stands before what
       * will be saved: on, what was typed; off, what was registered. */
      if (fields[f].choice != 0 && existing != NULL && typed != NULL && !same_text (existing, typed))
        {
          g_autofree char *name = g_strdup_printf (_("Use what was typed for “%s”"),
                                                  g_dpgettext2 (NULL, "person field", fields[f].label));
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

          choice = gtk_switch_new ();
          gtk_switch_set_active (GTK_SWITCH (choice), TRUE);
          gtk_widget_set_valign (choice, GTK_ALIGN_CENTER);
          gtk_accessible_update_property (GTK_ACCESSIBLE (choice), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          g_object_set_data (G_OBJECT (choice), "field", GUINT_TO_POINTER (f));
          g_signal_connect (choice, "notify::active", G_CALLBACK (switch_toggled_cb), self);
          gtk_box_append (GTK_BOX (box), choice);
          gtk_box_append (GTK_BOX (box), result);
          gtk_grid_attach (self->compare_grid, box, 3, row++, 1, 1);
          if (first_choice == NULL)
            first_choice = choice;
        }
      else
        gtk_grid_attach (self->compare_grid, result, 3, row++, 1, 1);
      g_ptr_array_add (self->switches, choice);
      update_result (self, f);
    }

  markup = g_markup_printf_escaped (_("Saving <b>%s</b> as the person registered before. Check each line "
                                      "with them: nothing known is lost, and every earlier value stays in "
                                      "the record of changes."), sd_person_get_name (chosen));
  gtk_label_set_markup (self->compare_label, markup);
  gtk_check_button_set_active (self->move_check, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "compare");
  /* Focus on a choice, never on saving: Enter must not merge unread. */
  gtk_widget_grab_focus (first_choice != NULL ? first_choice : GTK_WIDGET (self->move_check));
}

static void
same_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdDuplicateDialog *self = SD_DUPLICATE_DIALOG (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (self->candidates); i++)
    {
      g_autoptr(SdPerson) candidate = g_list_model_get_item (self->candidates, i);

      if (g_strcmp0 (sd_person_get_id (candidate), id) == 0)
        {
          show_comparison (self, candidate);
          return;
        }
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdDuplicateDialog *self = SD_DUPLICATE_DIALOG (widget);

  gtk_stack_set_visible_child_name (self->stack, "candidates");
  gtk_widget_grab_focus (GTK_WIDGET (self->candidates_box));
}

static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdDuplicateDialog *self = SD_DUPLICATE_DIALOG (widget);

  if (self->chosen != NULL)
    decide (self, sd_person_get_id (self->chosen));
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

/* Row INDEX of N.  One candidate answers Alt+S; several are Alt+1…9,
 * since one Alt+S on five buttons would only cycle through them. */
static GtkWidget *
candidate_row (SdPerson *person,
               guint     index,
               guint     n)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_label_new (NULL);
  g_autofree char *numbered = n > 1 && index < 9 ? g_strdup_printf (_("Same person (_%u)"), index + 1)
                                                 : NULL;
  GtkWidget *button = n == 1 ? gtk_button_new_with_mnemonic (_("_Same person"))
                     : numbered ? gtk_button_new_with_mnemonic (numbered)
                                : gtk_button_new_with_label (_("Same person"));
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
  SdDuplicateDialog *self = SD_DUPLICATE_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), SD_TYPE_DUPLICATE_DIALOG);
  g_clear_object (&self->candidates);
  g_clear_object (&self->chosen);
  g_clear_pointer (&self->typed, g_ptr_array_unref);
  g_clear_pointer (&self->switches, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);

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
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, person_label);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, candidates_box);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, compare_label);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, compare_grid);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, move_check);
  gtk_widget_class_bind_template_child (widget_class, SdDuplicateDialog, merge_button);

  gtk_widget_class_install_action (widget_class, "dup.same", "s", same_action);
  gtk_widget_class_install_action (widget_class, "dup.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "dup.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "dup.different", NULL, different_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
sd_duplicate_dialog_init (SdDuplicateDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->switches = g_ptr_array_new ();
  self->results = g_ptr_array_new ();
}

SdDuplicateDialog *
sd_duplicate_dialog_new (GtkWindow          *parent,
                         const SdPersonSpec *person,
                         const char         *household_address,
                         const char         *household_phone,
                         GListModel         *candidates,
                         gboolean            capped)
{
  SdDuplicateDialog *self = g_object_new (SD_TYPE_DUPLICATE_DIALOG,
                                          "transient-for", parent,
                                          "modal", TRUE,
                                          NULL);
  g_autofree char *markup = NULL;
  g_autofree char *birth = birth_text (person->birth_date);

  self->candidates = g_object_ref (candidates);
  self->typed = typed_values (person, household_address, household_phone);
  /* The date as understood, not as typed ("S25.1.6"). */
  markup = g_markup_printf_escaped (_("Registering <b>%s</b> (%s). Someone already registered may be the "
                                      "same person. Ask them, then choose."),
                                    person->name ? person->name : "",
                                    birth ? birth : _("birth date unknown"));
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
      gtk_list_box_append (self->candidates_box,
                           candidate_row (candidate, i, g_list_model_get_n_items (candidates)));
    }
  return self;
}

/* The SdMergeField bits where the volunteer kept the value registered
 * before over a different one typed now. */
guint
sd_duplicate_dialog_get_keep (SdDuplicateDialog *self)
{
  g_return_val_if_fail (SD_IS_DUPLICATE_DIALOG (self), 0);
  return self->keep;
}

/* Whether the volunteer moved the person into the household being
 * registered (by default they stay in their own). */
gboolean
sd_duplicate_dialog_get_move_household (SdDuplicateDialog *self)
{
  g_return_val_if_fail (SD_IS_DUPLICATE_DIALOG (self), FALSE);
  return gtk_check_button_get_active (self->move_check);
}
