/* sd-cli-qr.c: shelterdesk-cli qr: evacuee cards, the A4 sheet, scans, pre-registrations, the card key.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `qr scan` does what a scan at the check-in desk does, with the same
 * scan settings (kept in the database, so the desk and the CLI share
 * them): it prints the outcome as JSON on stdout.  A code the core
 * refuses outright (not ours, half-read, forged, from another deployment,
 * or of a person this database does not know) prints no JSON, only the
 * reason on stderr.
 *
 * Nothing personal goes to stderr: names and the like appear only in
 * the JSON on stdout, which the user asked for.  The card key's secret
 * part is written only to the file asked for, readable by its owner.
 */
#include "sd-cli-private.h"
#include "sd-prereg-form.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_MODULE_PX 8
#define MAX_MODULE_PX     64
#define MAX_SCAN_LINE     (16 * 1024)  /* far more than any code of ours */
#define UTF8_BOM          "\xef\xbb\xbf"

/* ---- shared ---- */

static gboolean
check_module_px (int      module_px,
                 GError **error)
{
  if (module_px < 1 || module_px > MAX_MODULE_PX)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("--module-px must be a number of pixels from 1 to %d."), MAX_MODULE_PX);
      return FALSE;
    }
  return TRUE;
}

/* Writes TEXT's code as a PNG, then prints TEXT, the payload, on one line. */
static gboolean
write_png_and_print (const char  *text,
                     int          module_px,
                     const char  *path,
                     GError     **error)
{
  if (!sd_qr_write_png (text, (guint) module_px, path, error))
    return FALSE;
  g_print ("%s\n", text);
  return TRUE;
}

