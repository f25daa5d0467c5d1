/* sd-checkin-page.c: finding a person and recording arrival, going out, return, leaving (入退所).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Results appear as the volunteer types (name or kana in any script,
 * phone, birth date); choosing one shows where they stand now, their
 * household, needs and history, and only the actions that make sense for
 * them.  Each action is one event in the core; the page then says in big
 * letters what was recorded, and warns (never refuses) when the shelter
 * is over capacity.
 *
 * A scanned evacuee card (keyboard-wedge scanner, through the window's
 * SdScanCatcher, or a serial scanner) records the desk's current mode for
 * the card's person at once, and the right half shows in big letters what
 * was recorded, or why nothing was.
 */
#include "sd-checkin-page.h"

#include "sd-application.h"
#include "sd-evacuee-text.h"
#include "sd-qr-dialog.h"
#include "sd-reflow-box.h"
#include "sd-shelter-picker.h"

#include <glib/gi18n.h>

struct _SdCheckinPage
{
  GtkWidget        parent_instance;

  /* Template Widgets */
  SdShelterPicker *shelter_picker;
  GtkLabel        *occupancy_label;
  GtkSearchEntry  *search_entry;
  GtkListView     *results_view;
  GtkStack        *detail_stack;
  GtkLabel        *name_label;
  GtkLabel        *kana_label;
  GtkLabel        *facts_label;
  GtkLabel        *status_label;
  GtkLabel        *needs_label;
  GtkLabel        *household_label;
  GtkLabel        *message_label;
  GtkListBox      *history_box;
  GtkToggleButton *mode_arrive;
  GtkToggleButton *mode_go_out;
  GtkToggleButton *mode_return;
  GtkToggleButton *mode_leave;
  GtkToggleButton *mode_supply;
  GtkLabel        *scanner_label;
  GtkWidget       *scan_box;
  GtkImage        *scan_icon;
  GtkLabel        *scan_headline;
  GtkLabel        *scan_evacuee;
  GtkLabel        *scan_name;
  GtkLabel        *scan_kana;
  GtkLabel        *scan_status;
  GtkLabel        *scan_message;
  GtkWidget       *readmit_button;
  GtkWidget       *open_person_button;

  /* Owned References */
  SdPerson        *scanned;       /* the person of the last scan */
  SdSerialScanner *serial;
  SdScanOutcome    scan_outcome;
  guint            scan_count;
  gboolean         loading_mode;
  guint            occupancy_idle;
  SdStore         *store;
  SdStaff         *staff;
  SdPerson        *person;
  GListStore      *results;
  GtkSingleSelection *selection;
  char            *message;
  char            *last_query;  /* the query the results are for */
  gboolean         replacing;   /* a result row is being refreshed, not chosen */
  guint            answer_timeout;
  guint            answer_seconds;
  AdwToast        *undo_toast;  /* weak: the newest event's, the only one offered */
};

G_DEFINE_FINAL_TYPE (SdCheckinPage, sd_checkin_page, GTK_TYPE_WIDGET)


static const char *
status_phrase (SdPerson *person)
{
  switch (sd_person_get_status (person))
    {
    case SD_PERSON_STATUS_IN: return _("Staying at the shelter");
    case SD_PERSON_STATUS_OUT: return _("Gone out, expected back");
    case SD_PERSON_STATUS_LEFT: return _("Has left the shelter");
    case SD_PERSON_STATUS_NONE:
    default:
      switch (sd_person_get_stay (person))
        {
        case SD_STAY_HOME: return _("Registered, staying at home");
        case SD_STAY_VEHICLE: return _("Registered, staying in a vehicle");
        case SD_STAY_RELATIVES: return _("Registered, staying with relatives or friends");
        case SD_STAY_SHELTER:
        default: return _("Registered, not checked in");
        }
    }
}

static const char *
event_phrase (SdEventKind kind)
{
  switch (kind)
    {
    case SD_EVENT_ARRIVE: return _("Checked in");
    case SD_EVENT_GO_OUT: return _("Gone out");
    case SD_EVENT_RETURN: return _("Came back");
    case SD_EVENT_LEAVE: return _("Left the shelter");
    case SD_EVENT_SUPPLY: return _("Collected supplies");
    default: return "";
    }
}

/* Unix ms in local time, as FORMAT (g_date_time_format). */
static char *
format_local (gint64      unix_ms,
              const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, format) : g_strdup ("");
}

static char *
birth_text (SdPerson *person)
{
  const char *iso = sd_person_get_birth_date (person);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDate) today = g_date_new_dmy (g_date_time_get_day_of_month (now),
                                           g_date_time_get_month (now), g_date_time_get_year (now));
  g_autofree char *era = NULL;

  if (iso == NULL)
    return g_strdup (_("Birth date unknown"));
  era = sd_date_format_era (iso);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d year old)", "%s (%d years old)",
                                       sd_date_age_on (iso, today)),
                          era, sd_date_age_on (iso, today));
}

