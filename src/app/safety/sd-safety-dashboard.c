/* sd-safety-dashboard.c: HQ's view of a roll-call: charts, every answer sortable, and who has not answered.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One recount (sd_store_count_safety: one row per member of staff) feeds
 * the three charts for whatever department and section are chosen; the
 * answers and the not-answered list are GListModels filtered by the same
 * choice, the answers sorted by any column.  It reads again when this
 * process writes an answer (SdStore::changed) and, while it is on
 * screen, when another process has committed (the receiver's web form,
 * an import by the CLI): SQLite's data version, polled every two
 * seconds, says so without reading anything else.
 */
#include "sd-safety-dashboard.h"
#include "sd-safety-chart.h"
#include "sd-reflow-box.h"
#include "sd-live-refresh.h"
#include "sd-save-folder.h"
#include "sd-text-column.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _SdSafetyDashboard
{
  GtkWidget        parent_instance;

  /* Template Widgets */
  GtkDropDown     *department_dropdown;
  GtkDropDown     *section_dropdown;
  GtkLabel        *updated_label;
  GtkStack        *view_stack;
  GtkLabel        *totals_heading;
  SdSafetyChart   *totals_chart;
  SdSafetyChart   *cumulative_chart;
  SdSafetyChart   *departments_chart;
  GtkColumnView   *answers_view;
  GtkLabel        *missing_label;
  GtkColumnView   *missing_view;

  /* Owned References */
  SdStore         *store;
  SdRollcall      *rollcall;
  SdSafetyCount   *count;
  GListStore      *answers;          /* every newest answer */
  GListStore      *missing;          /* every member of staff not answered */
  GtkFilter       *answers_filter;
  GtkFilter       *missing_filter;
  GtkFilterListModel *answers_filtered;
  GtkFilterListModel *missing_filtered;
  GtkSortListModel *answers_sorted;
  GtkStringList   *departments;      /* [0] everyone */
  GtkStringList   *sections;         /* [0] every section */
  char            *department;       /* NULL: everyone */
  char            *section;
  SdLiveRefresh   *live;
  gboolean         filling;          /* the dropdowns are being refilled */
};

G_DEFINE_FINAL_TYPE (SdSafetyDashboard, sd_safety_dashboard, GTK_TYPE_WIDGET)

/* ---- columns ---- */

static char *
answered_at_text (gpointer item)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (sd_safety_answer_get_answered_at (item) / 1000);

  return g_date_time_format (at, "%m/%d %H:%M");
}

static char *answer_department (gpointer item) { return g_strdup (sd_safety_answer_get_department (item)); }
static char *answer_section (gpointer item) { return g_strdup (sd_safety_answer_get_section (item)); }
static char *answer_rank (gpointer item) { return g_strdup (sd_safety_answer_get_rank (item)); }
static char *answer_name (gpointer item) { return g_strdup (sd_safety_answer_get_name (item)); }
static char *answer_safety (gpointer item) { return g_strdup (sd_safety_label (sd_safety_answer_get_safety (item))); }

static char *
answer_can_report (gpointer item)
{
  return g_strdup (sd_safety_answer_get_can_report (item) ? _("Yes") : _("No"));
}

static char *
answer_arrival (gpointer item)
{
  if (!sd_safety_answer_get_can_report (item))
    return g_strdup ("—");
  return g_strdup_printf ("%s (%s)", sd_arrival_label (sd_safety_answer_get_arrival (item)),
                          sd_means_label (sd_safety_answer_get_means (item)));
}

static char *
answer_via (gpointer item)
{
  if (sd_safety_answer_get_recorded_by_name (item) != NULL)
    return g_strdup_printf ("%s: %s", sd_answer_via_label (sd_safety_answer_get_via (item)),
                            sd_safety_answer_get_recorded_by_name (item));
  return g_strdup (sd_answer_via_label (sd_safety_answer_get_via (item)));
}