static gboolean
parse_mode (const char   *text,
            SdEventKind  *out_mode,
            GError      **error)
{
  if (!sd_event_kind_from_string (text, out_mode))
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("“%s” is not a scan mode: use arrive, go_out, return, leave or supply."), text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
get_settings (SdStore      *store,
              SdEventKind  *out_mode,
              char        **out_shelter_id,
              guint        *out_repeat_seconds,
              GError      **error)
{
  g_autoptr(GError) local = NULL;

  if (sd_store_get_scan_settings (store, out_mode, out_shelter_id, out_repeat_seconds, &local))
    return TRUE;
  if (local != NULL)
    g_propagate_error (error, g_steal_pointer (&local));
  else
    g_set_error_literal (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                         _("The database has no scan settings. Run “shelterdesk-cli check”."));
  return FALSE;
}

/* The shelter whose id is SHELTER_ID into *OUT_SHELTER, or NULL there
 * when there is none (no longer) with that id. */
static gboolean
find_shelter_by_id (SdStore     *store,
                    const char  *shelter_id,
                    SdShelter  **out_shelter,
                    GError     **error)
{
  g_autoptr(GListModel) shelters = sd_store_list_shelters (store, error);

  *out_shelter = NULL;
  if (shelters == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (shelters); i++)
    {
      g_autoptr(SdShelter) shelter = g_list_model_get_item (shelters, i);

      if (g_strcmp0 (sd_shelter_get_id (shelter), shelter_id) == 0)
        {
          *out_shelter = g_steal_pointer (&shelter);
          break;
        }
    }
  return TRUE;
}

static gboolean
read_file (const char  *path,
           char       **out_contents,
           gsize       *out_length,
           GError     **error)
{
  if (!g_file_get_contents (path, out_contents, out_length, error))
    {
      g_prefix_error (error, _("Could not read “%s”: "), path);
      return FALSE;
    }
  return TRUE;
}

/* ---- qr issue ---- */

gboolean
sd_cli_run_qr_issue (SdCli   *cli,
                     GStrv   *args,
                     GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *png = NULL;
  g_autofree char *text = NULL;
  int module_px = DEFAULT_MODULE_PX;
  const GOptionEntry entries[] = {
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("The PNG file to write"), N_("FILE") },
    { "module-px", 0, 0, G_OPTION_ARG_INT, &module_px, N_("Pixels a module of the code (default 8)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      !sd_cli_require_option (png, "--png", error) ||
      !check_module_px (module_px, error))
    return FALSE;
  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL)
    return FALSE;

  text = sd_store_issue_card (store, (*args)[1], &local);
  if (text == NULL)
    {
      if (g_error_matches (local, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND))
        g_set_error (error, SD_STORE_ERROR, SD_STORE_ERROR_NOT_FOUND,
                     _("There is no person with the id “%s” in this database. Find their id with "
                       "“shelterdesk-cli evacuee search”."), (*args)[1]);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return write_png_and_print (text, module_px, png, error);
}

/* ---- qr sheet ---- */

gboolean
sd_cli_run_qr_sheet (SdCli   *cli,
                     GStrv   *args,
                     GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(GArray) cards = NULL;
  g_autofree char *code = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *cards_text = NULL;
  g_autofree char *pages_text = NULL;
  guint n_pages;
  const GOptionEntry entries[] = {
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &code, N_("The shelter whose people get cards"), N_("CODE") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_("The PDF file to write"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (code, "--shelter", error) ||
      !sd_cli_require_option (pdf, "--pdf", error))
    return FALSE;
  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL || (shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;

  cards = sd_store_issue_cards (store, sd_shelter_get_id (shelter), NULL, error);
  if (cards == NULL)
    return FALSE;
  if (cards->len == 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                   _("Nobody to print: no one registered through %s is still staying."), code);
      return FALSE;
    }
  if (!sd_qr_sheet_write_pdf ((const SdQrSheetCard *) cards->data, cards->len,
                              sd_store_get_is_exercise (store), pdf, error))
    return FALSE;

  n_pages = sd_qr_sheet_n_pages (cards->len);
  cards_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u card", "%u cards", cards->len), cards->len);
  pages_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", n_pages), n_pages);
  /* TRANSLATORS: "12 cards on 2 pages" */
  g_print (_("%s on %s\n"), cards_text, pages_text);
  return TRUE;
}

/* ---- qr scan ---- */

/* One line from standard input, trimmed: a scanner's or a pipe's. */
static char *
read_scanned_line (GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  char buffer[1024];

  while (fgets (buffer, sizeof buffer, stdin) != NULL)
    {
      g_string_append (line, buffer);
      if (line->len > 0 && line->str[line->len - 1] == '\n')
        break;
      if (line->len > MAX_SCAN_LINE)
        {
          g_set_error_literal (error, SD_QR_ERROR, SD_QR_ERROR_NOT_OURS,
                               _("The line on standard input is far too long to be a ShelterDesk code."));
          return NULL;
        }
    }
  if (ferror (stdin))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not read the code from standard input."));
      return NULL;
    }
  g_strstrip (line->str);
  if (line->str[0] == '\0')
    {
      g_set_error_literal (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                           _("No code was given on standard input. Scan or pipe it in on the first line."));
      return NULL;
    }
  return g_strdup (line->str);
}

/* The pre-registration's documented JSON, as a value to embed. */
static json_t *
prereg_node (SdPrereg *prereg)
{
  g_autofree char *json = sd_prereg_to_json (prereg);
  json_t *node = sd_json_parse (json, strlen (json), 0, NULL);

  /* Our own output: it always parses. */
  return node != NULL ? node : json_null ();
}

static json_t *
person_object (SdPerson *person)
{
  json_t *o = json_object ();

  json_object_set_new (o, "id", sd_json_text (sd_person_get_id (person)));
  json_object_set_new (o, "name", sd_json_text (sd_person_get_name (person)));
  json_object_set_new (o, "kana", sd_json_text (sd_person_get_kana (person)));
  json_object_set_new (o, "status", sd_json_text (sd_person_status_to_string (sd_person_get_status (person))));
  json_object_set_new (o, "shelter", sd_json_text (sd_person_get_shelter_name (person)));
  return o;
}

static const char *
outcome_id (SdScanOutcome outcome)
{
  static const char *const ids[] = { "recorded", "repeated", "refused", "prereg" };

  g_return_val_if_fail (outcome < G_N_ELEMENTS (ids), NULL);
  return ids[outcome];
}

/* What to tell the person at the desk; NULL when it was recorded. */
static char *
describe_outcome (SdScanResult *result)
{
  if (result->outcome == SD_SCAN_REPEATED)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (result->previous_at / 1000);
      g_autofree char *when = g_date_time_format (at, "%H:%M:%S");

      return g_strdup_printf (_("Already recorded at %s, moments ago: nothing was recorded again."), when);
    }
  return g_strdup (result->message);
}

static void
print_scan_result (SdScanResult *result,
                   const char   *message)
{
  g_autoptr(json_t) o = json_object ();

  json_object_set_new (o, "outcome", sd_json_text (outcome_id (result->outcome)));
  if (result->outcome == SD_SCAN_PREREG)
    json_object_set_new (o, "prereg", prereg_node (result->prereg));
  else
    {
      g_autofree char *previous_at = sd_cli_format_iso (result->previous_at);

      json_object_set_new (o, "kind", sd_json_text (sd_event_kind_to_string (result->kind)));
      json_object_set_new (o, "person", person_object (result->person));
      json_object_set_new (o, "event_id", sd_json_text (result->event_id));
      json_object_set_new (o, "previous_at", sd_json_text (previous_at));
      json_object_set_new (o, "message", sd_json_text (message));
    }
  sd_cli_print_json (o);
}

gboolean
sd_cli_run_qr_scan (SdCli   *cli,
                    GStrv   *args,
                    GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autoptr(SdStaff) staff = NULL;
  g_autoptr(SdScanResult) result = NULL;
  g_autofree char *mode_text = NULL;
  g_autofree char *code = NULL;
  g_autofree char *staff_no = NULL;
  g_autofree char *shelter_id = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  SdScanSettings settings = { 0 };
  SdEventKind mode = SD_EVENT_ARRIVE;
  const GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode_text,
      N_("arrive, go_out, return, leave or supply (default: the desk’s mode)"), N_("MODE") },
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &code,
      N_("Where arrivals and pickups happen (default: the desk’s shelter)"), N_("CODE") },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff_no, N_("Who records it"), N_("STAFF_NO") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 1, 1, error) ||
      (mode_text != NULL && !parse_mode (mode_text, &mode, error)))
    return FALSE;
  store = sd_cli_open_store (cli, TRUE, error);
  if (store == NULL ||
      !get_settings (store, &settings.mode, &shelter_id, &settings.repeat_seconds, error))
    return FALSE;
  if (mode_text != NULL)
    settings.mode = mode;
  if (code != NULL && (shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;
  settings.shelter_id = shelter != NULL ? sd_shelter_get_id (shelter) : shelter_id;
  if (staff_no != NULL && (staff = sd_store_find_staff (store, staff_no, error)) == NULL)
    return FALSE;
  settings.staff_id = staff != NULL ? sd_staff_get_id (staff) : NULL;

  text = g_strcmp0 ((*args)[1], "-") == 0 ? read_scanned_line (error) : g_strdup ((*args)[1]);
  if (text == NULL)
    return FALSE;
  /* A pre-registration records nothing, so it needs no shelter. */
  if ((settings.mode == SD_EVENT_ARRIVE || settings.mode == SD_EVENT_SUPPLY) &&
      settings.shelter_id == NULL && sd_qr_kind_of (text) != SD_QR_KIND_PREREG)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                   _("The %s mode needs a shelter: pass --shelter CODE, or set the desk’s shelter "
                     "with “shelterdesk-cli qr mode --shelter CODE”."),
                   sd_event_kind_to_string (settings.mode));
      return FALSE;
    }

  result = sd_store_scan (store, text, &settings, error);
  if (result == NULL)
    return FALSE;
  message = describe_outcome (result);
  print_scan_result (result, message);
  if (result->outcome == SD_SCAN_REPEATED || result->outcome == SD_SCAN_REFUSED)
    {
      g_set_error_literal (error, SD_CLI_ERROR, SD_CLI_ERROR_FAILED,
                           message != NULL ? message : _("Nothing was recorded."));
      return FALSE;
    }
  return TRUE;
}