static char *
needs_text (SdPerson *person)
{
  GString *s = g_string_new (NULL);
  const char *sep = "";

#define NEED(cond, label, value) \
  if (cond) { g_string_append_printf (s, "%s%s%s%s", sep, label, value ? ": " : "", value ? value : ""); sep = "\n"; }

  NEED (sd_person_get_allergies (person), _("Food allergies"), sd_person_get_allergies (person));
  NEED (sd_person_get_illness (person), _("Illness and medication"), sd_person_get_illness (person));
  NEED (sd_person_get_pregnant (person), _("Pregnant"), (const char *) NULL);
  NEED (sd_person_get_disability (person), _("Disability"), sd_person_get_disability (person));
  NEED (sd_person_get_care_level (person) != SD_CARE_NONE, _("Care level"),
        sd_care_level_to_string (sd_person_get_care_level (person)));
  NEED (sd_person_get_mobility (person), _("Mobility aids"), sd_person_get_mobility (person));
  NEED (sd_person_get_language (person), _("Language"), sd_person_get_language (person));
#undef NEED

  if (s->len == 0)
    g_string_append (s, _("No needs recorded"));
  return g_string_free (s, FALSE);
}

static void
update_occupancy (SdCheckinPage *self)
{
  const char *sid = sd_shelter_picker_get_shelter_id (self->shelter_picker);
  g_autoptr(SdShelter) fresh = NULL;
  g_autoptr(SdShelter) listed = sd_shelter_picker_get_shelter (self->shelter_picker);
  SdStayCounts c = { 0 };
  g_autofree char *text = NULL;

  if (self->store == NULL || sid == NULL || listed == NULL)
    {
      gtk_label_set_text (self->occupancy_label, "");
      return;
    }
  fresh = sd_store_find_shelter (self->store, sd_shelter_get_code (listed), NULL);
  sd_store_count_stays (self->store, sid, &c, NULL);
  text = g_strdup_printf (_("Staying: %u of %d (out now: %u) · at home: %u · in vehicles: %u"),
                          c.in_shelter + c.out_now, fresh ? sd_shelter_get_capacity (fresh) : 0,
                          c.out_now, c.at_home, c.in_vehicle);
  gtk_label_set_text (self->occupancy_label, text);
  if (fresh && sd_shelter_get_over_capacity (fresh))
    gtk_widget_add_css_class (GTK_WIDGET (self->occupancy_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->occupancy_label), "warning");
}

static void
set_message (SdCheckinPage *self,
             const char    *message,
             const char    *css_class)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "warning");
  if (css_class)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), css_class);
}

static void
update_actions (SdCheckinPage *self)
{
  SdPersonStatus status = self->person ? sd_person_get_status (self->person) : SD_PERSON_STATUS_NONE;
  gboolean here = self->person != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.arrive",
                                 here && status != SD_PERSON_STATUS_IN && status != SD_PERSON_STATUS_OUT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.go-out", here && status == SD_PERSON_STATUS_IN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.return", here && status == SD_PERSON_STATUS_OUT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.leave",
                                 here && (status == SD_PERSON_STATUS_IN || status == SD_PERSON_STATUS_OUT));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.supply", here && status != SD_PERSON_STATUS_LEFT);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkin.show-card", here);
}

static void
show_person (SdCheckinPage *self,
             SdPerson      *person)
{
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GListModel) members = NULL;
  g_autofree char *birth = NULL;
  g_autofree char *needs = NULL;
  g_autofree char *status = NULL;
  GtkWidget *child;

  g_set_object (&self->person, person);
  update_actions (self);
  if (person == NULL)
    {
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
      return;
    }

  gtk_label_set_text (self->name_label, sd_person_get_name (person));
  gtk_label_set_text (self->kana_label, sd_person_get_kana (person) ? sd_person_get_kana (person) : "");
  birth = birth_text (person);
  gtk_label_set_text (self->facts_label, birth);
  status = sd_person_get_shelter_name (person)
    ? g_strdup_printf ("%s — %s", status_phrase (person), sd_person_get_shelter_name (person))
    : g_strdup (status_phrase (person));
  gtk_label_set_text (self->status_label, status);
  needs = needs_text (person);
  gtk_label_set_text (self->needs_label, needs);

  members = sd_store_list_household_members (self->store, sd_person_get_household_id (person), NULL);
  {
    GString *s = g_string_new (NULL);
    for (guint i = 0; members && i < g_list_model_get_n_items (members); i++)
      {
        g_autoptr(SdPerson) m = g_list_model_get_item (members, i);
        g_string_append_printf (s, "%s%s", s->len ? "、" : "", sd_person_get_name (m));
      }
    gtk_label_set_text (self->household_label, s->str);
    g_string_free (s, TRUE);
  }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_box))) != NULL)
    gtk_list_box_remove (self->history_box, child);
  history = sd_store_list_person_events (self->store, sd_person_get_id (person), NULL);
  for (guint i = 0; history && i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(SdPersonEvent) e = g_list_model_get_item (history, i);
      g_autofree char *when = format_local (sd_person_event_get_at (e), "%m/%d %H:%M");
      g_autofree char *line = g_strdup_printf ("%s  %s  %s%s%s", when, event_phrase (sd_person_event_get_kind (e)),
                                               sd_person_event_get_shelter_code (e) ? sd_person_event_get_shelter_code (e) : "",
                                               sd_person_event_get_staff_name (e) ? " · " : "",
                                               sd_person_event_get_staff_name (e) ? sd_person_event_get_staff_name (e) : "");
      GtkWidget *label = gtk_label_new (line);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_list_box_append (self->history_box, label);
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "person");
}

