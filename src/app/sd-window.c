/* sd-window.c: the desk's main window: sign-in, then the desks the role allows.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is a stack of two: the sign-in page, and the desks with
 * their sidebar.  Which desks show is decided by the core's role policy
 * (sd_role_allows_desk), and win.show-desk refuses the others, so a
 * volunteer cannot reach HQ by a keyboard shortcut either.
 *
 * Kiosk mode: the window is full screen and cannot be closed; closing
 * asks for a shelter lead's PIN (SdUnlockDialog).  Any input — key,
 * touch, click, pointer motion — counts as activity; after idle-timeout
 * seconds without any, the window signs out and every page forgets what
 * it showed, so the next person at the kiosk never sees the last one's
 * data.  (A real kiosk also runs it under a kiosk session such as cage,
 * so that the compositor offers no way round the window: see the README.)
 */
#include "sd-checkin-page.h"
#include "sd-display.h"
#include "sd-enquiry-page.h"
#include "sd-evacuee-text.h"
#include "sd-exercise-mark.h"
#include "sd-exercise-live.h"
#include "sd-exercise-page.h"
#include "sd-inject-strip.h"
#include "sd-intake-page.h"
#include "sd-settings.h"
#include "sd-report-page.h"
#include "sd-guide-page.h"
#include "sd-safety-page.h"
#include "sd-scan-catcher.h"
#include "sd-self-service-page.h"
#include "sd-shelters-page.h"
#include "sd-support-page.h"
#include "sd-sync-page.h"
#include "sd-sync-pusher.h"
#include "sd-sync.h"
#include "sd-toast.h"
#include "sd-unlock-dialog.h"
#include "sd-window.h"

#include <glib/gi18n.h>
#include <string.h>

struct _SdWindow
{
  AdwApplicationWindow  parent_instance;

  SdSelfServicePage    *self_service;   /* the kiosk facing evacuees (main_stack's "self-service") */

  /* Template Widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *sign_out_button;
  AdwFlap              *flap;
  SdIntakeDraft        *draft;          /* a half-typed household kept over a sign-out */
  char                 *draft_staff_id; /* whose it is */
  gint64                draft_at;       /* monotonic µs */
  AdwHeaderBar         *header_bar;
  GtkRevealer          *idle_banner;
  GtkLabel             *idle_label;
  GtkWidget            *desks_button;
  guint                 folded_idle;
  GtkWidget            *leave_button;
  GtkRevealer          *exercise_banner;
  GtkLabel             *exercise_label;
  GtkRevealer          *demo_banner;
  GtkStack             *main_stack;
  AdwStatusPage        *damaged_page;
  GtkStack             *desk_stack;
  SdSigninPage         *signin_page;
  SdSheltersPage       *shelters_page;
  SdIntakePage         *intake_page;
  SdCheckinPage        *checkin_page;
  SdEnquiryPage        *enquiry_page;
  SdReportPage         *report_page;
  SdGuidePage          *guide_page;
  SdSafetyPage         *safety_page;
  SdSupportPage        *support_page;
  SdExercisePage       *exercise_page;
  SdSyncPage           *sync_page;
  SdInjectStrip        *inject_strip;

  /* Owned References */
  SdStore              *store;
  SdStaff              *staff;
  GSettings            *settings;
  SdScanCatcher        *scan_catcher;
  GCancellable         *verify_cancellable;
  SdSyncPusher         *pusher;         /* a kiosk with HQ's address: sends by itself */

  gboolean              kiosk;
  gboolean              unlocked;
  guint                 idle_timeout;
  guint                 idle_source;
  gint64                last_activity;
};

G_DEFINE_FINAL_TYPE (SdWindow, sd_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_KIOSK,
  PROP_STAFF,
  PROP_IDLE_TIMEOUT,
  PROP_VISIBLE_DESK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- desks ---- */

/* Whether this file has DESK at all: the exercise console is for an
 * exercise database alone. */
static gboolean
desk_exists (SdWindow *self,
             SdDesk    desk)
{
  return desk != SD_DESK_EXERCISE || (self->store != NULL && sd_store_get_is_exercise (self->store));
}

static void
apply_role (SdWindow *self)
{
  for (SdDesk desk = 0; desk < SD_N_DESKS; desk++)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->desk_stack, sd_desk_to_string (desk));
      gboolean allowed = self->staff != NULL && sd_role_allows_desk (sd_staff_get_role (self->staff), desk) &&
                         desk_exists (self, desk);

      if (child != NULL)  /* a desk not built yet has no page */
        gtk_stack_page_set_visible (gtk_stack_get_page (self->desk_stack, child), allowed);
    }
}

static gboolean
desk_allowed (SdWindow   *self,
              const char *name)
{
  SdDesk desk;

  if (self->staff == NULL)
    return FALSE;
  if (g_strcmp0 (name, "home") == 0)
    return TRUE;
  return sd_desk_from_string (name, &desk) && sd_role_allows_desk (sd_staff_get_role (self->staff), desk) &&
         desk_exists (self, desk) && gtk_stack_get_child_by_name (self->desk_stack, name) != NULL;
}

/* Shows desk NAME.  The focus leaves the old desk first: the stack would
 * otherwise hand it to the new desk's first button on its way to the
 * field focus_desk() picks, and a screen reader would read that out. */
