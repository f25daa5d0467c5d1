/* sd-cli-shelter.c: the shelter commands of shelterdesk-cli: list, add, open, close.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "sd-cli-private.h"

/* ---- shelter list ---- */

static json_t *
build_shelters_json (GListModel *shelters)
{
  json_t *array = json_array ();
  guint n = g_list_model_get_n_items (shelters);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) shelter = g_list_model_get_item (shelters, i);
      json_t *o = json_object ();

      json_object_set_new (o, "id", sd_json_text (sd_shelter_get_id (shelter)));
      json_object_set_new (o, "code", sd_json_text (sd_shelter_get_code (shelter)));
      json_object_set_new (o, "name", sd_json_text (sd_shelter_get_name (shelter)));
      json_object_set_new (o, "kind", sd_json_text (sd_shelter_kind_to_string (sd_shelter_get_kind (shelter))));
      json_object_set_new (o, "capacity", json_integer (sd_shelter_get_capacity (shelter)));
      json_object_set_new (o, "occupancy", json_integer (sd_shelter_get_occupancy (shelter)));
      json_object_set_new (o, "open", json_boolean (sd_shelter_get_is_open (shelter)));
      json_object_set_new (o, "address", sd_json_text (sd_shelter_get_address (shelter)));
      json_array_append_new (array, o);
    }
  return array;
}

static void
print_shelters_text (GListModel *shelters)
{
  const char *const headings[] = {
    _("Code"), _("Name"), _("Kind"), _("Capacity"), _("Occupancy"), _("Open"), NULL
  };
  g_autoptr(SdCliTable) table = sd_cli_table_new (6, headings);
  guint n = g_list_model_get_n_items (shelters);

  sd_cli_table_align_right (table, 3);
  sd_cli_table_align_right (table, 4);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdShelter) shelter = g_list_model_get_item (shelters, i);
      g_autofree char *capacity = g_strdup_printf ("%d", sd_shelter_get_capacity (shelter));
      g_autofree char *occupancy = g_strdup_printf ("%u", sd_shelter_get_occupancy (shelter));

      sd_cli_table_add_row (table,
                            sd_shelter_get_code (shelter),
                            sd_shelter_get_name (shelter),
                            sd_shelter_kind_get_label (sd_shelter_get_kind (shelter)),
                            capacity,
                            occupancy,
                            sd_cli_yes_no (sd_shelter_get_is_open (shelter)));
    }
  sd_cli_table_print (table);
}

gboolean
sd_cli_run_shelter_list (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) shelters = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (shelters = sd_store_list_shelters (store, error)) == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = build_shelters_json (shelters);
      sd_cli_print_json (root);
    }
  else if (g_list_model_get_n_items (shelters) == 0)
    g_print ("%s\n", _("There are no shelters yet."));
  else
    print_shelters_text (shelters);
  return TRUE;
}

/* ---- shelter add ---- */

gboolean
sd_cli_run_shelter_add (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *address = NULL;
  int capacity = G_MININT;
  SdShelterSpec spec = { 0 };
  const GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &code, N_("A short unique code, for example S01"), N_("CODE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The shelter’s name"), N_("NAME") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("designated, welfare or temporary"), N_("KIND") },
    { "capacity", 0, 0, G_OPTION_ARG_INT, &capacity, N_("How many people it holds"), N_("N") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("Its address"), N_("ADDRESS") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (code, "--code", error) ||
      !sd_cli_require_option (name, "--name", error) ||
      !sd_cli_require_option (kind, "--kind", error))
    return FALSE;
  if (!sd_shelter_kind_from_string (kind, &spec.kind))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("“%s” is not a shelter kind: use designated, welfare or temporary."), kind);
      return FALSE;
    }
  if (capacity == G_MININT)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("The option --capacity is required: the number of people, 0 when unknown."));
      return FALSE;
    }

  spec.code = code;
  spec.name = name;
  spec.capacity = capacity;
  spec.address = address;

  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (shelter = sd_store_add_shelter (store, &spec, error)) == NULL)
    return FALSE;

  g_print (_("Added the shelter %s.\n"), sd_shelter_get_code (shelter));
  return TRUE;
}

/* ---- shelter open, shelter close ---- */

static gboolean
set_open (SdCli     *cli,
          GStrv     *args,
          gboolean   is_open,
          GError   **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (shelter = sd_store_find_shelter (store, (*args)[1], error)) == NULL ||
      !sd_store_set_shelter_open (store, sd_shelter_get_id (shelter), is_open, error))
    return FALSE;

  if (is_open)
    g_print (_("The shelter %s is open.\n"), sd_shelter_get_code (shelter));
  else
    g_print (_("The shelter %s is closed.\n"), sd_shelter_get_code (shelter));
  return TRUE;
}

gboolean
sd_cli_run_shelter_open (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  return set_open (cli, args, TRUE, error);
}

gboolean
sd_cli_run_shelter_close (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  return set_open (cli, args, FALSE, error);
}
