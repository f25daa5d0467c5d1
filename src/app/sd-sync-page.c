/* sd-sync-page.c: the Sync desk: what waits and what came, batches by USB stick, sites, conflicts, duplicates.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For shelter leads and HQ.  What the page shows is the sync core's own
 * account (sd_sync_status_json, the conflicts and duplicates lists: the
 * JSON `shelterdesk-cli sync status --json` prints), read again whenever
 * the store changes while the page is on screen.
 *
 * Exports and imports run in a worker thread on a store of their own
 * (sd-sync-exchange.c); when one is done, the desk's store is told what
 * it wrote, so that each open desk (Check-in, the shelter list) shows
 * the new people without a restart.  Meanwhile a progress bar moves and
 * the exchange can be stopped; what each file did is then listed.
 *
 * Enrolment (HQ).  A batch from a kiosk HQ does not know is refused; its
 * row offers to enrol the kiosk.  The dialog shows the key fingerprint
 * the batch was signed with and asks the person to type the one the
 * kiosk's own screen shows: only when the two are the same is the batch
 * imported again, with that fingerprint (sd_sync_import_file's ENROL).
 */
#include "sd-sync-page.h"
#include "sd-hq-address-dialog.h"
#include "sd-json-item.h"
#include "sd-reflow-box.h"
#include "sd-save-folder.h"
#include "sd-sync.h"
#include "sd-sync-exchange.h"
#include "sd-sync-pusher.h"
#include "sd-toast.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

struct _SdSyncPage
{
  GtkWidget       parent_instance;

  /* Template Widgets */
  GtkStack       *state_stack;
  GtkLabel       *bundle_command_label;
  GtkLabel       *enrol_command_label;
  GtkLabel       *identity_label;
  GtkLabel       *fingerprint_caption;
  GtkLabel       *fingerprint_label;
  AdwViewStack   *view_stack;
  GtkFlowBox     *tiles_box;
  GtkLabel       *waiting_value;
  GtkLabel       *waiting_detail;
  GtkLabel       *received_value;
  GtkLabel       *received_detail;
  GtkWidget      *conflicts_tile;
  GtkLabel       *conflicts_value;
  GtkWidget      *duplicates_tile;
  GtkLabel       *duplicates_value;
  GtkLabel       *gaps_value;
  GtkLabel       *clocks_value;
  GtkLabel       *parents_value;
  GtkListBox     *notes_box;
  GtkDropDown    *to_dropdown;
  GtkRevealer    *progress_revealer;
  GtkProgressBar *progress_bar;
  GtkLabel       *message_label;
  GtkListBox     *results_box;
  GtkListBox     *peers_box;
  GtkListBox     *conflicts_box;
  GtkListBox     *duplicates_box;
  GtkWidget      *hq_section;
  GtkLabel       *hq_state_label;
  GtkLabel       *hq_detail_label;
  GtkWidget      *hq_send_button;

  /* Owned References */
  SdStore        *store;
  SdStaff        *staff;
  GListStore     *notes;        /* of SdJsonItem: gaps and clocks, with what to do */
  GListStore     *results;      /* of SdJsonItem: one per file of the last exchange */
  GListStore     *peers;        /* of SdJsonItem */
  GListStore     *conflicts;    /* of SdJsonItem */
  GListStore     *duplicates;   /* of SdJsonItem */
  GPtrArray      *destinations; /* the export target behind each item of to_dropdown */
  GCancellable   *exchange_cancellable;
  char           *message;
  SdSyncPusher   *pusher;       /* a kiosk sending to HQ by itself, or NULL */
  GSettings      *settings;     /* hq-tls-ca, set with HQ's address */
  char           *hq_url;       /* a kiosk's address of HQ, as last read, or NULL */

  /* Borrowed References */
  SdSyncExchange *exchange;     /* the running one, while it runs */

  SdSyncRole      role;
  guint           refresh_idle;
  guint           progress_source;
  guint           hq_tick;      /* counts the next attempt down while a pusher is set */
  gboolean        stale;        /* the store changed while the page was not shown */
  gboolean        disposed;
};

G_DEFINE_FINAL_TYPE (SdSyncPage, sd_sync_page, GTK_TYPE_WIDGET)

enum {
  HQ_ADDRESS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- words ---- */

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) when = NULL;

  if (ms <= 0)
    return g_strdup (_("never"));
  when = g_date_time_new_from_unix_local (ms / 1000);
  /* Translators: a date and time on the Sync desk, as strftime() writes it */
  return g_date_time_format (when, _("%Y-%m-%d %H:%M"));
}

/* How long MS milliseconds are, roughly, as a person says it. */
static char *
format_duration (gint64 ms)
{
  gint64 minutes = MAX (ms, 0) / 60000;

  if (minutes < 60)
    return g_strdup_printf (ngettext ("%d minute", "%d minutes", (gulong) minutes), (int) minutes);
  if (minutes < 48 * 60)
    return g_strdup_printf (ngettext ("%d hour", "%d hours", (gulong) (minutes / 60)), (int) (minutes / 60));
  return g_strdup_printf (ngettext ("%d day", "%d days", (gulong) (minutes / 1440)), (int) (minutes / 1440));
}

static char *
format_ago (gint64 ms)
{
  g_autofree char *duration = NULL;

  if (ms <= 0)
    return g_strdup (_("never"));
  if (g_get_real_time () / 1000 - ms < 60000)
    return g_strdup (_("just now"));
  duration = format_duration (g_get_real_time () / 1000 - ms);
  /* Translators: "3 hours ago" */
  return g_strdup_printf (_("%s ago"), duration);
}

static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

/* A value two sites disagreed on, as a person reads it. */
static char *
format_value (const json_t *value)
{
  if (value == NULL || json_is_null (value))
    return g_strdup (_("(empty)"));
  if (json_is_string (value))
    return *json_string_value (value) ? g_strdup (json_string_value (value)) : g_strdup (_("(empty)"));
  if (json_is_integer (value))
    return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_integer_value (value));
  if (json_is_real (value))
    return g_strdup_printf ("%g", json_real_value (value));
  if (json_is_boolean (value))
    return g_strdup (json_is_true (value) ? _("yes") : _("no"));
  return sd_json_to_compact (value);
}

static const char *
table_label (const char *table)
{
  static const struct { const char *table; const char *label; } tables[] = {
    { "persons", N_("Person") },
    { "households", N_("Household") },
    { "person_events", N_("Arrival or departure") },
    { "shelters", N_("Shelter") },
    { "shelter_conditions", N_("Shelter condition") },
    { "staff", N_("Staff member") },
    { "support_persons", N_("Support list") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (g_strcmp0 (tables[i].table, table) == 0)
      return _(tables[i].label);
  return table;
}

static const char *
field_label (const char *field)
{
  static const struct { const char *field; const char *label; } fields[] = {
    { "name", N_("Name") },
    { "kana", N_("Kana") },
    { "birth_date", N_("Birth date") },
    { "sex", N_("Sex") },
    { "address", N_("Address") },
    { "phone", N_("Phone") },
    { "consent_disclose", N_("Consent to tell enquirers") },
    { "allergies", N_("Allergies") },
    { "illness", N_("Illness and medication") },
    { "pregnant", N_("Pregnant") },
    { "disability", N_("Disability") },
    { "care_level", N_("Care level") },
    { "mobility", N_("Mobility aids") },
    { "language", N_("Language") },
    { "household_id", N_("Household") },
    { "stay", N_("Where they stay") },
    { "vehicle_plate", N_("Vehicle plate") },
    { "house_damage", N_("House damage") },
    { "pets", N_("Pets") },
    { "capacity", N_("Capacity") },
    { "is_open", N_("Open") },
    { "role", N_("Role") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].field, field) == 0)
      return _(fields[i].label);
  return field;
}

/* ---- the message line ---- */

static void
set_message (SdSyncPage *self,
             const char *message,
             gboolean    is_error)
{
  g_free (self->message);
  self->message = g_strdup (message);
  sd_toast_set_message (self->message_label, GTK_WIDGET (self), message, is_error);
}

/* ---- rows ---- */

static GtkWidget *
new_row (void)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

static GtkWidget *
new_row_box (GtkWidget *row)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_widget_set_margin_start (box, 14);
  gtk_widget_set_margin_end (box, 14);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return box;
}

static GtkWidget *
add_label (GtkWidget  *box,
           const char *markup,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

/* A button for ACTION in a row; its accessible name says which row it
 * acts on, since every row has one of the same words. */
static GtkWidget *
add_button (GtkWidget  *box,
            const char *label,
            const char *accessible_name,
            const char *action,
            GVariant   *target)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name, -1);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static GtkWidget *
new_button_box (GtkWidget *box)
{
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (box), buttons);
  return buttons;
}

static gboolean
can_administer (SdSyncPage *self)
{
  return self->role == SD_SYNC_ROLE_HQ && self->staff != NULL && sd_staff_get_role (self->staff) == SD_ROLE_HQ;
}

static GtkWidget *
create_note_row (gpointer item,
                 gpointer user_data)
{
  GtkWidget *row = new_row ();
  g_autofree char *text = g_markup_escape_text (sd_json_item_get_string (item, "text"), -1);

  add_label (new_row_box (row), text, "warning");
  return row;
}