static void
switch_desk (SdWindow   *self,
             const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->desk_stack), name) == 0)
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->desk_stack)))
    gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_stack_set_visible_child_name (self->desk_stack, name);
}

static gboolean self_service_shown (SdWindow *self);

static void
show_desk_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  /* Facing evacuees, no key changes the desk behind the screen: the way
   * back is a staff sign-in. */
  if (self_service_shown (self))
    return;

  if (!desk_allowed (self, name))
    {
      if (self->staff != NULL)
        {
          SdDesk desk;
          gboolean role_allows = sd_desk_from_string (name, &desk) &&
                                 sd_role_allows_desk (sd_staff_get_role (self->staff), desk);
          AdwToast *toast = adw_toast_new (role_allows && !desk_exists (self, desk)
                                           ? _("The Exercise desk is for an exercise database "
                                               "(shelterdesk-cli exercise new).")
                                           : _("Your role cannot use this desk."));

          /* Short-lived, so it is gone before the next person signs in.
           * (Dismissing it by hand while libadwaita 1.2 still animates it
           * in is a use-after-free in that version.) */
          adw_toast_set_timeout (toast, 3);
          adw_toast_overlay_add_toast (self->toast_overlay, toast);
        }
      return;
    }
  switch_desk (self, name);
}

/* Ctrl+N: the N-th desk in the sidebar's order among those the role
 * may use, as the person sees them. */
static void
show_desk_number_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  int n = g_variant_get_int32 (parameter), seen = 0;

  /* Facing evacuees, as show_desk_action. */
  if (self_service_shown (self))
    return;
  for (SdDesk desk = 0; desk < SD_N_DESKS; desk++)
    if (desk_allowed (self, sd_desk_to_string (desk)) && ++seen == n)
      {
        switch_desk (self, sd_desk_to_string (desk));
        return;
      }
}

/* The sign-in page or the desks, unless the file is damaged: then the
 * page that says so stays, whatever else happens (an idle sign-out). */
static void
show_main (SdWindow   *self,
           const char *name)
{
  if (!sd_store_get_damaged (self->store))
    gtk_stack_set_visible_child_name (self->main_stack, name);
}

/* ---- scanned codes ---- */

static gboolean
self_service_shown (SdWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "self-service") == 0;
}

static void
update_scan_catcher (SdWindow *self)
{
  const char *desk = gtk_stack_get_visible_child_name (self->desk_stack);

  /* Scans are heard on the desks that use them, by whoever is signed in. */
  if (self->scan_catcher != NULL)
    {
      sd_scan_catcher_set_enabled (self->scan_catcher,
                                   self->staff != NULL && !sd_store_get_damaged (self->store) &&
                                   (g_strcmp0 (desk, "checkin") == 0 || g_strcmp0 (desk, "intake") == 0));
      /* Facing evacuees, what is typed goes nowhere: only scans count. */
      sd_scan_catcher_set_fallback (self->scan_catcher, g_strcmp0 (desk, "checkin") == 0 && !self_service_shown (self)
                                    ? sd_checkin_page_get_search_entry (self->checkin_page) : NULL);
    }
}

static void
show_toast (SdWindow   *self,
            const char *text)
{
  sd_toast_show (GTK_WIDGET (self->toast_overlay), text, FALSE);
}

static void
prereg_scanned_cb (SdWindow *self,
                   SdPrereg *prereg)
{
  /* Facing evacuees, a pre-registration is a person's to sort out: the
   * intake form behind the screen is not filled. */
  if (self_service_shown (self))
    {
      sd_self_service_page_show_answer (self->self_service, "refused", NULL, EN_("Please see the desk."));
      return;
    }
  if (!desk_allowed (self, "intake"))
    {
      show_toast (self, _("A pre-registration code: ask a volunteer at the intake desk to register this household."));
      return;
    }
  gtk_stack_set_visible_child_name (self->desk_stack, "intake");
  sd_intake_page_fill_prereg (self->intake_page, prereg);
}

static void
scanned_cb (SdWindow   *self,
            const char *text)
{
  const char *desk = gtk_stack_get_visible_child_name (self->desk_stack);

  if (g_strcmp0 (desk, "checkin") == 0)
    {
      sd_checkin_page_handle_scan (self->checkin_page, text);
      return;
    }
  if (sd_qr_kind_of (text) == SD_QR_KIND_PREREG)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SdPrereg) prereg = sd_prereg_new_from_text (text, &error);

      if (prereg == NULL)
        show_toast (self, error->message);
      else
        sd_intake_page_fill_prereg (self->intake_page, prereg);
      return;
    }
  show_toast (self, sd_qr_kind_of (text) == SD_QR_KIND_CARD
                    ? _("An evacuee card: open the check-in desk (Ctrl+2) to record arrivals, returns and supplies.")
                    : _("That code is not a ShelterDesk code."));
}

/* ---- self-service check-in ---- */

static void update_header (SdWindow *self);
static void close_transients (SdWindow *self);

static void
answered_cb (SdWindow   *self,
             const char *css,
             SdPerson   *person,
             const char *answer)
{
  if (self_service_shown (self))
    sd_self_service_page_show_answer (self->self_service, css, person, answer);
}

/* Turns the check-in desk to face evacuees: its shelter and mode stay;
 * the way back is signing in again. */
