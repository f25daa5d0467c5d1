/* test-nfc.c: the libnfc transport with the real pn532_uart driver, where no PN532 answers.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader that is not there (a device path with nothing behind it) gives
 * the volunteer's "no reader" message within the wait, and a wait for ever
 * ends when cancelled.  Reading through a PN532 emulator on a
 * pseudo-terminal is still to come (see the README).
 */
#include "sd-card-fixture.h"

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
  g_test_add_func ("/card/nfc/missing-device", test_missing_device);
  g_test_add_func ("/card/nfc/cancel", test_cancel);
  g_test_add_func ("/card/nfc/bad-spec", test_bad_spec);
  return g_test_run ();
}
