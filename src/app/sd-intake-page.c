/* sd-intake-page.c: registering a household and its members (受付).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Household first (where they stay, address, phone, house damage, pets),
 * then one form per member.  intake.save checks every new member for
 * possible duplicates and asks the volunteer about each, one dialog at a
 * time; only when every question is answered is the household written,
 * in one transaction with its check-in, so a failure leaves nothing
 * half-saved and the form keeps everything typed for a second try.
 *
 * Keyboard: the fields are in reading order; Ctrl+S saves, Ctrl+M adds
 * a member.
 */
#include "sd-application.h"
#include "sd-card-dialog.h"
#include "sd-duplicate-dialog.h"
#include "sd-exercise-live.h"
#include "sd-intake-page.h"
#include "sd-toast.h"
#include "sd-qr-dialog.h"
#include "sd-shelter-picker.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SdIntakePage
{
  GtkWidget        parent_instance;

  /* Template Widgets */
  SdShelterPicker *shelter_picker;
  GtkCheckButton  *checkin_check;
  GtkToggleButton *stay_shelter;
  GtkToggleButton *stay_home;
  GtkToggleButton *stay_vehicle;
  GtkToggleButton *stay_relatives;
  GtkRevealer     *plate_revealer;
  GtkEditable     *plate_entry;
  GtkEditable     *address_entry;
  GtkEditable     *phone_entry;
  GtkDropDown     *damage_dropdown;
  GtkEditable     *pets_entry;
  GtkSpinButton   *pets_spin;
  GtkBox          *members_box;
  GtkLabel        *message_label;
  GtkScrolledWindow *scroller;

  /* Owned References */
  SdStore         *store;
  SdStaff         *staff;
  char            *message;
  char            *last_household_id;
  GPtrArray       *merge_undo;  /* SdPerson as they were before the last "same person" save */
};

G_DEFINE_FINAL_TYPE (SdIntakePage, sd_intake_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void save_continue (SdIntakePage *self);

static void
open_cards (SdIntakePage      *self,
            const char *const *person_ids)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SdQrDialog *dialog = sd_qr_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, person_ids);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Scrolls the form so that WIDGET is in view. */
static void
scroll_into_view (SdIntakePage *self,
                  GtkWidget    *widget)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  GtkWidget *content = gtk_scrolled_window_get_child (self->scroller);
  graphene_point_t at;

  if (content == NULL ||
      !gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &at))
    return;
  gtk_adjustment_clamp_page (adjustment, at.y, at.y + gtk_widget_get_height (widget) + 24);
}

