/* sd-cli-card.c: shelterdesk-cli card readers, card read.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN is read from standard input only (never argv or the
 * environment, which other users can see) and wiped after use.  The
 * facts print as JSON with the field names `evacuee add` takes.
 */
#include "sd-cli-card.h"
#include "sd-cli-private.h"

#include <glib/gi18n.h>
#include <sodium.h>

gboolean
sd_cli_run_card_readers (SdCli   *cli,
                         GStrv   *args,
                         GError **error)
{
  g_autoptr(GPtrArray) specs = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error) ||
      (specs = sd_card_reader_list (error)) == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(json_t) root = json_array ();

      for (guint i = 0; i < specs->len; i++)
        json_array_append_new (root, sd_json_text (g_ptr_array_index (specs, i)));
      sd_cli_print_json (root);
    }
  else if (specs->len == 0)
    g_print ("%s\n", _("No card reader is connected."));
  else
    for (guint i = 0; i < specs->len; i++)
      g_print ("%s\n", (char *) g_ptr_array_index (specs, i));
  return TRUE;
}

typedef struct {
  GAsyncResult *result;
} Wait;

static void
done (GObject      *source,
      GAsyncResult *result,
      gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (GMainContext *context,
          Wait         *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (context, TRUE);
  return wait->result;
}

SdCardFacts *
sd_cli_read_card (SdCardReader       *reader,
                  SdMynumberPinKind   kind,
                  const char         *pin,
                  guint               timeout_s,
                  gboolean            quiet,
                  GError            **error)
{
  /* Its own context: nothing else the caller has waiting runs meanwhile. */
  g_autoptr(GMainContext) context = g_main_context_new ();
  Wait probe = { 0 }, read = { 0 };
  g_autoptr(GAsyncResult) probed = NULL, got = NULL;
  SdCardFacts *facts;
  int tries;

  g_main_context_push_thread_default (context);
  sd_card_reader_probe_async (reader, kind, timeout_s * 1000, NULL, done, &probe);
  probed = wait_for (context, &probe);
  tries = sd_card_reader_probe_finish (reader, probed, NULL, error);
  if (tries < 0)
    {
      g_main_context_pop_thread_default (context);
      return NULL;
    }
  /* A blocked card is refused without a VERIFY by the read itself; a last
   * try is said out loud. */
  if (tries == 1 && !quiet)
    g_printerr ("%s\n", _("Warning: this is the last PIN try before the card locks."));

  sd_card_reader_read_async (reader, kind, pin, NULL, done, &read);
  got = wait_for (context, &read);
  facts = sd_card_reader_read_finish (reader, got, NULL, NULL, NULL, error);
  g_main_context_pop_thread_default (context);
  return facts;
}

gboolean
sd_cli_run_card_read (SdCli   *cli,
                      GStrv   *args,
                      GError **error)
{
  g_autofree char *pcsc_name = NULL;
  g_autofree char *nfc = NULL;
  g_autofree char *spec = NULL;
  g_autoptr(SdCardReader) reader = NULL;
  g_autoptr(SdCardFacts) facts = NULL;
  g_autoptr(json_t) root = json_object ();
  gboolean pin_b = FALSE;
  int timeout_s = 30;
  char pin[SD_CLI_PIN_BUFFER_SIZE];
  const GOptionEntry entries[] = {
    { "reader", 0, 0, G_OPTION_ARG_STRING, &pcsc_name, N_("Use this PC/SC reader (default: any)"), N_("NAME") },
    { "nfc", 0, 0, G_OPTION_ARG_STRING, &nfc, N_("Use this libnfc device, e.g. pn532_uart:/dev/ttyUSB0"), N_("CONNSTRING") },
    { "pin-b", 0, 0, G_OPTION_ARG_NONE, &pin_b, N_("Standard input holds 照合番号B (14 digits), not the PIN"), NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, N_("Seconds to wait for a card (default 30)"), N_("SECONDS") },
    G_OPTION_ENTRY_NULL
  };

  if (!sd_cli_parse_args (cli, entries, args, 0, 0, error))
    return FALSE;
  if (pcsc_name != NULL && nfc != NULL)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("Give --reader or --nfc, not both."));
      return FALSE;
    }
  if (timeout_s <= 0)
    {
      g_set_error (error, SD_CLI_ERROR, SD_CLI_ERROR_USAGE, _("--timeout must be a number of seconds above 0."));
      return FALSE;
    }
  spec = nfc != NULL ? g_strconcat ("nfc:", nfc, NULL)
       : pcsc_name != NULL ? g_strconcat ("pcsc:", pcsc_name, NULL)
       : g_strdup ("pcsc");
  if ((reader = sd_card_reader_new_from_spec (spec, error)) == NULL)
    return FALSE;

  if (!sd_cli_read_pin (pin, FALSE, error))
    return FALSE;
  facts = sd_cli_read_card (reader, pin_b ? SD_MYNUMBER_PIN_B : SD_MYNUMBER_PIN, pin, (guint) timeout_s, FALSE, error);
  sodium_memzero (pin, sizeof pin);
  if (facts == NULL)
    return FALSE;

  json_object_set_new (root, "name", sd_json_text (facts->name));
  json_object_set_new (root, "address", sd_json_text (facts->address));
  json_object_set_new (root, "birth_date", sd_json_text (facts->birth_date));
  json_object_set_new (root, "sex", sd_json_text (sd_sex_to_string (facts->sex)));
  sd_cli_print_json (root);
  return TRUE;
}
