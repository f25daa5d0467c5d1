/* sd-cli-exercise.c: exercise new, check and run: tabletop exercises without a desk.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-cli-private.h"

#include "sd-exercise.h"
#include "sd-exercise-live.h"
#include "sd-exercise-replay.h"
#include "sd-exercise-review.h"
#include "sd-json.h"
#include "sd-scenario.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

gboolean
sd_cli_run_exercise_new (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autofree char *from = NULL, *out = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_FILENAME, &from, N_("The deployment’s database (HQ’s, or the demo)"), N_("FILE") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The exercise database to make (a new file)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (from, "--from", error) ||
      !sd_cli_require_option (out, "--out", error) ||
      !sd_exercise_new (from, out, error))
    return FALSE;
  g_print (_("Made the exercise database “%s” from “%s”: shelters (closed), staff roster, support list and map; "
             "no evacuees. Every desk that opens it shows 訓練 EXERCISE.\n"), out, from);
  return TRUE;
}

static void
print_injects (SdScenario *scenario)
{
  const char *headings[] = { _("Serial"), _("Time"), _("To"), _("Machine action"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (G_N_ELEMENTS (headings) - 1, headings);

  for (guint i = 0; i < sd_scenario_get_n_injects (scenario); i++)
    {
      const SdInject *inject = sd_scenario_get_inject (scenario, i);
      g_autofree char *time = sd_scenario_format_time (inject->at_ms);

      sd_cli_table_add_row (table, inject->serial, time, inject->recipient, inject->action_text);
    }
  sd_cli_table_print (table);
}

gboolean
sd_cli_run_exercise_check (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autoptr(SdScenario) scenario = NULL;
  g_autofree char *end = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (scenario = sd_scenario_load ((*args)[1], error)) == NULL)
    return FALSE;
  /* With --db, the shelters and roll-calls are checked there too. */
  if (sd_cli_get_db_path (cli) != NULL)
    {
      g_autoptr(SdStore) store = sd_cli_open_store (cli, FALSE, error);

      if (store == NULL || !sd_scenario_check_against (scenario, store, error))
        return FALSE;
    }
  print_injects (scenario);
  end = sd_scenario_format_time (sd_scenario_get_end_ms (scenario));
  g_print (g_dngettext (NULL, "“%s”: %u inject, to %s. It can run.\n", "“%s”: %u injects, to %s. It can run.\n",
                        sd_scenario_get_n_injects (scenario)),
           sd_scenario_get_name (scenario), sd_scenario_get_n_injects (scenario), end);
  return TRUE;
}

/* --speed: "max" or absent is 0, else 1 to 3600. */
gboolean
sd_cli_parse_speed (const char  *text,
             gint64      *out,
             GError     **error)
{
  char *end = NULL;

  *out = 0;
  if (text == NULL || g_str_equal (text, "max"))
    return TRUE;
  *out = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || *out < 1 || *out > 3600)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("“%s” is not a speed: write max, or a number from 1 to 3600 (60 plays an hour a minute)."),
                   text);
      return FALSE;
    }
  return TRUE;
}

/* --start: an ISO 8601 date and time, in Unix ms. */
gboolean
sd_cli_parse_start (const char  *text,
                    gint64      *out,
                    GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (text, local);

  if (at == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("“%s” is not a date and time: write it as 2026-12-05T05:46:00+09:00."), text);
      return FALSE;
    }
  *out = g_date_time_to_unix (at) * 1000;
  return TRUE;
}

static json_t *
totals_json (SdExerciseEngine *engine,
             SdScenario       *scenario,
             guint64           seed,
             double            seconds)
{
  const SdExerciseTotals *t = sd_exercise_engine_get_totals (engine);
  json_t *root = json_object ();

  json_object_set_new (root, "scenario", sd_json_text (sd_scenario_get_name (scenario)));
  json_object_set_new (root, "scenario_sha256", sd_json_text (sd_scenario_get_sha256 (scenario)));
  json_object_set_new (root, "seed", json_integer ((json_int_t) seed));
  json_object_set_new (root, "clock_ms", json_integer (sd_exercise_engine_get_clock (engine)));
  json_object_set_new (root, "injects", json_integer (t->injects));
  json_object_set_new (root, "households", json_integer (t->households));
  json_object_set_new (root, "persons", json_integer (t->persons));
  json_object_set_new (root, "returning", json_integer (t->returning));
  json_object_set_new (root, "card_intakes", json_integer (t->card_intakes));
  json_object_set_new (root, "events", json_integer (t->events));
  json_object_set_new (root, "safety_answers", json_integer (t->safety_answers));
  json_object_set_new (root, "support_reports", json_integer (t->support_reports));
  json_object_set_new (root, "conditions", json_integer (t->conditions));
  json_object_set_new (root, "faults", json_integer (t->faults));
  json_object_set_new (root, "skipped", json_integer (t->skipped));
  json_object_set_new (root, "seconds", json_real (seconds));
  return root;
}

