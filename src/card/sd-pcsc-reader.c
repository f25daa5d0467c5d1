/* sd-pcsc-reader.c: card readers through PC/SC (pcsc-lite on Linux, WinSCard on Windows).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting for a card watches every reader and the special reader
 * \\?PnP?\Notification in one SCardGetStatusChange(), keeping the states
 * it returns so that it blocks rather than spins: readers plugged in or
 * out while the desk waits are followed, and the first reader with a card
 * wins.  SCardCancel() from the cancellable ends the wait.  PC/SC's own
 * error codes become what a volunteer can act on.
 */
#include "sd-card-reader-private.h"

#include <glib/gi18n-lib.h>
#include <winscard.h>
#include <string.h>

#define PNP_READER "\\\\?PnP?\\Notification"

struct _SdPcscReader
{
  SdCardReader parent_instance;

  char        *name;      /* NULL: any reader */
  SCARDCONTEXT context;
  gboolean     have_context;
  SCARDHANDLE  handle;
  DWORD        protocol;
  gboolean     broken;    /* an exchange failed: the card may be gone */
};

#define SD_TYPE_PCSC_READER (sd_pcsc_reader_get_type ())
G_DECLARE_FINAL_TYPE (SdPcscReader, sd_pcsc_reader, SD, PCSC_READER, SdCardReader)
G_DEFINE_FINAL_TYPE (SdPcscReader, sd_pcsc_reader, SD_TYPE_CARD_READER)

/* PC/SC's answer RC as a GError a volunteer can act on.  pcsc-lite and
 * WinSCard share the codes; Windows adds a few of its own: the smart card
 * service stops when the last reader is unplugged (the handle is then
 * invalid, or the pipe to the service broken), and the My Number card
 * software of the municipality may hold the card for itself. */
gboolean
_sd_pcsc_set_error (long     rc,
                    GError **error)
{
  switch ((LONG) rc)
    {
    case SCARD_S_SUCCESS:
      return TRUE;
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
    case SCARD_E_INVALID_HANDLE:
#ifdef G_OS_WIN32
    case (LONG) 0x8007006DL:  /* HRESULT_FROM_WIN32 (ERROR_BROKEN_PIPE) */
    case ERROR_BROKEN_PIPE:
#endif
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER,
                   _("No card reader is ready. Check that it is plugged in, or type the details by hand."));
      break;
    case SCARD_E_NO_SMARTCARD:
    case SCARD_E_TIMEOUT:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_CARD,
                   _("There is no card on the reader. Put the card flat on the reader."));
      break;
    case SCARD_W_REMOVED_CARD:
    case SCARD_W_RESET_CARD:
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNPOWERED_CARD:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED,
                   _("The card was taken away during the read. Put it back on the reader and keep it still."));
      break;
    case SCARD_E_READER_UNAVAILABLE:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_REMOVED,
                   _("The card reader was unplugged during the read. Plug it back in and put the card on it again."));
      break;
    case SCARD_E_CANCELLED:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_CANCELLED, _("Reading the card was cancelled."));
      break;
    case SCARD_E_SHARING_VIOLATION:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_NO_READER,
                   _("Another program is using the card reader. Close it (for example the My Number card "
                     "software) and try again, or type the details by hand."));
      break;
    default:
      g_set_error (error, SD_CARD_ERROR, SD_CARD_ERROR_PROTOCOL,
                   _("The card reader reported a problem (%08lX). Try again, or type the details by hand."),
                   (unsigned long) rc);
      break;
    }
  return FALSE;
}

/* The readers PC/SC knows now, as a NULL-terminated vector. */
static gboolean
list_names (SCARDCONTEXT   context,
            GStrv         *names_out,
            GError       **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *names = NULL;
  DWORD len = 0;
  LONG rc;

  rc = SCardListReaders (context, NULL, NULL, &len);
  if (rc == SCARD_S_SUCCESS && len > 0)
    {
      names = g_malloc0 (len + 1);
      rc = SCardListReaders (context, NULL, names, &len);
    }
  if (rc != SCARD_E_NO_READERS_AVAILABLE && !_sd_pcsc_set_error (rc, error))
    return FALSE;
  /* A multi-string: names separated by NUL, ended by an empty one. */
  for (const char *p = names; rc == SCARD_S_SUCCESS && p != NULL && *p; p += strlen (p) + 1)
    g_strv_builder_add (builder, p);
  *names_out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
_sd_pcsc_list (GPtrArray  *specs,
               GError    **error)
{
  SCARDCONTEXT context;
  g_auto(GStrv) names = NULL;
  gboolean ok;

  if (!_sd_pcsc_set_error (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &context), error))
    return FALSE;
  ok = list_names (context, &names, error);
  SCardReleaseContext (context);
  for (guint i = 0; ok && names[i]; i++)
    g_ptr_array_add (specs, g_strconcat ("pcsc:", names[i], NULL));
  return ok;
}

