/* sd-cli-shelter.c: the shelter commands of shelterdesk-cli: list, add, open, close, guide.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gi18n.h>

#include "sd-cli-private.h"
#include "sd-evacuee-text.h"

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

/* ---- shelter guide ---- */

/* The languages --language names: one code, or "all" for every language
 * the guide is printed in. */
static GPtrArray *
guide_languages (const char  *language,
                 GError     **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  guint n;
  const SdEvacueeLanguage *languages = sd_evacuee_languages (&n);

  if (language == NULL || g_str_equal (language, "all"))
    for (guint i = 0; i < n; i++)
      g_ptr_array_add (codes, (gpointer) languages[i].code);
  else if (sd_evacuee_language_resolve (language) != NULL)
    g_ptr_array_add (codes, (gpointer) sd_evacuee_language_resolve (language)->code);
  else
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        g_string_append_printf (names, "%s, ", languages[i].code);
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("The guide is not printed in “%s”: use one of %sor all."), language, names->str);
      return NULL;
    }
  g_ptr_array_add (codes, NULL);
  return g_steal_pointer (&codes);
}

gboolean
sd_cli_run_shelter_guide (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdShelterGuide) guide = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *set = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *language = NULL;
  gboolean unchanged = FALSE;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_FILENAME, &set,
      N_("Change the guide: the lines in this JSON file (- for standard input); the others stay"), N_("FILE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("Write the guide to print, one A4 page a language"), N_("FILE") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The language of the printed guide (ja, ja-x-easy, en, zh-Hans, ko, vi, pt-BR, ne, tl, id), or all"),
      N_("LANGUAGE") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error))
    return FALSE;
  if (language != NULL && pdf == NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--language chooses the language of the PDF: give --pdf FILE with it."));
      return FALSE;
    }
  if ((pdf != NULL && (codes = guide_languages (language, error)) == NULL) ||
      (store = sd_cli_open_store (cli, set != NULL, error)) == NULL ||
      (shelter = sd_store_find_shelter (store, (*args)[1], error)) == NULL ||
      (guide = sd_store_get_shelter_guide (store, sd_shelter_get_id (shelter), error)) == NULL)
    return FALSE;

  if (set != NULL)
    {
      g_autoptr(SdShelterGuide) edited = sd_shelter_guide_copy (guide);
      g_autoptr(json_t) root = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      gboolean ok = (contents = sd_cli_read_all (set, &length, error)) != NULL &&
                    (root = sd_json_parse (contents, length, 0, error)) != NULL &&
                    sd_shelter_guide_read_json (edited, root, error);

      unchanged = ok && sd_shelter_guide_equal (guide, edited);
      if (!ok || (!unchanged && !sd_store_set_shelter_guide (store, sd_shelter_get_id (shelter), guide, edited,
                                                             error)))
        {
          g_prefix_error (error, _("The guide of %s is unchanged: "), sd_shelter_get_code (shelter));
          return FALSE;
        }
      sd_shelter_guide_free (g_steal_pointer (&guide));
      guide = sd_store_get_shelter_guide (store, sd_shelter_get_id (shelter), error);
      if (guide == NULL)
        return FALSE;
    }

  if (pdf != NULL)
    {
      if (!sd_shelter_guide_write_pdf (guide, (const char *const *) codes->pdata, sd_store_get_is_exercise (store),
                                       pdf, error))
        return FALSE;
      for (guint i = 0; i + 1 < codes->len; i++)
        if (sd_shelter_guide_count_missing_glyphs (guide, g_ptr_array_index (codes, i)) > 0)
          g_printerr (_("Warning: the page in %s has characters no font on this computer can draw: "
                        "install the fonts (fonts-noto-core, fonts-noto-cjk) and write it again.\n"),
                      sd_evacuee_language_resolve (g_ptr_array_index (codes, i))->own_name);
      g_print (ngettext ("Wrote the guide of %s (%u page) to %s.\n", "Wrote the guide of %s (%u pages) to %s.\n",
                         codes->len - 1), sd_shelter_get_code (shelter), codes->len - 1, pdf);
      return TRUE;
    }
  if (set != NULL && unchanged)
    g_print (_("The guide of %s already says that: nothing changed.\n"), sd_shelter_get_code (shelter));
  else if (set != NULL)
    g_print (_("Saved the guide of %s.\n"), sd_shelter_get_code (shelter));
  else
    {
      g_autoptr(json_t) root = sd_shelter_guide_to_json (guide);
      sd_cli_print_json (root);
    }
  return TRUE;
}