static const char *
result_title (const char *result,
              const char **css_class)
{
  static const struct { const char *result; const char *title; const char *css_class; } titles[] = {
    { "imported", N_("Imported"), "success" },
    { "already-imported", N_("Imported before"), NULL },
    { "not-for-here", N_("For another site"), NULL },
    { "unknown-sender", N_("Kiosk not enrolled"), "warning" },
    { "refused", N_("Refused"), "error" },
    { "cancelled", N_("Stopped"), "warning" },
    { "exported", N_("Written"), "success" },
    { "export-failed", N_("Not written"), "error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (titles[i].result, result) == 0)
      {
        *css_class = titles[i].css_class;
        return _(titles[i].title);
      }
  *css_class = "error";
  return result;
}

/* Adds SENTENCE (taken) to TEXT. */
static void
append_sentence (GString *text,
                 char    *sentence)
{
  g_string_append_c (text, ' ');
  g_string_append (text, sentence);
  g_free (sentence);
}

/* What one file of an exchange did, in words a lead can act on. */
static char *
result_text (SdJsonItem *item)
{
  const char *result = sd_json_item_get_string (item, "result");
  const char *from = sd_json_item_get_string (item, "from_name");
  GString *text = g_string_new (NULL);

  if (g_strcmp0 (result, "imported") == 0)
    {
      gint64 applied = sd_json_item_get_int (item, "applied");
      gint64 had = applied > 0 ? sd_json_item_get_int (item, "already_had") : 0;
      gint64 waiting = sd_json_item_get_int (item, "waiting");
      gint64 conflicts = sd_json_item_get_int (item, "conflicts");
      gint64 duplicates = sd_json_item_get_int (item, "duplicates");
      gint64 clamped = sd_json_item_get_int (item, "clamped");

      if (sd_json_item_get_bool (item, "enrolled"))
        g_string_append_printf (text, _("“%s” is enrolled at this HQ. "), from);
      if (applied > 0)
        g_string_append_printf (text, ngettext ("%d new change from “%s” is stored.",
                                                "%d new changes from “%s” are stored.", (gulong) applied),
                                (int) applied, from);
      else
        g_string_append_printf (text, _("Nothing new from “%s”: this site had all of it already."), from);
      if (had > 0)
        append_sentence (text, g_strdup_printf (ngettext ("%d change in it was here already.",
                                                          "%d changes in it were here already.", (gulong) had),
                                                (int) had));
      if (waiting > 0)
        append_sentence (text, g_strdup_printf (ngettext ("%d record waits for its household or person, still to "
                                                          "come.",
                                                          "%d records wait for their household or person, still "
                                                          "to come.", (gulong) waiting),
                                                (int) waiting));
      if (conflicts > 0)
        append_sentence (text, g_strdup_printf (ngettext ("%d new conflict to review.",
                                                          "%d new conflicts to review.", (gulong) conflicts),
                                                (int) conflicts));
      if (duplicates > 0)
        append_sentence (text, g_strdup_printf (ngettext ("%d new possible duplicate to review.",
                                                          "%d new possible duplicates to review.",
                                                          (gulong) duplicates),
                                                (int) duplicates));
      if (clamped > 0)
        append_sentence (text, g_strdup_printf (ngettext ("%d change came from a clock more than 10 minutes "
                                                          "ahead: set that site’s clock right.",
                                                          "%d changes came from a clock more than 10 minutes "
                                                          "ahead: set that site’s clock right.", (gulong) clamped),
                                                (int) clamped));
      if (sd_json_item_get_bool (item, "chain_broken"))
        append_sentence (text, g_strdup (_("A batch that site made before this one never arrived here.")));
    }
  else if (g_strcmp0 (result, "already-imported") == 0)
    g_string_append_printf (text, _("This batch from “%s” was imported before: nothing changed."), from);
  else if (g_strcmp0 (result, "exported") == 0)
    {
      gint64 operations = sd_json_item_get_int (item, "operations");
      g_autofree char *size = g_format_size (sd_json_item_get_int (item, "bytes"));

      g_string_append_printf (text, ngettext ("%d change for “%s” (%s).", "%d changes for “%s” (%s).",
                                              (gulong) operations),
                              (int) operations, sd_json_item_get_string (item, "to_name"), size);
    }
  else if (g_strcmp0 (result, "cancelled") == 0)
    g_string_append (text, _("Stopped before it was finished: nothing of it was written."));
  else
    g_string_append (text, sd_json_item_get_string (item, "message"));
  return g_string_free (text, FALSE);
}

static GtkWidget *
create_result_row (gpointer item,
                   gpointer user_data)
{
  SdSyncPage *self = user_data;
  GtkWidget *row = new_row ();
  GtkWidget *box = new_row_box (row);
  const char *result = sd_json_item_get_string (item, "result");
  const char *css_class = NULL;
  const char *title = result_title (result, &css_class);
  GtkWidget *heading = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autofree char *title_markup = g_markup_printf_escaped ("<b>%s</b>", title);
  g_autofree char *file = g_markup_escape_text (sd_json_item_get_string (item, "file"), -1);
  g_autofree char *text = result_text (item);
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  /* The verdict in its colour, then the file it is about. */
  gtk_box_append (GTK_BOX (box), heading);
  add_label (heading, title_markup, css_class);
  gtk_widget_set_hexpand (add_label (heading, file, NULL), TRUE);
  add_label (box, escaped, NULL);
  if (g_strcmp0 (result, "unknown-sender") == 0 && sd_json_item_get_string (item, "fingerprint") != NULL &&
      can_administer (self))
    {
      g_autofree char *name = g_strdup_printf (_("Enrol the kiosk that made %s"),
                                               sd_json_item_get_string (item, "file"));

      add_button (new_button_box (box), _("Compare and enrol…"), name, "sync.enrol",
                  g_variant_new_string (sd_json_item_get_string (item, "path")));
    }
  return row;
}

static GtkWidget *
create_peer_row (gpointer item,
                 gpointer user_data)
{
  SdSyncPage *self = user_data;
  GtkWidget *row = new_row ();
  GtkWidget *outer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  const char *name = sd_json_item_get_string (item, "name");
  gboolean hq = g_strcmp0 (sd_json_item_get_string (item, "role"), "hq") == 0;
  gboolean revoked = sd_json_item_get_bool (item, "revoked");
  gint64 waiting = sd_json_item_get_int (item, "waiting");
  g_autofree char *heard = format_time (sd_json_item_get_int (item, "last_received_at"));
  g_autofree char *sent = format_time (sd_json_item_get_int (item, "last_sent_at"));
  g_autofree char *heading = g_markup_printf_escaped ("<b>%s</b>  %s%s", name, hq ? _("HQ") : _("Kiosk"),
                                                      revoked ? _(" — revoked: its batches are refused") : "");
  g_autofree char *fingerprint = g_markup_printf_escaped (_("Key fingerprint: <tt><b>%s</b></tt>"),
                                                          sd_json_item_get_string (item, "fingerprint"));
  g_autofree char *contact = g_markup_printf_escaped (_("Last batch from it: %s · Last batch sent to it: %s"),
                                                      heard, sent);
  g_autofree char *waits = NULL;

  gtk_widget_set_margin_start (outer, 14);
  gtk_widget_set_margin_end (outer, 14);
  gtk_widget_set_margin_top (outer, 10);
  gtk_widget_set_margin_bottom (outer, 10);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (outer), box);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), outer);

  add_label (box, heading, revoked ? "error" : NULL);
  add_label (box, fingerprint, NULL);
  add_label (box, contact, NULL);
  if (waiting > 0)
    {
      g_autofree char *since = format_time (sd_json_item_get_int (item, "waiting_since"));

      waits = g_markup_printf_escaped (ngettext ("It lacks %d change this site holds, the oldest from %s.",
                                                 "It lacks %d changes this site holds, the oldest from %s.",
                                                 (gulong) waiting), (int) waiting, since);
    }
  else
    waits = g_markup_escape_text (_("It has everything this site holds."), -1);
  add_label (box, waits, "hint");
  if (sd_json_item_get_int (item, "chain_breaks") > 0)
    {
      gint64 breaks = sd_json_item_get_int (item, "chain_breaks");
      g_autofree char *text = g_strdup_printf (ngettext ("%d batch it made never arrived here.",
                                                         "%d batches it made never arrived here.",
                                                         (gulong) breaks), (int) breaks);
      g_autofree char *escaped = g_markup_escape_text (text, -1);

      add_label (box, escaped, "warning");
    }
  if (!hq && !revoked && can_administer (self))
    {
      g_autofree char *accessible = g_strdup_printf (_("Revoke %s"), name);
      GtkWidget *button = add_button (outer, _("Revoke…"), accessible, "sync.revoke",
                                      g_variant_new_string (sd_json_item_get_string (item, "site")));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "destructive-action");
    }
  return row;
}

/* "Person “佐藤 花子” · Phone", for the row of a conflict. */
static char *
conflict_subject (SdSyncPage *self,
                  SdJsonItem *item)
{
  const char *table = sd_json_item_get_string (item, "table");
  const char *field = field_label (sd_json_item_get_string (item, "field"));
  g_autoptr(SdPerson) person = NULL;

  if (g_strcmp0 (table, "persons") == 0 && self->store != NULL)
    person = sd_store_get_person (self->store, sd_json_item_get_string (item, "row_id"), NULL);
  if (person != NULL)
    /* Translators: the subject of a conflict: the person, then the field */
    return g_strdup_printf (_("%s “%s” · %s"), table_label (table), sd_person_get_name (person), field);
  /* Translators: the subject of a conflict: the kind of record, then the field */
  return g_strdup_printf (_("%s · %s"), table_label (table), field);
}