static char *answer_message (gpointer item) { return g_strdup (sd_safety_answer_get_message (item)); }
static char *staff_no (gpointer item) { return g_strdup (sd_staff_get_staff_no (item)); }
static char *staff_name (gpointer item) { return g_strdup (sd_staff_get_name (item)); }
static char *staff_department (gpointer item) { return g_strdup (sd_staff_get_department (item)); }
static char *staff_section (gpointer item) { return g_strdup (sd_staff_get_section (item)); }
static char *staff_rank (gpointer item) { return g_strdup (sd_staff_get_rank (item)); }
static char *staff_phone (gpointer item) { return g_strdup (sd_staff_get_phone (item)); }

/* A column of text from TEXT, sorted by the item's property SORT_BY
 * (string or number), or not sortable when NULL. */
static void
add_column (GtkColumnView *view,
            GType          item_type,
            const char    *title,
            SdCellText     text,
            const char    *sort_by,
            int            width)
{
  GtkSorter *sorter = NULL;

  if (sort_by != NULL)
    {
      gpointer klass = g_type_class_ref (item_type);
      GParamSpec *pspec = g_object_class_find_property (klass, sort_by);
      GtkExpression *expression = gtk_property_expression_new (item_type, NULL, sort_by);

      sorter = pspec->value_type == G_TYPE_STRING ? GTK_SORTER (gtk_string_sorter_new (expression))
                                                  : GTK_SORTER (gtk_numeric_sorter_new (expression));
      g_type_class_unref (klass);
    }
  sd_column_view_add_text (view, title, text, sorter, width);
}

/* ---- filtering ---- */

static gboolean
matches (SdSafetyDashboard *self,
         const char        *department,
         const char        *section)
{
  return (self->department == NULL || g_strcmp0 (department != NULL ? department : "", self->department) == 0) &&
         (self->section == NULL || g_strcmp0 (section != NULL ? section : "", self->section) == 0);
}

static gboolean
answer_matches (gpointer item,
                gpointer user_data)
{
  return matches (user_data, sd_safety_answer_get_department (item), sd_safety_answer_get_section (item));
}

static gboolean
staff_matches (gpointer item,
               gpointer user_data)
{
  return matches (user_data, sd_staff_get_department (item), sd_staff_get_section (item));
}

/* The name of choice N of a dropdown of names whose first is "all". */
static char *
chosen_name (GtkDropDown   *dropdown,
             GtkStringList *names)
{
  guint n = gtk_drop_down_get_selected (dropdown);

  if (n == 0 || n == GTK_INVALID_LIST_POSITION || n >= g_list_model_get_n_items (G_LIST_MODEL (names)))
    return NULL;
  return g_strdup (gtk_string_list_get_string (names, n));
}

static void
fill_names (GtkStringList      *list,
            const char         *all,
            const char *const  *names)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();

  g_ptr_array_add (strings, (gpointer) all);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_ptr_array_add (strings, (gpointer) names[i]);
  g_ptr_array_add (strings, NULL);
  gtk_string_list_splice (list, 0, n, (const char *const *) strings->pdata);
}

/* Selects NAME in a dropdown of names (0, "all", when NULL or gone). */
static void
select_name (GtkDropDown   *dropdown,
             GtkStringList *names,
             const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (names)), found = 0;

  for (guint i = 1; name != NULL && i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (names, i), name) == 0)
      found = i;
  gtk_drop_down_set_selected (dropdown, found);
}

