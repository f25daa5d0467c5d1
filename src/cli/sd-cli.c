/* sd-cli.c: shelterdesk-cli, the ShelterDesk core without a screen: global options and dispatch.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * shelterdesk-cli [--db FILE] COMMAND [ARGS]: the global options are
 * parsed up to the first word that is not an option (the command), and
 * the command then parses the rest itself, so "shelter add --help" shows
 * that command's own options.  --db is accepted after the command too,
 * because that is where people put it the second time they type it.
 *
 * The command line is checked to be UTF-8 before anything else reads it:
 * names and addresses go into the database as they are typed, and a
 * Shift_JIS terminal would otherwise store text no other kiosk can read.
 */
#include <locale.h>
#include <string.h>

#include <glib/gi18n.h>
#include <sodium.h>

#include "sd-cli-private.h"
#include "sd-card.h"
#include "sd-platform.h"

G_DEFINE_QUARK (sd-cli-error-quark, sd_cli_error)

static const SdCliCommand commands[] = {
  { NULL, "init", NULL, N_("Create a database, or name an existing one"), sd_cli_run_init },
  { NULL, "info", NULL, N_("Show the site, its schema and how many records it holds"), sd_cli_run_info },
  { NULL, "check", NULL, N_("Check the database for damage and for changes made outside ShelterDesk"), sd_cli_run_check },
  { NULL, "rescue", NULL, N_("Copy what a damaged database still holds into a new file"), sd_cli_run_rescue },
  { "seed", "load", N_("DIR"), N_("Load a seed folder (shelters, staff, support list, evacuees)"), sd_cli_run_seed_load },
  { "kiosk", "setup", N_("DIR"), N_("Make this kiosk’s site database from a deployment folder"), sd_cli_run_kiosk_setup },
  { "shelter", "list", NULL, N_("List the shelters"), sd_cli_run_shelter_list },
  { "shelter", "add", NULL, N_("Add a shelter"), sd_cli_run_shelter_add },
  { "shelter", "open", N_("CODE"), N_("Open a shelter"), sd_cli_run_shelter_open },
  { "shelter", "close", N_("CODE"), N_("Close a shelter"), sd_cli_run_shelter_close },
  { "shelter", "guide", N_("CODE"), N_("Show, change or print the shelter’s one-page guide, in any evacuee language"), sd_cli_run_shelter_guide },
  { "shelter", "condition", N_("CODE"), N_("Record the shelter’s lifelines and supply requests"), sd_cli_run_shelter_condition },
  { "staff", "add", NULL, N_("Add a staff member"), sd_cli_run_staff_add },
  { "staff", "list", NULL, N_("List the staff"), sd_cli_run_staff_list },
  { "staff", "set-pin", N_("STAFF_NO"), N_("Set a staff member’s PIN, read from standard input"), sd_cli_run_staff_set_pin },
  { "safety", "open", NULL, N_("At HQ: open a staff safety roll-call for an incident or a drill"), sd_cli_run_safety_open },
  { "safety", "close", NULL, N_("At HQ: close the open roll-call (it is kept, never deleted)"), sd_cli_run_safety_close },
  { "safety", "rollcalls", NULL, N_("List the roll-calls, newest first"), sd_cli_run_safety_rollcalls },
  { "safety", "answer", N_("[FILE|-]"), N_("Record staff answers from JSON (a file, or standard input)"), sd_cli_run_safety_answer },
  { "safety", "import", N_("FILE|-"), N_("Record answers collected elsewhere, from a safety service’s CSV"), sd_cli_run_safety_import },
  { "safety", "list", NULL, N_("List each staff member’s newest answer to a roll-call"), sd_cli_run_safety_list },
  { "safety", "summary", NULL, N_("Count a roll-call’s answers: safety, who can report and how soon"), sd_cli_run_safety_summary },
  { "safety", "missing", NULL, N_("List the staff who have not answered, with their phone numbers"), sd_cli_run_safety_missing },
  { "map", "import-tiles", N_("DIR"), N_("Pack a Z/X/Y.png folder of map tiles into one MBTiles file for the desk’s map"), sd_cli_run_map_import_tiles },
  { "map", "use-tiles", N_("FILE"), N_("Draw the desk’s map from this MBTiles file"), sd_cli_run_map_use_tiles },
  { "map", "import-addresses", N_("FILE"), N_("Load the national address reference (位置参照情報 街区レベル CSV) the map places people by"), sd_cli_run_map_import_addresses },
  { "map", "geocode", N_("ADDRESS"), N_("Show where an address is on the map, or why it is not"), sd_cli_run_map_geocode },
  { "support", "import", N_("FILE|-"), N_("Compare a welfare system’s CSV of the support list with it, and apply it"), sd_cli_run_support_import },
  { "support", "list", NULL, N_("List the support list: by district, with each person’s status"), sd_cli_run_support_list },
  { "support", "show", N_("PERSON"), N_("Show a person of the support list: plan, contacts, reports (JSON)"), sd_cli_run_support_show },
  { "support", "status", N_("PERSON"), N_("Record a status report for a person of the support list"), sd_cli_run_support_status },
  { "support", "sheet", NULL, N_("Print visit lists of the support list by district or supporter (PDF or CSV)"), sd_cli_run_support_sheet },
  { "support", "summary", NULL, N_("Count the support list by status, and who is unconfirmed by district"), sd_cli_run_support_summary },
  { "evacuee", "add", N_("[FILE|-]"), N_("Register a household from JSON (a file, or standard input)"), sd_cli_run_evacuee_add },
  { "evacuee", "search", N_("TEXT"), N_("Find people by name, kana, phone or birth date"), sd_cli_run_evacuee_search },
  { "evacuee", "show", N_("PERSON_ID"), N_("Show a person, their household and history"), sd_cli_run_evacuee_show },
  { NULL, "checkin", N_("PERSON_ID"), N_("Record an arrival at a shelter"), sd_cli_run_checkin },
  { NULL, "goout", N_("PERSON_ID"), N_("Record going out"), sd_cli_run_goout },
  { NULL, "return", N_("PERSON_ID"), N_("Record coming back"), sd_cli_run_return },
  { NULL, "checkout", N_("PERSON_ID"), N_("Record leaving the shelter"), sd_cli_run_checkout },
  { NULL, "enquire", N_("TEXT"), N_("Answer an enquiry: only people who agreed to be found"), sd_cli_run_enquire },
  { "card", "readers", NULL, N_("List the card readers"), sd_cli_run_card_readers },
  { "card", "read", NULL, N_("Read the 4 facts from a My Number card; the PIN from standard input"), sd_cli_run_card_read },
  { "report", "shelter-status", NULL, N_("Write the shelter status report as CSV or PDF"), sd_cli_run_report_status },
  { "qr", "issue", N_("PERSON_ID"), N_("Make a person’s evacuee card as a PNG and print its text"), sd_cli_run_qr_issue },
  { "qr", "sheet", NULL, N_("Print the cards of everyone staying through a shelter on A4 (PDF)"), sd_cli_run_qr_sheet },
  { "qr", "scan", N_("TEXT|-"), N_("Record what a scanned code means in the current scan mode"), sd_cli_run_qr_scan },
  { "qr", "mode", N_("[MODE]"), N_("Show or set the scan mode, shelter and repeat interval"), sd_cli_run_qr_mode },
  { "qr", "prereg", NULL, N_("Make a pre-registration code from a household’s JSON file"), sd_cli_run_qr_prereg },
  { "qr", "prereg-form", NULL, N_("Write the form households fill in on a phone, in their language, to make their pre-registration code"), sd_cli_run_qr_prereg_form },
  { "qr key", "show", NULL, N_("Show the id of the card key"), sd_cli_run_qr_key_show },
  { "qr key", "export", NULL, N_("Write the card key to a file, for another kiosk of this deployment"), sd_cli_run_qr_key_export },
  { "qr key", "import", N_("FILE"), N_("Add a card key exported by another kiosk"), sd_cli_run_qr_key_import },
  { "qr key", "list", NULL, N_("List the card keys this database knows"), sd_cli_run_qr_key_list },
  { "qr key", "remove", N_("KEY_ID"), N_("Forget a card key: its cards are refused from then on"), sd_cli_run_qr_key_remove },
  { "exercise", "new", NULL, N_("Make a tabletop exercise’s database from a deployment: shelters, roster, support list, no evacuees"), sd_cli_run_exercise_new },
  { "exercise", "check", N_("SCENARIO"), N_("Read a scenario (CSV or JSON) and say what is wrong with it, by line"), sd_cli_run_exercise_check },
  { "exercise", "run", N_("SCENARIO"), N_("Play a scenario’s machine actions on an exercise database, with no desk"), sd_cli_run_exercise_run },
  { "exercise", "replay", N_("SOURCE|BATCH…"), N_("Replay a recorded day (any database, or batch files with --receiver) into a new exercise database, at a chosen speed"), sd_cli_run_exercise_replay },
  { "exercise", "report", NULL, N_("Write an exercise’s after-action review: PDF, CSV of the injects, counts over time"), sd_cli_run_exercise_report },
  { "drill", "run", NULL, N_("Play a whole day on HQ and kiosks, carried by USB stick and network, and prove HQ's figures"), sd_cli_run_drill_run },
  { "drill", "step", N_("DIR"), N_("Play one kiosk of a drill up to a time (the drill runs it, to kill it)"), sd_cli_run_drill_step },
  { "deploy", "bundle", NULL, N_("At HQ: write the deployment bundle a new kiosk is enrolled from"), sd_cli_run_deploy_bundle },
  { "deploy", "enrol", N_("FILE"), N_("Make this new, empty database a kiosk of HQ’s deployment"), sd_cli_run_deploy_enrol },
  { "deploy", "revoke", N_("SITE"), N_("At HQ: refuse a lost kiosk’s batches from now on"), sd_cli_run_deploy_revoke },
  { "batch", "export", NULL, N_("Write a batch of every change a site has not acknowledged into a folder"), sd_cli_run_batch_export },
  { "batch", "import", N_("FILE…"), N_("Import batches; prints what each brought or why it was refused"), sd_cli_run_batch_import },
  { "sync", "status", NULL, N_("Show what is waiting, the deployment’s sites, gaps, conflicts and duplicates"), sd_cli_run_sync_status },
  { "sync", "set-url", N_("URL"), N_("At a kiosk: store the address of HQ’s receiver"), sd_cli_run_sync_set_url },
  { "sync", "push", NULL, N_("At a kiosk: send HQ what it lacks over the network and fetch HQ’s batch"), sd_cli_run_sync_push },
  { "pg", "load", NULL, N_("At HQ: take into PostgreSQL (--pg) every change HQ’s database holds that it lacks: HQ moving to PostgreSQL"), sd_cli_run_pg_load },
  { "pg", "fetch", NULL, N_("At HQ’s desk: take into HQ’s database every change PostgreSQL (--pg) holds that it lacks"), sd_cli_run_pg_fetch },
  { NULL, "serve", NULL, N_("At HQ: receive the kiosks’ batches, and serve the staff safety form, until stopped"), sd_cli_run_serve },
  { "conflicts", "list", NULL, N_("List fields two sites changed at once (JSON)"), sd_cli_run_conflicts_list },
  { "conflicts", "resolve", N_("ID"), N_("Keep the value applied, or write the other one again"), sd_cli_run_conflicts_resolve },
  { "duplicates", "list", NULL, N_("List persons registered at two sites who may be one (JSON)"), sd_cli_run_duplicates_list },
  { "duplicates", "keep-apart", N_("PERSON_ID PERSON_ID"), N_("Record that two listed persons are different people"), sd_cli_run_duplicates_keep_apart },
  { "duplicates", "merge", N_("KEEP_ID MERGE_ID"), N_("At HQ: merge the second record into the first, one person (cannot be undone)"), sd_cli_run_duplicates_merge },
};

