/* test-pcsc.c: reading the emulated card through the real pcscd and its virtual reader (vpcd).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's own two steps (probe, then read with the PIN) over PC/SC,
 * against cards put on and taken off vpcd's two slots.  pcscd is started
 * by the fixture (root, CI) or a running one with vpcd is used; otherwise
 * the tests skip and say why.
 */
#include "sd-card-emulator.h"
#include "sd-card-fixture.h"

#include <glib/gstdio.h>

static char *dir;

static char *
log_path (const char *name)
{
  return g_build_filename (dir, name, NULL);
}

static SdCardReader *
any_reader (void)
{
  g_autoptr(GError) error = NULL;
  SdCardReader *reader = sd_card_reader_new_from_spec ("pcsc", &error);

  g_assert_no_error (error);
  return reader;
}

static void
test_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("read.log");
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, NULL);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  SdCardTimings probe = { 0 }, read = { 0 };
  gboolean verify_sent = FALSE;
  int tries;

  tries = sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, &probe, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tries, ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, &verify_sent, &read, &error);
  g_assert_no_error (error);
  g_assert_true (verify_sent);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  g_assert_cmpstr (facts->address, ==, "みなと川市東町1丁目2-3");
  g_assert_cmpstr (facts->birth_date, ==, "1950-01-06");
  g_assert_cmpint (facts->sex, ==, SD_SEX_FEMALE);
  /* select AP, select PIN EF, tries; VERIFY, select EF 0002, read */
  g_assert_cmpuint (probe.n_apdus, ==, 3);
  g_assert_cmpuint (probe.n_apdus + read.n_apdus, <=, 7);
  g_assert_false (sd_card_reader_is_connected (reader));

  /* From the card's own log: the application by AID; EF 0001 and
   * 照合番号A never selected. */
  g_assert_true (sd_card_fixture_log_has (log, "00A4040C0AD3921000310001010408"));
  g_assert_false (sd_card_fixture_log_has (log, "00A4020C020001"));
  g_assert_false (sd_card_fixture_log_has (log, "00A4020C020014"));
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_wrong_pin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("wrong.log");
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, NULL);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  int tries = -1;

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "1111", &tries, NULL, NULL, &error);
  g_assert_null (facts);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN);
  g_assert_cmpint (tries, ==, 2);
  g_assert_nonnull (strstr (error->message, "2"));
  g_clear_error (&error);

  /* The card stays open after a wrong PIN; the right one then reads. */
  g_assert_true (sd_card_reader_is_connected (reader));
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", &tries, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_blocked (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("blocked.log");
  const char *options[] = { "--tries", "0", NULL };
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, options);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  gboolean verify_sent = TRUE;

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 0);
  g_assert_no_error (error);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, &verify_sent, NULL, &error);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED);
  g_assert_false (verify_sent);
  /* Only the tries query (VERIFY with no data), never a PIN. */
  g_assert_true (sd_card_fixture_log_has (log, "00200080"));
  g_assert_false (sd_card_fixture_log_has (log, "0020008004"));
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_long_address (void)
{
  g_autoptr(GError) error = NULL;
  const char *options[] = { "--long-address", NULL };
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, NULL, options);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  SdCardTimings timings = { 0 };

  sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error);
  g_assert_no_error (error);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, &timings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (facts->address), >=, 128);
  g_assert_true (g_str_has_prefix (facts->address, "みなと川市東町1丁目2-3東町"));
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_lifted_before_pin (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("lifted.log");
  g_autofree char *log2 = log_path ("lifted-back.log");
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, NULL);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  gboolean verify_sent = FALSE;

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  /* Lifted while the PIN is typed, and put back: the read finds the card
   * again, opens the application again and verifies once. */
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
  card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log2, NULL);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, &verify_sent, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  g_assert_false (sd_card_fixture_log_has (log, "0020008004"));
  g_assert_true (sd_card_fixture_log_has (log2, "00A4040C0AD3921000310001010408"));
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_pulled_out_mid_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("pulled.log");
  /* Answers the probe's 3 APDUs; the VERIFY never reaches it. */
  const char *options[] = { "--pull-out-after", "3", NULL };
  const char *after_verify[] = { "--pull-out-after", "4", NULL };
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, options);
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  gboolean verify_sent = TRUE;

  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, &verify_sent, NULL, &error);
  g_assert_null (facts);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED);
  g_assert_false (sd_card_fixture_log_has (log, "0020008004"));
  g_clear_error (&error);
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);

  /* Pulled out after the VERIFY: the desk is told a try may be spent. */
  card = sd_card_fixture_put_card (SD_VPCD_PORT_0, NULL, after_verify);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, &verify_sent, NULL, &error);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED);
  g_assert_true (verify_sent);
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_second_reader (void)
{
  g_autoptr(GError) error = NULL;
  const char *options[] = { "--name", "読取 次郎", "--sex", "1", NULL };
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_1, NULL, options);
  g_autoptr(SdCardReader) any = any_reader ();
  g_autoptr(SdCardReader) named = sd_card_reader_new_from_spec ("pcsc:Virtual PCD 00 01", &error);
  g_autoptr(SdCardReader) other = sd_card_reader_new_from_spec ("pcsc:Virtual PCD 00 00", &error);
  g_autoptr(SdCardFacts) facts = NULL;

  g_assert_no_error (error);
  /* Any reader: the one with the card wins. */
  g_assert_cmpint (sd_card_fixture_probe (any, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (any, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "読取 次郎");
  g_clear_pointer (&facts, sd_card_facts_free);

  /* Named: only that reader counts. */
  g_assert_cmpint (sd_card_fixture_probe (named, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  sd_card_reader_disconnect (named);
  g_assert_cmpint (sd_card_fixture_probe (other, SD_MYNUMBER_PIN, 600, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_CARD);
  sd_card_fixture_take_card (card, SD_VPCD_PORT_1);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_wait (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 start = g_get_monotonic_time ();

  /* Waiting for ever on an empty reader ends when cancelled. */
  g_timeout_add (300, cancel_soon, cancellable);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 0, cancellable, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_reader_gone_and_back (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardReader) reader = any_reader ();
  g_autoptr(SdCardFacts) facts = NULL;
  g_autofree char *skip = NULL;
  GPid card;

  if (!sd_card_fixture_pcscd_owned ())
    {
      g_test_skip ("needs a pcscd of the test's own to stop and start");
      return;
    }
  /* Context made while the reader was there. */
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 300, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_CARD);
  g_clear_error (&error);

  /* The whole reader stack goes away: a clear message, not a hang. */
  sd_card_fixture_pcscd_stop ();
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 300, NULL, NULL, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER);
  g_clear_error (&error);

  /* And comes back: the same reader object reads again. */
  g_assert_true (sd_card_fixture_pcscd_start (&skip));
  card = sd_card_fixture_put_card (SD_VPCD_PORT_0, NULL, NULL);
  g_assert_cmpint (sd_card_fixture_probe (reader, SD_MYNUMBER_PIN, 5000, NULL, NULL, &error), ==, 3);
  facts = sd_card_fixture_read (reader, SD_MYNUMBER_PIN, "4826", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (facts->name, ==, "番号 花子");
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
test_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) specs = sd_card_reader_list (&error);
  gboolean found = FALSE;

  g_assert_no_error (error);
  for (guint i = 0; i < specs->len; i++)
    found |= g_str_equal (g_ptr_array_index (specs, i), "pcsc:Virtual PCD 00 00");
  g_assert_true (found);
}

/* shelterdesk-cli card read: PIN on stdin, facts as JSON, and never the
 * individual number the card holds in EF 0001. */
static void
test_cli_read (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = log_path ("cli.log");
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out_path = log_path ("cli.json");
  GPid card = sd_card_fixture_put_card (SD_VPCD_PORT_0, log, NULL);
  const char *cli = g_getenv ("SD_CLI");
  g_autofree char *read_ok = g_strdup_printf ("echo 4826 | '%s' card read --timeout 5", cli);
  g_autofree char *read_wrong = g_strdup_printf ("echo 0000 | '%s' card read --timeout 5", cli);
  g_autofree char *listing = g_strdup_printf ("'%s' card readers --json", cli);
  const char *sh_ok[] = { "sh", "-c", read_ok, NULL };
  const char *sh_wrong[] = { "sh", "-c", read_wrong, NULL };
  const char *sh_list[] = { "sh", "-c", listing, NULL };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) sh_ok, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "\"name\" : \"番号 花子\""));
  g_assert_nonnull (strstr (out, "\"birth_date\" : \"1950-01-06\""));
  g_assert_nonnull (strstr (out, "\"sex\" : \"female\""));
  g_assert_null (strstr (out, SD_CARD_EMULATOR_NUMBER));
  g_assert_null (strstr (err, SD_CARD_EMULATOR_NUMBER));
  g_file_set_contents (out_path, out, -1, NULL);
  g_assert_false (sd_card_fixture_file_contains (out_path, SD_CARD_EMULATOR_NUMBER));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A wrong PIN: exit status 1, the tries left, nothing on stdout. */
  g_assert_true (g_spawn_sync (NULL, (char **) sh_wrong, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_true (g_spawn_sync (NULL, (char **) sh_list, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_nonnull (strstr (out, "\"pcsc:Virtual PCD 00 00\""));
  g_assert_false (sd_card_fixture_log_has (log, "00A4020C020001"));
  sd_card_fixture_take_card (card, SD_VPCD_PORT_0);
}

static void
skip_all (gconstpointer reason)
{
  g_test_skip (reason);
}

int
main (int argc, char *argv[])
{
  g_autofree char *skip = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("sd-pcsc-XXXXXX", NULL);

  if (!sd_card_fixture_pcscd_start (&skip))
    {
      g_test_add_data_func ("/card/pcsc/skipped", skip, skip_all);
      return g_test_run ();
    }
  g_test_add_func ("/card/pcsc/list", test_list);
  g_test_add_func ("/card/pcsc/read", test_read);
  g_test_add_func ("/card/pcsc/wrong-pin", test_wrong_pin);
  g_test_add_func ("/card/pcsc/blocked", test_blocked);
  g_test_add_func ("/card/pcsc/long-address", test_long_address);
  g_test_add_func ("/card/pcsc/lifted-before-pin", test_lifted_before_pin);
  g_test_add_func ("/card/pcsc/pulled-out-mid-read", test_pulled_out_mid_read);
  g_test_add_func ("/card/pcsc/second-reader", test_second_reader);
  g_test_add_func ("/card/pcsc/cancel-wait", test_cancel_wait);
  g_test_add_func ("/card/pcsc/cli", test_cli_read);
  g_test_add_func ("/card/pcsc/reader-gone-and-back", test_reader_gone_and_back);
  rc = g_test_run ();
  sd_card_fixture_pcscd_stop ();
  return rc;
}