gboolean
sd_cli_run_exercise_run (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autofree char *speed_text = NULL, *start_text = NULL;
  g_autoptr(SdScenario) scenario = NULL;
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdExerciseEngine) engine = NULL;
  gint64 seed = 1, start_at = 0, speed = 0, t0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("What the made-up people and answers come from (default 1)"),
      N_("N") },
    { "speed", 0, 0, G_OPTION_ARG_STRING, &speed_text,
      N_("max (as fast as possible, the default), or 1, 10, 60: exercise minutes a minute"), N_("SPEED") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_("T+0 in the exercise’s world, ISO 8601 (default: now)"), N_("TIME") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  if (seed < 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("The seed is a whole number, 0 or more."));
      return FALSE;
    }
  if (!sd_cli_parse_speed (speed_text, &speed, error))
    return FALSE;
  if (start_text != NULL && !sd_cli_parse_start (start_text, &start_at, error))
    return FALSE;
  if ((scenario = sd_scenario_load ((*args)[1], error)) == NULL ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (engine = sd_exercise_engine_new (store, scenario, (guint64) seed, start_at, error)) == NULL)
    return FALSE;

  t0 = g_get_monotonic_time ();
  if (speed == 0)
    {
      if (!sd_exercise_engine_run_all (engine, error))
        return FALSE;
    }
  else
    {
      /* On the shared clock, as the console runs it: exercise time runs
       * SPEED times the wall clock, each record in its own transaction,
       * and desks opened on the file see it fill and stamp their own
       * writes in the same time. */
      if (!sd_exercise_set_speed (store, (gint) speed, error) || !sd_exercise_resume (store, error))
        return FALSE;
      while (!sd_exercise_engine_is_done (engine))
        {
          if (!sd_exercise_engine_tick (engine, error))
            return FALSE;
          g_usleep (50 * 1000);
        }
    }
  {
    double seconds = (g_get_monotonic_time () - t0) / 1e6;
    g_autoptr(json_t) root = totals_json (engine, scenario, sd_exercise_engine_get_seed (engine), seconds);

    if (json)
      sd_cli_print_json (root);
    else
      {
        const SdExerciseTotals *t = sd_exercise_engine_get_totals (engine);
        g_autofree char *end = sd_scenario_format_time (sd_exercise_engine_get_clock (engine));

        g_autofree char *seed_text = g_strdup_printf ("%" G_GUINT64_FORMAT, sd_exercise_engine_get_seed (engine));

        g_print (_("Played “%s” (seed %s) to %s in %.1f s: %u injects delivered.\n"),
                 sd_scenario_get_name (scenario), seed_text, end, seconds, t->injects);
        g_print (_("Registered %u persons in %u households (%u with a My Number card), %u came back already "
                   "registered; %u check-outs, goings-out, returns and pickups; %u safety answers; %u support-list "
                   "reports; %u shelter conditions; %u faults; %u skipped (nobody to act on).\n"),
                 t->persons, t->households, t->card_intakes, t->returning, t->events, t->safety_answers,
                 t->support_reports, t->conditions, t->faults, t->skipped);
      }
  }
  return TRUE;
}

gboolean
sd_cli_run_exercise_report (SdCli   *cli,
                            GStrv   *args,
                            GError **error)
{
  g_autofree char *pdf = NULL, *csv = NULL, *series = NULL;
  g_autoptr(SdStore) store = NULL;
  gint64 step = 15;
  const GOptionEntry entries[] = {
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the review as a PDF (A4)"), N_("FILE") },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv, N_("Write each inject’s times and the observations as CSV"),
      N_("FILE") },
    { "series", 0, 0, G_OPTION_ARG_FILENAME, &series, N_("Write the desks’ counts over time as CSV"), N_("FILE") },
    { "step", 0, 0, G_OPTION_ARG_INT64, &step, N_("Minutes between two rows of --series (default 15)"), N_("MIN") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error))
    return FALSE;
  if (pdf == NULL && csv == NULL && series == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("Say what to write: --pdf, --csv or --series FILE."));
      return FALSE;
    }
  if (step < 1 || step > 24 * 60)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--step is 1 to 1440 minutes."));
      return FALSE;
    }
  if ((store = sd_cli_open_store (cli, FALSE, error)) == NULL)
    return FALSE;
  if (!sd_store_get_is_exercise (store))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("“%s” is not an exercise database: there is no exercise to review."),
                   sd_cli_get_db_path (cli));
      return FALSE;
    }
  if ((pdf != NULL && !sd_exercise_write_review_pdf (store, pdf, error)) ||
      (csv != NULL && !sd_exercise_write_review_csv (store, csv, error)) ||
      (series != NULL && !sd_exercise_write_series_csv (store, series, step * 60000, error)))
    return FALSE;
  if (pdf != NULL)
    g_print (_("Wrote the after-action review to “%s”.\n"), pdf);
  if (csv != NULL)
    g_print (_("Wrote the injects’ times and the observations to “%s”.\n"), csv);
  if (series != NULL)
    g_print (_("Wrote the counts over time to “%s”.\n"), series);
  return TRUE;
}

