/* sd-support-page.c: the evacuation-support list desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At the top, one big button a status with how many listed people have
 * it (未確認 first: who still needs someone to go and look); a touch shows
 * only them.  Below, the district (町丁目) and a search in the reason,
 * care level and supporters narrow the list further; every column sorts.
 * A touch on a person opens their record, where a status is reported.
 *
 * The list is read whole (one query: 20 000 people are a few MB of JSON)
 * and filtered here, so a filter answers at once.  It is read again when
 * its tables change, here or in another process (SdLiveRefresh).
 */
#include "sd-json-item.h"
#include "sd-live-refresh.h"
#include "sd-open-csv.h"
#include "sd-save-folder.h"
#include "sd-reflow-box.h"
#include "sd-support-import-dialog.h"
#include "sd-support-page.h"
#include "sd-support-person-dialog.h"
#include "sd-text-column.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SdSupportPage
{
  GtkWidget           parent_instance;

  /* Template Widgets */
  GtkLabel           *updated_label;
  GtkFlowBox         *status_box;
  GtkExpander        *matches_expander;
  GtkListBox         *matches_list;
  GtkDropDown        *district_dropdown;
  GtkSearchEntry     *search_entry;
  GtkColumnView      *people_view;
  GtkLabel           *shown_label;
  GtkStack           *view_stack;
  GtkToggleButton    *list_button;
  GtkToggleButton    *map_button;
  SdSupportMap       *support_map;

  /* Owned References */
  SdStore            *store;
  SdStaff            *staff;
  GListStore         *people;         /* SdJsonItem, every listed person */
  json_t             *proposals;      /* sd_support_checkin_matches_json () */
  GtkFilter          *filter;
  GtkFilterListModel *filtered;
  GtkSortListModel   *sorted;
  GtkStringList      *districts;      /* [0] every district */
  GtkToggleButton    *status_buttons[SD_N_SUPPORT_STATUSES + 1];  /* [0] everyone */
  GtkLabel           *count_labels[SD_N_SUPPORT_STATUSES + 1];
  int                 status;         /* -1: every status */
  char               *district;       /* NULL: every district */
  SdLiveRefresh      *live;
  gboolean            filling;
};

G_DEFINE_FINAL_TYPE (SdSupportPage, sd_support_page, GTK_TYPE_WIDGET)

/* ---- columns ---- */

static char *
member (gpointer    item,
        const char *name)
{
  return g_strdup (sd_json_item_get_string (item, name));
}

static char *person_district (gpointer item) { return member (item, "district"); }
static char *person_number (gpointer item) { return member (item, "external_id"); }
static char *person_name (gpointer item) { return member (item, "name"); }
static char *person_address (gpointer item) { return member (item, "address"); }
static char *person_phone (gpointer item) { return member (item, "phone"); }

static char *
person_reason (gpointer item)
{
  const char *parts[] = { sd_json_item_get_string (item, "care_level"), sd_json_item_get_string (item, "disability"),
                          sd_json_item_get_string (item, "reason") };
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL)
      g_string_append_printf (text, "%s%s", text->len > 0 ? "、" : "", parts[i]);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
person_supporters (gpointer item)
{
  json_t *list = json_object_get (sd_json_item_get_object (item), "supporters");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_size (list); i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "、" : "", json_string_value (json_array_get (list, i)));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static SdSupportStatus
status_of (gpointer item)
{
  SdSupportStatus status = SD_SUPPORT_UNCONFIRMED;

  sd_support_status_from_string (sd_json_item_get_string (item, "status"), &status);
  return status;
}

static char *
person_status (gpointer item)
{
  SdSupportStatus status = status_of (item);
  const char *shelter = sd_json_item_get_string (item, "shelter_name");

  if (status == SD_SUPPORT_EVACUATED && shelter != NULL)
    return g_strdup_printf ("%s (%s)", sd_support_status_label (status), shelter);
  return g_strdup (sd_support_status_label (status));
}

/* Sorts by the text a column shows: NULL and empty last. */
static int
compare_text (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  SdCellText text = user_data;
  g_autofree char *x = text ((gpointer) a), *y = text ((gpointer) b);

  if (x == NULL || *x == '\0' || y == NULL || *y == '\0')
    return (x == NULL || *x == '\0') - (y == NULL || *y == '\0');
  return g_utf8_collate (x, y);
}