static void
run_search (SdCheckinPage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autoptr(GListModel) found = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_free (self->last_query);
  self->last_query = g_strdup (query);

  if (self->store != NULL && *query != '\0')
    found = sd_store_search_persons (self->store, query, 50, NULL);
  for (guint i = 0; found && i < g_list_model_get_n_items (found); i++)
    g_ptr_array_add (items, g_list_model_get_item (found, i));
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       items->pdata, items->len);
  /* One match is the person: show them at once. */
  show_person (self, items->len == 1 ? g_ptr_array_index (items, 0) : NULL);
}

static void
search_changed_cb (SdCheckinPage *self)
{
  /* The entry reports a moment after typing stops; by then the same query
   * may have run already and the volunteer acted on it. */
  if (g_strcmp0 (self->last_query, gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) == 0)
    return;
  set_message (self, NULL, NULL);
  run_search (self);
}

static void
selection_changed_cb (SdCheckinPage *self)
{
  SdPerson *person = gtk_single_selection_get_selected_item (self->selection);

  if (person != NULL && !self->replacing)
    {
      set_message (self, NULL, NULL);
      show_person (self, person);
    }
}

/* Enter (or a double tap) on a result opens that person. */
static void
result_activated_cb (SdCheckinPage *self,
                     guint          position)
{
  gtk_single_selection_set_selected (self->selection, position);
  selection_changed_cb (self);
}

/* Enter in the search field opens the first result. */
static void
search_activated_cb (SdCheckinPage *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->results)) == 0)
    return;
  result_activated_cb (self, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->results_view));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sd_checkin_page_focus (SD_CHECKIN_PAGE (widget));
}

/* The result list follows the events: the row of PERSON shows where
 * they are now (it said 滞在中 after they went out or left). */
static void
replace_result (SdCheckinPage *self,
                SdPerson      *person)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

  for (guint i = 0; person != NULL && i < n; i++)
    {
      g_autoptr(SdPerson) listed = g_list_model_get_item (G_LIST_MODEL (self->results), i);

      if (g_strcmp0 (sd_person_get_id (listed), sd_person_get_id (person)) == 0)
        {
          gboolean selected = gtk_single_selection_get_selected (self->selection) == i;

          self->replacing = TRUE;
          g_list_store_splice (self->results, i, 1, (gpointer *) &person, 1);
          if (selected)
            gtk_single_selection_set_selected (self->selection, i);
          self->replacing = FALSE;
          return;
        }
    }
}

static void undo_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

static void
undo_clicked_cb (SdCheckinPage *self,
                 AdwToast      *toast)
{
  undo_action (GTK_WIDGET (self), "checkin.undo", g_object_get_data (G_OBJECT (toast), "undo"));
}

static void
undo_dismissed_cb (SdCheckinPage *self)
{
  g_clear_weak_pointer (&self->undo_toast);
}

/* An event recorded by mistake is put right by the event that restores
 * where the person was, recorded like any other (the history keeps
 * both): never by deleting one.  Going out is undone by a return, a
 * return by going out, leaving by arriving at the shelter they were in
 * (and going out again if they were out), an arrival by leaving. */
static void
offer_undo (SdCheckinPage  *self,
            SdPerson       *person,
            SdEventKind     kind,
            SdPersonStatus  was,
            const char     *was_shelter)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *title = NULL;
  GVariant *undo;
  AdwToast *toast;

  if (overlay == NULL || kind == SD_EVENT_SUPPLY)
    return;
  if (kind == SD_EVENT_LEAVE && was_shelter == NULL)
    return;
  title = g_strdup_printf ("%s: %s", event_phrase (kind), sd_person_get_name (person));
  undo = g_variant_ref_sink (g_variant_new ("(sisi)", sd_person_get_id (person), kind,
                                            was_shelter ? was_shelter : "", was));
  /* Only the newest event may be undone: the toast still shown is made
   * this event's (an older toast queued behind would undo something else
   * than what the volunteer just did). */
  if (self->undo_toast != NULL)
    {
      adw_toast_set_title (self->undo_toast, title);
      g_object_set_data_full (G_OBJECT (self->undo_toast), "undo", undo, (GDestroyNotify) g_variant_unref);
      return;
    }
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  /* At once, ahead of any toast queued before it (it is about now). */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_button_label (toast, _("_Undo"));
  /* The toast lives in the window's overlay, above this desk, where the
   * desk's own actions cannot be reached: its button calls back here. */
  g_object_set_data_full (G_OBJECT (toast), "undo", undo, (GDestroyNotify) g_variant_unref);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_clicked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (undo_dismissed_cb), self, G_CONNECT_SWAPPED);
  g_set_weak_pointer (&self->undo_toast, toast);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPerson) fresh = NULL;
  const char *person_id, *was_shelter;
  int kind, was;
  SdEventKind undo[2];
  guint n = 0;
  const char *staff_id = self->staff ? sd_staff_get_id (self->staff) : NULL;

  if (self->store == NULL)
    return;
  g_variant_get (parameter, "(&si&si)", &person_id, &kind, &was_shelter, &was);
  switch (kind)
    {
    case SD_EVENT_GO_OUT: undo[n++] = SD_EVENT_RETURN; break;
    case SD_EVENT_RETURN: undo[n++] = SD_EVENT_GO_OUT; break;
    case SD_EVENT_LEAVE:
      undo[n++] = SD_EVENT_ARRIVE;
      if (was == SD_PERSON_STATUS_OUT)
        undo[n++] = SD_EVENT_GO_OUT;
      break;
    case SD_EVENT_ARRIVE:
      undo[n++] = was == SD_PERSON_STATUS_IN || was == SD_PERSON_STATUS_OUT ? SD_EVENT_ARRIVE : SD_EVENT_LEAVE;
      if (was == SD_PERSON_STATUS_OUT)
        undo[n++] = SD_EVENT_GO_OUT;
      break;
    default:
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *event = sd_store_record_event (self->store, person_id, undo[i],
                                                      undo[i] == SD_EVENT_ARRIVE ? was_shelter : NULL,
                                                      staff_id, &error);
      if (event == NULL)
        {
          set_message (self, error->message, "error");
          return;
        }
    }
  fresh = sd_store_get_person (self->store, person_id, NULL);
  if (fresh == NULL)
    return;
  replace_result (self, fresh);
  if (self->person != NULL && g_strcmp0 (sd_person_get_id (self->person), person_id) == 0)
    show_person (self, fresh);
  {
    g_autofree char *done = g_strdup_printf (_("Undone: %s is where they were before."), sd_person_get_name (fresh));
    set_message (self, done, "success");
  }
  update_occupancy (self);
}