/* Who made one side of a conflict: a site's name, or this site. */
static char *
side_site (SdSyncPage   *self,
           const json_t *side)
{
  const char *site = json_string_value (json_object_get (side, "site"));

  if (self->store != NULL && g_strcmp0 (site, sd_store_get_site_id (self->store)) == 0)
    /* Translators: who made a value in a conflict, when it was this site */
    return g_strdup_printf (_("%s, this site"), sd_store_get_site_name (self->store));
  return g_strdup (json_string_value (json_object_get (side, "name")));
}

static GtkWidget *
create_conflict_row (gpointer item,
                     gpointer user_data)
{
  SdSyncPage *self = user_data;
  GtkWidget *row = new_row ();
  GtkWidget *box = new_row_box (row);
  GtkWidget *buttons;
  json_t *object = sd_json_item_get_object (item);
  json_t *winner = json_object_get (object, "winner");
  json_t *loser = json_object_get (object, "loser");
  gint64 id = sd_json_item_get_int (item, "id");
  g_autofree char *subject = conflict_subject (self, item);
  g_autofree char *won = format_value (json_object_get (winner, "value"));
  g_autofree char *lost = format_value (json_object_get (loser, "value"));
  g_autofree char *won_at = side_site (self, winner);
  g_autofree char *lost_at = side_site (self, loser);
  g_autofree char *heading = g_markup_printf_escaped ("<b>%s</b>", subject);
  g_autofree char *applied = g_markup_printf_escaped (_("Applied: <b>%s</b> (from %s)"), won, won_at);
  g_autofree char *other = g_markup_printf_escaped (_("The other value: <b>%s</b> (from %s)"), lost, lost_at);
  g_autofree char *keep_name = g_strdup_printf (_("Keep “%s” for %s"), won, subject);
  g_autofree char *other_name = g_strdup_printf (_("Keep “%s” for %s instead"), lost, subject);

  add_label (box, heading, NULL);
  add_label (box, applied, NULL);
  add_label (box, other, NULL);
  buttons = new_button_box (box);
  add_button (buttons, _("Keep the applied value"), keep_name, "sync.resolve", g_variant_new ("(xb)", id, FALSE));
  add_button (buttons, _("Keep the other value"), other_name, "sync.resolve", g_variant_new ("(xb)", id, TRUE));
  return row;
}

/* Where a record of a possible duplicate is from, to tell two records
 * of one name apart: the shelter that has them, else their address. */
static char *
record_place (SdSyncPage *self,
              const char *person_id)
{
  g_autoptr(SdPerson) found = NULL;

  if (self->store != NULL)
    found = sd_store_get_person (self->store, person_id, NULL);
  if (found != NULL && sd_person_get_shelter_name (found) != NULL)
    return g_strdup (sd_person_get_shelter_name (found));
  if (found != NULL && sd_person_get_address (found) != NULL)
    return g_strdup (sd_person_get_address (found));
  return g_strdup (_("shelter unknown"));
}

/* One of a possible duplicate: who, born when, living where, the
 * shelter that registered them and the site and time it was done, so a
 * lead knows whom to ask and two records of one shelter differ. */
static char *
person_line (SdSyncPage   *self,
             const json_t *person)
{
  const char *kana = json_string_value (json_object_get (person, "kana"));
  const char *birth = json_string_value (json_object_get (person, "birth_date"));
  const char *address = json_string_value (json_object_get (person, "address"));
  g_autofree char *born = birth ? sd_date_format_era (birth) : NULL;
  g_autoptr(SdPerson) found = NULL;
  g_autofree char *at = NULL, *registered = NULL;
  const char *shelter = NULL, *by;

  if (self->store != NULL)
    found = sd_store_get_person (self->store, json_string_value (json_object_get (person, "id")), NULL);
  if (found != NULL)
    shelter = sd_person_get_shelter_name (found);
  by = json_string_value (json_object_get (person, "registered_by"));
  at = format_time (json_integer_value (json_object_get (person, "registered_at")));
  /* Translators: where and when a record was registered: the site (a
   * kiosk's name, or "this site"), then the date and time */
  registered = g_strdup_printf (_("registered at %s, %s"), by != NULL ? by : _("this site"), at);
  return g_markup_printf_escaped ("<b>%s</b>  %s\n%s · %s · %s\n%s",
                                  json_string_value (json_object_get (person, "name")),
                                  kana ? kana : "", born ? born : _("birth date unknown"),
                                  address ? address : _("no address"), shelter ? shelter : _("shelter unknown"),
                                  registered);
}

/* One record of the pair, and at HQ the button that keeps it and merges
 * the other into it; its accessible name says which record is kept. */
static void
add_duplicate_side (SdSyncPage   *self,
                    GtkWidget    *box,
                    const json_t *keep,
                    const json_t *other)
{
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label;
  const char *keep_id = json_string_value (json_object_get (keep, "id"));
  g_autofree char *line = person_line (self, keep);

  gtk_box_append (GTK_BOX (box), side);
  label = add_label (side, line, NULL);
  gtk_widget_set_hexpand (label, TRUE);
  if (self->role == SD_SYNC_ROLE_HQ)
    {
      g_autofree char *place = record_place (self, keep_id);
      /* Translators: the accessible name of "Merge into this one…": the
       * person's name, then where the record kept is from */
      g_autofree char *name = g_strdup_printf (_("Keep the record of %s at %s and merge the other one into it"),
                                               json_string_value (json_object_get (keep, "name")), place);
      GtkWidget *button = add_button (side, _("Merge into this one…"), name, "sync.merge",
                                      g_variant_new ("(ss)", keep_id,
                                                     json_string_value (json_object_get (other, "id"))));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
    }
}

static GtkWidget *
create_duplicate_row (gpointer item,
                      gpointer user_data)
{
  SdSyncPage *self = user_data;
  GtkWidget *row = new_row ();
  GtkWidget *box = new_row_box (row);
  json_t *a = json_object_get (sd_json_item_get_object (item), "a");
  json_t *b = json_object_get (sd_json_item_get_object (item), "b");
  g_autofree char *name = g_strdup_printf (_("Keep %s and %s apart"), json_string_value (json_object_get (a, "name")),
                                           json_string_value (json_object_get (b, "name")));

  add_duplicate_side (self, box, a, b);
  add_duplicate_side (self, box, b, a);
  add_button (new_button_box (box), _("They are different people"), name, "sync.keep-apart",
              g_variant_new ("(ss)", json_string_value (json_object_get (a, "id")),
                             json_string_value (json_object_get (b, "id"))));
  return row;
}

/* ---- what the page shows ---- */

/* Replaces everything in MODEL by the objects of ARRAY (NULL: nothing). */
static void
fill_model (GListStore   *model,
            const json_t *array)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  size_t i;
  json_t *object;

  json_array_foreach (array, i, object)
    if (json_is_object (object))
      g_ptr_array_add (items, sd_json_item_new (object));
  g_list_store_splice (model, 0, g_list_model_get_n_items (G_LIST_MODEL (model)), items->pdata, items->len);
}

/* Every row made again (which buttons a row has depends on who is signed in). */
static void
rebuild_rows (GListStore *model)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (G_LIST_MODEL (model), i));
  g_list_store_splice (model, 0, n, items->pdata, n);
}

static json_t *
parse_json (const char  *text,
            GError     **error)
{
  return text != NULL ? sd_json_parse (text, strlen (text), 0, error) : NULL;
}

static const char *
site_name (const json_t *status,
           const char   *site)
{
  size_t i;
  json_t *peer;

  json_array_foreach (json_object_get (status, "peers"), i, peer)
    if (g_strcmp0 (json_string_value (json_object_get (peer, "site")), site) == 0)
      return json_string_value (json_object_get (peer, "name"));
  return site;
}

/* When this site last wrote a batch for the sites whose waiting changes
 * the status counts: HQ at a kiosk, every kiosk at HQ. */
static gint64
last_sent_at (SdSyncPage   *self,
              const json_t *status)
{
  gint64 last = 0;
  size_t i;
  json_t *peer;

  json_array_foreach (json_object_get (status, "peers"), i, peer)
    {
      gboolean hq = g_strcmp0 (json_string_value (json_object_get (peer, "role")), "hq") == 0;

      if (!json_is_true (json_object_get (peer, "revoked")) && (self->role == SD_SYNC_ROLE_HQ || hq))
        last = MAX (last, (gint64) json_integer_value (json_object_get (peer, "last_sent_at")));
    }
  return last;
}