static void
add_column (SdSupportPage *self,
            const char    *title,
            SdCellText     text,
            int            width)
{
  sd_column_view_add_text (self->people_view, title, text,
                           GTK_SORTER (gtk_custom_sorter_new (compare_text, text, NULL)), width);
}

/* ---- filtering ---- */

static gboolean
contains (const char *text,
          const char *word)
{
  return text != NULL && strstr (text, word) != NULL;
}

static gboolean
person_matches (gpointer item,
                gpointer user_data)
{
  SdSupportPage *self = user_data;
  const char *word = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->status >= 0 && status_of (item) != (SdSupportStatus) self->status)
    return FALSE;
  if (self->district != NULL && g_strcmp0 (sd_json_item_get_string (item, "district"), self->district) != 0)
    return FALSE;
  if (word != NULL && *word != '\0')
    {
      g_autofree char *reason = person_reason (item);
      g_autofree char *supporters = person_supporters (item);

      return contains (reason, word) || contains (supporters, word);
    }
  return TRUE;
}

static void
show_counts (SdSupportPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->people));
  g_autofree char *text = g_strdup_printf (_("Showing %u of %u listed people."), n, all);

  gtk_label_set_text (self->shown_label, text);
}

/* The map shows the people the list shows: the same filter. */
static void
show_on_map (SdSupportPage *self)
{
  g_autoptr(GHashTable) shown = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (n < g_list_model_get_n_items (G_LIST_MODEL (self->people)))
    {
      shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdJsonItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

          g_hash_table_add (shown, g_strdup (sd_json_item_get_string (item, "id")));
        }
    }
  sd_support_map_set_shown (self->support_map, shown);
}

static gboolean
showing_map (SdSupportPage *self)
{
  return gtk_toggle_button_get_active (self->map_button);
}

static void
apply_filter (SdSupportPage *self)
{
  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  show_counts (self);
  if (showing_map (self))
    show_on_map (self);
}

static void
view_toggled_cb (SdSupportPage *self)
{
  gboolean map = showing_map (self);

  gtk_stack_set_visible_child_name (self->view_stack, map ? "map" : "list");
  if (map && self->store != NULL)
    {
      show_on_map (self);
      sd_support_map_reload (self->support_map);
    }
}

void
sd_support_page_show_map (SdSupportPage *self,
                          gboolean       map)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));
  gtk_toggle_button_set_active (map ? self->map_button : self->list_button, TRUE);
}

SdSupportMap *
sd_support_page_get_map (SdSupportPage *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), NULL);
  return self->support_map;
}

static void
filter_changed_cb (SdSupportPage *self)
{
  guint n;

  if (self->filling)
    return;
  g_clear_pointer (&self->district, g_free);
  n = gtk_drop_down_get_selected (self->district_dropdown);
  if (n > 0 && n != GTK_INVALID_LIST_POSITION && n < g_list_model_get_n_items (G_LIST_MODEL (self->districts)))
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->districts), n);

      self->district = g_strdup (g_object_get_data (item, "district"));
    }
  apply_filter (self);
}

static void
status_toggled_cb (GtkToggleButton *button,
                   SdSupportPage   *self)
{
  if (!gtk_toggle_button_get_active (button) || self->filling)
    return;
  self->status = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "status"));
  apply_filter (self);
}

void
sd_support_page_show_status (SdSupportPage *self,
                             int            status)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));
  g_return_if_fail (status >= -1 && status < SD_N_SUPPORT_STATUSES);

  gtk_toggle_button_set_active (self->status_buttons[status + 1], TRUE);
}

GListModel *
sd_support_page_get_shown (SdSupportPage *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), NULL);
  return G_LIST_MODEL (self->sorted);
}

/* ---- reading ---- */

