/* test-nfc.c: reading the emulated card through libnfc's real pn532_uart driver and an emulated PN532.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pn532-card (tests/card/) speaks the PN532 frame protocol on a
 * pseudo-terminal and passes InDataExchange APDUs to the same emulated
 * card as vpcd-card.  The desk's two steps run against it as against PC/SC:
 * a read, a wrong PIN, a locked card, a long address, a card taken away
 * mid-read, an empty field, and the reader unplugged and plugged back in.
 * A reader that is not there at all gives "no reader" within the wait,
 * and a wait for ever ends when cancelled.
 */
#include "sd-card-emulator.h"
#include "sd-card-fixture.h"

#include <glib/gstdio.h>

static char *dir;
static char *link_path;
static char *spec;

static char *
log_path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static SdCardReader *
pn532_reader (void)
{
  g_autoptr(GError) error = NULL;
  SdCardReader *reader = sd_card_reader_new_from_spec (spec, &error);

  g_assert_no_error (error);
  return reader;
}

static void
test_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("read.log");
  GPid pid = sd_card_fixture_pn532_start (link_path, log, NULL);
  g_autoptr(SdCardReader) reader = pn532_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  SdCardTimings probe = { 0 }, read = { 0 };

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, &probe, &error), ==, 3);
  g_assert_no_error (error);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, &read, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  g_assert_cmpstr (facts->address, ==, "みなと川市東町1丁目2-3");
  g_assert_cmpstr (facts->birth_date, ==, "1950-01-06");
  g_assert_cmpint (facts->sex, ==, SD_SEX_FEMALE);
  g_assert_cmpuint (probe.n_apdus + read.n_apdus, <=, 7);
  g_assert_true (sd_card_fixture_log_has (log, "00A4040C0AD3921000310001010408"));
  g_assert_false (sd_card_fixture_log_has (log, "00A4020C020001"));
  g_assert_false (sd_card_fixture_log_has (log, "00A4020C020014"));
  sd_card_fixture_stop (pid);
}

static void
test_wrong_pin_and_blocked (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("blocked.log");
  const char *last_try[] = { "--tries", "1", NULL };
  GPid pid = sd_card_fixture_pn532_start (link_path, log, last_try);
  g_autoptr(SdCardReader) reader = pn532_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  int tries = -1;

  /* The last try, spent wrongly: the card locks, and from then on it
   * gets no VERIFY at all. */
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 1);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "1111", &tries, NULL, NULL, &error);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED);
  g_assert_cmpint (tries, ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 0);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED);
  g_assert_false (sd_card_fixture_log_has (log, "002000800434383236"));  /* the right PIN never sent */
  sd_card_fixture_stop (pid);
}

static void
test_long_address (void)
{
  g_autoptr(GError) error = NULL;
  const char *options[] = { "--long-address", NULL };
  GPid pid = sd_card_fixture_pn532_start (link_path, NULL, options);
  g_autoptr(SdCardReader) reader = pn532_reader ();
  g_autoptr(SdCardFacts) facts = NULL;

  sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error);
  g_assert_no_error (error);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (facts->address), >=, 128);
  sd_card_fixture_stop (pid);
}

static void
test_pulled_out_mid_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("pulled.log");
  const char *options[] = { "--pull-out-after", "3", NULL };
  GPid pid = sd_card_fixture_pn532_start (link_path, log, options);
  g_autoptr(SdCardReader) reader = pn532_reader ();
  g_autoptr(SdCardFacts) facts = NULL;

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_null (facts);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED);
  g_assert_false (sd_card_fixture_log_has (log, "0020008004"));
  sd_card_fixture_stop (pid);
}

static void
test_empty_field (void)
{
  g_autoptr(GError) error = NULL;
  const char *options[] = { "--no-card", NULL };
  GPid pid = sd_card_fixture_pn532_start (link_path, NULL, options);
  g_autoptr(SdCardReader) reader = pn532_reader ();

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 800, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_CARD);
  sd_card_fixture_stop (pid);
}

static void
test_reader_gone_and_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = pn532_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  GPid pid = sd_card_fixture_pn532_start (link_path, NULL, NULL);

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  sd_card_reader_disconnect (reader);

  /* Unplugged: the device is gone, and the same reader says so. */
  sd_card_fixture_stop (pid);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 500, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER);
  g_clear_error (&error);

  /* Plugged back in: found again, and read. */
  pid = sd_card_fixture_pn532_start (link_path, NULL, NULL);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  sd_card_fixture_stop (pid);
}

/* shelterdesk-cli card read --nfc: the same JSON, and never the number. */
static void
test_cli_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  GPid pid = sd_card_fixture_pn532_start (link_path, NULL, NULL);
  g_autofree char *command = g_strdup_printf ("echo 4826 | '%s' card read --nfc 'pn532_uart:%s' --timeout 5",
                                              g_getenv ("SD_CLI"), link_path);
  const char *sh[] = { "sh", "-c", command, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) sh, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\"name\" : \"番号 花子\""));
  g_assert_null (strstr (out, SD_CARD_EMULATOR_NUMBER));
  g_assert_null (strstr (err, SD_CARD_EMULATOR_NUMBER));
  sd_card_fixture_stop (pid);
}

static void
test_missing_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = sd_card_reader_new_from_spec ("nfc:pn532_uart:/nonexistent/ttyX", &error);
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 500, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static gboolean
cancel_soon (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = sd_card_reader_new_from_spec ("nfc:pn532_uart:/nonexistent/ttyX", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_timeout_add (300, cancel_soon, cancellable);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 0, cancellable, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_bad_spec (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (sd_card_reader_new_from_spec ("usb:whatever", &error));
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER);
  g_assert_nonnull (strstr (error->message, "usb:whatever"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  sd_card_init ();
  dir = g_dir_make_tmp ("sd-nfc-XXXXXX", NULL);
  link_path = g_build_filename (dir, "pn532", NULL);
  spec = g_strconcat ("nfc:pn532_uart:", link_path, NULL);
  g_test_add_func ("/card/nfc/read", test_read);
  g_test_add_func ("/card/nfc/wrong-pin-and-blocked", test_wrong_pin_and_blocked);
  g_test_add_func ("/card/nfc/long-address", test_long_address);
  g_test_add_func ("/card/nfc/pulled-out-mid-read", test_pulled_out_mid_read);
  g_test_add_func ("/card/nfc/empty-field", test_empty_field);
  g_test_add_func ("/card/nfc/reader-gone-and-back", test_reader_gone_and_back);
  g_test_add_func ("/card/nfc/cli", test_cli_read);
  g_test_add_func ("/card/nfc/missing-device", test_missing_device);
  g_test_add_func ("/card/nfc/cancel", test_cancel);
  g_test_add_func ("/card/nfc/bad-spec", test_bad_spec);
  return g_test_run ();
}
