/* sd-exercise-words.c: how an exercise's times and states read on the facilitator's console and the players' desks.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The console and the players' strip name an inject's state with the
 * same words, so that a facilitator and a player talking about one
 * inject mean the same thing.
 */
#include "sd-exercise-words.h"

#include "sd-exercise-live.h"

#include <glib/gi18n.h>

char *
sd_exercise_format_clock (gint64 ms)
{
  gint64 s = MAX (ms, 0) / 1000;

  return g_strdup_printf ("T+%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
                          s / 3600, (s / 60) % 60, s % 60);
}

const char *
sd_exercise_state_label (const char *state,
                         const char *done_by)
{
  if (g_strcmp0 (state, "done") == 0)
    {
      if (g_strcmp0 (done_by, "player") == 0)
        return _("Done by the players");
      if (g_strcmp0 (done_by, "facilitator") == 0)
        return _("Done by the facilitator");
      if (g_strcmp0 (done_by, "machine") == 0)
        /* Translators: an inject whose machine action has finished playing */
        return _("Played");
    }
  return sd_exercise_inject_state_label (state);
}