/* ---- qr mode ---- */

static gboolean
print_settings (SdStore  *store,
                GError  **error)
{
  g_autoptr(json_t) o = json_object ();
  g_autoptr(SdShelter) shelter = NULL;
  g_autofree char *shelter_id = NULL;
  SdEventKind mode;
  guint repeat;

  if (!get_settings (store, &mode, &shelter_id, &repeat, error) ||
      (shelter_id != NULL && !find_shelter_by_id (store, shelter_id, &shelter, error)))
    return FALSE;

  json_object_set_new (o, "mode", sd_json_text (sd_event_kind_to_string (mode)));
  json_object_set_new (o, "shelter", sd_json_text (shelter != NULL ? sd_shelter_get_code (shelter) : NULL));
  json_object_set_new (o, "repeat_seconds", json_integer (repeat));
  sd_cli_print_json (o);
  return TRUE;
}

gboolean
sd_cli_run_qr_mode (SdCli   *cli,
                    GStrv   *args,
                    GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(SdShelter) shelter = NULL;
  g_autofree char *code = NULL;
  const char *mode_text;
  SdEventKind mode = SD_EVENT_ARRIVE;
  int repeat = G_MININT;
  gboolean changes;
  const GOptionEntry entries[] = {
    { "shelter", 0, 0, G_OPTION_ARG_STRING, &code,
      N_("Where arrivals and pickups are recorded (\"\" for none)"), N_("CODE") },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      N_("Ignore a second scan of the same person within this many seconds (0 to 86400)"), N_("SECONDS") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 1, error))
    return FALSE;
  mode_text = (*args)[1];
  if (mode_text != NULL && !parse_mode (mode_text, &mode, error))
    return FALSE;
  if (repeat != G_MININT && (repeat < 0 || repeat > 86400))
    {
      g_set_error_literal (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE,
                           _("--repeat must be a number of seconds from 0 to 86400 (a day)."));
      return FALSE;
    }
  changes = mode_text != NULL || code != NULL || repeat != G_MININT;
  store = sd_cli_open_store (cli, changes, error);
  if (store == NULL)
    return FALSE;
  /* Everything is checked before anything is changed. */
  if (code != NULL && *code != '\0' && (shelter = sd_store_find_shelter (store, code, error)) == NULL)
    return FALSE;

  if ((mode_text != NULL && !sd_store_set_scan_mode (store, mode, error)) ||
      (code != NULL && !sd_store_set_scan_shelter (store, shelter ? sd_shelter_get_id (shelter) : NULL, error)) ||
      (repeat != G_MININT && !sd_store_set_scan_repeat (store, (guint) repeat, error)))
    return FALSE;
  return print_settings (store, error);
}