static void
record (SdCheckinPage *self,
        SdEventKind    kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdPerson) fresh = NULL;
  g_autofree char *event = NULL;
  g_autofree char *done = NULL;
  const char *shelter_id = kind == SD_EVENT_ARRIVE || kind == SD_EVENT_SUPPLY
                           ? sd_shelter_picker_get_shelter_id (self->shelter_picker) : NULL;

  SdPersonStatus was;
  g_autofree char *was_shelter = NULL;

  if (self->person == NULL || self->store == NULL)
    return;
  was = sd_person_get_status (self->person);
  was_shelter = g_strdup (sd_person_get_shelter_id (self->person));

  event = sd_store_record_event (self->store, sd_person_get_id (self->person), kind, shelter_id,
                                 self->staff ? sd_staff_get_id (self->staff) : NULL, &error);
  if (event == NULL)
    {
      set_message (self, error->message, "error");
      return;
    }

  fresh = sd_store_get_person (self->store, sd_person_get_id (self->person), NULL);
  replace_result (self, fresh);
  show_person (self, fresh);
  offer_undo (self, fresh, kind, was, was_shelter);
  done = g_strdup_printf ("%s: %s", event_phrase (kind), sd_person_get_name (fresh));
  set_message (self, done, "success");

  if (kind == SD_EVENT_ARRIVE)
    {
      g_autoptr(SdShelter) listed = sd_shelter_picker_get_shelter (self->shelter_picker);
      g_autoptr(SdShelter) s = listed ? sd_store_find_shelter (self->store, sd_shelter_get_code (listed), NULL) : NULL;

      if (s != NULL && sd_shelter_get_over_capacity (s))
        {
          g_autofree char *warn = g_strdup_printf (_("%s: checked in. This shelter is now over its capacity "
                                                     "(%u of %d). Tell the shelter lead."),
                                                   sd_person_get_name (fresh), sd_shelter_get_occupancy (s),
                                                   sd_shelter_get_capacity (s));
          set_message (self, warn, "warning");
        }
    }
  update_occupancy (self);
}

/* ---- one scan, one action ---- */

enum {
  PREREG_SCANNED,
  ANSWERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
mode_phrase (SdEventKind kind)
{
  switch (kind)
    {
    case SD_EVENT_ARRIVE: return _("Checked in");
    case SD_EVENT_GO_OUT: return _("Going out recorded");
    case SD_EVENT_RETURN: return _("Welcome back: return recorded");
    case SD_EVENT_LEAVE: return _("Leaving recorded");
    case SD_EVENT_SUPPLY: return _("Supplies handed out");
    default: return "";
    }
}

static GtkToggleButton *
mode_button (SdCheckinPage *self,
             SdEventKind    kind)
{
  GtkToggleButton *buttons[] = { self->mode_arrive, self->mode_go_out, self->mode_return,
                                 self->mode_leave, self->mode_supply };

  return buttons[MIN (kind, SD_EVENT_SUPPLY)];
}

static SdEventKind
current_mode (SdCheckinPage *self)
{
  for (SdEventKind k = SD_EVENT_ARRIVE; k <= SD_EVENT_SUPPLY; k++)
    if (gtk_toggle_button_get_active (mode_button (self, k)))
      return k;
  return SD_EVENT_ARRIVE;
}

static void
mode_toggled_cb (SdCheckinPage   *self,
                 GtkToggleButton *button)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_toggle_button_get_active (button) || self->loading_mode || self->store == NULL)
    return;
  /* Kept in the database: `shelterdesk-cli qr scan` uses the same mode. */
  if (!sd_store_set_scan_mode (self->store, current_mode (self), &error))
    g_warning ("Could not keep the scan mode: %s", error->message);
}

static void
scan_mode_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);
  SdEventKind kind;

  if (sd_event_kind_from_string (g_variant_get_string (parameter, NULL), &kind))
    gtk_toggle_button_set_active (mode_button (self, kind), TRUE);
}

static void
load_scan_mode (SdCheckinPage *self)
{
  SdEventKind mode = SD_EVENT_ARRIVE;

  if (self->store != NULL)
    sd_store_get_scan_settings (self->store, &mode, NULL, NULL, NULL);
  self->loading_mode = TRUE;
  gtk_toggle_button_set_active (mode_button (self, mode), TRUE);
  self->loading_mode = FALSE;
}