static void
set_message (SdIntakePage *self,
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
  /* The line is under the form, often below the fold: the same words
   * where the eye is, and an error's line scrolled into view. */
  if (message != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      sd_toast_show (GTK_WIDGET (self), message, is_error);
      if (is_error)
        scroll_into_view (self, GTK_WIDGET (self->message_label));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static SdStay
current_stay (SdIntakePage *self)
{
  if (gtk_toggle_button_get_active (self->stay_home))
    return SD_STAY_HOME;
  if (gtk_toggle_button_get_active (self->stay_vehicle))
    return SD_STAY_VEHICLE;
  if (gtk_toggle_button_get_active (self->stay_relatives))
    return SD_STAY_RELATIVES;
  return SD_STAY_SHELTER;
}

static void
stay_toggled_cb (SdIntakePage *self)
{
  SdStay stay = current_stay (self);

  gtk_revealer_set_reveal_child (self->plate_revealer, stay == SD_STAY_VEHICLE);
  /* Those who stay elsewhere are registered, not checked in. */
  gtk_check_button_set_active (self->checkin_check, stay == SD_STAY_SHELTER);
}

static void
stay_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdIntakePage *self = SD_INTAKE_PAGE (widget);
  SdStay stay = SD_STAY_SHELTER;

  sd_stay_from_string (g_variant_get_string (parameter, NULL), &stay);
  gtk_toggle_button_set_active (stay == SD_STAY_HOME ? self->stay_home
                                : stay == SD_STAY_VEHICLE ? self->stay_vehicle
                                : stay == SD_STAY_RELATIVES ? self->stay_relatives
                                : self->stay_shelter, TRUE);
}

/* ---- members ---- */

static void
renumber (SdIntakePage *self)
{
  guint n = 1;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    sd_member_form_set_number (SD_MEMBER_FORM (child), n++);
}

static void
remove_member_cb (SdIntakePage *self,
                  SdMemberForm *form)
{
  gtk_box_remove (self->members_box, GTK_WIDGET (form));
  renumber (self);
}

static SdMemberForm *
add_member (SdIntakePage *self)
{
  SdMemberForm *form = sd_member_form_new (sd_intake_page_get_n_members (self) + 1);

  g_signal_connect_object (form, "remove-requested", G_CALLBACK (remove_member_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->members_box, GTK_WIDGET (form));
  return form;
}

static void
add_member_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdMemberForm *form = add_member (SD_INTAKE_PAGE (widget));

  sd_member_form_focus (form);
}

/* ---- reading a My Number card ---- */

/* The first member nobody has typed a name for, or a new one. */
static SdMemberForm *
empty_member (SdIntakePage *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SdPersonSpec spec = { 0 };

      sd_member_form_get_spec (SD_MEMBER_FORM (child), &spec);
      if (spec.name == NULL || *spec.name == '\0')
        return SD_MEMBER_FORM (child);
    }
  return add_member (self);
}

static void
facts_read_cb (SdIntakePage *self,
               SdCardFacts  *facts)
{
  SdMemberForm *form = empty_member (self);
  SdPersonSpec spec = { 0 };

  /* The 4 facts, for the person to check; what is typed already stays. */
  sd_member_form_get_spec (form, &spec);
  spec.name = facts->name;
  spec.birth_date = facts->birth_date;
  spec.sex = facts->sex;
  spec.address = facts->address;
  sd_member_form_fill (form, &spec);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->address_entry)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->address_entry), facts->address);
  gtk_label_set_text (self->message_label,
                      _("Read from the card. Check the details with the person, add kana and needs, then save."));
  sd_member_form_focus (form);
}