typedef struct {
  gboolean paced;
  gboolean printed;
} ReplayOutput;

static void
print_replay_progress (const SdExerciseReplayProgress *progress,
                       gpointer                        user_data)
{
  ReplayOutput *output = user_data;
  g_autofree char *at = sd_scenario_format_time (progress->day_ms);

  g_printerr ("\r%s  %" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, at, progress->operations, progress->total);
  if (output->paced)
    g_printerr (_("  (%.1f s behind)"), progress->lag_ms / 1000.0);
  output->printed = TRUE;
}

/* Whether the file at PATH is an SQLite database (its header), rather
 * than a batch. */
static gboolean
is_database (const char *path)
{
  static const char header[16] = "SQLite format 3";
  char head[sizeof header] = { 0 };
  FILE *f = g_fopen (path, "rb");
  gboolean is;

  if (f == NULL)
    return FALSE;
  is = fread (head, 1, sizeof head, f) == sizeof head && memcmp (head, header, sizeof header) == 0;
  fclose (f);
  return is;
}

gboolean
sd_cli_run_exercise_replay (SdCli   *cli,
                            GStrv   *args,
                            GError **error)
{
  g_autofree char *out = NULL, *speed_text = NULL, *receiver = NULL;
  gint64 speed = 0, t0 = g_get_monotonic_time ();
  ReplayOutput output = { FALSE, FALSE };
  const char *const *sources;
  gboolean batches, ok;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The exercise database to make (a new file)"), N_("FILE") },
    { "speed", 0, 0, G_OPTION_ARG_STRING, &speed_text,
      N_("max (the default), or 1 to 3600: recorded seconds a second (60 plays an hour a minute)"), N_("SPEED") },
    { "receiver", 0, 0, G_OPTION_ARG_FILENAME, &receiver,
      N_("With batch files: the database of the site they were sent to (only read)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, G_MAXUINT, error) ||
      !sd_cli_require_option (out, "--out", error))
    return FALSE;
  if (!sd_cli_parse_speed (speed_text, &speed, error))
    return FALSE;
  sources = (const char *const *) &(*args)[1];
  /* One database is a recorded day; anything else is batch files.  One
   * file that is not there, with no --receiver, is a database missing
   * (as before batches were replayed), not a batch. */
  batches = sources[1] != NULL ||
            (!is_database (sources[0]) && (receiver != NULL || g_file_test (sources[0], G_FILE_TEST_EXISTS)));
  if (batches && receiver == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("Batch files are sealed to the site they were sent to: give that site’s database with "
                     "--receiver FILE (it is only read)."));
      return FALSE;
    }
  if (!batches && receiver != NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--receiver is for batch files; “%s” is a database, replayed on its own."), sources[0]);
      return FALSE;
    }
  output.paced = speed > 0;
  ok = batches ? sd_exercise_replay_batches (receiver, sources, out, (guint) speed, print_replay_progress, &output,
                                             NULL, error)
               : sd_exercise_replay (sources[0], out, (guint) speed, print_replay_progress, &output, NULL, error);
  if (output.printed)
    g_printerr ("\n");
  if (!ok)
    return FALSE;
  if (batches)
    g_print (g_dngettext (NULL, "Replayed %u batch to “%s” into the exercise database “%s” in %.1f s.\n",
                          "Replayed %u batches to “%s” into the exercise database “%s” in %.1f s.\n",
                          g_strv_length ((GStrv) sources)),
             g_strv_length ((GStrv) sources), receiver, out, (g_get_monotonic_time () - t0) / 1e6);
  else
    g_print (_("Replayed “%s” into the exercise database “%s” in %.1f s.\n"), sources[0], out,
             (g_get_monotonic_time () - t0) / 1e6);
  return TRUE;
}