static void
show_totals (SdSafetyDashboard *self)
{
  SdSafetyTotals totals = { 0 };
  g_autofree char *heading = NULL;
  g_autofree char *missing = NULL;

  sd_safety_chart_set_count (self->totals_chart, self->count, self->department, self->section);
  sd_safety_chart_set_count (self->cumulative_chart, self->count, self->department, self->section);
  sd_safety_chart_set_count (self->departments_chart, self->count, self->department, self->section);
  if (self->count != NULL)
    sd_safety_count_totals (self->count, self->department, self->section, &totals);
  heading = g_strdup_printf (_("%u of %u have answered"), totals.answered, totals.roster);
  gtk_label_set_text (self->totals_heading, heading);
  missing = g_strdup_printf (g_dngettext (NULL, "%u has not answered. Print call sheets to phone them.",
                                          "%u have not answered. Print call sheets to phone them.",
                                          totals.roster - totals.answered),
                             totals.roster - totals.answered);
  gtk_label_set_text (self->missing_label, missing);
}

static void
apply_filter (SdSafetyDashboard *self)
{
  if (self->answers_filter == NULL)
    return;
  gtk_filter_changed (self->answers_filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (self->missing_filter, GTK_FILTER_CHANGE_DIFFERENT);
  show_totals (self);
}

static void
fill_sections (SdSafetyDashboard *self)
{
  const char *const *names = self->count != NULL && self->department != NULL
                             ? sd_safety_count_sections (self->count, self->department) : NULL;

  self->filling = TRUE;
  fill_names (self->sections, _("Every section"), names);
  select_name (self->section_dropdown, self->sections, self->section);
  gtk_widget_set_sensitive (GTK_WIDGET (self->section_dropdown), self->department != NULL);
  self->filling = FALSE;
  g_free (self->section);
  self->section = chosen_name (self->section_dropdown, self->sections);
}

static void
department_changed_cb (SdSafetyDashboard *self)
{
  if (self->filling)
    return;
  g_free (self->department);
  self->department = chosen_name (self->department_dropdown, self->departments);
  g_clear_pointer (&self->section, g_free);
  fill_sections (self);
  apply_filter (self);
}

static void
filter_changed_cb (SdSafetyDashboard *self)
{
  if (self->filling)
    return;
  g_free (self->section);
  self->section = chosen_name (self->section_dropdown, self->sections);
  apply_filter (self);
}

/* ---- reading ---- */

static void
replace_all (GListStore *store,
             GListModel *items)
{
  guint n = items != NULL ? g_list_model_get_n_items (items) : 0;
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (objects, g_list_model_get_item (items, i));
  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)), objects->pdata, objects->len);
}

void
sd_safety_dashboard_refresh (SdSafetyDashboard *self)
{
  g_autoptr(GListModel) answers = NULL;
  g_autoptr(GListModel) missing = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%H:%M:%S");
  g_autofree char *updated = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  g_clear_pointer (&self->count, sd_safety_count_free);
  if (self->store != NULL && self->rollcall != NULL)
    {
      const char *id = sd_rollcall_get_id (self->rollcall);

      sd_live_refresh_reading (self->live);
      self->count = sd_store_count_safety (self->store, id, &error);
      if (self->count != NULL)
        answers = sd_store_list_safety_answers (self->store, id, &error);
      if (answers != NULL)
        missing = sd_store_list_safety_missing (self->store, id, &error);
    }
  replace_all (self->answers, answers);
  replace_all (self->missing, missing);

  self->filling = TRUE;
  fill_names (self->departments, _("Every department"),
              self->count != NULL ? sd_safety_count_departments (self->count) : NULL);
  select_name (self->department_dropdown, self->departments, self->department);
  self->filling = FALSE;
  g_free (self->department);
  self->department = chosen_name (self->department_dropdown, self->departments);
  fill_sections (self);
  apply_filter (self);

  if (error != NULL)
    updated = g_strdup (error->message);
  else
    updated = g_strdup_printf (_("Updated at %s"), time);
  gtk_label_set_text (self->updated_label, updated);
}

/* ---- one person's history ---- */