static char *
describe_command (const SdCliCommand *command)
{
  GString *str = g_string_new (NULL);

  if (command->group != NULL)
    g_string_append_printf (str, "%s ", command->group);
  g_string_append (str, command->name);
  if (command->params != NULL)
    g_string_append_printf (str, " %s", _(command->params));
  return g_string_free (str, FALSE);
}

/* Whether COMMAND_GROUP is GROUP or one of its own groups ("qr key" is in "qr"). */
static gboolean
in_group (const char *command_group,
          const char *group)
{
  return command_group != NULL &&
         g_str_has_prefix (command_group, group) &&
         (command_group[strlen (group)] == '\0' || command_group[strlen (group)] == ' ');
}

static char *
describe_commands (const char *group)
{
  GString *str = g_string_new (_("Commands:"));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  guint width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      char *name = describe_command (&commands[i]);

      width = MAX (width, (guint) g_utf8_strlen (name, -1));
      g_ptr_array_add (names, name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (group != NULL && !in_group (commands[i].group, group))
        continue;
      g_string_append_printf (str, "\n  %s%*s  %s", name,
                              (int) (width - g_utf8_strlen (name, -1)), "",
                              _(commands[i].summary));
    }
  g_string_append_c (str, '\n');
  g_string_append (str, _("Run “shelterdesk-cli COMMAND --help” for a command’s options."));
  return g_string_free (str, FALSE);
}