static void
fill_tiles (SdSyncPage   *self,
            const json_t *status)
{
  gint64 waiting = json_integer_value (json_object_get (status, "waiting"));
  gint64 since = json_integer_value (json_object_get (status, "waiting_since"));
  gint64 last = json_integer_value (json_object_get (status, "last_import_at"));
  gint64 gaps = 0;
  size_t i;
  json_t *gap;
  g_autofree char *waiting_text = format_count (waiting);
  g_autofree char *received = format_ago (last);
  g_autofree char *received_at = format_time (last);
  g_autofree char *gaps_text = NULL;
  g_autofree char *clocks_text = format_count (json_array_size (json_object_get (status, "clocks_ahead")));
  g_autofree char *conflicts_text = format_count (json_integer_value (json_object_get (status, "conflicts")));
  g_autofree char *duplicates_text = format_count (json_integer_value (json_object_get (status, "duplicates")));
  g_autofree char *parents_text = format_count (json_integer_value (json_object_get (status, "rows_waiting")));

  json_array_foreach (json_object_get (status, "gaps"), i, gap)
    gaps += json_integer_value (json_object_get (gap, "last")) -
            json_integer_value (json_object_get (gap, "first")) + 1;
  gaps_text = format_count (gaps);

  gtk_label_set_text (self->waiting_value, waiting_text);
  if (waiting > 0 && last_sent_at (self, status) > 0 && last_sent_at (self, status) >= since)
    {
      g_autofree char *at = format_time (last_sent_at (self, status));
      /* Translators: under the number of changes waiting, when a batch with them was already written */
      g_autofree char *detail = g_strdup_printf (_("In a batch written %s: they count as received when a batch "
                                                   "from there comes back"), at);

      gtk_label_set_text (self->waiting_detail, detail);
    }
  else if (waiting > 0 && since > 0)
    {
      g_autofree char *at = format_time (since);
      g_autofree char *age = format_ago (since);
      /* Translators: under the number of changes waiting to be sent: since when (how long ago) */
      g_autofree char *detail = g_strdup_printf (_("The oldest since %s (%s)"), at, age);

      gtk_label_set_text (self->waiting_detail, detail);
    }
  else
    gtk_label_set_text (self->waiting_detail, waiting > 0 ? "" : _("Everything has been sent"));
  gtk_label_set_text (self->received_value, received);
  gtk_label_set_text (self->received_detail, last > 0 ? received_at : _("No batch has come yet"));
  gtk_label_set_text (self->gaps_value, gaps_text);
  gtk_label_set_text (self->clocks_value, clocks_text);
  gtk_label_set_text (self->conflicts_value, conflicts_text);
  gtk_label_set_text (self->duplicates_value, duplicates_text);
  gtk_label_set_text (self->parents_value, parents_text);

  /* The two figures that open their lists say so to a screen reader. */
  {
    gint64 conflicts = json_integer_value (json_object_get (status, "conflicts"));
    gint64 duplicates = json_integer_value (json_object_get (status, "duplicates"));
    g_autofree char *conflicts_name = g_strdup_printf (ngettext ("%d conflict to review: show them",
                                                                 "%d conflicts to review: show them",
                                                                 (gulong) conflicts), (int) conflicts);
    g_autofree char *duplicates_name = g_strdup_printf (ngettext ("%d possible duplicate: show them",
                                                                  "%d possible duplicates: show them",
                                                                  (gulong) duplicates), (int) duplicates);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->conflicts_tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    conflicts_name, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->duplicates_tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    duplicates_name, -1);
  }
}

/* The gaps and the clocks that ran ahead, each with what to do. */
static void
fill_notes (SdSyncPage   *self,
            const json_t *status)
{
  g_autoptr(json_t) notes = json_array ();
  size_t i;
  json_t *entry;

  json_array_foreach (json_object_get (status, "gaps"), i, entry)
    {
      g_autofree char *text =
        g_strdup_printf (_("Changes %lld to %lld of “%s” are missing here. They "
                           "come with that site’s next batch, or with any batch that carries them."),
                         (long long) json_integer_value (json_object_get (entry, "first")),
                         (long long) json_integer_value (json_object_get (entry, "last")),
                         site_name (status, json_string_value (json_object_get (entry, "site"))));

      json_array_append_new (notes, json_pack ("{s:s}", "text", text));
    }
  json_array_foreach (json_object_get (status, "clocks_ahead"), i, entry)
    {
      gint64 changes = json_integer_value (json_object_get (entry, "changes"));
      g_autofree char *ahead = format_duration (json_integer_value (json_object_get (entry, "ahead_ms")));
      g_autofree char *text =
        g_strdup_printf (ngettext ("The clock of “%s” ran up to %s ahead of this one (%d change). Its changes "
                                   "may win over later ones: set that site’s clock right.",
                                   "The clock of “%s” ran up to %s ahead of this one (%d changes). Its changes "
                                   "may win over later ones: set that site’s clock right.", (gulong) changes),
                         site_name (status, json_string_value (json_object_get (entry, "site"))), ahead,
                         (int) changes);

      json_array_append_new (notes, json_pack ("{s:s}", "text", text));
    }
  fill_model (self->notes, notes);
  gtk_widget_set_visible (GTK_WIDGET (self->notes_box), json_array_size (notes) > 0);
}

/* Where a batch can go: HQ (from a kiosk) or every kiosk (from HQ),
 * then each kiosk that is not revoked.  Each item's target is what
 * sd_sync_export_to_folder() takes: "hq", the kiosk's name when no other
 * site has it, else its site id, or "" for every kiosk. */
static void
fill_destinations (SdSyncPage   *self,
                   const json_t *status)
{
  g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  const json_t *peers = json_object_get (status, "peers");
  const char *chosen = NULL;
  guint selected = 0;
  size_t i, j;
  json_t *peer, *other;

  if (self->destinations != NULL && gtk_drop_down_get_selected (self->to_dropdown) < self->destinations->len)
    chosen = g_ptr_array_index (self->destinations, gtk_drop_down_get_selected (self->to_dropdown));
  if (self->role == SD_SYNC_ROLE_HQ)
    {
      g_ptr_array_add (targets, g_strdup (""));
      g_ptr_array_add (labels, g_strdup (_("Every kiosk")));
    }
  json_array_foreach (peers, i, peer)
    {
      const char *name = json_string_value (json_object_get (peer, "name"));
      gboolean unique = TRUE;

      if (json_is_true (json_object_get (peer, "revoked")))
        continue;
      if (g_strcmp0 (json_string_value (json_object_get (peer, "role")), "hq") == 0)
        {
          g_ptr_array_insert (targets, 0, g_strdup ("hq"));
          /* Translators: the export target at a kiosk, with HQ's name */
          g_ptr_array_insert (labels, 0, g_strdup_printf (_("HQ (%s)"), name));
          continue;
        }
      json_array_foreach (peers, j, other)
        if (other != peer && g_strcmp0 (json_string_value (json_object_get (other, "name")), name) == 0)
          unique = FALSE;
      g_ptr_array_add (targets, g_strdup (unique ? name : json_string_value (json_object_get (peer, "site"))));
      g_ptr_array_add (labels, g_strdup (name));
    }
  g_ptr_array_add (labels, NULL);

  /* The list is made again only when it changed: not under the finger
   * of someone choosing from it. */
  if (self->destinations != NULL && self->destinations->len == targets->len)
    {
      gboolean same = TRUE;
      GListModel *model = gtk_drop_down_get_model (self->to_dropdown);

      for (guint k = 0; k < targets->len && same; k++)
        same = g_str_equal (g_ptr_array_index (targets, k), g_ptr_array_index (self->destinations, k)) &&
               g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), k), g_ptr_array_index (labels, k)) == 0;
      if (same)
        return;
    }
  for (guint k = 0; k < targets->len; k++)
    if (g_strcmp0 (chosen, g_ptr_array_index (targets, k)) == 0)
      selected = k;
  {
    g_autoptr(GtkStringList) model = gtk_string_list_new ((const char *const *) labels->pdata);

    g_clear_pointer (&self->destinations, g_ptr_array_unref);
    self->destinations = g_steal_pointer (&targets);
    gtk_drop_down_set_model (self->to_dropdown, G_LIST_MODEL (model));
    gtk_drop_down_set_selected (self->to_dropdown, selected);
  }
}

static void
fill_identity (SdSyncPage   *self,
               const json_t *status)
{
  const char *deployment = json_string_value (json_object_get (status, "deployment"));
  g_autofree char *identity = NULL;

  if (self->role == SD_SYNC_ROLE_HQ)
    identity = g_strdup_printf (_("This is the HQ of the deployment “%s”. It enrols kiosks and sends every kiosk "
                                  "what the deployment holds."), deployment);
  else
    identity = g_strdup_printf (_("This is the kiosk “%s” of the deployment “%s”. It sends HQ what it records "
                                  "and receives what the other sites recorded."),
                                sd_store_get_site_name (self->store), deployment);
  gtk_label_set_text (self->identity_label, identity);
  gtk_label_set_text (self->fingerprint_caption,
                      self->role == SD_SYNC_ROLE_HQ
                      ? _("HQ’s key fingerprint:")
                      : _("This kiosk’s key fingerprint (HQ compares it to enrol it):"));
  gtk_label_set_text (self->fingerprint_label, json_string_value (json_object_get (status, "fingerprint")));
}

static void
set_badge (SdSyncPage *self,
           const char *view,
           guint       count)
{
  AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack,
                                                    adw_view_stack_get_child_by_name (self->view_stack, view));

  adw_view_stack_page_set_badge_number (page, count);
  adw_view_stack_page_set_needs_attention (page, count > 0);
}

/* A kiosk's lead (or HQ staff at it) says where HQ is; a volunteer never
 * reaches this desk, and a read-only file takes no address. */
static gboolean
may_set_hq_address (SdSyncPage *self)
{
  SdRole role = self->staff != NULL ? sd_staff_get_role (self->staff) : SD_ROLE_VOLUNTEER;

  return self->role == SD_SYNC_ROLE_KIOSK && self->settings != NULL && self->store != NULL &&
         !sd_store_get_read_only (self->store) && (role == SD_ROLE_LEAD || role == SD_ROLE_HQ);
}