static void
read_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdIntakePage *self = SD_INTAKE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GApplication *app = g_application_get_default ();
  GSettings *settings = SD_IS_APPLICATION (app) ? sd_application_get_settings (SD_APPLICATION (app)) : NULL;
  g_autofree char *spec = settings ? g_settings_get_string (settings, "card-reader") : g_strdup ("pcsc");
  const char *demo_card = g_getenv ("SD_DEMO_CARD");
  SdCardDialog *dialog;

  /* A scenario's "reader fails" at this shelter: the reader does not
   * answer, as a real one would not, and the volunteer goes on by hand. */
  if (self->store != NULL && sd_store_get_is_exercise (self->store))
    {
      g_autoptr(SdShelter) shelter = sd_shelter_picker_get_shelter (self->shelter_picker);

      if (sd_exercise_fault_now (self->store, "reader", shelter != NULL ? sd_shelter_get_code (shelter) : NULL))
        {
          set_message (self, _("The card reader does not answer (exercise). Register this household by hand, "
                               "or scan their QR code."), TRUE);
          return;
        }
    }
  /* The sample card is offered on the demo database only. */
  if (self->store == NULL || !sd_store_get_is_demo (self->store) ||
      demo_card == NULL || !g_file_test (demo_card, G_FILE_TEST_IS_EXECUTABLE))
    demo_card = NULL;
  dialog = sd_card_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, spec, demo_card);
  g_signal_connect_object (dialog, "facts-read", G_CALLBACK (facts_read_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- a pre-registration code ---- */

static gboolean form_has_input (SdIntakePage *self);

/* A fresh form filled with H and its N MEMBERS. */
static void
fill_form (SdIntakePage          *self,
           const SdHouseholdSpec *h,
           const SdPersonSpec    *members,
           guint                  n)
{
  GtkToggleButton *stays[] = { self->stay_shelter, self->stay_home, self->stay_vehicle, self->stay_relatives };
  GtkWidget *child;

  sd_intake_page_reset (self);
  gtk_toggle_button_set_active (stays[MIN (h->stay, SD_STAY_RELATIVES)], TRUE);
  gtk_editable_set_text (self->plate_entry, h->vehicle_plate ? h->vehicle_plate : "");
  gtk_editable_set_text (self->address_entry, h->address ? h->address : "");
  gtk_editable_set_text (self->phone_entry, h->phone ? h->phone : "");
  gtk_drop_down_set_selected (self->damage_dropdown, h->house_damage);
  gtk_editable_set_text (self->pets_entry, h->pets ? h->pets : "");
  gtk_spin_button_set_value (self->pets_spin, h->pets_count);

  child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
  for (guint i = 0; i < n; i++)
    {
      SdMemberForm *form = child ? SD_MEMBER_FORM (child) : add_member (self);

      sd_member_form_fill (form, &members[i]);
      child = gtk_widget_get_next_sibling (GTK_WIDGET (form));
    }
  sd_member_form_focus (SD_MEMBER_FORM (gtk_widget_get_first_child (GTK_WIDGET (self->members_box))));
}

void
sd_intake_page_fill_prereg (SdIntakePage *self,
                            SdPrereg     *prereg)
{
  const SdPersonSpec *members;
  guint n;

  g_return_if_fail (SD_IS_INTAKE_PAGE (self));
  g_return_if_fail (prereg != NULL);

  /* A fresh form: what the household wrote, for the volunteer to check with them. */
  members = sd_prereg_get_members (prereg, &n);
  fill_form (self, sd_prereg_get_household (prereg), members, n);
  set_message (self, _("Filled from the household’s pre-registration code. Check every detail with them, "
                       "then save."), FALSE);
}

/* ---- a half-typed household kept over a sign-out ---- */

struct _SdIntakeDraft
{
  SdHouseholdSpec household;
  GArray         *members;  /* SdPersonSpec */
  GPtrArray      *strings;  /* what the specs point into */
};

void
sd_intake_draft_free (SdIntakeDraft *draft)
{
  g_array_unref (draft->members);
  g_ptr_array_unref (draft->strings);
  g_free (draft);
}

static const char *
keep (SdIntakeDraft *draft,
      const char    *text)
{
  char *copy = g_strdup (text);

  if (copy != NULL)
    g_ptr_array_add (draft->strings, copy);
  return copy;
}

/**
 * sd_intake_page_take_draft:
 *
 * What is typed on the form now, to give back to the same volunteer
 * (sd_intake_page_restore_draft) after a sign-out or an idle sign-out;
 * %NULL when nothing is typed.  The form is not cleared.
 */
SdIntakeDraft *
sd_intake_page_take_draft (SdIntakePage *self)
{
  SdIntakeDraft *draft;

  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), NULL);

  if (!form_has_input (self))
    return NULL;
  draft = g_new0 (SdIntakeDraft, 1);
  draft->members = g_array_new (FALSE, TRUE, sizeof (SdPersonSpec));
  draft->strings = g_ptr_array_new_with_free_func (g_free);
  draft->household.stay = current_stay (self);
  draft->household.vehicle_plate = keep (draft, gtk_editable_get_text (self->plate_entry));
  draft->household.address = keep (draft, gtk_editable_get_text (self->address_entry));
  draft->household.phone = keep (draft, gtk_editable_get_text (self->phone_entry));
  draft->household.house_damage = gtk_drop_down_get_selected (self->damage_dropdown);
  draft->household.pets = keep (draft, gtk_editable_get_text (self->pets_entry));
  draft->household.pets_count = (guint) gtk_spin_button_get_value_as_int (self->pets_spin);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SdPersonSpec spec;

      sd_member_form_get_spec (SD_MEMBER_FORM (child), &spec);
      spec.name = keep (draft, spec.name);
      spec.kana = keep (draft, spec.kana);
      spec.birth_date = keep (draft, spec.birth_date);
      spec.address = keep (draft, spec.address);
      spec.phone = keep (draft, spec.phone);
      spec.allergies = keep (draft, spec.allergies);
      spec.illness = keep (draft, spec.illness);
      spec.disability = keep (draft, spec.disability);
      spec.mobility = keep (draft, spec.mobility);
      spec.language = keep (draft, spec.language);
      /* A "same person" answer is asked again: the record may have changed. */
      spec.existing_id = NULL;
      spec.move_household = FALSE;
      g_array_append_val (draft->members, spec);
    }
  return draft;
}

