/* sd-mynumber.c: reading the 4 basic facts from a My Number card, APDU by APDU.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN rules: the remaining tries are asked without using one (VERIFY
 * with no data answers 63 Cx); a blocked PIN (63 C0, 69 83, 69 84) is never
 * sent a VERIFY, because only the municipal office can reset it; and the
 * software never retries a VERIFY on its own.  Copies of a PIN are wiped
 * with sodium_memzero().  EF 0002 is read in chunks of at most 256 bytes
 * with the offset in P1 P2, as some readers and PN53x frames cannot carry
 * extended APDUs.
 */
#include "sd-mynumber.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

static const guint8 aid_input_support[] = { 0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08 };
#define EF_PIN     0x0011
#define EF_PIN_B   0x0015
#define EF_FACTS   0x0002

#define SW(r) (((guint) (r)->data[(r)->len - 2] << 8) | (r)->data[(r)->len - 1])

/* Sends APDU; returns the status word and leaves the data in RESPONSE. */
static guint
transmit (SdApduChannel  *channel,
          const guint8   *apdu,
          gsize           len,
          GByteArray     *response,
          GError        **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean ok;

  g_byte_array_set_size (response, 0);
  channel->n_apdus++;
  ok = channel->transmit (channel->user_data, apdu, len, response, error);
  channel->apdu_usec += g_get_monotonic_time () - start;
  if (!ok)
    return 0;
  if (response->len < 2)
    {
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL,
                   _("The card answered something unexpected. Put it back on the reader and try again."));
      return 0;
    }
  {
    guint sw = SW (response);
    g_byte_array_set_size (response, response->len - 2);
    return sw;
  }
}

static gboolean
unexpected (guint    sw,
            GError **error)
{
  g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL,
               _("The card answered something unexpected (%04X). Put it back on the reader and try again."), sw);
  return FALSE;
}

static gboolean
select_ef (SdApduChannel  *channel,
           guint           fid,
           GError        **error)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();
  guint8 apdu[] = { 0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xff };
  guint sw = transmit (channel, apdu, sizeof apdu, r, error);

  if (sw == 0)
    return FALSE;
  return sw == 0x9000 || unexpected (sw, error);
}

gboolean
sd_mynumber_select_application (SdApduChannel  *channel,
                                GError        **error)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();
  guint8 apdu[5 + sizeof aid_input_support] = { 0x00, 0xA4, 0x04, 0x0C, sizeof aid_input_support };
  guint sw;

  memcpy (apdu + 5, aid_input_support, sizeof aid_input_support);
  sw = transmit (channel, apdu, sizeof apdu, r, error);
  if (sw == 0)
    return FALSE;
  if (sw == 0x9000)
    return TRUE;
  /* Recognised by its application, never by its ATR (which differs by
   * reader and card generation). */
  g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NOT_MYNUMBER,
               _("This is not a My Number card. Use the card with the photo, or type the details by hand."));
  return FALSE;
}

static int
tries_from_sw (guint sw)
{
  if (sw == 0x6983 || sw == 0x6984)
    return 0;
  if ((sw & 0xfff0) == 0x63C0)
    return sw & 0x0f;
  return -1;
}

int
sd_mynumber_get_tries (SdApduChannel      *channel,
                       SdMynumberPinKind   kind,
                       GError            **error)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();
  static const guint8 ask[] = { 0x00, 0x20, 0x00, 0x80 };
  guint sw;
  int tries;

  if (!select_ef (channel, kind == SD_MYNUMBER_PIN ? EF_PIN : EF_PIN_B, error))
    return -1;
  sw = transmit (channel, ask, sizeof ask, r, error);
  if (sw == 0)
    return -1;
  tries = tries_from_sw (sw);
  if (tries < 0)
    {
      unexpected (sw, error);
      return -1;
    }
  return tries;
}

gboolean
sd_mynumber_verify (SdApduChannel      *channel,
                    SdMynumberPinKind   kind,
                    const char         *pin,
                    int                *tries_left,
                    GError            **error)
{
  return sd_mynumber_verify_selected (channel, kind, pin, -1, tries_left, error);
}