static void
update_actions (SdSyncPage *self)
{
  gboolean busy = self->exchange != NULL;
  gboolean ready = self->store != NULL && self->role != SD_SYNC_ROLE_NONE && !busy &&
                   !sd_store_get_read_only (self->store);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.export", ready && self->destinations != NULL &&
                                                                   self->destinations->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.import-folder", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.import-files", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.enrol", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.revoke", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.resolve", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.keep-apart", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.merge", ready && self->role == SD_SYNC_ROLE_HQ);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.push-now",
                                 self->pusher != NULL &&
                                 sd_sync_pusher_get_state (self->pusher) != SD_SYNC_PUSHER_SENDING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.set-hq-address", may_set_hq_address (self));
}

/* ---- sending to HQ by network ---- */

static void queue_refresh (SdSyncPage *self);

/* The pusher's state in a line, and HQ's address, the last contact and
 * why the last try failed under it. */
static void
update_hq (SdSyncPage *self)
{
  g_autoptr(GString) detail = NULL;
  g_autofree char *state = NULL;
  g_autofree char *contact = NULL;
  g_autoptr(SdSyncClient) client = NULL;
  const char *error;
  gint64 last, next;

  gtk_widget_set_visible (self->hq_section, self->role == SD_SYNC_ROLE_KIOSK);
  gtk_widget_set_visible (self->hq_send_button, self->pusher != NULL);
  if (self->pusher == NULL)
    {
      /* Translators: HQ's receiver, a URL */
      g_autofree char *address = self->hq_url != NULL ? g_strdup_printf (_("HQ’s address: %s"), self->hq_url)
                                                      : g_strdup (_("HQ’s address: not set"));

      gtk_label_set_text (self->hq_state_label,
                          self->hq_url == NULL
                          ? _("Not sending to HQ by network: no address is set. Batches go by USB stick.")
                          : _("Not sending to HQ: this address or HQ’s certificate file cannot be used. Set "
                              "HQ’s address again."));
      gtk_label_set_text (self->hq_detail_label, address);
      update_actions (self);
      return;
    }
  last = sd_sync_pusher_get_last_contact (self->pusher);
  next = sd_sync_pusher_get_next_attempt (self->pusher);
  error = sd_sync_pusher_get_last_error (self->pusher);
  switch (sd_sync_pusher_get_state (self->pusher))
    {
    case SD_SYNC_PUSHER_SENDING:
      state = g_strdup (_("Sending to HQ…"));
      break;
    case SD_SYNC_PUSHER_RETRYING:
      if (next > 0)
        /* Translators: seconds */
        state = g_strdup_printf (_("Waiting: HQ does not answer. Next attempt in %lld s."),
                                 (long long) MAX (0, (next - g_get_real_time () / 1000 + 999) / 1000));
      else
        state = g_strdup (_("Waiting: HQ does not answer."));
      break;
    case SD_SYNC_PUSHER_REFUSED:
      /* Translators: why HQ refused the changes */
      state = g_strdup_printf (_("Refused by HQ: %s"), error != NULL ? error : "");
      error = NULL;
      break;
    case SD_SYNC_PUSHER_IDLE:
      if (sd_sync_pusher_get_waiting (self->pusher) > 0)
        state = g_strdup (_("Changes wait to be sent to HQ."));
      else if (last > 0)
        {
          g_autofree char *ago = format_ago (last);

          /* Translators: "Everything has reached HQ (last contact: 3 minutes ago)." */
          state = g_strdup_printf (_("Everything has reached HQ (last contact: %s)."), ago);
        }
      else
        state = g_strdup (_("Nothing waits to be sent to HQ."));
      break;
    case SD_SYNC_PUSHER_STOPPED:
    default:
      state = g_strdup (_("Not sending to HQ."));
      break;
    }
  gtk_label_set_text (self->hq_state_label, state);

  detail = g_string_new (NULL);
  g_object_get (self->pusher, "client", &client, NULL);
  if (client != NULL)
    /* Translators: HQ's receiver, a URL */
    g_string_append_printf (detail, _("HQ’s address: %s"), sd_sync_client_get_url (client));
  contact = format_ago (last);
  if (detail->len > 0)
    g_string_append_c (detail, '\n');
  /* Translators: "3 minutes ago", "never" */
  g_string_append_printf (detail, _("Last contact with HQ: %s"), contact);
  if (error != NULL && *error != '\0')
    {
      g_string_append_c (detail, '\n');
      g_string_append (detail, error);
    }
  gtk_label_set_text (self->hq_detail_label, detail->str);
  update_actions (self);
}

static gboolean
hq_tick_cb (gpointer data)
{
  SdSyncPage *self = data;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    update_hq (self);
  return G_SOURCE_CONTINUE;
}

static void
pusher_exchanged_cb (SdSyncPage *self)
{
  update_hq (self);
  /* HQ's batch may have brought news, and what waits has changed. */
  queue_refresh (self);
}

static void
show_not_enrolled (SdSyncPage *self)
{
  g_autofree char *quoted = g_shell_quote (sd_store_get_path (self->store));
  g_autofree char *enrol = g_strdup_printf ("shelterdesk-cli --db %s deploy enrol /media/STICK/deployment.bundle",
                                            quoted);

  gtk_label_set_text (self->bundle_command_label,
                      "shelterdesk-cli --db hq.sqlite deploy bundle --out /media/STICK/deployment.bundle");
  gtk_label_set_text (self->enrol_command_label, enrol);
  gtk_stack_set_visible_child_name (self->state_stack, "none");
  g_list_store_remove_all (self->peers);
  g_list_store_remove_all (self->conflicts);
  g_list_store_remove_all (self->duplicates);
}

static void
refresh (SdSyncPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *conflicts_text = NULL;
  g_autofree char *duplicates_text = NULL;
  g_autoptr(json_t) status = NULL;
  g_autoptr(json_t) conflicts = NULL;
  g_autoptr(json_t) duplicates = NULL;

  g_clear_handle_id (&self->refresh_idle, g_source_remove);
  self->stale = FALSE;
  if (self->store == NULL)
    return;
  self->role = sd_sync_get_role (self->store);
  g_free (self->hq_url);
  self->hq_url = self->role == SD_SYNC_ROLE_KIOSK ? sd_sync_get_hq_url (self->store) : NULL;
  update_hq (self);
  if (self->role == SD_SYNC_ROLE_NONE)
    {
      show_not_enrolled (self);
      update_actions (self);
      return;
    }
  status_text = sd_sync_status_json (self->store, &error);
  if (status_text != NULL)
    status = parse_json (status_text, &error);
  if (status != NULL)
    conflicts_text = sd_sync_list_conflicts_json (self->store, FALSE, &error);
  if (conflicts_text != NULL)
    conflicts = parse_json (conflicts_text, &error);
  if (conflicts != NULL)
    duplicates_text = sd_sync_list_duplicates_json (self->store, FALSE, &error);
  if (duplicates_text != NULL)
    duplicates = parse_json (duplicates_text, &error);
  if (duplicates == NULL)
    {
      set_message (self, error != NULL ? error->message : _("The sync status could not be read."), TRUE);
      return;
    }

  gtk_stack_set_visible_child_name (self->state_stack, "deployment");
  fill_identity (self, status);
  fill_tiles (self, status);
  fill_notes (self, status);
  fill_destinations (self, status);
  fill_model (self->peers, json_object_get (status, "peers"));
  fill_model (self->conflicts, conflicts);
  fill_model (self->duplicates, duplicates);
  set_badge (self, "conflicts", json_array_size (conflicts));
  set_badge (self, "duplicates", json_array_size (duplicates));
  update_actions (self);
}

/* Read now if the page is on screen, else when it is shown: a desk
 * nobody opens costs nothing. */
static void
queue_refresh (SdSyncPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    refresh (self);
  else
    self->stale = TRUE;
}

static gboolean
refresh_idle_cb (gpointer data)
{
  SdSyncPage *self = data;

  self->refresh_idle = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Any write changes what waits to be sent: read again once for a burst
 * of changes, and only while the page is on screen. */
static void
store_changed_cb (SdSyncPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->stale = TRUE;
  else if (self->refresh_idle == 0)
    self->refresh_idle = g_idle_add (refresh_idle_cb, self);
}

static void
sd_sync_page_map (GtkWidget *widget)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);

  GTK_WIDGET_CLASS (sd_sync_page_parent_class)->map (widget);
  if (self->stale)
    refresh (self);
  update_hq (self);
}

/* ---- exchanges: export and import in a worker thread ---- */

static gboolean
progress_cb (gpointer data)
{
  SdSyncPage *self = data;
  guint done, total;
  g_autofree char *current = sd_sync_exchange_get_progress (self->exchange, &done, &total);
  g_autofree char *text = NULL;

  if (current == NULL)
    text = g_strdup (_("Looking for batches…"));
  else if (sd_sync_exchange_is_export (self->exchange))
    /* Translators: the progress bar while a batch is written: N of M, for whom */
    text = g_strdup_printf (_("Writing %u of %u: for “%s”"), done + 1, total, current);
  else
    /* Translators: the progress bar while batches are imported: N of M, the file */
    text = g_strdup_printf (_("Importing %u of %u: %s"), done + 1, total, current);
  gtk_progress_bar_set_text (self->progress_bar, text);
  /* One file's progress is not known: the bar moves to show work goes on. */
  if (total <= 1)
    gtk_progress_bar_pulse (self->progress_bar);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, (double) done / total);
  return G_SOURCE_CONTINUE;
}