static gboolean
answer_expired_cb (gpointer data)
{
  SdCheckinPage *self = data;

  self->answer_timeout = 0;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "scan") == 0)
    {
      g_clear_object (&self->scanned);
      gtk_stack_set_visible_child_name (self->detail_stack, "empty");
    }
  return G_SOURCE_REMOVE;
}

/* How long a scan's answer stays on screen (30 s; tests shorten it). */
void
sd_checkin_page_set_answer_seconds (SdCheckinPage *self,
                                    guint          seconds)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));
  self->answer_seconds = MAX (seconds, 1);
}

/* The big answer on the right: OUTCOME picks the colour. */
/* The answer to the person whose card was scanned, in their language
 * (their record's): an EN_ message; NULL for a card of nobody. */
static const char *
evacuee_answer (SdScanOutcome outcome,
                SdEventKind   kind)
{
  if (outcome == SD_SCAN_REPEATED)
    return EN_("Already recorded. You do not need to scan again.");
  if (outcome != SD_SCAN_RECORDED)
    return EN_("Please see the desk.");
  switch (kind)
    {
    case SD_EVENT_ARRIVE: return EN_("Checked in. Welcome.");
    case SD_EVENT_GO_OUT: return EN_("Going out is recorded. Scan your card again when you come back.");
    case SD_EVENT_RETURN: return EN_("Welcome back.");
    case SD_EVENT_LEAVE: return EN_("Leaving is recorded. Take care.");
    case SD_EVENT_SUPPLY: return EN_("Please take your supplies.");
    default: return EN_("Please see the desk.");
    }
}

/* ANSWER in PERSON's language under the desk's headline, when the desk
 * does not speak it: in their script, with the glyphs of their language
 * (Chinese is not drawn with Japanese forms). */
static void
show_evacuee_answer (SdCheckinPage *self,
                     SdPerson      *person,
                     const char    *answer)
{
  const char *tag = person != NULL ? sd_person_get_language (person) : NULL;
  const SdEvacueeLanguage *theirs = sd_evacuee_language_resolve (tag);
  g_autofree char *text = NULL;
  g_autoptr(PangoAttrList) attrs = NULL;

  if (person == NULL || answer == NULL || theirs == sd_evacuee_language_of_desk ())
    {
      gtk_widget_set_visible (GTK_WIDGET (self->scan_evacuee), FALSE);
      return;
    }
  text = sd_evacuee_text (tag, answer);
  attrs = pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_language_new (pango_language_from_string (sd_evacuee_font_language (tag))));
  gtk_label_set_attributes (self->scan_evacuee, attrs);
  gtk_label_set_text (self->scan_evacuee, text);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_evacuee), TRUE);
}

static void
show_scan (SdCheckinPage *self,
           const char    *css,
           const char    *icon,
           const char    *headline,
           SdPerson      *person,
           const char    *message,
           const char    *answer)
{
  g_autofree char *status = NULL;

  gtk_widget_remove_css_class (self->scan_box, "recorded");
  gtk_widget_remove_css_class (self->scan_box, "repeated");
  gtk_widget_remove_css_class (self->scan_box, "refused");
  gtk_widget_add_css_class (self->scan_box, css);
  gtk_image_set_from_icon_name (self->scan_icon, icon);
  gtk_label_set_text (self->scan_headline, headline);
  show_evacuee_answer (self, person, answer);
  g_signal_emit (self, signals[ANSWERED], 0, css, person, answer);
  g_set_object (&self->scanned, person);
  gtk_label_set_text (self->scan_name, person ? sd_person_get_name (person) : "");
  gtk_label_set_text (self->scan_kana, person && sd_person_get_kana (person) ? sd_person_get_kana (person) : "");
  if (person != NULL)
    status = sd_person_get_shelter_name (person) && sd_person_get_status (person) != SD_PERSON_STATUS_LEFT
      ? g_strdup_printf (_("Now: %s — %s"), status_phrase (person), sd_person_get_shelter_name (person))
      : g_strdup_printf (_("Now: %s"), status_phrase (person));
  gtk_label_set_text (self->scan_status, status ? status : "");
  gtk_label_set_text (self->scan_message, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->scan_message), message != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->scan_kana), person && sd_person_get_kana (person));
  gtk_widget_set_visible (self->open_person_button, person != NULL);
  gtk_widget_set_visible (self->readmit_button, FALSE);
  gtk_stack_set_visible_child_name (self->detail_stack, "scan");
  self->scan_count++;
  /* The answer is for the person in front of the desk: it goes after a
   * while, so the next one does not read whose card was scanned before. */
  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  self->answer_timeout = g_timeout_add_seconds (self->answer_seconds, answer_expired_cb, self);
}