static void
self_service_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->staff == NULL || !desk_allowed (self, "checkin"))
    return;
  if (sd_shelter_picker_get_shelter_id (sd_checkin_page_get_shelter_picker (self->checkin_page)) == NULL)
    {
      show_toast (self, _("Choose this desk’s shelter first (top left), then start self-service."));
      return;
    }
  /* Nothing of the last person over it: a record or card window, the
   * check-in page's person, the offer to undo their event. */
  close_transients (self);
  sd_checkin_page_reset (self->checkin_page);
  sd_checkin_page_withdraw_undo (self->checkin_page);
  switch_desk (self, "checkin");
  sd_self_service_page_reset (self->self_service);
  show_main (self, "self-service");
  update_header (self);
  update_scan_catcher (self);
}

static void
demo_scan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->store == NULL || !sd_store_get_is_demo (self->store) || !desk_allowed (self, "checkin"))
    return;
  gtk_stack_set_visible_child_name (self->desk_stack, "checkin");
  sd_checkin_page_handle_scan (self->checkin_page, g_variant_get_string (parameter, NULL));
}

static void
settings_changed_cb (SdWindow *self)
{
  g_autofree char *serial = g_settings_get_string (self->settings, "serial-scanner");

  sd_scan_catcher_set_max_gap (self->scan_catcher, g_settings_get_uint (self->settings, "scan-key-gap"));
  sd_checkin_page_set_serial_device (self->checkin_page, serial);
}

/* Every desk opens with the focus where its first keystroke belongs,
 * never on a button that records or signs out. */
static void
focus_desk (SdWindow *self)
{
  const char *desk = gtk_stack_get_visible_child_name (self->desk_stack);

  if (self->staff == NULL || desk == NULL || self_service_shown (self))
    return;
  if (g_str_equal (desk, "intake"))
    sd_intake_page_focus (self->intake_page);
  else if (g_str_equal (desk, "checkin"))
    sd_checkin_page_focus (self->checkin_page);
  else if (g_str_equal (desk, "enquiry"))
    sd_enquiry_page_focus (self->enquiry_page);
  else if (g_str_equal (desk, "staff-safety"))
    sd_safety_page_focus (self->safety_page);
  else if (g_str_equal (desk, "guide"))
    sd_guide_page_focus (self->guide_page);
  else if (g_str_equal (desk, "support"))
    sd_support_page_focus (self->support_page);
  else if (g_str_equal (desk, "exercise"))
    sd_exercise_page_focus (self->exercise_page);
  else
    gtk_widget_child_focus (gtk_stack_get_visible_child (self->desk_stack), GTK_DIR_TAB_FORWARD);
}

/* The first keystroke on a window just shown: the staff number, or
 * the desk's first field (--demo signs in before the window maps, and a
 * focus given then does not stick). */
static void
mapped_cb (SdWindow *self)
{
  if (self->staff == NULL)
    sd_signin_page_reset (self->signin_page);
  else
    focus_desk (self);
}

/* On a small screen the sidebar is folded away: F10 or the header's
 * button shows it over the desk, and choosing a desk hides it again. */
static void
toggle_desks_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);

  if (self->staff != NULL && !self_service_shown (self) && adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static gboolean
folded_idle_cb (gpointer data)
{
  SdWindow *self = data;

  self->folded_idle = 0;
  update_header (self);
  return G_SOURCE_REMOVE;
}

/* The flap folds while the window is being laid out: the header changes
 * after that, not in the middle of it. */
static void
folded_cb (SdWindow *self)
{
  if (self->folded_idle == 0)
    self->folded_idle = g_idle_add (folded_idle_cb, self);
}

/* ---- an exercise's players ---- */

/* On an exercise database the band is on every page; while the players'
 * strip shows, the strip's striped tag stands for it (one bar, not two:
 * a 1024×600 kiosk has no room for both over the desk). */
static void
update_exercise_band (SdWindow *self)
{
  gtk_revealer_set_reveal_child (self->exercise_banner, sd_store_get_is_exercise (self->store)
                                                          && !sd_inject_strip_get_showing (self->inject_strip));
}

/* Whom the desk on screen plays for in an exercise: a shelter's desks
 * (intake, check-in, its report) for the shelter they work for; HQ's
 * staff elsewhere for HQ; a shelter's staff elsewhere for the shelter
 * their check-in desk works for (the kiosk's shelter at sign-in); the
 * facilitator's console for nobody. */
static void
update_players (SdWindow *self)
{
  const char *desk = gtk_stack_get_visible_child_name (self->desk_stack);
  SdShelterPicker *picker = NULL;
  g_autoptr(SdShelter) shelter = NULL;

  if (self->staff == NULL || g_strcmp0 (desk, "exercise") == 0)
    {
      sd_inject_strip_show_none (self->inject_strip);
      return;
    }
  if (g_strcmp0 (desk, "intake") == 0)
    picker = sd_intake_page_get_shelter_picker (self->intake_page);
  else if (g_strcmp0 (desk, "report") == 0)
    picker = sd_report_page_get_shelter_picker (self->report_page);
  else if (g_strcmp0 (desk, "checkin") == 0 || sd_staff_get_role (self->staff) != SD_ROLE_HQ)
    picker = sd_checkin_page_get_shelter_picker (self->checkin_page);
  shelter = picker != NULL ? sd_shelter_picker_get_shelter (picker) : NULL;
  if (picker != NULL && shelter == NULL)
    sd_inject_strip_show_none (self->inject_strip);
  else
    sd_inject_strip_show_for (self->inject_strip, shelter != NULL ? sd_shelter_get_code (shelter) : NULL);
}

static void
desk_changed_cb (SdWindow *self)
{
  if (adw_flap_get_folded (self->flap))
    adw_flap_set_reveal_flap (self->flap, FALSE);
  update_players (self);
  update_scan_catcher (self);
  focus_desk (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_DESK]);
}