static void
start_progress (SdSyncPage     *self,
                SdSyncExchange *exchange)
{
  self->exchange = exchange;
  set_message (self, NULL, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  self->progress_source = g_timeout_add (100, progress_cb, self);
  progress_cb (self);
  update_actions (self);
}

/* "2 batches imported, 1 refused": for the message line and the toast. */
static char *
summary (SdSyncExchange *exchange)
{
  static const char *const kinds[] = { "imported", "already-imported", "not-for-here", "refused", "exported",
                                       "export-failed", "cancelled" };
  GPtrArray *rows = sd_sync_exchange_get_rows (exchange);
  guint counts[G_N_ELEMENTS (kinds)] = { 0 };
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  if (rows->len == 0)
    return g_strdup (sd_sync_exchange_is_export (exchange) ? _("No kiosk is enrolled yet: nothing was written.")
                                                           : _("There is no batch (.sdbatch file) to import there."));
  for (guint i = 0; i < rows->len; i++)
    {
      const char *result = json_string_value (json_object_get (g_ptr_array_index (rows, i), "result"));

      if (g_strcmp0 (result, "unknown-sender") == 0)
        result = "refused";
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        counts[k] += g_strcmp0 (result, kinds[k]) == 0;
    }
  if (counts[0] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u batch imported", "%u batches imported", counts[0]),
                                             counts[0]));
  if (counts[1] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u imported before", "%u imported before", counts[1]),
                                             counts[1]));
  if (counts[2] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u for another site", "%u for another site", counts[2]),
                                             counts[2]));
  if (counts[3] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u refused", "%u refused", counts[3]), counts[3]));
  if (counts[4] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u batch written", "%u batches written", counts[4]),
                                             counts[4]));
  if (counts[5] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u not written", "%u not written", counts[5]), counts[5]));
  if (counts[6] > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u stopped", "%u stopped", counts[6]), counts[6]));
  g_ptr_array_add (parts, NULL);
  /* Translators: between the parts of an exchange's summary, "2 batches imported, 1 refused" */
  return g_strjoinv (_(", "), (char **) parts->pdata);
}

/* Back on the main thread: what each file did, on screen. */
static void
exchange_finished (SdSyncPage     *self,
                   SdSyncExchange *exchange)
{
  GPtrArray *rows = sd_sync_exchange_get_rows (exchange);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *text = summary (exchange);
  gboolean bad = rows->len == 0;

  g_clear_handle_id (&self->progress_source, g_source_remove);
  self->exchange = NULL;
  g_clear_object (&self->exchange_cancellable);
  if (self->disposed)
    return;
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_revealer), FALSE);

  for (guint i = 0; i < rows->len; i++)
    {
      json_t *row = g_ptr_array_index (rows, i);
      const char *result = json_string_value (json_object_get (row, "result"));

      bad |= g_strcmp0 (result, "refused") == 0 || g_strcmp0 (result, "export-failed") == 0 ||
             g_strcmp0 (result, "unknown-sender") == 0;
      g_ptr_array_add (items, sd_json_item_new (row));
    }
  if (sd_sync_exchange_get_enrol (exchange) != NULL)
    {
      /* An enrolment imports one file again: its row changes, the others stay. */
      for (guint i = 0; i < items->len; i++)
        for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (self->results)); k++)
          {
            g_autoptr(SdJsonItem) listed = g_list_model_get_item (G_LIST_MODEL (self->results), k);

            if (g_strcmp0 (sd_json_item_get_string (listed, "path"),
                           sd_json_item_get_string (g_ptr_array_index (items, i), "path")) == 0)
              g_list_store_splice (self->results, k, 1, &items->pdata[i], 1);
          }
    }
  else
    g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                         items->pdata, items->len);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box),
                          g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0);
  set_message (self, text, bad);
  queue_refresh (self);
}

static void
exchange_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GError *error = NULL;

  if (sd_sync_exchange_run (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
exchange_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  SdSyncExchange *exchange = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* The store is told even when the page is gone: the desk goes on. */
  sd_sync_exchange_catch_up (exchange, g_task_get_task_data (outer));
  exchange_finished (g_task_get_source_object (outer), exchange);
  if (error != NULL)
    g_task_return_error (outer, g_steal_pointer (&error));
  else
    g_task_return_boolean (outer, TRUE);
}

/* Runs EXCHANGE (taken) in a worker thread.  The worker's task has no
 * source object and holds nothing of the main thread's: its last
 * reference may be dropped in the worker. */
static void
run_exchange (SdSyncPage          *self,
              SdSyncExchange      *exchange,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             source_tag)
{
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;

  g_task_set_source_tag (outer, source_tag);
  /* What was done before a Stop is reported, not dropped. */
  g_task_set_check_cancellable (outer, FALSE);
  if (self->store == NULL || self->exchange != NULL)
    {
      sd_sync_exchange_free (exchange);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_BUSY,
                               self->store == NULL ? _("No database is open.")
                                                   : _("Another exchange is running: wait for it, or stop it."));
      return;
    }
  g_task_set_task_data (outer, g_object_ref (self->store), g_object_unref);
  self->exchange_cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  inner = g_task_new (NULL, self->exchange_cancellable, exchange_done_cb, g_object_ref (outer));
  g_task_set_check_cancellable (inner, FALSE);
  g_task_set_task_data (inner, exchange, (GDestroyNotify) sd_sync_exchange_free);
  start_progress (self, exchange);
  g_task_run_in_thread (inner, exchange_thread);
}

void
sd_sync_page_export_async (SdSyncPage          *self,
                           GFile               *folder,
                           const char          *to,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GStrvBuilder) targets = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) target_list = NULL;
  g_auto(GStrv) name_list = NULL;
  g_autofree char *path = NULL;
  guint found = 0;

  g_return_if_fail (SD_IS_SYNC_PAGE (self));
  g_return_if_fail (G_IS_FILE (folder));

  if (self->stale)
    refresh (self);
  if (to == NULL && self->destinations != NULL &&
      gtk_drop_down_get_selected (self->to_dropdown) < self->destinations->len)
    to = g_ptr_array_index (self->destinations, gtk_drop_down_get_selected (self->to_dropdown));
  for (guint k = 0; self->destinations != NULL && k < self->destinations->len; k++)
    {
      const char *target = g_ptr_array_index (self->destinations, k);
      const char *label = gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (self->to_dropdown)), k);

      /* Every kiosk: each of them in turn, a batch for each. */
      if (g_strcmp0 (to, "") == 0 ? !g_str_equal (target, "") && !g_str_equal (target, "hq")
                                  : g_strcmp0 (to, target) == 0)
        {
          g_strv_builder_add (targets, target);
          g_strv_builder_add (names, label);
          found++;
        }
    }
  /* A site the desk does not list (a site id, say): the core decides. */
  if (found == 0 && to != NULL && *to != '\0')
    {
      g_strv_builder_add (targets, to);
      g_strv_builder_add (names, to);
    }
  target_list = g_strv_builder_end (targets);
  name_list = g_strv_builder_end (names);
  path = g_file_get_path (folder);
  run_exchange (self, sd_sync_exchange_new_export (self->store, path, (const char *const *) target_list,
                                                   (const char *const *) name_list),
                cancellable, callback, user_data, sd_sync_page_export_async);
}

gboolean
sd_sync_page_export_finish (SdSyncPage    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sd_sync_page_import_async (SdSyncPage          *self,
                           GListModel          *files,
                           const char          *enrol,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (files));

  run_exchange (self, sd_sync_exchange_new_import (self->store, files, enrol), cancellable, callback, user_data,
                sd_sync_page_import_async);
}

gboolean
sd_sync_page_import_finish (SdSyncPage    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sd_sync_page_get_busy (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), FALSE);
  return self->exchange != NULL;
}

/* ---- actions ---- */

static void
exchanged_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SdSyncPage *self = SD_SYNC_PAGE (object);
  g_autoptr(GError) error = NULL;

  /* What each file did is on the page already; only a failure to start
   * at all (the database could not be opened again) is said here. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) && !self->disposed)
    set_message (self, error->message, TRUE);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     SdSyncPage      *self)
{
  const char *action = g_object_get_data (G_OBJECT (chooser), "action");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GFile) first = g_list_model_get_item (files, 0);

      if (first == NULL)
        first = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
      if (first != NULL)
        {
          g_autoptr(GFile) inside = g_file_get_child (first, "batch");

          /* The next choice opens where this one was made. */
          sd_save_folder_remember (g_str_equal (action, "import-files") ? first : inside);
          if (g_str_equal (action, "export"))
            sd_sync_page_export_async (self, first, NULL, NULL, exchanged_cb, NULL);
          else if (g_list_model_get_n_items (files) > 0)
            sd_sync_page_import_async (self, files, NULL, NULL, exchanged_cb, NULL);
          else
            {
              g_autoptr(GListStore) folder = g_list_store_new (G_TYPE_FILE);

              g_list_store_append (folder, first);
              sd_sync_page_import_async (self, G_LIST_MODEL (folder), NULL, NULL, exchanged_cb, NULL);
            }
        }
    }
  g_object_unref (chooser);
}

