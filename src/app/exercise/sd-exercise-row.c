/* sd-exercise-row.c: one inject as a line of the facilitator's console, its timers running while it is open.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The console's list binds its cells to these string properties.  The
 * rows stay the same objects while the file changes under them (the
 * engine delivers, a player acknowledges, the clock moves the timers),
 * so the selected row and the keyboard focus stay where they are.
 *
 * The two timers are the review's: from delivery to acknowledgement,
 * and from delivery to done.  While one is still running it counts up
 * with the exercise clock.
 */
#include "sd-exercise-row.h"

#include "sd-exercise-words.h"
#include "sd-scenario.h"

#include <glib/gi18n.h>

struct _SdExerciseRow
{
  GObject           parent_instance;

  SdExerciseInject *inject;
  char             *texts[8];   /* by property, from PROP_SERIAL */
};

G_DEFINE_FINAL_TYPE (SdExerciseRow, sd_exercise_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERIAL,
  PROP_DUE,
  PROP_RECIPIENT,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_TO_ACKNOWLEDGED,
  PROP_TO_DONE,
  PROP_TIMERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_STATIC_ASSERT (N_PROPS - PROP_SERIAL == G_N_ELEMENTS (((SdExerciseRow *) NULL)->texts));

/* Delivery to END, or to NOW while END has not happened yet. */
static char *
timer_text (gint64 delivered,
            gint64 end,
            gint64 now)
{
  return sd_scenario_format_duration ((end >= 0 ? end : now) - delivered);
}

static void
set_text (SdExerciseRow *self,
          guint          prop,
          char          *text)  /* taken */
{
  char **slot = &self->texts[prop - PROP_SERIAL];

  if (g_strcmp0 (*slot, text) == 0)
    {
      g_free (text);
      return;
    }
  g_free (*slot);
  *slot = text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
sd_exercise_row_update (SdExerciseRow    *self,
                        SdExerciseInject *inject,
                        gint64            now_ms)
{
  const char *state = sd_exercise_inject_get_state (inject);
  const char *to = sd_exercise_inject_get_recipient (inject);
  const char *done_by = sd_exercise_inject_get_done_by (inject);
  gint64 delivered = sd_exercise_inject_get_delivered (inject);
  gint64 due = sd_exercise_inject_get_due (inject);
  /* Not delivered (or skipped): nothing to time yet.  For nobody but
   * the machine: nobody to time. */
  gboolean timed = delivered >= 0 && to != NULL && *to != '\0';
  g_autofree char *to_ack = NULL, *to_done = NULL;

  g_return_if_fail (SD_IS_EXERCISE_ROW (self));
  g_return_if_fail (SD_IS_EXERCISE_INJECT (inject));

  g_set_object (&self->inject, inject);
  /* Done acknowledges too (the core stamps both), so a timer stops when
   * its own step happens. */
  to_ack = timed ? timer_text (delivered, sd_exercise_inject_get_acknowledged (inject), now_ms) : g_strdup ("");
  to_done = timed ? timer_text (delivered, sd_exercise_inject_get_done (inject), now_ms) : g_strdup ("");
  set_text (self, PROP_SERIAL, g_strdup (sd_exercise_inject_get_serial (inject)));
  /* To the minute, as the scenario writes it (delivered now, it has seconds). */
  set_text (self, PROP_DUE, sd_scenario_format_time (due - due % 60000));
  /* Translators: the recipient of an inject that no player receives (the engine plays it) */
  set_text (self, PROP_RECIPIENT, g_strdup (to != NULL && *to != '\0' ? to : _("(machine)")));
  set_text (self, PROP_DESCRIPTION, g_strdup (sd_exercise_inject_get_description (inject)));
  set_text (self, PROP_STATE, g_strdup (sd_exercise_state_label (state, done_by)));
  set_text (self, PROP_TO_ACKNOWLEDGED, g_strdup (to_ack));
  set_text (self, PROP_TO_DONE, g_strdup (to_done));
  set_text (self, PROP_TIMERS, !timed ? g_strdup ("")
            /* Translators: an inject's timers: from delivery to acknowledgement, and to done */
            : g_strdup_printf (_("acknowledged after %s, done after %s"), to_ack, to_done));
}

SdExerciseInject *
sd_exercise_row_get_inject (SdExerciseRow *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_ROW (self), NULL);
  return self->inject;
}

const char *
sd_exercise_row_get_serial (SdExerciseRow *self)
{
  g_return_val_if_fail (SD_IS_EXERCISE_ROW (self), NULL);
  return sd_exercise_inject_get_serial (self->inject);
}

static void
sd_exercise_row_finalize (GObject *object)
{
  SdExerciseRow *self = SD_EXERCISE_ROW (object);

  g_clear_object (&self->inject);
  for (guint i = 0; i < G_N_ELEMENTS (self->texts); i++)
    g_free (self->texts[i]);
  G_OBJECT_CLASS (sd_exercise_row_parent_class)->finalize (object);
}

static void
sd_exercise_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SdExerciseRow *self = SD_EXERCISE_ROW (object);

  if (prop_id >= PROP_SERIAL && prop_id < N_PROPS)
    g_value_set_string (value, self->texts[prop_id - PROP_SERIAL]);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
sd_exercise_row_class_init (SdExerciseRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char *const names[] = {
    "serial", "due", "recipient", "description", "state", "to-acknowledged", "to-done", "timers" };

  object_class->finalize = sd_exercise_row_finalize;
  object_class->get_property = sd_exercise_row_get_property;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    properties[PROP_SERIAL + i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                       G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sd_exercise_row_init (SdExerciseRow *self)
{
}

SdExerciseRow *
sd_exercise_row_new (SdExerciseInject *inject,
                     gint64            now_ms)
{
  SdExerciseRow *self = g_object_new (SD_TYPE_EXERCISE_ROW, NULL);

  sd_exercise_row_update (self, inject, now_ms);
  return self;
}