/* ---- signing in and out ---- */

static void
update_header (SdWindow *self)
{
  gboolean signed_in = self->staff != NULL;

  g_autofree char *staff = NULL;
  g_autofree char *subtitle = NULL;

  /* Who is signed in goes under the site's name, centred, where a small
   * screen still has room for it (beside the buttons it was cut off). */
  /* Facing evacuees, the screen names nobody, the volunteer included. */
  if (signed_in && !self_service_shown (self))
    staff = g_strdup_printf (_("%s (%s)"), sd_staff_get_name (self->staff),
                             sd_role_get_label (sd_staff_get_role (self->staff)));
  if (self->kiosk && staff != NULL)
    /* Translators: the header's second line in kiosk mode: "Kiosk · 中村 秀樹 (Shelter lead)" */
    subtitle = g_strdup_printf (_("Kiosk · %s"), staff);
  else
    subtitle = g_strdup (self->kiosk ? _("Kiosk") : staff);
  /* A kiosk is never minimised or resized away: no window buttons (closing
   * is キオスク終了, which asks for a lead's PIN).  Not by setting the
   * decoration layout to "": with libadwaita 1.2 and GTK 4.8 that read
   * freed memory in gtk_window_controls_set_decoration_layout (valgrind)
   * and crashed a kiosk at start now and then. */
  adw_header_bar_set_show_start_title_buttons (self->header_bar, !self->kiosk);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, !self->kiosk);
  adw_window_title_set_title (self->window_title, sd_store_get_site_name (self->store));
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_widget_set_visible (self->sign_out_button, signed_in);
  gtk_widget_set_visible (self->desks_button, signed_in && adw_flap_get_folded (self->flap) &&
                          !self_service_shown (self));
  gtk_revealer_set_reveal_child (self->demo_banner, sd_store_get_is_demo (self->store));
}

/* How long a half-typed household waits for its volunteer to sign in
 * again: long enough for a break, short enough not to meet a stranger. */
#define DRAFT_KEPT_US (10 * 60 * G_USEC_PER_SEC)

static void
drop_draft (SdWindow *self)
{
  g_clear_pointer (&self->draft, sd_intake_draft_free);
  g_clear_pointer (&self->draft_staff_id, g_free);
}

/* Each desk has its own shelter, shown on it and changed only there: a
 * look at another shelter's report never moves where Intake registers.
 * At sign-in every desk starts at this kiosk's shelter, the one its
 * check-in desk scans for (kept in the database, sd_store_set_scan_shelter). */
static void
start_at_kiosk_shelter (SdWindow *self)
{
  g_autofree char *kiosk_shelter = NULL;

  if (!sd_store_get_scan_settings (self->store, NULL, &kiosk_shelter, NULL, NULL) || kiosk_shelter == NULL)
    return;
  sd_shelter_picker_set_shelter_id (sd_intake_page_get_shelter_picker (self->intake_page), kiosk_shelter);
  sd_shelter_picker_set_shelter_id (sd_checkin_page_get_shelter_picker (self->checkin_page), kiosk_shelter);
  sd_shelter_picker_set_shelter_id (sd_report_page_get_shelter_picker (self->report_page), kiosk_shelter);
  sd_shelter_picker_set_shelter_id (sd_guide_page_get_shelter_picker (self->guide_page), kiosk_shelter);
}

void
sd_window_sign_in (SdWindow *self,
                   SdStaff  *staff)
{
  gboolean restored = FALSE;

  g_return_if_fail (SD_IS_WINDOW (self));
  g_return_if_fail (SD_IS_STAFF (staff));

  g_set_object (&self->staff, staff);
  start_at_kiosk_shelter (self);
  /* The household this volunteer was typing when signed out, if it was
   * not long ago; never anyone else's. */
  if (self->draft != NULL && g_get_monotonic_time () - self->draft_at > DRAFT_KEPT_US)
    drop_draft (self);
  if (self->draft != NULL && g_strcmp0 (self->draft_staff_id, sd_staff_get_id (staff)) == 0)
    {
      sd_intake_page_restore_draft (self->intake_page, self->draft);
      drop_draft (self);
      restored = TRUE;
    }
  sd_intake_page_set_staff (self->intake_page, staff);
  sd_checkin_page_set_staff (self->checkin_page, staff);
  sd_report_page_set_staff (self->report_page, staff);
  sd_safety_page_set_staff (self->safety_page, staff);
  sd_guide_page_set_staff (self->guide_page, staff);
  sd_support_page_set_staff (self->support_page, staff);
  sd_sync_page_set_staff (self->sync_page, staff);
  apply_role (self);
  update_header (self);
  gtk_stack_set_visible_child_name (self->desk_stack, restored && desk_allowed (self, "intake") ? "intake" : "home");
  update_players (self);
  show_main (self, "desks");
  focus_desk (self);
  if (restored)
    show_toast (self, _("The household you were typing is back on Intake."));
  self->last_activity = g_get_monotonic_time ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_DESK]);
}