/* ---- qr prereg ---- */

gboolean
sd_cli_run_qr_prereg (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autoptr(SdPrereg) prereg = NULL;
  g_autofree char *path = NULL;
  g_autofree char *png = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *text = NULL;
  const char *json;
  gsize length = 0;
  int module_px = DEFAULT_MODULE_PX;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_FILENAME, &path, N_("The household’s pre-registration, as JSON in UTF-8"), N_("FILE") },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, N_("The PNG file to write"), N_("FILE") },
    { "module-px", 0, 0, G_OPTION_ARG_INT, &module_px, N_("Pixels a module of the code (default 8)"), N_("N") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (path, "--json", error) ||
      !sd_cli_require_option (png, "--png", error) ||
      !check_module_px (module_px, error) ||
      !read_file (path, &contents, &length, error))
    return FALSE;

  /* Notepad and Excel may start a UTF-8 file with a byte order mark. */
  json = contents;
  if (g_str_has_prefix (json, UTF8_BOM))
    {
      json += strlen (UTF8_BOM);
      length -= strlen (UTF8_BOM);
    }
  if (!g_utf8_validate (json, length, NULL))
    {
      g_set_error (error, SD_DATA_ERROR, SD_DATA_ERROR_ENCODING,
                   _("“%s” is not UTF-8 text (it may be Shift_JIS, as Japanese Windows saves by default). "
                     "Save it as UTF-8 and try again."), path);
      return FALSE;
    }

  prereg = sd_prereg_new_from_json (json, length, error);
  if (prereg == NULL || (text = sd_prereg_to_text (prereg, error)) == NULL)
    return FALSE;
  return write_png_and_print (text, module_px, png, error);
}

/* ---- qr key show, export, import ---- */

gboolean
sd_cli_run_qr_key_show (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *key_id = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL)
    return FALSE;
  key_id = sd_store_get_card_key_id (store);
  if (key_id != NULL)
    g_print ("%s\n", key_id);
  else
    g_print ("%s\n", _("This database has no card key yet. It makes one with the first card it issues; "
                       "to share another kiosk’s, use “shelterdesk-cli qr key import”."));
  return TRUE;
}