static void
add_db_option (GOptionContext  *context,
               char           **db)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, db,
      N_("The database file (default: $SHELTERDESK_DB)"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static void
take_db (SdCli *cli,
         char  *db)
{
  if (db != NULL)
    {
      g_free (cli->db_path);
      cli->db_path = db;
    }
}

gboolean
sd_cli_parse_args (SdCli               *cli,
                   const GOptionEntry  *entries,
                   GStrv               *args,
                   guint                min_params,
                   guint                max_params,
                   GError             **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *usage = describe_command (cli->command);
  char *db = NULL;
  guint n_params;

  context = g_option_context_new (usage);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _(cli->command->summary));
  add_db_option (context, &db);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, args, error))
    {
      g_free (db);
      return FALSE;
    }
  take_db (cli, db);

  n_params = g_strv_length (*args) - 1;
  if (n_params < min_params || n_params > max_params)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   n_params < min_params ? _("Too few arguments. Usage: shelterdesk-cli [--db FILE] %s")
                                         : _("Too many arguments. Usage: shelterdesk-cli [--db FILE] %s"),
                   usage);
      return FALSE;
    }
  return TRUE;
}

gboolean
sd_cli_require_option (const char  *value,
                       const char  *option,
                       GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("The option %s is required."), option);
      return FALSE;
    }
  return TRUE;
}