static void
signed_in_cb (SdWindow *self,
              SdStaff  *staff)
{
  sd_window_sign_in (self, staff);
}

/* Back to the start, with nothing of the last person left on screen:
 * what they were typing on Intake is kept aside for them alone. */
/* Every window a desk opened over this one (a record, a duplicate to
 * compare, a card, a history): they show the last person's work. */
static void
close_transients (SdWindow *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      GtkWindow *window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WINDOW (self) && gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        g_ptr_array_add (open, window);
      else
        g_object_unref (window);
    }
  for (guint i = 0; i < open->len; i++)
    gtk_window_destroy (g_ptr_array_index (open, i));
}

static void
reset (SdWindow *self)
{
  close_transients (self);
  if (self->staff != NULL)
    {
      SdIntakeDraft *draft = sd_intake_page_take_draft (self->intake_page);

      if (draft != NULL)
        {
          drop_draft (self);
          self->draft = draft;
          self->draft_staff_id = g_strdup (sd_staff_get_id (self->staff));
          self->draft_at = g_get_monotonic_time ();
        }
    }
  g_clear_object (&self->staff);
  sd_intake_page_set_staff (self->intake_page, NULL);
  sd_checkin_page_set_staff (self->checkin_page, NULL);
  sd_report_page_set_staff (self->report_page, NULL);
  sd_report_page_reset (self->report_page);
  sd_safety_page_reset (self->safety_page);
  /* A change to the guide not saved yet is saved for the one who typed it. */
  sd_guide_page_set_staff (self->guide_page, NULL);
  sd_guide_page_reset (self->guide_page);
  sd_support_page_reset (self->support_page);
  sd_sync_page_set_staff (self->sync_page, NULL);
  sd_sync_page_reset (self->sync_page);
  sd_intake_page_reset (self->intake_page);
  sd_checkin_page_reset (self->checkin_page);
  sd_enquiry_page_reset (self->enquiry_page);
  apply_role (self);
  update_header (self);
  sd_signin_page_reset (self->signin_page);
  gtk_stack_set_visible_child_name (self->desk_stack, "home");
  update_players (self);
  show_main (self, "signin");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_DESK]);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  reset (SD_WINDOW (widget));
}

/**
 * sd_window_sign_in_demo:
 *
 * On a database made from the demo seeds (and only there), signs in as
 * its first shelter lead without a PIN, so a newcomer sees the desk at once.
 */
gboolean
sd_window_sign_in_demo (SdWindow  *self,
                        GError   **error)
{
  g_autoptr(GListModel) staff = NULL;

  g_return_val_if_fail (SD_IS_WINDOW (self), FALSE);

  if (!sd_store_get_is_demo (self->store))
    {
      g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_NOT_ALLOWED,
                   _("Signing in without a PIN is only for the demo database."));
      return FALSE;
    }
  staff = sd_store_list_staff (self->store, error);
  if (staff == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr(SdStaff) member = g_list_model_get_item (staff, i);

      if (sd_staff_get_role (member) == SD_ROLE_LEAD)
        {
          sd_window_sign_in (self, member);
          return TRUE;
        }
    }
  g_set_error (error, SD_AUTH_ERROR, SD_AUTH_ERROR_UNKNOWN_STAFF, _("The demo has no shelter lead."));
  return FALSE;
}

/* ---- kiosk ---- */

static void
unlocked_cb (SdWindow *self,
             SdStaff  *staff)
{
  self->unlocked = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static void
leave_kiosk_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdWindow *self = SD_WINDOW (widget);
  SdUnlockDialog *dialog;

  if (!self->kiosk)
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  dialog = sd_unlock_dialog_new (GTK_WINDOW (self), self->store);
  g_signal_connect_object (dialog, "unlocked", G_CALLBACK (unlocked_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
sd_window_close_request (GtkWindow *window)
{
  SdWindow *self = SD_WINDOW (window);

  if (self->kiosk && !self->unlocked)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.leave-kiosk", NULL);
      return TRUE;  /* stay open until a lead unlocks */
    }
  /* A change to the shelter guide not saved yet is not lost with the window. */
  if (self->staff != NULL)
    sd_guide_page_save_what_can_be (self->guide_page);
  return GTK_WINDOW_CLASS (sd_window_parent_class)->close_request (window);
}

static gboolean
activity_cb (GtkEventControllerLegacy *controller,
             GdkEvent                 *event,
             SdWindow                 *self)
{
  self->last_activity = g_get_monotonic_time ();
  if (gtk_revealer_get_reveal_child (self->idle_banner))
    gtk_revealer_set_reveal_child (self->idle_banner, FALSE);
  return GDK_EVENT_PROPAGATE;
}

/* How long before an idle sign-out the volunteer is warned: a quarter of
 * the timeout, at most 30 s (none for a timeout under 4 s). */
static guint
idle_warning_seconds (SdWindow *self)
{
  return MIN (30, self->idle_timeout / 4);
}

static gboolean
idle_check_cb (gpointer user_data)
{
  SdWindow *self = user_data;
  gint64 idle_s = (g_get_monotonic_time () - self->last_activity) / G_USEC_PER_SEC;
  /* Facing evacuees, the desk waits for cards however long it takes. */
  gboolean showing_something = (self->staff != NULL ||
                                g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "signin") != 0) &&
                               !self_service_shown (self);
  gint64 left = (gint64) self->idle_timeout - idle_s;

  if (showing_something && left <= 0)
    {
      g_debug ("Idle for %u s: back to sign-in", self->idle_timeout);
      gtk_revealer_set_reveal_child (self->idle_banner, FALSE);
      reset (self);
    }
  else if (self->staff != NULL && !self_service_shown (self) && left <= (gint64) idle_warning_seconds (self))
    {
      /* A countdown first: what is on screen is not thrown away unseen. */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
        "Nothing has been done for a while: signing out in %d second. Touch the screen or press a key "
        "to go on.",
        "Nothing has been done for a while: signing out in %d seconds. Touch the screen or press a key "
        "to go on.", (gulong) left), (int) left);

      gtk_label_set_text (self->idle_label, text);
      gtk_revealer_set_reveal_child (self->idle_banner, TRUE);
    }
  return G_SOURCE_CONTINUE;
}

