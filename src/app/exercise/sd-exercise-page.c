/* sd-exercise-page.c: the facilitator's console of a tabletop exercise: scenario, clock, injects, observations.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HQ's Exercise desk, on an exercise database only.  The facilitator
 * loads the scenario (its injects are written into the file, state
 * "ready"), starts the shared clock at a speed, pauses and resumes it,
 * and steers single injects: delivered now, skipped, re-timed, marked
 * done.  Observations are written down as they happen, stamped in
 * exercise time, about one inject or none.
 *
 * Everything shown is read from the file (sd-exercise-live.h), so what
 * the console says is what every player's desk sees: the clock four
 * times a second while the page is on screen, the injects when the file
 * changed (the engine's worker tells this store; another process shows
 * in SQLite's data version).  The engine itself runs in a worker thread
 * (SdExerciseRunner) for as long as the page exists, whichever desk is
 * on screen: switching desks never stops the exercise, closing the
 * window does.
 */
#include "sd-exercise-page.h"

#include "sd-exercise-live.h"
#include "sd-exercise-row.h"
#include "sd-exercise-scrubber.h"
#include "sd-exercise-words.h"
#include "sd-open-csv.h"
#include "sd-reflow-box.h"
#include "sd-scenario.h"
#include "sd-text-column.h"

#include <glib/gi18n.h>
#include <stdio.h>

#define CLOCK_MS 250

struct _SdExercisePage
{
  GtkWidget           parent_instance;

  /* Template Widgets */
  GtkLabel           *clock_label;
  GtkLabel           *headline_label;
  GtkLabel           *about_label;
  GtkWidget          *start_button;
  GtkWidget          *pause_button;
  GtkWidget          *resume_button;
  GtkWidget          *setup_box;
  GtkSpinButton      *seed_spin;
  GtkEntry           *start_entry;
  GtkLabel           *message_label;
  GtkColumnView      *injects_view;
  GtkLabel           *detail_title;
  GtkLabel           *detail_text;
  GtkLabel           *detail_more;
  GtkEntry           *retime_entry;
  GtkEntry           *observation_entry;
  GtkCheckButton     *about_check;
  GtkListBox         *observations_list;
  GtkStack           *view_stack;
  SdExerciseScrubber *scrubber;

  /* Owned References */
  SdStore            *store;
  SdExerciseRunner   *runner;
  GListStore         *rows;           /* SdExerciseRow, by due time */
  GtkSingleSelection *selection;
  GListStore         *observations;   /* SdExerciseObservation */
  char               *action_error;   /* the last control's refusal, until the next works */
  char               *read_error;     /* the injects could not be read */
  char               *clock_error;    /* the clock could not be read */

  /* The clock as last read */
  SdExerciseClock     clock;
  gboolean            have_run;
  gint64              now;

  guint               clock_source;
  gint64              data_version;
  gboolean            dirty;          /* the injects or observations changed */
  gboolean            engine_ran;     /* the runner ticked since its last start */
  int                 speed;
  gboolean            history_shown;  /* the scrubber was shown once */
};