gboolean
sd_cli_run_qr_key_export (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *out = NULL;
  g_autofree char *key_id = NULL;
  char *json;
  gboolean public_only = FALSE;
  gboolean written;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The file to write (readable by you only)"), N_("FILE") },
    { "public", 0, 0, G_OPTION_ARG_NONE, &public_only,
      N_("Leave out the secret part: the other kiosk can check cards but not issue them"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (out, "--out", error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL)
    return FALSE;

  json = sd_store_export_card_key (store, !public_only, error);
  if (json == NULL)
    return FALSE;
  written = g_file_set_contents_full (out, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
  sodium_memzero (json, strlen (json));
  g_free (json);
  if (!written)
    return FALSE;

  key_id = sd_store_get_card_key_id (store);
  if (public_only)
    g_print (_("Wrote the public part of the card key %s to “%s”.\n"), key_id, out);
  else
    g_print (_("Wrote the card key %s, with its secret part, to “%s”. Copy it only to kiosks of this "
               "deployment, and delete it once imported.\n"), key_id, out);
  return TRUE;
}

gboolean
sd_cli_run_qr_key_import (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autofree char *key_id = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !read_file ((*args)[1], &contents, &length, error))
    return FALSE;

  key_id = sd_store_import_card_key (store, contents, error);
  sodium_memzero (contents, length);
  g_free (contents);
  if (key_id == NULL)
    return FALSE;
  g_print ("%s\n", key_id);
  return TRUE;
}

/* ---- qr key list, qr key remove ---- */

gboolean
sd_cli_run_qr_key_list (SdCli   *cli,
                        GStrv   *args,
                        GError **error)
{
  g_autoptr(SdStore) store = NULL;
  g_autoptr(GArray) keys = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (store = sd_cli_open_store (cli, FALSE, error)) == NULL ||
      (keys = sd_store_list_card_keys (store, error)) == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = json_array ();

      for (guint i = 0; i < keys->len; i++)
        {
          const SdCardKeyInfo *k = &g_array_index (keys, SdCardKeyInfo, i);
          json_t *o = json_object ();
          g_autofree char *added = sd_cli_format_iso (k->added_at);

          json_object_set_new (o, "key_id", sd_json_text (k->key_id));
          json_object_set_new (o, "current", json_boolean (k->current));
          json_object_set_new (o, "can_issue", json_boolean (k->has_secret));
          json_object_set_new (o, "added_at", sd_json_text (added));
          json_array_append_new (root, o);
        }
      sd_cli_print_json (root);
    }
  else if (keys->len == 0)
    g_print ("%s\n", _("This database has no card key yet."));
  else
    for (guint i = 0; i < keys->len; i++)
      {
        const SdCardKeyInfo *k = &g_array_index (keys, SdCardKeyInfo, i);

        g_print ("%s  %s\n", k->key_id,
                 k->current ? _("issues new cards")
                 : k->has_secret ? _("checks cards (can issue if made current again by an import)")
                 : _("checks cards only"));
      }
  return TRUE;
}

gboolean
sd_cli_run_qr_key_remove (SdCli   *cli,
                          GStrv   *args,
                          GError **error)
{
  g_autoptr(SdStore) store = NULL;

  if (!sd_cli_parse_args (cli, NULL, args, 1, 1, error) ||
      (store = sd_cli_open_store (cli, TRUE, error)) == NULL ||
      !sd_store_remove_card_key (store, (*args)[1], error))
    return FALSE;
  g_print (_("Removed. Cards signed with %s are refused here from now on.\n"), (*args)[1]);
  return TRUE;
}

/* ---- qr prereg-form ---- */

gboolean
sd_cli_run_qr_prereg_form (SdCli   *cli,
                           GStrv   *args,
                           GError **error)
{
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The HTML file to write"), N_("FILE") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      !sd_cli_require_option (out, "--out", error) ||
      !sd_prereg_form_write (out, error))
    return FALSE;
  g_print (_("Wrote the pre-registration form to %s: one page in every evacuee language, that works without "
             "the internet once opened and sends nothing. Put it on the municipality's web site or hand it out.\n"),
           out);
  return TRUE;
}
