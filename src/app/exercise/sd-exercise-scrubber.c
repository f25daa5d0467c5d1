/* sd-exercise-scrubber.c: what every desk showed at any moment of the exercise's day, on a time slider.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One snapshot is computed at a time, in a GTask on a read-only store of
 * the task's own; a move of the slider while one is computed is kept and
 * computed next, so dragging shows the last moment asked, never a queue.
 */
#include "sd-exercise-scrubber.h"

#include "sd-exercise-live.h"
#include "sd-exercise-snapshot.h"
#include "sd-scenario.h"

#include <glib/gi18n.h>

enum {
  FIG_STAYING, FIG_IN, FIG_OUT, FIG_HOUSEHOLDS, FIG_NEEDS, FIG_ANSWERED, FIG_UNHURT, FIG_INJURED, FIG_CAN_REPORT,
  FIG_UNCONFIRMED, N_FIGURES
};

struct _SdExerciseScrubber {
  GtkWidget      parent_instance;

  GtkLabel      *time_label;
  GtkScale      *scale;
  GtkAdjustment *adjustment;
  GtkGrid       *figures;
  GtkLabel      *shelters_label;
  GtkLabel      *values[N_FIGURES];

  char          *path;
  gint64         start_at;
  gboolean       busy;
  gint64         pending;      /* a moment asked while busy, or -1 */
  GCancellable  *cancellable;
  char          *summary;
};

G_DEFINE_FINAL_TYPE (SdExerciseScrubber, sd_exercise_scrubber, GTK_TYPE_WIDGET)

static void compute (SdExerciseScrubber *self, gint64 ms);

static void
snapshot_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  const char *path = g_object_get_data (G_OBJECT (task), "path");
  gint64 at = *(gint64 *) task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdStore) store = sd_store_open (path, SD_STORE_OPEN_READ_ONLY, &error);
  SdExerciseSnapshot *snapshot;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  snapshot = sd_exercise_snapshot_at (store, at, &error);
  if (snapshot == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, snapshot, (GDestroyNotify) sd_exercise_snapshot_free);
}

static void
show (SdExerciseScrubber       *self,
      const SdExerciseSnapshot *s)
{
  guint needs = 0;
  guint values[N_FIGURES];
  g_autoptr(GString) shelters = g_string_new (NULL);
  g_autoptr(GString) summary = g_string_new (NULL);

  for (guint n = 0; n < SD_N_NEEDS; n++)
    needs += s->needs[n];
  values[FIG_STAYING] = s->staying;
  values[FIG_IN] = s->in_shelter;
  values[FIG_OUT] = s->out_now;
  values[FIG_HOUSEHOLDS] = s->households;
  values[FIG_NEEDS] = needs;
  values[FIG_ANSWERED] = s->answered;
  values[FIG_UNHURT] = s->unhurt;
  values[FIG_INJURED] = s->injured;
  values[FIG_CAN_REPORT] = s->can_report;
  values[FIG_UNCONFIRMED] = s->support_unconfirmed;
  for (guint i = 0; i < N_FIGURES; i++)
    {
      g_autofree char *text = NULL;

      if (i == FIG_ANSWERED)
        text = g_strdup_printf (_("%u of %u"), s->answered, s->roster);
      else if (i == FIG_UNCONFIRMED)
        text = g_strdup_printf (_("%u of %u"), s->support_unconfirmed, s->support_listed);
      else
        text = g_strdup_printf ("%u", values[i]);
      gtk_label_set_text (self->values[i], text);
      g_string_append_printf (summary, "%s%u", i > 0 ? " " : "", values[i]);
    }
  for (guint i = 0; i < s->shelters->len; i++)
    {
      const SdExerciseShelterSnapshot *shelter = &g_array_index (s->shelters, SdExerciseShelterSnapshot, i);

      g_string_append_printf (shelters, "%s%s %u", i > 0 ? " · " : "", *shelter->code != '\0' ? shelter->code : "—",
                              shelter->in_shelter);
      if (shelter->out_now > 0)
        /* TRANSLATORS: after a shelter's count of people inside: how many are out for now */
        g_string_append_printf (shelters, _(" (%u out)"), shelter->out_now);
    }
  gtk_label_set_text (self->shelters_label, shelters->len > 0 ? shelters->str : _("Nobody is staying at any shelter."));
  g_free (self->summary);
  self->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->figures), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_text (self->shelters_label), -1);
}

static void
snapshot_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SdExerciseScrubber) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SdExerciseSnapshot) snapshot = g_task_propagate_pointer (G_TASK (result), &error);

  self->busy = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (snapshot != NULL)
    show (self, snapshot);
  else
    gtk_label_set_text (self->shelters_label, error->message);
  if (self->pending >= 0)
    {
      gint64 next = self->pending;

      self->pending = -1;
      compute (self, next);
    }
}

static void
compute (SdExerciseScrubber *self,
         gint64              ms)
{
  g_autoptr(GTask) task = NULL;
  gint64 *at;

  if (self->path == NULL)
    return;
  if (self->busy)
    {
      self->pending = ms;
      return;
    }
  self->busy = TRUE;
  at = g_new (gint64, 1);
  *at = self->start_at + ms;
  task = g_task_new (NULL, self->cancellable, snapshot_done, g_object_ref (self));
  g_object_set_data_full (G_OBJECT (task), "path", g_strdup (self->path), g_free);
  g_task_set_task_data (task, at, g_free);
  g_task_run_in_thread (task, snapshot_thread);
}