gboolean
sd_mynumber_verify_selected (SdApduChannel      *channel,
                             SdMynumberPinKind   kind,
                             const char         *pin,
                             int                 tries_known,
                             int                *tries_left,
                             GError            **error)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();
  gsize len = pin ? strlen (pin) : 0;
  guint8 apdu[5 + 16];
  guint sw;
  int tries;

  if (tries_left != NULL)
    *tries_left = -1;
  if ((kind == SD_MYNUMBER_PIN && len != 4) || (kind == SD_MYNUMBER_PIN_B && len != 14) ||
      strspn (pin, "0123456789") != len)
    {
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN,
                   kind == SD_MYNUMBER_PIN ? _("The card PIN is 4 digits.")
                                           : _("照合番号B is 14 digits: birth date (YYMMDD), expiry year, security code."));
      return FALSE;
    }

  /* Select the PIN file (VERIFY needs it current) and ask the tries left
   * without using one: a blocked card gets no VERIFY at all.  Done
   * already when the caller just asked. */
  tries = tries_known >= 0 ? tries_known : sd_mynumber_get_tries (channel, kind, error);
  if (tries < 0)
    return FALSE;
  if (tries_left != NULL)
    *tries_left = tries;
  if (tries == 0)
    {
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED,
                   _("The card’s PIN is locked. Only the municipal office can unlock it. Use 照合番号B or type the details by hand."));
      return FALSE;
    }

  apdu[0] = 0x00; apdu[1] = 0x20; apdu[2] = 0x00; apdu[3] = 0x80; apdu[4] = len;
  memcpy (apdu + 5, pin, len);
  channel->verify_sent = TRUE;
  sw = transmit (channel, apdu, 5 + len, r, error);
  sodium_memzero (apdu, sizeof apdu);
  if (sw == 0)
    return FALSE;
  if (sw == 0x9000)
    {
      if (tries_left != NULL)
        *tries_left = tries;
      return TRUE;
    }

  tries = tries_from_sw (sw);
  if (tries_left != NULL)
    *tries_left = tries;
  if (tries == 0)
    g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_BLOCKED,
                 _("The PIN was wrong and the card is now locked. Only the municipal office can unlock it. Type the details by hand."));
  else if (tries > 0)
    g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_WRONG_PIN,
                 g_dngettext (GETTEXT_PACKAGE, "The PIN is wrong. %d try left before the card locks.",
                              "The PIN is wrong. %d tries left before the card locks.", tries), tries);
  else
    unexpected (sw, error);
  return FALSE;
}

gboolean
sd_mynumber_read_facts (SdApduChannel  *channel,
                        SdCardFacts    *facts,
                        GError        **error)
{
  g_autoptr(GByteArray) record = g_byte_array_new ();
  g_autoptr(GByteArray) r = g_byte_array_new ();
  gssize total = 0;

  if (!select_ef (channel, EF_FACTS, error))
    return FALSE;

  /* A first chunk of up to 256 bytes; its first bytes say how long the
   * whole record is, and the rest follows in more chunks. */
  do
    {
      gsize want = total > 0 ? MIN ((gsize) total - record->len, 256) : 256;
      guint8 apdu[] = { 0x00, 0xB0, record->len >> 8, record->len & 0xff, want == 256 ? 0x00 : want };
      guint sw = transmit (channel, apdu, sizeof apdu, r, error);

      if (sw == 0)
        return FALSE;
      if (sw != 0x9000 && (sw & 0xff00) != 0x6200)  /* 62 82: end of file reached early */
        return unexpected (sw, error);
      if (r->len == 0)
        break;
      g_byte_array_append (record, r->data, r->len);
      if (total == 0)
        {
          total = sd_mynumber_facts_total_length (record->data, record->len, error);
          if (total < 0)
            return FALSE;
        }
    }
  while (total == 0 || record->len < (gsize) total);

  return sd_mynumber_parse_facts (record->data, MIN (record->len, (gsize) MAX (total, 0)), facts, error);
}