void
sd_checkin_page_handle_scan (SdCheckinPage *self,
                             const char    *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdScanResult) result = NULL;
  SdScanSettings settings = { 0 };
  guint repeat = 60;

  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  if (self->store == NULL)
    return;
  sd_store_get_scan_settings (self->store, NULL, NULL, &repeat, NULL);
  settings.mode = current_mode (self);
  settings.shelter_id = sd_shelter_picker_get_shelter_id (self->shelter_picker);
  settings.staff_id = self->staff ? sd_staff_get_id (self->staff) : NULL;
  settings.repeat_seconds = repeat;
  set_message (self, NULL, NULL);

  if (settings.shelter_id == NULL &&
      (settings.mode == SD_EVENT_ARRIVE || settings.mode == SD_EVENT_SUPPLY) &&
      sd_qr_kind_of (text) == SD_QR_KIND_CARD)
    {
      show_scan (self, "refused", "dialog-warning-symbolic", _("Not recorded"), NULL,
                 _("Choose this desk’s shelter first (top left), then scan again."), NULL);
      return;
    }

  result = sd_store_scan (self->store, text, &settings, &error);
  if (result == NULL)
    {
      /* Never the scanned text in the log: it may be a person's data. */
      g_debug ("scan refused: %s", error->message);
      show_scan (self, "refused", "dialog-error-symbolic", _("Not recorded"), NULL, error->message, NULL);
      return;
    }

  switch (result->outcome)
    {
    case SD_SCAN_RECORDED:
      {
        g_autoptr(SdShelter) listed = result->kind == SD_EVENT_ARRIVE
                                      ? sd_shelter_picker_get_shelter (self->shelter_picker) : NULL;
        g_autoptr(SdShelter) shelter = listed ? sd_store_find_shelter (self->store, sd_shelter_get_code (listed), NULL)
                                              : NULL;
        g_autofree char *warn = NULL;

        /* Warned, never refused (Sahana Eden's rule): the lead decides. */
        if (shelter != NULL && sd_shelter_get_over_capacity (shelter))
          warn = g_strdup_printf (_("This shelter is now over its capacity (%u of %d). Tell the shelter lead."),
                                  sd_shelter_get_occupancy (shelter), sd_shelter_get_capacity (shelter));
        show_scan (self, "recorded", "object-select-symbolic", mode_phrase (result->kind), result->person, warn,
                   evacuee_answer (result->outcome, result->kind));
      }
      break;
    case SD_SCAN_REPEATED:
      {
        g_autofree char *when = format_local (result->previous_at, "%H:%M");
        /* Say what is recorded, not that this card was scanned: the
         * earlier record may come from Intake or a button, never a scan. */
        /* Translators: "“Checked in” was recorded for them at 09:40 …" */
        g_autofree char *message = g_strdup_printf (_("“%s” was already recorded for them at %s. This scan "
                                                      "was ignored: nothing more was recorded."),
                                                    event_phrase (result->kind), when);
        show_scan (self, "repeated", "dialog-information-symbolic", _("Already recorded"), result->person, message,
                   evacuee_answer (result->outcome, result->kind));
      }
      break;
    case SD_SCAN_REFUSED:
      {
        g_autofree char *when = result->has_left ? format_local (result->previous_at, "%H:%M") : NULL;
        /* Translators: when a person left the shelter */
        g_autofree char *left = when ? g_strdup_printf (_("(Left at %s.)"), when) : NULL;
        g_autofree char *message = g_strjoin (" ", result->message, left, NULL);
        show_scan (self, "refused", "dialog-warning-symbolic", _("Not recorded"), result->person, message,
                   evacuee_answer (result->outcome, result->kind));
        gtk_widget_set_visible (self->readmit_button, result->has_left && result->kind == SD_EVENT_ARRIVE);
      }
      break;
    case SD_SCAN_PREREG:
      g_signal_emit (self, signals[PREREG_SCANNED], 0, result->prereg);
      break;
    }
}

static void
serial_scanned_cb (SdCheckinPage *self,
                   const char    *text)
{
  /* A serial scan is heard only while the check-in desk is showing. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sd_checkin_page_handle_scan (self, text);
}

static void
serial_state_cb (SdCheckinPage *self)
{
  g_autofree char *text = NULL;

  if (self->scanner_label == NULL)
    return;  /* disposed */
  if (self->serial == NULL)
    {
      gtk_label_set_text (self->scanner_label, _("Scan a card with the scanner at any time; no need to click first."));
      return;
    }
  text = sd_serial_scanner_get_connected (self->serial)
    ? g_strdup_printf (_("Serial scanner ready (%s). Scan a card at any time."),
                       sd_serial_scanner_get_device_path (self->serial))
    : g_strdup_printf (_("Serial scanner not connected (%s): check its cable. The keyboard scanner still works."),
                       sd_serial_scanner_get_device_path (self->serial));
  gtk_label_set_text (self->scanner_label, text);
}

void
sd_checkin_page_set_serial_device (SdCheckinPage *self,
                                   const char    *path)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  if (self->serial != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->serial, self);
      sd_serial_scanner_stop (self->serial);
      g_clear_object (&self->serial);
    }
  if (path != NULL && *path != '\0')
    {
      self->serial = sd_serial_scanner_new (path);
      g_signal_connect_swapped (self->serial, "scanned", G_CALLBACK (serial_scanned_cb), self);
      g_signal_connect_swapped (self->serial, "notify::connected", G_CALLBACK (serial_state_cb), self);
      sd_serial_scanner_start (self->serial);
    }
  serial_state_cb (self);
}

static void
readmit_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);

  if (self->scanned == NULL)
    return;
  show_person (self, self->scanned);
  record (self, SD_EVENT_ARRIVE);
}

static void
open_scanned_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);

  if (self->scanned != NULL)
    {
      g_autoptr(SdPerson) fresh = sd_store_get_person (self->store, sd_person_get_id (self->scanned), NULL);
      show_person (self, fresh ? fresh : self->scanned);
    }
}

static void
show_card_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);
  const char *ids[] = { NULL, NULL };
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->person == NULL || self->store == NULL)
    return;
  ids[0] = sd_person_get_id (self->person);
  gtk_window_present (GTK_WINDOW (sd_qr_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                    self->store, ids)));
}