static void
fill_districts (SdSupportPage *self,
                json_t        *districts)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->districts)), chosen = 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* "北町3丁目 (2 unconfirmed of 7)": the district is kept apart from
   * the words around it, on each string object. */
  g_ptr_array_add (names, g_strdup (_("Every district")));
  for (guint i = 0; i < json_array_size (districts); i++)
    {
      json_t *d = json_array_get (districts, i);
      const char *name = json_string_value (json_object_get (d, "district"));

      g_ptr_array_add (names, g_strdup_printf (_("%s (%d unconfirmed of %d)"), name != NULL ? name : _("No district"),
                                               (int) json_integer_value (json_object_get (d, "unconfirmed")),
                                               (int) json_integer_value (json_object_get (d, "listed"))));
    }
  g_ptr_array_add (names, NULL);
  self->filling = TRUE;
  gtk_string_list_splice (self->districts, 0, n, (const char *const *) names->pdata);
  for (guint i = 0; i < json_array_size (districts); i++)
    {
      const char *name = json_string_value (json_object_get (json_array_get (districts, i), "district"));
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->districts), i + 1);

      g_object_set_data_full (item, "district", g_strdup (name != NULL ? name : ""), g_free);
      if (name != NULL && g_strcmp0 (name, self->district) == 0)
        chosen = i + 1;
    }
  gtk_drop_down_set_selected (self->district_dropdown, chosen);
  if (chosen == 0)
    g_clear_pointer (&self->district, g_free);
  self->filling = FALSE;
}

static void
show_status_counts (SdSupportPage *self,
                    const guint   *counts)
{
  guint total = 0;

  for (guint s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    {
      g_autofree char *n = g_strdup_printf ("%u", counts[s]);
      g_autofree char *name = g_strdup_printf ("%s: %u", sd_support_status_label (s), counts[s]);

      total += counts[s];
      gtk_label_set_text (self->count_labels[s + 1], n);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_buttons[s + 1]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
  {
    g_autofree char *n = g_strdup_printf ("%u", total);
    g_autofree char *name = g_strdup_printf (_("Everyone listed: %u"), total);

    gtk_label_set_text (self->count_labels[0], n);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_buttons[0]), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  }
}

/* ---- check-ins proposed ---- */

gboolean
sd_support_page_answer_proposal (SdSupportPage *self,
                                 guint          index,
                                 gboolean       same)
{
  json_t *p;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), FALSE);

  p = json_array_get (self->proposals, index);
  if (p == NULL || self->store == NULL)
    return FALSE;
  if (same)
    {
      g_autofree char *report = NULL;

      report = sd_store_report_support_status (self->store,
                                               json_string_value (json_object_get (p, "support_person_id")),
                                               SD_SUPPORT_EVACUATED,
                                               json_string_value (json_object_get (p, "shelter_code")), NULL,
                                               self->staff != NULL ? sd_staff_get_id (self->staff) : NULL,
                                               SD_SUPPORT_VIA_CHECKIN, &error);
      ok = report != NULL;
    }
  else
    ok = sd_store_support_not_same (self->store, json_string_value (json_object_get (p, "support_person_id")),
                                    json_string_value (json_object_get (p, "person_id")), &error);
  if (!ok)
    gtk_label_set_text (self->updated_label, error->message);
  sd_support_page_refresh (self);
  return ok;
}

guint
sd_support_page_get_n_proposals (SdSupportPage *self)
{
  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), 0);
  return json_array_size (self->proposals);
}

static void
proposal_answered_cb (GtkButton     *button,
                      SdSupportPage *self)
{
  sd_support_page_answer_proposal (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index")),
                                   GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "same")));
}

static GtkWidget *
proposal_button (SdSupportPage *self,
                 const char    *label,
                 const char    *accessible,
                 guint          index,
                 gboolean       same)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "index", GUINT_TO_POINTER (index));
  g_object_set_data (G_OBJECT (button), "same", GINT_TO_POINTER (same));
  g_signal_connect (button, "clicked", G_CALLBACK (proposal_answered_cb), self);
  if (same)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

