/* test-mynumber.c: the card protocol against the emulated card: PIN rules, chunked reads, what is never selected.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-card-emulator.h"
#include "sd-mynumber.h"

#include <string.h>

static gboolean
emulator_transmit (gpointer      user_data,
                   const guint8 *apdu,
                   gsize         len,
                   GByteArray   *response,
                   GError      **error)
{
  if (!sd_card_emulator_process (user_data, apdu, len, response))
    {
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED,
                   "The card was taken away during the read.");
      return FALSE;
    }
  return TRUE;
}

static SdCardEmulator *
card (const char *address)
{
  return sd_card_emulator_new ("番号 花子", address, "19500106", "2", "4826");
}

static void
test_read_with_pin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SdCardEmulator) emu = card ("みなと川市東町1-2-3");
  SdApduChannel ch = { emulator_transmit, emu, 0 };
  g_auto(SdCardFacts) facts = { 0 };
  int tries = -1;

  g_assert_true (sd_mynumber_select_application (&ch, &error));
  g_assert_true (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "4826", &tries, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tries, ==, 3);
  g_assert_true (sd_mynumber_read_facts (&ch, &facts, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (facts.name, ==, "番号 花子");
  g_assert_cmpstr (facts.birth_date, ==, "1950-01-06");
  g_assert_cmpint (facts.sex, ==, SD_SEX_FEMALE);
  /* select AP, select PIN EF, tries, verify, select EF 0002, one read */
  g_assert_cmpuint (ch.n_apdus, <=, 7);
  g_assert_false (sd_card_emulator_selected (emu, 0x0001));
  g_assert_false (sd_card_emulator_selected (emu, 0x0014));
}

static void
test_long_address_chunked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) address = g_string_new ("みなと川市");
  g_autoptr(SdCardEmulator) emu = NULL;
  SdApduChannel ch = { emulator_transmit, NULL, 0 };
  g_auto(SdCardFacts) facts = { 0 };

  for (int i = 0; i < 100; i++)
    g_string_append (address, "東");  /* 315 bytes: long form, two reads */
  emu = card (address->str);
  ch.user_data = emu;
  g_assert_true (sd_mynumber_select_application (&ch, &error));
  g_assert_true (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "4826", NULL, &error));
  g_assert_true (sd_mynumber_read_facts (&ch, &facts, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (facts.address, ==, address->str);
  g_assert_cmpuint (ch.n_apdus, <=, 7);
  for (guint i = 0; i < emu->log->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (emu->log, i), "00B0"))
      g_assert_cmpuint (strlen (g_ptr_array_index (emu->log, i)), ==, 10);  /* short APDUs only */
}

static void
test_wrong_pin_then_blocked (void)
{
  g_autoptr(SdCardEmulator) emu = card ("住所");
  SdApduChannel ch = { emulator_transmit, emu, 0 };
  int tries = -1;

  g_assert_true (sd_mynumber_select_application (&ch, NULL));
  for (int expect = 2; expect >= 1; expect--)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "0000", &tries, &error));
      g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN);
      g_assert_cmpint (tries, ==, expect);
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_false (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "0000", &tries, &error));
    g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED);
  }

  /* Blocked: asking costs nothing, and no VERIFY with data is ever sent. */
  {
    g_autoptr(GError) error = NULL;
    guint before = emu->log->len, with_data = 0;

    g_assert_cmpint (sd_mynumber_get_tries (&ch, SD_MYNUMBER_PIN, NULL), ==, 0);
    g_assert_false (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "4826", &tries, &error));
    g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED);
    for (guint i = before; i < emu->log->len; i++)
      with_data += g_str_has_prefix (g_ptr_array_index (emu->log, i), "0020008004");
    g_assert_cmpuint (with_data, ==, 0);
  }

  /* 照合番号B still reads the card. */
  {
    g_autoptr(GError) error = NULL;
    g_auto(SdCardFacts) facts = { 0 };
    g_assert_true (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN_B, emu->pin_b, NULL, &error));
    g_assert_true (sd_mynumber_read_facts (&ch, &facts, &error));
    g_assert_no_error (error);
  }
}

/* Another kind of card: its applets do not know our AID. */
static gboolean
foreign_transmit (gpointer user_data, const guint8 *apdu, gsize len, GByteArray *r, GError **error)
{
  static const guint8 sw[] = { 0x6A, 0x82 };
  g_byte_array_append (r, sw, 2);
  return TRUE;
}

/* A card that answers garbage: one byte, or a status word we do not expect. */
static gboolean
garbage_transmit (gpointer user_data, const guint8 *apdu, gsize len, GByteArray *r, GError **error)
{
  static const guint8 one[] = { 0x90 };
  static const guint8 ok[] = { 0x90, 0x00 };
  static const guint8 odd[] = { 0x6F, 0x00 };
  int *mode = user_data;

  if (*mode == 0)
    g_byte_array_append (r, one, 1);
  else
    g_byte_array_append (r, apdu[1] == 0xA4 ? ok : odd, 2);
  return TRUE;
}

static void
test_other_cards (void)
{
  g_autoptr(GError) error = NULL;
  SdApduChannel foreign = { foreign_transmit, NULL, 0 };
  int mode = 0;
  SdApduChannel garbage = { garbage_transmit, &mode, 0 };

  g_assert_false (sd_mynumber_select_application (&foreign, &error));
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NOT_MYNUMBER);
  g_clear_error (&error);

  g_assert_false (sd_mynumber_select_application (&garbage, &error));
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
  g_clear_error (&error);

  mode = 1;
  g_assert_cmpint (sd_mynumber_get_tries (&garbage, SD_MYNUMBER_PIN, &error), ==, -1);
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
}

static void
test_pulled_out (void)
{
  g_autoptr(SdCardEmulator) emu = card ("住所");
  SdApduChannel ch = { emulator_transmit, emu, 0 };
  g_autoptr(GError) error = NULL;
  g_auto(SdCardFacts) facts = { 0 };

  emu->pull_out_after = 3;  /* after select AP, select PIN EF, tries: before VERIFY */
  g_assert_true (sd_mynumber_select_application (&ch, NULL));
  g_assert_false (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, "4826", NULL, &error));
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED);
  g_assert_cmpint (emu->tries, ==, 3);  /* no try was spent */
}

static void
test_bad_pins_never_sent (void)
{
  g_autoptr(SdCardEmulator) emu = card ("住所");
  SdApduChannel ch = { emulator_transmit, emu, 0 };
  const char *bad[] = { "", "123", "12345", "12a4" };

  g_assert_true (sd_mynumber_select_application (&ch, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (sd_mynumber_verify (&ch, SD_MYNUMBER_PIN, bad[i], NULL, &error));
      g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN);
    }
  g_assert_cmpint (emu->tries, ==, 3);
  g_assert_cmpuint (emu->log->len, ==, 1);  /* only the SELECT */
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/card/protocol/read-with-pin", test_read_with_pin);
  g_test_add_func ("/card/protocol/long-address-chunked", test_long_address_chunked);
  g_test_add_func ("/card/protocol/wrong-pin-then-blocked", test_wrong_pin_then_blocked);
  g_test_add_func ("/card/protocol/other-cards", test_other_cards);
  g_test_add_func ("/card/protocol/pulled-out", test_pulled_out);
  g_test_add_func ("/card/protocol/bad-pins-never-sent", test_bad_pins_never_sent);
  return g_test_run ();
}
