/* sd-cli-staff.c: the staff commands of shelterdesk-cli: add, list, set-pin.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PINs only ever come from standard input (see sd-cli-pin.c), and a
 * listing says whether an account has a PIN, never anything of its hash.
 */
#include <glib/gi18n.h>
#include <sodium.h>

#include "sd-cli-private.h"

/* ---- staff add ---- */

gboolean
sd_cli_run_staff_add (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autofree char *staff_no = NULL;
  g_autofree char *name = NULL;
  g_autofree char *kana = NULL;
  g_autofree char *department = NULL;
  g_autofree char *section = NULL;
  g_autofree char *rank = NULL;
  g_autofree char *role = NULL;
  g_autofree char *phone = NULL;
  gboolean pin_stdin = FALSE;
  char pin[SD_CLI_PIN_BUFFER_SIZE] = { 0 };
  SdStaffSpec spec = { 0 };
  const GOptionEntry entries[] = {
    { "staff-no", 0, 0, G_OPTION_ARG_STRING, &staff_no, N_("The staff number, unique"), N_("NUMBER") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The name"), N_("NAME") },
    { "kana", 0, 0, G_OPTION_ARG_STRING, &kana, N_("The name in kana"), N_("KANA") },
    { "department", 0, 0, G_OPTION_ARG_STRING, &department, N_("The department (部)"), N_("DEPARTMENT") },
    { "section", 0, 0, G_OPTION_ARG_STRING, &section, N_("The section (課)"), N_("SECTION") },
    { "rank", 0, 0, G_OPTION_ARG_STRING, &rank, N_("The rank (職層)"), N_("RANK") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("volunteer, lead or hq"), N_("ROLE") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("A phone number to call them on"), N_("PHONE") },
    { "pin-stdin", 0, 0, G_OPTION_ARG_NONE, &pin_stdin,
      N_("Read a PIN from standard input: 4 to 8 digits, 6 to 8 for a shelter lead or HQ"), NULL },
    G_OPTION_ENTRY_NULL
  };
  gboolean ok;

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (staff_no, "--staff-no", error) ||
      !sd_cli_require_option (name, "--name", error) ||
      !sd_cli_require_option (role, "--role", error))
    return FALSE;
  if (!sd_role_from_string (role, &spec.role))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("“%s” is not a role: use volunteer, lead or hq."), role);
      return FALSE;
    }

  spec.staff_no = staff_no;
  spec.name = name;
  spec.kana = kana;
  spec.department = department;
  spec.section = section;
  spec.rank = rank;
  spec.phone = phone;

  /* Open first: a PIN typed for a database that cannot be opened is wasted. */
  if ((store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;

  ok = !pin_stdin || sd_cli_read_pin (pin, TRUE, error);
  if (ok)
    staff = sd_store_add_staff (store, &spec, pin_stdin ? pin : NULL, error);
  sodium_memzero (pin, sizeof pin);
  if (staff == NULL)
    return FALSE;

  if (sd_staff_get_has_pin (staff))
    g_print (_("Added the staff member %s, with a PIN.\n"), sd_staff_get_staff_no (staff));
  else
    g_print (_("Added the staff member %s, without a PIN: they cannot sign in until one is set.\n"),
             sd_staff_get_staff_no (staff));
  return TRUE;
}

/* ---- staff list ---- */

static json_t *
build_staff_json (GListModel *staff_list)
{
  json_t *array = json_array ();
  guint n = g_list_model_get_n_items (staff_list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdStaff) staff = g_list_model_get_item (staff_list, i);
      json_t *o = json_object ();

      json_object_set_new (o, "staff_no", sd_json_text (sd_staff_get_staff_no (staff)));
      json_object_set_new (o, "name", sd_json_text (sd_staff_get_name (staff)));
      json_object_set_new (o, "kana", sd_json_text (sd_staff_get_kana (staff)));
      json_object_set_new (o, "department", sd_json_text (sd_staff_get_department (staff)));
      json_object_set_new (o, "section", sd_json_text (sd_staff_get_section (staff)));
      json_object_set_new (o, "rank", sd_json_text (sd_staff_get_rank (staff)));
      json_object_set_new (o, "phone", sd_json_text (sd_staff_get_phone (staff)));
      json_object_set_new (o, "role", sd_json_text (sd_role_to_string (sd_staff_get_role (staff))));
      json_object_set_new (o, "has_pin", json_boolean (sd_staff_get_has_pin (staff)));
      json_array_append_new (array, o);
    }
  return array;
}

static void
print_staff_text (GListModel *staff_list)
{
  const char *const headings[] = {
    _("No."), _("Name"), _("Kana"), _("Department"), _("Section"), _("Rank"), _("Role"), _("PIN"), NULL
  };
  g_autoptr(SdCliTable) table = sd_cli_table_new (8, headings);
  guint n = g_list_model_get_n_items (staff_list);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SdStaff) staff = g_list_model_get_item (staff_list, i);

      sd_cli_table_add_row (table,
                            sd_staff_get_staff_no (staff),
                            sd_staff_get_name (staff),
                            sd_staff_get_kana (staff),
                            sd_staff_get_department (staff),
                            sd_staff_get_section (staff),
                            sd_staff_get_rank (staff),
                            sd_role_get_label (sd_staff_get_role (staff)),
                            sd_cli_yes_no (sd_staff_get_has_pin (staff)));
    }
  sd_cli_table_print (table);
}

gboolean
sd_cli_run_staff_list (SdCli   *cli,
                       GStrv   *args,
                       GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GListModel) staff_list = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (staff_list = sd_store_list_staff (store, error)) == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = build_staff_json (staff_list);
      sd_cli_print_json (root);
    }
  else if (g_list_model_get_n_items (staff_list) == 0)
    g_print ("%s\n", _("There are no staff yet."));
  else
    print_staff_text (staff_list);
  return TRUE;
}

/* ---- staff set-pin ---- */

gboolean
sd_cli_run_staff_set_pin (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdStaff) staff = NULL;
  char pin[SD_CLI_PIN_BUFFER_SIZE] = { 0 };
  const char *staff_no;
  gboolean ok;

  /* Look the number up before asking for a PIN that would go nowhere. */
  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      (staff = sd_store_find_staff (store, (*args)[1], error)) == NULL)
    return FALSE;
  staff_no = sd_staff_get_staff_no (staff);

  ok = sd_cli_read_pin (pin, TRUE, error) &&
       sd_store_set_staff_pin (store, staff_no, pin, error);
  sodium_memzero (pin, sizeof pin);
  if (!ok)
    return FALSE;

  g_print (_("The PIN of the staff member %s is set.\n"), staff_no);
  return TRUE;
}