/* The countdown before an idle sign-out, or NULL when none is shown. */
const char *
sd_window_get_idle_warning (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return gtk_revealer_get_reveal_child (self->idle_banner) ? gtk_label_get_text (self->idle_label) : NULL;
}

static void
update_idle_source (SdWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->kiosk && self->idle_timeout > 0)
    self->idle_source = g_timeout_add_seconds (1, idle_check_cb, self);
}

void
sd_window_set_idle_timeout (SdWindow *self,
                            guint     seconds)
{
  g_return_if_fail (SD_IS_WINDOW (self));

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  self->last_activity = g_get_monotonic_time ();
  update_idle_source (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/* ---- damage ---- */

/* The rescue command for this very file, for the lead to type as it is. */
static char *
rescue_advice (SdStore *store)
{
  const char *path = sd_store_get_path (store);
  g_autofree char *base = g_str_has_suffix (path, ".sqlite") ? g_strndup (path, strlen (path) - 7)
                                                             : g_strdup (path);
  g_autofree char *rescued = g_strconcat (base, "-rescued.sqlite", NULL);
  g_autofree char *quoted_path = g_shell_quote (path);
  g_autofree char *quoted_rescued = g_shell_quote (rescued);

  return g_strdup_printf (_("ShelterDesk has stopped saving to it, so that the damage spreads no further. "
                            "Everything saved before is still in the file. Call the shelter lead: they make "
                            "a rescued copy with\n\nshelterdesk-cli --db %s rescue --out %s\n\nand start "
                            "the desk on the new file. Until then, write arrivals on paper."),
                          quoted_path, quoted_rescued);
}

static void
damaged_cb (SdWindow *self)
{
  g_autofree char *advice = NULL;

  if (!sd_store_get_damaged (self->store))
    return;
  advice = rescue_advice (self->store);
  adw_status_page_set_description (self->damaged_page, advice);
  /* Nothing a page shows may be relied on, and nothing can be saved. */
  gtk_stack_set_visible_child_name (self->main_stack, "damaged");
  gtk_widget_set_visible (self->sign_out_button, FALSE);
  update_scan_catcher (self);
}

static void
verified_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A damaged file has already said so through SdStore:damaged. */
  if (!sd_store_verify_finish (SD_STORE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_CORRUPT))
    g_message ("The database could not be checked: %s", error->message);
}

/* ---- sending to HQ ---- */

/* A kiosk of a deployment that knows HQ's address sends its changes
 * there whenever HQ answers, for as long as the window is open (the
 * exchanges run in the pusher's worker, never on this thread).  The
 * CA file, when HQ's certificate is its own, is the hq-tls-ca setting.
 * When the Sync desk saves another address (or none), the pusher is
 * replaced at once: restart_pusher(). */
static void
stop_pusher (SdWindow *self)
{
  if (self->pusher == NULL)
    return;
  /* An exchange under way is cancelled; a batch HQ never answered is
   * taken back as unsent by the client, so nothing is lost. */
  sd_sync_pusher_stop (self->pusher);
  sd_sync_page_set_pusher (self->sync_page, NULL);
  g_clear_object (&self->pusher);
}

static void
start_pusher (SdWindow *self)
{
  g_autoptr(SdSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *ca = NULL;

  if (sd_store_get_damaged (self->store) || sd_store_get_read_only (self->store) ||
      sd_sync_get_role (self->store) != SD_SYNC_ROLE_KIOSK ||
      (url = sd_sync_get_hq_url (self->store)) == NULL || *url == '\0')
    return;
  if ((client = sd_sync_client_new (url, &error)) == NULL)
    {
      g_message ("Changes are not sent to HQ by themselves: %s", error->message);
      return;
    }
  ca = g_settings_get_string (self->settings, "hq-tls-ca");
  if (ca != NULL && *ca != '\0' && !sd_sync_client_set_tls_ca_file (client, ca, &error))
    {
      g_message ("Changes are not sent to HQ by themselves: %s", error->message);
      return;
    }
  self->pusher = sd_sync_pusher_new (self->store, client);
  sd_sync_page_set_pusher (self->sync_page, self->pusher);
  sd_sync_pusher_start (self->pusher);
}

static void
restart_pusher (SdWindow *self)
{
  stop_pusher (self);
  start_pusher (self);
}

/* ---- GObject ---- */

static void
sd_window_constructed (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  G_OBJECT_CLASS (sd_window_parent_class)->constructed (object);

  sd_signin_page_set_store (self->signin_page, self->store);
  sd_shelters_page_set_store (self->shelters_page, self->store);
  sd_intake_page_set_store (self->intake_page, self->store);
  sd_checkin_page_set_store (self->checkin_page, self->store);
  sd_enquiry_page_set_store (self->enquiry_page, self->store);
  sd_report_page_set_store (self->report_page, self->store);
  sd_safety_page_set_store (self->safety_page, self->store);
  sd_guide_page_set_store (self->guide_page, self->store);
  sd_support_page_set_store (self->support_page, self->store);
  sd_sync_page_set_store (self->sync_page, self->store);
  /* An exercise: what this desk writes is stamped in exercise time, as
   * the engine's records are; the facilitator's console and the
   * players' strip are shown. */
  if (sd_store_get_is_exercise (self->store))
    {
      sd_exercise_follow_clock (self->store);
      sd_exercise_page_set_store (self->exercise_page, self->store);
    }
  sd_inject_strip_set_store (self->inject_strip, self->store);
  {
    SdShelterPicker *pickers[] = { sd_intake_page_get_shelter_picker (self->intake_page),
                                   sd_checkin_page_get_shelter_picker (self->checkin_page),
                                   sd_report_page_get_shelter_picker (self->report_page) };

    for (guint i = 0; i < G_N_ELEMENTS (pickers); i++)
      g_signal_connect_object (pickers[i], "notify::shelter-id", G_CALLBACK (update_players), self,
                               G_CONNECT_SWAPPED);
  }
  apply_role (self);
  update_header (self);
  /* The file's mark never changes; the band steps aside only while the
   * players' strip stands for it. */
  update_exercise_band (self);
  g_signal_connect_object (self->inject_strip, "notify::showing", G_CALLBACK (update_exercise_band), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect_swapped (self->flap, "notify::folded", G_CALLBACK (folded_cb), self);

  {
    GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

    self->settings = SD_IS_APPLICATION (app) ? g_object_ref (sd_application_get_settings (SD_APPLICATION (app)))
                                             : sd_settings_open ();
  }
  sd_display_follow (self->settings);
  sd_display_add_actions (G_ACTION_MAP (self), self->settings);
  self->scan_catcher = sd_scan_catcher_new (GTK_WIDGET (self));
  g_signal_connect_swapped (self->scan_catcher, "scanned", G_CALLBACK (scanned_cb), self);
  g_signal_connect_swapped (self->checkin_page, "prereg-scanned", G_CALLBACK (prereg_scanned_cb), self);
  g_signal_connect_swapped (self->checkin_page, "answered", G_CALLBACK (answered_cb), self);
  self->self_service = sd_self_service_page_new ();
  sd_self_service_page_set_settings (self->self_service, self->settings);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->self_service), "self-service");
  g_signal_connect_swapped (self->settings, "changed::serial-scanner", G_CALLBACK (settings_changed_cb), self);
  g_signal_connect_swapped (self->settings, "changed::scan-key-gap", G_CALLBACK (settings_changed_cb), self);
  settings_changed_cb (self);
  update_scan_catcher (self);
  sd_sync_page_set_settings (self->sync_page, self->settings);
  g_signal_connect_swapped (self->sync_page, "hq-address-changed", G_CALLBACK (restart_pusher), self);
  start_pusher (self);

  /* Damage found by any page's read, or by the whole-file check that
   * runs once the desk is up, stops the desk on a page that says so. */
  g_signal_connect_swapped (self->store, "notify::damaged", G_CALLBACK (damaged_cb), self);
  self->verify_cancellable = g_cancellable_new ();
  sd_store_verify_async (self->store, self->verify_cancellable, verified_cb, NULL);
  damaged_cb (self);
  /* The write-ahead log is copied into the file when nobody is saving,
   * not inside somebody's Ctrl+S. */
  sd_store_set_idle_checkpoint (self->store, 2);

  if (self->kiosk)
    {
      gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
      gtk_window_fullscreen (GTK_WINDOW (self));
    }
  gtk_widget_set_visible (self->leave_button, self->kiosk);
  update_idle_source (self);
}

static void
sd_window_dispose (GObject *object)
{
  SdWindow *self = SD_WINDOW (object);

  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->folded_idle, g_source_remove);
  drop_draft (self);
  g_cancellable_cancel (self->verify_cancellable);
  g_clear_object (&self->verify_cancellable);
  stop_pusher (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  /* The desks' shelter pickers say when they change; not to a window
   * half gone. */
  if (self->intake_page != NULL)
    {
      g_signal_handlers_disconnect_by_data (sd_intake_page_get_shelter_picker (self->intake_page), self);
      g_signal_handlers_disconnect_by_data (sd_checkin_page_get_shelter_picker (self->checkin_page), self);
      g_signal_handlers_disconnect_by_data (sd_report_page_get_shelter_picker (self->report_page), self);
    }
  g_clear_object (&self->scan_catcher);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_WINDOW);
  g_clear_object (&self->staff);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (sd_window_parent_class)->dispose (object);
}

