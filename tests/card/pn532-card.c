/* pn532-card.c: the emulated My Number card, on an emulated NXP PN532 reader behind a pseudo-terminal.
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: pn532-card LINK [--no-card] [card options, see sd-card-emulator.h]
 * Opens a pseudo-terminal, links LINK to its slave (/dev/pts/N) and prints
 * that path, so libnfc's pn532_uart driver can open "pn532_uart:LINK".
 * The card lies on the reader until --pull-out-after takes it away; with
 * --no-card the field stays empty.  SIGTERM or SIGINT ends, removing LINK.
 *
 * Host to PN532, on the HSU (serial) line:
 *   00 00 FF LEN LCS D4 CMD DATA… DCS 00          LEN + LCS = 0 (mod 256)
 *   00 00 FF FF FF LENM LENL LCS D4 CMD DATA… DCS 00   (extended, long data)
 * LEN counts D4, CMD and DATA; DCS makes their sum 0 (mod 256).  Bytes
 * before the start code 00 FF are skipped (libnfc wakes the chip with
 * 55 55 00 00 …), and ACK frames (00 00 FF 00 FF 00: abort) are ignored.
 * Each command gets an ACK, then the same frame with D5 and CMD + 1.
 *
 * Answered: Diagnose (echo; 06 card presence), GetFirmwareVersion
 * (PN532 v1.6), GetGeneralStatus, ReadRegister and WriteRegister (64 KiB
 * of registers that only remember), SetParameters, SAMConfiguration,
 * RFConfiguration, InListPassiveTarget (106 kbps Type B only, with a
 * fixed ATQB), InDataExchange (the APDU to the card, status 00 and its
 * answer, or 01 timeout without a card), and PowerDown, InDeselect and
 * InRelease (the card is reset, as by a new InListPassiveTarget).  InCommunicateThru
 * answers 01 timeout: raw frames (nfc-list's B', SRx and CTx probes) get
 * no answer from an ISO 14443-4 card, and must not reach the APDU log.
 * Anything else gets an empty answer and a line on stderr.
 */
#define _GNU_SOURCE  /* posix_openpt, ptsname, cfmakeraw */
#include "sd-card-emulator.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define STATUS_OK      0x00
#define STATUS_TIMEOUT 0x01  /* the target did not answer */

/* ATQB: 50, PUPI, application data, protocol info (max frame 256 bytes,
 * ISO 14443-4, FWI 8, CID supported); then ATTRIB_RES: length 1, MBLI/CID 0. */
static const guint8 type_b_target[] = {
  0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x81,
  0x01, 0x00,
};

typedef struct {
  SdCardEmulator *emu;
  gboolean        no_card;
  gboolean        active;     /* a target listed and not yet released */
  int             master;
  GByteArray     *input;      /* bytes read, not yet a whole frame */
  guint8         *registers;  /* 64 KiB, as written */
  GMainLoop      *loop;
} Pn532;

static gboolean
card_in_field (Pn532 *self)
{
  SdCardEmulator *emu = self->emu;

  return !self->no_card &&
         (emu->pull_out_after < 0 || emu->log->len < (guint) emu->pull_out_after);
}

/* Power off: the card forgets its application and any VERIFY. */
static void
release (Pn532 *self)
{
  if (self->active)
    sd_card_emulator_reset (self->emu);
  self->active = FALSE;
}

static gboolean
write_all (int fd, const guint8 *data, gsize len)
{
  while (len > 0)
    {
      ssize_t done = write (fd, data, len);

      if (done < 0 && errno == EINTR)
        continue;
      if (done < 0)
        return FALSE;
      data += done;
      len -= done;
    }
  return TRUE;
}

/* The ACK, then the answer to COMMAND: D5, COMMAND + 1 and DATA. */
static void
send_answer (Pn532 *self, guint8 command, const GByteArray *data)
{
  static const guint8 ack[] = { 0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00 };
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint len = data->len + 2;
  guint8 normal[] = { 0x00, 0x00, 0xFF, len & 0xFF, -len & 0xFF };
  guint8 extended[] = { 0x00, 0x00, 0xFF, 0xFF, 0xFF, len >> 8, len & 0xFF, -(len + (len >> 8)) & 0xFF };
  guint8 sum = 0xD5 + command + 1;

  g_byte_array_append (out, ack, sizeof ack);
  if (len <= 0xFF)
    g_byte_array_append (out, normal, sizeof normal);
  else
    g_byte_array_append (out, extended, sizeof extended);
  g_byte_array_append (out, (guint8[]) { 0xD5, command + 1 }, 2);
  g_byte_array_append (out, data->data, data->len);
  for (guint i = 0; i < data->len; i++)
    sum += data->data[i];
  g_byte_array_append (out, (guint8[]) { -sum & 0xFF, 0x00 }, 2);  /* DCS, postamble */
  if (!write_all (self->master, out->data, out->len))
    g_printerr ("pn532-card: write: %s\n", g_strerror (errno));
}