static void
cancel_wait (GCancellable *cancellable,
             gpointer      user_data)
{
  SdPcscReader *self = user_data;

  SCardCancel (self->context);
}

static gboolean
ensure_context (SdPcscReader  *self,
                GError       **error)
{
  DWORD len = 0;

  /* pcscd may have been restarted since: a context from before answers
   * "no service" and is replaced. */
  if (self->have_context)
    {
      LONG rc = SCardListReaders (self->context, NULL, NULL, &len);

      if (rc != SCARD_E_NO_SERVICE && rc != SCARD_E_SERVICE_STOPPED && rc != SCARD_E_INVALID_HANDLE)
        return TRUE;
      SCardReleaseContext (self->context);
    }
  self->have_context = _sd_pcsc_set_error (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &self->context), error);
  return self->have_context;
}

/* The states to wait on: the PnP pseudo-reader, then every reader (or
 * the named one), carrying over what was known of readers still there. */
static GArray *
watch_list (SdPcscReader       *self,
            GArray             *old,
            GStrv               names)
{
  GArray *states = g_array_new (FALSE, TRUE, sizeof (SCARD_READERSTATE));
  SCARD_READERSTATE pnp = { 0 };

  pnp.szReader = g_strdup (PNP_READER);
  pnp.dwCurrentState = old ? g_array_index (old, SCARD_READERSTATE, 0).dwEventState : SCARD_STATE_UNAWARE;
  g_array_append_val (states, pnp);
  for (guint i = 0; names[i]; i++)
    {
      SCARD_READERSTATE s = { 0 };

      if (self->name != NULL && !g_str_equal (self->name, names[i]))
        continue;
      s.szReader = g_strdup (names[i]);
      s.dwCurrentState = SCARD_STATE_UNAWARE;
      for (guint j = 1; old && j < old->len; j++)
        if (g_str_equal (g_array_index (old, SCARD_READERSTATE, j).szReader, names[i]))
          s.dwCurrentState = g_array_index (old, SCARD_READERSTATE, j).dwEventState & ~SCARD_STATE_CHANGED;
      g_array_append_val (states, s);
    }
  return states;
}

static void
free_watch_list (GArray *states)
{
  for (guint i = 0; states && i < states->len; i++)
    g_free ((char *) g_array_index (states, SCARD_READERSTATE, i).szReader);
  if (states)
    g_array_unref (states);
}