static void
answer_activated_cb (SdSafetyDashboard *self,
                     guint              position)
{
  g_autoptr(SdSafetyAnswer) answer = g_list_model_get_item (G_LIST_MODEL (self->answers_sorted), position);
  g_autoptr(GListModel) history = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (answer == NULL || self->rollcall == NULL)
    return;
  history = sd_store_list_safety_history (self->store, sd_rollcall_get_id (self->rollcall),
                                          sd_safety_answer_get_staff_no (answer), NULL);
  for (guint i = 0; history != NULL && i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(SdSafetyAnswer) a = g_list_model_get_item (history, i);
      g_autofree char *at = answered_at_text (a);
      g_autofree char *coming = answer_arrival (a);
      g_autofree char *via = answer_via (a);
      const char *note = sd_safety_answer_get_where_note (a);
      const char *message = sd_safety_answer_get_message (a);

      g_string_append_printf (body, "%s%s  %s, %s%s%s, %s %s  (%s)%s%s", i > 0 ? "\n\n" : "", at,
                              sd_safety_label (sd_safety_answer_get_safety (a)),
                              sd_where_label (sd_safety_answer_get_where (a)), note ? " " : "", note ? note : "",
                              sd_safety_answer_get_can_report (a) ? _("can report:") : _("cannot report"),
                              sd_safety_answer_get_can_report (a) ? coming : "", via,
                              message ? "\n" : "", message ? message : "");
    }
  heading = g_strdup_printf ("%s  %s %s %s", sd_safety_answer_get_name (answer),
                             sd_safety_answer_get_department (answer) ? sd_safety_answer_get_department (answer) : "",
                             sd_safety_answer_get_section (answer) ? sd_safety_answer_get_section (answer) : "",
                             sd_safety_answer_get_phone (answer) ? sd_safety_answer_get_phone (answer) : "");
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), heading, body->str);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- saving the not-answered list ---- */

typedef struct {
  SdRollcall *rollcall;
  GListModel *missing;    /* a copy: the list may change while it is written */
  GFile      *file;
  char       *site_name;
  gint64      now;
  gboolean    pdf;
  gboolean    exercise;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_object_unref (job->rollcall);
  g_object_unref (job->missing);
  g_object_unref (job->file);
  g_free (job->site_name);
  g_free (job);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  SaveJob *job = data;
  GError *error = NULL;
  gboolean ok;

  if (job->pdf)
    {
      g_autofree char *path = g_file_get_path (job->file);

      ok = sd_safety_write_call_sheets (job->rollcall, job->missing, job->exercise, job->site_name, job->now, path,
                                        &error);
    }
  else
    {
      g_autoptr(GFileOutputStream) out = g_file_replace (job->file, NULL, FALSE,
                                                        G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                                        cancellable, &error);

      ok = out != NULL &&
           sd_safety_write_missing_csv (job->missing, job->exercise, G_OUTPUT_STREAM (out), cancellable, &error) &&
           g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error);
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sd_safety_dashboard_save_async (SdSafetyDashboard  *self,
                                GFile              *file,
                                gboolean            pdf,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  GListStore *copy;
  SaveJob *job;

  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_safety_dashboard_save_async);
  if (self->rollcall == NULL)
    {
      g_task_return_new_error (task, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND, _("There is no roll-call to save."));
      return;
    }
  copy = g_list_store_new (SD_TYPE_STAFF);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->missing_filtered)); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->missing_filtered), i);

      g_list_store_append (copy, item);
    }
  job = g_new0 (SaveJob, 1);
  job->rollcall = g_object_ref (self->rollcall);
  job->missing = G_LIST_MODEL (copy);
  job->file = g_object_ref (file);
  job->site_name = g_strdup (sd_store_get_site_name (self->store));
  job->now = sd_store_now_ms (self->store);
  job->pdf = pdf;
  job->exercise = sd_store_get_is_exercise (self->store);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sd_safety_dashboard_save_finish (SdSafetyDashboard  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  SaveJob *job;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (job != NULL)
    sd_save_folder_remember (job->file);
  return TRUE;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  SdSafetyDashboard *self = SD_SAFETY_DASHBOARD (object);
  g_autoptr(GError) error = NULL;

  gtk_label_set_text (self->missing_label, sd_safety_dashboard_save_finish (self, result, &error)
                                           ? _("Saved.") : error->message);
}