/* The APDU to the card, if one is there: status, then its data and SW. */
static void
exchange (Pn532 *self, const guint8 *apdu, gsize len, GByteArray *r)
{
  g_autoptr(GByteArray) response = g_byte_array_new ();
  gboolean answered = self->active && sd_card_emulator_process (self->emu, apdu, len, response);

  g_byte_array_append (r, (guint8[]) { answered ? STATUS_OK : STATUS_TIMEOUT }, 1);
  g_byte_array_append (r, response->data, response->len);
}

/* FRAME is D4, the command and its data. */
static void
answer (Pn532 *self, const guint8 *frame, gsize len)
{
  g_autoptr(GByteArray) r = g_byte_array_new ();
  const guint8 *data = frame + 2;
  gsize n = len - 2;
  guint8 found;

  switch (frame[1])
    {
    case 0x00:  /* Diagnose: 06 is "is the target there?", the rest echo */
      if (n >= 1 && data[0] == 0x06)
        g_byte_array_append (r, (guint8[]) { self->active && card_in_field (self) ? STATUS_OK : STATUS_TIMEOUT }, 1);
      else
        g_byte_array_append (r, data, n);
      break;
    case 0x02:  /* GetFirmwareVersion: IC, version, revision, support */
      g_byte_array_append (r, (const guint8 *) "\x32\x01\x06\x07", 4);
      break;
    case 0x04:  /* GetGeneralStatus: Err, Field, NbTg, [Tg BrRx BrTx Type], SAM */
      g_byte_array_append (r, (const guint8 *) (self->active ? "\x00\x01\x01\x01\x00\x00\x00\x00" : "\x00\x00\x00\x00"),
                           self->active ? 8 : 4);
      break;
    case 0x06:  /* ReadRegister: a value per address (the PN532 has no status) */
      for (gsize i = 0; i + 1 < n; i += 2)
        g_byte_array_append (r, &self->registers[(data[i] << 8) | data[i + 1]], 1);
      break;
    case 0x08:  /* WriteRegister: address and value, as often as needed */
      for (gsize i = 0; i + 2 < n; i += 3)
        self->registers[(data[i] << 8) | data[i + 1]] = data[i + 2];
      break;
    case 0x12:  /* SetParameters */
    case 0x14:  /* SAMConfiguration */
    case 0x32:  /* RFConfiguration */
      break;
    case 0x16:  /* PowerDown */
    case 0x44:  /* InDeselect */
    case 0x52:  /* InRelease */
      release (self);
      g_byte_array_append (r, (guint8[]) { STATUS_OK }, 1);
      break;
    case 0x4A:  /* InListPassiveTarget: MaxTg, BrTy, initiator data */
      release (self);
      self->active = n >= 2 && data[1] == 0x03 && card_in_field (self);
      found = self->active ? 1 : 0;  /* NbTg, then Tg 1 and the target's data */
      g_byte_array_append (r, &found, 1);
      if (self->active)
        {
          g_byte_array_append (r, &found, 1);
          g_byte_array_append (r, type_b_target, sizeof type_b_target);
        }
      break;
    case 0x40:  /* InDataExchange: Tg, then the APDU */
      exchange (self, data + 1, n >= 1 ? n - 1 : 0, r);
      break;
    case 0x42:  /* InCommunicateThru: raw frames, which the card ignores */
      g_byte_array_append (r, (guint8[]) { STATUS_TIMEOUT }, 1);
      break;
    default:
      g_printerr ("pn532-card: command %02X not emulated, answered empty\n", frame[1]);
      break;
    }
  send_answer (self, frame[1], r);
}

/* Takes the first whole frame out of INPUT: TFI, command and data into
 * FRAME.  FALSE when more bytes are needed first. */
