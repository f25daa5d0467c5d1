/* sd-cli-drill.c: drill run, drill step.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-cli-private.h"

#include "drill/sd-drill.h"

#include "sd-json.h"
#include "sd-scenario.h"

#include <glib/gi18n-lib.h>

/* This program, to run again for the receiver and the faults. */
static char *
own_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_find_program_in_path ("shelterdesk-cli");
}

/* The desk beside this program (installed, or in the build tree). */
static char *
desk_path (const char *cli)
{
  g_autofree char *dir = g_path_get_dirname (cli);
  char *candidates[] = { g_build_filename (dir, "shelterdesk", NULL),
                         g_build_filename (dir, "..", "app", "shelterdesk", NULL), NULL };
  char *found = NULL;

  for (guint i = 0; candidates[i] != NULL; i++)
    {
      if (found == NULL && g_file_test (candidates[i], G_FILE_TEST_IS_EXECUTABLE))
        found = g_strdup (candidates[i]);
      g_free (candidates[i]);
    }
  return found != NULL ? found : g_find_program_in_path ("shelterdesk");
}

/* A whole number of OBJECT's, as text for a translated sentence. */
static char *
number_of (json_t     *object,
           const char *member)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) json_integer_value (json_object_get (object, member)));
}

static const char *
yes_no (json_t *value)
{
  return json_is_true (value) ? _("yes") : _("NO");
}

static void
print_result (json_t *result)
{
  json_t *proof = json_object_get (result, "proof");
  json_t *seconds = json_object_get (result, "seconds");
  json_t *kiosks = json_object_get (result, "kiosks");
  json_t *arrivals = json_object_get (result, "arrivals");
  json_t *events = json_object_get (result, "events");
  const char *const headings[] = { _("Kiosk"), _("Shelters"), _("First at HQ"), _("Longest wait, stick"),
                                   _("Longest wait, network"), _("Staff answers (on paper)"),
                                   _("Listed people found here"), _("Same as HQ"), NULL };
  g_autoptr(SdCliTable) table = sd_cli_table_new (8, headings);

  for (gsize k = 0; k < json_array_size (kiosks); k++)
    {
      json_t *kiosk = json_array_get (kiosks, k);
      const char *name = json_string_value (json_object_get (kiosk, "name"));
      json_int_t stick = -1, network = -1;
      g_autofree char *stick_text = NULL, *network_text = NULL, *answers = NULL, *found = NULL;

      for (gsize a = 0; a < json_array_size (arrivals); a++)
        {
          json_t *arrival = json_array_get (arrivals, a);
          json_int_t wait = json_integer_value (json_object_get (arrival, "oldest_min"));

          if (g_strcmp0 (json_string_value (json_object_get (arrival, "kiosk")), name) != 0)
            continue;
          if (g_strcmp0 (json_string_value (json_object_get (arrival, "how")), "network") == 0)
            network = MAX (network, wait);
          else
            stick = MAX (stick, wait);
        }
      stick_text = stick >= 0 ? sd_scenario_format_duration (stick * 60000) : g_strdup ("—");
      network_text = network >= 0 ? sd_scenario_format_duration (network * 60000) : g_strdup ("—");
      answers = g_strdup_printf ("%" G_GINT64_FORMAT " (%" G_GINT64_FORMAT ")",
                                 (gint64) json_integer_value (json_object_get (kiosk, "staff_answers")),
                                 (gint64) json_integer_value (json_object_get (kiosk, "answers_on_paper")));
      found = number_of (kiosk, "support_confirmed");
      sd_cli_table_add_row (table, name, json_string_value (json_object_get (kiosk, "shelters")),
                        json_string_value (json_object_get (kiosk, "first_at_hq")) != NULL
                          ? json_string_value (json_object_get (kiosk, "first_at_hq")) : "—",
                        stick_text, network_text, answers, found, yes_no (json_object_get (kiosk, "same_as_hq")));
    }
  {
    g_autofree char *seed = number_of (result, "seed"), *runners = number_of (result, "runners");
    g_autofree char *by_stick = number_of (result, "changes_by_stick");
    g_autofree char *by_network = number_of (result, "changes_by_network");

    g_print (_("Drill of “%s”, seed %s: %s runners with USB sticks, %s changes reached HQ by stick, %s by network.\n"),
             json_string_value (json_object_get (result, "scenario")), seed, runners, by_stick, by_network);
  }
  sd_cli_table_print (table);
  for (gsize e = 0; e < json_array_size (events); e++)
    {
      json_t *event = json_array_get (events, e);

      g_print ("  %s %s %s: %s\n", json_is_true (json_object_get (event, "expected")) ? "✓" : "✗",
               json_string_value (json_object_get (event, "at")), json_string_value (json_object_get (event, "kind")),
               json_string_value (json_object_get (event, "what")));
    }
  {
    g_autofree char *unexpected = number_of (proof, "unexpected");

    g_print (_("HQ's figures equal the scenario's: %s. Every kiosk the same as HQ: %s. Every database checks: %s. "
               "Unexpected refusals: %s.\n"),
             yes_no (json_object_get (proof, "figures_equal")), yes_no (json_object_get (proof, "dumps_equal")),
             yes_no (json_object_get (proof, "checks_pass")), unexpected);
  }
  if (json_is_object (json_object_get (proof, "cards")))
    {
      json_t *cards = json_object_get (proof, "cards");
      g_autofree char *intakes = number_of (cards, "intakes"), *read = number_of (cards, "read");
      g_autofree char *by_hand = number_of (cards, "by_hand");

      g_print (_("Card holders: %s, of whom %s had their card read on the reader (%.1f s) and %s were typed while "
                 "the reader had failed.\n"),
               intakes, read, json_real_value (json_object_get (cards, "read_seconds")), by_hand);
    }
  g_print (_("Time: the whole day %.1f s (setup %.1f s, the reference day %.1f s, the day %.1f s, the last round trip "
             "%.1f s).\n"),
           json_real_value (json_object_get (seconds, "total")), json_real_value (json_object_get (seconds, "setup")),
           json_real_value (json_object_get (seconds, "reference")), json_real_value (json_object_get (seconds, "day")),
           json_real_value (json_object_get (seconds, "last_round_trip")));
}