static void
arrive_action (GtkWidget *w, const char *a, GVariant *p) { record (SD_CHECKIN_PAGE (w), SD_EVENT_ARRIVE); }
static void
go_out_action (GtkWidget *w, const char *a, GVariant *p) { record (SD_CHECKIN_PAGE (w), SD_EVENT_GO_OUT); }
static void
return_action (GtkWidget *w, const char *a, GVariant *p) { record (SD_CHECKIN_PAGE (w), SD_EVENT_RETURN); }
static void
leave_action (GtkWidget *w, const char *a, GVariant *p) { record (SD_CHECKIN_PAGE (w), SD_EVENT_LEAVE); }
static void
supply_action (GtkWidget *w, const char *a, GVariant *p) { record (SD_CHECKIN_PAGE (w), SD_EVENT_SUPPLY); }

static void
select_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->results)); i++)
    {
      g_autoptr(SdPerson) p = g_list_model_get_item (G_LIST_MODEL (self->results), i);

      if (g_strcmp0 (sd_person_get_id (p), id) == 0)
        gtk_single_selection_set_selected (self->selection, i);
    }
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  /* Room around each result: a finger, not a mouse, picks it. */
  gtk_widget_set_margin_top (label, 10);
  gtk_widget_set_margin_bottom (label, 10);
  gtk_widget_set_margin_start (label, 14);
  gtk_widget_set_margin_end (label, 14);
  gtk_list_item_set_child (item, label);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  SdPerson *person = gtk_list_item_get_item (item);
  g_autofree char *birth = birth_text (person);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>  %s\n<small>%s · %s</small>",
                                                     sd_person_get_name (person),
                                                     sd_person_get_kana (person) ? sd_person_get_kana (person) : "",
                                                     birth, status_phrase (person));

  gtk_label_set_markup (GTK_LABEL (gtk_list_item_get_child (item)), markup);
}

static gboolean
occupancy_idle_cb (gpointer data)
{
  SdCheckinPage *self = data;

  self->occupancy_idle = 0;
  update_occupancy (self);
  return G_SOURCE_REMOVE;
}

/* Counting a big shelter takes milliseconds: after the answer is on
 * screen, and once for a burst of changes. */
static void
store_changed_cb (SdCheckinPage *self)
{
  if (self->occupancy_idle == 0)
    self->occupancy_idle = g_idle_add (occupancy_idle_cb, self);
}

/* A person registered elsewhere (Intake, or a batch imported at the Sync
 * desk) joins the results on screen; a person already open stays open. */
static void
persons_changed_cb (SdCheckinPage *self)
{
  if (self->person == NULL && self->last_query != NULL && *self->last_query != '\0')
    run_search (self);
}

static void
shelter_changed_cb (SdCheckinPage *self)
{
  const char *sid = sd_shelter_picker_get_shelter_id (self->shelter_picker);
  g_autofree char *kept = NULL;

  update_occupancy (self);
  /* The CLI's `qr scan` checks arrivals in where this desk does. */
  if (self->store != NULL && sid != NULL &&
      sd_store_get_scan_settings (self->store, NULL, &kept, NULL, NULL) && g_strcmp0 (kept, sid) != 0)
    sd_store_set_scan_shelter (self->store, sid, NULL);
}