static gboolean
next_frame (GByteArray *input, GByteArray *frame)
{
  for (;;)
    {
      const guint8 *d;
      guint skip = 0, head = 4, len;
      guint8 sum = 0;

      while (skip + 1 < input->len && !(input->data[skip] == 0x00 && input->data[skip + 1] == 0xFF))
        skip++;
      g_byte_array_remove_range (input, 0, skip);   /* preamble, wake-up, postambles */
      d = input->data;
      if (input->len < 4)
        return FALSE;
      if ((d[2] == 0x00 && d[3] == 0xFF) || (d[2] == 0xFF && d[3] == 0x00))
        {
          g_byte_array_remove_range (input, 0, 4);  /* ACK or NACK */
          continue;
        }
      if (d[2] == 0xFF && d[3] == 0xFF)
        {
          if (input->len < 7)
            return FALSE;
          head = 7;
          len = (d[4] << 8) | d[5];
          sum = d[4] + d[5] + d[6];
        }
      else
        {
          len = d[2];
          sum = d[2] + d[3];
        }
      if (sum != 0 || len < 2)
        {
          g_printerr ("pn532-card: bad frame length, skipped\n");
          g_byte_array_remove_range (input, 0, 2);
          continue;
        }
      if (input->len < head + len + 1)
        return FALSE;
      for (guint i = head; i <= head + len; i++)
        sum += d[i];
      if (sum != 0 || d[head] != 0xD4)
        {
          g_printerr ("pn532-card: bad frame checksum or TFI, skipped\n");
          g_byte_array_remove_range (input, 0, 2);
          continue;
        }
      g_byte_array_set_size (frame, 0);
      g_byte_array_append (frame, d + head, len);
      g_byte_array_remove_range (input, 0, head + len + 1);
      return TRUE;
    }
}

static gboolean
on_input (int fd, G_GNUC_UNUSED GIOCondition condition, gpointer user_data)
{
  Pn532 *self = user_data;
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 buffer[4096];
  ssize_t got = read (fd, buffer, sizeof buffer);

  if (got < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;
  if (got <= 0)
    {
      g_printerr ("pn532-card: read: %s\n", got < 0 ? g_strerror (errno) : "end of file");
      g_main_loop_quit (self->loop);
      return G_SOURCE_REMOVE;
    }
  g_byte_array_append (self->input, buffer, got);
  while (next_frame (self->input, frame))
    answer (self, frame->data, frame->len);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Takes FLAG out of ARGV, if there. */
static gboolean
take_flag (int *argc, char **argv, const char *flag)
{
  gboolean found = FALSE;
  int kept = 1;

  for (int i = 1; i < *argc; i++)
    if (strcmp (argv[i], flag) == 0)
      found = TRUE;
    else
      argv[kept++] = argv[i];
  argv[kept] = NULL;
  *argc = kept;
  return found;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean no_card = take_flag (&argc, argv, "--no-card");
  g_autoptr(SdCardEmulator) emu = sd_card_emulator_new_from_args (&argc, &argv, &error);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autofree guint8 *registers = g_new0 (guint8, 0x10000);
  Pn532 self = { emu, no_card, FALSE, -1, input, registers, loop };
  struct termios raw;
  const char *slave_path;
  int slave;

  if (emu == NULL || argc != 2)
    {
      g_printerr ("usage: pn532-card LINK [--no-card] [--name … --pin NNNN --pull-out-after N …]%s%s\n",
                  error ? ": " : "", error ? error->message : "");
      return 2;
    }

  /* Before LINK exists: whoever waits for it may signal at once. */
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  self.master = posix_openpt (O_RDWR | O_NOCTTY);
  if (self.master < 0 || grantpt (self.master) < 0 || unlockpt (self.master) < 0 ||
      (slave_path = ptsname (self.master)) == NULL)
    {
      g_printerr ("pn532-card: no pseudo-terminal: %s\n", g_strerror (errno));
      return 1;
    }
  /* Raw both ways (on Linux the master's termios are the slave's). */
  tcgetattr (self.master, &raw);
  cfmakeraw (&raw);
  tcsetattr (self.master, TCSANOW, &raw);
  /* Held open: with no slave open, the master reads as hung up. */
  slave = open (slave_path, O_RDWR | O_NOCTTY);
  if (slave < 0 || (unlink (argv[1]) < 0 && errno != ENOENT) || symlink (slave_path, argv[1]) < 0)
    {
      g_printerr ("pn532-card: %s: %s\n", argv[1], g_strerror (errno));
      return 1;
    }
  g_print ("%s\n", slave_path);
  fflush (stdout);

  g_unix_fd_add (self.master, G_IO_IN, on_input, &self);
  g_main_loop_run (loop);

  unlink (argv[1]);
  close (slave);
  close (self.master);
  return 0;
}