G_DEFINE_FINAL_TYPE (SdExercisePage, sd_exercise_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static SdExerciseRow *
selected_row (SdExercisePage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

static const char *
selected_state (SdExercisePage *self)
{
  SdExerciseRow *row = selected_row (self);

  return row != NULL ? sd_exercise_inject_get_state (sd_exercise_row_get_inject (row)) : NULL;
}

/* Shows ERROR (or clears the last one) under the controls. */
static void
report (SdExercisePage *self,
        const GError   *error)
{
  g_free (self->action_error);
  self->action_error = error != NULL ? g_strdup (error->message) : NULL;
}

/* ---- what the page shows ---- */

static const char *
state_words (SdExerciseState state)
{
  switch (state)
    {
    case SD_EXERCISE_READY: return _("Ready to start");
    case SD_EXERCISE_RUNNING: return _("Running");
    case SD_EXERCISE_PAUSED: return _("Paused");
    case SD_EXERCISE_ENDED: return _("Ended");
    default: return "";
    }
}

static void
show_clock (SdExercisePage *self)
{
  SdExerciseRunnerState runner = sd_exercise_runner_get_state (self->runner);
  g_autofree char *clock = sd_exercise_format_clock (self->now);

  gtk_label_set_text (self->clock_label, clock);
  if (self->have_run)
    {
      g_autoptr(GDateTime) t0 = g_date_time_new_from_unix_local (self->clock.start_at / 1000);
      g_autofree char *t0_text = g_date_time_format (t0, "%Y-%m-%d %H:%M");
      g_autofree char *speed = self->clock.speed == 0 ? g_strdup (_("as fast as possible"))
                               /* Translators: the exercise clock's pace: "60× speed" */
                               : g_strdup_printf (_("%d× speed"), self->clock.speed);
      g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, self->clock.seed);
      /* Translators: the exercise's scenario, pace, start and seed: "m7-day1 · 60× speed · T+0 2026-12-05 05:46 · seed 1" */
      g_autofree char *about = g_strdup_printf (_("%s · %s · T+0 %s · seed %s"), self->clock.scenario_name, speed,
                                                t0_text, seed);

      /* Where it stands first: it is what a facilitator looks up for. */
      gtk_label_set_text (self->headline_label, state_words (self->clock.state));
      gtk_label_set_text (self->about_label, about);
      /* The whole line, where a small screen cuts it short. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->about_label), about);
    }
  else
    {
      gtk_label_set_text (self->headline_label, runner == SD_EXERCISE_RUNNER_LOADING ? _("Loading the scenario…")
                                                                                       : _("No scenario loaded"));
      gtk_label_set_text (self->about_label, _("Load the scenario (CSV or JSON) to write its injects here."));
    }
}

static void
show_message (SdExercisePage *self)
{
  SdExerciseRunnerState runner = sd_exercise_runner_get_state (self->runner);
  g_autofree char *text = NULL;
  gboolean is_error = TRUE;

  if (runner == SD_EXERCISE_RUNNER_FAILED && self->engine_ran)
    text = g_strdup_printf (_("The engine stopped: %s The exercise is paused; Resume starts the engine again."),
                            sd_exercise_runner_get_error (self->runner));
  else if (runner == SD_EXERCISE_RUNNER_FAILED)
    text = g_strdup_printf (_("The scenario was not loaded: %s"), sd_exercise_runner_get_error (self->runner));
  else if (self->action_error != NULL)
    text = g_strdup (self->action_error);
  else if (self->read_error != NULL || self->clock_error != NULL)
    text = g_strdup (self->read_error != NULL ? self->read_error : self->clock_error);
  else if (self->have_run && self->clock.state != SD_EXERCISE_ENDED && runner != SD_EXERCISE_RUNNER_TICKING &&
           runner != SD_EXERCISE_RUNNER_LOADING)
    {
      /* The console was closed and opened again: the engine needs its
       * scenario file back. */
      text = g_strdup (_("Nothing is delivered until the engine runs on this desk: load the scenario file this "
                         "exercise started with."));
      is_error = FALSE;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
    }
}

static void
show_detail (SdExercisePage *self)
{
  SdExerciseRow *row = selected_row (self);
  SdExerciseInject *inject;
  g_autoptr(GString) more = NULL;
  g_autofree char *title = NULL, *state = NULL, *due = NULL, *timers = NULL, *about = NULL;
  const char *lines[4][2];

  if (row == NULL)
    {
      gtk_label_set_text (self->detail_title, _("Select an inject in the list."));
      gtk_label_set_text (self->detail_text, "");
      gtk_label_set_text (self->detail_more, "");
      gtk_check_button_set_label (self->about_check, _("About the selected inject"));
      gtk_widget_set_sensitive (GTK_WIDGET (self->about_check), FALSE);
      return;
    }
  inject = sd_exercise_row_get_inject (row);
  g_object_get (row, "state", &state, "due", &due, "timers", &timers, NULL);
  /* Translators: the selected inject: "Inject 3 · T+00:10 · Delivered" */
  title = g_strdup_printf (_("Inject %s · %s · %s"), sd_exercise_inject_get_serial (inject), due, state);
  gtk_label_set_text (self->detail_title, title);
  gtk_label_set_text (self->detail_text, sd_exercise_inject_get_description (inject));
  lines[0][0] = _("From:");
  lines[0][1] = sd_exercise_inject_get_sender (inject);
  lines[1][0] = _("To:");
  lines[1][1] = sd_exercise_inject_get_recipient (inject);
  lines[2][0] = _("Expected:");
  lines[2][1] = sd_exercise_inject_get_expected (inject);
  lines[3][0] = _("Machine action:");
  lines[3][1] = sd_exercise_inject_get_action (inject);
  more = g_string_new (timers);
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    if (lines[i][1] != NULL && *lines[i][1] != '\0')
      g_string_append_printf (more, "%s%s %s", more->len > 0 ? "\n" : "", lines[i][0], lines[i][1]);
  gtk_label_set_text (self->detail_more, more->str);
  /* Translators: the check box beside an observation: tie it to the selected inject */
  about = g_strdup_printf (_("About inject %s"), sd_exercise_inject_get_serial (inject));
  gtk_check_button_set_label (self->about_check, about);
  gtk_widget_set_sensitive (GTK_WIDGET (self->about_check), TRUE);
}

static void
update_controls (SdExercisePage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  SdExerciseRunnerState runner = sd_exercise_runner_get_state (self->runner);
  gboolean loading = runner == SD_EXERCISE_RUNNER_LOADING;
  gboolean ticking = runner == SD_EXERCISE_RUNNER_TICKING;
  SdExerciseState state = self->have_run ? self->clock.state : SD_EXERCISE_READY;
  gboolean ended = self->have_run && state == SD_EXERCISE_ENDED;
  const char *inject = selected_state (self);
  gboolean pending = g_strcmp0 (inject, "pending") == 0;
  gboolean open = g_strcmp0 (inject, "delivered") == 0 || g_strcmp0 (inject, "acknowledged") == 0;

  gtk_widget_action_set_enabled (widget, "exercise.choose", self->store != NULL && !loading && !ticking && !ended);
  gtk_widget_set_visible (self->start_button, state == SD_EXERCISE_READY);
  gtk_widget_action_set_enabled (widget, "exercise.start", ticking && self->have_run && state == SD_EXERCISE_READY);
  gtk_widget_set_visible (self->pause_button, state == SD_EXERCISE_RUNNING);
  gtk_widget_action_set_enabled (widget, "exercise.pause", self->have_run && state == SD_EXERCISE_RUNNING);
  gtk_widget_set_visible (self->resume_button, state == SD_EXERCISE_PAUSED);
  gtk_widget_action_set_enabled (widget, "exercise.resume", self->have_run && state == SD_EXERCISE_PAUSED &&
                                 (ticking || sd_exercise_runner_get_scenario_path (self->runner) != NULL));
  gtk_widget_action_set_enabled (widget, "exercise.speed", self->store != NULL && !ended);
  gtk_widget_set_visible (self->setup_box, !self->have_run);
  gtk_widget_set_sensitive (self->setup_box, !loading);
  gtk_widget_action_set_enabled (widget, "exercise.deliver-now", pending && !ended);
  gtk_widget_action_set_enabled (widget, "exercise.skip", pending && !ended);
  gtk_widget_action_set_enabled (widget, "exercise.retime", pending && !ended);
  gtk_widget_action_set_enabled (widget, "exercise.mark-done", open);
  gtk_widget_action_set_enabled (widget, "exercise.add-observation", self->have_run);
}

/* ---- reading the file ---- */

static GtkWidget *
observation_row (gpointer item,
                 gpointer user_data)
{
  SdExerciseObservation *observation = item;
  g_autofree char *at = sd_exercise_format_clock (sd_exercise_observation_get_at (observation));
  const char *serial = sd_exercise_observation_get_serial (observation);
  /* Translators: an observation about an inject: "T+00:12:30 · inject 3 · 受付に列" */
  g_autofree char *text = serial != NULL ? g_strdup_printf (_("%s · inject %s · %s"), at, serial,
                                                            sd_exercise_observation_get_text (observation))
                                         : g_strdup_printf ("%s · %s", at,
                                                            sd_exercise_observation_get_text (observation));
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_start (label, 8);
  gtk_widget_set_margin_end (label, 8);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  return label;
}

/* The same injects in the same order: the rows are updated in place
 * (the selection and the focus stay); else the list is made again and
 * the inject selected before is selected again. */
static void
reload_injects (SdExercisePage *self,
                GListModel     *injects)
{
  guint n = g_list_model_get_n_items (injects);
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->rows));
  gboolean same = n == old;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autofree char *keep = NULL;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
      g_autoptr(SdExerciseRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      same = g_strcmp0 (sd_exercise_inject_get_serial (inject), sd_exercise_row_get_serial (row)) == 0;
    }
  if (same)
    {
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);
          g_autoptr(SdExerciseRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

          sd_exercise_row_update (row, inject, self->now);
        }
      return;
    }
  if (selected_row (self) != NULL)
    keep = g_strdup (sd_exercise_row_get_serial (selected_row (self)));
  fresh = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdExerciseInject) inject = g_list_model_get_item (injects, i);

      g_ptr_array_add (fresh, sd_exercise_row_new (inject, self->now));
    }
  g_list_store_splice (self->rows, 0, old, fresh->pdata, fresh->len);
  if (keep != NULL)
    sd_exercise_page_select (self, keep);
}