static void
sd_checkin_page_dispose (GObject *object)
{
  SdCheckinPage *self = SD_CHECKIN_PAGE (object);
  GtkWidget *child;

  sd_checkin_page_set_store (self, NULL);
  g_clear_weak_pointer (&self->undo_toast);
  g_clear_handle_id (&self->answer_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_CHECKIN_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  sd_checkin_page_set_serial_device (self, NULL);
  g_clear_handle_id (&self->occupancy_idle, g_source_remove);
  g_clear_object (&self->scanned);
  g_clear_object (&self->staff);
  g_clear_object (&self->person);
  g_clear_object (&self->selection);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (sd_checkin_page_parent_class)->dispose (object);
}

static void
sd_checkin_page_finalize (GObject *object)
{
  g_free (SD_CHECKIN_PAGE (object)->message);
  g_free (SD_CHECKIN_PAGE (object)->last_query);

  G_OBJECT_CLASS (sd_checkin_page_parent_class)->finalize (object);
}

static void
sd_checkin_page_class_init (SdCheckinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_checkin_page_dispose;
  object_class->finalize = sd_checkin_page_finalize;


  g_type_ensure (SD_TYPE_SHELTER_PICKER);
  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-checkin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, shelter_picker);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, occupancy_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, results_view);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, kana_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, facts_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, needs_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, household_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, history_box);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, mode_arrive);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, mode_go_out);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, mode_return);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, mode_leave);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, mode_supply);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scanner_label);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_box);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_icon);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_headline);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_evacuee);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_name);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_kana);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_status);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, scan_message);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, readmit_button);
  gtk_widget_class_bind_template_child (widget_class, SdCheckinPage, open_person_button);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, shelter_changed_cb);

  gtk_widget_class_install_action (widget_class, "checkin.arrive", NULL, arrive_action);
  gtk_widget_class_install_action (widget_class, "checkin.go-out", NULL, go_out_action);
  gtk_widget_class_install_action (widget_class, "checkin.return", NULL, return_action);
  gtk_widget_class_install_action (widget_class, "checkin.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "checkin.select", "s", select_action);
  gtk_widget_class_install_action (widget_class, "checkin.supply", NULL, supply_action);
  gtk_widget_class_install_action (widget_class, "checkin.scan-mode", "s", scan_mode_action);
  gtk_widget_class_install_action (widget_class, "checkin.readmit", NULL, readmit_action);
  gtk_widget_class_install_action (widget_class, "checkin.open-scanned", NULL, open_scanned_action);
  gtk_widget_class_install_action (widget_class, "checkin.show-card", NULL, show_card_action);
  gtk_widget_class_install_action (widget_class, "checkin.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "checkin.undo", "(sisi)", undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "checkin.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "checkin.scan-mode", "s", "arrive");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "checkin.scan-mode", "s", "go_out");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F7, 0, "checkin.scan-mode", "s", "return");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0, "checkin.scan-mode", "s", "leave");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "checkin.scan-mode", "s", "supply");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_q, GDK_CONTROL_MASK, "checkin.show-card", NULL);

  /**
   * SdCheckinPage::answered:
   * @css: "recorded", "repeated" or "refused"
   * @person: (nullable): whose card it was; NULL for a card of nobody
   * @answer: (nullable): the answer for the person, an EN_ message
   *
   * A scan was answered (for a kiosk that faces evacuees).
   */
  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 3, G_TYPE_STRING, SD_TYPE_PERSON, G_TYPE_STRING);
  /* A pre-registration code was scanned: the window opens intake with it. */
  signals[PREREG_SCANNED] = g_signal_new ("prereg-scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "checkin.arrive", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "checkin.go-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "checkin.return", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F4, 0, "checkin.leave", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_checkin_page_init (SdCheckinPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->answer_seconds = 30;
  self->results = g_list_store_new (SD_TYPE_PERSON);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->results_view, factory);
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_swapped (self->results_view, "activate", G_CALLBACK (result_activated_cb), self);
  g_signal_connect_swapped (self->search_entry, "activate", G_CALLBACK (search_activated_cb), self);
  /* Typing anywhere on the desk is a search: a volunteer who just pressed
   * 入所 types the next name without reaching for the field. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  update_actions (self);
  serial_state_cb (self);
}

void
sd_checkin_page_set_store (SdCheckinPage *self,
                           SdStore       *store)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      g_signal_connect_swapped (store, "changed::person_events", G_CALLBACK (store_changed_cb), self);
      g_signal_connect_swapped (store, "changed::persons", G_CALLBACK (persons_changed_cb), self);
    }
  sd_shelter_picker_set_store (self->shelter_picker, store);
  update_occupancy (self);
  load_scan_mode (self);
}

void
sd_checkin_page_set_staff (SdCheckinPage *self,
                           SdStaff       *staff)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));
  g_set_object (&self->staff, staff);
  /* Whoever signs in scans arrivals until they choose otherwise: a mode
   * left by the last volunteer (or kept over a restart) would record
   * the next person's scans as something they did not mean. */
  if (staff != NULL && self->store != NULL)
    gtk_toggle_button_set_active (mode_button (self, SD_EVENT_ARRIVE), TRUE);
}

/* Types QUERY into the search field, as a person does; results follow. */
void
sd_checkin_page_set_query (SdCheckinPage *self,
                           const char    *query)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query ? query : "");
  /* The entry waits a moment before "search-changed"; do not. */
  run_search (self);
}

GListModel *
sd_checkin_page_get_results (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return G_LIST_MODEL (self->results);
}

SdPerson *
sd_checkin_page_get_person (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return self->person;
}

const char *
sd_checkin_page_get_message (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return self->message;
}

void
sd_checkin_page_reset (SdCheckinPage *self)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_list_store_remove_all (self->results);
  show_person (self, NULL);
  set_message (self, NULL, NULL);
}

void
sd_checkin_page_withdraw_undo (SdCheckinPage *self)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));

  /* Offered at a button press moments before, never while it is still
   * animating in (dismissing it then is a use-after-free in libadwaita
   * 1.2): its name and its Undo go. */
  if (self->undo_toast != NULL)
    adw_toast_dismiss (self->undo_toast);
}

SdShelterPicker *
sd_checkin_page_get_shelter_picker (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return self->shelter_picker;
}

SdEventKind
sd_checkin_page_get_scan_mode (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), SD_EVENT_ARRIVE);
  return current_mode (self);
}

/* What the last scan said, for tests and screen readers: headline and message. */
char *
sd_checkin_page_dup_scan_text (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return g_strdup_printf ("%s\n%s", gtk_label_get_text (self->scan_headline), gtk_label_get_text (self->scan_message));
}

char *
sd_checkin_page_dup_evacuee_text (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->scan_evacuee)) ? g_strdup (gtk_label_get_text (self->scan_evacuee))
                                                                   : NULL;
}

guint
sd_checkin_page_get_scan_count (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), 0);
  return self->scan_count;
}

GtkWidget *
sd_checkin_page_get_search_entry (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), NULL);
  return GTK_WIDGET (self->search_entry);
}

/* Focus where the first keystroke belongs: the search (Ctrl+F too). */
void
sd_checkin_page_focus (SdCheckinPage *self)
{
  g_return_if_fail (SD_IS_CHECKIN_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Whether the big answer to a scan is on screen. */
gboolean
sd_checkin_page_get_answer_shown (SdCheckinPage *self)
{
  g_return_val_if_fail (SD_IS_CHECKIN_PAGE (self), FALSE);
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "scan") == 0;
}