static void
show_proposals (SdSupportPage *self)
{
  guint n = json_array_size (self->proposals);
  g_autofree char *heading = NULL;
  GtkWidget *child;

  /* (gtk_list_box_remove_all () is GTK 4.12's.) */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->matches_list))) != NULL)
    gtk_list_box_remove (self->matches_list, child);
  for (guint i = 0; i < n; i++)
    {
      json_t *p = json_array_get (self->proposals, i);
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (json_integer_value (json_object_get (p, "at")) / 1000);
      g_autofree char *time = at != NULL ? g_date_time_format (at, "%m/%d %H:%M") : g_strdup ("");
      g_autofree char *text = NULL, *confirm = NULL, *deny = NULL;
      const char *name = json_string_value (json_object_get (p, "name"));
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *label;

      text = g_strdup_printf (g_strcmp0 (json_string_value (json_object_get (p, "by")), "name") == 0
                              ? _("%s (%s): “%s” with the same date of birth arrived at %s %s, %s.")
                              : _("%s (%s): “%s” with the same kana, date of birth and address arrived at %s %s, %s."),
                              name, json_string_value (json_object_get (p, "district")) ?: "—",
                              json_string_value (json_object_get (p, "evacuee_name")),
                              json_string_value (json_object_get (p, "shelter_code")),
                              json_string_value (json_object_get (p, "shelter_name")), time);
      label = gtk_label_new (text);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_margin_start (row, 8);
      gtk_widget_set_margin_end (row, 8);
      gtk_widget_set_margin_top (row, 4);
      gtk_widget_set_margin_bottom (row, 4);
      confirm = g_strdup_printf (_("%s evacuated to %s: record it"), name,
                                 json_string_value (json_object_get (p, "shelter_name")));
      deny = g_strdup_printf (_("The evacuee is not %s"), name);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (GTK_BOX (row), proposal_button (self, _("Evacuated: record"), confirm, i, TRUE));
      gtk_box_append (GTK_BOX (row), proposal_button (self, _("Not the same person"), deny, i, FALSE));
      gtk_list_box_append (self->matches_list, row);
    }
  heading = g_strdup_printf (g_dngettext (NULL, "%u check-in at a shelter may be a listed person: confirm it",
                                          "%u check-ins at shelters may be listed people: confirm each",
                                          n), n);
  gtk_expander_set_label (self->matches_expander, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->matches_expander), n > 0);
}

void
sd_support_page_refresh (SdSupportPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *list_text = NULL, *districts_text = NULL, *matches_text = NULL;
  g_autoptr(json_t) list = NULL, districts = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *updated = NULL;
  guint counts[SD_N_SUPPORT_STATUSES] = { 0 };

  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));

  if (self->store != NULL)
    {
      sd_live_refresh_reading (self->live);
      if ((list_text = sd_support_list_json (self->store, NULL, &error)) != NULL &&
          (districts_text = sd_support_districts_json (self->store, &error)) != NULL &&
          sd_support_count_statuses (self->store, counts, &error) &&
          (matches_text = sd_support_checkin_matches_json (self->store, &error)) != NULL)
        {
          list = sd_json_parse (list_text, strlen (list_text), 0, &error);
          districts = sd_json_parse (districts_text, strlen (districts_text), 0, &error);
          g_clear_pointer (&self->proposals, json_decref);
          self->proposals = sd_json_parse (matches_text, strlen (matches_text), 0, &error);
        }
    }
  show_proposals (self);
  for (guint i = 0; i < json_array_size (list); i++)
    g_ptr_array_add (items, sd_json_item_new (json_array_get (list, i)));
  g_list_store_splice (self->people, 0, g_list_model_get_n_items (G_LIST_MODEL (self->people)), items->pdata,
                       items->len);
  fill_districts (self, districts);
  show_status_counts (self, counts);
  apply_filter (self);
  if (showing_map (self))
    sd_support_map_reload (self->support_map);

  if (error != NULL)
    updated = g_strdup (error->message);
  else
    updated = g_strdup_printf (_("Updated at %s"), time);
  gtk_label_set_text (self->updated_label, updated);
}

/* ---- a person ---- */