void
sd_intake_page_restore_draft (SdIntakePage        *self,
                              const SdIntakeDraft *draft)
{
  g_return_if_fail (SD_IS_INTAKE_PAGE (self));
  g_return_if_fail (draft != NULL);

  fill_form (self, &draft->household, (const SdPersonSpec *) draft->members->data, draft->members->len);
  set_message (self, _("The household you were typing before signing out is back. Check it, then save."),
               FALSE);
}

/* ---- saving ---- */

static void
duplicate_decided_cb (SdIntakePage *self,
                      const char   *answer,
                      SdDuplicateDialog *dialog)
{
  SdMemberForm *form = g_object_get_data (G_OBJECT (dialog), "member-form");

  if (answer == NULL)
    {
      set_message (self, _("Not saved: the duplicate question was cancelled. Nothing was lost; save again when ready."), TRUE);
      return;
    }
  if (*answer == '\0')
    sd_member_form_set_confirmed_new (form, TRUE);
  else
    {
      sd_member_form_set_existing_id (form, answer);
      sd_member_form_set_merge (form, sd_duplicate_dialog_get_keep (dialog),
                                sd_duplicate_dialog_get_move_household (dialog));
    }
  save_continue (self);
}

/* The first member not yet asked about, who may be someone registered. */
static gboolean
ask_about_duplicates (SdIntakePage *self)
{
  const char *address = gtk_editable_get_text (self->address_entry);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SdMemberForm *form = SD_MEMBER_FORM (child);
      g_autoptr(GListModel) candidates = NULL;
      SdDuplicateDialog *dialog;
      SdPersonSpec spec;
      gboolean capped = FALSE;

      if (sd_member_form_get_existing_id (form) != NULL || sd_member_form_get_confirmed_new (form))
        continue;
      sd_member_form_get_spec (form, &spec);
      candidates = sd_store_find_duplicates (self->store, &spec, address, &capped, NULL);
      /* Too many namesakes born that day to compare them all: a person
       * must look, even if none of those compared was the same. */
      if (candidates == NULL || (g_list_model_get_n_items (candidates) == 0 && !capped))
        {
          sd_member_form_set_confirmed_new (form, TRUE);
          continue;
        }

      dialog = sd_duplicate_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), &spec, address,
                                        gtk_editable_get_text (self->phone_entry), candidates, capped);
      g_object_set_data (G_OBJECT (dialog), "member-form", form);
      g_signal_connect_object (dialog, "decided", G_CALLBACK (duplicate_decided_cb), self, G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  return FALSE;
}

/* ---- undoing "same person" ---- */

static void
merge_undo_clicked_cb (SdIntakePage *self)
{
  g_autoptr(GPtrArray) undo = g_steal_pointer (&self->merge_undo);

  if (undo == NULL || self->store == NULL)
    return;  /* signed out since, or undone already */
  for (guint i = 0; i < undo->len; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!sd_store_restore_person (self->store, g_ptr_array_index (undo, i), &error))
        {
          set_message (self, error->message, TRUE);
          return;
        }
    }
  set_message (self, g_dngettext (GETTEXT_PACKAGE, "The person registered before is back as they were.",
                                  "The people registered before are back as they were.", undo->len),
               FALSE);
  g_signal_emit (self, signals[SAVED], 0, self->last_household_id);
}