static void
reload (SdExercisePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) injects = NULL;
  g_autoptr(GListModel) observations = NULL;

  g_clear_pointer (&self->read_error, g_free);
  injects = sd_exercise_list_injects (self->store, &error);
  if (injects != NULL)
    observations = sd_exercise_list_observations (self->store, &error);
  if (observations == NULL)
    {
      /* Read again at the next tick (the file may be busy a moment). */
      self->read_error = g_strdup (error->message);
      self->dirty = TRUE;
      return;
    }
  reload_injects (self, injects);
  /* Observations are only ever added. */
  if (g_list_model_get_n_items (observations) != g_list_model_get_n_items (G_LIST_MODEL (self->observations)))
    {
      guint n = g_list_model_get_n_items (observations);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < n; i++)
        g_ptr_array_add (items, g_list_model_get_item (observations, i));
      g_list_store_splice (self->observations, 0, g_list_model_get_n_items (G_LIST_MODEL (self->observations)),
                           items->pdata, items->len);
    }
}

void
sd_exercise_page_refresh (SdExercisePage *self)
{
  g_autoptr(GError) error = NULL;
  gint64 version;

  g_return_if_fail (SD_IS_EXERCISE_PAGE (self));

  if (self->store == NULL)
    return;
  sd_exercise_clock_clear (&self->clock);
  self->have_run = sd_exercise_get_clock (self->store, &self->clock, &error);
  g_clear_pointer (&self->clock_error, g_free);
  if (!self->have_run && !g_error_matches (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
    self->clock_error = g_strdup (error->message);
  self->now = self->have_run ? sd_exercise_clock_now (&self->clock, g_get_real_time () / 1000) : 0;
  /* The facilitator's choice of speed waits for Start; after that the
   * file's speed is the one shown. */
  if (self->have_run && self->clock.state != SD_EXERCISE_READY && self->clock.speed != self->speed)
    {
      self->speed = self->clock.speed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
    }
  version = sd_store_get_data_version (self->store);
  if (version != self->data_version)
    {
      self->data_version = version;
      self->dirty = TRUE;
    }
  if (self->dirty)
    {
      self->dirty = FALSE;
      reload (self);
    }
  else
    /* Only the open injects' timers move. */
    for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->rows)); i++)
      {
        g_autoptr(SdExerciseRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

        sd_exercise_row_update (row, sd_exercise_row_get_inject (row), self->now);
      }
  show_clock (self);
  show_detail (self);
  show_message (self);
  update_controls (self);
}