static void
choose (SdSyncPage           *self,
        const char           *action,
        const char           *title,
        const char           *accept,
        GtkFileChooserAction  mode)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), mode, accept,
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  sd_save_folder_apply (GTK_FILE_CHOOSER (chooser));
  if (mode == GTK_FILE_CHOOSER_ACTION_OPEN)
    {
      g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, _("Batches"));
      gtk_file_filter_add_pattern (filter, "*.sdbatch");
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
      gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
    }
  g_object_set_data (G_OBJECT (chooser), "action", (gpointer) action);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose (SD_SYNC_PAGE (widget), "export", _("Choose the USB stick or folder to write the batch into"),
          _("_Write here"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
import_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose (SD_SYNC_PAGE (widget), "import-folder", _("Choose the USB stick or folder with the batches"),
          _("_Import all its batches"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
import_files_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  choose (SD_SYNC_PAGE (widget), "import-files", _("Choose the batches to import"), _("_Import"),
          GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_cancellable_cancel (SD_SYNC_PAGE (widget)->exchange_cancellable);
}

static void
push_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);

  if (self->pusher == NULL)
    return;
  sd_sync_pusher_push_now (self->pusher);
  update_hq (self);
}

static void
hq_address_saved_cb (SdSyncPage *self)
{
  g_free (self->hq_url);
  self->hq_url = sd_sync_get_hq_url (self->store);
  update_hq (self);
  /* The window owns the pusher: it starts one for the new address. */
  g_signal_emit (self, signals[HQ_ADDRESS_CHANGED], 0);
}

static void
set_hq_address_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  SdHqAddressDialog *dialog;

  if (!may_set_hq_address (self))
    return;
  dialog = sd_hq_address_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store, self->settings);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (hq_address_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  adw_view_stack_set_visible_child_name (SD_SYNC_PAGE (widget)->view_stack, g_variant_get_string (parameter, NULL));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  g_autoptr(GError) error = NULL;
  gint64 id;
  gboolean keep_other;

  g_variant_get (parameter, "(xb)", &id, &keep_other);
  if (!sd_sync_resolve_conflict (self->store, id, keep_other, &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, keep_other ? _("The other value is written again: it wins everywhere once this site’s next "
                                    "batch arrives.")
                                 : _("The applied value stays."), FALSE);
  refresh (self);
}

static void
keep_apart_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  g_autoptr(GError) error = NULL;
  const char *a, *b;

  g_variant_get (parameter, "(&s&s)", &a, &b);
  if (!sd_sync_keep_apart (self->store, a, b, &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("Kept apart: the two are not listed again."), FALSE);
  refresh (self);
}

/* A question before something that is not undone: "cancel" (the default,
 * and what Escape answers) or DO, shown as destructive; RESPONSE_CB (self,
 * response, dialog) is called with the answer.  Not yet presented. */
static GtkWidget *
confirm_dialog (SdSyncPage *self,
                const char *heading,
                const char *body,
                const char *cancel_label,
                const char *do_response,
                const char *do_label,
                GCallback   response_cb)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", cancel_label, do_response, do_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), do_response, ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", response_cb, self, G_CONNECT_SWAPPED);
  return dialog;
}

static void
merge_response_cb (SdSyncPage       *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  const char *keep = g_object_get_data (G_OBJECT (dialog), "keep");
  const char *merge = g_object_get_data (G_OBJECT (dialog), "merge");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "merge") || self->disposed)
    return;
  if (!sd_sync_merge_duplicate (self->store, keep, merge, self->staff ? sd_staff_get_id (self->staff) : NULL,
                                &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("Merged: one record stands for the person now, here and, after HQ’s next batch, at every "
                       "kiosk."), FALSE);
  refresh (self);
}

/* Says what a merge does before it is done: it is not undone. */
static void
merge_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  g_autoptr(SdPerson) kept = NULL;
  g_autofree char *heading = NULL, *body = NULL, *kept_at = NULL, *closed_at = NULL;
  const char *keep, *merge;
  GtkWidget *dialog;

  g_variant_get (parameter, "(&s&s)", &keep, &merge);
  kept = sd_store_get_person (self->store, keep, NULL);
  if (kept == NULL)
    return;
  kept_at = record_place (self, keep);
  closed_at = record_place (self, merge);
  heading = g_strdup_printf (_("Merge the two records of %s?"), sd_person_get_name (kept));
  body = g_strdup_printf (_("The record at %s is kept, and takes from the other what it lacks (kana, phone, "
                            "needs…); nothing it holds is overwritten. The other record, at %s, is closed: it "
                            "is no longer found, its card checks in the record kept, and its history is kept. "
                            "Every kiosk does the same after HQ’s next batch. This cannot be undone."),
                          kept_at, closed_at);
  dialog = confirm_dialog (self, heading, body, _("_Cancel"), "merge", _("_Merge"), G_CALLBACK (merge_response_cb));
  g_object_set_data_full (G_OBJECT (dialog), "keep", g_strdup (keep), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "merge", g_strdup (merge), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

static SdJsonItem *
find_item (GListModel *model,
           const char *member,
           const char *value)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SdJsonItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (sd_json_item_get_string (item, member), value) == 0)
        return g_steal_pointer (&item);
    }
  return NULL;
}

