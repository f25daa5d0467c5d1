/* vpcd-card.c: the emulated My Number card, put on pcscd's virtual reader (vsmartcard-vpcd).
 *
 * Copyright 2026 The ShelterDesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: vpcd-card PORT [card options, see sd-card-emulator.h]
 * Connects to vpcd on 127.0.0.1:PORT: the card is on the reader while the
 * connection is open.  Every message both ways is a 2-byte big-endian
 * length and the payload; one-byte messages from the reader are controls
 * (00 power off, 01 power on, 02 reset, 04 send the ATR), longer ones are
 * APDUs.  Closing the socket is the card taken away; SIGTERM does that.
 *
 * With --swap (the drill's card station), the card stays on the reader
 * and becomes another person's card whenever a line comes on standard
 * input: NAME, ADDRESS, BIRTH (YYYYMMDD) and SEX (1, 2 or 9) separated by
 * tabs.  It answers "ok" on standard output once the new card is in
 * place; the end of standard input ends it.
 */
#include "sd-card-emulator.h"

#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

/* Any ATR will do: the desk recognises the card by its application. */
static const guint8 atr[] = { 0x3B, 0x80, 0x80, 0x01, 0x01 };

/* Length and payload in one write: split, they meet Nagle and delayed
 * ACKs and every APDU costs some 40 ms more than on a real reader. */
static gboolean
send_message (GOutputStream *out, const guint8 *data, gsize len)
{
  g_autoptr(GByteArray) message = g_byte_array_sized_new (len + 2);
  guint8 head[2] = { len >> 8, len & 0xff };

  g_byte_array_append (message, head, 2);
  g_byte_array_append (message, data, len);
  return g_output_stream_write_all (out, message->data, message->len, NULL, NULL, NULL);
}

/* One line from the drill: the next person's card.  FALSE at the end
 * of input or on a line that is not four fields. */
static gboolean
swap_card (SdCardEmulator   *emu,
           GDataInputStream *lines)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, NULL);
  g_auto(GStrv) fields = line != NULL ? g_strsplit (line, "\t", -1) : NULL;

  if (fields == NULL || g_strv_length (fields) != 4)
    return FALSE;
  sd_card_emulator_set_facts (emu, fields[0], fields[1], fields[2], fields[3]);
  sd_card_emulator_reset (emu);
  g_ptr_array_set_size (emu->log, 0);
  g_print ("ok\n");
  fflush (stdout);
  return TRUE;
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) conn = NULL;
  g_autoptr(SdCardEmulator) emu = NULL;
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GDataInputStream) lines = g_data_input_stream_new (stdin_stream);
  gboolean swap = FALSE;
  GInputStream *in;
  GOutputStream *out;
  GSocket *socket;

  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--swap"))
      {
        swap = TRUE;
        memmove (argv + i, argv + i + 1, (argc - i) * sizeof *argv);
        argc--;
        break;
      }
  emu = sd_card_emulator_new_from_args (&argc, &argv, &error);

  if (emu == NULL || argc != 2)
    {
      g_printerr ("usage: vpcd-card PORT [--name … --pin NNNN --tries N …]%s%s\n",
                  error ? ": " : "", error ? error->message : "");
      return 2;
    }

  /* Loopback only: vpcd listens on every interface, we talk to it here. */
  conn = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) atoi (argv[1]), NULL, &error);
  if (conn == NULL)
    {
      g_printerr ("vpcd-card: %s\n", error->message);
      return 1;
    }
  socket = g_socket_connection_get_socket (conn);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  out = g_io_stream_get_output_stream (G_IO_STREAM (conn));

  for (;;)
    {
      guint8 head[2], buffer[65536];
      g_autoptr(GByteArray) response = g_byte_array_new ();
      gsize len, got;

      /* vpcd writes the length and the payload apart: with Nagle on its
       * side and delayed ACKs on ours, each APDU would wait ~40 ms for
       * nothing.  Quick ACKs are what a reader on a USB bus behaves like.
       * (Linux forgets TCP_QUICKACK after a while: set it every time.) */
      /* The drill's next card, or the reader's next message. */
      while (swap)
        {
          struct pollfd fds[2] = { { g_socket_get_fd (socket), POLLIN, 0 }, { 0, POLLIN, 0 } };

          if (poll (fds, 2, -1) < 0)
            continue;
          if (fds[1].revents != 0 && !swap_card (emu, lines))
            return 0;
          if (fds[0].revents != 0)
            break;
        }
      g_socket_set_option (socket, IPPROTO_TCP, TCP_QUICKACK, 1, NULL);
      if (!g_input_stream_read_all (in, head, 2, &got, NULL, NULL) || got != 2)
        break;
      g_socket_set_option (socket, IPPROTO_TCP, TCP_QUICKACK, 1, NULL);
      len = (head[0] << 8) | head[1];
      if (!g_input_stream_read_all (in, buffer, len, &got, NULL, NULL) || got != len)
        break;

      if (len == 1)
        {
          if (buffer[0] == 0x04 && !send_message (out, atr, sizeof atr))
            break;
          if (buffer[0] == 0x00 || buffer[0] == 0x02)
            sd_card_emulator_reset (emu);
          continue;
        }
      if (!sd_card_emulator_process (emu, buffer, len, response))
        break;
      if (!send_message (out, response->data, response->len))
        break;
      /* Taken away right after its last answer: vpcd then finds no card
       * for the next APDU, as a reader would.  (Closing while vpcd waits
       * for an answer wedges its driver, which no real card can do.) */
      if (emu->pull_out_after >= 0 && emu->log->len >= (guint) emu->pull_out_after)
        break;
    }
  return 0;
}