static gboolean
clock_cb (gpointer data)
{
  sd_exercise_page_refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
mapped_cb (SdExercisePage *self)
{
  sd_exercise_page_refresh (self);
  if (self->clock_source == 0)
    self->clock_source = g_timeout_add (CLOCK_MS, clock_cb, self);
}

static void
unmapped_cb (SdExercisePage *self)
{
  g_clear_handle_id (&self->clock_source, g_source_remove);
}

static void
store_changed_cb (SdExercisePage *self)
{
  self->dirty = TRUE;
}

static void
runner_state_cb (SdExercisePage *self)
{
  switch (sd_exercise_runner_get_state (self->runner))
    {
    case SD_EXERCISE_RUNNER_LOADING:
      self->engine_ran = FALSE;
      break;
    case SD_EXERCISE_RUNNER_TICKING:
      self->engine_ran = TRUE;
      break;
    case SD_EXERCISE_RUNNER_FAILED:
      /* Nothing is delivered until the engine runs again: the clock
       * waits for it, rather than run past injects nobody gets. */
      if (self->engine_ran)
        sd_exercise_pause (self->store, NULL);
      break;
    case SD_EXERCISE_RUNNER_IDLE:
    case SD_EXERCISE_RUNNER_FINISHED:
    default:
      break;
    }
  self->dirty = TRUE;
  sd_exercise_page_refresh (self);
}

/* ---- loading ---- */

/* "2026-12-05 05:46" (or with a T, or slashes) in local time; empty is
 * now (0). */
static gboolean
parse_start (const char  *text,
             gint64      *out_ms,
             GError     **error)
{
  g_autofree char *tidy = g_strstrip (g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE));
  int y, mo, d, h, mi;
  char sep1, sep2, sep3;
  g_autoptr(GDateTime) at = NULL;

  *out_ms = 0;
  if (*tidy == '\0')
    return TRUE;
  if (sscanf (tidy, "%4d%c%2d%c%2d%c%2d:%2d", &y, &sep1, &mo, &sep2, &d, &sep3, &h, &mi) == 8 &&
      (sep1 == '-' || sep1 == '/') && sep2 == sep1 && (sep3 == ' ' || sep3 == 'T'))
    at = g_date_time_new_local (y, mo, d, h, mi, 0);
  if (at == NULL)
    {
      g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                   _("“%s” is not a date and time: write T+0 as 2026-12-05 05:46, or leave it empty for now."),
                   text);
      return FALSE;
    }
  *out_ms = g_date_time_to_unix (at) * 1000;
  return TRUE;
}