gboolean
sd_cli_run_drill_run (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autofree char *scenario = NULL, *out = NULL, *seeds = NULL, *speed_text = NULL, *start_text = NULL;
  g_autofree char *cli_path = own_path (), *desk = NULL, *card_reader = NULL, *card_emulator = NULL;
  g_autofree char *players_text = NULL;
  g_auto(GStrv) players = NULL;
  gint64 kiosks = 3, seed = 1, speed = 0, start_at = 0;
  gboolean json = FALSE, desks = FALSE;
  const GOptionEntry entries[] = {
    { "scenario", 0, 0, G_OPTION_ARG_FILENAME, &scenario, N_("The scenario (CSV or JSON)"), N_("FILE") },
    { "kiosks", 0, 0, G_OPTION_ARG_INT64, &kiosks, N_("How many kiosks share the shelters (1 to 12, default 3)"),
      N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("What the people, the answers and the drill's choices come from"),
      N_("N") },
    { "speed", 0, 0, G_OPTION_ARG_STRING, &speed_text,
      N_("max (as fast as possible, the default), or exercise minutes a minute, such as 60"), N_("SPEED") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text, N_("T+0, ISO 8601 (default 2026-12-05T05:46:00+09:00)"),
      N_("TIME") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("A new or empty folder for the databases, sticks and result"),
      N_("DIR") },
    { "seeds", 0, 0, G_OPTION_ARG_FILENAME, &seeds, N_("The deployment's seed folder (default: seeds)"), N_("DIR") },
    { "desks", 0, 0, G_OPTION_ARG_NONE, &desks, N_("Open a desk on HQ and on each kiosk, for people to play"), NULL },
    { "players", 0, 0, G_OPTION_ARG_STRING, &players_text,
      N_("Staff numbers, comma-separated, who sign in at the kiosks' desks with their own PINs"), N_("STAFF_NO,…") },
    { "card-reader", 0, 0, G_OPTION_ARG_STRING, &card_reader,
      N_("Read card holders' My Number cards on this PC/SC reader (with --card-emulator)"), N_("NAME") },
    { "card-emulator", 0, 0, G_OPTION_ARG_STRING, &card_emulator,
      N_("The command that puts the emulated card on that reader, such as \"vpcd-card 35963\""), N_("COMMAND") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(json_t) result = NULL;
  SdDrillOptions options;

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (scenario, "--scenario", error) || !sd_cli_require_option (out, "--out", error) ||
      !sd_cli_parse_speed (speed_text, &speed, error) ||
      !sd_cli_parse_start (start_text != NULL ? start_text : "2026-12-05T05:46:00+09:00", &start_at, error))
    return FALSE;
  if (kiosks < 1 || kiosks > 12 || seed < 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--kiosks takes 1 to 12, and --seed a whole number, 0 or more."));
      return FALSE;
    }
  if ((card_reader == NULL) != (card_emulator == NULL))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("Give --card-reader and --card-emulator together."));
      return FALSE;
    }
  if (desks && (desk = desk_path (cli_path)) == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--desks: the desk (shelterdesk) is not installed."));
      return FALSE;
    }
  options = (SdDrillOptions) { .scenario = scenario, .out = out, .cli = cli_path, .desk = desk,
                               .seeds = seeds != NULL ? seeds : g_getenv ("SD_SEEDS_DIR") != NULL
                                                                ? g_getenv ("SD_SEEDS_DIR") : "seeds",
                               .kiosks = (guint) kiosks, .seed = (guint64) seed, .speed = (gint) speed,
                               .start_at = start_at, .card_reader = card_reader,
                               .card_emulator = card_emulator };
  if (players_text != NULL)
    options.players = (const char *const *) (players = g_strsplit (players_text, ",", -1));
  if (!sd_drill_run (&options, &result, error))
    return FALSE;
  if (json)
    sd_cli_print_json (result);
  else
    print_result (result);
  if (!json_is_true (json_object_get (json_object_get (result, "proof"), "holds")))
    {
      g_autofree char *seed_text = g_strdup_printf ("%" G_GINT64_FORMAT, seed);
      g_autofree char *kiosks_text = g_strdup_printf ("%" G_GINT64_FORMAT, kiosks);

      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("The proof does not hold for seed %s (%s/result.json says why). Run it again with: "
                     "shelterdesk-cli drill run --scenario %s --kiosks %s --seed %s --out NEW_FOLDER"),
                   seed_text, out, scenario, kiosks_text, seed_text);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_cli_run_drill_step (SdCli   *cli,
                       GStrv   *args,
                       GError **error)
{
  g_autofree char *until_text = NULL;
  gint64 kiosk = -1, until = 0;
  const GOptionEntry entries[] = {
    { "kiosk", 0, 0, G_OPTION_ARG_INT64, &kiosk, N_("Which kiosk (from 0)"), N_("N") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until_text, N_("Up to this exercise time, T+hh:mm"), N_("TIME") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) || !sd_cli_require_option (until_text, "--until", error))
    return FALSE;
  if (kiosk < 0 || !sd_scenario_parse_offset (until_text, &until))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("drill step takes --kiosk N and --until T+hh:mm."));
      return FALSE;
    }
  return sd_drill_step ((*args)[1], (guint) kiosk, until, error);
}
