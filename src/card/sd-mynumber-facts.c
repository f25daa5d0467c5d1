/* sd-mynumber-facts.c: the basic 4 facts of a My Number card (EF 0002) and their BER-TLV.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The record comes from a card, that is from outside: every length is
 * checked against what is left before it is used, tags of more than two
 * bytes and lengths of more than two bytes are refused (the card uses
 * neither), and text that is not UTF-8 is refused rather than shown.
 * Real cards use the long form (81 xx, 82 xx xx) for addresses of 128
 * bytes or more, so a parser that assumes one length byte breaks on them.
 */
#include "sd-date.h"
#include "sd-mynumber-facts.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define TAG_FACTS   0xFF20
#define TAG_HEADER  0xDF21
#define TAG_NAME    0xDF22
#define TAG_ADDRESS 0xDF23
#define TAG_BIRTH   0xDF24
#define TAG_SEX     0xDF25

void
sd_card_facts_clear (SdCardFacts *facts)
{
  g_clear_pointer (&facts->name, g_free);
  g_clear_pointer (&facts->address, g_free);
  g_clear_pointer (&facts->birth_date, g_free);
  facts->sex = SD_SEX_UNKNOWN;
}

static gboolean
protocol_error (GError **error)
{
  g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL,
               _("The card’s data could not be read. Take the card off the reader, put it back and try "
                 "again, or type the details by hand."));
  return FALSE;
}

/* Reads one tag (one or two bytes) and one length at *POS.  Returns 0 when
 * more bytes are needed, -1 when malformed, 1 when done. */
static int
read_header (const guint8 *data,
             gsize         len,
             gsize        *pos,
             guint        *tag,
             gsize        *value_len)
{
  gsize p = *pos;

  if (p >= len)
    return 0;
  *tag = data[p++];
  if ((*tag & 0x1f) == 0x1f)
    {
      if (p >= len)
        return 0;
      if (data[p] & 0x80)
        return -1;  /* a tag of three bytes or more: not on this card */
      *tag = (*tag << 8) | data[p++];
    }

  if (p >= len)
    return 0;
  if (data[p] < 0x80)
    *value_len = data[p++];
  else if (data[p] == 0x81)
    {
      if (p + 1 >= len)
        return 0;
      *value_len = data[p + 1];
      p += 2;
    }
  else if (data[p] == 0x82)
    {
      if (p + 2 >= len)
        return 0;
      *value_len = ((gsize) data[p + 1] << 8) | data[p + 2];
      p += 3;
    }
  else
    return -1;  /* indefinite or absurdly long */

  *pos = p;
  return 1;
}

gssize
sd_mynumber_facts_total_length (const guint8  *head,
                                gsize          len,
                                GError       **error)
{
  gsize pos = 0, value_len = 0;
  guint tag = 0;
  int rc = read_header (head, len, &pos, &tag, &value_len);

  if (rc == 0)
    return 0;
  if (rc < 0 || tag != TAG_FACTS)
    {
      protocol_error (error);
      return -1;
    }
  return (gssize) (pos + value_len);
}

static char *
utf8_value (const guint8 *value,
            gsize         len)
{
  if (!g_utf8_validate ((const char *) value, len, NULL) || memchr (value, '\0', len) != NULL)
    return NULL;
  return g_strndup ((const char *) value, len);
}

gboolean
sd_mynumber_parse_facts (const guint8  *data,
                         gsize          len,
                         SdCardFacts   *facts,
                         GError       **error)
{
  g_auto(SdCardFacts) out = { 0 };
  g_autofree char *birth_digits = NULL;
  g_autofree char *sex = NULL;
  gsize pos = 0, outer_len = 0, end;
  guint tag = 0;

  g_return_val_if_fail (facts != NULL, FALSE);

  if (data == NULL || read_header (data, len, &pos, &tag, &outer_len) != 1 ||
      tag != TAG_FACTS || outer_len > len - pos)
    return protocol_error (error);
  end = pos + outer_len;

  while (pos < end)
    {
      gsize value_len = 0;

      if (read_header (data, end, &pos, &tag, &value_len) != 1 || value_len > end - pos)
        return protocol_error (error);

      switch (tag)
        {
        case TAG_NAME:
          g_free (out.name);
          out.name = utf8_value (data + pos, value_len);
          break;
        case TAG_ADDRESS:
          g_free (out.address);
          out.address = utf8_value (data + pos, value_len);
          break;
        case TAG_BIRTH:
          g_free (birth_digits);
          birth_digits = utf8_value (data + pos, value_len);
          break;
        case TAG_SEX:
          g_free (sex);
          sex = utf8_value (data + pos, value_len);
          break;
        default:
          break;  /* the header (DF 21) and anything newer: skipped */
        }
      pos += value_len;
    }

  if (out.name == NULL || *out.name == '\0' || out.address == NULL || birth_digits == NULL || sex == NULL)
    return protocol_error (error);

  /* 8 digits, YYYYMMDD: sd_date_parse_iso reads that form and checks it is a real day. */
  if (strlen (birth_digits) != 8 || strspn (birth_digits, "0123456789") != 8 ||
      (out.birth_date = sd_date_parse_iso (birth_digits, NULL, NULL)) == NULL)
    return protocol_error (error);
  if (!sd_sex_from_string (sex, &out.sex))
    return protocol_error (error);

  sd_card_facts_clear (facts);
  *facts = out;
  memset (&out, 0, sizeof out);
  return TRUE;
}