void
sd_exercise_page_load (SdExercisePage *self,
                       GFile          *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 start_at;

  g_return_if_fail (SD_IS_EXERCISE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("Choose a scenario file on this computer or on a USB stick."));
  else if (parse_start (gtk_editable_get_text (GTK_EDITABLE (self->start_entry)), &start_at, &error))
    sd_exercise_runner_start (self->runner, path, (guint64) gtk_spin_button_get_value_as_int (self->seed_spin),
                              start_at);
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
chosen_cb (GtkWidget *widget,
           GFile     *file)
{
  sd_exercise_page_load (SD_EXERCISE_PAGE (widget), file);
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  static const char *const suffixes[] = { "csv", "json", NULL };

  sd_open_file (widget, _("Load a scenario"), _("_Load"), _("Scenarios (CSV or JSON)"), suffixes, chosen_cb);
}

/* ---- the clock ---- */

static void
set_speed (SdExercisePage *self,
           int             speed)
{
  g_autoptr(GError) error = NULL;

  if (self->speed == speed)
    return;
  self->speed = speed;
  /* Before Start, the choice waits for it. */
  if (self->have_run && (self->clock.state == SD_EXERCISE_RUNNING || self->clock.state == SD_EXERCISE_PAUSED))
    {
      sd_exercise_set_speed (self->store, speed, &error);
      report (self, error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
  sd_exercise_page_refresh (self);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (sd_exercise_set_speed (self->store, self->speed, &error))
    sd_exercise_resume (self->store, &error);
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  g_autoptr(GError) error = NULL;

  sd_exercise_pause (self->store, &error);
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  const char *path = sd_exercise_runner_get_scenario_path (self->runner);
  g_autoptr(GError) error = NULL;

  /* After an engine error, Resume starts it again on the same file: the
   * engine goes on where the file says it was. */
  if (sd_exercise_runner_get_state (self->runner) != SD_EXERCISE_RUNNER_TICKING && path != NULL)
    sd_exercise_runner_start (self->runner, path, self->clock.seed, self->clock.start_at);
  sd_exercise_resume (self->store, &error);
  report (self, error);
  sd_exercise_page_refresh (self);
}

/* ---- the selected inject ---- */

typedef gboolean (*InjectStep) (SdStore *store, const char *serial, GError **error);

static gboolean
done_by_facilitator (SdStore     *store,
                     const char  *serial,
                     GError     **error)
{
  return sd_exercise_mark_done (store, serial, "facilitator", error);
}

/* What the buttons under the selected inject do to it. */
static const struct {
  const char *action;
  InjectStep  step;
} inject_steps[] = {
  { "exercise.deliver-now", sd_exercise_deliver_now },
  { "exercise.skip", sd_exercise_skip },
  { "exercise.mark-done", done_by_facilitator },
};

static void
inject_step_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  SdExerciseRow *row = selected_row (self);
  g_autoptr(GError) error = NULL;

  if (row == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (inject_steps); i++)
    if (g_str_equal (action_name, inject_steps[i].action))
      inject_steps[i].step (self->store, sd_exercise_row_get_serial (row), &error);
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
retime_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  SdExerciseRow *row = selected_row (self);
  g_autoptr(GError) error = NULL;
  gint64 due;

  if (row == NULL)
    return;
  if (!sd_scenario_parse_offset (gtk_editable_get_text (GTK_EDITABLE (self->retime_entry)), &due))
    g_set_error (&error, SD_STORE_ERROR, SD_STORE_ERROR_INVALID,
                 _("Write the new time after T+0 as T+hh:mm, for example T+01:30."));
  else if (sd_exercise_retime (self->store, sd_exercise_row_get_serial (row), due, &error))
    gtk_editable_set_text (GTK_EDITABLE (self->retime_entry), "");
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
retime_activated_cb (SdExercisePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "exercise.retime", NULL);
}

static void
selection_changed_cb (SdExercisePage *self)
{
  show_detail (self);
  update_controls (self);
}

/* ---- observations ---- */

static void
add_observation_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (widget);
  SdExerciseRow *row = selected_row (self);
  const char *serial = row != NULL && gtk_check_button_get_active (self->about_check)
                       ? sd_exercise_row_get_serial (row) : NULL;
  g_autoptr(GError) error = NULL;

  if (sd_exercise_add_observation (self->store, serial, gtk_editable_get_text (GTK_EDITABLE (self->observation_entry)),
                                   &error))
    gtk_editable_set_text (GTK_EDITABLE (self->observation_entry), "");
  report (self, error);
  sd_exercise_page_refresh (self);
}

static void
observation_activated_cb (SdExercisePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "exercise.add-observation", NULL);
}