static gboolean
pcsc_connect (SdCardReader  *reader,
              guint          timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  SdPcscReader *self = SD_PCSC_READER (reader);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  GArray *states = NULL;
  gboolean rescan = TRUE, found = FALSE;
  guint n_readers = 0;
  gulong handler = 0;
  LONG rc = SCARD_S_SUCCESS;

  if (!ensure_context (self, error))
    return FALSE;
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_wait), self, NULL);

  while (!found)
    {
      DWORD wait;

      if (rescan)
        {
          g_auto(GStrv) names = NULL;
          GArray *old = states;

          if (!list_names (self->context, &names, error))
            break;
          states = watch_list (self, old, names);
          free_watch_list (old);
          rescan = FALSE;
          n_readers = states->len - 1;
        }

      /* A reader with a card that nobody holds exclusively: connect. */
      for (guint i = 1; i < states->len && !found; i++)
        {
          SCARD_READERSTATE *s = &g_array_index (states, SCARD_READERSTATE, i);

          if ((s->dwEventState & SCARD_STATE_PRESENT) && !(s->dwEventState & (SCARD_STATE_MUTE | SCARD_STATE_EXCLUSIVE)))
            {
              rc = SCardConnect (self->context, s->szReader, SCARD_SHARE_SHARED,
                                 SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &self->handle, &self->protocol);
              found = rc == SCARD_S_SUCCESS;
              if (!found)
                g_debug ("connecting to a card failed: %08lX; waiting on", (unsigned long) rc);
            }
        }
      if (found)
        break;

      if (timeout_ms == 0)
        wait = INFINITE;
      else
        {
          gint64 left = (deadline - g_get_monotonic_time ()) / 1000;
          if (left <= 0)
            {
              rc = SCARD_E_TIMEOUT;
              break;
            }
          wait = (DWORD) left;
        }
      rc = SCardGetStatusChange (self->context, wait, (SCARD_READERSTATE *) states->data, states->len);
      if (g_cancellable_is_cancelled (cancellable))
        rc = SCARD_E_CANCELLED;
      if (rc == SCARD_E_UNKNOWN_READER)
        {
          rescan = TRUE;  /* one went away between listing and waiting */
          continue;
        }
      if (rc != SCARD_S_SUCCESS)
        break;
      /* Keep what PC/SC returned, so the next wait blocks. */
      for (guint i = 0; i < states->len; i++)
        {
          SCARD_READERSTATE *s = &g_array_index (states, SCARD_READERSTATE, i);

          if (s->dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
            rescan = TRUE;
          s->dwCurrentState = s->dwEventState & ~SCARD_STATE_CHANGED;
        }
      if (g_array_index (states, SCARD_READERSTATE, 0).dwEventState & SCARD_STATE_CHANGED)
        rescan = TRUE;  /* a reader came or went */
    }

  g_cancellable_disconnect (cancellable, handler);
  free_watch_list (states);
  if (found)
    return TRUE;
  if (rc == SCARD_E_CANCELLED || g_cancellable_is_cancelled (cancellable))
    return _sd_pcsc_set_error (SCARD_E_CANCELLED, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (rc == SCARD_E_TIMEOUT && n_readers == 0)
    rc = SCARD_E_NO_READERS_AVAILABLE;
  return _sd_pcsc_set_error (rc == SCARD_S_SUCCESS ? SCARD_E_TIMEOUT : rc, error);
}

static gboolean
pcsc_transmit (SdCardReader  *reader,
               const guint8  *apdu,
               gsize          len,
               GByteArray    *response,
               GError       **error)
{
  SdPcscReader *self = SD_PCSC_READER (reader);
  const SCARD_IO_REQUEST *pci = self->protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
  guint8 buffer[258 + 2];
  DWORD got = sizeof buffer;
  LONG rc = SCardTransmit (self->handle, pci, apdu, len, NULL, buffer, &got);

  if (rc != SCARD_S_SUCCESS)
    self->broken = TRUE;
  if (!_sd_pcsc_set_error (rc, error))
    return FALSE;
  /* No status word: the exchange broke off, which is what vpcd and some
   * readers report when the card leaves mid-command, before PC/SC's
   * presence poll notices. */
  if (got < 2)
    {
      self->broken = TRUE;
      return _sd_pcsc_set_error (SCARD_W_REMOVED_CARD, error);
    }
  g_byte_array_append (response, buffer, got);
  return TRUE;
}

static gboolean
pcsc_is_present (SdCardReader *reader)
{
  SdPcscReader *self = SD_PCSC_READER (reader);
  DWORD state = 0, protocol = 0, atr_len = 0, name_len = 0;
  LONG rc = SCardStatus (self->handle, NULL, &name_len, &state, &protocol, NULL, &atr_len);

  return rc == SCARD_S_SUCCESS && (state & SCARD_PRESENT);
}

static void
pcsc_disconnect (SdCardReader *reader)
{
  SdPcscReader *self = SD_PCSC_READER (reader);

  /* Reset, so nothing verified stays open on a card left on the reader;
   * but not a card that stopped answering (resetting a card that has
   * gone wedges some drivers, vpcd among them). */
  SCardDisconnect (self->handle, self->broken ? SCARD_LEAVE_CARD : SCARD_RESET_CARD);
  self->handle = 0;
  self->broken = FALSE;
}

static void
sd_pcsc_reader_finalize (GObject *object)
{
  SdPcscReader *self = SD_PCSC_READER (object);

  if (self->have_context)
    SCardReleaseContext (self->context);
  g_free (self->name);
  G_OBJECT_CLASS (sd_pcsc_reader_parent_class)->finalize (object);
}

static void
sd_pcsc_reader_class_init (SdPcscReaderClass *klass)
{
  SdCardReaderClass *reader_class = SD_CARD_READER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = sd_pcsc_reader_finalize;
  reader_class->connect = pcsc_connect;
  reader_class->transmit = pcsc_transmit;
  reader_class->disconnect = pcsc_disconnect;
  reader_class->is_present = pcsc_is_present;
}

static void
sd_pcsc_reader_init (SdPcscReader *self)
{
}

SdCardReader *
_sd_pcsc_reader_new (const char *name)
{
  SdPcscReader *self = g_object_new (SD_TYPE_PCSC_READER, NULL);

  self->name = g_strdup (name);
  return SD_CARD_READER (self);
}