GtkWindow *
sd_support_page_open_person (SdSupportPage *self,
                             const char    *id)
{
  GtkWindow *dialog;

  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (self->store == NULL)
    return NULL;
  /* A second touch (a double tap, the list and then the map) brings the
   * person's open record forward rather than opening another to edit. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) top = g_list_model_get_item (toplevels, i);

        if (SD_IS_SUPPORT_PERSON_DIALOG (top) &&
            g_strcmp0 (sd_support_person_dialog_get_person_id (SD_SUPPORT_PERSON_DIALOG (top)), id) == 0)
          {
            gtk_window_present (GTK_WINDOW (top));
            return GTK_WINDOW (top);
          }
      }
  }
  dialog = GTK_WINDOW (sd_support_person_dialog_new (self->store, self->staff, id));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_present (dialog);
  return dialog;
}

static void
map_person_activated_cb (SdSupportPage *self,
                         const char    *id)
{
  sd_support_page_open_person (self, id);
}

static void
person_activated_cb (SdSupportPage *self,
                     guint          position)
{
  g_autoptr(SdJsonItem) item = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (item != NULL)
    sd_support_page_open_person (self, sd_json_item_get_string (item, "id"));
}

/* ---- import ---- */

GtkWindow *
sd_support_page_import (SdSupportPage *self,
                        GFile         *file)
{
  GtkWindow *dialog;

  g_return_val_if_fail (SD_IS_SUPPORT_PAGE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (self->store == NULL || self->staff == NULL ||
      !sd_role_can_import_support_list (sd_staff_get_role (self->staff)))
    return NULL;
  dialog = GTK_WINDOW (sd_support_import_dialog_new (sd_store_get_path (self->store), file));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "applied", G_CALLBACK (sd_support_page_refresh), self, G_CONNECT_SWAPPED);
  gtk_window_present (dialog);
  return dialog;
}

static void
import_chosen (GtkWidget *widget,
               GFile     *file)
{
  sd_support_page_import (SD_SUPPORT_PAGE (widget), file);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  sd_open_csv (widget, _("Import the support list from a welfare system"), _("_Open"), import_chosen);
}

/* ---- visit lists ---- */

typedef struct {
  char            *db_path;
  char            *site_name;
  char            *district;
  SdSupportFilter  filter;
  char            *path;
  gboolean         pdf;
  guint            people;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->db_path);
  g_free (job->site_name);
  g_free (job->district);
  g_free (job->path);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      data,
             GCancellable *cancellable)
{
  SaveJob *job = data;
  g_autoptr(SdStore) store = NULL;
  GError *error = NULL;
  gboolean ok;

  store = sd_store_open (job->db_path, SD_STORE_OPEN_DEFAULT, &error);
  if (store != NULL && job->pdf)
    ok = sd_support_write_visit_lists (store, &job->filter, FALSE, job->site_name, sd_store_now_ms (store),
                                       job->path, &job->people, &error);
  else if (store != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (job->path);
      g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, cancellable,
                                                         &error);

      ok = out != NULL &&
           sd_support_write_visit_csv (store, &job->filter, FALSE, G_OUTPUT_STREAM (out), cancellable, &error) &&
           g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error);
    }
  else
    ok = FALSE;
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_support_page_save_async (SdSupportPage       *self,
                            GFile               *file,
                            gboolean             pdf,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_support_page_save_async);
  if (self->store == NULL || g_file_peek_path (file) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("Choose a file on this computer."));
      return;
    }
  job = g_new0 (SaveJob, 1);
  job->db_path = g_strdup (sd_store_get_path (self->store));
  job->site_name = g_strdup (sd_store_get_site_name (self->store));
  job->district = g_strdup (self->district);
  job->filter.by_status = self->status >= 0;
  job->filter.status = self->status >= 0 ? (SdSupportStatus) self->status : SD_SUPPORT_UNCONFIRMED;
  job->filter.district = job->district;
  job->path = g_file_get_path (file);
  job->pdf = pdf;
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sd_support_page_save_finish (SdSupportPage  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      data)
{
  SdSupportPage *self = SD_SUPPORT_PAGE (source);
  g_autoptr(GError) error = NULL;

  if (!sd_support_page_save_finish (self, result, &error))
    gtk_label_set_text (self->shown_label, error->message);
  else
    {
      SaveJob *job = g_task_get_task_data (G_TASK (result));
      g_autoptr(GFile) file = g_file_new_for_path (job->path);
      g_autofree char *name = g_file_get_basename (file);
      g_autofree char *text = g_strdup_printf (_("Saved %s."), name);

      sd_save_folder_remember (file);
      gtk_label_set_text (self->shown_label, text);
    }
}

static void
save_chosen_cb (GtkWidget *widget,
                GFile     *file,
                gboolean   pdf)
{
  sd_support_page_save_async (SD_SUPPORT_PAGE (widget), file, pdf, NULL, saved_cb, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gboolean pdf = g_str_equal (g_variant_get_string (parameter, NULL), "pdf");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M");
  g_autofree char *name = g_strdup_printf ("visit-lists-%s.%s", stamp, pdf ? "pdf" : "csv");

  sd_save_folder_ask (widget, pdf ? _("Save the visit lists") : _("Save the people shown as CSV"), name, pdf,
                      save_chosen_cb);
}

/* ---- public ---- */

static void
update_actions (SdSupportPage *self)
{
  gboolean can = self->store != NULL && self->staff != NULL &&
                 sd_role_can_import_support_list (sd_staff_get_role (self->staff));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "support.import", can);
}

