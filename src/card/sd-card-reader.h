/* sd-card-reader.h: one card reader, whatever carries its APDUs (PC/SC or libnfc).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reader is made from a spec, the one setting a kiosk needs:
 *   "pcsc"            any PC/SC reader, the first to have a card
 *   "pcsc:NAME"       that PC/SC reader only
 *   "nfc"             the first libnfc device found
 *   "nfc:CONNSTRING"  that libnfc device, e.g. "nfc:pn532_uart:/dev/ttyUSB0"
 *
 * Reading a card takes two steps with a person in between:
 * sd_card_reader_probe_async() waits for a card, checks it is a My Number
 * card and asks how many PIN tries are left, spending none; then
 * sd_card_reader_read_async() sends the PIN the person typed and reads the
 * 4 basic facts.  Both run on a worker thread and are cancellable; a
 * reader does one thing at a time.
 */
#pragma once

#include <gio/gio.h>

#include "sd-mynumber.h"

G_BEGIN_DECLS

#define SD_TYPE_CARD_READER (sd_card_reader_get_type ())
G_DECLARE_DERIVABLE_TYPE (SdCardReader, sd_card_reader, SD, CARD_READER, GObject)

struct _SdCardReaderClass
{
  GObjectClass parent_class;

  /* All three block; they run on the reader's worker thread. */
  gboolean (*connect)    (SdCardReader  *self,
                          guint          timeout_ms,
                          GCancellable  *cancellable,
                          GError       **error);
  gboolean (*transmit)   (SdCardReader  *self,
                          const guint8  *apdu,
                          gsize          len,
                          GByteArray    *response,
                          GError       **error);
  void     (*disconnect) (SdCardReader  *self);
  /* Optional: whether the connected card is still there, asked of the
   * reader without an APDU. */
  gboolean (*is_present) (SdCardReader  *self);
};

/* What a probe or a read measured, for the desk's log and the benchmark. */
typedef struct {
  guint  n_apdus;
  gint64 connect_usec;  /* waiting for the card and connecting */
  gint64 apdu_usec;     /* the card's round trips */
  gint64 total_usec;
} SdCardTimings;

SdCardReader *sd_card_reader_new_from_spec (const char  *spec,
                                            GError     **error);
const char   *sd_card_reader_get_spec      (SdCardReader *self);

/* Lists what is attached: PC/SC readers as "pcsc:NAME", libnfc devices as
 * "nfc:CONNSTRING".  Blocks briefly. */
GPtrArray    *sd_card_reader_list          (GError     **error);

/* Blocking building blocks, for the async calls below and the tests. */
gboolean      sd_card_reader_connect       (SdCardReader  *self,
                                            guint          timeout_ms,
                                            GCancellable  *cancellable,
                                            GError       **error);
void          sd_card_reader_disconnect    (SdCardReader  *self);
gboolean      sd_card_reader_is_connected  (SdCardReader  *self);
/* A channel for sd-mynumber over the connected card. */
void          sd_card_reader_channel       (SdCardReader  *self,
                                            SdApduChannel *channel);

/* Waits (up to TIMEOUT_MS; 0 for ever) for a card, selects the card-info
 * input support application and returns the tries left for KIND. */
void          sd_card_reader_probe_async   (SdCardReader        *self,
                                            SdMynumberPinKind    kind,
                                            guint                timeout_ms,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
int           sd_card_reader_probe_finish  (SdCardReader  *self,
                                            GAsyncResult  *result,
                                            SdCardTimings *timings,
                                            GError       **error);

/* Verifies PIN (copied, and the copy wiped) and reads the 4 facts.  On
 * failure *TRIES_LEFT says what the card reported (-1: not known) and
 * *VERIFY_SENT whether the PIN reached the card: a retry after a card
 * pulled out before that spends no try. */
void          sd_card_reader_read_async    (SdCardReader        *self,
                                            SdMynumberPinKind    kind,
                                            const char          *pin,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
SdCardFacts  *sd_card_reader_read_finish   (SdCardReader  *self,
                                            GAsyncResult  *result,
                                            int           *tries_left,
                                            gboolean      *verify_sent,
                                            SdCardTimings *timings,
                                            GError       **error);

void          sd_card_facts_free           (SdCardFacts *facts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SdCardFacts, sd_card_facts_free)

G_END_DECLS