/* After a save that merged someone into a record made before, one
 * button puts every merged record back as it was: all its fields and
 * its household, in one change each, the merge kept in the history. */
static void
offer_merge_undo (SdIntakePage *self,
                  GPtrArray    *before)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  g_clear_pointer (&self->merge_undo, g_ptr_array_unref);
  if (overlay == NULL || before->len == 0)
    return;
  self->merge_undo = g_ptr_array_ref (before);
  toast = adw_toast_new (_("Saved into the record registered before."));
  /* Long enough to close the card window first. */
  adw_toast_set_timeout (toast, 30);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Undo"));
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (merge_undo_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
save_continue (SdIntakePage *self)
{
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (SdPersonSpec));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *household_id = NULL;
  g_autofree char *pets = NULL;
  SdHouseholdSpec household = { 0 };
  guint joining = 0;  /* members of the household being registered */
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func (g_object_unref);

  if (ask_about_duplicates (self))
    return;  /* saving goes on when the volunteer answers */

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SdPersonSpec spec;
      guint keep = sd_member_form_get_merge_keep (SD_MEMBER_FORM (child));

      sd_member_form_get_spec (SD_MEMBER_FORM (child), &spec);
      /* "Same person" with the household's address or phone chosen over
       * theirs: it becomes their own, since they may keep their household. */
      if (spec.existing_id != NULL && spec.address == NULL && !(keep & SD_MERGE_ADDRESS) &&
          *gtk_editable_get_text (self->address_entry) != '\0')
        spec.address = gtk_editable_get_text (self->address_entry);
      if (spec.existing_id != NULL && spec.phone == NULL && !(keep & SD_MERGE_PHONE) &&
          *gtk_editable_get_text (self->phone_entry) != '\0')
        spec.phone = gtk_editable_get_text (self->phone_entry);
      if (!(spec.existing_id != NULL && !spec.move_household))
        joining++;
      if (spec.existing_id != NULL)
        {
          SdPerson *was = sd_store_get_person (self->store, spec.existing_id, NULL);

          if (was != NULL)
            g_ptr_array_add (merged, was);
        }
      g_array_append_val (specs, spec);
    }

  household.shelter_id = sd_shelter_picker_get_shelter_id (self->shelter_picker);
  household.stay = current_stay (self);
  household.vehicle_plate = gtk_editable_get_text (self->plate_entry);
  household.address = gtk_editable_get_text (self->address_entry);
  household.phone = gtk_editable_get_text (self->phone_entry);
  household.house_damage = gtk_drop_down_get_selected (self->damage_dropdown);
  pets = g_strdup (gtk_editable_get_text (self->pets_entry));
  household.pets = pets;
  household.pets_count = *pets ? (guint) gtk_spin_button_get_value_as_int (self->pets_spin) : 0;
  household.check_in = gtk_check_button_get_active (self->checkin_check);
  household.staff_id = self->staff ? sd_staff_get_id (self->staff) : NULL;

  household_id = sd_store_add_household (self->store, &household, (SdPersonSpec *) specs->data,
                                         specs->len, ids, &error);
  if (household_id == NULL)
    {
      set_message (self, error->message, TRUE);
      /* The field at fault, where the line under it says what is wrong. */
      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
           child != NULL; child = gtk_widget_get_next_sibling (child))
        if (sd_member_form_focus_problem (SD_MEMBER_FORM (child)))
          {
            scroll_into_view (self, child);
            break;
          }
      return;
    }

  g_free (self->last_household_id);
  self->last_household_id = g_steal_pointer (&household_id);
  sd_intake_page_reset (self);
  if (joining == 0)
    set_message (self, _("Saved as someone registered before: they stay in their own household, and "
                         "nothing known about them was lost."), FALSE);
  else
    {
      g_autofree char *done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Registered a household of %u.",
                                                            "Registered a household of %u.", joining),
                                               joining);
      set_message (self, done, FALSE);
    }
  g_signal_emit (self, signals[SAVED], 0, self->last_household_id);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.cards", TRUE);
  offer_merge_undo (self, merged);

  /* Registration issues each person's evacuee card, to print or photograph. */
  g_ptr_array_add (ids, NULL);
  open_cards (self, (const char *const *) ids->pdata);
}