/* The time scrubber spans the day so far: read again each time it is
 * shown, so a running exercise's latest hours are there to drag to. */
static void
view_changed_cb (SdExercisePage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "history") != 0)
    return;
  sd_exercise_scrubber_set_store (self->scrubber, self->store);
  /* The first time, the latest moment: the facilitator drags back. */
  if (!self->history_shown)
    sd_exercise_scrubber_set_time (self->scrubber, G_MAXINT64 / 2);
  self->history_shown = TRUE;
}

/* ---- public ---- */

void
sd_exercise_page_set_store (SdExercisePage *self,
                            SdStore        *store)
{
  static const char *const tables[] = { "exercise_run", "exercise_injects", "exercise_observations" };

  g_return_if_fail (SD_IS_EXERCISE_PAGE (self));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->runner != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->runner, self);
      sd_exercise_runner_stop (self->runner);
      g_clear_object (&self->runner);
    }
  g_set_object (&self->store, store);
  if (store == NULL)
    return;
  self->runner = sd_exercise_runner_new (store);
  g_signal_connect_swapped (self->runner, "notify::state", G_CALLBACK (runner_state_cb), self);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *signal = g_strdup_printf ("changed::%s", tables[i]);

      g_signal_connect_swapped (store, signal, G_CALLBACK (store_changed_cb), self);
    }
  self->dirty = TRUE;
  sd_exercise_page_refresh (self);
}

void
sd_exercise_page_focus (SdExercisePage *self)
{
  g_return_if_fail (SD_IS_EXERCISE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->injects_view));
}

SdExerciseRunner *
sd_exercise_page_get_runner (SdExercisePage *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), NULL);
  return self->runner;
}

GListModel *
sd_exercise_page_get_injects (SdExercisePage *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), NULL);
  return G_LIST_MODEL (self->rows);
}

gboolean
sd_exercise_page_select (SdExercisePage *self,
                         const char     *serial)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), FALSE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->rows)); i++)
    {
      g_autoptr(SdExerciseRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (g_strcmp0 (sd_exercise_row_get_serial (row), serial) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          return TRUE;
        }
    }
  return FALSE;
}

SdExerciseScrubber *
sd_exercise_page_get_scrubber (SdExercisePage *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), NULL);
  return self->scrubber;
}

const char *
sd_exercise_page_get_clock_text (SdExercisePage *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), NULL);
  return gtk_label_get_text (self->clock_label);
}

const char *
sd_exercise_page_get_message (SdExercisePage *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->message_label)) ? gtk_label_get_text (self->message_label) : NULL;
}

/* ---- GObject ---- */