static void
sd_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  SdWindow *self = SD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE: g_value_set_object (value, self->store); break;
    case PROP_KIOSK: g_value_set_boolean (value, self->kiosk); break;
    case PROP_STAFF: g_value_set_object (value, self->staff); break;
    case PROP_IDLE_TIMEOUT: g_value_set_uint (value, self->idle_timeout); break;
    case PROP_VISIBLE_DESK: g_value_set_string (value, sd_window_get_visible_desk (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  SdWindow *self = SD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE: self->store = g_value_dup_object (value); break;
    case PROP_KIOSK: self->kiosk = g_value_get_boolean (value); break;
    case PROP_IDLE_TIMEOUT: sd_window_set_idle_timeout (self, g_value_get_uint (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_window_class_init (SdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = sd_window_constructed;
  object_class->dispose = sd_window_dispose;
  object_class->get_property = sd_window_get_property;
  object_class->set_property = sd_window_set_property;
  window_class->close_request = sd_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SD_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF] =
    g_param_spec_object ("staff", NULL, NULL, SD_TYPE_STAFF,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, 3600, 120,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VISIBLE_DESK] =
    g_param_spec_string ("visible-desk", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SD_TYPE_SIGNIN_PAGE);
  g_type_ensure (SD_TYPE_SHELTERS_PAGE);
  g_type_ensure (SD_TYPE_INTAKE_PAGE);
  g_type_ensure (SD_TYPE_CHECKIN_PAGE);
  g_type_ensure (SD_TYPE_ENQUIRY_PAGE);
  g_type_ensure (SD_TYPE_REPORT_PAGE);
  g_type_ensure (SD_TYPE_SAFETY_PAGE);
  g_type_ensure (SD_TYPE_GUIDE_PAGE);
  g_type_ensure (SD_TYPE_SUPPORT_PAGE);
  g_type_ensure (SD_TYPE_EXERCISE_PAGE);
  g_type_ensure (SD_TYPE_SYNC_PAGE);
  g_type_ensure (SD_TYPE_INJECT_STRIP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sign_out_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, idle_banner);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, idle_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, desks_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, leave_button);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, exercise_banner);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, exercise_label);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, damaged_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, desk_stack);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, signin_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, shelters_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, intake_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, checkin_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, enquiry_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, report_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, safety_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, guide_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, support_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, exercise_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, sync_page);
  gtk_widget_class_bind_template_child (widget_class, SdWindow, inject_strip);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, desk_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, activity_cb);

  gtk_widget_class_install_action (widget_class, "win.show-desk", "s", show_desk_action);
  gtk_widget_class_install_action (widget_class, "win.show-desk-number", "i", show_desk_number_action);
  gtk_widget_class_install_action (widget_class, "win.demo-scan", "s", demo_scan_action);
  gtk_widget_class_install_action (widget_class, "win.self-service", NULL, self_service_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.leave-kiosk", NULL, leave_kiosk_action);

  /* Keyboard-complete: Ctrl+0 home, Ctrl+1..9 the desks in sidebar order. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.show-desk", "s", "home");
  /* Ctrl+N is the N-th desk the sidebar shows (a lead's eighth is Sync). */
  for (int n = 1; n <= MIN (SD_N_DESKS, 9); n++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + n, GDK_CONTROL_MASK,
                                         "win.show-desk-number", "i", n);
  gtk_widget_class_install_action (widget_class, "win.toggle-desks", NULL, toggle_desks_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, 0, "win.toggle-desks", NULL);
}