const char *
sd_cli_get_db_path (SdCli *cli)
{
  if (cli->db_path == NULL)
    {
      const char *env = g_getenv ("SHELTERDESK_DB");

      /* The environment is not checked with the command line. */
      if (env != NULL && *env != '\0' && g_utf8_validate (env, -1, NULL))
        cli->db_path = g_strdup (env);
    }
  return cli->db_path;
}

/* The database path, or a usage error saying how to give one. */
static const char *
require_db_path (SdCli   *cli,
                 GError **error)
{
  const char *path = sd_cli_get_db_path (cli);

  if (path == NULL)
    g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                 _("No database given: use “--db FILE” or set SHELTERDESK_DB."));
  return path;
}

SdStore *
sd_cli_open_store (SdCli     *cli,
                   gboolean   writes,
                   GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *path = require_db_path (cli, error);
  SdStore *store;

  if (path == NULL)
    return NULL;

  /* Open for writing even to read, so that an older database is brought
   * up to date; a read-only file is still good for looking at. */
  store = sd_store_open (path, SD_STORE_OPEN_DEFAULT, &local_error);
  if (store == NULL && !writes &&
      g_error_matches (local_error, SD_STORE_ERROR, SD_STORE_ERROR_READ_ONLY))
    return sd_store_open (path, SD_STORE_OPEN_READ_ONLY, error);
  if (store == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return store;
}

SdStore *
sd_cli_open_damaged_store (SdCli   *cli,
                           GError **error)
{
  const char *path = require_db_path (cli, error);

  return path != NULL ? sd_store_open (path, SD_STORE_OPEN_DAMAGED, error) : NULL;
}

static gboolean
check_utf8 (char   **args,
            GError **error)
{
  for (guint i = 1; args[i] != NULL; i++)
    if (!g_utf8_validate (args[i], -1, NULL))
      {
        g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                     _("Argument %u is not valid UTF-8 text. Set your terminal to UTF-8 and type it again."),
                     i);
        return FALSE;
      }
  return TRUE;
}

/* How many leading words of ARGS spell GROUP ("qr key" is two), or 0. */
static guint
match_group (const char  *group,
             char       **args)
{
  g_auto(GStrv) words = NULL;
  guint n;

  if (group == NULL)
    return 0;
  words = g_strsplit (group, " ", -1);
  for (n = 0; words[n] != NULL; n++)
    if (g_strcmp0 (args[n], words[n]) != 0)
      return 0;
  return n;
}