static void
revoke_response_cb (SdSyncPage *self,
                    const char *response,
                    AdwMessageDialog *dialog)
{
  const char *site = g_object_get_data (G_OBJECT (dialog), "site");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "revoke") || self->disposed)
    return;
  if (!sd_sync_revoke (self->store, site, &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  set_message (self, _("Revoked: its later batches are refused, and the kiosks learn it from HQ’s next batch. "
                       "What it sent before is kept."), FALSE);
  refresh (self);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  const char *site = g_variant_get_string (parameter, NULL);
  g_autoptr(SdJsonItem) peer = find_item (G_LIST_MODEL (self->peers), "site", site);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (peer == NULL || !can_administer (self))
    return;
  heading = g_strdup_printf (_("Revoke “%s”?"), sd_json_item_get_string (peer, "name"));
  dialog = confirm_dialog (self, heading,
                           _("Do this for a kiosk that was lost or stolen. Its batches are refused from now "
                             "on, here and, after HQ’s next batch, at every kiosk. What it sent before is "
                             "kept. It cannot be undone: a found kiosk is enrolled again as a new one."),
                           _("_Keep it enrolled"), "revoke", _("_Revoke"), G_CALLBACK (revoke_response_cb));
  g_object_set_data_full (G_OBJECT (dialog), "site", g_strdup (site), g_free);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- enrolment (HQ) ---- */

/* "1a2b 3c4d-…" → "1A2B3C4D…": how a fingerprint is compared, whatever
 * the person typed between the groups. */
static char *
fingerprint_key (const char *text)
{
  GString *key = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (key, g_ascii_toupper (*p));
  return g_string_free (key, FALSE);
}

static void
enrol_typed_cb (GtkEditable      *entry,
                AdwMessageDialog *dialog)
{
  const char *fingerprint = g_object_get_data (G_OBJECT (dialog), "fingerprint");
  GtkLabel *verdict = g_object_get_data (G_OBJECT (dialog), "verdict");
  g_autofree char *typed = fingerprint_key (gtk_editable_get_text (entry));
  g_autofree char *shown = fingerprint_key (fingerprint);
  gboolean same = g_str_equal (typed, shown);

  adw_message_dialog_set_response_enabled (dialog, "enrol", same);
  if (same)
    {
      gtk_label_set_text (verdict, _("The same: this batch was made by that kiosk."));
      gtk_widget_remove_css_class (GTK_WIDGET (verdict), "error");
      gtk_widget_add_css_class (GTK_WIDGET (verdict), "success");
    }
  else
    {
      gtk_label_set_text (verdict, strlen (typed) >= strlen (shown) ? _("Not the same. Do not enrol it: keep the "
                                                                        "stick and tell HQ’s lead.") : "");
      gtk_widget_remove_css_class (GTK_WIDGET (verdict), "success");
      gtk_widget_add_css_class (GTK_WIDGET (verdict), "error");
    }
}

static void
enrol_response_cb (SdSyncPage       *self,
                   const char       *response,
                   AdwMessageDialog *dialog)
{
  const char *path = g_object_get_data (G_OBJECT (dialog), "path");
  const char *fingerprint = g_object_get_data (G_OBJECT (dialog), "fingerprint");
  g_autoptr(GListStore) files = NULL;
  g_autoptr(GFile) file = NULL;

  if (!g_str_equal (response, "enrol") || self->disposed)
    return;
  files = g_list_store_new (G_TYPE_FILE);
  file = g_file_new_for_path (path);
  g_list_store_append (files, file);
  /* Enrol is enabled only once what was typed is this fingerprint,
   * however its groups were separated. */
  sd_sync_page_import_async (self, G_LIST_MODEL (files), fingerprint, NULL, exchanged_cb, NULL);
}

static void
enrol_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdSyncPage *self = SD_SYNC_PAGE (widget);
  const char *path = g_variant_get_string (parameter, NULL);
  g_autoptr(SdJsonItem) row = find_item (G_LIST_MODEL (self->results), "path", path);
  const char *sender = NULL;
  const char *fingerprint = NULL;
  g_autofree char *heading = NULL;
  GtkWidget *dialog, *box, *label, *shown, *entry, *verdict;

  if (row == NULL || !can_administer (self) ||
      (fingerprint = sd_json_item_get_string (row, "fingerprint")) == NULL)
    return;
  sender = sd_json_item_get_string (row, "sender_name");
  heading = g_strdup_printf (_("Enrol the kiosk “%s”?"), sender != NULL ? sender : "?");
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                   _("Enrol it only if it is a kiosk of this deployment. Open the Sync desk on that "
                                     "kiosk: it shows its key fingerprint. Type that fingerprint here; it must be the "
                                     "same as the one this batch was signed with."));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  label = gtk_label_new (_("The fingerprint in the batch:"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  shown = gtk_label_new (fingerprint);
  gtk_label_set_selectable (GTK_LABEL (shown), FALSE);
  gtk_widget_add_css_class (shown, "sync-fingerprint-large");
  gtk_accessible_update_property (GTK_ACCESSIBLE (shown), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The fingerprint in the batch"), -1);
  gtk_box_append (GTK_BOX (box), shown);
  label = gtk_label_new_with_mnemonic (_("The fingerprint on the kiosk’s _screen:"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), label);
  entry = gtk_entry_new ();
  gtk_entry_set_max_length (GTK_ENTRY (entry), 64);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_FREE_FORM);
  gtk_entry_set_input_hints (GTK_ENTRY (entry), GTK_INPUT_HINT_UPPERCASE_CHARS | GTK_INPUT_HINT_NO_SPELLCHECK);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The fingerprint on the kiosk’s screen"), -1);
  gtk_box_append (GTK_BOX (box), entry);
  verdict = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (verdict), TRUE);
  gtk_label_set_xalign (GTK_LABEL (verdict), 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (verdict), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Whether the fingerprints are the same"), -1);
  gtk_box_append (GTK_BOX (box), verdict);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "enrol", _("_Enrol and import"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "enrol", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "enrol", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "path", g_strdup (path), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "fingerprint", g_strdup (fingerprint), g_free);
  g_object_set_data (G_OBJECT (dialog), "verdict", verdict);
  g_signal_connect (entry, "changed", G_CALLBACK (enrol_typed_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (enrol_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* ---- GObject ---- */

static void
sd_sync_page_dispose (GObject *object)
{
  SdSyncPage *self = SD_SYNC_PAGE (object);
  GtkWidget *child;

  self->disposed = TRUE;
  g_cancellable_cancel (self->exchange_cancellable);
  g_clear_handle_id (&self->progress_source, g_source_remove);
  g_clear_handle_id (&self->refresh_idle, g_source_remove);
  sd_sync_page_set_store (self, NULL);
  sd_sync_page_set_pusher (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SYNC_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->staff);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sd_sync_page_parent_class)->dispose (object);
}

static void
sd_sync_page_finalize (GObject *object)
{
  SdSyncPage *self = SD_SYNC_PAGE (object);

  g_clear_object (&self->notes);
  g_clear_object (&self->results);
  g_clear_object (&self->peers);
  g_clear_object (&self->conflicts);
  g_clear_object (&self->duplicates);
  g_clear_pointer (&self->destinations, g_ptr_array_unref);
  g_clear_object (&self->exchange_cancellable);
  g_free (self->message);
  g_free (self->hq_url);

  G_OBJECT_CLASS (sd_sync_page_parent_class)->finalize (object);
}

static void
sd_sync_page_class_init (SdSyncPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_sync_page_dispose;
  object_class->finalize = sd_sync_page_finalize;
  widget_class->map = sd_sync_page_map;

  /* HQ's address or certificate was saved: whoever sends to HQ starts again. */
  signals[HQ_ADDRESS_CHANGED] = g_signal_new ("hq-address-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (SD_TYPE_REFLOW_BOX);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-sync-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, bundle_command_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, enrol_command_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, identity_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, fingerprint_caption);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, fingerprint_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, tiles_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, waiting_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, waiting_detail);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, received_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, received_detail);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, conflicts_tile);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, conflicts_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, duplicates_tile);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, duplicates_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, gaps_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, clocks_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, parents_value);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, notes_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, to_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, results_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, peers_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, duplicates_box);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, hq_section);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, hq_state_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, hq_detail_label);
  gtk_widget_class_bind_template_child (widget_class, SdSyncPage, hq_send_button);

  gtk_widget_class_install_action (widget_class, "sync.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "sync.import-folder", NULL, import_folder_action);
  gtk_widget_class_install_action (widget_class, "sync.import-files", NULL, import_files_action);
  gtk_widget_class_install_action (widget_class, "sync.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "sync.show-view", "s", show_view_action);
  gtk_widget_class_install_action (widget_class, "sync.resolve", "(xb)", resolve_action);
  gtk_widget_class_install_action (widget_class, "sync.keep-apart", "(ss)", keep_apart_action);
  gtk_widget_class_install_action (widget_class, "sync.merge", "(ss)", merge_action);
  gtk_widget_class_install_action (widget_class, "sync.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "sync.enrol", "s", enrol_action);
  gtk_widget_class_install_action (widget_class, "sync.push-now", NULL, push_now_action);
  gtk_widget_class_install_action (widget_class, "sync.set-hq-address", NULL, set_hq_address_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_sync_page_init (SdSyncPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->notes = g_list_store_new (SD_TYPE_JSON_ITEM);
  self->results = g_list_store_new (SD_TYPE_JSON_ITEM);
  self->peers = g_list_store_new (SD_TYPE_JSON_ITEM);
  self->conflicts = g_list_store_new (SD_TYPE_JSON_ITEM);
  self->duplicates = g_list_store_new (SD_TYPE_JSON_ITEM);
  gtk_list_box_bind_model (self->notes_box, G_LIST_MODEL (self->notes), create_note_row, self, NULL);
  gtk_list_box_bind_model (self->results_box, G_LIST_MODEL (self->results), create_result_row, self, NULL);
  gtk_list_box_bind_model (self->peers_box, G_LIST_MODEL (self->peers), create_peer_row, self, NULL);
  gtk_list_box_bind_model (self->conflicts_box, G_LIST_MODEL (self->conflicts), create_conflict_row, self, NULL);
  gtk_list_box_bind_model (self->duplicates_box, G_LIST_MODEL (self->duplicates), create_duplicate_row, self, NULL);
  gtk_list_box_set_placeholder (self->peers_box, gtk_label_new (_("No other site yet.")));
  gtk_list_box_set_placeholder (self->conflicts_box, gtk_label_new (_("No conflicts to review.")));
  gtk_list_box_set_placeholder (self->duplicates_box, gtk_label_new (_("No possible duplicates to review.")));

  /* The figures are read, not pressed: Tab goes only to the two that open
   * their lists. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tiles_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_revealer), FALSE);
  update_actions (self);
}

void
sd_sync_page_set_store (SdSyncPage *self,
                        SdStore    *store)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_swapped (store, "changed", G_CALLBACK (store_changed_cb), self);
  queue_refresh (self);
}

/* A kiosk's pusher (or NULL): its state is shown, "Send now" pushes. */
void
sd_sync_page_set_pusher (SdSyncPage   *self,
                         SdSyncPusher *pusher)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));

  if (self->pusher == pusher)
    return;
  if (self->pusher != NULL)
    g_signal_handlers_disconnect_by_data (self->pusher, self);
  g_clear_handle_id (&self->hq_tick, g_source_remove);
  g_set_object (&self->pusher, pusher);
  if (pusher != NULL)
    {
      g_signal_connect_swapped (pusher, "notify", G_CALLBACK (update_hq), self);
      g_signal_connect_swapped (pusher, "exchanged", G_CALLBACK (pusher_exchanged_cb), self);
      self->hq_tick = g_timeout_add_seconds (1, hq_tick_cb, self);
    }
  if (!self->disposed)
    update_hq (self);
}

/* The desk's settings: HQ's certificate file is saved there. */
void
sd_sync_page_set_settings (SdSyncPage *self,
                           GSettings  *settings)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));

  g_set_object (&self->settings, settings);
  update_actions (self);
}

void
sd_sync_page_set_staff (SdSyncPage *self,
                        SdStaff    *staff)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));

  if (!g_set_object (&self->staff, staff))
    return;
  update_actions (self);
  /* Revoke and enrol are offered to HQ staff only. */
  rebuild_rows (self->peers);
  rebuild_rows (self->results);
}

/* Signed out: the next person starts on the overview, with no file
 * names or messages of the last one's exchange. */
void
sd_sync_page_reset (SdSyncPage *self)
{
  g_return_if_fail (SD_IS_SYNC_PAGE (self));

  g_list_store_remove_all (self->results);
  gtk_widget_set_visible (GTK_WIDGET (self->results_box), FALSE);
  set_message (self, NULL, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, "exchange");
  queue_refresh (self);
}

GListModel *
sd_sync_page_get_results (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), NULL);
  return G_LIST_MODEL (self->results);
}

GListModel *
sd_sync_page_get_peers (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), NULL);
  return G_LIST_MODEL (self->peers);
}

GListModel *
sd_sync_page_get_conflicts (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), NULL);
  return G_LIST_MODEL (self->conflicts);
}

GListModel *
sd_sync_page_get_duplicates (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), NULL);
  return G_LIST_MODEL (self->duplicates);
}

const char *
sd_sync_page_get_message (SdSyncPage *self)
{
  g_return_val_if_fail (SD_IS_SYNC_PAGE (self), NULL);
  return self->message;
}