static void
sd_window_init (SdWindow *self)
{
  g_autofree char *exercise = sd_exercise_mark_text ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->last_activity = g_get_monotonic_time ();
  /* The same words as on paper and in the CSV files; a screen reader
   * meets them as the window's banner. */
  gtk_label_set_text (self->exercise_label, exercise);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->exercise_label), GTK_ACCESSIBLE_PROPERTY_LABEL, exercise, -1);
}

SdWindow *
sd_window_new (SdApplication *app,
               SdStore       *store,
               gboolean       kiosk)
{
  return g_object_new (SD_TYPE_WINDOW,
                       "application", app,
                       "store", store,
                       "kiosk", kiosk,
                       NULL);
}

SdStore *
sd_window_get_store (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return self->store;
}

SdStaff *
sd_window_get_staff (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return self->staff;
}

gboolean
sd_window_get_kiosk (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), FALSE);
  return self->kiosk;
}

/* The desk on screen ("home", "intake", …), or NULL on the sign-in page. */
const char *
sd_window_get_visible_desk (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);

  if (self->staff == NULL)
    return NULL;
  return gtk_stack_get_visible_child_name (self->desk_stack);
}

SdSigninPage *
sd_window_get_signin_page (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return self->signin_page;
}

GtkWidget *
sd_window_get_self_service (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->self_service);
}

GtkWidget *
sd_window_get_desk_page (SdWindow   *self,
                         const char *desk)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->desk_stack, desk);
}

/* The band that says the database is an exercise's (the players' strip's
 * tag while it shows): NULL on a live database. */
GtkWidget *
sd_window_get_exercise_band (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  if (sd_inject_strip_get_showing (self->inject_strip))
    return sd_inject_strip_get_band (self->inject_strip);
  return gtk_revealer_get_reveal_child (self->exercise_banner) ? GTK_WIDGET (self->exercise_label) : NULL;
}

const char *
sd_window_get_visible_page (SdWindow *self)
{
  g_return_val_if_fail (SD_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->main_stack);
}
