/* test-mynumber-facts.c: the basic 4 facts' BER-TLV, short and long form, and everything malformed.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sd-mynumber-facts.h"

#include <string.h>

static void
append_tlv (GByteArray *out,
            guint       tag,
            const void *value,
            gsize       len,
            int         length_form)  /* 1: short, 2: 81 xx, 3: 82 xx xx */
{
  guint8 t[2] = { tag >> 8, tag & 0xff };

  g_byte_array_append (out, t, 2);
  if (length_form == 1)
    {
      guint8 l = len;
      g_byte_array_append (out, &l, 1);
    }
  else if (length_form == 2)
    {
      guint8 l[2] = { 0x81, len };
      g_byte_array_append (out, l, 2);
    }
  else
    {
      guint8 l[3] = { 0x82, len >> 8, len & 0xff };
      g_byte_array_append (out, l, 3);
    }
  g_byte_array_append (out, value, len);
}

/* A record as the card holds it; ADDRESS_FORM picks the address's length form. */
static GByteArray *
make_record (const char *name,
             const char *address,
             const char *birth,
             const char *sex,
             int         address_form)
{
  g_autoptr(GByteArray) inner = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  static const guint8 header[] = { 0x01, 0x02, 0x03 };

  append_tlv (inner, 0xDF21, header, sizeof header, 1);
  if (name)
    append_tlv (inner, 0xDF22, name, strlen (name), 1);
  if (address)
    append_tlv (inner, 0xDF23, address, strlen (address), address_form);
  if (birth)
    append_tlv (inner, 0xDF24, birth, strlen (birth), 1);
  if (sex)
    append_tlv (inner, 0xDF25, sex, strlen (sex), 1);
  append_tlv (out, 0xFF20, inner->data, inner->len, inner->len < 128 ? 1 : inner->len < 256 ? 2 : 3);
  return out;
}

static void
test_short_form (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) rec = make_record ("番号 花子", "みなと川市東町1-2-3", "19500106", "2", 1);
  g_auto(SdCardFacts) facts = { 0 };

  g_assert_true (sd_mynumber_parse_facts (rec->data, rec->len, &facts, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (facts.name, ==, "番号 花子");
  g_assert_cmpstr (facts.address, ==, "みなと川市東町1-2-3");
  g_assert_cmpstr (facts.birth_date, ==, "1950-01-06");
  g_assert_cmpint (facts.sex, ==, SD_SEX_FEMALE);
  g_assert_cmpint (sd_mynumber_facts_total_length (rec->data, rec->len, NULL), ==, rec->len);
}

static void
test_long_addresses (void)
{
  /* 128 bytes and more: the long forms 81 xx and 82 xx xx real cards use. */
  for (guint n = 40; n <= 120; n += 40)
    for (int form = 2; form <= 3; form++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GString) address = g_string_new ("みなと川市");
        g_autoptr(GByteArray) rec = NULL;
        g_auto(SdCardFacts) facts = { 0 };

        for (guint i = 0; i < n; i++)
          g_string_append (address, "東");
        if (form == 2 && address->len > 255)
          continue;  /* 81 xx holds at most 255 */
        rec = make_record ("番号 太郎", address->str, "19800505", "1", form);
        g_assert_cmpuint (address->len, >=, 128);
        g_assert_true (sd_mynumber_parse_facts (rec->data, rec->len, &facts, &error));
        g_assert_no_error (error);
        g_assert_cmpstr (facts.address, ==, address->str);
        g_assert_cmpint (facts.sex, ==, SD_SEX_MALE);
      }
}

static void
test_total_length_from_first_bytes (void)
{
  g_autoptr(GString) address = g_string_new (NULL);
  g_autoptr(GByteArray) rec = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (address, "あ");
  rec = make_record ("番号 太郎", address->str, "19800505", "1", 3);
  /* Chunked reads: the first bytes say how much more to read. */
  g_assert_cmpint (sd_mynumber_facts_total_length (rec->data, 1, NULL), ==, 0);
  g_assert_cmpint (sd_mynumber_facts_total_length (rec->data, 3, NULL), ==, 0);
  g_assert_cmpint (sd_mynumber_facts_total_length (rec->data, 5, NULL), ==, rec->len);
  {
    g_autoptr(GError) error = NULL;
    static const guint8 other[] = { 0x6F, 0x10, 0x84 };
    g_assert_cmpint (sd_mynumber_facts_total_length (other, sizeof other, &error), ==, -1);
    g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
  }
}