static void
value_changed_cb (SdExerciseScrubber *self)
{
  gint64 ms = sd_exercise_scrubber_get_time (self);
  g_autofree char *text = sd_scenario_format_time (ms);

  gtk_label_set_text (self->time_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->scale), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
  compute (self, ms);
}

static void
step (SdExerciseScrubber *self,
      double              minutes)
{
  gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_value (self->adjustment) + minutes);
}

static void
back_cb (SdExerciseScrubber *self)
{
  step (self, -15);
}

static void
forward_cb (SdExerciseScrubber *self)
{
  step (self, 15);
}

static void
add_figure (SdExerciseScrubber *self,
            guint               index,
            int                 column,
            int                 row,
            const char         *name)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *value = gtk_label_new ("—");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 1);
  gtk_widget_add_css_class (value, "numeric");
  gtk_widget_add_css_class (value, "heading");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  gtk_grid_attach (self->figures, label, column * 2, row, 1, 1);
  gtk_grid_attach (self->figures, value, column * 2 + 1, row, 1, 1);
  self->values[index] = GTK_LABEL (value);
}

static void
sd_exercise_scrubber_dispose (GObject *object)
{
  SdExerciseScrubber *self = SD_EXERCISE_SCRUBBER (object);

  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SD_TYPE_EXERCISE_SCRUBBER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (sd_exercise_scrubber_parent_class)->dispose (object);
}

static void
sd_exercise_scrubber_finalize (GObject *object)
{
  SdExerciseScrubber *self = SD_EXERCISE_SCRUBBER (object);

  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self->summary);
  G_OBJECT_CLASS (sd_exercise_scrubber_parent_class)->finalize (object);
}

static void
sd_exercise_scrubber_class_init (SdExerciseScrubberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sd_exercise_scrubber_dispose;
  object_class->finalize = sd_exercise_scrubber_finalize;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/shelterdesk/ShelterDesk/sd-exercise-scrubber.ui");
  gtk_widget_class_bind_template_child (widget_class, SdExerciseScrubber, time_label);
  gtk_widget_class_bind_template_child (widget_class, SdExerciseScrubber, scale);
  gtk_widget_class_bind_template_child (widget_class, SdExerciseScrubber, adjustment);
  gtk_widget_class_bind_template_child (widget_class, SdExerciseScrubber, figures);
  gtk_widget_class_bind_template_child (widget_class, SdExerciseScrubber, shelters_label);
  gtk_widget_class_bind_template_callback (widget_class, value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_cb);
  gtk_widget_class_bind_template_callback (widget_class, forward_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sd_exercise_scrubber_init (SdExerciseScrubber *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pending = -1;
  self->cancellable = g_cancellable_new ();
  add_figure (self, FIG_STAYING, 0, 0, _("Evacuees staying"));
  add_figure (self, FIG_IN, 0, 1, _("In a shelter"));
  add_figure (self, FIG_OUT, 0, 2, _("Out for now"));
  add_figure (self, FIG_HOUSEHOLDS, 0, 3, _("Households"));
  add_figure (self, FIG_NEEDS, 0, 4, _("Needs of those staying"));
  add_figure (self, FIG_ANSWERED, 1, 0, _("Staff answered (newest roll-call)"));
  add_figure (self, FIG_UNHURT, 1, 1, _("Unhurt"));
  add_figure (self, FIG_INJURED, 1, 2, _("Injured"));
  add_figure (self, FIG_CAN_REPORT, 1, 3, _("Can report for duty"));
  add_figure (self, FIG_UNCONFIRMED, 1, 4, _("Support list: unconfirmed"));
}

GtkWidget *
sd_exercise_scrubber_new (void)
{
  return g_object_new (SD_TYPE_EXERCISE_SCRUBBER, NULL);
}

void
sd_exercise_scrubber_set_store (SdExerciseScrubber *self,
                                SdStore            *store)
{
  SdExerciseClock clock;

  g_return_if_fail (SD_IS_EXERCISE_SCRUBBER (self));

  g_clear_pointer (&self->path, g_free);
  if (store == NULL || !sd_exercise_get_clock (store, &clock, NULL))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
      return;
    }
  self->path = g_strdup (sd_store_get_path (store));
  self->start_at = clock.start_at;
  gtk_adjustment_set_upper (self->adjustment,
                            MAX (1, sd_exercise_clock_now (&clock, g_get_real_time () / 1000) / 60000));
  sd_exercise_clock_clear (&clock);
  gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
  value_changed_cb (self);
}

void
sd_exercise_scrubber_set_time (SdExerciseScrubber *self,
                               gint64              ms)
{
  g_return_if_fail (SD_IS_EXERCISE_SCRUBBER (self));

  gtk_adjustment_set_value (self->adjustment, ms / 60000.0);
}

gint64
sd_exercise_scrubber_get_time (SdExerciseScrubber *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_SCRUBBER (self), 0);

  return (gint64) (gtk_adjustment_get_value (self->adjustment) + 0.5) * 60000;
}

const char *
sd_exercise_scrubber_get_summary (SdExerciseScrubber *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_SCRUBBER (self), NULL);

  return self->summary;
}