static void
cards_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdIntakePage *self = SD_INTAKE_PAGE (widget);
  g_autoptr(GListModel) members = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (self->store == NULL || self->last_household_id == NULL)
    return;
  members = sd_store_list_household_members (self->store, self->last_household_id, NULL);
  for (guint i = 0; members && i < g_list_model_get_n_items (members); i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (members, i);
      g_ptr_array_add (ids, g_strdup (sd_person_get_id (p)));
    }
  g_ptr_array_add (ids, NULL);
  open_cards (self, (const char *const *) ids->pdata);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdIntakePage *self = SD_INTAKE_PAGE (widget);

  if (self->store == NULL)
    return;
  if (sd_shelter_picker_get_shelter_id (self->shelter_picker) == NULL)
    {
      set_message (self, _("Choose the shelter first."), TRUE);
      return;
    }
  set_message (self, NULL, FALSE);
  save_continue (self);
}

/* Whether anything was typed or chosen that clearing would lose. */
static gboolean
form_has_input (SdIntakePage *self)
{
  if (*gtk_editable_get_text (self->address_entry) || *gtk_editable_get_text (self->phone_entry) ||
      *gtk_editable_get_text (self->plate_entry) || *gtk_editable_get_text (self->pets_entry))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      SdPersonSpec spec;

      sd_member_form_get_spec (SD_MEMBER_FORM (child), &spec);
      if (spec.name || spec.kana || spec.birth_date || spec.phone || spec.allergies || spec.illness ||
          spec.disability || spec.mobility)
        return TRUE;
    }
  return FALSE;
}

static void
clear_response_cb (SdIntakePage *self,
                   const char   *response)
{
  if (g_strcmp0 (response, "clear") == 0)
    sd_intake_page_reset (self);
}

/* 入力を消去 sits beside 登録: a filled form is cleared only once the
 * volunteer says so (Cancel is the default, Escape keeps it too). */
static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdIntakePage *self = SD_INTAKE_PAGE (widget);
  GtkWidget *dialog;

  if (!form_has_input (self))
    {
      sd_intake_page_reset (self);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Clear the form?"),
                                   _("Everything typed for this household will be lost."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Keep it"), "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (clear_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- GObject ---- */

static void
sd_intake_page_dispose (GObject *object)
{
  SdIntakePage *self = SD_INTAKE_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_INTAKE_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->staff);
  g_clear_pointer (&self->merge_undo, g_ptr_array_unref);

  G_OBJECT_CLASS (sd_intake_page_parent_class)->dispose (object);
}

static void
sd_intake_page_finalize (GObject *object)
{
  SdIntakePage *self = SD_INTAKE_PAGE (object);

  g_free (self->message);
  g_free (self->last_household_id);

  G_OBJECT_CLASS (sd_intake_page_parent_class)->finalize (object);
}

static void
sd_intake_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MESSAGE: g_value_set_string (value, SD_INTAKE_PAGE (object)->message); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_intake_page_class_init (SdIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_intake_page_dispose;
  object_class->finalize = sd_intake_page_finalize;
  object_class->get_property = sd_intake_page_get_property;

  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * SdIntakePage::saved:
   * @household_id: the household just registered
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (SD_TYPE_SHELTER_PICKER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, shelter_picker);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, checkin_check);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, stay_shelter);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, stay_home);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, stay_vehicle);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, stay_relatives);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, plate_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, plate_entry);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, address_entry);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, phone_entry);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, damage_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, pets_entry);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, pets_spin);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, members_box);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdIntakePage, scroller);
  gtk_widget_class_bind_template_callback (widget_class, stay_toggled_cb);

  gtk_widget_class_install_action (widget_class, "intake.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "intake.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "intake.add-member", NULL, add_member_action);
  gtk_widget_class_install_action (widget_class, "intake.read-card", NULL, read_card_action);
  gtk_widget_class_install_action (widget_class, "intake.cards", NULL, cards_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "intake.cards", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "intake.read-card", NULL);
  gtk_widget_class_install_action (widget_class, "intake.stay", "s", stay_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "intake.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "intake.add-member", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_intake_page_init (SdIntakePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "intake.cards", FALSE);
  add_member (self);
}

