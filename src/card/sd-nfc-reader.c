/* sd-nfc-reader.c: card readers through libnfc (NXP PN53x: PN532 on a serial line, PN533, ACR122).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device is opened for each card and closed after it, so a reader
 * unplugged and plugged back in is simply found again.  Waiting for a
 * card polls for an ISO 14443 Type B target: each selection attempt
 * returns at once when nothing is in the field, and between attempts the
 * cancellable is checked, so a wait ends within one poll period.  The
 * APDUs go through InDataExchange (nfc_initiator_transceive_bytes).
 */
#include "sd-card-reader-private.h"

#include <glib/gi18n-lib.h>
#include <nfc/nfc.h>

#define POLL_PERIOD_MS   150
#define APDU_TIMEOUT_MS  2000

struct _SdNfcReader
{
  SdCardReader parent_instance;

  char        *connstring;  /* NULL: the first device found */
  nfc_context *context;
  nfc_device  *device;
};

#define SD_TYPE_NFC_READER (sd_nfc_reader_get_type ())
G_DECLARE_FINAL_TYPE (SdNfcReader, sd_nfc_reader, SD, NFC_READER, SdCardReader)
G_DEFINE_FINAL_TYPE (SdNfcReader, sd_nfc_reader, SD_TYPE_CARD_READER)

static const nfc_modulation type_b = { .nmt = NMT_ISO14443B, .nbr = NBR_106 };

static gboolean
no_reader (GError **error)
{
  g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER,
               _("No card reader is ready. Check that it is plugged in, or type the details by hand."));
  return FALSE;
}

static void
close_device (SdNfcReader *self)
{
  if (self->device != NULL)
    {
      nfc_initiator_deselect_target (self->device);
      nfc_close (self->device);
      self->device = NULL;
    }
}

static gboolean
nfc_reader_connect (SdCardReader  *reader,
                    guint          timeout_ms,
                    GCancellable  *cancellable,
                    GError       **error)
{
  SdNfcReader *self = SD_NFC_READER (reader);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (self->context == NULL)
    nfc_init (&self->context);
  if (self->context == NULL)
    return no_reader (error);

  for (;;)
    {
      nfc_target target;
      int found;

      if (g_cancellable_is_cancelled (cancellable))
        {
          close_device (self);
          g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_CANCELLED, _("Reading the card was cancelled."));
          return FALSE;
        }
      /* Open (again, after the reader went away) and ask for a target. */
      if (self->device == NULL)
        {
          self->device = nfc_open (self->context, self->connstring);
          if (self->device != NULL && nfc_initiator_init (self->device) < 0)
            close_device (self);
          if (self->device != NULL)
            {
              /* One attempt per call, so the loop stays cancellable. */
              nfc_device_set_property_bool (self->device, NP_INFINITE_SELECT, false);
            }
        }
      found = self->device != NULL
                ? nfc_initiator_select_passive_target (self->device, type_b, NULL, 0, &target)
                : -1;
      if (found > 0)
        return TRUE;
      if (found < 0)
        close_device (self);

      if (timeout_ms != 0 && g_get_monotonic_time () >= deadline)
        {
          gboolean had_device = self->device != NULL;

          close_device (self);
          if (!had_device)
            return no_reader (error);
          g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_CARD,
                       _("There is no card on the reader. Put the card flat on the reader."));
          return FALSE;
        }
      g_usleep (POLL_PERIOD_MS * 1000);
    }
}

static gboolean
nfc_reader_transmit (SdCardReader  *reader,
                     const guint8  *apdu,
                     gsize          len,
                     GByteArray    *response,
                     GError       **error)
{
  SdNfcReader *self = SD_NFC_READER (reader);
  guint8 buffer[258 + 2];
  int got;

  if (self->device == NULL)
    return no_reader (error);
  got = nfc_initiator_transceive_bytes (self->device, apdu, len, buffer, sizeof buffer, APDU_TIMEOUT_MS);
  if (got < 0)
    {
      /* Out of the field (a timeout or an RF error) or the device gone
       * (an I/O error): either way this read is over. */
      gboolean device_gone = got == NFC_EIO;

      close_device (self);
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED, "%s",
                   device_gone ? _("The card reader was unplugged during the read. Plug it back in and put the card on it again.")
                               : _("The card was taken away during the read. Put it back on the reader and keep it still."));
      return FALSE;
    }
  g_byte_array_append (response, buffer, got);
  return TRUE;
}

static void
nfc_reader_disconnect (SdCardReader *reader)
{
  close_device (SD_NFC_READER (reader));
}

static void
sd_nfc_reader_finalize (GObject *object)
{
  SdNfcReader *self = SD_NFC_READER (object);

  close_device (self);
  if (self->context != NULL)
    nfc_exit (self->context);
  g_free (self->connstring);
  G_OBJECT_CLASS (sd_nfc_reader_parent_class)->finalize (object);
}

static void
sd_nfc_reader_class_init (SdNfcReaderClass *klass)
{
  SdCardReaderClass *reader_class = SD_CARD_READER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sd_nfc_reader_finalize;
  reader_class->connect = nfc_reader_connect;
  reader_class->transmit = nfc_reader_transmit;
  reader_class->disconnect = nfc_reader_disconnect;
}

static void
sd_nfc_reader_init (SdNfcReader *self)
{
}

SdCardReader *
_sd_nfc_reader_new (const char *connstring)
{
  SdNfcReader *self = g_object_new (SD_TYPE_NFC_READER, NULL);

  self->connstring = g_strdup (connstring);
  return SD_CARD_READER (self);
}

void
_sd_nfc_list (GPtrArray *specs)
{
  nfc_context *context = NULL;
  nfc_connstring found[8];
  size_t n;

  nfc_init (&context);
  if (context == NULL)
    return;
  n = nfc_list_devices (context, found, G_N_ELEMENTS (found));
  for (size_t i = 0; i < n; i++)
    g_ptr_array_add (specs, g_strconcat ("nfc:", found[i], NULL));
  nfc_exit (context);
}