void
sd_support_page_set_store (SdSupportPage *self,
                           SdStore       *store)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));

  g_set_object (&self->store, store);
  sd_live_refresh_set_store (self->live, store);
  sd_support_map_set_store (self->support_map, store);
  update_actions (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    sd_support_page_refresh (self);
}

void
sd_support_page_set_staff (SdSupportPage *self,
                           SdStaff       *staff)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));

  g_set_object (&self->staff, staff);
  update_actions (self);
}

void
sd_support_page_reset (SdSupportPage *self)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));

  g_list_store_remove_all (self->people);
  g_clear_pointer (&self->proposals, json_decref);
  show_proposals (self);
  g_clear_pointer (&self->district, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  sd_support_page_show_status (self, -1);
  sd_support_page_show_map (self, FALSE);
  show_counts (self);
}

void
sd_support_page_focus (SdSupportPage *self)
{
  g_return_if_fail (SD_IS_SUPPORT_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->status_buttons[1]));
}

/* One big button: the count over its status. */
static void
add_status_button (SdSupportPage *self,
                   int            status)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *count = gtk_label_new ("0");
  GtkWidget *name = gtk_label_new (status < 0 ? _("Everyone") : sd_support_status_label (status));

  gtk_widget_add_css_class (count, "title-2");
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), count);
  gtk_box_append (GTK_BOX (box), name);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "support-status");
  if (status >= 0)
    gtk_widget_add_css_class (button, sd_support_status_to_string (status));
  if (self->status_buttons[0] != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->status_buttons[0]);
  g_object_set_data (G_OBJECT (button), "status", GINT_TO_POINTER (status));
  g_signal_connect (button, "toggled", G_CALLBACK (status_toggled_cb), self);
  self->status_buttons[status + 1] = GTK_TOGGLE_BUTTON (button);
  self->count_labels[status + 1] = GTK_LABEL (count);
  gtk_flow_box_append (self->status_box, button);
}

static void
sd_support_page_dispose (GObject *object)
{
  SdSupportPage *self = SD_SUPPORT_PAGE (object);
  GtkWidget *child;

  g_clear_pointer (&self->live, sd_live_refresh_free);
  g_clear_object (&self->store);
  g_clear_object (&self->staff);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SUPPORT_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->districts);
  g_clear_pointer (&self->district, g_free);
  g_clear_pointer (&self->proposals, json_decref);
  G_OBJECT_CLASS (sd_support_page_parent_class)->dispose (object);
}

static void
sd_support_page_class_init (SdSupportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_support_page_dispose;

  g_type_ensure (SD_TYPE_REFLOW_BOX);
  g_type_ensure (SD_TYPE_SUPPORT_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-support-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, updated_label);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, matches_expander);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, matches_list);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, district_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, people_view);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, shown_label);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, person_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_person_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_toggled_cb);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, list_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, map_button);
  gtk_widget_class_bind_template_child (widget_class, SdSupportPage, support_map);
  gtk_widget_class_install_action (widget_class, "support.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "support.save", "s", save_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_support_page_init (SdSupportPage *self)
{
  static const char *const tables[] = {
    "support_persons", "support_reports", "support_contacts", "shelters", "person_events", "persons", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->live = sd_live_refresh_new (GTK_WIDGET (self), G_CALLBACK (sd_support_page_refresh), tables);
  self->status = -1;
  self->people = g_list_store_new (SD_TYPE_JSON_ITEM);
  self->filter = GTK_FILTER (gtk_custom_filter_new (person_matches, self, NULL));
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->people), self->filter);
  self->sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->filtered)),
                                          g_object_ref (gtk_column_view_get_sorter (self->people_view)));
  gtk_column_view_set_model (self->people_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->sorted)))));

  add_column (self, _("District"), person_district, 110);
  add_column (self, _("No."), person_number, 96);
  add_column (self, _("Full name"), person_name, 130);
  add_column (self, _("Status"), person_status, 150);
  add_column (self, _("Reason"), person_reason, 0);
  add_column (self, _("Supporters"), person_supporters, 150);
  add_column (self, _("Address"), person_address, 200);
  add_column (self, _("Phone"), person_phone, 120);

  add_status_button (self, -1);
  for (int s = 0; s < SD_N_SUPPORT_STATUSES; s++)
    add_status_button (self, s);
  gtk_toggle_button_set_active (self->status_buttons[0], TRUE);

  self->districts = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->district_dropdown, G_LIST_MODEL (self->districts));
  update_actions (self);
}