static void
test_every_truncation_refused (void)
{
  g_autoptr(GByteArray) rec = make_record ("番号 花子", "みなと川市東町1-2-3", "19500106", "2", 2);

  /* Cut anywhere (a card pulled mid-read): refused, never read past the end. */
  for (gsize n = 0; n < rec->len; n++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(SdCardFacts) facts = { 0 };
      guint8 *copy = g_memdup2 (rec->data, n ? n : 1);

      g_assert_false (sd_mynumber_parse_facts (copy, n, &facts, &error));
      g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
      g_assert_null (facts.name);
      g_free (copy);
    }
}

static void
test_bad_records (void)
{
  struct {
    const char *name, *address, *birth, *sex;
  } bad[] = {
    { NULL, "住所", "19500106", "1" },           /* no name */
    { "名前", NULL, "19500106", "1" },           /* no address */
    { "名前", "住所", NULL, "1" },               /* no birth date */
    { "名前", "住所", "19500106", NULL },        /* no sex */
    { "名前", "住所", "20010230", "1" },         /* no such day */
    { "名前", "住所", "1950016", "1" },          /* 7 digits */
    { "名前", "住所", "1950O106", "1" },         /* a letter O */
    { "名前", "住所", "19500106", "5" },         /* not ISO 5218 */
    { "", "住所", "19500106", "1" },             /* empty name */
    { "\xff\xfe", "住所", "19500106", "1" },     /* not UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GByteArray) rec = make_record (bad[i].name, bad[i].address, bad[i].birth, bad[i].sex, 1);
      g_auto(SdCardFacts) facts = { 0 };

      g_assert_false (sd_mynumber_parse_facts (rec->data, rec->len, &facts, &error));
      g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
    }
}

static void
test_lengths_that_lie (void)
{
  g_autoptr(GByteArray) rec = make_record ("番号 花子", "住所", "19500106", "2", 1);
  g_auto(SdCardFacts) facts = { 0 };
  g_autoptr(GError) error = NULL;

  /* The outer length claims more than there is. */
  rec->data[2] = 0x7f;
  g_assert_false (sd_mynumber_parse_facts (rec->data, rec->len, &facts, &error));
  g_clear_error (&error);

  /* An inner length that runs past the outer value. */
  g_byte_array_unref (rec);
  rec = make_record ("番号 花子", "住所", "19500106", "2", 1);
  rec->data[3 + 2 + 1 + 3 + 2] = 0x70;  /* the name's length */
  g_assert_false (sd_mynumber_parse_facts (rec->data, rec->len, &facts, &error));
  g_assert_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL);
  g_clear_error (&error);

  /* Indefinite and five-byte lengths. */
  {
    static const guint8 indefinite[] = { 0xFF, 0x20, 0x80, 0x00, 0x00 };
    static const guint8 huge[] = { 0xFF, 0x20, 0x84, 0x00, 0x00, 0x00, 0x01, 0x00 };
    g_assert_false (sd_mynumber_parse_facts (indefinite, sizeof indefinite, &facts, NULL));
    g_assert_false (sd_mynumber_parse_facts (huge, sizeof huge, &facts, NULL));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/card/facts/short-form", test_short_form);
  g_test_add_func ("/card/facts/long-addresses", test_long_addresses);
  g_test_add_func ("/card/facts/total-length", test_total_length_from_first_bytes);
  g_test_add_func ("/card/facts/every-truncation-refused", test_every_truncation_refused);
  g_test_add_func ("/card/facts/bad-records", test_bad_records);
  g_test_add_func ("/card/facts/lengths-that-lie", test_lengths_that_lie);
  return g_test_run ();
}