static void
save_chosen_cb (GtkWidget *widget,
                GFile     *file,
                gboolean   pdf)
{
  sd_safety_dashboard_save_async (SD_SAFETY_DASHBOARD (widget), file, pdf, NULL, saved_cb, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gboolean pdf = g_str_equal (g_variant_get_string (parameter, NULL), "pdf");
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M");
  g_autofree char *name = g_strdup_printf ("%s-%s.%s", pdf ? "call-sheets" : "not-answered", stamp,
                                           pdf ? "pdf" : "csv");

  sd_save_folder_ask (widget, pdf ? _("Save the call sheets") : _("Save the list of staff not answered"), name, pdf,
                      save_chosen_cb);
}

/* ---- public ---- */

void
sd_safety_dashboard_set_store (SdSafetyDashboard *self,
                               SdStore           *store)
{
  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  g_set_object (&self->store, store);
  sd_live_refresh_set_store (self->live, store);
}

void
sd_safety_dashboard_set_rollcall (SdSafetyDashboard *self,
                                  SdRollcall        *rollcall)
{
  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  g_set_object (&self->rollcall, rollcall);
  sd_safety_dashboard_refresh (self);
}

void
sd_safety_dashboard_set_filter (SdSafetyDashboard *self,
                                const char        *department,
                                const char        *section)
{
  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  select_name (self->department_dropdown, self->departments, department);
  select_name (self->section_dropdown, self->sections, section);
}

void
sd_safety_dashboard_show (SdSafetyDashboard *self,
                          const char        *view)
{
  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));
  gtk_stack_set_visible_child_name (self->view_stack, view);
}

GListModel *
sd_safety_dashboard_get_answers (SdSafetyDashboard *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_DASHBOARD (self), NULL);
  return G_LIST_MODEL (self->answers_sorted);
}

GListModel *
sd_safety_dashboard_get_missing (SdSafetyDashboard *self)
{
  g_return_val_if_fail (SD_IS_SAFETY_DASHBOARD (self), NULL);
  return G_LIST_MODEL (self->missing_filtered);
}

void
sd_safety_dashboard_get_totals (SdSafetyDashboard *self,
                                SdSafetyTotals    *out)
{
  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  memset (out, 0, sizeof *out);
  if (self->count != NULL)
    sd_safety_count_totals (self->count, self->department, self->section, out);
}

void
sd_safety_dashboard_sort_by (SdSafetyDashboard *self,
                             const char        *title,
                             GtkSortType        order)
{
  GListModel *columns;

  g_return_if_fail (SD_IS_SAFETY_DASHBOARD (self));

  columns = gtk_column_view_get_columns (self->answers_view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_title (column), title) == 0)
        gtk_column_view_sort_by_column (self->answers_view, column, order);
    }
}

/* ---- GObject ---- */

static void
sd_safety_dashboard_dispose (GObject *object)
{
  SdSafetyDashboard *self = SD_SAFETY_DASHBOARD (object);
  GtkWidget *child;

  g_clear_pointer (&self->live, sd_live_refresh_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_SAFETY_DASHBOARD);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  g_clear_object (&self->rollcall);
  g_clear_pointer (&self->count, sd_safety_count_free);
  g_clear_object (&self->answers_sorted);
  g_clear_object (&self->answers_filtered);
  g_clear_object (&self->missing_filtered);
  g_clear_object (&self->departments);
  g_clear_object (&self->sections);
  G_OBJECT_CLASS (sd_safety_dashboard_parent_class)->dispose (object);
}

static void
sd_safety_dashboard_finalize (GObject *object)
{
  SdSafetyDashboard *self = SD_SAFETY_DASHBOARD (object);

  g_free (self->department);
  g_free (self->section);
  G_OBJECT_CLASS (sd_safety_dashboard_parent_class)->finalize (object);
}