static void
sd_exercise_page_dispose (GObject *object)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (object);
  GtkWidget *child;

  g_clear_handle_id (&self->clock_source, g_source_remove);
  /* Closing the window ends the engine: after the tick under way. */
  sd_exercise_page_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_EXERCISE_PAGE);
  /* GTK 4.8 leaves the template's top widget to us. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->observations);
  G_OBJECT_CLASS (sd_exercise_page_parent_class)->dispose (object);
}

static void
sd_exercise_page_finalize (GObject *object)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (object);

  sd_exercise_clock_clear (&self->clock);
  g_free (self->action_error);
  g_free (self->read_error);
  g_free (self->clock_error);
  G_OBJECT_CLASS (sd_exercise_page_parent_class)->finalize (object);
}

static void
sd_exercise_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SPEED: g_value_set_int (value, self->speed); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_exercise_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  SdExercisePage *self = SD_EXERCISE_PAGE (object);

  switch (prop_id)
    {
    case PROP_SPEED: set_speed (self, g_value_get_int (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sd_exercise_page_class_init (SdExercisePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_exercise_page_dispose;
  object_class->finalize = sd_exercise_page_finalize;
  object_class->get_property = sd_exercise_page_get_property;
  object_class->set_property = sd_exercise_page_set_property;

  /* Exercise seconds a wall-clock second; 0 as fast as possible. */
  properties[PROP_SPEED] =
    g_param_spec_int ("speed", NULL, NULL, 0, 3600, 1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SD_TYPE_REFLOW_BOX);
  g_type_ensure (SD_TYPE_EXERCISE_SCRUBBER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-exercise-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, clock_label);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, headline_label);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, about_label);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, start_button);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, pause_button);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, resume_button);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, setup_box);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, start_entry);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, message_label);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, injects_view);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, detail_text);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, detail_more);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, retime_entry);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, observation_entry);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, about_check);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, observations_list);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SdExercisePage, scrubber);
  gtk_widget_class_bind_template_callback (widget_class, retime_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, observation_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_changed_cb);

  gtk_widget_class_install_action (widget_class, "exercise.choose", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "exercise.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "exercise.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "exercise.resume", NULL, resume_action);
  gtk_widget_class_install_property_action (widget_class, "exercise.speed", "speed");
  for (guint i = 0; i < G_N_ELEMENTS (inject_steps); i++)
    gtk_widget_class_install_action (widget_class, inject_steps[i].action, NULL, inject_step_action);
  gtk_widget_class_install_action (widget_class, "exercise.retime", NULL, retime_action);
  gtk_widget_class_install_action (widget_class, "exercise.add-observation", NULL, add_observation_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_exercise_page_init (SdExercisePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->speed = 1;
  self->rows = g_list_store_new (SD_TYPE_EXERCISE_ROW);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->injects_view, GTK_SELECTION_MODEL (self->selection));
  sd_column_view_add_property (self->injects_view, _("No."), "serial", 48);
  sd_column_view_add_property (self->injects_view, _("Due"), "due", 96);
  sd_column_view_add_property (self->injects_view, _("To"), "recipient", 100);
  sd_column_view_add_property (self->injects_view, _("Inject"), "description", 0);
  {
    /* Its natural width is a line's, not the longest inject's: the
     * sidebar stays beside the console on a kiosk's screen. */
    GListModel *columns = gtk_column_view_get_columns (self->injects_view);
    g_autoptr(GtkColumnViewColumn) description = g_list_model_get_item (columns, g_list_model_get_n_items (columns) - 1);

    gtk_column_view_column_set_fixed_width (description, 144);
  }
  sd_column_view_add_property (self->injects_view, _("State"), "state", 124);
  /* Translators: a column: time from delivery to acknowledgement */
  sd_column_view_add_property (self->injects_view, _("To ack."), "to-acknowledged", 72);
  /* Translators: a column: time from delivery to done */
  sd_column_view_add_property (self->injects_view, _("To done"), "to-done", 72);

  self->observations = g_list_store_new (SD_TYPE_EXERCISE_OBSERVATION);
  gtk_list_box_bind_model (self->observations_list, G_LIST_MODEL (self->observations), observation_row, NULL, NULL);

  g_signal_connect (self, "map", G_CALLBACK (mapped_cb), NULL);
  g_signal_connect (self, "unmap", G_CALLBACK (unmapped_cb), NULL);
  show_detail (self);
}