static const SdCliCommand *
find_command (char   **args,
              guint   *out_words,
              GError **error)
{
  const char *first = args[0];
  const char *group = NULL;  /* the longest group ARGS start with */
  guint group_words = 0;
  const char *next;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const SdCliCommand *command = &commands[i];
      guint n;

      if (command->group == NULL)
        {
          if (g_strcmp0 (command->name, first) == 0)
            {
              *out_words = 1;
              return command;
            }
          continue;
        }
      n = match_group (command->group, args);
      if (n == 0)
        continue;
      if (g_strcmp0 (command->name, args[n]) == 0)
        {
          *out_words = n + 1;
          return command;
        }
      if (n > group_words)
        {
          group = command->group;
          group_words = n;
        }
    }
  next = group != NULL ? args[group_words] : NULL;

  if (first == NULL)
    {
      g_autofree char *list = describe_commands (NULL);
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("No command given.\n%s"), list);
    }
  else if (group != NULL && (g_strcmp0 (next, "--help") == 0 || g_strcmp0 (next, "-h") == 0))
    {
      g_autofree char *list = describe_commands (group);

      g_print ("%s\n", list);
      exit (SD_CLI_EXIT_OK);
    }
  else if (group != NULL && next != NULL)
    {
      g_autofree char *list = describe_commands (group);
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("Unknown command “%s %s”.\n%s"), group, next, list);
    }
  else if (group != NULL)
    {
      g_autofree char *list = describe_commands (group);
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("“%s” needs a command.\n%s"), group, list);
    }
  else
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("Unknown command “%s”. Run “shelterdesk-cli --help” for the list."), first);
    }
  return NULL;
}

static gboolean
parse_global (SdCli   *cli,
              GStrv   *args,
              GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_autofree char *description = describe_commands (NULL);
  gboolean version = FALSE;
  char *db = NULL;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, _("ShelterDesk without a screen: set up and inspect a site’s database."));
  g_option_context_set_description (context, description);
  /* Stop at the command: what follows is the command's business. */
  g_option_context_set_strict_posix (context, TRUE);
  add_db_option (context, &db);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, args, error))
    {
      g_free (db);
      return FALSE;
    }
  take_db (cli, db);

  if (version)
    {
      g_print ("shelterdesk-cli %s\n", SD_VERSION);
      exit (SD_CLI_EXIT_OK);
    }
  return TRUE;
}

static gboolean
run (SdCli   *cli,
     GStrv   *args,
     GError **error)
{
  g_auto(GStrv) command_args = NULL;
  guint n_words = 0;

  if (!check_utf8 (*args, error) || !parse_global (cli, args, error))
    return FALSE;

  cli->command = find_command (*args + 1, &n_words, error);
  if (cli->command == NULL)
    return FALSE;

  /* The command sees itself as argv[0]: ["shelter add", "--code", ...]. */
  command_args = g_new0 (char *, g_strv_length (*args) - n_words + 1);
  command_args[0] = describe_command (cli->command);
  for (guint i = 1 + n_words, j = 1; (*args)[i] != NULL; i++, j++)
    command_args[j] = g_strdup ((*args)[i]);

  return cli->command->run (cli, &command_args, error);
}

static void
setup_i18n (void)
{
  g_autofree char *localedir = sd_paths_get_locale_dir ();

  setlocale (LC_ALL, "");
  sd_card_init ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  SdCli cli = { 0 };
  int status = SD_CLI_EXIT_OK;

  setup_i18n ();
  g_set_prgname ("shelterdesk-cli");

  args = sd_platform_get_arguments (argv);
  sd_platform_set_stdout_binary ();

  /* PIN hashing picks its fastest implementation here. */
  if (sodium_init () < 0)
    {
      g_printerr ("shelterdesk-cli: %s\n", _("Could not start the cryptography library."));
      return SD_CLI_EXIT_FAILED;
    }

  if (!run (&cli, &args, &error))
    {
      gboolean usage = g_error_matches (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE) ||
                       error->domain == G_OPTION_ERROR;

      g_printerr ("shelterdesk-cli: %s\n", error->message);
      status = usage ? SD_CLI_EXIT_USAGE : SD_CLI_EXIT_FAILED;
    }

  g_free (cli.db_path);
  return status;
}