static void
sd_safety_dashboard_class_init (SdSafetyDashboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_safety_dashboard_dispose;
  object_class->finalize = sd_safety_dashboard_finalize;

  g_type_ensure (SD_TYPE_REFLOW_BOX);
  g_type_ensure (SD_TYPE_SAFETY_CHART);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/shelterdesk/ShelterDesk/sd-safety-dashboard.ui");
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, department_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, section_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, updated_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, totals_heading);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, totals_chart);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, cumulative_chart);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, departments_chart);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, answers_view);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, missing_label);
  gtk_widget_class_bind_template_child (widget_class, SdSafetyDashboard, missing_view);
  gtk_widget_class_bind_template_callback (widget_class, department_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, answer_activated_cb);
  gtk_widget_class_install_action (widget_class, "dashboard.save", "s", save_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
sd_safety_dashboard_init (SdSafetyDashboard *self)
{
  g_autoptr(GtkSelectionModel) answers_selection = NULL;
  g_autoptr(GtkSelectionModel) missing_selection = NULL;
  GtkSorter *sorter;

  static const char *const tables[] = { "safety_answers", "rollcalls", "staff", NULL };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->live = sd_live_refresh_new (GTK_WIDGET (self), G_CALLBACK (sd_safety_dashboard_refresh), tables);
  self->answers = g_list_store_new (SD_TYPE_SAFETY_ANSWER);
  self->missing = g_list_store_new (SD_TYPE_STAFF);
  self->answers_filter = GTK_FILTER (gtk_custom_filter_new (answer_matches, self, NULL));
  self->missing_filter = GTK_FILTER (gtk_custom_filter_new (staff_matches, self, NULL));
  self->answers_filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->answers), self->answers_filter);
  self->missing_filtered = gtk_filter_list_model_new (G_LIST_MODEL (self->missing), self->missing_filter);

  /* After the filters: choosing in a dropdown applies them. */
  self->departments = gtk_string_list_new (NULL);
  self->sections = gtk_string_list_new (NULL);
  gtk_drop_down_set_model (self->department_dropdown, G_LIST_MODEL (self->departments));
  gtk_drop_down_set_model (self->section_dropdown, G_LIST_MODEL (self->sections));

  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Answered"), answered_at_text, "answered-at", 120);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Department"), answer_department, "department", 130);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Section"), answer_section, "section", 120);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Rank"), answer_rank, "rank", 100);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Name"), answer_name, "kana", 120);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Safety"), answer_safety, "safety", 80);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Can report"), answer_can_report, "can-report", 90);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Time to arrive"), answer_arrival, "arrival", 190);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("How"), answer_via, NULL, 150);
  add_column (self->answers_view, SD_TYPE_SAFETY_ANSWER, _("Message"), answer_message, NULL, 0);
  sorter = gtk_column_view_get_sorter (self->answers_view);
  self->answers_sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->answers_filtered)),
                                                  g_object_ref (sorter));
  answers_selection = GTK_SELECTION_MODEL (gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->answers_sorted))));
  gtk_column_view_set_model (self->answers_view, answers_selection);

  add_column (self->missing_view, SD_TYPE_STAFF, _("No."), staff_no, NULL, 80);
  add_column (self->missing_view, SD_TYPE_STAFF, _("Name"), staff_name, NULL, 130);
  add_column (self->missing_view, SD_TYPE_STAFF, _("Department"), staff_department, NULL, 140);
  add_column (self->missing_view, SD_TYPE_STAFF, _("Section"), staff_section, NULL, 130);
  add_column (self->missing_view, SD_TYPE_STAFF, _("Rank"), staff_rank, NULL, 130);
  add_column (self->missing_view, SD_TYPE_STAFF, _("Phone"), staff_phone, NULL, 0);
  missing_selection = GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->missing_filtered))));
  gtk_column_view_set_model (self->missing_view, missing_selection);
}