void
sd_intake_page_set_store (SdIntakePage *self,
                          SdStore      *store)
{
  g_return_if_fail (SD_IS_INTAKE_PAGE (self));

  g_set_object (&self->store, store);
  sd_shelter_picker_set_store (self->shelter_picker, store);
}

void
sd_intake_page_set_staff (SdIntakePage *self,
                          SdStaff      *staff)
{
  g_return_if_fail (SD_IS_INTAKE_PAGE (self));
  /* The next person at the kiosk cannot undo the last one's merge. */
  if (staff != self->staff)
    g_clear_pointer (&self->merge_undo, g_ptr_array_unref);
  g_set_object (&self->staff, staff);
}

guint
sd_intake_page_get_n_members (SdIntakePage *self)
{
  guint n = 0;

  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

SdMemberForm *
sd_intake_page_get_member (SdIntakePage *self,
                           guint         index)
{
  GtkWidget *child;

  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), NULL);

  child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box));
  for (guint i = 0; child != NULL && i < index; i++)
    child = gtk_widget_get_next_sibling (child);
  return child ? SD_MEMBER_FORM (child) : NULL;
}

/* Fills the household's own fields, as a pre-registration code will. */
void
sd_intake_page_set_household_text (SdIntakePage *self,
                                   const char   *address,
                                   const char   *phone)
{
  g_return_if_fail (SD_IS_INTAKE_PAGE (self));

  gtk_editable_set_text (self->address_entry, address ? address : "");
  gtk_editable_set_text (self->phone_entry, phone ? phone : "");
}

const char *
sd_intake_page_get_message (SdIntakePage *self)
{
  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), NULL);
  return self->message;
}

const char *
sd_intake_page_get_last_household_id (SdIntakePage *self)
{
  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), NULL);
  return self->last_household_id;
}

/**
 * sd_intake_page_reset:
 *
 * An empty form for the next household; the shelter chosen stays.
 */
void
sd_intake_page_reset (SdIntakePage *self)
{
  GtkWidget *child;

  g_return_if_fail (SD_IS_INTAKE_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->members_box))) != NULL)
    gtk_box_remove (self->members_box, child);
  add_member (self);

  gtk_toggle_button_set_active (self->stay_shelter, TRUE);
  gtk_editable_set_text (self->plate_entry, "");
  gtk_editable_set_text (self->address_entry, "");
  gtk_editable_set_text (self->phone_entry, "");
  gtk_drop_down_set_selected (self->damage_dropdown, 0);
  gtk_editable_set_text (self->pets_entry, "");
  gtk_spin_button_set_value (self->pets_spin, 1);
  set_message (self, NULL, FALSE);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

SdShelterPicker *
sd_intake_page_get_shelter_picker (SdIntakePage *self)
{
  g_return_val_if_fail (SD_IS_INTAKE_PAGE (self), NULL);
  return self->shelter_picker;
}

/* Focus where the first keystroke belongs: the first member's name. */
void
sd_intake_page_focus (SdIntakePage *self)
{
  g_return_if_fail (SD_IS_INTAKE_PAGE (self));
  sd_member_form_focus (SD_MEMBER_FORM (gtk_widget_get_first_child (GTK_WIDGET (self->members_box))));
}
